"""Recalculate workbooks in LibreOffice headless: the formula oracle of the tests.

LibreOffice is installed by ``make test`` (Debian package libreoffice-calc-nogui). When it
is missing this fails loudly; it never skips.

Every way the tests start LibreOffice finds it through ``soffice()``, which refuses to
start it for a test without ``@pytest.mark.libreoffice`` (tests/conftest.py says which
test is running), so ``-m "not libreoffice"`` really runs without it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


# (node id, carries @pytest.mark.libreoffice) of the test being set up or run; None outside pytest.
running: tuple[str, bool] | None = None


def soffice() -> str:
    """The LibreOffice executable, for a test marked ``libreoffice`` (or outside pytest)."""
    if running is not None and not running[1]:
        raise RuntimeError(f"{running[0]} starts LibreOffice: mark it @pytest.mark.libreoffice "
                           "(and every test sharing the fixture that starts it)")
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError(
            "LibreOffice (soffice) is not installed; run `make test`, which installs libreoffice-calc-nogui"
        )
    return exe


def recalc(paths: Sequence[Path], outdir: Path, timeout: float = 300) -> list[Path]:
    """Open each workbook in LibreOffice, recalculate, save as .xlsx into ``outdir``.

    The saved files carry cached formula values, like a workbook returned by someone who
    opened and saved it in a spreadsheet app. One soffice process handles all files, with
    its own throw-away profile so parallel runs never share state.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [soffice(), "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation=file://{profile}",
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, paths)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    outputs = [outdir / Path(p).with_suffix(".xlsx").name for p in paths]
    # soffice exits 0 even when a conversion fails: the output files are the truth.
    missing = [str(o) for o in outputs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: rc={proc.returncode} stderr={proc.stderr.strip()}")
    return outputs
