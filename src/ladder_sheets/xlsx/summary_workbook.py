"""``summary.xlsx``: an overview, one row per SE, team rollups, averages per rubric, a skill-group heatmap,
each manager's calibration against the org, and native charts (openpyxl).

Ready to print (landscape, fit to one page wide, header rows repeated on every page) and
readable at any size: per-SE charts only for small orgs, team-level charts otherwise.
Gaps are in percentage points everywhere, as in the emails.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from copy import copy

from openpyxl import Workbook
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
from .summary_cells import BOLD, PCT, POINTS, band_fill, header, pts, text
from .summary_rubrics import calibration_sheets, heatmap, rubric_sheet

__all__ = ["SE_COLUMNS", "band_fill", "summary_workbook"]

_TITLE = Font(name=FONT, bold=True, size=16, color=FILL["header"])

SE_COLUMNS = ("Name", "Team", "Manager", "Level", "Target", "Self readiness", "Manager readiness", "Gap (pts)",
              "Manager band", "Agreed band", "Band held because", "Below benchmark", "Top pivot interest",
              "Track preference", "Completeness", "Status", "Committee decision")
_SE_WIDTHS = (20, 14, 16, 11, 13, 9, 9, 9, 11, 11, 22, 20, 16, 12, 21, 10, 11)  # one landscape page wide, fitted


def summary_workbook(summary: Summary, trends: Trends | None = None) -> bytes:
    wb = Workbook()
    overview = wb.active
    overview.title = "Overview"
    _overview(overview, summary, trends)
    ses = wb.create_sheet("SEs")
    _se_sheet(ses, summary)
    teams = wb.create_sheet("Teams")
    _team_sheet(teams, summary)
    rubrics = wb.create_sheet("Readiness by rubric")
    rubric_sheet(rubrics, summary)
    if summary.skill_groups:
        heatmap(wb.create_sheet("Skill groups"), summary)
    calibration_sheets(wb, summary)
    _charts(wb, ses, teams, rubrics, summary)
    if trends is not None and len(trends.quarters) >= 2:  # one quarter is a point, not a trend
        _trend_sheet(wb, summary, trends)
    for ws in wb.worksheets:
        _print_setup(ws)
    wb.properties.creator = "ladder-sheets"
    wb.properties.title = f"{summary.quarter} summary"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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


def _overview(ws: Worksheet, s: Summary, t: Trends | None) -> None:
    """The headline figures, as the leadership email opens with them."""
    h = headline(s, t)
    ws["A1"] = f"{s.quarter} presales career summary"
    ws["A1"].font = _TITLE
    text(ws, 2, 1, s.ladder_name)
    rows: list[tuple[str, object, str]] = [
        ("SEs", h.people, "0"), ("Workbooks returned", h.returned, "0"), ("Complete", h.complete, "0"),
        (f"{s.top_band} now (agreed band, else the manager's)", h.ready, "0"),
        (f"Promotion candidates ({s.top_band} {s.candidate_quarters}+ quarters running)",
         h.candidates if s.history or s.candidate_quarters <= 1 else "no history to count quarters", "0"),
        ("Bands agreed by the committee", h.agreed if s.committee is not None else "none applied", "0"),
        ("Sheets outstanding (missing, incomplete, invalid)", h.outstanding, "0"),
        ("Self and manager 20+ pts apart" if s.calibration_alert == 0.2 else
         f"Self and manager {round(s.calibration_alert * 100)}+ pts apart", h.outliers, "0"),
    ]
    for x in h.averages:
        rows.append((f"Average manager readiness: {x.title} (n {x.n})", x.avg, PCT))
        if h.before_quarter:
            rows.append((f"  change since {h.before_quarter} (n then {x.before_n})",
                         pts(x.change) if x.change is not None else "not on this rubric then", POINTS))
    for name in s.band_names:
        rows.append((f"Band: {name}", s.org.bands.get(name, 0), "0"))
    for i, (label, value, fmt) in enumerate(rows, start=4):
        text(ws, i, 1, label)
        cell = ws.cell(i, 2, value)
        cell.number_format, cell.font = fmt, BOLD
        cell.alignment = Alignment(horizontal="right")
    for i, name in enumerate(s.band_names, start=4 + len(rows) - len(s.band_names)):
        bg, fg = band_fill(s, name)
        ws.cell(i, 1).fill = PatternFill("solid", fgColor=bg)
        ws.cell(i, 1).font = Font(name=FONT, color=fg)
    _overview_notes(ws, s, len(rows) + 5)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 56, 18


def _overview_notes(ws: Worksheet, s: Summary, note: int) -> None:
    notes = ["Every SE is on the SEs sheet (filter by team or manager); team counts on Teams; averages, always "
             "within one rubric and with their n, on Readiness by rubric and Skill groups; each manager's scores "
             "beside the org's on Calibration and Calibration by criterion."]
    if s.interests.line:  # counts only: an SE's own answers appear on the SEs sheet when they share them
        notes.append(f"Career interests, counted: {s.interests.line}")
    for i, said in enumerate(notes):
        text(ws, note + i, 1, said)
        ws.cell(note + i, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=note + i, start_column=1, end_row=note + i, end_column=2)
        ws.row_dimensions[note + i].height = 48 if i == 0 else 64


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
    header(ws, SE_COLUMNS)
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
            text(ws, i, c, value)
        for c, number, fmt in ((6, r.self_pct, PCT), (7, r.manager_pct, PCT), (8, pts(r.gap), POINTS)):
            styles.apply(ws.cell(i, c, number), fmt, looks[fmt])
        private = "" if r.shares_interests or not (r.top_pivot or r.track) else "not shared"  # leadership's file
        for c, value in enumerate([r.manager_band, r.agreed_band, r.manager_hold, ", ".join(r.metrics_below),
                                   r.shared_pivot or private, r.shared_track or private, r.completeness, r.status,
                                   r.verdict], start=9):
            text(ws, i, c, value)
        for c, name in ((9, r.manager_band), (10, r.agreed_band)):
            if name:
                band = name if name in bands else fallback
                styles.apply(ws.cell(i, c), ("band", band), bands[band])
    last = chr(ord("A") + len(SE_COLUMNS) - 1)
    ws.auto_filter.ref = f"A1:{last}{max(2, len(s.rows) + 1)}"
    for i, width in enumerate(_SE_WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.row_dimensions[1].height = 30  # LibreOffice does not grow wrapped rows by itself


def _team_sheet(ws: Worksheet, s: Summary) -> None:
    """Counts per team, by the band that counts (agreed, else the manager's); averages are per rubric elsewhere."""
    header(ws, ["Team", "Manager", "SEs", "Complete", *s.band_names])
    for i, t in enumerate((*s.teams, s.org), start=2):
        text(ws, i, 1, t.name)
        text(ws, i, 2, t.manager if t is not s.org else f"{t.managers} managers")
        values = [t.people, t.complete, *(t.bands[b] for b in s.band_names)]
        for c, value in enumerate(values, start=3):
            ws.cell(i, c, value)
        for c in range(1, len(values) + 3):
            ws.cell(i, c).font = Font(name=FONT, bold=t is s.org)
        ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(s.band_names, start=5):
        bg, fg = band_fill(s, name)
        ws.cell(1, j).fill, ws.cell(1, j).font = PatternFill("solid", fgColor=bg), Font(name=FONT, bold=True, color=fg)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    for c in range(3, len(s.band_names) + 5):
        ws.column_dimensions[chr(ord("A") + c - 1)].width = 11
    ws.row_dimensions[1].height = 30


def _trend_sheet(wb: Workbook, s: Summary, t: Trends) -> None:
    """Manager readiness per SE per quarter; the chart draws SEs when few, team averages per rubric otherwise."""
    ws = wb.create_sheet("Trends")
    header(ws, ["SE", *t.quarters, f"Quarters {s.top_band} running"])
    styles = _Styles()

    def pct(cell: Cell) -> None:
        cell.number_format = PCT
    for i, r in enumerate(s.rows, start=2):
        text(ws, i, 1, r.name)
        for c, value in enumerate(t.series(r.id), start=2):
            styles.apply(ws.cell(i, c, value), PCT, pct)
        ws.cell(i, len(t.quarters) + 2, t.streaks.get(r.id, 0))
    ws.column_dimensions["A"].width = 22
    if len(s.rows) <= PER_SE_CHARTS_UP_TO:
        ws.add_chart(trend_chart(ws, 2, len(s.rows) + 1, len(t.quarters), "Manager readiness over quarters"),
                     f"A{len(s.rows) + 4}")
        return
    teams = wb.create_sheet("Team trends")
    header(teams, ["Team · rubric", *t.quarters])
    groups = [(team.name, x.target, f"{team.name} · {x.title}") for team in s.teams for x in team.rubrics]
    for i, (name, target, label) in enumerate(groups, start=2):
        text(teams, i, 1, label)
        for c, q in enumerate(t.quarters, start=2):
            teams.cell(i, c, t.teams.get((name, target), {}).get(q, (None, 0))[0]).number_format = PCT
    teams.column_dimensions["A"].width = 40
    teams.add_chart(trend_chart(teams, 2, len(groups) + 1, len(t.quarters),
                                "Average manager readiness per team and rubric over quarters"), f"A{len(groups) + 4}")


def _charts(wb: Workbook, ses: Worksheet, teams: Worksheet, rubrics: Worksheet, s: Summary) -> None:
    charts = wb.create_sheet("Charts")
    charts.add_chart(band_chart(teams, s), "A1")
    charts.row_breaks.append(Break(id=CHART_ROWS))  # each chart on its own printed page, never cut by a page edge
    if len(s.rows) <= PER_SE_CHARTS_UP_TO:
        charts.add_chart(readiness_chart(ses, s), f"A{CHART_ROWS + 1}")
    else:  # 1,000 bars are a grey smear: one bar per team and rubric instead
        charts.add_chart(team_readiness_chart(rubrics, s), f"A{CHART_ROWS + 1}")
