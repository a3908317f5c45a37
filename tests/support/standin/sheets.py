"""Sheets v4: spreadsheets.get and the two values writes (a person typing, the live check typing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import a1, cells
from .call import Call
from .errors import bad_request
from .grid import Editor, positions, spreadsheet_resource

MISSING_INPUT = "'valueInputOption' is required but not specified"


def get(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    """spreadsheets.get: with a ``fields`` mask, grid data is included when the mask selects it."""
    file = call.state.spreadsheet(spreadsheet_id, call.user)
    with_data = call.flag("includeGridData") or call.one("fields") is not None
    return spreadsheet_resource(Editor(file, call.user), call.many("ranges"), with_data)


# ---- writes -----------------------------------------------------------------------------------


def _atomically(call: Call, spreadsheet_id: str, change: Callable[[Editor], Any]) -> Any:
    """Apply ``change`` to a copy that replaces the file only if it all succeeds, as Google applies a call."""
    file = call.state.spreadsheet(spreadsheet_id, call.user, "writer")
    draft = file.draft()
    result = change(Editor(draft, call.user))
    call.state.files[file.id] = draft
    call.state.touch(draft, call.user)
    return result


def _no_values_back(include: Any) -> None:
    if str(include).lower() == "true":
        raise bad_request("the stand-in does not return updatedData (includeValuesInResponse)")


def values_update(call: Call, spreadsheet_id: str, range_text: str) -> dict[str, Any]:
    option = _input_option(call.one("valueInputOption"))
    body = call.body or {}
    _no_values_back(call.one("includeValuesInResponse"))
    answer = _atomically(call, spreadsheet_id, lambda editor: _write(editor, range_text, body, option, ""))
    return {"spreadsheetId": spreadsheet_id, **answer}


def values_batch_update(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    body = call.body or {}
    option = _input_option(body.get("valueInputOption"))
    _no_values_back(body.get("includeValuesInResponse"))
    data = body.get("data") or []
    answers = _atomically(call, spreadsheet_id, lambda editor: [
        _write(editor, item.get("range", ""), item, option, f"data[{i}].") for i, item in enumerate(data)])
    return {"spreadsheetId": spreadsheet_id,
            "totalUpdatedRows": sum(a.get("updatedRows", 0) for a in answers),
            "totalUpdatedColumns": sum(a.get("updatedColumns", 0) for a in answers),
            "totalUpdatedCells": sum(a.get("updatedCells", 0) for a in answers),
            "totalUpdatedSheets": len({a["updatedRange"].rsplit("!", 1)[0] for a in answers if "updatedRange" in a}),
            "responses": [{"spreadsheetId": spreadsheet_id, **a} for a in answers]}


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


def _write(editor: Editor, range_text: str, body: dict[str, Any], option: str, prefix: str) -> dict[str, Any]:
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
    return {"updatedRange": a1.format_range(sheet.title, written), "updatedRows": height,
            "updatedColumns": width, "updatedCells": height * width}


def _check_fits(range_text: str, span: a1.Span, height: int, width: int) -> None:
    if span.r1 == span.r0 + 1 and span.c1 == span.c0 + 1:
        return  # a single cell only anchors the data
    if span.c1 is not None and span.c0 + width > span.c1:
        raise bad_request(f"Requested writing within range [{range_text}], but tried writing to column "
                          f"[{a1.column_letters(span.c1)}]")
    if span.r1 is not None and span.r0 + height > span.r1:
        raise bad_request(f"Requested writing within range [{range_text}], but tried writing to row [{span.r1 + 1}]")
