"""Which cells of a returned workbook hold a formula, as the file itself records it.

python-calamine gives each cell's value only: a formula cell reads as the result an app
saved, the same as a number typed in its place. A formula replaced by its own value (pasted
over itself, or typed) then reads exactly like the formula, and the sheet shows a stale
number once the inputs change. Every format collect reads says which cells hold a formula:

- .xlsx / .xlsm: an ``<f>`` element opening the cell (a shared or array formula's other cells too);
- .ods: a ``table:formula`` attribute on the cell in content.xml;
- .xlsb: a formula record (``BrtFmlaString``, ``BrtFmlaNum``, ``BrtFmlaBool``, ``BrtFmlaError``);
- .xls: a ``FORMULA`` record in the sheet's part of the Workbook stream (BIFF8; BIFF5's
  Book stream alike), read through olefile.

The guard has bounded every file before it gets here.
"""

from __future__ import annotations

import xml.parsers.expat
import zipfile
from pathlib import Path

import olefile

from . import xlsb
from .errorcells import xlsx_sheets
from .sheetxml import Cells

Formulas = dict[str, frozenset[tuple[int, int]]]  # sheet title -> (0-based row, column) of each formula cell

_XLSB_FORMULAS = frozenset(range(0x0008, 0x000C))  # BrtFmlaString, BrtFmlaNum, BrtFmlaBool, BrtFmlaError
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def formula_cells(path: Path) -> Formulas | None:
    """The cells holding a formula, by sheet; None when the file cannot be read for them (calamine
    will have said why, or reads it regardless: then formulas are judged by their values alone)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xls":
            return _xls(path)
        with zipfile.ZipFile(path) as zf:
            if suffix == ".ods":
                return _ods(zf)
            if suffix == ".xlsb":
                return {title: frozenset((r, c) for r, c, kind, _ in xlsb.cells(zf.read(part))
                                         if kind in _XLSB_FORMULAS)
                        for title, part in xlsb.sheets(zf, lambda z, name: z.read(name))}
            return {title: _xlsx(zf.read(part)) for title, part in xlsx_sheets(zf)}
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, xml.parsers.expat.ExpatError, _NotBiff):
        return None


def _xlsx(data: bytes) -> frozenset[tuple[int, int]]:
    return frozenset((row - 1, column - 1) for row, column, _, _ in Cells().feed(data, formulas_only=True))


def _ods(zf: zipfile.ZipFile) -> Formulas:
    """Streams content.xml, counting repeated rows and cells as they repeat."""
    out: dict[str, set[tuple[int, int]]] = {}
    title, row, column, repeat = "", 0, 0, 1

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal title, row, column, repeat
        if name == f"{_TABLE} table":
            title, row = attrs.get(f"{_TABLE} name", ""), 0
            out.setdefault(title, set())
        elif name == f"{_TABLE} table-row":
            column, repeat = 0, _count(attrs.get(f"{_TABLE} number-rows-repeated"))
        elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            columns = _count(attrs.get(f"{_TABLE} number-columns-repeated"))
            if f"{_TABLE} formula" in attrs:
                out[title].update((r, c) for r in range(row, row + repeat) for c in range(column, column + columns))
            column += columns

    def end(name: str) -> None:
        nonlocal row
        if name == f"{_TABLE} table-row":
            row += repeat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with zf.open("content.xml") as fh:
        parser.ParseFile(fh)
    return {title: frozenset(cells) for title, cells in out.items()}


def _count(text: str | None) -> int:
    """A repeat count; the guard has bounded what the cells holding content reach."""
    try:
        return max(1, min(int(text), 1 << 20)) if text else 1
    except ValueError:
        return 1


# ---- .xls (BIFF) -------------------------------------------------------------------------

_EOF, _BOUNDSHEET, _FORMULA = 0x000A, 0x0085, 0x0006


class _NotBiff(Exception):
    """Not a workbook stream this reader follows (encrypted, or not BIFF5/8)."""


def _xls(path: Path) -> Formulas:
    with olefile.OleFileIO(str(path)) as ole:
        for name, wide in (("Workbook", True), ("Book", False)):  # BIFF8, then BIFF5
            if ole.exists(name):
                return _biff(ole.openstream(name).read(), wide)
    raise _NotBiff


def _biff(data: bytes, wide: bool) -> Formulas:
    """Each sheet (its BOUNDSHEET record in the globals: where its records start, and its name),
    and the FORMULA records of its records, each starting with the cell's row and column."""
    out: Formulas = {}
    for kind, start, end in _records(data, 0):
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and end - start >= 8:
            offset = int.from_bytes(data[start:start + 4], "little")
            cells = set()
            for inner, at, stop in _records(data, offset):
                if inner == _EOF:
                    break
                if inner == _FORMULA and stop - at >= 4:
                    cells.add((int.from_bytes(data[at:at + 2], "little"), int.from_bytes(data[at + 2:at + 4], "little")))
            out[_sheet_name(data[start + 6:end], wide)] = frozenset(cells)
    return out


def _records(data: bytes, at: int) -> list[tuple[int, int, int]]:
    """(type, start, end) of each record from ``at``, up to a truncated one."""
    found = []
    while at + 4 <= len(data):
        kind, length = int.from_bytes(data[at:at + 2], "little"), int.from_bytes(data[at + 2:at + 4], "little")
        found.append((kind, at + 4, min(at + 4 + length, len(data))))
        at += 4 + length
        if kind == _EOF:
            break
    return found


def _sheet_name(body: bytes, wide: bool) -> str:
    """A ShortXLUnicodeString (BIFF8: a count, a flag for two-byte characters) or BIFF5's bytes."""
    if not body:
        return ""
    count = body[0]
    if not wide:
        return body[1:1 + count].decode("cp1252", "replace")
    if len(body) > 1 and body[1] & 1:
        return body[2:2 + 2 * count].decode("utf-16-le", "replace")
    return body[2:2 + count].decode("latin-1")
