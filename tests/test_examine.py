"""core.examine: one returned workbook judged in memory (tests/support/books.py), and one result per person.

What a person running collect sees for a workbook: whose it is, the problems it has (each naming
the sheet and cell), the inputs and scores read; and, over many files, which of a person's
workbooks is used and what is said of the others. test_collect does the same through real files
and LibreOffice; here every case is a grid of values, so each runs in milliseconds.
"""

from __future__ import annotations

import pytest

from ladder_sheets.core.examine import examine
from ladder_sheets.core.inputs import RawValue
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.core.reading import Job
from ladder_sheets.core.results import Kind
from tests.conftest import QUARTER
from tests.support.books import Book, Grid, laid_out

FILE = "tomas-novak.xlsx"
READOUT = "Promotion read-out"


@pytest.fixture(scope="module")
def job(ladder: Ladder, roster: Roster) -> Job:
    return Job(ladder, roster, QUARTER)


@pytest.fixture(scope="module")
def tomas(roster: Roster) -> Person:
    return next(p for p in roster.people if p.id == "tomas-novak")


def _grids(job: Job, person: Person, values: dict[str, RawValue] | None = None) -> dict[str, Grid]:
    return laid_out(job.shape_for(person).layout, values)


def test_a_labelled_row_deleted_is_not_read_from_the_row_that_took_its_place(job: Job, tomas: Person) -> None:
    """The asking question's row deleted: the talk track moves up into its place, and is not read as the answer
    to the question (that row is said to be gone, and its cell is not read)."""
    grids = _grids(job, tomas, {"readout.text": "Ready to lead the APAC team", "move.asking": "No"})
    asking = next(r for r, line in enumerate(grids[READOUT]) if any("asking for a new role" in str(v) for v in line))
    del grids[READOUT][asking]
    outcome = examine(job, Book(grids), FILE, 0.0)
    on_readout = [(p.kind, p.message) for p in outcome.problems if p.sheet == READOUT]
    assert (Kind.SHIFTED_ROWS, "row 'Are you asking for a new role or title this quarter?' not found (deleted?); "
            "its cells are not read") in on_readout
    assert not any("APAC" in message for _, message in on_readout), on_readout
    assert outcome.inputs is not None and not outcome.inputs.asking_for_move
