"""Examine one returned workbook, wherever it lives (a file or a Google spreadsheet read back).

The pure part of ``collect`` and ``pull``: given a ``WorkbookSource`` that hands out raw
cell values, find whose workbook it is, check it, recompute every number, and later
assemble one result per roster person (``assemble``). No file or network I/O here: the
adapters (``xlsx.collect``, ``google.pull``) read, this module judges.

Several workbooks for one person: the one used is the newest (file modification time)
among those of the right quarter and template version, else the newest of all; ties go
to the last file name. Every other one is named in a ``duplicate`` problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Protocol

from . import checks, layout, numfmt, scoring
from .cells import GUIDE, Cell, Check, Role, SheetLayout, WorkbookLayout
from .inputs import CellError, RawValue, parse_inputs, show
from .landmarks import Grid, SheetGuide, sheet_guide
from .locate import SLACK_ROWS, Found, locate, relocated
from .model import Inputs, Ladder, Person, Roster, Scores
from .readplan import column_index, is_read
from .results import Kind, PersonInfo, PersonResult, Problem, Results, Severity, Status, status_for

_ANY_DUE = date(2000, 1, 1)  # the due date is shown in the workbook, never read back


@dataclass(frozen=True)
class FileOutcome:
    """What one file turned out to be: someone's workbook (``person_id``) or an unmatched file."""

    file: str
    mtime: float
    person_id: str = ""  # "" when the file belongs to nobody on the roster
    preferred: bool = False  # this quarter's workbook, of this template version
    problems: tuple[Problem, ...] = ()
    inputs: Inputs | None = None
    scores: Scores | None = None
    moved: tuple[str, ...] = ()  # layout sheets not read in place (cells moved, renamed, refused)


def assemble(ladder: Ladder, roster: Roster, quarter: str, outcomes: Sequence[FileOutcome],
             unmatched: Sequence[Problem], source: str) -> Results:
    """One result per roster person from what each file (or spreadsheet) turned out to be."""
    unmatched = [*unmatched, *(p for o in outcomes if not o.person_id for p in o.problems)]
    by_person: dict[str, list[FileOutcome]] = {}
    for outcome in outcomes:
        if outcome.person_id:
            by_person.setdefault(outcome.person_id, []).append(outcome)
    people = tuple(_person_result(ladder, roster, p, by_person.get(p.id, [])) for p in roster.people)
    return Results(
        quarter=quarter, ladder_id=ladder.id, ladder_version=ladder.version,
        template_version=layout.template_version(ladder),
        collected_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        source=source, people=people, unmatched=tuple(unmatched),
    )


class WorkbookSource(Protocol):
    """What collect needs of a returned workbook, wherever it lives."""

    sheet_names: tuple[str, ...]
    # True when error values (#N/A...) of formula cells read as blank, so a blank formula
    # result is suspect once the workbook holds calculated values at all.
    errors_read_as_blank: bool
    # False for formats that do not keep a formula's text result (.xls as read here): a
    # text formula reading 0 there is the format, not tampering.
    keeps_text_results: bool

    def grid(self, title: str, rows: int) -> Grid:
        """The sheet's raw values from A1, at most ``rows`` rows ("" for an empty cell)."""
        ...

    def error_cells(self, title: str) -> Mapping[tuple[int, int], CellError]:
        """Cells (0-based row, column) showing an error value that ``grid`` gives as "" (else nothing)."""
        ...

    def formula_cells(self, title: str) -> AbstractSet[tuple[int, int]] | None:
        """Cells (0-based row, column) holding a formula; None when the source cannot tell."""
        ...

    def number_format(self, title: str, row: int, column: int) -> str:
        """A cell's number format as an Excel format code (0-based row, column); "" when unknown."""
        ...


@dataclass(frozen=True)
class _Shape:
    """A workbook layout with what reading it needs, worked out once.

    Cell positions depend on the ladder and the person's levels, never on who the person
    is (tests/test_collect.py holds layout.build to that), so one shape serves everyone
    with the same levels: building a layout per file would cost more than reading it.
    """

    layout: WorkbookLayout
    keys: dict[str, tuple[SheetLayout, Cell]]
    guides: tuple[SheetGuide, ...]
    upstream: dict[str, frozenset[str]]


def _shape(wl: WorkbookLayout, roles: tuple[Role, ...] = ()) -> _Shape:
    guides = []
    for sheet in wl.sheets:
        cells = [c for c in sheet.cells if c.key and is_read(c) and (not roles or c.role in roles)]
        if cells:
            guides.append(sheet_guide(sheet, cells, soft=not roles))
    return _Shape(wl, wl.by_key(), tuple(guides), checks.dependencies(wl))


