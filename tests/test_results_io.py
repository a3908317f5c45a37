"""workflows.results_file: Results round-trip through JSON unchanged; bad files are WorkbookErrors naming the file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.errors import WorkbookError
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import SCHEMA, Kind, PersonResult, Problem, Results, Severity, Status
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
    (b'{"schema": "other@9"}', "not a valid results file (expected schema 'ladder-sheets/results@1', found 'other@9')"),
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
    assert str(caught.value) == f"{path}: cannot write results: File exists"
