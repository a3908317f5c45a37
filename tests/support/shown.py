"""What a laid-out sheet shows once values are typed in: formulas worked out by the formulas library.

For the pure tests of the layouts (no file, no LibreOffice): the inputs hold what a person typed
(by key), labels what the layout wrote, and each formula cell what the formulas package works
out over the cells it refers to, ranges included. Only references within the sheet are
followed: every formula the layouts write reads its own sheet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from typing import Any

import formulas
import numpy as np
from formulas.ranges import Ranges
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from schedula import EMPTY

from ladder_sheets.core.cells import Cell, Role, SheetLayout
from ladder_sheets.core.model import CellValue

# formulas 1.3.4 reads "--x" as "+x", which leaves TRUE and FALSE as they are (SUMPRODUCT then
# counts them as 0); a spreadsheet turns them into 1 and 0. "0+x" does, and is the same number
# wherever the layouts write "--" (at the start of an argument).
_DOUBLE_MINUS = re.compile(r"(?<=[(,])--")


def shown(sheet: SheetLayout, typed: Mapping[str, CellValue] | None = None,
          refs: Collection[str] | None = None) -> dict[str, CellValue]:
    """Every cell's value as the sheet shows it, by reference ("G6"): blank cells are None.

    ``typed``: what was typed into the input cells, by key; a formula shows its result.
    ``refs``: only these cells (and what they refer to) are worked out.
    """
    typed = typed or {}
    cells = {c.ref: c for c in sheet.cells}
    out: dict[str, Any] = {}

    def value(ref: str) -> Any:
        if ref not in out:
            cell = cells.get(ref)
            if cell is None:
                out[ref] = EMPTY
            elif cell.role is Role.FORMULA:
                out[ref] = _scalar(_worked_out(str(cell.value), value))
            elif cell.role in (Role.INPUT, Role.RESERVED):
                out[ref] = _or_empty(typed.get(cell.key))
            else:
                out[ref] = _or_empty(cell.value)
        return out[ref]

    return {ref: _plain(value(ref)) for ref in (cells if refs is None else refs)}


@functools.cache
def _compiled(formula: str) -> Any:
    return formulas.Parser().ast(_DOUBLE_MINUS.sub("0+", formula))[1].compile()


def _worked_out(formula: str, value: Any) -> Any:
    f = _compiled(formula)
    return f(*(_operand(name, value) for name in f.inputs))


def _operand(name: str, value: Any) -> Any:
    """A reference as the compiled formula takes it: its cells' values, a range as a grid."""
    left, top, right, bottom = range_boundaries(name)
    grid = np.array([[value(f"{get_column_letter(col)}{row}") for col in range(left, right + 1)]
                     for row in range(top, bottom + 1)], dtype=object)
    return Ranges().push(name, grid)


def _or_empty(v: CellValue) -> Any:
    return EMPTY if v is None or v == "" else v


def _scalar(v: Any) -> Any:
    """A formula's result as one cell holds it: a one-cell array as its cell, numpy numbers as Python's."""
    if isinstance(v, np.ndarray):
        if v.size != 1:
            raise ValueError(f"a formula gave an array: {v!r}")
        v = v.item()
    return v.item() if isinstance(v, np.generic) else v


def _plain(v: Any) -> CellValue:
    """A cell's value as a Python value: None when blank, an error value as its text ("#VALUE!")."""
    if v is EMPTY:
        return None
    return v if type(v) in (bool, int, float, str) else str(v)  # formulas' errors are a kind of str


def cell_at(sheet: SheetLayout, ref: str) -> Cell:
    """The cell the layout places at ``ref``."""
    return next(c for c in sheet.cells if c.ref == ref)


def by_key(sheet: SheetLayout) -> dict[str, Cell]:
    """The sheet's cells that have a key, by key."""
    return {c.key: c for c in sheet.cells if c.key}
