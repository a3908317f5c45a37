"""``pull``: read every SE's Google spreadsheet back (one request each) and check it exactly as ``collect`` checks files.

The same Job/examine as collect, over a GridWorkbook instead of a file, so both give the
same Results. Google also returns each formula's text, so a formula overwritten with
anything else is caught even when its value happens to look right. The managers' review
spreadsheets (``push --reviews``) are read the same way, as collect reads review files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..core import quarter as quarters
from ..core.examine import FileOutcome, Job, Part, Via, assemble, examine
from ..core.errors import ConfigError, ServiceError
from ..core.inputs import CellError, RawValue
from ..core.cells import Role, WorkbookLayout
from ..core.model import Ladder, Manager, ManagerScores, Person, Roster
from ..core.readplan import ReadPlan, column_index, plan
from ..core.results import Kind, Problem, Results
from ..core.review_layout import reading_sheet
from .client import Sheets, StopRun
from .pull_checks import (Copies, access_problem, copy_problem, protection_problems, review_readers_problem,
                          stop_unless_readable, untouched)
from .push import DRIVE_WORKERS, title_for
from .sync_state import SheetEntry, Stage, SyncState


class GridWorkbook:
    """A spreadsheet as returned by ``spreadsheets.get`` with grid data: values and formula texts."""

    errors_read_as_blank = False  # Google returns errorValue, read as "#N/A" etc.
    keeps_text_results = True

    def __init__(self, grid: Mapping[str, Any]) -> None:
        self._cells: dict[str, dict[tuple[int, int], Mapping[str, Any]]] = {}
        self.protected: dict[str, list[Mapping[str, Any]]] = {}  # sheet title -> its ProtectedRanges
        for sheet in grid.get("sheets", []):
            title = sheet["properties"]["title"]
            self.protected[title] = list(sheet.get("protectedRanges", []))
            cells = self._cells.setdefault(title, {})
            for data in sheet.get("data", []):
                r0, c0 = data.get("startRow", 0), data.get("startColumn", 0)
                for r, row in enumerate(data.get("rowData", [])):
                    for c, value in enumerate(row.get("values", [])):
                        if value:
                            cells[(r0 + r, c0 + c)] = _chosen_number(value)
        self.sheet_names: tuple[str, ...] = tuple(self._cells)

    def read(self, what: WorkbookLayout | ReadPlan) -> dict[str, RawValue]:
        """Effective (calculated or typed) values of the planned cells, by key; blank is None."""
        values: dict[str, RawValue] = {}
        for sheet in (what if isinstance(what, ReadPlan) else plan(what)).sheets:
            if sheet.title not in self._cells:
                continue
            cells = self._cells[sheet.title]
            for key, row, col in sheet.cells:
                values[key] = _effective(cells.get((row, col), {}))
        return values

    def grid(self, title: str, rows: int) -> list[list[RawValue]]:
        """The sheet's effective values from A1, at most ``rows`` rows ("" for an empty cell)."""
        cells = self._cells.get(title, {})
        height = min(rows, 1 + max((r for r, _ in cells), default=-1))
        width = 1 + max((c for _, c in cells), default=-1)
        out: list[list[RawValue]] = [[""] * width for _ in range(height)]
        for (r, c), cell in cells.items():
            if r < height:
                value = _effective(cell)
                out[r][c] = "" if value is None else value
        return out

    def error_cells(self, title: str) -> dict[tuple[int, int], CellError]:
        return {}  # the grid already holds them as CellError

    def formula_cells(self, title: str) -> None:
        return None  # pull holds each formula's text to the layout's itself (formula_problems): exact, and worded so

    def number_format(self, title: str, row: int, column: int) -> str:
        return ""  # free-text cells are formatted as text in Google Sheets: what is typed stays text

    def formula(self, title: str, row: int, col: int) -> str | None:
        entered = self._cells.get(title, {}).get((row, col), {}).get("userEnteredValue", {})
        return entered.get("formulaValue") if isinstance(entered, dict) else None


