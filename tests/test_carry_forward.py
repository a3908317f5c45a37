"""Carry-forward: last quarter's evidence and metrics land, read-only, beside this quarter's inputs."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from ladder_sheets.xlsx import generate as generate_module
from ladder_sheets.history import store as history
from ladder_sheets.core import cells, layout
from ladder_sheets.xlsx import batch as xlsx_batch
from ladder_sheets.cli import cli
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate
from ladder_sheets.core.model import CellValue, Inputs, Ladder, MetricInput, Person, Roster
from ladder_sheets.config.resources import example_team_path
from ladder_sheets.core.results import Status
from ladder_sheets.xlsx.batch import TemplateWriter
from ladder_sheets.xlsx.writer import workbook_bytes
from tests.support.cli import run_main
from tests.support.libreoffice import recalc
from tests.support.results import inputs_for, results_for
from tests.support.xlsx_snapshot import snapshot

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
    # self, manager and evidence per criterion; actual and notes per metric of the person's level
    assert len(carried) == 3 * len(ladder.rubric_for(person.target_level).criteria) + 2 * len(
        ladder.metrics_for(person.level, person.target_level))
    for sheet, cell in carried:
        target = wb[sheet.title][cell.ref]
        assert target.value == carry.get(cell.key)  # notes were blank last quarter
        assert target.protection.locked and wb[sheet.title].protection.sheet
        if isinstance(target.value, str):
            assert target.data_type == "s"  # evidence starting with "=" stays text
    first = ladder.rubric_for(person.target_level).criteria[0].id
    assert carry[f"carry.criteria.{first}.evidence"] == EVIDENCE
    assert carry[f"carry.criteria.{first}.self"] == carry[f"carry.criteria.{first}.manager"] == 2
    assert carry[f"carry.metrics.{ladder.metrics[0].id}.actual"] == 1.5
    newcomer = roster.people[5]  # no history: the columns are there, empty
    wb_new = openpyxl.load_workbook(out / "2026-Q4" / f"{newcomer.id}.xlsx")
    assert [wb_new[cells.SCORECARD][f"{col}5"].value for col in "NOP"] == [
        "Last quarter: self", "Last quarter: manager", "Last quarter's evidence"]
    assert all(wb_new[cells.SCORECARD][f"{col}{r}"].value is None for r in range(6, 10) for col in "NOP")


def test_carried_workbooks_collect_like_any_other(db: Path, ladder: Ladder, review_roster: Roster,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["generate", "--team", "config/example-team.yaml", "--quarter", "2026-Q4",
                                    "--out", str(out), "--carry-forward", "--db", str(db)]).exit_code == 0
    results = collect([out / "2026-Q4"], ladder, review_roster, "2026-Q4")
    assert {p.status for p in results.people} == {Status.INCOMPLETE}
    assert not any(p.kind in ("tampered", "shifted_rows") for r in results.people for p in r.problems)


def test_carry_forward_without_history_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", "--team", "config/example-team.yaml", "--quarter", "2026-Q4",
                                      "--out", str(tmp_path), "--carry-forward", "--db", str(tmp_path / "none.db")])
    assert "no history database to carry forward from (run `collect` for 2026-Q3)" in str(result.exception)


# ---- last quarter's own words, cell by cell ------------------------------------------------

FORMULA_LIKE = ("=1+1", '=HYPERLINK("http://evil.example","click")', "+44 pipeline", "-3 deals", "@mention")


def _q3_inputs(ladder: Ladder, person: Person) -> Inputs:
    """Different evidence on every criterion (some formula-like, one padded, one blank) and metric notes."""
    base = inputs_for(ladder, person.target_level, 2, 3)
    criteria = {}
    for i, (cid, c) in enumerate(base.criteria.items()):
        text = FORMULA_LIKE[i] if i < len(FORMULA_LIKE) else f"  {person.name}: <b>{cid}</b> & more  "
        criteria[cid] = replace(c, evidence="" if i == len(base.criteria) - 1 else text)
    metrics = {mid: MetricInput(None if i == 0 else 1.25 * i, f"note {i} =SUM(A1)" if i % 2 else "")
               for i, mid in enumerate(base.metrics)}
    return replace(base, criteria=criteria, metrics=metrics)


def _columns(ws: Worksheet, header_row: int) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[header_row] if c.value is not None}


def _rows(ws: Worksheet, first: int) -> dict[str, int]:
    """Row number by the item id in column A, from ``first`` down to the first blank."""
    out, row = {}, first
    while ws.cell(row, 1).value:
        out[str(ws.cell(row, 1).value)] = row
        row += 1
    return out


def test_each_criterion_and_metric_shows_its_own_last_quarter(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    returned = roster.people[:4]
    q3 = {p.id: _q3_inputs(ladder, p) for p in returned}
    history.store(results_for(ladder, roster, q3, quarter="2026-Q3"), db)  # type: ignore[arg-type]
    code, out, err = run_main(monkeypatch, capsys, "generate", "--team", example_team_path(), "--quarter", "2026-Q4",
                              "--out", tmp_path / "out", "--carry-forward", "--db", db, "--jobs", "1")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"carrying forward 2026-Q3 for {len(returned)} of {len(roster.people)} people from {db}"
    for person in returned:
        wb = openpyxl.load_workbook(tmp_path / "out" / "2026-Q4" / f"{person.id}.xlsx")
        sc, mt = wb[cells.SCORECARD], wb[cells.METRICS]
        evidence_col = _columns(sc, 5)["Last quarter's evidence"]
        rows = _rows(sc, 6)
        assert set(rows) == set(q3[person.id].criteria)
        for cid, typed in q3[person.id].criteria.items():
            cell = sc.cell(rows[cid], evidence_col)
            assert cell.value == (typed.evidence or None), (person.id, cid)
            assert cell.data_type == ("s" if typed.evidence else "n")  # text, never a formula
            assert cell.protection.locked
            assert not sc.cell(rows[cid], _columns(sc, 5)[f"Self (0-{ladder.scale.max})"]).protection.locked
            for column, score in (("Last quarter: self", typed.self_score), ("Last quarter: manager", typed.manager_score)):
                assert sc.cell(rows[cid], _columns(sc, 5)[column]).value == score, (person.id, cid, column)
        heads, rows = _columns(mt, 4), _rows(mt, 5)
        assert set(rows) == {m.id for m in ladder.metrics_for(person.level, person.target_level)}
        for mid in rows:
            typed_metric = q3[person.id].metrics[mid]
            actual, notes = mt.cell(rows[mid], heads["Last quarter"]), mt.cell(rows[mid], heads["Last quarter's notes"])
            assert (actual.value, notes.value) == (typed_metric.actual, typed_metric.notes or None), (person.id, mid)
            assert actual.protection.locked and notes.protection.locked
            assert notes.data_type == ("s" if typed_metric.notes else "n")
        for ws in ((sc, mt) if rows else (sc,)):  # Kenji (Core, growing at Core) has no metric to carry
            assert ws.protection.sheet
            carried_cols = {evidence_col} if ws is sc else {heads["Last quarter"], heads["Last quarter's notes"]}
            for dv in ws.data_validations.dataValidation:  # nothing invites typing into them
                assert not any(c in carried_cols for rng in dv.sqref.ranges for c in range(rng.min_col, rng.max_col + 1))


def test_a_score_or_actual_of_zero_last_quarter_shows_as_zero_not_blank(ladder: Ladder, roster: Roster,
                                                                       tmp_path: Path) -> None:
    """0 is a score (and an actual): carried forward it reads 0 in the workbook, never an empty cell."""
    db = tmp_path / "h.sqlite3"
    person = roster.people[0]
    base = inputs_for(ladder, person.target_level, 2, 3)
    first, second = list(base.criteria)[:2]
    metric = next(m.id for m in ladder.metrics_for(person.level))
    q3 = replace(base, criteria={**base.criteria, first: replace(base.criteria[first], self_score=0.0, manager_score=0.0),
                                 second: replace(base.criteria[second], self_score=0.0)},
                 metrics={**base.metrics, metric: MetricInput(0.0, "")})
    history.store(results_for(ladder, roster, {person.id: q3}, quarter="2026-Q3"), db)  # type: ignore[arg-type]
    carry = history.carried(db, "2026-Q3", person.id)
    generate(ladder, roster, "2026-Q4", tmp_path / "out", due=date(2026, 12, 7), jobs=1, carry={person.id: carry})
    direct = workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7), carry))
    for wb in (openpyxl.load_workbook(tmp_path / "out" / "2026-Q4" / f"{person.id}.xlsx"),
               openpyxl.load_workbook(io.BytesIO(direct))):  # from the template, and written directly
        sc, mt = wb[cells.SCORECARD], wb[cells.METRICS]
        heads, rows = _columns(sc, 5), _rows(sc, 6)
        shown = {(cid, column): sc.cell(rows[cid], heads[column]).value for cid in (first, second)
                 for column in ("Last quarter: self", "Last quarter: manager")}
        assert shown == {(first, "Last quarter: self"): 0, (first, "Last quarter: manager"): 0,
                         (second, "Last quarter: self"): 0, (second, "Last quarter: manager"): 3}
        assert mt.cell(_rows(mt, 5)[metric], _columns(mt, 4)["Last quarter"]).value == 0


@pytest.mark.libreoffice
def test_formula_like_evidence_stays_text_in_a_spreadsheet_app(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """LibreOffice opens, recalculates and saves the workbook: last quarter's "=1+1" is still those four characters."""
    db = tmp_path / "h.sqlite3"
    person = roster.people[0]
    q3 = _q3_inputs(ladder, person)
    history.store(results_for(ladder, roster, {person.id: q3}, quarter="2026-Q3"), db)  # type: ignore[arg-type]
    carry = {person.id: history.carried(db, "2026-Q3", person.id)}
    generate(ladder, roster, "2026-Q4", tmp_path / "out", due=date(2026, 12, 7), jobs=1, carry=carry)
    [saved] = recalc([tmp_path / "out" / "2026-Q4" / f"{person.id}.xlsx"], tmp_path / "lo")
    values = openpyxl.load_workbook(saved, data_only=True)[cells.SCORECARD]
    kinds = openpyxl.load_workbook(saved)[cells.SCORECARD]
    col, rows = _columns(kinds, 5)["Last quarter's evidence"], _rows(kinds, 6)
    for cid, typed in q3.criteria.items():
        if typed.evidence:
            assert values.cell(rows[cid], col).value == typed.evidence
            assert kinds.cell(rows[cid], col).data_type == "s"
    assert {q3.criteria[cid].evidence for cid in rows} >= set(FORMULA_LIKE)


