"""A plain `pip install .` must carry the default config and the templates (not only an editable checkout)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from hatchling.build import build_wheel

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_config_and_templates(tmp_path: Path) -> None:
    here = Path.cwd()
    os.chdir(ROOT)  # hatchling builds the project in the working directory
    try:
        name = build_wheel(str(tmp_path))
    finally:
        os.chdir(here)
    names = set(zipfile.ZipFile(tmp_path / name).namelist())
    shipped = {f"ladder_sheets/_data/config/{p.name}" for p in (ROOT / "config").iterdir()}
    shipped |= {f"ladder_sheets/_data/templates/{p.name}" for p in (ROOT / "templates").iterdir()}
    assert shipped <= names
    assert {"ladder_sheets/cli/__init__.py", "ladder_sheets/py.typed"} <= names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
