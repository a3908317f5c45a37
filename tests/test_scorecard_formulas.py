"""The scorecard's result formulas, worked out by the formulas library, against scoring.py.

Each test lays out a scorecard in memory (no file, no LibreOffice), types scores into it as an
SE and a manager would, and reads what the result cells show: readiness, band, why a band is
held, how many criteria are scored, the points and gaps beside each criterion. scoring.py is the
reference for every number; small ladders put every band boundary and must-have rule in reach.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import formulas
import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.layout import scorecard_sheet
from ladder_sheets.core.model import (NOT_OBSERVED, Band, Criterion, CriterionInput, Inputs, Ladder, Person, Roster,
                                      Rubric, Score)
from ladder_sheets.core.scorecard_formulas import band_expr, in_bands, points
from tests.support.shown import shown

# Bands whose "must_haves" flags are not one run from the top, and must-haves with and without caps:
# a must-have without caps blocks Top and Mid, one capped at Mid blocks Top and High.
BANDS = (Band("Top", 0.875, must_haves=True), Band("High", 0.75), Band("Mid", 0.5, must_haves=True), Band("Low", 0.0))
CRITERIA = (
    Criterion("A-1", "Craft", "Runs the demo", "anchor A", weight=1, floor=2),
    Criterion("B-2", "Craft", "Owns the POC", "anchor B", weight=1, floor=2, caps="Mid"),
    Criterion("C-3", "Deals", "Meets the buyer", "anchor C", weight=1, floor=1, caps="Low"),
    Criterion("D-4", "Deals", "Writes the plan", "anchor D", weight=1, allow_not_observed=True),
    Criterion("E-5", "Team", "Mentors", "anchor E", weight=2, allow_not_observed=True),
    Criterion("F-6", "Team", "Shares assets", "anchor F", weight=2),
)


@pytest.fixture(scope="module")
def small(ladder: Ladder) -> Ladder:
    """A ladder whose senior rubric is CRITERIA (weight 8, so 0.5, 0.75 and 0.875 are reachable exactly)."""
    return replace(ladder, bands=BANDS, rubrics={**ladder.rubrics, "senior": Rubric("senior", "Small", CRITERIA)})


@pytest.fixture(scope="module")
def se(roster: Roster) -> Person:
    return next(p for p in roster.people if p.target_level == "senior")


def _typed(ladder: Ladder, selfs: dict[str, Score], managers: dict[str, Score]) -> dict[str, Any]:
    """The score cells as typed: a number, the ladder's "not observed yet" label, or nothing."""
    def cell(v: Score) -> Any:
        return ladder.not_observed.label if v is NOT_OBSERVED else v
    return {**{f"criteria.{i}.self": cell(v) for i, v in selfs.items()},
            **{f"criteria.{i}.manager": cell(v) for i, v in managers.items()}}


def _inputs(selfs: dict[str, Score], managers: dict[str, Score]) -> Inputs:
    ids = set(selfs) | set(managers)

    def split(v: Score) -> tuple[float | None, bool]:
        return (None, True) if v is NOT_OBSERVED else (v, False)
    out = {}
    for i in ids:
        (s, s_na), (m, m_na) = split(selfs.get(i)), split(managers.get(i))
        out[i] = CriterionInput(self_score=s, manager_score=m, self_not_observed=s_na, manager_not_observed=m_na)
    return Inputs(criteria=out)


def _results(ladder: Ladder, person: Person, selfs: dict[str, Score], managers: dict[str, Score],
             review: bool = False) -> dict[str, Any]:
    """What the scorecard shows, by key (formula cells only), for these scores."""
    sheet = scorecard_sheet(ladder, ladder.rubric_for(person.target_level), person, "2026-Q4", review)
    values = shown(sheet, _typed(ladder, selfs, managers))
    return {c.key: values[c.ref] for c in sheet.cells if c.key and c.role.value in ("formula", "label")}


def _blank(v: float | None) -> Any:
    return "" if v is None else pytest.approx(v)


def _scored(n: int, missing: tuple[str, ...], not_observed: tuple[str, ...]) -> str:
    return f"{n - len(missing)} of {n}" + (f" ({len(not_observed)} not observed yet)" if not_observed else "")


