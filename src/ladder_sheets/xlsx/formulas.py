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

from . import biff, xlsb
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
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, xml.parsers.expat.ExpatError, biff.NotBiff):
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


def _xls(path: Path) -> Formulas:
    data, wide = biff.workbook_stream(path)
    return {name: frozenset(biff.cells(data, offset, {biff.FORMULA})) for name, offset in biff.sheets(data, wide)}
