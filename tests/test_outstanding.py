"""core.outstanding: a result read as open items, in the words of the workbook."""

from __future__ import annotations

from dataclasses import replace

from ladder_sheets.core.model import CriterionInput, Inputs, Ladder, MetricInput, PivotInput
from ladder_sheets.core.outstanding import outstanding
from ladder_sheets.core.results import Kind, PersonInfo, PersonResult, Problem, Severity, Status

INFO = PersonInfo("ana", "Ana", "ana@example.com", "core", "Core SE", "senior", "Senior SE", "m1", "Mo", "mo@example.com",
                  "East")


def _full(ladder: Ladder) -> Inputs:
    rubric = ladder.rubric_for("senior")
    return Inputs(
        criteria={c.id: CriterionInput(2, 2, "did it") for c in rubric.criteria},
        metrics={m.id: MetricInput(1.0, "") for m in ladder.metrics},
        pivots={p.id: PivotInput(1, True, 1) for p in ladder.pivots},
        track_preference=ladder.track_options[0],
        readout={f.id: "x" for f in ladder.readout.fields},
        asking_for_move=True,  # the pivot matrix and the read-out are required of them
    )


def test_complete_result_has_nothing_open(ladder: Ladder) -> None:
    o = outstanding(ladder, PersonResult(INFO, Status.COMPLETE, "a.xlsx", _full(ladder)))
    assert o.se_done and o.manager_done and o.se_lines() == [] and o.manager_line() == ""


def test_missing_workbook(ladder: Ladder) -> None:
    o = outstanding(ladder, PersonResult(INFO, Status.MISSING))
    assert not o.returned and not o.se_done and o.se_lines() == ["the workbook has not come back yet"]


def test_blanks_named_as_the_workbook_names_them(ladder: Ladder) -> None:
    full = _full(ladder)
    rubric = ladder.rubric_for("senior")
    first, second = rubric.criteria[0], rubric.criteria[1]
    metric, pivot, field = ladder.metrics[1], ladder.pivots[0], ladder.readout.fields[0]
    inputs = replace(full, criteria={**full.criteria, first.id: CriterionInput(None, None, ""),
                                     second.id: CriterionInput(1, None, "")},
                     metrics={**full.metrics, metric.id: MetricInput(None, "")},
                     pivots={**full.pivots, pivot.id: PivotInput(None, True, 1)},
                     track_preference="", readout={**full.readout, field.id: ""})
    problem = Problem("a.xlsx", "Scorecard", "H6", Kind.OUT_OF_RANGE, "expected 0-3, found 7", Severity.ERROR)
    o = outstanding(ladder, PersonResult(INFO, Status.INVALID, "a.xlsx", inputs, problems=(problem,)))
    assert o.se_lines() == [
        f"1 criterion not self-scored: {first.text}",
        f"this quarter's actual for {metric.name}",
        f"the career pivot matrix for {pivot.name}",
        "your track preference",
        f"the promotion read-out: {field.label}",
        "to correct: expected 0-3, found 7",
    ]
    assert o.manager_line() == f"2 criteria to score: {first.text}, {second.text}"
    assert not o.blank


def test_returned_blank(ladder: Ladder) -> None:
    full = _full(ladder)
    inputs = Inputs(criteria={k: CriterionInput() for k in full.criteria},
                    metrics={k: MetricInput() for k in full.metrics},
                    pivots={k: PivotInput() for k in full.pivots}, readout={k: None for k in full.readout},
                    asking_for_move=True)
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", inputs))
    assert o.blank and o.se_lines() == [  # counted, not listed name by name
        "the workbook came back blank: nothing is filled in yet",
        f"{len(full.criteria)} criteria not self-scored",
        f"this quarter's actual for {len(full.metrics)} metrics",
        f"the career pivot matrix ({len(full.pivots)} pivots)",
        "your track preference",
        f"the promotion read-out ({len(full.readout)} answers)",
    ]
    assert o.manager_line() == f"{len(full.criteria)} criteria to score"


def test_a_part_started_lists_what_is_left_by_name(ladder: Ladder) -> None:
    full = _full(ladder)
    rubric = ladder.rubric_for("senior")
    first, *rest = rubric.criteria
    inputs = replace(full, criteria={c.id: CriterionInput(2 if c is first else None, None, "") for c in rubric.criteria})
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", inputs))
    assert o.se_lines() == [f"{len(rest)} criteria not self-scored: {', '.join(c.text for c in rest)}"]
    assert o.manager_line() == f"{len(rubric.criteria)} criteria to score" and not o.blank


def test_not_asking_for_a_move_the_pivot_matrix_and_read_out_are_invited_never_asked_for(ladder: Ladder) -> None:
    """Scores, evidence and metrics make the workbook complete; the rest is one optional line."""
    full = replace(_full(ladder), asking_for_move=False)
    bare = replace(full, pivots={k: PivotInput() for k in full.pivots}, track_preference="",
                   readout={k: None for k in full.readout})
    o = outstanding(ladder, PersonResult(INFO, Status.COMPLETE, "a.xlsx", bare))
    assert o.se_done and o.se_lines() == []
    assert o.invitation() == "Optional: the pivot matrix and the read-out (needed only when you ask for a move)"
    assert outstanding(ladder, PersonResult(INFO, Status.COMPLETE, "a.xlsx", full)).invitation() == ""
    rubric = ladder.rubric_for("senior")
    half = replace(bare, criteria={**bare.criteria, rubric.criteria[0].id: CriterionInput(None, 2, "")})
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", half))
    assert o.se_lines() == [f"1 criterion not self-scored: {rubric.criteria[0].text}"] and o.invited


