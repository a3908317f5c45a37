"""The manifest written beside each quarter's workbooks: who got which file, from which template.

It is also how ``generate`` knows whether a workbook on disk is still exactly what it
wrote (same SHA-256) or has been touched by someone since, and must not be overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..core.errors import WorkbookError

MANIFEST_NAME = "manifest.json"
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
    """Entries by person id; an absent manifest is empty, a broken one is an error (never silently replaced)."""
    path = directory / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA:
            raise ValueError(f"expected schema {SCHEMA!r}, found {data.get('schema')!r}")
        return {e["person_id"]: Entry(**e) for e in data["workbooks"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WorkbookError(f"{path}: unreadable manifest ({exc}); move it aside to regenerate") from exc


def write(directory: Path, quarter: str, entries: dict[str, Entry]) -> Path:
    path = directory / MANIFEST_NAME
    body = {
        "schema": SCHEMA,
        "quarter": quarter,
        "workbooks": [asdict(entries[k]) for k in sorted(entries)],
    }
    fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".tmp", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path
