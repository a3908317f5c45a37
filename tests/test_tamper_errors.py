"""A formula typed over with an error (=NA()) is caught, and named as the error it shows."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core import layout
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Status
from tests.conftest import DUE, QUARTER
from tests.support.fill import random_inputs, write_values
from tests.support.libreoffice import recalc

pytestmark = pytest.mark.libreoffice


def test_na_over_a_formula_is_flagged_and_a_clean_twin_is_not(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    generate(ladder, roster, QUARTER, tmp_path / "out", due=DUE)
    directory = tmp_path / "out" / QUARTER
    broken, clean = roster.people[0], roster.people[1]
    rng = random.Random(9)
    for person in (broken, clean):
        wl = layout.build(ladder, roster, person, QUARTER, DUE)
        _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), rng, level=person.level)
        write_values(directory / f"{person.id}.xlsx", wl, values)
    sheet, cell = layout.build(ladder, roster, broken, QUARTER, DUE).by_key()["result.manager_pct"]
    wb = openpyxl.load_workbook(directory / f"{broken.id}.xlsx")
    wb[sheet.title][cell.ref] = "=NA()"
    wb.save(directory / f"{broken.id}.xlsx")
    returned = recalc([directory / f"{p.id}.xlsx" for p in (broken, clean)], tmp_path / "returned")
    by_id = {p.person.id: p for p in collect(returned, ladder, roster, QUARTER).people}
    assert [(p.kind, p.sheet, p.cell) for p in by_id[broken.id].problems] == [("tampered", sheet.title, cell.ref)]
    assert "found an error value (#N/A)" in by_id[broken.id].problems[0].message
    assert by_id[clean.id].status is Status.COMPLETE
