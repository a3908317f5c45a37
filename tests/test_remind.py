"""Reminders read as each person gets them: who is mailed, what they are asked, what SE Ops sees.

Results are built straight from inputs (tests/support/results.py) and reminders written by
``build_reminders`` or ``write_reminders`` directly: no workbook is generated, so each test is quick.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from pathlib import Path

from ladder_sheets.core.model import Inputs, Ladder, Roster
from ladder_sheets.core.results import Kind, ManagerSource, Problem, Results, ScoredBy, Severity, Status
from ladder_sheets.workflows.remind import build_reminders
from tests.conftest import DUE, QUARTER
from tests.support.emails import body, read
from tests.support.results import inputs_for, results_for

SENDER = "Apex SE Ops <se-ops@apex-cloud.example>"
TODAY = date(2026, 12, 4)
TOMAS = "tomas-novak"


def _complete(ladder: Ladder, roster: Roster) -> dict[str, Inputs | None]:
    """Every SE's inputs, self and manager scores filled in."""
    return {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people}


def _with(results: Results, person_id: str, **changes: Any) -> Results:
    """``results`` with one person's result changed."""
    return dataclasses.replace(results, people=tuple(dataclasses.replace(p, **changes) if p.person.id == person_id
                                                     else p for p in results.people))


def _plain(path: Path) -> str:
    return " ".join(body(read(path), "plain").split())


def test_scores_refused_then_sent_by_the_manager_leave_nobody_to_remind(ladder: Ladder, roster: Roster,
                                                                        tmp_path: Path) -> None:
    """Tomáš typed his manager's column and sent it from his own address (not used); Amara then sent it from
    hers, and those scores are used: he is complete, and neither he nor she is told to do anything."""
    note = Problem(f"{TOMAS}.xlsx", "Scorecard", "", Kind.NOT_FROM_MANAGER,
                   "the Manager column was filled in, but the workbook was emailed from Tomáš Novák's own address, "
                   "so those scores were not used", Severity.NOTE)
    results = _with(results_for(ladder, roster, _complete(ladder, roster), problems={TOMAS: (note,)}),
                    TOMAS, scored_by=ManagerSource(ScoredBy.MANAGER_RETURN, "tomas-novak.xlsx, emailed from Amara"))
    assert all(p.status is Status.COMPLETE for p in results.people)
    sent = build_reminders(ladder, roster, results, tmp_path, sender=SENDER, due=DUE, today=TODAY,
                           ops=["ops@apex-cloud.example"])
    assert [r.path.name for r in sent] == ["se-ops.eml"]
    ops = _plain(tmp_path / "se-ops.eml")
    assert "8 of 8 complete" in ops and "Every workbook is complete: nobody needs a reminder." in ops
    assert "not used" not in ops


def test_a_review_refused_then_sent_by_the_manager_is_not_said_again(ladder: Ladder, review_roster: Roster,
                                                                     tmp_path: Path) -> None:
    """A review for Tomáš came from elsewhere (not used), then Amara's own, which is used; his workbook is
    still out. He is reminded of his workbook only, and Amara has nothing to do."""
    why = ("this review came from someone@elsewhere.example, not from Amara Okafor's side "
           "(amara.okafor@apex-cloud.example), so its scores for Tomáš Novák were not used")
    refused = Problem("inbox: review-mgr-amara.xlsx", "Tomáš Novák", "", Kind.NOT_FROM_MANAGER, why)
    inputs = _complete(ladder, review_roster)
    del inputs[TOMAS]
    results = _with(results_for(ladder, review_roster, inputs), TOMAS,
                    problems=(refused,), scored_by=ManagerSource(ScoredBy.REVIEW, "review-mgr-amara.xlsx"))
    sent = build_reminders(ladder, review_roster, results, tmp_path, sender=SENDER, due=DUE, today=TODAY,
                           ops=["ops@apex-cloud.example"])
    assert {r.path.name: r.lines for r in sent if r.path.name != "se-ops.eml"} == {
        f"se-{TOMAS}.eml": ("the workbook has not come back yet",)}
    ops = body(read(tmp_path / "se-ops.eml"), "plain")
    assert "Tomáš Novák (not returned; manager Amara Okafor)" in ops and "not used" not in ops
