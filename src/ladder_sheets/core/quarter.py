"""Quarters as people write them: ``2026-Q4``."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .errors import ConfigError

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse(text: str) -> tuple[int, int]:
    """``"2026-Q4"`` -> ``(2026, 4)``; ValueError with the expected form otherwise."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise ValueError(f"expected a quarter like 2026-Q4, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def checked(text: str) -> str:
    """``text`` when it is a quarter like ``2026-Q4``, else a ConfigError naming ``--quarter``.

    One message for every command that takes a quarter, and a usage error (exit 2).
    """
    try:
        parse(text)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    return text


def previous(text: str) -> str:
    year, q = parse(text)
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


def default_due(today: date) -> date:
    """Two weeks from today: enough time to gather evidence, short enough to keep momentum."""
    return today + timedelta(days=14)
