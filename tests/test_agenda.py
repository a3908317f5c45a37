"""core.agenda: what a manager works on with each SE, where they disagree, and what to ask.

The tests build their own ladders with coaching questions: the shipped ladder may or may not carry them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.agenda import CHANCE, DISPUTES_SHOWN, PivotView, agenda, milestone_field
from ladder_sheets.core.model import NO_PIVOT_INTEREST, CriterionInput, Inputs, Ladder, MetricInput, PivotInput
from ladder_sheets.core.model import Roster
from ladder_sheets.core.results import Kind, ManagerSource, PersonInfo, PersonResult, Problem, ScoredBy, Severity
from ladder_sheets.core.results import Status
from ladder_sheets.workflows.report import build_report
from tests.support.ladders import coached
from tests.support.results import inputs_for, results_for

INFO = PersonInfo("ana", "Ana", "ana@example.com", "core", "Core SE", "senior", "Senior SE", "m1", "Mo", "mo@example.com",
                  "East")




def _result(ladder: Ladder, scores: dict[str, tuple[float | None, float | None]], *, pivots: dict[str, PivotInput] | None
            = None, milestones: str = "win two POCs", default: tuple[float, float] = (3, 3)) -> PersonResult:
    rubric = ladder.rubric_for("senior")
    inputs = Inputs(
        criteria={c.id: CriterionInput(*scores.get(c.id, default), f"evidence {c.id}") for c in rubric.criteria},
        metrics={m.id: MetricInput(1.0) for m in ladder.metrics},
        pivots=pivots or {p.id: PivotInput(1, True, 3) for p in ladder.pivots},
        track_preference=ladder.track_options[0],
        # The milestones field is on the growth talk track (the IC one ends on the SE's question).
        readout={**{f.id: "x" for f in ladder.readout.fields}, milestone_field(ladder): milestones},
    )
    return PersonResult(INFO, Status.COMPLETE, "a.xlsx", inputs, scoring.score(ladder, rubric, inputs))


def test_priorities_are_the_largest_weighted_shortfalls_with_their_question(ladder: Ladder) -> None:
    lad = coached(ladder)
    crit = list(lad.rubric_for("senior").criteria)
    # Rows where the weights and the row order disagree: light, heavy, light, heavy (weights 1, 2, 1, 2).
    light = next(c for c in crit if c.weight == 1)
    heavy = next(c for c in crit[crit.index(light):] if c.weight > 1)
    light2 = next(c for c in crit[crit.index(heavy):] if c.weight == 1)
    heavy2 = next(c for c in crit[crit.index(light2):] if c.weight > 1)
    assert (light.weight, heavy.weight, light2.weight, heavy2.weight) == (1, 2, 1, 2)
    # The manager scored each of them 2: one short of the top (3) each, so row order alone would give light,
    # heavy, light2; weighted, heavy and heavy2 (twice as short) lead. (A heavy one here is a must-have at its
    # minimum, not under it: must-haves under their minimum would come first for that reason.) The SE gave
    # themselves 3 throughout: priorities follow the manager's scores.
    got = agenda(lad, _result(lad, {c.id: (3, 2) for c in (light, heavy, light2, heavy2)}))
    assert [f.criterion_id for f in got.priorities] == [heavy.id, heavy2.id, light.id]
    for f in got.priorities:
        c = next(x for x in crit if x.id == f.criterion_id)
        assert f.question == (lad.coaching_for(c)[0] if lad.coaching_for(c) else "")
        assert f.evidence == f"evidence {c.id}" and f.criterion == c.text


def test_only_three_priorities_and_none_when_everything_is_at_the_top(ladder: Ladder) -> None:
    crit = ladder.rubric_for("senior").criteria
    assert agenda(ladder, _result(ladder, {})).priorities == ()
    assert len(agenda(ladder, _result(ladder, {c.id: (1, 1) for c in crit})).priorities) == 3


def test_a_criterion_falls_back_to_its_skill_groups_question(ladder: Ladder) -> None:
    lad = coached(ladder)
    plain = next(c for i, c in enumerate(lad.rubric_for("senior").criteria) if not c.coaching and c.skill_group)
    got = agenda(lad, _result(lad, {plain.id: (0, 0)}))
    group = next(g for g in lad.skill_groups if g.id == plain.skill_group)
    assert got.priorities[0].question == f"Where did {group.name} show this quarter?"
    assert got.priorities[0].skill_group == group.name


def test_a_ladder_without_coaching_questions_still_gives_an_agenda(ladder: Ladder) -> None:
    bare = replace(ladder, skill_groups=tuple(replace(g, coaching=()) for g in ladder.skill_groups),
                   rubrics={k: replace(r, criteria=tuple(replace(c, coaching=()) for c in r.criteria))
                            for k, r in ladder.rubrics.items()})
    first = bare.rubric_for("senior").criteria[0]
    got = agenda(bare, _result(bare, {first.id: (0, 1)}))
    assert got.priorities[0].criterion_id == first.id and got.priorities[0].question == ""


def test_disputes_are_two_or_more_apart_widest_first_and_capped(ladder: Ladder) -> None:
    crit = ladder.rubric_for("senior").criteria
    scores: dict[str, tuple[float | None, float | None]] = {crit[0].id: (3, 1), crit[1].id: (0, 3), crit[2].id: (3, 2),
                                                            crit[3].id: (None, 0)}
    got = agenda(ladder, _result(ladder, scores))
    assert {f.criterion_id for f in got.disputes} == {crit[0].id, crit[1].id} and got.more_disputes == 0
    assert got.disputes[0].criterion_id == crit[1].id or crit[1].weight * 3 < crit[0].weight * 2
    many = agenda(ladder, _result(ladder, {c.id: (3, 0) for c in crit}))
    assert len(many.disputes) == DISPUTES_SHOWN and many.more_disputes == len(crit) - DISPUTES_SHOWN


def test_milestones_last_quarter_next_to_this_quarters(ladder: Ladder) -> None:
    before = _result(ladder, {}, milestones="lead the Acme renewal POC")
    got = agenda(ladder, _result(ladder, {}, milestones="present at the QBR"), before)
    assert (got.milestones_before, got.milestones_now) == ("lead the Acme renewal POC", "present at the QBR")
    assert agenda(ladder, _result(ladder, {})).milestones_before == ""


PM, CS = 0, 1  # the first two pivots of the shipped ladder (Product Management, Customer Success)
T, F = True, False


@pytest.mark.parametrize(("interest", "signal", "progress", "view"), [
    # Interest of 2 or more in a pivot under half ready: flagged with its readiness (2 of 6 points: 33 %).
    ((2, 0, 0, 0, 0), (F, T, F, F, F), (2, 3, 3, 3, 3),
     (PM, 2 / 6, CS, "high interest in {PM}, low readiness (33%)")),
    # Exactly half ready is not low: the pivot readier than it is named instead.
    ((2, 0, 0, 0, 0), (T, T, F, F, F), (0, 3, 0, 0, 0),
     (PM, 0.5, CS, "most interested in {PM}, most ready for {CS} (100%)")),
    # Interest and readiness agree: on a tie the first pivot is the most ready, the one of interest.
    ((1, 0, 0, 0, 0), (T, T, T, T, T), (3, 3, 3, 3, 3), (PM, 1.0, None, "")),
    ((1, 0, 0, 0, 0), (F, T, F, F, F), (0, 2, 0, 0, 0),
     (PM, 0.0, CS, "most interested in {PM}, most ready for {CS} (83%)")),
    ((1, 0, 0, 0, 0), (F, T, F, F, F), (0, 0, 0, 0, 0),
     (PM, 0.0, CS, "most interested in {PM}, most ready for {CS} (50%)")),
    # Another pivot readier, but under half ready: named, not flagged.
    ((1, 0, 0, 0, 0), (F, F, F, F, F), (0, 2, 0, 0, 0), (PM, 0.0, CS, "")),
    # As ready for another pivot as for the one of interest: nothing points a different way.
    ((0, 1, 0, 0, 0), (T, T, F, F, F), (3, 3, 0, 0, 0), (CS, 1.0, PM, "")),
    # The pivot of interest not rated for readiness: any pivot half ready or more is named.
    ((1, 0, 0, 0, 0), (None, T, F, F, F), (0, 3, 0, 0, 0),
     (PM, None, CS, "most interested in {PM}, most ready for {CS} (100%)")),
])
def test_the_pivot_view_says_where_interest_and_readiness_point_different_ways(
        ladder: Ladder, interest: tuple[int, ...], signal: tuple[bool | None, ...], progress: tuple[int, ...],
        view: tuple[int, float | None, int | None, str]) -> None:
    names = [p.name for p in ladder.pivots]
    top, readiness, ready, flag = view
    got = agenda(ladder, _result(ladder, {}, pivots=_pivots(ladder, interest, signal, progress))).pivot
    assert got == PivotView(names[top], float(interest[top]), readiness, names[ready] if ready is not None else "",
                            flag.format(PM=names[PM], CS=names[CS]))


@pytest.mark.parametrize(("signal", "progress", "view"), [
    ((T, T, F, F, F), (3, 0, 0, 0, 0), (PM, "yet 100% ready for {PM}")),
    ((T, F, F, F, F), (0, 0, 0, 0, 0), (PM, "yet 50% ready for {PM}")),
    ((F, F, F, F, F), (2, 0, 0, 0, 0), (PM, "")),  # a third ready is not worth a flag
    ((None, None, None, None, None), (0, 0, 0, 0, 0), (None, "")),  # no readiness rated at all
])
def test_no_pivot_of_interest_still_names_the_readiest(ladder: Ladder, signal: tuple[bool | None, ...],
                                                       progress: tuple[int, ...], view: tuple[int | None, str]) -> None:
    names = [p.name for p in ladder.pivots]
    ready, flag = view
    got = agenda(ladder, _result(ladder, {}, pivots=_pivots(ladder, (0, 0, 0, 0, 0), signal, progress))).pivot
    assert got == PivotView(NO_PIVOT_INTEREST, 0.0, None, names[ready] if ready is not None else "",
                            flag.format(PM=names[PM]))


def _pivots(ladder: Ladder, interest: tuple[int, ...], signal: tuple[bool | None, ...],
            progress: tuple[int, ...]) -> dict[str, PivotInput]:
    """The first pivots answered as given; readiness is (3 for the signal + progress) / 6."""
    return {p.id: PivotInput(float(i), s, float(g)) for p, i, s, g in zip(ladder.pivots, interest, signal, progress)}


def test_open_items_in_plain_words_for_the_se_and_the_manager(ladder: Ladder) -> None:
    crit = ladder.rubric_for("senior").criteria
    got = agenda(ladder, _result(ladder, {crit[0].id: (None, 2), crit[1].id: (2, None), crit[2].id: (1, None)}))
    assert got.se_todo == (f"1 criterion not self-scored: {crit[0].text}",)
    assert got.manager_todo == f"2 criteria to score: {crit[1].text}, {crit[2].text}"
    missing = agenda(ladder, PersonResult(INFO, Status.MISSING))
    assert not missing.returned and missing.priorities == () and missing.pivot is None


def test_a_blank_workbook_is_one_fact_not_forty_lines(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    blank = Inputs(criteria={c.id: CriterionInput() for c in rubric.criteria},
                   metrics={m.id: MetricInput() for m in ladder.metrics},
                   pivots={p.id: PivotInput() for p in ladder.pivots}, readout={f.id: None for f in ladder.readout.fields})
    got = agenda(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", blank, scoring.score(ladder, rubric, blank)))
    assert got.blank and got.returned and got.priorities == () and got.disputes == ()


def test_nothing_scored_by_the_manager_is_one_short_line(ladder: Ladder) -> None:
    crit = ladder.rubric_for("senior").criteria
    got = agenda(ladder, _result(ladder, {c.id: (2, None) for c in crit}))
    assert got.manager_todo == f"score all {len(crit)} criteria"


def _to_manager(ladder: Ladder, scores: dict[str, float], *, track: str, level: str = "senior",
                target: str = "manager", asking: bool = False) -> PersonResult:
    """An SE at ``level`` scored for ``target`` with the top score but ``scores``, preferring ``track``."""
    rubric = ladder.rubric_for(target)
    inputs = Inputs(criteria={c.id: CriterionInput(scores.get(c.id, 3.0), scores.get(c.id, 3.0))
                              for c in rubric.criteria}, track_preference=track, asking_for_move=asking)
    info = replace(INFO, level=level, target_level=target)
    return PersonResult(info, Status.COMPLETE, "a.xlsx", inputs, scoring.score(ladder, rubric, inputs, level))


def test_must_haves_under_their_minimum_come_first_the_lowest_cap_first(ladder: Ladder) -> None:
    """MG-03 (weight 2) at 0 is the largest shortfall, yet "Enjoys mentoring" (MG-02, caps Developing) and
    "Coaches SEs" (MG-01, caps Close) under their minimum come first; a must-have at its minimum is marked."""
    got = agenda(ladder, _to_manager(ladder, {"MG-01": 1, "MG-02": 0, "MG-03": 0}, track="Management"))
    assert [(f.criterion_id, f.must_have) for f in got.priorities] == [
        ("MG-02", "must-have under its minimum of 2: the band is at most Developing"),
        ("MG-01", "must-have under its minimum of 2: the band is at most Close"), ("MG-03", "")]
    at_floor = agenda(ladder, _to_manager(ladder, {"MG-01": 2}, track="Management"))
    assert [(f.criterion_id, f.must_have) for f in at_floor.priorities] == [("MG-01", "must-have")]
    assert at_floor.priorities[0].question == ladder.coaching_for(ladder.rubric_for("manager").criteria[0])[0]


@pytest.mark.parametrize(("level", "target", "track", "asking", "flagged"), [
    ("senior", "manager", "Principal IC", False, True),  # the Leticia case
    ("senior", "manager", "Management", False, False),
    ("senior", "principal", "Management", False, True),  # no management level follows Principal
    ("core", "senior", "Management", False, False),  # Senior leads to SE Manager
    ("core", "senior", "Pivot", True, True),  # a pivot while asking for a promotion
    ("core", "senior", "Pivot", False, False),
    ("core", "core", "Pivot", False, False),
    ("senior", "manager", "Undecided", False, False),
])
def test_a_preferred_track_the_target_is_not_on_is_flagged(ladder: Ladder, level: str, target: str, track: str,
                                                           asking: bool, flagged: bool) -> None:
    got = agenda(ladder, _to_manager(ladder, {}, track=track, level=level, target=target, asking=asking))
    assert bool(got.track_flag) is flagged
    if flagged and track != "Pivot":
        name = ladder.level(target).name
        assert got.track_flag == (f"Prefers {track}, on the {name} rubric: ask which track they see themselves moving "
                                  f"toward, and whether {name} is the move to make")


def test_the_managers_email_carries_this_quarters_1_1s_and_the_flag(ladder: Ladder, roster: Roster,
                                                                      tmp_path: Path) -> None:
    """The documents' 1:1 directives reach managers (the yearly workshop in Q1 only), not leadership; the
    track flag sits beside the band and is counted at the top."""
    priya = next(p for p in roster.people if p.target_level == "manager")
    manager = roster.manager_of(priya).id
    workshop = next(d for d in ladder.directives.for_managers if "Career Mapping Workshop" in d)
    for quarter, shown in (("2026-Q4", False), ("2027-Q1", True)):
        inputs = {priya.id: replace(inputs_for(ladder, "manager", 3, 3), track_preference="Principal IC")}
        out = tmp_path / quarter
        files = {f.name: f for f in build_report(results_for(ladder, roster, inputs, quarter=quarter), ladder, out,
                                                 leadership=roster.leadership)}
        text = " ".join(files[f"manager-{manager}.txt"].read_text(encoding="utf-8").split())
        assert "THIS QUARTER'S 1:1s" in text and ladder.directives.for_managers[1] in text
        assert (workshop in text) is shown, quarter
        assert "[!] 1 SE prefers a track their target is not on (below)." in text
        assert "[!] Prefers Principal IC, on the SE Manager rubric" in text
        leadership = " ".join(files["leadership.txt"].read_text(encoding="utf-8").split())
        assert not any(d in leadership for d in ladder.directives.for_managers)
        assert all(d in leadership for d in ladder.directives.for_leadership)


def test_disputes_are_ordered_by_the_gap_times_the_weight(ladder: Ladder) -> None:
    """Two points apart on a weight-2 criterion (4) before three on a weight-1 one (3), before two on a
    weight-1 one (2) that comes earlier in the rubric; a manager's 0 counts as 0."""
    crit = ladder.rubric_for("senior").criteria
    light = [c for c in crit if c.weight == 1]
    heavy = next(c for c in crit if c.weight == 2)
    two_apart, three_apart = light[0], light[1]
    got = agenda(ladder, _result(ladder, {heavy.id: (0, 2), three_apart.id: (3, 0), two_apart.id: (3, 1)}))
    assert [f.criterion_id for f in got.disputes] == [heavy.id, three_apart.id, two_apart.id]


