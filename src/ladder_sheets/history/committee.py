"""The promotion committee's decisions in the history database: recorded per quarter, read back by the reports.

One committee workbook per quarter is in force: applying the same file again changes
nothing (its SHA-256 is already recorded), a different one supersedes the quarter's
decisions in one transaction. Collecting a quarter again never touches them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..core.committee import Applied, Decision
from .store import connect, transaction


def record(path: Path, applied: Applied) -> tuple[str, Applied | None]:
    """Record ``applied`` as its quarter's decisions: ("unchanged", the record in force) when that file is
    already recorded, else ("recorded", the one it superseded, or None)."""
    with connect(path) as db, transaction(db):
        before = _read(db, applied.quarter)
        if before is not None and before.sha256 == applied.sha256:
            return "unchanged", before
        db.execute("DELETE FROM committee_decisions WHERE quarter = ?", (applied.quarter,))
        db.execute("INSERT OR REPLACE INTO committee_files VALUES (?, ?, ?, ?)",
                   (applied.quarter, applied.file_name, applied.sha256, applied.applied_at))
        db.executemany("INSERT INTO committee_decisions VALUES (?, ?, ?, ?, ?, ?)",
                       [(applied.quarter, d.person_id, d.manager_band, d.agreed_band, d.rationale, d.verdict)
                        for d in applied.decisions])
    return "recorded", before


def decisions(path: Path, quarter: str) -> Applied | None:
    """The committee's decisions in force for ``quarter``, None when none were recorded (or no database)."""
    if not path.exists():
        return None
    with connect(path) as db:
        return _read(db, quarter)


def _read(db: sqlite3.Connection, quarter: str) -> Applied | None:
    found = db.execute("SELECT file_name, sha256, applied_at FROM committee_files WHERE quarter = ?",
                       (quarter,)).fetchone()
    if found is None:
        return None
    rows: Sequence[tuple[str, str, str, str, str]] = db.execute(
        "SELECT person_id, manager_band, agreed_band, rationale, decision FROM committee_decisions"
        " WHERE quarter = ? ORDER BY rowid", (quarter,)).fetchall()
    return Applied(quarter, found[0], found[1], found[2], tuple(Decision(*row) for row in rows))
