"""What people see: a filled workbook, typed into LibreOffice as a person would, exported to PDF.

Evidence of 5,000 characters (the most a cell accepts), realistic answers everywhere else,
and last quarter carried forward. Every row must be as tall as its text needs (nothing
clipped on screen or in print) and no row taller than a printed page (a row never breaks
across pages, so a taller one is cut off). The compensatory example is typed too: 0 on the
Economic Buyer and 3 elsewhere shows Close with its reason.
"""

from __future__ import annotations

import json
import socket
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.cells import SCORECARD, Role, WorkbookLayout
from ladder_sheets.core.model import CellValue, Ladder, Roster
from ladder_sheets.xlsx.writer import write_workbook

pytestmark = pytest.mark.libreoffice
UNO_PYTHON = "/usr/bin/python3"  # Debian's python3-uno; the project's venv cannot import uno
EVIDENCE = ("Ran the Acme POC end to end with their platform team: scoped the success criteria with the CTO, "
            "built the integration for their build pipeline and fixed two blocking gaps with small patches. ")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _typed(ladder: Ladder, wl: WorkbookLayout) -> dict[str, CellValue]:
    """What the SE and the manager type: every input, one evidence at the 5,000-character limit."""
    values: dict[str, CellValue] = {}
    rubric = ladder.rubric_for(wl.person.target_level)
    for i, c in enumerate(rubric.criteria):
        score = 0 if c.text == "Identifies and engages the Economic Buyer" else ladder.scale.max
        values |= {f"criteria.{c.id}.self": score, f"criteria.{c.id}.manager": score,
                   f"criteria.{c.id}.evidence": (EVIDENCE * 40)[:5000] if i == 0 else (EVIDENCE * 2)[: 150 + 40 * i],
                   f"criteria.{c.id}.comment": "Agreed; let's bring this to the promotion committee with the Acme "
                                               "numbers and the CTO's feedback."}
    for _, cell in wl.cells(Role.INPUT):
        if cell.key in values or cell.validation is None:
            continue
        rule = cell.validation
        if rule.options:
            values[cell.key] = rule.options[-1] if cell.key.endswith(("signal", "track_preference")) else rule.options[1]
        elif rule.check == "text":
            values[cell.key] = ("the new competitive battlecard for Competitor X, which the whole North American team "
                                "used to win three major deals last month")
        else:
            values[cell.key] = 2 if rule.check == "number" else 115
    return values


def test_a_filled_workbook_prints_with_nothing_clipped(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    person = next(p for p in roster.people if p.target_level == "senior")
    carry: dict[str, CellValue] = {}
    for c in ladder.rubric_for("senior").criteria:
        carry |= {f"carry.criteria.{c.id}.self": 2, f"carry.criteria.{c.id}.manager": 1,
                  f"carry.criteria.{c.id}.evidence": (EVIDENCE * 40)[:5000] if c.id == "SR-02" else EVIDENCE}
    wl = layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7), carry)
    src = tmp_path / "filled.xlsx"
    write_workbook(wl, src)
    cells = wl.by_key()
    typed = [[cells[k][0].title, cells[k][1].ref, v] for k, v in _typed(ladder, wl).items()]
    # A second move, without history: a Senior SE asking for SE Manager (the management talk track).
    other = next(p for p in roster.people if p.target_level == "manager")
    other_wl = layout.build(ladder, roster, other, "2026-Q4", date(2026, 12, 7))
    other_src = tmp_path / "manager.xlsx"
    write_workbook(other_wl, other_src)
    other_cells = other_wl.by_key()
    other_typed = [[other_cells[k][0].title, other_cells[k][1].ref, v] for k, v in _typed(ladder, other_wl).items()]
    plan = {"port": _free_port(), "profile": str(tmp_path / "profile"),
            "files": [{"xlsx": str(src), "pdf": str(tmp_path / "filled.pdf"), "saved": str(tmp_path / "saved.xlsx"),
                       "cells": typed},
                      {"xlsx": str(other_src), "pdf": str(tmp_path / "manager.pdf"), "cells": other_typed}]}
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    script = Path(__file__).parent / "support" / "uno_fill.py"
    proc = subprocess.run([UNO_PYTHON, str(script), str(tmp_path / "plan.json")], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    reports = json.loads(proc.stdout.strip().splitlines()[-1])
    assert reports == {str(src): {"clipped": [], "too_tall": []}, str(other_src): {"clipped": [], "too_tall": []}}
    assert (tmp_path / "filled.pdf").stat().st_size > 10_000
    shown = openpyxl.load_workbook(tmp_path / "saved.xlsx", data_only=True)[SCORECARD]
    _, band = cells["result.manager_band"]
    _, hold = cells["result.manager_hold"]
    assert shown[band.ref].value == "Close"
    assert shown[hold.ref].value == ("Ready on points, held at Close: Identifies and engages the Economic Buyer "
                                     "scored 0 (must be at least 2)")
