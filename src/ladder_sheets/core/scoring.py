"""Every number the tool shows, defined once.

Pure functions, no I/O. The workbook formulas written by layout.py mirror these
definitions cell for cell, and the formula-oracle tests recalculate generated
workbooks in LibreOffice to prove the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from .model import (INCOMPLETE_BAND, NO_PIVOT_INTEREST, NOT_ASKING_TEXT, NOT_ENOUGH_OBSERVED, NOT_OBSERVED, Band, CellValue, Comparator,
                    Criterion, FieldKind, Inputs, Ladder, MetricStatus, Readout, Rubric, Score, Scores)

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


# Float noise: a readiness that reaches a threshold but for rounding (weights like 0.1 sum
# inexactly) reaches it. LibreOffice compares numbers this way too (to ~15 digits), so its
# band formula agrees; real readiness steps are 1/(scale max x total weight), far larger.
THRESHOLD_TOLERANCE = 1e-12


def weighted_points(score: Score, weight: float) -> float | None:
    """Points one criterion earns: score x weight; blank and not observed stay blank."""
    return score * weight if isinstance(score, (int, float)) else None


def readiness(scores: Sequence[Score], weights: Sequence[float], scale_max: int, min_share: float = 0.0
              ) -> float | None:
    """Weighted share of the maximum score over the criteria observed, 0..1.

    None until every criterion is scored (a number or "not observed yet"), and while less than
    ``min_share`` of the weight is observed. A blank is "not yet scored", never zero: a
    half-filled scorecard has no readiness. A criterion not observed leaves the denominator:
    no chance to show it is not a failure to.
    """
    if not scores or any(s is None for s in scores):
        return None
    observed = [(w, s) for w, s in zip(weights, scores) if isinstance(s, (int, float))]
    observed_weight = sum(w for w, _ in observed)
    if not observed or observed_weight / sum(weights) < min_share - THRESHOLD_TOLERANCE:
        return None
    return sum(w * s for w, s in observed) / (scale_max * observed_weight)


def band(pct: float | None, bands: Sequence[Band]) -> str:
    """The first band (highest threshold first) whose threshold the readiness reaches."""
    return held_band(pct, bands)


def below_floor(must_haves: Sequence[Criterion], scores: Mapping[str, Score]) -> tuple[Criterion, ...]:
    """The must-have criteria scored under their floor (blank is "not yet scored", never under)."""
    return tuple(c for c in must_haves
                 if c.floor is not None and isinstance(s := scores.get(c.id), (int, float)) and s < c.floor)


def held_band(pct: float | None, bands: Sequence[Band], blocked: Collection[str] = frozenset()) -> str:
    """The first band the readiness reaches that no must-have under its floor blocks (``blocked``)."""
    if pct is None:
        return INCOMPLETE_BAND
    for candidate in bands:
        if pct >= candidate.min_pct - THRESHOLD_TOLERANCE and candidate.name not in blocked:
            return candidate.name
    return bands[-1].name


def hold_reason(points_band: str, band_name: str, under: Sequence[Criterion], scores: Mapping[str, Score]) -> str:
    """Why a band is below its points' band, as the workbook says it; "" when it is not.

    ``under``: the must-haves under their floor that block the points' band.
    "Ready on points, held at Close: Identifies and engages the Economic Buyer scored 0 (must be at least 2)"
    """
    if points_band == band_name or not under:
        return ""
    why = "; ".join(f"{c.text} scored {as_text(_number(scores.get(c.id)))} (must be at least {c.floor})"
                    for c in under)
    return f"{points_band} on points, held at {band_name}: {why}"


def _number(score: Score) -> float | None:
    return score if isinstance(score, (int, float)) else None


def gap(self_value: Score, manager_value: Score) -> float | None:
    """Manager minus self: positive when the manager rates higher than the SE does."""
    if not isinstance(self_value, (int, float)) or not isinstance(manager_value, (int, float)):
        return None
    return manager_value - self_value


def metric_status(actual: float | None, target: float, comparator: Comparator) -> MetricStatus:
    if actual is None:
        return MetricStatus.MISSING
    meets = {
        Comparator.AT_LEAST: actual >= target,
        Comparator.AT_MOST: actual <= target,
        Comparator.ABOVE: actual > target,
        Comparator.BELOW: actual < target,
    }[comparator]
    return MetricStatus.MEETS if meets else MetricStatus.BELOW


def pivot_readiness(signal: bool | None, gap_progress: float | None, scale_max: int) -> float | None:
    """Half for showing the readiness signal, half for progress closing the gap (0..1)."""
    if signal is None or gap_progress is None:
        return None
    return (scale_max * (1 if signal else 0) + gap_progress) / (2 * scale_max)


def top_pivot(names: Sequence[str], interests: Sequence[float | None]) -> str:
    """The pivot of highest interest (first on ties); "None" when all are 0, "" when none answered."""
    answered = [i for i in interests if i is not None]
    if not answered:
        return ""
    highest = max(answered)
    if highest == 0:
        return NO_PIVOT_INTEREST
    return next(n for n, i in zip(names, interests) if i == highest)


def as_text(value: CellValue) -> str:
    """A cell value as a spreadsheet's ``&`` operator renders it (whole numbers without ".0").

    Spreadsheets show at most 15 significant digits, so 0.1 + 0.2 reads "0.3" and 200/3
    "66.6666666666667" (LibreOffice and Excel agree; the formula oracle checks it).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def template_segments(template: str) -> list[tuple[str, str]]:
    """Split a read-out template into ("text", literal) and ("field", id) segments, in order."""
    segments: list[tuple[str, str]] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > pos:
            segments.append(("text", template[pos : match.start()]))
        segments.append(("field", match.group(1)))
        pos = match.end()
    if pos < len(template):
        segments.append(("text", template[pos:]))
    return segments


