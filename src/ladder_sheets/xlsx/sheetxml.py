"""Where each cell of an .xlsx sheet's XML is, placed as python-calamine places it.

A cell's ``r`` attribute gives its place: its letters make the column and its digits the
row, wherever they are (calamine does not unescape ``&#73;W7``). A cell without one follows
the previous cell of its row, and a row without one follows the previous row (the format
allows both, and calamine reads them so). ``guard`` walks the cells for a sheet's real
extent, ``formulas`` for the cells holding a formula (an ``<f>``, a cell's first child:
shared and array formulas' other cells hold one too).

Every returned workbook is walked, so a place is worked out only when asked for: the walk
itself is one regular expression, and most cells are never asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A row or a cell, with any namespace prefix: group 2 its r attribute when it comes first (as every app
# writes it), group 3 its other attributes (ending in "/" for an empty element), group 4 the formula
# element that opens it (an empty group: none).
_TAG = re.compile(rb"""<(?:[\w.-]+:)?(c|row)(?=[\s/>])(\s+r\s*=\s*(?:"[^"]*"|'[^']*'))?([^>]*)>"""
                  rb"""(\s*<(?:[\w.-]+:)?f[\s/>])?""")
_REF = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DIGIT = re.compile(rb"\d")


class Cells:
    """Walks a sheet's XML, in one piece or chunk by chunk (each chunk ending between elements)."""

    def __init__(self) -> None:
        # Where the current row and cell are: the last reference seen (b"": none) and how many
        # rows or cells without one came after it.
        self._row_ref, self._rows_after = b"", 0
        self._cell_ref, self._cells_after = b"", 0

    def feed(self, data: bytes, *, formulas_only: bool = False) -> Iterator[tuple[int, int, bytes, bool]]:
        """(row, column, attributes, formula) of each cell, from 1 (with ``formulas_only``, of each formula
        cell); the attributes end in "/" for a cell written ``<c .../>`` (empty)."""
        for tag, first, attrs, opens in _TAG.findall(data):
            ref = _ref(first, attrs)
            if tag == b"row":
                if ref is None:
                    self._rows_after += 1
                else:
                    self._row_ref, self._rows_after = ref, 0
                self._cell_ref, self._cells_after = b"", 0
                continue
            if ref is None:
                self._cells_after += 1
            else:
                self._cell_ref, self._cells_after = ref, 0
                if ref[-1:].isdigit() or _DIGIT.search(ref) is not None:  # a cell's reference names its row too
                    self._row_ref, self._rows_after = ref, 0
            if opens or not formulas_only:
                yield (_number(self._row_ref) + self._rows_after, _letters(self._cell_ref) + self._cells_after,
                       first + attrs, bool(opens))


def _ref(first: bytes, attrs: bytes) -> bytes | None:
    """The r attribute's value, wherever it is among the element's attributes; None when it has none."""
    if first:
        return first[first.index(first[-1:]) + 1:-1]  # between its quotes
    found = _REF.search(attrs) if b"r" in attrs else None
    return None if found is None else found.group(1) if found.group(1) is not None else found.group(2)


def _letters(ref: bytes) -> int:
    n = 0
    for ch in ref.upper():
        if 65 <= ch <= 90:
            n = n * 26 + ch - 64
    return n


def _number(ref: bytes) -> int:
    digits = bytes(ch for ch in ref if 48 <= ch <= 57)
    return int(digits) if digits else 0
