"""``summary.xlsx``: one row per SE, team rollups and native charts (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..core.styles import FILL, FONT
from ..core.summary import Summary
from ..core.trends import Trends

_HEADER = (Font(name=FONT, bold=True, color="FFFFFF"), PatternFill("solid", fgColor=FILL["header"]))
_BODY = Font(name=FONT)

SE_COLUMNS = ("Name", "Team", "Manager", "Level", "Target", "Self readiness", "Manager readiness", "Gap",
              "Manager band", "Below benchmark", "Top pivot interest", "Track preference", "Completeness", "Status")


def summary_workbook(summary: Summary, trends: Trends | None = None) -> bytes:
    wb = Workbook()
    ses = wb.active
    ses.title = "SEs"
    _se_sheet(ses, summary)
    teams = wb.create_sheet("Teams")
    _team_sheet(teams, summary)
    _charts(wb, ses, teams, summary)
    if trends is not None and trends.quarters:
        _trend_sheet(wb, summary, trends)
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
        for c in range(1, len(SE_COLUMNS) + 1):  # not ws[i]: it rescans the sheet's width, O(rows^2)
            ws.cell(i, c).font = _BODY
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
        for c in range(1, len(values) + 3):
            ws.cell(i, c).font = Font(name=FONT, bold=t is s.org)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 26


# Bars in the emails' band colours (highest band first), grey for Incomplete.
_BAND_BARS = ("70AD47", "FFC000", "E06666")
_INCOMPLETE_BAR = "A6A6A6"


def _trend_sheet(wb: Workbook, s: Summary, t: Trends) -> None:
    """Manager readiness per SE per quarter, and a line per SE across the quarters."""
    ws = wb.create_sheet("Trends")
    _header(ws, ["SE", *t.quarters, "Quarters in top band"])
    for i, r in enumerate(s.rows, start=2):
        _text(ws, i, 1, r.name)
        for c, value in enumerate(t.series(r.id), start=2):
            ws.cell(i, c, value).number_format = "0%"
        ws.cell(i, len(t.quarters) + 2, t.streaks.get(r.id, 0))
    chart = LineChart()
    chart.title, chart.y_axis.title = "Manager readiness over quarters", "Readiness"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    for i in range(2, len(s.rows) + 2):  # one series per SE, read across its row
        series = Series(Reference(ws, min_col=2, max_col=len(t.quarters) + 1, min_row=i), title_from_data=False)
        series.tx = SeriesLabel(strRef=StrRef(f"'Trends'!$A${i}"))
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=2, max_col=len(t.quarters) + 1, min_row=1))
    chart.width, chart.height = 20, 10
    ws.add_chart(chart, f"A{len(s.rows) + 4}")


def _charts(wb: Workbook, ses: Worksheet, teams: Worksheet, s: Summary) -> None:
    charts = wb.create_sheet("Charts")
    charts.add_chart(_band_chart(teams, s), "A1")
    charts.add_chart(_readiness_chart(ses, s), "A20")


def _band_chart(teams: Worksheet, s: Summary) -> BarChart:
    """Stacked columns: how many SEs of each team sit in each band (teams only: the org line would dwarf them)."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title, chart.y_axis.title = "Band distribution per team (manager scores)", "SEs"
    first_band, last_band = 5, 4 + len(s.band_names)
    chart.add_data(Reference(teams, min_col=first_band, max_col=last_band, min_row=1, max_row=1 + len(s.teams)),
                   titles_from_data=True)
    chart.set_categories(Reference(teams, min_col=1, min_row=2, max_row=1 + len(s.teams)))
    for i, series in enumerate(chart.series):
        series.graphicalProperties.solidFill = _BAND_BARS[i] if i < min(3, len(s.band_names) - 1) else _INCOMPLETE_BAR
    chart.y_axis.majorUnit = 1 if max((t.people for t in s.teams), default=0) <= 10 else None
    chart.y_axis.number_format = "0"
    chart.width, chart.height = 18, 9
    _show_axes(chart)
    return chart


def _readiness_chart(ses: Worksheet, s: Summary) -> BarChart:
    """Horizontal bars, first SE on top, 0-100%."""
    chart = BarChart()
    chart.type = "bar"
    chart.title, chart.legend = "Manager readiness by SE", None
    chart.add_data(Reference(ses, min_col=7, min_row=1, max_row=1 + len(s.rows)), titles_from_data=True)
    chart.set_categories(Reference(ses, min_col=1, min_row=2, max_row=1 + len(s.rows)))
    chart.series[0].graphicalProperties.solidFill = FILL["header"]
    chart.x_axis.scaling.orientation = "maxMin"  # bar charts list categories bottom-up; rows read top-down
    chart.y_axis.crosses = "max"  # ...and keep the percent scale at the bottom (the last category)
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 1, 0.2
    chart.width, chart.height = 18, min(max(7.5, 0.6 * len(s.rows)), 120.0)  # cm; Excel caps drawings
    _show_axes(chart)
    return chart


def _show_axes(chart: BarChart) -> None:
    # openpyxl 3.1 leaves out <c:delete val="0"/>; Excel then hides both axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
