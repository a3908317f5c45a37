"""The SE's workbook as layout.build describes it: what an SE and their manager see on the Scorecard.

Pure and in memory: the layout is read as a writer would place it, formulas are worked out by the
formulas library (tests/support/shown.py), and scoring.py is the reference for every number.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.cells import (EVIDENCE_FORMAT, PRINT_SCALE, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check, Editor,
                                      Requirement, Role, SheetLayout, WorkbookLayout, height)
from ladder_sheets.core.layout import (IN_REVIEW, build, expected_values, manager_checks, must_have, scorecard_sheet,
                                       template_version)
from ladder_sheets.core.model import Criterion, CriterionInput, Inputs, Ladder, ManagerScores, Person, Roster, Rubric
from ladder_sheets.core.styles import FILL
from tests.support.fill import random_inputs
from tests.support.results import find_person
from tests.support.shown import by_key, cell_at, shown

DUE = date(2026, 12, 20)


def _book(ladder: Ladder, roster: Roster, pid: str = "tomas-novak", **kw: Any) -> WorkbookLayout:
    return build(ladder, roster, find_person(roster, pid), "2026-Q4", DUE, **kw)


def _sheet(wl: WorkbookLayout, title: str) -> SheetLayout:
    return next(s for s in wl.sheets if s.title == title)


def test_the_workbook_s_sheets_and_its_version(ladder: Ladder, roster: Roster) -> None:
    wl = _book(ladder, roster)
    assert [s.title for s in wl.sheets] == ["Guide", "Scorecard", "Impact metrics", "Pivot matrix",
                                           "Promotion read-out"]
    # Returned workbooks are recognised by it: a new layout must change it, the same must not.
    assert wl.template_version == template_version(ladder) == "se-ladder@2026.4/layout-4"
    assert template_version(replace(ladder, version="2027.1")) == "se-ladder@2027.1/layout-4"
    assert (wl.person, wl.quarter) == (find_person(roster, "tomas-novak"), "2026-Q4")
    guide = by_key(_sheet(wl, "Guide"))
    assert (guide["meta.template_version"].value, guide["meta.quarter"].value) == (wl.template_version, "2026-Q4")
    assert guide["meta.person_id"].value == "tomas-novak" and guide["meta.due"].value == "2026-12-20"


def test_the_scorecard_s_titles_caption_and_headers(ladder: Ladder, roster: Roster) -> None:
    sheet = _sheet(_book(ladder, roster), "Scorecard")
    assert cell_at(sheet, "B1").value == "Promotion Readiness Scorecard: Senior SE Readiness"
    assert cell_at(sheet, "B2").value == "Tomáš Novák · Core SE → Senior SE · 2026-Q4"
    assert (cell_at(sheet, "B1").style, cell_at(sheet, "B2").style, cell_at(sheet, "D3").style) == ("title", "subtitle", "note")
    caption = cell_at(sheet, "D3").value
    assert caption == (
        "Scale: 0 = Never · 1 = Occasionally · 2 = Usually · 3 = Consistently. You fill Self and Evidence; your "
        "manager fills Manager and Manager's comment. n/o = not observed yet: there was no chance to show it this "
        "quarter (offered on some criteria only). It is left out of readiness; a band needs 75% of the scorecard's "
        "weight observed. A must-have scored under its minimum caps the band (in brackets), whatever the points.")
    headers = [c.value for c in sorted((c for c in sheet.cells if c.row == 5), key=lambda c: c.column)]
    assert headers == ["ID", "Competency (skill group)", "Criterion", "What 3 looks like", "Weight",
                       "Must-have: at least", "Self (0-3)", "Manager (0-3)", "Gap (M−S)", "Self points",
                       "Manager points", "Evidence (yours)", "Manager's comment"]
    assert all(c.style == "header" and c.role is Role.LABEL for c in sheet.cells if c.row == 5)
    assert all(cell_at(sheet, ref).role is Role.LABEL for ref in ("B1", "B2", "D3"))
    assert sheet.hidden_columns == ()
    assert sheet.merges[0] == "D3:K3" and sheet.freeze == "D6"
    assert (sheet.print_breaks, sheet.print_scale, sheet.print_columns, sheet.print_rows) == (
        ("K", "M"), PRINT_SCALE, "A:A", "5:5")
    assert sheet.heights[1] == TITLE_HEIGHT
    assert sheet.heights[3] == height([(str(caption), sum(sheet.widths[c] for c in "DEFGHIJK"))])
    assert sheet.heights[5] == height([(str(h), sheet.widths[c.column]) for c in sheet.cells if c.row == 5
                                       for h in [c.value]], bold=True)
    assert sheet.widths["L"] > sheet.widths["C"] > sheet.widths["G"]  # evidence widest, then the texts


def test_the_caption_leaves_out_what_the_rubric_does_not_have(ladder: Ladder, roster: Roster) -> None:
    plain = tuple(replace(c, floor=None, caps="", allow_not_observed=False)
                  for c in ladder.rubric_for("senior").criteria)
    bare = replace(ladder, rubrics={**ladder.rubrics, "senior": Rubric("senior", "Bare", plain)})
    sheet = _sheet(_book(bare, roster), "Scorecard")
    assert cell_at(sheet, "D3").value == ("Scale: 0 = Never · 1 = Occasionally · 2 = Usually · 3 = Consistently. "
                                      "You fill Self and Evidence; your manager fills Manager and Manager's comment.")
    keys = by_key(sheet)
    assert "result.self_hold" not in keys and "result.manager_hold" not in keys
    assert [keys[k].ref for k in ("result.self_pct", "result.manager_pct", "result.self_band", "result.manager_band",
                                  "result.calibration_gap", "result.self_scored", "result.manager_scored")] == [
        f"G{r}" for r in range(20, 27)]  # 13 criteria from row 6, then a blank row
    assert all(c.validation is None or c.validation.check is not Check.SCORE_OR_NA for c in sheet.cells)
    assert all(c.value is None for c in sheet.cells if c.column == "F" and c.row > 5)
    assert len(sheet.rules) == 4  # three bands and the gap: no must-have flags


def test_each_criterion_row_as_the_se_sees_it(ladder: Ladder, roster: Roster) -> None:
    sheet = _sheet(_book(ladder, roster), "Scorecard")
    rubric = ladder.rubric_for("senior")
    groups = {g.id: g.name for g in ladder.skill_groups}
    for r, c in enumerate(rubric.criteria, start=6):
        row = {cell.column: cell for cell in sheet.cells if cell.row == r}
        competency = f"{c.competency}\n({groups[c.skill_group]})" if c.skill_group else c.competency
        assert [row[col].value for col in "ABCDE"] == [c.id, competency, c.text, c.anchor, c.weight]
        assert row["A"].key == f"rowid.criteria.{c.id}" and row["E"].number_format == "0.##"
        assert [row[col].style for col in "ABCDEFGHIJKLM"] == ["id", "wrap", "wrap", "wrap", "number", "must", "input",
                                                             "input", "formula", "formula", "formula", "evidence",
                                                             "input_wrap"]
        assert [row[col].role for col in "IJK"] == [Role.FORMULA] * 3
        assert row["F"].value == must_have(ladder, c)
        keys = {col: row[col].key for col in "GHIJKLM"}
        assert keys == {"G": f"criteria.{c.id}.self", "H": f"criteria.{c.id}.manager", "I": f"criteria.{c.id}.gap",
                        "J": f"criteria.{c.id}.self_points", "K": f"criteria.{c.id}.manager_points",
                        "L": f"criteria.{c.id}.evidence", "M": f"criteria.{c.id}.comment"}
        # Only the four inputs are unlocked; who types in each.
        assert {col for col, cell in row.items() if cell.role is Role.INPUT} == set("GHLM")
        assert {row[col].role for col in "ABCDEF"} == {Role.LABEL}
        assert [row[col].editor for col in "GHLM"] == [Editor.SE, Editor.MANAGER, Editor.SE, Editor.MANAGER]
        assert [row[col].required for col in "GHLM"] == [Requirement.ALWAYS, Requirement.ALWAYS, Requirement.NEVER,
                                                        Requirement.NEVER]
        assert (row["L"].number_format, row["M"].number_format) == (EVIDENCE_FORMAT, TEXT_FORMAT)
        assert (row["L"].style, row["M"].style, row["G"].style) == ("evidence", "input_wrap", "input")
        assert [row[col].number_format for col in "IJK"] == ["+0;-0;0", "0.##", "0.##"]
        options = ("0", "1", "2", "3", "n/o") if c.allow_not_observed else ("0", "1", "2", "3")
        for col in "GH":
            v = row[col].validation
            assert v is not None and (v.options, v.minimum, v.maximum, v.title) == (options, 0, 3, "Score")
            assert v.check is (Check.SCORE_OR_NA if c.allow_not_observed else Check.SCORE)
        evidence, comment = row["L"].validation, row["M"].validation
        assert evidence is not None and (evidence.check, evidence.maximum, evidence.title) == (Check.TEXT, 5000,
                                                                                              "Evidence")
        assert evidence.message == "Evidence is limited to 5,000 characters."
        assert comment is not None and (comment.check, comment.maximum, comment.title) == (Check.TEXT, 2000, "Comment")
        assert comment.message == "Comments are limited to 2,000 characters."
        # The row is tall enough for each of its wrapped texts in its column.
        assert sheet.heights[r] == max(height([(str(row[col].value), sheet.widths[col])]) for col in "BCD")


def test_what_a_score_cell_says_when_refused(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    plain = next(c for c in rubric.criteria if not c.allow_not_observed)
    na = next(c for c in rubric.criteria if c.allow_not_observed)
    score, comment = manager_checks(ladder, plain)
    assert score.message == "Choose 0 (Never) to 3 (Consistently)."
    assert comment.message == "Comments are limited to 2,000 characters."
    score, _ = manager_checks(ladder, na)
    assert score.message == ("Choose 0 (Never) to 3 (Consistently), or n/o if there was no chance to show it "
                             "this quarter.")
    assert score.options[-1] == "n/o" and score.check is Check.SCORE_OR_NA


def test_the_must_have_column_names_the_band_it_caps(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("manager")
    texts = {c.id: must_have(ladder, c) for c in rubric.criteria}
    assert texts["MG-01"] == "2 (else at most Close)"
    assert texts["MG-02"] == "2 (else at most Developing)"  # capped two bands down
    assert texts["MG-03"] is None
    flagged = Criterion("x", "c", "t", "a", floor=1)  # no caps: the bands that need must-haves
    assert must_have(ladder, flagged) == "1 (else at most Close)"


def _results(sheet: SheetLayout) -> list[tuple[str, str, Cell]]:
    """(row label in column C, key, result cell) of each result row under the criteria."""
    last = max(c.row for c in sheet.cells if c.key.startswith("rowid."))
    rows = []
    for r in range(last + 2, max(c.row for c in sheet.cells) + 1):
        label = cell_at(sheet, f"C{r}")
        result = next(c for c in sheet.cells if c.row == r and c.column != "C")
        rows.append((str(label.value), result.key, result))
    return rows


def test_the_results_under_the_criteria(ladder: Ladder, roster: Roster) -> None:
    sheet = _sheet(_book(ladder, roster), "Scorecard")
    rows = _results(sheet)
    assert [(label, key, cell.ref, cell.name, cell.number_format) for label, key, cell in rows] == [
        ("Self readiness", "result.self_pct", "G20", "SelfReadiness", "0%"),
        ("Manager readiness", "result.manager_pct", "G21", "ManagerReadiness", "0%"),
        ("Self band", "result.self_band", "G22", "SelfBand", ""),
        ("Manager band", "result.manager_band", "G23", "ManagerBand", ""),
        ("Self band held by", "result.self_hold", "D24", "", ""),
        ("Manager band held by", "result.manager_hold", "D25", "", ""),
        ("Calibration gap (M − S)", "result.calibration_gap", "G26", "CalibrationGap", "+0%;-0%;0%"),
        ("Criteria scored by self", "result.self_scored", "G27", "", ""),
        ("Criteria scored by manager", "result.manager_scored", "G28", "", "")]
    assert all(cell.role is Role.FORMULA for _, _, cell in rows)
    assert all(cell_at(sheet, f"C{cell.row}").style == "label" for _, _, cell in rows)
    assert all(cell_at(sheet, f"C{cell.row}").role is Role.LABEL for _, _, cell in rows)
    assert [cell.style for _, _, cell in rows] == ["result"] * 4 + ["result_wrap"] * 2 + ["result"] * 3
    # A hold reason is a sentence across the first page, as tall as the longest one a band can show.
    assert sheet.merges[1:] == ("D24:K24", "D25:K25")
    span = sum(sheet.widths[c] for c in "DEFGHIJK")
    must = ladder.must_haves(ladder.rubric_for("senior"))
    zeros: dict[str, Any] = {c.id: 0 for c in must}
    longest = max(len(scoring.hold_reason(b.name, "Developing", must, zeros)) for b in ladder.bands)
    assert sheet.heights[24] == sheet.heights[25] == height([("x" * longest, span)]) > height([("x", span)])


def _typed_full(rubric: Rubric, self_score: int, manager_score: int) -> dict[str, Any]:
    return {**{f"criteria.{c.id}.self": self_score for c in rubric.criteria},
            **{f"criteria.{c.id}.manager": manager_score for c in rubric.criteria}}


def test_in_review_the_manager_s_columns_are_locked_and_say_where_they_are_scored(ladder: Ladder,
                                                                                  roster: Roster) -> None:
    wl = _book(ladder, roster, manager_scores=ManagerScores.REVIEW)
    sheet = _sheet(wl, "Scorecard")
    assert (cell_at(sheet, "H5").value, cell_at(sheet, "M5").value) == ("Manager (in review)", "Manager's comment (in review)")
    assert "your manager scores this in their review (the Manager columns stay locked here)" in str(
        cell_at(sheet, "D3").value)
    rubric = ladder.rubric_for("senior")
    for r, c in enumerate(rubric.criteria, start=6):
        mine = [cell_at(sheet, f"{col}{r}") for col in "HM"]
        assert all(m.role is Role.RESERVED and m.validation is None and m.style == "reserved" for m in mine)
        assert [m.key for m in mine] == [f"criteria.{c.id}.manager", f"criteria.{c.id}.comment"]
        assert [m.number_format for m in mine] == ["", ""]
        for col in "IK":  # calculated from the manager's scores: blank here
            derived = cell_at(sheet, f"{col}{r}")
            assert (derived.role, derived.value, derived.key, derived.style) == (Role.LABEL, None, "", "reserved")
        assert {cell.column for cell in sheet.cells if cell.row == r and cell.role is Role.INPUT} == {"G", "L"}
    results = {label: cell for label, _, cell in _results(sheet)}
    assert [cell.ref for cell in results.values()] == ["G20", "G21", "G22", "G23", "D24", "D25", "G26", "G27", "G28"]
    for label in ("Manager readiness", "Manager band", "Manager band held by", "Calibration gap (M − S)",
                  "Criteria scored by manager"):
        assert (results[label].role, results[label].value, results[label].style) == (Role.LABEL, IN_REVIEW,
                                                                                      "reserved")
    for label in ("Self readiness", "Self band", "Self band held by", "Criteria scored by self"):
        assert results[label].role is Role.FORMULA
    got = shown(sheet, _typed_full(rubric, 3, 0))
    assert got["G20"] == 1 and got["G22"] == "Ready" and got["J6"] == 6
    # The longer review headers wrap in bold; the Guide says where the manager scores.
    assert sheet.heights[5] == height([(str(c.value), sheet.widths[c.column]) for c in sheet.cells if c.row == 5],
                                      bold=True)
    assert any("scores you in their own review workbook" in str(c.value) for c in _sheet(wl, "Guide").cells)
    assert not any("scores you in their own review workbook" in str(c.value)
                   for c in _sheet(_book(ladder, roster), "Guide").cells)
    # scorecard_sheet on its own lays out the manager's columns in the workbook.
    person = find_person(roster, "tomas-novak")
    assert scorecard_sheet(ladder, rubric, person, "2026-Q4") == _sheet(_book(ladder, roster), "Scorecard")
    # The same roster's default follows it; passing IN_WORKBOOK overrides it.
    assert _sheet(_book(ladder, replace(roster, manager_scores=ManagerScores.REVIEW)), "Scorecard") == sheet
    assert cell_at(_sheet(_book(ladder, replace(roster, manager_scores=ManagerScores.REVIEW),
                            manager_scores=ManagerScores.IN_WORKBOOK), "Scorecard"), "H6").role is Role.INPUT


def _rule_shows(sheet: SheetLayout, formula: str, typed: dict[str, Any]) -> Any:
    """What a conditional rule's formula gives at its range's first cell."""
    probe = replace(sheet, cells=(*sheet.cells, Cell("ZZ1", Role.FORMULA, "=" + formula)))
    return shown(probe, typed, ["ZZ1"])["ZZ1"]


def test_bands_are_coloured_and_gaps_and_must_haves_flagged(ladder: Ladder, roster: Roster) -> None:
    sheet = _sheet(_book(ladder, roster), "Scorecard")
    rubric = ladder.rubric_for("senior")
    bands, gap, *musts = sheet.rules[:3], sheet.rules[3], *sheet.rules[4:]
    assert [(r.range, r.fill) for r in bands] == [("G22:G23", FILL["ready"]), ("G22:G23", FILL["close"]),
                                                  ("G22:G23", FILL["developing"])]
    for typed_score, lit in ((3, 0), (2, 1), (1, 2)):
        typed = _typed_full(rubric, typed_score, typed_score)
        band = shown(sheet, typed, ["G22"])["G22"]
        assert [bool(_rule_shows(sheet, r.formula, typed)) for r in bands] == [
            b.name == band for b in ladder.bands], band
        assert bands[lit].formula.endswith(f'"{band}"')
    # The self band and the manager's apart: each cell is coloured by its own band.
    apart = {**_typed_full(rubric, 3, 1)}
    assert [bool(_rule_shows(sheet, r.formula, apart)) for r in bands] == [True, False, False]
    assert shown(sheet, apart, ["G23"])["G23"] == "Developing"
    assert (gap.range, gap.fill) == ("I6:I18", FILL["developing"])
    for self_score, manager_score, flagged in ((0, 2, True), (3, 1, True), (1, 2, False), (3, 3, False)):
        typed = _typed_full(rubric, 3, 3) | {"criteria.SR-01.self": self_score, "criteria.SR-01.manager": manager_score}
        assert bool(_rule_shows(sheet, gap.formula, typed)) is flagged
    # No gap yet: the rule is false, or an error (ABS of ""), which no app takes as true.
    assert _rule_shows(sheet, gap.formula, {"criteria.SR-01.manager": 3}) in (False, "#VALUE!")
    must = ladder.must_haves(rubric)
    assert len(musts) == len(must) and all((r.range, r.fill) == ("G6:H18", FILL["developing"]) for r in musts)
    # Each rule flags its must-have's cell (found by id) under its floor; SR-01 is in row 6.
    first = musts[0]
    assert [bool(_rule_shows(sheet, first.formula, {"criteria.SR-01.self": v})) for v in (0, 1, 2, 3)] == [
        True, True, False, False]
    assert not _rule_shows(sheet, first.formula, {})
    assert not any(_rule_shows(sheet, r.formula, {"criteria.SR-01.self": 0}) for r in musts[1:])


def test_the_manager_s_band_held_by_a_must_have_says_why(ladder: Ladder, roster: Roster) -> None:
    sheet = _sheet(_book(ladder, roster), "Scorecard")
    rubric = ladder.rubric_for("senior")
    typed = _typed_full(rubric, 3, 3) | {"criteria.SR-04.manager": 0, "criteria.SR-01.self": 1}
    got = shown(sheet, typed, ["D24", "D25", "G22", "G23"])
    inputs = Inputs(criteria={c.id: CriterionInput(1 if c.id == "SR-01" else 3, 0 if c.id == "SR-04" else 3)
                              for c in rubric.criteria})
    s = scoring.score(ladder, rubric, inputs, "core")
    assert (got["G22"], got["D24"], got["G23"], got["D25"]) == (s.self_band, s.self_hold, s.manager_band,
                                                                s.manager_hold)
    assert got["D25"] == ("Ready on points, held at Close: Identifies and engages the Economic Buyer scored 0 "
                          "(must be at least 2)")


def _check_all(wl: WorkbookLayout, ladder: Ladder, person: Person, inputs: Inputs, typed: dict[str, Any]) -> None:
    """Every formula cell of every sheet shows what expected_values says, and that is scoring's."""
    want = expected_values(ladder, person, inputs)
    got: dict[str, Any] = {}
    for sheet in wl.sheets:
        values = shown(sheet, typed)
        got |= {c.key: values[c.ref] for c in sheet.cells if c.role is Role.FORMULA}
    assert set(got) == set(want)
    for key, value in want.items():
        shown_value = "" if got[key] is None else got[key]
        assert shown_value == (pytest.approx(value) if isinstance(value, float) else value), key
    s = scoring.score(ladder, ladder.rubric_for(person.target_level), inputs, person.level)
    assert (want["result.self_band"], want["result.manager_band"], want["readout.text"]) == (
        s.self_band, s.manager_band, s.readout_text)


