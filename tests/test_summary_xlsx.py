"""summary.xlsx: the rows and rollups of the summary, with native charts; SE-typed text stays text."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.summary import Row, Summary, summarize
from ladder_sheets.xlsx.summary_workbook import SE_COLUMNS, summary_workbook
from tests.support.libreoffice import recalc
from tests.support.results import big_roster, inputs_for, results_for

EVIL_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def summary(ladder: Ladder, roster: Roster) -> Summary:
    roster = replace(roster, people=(replace(roster.people[0], name=EVIL_NAME), *roster.people[1:]))
    inputs = {p.id: inputs_for(ladder, p.target_level, i % 4, (i + 1) % 4) for i, p in enumerate(roster.people)}
    del inputs["oliver-grant"]  # never returned
    return summarize(results_for(ladder, roster, inputs), ladder)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def workbook(summary: Summary) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(summary_workbook(summary)))


def _approx(value: float | None) -> object:
    """xlsx keeps 15-16 significant digits: equal to the last ulp is too much to ask."""
    return None if value is None else pytest.approx(value, rel=1e-14)


def test_one_row_per_se_with_every_column(summary: Summary, workbook: openpyxl.Workbook) -> None:
    ses = workbook["SEs"]
    assert [c.value for c in ses[1]] == list(SE_COLUMNS)
    assert ses.max_row == len(summary.rows) + 1
    for i, r in enumerate(summary.rows, start=2):
        values = [c.value for c in ses[i]]
        assert values[:5] + values[8:] == [r.name, r.team, r.manager_name, r.level, r.target, r.manager_band,
                                           r.agreed_band or None, r.manager_hold or None,
                                           ", ".join(r.metrics_below) or None,
                                           *(_shared(r, x) for x in (r.top_pivot, r.track)), r.completeness,
                                           r.status, r.verdict or None]
        # Gaps in percentage points, as the emails say them ("-33 pts", not "-33%").
        assert values[5:8] == [_approx(r.self_pct), _approx(r.manager_pct), _approx(None if r.gap is None else r.gap * 100)]
        assert [ses.cell(i, c).number_format for c in (6, 7, 8)] == ["0%", "0%", '+0" pts";-0" pts";0" pts"']
    assert ses.auto_filter.ref == f"A1:Q{len(summary.rows) + 1}" and ses.freeze_panes == "B2"
    assert {c.font.name for row in ses.iter_rows() for c in row} == {ses["A1"].font.name} != {None}


def _shared(r: Row, value: str) -> str | None:
    """A career interest as leadership's summary.xlsx shows it: by name only when the SE shares it."""
    if r.shares_interests:
        return value or None
    return "not shared" if r.top_pivot or r.track else None


@pytest.mark.libreoffice
def test_se_typed_text_is_a_string_never_a_formula(summary: Summary, workbook: openpyxl.Workbook,
                                                    tmp_path: Path) -> None:
    cell = workbook["SEs"]["A2"]
    assert (cell.value, cell.data_type) == (EVIL_NAME, "s")
    path = tmp_path / "summary.xlsx"
    path.write_bytes(summary_workbook(summary))
    (saved,) = recalc([path], tmp_path / "lo")  # as a spreadsheet app opens and saves it
    again = openpyxl.load_workbook(saved)["SEs"]["A2"]
    assert (again.value, again.data_type) == (EVIL_NAME, "s")


def test_team_rollups_and_org_line(summary: Summary, workbook: openpyxl.Workbook) -> None:
    teams = workbook["Teams"]
    assert [c.value for c in teams[1]] == ["Team", "Manager", "SEs", "Complete", *summary.band_names]
    for i, t in enumerate((*summary.teams, summary.org), start=2):
        assert [c.value for c in teams[i]] == [t.name, t.manager if t is not summary.org else "2 managers", t.people,
                                               t.complete, *(t.bands[b] for b in summary.band_names)]
    assert teams.cell(len(summary.teams) + 2, 1).value == "All teams"


def test_readiness_is_averaged_within_each_rubric_with_its_n(summary: Summary, workbook: openpyxl.Workbook) -> None:
    ws = workbook["Readiness by rubric"]
    rubrics = summary.org.rubrics
    assert [c.value for c in ws[1]] == ["Team", "SEs", *(h for x in rubrics for h in (f"{x.title}: average",
                                                                                     "n"))]
    for i, t in enumerate((*summary.teams, summary.org), start=2):
        assert ws.cell(i, 1).value == t.name
        for j, x in enumerate(rubrics):
            members = [r.manager_pct for r in summary.rows if (t is summary.org or r.team == t.name)
                       and r.rubric == x.target and r.manager_pct is not None]
            on = t.on(x.target)
            assert ws.cell(i, 3 + 2 * j).value == _approx(sum(members) / len(members) if members else None)
            assert ws.cell(i, 4 + 2 * j).value == (len(members) if on is not None else None)


