"""Returned workbooks held in memory, for the tests of the pure readers (no file, no spreadsheet app).

``laid_out`` puts a layout's cells on grids as its writer places them, with what a person
typed and what an app saved; ``Book`` hands them out as a ``WorkbookSource`` does and
records what the reader asked of it. Edits a user makes (a renamed sheet, an inserted
column, a copied sheet) are made on the grids before the Book is built.
"""

from __future__ import annotations

from collections.abc import Mapping

from ladder_sheets.core.cells import Role, WorkbookLayout
from ladder_sheets.core.inputs import CellError, RawValue
from ladder_sheets.core.readplan import column_index

Grid = list[list[RawValue]]


def laid_out(wl: WorkbookLayout, values: Mapping[str, RawValue] | None = None) -> dict[str, Grid]:
    """Each sheet of ``wl`` as written, then filled: inputs from ``values`` (by key), a formula cell holding
    its saved value from ``values`` (blank without one: never calculated), labels and facts as written."""
    values = values or {}
    grids: dict[str, Grid] = {}
    for sheet in wl.sheets:
        width = 1 + max(column_index(c.column) for c in sheet.cells)
        grid: Grid = [[""] * width for _ in range(max(c.row for c in sheet.cells))]
        for c in sheet.cells:
            if c.role in (Role.INPUT, Role.FORMULA, Role.RESERVED):
                value = values.get(c.key)
            else:
                value = values.get(c.key, c.value) if c.key else c.value
            grid[c.row - 1][column_index(c.column)] = "" if value is None else value
        grids[sheet.title] = grid
    return grids


def insert_column(grid: Grid, at: int) -> Grid:
    """``grid`` with an empty column inserted before column ``at`` (0-based), as a spreadsheet app inserts one."""
    return [[*row[:at], "", *row[at:]] for row in grid]


class Book:
    """A workbook as a reader hands it out (``reading.WorkbookSource``), from grids by sheet title, in order.

    ``errors`` are cells (0-based row, column) showing an error value, which the grid gives as ""
    when ``errors_read_as_blank`` (as the .xlsx reader does). ``reads`` and ``searched`` record the
    sheets whose grid and error cells were asked for, in order.
    """

    def __init__(self, grids: Mapping[str, Grid], *, errors: Mapping[str, Mapping[tuple[int, int], CellError]]
                 | None = None, errors_read_as_blank: bool = True, keeps_text_results: bool = True) -> None:
        self._grids = {title: [list(row) for row in grid] for title, grid in grids.items()}
        self._errors = errors or {}
        self.sheet_names = tuple(self._grids)
        self.errors_read_as_blank = errors_read_as_blank
        self.keeps_text_results = keeps_text_results
        self.reads: list[str] = []
        self.searched: list[str] = []

    def grid(self, title: str, rows: int) -> Grid:
        self.reads.append(title)
        return [list(row) for row in self._grids[title][:rows]]

    def error_cells(self, title: str) -> dict[tuple[int, int], CellError]:
        self.searched.append(title)
        return dict(self._errors.get(title, {}))

    def formula_cells(self, title: str) -> None:
        return None

    def number_format(self, title: str, row: int, column: int) -> str:
        return ""
