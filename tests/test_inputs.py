"""inputs.py: raw cell values -> Inputs + problems. Pure tables, no I/O.

Validation rules come from the layout itself (the same rules the workbook enforces), so
these tests hold the parser to what the workbook promises its users.
"""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from ladder_sheets.core import layout, scoring
from ladder_sheets.core.inputs import CellError, describe, parse_cell, parse_inputs, show
from ladder_sheets.core.cells import ASKING, METRICS, PIVOTS, READOUT, SCORECARD, Check, Role, Validation, WorkbookLayout
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Problem, Severity

from tests.conftest import DUE, QUARTER
from tests.support.fill import random_inputs

FILE = "returned/leticia-moreno.xlsx"


@pytest.fixture(scope="module")
def wl(ladder: Ladder, roster: Roster) -> WorkbookLayout:
    return layout.build(ladder, roster, roster.people[0], QUARTER, DUE)


@pytest.fixture(scope="module")
def rules(wl: WorkbookLayout) -> dict[str, Validation]:
    """One rule of each kind, taken from the layout's own input cells."""
    cells = wl.by_key()
    criterion = next(k for k in cells if k.endswith(".self")).removesuffix(".self")
    optional = next(k for k, (_, c) in cells.items() if c.validation and c.validation.check is Check.SCORE_OR_NA)
    metric = next(k for k in cells if k.endswith(".actual"))
    pivot = next(k for k in cells if k.endswith(".signal"))
    picks = {"score": f"{criterion}.self", "score_or_na": optional, "evidence": f"{criterion}.evidence", "number": metric,
             "signal": pivot, "percent": "readout.win_quota_pct", "level": "readout.operating_level",
             "text": "readout.period", "track": "track_preference"}
    out = {}
    for name, key in picks.items():
        rule = cells[key][1].validation
        assert rule is not None, key
        out[name] = rule
    return out


def _expected_score(ladder: Ladder) -> str:
    return f"a whole number from 0 to {ladder.scale.max}"


# ---- one cell: accepted values ---------------------------------------------------------------


@pytest.mark.parametrize(("rule", "raw", "value", "adjusted"), [
    ("score", 0.0, 0.0, False),
    ("score", 3.0, 3.0, False),
    ("score", 2, 2.0, False),
    ("number", 1.75, 1.75, False),
    ("number", 0, 0.0, False),
    ("number", 1e6, 1e6, False),
    ("percent", 115.0, 115.0, False),
    ("percent", 0, 0.0, False),
    ("signal", "Yes", "Yes", False),
    ("signal", "yes", "Yes", True),  # case-insensitive, normalised
    ("signal", " NO ", "No", True),
    ("level", "principal se", "Principal SE", True),
    ("text", "six months", "six months", False),
    ("text", "=1+1", "=1+1", False),  # user text is data, never a formula
    ("text", 42.0, "42", True),  # a number typed in a text cell reads as the spreadsheet shows it
    ("text", date(2026, 1, 2), "2026-01-02", True),
    ("evidence", "Won the Acme POC", "Won the Acme POC", False),
    ("score", None, None, False),
    ("score", "   ", None, True),  # only spaces: blank for us, not for the workbook's formulas
    ("score_or_na", 2, 2.0, False),
    ("score_or_na", "n/o", "n/o", False),  # not observed yet
    ("score_or_na", "N/O", "n/o", True),  # case and spaces ignored, as the workbook's COUNTIF ignores case
    ("score_or_na", " n/o ", "n/o", True),
    ("text", None, None, False),
])
def test_accepted(rules: dict[str, Validation], rule: str, raw: object, value: object, adjusted: bool) -> None:
    parsed = parse_cell(rules[rule], raw)  # type: ignore[arg-type]
    assert parsed.problem is None
    assert parsed.value == value and type(parsed.value) is type(value)
    assert parsed.adjusted is adjusted


def test_track_options_come_from_the_ladder(ladder: Ladder, rules: dict[str, Validation]) -> None:
    for option in ladder.track_options:
        assert parse_cell(rules["track"], option.upper()).value == option


# ---- one cell: rejected values ---------------------------------------------------------------