@pytest.mark.parametrize("seed", range(4))
def test_every_formula_shows_what_expected_values_says(ladder: Ladder, roster: Roster, seed: int) -> None:
    rng = random.Random(seed)
    for person in roster.people:
        rubric = ladder.rubric_for(person.target_level)
        inputs, typed = random_inputs(ladder, rubric, rng, blank_rate=0.1 * (seed % 2), level=person.level,
                                      not_observed=0.3)
        _check_all(build(ladder, roster, person, "2026-Q4", DUE), ladder, person, inputs, typed)


def test_expected_values_of_a_full_and_an_empty_scorecard(ladder: Ladder, roster: Roster) -> None:
    person = find_person(roster, "tomas-novak")
    rubric = ladder.rubric_for("senior")
    na = next(c.id for c in rubric.criteria if c.allow_not_observed)
    full = Inputs(criteria={c.id: CriterionInput(3, None if c.id == na else 2, manager_not_observed=c.id == na)
                            for c in rubric.criteria})
    want = expected_values(ladder, person, full)
    assert (want["result.self_pct"], want["result.self_band"], want["result.self_hold"]) == (1.0, "Ready", "")
    assert want["result.manager_pct"] == pytest.approx(2 / 3) and want["result.manager_band"] == "Close"
    assert want["result.calibration_gap"] == pytest.approx(-1 / 3)
    assert (want["result.self_scored"], want["result.manager_scored"]) == ("13 of 13", "13 of 13 (1 not observed yet)")
    assert want["criteria.SR-01.gap"] == -1 and want["criteria.SR-01.self_points"] == 6
    assert want["criteria.SR-01.manager_points"] == 4 and want[f"criteria.{na}.manager_points"] == ""
    assert want["result.metrics_below"] == 0 and want["metrics.enablement_contributions.status"] == "Missing"
    empty = expected_values(ladder, person, Inputs())
    assert (empty["result.self_pct"], empty["result.self_band"], empty["result.calibration_gap"]) == (
        "", "Incomplete", "")
    assert empty["result.self_scored"] == "0 of 13" and empty["criteria.SR-01.gap"] == ""
    assert empty["criteria.SR-01.self_points"] == "" and empty["result.top_pivot"] == ""
    # A move no metric applies to has no metric results; a rubric without must-haves no hold.
    kenji = find_person(roster, "kenji-watanabe")
    assert not any(k.startswith(("metrics.", "result.metrics")) for k in expected_values(ladder, kenji, Inputs()))
    director = expected_values(ladder, find_person(roster, "oliver-grant"), Inputs())
    assert "result.self_hold" in director and "pivots.product_management.readiness" in director


