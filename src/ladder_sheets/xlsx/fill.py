"""Type values into a generated workbook by layout key, as a person would in a spreadsheet app.

Used by the sample returns of ``make demo`` (``workflows.sample``): strings are stored as
text (never formulas), numbers as numbers, exactly where the layout put each input.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

import openpyxl

from ..core.cells import WorkbookLayout
from ..core.model import CellValue


def fill(data: bytes, layout: WorkbookLayout, values: Mapping[str, CellValue]) -> bytes:
    """The workbook ``data`` with ``values`` (by layout key) typed in. Raises KeyError for an unknown key."""
    cells = layout.by_key()
    book = openpyxl.load_workbook(BytesIO(data))
    for key, value in values.items():
        sheet, cell = cells[key]
        target = book[sheet.title][cell.ref]
        target.value = value
        if isinstance(value, str):
            target.data_type = "s"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
