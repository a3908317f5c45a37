"""workflows.results_file: Results round-trip through JSON unchanged; bad files are WorkbookErrors naming the file."""

from __future__ import annotations

import gc
import json
import os
import random
import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.errors import WorkbookError
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.model import CriterionInput
from ladder_sheets.core.raters import PeerAnswer, RaterRole
from ladder_sheets.core.results import SCHEMA, Kind, ManagerSource, PersonResult, Problem, RaterResult, Results
from ladder_sheets.core.results import ScoredBy, Severity, Status, from_dict, person_record, status_for, to_dict
from ladder_sheets.workflows.results_file import read_results, write_results

from tests.support.fill import random_inputs


@pytest.fixture
def results(ladder: Ladder, roster: Roster) -> Results:
    people = []
    for i, person in enumerate(roster.people[:3]):
        rubric = ladder.rubric_for(person.target_level)
        inputs, _ = random_inputs(ladder, rubric, random.Random(i), blank_rate=0.2, level=person.level)
        problem = Problem(f"{person.id}.xlsx", "Scorecard", "G7", Kind.BLANK, "self score for X is blank",
                          Severity.INCOMPLETE)
        people.append(PersonResult(person_info(ladder, roster, person), Status.INCOMPLETE, f"{person.id}.xlsx",
                                   inputs, scoring.score(ladder, rubric, inputs), (problem,)))
    missing = PersonResult(person_info(ladder, roster, roster.people[3]), Status.MISSING)
    unmatched = Problem("junk.xlsx", "", "", Kind.UNREADABLE, "not an .xlsx workbook")
    return Results("2026-Q4", ladder.id, ladder.version, "se-ladder@2026.1/layout-1", "2026-12-08T09:00:00+00:00",
                   "files", (*people, missing), (unmatched,))


def test_round_trip(results: Results, tmp_path: Path) -> None:
    path = write_results(results, tmp_path / "out" / "results.json")
    assert read_results(path) == results
    assert json.loads(path.read_text(encoding="utf-8"))["schema"] == SCHEMA
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]  # no temporary file left behind


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o027])
def test_results_json_is_as_readable_as_any_new_file(results: Results, tmp_path: Path, umask: int) -> None:
    """SE Ops colleagues read results.json (report, remind): it is created as any program creates a file,
    readable by whom the user's umask lets read new files, never private to its writer."""
    old = os.umask(umask)
    try:
        path = write_results(results, tmp_path / "results.json")
        write_results(results, path)  # replaced by a rerun
        (tmp_path / "notes.txt").write_text("any new file", encoding="utf-8")
    finally:
        os.umask(old)
    assert oct(path.stat().st_mode & 0o777) == oct((tmp_path / "notes.txt").stat().st_mode & 0o777) \
        == oct(0o666 & ~umask)


