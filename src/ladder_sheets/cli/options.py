"""Options shared by several commands, defined once (as pip-tools' scripts/options.py does)."""

from __future__ import annotations

from pathlib import Path

import click

ladder_option = click.option(
    "--ladder", "ladder_path", type=click.Path(path_type=Path, dir_okay=False),
    help="Ladder definition (YAML). Default: the shipped SE ladder.",
)
team_option = click.option(
    "--team", "team_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
    help="Team roster (YAML or CSV).",
)
quarter_option = click.option("--quarter", required=True, help="Quarter, e.g. 2026-Q4.")

db_option = click.option(
    "--db", "db_path", type=click.Path(path_type=Path, dir_okay=False),
    help="History database (SQLite). Default: $LADDER_SHEETS_DB or ./ladder-sheets.sqlite3.")
no_db_option = click.option("--no-db", is_flag=True, help="Do not store these results in the history database.")


def default_db() -> Path:
    """The history database when --db is not given (the store is imported only by a command that uses it)."""
    from ..workflows.history_db import default_path

    return default_path()
