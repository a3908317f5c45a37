"""core.review_read: what a manager's review workbook gives each of its SEs, and what is wrong with it.

Pure: each review is the layout ``review`` writes, laid out on grids in memory and filled
as a manager fills it (tests/support/books.py). Whether a part is used (whose review, sent
by whom, the newest) is provenance's call (tests/test_provenance.py); collect's round trip
through real files is tests/test_review.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest

from ladder_sheets.core import layout, review_read
from ladder_sheets.core.cells import GUIDE, Role, WorkbookLayout
from ladder_sheets.core.inputs import CellError, RawValue
from ladder_sheets.core.kinds import MANAGER_REVIEW
from ladder_sheets.core.model import CellValue, Ladder, Manager, ManagerScores, Person, Recommendation, Roster
from ladder_sheets.core.outcomes import FileOutcome
from ladder_sheets.core.reading import Job
from ladder_sheets.core.results import Kind, Problem, Severity
from ladder_sheets.core.review_layout import TEAM, key
from ladder_sheets.core.review_read import examine_review, person_sheets
from tests.conftest import DUE, QUARTER
from tests.support.books import Book, Grid, insert_column, laid_out
from tests.support.reviews import review_layout, scored

FILE = "review-mgr-amara.xlsx"


@pytest.fixture(autouse=True)
def _no_guide_yet() -> Iterator[None]:
    """Each test reads the Guide as a fresh run does: its shape not built yet (mutmut forks every test run
    from a process that already built it)."""
    review_read._GUIDES.clear()
    yield


@pytest.fixture(scope="module")
def job(ladder: Ladder, review_roster: Roster) -> Job:
    return Job(ladder, review_roster, QUARTER)


@pytest.fixture(scope="module")
def team(review_roster: Roster, amara: Manager) -> list[Person]:
    return [p for p in review_roster.people if p.manager == amara.id]


@pytest.fixture(scope="module")
def wl(ladder: Ladder, review_roster: Roster, amara: Manager) -> WorkbookLayout:
    return review_layout(ladder, review_roster, amara, QUARTER, DUE)


def _filled(ladder: Ladder, team: list[Person]) -> dict[str, CellValue]:
    """Each SE of the team scored alike on every criterion, a different score each (0, 1, 2, 3)."""
    return {k: v for i, p in enumerate(team) for k, v in scored(ladder, p, i % 4).items()}


def _examine(job: Job, grids: dict[str, Grid], *, errors_read_as_blank: bool = True,
             keeps_text_results: bool = True) -> FileOutcome:
    book = Book(grids, errors_read_as_blank=errors_read_as_blank, keeps_text_results=keeps_text_results)
    return examine_review(job, book, FILE, 7.0, {})


def _at(wl: WorkbookLayout, person: Person, k: str) -> tuple[str, str]:
    """(sheet, cell) where the review put ``person``'s ``k``."""
    sheet, cell = wl.by_key()[key(person.id, k)]
    return sheet.title, cell.ref


# ---- what each SE gets ------------------------------------------------------------------------------------


def test_each_se_sheet_gives_its_se_the_managers_scores_comments_and_recommendation(
        job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person]) -> None:
    outcome = _examine(job, laid_out(wl, _filled(ladder, team)))
    assert (outcome.file, outcome.mtime, outcome.kind, outcome.preferred) == (FILE, 7.0, MANAGER_REVIEW, True)
    assert outcome.problems == () and outcome.person_id == ""
    assert [(p.kind, p.person_id, p.author, p.sheet) for p in outcome.parts] == [
        (MANAGER_REVIEW, p.id, "mgr-amara", p.name) for p in team]
    for i, (part, person) in enumerate(zip(outcome.parts, team)):
        criteria = ladder.rubric_for(person.target_level).criteria
        assert {cid: c.manager_score for cid, c in part.inputs.criteria.items()} == {c.id: i % 4 for c in criteria}
        assert part.inputs.criteria[criteria[0].id].comment == "=Seen in the Acme deal review"  # text as typed
        assert part.inputs.criteria[criteria[1].id].comment == ""
        assert part.fields == {"recommendation": "promote now", "why": "Ran two strategic POCs end to end."}
        assert part.problems == ()


