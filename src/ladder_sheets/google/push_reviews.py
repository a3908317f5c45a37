"""``push --reviews``: one Google spreadsheet per manager, their review, shared with that manager only.

Built from the same review layout the Excel writer walks (``workflows.review`` makes it) by the
same batchUpdate as an SE's spreadsheet: every cell but the manager's inputs is protected, and
those are ranges only the manager (and the account that pushed) may edit. Never shared with an
SE. Per manager: create the file (Drive, 1 request), build it (Sheets, 1), share it with the
manager (Drive, 1), each step recorded in the sync state's ``reviews``, so a rerun resumes,
never makes a second spreadsheet, and never rebuilds one shared already (it may hold scores).

One manager after the other: a quarter has a handful of managers, so none of the SE push's
pipelining is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..core import cells, quarter as quarters
from ..core.cells import WorkbookLayout
from ..core.errors import ServiceError
from ..core.model import Ladder, Manager
from ..core.review_layout import TEAM, reviewed
from .batch_requests import build_requests
from .client import Folder, Sheets, StopRun
from .push import GIVE_UP_AFTER, PushOptions, PushReport, same_folder
from .push_steps import Sharer, create_once, note, own_folder
from .sync_state import SheetEntry, Stage, SyncState

Reviews = Sequence[tuple[Manager, WorkbookLayout]]


def review_title(ladder: Ladder, manager: Manager, quarter: str) -> str:
    return f"{quarter} {ladder.name}: manager review, {manager.name} ({manager.id})"


def push_reviews(ladder: Ladder, quarter: str, reviews: Reviews, folder: str, state: SyncState,
                 sheets: Sheets | None, options: PushOptions, *, blind: bool = False, dry_run: bool = False,
                 owner: str = "", progress: Callable[[str], None] | None = None) -> PushReport:
    """Create, build and share every manager's review spreadsheet not shared with them yet.

    The quarter's folder is the SE spreadsheets' (``folder`` "": the one push made or recorded).
    The due date and ``blind`` (what the reviews show) are recorded for the hand-out's words.
    Raises ``StopRun`` (state saved) when a fault would fail every manager alike.
    """
    quarters.checked(quarter)
    qstate = state.quarter(quarter)
    same_folder(state, qstate, quarter, folder)
    report = PushReport()
    todo = []
    for manager, wl in reviews:
        entry = qstate.reviews.get(manager.id)
        if entry is not None and entry.stage is Stage.SHARED and not entry.refused:
            report.up_to_date.append(manager.id)
            built_for = set(entry.sheets_for)
            newcomers = [title for pid, title in reviewed(wl).items() if built_for and pid not in built_for]
            if newcomers:
                report.warnings.append((manager.id, _no_sheet(manager, newcomers)))
        elif dry_run or sheets is None:
            verb = "create" if entry is None else f"resume from stage {entry.stage.value!r}"
            report.planned.append((manager.id, f"{verb} {review_title(ladder, manager, quarter)!r} and share it with "
                                               f"{manager.email} (manager) only, as writer"))
        else:
            todo.append((manager, wl))
            continue
        if progress:
            progress(manager.id)
    if todo and sheets is not None:
        target = sheets.folder(folder) if folder else own_folder(sheets, state, qstate, f"{quarter} {ladder.name}")
        with state.lock:
            qstate.folder, qstate.owner = target.id, owner or sheets.acting_as or sheets.whoami() or qstate.owner
            qstate.review_due, qstate.review_blind = options.due.isoformat(), blind
        _Run(ladder, quarter, target, state, sheets, options, qstate.owner, report, progress).push_all(todo)
    return report


def _no_sheet(manager: Manager, names: Sequence[str]) -> str:
    return (f"review shared already, so not rebuilt (it may hold scores): it has no sheet for {', '.join(names)}, "
            f"who joined the team after it was pushed; {manager.name} can score them in the Manager column of "
            "their own spreadsheet")


class _Run:
    """One push of reviews, one manager after the other; a refusal about one manager never stops the rest."""

    def __init__(self, ladder: Ladder, quarter: str, folder: Folder, state: SyncState, sheets: Sheets,
                 options: PushOptions, owner: str, report: PushReport, progress: Callable[[str], None] | None) -> None:
        self.ladder, self.quarter, self.folder, self.state, self.sheets = ladder, quarter, folder, state, sheets
        self.options, self.owner, self.report, self.progress = options, owner, report, progress
        self.entries = state.quarter(quarter).reviews
        self.sharer = Sharer(sheets, lambda: None)

    def push_all(self, todo: Reviews) -> None:
        """Each manager's review; after three failures in a row (not refusals) no new one is started."""
        failures = 0
        for manager, wl in todo:
            if failures >= GIVE_UP_AFTER:
                self.report.not_attempted.append(manager.id)
            else:
                resumed = manager.id in self.entries
                (self.report.resumed if resumed else self.report.created).append(manager.id)
                try:
                    self._one(manager, wl, resumed)
                    failures = 0
                except StopRun:
                    raise  # state is saved after every step: a rerun resumes
                except ServiceError as exc:
                    failures += 1
                    self.report.failed.append((manager.id, str(exc)))
            if self.progress:
                self.progress(manager.id)

    def _one(self, manager: Manager, wl: WorkbookLayout, resumed: bool) -> None:
        new = SheetEntry(manager.id, manager.name, Stage.CREATING, template_version=wl.template_version)
        entry = create_once(self.sheets, self.state, self.entries, new,
                            review_title(self.ladder, manager, self.quarter), self.folder, lambda: None)
        if entry.stage is Stage.CREATED:
            if not (resumed and self._already_built(entry, wl)):
                self.sheets.batch_update(entry.spreadsheet_id, build_requests(
                    wl, 0, self.owner, manager.email, locale=self.options.locale, time_zone=self.options.time_zone))
            entry.sheets_for = list(reviewed(wl))
            self._advance(entry, Stage.BUILT)
        if entry.stage is Stage.BUILT:
            warning, fix = self.sharer.share(entry.spreadsheet_id, manager.email, notify=self.options.notify,
                                             message=self.options.message)
            note(self.state, entry, "manager", fix)
            if fix:
                self.report.failed.append((manager.id, f"not shared with the manager: {fix}"))
                return
            self._advance(entry, Stage.SHARED)
            if warning:
                self.report.warnings.append((manager.id, warning))

    def _advance(self, entry: SheetEntry, stage: Stage) -> None:
        with self.state.lock:
            entry.stage = stage
            self.state.save()

    def _already_built(self, entry: SheetEntry, wl: WorkbookLayout) -> bool:
        """On resume only: did the build land before we could record it? (Rebuilding would fail on existing sheets.)"""
        if entry.template_version != wl.template_version:
            return False
        return {cells.GUIDE, TEAM} <= {title for _, title in self.sheets.sheet_titles(entry.spreadsheet_id)}
