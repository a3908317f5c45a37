"""core.peer_read: what a rater's peer workbook gives each SE it rates, and what is wrong with it.

Pure: each peer workbook is the layout ``peers`` writes, laid out on grids in memory and
filled as a rater fills it (tests/support/books.py). Whether an answer is used (from whom,
the newest) is peer_input's call; the round trip through real files and email is
tests/test_peers.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from ladder_sheets.core import peer_read
from ladder_sheets.core.cells import GUIDE, WorkbookLayout
from ladder_sheets.core.inputs import CellError, RawValue
from ladder_sheets.core.kinds import PEER_INPUT
from ladder_sheets.core.model import CellValue, Inputs, Ladder, Roster
from ladder_sheets.core.outcomes import FileOutcome
from ladder_sheets.core.peer_layout import BLIND_SPOT_KEY, build_peer, key, raters
from ladder_sheets.core.peer_read import examine_peer
from ladder_sheets.core.raters import PeerAnswer, Rater, RaterRole
from ladder_sheets.core.reading import Job
from ladder_sheets.core.results import Kind, Problem, Severity
from tests.conftest import DUE, QUARTER
from tests.support.books import Book, Grid, laid_out
from tests.support.peers import DANA, PRIYA, answers
from tests.support.results import find_person

FILE = "peer-dana.xlsx"
LETICIA, TOMAS = "leticia-moreno", "tomas-novak"


@pytest.fixture(autouse=True)
def _nothing_built_yet() -> Iterator[None]:
    """Each test reads as a fresh run does: no Guide shape or raters kept (mutmut forks every test run from a
    process that already built them)."""
    peer_read._GUIDES.clear()
    peer_read._RATERS.clear()
    yield


@pytest.fixture(scope="module")
def job(ladder: Ladder, review_roster: Roster) -> Job:
    return Job(ladder, review_roster, QUARTER)


def _layout(ladder: Ladder, roster: Roster, rater: str = DANA) -> WorkbookLayout:
    return build_peer(ladder, roster, raters(roster)[rater], QUARTER, DUE)


@pytest.fixture(scope="module")
def wl(ladder: Ladder, review_roster: Roster) -> WorkbookLayout:
    """Dana's: she rates Leticia and Tomáš as their AE."""
    return _layout(ladder, review_roster)


def _criteria(ladder: Ladder, roster: Roster, pid: str) -> list[str]:
    return [c.id for c in ladder.peer_criteria(find_person(roster, pid).target_level)]


def _filled(ladder: Ladder, roster: Roster) -> dict[str, CellValue]:
    return answers(ladder, roster, DANA, {LETICIA: [3, 2], TOMAS: [1]},
                   {LETICIA: "  Talks over the AE in discovery.  ", TOMAS: "=Demos too long"})


def _examine(job: Job, grids: dict[str, Grid], *, keeps_text_results: bool = True) -> FileOutcome:
    return examine_peer(job, Book(grids, keeps_text_results=keeps_text_results), FILE, 4.0, {})


def _at(wl: WorkbookLayout, pid: str, k: str) -> tuple[str, str]:
    sheet, cell = wl.by_key()[key(pid, k)]
    return sheet.title, cell.ref


# ---- what each SE gets ------------------------------------------------------------------------------------


def test_each_se_sheet_gives_its_se_the_raters_ratings_and_answer(job: Job, ladder: Ladder, review_roster: Roster,
                                                                  wl: WorkbookLayout) -> None:
    outcome = _examine(job, laid_out(wl, _filled(ladder, review_roster)))
    assert (outcome.file, outcome.mtime, outcome.kind, outcome.author, outcome.preferred) == (
        FILE, 4.0, PEER_INPUT, DANA, True)
    assert outcome.problems == () and outcome.person_id == ""
    leticia, tomas = outcome.parts
    assert [(p.kind, p.person_id, p.author, p.sheet, p.inputs, p.problems) for p in outcome.parts] == [
        (PEER_INPUT, LETICIA, DANA, "Leticia Moreno", Inputs(), ()), (PEER_INPUT, TOMAS, DANA, "Tomáš Novák", Inputs(), ())]
    first = _criteria(ladder, review_roster, LETICIA)
    assert leticia.peer == PeerAnswer(DANA, "Dana Ross", RaterRole.AE, {c: float(3 - i % 2) for i, c in enumerate(first)},
                                      (), "Talks over the AE in discovery.", FILE)
    assert tomas.peer is not None and tomas.peer.ratings == {c: 1.0 for c in _criteria(ladder, review_roster, TOMAS)}
    assert tomas.peer.blind_spot == "=Demos too long"  # text as typed, never a formula


