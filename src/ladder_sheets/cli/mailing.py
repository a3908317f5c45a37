"""Commands that write the quarter's emails (``report``, ``handout``, ``remind``: .eml files,
nothing sent) and the one that sends them (``send``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.errors import ServiceError
from .options import db_option, default_db, ladder_option, quarter_option, team_option

if TYPE_CHECKING:
    from ..workflows.sending import Sent


@click.command()
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
              help="Also write a promotion packet for this person id (repeatable); every promotion candidate gets one.")
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
    promotion packet (packet-<id>.html, --pdf for PDF too) per promotion candidate: in the top
    band (the committee's agreed band once `calibrate --apply` recorded one, else the manager's)
    the ladder's candidate_quarters quarters running, from the history (--db). Leadership's
    summary quotes no evidence, and read-outs only of promotion candidates (--leadership-text
    none: not even those). Leadership addresses come from --leadership and the roster's
    `leadership` list (--team); with none, leadership.eml is not written. Emails of an earlier
    report in OUT that this one does not rewrite are removed, so `send` never mails a stale summary.

    \b
    Example:
        ladder-sheets report results.json --team config/example-team.yaml --out report/
        ladder-sheets report results.json --out report/ --previous q3-results.json --packet tomas-novak --pdf
    """
    from ..workflows.report import write_report

    done = write_report(results_path, ladder_path, out, team_path=team_path, leadership=leadership, sender=sender,
                        db=None if no_trends else db_path or default_db(), previous_path=previous_path,
                        leadership_text=leadership_text, packets=packets, pdf=pdf, one_on_ones=one_on_ones)
    for path in done.files:
        click.echo(f"wrote {path}")
    if not done.leadership:
        click.echo("no leadership addresses (--leadership or the roster's `leadership`): leadership.eml not written",
                   err=True)


@click.command()
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
    from ..workflows.sending import Smtp, send_outbox

    sent = send_outbox(directory, Smtp(smtp_host, smtp_port, starttls, use_ssl, user, allow_plain_login),
                       dry_run=dry_run, resend=resend)
    _show_sent(sent, "would send" if dry_run else "sent")
    if sent.unsent:
        raise ServiceError(sent.unsent)
    if not sent.report.sent and sent.report.already:
        click.echo("nothing left to send: every recipient already has every email (--resend to send again)")


def _show_sent(sent: Sent, verb: str) -> None:
    result = sent.report
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


# ---- the quarter's emails: hand-out and reminders (written as .eml files, sent by `send`) ----------------

from_option = click.option("--from", "sender", default="SE Operations <se-ops@localhost>", show_default=True,
                           help="From address of the emails (its name signs them).")
due_option = click.option("--due", type=click.DateTime(["%Y-%m-%d"]),
                          help="Due date (default: the one `generate` put in the workbooks, from the manifest).")


@click.command()
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
@click.option("--reviews", type=click.Path(path_type=Path),
              help="The managers' round instead: one email per manager with the review `review` wrote in this "
                   "folder attached, or, given the sync state of `push --reviews`, the link to their review "
                   "spreadsheet.")
@click.option("--peers", type=click.Path(path_type=Path, file_okay=False),
              help="The AEs' and peers' round instead: one email per rater with the workbook `peers` wrote here.")
def handout(ladder_path: Path | None, team_path: Path, quarter: str, workbooks: Path | None, out: Path, sender: str,
            due: object, cc_manager: bool, state_path: Path | None, reviews: Path | None, peers: Path | None) -> None:
    """Write one hand-out email per SE: their workbook attached (or its link), the due date,
    what to fill in and where to return it (Reply-To: the return address). With --reviews,
    one per manager instead: their review workbook attached, to return from their own address
    (after `push --reviews`, --reviews STATE: the link to their review spreadsheet).
    With --peers, one per AE or peer (rater-<address>.eml): their peer workbook attached, to
    return from their own address to the roster's return_to, else to --from (never to a manager).

    Nothing is sent: check the list, then `ladder-sheets send OUT`.

    \b
    Example:
        ladder-sheets handout --team config/example-team.yaml --quarter 2026-Q4 --cc-manager
        ladder-sheets handout --team config/example-team.yaml --quarter 2026-Q4 --reviews out/reviews \\
          --out out/review-handout
        ladder-sheets handout --team config/example-team.yaml --quarter 2026-Q4 \\
          --reviews ladder-sheets-gsheets.json --out out/review-handout
        ladder-sheets handout --team config/example-team.yaml --quarter 2026-Q4 --peers out/peers \\
          --out out/peer-handout
        ladder-sheets send out/handout --dry-run
    """
    from ..workflows.handout import write_handout

    files = write_handout(ladder_path, team_path, quarter, workbooks or Path("out") / quarter, out, sender=sender,
                          due=due.date() if due is not None else None,  # type: ignore[attr-defined]
                          cc_manager=cc_manager, links_from=state_path, reviews=reviews, peers=peers)
    for path in files:
        click.echo(f"wrote {path}")
    click.echo(f"{len(files)} hand-out email(s) written, none sent. Next: ladder-sheets send {out} --dry-run")


@click.command()
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
@click.option("--reviews", type=click.Path(path_type=Path),
              help="The reviews `review` wrote (this folder): re-attached for each manager with scores to give; "
                   "or the sync state of `push --reviews`: their review spreadsheet linked.")
@click.option("--peers", type=click.Path(path_type=Path, file_okay=False),
              help="The peer workbooks `peers` wrote: remind each AE or peer whose workbook is not back (or not "
                   "usable), with it attached again.")
def remind(results_path: Path, ladder_path: Path | None, team_path: Path, workbooks: Path | None, out: Path,
           sender: str, due: object, ops: tuple[str, ...], today: object, reviews: Path | None,
           peers: Path | None) -> None:
    """Write reminders from a collect or pull results file: to each SE with something open (what, in
    plain words), to each manager with scores to give, and one overview for SE Ops. With --peers,
    to each AE or peer whose peer workbook is not back, came back blank or could not be used.

    Nobody who is complete gets one. Nothing is sent: check the list, then `ladder-sheets send OUT`.

    \b
    Example:
        ladder-sheets remind results.json --team config/example-team.yaml --workbooks out/2026-Q4
        ladder-sheets send out/reminders --dry-run
    """
    from ..workflows.remind import write_reminders

    reminders = write_reminders(results_path, ladder_path, team_path, out, sender=sender,
                                due=due.date() if due is not None else None,  # type: ignore[attr-defined]
                                today=today.date() if today is not None else None,  # type: ignore[attr-defined]
                                ops=ops, workbooks=workbooks, reviews=reviews, peers=peers)
    for r in reminders:
        click.echo(f"{r.path.name} to {', '.join(r.to)}: {r.subject}")
        for line in r.lines:
            click.echo(f"    {line}")
    click.echo(f"{len(reminders)} reminder(s) written to {out}/, none sent. Next: ladder-sheets send {out} --dry-run")
