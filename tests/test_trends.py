"""Trends over three synthetic quarters, expected values derived from the inputs."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from ladder_sheets.history import store as history
from ladder_sheets.core import scoring, trends
from ladder_sheets.core.model import Ladder, Roster
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


def _top_in(ladder: Ladder, roster: Roster, pid: str, i: int) -> bool:
    """Did ``pid`` have a complete result in the top band in quarter ``QUARTERS[i]``, by the plan?"""
    got = PLAN[pid][i]
    if got is None or got[1] is None:  # no workbook, or the manager has not scored: not complete
        return False
    return scoring.band(_pct(ladder, roster, pid, got[1]), ladder.bands) == ladder.bands[0].name


def test_consecutive_ready_quarters(db: Path, ladder: Ladder, roster: Roster) -> None:
    streaks = trends.consecutive_top(history.people(db), ladder.bands[0].name, "2026-Q4")
    expected = {}
    for pid in PLAN:
        n = 0
        while n < len(QUARTERS) and _top_in(ladder, roster, pid, len(QUARTERS) - 1 - n):
            n += 1
        expected[pid] = n
    assert streaks == expected
    # The plan covers a full run, a run broken by a missing quarter, a short run and none.
    assert set(expected.values()) == {0, 1, 2, 3}
    assert _top_in(ladder, roster, "tomas-novak", 0) and expected["tomas-novak"] == 1
    # Counting back from an earlier quarter ignores what came after it.
    earlier = trends.consecutive_top(history.people(db), ladder.bands[0].name, "2026-Q3")
    assert earlier["kenji-watanabe"] == sum(1 for i in (1, 0) if _top_in(ladder, roster, "kenji-watanabe", i)) == 2


def test_a_gap_between_stored_quarters_breaks_the_streak(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Quarters must follow each other: Q2 then Q4 with nothing stored for Q3 is not two in a row."""
    path = tmp_path / "gap.sqlite3"
    for q in ("2026-Q2", "2026-Q4"):
        got = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}
        history.store(results_for(ladder, roster, got, quarter=q), path)  # type: ignore[arg-type]
    streaks = trends.consecutive_top(history.people(path), ladder.bands[0].name, "2026-Q4")
    assert set(streaks.values()) == {1}
    assert len(streaks) == len(roster.people)


def test_readiness_by_person(db: Path, ladder: Ladder, roster: Roster) -> None:
    series = trends.readiness_by_person(history.people(db))
    assert series["priya-raman"] == [(q, _pct(ladder, roster, "priya-raman", m)) for q, m in zip(QUARTERS, (2, 3, 3))]
    assert series["tomas-novak"][1] == ("2026-Q3", None)  # on the roster, no workbook that quarter


def test_team_movement_and_band_changes(db: Path, ladder: Ladder, roster: Roster) -> None:
    rows = history.people(db)
    moves = {(t.team, t.target_level, t.quarter): t for t in trends.team_movement(rows)}
    for team in ("Commercial West", ""):  # a team, and the whole org: each rubric apart
        for target in {r.target_level for r in rows}:
            on = [r.manager_pct for r in rows if team in ("", r.team) and r.target_level == target
                  and r.quarter == "2026-Q4" and r.manager_pct is not None]
            if on:
                got = moves[(team, target, "2026-Q4")]
                assert (got.avg_manager_pct, got.n) == (pytest.approx(sum(on) / len(on)), len(on))
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


def test_the_history_counts_alike_scores_and_the_raters_come_out_as_from_every_row(db: Path) -> None:
    """Rater trends read the history counted (one row per quarter, manager, criterion and pair of scores, however
    many SEs): what they give equals what every (SE, criterion) row read one by one gives."""
    with sqlite3.connect(db) as con:
        one_by_one = [trends.Scored(q, pid, mid, se, m, cid) for q, pid, mid, se, m, cid in con.execute(
            "SELECT c.quarter, c.person_id, p.manager_id, c.self_score, c.manager_score, c.criterion_id"
            " FROM criterion_scores c JOIN person_quarters p USING (quarter, person_id)")]
    counted = history.criterion_scores(db)
    assert len(counted) < len(one_by_one) and sum(s.n for s in counted) == sum(
        1 for s in one_by_one if s.self_score is not None and s.manager_score is not None)
    names = {"mgr-amara": "Amara Okafor", "mgr-daniel": "Daniel Reyes"}
    assert trends.raters(counted, names, 3) == trends.raters(one_by_one, names, 3)
    assert trends.org_distribution(counted, 3) == trends.org_distribution(one_by_one, 3)


