"""``ladder-sheets collect`` through the real entry point (``cli.main``): output lines, exit codes 0/1/2, results file."""

from __future__ import annotations

import os
import random
import shutil
import sys
from pathlib import Path

import pytest

from ladder_sheets.core import layout
from ladder_sheets.xlsx.generate import generate, workbook_path
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Status
from ladder_sheets.workflows.results_file import read_results

from tests.conftest import DUE, QUARTER
from tests.support.cli import run_main
from tests.support.fill import random_inputs, write_values


@pytest.fixture
def team_path(in_workbook_team: Path) -> Path:
    """These workbooks carry the manager's column (``roster``): the roster file says managers score in them."""
    return in_workbook_team


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster) -> Path:
    """Everyone's workbook, filled in (by openpyxl: no cached values, so no LibreOffice needed here)."""
    out = tmp_path_factory.mktemp("cli-collect")
    generate(ladder, roster, QUARTER, out, due=DUE, jobs=1)
    for i, person in enumerate(roster.people):
        _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(i), level=person.level)
        path = workbook_path(out / QUARTER, person)
        write_values(path, layout.build(ladder, roster, person, QUARTER, DUE), values)
    return out / QUARTER


def test_all_clean_exits_0_and_writes_results(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                              returned: Path, team_path: Path, roster: Roster, tmp_path: Path,
                                              _history_db: Path) -> None:
    out = tmp_path / "results.json"
    code, stdout, stderr = run_main(monkeypatch, capsys, "collect", returned, "--team", team_path, "--quarter", QUARTER,
                                "--out", out)
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [  # generate's own manifest.json beside the workbooks: named, changes nothing
        *(f"complete    {p.id}  ({p.name})  {workbook_path(returned, p)}" for p in roster.people),
        f"file        {returned}: skipped, not a return: 1 file of ladder-sheets' own (manifest.json)",
        f"{len(roster.people)} people: {len(roster.people)} complete; 1 file problem(s)",
        f"results: {out}",
        f"problems: {tmp_path / 'results.log'} (1 in all)",
        f"history: {len(roster.people)} people stored for {QUARTER} in {_history_db}",
    ]
    results = read_results(out)
    assert [(p.person.id, p.status) for p in results.people] == [(p.id, Status.COMPLETE) for p in roster.people]


def _with_problems(returned: Path, roster: Roster, ladder: Ladder, tmp_path: Path) -> tuple[list[Path], list[str]]:
    """Sources where the first person's workbook has two bad inputs, the second's is missing and one
    file is junk; and the full, located listing the log must hold for them."""
    first, second = roster.people[0], roster.people[1]
    wl = layout.build(ladder, roster, first, QUARTER, DUE)
    criteria = ladder.rubric_for(first.target_level).criteria
    keys = [f"criteria.{criteria[0].id}.self", f"criteria.{criteria[1].id}.self"]
    assert criteria[1].allow_not_observed and not criteria[0].allow_not_observed
    bad = write_values(workbook_path(returned, first), wl, {keys[0]: 2.5, keys[1]: 7}, tmp_path / "first.xlsx")
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    others = [workbook_path(returned, p) for p in roster.people[2:]]
    refs = [wl.by_key()[k][1].ref for k in keys]
    listing = [
        f"invalid     {first.id}  ({first.name})  {bad}",
        f"    {bad}: 'Scorecard'!{refs[0]}: expected a whole number from 0 to {ladder.scale.max}, found 2.5",
        f"    {bad}: 'Scorecard'!{refs[1]}: expected a whole number from 0 to {ladder.scale.max}, "
        f"or {ladder.not_observed.label} (not observed yet), found 7",  # this criterion may go unobserved
        f"missing     {second.id}  ({second.name})  no workbook returned",
        *(f"complete    {p.id}  ({p.name})  {workbook_path(returned, p)}" for p in roster.people[2:]),
        f"file        {junk}: not an .xlsx workbook, or a corrupt or truncated one "
        "(invalid Zip archive: Could not find EOCD)",
        f"{len(roster.people)} people: {len(roster.people) - 2} complete, 1 invalid, 1 missing; "
        "1 file problem(s)",
    ]
    return [bad, junk, *others], listing


def test_problems_exit_1_one_line_per_person_and_all_in_the_log(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], returned: Path, team_path: Path,
        roster: Roster, ladder: Ladder, tmp_path: Path, _history_db: Path) -> None:
    sources, listing = _with_problems(returned, roster, ladder, tmp_path)
    out = tmp_path / "results.json"
    code, stdout, stderr = run_main(monkeypatch, capsys, "collect", *sources, "--team", team_path,
                                    "--quarter", QUARTER, "--out", out)
    assert (code, stderr) == (1, "")
    log = tmp_path / "results.log"
    assert stdout.splitlines() == [
        f"{listing[0]}  (2 problems)", *listing[3:],
        f"results: {out}", f"problems: {log} (3 in all)",
        f"history: {len(roster.people)} people stored for {QUARTER} in {_history_db}",
    ]
    assert log.read_text(encoding="utf-8").splitlines() == listing
    assert len(read_results(out).unmatched) == 1  # results are written even when there are problems