@pytest.mark.parametrize(("rule", "raw", "kind", "found"), [
    ("score", "2", Kind.WRONG_TYPE, "text '2'"),  # a number stored as text: COUNT ignores it
    ("score", "two", Kind.WRONG_TYPE, "text 'two'"),
    ("score", 2.5, Kind.NOT_WHOLE, "2.5"),
    ("score", 4.0, Kind.OUT_OF_RANGE, "4"),
    ("score", -1.0, Kind.OUT_OF_RANGE, "-1"),
    ("score", True, Kind.WRONG_TYPE, "TRUE"),
    ("score", datetime(2026, 1, 2), Kind.WRONG_TYPE, "a date/time 2026-01-02T00:00:00"),
    ("score", float("inf"), Kind.WRONG_TYPE, "inf"),
])
def test_rejected_score(ladder: Ladder, rules: dict[str, Validation], rule: str, raw: object, kind: Kind,
                        found: str) -> None:
    parsed = parse_cell(rules[rule], raw)  # type: ignore[arg-type]
    assert parsed.value is None  # treated as blank for scoring, as the workbook's COUNT does
    assert parsed.adjusted
    assert parsed.problem == (kind, f"expected {_expected_score(ladder)}, found {found}")


def test_not_observed_is_offered_only_where_the_ladder_allows_it(ladder: Ladder, rules: dict[str, Validation]) -> None:
    label = ladder.not_observed.label
    assert rules["score_or_na"].options == (*rules["score"].options, label)
    plain = parse_cell(rules["score"], label)
    assert plain.value is None and plain.problem == (Kind.WRONG_TYPE, f"expected {_expected_score(ladder)}, found text "
                                                                      f"'{label}'")
    other = parse_cell(rules["score_or_na"], "n.a.")
    assert other.value is None and other.problem == (
        Kind.WRONG_TYPE, f"expected {_expected_score(ladder)}, or {label} (not observed yet), found text 'n.a.'")


@pytest.mark.parametrize(("rule", "raw", "kind", "message"), [
    ("number", -3.0, Kind.OUT_OF_RANGE, "expected a number of 0 or more, found -3"),
    ("number", "12 hours", Kind.WRONG_TYPE, "expected a number of 0 or more, found text '12 hours'"),
    ("number", False, Kind.WRONG_TYPE, "expected a number of 0 or more, found FALSE"),
    ("percent", 115.5, Kind.NOT_WHOLE, "expected a whole number of percent from 0 to 1000, found 115.5"),
    ("percent", 1.15, Kind.NOT_WHOLE,
     "expected a whole number of percent from 0 to 1000, found 1.15 (typed as 115%? enter 115)"),
    ("percent", 1001.0, Kind.OUT_OF_RANGE, "expected a whole number of percent from 0 to 1000, found 1001"),
    ("percent", -5.0, Kind.OUT_OF_RANGE, "expected a whole number of percent from 0 to 1000, found -5"),
    ("percent", "115%", Kind.WRONG_TYPE, "expected a whole number of percent from 0 to 1000, found text '115%'"),
    ("signal", "Maybe", Kind.NOT_AN_OPTION, "expected one of Yes, No, found text 'Maybe'"),
    ("signal", 1.0, Kind.NOT_AN_OPTION, "expected one of Yes, No, found 1"),
])
def test_rejected(rules: dict[str, Validation], rule: str, raw: object, kind: Kind, message: str) -> None:
    parsed = parse_cell(rules[rule], raw)  # type: ignore[arg-type]
    assert (parsed.value, parsed.problem, parsed.adjusted) == (None, (kind, message), True)


def test_level_choice_lists_the_ladder_levels(ladder: Ladder, rules: dict[str, Validation]) -> None:
    parsed = parse_cell(rules["level"], "Grand Wizard")
    names = ", ".join(lv.name for lv in ladder.levels)
    assert parsed.problem == (Kind.NOT_AN_OPTION, f"expected one of {names}, found text 'Grand Wizard'")


def test_too_long_text_is_an_error_but_kept_as_the_formulas_use_it(rules: dict[str, Validation]) -> None:
    limit = int(rules["evidence"].maximum)
    text = "x" * (limit + 1)
    parsed = parse_cell(rules["evidence"], text)
    assert parsed.value == text and not parsed.adjusted
    assert parsed.problem == (Kind.TOO_LONG, f"expected at most {limit:,} characters, found {limit + 1:,}")
    assert parse_cell(rules["evidence"], "x" * limit).problem is None


@pytest.mark.parametrize(("value", "text"), [
    (None, "a blank cell"), ("", "a blank cell"), (3.0, "3"), (0.5128205128205128, "0.5128205128"),
    (True, "TRUE"), ("Ready", "text 'Ready'"), ("y" * 80, "text '" + "y" * 57 + "...'"),
])
def test_show(value: object, text: str) -> None:
    assert show(value) == text  # type: ignore[arg-type]


# ---- a whole workbook ------------------------------------------------------------------------