def _check(ladder: Ladder, person: Person, selfs: dict[str, Score], managers: dict[str, Score]) -> dict[str, Any]:
    """Assert every result the scorecard shows is scoring.score's; return what it shows."""
    rubric = ladder.rubric_for(person.target_level)
    got = _results(ladder, person, selfs, managers)
    s = scoring.score(ladder, rubric, _inputs(selfs, managers), person.level)
    n = len(rubric.criteria)
    want = {"result.self_pct": _blank(s.self_pct), "result.manager_pct": _blank(s.manager_pct),
            "result.self_band": s.self_band, "result.manager_band": s.manager_band,
            "result.calibration_gap": _blank(s.calibration_gap),
            "result.self_scored": _scored(n, s.self_missing, s.self_not_observed),
            "result.manager_scored": _scored(n, s.manager_missing, s.manager_not_observed)}
    if ladder.must_haves(rubric):
        want |= {"result.self_hold": s.self_hold, "result.manager_hold": s.manager_hold}
    for c in rubric.criteria:
        want[f"criteria.{c.id}.gap"] = _blank(s.criterion_gaps[c.id])
        want[f"criteria.{c.id}.self_points"] = _blank(scoring.weighted_points(selfs.get(c.id), c.weight))
        want[f"criteria.{c.id}.manager_points"] = _blank(scoring.weighted_points(managers.get(c.id), c.weight))
    assert {k: got[k] for k in want} == want, (selfs, managers)
    return got


def _random_scores(rng: random.Random, rubric: Rubric, top: int, blank: float, na: float) -> dict[str, Score]:
    out: dict[str, Score] = {}
    for c in rubric.criteria:
        r = rng.random()
        out[c.id] = (None if r < blank else NOT_OBSERVED if c.allow_not_observed and r < blank + na
                     else rng.randint(0, top))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_random_scorecards_show_what_scoring_gives(small: Ladder, se: Person, seed: int) -> None:
    rng = random.Random(seed)
    rubric = small.rubric_for("senior")
    for _ in range(6):
        _check(small, se, _random_scores(rng, rubric, 3, 0.05, 0.3), _random_scores(rng, rubric, 3, 0.0, 0.2))


@pytest.mark.parametrize("seed", range(3))
def test_the_shipped_ladder_shows_what_scoring_gives(ladder: Ladder, roster: Roster, seed: int) -> None:
    rng = random.Random(seed)
    for person in roster.people:
        rubric = ladder.rubric_for(person.target_level)
        _check(ladder, person, _random_scores(rng, rubric, 3, 0.0, 0.2), _random_scores(rng, rubric, 3, 0.1, 0.1))


def _full(**scores: Score) -> dict[str, Score]:
    """Every small criterion at 3, but those given (by letter: A=..., E=NOT_OBSERVED)."""
    out: dict[str, Score] = {c.id: 3 for c in CRITERIA}
    for letter, v in scores.items():
        out[next(c.id for c in CRITERIA if c.id.startswith(letter))] = v
    return out


def test_each_band_from_its_exact_threshold(small: Ladder, se: Person) -> None:
    # 24 points in all: 21 is exactly 0.875, 18 exactly 0.75, 12 exactly 0.5.
    cases = [(_full(), "Top", 1.0), (_full(F=0), "High", 0.75), (_full(E=2, D=2), "Top", 0.875),
             (_full(F=0, E=2), "Mid", 16 / 24), (_full(E=0, D=0, F=0, C=1, A=2), "Low", 6 / 24),
             (_full(E=0, F=0), "Mid", 0.5)]
    for selfs, band, pct in cases:
        got = _check(small, se, selfs, selfs)
        assert (got["result.self_band"], got["result.self_pct"]) == (band, pytest.approx(pct))
        assert got["result.calibration_gap"] == 0 and got["result.self_hold"] == ""


def test_a_must_have_under_its_floor_holds_the_band_and_says_why(small: Ladder, se: Person) -> None:
    held = _check(small, se, _full(A=1), _full(B=1, C=0))
    # A (no caps) blocks Top and Mid: 22 of 24 points is Top on points, held at High.
    assert held["result.self_band"] == "High"
    assert held["result.self_hold"] == "Top on points, held at High: Runs the demo scored 1 (must be at least 2)"
    # B capped at Mid and C capped at Low: both named, in the rubric's order; Low is where C leaves it.
    assert held["result.manager_band"] == "Low"
    assert held["result.manager_hold"] == ("High on points, held at Low: Owns the POC scored 1 (must be at least 2); "
                                           "Meets the buyer scored 0 (must be at least 1)")
    # At its floor a must-have holds nothing; blank or not observed is never under it.
    assert _check(small, se, _full(A=2, B=2, C=1), _full(D=NOT_OBSERVED))["result.self_hold"] == ""


def test_a_hold_names_only_the_must_haves_that_block_the_points_band(small: Ladder, se: Person) -> None:
    # High on points (20 of 24): A blocks Top and Mid, not High, so only B (capped at Mid) holds it.
    got = _check(small, se, _full(A=1, B=1), _full(A=1, E=1))
    assert got["result.self_band"] == "Low"
    assert got["result.self_hold"] == "High on points, held at Low: Owns the POC scored 1 (must be at least 2)"
    # 18 of 24 is High on points, which A does not block: no hold, and the band stays High.
    assert (got["result.manager_band"], got["result.manager_hold"]) == ("High", "")


