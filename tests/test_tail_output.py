"""collect's tail (workflows.collecting.finish): results.json one person per line, the problem log and
the terminal's lines, the history, and the order in which they are written, on people who share
their problems (as blank workbooks of one layout do) and on odd texts."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.errors import ConfigError, HistoryError
from ladder_sheets.core.results import PersonResult, Problem, Results, Severity, Status, person_record, to_dict
from ladder_sheets.files import TEMP_PREFIX
from ladder_sheets.history.store import store
from ladder_sheets.workflows.collecting import Destination, Verbosity, finish
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


def test_results_file_is_one_json_document_with_one_person_per_line(odd: Results, tmp_path: Path) -> None:
    path = write_results(odd, tmp_path / "results.json")
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == json.loads(json.dumps(to_dict(odd)))  # any JSON tool reads it whole
    people = [line.removesuffix(",") for line in text.split("\n") if line.startswith('{"person":')]
    assert [json.loads(line) for line in people] == json.loads(json.dumps([person_record(p) for p in odd.people]))
    assert read_results(path) == odd


def test_grep_finds_a_persons_whole_record(odd: Results, tmp_path: Path) -> None:
    text = write_results(odd, tmp_path / "results.json").read_text(encoding="utf-8")
    for p in odd.people:
        found = [line for line in text.split("\n") if f'"id":"{p.person.id}"' in line]
        assert len(found) == 1
        record = json.loads(found[0].removesuffix(","))
        assert record["person"]["id"] == p.person.id and len(record["problems"]) == len(p.problems)


def _head(p: PersonResult) -> str:
    return f"{p.status.value:<10}  {p.person.id}  ({p.person.name})  {p.file or 'no workbook returned'}"


def _totals(results: Results) -> str:
    counts = ", ".join(f"{n} {s.value}" for s in Status if (n := sum(p.status is s for p in results.people)))
    return f"{len(results.people)} people: {counts}; {len(results.unmatched)} file problem(s)"


def test_the_log_is_every_person_with_each_problem_as_text_under_them(
        odd: Results, ladder: Ladder, tmp_path: Path) -> None:
    assert finish(odd, Destination(tmp_path / "results.json", None), ladder, lambda _: None) == 1
    log = _text(tmp_path / "results.log")
    expected: list[str] = []
    for p in odd.people:
        expected += [_head(p), *(f"    {problem}" for problem in p.problems)]
    expected += [f"file        {problem}" for problem in odd.unmatched]
    assert log == "".join(f"{line}\n" for line in [*expected, _totals(odd)])


@pytest.mark.parametrize("verbosity", list(Verbosity))
def test_the_terminal_shows_people_with_their_problems_counted_or_listed(
        odd: Results, ladder: Ladder, tmp_path: Path, verbosity: Verbosity) -> None:
    out = tmp_path / "results.json"
    said: list[str] = []
    finish(odd, Destination(out, None, verbosity), ladder, said.append)
    ending = [f"results: {out}", f"problems: {tmp_path / 'results.log'} ({odd.problem_count} in all)"]
    if verbosity is Verbosity.QUIET:
        assert said == [_totals(odd)]
        return
    assert said[-2:] == ending
    if verbosity is Verbosity.VERBOSE:
        assert "".join(f"{line}\n" for line in said[:-2]) == _text(tmp_path / "results.log")
    else:
        counted = [f"{_head(p)}  ({len(p.problems)} problem{'s' if len(p.problems) != 1 else ''})" if p.problems
                   else _head(p) for p in odd.people]
        assert said[:-2] == counted + [f"file        {problem}" for problem in odd.unmatched] + [_totals(odd)]


def _text(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as fh:  # as written: a "\r\n" in a problem stays one
        return fh.read()


def test_results_that_cannot_be_written_print_and_store_nothing(odd: Results, ladder: Ladder, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    said: list[str] = []
    out = tmp_path / "file" / "results.json"
    with pytest.raises(ConfigError) as caught:
        finish(odd, Destination(out, tmp_path / "h.sqlite3"), ladder, said.append)
    assert str(caught.value) == f"--out: {out}: cannot write results: Not a directory"
    assert said == []
    assert sorted(tmp_path.iterdir()) == [tmp_path / "file"]  # no database where there was none


def test_a_log_that_cannot_be_written_leaves_the_history_as_it_was(
        odd: Results, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    store(_odd_results(ladder, roster, people=5), db)
    before = _all_rows(db)
    (tmp_path / "results.log").mkdir()
    said: list[str] = []
    with pytest.raises(ConfigError) as caught:
        finish(odd, Destination(tmp_path / "results.json", db), ladder, said.append)
    assert str(caught.value) == f"--out: {tmp_path / 'results.log'}: cannot write the problem log: Is a directory"
    assert said == [] and _all_rows(db) == before
    assert read_results(tmp_path / "results.json") == odd  # written first
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(TEMP_PREFIX)] == []


def test_a_history_error_comes_after_the_files_and_the_lines(odd: Results, ladder: Ladder, tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "h.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    said: list[str] = []
    with pytest.raises(HistoryError, match="h.sqlite3: written by a newer ladder-sheets"):
        finish(odd, Destination(tmp_path / "results.json", tmp_path / "h.sqlite3"), ladder, said.append)
    assert said[-2:] == [f"results: {tmp_path / 'results.json'}",
                         f"problems: {tmp_path / 'results.log'} ({odd.problem_count} in all)"]
    assert read_results(tmp_path / "results.json") == odd and (tmp_path / "results.log").exists()


def test_stored_results_say_so_and_the_exit_status_follows_the_statuses(
        odd: Results, ladder: Ladder, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    said: list[str] = []
    assert finish(odd, Destination(tmp_path / "results.json", db), ladder, said.append) == 1
    assert said[-1] == f"history: 24 people stored for 2026-Q4 in {db}"
    assert len(_all_rows(db)["person_quarters"]) == 24
    clean = replace(odd, people=tuple(replace(p, status=Status.COMPLETE, problems=()) for p in odd.people),
                    unmatched=())
    assert finish(clean, Destination(tmp_path / "clean.json", None, Verbosity.QUIET), ladder, said.append) == 0
    assert said[-1] == "24 people: 24 complete; 0 file problem(s)"


def _plain_store(results: Results, path: Path) -> None:
    """The history's rows inserted one statement per row (the reference ``store`` must equal)."""
    import sqlite3

    q = results.quarter
    with sqlite3.connect(path) as db:
        for p in results.people:
            info, s, i = p.person, p.scores, p.inputs
            db.execute("INSERT INTO person_quarters (quarter, person_id, name, team, manager_id, manager_name, level,"
                       " target_level, status, self_pct, manager_pct, self_band, manager_band, calibration_gap,"
                       " track_preference, top_pivot, scored_by, scored_by_detail, recommendation,"
                       " recommendation_why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (q, info.id, info.name, info.team, info.manager_id, info.manager_name, info.level,
                        info.target_level, p.status.value, s.self_pct if s else None, s.manager_pct if s else None,
                        s.self_band if s else "Incomplete", s.manager_band if s else "Incomplete",
                        s.calibration_gap if s else None, i.track_preference if i else "", s.top_pivot if s else "",
                        p.scored_by.kind.value, p.scored_by.detail, p.recommendation, p.why))
            if i is None or s is None:
                continue
            for cid, c in i.criteria.items():
                db.execute("INSERT INTO criterion_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (q, info.id, cid, c.self_score, c.manager_score, c.evidence, int(c.self_not_observed),
                            int(c.manager_not_observed)))
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