def test_native_charts_point_at_the_rollups_and_readiness(summary: Summary, workbook: openpyxl.Workbook) -> None:
    bands, readiness = workbook["Charts"]._charts
    assert isinstance(bands, BarChart) and isinstance(readiness, BarChart)
    assert bands.grouping == "stacked" and readiness.type == "bar"
    n_teams, n_bands, n_rows = len(summary.teams), len(summary.band_names), len(summary.rows)
    assert [_ref(s.tx) for s in bands.series] == [f"'Teams'!{c}1" for c in "EFGH"[:n_bands]]
    assert _ref(bands.series[0].val) == f"'Teams'!E2:E{n_teams + 1}"  # teams only: the org line would dwarf them
    assert _ref(bands.series[0].cat) == f"'Teams'!A2:A{n_teams + 1}"
    (series,) = readiness.series
    assert _ref(series.val) == f"'SEs'!G2:G{n_rows + 1}" and workbook["SEs"]["G1"].value == "Manager readiness"
    assert _ref(series.cat) == f"'SEs'!A2:A{n_rows + 1}"
    # Bands keep the emails' colours (green, amber, red, grey); the first SE is the top bar; Excel shows the axes.
    assert [x.graphicalProperties.solidFill.srgbClr for x in bands.series] == ["70AD47", "FFC000", "E06666",
                                                                                   "A6A6A6"]
    assert readiness.x_axis.scaling.orientation == "maxMin" and readiness.y_axis.crosses == "max"
    assert not any(axis.delete for chart in (bands, readiness) for axis in (chart.x_axis, chart.y_axis))


def _ref(data: object) -> str:
    """The cells a chart's series name, values or categories come from (numbers or text), $ signs left out."""
    ref = getattr(data, "numRef", None) or getattr(data, "strRef")
    return str(ref.f).replace("$", "")


def test_no_ses_still_makes_a_workbook(ladder: Ladder, roster: Roster) -> None:
    empty = summarize(results_for(ladder, replace(roster, people=()), {}), ladder)
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(empty)))
    assert wb["SEs"].max_row == 1 and wb["Teams"]["A2"].value == "All teams"


# ---- overview, colours, print setup, heatmap, charts at any size ------------------------------


def test_the_overview_sheet_comes_first_with_the_headline_figures(summary: Summary, workbook: openpyxl.Workbook) -> None:
    from ladder_sheets.core.headline import headline

    assert workbook.sheetnames[:7] == ["Overview", "SEs", "Teams", "Readiness by rubric", "Skill groups", "Calibration",
                                       "Calibration by criterion"]
    ws = workbook["Overview"]
    figures = {ws.cell(i, 1).value: ws.cell(i, 2).value for i in range(4, ws.max_row + 1) if ws.cell(i, 1).value}
    h = headline(summary, None)
    assert figures["SEs"] == h.people and figures["Workbooks returned"] == h.returned
    assert figures[f"{summary.top_band} now (agreed band, else the manager's)"] == h.ready
    assert figures[f"Promotion candidates ({summary.top_band} 2+ quarters running)"] == "no history to count quarters"
    assert figures["Self and manager 20+ pts apart"] == h.outliers
    for x in summary.org.rubrics:
        assert figures[f"Average manager readiness: {x.title} (n {x.n})"] == _approx(x.avg)
    assert all(figures[f"Band: {b}"] == summary.org.bands[b] for b in summary.band_names)


