"""``summary.xlsx``: an overview, one row per SE, team rollups, averages per rubric, a skill-group heatmap,
each manager's calibration against the org, and native charts (XlsxWriter).

Ready to print (landscape, fit to one page wide, header rows repeated on every page) and
readable at any size: per-SE charts only for small orgs, team-level charts otherwise.
Gaps are in percentage points everywhere, as in the emails. Written with XlsxWriter, made for
writing reports: each look is one shared format however many cells wear it.
"""

from __future__ import annotations

import io

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..core.headline import headline
from ..core.styles import FILL, FONT
from ..core.summary import Summary
from ..core.trends import Trends
from .summary_cells import PCT, POINTS, WRAP, Looks, Value, band_fill, header, put, pts, widths
from .summary_charts import CHART_ROWS, PER_SE_CHARTS_UP_TO, band_chart, readiness_chart, team_readiness_chart, trend_chart
from .summary_rubrics import calibration_sheets, heatmap, rubric_sheet

__all__ = ["SE_COLUMNS", "band_fill", "summary_workbook"]

SE_COLUMNS = ("Name", "Team", "Manager", "Level", "Target", "Self readiness", "Manager readiness", "Gap (pts)",
              "Manager band", "Agreed band", "Band held because", "Below benchmark", "Top pivot interest",
              "Track preference", "Completeness", "Status", "Committee decision")
_SE_WIDTHS = (20, 14, 16, 11, 13, 9, 9, 9, 11, 11, 22, 20, 16, 12, 21, 10, 11)  # one landscape page wide, fitted
_UNTITLED = ("Overview", "Charts")  # no header row to repeat on each printed page
_A4 = 9


def summary_workbook(summary: Summary, trends: Trends | None = None) -> bytes:
    buffer = io.BytesIO()
    # Text goes in through write_string only; the options keep any other path from making formulas or links too.
    wb = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                           "default_format_properties": {"font_name": FONT, "font_size": 11}})
    looks = Looks(wb)
    _overview(wb.add_worksheet("Overview"), looks, summary, trends)
    ses, teams, rubrics = (wb.add_worksheet(name) for name in ("SEs", "Teams", "Readiness by rubric"))
    _se_sheet(ses, looks, summary)
    _team_sheet(teams, looks, summary)
    rubric_sheet(rubrics, looks, summary)
    if summary.skill_groups:
        heatmap(wb.add_worksheet("Skill groups"), looks, summary)
    calibration_sheets(wb, looks, summary)
    _charts(wb, ses, teams, rubrics, summary)
    if trends is not None and len(trends.quarters) >= 2:  # one quarter is a point, not a trend
        _trend_sheet(wb, looks, summary, trends)
    for ws in wb.worksheets():
        _print_setup(ws)
    wb.set_properties({"author": "ladder-sheets", "title": f"{summary.quarter} summary"})
    wb.close()
    return buffer.getvalue()


def _print_setup(ws: Worksheet) -> None:
    ws.set_landscape()
    ws.set_paper(_A4)
    ws.fit_to_pages(1, 0)  # one page wide, as many pages long as needed
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=1, bottom=1)
    ws.set_header("", {"margin": 0.5})
    ws.set_footer("&C&A · page &P of &N", {"margin": 0.5})
    if ws.get_name() not in _UNTITLED:
        ws.repeat_rows(0)  # the header row on every printed page


