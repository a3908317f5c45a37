"""The stand-in's state: Drive files (folders and spreadsheets), permissions, sheets and cells.

A spreadsheet is one object whether reached through Drive or Sheets: ``DriveFile.book``
holds its sheets, and its title is the file's name. Access follows Drive: the owner,
direct permissions, "anyone" permissions, and whatever a parent folder grants.
"""

from __future__ import annotations

import copy
import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import a1
from .errors import ApiError, bad_request
from .realism import Realism

SPREADSHEET = "application/vnd.google-apps.spreadsheet"
FOLDER = "application/vnd.google-apps.folder"
ROLES = ("reader", "commenter", "writer", "fileOrganizer", "organizer", "owner")  # weakest first
DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
Cell = dict[str, Any]  # stored CellData: userEnteredValue, userEnteredFormat, dataValidation, note, ...


@dataclass
class Sheet:
    """One tab: properties (SheetProperties JSON) and everything attached to its grid."""

    properties: dict[str, Any]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    edited_by: dict[tuple[int, int], str] = field(default_factory=dict)
    protected: list[dict[str, Any]] = field(default_factory=list)
    conditional: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    col_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    auto_resized: list[dict[str, Any]] = field(default_factory=list)

    def draft(self) -> Sheet:
        """A copy to change inside one call: the items of its lists and cell dicts are shared, since every
        change replaces them rather than changing them in place."""
        return Sheet(copy.deepcopy(self.properties), dict(self.cells), dict(self.edited_by), list(self.protected),
                     list(self.conditional), list(self.merges), {i: dict(m) for i, m in self.row_meta.items()},
                     {i: dict(m) for i, m in self.col_meta.items()}, list(self.auto_resized))

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def rows(self) -> int:
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def cols(self) -> int:
        return int(self.properties["gridProperties"]["columnCount"])

    def fit(self, span: a1.Span) -> a1.Span:
        """The span closed at the grid's edge; 400 "exceeds grid limits" when a bounded end is past it."""
        if (span.r1 or 0) > self.rows or (span.c1 or 0) > self.cols or span.r0 >= self.rows or span.c0 >= self.cols:
            raise bad_request(f"Range ({a1.quote_title(self.title)}!{_described(span)}) exceeds grid limits. "
                              f"Max rows: {self.rows}, max columns: {self.cols}")
        return span.clamp(self.rows, self.cols)


def _described(span: a1.Span) -> str:
    """The span in A1 for an error message (open ends written as far as they are bounded)."""
    start = f"{a1.column_letters(span.c0)}{span.r0 + 1}"
    end_col = a1.column_letters(span.c1 - 1) if span.c1 is not None else ""
    end_row = str(span.r1) if span.r1 is not None else ""
    end = end_col + end_row
    return start if end == start else f"{start}:{end}"


@dataclass
class Book:
    """A spreadsheet's content; its title lives on the DriveFile."""

    properties: dict[str, Any]
    sheets: list[Sheet]
    named_ranges: list[dict[str, Any]] = field(default_factory=list)

    def draft(self) -> Book:
        return Book(copy.deepcopy(self.properties), [s.draft() for s in self.sheets], list(self.named_ranges))

    def ordered(self) -> list[Sheet]:
        return sorted(self.sheets, key=lambda s: int(s.properties.get("index", 0)))

    def by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise bad_request(f"No grid with id: {sheet_id}")

    def by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def reindex(self) -> None:
        for i, sheet in enumerate(self.ordered()):
            sheet.properties["index"] = i

    def resolve(self, text: str) -> tuple[Sheet, a1.Span]:
        """A range string -> (sheet, span), the way Sheets resolves it; 400 when it cannot."""
        parsed = a1.split(text)
        if parsed is None:
            raise _unparsable(text)
        if parsed.sheet is None:
            return self._resolve_bare(text)
        sheet = self.by_title(parsed.sheet)
        if sheet is None:
            raise _unparsable(text)
        if parsed.part is None:
            return sheet, a1.Span(0, None, 0, None)
        span = a1.cells(parsed.part)
        if span is not None:
            return sheet, span
        named = self._named(parsed.part)
        if named is None:
            raise _unparsable(text)
        return named

    def _resolve_bare(self, text: str) -> tuple[Sheet, a1.Span]:
        span = a1.cells(text)
        if span is not None:
            return self.ordered()[0], span
        sheet = self.by_title(text)
        if sheet is not None:
            return sheet, a1.Span(0, None, 0, None)
        named = self._named(text)
        if named is None:
            raise _unparsable(text)
        return named

    def _named(self, name: str) -> tuple[Sheet, a1.Span] | None:
        found = next((n for n in self.named_ranges if n["name"] == name), None)
        return self.grid(found["range"]) if found else None

    def grid(self, grid_range: dict[str, Any]) -> tuple[Sheet, a1.Span]:
        """A GridRange (missing indexes are open ends) -> (sheet, span)."""
        sheet = self.by_id(int(grid_range.get("sheetId", 0)))
        def end(key: str) -> int | None:
            return int(grid_range[key]) if grid_range.get(key) is not None else None
        return sheet, a1.Span(end("startRowIndex") or 0, end("endRowIndex"),
                              end("startColumnIndex") or 0, end("endColumnIndex"))


def _unparsable(text: str) -> ApiError:
    return bad_request(f"Unable to parse range: {text}")


