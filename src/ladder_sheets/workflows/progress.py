"""How a workflow reports as it goes: callbacks the command line gives it (lines, progress)."""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], None]  # prints one line (click.echo on the command line)
Progress = Callable[[int, int], None]  # (done, total) as the work goes on


def per_item(progress: Progress | None, total: int) -> Callable[[str], None] | None:
    """A callback for adapters that report each item done (an SE's id): ``progress(done, total)`` each time."""
    if progress is None:
        return None
    done = 0

    def one(_item: str) -> None:
        nonlocal done
        done += 1
        progress(done, total)

    return one
