"""The committee workbook's Managers sheets (core/committee_managers.py): each manager beside the org."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from ladder_sheets.core.calibration import HIGHER, IN_LINE, LOWER, NO_ORG, TOO_FEW, Calibration, band_names, threshold
from ladder_sheets.core.cells import TITLE_HEIGHT, Cell, Role, SheetLayout, height, text_literal
from ladder_sheets.core.committee_managers import expected_managers, managers_sheets
from ladder_sheets.core.model import Band, CellValue, Ladder, Roster
from ladder_sheets.core.results import Results
from tests.support.shown import shown as worked_out
from ladder_sheets.core.styles import FILL
from ladder_sheets.core.summary import summarize
from tests.support.results import inputs_for, results_for


def test_each_line_shows_the_managers_own_count_and_the_orgs_apart(ladder: Ladder, roster: Roster) -> None:
    """"n" is the manager's SEs on the rubric, "Org n" the rest of the org's: the flag's "too few to tell"
    reads both, so a manager with fewer SEs scored than the org must show two different counts."""
    by_manager = Counter(p.manager for p in roster.people)
    fewer = min(by_manager, key=lambda m: (by_manager[m], m))
    left_out = next(p.id for p in roster.people if p.manager == fewer)  # one of that manager's SEs not scored
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people if p.id != left_out}
    calibration = summarize(results_for(ladder, roster, inputs), ladder).calibration
    sheets = managers_sheets(ladder, "2026-Q4", calibration)
    lines = [(v.manager_name, v.overall) for v in calibration.views]
    lines += [(v.manager_name, x) for v in calibration.views for _, x in v.criteria]
    assert any(x.n != x.org_n for _, x in lines)  # else this test could not tell the two apart
    for sheet in sheets:
        grid = {c.ref: c.value for c in sheet.cells}
        heads = {c.value: c.column for c in sheet.cells if c.row == 4}
        shown = [(grid[f"A{r}"], grid[f"{heads['n']}{r}"], grid[f"{heads['Org n']}{r}"])
                 for r in range(5, 5 + len(lines)) if f"A{r}" in grid]
        want = [(name, x.n, x.org_n) for name, x in (lines[:len(calibration.views)] if sheet is sheets[0]
                                                      else lines[len(calibration.views):])]
        assert shown == want


# A quarter the sheets can be read against (the example roster, ``Roster.managers`` in its order):
# Amara scores 3 on principal and Daniel 1 (each flags the other, once one SE a side is enough);
# both score 2 on senior (in line); core, manager and director have one manager only (no org figure);
# Kenji (core) is left unscored on the rubric's first criterion (no mean: nothing to compare).
SCORES = {"leticia-moreno": 3, "tomas-novak": 2, "priya-raman": 1, "kenji-watanabe": 2,
          "sofia-lindqvist": 1, "marcus-bell": 2, "aisha-haddad": 2, "oliver-grant": 3}


def _results(ladder: Ladder, roster: Roster, min_n: int = 1) -> Results:
    ladder = _ladder(ladder, min_n)
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, SCORES[p.id]) for p in roster.people}
    kenji = inputs["kenji-watanabe"].criteria
    first = next(iter(kenji))
    kenji[first] = replace(kenji[first], manager_score=None)
    return results_for(ladder, roster, inputs)


def _calibration(ladder: Ladder, roster: Roster, min_n: int = 1) -> Calibration:
    return summarize(_results(ladder, roster, min_n), _ladder(ladder, min_n)).calibration


def _ladder(ladder: Ladder, min_n: int = 1) -> Ladder:
    return replace(ladder, calibration_min_n=min_n)


def _table(sheet: SheetLayout) -> list[dict[str, CellValue]]:
    """The sheet's lines below its header row, by header, as shown."""
    shown = worked_out(sheet)
    heads = {c.column: c.value for c in sheet.cells if c.row == 4}
    rows = sorted({c.row for c in sheet.cells if c.row > 4})
    return [{str(h): shown.get(f"{col}{r}") for col, h in heads.items()} for r in rows]