def test_a_rater_who_knows_the_se_as_a_peer_answers_as_their_peer(ladder: Ladder, review_roster: Roster,
                                                                   job: Job) -> None:
    values = answers(ladder, review_roster, PRIYA, {TOMAS: [2]}, {TOMAS: "Skips the business case."})
    outcome = _examine(job, laid_out(_layout(ladder, review_roster, PRIYA), values))
    (part,) = outcome.parts
    assert part.peer is not None and (part.peer.rater, part.peer.name, part.peer.role) == (
        PRIYA, "Priya Raman", RaterRole.PEER)
    assert outcome.author == PRIYA


def test_not_observed_and_blank_ratings(job: Job, ladder: Ladder, review_roster: Roster, wl: WorkbookLayout) -> None:
    """"Not observed yet" where the criterion allows it, in any case; a blank is no rating at all."""
    ids = _criteria(ladder, review_roster, LETICIA)
    values: dict[str, RawValue] = {key(LETICIA, f"criteria.{ids[0]}.rating"): 2,
                                   key(LETICIA, f"criteria.{ids[1]}.rating"): "N/O"}
    (leticia, tomas) = _examine(job, laid_out(wl, values)).parts
    assert leticia.peer is not None and leticia.peer.ratings == {ids[0]: 2.0}
    assert leticia.peer.not_observed == (ids[1],) and leticia.peer.blind_spot == "" and leticia.problems == ()
    assert tomas.peer is not None and not tomas.peer.answered and tomas.problems == ()


def test_a_raters_mistakes_are_located_and_named_in_their_words(job: Job, ladder: Ladder, review_roster: Roster,
                                                                wl: WorkbookLayout) -> None:
    ids = _criteria(ladder, review_roster, LETICIA)
    text = next(c.text for c in ladder.peer_criteria(find_person(review_roster, LETICIA).target_level) if c.id == ids[0])
    values: dict[str, RawValue] = {key(LETICIA, f"criteria.{ids[0]}.rating"): 5,
                                   key(LETICIA, f"criteria.{ids[2]}.rating"): "n/o", key(LETICIA, BLIND_SPOT_KEY): "x" * 3001}
    leticia = _examine(job, laid_out(wl, values)).parts[0]
    assert [(p.file, p.sheet, p.cell, p.kind, p.severity) for p in leticia.problems] == [
        (FILE, *_at(wl, LETICIA, f"criteria.{ids[0]}.rating"), Kind.OUT_OF_RANGE, Severity.ERROR),
        (FILE, *_at(wl, LETICIA, f"criteria.{ids[2]}.rating"), Kind.WRONG_TYPE, Severity.ERROR),
        (FILE, *_at(wl, LETICIA, BLIND_SPOT_KEY), Kind.TOO_LONG, Severity.ERROR)]
    messages = [p.message for p in leticia.problems]
    assert messages[0].startswith(f"Leticia Moreno's sheet, the rating of {text}: ")
    assert messages[1].startswith(f"Leticia Moreno's sheet, the rating of {_text(ladder, review_roster, ids[2])}: ")
    assert messages[2].startswith("Leticia Moreno's sheet, the answer to the question: ")
    assert leticia.peer is not None and leticia.peer.ratings == {} and leticia.peer.not_observed == ()
    assert leticia.peer.blind_spot == "x" * 3001  # flagged, and kept whole


def _text(ladder: Ladder, roster: Roster, cid: str) -> str:
    return next(c.text for c in ladder.peer_criteria(find_person(roster, LETICIA).target_level) if c.id == cid)


def test_what_was_typed_beside_the_ratings_is_noted_on_the_ses_part(job: Job, ladder: Ladder, review_roster: Roster,
                                                                    wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _filled(ladder, review_roster))
    grids["Leticia Moreno"][6].append("she was great in the QBR")
    leticia = _examine(job, grids).parts[0]
    assert [(p.file, p.sheet, p.cell, p.kind, p.severity) for p in leticia.problems] == [
        (FILE, "Leticia Moreno", "E7", Kind.IGNORED, Severity.NOTE)]
    assert leticia.peer is not None and len(leticia.peer.ratings) == 4


