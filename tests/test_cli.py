"""The command line: exit codes, messages and help, as a user sees them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladder_sheets.cli import cli
from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.config.resources import data_dir

TEAM = "config/example-team.yaml"
ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed entry point, through main(): the exit codes and Error lines users get."""
    return subprocess.run([sys.executable, "-m", "ladder_sheets", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_init_writes_editable_copies_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "org"
    first = run("init", str(target))
    assert first.returncode == 0, first.stderr
    assert (target / "ladder.yaml").exists() and (target / "team.yaml").exists()
    (target / "team.yaml").write_text("# mine\n", encoding="utf-8")
    second = run("init", str(target))
    assert second.returncode == 2
    assert second.stderr.strip() == f"Error: {target / 'ladder.yaml'}, {target / 'team.yaml'}: already exists; not overwriting"
    assert (target / "team.yaml").read_text(encoding="utf-8") == "# mine\n"
    valid = run("validate", "--ladder", str(target / "ladder.yaml"), "--team", TEAM)
    assert valid.returncode == 0, valid.stderr


def test_validate_ok() -> None:
    result = run("validate", "--team", TEAM)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "OK: ladder 'Sales Engineering Career Ladder' v2026.4: 5 levels, 5 rubrics (52 criteria), 3 metrics, 6 pivots",
        f"OK: roster {TEAM}: 8 people, 2 managers",
    ]


def test_validate_reports_a_broken_roster_with_exit_2(tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text("managers: []\npeople:\n  - {id: a, name: A, email: a@x.example, level: core, "
                    "target_level: senior, manager: nobody}\n", encoding="utf-8")
    result = run("validate", "--team", str(team))
    assert result.returncode == 2
    assert result.stderr == (f"Error: 1 problem found:\n  - {team}: line 3: people[0].manager: unknown manager "
                             "'nobody' (known: )\n")


def test_validate_reports_a_broken_ladder_with_exit_2(tmp_path: Path) -> None:
    ladder = tmp_path / "ladder.yaml"
    ladder.write_text("id: x\nname: a\nname: b\n", encoding="utf-8")
    result = run("validate", "--ladder", str(ladder), "--team", TEAM)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {ladder}:3: duplicate key 'name'\n")


def test_generate_then_skip_a_touched_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run("generate", "--team", TEAM, "--quarter", "2026-Q4", "--out", str(out), "--due", "2026-12-07")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"wrote 8 workbook(s) to {out / '2026-Q4'}/ (manifest: {out / '2026-Q4' / 'manifest.json'})"
    people = load_roster(ROOT / TEAM, load_ladder()).people
    assert sorted(f.name for f in (out / "2026-Q4").iterdir()) == sorted(
        [*(f"{p.id}.xlsx" for p in people), "manifest.json"])
    touched = out / "2026-Q4" / "tomas-novak.xlsx"
    touched.write_bytes(touched.read_bytes() + b"\0")
    second = run("generate", "--team", TEAM, "--quarter", "2026-Q4", "--out", str(out))
    assert second.returncode == 0
    assert "skipped tomas-novak: tomas-novak.xlsx changed since it was generated" in second.stderr
    assert "wrote 7 workbook(s)" in second.stdout


def test_generate_bad_quarter_is_a_usage_error(tmp_path: Path) -> None:
    result = run("generate", "--team", TEAM, "--quarter", "Q4", "--out", str(tmp_path))
    assert (result.returncode, result.stderr) == (2, "Error: --quarter: expected a quarter like 2026-Q4, got 'Q4'\n")


def test_missing_roster_file() -> None:
    result = run("validate", "--team", "no-such-team.yaml")
    assert (result.returncode, result.stderr) == (2, "Error: no-such-team.yaml: file not found\n")


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
