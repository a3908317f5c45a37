"""Team rosters (YAML, or CSV with one row per SE) in, validated model out, checked against the ladder."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import yamlsource
from ..core.errors import ConfigError, ProblemCollector
from .fields import EMAIL, ID, ID_EXPECTED, Fields, checked_id, control_problem, unique
from .peers import check_raters, csv_raters, yaml_raters
from ..core.model import Ladder, Manager, ManagerScores, Person, Roster


def load_roster(path: Path, ladder: Ladder) -> Roster:
    """Read a team roster (YAML, or CSV with one row per SE) and check it against the ladder."""
    collector = ProblemCollector(str(path))
    f = Fields(collector)
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


def _roster_from_yaml(f: Fields, d: Any, ladder: Ladder) -> Roster:
    m_entries = f.items(d, "managers", "")
    managers = [
        Manager(checked_id(f, m, p), f.get(m, "name", p, str, default=""), _email(f, m, p),
                f.get(m, "team", p, str, default=""), _email(f, m, p, "return_to"))
        for p, m in m_entries
    ]
    p_entries = f.items(d, "people", "")
    people = [
        Person(checked_id(f, x, p), f.get(x, "name", p, str, default=""), _email(f, x, p),
               f.get(x, "level", p, str, default=""), f.get(x, "target_level", p, str, default=""),
               f.get(x, "manager", p, str, default=""),
               f.get(x, "asking_for_move", p, bool, required=False, default=None),  # yes / no / absent
               yaml_raters(f, x, p), _since_yaml(f, x, p))
        for p, x in p_entries
    ]
    leadership = f.get(d, "leadership", "", list, required=False, default=[])
    for i, email in enumerate(leadership):
        if not isinstance(email, str) or not EMAIL.match(email):
            f.problem(leadership, None, f"leadership[{i}]", f"expected an email address, got {email!r}")
    unique(f, [(p, m, m.get("id")) for p, m in m_entries if isinstance(m.get("id"), str)], "manager id")
    unique(f, [(p, m, m.get("email")) for p, m in m_entries if isinstance(m.get("email"), str)], "email")
    unique(f, [(p, x, x.get("id")) for p, x in p_entries if isinstance(x.get("id"), str)], "person id")
    unique(f, [(p, x, x.get("email")) for p, x in p_entries if isinstance(x.get("email"), str)], "email")
    if not people:
        f.problem(d, "people", "people", "expected at least one person")
    roster = Roster(str(f.get(d, "org", "", str, required=False, default="")), tuple(managers), tuple(people),
                    tuple(e for e in leadership if isinstance(e, str)), _email(f, d, "", "return_to"),
                    _manager_scores(f, d))
    raw_by_id = {x.get("id"): (p, x) for p, x in p_entries}
    _cross_check(roster, ladder, lambda pid: raw_by_id.get(pid, ("people", d)), f)
    check_raters(f, roster.people, lambda pid, i: _rater_at(raw_by_id.get(pid, ("people", d)), i))
    return roster


def _rater_at(entry: tuple[str, Any], i: int) -> tuple[str, Any]:
    """Where a YAML person's ``i``-th rater is written: its path and mapping."""
    path, raw = entry
    raters = raw.get("raters") if isinstance(raw, dict) else None
    item = raters[i] if isinstance(raters, list) and i < len(raters) else None
    return f"{path}.raters[{i}]", item


def _manager_scores(f: Fields, d: Any) -> ManagerScores:
    """``manager_scores: review`` (the default: managers score in a review workbook of their own) or
    ``in_workbook`` (they score in each SE's workbook)."""
    value = str(f.get(d, "manager_scores", "", str, required=False, default=ManagerScores.REVIEW.value))
    known = [m.value for m in ManagerScores]
    if value not in known:
        f.problem(d, "manager_scores", "manager_scores", f"expected one of {', '.join(known)}, got {value!r}")
        return ManagerScores.REVIEW
    return ManagerScores(value)


def _email(f: Fields, m: Any, path: str, key: str = "email") -> str:
    """The email address under ``key`` (required for ``email``, optional otherwise)."""
    value = str(f.get(m, key, path, str, required=key == "email", default=""))
    if value and not EMAIL.match(value):
        where = f"{path}.{key}" if path else key
        f.problem(m, key, where, f"expected an email address, got {value!r}")
    return value


_SINCE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_SINCE_EXPECTED = "expected the date they reached their level, e.g. 2024-07-01 or 2024-07"


def since_problem(text: str) -> str:
    """Why ``text`` is not a valid ``in_level_since`` ("" when it is one, or empty)."""
    match = _SINCE.match(text)
    if not text:
        return ""
    if not match:
        return f"{_SINCE_EXPECTED}, got {text!r}"
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return f"{_SINCE_EXPECTED}, got {text!r} (no such date)"
    return ""


def _since_yaml(f: Fields, x: Any, path: str) -> str:
    """``in_level_since`` of a person: a YAML date (2024-07-01) or text like 2024-07; "" when absent."""
    value = x.get("in_level_since") if isinstance(x, dict) else None
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else str(value).strip()
    problem = since_problem(text) if isinstance(value, (str, date)) and not isinstance(value, datetime) else \
        f"{_SINCE_EXPECTED}, got {value!r}"
    if problem:
        f.problem(x, "in_level_since", f"{path}.in_level_since", problem)
        return ""
    return text


