"""core.headline: the figures every reader sees first, and named lists that stay one size at any org size."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ladder_sheets.core import trends as trend
from ladder_sheets.core.headline import TOP_N, capped, headline, leadership, team_headline
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.rollups import Rollup
from ladder_sheets.core.summary import BelowBenchmark, Summary, for_manager, summarize
from tests.support.results import big_roster, inputs_for, results_for


def history(summary: Summary, before: dict[str, float], ladder: Ladder,
            older: dict[str, float] | None = None) -> trend.Trends:
    """Q4 as ``summary``; Q3's manager readiness as ``before`` (and Q2's as ``older``) says."""
    rows = [trend.PersonQuarter(q, r.id, r.name, r.team, r.manager_id, r.manager_name, "complete", 0.5, v,
                                ladder.bands[0].name if v >= ladder.bands[0].min_pct else ladder.bands[-1].name, 0.0,
                                r.rubric)
            for q, stored in (("2026-Q2", older or {}), ("2026-Q3", before))
            for r in summary.rows for v in [stored.get(r.id)] if v is not None]
    rows += [trend.PersonQuarter("2026-Q4", r.id, r.name, r.team, r.manager_id, r.manager_name, r.status, r.self_pct,
                                 r.manager_pct, r.manager_band, r.gap, r.rubric) for r in summary.rows]
    return trend.build(rows, [], latest="2026-Q4", band_order=[b.name for b in ladder.bands], scale_max=3)


def test_capped_keeps_the_first_n_and_counts_the_rest() -> None:
    assert capped(list(range(25)), 10) == capped(list(range(10)), 10).__class__(tuple(range(10)), 15)
    assert capped([3, 1, 2], 2, key=lambda x: -x).items == (3, 2) and capped([], 5).more == 0


def test_headline_counts_and_the_change_since_last_quarter(ladder: Ladder, roster: Roster) -> None:
    people = roster.people
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in people[:3]}
    inputs.update({p.id: inputs_for(ladder, p.target_level, 3, 1) for p in people[3:6]})  # outliers, Developing
    first = summarize(results_for(ladder, roster, inputs), ladder)
    t = history(first, {p.id: 0.9 for p in people[:2]} | {p.id: 0.2 for p in people[2:6]}, ladder)
    s = summarize(results_for(ladder, roster, inputs), ladder, streaks=t.streaks)
    h = headline(s, t)
    assert (h.people, h.returned, h.complete, h.ready, h.candidates) == (8, 6, 6, 3, 2)
    assert (h.outstanding, h.outliers, h.before_quarter) == (2, 3, "2026-Q3")
    # The change is per rubric: the same SEs on the same rubric, last quarter against now.
    for x in h.averages:
        on = [r for r in s.rows if r.rubric == x.target and r.manager_pct is not None]
        then = [v for r in on for v in [({p.id: 0.9 for p in people[:2]} | {p.id: 0.2 for p in people[2:6]}).get(r.id)]
                if v is not None]
        assert (x.avg, x.n) == ((sum(r.manager_pct for r in on) / len(on)) if on else None, len(on))  # type: ignore[misc]
        assert x.before_n == len(then) and x.change == (x.avg - sum(then) / len(then) if then and on else None)
    assert {x.title for x in h.averages} == {ladder.rubric_for(p.target_level).title for p in people}
    assert (h.moved_up, h.moved_down) == (1, 0)  # people[2] went from the bottom band to the top
    without = headline(summarize(results_for(ladder, roster, inputs), ladder), None)
    assert without.before_quarter == "" and without.candidates == 0 and all(x.change is None for x in without.averages)


def test_since_last_quarter_means_the_quarter_just_before_when_more_are_stored(ladder: Ladder,
                                                                                 roster: Roster) -> None:
    """Q2, Q3 and Q4 stored: the change, and each team's, is since Q3, not since the oldest quarter."""
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 2) for p in roster.people}
    s = summarize(results_for(ladder, roster, inputs), ladder)
    t = history(s, {p.id: 0.9 for p in roster.people}, ladder, older={p.id: 0.2 for p in roster.people})
    assert t.quarters == ("2026-Q2", "2026-Q3", "2026-Q4")
    h = headline(s, t)
    assert h.before_quarter == "2026-Q3" and h.averages
    for x in h.averages:  # each rubric's average since Q3, on the same rubric
        assert x.before == pytest.approx(0.9) and x.avg is not None and x.change is not None
        assert abs(x.change - (x.avg - 0.9)) < 1e-12 and x.change < 0  # down since Q3, up since Q2


