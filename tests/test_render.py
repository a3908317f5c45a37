"""The emails as people read them: escaped, self-contained, private where they must be."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.report.render import pct, points, render
from ladder_sheets.core.results import Problem
from ladder_sheets.core.summary import Summary, for_manager, summarize
from tests.support.results import inputs_for, results_for

EVIL = '<script>alert("x")</script>=HYPERLINK("http://evil.example")'
SECRET_EVIDENCE = "Closed Initech with a custom SSO bridge"
VOID = {"meta", "br", "img", "hr", "input", "link"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def summary(ladder: Ladder, roster: Roster) -> Summary:
    evil_person = replace(roster.people[0], name=EVIL)
    roster = replace(roster, people=(evil_person, *roster.people[1:]))
    inputs = {p.id: inputs_for(ladder, p.target_level, 3, 3, evidence=SECRET_EVIDENCE) for p in roster.people[:6]}
    inputs[roster.people[1].id] = inputs_for(ladder, roster.people[1].target_level, 1, 3, evidence=EVIL)
    return summarize(results_for(ladder, roster, inputs), ladder)


@pytest.mark.parametrize("template", ["manager_summary.html", "leadership_summary.html"])
def test_html_is_escaped_balanced_and_self_contained(template: str, summary: Summary) -> None:
    html = render(template, for_manager(summary, "mgr-amara") if "manager" in template else summary,
                  manager_name="Amara Okafor")
    assert "<script>" not in html and "&lt;script&gt;" in html
    checker = _Balance()
    checker.feed(html)
    assert checker.errors == [] and checker.stack == [] and checker.scripts == 0
    # Nothing that needs the internet: no remote images, fonts, styles or scripts.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"url\(|@import|<link", html, re.I)


def test_leadership_gets_no_evidence_managers_do(summary: Summary) -> None:
    for template in ("leadership_summary.html", "leadership_summary.txt"):
        assert SECRET_EVIDENCE not in render(template, summary)
    manager = for_manager(summary, "mgr-amara")
    assert SECRET_EVIDENCE in render("manager_summary.html", manager, manager_name="Amara Okafor")
    assert SECRET_EVIDENCE in render("manager_summary.txt", manager, manager_name="Amara Okafor")


def test_manager_summary_only_shows_their_team(summary: Summary) -> None:
    html = render("manager_summary.html", for_manager(summary, "mgr-amara"), manager_name="Amara Okafor")
    assert "Tomáš Novák" in html and "Sofia Lindqvist" not in html


def test_text_version_shows_the_numbers(summary: Summary) -> None:
    text = render("leadership_summary.txt", summary)
    row = next(r for r in summary.rows if r.id == "tomas-novak")
    assert f"self {pct(row.self_pct)}, manager {pct(row.manager_pct)}, gap {points(row.gap)}" in text
    assert "CALIBRATION OUTLIERS\n- Tomáš Novák" in text


@pytest.mark.parametrize(("value", "expected"), [(0.854, "85%"), (None, "—"), (1.0, "100%")])
def test_pct(value: float | None, expected: str) -> None:
    assert pct(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(0.2, "+20 pts"), (-0.05, "−5 pts"), (0.0, "±0 pts"), (None, "—")])
def test_points(value: float | None, expected: str) -> None:
    assert points(value) == expected


def test_how_to_read_names_every_band_with_its_floor(summary: Summary) -> None:
    text = render("leadership_summary.txt", summary)
    html = render("leadership_summary.html", summary)
    (top, top_floor), (mid, mid_floor), (low, _) = summary.band_floors
    assert f"{top} {pct(top_floor)}+, {mid} {pct(mid_floor)}+, {low} below {pct(mid_floor)}, Incomplete not fully scored" \
        in text
    assert f"{round(summary.calibration_alert * 100)} pts or more either way is a calibration outlier" in text
    assert f">{top}</span>&nbsp;{pct(top_floor)}+" in html and f">{low}</span>&nbsp;below {pct(mid_floor)}" in html


def test_problem_lines_go_to_the_manager_never_to_leadership(ladder: Ladder, roster: Roster) -> None:
    """A problem quotes what was typed (here: text in a score cell): it stays with the SE's manager."""
    typed = "my private note typed into a score cell"
    person = next(p for p in roster.people if p.manager == "mgr-amara")
    problem = Problem(f"{person.id}.xlsx", "Scorecard", "E7", "wrong_type", f"found {typed!r}, expected 0-3")
    s = summarize(results_for(ladder, roster, {person.id: inputs_for(ladder, person.target_level, 2, 2)},
                              {person.id: (problem,)}), ladder)
    for template, name in (("leadership_summary.html", f"{person.name}</strong>"), ("leadership_summary.txt", person.name)):
        out = render(template, s)
        assert typed not in out and f"{name} (Amara Okafor): invalid" in out
    mine = for_manager(s, "mgr-amara")
    assert str(problem) in render("manager_summary.txt", mine, manager_name="Amara Okafor")
    assert typed in render("manager_summary.html", mine, manager_name="Amara Okafor")


def test_a_fifteen_se_team_email_stays_under_gmails_clipping_size(ladder: Ladder, roster: Roster) -> None:
    """Gmail clips HTML bodies over ~102 KB, hiding the end of the summary behind a link."""
    base = roster.people[0]
    people = tuple(replace(base, id=f"se-{i}", email=f"se{i}@x.example", name=f"Sales Engineer {i}") for i in range(15))
    team = replace(roster, people=people)
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 3, evidence="Ran the Acme POC end to end with the CTO")
              for p in people}
    summary = for_manager(summarize(results_for(ladder, team, inputs), ladder), base.manager)
    html = render("manager_summary.html", summary, manager_name="Amara Okafor")
    assert len(html.encode("utf-8")) < 102 * 1024
    assert html.count("Ran the Acme POC end to end with the CTO") == 15 * len(ladder.rubric_for(base.target_level).criteria)


def test_a_large_org_is_listed_in_the_attachment_not_the_email(ladder: Ladder, roster: Roster) -> None:
    from ladder_sheets.report.render import LEADERSHIP_LISTS_UP_TO

    base = roster.people[0]
    n = LEADERSHIP_LISTS_UP_TO + 1
    people = tuple(replace(base, id=f"se-{i}", email=f"se{i}@x.example", name=f"Sales Engineer {i}") for i in range(n))
    big = summarize(results_for(ladder, replace(roster, people=people),
                                {p.id: inputs_for(ladder, p.target_level, 2, 2) for p in people}), ladder)
    for template in ("leadership_summary.html", "leadership_summary.txt"):
        out = render(template, big)
        assert f"All {n} SEs are in the attached summary.xlsx" in out and "Sales Engineer 37" not in out
    small = summarize(results_for(ladder, roster, {}), ladder)
    assert "attached summary.xlsx" not in render("leadership_summary.html", small)
