"""Whom the committee's workbook lists, and how an SE in the top band reads (core/committee.py)."""

from __future__ import annotations

import dataclasses

import pytest

from ladder_sheets.core.committee import Applied, Decision, near_top, ready_label, verdict_shown
from ladder_sheets.core.model import Ladder

# The shipped ladder: Ready from 85%, Close from 65%, and the committee looks 10 points below Ready.
LISTED = [
    ("Ready", 0.85, "", True),
    ("Close", 0.75, "", True),  # exactly committee_near below Ready's minimum
    ("Close", 0.74, "", False),
    ("Close", 0.70, "Promote now", True),  # the manager asks for it: always in front of the committee
    ("Developing", 0.40, "promote now", True),
    ("Developing", 0.80, "Next cycle", False),  # a band held by a must-have is not "near" by its points alone
    ("Incomplete", None, "", False),
]


@pytest.mark.parametrize(("band", "pct", "recommendation", "listed"), LISTED)
def test_the_committee_sees_the_top_band_those_close_below_it_and_whom_the_manager_puts_forward(
        ladder: Ladder, band: str, pct: float | None, recommendation: str, listed: bool) -> None:
    assert near_top(ladder, band, pct, recommendation) is listed


def test_near_follows_the_ladders_setting(ladder: Ladder) -> None:
    wider = dataclasses.replace(ladder, committee_near=0.20)
    assert near_top(wider, "Close", 0.66, "") and not near_top(ladder, "Close", 0.66, "")


@pytest.mark.parametrize(("streak", "counted", "label"), [
    (None, True, "Ready this quarter (no history kept, so earlier quarters cannot be counted)"),
    (0, True, "Ready, but this quarter does not count yet: incomplete, or problems to correct"),
    (3, False, "Ready, but this quarter does not count yet: incomplete, or problems to correct"),
    (1, True, "Ready, first quarter"),
    (2, True, "Ready, 2 quarters running"),
    (4, True, "Ready, 4 quarters running"),
])
def test_a_ready_se_reads_as_their_quarters_running(streak: int | None, counted: bool, label: str) -> None:
    assert ready_label("Ready", streak, 2, counted) == label


def test_before_the_ladders_quarters_running_it_says_when_a_candidate_starts() -> None:
    assert ready_label("Ready", 2, 3) == "Ready, 2 quarters running (a candidate from 3)"


def test_a_ladder_of_two_bands_or_one_still_lists_those_near_the_top(ladder: Ladder) -> None:
    two = dataclasses.replace(ladder, bands=ladder.bands[:2])
    assert near_top(two, "Close", 0.80, "") and not near_top(two, "Close", 0.70, "")
    one = dataclasses.replace(ladder, bands=ladder.bands[:1])
    assert near_top(one, "Ready", 0.90, "") and not near_top(one, "Incomplete", None, "")


@pytest.mark.parametrize(("stored", "shown"), [("not yet", "Not yet"), ("promote", "Promote"), ("defer", "Defer"),
                                               ("", ""), ("ask again", "ask again")])
def test_a_decision_reads_as_the_dropdown_shows_it(stored: str, shown: str) -> None:
    assert verdict_shown(stored) == shown


def test_an_applied_committee_gives_each_se_their_decision() -> None:
    ana, ben = Decision("ana", "Close", "Ready", "led the Globex deal"), Decision("ben", "Ready", "Ready")
    applied = Applied("2026-Q4", "calibration.xlsx", "e" * 64, "2026-12-10T09:00:00+00:00", (ana, ben))
    assert (applied.of("ben"), applied.of("ana"), applied.of("cy")) == (ben, ana, None)
