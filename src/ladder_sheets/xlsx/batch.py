"""Many workbooks of one shape, fast: render each shape once, then fill in the person.

Workbooks of people with the same current and target level differ only in a few
strings (name, id, email, manager, team). The first workbook of a shape is written by
openpyxl with unmistakable placeholder tokens for those strings; every other one is the
same zip with the tokens replaced (XML-escaped) in the parts that hold them, far cheaper
than an openpyxl write per workbook; tests hold a filled template to be cell-for-cell
(and part for part, in canonical XML) what a direct write gives.

Carried-forward workbooks (last quarter's evidence and metrics, different for everyone)
use a template of the same shape with empty "Last quarter" cells, and each person's values
are written into those cells' XML exactly as openpyxl writes them (inline strings, numbers
as ``%.16g``). Should a template cell ever not look as expected, that workbook is written
directly instead: slower, never wrong.

The zip is assembled by zipparts: parts without the person's strings are compressed once
per shape and their compressed bytes copied as they are; the ones with them are cut at
the tokens and the empty carry cells, so no part is compressed again per person.
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
from .zipparts import ZipPlan

# Private-use characters: valid XML, never typed by anyone, never split by a writer.
_FIELDS = ("name", "id", "email", "manager_name", "manager_email", "team", "return_to")
_TOKEN = {f: f"\ue000{f}\ue001" for f in _FIELDS}
_PLACEHOLDER_MANAGER = "\ue000manager\ue001"
# As the XML serialiser may write them: raw UTF-8, or as character references.
_TOKENS = re.compile("(?:\ue000|&#57344;)(" + "|".join(_FIELDS) + ")(?:\ue001|&#57345;)")
# An empty styled cell as openpyxl (with lxml) writes it, and the parts of worksheets by position.
_EMPTY_CELL = r'<c r="([A-Z]+[0-9]+)" s="([0-9]+)" t="n"></c>'
# Where a template part is cut: a token (group 1), or an empty cell (ref: group 2, style: group 3).
_CUTS = re.compile(f"{_TOKENS.pattern}|{_EMPTY_CELL}".encode("utf-8"))
_SHEET_PART = "xl/worksheets/sheet{}.xml"
# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class _CarryCell:
    ref: str
    style: str
    key: str  # carry.* key of its value
    empty: bytes  # the template's empty cell, kept when there is no value


@dataclass(frozen=True)
class _Template:
    plan: ZipPlan
    carry_cells: dict[str, _CarryCell]  # the plan's key of each carry cell it was cut at
    missing: frozenset[str]  # carry.* keys whose cell the template does not hold as expected


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
        filled = {k: escape(v).encode("utf-8") for k, v in values.items()}
        for name, cell in template.carry_cells.items():
            value = carry.get(cell.key) if carry else None
            xml = cell.empty if value in (None, "") else _cell_xml(cell.ref, cell.style, value)
            if xml is None:
                return self._direct(person, carry)
            filled[name] = xml if isinstance(xml, bytes) else xml.encode("ascii")
        if carry and any(carry.get(key) not in (None, "") for key in template.missing):
            return self._direct(person, carry)
        return template.plan.build(filled)

    def _direct(self, person: Person, carry: Mapping[str, CellValue] | None) -> bytes:
        return workbook_bytes(layout.build(self.ladder, self.roster, person, self.quarter, self.due, carry))

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
            self._templates[key] = _plan(workbook_bytes(wl), carry_cells if carried else {})
        return self._templates[key]


def _plan(template: bytes, carry_cells: dict[str, dict[str, str]]) -> _Template:
    """The template's parts: cut at the tokens and the empty carry cells they hold, the others fixed."""
    plan = ZipPlan()
    cells: dict[str, _CarryCell] = {}
    with zipfile.ZipFile(io.BytesIO(template)) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            chunks = _cut(data, info.filename, carry_cells.get(info.filename, {}), cells)
            if len(chunks) == 1:
                plan.fixed(info, data)
            else:
                plan.cut(info, chunks)
    wanted = {key for part in carry_cells.values() for key in part.values()}
    return _Template(plan, cells, frozenset(wanted - {c.key for c in cells.values()}))


def _cut(data: bytes, part: str, carry_refs: Mapping[str, str], cells: dict[str, _CarryCell]) -> list[bytes | str]:
    """``data`` as text chunks with, between them, the plan's key of each token and empty carry cell."""
    chunks: list[bytes | str] = []
    start = 0
    for match in _CUTS.finditer(data):
        field, ref, style = match.group(1), match.group(2), match.group(3)
        if field is not None:
            key = field.decode("ascii")
        elif ref.decode("ascii") in carry_refs:
            key = f"{part}!{ref.decode('ascii')}"
            cells[key] = _CarryCell(ref.decode("ascii"), style.decode("ascii"), carry_refs[ref.decode("ascii")],
                                    match.group(0))
        else:
            continue  # an empty cell that takes no carried value
        chunks += (data[start:match.start()], key)
        start = match.end()
    chunks.append(data[start:])
    return chunks


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
