"""Ladder definitions in, validated model out (rosters: roster.py, re-exported here).

Every problem is collected (with ``file:line: key.path: what was expected``) before a
single ConfigError is raised, so a user fixes them all in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import yamlsource
from ..core.errors import ProblemCollector
from .fields import DROPDOWN_LIMIT, Fields, checked_id, control_problem, listed, unique
from .peers import peer_settings
from ..core.model import (Band, Comparator, Criterion, Directives, FieldKind, Ladder, Level, Metric, NotObserved, Pivot, Readout,
                          ReadoutField, Rubric, Scale, SkillGroup, TalkTrack, Track)
from .resources import default_ladder_path
from .roster import load_roster
from ..core.scoring import template_segments

__all__ = ["load_ladder", "load_roster"]


def load_ladder(path: Path | None = None) -> Ladder:
    """Read and validate a ladder definition (the shipped default when ``path`` is None)."""
    path = path or default_ladder_path()
    data = yamlsource.load(path)
    collector = ProblemCollector(str(path))
    if not isinstance(data, dict):
        collector.add("", "expected a mapping of ladder settings at the top level")
        collector.raise_if_any()
    ladder = _build_ladder(Fields(collector), data)
    collector.raise_if_any()
    assert ladder is not None
    return ladder


def _build_ladder(f: Fields, d: Any) -> Ladder | None:
    levels = _levels(f, d)
    skill_groups = [
        SkillGroup(f.get(g, "id", p, str, default=""), f.get(g, "name", p, str, default=""),
                   f.get(g, "description", p, str, default=""), f.texts(g, "coaching", p))
        for p, g in f.items(d, "skill_groups", "")
    ]
    level_ids = {lv.id for lv in levels}
    scale = _scale(f, d)
    bands = _bands(f, d)
    rubrics = _rubrics(f, d, level_ids, {g.id for g in skill_groups}, scale.max, bands)
    for level in levels:
        for target in level.promotes_to:
            if target in level_ids and target not in rubrics:
                f.problem(d, "rubrics", "rubrics", f"missing rubric for promotion target {target!r} (from {level.id!r})")
    track_options, track_meaning = _track_options(f, d)
    ladder = Ladder(
        id=f.get(d, "id", "", str, default=""),
        name=f.get(d, "name", "", str, default=""),
        version=str(f.get(d, "version", "", (str, int, float), default="")),  # type: ignore[arg-type]
        scale=scale,
        bands=bands,
        calibration_alert=_fraction(f, d, "calibration_alert"),
        levels=tuple(levels),
        rubrics=rubrics,
        metrics=_metrics(f, d, level_ids),
        pivots=_pivots(f, d),
        track_options=tuple(track_options),
        track_meaning=track_meaning,
        readout=_readout(f, f.get(d, "readout", "", dict, default={}), "readout"),
        skill_groups=tuple(skill_groups),
        directives=_directives(f, d),
        talk_tracks=_talk_tracks(f, d, level_ids),
        quick_wins=f.texts(d, "quick_wins", ""),
        not_observed=_not_observed(f, d, scale),
        calibration_min_n=_whole(f, d, "calibration_min_n", 5),
        candidate_quarters=_whole(f, d, "candidate_quarters", 2),
        committee_near=_fraction(f, d, "committee_near") if "committee_near" in d else 0.10,
        peer_input=peer_settings(f, d),
    )
    unique(f, [(p, g, g["id"]) for p, g in f.items(d, "skill_groups", "", required=False) if "id" in g], "id")
    if sum(len(lv.name) + 1 for lv in levels) > DROPDOWN_LIMIT:
        f.problem(d, "levels", "levels", f"level names together exceed {DROPDOWN_LIMIT} characters (dropdown limit)")
    return ladder


TRACK_MEANINGS = ("ic", "leadership", "pivot")


def _track_options(f: Fields, d: Any) -> tuple[list[str], dict[str, str]]:
    """The track preference options: ``Undecided``, or ``{label: Principal IC, track: ic}`` to say what one
    means (ic, leadership or pivot), so the agenda can hold a preference against the target's track."""
    key = "track_options"
    values = f.get(d, key, "", list, default=[])
    out, meaning = [], {}
    for i, v in enumerate(values):
        label, means = (v.get("label"), v.get("track")) if isinstance(v, dict) else (v, None)
        if not isinstance(label, str) or not label.strip() or "," in label or '"' in label:
            f.problem(values, None, f"{key}[{i}]", f"expected text without commas or quotes, got {label!r}")
            continue
        out.append(label.strip())
        if means is not None and means not in TRACK_MEANINGS:
            f.problem(v, "track", f"{key}[{i}].track", f"expected one of {', '.join(TRACK_MEANINGS)}, got {means!r}")
        elif means is not None:
            meaning[label.strip()] = str(means)
    if not out and values is not None:
        f.problem(d, key, key, "expected at least one option")
    return out, meaning