def test_bands_wear_the_emails_colours(summary: Summary, workbook: openpyxl.Workbook) -> None:
    from ladder_sheets.xlsx.summary_workbook import band_fill

    ses = workbook["SEs"]
    seen = set()
    for i, r in enumerate(summary.rows, start=2):
        cell = ses.cell(i, 9)
        assert cell.value == r.manager_band
        assert cell.fill.fgColor.rgb[-6:] == band_fill(summary, r.manager_band)[0]
        seen.add(cell.fill.fgColor.rgb[-6:])
    assert len(seen) >= 3  # several bands, several colours


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(workbook: openpyxl.Workbook) -> None:
    for ws in workbook.worksheets:
        setup = ws.page_setup
        # fitToWidth left out is 1, the file format's default
        assert (setup.orientation, setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert workbook["SEs"].print_title_rows == "$1:$1" and workbook["Teams"].print_title_rows == "$1:$1"


def test_the_heatmap_averages_manager_scores_per_skill_group_and_team(ladder: Ladder, summary: Summary,
                                                                       workbook: openpyxl.Workbook) -> None:
    ws = workbook["Skill groups"]
    assert [c.value for c in ws[1]] == ["Team", "Rubric", "SEs scored", *(g.name for g in ladder.skill_groups)]
    lines = [(team, x) for team in (*summary.teams, summary.org) for x in team.rubrics]
    assert ws.max_row >= len(lines) + 1
    for i, (team, x) in enumerate(lines, start=2):
        assert (ws.cell(i, 1).value, ws.cell(i, 2).value) == (team.name, x.title)
        members = [r for r in summary.rows if (team is summary.org or r.team == team.name) and r.rubric == x.target]
        for c, g in enumerate(ladder.skill_groups, start=4):  # never averaged across rubrics
            scores = [e.manager_score for r in members for e in r.evidence if e.manager_score is not None
                      and next(c for c in ladder.rubric_for(r.rubric).criteria
                               if c.id == e.criterion_id).skill_group == g.id]
            expected = sum(scores) / len(scores) if scores else None
            assert ws.cell(i, c).value == _approx(expected), (team.name, x.title, g.name)
    assert ws.conditional_formatting  # a colour scale: red is where to spend enablement


def test_charts_stay_readable_at_any_size(ladder: Ladder, roster: Roster) -> None:
    from ladder_sheets.xlsx.summary_charts import PER_SE_CHARTS_UP_TO

    big = big_roster(roster, PER_SE_CHARTS_UP_TO + 1, 5)
    s = summarize(results_for(ladder, big, {p.id: inputs_for(ladder, p.target_level, 2, 2) for p in big.people}),
                  ladder)
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(s)))
    _, teams_chart = wb["Charts"]._charts
    # a bar per team and rubric, not per SE, and never averaged across rubrics
    assert _ref(teams_chart.series[0].cat) == f"'Readiness by rubric'!A2:A{len(s.teams) + 1}"
    assert [_ref(x.val) for x in teams_chart.series] == [
        f"'Readiness by rubric'!{chr(67 + 2 * i)}2:{chr(67 + 2 * i)}{len(s.teams) + 1}"
        for i in range(len(s.org.rubrics))]


def test_the_trend_chart_needs_two_quarters(ladder: Ladder, roster: Roster, summary: Summary) -> None:
    from ladder_sheets.core import trends as trend

    def history(quarters: list[str]) -> trend.Trends:
        rows = [trend.PersonQuarter(q, r.id, r.name, r.team, r.manager_id, r.manager_name, r.status, r.self_pct,
                                    r.manager_pct, r.manager_band, r.gap) for q in quarters for r in summary.rows]
        return trend.build(rows, [], latest="2026-Q4", band_order=list(summary.band_names[:-1]), scale_max=3)

    one = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, history(["2026-Q4"]))))
    assert "Trends" not in one.sheetnames
    two = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, history(["2026-Q3", "2026-Q4"]))))
    assert len(two["Trends"]._charts) == 1 and two["Trends"]["C1"].value == "2026-Q4"