def test_must_haves_under_their_minimum_capping_alike_go_by_weighted_shortfall(ladder: Ladder) -> None:
    """SR-01 and SR-02 (weight 2 each) both cap the band at Close: the one scored 0 leads the one scored 1,
    whatever the rubric's order."""
    got = agenda(ladder, _result(ladder, {"SR-01": (3, 1), "SR-02": (3, 0)}))
    assert [f.criterion_id for f in got.priorities] == ["SR-02", "SR-01"]


def test_shortfalls_are_weight_times_the_points_missing(ladder: Ladder) -> None:
    """A weight-1 criterion scored 0 (3 points short) leads a weight-2 one scored 2 (2 by weight)."""
    crit = ladder.rubric_for("senior").criteria
    heavy = next(c for c in crit if c.weight == 2)  # a must-have at its minimum (2) is not under it
    light = next(c for c in crit if c.weight == 1 and c.floor is None)
    got = agenda(ladder, _result(ladder, {heavy.id: (3, 2), light.id: (3, 0)}))
    assert [f.criterion_id for f in got.priorities] == [light.id, heavy.id]


def test_a_must_have_at_the_top_score_is_not_marked(ladder: Ladder) -> None:
    got = agenda(ladder, _result(ladder, {"SR-01": (0, 3)}))
    assert [(f.criterion_id, f.must_have) for f in got.disputes] == [("SR-01", "")]