@pytest.mark.parametrize("recommendation", list(Recommendation))
def test_the_recommendation_is_kept_as_its_value(job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person],
                                                 recommendation: Recommendation) -> None:
    values = scored(ladder, team[1], 2, recommendation=recommendation.shown, why="  Strong quarter.  ")
    part = _examine(job, laid_out(wl, values)).parts[1]
    assert part.fields == {"recommendation": recommendation.value, "why": "  Strong quarter.  "}  # as typed


def test_a_sheet_left_blank_gives_its_se_nothing_scored_and_no_recommendation(
        job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person]) -> None:
    leticia = team[0]
    outcome = _examine(job, laid_out(wl, scored(ladder, team[1], 3)))
    blank = outcome.parts[0]
    assert blank.person_id == leticia.id and not blank.scored and blank.fields == {}
    assert [(p.sheet, p.cell, p.kind) for p in blank.problems] == [
        (leticia.name, f"H6:H{5 + len(ladder.rubric_for(leticia.target_level).criteria)}", Kind.AWAITING_MANAGER)]
    assert outcome.parts[1].scored


def test_what_the_manager_typed_wrong_is_located_on_the_ses_sheet(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                                  team: list[Person]) -> None:
    tomas = team[1]
    criteria = ladder.rubric_for(tomas.target_level).criteria
    values = scored(ladder, tomas, 2) | {key(tomas.id, f"criteria.{criteria[1].id}.manager"): 4,
                                         key(tomas.id, "recommendation"): "Maybe", key(tomas.id, "why"): "x" * 3001}
    part = _examine(job, laid_out(wl, values)).parts[1]
    got = {(p.file, p.sheet, p.cell, p.kind, p.severity) for p in part.problems}
    assert got == {(FILE, *_at(wl, tomas, f"criteria.{criteria[1].id}.manager"), Kind.OUT_OF_RANGE, Severity.ERROR),
                   (FILE, *_at(wl, tomas, "recommendation"), Kind.NOT_AN_OPTION, Severity.ERROR),
                   (FILE, *_at(wl, tomas, "why"), Kind.TOO_LONG, Severity.ERROR)}
    assert part.fields == {"why": "x" * 3001}  # flagged, and kept whole: nothing typed is lost
    assert part.inputs.criteria[criteria[1].id].manager_score is None


# ---- formulas -------------------------------------------------------------------------------------------


def _saved(ladder: Ladder, person: Person, values: dict[str, CellValue], job: Job, wl: WorkbookLayout
           ) -> dict[str, RawValue]:
    """``values`` with the formulas of ``person``'s sheet holding what an app calculates from them."""
    part = next(p for p in _examine(job, laid_out(wl, values)).parts if p.person_id == person.id)
    expected = layout.expected_values(ladder, person, part.inputs)
    sheet = next(s for s in wl.sheets if s.title == person.name)
    formulas = {c.key: c.key.removeprefix(f"review.{person.id}.") for c in sheet.cells if c.role is Role.FORMULA}
    return {**values, **{k: expected[own] for k, own in formulas.items()}}


def test_a_calculated_sheet_whose_formulas_agree_has_no_problem(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                                team: list[Person]) -> None:
    tomas = team[1]
    saved = _saved(ladder, tomas, scored(ladder, tomas, 2), job, wl)
    assert _examine(job, laid_out(wl, saved)).parts[1].problems == ()


def test_a_formula_typed_over_is_found(job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person]) -> None:
    tomas = team[1]
    saved = _saved(ladder, tomas, scored(ladder, tomas, 2), job, wl) | {key(tomas.id, "result.manager_pct"): 1}
    (tampered,) = _examine(job, laid_out(wl, saved)).parts[1].problems
    assert (tampered.file, tampered.sheet, tampered.cell, tampered.kind) == (
        FILE, *_at(wl, tomas, "result.manager_pct"), Kind.TAMPERED)
    assert tampered.message == "formula result overwritten: found 1, expected 0.6666666667 (recomputed from the inputs)"