def test_a_must_have_flag_on_a_band_below_a_free_one(ladder: Ladder, se: Person) -> None:
    # Only the middle band needs the must-haves: above it nothing is held, at it the band drops below.
    flagged = replace(ladder, bands=(Band("Top", 0.875), Band("High", 0.75, must_haves=True), Band("Low", 0.0)),
                      rubrics={**ladder.rubrics, "senior": Rubric("senior", "Small", CRITERIA[:1] + CRITERIA[3:])})
    top = _check(flagged, se, {"A-1": 1, "D-4": 3, "E-5": 3, "F-6": 3}, {"A-1": 1, "D-4": 3, "E-5": 3, "F-6": 2})
    assert (top["result.self_band"], top["result.self_hold"]) == ("Top", "")  # 16 of 18
    assert top["result.manager_band"] == "Low"
    assert top["result.manager_hold"] == "High on points, held at Low: Runs the demo scored 1 (must be at least 2)"


def test_incomplete_until_every_criterion_is_scored_then_not_enough_observed(small: Ladder, se: Person) -> None:
    got = _check(small, se, _full(F=None), _full(D=NOT_OBSERVED, E=NOT_OBSERVED))
    assert (got["result.self_pct"], got["result.self_band"], got["result.self_hold"]) == ("", "Incomplete", "")
    assert got["result.self_scored"] == "5 of 6"
    # 5 of 8 weight observed, under the 75 % asked: no readiness, and the band says why.
    assert (got["result.manager_pct"], got["result.manager_band"]) == ("", "Not enough observed")
    assert got["result.manager_scored"] == "6 of 6 (2 not observed yet)"
    assert got["result.calibration_gap"] == ""
    # Exactly 75 % observed (E, weight 2, not observed) is enough; the rest counts on what was observed.
    exact = _check(small, se, _full(E=NOT_OBSERVED), _full(E=NOT_OBSERVED, A=0))
    assert (exact["result.self_pct"], exact["result.self_band"]) == (1.0, "Top")
    assert exact["result.manager_scored"] == "6 of 6 (1 not observed yet)"
    assert exact["result.calibration_gap"] == pytest.approx(-3 / 18)


def test_not_observed_typed_in_capitals_counts_as_not_observed(small: Ladder, se: Person) -> None:
    sheet = scorecard_sheet(small, small.rubric_for("senior"), se, "2026-Q4")
    typed = _typed(small, _full(), _full()) | {"criteria.D-4.self": "N/O"}
    values = shown(sheet, typed)
    got = {c.key: values[c.ref] for c in sheet.cells if c.key}
    assert got["result.self_scored"] == "6 of 6 (1 not observed yet)"
    assert got["result.self_pct"] == pytest.approx(1.0)


def test_points_are_blank_until_a_number_is_scored() -> None:
    f = formulas.Parser().ast(points("G6", "E6"))[1].compile()
    assert sorted(f.inputs) == ["E6", "G6"]
    assert [f(2.5, v) for v in (3, 0, "n/o", "")] == [7.5, 0, "", ""]


def _evaluate(formula: str, pct: float) -> Any:
    f = formulas.Parser().ast("=" + formula)[1].compile()
    out = f(*([pct] * len(f.inputs)))
    return out.item() if hasattr(out, "item") else out


PCTS = (0.0, 0.2, 0.4999, 0.5, 0.6, 0.7499, 0.75, 0.8, 0.8749, 0.875, 0.95, 1.0)


def test_the_band_chain_gives_scoring_s_band_at_every_threshold(small: Ladder) -> None:
    for pct in PCTS:
        assert _evaluate(band_expr(small, "Z9"), pct) == scoring.band(pct, small.bands), pct


@pytest.mark.parametrize("names", [frozenset(), {"Top"}, {"High"}, {"Low"}, {"Top", "High"}, {"Top", "Mid"},
                                   {"High", "Mid"}, {"Mid", "Low"}, {"Top", "Mid", "Low"}, {"Top", "High", "Mid"},
                                   {"High", "Mid", "Low"}, {"Top", "High", "Mid", "Low"}])
def test_in_bands_is_true_where_the_points_band_is_one_of_them(small: Ladder, names: set[str]) -> None:
    for pct in PCTS:
        assert bool(_evaluate(in_bands(small, "Z9", frozenset(names)), pct)) is (
            scoring.band(pct, small.bands) in names), (names, pct)
