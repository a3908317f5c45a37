"""Ladder definitions and rosters in, validated model out.

Every problem is collected (with ``file:line: key.path: what was expected``) before a
single ConfigError is raised, so a user fixes them all in one pass.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from . import yamlsource
from .errors import ConfigError, ProblemCollector
from .model import (
    Band,
    Comparator,
    Criterion,
    FieldKind,
    Ladder,
    Level,
    Manager,
    Metric,
    Person,
    Pivot,
    Readout,
    ReadoutField,
    Roster,
    Rubric,
    Scale,
    SkillGroup,
    Track,
)
from .resources import default_ladder_path
from .scoring import template_segments

T = TypeVar("T")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ID_EXPECTED = "expected letters, digits, '.', '_' or '-' (max 64)"
# Characters XML 1.0 forbids: a workbook holding one is corrupt (YAML's "\a" escape or a CSV cell can carry them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
# Excel caps an inline dropdown list at 255 characters; commas separate its items.
_DROPDOWN_LIMIT = 255


class _Fields:
    """Typed access to parsed YAML that records a located problem instead of raising."""

    def __init__(self, collector: ProblemCollector) -> None:
        self.c = collector

    def problem(self, container: Any, key: Any, path: str, message: str) -> None:
        line = yamlsource.line_of(container, key)
        self.c.add(f"line {line}: {path}" if line else path, message)

    def get(self, m: Any, key: str, path: str, kind: type[T], *, required: bool = True, default: Any = None) -> Any:
        if not isinstance(m, dict):
            return default
        if key not in m or m[key] is None:
            if required:
                self.problem(m, None, f"{path}.{key}" if path else key, "is required")
            return default
        value = m[key]
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, bool):
            value = None
        where = f"{path}.{key}" if path else key
        if not isinstance(value, kind):
            self.problem(m, key, where, f"expected {_kind_name(kind)}, got {value!r}")
            return default
        if isinstance(value, str) and _control(value):
            self.problem(m, key, where, _control(value))
        return value.strip() if isinstance(value, str) else value

    def items(self, m: Any, key: str, path: str, *, required: bool = True) -> list[tuple[str, Any]]:
        """A list under ``key`` as (path, item) pairs, every item a mapping."""
        seq = self.get(m, key, path, list, required=required, default=[])
        out = []
        for i, item in enumerate(seq):
            item_path = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
            if isinstance(item, dict):
                out.append((item_path, item))
            else:
                self.problem(seq, None, item_path, f"expected a mapping, got {item!r}")
        return out


def _control(text: str) -> str:
    """Why ``text`` cannot go into a workbook, or "" when it can."""
    found = _CONTROL.search(text)
    return f"contains the control character U+{ord(found.group()):04X}, which a workbook cannot hold" if found else ""


def _kind_name(kind: type) -> str:
    return {str: "text", float: "a number", int: "a whole number", list: "a list", dict: "a mapping"}.get(
        kind, kind.__name__
    )


def _listed(values: Iterable[str]) -> str:
    """Known values as the roster's messages list them: ``a, b, c``."""
    return ", ".join(sorted(values))


