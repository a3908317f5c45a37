"""core.committee_read: the committee's decisions read back from its workbook, each checked, or every problem located.

Pure: each workbook is the layout ``calibrate --out`` writes, laid out on grids in memory
and filled as the committee fills it (tests/support/books.py). Recording what is read is
the history's (tests/test_committee_history.py); the CLI round trip through real files is
tests/test_calibrate.py, and through LibreOffice tests/test_committee_calc.py.
"""

from __future__ import annotations

import dataclasses

import pytest

from ladder_sheets.core import kinds
from ladder_sheets.core.calibration import OrgFigures
from ladder_sheets.core.cells import GUIDE, WorkbookLayout
from ladder_sheets.core.committee import Decision
from ladder_sheets.core.committee_layout import DECISIONS, Listed, build_committee, key, listing
from ladder_sheets.core.committee_read import RATIONALE_MISSING, Reading, read_committee
from ladder_sheets.core.inputs import CellError, RawValue
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Problem, Results, Severity
from ladder_sheets.core.review_layout import build_review
from ladder_sheets.core.summary import summarize
from tests.conftest import DUE, QUARTER
from tests.support.books import Book, Grid, laid_out
from tests.support.results import inputs_for, results_for

FILE = "calibration.xlsx"
LETICIA, OLIVER, TOMAS = "leticia-moreno", "oliver-grant", "tomas-novak"


@pytest.fixture(scope="module")
def results(ladder: Ladder, review_roster: Roster) -> Results:
    """Leticia, Oliver and Tomáš Ready by their managers' scores; the others far from it."""
    ready = {LETICIA, OLIVER, TOMAS}
    return results_for(ladder, review_roster, {p.id: inputs_for(ladder, p.target_level, 2, 3 if p.id in ready else 1)
                                               for p in review_roster.people})


@pytest.fixture(scope="module")
def listed(ladder: Ladder, results: Results) -> list[Listed]:
    return listing(ladder, summarize(results, ladder), None)


@pytest.fixture(scope="module")
def wl(ladder: Ladder, results: Results, listed: list[Listed]) -> WorkbookLayout:
    return build_committee(ladder, QUARTER, listed, summarize(results, ladder).calibration)


def _row(pid: str, agreed: RawValue = None, rationale: RawValue = None, verdict: RawValue = None
         ) -> dict[str, RawValue]:
    return {key(pid, "agreed"): agreed, key(pid, "rationale"): rationale, key(pid, "verdict"): verdict}


def _read(ladder: Ladder, results: Results, grids: dict[str, Grid]) -> Reading:
    return read_committee(ladder, results, Book(grids), FILE)


def _at(wl: WorkbookLayout, pid: str, name: str) -> tuple[str, str]:
    sheet, cell = wl.by_key()[key(pid, name)]
    return sheet.title, cell.ref


# ---- decisions --------------------------------------------------------------------------------------------


def test_each_row_decided_is_a_decision_against_the_managers_band(ladder: Ladder, results: Results,
                                                                  wl: WorkbookLayout, listed: list[Listed]) -> None:
    assert [x.person_id for x in listed] == [LETICIA, OLIVER, TOMAS]
    values = _row(LETICIA, "Ready", None, "Promote") | _row(TOMAS, "Close", "  Thin executive presence.  ", "Not yet")
    got = _read(ladder, results, laid_out(wl, values))
    assert got.problems == [] and got.errors == []
    assert got.decisions == [Decision(LETICIA, "Ready", "Ready", "", "promote"),
                             Decision(TOMAS, "Ready", "Close", "Thin executive presence.", "not yet")]


def test_a_band_and_decision_are_read_in_any_case_and_a_decision_may_wait(ladder: Ladder, results: Results,
                                                                         wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl, _row(OLIVER, " close ", "=SUM(1) <b>one more quarter</b>", " defer")))
    assert got.problems == []
    assert got.decisions == [Decision(OLIVER, "Ready", "Close", "=SUM(1) <b>one more quarter</b>", "defer")]
    assert _read(ladder, results, laid_out(wl, _row(OLIVER, "Ready"))).decisions == [
        Decision(OLIVER, "Ready", "Ready", "", "")]


