"""Reading and writing a sheet's grid the way both the values API and batchUpdate see it.

Every change goes through here so protection is enforced in one place: a cell inside a
non-warning protected range can be changed only by the file's owner and the range's
editors, whichever endpoint tries.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import a1, cells
from .errors import bad_request
from .model import Book, DriveFile, Sheet

PROTECTED = ("You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
             "remove protection if you need to edit.")
ROW_PIXELS, COLUMN_PIXELS = 21, 100


@dataclass
class Editor:
    """Who is changing which spreadsheet; the owner and listed editors pass protection."""

    file: DriveFile
    user: str

    @property
    def book(self) -> Book:
        assert self.file.book is not None
        return self.file.book

    def may_edit_range(self, protected: dict[str, Any]) -> bool:
        users = (protected.get("editors") or {}).get("users", [])
        return self.user == self.file.owner or self.user in users

    def check(self, sheet: Sheet, r: int, c: int) -> None:
        """400 when (r, c) sits in a protected range this user may not edit."""
        for protected in sheet.protected:
            if protected.get("warningOnly") or self.may_edit_range(protected):
                continue
            if self._covers(protected, sheet, r, c):
                raise bad_request(PROTECTED)

    def _covers(self, protected: dict[str, Any], sheet: Sheet, r: int, c: int) -> bool:
        area = protected.get("range") or self._named_area(protected.get("namedRangeId"))
        if area is None or int(area.get("sheetId", 0)) != sheet.sheet_id:
            return False
        inside = self.book.grid(area)[1].contains(r, c)
        holes = [self.book.grid(u)[1] for u in protected.get("unprotectedRanges", [])]
        return inside and not any(h.contains(r, c) for h in holes)

    def _named_area(self, named_id: str | None) -> dict[str, Any] | None:
        found = next((n for n in self.book.named_ranges if n.get("namedRangeId") == named_id), None)
        return found["range"] if found else None

    def set_value(self, sheet: Sheet, r: int, c: int, value: cells.Extended | None, where: str, *,
                  validate: bool = True) -> None:
        """Store a userEnteredValue (None clears it), refusing what a strict validation forbids."""
        self.check(sheet, r, c)
        cell = dict(sheet.cells.get((r, c), {}))
        if validate and cells.violates(cell.get("dataValidation"), value, self.list_values):
            ref = f"{a1.column_letters(c)}{r + 1}"
            raise bad_request(f"Invalid value at '{where}' ({a1.quote_title(sheet.title)}!{ref}): The data you "
                              f"entered in cell {ref} violates the data validation rules set on this cell.")
        cell.pop("effectiveValue", None)  # a test's stand-in result belongs to the old formula
        if value is None:
            cell.pop("userEnteredValue", None)
        else:
            cell["userEnteredValue"] = value
        store(sheet, r, c, cell)
        sheet.edited_by[(r, c)] = self.user

    def list_values(self, range_text: str) -> list[str]:
        """The formatted values of a range (a ONE_OF_RANGE rule's list)."""
        sheet, span = self.book.resolve(range_text)
        r0, r1, c0, c1 = span.clamp(sheet.rows, sheet.cols).bounded()
        return [cells.formatted(cells.effective(sheet.cells[(r, c)]))
                for (r, c) in sheet.cells if r0 <= r < r1 and c0 <= c < c1 and cells.effective(sheet.cells[(r, c)])]


def store(sheet: Sheet, r: int, c: int, cell: dict[str, Any]) -> None:
    """Keep a cell only while it holds something."""
    if cell:
        sheet.cells[(r, c)] = cell
    else:
        sheet.cells.pop((r, c), None)


def positions(span: a1.Span) -> Iterator[tuple[int, int]]:
    r0, r1, c0, c1 = span.bounded()
    for r in range(r0, r1):
        for c in range(c0, c1):
            yield r, c


# ---- values reads -----------------------------------------------------------------------------


def read_values(sheet: Sheet, span: a1.Span, render: str, major: str) -> list[list[Any]]:
    """A values read: rows (or columns) with trailing empties trimmed, inner empties as ""."""
    r0, r1, c0, c1 = span.bounded()
    used = [(r, c) for (r, c) in sheet.cells if r0 <= r < r1 and c0 <= c < c1]
    if not used:
        return []
    last_r, last_c = max(r for r, _ in used) + 1, max(c for _, c in used) + 1
    matrix = [[cells.rendered(sheet.cells.get((r, c), {}), render) for c in range(c0, last_c)]
              for r in range(r0, last_r)]
    if major == "COLUMNS":
        matrix = [list(column) for column in zip(*matrix)]
    return _trimmed(matrix)


def _trimmed(matrix: list[list[Any]]) -> list[list[Any]]:
    rows = []
    for row in matrix:
        while row and row[-1] is None:
            row.pop()
        rows.append(["" if v is None else v for v in row])
    while rows and not rows[-1]:
        rows.pop()
    return rows


# ---- spreadsheets.get ---------------------------------------------------------------------------


def cell_out(sheet: Sheet, r: int, c: int) -> dict[str, Any]:
    """CellData as Google returns it: what was entered plus effective and formatted values."""
    cell = copy.deepcopy(sheet.cells.get((r, c), {}))
    cell.pop("effectiveValue", None)
    if "userEnteredValue" in cell:
        cell["userEnteredValue"] = cells.for_json(cell["userEnteredValue"])
    value = cells.effective(sheet.cells.get((r, c), {}))
    if value is not None:
        cell["effectiveValue"] = cells.for_json(value)
        cell["formattedValue"] = cells.formatted(value, (cell.get("userEnteredFormat") or {}).get("numberFormat"))
    return cell


def grid_data(sheet: Sheet, span: a1.Span) -> dict[str, Any]:
    """GridData for a clamped span; zero start indexes are omitted as proto3 JSON omits them."""
    r0, r1, c0, c1 = span.bounded()
    used = [(r, c) for (r, c) in sheet.cells if r0 <= r < r1 and c0 <= c < c1]
    last_r = max((r for r, _ in used), default=r0 - 1) + 1
    rows = []
    for r in range(r0, last_r):
        row_cells = [c for rr, c in used if rr == r]
        values = [cell_out(sheet, r, c) for c in range(c0, max(row_cells, default=c0 - 1) + 1)]
        rows.append({"values": values} if values else {})
    out: dict[str, Any] = {
        "rowData": rows,
        "rowMetadata": [{"pixelSize": ROW_PIXELS, **sheet.row_meta.get(r, {})} for r in range(r0, r1)],
        "columnMetadata": [{"pixelSize": COLUMN_PIXELS, **sheet.col_meta.get(c, {})} for c in range(c0, c1)],
    }
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    return out


def sheet_resource(editor: Editor, sheet: Sheet, data: list[a1.Span] | None) -> dict[str, Any]:
    """A Sheet resource; ``data`` spans (clamped) add grid data, None leaves it out."""
    out: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
    if sheet.merges:
        out["merges"] = copy.deepcopy(sheet.merges)
    if sheet.conditional:
        out["conditionalFormats"] = copy.deepcopy(sheet.conditional)
    if sheet.protected:
        out["protectedRanges"] = [protected_out(editor, p) for p in sheet.protected]
    if data is not None:
        out["data"] = [grid_data(sheet, span) for span in data]
    return out


def protected_out(editor: Editor, protected: dict[str, Any]) -> dict[str, Any]:
    """A ProtectedRange as this user gets it: editors are shown only to those who may edit it."""
    out = copy.deepcopy(protected)
    out["requestingUserCanEdit"] = bool(protected.get("warningOnly")) or editor.may_edit_range(protected)
    if not editor.may_edit_range(protected):
        out.pop("editors", None)
    return out


def spreadsheet_resource(editor: Editor, ranges: list[str], with_data: bool) -> dict[str, Any]:
    """The Spreadsheet resource; with ``ranges`` only the sheets (and data) they name."""
    book = editor.book
    wanted: dict[int, list[a1.Span]] = {}
    for text in ranges:
        sheet, span = book.resolve(text)
        wanted.setdefault(sheet.sheet_id, []).append(sheet.fit(span))
    sheets = []
    for sheet in book.ordered():
        if ranges and sheet.sheet_id not in wanted:
            continue
        spans = wanted.get(sheet.sheet_id) or [a1.Span(0, sheet.rows, 0, sheet.cols)]
        sheets.append(sheet_resource(editor, sheet, spans if with_data else None))
    out: dict[str, Any] = {
        "spreadsheetId": editor.file.id,
        "properties": {"title": editor.file.name, **copy.deepcopy(book.properties)},
        "sheets": sheets,
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{editor.file.id}/edit",
    }
    if book.named_ranges:
        out["namedRanges"] = copy.deepcopy(book.named_ranges)
    return out
