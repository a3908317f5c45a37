"""Sheets' structural rules for the request kinds ladder-sheets sends, one function each, with its source.

Each rule answers the message Google gives (``None`` when the request is fine), so the
stand-in raises it as a 400 for the whole batch (Sheets applies a batchUpdate atomically:
"if any request is not valid, then the entire update is unsuccessful",
https://developers.google.com/sheets/api/limits) and ``tests.support.request_audit``
lists every break in a build without sending it. Areas are ``(r0, r1, c0, c1)``, zero-based
and half-open like a GridRange.

Where Google silently ignores what it does not support (editors on a warning-only range),
the stand-in refuses instead: code that relied on the ignored part would protect nothing.
"""

from __future__ import annotations

from typing import Any

Area = tuple[int, int, int, int]

# "While Sheets API has no hard size limits for an API request ... we recommend a 2 MB maximum
# payload" (https://developers.google.com/sheets/api/limits): the stand-in holds every request to it.
MAX_PAYLOAD = 2 * 1024 * 1024


def merge_across_freeze(area: Area, frozen_rows: int, frozen_cols: int) -> str | None:
    """A merge may lie inside the frozen rows (columns) or outside them, never across their edge.

    Sheets' own interface refuses it ("Freeze, group, hide, or merge rows & columns",
    https://support.google.com/docs/answer/54813) and the API answers "You can't merge frozen
    and non-frozen columns" (the text public projects quote, e.g. Apps Script rebuild code that
    unfreezes first to avoid it).
    """
    crossed = _crossed(area, frozen_rows, frozen_cols)
    return f"You can't merge frozen and non-frozen {crossed}." if crossed else None


def freeze_splits_merge(merges: list[Area], frozen_rows: int, frozen_cols: int) -> str | None:
    """The converse: a freeze whose edge would cut through an existing merge (same help page)."""
    for area in merges:
        crossed = _crossed(area, frozen_rows, frozen_cols)
        if crossed:
            return f"Sorry, it's not possible to freeze {crossed} which contain only part of a merged cell."
    return None


def _crossed(area: Area, frozen_rows: int, frozen_cols: int) -> str:
    """Which frozen edge runs through the area: "rows", "columns" or "" (none)."""
    r0, r1, c0, c1 = area
    if 0 < frozen_rows and r0 < frozen_rows < r1:
        return "rows"
    if 0 < frozen_cols and c0 < frozen_cols < c1:
        return "columns"
    return ""


def merge_overlaps(area: Area, merges: list[Area]) -> str | None:
    """A new merge may swallow whole merged areas, never part of one (as Sheets' merge menu requires)."""
    for other in merges:
        if _overlap(area, other) and not _inside(other, area):
            return "You must select all cells in a merged cell to merge or unmerge them."
    return None


def outside_grid(area: Area, rows: int, cols: int) -> bool:
    """True when a range reaches past the sheet's rows or columns: Sheets answers 400
    "Range (...) exceeds grid limits" rather than growing the sheet."""
    r0, r1, c0, c1 = area
    return r0 < 0 or c0 < 0 or r1 > rows or c1 > cols or r0 >= r1 or c0 >= c1


def protection_shape(protected: dict[str, Any]) -> str | None:
    """A ProtectedRange Sheets keeps as sent (Sheets v4 discovery document, ProtectedRange).

    - ``editors``: "Editors are not supported with warning_only protection" ("if this field
      is true, then editors are ignored").
    - ``unprotectedRanges``: "Unprotected ranges are only supported on protected sheets",
      where a protected sheet is a range "fully unbounded" (only its sheetId).
    """
    if protected.get("warningOnly") and (protected.get("editors") or {}).get("users"):
        return "Editors are not supported with warning-only protection (Google ignores them)."
    area = protected.get("range") or {}
    bounded = any(key in area for key in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"))
    if protected.get("unprotectedRanges") and (bounded or "range" not in protected):
        return "Unprotected ranges are only supported on protected sheets."
    holes = {int(u.get("sheetId", 0)) for u in protected.get("unprotectedRanges") or []}
    if holes - {int(area.get("sheetId", 0))}:
        return "Unprotected ranges must be on the protected sheet."
    return None


def payload_too_large(size: int) -> str | None:
    if size > MAX_PAYLOAD:
        return (f"Request payload size exceeds the limit: {MAX_PAYLOAD} bytes (Google's recommended maximum; "
                f"this one is {size}).")
    return None


def _overlap(a: Area, b: Area) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _inside(inner: Area, outer: Area) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and inner[3] <= outer[3]