def test_the_managers_band_is_the_one_the_workbook_was_written_with(ladder: Ladder, results: Results,
                                                                   wl: WorkbookLayout) -> None:
    """The band shown beside the row is what the committee agreed against, even when the results changed since."""
    values = _row(TOMAS, "Close", "agreed") | {key(TOMAS, "manager_band"): "Close"}
    got = _read(ladder, results, laid_out(wl, values))
    assert got.decisions == [Decision(TOMAS, "Close", "Close", "agreed", "")] and got.problems == []
    assert not got.decisions[0].changed


def test_sorted_rows_are_read_by_their_ids(ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _row(LETICIA, "Ready") | _row(TOMAS, "Developing", "Gaps in two must-haves."))
    sheet = grids[DECISIONS]
    sheet[7], sheet[9] = sheet[9], sheet[7]  # Tomáš first, Leticia last
    got = _read(ladder, results, grids)
    assert {d.person_id: d.agreed_band for d in got.decisions} == {LETICIA: "Ready", TOMAS: "Developing"}
    assert [(p.file, p.sheet, p.kind) for p in got.problems] == [(FILE, DECISIONS, Kind.SORTED)] and got.errors == []


# ---- what is wrong, located -------------------------------------------------------------------------------


def test_a_band_or_decision_not_in_the_list_is_located_and_named(ladder: Ladder, results: Results,
                                                                 wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl, _row(TOMAS, "Maybe", "x", "Promote") | _row(OLIVER, "Ready", None, "Yes")))
    assert [(p.file, p.sheet, p.cell, p.kind, p.severity) for p in got.problems] == [
        (FILE, *_at(wl, OLIVER, "verdict"), Kind.NOT_AN_OPTION, Severity.ERROR),
        (FILE, *_at(wl, TOMAS, "agreed"), Kind.NOT_AN_OPTION, Severity.ERROR)]
    assert got.problems[0].message == ("Oliver Grant: decision: expected one of Promote, Not yet, Defer, found "
                                       "text 'Yes'")
    assert got.problems[1].message.startswith("Tomáš Novák: agreed band: expected one of Ready, Close, Developing")
    assert got.errors == got.problems
    assert got.decisions == [Decision(OLIVER, "Ready", "Ready", "", "")]  # read, though nothing is applied


def test_a_decision_without_an_agreed_band_is_located_at_the_band(ladder: Ladder, results: Results,
                                                                  wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl, _row(TOMAS, None, "why", "Promote")))
    assert got.problems == [Problem(FILE, *_at(wl, TOMAS, "agreed"), Kind.BLANK,
                                    "Tomáš Novák: a decision (Promote) needs an agreed band")]
    assert got.decisions == []


@pytest.mark.parametrize("rationale", [None, "", " \n "])
def test_a_band_changed_without_a_rationale_is_located_at_the_rationale(ladder: Ladder, results: Results,
                                                                        wl: WorkbookLayout, rationale: RawValue) -> None:
    got = _read(ladder, results, laid_out(wl, _row(TOMAS, "Close", rationale, "Not yet")))
    assert got.problems == [Problem(FILE, *_at(wl, TOMAS, "rationale"), RATIONALE_MISSING,
                                    "Tomáš Novák: the agreed band Close differs from the manager's band Ready, so a "
                                    "rationale is required")]
    assert got.errors == got.problems


def test_a_band_agreed_where_the_manager_gave_none_needs_a_rationale(ladder: Ladder, results: Results,
                                                                     wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl, _row(TOMAS, "Ready") | {key(TOMAS, "manager_band"): None}))
    (missing,) = got.problems
    assert (missing.kind, missing.message) == (RATIONALE_MISSING, "Tomáš Novák: the agreed band Ready differs from "
                                               "the manager's band a blank cell, so a rationale is required")
    assert got.decisions == [Decision(TOMAS, "", "Ready", "", "")]


def test_a_wrong_band_is_not_also_said_to_be_missing(ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl, _row(TOMAS, 7, None, "Promote")))
    assert [(p.cell, p.kind) for p in got.problems] == [(_at(wl, TOMAS, "agreed")[1], Kind.NOT_AN_OPTION)]


