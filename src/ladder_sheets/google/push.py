"""``push``: one Google spreadsheet per SE, built from the same layout as the Excel workbook.

Per SE, on a fresh run: create the file in the folder (1 request), share it with the
manager (1), build every sheet, value, format, validation, protection and named range in
one batchUpdate (1), share it with the SE (1). State is saved after each step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..core import layout, quarter as quarters
from ..core.errors import ConfigError, ServiceError
from .client import Sheets
from ..core.model import Ladder, Person, Roster
from .batch_requests import build_requests
from .sync_state import SheetEntry, Stage, SyncState

# Consecutive failures after which the run stops: the quota or the network is gone, and
# every further attempt would only burn retries.
_GIVE_UP_AFTER = 3


@dataclass
class PushReport:
    created: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (person id, why)
    not_attempted: list[str] = field(default_factory=list)
    planned: list[tuple[str, str]] = field(default_factory=list)  # dry run: (person id, what would happen)


def title_for(ladder: Ladder, person: Person, quarter: str) -> str:
    return f"{quarter} {ladder.name}: {person.name} ({person.id})"


def push(ladder: Ladder, roster: Roster, quarter: str, folder: str, state: SyncState, sheets: Sheets | None, *,
         due: date, notify: bool = False, message: str = "", dry_run: bool = False,
         owner: str = "", progress: Callable[[str], None] | None = None) -> PushReport:
    """Create, build and share every SE's spreadsheet that is not shared yet."""
    try:
        quarters.parse(quarter)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    qstate = state.quarter(quarter)
    if qstate.folder and qstate.folder != folder:
        raise ConfigError(f"{state.path}: {quarter} was pushed to folder {qstate.folder}, not {folder}; "
                          "use the same folder (or another --state file) so nobody gets two spreadsheets")
    report = PushReport()
    failures_in_a_row = 0
    for person in roster.people:
        entry = qstate.people.get(person.id)
        if entry is not None and entry.stage is Stage.SHARED:
            report.up_to_date.append(person.id)
        elif dry_run or sheets is None:
            report.planned.append((person.id, _plan(entry, title_for(ladder, person, quarter), person.email,
                                                    roster.manager_of(person).email)))
        elif failures_in_a_row >= _GIVE_UP_AFTER:
            report.not_attempted.append(person.id)
        else:
            try:
                _push_one(ladder, roster, person, quarter, folder, state, sheets, due, notify, message, owner, report)
                failures_in_a_row = 0
            except ServiceError as exc:
                failures_in_a_row += 1
                report.failed.append((person.id, str(exc)))
        if progress:
            progress(person.id)
    return report


def _plan(entry: SheetEntry | None, title: str, se: str, manager: str) -> str:
    share = f"share with {se} (SE) and {manager} (manager) as writers"
    if entry is None:
        return f"create {title!r} and {share}"
    return f"resume {title!r} from stage {entry.stage.value!r} and {share}"


def _push_one(ladder: Ladder, roster: Roster, person: Person, quarter: str, folder: str, state: SyncState,
              sheets: Sheets, due: date, notify: bool, message: str, owner: str, report: PushReport) -> None:
    qstate = state.quarter(quarter)
    qstate.folder = folder
    entry = qstate.people.get(person.id)
    title = title_for(ladder, person, quarter)
    resuming = entry is not None
    (report.resumed if resuming else report.created).append(person.id)
    if entry is None or entry.stage is Stage.CREATING:
        # Mark before sending: if we die after Google created the file, the next run looks it up by name.
        existing = sheets.find_in_folder(folder, title) if entry else None
        entry = SheetEntry(person.id, person.name, Stage.CREATING, template_version=layout.template_version(ladder))
        qstate.people[person.id] = entry
        state.save()
        entry.spreadsheet_id = existing or sheets.create(folder, title)
        entry.stage = Stage.CREATED
        state.save()
    manager = roster.manager_of(person)
    if entry.stage is Stage.CREATED:
        sheets.share(entry.spreadsheet_id, manager.email, notify=False)
        if not (resuming and _already_built(sheets, entry, ladder)):
            wl = layout.build(ladder, roster, person, quarter, due)
            sheets.batch_update(entry.spreadsheet_id, build_requests(wl, 0, owner, manager.email))
        entry.stage = Stage.BUILT
        state.save()
    if entry.stage is Stage.BUILT:
        sheets.share(entry.spreadsheet_id, person.email, notify=notify, message=message)
        entry.stage = Stage.SHARED
        state.save()


def _already_built(sheets: Sheets, entry: SheetEntry, ladder: Ladder) -> bool:
    """On resume only: did the build land before we could record it? (Rebuilding would fail on existing sheets.)"""
    if entry.template_version != layout.template_version(ladder):
        return False
    titles = {title for _, title in sheets.sheet_titles(entry.spreadsheet_id)}
    return {layout.GUIDE, layout.SCORECARD, layout.METRICS, layout.PIVOTS, layout.READOUT} <= titles
