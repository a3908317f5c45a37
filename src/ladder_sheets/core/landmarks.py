"""Landmarks of a sheet: what identifies its columns (headers) and rows (ids, labels), worked out once per layout.

``core.locate`` finds them in a returned sheet. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .cells import ROWID_PREFIX, Cell, Role, SheetLayout, header_cells
from .inputs import RawValue
from .readplan import column_index


Grid = Sequence[Sequence[RawValue]]


@dataclass(frozen=True)
class Anchor:
    row: int  # layout row, 1-based
    column: str
    text: str  # normalised
    shown: str
    block: str  # "criteria" for a row id of a criterion; "" for a label
    hard: bool  # the row holds cells that are read: not finding it is a problem


@dataclass(frozen=True)
class SheetGuide:
    """What finding one sheet's cells needs, worked out once per layout."""

    sheet: SheetLayout
    header_row: int  # 1-based; 0 when the sheet has no header row
    headers: Mapping[str, str]  # column letters -> normalised header text
    shown: Mapping[str, str]  # column letters -> header as written
    columns: tuple[str, ...]  # every column the layout uses, left to right
    anchors: tuple[Anchor, ...]
    wanted: tuple[tuple[str, int, str], ...]  # (key, layout row, column) of the cells read
    inputs_by_row: Mapping[int, frozenset[str]]
    labels_by_row: Mapping[int, tuple[tuple[str, str], ...]]  # row -> (column, normalised text) of its labels
    probes: tuple[tuple[str, int, str], ...]  # (column, 0-based row, text): one label per column without a header
    blind: bool  # some column has neither header nor label: a column inserted before it shows only as content beyond
    width: int  # columns the layout uses, counted from A
    cell_at: frozenset[tuple[int, str]]  # (row, column) of every cell of the layout
    occupied: frozenset[tuple[int, int | None]]  # the same, 0-based, where the layout put them
    identity: Mapping[int, int]  # every layout row (1-based) to itself (0-based): rows nobody moved
    soft: bool  # see ``sheet_guide``
    index: Mapping[str, int]  # column letters -> 0-based index, for every column of the layout
    input_keys: tuple[str, ...]  # of the cells read
    formula_keys: tuple[str, ...]
    last_row: int

    @property
    def title(self) -> str:
        return self.sheet.title


def sheet_guide(sheet: SheetLayout, wanted: Iterable[Cell], *, soft: bool = True) -> SheetGuide:
    """What finding ``wanted`` on ``sheet`` needs. Without ``soft``, only rows that hold wanted cells are
    landmarks and nothing is said about stray text: enough to read a few cells (whose workbook is this?)."""
    heads = header_cells(sheet)
    header_row = heads[0].row if heads else 0
    headers = {c.column: norm(c.value) for c in heads}
    columns = tuple(sorted({c.column for c in sheet.cells}, key=column_index))
    by_row: dict[int, list[Cell]] = {}
    for c in sheet.cells:
        by_row.setdefault(c.row, []).append(c)
    wanted = tuple(wanted)
    read_rows = {c.row for c in wanted}
    anchors = []
    for row in sorted(by_row if soft else read_rows):
        anchor = _anchor_of(by_row[row], header_row, row in read_rows)
        if anchor is not None:
            anchors.append(anchor)
    inputs: dict[int, set[str]] = {}
    for c in sheet.cells:
        if c.role is Role.INPUT:
            inputs.setdefault(c.row, set()).add(c.key)
    # A block's row is checked against its first and last label: a sort that left the ids behind moved them.
    labels = {r: _ends(tuple((c.column, norm(c.value)) for c in cells if c.role is Role.LABEL and not c.key
                             and isinstance(c.value, str) and c.value.strip())) for r, cells in by_row.items()}
    probes: dict[str, tuple[str, int, str]] = {}
    for c in sheet.cells:
        if c.column not in headers and c.column not in probes and c.role is Role.LABEL and norm(c.value):
            probes[c.column] = (c.column, c.row - 1, norm(c.value))
    return SheetGuide(sheet, header_row, headers, {c.column: str(c.value) for c in heads}, columns, tuple(anchors),
                      tuple((c.key, c.row, c.column) for c in wanted), {r: frozenset(k) for r, k in inputs.items()},
                      labels, tuple(probes.values()), any(c not in headers and c not in probes for c in columns),
                      1 + column_index(columns[-1]), frozenset((c.row, c.column) for c in sheet.cells),
                      frozenset((c.row - 1, column_index(c.column)) for c in sheet.cells),
                      {r: r - 1 for r in range(1, max(c.row for c in sheet.cells) + 1)}, soft,
                      {c: column_index(c) for c in columns},
                      tuple(c.key for c in wanted if c.role is Role.INPUT),
                      tuple(c.key for c in wanted if c.role is Role.FORMULA), max(c.row for c in sheet.cells))


def _ends(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return items if len(items) <= 2 else (items[0], items[-1])


def _anchor_of(cells: list[Cell], header_row: int, hard: bool) -> Anchor | None:
    """The cell that identifies its row: the row id, else the first label with text."""
    for c in cells:
        if c.key.startswith(ROWID_PREFIX):
            block = c.key[len(ROWID_PREFIX):].split(".", 1)[0]
            return Anchor(c.row, c.column, norm(c.value), str(c.value), block, hard)
    for c in cells:
        if c.role is Role.LABEL and isinstance(c.value, str) and c.value.strip() and c.row != header_row:
            return Anchor(c.row, c.column, norm(c.value), c.value, "", hard)
    return None


def same_text(value: RawValue, text: str) -> bool:
    """``value`` reads as the normalised ``text`` (the common case, an unchanged label, costs one casefold)."""
    if isinstance(value, str) and value.casefold() == text:
        return True
    return norm(value) == text


def norm(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()).casefold() if value is not None else ""


def get(line: Sequence[RawValue], c: int) -> RawValue:
    return line[c] if c < len(line) else None


def letters(index: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    n, out = index + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