def _rule_shown(formula: str) -> CellValue:
    """What a conditional rule's formula gives, worked out alone in a cell."""
    return worked_out(SheetLayout("Rule", (Cell("A1", Role.FORMULA, formula),)))["A1"]


def _cell(sheet: SheetLayout, ref: str) -> Cell:
    return next(c for c in sheet.cells if c.ref == ref)


def _column(sheet: SheetLayout, header: str) -> str:
    return next(c.column for c in sheet.cells if c.row == 4 and c.value == header)


def _points(x: float | None) -> Any:
    return "—" if x is None else pytest.approx(x)


def test_titles_and_captions_name_the_quarter_the_threshold_and_where_scores_come_from(
        ladder: Ladder, roster: Roster) -> None:
    for min_n, plural in ((1, "1 SE;"), (3, "3 SEs;")):
        c = _calibration(ladder, roster, min_n)
        managers, by_criterion = managers_sheets(_ladder(ladder, min_n), "2027-Q1", c)
        assert (managers.title, by_criterion.title) == ("Managers", "Managers by criterion")
        assert _cell(managers, "A1").value == "Calibration across managers: 2027-Q1"
        assert _cell(by_criterion, "A1").value == "Calibration across managers, per criterion: 2027-Q1"
        points = f"{threshold(ladder):g}"
        for sheet, opening in ((managers, "SEs by band, by their manager's scores. "), (by_criterion, "Per criterion. ")):
            caption = _cell(sheet, "A2").value
            assert isinstance(caption, str) and caption.startswith(opening + "Each manager's mean score")
            assert f"A difference of {points} points or more is flagged once both sides have at least {plural}" in caption
            assert caption.endswith(f"below that: too few to tell. Scores: {c.source}.") and c.source
            assert (_cell(sheet, "A1").style, _cell(sheet, "A2").style) == ("title", "note")
            assert sheet.heights[1] == TITLE_HEIGHT
            last = max(c.column for c in sheet.cells if c.row == 4)
            assert sheet.merges == (f"A2:{last}2",) and sheet.print_rows == "4:4"
    empty = managers_sheets(ladder, "2027-Q1", Calibration(""))
    assert all(str(_cell(s, "A2").value).endswith("Scores: none yet.") for s in empty)


def test_headers_give_each_band_a_count_and_a_share_then_the_comparison(ladder: Ladder, roster: Roster) -> None:
    managers, by_criterion = managers_sheets(ladder, "2026-Q4", _calibration(ladder, roster))
    comparison = ["Mean score", "n", "Org mean", "Org n", "Difference", "Flag"]
    bands = [h for b in band_names(ladder) for h in (b, f"{b} share")]
    for sheet, heads in ((managers, ["Manager", "Rubric", "SEs", *bands, *comparison]),
                         (by_criterion, ["Manager", "Rubric", "Criterion", *comparison])):
        row = sorted((c for c in sheet.cells if c.row == 4), key=lambda c: (len(c.column), c.column))
        assert [c.value for c in row] == heads
        assert [c.column for c in row] == [get_column_letter(i + 1) for i in range(len(heads))]
        assert {c.style for c in row} == {"header"} and {c.role for c in row} == {Role.LABEL}
        assert set(sheet.widths) == {c.column for c in row}
        if sheet is managers:  # as tall as its bold headers wrap; the other's fit two lines ("Mean score")
            assert sheet.heights[4] >= height([(str(c.value), sheet.widths[c.column]) for c in row], bold=True)
        numbers = ("SEs", "Mean score", "n", "Org mean", "Org n", "Difference", *bands)
        flag = sheet.widths[_column(sheet, "Flag")]  # its words are the longest of the figures'
        assert all(flag > sheet.widths[c.column] for c in row if c.value in numbers)
    assert managers.freeze == "C5" and by_criterion.freeze == "D5"