def test_the_answer_is_read_when_the_ratings_column_is_lost(job: Job, ladder: Ladder, review_roster: Roster,
                                                            wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _filled(ladder, review_roster))
    grids["Leticia Moreno"][4][3] = "Rating"
    leticia = _examine(job, grids).parts[0]
    assert leticia.peer is not None and leticia.peer.ratings == {}
    assert leticia.peer.blind_spot == "Talks over the AE in discovery."


def test_no_answer_is_made_up_when_its_column_is_lost(job: Job, ladder: Ladder, review_roster: Roster,
                                                      wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _filled(ladder, review_roster))
    grids["Leticia Moreno"][4][2] = "What good looks like"
    leticia = _examine(job, grids).parts[0]
    assert leticia.peer is not None and leticia.peer.blind_spot == "" and len(leticia.peer.ratings) == 4
    assert Kind.MISSING_COLUMN in {p.kind for p in leticia.problems}


# ---- formulas -------------------------------------------------------------------------------------------


def _saved(values: dict[str, CellValue], pid: str, rated: RawValue, mean: RawValue) -> dict[str, RawValue]:
    return {**values, key(pid, "result.rated"): rated, key(pid, "result.mean"): mean}


def test_calculated_results_that_agree_with_the_ratings_have_no_problem(job: Job, ladder: Ladder,
                                                                       review_roster: Roster,
                                                                       wl: WorkbookLayout) -> None:
    values = _saved(_filled(ladder, review_roster), LETICIA, "4 of 4", 2.5)
    assert all(p.problems == () for p in _examine(job, laid_out(wl, values)).parts)


def test_a_result_typed_over_is_found_against_what_the_ratings_give(job: Job, ladder: Ladder, review_roster: Roster,
                                                                    wl: WorkbookLayout) -> None:
    values = _saved(_filled(ladder, review_roster), LETICIA, "4 of 4", 3)
    (tampered,) = _examine(job, laid_out(wl, values)).parts[0].problems
    assert (tampered.file, tampered.sheet, tampered.cell, tampered.kind, tampered.severity) == (
        FILE, *_at(wl, LETICIA, "result.mean"), Kind.TAMPERED, Severity.ERROR)
    assert tampered.message == "formula result overwritten: found 3, expected 2.5 (recomputed from the ratings)"


def test_results_are_judged_only_once_an_app_saved_them(job: Job, ladder: Ladder, review_roster: Roster,
                                                        wl: WorkbookLayout) -> None:
    """Never calculated (blank) is not judged; calculated, a blank where a number is due is."""
    filled = _filled(ladder, review_roster)
    assert _examine(job, laid_out(wl, filled)).parts[0].problems == ()
    (blank,) = _examine(job, laid_out(wl, _saved(filled, LETICIA, "4 of 4", None))).parts[0].problems
    assert (blank.cell, blank.kind) == (_at(wl, LETICIA, "result.mean")[1], Kind.TAMPERED)


def test_a_text_result_is_judged_only_where_the_format_keeps_text(job: Job, ladder: Ladder, review_roster: Roster,
                                                                  wl: WorkbookLayout) -> None:
    values = _saved(_filled(ladder, review_roster), LETICIA, 0, 2.5)
    assert _examine(job, laid_out(wl, values), keeps_text_results=False).parts[0].problems == ()
    (tampered,) = _examine(job, laid_out(wl, values)).parts[0].problems
    assert (tampered.cell, tampered.message) == (_at(wl, LETICIA, "result.rated")[1], "formula result overwritten: "
                                                 "found 0, expected text '4 of 4' (recomputed from the ratings)")


def test_results_are_not_judged_when_a_rating_was_not_taken_as_typed(job: Job, ladder: Ladder, review_roster: Roster,
                                                                     wl: WorkbookLayout) -> None:
    """"not observed yet" typed with spaces around it is read as the mark, but the sheet's own count missed it."""
    ids = _criteria(ladder, review_roster, LETICIA)
    values = _saved({key(LETICIA, f"criteria.{ids[1]}.rating"): " N/O "}, LETICIA, "0 of 4", "")
    leticia = _examine(job, laid_out(wl, values)).parts[0]
    assert leticia.peer is not None and leticia.peer.not_observed == (ids[1],) and leticia.problems == ()