def test_one_person_per_line_and_no_indentation(results: Results, tmp_path: Path) -> None:
    path = write_results(results, tmp_path / "results.json")
    lines = path.read_text(encoding="utf-8").splitlines()
    people = [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"person":')]
    assert [p["person"]["id"] for p in people] == [p.person.id for p in results.people]
    assert all(not line.startswith(" ") for line in lines)
    own = people[0]["problems"][0]
    assert own == ["Scorecard", "G7", "blank", "self score for X is blank", "incomplete"]  # the person's file: not repeated
    assert len(lines) == 2 + len(results.people) + 2 + len(results.unmatched) + 1


def test_a_problem_in_another_file_keeps_its_file(results: Results, tmp_path: Path) -> None:
    first = results.people[0]
    other = Problem("copy of it.xlsx", "", "", Kind.DUPLICATE, "another workbook for this person")
    changed = replace(results, people=(replace(first, problems=(*first.problems, other)), *results.people[1:]))
    path = write_results(changed, tmp_path / "results.json")
    assert read_results(path) == changed
    assert read_results(path).people[0].problems[-1].file == "copy of it.xlsx"


def _v1_document(results: Results) -> dict[str, Any]:
    """A results file as schema 1 wrote it (every record a keyed object, dataclasses.asdict)."""
    def scores(s: Any) -> Any:
        return None if s is None else {**asdict(s), "metric_status": {k: v.value for k, v in s.metric_status.items()},
                                       "self_missing": list(s.self_missing), "manager_missing": list(s.manager_missing)}

    def inputs(i: Any) -> Any:
        return None if i is None else {"criteria": {k: asdict(v) for k, v in i.criteria.items()},
                                       "metrics": {k: asdict(v) for k, v in i.metrics.items()},
                                       "pivots": {k: asdict(v) for k, v in i.pivots.items()},
                                       "track_preference": i.track_preference, "readout": dict(i.readout)}
    return {
        "schema": "ladder-sheets/results@1", "quarter": results.quarter,
        "ladder": {"id": results.ladder_id, "version": results.ladder_version,
                   "template_version": results.template_version},
        "collected_at": results.collected_at, "source": results.source,
        "people": [{"person": asdict(p.person), "status": p.status.value, "file": p.file, "inputs": inputs(p.inputs),
                    "scores": scores(p.scores), "problems": [asdict(x) for x in p.problems]} for p in results.people],
        "unmatched": [asdict(p) for p in results.unmatched],
    }


def test_any_json_layout_of_the_document_reads(results: Results, tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(to_dict(results), indent=2, ensure_ascii=False), encoding="utf-8")
    assert read_results(path) == results


def test_nobody_and_no_unmatched_files(results: Results, tmp_path: Path) -> None:
    empty = replace(results, people=(), unmatched=())
    path = write_results(empty, tmp_path / "results.json")
    assert read_results(path) == empty
    assert json.loads(path.read_text(encoding="utf-8"))["people"] == []


def test_a_truncated_file_is_named_with_where_it_breaks(results: Results, tmp_path: Path) -> None:
    path = write_results(results, tmp_path / "results.json")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + lines[3][:40], encoding="utf-8")  # cut inside the second person
    with pytest.raises(json.JSONDecodeError) as parsed:
        json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(WorkbookError) as caught:
        read_results(path)
    assert parsed.value.lineno == 4
    assert str(caught.value) == f"{path}: not a results file (invalid JSON at line 4, column {parsed.value.colno})"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_number_edited_into_nan_or_infinity_is_refused(results: Results, tmp_path: Path, constant: str) -> None:
    """Python's json reads them, but no report can show them (summary.xlsx would stop with a traceback)."""
    path = write_results(results, tmp_path / "results.json")
    text = path.read_text(encoding="utf-8")
    edited, n = re.subn(r'":\[[0-9]+\.[0-9]+,', f'":[{constant},', text, count=1)  # a criterion's self score
    assert n == 1
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read_results(path)
    assert str(caught.value) == f"{path}: not a valid results file ({constant} where a number or null belongs)"


def test_a_schema_1_file_still_reads(results: Results, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_v1_document(results), indent=2, ensure_ascii=False), encoding="utf-8")
    # Schema 1 predates asking for a move: its people read as not asking.
    told = replace(results, people=tuple(replace(p, inputs=replace(p.inputs, asking_for_move=False))
                                         if p.inputs is not None else p for p in results.people))
    assert read_results(path) == told


def test_reading_leaves_the_cycle_collector_as_it_was(results: Results, tmp_path: Path) -> None:
    path = write_results(results, tmp_path / "results.json")
    assert gc.isenabled()
    read_results(path)
    assert gc.isenabled()
    (tmp_path / "bad.json").write_text('{"schema": "ladder-sheets/results@2"}', encoding="utf-8")
    with pytest.raises(WorkbookError):
        read_results(tmp_path / "bad.json")
    assert gc.isenabled()


