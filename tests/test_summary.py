"""summary.py: candidates, outliers, below-benchmark lists and rollups, derived from inputs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.agenda import milestone_field
from ladder_sheets.core.model import INCOMPLETE_BAND, NOT_ENOUGH_OBSERVED, CriterionInput, Inputs, Ladder, MetricInput
from ladder_sheets.core.model import Roster
from ladder_sheets.core.results import ManagerSource, Problem, RaterResult, ScoredBy, Severity, Status
from ladder_sheets.core.rollups import Interests
from ladder_sheets.core.summary import Evidence, MetricLine, Row, evidence_floor, for_manager, managers, summarize
from tests.support.results import find_person, inputs_for, results_for


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


def _one(ladder: Ladder, roster: Roster, person_id: str, inputs: Inputs, **kw: Any) -> Row:
    s = summarize(results_for(ladder, roster, {person_id: inputs}), ladder, **kw)
    return next(r for r in s.rows if r.id == person_id)


def test_a_row_shows_the_person_as_the_roster_has_them(ladder: Ladder, roster: Roster) -> None:
    leticia = find_person(roster, "leticia-moreno")
    manager = roster.manager_of(leticia)
    results = results_for(ladder, roster, {leticia.id: inputs_for(ladder, leticia.target_level, 3, 3)})
    source = ManagerSource(ScoredBy.REVIEW, "review-mgr.xlsx")
    results = replace(results, people=tuple(replace(p, scored_by=source) if p.person.id == leticia.id else p
                                            for p in results.people))
    row = next(r for r in summarize(results, ladder).rows if r.id == leticia.id)
    assert (row.name, row.email, row.team, row.manager_name, row.manager_email) == (
        leticia.name, leticia.email, manager.team, manager.name, manager.email)
    assert (row.level, row.target, row.rubric) == (
        ladder.level(leticia.level).name, ladder.level(leticia.target_level).name, leticia.target_level)
    assert (row.in_level_since, row.time_in_level) == (
        "2024-07", "2 years 6 months in level by the end of 2026-Q4 (since 2024-07)")
    assert (row.scored_by, row.scored_by_detail) == ("review", "review-mgr.xlsx")
    assert row.agenda.returned and row.agenda.scored_by.startswith(f"Scored by {manager.name} in their review")


def test_a_row_carries_the_scores_holds_metrics_and_pivot(ladder: Ladder, roster: Roster) -> None:
    """The SE and the manager under a must-have's minimum (both held), one metric not entered (Missing), one
    with notes, sharing their interests."""
    priya = find_person(roster, "priya-raman")
    base = inputs_for(ladder, priya.target_level, 3, 3, actual=0.5)
    shown = [m for m in ladder.metrics if m.applies(priya.level, priya.target_level)]
    # A must-have that caps the band lowest: under it, the points' band (Ready) is held down.
    first_crit = next(c for c in ladder.rubric_for(priya.target_level).criteria if c.caps == ladder.bands[-1].name)
    assert first_crit.floor is not None and len(shown) >= 2
    inputs = replace(base, share_career_interests=True,
                     criteria={**base.criteria, first_crit.id: CriterionInput(0.0, 0.0, "Coached two SEs")},
                     metrics={shown[0].id: MetricInput(0.5, "a quiet quarter")})
    want = scoring.score(ladder, ladder.rubric_for(priya.target_level), inputs, priya.level)
    row = _one(ladder, roster, priya.id, inputs)
    assert want.self_hold and want.manager_hold
    assert (row.self_band, row.self_hold, row.manager_hold) == (want.self_band, want.self_hold, want.manager_hold)
    below = scoring.metric_status(0.5, shown[0].target, shown[0].comparator) == "Below"
    assert row.metrics_below == ((shown[0].name,) if below else ())
    assert row.metrics[ladder.metrics.index(shown[0])] == MetricLine(
        shown[0].id, shown[0].name, shown[0].benchmark, 0.5, "Below" if below else "Meets", shown[0].action_if_below,
        "a quiet quarter")
    assert row.metrics[ladder.metrics.index(shown[1])] == MetricLine(
        shown[1].id, shown[1].name, shown[1].benchmark, None, "Missing", shown[1].action_if_below, "")
    top = next(p for p in ladder.pivots if p.name == want.top_pivot)
    assert row.top_pivot == top.name and row.pivot_pct == want.pivot_readiness[top.id] is not None
    assert row.shares_interests is True


def test_evidence_is_marked_unsupported_from_two_points_up_without_text(ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")
    crit = ladder.rubric_for("core").criteria
    base = inputs_for(ladder, "core", 1, 1)
    criteria = {k: v for k, v in base.criteria.items() if k != crit[0].id}  # one criterion not in the workbook
    criteria |= {crit[1].id: CriterionInput(2.0, 1.0, "", "ask for the deck"),
                 crit[2].id: CriterionInput(1.0, 1.0, "  "), crit[3].id: CriterionInput(3.0, 3.0, "Won Acme")}
    row = _one(ladder, roster, kenji.id, replace(base, criteria=criteria))
    assert row.evidence[:3] == (Evidence(crit[1].id, crit[1].text, 2.0, 1.0, "", "ask for the deck", True),
                                Evidence(crit[2].id, crit[2].text, 1.0, 1.0, "  ", "", False),
                                Evidence(crit[3].id, crit[3].text, 3.0, 3.0, "Won Acme", "", False))
    assert [e.criterion_id for e in row.evidence] == [c.id for c in crit[1:]]
    assert [e.criterion_id for e in row.unsupported] == [crit[1].id]


def test_the_evidence_floor_is_the_scales_top_two(ladder: Ladder, roster: Roster) -> None:
    assert evidence_floor(ladder) == 2  # 2 or more on 0-3
    five = replace(ladder, scale=replace(ladder.scale, labels=tuple("012345")))
    two = replace(ladder, scale=replace(ladder.scale, labels=tuple("012")))
    assert (evidence_floor(five), evidence_floor(two)) == (4, 1)
    assert summarize(results_for(two, roster, {}), two).evidence_floor == 1


def test_skill_groups_sum_the_managers_scores_of_their_criteria(ladder: Ladder, roster: Roster) -> None:
    """Per skill group: the manager's scores added up over the criteria testing it, and how many were scored."""
    aisha = next(p for p in roster.people if p.target_level == "senior")
    crit = ladder.rubric_for(aisha.target_level).criteria
    grouped = [c for c in crit if c.skill_group]
    unscored = grouped[0]
    base = inputs_for(ladder, aisha.target_level, 3, 2)
    inputs = replace(base, criteria={**base.criteria, unscored.id: CriterionInput(3.0, None)})
    row = _one(ladder, roster, aisha.id, inputs)
    want = {}
    for g in {c.skill_group for c in grouped}:
        n = sum(1 for c in grouped if c.skill_group == g and c is not unscored)
        if n:
            want[g] = (2.0 * n, n)
    assert row.skills == want and any(n > 1 for _, n in want.values())


