"""scoring.py: the one definition of every number, as tables."""

from __future__ import annotations

import math

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.model import (NOT_ASKING_TEXT, NOT_OBSERVED, Band, Comparator, CriterionInput, FieldKind, Inputs, Ladder,
                                      MetricInput, MetricStatus, PivotInput, Readout, ReadoutField)

BANDS = (Band("Ready", 0.85), Band("Close", 0.65), Band("Developing", 0.0))


@pytest.mark.parametrize(("scores", "weights", "expected"), [
    ([3, 3, 3], [1, 1, 1], 1.0),
    ([0, 0, 0], [1, 1, 1], 0.0),
    ([3, 0], [2, 1], 6 / 9),
    ([1, 2, 3], [1, 1, 2], (1 + 2 + 6) / 12),
    ([2, None, 3], [1, 1, 1], None),  # blank is "not yet scored", never zero
    ([], [], None),
])
def test_readiness(scores: list[float | None], weights: list[float], expected: float | None) -> None:
    assert scoring.readiness(scores, weights, 3) == expected


@pytest.mark.parametrize(("pct", "expected"), [
    (1.0, "Ready"), (0.85, "Ready"), (0.8499999999, "Close"), (0.65, "Close"),
    (0.6499999999, "Developing"), (0.0, "Developing"), (None, "Incomplete"),
    # Below only by float rounding: reached, as in LibreOffice (the formula oracle checks it).
    (math.nextafter(0.85, 0), "Ready"), (math.nextafter(0.65, 0), "Close"), (0.65 - 1e-13, "Close"),
])
def test_band_thresholds_are_inclusive(pct: float | None, expected: str) -> None:
    assert scoring.band(pct, BANDS) == expected


@pytest.mark.parametrize(("score", "weight", "points"), [
    (2, 1.5, 3.0), (3.0, 0.5, 1.5), (0, 2, 0), (None, 2, None), (NOT_OBSERVED, 2, None)])
def test_the_points_a_criterion_earns_are_score_times_weight(score: object, weight: float, points: float | None) -> None:
    assert scoring.weighted_points(score, weight) == points  # type: ignore[arg-type]


def test_without_a_share_asked_any_observed_criterion_gives_a_readiness() -> None:
    assert scoring.readiness([3, NOT_OBSERVED, 0], [1, 1, 1], 3) == 0.5
    assert scoring.readiness([NOT_OBSERVED, NOT_OBSERVED], [1, 1], 3) is None  # nothing observed: nothing to show


def test_exactly_the_share_asked_observed_is_enough() -> None:
    assert scoring.readiness([3, NOT_OBSERVED, NOT_OBSERVED, 3], [1, 1, 1, 1], 3, min_share=0.5) == 1.0
    assert scoring.readiness([3, NOT_OBSERVED, NOT_OBSERVED, 3], [1, 2, 1, 1], 3, min_share=0.5) is None


def test_a_readiness_under_the_lowest_threshold_gets_the_lowest_band() -> None:
    bands = (Band("Ready", 0.85), Band("Close", 0.65), Band("Developing", 0.3))
    assert scoring.band(0.1, bands) == "Developing"


def test_a_readiness_below_a_threshold_only_by_rounding_reaches_it() -> None:
    # Exactly 65 % in real numbers: (0.9 + 0.9 + 2.1) / (3 x 2.0); floats sum it a hair short.
    pct = scoring.readiness([3, 0, 3, 3], [0.3, 0.7, 0.3, 0.7], 3)
    assert pct is not None and pct < 0.65
    assert scoring.band(pct, BANDS) == "Close"


@pytest.mark.parametrize(("self_value", "manager", "expected"), [
    (1, 3, 2), (3, 1, -2), (2, 2, 0), (None, 2, None), (2, None, None), (0.5, 0.75, 0.25),
])
def test_gap_is_manager_minus_self(self_value: float | None, manager: float | None, expected: float | None) -> None:
    assert scoring.gap(self_value, manager) == expected


@pytest.mark.parametrize(("actual", "target", "comparator", "expected"), [
    (1, 1, Comparator.AT_LEAST, MetricStatus.MEETS),
    (0.99, 1, Comparator.AT_LEAST, MetricStatus.BELOW),
    (90, 90, Comparator.BELOW, MetricStatus.BELOW),  # "< 90 days": 90 does not meet it
    (89, 90, Comparator.BELOW, MetricStatus.MEETS),
    (90, 90, Comparator.AT_MOST, MetricStatus.MEETS),
    (91, 90, Comparator.AT_MOST, MetricStatus.BELOW),
    (2, 2, Comparator.ABOVE, MetricStatus.BELOW),
    (2.5, 2, Comparator.ABOVE, MetricStatus.MEETS),
    (None, 2, Comparator.AT_LEAST, MetricStatus.MISSING),
    (0, 0, Comparator.AT_LEAST, MetricStatus.MEETS),
])
def test_metric_status(actual: float | None, target: float, comparator: Comparator, expected: MetricStatus) -> None:
    assert scoring.metric_status(actual, target, comparator) is expected


