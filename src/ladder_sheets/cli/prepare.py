"""Commands that start a quarter: ``init`` (an org's own config), ``validate`` and ``generate``."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..config.ladder import load_ladder, load_roster
from ..config.resources import data_dir
from ..core.errors import ConfigError
from .options import db_option, default_db, ladder_option, quarter_option, team_option


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Copy the default ladder and an example roster into DIRECTORY to edit for your org.

    \b
    Example:
        ladder-sheets init my-org
        ladder-sheets validate --ladder my-org/ladder.yaml --team my-org/team.yaml
    """
    directory.mkdir(parents=True, exist_ok=True)
    pairs = [("ladder.yaml", "ladder.yaml"), ("example-team.yaml", "team.yaml")]
    existing = [directory / dst for _, dst in pairs if (directory / dst).exists()]
    if existing:
        raise ConfigError(f"{', '.join(map(str, existing))}: already exists; not overwriting")
    for src, dst in pairs:
        shutil.copyfile(data_dir("config") / src, directory / dst)
        click.echo(f"wrote {directory / dst}")


@click.command()
@ladder_option
@team_option
def validate(ladder_path: Path | None, team_path: Path) -> None:
    """Check a ladder definition and a roster; report every problem at once.

    \b
    Example:
        ladder-sheets validate --team config/example-team.yaml
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    criteria = sum(len(r.criteria) for r in ladder.rubrics.values())
    click.echo(
        f"OK: ladder {ladder.name!r} v{ladder.version}: {len(ladder.levels)} levels, {len(ladder.rubrics)} rubrics "
        f"({criteria} criteria), {len(ladder.metrics)} metrics, {len(ladder.pivots)} pivots"
    )
    click.echo(f"OK: roster {team_path}: {len(roster.people)} people, {len(roster.managers)} managers")


@contextmanager
def _generate_progress(total: int) -> Iterator[Callable[[str], None] | None]:
    """A progress bar on stderr while workbooks are written, on a terminal only (nothing in pipes and logs)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="generating", file=sys.stderr) as bar:
        yield lambda _person_id: bar.update(1)


@click.command()
@ladder_option
@team_option
@quarter_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("out"), show_default=True,
              help="Output directory; workbooks go to OUT/QUARTER/.")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date shown in the workbooks (default: in 14 days).")
@click.option("--force", is_flag=True, help="Replace workbooks changed since generation (the old file is kept as .bak).")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per core).")
@click.option("--carry-forward", is_flag=True,
              help="Show last quarter's evidence and metrics (from the history database) in read-only columns.")
@db_option
def generate(ladder_path: Path | None, team_path: Path, quarter: str, out: Path, due: object, force: bool,
             jobs: int | None, carry_forward: bool, db_path: Path | None) -> None:
    """Write one workbook per SE for QUARTER, plus a manifest.

    Workbooks that someone has changed since they were generated are never overwritten.

    \b
    Example:
        ladder-sheets generate --team config/example-team.yaml --quarter 2026-Q4 --out out
    """
    from ..xlsx.generate import generate as run

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    due_date: date | None = due.date() if due is not None else None  # type: ignore[attr-defined]
    carry = _carry(db_path or default_db(), roster, quarter) if carry_forward else None
    with _generate_progress(len(roster.people)) as progress:
        report = run(ladder, roster, quarter, out, due=due_date, force=force, jobs=jobs, carry=carry,
                     progress=progress)
    for person_id, backup in report.backed_up:
        click.echo(f"backed up {person_id}: {backup}")
    for person_id, why in report.skipped:
        click.echo(f"skipped {person_id}: {why}", err=True)
    click.echo(f"wrote {len(report.written)} workbook(s) to {report.directory}/ (manifest: {report.manifest_path})")


def _carry(db: Path, roster: Any, quarter: str) -> dict[str, Any]:
    from ..history.store import carry_forward
    from ..core.quarter import parse, previous

    try:
        parse(quarter)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    carry = carry_forward(db, quarter, [p.id for p in roster.people])
    found = sum(1 for values in carry.values() if values)
    click.echo(f"carrying forward {previous(quarter)} for {found} of {len(carry)} people from {db}")
    return carry
