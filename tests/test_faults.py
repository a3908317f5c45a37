"""Disk full, read-only folders and kills midway leave nothing half-written that a rerun trusts."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.core.errors import WorkbookError
from ladder_sheets.files import TEMP_PREFIX
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.workflows.report import build_report
from ladder_sheets.workflows.staged import staged_directory
from ladder_sheets.xlsx import manifest
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER
from tests.support.cli import run_main
from tests.support.results import inputs_for, results_for

ROOT = Path(__file__).resolve().parents[1]


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` (hidden ones too) by relative path -> SHA-256."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def fail_on(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, after: int, error: OSError) -> None:
    """Make ``module.name`` raise ``error`` from its ``after``-th call on."""
    real = getattr(module, name)
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] >= after:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


# ---- generate ----------------------------------------------------------------------------


def kill_generate_at(tmp_path: Path, nth: int) -> subprocess.CompletedProcess[str]:
    """Run generate in a child process that SIGKILLs itself right after recording its ``nth`` workbook
    in the journal, before renaming it into place: the worst moment to die."""
    script = f"""
import os, signal
from datetime import date
from pathlib import Path
from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.config.resources import example_team_path
from ladder_sheets.xlsx import generate as g, manifest
real, seen = manifest.record, [0]
def record(directory, entry):
    real(directory, entry)
    seen[0] += 1
    if seen[0] == {nth}:
        os.kill(os.getpid(), signal.SIGKILL)
g.manifest.record = record
ladder = load_ladder()
g.generate(ladder, load_roster(example_team_path(), ladder), "{QUARTER}", Path({str(tmp_path)!r}), due=date(2026, 12, 7), jobs=1)
"""
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_killed_generate_resumes_without_force(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    done = kill_generate_at(tmp_path, 4)
    assert done.returncode == -signal.SIGKILL, done.stderr
    directory = tmp_path / QUARTER
    assert not (directory / manifest.MANIFEST_NAME).exists()
    assert len(manifest.journal(directory)) == 4  # three landed, the fourth recorded but not renamed
    assert len(list(directory.glob("*.xlsx"))) == 3
    report = generate(ladder, roster, QUARTER, tmp_path, due=DUE)
    assert report.skipped == [] and report.backed_up == [] and len(report.written) == len(roster.people)
    entries = manifest.read(directory)
    assert {pid: manifest.sha256_of(directory / e.file) for pid, e in entries.items()} == {
        pid: e.sha256 for pid, e in entries.items()}
    assert not (directory / manifest.JOURNAL_NAME).exists() and not list(directory.glob(f"{TEMP_PREFIX}*"))


def test_a_workbook_touched_after_a_killed_run_is_still_protected(ladder: Ladder, roster: Roster,
                                                                  tmp_path: Path) -> None:
    kill_generate_at(tmp_path, 3)
    touched = tmp_path / QUARTER / f"{roster.people[0].id}.xlsx"
    touched.write_bytes(touched.read_bytes() + b"an SE's answers")
    report = generate(ladder, roster, QUARTER, tmp_path, due=DUE)
    assert [pid for pid, _ in report.skipped] == [roster.people[0].id]
    assert touched.read_bytes().endswith(b"an SE's answers")


def test_disk_full_in_generate_is_one_error_naming_the_file_and_the_rerun_finishes(
        ladder: Ladder, roster: Roster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    real_write, workbooks = os.write, {"n": 0}

    def write(fd: int, data: Any) -> int:  # the disk fills up while the fifth workbook is written
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(TEMP_PREFIX):
            workbooks["n"] += 1
            if workbooks["n"] >= 5:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    code, out, err = run_main(monkeypatch, capsys, "generate", "--team", team_path, "--quarter", QUARTER,
                              "--out", tmp_path, "--due", "2026-12-07", "--jobs", "1")
    fifth = roster.people[4].id
    assert code == 1 and out == ""
    assert err == (f"Error: {tmp_path / QUARTER / (fifth + '.xlsx')}: cannot write workbook: "
                   "[Errno 28] No space left on device\n")
    assert not list((tmp_path / QUARTER).glob(f"{TEMP_PREFIX}*"))  # no half-written workbook left behind
    monkeypatch.undo()
    report = generate(ladder, roster, QUARTER, tmp_path, due=DUE)
    assert report.skipped == [] and len(report.written) == len(roster.people)


def test_read_only_folder_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    import ladder_sheets.xlsx.generate as gen

    target = tmp_path / "ro"

    def read_only(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(gen.Path, "mkdir", read_only)
    code, out, err = run_main(monkeypatch, capsys, "generate", "--team", team_path, "--quarter", QUARTER,
                              "--out", target)
    assert (code, out, err) == (1, "", f"Error: {target / QUARTER}: cannot create the folder: Read-only file system\n")


# ---- report ------------------------------------------------------------------------------


@pytest.fixture
def results(ladder: Ladder, roster: Roster) -> Any:
    return results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people})


def test_a_failed_report_leaves_the_previous_one_intact(ladder: Ladder, results: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import ladder_sheets.workflows.report as report_module

    out = tmp_path / "report"
    build_report(results, ladder, out, leadership=["vp@apex.example"])
    (out / "notes.md").write_text("mine")  # not the report's: kept
    before = snapshot(out)
    fail_on(monkeypatch, report_module, "_write", 4, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(WorkbookError, match=f"{out}: cannot write the report: .*No space left on device"):
        build_report(results, ladder, out, leadership=["vp@apex.example"])
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no staging folder left


def test_a_report_killed_midway_leaves_the_previous_one_and_the_rerun_cleans_up(
        ladder: Ladder, results: Any, tmp_path: Path) -> None:
    out = tmp_path / "report"
    build_report(results, ladder, out, leadership=["vp@apex.example"])
    before = snapshot(out)
    script = f"""
