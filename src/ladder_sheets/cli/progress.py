"""The progress bar every long command shows on stderr, on a terminal only."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A callback ``(done, total)`` drawing click's bar on stderr; None when stderr is no terminal.

    Pipes and log files get nothing. The bar appears at the first call, once the total is
    known, and ends when ``done`` reaches it, so that what the command prints next starts on
    a line of its own.
    """
    if not sys.stderr.isatty():
        yield None
        return
    bar = _Bar(label)
    try:
        yield bar.update
    finally:
        bar.end()


class _Bar:
    def __init__(self, label: str) -> None:
        self.label = label
        self.shown: Any = None
        self.ended = False

    def update(self, done: int, total: int) -> None:
        if self.ended:
            return
        if self.shown is None:
            self.shown = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                            show_pos=True, show_percent=True).__enter__()
        self.shown.update(done - self.shown.pos)
        if done >= total:
            self.end()

    def end(self) -> None:
        if self.shown is not None and not self.ended:
            self.shown.__exit__(None, None, None)
        self.ended = True
