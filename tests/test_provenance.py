"""core.provenance: whose manager scores count, from which file, and what a person is told about the rest.

Each case is one person's files as collect found them (``FileOutcome``: how each came, from whom), passed
straight to ``with_manager``: the trust rules without building workbooks (test_review and test_review_mail
go through real ones).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.kinds import MANAGER_REVIEW, PEER_INPUT
from ladder_sheets.core.model import CriterionInput, Inputs, Ladder, Person, Roster
from ladder_sheets.core.outcomes import FileOutcome, Part, Via
from ladder_sheets.core.provenance import in_words, with_manager
from ladder_sheets.core.results import Kind, ManagerSource, PersonResult, Problem, ScoredBy, Severity, Status
from ladder_sheets.core.results import status_for
from tests.support.results import find_person, inputs_for

AMARA = "amara.okafor@apex-cloud.example"
TOMAS = "tomas.novak@apex-cloud.example"


def _tomas(roster: Roster) -> Person:
    return find_person(roster, "tomas-novak")


def _workbook(ladder: Ladder, person: Person, manager: float | None, *, via: Via = Via.EMAIL, sender: str = TOMAS,
              mtime: float = 1.0, file: str = "tomas.xlsx", preferred: bool = True) -> FileOutcome:
    """Tomáš's workbook: his self scores (2), the manager's column at ``manager`` (None: blank)."""
    inputs = inputs_for(ladder, person.target_level, 2, None if manager is None else int(manager))
    problems = () if manager is not None else (
        Problem(file, "Scorecard", "H6", Kind.AWAITING_MANAGER, "manager scores missing", Severity.INCOMPLETE),)
    return FileOutcome(file, mtime, person.id, preferred, problems, inputs,
                       scoring.score(ladder, ladder.rubric_for(person.target_level), inputs, person.level),
                       via=via, sender=sender)


def _review(ladder: Ladder, person: Person, score: float | None, *, author: str = "mgr-amara", sender: str = AMARA,
            via: Via = Via.EMAIL, mtime: float = 2.0, file: str = "review-mgr-amara.xlsx",
            problems: tuple[Problem, ...] = (), fields: bool = True, first: tuple[Part, ...] = ()) -> FileOutcome:
    """A manager's review holding ``score`` (None: left blank) and a comment on each of the SE's criteria; with
    ``fields``, a recommendation and why; ``first``: parts before the SE's."""
    criteria = {c.id: CriterionInput(manager_score=score, comment="" if score is None else f"on {c.id}")
                for c in ladder.rubric_for(person.target_level).criteria}
    part = Part(MANAGER_REVIEW, person.id, author, Inputs(criteria=criteria),
                {"recommendation": "next cycle", "why": "two more POCs"} if score is not None and fields else {},
                problems, sheet=person.name)
    return FileOutcome(file, mtime, via=via, sender=sender, kind=MANAGER_REVIEW, parts=(*first, part), author=author)


def _collect(ladder: Ladder, roster: Roster, workbooks: list[FileOutcome], reviews: list[FileOutcome] = [],
             person: Person | None = None) -> PersonResult:
    """What collect gives the SE (Tomáš) from these files: the newest workbook's part, then ``with_manager``."""
    person = person or _tomas(roster)
    info = person_info(ladder, roster, person)
    used = max(workbooks, key=lambda o: (o.preferred, o.mtime, o.file)) if workbooks else None
    result = (PersonResult(info, status_for(used.problems), used.file, used.inputs, used.scores, used.problems)
              if used is not None else PersonResult(info, Status.MISSING))
    parts = [(o, part) for o in reviews for part in o.parts]
    return with_manager(ladder, roster, person, result, used, workbooks, parts)


def _manager_scores(result: PersonResult) -> set[float | None]:
    assert result.inputs is not None
    return {c.manager_score for c in result.inputs.criteria.values()}


