"""Quota: Sheets windows (reads and writes apart), 429s without Retry-After, Drive running ahead, files.list lag."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.google.push import push
from ladder_sheets.google.quota import RetryPolicy, SheetsQuota, Window
from ladder_sheets.google.sync_state import SyncState
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, DUE, Q, FakeClock, as_bot
from tests.support.standin.realism import Realism

pytestmark = pytest.mark.network


def test_window_lets_a_minute_s_quota_through_then_waits_for_the_oldest_to_age_out() -> None:
    window = Window(3, period=60)
    assert [window.delay(t) for t in (0, 1, 2)] == [0, 0, 0]
    assert window.delay(3) == 57  # the start at t=0 leaves the window at t=60
    assert window.delay(60) == 0 and window.delay(60.5) == 0.5


def test_reads_and_writes_are_counted_apart() -> None:
    clock = FakeClock()
    quota = SheetsQuota(2, clock=clock, sleep=clock.sleep)
    for kind in ("write", "write", "read", "read"):
        quota.acquire(kind)
    assert clock.slept == []  # two of each fit in the first minute
    quota.acquire("write")
    assert clock.slept == [60.0]


def test_per_project_limit_caps_a_higher_per_user_rate() -> None:
    quota = SheetsQuota(600, per_project=300)
    assert quota.windows["write"].limit == 300


def test_backoff_without_retry_after_outlasts_a_full_window() -> None:
    policy = RetryPolicy(rng=random.Random(3))
    delays = [policy.delay(attempt, None) for attempt in range(policy.attempts - 1)]
    assert sum(delays) > 60  # equal jitter: at least 63.5 s over the retries
    assert all(2**a / 2 <= d <= min(64, 2**a) for a, d in enumerate(delays))
    assert policy.delay(0, "7") == 7.0  # Retry-After, when Google sends it


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def world(clock: FakeClock) -> Iterator[tuple[GoogleStandIn, str]]:
    with GoogleStandIn(realism=Realism(per_user=60, per_project=300, clock=clock)) as api:
        drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
        yield api, api.create_folder("2026-Q4", owner="", parent=drive)


def test_unpaced_client_meets_429_without_retry_after_and_waits_out_the_window(
        world: tuple[GoogleStandIn, str], clock: FakeClock, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    api, folder = world
    api.realism.per_user = 3  # a small window, so a 10-SE roster crosses it
    sheets, waits = as_bot(api, clock=clock)  # no pacing: only the retries stand between us and the quota
    report = push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert not report.failed
    refused = [r for r in api.requests if r.status == 429]
    assert refused and all(r.path.endswith(":batchUpdate") for r in refused)
    assert api.request_count("POST", ":batchUpdate", status=200) == len(roster.people)
    assert max(waits) > 8 and sum(waits) >= 60  # no Retry-After: backoff alone waited past the 60 s window


def test_pacing_to_the_window_meets_no_429_and_takes_the_quota_floor(
        world: tuple[GoogleStandIn, str], clock: FakeClock, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    api, folder = world
    api.realism.per_user = 3
    sheets, _ = as_bot(api, clock=clock, per_minute=3)
    start = clock.now
    report = push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert not report.failed and api.request_count(status=429) == 0
    builds = len(roster.people)
    floor = (builds - 1) // 3 * 60.0  # three builds per minute; the last minute's start is the floor
    assert clock.now - start == pytest.approx(floor)
    assert sheets.quota_waited == pytest.approx(floor)


def test_drive_calls_run_ahead_while_sheets_waits(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """With real latency and a Sheets window, Drive work overlaps the wait: close to the Sheets floor."""
    latency, period, per_window = 0.1, 2.0, 2
    # Google allows 3 a window, we pace to 2: the margin the default --rate 55 (of 60) keeps for clock skew.
    with GoogleStandIn(realism=Realism(latency=latency, per_user=per_window + 1, period=period)) as api:
        drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
        folder = api.create_folder("2026-Q4", owner="", parent=drive)
        credentials = api.credentials(BOT)
        from ladder_sheets.google.client import Sheets

        sheets = Sheets(credentials, session=api.session(credentials),
                        quota=SheetsQuota(per_window, period=period))
        start = time.monotonic()
        report = push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
        wall = time.monotonic() - start
    n = len(roster.people)
    assert not report.failed and api.request_count(status=429) == 0
    serial = (4 * n + 1) * latency + (n - 1) // per_window * period  # every call one after another, plus quota
    floor = (n - 1) // per_window * period + latency
    assert wall < serial - (2 * n * latency) * 0.5  # at least half the Drive latency hidden behind the Sheets waits
    assert wall < floor * 1.5 + 1.0


def test_lost_create_answer_with_list_lag_creates_nothing_twice(world: tuple[GoogleStandIn, str], clock: FakeClock,
                                                               ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    api, folder = world
    api.realism.list_lag = 5.0  # files.list shows a new file only 5 s after its create
    sheets, waits = as_bot(api, clock=clock)
    creating = lambda seen: (seen.method, seen.path) == ("POST", "/drive/v3/files")  # noqa: E731
    api.inject_faults(500, times=1, match=creating, after_work=True)
    report = push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert not report.failed
    titles = [f.name for f in api.files(parent=folder)]
    assert len(titles) == len(roster.people) == len(set(titles))
    assert api.request_count("GET", "/drive/v3/files") >= 2  # searched, found nothing yet, waited, found it
    assert sum(waits) >= 5.0
