"""Which cells of a returned workbook show an error value (#NAME?, Err:509...).

python-calamine reads an error cell as "", the same as an empty one, so a text typed with
a leading "=" (``=great results``, an error in the app) would read as a blank evidence and
be lost without a word. The file itself says which cells are errors: ``t="e"`` in an
.xlsx/.xlsm sheet, ``calcext:value-type="error"`` in an .ods, an error record in an .xlsb. Files without any are
recognised by one byte search per sheet, so clean workbooks cost next to nothing.
An .xls (binary) is not searched: its error cells still read as blank.
"""

from __future__ import annotations

import re
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from . import xlsb

Errors = dict[str, dict[tuple[int, int], str]]  # sheet title -> (0-based row, col) -> error text

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XLSX_ERROR = re.compile(rb'<c\b(?=[^>]*\bt="e")([^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def error_cells(path: Path) -> Errors:
    """Error cells by sheet; {} for formats not searched or files that cannot be opened as zips."""
    suffix = path.suffix.lower()
    try:
        with zipfile.ZipFile(path) as zf:
            if suffix in (".xlsx", ".xlsm"):
                return _xlsx(zf)
            if suffix == ".ods":
                return _ods(zf)
            if suffix == ".xlsb":
                return _xlsb(zf)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        pass  # calamine has already read the file, or said why not: nothing more to add here
    return {}


def _xlsx(zf: zipfile.ZipFile) -> Errors:
    out: Errors = {}
    for title, part in xlsx_sheets(zf):
        data = zf.read(part)
        if b't="e"' not in data:
            continue
        for m in _XLSX_ERROR.finditer(data):
            ref, value = _REF.search(m.group(1)), _VALUE.search(m.group(2))
            if ref is not None:
                row, col = int(ref.group(2)) - 1, _column(ref.group(1).decode())
                out.setdefault(title, {})[(row, col)] = value.group(1).decode() if value else "#ERROR"
    return out


def _xlsb(zf: zipfile.ZipFile) -> Errors:
    out: Errors = {}
    for title, part in xlsb.sheets(zf, lambda z, name: z.read(name)):  # the guard has bounded every part
        found = xlsb.error_cells(zf.read(part))
        if found:
            out[title] = found
    return out


def xlsx_sheets(zf: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            yield sheet.get("name", ""), target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))


def _ods(zf: zipfile.ZipFile) -> Errors:
    data = zf.read("content.xml")
    if b'value-type="error"' not in data:
        return {}
    out: Errors = {}
    root = ElementTree.fromstring(data)
    for table in root.iter(f"{{{_TABLE}}}table"):
        title = table.get(f"{{{_TABLE}}}name", "")
        row = 0
        for tr in table.iter(f"{{{_TABLE}}}table-row"):
            rows = int(tr.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
            col = 0
            for cell in tr:
                cols = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
                if cell.get(f"{{{_CALCEXT}}}value-type") == "error":
                    text = "".join(cell.itertext()).strip() or "#ERROR"
                    for c in range(col, col + min(cols, 1024)):
                        out.setdefault(title, {})[(row, c)] = text
                col += cols
            row += rows
    return out


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
