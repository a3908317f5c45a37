"""Which cells of a returned file hold a formula: read from the file itself, as each format records it.

The formats as apps save them are in tests/test_user_edits.py (LibreOffice saves .xlsx, .xlsm,
.ods and .xls, with a formula pasted over by its own value); here, the layout and the writer
agree on every formula cell, and the ways an .xlsx sheet may be written place them right.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.layout import Role
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.readplan import column_index
from ladder_sheets.xlsx.formulas import formula_cells
from ladder_sheets.xlsx.generate import generate, workbook_path
from ladder_sheets.xlsx.sheetxml import Cells
from tests.conftest import DUE, QUARTER


def test_every_formula_the_layout_writes_is_a_formula_in_the_file(ladder: Ladder, roster: Roster,
                                                                   tmp_path: Path) -> None:
    generate(ladder, roster, QUARTER, tmp_path, due=DUE, jobs=1)
    for person in roster.people[:3]:  # people of different levels: different sheets
        wl = layout.build(ladder, roster, person, QUARTER, DUE)
        found = formula_cells(workbook_path(tmp_path / QUARTER, person))
        assert found is not None
        for sheet in wl.sheets:
            want = {(c.row - 1, column_index(c.column)) for c in sheet.cells if c.role is Role.FORMULA}
            assert found[sheet.title] == want, sheet.title


CELL = '<row r="6"><c r="H6" s="1">{}</c></row>'

# Sheet XML as different writers write it, and the formula cells (0-based row, column) in it.
XML = {
    "a formula": (CELL.format("<f>G6*2</f><v>4</v>"), {(5, 7)}),
    "a value": (CELL.format("<v>4</v>"), set()),
    "an empty cell": ('<row r="6"><c r="H6" s="1"/></row>', set()),
    "text that reads <f": (CELL.format('<is><t>&lt;f&gt; is not a formula</t></is>'), set()),
    "a shared formula's other cell": ('<row r="6"><c r="H6"><f t="shared" ref="H6:H7" si="0">G6*2</f><v>4</v></c>'
                                      '</row><row r="7"><c r="H7"><f t="shared" si="0"/><v>6</v></c></row>',
                                      {(5, 7), (6, 7)}),
    "prefixed elements": ('<x:row r="6"><x:c r="H6"><x:f>G6*2</x:f><x:v>4</x:v></x:c></x:row>', {(5, 7)}),
    "r after other attributes, single quotes": ("<row r='6'><c s='1' t='n' r='J6'><f>1</f></c></row>", {(5, 9)}),
    "r after other attributes, double quotes": ('<row r="6"><c s="1" t="n" r="J6"><f>1</f></c></row>', {(5, 9)}),
    "attributes on lines of their own": ('<row r="6"><c\n    r="J6"\n    s="1"><f>1</f></c></row>', {(5, 9)}),
    "a line break before the formula": (CELL.format("\n  <f>G6*2</f>\n  <v>4</v>\n"), {(5, 7)}),
    "cells and rows without r": ('<row r="6"><c r="H6"><v>1</v></c><c><f>1</f></c></row><row><c><f>2</f></c>'
                                 '<c t="str"><f>"x"</f><v>x</v></c></row>', {(5, 8), (6, 0), (6, 1)}),
    "a row with r, its cells without": ('<row r="6"><c><f>1</f></c><c><f>2</f></c></row>', {(5, 0), (5, 1)}),
}


@pytest.mark.parametrize("case", list(XML))
def test_formula_cells_are_placed_however_the_sheet_is_written(case: str) -> None:
    xml, want = XML[case]
    data = f'<worksheet><sheetData>{xml}</sheetData></worksheet>'.encode()
    assert {(r - 1, c - 1) for r, c, _, _ in Cells().feed(data, formulas_only=True)} == want
