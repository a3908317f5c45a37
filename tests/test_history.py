"""The history database: atomic per-quarter replacement, versioned upgrades, and the history command."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladder_sheets.history import store as history
from ladder_sheets.cli import cli
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.history.store import HistoryError, SCHEMA_VERSION, people, store
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.report.render import pct
from tests.support.results import inputs_for, results_for


def _quarter(ladder: Ladder, roster: Roster, quarter: str, score: int) -> object:
    return results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, score, score) for p in roster.people},
                       quarter=quarter)


def _dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return [row for table in ("collections", "person_quarters", "criterion_scores", "metric_values",
                                  "pivot_interest", "criterion_definitions")
                for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]


def _meanings(path: Path, quarter: str) -> dict[str, str]:
    """Criterion id -> the signature stored for ``quarter`` (what each criterion meant when it was scored)."""
    with closing(sqlite3.connect(path)) as db:
        return dict(db.execute("SELECT criterion_id, signature FROM criterion_definitions WHERE quarter = ?",
                               (quarter,)).fetchall())


def test_recollecting_a_quarter_replaces_only_that_quarter(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    from ladder_sheets.core import trends

    db = tmp_path / "h.sqlite3"
    rubric = ladder.rubric_for("senior")
    older = replace(ladder, rubrics={**ladder.rubrics, "senior": replace(rubric, criteria=(
        replace(rubric.criteria[0], anchor="Answers the questions the SE can answer."), *rubric.criteria[1:]))})
    then, now = trends.signatures(older), trends.signatures(ladder)
    first = rubric.criteria[0].id
    assert then[first] != now[first]
    store(_quarter(older, roster, "2026-Q3", 1), db, signatures=then)  # type: ignore[arg-type]
    store(_quarter(older, roster, "2026-Q4", 2), db, signatures={**then, "GONE-01": "a criterion since dropped"})  # type: ignore[arg-type]
    q3_before = [r for r in people(db) if r.quarter == "2026-Q3"]
    store(_quarter(ladder, roster, "2026-Q4", 3), db, signatures=now)  # type: ignore[arg-type]
    once = _dump(db)
    store(_quarter(ladder, roster, "2026-Q4", 3), db, signatures=now)  # type: ignore[arg-type]
    assert _dump(db) == once  # idempotent
    assert [r for r in people(db) if r.quarter == "2026-Q3"] == q3_before
    q4 = [r for r in people(db) if r.quarter == "2026-Q4"]
    assert len(q4) == len(roster.people) and all(r.manager_pct == 1.0 for r in q4)
    # What each criterion meant: Q4's replaced with the quarter (the dropped one gone with it), Q3's kept,
    # and the trends read them back so.
    assert (_meanings(db, "2026-Q4"), _meanings(db, "2026-Q3")) == (now, then)
    read_back = {(s.quarter, s.criterion_id): s.signature for s in history.criterion_scores(db)}
    assert (read_back[("2026-Q4", first)], read_back[("2026-Q3", first)]) == (now[first], then[first])
    store(_quarter(ladder, roster, "2026-Q4", 3), db)  # type: ignore[arg-type]  # stored again without them
    assert (_meanings(db, "2026-Q4"), _meanings(db, "2026-Q3")) == ({}, then)


def test_recollecting_a_quarter_replaces_its_peer_input_too(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """A rater changes their answers between two collects of the quarter: the history keeps the later ones only."""
    from ladder_sheets.core.raters import PeerAnswer, RaterRole

    db = tmp_path / "h.sqlite3"
    results = results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 2, 2) for p in roster.people})
    se = next(p for p in results.people if len(ladder.peer_criteria(p.person.target_level)) >= 2)
    first, second = (c.id for c in ladder.peer_criteria(se.person.target_level)[:2])
    before = PeerAnswer("dana.ross@apex-cloud.example", "Dana Ross", RaterRole.AE, {first: 2.0}, (second,),
                        "Goes quiet in steering committees", "dana.xlsx")
    after = replace(before, ratings={first: 3.0, second: 1.0}, not_observed=(), blind_spot="Listens well")
    for answer in (before, after):
        store(replace(results, people=tuple(replace(p, peers=(answer,)) if p is se else p for p in results.people)), db)
    assert history.peer_answers(db, "2026-Q4") == {se.person.id: [after]}


def test_a_failure_mid_write_leaves_the_database_as_it_was(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    store(_quarter(ladder, roster, "2026-Q4", 2), db)  # type: ignore[arg-type]
    before = _dump(db)
    good = _quarter(ladder, roster, "2026-Q4", 3)
    # The same person twice: the insert of the second fails after the quarter was deleted
    # and several rows were written, as a crash part-way through would.
    broken = replace(good, people=(*good.people, good.people[0]))  # type: ignore[type-var]
    with pytest.raises(HistoryError, match=f"{db}: history database error: UNIQUE constraint failed"):
        store(broken, db)  # type: ignore[arg-type]
    assert _dump(db) == before


def _rows_and_schema(path: Path) -> list[tuple[object, ...]]:
    """Every row of every table (fully ordered), the schema and its version."""
    with closing(sqlite3.connect(path)) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out: list[tuple[object, ...]] = [tuple(db.execute("PRAGMA user_version").fetchone())]
        out += db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        for table in tables:
            width = len(db.execute(f"SELECT * FROM {table} LIMIT 0").description)
            order = ", ".join(str(i) for i in range(1, width + 1))
            out += [(table, *row) for row in db.execute(f"SELECT * FROM {table} ORDER BY {order}")]
    return out


def test_an_exception_after_some_rows_rolls_everything_back(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    store(_quarter(ladder, roster, "2026-Q3", 1), db)  # type: ignore[arg-type]
    store(_quarter(ladder, roster, "2026-Q4", 2), db)  # type: ignore[arg-type]
    before_rows, before_bytes = _rows_and_schema(db), db.read_bytes()
    written: list[str] = []

    def fail_on_third(person_id: str) -> None:
        written.append(person_id)
        if len(written) == 3:
            raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError, match="disk unplugged"):
        store(_quarter(ladder, roster, "2026-Q4", 3), db, progress=fail_on_third)  # type: ignore[arg-type]
    assert written == [p.id for p in roster.people[:3]]  # three people's rows were written, uncommitted
    assert _rows_and_schema(db) == before_rows
    assert db.read_bytes() == before_bytes


# A child process that stores a quarter and dies (os._exit: no cleanup, no rollback) after
# ``after`` people, as a killed or crashed collect would.
_CRASH = """
import os, sys
from pathlib import Path
from ladder_sheets.history.store import store
from ladder_sheets.workflows.results_file import read_results

