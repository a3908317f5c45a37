"""A sample committee round for ``make demo``: the committee's workbook filled in as a committee would.

Marked as sample data. The first SE listed in the top band keeps the manager's band and is
promoted; the second is agreed one band lower, with a rationale, and not yet; the rest are
left for the committee to discuss. Written beside the blank workbook, never over it.

Run: ``python -m ladder_sheets.workflows.sample_committee RESULTS --team TEAM --db DB
--workbook calibration.xlsx --out calibration-filled.xlsx`` (after ``ladder-sheets calibrate ... --out``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..config.ladder import load_ladder
from ..core.committee import Verdict
from ..core.committee_layout import Listed, key
from ..core.errors import LadderSheetsError
from ..core.model import CellValue, Ladder
from ..xlsx.fill import fill
from ..xlsx.writer import write_bytes
from .calibrate import committee_layout

RATIONALE = ("[Sample] One quarter at this level so far; the committee wants a second quarter of "
             "next-level evidence, above all in front of customer executives.")


def decisions(ladder: Ladder, listed: Sequence[Listed]) -> dict[str, CellValue]:
    """The sample decisions, by layout key."""
    top = [x for x in listed if x.manager_band == ladder.bands[0].name]
    values: dict[str, CellValue] = {}
    if top:
        values |= {key(top[0].person_id, "agreed"): top[0].manager_band,
                   key(top[0].person_id, "verdict"): Verdict.PROMOTE.shown}
    if len(top) > 1 and len(ladder.bands) > 1:
        pid = top[1].person_id
        values |= {key(pid, "agreed"): ladder.bands[1].name, key(pid, "rationale"): RATIONALE,
                   key(pid, "verdict"): Verdict.NOT_YET.shown}
    return values


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ladder_sheets.workflows.sample_committee",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--team", type=Path, required=True)
    parser.add_argument("--ladder", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--workbook", type=Path, required=True, help="the blank workbook `calibrate --out` wrote")
    parser.add_argument("--out", type=Path, required=True, help="where to write the filled-in copy")
    args = parser.parse_args(argv)
    try:
        listed, wl = committee_layout(args.results, args.ladder, args.team, args.db)
        values = decisions(load_ladder(args.ladder), listed)
        write_bytes(fill(args.workbook.read_bytes(), wl, values), args.out)
    except (LadderSheetsError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(f"SAMPLE DATA: {sum(1 for k in values if k.endswith('.agreed'))} committee decisions filled in, "
          f"in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
