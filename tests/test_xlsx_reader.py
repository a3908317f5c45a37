"""xlsx.reader: exactly the layout's cells, as the file holds them; library failures as WorkbookError."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from ladder_sheets.core import cells, layout
from ladder_sheets.core.errors import WorkbookError
from ladder_sheets.xlsx.generate import generate, workbook_path
from ladder_sheets.core.cells import Role, WorkbookLayout
from ladder_sheets.core.model import CellValue, Ladder, Roster
from ladder_sheets.core.readplan import is_read, plan
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.reader import UnreadableWorkbook, XlsxWorkbook, read_workbook

from tests.conftest import DUE, QUARTER
from tests.support.calc import Calc
from tests.support.fill import random_inputs, write_values
from tests.support.libreoffice import recalc


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster) -> tuple[Path, WorkbookLayout]:
    out = tmp_path_factory.mktemp("reader")
    generate(ladder, roster, QUARTER, out, due=DUE, jobs=1)
    person = roster.people[0]
    return workbook_path(out / QUARTER, person), layout.build(ladder, roster, person, QUARTER, DUE)


@pytest.fixture(scope="module")
def filled(generated: tuple[Path, WorkbookLayout], ladder: Ladder,
           tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, CellValue]]:
    """The first SE's workbook filled in (openpyxl: no cached values), and the same after LibreOffice saved it."""
    path, wl = generated
    _, values = random_inputs(ladder, ladder.rubric_for(wl.person.target_level), random.Random(11), level=wl.person.level)
    work = tmp_path_factory.mktemp("filled")
    plain = write_values(path, wl, values, work / "filled.xlsx")
    [calculated] = recalc([plain], work / "lo")
    return plain, calculated, values


def test_reads_exactly_the_layout_cells_of_a_generated_workbook(generated: tuple[Path, WorkbookLayout]) -> None:
    path, wl = generated
    raw = read_workbook(path, wl)
    assert raw.sheet_names == tuple(s.title for s in wl.sheets)
    assert set(raw.values) == {c.key for _, c in wl.cells() if c.key and is_read(c)}
    for _, cell in wl.cells():
        if cell.key.startswith("rowid.") or cell.role is Role.META:
            assert raw.values[cell.key] == cell.value, cell.key
        elif cell.role in (Role.INPUT, Role.FORMULA):
            # blank inputs, and formulas openpyxl wrote without a cached value
            assert raw.values[cell.key] is None, cell.key


@pytest.mark.libreoffice
def test_reads_typed_values_as_the_file_holds_them(generated: tuple[Path, WorkbookLayout],
                                                   filled: tuple[Path, Path, dict[str, CellValue]]) -> None:
    _, wl = generated
    plain, _, values = filled
    raw = read_workbook(plain, wl).values
    for key, value in values.items():
        assert raw[key] == value and isinstance(raw[key], type(value) if isinstance(value, str) else float), key


@pytest.mark.libreoffice
def test_reads_cached_formula_values_saved_by_a_spreadsheet_app(
        ladder: Ladder, generated: tuple[Path, WorkbookLayout], filled: tuple[Path, Path, dict[str, CellValue]]) -> None:
    _, wl = generated
    _, calculated, values = filled
    inputs, _ = random_inputs(ladder, ladder.rubric_for(wl.person.target_level), random.Random(11), level=wl.person.level)
    expected = layout.expected_values(ladder, wl.person, inputs)
    raw = read_workbook(calculated, wl).values
    for _, cell in wl.cells(Role.FORMULA):
        want = expected[cell.key]
        if want == "":
            assert raw[cell.key] is None, cell.key
        elif isinstance(want, str):
            assert raw[cell.key] == want, cell.key
        else:
            assert raw[cell.key] == pytest.approx(want, rel=1e-9), cell.key
    assert all(raw[k] == v for k, v in values.items() if isinstance(v, str))