results, db, after = read_results(Path(sys.argv[1])), Path(sys.argv[2]), int(sys.argv[3])
done = []
def die(person_id):
    done.append(person_id)
    if len(done) == after:
        os._exit(9)
store(results, db, progress=die)
"""


def test_a_process_killed_mid_write_leaves_the_database_as_it_was(ladder: Ladder, roster: Roster,
                                                                    tmp_path: Path) -> None:
    from ladder_sheets.workflows.results_file import write_results

    db = tmp_path / "h.sqlite3"
    store(_quarter(ladder, roster, "2026-Q3", 1), db)  # type: ignore[arg-type]
    store(_quarter(ladder, roster, "2026-Q4", 2), db)  # type: ignore[arg-type]
    before_rows, before_bytes = _rows_and_schema(db), db.read_bytes()
    # Evidence long enough that the replacement outgrows SQLite's page cache: changed pages
    # reach the database file before the crash, and only the journal can undo them.
    long_text = "Ran the Acme POC end to end. " * 4000
    got = {p.id: inputs_for(ladder, p.target_level, 3, 3, evidence=long_text) for p in roster.people}
    new = write_results(results_for(ladder, roster, got, quarter="2026-Q4"), tmp_path / "q4.json")
    crashed = subprocess.run([sys.executable, "-c", _CRASH, str(new), str(db), str(len(roster.people) - 1)],
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 9, crashed.stderr
    journal = db.with_name(db.name + "-journal")
    assert journal.exists() and db.read_bytes() != before_bytes  # a real torn write, not a no-op
    assert _rows_and_schema(db) == before_rows  # the next reader rolls the hot journal back
    assert db.read_bytes() == before_bytes and not journal.exists()


# What version 1 of ladder-sheets wrote, frozen here by hand: the migrations may change,
# databases already out there do not.
V1_SCHEMA = """
CREATE TABLE collections (quarter TEXT PRIMARY KEY, collected_at TEXT NOT NULL, source TEXT NOT NULL,
                          ladder_id TEXT NOT NULL, ladder_version TEXT NOT NULL);
