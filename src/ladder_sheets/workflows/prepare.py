"""Starting a quarter: ``init`` (an org's own config), ``validate`` and ``generate``."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.ladder import load_ladder, load_roster
from ..config.resources import data_dir
from ..core.errors import ConfigError
from .progress import Progress, Say, per_item

if TYPE_CHECKING:
    from ..xlsx.generate import GenerateReport

_STARTER = [("ladder.yaml", "ladder.yaml"), ("example-team.yaml", "team.yaml")]  # (shipped, written as)


def init_config(directory: Path) -> list[Path]:
    """``ladder-sheets init``: copy the shipped ladder and an example roster into ``directory``.

    Returns the files written. Raises ConfigError, writing nothing, when either exists:
    an org's edited config is never overwritten.
    """
    directory.mkdir(parents=True, exist_ok=True)
    existing = [directory / dst for _, dst in _STARTER if (directory / dst).exists()]
    if existing:
        raise ConfigError(f"{', '.join(map(str, existing))}: already exists; not overwriting")
    written = []
    for src, dst in _STARTER:
        shutil.copyfile(data_dir("config") / src, directory / dst)
        written.append(directory / dst)
    return written


def validate_config(ladder_path: Path | None, team_path: Path) -> list[str]:
    """``ladder-sheets validate``: what the ladder and the roster hold, once both load.

    Loading raises ConfigError listing every problem at once.
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    criteria = sum(len(r.criteria) for r in ladder.rubrics.values())
    lines = [f"OK: ladder {ladder.name!r} v{ladder.version}: {len(ladder.levels)} levels, {len(ladder.rubrics)} rubrics "
             f"({criteria} criteria), {len(ladder.metrics)} metrics, {len(ladder.pivots)} pivots",
             f"OK: roster {team_path}: {len(roster.people)} people, {len(roster.managers)} managers"]
    raters = {r.key for p in roster.people for r in p.raters}
    if raters:
        settings = ladder.peer_input
        shown = (f"anonymous, shown from {settings.min_raters} raters" if settings.attribution == "anonymous"
                 else "attributed")
        lines.append(f"OK: peer input: {len(raters)} raters for {sum(1 for p in roster.people if p.raters)} SEs, on "
                     f"the criteria marked peer_rated ({shown})")
    return lines


def generate_workbooks(ladder_path: Path | None, team_path: Path, quarter: str, out: Path, *, due: date | None,
                       force: bool = False, jobs: int | None = None, carry_from: Path | None = None,
                       say: Say, progress: Progress | None = None) -> GenerateReport:
    """``ladder-sheets generate``: one workbook per SE in ``out``/QUARTER, and the manifest.

    ``carry_from``: a history database whose quarter before this one fills the read-only
    "Last quarter" columns (``say`` tells how many people it has).
    """
    from ..xlsx.generate import generate  # openpyxl comes with it: init and validate do without
    from .history_db import carry_forward

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    carry = None
    if carry_from is not None:
        carry, note = carry_forward(carry_from, roster, quarter)
        say(note)
    return generate(ladder, roster, quarter, out, due=due, force=force, jobs=jobs, carry=carry,
                    progress=per_item(progress, len(roster.people)))
