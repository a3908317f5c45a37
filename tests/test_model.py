"""The domain model (core/model.py): what its objects answer about a ladder, a roster and what came back.

Pure: small ladders and rosters built in place, and the shipped ladder where its content is the case
(talk tracks, skill-group coaching, must-have caps). Loading them from YAML is tests/test_config.py's.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ladder_sheets.core.model import (NOT_OBSERVED, Band, Comparator, Criterion, CriterionInput, Directives, Ladder,
                                      Manager, Metric, Person, Readout, ReadoutField, Recommendation, Roster, Rubric,
                                      Scale, SkillGroup, TalkTrack, FieldKind)


def test_a_recommendation_is_shown_with_a_capital() -> None:
    assert [r.shown for r in Recommendation] == ["Promote now", "Next cycle", "Not yet"]


def test_a_scale_tops_out_at_its_last_label() -> None:
    assert Scale(("Never", "Sometimes", "Always")).max == 2
    assert Scale(("Only",)).max == 0


def _metric(levels: tuple[str, ...] = (), targets: tuple[str, ...] = ()) -> Metric:
    return Metric("m", "M", "1 / Qtr", 1.0, Comparator.AT_LEAST, "count", "count them", "do more", levels, targets)


@pytest.mark.parametrize(("levels", "targets", "level", "target", "applies"), [
    ((), (), "core", None, True), ((), (), "core", "senior", True),
    (("senior",), (), "senior", None, True), (("senior",), (), "core", "senior", False),
    (("senior",), ("senior",), "core", "senior", True), (("senior",), ("senior",), "core", None, False),
    ((), ("senior",), "core", "senior", True), ((), ("senior",), "core", "principal", False),
    ((), ("senior",), "senior", None, False),
])
def test_a_metric_applies_at_its_levels_and_toward_its_targets(levels: tuple[str, ...], targets: tuple[str, ...],
                                                               level: str, target: str | None, applies: bool) -> None:
    assert _metric(levels, targets).applies(level, target) is applies


def test_the_metrics_for_a_move_are_those_that_apply_in_the_ladders_order(ladder: Ladder) -> None:
    assert [m.id for m in ladder.metrics_for("core")] == []
    assert [m.id for m in ladder.metrics_for("core", "senior")] == [m.id for m in ladder.metrics]
    assert [m.id for m in ladder.metrics_for("manager")] == ["enablement_contributions", "mentorship_hours"]


def test_a_manager_directive_of_some_quarters_only_is_asked_in_those() -> None:
    d = Directives(("weekly 1:1s", "yearly workshop", "half-yearly review"),
                   quarters={"yearly workshop": (1,), "half-yearly review": (2, 4)})
    assert d.managers_in(1) == ("weekly 1:1s", "yearly workshop")
    assert d.managers_in(2) == d.managers_in(4) == ("weekly 1:1s", "half-yearly review")
    assert d.managers_in(3) == d.managers_in(0) == ("weekly 1:1s",)


# ---- a ladder -----------------------------------------------------------------------------------------------


def test_peers_rate_a_rubrics_customer_facing_criteria_in_its_order(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("principal")
    assert ladder.peer_criteria("principal") == tuple(c for c in rubric.criteria if c.peer_rated)
    assert [c.id for c in ladder.peer_criteria("principal")] == ["PR-01", "PR-02", "PR-04", "PR-11"]
    with pytest.raises(KeyError):
        ladder.rubric_for("astronaut")


def _readout(rid: str, *fields: str) -> Readout:
    return Readout(tuple(ReadoutField(f, f.title(), FieldKind.TEXT) for f in fields), "", "", rid)


def test_each_move_gets_the_talk_track_that_fits_it(ladder: Ladder) -> None:
    """Staying at level: the same-level track; toward a level a track claims: that track; else the ladder's."""
    tracks = (TalkTrack(_readout("mgmt"), ("manager",)), TalkTrack(_readout("stay"), same_level=True),
              TalkTrack(_readout("also-mgmt"), ("manager", "director")))
    mine = replace(ladder, talk_tracks=tracks, readout=_readout("ic"))
    assert mine.readout_for("senior", "manager").id == "mgmt"
    assert mine.readout_for("principal", "director").id == "also-mgmt"
    assert mine.readout_for("manager", "manager").id == "stay"
    assert mine.readout_for("core", "senior").id == "ic"
    only_targets = replace(mine, talk_tracks=tracks[:1] + tracks[2:])
    assert only_targets.readout_for("manager", "manager").id == "ic"  # a track toward a level never serves staying
    assert [ladder.readout_for(a, b).id for a, b in (("senior", "manager"), ("manager", "director"),
                                                    ("senior", "senior"), ("core", "senior"))] == [
        "management", "director", "at_level", "ic"]


def test_a_read_out_label_is_known_by_its_id_over_every_talk_track(ladder: Ladder) -> None:
    mine = replace(ladder, readout=_readout("ic", "why", "when"),
                   talk_tracks=(TalkTrack(Readout((ReadoutField("why", "Other", FieldKind.TEXT),
                                                   ReadoutField("team", "Team", FieldKind.TEXT)), "", "", "m"),
                                          ("manager",)),))
    assert mine.readout_labels() == {"why": "Why", "when": "When", "team": "Team"}