def test_a_criterion_missing_from_the_workbook_leaves_the_rest_on_the_agenda(ladder: Ladder) -> None:
    crit = ladder.rubric_for("senior").criteria
    result = _result(ladder, {crit[1].id: (3, 0)})
    assert result.inputs is not None
    inputs = replace(result.inputs, criteria={k: v for k, v in result.inputs.criteria.items() if k != crit[0].id})
    got = agenda(ladder, replace(result, inputs=inputs))
    assert [f.criterion_id for f in got.priorities] == [crit[1].id]


def test_criteria_not_observed_yet_ask_how_to_create_the_chance(ladder: Ladder) -> None:
    """Who could not observe each one, and its own question when it has one, else CHANCE (not its skill group's)."""
    lad = coached(ladder)
    crit = lad.rubric_for("senior").criteria
    own, plain, own2 = crit[1], crit[2], crit[3]  # coached(): odd criteria carry a question of their own
    result = _result(lad, {})
    assert result.inputs is not None
    criteria = {**result.inputs.criteria,
                own.id: CriterionInput(None, 2, self_not_observed=True),
                plain.id: CriterionInput(None, None, self_not_observed=True, manager_not_observed=True),
                own2.id: CriterionInput(3, None, manager_not_observed=True)}
    inputs = replace(result.inputs, criteria=criteria)
    got = agenda(lad, replace(result, inputs=inputs, scores=scoring.score(lad, lad.rubric_for("senior"), inputs)))
    assert [(f.criterion_id, f.skill_group, f.not_observed_by, f.question) for f in got.not_observed] == [
        (own.id, "", "self", own.coaching[0]), (plain.id, "", "self and manager", CHANCE),
        (own2.id, next(g.name for g in lad.skill_groups if g.id == own2.skill_group), "manager", own2.coaching[0])]


