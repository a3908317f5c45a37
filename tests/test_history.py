"""The history database: atomic per-quarter replacement, versioned upgrades, and the history command."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladder_sheets import history
from ladder_sheets.cli import cli
from ladder_sheets.errors import ConfigError
from ladder_sheets.history import HistoryError, SCHEMA_VERSION, people, store
from ladder_sheets.model import Ladder, Roster
from ladder_sheets.render import pct
from tests.support.results import inputs_for, results_for


def _quarter(ladder: Ladder, roster: Roster, quarter: str, score: int) -> object:
    return results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, score, score) for p in roster.people},
                       quarter=quarter)


def _dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return [row for table in ("collections", "person_quarters", "criterion_scores", "metric_values",
                                  "pivot_interest") for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]


def test_recollecting_a_quarter_replaces_only_that_quarter(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    store(_quarter(ladder, roster, "2026-Q3", 1), db)  # type: ignore[arg-type]
    store(_quarter(ladder, roster, "2026-Q4", 2), db)  # type: ignore[arg-type]
    q3_before = [r for r in people(db) if r.quarter == "2026-Q3"]
    store(_quarter(ladder, roster, "2026-Q4", 3), db)  # type: ignore[arg-type]
    once = _dump(db)
    store(_quarter(ladder, roster, "2026-Q4", 3), db)  # type: ignore[arg-type]
    assert _dump(db) == once  # idempotent
    assert [r for r in people(db) if r.quarter == "2026-Q3"] == q3_before
    q4 = [r for r in people(db) if r.quarter == "2026-Q4"]
    assert len(q4) == len(roster.people) and all(r.manager_pct == 1.0 for r in q4)


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


def test_an_old_database_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as old:  # what version 1 of the tool wrote
        for statement in history.MIGRATIONS[0]:
            old.execute(statement)
        old.execute("PRAGMA user_version = 1")
        old.execute("INSERT INTO person_quarters VALUES ('2026-Q2', 'ann', 'Ann', 'East', 'm1', 'Mo', 'core', "
                    "'senior', 'complete', 0.5, 0.6, 'Developing', 'Developing', 0.1)")
    rows = people(db)
    assert [(r.quarter, r.person_id, r.manager_pct) for r in rows] == [("2026-Q2", "ann", 0.6)]
    with sqlite3.connect(db) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert upgraded.execute("SELECT track_preference, top_pivot FROM person_quarters").fetchone() == ("", "")


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
