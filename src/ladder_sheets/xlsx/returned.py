"""Which returned files are workbooks, which are an app's lock files, and whose are the files that cannot be read.

People return what their app saved: .xlsx, .xlsm, .xlsb, .xls or .ods (python-calamine
reads all five), sometimes a .csv export, a PDF, an Apple Numbers file or a screenshot. Such a
file cannot be collected, but it shows that the person did reply: when its name or its
text names someone on the roster, it is reported under that person ("returned in a
format that cannot be read: save as .xlsx"), never as "no workbook returned".
Lock files that Excel (``~$book.xlsx``) and LibreOffice (``.~lock.book.xlsx#``) leave
beside an open workbook are never read, whether given in a folder or by name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..core.examine import FileOutcome
from ..core.model import Person, Roster
from ..core.results import Kind, Problem

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
# Files people send instead of a workbook: exports, print-outs, other apps' documents, screenshots.
FOREIGN_SUFFIXES = frozenset({
    ".csv", ".tsv", ".txt", ".pdf", ".numbers", ".fods", ".gsheet", ".docx", ".doc", ".odt", ".pages",
    ".rtf", ".html", ".htm", ".png", ".jpg", ".jpeg", ".gif", ".heic", ".webp", ".bmp", ".tif", ".tiff",
})
_SNIFF_BYTES = 1 << 20  # a file's text is searched for a person's id or email in its first MiB
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def is_lock_file(path: Path) -> bool:
    """An app's owner or lock file, or a hidden file (macOS ``._`` copies): never a returned workbook."""
    name = path.name
    return name.startswith(("~$", ".")) or (name.startswith(".~lock.") and name.endswith("#"))


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not is_lock_file(path)


def is_foreign(path: Path) -> bool:
    return path.suffix.lower() in FOREIGN_SUFFIXES and not is_lock_file(path)


def foreign_files(paths: Iterable[Path]) -> list[Path]:
    """Files given (or in the folders given) that cannot be a workbook but may be someone's reply."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if is_foreign(p) and p.is_file())
        elif path.is_file() and is_foreign(path):
            out.append(path)
    return out


def foreign_outcomes(files: Sequence[Path], roster: Roster, explicit: Iterable[Path]) -> tuple[
        list[FileOutcome], list[Problem]]:
    """Each file whose name or text points to one person, as that person's outcome; others given by name, unmatched."""
    named = {p.resolve() for p in explicit}
    outcomes: list[FileOutcome] = []
    unmatched: list[Problem] = []
    for path in files:
        file = str(path)
        fmt = path.suffix.lower().lstrip(".") or "unknown"
        people = _pointed_to(path, roster.people)
        if len(people) == 1:
            message = f"returned in a format that cannot be read ({fmt}): save it as .xlsx and return it again"
            outcomes.append(FileOutcome(file, _mtime(path), people[0].id, False,
                                        (Problem(file, "", "", Kind.WRONG_FORMAT, message),)))
        elif people or path.resolve() in named:
            whose = f" (it names {', '.join(p.id for p in people)})" if people else ""
            unmatched.append(Problem(file, "", "", Kind.WRONG_FORMAT,
                                     f"not a workbook ({fmt}){whose}: save it as .xlsx"))
    return outcomes, unmatched


def _pointed_to(path: Path, people: Sequence[Person]) -> list[Person]:
    """People named by the file name (id, or name as words), else by the file's text (id or email)."""
    stem = f"-{_slug(path.stem)}-"
    by_name = [p for p in people if f"-{_slug(p.id)}-" in stem or f"-{_slug(p.name)}-" in stem]
    if by_name:
        return by_name
    try:
        with path.open("rb") as fh:
            text = fh.read(_SNIFF_BYTES).decode("utf-8", "replace").casefold()
    except OSError:
        return []
    return [p for p in people if p.email.casefold() in text or re.search(rf"\b{re.escape(p.id.casefold())}\b", text)]


def _slug(text: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _NOT_WORD.sub("-", plain.casefold()).strip("-")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
