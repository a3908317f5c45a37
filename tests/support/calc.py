"""One headless LibreOffice per test session, driven through UNO: edit workbooks as people do, save as they do.

Debian's python3-uno works with /usr/bin/python3 only, so the UNO calls run in a small
driver (``uno_driver.py``) under that Python, speaking one JSON line per request. Both
LibreOffice and python3-uno are installed by ``make test`` (system-deps); when either is
missing this fails loudly, it never skips.
"""

from __future__ import annotations

import json
import os
import signal
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.support.libreoffice import soffice

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).with_name("uno_driver.py")

# storeToURL filter names: what "Save as" writes.
FORMATS = {"xlsx": "Calc MS Excel 2007 XML", "xlsm": "Calc MS Excel 2007 VBA XML", "ods": "calc8", "xls": "MS Excel 97"}

Edit = Mapping[str, Any]


class Calc:
    """A running soffice and its UNO driver. ``apply`` opens a workbook, edits it, saves it and reads defined names."""

    def __init__(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="lo-uno-profile-")
        port = _free_port()
        self._office = subprocess.Popen(
            [soffice(), "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
             f"-env:UserInstallation=file://{self._profile}",
             f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        if subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False).returncode:
            self.close()
            raise RuntimeError(f"python3-uno is not importable by {SYSTEM_PYTHON}; run `make test`, "
                               "which installs it (Debian package python3-uno)")
        self._driver = subprocess.Popen([SYSTEM_PYTHON, str(DRIVER), str(port)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        try:
            hello = self._answer()
        except Exception:
            self.close()
            raise

    def _answer(self) -> dict[str, Any]:
        assert self._driver.stdout is not None
        line = self._driver.stdout.readline()
        if not line:
            raise RuntimeError("the UNO driver ended (did soffice crash?)")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def apply(self, path: Path, edits: Sequence[Edit], out: Path, fmt: str = "xlsx",
              names: Sequence[str] = (), more: Sequence[tuple[Path, str]] = ()) -> dict[str, Any]:
        """Open ``path``, make ``edits``, recalculate, save as ``fmt`` to ``out`` (and as each of ``more``:
        (path, format), one round trip for them all); the defined names' values."""
        assert self._driver.stdin is not None
        for target, _ in ((out, fmt), *more):
            target.parent.mkdir(parents=True, exist_ok=True)
        request = {"path": str(path.resolve()), "out": str(out.resolve()), "filter": FORMATS[fmt],
                   "edits": list(edits), "names": list(names),
                   "more": [{"out": str(p.resolve()), "filter": FORMATS[f]} for p, f in more]}
        self._driver.stdin.write(json.dumps(request) + "\n")
        self._driver.stdin.flush()
        answer = self._answer()
        if not answer.get("ok"):
            raise RuntimeError(f"LibreOffice could not edit {path}: {answer.get('error')}\n{answer.get('trace', '')}")
        for target, _ in ((out, fmt), *more):
            if not target.exists():
                raise RuntimeError(f"LibreOffice did not write {target}")
        values: dict[str, Any] = answer["names"]
        return values

    @property
    def exit_code(self) -> int | None:
        """LibreOffice's exit status: 0 when it quit on its own, None while it runs."""
        return self._office.poll()

    def close(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None and driver.poll() is None:
            assert driver.stdin is not None
            driver.stdin.close()
            try:
                driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                driver.kill()
        try:
            self._office.wait(timeout=20 if driver is not None else 0)  # the driver asked it to quit
        except subprocess.TimeoutExpired:
            pass
        if self._office.poll() is None:
            # oosplash starts soffice.bin in the session it was given: end that session's processes only.
            os.killpg(self._office.pid, signal.SIGTERM)
            try:
                self._office.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self._office.pid, signal.SIGKILL)
        shutil.rmtree(self._profile, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def assert_shown(want: Mapping[str, Any], found: Mapping[str, Any]) -> None:
    """Every cell Calc saved (``found``, by key) shows what it must (``want``): numbers to rounding, an empty cell
    as ""."""
    assert set(found) == set(want)
    for k, value in want.items():
        if isinstance(value, float):
            assert found[k] == pytest.approx(value), k
        else:
            assert (found[k] if found[k] is not None else "") == value, k
