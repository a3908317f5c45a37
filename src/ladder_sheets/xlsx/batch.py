"""Many workbooks of one shape, fast: render each shape once, then fill in the person.

Workbooks of people with the same current and target level differ only in a few
strings (name, id, email, manager, team). The first workbook of a shape is written by
openpyxl with unmistakable placeholder tokens for those strings; every other one is the
same zip with the tokens replaced (XML-escaped) in the parts that hold them. That takes
openpyxl's ~30 ms per workbook down to ~2 ms, and tests hold a filled template to be
cell-for-cell what a direct write gives.

Carried-forward workbooks (last quarter's evidence and metrics, different for everyone)
use a template of the same shape with empty "Last quarter" cells, and each person's values
are written into those cells' XML exactly as openpyxl writes them (inline strings, numbers
as ``%.16g``), so they stay ~2 ms too. Should a template cell ever not look as expected,
that workbook is written directly instead: slower, never wrong.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from ..core import layout
from ..core.model import CellValue, Ladder, Manager, Person, Roster
from .writer import workbook_bytes, write_bytes

# Private-use characters: valid XML, never typed by anyone, never split by a writer.
_FIELDS = ("name", "id", "email", "manager_name", "manager_email", "team", "return_to")
_TOKEN = {f: f"\ue000{f}\ue001" for f in _FIELDS}
_PLACEHOLDER_MANAGER = "\ue000manager\ue001"
# As the XML serialiser may write them: raw UTF-8, or as character references.
_TOKENS = re.compile("(?:\ue000|&#57344;)(" + "|".join(_FIELDS) + ")(?:\ue001|&#57345;)")
_MARKS = ("\ue000".encode("utf-8"), b"&#57344;")
# An empty styled cell as openpyxl (with lxml) writes it, and the parts of worksheets by position.
_EMPTY_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)" s="([0-9]+)" t="n"></c>')
_SHEET_PART = "xl/worksheets/sheet{}.xml"
# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class _Template:
    parts: list[tuple[zipfile.ZipInfo, bytes]]
    carry_cells: dict[str, dict[str, str]]  # worksheet part -> cell ref -> carry.* key


class TemplateWriter:
    """Writes workbooks for one ladder, roster, quarter and due date, caching a template per shape."""

    def __init__(self, ladder: Ladder, roster: Roster, quarter: str, due: date,
                 carry: Mapping[str, Mapping[str, CellValue]] | None = None) -> None:
        self.ladder, self.roster, self.quarter, self.due = ladder, roster, quarter, due
        self.carry = carry  # person id -> last quarter's values, written into a template's empty cells
        self._templates: dict[tuple[str, str, bool], _Template] = {}

    def write(self, person: Person, path: Path) -> None:
        write_bytes(self.render(person), path)

    def render(self, person: Person) -> bytes:
        carry = None if self.carry is None else self.carry.get(person.id, {})
        manager = self.roster.manager_of(person)
        values = {"name": person.name, "id": person.id, "email": person.email,
                  "manager_name": manager.name, "manager_email": manager.email, "team": manager.team,
                  "return_to": self.roster.return_address(person)}
        template = self._template(person, carry is not None)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in template.parts:
                if any(mark in data for mark in _MARKS):
                    # One pass, so a value that looks like a token is never substituted again.
                    text = _TOKENS.sub(lambda m: escape(values[m.group(1)]), data.decode("utf-8"))
                    data = text.encode("utf-8")
                cells = template.carry_cells.get(info.filename)
                if carry and cells:
                    filled = _fill_carry(data, cells, carry)
                    if filled is None:
                        return workbook_bytes(layout.build(self.ladder, self.roster, person, self.quarter,
                                                           self.due, carry))
                    data = filled
                zf.writestr(info, data)
        return out.getvalue()

    def _template(self, person: Person, carried: bool) -> _Template:
        key = (person.level, person.target_level, carried)
        if key not in self._templates:
            stand_in = Person(_TOKEN["id"], _TOKEN["name"], _TOKEN["email"], person.level, person.target_level,
                              _PLACEHOLDER_MANAGER)
            manager = Manager(_PLACEHOLDER_MANAGER, _TOKEN["manager_name"], _TOKEN["manager_email"], _TOKEN["team"],
                              _TOKEN["return_to"])
            roster = replace(self.roster, managers=(*self.roster.managers, manager), people=(stand_in,))
            wl = layout.build(self.ladder, roster, stand_in, self.quarter, self.due, {} if carried else None)
            carry_cells: dict[str, dict[str, str]] = {}
            for index, sheet in enumerate(wl.sheets, start=1):
                for cell in sheet.cells:
                    if cell.key.startswith("carry."):
                        carry_cells.setdefault(_SHEET_PART.format(index), {})[cell.ref] = cell.key
            with zipfile.ZipFile(io.BytesIO(workbook_bytes(wl))) as zf:
                self._templates[key] = _Template([(info, zf.read(info)) for info in zf.infolist()], carry_cells)
        return self._templates[key]


def _fill_carry(data: bytes, cells: Mapping[str, str], carry: Mapping[str, CellValue]) -> bytes | None:
    """A worksheet part with ``carry`` values in its empty carry cells.

    None when a cell is not where the template should have it, or a value is not plain
    text or a finite number: the caller then writes the workbook directly.
    """
    wanted = {ref: carry[key] for ref, key in cells.items() if carry.get(key) not in (None, "")}
    done: list[str] = []

    def fill(match: re.Match[str]) -> str:
        ref, style = match.group(1), match.group(2)
        xml = _cell_xml(ref, style, wanted[ref]) if ref in wanted else None
        if xml is None:
            return match.group(0)
        done.append(ref)
        return xml

    text = _EMPTY_CELL.sub(fill, data.decode("utf-8"))
    return text.encode("utf-8") if len(done) == len(wanted) else None


def _cell_xml(ref: str, style: str, value: CellValue) -> str | None:
    """One cell as openpyxl writes it: text as an inline string (data, never a formula), numbers as %.16g."""
    if isinstance(value, str):
        if _XML_ILLEGAL.search(value):
            return None  # openpyxl refuses these too, with its own error
        space = ' xml:space="preserve"' if value != value.strip() else ""
        # As lxml serialises it: markup escaped, CR and every non-ASCII character as a reference.
        text = escape(value, {"\r": "&#13;"}).encode("ascii", "xmlcharrefreplace").decode("ascii")
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return f'<c r="{ref}" s="{style}" t="n"><v>{"%.16g" % value}</v></c>'
