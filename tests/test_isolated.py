"""xlsx.isolated: a worker that runs out of memory or dies takes only its own item with it."""

from __future__ import annotations

import resource

import pytest

from ladder_sheets.xlsx.isolated import CRASHED, WORKER_HEADROOM_BYTES, Runner, cap_memory

from tests.support.crash import greedy, no_cap, no_setup, noted


def _runner(ticks: list[int]) -> Runner[int, int]:
    return Runner(greedy, noted, initializer=no_setup, initargs=(), progress=ticks.append)


def test_an_item_over_the_memory_cap_fails_alone_and_the_worker_lives_on() -> None:
    ticks: list[int] = []
    items = [1, 2, -1, 3, 4, 5]
    assert _runner(ticks).map(items, workers=2, chunk=2) == [10, 20, -1000, 30, 40, 50]
    assert sum(ticks) == len(items)


def test_an_item_that_kills_its_worker_is_found_and_every_other_item_is_done() -> None:
    ticks: list[int] = []
    items = list(range(1, 40))
    items[7] = items[30] = -2  # two of them, in different chunks
    got = _runner(ticks).map(items, workers=2, chunk=5)
    assert got == [-2000 if i == -2 else i * 10 for i in items]
    assert sum(ticks) == len(items)


def test_cap_memory_caps_the_address_space_above_what_is_in_use() -> None:
    import multiprocessing

    def child(queue: "multiprocessing.Queue[int]") -> None:
        applied = cap_memory(WORKER_HEADROOM_BYTES)
        queue.put(resource.getrlimit(resource.RLIMIT_AS)[0] if applied else -1)

    queue: multiprocessing.Queue[int] = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=child, args=(queue,))
    process.start()
    limit = queue.get(timeout=30)
    process.join()
    assert WORKER_HEADROOM_BYTES < limit < WORKER_HEADROOM_BYTES + (4 << 30)
    assert CRASHED.startswith("reading it stopped the reader")


def test_a_runner_says_whether_its_workers_memory_was_capped(monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    from ladder_sheets.xlsx import isolated

    runner = _runner([])
    assert runner.capped is None
    assert runner.map([1, 2, 3], workers=2, chunk=1) == [10, 20, 30]
    assert runner.capped is True and isolated.UNCAPPED not in caplog.messages
    monkeypatch.setattr(isolated, "cap_memory", no_cap)  # as where there is no /proc
    assert runner.map([1, 2, 3], workers=2, chunk=1) == [10, 20, 30]
    assert runner.capped is False and caplog.messages.count(isolated.UNCAPPED) == 1


def test_workers_that_die_before_any_item_are_an_error_not_a_verdict_on_every_item() -> None:
    from tests.support.crash import die_at_start

    runner: Runner[int, int] = Runner(greedy, noted, initializer=die_at_start, initargs=())
    from ladder_sheets.core.errors import LadderSheetsError

    with pytest.raises(LadderSheetsError, match="worker processes died before reading any file"):
        runner.map([1, 2, 3], workers=2, chunk=1)
