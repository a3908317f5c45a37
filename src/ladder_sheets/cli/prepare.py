"""Commands that start a quarter and its rounds: ``init`` (an org's own config), ``validate``, ``generate``,
``review`` (the managers' round) and ``peers`` (the AEs' and peers')."""

from __future__ import annotations

from pathlib import Path

import click

from .options import db_option, default_db, ladder_option, quarter_option, team_option
from .progress import progress_bar


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Copy the default ladder and an example roster into DIRECTORY to edit for your org.

    \b
    Example:
        ladder-sheets init my-org
        ladder-sheets validate --ladder my-org/ladder.yaml --team my-org/team.yaml
    """
    from ..workflows.prepare import init_config

    for path in init_config(directory):
        click.echo(f"wrote {path}")


@click.command()
@ladder_option
@team_option
def validate(ladder_path: Path | None, team_path: Path) -> None:
    """Check a ladder definition and a roster; report every problem at once.

    \b
    Example:
        ladder-sheets validate --team config/example-team.yaml
    """
    from ..workflows.prepare import validate_config

    for line in validate_config(ladder_path, team_path):
        click.echo(line)


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
    from ..workflows.prepare import generate_workbooks

    with progress_bar("generating") as progress:
        report = generate_workbooks(ladder_path, team_path, quarter, out,
                                    due=due.date() if due is not None else None,  # type: ignore[attr-defined]
                                    force=force, jobs=jobs, carry_from=db_path or default_db() if carry_forward else None,
                                    say=click.echo, progress=progress)
    for person_id, backup in report.backed_up:
        click.echo(f"backed up {person_id}: {backup}")
    for person_id, why in report.skipped:
        click.echo(f"skipped {person_id}: {why}", err=True)
    click.echo(f"wrote {len(report.written)} workbook(s) to {report.directory}/ (manifest: {report.manifest_path})")


@click.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ladder_option
@team_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for the review workbooks (review-<manager-id>.xlsx) and their manifest.")
@click.option("--blind", is_flag=True, help="Leave the SEs' self scores out, so managers score first.")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date shown in the reviews (default: in 14 days).")
@click.option("--force", is_flag=True, help="Replace reviews changed since they were written (kept as .bak).")
@db_option
def review(results: Path, ladder_path: Path | None, team_path: Path, out: Path, blind: bool, due: object,
           force: bool, db_path: Path | None) -> None:
    """Write one review workbook per manager from RESULTS: where they score their SEs.

    Each shows the manager's SEs' evidence and self scores (left out with --blind), the
    manager's score and comment per criterion, a recommendation with why, and a Team page
    of their scores beside the org's (from RESULTS, else the history's last quarter with
    manager scores). Scores, comments and recommendations already collected are carried in.
    Return them like workbooks: collect reads them from files, folders and saved emails.

    \b
    Example:
        ladder-sheets review results.json --team config/example-team.yaml --out out/reviews
    """
    from ..workflows.review import write_reviews

    report = write_reviews(results, ladder_path, team_path, out, blind=blind,
                           due=due.date() if due is not None else None,  # type: ignore[attr-defined]
                           db=db_path or default_db(), force=force)
    for manager_id, backup in report.backed_up:
        click.echo(f"backed up {manager_id}: {backup}")
    for manager_id, why in report.skipped:
        click.echo(f"skipped {manager_id}: {why}", err=True)
    click.echo(f"org figures: {report.org or 'none yet (no other manager has scored)'}")
    click.echo(f"wrote {len(report.written)} review(s) to {report.directory}/")


@click.command()
@ladder_option
@team_option
@quarter_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for the peer workbooks (peer-<address>.xlsx, one per rater) and their manifest.")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date shown in the workbooks (default: in 14 days).")
@click.option("--force", is_flag=True, help="Replace workbooks changed since they were written (kept as .bak).")
def peers(ladder_path: Path | None, team_path: Path, quarter: str, out: Path, due: object, force: bool) -> None:
    """Write one peer workbook per AE or peer the roster names (`raters:`), a sheet per SE they rate.

    Each sheet asks the documents' blind-spot question about the SE ("What is Leticia's
    biggest blind spot in the room?", a text answer) and a 0-3 rating of the customer-facing
    criteria the ladder marks (`peer_rated`). Hand them out with `handout --peers OUT`,
    collect them like any workbook; the agenda and the promotion packet show the answers as
    the ladder's `peer_input` says (anonymous from `min_raters` raters up, or attributed).

    \b
    Example:
        ladder-sheets peers --team config/example-team.yaml --quarter 2026-Q4 --out out/peers
        ladder-sheets handout --team config/example-team.yaml --quarter 2026-Q4 --peers out/peers \\
          --out out/peer-handout
    """
    from ..workflows.peers import write_peers

    report = write_peers(ladder_path, team_path, quarter, out,
                         due=due.date() if due is not None else None,  # type: ignore[attr-defined]
                         force=force)
    for rater, backup in report.backed_up:
        click.echo(f"backed up {rater}: {backup}")
    for rater, why in report.skipped:
        click.echo(f"skipped {rater}: {why}", err=True)
    click.echo(f"wrote {len(report.written)} peer workbook(s) to {report.directory}/")
