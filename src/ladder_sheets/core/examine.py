"""Examine one returned workbook, wherever it lives (a file or a Google spreadsheet read back).

The pure part of ``collect`` and ``pull``: given a ``WorkbookSource`` that hands out raw
cell values, find whose workbook it is, check it, recompute every number, and later
assemble one result per roster person (``assemble``). No file or network I/O here: the
adapters (``xlsx.collect``, ``google.pull``) read, this module judges.

A workbook that is no SE's may be one of another kind, told by its Guide's "Workbook"
fact (``kinds``): a manager's review (``review_read``) gives each of its SEs a ``Part``,
which ``assemble`` merges into their results (``provenance``).

Several workbooks for one person: the one used is the newest (file modification time)
among those of the right quarter and template version, else the newest of all; ties go
to the last file name. Every other one is named in a ``duplicate`` problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone

from . import checks, kinds, layout, numfmt, peer_input, peer_read, provenance, review_read, scoring
from .cells import GUIDE, Check, Role, WorkbookLayout
from .inputs import CellError, RawValue, parse_inputs, show
from .locate import Found
from .model import Ladder, Person, Roster
from .outcomes import FileOutcome, Part, Via
from .readplan import column_index
from .reading import Job, WorkbookSource, read
from .results import Kind, PersonInfo, PersonResult, Problem, Results, Severity, Status, status_for

__all__ = ["FileOutcome", "Job", "Part", "Via", "WorkbookSource", "assemble", "examine", "person_info"]

# What examines a workbook of each other kind, by the kind its Guide names.
_OTHER_KINDS: Mapping[str, Callable[[Job, WorkbookSource, str, float, dict[object, Found]], FileOutcome]] = {
    kinds.MANAGER_REVIEW: review_read.examine_review,
    kinds.PEER_INPUT: peer_read.examine_peer,
}


def assemble(ladder: Ladder, roster: Roster, quarter: str, outcomes: Sequence[FileOutcome],
             unmatched: Sequence[Problem], source: str) -> Results:
    """One result per roster person (and per rater) from what each file (or spreadsheet) turned out to be.

    A peer workbook's problems are its rater's (``peer_input``); one of nobody's rater goes with the unmatched.
    """
    unmatched = [*unmatched, *(p for o in outcomes if not o.person_id and not o.author for p in o.problems)]
    by_person: dict[str, list[FileOutcome]] = {}
    parts: dict[str, list[tuple[FileOutcome, Part]]] = {}
    for outcome in outcomes:
        if outcome.person_id:
            by_person.setdefault(outcome.person_id, []).append(outcome)
        for part in outcome.parts:
            parts.setdefault(part.person_id, []).append((outcome, part))
    peers = peer_input.gather(roster, outcomes)
    people = tuple(replace(_person_result(ladder, roster, p, by_person.get(p.id, []), parts.get(p.id, [])),
                           peers=peers.answers.get(p.id, ())) for p in roster.people)
    return Results(
        quarter=quarter, ladder_id=ladder.id, ladder_version=ladder.version,
        template_version=layout.template_version(ladder),
        collected_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        source=source, people=people, unmatched=tuple(unmatched), raters=peers.raters,
    )


def examine(job: Job, book: WorkbookSource, file: str, mtime: float) -> FileOutcome:
    """Everything one workbook (a file, or a Google spreadsheet read back) tells about its person."""
    cache: dict[object, Found] = {}
    person, why_not = _identify(job, book, file, cache)
    if person is None:
        other = _OTHER_KINDS.get(_kind(job, book, file, cache)) if GUIDE in book.sheet_names else None
        if other is not None:
            return other(job, book, file, mtime, cache)
        return FileOutcome(file, mtime, problems=(why_not,) if why_not else ())
    shape = job.shape_for(person)
    found = read(shape, book, file, cache)
    wl, raw = found.layout, found.values
    shown = _as_shown(wl, raw, book)
    keys = shape.keys if wl is shape.layout else wl.by_key()
    problems = checks.check_meta(wl, keys, raw, job.quarter, file)
    preferred = not any(p.kind in (Kind.QUARTER, Kind.VERSION) for p in problems)  # only check_meta says these
    problems += checks.check_sheets(wl, book.sheet_names, file)  # ``wl`` has renamed sheets by their new names
    problems += found.problems + _reserved(job, person, wl, raw, file)
    parsed = parse_inputs(job.ladder, wl, raw, file)
    scores = scoring.score(job.ladder, job.ladder.rubric_for(person.target_level), parsed.inputs, person.level)
    problems += parsed.problems
    unjudged = parsed.adjusted | found.missing | found.order_dependent | shown
    problems += checks.check_formulas(job.ladder, person, wl, raw, parsed.inputs, frozenset(unjudged), file,
                                      judge_blanks=book.errors_read_as_blank, upstream=shape.upstream,
                                      text_results=book.keeps_text_results, formulas=book.formula_cells)
    return FileOutcome(file, mtime, person.id, preferred, tuple(problems), parsed.inputs, scores,
                       tuple(sorted(found.moved)))


def _as_shown(wl: WorkbookLayout, raw: dict[str, RawValue], book: WorkbookSource) -> frozenset[str]:
    """Free-text inputs holding a number with a date, time or fraction format, kept as the app showed
    them ("12/1/2026", "3/4"), not as the number (46357); returns their keys (formulas saw the number)."""
    changed = set()
    for sheet, cell in wl.cells(Role.INPUT):
        value = raw.get(cell.key)
        if value is None or isinstance(value, (str, bool, CellError)) or cell.validation is None \
                or cell.validation.check is not Check.TEXT:
            continue
        text = numfmt.shown(value, book.number_format(sheet.title, cell.row - 1, column_index(cell.column)))
        if text is not None:
            raw[cell.key] = text
            changed.add(cell.key)
    return frozenset(changed)


def _identify(job: Job, book: WorkbookSource, file: str, cache: dict[object, Found]) -> tuple[
        Person | None, Problem | None]:
    """The roster person whose workbook this is, or the problem that says why nobody's."""
    if job.probe is None:
        return None, Problem(file, "", "", Kind.NOT_ON_ROSTER, "the roster is empty")
    sheet, cell = job.probe.keys["meta.person_id"]
    found = read(job.probe, book, file, cache)
    if "meta.person_id" not in found.values and GUIDE not in book.sheet_names:
        ours = [s.title for s in job.probe.layout.sheets]
        if not set(ours) & set(book.sheet_names):
            message = (f"not a ladder-sheets workbook (it has none of the sheets {checks.names(ours)}), so it was "
                       f"not read; sheets found: {checks.names(book.sheet_names)}")
            return None, Problem(file, "", "", Kind.UNIDENTIFIED, message)
        message = (f"sheet not found (renamed or deleted?), so the workbook cannot be matched to a person; "
                   f"sheets found: {checks.names(book.sheet_names)}")
        return None, Problem(file, GUIDE, "", Kind.MISSING_SHEET, message)
    value = found.values.get("meta.person_id")
    person_id = scoring.as_text(value).strip() if isinstance(value, (str, int, float)) else ""
    if not person_id:
        return None, Problem(file, sheet.title, cell.ref, Kind.UNIDENTIFIED,
                             f"expected the person id of someone on the roster, found {show(value)}")
    person = job.people.get(person_id)
    if person is None:
        return None, Problem(file, sheet.title, cell.ref, Kind.NOT_ON_ROSTER,
                             f"person id {person_id!r} is not on the roster")
    return person, None


