"""Read a manager's review workbook back: each SE sheet's manager scores, comments, recommendation and why.

Recognised by content (``kinds``), read with the landmarks every workbook is read with
(``reading``): columns by header, rows by criterion id, sorted rows, inserted columns,
and a renamed SE sheet known by the person id it holds. Every input is held to its rule
(``inputs.parse_inputs``) and every formula to the recomputation (``checks``), as for an
SE's workbook. Each SE sheet becomes a ``Part`` for that person; whether it is used
(whose review, from whom) is ``provenance``'s call. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from . import checks
from .cells import GUIDE, Cell, Role, SheetLayout, WorkbookLayout
from .inputs import RawValue, parse_cell, parse_inputs
from .kinds import MANAGER_REVIEW
from .locate import Found
from .model import CellValue, Manager, ManagerScores, Person, Recommendation
from .outcomes import FileOutcome, Part
from .reading import Job, Shape, WorkbookSource, read, shape
from .results import Kind, Problem, Severity
from .review_layout import TEAM, reading_guide, reading_sheet, review_version, sheet_titles, unkeyed
from .scoring import as_text

_GUIDES: dict[str, Shape] = {}  # the Guide's facts, by template version


def examine_review(job: Job, book: WorkbookSource, file: str, mtime: float, cache: dict[object, Found]) -> FileOutcome:
    """What one review workbook gives each of its SEs (``parts``), and what is wrong with it as a whole."""
    guide = _guide(job)
    facts = read(guide, book, file, cache)
    manager_id = _text(facts.values.get("meta.manager_id"))
    manager = next((m for m in job.roster.managers if m.id == manager_id), None)
    if manager is None:
        sheet, cell = guide.keys["meta.manager_id"]
        return FileOutcome(file, mtime, kind=MANAGER_REVIEW, problems=(Problem(
            file, sheet.title, cell.ref, Kind.NOT_ON_ROSTER,
            f"a manager's review for manager id {manager_id!r}, who is not on the roster, so it was not read"),))
    wrong = checks.check_meta(guide.layout, guide.keys, facts.values, job.quarter, file)
    if wrong:
        return FileOutcome(file, mtime, kind=MANAGER_REVIEW, problems=tuple(
            replace(p, message=f"{manager.name}'s review: {p.message}, so it was not used") for p in wrong))
    sheets, problems, copied = person_sheets(job, book, file, cache, "this review")
    team = [p for p in job.roster.people if p.manager == manager.id]
    titles = sheet_titles(team + [p for _, p in sheets if p.manager != manager.id])
    parts = tuple(_part(job, book, file, manager, title, person, titles.get(person.id, title), cache)
                  for title, person in sheets)
    read_ids = {part.person_id for part in parts} | copied
    problems += [Problem(file, "", "", Kind.MISSING_SHEET, _no_sheet(job, manager, p), Severity.INCOMPLETE)
                 for p in team if p.id not in read_ids]
    return FileOutcome(file, mtime, preferred=True, problems=tuple(problems), kind=MANAGER_REVIEW, parts=parts)


def _no_sheet(job: Job, manager: Manager, person: Person) -> str:
    """Why ``person`` has no manager scores from this review, and where the manager can score them instead."""
    if job.manager_scores is ManagerScores.IN_WORKBOOK:  # Google Sheets: the SE's own spreadsheet has their column
        instead = f"{manager.name} can score them in the Manager column of {person.name}'s own Scorecard"
    else:
        instead = (f"after this collect, make the reviews again (`ladder-sheets review` keeps every score "
                   f"collected) and hand {manager.name} theirs")
    return (f"{manager.name}'s review has no sheet for {person.name} (deleted, or the review was made before they "
            f"joined the team), so they cannot be scored there: {instead}")


def _guide(job: Job) -> Shape:
    version = review_version(job.ladder)
    if version not in _GUIDES:
        _GUIDES[version] = shape(WorkbookLayout(None, "", version, (reading_guide(),)), (Role.META,))
    return _GUIDES[version]


def person_sheets(job: Job, book: WorkbookSource, file: str, cache: dict[object, Found], of: str
                  ) -> tuple[list[tuple[str, Person]], list[Problem], set[str]]:
    """Each SE sheet of a review or a peer workbook (``of``: which, in words): its name as found and its
    person, known by the person id it holds at B3:C3, whatever its name; the problems; and the person ids
    of copied sheets (none of them read, and already said)."""
    found: dict[str, tuple[str, Person]] = {}
    copied: set[str] = set()  # person ids of two sheets or more: none of them is read
    problems: list[Problem] = []
    for title in book.sheet_names:
        if title in (GUIDE, TEAM):
            continue
        value = read(_id_probe(title), book, file, cache).values.get("meta.person_id")
        pid = _text(value)
        person = job.people.get(pid)
        if person is None:
            what = (f"holds person id {pid!r}, who is not on the roster" if pid else
                    f"is not an SE's sheet of {of} (no person id beside 'Person id')")
            problems.append(Problem(file, title, "", Kind.IGNORED if not pid else Kind.NOT_ON_ROSTER,
                                    f"sheet '{title}' {what}, so it was not read",
                                    Severity.NOTE if not pid else Severity.ERROR))
        elif pid in copied:
            problems.append(Problem(file, title, "", Kind.DUPLICATE, f"sheet '{title}' is {person.name}'s too (a "
                                    "copied sheet?), so it was not read either"))
        elif pid in found:
            first = found.pop(pid)[0]
            copied.add(pid)
            problems.append(Problem(file, title, "", Kind.DUPLICATE, f"sheets '{first}' and '{title}' are both "
                                    f"{person.name}'s (a copied sheet?), so neither was read"))
        else:
            found[pid] = (title, person)
    return list(found.values()), problems, copied


def _id_probe(title: str) -> Shape:
    """The person id of an SE sheet named ``title``, where ``review_layout`` writes it."""
    sheet = SheetLayout(title, (Cell("B3", Role.LABEL, "Person id", "label"),
                                Cell("C3", Role.META, None, "text", key="meta.person_id")))
    return shape(WorkbookLayout(None, "", "", (sheet,)), (Role.META,))


def _part(job: Job, book: WorkbookSource, file: str, manager: Manager, title: str, person: Person, expected: str,
          cache: dict[object, Found]) -> Part:
    """One SE sheet read, checked and recomputed, in the SE workbook's own keys."""
    sheet = reading_sheet(job.ladder, person, title, job.quarter)
    view = replace(sheet, cells=tuple(replace(c, key=unkeyed(person.id, c.key)) for c in sheet.cells))
    wl = WorkbookLayout(person, job.quarter, review_version(job.ladder), (view,))
    form = shape(wl)
    found = read(form, book, file, cache)
    problems = list(found.problems)
    if title != expected:
        problems.append(Problem(file, title, "", Kind.RENAMED_SHEET, f"{person.name}'s sheet '{expected}' was "
                                f"renamed '{title}'; it was recognised by its person id and read", Severity.NOTE))
    parsed = parse_inputs(job.ladder, found.layout, found.values, file)
    problems += parsed.problems
    unjudged = parsed.adjusted | found.missing | found.order_dependent
    problems += checks.check_formulas(job.ladder, person, found.layout, found.values, parsed.inputs,
                                      frozenset(unjudged), file, judge_blanks=book.errors_read_as_blank,
                                      upstream=form.upstream, text_results=book.keeps_text_results)
    fields = _overall(found.layout, found.values)
    return Part(MANAGER_REVIEW, person.id, manager.id, parsed.inputs, fields, tuple(problems), title)


def _overall(wl: WorkbookLayout, raw: Mapping[str, RawValue]) -> dict[str, CellValue]:
    """The recommendation (a Recommendation value) and why, when valid (parse_inputs reports them when not)."""
    out: dict[str, CellValue] = {}
    for sheet, cell in wl.cells(Role.INPUT):
        if cell.key in ("recommendation", "why") and cell.validation is not None and cell.key in raw:
            value = parse_cell(cell.validation, raw[cell.key]).value
            if value is not None:
                out[cell.key] = str(value)
    shown = {r.shown: r.value for r in Recommendation}
    if "recommendation" in out:
        out["recommendation"] = shown.get(str(out["recommendation"]), "")
    return out


def _text(value: RawValue) -> str:
    return as_text(value).strip() if isinstance(value, (str, int, float)) else ""
