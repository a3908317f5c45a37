"""Benchmark: generate N workbooks (default 1,000) for a synthetic roster, using every core.

Prints the per-workbook median of in-process writes (openpyxl directly, and filled
from a cached template of the same shape as generate does), the total wall time of
``generate`` and the peak RSS. Target on a 2-core machine: 1,000 workbooks in <= 10 s.

    python bench/bench_generate.py [N]
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from ladder_sheets.core import layout
from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.xlsx.generate import generate
from ladder_sheets.core.model import Person, Roster
from ladder_sheets.config.resources import example_team_path
from ladder_sheets.xlsx.batch import TemplateWriter
from ladder_sheets.xlsx.writer import write_workbook


def synthetic_roster(n: int) -> Roster:
    """N people spread over every (level, target level) pair the shipped ladder allows: every workbook shape."""
    ladder = load_ladder()
    base = load_roster(example_team_path(), ladder)
    pairs = [(lv.id, t) for lv in ladder.levels for t in (lv.id, *lv.promotes_to) if t in ladder.rubrics]
    people = tuple(
        Person(f"se-{i:05d}", f"Synthetic SE {i}", f"se{i}@example.com", *pairs[i % len(pairs)],
               base.managers[i % len(base.managers)].id)
        for i in range(n)
    )
    return replace(base, people=people)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    ladder = load_ladder()
    roster = synthetic_roster(n)
    with tempfile.TemporaryDirectory() as tmp:
        direct, filled = [], []
        writer = TemplateWriter(ladder, roster, "2026-Q4", date(2026, 12, 7))
        for person in roster.people[:30]:
            start = time.perf_counter()
            write_workbook(layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7)), Path(tmp) / "one.xlsx")
            direct.append(time.perf_counter() - start)
            writer.render(person)  # the first of each shape renders the template
            start = time.perf_counter()
            writer.write(person, Path(tmp) / "two.xlsx")
            filled.append(time.perf_counter() - start)
        start = time.perf_counter()
        report = generate(ladder, roster, "2026-Q4", Path(tmp) / "out", due=date(2026, 12, 7))
        wall = time.perf_counter() - start
    assert len(report.written) == n
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shapes = len({(p.level, p.target_level) for p in roster.people})
    print(f"workbooks:                {n} on {os.cpu_count()} cores, {shapes} shapes (level -> target)")
    print(f"per workbook, 1 process:  median {statistics.median(direct) * 1000:.1f} ms written by openpyxl, "
          f"{statistics.median(filled) * 1000:.1f} ms filled from its shape's template ({len(direct)} each)")
    print(f"generate wall time:       {wall:.2f} s ({wall / n * 1000:.1f} ms per workbook), target <= 10 s for 1,000")
    print(f"peak RSS:                 {peak_self:.0f} MiB main, {peak_children:.0f} MiB largest worker")


if __name__ == "__main__":
    main()