@dataclass
class _Read:
    """A workbook's cells as found, and what the user's edits meant for reading them."""

    values: dict[str, RawValue]
    layout: WorkbookLayout  # with moved cells where they were found
    problems: list[Problem]
    refused: set[str]  # sheets whose inputs are not used
    missing: set[str]  # keys not found
    moved: set[str]  # layout sheets not read in place: cells moved, renamed or refused
    order_dependent: set[str]  # formula keys that depend on the order of sorted rows

    @property
    def renamed(self) -> bool:
        return any(p.kind == Kind.RENAMED_SHEET for p in self.problems)


def _read(shape: _Shape, book: WorkbookSource, file: str, cache: dict[object, Found] | None = None) -> _Read:
    values: dict[str, RawValue] = {}
    refs: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    refused: set[str] = set()
    missing: set[str] = set()
    sorted_rows: list[frozenset[str]] = []
    cache = {} if cache is None else cache
    located = _with_errors(_sheets(shape, book, cache), book, cache)
    titles = {g.title: title for g, title, _ in located if title != g.title}
    for g, title, found in located:
        if title != g.title:
            problems.append(Problem(file, title, "", Kind.RENAMED_SHEET, f"sheet '{g.title}' was renamed '{title}'; "
                                    "it was recognised by its contents and read", Severity.NOTE))
        problems += [Problem(file, title, ref, kind, message, severity)
                     for ref, kind, message, severity in found.notes]
        if found.refused:
            refused.add(g.title)
            continue
        values |= found.values
        refs |= {(g.title, k): ref for k, ref in found.refs.items()}
        missing |= found.missing
        if found.lost_columns:
            missing |= {c.key for c in g.sheet.cells if c.role is Role.FORMULA
                        and checks.reads_columns(str(c.value)) & found.lost_columns}
        sorted_rows += found.sorted_rows
    order_dependent = {k for k, up in shape.upstream.items()
                       if sorted_rows and sum(1 for row in sorted_rows if up & row) > 1}
    moved = refused | set(titles) | {title for title, _ in refs}
    return _Read(values, relocated(shape.layout, refs, titles), problems, refused, missing, moved, order_dependent)


def _sheets(shape: _Shape, book: WorkbookSource, cache: dict[object, Found]) -> list[tuple[SheetGuide, str, Found]]:
    """Each sheet of the layout located in the workbook: by its name, else (renamed) by its contents."""
    ours = {s.title for s in shape.layout.sheets}
    spare = [t for t in book.sheet_names if t not in ours]
    out = []
    for g in shape.guides:
        if g.title in book.sheet_names:
            out.append((g, g.title, _locate(g, book, g.title, cache)))
            continue
        for title in spare:
            found = _locate(g, book, title, cache)
            if not found.refused and not found.missing and not any(
                    kind in (Kind.MISSING_COLUMN, Kind.SHIFTED_ROWS) for _, kind, _, _ in found.notes):
                out.append((g, title, found))
                spare.remove(title)
                break
    return out


def _locate(g: SheetGuide, book: WorkbookSource, title: str, cache: dict[object, Found]) -> Found:
    """One sheet located, once per guide, sheet and workbook."""
    key = (id(g), title)
    if key not in cache:
        cache[key] = locate(g, book.grid(title, g.last_row + SLACK_ROWS))
    return cache[key]


def _with_errors(located: list[tuple[SheetGuide, str, Found]], book: WorkbookSource,
                 cache: dict[object, Found]) -> list[tuple[SheetGuide, str, Found]]:
    """Sheets read again with their error values, where a blank input may be one.

    Some formats read an error value as blank. Only a workbook a spreadsheet app has
    calculated (some formula has a saved value) can hold one, and only a blank input can
    hide one: only then is the file asked where its error cells are (a search of the file).
    """
    if all(list(map(f.values.get, g.formula_keys)).count(None) == len(g.formula_keys) for g, _, f in located):
        return located  # no formula has a saved value (counted in C: this runs for every file)
    out = []
    for g, title, found in located:
        if any(found.values.get(k) is None for k in g.input_keys) and (errors := book.error_cells(title)):
            grid = [list(line) for line in book.grid(title, g.last_row + SLACK_ROWS)]
            for (r, c), error in errors.items():
                if r < len(grid) and c < len(grid[r]) and grid[r][c] == "":
                    grid[r][c] = error
            found = cache[(id(g), title)] = locate(g, grid)
        out.append((g, title, found))
    return out


