"""core.agenda: what a manager works on with each SE, where they disagree, and what to ask.

The tests build their own ladders with coaching questions: the shipped ladder may or may not carry them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.agenda import DISPUTES_SHOWN, agenda, milestone_field
from ladder_sheets.core.model import CriterionInput, Inputs, Ladder, MetricInput, PivotInput
from ladder_sheets.core.model import Roster
from ladder_sheets.core.results import PersonInfo, PersonResult, Status
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


@pytest.mark.parametrize(("interest", "signal", "progress", "flag"), [
    ((3, 0, 0, 0, 0), False, (0, 3, 3, 3, 3), "high interest in {0}, low readiness (0%)"),
    ((1, 0, 0, 0, 0), True, (3, 3, 3, 3, 3), ""),
    ((1, 0, 0, 0, 0), False, (0, 3, 0, 0, 0), "most interested in {0}, most ready for {1}"),
    ((0, 0, 0, 0, 0), True, (3, 0, 0, 0, 0), "yet 100% ready for {0}"),
])
def test_the_pivot_flag_says_where_interest_and_readiness_point_different_ways(
        ladder: Ladder, interest: tuple[int, ...], signal: bool, progress: tuple[int, ...], flag: str) -> None:
    pivots = {p.id: PivotInput(float(i), signal if k == 0 else k == 1, float(g))
              for k, (p, i, g) in enumerate(zip(ladder.pivots, interest, progress))}
    view = agenda(ladder, _result(ladder, {}, pivots=pivots)).pivot
    assert view is not None
    names = [p.name for p in ladder.pivots]
    assert view.flag.startswith(flag.format(*names).split(" (")[0])


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