def test_each_managers_calibration_beside_the_org(ladder: Ladder, summary: Summary, workbook: openpyxl.Workbook) -> None:
    ws = workbook["Calibration"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["Manager", "Rubric", "SEs"] and head[-6:] == ["Mean score", "Org mean", "Org n", "Difference",
                                                                       "Flag", "Criteria flagged"]
    views = summary.calibration.views
    assert views and [(ws.cell(i, 1).value, ws.cell(i, 2).value) for i in range(2, len(views) + 2)] == [
        (v.manager_name, v.title) for v in views]
    for i, v in enumerate(views, start=2):
        row = {h: ws.cell(i, c).value for c, h in enumerate(head, start=1)}
        assert row["SEs"] == v.people and row["Flag"] == v.overall.flag
        assert row["Mean score"] == _approx(v.overall.mean) and row["Org n"] == v.overall.org_n
        assert sum(row[f"{b} (share)"] for b in summary.band_names) == pytest.approx(1.0)
    by = workbook["Calibration by criterion"]
    assert by.max_row - 1 == sum(len(v.criteria) for v in views) + 2  # a blank row, then the caption
    first = views[0].criteria[0]
    assert [by.cell(2, c).value for c in (1, 3, 9)] == [views[0].manager_name, first[0], first[1].flag]


# ---- the look, sheet by sheet, as a spreadsheet app shows and prints it ----------------------

HEADED = {"SEs": "B2", "Teams": "B2", "Readiness by rubric": "B2", "Skill groups": "C2", "Calibration": "C2",
          "Calibration by criterion": "D2"}  # each sheet with a header row, and where it freezes


def _rgb(colour: object) -> str | None:
    rgb = getattr(colour, "rgb", None)
    return rgb[-6:] if isinstance(rgb, str) else None


def _width(ws: object, letter: str) -> float | None:
    """A column's width, also when the file gives one width to a run of columns (min..max)."""
    col = openpyxl.utils.column_index_from_string(letter)
    dims = [d for d in ws.column_dimensions.values() if d.min <= col <= d.max]  # type: ignore[attr-defined]
    return dims[0].width if dims else None


def test_headers_are_white_on_navy_wrapped_and_frozen(workbook: openpyxl.Workbook) -> None:
    from ladder_sheets.core.styles import FILL, FONT

    for name, frozen in HEADED.items():
        ws = workbook[name]
        assert ws.freeze_panes == frozen, name
        for cell in ws[1]:
            if name == "Teams" and cell.column > 4:
                continue  # the band columns wear their band's colours
            assert (cell.font.name, cell.font.b, _rgb(cell.font.color)) == (FONT, True, "FFFFFF"), cell.coordinate
            assert (cell.fill.patternType, _rgb(cell.fill.fgColor)) == ("solid", FILL["header"]), cell.coordinate
            assert (cell.alignment.wrap_text, cell.alignment.vertical) == (True, "top"), cell.coordinate
    assert workbook["Overview"].freeze_panes is None and workbook["Charts"].freeze_panes is None


def test_band_cells_wear_their_colours_everywhere(summary: Summary, workbook: openpyxl.Workbook) -> None:
    from ladder_sheets.core.styles import FONT
    from ladder_sheets.xlsx.summary_workbook import band_fill

    def look(cell: openpyxl.cell.Cell) -> tuple[object, ...]:
        return cell.font.name, _rgb(cell.fill.fgColor), _rgb(cell.font.color)

    ses = workbook["SEs"]
    for i, r in enumerate(summary.rows, start=2):
        assert look(ses.cell(i, 9)) == (FONT, *band_fill(summary, r.manager_band)) and not ses.cell(i, 9).font.b
    teams = workbook["Teams"]
    for j, name in enumerate(summary.band_names, start=5):
        assert teams.cell(1, j).value == name and teams.cell(1, j).font.b
        assert look(teams.cell(1, j)) == (FONT, *band_fill(summary, name))
    overview = workbook["Overview"]
    labels = {overview.cell(i, 1).value: overview.cell(i, 1) for i in range(4, overview.max_row + 1)}
    for name in summary.band_names:
        assert look(labels[f"Band: {name}"]) == (FONT, *band_fill(summary, name))


def test_figures_keep_their_formats_and_the_org_line_is_bold(summary: Summary, workbook: openpyxl.Workbook) -> None:
    overview = workbook["Overview"]
    for i in range(4, 4 + 8):  # the headline counts
        cell = overview.cell(i, 2)
        assert (cell.number_format, cell.font.b, cell.alignment.horizontal) == ("0", True, "right"), cell.coordinate
    averages = [overview.cell(i, 2) for i in range(4, overview.max_row + 1)
                if str(overview.cell(i, 1).value).startswith("Average manager readiness")]
    assert averages and all(c.number_format == "0%" and c.font.b for c in averages)
    org_row = len(summary.teams) + 2
    for name, formats in (("Readiness by rubric", {3: "0%"}), ("Teams", {}), ("Skill groups", {4: "0.0"})):
        ws = workbook[name]
        first_org = next(i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value == summary.org.name)
        assert not ws.cell(2, 1).font.b and ws.cell(first_org, 1).font.b and ws.cell(first_org, 3).font.b, name
        assert all(ws.cell(2, c).number_format == fmt for c, fmt in formats.items()), name
    assert workbook["Teams"].cell(org_row, 1).value == summary.org.name
    calibration = workbook["Calibration"]
    head = [c.value for c in calibration[1]]
    formats = {h: calibration.cell(2, c).number_format for c, h in enumerate(head, start=1)}
    assert formats[f"{summary.band_names[0]} (share)"] == "0%" and formats["Mean score"] == "0.0"
    assert formats["Difference"] == "+0.0;-0.0;0.0"


def test_widths_heights_and_the_merged_overview_notes(summary: Summary, workbook: openpyxl.Workbook) -> None:
    ses = workbook["SEs"]
    assert [_width(ses, c) for c in "ABCDEFGHIJKLMNOPQ"] == [20, 14, 16, 11, 13, 9, 9, 9, 11, 11, 22, 20, 16, 12, 21,
                                                            10, 11]
    assert ses.row_dimensions[1].height == 30 and workbook["Teams"].row_dimensions[1].height == 30
    assert [_width(workbook["Teams"], c) for c in "ABC"] == [22, 30, 11]
    overview = workbook["Overview"]
    assert (_width(overview, "A"), _width(overview, "B")) == (56, 30)
    notes = sorted(overview.merged_cells.ranges, key=lambda m: m.min_row)
    assert [str(m) for m in notes] == [f"A{m.min_row}:B{m.min_row}" for m in notes] and len(notes) == 2
    first, second = (overview.cell(m.min_row, 1) for m in notes)
    assert str(first.value).startswith("Every SE is on the SEs sheet") and first.alignment.wrap_text
    assert str(second.value).startswith("Career interests, counted:") and second.alignment.vertical == "top"
    # LibreOffice does not grow wrapped rows: the heights are set (to the pixel, as Excel keeps them).
    assert [overview.row_dimensions[m.min_row].height for m in notes] == [pytest.approx(48, abs=0.75),
                                                                           pytest.approx(64, abs=0.75)]


def test_printed_pages_name_their_sheet_and_page_and_charts_break_between(workbook: openpyxl.Workbook) -> None:
    for ws in workbook.worksheets:
        assert ws.oddFooter.center.text == "&A · page &P of &N", ws.title
        assert (ws.page_setup.paperSize, ws.print_options.horizontalCentered) == (9, True), ws.title  # A4, centred
        assert (ws.page_margins.left, ws.page_margins.right) == (0.4, 0.4), ws.title
        assert (ws.print_title_rows == "$1:$1") == (ws.title in HEADED), ws.title
    assert [b.id for b in workbook["Charts"].row_breaks.brk] == [30]  # each chart on its own page


def test_calibration_flags_wear_amber(ladder: Ladder, roster: Roster, workbook: openpyxl.Workbook) -> None:
    from ladder_sheets.core.styles import FILL

    two = big_roster(roster, 12, 2)  # six SEs each: enough to tell, scored far apart
    s = summarize(results_for(ladder, two, {p.id: inputs_for(ladder, p.target_level, 2, 3 if i % 2 else 0)
                                            for i, p in enumerate(two.people)}), ladder)
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(s)))
    for name in ("Calibration", "Calibration by criterion"):
        ws = wb[name]
        flag = [c.value for c in ws[1]].index("Flag") + 1
        cells = [ws.cell(i, flag) for i in range(2, ws.max_row + 1) if ws.cell(i, 2).value]
        assert cells and all(_rgb(c.fill.fgColor) == FILL["close"] for c in cells), name
        assert {c.value for c in cells} == {"lower than the org", "higher than the org"}, name
    few = workbook["Calibration"]  # one or two SEs a manager: too few to tell, nothing flagged
    flag = [c.value for c in few[1]].index("Flag") + 1
    assert any(few.cell(i, flag).value == "too few to tell" for i in range(2, few.max_row))
    assert all(few.cell(i, flag).fill.patternType is None for i in range(2, few.max_row + 1))


