"""The native charts of summary.xlsx, sized to stay readable: per SE only for small orgs, per team otherwise."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.legend import Legend
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.worksheet import Worksheet

from ..core.styles import FILL
from ..core.summary import Summary

PER_SE_CHARTS_UP_TO = 40  # above this many SEs, one bar (or line) per SE is unreadable: charts go per team
CHART_ROWS = 30  # rows (at the default 0.53 cm) a chart may take before the next one starts on a new page
_MAX_HEIGHT = 18.0  # cm: the printable height of a landscape A4 page

# Bars in the emails' band colours (highest band first), grey for Incomplete.
_BAND_BARS = ("70AD47", "FFC000", "E06666")
_INCOMPLETE_BAR = "A6A6A6"
_RUBRIC_BARS = (FILL["header"], "5B9BD5", "A5A5A5", "ED7D31", "70AD47")


def band_chart(teams: Worksheet, s: Summary) -> BarChart:
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
    chart.width, chart.height = min(max(18, 1.2 * len(s.teams)), 60.0), 9  # cm: a column stays wide enough to read
    _show_axes(chart)
    return chart


def readiness_chart(ses: Worksheet, s: Summary) -> BarChart:
    """Horizontal bars, first SE on top, 0-100%."""
    return _bars(ses, 7, 1 + len(s.rows), "Manager readiness by SE")


def team_readiness_chart(rubrics: Worksheet, s: Summary) -> BarChart:
    """Average manager readiness per team, one bar per rubric (never averaged across): the large org's view."""
    chart = _bars(rubrics, 3, 1 + len(s.teams), "Average manager readiness by team and rubric")
    for i in range(1, len(s.org.rubrics)):
        chart.add_data(Reference(rubrics, min_col=3 + 2 * i, min_row=1, max_row=1 + len(s.teams)),
                       titles_from_data=True)
    for i, series in enumerate(chart.series):
        series.graphicalProperties.solidFill = _RUBRIC_BARS[i % len(_RUBRIC_BARS)]
    chart.legend = Legend() if len(chart.series) > 1 else None
    return chart


def _bars(ws: Worksheet, col: int, last_row: int, title: str) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title, chart.legend = title, None
    chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last_row))
    chart.series[0].graphicalProperties.solidFill = FILL["header"]
    chart.x_axis.scaling.orientation = "maxMin"  # bar charts list categories bottom-up; rows read top-down
    chart.y_axis.crosses = "max"  # ...and keep the percent scale at the bottom (the last category)
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 1, 0.2
    chart.width, chart.height = 22, min(max(7.5, 0.45 * (last_row - 1)), _MAX_HEIGHT)  # cm; fits one page
    _show_axes(chart)
    return chart


def trend_chart(ws: Worksheet, first_row: int, last_row: int, quarters: int, title: str) -> LineChart:
    """One line per row (an SE or a team), read across the quarter columns."""
    chart = LineChart()
    chart.title, chart.y_axis.title = title, "Readiness"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    for i in range(first_row, last_row + 1):
        series = Series(Reference(ws, min_col=2, max_col=quarters + 1, min_row=i), title_from_data=False)
        series.tx = SeriesLabel(strRef=StrRef(f"'{ws.title}'!$A${i}"))
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=2, max_col=quarters + 1, min_row=1))
    chart.width, chart.height = 20, 10
    _show_axes(chart)
    return chart


def _show_axes(chart: BarChart | LineChart) -> None:
    # openpyxl 3.1 leaves out <c:delete val="0"/>; Excel then hides both axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
