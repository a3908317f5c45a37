"""summary.py: candidates, outliers, below-benchmark lists and rollups, derived from inputs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.model import INCOMPLETE_BAND, CriterionInput, Ladder, Roster
from ladder_sheets.core.results import Problem
from ladder_sheets.core.summary import for_manager, managers, summarize
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
    assert [r.id for r in s.ready] == ["leticia-moreno", "tomas-novak"]
    assert s.candidates == () and not s.history  # without a history, two quarters running cannot be seen
    assert s.ready[0].standing == "Ready this quarter (no history kept, so earlier quarters cannot be counted)"
    assert [r.id for r in s.outliers] == ["tomas-novak", "sofia-lindqvist"]
    assert {r.id for r in s.attention} == {"kenji-watanabe", "marcus-bell", "aisha-haddad", "oliver-grant"}
    # Every number is the scoring of the inputs.
    for r in s.rows:
        if r.id in inputs:
            want = scoring.score(ladder, ladder.rubric_for(p[r.id].target_level), inputs[r.id])
            assert (r.self_pct, r.manager_pct, r.gap, r.manager_band) == (
                want.self_pct, want.manager_pct, want.calibration_gap, want.manager_band)
    east = next(t for t in s.teams if t.name == "Enterprise East")
    for x in east.rubrics:  # averages only within one rubric, each with its n
        pcts = [r.manager_pct for r in s.rows if r.team == "Enterprise East" and r.rubric == x.target
                and r.manager_pct is not None]
        assert (x.avg, x.n) == ((sum(pcts) / len(pcts) if pcts else None), len(pcts))
    assert [x.target for x in east.rubrics] == [t for t in ladder.rubrics
                                                if any(r.rubric == t for r in s.rows if r.team == "Enterprise East")]
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


def test_rows_carry_completeness_problem_counts_and_read_outs(ladder: Ladder, roster: Roster) -> None:
    p = {x.id: x for x in roster.people}
    bad = Problem("sofia-lindqvist.xlsx", "Scorecard", "E7", "out_of_range", "found 4, expected 0-3")
    inputs = {
        "kenji-watanabe": inputs_for(ladder, p["kenji-watanabe"].target_level, 2, None),
        "sofia-lindqvist": inputs_for(ladder, p["sofia-lindqvist"].target_level, 3, 2),
        "priya-raman": inputs_for(ladder, p["priya-raman"].target_level, 2, 2, readout=False),
    }
    s = summarize(results_for(ladder, roster, inputs, {"sofia-lindqvist": (bad,)}), ladder)
    rows = {r.id: r for r in s.rows}
    n = {k: len(ladder.rubric_for(p[k].target_level).criteria) for k in inputs}
    kenji, sofia, priya, marcus = rows["kenji-watanabe"], rows["sofia-lindqvist"], rows["priya-raman"], rows["marcus-bell"]
    assert kenji.completeness == f"{n['kenji-watanabe']}/{n['kenji-watanabe']} self, 0/{n['kenji-watanabe']} manager"
    assert (kenji.status, kenji.errors, kenji.missing, kenji.manager_band) == ("incomplete", 0, 1, INCOMPLETE_BAND)
    assert (sofia.status, sofia.errors, sofia.missing) == ("invalid", 1, 0)
    assert s.problems["sofia-lindqvist"] == (str(bad),)
    assert (marcus.status, marcus.criteria, marcus.self_pct, marcus.evidence) == ("missing", 0, None, ())
    want = scoring.score(ladder, ladder.rubric_for(p["sofia-lindqvist"].target_level), inputs["sofia-lindqvist"])
    assert sofia.readout == want.readout_text != ladder.readout.incomplete_text
    assert priya.readout == ""  # the prompt to finish is no read-out
    assert [e.criterion_id for e in sofia.evidence] == [c.id for c in ladder.rubric_for(p["sofia-lindqvist"].target_level).criteria]
    assert sofia.track == inputs["sofia-lindqvist"].track_preference and sofia.top_pivot == want.top_pivot
    assert [r.id for r in s.attention] == [r.id for r in s.rows if r.status != "complete"]


def test_band_floors_and_below_benchmark_actions_come_from_the_ladder(ladder: Ladder, roster: Roster) -> None:
    p = roster.people[0]
    s = summarize(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 3, 3, actual=-1.0)}), ladder)
    assert s.band_floors == tuple((b.name, b.min_pct) for b in ladder.bands) and s.scale_max == ladder.scale.max
    assert s.top_band == ladder.bands[0].name and s.band_names[-1] == INCOMPLETE_BAND
    for below, metric in zip(s.below, ladder.metrics):
        assert (below.metric, below.benchmark, below.action) == (metric.name, metric.benchmark, metric.action_if_below)
        meets = scoring.metric_status(-1.0, metric.target, metric.comparator) == "Meets"
        assert [(row.id, actual) for row, actual in below.people] == ([] if meets else [(p.id, -1.0)])
    assert for_manager(s, "mgr-amara").band_floors == s.band_floors


@pytest.mark.parametrize(("self_score", "manager_score"), [(0, 1), (1, 0), (2, 3), (3, 3), (1, 2)])
def test_outliers_are_exactly_the_gaps_at_or_over_the_alert(ladder: Ladder, roster: Roster, self_score: int,
                                                            manager_score: int) -> None:
    p = roster.people[0]
    s = summarize(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, self_score, manager_score)}),
                  ladder)
    gap = scoring.score(ladder, ladder.rubric_for(p.target_level),
                        inputs_for(ladder, p.target_level, self_score, manager_score)).calibration_gap
    assert gap is not None
    assert [r.id for r in s.outliers] == ([p.id] if abs(gap) >= ladder.calibration_alert else [])


def test_a_gap_of_exactly_the_alert_is_an_outlier_despite_float_rounding(ladder: Ladder, roster: Roster) -> None:
    """1.0 - 36/45 is 0.19999999999999996 in floats; the ladder means 20 points, so it counts."""
    person = next(p for p in roster.people if p.target_level == "senior")
    # The rubric cut to total weight 15, where 20 % of the points is a whole 9 points.
    rubric = ladder.rubric_for(person.target_level)
    rubric = replace(rubric, criteria=tuple(c for c in rubric.criteria if c.id not in ("SR-12", "SR-13")))
    assert sum(c.weight for c in rubric.criteria) == 15
    ladder = replace(ladder, rubrics={**ladder.rubrics, "senior": rubric})
    points = round(ladder.calibration_alert * ladder.scale.max * sum(c.weight for c in rubric.criteria), 9)
    cut = next(k for k in range(len(rubric.criteria) + 1) if sum(c.weight for c in rubric.criteria[:k]) == points)
    for lowered, outlier in ((rubric.criteria[:cut], True), (rubric.criteria[1:cut], False)):
        base = inputs_for(ladder, person.target_level, 3, 3)
        low = {c.id for c in lowered}
        inputs = replace(base, criteria={k: replace(v, manager_score=2.0 if k in low else 3.0)
                                         for k, v in base.criteria.items()})
        s = summarize(results_for(ladder, roster, {person.id: inputs}), ladder)
        assert [r.id for r in s.outliers] == ([person.id] if outlier else []), s.rows[0].gap


def test_a_candidate_is_ready_two_quarters_running_by_the_agreed_band_else_the_managers(ladder: Ladder,
                                                                                         roster: Roster) -> None:
    from ladder_sheets.core.committee import Applied, Decision

    p = {x.id: x for x in roster.people}
    ready = ("leticia-moreno", "tomas-novak", "priya-raman")
    inputs = {k: inputs_for(ladder, p[k].target_level, 3, 3) for k in ready}
    inputs["sofia-lindqvist"] = inputs_for(ladder, p["sofia-lindqvist"].target_level, 2, 2)  # Close
    results = results_for(ladder, roster, inputs)
    # Priya: Ready by her manager, Close by the committee; Sofia: Close by hers, Ready by the committee.
    committee = Applied("2026-Q4", "calibration.xlsx", "e" * 64, "2026-12-10T09:00:00+00:00",
                        (Decision("priya-raman", "Ready", "Close", "One strategic deal, not yet a pattern", "not yet"),
                         Decision("sofia-lindqvist", "Close", "Ready", "Led the Globex expansion end to end")))
    s = summarize(results, ladder, committee=committee,
                  streaks={"leticia-moreno": 2, "tomas-novak": 1, "sofia-lindqvist": 3})
    rows = {r.id: r for r in s.rows}
    assert [r.id for r in s.ready] == ["leticia-moreno", "tomas-novak", "sofia-lindqvist"]
    assert [r.id for r in s.candidates] == ["leticia-moreno", "sofia-lindqvist"]
    assert [r.id for r in s.ready_not_yet] == ["tomas-novak"]
    assert rows["tomas-novak"].standing == "Ready, first quarter"
    assert rows["leticia-moreno"].standing == "Ready, 2 quarters running"
    priya = rows["priya-raman"]
    assert (priya.manager_band, priya.agreed_band, priya.band, priya.verdict) == ("Ready", "Close", "Close", "Not yet")
    assert priya.rationale == "One strategic deal, not yet a pattern" and priya.standing == ""
    assert s.org.bands["Ready"] == 3 and s.org.bands["Close"] == 1  # the bands that count
    mine = for_manager(s, "mgr-amara")
    assert [r.id for r in mine.candidates] == ["leticia-moreno"] and [r.id for r in mine.ready_not_yet] == ["tomas-novak"]
    assert {v.manager_id for v in mine.calibration.views} == {"mgr-amara"}


def test_not_observed_says_whose_count_is_whose_when_self_and_manager_differ(ladder: Ladder,
                                                                             roster: Roster) -> None:
    """The manager marks two criteria "not observed yet", the SE one of them: leadership reads each count
    under its own name."""
    kenji = next(p for p in roster.people if p.level == p.target_level == "core")
    first, second = [c.id for c in ladder.rubric_for("core").criteria if c.allow_not_observed][:2]
    got = inputs_for(ladder, "core", 3, 3)
    got = replace(got, criteria={**got.criteria,
                                 first: CriterionInput(self_not_observed=True, manager_not_observed=True),
                                 second: CriterionInput(self_score=3.0, manager_not_observed=True)})
    row = next(r for r in summarize(results_for(ladder, roster, {kenji.id: got}), ladder).rows if r.id == kenji.id)
    n = row.criteria
    assert row.not_observed == "2 criteria not observed yet by the manager, 1 by self"
    assert row.completeness == f"{n}/{n} self, {n}/{n} manager; 2 criteria not observed yet by the manager, 1 by self"
