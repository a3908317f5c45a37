"""What ``pull`` checks beyond collect's checks: who can read the files (a manager's review: only
the manager), who can edit the manager's cells, and a copy an SE filled instead of their own spreadsheet.

Google keeps more than a returned file does: the protection on the manager's cells (which
an editor of those cells could widen), the file's permissions (which an SE can change in a
shared drive), and other spreadsheets the signed-in account can see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..core.landmarks import letters
from ..core.cells import Editor, Role, WorkbookLayout
from ..core.model import Manager, Person
from ..core.readplan import column_index
from ..core.errors import ServiceError
from ..core.results import Kind, Problem, Severity
from .client import SetupError, Sheets, StopRun
from .sync_state import QuarterState, SheetEntry

Area = tuple[int, int, int, int]  # rows [r0, r1), columns [c0, c1), zero-based


def stop_unless_readable(sheets: Sheets, quarter: str, qstate: QuarterState) -> bool:
    """Stop at once, in one line naming who pushed them, when the signed-in account cannot open the
    quarter's folder; else whether the files are in a shared drive (where SEs can change sharing)."""
    found = sheets.file_info(qstate.folder, "id,driveId", "open the quarter's folder")
    if found is not None:
        return bool(found.get("driveId"))
    me = sheets.acting_as or sheets.whoami()
    pusher = qstate.owner or "the account that pushed them"
    raise SetupError(f"{me} cannot read the spreadsheets pushed for {quarter}: they belong to {pusher} (folder "
                     f"{qstate.folder}); pull as {pusher}, or have the folder shared with {me}, then rerun")


def protection_problems(protected: Mapping[str, list[Mapping[str, Any]]], wl: WorkbookLayout, where: str,
                        manager: str, owner: str) -> list[Problem]:
    """The manager's cells must stay protected, editable by the manager and the owner only.

    Editors are listed only to those who may edit the range: for anyone else the editors
    are not checked (the owner, who pulls, sees them).
    """
    expected = {manager.lower(), owner.lower()} - {""}
    problems = []
    for sheet in wl.sheets:
        cells = [(c.row - 1, column_index(c.column), c.ref) for c in sheet.cells
                 if c.role is Role.INPUT and c.editor is Editor.MANAGER]
        ranges = [p for p in protected.get(sheet.title, []) if not p.get("warningOnly") and _bounded(p)]
        bare = [ref for r, c, ref in cells if not any(_covers(p, r, c) for p in ranges)]
        if bare:
            problems.append(Problem(where, sheet.title, bare[0], Kind.TAMPERED,
                                    f"the manager's cells {', '.join(bare)} are no longer protected: anyone who can "
                                    "edit the spreadsheet can change the manager's scores"))
        for guarded in (p for p in ranges if any(_covers(p, r, c) for r, c, _ in cells)):
            problems += _editors_problem(guarded, sheet.title, where, manager, expected)
    return problems


def _editors_problem(guarded: Mapping[str, Any], title: str, where: str, manager: str,
                     expected: set[str]) -> list[Problem]:
    if "editors" not in guarded:
        return []
    editors = {str(u).lower() for u in (guarded.get("editors") or {}).get("users", [])}
    ref = _a1(_area(guarded["range"]))
    if manager.lower() not in editors:
        return [Problem(where, title, ref, Kind.TAMPERED, f"the manager ({manager}) was removed from the editors of "
                                                          f"their cells {ref}: they can no longer score")]
    others = sorted(editors - expected)
    if others:
        return [Problem(where, title, ref, Kind.TAMPERED, f"the manager's cells {ref} may also be edited by "
                                                          f"{', '.join(others)}: only the manager should")]
    return []


def access_problem(sheets: Sheets, entry: SheetEntry, manager: str) -> list[Problem]:
    """In a shared drive an SE can change their file's sharing: flag a manager whose access is gone. Drive
    refusing to say who has access is noted on that spreadsheet alone."""
    if "manager" in entry.refused:
        return []
    try:
        if manager.lower() in sheets.permissions(entry.spreadsheet_id):
            return []
    except StopRun:
        raise
    except ServiceError as exc:
        return [Problem(entry.url, "", "", Kind.UNREADABLE, f"could not read who has access to this spreadsheet "
                        f"({exc}): whether the manager ({manager}) still has access is unknown", Severity.NOTE)]
    return [Problem(entry.url, "", "", Kind.TAMPERED, f"the manager ({manager}) no longer has access to this "
                                                      "spreadsheet: share it with them again, as Editor")]


