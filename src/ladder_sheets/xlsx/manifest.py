"""The manifest written beside each quarter's workbooks: who got which file, from which template.

It is also how ``generate`` knows whether a workbook on disk is still exactly what it
wrote (same SHA-256) or has been touched by someone since, and must not be overwritten.

Each workbook is recorded as it lands: its entry is appended to a journal
(``.manifest.journal``, one JSON line per workbook, one ``write`` each) just before the
workbook is renamed into place, and the journal is folded into ``manifest.json`` (replaced
in one step) when the run ends. A run killed midway therefore leaves every workbook it
wrote known by its SHA-256, and the rerun regenerates them without ``--force``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import files
from ..core.errors import WorkbookError

MANIFEST_NAME = "manifest.json"
JOURNAL_NAME = ".manifest.journal"
SCHEMA = "ladder-sheets/manifest@1"


@dataclass(frozen=True)
class Entry:
    person_id: str
    name: str
    email: str
    manager_id: str
    file: str  # relative to the manifest's directory
    sha256: str
    template_version: str
    generated_at: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read(directory: Path) -> dict[str, Entry]:
    """Entries by person id: the manifest's, overlaid by the journal of an unfinished run.

    An absent manifest is empty; a broken one is an error, never silently replaced.
    """
    entries = _read_manifest(directory)[1]
    for entry in journal(directory):
        entries[entry.person_id] = entry
    return entries


def due(directory: Path) -> str:
    """The due date the workbooks show (ISO), "" when the manifest does not say."""
    return str(_read_manifest(directory)[0].get("due", ""))


def flag(directory: Path, name: str) -> bool:
    """A yes/no fact the manifest records about all its workbooks (a review's ``blind``), False when absent."""
    return _read_manifest(directory)[0].get(name) is True


def known_hashes(directory: Path) -> dict[str, set[str]]:
    """Every SHA-256 this tool wrote per person: the manifest's, and the journal's of an unfinished run."""
    known: dict[str, set[str]] = {}
    for entry in [*_read_manifest(directory)[1].values(), *journal(directory)]:
        known.setdefault(entry.person_id, set()).add(entry.sha256)
    return known


def _read_manifest(directory: Path) -> tuple[dict[str, Any], dict[str, Entry]]:
    path = directory / MANIFEST_NAME
    if not path.exists():
        return {}, {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA:
            raise ValueError(f"expected schema {SCHEMA!r}, found {data.get('schema')!r}")
        return data, {e["person_id"]: Entry(**e) for e in data["workbooks"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WorkbookError(f"{path}: unreadable manifest ({exc}); move it aside to regenerate") from exc


def journal(directory: Path) -> list[Entry]:
    """The entries an unfinished run recorded, in order; a torn last line (no newline) is ignored."""
    path = directory / JOURNAL_NAME
    try:
        raw = path.read_bytes() if path.exists() else b""
        return [Entry(**json.loads(line)) for line in raw.split(b"\n")[:-1] if line.strip()]
    except (OSError, ValueError, TypeError) as exc:
        raise WorkbookError(f"{path}: unreadable journal of an unfinished run ({exc}); "
                            "move it aside to regenerate") from exc


# The journal stays open in each process between records (opening it per workbook would weigh on
# generate, which writes little else per workbook); it is reopened once the file held has no name
# left (the manifest replaced it at the end of a run, or it was deleted), so a new journal is never missed.
_open_journals: dict[Path, int] = {}  # journal path -> fd
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every line (json.dumps makes one a call)


def record(directory: Path, entry: Entry) -> None:
    """Append ``entry`` to the journal in one write. Raises WorkbookError naming the journal."""
    line = (_ENCODE(vars(entry)) + "\n").encode("utf-8")
    path = directory / JOURNAL_NAME
    try:
        if os.write(_journal_fd(path), line) != len(line):
            raise OSError(28, "short write (disk full?)")
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot record {entry.file}: {exc.strerror or exc}") from exc


def _journal_fd(path: Path) -> int:
    fd = _open_journals.pop(path, None)
    if fd is not None:
        if os.fstat(fd).st_nlink > 0:  # one fstat, no lookup of the path
            _open_journals[path] = fd
            return fd
        os.close(fd)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    _open_journals[path] = fd
    return fd


def write(directory: Path, quarter: str, entries: dict[str, Entry], due: str = "",
          flags: Mapping[str, bool] | None = None) -> Path:
    """Replace the manifest in one step, then drop the journal it now holds. Raises WorkbookError.

    ``flags`` are yes/no facts about all the workbooks (``flag`` reads them back).
    """
    path = directory / MANIFEST_NAME
    body: dict[str, Any] = {"schema": SCHEMA, "quarter": quarter}
    if due:
        body["due"] = due
    body |= dict(flags or {})
    # One workbook per line (json's C encoder: indenting every field would take the slower pure-Python
    # one): still one JSON document, and grep finds a person's whole entry.
    head = json.dumps(body, indent=2, ensure_ascii=False)[:-2]
    rows = ",\n".join(f"    {_ENCODE(vars(entries[k]))}" for k in sorted(entries))
    text = f'{head},\n  "workbooks": [\n{rows}\n  ]\n}}\n' if rows else f'{head},\n  "workbooks": []\n}}\n'
    try:
        files.write_text(path, [text])
        (directory / JOURNAL_NAME).unlink(missing_ok=True)
        held = _open_journals.pop(directory / JOURNAL_NAME, None)
        if held is not None:
            os.close(held)
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot write the manifest: {exc.strerror or exc}") from exc
    return path
