"""The ``ladder-sheets`` command line. Only wiring: parse, call one library function, echo.

The commands live in one module per stage of the quarter (``prepare``, ``collecting``,
``committee``, ``mailing``, ``google_sheets``) and their shared options in ``options``; this module gathers them
into one group. Errors of the tool (LadderSheetsError) become one ``Error: ...`` message and
an exit code, in ``main`` only.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..core.errors import LadderSheetsError
from .collecting import collect, history
from .committee import calibrate
from .mailing import handout, remind, report, send
from .prepare import generate, init, peers, review, validate
from .google_sheets import pull, push

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ladder-sheets")
def cli() -> None:
    """Quarterly SE career-ladder workbooks: generate, collect, report."""


for _command in (init, validate, generate, review, peers, collect, history, calibrate, report, send, handout, remind,
                 push, pull):
    cli.add_command(_command)


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
