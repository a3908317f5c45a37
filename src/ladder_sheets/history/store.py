"""Quarter-over-quarter history in an embedded SQLite database (the only sqlite3 user).

Every collect/pull stores its Results keyed by (quarter, person). Storing a quarter again
replaces that quarter's rows in one transaction: other quarters are never touched, and a
failure part-way leaves the database exactly as it was. The schema is versioned
(PRAGMA user_version); opening an older database upgrades it in place, never dropping data.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections import deque
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from ..core.calibration import Rated
from ..core.errors import ConfigError, HistoryError
from ..core.raters import PeerAnswer, RaterRole
from ..core.results import NOT_OBSERVED_MARK, PersonResult, Results
from ..core.trends import PersonQuarter, Scored

DEFAULT_DB = Path("ladder-sheets.sqlite3")
DB_ENV = "LADDER_SHEETS_DB"


def default_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


# Each migration is a list of statements run in one transaction (executescript would
# commit on its own, so it is not used).
_V1 = """
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
"""
# v2: pivot interest and track preference, for career-path trends.
_V2 = """
        ALTER TABLE person_quarters ADD COLUMN track_preference TEXT NOT NULL DEFAULT '';
        ALTER TABLE person_quarters ADD COLUMN top_pivot TEXT NOT NULL DEFAULT '';
        CREATE TABLE pivot_interest (
            quarter TEXT NOT NULL, person_id TEXT NOT NULL, pivot_id TEXT NOT NULL,
            interest REAL, signal INTEGER, gap_progress REAL,
            PRIMARY KEY (quarter, person_id, pivot_id));
"""
# v3: what each criterion meant when it was scored (a signature of its text, anchor, weight and
# floor), so trends compare only criteria that did not change between ladder versions.
_V3 = """
        CREATE TABLE criterion_definitions (
            quarter TEXT NOT NULL, criterion_id TEXT NOT NULL, signature TEXT NOT NULL,
            PRIMARY KEY (quarter, criterion_id));
"""
# v4: criteria scored "not observed yet" (their score stays NULL, as a blank's does; the flag tells them apart).
_V4 = """
        ALTER TABLE criterion_scores ADD COLUMN self_not_observed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE criterion_scores ADD COLUMN manager_not_observed INTEGER NOT NULL DEFAULT 0;
"""
# v5: who entered each person's manager scores (review, google, manager_return, plain_file, none), which
# file or email, and the manager's recommendation and why from their review.
_V5 = """
        ALTER TABLE person_quarters ADD COLUMN scored_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE person_quarters ADD COLUMN scored_by_detail TEXT NOT NULL DEFAULT '';
        ALTER TABLE person_quarters ADD COLUMN recommendation TEXT NOT NULL DEFAULT '';
        ALTER TABLE person_quarters ADD COLUMN recommendation_why TEXT NOT NULL DEFAULT '';
"""
# v6: AE and peer input per SE, attributed as collected (the reports show it as the ladder says):
# each rater's answer to the blind-spot question, and their rating (or "not observed yet") per criterion.
_V6 = """
        CREATE TABLE peer_answers (
            quarter TEXT NOT NULL, person_id TEXT NOT NULL, rater TEXT NOT NULL, rater_name TEXT NOT NULL,
            role TEXT NOT NULL, blind_spot TEXT NOT NULL, source TEXT NOT NULL,
            PRIMARY KEY (quarter, person_id, rater));
        CREATE TABLE peer_ratings (
            quarter TEXT NOT NULL, person_id TEXT NOT NULL, rater TEXT NOT NULL, criterion_id TEXT NOT NULL,
            rating REAL, not_observed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (quarter, person_id, rater, criterion_id));
