"""spreadsheets.batchUpdate: the request kinds ladder-sheets and gspread send, applied all-or-nothing.

Each kind is a small function returning its reply (or None for kinds Google answers
with ``{}``). A failure anywhere fails the whole batch with Google's
``Invalid requests[i].kind: ...`` message and nothing is applied. Kinds not listed in
HANDLERS are refused with a message saying the stand-in lacks them, so a test never
passes on a request the stand-in silently ignored.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import a1, schema
from .call import Call
from .errors import ApiError, bad_request
from .grid import PROTECTED, Editor, positions, protected_out, spreadsheet_resource, store
from .model import Book, Sheet, new_sheet
from .realism import misparsed

_READ_ONLY_CELL_FIELDS = ("effectiveValue", "formattedValue", "effectiveFormat")
_VALUE_COUNTS = {"NUMBER_BETWEEN": (2, 2), "NUMBER_NOT_BETWEEN": (2, 2), "DATE_BETWEEN": (2, 2),
                 "DATE_NOT_BETWEEN": (2, 2), "ONE_OF_LIST": (1, 500), "ONE_OF_RANGE": (1, 1), "BOOLEAN": (0, 2),
                 "NUMBER_GREATER": (1, 1), "NUMBER_GREATER_THAN_EQ": (1, 1), "NUMBER_LESS": (1, 1),
                 "NUMBER_LESS_THAN_EQ": (1, 1), "NUMBER_EQ": (1, 1), "NUMBER_NOT_EQ": (1, 1),
                 "CUSTOM_FORMULA": (1, 1), "TEXT_CONTAINS": (1, 1), "TEXT_NOT_CONTAINS": (1, 1), "TEXT_EQ": (1, 1)}


def batch_update(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    """Apply every request to a copy; the copy replaces the file only when all succeeded."""
    file = call.state.spreadsheet(spreadsheet_id, call.user, "writer")
    draft = file.draft()
    batch = Batch(call, Editor(draft, call.user))
    replies = batch.run((call.body or {}).get("requests") or [])
    call.state.files[file.id] = draft
    call.state.touch(draft, call.user)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id, "replies": replies}
    if (call.body or {}).get("includeSpreadsheetInResponse"):
        out["updatedSpreadsheet"] = spreadsheet_resource(batch.editor, [], False)
    return out


class Batch:
    """The draft being changed and who changes it."""

    def __init__(self, call: Call, editor: Editor) -> None:
        self.call = call
        self.editor = editor

    @property
    def book(self) -> Book:
        return self.editor.book

    @property
    def user(self) -> str:
        return self.editor.user

    def run(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        replies = []
        for i, request in enumerate(requests):
            chosen = [(k, v) for k, v in request.items() if v is not None]
            if not chosen:
                raise bad_request(f"Invalid requests[{i}]: No request set.")
            kind, spec = chosen[0]
            handler = HANDLERS.get(kind)
            if handler is None:
                raise bad_request(f"Invalid requests[{i}].{kind}: the stand-in does not implement {kind}")
            try:
                reply = handler(self, spec)
            except ApiError as exc:
                if exc.code != 400:
                    raise
                raise bad_request(f"Invalid requests[{i}].{kind}: {exc.message}") from None
            replies.append({kind: reply} if reply is not None else {})
        return replies

    def area(self, grid_range: dict[str, Any]) -> tuple[Sheet, a1.Span]:
        sheet, span = self.book.grid(grid_range)
        return sheet, sheet.fit(span)

    def patch_cell(self, sheet: Sheet, r: int, c: int, data: dict[str, Any], tree: schema.MaskTree) -> None:
        """Copy the masked CellData fields of ``data`` into the cell (absent ones are cleared)."""
        self.editor.check(sheet, r, c)
        cell = copy.deepcopy(sheet.cells.get((r, c), {}))
        incoming = {k: v for k, v in data.items() if k not in _READ_ONLY_CELL_FIELDS}
        copy_masked(cell, incoming, tree)
        if "*" in tree or "userEnteredValue" in tree:
            cell.pop("effectiveValue", None)
            sheet.edited_by[(r, c)] = self.user
        store(sheet, r, c, cell)


def mask(spec: dict[str, Any], schema_name: str) -> schema.MaskTree:
    """The request's ``fields`` as a tree, checked against the schema it selects from."""
    fields = str(spec.get("fields") or "").strip()
    if not fields:
        raise bad_request("At least one field must be specified in 'fields'.")
    tree = schema.parse_mask(fields)
    schema.check_mask("sheets", schema_name, tree)
    return tree


