"""The ``ladder-sheets`` command line. Only wiring: parse, call one library function, echo.

Errors of the tool (LadderSheetsError) become one ``Error: ...`` message and an exit code,
in ``main`` only.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config.ladder import load_ladder, load_roster
from .core.errors import ConfigError, LadderSheetsError, WorkbookError
from .options import db_option, ladder_option, no_db_option, quarter_option, team_option
from .config.resources import data_dir
from .core.results import Results, Status


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
    from .xlsx.generate import generate as run

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    due_date: date | None = due.date() if due is not None else None  # type: ignore[attr-defined]
    carry = _carry(db_path or _db(), roster, quarter) if carry_forward else None
    report = run(ladder, roster, quarter, out, due=due_date, force=force, jobs=jobs, carry=carry)
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
@click.option("--verbose", "-v", "verbosity", flag_value="verbose", help="Also print every problem (as in the log).")
@click.option("--quiet", "-q", "verbosity", flag_value="quiet", help="Print only the totals.")
@db_option
@no_db_option
@click.pass_context
def collect(ctx: click.Context, sources: tuple[Path, ...], ladder_path: Path | None, team_path: Path, quarter: str,
            out: Path, jobs: int | None, verbosity: str | None, db_path: Path | None, no_db: bool) -> None:
    """Read returned workbooks (files, or directories of .xlsx), check them, recompute every number.

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
    from .xlsx.collect import collect as run

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    with _progress("reading") as progress:
        results = run(list(sources), ladder, roster, quarter, jobs=jobs, progress=progress)
    _finish(ctx, results, out, None if no_db else db_path or _db(), verbosity or "normal")


def _carry(db: Path, roster: Any, quarter: str) -> dict[str, Any]:
    from .history.store import carry_forward
    from .core.quarter import parse, previous

    try:
        parse(quarter)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    carry = carry_forward(db, quarter, [p.id for p in roster.people])
    found = sum(1 for values in carry.values() if values)
    click.echo(f"carrying forward {previous(quarter)} for {found} of {len(carry)} people from {db}")
    return carry


def _trends(db: Path, ladder: Any, quarter: str) -> Any:
    from .history import store as history
    from .core import trends

    return trends.build(history.people(db), history.criterion_scores(db), latest=quarter,
                        band_order=[b.name for b in ladder.bands], scale_max=ladder.scale.max)


def _db() -> Path:
    from .history.store import default_path

    return default_path()


