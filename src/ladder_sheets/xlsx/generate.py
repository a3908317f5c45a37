"""``generate``: one workbook per SE for a quarter, plus the manifest. Never overwrites a touched file."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from ..core import layout, quarter as quarters
from . import manifest
from ..core.errors import WorkbookError
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
    directory = _quarter_folder(out, quarter)
    previous = manifest.read(directory)
    report = GenerateReport(directory)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    todo = _to_write(directory, roster, previous, force, report, stamp)
    due = due or quarters.default_due(stamp.date())
    entries = dict(previous)
    for person, entry in _write_all(ladder, roster, todo, quarter, due, directory, jobs, carry, stamp):
        entries[person.id] = entry
        report.written.append(person.id)
        if progress:
            progress(person.id)
    report.manifest_path = manifest.write(directory, quarter, entries, due.isoformat())
    return report


def _quarter_folder(out: Path, quarter: str) -> Path:
    """``out/<quarter>``, created; ConfigError for a quarter that is not one, WorkbookError if it cannot be made."""
    directory = out / quarters.checked(quarter)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"{exc.filename or directory}: cannot create the folder: {exc.strerror or exc}") from exc
    return directory


def _to_write(directory: Path, roster: Roster, previous: dict[str, manifest.Entry], force: bool,
              report: GenerateReport, stamp: datetime) -> list[Person]:
    """The people whose workbook is missing, untouched since written, or (with ``force``) backed up."""
    known = manifest.known_hashes(directory)
    with os.scandir(directory) as found:  # one listing, not a lookup per person
        present = {e.name.casefold() for e in found}  # casefolded: on macOS and Windows Se-1.xlsx is se-1.xlsx
    return [p for p in roster.people if f"{p.id}.xlsx".casefold() not in present
            or _may_write(directory, p, previous, known, force, report, stamp)]


def _entry(person: Person, sha: str, template_version: str, stamp: str) -> manifest.Entry:
    return manifest.Entry(person.id, person.name, person.email, person.manager, f"{person.id}.xlsx",
                          sha, template_version, stamp)


def _may_write(directory: Path, person: Person, previous: dict[str, manifest.Entry], known: dict[str, set[str]],
               force: bool, report: GenerateReport, stamp: datetime) -> bool:
    """Whether ``person``'s workbook on disk may be replaced: untouched since written, or backed up with ``force``."""
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


# What each workbook is written with: set once per process (this one, or a worker by its initializer).
_job: _Job | None = None


@dataclass(frozen=True)
class _Job:
    writer: TemplateWriter
    directory: Path
    template_version: str
    stamp: str


# _init_job's arguments: what every process writes each workbook with.
_JobArgs = tuple[Ladder, Roster, str, date, Path, Mapping[str, Mapping[str, CellValue]] | None, datetime]


def _init_job(ladder: Ladder, roster: Roster, quarter: str, due: date, directory: Path,
              carry: Mapping[str, Mapping[str, CellValue]] | None, stamp: datetime) -> None:
    """The writer of this process; it builds each shape's template when it first meets the shape."""
    global _job
    _job = _Job(TemplateWriter(ladder, roster, quarter, due, carry), directory, layout.template_version(ladder),
                stamp.isoformat())


def _write_one(person: Person) -> str:
    """Render, record the hash in the journal, then rename the workbook into place (in that order:
    a kill between the two leaves a recorded hash and the old file, both still known). Its hash."""
    job = _job
    assert job is not None
    data = job.writer.render(person)
    sha = hashlib.sha256(data).hexdigest()
    manifest.record(job.directory, _entry(person, sha, job.template_version, job.stamp))
    write_bytes(data, workbook_path(job.directory, person))
    return sha


def _write_chunk(people: list[Person]) -> list[str]:
    return [_write_one(p) for p in people]


def _write_all(ladder: Ladder, roster: Roster, people: list[Person], quarter: str, due: date, directory: Path,
               jobs: int | None, carry: Mapping[str, Mapping[str, CellValue]] | None, stamp: datetime
               ) -> Iterator[tuple[Person, manifest.Entry]]:
    """Each workbook as it lands, with its manifest entry.

    Below ``_PARALLEL_THRESHOLD`` workbooks they are written here: starting workers costs more
    than it saves.
    """
    global _job
    workers = jobs or os.cpu_count() or 1
    version, when = layout.template_version(ladder), stamp.isoformat()
    job: _JobArgs = (ladder, roster, quarter, due, directory, carry, stamp)
    if workers > 1 and len(people) >= _PARALLEL_THRESHOLD:
        for p, sha in _write_in_workers(job, people, workers):
            yield p, _entry(p, sha, version, when)
        return
    _init_job(*job)
    try:
        for p in people:
            yield p, _entry(p, _write_one(p), version, when)
    finally:
        _job = None


def _write_in_workers(job: _JobArgs, people: list[Person], workers: int) -> Iterator[tuple[Person, str]]:
    """Each person with their workbook's hash, as worker processes write them (a share each)."""
    with ExitStack() as stack:
        pending: dict[Future[list[str]], list[Person]] = {}
        for share in _shares(people, workers):
            pool = ProcessPoolExecutor(max_workers=1, initializer=_init_job, initargs=job)
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)  # a failed write stops the rest
            size = max(1, min(len(share) // 4, 200))  # small enough for progress to move
            for i in range(0, len(share), size):
                pending[pool.submit(_write_chunk, share[i:i + size])] = share[i:i + size]
        for future in as_completed(pending):
            yield from zip(pending[future], future.result())


def _shares(people: list[Person], workers: int) -> list[list[Person]]:
    """``people`` sorted by shape (level and target level) and cut into up to ``workers`` even shares.

    A worker builds the template of each shape it meets: this way it meets about its share of
    the shapes, not all of them (a shape is split only where a share ends).
    """
    by_shape = sorted(people, key=lambda p: (p.level, p.target_level))
    size = -(-len(by_shape) // workers)
    return [by_shape[i:i + size] for i in range(0, len(by_shape), size)]
