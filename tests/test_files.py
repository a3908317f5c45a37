"""files: a file is replaced whole or not at all, and what a killed writer leaves is recognisable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ladder_sheets.files import TEMP_PREFIX, write_bytes, write_text


def test_bytes_and_text_replace_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new folder" / "a.json"
    write_bytes(path, b"first")
    assert path.read_bytes() == b"first"
    write_text(path, iter(["Grüße", ", ", "second\n"]))
    assert path.read_text(encoding="utf-8") == "Grüße, second\n"
    assert os.listdir(path.parent) == ["a.json"]
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_write_that_fails_part_way_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "results.log"
    path.write_text("the last run's\n", encoding="utf-8")

    def lines() -> Iterator[str]:
        yield "half of a new one\n"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_text(path, lines())
    assert path.read_text(encoding="utf-8") == "the last run's\n"
    assert os.listdir(tmp_path) == ["results.log"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "a folder").mkdir()
    with pytest.raises(IsADirectoryError):
        write_bytes(tmp_path / "a folder", b"x")
    assert os.listdir(tmp_path) == ["a folder"]


def test_a_killed_writer_leaves_the_previous_file_and_a_temp_file_named_as_documented(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("{}\n", encoding="utf-8")
    script = f"""
import os, signal
from pathlib import Path
from ladder_sheets.files import write_text

def lines():
    yield "x" * 100_000  # past the file's buffer: on disk before the kill
    os.kill(os.getpid(), signal.SIGKILL)
    yield "never"

write_text(Path({str(path)!r}), lines())
"""
    proc = subprocess.Popen([sys.executable, "-c", script])
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert path.read_text(encoding="utf-8") == "{}\n"
    left = sorted(set(os.listdir(tmp_path)) - {"manifest.json"})
    assert left == [f"{TEMP_PREFIX}{proc.pid}-0-manifest.json"]
    assert (tmp_path / left[0]).stat().st_size == 100_000
