"""What a workbook layout shows once filled, with no spreadsheet app: its formulas worked out by the formulas package.

For the pure tests of the layouts (no file, no LibreOffice). ``Shown`` holds each sheet of a
layout as written (labels and facts), with inputs taken from the values given by key, and works
out a formula cell when it is asked for, over the cells it reads (on its own sheet or another,
single cells or ranges), as a spreadsheet would. A blank cell is blank to the formulas (not ""),
as it is in Excel and LibreOffice; the writers leave a cell holding "" blank too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from typing import Any

import formulas
import numpy as np
import schedula
from formulas.ranges import Ranges
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries

from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.model import CellValue


class Shown:
    """What each cell of ``wl`` shows when its inputs hold ``values`` (by key; absent keys as the layout wrote them)."""

    def __init__(self, wl: WorkbookLayout, values: Mapping[str, CellValue] | None = None) -> None:
        self.titles = {s.title.casefold(): s.title for s in wl.sheets}
        self.cells: dict[tuple[str, str], Cell] = {(s.title, c.ref): c for s in wl.sheets for c in s.cells}
        self._typed = dict(values or {})
        self._memo: dict[tuple[str, str], Any] = {}

    def __call__(self, sheet: str, ref: str) -> CellValue:
        """What ``sheet``!``ref`` shows: None when blank, a formula's value worked out, an error as its text."""
        value = self._value(sheet, ref)
        if value is schedula.EMPTY:
            return None
        return value if type(value) in (bool, int, float, str) else str(value)  # formulas' errors are a kind of str

    def key(self, wl_key: str) -> CellValue:
        """What the cell keyed ``wl_key`` shows."""
        sheet, ref = next((s, r) for (s, r), c in self.cells.items() if c.key == wl_key)
        return self(sheet, ref)

    def _value(self, sheet: str, ref: str) -> Any:
        at = (sheet, ref)
        if at not in self._memo:
            cell = self.cells.get(at)
            value: Any = None if cell is None else cell.value  # labels and facts as written
            if cell is not None and cell.role is Role.FORMULA and isinstance(cell.value, str):
                self._memo[at] = self._work_out(sheet, cell.value)  # a formula's "" is text, not a blank cell
                return self._memo[at]
            if cell is not None and cell.role in (Role.INPUT, Role.RESERVED):
                value = self._typed.get(cell.key, value)  # what was typed, else what the layout carried in
            self._memo[at] = schedula.EMPTY if value is None or value == "" else value
        return self._memo[at]

    def _work_out(self, sheet: str, formula: str) -> Any:
        f = _compiled(formula)
        out = f(*(self._input(sheet, name) for name in f.inputs))
        if isinstance(out, np.ndarray):
            if out.size != 1:
                raise ValueError(f"{sheet}: {formula} gave an array: {out!r}")
            out = out.item()
        return out.item() if isinstance(out, np.generic) else out

    def _input(self, sheet: str, name: str) -> Any:
        """A formula's input by the name the formulas package gives it: "C5", "'AMARA X'!$D$20", "B!A6:A8"."""
        where, _, ref = name.rpartition("!")
        title = self.titles[where.strip("'").replace("''", "'").casefold()] if where else sheet
        ref = ref.replace("$", "")
        if ":" not in ref:
            coordinate_from_string(ref)  # a name no cell has ("None" written for a cell) fails here, as in an app
            return self._value(title, ref)
        low_col, low_row, high_col, high_row = range_boundaries(ref)
        values = np.array([[self._value(title, f"{get_column_letter(c)}{r}") for c in range(low_col, high_col + 1)]
                           for r in range(low_row, high_row + 1)], dtype=object)
        return Ranges().push(ref, values)  # a range, not a bare array: ROWS and the like ask for its shape


def shown(sheet: SheetLayout, typed: Mapping[str, CellValue] | None = None,
          refs: Collection[str] | None = None) -> dict[str, CellValue]:
    """What one sheet shows, by reference ("G6"), blank cells as None: ``typed`` by key, only ``refs`` if given."""
    one = Shown(WorkbookLayout(None, "", "", (sheet,)), typed)
    return {ref: one(sheet.title, ref) for ref in ([c.ref for c in sheet.cells] if refs is None else refs)}


def cell_at(sheet: SheetLayout, ref: str) -> Cell:
    """The cell the layout places at ``ref``."""
    return next(c for c in sheet.cells if c.ref == ref)


def by_key(sheet: SheetLayout) -> dict[str, Cell]:
    """The sheet's cells that have a key, by key."""
    return {c.key: c for c in sheet.cells if c.key}


# A double minus in front of a value (after "(" or ","): the formulas package's parser cancels the two
# signs, so ``--ISNUMBER(...)`` stays TRUE/FALSE where a spreadsheet makes it 1/0; ``0+`` converts alike.
_DOUBLE_MINUS = re.compile(r"(?<=[(,])--")


@functools.cache
def _compiled(formula: str) -> Any:
    return formulas.Parser().ast(_DOUBLE_MINUS.sub("0+", formula))[1].compile()