def _finish(ctx: click.Context, results: Results, out: Path, db: Path | None, verbosity: str = "normal") -> None:
    """Write the results and the problem log (and store them in the history), print them, exit 1
    unless all complete and clean. ``verbosity``: "quiet" (totals), "normal" (a line per person), "verbose"."""
    from .workflows.results_file import write_results

    log = out.with_name(out.name + ".log") if out.suffix.lower() == ".log" else out.with_suffix(".log")
    try:
        write_results(results, out)
        with log.open("w", encoding="utf-8") as fh:  # line by line: 10,000 blank workbooks make ~40 MB
            fh.writelines(f"{line}\n" for line in _collect_lines(results, problems=True))
    except WorkbookError as exc:  # a bad --out is a usage error (exit 2): exit 1 promises results were written
        raise ConfigError(f"--out: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"--out: {log}: cannot write the problem log: {exc.strerror or exc}") from exc
    if verbosity == "quiet":
        click.echo(_totals(results))
    else:
        for line in _collect_lines(results, problems=verbosity == "verbose"):
            click.echo(line)
        click.echo(f"results: {out}")
        click.echo(f"problems: {log} ({results.problem_count} in all)")
    if db is not None:
        from .history.store import store

        stored = store(results, db)
        if verbosity != "quiet":
            click.echo(f"history: {stored} people stored for {results.quarter} in {db}")
    if any(p.status is not Status.COMPLETE for p in results.people) or results.unmatched:
        ctx.exit(1)


def _collect_lines(results: Results, *, problems: bool) -> Iterator[str]:
    """One line per person (status, id, name, file: with ``problems`` each problem indented under
    it, else their number), then the unmatched files, then the totals."""
    for p in results.people:
        line = f"{p.status.value:<10}  {p.person.id}  ({p.person.name})  {p.file or 'no workbook returned'}"
        if problems or not p.problems:
            yield line
        else:
            yield f"{line}  ({len(p.problems)} problem{'s' if len(p.problems) != 1 else ''})"
        if problems:
            for problem in p.problems:
                yield f"    {problem}"
    for problem in results.unmatched:
        yield f"{'unmatched':<10}  {problem}"
    yield _totals(results)


def _totals(results: Results) -> str:
    counts = Counter(p.status.value for p in results.people)
    summary = ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
    return f"{len(results.people)} people: {summary}; {len(results.unmatched)} unmatched file problem(s)"


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


@cli.command()
@click.argument("results_path", metavar="RESULTS", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ladder_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Directory for the report.")
@click.option("--team", "team_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Roster: its leadership addresses and org name go on the leadership email.")
@click.option("--leadership", "leadership", multiple=True, help="Leadership email address (repeatable).")
@click.option("--from", "sender", default="ladder-sheets <ladder-sheets@localhost>", show_default=True,
              help="From address of the emails.")
@db_option
@click.option("--no-trends", is_flag=True, help="Leave out the history (trends over quarters).")
def report(results_path: Path, ladder_path: Path | None, out: Path, team_path: Path | None,
           leadership: tuple[str, ...], sender: str, db_path: Path | None, no_trends: bool) -> None:
    """Write team summaries and the leadership summary from a results file.

    OUT gets summary.xlsx (with charts), results.csv, and for each manager and for
    leadership an HTML page, a text version and an .eml email ready for `send`.
    Leadership's summary carries no evidence text; managers' summaries do. Leadership
    addresses come from --leadership and the roster's `leadership` list (--team); with
    none, leadership.eml is not written. Emails of an earlier report in OUT that this
    one does not rewrite are removed, so `send` never mails a stale summary.

    \b
    Example:
        ladder-sheets report results.json --team config/example-team.yaml --out report/
    """
    from .workflows.report import build_report
    from .workflows.results_file import read_results

    ladder = load_ladder(ladder_path)
    results = read_results(results_path)
    org = ""
    recipients = list(leadership)
    if team_path is not None:
        roster = load_roster(team_path, ladder)
        org = roster.org
        recipients += [a for a in roster.leadership if a not in recipients]
    db = db_path or _db()
    trends = None if no_trends or not db.exists() else _trends(db, ladder, results.quarter)
    files = build_report(results, ladder, out, sender=sender, leadership=recipients, org=org, trends=trends)
    for path in files:
        click.echo(f"wrote {path}")
    if not recipients:
        click.echo("no leadership addresses (--leadership or the roster's `leadership`): leadership.eml not written",
                   err=True)


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--smtp-host", default="localhost", show_default=True)
@click.option("--smtp-port", type=click.IntRange(1, 65535), default=25, show_default=True)
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS before sending.")
@click.option("--user", default="", help="SMTP login; the password is read from $LADDER_SHEETS_SMTP_PASSWORD.")
@click.option("--dry-run", is_flag=True, help="List what would be sent to whom; connect to nothing, send nothing.")
def send(directory: Path, smtp_host: str, smtp_port: int, starttls: bool, user: str, dry_run: bool) -> None:
    """Send every .eml file in DIRECTORY (as written by `report`) over SMTP.

    The password for --user is read from the environment variable
    LADDER_SHEETS_SMTP_PASSWORD only (never a flag, never printed). One refused or
    failed message never stops the others; exit status 1 if any was not sent.

    \b
    Example:
        ladder-sheets send report/ --dry-run
        LADDER_SHEETS_SMTP_PASSWORD=... ladder-sheets send report/ --smtp-host smtp.example.com \\
            --smtp-port 587 --starttls --user reports@example.com
    """
    from .core.errors import ServiceError
    from .mail.smtp import Server, send_eml_dir

    server = Server(smtp_host, smtp_port, starttls, user)
    result = send_eml_dir(directory, server, dry_run=dry_run)
    verb = "would send" if dry_run else "sent"
    for path, subject, recipients in result.sent:
        click.echo(f"{verb} {path.name} to {', '.join(recipients)}: {subject}")
    for path, why in result.refused:
        click.echo(f"refused {path.name}: {why}", err=True)
    for path, why in result.failed:
        click.echo(f"failed {path.name}: {why}", err=True)
    if result.not_sent:
        what = "cannot be sent" if dry_run else f"not sent to every recipient through {server}"
        raise ServiceError(f"{len(result.not_sent)} of {result.total} emails {what}")


credentials_option = click.option(
    "--credentials", type=click.Path(path_type=Path, dir_okay=False),
    help="Service-account key, authorized-user file or OAuth client file (JSON). "
         "Default: Application Default Credentials.")
state_option = click.option(
    "--state", "state_path", type=click.Path(path_type=Path, dir_okay=False), default=Path("ladder-sheets-gsheets.json"),
    show_default=True, help="Local map of SE -> spreadsheet id per quarter (lets push resume).")
rate_option = click.option("--rate", type=click.FloatRange(1, 600), default=55, show_default=True,
                           help="Requests per minute (Google's Sheets quota is about 60 per user).")


@cli.command()
@ladder_option
@team_option
@quarter_option
@click.option("--folder", required=True, help="Drive folder id to create the spreadsheets in.")
@credentials_option
@state_option
@rate_option
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date shown in the spreadsheets (default: in 14 days).")
@click.option("--notify/--no-notify", default=False, show_default=True, help="Google emails each SE when shared.")
@click.option("--message", default="", help="Text of the share notification email.")
@click.option("--dry-run", is_flag=True, help="Show what would be created and shared; send nothing.")
@click.pass_context
def push(ctx: click.Context, ladder_path: Path | None, team_path: Path, quarter: str, folder: str,
         credentials: Path | None, state_path: Path, rate: float, due: object, notify: bool, message: str,
         dry_run: bool) -> None:
    """Create one Google spreadsheet per SE, shared with the SE and their manager only.

    Manager scores are a protected range only the manager can edit. Re-running resumes an
    interrupted push: nothing is created twice and a spreadsheet already shared with its SE
    is never touched again.

    \b
    Example:
        ladder-sheets push --team config/example-team.yaml --quarter 2026-Q4 \\
            --folder 1AbCdEfGh --credentials service-account.json
    """
    from .google.push import push as run
    from .core.quarter import default_due
    from .google.sync_state import SyncState

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    state = SyncState.load(state_path)
    sheets, owner = (None, "") if dry_run else _connect(credentials, rate)
    due_date = due.date() if due is not None else default_due(date.today())  # type: ignore[attr-defined]
    with click.progressbar(length=len(roster.people), label="pushing", file=sys.stderr) as bar:
        report = run(ladder, roster, quarter, folder, state, sheets, due=due_date, notify=notify, message=message,
                     dry_run=dry_run, owner=owner, progress=lambda _: bar.update(1))
    for person_id, what in report.planned:
        click.echo(f"{person_id}: would {what}")
    click.echo(f"created {len(report.created)}, resumed {len(report.resumed)}, "
               f"already shared {len(report.up_to_date)}, failed {len(report.failed)}; state: {state_path}")
    for person_id, why in report.failed:
        click.echo(f"failed {person_id}: {why}", err=True)
    if report.not_attempted:
        click.echo(f"not attempted after repeated failures: {', '.join(report.not_attempted)}", err=True)
    if report.failed or report.not_attempted:
        click.echo("Re-run the same command to resume; finished spreadsheets are kept.", err=True)
        ctx.exit(1)


@cli.command()
@ladder_option
@team_option
@quarter_option
@credentials_option
@state_option
@rate_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results file (JSON) for `ladder-sheets report`.")
@db_option
@no_db_option
@click.pass_context
def pull(ctx: click.Context, ladder_path: Path | None, team_path: Path, quarter: str, credentials: Path | None,
         state_path: Path, rate: float, out: Path, db_path: Path | None, no_db: bool) -> None:
    """Read every SE's spreadsheet back and check it exactly as `collect` checks files.

    Same checks, same results file, same exit status as `collect`.

    \b
    Example:
        ladder-sheets pull --team config/example-team.yaml --quarter 2026-Q4 \\
            --credentials service-account.json --out results.json
    """
    from .google.pull import pull as run
    from .google.sync_state import SyncState

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    state = SyncState.load(state_path)
    sheets, _ = _connect(credentials, rate)
    with click.progressbar(length=len(roster.people), label="pulling", file=sys.stderr) as bar:
        results = run(ladder, roster, quarter, state, sheets, progress=lambda _: bar.update(1))
    _finish(ctx, results, out, None if no_db else db_path or _db())


@cli.command()
@click.argument("person")
@db_option
def history(person: str, db_path: Path | None) -> None:
    """Show PERSON's readiness quarter by quarter, from the history database.

    \b
    Example:
        ladder-sheets history tomas-novak
    """
    from .history.store import people
    from .report.render import pct, points

    db = db_path or _db()
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


def _connect(credentials: Path | None, rate: float) -> tuple[Any, str]:
    from .google import client as gsheets

    return gsheets.connect(credentials, per_minute=rate)


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
