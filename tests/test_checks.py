"""Formula cells judged by formula (core/checks.py): a value pasted over its own formula is found even when right.

The same through LibreOffice's saved files is in tests/test_user_edits.py; here the pure check,
given the saved values and which cells still hold a formula, as any reader of any format gives them.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from ladder_sheets.core import layout
from ladder_sheets.core.checks import check_formulas
from ladder_sheets.core.cells import Role
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.readplan import column_index
from ladder_sheets.core.results import Kind
from tests.conftest import DUE, QUARTER
from tests.support.results import inputs_for


def _saved(ladder: Ladder, roster: Roster, pasted: set[str]) -> tuple[list[str], list[str]]:
    """(problems, formula keys of the scorecard) for a workbook whose every formula shows the right value, and
    whose cells ``pasted`` hold that value as a constant instead of the formula."""
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    inputs = inputs_for(ladder, person.target_level, 2, 3)
    raw = dict(layout.expected_values(ladder, person, inputs))
    where = {c.key: (s.title, (c.row - 1, column_index(c.column))) for s, c in wl.cells(Role.FORMULA)}

    def formulas(title: str) -> AbstractSet[tuple[int, int]]:
        return {at for key, (t, at) in where.items() if t == title and key not in pasted}

    problems = check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx", formulas=formulas)
    return [f"{p.kind}|{p.sheet}|{p.cell}|{p.message}" for p in problems], sorted(where)


def test_every_formula_in_place_and_right_is_no_problem(ladder: Ladder, roster: Roster) -> None:
    assert _saved(ladder, roster, set())[0] == []


def test_a_value_pasted_over_its_own_formula_is_found_though_it_is_right_today(ladder: Ladder,
                                                                             roster: Roster) -> None:
    assert "result.self_pct" in _saved(ladder, roster, set())[1]
    problems, _ = _saved(ladder, roster, {"result.self_pct"})  # the SE's readiness, pasted as a value
    assert len(problems) == 1
    kind, _, _, message = problems[0].split("|", 3)
    assert kind == Kind.TAMPERED and message.startswith("formula replaced by a typed or pasted value")
    assert "no longer following them" in message


def test_values_pasted_over_several_formulas_of_a_sheet_are_one_finding(ladder: Ladder, roster: Roster) -> None:
    pasted = {"criteria.PR-01.self_points", "criteria.PR-02.self_points", "criteria.PR-03.self_points"}
    problems, _ = _saved(ladder, roster, pasted)
    assert len(problems) == 1 and "3 formulas replaced by typed or pasted values" in problems[0]