def test_the_heatmap_runs_red_to_green_over_the_team_lines(summary: Summary, workbook: openpyxl.Workbook) -> None:
    ws = workbook["Skill groups"]
    team_lines = sum(len(t.rubrics) for t in summary.teams)
    ((where, (rule,)),) = [(str(r.sqref), rules) for r, rules in ws.conditional_formatting._cf_rules.items()]
    assert where == f"D2:{openpyxl.utils.get_column_letter(3 + len(summary.skill_groups))}{team_lines + 1}"
    scale = rule.colorScale
    assert [(v.type, float(v.val)) for v in scale.cfvo] == [("num", 0), ("num", summary.scale_max / 2),
                                                           ("num", summary.scale_max)]
    assert [_rgb(c) for c in scale.color] == ["F8696B", "FFEB84", "63BE7B"]


def _title(chart: object) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in p.r or [])  # type: ignore[attr-defined]


def test_charts_keep_their_titles_legends_scales_and_places(summary: Summary, workbook: openpyxl.Workbook) -> None:
    bands, readiness = workbook["Charts"]._charts
    assert _title(bands) == "Band distribution per team (manager scores)" and bands.legend.position == "r"
    assert _title(bands.y_axis) == "SEs" and bands.y_axis.numFmt.formatCode == "0" and bands.y_axis.majorUnit == 1
    assert _title(readiness) == "Manager readiness by SE" and readiness.legend is None
    scale = readiness.y_axis
    assert (scale.scaling.min, scale.scaling.max, scale.majorUnit, scale.numFmt.formatCode) == (0, 1, 0.2, "0%")
    assert [(c.anchor._from.row, c.anchor._from.col) for c in (bands, readiness)] == [(0, 0), (31, 0)]


