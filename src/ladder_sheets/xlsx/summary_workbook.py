"""``summary.xlsx``: an overview, one row per SE, team rollups, a skill-group heatmap and native charts (openpyxl).

Ready to print (landscape, fit to one page wide, header rows repeated on every page) and
readable at any size: per-SE charts only for small orgs, team-level charts otherwise.
Gaps are in percentage points everywhere, as in the emails.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from copy import copy

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..core.headline import headline
from ..core.styles import FILL, FONT
from ..core.summary import Summary
from ..core.trends import Trends
from .summary_charts import CHART_ROWS, PER_SE_CHARTS_UP_TO, band_chart, readiness_chart, team_readiness_chart, trend_chart

_HEADER = (Font(name=FONT, bold=True, color="FFFFFF"), PatternFill("solid", fgColor=FILL["header"]))
_BOLD = Font(name=FONT, bold=True)
_TITLE = Font(name=FONT, bold=True, size=16, color=FILL["header"])
PCT = "0%"
POINTS = '+0" pts";-0" pts";0" pts"'  # a gap: manager minus self, in percentage points

# Band fills as in the emails (highest band first), grey for Incomplete.
BAND_FILLS = (("C6EFCE", "006100"), ("FFEB9C", "7F6000"), ("FFC7CE", "9C0006"))
INCOMPLETE_FILL = ("EDEDED", "404040")

SE_COLUMNS = ("Name", "Team", "Manager", "Level", "Target", "Self readiness", "Manager readiness", "Gap (pts)",
              "Manager band", "Band held because", "Below benchmark", "Top pivot interest", "Track preference",
              "Completeness", "Status")
_SE_WIDTHS = (20, 14, 16, 11, 13, 9, 9, 9, 11, 22, 20, 16, 12, 21, 10)  # ~200 characters: one landscape page wide


def summary_workbook(summary: Summary, trends: Trends | None = None) -> bytes:
    wb = Workbook()
    overview = wb.active
    overview.title = "Overview"
    _overview(overview, summary, trends)
    ses = wb.create_sheet("SEs")
    _se_sheet(ses, summary)
    teams = wb.create_sheet("Teams")
    _team_sheet(teams, summary)
    if summary.skill_groups:
        _heatmap(wb.create_sheet("Skill groups"), summary)
    _charts(wb, ses, teams, summary)
    if trends is not None and len(trends.quarters) >= 2:  # one quarter is a point, not a trend
        _trend_sheet(wb, summary, trends)
    for ws in wb.worksheets:
        _print_setup(ws)
    wb.properties.creator = "ladder-sheets"
    wb.properties.title = f"{summary.quarter} summary"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def band_fill(summary: Summary, band: str) -> tuple[str, str]:
    """(background, text) colours of a band, as the emails show it."""
    i = summary.band_names.index(band) if band in summary.band_names else len(summary.band_names)
    return BAND_FILLS[i] if i < min(len(BAND_FILLS), len(summary.band_names) - 1) else INCOMPLETE_FILL


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, as many pages long as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A · page &P of &N"
    if ws.title != "Overview" and ws.max_row > 1:
        ws.print_title_rows = "1:1"  # the header row on every printed page


def _header(ws: Worksheet, names: tuple[str, ...] | list[str], freeze: str = "B2") -> None:
    ws.append(list(names))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = freeze


def _text(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row, col, value)
    cell.data_type = "s"  # names and free text are data, never formulas


def _pts(value: float | None) -> float | None:
    return None if value is None else value * 100


def _overview(ws: Worksheet, s: Summary, t: Trends | None) -> None:
    """The headline figures, as the leadership email opens with them."""
    h = headline(s, t)
    ws["A1"] = f"{s.quarter} presales career summary"
    ws["A1"].font = _TITLE
    _text(ws, 2, 1, s.ladder_name)
    rows: list[tuple[str, object, str]] = [
        ("SEs", h.people, "0"), ("Workbooks returned", h.returned, "0"), ("Complete", h.complete, "0"),
        (f"{s.top_band} now (manager scores)", h.ready, "0"),
        (f"{s.top_band} 2+ quarters running", h.ready_running if t is not None else "no history", "0"),
        ("Sheets outstanding (missing, incomplete, invalid)", h.outstanding, "0"),
        ("Calibration outliers", h.outliers, "0"), ("Average manager readiness", h.avg, PCT),
        (f"Change since {h.before_quarter}" if h.before_quarter else "Change since last quarter",
         _pts(h.change) if h.change is not None else "no earlier quarter", POINTS),
        ("Average gap (manager minus self)", _pts(s.org.avg_gap), POINTS),
    ]
    for name in s.band_names:
        rows.append((f"Band: {name}", s.org.bands.get(name, 0), "0"))
    for i, (label, value, fmt) in enumerate(rows, start=4):
        _text(ws, i, 1, label)
        cell = ws.cell(i, 2, value)
        cell.number_format, cell.font = fmt, _BOLD
        cell.alignment = Alignment(horizontal="right")
    for i, name in enumerate(s.band_names, start=4 + len(rows) - len(s.band_names)):
        bg, fg = band_fill(s, name)
        ws.cell(i, 1).fill = PatternFill("solid", fgColor=bg)
        ws.cell(i, 1).font = Font(name=FONT, color=fg)
    note = len(rows) + 5
    _text(ws, note, 1, "Every SE is on the SEs sheet (filter by team or manager); team rollups on Teams; "
                       "average manager score per skill group and team on Skill groups.")
    ws.cell(note, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=note, start_column=1, end_row=note, end_column=2)
    ws.row_dimensions[note].height = 32
    if s.interests.line:  # counts only: an SE's own answers appear on the SEs sheet when they share them
        _text(ws, note + 1, 1, f"Career interests, counted: {s.interests.line}")
        ws.cell(note + 1, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=note + 1, start_column=1, end_row=note + 1, end_column=2)
        ws.row_dimensions[note + 1].height = 64
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 48, 18


class _Styles:
    """Each distinct look set once through openpyxl's style descriptors, then copied as an index array:
    setting a Font or number format per cell hashes style objects, ~70 % of writing 10,000 rows."""

    def __init__(self) -> None:
        self._seen: dict[object, StyleArray] = {}

    def apply(self, cell: Cell, key: object, setup: Callable[[Cell], None]) -> None:
        got = self._seen.get(key)
        if got is None:
            setup(cell)
            self._seen[key] = copy(cell._style)
        else:
            cell._style = copy(got)


def _se_sheet(ws: Worksheet, s: Summary) -> None:
    _header(ws, SE_COLUMNS)
    styles = _Styles()
    fallback = s.band_names[-1]

    def band_look(name: str) -> Callable[[Cell], None]:
        bg, fg = band_fill(s, name)

        def setup(cell: Cell) -> None:
            cell.fill, cell.font = PatternFill("solid", fgColor=bg), Font(name=FONT, color=fg)
        return setup

    def number_look(fmt: str) -> Callable[[Cell], None]:
        def setup(cell: Cell) -> None:
            cell.number_format = fmt
        return setup

    looks = {PCT: number_look(PCT), POINTS: number_look(POINTS)}
    bands = {name: band_look(name) for name in s.band_names}
    for i, r in enumerate(s.rows, start=2):
        # Body cells keep the workbook's default font (Calibri, named): no per-cell font to set.
        for c, value in enumerate([r.name, r.team, r.manager_name, r.level, r.target], start=1):
            _text(ws, i, c, value)
        for c, number, fmt in ((6, r.self_pct, PCT), (7, r.manager_pct, PCT), (8, _pts(r.gap), POINTS)):
            styles.apply(ws.cell(i, c, number), fmt, looks[fmt])
        private = "" if r.shares_interests or not (r.top_pivot or r.track) else "not shared"  # leadership's file
        for c, value in enumerate([r.manager_band, r.manager_hold, ", ".join(r.metrics_below),
                                   r.shared_pivot or private, r.shared_track or private, r.completeness, r.status],
                                  start=9):
            _text(ws, i, c, value)
        band = r.manager_band if r.manager_band in bands else fallback
        styles.apply(ws.cell(i, 9), ("band", band), bands[band])
    last = chr(ord("A") + len(SE_COLUMNS) - 1)
    ws.auto_filter.ref = f"A1:{last}{max(2, len(s.rows) + 1)}"
    for i, width in enumerate(_SE_WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.row_dimensions[1].height = 30  # LibreOffice does not grow wrapped rows by itself


def _team_sheet(ws: Worksheet, s: Summary) -> None:
    _header(ws, ["Team", "Manager", "SEs", "Complete", *s.band_names, "Avg manager readiness", "Avg gap (pts)"])
    for i, t in enumerate((*s.teams, s.org), start=2):
        _text(ws, i, 1, t.name)
        _text(ws, i, 2, t.manager if t is not s.org else f"{t.managers} managers")
        values = [t.people, t.complete, *(t.bands[b] for b in s.band_names), t.avg_manager_pct, _pts(t.avg_gap)]
        for c, value in enumerate(values, start=3):
            ws.cell(i, c, value)
        ws.cell(i, len(values) + 1).number_format = PCT
        ws.cell(i, len(values) + 2).number_format = POINTS
        for c in range(1, len(values) + 3):
            ws.cell(i, c).font = Font(name=FONT, bold=t is s.org)
        ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(s.band_names, start=5):
        bg, fg = band_fill(s, name)
        ws.cell(1, j).fill, ws.cell(1, j).font = PatternFill("solid", fgColor=bg), Font(name=FONT, bold=True, color=fg)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    for c in range(3, len(s.band_names) + 7):
        ws.column_dimensions[chr(ord("A") + c - 1)].width = 11
    ws.row_dimensions[1].height = 30


def _heatmap(ws: Worksheet, s: Summary) -> None:
    """Average manager score (0..max) per skill group per team: where to spend enablement."""
    _header(ws, ["Team", "SEs", *(name for _, name in s.skill_groups)])
    for i, t in enumerate((*s.teams, s.org), start=2):
        _text(ws, i, 1, t.name)
        ws.cell(i, 2, t.people)
        for c, (gid, _) in enumerate(s.skill_groups, start=3):
            value = t.skills.get(gid)
            ws.cell(i, c, value).number_format = "0.0"
        for c in range(1, len(s.skill_groups) + 3):
            ws.cell(i, c).font = Font(name=FONT, bold=t is s.org)
    last_col = chr(ord("A") + len(s.skill_groups) + 1)
    ws.conditional_formatting.add(
        f"C2:{last_col}{len(s.teams) + 2}",
        ColorScaleRule(start_type="num", start_value=0, start_color="F8696B", mid_type="num",
                       mid_value=s.scale_max / 2, mid_color="FFEB84", end_type="num", end_value=s.scale_max,
                       end_color="63BE7B"))
    note = len(s.teams) + 4
    _text(ws, note, 1, f"Average manager score per criterion testing each skill group (0-{s.scale_max}); "
                       "blank: no criterion of that group scored. Red is where to spend enablement.")
    ws.column_dimensions["A"].width = 22
    for c in range(3, len(s.skill_groups) + 3):
        ws.column_dimensions[chr(ord("A") + c - 1)].width = 16
    ws.row_dimensions[1].height = 32


def _trend_sheet(wb: Workbook, s: Summary, t: Trends) -> None:
    """Manager readiness per SE per quarter; the chart draws SEs when few, team averages otherwise."""
    ws = wb.create_sheet("Trends")
    _header(ws, ["SE", *t.quarters, "Quarters in top band"])
    styles = _Styles()

    def pct(cell: Cell) -> None:
        cell.number_format = PCT
    for i, r in enumerate(s.rows, start=2):
        _text(ws, i, 1, r.name)
        for c, value in enumerate(t.series(r.id), start=2):
            styles.apply(ws.cell(i, c, value), PCT, pct)
        ws.cell(i, len(t.quarters) + 2, t.streaks.get(r.id, 0))
    ws.column_dimensions["A"].width = 22
    if len(s.rows) <= PER_SE_CHARTS_UP_TO:
        ws.add_chart(trend_chart(ws, 2, len(s.rows) + 1, len(t.quarters), "Manager readiness over quarters"),
                     f"A{len(s.rows) + 4}")
        return
    teams = wb.create_sheet("Team trends")
    _header(teams, ["Team", *t.quarters])
    names = [team.name for team in s.teams]
    for i, name in enumerate(names, start=2):
        _text(teams, i, 1, name)
        for c, q in enumerate(t.quarters, start=2):
            teams.cell(i, c, t.teams.get(name, {}).get(q)).number_format = PCT
    teams.column_dimensions["A"].width = 22
    teams.add_chart(trend_chart(teams, 2, len(names) + 1, len(t.quarters),
                                "Average manager readiness per team over quarters"), f"A{len(names) + 4}")


def _charts(wb: Workbook, ses: Worksheet, teams: Worksheet, s: Summary) -> None:
    charts = wb.create_sheet("Charts")
    charts.add_chart(band_chart(teams, s), "A1")
    charts.row_breaks.append(Break(id=CHART_ROWS))  # each chart on its own printed page, never cut by a page edge
    if len(s.rows) <= PER_SE_CHARTS_UP_TO:
        charts.add_chart(readiness_chart(ses, s), f"A{CHART_ROWS + 1}")
    else:  # 1,000 bars are a grey smear: one bar per team instead
        charts.add_chart(team_readiness_chart(teams, s), f"A{CHART_ROWS + 1}")