def test_valid_inputs_become_the_model_with_no_problems(ladder: Ladder, wl: WorkbookLayout) -> None:
    rubric = ladder.rubric_for(wl.person.target_level)
    expected, values = random_inputs(ladder, rubric, random.Random(7), level=wl.person.level)
    raw = {c.key: values.get(c.key) for _, c in wl.cells(Role.INPUT)}
    parsed = parse_inputs(ladder, wl, raw, FILE)
    assert parsed.problems == ()
    assert parsed.adjusted == frozenset()
    assert parsed.inputs == expected
    assert scoring.score(ladder, rubric, parsed.inputs) == scoring.score(ladder, rubric, expected)


def _required(wl: WorkbookLayout, title: str) -> list[str]:
    """The refs of a sheet's required SE inputs, in layout order."""
    return [c.ref for s, c in wl.cells(Role.INPUT) if s.title == title
            and not c.key.endswith((".evidence", ".notes", ".manager", ".comment"))]


@pytest.mark.parametrize("asking", [None, "No", "Yes"])
def test_a_blank_workbook_is_one_problem_per_section_not_one_per_cell(ladder: Ladder, wl: WorkbookLayout,
                                                                      asking: str | None) -> None:
    """The pivot matrix and the read-out are required only of an SE asking for a move this quarter."""
    raw = {c.key: None for _, c in wl.cells(Role.INPUT)} | {ASKING: asking}
    parsed = parse_inputs(ladder, wl, raw, FILE)
    rubric = ladder.rubric_for(wl.person.target_level)
    keys = [c.key for _, c in wl.cells(Role.INPUT)]
    criteria, metrics = len(rubric.criteria), sum(k.endswith(".actual") for k in keys)
    pivots, answers = sum(k.endswith(".signal") for k in keys), sum(k.startswith("readout.") for k in keys)
    only_when_asking = [
        (PIVOTS, Kind.NOT_STARTED,
         f"Pivot matrix not started: {pivots} pivots to rate and the track preference to fill in"),
        (READOUT, Kind.NOT_STARTED, f"Promotion read-out not started: {answers} read-out answers to write"),
    ] if asking == "Yes" else []
    assert parsed.inputs.asking_for_move is (asking == "Yes")
    assert [(p.sheet, p.kind, p.message) for p in parsed.problems] == [
        (SCORECARD, Kind.NOT_STARTED, f"Scorecard not started: {criteria} criteria to self-score"),
        (METRICS, Kind.NOT_STARTED, f"Impact metrics not started: {metrics} metrics to report"),
        *only_when_asking,
        (SCORECARD, Kind.AWAITING_MANAGER, f"Manager scores not started: {criteria} criteria to score"),
    ]
    assert all(p.severity is Severity.INCOMPLETE for p in parsed.problems)
    self_refs, manager_refs = _required(wl, SCORECARD), [c.ref for _, c in wl.cells(Role.INPUT)
                                                                if c.key.endswith(".manager")]
    assert [p.cell for p in parsed.problems if p.sheet == SCORECARD] == [
        f"{self_refs[0]}:{self_refs[-1]}", f"{manager_refs[0]}:{manager_refs[-1]}"]
    scores = scoring.score(ladder, rubric, parsed.inputs)
    assert scores.self_missing == scores.manager_missing == tuple(c.id for c in rubric.criteria)


@pytest.mark.parametrize("typed", ["criteria.{c}.self", "criteria.{c}.evidence"])
def test_a_started_section_lists_each_blank_cell_and_the_others_stay_summarised(
        ladder: Ladder, wl: WorkbookLayout, typed: str) -> None:
    rubric = ladder.rubric_for(wl.person.target_level)
    first = rubric.criteria[0].id
    key = typed.format(c=first)
    raw: dict[str, object] = {c.key: None for _, c in wl.cells(Role.INPUT)}
    raw[key] = 2 if key.endswith(".self") else "ran the demo"
    parsed = parse_inputs(ladder, wl, raw, FILE)  # type: ignore[arg-type]
    cells = wl.by_key()
    listed = [c.id for c in rubric.criteria if f"criteria.{c.id}.self" != key]
    assert [(p.sheet, p.cell, p.kind, p.message) for p in parsed.problems if p.sheet == SCORECARD] == [
        *((SCORECARD, cells[f"criteria.{i}.self"][1].ref, Kind.BLANK, f"self score for {i} is blank")
          for i in listed),
        (SCORECARD, parsed.problems[-1].cell, Kind.AWAITING_MANAGER,
         f"Manager scores not started: {len(rubric.criteria)} criteria to score")]
    # The Impact metrics not started; the pivot matrix and the read-out not required (not asking for a move).
    assert [(p.sheet, p.kind) for p in parsed.problems if p.sheet != SCORECARD] == [(METRICS, Kind.NOT_STARTED)]