@pytest.mark.parametrize("teams", [15, 16, 26, 40, 41])
def test_past_15_teams_the_band_chart_lists_the_teams_down_the_page(ladder: Ladder, roster: Roster,
                                                                     teams: int) -> None:
    """Side by side, 16 team names run into each other: they go down the page, top to bottom as on the Teams
    sheet, every one shown up to 40 (smaller past 25), and the chart stays within the page it starts."""
    big = big_roster(roster, 2 * teams, teams)
    s = summarize(results_for(ladder, big, {}), ladder)
    bands = openpyxl.load_workbook(io.BytesIO(summary_workbook(s)))["Charts"]._charts[0]
    names = bands.x_axis  # openpyxl's x axis is the categories, whichever way the bars run
    assert (bands.type, bands.grouping) == ("bar" if teams > 15 else "col", "stacked")
    assert names.scaling.orientation == ("maxMin" if teams > 15 else "minMax")  # first team on top
    assert names.tickLblSkip == (1 if 15 < teams <= 40 else None)
    size = names.txPr.p[0].pPr.defRPr.sz if names.txPr else None
    assert size == (None if teams <= 15 else 1000 if teams <= 25 else 800)
    assert bands.anchor.to.row < 30  # the page break under it


def test_trend_lines_are_named_by_their_se(ladder: Ladder, summary: Summary) -> None:
    from ladder_sheets.core import trends as trend

    rows = [trend.PersonQuarter(q, r.id, r.name, r.team, r.manager_id, r.manager_name, r.status, r.self_pct,
                                r.manager_pct, r.manager_band, r.gap)
            for q in ("2026-Q3", "2026-Q4") for r in summary.rows]
    t = trend.build(rows, [], latest="2026-Q4", band_order=list(summary.band_names[:-1]), scale_max=3)
    ws = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, t)))["Trends"]
    (chart,) = ws._charts
    n = len(summary.rows)
    assert [_ref(s.tx) for s in chart.series] == [f"'Trends'!A{i}" for i in range(2, n + 2)]
    assert [_ref(s.val) for s in chart.series] == [f"'Trends'!B{i}:C{i}" for i in range(2, n + 2)]
    assert _ref(chart.series[0].cat) == "'Trends'!B1:C1" and _title(chart) == "Manager readiness over quarters"
    assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.numFmt.formatCode) == (0, 1, "0%")
    assert (chart.anchor._from.row, chart.anchor._from.col) == (n + 3, 0)  # below the table
    assert ws["B2"].number_format == "0%" and ws.freeze_panes == "B2"


def test_the_file_names_its_maker_and_quarter(summary: Summary, workbook: openpyxl.Workbook) -> None:
    assert (workbook.properties.creator, workbook.properties.title) == ("ladder-sheets", f"{summary.quarter} summary")


def test_text_a_cell_cannot_hold_raw_is_kept_as_typed(summary: Summary) -> None:
    """XML cannot carry most control characters: the file escapes them (_x0001_) rather than refuse the
    whole report, and a reader gets the text back as typed."""
    from python_calamine import CalamineWorkbook

    odd = "Tab\there, bell\x07, and a literal _x0041_"
    s = replace(summary, rows=(replace(summary.rows[0], name=odd), *summary.rows[1:]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(summary_workbook(s))).get_sheet_by_name("SEs").to_python()
    assert sheet[1][0] == odd
