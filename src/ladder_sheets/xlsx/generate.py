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
    with os.scandir(directory) as found:
        present = {e.name for e in found}  # one listing, not a lookup per person
    todo = [p for p in roster.people
            if f"{p.id}.xlsx" not in present or _may_write(directory, p, previous, known, force, report, stamp)]
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


# What each workbook is written with, set in this process before any worker starts (a forked
# worker shares it, templates included: built once, not once per worker), else by the pool's initializer.
_job: _Job | None = None


@dataclass(frozen=True)
class _Job:
    writer: TemplateWriter
    directory: Path
    template_version: str
    stamp: str
    key: tuple[object, ...]  # what it was made from, to tell a worker's inherited job from a stale one


def _init_job(ladder: Ladder, roster: Roster, quarter: str, due: date, directory: Path,
              carry: Mapping[str, Mapping[str, CellValue]] | None, stamp: datetime, people: list[Person]) -> None:
    global _job
    key = (id(ladder), id(roster), quarter, due, directory, id(carry), stamp)
    if _job is None or _job.key != key:
        writer = TemplateWriter(ladder, roster, quarter, due, carry)
        writer.prepare(people)
        _job = _Job(writer, directory, layout.template_version(ladder), stamp.isoformat(), key)


def _write_one(person: Person) -> str:
    """Render, record the hash in the journal, then rename the workbook into place (in that order:
    a kill between the two leaves a recorded hash and the old file, both still known). Its hash."""
    job = _job
    assert job is not None
    data = job.writer.render(person)
    sha = hashlib.sha256(data).hexdigest()
    manifest.record(job.directory, manifest.Entry(person.id, person.name, person.email, person.manager,
                                                  f"{person.id}.xlsx", sha, job.template_version, job.stamp))
    write_bytes(data, workbook_path(job.directory, person))
    return sha


def _write_chunk(people: list[Person]) -> list[str]:
    return [_write_one(p) for p in people]


def _write_all(ladder: Ladder, roster: Roster, people: list[Person], quarter: str, due: date, directory: Path,
               jobs: int | None, carry: Mapping[str, Mapping[str, CellValue]] | None, stamp: datetime
               ) -> Iterator[tuple[Person, manifest.Entry]]:
    """Each workbook as it lands (in roster order), with its manifest entry.

    Every shape's template is built here first, once. Workers then render and write; only
    each workbook's hash comes back. Below ``_PARALLEL_THRESHOLD`` workbooks, starting
    workers costs more than it saves.
    """
    global _job
    workers = jobs or os.cpu_count() or 1
    job = (ladder, roster, quarter, due, directory, carry, stamp, people)
    _init_job(*job)
    try:
        if workers <= 1 or len(people) < _PARALLEL_THRESHOLD:
            for p in people:
                yield p, _entry(ladder, directory, p, _write_one(p), stamp)
            return
        chunk = max(1, min(len(people) // (workers * 4), 200))  # small enough for progress to move
        chunks = [people[i:i + chunk] for i in range(0, len(people), chunk)]
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_job, initargs=job) as pool:
            for part, hashes in zip(chunks, pool.map(_write_chunk, chunks)):
                for p, sha in zip(part, hashes):
                    yield p, _entry(ladder, directory, p, sha, stamp)
    finally:
        _job = None