"""
# v7: the promotion committee's decisions (``calibrate --apply``): per quarter, the workbook applied (its name,
# SHA-256 and when) and per SE the manager's band then, the agreed band, the rationale and the decision.
_V7 = """
        CREATE TABLE committee_files (quarter TEXT PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
                                      applied_at TEXT NOT NULL);
        CREATE TABLE committee_decisions (
            quarter TEXT NOT NULL, person_id TEXT NOT NULL, manager_band TEXT NOT NULL, agreed_band TEXT NOT NULL,
            rationale TEXT NOT NULL, decision TEXT NOT NULL, PRIMARY KEY (quarter, person_id));
"""
MIGRATIONS: list[list[str]] = [[s.strip() for s in script.split(";") if s.strip()]
                               for script in (_V1, _V2, _V3, _V4, _V5, _V6, _V7)]
SCHEMA_VERSION = len(MIGRATIONS)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """An upgraded connection; every sqlite error becomes a HistoryError naming the file."""
    try:
        db = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
    except sqlite3.Error as exc:
        raise HistoryError(f"{path}: cannot open the history database: {exc}") from exc
    try:
        db.execute("PRAGMA foreign_keys = ON")
        _upgrade(db, path)
        yield db
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: history database error: {exc}") from exc
    finally:
        db.close()


def _upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Run the migrations this database lacks, all in one transaction: it ends fully upgraded or as it was."""
    version = _version(db)
    if version > SCHEMA_VERSION:
        raise HistoryError(f"{path}: written by a newer ladder-sheets (schema {version}, this one knows "
                           f"{SCHEMA_VERSION}); upgrade ladder-sheets")
    if version == SCHEMA_VERSION:
        return
    with transaction(db):
        # Another process may have upgraded it while this one waited for the write lock.
        for number in range(_version(db), SCHEMA_VERSION):
            for statement in MIGRATIONS[number]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed when the block ends, rolled back if it raises (or is interrupted).

    BEGIN IMMEDIATE takes the write lock at once, so two writers wait for each other rather
    than one failing half-way. SQLite ends some transactions on its own (a full disk): the
    rollback is only for one still open.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def store(results: Results, path: Path, progress: Callable[[str], None] | None = None,
          signatures: Mapping[str, str] | None = None) -> int:
    """Replace ``results.quarter`` in the database with these results, atomically. Returns people stored.

    One transaction: readers never see a half-replaced quarter, and any failure, or a crash
    of the process, before it commits leaves the database as it was. ``progress`` is called
    with each person's id once their rows are written (still uncommitted). ``signatures``
    (``trends.signatures(ladder)``) records what each criterion meant this quarter.
    """
    q = results.quarter
    with connect(path) as db, transaction(db):
        for table in ("person_quarters", "criterion_scores", "metric_values", "pivot_interest", "collections",
                      "criterion_definitions", "peer_answers", "peer_ratings"):
            db.execute(f"DELETE FROM {table} WHERE quarter = ?", (q,))
        db.execute("INSERT INTO collections VALUES (?, ?, ?, ?, ?)",
                   (q, results.collected_at, results.source, results.ladder_id, results.ladder_version))
        db.executemany("INSERT INTO criterion_definitions VALUES (?, ?, ?)",
                       [(q, cid, sig) for cid, sig in (signatures or {}).items()])
        _insert_people(db, q, results.people, progress)
        _insert_peers(db, q, results.people)
    return len(results.people)


def _insert_peers(db: sqlite3.Connection, quarter: str, people: Sequence[PersonResult]) -> None:
    """Each SE's raters' answers and ratings (few: only SEs with raters have any)."""
    answers = [(quarter, p.person.id, a.rater, a.name, a.role.value, a.blind_spot, a.source)
               for p in people for a in p.peers]
    ratings: list[tuple[str, str, str, str, float | None, int]] = [
        (quarter, p.person.id, a.rater, cid, score, 0) for p in people for a in p.peers for cid, score in a.ratings.items()]
    ratings += [(quarter, p.person.id, a.rater, cid, None, 1) for p in people for a in p.peers for cid in a.not_observed]
    db.executemany("INSERT INTO peer_answers VALUES (?, ?, ?, ?, ?, ?, ?)", answers)
    db.executemany("INSERT INTO peer_ratings VALUES (?, ?, ?, ?, ?, ?)", ratings)


