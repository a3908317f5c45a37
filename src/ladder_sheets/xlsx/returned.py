"""What each returned file is: a workbook to read, someone's reply that cannot be read, or a file that is no return.

People return what their app saved: .xlsx, .xlsm, .xlsb, .xls or .ods (python-calamine
reads all five), sometimes a .csv export, a PDF, an Apple Numbers file or a screenshot.
Such a file cannot be collected, but it may show that the person did reply: when its name
or its text names someone on the roster, it is reported under that person ("returned in a
format that cannot be read: save as .xlsx"), never as "no workbook returned"; else it is
listed as a file that names nobody. Lock files that Excel (``~$book.xlsx``) and LibreOffice
(``.~lock.book.xlsx#``) leave beside an open workbook, hidden files, ladder-sheets' own
files (the manifest, backups) and folders inside a folder are never read, and each folder
says in one line which it skipped. So every file collect is given or finds is accounted for.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.examine import FileOutcome
from ..core.model import Person, Roster
from ..core.results import Kind, Problem, Severity
from .manifest import MANIFEST_NAME

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
_SNIFF_BYTES = 1 << 20  # a file's text is searched for a person's id or email in its first MiB
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_NAMES_SHOWN = 5  # names listed per kind of skipped file, then "and N more"


@dataclass
class Found:
    """The paths given to collect, sorted: every one ends up in exactly one list."""

    workbooks: list[Path] = field(default_factory=list)  # to read, each file once
    others: list[Path] = field(default_factory=list)  # files that cannot be a workbook: someone's reply, or nobody's
    skipped: list[Problem] = field(default_factory=list)  # a note per folder (or file named) of what is no return
    missing: list[Problem] = field(default_factory=list)  # paths that do not exist


def is_lock_file(path: Path) -> bool:
    """An app's owner or lock file: never a returned workbook."""
    name = path.name
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def find(paths: Iterable[Path]) -> Found:
    """Sort ``paths``: each file as given, and each folder's files (not its folders: other quarters
    live in sibling folders); the same file named twice (a link, a folder named twice) counts once."""
    found = Found()
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir():
            with os.scandir(path) as entries:  # names and types at once: no stat per file
                listed = sorted(entries, key=lambda e: e.name)
            skipped: dict[str, list[str]] = {}
            for entry in listed:
                why = _not_a_return(Path(entry.name), entry.is_dir())
                if why:
                    skipped.setdefault(why, []).append(entry.name)
                elif _first_time(Path(entry.path), seen):
                    _sort(Path(entry.path), found)
            if skipped:
                found.skipped.append(skipped_note(path, skipped))
        elif path.exists():
            why = _not_a_return(path, False)
            if why:
                found.skipped.append(skipped_note(path, {why: [path.name]}))
            elif _first_time(path, seen):
                _sort(path, found)
        else:
            found.missing.append(Problem(str(path), "", "", Kind.UNREADABLE, "no such file or directory"))
    return found


def _sort(path: Path, found: Found) -> None:
    (found.workbooks if path.suffix.lower() in WORKBOOK_SUFFIXES else found.others).append(path)


def _first_time(path: Path, seen: set[tuple[int, int]]) -> bool:
    try:
        st = path.stat()
    except OSError:
        return True  # reading it will say why
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


# What is no return, by why: (one, many) as the note says it.
_SKIPPED = {"lock": ("lock file", "lock files"), "hidden": ("hidden file", "hidden files"),
            "own": ("file of ladder-sheets' own", "files of ladder-sheets' own"),
            "folder": ("folder inside it (not searched)", "folders inside it (not searched)"),
            "special": ("pipe, socket or device", "pipes, sockets or devices"),
            "tmp": ("message still being delivered (tmp/)", "messages still being delivered (tmp/)")}


def _not_a_return(path: Path, is_dir: bool) -> str:
    """Why a folder entry (or a file named) is no one's return, or "" when it may be one."""
    if is_lock_file(path):
        return "lock"
    if path.name.startswith("."):
        return "hidden"  # macOS's ._ copies and .DS_Store, our own .manifest.journal
    if is_dir:
        return "folder"
    if path.name == MANIFEST_NAME or path.suffix.lower() == ".bak":
        return "own"  # generate's manifest, and the backups `generate --force` keeps
    return ""


def skipped_note(where: Path, names: dict[str, list[str]]) -> Problem:
    """One note for a folder: what it holds that is no return, by why (a key of ``_SKIPPED``)."""
    parts = []
    for why, (one, many) in _SKIPPED.items():
        listed = names.get(why, [])
        if listed:
            shown = ", ".join(listed[:_NAMES_SHOWN]) + (f" and {len(listed) - _NAMES_SHOWN} more"
                                                       if len(listed) > _NAMES_SHOWN else "")
            parts.append(f"{len(listed)} {one if len(listed) == 1 else many} ({shown})")
    return Problem(str(where), "", "", Kind.SKIPPED, f"skipped, not a return: {'; '.join(parts)}", Severity.NOTE)


def foreign_outcomes(files: Sequence[Path], roster: Roster) -> tuple[list[FileOutcome], list[Problem]]:
    """Each file that cannot be a workbook: the outcome of the one person it names, else an unmatched problem."""
    outcomes: list[FileOutcome] = []
    unmatched: list[Problem] = []
    for path in files:
        file = str(path)
        fmt = path.suffix.lower().lstrip(".") or "no extension"
        people = pointed_to(path, roster.people, text=True)
        if len(people) == 1:
            message = f"returned in a format that cannot be read ({fmt}): save it as .xlsx and return it again"
            outcomes.append(FileOutcome(file, _mtime(path), people[0].id, False,
                                        (Problem(file, "", "", Kind.WRONG_FORMAT, message),)))
            continue
        whose = (f"it names {', '.join(p.id for p in people)}" if people
                 else "its name and text name nobody on the roster")
        unmatched.append(Problem(file, "", "", Kind.WRONG_FORMAT,
                                 f"not a workbook ({fmt}) and {whose}, so it was not read; if it is someone's "
                                 "reply, ask them to save it as .xlsx"))
    return outcomes, unmatched


def pointed_to(path: Path, people: Sequence[Person], *, text: bool) -> list[Person]:
    """People named by the file name (id, or name as words), else (``text``) by the file's text (id or email)."""
    stem = f"-{_slug(path.stem)}-"
    by_name = [p for p in people if f"-{_slug(p.id)}-" in stem or f"-{_slug(p.name)}-" in stem]
    if by_name or not text:
        return by_name
    try:
        with path.open("rb") as fh:
            found = fh.read(_SNIFF_BYTES).decode("utf-8", "replace").casefold()
    except OSError:
        return []
    return [p for p in people if p.email.casefold() in found or re.search(rf"\b{re.escape(p.id.casefold())}\b", found)]


def _slug(text: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _NOT_WORD.sub("-", plain.casefold()).strip("-")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
