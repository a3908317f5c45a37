"""What people see: the emails laid out by a real browser at desktop and phone width, summary.xlsx and
packets as printed pages. Screenshots land in the test's tmp folder for a look by eye too."""

from __future__ import annotations

import re
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.summary import Summary, for_manager, summarize
from ladder_sheets.report.render import render
from ladder_sheets.xlsx.summary_workbook import summary_workbook
from tests.support.ladders import coached
from tests.support.results import big_roster, inputs_for, results_for
from tests.support.screens import pdf_pages, screenshot, to_pdf, widest

PHONE, DESKTOP = 400, 1280


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def org(ladder: Ladder, roster: Roster) -> Summary:
    """1,000 SEs, 40 teams, long names and coaching questions: the hard case for a phone screen."""
    lad = coached(ladder)
    big = big_roster(roster, 1000, 40)
    big = replace(big, managers=tuple(replace(m, team=f"Enterprise Strategic Accounts Region {i}")
                                      for i, m in enumerate(big.managers)))
    inputs = {p.id: inputs_for(lad, p.target_level, 3 if i % 4 else 1, 3 if i % 5 else 0, actual=0.0 if i % 7 else 5.0,
                               evidence="Ran the Acme Corporation POC end to end with the CTO and two architects")
              for i, p in enumerate(big.people[:900])}
    return summarize(results_for(lad, big, inputs), lad)


@pytest.mark.parametrize("who", ["manager", "leadership"])
def test_emails_fit_a_phone_and_a_desktop(org: Summary, who: str, tmp_path: Path) -> None:
    if who == "manager":
        manager_id = org.rows[0].manager_id
        html = render("manager_summary.html", for_manager(org, manager_id), manager_name="Manager 0")
    else:
        html = render("leadership_summary.html", org)
    # Nothing outside a table's own scroll box is wider than the screen: the page never scrolls sideways.
    assert widest(html, PHONE, tmp_path) <= PHONE
    assert widest(html, DESKTOP, tmp_path) <= DESKTOP
    page = tmp_path / f"{who}.html"
    page.write_text(html, encoding="utf-8")
    for width in (PHONE, DESKTOP):
        png = screenshot(page, tmp_path / f"{who}-{width}.png", width, 1600)
        assert _png_size(png) == (width, 1600) and png.stat().st_size > 20_000  # drawn, not blank


@pytest.mark.libreoffice
def test_summary_xlsx_prints_one_page_wide_with_headers_on_every_page(ladder: Ladder, roster: Roster,
                                                                      tmp_path: Path) -> None:
    small = summarize(results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 2, 3)
                                                   for p in roster.people[:6]}), ladder)
    path = tmp_path / "small.xlsx"
    path.write_bytes(summary_workbook(small))
    pages = pdf_pages(to_pdf(path, tmp_path / "pdf"))
    sheets = [p.rsplit("·", 1)[0].rsplit("\n", 1)[-1].strip() for p in pages]  # from the footer
    # A long sheet may go on to more pages, depending on the fonts at hand; each chart has a page of its own.
    assert list(dict.fromkeys(sheets)) == ["Overview", "SEs", "Teams", "Readiness by rubric", "Skill groups",
                                          "Calibration", "Calibration by criterion", "Charts"]
    assert sheets.count("Charts") == 2 and all(sheets.count(s) <= 2 for s in sheets)
    # No sheet split sideways: every page of a table carries its header's first and last column.
    ends = {"SEs": ("Name", "Committee"), "Calibration": ("Manager", "Criteria"),
            "Calibration by criterion": ("Manager", "Flag"), "Skill groups": ("Team", "Leadership")}
    for page, sheet in zip(pages, sheets):
        assert all(word in page for word in ends.get(sheet, ())), f"{sheet}: a page without its first or last column"
    ses = next(p for p in pages if "Completeness" in p)  # headers wrap: check one-word ones
    assert all(h in ses for h in ("Name", "Target", "Completeness", "Status")) and "Oliver Grant" in ses
    assert sum("Band distribution per team" in p for p in pages) == 1 and "Manager readiness by SE" in pages[-1]

    big = big_roster(roster, 120, 6)
    many = summarize(results_for(ladder, big, {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in big.people}),
                     ladder)
    path = tmp_path / "many.xlsx"
    path.write_bytes(summary_workbook(many))
    pages = pdf_pages(to_pdf(path, tmp_path / "pdf"))
    se_pages = [p for p in pages if "SE 1" in p and "Team 1" in p]
    assert len(se_pages) >= 2 and all("Name" in p and "Completeness" in p and "Status" in p for p in se_pages)  # repeated header
    assert any("Average manager readiness by team and rubric" in p for p in pages)
    assert not any("Manager readiness by SE" in p for p in pages)  # 120 bars would be unreadable


@pytest.mark.libreoffice
def test_forty_teams_charts_name_every_team_each_chart_on_a_page_of_its_own(ladder: Ladder, roster: Roster,
                                                                             tmp_path: Path) -> None:
    """Past 15 teams the band chart lists teams down the page, as the readiness chart does: side by side their
    names ran into each other. Each chart fits its page whole, and every team is named, one per line."""
    big = big_roster(roster, 80, 40)
    s = summarize(results_for(ladder, big, {p.id: inputs_for(ladder, p.target_level, 2, 1 + i % 3)
                                            for i, p in enumerate(big.people)}), ladder)
    path = tmp_path / "forty.xlsx"
    path.write_bytes(summary_workbook(s))
    charts = [p for p in pdf_pages(to_pdf(path, tmp_path / "pdf")) if "Charts ·" in p]
    titles = ("Band distribution per team (manager scores)", "Average manager readiness by team and rubric")
    assert len(charts) == len(titles)  # neither chart runs onto a second page
    for page, title in zip(charts, titles):
        assert title in page
        named = [int(n) for n in re.findall(r"^\s*Team (\d+)\b", page, flags=re.MULTILINE)]
        assert sorted(named) == list(range(40)), title
