"""Benchmark: ``report`` at 1,000 and 10,000 SEs. Targets: 10,000 SEs in <= 10 s; leadership HTML < 100 KB.

Builds synthetic results straight from inputs (no workbooks: this times the report, not
collect), with a quarter of history before it so trends, streaks and rater calibration are
in, then times ``build_report`` and prints the wall and CPU time (on a shared machine wall
time includes other processes' load), the leadership HTML's size and the
largest manager email's size. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_report.py [--people 1000 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ladder_sheets.config.ladder import load_ladder, load_roster  # noqa: E402
from ladder_sheets.config.resources import example_team_path  # noqa: E402
from ladder_sheets.core import trends as trend  # noqa: E402
from ladder_sheets.core.model import CriterionInput, Inputs, Ladder, Manager, MetricInput, Person, PivotInput, Roster  # noqa: E402
from ladder_sheets.core.results import Results  # noqa: E402
from ladder_sheets.workflows.report import build_report  # noqa: E402
from tests.support.results import results_for  # noqa: E402

QUARTER, BEFORE = "2026-Q4", "2026-Q3"
SES_PER_MANAGER = 25
MANAGERS_PER_TEAM = 10


def synthetic_roster(ladder: Ladder, people: int) -> Roster:
    example = load_roster(example_team_path(), ladder)
    pairs = [(p.level, p.target_level) for p in example.people]
    n_managers = max(1, people // SES_PER_MANAGER)
    managers = tuple(Manager(f"mgr-{m:03d}", f"Manager {m:03d}", f"mgr{m:03d}@example.com",
                             f"Team {m // MANAGERS_PER_TEAM:02d}") for m in range(n_managers))
    staff = tuple(Person(f"se-{i:05d}", f"SE Number {i:05d}", f"se{i:05d}@example.com", *pairs[i % len(pairs)],
                         managers[i % n_managers].id) for i in range(people))
    return replace(example, managers=managers, people=staff)


def random_inputs(ladder: Ladder, target: str, rng: random.Random) -> Inputs | None:
    """As an org returns them: some missing, some half done, most complete."""
    roll = rng.random()
    if roll < 0.05:
        return None
    rubric = ladder.rubric_for(target)
    base = rng.choice((1, 2, 2, 3))
    def s() -> float | None:
        return None if roll < 0.15 and rng.random() < 0.5 else float(min(3, max(0, base + rng.choice((-1, 0, 0, 1)))))
    return Inputs(
        criteria={c.id: CriterionInput(s(), s(), "Ran the Acme POC with the CTO") for c in rubric.criteria},
        metrics={m.id: MetricInput(rng.choice((0.0, 2.0, 5.0, 120.0))) for m in ladder.metrics},
        pivots={p.id: PivotInput(float(rng.randint(0, 3)), rng.random() < 0.5, float(rng.randint(0, 3)))
                for p in ladder.pivots},
        track_preference=rng.choice(ladder.track_options),
        readout={f.id: ("115" if f.kind == "percent" else ladder.levels[1].name if f.kind == "level" else "a long quarter")
                 for f in ladder.readout.fields},
    )


def history_of(results: list[Results], ladder: Ladder) -> trend.Trends:
    rows, scores = [], []
    for r in results:
        for p in r.people:
            s = p.scores
            rows.append(trend.PersonQuarter(r.quarter, p.person.id, p.person.name, p.person.team, p.person.manager_id,
                                            p.person.manager_name, p.status.value, s.self_pct if s else None,
                                            s.manager_pct if s else None, s.manager_band if s else "Incomplete",
                                            s.calibration_gap if s else None, p.person.target_level))
            if p.inputs is not None:
                scores += [trend.Scored(r.quarter, p.person.id, p.person.manager_id, c.self_score, c.manager_score)
                           for c in p.inputs.criteria.values()]
    return trend.build(rows, scores, latest=QUARTER, band_order=[b.name for b in ladder.bands],
                       scale_max=ladder.scale.max)


def run(ladder: Ladder, people: int) -> None:
    rng = random.Random(people)
    roster = synthetic_roster(ladder, people)
    quarters = []
    for q in (BEFORE, QUARTER):
        got = {p.id: random_inputs(ladder, p.target_level, rng) for p in roster.people}
        quarters.append(results_for(ladder, roster, got, quarter=q))  # type: ignore[arg-type]
    history = history_of(quarters, ladder)
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        files = build_report(quarters[1], ladder, Path(tmp), leadership=["vp@example.com"], org="Bench Org",
                             trends=history, previous=quarters[0])
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        lead = (Path(tmp) / "leadership.html").stat().st_size
        biggest = max((f.stat().st_size for f in files if f.name.startswith("manager-") and f.suffix == ".html"),
                      default=0)
        packets = sum(1 for f in files if f.name.startswith("packet-"))
        xlsx = (Path(tmp) / "summary.xlsx").stat().st_size
    print(f"{people:>6} SEs, {len(roster.managers)} managers, {len({m.team for m in roster.managers})} teams: "
          f"report {elapsed:.2f} s wall ({cpu:.2f} s CPU; wall counts other processes' load); leadership.html {lead / 1024:.1f} KB; largest manager email {biggest / 1024:.1f} KB; "
          f"{packets} packets; summary.xlsx {xlsx / 1024:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    ladder = load_ladder()
    for n in args.people:
        run(ladder, n)


if __name__ == "__main__":
    main()