def test_a_wrong_value_starts_its_section(ladder: Ladder, wl: WorkbookLayout) -> None:
    metric = next(c.key for _, c in wl.cells(Role.INPUT) if c.key.endswith(".actual"))
    raw: dict[str, object] = {c.key: None for _, c in wl.cells(Role.INPUT)}
    raw[metric] = "lots"
    parsed = parse_inputs(ladder, wl, raw, FILE)  # type: ignore[arg-type]
    kinds = [p.kind for p in parsed.problems if p.sheet == METRICS]
    assert kinds[0] == Kind.WRONG_TYPE and set(kinds[1:]) == {Kind.BLANK}
    assert len(kinds) == len(_required(wl, METRICS))


def test_manager_cells_blank_apart_from_self(ladder: Ladder, wl: WorkbookLayout) -> None:
    rubric = ladder.rubric_for(wl.person.target_level)
    _, values = random_inputs(ladder, rubric, random.Random(3), level=wl.person.level)
    first, third = rubric.criteria[0].id, rubric.criteria[2].id
    raw = {c.key: values.get(c.key) for _, c in wl.cells(Role.INPUT)}
    raw[f"criteria.{first}.manager"] = raw[f"criteria.{third}.manager"] = None
    parsed = parse_inputs(ladder, wl, raw, FILE)
    cells = wl.by_key()
    refs = [cells[f"criteria.{i}.manager"][1].ref for i in (first, third)]
    assert parsed.problems == (Problem(FILE, SCORECARD, ",".join(refs), Kind.AWAITING_MANAGER,
                                       f"the manager has not scored 2 criteria yet: {first}, {third}",
                                       Severity.INCOMPLETE),)
    scores = scoring.score(ladder, rubric, parsed.inputs)
    assert scores.self_missing == () and scores.manager_missing == (first, third)
    assert scores.self_pct is not None and scores.manager_pct is None


def test_invalid_value_is_an_error_located_at_its_cell_and_blank_for_scoring(ladder: Ladder, wl: WorkbookLayout) -> None:
    rubric = ladder.rubric_for(wl.person.target_level)
    _, values = random_inputs(ladder, rubric, random.Random(5), level=wl.person.level)
    second = rubric.criteria[2].id
    key = f"criteria.{second}.self"
    raw = {c.key: values.get(c.key) for _, c in wl.cells(Role.INPUT)}
    raw[key] = 2.5
    parsed = parse_inputs(ladder, wl, raw, FILE)
    ref = wl.by_key()[key][1].ref
    assert parsed.problems == (Problem(FILE, SCORECARD, ref, Kind.NOT_WHOLE,
                                       f"expected {_expected_score(ladder)}, found 2.5", Severity.ERROR),)
    assert str(parsed.problems[0]) == f"{FILE}: 'Scorecard'!{ref}: expected {_expected_score(ladder)}, found 2.5"
    assert parsed.adjusted == {key}
    assert parsed.inputs.criteria[second].self_score is None
    assert scoring.score(ladder, rubric, parsed.inputs).self_pct is None


def test_cells_absent_from_the_read_raise_no_problem(ladder: Ladder, wl: WorkbookLayout) -> None:
    """Cells of a missing or shifted sheet are left out by collect, which reports that once."""
    parsed = parse_inputs(ladder, wl, {}, FILE)
    assert parsed.problems == ()
    assert parsed.inputs.criteria == {} and parsed.inputs.track_preference == ""


@pytest.mark.parametrize(("key", "words"), [
    ("criteria.SR-04.self", "self score for SR-04"),
    ("criteria.SR-04.evidence", "evidence for SR-04"),
    ("metrics.mentorship_hours.actual", "actual for Mentorship hours"),
    ("pivots.sales_ae.signal", "readiness signal for Sales / AE"),
    ("pivots.sales_ae.interest", "interest in Sales / AE"),
    ("track_preference", "track preference"),
    ("readout.win_quota_pct", "read-out answer 'Technical win quota attained (%)'"),
])
def test_describe(ladder: Ladder, key: str, words: str) -> None:
    names = {p.id: p.name for p in ladder.pivots}
    assert describe(ladder, key) == words.replace("Sales / AE", names["sales_ae"])