def copy_masked(target: dict[str, Any], source: dict[str, Any], tree: schema.MaskTree) -> None:
    """Field-mask update semantics: selected fields take the source's value or are cleared."""
    if "*" in tree:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in tree.items():
        if sub is None:
            if source.get(key) is not None:
                target[key] = copy.deepcopy(source[key])
            else:
                target.pop(key, None)
            continue
        child = dict(target.get(key) or {})
        copy_masked(child, source.get(key) or {}, sub)
        if child:
            target[key] = child
        else:
            target.pop(key, None)


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


def delete_sheet(b: Batch, spec: dict[str, Any]) -> None:
    sheet = b.book.by_id(int(spec.get("sheetId", 0)))
    if len(b.book.sheets) == 1:
        raise bad_request("You can't remove all the sheets in a document.")
    b.book.sheets.remove(sheet)
    b.book.named_ranges = [n for n in b.book.named_ranges if int(n["range"].get("sheetId", 0)) != sheet.sheet_id]
    b.book.reindex()


def update_sheet_properties(b: Batch, spec: dict[str, Any]) -> None:
    tree = mask(spec, "SheetProperties")
    incoming = spec.get("properties") or {}
    sheet = b.book.by_id(int(incoming.get("sheetId", 0)))
    props = copy.deepcopy(sheet.properties)
    copy_masked(props, incoming, tree)
    props["sheetId"] = sheet.sheet_id
    if any(s is not sheet and s.title == props.get("title") for s in b.book.sheets):
        raise bad_request(f'A sheet with the name "{props.get("title")}" already exists. Please enter another name.')
    moved_to = props.get("index") if props.get("index") != sheet.properties.get("index") else None
    sheet.properties = props
    if moved_to is not None:
        order = [s for s in b.book.ordered() if s is not sheet]
        order.insert(min(int(moved_to), len(order)), sheet)
        for i, s in enumerate(order):
            s.properties["index"] = i
    sheet.cells = {p: v for p, v in sheet.cells.items() if p[0] < sheet.rows and p[1] < sheet.cols}


def update_spreadsheet_properties(b: Batch, spec: dict[str, Any]) -> None:
    tree = mask(spec, "SpreadsheetProperties")
    props = {"title": b.editor.file.name, **b.book.properties}
    copy_masked(props, spec.get("properties") or {}, tree)
    b.editor.file.name = str(props.pop("title", b.editor.file.name))
    b.book.properties = props


def append_dimension(b: Batch, spec: dict[str, Any]) -> None:
    sheet = b.book.by_id(int(spec.get("sheetId", 0)))
    key = "rowCount" if spec.get("dimension") == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += int(spec.get("length", 0))


# ---- cells ------------------------------------------------------------------------------------------


def update_cells(b: Batch, spec: dict[str, Any]) -> None:
    tree = mask(spec, "CellData")
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
        b.patch_cell(sheet, r, c, data, tree)
        formula = ((sheet.cells.get((r, c)) or {}).get("userEnteredValue") or {}).get("formulaValue")
        if formula and misparsed(str(formula), locale):  # Google parses formulas in the file's locale
            sheet.cells[(r, c)]["effectiveValue"] = {"errorValue": {"type": "ERROR", "message": "Formula parse error."}}


def repeat_cell(b: Batch, spec: dict[str, Any]) -> None:
    tree = mask(spec, "CellData")
    sheet, span = b.area(spec.get("range") or {})
    for r, c in positions(span):
        b.patch_cell(sheet, r, c, spec.get("cell") or {}, tree)


def set_data_validation(b: Batch, spec: dict[str, Any]) -> None:
    """Store (or with no rule, clear) a rule on every cell of the range."""
    rule = spec.get("rule")
    if rule:
        _check_condition(rule.get("condition") or {})
    sheet, span = b.area(spec.get("range") or {})
    for r, c in positions(span):
        b.editor.check(sheet, r, c)
        cell = dict(sheet.cells.get((r, c), {}))
        if rule:
            cell["dataValidation"] = copy.deepcopy(rule)
        else:
            cell.pop("dataValidation", None)
        store(sheet, r, c, cell)


