"""The local state of a Google Sheets sync: which spreadsheet is whose, and how far its push got.

Saved after every step, so an interrupted push resumes where it stopped: no duplicate
spreadsheets, and a spreadsheet already shared (which an SE may have filled in) is
never rebuilt.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..core.errors import ConfigError
from ..core.model import StrEnum

SCHEMA = "ladder-sheets/gsheets-state@1"


class Stage(StrEnum):
    CREATING = "creating"  # create was sent; the file may or may not exist
    CREATED = "created"  # the empty spreadsheet exists
    BUILT = "built"  # sheets, formulas, validation and protection are in; the manager has access unless refused
    SHARED = "shared"  # the SE (a review: its manager) has access: from now on it is theirs, never rebuilt


@dataclass
class SheetEntry:
    """One spreadsheet: an SE's (``person_id`` their id), or a manager's review (the manager's id)."""

    person_id: str
    name: str
    stage: Stage
    spreadsheet_id: str = ""
    template_version: str = ""
    # Shares Drive refused for a reason about the person ("se" or "manager" -> the plain fix);
    # retried on every run, with the roster's address of the day.
    refused: dict[str, str] = field(default_factory=dict)
    # A review: the SEs it was built with a sheet for ([]: unknown, built before this was recorded).
    sheets_for: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit" if self.spreadsheet_id else ""


@dataclass
class QuarterState:
    folder: str = ""
    people: dict[str, SheetEntry] = field(default_factory=dict)
    manager_folders: dict[str, str] = field(default_factory=dict)  # manager id -> folder id (--folder-per-manager)
    owner: str = ""  # the account that pushed ("" when unknown): pull names it, and expects it among editors
    reviews: dict[str, SheetEntry] = field(default_factory=dict)  # manager id -> their review (push --reviews)
    review_due: str = ""  # the due date the reviews show (ISO), for the hand-out and reminders
    review_blind: bool = False  # the reviews leave the self scores out

    def made_any(self) -> bool:
        """Whether any spreadsheet (an SE's or a review) was created for the quarter."""
        return any(e.spreadsheet_id for e in (*self.people.values(), *self.reviews.values()))


class SyncState:
    def __init__(self, path: Path, quarters: dict[str, QuarterState] | None = None) -> None:
        self.path = path
        self.quarters = quarters or {}
        self.lock = threading.RLock()  # push's Drive workers and its Sheets step save concurrently

    @classmethod
    def load(cls, path: Path) -> SyncState:
        if not path.exists():
            return cls(path)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA:
                raise ValueError(f"expected schema {SCHEMA!r}, found {data.get('schema')!r}")
            quarters = {
                q: QuarterState(body.get("folder", ""), _entries(body["people"]), dict(body.get("manager_folders", {})),
                                str(body.get("owner", "")), _entries(body.get("reviews", {})),
                                str(body.get("review_due", "")), bool(body.get("review_blind", False)))
                for q, body in data["quarters"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{path}: unreadable sync state ({exc}); it maps SEs to their spreadsheets, "
                              "so it is never replaced automatically") from exc
        return cls(path, quarters)

    def quarter(self, quarter: str) -> QuarterState:
        return self.quarters.setdefault(quarter, QuarterState())

    def save(self) -> None:
        """Atomic: a crash leaves the previous state, never half a file."""
        with self.lock:
            self._save()

    def _save(self) -> None:
        body = {"schema": SCHEMA, "quarters": {
            q: {"folder": s.folder, "people": {pid: _entry(e) for pid, e in sorted(s.people.items())},
                **({"manager_folders": dict(sorted(s.manager_folders.items()))} if s.manager_folders else {}),
                **({"owner": s.owner} if s.owner else {}),
                **({"reviews": {mid: _entry(e) for mid, e in sorted(s.reviews.items())}, "review_due": s.review_due,
                    "review_blind": s.review_blind} if s.reviews else {})}
            for q, s in sorted(self.quarters.items())}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        files.write_text(self.path, (json.dumps(body, indent=2, ensure_ascii=False), "\n"))


def _entries(found: dict[str, Any]) -> dict[str, SheetEntry]:
    return {key: SheetEntry(**{**e, "stage": Stage(e["stage"])}) for key, e in found.items()}


def _entry(entry: SheetEntry) -> dict[str, Any]:
    out = {**asdict(entry), "stage": entry.stage.value}
    for name in ("refused", "sheets_for"):
        if not out[name]:
            del out[name]  # most entries: keep the file as it was before these were recorded
    return out
