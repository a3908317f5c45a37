"""Fill generated workbooks the way SEs and managers do, for tests.

Values are written by layout key, through the same layout description the tool uses.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path

from ladder_sheets.xlsx.fill import fill
from ladder_sheets.core.cells import ASKING, WorkbookLayout
from ladder_sheets.core.model import CellValue, CriterionInput, Inputs, Ladder, MetricInput, PivotInput, Rubric


def write_values(path: Path, layout: WorkbookLayout, values: Mapping[str, CellValue], out: Path | None = None) -> Path:
    """Type ``values`` (by layout key) into the workbook at ``path``; save to ``out`` (default: in place)."""
    target = out or path
    target.write_bytes(fill(path.read_bytes(), layout, values))  # the shipped filler the demo uses
    return target


def random_inputs(ladder: Ladder, rubric: Rubric, rng: random.Random, blank_rate: float = 0.0,
                  level: str | None = None, not_observed: float = 0.0) -> tuple[Inputs, dict[str, CellValue]]:
    """Valid random inputs (some left blank at ``blank_rate``), as a model and as cell values by key.

    ``level`` (the person's current level) picks the metrics and the talk track their workbook
    holds; None fills every metric and the default read-out. A criterion that allows it is
    scored "not observed yet" at ``not_observed`` (typed in any case, as people do).
    """
    top = ladder.scale.max
    label = ladder.not_observed.label

    def maybe(value: CellValue) -> CellValue:
        return None if rng.random() < blank_rate else value

    def score(allowed: bool) -> CellValue:
        if allowed and not_observed and rng.random() < not_observed:
            return rng.choice([label, label.upper()])
        return maybe(rng.randint(0, top))

    values: dict[str, CellValue] = {}
    criteria = {}
    for c in rubric.criteria:
        s, m = score(c.allow_not_observed), score(c.allow_not_observed)
        ev = maybe(rng.choice(["Won the Acme POC", "Led the security demo", "=1+1", "<b>bold</b>", ""]))
        note = maybe(rng.choice(["Agreed, see the Acme deal review", "=2+2", ""]))
        values |= {f"criteria.{c.id}.self": s, f"criteria.{c.id}.manager": m, f"criteria.{c.id}.evidence": ev,
                   f"criteria.{c.id}.comment": note}
        criteria[c.id] = CriterionInput(_score(s), _score(m), str(ev or ""), str(note or ""),
                                        isinstance(s, str), isinstance(m, str))
    metrics = {}
    for met in (ladder.metrics if level is None else ladder.metrics_for(level, rubric.target_level)):
        actual = maybe(rng.choice([0, 1, 2, 3, 0.5, 1.75, 45, 89, 90, 91, 120, met.target]))
        values[f"metrics.{met.id}.actual"] = actual
        metrics[met.id] = MetricInput(_f(actual), "")
    pivots = {}
    yes, no = ladder.signal_options
    for p in ladder.pivots:
        i, sig, g = maybe(rng.randint(0, top)), maybe(rng.choice([yes, no])), maybe(rng.randint(0, top))
        values |= {f"pivots.{p.id}.interest": i, f"pivots.{p.id}.signal": sig, f"pivots.{p.id}.gap_progress": g}
        pivots[p.id] = PivotInput(_f(i), None if sig is None else sig == yes, _f(g))
    track = maybe(rng.choice(ladder.track_options))
    values["track_preference"] = track
    readout: dict[str, CellValue] = {}
    talk = ladder.readout if level is None else ladder.readout_for(level, rubric.target_level)
    for fd in talk.fields:
        v: CellValue
        if fd.kind == "percent":
            v = maybe(rng.randint(0, 200))
        elif fd.kind == "level":
            v = maybe(rng.choice([lv.name for lv in ladder.levels]))
        else:
            v = maybe(rng.choice(["six months", "the Q3 battlecard", "=HYPERLINK(\"x\")", "Ünïcödé “quotes”"]))
        values[f"readout.{fd.id}"] = v
        readout[fd.id] = _f(v) if isinstance(v, int) else v
    asking = False
    if level is not None and level != rubric.target_level:  # a move: the SE answers whether they ask for it
        answer = rng.choice([yes, no, None])
        values[ASKING], asking = answer, answer == yes
    inputs = Inputs(criteria, metrics, pivots, str(track or ""), readout, asking)
    return inputs, {k: v for k, v in values.items() if v is not None and v != ""}


def _score(v: CellValue) -> float | None:
    return None if isinstance(v, str) else _f(v)


def _f(v: CellValue) -> float | None:
    return None if v is None or v == "" else float(v)  # type: ignore[arg-type]
