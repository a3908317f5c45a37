"""The steps every push takes for one spreadsheet, an SE's or a manager's review: create it once,
share it (a refusal about the address noted, never fatal), record each step in the sync state.

Shared by ``push`` (SEs) and ``push_reviews`` (managers), so both resume and report alike.
"""

from __future__ import annotations

from collections.abc import Callable

from .client import FOLDER_MIME, MY_DRIVE, Folder, Sheets, ShareRefused
from .sync_state import QuarterState, SheetEntry, Stage, SyncState

LAG_WAITS = (2.0, 4.0, 8.0)  # Drive's search catches up with a create within seconds


def own_folder(sheets: Sheets, state: SyncState, qstate: QuarterState, name: str) -> Folder:
    """The quarter's folder push made in My Drive: the one recorded, or found by name (a run that died
    before recording it), or made now and recorded at once."""
    if qstate.folder:
        return sheets.folder(qstate.folder)
    found = sheets.find_in_folder(MY_DRIVE, name, FOLDER_MIME)
    made = Folder(found or sheets.create(MY_DRIVE, name, FOLDER_MIME), name, "")
    with state.lock:
        qstate.folder = made.id
        state.save()
    return made


def create_once(sheets: Sheets, state: SyncState, entries: dict[str, SheetEntry], entry_for: SheetEntry,
                title: str, parent: Folder, check: Callable[[], None]) -> SheetEntry:
    """The entry of ``entry_for.person_id`` in ``entries``, its spreadsheet created unless it already was.

    Marked CREATING before the create is sent: if the run dies after Google made the file,
    the next run looks it up by name instead of making a second one.
    """
    entry = entries.get(entry_for.person_id)
    if entry is not None and entry.stage is not Stage.CREATING:
        return entry
    existing = sheets.find_in_folder(parent, title, lag_waits=LAG_WAITS) if entry else None
    with state.lock:
        entries[entry_for.person_id] = entry = entry_for
        state.save()
    check()
    spreadsheet_id = existing or sheets.create(parent, title)
    with state.lock:
        entry.spreadsheet_id, entry.stage = spreadsheet_id, Stage.CREATED
        state.save()
    return entry


def note(state: SyncState, entry: SheetEntry, role: str, fix: str) -> None:
    """Record (or clear) a refused share in the state, so the next run asks again."""
    with state.lock:
        if entry.refused.get(role, "") == fix:
            return
        if fix:
            entry.refused[role] = fix
        else:
            del entry.refused[role]
        state.save()


class Sharer:
    """Shares files as writer; an address refused once in a run is not asked again (its other files
    would be refused alike)."""

    def __init__(self, sheets: Sheets, check: Callable[[], None]) -> None:
        self.sheets, self.check = sheets, check
        self.refused: dict[str, str] = {}  # address -> fix, refused during this run

    def share(self, file_id: str, email: str, *, notify: bool = False, message: str = "") -> tuple[str, str]:
        """(Drive's warning, "") once shared, or ("", the fix) when Drive refused for a reason about the address."""
        if email in self.refused:
            return "", self.refused[email]
        self.check()
        try:
            return self.sheets.share(file_id, email, notify=notify, message=message), ""
        except ShareRefused as exc:
            self.refused[email] = exc.fix
            return "", exc.fix