def test_write_replaces_an_existing_file(results: Results, tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text("old", encoding="utf-8")
    write_results(results, path)
    assert read_results(path) == results


@pytest.mark.parametrize(("content", "reason"), [
    (None, "cannot read results: No such file or directory"),
    (b"\xff\xfe", "not a results file (not UTF-8 text)"),
    (b"{", "not a results file (invalid JSON at line 1, column 2)"),
    (b"[]", "not a results file (expected a JSON object, found list)"),
    (b'{"schema": "other@9"}', "not a valid results file (expected schema 'ladder-sheets/results@2', found 'other@9')"),
    (json.dumps({"schema": SCHEMA}).encode(), "not a valid results file (missing field 'quarter')"),
])
def test_read_errors_name_the_file(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "results.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbookError) as caught:
        read_results(path)
    assert str(caught.value) == f"{path}: {reason}"


def test_write_error_names_the_file(results: Results, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    path = tmp_path / "file" / "results.json"
    with pytest.raises(WorkbookError) as caught:
        write_results(results, path)
    assert str(caught.value) == f"{path}: cannot write results: Not a directory"


def test_a_file_written_before_a_column_was_added_still_reads(results: Results, tmp_path: Path) -> None:
    """Schema-2 files name their columns: one written before the manager's comment (and the band
    holds) existed reads with those fields at their defaults."""
    doc = to_dict(results)
    doc["columns"]["criterion"] = ["self_score", "manager_score", "evidence"]
    for person in doc["people"]:
        if person["inputs"]:
            person["inputs"]["criteria"] = {k: v[:3] for k, v in person["inputs"]["criteria"].items()}
            for key in ("self_hold", "manager_hold"):
                del person["scores"][key]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    old = read_results(path)
    assert [p.inputs and {k: c.comment for k, c in p.inputs.criteria.items()} for p in old.people][0]
    assert all(c.comment == "" for p in old.people if p.inputs for c in p.inputs.criteria.values())
    expected = [replace(p, inputs=p.inputs and replace(p.inputs, criteria={
        k: replace(c, comment="") for k, c in p.inputs.criteria.items()})) for p in results.people]
    assert [p.inputs for p in old.people] == [p.inputs for p in expected]
    doc["columns"]["criterion"] = ["evidence", "self_score"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(WorkbookError, match="unexpected columns"):
        read_results(path)


def _everything(results: Results, ladder: Ladder) -> Results:
    """``results`` with every field a record can hold set: raters and their problems (in their own file and
    another), who scored, the recommendation, peer answers, time in level, criteria not observed by either
    side, asking for a move and sharing interests."""
    first = results.people[0]
    assert first.inputs is not None
    rubric = ladder.rubric_for(first.person.target_level)
    one, two = rubric.criteria[0].id, rubric.criteria[1].id
    inputs = replace(first.inputs, asking_for_move=True, share_career_interests=True, criteria={
        **first.inputs.criteria, one: CriterionInput(None, 2.0, "shadowed", "", self_not_observed=True),
        two: CriterionInput(3.0, None, "led it", "well done", manager_not_observed=True)})
    scores = scoring.score(ladder, rubric, inputs)
    assert scores.self_not_observed and scores.manager_not_observed
    answer = PeerAnswer("dana.ross@x.example", "Dana Ross", RaterRole.AE, {one: 3.0}, (two,), "talks too fast",
                        "peer-dana.xlsx")
    rich = replace(first, person=replace(first.person, in_level_since="2024-07"), inputs=inputs, scores=scores,
                   scored_by=ManagerSource(ScoredBy.REVIEW, "review-mgr.xlsx"), recommendation="next cycle",
                   why="two more POCs", peers=(answer,))
    raters = (RaterResult("dana.ross@x.example", "Dana Ross", Status.COMPLETE, "peer-dana.xlsx", (first.person.id,),
                          (Problem("peer-dana.xlsx", "Ana", "C5", Kind.OUT_OF_RANGE, "found 7", Severity.ERROR),
                           Problem("other.xlsx", "", "", Kind.DUPLICATE, "another workbook", Severity.NOTE))),
              RaterResult("lee@x.example", "Lee", Status.MISSING))
    return replace(results, people=(rich, *results.people[1:]), raters=raters)


def test_every_field_of_a_record_round_trips(results: Results, ladder: Ladder, tmp_path: Path) -> None:
    full = _everything(results, ladder)
    assert read_results(write_results(full, tmp_path / "results.json")) == full
    assert from_dict(json.loads(json.dumps(to_dict(full)))) == full
    assert person_record(full.people[0], problems=False)["problems"] == []
    assert person_record(full.people[0])["problems"] != []


def test_a_file_written_before_raters_reviews_and_peers_reads_them_as_none(results: Results, ladder: Ladder,
                                                                            tmp_path: Path) -> None:
    """Fields added since (the raters, who scored, the recommendation, peer answers, asking for a move, sharing,
    not observed) are absent from an older file: they read as their defaults."""
    doc = to_dict(_everything(results, ladder))
    del doc["raters"]
    for person in doc["people"]:
        for key in ("scored_by", "recommendation", "why", "peers"):
            del person[key]
        if person["inputs"]:
            del person["inputs"]["asking_for_move"], person["inputs"]["share_career_interests"]
            del person["scores"]["self_not_observed"], person["scores"]["manager_not_observed"]
    got = from_dict(json.loads(json.dumps(doc)))
    assert got.raters == ()
    rich = got.people[0]
    assert (rich.scored_by, rich.recommendation, rich.why, rich.peers) == (ManagerSource(), "", "", ())
    assert rich.inputs is not None and (rich.inputs.asking_for_move, rich.inputs.share_career_interests) == (False,
                                                                                                            False)
    assert rich.scores is not None and (rich.scores.self_not_observed, rich.scores.manager_not_observed) == ((), ())


def test_a_file_with_only_the_two_score_columns_reads_blank_evidence_and_comments(results: Results) -> None:
    doc = to_dict(results)
    doc["columns"]["criterion"] = ["self_score", "manager_score"]
    for person in doc["people"]:
        if person["inputs"]:
            person["inputs"]["criteria"] = {k: v[:2] for k, v in person["inputs"]["criteria"].items()}
    got = from_dict(json.loads(json.dumps(doc)))
    assert all((c.evidence, c.comment) == ("", "") for p in got.people if p.inputs for c in p.inputs.criteria.values())


def test_a_schema_1_file_without_optional_fields_reads(results: Results, ladder: Ladder) -> None:
    """Schema 1 left out a missing person's file, the problems of someone without any, and the unmatched files;
    what was not observed, only once it was asked."""
    full = _everything(results, ladder)
    assert from_dict(json.loads(json.dumps(_v1_document(full), default=list))).people[0].scores == \
        full.people[0].scores
    doc = _v1_document(full)
    for person in doc["people"]:
        if person["scores"]:
            del person["scores"]["self_not_observed"], person["scores"]["manager_not_observed"]
    del doc["unmatched"]
    for person in doc["people"]:
        if not person["file"]:
            del person["file"]
        if not person["problems"]:
            del person["problems"]
    got = from_dict(doc)
    assert got.unmatched == () and got.people[-1].file == "" and got.people[-1].problems == ()
    assert got.people[0].scores is not None and got.people[0].scores.self_not_observed == ()


@pytest.mark.parametrize(("problem", "shown"), [
    (Problem("a.xlsx", "Scorecard", "G7", Kind.BLANK, "self score is blank"),
     "a.xlsx: 'Scorecard'!G7: self score is blank"),
    (Problem("a.xlsx", "Scorecard", "", Kind.BLANK, "a section is blank"), "a.xlsx: 'Scorecard': a section is blank"),
    (Problem("a.xlsx", "", "G7", Kind.BLANK, "blank"), "a.xlsx: G7: blank"),
    (Problem("junk.xlsx", "", "", Kind.UNREADABLE, "not an .xlsx workbook"), "junk.xlsx: not an .xlsx workbook"),
])
def test_a_problem_reads_file_sheet_and_cell_then_what_was_found(problem: Problem, shown: str) -> None:
    assert str(problem) == shown


@pytest.mark.parametrize(("severities", "status"), [
    ((), Status.COMPLETE), ((Severity.NOTE,), Status.COMPLETE),
    ((Severity.NOTE, Severity.INCOMPLETE), Status.INCOMPLETE),
    ((Severity.INCOMPLETE, Severity.ERROR), Status.INVALID), ((Severity.ERROR, Severity.NOTE), Status.INVALID),
])
def test_the_status_is_the_worst_problems(severities: tuple[Severity, ...], status: Status) -> None:
    assert status_for(tuple(Problem("a.xlsx", "", "", Kind.BLANK, "x", s) for s in severities)) is status


def test_a_peer_answer_written_before_its_source_was_kept_reads_without_one(results: Results, ladder: Ladder) -> None:
    doc = to_dict(_everything(results, ladder))
    for answer in doc["people"][0]["peers"]:
        del answer["source"]
    (answer,) = from_dict(json.loads(json.dumps(doc))).people[0].peers
    assert (answer.rater, answer.blind_spot, answer.source) == ("dana.ross@x.example", "talks too fast", "")
