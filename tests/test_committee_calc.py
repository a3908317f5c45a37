"""The committee's workbook filled in LibreOffice as a committee would: applied, and Calc's figures are ours.

Written by ``calibrate --out`` from a quarter where three SEs are Ready and one is near it.
In Calc (UNO, tests/support/calc.py) the committee types an agreed band, a rationale and a
decision for three of them: one rationale pasted as text with a leading "=", one with HTML
in it. Saved as .xlsx and .ods, with the rows sorted by name too, each is applied and gives
exactly what was typed. What Calc shows in every formula cell (the Check column, the totals,
the Managers sheets' shares, differences and flags) is what the layout says it must.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ladder_sheets.config.ladder import load_ladder
from ladder_sheets.config.resources import default_ladder_path
from ladder_sheets.core.committee import Verdict
from ladder_sheets.core.committee_layout import build_committee, expected_decisions, key, listing
from ladder_sheets.core.committee_managers import expected_managers
from ladder_sheets.core.model import CriterionInput, Ladder, Roster
from ladder_sheets.core.summary import summarize
from ladder_sheets.history import committee
from ladder_sheets.workflows.calibrate import apply_calibration, write_calibration
from ladder_sheets.workflows.results_file import write_results
from tests.support.calc import Calc, assert_shown
from tests.support.results import inputs_for, results_for
from tests.support.screens import pdf_pages, pdf_to_png, to_pdf

pytestmark = pytest.mark.libreoffice
TYPED = {"leticia-moreno": ("Close", "=Thin evidence of executive presence", "Not yet"),
         "tomas-novak": ("Ready", "", "Promote"),
         "oliver-grant": ("Developing", "<b>Needs</b> a second quarter & a <script>x</script>", "Defer")}
MANAGER = {"leticia-moreno": 3, "tomas-novak": 3, "oliver-grant": 3, "priya-raman": 1, "kenji-watanabe": 2,
           "marcus-bell": 2, "sofia-lindqvist": 3, "aisha-haddad": 1}


def _results(ladder: Ladder, roster: Roster):  # type: ignore[no-untyped-def]
    """Everyone scored; Sofia 3 on half her criteria, 2 on the rest: near the top band, not in it."""
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, MANAGER.get(p.id, 2)) for p in roster.people}
    sofia = inputs["sofia-lindqvist"]
    ids = list(sofia.criteria)
    sofia.criteria.update({c: CriterionInput(2.0, 2.0, "Led the Acme POC") for c in ids[:len(ids) // 2]})
    return results_for(ladder, roster, inputs)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, review_roster: Roster, team_path: Path, calc: Calc) -> dict:
    tmp = tmp_path_factory.mktemp("committee-calc")
    ladder_path = tmp / "ladder.yaml"  # every manager's difference judged: the flags are exercised too
    ladder_path.write_text(default_ladder_path().read_text(encoding="utf-8").replace(
        "calibration_min_n: 5", "calibration_min_n: 1"), encoding="utf-8")
    ladder = load_ladder(ladder_path)
    results = _results(ladder, review_roster)
    results_path = write_results(results, tmp / "results.json")
    src = write_calibration(results_path, ladder_path, team_path, tmp / "calibration.xlsx").path
    summary = summarize(results, ladder)
    listed = listing(ladder, summary, None)
    wl = build_committee(ladder, results.quarter, listed, summary.calibration)
    cells = wl.by_key()
    edits: list[dict[str, Any]] = []
    for pid, values in TYPED.items():
        for name, text in zip(("agreed", "rationale", "verdict"), values):
            if text:
                sheet, cell = cells[key(pid, name)]
                op = "string" if text.startswith("=") else "type"  # pasted as text: "=" starts no formula
                edits.append({"op": op, "sheet": sheet.title, "cell": cell.ref, "text": text})
    last = max(c.row for _, c in (cells[key(x.person_id, "agreed")] for x in listed))
    sort = [{"op": "unprotect"}, {"op": "sort", "sheet": "Decisions", "range": f"A8:O{last}", "by": 1}]
    calc.apply(src, edits, tmp / "filled.xlsx")
    for fmt in ("xlsx", "ods"):
        calc.apply(src, [*edits, *sort], tmp / f"sorted.{fmt}", fmt)
    return {"tmp": tmp, "ladder": ladder, "ladder_path": ladder_path, "results": results_path, "layout": wl,
            "listed": listed, "calibration": summary.calibration}


def test_the_committee_lists_the_top_band_and_near_it(filled: dict) -> None:
    assert [x.person_id for x in filled["listed"]] == ["leticia-moreno", "oliver-grant", "tomas-novak",
                                                       "sofia-lindqvist"]
    assert [x.manager_band for x in filled["listed"]] == ["Ready", "Ready", "Ready", "Close"]


@pytest.mark.parametrize("name", ["filled.xlsx", "sorted.xlsx", "sorted.ods"])
def test_a_committee_workbook_from_calc_applies_what_was_typed(filled: dict, team_path: Path, tmp_path: Path,
                                                               name: str) -> None:
    path, db = filled["tmp"] / name, tmp_path / "h.sqlite3"
    done = apply_calibration(filled["results"], filled["ladder_path"], team_path, path, db=db)
    assert done.state == "recorded"
    got = {d.person_id: (d.agreed_band, d.rationale, d.verdict) for d in done.applied.decisions}
    assert got == {pid: (band, why, next(v.value for v in Verdict if v.shown == shown))
                   for pid, (band, why, shown) in TYPED.items()}
    assert {d.person_id for d in done.changed} == {"leticia-moreno", "oliver-grant"}
    assert done.applied.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert committee.decisions(db, done.applied.quarter) == done.applied
    again = apply_calibration(filled["results"], filled["ladder_path"], team_path, path, db=db)
    assert again.state == "unchanged" and committee.decisions(db, done.applied.quarter) == done.applied


def test_every_formula_shows_what_the_layout_says(filled: dict) -> None:
    """The committee workbook's formula oracle: Calc's saved values equal expected_decisions' and
    expected_managers'."""
    ladder, wl = filled["ladder"], filled["layout"]
    want = expected_decisions(ladder, filled["listed"], TYPED) | expected_managers(ladder, filled["calibration"])
    book = openpyxl.load_workbook(filled["tmp"] / "filled.xlsx", data_only=True)
    found = {k: book[s.title][c.ref].value for k, (s, c) in wl.by_key().items() if k in want}
    assert_shown(want, found)
    assert {v for k, v in want.items() if k.endswith(".check")} == {"changed from Ready", "as the manager's", ""}
    assert {v for k, v in want.items() if k.endswith(".flag")} >= {"higher than the org", "lower than the org"}


def test_the_committee_workbook_prints_readably(filled: dict, tmp_path: Path) -> None:
    pdf = to_pdf(filled["tmp"] / "filled.xlsx", tmp_path / "pdf")
    text = [" ".join(p.split()) for p in pdf_pages(pdf)]
    assert "Workbook: Committee calibration" in text[0] or "Committee calibration" in text[0]
    decisions = next(p for p in text if "Promotion committee: 2026-Q4" in p)
    assert "=Thin evidence of executive" in decisions and "<b>Needs</b> a second quarter" in decisions
    assert any("Calibration across managers" in p for p in text)
    pngs = pdf_to_png(pdf, tmp_path / "committee", dpi=60)
    assert pngs and all(p.stat().st_size > 10_000 for p in pngs)
