"""Work done in a forked child while this process goes on: collect's results file is written there
while the problem log's text is made and the history stored here (at 10,000 SEs each takes
~0.35 s; with a second core free the two take the time of one), committed only once the files
are written (``write_and_store``).

Only where fork is the way processes start (Linux), with a second core and no other thread,
and only for batches big enough to repay a fork; elsewhere the work runs right here, at once,
as it always did. The child shares this process's memory (copy on write) and reports how the
work went through a pipe; it prints nothing.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError
from ..core.results import Results

FORK_FROM = 2_000  # people: a smaller batch's files take less time than a fork of this process costs


def worth(people: int) -> bool:
    """Whether to write a batch of ``people`` aside: big enough, and fork, a second core and no thread."""
    if people < FORK_FROM or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    affinity: Any = getattr(os, "sched_getaffinity", None)
    return affinity is not None and len(affinity(0)) > 1


def start(work: Callable[[], None]) -> Callable[[], None]:
    """Start ``work`` (which may raise ConfigError) in a forked child and return ``done``: it waits for
    the work and raises its ConfigError (or a RuntimeError saying what else failed), the same every call."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(work, send), name="ladder-sheets-writer", daemon=True)
    child.start()  # flushes stdout and stderr first: nothing printed before is printed twice
    send.close()
    outcome: list[tuple[str, str]] = []

    def done() -> None:
        if not outcome:
            try:
                outcome.append(receive.recv())
            except EOFError:
                outcome.append(("ended", ""))
            receive.close()
            child.join()
        kind, message = outcome[0]
        if kind == "ok":
            return
        if kind == "ConfigError":
            raise ConfigError(message)
        if kind == "KeyboardInterrupt":  # Ctrl-C reached the child too: stop as this process would
            raise KeyboardInterrupt
        if kind == "ended":
            raise RuntimeError(f"the process writing the results ended early (exit status {child.exitcode})")
        raise RuntimeError(f"writing the results failed: {kind}: {message}")

    return done


def _child(work: Callable[[], None], send: Connection) -> None:
    gc.disable()  # a full collection would visit, and so copy, every page this process shares
    report: tuple[str, str]
    try:
        work()
        report = ("ok", "")
    except ConfigError as exc:
        report = ("ConfigError", str(exc))
    except BaseException as exc:  # noqa: BLE001  # the parent raises it
        report = (type(exc).__name__, str(exc))
    send.send(report)
    send.close()


# ---- collect's tail: the results file aside, the history here -------------------------------


def store(results: Results, db: Path, ladder: Any, before_commit: Callable[[], None] | None = None) -> int:
    from ..core.trends import signatures
    from ..history.store import store as keep

    return keep(results, db, signatures=signatures(ladder) if ladder is not None else None,
                 before_commit=before_commit)


def write_and_store(results: Results, db: Path, ladder: Any, write: Callable[[], None],
                           write_log: Callable[[Iterable[str]], None], show: Callable[[], None],
                           log_text: Callable[[], Iterator[str]]) -> int:
    """``write`` the results file in a forked child while the log's text is made and the history's rows
    are written here, then ``write_log``, ``show`` and commit: to anyone watching, the same as doing
    them one after the other.

    The history commits only once the files are written; else it rolls back and the files'
    ConfigError is raised (and a database this created is removed: none was there). A
    history error is raised after ``show``, as when the history came last.
    """
    new_db = not db.exists()
    written = start(write)
    text = ahead(log_text())  # made while the child writes: written only once the results file is

    def both() -> None:
        written()
        write_log(text)

    files, shown = _once(both), _once(show)

    def before_commit() -> None:
        files()
        shown()

    try:
        return store(results, db, ladder, before_commit=before_commit)
    except BaseException:
        try:
            files()  # the files' error first, as when they were written before the history
        except ConfigError:
            if new_db:
                for stale in (db, db.with_name(db.name + "-journal")):
                    stale.unlink(missing_ok=True)
            raise
        shown()
        raise


def ahead(blocks: Iterator[str], most: int = 64 << 20) -> Iterator[str]:
    """``blocks``, the first ``most`` characters of them made now."""
    made: list[str] = []
    size = 0
    for block in blocks:
        made.append(block)
        size += len(block)
        if size >= most:
            break
    return chain(made, blocks)


def _once(step: Callable[[], object]) -> Callable[[], None]:
    """``step`` run on the first call only; every call raises what it raised."""
    outcome: list[BaseException | None] = []

    def call() -> None:
        if not outcome:
            try:
                step()
            except BaseException as exc:
                outcome.append(exc)
                raise
            outcome.append(None)
        elif outcome[0] is not None:
            raise outcome[0]

    return call
