"""The emails as people read them: escaped, self-contained, private where they must be."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

import ladder_sheets.report.render as rendering
from ladder_sheets.core.errors import LadderSheetsError
from ladder_sheets.core.model import CriterionInput, Ladder, Roster
from ladder_sheets.core.trends import Trends
from ladder_sheets.report.render import pct, points, points_abs, render, render_within, score
from ladder_sheets.core.results import Problem
from ladder_sheets.core.summary import Summary, for_manager, summarize
from tests.support.ladders import coached
from tests.support.results import big_roster, inputs_for, results_for

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


@pytest.fixture(autouse=True)
def _fresh_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test renders as a fresh run does, building the jinja2 environment itself: one kept from an
    earlier test (or from the process a mutation run forks each mutant from) would hide how it is built."""
    monkeypatch.setattr(rendering, "_ENV", None)


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


def test_leadership_gets_no_evidence_managers_do(ladder: Ladder, roster: Roster) -> None:
    person = next(p for p in roster.people if p.manager == "mgr-amara")
    s = summarize(results_for(ladder, roster, {person.id: inputs_for(ladder, person.target_level, 3, 1,
                                                                     evidence=SECRET_EVIDENCE)}), ladder)
    for template in ("leadership_summary.html", "leadership_summary.txt"):
        assert SECRET_EVIDENCE not in render(template, s)
    manager = for_manager(s, "mgr-amara")
    assert SECRET_EVIDENCE in render("manager_summary.html", manager, manager_name="Amara Okafor")  # beside a dispute


def test_manager_summary_only_shows_their_team(summary: Summary) -> None:
    html = render("manager_summary.html", for_manager(summary, "mgr-amara"), manager_name="Amara Okafor")
    assert "Tomáš Novák" in html and "Sofia Lindqvist" not in html


def test_text_version_shows_the_numbers(summary: Summary) -> None:
    row = next(r for r in summary.rows if r.id == "tomas-novak")
    text = render("manager_summary.txt", for_manager(summary, "mgr-amara"), manager_name="Amara Okafor")
    assert f"{row.name} ({row.level} -> {row.target}): {row.manager_band}, you {pct(row.manager_pct)}, " \
           f"self {pct(row.self_pct)}, gap {points(row.gap)}" in text
    lead = render("leadership_summary.txt", summary)
    assert "SELF AND MANAGER FAR APART (20 pts or more: a disagreement to talk through, not leniency)\n- Tomáš Novák" \
        in lead

@pytest.mark.parametrize(("value", "expected"), [(0.854, "85%"), (None, "—"), (1.0, "100%")])
def test_pct(value: float | None, expected: str) -> None:
    assert pct(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(0.2, "+20 pts"), (-0.05, "−5 pts"), (0.0, "±0 pts"), (None, "—"),
                                               (0.9, "+90 pts"), (0.01, "+1 pts"), (-0.01, "−1 pts")])
def test_points(value: float | None, expected: str) -> None:
    assert points(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(0.2, "20 pts"), (0.9, "90 pts"), (0.004, "0 pts")])
def test_points_apart(value: float, expected: str) -> None:
    assert points_abs(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, "—"), (3.0, "3"), (2.5, "2.5"), (0, "0")])
def test_a_score_is_shown_as_typed(value: float | None, expected: str) -> None:
    assert score(value) == expected


def test_how_to_read_names_every_band_with_its_floor(summary: Summary) -> None:
    text = render("leadership_summary.txt", summary)
    html = render("leadership_summary.html", summary)
    (top, top_floor), (mid, mid_floor), (low, _) = summary.band_floors
    assert f"{top} {pct(top_floor)}+, {mid} {pct(mid_floor)}+, {low} below {pct(mid_floor)}, Incomplete not fully scored" \
        in text
    assert f"{round(summary.calibration_alert * 100)} pts or more either\nway: self and manager far apart" in text
    assert f">{top}</span>&nbsp;{pct(top_floor)}+" in html and f">{low}</span>&nbsp;below {pct(mid_floor)}" in html