import os, signal
from pathlib import Path
import ladder_sheets.workflows.report as r
from ladder_sheets.workflows.results_file import read_results
from ladder_sheets.config.ladder import load_ladder
real, seen = r._write, [0]
def write(path, data):
    seen[0] += 1
    if seen[0] == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(path, data)
r._write = write
r.build_report(read_results(Path({str(tmp_path / 'results.json')!r})), load_ladder(), Path({str(out)!r}),
               leadership=["vp@apex.example"])
"""
    from ladder_sheets.workflows.results_file import write_results

    write_results(results, tmp_path / "results.json")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert snapshot(out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.new-")]
    assert len(leftovers) == 1  # hidden beside it: `send report/` never sees it
    build_report(results, ladder, out, leadership=["vp@apex.example"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report", "results.json"]


def test_a_kill_between_the_two_renames_loses_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with staged_directory(target) as stage:
        (stage / "a.eml").write_text("first")
    # as a kill right after moving the old folder aside leaves things:
    aside = tmp_path / ".out.old-x"
    aside.mkdir()
    os.rename(target, aside / "out")
    with pytest.raises(RuntimeError):
        with staged_directory(target) as stage:  # the next run first puts the old folder back...
            assert (target / "a.eml").read_text() == "first"
            raise RuntimeError("...then fails itself")
    assert (target / "a.eml").read_text() == "first" and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_send_log_write_failure_stops_sending_and_says_what_was_delivered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ladder_sheets.core.errors import ConfigError
    from ladder_sheets.mail import sendlog
    from ladder_sheets.mail.smtp import Server, build_message, send_eml_dir, write_eml
    from tests.support.smtp import smtp_server

    for n in (1, 2):
        write_eml(build_message("ops@apex.example", [f"se{n}@apex.example"], f"m{n}", "t", "<p>h</p>"),
                  tmp_path / f"m{n}.eml")
    fail_on(monkeypatch, sendlog.os, "fsync", 1, OSError(errno.ENOSPC, "No space left on device"))
    with smtp_server() as (controller, recorder, _):
        with pytest.raises(ConfigError, match="cannot write the send log: No space left on device; "
                                              "m1.eml was delivered for se1@apex.example"):
            send_eml_dir(tmp_path, Server("127.0.0.1", controller.port))
    assert len(recorder.received) == 1  # it stopped: the second message was not sent unrecorded


def test_manifest_journal_torn_line_is_ignored(tmp_path: Path) -> None:
    entry = manifest.Entry("a", "A", "a@x.example", "m", "a.xlsx", "0" * 64, "v", "t")
    manifest.record(tmp_path, entry)
    with (tmp_path / manifest.JOURNAL_NAME).open("a") as fh:
        fh.write(json.dumps({"person_id": "b"})[:10])
    assert manifest.journal(tmp_path) == [entry]


def test_journal_held_open_follows_the_file_at_its_path(tmp_path: Path) -> None:
    """record keeps the journal open between workbooks; once the manifest has absorbed the journal
    (or anything else replaced it), the next record starts a new journal instead of writing to the old."""
    entries = [manifest.Entry(p, p.upper(), f"{p}@x.example", "m", f"{p}.xlsx", "0" * 64, "v", "t") for p in "abc"]
    manifest.record(tmp_path, entries[0])
    manifest.record(tmp_path, entries[1])
    assert manifest.journal(tmp_path) == entries[:2]
    manifest.write(tmp_path, QUARTER, {e.person_id: e for e in entries[:2]})
    assert not (tmp_path / manifest.JOURNAL_NAME).exists()
    manifest.record(tmp_path, entries[2])
    assert manifest.journal(tmp_path) == [entries[2]]
    (tmp_path / manifest.JOURNAL_NAME).unlink()
    (tmp_path / manifest.JOURNAL_NAME).write_text("")  # another run's fresh journal at the same path
    manifest.record(tmp_path, entries[0])
    assert manifest.journal(tmp_path) == [entries[0]]
