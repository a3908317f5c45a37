"""The records of an .xlsb (Excel's binary workbook) that collect needs before python-calamine reads it.

An .xlsb is a zip like an .xlsx, but each sheet is a stream of binary records (MS-XLSB 2.1.4):
a type and a size, each a little-endian number of 7-bit groups, then the record. A row
header (``BrtRowHdr``) gives the row of the cells after it; each cell record starts with its
column. That is all ``guard`` needs for a sheet's real extent, and ``errorcells`` for the
cells showing an error value (calamine reads an error as ""). The extent a sheet declares
(``BrtWsDim``) is not trusted, as an .xlsx's ``<dimension>`` is not.

A cell may also be written in a "short" form, without its column (the previous cell's plus
one). Excel writes every cell in the full form; SheetJS (and apps built on it) writes the
short form for each cell after the first of a row, and python-calamine skips short cells
without a word: such a file would read as half blank, so ``SheetScan.short`` says so.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import NamedTuple

BOOK = "xl/workbook.bin"
RELS = "xl/_rels/workbook.bin.rels"

_ROW = 0x0000  # BrtRowHdr: rw (u32) first
# Cell records that hold a value, as calamine places them: BrtCellRk, BrtCellError, BrtCellBool,
# BrtCellReal, BrtCellSt, BrtCellIsst, BrtFmlaString, BrtFmlaNum, BrtFmlaBool, BrtFmlaError.
# (BrtCellBlank, 0x0001, is a formatted empty cell: it holds nothing.)
_VALUED = frozenset(range(0x0002, 0x000C))
_SHORT = frozenset(range(0x000C, 0x0013))  # BrtShortBlank ... BrtShortIsst: a cell without its column
_ERRORS = {0x0003, 0x000B}  # BrtCellError, BrtFmlaError: the error code follows column and style
_BUNDLE_SHEET = 0x009C  # BrtBundleSh in workbook.bin: a sheet's relationship id and name
# MS-XLSB 2.5.97.2 BErr
ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
               0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(type, start, end) of each record, ``data[start:end]`` its body; stops at a truncated one."""
    at, size = 0, len(data)
    while at < size:
        kind = data[at]
        at += 1
        if kind & 0x80:
            if at >= size:
                return
            kind = (kind & 0x7F) | ((data[at] & 0x7F) << 7)
            at += 1
        length = shift = 0
        for _ in range(4):
            if at >= size:
                return
            byte = data[at]
            at += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, at, at + length
        at += length


def cells(data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(row, column, record type, record start) of each cell holding a value, from 0."""
    row = 0
    for kind, start, end in records(data):
        if kind == _ROW and end - start >= 4:
            row = int.from_bytes(data[start:start + 4], "little")
        elif kind in _VALUED and end - start >= 4:
            yield row, int.from_bytes(data[start:start + 4], "little"), kind, start


class SheetScan(NamedTuple):
    rows: int  # the last row holding a value, from 1 (0: none)
    columns: int  # the last column holding a value, from 1
    short: bool  # some cell is written in the short form (no column), which calamine does not read


def scan(data: bytes) -> SheetScan:
    """A sheet's real extent, from its records, and whether it holds short cells."""
    rows = columns = row = 0
    short = False
    for kind, start, end in records(data):
        if kind == _ROW and end - start >= 4:
            row = int.from_bytes(data[start:start + 4], "little")
        elif kind in _VALUED and end - start >= 4:
            rows, columns = max(rows, row + 1), max(columns, int.from_bytes(data[start:start + 4], "little") + 1)
        elif kind in _SHORT:
            short = True
    return SheetScan(rows, columns, short)


def error_cells(data: bytes) -> dict[tuple[int, int], str]:
    """The cells (row, column from 0) of a sheet showing an error value, and the error's text."""
    return {(row, column): ERROR_CODES.get(data[start + 8], "#ERROR") if start + 8 < len(data) else "#ERROR"
            for row, column, kind, start in cells(data) if kind in _ERRORS}


def sheets(zf: zipfile.ZipFile, read: Callable[[zipfile.ZipFile, str], bytes]) -> list[tuple[str, str]]:
    """(name, part) of each sheet the workbook lists, in its order; ``read`` reads a part (bounded)."""
    names = set(zf.namelist())
    if BOOK not in names or RELS not in names:
        return []
    targets = {}
    for tag in _RELATIONSHIP.findall(read(zf, RELS)):
        attrs = {m.group(1): (m.group(2) if m.group(2) is not None else m.group(3) or b"").decode("utf-8", "replace")
                 for m in _ATTR.finditer(tag)}
        target = attrs.get(b"Target", "")
        targets[attrs.get(b"Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    data = read(zf, BOOK)
    out = []
    for kind, start, end in records(data):
        if kind == _BUNDLE_SHEET:
            rel, at = _wide(data, start + 8, end)
            name, _ = _wide(data, at, end)
            if targets.get(rel) in names:
                out.append((name, targets[rel]))
    return out


def _wide(data: bytes, at: int, end: int) -> tuple[str, int]:
    """An XLWideString (or XLNullableWideString: length 0xFFFFFFFF) at ``at``, and where it ends."""
    if at + 4 > end:
        return "", end
    count = int.from_bytes(data[at:at + 4], "little")
    if count == 0xFFFFFFFF:
        return "", at + 4
    stop = min(at + 4 + 2 * count, end)
    return data[at + 4:stop].decode("utf-16-le", "replace"), stop
