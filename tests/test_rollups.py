"""core.rollups: counts over a team or the org, averages only ever within one rubric, career interests counted.

The rows are what the summary hands a rollup (``summary.Row``), written out with only the fields a rollup reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ladder_sheets.core.model import INCOMPLETE_BAND, NO_PIVOT_INTEREST, NOT_ENOUGH_OBSERVED, Ladder
from ladder_sheets.core.results import Status
from ladder_sheets.core.rollups import Interests, RubricAverage, interests, rollup


@dataclass(frozen=True)
class Row:
    rubric: str = "senior"
    manager_name: str = "Mo"
    status: str = Status.COMPLETE.value
    manager_pct: float | None = None
    gap: float | None = None
    skills: dict[str, tuple[float, int]] = field(default_factory=dict)  # group -> (total of scores, criteria)
    band: str = "Close"
    track: str = ""
    top_pivot: str = ""
    shares_interests: bool = False


def test_a_rollup_counts_everyone_and_names_each_manager_once(ladder: Ladder) -> None:
    rows = [Row(band="Ready"), Row(manager_name="Lee", status=Status.INCOMPLETE.value, band=INCOMPLETE_BAND),
            Row(band="Ready"), Row(rubric="manager", band=NOT_ENOUGH_OBSERVED)]
    got = rollup("East", rows, ladder)
    assert (got.name, got.manager, got.managers, got.people, got.complete) == ("East", "Mo, Lee", 2, 4, 3)
    assert got.bands == {"Ready": 2, "Close": 0, "Developing": 0, NOT_ENOUGH_OBSERVED: 1, INCOMPLETE_BAND: 1}
    # Only the rubrics someone is on, in the ladder's order; each found by its target.
    assert [a.target for a in got.rubrics] == ["senior", "manager"]
    on_manager = got.on("manager")
    assert on_manager is not None and on_manager.target == "manager" and got.on("director") is None


def test_averages_are_per_rubric_over_those_with_a_value(ladder: Ladder) -> None:
    """Three SEs on the Senior SE rubric: two with a manager readiness, one with a gap. A skill group's average
    is over every criterion scored that tests it (6 points over 3 criteria), counting the SEs scored on it."""
    rows = [Row(manager_pct=0.75, gap=0.1, skills={"business": (5.0, 2)}),
            Row(manager_pct=0.25, skills={"business": (1.0, 1), "leadership": (0.0, 0)}), Row()]
    got = rollup("East", rows, ladder).on("senior")
    assert got == RubricAverage("senior", ladder.rubric_for("senior").title, 3, 0.5, 2, 0.1, 1,
                                {"business": (2.0, 2)})
    empty = rollup("West", [Row()], ladder).on("senior")
    assert empty == RubricAverage("senior", ladder.rubric_for("senior").title, 1, None, 0, None, 0, {})


def test_interests_count_only_who_answered(ladder: Ladder) -> None:
    """A track or a pivot of interest is an answer; no pivot, or "None" of interest, alone is not."""
    rows = [Row(track="Principal IC", shares_interests=True), Row(top_pivot="Customer Success"),
            Row(track="Management", top_pivot="Product Management"), Row(top_pivot="Customer Success"),
            Row(top_pivot=NO_PIVOT_INTEREST, shares_interests=True), Row(shares_interests=True)]
    got = interests(rows, ladder)
    assert got == Interests((("Principal IC", 1), ("Management", 1), ("Pivot", 0), ("Undecided", 0)),
                            (("Customer Success", 2), ("Product Management", 1)), 1, 3)