def test_self_scores_missing_show_in_completeness(ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")
    crit = ladder.rubric_for("core").criteria
    base = inputs_for(ladder, "core", 3, 3)
    inputs = replace(base, criteria={**base.criteria, crit[0].id: CriterionInput(None, 3.0, "x")})
    n = len(crit)
    assert _one(ladder, roster, kenji.id, inputs).completeness == f"{n - 1}/{n} self, {n}/{n} manager"


def test_one_criterion_not_observed_is_named_in_the_singular(ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")
    first = next(c.id for c in ladder.rubric_for("core").criteria if c.allow_not_observed)
    base = inputs_for(ladder, "core", 3, 3)
    inputs = replace(base, criteria={**base.criteria, first: CriterionInput(self_not_observed=True,
                                                                             manager_not_observed=True)})
    assert _one(ladder, roster, kenji.id, inputs).not_observed == "1 criterion not observed yet"


def test_a_workbook_still_out_that_a_review_scored_has_no_scores_in_its_row(ladder: Ladder, roster: Roster) -> None:
    """Its inputs are kept (the review's scores), its scores are not: the row reads as missing."""
    kenji = find_person(roster, "kenji-watanabe")
    results = results_for(ladder, roster, {kenji.id: inputs_for(ladder, "core", 3, 3)})
    results = replace(results, people=tuple(replace(p, status=Status.MISSING, scores=None)
                                            if p.person.id == kenji.id else p for p in results.people))
    row = next(r for r in summarize(results, ladder).rows if r.id == kenji.id)
    assert (row.status, row.criteria, row.manager_pct, row.evidence) == ("missing", 0, None, ())


def test_a_talk_track_left_blank_is_no_read_out_whichever_track_it_is(ladder: Ladder, roster: Roster) -> None:
    """Each talk track with its own prompt to finish: the row shows none of them as a read-out."""
    tracks = tuple(replace(t, readout=replace(t.readout, incomplete_text=f"Finish talk track {i}"))
                   for i, t in enumerate(ladder.talk_tracks))
    edited = replace(ladder, talk_tracks=tracks)
    for person_id in ("kenji-watanabe", "priya-raman"):  # the same level, and a move with a track of its own
        person = find_person(roster, person_id)
        blank = replace(inputs_for(edited, person.target_level, 3, 3), readout={}, asking_for_move=True)
        assert _one(edited, roster, person_id, blank).readout == ""


def test_the_summary_carries_the_quarter_the_ladder_and_what_leadership_reads(ladder: Ladder, roster: Roster) -> None:
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}
    stray = Problem("stray.xlsx", "", "", "unmatched", "belongs to nobody on the roster")
    results = replace(results_for(ladder, roster, inputs), unmatched=(stray,))
    s = summarize(results, ladder)
    assert (s.quarter, s.ladder_name, s.unmatched, s.org.name) == ("2026-Q4", ladder.name, (str(stray),), "All teams")
    assert s.skill_groups == tuple((g.id, g.name) for g in ladder.skill_groups) and s.skill_groups
    assert s.directives == ladder.directives.for_leadership and s.directives
    assert (s.history, s.committee, s.evidence_floor) == (False, None, 2)
    assert s.calibration.source == "managers' scores collected for 2026-Q4"
    assert (s.interests.shared, s.interests.private) == (0, len(roster.people))
    assert s.by_manager == {m: tuple(r for r in s.rows if r.manager_id == m) for m in ("mgr-amara", "mgr-daniel")}
    assert s.band_names == (*(b.name for b in ladder.bands), INCOMPLETE_BAND)
    assert summarize(results, ladder, streaks={}).history is True


def test_the_1_1_directives_follow_the_quarter_of_the_year(ladder: Ladder, roster: Roster) -> None:
    """The yearly workshop is a Q1 directive: not in Q4, nor in a quarter written otherwise."""
    workshop = next(d for d in ladder.directives.for_managers if "Career Mapping Workshop" in d)
    for quarter, shown in (("2027-Q1", True), ("2026-Q4", False), ("autumn review", False)):
        s = summarize(results_for(ladder, roster, {}, quarter=quarter), ladder)
        assert (workshop in s.manager_directives) is shown, quarter
        assert s.manager_directives == ladder.directives.managers_in(1 if shown else 4)


def test_not_enough_observed_is_a_band_name_only_when_someone_is_in_it(ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")
    base = inputs_for(ladder, "core", 3, 3)
    unseen = CriterionInput(self_not_observed=True, manager_not_observed=True)
    observable = {c.id for c in ladder.rubric_for("core").criteria if c.allow_not_observed}
    inputs = replace(base, criteria={k: unseen if k in observable else v for k, v in base.criteria.items()})
    s = summarize(results_for(ladder, roster, {kenji.id: inputs}), ladder)
    assert next(r for r in s.rows if r.id == kenji.id).manager_band == NOT_ENOUGH_OBSERVED
    assert s.band_names == (*(b.name for b in ladder.bands), NOT_ENOUGH_OBSERVED, INCOMPLETE_BAND)


def test_last_quarters_milestones_and_the_raters_asked_reach_each_row(ladder: Ladder, roster: Roster) -> None:
    leticia = find_person(roster, "leticia-moreno")
    key = milestone_field(ladder)
    before = inputs_for(ladder, leticia.target_level, 2, 2)
    before = replace(before, readout={**before.readout, key: "lead the Acme renewal"})
    previous = results_for(ladder, roster, {leticia.id: before}, quarter="2026-Q3")
    raters = tuple(RaterResult(f"r{i}@x.example", f"R {i}", Status.MISSING, rates=(leticia.id,)) for i in range(2))
    results = replace(results_for(ladder, roster, {leticia.id: inputs_for(ladder, leticia.target_level, 3, 3)}),
                      raters=raters)
    rows = {r.id: r for r in summarize(results, ladder, previous).rows}
    assert rows[leticia.id].agenda.milestones_before == "lead the Acme renewal"
    assert (rows[leticia.id].peers.asked, rows["tomas-novak"].peers.asked) == (2, 0)


def test_for_manager_without_the_index_and_with_all_that_is_theirs(ladder: Ladder, roster: Roster) -> None:
    """A summary built without ``by_manager`` gives the same team; below-benchmark people, outliers, attention
    and problems are only theirs; nothing meant for leadership is carried."""
    p = {x.id: x for x in roster.people}
    bad = Problem("sofia-lindqvist.xlsx", "Scorecard", "E7", "out_of_range", "found 4, expected 0-3")
    inputs = {"priya-raman": inputs_for(ladder, p["priya-raman"].target_level, 3, 1, actual=0.0),
              "tomas-novak": inputs_for(ladder, p["tomas-novak"].target_level, 3, 3, actual=0.0),
              "sofia-lindqvist": inputs_for(ladder, p["sofia-lindqvist"].target_level, 0, 3, actual=0.0)}
    stray = Problem("stray.xlsx", "", "", "unmatched", "belongs to nobody on the roster")
    s = summarize(replace(results_for(ladder, roster, inputs, {"sofia-lindqvist": (bad,)}), unmatched=(stray,)), ladder)
    mine = for_manager(s, "mgr-amara")
    assert for_manager(replace(s, by_manager={}), "mgr-amara") == mine
    ids = [r.id for r in s.rows if r.manager_id == "mgr-amara"]
    assert [r.id for r in mine.rows] == ids and mine.by_manager == {"mgr-amara": mine.rows}
    assert [r.id for r in mine.outliers] == ["priya-raman"] and [r.id for r in s.outliers] == ["priya-raman",
                                                                                               "sofia-lindqvist"]
    assert [r.id for r in mine.attention] == [i for i in ids if i not in ("priya-raman", "tomas-novak")]
    assert (mine.problems, mine.unmatched, mine.directives, mine.interests) == ({}, (), (), Interests())
    assert for_manager(s, "mgr-daniel").problems == {"sofia-lindqvist": (str(bad),)}
    rows = {r.id: r for r in mine.rows}
    for got, whole in zip(mine.below, s.below):
        assert (got.metric_id, got.metric, got.benchmark, got.action) == (
            whole.metric_id, whole.metric, whole.benchmark, whole.action)
        assert got.people == tuple((row, actual) for row, actual in whole.people if row.id in rows)
    assert any(got.people for got in mine.below) and all(row.id in rows for b in mine.below for row, _ in b.people)
    assert all(actual == 0.0 for b in mine.below for _, actual in b.people)


def test_without_a_history_one_quarter_ready_and_complete_is_a_candidate_when_one_is_enough(
        ladder: Ladder, roster: Roster) -> None:
    one = replace(ladder, candidate_quarters=1)
    p = {x.id: x for x in roster.people}
    inputs = {k: inputs_for(one, p[k].target_level, 3, 3) for k in ("leticia-moreno", "tomas-novak")}
    late = Problem("tomas-novak.xlsx", "Read-out", "C4", "blank", "an answer is blank", Severity.INCOMPLETE)
    s = summarize(results_for(one, roster, inputs, {"tomas-novak": (late,)}), one)
    assert [r.id for r in s.ready] == ["leticia-moreno", "tomas-novak"]
    assert [r.id for r in s.candidates] == ["leticia-moreno"]
    assert [s.is_candidate(r) for r in s.ready] == [True, False]
    assert [r.id for r in for_manager(s, "mgr-amara").candidates] == ["leticia-moreno"]


def test_the_committee_fields_of_a_row(ladder: Ladder, roster: Roster) -> None:
    """Without a decision they are empty; with one, the band it was agreed against shows only once the manager's
    band has changed since; without a history no streak, with one a streak of 0 for an SE not in it."""
    from ladder_sheets.core.committee import Applied, Decision

    p = {x.id: x for x in roster.people}
    inputs = {k: inputs_for(ladder, p[k].target_level, 3, 3) for k in ("leticia-moreno", "tomas-novak")}
    results = results_for(ladder, roster, inputs)
    plain = next(r for r in summarize(results, ladder).rows if r.id == "leticia-moreno")
    assert (plain.agreed_band, plain.agreed_against, plain.rationale, plain.verdict, plain.streak) == ("", "", "", "",
                                                                                                        None)
    committee = Applied("2026-Q4", "calibration.xlsx", "e" * 64, "2026-12-10T09:00:00+00:00",
                        (Decision("leticia-moreno", "Ready", "Ready", "Consistent"),
                         Decision("tomas-novak", "Close", "Ready", "Caught up")))
    s = summarize(results, ladder, committee=committee, streaks={"leticia-moreno": 3})
    assert s.committee is committee
    rows = {r.id: r for r in s.rows}
    assert (rows["leticia-moreno"].agreed_against, rows["tomas-novak"].agreed_against) == ("", "Close")
    assert (rows["leticia-moreno"].streak, rows["tomas-novak"].streak) == (3, 0)


def test_a_streak_short_of_the_quarters_needed_says_from_when(ladder: Ladder, roster: Roster) -> None:
    three = replace(ladder, candidate_quarters=3)
    leticia = find_person(roster, "leticia-moreno")
    row = _one(three, roster, leticia.id, inputs_for(three, leticia.target_level, 3, 3),
               streaks={leticia.id: 2})
    assert row.standing == "Ready, 2 quarters running (a candidate from 3)"


def test_only_the_metrics_asked_of_an_se_are_listed_and_no_pivot_of_interest_has_no_readiness(
        ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")
    base = inputs_for(ladder, "core", 3, 3)
    inputs = replace(base, pivots={k: replace(v, interest=0.0) for k, v in base.pivots.items()})
    row = _one(ladder, roster, kenji.id, inputs)
    assert not ladder.metrics_for("core", "core")
    assert row.metrics == ()  # none applies to growing at Core: nothing reads "Missing" in the packet or 1:1 page
    assert (row.top_pivot, row.pivot_pct) == ("None", None)


def test_ready_with_a_history_but_this_quarter_incomplete_does_not_count_yet(ladder: Ladder, roster: Roster) -> None:
    tomas = find_person(roster, "tomas-novak")
    late = Problem("tomas-novak.xlsx", "Read-out", "C4", "blank", "an answer is blank", Severity.INCOMPLETE)
    results = results_for(ladder, roster, {tomas.id: inputs_for(ladder, tomas.target_level, 3, 3)}, {tomas.id: (late,)})
    row = next(r for r in summarize(results, ladder, streaks={tomas.id: 1}).rows if r.id == tomas.id)
    assert row.standing == "Ready, but this quarter does not count yet: incomplete, or problems to correct"