def test_rater_calibration_flags_lenient_and_harsh(db: Path) -> None:
    scores = history.criterion_scores(db)
    raters, org = trends.raters(scores, {"mgr-amara": "Amara Okafor", "mgr-daniel": "Daniel Reyes"}, 3)
    # Every pair the history holds, one per (SE, criterion): the store counts alike pairs in one row.
    pairs = [(s.manager_id, s.manager_score - s.self_score) for s in scores  # type: ignore[operator]
             for _ in range(s.n) if s.self_score is not None and s.manager_score is not None]
    assert len(pairs) > len(scores)  # counted, not listed
    assert org == pytest.approx(sum(g for _, g in pairs) / len(pairs))
    by = {r.manager_id: r for r in raters}
    assert set(by) == {m for m, _ in pairs}
    for mid, rater in by.items():
        mine = [g for m, g in pairs if m == mid]
        assert rater.avg_gap == pytest.approx(sum(mine) / len(mine)) and rater.scored == len(mine)
        given = Counter(int(s.manager_score) for s in scores for _ in range(s.n)  # type: ignore[arg-type]
                        if s.manager_id == mid and s.self_score is not None and s.manager_score is not None)
        assert rater.distribution == {i: given[i] for i in range(4)}
        distance = rater.avg_gap - org
        assert rater.verdict == ("lenient" if distance >= trends.RATER_ALERT else
                                 "harsh" if -distance >= trends.RATER_ALERT else "")
    # The plan makes Amara score above her SEs and Daniel below his, far enough to flag both.
    assert (by["mgr-amara"].verdict, by["mgr-daniel"].verdict) == ("lenient", "harsh")
    org_given = trends.org_distribution(scores, 3)
    assert org_given == {i: sum(r.distribution[i] for r in raters) for i in range(4)}


@pytest.mark.parametrize(("gaps", "verdicts"), [
    # (manager - self per criterion, for managers a and b) -> verdicts; the org average is the mean of all.
    (((1, 1), (0, 0)), ("lenient", "harsh")),  # org +0.5: a exactly 0.5 above it, b exactly 0.5 below
    (((1, 1, 0), (0, 0, 0)), ("", "")),  # org +1/3: a 1/3 above, b 1/3 below: inside the threshold
    (((1, 1, 1), (0,)), ("", "harsh")),  # org +0.75: a +0.25 above, b 0.75 below
    (((0, 0), (0, 0)), ("", "")),
    (((2, 1), (-1, 0)), ("lenient", "harsh")),
])
def test_rater_threshold_is_inclusive(gaps: tuple[tuple[int, ...], ...], verdicts: tuple[str, str]) -> None:
    scores = [history.Scored("2026-Q4", f"se-{m}-{i}", m, 1.0, 1.0 + g)
              for m, mine in zip("ab", gaps) for i, g in enumerate(mine)]
    got = {r.manager_id: r.verdict for r in trends.raters(scores, {}, 3)[0]}
    assert (got["a"], got["b"]) == verdicts