def test_a_blank_formula_is_judged_only_where_blank_may_hide_an_error_value(
        job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person]) -> None:
    """The .xlsx reader gives #N/A as blank: a blank result of a calculated sheet is suspect there, not in
    Google's values, which show it."""
    tomas = team[1]
    saved = _saved(ladder, tomas, scored(ladder, tomas, 2), job, wl) | {key(tomas.id, "result.manager_band"): None}
    blanked = _examine(job, laid_out(wl, saved), errors_read_as_blank=True).parts[1].problems
    assert [(p.cell, p.kind) for p in blanked] == [(_at(wl, tomas, "result.manager_band")[1], Kind.TAMPERED)]
    assert _examine(job, laid_out(wl, saved), errors_read_as_blank=False).parts[1].problems == ()


def test_a_text_result_read_as_zero_is_the_format_where_it_keeps_no_text(
        job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person]) -> None:
    """.xls as read here keeps no text result of a formula: the band reads 0 there, and that is not tampering."""
    tomas = team[1]
    saved = _saved(ladder, tomas, scored(ladder, tomas, 2), job, wl) | {key(tomas.id, "result.manager_band"): 0}
    assert _examine(job, laid_out(wl, saved), keeps_text_results=False).parts[1].problems == ()
    (tampered,) = _examine(job, laid_out(wl, saved), keeps_text_results=True).parts[1].problems
    assert tampered.kind == Kind.TAMPERED


def _as_the_app_saw(ladder: Ladder, tomas: Person, job: Job, wl: WorkbookLayout) -> dict[str, RawValue]:
    """Tomáš scored 2, SR-03 typed " N/O " (read as "not observed yet"), saved as the app counted it: not at all."""
    values = scored(ladder, tomas, 2)
    sr03 = key(tomas.id, "criteria.SR-03.manager")
    return _saved(ladder, tomas, values | {sr03: None}, job, wl) | {sr03: " N/O "}


def test_results_over_a_score_not_taken_as_typed_are_not_judged(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                                team: list[Person]) -> None:
    tomas = team[1]
    part = _examine(job, laid_out(wl, _as_the_app_saw(ladder, tomas, job, wl))).parts[1]
    assert part.inputs.criteria["SR-03"].manager_not_observed and part.problems == ()


def test_results_are_judged_by_what_they_depend_on_wherever_the_cells_moved(
        job: Job, ladder: Ladder, wl: WorkbookLayout, team: list[Person]) -> None:
    """A column inserted before the sheet's first: the results still depend on the scores they did."""
    tomas = team[1]
    grids = laid_out(wl, _as_the_app_saw(ladder, tomas, job, wl))
    grids[tomas.name] = insert_column(grids[tomas.name], 0)
    part = _examine(job, grids).parts[1]
    assert part.inputs.criteria["SR-03"].manager_not_observed and part.problems == ()


def test_results_over_sorted_criteria_are_not_judged(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                     team: list[Person]) -> None:
    """Sorted, the sheet's own formulas may read rows where others were: its totals are not held against it."""
    tomas = team[1]
    saved = _saved(ladder, tomas, scored(ladder, tomas, [3, 1] + [2] * 11), job, wl)
    grids = laid_out(wl, saved | {key(tomas.id, "result.manager_pct"): 0.5})
    sheet = grids[tomas.name]
    sheet[5], sheet[6] = sheet[6], sheet[5]
    part = _examine(job, grids).parts[1]
    assert part.problems == (Problem(FILE, tomas.name, "A6", Kind.SORTED, "the criteria were sorted into another "
                                     "order; each was read by its criterion id", Severity.NOTE),)
    assert (part.inputs.criteria["SR-01"].manager_score, part.inputs.criteria["SR-02"].manager_score) == (3, 1)


def test_what_was_typed_beside_the_criteria_is_noted_on_the_ses_part(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                                    team: list[Person]) -> None:
    tomas = team[1]
    grids = laid_out(wl, scored(ladder, tomas, 2))
    grids[tomas.name][6].append("ask her about Acme")
    part = _examine(job, grids).parts[1]
    assert [(p.file, p.sheet, p.cell, p.kind, p.severity) for p in part.problems] == [
        (FILE, tomas.name, "L7", Kind.IGNORED, Severity.NOTE)]
    assert part.scored


