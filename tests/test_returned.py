"""Which returned files are read as workbooks, which are lock files, and whose are the replies that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder_sheets.core.model import Roster
from ladder_sheets.core.results import Kind
from ladder_sheets.xlsx.collect import expand
from ladder_sheets.xlsx.returned import foreign_files, foreign_outcomes, is_lock_file


def test_folders_give_every_workbook_format_and_no_lock_file(tmp_path: Path) -> None:
    names = ["a.xlsx", "b.XLSM", "c.xls", "d.ods", "~$a.xlsx", ".~lock.d.ods#", "._a.xlsx", "e.csv", "f.pdf",
             "a.xlsx.20261201T000000Z.bak", "manifest.json"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    files, problems = expand([tmp_path])
    assert [f.name for f in files] == ["a.xlsx", "b.XLSM", "c.xls", "d.ods"] and problems == []
    assert [f.name for f in foreign_files([tmp_path])] == ["e.csv", "f.pdf"]


@pytest.mark.parametrize("name", ["~$a.xlsx", ".~lock.a.xlsx#", "~$a.ods", "._a.xlsx"])
def test_lock_files_named_explicitly_are_skipped_too(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    assert is_lock_file(tmp_path / name)
    assert expand([tmp_path / name]) == ([], [])
    assert foreign_files([tmp_path / name]) == []


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
    outcomes, unmatched = foreign_outcomes(foreign_files([tmp_path]), roster, [tmp_path])
    assert unmatched == []
    assert [(o.person_id, o.inputs, [p.kind for p in o.problems]) for o in outcomes] == [
        (who, None, [Kind.WRONG_FORMAT])]
    assert "save it as .xlsx" in outcomes[0].problems[0].message


def test_a_reply_naming_nobody_is_left_alone_in_a_folder_and_reported_when_named(tmp_path: Path,
                                                                                 roster: Roster) -> None:
    path = tmp_path / "holiday.png"
    path.write_bytes(b"\x89PNG")
    assert foreign_outcomes(foreign_files([tmp_path]), roster, [tmp_path]) == ([], [])
    outcomes, unmatched = foreign_outcomes(foreign_files([path]), roster, [path])
    assert outcomes == [] and [(p.file, p.kind, p.message) for p in unmatched] == [
        (str(path), Kind.WRONG_FORMAT, "not a workbook (png): save it as .xlsx")]
