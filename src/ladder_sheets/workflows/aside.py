"""Work done in a forked child while this process goes on: collect's results file and problem log
are written there while the history is stored here (at 10,000 SEs each takes ~0.35 s; with a
second core free the two take the time of one).

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
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ..core.errors import ConfigError

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
