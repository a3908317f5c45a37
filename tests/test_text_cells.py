"""Free-text inputs are text cells: what a person types there stays what they typed.

Excel and LibreOffice turn "12/1/2026" or "3/4" typed into a General cell into a date number,
and "=great" into a formula (an error); a cell formatted as text ("@") keeps it. The layout
gives every free-text input (evidence, comments, metric notes, read-out answers) a text format
and no other input one; the .xlsx keeps it (Google's is in tests/test_gsheets.py, typing into
it in LibreOffice in tests/test_real_app.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Check, Role
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.xlsx.generate import generate, workbook_path
from tests.conftest import DUE, QUARTER


def test_every_free_text_input_and_only_those_is_a_text_cell(ladder: Ladder, roster: Roster,
                                                            tmp_path: Path) -> None:
    generate(ladder, roster, QUARTER, tmp_path, due=DUE, jobs=1)
    shapes = {(p.level, p.target_level): p for p in roster.people}  # every kind of workbook the roster makes
    for person in shapes.values():
        wl = layout.build(ladder, roster, person, QUARTER, DUE)
        book = openpyxl.load_workbook(workbook_path(tmp_path / QUARTER, person))
        texts = 0
        for sheet, cell in wl.cells(Role.INPUT):
            assert cell.validation is not None
            text = cell.validation.check is Check.TEXT
            written = book[sheet.title][cell.ref].number_format
            assert written.startswith("@") == text, (person.id, cell.key, written)
            texts += text
        assert texts > len(ladder.rubric_for(person.target_level).criteria)  # evidence, comments, notes, answers