@pytest.mark.parametrize("flag", ["--verbose", "-v", "--quiet", "-q"])
def test_verbose_prints_every_problem_quiet_only_the_totals(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], returned: Path, team_path: Path,
        roster: Roster, ladder: Ladder, tmp_path: Path, _history_db: Path, flag: str) -> None:
    sources, listing = _with_problems(returned, roster, ladder, tmp_path)
    out = tmp_path / "results.json"
    code, stdout, stderr = run_main(monkeypatch, capsys, "collect", *sources, "--team", team_path,
                                    "--quarter", QUARTER, "--out", out, flag)
    assert (code, stderr) == (1, "")
    if flag in ("--quiet", "-q"):
        assert stdout.splitlines() == [listing[-1]]
    else:
        assert stdout.splitlines() == [
            *listing, f"results: {out}", f"problems: {tmp_path / 'results.log'} (3 in all)",
            f"history: {len(roster.people)} people stored for {QUARTER} in {_history_db}"]
    assert (tmp_path / "results.log").read_text(encoding="utf-8").splitlines() == listing
    assert _history_db.exists()  # quiet prints less; it stores the same


def test_progress_bar_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                         returned: Path, team_path: Path, roster: Roster, tmp_path: Path) -> None:
    args = ("collect", returned, "--team", team_path, "--quarter", QUARTER, "--out", tmp_path / "r.json", "-q")
    code, _, stderr = run_main(monkeypatch, capsys, *args)
    assert (code, stderr) == (0, "")  # not a terminal: silent
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr("click._termui_impl.isatty", lambda _: True)
    code, _, stderr = run_main(monkeypatch, capsys, *args)
    assert code == 0
    assert "reading" in stderr and f"{len(roster.people)}/{len(roster.people)}" in stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--quarter", "2026Q4"], "Error: --quarter: expected a quarter like 2026-Q4, got '2026Q4'"),
    ([], "Error: Missing option '--quarter'."),
])
def test_usage_errors_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], returned: Path,
                             team_path: Path, tmp_path: Path, args: list[str], message: str) -> None:
    code, stdout, stderr = run_main(monkeypatch, capsys, "collect", returned, "--team", team_path, *args,
                                "--out", tmp_path / "r.json")
    assert code == 2
    assert stderr.splitlines()[-1] == message
    assert not (tmp_path / "r.json").exists()


def test_source_that_does_not_exist_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                            team_path: Path, tmp_path: Path) -> None:
    code, _, stderr = run_main(monkeypatch, capsys, "collect", tmp_path / "nope", "--team", team_path,
                           "--quarter", QUARTER, "--out", tmp_path / "r.json")
    assert code == 2
    assert stderr.splitlines()[-1] == f"Error: Invalid value for 'SOURCES...': Path '{tmp_path / 'nope'}' does not exist."


def test_unwritable_out_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                returned: Path, team_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "results.json"
    code, _, stderr = run_main(monkeypatch, capsys, "collect", returned, "--team", team_path, "--quarter", QUARTER,
                           "--out", out)
    assert code == 2
    assert stderr.splitlines() == [f"Error: --out: {out}: cannot write results: Not a directory"]


def test_bad_roster_exits_2_naming_the_file(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                           returned: Path, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text("org: X\nmanagers: []\npeople: 3\n", encoding="utf-8")
    code, _, stderr = run_main(monkeypatch, capsys, "collect", returned, "--team", team, "--quarter", QUARTER,
                           "--out", tmp_path / "r.json")
    assert code == 2
    assert stderr.startswith("Error: ") and str(team) in stderr


def test_help_has_an_example(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run_main(monkeypatch, capsys, "collect", "--help")
    assert code == 0
    assert "Example:\n      ladder-sheets collect out/2026-Q4 --team" in stdout


@pytest.mark.parametrize("newer", ["copy", "original"])
def test_a_duplicate_is_said_under_the_ignored_file_naming_both(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], returned: Path, team_path: Path,
        roster: Roster, tmp_path: Path, newer: str) -> None:
    """Whichever of the two is newer, the line under the person names the ignored file first and says it was
    the ignored one; the used one is named as used, never as "this one"."""
    person = roster.people[0]
    original = tmp_path / f"{person.id}.xlsx"
    copy = tmp_path / f"{person.id} (1).xlsx"
    shutil.copy2(workbook_path(returned, person), original)
    shutil.copy2(workbook_path(returned, person), copy)
    used, ignored = (copy, original) if newer == "copy" else (original, copy)
    os.utime(ignored, (used.stat().st_mtime - 3600,) * 2)
    code, out, _ = run_main(monkeypatch, capsys, "collect", original, copy, "--team", team_path, "--quarter", QUARTER,
                            "--out", tmp_path / "results.json", "--no-db", "-v")
    lines = out.splitlines()
    head = lines.index(f"invalid     {person.id}  ({person.name})  {used}")
    assert code == 1 and lines[head + 1] == (f"    {ignored}: {ignored} was ignored: {used} is also {person.id}'s "
                                             "workbook and was used (newer); remove the one that is wrong")


def test_two_copies_saved_at_the_same_moment_say_which_was_used_and_why(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], returned: Path, team_path: Path,
        roster: Roster, tmp_path: Path) -> None:
    """Neither is newer: the one last by name is used, and the line says so instead of "newer"."""
    person = roster.people[0]
    first, last = tmp_path / f"a {person.id}.xlsx", tmp_path / f"b {person.id}.xlsx"
    for path in (first, last):
        shutil.copy2(workbook_path(returned, person), path)
    moment = first.stat().st_mtime
    for path in (first, last):
        os.utime(path, (moment, moment))
    code, out, _ = run_main(monkeypatch, capsys, "collect", first, last, "--team", team_path, "--quarter", QUARTER,
                            "--out", tmp_path / "results.json", "--no-db", "-v")
    lines = out.splitlines()
    head = lines.index(f"invalid     {person.id}  ({person.name})  {last}")
    assert code == 1 and lines[head + 1] == (f"    {first}: {first} was ignored: {last} is also {person.id}'s workbook "
                                             "and was used (modified at the same time, last by name); remove the "
                                             "one that is wrong")