def test_who_scored_and_the_managers_recommendation_are_on_the_agenda(ladder: Ladder) -> None:
    refusal = "manager scores came from ana@example.com, not the manager"
    result = replace(_result(ladder, {}), scored_by=ManagerSource(ScoredBy.REVIEW, "review-mo.xlsx"),
                     recommendation="next cycle", why="two more POCs",
                     problems=(Problem("a.xlsx", "Scorecard", "H6", Kind.NOT_FROM_MANAGER, refusal, Severity.ERROR),))
    got = agenda(ladder, result)
    assert (got.scored_by, got.recommendation, got.why, got.refused) == (
        "Scored by Mo in their review (review-mo.xlsx)", "Next cycle", "two more POCs", (refusal,))
    assert agenda(ladder, replace(result, recommendation="")).recommendation == ""


def test_one_criterion_to_score_is_named_as_such(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    one = replace(ladder, rubrics={**ladder.rubrics, "senior": replace(rubric, criteria=rubric.criteria[:1])})
    got = agenda(one, _result(one, {rubric.criteria[0].id: (2, None)}))
    assert got.manager_todo == "score the criterion"
    two = replace(ladder, rubrics={**ladder.rubrics, "senior": replace(rubric, criteria=rubric.criteria[:2])})
    got = agenda(two, _result(two, {c.id: (2, None) for c in rubric.criteria[:2]}))
    assert got.manager_todo == "score all 2 criteria"


def test_a_workbook_still_out_has_no_agenda_even_with_scores(ladder: Ladder) -> None:
    """A review may have scored an SE whose workbook is out: nothing to work on until it comes back."""
    crit = ladder.rubric_for("senior").criteria
    got = agenda(ladder, replace(_result(ladder, {crit[0].id: (0, 0)}), status=Status.MISSING))
    assert (got.returned, got.priorities, got.disputes, got.pivot) == (False, (), (), None)


def test_milestones_come_from_the_milestones_field_blank_or_not(ladder: Ladder) -> None:
    assert milestone_field(ladder) == "milestones"
    result = _result(ladder, {})
    assert result.inputs is not None
    unanswered = replace(result, inputs=replace(result.inputs, readout={**result.inputs.readout, "milestones": None}))
    assert agenda(ladder, unanswered, unanswered).milestones_now == ""
    assert agenda(ladder, result, PersonResult(INFO, Status.MISSING)).milestones_before == ""


def _promotions(ladder: Ladder, **promotes_to: tuple[str, ...]) -> Ladder:
    return replace(ladder, levels=tuple(replace(lv, promotes_to=promotes_to.get(lv.id, lv.promotes_to))
                                        for lv in ladder.levels))


@pytest.mark.parametrize(("promotes_to", "flagged"), [
    ({"senior": ("principal",)}, True),  # from Core SE no management level follows any more
    ({"senior": ("manager", "principal")}, False),  # the order promotions are listed in does not matter
    ({"senior": ("principal",), "principal": ("senior",)}, True),  # a loop of IC levels ends
])
def test_management_preferred_on_an_ic_target_follows_every_promotion(
        ladder: Ladder, promotes_to: dict[str, tuple[str, ...]], flagged: bool) -> None:
    edited = _promotions(ladder, **promotes_to)
    got = agenda(edited, _to_manager(edited, {}, track="Management", level="core", target="core"))
    assert bool(got.track_flag) is flagged
