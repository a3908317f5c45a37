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


def months_in(since: str, quarter: str) -> int | None:
    """Whole months from ``since`` ("2024-07-01" or "2024-07") to the end of ``quarter``; None when either
    cannot be read. Negative when ``since`` is after the quarter."""
    try:
        year, q = parse(quarter)
        parts = [int(x) for x in since.split("-")]
        start = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)  # the day after the quarter ends
    if start >= end:
        return -1
    return (end.year - start.year) * 12 + end.month - start.month - (1 if start.day > end.day else 0)


def in_level(since: str, quarter: str) -> str:
    """"2 years 6 months in level by the end of 2026-Q4 (since 2024-07)"; "" when ``since`` is unknown."""
    months = months_in(since, quarter) if since else None
    if months is None:
        return ""
    if months < 0:
        return f"since {since}, after {quarter}: check the roster"
    years, rest = divmod(months, 12)
    said = " ".join(x for x in (f"{years} year{'s' * (years != 1)}" if years else "",
                                f"{rest} month{'s' * (rest != 1)}" if rest or not years else "") if x)
    return f"{said} in level by the end of {quarter} (since {since})"
