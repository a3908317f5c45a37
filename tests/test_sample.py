"""The demo's sample returns show what the tool is for: each promised case is really in the data."""

from __future__ import annotations

import re
from pathlib import Path

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Results, ScoredBy, Status
from ladder_sheets.core.summary import summarize
from ladder_sheets.workflows.mail_collect import NO_WORKBOOK, collect_with_mail
from ladder_sheets.workflows.review import build_reviews
from ladder_sheets.workflows.sample import main
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER


def _assert_every_case(results: Results, ladder: Ladder) -> None:
    status = {p.person.id: p.status for p in results.people}
    assert list(status.values()).count(Status.COMPLETE) == 5
    assert status["marcus-bell"] is Status.MISSING and status["kenji-watanabe"] is Status.INCOMPLETE
    assert [p.kind for p in results.unmatched] == [NO_WORKBOOK]  # marcus: "I will send it on Friday"
    summary = summarize(results, ladder)
    assert "leticia-moreno" in {r.id for r in summary.ready}  # a candidate once Ready a second quarter
    assert {r.id for r in summary.outliers} == {"priya-raman"}
    evidence = [c.evidence for p in results.people if p.inputs for c in p.inputs.criteria.values() if c.evidence]
    assert evidence and all(e.startswith("[Sample] ") for e in evidence)


def test_sample_returns_cover_every_case_and_say_they_are_samples(ladder: Ladder, roster: Roster,
                                                                 in_workbook_team: Path, tmp_path: Path) -> None:
    generate(ladder, roster, QUARTER, tmp_path, due=DUE)
    assert main(["--team", str(in_workbook_team), "--quarter", QUARTER, "--workbooks", str(tmp_path / QUARTER),
                 "--maildir", str(tmp_path / "inbox")]) == 0
    results = collect_with_mail([tmp_path / "inbox"], ladder, roster, QUARTER)
    _assert_every_case(results, ladder)
    assert {p.scored_by.kind for p in results.people if p.status is Status.COMPLETE} == {ScoredBy.MANAGER_RETURN}


def test_the_managers_round_plays_out_in_reviews(ladder: Ladder, review_roster: Roster, team_path: Path,
                                                 tmp_path: Path) -> None:
    """The SEs return self-scored workbooks; collect; review; the managers return their reviews; collect again."""
    generate(ladder, review_roster, QUARTER, tmp_path, due=DUE)
    inbox = tmp_path / "inbox"
    assert main(["--team", str(team_path), "--quarter", QUARTER, "--workbooks", str(tmp_path / QUARTER),
                 "--maildir", str(inbox)]) == 0
    first = collect_with_mail([inbox], ladder, review_roster, QUARTER)
    assert not any(p.status is Status.COMPLETE for p in first.people)  # every manager score is still to come
    assert all(any(x.kind == Kind.AWAITING_MANAGER for x in p.problems)
               for p in first.people if p.status is not Status.MISSING)
    build_reviews(ladder, review_roster, first, tmp_path / "reviews", due=DUE)
    assert main(["--team", str(team_path), "--quarter", QUARTER, "--reviews", str(tmp_path / "reviews"),
                 "--maildir", str(inbox)]) == 0
    results = collect_with_mail([inbox], ladder, review_roster, QUARTER)
    _assert_every_case(results, ladder)
    by_id = {p.person.id: p for p in results.people}
    assert {p.scored_by.kind for p in results.people if p.status is Status.COMPLETE} == {ScoredBy.REVIEW}
    assert by_id["leticia-moreno"].recommendation == "promote now"
    assert by_id["leticia-moreno"].why.startswith("[Sample] ")
    assert re.fullmatch(r"review-mgr-amara\.xlsx, emailed from amara\.okafor@apex-cloud\.example on \d{4}-\d\d-\d\d",
                        by_id["leticia-moreno"].scored_by.detail)
    # Daniel's review came back partial: Aisha (waiting for the manager's scores) is still waiting
    assert by_id["aisha-haddad"].status is Status.INCOMPLETE and by_id["aisha-haddad"].scored_by.kind is ScoredBy.NONE
