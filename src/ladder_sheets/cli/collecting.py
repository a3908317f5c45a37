"""Reading the quarter back: ``collect`` and ``history``, and ``finish``, the one way results
(from ``collect`` or ``pull``) are written, stored, printed and turned into an exit status."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..config.ladder import load_ladder, load_roster
from ..core.errors import ConfigError, WorkbookError
from ..core.results import Results
from .options import db_option, default_db, ladder_option, no_db_option, quarter_option, team_option


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
    but some are incomplete, invalid, missing or unmatched, 2 for usage or configuration errors.

    \b
    Example:
        ladder-sheets collect out/2026-Q4 --team config/example-team.yaml --quarter 2026-Q4 --out results.json
    """
    from ..xlsx.collect import collect
    from ..workflows.mail_collect import collect_with_mail, has_mail

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    run = collect_with_mail if has_mail(sources) else collect  # saved emails: .eml, mbox, Maildir
    with _progress("reading") as progress:
        results = run(list(sources), ladder, roster, quarter, jobs=jobs, progress=progress)
    finish(ctx, results, out, None if no_db else db_path or default_db(), ladder, verbosity or "normal")


@click.command()
@click.argument("person")
@db_option
def history(person: str, db_path: Path | None) -> None:
    """Show PERSON's readiness quarter by quarter, from the history database.

    \b
    Example:
        ladder-sheets history tomas-novak
    """
    from ..history.store import people
    from ..report.render import pct, points

    db = db_path or default_db()
    if not db.exists():
        raise ConfigError(f"{db}: no history database yet (it is written by `collect` and `pull`)")
    rows = people(db, person)
    if not rows:
        raise ConfigError(f"{db}: no history for {person!r}")
    click.echo(f"{rows[-1].name} ({person}), {rows[-1].team}")
    click.echo(f"{'quarter':<9} {'self':>5} {'manager':>8} {'gap':>8}  {'band':<12} status")
    for r in rows:
        click.echo(f"{r.quarter:<9} {pct(r.self_pct):>5} {pct(r.manager_pct):>8} {points(r.calibration_gap):>8}  "
                   f"{r.manager_band:<12} {r.status}")


def finish(ctx: click.Context, results: Results, out: Path, db: Path | None, ladder: Any = None,
            verbosity: str = "normal") -> None:
    """Write the results and the problem log (and store them in the history), print them, exit 1
    unless all complete and clean. ``verbosity``: "quiet" (totals), "normal" (a line per person), "verbose"."""
    from ..workflows.results_file import write_results
    from ..workflows import aside
    from .collect_text import blocks, totals

    log = out.with_name(out.name + ".log") if out.suffix.lower() == ".log" else out.with_suffix(".log")

    def write() -> None:
        try:
            write_results(results, out)
        except WorkbookError as exc:  # a bad --out is a usage error (exit 2): exit 1 promises results were written
            raise ConfigError(f"--out: {exc}") from exc

    def write_log(text: Iterable[str] | None = None) -> None:
        try:
            with log.open("w", encoding="utf-8") as fh:  # a block at a time: 10,000 blank workbooks make ~40 MB
                for block in blocks(results, problems=True) if text is None else text:
                    fh.write(block)
        except OSError as exc:
            raise ConfigError(f"--out: {log}: cannot write the problem log: {exc.strerror or exc}") from exc

    def show() -> None:
        if verbosity == "quiet":
            click.echo(totals(results))
        else:
            for block in blocks(results, problems=verbosity == "verbose"):
                click.echo(block, nl=False)  # whole lines: the same text as one echo per line
            click.echo(f"results: {out}")
            click.echo(f"problems: {log} ({results.problem_count} in all)")

    if db is not None and aside.worth(len(results.people)):
        stored: int | None = aside.write_and_store(results, db, ladder, write, write_log, show,
                                                   lambda: blocks(results, problems=True))
    else:
        write()
        write_log()
        show()
        stored = None if db is None else aside.store(results, db, ladder)
    if db is not None and verbosity != "quiet":
        click.echo(f"history: {stored} people stored for {results.quarter} in {db}")
    if not results.all_clean:
        ctx.exit(1)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback ``(done, total)`` drawing click's bar on stderr; None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True).__enter__()
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