def test_results_are_not_judged_when_a_rating_could_not_be_found(job: Job, ladder: Ladder, review_roster: Roster,
                                                                 wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _saved(_filled(ladder, review_roster), LETICIA, "4 of 4", 1))
    header = grids["Leticia Moreno"][4]
    header[3] = "Rating"  # the ratings' header changed: the column is not found
    leticia = _examine(job, grids).parts[0]
    assert Kind.MISSING_COLUMN in {p.kind for p in leticia.problems}
    assert Kind.TAMPERED not in {p.kind for p in leticia.problems}  # a mean of 1 is wrong, but not judged


# ---- the workbook as a whole ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "shown"), [("kim@elsewhere.example", "kim@elsewhere.example"),
                                              ("", "no address"), (None, "no address"),
                                              (CellError("#N/A"), "no address")])
def test_a_workbook_of_nobodys_rater_is_not_read(job: Job, ladder: Ladder, review_roster: Roster, wl: WorkbookLayout,
                                                 typed: RawValue, shown: str) -> None:
    outcome = _examine(job, laid_out(wl, _filled(ladder, review_roster) | {"meta.rater_email": typed}))
    assert outcome.problems == (Problem(FILE, GUIDE, "B5", Kind.NOT_ON_ROSTER, f"a peer workbook for {shown}, whom "
                                        "the roster names as nobody's rater, so it was not read"),)
    assert (outcome.parts, outcome.kind, outcome.author, outcome.preferred) == ((), PEER_INPUT, "", False)
    assert (outcome.file, outcome.mtime) == (FILE, 4.0)


def test_the_raters_address_is_read_in_any_case_around_spaces(job: Job, ladder: Ladder, review_roster: Roster,
                                                             wl: WorkbookLayout) -> None:
    values = _filled(ladder, review_roster) | {"meta.rater_email": " Dana.Ross@Apex-Cloud.example "}
    outcome = _examine(job, laid_out(wl, values))
    assert outcome.problems == () and outcome.author == DANA and len(outcome.parts) == 2


def test_a_workbook_of_another_quarter_is_the_raters_and_not_used(ladder: Ladder, review_roster: Roster,
                                                                  wl: WorkbookLayout) -> None:
    outcome = _examine(Job(ladder, review_roster, "2027-Q1"), laid_out(wl, _filled(ladder, review_roster)))
    assert outcome.problems == (Problem(FILE, GUIDE, "B6", Kind.QUARTER, "Dana Ross's peer workbook: expected quarter "
                                        "2027-Q1, found 2026-Q4, so it was not used"),)
    assert (outcome.parts, outcome.author, outcome.kind, outcome.preferred) == ((), DANA, PEER_INPUT, False)
    assert (outcome.file, outcome.mtime) == (FILE, 4.0)


def test_a_workbook_of_each_ladder_version_is_read_against_its_own(ladder: Ladder, review_roster: Roster) -> None:
    newer = dataclasses.replace(ladder, version="2027.1")
    old, new = _layout(ladder, review_roster), _layout(newer, review_roster)
    assert _examine(Job(ladder, review_roster, QUARTER), laid_out(old)).problems == ()
    assert _examine(Job(newer, review_roster, QUARTER), laid_out(new)).problems == ()
    (wrong,) = _examine(Job(newer, review_roster, QUARTER), laid_out(old)).problems
    assert (wrong.kind, wrong.message) == (Kind.VERSION, "Dana Ross's peer workbook: expected template version "
                                           "se-ladder@2027.1/peer-1, found se-ladder@2026.4/peer-1, so it was not used")


def test_each_collect_reads_against_its_own_rosters_raters(ladder: Ladder, review_roster: Roster,
                                                           wl: WorkbookLayout) -> None:
    """Dana no longer rates anyone in the next roster: her workbook is nobody's rater's there."""
    grids = laid_out(wl, _filled(ladder, review_roster))
    assert len(_examine(Job(ladder, review_roster, QUARTER), grids).parts) == 2
    without = dataclasses.replace(review_roster, people=tuple(
        dataclasses.replace(p, raters=tuple(r for r in p.raters if r.key != DANA)) for p in review_roster.people))
    (nobody,) = _examine(Job(ladder, without, QUARTER), grids).problems
    assert nobody.kind == Kind.NOT_ON_ROSTER
    assert len(_examine(Job(ladder, review_roster, QUARTER), grids).parts) == 2


# ---- which sheet is whose ---------------------------------------------------------------------------------


