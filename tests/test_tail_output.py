"""collect's serial tail writes the same bytes as the plain way of writing them: results.json's
person lines, the problem log's lines, the terminal's lines and the history's rows, on people
who share their problems (as blank workbooks of one layout do) and on odd texts."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import PersonResult, Problem, Results, Severity, Status, person_record
from ladder_sheets.workflows import results_file
from ladder_sheets.workflows.results_file import read_results, write_results

from tests.support.fill import random_inputs

ODD = ["", "Scorecard", "it's \"quoted\"", "two\nlines\r\n", "Grüße, 日本語, emoji \U0001f600", "tab\tand \x07bell",
       "back\\slash", "\u2028line separator", "'", "!"]


def _odd_results(ladder: Ladder, roster: Roster, people: int = 24) -> Results:
    """People in turn: sharing one set of problems, with odd texts, with problems in other files, with none."""
    rng = random.Random(7)
    shared = [(sheet, cell, "blank", f"self score for SR-{n:02d} is blank", Severity.INCOMPLETE)
              for n, (sheet, cell) in enumerate([("Scorecard", "G6"), ("Scorecard", "G7"), ("Pivot matrix", "F9")])]
    out = []
    for i in range(people):
        person = roster.people[i % len(roster.people)]
        info = replace(person_info(ladder, roster, person), id=f"{person.id}-{i}")
        file = rng.choice(["", f"/in/{info.id}.xlsx", "/in/Grüße 'x' \"y\".xlsx"])
        kind = i % 4
        if kind == 0:
            problems = tuple(Problem(file, *row) for row in shared)
        elif kind == 1:
            problems = tuple(Problem(file, rng.choice(ODD), rng.choice(ODD), rng.choice(["blank", "tampered"]),
                                     rng.choice(ODD), rng.choice(list(Severity))) for _ in range(rng.randint(1, 6)))
        elif kind == 2:
            problems = (Problem(file, *shared[0]), Problem(f"{file} (copy)", "", "", "duplicate", "another workbook"),
                        Problem(f"{file} (copy)", *shared[2]),  # a shared record, but in another file
                        Problem(file, *shared[1]), Problem(rng.choice(ODD), rng.choice(ODD), "", "x", rng.choice(ODD)))
        else:
            problems = ()
        rubric = ladder.rubric_for(person.target_level)
        inputs, _ = random_inputs(ladder, rubric, rng, blank_rate=0.3, level=person.level)
        if i % 5 == 4:
            out.append(PersonResult(info, Status.MISSING, file, problems=problems))
        else:
            out.append(PersonResult(info, Status.INCOMPLETE, file, inputs, scoring.score(ladder, rubric, inputs),
                                    problems))
    unmatched = tuple(Problem(rng.choice(ODD), rng.choice(ODD), rng.choice(ODD), "unreadable", rng.choice(ODD))
                      for _ in range(5))
    return Results("2026-Q4", ladder.id, ladder.version, "t@1", "2026-12-08T09:00:00+00:00", "files", tuple(out),
                   unmatched)


@pytest.fixture
def odd(ladder: Ladder, roster: Roster) -> Results:
    return _odd_results(ladder, roster)


def _plain_person_line(p: PersonResult) -> str:
    return json.dumps(person_record(p), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@pytest.mark.parametrize("keep", [100_000, 2, 0])
def test_results_person_lines_are_each_record_encoded_whole(odd: Results, tmp_path: Path, keep: int,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_file._PersonLines, "KEEP", keep)
    path = write_results(odd, tmp_path / "results.json")
    lines = path.read_text(encoding="utf-8").split("\n")
    people = [line.removesuffix(",") for line in lines if line.startswith('{"person":')]
    assert people == [_plain_person_line(p) for p in odd.people]
    assert read_results(path) == odd
