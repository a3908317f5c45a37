"""How far each table of an .ods reaches, streamed from content.xml: for ``guard``, before calamine reads it.

Rows and cells repeated (``number-rows-repeated``, ``number-columns-repeated``) count as
they repeat, as calamine expands them; a cell holds something when it has a value type or
a paragraph of text.
"""

from __future__ import annotations

import xml.parsers.expat
import zipfile

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


class OdsExtent:
    """Streams content.xml and stops at the first table over a limit. Repeats count, as calamine expands them."""

    def __init__(self, max_rows: int, max_columns: int) -> None:
        self.max_rows, self.max_columns = max_rows, max_columns
        self.title = ""
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.column = 0
        self.cell_repeat = 1
        self.cell_valued = False
        self.row_last_column = 0
        self.rows = self.columns = 0
        self.over: tuple[str, int, int] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == f"{_TABLE_NS} table":
            self.title, self.row, self.rows, self.columns = attrs.get(f"{_TABLE_NS} name", ""), 0, 0, 0
        elif name == f"{_TABLE_NS} table-row":
            self.row_repeat = _int(attrs.get(f"{_TABLE_NS} number-rows-repeated"))
            self.column, self.row_last_column = 0, 0
        elif name in (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell"):
            self.cell_repeat = _int(attrs.get(f"{_TABLE_NS} number-columns-repeated"))
            self.cell_valued = f"{_OFFICE_NS} value-type" in attrs
        elif name == f"{_TEXT_NS} p":
            self.cell_valued = True

    def end(self, name: str) -> None:
        if name in (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell"):
            self.column += self.cell_repeat
            if self.cell_valued:
                self.row_last_column = self.column
            self.cell_valued = False
        elif name == f"{_TABLE_NS} table-row":
            self.row += self.row_repeat
            if self.row_last_column:
                self.rows, self.columns = self.row, max(self.columns, self.row_last_column)
                if self.rows > self.max_rows or self.columns > self.max_columns:
                    self.over = self.over or (self.title, self.rows, self.columns)


def first_over(zf: zipfile.ZipFile, max_rows: int, max_columns: int) -> tuple[str, int, int] | None:
    """(title, rows, columns) of the first table reaching past a limit, else None. Raises ExpatError
    when content.xml is not well-formed."""
    if "content.xml" not in zf.namelist():
        return None  # calamine says what is missing
    extent = OdsExtent(max_rows, max_columns)
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = extent.start
    parser.EndElementHandler = extent.end
    with zf.open("content.xml") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            parser.Parse(chunk, False)
            if extent.over:
                return extent.over
        parser.Parse(b"", True)
    return extent.over


def _int(text: str | None) -> int:
    try:
        return max(1, int(text)) if text else 1
    except ValueError:
        return 1
