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
from ladder_sheets.core.inputs import RawValue
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
    assert [(p.sheet, p.kind, p.severity) for p in got.problems] == [("Read me", Kind.RENAMED_SHEET, Severity.NOTE)]