@pytest.mark.parametrize(("signal", "progress", "expected"), [
    (True, 3, 1.0), (False, 0, 0.0), (True, 0, 0.5), (False, 3, 0.5), (True, 1, 4 / 6),
    (None, 2, None), (True, None, None),
])
def test_pivot_readiness(signal: bool | None, progress: float | None, expected: float | None) -> None:
    assert scoring.pivot_readiness(signal, progress, 3) == expected


@pytest.mark.parametrize(("interests", "expected"), [
    ([1, 3, 3, 0, 2], "B"),  # ties go to the first
    ([0, 0, 0, 0, 0], "None"),
    ([None, None, None, None, None], ""),
    ([None, 1, None, None, None], "B"),
    ([2, None, 0, 1, 0], "A"),
])
def test_top_pivot(interests: list[float | None], expected: str) -> None:
    assert scoring.top_pivot(list("ABCDE"), interests) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (115.0, "115"), (112.5, "112.5"), (7, "7"), ("six months", "six months"), (None, ""), (True, "TRUE"),
    (0.0, "0"), (-3.0, "-3"), (False, "FALSE"),
    # At most 15 significant digits, as LibreOffice and Excel show them.
    (0.1 + 0.2, "0.3"), (200 / 3, "66.6666666666667"), (1 / 3, "0.333333333333333"), (12345678.9, "12345678.9"),
])
def test_as_text_matches_the_ampersand_operator(value: object, expected: str) -> None:
    assert scoring.as_text(value) == expected  # type: ignore[arg-type]


def test_template_segments_in_order() -> None:
    assert scoring.template_segments("Hi {name}, {pct} done.") == [
        ("text", "Hi "), ("field", "name"), ("text", ", "), ("field", "pct"), ("text", " done.")]
    assert scoring.template_segments("{a}{b}") == [("field", "a"), ("field", "b")]


READOUT = Readout(
    (ReadoutField("period", "Period", FieldKind.TEXT), ReadoutField("quota", "Quota", FieldKind.PERCENT),
     ReadoutField("level", "Level", FieldKind.LEVEL)),
    "Over the last {period}, I hit {quota} and operate at the {level} level.",
    "Fill in every input.",
)


@pytest.mark.parametrize(("values", "expected"), [
    ({"period": "six months", "quota": 115.0, "level": "Senior SE"},
     "Over the last six months, I hit 115% and operate at the Senior SE level."),
    ({"period": "quarter", "quota": 0.0, "level": "Core SE"}, "Over the last quarter, I hit 0% and operate at the Core SE level."),
    ({"period": "six months", "quota": None, "level": "Senior SE"}, "Fill in every input."),
    ({"period": "", "quota": 100.0, "level": "Senior SE"}, "Fill in every input."),
    ({"period": "=1+1", "quota": 100.0, "level": "<b>"}, "Over the last =1+1, I hit 100% and operate at the <b> level."),
    ({"period": 2.0, "quota": 112.5, "level": "Senior SE"}, "Over the last 2, I hit 112.5% and operate at the Senior SE level."),
    ({"quota": 100.0, "level": "Senior SE"}, "Fill in every input."),  # a field never typed at all
])
def test_readout_text(values: dict[str, object], expected: str) -> None:
    assert scoring.readout_text(READOUT, values) == expected  # type: ignore[arg-type]


def test_template_segments_edges() -> None:
    assert scoring.template_segments("") == []
    assert scoring.template_segments("no fields") == [("text", "no fields")]
    # Only {lower_snake} ids are placeholders; other braces are text.
    assert scoring.template_segments("{Big} {x-y} {ok_1}") == [("text", "{Big} {x-y} "), ("field", "ok_1")]


