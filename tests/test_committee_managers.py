"""The committee workbook's Managers sheets (core/committee_managers.py): each manager beside the org."""

from __future__ import annotations

from collections import Counter

from ladder_sheets.core.committee_managers import managers_sheets
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.summary import summarize
from tests.support.results import inputs_for, results_for


def test_each_line_shows_the_managers_own_count_and_the_orgs_apart(ladder: Ladder, roster: Roster) -> None:
    """"n" is the manager's SEs on the rubric, "Org n" the rest of the org's: the flag's "too few to tell"
    reads both, so a manager with fewer SEs scored than the org must show two different counts."""
    by_manager = Counter(p.manager for p in roster.people)
    fewer = min(by_manager, key=lambda m: (by_manager[m], m))
    left_out = next(p.id for p in roster.people if p.manager == fewer)  # one of that manager's SEs not scored
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people if p.id != left_out}
    calibration = summarize(results_for(ladder, roster, inputs), ladder).calibration
    sheets = managers_sheets(ladder, "2026-Q4", calibration)
    lines = [(v.manager_name, v.overall) for v in calibration.views]
    lines += [(v.manager_name, x) for v in calibration.views for _, x in v.criteria]
    assert any(x.n != x.org_n for _, x in lines)  # else this test could not tell the two apart
    for sheet in sheets:
        grid = {c.ref: c.value for c in sheet.cells}
        heads = {c.value: c.column for c in sheet.cells if c.row == 4}
        shown = [(grid[f"A{r}"], grid[f"{heads['n']}{r}"], grid[f"{heads['Org n']}{r}"])
                 for r in range(5, 5 + len(lines)) if f"A{r}" in grid]
        want = [(name, x.n, x.org_n) for name, x in (lines[:len(calibration.views)] if sheet is sheets[0]
                                                      else lines[len(calibration.views):])]
        assert shown == want