def peer_answers(path: Path, quarter: str) -> dict[str, list[PeerAnswer]]:
    """The answers stored for ``quarter``, by person id, each rater's in the order collected."""
    with connect(path) as db:
        answers = db.execute("SELECT person_id, rater, rater_name, role, blind_spot, source FROM peer_answers"
                             " WHERE quarter = ? ORDER BY rowid", (quarter,)).fetchall()
        ratings = db.execute("SELECT person_id, rater, criterion_id, rating, not_observed FROM peer_ratings"
                             " WHERE quarter = ? ORDER BY rowid", (quarter,)).fetchall()
    scores: dict[tuple[str, str], dict[str, float]] = {}
    unobserved: dict[tuple[str, str], list[str]] = {}
    for person_id, rater, cid, rating, no in ratings:
        if no:
            unobserved.setdefault((person_id, rater), []).append(cid)
        else:
            scores.setdefault((person_id, rater), {})[cid] = rating
    out: dict[str, list[PeerAnswer]] = {}
    for person_id, rater, name, role, blind_spot, source in answers:
        out.setdefault(person_id, []).append(PeerAnswer(
            rater, name, RaterRole(role), scores.get((person_id, rater), {}),
            tuple(unobserved.get((person_id, rater), ())), blind_spot, source))
    return out


def _insert_people(db: sqlite3.Connection, quarter: str, people: Sequence[PersonResult],
                   progress: Callable[[str], None] | None) -> None:
    tables = [_Rows(db, quarter, "person_quarters", _PERSON_COLUMNS), _Rows(db, quarter, "criterion_scores", 8),
              _Rows(db, quarter, "metric_values", 6), _Rows(db, quarter, "pivot_interest", 6)]
    pending: deque[tuple[str, list[int]]] = deque()  # people whose rows are not all written yet
    for p in people:
        for into, rows in zip(tables, _person_rows(p)):
            into.add(rows)
        if progress is not None:
            pending.append((p.person.id, [t.added for t in tables]))
            _written(pending, tables, progress)
    for into in tables:
        into.flush(everything=True)
    if progress is not None:
        _written(pending, tables, progress)


_PERSON_COLUMNS = ("quarter", "person_id", "name", "team", "manager_id", "manager_name", "level", "target_level",
                   "status", "self_pct", "manager_pct", "self_band", "manager_band", "calibration_gap",
                   "track_preference", "top_pivot", "scored_by", "scored_by_detail", "recommendation",
                   "recommendation_why")
_VARIABLES = 999  # the most values one statement may bind on any SQLite (3.32 and later allow 32,766)
_Row = tuple[object, ...]


class _Rows:
    """Rows of one table, the quarter's left out, inserted many to a statement (``?1``, the quarter, bound once).

    Binding and stepping a statement per row costs more than SQLite's own inserting, and a
    quarter holds a row per criterion, metric and pivot of every person. Rows keep their order
    (and rowids).
    """

    def __init__(self, db: sqlite3.Connection, quarter: str, table: str, columns: tuple[str, ...] | int) -> None:
        width = columns if isinstance(columns, int) else len(columns)
        self._db, self._quarter, self._width = db, quarter, width
        self._into = f"INSERT INTO {table}" + ("" if isinstance(columns, int) else f" ({', '.join(columns)})")
        self._per = (_VARIABLES - 1) // (width - 1)
        self._full = self._sql(self._per)
        self._rows: list[_Row] = []
        self.added = self.written = 0

    def _sql(self, rows: int) -> str:
        row = "(?1, " + ", ".join("?" * (self._width - 1)) + ")"
        return f"{self._into} VALUES {', '.join([row] * rows)}"

    def add(self, rows: list[_Row]) -> None:
        self._rows += rows
        self.added += len(rows)
        if len(self._rows) >= self._per:
            self.flush()

    def flush(self, everything: bool = False) -> None:
        """Insert the rows held, in whole statements (``everything``: the rest too)."""
        rows, per, done = self._rows, self._per, 0
        while len(rows) - done >= per:
            self._db.execute(self._full, (self._quarter, *chain.from_iterable(rows[done:done + per])))
            done += per
        if everything and done < len(rows):
            self._db.execute(self._sql(len(rows) - done), (self._quarter, *chain.from_iterable(rows[done:])))
            done = len(rows)
        del rows[:done]
        self.written += done


