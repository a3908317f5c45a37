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
                                                                                     f"{x.title}: n"))]
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
    assert [s.tx.strRef.f for s in bands.series] == [f"'Teams'!{c}1" for c in "EFGH"[:n_bands]]
    assert bands.series[0].val.numRef.f == f"'Teams'!$E$2:$E${n_teams + 1}"  # teams only: the org line would dwarf them
    assert bands.series[0].cat.numRef.f == f"'Teams'!$A$2:$A${n_teams + 1}"
    (series,) = readiness.series
    assert series.val.numRef.f == f"'SEs'!$G$2:$G${n_rows + 1}" and workbook["SEs"]["G1"].value == "Manager readiness"
    assert series.cat.numRef.f == f"'SEs'!$A$2:$A${n_rows + 1}"
    # Bands keep the emails' colours (green, amber, red, grey); the first SE is the top bar; Excel shows the axes.
    assert [x.graphicalProperties.solidFill.srgbClr for x in bands.series] == ["70AD47", "FFC000", "E06666",
                                                                                   "A6A6A6"]
    assert readiness.x_axis.scaling.orientation == "maxMin" and readiness.y_axis.crosses == "max"
    assert all(axis.delete is False for chart in (bands, readiness) for axis in (chart.x_axis, chart.y_axis))


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
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), ws.title
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
    assert teams_chart.series[0].cat.numRef.f == f"'Readiness by rubric'!$A$2:$A${len(s.teams) + 1}"
    assert [x.val.numRef.f for x in teams_chart.series] == [
        f"'Readiness by rubric'!${chr(67 + 2 * i)}$2:${chr(67 + 2 * i)}${len(s.teams) + 1}"
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
