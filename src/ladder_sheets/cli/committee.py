"""The promotion committee's command: ``calibrate`` writes its workbook, and applies it once filled in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import db_option, default_db, ladder_option, team_option

if TYPE_CHECKING:
    from ..workflows.calibrate import Recorded


@click.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ladder_option
@team_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the committee's workbook here (e.g. calibration.xlsx).")
@click.option("--apply", "apply_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the committee's filled-in workbook and record its decisions in the history.")
@click.option("--force", is_flag=True, help="With --out: replace an existing workbook (kept as .bak).")
@db_option
def calibrate(results: Path, ladder_path: Path | None, team_path: Path, out: Path | None, apply_path: Path | None,
              force: bool, db_path: Path | None) -> None:
    """The promotion committee's workbook: write it (--out), then record its decisions (--apply).

    The workbook lists every SE in or near the top band with the manager's band, readiness
    over quarters, quarters in the top band in a row, evidence completeness, the manager's
    recommendation and who scored, and each manager's scores beside the org's. The committee
    chooses an agreed band, writes a rationale wherever it differs from the manager's, and a
    decision. --apply checks every input first (nothing is recorded while one is wrong),
    then records the decisions for RESULTS' quarter: applying the same file again changes
    nothing, a later one replaces them. From then on reports show the agreed band beside
    the manager's and count it.

    \b
    Example:
        ladder-sheets calibrate results.json --team config/example-team.yaml --out calibration.xlsx
        ladder-sheets calibrate results.json --team config/example-team.yaml --apply calibration.xlsx
    """
    if (out is None) == (apply_path is None):
        raise click.UsageError("give --out (write the committee's workbook) or --apply (record its decisions)")
    from ..workflows.calibrate import apply_calibration, write_calibration

    db = db_path or default_db()
    if out is not None:
        written = write_calibration(results, ladder_path, team_path, out, db=db, force=force)
        if written.backup is not None:
            click.echo(f"backed up {written.backup}")
        carried = f", {written.decided} with decisions already recorded" if written.decided else ""
        click.echo(f"wrote {written.path}: {written.listed} SE{'s' if written.listed != 1 else ''} in or near the "
                   f"top band{carried}")
        return
    assert apply_path is not None
    _echo_applied(apply_calibration(results, ladder_path, team_path, apply_path, db=db), apply_path, db)


def _echo_applied(done: Recorded, path: Path, db: Path) -> None:
    a = done.applied
    if done.state == "unchanged":
        click.echo(f"{path.name} was already applied for {a.quarter} on {a.applied_at[:10]}: nothing changed")
        return
    for d in done.changed:
        click.echo(f"{d.person_id}: {d.manager_band} -> {d.agreed_band} ({d.rationale})")
    replaced = f"; replaces {done.superseded.file_name}" if done.superseded is not None else ""
    click.echo(f"recorded {len(a.decisions)} decision{'s' if len(a.decisions) != 1 else ''} for {a.quarter} from "
               f"{a.file_name} (sha256 {a.sha256[:12]}) in {db}{replaced}")
