"""A workbook as a comparable snapshot: what a person opening it sees, without the bytes' incidental order."""

from __future__ import annotations

import io

import openpyxl


def snapshot(data: bytes) -> dict[str, object]:
    """What a person sees of every cell (value, type, lock, bold, fill, number format), the validations,
    the defined names, the title and which sheets are protected: two workbooks equal here look the same."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = {(ws.title, c.coordinate): (c.value, c.data_type, c.protection.locked, c.font.b, c.fill.fgColor.rgb,
                                        c.number_format)
             for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    validations = {(ws.title, str(dv.sqref), dv.formula1, dv.showErrorMessage) for ws in wb.worksheets
                   for dv in ws.data_validations.dataValidation}
    names = {n: str(wb.defined_names[n].attr_text) for n in wb.defined_names}
    return {"cells": cells, "validations": validations, "names": names, "title": wb.properties.title,
            "protected": [ws.protection.sheet for ws in wb.worksheets]}