_CSV_COLUMNS = ("id", "name", "email", "level", "target_level", "manager_id", "manager_name", "manager_email", "team")
# asking_for_move: yes, no or empty (the SE answers in the workbook); raters: see peers.csv_raters;
# in_level_since: a date, or empty.
_CSV_OPTIONAL = ("asking_for_move", "raters", "in_level_since")
_YES_NO = {"yes": True, "no": False, "": None}


def _roster_from_csv(path: Path, f: Fields, ladder: Ladder) -> Roster:
    """One SE per row; a manager's details repeat on each of their SEs' rows and must agree."""
    managers: dict[str, Manager] = {}
    people = []
    for n, values in enumerate(_csv_rows(path), start=2):
        where = f"line {n}"
        _check_csv_row(f, where, values)
        mid = values["manager_id"]
        manager = Manager(mid, values["manager_name"], values["manager_email"], values["team"])
        if mid in managers and managers[mid] != manager:
            f.c.add(where, f"manager {mid!r} has different details than on an earlier line")
        managers.setdefault(mid, manager)
        people.append(Person(values["id"], values["name"], values["email"], values["level"],
                             values["target_level"], mid, _YES_NO.get(values["asking_for_move"].lower()),
                             csv_raters(f, where, values["raters"]),
                             "" if since_problem(values["in_level_since"]) else values["in_level_since"]))
    roster = Roster("", tuple(managers.values()), tuple(people))
    _csv_duplicates(f, people)
    lines = {p.id: n for n, p in enumerate(people, start=2)}
    _cross_check(roster, ladder, lambda pid: (f"line {lines.get(pid, 0)}", None), f)
    check_raters(f, people, lambda pid, i: (f"line {lines.get(pid, 0)}", None))
    return roster


def _csv_rows(path: Path) -> list[dict[str, str]]:
    """Every row's value of each column, stripped ("" when empty); raises ConfigError for a missing column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
            header = list(rows[0].keys()) if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: cannot read CSV roster: {exc}") from exc
    missing = [c for c in _CSV_COLUMNS if c not in header]
    if missing:
        raise ConfigError(f"{path}: line 1: missing column(s) {', '.join(missing)} (expected: {', '.join(_CSV_COLUMNS)})")
    return [{k: (row.get(k) or "").strip() for k in (*_CSV_COLUMNS, *_CSV_OPTIONAL)} for row in rows]


def _check_csv_row(f: Fields, where: str, values: dict[str, str]) -> None:
    """Required columns present, no control characters, ids that can name files, email addresses."""
    for key in ("id", "name", "email", "level", "target_level", "manager_id"):
        if not values[key]:
            f.c.add(where, f"{key} is required")
    for key in _CSV_COLUMNS:
        if control_problem(values[key]):
            f.c.add(where, f"{key}: {control_problem(values[key])}")
    for key in ("id", "manager_id"):  # ids name files: never a path
        if values[key] and not ID.match(values[key]):
            f.c.add(where, f"{key}: {ID_EXPECTED}, got {values[key]!r}")
    for key in ("email", "manager_email"):
        if values[key] and not EMAIL.match(values[key]):
            f.c.add(where, f"{key}: expected an email address, got {values[key]!r}")
    if since_problem(values["in_level_since"]):
        f.c.add(where, f"in_level_since: {since_problem(values['in_level_since'])}")
    if values["asking_for_move"].lower() not in _YES_NO:
        f.c.add(where, f"asking_for_move: expected yes, no or nothing, got {values['asking_for_move']!r}")


def _csv_duplicates(f: Fields, people: list[Person]) -> None:
    """A person id or email on two rows, each named by both lines."""
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for n, person in enumerate(people, start=2):
        checks = ((seen_ids, person.id, person.id, "person id"), (seen_emails, person.email.lower(), person.email, "email"))
        for seen, key, shown, what in checks:  # shown as written, so it can be found in the file
            if key and key in seen:
                f.c.add(f"line {n}", f"duplicate {what} {shown!r} (first on line {seen[key]})")
            seen.setdefault(key, n)


def _cross_check(roster: Roster, ladder: Ladder, where_of: Callable[[str], tuple[str, Any]], f: Fields) -> None:
    """Managers must exist; levels must exist; the target must be the level itself or a promotion from it."""
    manager_ids = {m.id for m in roster.managers}
    known = {lv.id: lv for lv in ladder.levels}
    for person in roster.people:
        path, raw = where_of(person.id)
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
        elif target not in ladder.rubrics and level is not None and target == level.id:
            # Growing at level is scored on the level's own rubric: say which one is missing.
            _report(f, raw, "target_level", path, f"the ladder has no rubric for growing at {target!r} "
                    f"(add rubrics.{target}, or target a promotion: {', '.join(level.promotes_to) or 'none'})")
        elif target not in ladder.rubrics:
            _report(f, raw, "target_level", path, f"the ladder has no rubric for {target!r}")
        elif level is not None and target != level.id and target not in level.promotes_to:
            allowed = ", ".join([level.id, *level.promotes_to])
            _report(f, raw, "target_level", path, f"{target!r} is not reachable from {level.id!r} (expected one of: {allowed})")
        if person.asking_for_move and target == person.level:
            _report(f, raw, "asking_for_move", path, f"growing at {target!r} asks for no move: expected no, or a "
                    "target above the current level")


def _report(f: Fields, raw: Any, key: str, path: str, message: str) -> None:
    if isinstance(raw, dict):
        f.problem(raw, key, f"{path}.{key}", message)
    else:
        f.c.add(f"{path}: {key}", message)
