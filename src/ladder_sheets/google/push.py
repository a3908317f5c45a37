"""``push``: one Google spreadsheet per SE, built from the same layout as the Excel workbook.

Per SE, on a fresh run: create the file (Drive, 1 request), share it with the manager
(Drive, 1; none with ``folder_per_manager``, where the manager's folder grants it), build
every sheet, value, format, validation, protection, named range, locale and time zone in
one batchUpdate (Sheets, 1), share it with the SE (Drive, 1). State is saved after each step.

Pipelined: the Sheets API allows ~60 writes a minute, Drive far more, so Drive steps for the
next SEs run on worker threads while the build waits for Sheets quota. A 500-SE push then
takes about the Sheets floor (500 builds at 60/min) instead of the sum of every call's latency.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from ..core import cells, layout, quarter as quarters
from ..core.errors import ConfigError, ServiceError
from ..core.model import Ladder, Manager, ManagerScores, Person, Roster
from .batch_requests import DEFAULT_LOCALE, DEFAULT_TIME_ZONE, build_requests
from .client import FOLDER_MIME, Folder, Sheets, StopRun
from .push_steps import Sharer, create_once, note, own_folder
from .sync_state import QuarterState, SheetEntry, Stage, SyncState

# Consecutive failures (a refusal about one person never counts) after which no new SE is
# started: the same error three times in a row (a build Google rejects) would hit the rest too.
GIVE_UP_AFTER = 3
_WHO = {"se": "the SE", "manager": "their manager"}
DRIVE_WORKERS = 4
LOOKAHEAD = 8  # SEs whose Drive steps may run ahead of the Sheets build


@dataclass
class PushReport:
    created: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (person id, why)
    not_attempted: list[str] = field(default_factory=list)
    planned: list[tuple[str, str]] = field(default_factory=list)  # dry run: (person id, what would happen)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (person id, what) e.g. notification not sent


@dataclass(frozen=True)
class PushOptions:
    due: date
    notify: bool = False
    message: str = ""
    folder_per_manager: bool = False
    locale: str = DEFAULT_LOCALE
    time_zone: str = DEFAULT_TIME_ZONE


def title_for(ladder: Ladder, person: Person, quarter: str) -> str:
    return f"{quarter} {ladder.name}: {person.name} ({person.id})"


def folder_title(manager: Manager, quarter: str) -> str:
    return f"{quarter} {manager.name} ({manager.id})"


def push(ladder: Ladder, roster: Roster, quarter: str, folder: str, state: SyncState, sheets: Sheets | None, *,
         due: date, notify: bool = False, message: str = "", dry_run: bool = False, owner: str = "",
         folder_per_manager: bool = False, locale: str = DEFAULT_LOCALE, time_zone: str = DEFAULT_TIME_ZONE,
         progress: Callable[[str], None] | None = None) -> PushReport:
    """Create, build and share every SE's spreadsheet that is not shared yet.

    With ``folder`` "" push makes the quarter's folder in the signed-in account's My Drive
    (once: its id is recorded), which is all the drive.file scope can use. Raises
    ``StopRun`` (after saving state) when a fault would fail every SE alike.
    """
    quarters.checked(quarter)
    qstate = state.quarter(quarter)
    same_folder(state, qstate, quarter, folder)
    options = PushOptions(due, notify, message, folder_per_manager, locale, time_zone)
    report = PushReport()
    todo = []
    for person in roster.people:
        entry = qstate.people.get(person.id)
        if entry is not None and entry.stage is Stage.SHARED and not entry.refused:
            report.up_to_date.append(person.id)
        elif dry_run or sheets is None:
            report.planned.append((person.id, _plan(entry, title_for(ladder, person, quarter), person.email,
                                                    roster.manager_of(person), options)))
        else:
            todo.append(person)
            continue
        if progress:
            progress(person.id)
    if todo and sheets is not None:
        target = sheets.folder(folder) if folder else own_folder(sheets, state, qstate, f"{quarter} {ladder.name}")
        run = _Run(ladder, roster, quarter, target, state, sheets, options, owner or sheets.acting_as or sheets.whoami(),
                   report, progress)
        run.push_everyone(todo)
    return report


def same_folder(state: SyncState, qstate: QuarterState, quarter: str, folder: str) -> None:
    """One quarter, one folder, so nobody gets two spreadsheets (unless nothing was made in the first)."""
    if not folder or not qstate.folder or qstate.folder == folder:
        return
    if not qstate.made_any():
        qstate.folder, qstate.people, qstate.manager_folders, qstate.reviews = "", {}, {}, {}  # start afresh
        return
    raise ConfigError(f"{state.path}: {quarter} was pushed to folder {qstate.folder}, not {folder}; "
                      "use the same folder (or another --state file) so nobody gets two spreadsheets")


def _plan(entry: SheetEntry | None, title: str, se: str, manager: Manager, options: PushOptions) -> str:
    share = f"share with {se} (SE) and {manager.email} (manager) as writers"
    if options.folder_per_manager:
        share = f"share with {se} (SE) as writer, in {manager.email}'s folder (manager)"
    if entry is None:
        return f"create {title!r} and {share}"
    return f"resume {title!r} from stage {entry.stage.value!r} and {share}"


class _Run:
    """One push: Drive steps on a small pool, the Sheets build on the calling thread, in roster order."""

    def __init__(self, ladder: Ladder, roster: Roster, quarter: str, folder: Folder, state: SyncState,
                 sheets: Sheets, options: PushOptions, owner: str, report: PushReport,
                 progress: Callable[[str], None] | None) -> None:
        self.ladder, self.roster, self.quarter, self.folder = ladder, roster, quarter, folder
        self.state, self.sheets, self.options, self.owner = state, sheets, options, owner
        self.report, self.progress = report, progress
        self.qstate = state.quarter(quarter)
        self.stop = threading.Event()  # a StopRun: no further request at all
        self.give_up = threading.Event()  # repeated failures: start nothing new (shares already queued go ahead)
        self.fatal: StopRun | None = None
        self.failures_in_a_row = 0
        self.proven = False  # until one SE's Drive steps succeed, nothing runs ahead: a setup fault costs one request
        self.ahead: deque[tuple[Person, Future[None]]] = deque()
        self.shares: list[tuple[Person, Future[str]]] = []
        self.sharer = Sharer(sheets, self._check)
        self._shared_folders: set[str] = set()  # managers whose folder was shared (or refused) this run
        self._folder_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def push_everyone(self, people: list[Person]) -> None:
        """Prepare (Drive) a few SEs ahead, build (Sheets) in roster order, then wait for the SE shares."""
        self._record_plan(people)
        waiting = iter(people)
        with ThreadPoolExecutor(DRIVE_WORKERS, thread_name_prefix="drive") as pool:
            self._prepare_ahead(pool, waiting)
            while self.ahead:
                person, prepared = self.ahead.popleft()
                self._build_and_share(pool, person, prepared)
                self._prepare_ahead(pool, waiting)
            for person in waiting:
                self._skip(person)
            self._collect_shares()
        if self.fatal is not None:
            raise self.fatal

    def _record_plan(self, people: list[Person]) -> None:
        with self.state.lock:
            self.qstate.folder, self.qstate.owner = self.folder.id, self.owner or self.qstate.owner
        for person in people:
            (self.report.resumed if person.id in self.qstate.people else self.report.created).append(person.id)

    def _prepare_ahead(self, pool: ThreadPoolExecutor, waiting: Iterator[Person]) -> None:
        while len(self.ahead) < (LOOKAHEAD if self.proven else 1) and not self._stopping():
            person = next(waiting, None)
            if person is None:
                return
            self.ahead.append((person, pool.submit(self._drive_first, person)))

    def _stopping(self) -> bool:
        return self.stop.is_set() or self.give_up.is_set()

    def _build_and_share(self, pool: ThreadPoolExecutor, person: Person, prepared: Future[None]) -> None:
        """Build one SE's spreadsheet once its Drive steps are done, then queue the share with the SE.

        A fault that would hit everyone stops the run; three other failures in a row give up
        on starting new SEs. A refusal about one person never counts towards either.
        """
        if self.fatal is not None or self.failures_in_a_row >= GIVE_UP_AFTER:
            prepared.cancel()
            self._skip(person)
            return
        try:
            prepared.result()
            self.proven = True
            self._build(person)
            self.shares.append((person, pool.submit(self._share_se, person)))
            self.failures_in_a_row = 0
        except StopRun as exc:
            self.fatal = self.fatal or exc
            self.stop.set()
        except ServiceError as exc:
            self.failures_in_a_row += 1
            self.report.failed.append((person.id, str(exc)))
            self._tick(person)
        if self.failures_in_a_row >= GIVE_UP_AFTER:
            self.give_up.set()

    def _skip(self, person: Person) -> None:
        self.report.not_attempted.append(person.id)
        self._tick(person)

    def _collect_shares(self) -> None:
        for person, shared in self.shares:
            try:
                warning = shared.result()
                if warning:
                    self.report.warnings.append((person.id, warning))
            except StopRun as exc:
                self.fatal = self.fatal or exc
            except ServiceError as exc:
                self.report.failed.append((person.id, str(exc)))
            for role, fix in sorted(self.qstate.people[person.id].refused.items()):
                self.report.failed.append((person.id, f"not shared with {_WHO[role]}: {fix}"))
            self._tick(person)

    def _tick(self, person: Person) -> None:
        if self.progress:
            self.progress(person.id)

    # ---- the steps --------------------------------------------------------------------------

    def _check(self, starting: bool = False) -> None:
        if self.stop.is_set() or (starting and self.give_up.is_set()):
            raise StopRun("stopped")  # never shown: the run's first real StopRun is what is raised

    def _drive_first(self, person: Person) -> None:
        """Create the file (once) and give the manager access; Drive only, so it may run ahead."""
        self._check(starting=True)
        entry = self._create_once(person)
        if entry.stage is Stage.CREATED or "manager" in entry.refused:
            self._share_with_manager(person, entry)

    def _create_once(self, person: Person) -> SheetEntry:
        entry = self.qstate.people.get(person.id)
        if entry is not None and entry.stage is not Stage.CREATING:
            return entry
        manager = self.roster.manager_of(person)
        parent = self._manager_folder(manager) if self.options.folder_per_manager else self.folder
        new = SheetEntry(person.id, person.name, Stage.CREATING, template_version=layout.template_version(self.ladder))
        return create_once(self.sheets, self.state, self.qstate.people, new,
                           title_for(self.ladder, person, self.quarter), parent, self._check)

    def _share_with_manager(self, person: Person, entry: SheetEntry) -> None:
        """The file, or with ``folder_per_manager`` the manager's folder (once a run); a refusal is noted."""
        manager = self.roster.manager_of(person)
        if self.options.folder_per_manager:
            folder = self._manager_folder(manager)  # shared with the manager when made
            if "manager" in entry.refused:
                self._share_folder_again(manager, folder)
            fix = self.sharer.refused.get(manager.email, "")
        else:
            fix = self.sharer.share(entry.spreadsheet_id, manager.email)[1]  # idempotent: safe to repeat
        note(self.state, entry, "manager", fix)

    def _build(self, person: Person) -> None:
        """The one Sheets request per SE (paced by the Sheets quota)."""
        entry = self.qstate.people[person.id]
        if entry.stage is not Stage.CREATED:
            return
        if not (person.id in self.report.resumed and self._already_built(entry)):
            manager = self.roster.manager_of(person)
            wl = layout.build(self.ladder, self.roster, person, self.quarter, self.options.due,
                              manager_scores=ManagerScores.IN_WORKBOOK)  # the manager's range: theirs alone
            self.sheets.batch_update(entry.spreadsheet_id, build_requests(
                wl, 0, self.owner, manager.email, locale=self.options.locale, time_zone=self.options.time_zone))
        with self.state.lock:
            entry.stage = Stage.BUILT
            self.state.save()

    def _share_se(self, person: Person) -> str:
        entry = self.qstate.people[person.id]
        if entry.stage is not Stage.BUILT:
            return ""
        warning, fix = self.sharer.share(entry.spreadsheet_id, person.email, notify=self.options.notify,
                                         message=self.options.message)
        note(self.state, entry, "se", fix)
        if not fix:
            with self.state.lock:
                entry.stage = Stage.SHARED
                self.state.save()
        return warning

    def _already_built(self, entry: SheetEntry) -> bool:
        """On resume only: did the build land before we could record it? (Rebuilding would fail on existing sheets.)"""
        if entry.template_version != layout.template_version(self.ladder):
            return False
        titles = {title for _, title in self.sheets.sheet_titles(entry.spreadsheet_id)}
        return {cells.GUIDE, cells.SCORECARD, cells.METRICS, cells.PIVOTS, cells.READOUT} <= titles

    def _manager_folder(self, manager: Manager) -> Folder:
        """The manager's folder inside the target, created and shared with the manager once.

        Files inherit the folder's sharing, so the manager sees their own team's files and
        nobody else's; each SE file is then shared with its SE only. A refused share is
        noted on each of the manager's SEs and asked again on the next run.
        """
        name = folder_title(manager, self.quarter)
        with self._lock_for(manager.id):
            known = self.qstate.manager_folders.get(manager.id)
            if known:
                return Folder(known, name, self.folder.drive_id)
            self._check()
            found = self.sheets.find_in_folder(self.folder, name, FOLDER_MIME)
            folder = Folder(found or self.sheets.create(self.folder, name, FOLDER_MIME), name, self.folder.drive_id)
            self._shared_folders.add(manager.id)
            self.sharer.share(folder.id, manager.email)
            with self.state.lock:
                self.qstate.manager_folders[manager.id] = folder.id
                self.state.save()
            return folder

    def _share_folder_again(self, manager: Manager, folder: Folder) -> None:
        """A manager refused on an earlier run: their folder is shared again, once this run."""
        with self._lock_for(manager.id):
            if manager.id not in self._shared_folders:
                self._shared_folders.add(manager.id)
                self.sharer.share(folder.id, manager.email)

    @contextmanager
    def _lock_for(self, key: str) -> Iterator[None]:
        with self._locks_lock:
            lock = self._folder_locks.setdefault(key, threading.Lock())
        with lock:
            yield