CREATE TABLE person_quarters (
    quarter TEXT NOT NULL, person_id TEXT NOT NULL, name TEXT NOT NULL, team TEXT NOT NULL,
    manager_id TEXT NOT NULL, manager_name TEXT NOT NULL, level TEXT NOT NULL, target_level TEXT NOT NULL,
    status TEXT NOT NULL, self_pct REAL, manager_pct REAL, self_band TEXT NOT NULL, manager_band TEXT NOT NULL,
    calibration_gap REAL, PRIMARY KEY (quarter, person_id));
CREATE TABLE criterion_scores (
    quarter TEXT NOT NULL, person_id TEXT NOT NULL, criterion_id TEXT NOT NULL,
    self_score REAL, manager_score REAL, evidence TEXT NOT NULL,
    PRIMARY KEY (quarter, person_id, criterion_id));
CREATE TABLE metric_values (
    quarter TEXT NOT NULL, person_id TEXT NOT NULL, metric_id TEXT NOT NULL,
    actual REAL, notes TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (quarter, person_id, metric_id));
INSERT INTO collections VALUES ('2026-Q2', '2026-06-30T09:00:00+00:00', 'files', 'se-ladder', '1');
INSERT INTO person_quarters VALUES ('2026-Q2', 'ann', 'Ann', 'East', 'm1', 'Mo', 'core', 'senior', 'complete',
                                    0.5, 0.6, 'Developing', 'Developing', 0.1);
INSERT INTO criterion_scores VALUES ('2026-Q2', 'ann', 'c1', 1, 2, 'Ran the Acme POC');
INSERT INTO metric_values VALUES ('2026-Q2', 'ann', 'win_rate', 40, 'two losses to pricing', 'Below');
PRAGMA user_version = 1;
"""


def _old_database(path: Path) -> list[tuple[object, ...]]:
    """Write a version-1 database by hand; return its rows, table by table."""
    with closing(sqlite3.connect(path)) as old:
        old.executescript(V1_SCHEMA)
        return [row for table in V1_TABLES for row in old.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]


V1_TABLES = ("collections", "person_quarters", "criterion_scores", "metric_values")


def test_an_old_database_is_upgraded_keeping_its_rows(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    v1_rows = _old_database(db)
    assert [(r.quarter, r.person_id, r.manager_pct) for r in people(db)] == [("2026-Q2", "ann", 0.6)]
    with closing(sqlite3.connect(db)) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # Old rows keep every value; the new columns read as their defaults, the new tables are empty.
        columns = {t: [c[1] for c in upgraded.execute(f"PRAGMA table_info({t})")] for t in V1_TABLES}
        kept = [row for t in V1_TABLES for row in upgraded.execute(
            f"SELECT {', '.join(columns[t][:len(_v1_columns(t))])} FROM {t} ORDER BY 1, 2, 3")]
        assert kept == v1_rows
        assert upgraded.execute("SELECT track_preference, top_pivot FROM person_quarters").fetchone() == ("", "")
        assert upgraded.execute("SELECT COUNT(*) FROM pivot_interest").fetchone() == (0,)
    assert history.carried(db, "2026-Q2", "ann") == {"carry.criteria.c1.evidence": "Ran the Acme POC",
                                                      "carry.criteria.c1.self": 1.0, "carry.criteria.c1.manager": 2.0,
                                                      "carry.metrics.win_rate.actual": 40.0,
                                                      "carry.metrics.win_rate.notes": "two losses to pricing"}
    store(_quarter(ladder, roster, "2026-Q3", 2), db)  # type: ignore[arg-type]
    assert sorted({r.quarter for r in people(db)}) == ["2026-Q2", "2026-Q3"]


def _v1_columns(table: str) -> list[str]:
    with closing(sqlite3.connect(":memory:")) as mem:
        mem.executescript(V1_SCHEMA.split("INSERT")[0])
        return [c[1] for c in mem.execute(f"PRAGMA table_info({table})")]


def test_an_upgrade_that_fails_leaves_the_old_database_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    db = tmp_path / "old.sqlite3"
    _old_database(db)
    before = db.read_bytes()
    broken = [*history.MIGRATIONS[:-1], [*history.MIGRATIONS[-1], "CREATE TABLE collections (x)"]]
    monkeypatch.setattr(history, "MIGRATIONS", broken)  # the last step fails after its first statements ran
    with pytest.raises(HistoryError, match=f"^{db}: history database error: table collections already exists$"):
        people(db)
    assert db.read_bytes() == before


def test_a_concurrent_upgrade_is_not_run_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes open the same old database: the one that gets the write lock second finds it upgraded."""
    db = tmp_path / "old.sqlite3"
    _old_database(db)
    real = history._version
    seen: list[int] = []

    def version(conn: sqlite3.Connection) -> int:
        seen.append(real(conn))
        if len(seen) == 1:  # between this connection's first look and its write lock, another one upgrades
            monkeypatch.setattr(history, "_version", real)
            with history.connect(db):
                pass
            monkeypatch.setattr(history, "_version", version)
        return seen[-1]

    monkeypatch.setattr(history, "_version", version)
    with history.connect(db):  # without the second look: "duplicate column name: track_preference"
        pass
    assert seen == [1, SCHEMA_VERSION]
    assert [r.person_id for r in people(db)] == ["ann"]


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_text("just some notes, not SQLite\n" * 100, encoding="utf-8")
    with pytest.raises(HistoryError, match=f"^{db}: history database error: file is not a database$"):
        people(db)


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    with sqlite3.connect(db) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="written by a newer ladder-sheets"):
        people(db)


