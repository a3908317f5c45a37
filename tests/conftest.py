"""Shared fixtures: the shipped ladder, the example roster, and freshly generated workbooks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.config.resources import example_team_path
from tests.support.calc import Calc

QUARTER = "2026-Q4"
DUE = date(2026, 12, 7)


@pytest.fixture(scope="session")
def ladder() -> Ladder:
    return load_ladder()


@pytest.fixture(scope="session")
def roster(ladder: Ladder) -> Roster:
    return load_roster(example_team_path(), ladder)


@pytest.fixture(scope="session")
def team_path() -> Path:
    return example_team_path()


@pytest.fixture(autouse=True)
def _history_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands that store history write to a per-test database, never the working directory."""
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("LADDER_SHEETS_DB", str(path))
    return path


@pytest.fixture(scope="session")
def calc() -> Iterator[Calc]:
    """One headless LibreOffice for the whole session, edited through UNO (tests/support/calc.py)."""
    office = Calc()
    try:
        yield office
    finally:
        office.close()
