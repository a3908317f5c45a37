"""Formula cells judged by formula (core/checks.py): a value pasted over its own formula is found even when right.

The same through LibreOffice's saved files is in tests/test_user_edits.py; here the pure check,
given the saved values and which cells still hold a formula, as any reader of any format gives them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Set as AbstractSet

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


def _saved(ladder: Ladder, roster: Roster, pasted: set[str],
           move: Callable[[WorkbookLayout], WorkbookLayout] | None = None) -> tuple[list[str], list[str]]:
    """(problems, formula keys of the scorecard) for a workbook whose every formula shows the right value, and
    whose cells ``pasted`` hold that value as a constant instead of the formula; ``move``: the cells where a
    user moved them. Every problem must name the file."""
    person = roster.people[0]
    generated = layout.build(ladder, roster, person, QUARTER, DUE)
    wl = move(generated) if move else generated
    inputs = inputs_for(ladder, person.target_level, 2, 3)
    raw = dict(layout.expected_values(ladder, person, inputs))
    raw.update({"meta.template_version": wl.template_version, "meta.quarter": QUARTER})  # read with the rest
    where = {c.key: (s.title, (c.row - 1, column_index(c.column))) for s, c in wl.cells(Role.FORMULA)}

    def formulas(title: str) -> AbstractSet[tuple[int, int]]:
        return {at for key, (t, at) in where.items() if t == title and key not in pasted}

    problems = check_formulas(ladder, person, wl, raw, inputs, frozenset(), "book.xlsx", formulas=formulas,
                              upstream=dependencies(generated))
    assert {p.file for p in problems} <= {"book.xlsx"}
    return [f"{p.kind}|{p.sheet}|{p.cell}|{p.message}" for p in problems], sorted(where)


def test_every_formula_in_place_and_right_is_no_problem(ladder: Ladder, roster: Roster) -> None:
    assert _saved(ladder, roster, set())[0] == []


def test_a_value_pasted_over_its_own_formula_is_found_though_it_is_right_today(ladder: Ladder,
                                                                             roster: Roster) -> None:
    assert "result.self_pct" in _saved(ladder, roster, set())[1]
    problems, _ = _saved(ladder, roster, {"result.self_pct"})  # the SE's readiness, pasted as a value
    assert len(problems) == 1
    kind, sheet, ref, message = problems[0].split("|", 3)
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    assert [(s.title, c.ref) for s, c in wl.cells(Role.FORMULA) if c.key == "result.self_pct"] == [(sheet, ref)]
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
    assert {p.file for p in problems + blank} == {"book.xlsx"}
    typed: dict[str, RawValue] = {"meta.template_version": 3, "meta.quarter": ""}  # a number; an emptied cell
    assert [p.message for p in check_meta(wl, keys, typed, QUARTER, "book.xlsx")] == [
        f"expected template version {wl.template_version}, found 3", f"expected quarter {QUARTER}, found a blank cell"]


def test_a_missing_sheet_is_named_with_the_sheets_that_were_found(ladder: Ladder, roster: Roster) -> None:
    wl, _ = _scorecard(ladder, roster)
    titles = tuple(s.title for s in wl.sheets)
    problems = check_sheets(wl, titles[1:] + ("Sheet1",), "book.xlsx")
    assert [(p.file, p.sheet, p.cell, p.kind, p.message) for p in problems] == [
        ("book.xlsx", titles[0], "", Kind.MISSING_SHEET, "sheet not found (renamed or deleted?); sheets found: "
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
    sheet, cell = next((s, c) for s, c in wl.cells(Role.FORMULA) if c.key == "result.self_pct")
    assert [(p.file, p.sheet, p.cell, p.kind) for p in problems] == [("book.xlsx", sheet.title, cell.ref, Kind.TAMPERED)]
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
    (1e-12, 0, True), (1e-8, 0, False),  # a zero the app computed with float noise: absolute tolerance
    (1_000_000.0001, 1_000_000, True), (1_000_000.01, 1_000_000, False),  # a large sum: relative tolerance
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
    assert reads_columns("=X5+AX2+$XX$3") == {"X", "AX", "XX"}


def _cell(wl: WorkbookLayout, key: str) -> tuple[SheetLayout, Cell]:
    return next((s, c) for s, c in wl.cells() if c.key == key)


def test_a_formula_depends_on_the_inputs_of_its_own_row_and_not_on_fixed_cells(ladder: Ladder,
                                                                               roster: Roster) -> None:
    """=IF(ISNUMBER(G7),G7*E7,""): the weight in E7 is written by the tool, the rows above and below are not read."""
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    deps = dependencies(wl)
    _, points = _cell(wl, "criteria.PR-02.self_points")
    assert points.value == '=IF(ISNUMBER(G7),G7*E7,"")'
    assert deps["criteria.PR-02.self_points"] == {"criteria.PR-02.self"}
    # =IF(I5="Below",L5,""): the action text in L5 is fixed; the status in I5 follows the figure typed in H5
    _, action = _cell(wl, "metrics.enablement_contributions.action")
    assert action.value == '=IF(I5="Below",L5,"")'
    assert deps["metrics.enablement_contributions.action"] == {"metrics.enablement_contributions.status",
                                                               "metrics.enablement_contributions.actual"}
    # the calibration gap reads only the two readiness cells, and through them every score
    assert {"criteria.PR-01.self", "criteria.PR-11.manager"} <= deps["result.calibration_gap"]
    # the read-out reads the fixed sentence in H22 first, then every field typed on its sheet
    sheet, readout = _cell(wl, "readout.text")
    assert str(readout.value).startswith('=IF(C11<>"Yes",H22,')
    assert deps["readout.text"] == {c.key for c in sheet.cells if c.role is Role.INPUT}


def _overwritten(ladder: Ladder, roster: Roster, values: dict[str, RawValue], *, adjusted: frozenset[str] = frozenset(),
                 **options: object) -> list[tuple[str, str]]:
    """(cell, message) of each problem for a calculated workbook whose ``values`` differ from the recomputation."""
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    inputs = inputs_for(ladder, person.target_level, 2, 3)
    raw = {**layout.expected_values(ladder, person, inputs), **values}
    problems = check_formulas(ladder, person, wl, raw, inputs, adjusted, "book.xlsx", **options)  # type: ignore[arg-type]
    return [(p.cell, p.message.split(":")[0]) for p in problems]


def test_only_the_first_overwritten_cell_of_a_chain_is_reported(ladder: Ladder, roster: Roster) -> None:
    """A band computed from an overwritten readiness is right for what it was given."""
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    pct, band = (_cell(wl, k)[1].ref for k in ("result.self_pct", "result.self_band"))
    chain = {"result.self_pct": 0.99, "result.self_band": "Ready"}
    assert _overwritten(ladder, roster, chain) == [(pct, "formula result overwritten")]
    # where the cells stand as generated decides the chain (``upstream``): with the band reading nothing,
    # both are reported
    alone = {**dependencies(wl), "result.self_band": frozenset()}
    assert _overwritten(ladder, roster, chain, upstream=alone) == [(pct, "formula result overwritten"),
                                                                  (band, "formula result overwritten")]


def test_a_result_of_an_input_not_taken_as_the_workbook_saw_it_is_not_judged(ladder: Ladder,
                                                                             roster: Roster) -> None:
    """Text "2" in a score cell still multiplies in the sheet: its points differ from ours, and are not the user's doing."""
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    points = _cell(wl, "criteria.PR-01.self_points")[1].ref
    differs: dict[str, RawValue] = {"criteria.PR-01.self_points": 6.0}
    assert _overwritten(ladder, roster, differs) == [(points, "formula result overwritten")]
    assert _overwritten(ladder, roster, differs, adjusted=frozenset({"criteria.PR-01.self"})) == []