CARRY = {"carry.criteria.SR-01.self": 2, "carry.criteria.SR-01.manager": 3,
         "carry.criteria.SR-01.evidence": "Ran the Acme POC", "carry.metrics.enablement_contributions.actual": 4,
         "carry.metrics.enablement_contributions.notes": "Two talks"}


def test_last_quarter_s_columns_are_read_only_and_print_on_their_own_page(ladder: Ladder, roster: Roster) -> None:
    plain, carried = _book(ladder, roster), _book(ladder, roster, carry=CARRY)
    sheet, before = _sheet(carried, "Scorecard"), _sheet(plain, "Scorecard")
    assert set(before.cells) <= set(sheet.cells)  # every other cell stays where it is
    added = [c for c in sheet.cells if c not in set(before.cells)]
    assert all(c.role is Role.LABEL for c in added)
    assert [(c.ref, c.value, c.style) for c in added if c.row == 5] == [
        ("N5", "Last quarter: self", "header"), ("O5", "Last quarter: manager", "header"),
        ("P5", "Last quarter's evidence", "header")]
    row6 = {c.column: c for c in added if c.row == 6}
    assert {k: (c.value, c.key, c.style, c.number_format) for k, c in row6.items()} == {
        "N": (2, "carry.criteria.SR-01.self", "carry_number", "0.##"),
        "O": (3, "carry.criteria.SR-01.manager", "carry_number", "0.##"),
        "P": ("Ran the Acme POC", "carry.criteria.SR-01.evidence", "carry", "")}
    assert {c.row for c in added} == set(range(5, 19))  # the header and every criterion row, none below
    assert all(c.value is None for c in added if c.row == 7)  # nothing carried for SR-02
    assert (sheet.widths["N"], sheet.widths["O"], sheet.widths["P"]) == (9, 9, 92)
    assert sheet.print_breaks == ("K", "M", "M")
    assert sheet.heights[5] >= before.heights[5]
    assert sheet.heights[5] >= height([("Last quarter's evidence", 92)], bold=True)
    metrics, metrics_before = _sheet(carried, "Impact metrics"), _sheet(plain, "Impact metrics")
    new = {c.ref: c for c in metrics.cells if c not in set(metrics_before.cells)}
    assert (new["M4"].value, new["N4"].value) == ("Last quarter", "Last quarter's notes")
    assert (new["M5"].value, new["N5"].value) == (4, "Two talks")
    assert (new["M5"].style, new["N5"].style) == ("carry_number", "carry")
    assert metrics.print_breaks == ("I", "L")  # L: the last column the sheet itself shows (hidden or not)
    assert (metrics.widths["M"], metrics.widths["N"]) == (12, 40)
    # A move no metric applies to keeps its one note, carry or not.
    kenji = _sheet(_book(ladder, roster, "kenji-watanabe", carry=CARRY), "Impact metrics")
    assert kenji == _sheet(_book(ladder, roster, "kenji-watanabe"), "Impact metrics")
    # A header row taller than the carried headers need keeps its height.
    tall = _sheet(_book(ladder, roster, carry={}), "Scorecard")
    assert tall.heights[5] == max(before.heights[5], height([("Last quarter: manager", 9)], bold=True))
