"""core.examine: one returned workbook judged in memory (tests/support/books.py), and one result per person.

What a person running collect sees for a workbook: whose it is, the problems it has (each naming
the sheet and cell), the inputs and scores read; and, over many files, which of a person's
workbooks is used and what is said of the others. test_collect does the same through real files
and LibreOffice; here every case is a grid of values, so each runs in milliseconds.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime

import pytest

from ladder_sheets.core import kinds, layout, scoring
from ladder_sheets.core.cells import GUIDE, Role
from ladder_sheets.core.examine import assemble, examine, person_info
from ladder_sheets.core.inputs import RawValue
from ladder_sheets.core.model import CriterionInput, Inputs, Ladder, ManagerScores, Person, Roster
from ladder_sheets.core.outcomes import FileOutcome, Part
from ladder_sheets.core.raters import PeerAnswer, RaterRole
from ladder_sheets.core.readplan import column_index
from ladder_sheets.core.reading import Job
from ladder_sheets.core.results import Kind, PersonResult, Problem, Severity, Status
from tests.conftest import QUARTER
from tests.support.books import Book, Grid, laid_out
from tests.support.fill import random_inputs
from tests.support.results import find_person

FILE = "tomas-novak.xlsx"
READOUT = "Promotion read-out"


def _grids(job: Job, person: Person, values: dict[str, RawValue] | None = None) -> dict[str, Grid]:
    return laid_out(job.shape_for(person).layout, values)


def _filled(job: Job, person: Person, seed: int = 3) -> tuple[Inputs, dict[str, RawValue]]:
    """Valid inputs for ``person``, and every input and formula cell as a spreadsheet app saves them."""
    inputs, typed = random_inputs(job.ladder, job.ladder.rubric_for(person.target_level), random.Random(seed),
                                  level=person.level)
    keys = job.shape_for(person).keys
    saved: dict[str, RawValue] = {k: v for k, v in typed.items()
                                  if k in keys and keys[k][1].role is not Role.RESERVED}
    saved |= {k: v for k, v in layout.expected_values(job.ladder, person, inputs).items() if k in keys}
    return inputs, saved


def _cell(job: Job, person: Person, key: str) -> tuple[str, str]:
    sheet, cell = job.shape_for(person).keys[key]
    return sheet.title, cell.ref


def _at(job: Job, person: Person, key: str) -> tuple[str, int, int]:
    sheet, cell = job.shape_for(person).keys[key]
    return sheet.title, cell.row - 1, column_index(cell.column)


# ---- whose workbook ----------------------------------------------------------------------------------


def test_a_filled_workbook_gives_its_persons_inputs_and_scores_and_no_problem(job: Job, tomas: Person) -> None:
    inputs, saved = _filled(job, tomas)
    outcome = examine(job, Book(_grids(job, tomas, saved)), FILE, 12.5)
    assert (outcome.file, outcome.mtime, outcome.person_id, outcome.preferred) == (FILE, 12.5, tomas.id, True)
    assert outcome.problems == ()
    assert outcome.inputs == inputs
    assert outcome.scores == scoring.score(job.ladder, job.ladder.rubric_for(tomas.target_level), inputs,
                                           tomas.level)
    assert outcome.moved == () and outcome.kind == "" and outcome.parts == ()


def test_a_workbook_of_another_tool_is_named_unidentified_with_its_sheets(job: Job) -> None:
    outcome = examine(job, Book({"Budget": [["x"]], "Notes": [[""]]}), "budget.xlsx", 1.0)
    assert outcome.person_id == "" and outcome.inputs is None
    (problem,) = outcome.problems
    assert problem == Problem("budget.xlsx", "", "", Kind.UNIDENTIFIED, "not a ladder-sheets workbook (it has none "
                              "of the sheets 'Guide', 'Scorecard', 'Impact metrics', 'Pivot matrix', "
                              "'Promotion read-out'), so it was not read; sheets found: 'Budget', 'Notes'")


def test_a_workbook_whose_guide_was_renamed_away_cannot_be_matched(job: Job, tomas: Person) -> None:
    grids = _grids(job, tomas)
    grids = {("Start here" if t == GUIDE else t): g for t, g in grids.items()}
    grids["Start here"] = [[""]]  # nothing left of the Guide's facts
    outcome = examine(job, Book(grids), FILE, 1.0)
    (problem,) = outcome.problems
    assert (problem.sheet, problem.cell, problem.kind) == (GUIDE, "", Kind.MISSING_SHEET)
    assert problem.message == ("sheet not found (renamed or deleted?), so the workbook cannot be matched to a person; "
                               "sheets found: 'Start here', 'Scorecard', 'Impact metrics', 'Pivot matrix', "
                               "'Promotion read-out'")


@pytest.mark.parametrize(("typed", "kind", "message"), [
    ("", Kind.UNIDENTIFIED, "expected the person id of someone on the roster, found a blank cell"),
    ("   ", Kind.UNIDENTIFIED, "expected the person id of someone on the roster, found text '   '"),
    (date(2026, 1, 2), Kind.UNIDENTIFIED, "expected the person id of someone on the roster, found a date/time "
                       "2026-01-02"),
    (True, Kind.NOT_ON_ROSTER, "person id 'TRUE' is not on the roster"),
    ("nobody-here", Kind.NOT_ON_ROSTER, "person id 'nobody-here' is not on the roster"),
    (42, Kind.NOT_ON_ROSTER, "person id '42' is not on the roster"),
])
def test_a_person_id_that_is_nobodys_says_what_it_found_and_where(job: Job, tomas: Person, typed: RawValue,
                                                                   kind: Kind, message: str) -> None:
    title, r, c = _at(job, tomas, "meta.person_id")
    grids = _grids(job, tomas)
    grids[title][r][c] = typed
    outcome = examine(job, Book(grids), FILE, 1.0)
    sheet, ref = _cell(job, tomas, "meta.person_id")
    assert outcome.problems == (Problem(FILE, sheet, ref, kind, message),)
    assert outcome.person_id == ""


def test_a_person_id_typed_with_spaces_around_is_still_its_person(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    title, r, c = _at(job, tomas, "meta.person_id")
    grids = _grids(job, tomas, saved)
    grids[title][r][c] = f"  {tomas.id} "
    assert examine(job, Book(grids), FILE, 1.0).person_id == tomas.id


def test_with_an_empty_roster_no_workbook_is_anyones(ladder: Ladder, roster: Roster, tomas: Person,
                                                      job: Job) -> None:
    empty = Job(ladder, dataclasses.replace(roster, people=()), QUARTER)
    outcome = examine(empty, Book(_grids(job, tomas)), FILE, 1.0)
    assert outcome.problems == (Problem(FILE, "", "", Kind.NOT_ON_ROSTER, "the roster is empty"),)


def test_a_workbook_of_last_quarter_is_read_but_not_preferred(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    title, r, c = _at(job, tomas, "meta.quarter")
    grids = _grids(job, tomas, saved)
    grids[title][r][c] = "2026-Q3"
    outcome = examine(job, Book(grids), FILE, 1.0)
    assert outcome.person_id == tomas.id and not outcome.preferred
    assert [p.kind for p in outcome.problems] == [Kind.QUARTER]


# ---- what was typed, and where ---------------------------------------------------------------------


def test_a_labelled_row_deleted_is_not_read_from_the_row_that_took_its_place(job: Job, tomas: Person) -> None:
    """The asking question's row deleted: the talk track moves up into its place, and is not read as the answer
    to the question (that row is said to be gone, and its cell is not read)."""
    grids = _grids(job, tomas, {"readout.text": "Ready to lead the APAC team", "move.asking": "No"})
    asking = next(r for r, line in enumerate(grids[READOUT]) if any("asking for a new role" in str(v) for v in line))
    del grids[READOUT][asking]
    outcome = examine(job, Book(grids), FILE, 0.0)
    on_readout = [(p.kind, p.message) for p in outcome.problems if p.sheet == READOUT]
    assert (Kind.SHIFTED_ROWS, "row 'Are you asking for a new role or title this quarter?' not found (deleted?); "
            "its cells are not read") in on_readout
    assert not any("APAC" in message for _, message in on_readout), on_readout
    assert outcome.inputs is not None and not outcome.inputs.asking_for_move


def test_a_sheet_renamed_is_read_and_said_and_the_sheet_check_knows_it(job: Job, tomas: Person) -> None:
    inputs, saved = _filled(job, tomas)
    grids = {("My metrics" if t == "Impact metrics" else t): g for t, g in _grids(job, tomas, saved).items()}
    outcome = examine(job, Book(grids), FILE, 1.0)
    assert outcome.inputs == inputs
    assert [(p.sheet, p.kind, p.severity) for p in outcome.problems] == [
        ("My metrics", Kind.RENAMED_SHEET, Severity.NOTE)]
    assert outcome.moved == ("Impact metrics",)


def test_a_column_inserted_names_the_moved_sheet_and_reads_every_input(job: Job, tomas: Person) -> None:
    inputs, saved = _filled(job, tomas)
    grids = _grids(job, tomas, saved)
    grids["Scorecard"] = [[*line[:2], "", *line[2:]] for line in grids["Scorecard"]]
    outcome = examine(job, Book(grids), FILE, 1.0)
    assert outcome.inputs == inputs and outcome.problems == ()
    assert outcome.moved == ("Scorecard",)


class _Formatted(Book):
    """A Book whose cells show numbers in the formats given (sheet, 0-based row, column) -> format."""

    def __init__(self, grids: dict[str, Grid], formats: dict[tuple[str, int, int], str]) -> None:
        super().__init__(grids)
        self._formats = formats

    def number_format(self, title: str, row: int, column: int) -> str:
        return self._formats.get((title, row, column), "")


def _text_input(job: Job, person: Person) -> str:
    """The key of a free-text input (an evidence cell)."""
    return next(k for k, (_, c) in job.shape_for(person).keys.items()
                if c.role is Role.INPUT and c.validation is not None and c.validation.check.value == "text")


def test_a_date_typed_in_a_text_cell_is_read_as_the_app_showed_it(job: Job, tomas: Person) -> None:
    """Typed "12/1/2026" into an evidence cell, the app saved the date number 46357 with a date format: the
    evidence reads "12/1/2026", not 46357."""
    _, saved = _filled(job, tomas)
    key = _text_input(job, tomas)
    saved[key] = 46357
    title, r, c = _at(job, tomas, key)
    outcome = examine(job, _Formatted(_grids(job, tomas, saved), {(title, r, c): "m/d/yyyy"}), FILE, 1.0)
    assert outcome.inputs is not None
    item, field = key.split(".")[1], key.split(".")[2]
    assert field == "evidence" and outcome.inputs.criteria[item].evidence == "12/1/2026"


def test_a_number_in_a_text_cell_without_a_date_format_stays_a_number(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    key = _text_input(job, tomas)
    saved[key] = 46357
    outcome = examine(job, _Formatted(_grids(job, tomas, saved), {}), FILE, 1.0)
    assert outcome.inputs is not None and outcome.inputs.criteria[key.split(".")[1]].evidence == "46357"


def test_a_date_format_on_a_score_cell_changes_nothing(job: Job, tomas: Person) -> None:
    inputs, saved = _filled(job, tomas)
    key = next(k for k in saved if k.endswith(".self") and isinstance(saved[k], int))
    title, r, c = _at(job, tomas, key)
    outcome = examine(job, _Formatted(_grids(job, tomas, saved), {(title, r, c): "m/d/yyyy"}), FILE, 1.0)
    assert outcome.inputs == inputs and outcome.problems == ()


# ---- the manager's locked columns -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def review_job(ladder: Ladder, roster: Roster) -> Job:
    return Job(ladder, dataclasses.replace(roster, manager_scores=ManagerScores.REVIEW), QUARTER)


def _reserved(job: Job, person: Person) -> list[str]:
    return [k for k, (_, c) in job.shape_for(person).keys.items() if c.role is Role.RESERVED]


def test_scores_typed_in_the_locked_manager_column_are_noted_and_not_used(review_job: Job, tomas: Person) -> None:
    _, saved = _filled(review_job, tomas)
    locked = _reserved(review_job, tomas)
    assert len(locked) > 4
    for k in locked[:5]:
        saved[k] = 3
    outcome = examine(review_job, Book(_grids(review_job, tomas, saved)), FILE, 1.0)
    (note,) = [p for p in outcome.problems if p.kind == Kind.NOT_FROM_MANAGER]
    refs = [review_job.shape_for(tomas).keys[k][1].ref for k in locked[:5]]
    manager = review_job.roster.manager_of(tomas).name
    assert (note.sheet, note.cell, note.severity) == ("Scorecard", f"{refs[0]}:{refs[4]}", Severity.NOTE)
    assert note.message == (f"the Manager columns are locked: {manager} scores {tomas.name} in a review workbook "
                            f"of their own, so what was typed there was not used ({refs[0]} 3, {refs[1]} 3, "
                            f"{refs[2]} 3 and 2 more)")
    assert outcome.inputs is not None
    assert all(c.manager_score is None for c in outcome.inputs.criteria.values())


def test_one_score_in_the_locked_column_names_its_cell(review_job: Job, tomas: Person) -> None:
    _, saved = _filled(review_job, tomas)
    key = _reserved(review_job, tomas)[0]
    saved[key] = 2
    outcome = examine(review_job, Book(_grids(review_job, tomas, saved)), FILE, 1.0)
    (note,) = [p for p in outcome.problems if p.kind == Kind.NOT_FROM_MANAGER]
    ref = review_job.shape_for(tomas).keys[key][1].ref
    assert note.cell == ref and note.message.endswith(f"was not used ({ref} 2)")


def test_an_untouched_locked_column_says_nothing(review_job: Job, tomas: Person) -> None:
    _, saved = _filled(review_job, tomas)
    outcome = examine(review_job, Book(_grids(review_job, tomas, saved)), FILE, 1.0)
    assert outcome.problems == ()


# ---- workbooks of other kinds ---------------------------------------------------------------------------


def test_a_guide_naming_another_kind_goes_to_that_kinds_reader(job: Job, tomas: Person) -> None:
    guide = kinds.kind_guide(kinds.MANAGER_REVIEW, "Review", [], [])
    grids = laid_out(dataclasses.replace(job.shape_for(tomas).layout, sheets=(guide,)))
    outcome = examine(job, Book(grids), "review.xlsx", 1.0)
    assert outcome.kind == kinds.MANAGER_REVIEW and outcome.person_id == ""


def test_a_guide_naming_no_kind_we_know_gives_the_problem_of_a_missing_person(job: Job, tomas: Person) -> None:
    guide = kinds.kind_guide("Budget", "Budget", [], [])
    grids = laid_out(dataclasses.replace(job.shape_for(tomas).layout, sheets=(guide,)))
    outcome = examine(job, Book(grids), "budget.xlsx", 1.0)
    assert outcome.kind == ""
    assert [(p.sheet, p.kind) for p in outcome.problems] == [(GUIDE, Kind.UNIDENTIFIED)]
    assert outcome.problems[0].message == "expected the person id of someone on the roster, found a blank cell"


# ---- one result per person ------------------------------------------------------------------------------


def _outcome(person: Person, file: str, mtime: float, *, preferred: bool = True, readable: bool = True,
             problems: tuple[Problem, ...] = ()) -> FileOutcome:
    return FileOutcome(file, mtime, person.id if readable else "", preferred, problems,
                       Inputs() if readable else None)


def _assembled(job: Job, outcomes: list[FileOutcome], unmatched: tuple[Problem, ...] = ()) -> dict[str, PersonResult]:
    results = assemble(job.ladder, job.roster, QUARTER, outcomes, unmatched, "returns/")
    return {p.person.id: p for p in results.people}


def test_everyone_on_the_roster_gets_a_result_and_those_without_a_workbook_are_missing(job: Job,
                                                                                      tomas: Person) -> None:
    results = assemble(job.ladder, job.roster, QUARTER, [_outcome(tomas, "a.xlsx", 1.0)], [], "returns/")
    assert [p.person.id for p in results.people] == [p.id for p in job.roster.people]
    assert {p.person.id: p.status for p in results.people if p.person.id != tomas.id} == {
        p.id: Status.MISSING for p in job.roster.people if p.id != tomas.id}
    mine = next(p for p in results.people if p.person.id == tomas.id)
    assert (mine.status, mine.file) == (Status.COMPLETE, "a.xlsx")
    assert (results.quarter, results.ladder_id, results.ladder_version, results.source) == (
        QUARTER, job.ladder.id, job.ladder.version, "returns/")
    assert results.template_version == layout.template_version(job.ladder)
    when = datetime.fromisoformat(results.collected_at)
    assert when.tzinfo is not None and when.microsecond == 0
    assert (datetime.now(when.tzinfo) - when).total_seconds() < 60


def test_files_of_nobody_go_with_the_unmatched_after_those_given(job: Job) -> None:
    given = Problem("x.txt", "", "", Kind.WRONG_FORMAT, "not a workbook")
    stray = Problem("budget.xlsx", "", "", Kind.UNIDENTIFIED, "not ours")
    results = assemble(job.ladder, job.roster, QUARTER, [FileOutcome("budget.xlsx", 1.0, problems=(stray,))],
                       [given], "returns/")
    assert results.unmatched == (given, stray)


def test_the_newest_workbook_is_used_and_the_older_named_as_ignored(job: Job, tomas: Person) -> None:
    people = _assembled(job, [_outcome(tomas, "new.xlsx", 2.0), _outcome(tomas, "old.xlsx", 1.0)])
    mine = people[tomas.id]
    assert mine.file == "new.xlsx" and mine.status == Status.INVALID
    assert mine.problems == (Problem("old.xlsx", "", "", Kind.DUPLICATE, f"old.xlsx was ignored: new.xlsx is also "
                             f"{tomas.id}'s workbook and was used (newer); remove the one that is wrong"),)


def test_this_quarters_workbook_is_used_over_a_newer_one_of_another(job: Job, tomas: Person) -> None:
    people = _assembled(job, [_outcome(tomas, "q4.xlsx", 1.0), _outcome(tomas, "q3.xlsx", 5.0, preferred=False)])
    mine = people[tomas.id]
    assert mine.file == "q4.xlsx"
    assert mine.problems[0].message == (f"q3.xlsx was ignored: q4.xlsx is also {tomas.id}'s workbook and was used "
                                        "(for this quarter and template); remove the one that is wrong")


def test_of_two_modified_at_once_the_last_by_name_is_used(job: Job, tomas: Person) -> None:
    people = _assembled(job, [_outcome(tomas, "b.xlsx", 1.0), _outcome(tomas, "a.xlsx", 1.0)])
    mine = people[tomas.id]
    assert mine.file == "b.xlsx"
    assert "(modified at the same time, last by name)" in mine.problems[0].message
    assert mine.problems[0].file == "a.xlsx"


def test_a_readable_workbook_is_used_over_a_newer_one_that_could_not_be_read(job: Job, tomas: Person) -> None:
    unreadable = (Problem("new.numbers", "", "", Kind.WRONG_FORMAT, "a Numbers file"),)
    people = _assembled(job, [_outcome(tomas, "new.numbers", 9.0, readable=False, problems=unreadable),
                              _outcome(tomas, "ok.xlsx", 1.0)])
    # a file that could not be read has no person: it is not among Tomáš's, so nothing is said of it here
    assert people[tomas.id].file == "ok.xlsx" and people[tomas.id].problems == ()


def test_an_unreadable_file_of_the_person_is_noted_beside_the_one_used(job: Job, tomas: Person) -> None:
    wrong = FileOutcome("new.numbers", 9.0, tomas.id, True,
                        (Problem("new.numbers", "", "", Kind.WRONG_FORMAT, "a Numbers file"),), None)
    broken = FileOutcome("zz.xlsx", 8.0, tomas.id, True,
                         (Problem("zz.xlsx", "", "", Kind.UNREADABLE, "the file is encrypted"),), None)
    silent = FileOutcome("zzz.xlsx", 7.0, tomas.id, True, (), None)
    mine = _assembled(job, [wrong, broken, silent, _outcome(tomas, "ok.xlsx", 1.0)])[tomas.id]
    assert mine.file == "ok.xlsx" and mine.status == Status.COMPLETE
    assert set(mine.problems) == {
        Problem("new.numbers", "", "", Kind.WRONG_FORMAT, "also returned in a format that cannot be read; ok.xlsx was "
                "used", Severity.NOTE),
        Problem("zz.xlsx", "", "", Kind.UNREADABLE, "also returned, not read (the file is encrypted); ok.xlsx was "
                "used", Severity.NOTE),
        Problem("zzz.xlsx", "", "", Kind.UNREADABLE, "also returned, not read (it could not be read); ok.xlsx was "
                "used", Severity.NOTE)}


def test_when_no_file_could_be_read_the_newest_is_used_and_the_others_named(job: Job, tomas: Person) -> None:
    a = FileOutcome("a.numbers", 2.0, tomas.id, True, (Problem("a.numbers", "", "", Kind.WRONG_FORMAT, "no"),), None)
    b = FileOutcome("b.numbers", 1.0, tomas.id, True, (Problem("b.numbers", "", "", Kind.WRONG_FORMAT, "no"),), None)
    mine = _assembled(job, [b, a])[tomas.id]
    assert mine.file == "a.numbers" and mine.status == Status.INVALID
    assert [p.kind for p in mine.problems] == [Kind.WRONG_FORMAT, Kind.DUPLICATE]
    assert mine.problems[1].file == "b.numbers"


def test_the_used_workbooks_problems_set_the_status(job: Job, tomas: Person) -> None:
    blank = Problem(FILE, "Scorecard", "G6", Kind.BLANK, "blank", Severity.INCOMPLETE)
    mine = _assembled(job, [_outcome(tomas, FILE, 1.0, problems=(blank,))])[tomas.id]
    assert (mine.status, mine.problems) == (Status.INCOMPLETE, (blank,))


def test_person_info_is_the_roster_and_ladder_in_words(job: Job, tomas: Person) -> None:
    info = person_info(job.ladder, job.roster, tomas)
    manager = job.roster.manager_of(tomas)
    assert (info.id, info.name, info.email) == (tomas.id, tomas.name, tomas.email)
    assert (info.level, info.level_name) == (tomas.level, job.ladder.level(tomas.level).name)
    assert (info.target_level, info.target_level_name) == (tomas.target_level,
                                                            job.ladder.level(tomas.target_level).name)
    assert info.level_name != info.target_level_name
    assert (info.manager_id, info.manager_name, info.manager_email, info.team) == (
        manager.id, manager.name, manager.email, manager.team)
    assert info.in_level_since == tomas.in_level_since


# ---- every problem names the file, and the cell where it is now --------------------------------------


def test_a_review_workbook_keeps_its_file_and_time(job: Job, tomas: Person) -> None:
    guide = kinds.kind_guide(kinds.MANAGER_REVIEW, "Review", [], [])
    outcome = examine(job, Book(laid_out(dataclasses.replace(job.shape_for(tomas).layout, sheets=(guide,)))),
                      "review.xlsx", 3.0)
    assert (outcome.file, outcome.mtime, outcome.kind) == ("review.xlsx", 3.0, kinds.MANAGER_REVIEW)


def test_a_workbook_of_nobody_keeps_its_file_and_time(job: Job) -> None:
    outcome = examine(job, Book({"Budget": [["x"]]}), "budget.xlsx", 7.5)
    assert (outcome.file, outcome.mtime) == ("budget.xlsx", 7.5)


def test_a_wrong_quarter_is_said_at_the_cell_where_it_now_is(job: Job, tomas: Person) -> None:
    """A column inserted in the Guide moved the quarter: the problem names its cell now, in this file."""
    _, saved = _filled(job, tomas)
    title, r, c = _at(job, tomas, "meta.quarter")
    grids = _grids(job, tomas, saved)
    grids[title][r][c] = "2026-Q3"
    grids[title] = [["", *line] for line in grids[title]]
    outcome = examine(job, Book(grids), FILE, 1.0)
    (problem,) = [p for p in outcome.problems if p.kind == Kind.QUARTER]
    _, ref = _cell(job, tomas, "meta.quarter")
    moved = chr(ord(ref[0]) + 1) + ref[1:]
    assert (problem.file, problem.sheet, problem.cell) == (FILE, GUIDE, moved)


def test_a_deleted_sheet_is_named_in_this_file(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    grids = _grids(job, tomas, saved)
    del grids["Impact metrics"]
    outcome = examine(job, Book(grids), FILE, 1.0)
    missing = [p for p in outcome.problems if p.kind == Kind.MISSING_SHEET]
    assert [(p.file, p.sheet) for p in missing] == [(FILE, "Impact metrics")]


def test_a_deleted_sheet_is_named_even_when_another_was_renamed(job: Job, tomas: Person) -> None:
    """One sheet renamed (and read by its contents), another deleted: the deleted one is still said missing."""
    _, saved = _filled(job, tomas)
    grids = {("My scores" if t == "Scorecard" else t): g for t, g in _grids(job, tomas, saved).items()}
    del grids["Impact metrics"]
    outcome = examine(job, Book(grids), FILE, 1.0)
    assert [(p.sheet, p.kind) for p in outcome.problems if p.kind in (Kind.MISSING_SHEET, Kind.RENAMED_SHEET)] == [
        ("Impact metrics", Kind.MISSING_SHEET), ("My scores", Kind.RENAMED_SHEET)]
    assert "sheets found: 'Guide', 'My scores', 'Pivot matrix', 'Promotion read-out'" in outcome.problems[0].message


def test_a_guide_renamed_with_its_facts_is_still_whose_workbook_it_is(job: Job, tomas: Person) -> None:
    inputs, saved = _filled(job, tomas)
    grids = {("Start here" if t == GUIDE else t): g for t, g in _grids(job, tomas, saved).items()}
    outcome = examine(job, Book(grids), FILE, 1.0)
    assert outcome.person_id == tomas.id and outcome.inputs == inputs
    assert [(p.file, p.sheet, p.kind) for p in outcome.problems] == [(FILE, "Start here", Kind.RENAMED_SHEET)]


def test_the_missing_guide_problem_names_the_file(job: Job, tomas: Person) -> None:
    grids = {("Start here" if t == GUIDE else t): g for t, g in _grids(job, tomas).items()}
    grids["Start here"] = [[""]]
    (problem,) = examine(job, Book(grids), FILE, 1.0).problems
    assert problem.file == FILE


def test_a_value_out_of_range_is_said_in_this_file(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    key = next(k for k in saved if k.endswith(".self") and isinstance(saved[k], int))
    saved[key] = 9
    outcome = examine(job, Book(_grids(job, tomas, saved)), FILE, 1.0)
    bad = [p for p in outcome.problems if p.kind == Kind.OUT_OF_RANGE]
    assert [(p.file, p.cell) for p in bad] == [(FILE, _cell(job, tomas, key)[1])]


def test_a_formula_saved_with_another_value_is_tampered_in_this_file(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    saved["result.self_pct"] = 0.01
    outcome = examine(job, Book(_grids(job, tomas, saved)), FILE, 1.0)
    tampered = [p for p in outcome.problems if p.kind == Kind.TAMPERED]
    assert [(p.file, p.cell) for p in tampered] == [(FILE, _cell(job, tomas, "result.self_pct")[1])]


def test_a_formula_left_blank_is_judged_only_where_errors_are_not_read_as_blank(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    saved["result.self_pct"] = None
    judged = examine(job, Book(_grids(job, tomas, saved), errors_read_as_blank=False), FILE, 1.0)
    blind = examine(job, Book(_grids(job, tomas, saved)), FILE, 1.0)
    assert [p.kind for p in judged.problems] != [p.kind for p in blind.problems]


class _NoFormulas(Book):
    """A Book whose format records which cells hold a formula: none on the Scorecard (typed over, all of them)."""

    def formula_cells(self, title: str) -> set[tuple[int, int]] | None:  # type: ignore[override]
        return set() if title == "Scorecard" else None


def test_formula_cells_typed_over_are_found_where_the_format_records_formulas(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    outcome = examine(job, _NoFormulas(_grids(job, tomas, saved)), FILE, 1.0)
    assert outcome.problems and {(p.file, p.sheet, p.kind) for p in outcome.problems} == {
        (FILE, "Scorecard", Kind.TAMPERED)}


def test_sorted_criteria_are_read_and_the_totals_over_them_not_accused(job: Job, tomas: Person) -> None:
    """Sorting moves each row's saved values with it; totals that depend on the rows' order are not judged."""
    inputs, saved = _filled(job, tomas)
    grids = _grids(job, tomas, saved)
    sheet = grids["Scorecard"]
    rows = [r for r, line in enumerate(sheet) if isinstance(line[0], str) and line[0].startswith("SR-")]
    sheet[rows[0]:rows[-1] + 1] = sheet[rows[0]:rows[-1] + 1][::-1]
    outcome = examine(job, Book(grids), FILE, 1.0)
    assert outcome.inputs == inputs
    assert [p.kind for p in outcome.problems] == [Kind.SORTED]


def test_text_typed_in_a_text_cell_with_a_date_format_stays_text(job: Job, tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    key = _text_input(job, tomas)
    saved[key] = "ran three POCs"
    title, r, c = _at(job, tomas, key)
    outcome = examine(job, _Formatted(_grids(job, tomas, saved), {(title, r, c): "m/d/yyyy"}), FILE, 1.0)
    assert outcome.inputs is not None and outcome.inputs.criteria[key.split(".")[1]].evidence == "ran three POCs"


@pytest.mark.parametrize(("typed", "more"), [(3, ""), (4, " and 1 more")])
def test_the_locked_column_note_quotes_three_cells(review_job: Job, tomas: Person, typed: int, more: str) -> None:
    _, saved = _filled(review_job, tomas)
    for k in _reserved(review_job, tomas)[:typed]:
        saved[k] = 1
    outcome = examine(review_job, Book(_grids(review_job, tomas, saved)), FILE, 1.0)
    (note,) = [p for p in outcome.problems if p.kind == Kind.NOT_FROM_MANAGER]
    assert note.file == FILE and note.message.endswith(f" 1{more})")


# ---- other kinds' parts, and the peer round ------------------------------------------------------------


def test_a_review_s_scores_go_to_the_se_it_scores(job: Job, tomas: Person) -> None:
    criteria = {c.id: CriterionInput(manager_score=3) for c in job.ladder.rubric_for(tomas.target_level).criteria}
    review = FileOutcome("review.xlsx", 5.0, kind=kinds.MANAGER_REVIEW, author=job.roster.manager_of(tomas).id,
                         parts=(Part(kinds.MANAGER_REVIEW, tomas.id, job.roster.manager_of(tomas).id,
                                     Inputs(criteria=criteria)),))
    roster = dataclasses.replace(job.roster, manager_scores=ManagerScores.REVIEW)
    results = assemble(job.ladder, roster, QUARTER, [_outcome(tomas, FILE, 1.0), review], [], "returns/")
    mine = next(p for p in results.people if p.person.id == tomas.id)
    assert mine.inputs is not None and all(c.manager_score == 3 for c in mine.inputs.criteria.values())
    assert mine.scores is not None and mine.scores.manager_pct is not None
    assert results.unmatched == ()


def test_a_rater_s_answers_go_to_the_ses_they_rate_and_their_problems_stay_theirs(job: Job, review_roster: Roster,
                                                                                 tomas: Person) -> None:
    dana = "dana.ross@apex-cloud.example"
    typo = Problem("dana.xlsx", "Tomáš", "C5", Kind.OUT_OF_RANGE, "expected 0-3, found 4")
    answer = PeerAnswer(dana, "Dana Ross", RaterRole.AE, {"SR-01": 2.0})
    peer = FileOutcome("dana.xlsx", 1.0, problems=(typo,), kind=kinds.PEER_INPUT, author=dana,
                       parts=(Part(kinds.PEER_INPUT, tomas.id, dana, Inputs(), peer=answer),))
    results = assemble(job.ladder, review_roster, QUARTER, [peer], [], "returns/")
    mine = next(p for p in results.people if p.person.id == tomas.id)
    assert mine.peers == (answer,) and mine.problems == ()
    assert next(p for p in results.people if p.person.id != tomas.id).peers == ()
    assert results.unmatched == ()
    (rater,) = [r for r in results.raters if r.email == dana]
    assert (rater.file, rater.problems) == ("dana.xlsx", (typo,))


def test_a_person_s_scores_count_the_metrics_of_their_level(job: Job, roster: Roster) -> None:
    """Priya's level has metrics of its own: her scores are worked out for her level, not every level."""
    priya = find_person(roster, "priya-raman")
    inputs, saved = _filled(job, priya)
    outcome = examine(job, Book(_grids(job, priya, saved)), "priya.xlsx", 1.0)
    rubric = job.ladder.rubric_for(priya.target_level)
    assert outcome.scores == scoring.score(job.ladder, rubric, inputs, priya.level)
    assert outcome.scores != scoring.score(job.ladder, rubric, inputs)


