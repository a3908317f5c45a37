"""The records of an .xls (BIFF5/BIFF8, inside an OLE container read with olefile) that collect needs.

python-calamine reads an .xls's values; which cells hold a formula (``formulas``) and which
number format a cell has (``numberformats``) are in records it does not expose. A workbook
stream is a run of records, each a type and a length (two bytes each) and its body; the
globals come first (a BOUNDSHEET per sheet: where its records start, and its name; XF and
FORMAT records for number formats), then each sheet's records up to its EOF.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import olefile

EOF_ = 0x000A
BOUNDSHEET = 0x0085
FORMULA = 0x0006
NUMBER = 0x0203
RK = 0x027E
MULRK = 0x00BD
XF = 0x00E0
FORMAT = 0x041E


class NotBiff(Exception):
    """Not a workbook stream this reader follows."""


def workbook_stream(path: Path) -> tuple[bytes, bool]:
    """The workbook stream, and whether it is BIFF8 (two-byte characters possible) rather than BIFF5."""
    with olefile.OleFileIO(str(path)) as ole:
        for name, wide in (("Workbook", True), ("Book", False)):
            if ole.exists(name):
                return ole.openstream(name).read(), wide
    raise NotBiff


def records(data: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, start, end) of each record from ``at`` up to its EOF (or a truncated record)."""
    while at + 4 <= len(data):
        kind, length = int.from_bytes(data[at:at + 2], "little"), int.from_bytes(data[at + 2:at + 4], "little")
        yield kind, at + 4, min(at + 4 + length, len(data))
        if kind == EOF_:
            return
        at += 4 + length


def sheets(data: bytes, wide: bool) -> list[tuple[str, int]]:
    """(name, where its records start) of each sheet, from the globals' BOUNDSHEET records."""
    return [(_short_string(data[start + 6:end], wide), int.from_bytes(data[start:start + 4], "little"))
            for kind, start, end in records(data, 0) if kind == BOUNDSHEET and end - start >= 8]


def cells(data: bytes, offset: int, kinds: set[int]) -> Iterator[tuple[int, int]]:
    """(row, column) from 0 of each record of ``kinds`` in a sheet: each starts with the cell's row and column."""
    for kind, start, end in records(data, offset):
        if kind in kinds and end - start >= 4:
            yield int.from_bytes(data[start:start + 2], "little"), int.from_bytes(data[start + 2:start + 4], "little")


def xf_of(data: bytes, offset: int, row: int, column: int) -> int | None:
    """The XF index of a sheet's cell holding a number (NUMBER, RK, MULRK or FORMULA), if it has one."""
    for kind, start, end in records(data, offset):
        if end - start < 6 or int.from_bytes(data[start:start + 2], "little") != row:
            continue
        first = int.from_bytes(data[start + 2:start + 4], "little")
        if kind in (NUMBER, RK, FORMULA) and first == column:
            return int.from_bytes(data[start + 4:start + 6], "little")
        if kind == MULRK and first <= column:
            at = start + 4 + 6 * (column - first)  # (XF, RK) pairs of six bytes, then the last column
            if at + 2 <= end - 2:
                return int.from_bytes(data[at:at + 2], "little")
    return None


def _short_string(body: bytes, wide: bool) -> str:
    """A ShortXLUnicodeString (BIFF8: a count, a flag for two-byte characters) or BIFF5's bytes."""
    if not body:
        return ""
    count = body[0]
    if not wide:
        return body[1:1 + count].decode("cp1252", "replace")
    if len(body) > 1 and body[1] & 1:
        return body[2:2 + 2 * count].decode("utf-16-le", "replace")
    return body[2:2 + count].decode("latin-1")


def string(body: bytes, wide: bool) -> str:
    """An XLUnicodeString (BIFF8: a two-byte count, a flag) or BIFF5's one-byte count and bytes."""
    if not wide:
        return body[1:1 + body[0]].decode("cp1252", "replace") if body else ""
    if len(body) < 3:
        return ""
    count = int.from_bytes(body[:2], "little")
    if body[2] & 1:
        return body[3:3 + 2 * count].decode("utf-16-le", "replace")
    return body[3:3 + count].decode("latin-1")
