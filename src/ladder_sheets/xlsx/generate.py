"""``generate``: one workbook per SE for a quarter, plus the manifest. Never overwrites a touched file."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from ..core import layout, quarter as quarters
from . import manifest
from ..core.errors import ConfigError, WorkbookError
from ..core.model import CellValue, Ladder, Person, Roster
from .batch import TemplateWriter
from .writer import write_bytes

# Below this many workbooks, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 40


@dataclass
class GenerateReport:
    directory: Path
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (person id, why)
    backed_up: list[tuple[str, Path]] = field(default_factory=list)
    manifest_path: Path | None = None


def workbook_path(directory: Path, person: Person) -> Path:
    return directory / f"{person.id}.xlsx"  # _entry names the file the same way


def generate(
    ladder: Ladder,
    roster: Roster,
    quarter: str,
    out: Path,
    *,
    due: date | None = None,
    force: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    carry: Mapping[str, Mapping[str, CellValue]] | None = None,
) -> GenerateReport:
    """Write ``out/<quarter>/<person-id>.xlsx`` for everyone on the roster.

    A workbook already on disk is regenerated only while it is byte-for-byte what this
    tool wrote (its SHA-256 is in the manifest). Anything else may hold someone's
    answers: it is skipped, or with ``force`` moved to a timestamped ``.bak`` first.
    ``carry`` (person id -> last quarter's values, see history.carried) adds the
    read-only "Last quarter" columns.

    Each workbook is recorded (manifest journal) as it lands, so a run killed midway is
    resumed by running it again, without ``--force``. Raises WorkbookError, naming the
    path, for any file that cannot be read or written (read-only folder, disk full).
    """
    try:
        quarters.parse(quarter)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    directory = out / quarter
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"{exc.filename or directory}: cannot create the folder: {exc.strerror or exc}") from exc
    previous = manifest.read(directory)
    known = manifest.known_hashes(directory)
    report = GenerateReport(directory)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    todo = [p for p in roster.people if _may_write(directory, p, previous, known, force, report, stamp)]
    due = due or quarters.default_due(stamp.date())
    entries = dict(previous)
    for person, entry in _write_all(ladder, roster, todo, quarter, due, directory, jobs, carry, stamp):
        entries[person.id] = entry
        report.written.append(person.id)
        if progress:
            progress(person.id)
    report.manifest_path = manifest.write(directory, quarter, entries, due.isoformat())
    return report


def _entry(ladder: Ladder, directory: Path, person: Person, sha: str, stamp: datetime) -> manifest.Entry:
    return manifest.Entry(person.id, person.name, person.email, person.manager, f"{person.id}.xlsx",
                          sha, layout.template_version(ladder), stamp.isoformat())


def _may_write(directory: Path, person: Person, previous: dict[str, manifest.Entry], known: dict[str, set[str]],
               force: bool, report: GenerateReport, stamp: datetime) -> bool:
    path = workbook_path(directory, person)
    if not path.exists():
        return True
    try:
        if manifest.sha256_of(path) in known.get(person.id, set()):
            return True  # untouched since we wrote it (in the last run, or in one killed midway)
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    why = "changed since it was generated" if person.id in previous else "not written by ladder-sheets (no manifest entry)"
    if not force:
        report.skipped.append((person.id, f"{path.name} {why}; kept as is (use --force to back it up and replace)"))
        return False
    backup = path.with_name(f"{path.name}.{stamp.strftime('%Y%m%dT%H%M%SZ')}.bak")
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        backup.unlink(missing_ok=True)  # a half-copied backup is no backup
        raise WorkbookError(f"{backup}: cannot back up {path.name}: {exc.strerror or exc}") from exc
    report.backed_up.append((person.id, backup))
    return True


# Worker state: set once per process by the pool initializer, so each task ships only a Person.
_writer: TemplateWriter | None = None


def _init_writer(ladder: Ladder, roster: Roster, quarter: str, due: date,
                 carry: Mapping[str, Mapping[str, CellValue]] | None) -> None:
    global _writer
    _writer = TemplateWriter(ladder, roster, quarter, due, carry)


def _render(person: Person) -> bytes:
    assert _writer is not None
    return _writer.render(person)


def _write_all(ladder: Ladder, roster: Roster, people: list[Person], quarter: str, due: date, directory: Path,
               jobs: int | None, carry: Mapping[str, Mapping[str, CellValue]] | None, stamp: datetime
               ) -> Iterator[tuple[Person, manifest.Entry]]:
    """Each workbook as it lands (in roster order), with its manifest entry.

    Worker processes only render; this process records each workbook's hash in the journal,
    then renames the workbook into place (in that order: a kill between the two leaves a
    recorded hash and the old file, both still known). One process writing keeps the folder's
    entries from being fought over: two processes creating files in one folder spend more time
    waiting on its lock than writing (10,000 workbooks: 9 s of system time against 3).
    """
    workers = jobs or os.cpu_count() or 1
    job = (ladder, roster, quarter, due, carry)
    if workers <= 1 or len(people) < _PARALLEL_THRESHOLD:
        _init_writer(*job)
        rendered: Iterator[bytes] = map(_render, people)
        yield from _place(ladder, directory, people, rendered, stamp)
        return
    chunk = max(1, min(len(people) // (workers * 4), 100))  # 100 workbooks: ~1.6 MB in flight per chunk
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_writer, initargs=job) as pool:
        yield from _place(ladder, directory, people, pool.map(_render, people, chunksize=chunk), stamp)


def _place(ladder: Ladder, directory: Path, people: list[Person], rendered: Iterator[bytes], stamp: datetime
           ) -> Iterator[tuple[Person, manifest.Entry]]:
    for person, data in zip(people, rendered):
        entry = _entry(ladder, directory, person, hashlib.sha256(data).hexdigest(), stamp)
        manifest.record(directory, entry)
        write_bytes(data, workbook_path(directory, person))
        yield person, entry
