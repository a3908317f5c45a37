"""Reading a returned workbook's cells through a layout's landmarks: shared by every kind of workbook.

``WorkbookSource`` is what a reader hands out (a file, or a Google spreadsheet read back);
``shape`` works out once per layout what reading it needs; ``read`` finds each sheet (by its
name, else renamed, by its contents), locates its cells wherever a user's edits moved them,
and says what the edits meant. ``Job`` is what every workbook of one collect run is read
against. Pure: no file or network I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from . import checks, kinds, layout
from .cells import Cell, Role, SheetLayout, WorkbookLayout
from .inputs import CellError, RawValue
from .landmarks import Grid, SheetGuide, sheet_guide
from .locate import SLACK_ROWS, Found, locate, relocated
from .model import Ladder, ManagerScores, Person, Roster
from .readplan import is_read
from .results import Kind, Problem, Severity

_ANY_DUE = date(2000, 1, 1)  # the due date is shown in the workbook, never read back


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
class Shape:
    """A workbook layout with what reading it needs, worked out once.

    Cell positions depend on the ladder and the person's levels, never on who the person
    is (tests/test_collect.py holds layout.build to that), so one shape serves everyone
    with the same levels: building a layout per file would cost more than reading it.
    """

    layout: WorkbookLayout
    keys: dict[str, tuple[SheetLayout, Cell]]
    guides: tuple[SheetGuide, ...]
    upstream: dict[str, frozenset[str]]


def shape(wl: WorkbookLayout, roles: tuple[Role, ...] = ()) -> Shape:
    """What reading ``wl`` needs (only the cells of ``roles``, when given: a probe of a few facts)."""
    guides = []
    for sheet in wl.sheets:
        cells = [c for c in sheet.cells if c.key and is_read(c) and (not roles or c.role in roles)]
        if cells:
            guides.append(sheet_guide(sheet, cells, soft=not roles))
    return Shape(wl, wl.by_key(), tuple(guides), checks.dependencies(wl))


@dataclass
class Read:
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


def read(shape: Shape, book: WorkbookSource, file: str, cache: dict[object, Found] | None = None) -> Read:
    """``shape``'s cells found in ``book`` (``cache`` keeps each sheet located once per workbook)."""
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
    return Read(values, relocated(shape.layout, refs, titles), problems, refused, missing, moved, order_dependent)


def _sheets(shape: Shape, book: WorkbookSource, cache: dict[object, Found]) -> list[tuple[SheetGuide, str, Found]]:
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
    key = (g, title)
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
            found = cache[(g, title)] = locate(g, grid)
        out.append((g, title, found))
    return out


class Job:
    """What every file of one collect run is read against.

    ``manager_scores`` (default: the roster's) is how the SE workbooks were laid out: Google
    Sheets keeps the manager's column in the SE's spreadsheet, a range only the manager may edit.
    """

    def __init__(self, ladder: Ladder, roster: Roster, quarter: str,
                 manager_scores: ManagerScores | None = None) -> None:
        self.ladder, self.roster, self.quarter = ladder, roster, quarter
        self.manager_scores = manager_scores or roster.manager_scores
        self.people = {p.id: p for p in roster.people}
        self.probe = shape(self._build(roster.people[0]), (Role.META,)) if roster.people else None
        self.kind_probe = shape(kinds.probe(), (Role.META,))  # what kind of workbook, when it is no SE's
        self._shapes: dict[tuple[str, str, bool | None], Shape] = {}

    def shape_for(self, person: Person) -> Shape:
        # Cells sit where the levels put them; the roster's asking_for_move makes its answer a fixed cell.
        key = (person.level, person.target_level, person.asking_for_move)
        if key not in self._shapes:
            self._shapes[key] = shape(self._build(person))
        return self._shapes[key]

    def _build(self, person: Person) -> WorkbookLayout:
        return layout.build(self.ladder, self.roster, person, self.quarter, _ANY_DUE,
                            manager_scores=self.manager_scores)