def test_each_managers_line_shows_their_bands_shares_and_mean_beside_the_orgs(ladder: Ladder, roster: Roster) -> None:
    results = _results(ladder, roster)
    band = {r.person.id: r.scores.manager_band for r in results.people if r.scores is not None}
    managers, _ = managers_sheets(ladder, "2026-Q4", summarize(results, _ladder(ladder)).calibration)
    rows = _table(managers)
    names = {m.id: m.name for m in roster.managers}
    order = {t: i for i, t in enumerate(ladder.rubrics)}
    want_order = sorted({(p.manager, p.target_level) for p in roster.people},
                        key=lambda mt: ([m.id for m in roster.managers].index(mt[0]), order[mt[1]]))
    assert [(r["Manager"], r["Rubric"]) for r in rows] == [(names[m], ladder.rubrics[t].title) for m, t in want_order]
    for r, (m, t) in zip(rows, want_order):
        mine = [p for p in roster.people if p.manager == m and p.target_level == t]
        others = [p for p in roster.people if p.manager != m and p.target_level == t]
        assert r["SEs"] == len(mine)
        bands = Counter(band[p.id] for p in mine)  # each SE's band by their manager's scores
        for b in band_names(ladder):
            assert r[b] == bands.get(b, 0)
            assert r[f"{b} share"] == pytest.approx(bands.get(b, 0) / len(mine))
        assert r["n"] == len(mine) and r["Org n"] == len(others)
        mean = sum(SCORES[p.id] for p in mine) / len(mine)
        org = sum(SCORES[p.id] for p in others) / len(others) if others else None
        assert r["Mean score"] == pytest.approx(mean) and r["Org mean"] == _points(org)
        assert r["Difference"] == ("" if org is None else pytest.approx(mean - org))


def test_the_flag_says_higher_lower_in_line_or_why_it_cannot_tell(ladder: Ladder, roster: Roster) -> None:
    names = {m.id: m.name for m in roster.managers}
    want = {(names["mgr-amara"], "Principal SE Readiness"): HIGHER,
            (names["mgr-daniel"], "Principal SE Readiness"): LOWER,
            (names["mgr-amara"], "Senior SE Readiness"): IN_LINE, (names["mgr-daniel"], "Senior SE Readiness"): IN_LINE,
            (names["mgr-amara"], "Core SE Mastery"): NO_ORG, (names["mgr-amara"], "SE Manager Readiness"): NO_ORG,
            (names["mgr-daniel"], "Director of Presales Readiness"): NO_ORG}
    # At two SEs a side, each comparison has one side short: Amara has one senior and one principal SE.
    few = {k: TOO_FEW for k, flag in want.items() if flag != NO_ORG}
    for min_n, expect in ((1, want), (2, want | few)):
        lad = _ladder(ladder, min_n)
        c = _calibration(ladder, roster, min_n)
        managers, by_criterion = managers_sheets(lad, "2026-Q4", c)
        assert {(r["Manager"], r["Rubric"]): r["Flag"] for r in _table(managers)} == expect
        for r in _table(by_criterion):
            if r["Mean score"] == "—":
                assert r["Flag"] == "" and r["n"] == 0  # nobody's score on it: nothing to flag
            else:
                assert r["Flag"] == expect[(str(r["Manager"]), str(r["Rubric"]))]
        for sheet in (managers, by_criterion):
            col = _column(sheet, "Flag")
            last = max(c.row for c in sheet.cells)
            (rule,) = sheet.rules
            assert rule.range == f"{col}5:{col}{last}" and rule.fill == FILL["close"]
            shown = {f: _rule_shown("=" + rule.formula.replace(f"{col}5", text_literal(f)))
                     for f in (HIGHER, LOWER, IN_LINE, TOO_FEW, NO_ORG, "")}
            assert shown == {HIGHER: True, LOWER: True, IN_LINE: False, TOO_FEW: False, NO_ORG: False, "": False}