def test_leadership_lists_stay_capped_at_any_size(ladder: Ladder, roster: Roster) -> None:
    big = big_roster(roster, 600, 30)
    inputs = {p.id: inputs_for(ladder, p.target_level, 3 if i % 3 else 1, 3) for i, p in enumerate(big.people[:500])}
    s = summarize(results_for(ladder, big, inputs), ladder, streaks={p.id: 2 for p in big.people[:300]})
    lead = leadership(s, None, n=TOP_N, teams_shown=25)
    assert len(lead.candidates.items) == TOP_N and lead.candidates.total == len(s.candidates) == 300
    assert len(lead.ready_first.items) == TOP_N and lead.ready_first.total == 200
    assert len(lead.calibration.items) == TOP_N and lead.calibration.total == 30  # 30 managers, one rubric
    assert len(lead.outliers.items) == TOP_N and lead.outliers.more == len(s.outliers) - TOP_N
    assert len(lead.teams.items) == 25 and lead.teams.more == 5
    assert len(lead.outstanding_by_team.items) == TOP_N
    assert [x.outstanding for x in lead.outstanding_by_team.items] == sorted(
        (x.outstanding for x in lead.outstanding_by_team.items), reverse=True)


def test_the_managers_headline_says_what_they_still_have_to_score(ladder: Ladder, roster: Roster) -> None:
    mine = [p for p in roster.people if p.manager == "mgr-amara"]
    inputs = {mine[0].id: inputs_for(ladder, mine[0].target_level, 2, None),
              mine[1].id: inputs_for(ladder, mine[1].target_level, 2, 2)}
    h = team_headline(for_manager(summarize(results_for(ladder, roster, inputs), ladder), "mgr-amara"))
    assert (h.people, h.returned, h.complete) == (len(mine), 2, 1)
    assert (h.to_score, h.to_score_people) == (len(ladder.rubric_for(mine[0].target_level).criteria), 1)


def _rows(s: Summary, spec: dict[str, tuple[float | None, float | None, str, int | None]]) -> dict[str, object]:
    """Rows named by ``spec``'s keys: (manager readiness, calibration gap, hold reason, quarters in the top band)."""
    return {name: replace(row, id=name.lower(), name=name, manager_pct=pct, gap=gap, manager_hold=hold, streak=streak)
            for (name, (pct, gap, hold, streak)), row in zip(spec.items(), s.rows)}


