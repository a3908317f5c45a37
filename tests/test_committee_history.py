"""The committee's decisions in the history: one file in force per quarter, and the band that counts from then on."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from itertools import chain
from pathlib import Path

import pytest

from ladder_sheets.core import trends
from ladder_sheets.core.committee import Applied, Decision
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.quarter import in_level
from ladder_sheets.history import committee
from ladder_sheets.history.store import MIGRATIONS, SCHEMA_VERSION, people, store
from tests.support.results import inputs_for, results_for

Q3, Q4 = "2026-Q3", "2026-Q4"


def _applied(name: str, sha: str, *decisions: Decision, quarter: str = Q4) -> Applied:
    return Applied(quarter, name, sha, "2026-12-10T09:00:00+00:00", decisions)


def test_the_same_file_twice_changes_nothing_and_a_later_one_supersedes(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    first = _applied("calibration.xlsx", "a" * 64, Decision("p1", "Ready", "Close", "Thin evidence", "not yet"),
                     Decision("p2", "Ready", "Ready", "", "promote"))
    assert committee.record(db, first) == ("recorded", None)
    assert committee.record(db, first) == ("unchanged", first)
    assert committee.decisions(db, Q4) == first
    later = _applied("calibration-v2.xlsx", "b" * 64, Decision("p1", "Ready", "Ready", "", "promote"))
    assert committee.record(db, later) == ("recorded", first)
    assert committee.decisions(db, Q4) == later  # p2's decision went with the file it came from
    assert committee.decisions(db, Q3) is None and committee.decisions(tmp_path / "none.sqlite3", Q4) is None


def test_the_agreed_band_is_the_band_that_counts_and_survives_a_recollect(ladder: Ladder, roster: Roster,
                                                                        tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    person = roster.people[0]
    for q in (Q3, Q4):  # Ready by the manager's scores both quarters
        store(results_for(ladder, roster, {person.id: inputs_for(ladder, person.target_level, 3, 3)}, quarter=q), db)
    rows = people(db)
    assert trends.consecutive_top(rows, "Ready", Q4)[person.id] == 2
    committee.record(db, _applied("c.xlsx", "c" * 64, Decision(person.id, "Ready", "Close", "One quarter of it"),
                                  quarter=Q3))
    store(results_for(ladder, roster, {person.id: inputs_for(ladder, person.target_level, 3, 3)}, quarter=Q3), db)
    rows = people(db)
    q3 = next(r for r in rows if r.person_id == person.id and r.quarter == Q3)
    assert (q3.manager_band, q3.agreed_band, q3.band, q3.target_level) == ("Ready", "Close", "Close",
                                                                           person.target_level)
    assert trends.consecutive_top(rows, "Ready", Q4)[person.id] == 1  # the committee's Close ended the run
    assert trends.band_changes(rows, [b.name for b in ladder.bands], Q4)[person.id] == 1  # Close -> Ready: up


def test_the_history_command_shows_an_agreed_band_beside_the_managers(ladder: Ladder, roster: Roster,
                                                                       tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ladder_sheets.cli import cli

    db = tmp_path / "h.sqlite3"
    person = roster.people[0]
    store(results_for(ladder, roster, {person.id: inputs_for(ladder, person.target_level, 3, 3)}, quarter=Q4), db)
    committee.record(db, _applied("c.xlsx", "d" * 64, Decision(person.id, "Ready", "Close", "Thin evidence")))
    result = CliRunner().invoke(cli, ["history", person.id, "--db", str(db)])
    assert result.exit_code == 0 and result.output.splitlines()[-1].endswith("complete (committee agreed Close)")


@pytest.mark.parametrize(("since", "said"), [
    ("2024-07-01", "2 years 6 months in level by the end of 2026-Q4 (since 2024-07-01)"),
    ("2024-07-15", "2 years 5 months in level by the end of 2026-Q4 (since 2024-07-15)"),
    ("2025-01", "2 years in level by the end of 2026-Q4 (since 2025-01)"),
    ("2026-10", "3 months in level by the end of 2026-Q4 (since 2026-10)"),
    ("2026-12-31", "0 months in level by the end of 2026-Q4 (since 2026-12-31)"),
    ("2027-01", "since 2027-01, after 2026-Q4: check the roster"),
    ("", ""),
])
def test_time_in_level_reads_as_a_committee_says_it(since: str, said: str) -> None:
    assert in_level(since, Q4) == said


@pytest.mark.parametrize("version", [5, 6])
def test_a_database_of_schema_5_or_6_takes_the_committees_decisions(tmp_path: Path, version: int) -> None:
    """Schema 6 holds the peer answers, 7 the committee's decisions: either older database is upgraded in place,
    keeping what it held."""
    db = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(db)) as old:
        for statement in chain.from_iterable(MIGRATIONS[:version]):
            old.execute(statement)
        old.execute("INSERT INTO collections VALUES ('2026-Q4', '2026-12-01T09:00:00+00:00', 'files', 'se-ladder', '1')")
        if version == 6:
            old.execute("INSERT INTO peer_answers VALUES ('2026-Q4', 'p1', 'ae@x.example', 'Ann', 'ae', "
                        "'Talks over the CFO', 'peer-ae.xlsx')")
        old.execute(f"PRAGMA user_version = {version}")
        old.commit()
    applied = _applied("c.xlsx", "e" * 64, Decision("p1", "Ready", "Close", "Thin evidence", "not yet"))
    assert committee.record(db, applied) == ("recorded", None) and committee.decisions(db, Q4) == applied
    with closing(sqlite3.connect(db)) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) and SCHEMA_VERSION == 7
        assert upgraded.execute("SELECT COUNT(*) FROM collections").fetchone() == (1,)
        kept = upgraded.execute("SELECT blind_spot FROM peer_answers").fetchall()
    assert kept == ([("Talks over the CFO",)] if version == 6 else [])
