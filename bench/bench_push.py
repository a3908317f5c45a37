"""Benchmark: push N SEs (default 500) to the local stand-in with Google's quota and latency, then pull them.

The stand-in enforces Google's Sheets window (60 writes and 60 reads per minute per user)
and adds 300 ms to every call. So that the run takes about 5 minutes instead of 20, time is
scaled by SCALE (default 4): the window lasts 60/SCALE s and the latency 300/SCALE ms, and
every time printed is multiplied back by SCALE. Pacing, retries and the Drive pipeline run
unchanged; only the stand-in's own CPU time (which Google does not charge) is scaled up too,
so the ratio printed is if anything pessimistic.

The Sheets-quota floor is builds / 60 per minute (the time Google's quota alone forces).

    python bench/bench_push.py [N] [SCALE]
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
from ladder_sheets.google.client import Sheets  # noqa: E402
from ladder_sheets.google.pull import pull  # noqa: E402
from ladder_sheets.google.push import push  # noqa: E402
from ladder_sheets.google.quota import SheetsQuota  # noqa: E402
from ladder_sheets.google.sync_state import SyncState  # noqa: E402
from tests.support.google_standin import GoogleStandIn  # noqa: E402
from tests.support.standin.realism import Realism  # noqa: E402

GOOGLE_PER_MINUTE = 60
RATE = 55  # the default --rate: a margin under Google's 60 for clock skew between us and Google
LATENCY = 0.300


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
    period = 60.0 / scale
    ladder = load_ladder()
    roster = synthetic_roster(n)
    bot = "bench@example.iam.gserviceaccount.com"
    # The tests validate every request body against Google's schema; here that would only be stand-in CPU time.
    realism = Realism(per_user=GOOGLE_PER_MINUTE, per_project=300, period=period, latency=LATENCY / scale,
                      check_bodies=False)
    with GoogleStandIn(realism=realism) as api, tempfile.TemporaryDirectory() as tmp:
        drive = api.create_shared_drive("bench", members={bot: "fileOrganizer"})
        folder = api.create_folder("2026-Q4", owner="", parent=drive)
        credentials = api.credentials(bot)
        sheets = Sheets(credentials, session=api.session(credentials), quota=SheetsQuota(RATE, period=period))
        state = SyncState(Path(tmp) / "state.json")
        sheets_api = lambda: api.request_count(path="/v4/spreadsheets")  # noqa: E731
        start, cpu = time.perf_counter(), time.process_time()
        report = push(ladder, roster, "2026-Q4", folder, state, sheets, due=date(2026, 12, 7), owner=bot)
        push_wall = (time.perf_counter() - start) * scale
        push_cpu = time.process_time() - cpu
        pushed, pushed_sheets, refused = sheets.requests_sent, sheets_api(), api.request_count(status=429)
        start = time.perf_counter()
        pull(ladder, roster, "2026-Q4", state, sheets)
        pull_wall = (time.perf_counter() - start) * scale
        pulled, pulled_sheets = sheets.requests_sent - pushed, sheets_api() - pushed_sheets
    assert len(report.created) == n and not report.failed
    push_floor = pushed_sheets / GOOGLE_PER_MINUTE * 60
    pull_floor = pulled_sheets / GOOGLE_PER_MINUTE * 60
    print(f"SEs:                 {n}, {LATENCY * 1000:.0f} ms per call, Google's window "
          f"{GOOGLE_PER_MINUTE}/min per user (time scaled 1/{scale:g}, shown at full scale)")
    print(f"push:                {pushed / n:.2f} requests per SE ({pushed_sheets / n:.2f} to the Sheets API, "
          f"plus {pushed - n * 4} per run: the folder lookup), {refused} answered 429")
    print(f"push wall time:      {push_wall / 60:.1f} min; Sheets-quota floor {push_floor / 60:.1f} min; "
          f"ratio {push_wall / push_floor:.2f}x (target <= 1.2x)")
    print(f"push CPU:            {push_cpu:.0f} s real for client and stand-in together "
          f"({push_cpu / n * 1000:.0f} ms per SE; the Sheets quota leaves {60 / RATE / scale * 1000:.0f} ms per SE "
          "at this scale: above that, the ratio measures this machine, not the pipeline)")
    print(f"pull:                {pulled / n:.2f} requests per SE ({pulled_sheets / n:.2f} to the Sheets API; in a "
          f"shared drive one more to Drive, on its pool), {pull_wall / 60:.1f} min; floor "
          f"{pull_floor / 60:.1f} min; ratio {pull_wall / pull_floor:.2f}x")
    print(f"serial estimate:     {(pushed * LATENCY + push_floor) / 60:.1f} min if every call waited for the last")


if __name__ == "__main__":
    main()
