"""``calibrate``: the promotion committee's workbook, written from a results file, and its decisions applied.

Writing: every SE in or near the top band (``committee_layout.listing``) with what the
committee weighs, each manager's calibration against the org, and what the committee
decided for this quarter before (carried in, so a new copy loses nothing). A file that
already exists is kept (it may hold the committee's decisions) unless ``force`` backs it up.

Applying: the workbook read back (``committee_read``: .xlsx, .ods and the rest, edited,
sorted or renamed), every input checked; one problem and nothing is recorded. Else its
decisions become the quarter's in the history (``history.committee``): the same file
again changes nothing, another one supersedes them.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core.committee import Applied, Decision
from ..core.cells import WorkbookLayout
from ..core.committee_layout import Listed, build_committee, listing
from ..core.committee_read import read_committee
from ..core.errors import WorkbookError
from ..core.model import Ladder
from ..core.results import Results
from ..core.summary import summarize
from ..history import committee
from ..xlsx.reader import XlsxWorkbook
from ..xlsx.writer import workbook_bytes, write_bytes
from . import history_db
from .results_file import read_results


@dataclass(frozen=True)
class Written:
    path: Path
    listed: int  # SEs on the Decisions sheet
    decided: int  # of them, with a decision carried in from the history
    backup: Path | None = None


def write_calibration(results_path: Path, ladder_path: Path | None, team_path: Path, out: Path, *,
                      db: Path | None = None, force: bool = False) -> Written:
    """``ladder-sheets calibrate ... --out``: the committee's workbook at ``out``."""
    listed, wl = committee_layout(results_path, ladder_path, team_path, db)
    data = workbook_bytes(wl)
    backup = _keep(out, force)
    write_bytes(data, out)
    return Written(out, len(listed), sum(1 for x in listed if x.agreed), backup)


def committee_layout(results_path: Path, ladder_path: Path | None, team_path: Path,
                     db: Path | None) -> tuple[list[Listed], WorkbookLayout]:
    """Who the committee's workbook lists, and the workbook itself, from a results file and the history."""
    ladder, results = _load(results_path, ladder_path, team_path)
    decided = history_db.decisions(db, results.quarter) if db is not None and db.exists() else None
    trends = history_db.trends(db, ladder, results, decided) if db is not None and db.exists() else None
    summary = summarize(results, ladder, committee=decided, streaks=trends.streaks if trends is not None else None)
    listed = listing(ladder, summary, trends)
    return listed, build_committee(ladder, results.quarter, listed, summary.calibration)


def _load(results_path: Path, ladder_path: Path | None, team_path: Path) -> tuple[Ladder, Results]:
    ladder = load_ladder(ladder_path)
    load_roster(team_path, ladder)  # the roster is checked against the ladder, as for every command
    return ladder, read_results(results_path)


def _keep(out: Path, force: bool) -> Path | None:
    """A committee workbook already at ``out`` may hold decisions: refused, or with ``force`` backed up first."""
    if not out.exists():
        return None
    if not force:
        raise WorkbookError(f"{out}: already exists and may hold the committee's decisions; apply it with --apply, "
                            "or use --force to back it up and write a new one")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = out.with_name(f"{out.name}.{stamp}.bak")
    try:
        shutil.copy2(out, backup)
    except OSError as exc:
        raise WorkbookError(f"{backup}: cannot back up {out.name}: {exc.strerror or exc}") from exc
    return backup


@dataclass(frozen=True)
class Recorded:
    applied: Applied
    state: str  # "recorded" or "unchanged"
    superseded: Applied | None  # the decisions this file replaced (recorded), or the record in force (unchanged)

    @property
    def changed(self) -> list[Decision]:
        return [d for d in self.applied.decisions if d.changed]


def apply_calibration(results_path: Path, ladder_path: Path | None, team_path: Path, path: Path, *,
                      db: Path) -> Recorded:
    """``ladder-sheets calibrate ... --apply FILE``: the committee's decisions recorded in the history.

    Raises WorkbookError listing every problem, each with its sheet and cell, when one input is
    wrong: nothing is recorded then.
    """
    ladder, results = _load(results_path, ladder_path, team_path)
    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        with XlsxWorkbook(path) as book:
            reading = read_committee(ladder, results, book, str(path))
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if reading.errors:
        count = len(reading.errors)
        raise WorkbookError("\n".join([f"{path}: {count} problem{'s' if count != 1 else ''}, so nothing was recorded:",
                                       *(f"  - {p}" for p in reading.errors)]))
    applied = Applied(results.quarter, path.name, sha256,
                      datetime.now(timezone.utc).replace(microsecond=0).isoformat(), tuple(reading.decisions))
    state, other = committee.record(db, applied)
    return Recorded(other if state == "unchanged" and other is not None else applied, state, other)
