"""Excel's binary workbook (.xlsb) is read like an .xlsx: the same guard, the same edits found, the same numbers.

The files are built at test time from today's ladder and layout (the ``returned_xlsb``
fixture in conftest.py): a generated workbook, filled, with an error value typed into an
evidence cell and a formula typed over in LibreOffice, saved as .xlsx; the same saved as
.xlsb by SheetJS laid out as Excel lays one out, and as SheetJS writes it (cells in the
short form, which python-calamine skips).
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, PersonResult, Results
from ladder_sheets.xlsx import guard, xlsb
from ladder_sheets.xlsx.collect import collect

from tests.conftest import QUARTER, Returned
from tests.support import hostile

pytestmark = pytest.mark.libreoffice


def _read(path: Path, person: str, ladder: Ladder, roster: Roster) -> tuple[PersonResult, Results]:
    results = collect([path], ladder, roster, QUARTER)
    return next(p for p in results.people if p.person.id == person), results


def _short_cells(path: Path) -> dict[str, bool]:
    """Whether each sheet holds cells in the short form (no column)."""
    with zipfile.ZipFile(path) as z:
        return {name: xlsb.scan(z.read(part)).short for name, part in xlsb.sheets(z, lambda zf, n: zf.read(n))}


def test_the_xlsb_is_laid_out_as_excel_lays_one_out(returned_xlsb: Returned) -> None:
    """convert.js patches SheetJS to write every cell with its column: this fails if the patch no longer works."""
    full, short = _short_cells(returned_xlsb.xlsb), _short_cells(returned_xlsb.short)
    assert set(full) == set(short) and len(full) >= 4
    assert not any(full.values()), full
    assert all(short.values()), short


def test_an_xlsb_reads_with_the_same_numbers_and_problems_as_its_xlsx(returned_xlsb: Returned, ladder: Ladder,
                                                                       roster: Roster, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    xlsx = Path(shutil.copy(returned_xlsb.xlsx, folder / "as-xlsx.xlsx"))
    binary = Path(shutil.copy(returned_xlsb.xlsb, folder / "as-xlsb.xlsb"))
    person = returned_xlsb.person

    (a, _), (b, results) = _read(xlsx, person, ladder, roster), _read(binary, person, ladder, roster)

    assert results.unmatched == ()
    assert b.file == str(binary) and b.inputs is not None and b.scores is not None
    assert (b.status, b.inputs, b.scores) == (a.status, a.inputs, a.scores)
    # SheetJS writes an .xlsb's formula cells as values only (Excel's own keep their formula records): each
    # sheet of it says no formula is left there (a sheet of one formula, that it was replaced), where the
    # .xlsx names the one formula typed over.
    bare = [p for p in b.problems if p.kind == Kind.TAMPERED]
    assert "Scorecard" in {p.sheet for p in bare if not p.cell} and all(
        p.message.startswith("no formula left on this sheet" if not p.cell else "formula replaced by a typed or")
        for p in bare)
    assert [replace(p, file=str(xlsx)) for p in b.problems if p not in bare] == [
        p for p in a.problems if p.kind != Kind.TAMPERED]
    assert {(p.kind, p.cell) for p in a.problems} == {  # the edits are found, where they were made
        (Kind.ERROR_VALUE, returned_xlsb.edited["error"]), (Kind.TAMPERED, returned_xlsb.edited["overwritten"])}
    assert "(#NAME?)" in next(p.message for p in b.problems if p.kind == Kind.ERROR_VALUE)
    assert b.scores.self_pct is not None and b.inputs.criteria


def test_an_xlsb_with_short_cells_is_refused_not_read_half_blank(returned_xlsb: Returned, ladder: Ladder,
                                                                 roster: Roster) -> None:
    tomas, results = _read(returned_xlsb.short, returned_xlsb.person, ladder, roster)
    assert results.unmatched == () and tomas.inputs is None  # under the person its name names, not read
    assert [(u.kind, u.message) for u in tomas.problems] == [
        (Kind.UNREADABLE, "'Guide' is saved in a form of .xlsb the spreadsheet reader cannot read whole (cells "
                          "without their column, as apps built on SheetJS write them), so it was not read; open "
                          "it in Excel or LibreOffice and save it as .xlsx")]


def test_an_xlsb_cell_at_xfd1048576_is_refused_by_the_guard(returned_xlsb: Returned, ladder: Ladder, roster: Roster,
                                                            tmp_path: Path) -> None:
    source = returned_xlsb.xlsb
    far = hostile.xlsb_cell_at(source, tmp_path / "far.xlsb", 1_048_575, 16_383)
    wide = hostile.xlsb_cell_at(source, tmp_path / "wide.xlsb", 10, 300)
    good = Path(shutil.copy(source, tmp_path / "good.xlsb"))

    results = collect([far, wide, good], ladder, roster, QUARTER, jobs=2)  # a worker: a miss would abort it only

    assert {u.file: u.message for u in results.unmatched} == {
        str(far): f"'{hostile.SHEET}' has 1,048,576 rows; a returned workbook has a few hundred at most "
                  "(limit 5,000), so it was not read",
        str(wide): f"'{hostile.SHEET}' has 301 columns; a returned workbook has under 30 (limit 256), "
                   "so it was not read",
    }
    assert guard.bounded(far)
    assert next(p for p in results.people if p.person.id == returned_xlsb.person).file == str(good)
