"""Why a quarter that looks like the top band does not count toward "Ready in a row": said wherever the count is.

A table of histories (pure), then the reported case end to end: readiness of 90% and 95% in
two incomplete quarters beside "0 quarters Ready in a row", in the manager's email and the
promotion packet.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core import trends
from ladder_sheets.core.model import Ladder, MetricInput, Roster
from ladder_sheets.core.results import Kind, Problem, Severity
from ladder_sheets.core.trends import PersonQuarter
from ladder_sheets.history import store as history
from ladder_sheets.workflows.results_file import write_results
from tests.support.cli import run_main
from tests.support.results import inputs_for, results_for

Q = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


def _row(q: str, status: str, pct: float | None, band: str, agreed: str = "") -> PersonQuarter:
    return PersonQuarter(q, "p", "P", "team", "m", "M", status, pct, pct, band, 0.0, agreed_band=agreed)


# (quarter -> (status, manager readiness, manager band[, committee's agreed band])), and the notes; the top band is
# Ready from 85%.
HISTORIES: dict[str, tuple[dict[str, tuple[str, float | None, str] | tuple[str, float, str, str]], list[str]]] = {
    "every quarter counted": ({q: ("complete", 0.9, "Ready") for q in Q}, []),
    "incomplete quarters": ({"2026-Q3": ("incomplete", 0.9, "Ready"), "2026-Q4": ("incomplete", 0.95, "Ready")},
                            ["2026-Q3: 90% but incomplete, so not counted",
                             "2026-Q4: 95% but incomplete, so not counted"]),
    "problems to correct": ({"2026-Q4": ("invalid", 0.9, "Ready")},
                            ["2026-Q4: 90% but with problems to correct, so not counted"]),
    "held by a must-have": ({"2026-Q3": ("complete", 0.88, "Close"), "2026-Q4": ("complete", 0.9, "Ready")},
                            ["2026-Q3: 88% but held at Close by a must-have, so not counted"]),
    "agreed lower by the committee": ({"2026-Q3": ("complete", 0.9, "Ready", "Close"),
                                       "2026-Q4": ("complete", 0.92, "Ready")},
                                      ["2026-Q3: 90% but agreed Close by the committee, so not counted"]),
    "agreed Ready by the committee counts": ({"2026-Q3": ("complete", 0.84, "Close", "Ready"),
                                              "2026-Q4": ("complete", 0.9, "Ready")}, []),
    "a break before the run": ({"2026-Q1": ("complete", 0.9, "Ready"), "2026-Q2": ("complete", 0.7, "Close"),
                                "2026-Q3": ("complete", 0.9, "Ready"), "2026-Q4": ("complete", 0.92, "Ready")},
                               ["2026-Q1: 90% Ready, but 2026-Q2 ended the run, so not counted"]),
    "a quarter with nothing stored": ({"2026-Q1": ("complete", 0.9, "Ready"), "2026-Q3": ("complete", 0.9, "Ready"),
                                       "2026-Q4": ("complete", 0.9, "Ready")},
                                      ["2026-Q1: 90% Ready, but 2026-Q2 (nothing stored) ended the run, "
                                       "so not counted"]),
    "below the top band: nothing to explain": ({"2026-Q3": ("incomplete", 0.6, "Developing"),
                                                "2026-Q4": ("complete", 0.7, "Close")}, []),
}


@pytest.mark.parametrize("case", list(HISTORIES))
def test_each_uncounted_quarter_says_why(case: str) -> None:
    plan, notes = HISTORIES[case]
    rows = [_row(q, *got) for q, got in plan.items()]
    assert trends.not_counted(rows, "Ready", "2026-Q4", Q, 0.85).get("p", []) == notes


def test_the_manager_email_and_the_packet_say_why(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Two quarters of every criterion scored 3 by the manager (readiness 100%), each with a metric left blank:
    incomplete, so not Ready in a row; both emails and the packet say so, per quarter."""
    person = roster.people[0]
    db = tmp_path / "h.sqlite3"
    monkeypatch.setenv("LADDER_SHEETS_DB", str(db))
    full = inputs_for(ladder, person.target_level, 3, 3)
    metric = next(m.id for m in ladder.metrics_for(person.level))
    one_blank = replace(full, metrics={**full.metrics, metric: MetricInput(None)})
    blank = Problem(f"{person.id}.xlsx", "Impact metrics", "E6", Kind.BLANK, f"actual for {metric} is blank",
                    Severity.INCOMPLETE)
    for q in ("2026-Q3", "2026-Q4"):
        results = results_for(ladder, roster, {person.id: one_blank}, {person.id: (blank,)}, quarter=q)
        history.store(results, db)
    path = write_results(results, tmp_path / "results.json")
    code, _, _ = run_main(monkeypatch, capsys, "report", path, "--out", tmp_path / "r", "--packet", person.id,
                          "--db", db)
    assert code == 0
    manager = roster.manager_of(person)
    said = [f"{q}: 100% but incomplete, so not counted" for q in ("2026-Q3", "2026-Q4")]
    text = (tmp_path / "r" / f"manager-{manager.id}.txt").read_text(encoding="utf-8")
    html = (tmp_path / "r" / f"manager-{manager.id}.html").read_text(encoding="utf-8")
    packet = (tmp_path / "r" / f"packet-{person.id}.html").read_text(encoding="utf-8")
    assert f"{ladder.bands[0].name} 0 quarter(s) in a row" in text
    for note in said:
        assert f"  ({note})" in text and note in html and f"<li>{note}</li>" in packet
    assert "(2 not counted, see below)" in packet
