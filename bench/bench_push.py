"""Benchmark: push N SEs (default 500) to the local Sheets/Drive stand-in, then pull them back.

Prints requests per SE for push and pull, the local wall time, and the time that pacing
under Google's quota (about 60 requests per minute per user) implies for a real run.

    python bench/bench_push.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: the stand-in

from bench.bench_generate import synthetic_roster  # noqa: E402
from ladder_sheets.config.ladder import load_ladder  # noqa: E402
from ladder_sheets.google.client import SCOPES, Sheets  # noqa: E402
from ladder_sheets.google.pull import pull  # noqa: E402
from ladder_sheets.google.push import push  # noqa: E402
from ladder_sheets.google.sync_state import SyncState  # noqa: E402
from tests.support.google_standin import GoogleStandIn  # noqa: E402

QUOTA_PER_MINUTE = 60


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    ladder = load_ladder()
    roster = synthetic_roster(n)
    bot = "bench@example.iam.gserviceaccount.com"
    with GoogleStandIn() as api, tempfile.TemporaryDirectory() as tmp:
        folder = api.create_folder("bench", owner=bot)
        credentials = api.credentials(bot, scopes=list(SCOPES))
        sheets = Sheets(credentials, session=api.session(credentials), per_minute=0)
        state = SyncState(Path(tmp) / "state.json")
        sheets_api = lambda: api.request_count(path="/v4/spreadsheets")  # noqa: E731 - the quota-paced API
        start = time.perf_counter()
        report = push(ladder, roster, "2026-Q4", folder, state, sheets, due=date(2026, 12, 7), owner=bot)
        push_wall = time.perf_counter() - start
        pushed, pushed_sheets = sheets.requests_sent, sheets_api()
        start = time.perf_counter()
        pull(ladder, roster, "2026-Q4", state, sheets)
        pull_wall = time.perf_counter() - start
        pulled, pulled_sheets = sheets.requests_sent - pushed, sheets_api() - pushed_sheets
    assert len(report.created) == n and not report.failed
    print(f"SEs:                 {n}")
    print(f"push:                {pushed} requests ({pushed / n:.2f} per SE, {pushed_sheets / n:.2f} to the Sheets API), "
          f"{push_wall:.1f} s against the stand-in")
    print(f"pull:                {pulled} requests ({pulled / n:.2f} per SE, {pulled_sheets / n:.2f} to the Sheets API), "
          f"{pull_wall:.1f} s against the stand-in")
    print(f"Sheets quota ({QUOTA_PER_MINUTE}/min per user) implies at least: push {pushed_sheets / QUOTA_PER_MINUTE:.1f} min, "
          f"pull {pulled_sheets / QUOTA_PER_MINUTE:.1f} min (the default --rate 55: "
          f"{pushed_sheets / 55:.1f} and {pulled_sheets / 55:.1f} min)")


if __name__ == "__main__":
    main()
