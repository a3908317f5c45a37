"""The history database as the commands use it: store a quarter, show a person, trends, carry forward.

The store itself (SQLite) is ``history.store``; this module adds what the commands need
around it (the default path, the ladder's criterion signatures, the report's formatting)
so that the command line imports no adapter.
"""

from __future__ import annotations

from pathlib import Path

from ..core import quarter as quarters
from ..core import trends as trend
from ..core.committee import Applied
from ..core.errors import ConfigError
from ..core.model import Ladder, Roster
from ..core.results import Results
from ..history import committee
from ..history import store as history


def default_path() -> Path:
    """The history database when none is named: $LADDER_SHEETS_DB, else ./ladder-sheets.sqlite3."""
    return history.default_path()


def store_results(results: Results, db: Path, ladder: Ladder) -> int:
    """Replace ``results.quarter`` in the history with ``results``, with what each criterion meant.

    Returns the number of people stored.
    """
    return history.store(results, db, signatures=trend.signatures(ladder))


def person_history(db: Path, person: str) -> list[str]:
    """The lines of ``ladder-sheets history PERSON``: who, then readiness quarter by quarter.

    Raises ConfigError when there is no database or nothing stored for ``person``.
    """
    from ..report.render import pct, points  # jinja2 comes with it: only for this command

    if not db.exists():
        raise ConfigError(f"{db}: no history database yet (it is written by `collect` and `pull`)")
    rows = history.people(db, person)
    if not rows:
        raise ConfigError(f"{db}: no history for {person!r}")
    lines = [f"{rows[-1].name} ({person}), {rows[-1].team}",
             f"{'quarter':<9} {'self':>5} {'manager':>8} {'gap':>8}  {'band':<12} status"]
    lines += [f"{r.quarter:<9} {pct(r.self_pct):>5} {pct(r.manager_pct):>8} {points(r.calibration_gap):>8}  "
              f"{r.manager_band:<12} {r.status}"
              + (f" (committee agreed {r.agreed_band})" if r.agreed_band and r.agreed_band != r.manager_band else "")
              for r in rows]
    return lines


def trends(db: Path, ladder: Ladder, results: Results, committee: Applied | None = None) -> trend.Trends:
    """The report's trends up to ``results.quarter``, comparing only criteria that kept their meaning.

    The reported quarter counts as ``results`` say, with the committee's agreed bands, whether or
    not it was stored: a report of results collected with --no-db still counts it.
    """
    rows = [r for r in history.people(db) if r.quarter != results.quarter]
    return trend.build(rows + trend.quarter_rows(results, committee), history.criterion_scores(db),
                       latest=results.quarter, band_order=[b.name for b in ladder.bands], scale_max=ladder.scale.max,
                       current=trend.signatures(ladder), top_floor=ladder.bands[0].min_pct)


def decisions(db: Path | None, quarter: str) -> Applied | None:
    """The committee's decisions recorded for ``quarter``, None without any (or without a database)."""
    return committee.decisions(db, quarter) if db is not None else None


def carry_forward(db: Path, roster: Roster, quarter: str) -> tuple[dict[str, dict[str, str | float]], str]:
    """What ``generate --carry-forward`` shows for ``quarter``, and a line saying where it came from.

    Raises ConfigError for a malformed quarter, or when the quarter before is not stored.
    """
    quarters.checked(quarter)
    carry = history.carry_forward(db, quarter, [p.id for p in roster.people])
    found = sum(1 for values in carry.values() if values)
    return carry, f"carrying forward {quarters.previous(quarter)} for {found} of {len(carry)} people from {db}"