def test_problems_reach_the_manager_in_plain_words_and_leadership_not_at_all(ladder: Ladder, roster: Roster) -> None:
    """A problem quotes what was typed (here: text in a score cell): it stays with the SE's manager,
    in words, without the file path or cell (those are for SE Ops' problems.txt)."""
    typed = "my private note typed into a score cell"
    person = next(p for p in roster.people if p.manager == "mgr-amara")
    problem = Problem(f"returned/{person.id}.xlsx", "Scorecard", "E7", "wrong_type", f"found {typed!r}, expected 0-3")
    s = summarize(results_for(ladder, roster, {person.id: inputs_for(ladder, person.target_level, 2, 2)},
                              {person.id: (problem,)}), ladder)
    for template in ("leadership_summary.html", "leadership_summary.txt"):
        out = render(template, s)
        assert typed not in out and person.name not in out  # leadership sees counts by team, not names
    mine = for_manager(s, "mgr-amara")
    for template in ("manager_summary.html", "manager_summary.txt"):
        out = render(template, mine, manager_name="Amara Okafor")
        assert f"to correct: found {typed!r}, expected 0-3".replace("'", "&#39;" if "html" in template else "'") in out
        assert "returned/" not in out and ".xlsx" not in out and "E7" not in out


def test_a_blank_workbook_is_one_line_not_a_screenful(ladder: Ladder, roster: Roster) -> None:
    from ladder_sheets.core import scoring
    from ladder_sheets.core.model import CriterionInput, Inputs, MetricInput, PivotInput
    from ladder_sheets.core.results import Status

    person = next(p for p in roster.people if p.manager == "mgr-amara")
    rubric = ladder.rubric_for(person.target_level)
    blank = Inputs(criteria={c.id: CriterionInput() for c in rubric.criteria},
                   metrics={m.id: MetricInput() for m in ladder.metrics},
                   pivots={p.id: PivotInput() for p in ladder.pivots}, readout={f.id: None for f in ladder.readout.fields})
    results = results_for(ladder, roster, {})
    people = tuple(replace(p, status=Status.INCOMPLETE, file="a.xlsx", inputs=blank,
                           scores=scoring.score(ladder, rubric, blank)) if p.person.id == person.id else p
                   for p in results.people)
    s = for_manager(summarize(replace(results, people=people), ladder), "mgr-amara")
    text = render("manager_summary.txt", s, manager_name="Amara Okafor")
    block = text.split(f"\n{person.name} (")[1].split("\n\n")[0]
    assert "Returned blank: nothing filled in yet." in block
    assert len(block.splitlines()) <= 3  # the name line, "returned blank", and what the manager has to score


def test_the_managers_headline_comes_first(ladder: Ladder, roster: Roster) -> None:
    mine = [p for p in roster.people if p.manager == "mgr-amara"]
    s = for_manager(summarize(results_for(ladder, roster, {mine[0].id: inputs_for(ladder, mine[0].target_level, 2, None)}),
                              ladder), "mgr-amara")
    n = len(ladder.rubric_for(mine[0].target_level).criteria)
    text = render("manager_summary.txt", s, manager_name="Amara Okafor")
    assert text.splitlines()[3] == f"1 of {len(mine)} returned, 0 complete. You still have to score {n} criteria for 1 SE."
    html = render("manager_summary.html", s, manager_name="Amara Okafor")
    assert html.index("You still have to score") < html.index("Your 1:1 agenda") < html.index(mine[0].name)
    assert "manager — —" not in html and "— —" not in text


