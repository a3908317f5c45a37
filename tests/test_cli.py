"""The command line: exit codes, messages and help, as a user sees them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladder_sheets.cli import cli
from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.config.resources import data_dir
from tests.support.cli import run_main

TEAM = "config/example-team.yaml"
ROOT = Path(__file__).resolve().parents[1]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``ladder-sheets ARGS...`` in-process through main(), from the project folder: (exit code, stdout, stderr)."""
    monkeypatch.chdir(ROOT)
    return lambda *args: run_main(monkeypatch, capsys, *args)


def test_the_installed_command_runs(tmp_path: Path) -> None:
    """The console script pip installs (a real process): its exit code and output, as users get them."""
    exe = shutil.which("ladder-sheets", path=os.path.dirname(sys.executable))
    assert exe is not None, "ladder-sheets is not installed beside this Python (make venv installs it)"
    done = subprocess.run([exe, "validate", "--team", TEAM], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert f"\nOK: roster {TEAM}: 8 people, 2 managers\n" in done.stdout
    missing = subprocess.run([exe, "validate", "--team", "no-such-team.yaml"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=120, check=False)
    assert (missing.returncode, missing.stderr) == (2, "Error: no-such-team.yaml: file not found\n")


def test_init_writes_editable_copies_and_never_overwrites(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "org"
    code, _, err = run("init", target)
    assert code == 0, err
    assert (target / "ladder.yaml").exists() and (target / "team.yaml").exists()
    (target / "team.yaml").write_text("# mine\n", encoding="utf-8")
    code, _, err = run("init", target)
    assert code == 2
    assert err.strip() == f"Error: {target / 'ladder.yaml'}, {target / 'team.yaml'}: already exists; not overwriting"
    assert (target / "team.yaml").read_text(encoding="utf-8") == "# mine\n"
    code, _, err = run("validate", "--ladder", target / "ladder.yaml", "--team", TEAM)
    assert code == 0, err


def test_validate_ok(run: Run) -> None:
    code, out, _ = run("validate", "--team", TEAM)
    assert code == 0
    assert out.splitlines() == [
        "OK: ladder 'Sales Engineering Career Ladder' v2026.4: 5 levels, 5 rubrics (52 criteria), 3 metrics, 6 pivots",
        f"OK: roster {TEAM}: 8 people, 2 managers",
        "OK: peer input: 4 raters for 2 SEs, on the criteria marked peer_rated (anonymous, shown from 3 raters)",
    ]


def test_validate_reports_a_broken_roster_with_exit_2(run: Run, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text("managers: []\npeople:\n  - {id: a, name: A, email: a@x.example, level: core, "
                    "target_level: senior, manager: nobody}\n", encoding="utf-8")
    code, _, err = run("validate", "--team", team)
    assert code == 2
    assert err == (f"Error: 1 problem found:\n  - {team}: line 3: people[0].manager: unknown manager "
                   "'nobody' (known: )\n")


def test_validate_reports_a_broken_ladder_with_exit_2(run: Run, tmp_path: Path) -> None:
    ladder = tmp_path / "ladder.yaml"
    ladder.write_text("id: x\nname: a\nname: b\n", encoding="utf-8")
    assert run("validate", "--ladder", ladder, "--team", TEAM) == (2, "", f"Error: {ladder}:3: duplicate key 'name'\n")


def test_generate_then_skip_a_touched_workbook(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = run("generate", "--team", TEAM, "--quarter", "2026-Q4", "--out", out, "--due", "2026-12-07")
    assert code == 0, err
    assert stdout.strip() == f"wrote 8 workbook(s) to {out / '2026-Q4'}/ (manifest: {out / '2026-Q4' / 'manifest.json'})"
    people = load_roster(ROOT / TEAM, load_ladder()).people
    assert sorted(f.name for f in (out / "2026-Q4").iterdir()) == sorted(
        [*(f"{p.id}.xlsx" for p in people), "manifest.json"])
    touched = out / "2026-Q4" / "tomas-novak.xlsx"
    touched.write_bytes(touched.read_bytes() + b"\0")
    code, stdout, err = run("generate", "--team", TEAM, "--quarter", "2026-Q4", "--out", out)
    assert code == 0
    assert "skipped tomas-novak: tomas-novak.xlsx changed since it was generated" in err
    assert "wrote 7 workbook(s)" in stdout


def test_generate_bad_quarter_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    code, _, err = run("generate", "--team", TEAM, "--quarter", "Q4", "--out", tmp_path)
    assert (code, err) == (2, "Error: --quarter: expected a quarter like 2026-Q4, got 'Q4'\n")


def test_missing_roster_file(run: Run) -> None:
    code, _, err = run("validate", "--team", "no-such-team.yaml")
    assert (code, err) == (2, "Error: no-such-team.yaml: file not found\n")


def test_in_process_init_validate_generate(tmp_path: Path) -> None:
    """The click commands themselves, through CliRunner: what each one echoes and writes."""
    runner = CliRunner()
    org = tmp_path / "org"
    init = runner.invoke(cli, ["init", str(org)])
    assert (init.exit_code, init.output) == (0, f"wrote {org / 'ladder.yaml'}\nwrote {org / 'team.yaml'}\n")
    shipped = data_dir("config")
    assert (org / "ladder.yaml").read_bytes() == (shipped / "ladder.yaml").read_bytes()
    assert (org / "team.yaml").read_bytes() == (shipped / "example-team.yaml").read_bytes()
    team = str(org / "team.yaml")
    validate = runner.invoke(cli, ["validate", "--ladder", str(org / "ladder.yaml"), "--team", team])
    assert validate.exit_code == 0 and validate.output.splitlines()[1] == f"OK: roster {team}: 8 people, 2 managers"
    out = tmp_path / "out"
    generate = runner.invoke(cli, ["generate", "--team", team, "--quarter", "2026-Q1", "--out", str(out),
                                   "--due", "2026-03-20", "--jobs", "1"])
    assert generate.exit_code == 0, generate.output
    assert len(list((out / "2026-Q1").glob("*.xlsx"))) == 8 and (out / "2026-Q1" / "manifest.json").exists()


def test_in_process_errors_are_left_to_main(tmp_path: Path) -> None:
    """Commands raise; only main() turns a LadderSheetsError into an Error line (tested above through it)."""
    result = CliRunner().invoke(cli, ["validate", "--team", str(tmp_path / "none.yaml")])
    assert isinstance(result.exception, ConfigError) and result.exit_code == 1
    assert str(result.exception) == f"{tmp_path / 'none.yaml'}: file not found"


@pytest.mark.parametrize("command", sorted(cli.commands))  # type: ignore[attr-defined]
def test_every_command_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
