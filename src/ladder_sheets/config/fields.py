"""Typed access to parsed YAML that records located problems: shared by the ladder and roster loaders."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from . import yamlsource
from ..core.errors import ProblemCollector

T = TypeVar("T")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ID_EXPECTED = "expected letters, digits, '.', '_' or '-' (max 64)"
# Characters XML 1.0 forbids: a workbook holding one is corrupt (YAML's "\a" escape or a CSV cell can carry them).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
# Excel caps an inline dropdown list at 255 characters; commas separate its items.
DROPDOWN_LIMIT = 255


class Fields:
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
        if not isinstance(value, kind):
            self.problem(m, key, f"{path}.{key}" if path else key, f"expected {kind_name(kind)}, got {value!r}")
            return default
        if isinstance(value, str):
            if CONTROL.search(value):  # the common case, clean text, costs one search
                self.problem(m, key, f"{path}.{key}" if path else key, control_problem(value))
            return value.strip()
        return value

    def texts(self, m: Any, key: str, path: str) -> tuple[str, ...]:
        """An optional list of non-empty strings under ``key`` (each located when it is not one)."""
        seq = self.get(m, key, path, list, required=False, default=[])
        out = []
        for i, item in enumerate(seq):
            where = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.problem(seq, None, where, f"expected text, got {item!r}")
            elif control_problem(item):
                self.problem(seq, None, where, control_problem(item))
            else:
                out.append(item.strip())
        return tuple(out)

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


def control_problem(text: str) -> str:
    """Why ``text`` cannot go into a workbook, or "" when it can."""
    found = CONTROL.search(text)
    return f"contains the control character U+{ord(found.group()):04X}, which a workbook cannot hold" if found else ""


def kind_name(kind: type) -> str:
    return {str: "text", float: "a number", int: "a whole number", list: "a list", dict: "a mapping"}.get(
        kind, kind.__name__
    )


def listed(values: Iterable[str]) -> str:
    """Known values as the roster's messages list them: ``a, b, c``."""
    return ", ".join(sorted(values))


def unique(f: Fields, entries: Iterable[tuple[str, Any, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for path, container, value in entries:
        key = value.lower() if what == "email" else value
        if key in seen:
            f.problem(container, None, path, f"duplicate {what} {value!r} (first at {seen[key]})")
        else:
            seen[key] = path


def checked_id(f: Fields, m: Any, path: str) -> str:
    value = f.get(m, "id", path, str, default="")
    if value and not ID.match(value):
        f.problem(m, "id", f"{path}.id", f"{ID_EXPECTED}, got {value!r}")
    return str(value)