def test_history_command(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    for q, score in (("2026-Q2", 1), ("2026-Q3", 2), ("2026-Q4", 3)):
        store(_quarter(ladder, roster, q, score), db)  # type: ignore[arg-type]
    result = CliRunner().invoke(cli, ["history", "tomas-novak", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Tomáš Novák (tomas-novak), Enterprise East"
    assert [line.split()[0] for line in lines[2:]] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert lines[-1].split()[:3] == ["2026-Q4", pct(1.0), pct(1.0)] and "Ready" in lines[-1]
    missing = CliRunner().invoke(cli, ["history", "nobody", "--db", str(db)])
    assert isinstance(missing.exception, ConfigError) and str(missing.exception) == f"{db}: no history for 'nobody'"


# ---- the commands that store and read the history, through the real entry point ------------


def test_collect_stores_where_told_and_not_at_all_with_no_db(ladder: Ladder, review_roster: Roster, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str],
                                                             _history_db: Path) -> None:
    from ladder_sheets.xlsx.generate import generate
    from ladder_sheets.config.resources import example_team_path
    from tests.support.cli import run_main

    roster = review_roster  # as the roster file says
    generate(ladder, roster, "2026-Q4", tmp_path / "out", jobs=1)  # returned blank: incomplete, still stored
    args = ("collect", tmp_path / "out" / "2026-Q4", "--team", example_team_path(), "--quarter", "2026-Q4",
            "--out", tmp_path / "results.json")
    code, out, _ = run_main(monkeypatch, capsys, *args, "--no-db")
    assert code == 1 and "history:" not in out and not _history_db.exists()
    elsewhere = tmp_path / "elsewhere.sqlite3"
    code, out, _ = run_main(monkeypatch, capsys, *args, "--db", elsewhere)
    assert out.splitlines()[-1] == f"history: {len(roster.people)} people stored for 2026-Q4 in {elsewhere}"
    assert not _history_db.exists()
    assert {(r.quarter, r.status) for r in people(elsewhere)} == {("2026-Q4", "incomplete")}
    code, out, _ = run_main(monkeypatch, capsys, *args)  # default: $LADDER_SHEETS_DB
    assert out.splitlines()[-1] == f"history: {len(roster.people)} people stored for 2026-Q4 in {_history_db}"
    assert len(people(_history_db)) == len(roster.people)


def test_history_command_errors_name_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.cli import run_main

    missing = tmp_path / "none.sqlite3"
    assert run_main(monkeypatch, capsys, "history", "ann", "--db", missing) == (
        2, "", f"Error: {missing}: no history database yet (it is written by `collect` and `pull`)\n")
    assert not missing.exists()  # looking never creates one
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not SQLite\n" * 100, encoding="utf-8")
    assert run_main(monkeypatch, capsys, "history", "ann", "--db", junk) == (
        1, "", f"Error: {junk}: history database error: file is not a database\n")
    newer = tmp_path / "newer.sqlite3"
    with closing(sqlite3.connect(newer)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    assert run_main(monkeypatch, capsys, "history", "ann", "--db", newer) == (
        1, "", f"Error: {newer}: written by a newer ladder-sheets (schema {SCHEMA_VERSION + 1}, this one knows "
               f"{SCHEMA_VERSION}); upgrade ladder-sheets\n")


def test_trends_compare_only_criteria_that_did_not_change(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Q3 scored under an older ladder where SR-01 read differently: its Q3 scores drop out of the
    rater trends; a criterion the same in both versions stays in."""
    from ladder_sheets.core import trends

    db = tmp_path / "h.sqlite3"
    rubric = ladder.rubric_for("senior")
    older = replace(ladder, rubrics={**ladder.rubrics, "senior": replace(rubric, criteria=(
        replace(rubric.criteria[0], anchor="Answers the questions the SE can answer."), *rubric.criteria[1:]))})
    store(_quarter(older, roster, "2026-Q3", 2), db, signatures=trends.signatures(older))  # type: ignore[arg-type]
    store(_quarter(ladder, roster, "2026-Q4", 3), db, signatures=trends.signatures(ladder))  # type: ignore[arg-type]
    scored = history.criterion_scores(db)
    current = trends.signatures(ladder)
    kept = trends.unchanged(scored, current)
    q3 = {(s.criterion_id, s.quarter) for s in kept if s.quarter == "2026-Q3"}
    assert ("SR-01", "2026-Q3") not in q3 and ("SR-02", "2026-Q3") in q3
    assert {s.criterion_id for s in kept if s.quarter == "2026-Q4"} >= {"SR-01", "SR-02"}
    assert len(scored) - len(kept) == sum(1 for s in scored if s.quarter == "2026-Q3" and s.criterion_id == "SR-01") > 0
    built = trends.build(people(db), scored, latest="2026-Q4", band_order=[b.name for b in ladder.bands],
                         scale_max=ladder.scale.max, current=current)
    assert sum(r.scored for r in built.raters) == sum(s.n for s in kept)  # each stored row counts its alike pairs


def test_not_observed_is_stored_apart_from_a_blank_and_carried_as_such(ladder: Ladder, roster: Roster,
                                                                          tmp_path: Path) -> None:
    """Kenji's manager scores one criterion "not observed yet": the score stays NULL, the flag says why;
    last quarter's column shows n/o, and the rater trends leave it out like a blank."""
    from ladder_sheets.core import trends
    from ladder_sheets.core.model import CriterionInput

    db = tmp_path / "h.sqlite3"
    kenji = next(p for p in roster.people if p.level == p.target_level == "core")
    unseen = next(c.id for c in ladder.rubric_for("core").criteria if c.allow_not_observed)
    inputs = inputs_for(ladder, "core", 3, 2)
    inputs = replace(inputs, criteria={**inputs.criteria, unseen: CriterionInput(
        3.0, None, "Led the Acme POC", manager_not_observed=True)})
    store(results_for(ladder, roster, {kenji.id: inputs}, quarter="2026-Q3"), db,  # type: ignore[arg-type]
          signatures=trends.signatures(ladder))
    with closing(sqlite3.connect(db)) as con:
        row = con.execute("SELECT self_score, manager_score, self_not_observed, manager_not_observed"
                          " FROM criterion_scores WHERE person_id = ? AND criterion_id = ?", (kenji.id, unseen)).fetchone()
    assert row == (3.0, None, 0, 1)
    carried = history.carried(db, "2026-Q3", kenji.id)
    assert (carried[f"carry.criteria.{unseen}.self"], carried[f"carry.criteria.{unseen}.manager"]) == (3.0, "n/o")
    built = trends.build(people(db), history.criterion_scores(db), latest="2026-Q3",
                         band_order=[b.name for b in ladder.bands], scale_max=ladder.scale.max)
    assert sum(r.scored for r in built.raters) == len(ladder.rubric_for("core").criteria) - 1


def test_manager_scores_come_from_the_latest_quarter_that_holds_any(ladder: Ladder, roster: Roster,
                                                                    tmp_path: Path) -> None:
    """collect stores a quarter before the managers score it (self scores only): the reviews' org figures
    still come from the latest quarter with manager scores, not from nowhere."""
    db = tmp_path / "h.sqlite3"
    store(_quarter(ladder, roster, "2026-Q3", 2), db)  # type: ignore[arg-type]
    store(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 3, None) for p in roster.people},
                      quarter="2026-Q4"), db)
    quarter, rated = history.manager_scores(db)
    assert quarter == "2026-Q3"
    assert sorted(r.manager_name for r in rated) == sorted(roster.manager_of(p).name for p in roster.people)
    assert all(set(r.scores.values()) == {2.0} for r in rated)
