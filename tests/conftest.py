"""Shared fixtures: the shipped ladder, the example roster, and freshly generated workbooks."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest

from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Manager, ManagerScores, Person, Roster
from ladder_sheets.core.reading import Job
from ladder_sheets.config.resources import example_team_path
from ladder_sheets.xlsx.generate import generate, workbook_path
from tests.support import libreoffice
from tests.support.calc import Calc
from tests.support.fill import random_inputs, write_values
from tests.support.results import find_person
from tests.support.sheetjs import save_as_xlsb

QUARTER = "2026-Q4"
DUE = date(2026, 12, 7)


# Fixtures that start LibreOffice: a test using one (directly or through another fixture) carries the marker.
_LIBREOFFICE_FIXTURES = frozenset({"calc", "returned_xlsb"})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a test that starts LibreOffice without ``@pytest.mark.libreoffice``: through a fixture that
    does (checked here), or through a helper (tests/support/libreoffice.py checks when it is called)."""
    marked = item.get_closest_marker("libreoffice") is not None
    libreoffice.running = (item.nodeid, marked)
    used = _LIBREOFFICE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    if used and not marked:
        pytest.fail(f"{item.nodeid} uses {', '.join(sorted(used))} (LibreOffice) without @pytest.mark.libreoffice",
                    pytrace=False)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    libreoffice.running = None


@pytest.fixture(scope="session")
def ladder() -> Ladder:
    return load_ladder()


@pytest.fixture(scope="session")
def roster(ladder: Ladder) -> Roster:
    """The example roster with its managers scoring in each SE's workbook (``manager_scores: in_workbook``):
    the flow whose manager columns, formulas and returns most tests exercise."""
    return dataclasses.replace(load_roster(example_team_path(), ladder), manager_scores=ManagerScores.IN_WORKBOOK)


@pytest.fixture(scope="session")
def review_roster(ladder: Ladder) -> Roster:
    """The example roster as shipped: managers score in review workbooks of their own."""
    return load_roster(example_team_path(), ladder)


@pytest.fixture(scope="session")
def amara(review_roster: Roster) -> Manager:
    """Amara Okafor, the example roster's first manager: her SEs are on four rubrics, one each."""
    return next(m for m in review_roster.managers if m.id == "mgr-amara")


@pytest.fixture(scope="session")
def job(ladder: Ladder, roster: Roster) -> Job:
    """What collect reads SE workbooks against, for ``roster`` (a test of review or peer workbooks has its own)."""
    return Job(ladder, roster, QUARTER)


@pytest.fixture(scope="session")
def tomas(roster: Roster) -> Person:
    return find_person(roster, "tomas-novak")


@pytest.fixture(scope="session")
def team_path() -> Path:
    return example_team_path()


@pytest.fixture(scope="session")
def in_workbook_team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example roster file with ``manager_scores: in_workbook``, for commands run as a user runs them."""
    text = example_team_path().read_text(encoding="utf-8").replace("manager_scores: review", "manager_scores: in_workbook")
    assert "manager_scores: in_workbook" in text
    path = tmp_path_factory.mktemp("team") / "team-in-workbook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


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


class Returned(NamedTuple):
    """One workbook as returned: filled, edited and saved in LibreOffice as .xlsx, then saved as .xlsb."""

    person: str  # the person's id
    edited: dict[str, str]  # the edited cells of its Scorecard: {"error": ref, "overwritten": ref}
    xlsx: Path
    xlsb: Path  # every cell with its column, as Excel lays an .xlsb out
    short: Path  # as SheetJS writes it: cells after the first of a row without their column


@pytest.fixture(scope="session")
def returned_xlsb(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster, calc: Calc) -> Returned:
    """Tomáš Novák's workbook from today's ladder and layout, filled; in LibreOffice, an error value
    typed into an evidence cell and a formula typed over with a constant; saved as .xlsx and .xlsb.

    Built at test time (LibreOffice cannot save .xlsb; SheetJS does: tests/support/sheetjs.py), so
    it stays a workbook of the current template version whatever the ladder or layout becomes.
    """
    tmp = tmp_path_factory.mktemp("xlsb")
    person = find_person(roster, "tomas-novak")
    generate(ladder, roster, QUARTER, tmp / "generated", due=DUE, jobs=1)
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    rubric = ladder.rubric_for(person.target_level)
    _, values = random_inputs(ladder, rubric, random.Random(24), level=person.level)
    filled = write_values(workbook_path(tmp / "generated" / QUARTER, person), wl, values, tmp / "filled.xlsx")
    cells = wl.by_key()
    first, second = rubric.criteria[0], rubric.criteria[1]
    evidence, points = cells[f"criteria.{second.id}.evidence"], cells[f"criteria.{first.id}.manager_points"]
    over = ladder.scale.max * first.weight + 1  # more than the formula can give: the edit always shows
    # The evidence cell set back to General first: a cell formatted as text keeps "=TBD" as typed.
    edits = [{"op": "general", "sheet": evidence[0].title, "cell": evidence[1].ref},
             {"op": "type", "sheet": evidence[0].title, "cell": evidence[1].ref, "text": "=TBD"},
             {"op": "unprotect"},
             {"op": "type", "sheet": points[0].title, "cell": points[1].ref, "text": f"{over:g}"}]
    xlsx = tmp / f"{person.id}.xlsx"
    calc.apply(filled, edits, xlsx)
    edited = {"error": evidence[1].ref, "overwritten": points[1].ref}
    return Returned(person.id, edited, xlsx, save_as_xlsb(xlsx, tmp / f"{person.id}.xlsb"),
                    save_as_xlsb(xlsx, tmp / f"{person.id}-sheetjs.xlsb", short=True))
