"""Formula cells judged by formula (core/checks.py): a value pasted over its own formula is found even when right.

The same through LibreOffice's saved files is in tests/test_user_edits.py; here the pure check,
given the saved values and which cells still hold a formula, as any reader of any format gives them.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.checks import (check_formulas, check_meta, check_sheets, dependencies, reads_columns,
                                       same_value)
from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.inputs import RawValue, show
from ladder_sheets.core.model import CellValue, Ladder, Roster
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
    person = roster.people[0]
    inputs = inputs_for(ladder, person.target_level, 2, 3)
    shown = show(layout.expected_values(ladder, person, inputs)["result.self_pct"])
    assert kind == Kind.TAMPERED and message == (
        f"formula replaced by a typed or pasted value ({shown}): right for today's inputs, but no longer following "
        "them; copy the cells back from the workbook you were sent")


def test_a_blank_pasted_over_a_formula_that_shows_nothing_is_named_an_empty_cell(ladder: Ladder,
                                                                                  roster: Roster) -> None:
    assert _saved(ladder, roster, {"result.self_hold"})[0][0].split("|", 3)[3].startswith(
        "formula replaced by a typed or pasted value (an empty cell): ")


def test_values_pasted_over_several_formulas_of_a_sheet_are_one_finding(ladder: Ladder, roster: Roster) -> None:
    pasted = {"criteria.PR-01.self_points", "criteria.PR-02.self_points", "criteria.PR-03.self_points"}
    problems, _ = _saved(ladder, roster, pasted)
    assert len(problems) == 1 and "3 formulas replaced by typed or pasted values" in problems[0]


def _scorecard(ladder: Ladder, roster: Roster) -> tuple[WorkbookLayout, dict[str, tuple[SheetLayout, Cell]]]:
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    return wl, dict(wl.by_key())


def test_a_workbook_of_another_quarter_or_template_says_which_and_where(ladder: Ladder, roster: Roster) -> None:
    wl, keys = _scorecard(ladder, roster)
    raw: dict[str, RawValue] = {"meta.template_version": "0", "meta.quarter": "2026-Q3"}
    problems = check_meta(wl, keys, raw, QUARTER, "book.xlsx")
    (sheet, cell), (sheet_q, cell_q) = keys["meta.template_version"], keys["meta.quarter"]
    assert [(p.sheet, p.cell, p.kind, p.message) for p in problems] == [
        (sheet.title, cell.ref, Kind.VERSION, f"expected template version {wl.template_version}, found 0"),
        (sheet_q.title, cell_q.ref, Kind.QUARTER, f"expected quarter {QUARTER}, found 2026-Q3")]
    same: dict[str, RawValue] = {"meta.template_version": wl.template_version, "meta.quarter": QUARTER}
    assert check_meta(wl, keys, same, QUARTER, "book.xlsx") == []
    blank = check_meta(wl, keys, {"meta.template_version": wl.template_version}, QUARTER, "book.xlsx")
    assert [p.message for p in blank] == [f"expected quarter {QUARTER}, found a blank cell"]


def test_a_missing_sheet_is_named_with_the_sheets_that_were_found(ladder: Ladder, roster: Roster) -> None:
    wl, _ = _scorecard(ladder, roster)
    titles = tuple(s.title for s in wl.sheets)
    problems = check_sheets(wl, titles[1:] + ("Sheet1",), "book.xlsx")
    assert [(p.sheet, p.kind, p.message) for p in problems] == [
        (titles[0], Kind.MISSING_SHEET, "sheet not found (renamed or deleted?); sheets found: "
         + ", ".join(f"'{t}'" for t in (*titles[1:], "Sheet1")))]
    assert [p.message.endswith("sheets found: none") for p in check_sheets(wl, (), "b.xlsx")] == [True] * len(titles)


def test_pasted_cells_are_named_as_runs_of_their_columns(ladder: Ladder, roster: Roster) -> None:
    pasted = {"criteria.PR-01.self_points", "criteria.PR-02.self_points", "criteria.PR-04.self_points"}
    problems, _ = _saved(ladder, roster, pasted)
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    at = {c.key: c for _, c in wl.cells(Role.FORMULA)}
    one, two, four = (at[f"criteria.PR-0{n}.self_points"] for n in (1, 2, 4))
    assert two.row == one.row + 1 and four.row == one.row + 3 and one.column == four.column
    assert problems[0].split("|")[2] == f"{one.column}{one.row}:{one.column}{two.row},{four.column}{four.row}"


def test_a_sheet_with_every_formula_pasted_is_one_finding(ladder: Ladder, roster: Roster) -> None:
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    sheet = next(s for s in wl.sheets if sum(c.role is Role.FORMULA for c in s.cells) > 1)
    every = {c.key for c in sheet.cells if c.role is Role.FORMULA}
    problems, _ = _saved(ladder, roster, every)
    n = len(every)
    assert problems == [f"{Kind.TAMPERED}|{sheet.title}||no formula left on this sheet: its {n} calculated cells "
                        "hold values (pasted as values, or saved by an app that keeps values only), so they no "
                        "longer follow the inputs; collect recomputed them, but return the workbook saved from "
                        "Excel, LibreOffice or Google Sheets"]


def test_an_overwritten_result_says_what_was_found_and_expected(ladder: Ladder, roster: Roster) -> None:
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    inputs = inputs_for(ladder, person.target_level, 2, 3)
    raw = dict(layout.expected_values(ladder, person, inputs))
    raw["result.self_pct"] = 0.99
    problems = check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx")
    cell = next(c for _, c in wl.cells(Role.FORMULA) if c.key == "result.self_pct")
    assert [(p.cell, p.kind) for p in problems] == [(cell.ref, Kind.TAMPERED)]
    expected = show(layout.expected_values(ladder, person, inputs)["result.self_pct"])
    assert problems[0].message == (f"formula result overwritten: found 0.99, expected {expected} (recomputed from "
                                   "the inputs)")
    raw["result.self_pct"] = None  # an error value such as #N/A reads as blank
    (blank,) = check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx")
    assert blank.message == (f"formula result overwritten: found a blank or an error value (such as #N/A), "
                             f"expected {expected} (recomputed from the inputs)")


def test_a_workbook_no_app_calculated_is_not_judged(ladder: Ladder, roster: Roster) -> None:
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    inputs = inputs_for(ladder, person.target_level, 2, 3)
    raw: dict[str, RawValue] = {c.key: None for _, c in wl.cells(Role.FORMULA)}
    assert check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx") == []
    raw["result.self_pct"] = 0.99  # one value saved: the app calculated them all, so the blanks are judged too
    assert len(check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx")) > 1
    assert len(check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx", judge_blanks=False)) == 1


@pytest.mark.parametrize(("found", "want", "same"), [
    (0.5, 0.5, True), (0.5 + 1e-12, 0.5, True), (0.5001, 0.5, False), (1, 1.0, True), (True, 1, False),
    ("1", 1, False), (None, "", True), ("", None, True), (0, "", False), ("Ready", "Ready", True),
    ("Ready ", "Ready", False), (None, 0, False),
])
def test_a_saved_value_equals_the_recomputed_one_within_the_apps_precision(found: RawValue, want: CellValue,
                                                                           same: bool) -> None:
    assert same_value(found, want) is same


def test_a_formulas_dependencies_follow_its_references_through_other_formulas(ladder: Ladder,
                                                                              roster: Roster) -> None:
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    deps = dependencies(wl)
    assert "criteria.PR-01.self" in deps["criteria.PR-01.self_points"]
    assert "result.self_pct" in deps["result.self_band"]  # a formula reading another formula
    assert "criteria.PR-01.self" in deps["result.self_band"]  # and, through it, that formula's inputs
    assert not any(k.startswith("criteria.") and k.endswith(".manager") for k in deps["criteria.PR-01.self_points"])


def test_the_columns_a_formula_reads_leave_out_text_in_quotes() -> None:
    assert reads_columns('=IF(G6="",H6,"see K9")') == {"G", "H"}
    assert reads_columns("=SUM($G$6:$H$7)+ROUND(J10,2)") == {"G", "H", "J"}
    assert reads_columns("=LOG10(2)") == set()