def _written(pending: deque[tuple[str, list[int]]], tables: list[_Rows], progress: Callable[[str], None]) -> None:
    """Report the people, in order, whose rows are all written."""
    while pending and all(t.written >= end for t, end in zip(tables, pending[0][1])):
        progress(pending.popleft()[0])


def _person_rows(p: PersonResult) -> tuple[list[_Row], list[_Row], list[_Row], list[_Row]]:
    """The person's rows in person_quarters, criterion_scores, metric_values and pivot_interest (no quarter)."""
    info, s, i = p.person, p.scores, p.inputs
    person: list[_Row] = [(
        info.id, info.name, info.team, info.manager_id, info.manager_name, info.level, info.target_level,
        p.status.value, s.self_pct if s else None, s.manager_pct if s else None, s.self_band if s else "Incomplete",
        s.manager_band if s else "Incomplete", s.calibration_gap if s else None,
        i.track_preference if i else "", s.top_pivot if s else "", p.scored_by.kind.value, p.scored_by.detail,
        p.recommendation, p.why)]
    if i is None or s is None:
        return person, [], [], []
    pid = info.id
    return (person, [(pid, cid, c.self_score, c.manager_score, c.evidence, int(c.self_not_observed),
                      int(c.manager_not_observed)) for cid, c in i.criteria.items()],
            [(pid, mid, m.actual, m.notes, s.metric_status[mid].value) for mid, m in i.metrics.items()],
            [(pid, key, v.interest, None if v.signal is None else int(v.signal), v.gap_progress)
             for key, v in i.pivots.items()])


def people(path: Path, person_id: str | None = None) -> list[PersonQuarter]:
    """Every stored (person, quarter), oldest quarter first (optionally one person's), with the committee's
    agreed band where one was recorded."""
    where, args = ("WHERE person_id = ?", (person_id,)) if person_id else ("", ())
    with connect(path) as db:
        rows = db.execute(
            "SELECT quarter, person_id, p.name, p.team, p.manager_id, p.manager_name, p.status, p.self_pct,"
            " p.manager_pct, p.manager_band, p.calibration_gap, p.target_level, COALESCE(d.agreed_band, '')"
            " FROM person_quarters p LEFT JOIN committee_decisions d USING (quarter, person_id)"
            f" {where} ORDER BY quarter, person_id",
            args).fetchall()
    return [PersonQuarter(*row) for row in rows]


def criterion_scores(path: Path) -> list[Scored]:
    """Every criterion scored by both an SE and their manager, counted per quarter, manager, criterion (as it
    was then) and pair of scores: what rater trends read, in rows that grow with managers, not SEs."""
    with connect(path) as db:
        rows = db.execute(
            "SELECT c.quarter, '', p.manager_id, c.self_score, c.manager_score, c.criterion_id,"
            " COALESCE(d.signature, '') AS signature, COUNT(*) FROM criterion_scores c"
            " JOIN person_quarters p USING (quarter, person_id)"
            " LEFT JOIN criterion_definitions d USING (quarter, criterion_id)"
            " WHERE c.self_score IS NOT NULL AND c.manager_score IS NOT NULL"
            " GROUP BY c.quarter, p.manager_id, c.criterion_id, signature, c.self_score, c.manager_score"
            " ORDER BY c.quarter, p.manager_id, c.criterion_id").fetchall()
    return [Scored(*row) for row in rows]


