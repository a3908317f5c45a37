"""Files replaced whole or not at all: the one way this package writes a file in place.

The new content goes to a temporary file beside the target, which is then renamed over it
(``os.replace``, atomic within one folder on POSIX and Windows): a crash, a kill or a full
disk part-way leaves the previous file, never half a new one.

Temporary files are named ``.ladder-sheets-tmp-<pid>-<n>-<name>`` (``TEMP_PREFIX``, the
writing process's id, a number counting that process's writes, the target's name): hidden,
recognisable by their prefix so that a later run can remove what a killed one left, with the
process id to tell a writer still running from a dead one. They are created readable by
others as the user's umask allows (0644 under the usual 022), as any new file would be.

This module sits below the adapters (it uses only the standard library and no other part of
the package), so every layer but the pure core can use it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TEMP_PREFIX = ".ladder-sheets-tmp-"

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_serial = itertools.count()  # two writes of one process (two threads, one target) never share a name


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


def temp_name(path: Path) -> Path:
    """A fresh temporary name beside ``path`` (see the module's docstring for its form)."""
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{next(_serial)}-{path.name}")


@contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A new file's descriptor; renamed over ``path`` when the block ends, else removed."""
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