def test_nothing_decided_is_an_error_on_the_decisions_sheet(ladder: Ladder, results: Results,
                                                            wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl))
    assert got.problems == [Problem(FILE, DECISIONS, "", Kind.BLANK, "no agreed band is filled in, so there is "
                                                                     "nothing to apply")]
    assert got.decisions == []


def test_nothing_decided_on_a_renamed_sheet_is_said_where_it_is_now(ladder: Ladder, results: Results,
                                                                   wl: WorkbookLayout) -> None:
    grids = {("Our decisions" if t == DECISIONS else t): g for t, g in laid_out(wl).items()}
    got = _read(ladder, results, grids)
    assert [(p.sheet, p.kind, p.severity) for p in got.problems] == [
        ("Our decisions", Kind.RENAMED_SHEET, Severity.NOTE), ("Our decisions", Kind.BLANK, Severity.ERROR)]


def test_a_workbook_listing_nobody_has_nothing_to_apply(ladder: Ladder, results: Results) -> None:
    empty = build_committee(ladder, QUARTER, [], summarize(results, ladder).calibration)
    got = _read(ladder, results, laid_out(empty))
    assert got.problems == [Problem(FILE, DECISIONS, "", Kind.BLANK, "no agreed band is filled in, so there is "
                                                                     "nothing to apply")]


def test_a_workbook_listing_one_se_left_blank_has_nothing_to_apply(ladder: Ladder, results: Results,
                                                                   listed: list[Listed]) -> None:
    one = build_committee(ladder, QUARTER, listed[-1:], summarize(results, ladder).calibration)
    got = _read(ladder, results, laid_out(one))
    assert [(p.sheet, p.kind) for p in got.problems] == [(DECISIONS, Kind.BLANK)]
    assert _read(ladder, results, laid_out(one, _row(TOMAS, "Ready"))).decisions == [
        Decision(TOMAS, "Ready", "Ready", "", "")]


def test_a_note_typed_beside_the_rows_is_noted_and_the_decisions_read(ladder: Ladder, results: Results,
                                                                     wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _row(TOMAS, "Ready"))
    grids[DECISIONS][9].append("discussed on 12/3")
    got = _read(ladder, results, grids)
    assert [(p.file, p.sheet, p.cell, p.kind) for p in got.problems] == [(FILE, DECISIONS, "P10", Kind.IGNORED)]
    assert got.decisions == [Decision(TOMAS, "Ready", "Ready", "", "")]


# ---- the workbook as a whole ------------------------------------------------------------------------------


def test_a_workbook_of_another_kind_is_not_read(ladder: Ladder, review_roster: Roster, results: Results) -> None:
    review = build_review(ladder, review_roster, review_roster.managers[0], QUARTER, DUE, [], False, OrgFigures())
    got = _read(ladder, results, laid_out(review))
    assert got.problems == [Problem(FILE, "", "", Kind.UNIDENTIFIED, "not a committee workbook (its Guide says "
                                    "'Workbook: Manager review'); write one with `ladder-sheets calibrate ... --out`")]
    assert got.decisions == []


def test_a_workbook_without_a_guide_is_not_read(ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _row(TOMAS, "Ready"))
    del grids[GUIDE]
    got = _read(ladder, results, grids)
    assert got.problems == [Problem(FILE, "", "", Kind.UNIDENTIFIED, "not a committee workbook (it has no Guide "
                                    "saying what it is); write one with `ladder-sheets calibrate ... --out`")]
    assert got.decisions == []


def test_a_guide_whose_kind_shows_an_error_value_names_no_kind(ladder: Ladder, results: Results,
                                                                wl: WorkbookLayout) -> None:
    got = _read(ladder, results, laid_out(wl, {kinds.KIND_KEY: CellError("#N/A")}))
    assert [p.message for p in got.problems] == ["not a committee workbook (it has no Guide saying what it is); "
                                                 "write one with `ladder-sheets calibrate ... --out`"]


def test_the_guides_own_text_is_not_taken_for_something_typed(ladder: Ladder, results: Results,
                                                              wl: WorkbookLayout) -> None:
    """The Guide's paragraphs are the workbook's: only its facts are read, and nothing about the rest is said."""
    grids = laid_out(wl, _row(TOMAS, "Ready"))
    assert any("How to fill in" in row for row in grids[GUIDE])
    assert _read(ladder, results, grids).problems == []