def _check_condition(condition: dict[str, Any]) -> None:
    kind = condition.get("type", "")
    low, high = _VALUE_COUNTS.get(kind, (0, 500))
    count = len(condition.get("values") or [])
    if not low <= count <= high:
        raise bad_request(f"ConditionType '{kind}' requires {low if low == high else f'{low} to {high}'} "
                          f"ConditionValue(s), but {count} were specified.")


def merge_cells(b: Batch, spec: dict[str, Any]) -> None:
    """Merged areas keep only their top-left value, as in Sheets."""
    sheet, span = b.area(spec.get("range") or {})
    _check_whole_merges(b, sheet, span)
    r0, r1, c0, c1 = span.bounded()
    kind = spec.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_ROWS":
        areas = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        areas = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        areas = [(r0, r1, c0, c1)]
    for ar0, ar1, ac0, ac1 in areas:
        for r, c in positions(a1.Span(ar0, ar1, ac0, ac1)):
            if (r, c) != (ar0, ac0) and "userEnteredValue" in sheet.cells.get((r, c), {}):
                b.editor.set_value(sheet, r, c, None, "range", validate=False)
        sheet.merges.append({"sheetId": sheet.sheet_id, "startRowIndex": ar0, "endRowIndex": ar1,
                             "startColumnIndex": ac0, "endColumnIndex": ac1})


def unmerge_cells(b: Batch, spec: dict[str, Any]) -> None:
    sheet, span = b.area(spec.get("range") or {})
    _check_whole_merges(b, sheet, span)
    sheet.merges = [m for m in sheet.merges if not _inside(b, m, span)]


def _check_whole_merges(b: Batch, sheet: Sheet, span: a1.Span) -> None:
    for merge in sheet.merges:
        overlaps = any(span.contains(r, c) for r, c in positions(b.book.grid(merge)[1]))
        if overlaps and not _inside(b, merge, span):
            raise bad_request("You must select all cells in a merged cell to merge or unmerge them.")


def _inside(b: Batch, merge: dict[str, Any], span: a1.Span) -> bool:
    r0, r1, c0, c1 = b.book.grid(merge)[1].bounded()
    return span.contains(r0, c0) and span.contains(r1 - 1, c1 - 1)


# ---- dimensions -------------------------------------------------------------------------------------


def update_dimension_properties(b: Batch, spec: dict[str, Any]) -> None:
    tree = mask(spec, "DimensionProperties")
    dimension = spec.get("range") or {}
    sheet = b.book.by_id(int(dimension.get("sheetId", 0)))
    rows = dimension.get("dimension") == "ROWS"
    size = sheet.rows if rows else sheet.cols
    meta = sheet.row_meta if rows else sheet.col_meta
    for index in range(int(dimension.get("startIndex", 0)), min(int(dimension.get("endIndex", size)), size)):
        entry = meta.setdefault(index, {})
        copy_masked(entry, spec.get("properties") or {}, tree)


def auto_resize_dimensions(b: Batch, spec: dict[str, Any]) -> None:
    """Recorded only: there are no fonts to measure here."""
    dimensions = spec.get("dimensions") or {}
    b.book.by_id(int(dimensions.get("sheetId", 0))).auto_resized.append(copy.deepcopy(dimensions))


# ---- protection, conditional formats, named ranges ----------------------------------------------------


def add_protected_range(b: Batch, spec: dict[str, Any]) -> dict[str, Any]:
    """The file's owner is always an editor; a requester who is not the owner must list themselves."""
    protected = copy.deepcopy(spec.get("protectedRange") or {})
    protected.pop("requestingUserCanEdit", None)
    sheet = _protected_sheet(b, protected)
    if protected.get("protectedRangeId") is None:
        protected["protectedRangeId"] = b.call.state.new_number()
    elif _find_protected(b, int(protected["protectedRangeId"])) is not None:
        raise bad_request(f"A protected range with ID {protected['protectedRangeId']} already exists.")
    _settle_editors(b, protected)
    sheet.protected.append(protected)
    return {"protectedRange": protected_out(b.editor, protected)}


def update_protected_range(b: Batch, spec: dict[str, Any]) -> None:
    tree = mask(spec, "ProtectedRange")
    incoming = spec.get("protectedRange") or {}
    sheet, protected = _editable_protected(b, int(incoming.get("protectedRangeId", 0)))
    changed = copy.deepcopy(protected)
    copy_masked(changed, incoming, tree)
    changed["protectedRangeId"] = protected["protectedRangeId"]
    _settle_editors(b, changed)
    sheet.protected[sheet.protected.index(protected)] = changed