def _problem(kind: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem("a.xlsx", "Scorecard", "H6", kind, message, severity)


PROBLEMS = (_problem(Kind.OUT_OF_RANGE, "expected 0-3, found 7"),
            _problem(Kind.DUPLICATE, "another workbook of Ana's was used"),
            _problem(Kind.NOT_FROM_MANAGER, "manager scores came from ana@example.com, not the manager"),
            _problem(Kind.BLANK, "a score is blank", Severity.INCOMPLETE))


def test_errors_to_correct_leave_out_duplicates_refusals_and_blanks(ladder: Ladder) -> None:
    o = outstanding(ladder, PersonResult(INFO, Status.INVALID, "a.xlsx", _full(ladder), problems=PROBLEMS))
    assert (o.person_id, o.status, o.returned) == ("ana", Status.INVALID, True)
    assert o.errors == ("expected 0-3, found 7",) and o.se_lines() == ["to correct: expected 0-3, found 7"]
    assert o.refused == ("manager scores came from ana@example.com, not the manager",)


def test_a_workbook_still_out_asks_for_the_workbook_only(ladder: Ladder) -> None:
    """A review may have scored an SE whose workbook is out: it is still out, nothing else is asked."""
    o = outstanding(ladder, PersonResult(INFO, Status.MISSING, "", _full(ladder), problems=PROBLEMS))
    assert (o.person_id, o.status, o.returned, o.blank, o.errors) == ("ana", Status.MISSING, False, False, ())
    assert o.refused == ("manager scores came from ana@example.com, not the manager",)
    assert o.se_lines() == ["the workbook has not come back yet"] and not o.manager_done
    unreadable = outstanding(ladder, PersonResult(INFO, Status.INVALID, "a.xlsx", problems=PROBLEMS))
    assert (unreadable.status, unreadable.returned, unreadable.errors) == (Status.INVALID, False, ("expected 0-3, found 7",))


def test_one_of_each_untouched_part_is_counted_in_the_singular(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    one = Inputs(criteria={rubric.criteria[0].id: CriterionInput()},
                 metrics={ladder.metrics[0].id: MetricInput()}, pivots={ladder.pivots[0].id: PivotInput()},
                 readout={ladder.readout.fields[0].id: ""}, asking_for_move=True)  # a read-out typed, then cleared
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", one))
    assert o.se_lines() == ["the workbook came back blank: nothing is filled in yet", "1 criterion not self-scored",
                            "this quarter's actual for 1 metric", "the career pivot matrix (1 pivot)",
                            "your track preference", "the promotion read-out (1 answer)"]
    assert o.manager_line() == "1 criterion to score"


def test_a_pivot_is_open_until_interest_signal_and_progress_are_all_there(ladder: Ladder) -> None:
    full = _full(ladder)
    first, second = ladder.pivots[0], ladder.pivots[1]
    # Choosing a track starts the part: the pivots left are named, not counted.
    pivots = {p.id: PivotInput() for p in ladder.pivots} | {first.id: PivotInput(2, None, 1), second.id: PivotInput(2, True, None)}
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", replace(full, pivots=pivots)))
    assert o.se_lines() == [f"the career pivot matrix for {', '.join(p.name for p in ladder.pivots)}"]
    blank = replace(full, pivots={p.id: PivotInput() for p in ladder.pivots})
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", blank))
    assert o.se_lines() == [f"the career pivot matrix for {', '.join(p.name for p in ladder.pivots)}"]


def test_ids_the_ladder_no_longer_knows_are_named_by_id(ladder: Ladder) -> None:
    """A workbook made from an older ladder: what it asks for is still named."""
    full = _full(ladder)
    old = replace(full, metrics={**full.metrics, "old_metric": MetricInput()},
                  pivots={**full.pivots, "old_pivot": PivotInput(1, None, 1)}, readout={**full.readout, "old_field": ""})
    o = outstanding(ladder, PersonResult(INFO, Status.INCOMPLETE, "a.xlsx", old))
    assert o.se_lines() == ["this quarter's actual for old_metric", "the career pivot matrix for old_pivot",
                            "the promotion read-out: old_field"]


def test_not_asking_any_one_optional_part_left_open_invites(ladder: Ladder) -> None:
    full = replace(_full(ladder), asking_for_move=False)
    for open_part in (replace(full, track_preference=""), replace(full, pivots={ladder.pivots[0].id: PivotInput()}),
                      replace(full, readout={ladder.readout.fields[0].id: None})):
        o = outstanding(ladder, PersonResult(INFO, Status.COMPLETE, "a.xlsx", open_part))
        assert o.invited and o.se_lines() == []
