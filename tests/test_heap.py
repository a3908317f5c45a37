"""workflows.heap: the cyclic collector paused for a batch, and everything as it was afterwards."""

from __future__ import annotations

import gc

import pytest

from ladder_sheets.workflows.heap import settled


def test_a_batch_runs_with_the_collector_paused_and_the_loaded_heap_frozen() -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    loaded = [[] for _ in range(1000)]  # what was loaded before the batch
    with settled():
        assert not gc.isenabled()
        assert gc.get_freeze_count() >= len(loaded)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_collector_comes_back_when_the_batch_fails() -> None:
    with pytest.raises(RuntimeError), settled():
        raise RuntimeError("a bad --out")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    try:
        with settled():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_batch_inside_a_batch_leaves_the_outer_one_as_it_was() -> None:
    with settled():
        outer = gc.get_freeze_count()
        with settled():
            pass
        assert not gc.isenabled() and gc.get_freeze_count() >= outer
    assert gc.isenabled() and gc.get_freeze_count() == 0
