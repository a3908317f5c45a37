"""The native charts of summary.xlsx, sized to stay readable: per SE only for small orgs, per team otherwise."""

from __future__ import annotations

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook

from ..core.styles import FILL
from ..core.summary import Summary
from .summary_cells import cells

PER_SE_CHARTS_UP_TO = 40  # above this many SEs, one bar (or line) per SE is unreadable: charts go per team
CHART_ROWS = 30  # rows (at the default 0.53 cm) a chart may take before the next one starts on a new page
_MAX_HEIGHT = 14.8  # cm: a chart this tall, a row below a page's top, fits the CHART_ROWS a printed page holds
_NAMES_SHOWN_UP_TO = 40  # bars whose every name fits down a page-high chart, in 8 pt
_COLUMNS_UP_TO = 15  # columns of 1.2 cm, each wide enough for its team's name, across the 18 cm a chart takes

# Bars in the emails' band colours (highest band first), grey for Incomplete.
_BAND_BARS = ("70AD47", "FFC000", "E06666")
_INCOMPLETE_BAR = "A6A6A6"
_RUBRIC_BARS = (FILL["header"], "5B9BD5", "A5A5A5", "ED7D31", "70AD47")
_NO_TICKS = {"major_tick_mark": "none", "minor_tick_mark": "none"}


def band_chart(wb: Workbook, teams: str, s: Summary) -> Chart:
    """Stacked columns: how many SEs of each team sit in each band (teams only: the org line would dwarf them).

    More teams than columns a page holds side by side (their names would run into each other) go
    as stacked bars instead, one row per team, named left of it.
    """
    across = len(s.teams) > _COLUMNS_UP_TO
    chart = wb.add_chart({"type": "bar" if across else "column", "subtype": "stacked"})
    last = len(s.teams)
    for i in range(len(s.band_names)):
        colour = _BAND_BARS[i] if i < min(3, len(s.band_names) - 1) else _INCOMPLETE_BAR
        chart.add_series({"name": cells(teams, 0, 4 + i), "categories": cells(teams, 1, 0, last, 0),
                          "values": cells(teams, 1, 4 + i, last, 4 + i), "fill": {"color": f"#{colour}"}})
    chart.set_title({"name": "Band distribution per team (manager scores)"})
    counts = {"num_format": "0", **_NO_TICKS,
              "major_unit": 1 if max((t.people for t in s.teams), default=0) <= 10 else None}
    if across:  # the scale unnamed: its title would take the height the team names need
        _names_down(chart, last)
        chart.set_x_axis(counts)
    else:
        chart.set_x_axis(_NO_TICKS)
        chart.set_y_axis({"name": "SEs", **counts})
    _size(chart, 22 if across else 18, _band_height(s))
    return chart


def _band_height(s: Summary) -> float:
    """The band chart's height in cm: as bars, 0.5 cm a team up to a page (past that a chart app names every
    other team: the Teams sheet has them all)."""
    return min(max(9.0, 3 + 0.5 * len(s.teams)), _MAX_HEIGHT) if len(s.teams) > _COLUMNS_UP_TO else 9.0


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
    _names_down(chart, last)
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "major_unit": 0.2, **_NO_TICKS})
    _size(chart, 22, min(max(7.5, 0.45 * last), _MAX_HEIGHT))  # fits one page
    return chart


def _names_down(chart: Chart, names: int) -> None:
    """A bar chart's names (its y axis) listed top-down, as the rows read, with the scale crossing at the
    bottom. Up to 40 every name is shown, past 25 set smaller to fit: left to itself a chart app leaves out
    every other one once they run short of room (a bar without its SE's name). Past 40 even small names
    would overlap, so the app's choice stands."""
    every = {"interval_unit": 1} if names <= _NAMES_SHOWN_UP_TO else {}
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 10 if names <= 25 else 8},
                      **every, **_NO_TICKS})


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