def test_a_text_result_read_back_as_a_number_is_judged_only_where_text_results_are_kept(job: Job,
                                                                                      tomas: Person) -> None:
    _, saved = _filled(job, tomas)
    saved["result.self_band"] = 0
    kept = examine(job, Book(_grids(job, tomas, saved)), FILE, 1.0)
    assert [(p.kind, p.cell) for p in kept.problems] == [(Kind.TAMPERED, _cell(job, tomas, "result.self_band")[1])]
    lost = examine(job, Book(_grids(job, tomas, saved), keeps_text_results=False), FILE, 1.0)
    assert lost.problems == ()


def test_a_talk_track_built_from_a_date_typed_as_text_is_not_accused(job: Job, tomas: Person) -> None:
    """The period typed "12/1/2026" became the date number 46357, which the talk track formula joined as
    "46357"; the period reads as shown, and the talk track, which saw the number, is not judged against it."""
    inputs, saved = _filled(job, tomas)
    seen = dataclasses.replace(inputs, readout={**inputs.readout, "period": "46357"}, asking_for_move=True)
    keys = job.shape_for(tomas).keys
    saved |= {k: v for k, v in layout.expected_values(job.ladder, tomas, seen).items() if k in keys}
    saved |= {"readout.period": 46357, "move.asking": "Yes"}
    title, r, c = _at(job, tomas, "readout.period")
    outcome = examine(job, _Formatted(_grids(job, tomas, saved), {(title, r, c): "m/d/yyyy"}), FILE, 1.0)
    assert outcome.inputs is not None and outcome.inputs.readout["period"] == "12/1/2026"
    assert outcome.problems == ()


