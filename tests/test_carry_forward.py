"""Carry-forward: last quarter's evidence and metrics land, read-only, beside this quarter's inputs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ladder_sheets import history, layout
from ladder_sheets.cli import cli
from ladder_sheets.collect import collect
from ladder_sheets.model import Ladder, Roster
from ladder_sheets.results import Status
from tests.support.results import inputs_for, results_for

EVIDENCE = "=HYPERLINK(\"http://evil.example\",\"Won Acme\")"


@pytest.fixture
def db(ladder: Ladder, roster: Roster, tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite3"
    got = {p.id: inputs_for(ladder, p.target_level, 2, 2, actual=1.5, evidence=EVIDENCE) for p in roster.people[:3]}
    history.store(results_for(ladder, roster, got, quarter="2026-Q3"), path)  # type: ignore[arg-type]
    return path


def test_last_quarter_lands_in_read_only_cells_as_text(db: Path, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["generate", "--team", "config/example-team.yaml", "--quarter", "2026-Q4",
                                      "--out", str(out), "--carry-forward", "--db", str(db), "--due", "2026-12-07"])
    assert result.exit_code == 0, result.output
    assert "carrying forward 2026-Q3 for 3 of 8 people" in result.output
    person = roster.people[0]
    carry = history.carried(db, "2026-Q3", person.id)
    wl = layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7), carry)
    wb = openpyxl.load_workbook(out / "2026-Q4" / f"{person.id}.xlsx")
    carried = [(s, c) for s, c in wl.cells() if c.key.startswith("carry.")]
    assert len(carried) == len(ladder.rubric_for(person.target_level).criteria) + 2 * len(ladder.metrics)
    for sheet, cell in carried:
        target = wb[sheet.title][cell.ref]
        assert target.value == carry.get(cell.key)  # notes were blank last quarter
        assert target.protection.locked and wb[sheet.title].protection.sheet
        if isinstance(target.value, str):
            assert target.data_type == "s"  # evidence starting with "=" stays text
    first = ladder.rubric_for(person.target_level).criteria[0].id
    assert carry[f"carry.criteria.{first}.evidence"] == EVIDENCE
    assert carry[f"carry.metrics.{ladder.metrics[0].id}.actual"] == 1.5
    newcomer = roster.people[5]  # no history: the columns are there, empty
    wb_new = openpyxl.load_workbook(out / "2026-Q4" / f"{newcomer.id}.xlsx")
    assert wb_new[layout.SCORECARD]["M5"].value == "Last quarter's evidence"
    assert all(wb_new[layout.SCORECARD][f"M{r}"].value is None for r in range(6, 10))


def test_carried_workbooks_collect_like_any_other(db: Path, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["generate", "--team", "config/example-team.yaml", "--quarter", "2026-Q4",
                                    "--out", str(out), "--carry-forward", "--db", str(db)]).exit_code == 0
    results = collect([out / "2026-Q4"], ladder, roster, "2026-Q4")
    assert {p.status for p in results.people} == {Status.INCOMPLETE}
    assert not any(p.kind in ("tampered", "shifted_rows") for r in results.people for p in r.problems)


def test_carry_forward_without_history_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", "--team", "config/example-team.yaml", "--quarter", "2026-Q4",
                                      "--out", str(tmp_path), "--carry-forward", "--db", str(tmp_path / "none.db")])
    assert "no history database to carry forward from (run `collect` for 2026-Q3)" in str(result.exception)
