"""batchUpdate kinds that shape sheets: properties, cells, dimensions and merges, with Sheets' rules."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import a1, rules, schema
from .errors import bad_request
from .grid import positions, store
from .model import Sheet, new_sheet
from .realism import misparsed

if TYPE_CHECKING:
    from .batch import Batch

_READ_ONLY_CELL_FIELDS = ("effectiveValue", "formattedValue", "effectiveFormat")


def frozen(sheet: Sheet) -> tuple[int, int]:
    grid = sheet.properties.get("gridProperties") or {}
    return int(grid.get("frozenRowCount") or 0), int(grid.get("frozenColumnCount") or 0)


def merged_areas(b: Batch, sheet: Sheet) -> list[rules.Area]:
    return [b.book.grid(m)[1].bounded() for m in sheet.merges]


# ---- sheets and spreadsheet properties ----------------------------------------------------------


def add_sheet(b: Batch, spec: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(spec.get("properties") or {})
    taken = {s.title for s in b.book.sheets}
    n = len(b.book.sheets) + 1
    while f"Sheet{n}" in taken:
        n += 1
    props.setdefault("title", f"Sheet{n}")
    if props["title"] in taken:
        raise bad_request(f'A sheet with the name "{props["title"]}" already exists. Please enter another name.')
    if props.get("sheetId") is None:
        props["sheetId"] = b.call.state.new_number()
    elif any(s.sheet_id == int(props["sheetId"]) for s in b.book.sheets):
        raise bad_request(f"Sheet with id {props['sheetId']} already exists.")
    index = min(int(props.get("index", len(b.book.sheets))), len(b.book.sheets))
    for other in b.book.sheets:
        if other.properties.get("index", 0) >= index:
            other.properties["index"] = other.properties.get("index", 0) + 1
    props["index"] = index
    sheet = new_sheet(props)
    b.book.sheets.append(sheet)
    return {"properties": copy.deepcopy(sheet.properties)}


def update_sheet_properties(b: Batch, spec: dict[str, Any]) -> None:
    """Title, index and grid properties; a freeze may not cut through a merge."""
    tree = schema.update_mask(spec, "SheetProperties")
    incoming = spec.get("properties") or {}
    sheet = b.book.by_id(int(incoming.get("sheetId", 0)))
    props = copy.deepcopy(sheet.properties)
    schema.copy_masked(props, incoming, tree)
    props["sheetId"] = sheet.sheet_id
    if any(s is not sheet and s.title == props.get("title") for s in b.book.sheets):
        raise bad_request(f'A sheet with the name "{props.get("title")}" already exists. Please enter another name.')
    moved_to = props.get("index") if props.get("index") != sheet.properties.get("index") else None
    sheet.properties = props
    broken = rules.freeze_splits_merge(merged_areas(b, sheet), *frozen(sheet))
    if broken:
        raise bad_request(broken)
    if moved_to is not None:
        order = [s for s in b.book.ordered() if s is not sheet]
        order.insert(min(int(moved_to), len(order)), sheet)
        for i, s in enumerate(order):
            s.properties["index"] = i
    sheet.cells = {p: v for p, v in sheet.cells.items() if p[0] < sheet.rows and p[1] < sheet.cols}


def update_spreadsheet_properties(b: Batch, spec: dict[str, Any]) -> None:
    tree = schema.update_mask(spec, "SpreadsheetProperties")
    props = {"title": b.editor.file.name, **b.book.properties}
    schema.copy_masked(props, spec.get("properties") or {}, tree)
    b.editor.file.name = str(props.pop("title", b.editor.file.name))
    b.book.properties = props


# ---- cells ------------------------------------------------------------------------------------------


def update_cells(b: Batch, spec: dict[str, Any]) -> None:
    tree = schema.update_mask(spec, "CellData")
    rows = spec.get("rows") or []
    targets = {(dr, dc): data for dr, row in enumerate(rows) for dc, data in enumerate(row.get("values") or [])}
    if spec.get("range"):
        sheet, span = b.area(spec["range"])
        r0, r1, c0, c1 = span.bounded()
        placed = {(r0 + dr, c0 + dc): d for (dr, dc), d in targets.items() if r0 + dr < r1 and c0 + dc < c1}
        placed.update({p: {} for p in positions(span) if p not in placed})  # uncovered cells: masked fields cleared
    elif spec.get("start"):
        start = spec["start"]
        sheet = b.book.by_id(int(start.get("sheetId", 0)))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        placed = {(r0 + dr, c0 + dc): d for (dr, dc), d in targets.items()}
        if placed:
            sheet.fit(a1.Span(r0, max(r for r, _ in placed) + 1, c0, max(c for _, c in placed) + 1))
    else:
        raise bad_request("Either 'start' or 'range' must be set.")
    locale = str(b.book.properties.get("locale", "en_US"))
    for (r, c), data in sorted(placed.items()):
        _patch_cell(b, sheet, r, c, data, tree)
        formula = ((sheet.cells.get((r, c)) or {}).get("userEnteredValue") or {}).get("formulaValue")
        if formula and misparsed(str(formula), locale):  # Google parses formulas in the file's locale
            sheet.cells[(r, c)]["effectiveValue"] = {"errorValue": {"type": "ERROR", "message": "Formula parse error."}}


def _patch_cell(b: Batch, sheet: Sheet, r: int, c: int, data: dict[str, Any], tree: schema.MaskTree) -> None:
    """Copy the masked CellData fields of ``data`` into the cell (absent ones are cleared)."""
    b.editor.check(sheet, r, c)
    cell = copy.deepcopy(sheet.cells.get((r, c), {}))
    incoming = {k: v for k, v in data.items() if k not in _READ_ONLY_CELL_FIELDS}
    schema.copy_masked(cell, incoming, tree)
    if "*" in tree or "userEnteredValue" in tree:
        cell.pop("effectiveValue", None)
        sheet.edited_by[(r, c)] = b.user
    store(sheet, r, c, cell)


# ---- dimensions and merges -------------------------------------------------------------------------------


def update_dimension_properties(b: Batch, spec: dict[str, Any]) -> None:
    """Sizes and visibility of rows or columns, which must exist (no silent growth)."""
    tree = schema.update_mask(spec, "DimensionProperties")
    dimension = spec.get("range") or {}
    sheet = b.book.by_id(int(dimension.get("sheetId", 0)))
    rows = dimension.get("dimension") == "ROWS"
    size = sheet.rows if rows else sheet.cols
    start, end = int(dimension.get("startIndex", 0)), int(dimension.get("endIndex", size))
    sheet.fit(a1.Span(start, end, 0, None) if rows else a1.Span(0, None, start, end))  # no silent growth
    meta = sheet.row_meta if rows else sheet.col_meta
    for index in range(start, end):
        schema.copy_masked(meta.setdefault(index, {}), spec.get("properties") or {}, tree)


def merge_cells(b: Batch, spec: dict[str, Any]) -> None:
    """MERGE_ALL: the area keeps only its top-left value, as in Sheets; frozen edges and partial
    overlaps with other merges are refused."""
    if (spec.get("mergeType") or "MERGE_ALL") != "MERGE_ALL":
        raise bad_request("the stand-in implements mergeType MERGE_ALL only")
    sheet, span = b.area(spec.get("range") or {})
    area = span.bounded()
    broken = rules.merge_across_freeze(area, *frozen(sheet)) or rules.merge_overlaps(area, merged_areas(b, sheet))
    if broken:
        raise bad_request(broken)
    r0, _, c0, _ = area
    for r, c in positions(span):
        if (r, c) != (r0, c0) and "userEnteredValue" in sheet.cells.get((r, c), {}):
            b.editor.set_value(sheet, r, c, None, "range", validate=False)
    sheet.merges = [m for m in sheet.merges if not _swallowed(b, m, area)]  # what overlaps lies wholly inside
    sheet.merges.append({"sheetId": sheet.sheet_id, "startRowIndex": area[0], "endRowIndex": area[1],
                         "startColumnIndex": area[2], "endColumnIndex": area[3]})


def _swallowed(b: Batch, merge: dict[str, Any], area: rules.Area) -> bool:
    r0, r1, c0, c1 = b.book.grid(merge)[1].bounded()
    return area[0] <= r0 and r1 <= area[1] and area[2] <= c0 and c1 <= area[3]