def test_a_band_held_below_its_points_says_why_wherever_it_is_shown(summary: Summary) -> None:
    why = "Ready on points, held at Close: Identifies and engages the Economic Buyer scored 0"
    rows = tuple(replace(r, manager_hold=why) if r.id == "tomas-novak" else r for r in summary.rows)
    mine = for_manager(replace(summary, rows=rows, by_manager={}), "mgr-amara")
    assert why in render("manager_summary.html", mine, manager_name="Amara Okafor")
    assert why in render("manager_summary.txt", mine, manager_name="Amara Okafor")


def test_coaching_questions_come_from_the_ladder(ladder: Ladder, roster: Roster) -> None:
    lad = coached(ladder)
    person = next(p for p in roster.people if p.target_level == "senior")
    s = summarize(results_for(lad, roster, {person.id: inputs_for(lad, "senior", 1, 1)}), lad)
    mine = for_manager(s, person.manager)
    row = next(r for r in mine.rows if r.id == person.id)
    questions = [f.question for f in row.agenda.priorities if f.question]
    assert len(row.agenda.priorities) == 3 and len(questions) >= 2  # SR-01 has no question of its own nor a group
    for template in ("manager_summary.html", "manager_summary.txt"):
        out = render(template, mine, manager_name="M")
        assert all(f"Ask: {q}" in out for q in questions)


def _org(ladder: Ladder, roster: Roster, people: int, teams: int, returned: int | None = None) -> Summary:
    big = big_roster(roster, people, teams)
    ready = len(big.people) if returned is None else returned
    inputs = {p.id: inputs_for(ladder, p.target_level, 3 if i % 4 else 1, 3 if i % 5 else 1, evidence=SECRET_EVIDENCE,
                               actual=0.0 if i % 7 == 0 else 5.0)
              for i, p in enumerate(big.people[:ready])}
    # Everyone returned has been in the top band, where they are, two quarters running.
    return summarize(results_for(ladder, big, inputs), ladder, streaks={p.id: 2 for p in big.people[:ready]})