def _chosen_number(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    """A value picked from a dropdown of numbers ("1".."4") may come back as text: read it as the number.

    Whether Sheets stores a ONE_OF_LIST choice as the number 2 or the text "2" is not
    documented; either way the score is the same, so only text that is one of the list's
    own numeric options is converted (anything else is left for validation to report).
    """
    condition = (cell.get("dataValidation") or {}).get("condition") or {}
    text = (cell.get("effectiveValue") or {}).get("stringValue")
    if condition.get("type") != "ONE_OF_LIST" or not isinstance(text, str):
        return cell
    options = {str(v.get("userEnteredValue", "")).strip() for v in condition.get("values", [])}
    if text.strip() not in options:
        return cell
    try:
        number = float(text.strip())
    except ValueError:
        return cell
    return {**cell, "effectiveValue": {"numberValue": number}}


def _effective(cell: Mapping[str, Any]) -> RawValue:
    value = cell.get("effectiveValue") or {}
    for kind in ("numberValue", "stringValue", "boolValue"):
        if kind in value:
            found: RawValue = value[kind]
            return None if found == "" else found
    if "errorValue" in value:
        return CellError("#" + str(value["errorValue"].get("type", "ERROR")))
    return None


_STRING = re.compile(r'"(?:[^"]|"")*"')


def _normal(formula: str) -> str:
    """A formula as Sheets compares it: spacing and letter case outside string literals do not matter,
    the text inside them does (so ``="Ready"`` never matches a band formula that yields "Ready")."""
    out, last = [], 0
    for literal in _STRING.finditer(formula):
        out.append("".join(formula[last:literal.start()].split()).upper())
        out.append(literal.group(0))
        last = literal.end()
    out.append("".join(formula[last:].split()).upper())
    return "".join(out)


def formula_problems(book: GridWorkbook, wl: WorkbookLayout, where: str,
                     moved: tuple[str, ...] = ()) -> list[Problem]:
    """Formula cells whose formula is gone or changed (Google keeps the text, so this is exact).

    Sheets whose cells a user moved (``moved``: a column inserted, rows sorted) hold formulas
    that Sheets rewrote to follow them: those are judged by their values only, as collect does.
    """
    problems = []
    for sheet, cell in wl.cells(Role.FORMULA):
        if sheet.title not in book.sheet_names or sheet.title in moved:
            continue
        found = book.formula(sheet.title, cell.row - 1, column_index(cell.column))
        expected = str(cell.value)
        if found is None or _normal(found) != _normal(expected):
            shown = "a typed value instead" if found is None else found
            problems.append(Problem(where, sheet.title, cell.ref, Kind.TAMPERED,
                                    f"the formula was replaced: expected {expected}, found {shown}"))
    return problems


def pull(ladder: Ladder, roster: Roster, quarter: str, state: SyncState, sheets: Sheets,
         progress: Callable[[str], None] | None = None) -> Results:
    """Results for the quarter from every pushed spreadsheet; SEs without one are MISSING.

    Stops at once (one line naming who pushed them) when the signed-in account cannot open
    the quarter's folder. A score chosen from a dropdown may come back as the number 2 or
    the text "2": both are read as the score (core.inputs matches list options by their text).
    """
    quarters.checked(quarter)
    qstate = state.quarters.get(quarter)
    if qstate is None or not (qstate.people or qstate.reviews):
        raise ConfigError(f"{state.path}: nothing was pushed for {quarter}; run `ladder-sheets push` first")
    shared_drive = stop_unless_readable(sheets, quarter, qstate)
    # Google keeps the manager's column in the SE's spreadsheet: a range only the manager may edit.
    job = Job(ladder, roster, quarter, ManagerScores.IN_WORKBOOK)
    run = _Pull(sheets, job, qstate.owner or sheets.acting_as or sheets.whoami(), Copies(sheets, f"{quarter} {ladder.name}"))
    built = (Stage.BUILT, Stage.SHARED)
    pushed = {p.id: e for p in roster.people if (e := qstate.people.get(p.id)) and e.stage in built}
    reviews = {m.id: e for m in roster.managers if (e := qstate.reviews.get(m.id)) and e.stage in built}
    outcomes, unmatched = run.everyone(pushed, reviews, check_access=shared_drive and not qstate.manager_folders,
                                       progress=progress)
    return assemble(ladder, roster, quarter, outcomes, unmatched, "google-sheets")


@dataclass
class _Pull:
    """One pull: Sheets reads in roster order; Drive's checks of who has access run ahead on a small pool."""

    sheets: Sheets
    job: Job
    owner: str
    copies: Copies
    access: dict[str, Future[list[Problem]]] = field(default_factory=dict)

    def everyone(self, pushed: dict[str, SheetEntry], reviews: dict[str, SheetEntry], *, check_access: bool,
                 progress: Callable[[str], None] | None) -> tuple[list[FileOutcome], list[Problem]]:
        """Every pushed spreadsheet in roster order, then the managers' reviews; ``check_access`` where an SE
        can change who has access (a shared drive, without manager folders)."""
        outcomes: list[FileOutcome] = []
        unmatched: list[Problem] = []
        pool = ThreadPoolExecutor(DRIVE_WORKERS, thread_name_prefix="drive")
        try:
            if check_access:
                self.access = {p.id: pool.submit(access_problem, self.sheets, pushed[p.id],
                                                 self.job.roster.manager_of(p).email)
                               for p in self.job.roster.people if p.id in pushed}
            for person in self.job.roster.people:
                if person.id in pushed:
                    _add(self.one(person, pushed[person.id]), outcomes, unmatched)
                if progress:
                    progress(person.id)
            for manager in self.job.roster.managers:
                if manager.id in reviews:
                    _add(self.review(manager, reviews[manager.id]), outcomes, unmatched)
                    if progress:
                        progress(manager.id)
        finally:
            pool.shutdown(cancel_futures=True)
        return outcomes, unmatched

    def one(self, person: Person, entry: SheetEntry) -> FileOutcome | Problem:
        """One SE's spreadsheet, examined as collect examines a file, plus what only Google can tell."""
        try:
            book = GridWorkbook(self.sheets.read_grid(entry.spreadsheet_id))
        except StopRun:
            raise  # credentials, scopes or network: every further read would fail alike
        except ServiceError as exc:
            return Problem(entry.url, "", "", Kind.UNREADABLE, f"{person.id}: {exc}")
        wl = self.job.shape_for(person).layout
        outcome = replace(examine(self.job, book, entry.url, 0.0), via=Via.GOOGLE)
        extra = formula_problems(book, wl, entry.url, outcome.moved)
        extra += protection_problems(book.protected, wl, entry.url, self.job.roster.manager_of(person).email,
                                     self.owner)
        if person.id in self.access:
            extra += self.access[person.id].result()
        if untouched(book.read(wl), wl):
            extra += copy_problem(self.copies, entry, title_for(self.job.ladder, person, self.job.quarter), person)
        return replace(outcome, problems=_with(outcome.problems, extra))

    def review(self, manager: Manager, entry: SheetEntry) -> FileOutcome | Problem:
        """A manager's review spreadsheet, examined as collect examines a review file; each SE sheet's part
        also gets what only Google can tell (formulas by their text, who may edit the manager's cells).

        Its time is Drive's modifiedTime, and an SE's spreadsheet has none (0): once a review holds
        scores for an SE, they come before the manager cells of the SE's own spreadsheet.
        """
        try:
            book = GridWorkbook(self.sheets.read_grid(entry.spreadsheet_id))
            found = self.sheets.file_info(entry.spreadsheet_id, "modifiedTime", "read when the review changed")
        except StopRun:
            raise
        except ServiceError as exc:
            return Problem(entry.url, "", "", Kind.UNREADABLE, f"{manager.name}'s review: {exc}")
        readers = review_readers_problem(self.sheets, entry, manager, self.owner)
        outcome = replace(examine(self.job, book, entry.url, _seconds((found or {}).get("modifiedTime"))),
                          via=Via.GOOGLE)
        parts = tuple(replace(part, problems=_with(part.problems, self._google_checks(book, entry.url, manager, part)))
                      for part in outcome.parts)
        return replace(outcome, parts=parts, problems=outcome.problems + tuple(readers))  # the review's own: unmatched

    def _google_checks(self, book: GridWorkbook, url: str, manager: Manager, part: Part) -> list[Problem]:
        person = self.job.people[part.person_id]
        wl = WorkbookLayout(None, self.job.quarter, "", (reading_sheet(self.job.ladder, person, part.sheet,
                                                                      self.job.quarter),))
        return formula_problems(book, wl, url) + protection_problems(book.protected, wl, url, manager.email, self.owner)


def _add(read: FileOutcome | Problem, outcomes: list[FileOutcome], unmatched: list[Problem]) -> None:
    if isinstance(read, FileOutcome):
        outcomes.append(read)
    else:
        unmatched.append(read)


def _with(problems: tuple[Problem, ...], extra: list[Problem]) -> tuple[Problem, ...]:
    """Add Google's own findings, keeping one formula finding per cell."""
    seen = {(p.sheet, p.cell) for p in problems if p.kind == Kind.TAMPERED}
    return problems + tuple(p for p in extra if (p.sheet, p.cell) not in seen)


def _seconds(rfc3339: object) -> float:
    """Drive's "2026-12-03T09:30:00.000Z" as seconds since the epoch (0 when absent or unreadable)."""
    try:
        return datetime.fromisoformat(str(rfc3339).replace("Z", "+00:00")).timestamp() if rfc3339 else 0.0
    except ValueError:
        return 0.0