def _criterion(cid: str, floor: int | None = None, caps: str = "", **more: object) -> Criterion:
    return Criterion(cid, "C", "text", "anchor", floor=floor, caps=caps, **more)  # type: ignore[arg-type]


def test_a_must_have_under_its_floor_keeps_readiness_out_of_the_bands_it_blocks(ladder: Ladder) -> None:
    bands = (Band("Ready", 0.85, must_haves=True), Band("Strong", 0.75, must_haves=True), Band("Close", 0.65),
             Band("Developing", 0.0))
    mine = replace(ladder, bands=bands)
    assert mine.blocked_bands(_criterion("a")) == frozenset()
    assert mine.blocked_bands(_criterion("a", 2)) == {"Ready", "Strong"}
    assert mine.blocked_bands(_criterion("a", 2, caps="Strong")) == {"Ready"}
    assert mine.blocked_bands(_criterion("a", 2, caps="Close")) == {"Ready", "Strong"}
    assert mine.blocked_bands(_criterion("a", 2, caps="Developing")) == {"Ready", "Strong", "Close"}
    assert mine.blocked_bands(_criterion("a", 0)) == {"Ready", "Strong"}  # a floor of 0 is a floor
    rubric = Rubric("x", "X", (_criterion("a", 2), _criterion("b"), _criterion("c", 0)))
    assert [c.id for c in mine.must_haves(rubric)] == ["a", "c"]


def test_a_level_is_found_by_its_id(ladder: Ladder) -> None:
    assert ladder.level("principal").name == "Principal SE"
    assert ladder.level(ladder.levels[-1].id) is ladder.levels[-1]
    with pytest.raises(KeyError, match="astronaut"):
        ladder.level("astronaut")


def test_coaching_questions_are_the_criterions_own_else_its_skill_groups(ladder: Ladder) -> None:
    groups = (SkillGroup("ei", "EI", "", ("How did they take it?",)), SkillGroup("biz", "Business", ""))
    mine = replace(ladder, skill_groups=groups)
    assert mine.coaching_for(_criterion("a", coaching=("Own?",), skill_group="ei")) == ("Own?",)
    assert mine.coaching_for(_criterion("a", skill_group="ei")) == ("How did they take it?",)
    assert mine.coaching_for(_criterion("a", skill_group="biz")) == ()
    assert mine.coaching_for(_criterion("a", skill_group="none")) == ()
    assert mine.coaching_for(_criterion("a")) == ()


# ---- a roster -----------------------------------------------------------------------------------------------


def _roster(return_to: str = "", manager_to: str = "") -> Roster:
    managers = (Manager("m1", "Amara", "Amara@X.example", "East", manager_to), Manager("m2", "Dan", "dan@x.example", "W"))
    people = (Person("p1", "Ana", "ana@x.example", "core", "senior", "m1"),
              Person("p2", "Bo", "bo@x.example", "core", "senior", "m2"),
              Person("p3", "Cy", "cy@x.example", "core", "senior", "gone"))
    return Roster("Org", managers, people, return_to=return_to)


def test_each_se_has_their_manager() -> None:
    roster = _roster()
    assert [roster.manager_of(p).name for p in roster.people[:2]] == ["Amara", "Dan"]
    with pytest.raises(KeyError, match="gone"):
        roster.manager_of(roster.people[2])


@pytest.mark.parametrize(("roster_to", "manager_to", "address"), [
    ("", "", "Amara@X.example"), ("se-ops@x.example", "", "se-ops@x.example"),
    ("se-ops@x.example", "east@x.example", "east@x.example"), ("", "east@x.example", "east@x.example")])
def test_a_workbook_goes_back_to_the_managers_return_address_else_the_rosters_else_the_manager(
        roster_to: str, manager_to: str, address: str) -> None:
    roster = _roster(roster_to, manager_to)
    assert roster.return_address(roster.people[0]) == address


def test_the_managers_side_is_every_address_that_speaks_for_them_in_lower_case() -> None:
    assert _roster().manager_side(_roster().people[0]) == {"amara@x.example"}
    both = _roster("SE-Ops@x.example", "East@x.example")
    assert both.manager_side(both.people[0]) == {"amara@x.example", "east@x.example", "se-ops@x.example"}
    assert both.manager_side(both.people[1]) == {"dan@x.example", "se-ops@x.example"}


# ---- what came back -----------------------------------------------------------------------------------------


def test_a_score_reads_as_a_number_a_blank_or_not_observed() -> None:
    assert (CriterionInput(2.0, 3.0).self_value, CriterionInput(2.0, 3.0).manager_value) == (2.0, 3.0)
    assert (CriterionInput().self_value, CriterionInput().manager_value) == (None, None)
    na = CriterionInput(self_not_observed=True, manager_not_observed=True)
    assert (na.self_value, na.manager_value) == (NOT_OBSERVED, NOT_OBSERVED)
    assert CriterionInput(1.0, manager_not_observed=True).self_value == 1.0
    assert CriterionInput(None, 1.0, self_not_observed=True).manager_value == 1.0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"self_score": 2.0, "self_not_observed": True}, "a self score and n/o at once"),
    ({"manager_score": 2.0, "manager_not_observed": True}, "a manager score and n/o at once")])
def test_a_score_and_not_observed_at_once_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(AssertionError, match=f"^{message}$"):
        CriterionInput(**kwargs)  # type: ignore[arg-type]
