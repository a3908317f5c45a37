"""core.input_keys: what an input key names in words (problem messages), and the values by key as the model.

Each case is a key or a set of values as collect reads them from a workbook, and what a person
then reads in a problem, or what scoring then gets.
"""

from __future__ import annotations

import pytest

from ladder_sheets.core.cells import ASKING, SHARE
from ladder_sheets.core.input_keys import criterion_text, describe, describer, split_key, to_model
from ladder_sheets.core.model import CellValue, CriterionInput, Inputs, Ladder, MetricInput, PivotInput


@pytest.mark.parametrize(("key", "parts"), [
    ("criteria.SR-04.self", ("criteria", "SR-04", "self")),
    ("criteria.v1.2.manager", ("criteria", "v1.2", "manager")),  # ids may hold dots
    ("metrics.mentorship_hours.actual", ("metrics", "mentorship_hours", "actual")),
    ("pivots.sales_ae.gap_progress", ("pivots", "sales_ae", "gap_progress")),
    ("readout.win_quota_pct", ("readout", "win_quota_pct", "")),
    ("readout.a.b", ("readout", "a.b", "")),
    ("track_preference", ("track_preference", "", "")),
    ("move.asking", ("move", "asking", "")),
])
def test_a_key_splits_into_section_item_and_field(key: str, parts: tuple[str, str, str]) -> None:
    assert split_key(key) == parts


@pytest.mark.parametrize(("key", "words"), [
    ("criteria.SR-04.self", "self score for SR-04"),
    ("criteria.SR-04.manager", "manager score for SR-04"),
    ("criteria.SR-04.evidence", "evidence for SR-04"),
    ("criteria.SR-04.comment", "comment for SR-04"),
    ("metrics.mentorship_hours.actual", "actual for Mentorship hours"),
    ("metrics.mentorship_hours.notes", "notes for Mentorship hours"),
    ("metrics.gone_metric.actual", "actual for gone_metric"),
    ("pivots.sales_ae.interest", "interest in Sales (AE)"),
    ("pivots.sales_ae.signal", "readiness signal for Sales (AE)"),
    ("pivots.sales_ae.gap_progress", "gap progress for Sales (AE)"),
    ("pivots.sales_ae.notes", "notes for Sales (AE)"),
    ("pivots.nowhere.interest", "interest in nowhere"),
    ("readout.win_quota_pct", "read-out answer 'Technical win quota attained (%)'"),
    ("readout.other_field", "read-out answer 'other_field'"),
    (ASKING, "the answer to 'Are you asking for a new role or title this quarter?'"),
    (SHARE, "the answer to 'Share my career interests with leadership'"),
    ("track_preference", "track preference"),
])
def test_a_key_is_described_in_words(ladder: Ladder, key: str, words: str) -> None:
    assert describe(ladder, key) == words
    assert describer(ladder)(key) == words


def test_criterion_text_quotes_a_criterion_of_any_rubric(ladder: Ladder) -> None:
    assert criterion_text(ladder, "criteria.CR-01.self") == " ('Knows the product inside and out')"
    senior = ladder.rubrics["senior"].criteria[0]
    assert criterion_text(ladder, f"criteria.{senior.id}.evidence") == f" ('{senior.text}')"
    assert criterion_text(ladder, "criteria.XX-99.self") == ""
    assert criterion_text(ladder, "metrics.mentorship_hours.actual") == ""


def test_values_by_key_become_the_model_scoring_reads(ladder: Ladder) -> None:
    na = ladder.not_observed.label
    values: dict[str, CellValue] = {
        "criteria.CR-01.self": 2, "criteria.CR-01.manager": 3.0, "criteria.CR-01.evidence": "ran the demo",
        "criteria.CR-01.comment": "agreed",
        "criteria.CR-02.self": na, "criteria.CR-02.manager": na, "criteria.CR-02.evidence": None,
        "criteria.CR-03.self": True, "criteria.CR-03.manager": "3",
        "metrics.mentorship_hours.actual": 12, "metrics.mentorship_hours.notes": "weekly",
        "metrics.complex_deal_velocity.actual": None,
        "pivots.sales_ae.interest": 3, "pivots.sales_ae.signal": "Yes", "pivots.sales_ae.gap_progress": 1.5,
        "pivots.customer_success.signal": "No", "pivots.product_management.interest": None,
        "readout.period": "2026-Q4", "readout.asset": None,
        "track_preference": "Management", SHARE: "Yes", "meta.person_id": "tomas-novak",
    }
    assert to_model(ladder, values, asking=True) == Inputs(
        criteria={"CR-01": CriterionInput(2.0, 3.0, "ran the demo", "agreed"),
                  "CR-02": CriterionInput(None, None, "", "", True, True),
                  "CR-03": CriterionInput(None, None, "", "")},
        metrics={"mentorship_hours": MetricInput(12.0, "weekly"), "complex_deal_velocity": MetricInput(None, "")},
        pivots={"sales_ae": PivotInput(3.0, True, 1.5), "customer_success": PivotInput(None, False, None),
                "product_management": PivotInput(None, None, None)},
        track_preference="Management", readout={"period": "2026-Q4", "asset": None},
        asking_for_move=True, share_career_interests=True)


def test_blank_answers_are_empty_not_the_word_none(ladder: Ladder) -> None:
    model = to_model(ladder, {"track_preference": None, SHARE: "No", "criteria.CR-01.evidence": ""}, asking=False)
    assert model.track_preference == "" and not model.share_career_interests and not model.asking_for_move
    assert model.criteria["CR-01"].evidence == ""
    assert to_model(ladder, {}, asking=False) == Inputs()  # no track preference cell read: none, not a word