def manager_scores(path: Path) -> tuple[str, list[Rated]]:
    """The latest stored quarter holding any manager score, and each of its SEs with one, as calibration
    reads them; ("", []) when no quarter holds one."""
    with connect(path) as db:
        found = db.execute("SELECT MAX(quarter) FROM criterion_scores WHERE manager_score IS NOT NULL").fetchone()
        quarter = found[0] if found else None
        if quarter is None:
            return "", []
        rows = db.execute("SELECT c.person_id, p.manager_id, p.manager_name, p.target_level, p.manager_band,"
                          " c.criterion_id, c.manager_score FROM criterion_scores c"
                          " JOIN person_quarters p USING (quarter, person_id)"
                          " WHERE c.quarter = ? ORDER BY c.person_id", (quarter,)).fetchall()
    people: dict[str, tuple[str, str, str, str, dict[str, float | None]]] = {}
    for person_id, manager_id, manager_name, target, band, criterion_id, score in rows:
        people.setdefault(person_id, (manager_id, manager_name, target, band, {}))[4][criterion_id] = score
    return quarter, [Rated(mid, target, scores, band, name) for mid, name, target, band, scores in people.values()
                     if any(v is not None for v in scores.values())]


def quarters(path: Path) -> list[str]:
    """The quarters stored, oldest first."""
    with connect(path) as db:
        return [q for (q,) in db.execute("SELECT quarter FROM collections ORDER BY quarter")]


# Control characters a workbook cannot hold (XML 1.0): dropped from carried text, which
# may come from a Google spreadsheet or an older database rather than an .xlsx file.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def carried(path: Path, quarter: str, person_id: str) -> dict[str, str | float]:
    """Last stored scores, evidence and metric values of a person for ``quarter``, by carry-forward key.

    A score "not observed yet" is carried as "n/o"; blank evidence and notes and missing
    actuals are left out; text is as written, less any control characters a workbook cannot hold.
    """
    with connect(path) as db:
        crit = db.execute("SELECT criterion_id, evidence, CASE WHEN self_not_observed THEN ? ELSE self_score END,"
                          " CASE WHEN manager_not_observed THEN ? ELSE manager_score END FROM criterion_scores"
                          " WHERE quarter = ? AND person_id = ?",
                          (NOT_OBSERVED_MARK, NOT_OBSERVED_MARK, quarter, person_id)).fetchall()
        metrics = db.execute("SELECT metric_id, actual, notes FROM metric_values WHERE quarter = ? AND person_id = ?",
                             (quarter, person_id)).fetchall()
    out: dict[str, str | float] = {}
    for cid, ev, self_score, manager_score in crit:
        for name, value in (("evidence", ev), ("self", self_score), ("manager", manager_score)):
            if value is not None and value != "":
                out[f"carry.criteria.{cid}.{name}"] = value
    for mid, actual, notes in metrics:
        if actual is not None:
            out[f"carry.metrics.{mid}.actual"] = actual
        if notes:
            out[f"carry.metrics.{mid}.notes"] = notes
    return {k: _UNWRITABLE.sub("", v) if isinstance(v, str) else v for k, v in out.items()}


def carry_forward(path: Path, quarter: str, person_ids: list[str]) -> dict[str, dict[str, str | float]]:
    """What ``generate --carry-forward`` shows for ``quarter``: each person's values of the quarter before.

    Raises ConfigError (a usage error: collect that quarter first) naming the database
    when it, or that quarter in it, is missing.
    """
    from ..core.quarter import previous

    before = previous(quarter)
    if not path.exists():
        raise ConfigError(f"{path}: no history database to carry forward from (run `collect` for {before})")
    stored = quarters(path)
    if before not in stored:
        raise ConfigError(f"{path}: nothing stored for {before} to carry forward "
                           f"(stored: {', '.join(stored) or 'none'}); run `collect` for {before}")
    return {person_id: carried(path, before, person_id) for person_id in person_ids}
