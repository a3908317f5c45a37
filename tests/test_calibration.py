"""Calibration across managers: each manager's scores beside the rest of the org's, within one rubric. Pure tables."""

from __future__ import annotations

import dataclasses

import pytest

from ladder_sheets.core.calibration import (HIGHER, IN_LINE, LOWER, NO_ORG, OVERALL, TOO_FEW, OrgFigures, Rated,
                                            calibrate, org_figures, scored_in)
from ladder_sheets.core.model import INCOMPLETE_BAND, CriterionInput, Ladder, Roster
from ladder_sheets.core.results import Status
from tests.support.results import inputs_for, results_for


def test_the_org_figures_leave_the_manager_out() -> None:
    scored = [Rated("mgr-a", "senior", {"SR-01": 3.0, "SR-02": None}), Rated("mgr-b", "senior", {"SR-01": 1.0, "SR-02": 2.0}),
              Rated("mgr-b", "senior", {"SR-01": 2.0, "SR-02": 2.0}), Rated("mgr-c", "principal", {"PR-01": 1.0})]
    org = org_figures(scored, "mgr-a", "this quarter")
    assert org.means == {("senior", "SR-01"): (1.5, 2), ("senior", "SR-02"): (2.0, 2), ("principal", "PR-01"): (1.0, 1),
                         ("senior", OVERALL): (1.75, 2), ("principal", OVERALL): (1.0, 1)}
    assert org.source == "this quarter"
    assert org_figures(scored[:1], "mgr-a", "this quarter") == OrgFigures()  # nobody else: no figures at all


def _team(manager: str, n: int, score: float, target: str = "senior", band: str = "Ready") -> list[Rated]:
    return [Rated(manager, target, {"SR-01": score, "SR-02": score}, band, manager.title()) for _ in range(n)]


def _ladder(ladder: Ladder) -> Ladder:
    """The shipped ladder with a two-criterion Senior rubric, so the tables stay readable."""
    rubric = ladder.rubric_for("senior")
    short = dataclasses.replace(rubric, criteria=rubric.criteria[:2])
    return dataclasses.replace(ladder, rubrics={**ladder.rubrics, "senior": short})


