"""The number format of one cell of a returned workbook, as an Excel format code.

Asked only for a free-text cell that holds a number (a date, a fraction typed into a cell
not formatted as text), so collect can keep what the app showed (``core.numfmt``); a file
is searched once, on the first such question. Each format keeps it its own way:

- .xlsx / .xlsm: the cell's style (``s``) names an entry of styles.xml's ``cellXfs``, whose
  ``numFmtId`` is a built-in format or one of ``numFmts``;
- .ods: the cell's style (or its column's default) names a data style, a tree of elements
  (``number:day``, ``number:fraction``...) that is turned into the same code;
- .xls: the cell's record names an XF record, whose format is built in or a FORMAT record.

.xlsb (styles in binary records) is not searched: "" as for a cell in General.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from . import biff
from .errorcells import xlsx_sheets
from .sheetxml import Cells

Lookup = Callable[[str, int, int], str]  # (sheet title, row, column from 0) -> format code ("" unknown)

# ECMA-376 18.8.30: the built-in formats a file names by id alone; 14 shows as the locale's short
# date, m/d/yyyy in Excel's en-US.
BUILT_IN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
            12: "# ?/?", 13: "# ??/??", 14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
            18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yyyy h:mm", 45: "mm:ss",
            46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@"}
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def lookup(path: Path) -> Lookup:
    """The cell-to-format lookup of one file; "" wherever the file cannot tell."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xls":
            return _xls(path)
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(path)
        if suffix == ".ods":
            return _ods(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError, biff.NotBiff):
        pass
    return lambda title, row, column: ""


def _xlsx(path: Path) -> Lookup:
    with zipfile.ZipFile(path) as zf:
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
        parts = dict(xlsx_sheets(zf))
        sheets = {title: zf.read(part) for title, part in parts.items()}
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in styles.iter(f"{_MAIN}numFmt")}
    xfs = styles.find(f"{_MAIN}cellXfs")
    ids = [int(xf.get("numFmtId", "0")) for xf in (xfs if xfs is not None else [])]

    def code(title: str, row: int, column: int) -> str:
        for r, c, attrs, _ in Cells().feed(sheets.get(title, b"")):
            if (r - 1, c - 1) == (row, column):
                style = _attribute(attrs, b"s")
                fmt = ids[int(style)] if style.isdigit() and int(style) < len(ids) else 0
                return custom.get(fmt, BUILT_IN.get(fmt, ""))
        return ""
    return code


def _attribute(attrs: bytes, name: bytes) -> str:
    found = re.search(rb"(?:^|\s)" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""", attrs)
    return "" if found is None else (found.group(1) if found.group(1) is not None else found.group(2)).decode()


def _xls(path: Path) -> Lookup:
    data, wide = biff.workbook_stream(path)
    formats, xf_formats = dict(BUILT_IN), []
    for kind, start, end in biff.records(data, 0):
        if kind == biff.FORMAT and end - start >= 3:
            formats[int.from_bytes(data[start:start + 2], "little")] = biff.string(data[start + 2:end], wide)
        elif kind == biff.XF and end - start >= 4:
            xf_formats.append(int.from_bytes(data[start + 2:start + 4], "little"))
    offsets = dict(biff.sheets(data, wide))

    def code(title: str, row: int, column: int) -> str:
        if title not in offsets:
            return ""
        xf = biff.xf_of(data, offsets[title], row, column)
        return formats.get(xf_formats[xf], "") if xf is not None and xf < len(xf_formats) else ""
    return code


# ---- .ods: styles are elements, turned into the same codes -------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods(path: Path) -> Lookup:
    with zipfile.ZipFile(path) as zf:
        content = ElementTree.fromstring(zf.read("content.xml"))
        names = set(zf.namelist())
        styles = ElementTree.fromstring(zf.read("styles.xml")) if "styles.xml" in names else None
    data_style: dict[str, str] = {}  # cell style -> its data style's name
    codes: dict[str, str] = {}  # data style -> format code
    for root in (r for r in (styles, content) if r is not None):
        for el in root.iter(f"{_STYLE}style"):
            if el.get(f"{_STYLE}data-style-name"):
                data_style[el.get(f"{_STYLE}name", "")] = el.get(f"{_STYLE}data-style-name", "")
        for el in root.iter():
            if el.tag.startswith(_NUMBER) and el.tag.endswith("-style"):
                codes[el.get(f"{_STYLE}name", "")] = _ods_code(el)
    tables = {t.get(f"{_TABLE}name", ""): t for t in content.iter(f"{_TABLE}table")}

    def code(title: str, row: int, column: int) -> str:
        table = tables.get(title)
        style = "" if table is None else _ods_cell_style(table, row, column)
        return codes.get(data_style.get(style, ""), "")
    return code


def _ods_cell_style(table: ElementTree.Element, row: int, column: int) -> str:
    """The style of a cell: its own, else its row's default, else its column's default (repeats counted)."""
    column_style, at = "", 0
    for col in table.iter(f"{_TABLE}table-column"):
        at += int(col.get(f"{_TABLE}number-columns-repeated", "1"))
        if at > column:
            column_style = col.get(f"{_TABLE}default-cell-style-name", "")
            break
    at = 0
    for tr in table.iter(f"{_TABLE}table-row"):
        at += int(tr.get(f"{_TABLE}number-rows-repeated", "1"))
        if at <= row:
            continue
        x = 0
        for cell in tr:
            x += int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
            if x > column:
                return cell.get(f"{_TABLE}style-name") or tr.get(f"{_TABLE}default-cell-style-name") or column_style
        return tr.get(f"{_TABLE}default-cell-style-name") or column_style
    return column_style


def _ods_code(style: ElementTree.Element) -> str:
    """A data style's elements as an Excel format code (dates, times and fractions; other numbers "0")."""
    out = []
    for el in style:
        part = el.tag.removeprefix(_NUMBER)
        long = el.get(f"{_NUMBER}style") == "long"
        if part == "text":
            out.append('"' + (el.text or "").replace('"', "") + '"')
        elif part == "fraction":
            whole = "# " if el.get(f"{_NUMBER}min-integer-digits") is not None else ""
            top = "?" * int(el.get(f"{_NUMBER}min-numerator-digits", "1"))
            bottom = el.get(f"{_NUMBER}denominator-value") or "?" * int(el.get(f"{_NUMBER}min-denominator-digits", "1"))
            out.append(f"{whole}{top}/{bottom}")
        elif part == "month":
            textual = el.get(f"{_NUMBER}textual") == "true"
            out.append(("mmmm" if long else "mmm") if textual else ("mm" if long else "m"))
        else:
            out.append(_ODS_PARTS.get(part, ("", ""))[long])
    return "".join(out)


# Each element's code, short and long.
_ODS_PARTS = {"day": ("d", "dd"), "year": ("yy", "yyyy"), "day-of-week": ("ddd", "dddd"), "hours": ("h", "hh"),
              "minutes": ("m", "mm"), "seconds": ("s", "ss"), "am-pm": ("AM/PM", "AM/PM"), "number": ("0", "0")}
