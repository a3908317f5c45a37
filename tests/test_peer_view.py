"""What the agenda and the packet may show of an SE's AE and peer input, by the ladder's peer_input. No I/O."""

from __future__ import annotations

import dataclasses

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.peer_view import PeerView, peer_view
from ladder_sheets.core.raters import Attribution, PeerAnswer, PeerSettings, RaterRole
from ladder_sheets.core.results import PersonResult
from ladder_sheets.core.scoring import readiness
from tests.support.results import inputs_for, results_for

TOMAS = "tomas-novak"  # Core SE -> Senior SE: five peer-rated criteria on the Senior rubric


def _tomas(ladder: Ladder, roster: Roster, answers: list[PeerAnswer]) -> PersonResult:
    results = results_for(ladder, roster, {TOMAS: inputs_for(ladder, "senior", 2, 2)})
    return dataclasses.replace(next(p for p in results.people if p.person.id == TOMAS), peers=tuple(answers))


def _answer(ladder: Ladder, n: int, scores: list[float], spot: str, role: RaterRole = RaterRole.AE,
            not_observed: tuple[str, ...] = ()) -> PeerAnswer:
    ids = [c.id for c in ladder.peer_criteria("senior")]
    ratings = {cid: s for cid, s in zip(ids, scores) if cid not in not_observed}
    return PeerAnswer(f"r{n}@x.example", f"Rater {n}", role, ratings, not_observed, spot)


def _with(ladder: Ladder, **settings: object) -> Ladder:
    return dataclasses.replace(ladder, peer_input=dataclasses.replace(PeerSettings(), **settings))


@pytest.mark.parametrize(("raters", "shown"), [(0, False), (1, False), (2, False), (3, True), (4, True)])
def test_anonymous_input_is_shown_only_from_min_raters_up(ladder: Ladder, roster: Roster, raters: int,
                                                          shown: bool) -> None:
    answers = [_answer(ladder, n, [2, 2, 2, 2, 2], f"spot {n}") for n in range(raters)]
    view = peer_view(ladder, _tomas(ladder, roster, answers), asked=4)
    assert (view.shown, view.answered, view.asked) == (shown, raters, 4)
    if not shown:
        assert view == PeerView(4, raters, note="fewer than 3 raters: not shown")  # nothing else leaks
    else:
        assert [line.mean for line in view.lines] == [2.0] * 5 and all(line.n == raters for line in view.lines)
        assert view.raters == () and all(b.who == "" for b in view.blind_spots)


def test_a_criterion_too_few_rated_shows_no_mean_and_answers_come_sorted(ladder: Ladder, roster: Roster) -> None:
    """Three raters answered, but only one rated SR-01 (two marked it n/o): one rating is one person's."""
    first = ladder.peer_criteria("senior")[0].id
    answers = [_answer(ladder, 0, [3, 3, 1, 2, 0], "Zero follow-up after demos."),
               _answer(ladder, 1, [0, 2, 1, 2, 0], "Avoids the CFO.", RaterRole.PEER, (first,)),
               _answer(ladder, 2, [0, 1, 1, 2, 0], "", RaterRole.AE, (first,))]
    view = peer_view(ladder, _tomas(ladder, roster, answers), asked=3)
    line = view.lines[0]
    assert (line.mean, line.n, line.not_observed, line.note) == (None, 1, 2, "fewer than 3 ratings: not shown")
    assert [x.mean for x in view.lines[1:]] == [2.0, 1.0, 2.0, 0.0]
    assert [b.text for b in view.blind_spots] == ["Avoids the CFO.", "Zero follow-up after demos."]
    assert view.roles == "2 AEs, 1 peer"


def test_attributed_input_names_each_rater_from_one_up(ladder: Ladder, roster: Roster) -> None:
    lad = _with(ladder, attribution=Attribution.ATTRIBUTED)
    first = ladder.peer_criteria("senior")[0].id
    answers = [_answer(lad, 0, [3, 2, 1, 0, 2], "Talks too fast."),
               _answer(lad, 1, [0, 1, 1, 1, 1], "Avoids the CFO.", RaterRole.PEER, (first,))]
    view = peer_view(lad, _tomas(lad, roster, answers), asked=2)
    assert view.shown and view.raters == ("Rater 0 (AE)", "Rater 1 (peer)")
    assert [line.by_rater for line in view.lines] == [("3", "n/o"), ("2", "1"), ("1", "1"), ("0", "1"), ("2", "1")]
    assert [line.mean for line in view.lines] == [3.0, 1.5, 1.0, 0.5, 1.5]
    assert [(b.text, b.who) for b in view.blind_spots] == [("Talks too fast.", "Rater 0 (AE)"),
                                                            ("Avoids the CFO.", "Rater 1 (peer)")]


