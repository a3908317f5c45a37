"""No file stops collect: hostile workbooks (a cell at XFD1048576, zip bombs, a column filled to the
last row, truncated and foreign files) and a reader that dies mid-file each cost their own file only.

Every hostile file is made at test time (tests/support/hostile.py). The folder holds more than
_PARALLEL_THRESHOLD files, so the worker pool path runs, as it does for a real team.
"""

from __future__ import annotations

import multiprocessing
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.core.results import Kind, Problem, Results
from ladder_sheets.workflows.results_file import read_results
from ladder_sheets.xlsx import collect as collect_module
from ladder_sheets.xlsx import isolated
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate, workbook_path
from ladder_sheets.xlsx.isolated import CRASHED

from tests.conftest import DUE, QUARTER
from tests.support import crash, hostile
from tests.support.cli import run_main
from tests.support.fill import random_inputs, write_values

TEAM = 59  # above collect's parallel threshold


@pytest.fixture(scope="module")
def team(ladder: Ladder, roster: Roster) -> Roster:
    pairs = [(p.level, p.target_level) for p in roster.people]
    people = tuple(Person(f"se-{i:02d}", f"SE {i:02d}", f"se{i:02d}@example.com", *pairs[i % len(pairs)],
                          roster.managers[i % len(roster.managers)].id) for i in range(TEAM))
    return replace(roster, people=people)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, team: Roster) -> Path:
    """Everyone's workbook; a dozen filled in, the rest blank (each blank input is a problem)."""
    out = tmp_path_factory.mktemp("hostile-good")
    generate(ladder, team, QUARTER, out, due=DUE, jobs=2)
    for i, person in enumerate(team.people[:12]):
        _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(i),
                                  level=person.level)
        write_values(workbook_path(out / QUARTER, person), layout.build(ladder, team, person, QUARTER, DUE), values)
    assert collect_module._PARALLEL_THRESHOLD < TEAM
    return out / QUARTER


@pytest.fixture(scope="module")
def reference(good: Path, ladder: Ladder, team: Roster) -> Results:
    """What collect says of the good files alone."""
    return collect([good], ladder, team, QUARTER)


def _folder(good: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "returned"
    shutil.copytree(good, folder, ignore=shutil.ignore_patterns("manifest.json"))  # the returns alone
    return folder


def _people(results: Results, folder: Path, good: Path) -> list[tuple[object, ...]]:
    """Each person's result with file names relative to its folder, to compare runs over two folders."""
    def rel(text: str) -> str:
        return text.replace(str(folder), "<dir>").replace(str(good), "<dir>")

    return [(p.person, p.status, rel(p.file), p.inputs, p.scores,
             [replace(x, file=rel(x.file), message=rel(x.message)) for x in p.problems]) for p in results.people]


def test_hostile_files_are_each_one_problem_and_every_good_file_is_read(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], good: Path, reference: Results,
        ladder: Ladder, team: Roster, tmp_path: Path) -> None:
    folder = _folder(good, tmp_path)
    expected = hostile.make_set(good / f"{team.people[0].id}.xlsx", folder)
    team_file = tmp_path / "team.yaml"
    _write_team(team, team_file)
    out = tmp_path / "results.json"

    code, stdout, stderr = run_main(monkeypatch, capsys, "collect", folder, "--team", team_file,
                                    "--quarter", QUARTER, "--out", out)

    assert (code, stderr) == (1, "")
    results = read_results(out)  # written, whatever the files were
    by_file: dict[str, list[Problem]] = {}
    for problem in results.unmatched:
        by_file.setdefault(problem.file, []).append(problem)
    assert sorted(by_file) == sorted(str(p) for p in expected)
    for path, start in expected.items():
        (problem,) = by_file[str(path)]
        assert problem.kind == Kind.UNREADABLE
        assert problem.message.startswith(start), problem.message
        assert f"file        {path}: {problem.message}" in stdout.splitlines()
    assert _people(results, folder, good) == _people(reference, good, good)


