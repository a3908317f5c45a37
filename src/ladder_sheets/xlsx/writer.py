"""Writes a WorkbookLayout as an .xlsx file with openpyxl (the only module that writes with it)."""

from __future__ import annotations

import io
from collections import defaultdict
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.pagebreak import Break, ColBreak
from openpyxl.worksheet.worksheet import Worksheet

from .. import files
from ..core.errors import WorkbookError
from ..core.cells import Cell, Check, Role, SheetLayout, Validation, WorkbookLayout
from ..core.styles import FONT, STYLES, Style

_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)


class _GrowingRow(RowDimension):  # type: ignore[misc]
    """A row height stored as the row's current height, not a fixed one (no ``customHeight``).

    Excel, LibreOffice and Google Sheets then grow the row again when someone types more
    text into one of its wrapped cells; a fixed height would clip long evidence.
    """

    @property
    def customHeight(self) -> bool:  # noqa: N802 - openpyxl's attribute name
        return False


def _openpyxl_style(style: Style) -> tuple[Font, PatternFill | None, Border | None, Alignment]:
    font = Font(name=FONT, size=style.size, bold=style.bold, italic=style.italic, color=style.color)
    fill = PatternFill("solid", fgColor=style.fill) if style.fill else None
    return font, fill, _BORDER if style.border else None, Alignment(wrap_text=style.wrap or None, vertical="top")


# Built once per process from styles.STYLES and shared by every workbook.
_STYLES = {name: _openpyxl_style(style) for name, style in STYLES.items()}


def write_workbook(layout: WorkbookLayout, path: Path) -> None:
    """Write one workbook, atomically."""
    write_bytes(workbook_bytes(layout), path)


def workbook_bytes(layout: WorkbookLayout) -> bytes:
    """The .xlsx file for a layout, in memory."""
    wb = Workbook()
    wb.remove(wb.active)
    looks: dict[tuple[str, str, bool], StyleArray] = {}
    for sheet in layout.sheets:
        ws = wb.create_sheet(sheet.title)
        _fill_sheet(ws, sheet, looks)
        for cell in sheet.cells:
            if cell.name:
                ref = f"'{sheet.title}'!${cell.column}${cell.row}"
                wb.defined_names[cell.name] = DefinedName(cell.name, attr_text=ref)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True  # no cached values: apps recalculate on open
    wb.properties.creator = "ladder-sheets"
    wb.properties.title = f"{layout.title}: {layout.quarter}"
    wb.properties.keywords = layout.template_version
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_bytes(data: bytes, path: Path) -> None:
    """Write a workbook's bytes atomically (``files.write_bytes``): a crash never leaves half a workbook."""
    try:
        files.write_bytes(path, data)
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot write workbook: {exc}") from exc


def _fill_sheet(ws: Worksheet, sheet: SheetLayout, looks: dict[tuple[str, str, bool], StyleArray]) -> None:
    validations: dict[Validation, list[str]] = defaultdict(list)
    for cell in sheet.cells:
        _write_cell(ws, cell, looks)
        if cell.validation is not None:
            validations[cell.validation].append(cell.ref)
    for validation, refs in validations.items():
        dv = _data_validation(validation)
        dv.sqref = " ".join(refs)
        ws.add_data_validation(dv)
    for rule in sheet.rules:
        font = Font(name=FONT, color=rule.font) if rule.font else None
        ws.conditional_formatting.add(
            rule.range, FormulaRule(formula=[rule.formula], fill=PatternFill("solid", bgColor=rule.fill), font=font)
        )
    for column, width in sheet.widths.items():
        ws.column_dimensions[column].width = width
    for column in sheet.hidden_columns:
        ws.column_dimensions[column].hidden = True
    for row, height in sheet.heights.items():
        ws.row_dimensions[row] = _GrowingRow(ws, index=row, ht=height)
    for merged in sheet.merges:
        ws.merge_cells(merged)
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    _print_setup(ws, sheet)
    ws.protection.sheet = True
    # Protected against edits, but people may still resize and reformat for reading.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _print_setup(ws: Worksheet, sheet: SheetLayout) -> None:
    """Set the sheet up to print for a review meeting: landscape, narrow margins.

    Either every column fits one page width, or (``print_scale``) the sheet prints at a
    fixed scale with a new page after each break column.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if sheet.print_scale:
        ws.page_setup.scale = sheet.print_scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.print_breaks:
        breaks = ColBreak()
        for column in sheet.print_breaks:
            breaks.append(Break(id=column_index_from_string(column)))
        ws.col_breaks = breaks
    if sheet.print_columns:
        ws.print_title_cols = sheet.print_columns
    if sheet.print_rows:
        ws.print_title_rows = sheet.print_rows


def _write_cell(ws: Worksheet, cell: Cell, looks: dict[tuple[str, str, bool], StyleArray]) -> None:
    target = ws[cell.ref]
    target.value = cell.value
    if isinstance(cell.value, str) and cell.role is not Role.FORMULA:
        target.data_type = "s"  # user and config text is data, never a formula
    # Setting font, fill, ... hashes each style object against the workbook's tables, and
    # dominated the write time; a cell's look is worked out once per workbook and then
    # copied, as openpyxl's own copy_worksheet does.
    look = (cell.style, cell.number_format, cell.role is Role.INPUT)
    if look in looks:
        target._style = copy(looks[look])
        return
    _style_cell(target, cell)
    looks[look] = copy(target._style)


def _style_cell(target: Any, cell: Cell) -> None:
    font, fill, border, alignment = _STYLES[cell.style]
    target.font = font
    if fill is not None:
        target.fill = fill
    if border is not None:
        target.border = border
    target.alignment = alignment
    if cell.number_format:
        target.number_format = cell.number_format
    if cell.role is Role.INPUT:
        target.protection = _UNLOCKED


def _data_validation(v: Validation) -> DataValidation:
    common = dict(showErrorMessage=True, errorStyle="stop", errorTitle=v.title, error=v.message,
                  showInputMessage=bool(v.message), promptTitle=v.title, prompt=v.message, allow_blank=True)
    if v.check in (Check.SCORE, Check.SCORE_OR_NA, Check.CHOICE):
        return DataValidation(type="list", formula1='"' + ",".join(v.options) + '"', **common)
    if v.check is Check.NUMBER:
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=str(v.minimum), **common)
    if v.check is Check.PERCENT:
        return DataValidation(type="whole", operator="between", formula1=str(int(v.minimum)),
                              formula2=str(int(v.maximum)), **common)
    return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(int(v.maximum)), **common)
