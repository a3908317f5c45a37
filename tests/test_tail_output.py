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
from ladder_sheets.cli import collect_text
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


@pytest.mark.parametrize("keep", [20_000, 2, 0])
def test_results_person_lines_are_each_record_encoded_whole(odd: Results, tmp_path: Path, keep: int,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_file._PersonLines, "KEEP", keep)
    path = write_results(odd, tmp_path / "results.json")
    lines = path.read_text(encoding="utf-8").split("\n")
    people = [line.removesuffix(",") for line in lines if line.startswith('{"person":')]
    assert people == [_plain_person_line(p) for p in odd.people]
    assert read_results(path) == odd


def _plain_lines(results: Results, *, problems: bool) -> list[str]:
    """collect's lines as they were printed one at a time (the reference the blocks must equal)."""
    out = []
    for p in results.people:
        line = f"{p.status.value:<10}  {p.person.id}  ({p.person.name})  {p.file or 'no workbook returned'}"
        if problems or not p.problems:
            out.append(line)
        else:
            out.append(f"{line}  ({len(p.problems)} problem{'s' if len(p.problems) != 1 else ''})")
        if problems:
            out += [f"    {problem}" for problem in p.problems]
    out += [f"{'unmatched':<10}  {problem}" for problem in results.unmatched]
    counts = {s: sum(p.status is s for p in results.people) for s in Status}
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    return [*out, f"{len(results.people)} people: {summary}; {len(results.unmatched)} unmatched file problem(s)"]


@pytest.mark.parametrize("problems", [True, False])
@pytest.mark.parametrize(("people", "keep"), [(250, 20_000), (1, 20_000), (3, 2), (7, 0)])
def test_text_blocks_are_the_lines_one_at_a_time(odd: Results, problems: bool, people: int, keep: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collect_text.ProblemLines, "KEEP", keep)
    got = list(collect_text.blocks(odd, problems=problems, people=people))
    assert all(block.endswith("\n") for block in got)
    assert len(got) == len(odd.people) // people + 1
    assert "".join(got) == "".join(f"{line}\n" for line in _plain_lines(odd, problems=problems))
    assert collect_text.totals(odd) == _plain_lines(odd, problems=False)[-1]


def test_a_problem_line_is_the_problem_as_text_on_odd_texts() -> None:
    text = collect_text.ProblemLines()
    problems = [Problem(file, sheet, cell, "blank", message) for file in ("", "a.xlsx", "Grüße 'x'.xlsx")
                for sheet in ODD[:6] for cell in ("", "G7", "!", "'") for message in ("", "is blank", *ODD[2:6])]
    for file in ("", "a.xlsx", "other.xlsx"):
        for _ in range(2):  # worked out, then remembered
            assert text.lines(tuple(problems), file) == "".join(f"    {x}\n" for x in problems)
            mine = tuple(x for x in problems if x.file == file)
            assert text.lines(mine, file) == "".join(f"    {x}\n" for x in mine)
    assert text.lines((), "a.xlsx") == ""


def _plain_store(results: Results, path: Path) -> None:
    """The history's rows inserted one statement per row (the reference ``store`` must equal)."""
    import sqlite3

    q = results.quarter
    with sqlite3.connect(path) as db:
        for p in results.people:
            info, s, i = p.person, p.scores, p.inputs
            db.execute("INSERT INTO person_quarters (quarter, person_id, name, team, manager_id, manager_name, level,"
                       " target_level, status, self_pct, manager_pct, self_band, manager_band, calibration_gap,"
                       " track_preference, top_pivot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (q, info.id, info.name, info.team, info.manager_id, info.manager_name, info.level,
                        info.target_level, p.status.value, s.self_pct if s else None, s.manager_pct if s else None,
                        s.self_band if s else "Incomplete", s.manager_band if s else "Incomplete",
                        s.calibration_gap if s else None, i.track_preference if i else "", s.top_pivot if s else ""))
            if i is None or s is None:
                continue
            for cid, c in i.criteria.items():
                db.execute("INSERT INTO criterion_scores VALUES (?, ?, ?, ?, ?, ?)",
                           (q, info.id, cid, c.self_score, c.manager_score, c.evidence))
            for mid, m in i.metrics.items():
                db.execute("INSERT INTO metric_values VALUES (?, ?, ?, ?, ?, ?)",
                           (q, info.id, mid, m.actual, m.notes, s.metric_status[mid].value))
            for key, v in i.pivots.items():
                db.execute("INSERT INTO pivot_interest VALUES (?, ?, ?, ?, ?, ?)",
                           (q, info.id, key, v.interest, None if v.signal is None else int(v.signal), v.gap_progress))


def _all_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return {table: db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
                for table in ("person_quarters", "criterion_scores", "metric_values", "pivot_interest")}


def test_history_rows_are_those_inserted_one_at_a_time(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    from ladder_sheets.history.store import connect, store

    many = _odd_results(ladder, roster, people=420)  # several statements' worth of rows in every table
    other = replace(many, quarter="2026-Q3", people=many.people[:50])
    reference = tmp_path / "reference.sqlite3"
    with connect(reference):
        pass  # the schema
    _plain_store(other, reference)
    _plain_store(many, reference)
    db = tmp_path / "h.sqlite3"
    store(other, db)
    store(many, db)
    store(many, db)  # stored again: replaced, rowids as the first time
    expected = _all_rows(reference)
    assert _all_rows(db) == expected
    assert len(expected["criterion_scores"]) > 1000 and len(expected["person_quarters"]) > 200
    reported: list[str] = []
    store(many, db, progress=reported.append)
    assert reported == [p.person.id for p in many.people]
    assert _all_rows(db) == expected
