"""The Google Sheets v4 ``batchUpdate`` requests that build one SE's spreadsheet.

Pure: walks the same cells.WorkbookLayout as the Excel writer and returns plain JSON
dicts, so one request carries every sheet, value, format, validation, protection,
conditional format and named range. ``client`` sends them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..core.cells import Cell, Check, ConditionalRule, Editor, Role, SheetLayout, Validation, WorkbookLayout, number_literal
from ..core.readplan import column_index
from ..core.styles import STYLES, Style

JSON = dict[str, Any]
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_PX_PER_WIDTH = 7.0  # Excel column-width units to pixels
_PX_PER_POINT = 4 / 3


def grid_range(sheet_id: int, ref: str) -> JSON:
    """A1 ("G6" or "G6:H16") -> GridRange (end indexes exclusive)."""
    first, _, last = ref.partition(":")
    c1, r1 = _split(first)
    c2, r2 = _split(last or first)
    return {"sheetId": sheet_id, "startRowIndex": r1, "endRowIndex": r2 + 1,
            "startColumnIndex": c1, "endColumnIndex": c2 + 1}


def _split(ref: str) -> tuple[int, int]:
    match = _REF.match(ref)
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    return column_index(match.group(1)), int(match.group(2)) - 1


def color(hex_rgb: str) -> JSON:
    return {"red": int(hex_rgb[0:2], 16) / 255, "green": int(hex_rgb[2:4], 16) / 255, "blue": int(hex_rgb[4:6], 16) / 255}


def cell_format(style: Style, number_format: str) -> JSON:
    fmt: JSON = {
        "textFormat": {"fontFamily": "Calibri", "fontSize": int(style.size), "bold": style.bold,
                       "italic": style.italic, "foregroundColor": color(style.color)},
        "verticalAlignment": "TOP",
        "wrapStrategy": "WRAP" if style.wrap else "OVERFLOW_CELL",
    }
    if style.fill:
        fmt["backgroundColor"] = color(style.fill)
    if style.border:
        line = {"style": "SOLID", "color": color("BFBFBF")}
        fmt["borders"] = {"top": line, "bottom": line, "left": line, "right": line}
    if number_format.startswith("@"):  # a text cell keeps what is typed (evidence's spare lines are for print apps)
        fmt["numberFormat"] = {"type": "TEXT"}
    elif number_format:
        fmt["numberFormat"] = {"type": "PERCENT" if "%" in number_format else "NUMBER", "pattern": number_format}
    return fmt


def validation_rule(v: Validation, ref: str) -> JSON:
    """The Sheets equivalent of the Excel data validation; strict, so other values are rejected."""
    condition: JSON
    if v.check in (Check.SCORE, Check.SCORE_OR_NA, Check.CHOICE):
        condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": o} for o in v.options]}
    elif v.check is Check.NUMBER:
        condition = {"type": "NUMBER_GREATER_THAN_EQ", "values": [{"userEnteredValue": number_literal(v.minimum)}]}
    elif v.check is Check.PERCENT:
        formula = f"=AND(ISNUMBER({ref}),{ref}=INT({ref}),{ref}>={number_literal(v.minimum)},{ref}<={number_literal(v.maximum)})"
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
    else:
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": f"=LEN({ref})<={number_literal(v.maximum)}"}]}
    return {"condition": condition, "strict": True, "showCustomUi": True, "inputMessage": v.message}


def cell_data(cell: Cell) -> JSON:
    data: JSON = {"userEnteredFormat": cell_format(STYLES[cell.style], cell.number_format)}
    value = cell.value
    if cell.role is Role.FORMULA:
        data["userEnteredValue"] = {"formulaValue": value}
    elif isinstance(value, bool):
        data["userEnteredValue"] = {"boolValue": value}
    elif isinstance(value, (int, float)):
        data["userEnteredValue"] = {"numberValue": value}
    elif isinstance(value, str) and value != "":
        data["userEnteredValue"] = {"stringValue": value}  # a string value is never parsed as a formula
    if cell.validation is not None:
        data["dataValidation"] = validation_rule(cell.validation, cell.ref)
    return data


def _rows(sheet: SheetLayout) -> list[JSON]:
    """Every row from 1 to the last used, every column from A to the last used, as RowData."""
    by_pos = {(c.row, column_index(c.column)): c for c in sheet.cells}
    last_row = max(r for r, _ in by_pos)
    last_col = max(c for _, c in by_pos)
    rows = []
    for r in range(1, last_row + 1):
        rows.append({"values": [cell_data(by_pos[(r, c)]) if (r, c) in by_pos else {} for c in range(last_col + 1)]})
    return rows


def sheet_size(sheet: SheetLayout) -> tuple[int, int]:
    """Rows and columns a sheet needs (a little spare room for notes)."""
    return max(c.row for c in sheet.cells) + 5, max(column_index(c.column) for c in sheet.cells) + 2


def sheet_properties(sheet: SheetLayout, sheet_id: int, index: int) -> JSON:
    rows, cols = sheet_size(sheet)
    grid: JSON = {"rowCount": rows, "columnCount": cols}
    if sheet.freeze:
        col, row = _split(sheet.freeze)
        grid |= {"frozenRowCount": row, "frozenColumnCount": col}
    return {"sheetId": sheet_id, "title": sheet.title, "index": index, "gridProperties": grid}


DEFAULT_LOCALE = FORMULA_LOCALE = "en_US"
DEFAULT_TIME_ZONE = "Etc/GMT"


def build_requests(layout: WorkbookLayout, first_sheet_id: int, owner: str, manager: str, *,
                   locale: str = DEFAULT_LOCALE, time_zone: str = DEFAULT_TIME_ZONE) -> list[JSON]:
    """All batchUpdate requests for a new spreadsheet whose only sheet has id ``first_sheet_id``.

    Google parses formulas in the spreadsheet's locale, and a file created by someone whose
    Drive is in German or French would read the ``0.85`` in a band formula with a decimal
    comma. Requests in a batch apply in order, so the first one sets en_US (the syntax the
    layout's formulas are written in) and the time zone, and when another ``locale`` is
    wanted the last one switches to it: formulas already entered are kept and shown in the
    new locale's notation. No extra request either way. Number-format patterns are
    locale-independent in the API; pull reads numbers, never their formatted text.

    The first layout sheet takes over the existing sheet; the others are added with the
    ids 1..n (so later requests in the same batch can refer to them).
    """
    requests: list[JSON] = [{"updateSpreadsheetProperties": {
        "properties": {"locale": FORMULA_LOCALE, "timeZone": time_zone}, "fields": "locale,timeZone"}}]
    ids = [first_sheet_id, *range(first_sheet_id + 1, first_sheet_id + len(layout.sheets))]
    for index, (sheet, sheet_id) in enumerate(zip(layout.sheets, ids)):
        props = sheet_properties(sheet, sheet_id, index)
        if index == 0:
            requests.append({"updateSheetProperties": {"properties": props, "fields": "title,index,gridProperties"}})
        else:
            requests.append({"addSheet": {"properties": props}})
    for sheet, sheet_id in zip(layout.sheets, ids):
        requests += _sheet_requests(sheet, sheet_id, owner, manager)
    if locale != FORMULA_LOCALE:
        requests.append({"updateSpreadsheetProperties": {"properties": {"locale": locale}, "fields": "locale"}})
    return requests


def _sheet_requests(sheet: SheetLayout, sheet_id: int, owner: str, manager: str) -> list[JSON]:
    out: list[JSON] = [{"updateCells": {"rows": _rows(sheet), "fields": "userEnteredValue,userEnteredFormat,dataValidation",
                                        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0}}}]
    out += _dimensions(sheet, sheet_id)
    out += [{"mergeCells": {"range": grid_range(sheet_id, m), "mergeType": "MERGE_ALL"}} for m in sheet.merges]
    out += [_conditional(rule, sheet_id, i) for i, rule in enumerate(sheet.rules)]
    out += [{"addNamedRange": {"namedRange": {"name": c.name, "range": grid_range(sheet_id, c.ref)}}}
            for c in sheet.cells if c.name]
    out += _protection(sheet, sheet_id, owner, manager)
    return out


def _dimensions(sheet: SheetLayout, sheet_id: int) -> Iterable[JSON]:
    for column, width in sheet.widths.items():
        i = column_index(column)
        yield _dimension(sheet_id, "COLUMNS", i, {"pixelSize": round(width * _PX_PER_WIDTH)}, "pixelSize")
    for column in sheet.hidden_columns:
        i = column_index(column)
        yield _dimension(sheet_id, "COLUMNS", i, {"hiddenByUser": True}, "hiddenByUser")
    # Sheets fits a row of default height to its wrapped text as people type; a pixelSize would freeze
    # it (a manually sized row never grows). Rows where someone types wrapped text (evidence, the
    # manager's comment, notes) keep the default, every other row the height its fixed text needs.
    typed = {c.row for c in sheet.cells if c.role is Role.INPUT and c.style == "input_wrap"}
    for row, height in sheet.heights.items():
        if row not in typed:
            yield _dimension(sheet_id, "ROWS", row - 1, {"pixelSize": round(height * _PX_PER_POINT)}, "pixelSize")


def _dimension(sheet_id: int, dimension: str, index: int, properties: JSON, fields: str) -> JSON:
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": dimension, "startIndex": index, "endIndex": index + 1},
        "properties": properties, "fields": fields}}


def _conditional(rule: ConditionalRule, sheet_id: int, index: int) -> JSON:
    fmt: JSON = {"backgroundColor": color(rule.fill)}
    if rule.font:
        fmt["textFormat"] = {"foregroundColor": color(rule.font)}
    return {"addConditionalFormatRule": {"index": index, "rule": {
        "ranges": [grid_range(sheet_id, rule.range)],
        "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=" + rule.formula}]},
                        "format": fmt}}}}


def _protection(sheet: SheetLayout, sheet_id: int, owner: str, manager: str) -> list[JSON]:
    """The sheet is protected but for its input cells; inputs of any role other than the SE's
    (manager scores, manager comments...) get ranges only that person and the owner may edit.

    Google applies every protection covering a cell, so those cells are left out of the
    sheet-wide protection and covered by their own, narrower ones. Built from the layout's
    editor roles, so a new manager column is protected without a change here.
    """
    inputs: dict[Editor, list[Cell]] = defaultdict(list)
    for cell in sheet.cells:
        if cell.role is Role.INPUT:
            inputs[cell.editor].append(cell)
    all_inputs = [c for cells in inputs.values() for c in cells]
    people = {Editor.MANAGER: manager}
    out: list[JSON] = [{"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id},
        "description": f"{sheet.title}: calculated and fixed cells (ladder-sheets)",
        "warningOnly": False,
        "editors": {"users": [owner] if owner else []},  # the owner may edit anyway; "" when unknown (OAuth)
        "unprotectedRanges": [grid_range(sheet_id, c.ref) for c in all_inputs],
    }}}]
    for role, cells in inputs.items():
        if role is Editor.SE:
            continue
        for cell_range in _blocks(cells):
            out.append({"addProtectedRange": {"protectedRange": {
                "range": grid_range(sheet_id, cell_range),
                "description": f"{sheet.title}: {role.value} inputs, editable by the {role.value} only",
                "warningOnly": False,
                "editors": {"users": sorted({owner, people.get(role, "")} - {""})},
            }}})
    return out


def _blocks(cells: list[Cell]) -> list[str]:
    """Contiguous vertical runs of cells in one column, as A1 ranges."""
    runs: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (column_index(c.column), c.row)):
        if runs and runs[-1][-1].column == cell.column and runs[-1][-1].row + 1 == cell.row:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    return [f"{r[0].ref}:{r[-1].ref}" if len(r) > 1 else r[0].ref for r in runs]