def _fraction(f: Fields, d: Any, key: str, path: str = "") -> float:
    value = f.get(d, key, path, float, default=0.0)
    if not 0 <= value <= 1:
        f.problem(d, key, f"{path}.{key}" if path else key, f"expected a fraction between 0 and 1, got {value!r}")
    return float(value)


def _scale(f: Fields, d: Any) -> Scale:
    scale = f.get(d, "scale", "", dict, default={})
    labels = f.get(scale, "labels", "scale", list, default=[])
    if not 2 <= len(labels) <= 11 or not all(isinstance(x, str) and x for x in labels):
        f.problem(scale, "labels", "scale.labels", "expected 2 to 11 text labels (labels[score], from 0)")
        labels = ["0", "1", "2", "3"]
    return Scale(tuple(labels))


def _bands(f: Fields, d: Any) -> tuple[Band, ...]:
    bands = [
        Band(f.get(b, "name", p, str, default="?"), _fraction(f, b, "min", p),
             bool(f.get(b, "must_haves", p, bool, required=False, default=False)))
        for p, b in f.items(d, "bands", "")
    ]
    if bands:
        mins = [b.min_pct for b in bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            f.problem(d, "bands", "bands", "expected thresholds from highest to lowest, each different")
        if mins[-1] != 0:
            f.problem(d, "bands", "bands", "expected the last band to start at 0 so every readiness has a band")
        unique(f, [(f"bands[{i}]", d.get("bands"), b.name) for i, b in enumerate(bands)], "band name")
        if bands[-1].must_haves:
            f.problem(d, "bands", f"bands[{len(bands) - 1}].must_haves",
                      "the last band cannot need must-haves: a readiness held out of it would have no band")
    else:
        f.problem(d, "bands", "bands", "expected at least one band")
    return tuple(bands)


def _levels(f: Fields, d: Any) -> list[Level]:
    entries = f.items(d, "levels", "")
    levels: list[Level] = []
    for p, lv in entries:
        track_text = f.get(lv, "track", p, str, default="ic")
        if track_text not in {t.value for t in Track}:
            f.problem(lv, "track", f"{p}.track", f"expected one of {[t.value for t in Track]}, got {track_text!r}")
            track_text = "ic"
        name = f.get(lv, "name", p, str, default="")
        if "," in name or '"' in name:
            f.problem(lv, "name", f"{p}.name", "level names may not contain commas or quotes (used in dropdowns)")
        levels.append(Level(
            id=checked_id(f, lv, p), name=name, track=Track(track_text), rank=f.get(lv, "rank", p, int, default=0),
            radius_of_impact=f.get(lv, "radius_of_impact", p, str, default=""),
            summary=f.get(lv, "summary", p, str, required=False, default=""),
            promotes_to=tuple(f.get(lv, "promotes_to", p, list, required=False, default=[])),
            deal_focus=f.get(lv, "deal_focus", p, str, required=False, default=""),
            organisational_impact=f.get(lv, "organisational_impact", p, str, required=False, default=""),
        ))
    unique(f, [(p, lv, lv.get("id")) for p, lv in entries if isinstance(lv.get("id"), str)], "level id")
    known = {lv.id for lv in levels}
    for (p, raw), level in zip(entries, levels):
        for target in level.promotes_to:
            if target not in known:
                f.problem(raw, "promotes_to", f"{p}.promotes_to", f"unknown level {target!r} (known: {listed(known)})")
    return levels


def _rubrics(f: Fields, d: Any, level_ids: set[str], groups: set[str], top: int,
             bands: Sequence[Band]) -> dict[str, Rubric]:
    raw = f.get(d, "rubrics", "", dict, default={})
    rubrics: dict[str, Rubric] = {}
    all_criteria: list[tuple[str, Any, str]] = []
    for target, body in raw.items():
        path = f"rubrics.{target}"
        if target not in level_ids:
            f.problem(raw, target, path, f"unknown level {target!r} (known: {listed(level_ids)})")
        criteria: list[Criterion] = []
        for cp, comp in f.items(body, "competencies", path):
            comp_name = f.get(comp, "name", cp, str, default="")
            for p, c in f.items(comp, "criteria", cp):
                criteria.append(_criterion(f, c, p, comp_name, groups, top, bands))
                all_criteria.append((p, c, c.get("id", "")))
        if not criteria:
            f.problem(raw, target, path, "expected at least one criterion")
        rubrics[str(target)] = Rubric(str(target), f.get(body, "title", path, str, default=str(target)), tuple(criteria))
    unique(f, all_criteria, "criterion id")
    return rubrics


def _criterion(f: Fields, c: Any, p: str, competency: str, groups: set[str], top: int,
               bands: Sequence[Band]) -> Criterion:
    weight = f.get(c, "weight", p, float, required=False, default=1.0)
    if not weight > 0:
        f.problem(c, "weight", f"{p}.weight", f"expected a positive number, got {weight!r}")
    group = f.get(c, "skill_group", p, str, required=False, default="")
    if group and group not in groups:
        f.problem(c, "skill_group", f"{p}.skill_group", f"unknown skill group {group!r} (known: {listed(groups)})")
    floor, caps = _must_have(f, c, p, top, bands)
    optional = bool(f.get(c, "allow_not_observed", p, bool, required=False, default=False))
    if optional and isinstance(c, dict) and "must_have" in c:
        f.problem(c, "allow_not_observed", f"{p}.allow_not_observed",
                  "a must-have cannot be 'not observed yet': keep must_have or allow_not_observed, not both")
        optional = False
    return Criterion(checked_id(f, c, p), competency, f.get(c, "text", p, str, default=""),
                     f.get(c, "anchor", p, str, default=""), weight, group, f.texts(c, "coaching", p), floor,
                     caps, optional, bool(f.get(c, "peer_rated", p, bool, required=False, default=False)))


_MUST_HAVE_KEYS = ("min", "caps")


def _must_have(f: Fields, c: Any, p: str, top: int, bands: Sequence[Band]) -> tuple[int | None, str]:
    """A must-have's minimum and cap: ``must_have: 2``, or ``must_have: {min: 2, caps: Close}``.

    ``caps`` names the highest band reachable while the criterion is under its minimum; the
    plain number keeps the bands' ``must_haves`` rule, so ladders written before caps still load.
    """
    raw = c.get("must_have") if isinstance(c, dict) else None
    where = f"{p}.must_have"
    if not isinstance(raw, dict):
        holder, key, caps = c, "must_have", ""
        floor = f.get(c, "must_have", p, int, required=False, default=None)
    else:
        holder, key = raw, "min"
        for extra in sorted(str(k) for k in raw if k not in _MUST_HAVE_KEYS):
            f.problem(raw, extra, f"{where}.{extra}", f"unknown key (expected: {', '.join(_MUST_HAVE_KEYS)})")
        floor = f.get(raw, "min", where, int, default=None)
        caps = str(f.get(raw, "caps", where, str, required=False, default=""))
    if floor is not None and not 1 <= floor <= top:
        f.problem(holder, key, f"{where}.min" if holder is raw else where,
                  f"expected the minimum score, a whole number from 1 to {top}, got {floor!r}")
        floor = None
    below = [b.name for b in bands[1:]]
    if caps and caps not in below:
        f.problem(raw, "caps", f"{where}.caps", f"expected a band below the top one ({', '.join(below)}), got {caps!r}")
        caps = ""
    return floor, caps


def _metrics(f: Fields, d: Any, level_ids: set[str]) -> tuple[Metric, ...]:
    metrics = []
    entries = f.items(d, "metrics", "")
    for p, m in entries:
        comp = str(f.get(m, "comparator", p, str, default=">="))
        if comp not in {c.value for c in Comparator}:
            f.problem(m, "comparator", f"{p}.comparator", f"expected one of >=, <=, >, <; got {comp!r}")
            comp = ">="
        metrics.append(Metric(
            id=checked_id(f, m, p), name=f.get(m, "name", p, str, default=""),
            benchmark=str(f.get(m, "benchmark", p, (str, int, float), default="")),  # type: ignore[arg-type]
            target=f.get(m, "target", p, float, default=0.0), comparator=Comparator(comp),
            unit=f.get(m, "unit", p, str, default=""), measure_how=f.get(m, "measure_how", p, str, default=""),
            action_if_below=f.get(m, "action_if_below", p, str, default=""),
            levels=_level_list(f, m, "levels", p, level_ids),
            targets=_level_list(f, m, "targets", p, level_ids),
        ))
    unique(f, [(p, m, m.get("id")) for p, m in entries if isinstance(m.get("id"), str)], "metric id")
    return tuple(metrics)


def _pivots(f: Fields, d: Any) -> tuple[Pivot, ...]:
    entries = f.items(d, "pivots", "")
    pivots = tuple(
        Pivot(checked_id(f, v, p), f.get(v, "name", p, str, default=""),
              f.get(v, "transferable_skills", p, str, default=""), f.get(v, "gap_to_close", p, str, default=""),
              f.get(v, "readiness_signal", p, str, default=""),
              f.get(v, "how_to_move", p, str, required=False, default=""),
              f.get(v, "trade_offs", p, str, required=False, default=""))
        for p, v in entries
    )
    unique(f, [(p, v, v.get("id")) for p, v in entries if isinstance(v.get("id"), str)], "pivot id")
    return pivots


def _level_list(f: Fields, m: Any, key: str, path: str, level_ids: set[str]) -> tuple[str, ...]:
    values = f.get(m, key, path, list, required=False, default=[])
    for v in values:
        if v not in level_ids:
            f.problem(m, key, f"{path}.{key}", f"unknown level {v!r} (known: {listed(level_ids)})")
    return tuple(str(v) for v in values)


def _talk_tracks(f: Fields, d: Any, level_ids: set[str]) -> tuple[TalkTrack, ...]:
    """Read-outs per kind of move: ``targets`` (level ids) or ``same_level: true`` (staying at level)."""
    tracks = []
    for p, t in f.items(d, "talk_tracks", "", required=False):
        targets = _level_list(f, t, "targets", p, level_ids)
        same = bool(f.get(t, "same_level", p, bool, required=False, default=False))
        if not targets and not same:
            f.problem(t, None, p, "expected `targets` (level ids) or `same_level: true`")
        tracks.append(TalkTrack(_readout(f, t, p), targets, same))
    unique(f, [(p, t, t.get("id")) for p, t in f.items(d, "talk_tracks", "", required=False)], "talk track id")
    return tuple(tracks)


def _readout(f: Fields, body: Any, path: str) -> Readout:
    fields = []
    for p, fd in f.items(body, "fields", path):
        kind = str(f.get(fd, "kind", p, str, default="text"))
        if kind not in {k.value for k in FieldKind}:
            f.problem(fd, "kind", f"{p}.kind", f"expected one of {[k.value for k in FieldKind]}, got {kind!r}")
            kind = "text"
        fields.append(ReadoutField(checked_id(f, fd, p), f.get(fd, "label", p, str, default=""), FieldKind(kind),
                                   f.get(fd, "help", p, str, required=False, default="")))
    template = str(f.get(body, "template", path, str, default=""))
    used = [c for k, c in template_segments(template) if k == "field"]
    ids = [x.id for x in fields]
    for name in sorted(set(used) - set(ids)):
        f.problem(body, "template", f"{path}.template", f"placeholder {{{name}}} is not a read-out field (fields: {', '.join(ids)})")
    for name in [i for i in ids if i not in used]:
        f.problem(body, "template", f"{path}.template", f"field {name!r} is never used in the template")
    return Readout(tuple(fields), template, f.get(body, "incomplete_text", path, str, default=""),
                   str(f.get(body, "id", path, str, required=False, default="ic")),
                   f.get(body, "title", path, str, required=False, default="Promotion Read-Out"),
                   f.get(body, "purpose", path, str, required=False, default=""))


def _directives(f: Fields, d: Any) -> Directives:
    """``directives: {for_managers: [...], for_leadership: [...]}``; a plain list (ladders written
    before the split) is what leadership is asked to do."""
    raw = d.get("directives") if isinstance(d, dict) else None
    if raw is None or isinstance(raw, list):
        return Directives(for_leadership=f.texts(d, "directives", ""))
    if not isinstance(raw, dict):
        f.problem(d, "directives", "directives", f"expected a mapping of for_managers and for_leadership, got {raw!r}")
        return Directives()
    for extra in sorted(str(k) for k in raw if k not in ("for_managers", "for_leadership")):
        f.problem(raw, extra, f"directives.{extra}", "unknown audience (expected: for_managers, for_leadership)")
    managers, quarters = _manager_directives(f, raw)
    return Directives(managers, f.texts(raw, "for_leadership", "directives"), quarters)


def _manager_directives(f: Fields, raw: Any) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """``for_managers``: text, or ``{text: ..., quarters: [1]}`` for one shown only in those quarters of the year."""
    items = f.get(raw, "for_managers", "directives", list, required=False, default=[])
    texts, quarters = [], {}
    for i, item in enumerate(items):
        where = f"directives.for_managers[{i}]"
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str) or not text.strip() or control_problem(text):
            f.problem(items, None, where, control_problem(text) if isinstance(text, str) and text.strip()
                      else f"expected text, or a mapping of text and quarters, got {item!r}")
            continue
        texts.append(text.strip())
        if isinstance(item, dict):
            when = item.get("quarters")
            if not isinstance(when, list) or not when or not all(q in (1, 2, 3, 4) for q in when):
                f.problem(item, "quarters", f"{where}.quarters", f"expected quarters of the year (1 to 4), got {when!r}")
            else:
                quarters[text.strip()] = tuple(when)
    return tuple(texts), quarters