def test_a_renamed_se_sheet_is_known_by_its_person_id(job: Job, ladder: Ladder, review_roster: Roster,
                                                      wl: WorkbookLayout) -> None:
    grids = {("Tomas" if t == "Tomáš Novák" else t): g for t, g in laid_out(wl, _filled(ladder, review_roster)).items()}
    tomas = _examine(job, grids).parts[1]
    assert (tomas.person_id, tomas.sheet) == (TOMAS, "Tomas")
    assert tomas.problems == (Problem(FILE, "Tomas", "", Kind.RENAMED_SHEET, "Tomáš Novák's sheet 'Tomáš Novák' was "
                                      "renamed 'Tomas'; it was recognised by its person id and read", Severity.NOTE),)


def test_a_sheet_of_an_se_the_rater_no_longer_rates_is_noted_and_not_read(ladder: Ladder, review_roster: Roster,
                                                                         wl: WorkbookLayout) -> None:
    """Tomáš's AE changed after the workbooks went out: Dana's sheet for him is not read."""
    moved = dataclasses.replace(review_roster, people=tuple(
        dataclasses.replace(p, raters=tuple(r for r in p.raters if r.key != DANA)) if p.id == TOMAS else p
        for p in review_roster.people))
    outcome = _examine(Job(ladder, moved, QUARTER), laid_out(wl, _filled(ladder, review_roster)))
    assert outcome.problems == (Problem(FILE, "Tomáš Novák", "", Kind.NOT_ON_ROSTER, "sheet 'Tomáš Novák' is Tomáš "
                                        "Novák's, but the roster does not name Dana Ross as their rater (any more), so "
                                        "it was not read", Severity.NOTE),)
    assert [p.person_id for p in outcome.parts] == [LETICIA]


def test_an_se_without_a_sheet_is_said_to_have_nothing_read(job: Job, ladder: Ladder, review_roster: Roster,
                                                            wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _filled(ladder, review_roster))
    del grids["Leticia Moreno"]
    outcome = _examine(job, grids)
    assert outcome.problems == (Problem(FILE, "", "", Kind.MISSING_SHEET, "no sheet for Leticia Moreno (deleted?): "
                                        "nothing of Dana Ross's for them was read", Severity.INCOMPLETE),)
    assert [p.person_id for p in outcome.parts] == [TOMAS]


def test_a_copied_sheet_is_said_as_copied_not_as_missing(job: Job, ladder: Ladder, review_roster: Roster,
                                                        wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _filled(ladder, review_roster))
    grids["Leticia again"] = grids["Leticia Moreno"]
    outcome = _examine(job, grids)
    assert [(p.kind, p.message) for p in outcome.problems] == [
        (Kind.DUPLICATE, "sheets 'Leticia Moreno' and 'Leticia again' are both Leticia Moreno's (a copied sheet?), "
                         "so neither was read")]
    assert [p.person_id for p in outcome.parts] == [TOMAS]


def test_a_sheet_that_is_no_ses_is_noted_in_the_peer_workbooks_words(job: Job, ladder: Ladder, review_roster: Roster,
                                                                     wl: WorkbookLayout) -> None:
    grids = laid_out(wl, _filled(ladder, review_roster)) | {"Notes": [["", "my notes"]]}
    (note,) = _examine(job, grids).problems
    assert (note.file, note.sheet, note.kind, note.severity, note.message) == (
        FILE, "Notes", Kind.IGNORED, Severity.NOTE, "sheet 'Notes' is not an SE's sheet of this peer workbook (no person id "
        "beside 'Person id'), so it was not read")


def test_a_rater_of_two_ses_in_different_roles_rates_each_in_their_own(ladder: Ladder, review_roster: Roster) -> None:
    """Dana sells with Leticia, and works beside Tomáš as a peer: each answer carries its own role."""
    roles = dataclasses.replace(review_roster, people=tuple(
        dataclasses.replace(p, raters=tuple(Rater(r.name, r.email, RaterRole.PEER) if r.key == DANA else r
                                            for r in p.raters)) if p.id == TOMAS else p
        for p in review_roster.people))
    outcome = _examine(Job(ladder, roles, QUARTER), laid_out(_layout(ladder, roles), _filled(ladder, roles)))
    assert [(p.person_id, p.peer.role if p.peer else None) for p in outcome.parts] == [
        (LETICIA, RaterRole.AE), (TOMAS, RaterRole.PEER)]
    assert all(p.problems == () for p in outcome.parts)
