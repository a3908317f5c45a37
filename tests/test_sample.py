"""The demo's sample returns show what the tool is for: each promised case is really in the data."""

from __future__ import annotations

from pathlib import Path

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Status
from ladder_sheets.core.summary import summarize
from ladder_sheets.workflows.mail_collect import NO_WORKBOOK, collect_with_mail
from ladder_sheets.workflows.sample import main
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER


def test_sample_returns_cover_every_case_and_say_they_are_samples(ladder: Ladder, roster: Roster, team_path: Path,
                                                                 tmp_path: Path) -> None:
    generate(ladder, roster, QUARTER, tmp_path, due=DUE)
    assert main(["--team", str(team_path), "--quarter", QUARTER, "--workbooks", str(tmp_path / QUARTER),
                 "--maildir", str(tmp_path / "inbox")]) == 0
    results = collect_with_mail([tmp_path / "inbox"], ladder, roster, QUARTER)
    status = {p.person.id: p.status for p in results.people}
    assert list(status.values()).count(Status.COMPLETE) == 5
    assert status["marcus-bell"] is Status.MISSING and status["kenji-watanabe"] is Status.INCOMPLETE
    assert [p.kind for p in results.unmatched] == [NO_WORKBOOK]  # marcus: "I will send it on Friday"
    summary = summarize(results, ladder)
    assert "leticia-moreno" in {r.id for r in summary.candidates}
    assert {r.id for r in summary.outliers} == {"priya-raman"}
    evidence = [c.evidence for p in results.people if p.inputs for c in p.inputs.criteria.values() if c.evidence]
    assert evidence and all(e.startswith("[Sample] ") for e in evidence)