@pytest.mark.parametrize(("band", "judged"), [(None, False), (0, False), (0.0, False), ("Ready", True), (5, True)])
def test_a_text_result_read_as_blank_or_0_is_judged_only_where_text_results_are_kept(
        ladder: Ladder, roster: Roster, band: RawValue, judged: bool) -> None:
    """A format that saves no text results reads the band ("Close") as 0 or blank: not an overwrite there."""
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    ref = _cell(wl, "result.self_band")[1].ref
    found = {"result.self_band": band}
    assert _overwritten(ladder, roster, found) == [(ref, "formula result overwritten")]  # text results kept
    assert _overwritten(ladder, roster, found, text_results=False) == ([(ref, "formula result overwritten")]
                                                                       if judged else [])
    # a number is judged whatever the format
    pct = _cell(wl, "result.self_pct")[1].ref
    assert _overwritten(ladder, roster, {"result.self_pct": None}, text_results=False) == [
        (pct, "formula result overwritten")]


def test_the_only_formula_of_a_sheet_pasted_over_is_named_as_that_cell(ladder: Ladder, roster: Roster) -> None:
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    sheet, text = _cell(wl, "readout.text")
    assert [c.key for s, c in wl.cells(Role.FORMULA) if s.title == sheet.title] == ["readout.text"]
    (problem,) = _saved(ladder, roster, {"readout.text"})[0]
    assert problem.startswith(f"{Kind.TAMPERED}|{sheet.title}|{text.ref}|formula replaced by a typed or pasted "
                              "value (text ")


def test_pasted_cells_are_named_column_by_column_wherever_the_columns_were_moved(ladder: Ladder,
                                                                                roster: Roster) -> None:
    """Read in sheet order (K6 before J7), named column by column, J before K, and Z before AA."""
    pasted = {"criteria.PR-01.manager_points", "criteria.PR-02.self_points"}
    assert _saved(ladder, roster, pasted)[0][0].split("|")[2] == "J7,K6"

    def manager_points_to_aa(wl: WorkbookLayout) -> WorkbookLayout:  # as if 16 columns were inserted before K
        def moved(sheet: SheetLayout) -> SheetLayout:
            return dataclasses.replace(sheet, cells=tuple(
                dataclasses.replace(c, ref=f"AA{c.row}") if c.column == "K" else c for c in sheet.cells))
        return dataclasses.replace(wl, sheets=tuple(moved(s) if s.title == "Scorecard" else s for s in wl.sheets))

    assert _saved(ladder, roster, pasted, manager_points_to_aa)[0][0].split("|")[2] == "J7,AA6"
