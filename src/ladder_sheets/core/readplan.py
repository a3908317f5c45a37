"""Which cells of a layout a reader reads: worked out once per layout shape, reused per workbook.

Pure, so both readers (.xlsx files and Google spreadsheets) share it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cells import ROWID_PREFIX, Cell, Role, WorkbookLayout


def is_read(cell: Cell) -> bool:
    """Cells collect reads: everything typed or calculated, plus the ids that prove rows did not move."""
    return cell.role is not Role.LABEL or cell.key.startswith(ROWID_PREFIX)


@dataclass(frozen=True)
class SheetPlan:
    title: str
    rows: int  # how far down to read
    cells: tuple[tuple[str, int, int], ...]  # (key, 0-based row, 0-based column)


@dataclass(frozen=True)
class ReadPlan:
    """Which cells to read, worked out once per layout and reused for every workbook of that shape."""

    sheets: tuple[SheetPlan, ...]


def plan(layout: WorkbookLayout, roles: tuple[Role, ...] = ()) -> ReadPlan:
    """The layout's wanted cells (optionally only these roles), sheet by sheet."""
    sheets = []
    for sheet in layout.sheets:
        cells = tuple((c.key, c.row - 1, column_index(c.column)) for c in sheet.cells
                      if c.key and is_read(c) and (not roles or c.role in roles))
        if cells:
            sheets.append(SheetPlan(sheet.title, max(r for _, r, _ in cells) + 1, cells))
    return ReadPlan(tuple(sheets))


def column_index(letters: str) -> int:
    """"A" -> 0, "AA" -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


