"""``review``: one review workbook per manager, where they score their SEs, from a results file.

Each manager's ``review-<manager-id>.xlsx`` shows their SEs' evidence (and self scores,
unless ``blind``) and carries any manager scores, comments and recommendations already
collected, so a second run after collect loses nothing typed. The Team page's org figures
come from the results (other managers' SEs scored this quarter), else from the history's
last quarter with manager scores, else there are none yet. A review already in OUT is
replaced only while it is exactly what this tool wrote (its manifest says so): one
someone changed may hold a manager's scores, and is kept unless ``force`` (backed up).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core import quarter as quarters
from ..core.cells import WorkbookLayout
from ..core.model import Ladder, Manager, Roster
from ..core.results import Results
from ..core.review_layout import build_review, review_version, seed
from ..core.calibration import Rated, org_figures, scored_in
from ..history import store as history
from ..xlsx import manifest
from ..xlsx.writer import workbook_bytes, write_bytes
from .results_file import read_results
from .written import Written, make_folder, may_write


@dataclass
class ReviewsWritten(Written):
    """The reviews written (by manager id), and where the org figures came from ("" none)."""

    org: str = ""


def review_path(directory: Path, manager_id: str) -> Path:
    return directory / f"review-{manager_id}.xlsx"


def write_reviews(results_path: Path, ladder_path: Path | None, team_path: Path, out: Path, *, blind: bool = False,
                  due: date | None = None, db: Path | None = None, force: bool = False) -> ReviewsWritten:
    """``ladder-sheets review``: ``build_reviews`` from a results file, the config files and the history."""
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    results = read_results(results_path)
    return build_reviews(ladder, roster, results, out, blind=blind, due=due, db=db, force=force)


def build_reviews(ladder: Ladder, roster: Roster, results: Results, out: Path, *, blind: bool = False,
                  due: date | None = None, db: Path | None = None, force: bool = False) -> ReviewsWritten:
    """Write ``out/review-<manager-id>.xlsx`` for every manager with SEs, and the manifest beside them."""
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    due = due or quarters.default_due(stamp.date())
    report = ReviewsWritten(out)
    make_folder(out)
    entries = manifest.read(out)
    known = manifest.known_hashes(out)
    report.org, layouts = review_layouts(ladder, roster, results, blind=blind, due=due, db=db)
    for manager, wl in layouts:
        path = review_path(out, manager.id)
        if not may_write(path, manager.id, known, force, report, stamp, "a manager's scores"):
            continue
        data = workbook_bytes(wl)
        entries[manager.id] = _entry(manager, path, data, review_version(ladder), stamp)
        manifest.record(out, entries[manager.id])
        write_bytes(data, path)
        report.written.append((manager.id, path))
    manifest.write(out, results.quarter, entries, due.isoformat(), {"blind": blind})
    return report


def review_layouts(ladder: Ladder, roster: Roster, results: Results, *, blind: bool, due: date,
                   db: Path | None) -> tuple[str, list[tuple[Manager, WorkbookLayout]]]:
    """Where the org figures come from ("" nowhere yet), and the review of every manager with SEs.

    The one place reviews are made, for a file (``build_reviews``) or a Google spreadsheet (``push --reviews``).
    """
    source, scored = _org_source(results, db)
    by_id = {r.person.id: r for r in results.people}
    layouts = []
    for manager in roster.managers:
        people = [p for p in roster.people if p.manager == manager.id]
        if people:
            seeds = [seed(p, by_id.get(p.id)) for p in people]
            org = org_figures(scored, manager.id, source)
            layouts.append((manager, build_review(ladder, roster, manager, results.quarter, due, seeds, blind, org)))
    return source, layouts


def _org_source(results: Results, db: Path | None) -> tuple[str, list[Rated]]:
    """Where the org figures come from, and the scores: this quarter's results, else the history."""
    scored = scored_in(results)
    if scored:
        return f"managers' scores collected for {results.quarter}", scored
    if db is not None and db.exists():
        quarter, stored = history.manager_scores(db)
        if stored:
            return f"managers' scores of {quarter}, from the history", stored
    return "", []


def _entry(manager: Manager, path: Path, data: bytes, version: str, stamp: datetime) -> manifest.Entry:
    return manifest.Entry(manager.id, manager.name, manager.email, manager.id, path.name,
                          hashlib.sha256(data).hexdigest(), version, stamp.isoformat())
