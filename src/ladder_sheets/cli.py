"""The ``ladder-sheets`` command line. Only wiring: parse, call one library function, echo.

Errors of the tool (LadderSheetsError) become one ``Error: ...`` message and an exit code,
in ``main`` only.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click

from . import __version__
from .config import load_ladder, load_roster
from .errors import ConfigError, LadderSheetsError, WorkbookError
from .options import ladder_option, quarter_option, team_option
from .resources import data_dir
from .results import Results, Status


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ladder-sheets")
def cli() -> None:
    """Quarterly SE career-ladder workbooks: generate, collect, report."""


@cli.command()
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


@cli.command()
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


@cli.command()
@ladder_option
@team_option
@quarter_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("out"), show_default=True,
              help="Output directory; workbooks go to OUT/QUARTER/.")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date shown in the workbooks (default: in 14 days).")
@click.option("--force", is_flag=True, help="Replace workbooks changed since generation (the old file is kept as .bak).")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per core).")
def generate(ladder_path: Path | None, team_path: Path, quarter: str, out: Path, due: object, force: bool,
             jobs: int | None) -> None:
    """Write one workbook per SE for QUARTER, plus a manifest.

    Workbooks that someone has changed since they were generated are never overwritten.

    \b
    Example:
        ladder-sheets generate --team config/example-team.yaml --quarter 2026-Q4 --out out
    """
    from .generate import generate as run

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    due_date: date | None = due.date() if due is not None else None  # type: ignore[attr-defined]
    report = run(ladder, roster, quarter, out, due=due_date, force=force, jobs=jobs)
    for person_id, backup in report.backed_up:
        click.echo(f"backed up {person_id}: {backup}")
    for person_id, why in report.skipped:
        click.echo(f"skipped {person_id}: {why}", err=True)
    click.echo(f"wrote {len(report.written)} workbook(s) to {report.directory}/ (manifest: {report.manifest_path})")


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@ladder_option
@team_option
@quarter_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results file (JSON) for `ladder-sheets report`.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per core for large batches).")
@click.pass_context
def collect(ctx: click.Context, sources: tuple[Path, ...], ladder_path: Path | None, team_path: Path, quarter: str,
            out: Path, jobs: int | None) -> None:
    """Read returned workbooks (files, or directories of .xlsx), check them, recompute every number.

    Prints each person's status and every problem found, and writes the results to OUT.
    When several workbooks belong to one person, the newest of this quarter's is used and
    the others are named in a problem.

    Exit status: 0 when every workbook is complete and clean, 1 when results were written
    but some are incomplete, invalid, missing or unmatched, 2 for usage or configuration errors.

    \b
    Example:
        ladder-sheets collect out/2026-Q4 --team config/example-team.yaml --quarter 2026-Q4 --out results.json
    """
    from .collect import collect as run
    from .results_io import write_results

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    results = run(list(sources), ladder, roster, quarter, jobs=jobs)
    try:
        write_results(results, out)
    except WorkbookError as exc:  # a bad --out is a usage error (exit 2): exit 1 promises results were written
        raise ConfigError(f"--out: {exc}") from exc
    for line in _collect_lines(results):
        click.echo(line)
    if any(p.status is not Status.COMPLETE for p in results.people) or results.unmatched:
        ctx.exit(1)


def _collect_lines(results: Results) -> list[str]:
    """One line per person (status, id, name, file), each problem indented under it, then the unmatched files."""
    lines = []
    for p in results.people:
        lines.append(f"{p.status.value:<10}  {p.person.id}  ({p.person.name})  {p.file or 'no workbook returned'}")
        lines += [f"    {problem}" for problem in p.problems]
    lines += [f"{'unmatched':<10}  {problem}" for problem in results.unmatched]
    counts = Counter(p.status.value for p in results.people)
    summary = ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
    lines.append(f"{len(results.people)} people: {summary}; {len(results.unmatched)} unmatched file problem(s)")
    return lines


def main() -> None:
    """Console entry point: one clear ``Error:`` line per failure, exit code by kind."""
    try:
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:  # a command's ctx.exit(code) comes back as a return value
            sys.exit(code)
    except LadderSheetsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
