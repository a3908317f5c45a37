"""generate: one workbook per SE, a manifest, and never a lost answer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ladder_sheets import layout, manifest
from ladder_sheets.errors import ConfigError, WorkbookError
from ladder_sheets.generate import generate
from ladder_sheets.model import Ladder, Person, Roster
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


def test_rerun_regenerates_untouched_workbooks(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    generate(ladder, roster, Q, tmp_path, due=DUE)
    again = generate(ladder, roster, Q, tmp_path, due=date(2026, 12, 14))
    assert sorted(again.written) == sorted(p.id for p in roster.people) and not again.skipped


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
    assert report.skipped[0][0] == person.id and "not written by ladder-sheets" in report.skipped[0][1]


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


def test_parallel_generation_writes_the_same_files(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    template = roster.people[0]
    people = tuple(replace(template, id=f"se-{i:03d}", email=f"se{i}@example.com", name=f"SE {i}") for i in range(45))
    big = replace(roster, people=people)
    report = generate(ladder, big, Q, tmp_path, due=DUE, jobs=2)
    assert sorted(report.written) == sorted(p.id for p in people)
    entries = manifest.read(tmp_path / Q)
    assert all(entries[p.id].sha256 == manifest.sha256_of(tmp_path / Q / f"{p.id}.xlsx") for p in people)