@pytest.mark.parametrize("jobs", [1, 2], ids=["in this process", "capped workers"])
def test_a_sheet_past_the_limits_is_refused_in_the_guards_words_whoever_reads_it(
        jobs: int, good: Path, ladder: Ladder, team: Roster, tmp_path: Path) -> None:
    """Every sheet's extent is checked before calamine builds it, in this process and in workers alike."""
    folder = _folder(good, tmp_path)
    wide = hostile.cell_at(good / f"{team.people[0].id}.xlsx", folder / "wide.xlsx", "JA7")
    long = hostile.cell_at(good / f"{team.people[1].id}.xlsx", folder / "long.xlsx", "C6000")

    results = collect([folder], ladder, team, QUARTER, jobs=jobs)

    assert {p.file: p.message for p in results.unmatched} == {
        str(wide): f"'{hostile.SHEET}' has 261 columns; a returned workbook has under 30 (limit 256), so it was not read",
        str(long): f"'{hostile.SHEET}' has 6,000 rows; a returned workbook has a few hundred at most (limit 5,000), "
                   "so it was not read",
    }


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_a_cell_at_xfd1048576_is_refused_by_the_guard_in_a_worker_without_a_memory_cap(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, good: Path, ladder: Ladder, team: Roster,
        tmp_path: Path, method: str) -> None:
    """As on macOS or Windows, where no cap can be set: the guard alone keeps calamine from the file
    (which would ask it for 512 GiB and abort the worker), in the same words as in this process. Workers
    started as each platform starts them: forked (Linux), or a fresh interpreter (macOS and Windows spawn)."""
    folder = _folder(good, tmp_path)
    far = hostile.cell_far_away(good / f"{team.people[0].id}.xlsx", folder / "far.xlsx")
    assert len([f for f in folder.iterdir() if f.suffix == ".xlsx"]) == 60
    started = multiprocessing.get_context
    monkeypatch.setattr(isolated.multiprocessing, "get_context", lambda: started(method))
    monkeypatch.setattr(isolated, "cap_memory", crash.no_cap)  # the workers are given it
    monkeypatch.setattr(collect_module, "_crashed", crash.noted_crash)
    crashed = crash.CRASHED_HERE
    crashed.clear()

    results = collect([folder], ladder, team, QUARTER, jobs=2)
    alone = collect([far], ladder, team, QUARTER, jobs=1)

    message = (f"'{hostile.SHEET}' has 1,048,576 rows; a returned workbook has a few hundred at most "
               "(limit 5,000), so it was not read")
    assert [(p.file, p.kind, p.message) for p in results.unmatched] == [(str(far), Kind.UNREADABLE, message)]
    assert alone.unmatched == results.unmatched and crashed == []  # refused before calamine, no worker died
    assert isolated.UNCAPPED in caplog.messages  # said once, where the cap could not be applied


def test_a_reader_that_dies_on_one_file_loses_only_that_file(
        monkeypatch: pytest.MonkeyPatch, good: Path, reference: Results, ladder: Ladder, team: Roster,
        tmp_path: Path) -> None:
    folder = _folder(good, tmp_path)
    victims = [shutil.copy(good / f"{team.people[i].id}.xlsx", folder / f"{crash.CRASH_NAME}-{i}.xlsx")
               for i in (3, 40)]
    monkeypatch.setattr(collect_module, "read_one", crash.read_or_abort)  # the workers are given it

    results = collect([folder], ladder, team, QUARTER, jobs=2)

    assert results.unmatched == tuple(Problem(str(v), "", "", Kind.UNREADABLE, CRASHED) for v in victims)
    assert _people(results, folder, good) == _people(reference, good, good)


def test_a_small_run_reads_an_xls_in_a_worker_of_its_own(monkeypatch: pytest.MonkeyPatch, good: Path,
                                                        ladder: Ladder, team: Roster, tmp_path: Path) -> None:
    """Under the parallel threshold files are read in-process, except what the guard cannot bound:
    an .xls that kills its reader must not kill collect."""
    victim = Path(shutil.copy(good / f"{team.people[1].id}.xlsx", tmp_path / f"{crash.CRASH_NAME}.xls"))
    monkeypatch.setattr(collect_module, "read_one", crash.read_or_abort)
    files = [good / f"{p.id}.xlsx" for p in team.people[:3]]

    results = collect([*files, victim], ladder, team, QUARTER)

    assert results.unmatched == (Problem(str(victim), "", "", Kind.UNREADABLE, CRASHED),)
    assert [p.file for p in results.people[:3]] == [str(f) for f in files]


def _write_team(team: Roster, path: Path) -> None:
    """The roster as a YAML file, for the command line."""
    import yaml

    path.write_text(yaml.safe_dump({
        "org": team.org, "leadership": list(team.leadership), "manager_scores": team.manager_scores.value,
        "managers": [{"id": m.id, "name": m.name, "email": m.email, "team": m.team} for m in team.managers],
        "people": [{"id": p.id, "name": p.name, "email": p.email, "level": p.level, "target_level": p.target_level,
                    "manager": p.manager} for p in team.people],
    }), encoding="utf-8")
