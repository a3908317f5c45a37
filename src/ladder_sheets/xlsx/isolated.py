"""Run one function over many files in worker processes so that no file can stop the others.

A worker whose memory runs out, or whose library aborts (python-calamine is Rust: a failed
allocation or a fault ends the process with no Python exception), takes only its own file
with it. Every file is checked in full by ``xlsx.guard`` before the library sees it, in
every worker as in the main process; on Linux each worker's address space is capped as well
(defence in depth), so a file that still asks for too much fails its worker instead of the
machine. Where the cap cannot be applied (macOS, Windows), a warning says so once. When the
pool breaks, the files the workers were reading at that moment (each worker marks its current
file in shared memory) are read again one by one,
each in a fresh worker of its own: the one that breaks it again is the culprit and gets
``crashed(item, why)``; every other file is read normally, in a fresh pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from ..core.errors import LadderSheetsError

_log = logging.getLogger(__name__)

T = TypeVar("T")
Item = TypeVar("Item")

# Address space a worker may use beyond what it starts with. A worker reads one workbook at a
# time: xlsx.guard bounds what calamine builds for .xlsx/.xlsb/.ods well under this, an honest
# .xls (65,536 x 256 at most) stays under it, and anything asking for more fails in that worker.
WORKER_HEADROOM_BYTES = 1024 * 1024 * 1024
UNCAPPED = ("the memory cap of collect's worker processes could not be applied on this platform "
            "(it needs Linux); every file is still checked in full before it is read")
CRASHED = ("reading it stopped the reader (it ran out of memory, or the spreadsheet library failed on it), "
           "so it was not read; open it in Excel or LibreOffice and save it again")

# Worker state, set once per process by _init.
_slots: Any = None  # shared array: per worker, 1 + index of the item it is reading, 0 when idle
_slot = 0
_fn: Callable[[Any], Any] | None = None
_crashed: Callable[[Any, str], Any] | None = None


class Runner(Generic[Item, T]):
    """``fn`` over items in capped workers; ``crashed(item, why)`` stands in for an item that kills them."""

    def __init__(self, fn: Callable[[Item], T], crashed: Callable[[Item, str], T], *,
                 initializer: Callable[..., None], initargs: tuple[Any, ...],
                 progress: Callable[[int], None] | None = None) -> None:
        self.fn, self.crashed = fn, crashed
        self.initializer, self.initargs = initializer, initargs
        self.progress = progress or (lambda _: None)
        self.context = multiprocessing.get_context()
        self.capped: bool | None = None  # after ``map``: whether every worker's memory cap applied

    def map(self, items: Sequence[Item], workers: int, chunk: int) -> list[T]:
        results: dict[int, T] = {}
        pending = list(range(len(items)))
        self.capped = None
        while pending:
            suspects = self._pass(items, pending, workers, chunk, results)
            for index in suspects:
                if index not in results and self._pass(items, [index], 1, 1, results):
                    results[index] = self.crashed(items[index], CRASHED)  # it broke a worker of its own
                    self.progress(1)
            pending = [i for i in pending if i not in results]
        if self.capped is False:
            _log.warning(UNCAPPED)
        return [results[i] for i in range(len(items))]

    def _pass(self, items: Sequence[Item], indices: list[int], workers: int, chunk: int,
              results: dict[int, T]) -> list[int]:
        """Read ``indices`` in a fresh pool into ``results``. Returns [] or, if the pool broke, the suspects."""
        slots = self.context.Array("q", workers, lock=False)
        counter = self.context.Value("i", 0)
        uncapped = self.context.Value("i", 0)
        # cap_memory as this process sees it, whether workers are forked from it or import afresh.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=self.context, initializer=_init,
                                   initargs=(slots, counter, uncapped, cap_memory, self.fn, self.crashed,
                                             self.initializer, self.initargs))
        futures: dict[Future[list[tuple[int, T]]], list[int]] = {}
        try:
            for start in range(0, len(indices), chunk):
                part = indices[start:start + chunk]
                futures[pool.submit(_run_chunk, [(i, items[i]) for i in part])] = part
            waiting = set(futures)
            while waiting:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in done:
                    for index, result in future.result():
                        results[index] = result
                    self.progress(len(futures[future]))
        except BrokenProcessPool as exc:
            in_flight = [int(v) - 1 for v in slots if v]
            unread = [i for i in indices if i not in results]
            if not in_flight and len(unread) == len(indices):
                # Dead before reading anything (its set-up failed): no file is to blame, and
                # retrying each alone would start as many pools as there are files.
                raise LadderSheetsError("worker processes died before reading any file (out of memory? "
                                        "--jobs 1 reads in this process)") from exc
            return [i for i in in_flight if i not in results] or unread[:workers]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if counter.value:  # some worker started: it applied its cap, or counted that it could not
                self.capped = bool(self.capped is not False and not uncapped.value)
        return []


def _init(slots: Any, counter: Any, uncapped: Any, cap: Callable[[int], bool], fn: Callable[[Any], Any],
          crashed: Callable[[Any, str], Any], initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    global _slots, _slot, _fn, _crashed
    if not cap(WORKER_HEADROOM_BYTES):
        with uncapped.get_lock():
            uncapped.value += 1
    with counter.get_lock():
        _slot = counter.value % len(slots)
        counter.value += 1
    _slots, _fn, _crashed = slots, fn, crashed
    initializer(*initargs)


def _run_chunk(chunk: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    assert _fn is not None and _crashed is not None, "worker not initialised"
    out = []
    for index, item in chunk:
        _slots[_slot] = index + 1
        try:
            out.append((index, _fn(item)))
        except Exception as exc:  # MemoryError under the cap, or a bug: that item only
            out.append((index, _crashed(item, f"{CRASHED} ({type(exc).__name__})")))
        _slots[_slot] = 0
    return out


def cap_memory(headroom: int) -> bool:
    """Cap this process's address space at what it uses now plus ``headroom``. True when a cap
    is in force afterwards; False where none can be set (no ``resource`` module or no /proc:
    macOS and Windows, where ``RLIMIT_AS`` would silently do nothing)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = now + headroom
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or limit < soft:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        return False
    return True
