"""Workbooks a command writes into a folder of its own (reviews, peer workbooks), never over someone's work.

A workbook already there is replaced only while it is exactly what this tool wrote (the
folder's manifest holds its SHA-256): one someone changed may hold their answers, and is kept
unless ``force``, which backs it up first.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.errors import WorkbookError
from ..xlsx import manifest


@dataclass
class Written:
    """What a command wrote into ``directory``, what it kept (and why), and what it backed up."""

    directory: Path
    written: list[tuple[str, Path]] = field(default_factory=list)  # (whose, file)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (whose, why)
    backed_up: list[tuple[str, Path]] = field(default_factory=list)


def make_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"{exc.filename or out}: cannot create the folder: {exc.strerror or exc}") from exc


def may_write(path: Path, whose: str, known: dict[str, set[str]], force: bool, report: Written,
              stamp: datetime, what: str = "someone's answers") -> bool:
    """Whether the workbook at ``path`` may be replaced: absent, untouched since written, or backed up (``force``)."""
    if not path.exists():
        return True
    try:
        if manifest.sha256_of(path) in known.get(whose, set()):
            return True
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not force:
        report.skipped.append((whose, f"{path.name} changed since it was written ({what}?); kept as is (use --force "
                                      "to back it up and replace)"))
        return False
    backup = path.with_name(f"{path.name}.{stamp.strftime('%Y%m%dT%H%M%SZ')}.bak")
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise WorkbookError(f"{backup}: cannot back up {path.name}: {exc.strerror or exc}") from exc
    report.backed_up.append((whose, backup))
    return True
