"""``pull``: read every SE's Google spreadsheet back (one request each) and check it exactly as ``collect`` checks files.

The same Job/examine as collect, over a GridWorkbook instead of a file, so both give the
same Results. Google also returns each formula's text, so a formula overwritten with
anything else is caught even when its value happens to look right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from ..core import quarter as quarters
from ..core.examine import FileOutcome, Job, assemble, examine
from ..core.errors import ConfigError, ServiceError
from .client import Sheets, StopRun
from ..core.inputs import CellError, RawValue
from ..core.layout import Role, WorkbookLayout
from ..core.model import Ladder, Roster
from ..core.readplan import ReadPlan, column_index, plan
from ..core.results import Kind, Problem, Results
from .sync_state import Stage, SyncState


class GridWorkbook:
    """A spreadsheet as returned by ``spreadsheets.get`` with grid data: values and formula texts."""

    errors_read_as_blank = False  # Google returns errorValue, read as "#N/A" etc.
    keeps_text_results = True

    def __init__(self, grid: Mapping[str, Any]) -> None:
        self._cells: dict[str, dict[tuple[int, int], Mapping[str, Any]]] = {}
        for sheet in grid.get("sheets", []):
            title = sheet["properties"]["title"]
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

    A score chosen from a dropdown may come back as the number 2 or the text "2": both are
    read as the score (core.inputs matches list options by their text).
    """
    try:
        quarters.parse(quarter)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    qstate = state.quarters.get(quarter)
    if qstate is None or not qstate.people:
        raise ConfigError(f"{state.path}: nothing was pushed for {quarter}; run `ladder-sheets push` first")
    job = Job(ladder, roster, quarter)
    outcomes: list[FileOutcome] = []
    unmatched: list[Problem] = []
    for person in roster.people:
        entry = qstate.people.get(person.id)
        if entry is not None and entry.stage in (Stage.BUILT, Stage.SHARED):
            try:
                book = GridWorkbook(sheets.read_grid(entry.spreadsheet_id))
            except StopRun:
                raise  # credentials, scopes or network: every further read would fail alike
            except ServiceError as exc:
                unmatched.append(Problem(entry.url, "", "", Kind.UNREADABLE, f"{person.id}: {exc}"))
            else:
                outcome = examine(job, book, entry.url, 0.0)
                extra = formula_problems(book, job.shape_for(person).layout, entry.url, outcome.moved)
                outcomes.append(_with(outcome, extra))
        if progress:
            progress(person.id)
    return assemble(ladder, roster, quarter, outcomes, unmatched, "google-sheets")


def _with(outcome: FileOutcome, extra: list[Problem]) -> FileOutcome:
    """Add formula-text findings, keeping one finding per cell."""
    seen = {(p.sheet, p.cell) for p in outcome.problems if p.kind == Kind.TAMPERED}
    new = tuple(p for p in extra if (p.sheet, p.cell) not in seen)
    return replace(outcome, problems=outcome.problems + new) if new else outcome
