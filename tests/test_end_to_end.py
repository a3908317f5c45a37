"""The whole quarter as users live it: generate, fill, save in a spreadsheet app, collect, report, send."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core import layout, scoring
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate
from ladder_sheets.mail.smtp import Server, send_files
from ladder_sheets.core.model import Inputs, Ladder, Roster
from ladder_sheets.workflows.report import build_report
from ladder_sheets.core.results import Status
from tests.support.fill import random_inputs, write_values
from tests.support.libreoffice import recalc
from tests.support.results import find_person
from tests.support.smtp import smtp_server

pytestmark = [pytest.mark.libreoffice, pytest.mark.network]
Q = "2026-Q4"
DUE = date(2026, 12, 7)


def test_a_quarter_from_generate_to_inbox(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    generate(ladder, roster, Q, tmp_path / "out", due=DUE)
    sent_dir = tmp_path / "out" / Q
    rng = random.Random(42)
    typed: dict[str, Inputs] = {}
    incomplete, tampered, missing = roster.people[1], roster.people[2], roster.people[-1]
    for person in roster.people:
        if person is missing:  # never sent it back
            (sent_dir / f"{person.id}.xlsx").unlink()
            continue
        wl = layout.build(ladder, roster, person, Q, DUE)
        inputs, values = random_inputs(ladder, ladder.rubric_for(person.target_level), rng, 0.0, level=person.level)
        if person is incomplete:  # the manager has not scored yet
            values = {k: v for k, v in values.items() if not k.endswith(".manager")}
        typed[person.id] = inputs
        write_values(sent_dir / f"{person.id}.xlsx", wl, values)
    # The tampered SE typed over their readiness formula in their spreadsheet app.
    wb = openpyxl.load_workbook(sent_dir / f"{tampered.id}.xlsx")
    sheet, cell = layout.build(ladder, roster, tampered, Q, DUE).by_key()["result.self_pct"]
    wb[sheet.title][cell.ref] = 0.99
    wb.save(sent_dir / f"{tampered.id}.xlsx")
    returned = recalc(sorted(sent_dir.glob("*.xlsx")), tmp_path / "returned")  # as saved by a spreadsheet app

    results = collect(returned, ladder, roster, Q)

    by_id = {p.person.id: p for p in results.people}
    assert by_id[missing.id].status is Status.MISSING
    assert by_id[incomplete.id].status is Status.INCOMPLETE
    assert [p.kind for p in by_id[incomplete.id].problems] == ["awaiting_manager"]
    assert by_id[tampered.id].status is Status.INVALID
    (problem,) = by_id[tampered.id].problems
    assert (problem.kind, problem.sheet, problem.cell) == ("tampered", sheet.title, cell.ref)
    for person_id, inputs in typed.items():
        person = find_person(roster, person_id)
        want = scoring.score(ladder, ladder.rubric_for(person.target_level), inputs, person.level)
        got = by_id[person_id].scores
        assert got is not None and got.self_pct == pytest.approx(want.self_pct) and got.readout_text == want.readout_text
        if person_id not in (incomplete.id, tampered.id):
            assert by_id[person_id].status is Status.COMPLETE, by_id[person_id].problems

    files = build_report(results, ladder, tmp_path / "report", sender="SE Ops <se-ops@apex.example>",
                         leadership=list(roster.leadership), org=roster.org)
    assert {f.name for f in files} >= {"summary.xlsx", "results.csv", "leadership.eml", "manager-mgr-amara.eml"}

    with smtp_server() as (controller, recorder, _):
        report = send_files(sorted((tmp_path / "report").glob("*.eml")), Server("127.0.0.1", controller.port))
    assert not report.failed and not report.refused
    inbox = {r.recipients[0]: r.message for r in recorder.received}
    lead_html = inbox["vp.presales@apex-cloud.example"].get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    lead_text = inbox["vp.presales@apex-cloud.example"].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    # Leadership gets counts by team, never per-SE lists that grow with the org; SE Ops' log names each file and cell.
    assert "sheets outstanding" in lead_text and "not returned" in lead_text and missing.name not in lead_text
    log = (tmp_path / "report" / "problems.txt").read_text(encoding="utf-8")
    assert f"  {missing.name} ({missing.id}): no workbook returned" in log
    assert f"'{sheet.title}'!{cell.ref}: formula result overwritten: found 0.99" in log and tampered.name in log
    evidence = {c.evidence for i in typed.values() for c in i.criteria.values() if len(c.evidence) > 3}
    assert evidence and not any(e in lead_html for e in evidence if e.isalpha())
    manager_of_tampered = roster.manager_of(tampered).email
    mine = inbox[manager_of_tampered].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "to correct: formula result overwritten: found 0.99" in mine and f"!{cell.ref}" not in mine
