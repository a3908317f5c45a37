"""A run killed part-way leaves temporary files; the next run removes them, and nothing else.

Each command is run for real in a process that is killed (SIGKILL: no ``finally``, no
``atexit``) right before it renames one of its temporary files into place, which is where
a kill leaves one behind: the workbook folder (generate), the results folder (collect), the
Google state's folder (push), a report's and an outbox's folder (report, handout) and the
private folder of attachments from saved emails (collect from a mailbox). The next run of
the same command removes what the killed one left once it is older than a moment, and
leaves alone whatever else is there: a young temporary file, one of a process still
running, look-alike names, links, the user's own files.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from ladder_sheets import files
from ladder_sheets.mail.maildir import deliver, reply
from tests.conftest import QUARTER
from tests.support.cli import run_main

# Runs ladder-sheets with os.replace and os.rename wrapped: the Nth move of a temporary file (or of a folder
# built aside, ".<name>.new-...") into place kills the process first; with KILL_AT_UTIME, the first time a
# file's time is set (an attachment copied from a saved email, dated as its email) does.
KILLER = """
import os, re, signal, sys
from ladder_sheets import files
from ladder_sheets.cli import main
at, seen = int(os.environ["KILL_AT_RENAME"]), [0]
if os.environ.get("KILL_AT_UTIME"):
    os.utime = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
def killing(real):
    def move(src, dst, *args, **kwargs):
        name = os.path.basename(str(src))
        if name.startswith(files.TEMP_PREFIX) or re.match(r"[.].*[.]new-", name):
            seen[0] += 1
            if seen[0] == at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst, *args, **kwargs)
    return move
os.replace, os.rename = killing(os.replace), killing(os.rename)
sys.argv = ["ladder-sheets", *sys.argv[1:]]
main()
"""


def _killed(args: Sequence[object], at: int, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run([sys.executable, "-c", KILLER, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "KILL_AT_RENAME": str(at), **(env or {})}, timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)


def _left(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(f"{files.TEMP_PREFIX}*"))


def _aged(paths: Sequence[Path], seconds: float = 60) -> None:
    """As the next run finds them: written a while ago (the kill was not a moment before)."""
    then = time.time() - seconds
    for p in paths:
        os.utime(p, (then, then), follow_symlinks=False)


class Neighbours:
    """What a folder holds besides a killed run's leftovers; all of it must survive the sweep."""

    def __init__(self, folder: Path, alive_pid: int, *, fresh: bool = False) -> None:
        """``fresh``: also a dead writer's file written this very moment (only for a sweep made at once:
        a whole run may take longer than that moment, and then rightly removes it)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.paths = [
            folder / f"{files.TEMP_PREFIX}{alive_pid}-0-results.json",  # another run, writing right now
            folder / f"{files.TEMP_PREFIX}notes.txt",  # the prefix, but not our name: no process id
            folder / "ladder-sheets-tmp-1-2-notes.txt",  # not hidden: not ours
            folder / "my notes.txt",
        ]
        for p in self.paths:
            p.write_text("keep me")
        _aged(self.paths)
        if fresh:
            self.paths.append(folder / f"{files.TEMP_PREFIX}999999-0-fresh.xlsx")
            self.paths[-1].write_text("keep me")
        self.link = folder / f"{files.TEMP_PREFIX}1-1-link"
        self.link.symlink_to(folder / "my notes.txt")
        _aged([self.link])

    def intact(self) -> bool:
        return all(p.read_text() == "keep me" for p in self.paths) and self.link.is_symlink()


@pytest.fixture
def alive() -> object:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def test_generate_killed_mid_write_leaves_nothing_after_the_next_run(
        tmp_path: Path, team_path: Path, alive: subprocess.Popen[bytes], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _killed(["generate", "--team", team_path, "--quarter", QUARTER, "--out", out, "--jobs", "1"], at=3)
    left = _left(out / QUARTER)
    assert len(left) == 1 and left[0].name.endswith(".xlsx"), left  # a workbook, written, never renamed
    _aged(left)
    neighbours = Neighbours(out / QUARTER, alive.pid)
    code, _, err = run_main(monkeypatch, capsys, "generate", "--team", team_path, "--quarter", QUARTER,
                            "--out", out, "--jobs", "1")
    assert code == 0, err
    assert not left[0].exists() and neighbours.intact()


def test_collect_killed_mid_write_leaves_nothing_after_the_next_run(
        tmp_path: Path, team_path: Path, alive: subprocess.Popen[bytes], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    run_main(monkeypatch, capsys, "generate", "--team", team_path, "--quarter", QUARTER, "--out", tmp_path / "g",
             "--jobs", "1")
    results = tmp_path / "results" / "results.json"
    args = ["collect", tmp_path / "g" / QUARTER, "--team", team_path, "--quarter", QUARTER, "--out", results,
            "--no-db"]
    _killed(args, at=1)  # results.json written, not renamed
    left = _left(results.parent)
    assert len(left) == 1 and left[0].name.endswith("results.json") and not results.exists()
    _aged(left)
    neighbours = Neighbours(results.parent, alive.pid)
    assert run_main(monkeypatch, capsys, *args)[0] in (0, 1)
    assert not left[0].exists() and results.exists() and neighbours.intact()


def test_collect_from_a_mailbox_killed_leaves_no_attachments_behind(
        tmp_path: Path, team_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        roster: object) -> None:
    """The attachments of saved emails are copied to a private folder in the system's temporary folder."""
    from datetime import datetime, timezone

    run_main(monkeypatch, capsys, "generate", "--team", team_path, "--quarter", QUARTER, "--out", tmp_path / "g",
             "--jobs", "1")
    workbook = next((tmp_path / "g" / QUARTER).glob("*.xlsx"))
    inbox = deliver(tmp_path / "inbox", [reply("someone@example.com", "ops@example.com", "Re", "here",
                                               datetime(2026, 12, 1, tzinfo=timezone.utc),
                                               [(workbook.name, workbook.read_bytes())])])
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    args = ["collect", inbox, "--team", team_path, "--quarter", QUARTER, "--out", tmp_path / "r" / "results.json",
            "--no-db"]
    _killed(args, at=0, env={"TMPDIR": str(system_tmp), "KILL_AT_UTIME": "1"})
    left = _left(system_tmp)
    assert len(left) == 1 and left[0].is_dir() and any(left[0].iterdir())  # the copies of the attachments
    _aged(left)
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again, as a new process does
    monkeypatch.setattr(files, "_swept", set())
    assert run_main(monkeypatch, capsys, *args)[0] in (0, 1)
    assert list(system_tmp.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "handout"])