# ---- the review as a whole --------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "shown"), [("mgr-zed", "'mgr-zed'"), ("", "''"), (12, "'12'")])
def test_a_review_of_a_manager_not_on_the_roster_is_not_read(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                             team: list[Person], typed: RawValue, shown: str) -> None:
    outcome = _examine(job, laid_out(wl, _filled(ladder, team) | {"meta.manager_id": typed}))
    assert outcome.problems == (Problem(FILE, GUIDE, "B5", Kind.NOT_ON_ROSTER, f"a manager's review for manager id "
                                        f"{shown}, who is not on the roster, so it was not read"),)
    assert (outcome.parts, outcome.kind, outcome.preferred) == ((), MANAGER_REVIEW, False)
    assert (outcome.file, outcome.mtime) == (FILE, 7.0)


def test_the_managers_id_is_read_as_typed_around_spaces(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                         team: list[Person]) -> None:
    outcome = _examine(job, laid_out(wl, _filled(ladder, team) | {"meta.manager_id": " mgr-amara "}))
    assert outcome.problems == () and len(outcome.parts) == len(team)


def test_a_review_of_another_quarter_is_not_used(ladder: Ladder, review_roster: Roster, wl: WorkbookLayout,
                                                 team: list[Person]) -> None:
    later = Job(ladder, review_roster, "2027-Q1")
    outcome = _examine(later, laid_out(wl, _filled(ladder, team)))
    assert outcome.problems == (Problem(FILE, GUIDE, "B7", Kind.QUARTER, "Amara Okafor's review: expected quarter "
                                        "2027-Q1, found 2026-Q4, so it was not used"),)
    assert (outcome.parts, outcome.kind, outcome.preferred) == ((), MANAGER_REVIEW, False)
    assert (outcome.file, outcome.mtime) == (FILE, 7.0)


def test_a_review_of_each_ladder_version_is_read_against_its_own(ladder: Ladder, review_roster: Roster,
                                                                 amara: Manager, team: list[Person]) -> None:
    """A collect run reads against one ladder; the next may read against a newer one."""
    newer = dataclasses.replace(ladder, version="2027.1")
    old, new = (review_layout(lad, review_roster, amara, QUARTER, DUE) for lad in (ladder, newer))
    assert _examine(Job(ladder, review_roster, QUARTER), laid_out(old)).problems == ()
    assert _examine(Job(newer, review_roster, QUARTER), laid_out(new)).problems == ()
    (wrong,) = _examine(Job(newer, review_roster, QUARTER), laid_out(old)).problems
    assert (wrong.kind, wrong.message) == (Kind.VERSION, "Amara Okafor's review: expected template version "
                                           "se-ladder@2027.1/review-1, found se-ladder@2026.4/review-1, so it was not used")


# ---- which sheet is whose ---------------------------------------------------------------------------------


def test_a_renamed_se_sheet_is_known_by_its_person_id(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                      team: list[Person]) -> None:
    tomas = team[1]
    grids = {("Tomas Q4" if t == tomas.name else t): g for t, g in laid_out(wl, _filled(ladder, team)).items()}
    outcome = _examine(job, grids)
    part = outcome.parts[1]
    assert (part.person_id, part.sheet, part.scored) == (tomas.id, "Tomas Q4", True)
    assert part.problems == (Problem(FILE, "Tomas Q4", "", Kind.RENAMED_SHEET, "Tomáš Novák's sheet 'Tomáš Novák' was "
                                     "renamed 'Tomas Q4'; it was recognised by its person id and read", Severity.NOTE),)
    assert outcome.problems == ()


def test_another_managers_se_in_the_review_is_read_for_provenance_to_judge(
        job: Job, ladder: Ladder, review_roster: Roster, wl: WorkbookLayout, team: list[Person]) -> None:
    """Tomáš moved to Daniel's team after the reviews went out: his sheet is still read, as Amara's, under the name
    it was written with (a rename of it is still noted)."""
    moved = dataclasses.replace(review_roster, people=tuple(
        dataclasses.replace(p, manager="mgr-daniel") if p.id == "tomas-novak" else p for p in review_roster.people))
    grids = laid_out(wl, _filled(ladder, team))
    outcome = _examine(Job(ladder, moved, QUARTER), grids)
    assert [(p.person_id, p.author, p.problems) for p in outcome.parts][1] == ("tomas-novak", "mgr-amara", ())
    grids = {("Tomas" if t == "Tomáš Novák" else t): g for t, g in grids.items()}
    (renamed,) = _examine(Job(ladder, moved, QUARTER), grids).parts[1].problems
    assert renamed.message == ("Tomáš Novák's sheet 'Tomáš Novák' was renamed 'Tomas'; it was recognised by its "
                               "person id and read")


