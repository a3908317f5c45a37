"""Peer workbooks filled in as an AE or a peer fills them, for the peer round's tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from ladder_sheets.core.model import CellValue, Ladder, Roster
from ladder_sheets.core.peer_layout import BLIND_SPOT_KEY, build_peer, key, raters
from ladder_sheets.workflows.peers import peer_path
from ladder_sheets.xlsx.fill import fill

QUARTER, DUE = "2026-Q4", date(2026, 12, 7)
# The example roster's raters: Leticia has three (Dana, Grace, Sofia), Tomáš two (Dana, Priya).
DANA, GRACE, SOFIA, PRIYA = ("dana.ross@apex-cloud.example", "grace.liu@apex-cloud.example",
                             "sofia.lindqvist@apex-cloud.example", "priya.raman@apex-cloud.example")


def answers(ladder: Ladder, roster: Roster, rater: str, ratings: Mapping[str, list[CellValue]],
            blind_spots: Mapping[str, str]) -> dict[str, CellValue]:
    """The values a rater types: per SE (person id), a rating per peer-rated criterion (cycled), and an answer."""
    people = {p.id: p for p, _ in raters(roster)[rater].people}
    values: dict[str, CellValue] = {}
    for pid, scores in ratings.items():
        for i, c in enumerate(ladder.peer_criteria(people[pid].target_level)):
            values[key(pid, f"criteria.{c.id}.rating")] = scores[i % len(scores)]
    values |= {key(pid, BLIND_SPOT_KEY): text for pid, text in blind_spots.items()}
    return values


def filled(ladder: Ladder, roster: Roster, peers: Path, rater: str, values: Mapping[str, CellValue]) -> bytes:
    """The workbook ``ladder-sheets peers`` wrote for ``rater`` (in ``peers``), with ``values`` typed in."""
    wl = build_peer(ladder, roster, raters(roster)[rater], QUARTER, DUE)
    return fill(peer_path(peers, rater).read_bytes(), wl, values)