# (manager A's SEs, the rest of the org's SEs), A's score, the others' score -> A's overall flag and SR-01's
CASES = {
    "lenient with enough on both sides": (5, 5, 3.0, 2.0, HIGHER),
    "strict with enough on both sides": (5, 6, 1.0, 2.0, LOWER),
    "within the alert": (5, 5, 2.5, 2.0, IN_LINE),  # 0.5 apart, the alert is 0.6 points (20% of 3)
    "exactly the alert apart": (5, 5, 2.6, 2.0, HIGHER),  # 0.6000000000000001 in floats: the alert, not over it
    "too few of the manager's": (4, 9, 3.0, 1.0, TOO_FEW),
    "too few in the rest of the org": (9, 4, 3.0, 1.0, TOO_FEW),
    "nobody else scored": (5, 0, 3.0, 0.0, NO_ORG),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_manager_is_flagged_only_with_enough_ses_on_both_sides(ladder: Ladder, case: str) -> None:
    mine, others, score, their, flag = CASES[case]
    lad = _ladder(ladder)
    rated = _team("mgr-a", mine, score) + [r for i in range(others) for r in _team(f"mgr-{i % 2}", 1, their)]
    view = calibrate(lad, rated, "now").one("mgr-a", "senior")
    assert view is not None and view.people == mine
    assert view.overall.flag == flag and dict(view.criteria)[lad.rubric_for("senior").criteria[0].text].flag == flag
    assert (view.overall.key, view.overall.mean, view.overall.n, view.overall.org_n) == (OVERALL, score, mine, others)
    if others:
        assert view.overall.difference == pytest.approx(score - their)


def test_a_manager_who_rates_everyone_high_shows_even_when_their_ses_agree(ladder: Ladder) -> None:
    """The case manager-minus-self hides: Amara's SEs rate themselves 3 too, yet beside the org she is higher."""
    lad = _ladder(ladder)
    got = calibrate(lad, _team("mgr-amara", 5, 3.0) + _team("mgr-daniel", 6, 2.0, band="Close"), "2026-Q4")
    amara = got.one("mgr-amara", "senior")
    assert amara is not None and amara.overall.flag == HIGHER and len(amara.flagged) == 2
    assert got.flagged == (amara, got.one("mgr-daniel", "senior"))  # Daniel, beside Amara alone, is lower
    assert amara.bands[:3] == (("Ready", 5), ("Close", 0), ("Developing", 0))
    assert dict(amara.shares)["Ready"] == 1.0


def test_rubrics_are_never_mixed_and_bands_are_counted_per_rubric(ladder: Ladder) -> None:
    rated = [Rated("mgr-a", "senior", {"SR-01": 3.0}, "Ready", "A"), Rated("mgr-a", "principal", {"PR-01": 1.0},
                                                                           "Developing", "A"),
             Rated("mgr-b", "senior", {"SR-01": 1.0}, "Close", "B")]
    got = calibrate(ladder, rated, "now")
    assert [(v.manager_id, v.target, v.people) for v in got.views] == [("mgr-a", "senior", 1), ("mgr-a", "principal", 1),
                                                                       ("mgr-b", "senior", 1)]
    principal = got.one("mgr-a", "principal")
    assert principal is not None and principal.overall.flag == NO_ORG  # nobody else is on the Principal rubric
    senior = got.one("mgr-a", "senior")
    assert senior is not None and senior.overall.org_mean == 1.0 and senior.overall.org_n == 1
    # bands that nobody is in beyond the ladder's own are left out; Incomplete shows once someone is
    assert [name for name, _ in senior.bands] == [b.name for b in ladder.bands]


def test_each_view_is_named_and_the_whole_carries_its_source_and_thresholds(ladder: Ladder) -> None:
    """A manager without a name in the results shows by id; the rubric's title; the alert in points (20 % of 3)."""
    lad = _ladder(ladder)
    rated = _team("mgr-a", 5, 3.0) + [dataclasses.replace(r, manager_name="") for r in _team("mgr-b", 5, 2.0)]
    got = calibrate(lad, rated, "managers' scores collected for 2026-Q4")
    a, b = got.one("mgr-a", "senior"), got.one("mgr-b", "senior")
    assert a is not None and b is not None
    assert (a.manager_name, b.manager_name, a.title) == ("Mgr-A", "mgr-b", lad.rubric_for("senior").title)
    assert (got.source, got.min_n) == ("managers' scores collected for 2026-Q4", lad.calibration_min_n)
    assert got.alert == pytest.approx(0.6)
    assert got.of("mgr-a") == (a,) and got.one("mgr-c", "senior") is None


def test_a_criterion_the_manager_never_scored_has_no_flag(ladder: Ladder) -> None:
    lad = _ladder(ladder)
    first, second = lad.rubric_for("senior").criteria
    mine = [Rated("mgr-a", "senior", {first.id: 3.0, second.id: None}, "Ready", "A") for _ in range(5)]
    view = calibrate(lad, mine + _team("mgr-b", 5, 2.0), "now").one("mgr-a", "senior")
    assert view is not None
    assert [(text, x.flag, x.n) for text, x in view.criteria] == [(first.text, HIGHER, 5), (second.text, "", 0)]


def test_scored_in_reads_every_se_with_a_manager_score(ladder: Ladder, roster: Roster) -> None:
    """Self-scored only, or still out, is not read; one whose scores could not be worked out counts as Incomplete."""
    p = {x.id: x for x in roster.people}
    inputs = {"leticia-moreno": inputs_for(ladder, p["leticia-moreno"].target_level, 3, 3),
              "tomas-novak": inputs_for(ladder, p["tomas-novak"].target_level, 3, None),
              "sofia-lindqvist": inputs_for(ladder, p["sofia-lindqvist"].target_level, 2, 2)}
    one = ladder.rubric_for(p["sofia-lindqvist"].target_level).criteria[0].id
    inputs["sofia-lindqvist"] = dataclasses.replace(inputs["sofia-lindqvist"], criteria={
        k: CriterionInput(2.0, 2.0 if k == one else None) for k in inputs["sofia-lindqvist"].criteria})
    results = results_for(ladder, roster, inputs)
    results = dataclasses.replace(results, people=tuple(dataclasses.replace(r, scores=None, status=Status.INVALID)
                                                        if r.person.id == "sofia-lindqvist" else r
                                                        for r in results.people))
    got = scored_in(results)
    leticia, sofia = p["leticia-moreno"], p["sofia-lindqvist"]
    assert got == [
        Rated(leticia.manager, leticia.target_level, {k: 3.0 for k in inputs["leticia-moreno"].criteria}, "Ready",
              roster.manager_of(leticia).name),
        Rated(sofia.manager, sofia.target_level,
              {k: v.manager_score for k, v in inputs["sofia-lindqvist"].criteria.items()}, INCOMPLETE_BAND,
              roster.manager_of(sofia).name)]
