"""core.peer_input: whose peer workbook is used, and what each SE's raters answered (pure: outcomes in memory).

Each case is the peer workbooks collect found (``FileOutcome`` of kind "Peer input": from whom, how
they came, the part each gives an SE), passed to ``gather``: who is trusted, which workbook is used,
whose problems are whose. test_peer_read reads real peer workbooks into such outcomes.
"""

from __future__ import annotations

import dataclasses

import pytest

from ladder_sheets.core.kinds import MANAGER_REVIEW, PEER_INPUT
from ladder_sheets.core.model import Inputs, Roster
from ladder_sheets.core.outcomes import FileOutcome, Part, Via
from ladder_sheets.core.peer_input import gather, refusal
from ladder_sheets.core.raters import PeerAnswer, Rater, RaterRole
from ladder_sheets.core.results import Kind, Problem, RaterResult, Severity, Status

DANA = "dana.ross@apex-cloud.example"  # the AE of Leticia and Tomáš
PRIYA = "priya.raman@apex-cloud.example"  # Tomáš's peer
GRACE = "grace.liu@apex-cloud.example"
SOFIA = "sofia.lindqvist@apex-cloud.example"


def _answer(rater: str, name: str, score: float = 2.0) -> PeerAnswer:
    return PeerAnswer(rater, name, RaterRole.AE, {"SR-01": score})


def _peer(file: str, author: str, *, mtime: float = 1.0, via: Via = Via.FILE, sender: str = "",
          preferred: bool = True, people: tuple[str, ...] = ("leticia-moreno", "tomas-novak"), score: float = 2.0,
          problems: tuple[Problem, ...] = (), part_problems: tuple[Problem, ...] = (),
          blank: bool = False) -> FileOutcome:
    """A peer workbook of ``author`` rating ``people`` (each ``score`` on SR-01; nothing with ``blank``)."""
    parts = tuple(Part(PEER_INPUT, pid, author, Inputs(), problems=part_problems if i == 0 else (),
                       peer=PeerAnswer(author, "R", RaterRole.AE) if blank else _answer(author, "R", score))
                  for i, pid in enumerate(people))
    return FileOutcome(file, mtime, "", preferred, problems, via=via, sender=sender, kind=PEER_INPUT,
                       parts=parts, author=author)


def _results(roster: Roster, outcomes: list[FileOutcome]) -> dict[str, RaterResult]:
    return {r.email: r for r in gather(roster, outcomes).raters}


def test_every_rater_of_the_roster_is_missing_without_a_workbook(review_roster: Roster) -> None:
    gathered = gather(review_roster, [])
    assert gathered.answers == {}
    assert [(r.email, r.name, r.status, r.file, r.rates, r.problems) for r in gathered.raters] == [
        (DANA, "Dana Ross", Status.MISSING, "", ("leticia-moreno", "tomas-novak"), ()),
        (GRACE, "Grace Liu", Status.MISSING, "", ("leticia-moreno",), ()),
        (SOFIA, "Sofia Lindqvist", Status.MISSING, "", ("leticia-moreno",), ()),
        (PRIYA, "Priya Raman", Status.MISSING, "", ("tomas-novak",), ())]


def test_a_rater_s_workbook_gives_each_se_its_answers(review_roster: Roster) -> None:
    gathered = gather(review_roster, [_peer("dana.xlsx", DANA)])
    assert gathered.answers == {"leticia-moreno": (_answer(DANA, "R"),), "tomas-novak": (_answer(DANA, "R"),)}
    dana = next(r for r in gathered.raters if r.email == DANA)
    assert (dana.name, dana.status, dana.file, dana.rates, dana.problems) == (
        "Dana Ross", Status.COMPLETE, "dana.xlsx", ("leticia-moreno", "tomas-novak"), ())


def test_answers_of_two_raters_are_kept_in_roster_order(review_roster: Roster) -> None:
    gathered = gather(review_roster, [_peer("priya.xlsx", PRIYA, people=("tomas-novak",), score=1.0),
                                      _peer("dana.xlsx", DANA)])
    assert gathered.answers["tomas-novak"] == (_answer(DANA, "R"), _answer(PRIYA, "R", 1.0))


def test_workbooks_of_other_kinds_or_of_nobody_s_rater_are_left_alone(review_roster: Roster) -> None:
    review = dataclasses.replace(_peer("r.xlsx", DANA), kind=MANAGER_REVIEW)
    stranger = _peer("x.xlsx", "someone@else.example")
    gathered = gather(review_roster, [review, stranger])
    assert gathered.answers == {} and all(r.status is Status.MISSING for r in gathered.raters)


def test_the_newest_trusted_workbook_is_used_and_the_other_noted(review_roster: Roster) -> None:
    dana = _results(review_roster, [_peer("old.xlsx", DANA, mtime=1.0, score=1.0),
                                    _peer("new.xlsx", DANA, mtime=2.0, score=3.0)])[DANA]
    assert (dana.file, dana.status) == ("new.xlsx", Status.COMPLETE)
    assert dana.problems == (Problem("old.xlsx", "", "", Kind.DUPLICATE, "another peer workbook of Dana Ross's: "
                                     "new.xlsx was used (newer) and this one not", Severity.NOTE),)
    assert gather(review_roster, [_peer("old.xlsx", DANA, mtime=1.0, score=1.0),
                                  _peer("new.xlsx", DANA, mtime=2.0, score=3.0)]).answers["tomas-novak"][0].ratings \
        == {"SR-01": 3.0}