@pytest.mark.parametrize(("via", "sender", "kind", "words"), [
    (Via.EMAIL, AMARA, ScoredBy.MANAGER_RETURN,
     "Scored by Amara Okafor in the workbook returned from their side (tomas.xlsx)"),
    (Via.GOOGLE, "", ScoredBy.GOOGLE, "Scored by Amara Okafor in the Google spreadsheet's manager-only cells"),
    (Via.FILE, "", ScoredBy.PLAIN_FILE, "Manager scores from tomas.xlsx, a file given to collect (no sender known)"),
])
def test_a_workbook_from_the_managers_side_gives_its_manager_scores(ladder: Ladder, roster: Roster, via: Via,
                                                                   sender: str, kind: ScoredBy, words: str) -> None:
    got = _collect(ladder, roster, [_workbook(ladder, _tomas(roster), 3.0, via=via, sender=sender)])
    assert (got.status, got.problems, got.scored_by) == (Status.COMPLETE, (), ManagerSource(kind, "tomas.xlsx"))
    assert _manager_scores(got) == {3.0} and got.scores is not None and got.scores.manager_pct == 1.0
    assert in_words(got) == words


@pytest.mark.parametrize(("sender", "whose"), [(TOMAS, "Tomáš Novák's own address"), ("", "no sender"),
                                               ("dana.ross@apex-cloud.example", "dana.ross@apex-cloud.example")])
def test_manager_scores_in_a_workbook_from_anyone_else_are_refused(ladder: Ladder, roster: Roster, sender: str,
                                                                  whose: str) -> None:
    """The SE's own address above all: the scores are taken out, and the SE is told why and what still counts."""
    got = _collect(ladder, roster, [_workbook(ladder, _tomas(roster), 3.0, sender=sender)])
    n = len(ladder.rubric_for("senior").criteria)
    assert got.problems == (
        Problem("tomas.xlsx", "", "", Kind.NOT_FROM_MANAGER,
                f"the Manager column was filled in, but the workbook was emailed from {whose}, so those scores were "
                f"not used: they count only when Amara Okafor scores in their review or sends the workbook from "
                f"Amara Okafor's side ({AMARA})", Severity.ERROR),
        Problem("tomas.xlsx", "", "", Kind.AWAITING_MANAGER,
                f"Manager scores not in yet: {n} criteria for Amara Okafor to score", Severity.INCOMPLETE))
    assert _manager_scores(got) == {None} and got.status is Status.INVALID
    assert got.scores is not None and got.scores.manager_pct is None
    assert (got.scored_by, in_words(got)) == (ManagerSource(), "")


def test_the_managers_review_gives_the_scores_comments_and_recommendation(ladder: Ladder, roster: Roster) -> None:
    """His self-scored workbook waits for the review; the review's scores join his own, and nothing waits."""
    person = _tomas(roster)
    got = _collect(ladder, roster, [_workbook(ladder, person, None)], [_review(ladder, person, 3.0)])
    assert (got.status, got.problems) == (Status.COMPLETE, ())
    assert got.inputs is not None and all(
        (c.self_score, c.manager_score, c.comment, c.evidence) == (2.0, 3.0, f"on {cid}", "Led the Acme POC")
        for cid, c in got.inputs.criteria.items())
    se = _workbook(ladder, person, None).inputs
    assert se is not None and (got.inputs.track_preference, got.inputs.readout, got.inputs.pivots) == (
        se.track_preference, se.readout, se.pivots)
    assert (got.scored_by, got.recommendation, got.why) == (
        ManagerSource(ScoredBy.REVIEW, "review-mgr-amara.xlsx"), "next cycle", "two more POCs")
    want = scoring.score(ladder, ladder.rubric_for("senior"), got.inputs, person.level)
    assert got.scores == want and in_words(got) == "Scored by Amara Okafor in their review (review-mgr-amara.xlsx)"
    pulled = _collect(ladder, roster, [_workbook(ladder, person, None)],
                      [_review(ladder, person, 3.0, via=Via.GOOGLE, sender="")])
    assert pulled.scored_by.kind is ScoredBy.REVIEW


