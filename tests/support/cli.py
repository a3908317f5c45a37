"""Run the CLI through its real entry point (``cli.main``) in-process: exit codes and ``Error:`` lines as users see them."""

from __future__ import annotations

import sys

import pytest

from ladder_sheets.cli import main


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``ladder-sheets ARGS...``."""
    capsys.readouterr()  # drop whatever earlier steps printed
    monkeypatch.setattr(sys, "argv", ["ladder-sheets", *map(str, args)])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