def _not_observed(f: Fields, d: Any, scale: Scale) -> NotObserved:
    """How "not observed yet" is written in a score cell, and the share of a rubric that must be observed."""
    raw = f.get(d, "not_observed", "", dict, required=False, default=None)
    if raw is None:
        return NotObserved()
    label = str(f.get(raw, "label", "not_observed", str, required=False, default=NotObserved.label))
    if not label or len(label) > 20 or "," in label or '"' in label or _is_number(label) or label in scale.labels:
        f.problem(raw, "label", "not_observed.label",
                  f"expected up to 20 characters, not a number or a scale label, without commas or quotes, got {label!r}")
    share = f.get(raw, "min_share", "not_observed", float, required=False, default=NotObserved.min_share)
    if not 0 < share <= 1:
        f.problem(raw, "min_share", "not_observed.min_share", f"expected a fraction above 0, at most 1, got {share!r}")
    return NotObserved(label, float(share))


def _whole(f: Fields, d: Any, key: str, default: int) -> int:
    """An optional whole number of 1 or more: ``calibration_min_n`` (SEs a calibration figure needs before it is
    flagged), ``candidate_quarters`` (quarters in the top band running that make a promotion candidate)."""
    value = f.get(d, key, "", int, required=False, default=default)
    if value < 1:
        f.problem(d, key, key, f"expected a whole number of 1 or more, got {value!r}")
        return default
    return int(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
