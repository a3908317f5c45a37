"""summary.xlsx: the rows and rollups of the summary, with native charts."""

from __future__ import annotations

import io

import openpyxl

from ladder_sheets.model import Ladder, Roster
from ladder_sheets.summary import summarize
from ladder_sheets.summary_xlsx import summary_workbook
from tests.support.results import inputs_for, results_for


def test_sheets_values_and_charts(ladder: Ladder, roster: Roster) -> None:
    inputs = {p.id: inputs_for(ladder, p.target_level, i % 4, (i + 1) % 4) for i, p in enumerate(roster.people)}
    inputs["oliver-grant"] = None
    summary = summarize(results_for(ladder, roster, inputs), ladder)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary)))
    assert wb.sheetnames == ["SEs", "Teams", "Charts"]
    ses = wb["SEs"]
    for i, row in enumerate(summary.rows, start=2):
        assert ses.cell(i, 1).value == row.name
        assert ses.cell(i, 7).value == row.manager_pct
        assert ses.cell(i, 9).value == row.manager_band
    teams = wb["Teams"]
    assert [teams.cell(i, 1).value for i in range(2, 2 + len(summary.teams) + 1)] == [*(t.name for t in summary.teams),
                                                                                     "All teams"]
    assert teams.cell(2, 3).value == summary.teams[0].people
    charts = wb["Charts"]._charts
    assert len(charts) == 2
    assert ses.auto_filter.ref.startswith("A1:")
