"""An audit of a batchUpdate body against Sheets' structural rules, without sending it anywhere.

Replays the requests over a model of just what the rules need (each sheet's size, freeze and
merges), starting from a spreadsheet as Drive creates it (one 1000 x 26 "Sheet1", id 0), and
lists every break, where the stand-in stops at the first. It shares the rules
(``standin.rules``) and nothing else with the stand-in, so a build that passes both was
checked twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.support.standin import rules


@dataclass
class _Sheet:
    rows: int = 1000
    cols: int = 26
    frozen_rows: int = 0
    frozen_cols: int = 0
    merges: list[rules.Area] = field(default_factory=list)


def audit(requests: list[dict[str, Any]]) -> list[str]:
    """Every break in ``requests`` as "requests[i].kind: what Sheets would say"; empty when Sheets accepts it all."""
    sheets = {0: _Sheet()}
    breaks = [f"payload: {too_big}"] if (too_big := rules.payload_too_large(_size(requests))) else []
    for i, request in enumerate(requests):
        ((kind, spec),) = request.items()
        breaks += [f"requests[{i}].{kind}: {found}" for found in _check(kind, spec, sheets)]
    return breaks


def _size(requests: list[dict[str, Any]]) -> int:
    return len(json.dumps({"requests": requests}).encode("utf-8"))


def _check(kind: str, spec: dict[str, Any], sheets: dict[int, _Sheet]) -> list[str]:
    if kind in ("addSheet", "updateSheetProperties"):
        return _properties(spec["properties"], sheets)
    if kind == "mergeCells":
        return _merge(spec["range"], sheets)
    if kind == "addProtectedRange":
        protected = spec["protectedRange"]
        found = [shape] if (shape := rules.protection_shape(protected)) else []
        return found + _outside([protected["range"], *protected.get("unprotectedRanges", [])], sheets)
    if kind == "addConditionalFormatRule":
        return _outside(spec["rule"]["ranges"], sheets)
    if kind == "addNamedRange":
        return _outside([spec["namedRange"]["range"]], sheets)
    if kind == "updateDimensionProperties":
        return _dimension(spec["range"], sheets)
    if kind == "updateCells":
        return _cells(spec, sheets)
    return [] if kind == "updateSpreadsheetProperties" else [f"{kind} is not a kind this audit knows"]


def _properties(props: dict[str, Any], sheets: dict[int, _Sheet]) -> list[str]:
    sheet = sheets.setdefault(int(props["sheetId"]), _Sheet())
    grid = props.get("gridProperties") or {}
    sheet.rows, sheet.cols = int(grid.get("rowCount", sheet.rows)), int(grid.get("columnCount", sheet.cols))
    sheet.frozen_rows = int(grid.get("frozenRowCount", sheet.frozen_rows))
    sheet.frozen_cols = int(grid.get("frozenColumnCount", sheet.frozen_cols))
    broken = rules.freeze_splits_merge(sheet.merges, sheet.frozen_rows, sheet.frozen_cols)
    return [broken] if broken else []


def _area(grid_range: dict[str, Any], sheet: _Sheet) -> rules.Area:
    return (int(grid_range.get("startRowIndex", 0)), int(grid_range.get("endRowIndex", sheet.rows)),
            int(grid_range.get("startColumnIndex", 0)), int(grid_range.get("endColumnIndex", sheet.cols)))


def _merge(grid_range: dict[str, Any], sheets: dict[int, _Sheet]) -> list[str]:
    sheet = sheets[int(grid_range.get("sheetId", 0))]
    area = _area(grid_range, sheet)
    found = _outside([grid_range], sheets)
    for broken in (rules.merge_across_freeze(area, sheet.frozen_rows, sheet.frozen_cols),
                   rules.merge_overlaps(area, sheet.merges)):
        found += [broken] if broken else []
    sheet.merges.append(area)
    return found


def _outside(ranges: list[dict[str, Any]], sheets: dict[int, _Sheet]) -> list[str]:
    found = []
    for grid_range in ranges:
        sheet = sheets.get(int(grid_range.get("sheetId", 0)))
        if sheet is None:
            found.append(f"No grid with id: {grid_range.get('sheetId')}")
        elif rules.outside_grid(_area(grid_range, sheet), sheet.rows, sheet.cols):
            found.append(f"Range {grid_range} exceeds grid limits ({sheet.rows} rows, {sheet.cols} columns)")
    return found


def _dimension(span: dict[str, Any], sheets: dict[int, _Sheet]) -> list[str]:
    rows = span["dimension"] == "ROWS"
    key = ("startRowIndex", "endRowIndex") if rows else ("startColumnIndex", "endColumnIndex")
    return _outside([{"sheetId": span.get("sheetId", 0), key[0]: span["startIndex"], key[1]: span["endIndex"]}],
                    sheets)


def _cells(spec: dict[str, Any], sheets: dict[int, _Sheet]) -> list[str]:
    start = spec["start"]
    height = len(spec.get("rows", []))
    width = max((len(row.get("values", [])) for row in spec.get("rows", [])), default=0)
    r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    return _outside([{"sheetId": start.get("sheetId", 0), "startRowIndex": r0, "endRowIndex": r0 + height,
                      "startColumnIndex": c0, "endColumnIndex": c0 + width}], sheets)