# ---- many workbooks: carried values go into a cached template, exactly as a direct write ----

TRICKY: tuple[CellValue, ...] = ("=1+1", "  padded  ", "line\r\nbreak\ttab", "<b>&amp;</b> \"quoted\" 'too'",
                                 "\ue000name\ue001 looks like a token", "Ünïcödé “quotes” \u00a0nbsp", "x" * 5000)
NUMBERS: tuple[CellValue, ...] = (1.5, 0.1 + 0.2, 1e-7, 3, 120.0, 123456789.123)


def _carry_for(ladder: Ladder, person: Person, shift: int) -> dict[str, CellValue]:
    rubric = ladder.rubric_for(person.target_level)
    out: dict[str, CellValue] = {f"carry.criteria.{c.id}.evidence": TRICKY[(i + shift) % len(TRICKY)]
                                 for i, c in enumerate(rubric.criteria) if (i + shift) % 4}  # some left blank
    for i, m in enumerate(ladder.metrics):
        out[f"carry.metrics.{m.id}.actual"] = NUMBERS[(i + shift) % len(NUMBERS)]
        out[f"carry.metrics.{m.id}.notes"] = TRICKY[(i + shift) % len(TRICKY)]
    return out


def _sheets(data: bytes) -> dict[str, str]:
    """Every worksheet's XML in canonical form (C14N: "&#225;" and "á" alike), by part name."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: canonicalize(zf.read(n).decode("utf-8")) for n in zf.namelist() if n.startswith("xl/worksheets/")}


def test_carried_workbooks_from_a_template_equal_direct_writes(ladder: Ladder, roster: Roster,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    due = date(2026, 12, 7)
    carry = {p.id: _carry_for(ladder, p, i) for i, p in enumerate(roster.people[:-1])}  # the last: nothing stored
    writer = TemplateWriter(ladder, roster, "2026-Q4", due, carry)
    for person in roster.people:  # warm every shape
        writer.render(person)
    direct_writes = []
    real = xlsx_batch.workbook_bytes
    monkeypatch.setattr(xlsx_batch, "workbook_bytes", lambda wl: direct_writes.append(wl) or real(wl))
    for person in roster.people:
        filled = writer.render(person)
        direct = workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", due, carry.get(person.id, {})))
        assert _sheets(filled) == _sheets(direct), person.id  # the same worksheet XML
        assert snapshot(filled) == snapshot(direct)
    assert direct_writes == []  # every one came from a template


def test_a_value_the_template_cannot_take_is_written_directly(ladder: Ladder, roster: Roster) -> None:
    person = roster.people[0]
    key = f"carry.metrics.{ladder.metrics[0].id}.actual"
    for odd in (True, float("inf")):
        carry = {person.id: {**_carry_for(ladder, person, 1), key: odd}}
        writer = TemplateWriter(ladder, roster, "2026-Q4", date(2026, 12, 7), carry)
        direct = workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7), carry[person.id]))
        assert snapshot(writer.render(person)) == snapshot(direct)


def test_parallel_carry_forward_equals_serial(ladder: Ladder, roster: Roster, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    carry = {p.id: _carry_for(ladder, p, i) for i, p in enumerate(roster.people)}
    generate(ladder, roster, "2026-Q4", tmp_path / "serial", due=date(2026, 12, 7), jobs=1, carry=carry)
    monkeypatch.setattr(generate_module, "_PARALLEL_THRESHOLD", 1)
    generate(ladder, roster, "2026-Q4", tmp_path / "pool", due=date(2026, 12, 7), jobs=2, carry=carry)
    for person in roster.people:
        name = f"2026-Q4/{person.id}.xlsx"
        assert _sheets((tmp_path / "pool" / name).read_bytes()) == _sheets((tmp_path / "serial" / name).read_bytes())


# ---- what the history hands over, and when it has nothing ----------------------------------


def test_control_characters_a_workbook_cannot_hold_are_dropped(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    person = roster.people[0]
    first = ladder.rubric_for(person.target_level).criteria[0].id
    q3 = _q3_inputs(ladder, person)
    q3 = replace(q3, criteria={**q3.criteria, first: replace(q3.criteria[first], evidence="bell\x07 and\ttab\nline")})
    history.store(results_for(ladder, roster, {person.id: q3}, quarter="2026-Q3"), db)  # type: ignore[arg-type]
    carry = history.carried(db, "2026-Q3", person.id)
    assert carry[f"carry.criteria.{first}.evidence"] == "bell and\ttab\nline"
    generate(ladder, roster, "2026-Q4", tmp_path / "out", due=date(2026, 12, 7), jobs=1, carry={person.id: carry})


def test_carry_forward_needs_the_previous_quarter_stored(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str], _history_db: Path) -> None:
    got = {p.id: inputs_for(ladder, p.target_level, 2, 2) for p in roster.people}
    history.store(results_for(ladder, roster, got, quarter="2026-Q2"), _history_db)  # type: ignore[arg-type]
    args = ("generate", "--team", example_team_path(), "--quarter", "2026-Q4", "--out", tmp_path, "--carry-forward")
    code, out, err = run_main(monkeypatch, capsys, *args)  # no --db: $LADDER_SHEETS_DB
    assert (code, out) == (2, "")
    assert err == (f"Error: {_history_db}: nothing stored for 2026-Q3 to carry forward (stored: 2026-Q2); "
                   "run `collect` for 2026-Q3\n")
    assert not (tmp_path / "2026-Q4").exists()
    history.store(results_for(ladder, roster, got, quarter="2026-Q3"), _history_db)  # type: ignore[arg-type]
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (f"carrying forward 2026-Q3 for {len(roster.people)} of {len(roster.people)} "
                                   f"people from {_history_db}")
