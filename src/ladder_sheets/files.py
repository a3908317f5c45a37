"""Files replaced whole or not at all: the one way this package writes a file in place.

The new content goes to a temporary file beside the target, which is then renamed over it
(``os.replace``, atomic within one folder on POSIX and Windows): a crash, a kill or a full
disk part-way leaves the previous file, never half a new one.

Temporary files are named ``.ladder-sheets-tmp-<pid>-<n>-<name>`` (``TEMP_PREFIX``, the
writing process's id, a number counting that process's writes, the target's name): hidden,
recognisable by their prefix so that a later run can remove what a killed one left, with the
process id to tell a writer still running from a dead one. They are created readable by
others as the user's umask allows (0644 under the usual 022), as any new file would be.

The first write of a process into a folder also removes what a killed run left there
(``sweep``): files with that prefix, a process id and a count, older than a moment, whose
writer is not running; never anything else. The folders are swept again when the process
ends, for a run started right after the kill: a run shorter than a moment waits out the rest
of it for what the killed run left.

This module sits below the adapters (it uses only the standard library and no other part of
the package), so every layer but the pure core can use it.
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TEMP_PREFIX = ".ladder-sheets-tmp-"

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_serial = itertools.count()  # two writes of one process (two threads, one target) never share a name
# A temporary file this old (seconds since its last write) whose writer is gone is a killed run's:
# a live writer writes its file in one go, or at least every few kilobytes.
MOMENT = 0.5
_TEMP = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-\d+-.")
_swept: set[Path] = set()  # folders this process has swept


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step. Raises OSError; the target is then as it was.

    As few system calls as an atomic write takes (open, write, close, rename), since
    ``generate`` writes one workbook per SE this way.
    """
    with _replacing(path) as fd:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]


def write_text(path: Path, pieces: Iterable[str]) -> None:
    """Replace ``path`` with ``pieces`` as UTF-8 text in one step, writing them as they come.

    A generator of lines is never held whole in memory. Raises OSError (or what ``pieces``
    raises); the target is then as it was.
    """
    with _replacing(path) as fd, open(fd, "w", encoding="utf-8", closefd=False) as fh:
        fh.writelines(pieces)


def temp_folder() -> Path:
    """A new private folder in the system's temporary folder, named as ``temp_name`` names files: the next
    run removes it if this one is killed before it does (it may hold copies of returned workbooks)."""
    parent = Path(tempfile.gettempdir())
    _arrive(parent)
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-{next(_serial)}-", dir=parent))


def temp_name(path: Path) -> Path:
    """A fresh temporary name beside ``path`` (see the module's docstring for its form)."""
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{next(_serial)}-{path.name}")


def sweep(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files a killed run left in ``folder``; the paths removed.

    Only files and folders named as ``temp_name`` names them (a link or any other name is
    never touched), last written more than ``MOMENT`` ago, and not of a process still running
    on this machine (another run writing beside this one); on Windows, where asking about a
    process by its id is not harmless, the age alone decides.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    for entry, written in _leftovers(folder):
        if now - written > MOMENT:
            with suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _leftovers(folder: Path) -> list[tuple[os.DirEntry[str], float]]:
    """The temporary files in ``folder`` whose writer is not running, each with its last write's time."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []  # no folder yet, or not readable: nothing of ours to remove
    found: list[tuple[os.DirEntry[str], float]] = []
    for entry in entries:
        named = _TEMP.match(entry.name)
        if named is None or entry.is_symlink():
            continue
        with suppress(OSError):
            if not _running(int(named.group(1))):
                found.append((entry, entry.stat(follow_symlinks=False).st_mtime))
    return found


def _arrive(folder: Path) -> None:
    """The first time this process writes into ``folder``: what a killed run left goes first, and the
    folder is swept again at exit."""
    if folder in _swept:
        return
    if not _swept:
        atexit.register(_sweep_again)
    _swept.add(folder)
    sweep(folder)


def _sweep_again() -> None:
    """At exit: the folders this process wrote into, once more. A run shorter than a moment, started right
    after a kill, waits out the rest of that moment for what the killed run left."""
    folders = sorted(_swept)
    for folder in folders:
        sweep(folder)
    now = time.time()
    if any(now - written <= MOMENT for folder in folders for _, written in _leftovers(folder)):
        time.sleep(MOMENT)
        for folder in folders:
            sweep(folder)


def _running(pid: int) -> bool:
    """Is ``pid`` another process running on this machine? (Our own id on a file we have not written yet
    belonged to a process before us.)"""
    if pid == os.getpid() or sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's, or an id this system cannot hold: leave it
    return True


@contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A new file's descriptor; renamed over ``path`` when the block ends, else removed."""
    _arrive(path.parent)
    tmp = temp_name(path)
    fd = _create(tmp)
    try:
        try:
            yield fd
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _create(tmp: Path) -> int:
    try:
        return os.open(tmp, _CREATE, 0o666)
    except FileExistsError:  # left by a killed process that had this one's id
        os.unlink(tmp)
    except FileNotFoundError:  # no folder yet
        tmp.parent.mkdir(parents=True, exist_ok=True)
    return os.open(tmp, _CREATE, 0o666)
