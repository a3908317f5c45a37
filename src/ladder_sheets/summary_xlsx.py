"""``summary.xlsx``: one row per SE, team rollups and native charts (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from .layout import FILL, FONT
from .summary import Summary

_HEADER = (Font(name=FONT, bold=True, color="FFFFFF"), PatternFill("solid", fgColor=FILL["header"]))
_BODY = Font(name=FONT)

SE_COLUMNS = ("Name", "Team", "Manager", "Level", "Target", "Self readiness", "Manager readiness", "Gap",
              "Manager band", "Below benchmark", "Top pivot interest", "Track preference", "Completeness", "Status")


def summary_workbook(summary: Summary) -> bytes:
    wb = Workbook()
    ses = wb.active
    ses.title = "SEs"
    _se_sheet(ses, summary)
    teams = wb.create_sheet("Teams")
    _team_sheet(teams, summary)
    _charts(wb, ses, teams, summary)
    wb.properties.creator = "ladder-sheets"
    wb.properties.title = f"{summary.quarter} summary"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header(ws: Worksheet, names: tuple[str, ...] | list[str]) -> None:
    ws.append(list(names))
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"


def _text(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row, col, value)
    cell.data_type = "s"  # names and free text are data, never formulas


def _se_sheet(ws: Worksheet, s: Summary) -> None:
    _header(ws, SE_COLUMNS)
    for i, r in enumerate(s.rows, start=2):
        texts = [r.name, r.team, r.manager_name, r.level, r.target]
        for c, value in enumerate(texts, start=1):
            _text(ws, i, c, value)
        for c, number in ((6, r.self_pct), (7, r.manager_pct), (8, r.gap)):
            ws.cell(i, c, number).number_format = "0%" if c != 8 else "+0%;-0%;0%"
        for c, value in enumerate([r.manager_band, ", ".join(r.metrics_below), r.top_pivot, r.track, r.completeness,
                                   r.status], start=9):
            _text(ws, i, c, value)
        for cell in ws[i]:
            cell.font = _BODY
    ws.auto_filter.ref = f"A1:N{max(2, len(s.rows) + 1)}"
    for col, width in zip("ABCDEFGHIJKLMN", (22, 18, 18, 14, 18, 10, 10, 8, 12, 30, 20, 14, 24, 11)):
        ws.column_dimensions[col].width = width


def _team_sheet(ws: Worksheet, s: Summary) -> None:
    _header(ws, ["Team", "Manager", "SEs", "Complete", *s.band_names, "Avg manager readiness", "Avg gap"])
    for i, t in enumerate((*s.teams, s.org), start=2):
        _text(ws, i, 1, t.name)
        _text(ws, i, 2, t.manager)
        values = [t.people, t.complete, *(t.bands[b] for b in s.band_names), t.avg_manager_pct, t.avg_gap]
        for c, value in enumerate(values, start=3):
            ws.cell(i, c, value)
        ws.cell(i, len(values) + 1).number_format = "0%"
        ws.cell(i, len(values) + 2).number_format = "+0%;-0%;0%"
        for cell in ws[i]:
            cell.font = Font(name=FONT, bold=t is s.org)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 26


def _charts(wb: Workbook, ses: Worksheet, teams: Worksheet, s: Summary) -> None:
    charts = wb.create_sheet("Charts")
    bands = BarChart()
    bands.type, bands.grouping, bands.overlap = "col", "stacked", 100
    bands.title, bands.y_axis.title = "Band distribution per team (manager scores)", "SEs"
    first_band, last_band = 5, 4 + len(s.band_names)
    bands.add_data(Reference(teams, min_col=first_band, max_col=last_band, min_row=1, max_row=1 + len(s.teams)),
                   titles_from_data=True)
    bands.set_categories(Reference(teams, min_col=1, min_row=2, max_row=1 + len(s.teams)))
    bands.width, bands.height = 18, 9
    charts.add_chart(bands, "A1")
    readiness = BarChart()
    readiness.type = "bar"
    readiness.title, readiness.x_axis.title = "Manager readiness by SE", None
    readiness.add_data(Reference(ses, min_col=7, min_row=1, max_row=1 + len(s.rows)), titles_from_data=True)
    readiness.set_categories(Reference(ses, min_col=1, min_row=2, max_row=1 + len(s.rows)))
    readiness.y_axis.number_format = "0%"
    readiness.y_axis.scaling.min, readiness.y_axis.scaling.max = 0, 1
    readiness.width, readiness.height = 18, max(7.5, 0.6 * len(s.rows))
    charts.add_chart(readiness, "A20")