def test_per_criterion_one_line_each_in_the_rubrics_order(ladder: Ladder, roster: Roster) -> None:
    c = _calibration(ladder, roster)
    _, by_criterion = managers_sheets(ladder, "2026-Q4", c)
    rows = _table(by_criterion)
    names = {m.id: m.name for m in roster.managers}
    want = [(names[v.manager_id], ladder.rubrics[v.target].title, f"{k.id}: {k.text}")
            for v in c.views for k in ladder.rubrics[v.target].criteria]
    assert [(r["Manager"], r["Rubric"], r["Criterion"]) for r in rows] == want
    unscored = next(iter(ladder.rubrics["core"].criteria)).id
    for r in rows:
        mine = [p for p in roster.people if p.manager == next(m for m in names if names[m] == r["Manager"])
                and ladder.rubrics[p.target_level].title == r["Rubric"]]
        others = [p for p in roster.people if p.target_level == mine[0].target_level and p not in mine]
        if str(r["Criterion"]).startswith(f"{unscored}:") and mine[0].target_level == "core":
            assert (r["Mean score"], r["n"], r["Difference"]) == ("—", 0, "")
            continue
        mean = sum(SCORES[p.id] for p in mine) / len(mine)
        org = sum(SCORES[p.id] for p in others) / len(others) if others else None
        assert (r["Mean score"], r["n"]) == (pytest.approx(mean), len(mine))
        assert (r["Org mean"], r["Org n"]) == (_points(org), len(others))
        assert r["Difference"] == ("" if org is None else pytest.approx(mean - org))


def test_numbers_show_as_numbers_in_their_formats(ladder: Ladder, roster: Roster) -> None:
    managers, by_criterion = managers_sheets(ladder, "2026-Q4", _calibration(ladder, roster))
    for sheet in (managers, by_criterion):
        formats = {"Mean score": "0.0", "Org mean": "0.0", "Difference": "+0.0;-0.0;0.0", "n": "", "Org n": ""}
        for head, fmt in formats.items():
            col = _column(sheet, head)
            cells = [c for c in sheet.cells if c.column == col and c.row > 4]
            assert cells and {c.number_format for c in cells} == {fmt}
            assert {c.style for c in cells} == ({"formula"} if head == "Difference" else {"number"})
        for head in ("Manager", "Rubric"):
            assert {c.style for c in sheet.cells if c.column == _column(sheet, head) and c.row > 4} == {"wrap"}
        flags = [c for c in sheet.cells if c.column == _column(sheet, "Flag") and c.row > 4]
        assert {c.style for c in flags} == {"formula"} and {c.role for c in flags} == {Role.FORMULA}
    for b in band_names(ladder):
        counts = [c for c in managers.cells if c.column == _column(managers, b) and c.row > 4]
        shares = [c for c in managers.cells if c.column == _column(managers, f"{b} share") and c.row > 4]
        assert {(c.style, c.number_format) for c in counts} == {("number", "")}
        assert {(c.style, c.number_format, c.role) for c in shares} == {("formula", "0%", Role.FORMULA)}
    assert {c.style for c in managers.cells if c.column == "C" and c.row > 4} == {"number"}
    assert {c.style for c in by_criterion.cells if c.column == "C" and c.row > 4} == {"wrap"}


def test_the_formulas_show_what_expected_managers_says(ladder: Ladder, roster: Roster) -> None:
    """The committee test in LibreOffice checks Calc against ``expected_managers`` by key; here each key names
    the formula cell it should, and says what that cell shows."""
    for min_n in (1, 2):
        lad = _ladder(ladder, min_n)
        c = _calibration(ladder, roster, min_n)
        want = expected_managers(lad, c)
        shown: dict[str, CellValue] = {}
        for sheet in managers_sheets(lad, "2026-Q4", c):
            values = worked_out(sheet)
            shown |= {cell.key: values[cell.ref] for cell in sheet.cells if cell.role is Role.FORMULA}
        assert shown.keys() == want.keys()
        assert shown == {k: pytest.approx(v) if isinstance(v, float) else v for k, v in want.items()}
        v = c.views[0]
        assert f"managers.{v.manager_id}.{v.target}.share.Ready" in want
        assert f"managers.{v.manager_id}.{v.target}.{v.criteria[0][1].key}.flag" in want


