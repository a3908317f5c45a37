"""Promotion packets: one self-contained, print-ready document per Ready SE (and any SE asked for)."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core import trends
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Results
from ladder_sheets.core.summary import summarize
from ladder_sheets.core.agenda import milestone_field
from ladder_sheets.report.packet import one_on_one_html, packet_html, pdf_from_html
from ladder_sheets.workflows.report import build_report
from ladder_sheets.workflows.results_file import write_results
from tests.support.cli import run_main
from tests.support.results import inputs_for, results_for
from tests.support.screens import pdf_pages, pdf_to_png

EVIL = '<img src=x onerror=alert(1)>'
SECTIONS = ("Manager's recommendation", "Committee decision", "Promotion read-out", "Readiness over quarters",
            "Scorecard with evidence", "Impact metrics against benchmarks", "Calibration", "Career direction")


def _results(ladder: Ladder, roster: Roster, quarter: str = "2026-Q4"):  # type: ignore[no-untyped-def]
    ready, developing = roster.people[0], roster.people[1]
    return results_for(ladder, roster, {ready.id: inputs_for(ladder, ready.target_level, 3, 3, evidence=EVIL),
                                         developing.id: inputs_for(ladder, developing.target_level, 3, 1)},
                       quarter=quarter)


def _trends(ladder: Ladder, *quarters: Results) -> trends.Trends:
    rows = [row for r in quarters for row in trends.quarter_rows(r)]
    return trends.build(rows, [], latest=quarters[-1].quarter, band_order=[b.name for b in ladder.bands],
                        scale_max=ladder.scale.max)


def test_a_packet_takes_two_ready_quarters_and_anyone_gets_one_on_request(ladder: Ladder, roster: Roster,
                                                                         tmp_path: Path) -> None:
    ready, developing = roster.people[0], roster.people[1]
    q3, q4 = _results(ladder, roster, "2026-Q3"), _results(ladder, roster)
    first = build_report(q3, ladder, tmp_path / "q3", trends=_trends(ladder, q3))
    assert not [f.name for f in first if f.name.startswith("packet-")]  # one Ready quarter: no packet
    lead = (tmp_path / "q3" / "leadership.txt").read_text(encoding="utf-8")
    assert f"- {ready.name} (Enterprise East): Ready, first quarter; manager 100%" in lead
    files = build_report(q4, ladder, tmp_path / "q4", trends=_trends(ladder, q3, q4))
    assert [f.name for f in files if f.name.startswith("packet-")] == [f"packet-{ready.id}.html"]
    files = build_report(q4, ladder, tmp_path / "q4", trends=_trends(ladder, q3, q4), packets=[developing.id])
    assert [f.name for f in files if f.name.startswith("packet-")] == [f"packet-{ready.id}.html",
                                                                       f"packet-{developing.id}.html"]
    files = build_report(q4, ladder, tmp_path / "none")  # no history: two quarters running cannot be seen
    assert not [f.name for f in files if f.name.startswith("packet-")]
    with pytest.raises(ConfigError, match=r"--packet: 'nobody' not in the results \(expected a person id"):
        build_report(q4, ladder, tmp_path / "x", packets=["nobody"])
    assert not (tmp_path / "x").exists()


def test_the_packet_holds_what_a_committee_reads_escaped_and_self_contained(ladder: Ladder, roster: Roster) -> None:
    person = roster.people[0]
    got = inputs_for(ladder, person.target_level, 3, 3, evidence=EVIL)
    criteria = ladder.rubric_for(person.target_level).criteria
    no_evidence, commented = criteria[1].id, criteria[0].id
    got = replace(got, criteria={**got.criteria,
                                 no_evidence: replace(got.criteria[no_evidence], evidence=""),
                                 commented: replace(got.criteria[commented], comment="Seen in the Acme deal review")})
    results = results_for(ladder, replace(roster, people=(replace(person, in_level_since="2024-07"),
                                                          *roster.people[1:])), {person.id: got})
    results = replace(results, people=(replace(results.people[0], recommendation="promote now",
                                               why="Operating at the next level for two quarters"),
                                       *results.people[1:]))
    s = summarize(results, ladder)
    row = s.ready[0]
    html = packet_html(s, row)
    positions = [html.index(f"<h2>{name}</h2>") for name in SECTIONS]
    assert positions == sorted(positions)
    assert EVIL not in html and "&lt;img src=x" in html
    assert row.readout[:40].replace("'", "&#39;") in html
    assert all(m.metric in html for m in row.metrics) and all(e.criterion in html for e in row.evidence)
    assert "☒ Promote now" in html and "<blockquote>Operating at the next level for two quarters</blockquote>" in html
    assert "<td>Seen in the Acme deal review</td>" in html  # the manager's comment beside the criterion
    assert f"1 criterion scored 2 or more with no evidence: {no_evidence} (marked below)." in html
    assert "No evidence for a score of 3." in html and 'class=" unsupported"' in html
    assert "2 years 6 months in level by the end of 2026-Q4 (since 2024-07)." in html
    assert "Not decided yet" in html and "Committee decision (promote / not yet / defer), date" in html
    assert "@page" in html and "break-inside: avoid" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "No history stored yet" in html  # honest without trends


def test_the_packet_lists_the_metrics_of_the_ses_move_and_none_other(ladder: Ladder, roster: Roster) -> None:
    """What the SE's workbook asked for, nothing else: no metric of another move reads "Missing"."""
    moving = next(p for p in roster.people if ladder.metrics_for(p.level, p.target_level))
    growing = next(p for p in roster.people if not ladder.metrics_for(p.level, p.target_level))
    got = {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in (moving, growing)}
    s = summarize(results_for(ladder, roster, got), ladder)
    rows = {r.id: r for r in s.rows}
    html = packet_html(s, rows[moving.id])
    asked = ladder.metrics_for(moving.level, moving.target_level)
    assert [m.metric for m in rows[moving.id].metrics] == [m.name for m in asked]
    assert all(f"<td>{m.name}</td>" not in html for m in ladder.metrics if m not in asked)
    assert f"of {len(asked)}</b><span>metrics at benchmark" in html
    quiet = packet_html(s, rows[growing.id])
    assert "metrics at benchmark" not in quiet and "No metric of the ladder applies to" in quiet