def test_text_typed_as_a_formula_is_named_by_cell_and_criterion(ladder: Ladder, wl: WorkbookLayout) -> None:
    """A cell showing an error value (evidence typed with a leading "="): an error saying which criterion and how
    to keep the text, and the cell counted as adjusted."""
    rubric = ladder.rubric_for(wl.person.target_level)
    _, values = random_inputs(ladder, rubric, random.Random(5), level=wl.person.level)
    raw: dict[str, object] = {c.key: values.get(c.key) for _, c in wl.cells(Role.INPUT)}
    first = rubric.criteria[0]
    key = f"criteria.{first.id}.evidence"
    raw[key] = CellError("#NAME?")
    parsed = parse_inputs(ladder, wl, raw, FILE)  # type: ignore[arg-type]
    sheet, cell = wl.by_key()[key]
    assert parsed.problems == (Problem(FILE, sheet.title, cell.ref, Kind.ERROR_VALUE,
                                       f"Evidence for {first.id} ('{first.text}') shows an error (#NAME?): it was "
                                       "typed as a formula; type it again with an apostrophe before the = to keep it "
                                       "as text", Severity.ERROR),)
    assert parsed.adjusted == frozenset({key})


def test_one_criterion_left_for_the_manager_is_said_in_the_singular(ladder: Ladder, wl: WorkbookLayout) -> None:
    rubric = ladder.rubric_for(wl.person.target_level)
    _, values = random_inputs(ladder, rubric, random.Random(3), level=wl.person.level)
    first = rubric.criteria[0].id
    raw = {c.key: values.get(c.key) for _, c in wl.cells(Role.INPUT)} | {f"criteria.{first}.manager": None}
    (problem,) = parse_inputs(ladder, wl, raw, FILE).problems
    assert problem.message == f"the manager has not scored 1 criterion yet: {first}"


def test_a_cell_missing_from_the_read_leaves_the_rest_read(ladder: Ladder, wl: WorkbookLayout) -> None:
    """Only the cells read are parsed: the first one absent, every other still becomes the model."""
    rubric = ladder.rubric_for(wl.person.target_level)
    expected, values = random_inputs(ladder, rubric, random.Random(7), level=wl.person.level)
    first = rubric.criteria[0].id
    raw = {c.key: values.get(c.key) for _, c in wl.cells(Role.INPUT) if c.key != f"criteria.{first}.self"}
    got = parse_inputs(ladder, wl, raw, FILE).inputs
    assert got.criteria[rubric.criteria[-1].id] == expected.criteria[rubric.criteria[-1].id]
    assert got.metrics == expected.metrics and got.readout == expected.readout


def test_blank_and_not_started_problems_name_the_file(ladder: Ladder, wl: WorkbookLayout) -> None:
    rubric = ladder.rubric_for(wl.person.target_level)
    raw: dict[str, object] = {c.key: None for _, c in wl.cells(Role.INPUT)}
    raw[f"criteria.{rubric.criteria[0].id}.self"] = 2
    parsed = parse_inputs(ladder, wl, raw, FILE)  # type: ignore[arg-type]
    assert {(p.file, p.severity) for p in parsed.problems} == {(FILE, Severity.INCOMPLETE)}
    assert {p.kind for p in parsed.problems} == {Kind.BLANK, Kind.NOT_STARTED, Kind.AWAITING_MANAGER}


@pytest.mark.parametrize(("value", "text"), [
    ("y" * 60, "text '" + "y" * 60 + "'"), ("y" * 61, "text '" + "y" * 57 + "...'"),
    (12345678901.0, "12345678901"), (1e15, "1e+15"), (-2.0, "-2"),
])
def test_show_keeps_sixty_characters_and_whole_numbers_whole(value: object, text: str) -> None:
    assert show(value) == text  # type: ignore[arg-type]


def test_a_section_not_started_is_located_as_one_rectangle_across_its_columns(ladder: Ladder,
                                                                              wl: WorkbookLayout) -> None:
    """The pivot matrix's columns side by side, rows alike: one range from its top-left to its bottom-right cell."""
    raw = {c.key: None for _, c in wl.cells(Role.INPUT)} | {ASKING: "Yes"}
    (matrix,) = [p for p in parse_inputs(ladder, wl, raw, FILE).problems if p.sheet == PIVOTS]
    cells = [c for s, c in wl.cells(Role.INPUT) if s.title == PIVOTS and c.key.startswith("pivots.")]
    columns = sorted({c.column for c in cells}, key=lambda x: (len(x), x))
    rows = [c.row for c in cells]
    assert len(columns) > 1
    assert matrix.cell.split(",")[0] == f"{columns[0]}{min(rows)}:{columns[-1]}{max(rows)}"