def test_a_share_of_no_scored_se_is_blank(ladder: Ladder, roster: Roster) -> None:
    c = _calibration(ladder, roster)
    v = replace(c.views[0], people=0, bands=())
    managers, _ = managers_sheets(ladder, "2026-Q4", replace(c, views=(v,)))
    (row,) = _table(managers)
    assert row["SEs"] == 0
    assert all(row[f"{b} share"] == "" and row[b] == 0 for b in band_names(ladder))
    assert all(val == "" for k, val in expected_managers(ladder, replace(c, views=(v,))).items() if ".share." in k)


def test_no_manager_scored_yet(ladder: Ladder) -> None:
    managers, by_criterion = managers_sheets(ladder, "2026-Q4", Calibration(""))
    assert (_cell(managers, "A5").value, _cell(managers, "A5").style) == ("No manager has scored yet.", "label")
    assert [c for c in by_criterion.cells if c.row > 4] == []
    assert managers.rules[0].range.endswith("5:" + _column(managers, "Flag") + "5")
    assert by_criterion.rules[0].range == "I5:I5"
    assert expected_managers(ladder, Calibration("")) == {}


def test_rows_are_tall_enough_for_long_names(ladder: Ladder, roster: Roster) -> None:
    c = _calibration(ladder, roster)
    long = "Maximiliana Alexandrovna Konstantinopoulou-Featherstonehaugh"
    v = replace(c.views[0], manager_name=long)
    managers, by_criterion = managers_sheets(ladder, "2026-Q4", replace(c, views=(v, *c.views[1:])))
    short = managers.heights[6]
    assert managers.heights[5] > short and managers.heights[5] >= height([(long, managers.widths["A"])])
    assert by_criterion.heights[5] >= height([(str(_cell(by_criterion, "C5").value), by_criterion.widths["C"])])
    assert managers.heights[2] >= height([(str(_cell(managers, "A2").value), sum(managers.widths.values()))])
    assert by_criterion.heights[2] >= height([(str(_cell(by_criterion, "A2").value), sum(by_criterion.widths.values()))])
    assert by_criterion.heights[4] >= 30.0 and managers.heights[4] >= 30.0


def test_nothing_on_the_sheets_is_for_typing_in(ladder: Ladder, roster: Roster) -> None:
    """The committee reads these sheets; nothing is read back: every cell is a label or a formula."""
    for c in (_calibration(ladder, roster), Calibration("")):
        for sheet in managers_sheets(ladder, "2026-Q4", c):
            for cell in sheet.cells:
                is_formula = isinstance(cell.value, str) and cell.value.startswith("=")
                assert cell.role is (Role.FORMULA if is_formula else Role.LABEL), cell


def test_many_bands_run_past_column_z(ladder: Ladder, roster: Roster) -> None:
    """A ladder of eight bands needs 29 columns: the headers go on to AA, AB, AC as a spreadsheet names them."""
    extra = tuple(Band(f"Band {i}", 0.0) for i in range(5))
    many = replace(_ladder(ladder), bands=(*ladder.bands, *extra))
    c = _calibration(ladder, roster)
    managers, _ = managers_sheets(many, "2026-Q4", c)
    heads = [h for b in band_names(many) for h in (b, f"{b} share")]
    heads = ["Manager", "Rubric", "SEs", *heads, "Mean score", "n", "Org mean", "Org n", "Difference", "Flag"]
    assert len(heads) > 26
    assert {c.column: c.value for c in managers.cells if c.row == 4} == {
        get_column_letter(i + 1): h for i, h in enumerate(heads)}
    rows = _table(managers)
    for r, v in zip(rows, c.views):
        assert (r["Flag"], r["Band 4"], r["Band 4 share"]) == (v.overall.flag, 0, 0)
        assert r["Difference"] == ("" if v.overall.difference is None else pytest.approx(v.overall.difference))
    (rule,) = managers.rules
    assert rule.range.startswith(f"{get_column_letter(len(heads))}5:")
