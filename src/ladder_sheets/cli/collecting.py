"""Reading the quarter back: ``collect`` and ``history``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import db_option, default_db, ladder_option, no_db_option, quarter_option, team_option
from .progress import progress_bar


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@ladder_option
@team_option
@quarter_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results file (JSON) for `ladder-sheets report`.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per core for large batches).")
@click.option("--verbose", "-v", "verbosity", flag_value="verbose", help="Also print every problem (as in the log).")
@click.option("--quiet", "-q", "verbosity", flag_value="quiet", help="Print only the totals.")
@db_option
@no_db_option
@click.pass_context
def collect(ctx: click.Context, sources: tuple[Path, ...], ladder_path: Path | None, team_path: Path, quarter: str,
            out: Path, jobs: int | None, verbosity: str | None, db_path: Path | None, no_db: bool) -> None:
    """Read returned workbooks (files, folders, or saved emails), check them, recompute every number.

    SOURCES may also be saved emails: .eml files, mbox files and Maildir folders; their
    workbook attachments are read, each named by its email's sender and date. A workbook sent
    from an address other than the SE's, their manager's or the return address, and an
    email without a workbook, are reported as problems.

    Prints one line per person (status, file, number of problems), then the totals, and writes
    the results to OUT and every problem, located, to a log beside it (OUT with .log for its
    suffix). --verbose prints the problems too, --quiet only the totals; on a terminal a
    progress bar shows on stderr. When several workbooks belong to one person, the newest of
    this quarter's is used and the others are named in a problem. A file that is not a
    workbook, or is far bigger than any returned workbook (a zip bomb, a cell at XFD1048576),
    is one problem and never stops the others.

    Exit status: 0 when every workbook is complete and clean, 1 when results were written
    but some are incomplete, invalid or missing or a file has a problem, 2 for usage or configuration
    errors.

    \b
    Example:
        ladder-sheets collect out/2026-Q4 --team config/example-team.yaml --quarter 2026-Q4 --out results.json
    """
    from ..workflows.collecting import Destination, Verbosity, collect_returns

    to = Destination(out, None if no_db else db_path or default_db(), Verbosity(verbosity or "normal"))
    with progress_bar("reading") as progress:
        status = collect_returns(sources, ladder_path, team_path, quarter, to, say=click.echo, jobs=jobs,
                                 progress=progress)
    ctx.exit(status)


@click.command()
@click.argument("person")
@db_option
def history(person: str, db_path: Path | None) -> None:
    """Show PERSON's readiness quarter by quarter, from the history database.

    \b
    Example:
        ladder-sheets history tomas-novak
    """
    from ..workflows.history_db import person_history

    for line in person_history(db_path or default_db(), person):
        click.echo(line)