def test_reports_show_the_trends(db: Path, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    import io

    import openpyxl

    from ladder_sheets.workflows.report import build_report

    t = trends.build(history.people(db), history.criterion_scores(db), latest="2026-Q4",
                     band_order=[b.name for b in ladder.bands], scale_max=ladder.scale.max)
    got = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}
    build_report(results_for(ladder, roster, got), ladder, tmp_path, leadership=["vp@x.example"], trends=t)
    lead = (tmp_path / "leadership.txt").read_text(encoding="utf-8")
    leticia = next(line for line in lead.splitlines() if line.startswith("- Leticia Moreno (Enterprise East): "))
    assert leticia.startswith("- Leticia Moreno (Enterprise East): Senior SE -> Principal SE, Ready, 3 quarters running;")
    # Manager minus self is agreement with self-scores, not leniency: leadership no longer reads it as a verdict.
    raters = {r.manager_name: r for r in t.raters}
    assert raters["Daniel Reyes"].verdict == "harsh" and raters["Amara Okafor"].verdict == "lenient"
    html = (tmp_path / "leadership.html").read_text(encoding="utf-8")
    assert "lenient" not in lead and "harsh" not in lead and "harsh" not in html
    packet = (tmp_path / "packet-leticia-moreno.html").read_text(encoding="utf-8")
    amara_gap = raters["Amara Okafor"].avg_gap
    assert f"Amara Okafor scores on average {amara_gap:+.2f} per criterion against the SEs' own scores " \
           f"(org {t.org_gap:+.2f}): agreement with self-scores" in packet
    amara = (tmp_path / "manager-mgr-amara.txt").read_text(encoding="utf-8")
    priya = [scoring.readiness([m] * 3, [1, 1, 1], 3) for m in (2, 3, 3)]
    assert "- Priya Raman: " + " -> ".join(f"{v * 100:.0f}%" for v in priya if v is not None) in amara
    wb = openpyxl.load_workbook(io.BytesIO((tmp_path / "summary.xlsx").read_bytes()))
    assert [c.value for c in wb["Trends"][1]][:4] == ["SE", *QUARTERS]
    assert len(wb["Trends"]._charts) == 1


