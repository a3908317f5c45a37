"""Save workbooks as Excel's binary workbook (.xlsb) with SheetJS, for tests.

No spreadsheet app on the test machine saves .xlsb (LibreOffice has no export filter for
it, Excel does not run here) and no Python library writes it, so the tests run SheetJS,
pinned by ``tests/support/xlsb/package-lock.json``, in node: ``convert.js`` there. ``make
test`` installs node and npm (Debian packages nodejs, npm) and SheetJS (``npm ci``); when
either is missing this fails loudly, it never skips.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FOLDER = Path(__file__).with_name("xlsb")
CONVERT = FOLDER / "convert.js"


def save_as_xlsb(xlsx: Path, xlsb: Path, short: bool = False) -> Path:
    """Save ``xlsx`` as ``xlsb``, laid out as Excel lays one out (every cell with its column).

    ``short``: as SheetJS writes it, each cell after the first of a row in the short record
    form (no column), which python-calamine skips.
    """
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed; run `make test`, which installs nodejs and npm and SheetJS")
    if not (FOLDER / "node_modules" / "xlsx" / "package.json").exists():
        raise RuntimeError(f"SheetJS is not installed in {FOLDER}; run `make test`, which installs it there "
                           "(npm ci)")
    xlsb.unlink(missing_ok=True)
    proc = subprocess.run([node, str(CONVERT), str(xlsx), str(xlsb), *(["--short"] if short else [])],
                          capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode or not xlsb.exists():
        raise RuntimeError(f"SheetJS did not save {xlsx} as {xlsb}: rc={proc.returncode} "
                           f"stderr={proc.stderr.strip()}")
    return xlsb
