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


@contextmanager
def _generate_progress(total: int) -> Iterator[Callable[[str], None] | None]:
    """A progress bar on stderr while workbooks are written, on a terminal only (nothing in pipes and logs)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="generating", file=sys.stderr) as bar:
        yield lambda _person_id: bar.update(1)


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
    with _generate_progress(len(roster.people)) as progress:
        report = run(ladder, roster, quarter, out, due=due_date, force=force, jobs=jobs, carry=carry,
                     progress=progress)
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
    from .xlsx.collect import collect
    from .workflows.mail_collect import collect_with_mail, has_mail

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    run = collect_with_mail if has_mail(sources) else collect  # saved emails: .eml, mbox, Maildir
    with _progress("reading") as progress:
        results = run(list(sources), ladder, roster, quarter, jobs=jobs, progress=progress)
    _finish(ctx, results, out, None if no_db else db_path or _db(), ladder, verbosity or "normal")


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
                        band_order=[b.name for b in ladder.bands], scale_max=ladder.scale.max,
                        current=trends.signatures(ladder))


def _db() -> Path:
    from .history.store import default_path

    return default_path()


def _finish(ctx: click.Context, results: Results, out: Path, db: Path | None, ladder: Any = None,
            verbosity: str = "normal") -> None:
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

        from .core.trends import signatures

        stored = store(results, db, signatures=signatures(ladder) if ladder is not None else None)
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
@click.option("--previous", "previous_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Last quarter's results file: each SE's agenda shows the milestones they proposed then.")
@click.option("--leadership-text", type=click.Choice(["candidates", "none"]), default="candidates", show_default=True,
              help="Whose SE-written text (the promotion read-out) the leadership email quotes.")
@click.option("--packet", "packets", multiple=True, metavar="PERSON",
              help="Also write a promotion packet for this person id (repeatable); every Ready SE gets one.")
@click.option("--pdf", is_flag=True, help="Write each promotion packet as PDF too (needs WeasyPrint).")
@click.option("--one-on-ones", is_flag=True, help="Also write a printable 1:1 page per SE (1on1-<id>.html).")
def report(results_path: Path, ladder_path: Path | None, out: Path, team_path: Path | None,
           leadership: tuple[str, ...], sender: str, db_path: Path | None, no_trends: bool,
           previous_path: Path | None, leadership_text: str, packets: tuple[str, ...], pdf: bool,
           one_on_ones: bool) -> None:
    """Write each manager's coaching agenda, the leadership summary and promotion packets from a results file.

    OUT gets summary.xlsx (overview, charts, heatmap; print-ready), results.csv,
    problems.txt (SE Ops' log: every problem with its file and cell), for each manager and
    for leadership an HTML page, a text version and an .eml email ready for `send`, and a
    promotion packet (packet-<id>.html, --pdf for PDF too) per SE in the top band. Leadership's
    summary quotes no evidence, and read-outs only of promotion candidates (--leadership-text
    none: not even those). Leadership addresses come from --leadership and the roster's
    `leadership` list (--team); with none, leadership.eml is not written. Emails of an earlier
    report in OUT that this one does not rewrite are removed, so `send` never mails a stale summary.

    \b
    Example:
        ladder-sheets report results.json --team config/example-team.yaml --out report/
        ladder-sheets report results.json --out report/ --previous q3-results.json --packet tomas-novak --pdf
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
    previous = read_results(previous_path) if previous_path is not None else None
    files = build_report(results, ladder, out, sender=sender, leadership=recipients, org=org, trends=trends,
                         previous=previous, leadership_text=leadership_text, packets=packets, pdf=pdf,
                         one_on_ones=one_on_ones)
    for path in files:
        click.echo(f"wrote {path}")
    if not recipients:
        click.echo("no leadership addresses (--leadership or the roster's `leadership`): leadership.eml not written",
                   err=True)


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--smtp-host", default="localhost", show_default=True)
@click.option("--smtp-port", type=click.IntRange(1, 65535), help="Default: 465 with --ssl, else 25.")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS before sending.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Implicit TLS from the start (SMTPS, usually port 465).")
@click.option("--user", default="", help="SMTP login; the password is read from $LADDER_SHEETS_SMTP_PASSWORD.")
@click.option("--allow-plain-login", is_flag=True,
              help="Log in even without --starttls or --ssl (the password then crosses the network unencrypted).")
@click.option("--resend", is_flag=True, help="Send every email again, even to whom the send log says has it.")
@click.option("--dry-run", is_flag=True, help="List what would be sent to whom; connect to nothing, send nothing.")
def send(directory: Path, smtp_host: str, smtp_port: int | None, starttls: bool, use_ssl: bool, user: str,
         allow_plain_login: bool, resend: bool, dry_run: bool) -> None:
    """Send every .eml file in DIRECTORY (as written by `report`, `handout` or `remind`) over SMTP.

    The password for --user is read from the environment variable
    LADDER_SHEETS_SMTP_PASSWORD only (never a flag, never printed), and is sent only over
    --starttls or --ssl unless --allow-plain-login. One refused or failed message never
    stops the others; exit status 1 if any was not sent.

    DIRECTORY/send-log.jsonl records each message the moment the server accepts it: a rerun
    sends only what did not go out (per recipient) and says so; --resend sends everything.

    \b
    Example:
        ladder-sheets send report/ --dry-run
        LADDER_SHEETS_SMTP_PASSWORD=... ladder-sheets send report/ --smtp-host smtp.example.com \\
            --smtp-port 587 --starttls --user reports@example.com
    """
    from .core.errors import ServiceError
    from .mail.smtp import Server, send_eml_dir

    if use_ssl and starttls:
        raise ConfigError("--ssl and --starttls: choose one (--ssl is TLS from the start, usually port 465)")
    port = smtp_port or (465 if use_ssl else 25)
    server = Server(smtp_host, port, starttls, user, ssl=use_ssl, allow_plain_login=allow_plain_login)
    result = send_eml_dir(directory, server, dry_run=dry_run, resend=resend)
    verb = "would send" if dry_run else "sent"
    for path, why in result.already:
        click.echo(f"skipped {path.name}: {why}")
    for path, subject, recipients in result.sent:
        click.echo(f"{verb} {path.name} to {', '.join(recipients)}: {subject}")
    for path, why in result.refused:
        click.echo(f"refused {path.name}: {why}", err=True)
    for path, why in result.failed:
        click.echo(f"failed {path.name}: {why}", err=True)
    for path, why in result.unconfirmed:
        click.echo(f"unconfirmed {path.name}: {why}", err=True)
    if result.not_sent:
        what = "cannot be sent" if dry_run else f"not sent to every recipient through {server}"
        raise ServiceError(f"{len(result.not_sent)} of {result.total} emails {what}")
    if not result.sent and result.already:
        click.echo("nothing left to send: every recipient already has every email (--resend to send again)")


# ---- the quarter's emails: hand-out and reminders (written as .eml files, sent by `send`) ----------------

from_option = click.option("--from", "sender", default="SE Operations <se-ops@localhost>", show_default=True,
                           help="From address of the emails (its name signs them).")
due_option = click.option("--due", type=click.DateTime(["%Y-%m-%d"]),
                          help="Due date (default: the one `generate` put in the workbooks, from the manifest).")


@cli.command()
@ladder_option
@team_option
@quarter_option
@click.option("--workbooks", type=click.Path(path_type=Path, file_okay=False),
              help="The workbooks `generate` wrote (default: out/QUARTER).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("out/handout"),
              show_default=True, help="Folder for the emails (one se-<id>.eml per SE).")
@from_option
@due_option
@click.option("--cc-manager", is_flag=True, help="Copy each email to the SE's manager.")
@click.option("--links", "state_path", type=click.Path(path_type=Path, dir_okay=False),
              help="After `push`: link each SE's spreadsheet from this sync state file instead of attaching.")
def handout(ladder_path: Path | None, team_path: Path, quarter: str, workbooks: Path | None, out: Path, sender: str,
            due: object, cc_manager: bool, state_path: Path | None) -> None:
    """Write one hand-out email per SE: their workbook attached (or its link), the due date,
    what to fill in and where to return it (Reply-To: the return address).

    Nothing is sent: check the list, then `ladder-sheets send OUT`.

    \b
    Example:
        ladder-sheets handout --team config/example-team.yaml --quarter 2026-Q4 --cc-manager
        ladder-sheets send out/handout --dry-run
    """
    from .workflows.handout import build_handout

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    links = None
    if state_path is not None:
        from .google.sync_state import Stage, SyncState

        if not state_path.exists():
            raise ConfigError(f"--links {state_path}: no such sync state (written by `ladder-sheets push`)")
        # Only spreadsheets already shared with their SE: a link to one they cannot open helps nobody.
        links = {pid: e.url for pid, e in SyncState.load(state_path).quarter(quarter).people.items()
                 if e.url and e.stage is Stage.SHARED}
    files = build_handout(ladder, roster, quarter, workbooks or Path("out") / quarter, out, sender=sender,
                          due=due.date() if due is not None else None,  # type: ignore[attr-defined]
                          cc_manager=cc_manager, links=links)
    for path in files:
        click.echo(f"wrote {path}")
    click.echo(f"{len(files)} hand-out email(s) written, none sent. Next: ladder-sheets send {out} --dry-run")


@cli.command()
@click.argument("results_path", metavar="RESULTS", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ladder_option
@team_option
@click.option("--workbooks", type=click.Path(path_type=Path, file_okay=False),
              help="The workbooks `generate` wrote: re-attached for whoever has returned none; their manifest "
                   "gives the due date.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("out/reminders"),
              show_default=True, help="Folder for the reminder emails.")
@from_option
@due_option
@click.option("--ops", multiple=True, help="SE Ops address for the overview (repeatable; default: --from).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Count the days left from this date.")
def remind(results_path: Path, ladder_path: Path | None, team_path: Path, workbooks: Path | None, out: Path,
           sender: str, due: object, ops: tuple[str, ...], today: object) -> None:
    """Write reminders from a collect or pull results file: to each SE with something open (what, in
    plain words), to each manager with scores to give, and one overview for SE Ops.

    Nobody who is complete gets one. Nothing is sent: check the list, then `ladder-sheets send OUT`.

    \b
    Example:
        ladder-sheets remind results.json --team config/example-team.yaml --workbooks out/2026-Q4
        ladder-sheets send out/reminders --dry-run
    """
    from .workflows.handout import manifest_due
    from .workflows.remind import build_reminders
    from .workflows.results_file import read_results

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    results = read_results(results_path)
    due_date = due.date() if due is not None else manifest_due(workbooks) if workbooks else None  # type: ignore[attr-defined]
    if due_date is None:
        raise ConfigError("--due: no due date (give --due YYYY-MM-DD, or --workbooks with the manifest of `generate`)")
    today_date = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    reminders = build_reminders(ladder, roster, results, out, sender=sender, due=due_date, today=today_date,
                                ops=list(ops) or [sender], workbooks=workbooks)
    for r in reminders:
        click.echo(f"{r.path.name} to {', '.join(r.to)}: {r.subject}")
        for line in r.lines:
            click.echo(f"    {line}")
    click.echo(f"{len(reminders)} reminder(s) written to {out}/, none sent. Next: ladder-sheets send {out} --dry-run")


credentials_option = click.option(
    "--credentials", type=click.Path(path_type=Path, dir_okay=False),
    help="OAuth client file (sign in as a person; recommended), authorized-user file, or service-account key "
         "(JSON). Default: Application Default Credentials.")
impersonate_option = click.option(
    "--impersonate", default="", metavar="EMAIL",
    help="With a service-account key: act as this Workspace user (domain-wide delegation).")
state_option = click.option(
    "--state", "state_path", type=click.Path(path_type=Path, dir_okay=False), default=Path("ladder-sheets-gsheets.json"),
    show_default=True, help="Local map of SE -> spreadsheet id per quarter (lets push resume).")
rate_option = click.option("--rate", type=click.FloatRange(1, 300), default=55, show_default=True,
                           help="Sheets requests per minute, reads and writes each (Google allows 60 per user).")


@cli.command()
@ladder_option
@team_option
@quarter_option
@click.option("--folder", required=True, help="Drive folder id (My Drive or shared drive) to create the spreadsheets in.")
@credentials_option
@impersonate_option
@state_option
@rate_option
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date shown in the spreadsheets (default: in 14 days).")
@click.option("--notify/--no-notify", default=False, show_default=True, help="Google emails each SE when shared.")
@click.option("--message", default="", help="Text of the share notification email.")
@click.option("--folder-per-manager", is_flag=True,
              help="One subfolder per manager, shared with that manager once; each SE file inside is shared with "
                   "its SE only (one request fewer per SE).")
@click.option("--locale", default="en_US", show_default=True,
              help="Spreadsheet locale, set before any formula is written (formulas use '.' decimals).")
@click.option("--time-zone", default="Etc/GMT", show_default=True, help="Spreadsheet time zone (CLDR/IANA name).")
@click.option("--dry-run", is_flag=True, help="Show what would be created and shared; send nothing.")
@click.pass_context
def push(ctx: click.Context, ladder_path: Path | None, team_path: Path, quarter: str, folder: str,
         credentials: Path | None, impersonate: str, state_path: Path, rate: float, due: object, notify: bool,
         message: str, folder_per_manager: bool, locale: str, time_zone: str, dry_run: bool) -> None:
    """Create one Google spreadsheet per SE, shared with the SE and their manager only.

    Manager scores are a protected range only the manager can edit; SEs cannot re-share
    their file. Re-running resumes an interrupted push: nothing is created twice and a
    spreadsheet already shared with its SE is never touched again.

    \b
    Example:
        ladder-sheets push --team config/example-team.yaml --quarter 2026-Q4 \\
            --folder 1AbCdEfGh --credentials client_secret.json
    """
    from .google.push import push as run
    from .core.quarter import default_due
    from .google.sync_state import SyncState

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    state = SyncState.load(state_path)
    sheets = None if dry_run else _connect(credentials, rate, impersonate)
    due_date = due.date() if due is not None else default_due(date.today())  # type: ignore[attr-defined]
    with click.progressbar(length=len(roster.people), label="pushing", file=sys.stderr) as bar:
        report = run(ladder, roster, quarter, folder, state, sheets, due=due_date, notify=notify, message=message,
                     dry_run=dry_run, folder_per_manager=folder_per_manager, locale=locale, time_zone=time_zone,
                     progress=lambda _: bar.update(1))
    for person_id, what in report.planned:
        click.echo(f"{person_id}: would {what}")
    click.echo(f"created {len(report.created)}, resumed {len(report.resumed)}, "
               f"already shared {len(report.up_to_date)}, failed {len(report.failed)}; state: {state_path}")
    for person_id, what in report.warnings:
        click.echo(f"warning {person_id}: {what}", err=True)
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
@impersonate_option
@state_option
@rate_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results file (JSON) for `ladder-sheets report`.")
@db_option
@no_db_option
@click.pass_context
def pull(ctx: click.Context, ladder_path: Path | None, team_path: Path, quarter: str, credentials: Path | None,
         impersonate: str, state_path: Path, rate: float, out: Path, db_path: Path | None, no_db: bool) -> None:
    """Read every SE's spreadsheet back and check it exactly as `collect` checks files.

    Same checks, same results file, same exit status as `collect`.

    \b
    Example:
        ladder-sheets pull --team config/example-team.yaml --quarter 2026-Q4 \\
            --credentials client_secret.json --out results.json
    """
    from .google.pull import pull as run
    from .google.sync_state import SyncState

    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    state = SyncState.load(state_path)
    sheets = _connect(credentials, rate, impersonate)
    with click.progressbar(length=len(roster.people), label="pulling", file=sys.stderr) as bar:
        results = run(ladder, roster, quarter, state, sheets, progress=lambda _: bar.update(1))
    _finish(ctx, results, out, None if no_db else db_path or _db(), ladder)


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


def _connect(credentials: Path | None, rate: float, impersonate: str = "") -> Any:
    from .google import client as gsheets

    return gsheets.connect(credentials, per_minute=rate, impersonate=impersonate)


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
