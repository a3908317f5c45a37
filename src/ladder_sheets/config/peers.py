"""The peer round's settings: the ladder's ``peer_input``, and the raters a roster names for each SE.

A YAML roster lists them per person (``raters: [{name, email, role: ae|peer}]``); a CSV roster in
an optional ``raters`` column, ``ae: Dana Ross <dana.ross@example.com>; peer: Sam Lee <sam@example.com>``.
Every problem is located (``file:line``) like the rest of the roster's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..core.model import Person
from ..core.raters import BLIND_SPOT, Attribution, PeerSettings, Rater, RaterRole
from .fields import EMAIL, Fields, control_problem

ROLES = tuple(r.value for r in RaterRole)
_SETTINGS = ("attribution", "min_raters", "in_readiness", "question")
_CSV_RATER = re.compile(r"^(?P<role>[A-Za-z]+)\s*:\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>$")
CSV_FORM = "role: Name <email>, separated by ';' (role: ae or peer)"


def peer_settings(f: Fields, d: Any) -> PeerSettings:
    """``peer_input: {attribution: anonymous|attributed, min_raters: 3, in_readiness: false, question: ...}``."""
    raw = f.get(d, "peer_input", "", dict, required=False, default=None)
    if raw is None:
        return PeerSettings()
    for extra in sorted(str(k) for k in raw if k not in _SETTINGS):
        f.problem(raw, extra, f"peer_input.{extra}", f"unknown key (expected: {', '.join(_SETTINGS)})")
    shown = str(f.get(raw, "attribution", "peer_input", str, required=False, default=Attribution.ANONYMOUS.value))
    known = [a.value for a in Attribution]
    if shown not in known:
        f.problem(raw, "attribution", "peer_input.attribution", f"expected one of {', '.join(known)}, got {shown!r}")
        shown = Attribution.ANONYMOUS.value
    least = f.get(raw, "min_raters", "peer_input", int, required=False, default=PeerSettings.min_raters)
    if least < 1:
        f.problem(raw, "min_raters", "peer_input.min_raters", f"expected a whole number of 1 or more, got {least!r}")
        least = PeerSettings.min_raters
    question = str(f.get(raw, "question", "peer_input", str, required=False, default=BLIND_SPOT))
    stray = set(re.findall(r"\{([^{}]*)\}", question)) - {"name"}
    if stray or not question:
        f.problem(raw, "question", "peer_input.question",
                  f"expected the question asked of each rater, with {{name}} for the SE's first name at most, "
                  f"got {question!r}")
        question = BLIND_SPOT
    return PeerSettings(Attribution(shown), int(least),
                        bool(f.get(raw, "in_readiness", "peer_input", bool, required=False, default=False)), question)


def yaml_raters(f: Fields, person: Any, path: str) -> tuple[Rater, ...]:
    """A YAML person's ``raters``: each a mapping of name, email and role (ae or peer)."""
    out = []
    for p, r in f.items(person, "raters", path, required=False):
        name = str(f.get(r, "name", p, str, default=""))
        email = str(f.get(r, "email", p, str, default=""))
        if email and not EMAIL.match(email):
            f.problem(r, "email", f"{p}.email", f"expected an email address, got {email!r}")
        role = str(f.get(r, "role", p, str, default=RaterRole.AE.value))
        if role not in ROLES:
            f.problem(r, "role", f"{p}.role", f"expected one of {', '.join(ROLES)}, got {role!r}")
            role = RaterRole.AE.value
        out.append(Rater(name, email, RaterRole(role)))
    return tuple(out)


def csv_raters(f: Fields, where: str, text: str) -> tuple[Rater, ...]:
    """A CSV row's ``raters`` cell: ``ae: Dana Ross <dana.ross@example.com>; peer: ...`` (empty: none)."""
    out = []
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        found = _CSV_RATER.match(item)
        if found is None:
            f.c.add(where, f"raters: expected {CSV_FORM}, got {item!r}")
            continue
        role, name, email = found.group("role").lower(), found.group("name"), found.group("email").strip()
        problems = [f"expected the role ae or peer, got {found.group('role')!r}" if role not in ROLES else "",
                    "the rater's name is missing" if not name else control_problem(name),
                    f"expected an email address, got {email!r}" if not EMAIL.match(email) else ""]
        for problem in filter(None, problems):
            f.c.add(where, f"raters: {item!r}: {problem}")
        if role in ROLES:
            out.append(Rater(name, email, RaterRole(role)))
    return tuple(out)


def check_raters(f: Fields, people: Iterable[Person], where_of: Any) -> None:
    """Nobody rates themself or is named twice for one SE; one address keeps one name across SEs.

    ``where_of(person_id, index)`` gives (path, raw mapping or None) to locate each rater.
    """
    names: dict[str, tuple[str, str]] = {}  # rater key -> (name, where first named)
    for person in people:
        seen: set[str] = set()
        for i, rater in enumerate(person.raters):
            path, raw = where_of(person.id, i)
            key = rater.key
            if not key:
                continue
            if key == person.email.lower():
                _say(f, raw, path, f"{rater.email} is {person.name}'s own address: nobody rates themself")
            elif key in seen:
                _say(f, raw, path, f"{rater.email} is named twice as a rater of {person.name}")
            seen.add(key)
            first = names.setdefault(key, (rater.name, path))
            if first[0] != rater.name:
                _say(f, raw, path, f"{rater.email} is named {rater.name!r} here and {first[0]!r} at {first[1]}: "
                                   "one rater, one name (they get one workbook)")


def _say(f: Fields, raw: Any, path: str, message: str) -> None:
    if isinstance(raw, dict):
        f.problem(raw, "email", f"{path}.email", message)
    else:
        f.c.add(path, f"raters: {message}")
