"""Excel's binary workbook (.xlsb) is read like an .xlsx: the same guard, the same edits found, the same numbers.

The fixtures (tests/fixtures/README.md says how each was made): a generated workbook,
filled, calculated and saved by LibreOffice, with an error value typed into an evidence
cell and a formula typed over; the same saved as .xlsb laid out as Excel lays one out; and
as SheetJS writes it (cells in the short form, which python-calamine skips).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, PersonResult, Results
from ladder_sheets.xlsx import guard
from ladder_sheets.xlsx.collect import collect

from tests.conftest import QUARTER
from tests.support import hostile

FIXTURES = Path(__file__).parent / "fixtures" / "xlsb"
PERSON = "tomas-novak"


def _read(path: Path, ladder: Ladder, roster: Roster, **options: int) -> tuple[PersonResult, Results]:
    results = collect([path], ladder, roster, QUARTER, **options)
    return next(p for p in results.people if p.person.id == PERSON), results


def test_an_xlsb_reads_with_the_same_numbers_and_problems_as_its_xlsx(ladder: Ladder, roster: Roster,
                                                                       tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    xlsx = Path(shutil.copy(FIXTURES / f"{PERSON}.xlsx", folder / "as-xlsx.xlsx"))
    binary = Path(shutil.copy(FIXTURES / f"{PERSON}.xlsb", folder / "as-xlsb.xlsb"))

    (a, _), (b, results) = _read(xlsx, ladder, roster), _read(binary, ladder, roster)

    assert results.unmatched == ()
    assert b.file == str(binary) and b.inputs is not None and b.scores is not None
    assert (b.status, b.inputs, b.scores) == (a.status, a.inputs, a.scores)
    assert [replace(p, file=str(xlsx)) for p in b.problems] == list(a.problems)
    assert {p.kind for p in a.problems} == {Kind.ERROR_VALUE, Kind.TAMPERED}  # the edits are found in both
    assert b.scores.self_pct is not None and b.inputs.criteria


def test_an_xlsb_with_short_cells_is_refused_not_read_half_blank(ladder: Ladder, roster: Roster) -> None:
    tomas, results = _read(FIXTURES / f"{PERSON}-sheetjs.xlsb", ladder, roster)
    assert results.unmatched == () and tomas.inputs is None  # under the person its name names, not read
    assert [(u.kind, u.message) for u in tomas.problems] == [
        (Kind.UNREADABLE, "'Guide' is saved in a form of .xlsb the spreadsheet reader cannot read whole (cells "
                          "without their column, as apps built on SheetJS write them), so it was not read; open "
                          "it in Excel or LibreOffice and save it as .xlsx")]


def test_an_xlsb_cell_at_xfd1048576_is_refused_by_the_guard(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    far = hostile.xlsb_cell_at(FIXTURES / f"{PERSON}.xlsb", tmp_path / "far.xlsb", 1_048_575, 16_383)
    wide = hostile.xlsb_cell_at(FIXTURES / f"{PERSON}.xlsb", tmp_path / "wide.xlsb", 10, 300)
    good = Path(shutil.copy(FIXTURES / f"{PERSON}.xlsb", tmp_path / "good.xlsb"))

    results = collect([far, wide, good], ladder, roster, QUARTER, jobs=2)  # a worker: a miss would abort it only

    assert {u.file: u.message for u in results.unmatched} == {
        str(far): f"'{hostile.SHEET}' has 1,048,576 rows; a returned workbook has a few hundred at most "
                  "(limit 5,000), so it was not read",
        str(wide): f"'{hostile.SHEET}' has 301 columns; a returned workbook has under 30 (limit 256), "
                   "so it was not read",
    }
    assert guard.bounded(far) and next(p for p in results.people if p.person.id == PERSON).file == str(good)