def review_readers_problem(sheets: Sheets, entry: SheetEntry, manager: Manager, owner: str) -> list[Problem]:
    """A review holds the manager's scores for their whole team: name anyone else who can open it. Drive
    refusing to say is noted; the review is read all the same."""
    try:
        readers = sheets.permissions(entry.spreadsheet_id)
    except StopRun:
        raise
    except ServiceError as exc:
        return [Problem(entry.url, "", "", Kind.UNREADABLE, f"{manager.name}'s review: could not read who can "
                        f"open it ({exc}); its scores were read", Severity.NOTE)]
    others = sorted(set(readers) - {manager.email.lower(), owner.lower()})
    if not others:
        return []
    return [Problem(entry.url, "", "", Kind.TAMPERED,
                    f"{manager.name}'s review can also be opened by {', '.join(others)}: it holds their scores "
                    "of every SE on their team, for their eyes only; take the others off under Share, on the review "
                    "or on its folder")]


class Copies:
    """Copies of the quarter's spreadsheets: one Drive search for the whole run, made when first needed."""

    def __init__(self, sheets: Sheets, prefix: str) -> None:
        self.sheets, self.prefix = sheets, prefix
        self._found: list[dict[str, Any]] | None = None
        self.failed = ""  # why the search failed: tried once a run, never again

    def of(self, title: str, original: str) -> list[dict[str, Any]]:
        if self._found is None:
            try:
                self._found = self.sheets.spreadsheets_named(self.prefix)
            except StopRun:
                raise
            except ServiceError as exc:
                self._found, self.failed = [], str(exc)
        return [f for f in self._found if title in str(f.get("name", "")) and f.get("id") != original]


def copy_problem(copies: Copies, entry: SheetEntry, title: str, person: Person) -> list[Problem]:
    """An SE who typed nothing into their spreadsheet may have filled a copy: say where it is (or that Drive
    would not be searched: a note, and the SE's own spreadsheet is read as usual)."""
    found = copies.of(title, entry.spreadsheet_id)
    if copies.failed:
        return [Problem(entry.url, "", "", Kind.UNREADABLE, f"could not look for a copy {person.name} may have "
                        f"filled instead ({copies.failed})", Severity.NOTE)]
    if not found:
        return []
    copy = found[0]
    link = str(copy.get("webViewLink") or f"https://docs.google.com/spreadsheets/d/{copy['id']}/edit")
    owners = ", ".join(str(o.get("emailAddress")) for o in copy.get("owners", []))
    return [Problem(entry.url, "", "", Kind.DUPLICATE,
                    f"filled a copy: {link} ({copy.get('name')!r}{f', owned by {owners}' if owners else ''}); only "
                    f"{entry.url} is read: ask {person.email} to type their answers there, where the manager scores")]


def untouched(values: Mapping[str, Any], wl: WorkbookLayout) -> bool:
    """True when none of the SE's own input cells holds anything."""
    return all(values.get(c.key) in (None, "") for _, c in wl.cells(Role.INPUT) if c.editor is Editor.SE)


def _bounded(protected: Mapping[str, Any]) -> bool:
    area = protected.get("range") or {}
    return any(k in area for k in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"))


def _area(grid_range: Mapping[str, Any]) -> Area:
    big = 1 << 30
    return (int(grid_range.get("startRowIndex", 0)), int(grid_range.get("endRowIndex", big)),
            int(grid_range.get("startColumnIndex", 0)), int(grid_range.get("endColumnIndex", big)))


def _inside(area: Area, r: int, c: int) -> bool:
    return area[0] <= r < area[1] and area[2] <= c < area[3]


def _covers(protected: Mapping[str, Any], r: int, c: int) -> bool:
    holes: Iterable[Mapping[str, Any]] = protected.get("unprotectedRanges") or []
    return _inside(_area(protected.get("range") or {}), r, c) and not any(_inside(_area(h), r, c) for h in holes)


def _a1(area: Area) -> str:
    start, end = f"{letters(area[2])}{area[0] + 1}", f"{letters(area[3] - 1)}{area[1]}"
    return start if start == end else f"{start}:{end}"