def test_a_renamed_guide_is_still_read_and_noted(ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    grids = {("Read me" if t == GUIDE else t): g for t, g in laid_out(wl, _row(TOMAS, "Ready")).items()}
    got = _read(ladder, results, grids)
    assert got.decisions == [Decision(TOMAS, "Ready", "Ready", "", "")]
    assert [(p.file, p.sheet, p.kind, p.severity) for p in got.problems] == [
        (FILE, "Read me", Kind.RENAMED_SHEET, Severity.NOTE)]


def test_a_workbook_of_another_quarter_is_not_read(ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    later = dataclasses.replace(results, quarter="2027-Q1")
    got = _read(ladder, later, laid_out(wl, _row(TOMAS, "Ready")))
    assert got.problems == [Problem(FILE, GUIDE, "B4", Kind.QUARTER, "expected quarter 2027-Q1, found 2026-Q4")]
    assert got.decisions == []


def test_a_workbook_of_another_ladder_version_is_not_read(ladder: Ladder, results: Results,
                                                          wl: WorkbookLayout) -> None:
    got = _read(dataclasses.replace(ladder, version="2027.1"), results, laid_out(wl, _row(TOMAS, "Ready")))
    assert [(p.sheet, p.cell, p.kind) for p in got.problems] == [(GUIDE, "B5", Kind.VERSION)]
    assert got.decisions == []


def test_someone_listed_but_not_in_the_results_stops_the_reading(ladder: Ladder, results: Results,
                                                                 wl: WorkbookLayout) -> None:
    values = _row(TOMAS, "Ready") | {"meta.listed": f"{LETICIA} ghost {OLIVER} {TOMAS} kim"}
    got = _read(ladder, results, laid_out(wl, values))
    assert got.problems == [Problem(FILE, GUIDE, "", Kind.NOT_ON_ROSTER, "lists 'ghost', 'kim', not in the results of "
                                    "2026-Q4; write the workbook again from these results")]
    assert got.decisions == []


def test_the_rows_read_are_those_the_guide_lists(ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    """Only the SEs the Guide lists are read, by their ids: rows of others are said not to be read."""
    got = _read(ladder, results, laid_out(wl, _row(LETICIA, "Ready") | _row(TOMAS, "Ready")
                                          | {"meta.listed": f"  {TOMAS}  "}))
    assert got.decisions == [Decision(TOMAS, "Ready", "Ready", "", "")]
    assert [(p.sheet, p.cell, p.kind) for p in got.problems] == [(DECISIONS, "A8", Kind.IGNORED)] and not got.errors


def test_a_sheet_whose_rows_were_cut_is_refused_and_nothing_is_decided(ladder: Ladder, results: Results,
                                                                       wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _row(LETICIA, "Ready") | _row(TOMAS, "Ready"))
    del grids[DECISIONS][8]  # Oliver's row deleted
    got = _read(ladder, results, grids)
    assert [(p.sheet, p.kind, p.severity) for p in got.problems] == [(DECISIONS, Kind.SHIFTED_ROWS, Severity.ERROR)]
    assert got.decisions == []


def test_a_name_changed_in_the_results_since_the_workbook_was_written_refuses_its_rows(
        ladder: Ladder, results: Results, wl: WorkbookLayout) -> None:
    """A row is checked by the SE's name beside the id: the results now name Tomáš otherwise."""
    renamed = dataclasses.replace(results, people=tuple(
        dataclasses.replace(p, person=dataclasses.replace(p.person, name="Tomas Novak")) if p.person.id == TOMAS else p
        for p in results.people))
    got = _read(ladder, renamed, laid_out(wl, _row(TOMAS, "Ready")))
    assert [(p.sheet, p.kind) for p in got.problems] == [(DECISIONS, Kind.SHIFTED_ROWS)]
    assert got.decisions == []


def test_the_errors_are_the_problems_that_stop_applying(ladder: Ladder, results: Results) -> None:
    note = Problem(FILE, DECISIONS, "A8", Kind.SORTED, "sorted", Severity.NOTE)
    error = Problem(FILE, DECISIONS, "L8", Kind.BLANK, "blank")
    assert Reading([], [note, error]).errors == [error] and Reading().errors == [] and Reading().decisions == []
    assert kinds.COMMITTEE == "Committee calibration"
