"""Managers' reviews and self-only SE returns, filled as people fill them, for the review tests."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from ladder_sheets.core import layout
from ladder_sheets.core.cells import WorkbookLayout
from ladder_sheets.core.model import CellValue, Ladder, Manager, Person, Roster
from ladder_sheets.core.review_layout import Seed, build_review, key
from ladder_sheets.core.calibration import OrgFigures
from ladder_sheets.xlsx.fill import fill
from ladder_sheets.xlsx.generate import workbook_path
from tests.support.fill import random_inputs


def review_layout(ladder: Ladder, roster: Roster, manager: Manager, quarter: str, due: date,
                  blind: bool = False) -> WorkbookLayout:
    """Where ``review`` put each cell of ``manager``'s review (seeds change values, never places)."""
    people = [p for p in roster.people if p.manager == manager.id]
    return build_review(ladder, roster, manager, quarter, due, [Seed(p) for p in people], blind, OrgFigures())


def scored(ladder: Ladder, person: Person, score: int | list[int], *, recommendation: str = "Promote now",
           why: str = "Ran two strategic POCs end to end.") -> dict[str, CellValue]:
    """A manager's review values for ``person``: ``score`` on every criterion (or one per criterion)."""
    criteria = ladder.rubric_for(person.target_level).criteria
    scores = score if isinstance(score, list) else [score] * len(criteria)
    values: dict[str, CellValue] = {key(person.id, f"criteria.{c.id}.manager"): s for c, s in zip(criteria, scores)}
    values[key(person.id, f"criteria.{criteria[0].id}.comment")] = "=Seen in the Acme deal review"
    return values | {key(person.id, "recommendation"): recommendation, key(person.id, "why"): why}


def fill_review(path: Path, wl: WorkbookLayout, values: Mapping[str, CellValue], out: Path) -> Path:
    out.write_bytes(fill(path.read_bytes(), wl, values))
    return out


def self_only(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date, generated: Path,
              seed: int, out: Path, manager: int | None = None) -> Path:
    """``person``'s generated workbook with every SE input filled and, with ``manager``, the manager's column too
    (as an SE who unprotected the sheet would type it)."""
    wl = layout.build(ladder, roster, person, quarter, due)
    _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(seed), level=person.level)
    values = {k: v for k, v in values.items() if not k.endswith((".manager", ".comment"))}
    if manager is not None:
        values |= {f"criteria.{c.id}.manager": manager for c in ladder.rubric_for(person.target_level).criteria}
    out.write_bytes(fill(workbook_path(generated, person).read_bytes(), wl, values))
    return out
