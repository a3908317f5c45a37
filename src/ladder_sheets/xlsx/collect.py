"""``collect``: read every returned workbook, check it, recompute every number, and say precisely what is wrong.

Each file is read on its own: an unreadable, foreign or broken file becomes a problem in
the results and never stops the others. For each file, in order:

1. whose is it: ``meta.person_id`` on the Guide sheet, looked up in the roster (a file
   that cannot be matched to a person goes to ``Results.unmatched``, under the one person
   its file name names when it could not be read at all);
2. is it this quarter's workbook of this template version;
3. are all sheets there, and where is each cell now (``core.locate``: columns by their
   header, rows by their id or label; a sheet whose rows cannot be matched is not read);
4. every input held to its validation (``inputs.parse_inputs``);
5. every number recomputed by ``scoring.score``: cached formula values are never used,
   except to reveal a formula overwritten with a constant.

The checking itself is ``core.examine`` (shared with ``google.pull``); ``returned`` sorts
the files (so that every file given or found is accounted for); this module reads them,
in worker processes when there are many.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..core import quarter as quarters
from ..core.examine import FileOutcome, Job, Via, assemble, examine
from ..core.model import Ladder, Roster
from ..core.results import Kind, Problem, Results
from . import guard
from .isolated import Runner
from .reader import UnreadableWorkbook, XlsxWorkbook
from .returned import find, foreign_outcomes, pointed_to

# Below this many files, starting worker processes costs more than it saves (bench/bench_collect.py).
_PARALLEL_THRESHOLD = 50


def collect(paths: Sequence[Path], ladder: Ladder, roster: Roster, quarter: str, *,
            jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
            senders: Mapping[str, str] | None = None) -> Results:
    """Read the workbooks at ``paths`` (files, or directories of workbooks) into Results.

    ``progress(done, total)`` is called as files are read (done counts files, total is fixed).
    ``senders`` names who emailed a file (by its path): who may have filled in the manager's scores.
    """
    quarters.checked(quarter)
    found = find(paths)
    files = found.workbooks
    foreign, not_workbooks = foreign_outcomes(found.others, roster)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, len(files))

    outcomes = [_whose(o, roster) for o in _read_all(files, ladder, roster, quarter, jobs, tick)] + foreign
    if senders:
        outcomes = [replace(o, via=Via.EMAIL, sender=senders[o.file]) if o.file in senders else o for o in outcomes]
    return assemble(ladder, roster, quarter, outcomes, [*found.missing, *not_workbooks, *found.skipped], "files")


# Why a workbook may belong to nobody yet still be someone's: it could not be read, or holds no id.
_NOBODYS = frozenset({Kind.UNREADABLE, Kind.MISSING_SHEET, Kind.UNIDENTIFIED})


def _whose(outcome: FileOutcome, roster: Roster) -> FileOutcome:
    """A workbook nobody's by its contents, put under the one person its file name names, if one does."""
    if outcome.person_id or not outcome.problems or any(p.kind not in _NOBODYS for p in outcome.problems):
        return outcome
    people = pointed_to(Path(outcome.file), roster.people, text=False)
    return replace(outcome, person_id=people[0].id) if len(people) == 1 else outcome


# ---- reading, possibly in worker processes ------------------------------------------------

# Worker state, set once per process (as in generate): each task then ships only a path.
_job: Job | None = None


def _init_job(ladder: Ladder, roster: Roster, quarter: str) -> None:
    global _job
    _job = Job(ladder, roster, quarter)


def _read_all(files: list[Path], ladder: Ladder, roster: Roster, quarter: str, jobs: int | None,
              progress: Callable[[int], None] | None = None) -> list[FileOutcome]:
    """Every file's outcome, in order. No file can stop the others: see ``xlsx.isolated``.

    Few files are read in this process, except those ``guard.bounded`` cannot vouch for (an
    .xls is bounded only by its format), which go to a worker of their own.
    """
    tick = progress or (lambda _: None)
    runner = Runner(read_one, _crashed, initializer=_init_job, initargs=(ladder, roster, quarter),
                    progress=tick)
    workers = min(jobs or os.cpu_count() or 1, max(1, len(files)))
    if workers > 1 and not (jobs is None and len(files) < _PARALLEL_THRESHOLD):
        # Chunks small enough to keep every worker busy to the end and the progress bar moving.
        return runner.map(files, workers, chunk=max(1, min(len(files) // (workers * 4), 50)))
    _init_job(ladder, roster, quarter)
    outcomes: dict[Path, FileOutcome] = {}
    risky = {f for f in files if not guard.bounded(f)}
    for f in files:
        if f not in risky:
            outcomes[f] = read_one(f)
            tick(1)
    outcomes.update(zip(sorted(risky), runner.map(sorted(risky), 1, chunk=1)))
    return [outcomes[f] for f in files]


def read_one(path: Path) -> FileOutcome:
    """Everything collect learns from one file. Never raises for a bad file."""
    assert _job is not None, "call _init_job first"
    file = str(path)
    try:
        mtime = path.stat().st_mtime
        with XlsxWorkbook(path) as book:
            return examine(_job, book, file, mtime)
    except UnreadableWorkbook as exc:
        return _unreadable(path, exc.reason)
    except OSError as exc:
        return _unreadable(path, f"cannot open it: {exc.strerror or exc}")


def _crashed(path: Path, why: str) -> FileOutcome:
    """The outcome of a file that ended its reader (the guard let it through, yet it ran its worker
    out of memory or the library failed on it)."""
    return _unreadable(path, why)


def _unreadable(path: Path, reason: str) -> FileOutcome:
    """The outcome of a file that could not be read at all: one problem, belonging to nobody."""
    file = str(path)
    return FileOutcome(file, 0.0, problems=(Problem(file, "", "", Kind.UNREADABLE, reason),))