def test_the_leadership_email_stays_small_at_any_size(ladder: Ladder, roster: Roster) -> None:
    """Gmail clips HTML bodies over ~102 KB; names are capped, teams too, and nothing grows per SE or manager."""
    sizes = {}
    for people, teams in ((40, 4), (2000, 80)):
        s = _org(ladder, roster, people, teams, returned=people * 9 // 10)
        html = render("leadership_summary.html", s)
        sizes[people] = len(html.encode("utf-8"))
        assert SECRET_EVIDENCE not in html and "SE 1999" not in html
    assert sizes[2000] < 100 * 1024 and sizes[2000] < 3 * sizes[40]
    text = render("leadership_summary.txt", s)
    assert "more candidates in summary.xlsx" in text and "more teams in summary.xlsx" in text


def test_the_leadership_emails_held_back_list_names_ten_and_counts_the_rest(ladder: Ladder, roster: Roster) -> None:
    """13 SEs Ready on points but held by a must-have the manager scored 0: ten are named (highest readiness,
    then by name), the other three counted, in the HTML and the text version alike."""
    big = big_roster(roster, 13, 2)
    target = big.people[0].target_level
    must = next(c for c in ladder.rubric_for(target).criteria if c.floor)
    base = inputs_for(ladder, target, 3, 3)
    held = replace(base, criteria={**base.criteria, must.id: CriterionInput(3.0, 0.0, "Led the Acme POC")})
    s = summarize(results_for(ladder, big, {p.id: held for p in big.people}), ladder)
    assert sum(1 for r in s.rows if r.manager_hold) == 13
    shown = sorted(r.name for r in s.rows)[:10]
    html = render("leadership_summary.html", s)
    section = html.split("Held back by a must-have criterion</h2>")[1].split("<h2")[0]
    assert re.findall(r"<strong>(SE \d+)</strong>", section) == shown
    assert "… and 3 more held back in summary.xlsx." in section
    text = render("leadership_summary.txt", s)
    lines = text.split("HELD BACK BY A MUST-HAVE CRITERION\n")[1].split("OUTSTANDING SHEETS")[0].splitlines()
    assert [line.split(" (")[0] for line in lines if line.startswith("- ")] == [f"- {name}" for name in shown]
    assert "... and 3 more held back in summary.xlsx." in lines


def test_leadership_quotes_read_outs_only_of_candidates_and_only_when_allowed(ladder: Ladder, roster: Roster) -> None:
    s = _org(ladder, roster, 12, 2)
    candidate = s.candidates[0]
    other = next(r for r in s.rows if r.manager_band != s.top_band and r.readout)
    distinct = {r.id: replace(r, readout=f"read-out of {r.name}") for r in s.rows}
    s = replace(s, rows=tuple(distinct.values()), candidates=tuple(distinct[r.id] for r in s.candidates))
    for template in ("leadership_summary.html", "leadership_summary.txt"):
        assert f"read-out of {candidate.name}" in render(template, s)
        assert f"read-out of {other.name}" not in render(template, s)
        assert "read-out of" not in render(template, s, leadership_text="none")


def test_leadership_headline_is_the_first_thing_and_empty_states_are_honest(ladder: Ladder, roster: Roster) -> None:
    nothing = summarize(results_for(ladder, roster, {}), ladder)
    text = render("leadership_summary.txt", nothing)
    assert text.splitlines()[3] == f"Nothing reported yet: none of the {len(roster.people)} workbooks has come back."
    assert "No metrics reported yet." in text and "meets every benchmark" not in text
    assert "Nobody who reported" not in text and "None yet: no workbook has come back." in text
    some = _org(ladder, roster, 40, 4)
    line = render("leadership_summary.txt", some).splitlines()[3]
    assert line == (f"{len(some.ready)} {some.top_band} now, {len(some.candidates)} of them promotion candidates "
                    f"({some.top_band} 2+ quarters running) · {len(some.attention)} sheets outstanding · "
                    "0 manager views flagged in calibration.")
    rubric = some.org.rubrics[0]
    assert render("leadership_summary.txt", some).splitlines()[4] == (
        f"Average manager readiness, within each rubric: {rubric.title} {pct(rubric.avg)} (n {rubric.n}).")
    html = render("leadership_summary.html", some)
    assert html.index('id="headline"') < html.index("<h2")


def test_the_text_version_puts_every_entry_on_its_own_line(ladder: Ladder, roster: Roster) -> None:
    s = _org(ladder, roster, 60, 6, returned=40)
    text = render("leadership_summary.txt", s)
    outstanding = text.split("OUTSTANDING SHEETS\n")[1].split("\n\n")[0].splitlines()
    assert outstanding[0].startswith("20 of 60 not complete") and len(outstanding) == 1 + 6
    assert all(line.startswith("- Team ") for line in outstanding[1:])
    for line in text.splitlines():
        assert line.count(" - ") == 0 and line.count("- ") <= 1, line


def test_a_very_large_teams_agenda_goes_compact_to_arrive_whole(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Gmail clips HTML bodies over ~102 KB: past the budget each question is written once, evidence stays home."""
    from ladder_sheets.workflows.report import build_report
    lad = coached(ladder)
    base = next(p for p in roster.people if p.target_level == "senior")
    people = tuple(replace(base, id=f"se-{i}", email=f"se{i}@x.example", name=f"Sales Engineer {i}") for i in range(48))
    evidence = "Ran the Acme Corporation POC end to end with the CTO and two architects, then wrote the battlecard"
    inputs = {p.id: inputs_for(lad, "senior", 3 if i % 2 else 0, 1, evidence=evidence) for i, p in enumerate(people)}
    full = render("manager_summary.html", for_manager(summarize(results_for(lad, replace(roster, people=people), inputs),
                                                                lad), base.manager), manager_name="M")
    assert len(full.encode("utf-8")) > 95 * 1024  # the case at hand
    build_report(results_for(lad, replace(roster, people=people), inputs), lad, tmp_path)
    html = (tmp_path / f"manager-{base.manager}.html").read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) < 100 * 1024 and "Ask: as above." in html and evidence not in html
    assert all(f"Sales Engineer {i}</h3>" in html for i in range(48))  # nobody left out


def test_a_render_within_a_budget_is_the_render_or_nothing(ladder: Ladder, roster: Roster) -> None:
    """Up to the budget's last byte (UTF-8, so the em dashes count three) the email is the whole render; one byte
    over, there is none."""
    s = for_manager(summarize(results_for(ladder, roster, {}), ladder), "mgr-amara")
    full = render("manager_summary.html", s, manager_name="Amara Okafor")
    size = len(full.encode("utf-8"))
    assert size > len(full)  # non-ASCII text is counted in bytes
    assert render_within(size, "manager_summary.html", s, manager_name="Amara Okafor") == full
    assert render_within(size - 1, "manager_summary.html", s, manager_name="Amara Okafor") is None


def test_bands_are_shown_in_their_colours_and_incomplete_in_grey(ladder: Ladder, roster: Roster) -> None:
    mine = [p for p in roster.people if p.manager == "mgr-amara"]
    top = inputs_for(ladder, mine[0].target_level, 3, 3)
    s = for_manager(summarize(results_for(ladder, roster, {mine[0].id: top}), ladder), "mgr-amara")
    html = render("manager_summary.html", s, manager_name="Amara Okafor")
    chip = "padding:1px 7px;border-radius:9px;font-size:12px;white-space:nowrap;\">"
    assert f"background:#C6EFCE;color:#006100;{chip}{s.band_names[0]}</span>" in html  # the top band, green
    assert f"background:#EDEDED;color:#404040;{chip}Incomplete</span>" in html  # those not returned


def test_the_managers_email_shows_readiness_over_the_quarters_stored(ladder: Ladder, roster: Roster) -> None:
    mine = [p for p in roster.people if p.manager == "mgr-amara"]
    s = for_manager(summarize(results_for(ladder, roster, {mine[0].id: inputs_for(ladder, mine[0].target_level, 3, 3)}),
                              ladder), "mgr-amara")
    t = Trends(quarters=("2026-Q3", s.quarter), readiness={mine[0].id: [("2026-Q3", 0.5), (s.quarter, 1.0)]},
               streaks={mine[0].id: 1}, teams={}, moves={mine[0].id: 1}, raters=[], org_gap=None)
    html = render("manager_summary.html", s, t, manager_name="Amara Okafor")
    assert "Manager readiness over quarters" in html
    row = html.split(f"<strong>{mine[0].name}</strong></td>", 2)[-1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:3]] == ["50%", "100%", "1 ▲"]
    assert "Manager readiness over quarters" not in render("manager_summary.html", s, manager_name="Amara Okafor")


def test_a_template_that_fails_is_named_in_the_error(summary: Summary) -> None:
    with pytest.raises(LadderSheetsError) as caught:
        render("no_such_summary.html", summary)
    assert str(caught.value).startswith("templates/no_such_summary.html: 'no_such_summary.html' not found")


def test_a_text_email_ends_with_its_last_line_break(summary: Summary) -> None:
    for template in ("leadership_summary.txt", "manager_summary.txt"):
        text = render(template, for_manager(summary, "mgr-amara") if "manager" in template else summary,
                      manager_name="Amara Okafor")
        assert text.endswith("\n"), template
        assert not text.endswith("\n\n\n"), template


def test_a_template_given_too_little_fails_naming_what_is_missing(summary: Summary) -> None:
    """Never an email with a blank where a name or date should be."""
    with pytest.raises(LadderSheetsError) as caught:
        render("handout.html", summary)  # a hand-out needs the quarter, the link or attachment, ...
    assert str(caught.value) == "templates/handout.html: 'quarter' is undefined"  # the first one it prints