def test_an_se_sheet_found_by_its_label_when_rows_were_inserted_above(job: Job, ladder: Ladder,
                                                                     wl: WorkbookLayout, team: list[Person]) -> None:
    tomas = team[1]
    grids = laid_out(wl, _filled(ladder, team))
    grids[tomas.name].insert(0, [""] * len(grids[tomas.name][0]))
    assert [p.person_id for p in _examine(job, grids).parts] == [p.id for p in team]


def test_a_sheet_that_is_no_ses_is_noted_and_not_read(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                      team: list[Person]) -> None:
    grids = laid_out(wl, _filled(ladder, team)) | {"Notes": [["", "my notes"], ["", "Person id", ""]]}
    outcome = _examine(job, grids)
    assert outcome.problems == (Problem(FILE, "Notes", "", Kind.IGNORED, "sheet 'Notes' is not an SE's sheet of this "
                                        "review (no person id beside 'Person id'), so it was not read", Severity.NOTE),)
    assert [p.person_id for p in outcome.parts] == [p.id for p in team]


@pytest.mark.parametrize("shown", [CellError("#N/A"), date(2026, 12, 1)])
def test_a_sheet_whose_person_id_shows_no_text_is_no_ses(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                        team: list[Person], shown: RawValue) -> None:
    grids = laid_out(wl, _filled(ladder, team) | {key(team[3].id, "meta.person_id"): shown})
    ignored, unread = _examine(job, grids).problems
    assert (ignored.sheet, ignored.kind, ignored.severity) == (team[3].name, Kind.IGNORED, Severity.NOTE)
    assert (unread.kind, unread.severity) == (Kind.MISSING_SHEET, Severity.INCOMPLETE)  # so nothing is hers


def test_a_sheet_of_someone_not_on_the_roster_is_an_error_and_not_read(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                                      team: list[Person]) -> None:
    grids = laid_out(wl, _filled(ladder, team) | {key(team[3].id, "meta.person_id"): "kenji-w"})
    outcome = _examine(job, grids)
    assert outcome.problems == (
        Problem(FILE, team[3].name, "", Kind.NOT_ON_ROSTER, f"sheet '{team[3].name}' holds person id 'kenji-w', "
                "who is not on the roster, so it was not read"),
        Problem(FILE, "", "", Kind.MISSING_SHEET, f"Amara Okafor's review has no sheet for {team[3].name} (deleted, "
                "or the review was made before they joined the team), so they cannot be scored there: after this "
                "collect, make the reviews again (`ladder-sheets review` keeps every score collected) and hand "
                "Amara Okafor theirs", Severity.INCOMPLETE))
    assert [p.person_id for p in outcome.parts] == [p.id for p in team[:3]]


def test_an_se_who_joined_after_the_review_was_made_is_named(job: Job, ladder: Ladder, review_roster: Roster,
                                                             amara: Manager, team: list[Person]) -> None:
    """Made for three of Amara's four SEs (the fourth joined later, or their sheet was deleted): the fourth
    cannot be scored there, and the review says so once, for them alone, with what to do. A copied sheet is said
    as copied, not as missing."""
    without = dataclasses.replace(review_roster, people=tuple(p for p in review_roster.people if p.id != team[2].id))
    older = review_layout(ladder, without, amara, QUARTER, DUE)
    grids = laid_out(older, _filled(ladder, [p for p in team if p.id != team[2].id]))
    grids["Tomas again"] = grids[team[1].name]
    outcome = _examine(job, grids)
    assert [(p.kind, p.message) for p in outcome.problems] == [
        (Kind.DUPLICATE, f"sheets '{team[1].name}' and 'Tomas again' are both {team[1].name}'s (a copied sheet?), "
                         "so neither was read"),
        (Kind.MISSING_SHEET, f"Amara Okafor's review has no sheet for {team[2].name} (deleted, or the review was "
                             "made before they joined the team), so they cannot be scored there: after this collect, "
                             "make the reviews again (`ladder-sheets review` keeps every score collected) and hand "
                             "Amara Okafor theirs")]
    assert [p.person_id for p in outcome.parts] == [team[0].id, team[3].id]