@dataclass
class Permission:
    """A Drive permission, with what the sharing request asked for (notification, message)."""

    id: str
    type: str
    role: str
    email: str | None = None
    domain: str | None = None
    notified: bool = False
    email_message: str | None = None
    granted_by: str = ""

    def resource(self) -> dict[str, Any]:
        """The Permission resource Drive returns (full; ``fields`` narrows it)."""
        out: dict[str, Any] = {"kind": "drive#permission", "id": self.id, "type": self.type, "role": self.role}
        if self.email:
            out.update(emailAddress=self.email, displayName=self.email.split("@")[0], deleted=False,
                       pendingOwner=False)
        if self.domain:
            out["domain"] = self.domain
        if self.type == "anyone":
            out["allowFileDiscovery"] = False
        return out


@dataclass
class DriveFile:
    """A Drive file: a folder, or a spreadsheet whose content is ``book``."""

    id: str
    name: str
    mime_type: str
    owner: str
    parents: list[str]
    created: str
    modified: str
    last_modifier: str
    permissions: list[Permission] = field(default_factory=list)
    trashed: bool = False
    book: Book | None = None
    drive_id: str = ""  # the shared drive holding it ("" in My Drive); a shared drive's root has its own id
    created_at: float = 0.0  # on the realism clock: files.list shows it only after Realism.list_lag
    writers_can_share: bool = True
    restrictions: dict[str, bool] = field(default_factory=dict)  # a shared drive's (its root's) restrictions
    app: str = ""  # the app (OAuth client or service account) that created it through the API
    domain: str = ""  # a shared drive's organisation

    def draft(self) -> DriveFile:
        """A copy a call changes and that replaces the file only when the whole call succeeded, as Google
        applies a call all-or-nothing; cheap, since cell dicts are shared (every change replaces them)."""
        out = copy.copy(self)
        out.book = self.book.draft() if self.book is not None else None
        return out


class State:
    """Every file, the id generator and the clock; callers hold the stand-in's lock."""

    def __init__(self, seed: int, realism: Realism | None = None) -> None:
        self.files: dict[str, DriveFile] = {}
        self.rng = random.Random(seed)
        self.realism = realism or Realism()
        self.user_locale: dict[str, str] = {}  # a person's Drive language: the locale of spreadsheets they create
        # The calling app, for the length of one call: files it creates carry it, and with only the
        # drive.file scope Drive shows it nothing else ("drive.file": files the app created or opened).
        self.app = ""
        self.app_files_only = False

    def new_file_id(self) -> str:
        """44 characters like Google's spreadsheet keys, so no code relies on a shorter shape."""
        alphabet = string.ascii_letters + string.digits + "-_"
        return "1" + "".join(self.rng.choice(alphabet) for _ in range(43))

    def new_number(self) -> int:
        """A sheetId / protectedRangeId: Google picks large random positive int32s."""
        return self.rng.randint(1, 2**31 - 1)

    @staticmethod
    def now() -> str:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def role(self, file: DriveFile, user: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The caller's effective role: owner, direct or "anyone" permission, or a parent's grant."""
        if self.app_files_only and file.app != self.app:
            return None
        if user == file.owner:
            return "owner"
        grants = [p.role for p in file.permissions if p.email == user or p.type == "anyone"]
        for parent in file.parents:
            folder = self.files.get(parent)
            if folder is not None and parent not in seen:
                inherited = self.role(folder, user, seen | {file.id})
                if inherited:  # a shared drive's organizers keep full rights on its files
                    grants.append("writer" if inherited == "owner" and not file.drive_id else inherited)
        return max(grants, key=ROLES.index) if grants else None

    def drive_file(self, file_id: str, user: str, need: str = "reader") -> DriveFile:
        """Drive's view: a file the caller cannot see does not exist (404); too weak a role is 403."""
        file = self.files.get(file_id)
        role = self.role(file, user) if file else None
        if file is None or role is None:
            raise ApiError(404, f"File not found: {file_id}.", reason="notFound", location="fileId")
        if ROLES.index(role) < ROLES.index(need):
            raise ApiError(403, "The user does not have sufficient permissions for this file.",
                           reason="insufficientFilePermissions")
        return file

    def spreadsheet(self, spreadsheet_id: str, user: str, need: str = "reader") -> DriveFile:
        """Sheets' view: 404 when missing, 403 without access, 400 for a file that is no spreadsheet."""
        file = self.files.get(spreadsheet_id)
        if file is None:
            raise ApiError(404, "Requested entity was not found.")
        role = self.role(file, user)
        if role is None or ROLES.index(role) < ROLES.index(need):
            raise ApiError(403, "The caller does not have permission")
        if file.book is None:
            raise bad_request("This operation is not supported for this document")
        return file

    def touch(self, file: DriveFile, user: str) -> None:
        file.modified = self.now()
        file.last_modifier = user


def new_sheet(properties: dict[str, Any]) -> Sheet:
    """A GRID sheet with Google's defaults filled in (1000 x 26)."""
    props = dict(properties)
    props.setdefault("sheetType", "GRID")
    grid = dict(props.get("gridProperties") or {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLS)
    props["gridProperties"] = grid
    return Sheet(props)


def new_book(locale: str = "en_US") -> Book:
    """A spreadsheet as Drive creates it: one "Sheet1" with sheetId 0, Google's default properties
    (the locale follows its creator's language)."""
    return Book({"locale": locale, "autoRecalc": "ON_CHANGE", "timeZone": "Etc/GMT"},
                [new_sheet({"sheetId": 0, "title": "Sheet1", "index": 0})])
