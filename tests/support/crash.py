"""A reader that dies as a Rust abort would, for one file: to prove a crash loses only that file."""

from __future__ import annotations

import faulthandler
import os
from pathlib import Path

from ladder_sheets.core.examine import FileOutcome
from ladder_sheets.xlsx import collect

_real_read_one = collect.read_one
_real_crashed = collect._crashed
CRASH_NAME = "crash"  # a file whose stem starts with this ends the process reading it


def read_or_abort(path: Path) -> FileOutcome:
    if path.stem.startswith(CRASH_NAME):
        faulthandler.disable()  # pytest's handler would print this worker's stack: the abort is the point
        os.abort()  # SIGABRT: no exception, no cleanup, as calamine's failed allocation ends a process
    return _real_read_one(path)


CRASHED_HERE: list[Path] = []  # the files _crashed was called for in this process


def noted_crash(path: Path, why: str) -> FileOutcome:
    """collect's _crashed, remembering the file when it is called in this process (not in a worker)."""
    CRASHED_HERE.append(path)
    return _real_crashed(path, why)


def no_cap(headroom: int) -> bool:
    """isolated.cap_memory where no cap can be set (macOS, Windows)."""
    return False


def greedy(n: int) -> int:
    """For xlsx.isolated's tests: item -1 asks for 8 GiB, as a hostile file would; others echo."""
    if n == -1:
        return len(bytearray(8 << 30))
    if n == -2:
        faulthandler.disable()
        os.abort()
    return n * 10


def noted(n: int, why: str) -> int:
    return -1000 if why.endswith("(MemoryError)") else -2000


def no_setup() -> None:
    pass


def die_at_start() -> None:
    faulthandler.disable()
    os._exit(3)