def test_the_packet_prints_as_pdf_pages_a_committee_can_read(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    s = summarize(_results(ladder, roster), ladder)
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(pdf_from_html(packet_html(s, s.ready[0])))
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 4
    text = "\n".join(pages)
    assert all(name in text for name in SECTIONS)
    # The recommendation and the committee's decision are never split over two pages.
    for heading, end in (("Manager's recommendation", "No recommendation from"),
                         ("Committee decision", "Agreed band and rationale")):
        (holder,) = [p for p in pages if re.search(f"^{heading}$", p, re.M)]
        assert end in holder, heading
    pngs = pdf_to_png(pdf, tmp_path / "page")
    assert len(pngs) == len(pages) and all(p.stat().st_size > 5_000 for p in pngs)


def test_cli_packet_and_pdf(ladder: Ladder, roster: Roster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(_results(ladder, roster), tmp_path / "results.json")
    developing = roster.people[1]
    code, stdout, _ = run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r", "--packet",
                               developing.id, "--pdf", "--no-trends")
    assert code == 0
    assert f"wrote {tmp_path / 'r' / f'packet-{developing.id}.pdf'}" in stdout.splitlines()
    assert (tmp_path / "r" / f"packet-{developing.id}.pdf").read_bytes().startswith(b"%PDF")
    code, _, stderr = run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r2", "--packet", "ghost")
    assert code == 2 and "--packet: 'ghost' not in the results" in stderr


def test_one_on_one_pages_on_request_for_every_se(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(_results(ladder, roster), tmp_path / "results.json")
    assert run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r", "--no-trends")[0] == 0
    assert not list((tmp_path / "r").glob("1on1-*"))
    assert run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r", "--no-trends",
                    "--one-on-ones")[0] == 0
    assert sorted(p.name for p in (tmp_path / "r").glob("1on1-*")) == sorted(f"1on1-{p.id}.html" for p in roster.people)
    developing = roster.people[1]
    page = (tmp_path / "r" / f"1on1-{developing.id}.html").read_text(encoding="utf-8")
    assert page.index("<h2>Agenda</h2>") < page.index("Development priorities") < page.index("Scorecard with evidence")
    assert "In dispute" in page and 'class="dispute"' in page and "Agreed next steps" in page
    missing = (tmp_path / "r" / f"1on1-{roster.people[2].id}.html").read_text(encoding="utf-8")
    assert "No workbook back yet." in missing
    assert run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r", "--no-trends")[0] == 0
    assert not list((tmp_path / "r").glob("1on1-*"))  # a rerun without them removes the old pages


def test_pdf_without_weasyprint_is_refused_before_anything_is_written(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(ConfigError, match=r"PDF packets need WeasyPrint and Pango: pip install 'ladder-sheets\[pdf\]'"):
        build_report(_results(ladder, roster), ladder, tmp_path / "out", pdf=True)
    assert not (tmp_path / "out").exists()


def test_the_one_on_one_page_shows_hostile_evidence_as_text(ladder: Ladder, roster: Roster) -> None:
    """Evidence is what an SE typed: on the printable 1:1 page (scorecard and disputes) it is text, never markup."""
    person = roster.people[1]
    milestones = milestone_field(ladder)
    inputs = inputs_for(ladder, person.target_level, 3, 1, evidence=EVIL)  # 3 vs 1: every criterion in dispute
    inputs = replace(inputs, readout={**inputs.readout, milestones: EVIL})
    s = summarize(results_for(ladder, roster, {person.id: inputs}), ladder)
    row = next(r for r in s.rows if r.id == person.id)
    html = one_on_one_html(s, row)

    class Tags(HTMLParser):
        seen: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.seen.append(tag)

    tags = Tags()
    tags.feed(html)
    assert "img" not in tags.seen and EVIL not in html
    shown = html.count("&lt;img src=x onerror=alert(1)&gt;")
    assert shown == len(row.evidence) + len(row.agenda.disputes) + 1, shown  # scorecard, disputes, milestones


def test_the_packet_shows_how_the_se_s_own_manager_scores_against_self_scores(ladder: Ladder,
                                                                               roster: Roster) -> None:
    """The committee reads the habit of the SE's own manager (here a point above the SEs' own scores),
    beside the org's; another manager's habit (two points under) is not theirs."""
    results = _results(ladder, roster)
    ready = roster.people[0]
    other = next(m for m in roster.managers if m.id != ready.manager)
    scores = [trends.Scored("2026-Q4", ready.id, ready.manager, 2.0, 3.0, "a"),
              trends.Scored("2026-Q4", "someone-else", other.id, 2.0, 0.0, "a")]
    t = trends.build(trends.quarter_rows(results), scores, latest="2026-Q4", band_order=[b.name for b in ladder.bands],
                     scale_max=ladder.scale.max)
    s = summarize(results, ladder)
    row = next(r for r in s.rows if r.id == ready.id)
    html = packet_html(s, row, t)
    assert (f"Across their SEs, {row.manager_name} scores on average +1.00 per criterion against the SEs' own "
            "scores (org -0.50)") in html
