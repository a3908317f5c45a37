"""generate: one workbook per SE, a manifest, and never a lost answer."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ladder_sheets.core import layout
from ladder_sheets.xlsx import manifest
from ladder_sheets.core.errors import ConfigError, WorkbookError
from ladder_sheets.xlsx.generate import generate
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.xlsx.reader import read_workbook
from tests.support.fill import write_values

Q = "2026-Q4"
DUE = date(2026, 12, 7)


def _fill_one(ladder: Ladder, roster: Roster, directory: Path, person: Person) -> Path:
    path = directory / f"{person.id}.xlsx"
    wl = layout.build(ladder, roster, person, Q, DUE)
    first = ladder.rubric_for(person.target_level).criteria[0].id
    write_values(path, wl, {f"criteria.{first}.self": 2, f"criteria.{first}.evidence": "Ran the Acme POC"})
    return path


def test_one_workbook_per_person_and_a_manifest(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    report = generate(ladder, roster, Q, tmp_path, due=DUE)
    directory = tmp_path / Q
    assert sorted(report.written) == sorted(p.id for p in roster.people)
    assert sorted(p.name for p in directory.glob("*.xlsx")) == sorted(f"{p.id}.xlsx" for p in roster.people)
    body = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert body["quarter"] == Q
    for entry in body["workbooks"]:
        assert entry["sha256"] == manifest.sha256_of(directory / entry["file"])
        assert entry["template_version"] == layout.template_version(ladder)
    assert {e["person_id"] for e in body["workbooks"]} == {p.id for p in roster.people}


def _due_shown(ladder: Ladder, roster: Roster, path: Path, person: Person) -> object:
    return read_workbook(path, layout.build(ladder, roster, person, Q, DUE)).values["meta.due"]


def test_rerun_regenerates_untouched_workbooks(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    generate(ladder, roster, Q, tmp_path, due=DUE)
    new_due = date(2026, 12, 14)
    again = generate(ladder, roster, Q, tmp_path, due=new_due)
    assert sorted(again.written) == sorted(p.id for p in roster.people) and not again.skipped and not again.backed_up
    entries = manifest.read(tmp_path / Q)
    for person in roster.people:
        path = tmp_path / Q / f"{person.id}.xlsx"
        assert _due_shown(ladder, roster, path, person) == new_due.isoformat()
        assert entries[person.id].sha256 == manifest.sha256_of(path)


def test_a_filled_in_workbook_is_never_overwritten(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    generate(ladder, roster, Q, tmp_path, due=DUE)
    person = roster.people[0]
    path = _fill_one(ladder, roster, tmp_path / Q, person)
    before = path.read_bytes()
    report = generate(ladder, roster, Q, tmp_path, due=DUE)
    assert path.read_bytes() == before
    assert report.skipped == [(person.id, f"{person.id}.xlsx changed since it was generated; kept as is "
                                          "(use --force to back it up and replace)")]
    assert person.id not in report.written and len(report.written) == len(roster.people) - 1
    # Its manifest entry still describes what was generated, so it stays protected on the next run too.
    assert generate(ladder, roster, Q, tmp_path, due=DUE).skipped[0][0] == person.id


def test_force_backs_up_then_replaces(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    generate(ladder, roster, Q, tmp_path, due=DUE)
    person = roster.people[2]
    path = _fill_one(ladder, roster, tmp_path / Q, person)
    filled = path.read_bytes()
    report = generate(ladder, roster, Q, tmp_path, due=DUE, force=True)
    (pid, backup), = report.backed_up
    assert pid == person.id and backup.read_bytes() == filled and backup.name.endswith(".bak")
    assert path.read_bytes() != filled
    assert manifest.read(tmp_path / Q)[person.id].sha256 == manifest.sha256_of(path)


def test_a_file_the_tool_did_not_write_is_kept(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    directory = tmp_path / Q
    directory.mkdir()
    person = roster.people[1]
    stranger = directory / f"{person.id}.xlsx"
    stranger.write_bytes(b"someone's own file")
    report = generate(ladder, roster, Q, tmp_path, due=DUE)
    assert stranger.read_bytes() == b"someone's own file"
    assert report.skipped == [(person.id, f"{person.id}.xlsx not written by ladder-sheets (no manifest entry); "
                                          "kept as is (use --force to back it up and replace)")]
    assert person.id not in manifest.read(directory)  # so the next run keeps it too
    assert generate(ladder, roster, Q, tmp_path, due=DUE).skipped == report.skipped


def test_force_keeps_a_foreign_file_as_a_backup(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    directory = tmp_path / Q
    directory.mkdir()
    person = roster.people[1]
    stranger = directory / f"{person.id}.xlsx"
    stranger.write_bytes(b"someone's own file")
    report = generate(ladder, roster, Q, tmp_path, due=DUE, force=True)
    (pid, backup), = report.backed_up
    assert pid == person.id and backup.parent == directory and backup.read_bytes() == b"someone's own file"
    assert zipfile.is_zipfile(stranger) and manifest.read(directory)[person.id].sha256 == manifest.sha256_of(stranger)


def test_unreadable_manifest_is_an_error_not_replaced(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    directory = tmp_path / Q
    directory.mkdir()
    (directory / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"manifest.json: unreadable manifest .*move it aside"):
        generate(ladder, roster, Q, tmp_path, due=DUE)
    assert (directory / "manifest.json").read_text(encoding="utf-8") == "{not json"


@pytest.mark.parametrize("quarter", ["2026Q4", "2026-Q5", "Q4-2026", ""])
def test_bad_quarter(quarter: str, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--quarter: expected a quarter like 2026-Q4"):
        generate(ladder, roster, quarter, tmp_path, due=DUE)


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of an .xlsx but its timestamps (docProps/core.xml holds the creation time)."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name != "docProps/core.xml"}


def test_parallel_generation_writes_the_same_files(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """45 people is above the process-pool threshold: jobs=2 must give what one process gives."""
    people = tuple(
        replace(p, id=f"se-{i:03d}-{p.id}", email=f"se{i}.{p.email}", name=f"{p.name} {i}")
        for i in range(6) for p in roster.people
    )[:45]
    big = replace(roster, people=people)
    report = generate(ladder, big, Q, tmp_path / "parallel", due=DUE, jobs=2)
    serial = generate(ladder, big, Q, tmp_path / "serial", due=DUE, jobs=1)
    assert sorted(report.written) == sorted(serial.written) == sorted(p.id for p in people)
    entries = manifest.read(report.directory)
    names = sorted(f.name for f in report.directory.iterdir())
    assert names == sorted(f.name for f in serial.directory.iterdir()) == sorted([*(f"{p.id}.xlsx" for p in people),
                                                                                  "manifest.json"])
    for person in people:
        path = report.directory / f"{person.id}.xlsx"
        assert entries[person.id].sha256 == manifest.sha256_of(path)
        assert _parts(path) == _parts(serial.directory / path.name), person.id


def test_workers_share_the_people_evenly_splitting_a_shape_only_where_a_share_ends() -> None:
    from collections import Counter

    from ladder_sheets.core.model import Person
    from ladder_sheets.xlsx.generate import _shares

    def people(sizes: dict[tuple[str, str], int]) -> list[Person]:
        return [Person(f"{a}-{b}-{i}", "N", "n@example.com", a, b, "m") for (a, b), n in sizes.items() for i in range(n)]

    def shapes(share: list[Person]) -> set[tuple[str, str]]:
        return {(p.level, p.target_level) for p in share}

    mixed = people({("senior", "senior"): 30, ("core", "senior"): 30, ("senior", "principal"): 20,
                    ("principal", "principal"): 20})
    mixed = mixed[::2] + mixed[1::2]  # shapes interleaved, as rosters list people
    shares = _shares(mixed, 2)
    assert [len(s) for s in shares] == [50, 50]
    assert Counter(p.id for s in shares for p in s) == Counter(p.id for p in mixed)  # everyone once
    assert not shapes(shares[0]) & shapes(shares[1])  # no template built twice

    uneven = people({("core", "senior"): 7, ("senior", "senior"): 50, ("principal", "principal"): 3})
    shares = _shares(uneven, 3)
    assert [len(s) for s in shares] == [20, 20, 20]
    assert sum(len(shapes(s)) for s in shares) == 3 + 2  # a shape in two shares only where a share ends

    one_shape = people({("senior", "senior"): 101})
    assert [len(s) for s in _shares(one_shape, 2)] == [51, 50]  # split: both workers busy
    assert [len(s) for s in _shares(one_shape[:1], 4)] == [1]
