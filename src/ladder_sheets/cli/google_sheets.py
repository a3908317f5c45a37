"""Google Sheets instead of files: ``push`` (one spreadsheet per SE) and ``pull`` (read them back)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import db_option, default_db, ladder_option, no_db_option, quarter_option, team_option
from .progress import progress_bar


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
scope_option = click.option(
    "--scope", type=click.Choice(["drive", "drive.file"]), default="drive", show_default=True,
    help="Drive access to ask for: all your files, or (drive.file) only the files ladder-sheets made; with "
         "drive.file push makes the quarter's folder itself (leave out --folder).")
rate_option = click.option("--rate", type=click.FloatRange(1, 300), default=55, show_default=True,
                           help="Sheets requests per minute, reads and writes each (Google allows 60 per user).")


@click.command()
@ladder_option
@team_option
@quarter_option
@click.option("--folder", default="", help="Drive folder id (My Drive or shared drive) to create the spreadsheets in. "
                                           "Without it push makes a folder for the quarter in your My Drive.")
@credentials_option
@impersonate_option
@scope_option
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
@click.option("--reviews", "results_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The managers' round instead: from this results file, one review spreadsheet per manager "
                   "(what `review` writes), shared with that manager only.")
@click.option("--blind", is_flag=True, help="With --reviews: leave the SEs' self scores out, so managers score first.")
@db_option
@click.pass_context
def push(ctx: click.Context, ladder_path: Path | None, team_path: Path, quarter: str, folder: str,
         credentials: Path | None, impersonate: str, scope: str, state_path: Path, rate: float, due: object, notify: bool,
         message: str, folder_per_manager: bool, locale: str, time_zone: str, dry_run: bool,
         results_path: Path | None, blind: bool, db_path: Path | None) -> None:
    """Create one Google spreadsheet per SE, shared with the SE and their manager only.

    Manager scores are a protected range only the manager can edit; SEs cannot re-share
    their file. Re-running resumes an interrupted push: nothing is created twice and a
    spreadsheet already shared with its SE is never touched again.

    With --reviews RESULTS: one spreadsheet per manager instead, their review of their SEs
    (as `review` writes it), shared with that manager only and never with an SE; only the
    manager's score, comment and recommendation cells are editable, by the manager alone.

    \b
    Example:
        ladder-sheets push --team config/example-team.yaml --quarter 2026-Q4 \\
            --folder 1AbCdEfGh --credentials client_secret.json
        ladder-sheets push --reviews results.json --team config/example-team.yaml \\
            --quarter 2026-Q4 --credentials client_secret.json
    """
    from ..workflows.google_sync import SignIn, push_review_sheets, push_sheets

    sign_in = SignIn(credentials, impersonate, rate, scope)
    day = due.date() if due is not None else None  # type: ignore[attr-defined]
    with progress_bar("pushing") as progress:
        if results_path is not None:
            report = push_review_sheets(results_path, ladder_path, team_path, quarter, folder, sign_in, state_path,
                                        blind=blind, db=db_path or default_db(), due=day, notify=notify,
                                        message=message, locale=locale, time_zone=time_zone, dry_run=dry_run,
                                        progress=progress)
        else:
            report = push_sheets(ladder_path, team_path, quarter, folder, sign_in, state_path, due=day, notify=notify,
                                 message=message, folder_per_manager=folder_per_manager, locale=locale,
                                 time_zone=time_zone, dry_run=dry_run, progress=progress)
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


@click.command()
@ladder_option
@team_option
@quarter_option
@credentials_option
@impersonate_option
@scope_option
@state_option
@rate_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results file (JSON) for `ladder-sheets report`.")
@db_option
@no_db_option
@click.pass_context
def pull(ctx: click.Context, ladder_path: Path | None, team_path: Path, quarter: str, credentials: Path | None,
         impersonate: str, scope: str, state_path: Path, rate: float, out: Path, db_path: Path | None, no_db: bool) -> None:
    """Read every SE's spreadsheet back and check it exactly as `collect` checks files.

    Same checks, same results file, same exit status as `collect`.

    \b
    Example:
        ladder-sheets pull --team config/example-team.yaml --quarter 2026-Q4 \\
            --credentials client_secret.json --out results.json
    """
    from ..workflows.collecting import Destination
    from ..workflows.google_sync import SignIn, pull_sheets

    to = Destination(out, None if no_db else db_path or default_db())
    with progress_bar("pulling") as progress:
        status = pull_sheets(ladder_path, team_path, quarter, SignIn(credentials, impersonate, rate, scope), state_path, to,
                             say=click.echo, progress=progress)
    ctx.exit(status)
