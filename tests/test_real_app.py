"""What people do in their spreadsheet app, done in LibreOffice through UNO: the sheet and collect agree.

One round trip: a workbook whose manager scored a must-have under its minimum (the band is
held below the top on points) is opened, dates, times and fractions are typed into its
free-text cells (evidence, comments, notes, read-out answers), a few of those cells are set
back to General first (an older workbook, or formatting cleared), the criteria and the
read-out answers are sorted, and it is saved as .xlsx, .ods and .xls. For each:

- what was typed into a text cell comes back as typed; what a General cell turned into a
  date or a fraction comes back as the app showed it (12/01/26, 3/4), never the serial;
- the sheet's own results, as Calc shows them after recalculating (the band held by the
  must-have that moved with the sort, readiness, the talk track), are collect's.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Check, Role
from ladder_sheets.core.landmarks import letters
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.core.readplan import column_index
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate, workbook_path
from tests.conftest import DUE, QUARTER
from tests.support.calc import Calc
from tests.support.fill import random_inputs, write_values

pytestmark = pytest.mark.libreoffice

NAMES = ("SelfReadiness", "ManagerReadiness", "SelfBand", "ManagerBand", "CalibrationGap", "ReadoutText")
FORMATS = ("xlsx", "ods", "xls")
# Typed into a text cell: kept exactly.
AS_TYPED = ["12/1/2026", "3/4", "0 3/4", "14:30", "=great results", "1e3", "2026-12-01", "45%"]
# Typed into a cell set back to General: what Calc (en-US) shows for it.
AS_SHOWN = [("12/1/2026", "12/01/26"), ("0 3/4", "3/4"), ("14:30", "02:30:00 PM")]


@dataclass
class Edited:
    person: Person
    files: dict[str, Path]
    calc: dict[str, Any]
    kept: dict[str, str]  # layout key -> the text collect must read


def _person(ladder: Ladder, roster: Roster) -> Person:
    """Someone whose rubric has a must-have and a read-out with several text answers."""
    return next(p for p in roster.people if ladder.must_haves(ladder.rubric_for(p.target_level))
                and sum(f.kind.value == "text" for f in ladder.readout_for(p.level, p.target_level).fields) >= 2)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster, calc: Calc) -> Edited:
    tmp = tmp_path_factory.mktemp("real-app")
    person = _person(ladder, roster)
    generate(ladder, roster, QUARTER, tmp / "gen", due=DUE, jobs=1)
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    rubric = ladder.rubric_for(person.target_level)
    _, values = random_inputs(ladder, rubric, random.Random(20), level=person.level)
    top, must = ladder.scale.max, ladder.must_haves(rubric)[0]
    for c in rubric.criteria:  # Ready on points, held by the must-have the manager scored under its minimum
        values[f"criteria.{c.id}.self"] = values[f"criteria.{c.id}.manager"] = top
    values[f"criteria.{must.id}.manager"] = must.floor - 1
    filled = write_values(workbook_path(tmp / "gen" / QUARTER, person), wl, values, tmp / "filled.xlsx")

    keys = wl.by_key()
    texts = _interleaved([c.key for _, c in wl.cells(Role.INPUT)
                          if c.validation is not None and c.validation.check is Check.TEXT])
    edits: list[dict[str, Any]] = [{"op": "unprotect"}]
    kept: dict[str, str] = {}
    for key, text in zip(texts, AS_TYPED):
        edits.append({"op": "type", "sheet": keys[key][0].title, "cell": keys[key][1].ref, "text": text})
        kept[key] = text
    for key, (text, shown) in zip(texts[len(AS_TYPED):], AS_SHOWN):
        sheet, cell = keys[key]
        edits += [{"op": "general", "sheet": sheet.title, "cell": cell.ref},
                  {"op": "type", "sheet": sheet.title, "cell": cell.ref, "text": text}]
        kept[key] = shown
    edits += [_sort(wl, "criteria", f"criteria.{must.id}.manager", ascending=False),
              _sort(wl, "readout", f"readout.{ladder.readout_for(person.level, person.target_level).fields[0].id}")]
    out = {fmt: tmp / f"edited.{fmt}" for fmt in FORMATS}
    names = calc.apply(filled, edits, out["xlsx"], "xlsx", NAMES, more=[(out[f], f) for f in FORMATS[1:]])
    return Edited(person, out, names, kept)


def _interleaved(keys: list[str]) -> list[str]:
    """The free-text inputs taken a kind at a time (evidence, comment, notes, read-out answer, evidence...),
    so every kind gets some of what is typed."""
    kinds: dict[str, list[str]] = {}
    for key in keys:
        kinds.setdefault(key.split(".")[0] + key.rsplit(".", 1)[-1] * key.startswith("criteria"), []).append(key)
    out = []
    while any(kinds.values()):
        out += [kind.pop(0) for kind in kinds.values() if kind]
    return out


def _sort(wl: layout.WorkbookLayout, kind: str, by: str, ascending: bool = True) -> dict[str, Any]:
    """Sort the rows of one kind (criteria, read-out answers) by a column, whole rows, as Data > Sort does."""
    keys = wl.by_key()
    rows = sorted(c.row for _, c in wl.cells() if c.key.startswith(f"rowid.{kind}."))
    sheet, cell = keys[by]
    last = max(column_index(c.column) for c in sheet.cells)
    return {"op": "sort", "sheet": sheet.title, "range": f"A{rows[0]}:{letters(last)}{rows[-1]}",
            "by": column_index(cell.column), "ascending": ascending}


@pytest.mark.parametrize("fmt", FORMATS)
def test_typed_text_comes_back_as_typed_and_the_sheet_agrees_with_collect(edited: Edited, ladder: Ladder,
                                                                         roster: Roster, fmt: str) -> None:
    results = collect([edited.files[fmt]], ladder, roster, QUARTER)
    mine = next(p for p in results.people if p.person.id == edited.person.id)
    assert mine.inputs is not None and mine.scores is not None
    assert {k.split(".")[0] for k in edited.kept} == {"criteria", "metrics", "readout"}
    read = _texts(mine.inputs)
    for key, want in edited.kept.items():
        assert read[key] == want, (fmt, key, read[key])
    s = mine.scores
    assert s.manager_band != ladder.bands[0].name and s.manager_hold  # held below the top by the must-have
    ours = {"SelfReadiness": s.self_pct, "ManagerReadiness": s.manager_pct, "SelfBand": s.self_band,
            "ManagerBand": s.manager_band, "CalibrationGap": s.calibration_gap, "ReadoutText": s.readout_text}
    for name, value in ours.items():
        theirs = edited.calc[name]
        if isinstance(value, float):
            assert math.isclose(theirs, value, abs_tol=1e-9), (name, theirs, value)
        else:
            assert theirs == ("" if value is None else value), (name, theirs, value)
    assert [p.kind for p in mine.problems if p.kind not in ("sorted",)] == [], [str(p) for p in mine.problems]


def _texts(inputs: Any) -> dict[str, str]:
    """Every free-text input collect read, by layout key."""
    out = {}
    for cid, c in inputs.criteria.items():
        out[f"criteria.{cid}.evidence"], out[f"criteria.{cid}.comment"] = c.evidence, c.comment
    for mid, m in inputs.metrics.items():
        out[f"metrics.{mid}.notes"] = m.notes
    for fid, v in inputs.readout.items():
        out[f"readout.{fid}"] = v
    return out