def test_in_readiness_shows_a_readiness_with_peer_input_and_leaves_the_band(ladder: Ladder, roster: Roster) -> None:
    """The manager scored every criterion 2; three raters gave 3 on each peer-rated one: those count 2.5."""
    lad = _with(ladder, in_readiness=True)
    result = _tomas(lad, roster, [_answer(lad, n, [3, 3, 3, 3, 3], "") for n in range(3)])
    view = peer_view(lad, result, asked=3)
    rubric = lad.rubric_for("senior")
    want = readiness([2.5 if c.peer_rated else 2.0 for c in rubric.criteria], [c.weight for c in rubric.criteria],
                     lad.scale.max, lad.not_observed.min_share)
    assert view.with_peers == pytest.approx(want) and want is not None and want > 2 / 3
    assert result.scores is not None and result.scores.manager_pct == pytest.approx(2 / 3)  # the readiness itself
    assert peer_view(ladder, result, asked=3).with_peers is None  # off by default


def test_nobody_asked_and_nothing_answered_says_nothing(ladder: Ladder, roster: Roster) -> None:
    assert peer_view(ladder, _tomas(ladder, roster, []), asked=0) == PeerView()


def test_the_note_counts_the_raters_needed(ladder: Ladder, roster: Roster) -> None:
    two = _with(ladder, min_raters=2, in_readiness=True)
    view = peer_view(two, _tomas(two, roster, [_answer(two, 0, [2, 2, 2, 2, 2], "")]), asked=2)
    assert (view.note, view.shown, view.in_readiness) == ("fewer than 2 raters: not shown", False, True)
    named = _with(ladder, attribution=Attribution.ATTRIBUTED)
    view = peer_view(named, _tomas(named, roster, []), asked=2)
    assert (view.note, view.attributed) == ("fewer than 1 rater: not shown", True)


def test_a_shown_view_says_who_rated_what_and_nothing_left_blank(ladder: Ladder, roster: Roster) -> None:
    """Anonymous: no names, no per-rater column; a criterion rated by all has no note, one rated by none neither;
    a rater who left a criterion blank shows a dash beside it when attributed."""
    lad = _with(ladder, in_readiness=True)
    crit = ladder.peer_criteria("senior")
    answers = [_answer(lad, 0, [2, 2, 2, 2], "", RaterRole.AE), _answer(lad, 1, [2, 2, 2, 2], "", RaterRole.PEER),
               _answer(lad, 2, [2, 2, 2, 2], "", RaterRole.PEER)]
    view = peer_view(lad, _tomas(lad, roster, answers), asked=3)
    assert (view.shown, view.attributed, view.note, view.in_readiness, view.roles) == (True, False, "", True,
                                                                                      "1 AE, 2 peers")
    assert [(x.criterion, x.note, x.by_rater) for x in view.lines] == [(c.text, "", ()) for c in crit]
    assert view.lines[-1].n == 0 and view.lines[-1].mean is None
    named = _with(ladder, attribution=Attribution.ATTRIBUTED)
    view = peer_view(named, _tomas(named, roster, answers[:1]), asked=1)
    assert view.lines[-1].by_rater == ("—",)



def test_a_criterion_missing_from_the_workbook_leaves_no_readiness_with_peer_input(ladder: Ladder,
                                                                                  roster: Roster) -> None:
    lad = _with(ladder, in_readiness=True)
    result = _tomas(lad, roster, [_answer(lad, n, [3, 3, 3, 3, 3], "") for n in range(3)])
    assert result.inputs is not None
    first = lad.rubric_for("senior").criteria[0].id
    short = dataclasses.replace(result, inputs=dataclasses.replace(result.inputs, criteria={
        k: v for k, v in result.inputs.criteria.items() if k != first}))
    assert peer_view(lad, short, asked=3).with_peers is None  # not scored, as a blank
