"""Cell values: what RAW / USER_ENTERED input becomes, how values render, which strict rules refuse them.

The stand-in never evaluates formulas: a formula cell's effective value is whatever a
test set for it (``GoogleStandIn.set_effective``), or empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .errors import bad_request

MAX_CELL_CHARS = 50_000
_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DECIMALS_PATTERN = re.compile(r"[#,]*0(\.(0+))?(%?)")

Extended = dict[str, Any]  # an ExtendedValue: exactly one of numberValue/stringValue/boolValue/formulaValue


def from_input(value: Any, option: str, where: str) -> Extended | None:
    """The userEnteredValue a values write stores; None clears the cell ("" is empty, like Google).

    ``where`` (e.g. ``data[0].values[1][2]``) names the position in errors.
    """
    if isinstance(value, (list, dict)):
        raise bad_request(f"Invalid {where}: {'list_value' if isinstance(value, list) else 'struct_value'} "
                          f"{json.dumps(value)}")
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise bad_request(f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell.")
    if value == "":
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    return _user_entered(value) if option == "USER_ENTERED" else {"stringValue": value}


def _user_entered(text: str) -> Extended:
    """As if typed in the UI: =formula, 'forced text, numbers, TRUE/FALSE; anything else is text.

    Dates, currencies and percentages stay text here (the real service parses them by locale).
    """
    if text.startswith("="):
        return {"formulaValue": text}
    if text.startswith("'"):
        return {"stringValue": text[1:]}
    stripped = text.strip()
    if _NUMBER_TEXT.fullmatch(stripped):
        number = float(stripped)
        return {"numberValue": int(number) if number.is_integer() and "e" not in stripped.lower() else number}
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}
    return {"stringValue": text}


def effective(cell: dict[str, Any]) -> Extended | None:
    """What the cell shows: its typed value, or for a formula the value a test set (else empty)."""
    entered = cell.get("userEnteredValue")
    if entered is None:
        return None
    if "formulaValue" in entered:
        override = cell.get("effectiveValue")
        return dict(override) if override else None
    return dict(entered)


def scalar(value: Extended | None) -> Any:
    """The JSON scalar inside an ExtendedValue (None when empty)."""
    if not value:
        return None
    return next(iter(value.values()))


def formatted(value: Extended | None, number_format: dict[str, Any] | None = None) -> str:
    """formattedValue: numbers per a simple ``0.00`` / ``0%`` pattern or Sheets' General format."""
    raw = scalar(value)
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, (int, float)):
        return _number_text(float(raw), (number_format or {}).get("pattern", ""))
    return str(raw)


def _number_text(number: float, pattern: str) -> str:
    match = _DECIMALS_PATTERN.fullmatch(pattern) if pattern else None
    if match:
        places = len(match.group(2) or "")
        percent = match.group(3) == "%"
        text = f"{number * 100 if percent else number:,.{places}f}"
        return (text if "," in pattern else text.replace(",", "")) + ("%" if percent else "")
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.10f}".rstrip("0").rstrip(".") if abs(number) >= 1e-10 else f"{number:.2E}"


def rendered(cell: dict[str, Any], option: str) -> Any:
    """One cell of a values read for valueRenderOption ``option``; None when empty."""
    entered = cell.get("userEnteredValue") or {}
    if option == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    value = effective(cell)
    if option == "FORMATTED_VALUE":
        text = formatted(value, (cell.get("userEnteredFormat") or {}).get("numberFormat"))
        return text if value is not None else None
    raw = scalar(value)
    return int(raw) if isinstance(raw, float) and raw.is_integer() else raw


def for_json(value: Extended | None) -> Extended | None:
    """Whole numbers go out as JSON integers, as Google's serializer writes doubles."""
    if value and isinstance(value.get("numberValue"), float) and value["numberValue"].is_integer():
        return {"numberValue": int(value["numberValue"])}
    return value


# ---- strict data validation ---------------------------------------------------------------------

_NUMBER_TESTS: dict[str, Callable[[float, list[float]], bool]] = {
    "NUMBER_GREATER": lambda x, v: x > v[0],
    "NUMBER_GREATER_THAN_EQ": lambda x, v: x >= v[0],
    "NUMBER_LESS": lambda x, v: x < v[0],
    "NUMBER_LESS_THAN_EQ": lambda x, v: x <= v[0],
    "NUMBER_EQ": lambda x, v: x == v[0],
    "NUMBER_NOT_EQ": lambda x, v: x != v[0],
    "NUMBER_BETWEEN": lambda x, v: min(v[:2]) <= x <= max(v[:2]),
    "NUMBER_NOT_BETWEEN": lambda x, v: not min(v[:2]) <= x <= max(v[:2]),
}


def violates(rule: dict[str, Any] | None, value: Extended | None,
             range_values: Callable[[str], list[str]]) -> bool:
    """True when a *strict* rule refuses ``value``; formulas and clears always pass.

    Enforced: ONE_OF_LIST, ONE_OF_RANGE (``range_values`` reads the list), the NUMBER_*
    comparisons, BOOLEAN, TEXT_EQ/TEXT_CONTAINS/TEXT_NOT_CONTAINS. Other conditions (dates,
    custom formulas) are stored but not enforced.
    """
    if not rule or not rule.get("strict") or value is None or "formulaValue" in value:
        return False
    condition = rule.get("condition") or {}
    kind = condition.get("type", "")
    given = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
    text = formatted(value)
    if kind == "ONE_OF_LIST":
        return text not in given
    if kind == "ONE_OF_RANGE":
        return bool(given) and text not in range_values(given[0].lstrip("="))
    if kind in _NUMBER_TESTS:
        return _number_violates(kind, value, given)
    if kind == "BOOLEAN":
        return ("boolValue" not in value) if not given else text not in given
    text_tests: dict[str, Callable[[], bool]] = {
        "TEXT_EQ": lambda: text != given[0],
        "TEXT_CONTAINS": lambda: given[0] not in text,
        "TEXT_NOT_CONTAINS": lambda: given[0] in text,
    }
    return bool(given) and kind in text_tests and text_tests[kind]()


def _number_violates(kind: str, value: Extended, given: list[str]) -> bool:
    if any(g.startswith("=") for g in given):
        return False  # bounds given as formulas are not evaluated
    try:
        bounds = [float(g) for g in given]
    except ValueError:
        return False
    number = value.get("numberValue")
    return not isinstance(number, (int, float)) or isinstance(number, bool) or not _NUMBER_TESTS[kind](
        float(number), bounds)
