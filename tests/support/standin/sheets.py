"""Sheets v4: spreadsheets.create/get and the values endpoints gspread calls."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import a1, cells
from .call import Call
from .errors import bad_request
from .grid import Editor, positions, spreadsheet_resource, value_range
from .model import SPREADSHEET, Book, DriveFile, Sheet, new_book, new_sheet

MISSING_INPUT = "'valueInputOption' is required but not specified"


def get(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    """spreadsheets.get: with a ``fields`` mask, grid data is included when the mask selects it."""
    file = call.state.spreadsheet(spreadsheet_id, call.user)
    with_data = call.flag("includeGridData") or call.one("fields") is not None
    return spreadsheet_resource(Editor(file, call.user), call.many("ranges"), with_data)


def create(call: Call) -> dict[str, Any]:
    """spreadsheets.create: a new file in the caller's My Drive, owned by the caller."""
    body = call.body or {}
    props = dict(body.get("properties") or {})
    name = str(props.pop("title", "Untitled spreadsheet"))
    book = new_book()
    book.properties.update(props)
    if body.get("sheets"):
        book.sheets = [_initial_sheet(call, spec, i) for i, spec in enumerate(body["sheets"])]
    book.named_ranges = copy.deepcopy(body.get("namedRanges") or [])
    now = call.state.now()
    file = DriveFile(call.state.new_file_id(), name, SPREADSHEET, call.user, [], now, now, call.user, book=book)
    call.state.files[file.id] = file
    return spreadsheet_resource(Editor(file, call.user), [], False)


def _initial_sheet(call: Call, spec: dict[str, Any], position: int) -> Sheet:
    props = dict(spec.get("properties") or {})
    props.setdefault("sheetId", 0 if position == 0 else call.state.new_number())
    props.setdefault("title", f"Sheet{position + 1}")
    props.setdefault("index", position)
    sheet = new_sheet(props)
    for grid in spec.get("data") or []:
        for dr, row in enumerate(grid.get("rowData") or []):
            for dc, cell in enumerate(row.get("values") or []):
                if cell:
                    sheet.cells[(grid.get("startRow", 0) + dr, grid.get("startColumn", 0) + dc)] = copy.deepcopy(cell)
    return sheet


# ---- reads ------------------------------------------------------------------------------------


def values_get(call: Call, spreadsheet_id: str, range_text: str) -> dict[str, Any]:
    book = call.state.spreadsheet(spreadsheet_id, call.user).book
    assert book is not None
    return _read(call, book, range_text)


