"""core.headline: the figures every reader sees first, and named lists that stay one size at any org size."""

from __future__ import annotations

import pytest

from ladder_sheets.core import trends as trend
from ladder_sheets.core.headline import TOP_N, capped, headline, leadership, team_headline
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.summary import Summary, for_manager, summarize
from tests.support.results import big_roster, inputs_for, results_for


def history(summary: Summary, before: dict[str, float], ladder: Ladder,
            older: dict[str, float] | None = None) -> trend.Trends:
    """Q4 as ``summary``; Q3's manager readiness as ``before`` (and Q2's as ``older``) says."""
    rows = [trend.PersonQuarter(q, r.id, r.name, r.team, r.manager_id, r.manager_name, "complete", 0.5, v,
                                ladder.bands[0].name if v >= ladder.bands[0].min_pct else ladder.bands[-1].name, 0.0)
            for q, stored in (("2026-Q2", older or {}), ("2026-Q3", before))
            for r in summary.rows for v in [stored.get(r.id)] if v is not None]
    rows += [trend.PersonQuarter("2026-Q4", r.id, r.name, r.team, r.manager_id, r.manager_name, r.status, r.self_pct,
                                 r.manager_pct, r.manager_band, r.gap) for r in summary.rows]
    return trend.build(rows, [], latest="2026-Q4", band_order=[b.name for b in ladder.bands], scale_max=3)


def test_capped_keeps_the_first_n_and_counts_the_rest() -> None:
    assert capped(list(range(25)), 10) == capped(list(range(10)), 10).__class__(tuple(range(10)), 15)
    assert capped([3, 1, 2], 2, key=lambda x: -x).items == (3, 2) and capped([], 5).more == 0


def test_headline_counts_and_the_change_since_last_quarter(ladder: Ladder, roster: Roster) -> None:
    people = roster.people
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in people[:3]}
    inputs.update({p.id: inputs_for(ladder, p.target_level, 3, 1) for p in people[3:6]})  # outliers, Developing
    s = summarize(results_for(ladder, roster, inputs), ladder)
    t = history(s, {p.id: 0.9 for p in people[:2]} | {p.id: 0.2 for p in people[2:6]}, ladder)
    h = headline(s, t)
    assert (h.people, h.returned, h.complete, h.ready, h.ready_running) == (8, 6, 6, 3, 2)
    assert (h.outstanding, h.outliers, h.before_quarter) == (2, 3, "2026-Q3")
    before = (0.9 * 2 + 0.2 * 4) / 6
    assert h.change is not None and abs(h.change - (s.org.avg_manager_pct - before)) < 1e-12  # type: ignore[operator]
    assert (h.moved_up, h.moved_down) == (1, 0)  # people[2] went from the bottom band to the top
    without = headline(s, None)
    assert without.change is None and without.before_quarter == "" and without.ready_running == 0


def test_since_last_quarter_means_the_quarter_just_before_when_more_are_stored(ladder: Ladder,
                                                                                 roster: Roster) -> None:
    """Q2, Q3 and Q4 stored: the change, and each team's, is since Q3, not since the oldest quarter."""
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 2) for p in roster.people}
    s = summarize(results_for(ladder, roster, inputs), ladder)
    t = history(s, {p.id: 0.9 for p in roster.people}, ladder, older={p.id: 0.2 for p in roster.people})
    assert t.quarters == ("2026-Q2", "2026-Q3", "2026-Q4")
    h = headline(s, t)
    assert h.before_quarter == "2026-Q3" and h.before_avg == pytest.approx(0.9)
    assert h.change is not None and s.org.avg_manager_pct is not None
    assert abs(h.change - (s.org.avg_manager_pct - 0.9)) < 1e-12 and h.change < 0  # down since Q3, up since Q2
    lines = leadership(s, t).teams.items
    assert lines and all(x.before == pytest.approx(0.9) for x in lines)


def test_leadership_lists_stay_capped_at_any_size(ladder: Ladder, roster: Roster) -> None:
    big = big_roster(roster, 600, 30)
    inputs = {p.id: inputs_for(ladder, p.target_level, 3 if i % 3 else 1, 3) for i, p in enumerate(big.people[:500])}
    s = summarize(results_for(ladder, big, inputs), ladder)
    lead = leadership(s, None, n=TOP_N, teams_shown=25)
    assert len(lead.candidates.items) == TOP_N and lead.candidates.total == len(s.candidates) == 500
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
