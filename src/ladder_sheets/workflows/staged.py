"""Build a folder's new contents beside it and swap them in only when complete.

A run that fails (disk full, a bad template, a kill) leaves the previous folder exactly as
it was and nothing half-written in it: the new contents live in a hidden sibling
(``.<name>.new-*``) until the swap, which is two renames in the same parent folder.
Files already in the folder that the build does not own (``keep`` says which) are
carried over by hard link (a copy where links are not possible), so pointing a build at
a folder that holds other things never loses them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(target: Path, keep: Callable[[Path], bool] = lambda _: False) -> Iterator[Path]:
    """Yield an empty staging folder; on a clean exit it becomes ``target``.

    ``keep(path)`` is asked of each entry of the old ``target``: True carries it over,
    unless the build wrote an entry of the same name. On an exception the staging folder
    is removed and ``target`` is untouched. Raises OSError (the caller names the path).
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    _sweep(parent, target.name)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    try:
        yield stage
        os.chmod(stage, 0o755)  # mkdtemp's 0700 would hide the folder from its readers
        if target.exists():
            _carry_over(target, stage, keep)
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
            os.rename(target, old / target.name)
            os.rename(stage, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _carry_over(target: Path, stage: Path, keep: Callable[[Path], bool]) -> None:
    for entry in target.iterdir():
        dest = stage / entry.name
        if dest.exists() or not keep(entry):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dest, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(dest))


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)
    return dst


def _sweep(parent: Path, name: str) -> None:
    """Remove what an earlier killed run left: unfinished builds, and old folders already swapped out.

    A kill between the two renames leaves ``target`` absent and the previous version in
    ``.<name>.old-*``: it is put back first, so nothing is ever lost.
    """
    target = parent / name
    for leftover in sorted(parent.glob(f".{name}.old-*")):
        previous = leftover / name
        if not target.exists() and previous.is_dir():
            os.rename(previous, target)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
