"""A workbook filled from its shape's template is cell-for-cell the workbook openpyxl writes directly."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from ladder_sheets.core import cells, layout
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.xlsx.batch import TemplateWriter
from ladder_sheets.xlsx.writer import workbook_bytes
from tests.support.xlsx_snapshot import snapshot

DUE = date(2026, 12, 7)




@pytest.mark.parametrize("index", range(8))
def test_template_fill_equals_direct_write(index: int, ladder: Ladder, roster: Roster) -> None:
    writer = TemplateWriter(ladder, roster, "2026-Q4", DUE)
    for person in roster.people:  # warm every shape first, so each person is filled from a template
        writer.render(person)
    person = roster.people[index]
    direct = workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", DUE))
    assert snapshot(writer.render(person)) == snapshot(direct)


def test_markup_and_formula_like_names_survive_as_text(ladder: Ladder, roster: Roster) -> None:
    person = replace(roster.people[0], name='=A1 & <b>"Bo"</b> \ue000email\ue001', email="bo&co@example.com")
    roster = replace(roster, people=(person, *roster.people[1:]))
    writer = TemplateWriter(ladder, roster, "2026-Q4", DUE)
    writer.render(roster.people[1])
    assert snapshot(writer.render(person)) == snapshot(workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", DUE)))
    wb = openpyxl.load_workbook(io.BytesIO(writer.render(person)))
    assert wb[cells.GUIDE]["B3"].value == person.name and wb[cells.GUIDE]["B3"].data_type == "s"


def test_the_guide_names_where_to_return_the_workbook(ladder: Ladder, roster: Roster) -> None:
    """The manager's return_to, else the roster's, else the manager's address: from templates as when written directly."""
    first = replace(roster.managers[0], return_to="east-returns@apex.example")
    roster = replace(roster, managers=(first, *roster.managers[1:]), return_to="se-ops@apex.example")
    writer = TemplateWriter(ladder, roster, "2026-Q4", DUE)
    for person in roster.people:
        writer.render(person)
    for person in roster.people:
        want = "east-returns@apex.example" if person.manager == first.id else "se-ops@apex.example"
        assert roster.return_address(person) == want
        filled = writer.render(person)
        assert snapshot(filled) == snapshot(workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", DUE)))
        guide = [str(c.value) for row in openpyxl.load_workbook(io.BytesIO(filled))[cells.GUIDE].iter_rows()
                 for c in row if c.value]
        assert any(f"return it to {want} by 2026-12-07" in text for text in guide)
