"""Where the shipped data (default config, templates) lives.

A wheel carries them inside the package (``ladder_sheets/_data``, see pyproject's
force-include); an editable checkout reads them from the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parents[1] / "_data"  # ladder_sheets/_data
_REPO_ROOT = Path(__file__).resolve().parents[3]  # src/ladder_sheets/config/ -> the checkout


def data_dir(name: str) -> Path:
    """The shipped ``config`` or ``templates`` directory."""
    for base in (_PACKAGE_DATA, _REPO_ROOT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ladder-sheets data directory {name!r} is missing from the installation")


def default_ladder_path() -> Path:
    return data_dir("config") / "ladder.yaml"


def example_team_path() -> Path:
    return data_dir("config") / "example-team.yaml"