# ---- one result per person ------------------------------------------------------------


def _kind(job: Job, book: WorkbookSource, file: str, cache: dict[object, Found]) -> str:
    """The kind the Guide names ("Manager review"), "" when it names none."""
    value = read(job.kind_probe, book, file, cache).values.get(kinds.KIND_KEY)
    return value.strip() if isinstance(value, str) else ""


def _reserved(job: Job, person: Person, wl: WorkbookLayout, raw: Mapping[str, RawValue], file: str) -> list[Problem]:
    """A note when someone typed into the manager's locked columns (the manager scores in a review)."""
    typed = [(s, c) for s, c in wl.cells(Role.RESERVED) if raw.get(c.key) not in (None, "")]
    if not typed:
        return []
    samples = ", ".join(f"{c.ref} {show(raw[c.key])}" for _, c in typed[:3])
    more = f" and {len(typed) - 3} more" if len(typed) > 3 else ""
    where = typed[0][1].ref if len(typed) == 1 else f"{typed[0][1].ref}:{typed[-1][1].ref}"
    manager = job.roster.manager_of(person).name
    return [Problem(file, typed[0][0].title, where, Kind.NOT_FROM_MANAGER,
                    f"the Manager columns are locked: {manager} scores {person.name} in a review workbook of their "
                    f"own, so what was typed there was not used ({samples}{more})", Severity.NOTE)]


# ---- one result per person ------------------------------------------------------------


def _person_result(ladder: Ladder, roster: Roster, person: Person, outcomes: list[FileOutcome],
                   parts: list[tuple[FileOutcome, Part]]) -> PersonResult:
    info = person_info(ladder, roster, person)
    if not outcomes:
        result, used = PersonResult(info, Status.MISSING), None
    else:
        # A file that could be read at all comes before one in a format that cannot be (inputs None).
        ranked = sorted(outcomes, key=lambda o: (o.inputs is not None, o.preferred, o.mtime, o.file))
        used, ignored = ranked[-1], ranked[:-1]
        problems = used.problems + tuple(_duplicate(person, used, other) if other.inputs is not None
                                         or used.inputs is None else _also(used, other) for other in ignored)
        result = PersonResult(info, status_for(problems), used.file, used.inputs, used.scores, problems)
    return provenance.with_manager(ladder, roster, person, result, used, outcomes, parts)


def _also(used: FileOutcome, other: FileOutcome) -> Problem:
    if any(p.kind == Kind.WRONG_FORMAT for p in other.problems):
        return Problem(other.file, "", "", Kind.WRONG_FORMAT,
                       f"also returned in a format that cannot be read; {used.file} was used", Severity.NOTE)
    why = other.problems[0].message if other.problems else "it could not be read"
    return Problem(other.file, "", "", Kind.UNREADABLE, f"also returned, not read ({why}); {used.file} was used",
                   Severity.NOTE)


def _duplicate(person: Person, used: FileOutcome, other: FileOutcome) -> Problem:
    if used.preferred != other.preferred:
        why = "for this quarter and template"
    else:
        why = "newer" if used.mtime > other.mtime else "modified at the same time, last by name"
    # Said under the ignored file, naming both: read under the used one, "this one ignored" was taken for it.
    message = (f"{other.file} was ignored: {used.file} is also {person.id}'s workbook and was used ({why}); "
               "remove the one that is wrong")
    return Problem(other.file, "", "", Kind.DUPLICATE, message, Severity.ERROR)


def person_info(ladder: Ladder, roster: Roster, person: Person) -> PersonInfo:
    manager = roster.manager_of(person)
    return PersonInfo(
        id=person.id, name=person.name, email=person.email,
        level=person.level, level_name=ladder.level(person.level).name,
        target_level=person.target_level, target_level_name=ladder.level(person.target_level).name,
        manager_id=manager.id, manager_name=manager.name, manager_email=manager.email, team=manager.team,
        in_level_since=person.in_level_since,
    )