def test_a_criterion_signature_holds_every_rule_that_changes_its_meaning(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    plain, ruled = rubric.criteria[0], rubric.criteria[1]
    plain = dataclasses.replace(plain, weight=2, floor=None, caps="", allow_not_observed=False)
    ruled = dataclasses.replace(ruled, weight=1.5, floor=2, caps="Close", allow_not_observed=True)
    small = dataclasses.replace(ladder, rubrics={"senior": dataclasses.replace(rubric, criteria=(plain, ruled))})
    assert trends.signatures(small) == {
        plain.id: f"{plain.text} | {plain.anchor} | weight 2.0 | floor None",
        ruled.id: f"{ruled.text} | {ruled.anchor} | weight 1.5 | floor 2 | caps Close | may be not observed"}


def test_only_scores_of_criteria_that_mean_the_same_today_are_compared() -> None:
    current = {"a": "A | 3 | weight 1.0 | floor None", "b": "B | 3 | weight 1.0 | floor None"}

    def scored(criterion: str, signature: str) -> trends.Scored:
        return trends.Scored("2026-Q3", "se", "m", 1.0, 2.0, criterion, signature)
    kept = [scored("", ""), scored("a", ""), scored("b", current["b"])]  # before criteria or signatures were kept
    dropped = [scored("gone", ""), scored("a", "A | 3 | weight 2.0 | floor None")]
    assert trends.unchanged(kept + dropped, current) == kept


def test_build_keeps_the_last_quarters_up_to_the_report_and_names_unknown_raters(ladder: Ladder) -> None:
    quarters = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    rows = [trends.PersonQuarter(q, "se", "Sam", "East", "m", "Mo", "complete", 0.5, 0.1 * (i + 1), "Close", 0.0)
            for i, q in enumerate(quarters)]
    rows.append(trends.PersonQuarter("2026-Q3", "new", "Nia", "East", "m", "Mo", "missing", None, None, "Incomplete",
                                     None))
    scores = [trends.Scored(q, "se", m, 1.0, 3.0, "a", "") for q, m in (("2026-Q3", "m"), ("2026-Q4", "gone"))]
    t = trends.build(rows, scores, latest="2026-Q3", band_order=[b.name for b in ladder.bands], scale_max=3)
    assert t.quarters == quarters[1:5]  # four quarters up to the report's; Q4 of 2026 came later
    assert t.readiness["se"] == [(q, pytest.approx(0.1 * (i + 2))) for i, q in enumerate(quarters[1:5])]
    assert t.teams[("East", "")] == {q: (pytest.approx(0.1 * (i + 2)), 1) for i, q in enumerate(quarters[1:5])}
    assert t.series("nobody") == [None] * 4
    assert [q for q, _ in trends.readiness_by_person(rows)["se"]] == list(quarters[2:])  # the last four by default
    assert [(r.manager_id, r.manager_name) for r in t.raters] == [("m", "Mo")] and t.org_distribution == {0: 0, 1: 0, 2: 0, 3: 1}
    t = trends.build(rows, scores, latest="2026-Q4", band_order=[b.name for b in ladder.bands], scale_max=3, last=2,
                     current={"b": "B"})
    assert t.quarters == quarters[4:] and t.readiness["se"] == [("2026-Q3", pytest.approx(0.5)), ("2026-Q4", pytest.approx(0.6))]
    assert set(t.teams[("East", "")]) == set(quarters[4:]) and t.raters == [] and t.org_gap is None  # a changed
    one = trends.build(rows, scores, latest="2026-Q4", band_order=[b.name for b in ladder.bands], scale_max=3)
    assert [(r.manager_id, r.manager_name) for r in one.raters] == [("m", "Mo"), ("gone", "gone")]


def test_a_team_quarter_counts_everyone_and_averages_those_scored() -> None:
    rows = [trends.PersonQuarter("2026-Q4", pid, pid, "East", "m", "Mo", "complete", None, pct, "", None)
            for pid, pct in (("a", 0.5), ("b", None), ("c", 0.7))]
    rows.append(trends.PersonQuarter("2026-Q4", "d", "d", "West", "m", "Mo", "missing", None, None, "", None))
    assert [(t.team, t.people, t.n, t.avg_manager_pct) for t in trends.team_movement(rows)] == [
        ("", 4, 2, pytest.approx(0.6)), ("East", 3, 2, pytest.approx(0.6)), ("West", 1, 0, None)]  # "": the org


def test_each_quarter_that_looks_ready_but_does_not_count_says_why() -> None:
    def pq(person: str, q: str, status: str, pct: float, band: str, agreed: str = "") -> trends.PersonQuarter:
        return trends.PersonQuarter(q, person, person, "East", "m", "Mo", status, pct, pct, band, 0.0, "senior", agreed)
    rows = [pq("gap", "2026-Q1", "complete", 0.9, "Ready"),  # nothing stored for Q2
            pq("gap", "2026-Q3", "incomplete", 0.95, "Ready"), pq("gap", "2026-Q4", "complete", 0.92, "Ready", "Close"),
            pq("held", "2026-Q4", "complete", 0.9, "Close"), pq("fix", "2026-Q4", "invalid", 0.9, "Ready"),
            pq("run", "2026-Q3", "complete", 0.9, "Ready"), pq("run", "2026-Q4", "complete", 0.9, "Ready"),
            pq("ended", "2026-Q3", "complete", 0.9, "Ready"), pq("ended", "2026-Q4", "complete", 0.7, "Close"),
            pq("low", "2026-Q4", "complete", 0.5, "Developing"), pq("edge", "2026-Q4", "complete", 0.85, "Close"),
            # Ready in Q1 and Q2, Close in Q3: Q3, not Q2, ended the run of Q1.
            pq("late", "2026-Q1", "complete", 0.9, "Ready"), pq("late", "2026-Q2", "complete", 0.9, "Ready"),
            pq("late", "2026-Q3", "complete", 0.7, "Close"), pq("late", "2026-Q4", "complete", 0.9, "Ready")]
    shown = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    assert trends.not_counted(rows, "Ready", "2026-Q4", shown, top_floor=0.85) == {
        "gap": ["2026-Q1: 90% Ready, but 2026-Q2 (nothing stored) ended the run, so not counted",
                "2026-Q3: 95% but incomplete, so not counted",
                "2026-Q4: 92% but agreed Close by the committee, so not counted"],
        "held": ["2026-Q4: 90% but held at Close by a must-have, so not counted"],
        "fix": ["2026-Q4: 90% but with problems to correct, so not counted"],
        "ended": ["2026-Q3: 90% Ready, but 2026-Q4 ended the run, so not counted"],
        "edge": ["2026-Q4: 85% but held at Close by a must-have, so not counted"],  # exactly the floor
        "late": ["2026-Q1: 90% Ready, but 2026-Q3 ended the run, so not counted",
                 "2026-Q2: 90% Ready, but 2026-Q3 ended the run, so not counted"]}
    # Without the top band's floor, a band held below it is not taken for a Ready-looking quarter.
    assert "held" not in trends.not_counted(rows, "Ready", "2026-Q4", shown)
    t = trends.build(rows, [], latest="2026-Q4", band_order=["Ready", "Close", "Developing"], scale_max=3,
                     top_floor=0.85)
    assert t.uncounted == trends.not_counted(rows, "Ready", "2026-Q4", shown, top_floor=0.85) and "held" in t.uncounted