def test_where_else_a_newcomer_is_scored_follows_where_managers_score(ladder: Ladder, review_roster: Roster,
                                                                      amara: Manager, team: list[Person]) -> None:
    """Where the SE's own workbook has the manager's column (Google Sheets), that is where the manager can score
    someone the review has no sheet for; where it is locked, only a review made again can hold their scores."""
    without = dataclasses.replace(review_roster, people=tuple(p for p in review_roster.people if p.id != team[2].id))
    grids = laid_out(review_layout(ladder, without, amara, QUARTER, DUE),
                     _filled(ladder, [p for p in team if p.id != team[2].id]))
    said = {mode: [p.message.split(": ", 1)[1] for p in _examine(Job(ladder, review_roster, QUARTER, mode),
                                                                 grids).problems]
            for mode in ManagerScores}
    assert said[ManagerScores.IN_WORKBOOK] == [f"Amara Okafor can score them in the Manager column of "
                                               f"{team[2].name}'s own Scorecard"]
    assert said[ManagerScores.REVIEW] == ["after this collect, make the reviews again (`ladder-sheets review` keeps "
                                          "every score collected) and hand Amara Okafor theirs"]


def test_a_copied_se_sheet_reads_neither_copy(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                              team: list[Person]) -> None:
    """Which copy holds the manager's scores is unknown: neither is read, and the other SEs are."""
    tomas = team[1]
    grids = laid_out(wl, _filled(ladder, team))
    grids["Tomas again"] = grids[tomas.name]
    outcome = _examine(job, grids)
    assert outcome.problems == (Problem(FILE, "Tomas again", "", Kind.DUPLICATE, f"sheets '{tomas.name}' and 'Tomas "
                                        f"again' are both {tomas.name}'s (a copied sheet?), so neither was read"),)
    assert [p.person_id for p in outcome.parts] == [team[0].id, team[2].id, team[3].id]


def test_a_third_copy_of_an_se_sheet_is_not_read_either(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                       team: list[Person]) -> None:
    """Two copies already make it unknown which sheet holds the scores: a third is no answer."""
    tomas = team[1]
    grids = laid_out(wl, _filled(ladder, team))
    grids["Tomas 2"] = grids["Tomas 3"] = grids[tomas.name]
    outcome = _examine(job, grids)
    assert outcome.problems == (
        Problem(FILE, "Tomas 2", "", Kind.DUPLICATE, f"sheets '{tomas.name}' and 'Tomas 2' are both {tomas.name}'s "
                                                     "(a copied sheet?), so neither was read"),
        Problem(FILE, "Tomas 3", "", Kind.DUPLICATE, f"sheet 'Tomas 3' is {tomas.name}'s too (a copied sheet?), so it "
                                                     "was not read either"))
    assert [p.person_id for p in outcome.parts] == [team[0].id, team[2].id, team[3].id]


def test_the_guide_and_team_sheets_are_never_taken_for_an_ses(job: Job, ladder: Ladder, wl: WorkbookLayout,
                                                             team: list[Person]) -> None:
    grids = laid_out(wl, _filled(ladder, team))
    assert set(grids) >= {GUIDE, TEAM}
    sheets, problems, _ = person_sheets(job, Book(grids), FILE, {}, "this review")
    assert [(title, p.id) for title, p in sheets] == [(p.name, p.id) for p in team] and problems == []


def test_a_person_id_typed_as_a_number_is_read_as_its_text(job: Job, ladder: Ladder, review_roster: Roster,
                                                          wl: WorkbookLayout, team: list[Person]) -> None:
    numbered = dataclasses.replace(review_roster, people=tuple(
        dataclasses.replace(p, id="1234") if p.id == team[3].id else p for p in review_roster.people))
    grids = laid_out(wl, {key(team[3].id, "meta.person_id"): 1234.0})
    sheets, problems, _ = person_sheets(Job(job.ladder, numbered, QUARTER), Book(grids), FILE, {}, "this review")
    assert [p.id for _, p in sheets][-1] == "1234" and problems == []