def test_of_two_modified_at_once_the_last_by_name_is_used(review_roster: Roster) -> None:
    assert _results(review_roster, [_peer("b.xlsx", DANA), _peer("a.xlsx", DANA)])[DANA].file == "b.xlsx"


def test_this_quarter_s_workbook_is_used_over_a_newer_one_of_another(review_roster: Roster) -> None:
    dana = _results(review_roster, [_peer("q4.xlsx", DANA, mtime=1.0),
                                    _peer("q3.xlsx", DANA, mtime=5.0, preferred=False)])[DANA]
    assert dana.file == "q4.xlsx"
    only_old = _results(review_roster, [_peer("q3.xlsx", DANA, mtime=5.0, preferred=False)])[DANA]
    assert only_old.file == "q3.xlsx"


def test_the_workbook_s_and_its_parts_problems_are_the_rater_s(review_roster: Roster) -> None:
    whole = Problem("dana.xlsx", "Leticia", "C5", Kind.OUT_OF_RANGE, "expected 0-3, found 4")
    part = Problem("dana.xlsx", "Leticia", "D9", Kind.TOO_LONG, "too long", Severity.INCOMPLETE)
    dana = _results(review_roster, [_peer("dana.xlsx", DANA, problems=(whole,), part_problems=(part,))])[DANA]
    assert dana.problems == (whole, part) and dana.status is Status.INVALID


def test_a_blank_workbook_is_said_to_have_come_back_blank(review_roster: Roster) -> None:
    gathered = gather(review_roster, [_peer("dana.xlsx", DANA, blank=True)])
    dana = next(r for r in gathered.raters if r.email == DANA)
    assert dana.problems == (Problem("dana.xlsx", "", "", Kind.NOT_STARTED, "Dana Ross's peer workbook came back "
                                     "blank: nothing rated and no answer to the question", Severity.INCOMPLETE),)
    assert dana.status is Status.INCOMPLETE and gathered.answers == {}


def test_a_workbook_without_parts_says_nothing_of_being_blank(review_roster: Roster) -> None:
    dana = _results(review_roster, [_peer("dana.xlsx", DANA, people=())])[DANA]
    assert dana.problems == () and dana.status is Status.COMPLETE


def test_an_email_from_the_rater_s_own_address_is_trusted(review_roster: Roster) -> None:
    dana = _results(review_roster, [_peer("m.xlsx", DANA, via=Via.EMAIL, sender=DANA)])[DANA]
    assert (dana.file, dana.problems) == ("m.xlsx", ())


def test_an_email_from_another_address_is_refused_and_said_why(review_roster: Roster) -> None:
    gathered = gather(review_roster, [_peer("m.xlsx", DANA, via=Via.EMAIL, sender="eve@evil.example")])
    dana = next(r for r in gathered.raters if r.email == DANA)
    assert gathered.answers == {}
    assert (dana.file, dana.status) == ("", Status.INVALID)
    assert dana.problems == (Problem("m.xlsx", "", "", Kind.NOT_FROM_RATER, "this peer workbook of Dana Ross's came "
                                     "from eve@evil.example, not from their address (dana.ross@apex-cloud.example), "
                                     "so its answers were not used: Dana Ross sends it from their own address",
                                     Severity.ERROR),)


def test_a_refused_email_beside_a_trusted_workbook_is_only_a_note(review_roster: Roster) -> None:
    dana = _results(review_roster, [_peer("m.xlsx", DANA, via=Via.EMAIL, sender="", mtime=9.0),
                                    _peer("ok.xlsx", DANA)])[DANA]
    assert dana.file == "ok.xlsx" and dana.status is Status.COMPLETE
    (note,) = dana.problems
    assert (note.kind, note.severity) == (Kind.NOT_FROM_RATER, Severity.NOTE)
    assert "came from no sender, not from their address" in note.message


@pytest.mark.parametrize(("via", "sender", "return_to", "refused"), [
    (Via.FILE, "", "", False),
    (Via.GOOGLE, "x@y.example", "", False),
    (Via.EMAIL, DANA, "", False),
    (Via.EMAIL, "se-ops@apex-cloud.example", "SE-Ops@apex-cloud.example", False),
    (Via.EMAIL, "se-ops@apex-cloud.example", "", True),
    (Via.EMAIL, "", "", True),
])
def test_refusal_trusts_the_rater_and_the_return_address(review_roster: Roster, via: Via, sender: str,
                                                         return_to: str, refused: bool) -> None:
    roster = dataclasses.replace(review_roster, return_to=return_to)
    rater = Rater("Dana Ross", "Dana.Ross@apex-cloud.example")
    why = refusal(roster, rater, FileOutcome("m.xlsx", 1.0, via=via, sender=sender))
    assert bool(why) is refused


def test_the_refusal_names_the_return_address_when_there_is_one(review_roster: Roster) -> None:
    roster = dataclasses.replace(review_roster, return_to="se-ops@apex-cloud.example")
    why = refusal(roster, Rater("Dana Ross", DANA), FileOutcome("m.xlsx", 1.0, via=Via.EMAIL, sender="x@y.example"))
    assert why == ("this peer workbook of Dana Ross's came from x@y.example, not from their address "
                   f"({DANA}) or the return address (se-ops@apex-cloud.example), so its answers were not used: "
                   "Dana Ross sends it from their own address")
