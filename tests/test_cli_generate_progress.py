"""generate shows a progress bar on a terminal (stderr) and nothing when stderr is a pipe or a file.

The terminal needs a real process (on a pseudo-terminal); the pipe does not."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from ladder_sheets.config.resources import example_team_path
from tests.support.cli import run_main

ARGS = ["-m", "ladder_sheets", "generate", "--team", str(example_team_path()), "--quarter", "2026-Q4"]


def _run_on_a_terminal(out: Path) -> tuple[int, str, str]:
    """(exit code, stdout, what the terminal on stderr showed)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, *ARGS, "--out", str(out)], stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end closed (EIO on Linux)
                break
            if not chunk:
                break
            shown += chunk
        stdout = proc.stdout.read() if proc.stdout else b""
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
    return code, stdout.decode(), shown.decode(errors="replace")


def test_a_terminal_sees_the_progress_bar(tmp_path: Path) -> None:
    code, stdout, shown = _run_on_a_terminal(tmp_path / "out")
    assert code == 0
    assert "generating" in shown and "100%" in shown, shown
    assert stdout == f"wrote 8 workbook(s) to {tmp_path / 'out' / '2026-Q4'}/ (manifest: {tmp_path / 'out' / '2026-Q4' / 'manifest.json'})\n"


def test_a_pipe_gets_no_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = run_main(monkeypatch, capsys, *ARGS[2:], "--out", tmp_path / "out")  # stderr: not a terminal
    assert (code, stderr) == (0, "")
    assert stdout.startswith("wrote 8 workbook(s)")
