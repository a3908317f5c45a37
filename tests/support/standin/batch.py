"""spreadsheets.batchUpdate: the request kinds ladder-sheets sends, applied all-or-nothing.

Each kind is a small function returning its reply (or None for kinds Google answers
with ``{}``), in ``sheet_kinds`` (sheets, cells, dimensions, merges) and ``range_kinds``
(protection, conditional formats, named ranges). A failure anywhere fails the whole batch
with Google's ``Invalid requests[i].kind: ...`` message and nothing is applied. Kinds not
in HANDLERS are refused with a message saying the stand-in lacks them, so a test never
passes on a request the stand-in silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import a1, range_kinds, sheet_kinds
from .call import Call
from .errors import ApiError, bad_request
from .grid import Editor, spreadsheet_resource
from .model import Book, Sheet


def batch_update(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    """Apply every request to a draft; the draft replaces the file only when all succeeded."""
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
        """The sheet and its span, closed at the grid's edge; 400 when the range reaches past it."""
        sheet, span = self.book.grid(grid_range)
        return sheet, sheet.fit(span)


HANDLERS: dict[str, Callable[[Batch, dict[str, Any]], dict[str, Any] | None]] = {
    "addSheet": sheet_kinds.add_sheet,
    "updateSheetProperties": sheet_kinds.update_sheet_properties,
    "updateSpreadsheetProperties": sheet_kinds.update_spreadsheet_properties,
    "updateCells": sheet_kinds.update_cells,
    "updateDimensionProperties": sheet_kinds.update_dimension_properties,
    "mergeCells": sheet_kinds.merge_cells,
    "addProtectedRange": range_kinds.add_protected_range,
    "updateProtectedRange": range_kinds.update_protected_range,
    "addConditionalFormatRule": range_kinds.add_conditional_format_rule,
    "addNamedRange": range_kinds.add_named_range,
}