def _without_text_results(xls: Path) -> int:
    """Each text result of a formula in this .xls made the number 0, as in an .xls that keeps no text results
    (BIFF8: a FORMULA record's string result becomes a number, its STRING record an unknown record); how many."""
    with olefile.OleFileIO(str(xls), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        at = changed = 0
        while at + 4 <= len(data):
            kind, size = struct.unpack_from("<HH", data, at)
            result = at + 4 + 6  # after row, column and format
            if kind == 0x0006 and data[result] == 0 and data[result + 6:result + 8] == b"\xff\xff":
                data[result:result + 8] = bytes(8)
                changed += 1
            elif kind == 0x0207 and changed:  # the STRING record that held the text
                struct.pack_into("<H", data, at, 0x0123)
            at += 4 + size
        ole.write_stream("Workbook", bytes(data))
    return changed


@pytest.mark.libreoffice
def test_an_upper_case_xls_return_is_read_as_an_xls(filled: tuple[Path, Path, dict[str, CellValue]], ladder: Ladder,
                                                    roster: Roster, calc: Calc, tmp_path: Path) -> None:
    """Windows names a reply Scorecard.XLS: an .xls whose text results read as 0 has no "overwritten" formula
    for it, exactly as when it is named scorecard.xls."""
    plain, _, _ = filled
    upper, lower = tmp_path / "Scorecard.XLS", tmp_path / "scorecard.xls"
    calc.apply(plain, [], tmp_path / "saved.xlsx", more=[(upper, "xls")])
    assert _without_text_results(upper) > 0
    lower.write_bytes(upper.read_bytes())
    for path in (upper, lower):
        (mine,) = [p for p in collect([path], ladder, roster, QUARTER).people if p.inputs is not None]
        assert mine.person.id == roster.people[0].id
        assert [p.message for p in mine.problems] == [], path.name


def test_cells_of_a_missing_sheet_are_absent(generated: tuple[Path, WorkbookLayout], tmp_path: Path) -> None:
    path, wl = generated
    wb = openpyxl.load_workbook(path)
    del wb[cells.PIVOTS]
    wb.save(tmp_path / "no-pivots.xlsx")
    raw = read_workbook(tmp_path / "no-pivots.xlsx", wl)
    assert cells.PIVOTS not in raw.sheet_names
    pivot_keys = {c.key for s in wl.sheets if s.title == cells.PIVOTS for c in s.cells if c.key}
    assert pivot_keys and not pivot_keys & set(raw.values)
    assert raw.values["meta.person_id"] == wl.person.id


def test_read_by_role_reads_only_those_cells(generated: tuple[Path, WorkbookLayout]) -> None:
    path, wl = generated
    with XlsxWorkbook(path) as book:
        meta = book.read(plan(wl, (Role.META,)))
    assert meta == {c.key: c.value for _, c in wl.cells(Role.META)}


def _bad_file(kind: str, good: Path, directory: Path) -> Path:
    """A file named .xlsx that is no workbook, in one of the ways returned files go wrong."""
    path = directory / f"{kind}.xlsx"
    if kind == "text":
        path.write_text("meeting notes", encoding="utf-8")
    elif kind == "truncated":
        path.write_bytes(good.read_bytes()[:2000])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "encrypted":  # saved with a password, as Excel does it
        with good.open("rb") as plain, path.open("wb") as out:
            OOXMLFile(plain).encrypt("secret", out)
    elif kind == "xls-renamed":  # an old .xls renamed: Office's compound-file header, not a zip
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    elif kind == "foreign-zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a workbook")
    return path  # "absent": never written


@pytest.mark.parametrize(("kind", "reason"), [
    ("text", "not an .xlsx workbook, or a corrupt or truncated one (invalid Zip archive: Could not find EOCD)"),
    ("truncated", "not an .xlsx workbook, or a corrupt or truncated one (File is not a zip file)"),
    ("empty", "not an .xlsx workbook, or a corrupt or truncated one (invalid Zip archive: Could not find EOCD)"),
    ("encrypted", "it is password-protected, or an old .xls file; save it as .xlsx (Excel Workbook) without a "
                  "password"),
    ("xls-renamed", "it is password-protected, or an old .xls file; save it as .xlsx (Excel Workbook) without a "
                    "password"),
    ("foreign-zip", "not a readable .xlsx workbook (File not found '_rels/.rels')"),
    ("absent", "cannot open it: No such file or directory (os error 2)"),
])
def test_library_failures_become_workbook_errors_naming_the_file(
        generated: tuple[Path, WorkbookLayout], tmp_path: Path, kind: str, reason: str) -> None:
    path, wl = generated
    bad = _bad_file(kind, path, tmp_path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(bad, wl)
    assert isinstance(caught.value, UnreadableWorkbook)
    assert str(caught.value) == f"{bad}: {reason}"
    assert caught.value.reason == reason