def test_leadership_lists_put_what_matters_first_and_cap_at_n(ladder: Ladder, roster: Roster) -> None:
    """Candidates longest in the top band, then highest; held and outliers highest and furthest first;
    teams with most outstanding. Ties go by name."""
    s = summarize(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}),
                  ladder)
    # Dee was never stored (no streak).
    r = _rows(s, {"Dee": (0.99, 0.5, "", None), "Cal": (0.92, -1.2, "held", 3), "Ben": (0.9, 0.9, "held", 3),
                  "Ava": (0.85, -0.6, "held", 1), "Eve": (0.7, 0.1, "", None), "Fay": (0.88, 0.0, "", 1),
                  "Gus": (0.95, 0.0, "", None)})
    dee, cal, ben, ava, eve, fay, gus = r.values()
    teams = tuple(Rollup(n, "", people, done, {}) for n, people, done in
                  (("North", 5, 4), ("South", 6, 2), ("East", 3, 3), ("West", 4, 1)))
    below = BelowBenchmark("wins", "Technical wins", "2 a quarter", "Pair on deals", ((eve, 0.0), (dee, 1.0)))
    s = replace(s, rows=tuple(reversed(r.values())), candidates=(dee, cal, ben, ava), outliers=(dee, cal, ben, ava),
                ready=(eve, dee, fay, gus), teams=teams, below=(below,))
    t = trend.Trends(quarters=("2026-Q3", s.quarter), readiness={}, streaks={}, teams={}, moves={}, raters=[],
                     org_gap=None)
    lead = leadership(s, t, n=3, teams_shown=3)
    assert lead.head == headline(s, t)
    assert [x.name for x in lead.candidates.items] == ["Cal", "Ben", "Ava"] and lead.candidates.more == 1
    assert [x.name for x in lead.held.items] == ["Cal", "Ben", "Ava"]
    assert [x.name for x in lead.ready_first.items] == ["Fay", "Gus", "Eve"]  # in the top band, not candidates
    assert [x.name for x in lead.outliers.items] == ["Cal", "Ben", "Ava"] and lead.outliers.more == 1
    assert [(x.rollup.name, x.outstanding) for x in lead.teams.items] == [("North", 1), ("South", 4), ("East", 0)]
    assert lead.teams.more == 1
    assert [(x.rollup.name, x.outstanding) for x in lead.outstanding_by_team.items] == [
        ("South", 4), ("West", 3), ("North", 1)]
    assert lead.below == (("Technical wins", "2 a quarter", "Pair on deals", 2),)
    two = leadership(s, t, n=2)
    assert [len(x.items) for x in (two.candidates, two.ready_first, two.held, two.outliers,
                                   two.outstanding_by_team)] == [2] * 5


def test_the_headline_names_its_quarter_and_counts_moves_both_ways(ladder: Ladder, roster: Roster) -> None:
    s = summarize(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}),
                  ladder)
    ids = [r.id for r in s.rows]
    t = trend.Trends(quarters=("2026-Q3", s.quarter), readiness={}, streaks={}, teams={},
                     moves={ids[0]: 1, ids[1]: -1, ids[2]: -1, ids[3]: 0}, raters=[], org_gap=None)
    h = headline(s, t)
    assert (h.quarter, h.top_band) == (s.quarter, ladder.bands[0].name)
    agreed = replace(s, rows=tuple(replace(r, agreed_band="Close") if i in (1, 4) else r for i, r in enumerate(s.rows)),
                     candidate_quarters=3)
    assert (headline(agreed, t).agreed, headline(agreed, t).candidate_quarters) == (2, 3)
    assert (h.moved_up, h.moved_down, h.before_quarter) == (1, 2, "2026-Q3")
    # Nothing stored for last quarter on any rubric: nothing to compare with.
    assert h.averages and all(x.before is None and x.change is None for x in h.averages)
    assert headline(s, replace(t, quarters=(s.quarter,))).before_quarter == ""
    assert all((x.before, x.before_n) == (None, 0) for x in headline(s, None).averages)  # no history at all


def test_the_managers_headline_counts_open_items_flags_and_the_top_band(ladder: Ladder, roster: Roster) -> None:
    s = summarize(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people}),
                  ladder)
    a, b, c, *rest = (replace(r, agenda=replace(r.agenda, se_todo=(), track_flag="")) for r in s.rows)
    # c's workbook is out though a review scored some of it: nothing to score until it comes back.
    rows = (replace(a, agenda=replace(a.agenda, se_todo=("your track preference",), track_flag="IC, aiming at manager")),
            replace(b, agenda=replace(b.agenda, se_todo=("the promotion read-out",))),
            replace(c, criteria=12, manager_scored=4, agenda=replace(c.agenda, returned=False)), *rest)
    h = team_headline(replace(s, rows=rows))
    assert (h.se_open, h.track_flags, h.to_score, h.to_score_people) == (2, 1, 0, 0)
    assert (h.ready, h.top_band) == (len(s.ready), ladder.bands[0].name) and h.ready > 0