def test_a_report_or_outbox_killed_mid_build_leaves_nothing_after_the_next_run(
        command: str, tmp_path: Path, team_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    run_main(monkeypatch, capsys, "generate", "--team", team_path, "--quarter", QUARTER, "--out", tmp_path / "g",
             "--jobs", "1")
    results = tmp_path / "results.json"
    run_main(monkeypatch, capsys, "collect", tmp_path / "g" / QUARTER, "--team", team_path, "--quarter", QUARTER,
             "--out", results, "--no-db")
    out = tmp_path / "emails"
    args = {"report": ["report", results, "--team", team_path, "--out", out, "--no-trends"],
            "handout": ["handout", "--team", team_path, "--quarter", QUARTER, "--workbooks", tmp_path / "g" / QUARTER,
                        "--out", out]}[command]
    assert run_main(monkeypatch, capsys, *args)[0] == 0
    before = sorted(p.name for p in out.iterdir())
    _killed(args, at=1)
    assert _left(tmp_path) or [p for p in tmp_path.iterdir() if p.name.startswith(".emails.new-")]
    _aged([*_left(tmp_path), *tmp_path.glob(".emails.new-*")])
    assert run_main(monkeypatch, capsys, *args)[0] == 0
    assert _left(tmp_path) == [] and not list(tmp_path.glob(".emails.*"))
    assert sorted(p.name for p in out.iterdir()) == before


def test_the_sweep_removes_only_a_dead_writers_old_temporary_files(tmp_path: Path,
                                                                   alive: subprocess.Popen[bytes]) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    gone = tmp_path / f"{files.TEMP_PREFIX}{int(dead.stdout)}-7-book.xlsx"
    gone.write_bytes(b"half a workbook")
    gone_dir = tmp_path / f"{files.TEMP_PREFIX}{int(dead.stdout)}-8-mail-x"
    gone_dir.mkdir()
    (gone_dir / "a.xlsx").write_bytes(b"a copy")
    _aged([gone, gone_dir])
    neighbours = Neighbours(tmp_path, alive.pid, fresh=True)
    assert sorted(files.sweep(tmp_path)) == sorted([gone, gone_dir])
    assert neighbours.intact() and not gone.exists() and not gone_dir.exists()


def test_the_google_state_folder_is_swept_when_the_state_is_saved(tmp_path: Path) -> None:
    """push and pull save their state after every step: the first save of a run clears what a killed one left."""
    from ladder_sheets.google.sync_state import SyncState

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    left = tmp_path / f"{files.TEMP_PREFIX}{int(dead.stdout)}-3-ladder-sheets-gsheets.json"
    left.write_text('{"half": ')
    _aged([left])
    state = SyncState.load(tmp_path / "ladder-sheets-gsheets.json")
    state.quarter(QUARTER)
    state.save()
    assert not left.exists() and (tmp_path / "ladder-sheets-gsheets.json").exists()


def test_a_run_started_right_after_the_kill_still_removes_what_it_left(tmp_path: Path, team_path: Path) -> None:
    """No wait between the kill and the next run, a new process as a person starts it: the leftover goes (at
    the run's first write there, or when it ends, if it was not a moment old yet)."""
    out = tmp_path / "out"
    args = ["generate", "--team", team_path, "--quarter", QUARTER, "--out", out, "--jobs", "1"]
    _killed(args, at=2)
    left = _left(out / QUARTER)
    assert len(left) == 1
    again = subprocess.run([sys.executable, "-m", "ladder_sheets", *map(str, args)], capture_output=True, text=True,
                           timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    assert _left(out / QUARTER) == [] and len(list((out / QUARTER).glob("*.xlsx"))) >= 8


def test_a_run_shorter_than_a_moment_waits_for_the_leftover_of_a_kill_just_before(tmp_path: Path) -> None:
    """A script that reruns at once: the new process writes once and ends before the killed run's file is a
    moment old; it still leaves the folder clean."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    left = tmp_path / f"{files.TEMP_PREFIX}{int(dead.stdout)}-1-book.xlsx"
    left.write_bytes(b"half a workbook")
    write = "import sys; from pathlib import Path; from ladder_sheets import files; " \
            "files.write_bytes(Path(sys.argv[1]) / 'book.xlsx', b'whole')"
    subprocess.run([sys.executable, "-c", write, str(tmp_path)], check=True, timeout=60)
    assert not left.exists() and (tmp_path / "book.xlsx").read_bytes() == b"whole"
