"""Trends over three synthetic quarters, expected values derived from the inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder_sheets import history, scoring, trends
from ladder_sheets.model import Ladder, Roster
from tests.support.results import inputs_for, results_for

QUARTERS = ("2026-Q2", "2026-Q3", "2026-Q4")
# (self, manager) score per person per quarter; None: not returned that quarter.
# Amara (first four) scores above her SEs; Daniel (last four) below his.
PLAN: dict[str, tuple[tuple[int, int | None] | None, ...]] = {
    "leticia-moreno": ((3, 3), (3, 3), (3, 3)),  # Ready three quarters running
    "tomas-novak": ((2, 3), None, (2, 3)),  # Ready, but no workbook in Q3 breaks the streak
    "priya-raman": ((1, 2), (2, 3), (2, 3)),  # Ready the last two
    "kenji-watanabe": ((2, 3), (2, 3), (1, 2)),
    "sofia-lindqvist": ((3, 1), (3, 1), (3, 2)),
    "marcus-bell": ((2, 1), (2, 1), (2, None)),  # manager has not scored Q4 yet
    "aisha-haddad": ((2, 1), (3, 2), (2, 1)),
    "oliver-grant": (None, None, (3, 2)),
}


@pytest.fixture
def db(ladder: Ladder, roster: Roster, tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite3"
    target = {p.id: p.target_level for p in roster.people}
    for i, q in enumerate(QUARTERS):
        got = {pid: inputs_for(ladder, target[pid], plan[i][0], plan[i][1]) for pid, plan in PLAN.items() if plan[i]}
        history.store(results_for(ladder, roster, got, quarter=q), path)  # type: ignore[arg-type]
    return path


def _pct(ladder: Ladder, roster: Roster, pid: str, manager: int) -> float | None:
    target = next(p.target_level for p in roster.people if p.id == pid)
    weights = [c.weight for c in ladder.rubric_for(target).criteria]
    return scoring.readiness([float(manager)] * len(weights), weights, ladder.scale.max)


def test_consecutive_ready_quarters(db: Path, ladder: Ladder) -> None:
    streaks = trends.consecutive_top(history.people(db), ladder.bands[0].name, "2026-Q4")
    assert streaks["leticia-moreno"] == 3
    assert streaks["tomas-novak"] == 1
    assert streaks["priya-raman"] == 2
    assert streaks["marcus-bell"] == 0 and streaks["aisha-haddad"] == 0


def test_readiness_by_person(db: Path, ladder: Ladder, roster: Roster) -> None:
    series = trends.readiness_by_person(history.people(db))
    assert series["priya-raman"] == [(q, _pct(ladder, roster, "priya-raman", m)) for q, m in zip(QUARTERS, (2, 3, 3))]
    assert series["tomas-novak"][1] == ("2026-Q3", None)  # on the roster, no workbook that quarter


def test_team_movement_and_band_changes(db: Path, ladder: Ladder, roster: Roster) -> None:
    rows = history.people(db)
    moves = {(t.team, t.quarter): t for t in trends.team_movement(rows)}
    west_q4 = [r for r in rows if r.team == "Commercial West" and r.quarter == "2026-Q4" and r.manager_pct is not None]
    assert moves[("Commercial West", "2026-Q4")].avg_manager_pct == pytest.approx(
        sum(r.manager_pct for r in west_q4) / len(west_q4))  # type: ignore[misc]
    changes = trends.band_changes(rows, [b.name for b in ladder.bands], "2026-Q4")
    expected = {}
    for pid, plan in PLAN.items():
        before, now = plan[1], plan[2]
        if before and now and before[1] is not None and now[1] is not None:
            a = scoring.band(_pct(ladder, roster, pid, before[1]), ladder.bands)
            b = scoring.band(_pct(ladder, roster, pid, now[1]), ladder.bands)
            order = [x.name for x in ladder.bands]
            expected[pid] = (order.index(b) < order.index(a)) - (order.index(b) > order.index(a))
    assert changes == expected
    assert changes["aisha-haddad"] == -1 and changes["kenji-watanabe"] == -1 and changes["priya-raman"] == 0


def test_rater_calibration_flags_lenient_and_harsh(db: Path) -> None:
    scores = history.criterion_scores(db)
    raters, org = trends.raters(scores, {"mgr-amara": "Amara Okafor", "mgr-daniel": "Daniel Reyes"}, 3)
    pairs = [(s.manager_id, s.manager_score - s.self_score) for s in scores  # type: ignore[operator]
             if s.self_score is not None and s.manager_score is not None]
    assert org == pytest.approx(sum(g for _, g in pairs) / len(pairs))
    by = {r.manager_id: r for r in raters}
    for mid, rater in by.items():
        mine = [g for m, g in pairs if m == mid]
        assert rater.avg_gap == pytest.approx(sum(mine) / len(mine)) and rater.scored == len(mine)
        assert sum(rater.distribution.values()) == len(mine)
    assert by["mgr-daniel"].verdict == "harsh"
    assert by["mgr-amara"].verdict == "lenient"


def test_reports_show_the_trends(db: Path, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    import io

    import openpyxl

    from ladder_sheets.report import build_report

    t = trends.build(history.people(db), history.criterion_scores(db), latest="2026-Q4",
                     band_order=[b.name for b in ladder.bands], scale_max=ladder.scale.max)
    got = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}
    build_report(results_for(ladder, roster, got), ladder, tmp_path, leadership=["vp@x.example"], trends=t)
    lead = (tmp_path / "leadership.txt").read_text(encoding="utf-8")
    assert "- Leticia Moreno (Enterprise East): 3 quarters in a row" in lead
    assert "Daniel Reyes:" in lead and "; harsh" in lead and "; lenient" in lead
    amara = (tmp_path / "manager-mgr-amara.txt").read_text(encoding="utf-8")
    priya = [scoring.readiness([m] * 3, [1, 1, 1], 3) for m in (2, 3, 3)]
    assert "- Priya Raman: " + " -> ".join(f"{v * 100:.0f}%" for v in priya if v is not None) in amara
    wb = openpyxl.load_workbook(io.BytesIO((tmp_path / "summary.xlsx").read_bytes()))
    assert [c.value for c in wb["Trends"][1]][:4] == ["SE", *QUARTERS]
    assert len(wb["Trends"]._charts) == 1