def delete_protected_range(b: Batch, spec: dict[str, Any]) -> None:
    sheet, protected = _editable_protected(b, int(spec.get("protectedRangeId", 0)))
    sheet.protected.remove(protected)


def _protected_sheet(b: Batch, protected: dict[str, Any]) -> Sheet:
    if protected.get("range") is not None:
        return b.area(protected["range"])[0]
    named = next((n for n in b.book.named_ranges if n.get("namedRangeId") == protected.get("namedRangeId")), None)
    if named is None:
        raise bad_request("A protected range needs a range or the id of an existing named range.")
    return b.area(named["range"])[0]


def _settle_editors(b: Batch, protected: dict[str, Any]) -> None:
    if protected.get("warningOnly"):
        if (protected.get("editors") or {}).get("users"):
            raise bad_request("Editors can't be set on a warning-only protected range.")
        protected.pop("editors", None)
        return
    editors = protected.setdefault("editors", {})
    # The owner (none in a shared drive) and whoever sets the protection always remain editors.
    always = b.editor.file.owner or b.user
    editors["users"] = list(dict.fromkeys([*editors.get("users", []), always]))


def _find_protected(b: Batch, protected_id: int) -> tuple[Sheet, dict[str, Any]] | None:
    for sheet in b.book.sheets:
        for protected in sheet.protected:
            if int(protected["protectedRangeId"]) == protected_id:
                return sheet, protected
    return None


def _editable_protected(b: Batch, protected_id: int) -> tuple[Sheet, dict[str, Any]]:
    found = _find_protected(b, protected_id)
    if found is None:
        raise bad_request(f"No protected range with id: {protected_id}")
    if not b.editor.may_edit_range(found[1]) and not found[1].get("warningOnly"):
        raise bad_request(PROTECTED)
    return found


def add_conditional_format_rule(b: Batch, spec: dict[str, Any]) -> None:
    rule = copy.deepcopy(spec.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise bad_request("A conditional format rule needs at least one range.")
    sheets = {b.area(r)[0].sheet_id for r in ranges}
    if len(sheets) > 1:
        raise bad_request("All ranges of a conditional format rule must be on the same sheet.")
    sheet = b.book.by_id(sheets.pop())
    index = int(spec.get("index", 0))
    if index > len(sheet.conditional):
        raise bad_request(f"Invalid index {index}: the sheet has {len(sheet.conditional)} conditional format rules.")
    sheet.conditional.insert(index, rule)


def delete_conditional_format_rule(b: Batch, spec: dict[str, Any]) -> dict[str, Any]:
    sheet = b.book.by_id(int(spec.get("sheetId", 0)))
    index = int(spec.get("index", 0))
    if index >= len(sheet.conditional):
        raise bad_request(f"No conditional format on sheet: {sheet.sheet_id} at index: {index}")
    return {"rule": sheet.conditional.pop(index)}


def add_named_range(b: Batch, spec: dict[str, Any]) -> dict[str, Any]:
    named = copy.deepcopy(spec.get("namedRange") or {})
    name = str(named.get("name", ""))
    if not a1.NAMED_RANGE.fullmatch(name) or a1.cells(name) is not None or name.upper() in ("TRUE", "FALSE"):
        raise bad_request(f'The name "{name}" is not valid for a named range.')
    if any(n["name"].lower() == name.lower() for n in b.book.named_ranges):
        raise bad_request(f'Named range "{name}" already exists.')
    b.area(named.get("range") or {})
    named.setdefault("namedRangeId", "".join(b.call.state.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                             for _ in range(12)))
    b.book.named_ranges.append(named)
    return {"namedRange": copy.deepcopy(named)}


def delete_named_range(b: Batch, spec: dict[str, Any]) -> None:
    wanted = spec.get("namedRangeId")
    if not any(n.get("namedRangeId") == wanted for n in b.book.named_ranges):
        raise bad_request(f"No named range with id: {wanted}")
    b.book.named_ranges = [n for n in b.book.named_ranges if n.get("namedRangeId") != wanted]


HANDLERS: dict[str, Callable[[Batch, dict[str, Any]], dict[str, Any] | None]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
    "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addNamedRange": add_named_range,
    "deleteNamedRange": delete_named_range,
}
