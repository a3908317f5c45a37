"""The native charts of summary.xlsx, sized to stay readable: per SE only for small orgs, per team otherwise."""

from __future__ import annotations

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook

from ..core.styles import FILL
from ..core.summary import Summary
from .summary_cells import cells

PER_SE_CHARTS_UP_TO = 40  # above this many SEs, one bar (or line) per SE is unreadable: charts go per team
CHART_ROWS = 30  # rows (at the default 0.53 cm) a chart may take before the next one starts on a new page
_MAX_HEIGHT = 18.0  # cm: the printable height of a landscape A4 page

# Bars in the emails' band colours (highest band first), grey for Incomplete.
_BAND_BARS = ("70AD47", "FFC000", "E06666")
_INCOMPLETE_BAR = "A6A6A6"
_RUBRIC_BARS = (FILL["header"], "5B9BD5", "A5A5A5", "ED7D31", "70AD47")
_NO_TICKS = {"major_tick_mark": "none", "minor_tick_mark": "none"}


def band_chart(wb: Workbook, teams: str, s: Summary) -> Chart:
    """Stacked columns: how many SEs of each team sit in each band (teams only: the org line would dwarf them)."""
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    last = len(s.teams)
    for i in range(len(s.band_names)):
        colour = _BAND_BARS[i] if i < min(3, len(s.band_names) - 1) else _INCOMPLETE_BAR
        chart.add_series({"name": cells(teams, 0, 4 + i), "categories": cells(teams, 1, 0, last, 0),
                          "values": cells(teams, 1, 4 + i, last, 4 + i), "fill": {"color": f"#{colour}"}})
    chart.set_title({"name": "Band distribution per team (manager scores)"})
    chart.set_x_axis(_NO_TICKS)
    chart.set_y_axis({"name": "SEs", "num_format": "0", **_NO_TICKS,
                      "major_unit": 1 if max((t.people for t in s.teams), default=0) <= 10 else None})
    _size(chart, min(max(18, 1.2 * len(s.teams)), 60.0), 9)  # a column stays wide enough to read
    return chart


def readiness_chart(wb: Workbook, ses: str, s: Summary) -> Chart:
    """Horizontal bars, first SE on top, 0-100%."""
    return _bars(wb, ses, 6, len(s.rows), "Manager readiness by SE")


def team_readiness_chart(wb: Workbook, rubrics: str, s: Summary) -> Chart:
    """Average manager readiness per team, one bar per rubric (never averaged across): the large org's view."""
    chart = _bars(wb, rubrics, 2, len(s.teams), "Average manager readiness by team and rubric",
                  [2 + 2 * i for i in range(len(s.org.rubrics))])
    if len(s.org.rubrics) > 1:
        chart.set_legend({"position": "right"})
    return chart


def _bars(wb: Workbook, sheet: str, col: int, last: int, title: str, cols: list[int] | None = None) -> Chart:
    """Bars of ``cols`` (else ``col`` alone) of rows 1..``last``, named by column A; no legend unless asked."""
    chart = wb.add_chart({"type": "bar"})
    for i, c in enumerate(cols or [col]):
        chart.add_series({"name": cells(sheet, 0, c), "categories": cells(sheet, 1, 0, last, 0),
                          "values": cells(sheet, 1, c, last, c),
                          "fill": {"color": f"#{_RUBRIC_BARS[i % len(_RUBRIC_BARS)]}"}})
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    # In a bar chart the y axis is the categories: listed bottom-up unless reversed (rows read top-down), and
    # crossed at their end so the percent scale stays at the bottom.
    chart.set_y_axis({"reverse": True, "crossing": "max", **_NO_TICKS})
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "major_unit": 0.2, **_NO_TICKS})
    _size(chart, 22, min(max(7.5, 0.45 * last), _MAX_HEIGHT))  # fits one page
    return chart


def trend_chart(wb: Workbook, sheet: str, first: int, last: int, quarters: int, title: str) -> Chart:
    """One line per row (an SE or a team) from ``first`` to ``last``, read across the quarter columns."""
    chart = wb.add_chart({"type": "line"})
    for row in range(first, last + 1):
        chart.add_series({"name": cells(sheet, row, 0), "categories": cells(sheet, 0, 1, 0, quarters),
                          "values": cells(sheet, row, 1, row, quarters)})
    chart.set_title({"name": title})
    chart.set_x_axis(_NO_TICKS)
    chart.set_y_axis({"name": "Readiness", "num_format": "0%", "min": 0, "max": 1, **_NO_TICKS})
    _size(chart, 20, 10)
    return chart


def _size(chart: Chart, width_cm: float, height_cm: float) -> None:
    """A chart's size in cm, in XlsxWriter's pixels (96 per inch)."""
    chart.set_size({"width": round(width_cm / 2.54 * 96), "height": round(height_cm / 2.54 * 96)})