def test_the_used_workbook_s_inputs_scores_and_problems_are_the_person_s_once(job: Job, tomas: Person) -> None:
    """Manager scores in the SE's own workbook (managers score there): the result holds that workbook's inputs
    and scores, and each of its problems once."""
    inputs, saved = _filled(job, tomas)
    read = examine(job, Book(_grids(job, tomas, saved)), FILE, 1.0)
    note = Problem(FILE, "Scorecard", "Z9", Kind.IGNORED, "typed where the workbook has no field", Severity.NOTE)
    mine = _assembled(job, [dataclasses.replace(read, problems=(note,))])[tomas.id]
    assert (mine.inputs, mine.scores) == (inputs, read.scores)
    assert mine.problems == (note,) and mine.status is Status.COMPLETE


def test_a_workbook_without_manager_scores_keeps_its_own_scores(job: Job, tomas: Person) -> None:
    inputs = Inputs(criteria={"SR-01": CriterionInput(self_score=2)})
    scores = scoring.score(job.ladder, job.ladder.rubric_for(tomas.target_level), inputs, tomas.level)
    mine = _assembled(job, [FileOutcome(FILE, 1.0, tomas.id, True, (), inputs, scores)])[tomas.id]
    assert (mine.inputs, mine.scores) == (inputs, scores)