def values_batch_get(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    book = call.state.spreadsheet(spreadsheet_id, call.user).book
    assert book is not None
    return {"spreadsheetId": spreadsheet_id, "valueRanges": [_read(call, book, r) for r in call.many("ranges")]}


def _read(call: Call, book: Book, range_text: str) -> dict[str, Any]:
    sheet, span = book.resolve(range_text)
    return value_range(sheet, sheet.fit(span), call.one("valueRenderOption", "FORMATTED_VALUE") or "",
                       call.one("majorDimension", "ROWS") or "ROWS")


# ---- writes -----------------------------------------------------------------------------------


def _atomically(call: Call, spreadsheet_id: str, change: Callable[[Editor], Any]) -> Any:
    """Apply ``change`` to a copy that replaces the file only if it all succeeds, as Google applies a call."""
    file = call.state.spreadsheet(spreadsheet_id, call.user, "writer")
    draft = file.draft()
    result = change(Editor(draft, call.user))
    call.state.files[file.id] = draft
    call.state.touch(draft, call.user)
    return result


def _respond(include: Any, render: Any) -> str | None:
    """The render option for updatedData, or None when the caller did not ask for values back."""
    return str(render or "FORMATTED_VALUE") if str(include).lower() == "true" else None


def values_update(call: Call, spreadsheet_id: str, range_text: str) -> dict[str, Any]:
    option = _input_option(call.one("valueInputOption"))
    body = call.body or {}
    respond = _respond(call.one("includeValuesInResponse"), call.one("responseValueRenderOption"))
    answer = _atomically(call, spreadsheet_id, lambda editor: _write(editor, range_text, body, option, "", respond))
    return {"spreadsheetId": spreadsheet_id, **answer}


def values_batch_update(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    body = call.body or {}
    option = _input_option(body.get("valueInputOption"))
    respond = _respond(body.get("includeValuesInResponse"), body.get("responseValueRenderOption"))
    data = body.get("data") or []
    answers = _atomically(call, spreadsheet_id, lambda editor: [
        _write(editor, item.get("range", ""), item, option, f"data[{i}].", respond) for i, item in enumerate(data)])
    return {"spreadsheetId": spreadsheet_id,
            "totalUpdatedRows": sum(a.get("updatedRows", 0) for a in answers),
            "totalUpdatedColumns": sum(a.get("updatedColumns", 0) for a in answers),
            "totalUpdatedCells": sum(a.get("updatedCells", 0) for a in answers),
            "totalUpdatedSheets": len({a["updatedRange"].rsplit("!", 1)[0] for a in answers if "updatedRange" in a}),
            "responses": [{"spreadsheetId": spreadsheet_id, **a} for a in answers]}


def values_append(call: Call, spreadsheet_id: str, range_text: str) -> dict[str, Any]:
    """values.append: written below the last row with content in the range's columns; the grid grows."""
    option = _input_option(call.one("valueInputOption"))
    respond = _respond(call.one("includeValuesInResponse"), call.one("responseValueRenderOption"))
    rows = _matrix(call.body or {})

    def append(editor: Editor) -> dict[str, Any]:
        sheet, span = editor.book.resolve(range_text)
        c0, c1 = span.c0, span.c1 if span.c1 is not None else sheet.cols
        used = [r for (r, c), cell in sheet.cells.items()
                if c0 <= c < c1 and r >= span.r0 and "userEnteredValue" in cell]
        start = max(used) + 1 if used else span.r0
        grid = sheet.properties["gridProperties"]
        grid["rowCount"] = max(sheet.rows, start + len(rows))
        target = f"{a1.quote_title(sheet.title)}!{a1.column_letters(c0)}{start + 1}"
        return _write(editor, target, {"values": rows}, option, "", respond)

    answer = _atomically(call, spreadsheet_id, append)
    return {"spreadsheetId": spreadsheet_id, "updates": {"spreadsheetId": spreadsheet_id, **answer}}


def values_clear(call: Call, spreadsheet_id: str, range_text: str) -> dict[str, Any]:
    cleared = _atomically(call, spreadsheet_id, lambda editor: _clear(editor, range_text))
    return {"spreadsheetId": spreadsheet_id, "clearedRange": cleared}


def values_batch_clear(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    ranges = (call.body or {}).get("ranges") or []
    cleared = _atomically(call, spreadsheet_id, lambda editor: [_clear(editor, text) for text in ranges])
    return {"spreadsheetId": spreadsheet_id, "clearedRanges": cleared}


def _clear(editor: Editor, range_text: str) -> str:
    """Values go, formats and validation stay (as values.clear documents)."""
    sheet, span = editor.book.resolve(range_text)
    span = sheet.fit(span)
    for (r, c) in [p for p, cell in sheet.cells.items() if span.contains(*p) and "userEnteredValue" in cell]:
        editor.set_value(sheet, r, c, None, "ranges", validate=False)
    return a1.format_range(sheet.title, span)


def _input_option(option: str | None) -> str:
    if not option:
        raise bad_request(MISSING_INPUT)
    return option


def _matrix(body: dict[str, Any]) -> list[list[Any]]:
    """The body's values as rows, whatever its majorDimension."""
    values = body.get("values") or []
    if not all(isinstance(row, list) for row in values):
        raise bad_request("Invalid values: each row must be a list")
    if body.get("majorDimension") == "COLUMNS":
        height = max((len(col) for col in values), default=0)
        return [[col[r] if r < len(col) else None for col in values] for r in range(height)]
    return list(values)


def _write(editor: Editor, range_text: str, body: dict[str, Any], option: str, prefix: str,
           respond: str | None) -> dict[str, Any]:
    """Write a ValueRange; a one-cell range is an anchor, a larger one bounds the data."""
    sheet, span = editor.book.resolve(range_text)
    rows = _matrix(body)
    height, width = len(rows), max((len(row) for row in rows), default=0)
    _check_fits(range_text, span, height, width)
    if not height or not width:
        return {}
    written = sheet.fit(a1.Span(span.r0, span.r0 + height, span.c0, span.c0 + width))
    for (r, c) in positions(written):
        row = rows[r - span.r0]
        raw = row[c - span.c0] if c - span.c0 < len(row) else None
        if raw is None:
            continue  # null leaves the cell as it is; "" empties it
        where = f"{prefix}values[{r - span.r0}][{c - span.c0}]"
        editor.set_value(sheet, r, c, cells.from_input(raw, option, where), where)
    answer: dict[str, Any] = {"updatedRange": a1.format_range(sheet.title, written), "updatedRows": height,
                              "updatedColumns": width, "updatedCells": height * width}
    if respond:
        answer["updatedData"] = value_range(sheet, written, respond, "ROWS")
    return answer


def _check_fits(range_text: str, span: a1.Span, height: int, width: int) -> None:
    if span.r1 == span.r0 + 1 and span.c1 == span.c0 + 1:
        return  # a single cell only anchors the data
    if span.c1 is not None and span.c0 + width > span.c1:
        raise bad_request(f"Requested writing within range [{range_text}], but tried writing to column "
                          f"[{a1.column_letters(span.c1)}]")
    if span.r1 is not None and span.r0 + height > span.r1:
        raise bad_request(f"Requested writing within range [{range_text}], but tried writing to row [{span.r1 + 1}]")
