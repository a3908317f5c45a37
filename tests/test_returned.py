"""Every file collect is given or finds is accounted for: read, put under its person, or named with why not."""

from __future__ import annotations

import random
import shutil
import string
from pathlib import Path

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Results, Severity
from ladder_sheets.workflows.results_file import read_results
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.returned import find, foreign_outcomes, is_lock_file

from tests.conftest import QUARTER, Returned
from tests.support.cli import run_main

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_folder_is_sorted_into_workbooks_other_files_and_what_is_no_return(tmp_path: Path) -> None:
    names = ["a.xlsx", "b.XLSM", "c.xls", "d.ods", "e.xlsb", "~$a.xlsx", ".~lock.d.ods#", "._a.xlsx", "f.csv",
             "g.pdf", "h", "a.xlsx.20261201T000000Z.bak", "manifest.json"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "2026-Q3").mkdir()
    found = find([tmp_path])
    assert [f.name for f in found.workbooks] == ["a.xlsx", "b.XLSM", "c.xls", "d.ods", "e.xlsb"]
    assert [f.name for f in found.others] == ["f.csv", "g.pdf", "h"]
    assert [(p.file, p.kind, p.severity, p.message) for p in found.skipped] == [(
        str(tmp_path), Kind.SKIPPED, Severity.NOTE,
        "skipped, not a return: 2 lock files (.~lock.d.ods#, ~$a.xlsx); 1 hidden file (._a.xlsx); "
        "2 files of ladder-sheets' own (a.xlsx.20261201T000000Z.bak, manifest.json); "
        "1 folder inside it (not searched) (2026-Q3)")]


@pytest.mark.parametrize("name", ["~$a.xlsx", ".~lock.a.xlsx#", "~$a.ods"])
def test_lock_files_named_explicitly_are_skipped_and_said_so(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    assert is_lock_file(tmp_path / name)
    found = find([tmp_path / name])
    assert (found.workbooks, found.others) == ([], [])
    assert [p.message for p in found.skipped] == [f"skipped, not a return: 1 lock file ({name})"]


@pytest.mark.parametrize(("name", "content", "who"), [
    ("tomas-novak.csv", b"", "tomas-novak"),
    ("Tomas Novak (reply).numbers", b"PK\x03\x04", "tomas-novak"),  # the name without accents
    ("Tomáš Novák.pdf", b"%PDF", "tomas-novak"),
    ("IMG_0042.jpg", b"\xff\xd8 sent by priya.raman@apex-cloud.example", "priya-raman"),
    ("export.csv", b"id,score\nkenji-watanabe,3\n", "kenji-watanabe"),
])
def test_a_reply_that_cannot_be_read_is_put_under_its_person(tmp_path: Path, roster: Roster, name: str,
                                                             content: bytes, who: str) -> None:
    (tmp_path / name).write_bytes(content)
    outcomes, unmatched = foreign_outcomes(find([tmp_path]).others, roster)
    assert unmatched == []
    assert [(o.person_id, o.inputs, [p.kind for p in o.problems]) for o in outcomes] == [
        (who, None, [Kind.WRONG_FORMAT])]
    assert "save it as .xlsx" in outcomes[0].problems[0].message


@pytest.mark.parametrize("where", ["in a folder", "named"])
def test_a_file_naming_nobody_is_named_with_why(tmp_path: Path, roster: Roster, where: str) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7 nothing about anyone")
    outcomes, unmatched = foreign_outcomes(find([tmp_path if where == "in a folder" else path]).others, roster)
    assert outcomes == [] and [(p.file, p.kind, p.severity, p.message) for p in unmatched] == [
        (str(path), Kind.WRONG_FORMAT, Severity.ERROR,
         "not a workbook (pdf) and its name and text name nobody on the roster, so it was not read; "
         "if it is someone's reply, ask them to save it as .xlsx")]


def _junk_folder(folder: Path, rng: random.Random, sheetjs_xlsb: Path) -> set[str]:
    """Files of every kind anyone might leave in a returns folder; the names of all of them."""
    folder.mkdir()
    for source in (FIXTURES / "calamine").iterdir():  # spreadsheets saved by Excel and LibreOffice, a DoS file
        shutil.copy(source, folder / source.name)
    shutil.copy(sheetjs_xlsb, folder / "Final scorecard.xlsb")
    made = {
        "scan.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.randrange(256) for _ in range(500)),
        "export.csv": b"a,b\n1,2\n", "Budget.numbers": b"PK\x03\x04" + bytes(40), "empty.xlsx": b"", "empty.ods": b"",
        "empty.pdf": b"", "README": b"see the other folder", "photo.heic": bytes(64), "notes.docx": b"PK\x03\x04",
        "archive.zip": b"PK\x05\x06" + bytes(18), "junk.xlsm": bytes(rng.randrange(256) for _ in range(3000)),
        "random.xls": bytes(rng.randrange(256) for _ in range(3000)), "weird name ü 'x'.xlsb": b"PK not really",
        "data.json": b"{}", "~$scan.xlsx": b"lock", ".~lock.empty.ods#": b"lock", ".DS_Store": bytes(8),
        "manifest.json": b"{}", "a.xlsx.20261201T000000Z.bak": b"x",
    }
    for i in range(5):  # and some nobody thought of
        made["".join(rng.choice(string.ascii_letters) for _ in range(8)) + rng.choice(["", ".dat", ".XLSX", ".x"])] = \
            bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
    for name, data in made.items():
        (folder / name).write_bytes(data)
    (folder / "older").mkdir()
    return {p.name for p in folder.iterdir()}


@pytest.mark.libreoffice
def test_a_folder_of_foreign_files_of_every_format_leaves_none_unnamed(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ladder: Ladder, roster: Roster,
        team_path: Path, returned_xlsb: Returned, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    names = _junk_folder(folder, random.Random(24), returned_xlsb.short)
    out = tmp_path / "results.json"

    code, stdout, stderr = run_main(monkeypatch, capsys, "collect", folder, "--team", team_path,
                                    "--quarter", QUARTER, "--out", out)

    assert (code, stderr) == (1, "")
    results = read_results(out)
    log = (tmp_path / "results.log").read_text(encoding="utf-8")
    skipped = next(p for p in results.unmatched if p.kind == Kind.SKIPPED)
    for name in names:  # in results.json's unmatched list, in the log and on the terminal
        path = str(folder / name)
        mentioned = [p for p in results.unmatched if p.file == path] or (
            [skipped] if f" {name}" in skipped.message or f"({name}" in skipped.message else [])
        assert mentioned, f"{name} is not accounted for"
        assert all(str(p) in log and str(p) in stdout for p in mentioned), name
    assert all(p.status.value == "missing" for p in results.people)  # nothing here is anyone's return
    assert _named_once(results, folder)


def _named_once(results: Results, folder: Path) -> bool:
    files = [p.file for p in results.unmatched if p.file != str(folder)]
    return len(files) == len(set(files))


@pytest.mark.libreoffice
def test_an_unreadable_workbook_named_for_someone_is_theirs_not_missing(ladder: Ladder, roster: Roster,
                                                                       returned_xlsb: Returned, tmp_path: Path) -> None:
    reply = Path(shutil.copy(returned_xlsb.short, tmp_path / "Tomáš Novák final.xlsb"))
    results = collect([reply], ladder, roster, QUARTER)
    tomas = next(p for p in results.people if p.person.id == "tomas-novak")
    assert results.unmatched == () and tomas.status.value == "invalid" and tomas.file == str(reply)
    assert [p.kind for p in tomas.problems] == [Kind.UNREADABLE]
