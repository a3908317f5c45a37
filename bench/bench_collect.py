"""Benchmark: collect 1,000 returned workbooks. Target: <= 2 s wall on a 2-core machine.

Generates 1,000 workbooks for a synthetic roster (with ``generate``), fills a share of them
as SEs would (openpyxl), then times ``collect`` over all of them, serially and with worker
processes, and prints wall time, per-file median and peak RSS. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_collect.py [--people 1000] [--filled 0.25] [--dir DIR]

With ``--dir``, workbooks already generated there by an earlier run are reused.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/support: filling workbooks as people do

from ladder_sheets.core import layout  # noqa: E402
from ladder_sheets.xlsx import collect as collect_module
from ladder_sheets.xlsx.collect import collect  # noqa: E402
from ladder_sheets.config.ladder import load_ladder, load_roster  # noqa: E402
from ladder_sheets.xlsx.generate import generate, workbook_path  # noqa: E402
from ladder_sheets.core.model import Ladder, Manager, Person, Roster  # noqa: E402
from ladder_sheets.config.resources import example_team_path  # noqa: E402
from support.fill import random_inputs, write_values  # noqa: E402

QUARTER = "2026-Q4"
DUE = date(2026, 12, 7)


def synthetic_roster(ladder: Ladder, people: int) -> Roster:
    """``people`` SEs across 25 managers, with the example team's (level, target) pairs in turn."""
    example = load_roster(example_team_path(), ladder)
    pairs = [(p.level, p.target_level) for p in example.people]
    managers = tuple(Manager(f"mgr-{m:02d}", f"Manager {m:02d}", f"mgr{m:02d}@example.com", f"Team {m % 5}")
                     for m in range(25))
    staff = tuple(
        Person(f"se-{i:04d}", f"SE Number {i:04d}", f"se{i:04d}@example.com", *pairs[i % len(pairs)],
               managers[i % len(managers)].id)
        for i in range(people)
    )
    return replace(example, managers=managers, people=staff)


def prepare(ladder: Ladder, roster: Roster, out: Path, share: float) -> Path:
    directory = out / QUARTER
    if directory.exists() and len(list(directory.glob("*.xlsx"))) >= len(roster.people):
        print(f"reusing {directory}")
        return directory
    t0 = time.perf_counter()
    generate(ladder, roster, QUARTER, out, due=DUE)
    print(f"generated {len(roster.people)} workbooks in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(1)
    filled = rng.sample(list(roster.people), round(len(roster.people) * share))
    t0 = time.perf_counter()
    for person in filled:
        _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), rng, blank_rate=0.1, level=person.level)
        write_values(workbook_path(directory, person), layout.build(ladder, roster, person, QUARTER, DUE), values)
    print(f"filled {len(filled)} of them in {time.perf_counter() - t0:.1f} s")
    return directory


def per_file_ms(ladder: Ladder, roster: Roster, files: list[Path]) -> list[float]:
    collect_module._init_job(ladder, roster, QUARTER)
    times = []
    for f in files:
        t0 = time.perf_counter()
        collect_module.read_one(f)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def compare_readers(ladder: Ladder, roster: Roster, files: list[Path]) -> None:
    """The same cells read by calamine (what xlsx.reader uses) and by openpyxl (read-only, cached values)."""
    import openpyxl

    from ladder_sheets.core.readplan import plan
    from ladder_sheets.xlsx.reader import XlsxWorkbook

    read_plan = plan(layout.build(ladder, roster, roster.people[0], QUARTER, DUE))
    t0 = time.perf_counter()
    for f in files:
        with XlsxWorkbook(f) as book:
            book.read(read_plan)
    calamine_ms = (time.perf_counter() - t0) * 1000 / len(files)
    t0 = time.perf_counter()
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        for sheet in read_plan.sheets:
            grid = list(wb[sheet.title].iter_rows(max_row=sheet.rows, values_only=True))
            _ = [grid[r][c] if r < len(grid) and c < len(grid[r]) else None for _, r, c in sheet.cells]
        wb.close()
    openpyxl_ms = (time.perf_counter() - t0) * 1000 / len(files)
    print(f"reading one workbook's layout cells: calamine {calamine_ms:.2f} ms, openpyxl (read-only) "
          f"{openpyxl_ms:.2f} ms ({openpyxl_ms / calamine_ms:.0f}x slower)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--filled", type=float, default=0.25, help="share of workbooks filled in")
    parser.add_argument("--dir", type=Path, help="work directory (kept; reused on the next run)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ladder = load_ladder()
    roster = synthetic_roster(ladder, args.people)
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-collect-"))
    directory = prepare(ladder, roster, work, args.filled)
    files = sorted(directory.glob("*.xlsx"))

    compare_readers(ladder, roster, files[:100])
    times = per_file_ms(ladder, roster, files)
    print(f"per file (serial, in process): median {statistics.median(times):.2f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms")
    for jobs in (1, 2, None):
        walls = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            results = collect([directory], ladder, roster, QUARTER, jobs=jobs)
            walls.append(time.perf_counter() - t0)
        complete = sum(1 for p in results.people if p.status.value == "complete")
        label = "auto" if jobs is None else str(jobs)
        print(f"collect {len(files)} workbooks, jobs={label}: best {min(walls):.2f} s, "
              f"median {statistics.median(walls):.2f} s wall ({complete} complete, {results.problem_count} problems)")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {self_mb:.0f} MB (this process), {children_mb:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