def _unique(f: _Fields, entries: Iterable[tuple[str, Any, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for path, container, value in entries:
        key = value.lower() if what == "email" else value
        if key in seen:
            f.problem(container, None, path, f"duplicate {what} {value!r} (first at {seen[key]})")
        else:
            seen[key] = path


# ---- ladder --------------------------------------------------------------------------


def load_ladder(path: Path | None = None) -> Ladder:
    """Read and validate a ladder definition (the shipped default when ``path`` is None)."""
    path = path or default_ladder_path()
    data = yamlsource.load(path)
    collector = ProblemCollector(str(path))
    if not isinstance(data, dict):
        collector.add("", "expected a mapping of ladder settings at the top level")
        collector.raise_if_any()
    ladder = _build_ladder(_Fields(collector), data)
    collector.raise_if_any()
    assert ladder is not None
    return ladder


def _build_ladder(f: _Fields, d: Any) -> Ladder | None:
    levels = _levels(f, d)
    skill_groups = [
        SkillGroup(f.get(g, "id", p, str, default=""), f.get(g, "name", p, str, default=""),
                   f.get(g, "description", p, str, default=""))
        for p, g in f.items(d, "skill_groups", "")
    ]
    level_ids = {lv.id for lv in levels}
    rubrics = _rubrics(f, d, level_ids, {g.id for g in skill_groups})
    for level in levels:
        for target in level.promotes_to:
            if target in level_ids and target not in rubrics:
                f.problem(d, "rubrics", "rubrics", f"missing rubric for promotion target {target!r} (from {level.id!r})")
    track_options = _dropdown(f, d, "track_options")
    ladder = Ladder(
        id=f.get(d, "id", "", str, default=""),
        name=f.get(d, "name", "", str, default=""),
        version=str(f.get(d, "version", "", (str, int, float), default="")),  # type: ignore[arg-type]
        scale=_scale(f, d),
        bands=_bands(f, d),
        calibration_alert=_fraction(f, d, "calibration_alert"),
        levels=tuple(levels),
        rubrics=rubrics,
        metrics=_metrics(f, d),
        pivots=_pivots(f, d),
        track_options=tuple(track_options),
        readout=_readout(f, d),
        skill_groups=tuple(skill_groups),
    )
    _unique(f, [(p, g, g["id"]) for p, g in f.items(d, "skill_groups", "", required=False) if "id" in g], "id")
    if sum(len(lv.name) + 1 for lv in levels) > _DROPDOWN_LIMIT:
        f.problem(d, "levels", "levels", f"level names together exceed {_DROPDOWN_LIMIT} characters (dropdown limit)")
    return ladder


def _dropdown(f: _Fields, d: Any, key: str) -> list[str]:
    values = f.get(d, key, "", list, default=[])
    out = []
    for i, v in enumerate(values):
        if not isinstance(v, str) or not v.strip() or "," in v or '"' in v:
            f.problem(values, None, f"{key}[{i}]", f"expected text without commas or quotes, got {v!r}")
        else:
            out.append(v.strip())
    if not out and values is not None:
        f.problem(d, key, key, "expected at least one option")
    return out


def _fraction(f: _Fields, d: Any, key: str, path: str = "") -> float:
    value = f.get(d, key, path, float, default=0.0)
    if not 0 <= value <= 1:
        f.problem(d, key, f"{path}.{key}" if path else key, f"expected a fraction between 0 and 1, got {value!r}")
    return float(value)


def _scale(f: _Fields, d: Any) -> Scale:
    scale = f.get(d, "scale", "", dict, default={})
    labels = f.get(scale, "labels", "scale", list, default=[])
    if not 2 <= len(labels) <= 11 or not all(isinstance(x, str) and x for x in labels):
        f.problem(scale, "labels", "scale.labels", "expected 2 to 11 text labels (labels[score], from 0)")
        labels = ["0", "1", "2", "3"]
    return Scale(tuple(labels))


def _bands(f: _Fields, d: Any) -> tuple[Band, ...]:
    bands = [
        Band(f.get(b, "name", p, str, default="?"), _fraction(f, b, "min", p))
        for p, b in f.items(d, "bands", "")
    ]
    if bands:
        mins = [b.min_pct for b in bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            f.problem(d, "bands", "bands", "expected thresholds from highest to lowest, each different")
        if mins[-1] != 0:
            f.problem(d, "bands", "bands", "expected the last band to start at 0 so every readiness has a band")
        _unique(f, [(f"bands[{i}]", d.get("bands"), b.name) for i, b in enumerate(bands)], "band name")
    else:
        f.problem(d, "bands", "bands", "expected at least one band")
    return tuple(bands)


def _levels(f: _Fields, d: Any) -> list[Level]:
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
            id=_checked_id(f, lv, p), name=name, track=Track(track_text), rank=f.get(lv, "rank", p, int, default=0),
            radius_of_impact=f.get(lv, "radius_of_impact", p, str, default=""),
            summary=f.get(lv, "summary", p, str, required=False, default=""),
            promotes_to=tuple(f.get(lv, "promotes_to", p, list, required=False, default=[])),
        ))
    _unique(f, [(p, lv, lv.get("id")) for p, lv in entries if isinstance(lv.get("id"), str)], "level id")
    known = {lv.id for lv in levels}
    for (p, raw), level in zip(entries, levels):
        for target in level.promotes_to:
            if target not in known:
                f.problem(raw, "promotes_to", f"{p}.promotes_to", f"unknown level {target!r} (known: {_listed(known)})")
    return levels


def _checked_id(f: _Fields, m: Any, path: str) -> str:
    value = f.get(m, "id", path, str, default="")
    if value and not _ID.match(value):
        f.problem(m, "id", f"{path}.id", f"{_ID_EXPECTED}, got {value!r}")
    return str(value)


def _rubrics(f: _Fields, d: Any, level_ids: set[str], groups: set[str]) -> dict[str, Rubric]:
    raw = f.get(d, "rubrics", "", dict, default={})
    rubrics: dict[str, Rubric] = {}
    all_criteria: list[tuple[str, Any, str]] = []
    for target, body in raw.items():
        path = f"rubrics.{target}"
        if target not in level_ids:
            f.problem(raw, target, path, f"unknown level {target!r} (known: {_listed(level_ids)})")
        criteria: list[Criterion] = []
        for cp, comp in f.items(body, "competencies", path):
            comp_name = f.get(comp, "name", cp, str, default="")
            for p, c in f.items(comp, "criteria", cp):
                criteria.append(_criterion(f, c, p, comp_name, groups))
                all_criteria.append((p, c, c.get("id", "")))
        if not criteria:
            f.problem(raw, target, path, "expected at least one criterion")
        rubrics[str(target)] = Rubric(str(target), f.get(body, "title", path, str, default=str(target)), tuple(criteria))
    _unique(f, all_criteria, "criterion id")
    return rubrics


def _criterion(f: _Fields, c: Any, p: str, competency: str, groups: set[str]) -> Criterion:
    weight = f.get(c, "weight", p, float, required=False, default=1.0)
    if not weight > 0:
        f.problem(c, "weight", f"{p}.weight", f"expected a positive number, got {weight!r}")
    group = f.get(c, "skill_group", p, str, required=False, default="")
    if group and group not in groups:
        f.problem(c, "skill_group", f"{p}.skill_group", f"unknown skill group {group!r} (known: {_listed(groups)})")
    return Criterion(_checked_id(f, c, p), competency, f.get(c, "text", p, str, default=""),
                     f.get(c, "anchor", p, str, default=""), weight, group)


def _metrics(f: _Fields, d: Any) -> tuple[Metric, ...]:
    metrics = []
    entries = f.items(d, "metrics", "")
    for p, m in entries:
        comp = str(f.get(m, "comparator", p, str, default=">="))
        if comp not in {c.value for c in Comparator}:
            f.problem(m, "comparator", f"{p}.comparator", f"expected one of >=, <=, >, <; got {comp!r}")
            comp = ">="
        metrics.append(Metric(
            id=_checked_id(f, m, p), name=f.get(m, "name", p, str, default=""),
            benchmark=str(f.get(m, "benchmark", p, (str, int, float), default="")),  # type: ignore[arg-type]
            target=f.get(m, "target", p, float, default=0.0), comparator=Comparator(comp),
            unit=f.get(m, "unit", p, str, default=""), measure_how=f.get(m, "measure_how", p, str, default=""),
            action_if_below=f.get(m, "action_if_below", p, str, default=""),
        ))
    _unique(f, [(p, m, m.get("id")) for p, m in entries if isinstance(m.get("id"), str)], "metric id")
    return tuple(metrics)


def _pivots(f: _Fields, d: Any) -> tuple[Pivot, ...]:
    entries = f.items(d, "pivots", "")
    pivots = tuple(
        Pivot(_checked_id(f, v, p), f.get(v, "name", p, str, default=""),
              f.get(v, "transferable_skills", p, str, default=""), f.get(v, "gap_to_close", p, str, default=""),
              f.get(v, "readiness_signal", p, str, default=""))
        for p, v in entries
    )
    _unique(f, [(p, v, v.get("id")) for p, v in entries if isinstance(v.get("id"), str)], "pivot id")
    return pivots


def _readout(f: _Fields, d: Any) -> Readout:
    body = f.get(d, "readout", "", dict, default={})
    fields = []
    for p, fd in f.items(body, "fields", "readout"):
        kind = str(f.get(fd, "kind", p, str, default="text"))
        if kind not in {k.value for k in FieldKind}:
            f.problem(fd, "kind", f"{p}.kind", f"expected one of {[k.value for k in FieldKind]}, got {kind!r}")
            kind = "text"
        fields.append(ReadoutField(_checked_id(f, fd, p), f.get(fd, "label", p, str, default=""), FieldKind(kind),
                                   f.get(fd, "help", p, str, required=False, default="")))
    template = str(f.get(body, "template", "readout", str, default=""))
    used = [c for k, c in template_segments(template) if k == "field"]
    ids = [x.id for x in fields]
    for name in sorted(set(used) - set(ids)):
        f.problem(body, "template", "readout.template", f"placeholder {{{name}}} is not a read-out field (fields: {', '.join(ids)})")
    for name in [i for i in ids if i not in used]:
        f.problem(body, "template", "readout.template", f"field {name!r} is never used in the template")
    return Readout(tuple(fields), template, f.get(body, "incomplete_text", "readout", str, default=""))


# ---- roster --------------------------------------------------------------------------


def load_roster(path: Path, ladder: Ladder) -> Roster:
    """Read a team roster (YAML, or CSV with one row per SE) and check it against the ladder."""
    collector = ProblemCollector(str(path))
    f = _Fields(collector)
    if path.suffix.lower() == ".csv":
        roster = _roster_from_csv(path, f, ladder)
    else:
        data = yamlsource.load(path)
        if not isinstance(data, dict):
            collector.add("", "expected a mapping with 'managers' and 'people'")
            collector.raise_if_any()
        roster = _roster_from_yaml(f, data, ladder)
    collector.raise_if_any()
    return roster


def _roster_from_yaml(f: _Fields, d: Any, ladder: Ladder) -> Roster:
    m_entries = f.items(d, "managers", "")
    managers = [
        Manager(_checked_id(f, m, p), f.get(m, "name", p, str, default=""), _email(f, m, p),
                f.get(m, "team", p, str, default=""))
        for p, m in m_entries
    ]
    p_entries = f.items(d, "people", "")
    people = [
        Person(_checked_id(f, x, p), f.get(x, "name", p, str, default=""), _email(f, x, p),
               f.get(x, "level", p, str, default=""), f.get(x, "target_level", p, str, default=""),
               f.get(x, "manager", p, str, default=""))
        for p, x in p_entries
    ]
    leadership = f.get(d, "leadership", "", list, required=False, default=[])
    for i, email in enumerate(leadership):
        if not isinstance(email, str) or not _EMAIL.match(email):
            f.problem(leadership, None, f"leadership[{i}]", f"expected an email address, got {email!r}")
    _unique(f, [(p, m, m.get("id")) for p, m in m_entries if isinstance(m.get("id"), str)], "manager id")
    _unique(f, [(p, m, m.get("email")) for p, m in m_entries if isinstance(m.get("email"), str)], "email")
    _unique(f, [(p, x, x.get("id")) for p, x in p_entries if isinstance(x.get("id"), str)], "person id")
    _unique(f, [(p, x, x.get("email")) for p, x in p_entries if isinstance(x.get("email"), str)], "email")
    if not people:
        f.problem(d, "people", "people", "expected at least one person")
    roster = Roster(str(f.get(d, "org", "", str, required=False, default="")), tuple(managers), tuple(people),
                    tuple(e for e in leadership if isinstance(e, str)))
    raw_by_id = {x.get("id"): (p, x) for p, x in p_entries}
    _cross_check(roster, ladder, lambda pid: raw_by_id.get(pid, ("people", d)), f)
    return roster


def _email(f: _Fields, m: Any, path: str) -> str:
    value = str(f.get(m, "email", path, str, default=""))
    if value and not _EMAIL.match(value):
        f.problem(m, "email", f"{path}.email", f"expected an email address, got {value!r}")
    return value


_CSV_COLUMNS = ("id", "name", "email", "level", "target_level", "manager_id", "manager_name", "manager_email", "team")


def _roster_from_csv(path: Path, f: _Fields, ladder: Ladder) -> Roster:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
            header = list(rows[0].keys()) if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: cannot read CSV roster: {exc}") from exc
    missing = [c for c in _CSV_COLUMNS if c not in header]
    if missing:
        raise ConfigError(f"{path}: line 1: missing column(s) {', '.join(missing)} (expected: {', '.join(_CSV_COLUMNS)})")
    managers: dict[str, Manager] = {}
    people = []
    for n, row in enumerate(rows, start=2):
        where = f"line {n}"
        values = {k: (row.get(k) or "").strip() for k in _CSV_COLUMNS}
        for key in ("id", "name", "email", "level", "target_level", "manager_id"):
            if not values[key]:
                f.c.add(where, f"{key} is required")
        for key in _CSV_COLUMNS:
            if _control(values[key]):
                f.c.add(where, f"{key}: {_control(values[key])}")
        for key in ("id", "manager_id"):  # ids name files: never a path
            if values[key] and not _ID.match(values[key]):
                f.c.add(where, f"{key}: {_ID_EXPECTED}, got {values[key]!r}")
        for key in ("email", "manager_email"):
            if values[key] and not _EMAIL.match(values[key]):
                f.c.add(where, f"{key}: expected an email address, got {values[key]!r}")
        mid = values["manager_id"]
        manager = Manager(mid, values["manager_name"], values["manager_email"], values["team"])
        if mid in managers and managers[mid] != manager:
            f.c.add(where, f"manager {mid!r} has different details than on an earlier line")
        managers.setdefault(mid, manager)
        people.append(Person(values["id"], values["name"], values["email"], values["level"],
                             values["target_level"], mid))
    roster = Roster("", tuple(managers.values()), tuple(people))
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for n, person in enumerate(people, start=2):
        checks = ((seen_ids, person.id, person.id, "person id"), (seen_emails, person.email.lower(), person.email, "email"))
        for seen, key, shown, what in checks:  # shown as written, so it can be found in the file
            if key and key in seen:
                f.c.add(f"line {n}", f"duplicate {what} {shown!r} (first on line {seen[key]})")
            seen.setdefault(key, n)
    lines = {p.id: n for n, p in enumerate(people, start=2)}
    _cross_check(roster, ladder, lambda pid: (f"line {lines.get(pid, 0)}", None), f)
    return roster


def _cross_check(roster: Roster, ladder: Ladder, locate: Callable[[str], tuple[str, Any]], f: _Fields) -> None:
    """Managers must exist; levels must exist; the target must be the level itself or a promotion from it."""
    manager_ids = {m.id for m in roster.managers}
    known = {lv.id: lv for lv in ladder.levels}
    for person in roster.people:
        path, raw = locate(person.id)
        if person.manager and person.manager not in manager_ids:
            _report(f, raw, "manager", path, f"unknown manager {person.manager!r} (known: {', '.join(sorted(manager_ids))})")
        level = known.get(person.level)
        if person.level and level is None:
            _report(f, raw, "level", path, f"unknown level {person.level!r} (known: {', '.join(known)})")
        target = person.target_level
        if not target:
            continue
        if target not in known:
            _report(f, raw, "target_level", path, f"unknown level {target!r} (known: {', '.join(known)})")
        elif target not in ladder.rubrics:
            _report(f, raw, "target_level", path, f"the ladder has no rubric for {target!r}")
        elif level is not None and target != level.id and target not in level.promotes_to:
            allowed = ", ".join([level.id, *level.promotes_to])
            _report(f, raw, "target_level", path, f"{target!r} is not reachable from {level.id!r} (expected one of: {allowed})")


def _report(f: _Fields, raw: Any, key: str, path: str, message: str) -> None:
    if isinstance(raw, dict):
        f.problem(raw, key, f"{path}.{key}", message)
    else:
        f.c.add(f"{path}: {key}", message)