def test_score_puts_the_pieces_together(ladder: Ladder) -> None:
    """score() over a real rubric: each derived number is the one its own function gives."""
    rubric = ladder.rubric_for("senior")
    ids = [c.id for c in rubric.criteria]
    weights = [c.weight for c in rubric.criteria]
    selfs = [float(i % 4) for i in range(len(ids))]
    managers: list[float | None] = [3.0] * len(ids)
    managers[1] = None
    yes = ladder.pivots[0].id
    inputs = Inputs(
        criteria={i: CriterionInput(s, m) for i, s, m in zip(ids, selfs, managers)},
        metrics={ladder.metrics[0].id: MetricInput(0.0)},
        pivots={yes: PivotInput(2.0, True, 1.0)},
    )
    s = scoring.score(ladder, rubric, inputs)
    self_pct = scoring.readiness(selfs, weights, 3)
    assert s.self_pct == self_pct and s.manager_pct is None
    assert s.self_band == scoring.band(self_pct, ladder.bands) and s.manager_band == "Incomplete"
    assert s.calibration_gap is None
    assert s.self_missing == () and s.manager_missing == (ids[1],)
    assert s.criterion_gaps[ids[0]] == 3.0 - selfs[0] and s.criterion_gaps[ids[1]] is None
    first, *others = ladder.metrics
    assert s.metric_status[first.id] is scoring.metric_status(0.0, first.target, first.comparator)
    assert all(s.metric_status[m.id] is MetricStatus.MISSING for m in others)
    assert s.pivot_readiness[yes] == scoring.pivot_readiness(True, 1.0, 3)
    assert all(s.pivot_readiness[p.id] is None for p in ladder.pivots[1:])
    assert s.top_pivot == ladder.pivots[0].name
    assert s.readout_text == ladder.readout.incomplete_text


def test_a_criterion_the_workbook_does_not_hold_is_missing_not_an_error(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    first, *rest = rubric.criteria
    s = scoring.score(ladder, rubric, Inputs(criteria={first.id: CriterionInput(3.0, 2.0)}))
    assert s.self_missing == s.manager_missing == tuple(c.id for c in rest)
    assert (s.self_pct, s.self_band, s.criterion_gaps[first.id]) == (None, "Incomplete", -1.0)
    assert (s.self_hold, s.manager_hold) == ("", "")  # nothing is held back from a band not reached


def test_without_a_level_every_metric_and_the_default_talk_track_apply(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("director")
    values = {f.id: 100.0 if f.kind is FieldKind.PERCENT else "x" for f in ladder.readout.fields}
    s = scoring.score(ladder, rubric, Inputs(readout=values))
    assert set(s.metric_status) == {m.id for m in ladder.metrics}
    assert s.readout_text == scoring.readout_text(ladder.readout, values)
    assert ladder.readout_for("director", "director") != ladder.readout != ladder.readout_for("manager", "director")


def test_a_complete_scorecard_has_its_calibration_gap(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    s = scoring.score(ladder, rubric, Inputs(criteria={c.id: CriterionInput(1.0, 2.0) for c in rubric.criteria}))
    assert (s.self_pct, s.manager_pct) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert s.calibration_gap == pytest.approx(1 / 3)


def _filled(ladder: Ladder, level: str, target: str, asking: bool) -> Inputs:
    track = ladder.readout_for(level, target)
    return Inputs(readout={f.id: 100.0 if f.kind is FieldKind.PERCENT else "x" for f in track.fields},
                  asking_for_move=asking)


def _expected(ladder: Ladder, level: str, target: str) -> str:
    track = ladder.readout_for(level, target)
    return scoring.readout_text(track, _filled(ladder, level, target, True).readout)


@pytest.mark.parametrize(("level", "target"), [
    ("core", "senior"), ("senior", "manager"), ("manager", "director"), ("senior", "senior")])
def test_with_a_level_the_metrics_and_talk_track_are_those_of_the_move(ladder: Ladder, level: str, target: str) -> None:
    s = scoring.score(ladder, ladder.rubric_for(target), _filled(ladder, level, target, True), level)
    assert set(s.metric_status) == {m.id for m in ladder.metrics_for(level, target)}
    assert s.readout_text == _expected(ladder, level, target) != ladder.readout_for(level, target).incomplete_text


def test_the_shipped_ladder_has_moves_whose_metrics_and_tracks_differ(ladder: Ladder) -> None:
    """What the test above relies on to tell a level's metrics and track from the whole ladder's."""
    assert len(ladder.metrics_for("manager", "director")) < len(ladder.metrics) == len(ladder.metrics_for("senior", "manager"))
    assert ladder.metrics_for("manager") != ladder.metrics_for("senior", "manager") and not ladder.metrics_for("core")
    assert len({ladder.readout_for(*move).id for move in (("core", "senior"), ("manager", "director"), ("senior", "senior"))}) == 3


def test_the_talk_track_waits_for_a_move_asked_and_never_for_growth_at_level(ladder: Ladder) -> None:
    senior = ladder.rubric_for("senior")
    assert scoring.score(ladder, senior, _filled(ladder, "core", "senior", False), "core").readout_text == NOT_ASKING_TEXT
    at_level = scoring.score(ladder, senior, _filled(ladder, "senior", "senior", False), "senior")
    assert at_level.readout_text == _expected(ladder, "senior", "senior")
