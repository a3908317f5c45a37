"""Input keys (``criteria.SR-04.self``): what a cell holds in words, and the values by key as ``model.Inputs``.

Pure: apart from inputs.py (checking each cell and summarising blanks) so each stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

from .cells import ASKING, SHARE
from .model import CellValue, CriterionInput, Inputs, Ladder, MetricInput, PivotInput


@lru_cache(maxsize=8192)  # the same few hundred keys come back in every workbook
def split_key(key: str) -> tuple[str, str, str]:
    """``criteria.SR-04.self`` -> ``("criteria", "SR-04", "self")``; ids may hold dots."""
    section, _, rest = key.partition(".")
    if section in ("criteria", "metrics", "pivots"):
        item, _, field = rest.rpartition(".")
        return section, item, field
    return section, rest, ""


def describe(ladder: Ladder, key: str) -> str:
    """What an input cell holds, in words: ``self score for SR-04``, ``actual for Mentorship hours``."""
    return describer(ladder)(key)


def describer(ladder: Ladder) -> Callable[[str], str]:
    """``describe`` for one ladder, with its names looked up once rather than per cell."""
    names = {"metrics": {m.id: m.name for m in ladder.metrics}, "pivots": {p.id: p.name for p in ladder.pivots},
             "readout": ladder.readout_labels()}
    pivot_words = {"interest": "interest in", "signal": "readiness signal for", "gap_progress": "gap progress for"}

    def words(key: str) -> str:
        section, item, field = split_key(key)
        if section == "criteria":
            return f"{field} score for {item}" if field in ("self", "manager") else f"{field} for {item}"
        if section == "metrics":
            return f"{field} for {names['metrics'].get(item, item)}"
        if section == "pivots":
            return f"{pivot_words.get(field, field + ' for')} {names['pivots'].get(item, item)}"
        if section == "readout":
            return f"read-out answer '{names['readout'].get(item, item)}'"
        if key == ASKING:
            return "the answer to 'Are you asking for a new role or title this quarter?'"
        if key == SHARE:
            return "the answer to 'Share my career interests with leadership'"
        return key.replace("_", " ")

    return words


def to_model(ladder: Ladder, values: Mapping[str, CellValue], asking: bool) -> Inputs:
    """The values as used (by key) as the model; ``asking``: the SE asks for a move this quarter."""
    criteria: dict[str, dict[str, CellValue]] = {}
    metrics: dict[str, dict[str, CellValue]] = {}
    pivots: dict[str, dict[str, CellValue]] = {}
    readout: dict[str, CellValue] = {}
    track = ""
    for key, value in values.items():
        section, item, field = split_key(key)
        if section == "criteria":
            criteria.setdefault(item, {})[field] = value
        elif section == "metrics":
            metrics.setdefault(item, {})[field] = value
        elif section == "pivots":
            pivots.setdefault(item, {})[field] = value
        elif section == "readout":
            readout[item] = value
        elif key == "track_preference":
            track = str(value or "")
    yes, na = ladder.signal_options[0], ladder.not_observed.label
    return Inputs(
        criteria={k: CriterionInput(_num(v.get("self")), _num(v.get("manager")), str(v.get("evidence") or ""),
                                    str(v.get("comment") or ""), v.get("self") == na, v.get("manager") == na)
                  for k, v in criteria.items()},
        metrics={k: MetricInput(_num(v.get("actual")), str(v.get("notes") or "")) for k, v in metrics.items()},
        pivots={k: PivotInput(_num(v.get("interest")), None if v.get("signal") is None else v.get("signal") == yes,
                              _num(v.get("gap_progress"))) for k, v in pivots.items()},
        track_preference=track,
        readout=readout,
        asking_for_move=asking,
        share_career_interests=values.get(SHARE) == yes,
    )


def _num(value: CellValue) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def criterion_text(ladder: Ladder, key: str) -> str:
    """`` ('Rescues deals that are functionally lost')`` for a criterion's cell: its id alone says little."""
    section, item, _ = split_key(key)
    if section != "criteria":
        return ""
    text = next((c.text for r in ladder.rubrics.values() for c in r.criteria if c.id == item), "")
    return f" ('{text}')" if text else ""