def test_a_review_of_another_manager_or_from_another_address_is_refused(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    daniels = _collect(ladder, roster, [_workbook(ladder, person, None)],
                       [_review(ladder, person, 3.0, author="mgr-daniel")])
    stranger = _collect(ladder, roster, [_workbook(ladder, person, None)],
                        [_review(ladder, person, 3.0, sender="dana.ross@apex-cloud.example")])
    for got, why in ((daniels, "this is the review of manager mgr-daniel, but Tomáš Novák's manager is Amara Okafor "
                               "(mgr-amara), so its scores for Tomáš Novák were not used"),
                     (stranger, f"this review came from dana.ross@apex-cloud.example, not from Amara Okafor's "
                                f"side ({AMARA}), so its scores for Tomáš Novák were not used: Amara Okafor sends it "
                                f"from their own address")):
        refusal = next(p for p in got.problems if p.kind == Kind.NOT_FROM_MANAGER)
        assert refusal == Problem("review-mgr-amara.xlsx", "Tomáš Novák", "", Kind.NOT_FROM_MANAGER, why,
                                  Severity.ERROR)
        assert [p.kind for p in got.problems] == [Kind.AWAITING_MANAGER, Kind.NOT_FROM_MANAGER]
        assert _manager_scores(got) == {None} and got.recommendation == "" and got.status is Status.INVALID


def test_the_newest_trusted_scores_win_and_a_newer_refusal_is_a_note(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    old, new = _review(ladder, person, 1.0, mtime=2.0), _review(ladder, person, 3.0, mtime=3.0, file="review-2.xlsx")
    refused_newer = _review(ladder, person, 0.0, mtime=4.0, file="review-3.xlsx", author="mgr-daniel")
    refused_older = _review(ladder, person, 0.0, mtime=1.5, file="review-0.xlsx", author="mgr-daniel")
    got = _collect(ladder, roster, [_workbook(ladder, person, None)], [new, refused_newer, old, refused_older])
    assert _manager_scores(got) == {3.0} and got.scored_by == ManagerSource(ScoredBy.REVIEW, "review-2.xlsx")
    assert [(p.file, p.kind, p.severity) for p in got.problems] == [
        ("review-3.xlsx", Kind.NOT_FROM_MANAGER, Severity.NOTE)]
    assert got.status is Status.COMPLETE
    # Two at the same time: the later file name wins, as collect orders them.
    tie = _collect(ladder, roster, [_workbook(ladder, person, None)],
                   [_review(ladder, person, 3.0, mtime=2.0, file="b.xlsx"), _review(ladder, person, 1.0, mtime=2.0,
                                                                                  file="a.xlsx")])
    assert tie.scored_by.detail == "b.xlsx" and _manager_scores(tie) == {3.0}


def test_a_review_left_blank_keeps_its_findings_only_when_not_older_than_the_scores(ladder: Ladder,
                                                                                  roster: Roster) -> None:
    person = _tomas(roster)
    sheet = "Tomáš Novák"
    typo = Problem("review-blank.xlsx", sheet, "D7", Kind.OUT_OF_RANGE, "found 7, expected 0-3", Severity.ERROR)
    waiting = Problem("review-blank.xlsx", sheet, "D6:D18", Kind.AWAITING_MANAGER, "blank", Severity.INCOMPLETE)
    scored = _review(ladder, person, 3.0, mtime=2.0)
    for mtime, kept in ((2.0, True), (3.0, True), (1.0, False)):
        blank = _review(ladder, person, None, mtime=mtime, file="review-blank.xlsx", problems=(typo, waiting))
        got = _collect(ladder, roster, [_workbook(ladder, person, None)], [scored, blank])
        assert _manager_scores(got) == {3.0}
        assert list(got.problems) == ([typo] if kept else []), mtime


def test_a_review_of_an_se_whose_workbook_is_out_keeps_them_missing(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    got = _collect(ladder, roster, [], [_review(ladder, person, 3.0)])
    assert (got.status, got.scores, got.problems) == (Status.MISSING, None, ())
    assert _manager_scores(got) == {3.0} and got.scored_by.kind is ScoredBy.REVIEW
    assert _collect(ladder, roster, []) == PersonResult(person_info(ladder, roster, person), Status.MISSING)


def test_nothing_from_the_manager_yet_is_said_once(ladder: Ladder, roster: Roster) -> None:
    """The workbook's own "manager scores missing" stands; a workbook read without one gets the general line."""
    person = _tomas(roster)
    own = _workbook(ladder, person, None)
    got = _collect(ladder, roster, [own])
    assert (got.problems, got.status, got.scored_by) == (own.problems, Status.INCOMPLETE, ManagerSource())
    silent = replace(own, problems=())
    got = _collect(ladder, roster, [silent])
    n = len(ladder.rubric_for("senior").criteria)
    assert got.problems == (Problem("tomas.xlsx", "", "", Kind.AWAITING_MANAGER,
                                    f"Manager scores not in yet: {n} criteria for Amara Okafor to score",
                                    Severity.INCOMPLETE),)
    unread = _collect(ladder, roster, [replace(silent, inputs=Inputs(), scores=None)])
    assert unread.problems == ()  # nothing of the scorecard was read: nothing to say it waits for


def test_only_this_quarters_workbooks_are_candidates_when_there_is_one(ladder: Ladder, roster: Roster) -> None:
    """Last quarter's workbook, returned by Amara with scores, does not score this quarter's."""
    person = _tomas(roster)
    last = _workbook(ladder, person, 3.0, sender=AMARA, mtime=5.0, file="old.xlsx", preferred=False)
    got = _collect(ladder, roster, [_workbook(ladder, person, None), last])
    assert _manager_scores(got) == {None} and got.scored_by == ManagerSource()
    assert _collect(ladder, roster, [last]).scored_by == ManagerSource(ScoredBy.MANAGER_RETURN, "old.xlsx")


def test_the_se_part_comes_from_their_workbook_and_the_scores_from_another(ladder: Ladder, roster: Roster) -> None:
    """Amara returned an earlier copy with her scores; Tomáš sent a newer self-scored one: his self scores, her
    manager scores, and his line that the manager's scores are awaited goes."""
    person = _tomas(roster)
    hers = _workbook(ladder, person, 3.0, sender=AMARA, mtime=1.0, file="tomas-amara.xlsx")
    mine = replace(_workbook(ladder, person, None, mtime=2.0), inputs=inputs_for(ladder, "senior", 1, None))
    got = _collect(ladder, roster, [mine, hers])
    assert got.file == "tomas.xlsx" and got.scored_by == ManagerSource(ScoredBy.MANAGER_RETURN, "tomas-amara.xlsx")
    assert got.inputs is not None
    assert {(c.self_score, c.manager_score) for c in got.inputs.criteria.values()} == {(1.0, 3.0)}
    assert (got.problems, got.status) == ((), Status.COMPLETE)


def test_a_review_without_a_recommendation_gives_none(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    got = _collect(ladder, roster, [_workbook(ladder, person, None)], [_review(ladder, person, 3.0, fields=False)])
    assert (got.recommendation, got.why) == ("", "")


def test_what_the_chosen_review_found_is_kept(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    typo = Problem("review-mgr-amara.xlsx", "Tomáš Novák", "D7", Kind.OUT_OF_RANGE, "found 7, expected 0-3",
                   Severity.ERROR)
    got = _collect(ladder, roster, [_workbook(ladder, person, None)], [_review(ladder, person, 3.0, problems=(typo,))])
    assert got.problems == (typo,) and got.status is Status.INVALID


def test_a_review_is_found_among_other_parts_of_its_file(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    other = Part(PEER_INPUT, person.id, "dana.ross@apex-cloud.example", Inputs())
    got = _collect(ladder, roster, [_workbook(ladder, person, None)], [_review(ladder, person, 3.0, first=(other,))])
    assert _manager_scores(got) == {3.0}


def test_scores_are_worked_out_at_the_ses_own_level(ladder: Ladder, roster: Roster) -> None:
    """Priya, a Senior SE on the SE Manager rubric: the metrics of her level count."""
    priya = find_person(roster, "priya-raman")
    got = _collect(ladder, roster, [_workbook(ladder, priya, None, sender=priya.email, file="priya.xlsx")],
                   [_review(ladder, priya, 3.0)], person=priya)
    assert got.inputs is not None
    assert got.scores == scoring.score(ladder, ladder.rubric_for(priya.target_level), got.inputs, priya.level)
    assert got.scores is not None and set(got.scores.metric_status) == {
        m.id for m in ladder.metrics_for(priya.level, priya.target_level)}


def test_a_manager_returning_the_ses_own_workbook_half_scored_still_waits(ladder: Ladder, roster: Roster) -> None:
    """The workbook used is the one Amara sent: its line that some manager scores are blank stands."""
    person = _tomas(roster)
    book = _workbook(ladder, person, 3.0, sender=AMARA)
    assert book.inputs is not None
    first = ladder.rubric_for("senior").criteria[0].id
    blank = Problem("tomas.xlsx", "Scorecard", "H6", Kind.AWAITING_MANAGER, "1 manager score blank",
                    Severity.INCOMPLETE)
    book = replace(book, problems=(blank,), inputs=replace(book.inputs, criteria={
        **book.inputs.criteria, first: replace(book.inputs.criteria[first], manager_score=None)}))
    got = _collect(ladder, roster, [book])
    assert (got.problems, got.status, got.scored_by.kind) == ((blank,), Status.INCOMPLETE, ScoredBy.MANAGER_RETURN)


def test_a_refused_half_scored_workbook_waits_for_every_criterion(ladder: Ladder, roster: Roster) -> None:
    """Its own line about the blank manager scores goes with the scores refused: all of them are awaited."""
    person = _tomas(roster)
    book = _workbook(ladder, person, 3.0)
    blank = Problem("tomas.xlsx", "Scorecard", "H6", Kind.AWAITING_MANAGER, "1 manager score blank",
                    Severity.INCOMPLETE)
    got = _collect(ladder, roster, [replace(book, problems=(blank,))])
    n = len(ladder.rubric_for("senior").criteria)
    assert [p.message for p in got.problems if p.kind == Kind.AWAITING_MANAGER] == [
        f"Manager scores not in yet: {n} criteria for Amara Okafor to score"]


def test_the_newest_scores_win_across_workbooks_and_reviews(ladder: Ladder, roster: Roster) -> None:
    person = _tomas(roster)
    returned = _workbook(ladder, person, 1.0, sender=AMARA, mtime=1.0)
    assert _collect(ladder, roster, [returned], [_review(ladder, person, 3.0, mtime=2.0)]).scored_by.kind \
        is ScoredBy.REVIEW
    later = replace(returned, mtime=3.0)
    got = _collect(ladder, roster, [later], [_review(ladder, person, 3.0, mtime=2.0)])
    assert got.scored_by.kind is ScoredBy.MANAGER_RETURN and _manager_scores(got) == {1.0}


def test_the_managers_side_is_every_address_that_speaks_for_them_never_the_ses_own(ladder: Ladder,
                                                                                   roster: Roster) -> None:
    person = _tomas(roster)
    shared = replace(roster, return_to="se-ops@apex-cloud.example")
    got = _collect(ladder, shared, [_workbook(ladder, person, None)], [_review(ladder, person, 3.0, sender="")])
    refusal = next(p for p in got.problems if p.kind == Kind.NOT_FROM_MANAGER)
    assert refusal.message.startswith(f"this review came from no sender, not from Amara Okafor's side ({AMARA}, "
                                      f"se-ops@apex-cloud.example), so")
    via_ops = _collect(ladder, shared, [_workbook(ladder, person, 3.0, sender="se-ops@apex-cloud.example")])
    assert via_ops.scored_by.kind is ScoredBy.MANAGER_RETURN
    # Even a roster returning workbooks to the SE's own address does not make it the manager's.
    own = _collect(ladder, replace(roster, return_to=TOMAS), [_workbook(ladder, person, 3.0, sender=TOMAS)])
    assert own.scored_by == ManagerSource() and _manager_scores(own) == {None}