def _overview(ws: Worksheet, looks: Looks, s: Summary, t: Trends | None) -> None:
    """The headline figures, as the leadership email opens with them."""
    h = headline(s, t)
    title = looks(bold=True, font_size=16, font_color=f"#{FILL['header']}")
    put(ws, 0, 0, f"{s.quarter} presales career summary", title)
    put(ws, 1, 0, s.ladder_name)
    rows: list[tuple[str, Value, str]] = [
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
    rows += [(f"Band: {name}", s.org.bands.get(name, 0), "0") for name in s.band_names]
    first_band = 3 + len(rows) - len(s.band_names)
    for i, (label, value, fmt) in enumerate(rows, start=3):
        put(ws, i, 0, label, looks.band(s, s.band_names[i - first_band]) if i >= first_band else None)
        put(ws, i, 1, value, looks(bold=True, align="right", num_format=fmt))
    _overview_notes(ws, looks, s, len(rows) + 4)
    widths(ws, [56, 30])  # B also holds words ("no history to count quarters"), right-aligned


def _overview_notes(ws: Worksheet, looks: Looks, s: Summary, note: int) -> None:
    notes = ["Every SE is on the SEs sheet (filter by team or manager); team counts on Teams; averages, always "
             "within one rubric and with their n, on Readiness by rubric and Skill groups; each manager's scores "
             "beside the org's on Calibration and Calibration by criterion."]
    if s.interests.line:  # counts only: an SE's own answers appear on the SEs sheet when they share them
        notes.append(f"Career interests, counted: {s.interests.line}")
    wrap = looks(**WRAP)
    for i, said in enumerate(notes, start=note):
        ws.merge_range(i, 0, i, 1, "", wrap)
        put(ws, i, 0, said, wrap)
        ws.set_row(i, 48 if i == note else 64)


def _se_sheet(ws: Worksheet, looks: Looks, s: Summary) -> None:
    header(ws, looks, SE_COLUMNS)
    pct, points = looks(num_format=PCT), looks(num_format=POINTS)
    bands = {name: looks.band(s, name) for name in s.band_names}
    fallback = bands[s.band_names[-1]]
    for i, r in enumerate(s.rows, start=1):
        # Text keeps the workbook's default font: no per-cell format to set.
        for c, value in enumerate((r.name, r.team, r.manager_name, r.level, r.target)):
            put(ws, i, c, value)
        put(ws, i, 5, r.self_pct, pct)
        put(ws, i, 6, r.manager_pct, pct)
        put(ws, i, 7, pts(r.gap), points)
        for c, band in ((8, r.manager_band), (9, r.agreed_band)):
            put(ws, i, c, band, bands.get(band, fallback) if band else None)
        private = "" if r.shares_interests or not (r.top_pivot or r.track) else "not shared"  # leadership's file
        for c, value in enumerate((r.manager_hold, ", ".join(r.metrics_below), r.shared_pivot or private,
                                   r.shared_track or private, r.completeness, r.status, r.verdict), start=10):
            put(ws, i, c, value)
    ws.autofilter(0, 0, max(1, len(s.rows)), len(SE_COLUMNS) - 1)
    widths(ws, _SE_WIDTHS)
    ws.set_row(0, 30)  # LibreOffice does not grow wrapped rows by itself


def _team_sheet(ws: Worksheet, looks: Looks, s: Summary) -> None:
    """Counts per team, by the band that counts (agreed, else the manager's); averages are per rubric elsewhere."""
    header(ws, looks, ["Team", "Manager", "SEs", "Complete", *s.band_names])
    for j, name in enumerate(s.band_names, start=4):
        put(ws, 0, j, name, looks.band(s, name, bold=True, **WRAP))
    for i, t in enumerate((*s.teams, s.org), start=1):
        plain = looks(bold=t is s.org)
        put(ws, i, 0, t.name, plain)
        put(ws, i, 1, t.manager if t is not s.org else f"{t.managers} managers", looks(bold=t is s.org, **WRAP))
        for c, value in enumerate([t.people, t.complete, *(t.bands[b] for b in s.band_names)], start=2):
            put(ws, i, c, value, plain)
    widths(ws, [22, 30, *([11] * (len(s.band_names) + 2))])
    ws.set_row(0, 30)


def _trend_sheet(wb: Workbook, looks: Looks, s: Summary, t: Trends) -> None:
    """Manager readiness per SE per quarter; the chart draws SEs when few, team averages per rubric otherwise."""
    ws = wb.add_worksheet("Trends")
    header(ws, looks, ["SE", *t.quarters, f"Quarters {s.top_band} running"])
    pct = looks(num_format=PCT)
    for i, r in enumerate(s.rows, start=1):
        put(ws, i, 0, r.name)
        for c, value in enumerate(t.series(r.id), start=1):
            put(ws, i, c, value, pct)
        put(ws, i, len(t.quarters) + 1, t.streaks.get(r.id, 0))
    widths(ws, [22, *([10] * len(t.quarters)), 16])
    ws.set_row(0, 32)  # LibreOffice does not grow wrapped rows by itself
    if len(s.rows) <= PER_SE_CHARTS_UP_TO:
        ws.insert_chart(len(s.rows) + 3, 0, trend_chart(wb, ws.get_name(), 1, len(s.rows), len(t.quarters),
                                                        "Manager readiness over quarters"))
        return
    teams = wb.add_worksheet("Team trends")
    header(teams, looks, ["Team · rubric", *t.quarters])
    groups = [(team.name, x.target, f"{team.name} · {x.title}") for team in s.teams for x in team.rubrics]
    for i, (name, target, label) in enumerate(groups, start=1):
        put(teams, i, 0, label)
        for c, q in enumerate(t.quarters, start=1):
            put(teams, i, c, t.teams.get((name, target), {}).get(q, (None, 0))[0], pct)
    widths(teams, [40])
    teams.insert_chart(len(groups) + 3, 0, trend_chart(wb, teams.get_name(), 1, len(groups), len(t.quarters),
                                                       "Average manager readiness per team and rubric over quarters"))


def _charts(wb: Workbook, ses: Worksheet, teams: Worksheet, rubrics: Worksheet, s: Summary) -> None:
    charts = wb.add_worksheet("Charts")
    charts.insert_chart(0, 0, band_chart(wb, teams.get_name(), s))
    charts.set_h_pagebreaks([CHART_ROWS])  # each chart on its own printed page, never cut by a page edge
    # The second a row below the break: at the break LibreOffice draws its top edge on the page before.
    if len(s.rows) <= PER_SE_CHARTS_UP_TO:
        charts.insert_chart(CHART_ROWS + 1, 0, readiness_chart(wb, ses.get_name(), s))
    else:  # 1,000 bars are a grey smear: one bar per team and rubric instead
        charts.insert_chart(CHART_ROWS + 1, 0, team_readiness_chart(wb, rubrics.get_name(), s))
