"""summary.py: candidates, outliers, below-benchmark lists and rollups, derived from inputs."""

from __future__ import annotations

from ladder_sheets import scoring
from ladder_sheets.model import Ladder, Roster
from ladder_sheets.summary import for_manager, managers, summarize
from tests.support.results import inputs_for, results_for


def test_candidates_outliers_and_rollups(ladder: Ladder, roster: Roster) -> None:
    p = {x.id: x for x in roster.people}
    inputs = {
        "leticia-moreno": inputs_for(ladder, p["leticia-moreno"].target_level, 3, 3),  # Ready, no gap
        "tomas-novak": inputs_for(ladder, p["tomas-novak"].target_level, 1, 3),  # Ready by manager, big gap
        "priya-raman": inputs_for(ladder, p["priya-raman"].target_level, 2, 2, actual=0.5),  # Close, below benchmarks
        "kenji-watanabe": inputs_for(ladder, p["kenji-watanabe"].target_level, 2, None),  # awaiting manager
        "sofia-lindqvist": inputs_for(ladder, p["sofia-lindqvist"].target_level, 3, 1),  # Developing, big negative gap
    }
    s = summarize(results_for(ladder, roster, inputs), ladder)
    assert [r.id for r in s.candidates] == ["leticia-moreno", "tomas-novak"]
    assert [r.id for r in s.outliers] == ["tomas-novak", "sofia-lindqvist"]
    assert {r.id for r in s.attention} == {"kenji-watanabe", "marcus-bell", "aisha-haddad", "oliver-grant"}
    # Every number is the scoring of the inputs.
    for r in s.rows:
        if r.id in inputs:
            want = scoring.score(ladder, ladder.rubric_for(p[r.id].target_level), inputs[r.id])
            assert (r.self_pct, r.manager_pct, r.gap, r.manager_band) == (
                want.self_pct, want.manager_pct, want.calibration_gap, want.manager_band)
    east = next(t for t in s.teams if t.name == "Enterprise East")
    east_pcts = [r.manager_pct for r in s.rows if r.team == "Enterprise East" and r.manager_pct is not None]
    assert east.avg_manager_pct == sum(east_pcts) / len(east_pcts)
    assert east.people == 4 and east.complete == 3
    assert sum(east.bands.values()) == 4
    assert s.org.people == len(roster.people)
    below = {b.metric_id: [row.id for row, _ in b.people] for b in s.below}
    low = {m.id for m in ladder.metrics if scoring.metric_status(0.5, m.target, m.comparator) == "Below"}
    assert all(below[m] == ["priya-raman"] for m in low)


def test_for_manager_keeps_only_their_team(ladder: Ladder, roster: Roster) -> None:
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}
    s = summarize(results_for(ladder, roster, inputs), ladder)
    assert [m[0] for m in managers(s)] == ["mgr-amara", "mgr-daniel"]
    mine = for_manager(s, "mgr-daniel")
    assert {r.manager_id for r in mine.rows} == {"mgr-daniel"}
    assert all(r.manager_id == "mgr-daniel" for r in mine.candidates)
    assert [t.name for t in mine.teams] == ["Commercial West"]
    assert all(row.manager_id == "mgr-daniel" for b in mine.below for row, _ in b.people)
