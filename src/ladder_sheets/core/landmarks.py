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


@dataclass(frozen=True, eq=False)
class SheetGuide:
    """What finding one sheet's cells needs, worked out once per layout.

    Compared and hashed by identity: a reading cache keys on the guide itself, which keeps it
    alive, so a guide built later can never take a freed one's place (as an ``id()`` could).
    """

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
    probes = _probes(sheet, headers)
    last_row = max(c.row for c in sheet.cells)
    return SheetGuide(
        sheet, header_row=header_row, headers=headers, shown={c.column: str(c.value) for c in heads},
        columns=columns, anchors=_anchors(by_row, header_row, {c.row for c in wanted}, soft),
        wanted=tuple((c.key, c.row, c.column) for c in wanted), inputs_by_row=_inputs_by_row(sheet),
        labels_by_row={r: _row_labels(cells) for r, cells in by_row.items()}, probes=tuple(probes.values()),
        blind=any(c not in headers and c not in probes for c in columns), width=1 + column_index(columns[-1]),
        cell_at=frozenset((c.row, c.column) for c in sheet.cells),
        occupied=frozenset((c.row - 1, column_index(c.column)) for c in sheet.cells),
        identity={r: r - 1 for r in range(1, last_row + 1)}, soft=soft, index={c: column_index(c) for c in columns},
        input_keys=tuple(c.key for c in wanted if c.role is Role.INPUT),
        formula_keys=tuple(c.key for c in wanted if c.role is Role.FORMULA), last_row=last_row)


def _anchors(by_row: Mapping[int, list[Cell]], header_row: int, read_rows: set[int], soft: bool) -> tuple[Anchor, ...]:
    """The anchor of every row (with ``soft``) or of the rows read, top to bottom."""
    anchors = (_anchor_of(by_row[row], header_row, row in read_rows) for row in sorted(by_row if soft else read_rows))
    return tuple(a for a in anchors if a is not None)


def _inputs_by_row(sheet: SheetLayout) -> dict[int, frozenset[str]]:
    """The keys of the input cells of each row (a sorted block moves them together)."""
    inputs: dict[int, set[str]] = {}
    for c in sheet.cells:
        if c.role is Role.INPUT:
            inputs.setdefault(c.row, set()).add(c.key)
    return {r: frozenset(keys) for r, keys in inputs.items()}


def _row_labels(cells: list[Cell]) -> tuple[tuple[str, str], ...]:
    """(column, normalised text) of a row's first and last label with text.

    A block's row is checked against them: a sort that left the ids behind moved them.
    """
    labels = tuple((c.column, norm(c.value)) for c in cells
                   if c.role is Role.LABEL and not c.key and isinstance(c.value, str) and c.value.strip())
    return labels if len(labels) <= 2 else (labels[0], labels[-1])


def _probes(sheet: SheetLayout, headers: Mapping[str, str]) -> dict[str, tuple[str, int, str]]:
    """For each column without a header, its first label with text: (column, 0-based row, normalised text)."""
    probes: dict[str, tuple[str, int, str]] = {}
    for c in sheet.cells:
        if c.column not in headers and c.column not in probes and c.role is Role.LABEL and norm(c.value):
            probes[c.column] = (c.column, c.row - 1, norm(c.value))
    return probes


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


def value_at(grid: Grid, r: int, c: int) -> RawValue:
    """The value at row ``r``, column ``c`` (0-based) of ``grid``; None beyond its edges."""
    line = grid[r] if r < len(grid) else ()
    return line[c] if c < len(line) else None


def letters(index: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    n, out = index + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
