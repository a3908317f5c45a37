"""What the stand-in's helpers hand a test: snapshots of files, permissions and cells (changing them changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import DriveFile


@dataclass(frozen=True)
class FileView:
    """A Drive file as it stands (a snapshot; changing it changes nothing)."""

    id: str
    name: str
    mime_type: str
    owner: str
    parents: tuple[str, ...]
    trashed: bool
    created: str
    modified: str
    last_modifier: str


@dataclass(frozen=True)
class PermissionView:
    """A permission and what the sharing request asked for (notification e-mail, message)."""

    id: str
    type: str
    role: str
    email: str | None
    notified: bool
    email_message: str | None
    granted_by: str


@dataclass(frozen=True)
class CellView:
    """One cell: what was entered (formula or typed value), what it shows, its rules, who last set it."""

    entered: Any
    formula: str | None
    value: Any
    formatted: str
    validation: dict[str, Any] | None
    format: dict[str, Any] | None
    note: str | None
    edited_by: str | None


def file_view(file: DriveFile) -> FileView:
    return FileView(file.id, file.name, file.mime_type, file.owner, tuple(file.parents), file.trashed, file.created,
                    file.modified, file.last_modifier)
