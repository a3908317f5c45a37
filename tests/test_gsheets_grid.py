"""google.pull on a spreadsheet's grid data as Sheets returns it, without a server: what the
network tests (test_gsheets_pull.py and others) cannot make, such as formulas Sheets rewrote."""

from __future__ import annotations

import random

from ladder_sheets.core import cells, layout
from ladder_sheets.core.cells import Role
from ladder_sheets.core.examine import Job, examine
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.readplan import column_index
from ladder_sheets.core.results import Kind
from ladder_sheets.google.pull import GridWorkbook, formula_problems
from tests.conftest import DUE, QUARTER
from tests.support.fill import random_inputs


def test_google_pull_judges_formulas_that_moved_by_their_values(ladder: Ladder, roster: Roster) -> None:
    """A column inserted in a Google spreadsheet: Sheets rewrites the formulas to follow their cells, so their text
    no longer equals the layout's; pull then judges them by value, as collect does, and accuses none."""
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    inputs, typed = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(5))
    expected = layout.expected_values(ladder, person, inputs)
    sheets = []
    for sheet in wl.sheets:
        shift = 1 if sheet.title == cells.SCORECARD else 0  # a column inserted before column A
        rows: dict[int, dict[int, dict[str, object]]] = {}
        for c in sheet.cells:
            value = typed.get(c.key) if c.role is Role.INPUT else expected.get(c.key) if c.role is Role.FORMULA \
                else c.value
            cell: dict[str, object] = {}
            if value not in (None, ""):
                kind = "numberValue" if isinstance(value, (int, float)) else "stringValue"
                cell["effectiveValue"] = {kind: value}
            if c.role is Role.FORMULA:
                cell["userEnteredValue"] = {"formulaValue": f"{c.value} (rewritten by Sheets)"}
            rows.setdefault(c.row - 1, {})[column_index(c.column) + shift] = cell
        row_data = [{"values": [rows.get(r, {}).get(i, {}) for i in range(1 + max(rows.get(r, {0: 0})))]}
                    for r in range(1 + max(rows))]
        sheets.append({"properties": {"title": sheet.title}, "data": [{"rowData": row_data}]})
    book = GridWorkbook({"sheets": sheets})
    outcome = examine(Job(ladder, roster, QUARTER), book, "https://sheets/x", 0.0)
    assert outcome.person_id == person.id and outcome.inputs == inputs
    assert [p for p in outcome.problems if p.kind == Kind.TAMPERED] == []
    assert outcome.moved == (cells.SCORECARD,)
    # Formula texts were rewritten on every sheet here: only the sheets read in place are still held to them.
    judged = formula_problems(book, wl, "https://sheets/x", outcome.moved)
    assert {p.sheet for p in judged} == {s.title for s in wl.sheets if s.title != cells.SCORECARD} - {cells.GUIDE}
