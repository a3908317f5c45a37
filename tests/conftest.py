"""Shared fixtures: the shipped ladder, the example roster, and freshly generated workbooks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ladder_sheets.config import load_ladder, load_roster
from ladder_sheets.model import Ladder, Roster
from ladder_sheets.resources import example_team_path

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