def readout_text(readout: Readout, values: Mapping[str, CellValue], asking: bool = True) -> str:
    """The talk track with the SE's inputs in place; a prompt to finish while any is blank.

    Not ``asking`` for a move this quarter, it is NOT_ASKING_TEXT: the read-out is shown only then.
    """
    if not asking:
        return NOT_ASKING_TEXT
    if any(values.get(f.id) in (None, "") for f in readout.fields):
        return readout.incomplete_text
    kinds = {f.id: f.kind for f in readout.fields}
    parts: list[str] = []
    for kind, content in template_segments(readout.template):
        if kind == "text":
            parts.append(content)
        else:
            parts.append(as_text(values.get(content)) + ("%" if kinds[content] is FieldKind.PERCENT else ""))
    return "".join(parts)


def _missing(ids: Iterable[str], values: Mapping[str, Score]) -> tuple[str, ...]:
    return tuple(i for i in ids if values.get(i) is None)


def _not_observed(ids: Iterable[str], values: Mapping[str, Score]) -> tuple[str, ...]:
    return tuple(i for i in ids if values.get(i) is NOT_OBSERVED)


def _banded(ladder: Ladder, rubric: Rubric, pct: float | None, scores: Mapping[str, Score]) -> tuple[str, str]:
    """(band, hold reason) for one column of scores."""
    if pct is None:
        scored = all(scores.get(c.id) is not None for c in rubric.criteria)
        return (NOT_ENOUGH_OBSERVED if scored else INCOMPLETE_BAND), ""
    under = below_floor(ladder.must_haves(rubric), scores)
    blocked = frozenset().union(*(ladder.blocked_bands(c) for c in under))
    name, points = held_band(pct, ladder.bands, blocked), band(pct, ladder.bands)
    holding = [c for c in under if points in ladder.blocked_bands(c)]
    return name, hold_reason(points, name, holding, scores)


def score(ladder: Ladder, rubric: Rubric, inputs: Inputs, level: str | None = None) -> Scores:
    """Every derived number for one workbook's inputs.

    ``level`` is the person's current level: it picks the metrics that apply and the talk
    track that fits the move (every metric and the default read-out when None).
    """
    ids = [c.id for c in rubric.criteria]
    weights = [c.weight for c in rubric.criteria]
    selfs: dict[str, Score] = {i: (inputs.criteria[i].self_value if i in inputs.criteria else None) for i in ids}
    managers: dict[str, Score] = {i: (inputs.criteria[i].manager_value if i in inputs.criteria else None) for i in ids}
    share = ladder.not_observed.min_share
    self_pct = readiness([selfs[i] for i in ids], weights, ladder.scale.max, share)
    manager_pct = readiness([managers[i] for i in ids], weights, ladder.scale.max, share)
    pivots = [inputs.pivots.get(p.id) for p in ladder.pivots]
    self_band, self_hold = _banded(ladder, rubric, self_pct, selfs)
    manager_band, manager_hold = _banded(ladder, rubric, manager_pct, managers)
    metrics = ladder.metrics if level is None else ladder.metrics_for(level, rubric.target_level)
    readout = ladder.readout if level is None else ladder.readout_for(level, rubric.target_level)
    shown = level is None or level == rubric.target_level or inputs.asking_for_move  # growing at level: always
    return Scores(
        self_pct=self_pct,
        manager_pct=manager_pct,
        self_band=self_band,
        manager_band=manager_band,
        calibration_gap=gap(self_pct, manager_pct),
        criterion_gaps={i: gap(selfs[i], managers[i]) for i in ids},
        metric_status={m.id: metric_status(inputs.metrics[m.id].actual if m.id in inputs.metrics else None,
                                           m.target, m.comparator) for m in metrics},
        pivot_readiness={p.id: pivot_readiness(pi.signal, pi.gap_progress, ladder.scale.max) if pi else None
                         for p, pi in zip(ladder.pivots, pivots)},
        top_pivot=top_pivot([p.name for p in ladder.pivots], [pi.interest if pi else None for pi in pivots]),
        readout_text=readout_text(readout, inputs.readout, shown),
        self_missing=_missing(ids, selfs),
        manager_missing=_missing(ids, managers),
        self_hold=self_hold,
        manager_hold=manager_hold,
        self_not_observed=_not_observed(ids, selfs),
        manager_not_observed=_not_observed(ids, managers),
    )