class Job:
    """What every file of one collect run is read against."""

    def __init__(self, ladder: Ladder, roster: Roster, quarter: str) -> None:
        self.ladder, self.roster, self.quarter = ladder, roster, quarter
        self.people = {p.id: p for p in roster.people}
        self.probe = _shape(self._build(roster.people[0]), (Role.META,)) if roster.people else None
        self._shapes: dict[tuple[str, str, bool | None], _Shape] = {}

    def shape_for(self, person: Person) -> _Shape:
        # Cells sit where the levels put them; the roster's asking_for_move makes its answer a fixed cell.
        key = (person.level, person.target_level, person.asking_for_move)
        if key not in self._shapes:
            self._shapes[key] = _shape(self._build(person))
        return self._shapes[key]

    def _build(self, person: Person) -> WorkbookLayout:
        return layout.build(self.ladder, self.roster, person, self.quarter, _ANY_DUE)


def examine(job: Job, book: WorkbookSource, file: str, mtime: float) -> FileOutcome:
    """Everything one workbook (a file, or a Google spreadsheet read back) tells about its person."""
    cache: dict[object, Found] = {}
    person, why_not = _identify(job, book, file, cache)
    if person is None:
        return FileOutcome(file, mtime, problems=(why_not,) if why_not else ())
    shape = job.shape_for(person)
    read = _read(shape, book, file, cache)
    wl, raw = read.layout, read.values
    shown = _as_shown(wl, raw, book)
    keys = shape.keys if wl is shape.layout else wl.by_key()
    problems = checks.check_meta(wl, keys, raw, job.quarter, file)
    preferred = not any(p.kind in (Kind.QUARTER, Kind.VERSION) for p in problems)  # only check_meta says these
    problems += checks.check_sheets(wl, (*book.sheet_names, *(s.title for s in wl.sheets)) if read.renamed
                                    else book.sheet_names, file)
    problems += read.problems
    parsed = parse_inputs(job.ladder, wl, raw, file)
    scores = scoring.score(job.ladder, job.ladder.rubric_for(person.target_level), parsed.inputs, person.level)
    problems += parsed.problems
    unjudged = parsed.adjusted | read.missing | read.order_dependent | shown
    problems += checks.check_formulas(job.ladder, person, wl, raw, parsed.inputs, frozenset(unjudged), file,
                                      judge_blanks=book.errors_read_as_blank, upstream=shape.upstream,
                                      text_results=book.keeps_text_results, formulas=book.formula_cells)
    return FileOutcome(file, mtime, person.id, preferred, tuple(problems), parsed.inputs, scores,
                       tuple(sorted(read.moved)))


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
    read = _read(job.probe, book, file, cache)
    if "meta.person_id" not in read.values and GUIDE not in book.sheet_names:
        ours = [s.title for s in job.probe.layout.sheets]
        if not set(ours) & set(book.sheet_names):
            message = (f"not a ladder-sheets workbook (it has none of the sheets {checks.names(ours)}), so it was "
                       f"not read; sheets found: {checks.names(book.sheet_names)}")
            return None, Problem(file, "", "", Kind.UNIDENTIFIED, message)
        message = (f"sheet not found (renamed or deleted?), so the workbook cannot be matched to a person; "
                   f"sheets found: {checks.names(book.sheet_names)}")
        return None, Problem(file, GUIDE, "", Kind.MISSING_SHEET, message)
    found = read.values.get("meta.person_id")
    person_id = scoring.as_text(found).strip() if isinstance(found, (str, int, float)) else ""
    if not person_id:
        return None, Problem(file, sheet.title, cell.ref, Kind.UNIDENTIFIED,
                             f"expected the person id of someone on the roster, found {show(found)}")
    person = job.people.get(person_id)
    if person is None:
        return None, Problem(file, sheet.title, cell.ref, Kind.NOT_ON_ROSTER,
                             f"person id {person_id!r} is not on the roster")
    return person, None


# ---- one result per person ------------------------------------------------------------


def _person_result(ladder: Ladder, roster: Roster, person: Person, outcomes: list[FileOutcome]) -> PersonResult:
    info = person_info(ladder, roster, person)
    if not outcomes:
        return PersonResult(info, Status.MISSING)
    # A file that could be read at all comes before one in a format that cannot be (inputs None).
    ranked = sorted(outcomes, key=lambda o: (o.inputs is not None, o.preferred, o.mtime, o.file))
    used, ignored = ranked[-1], ranked[:-1]
    problems = used.problems + tuple(_duplicate(person, used, other) if other.inputs is not None or used.inputs is None
                                     else _also(used, other) for other in ignored)
    return PersonResult(info, status_for(problems), used.file, used.inputs, used.scores, problems)


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
    )
