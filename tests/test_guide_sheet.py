"""The Guide sheet, as the SE reads it: whose workbook, how to fill it in, who sees what, the ladder.

Pure and in memory: the sheet is laid out for people of the example roster (moves and growing
at level, managers scoring in the workbook or in a review) and read top to bottom.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ladder_sheets.core.cells import TITLE_HEIGHT, Cell, Role, SheetLayout, height
from ladder_sheets.core.guide_sheet import WHO_SEES_WHAT, Page, guide_sheet, not_observed_text, scale_text
from ladder_sheets.core.model import Ladder, Person, Roster, Rubric
from tests.support.results import find_person

DUE = date(2026, 12, 20)


def _guide(ladder: Ladder, roster: Roster, pid: str = "tomas-novak", review: bool = False,
           person: Person | None = None) -> SheetLayout:
    return guide_sheet(ladder, roster, person or find_person(roster, pid), "2026-Q4", DUE, "v@1/layout-4", review)


def _lines(sheet: SheetLayout) -> list[tuple[int, str, str]]:
    """(row, style, text) of column A from row 13 down: the Guide's text as read."""
    return [(c.row, c.style, str(c.value)) for c in sorted(sheet.cells, key=lambda c: c.row)
            if c.column == "A" and c.row > 12]


def _texts(sheet: SheetLayout) -> list[str]:
    return [t for _, _, t in _lines(sheet)]


def _after(sheet: SheetLayout, heading: str, n: int) -> list[str]:
    texts = _texts(sheet)
    i = texts.index(heading)
    return texts[i + 1:i + 1 + n]


def test_the_facts_at_the_top_say_whose_workbook_it_is(ladder: Ladder, roster: Roster) -> None:
    sheet = _guide(ladder, roster)
    assert sheet.title == "Guide"
    assert (sheet.cells[0].ref, sheet.cells[0].value, sheet.cells[0].style) == (
        "A1", "Sales Engineering Career Ladder: 2026-Q4 workbook", "title")
    facts = [(c.row, c.value, c.role) for c in sheet.cells if c.column == "A" and 2 < c.row < 13]
    values = {c.row: c for c in sheet.cells if c.column == "B" and c.row < 13}
    assert [(r, label) for r, label, _ in facts] == list(enumerate(
        ["Sales Engineer", "Person id", "Email", "Manager", "Team", "Current level", "Target level", "Quarter",
         "Due date", "Template version"], start=3))
    assert all(role is Role.LABEL for _, _, role in facts)
    assert {c.style for c in sheet.cells if c.column == "A" and 2 < c.row < 13} == {"label"}
    assert [(values[r].value, values[r].key) for r in range(3, 13)] == [
        ("Tomáš Novák", "meta.person_name"), ("tomas-novak", "meta.person_id"),
        ("tomas.novak@apex-cloud.example", "meta.email"),
        ("Amara Okafor <amara.okafor@apex-cloud.example>", "meta.manager"), ("Enterprise East", "meta.team"),
        ("Core SE", "meta.level"), ("Senior SE", "meta.target_level"), ("2026-Q4", "meta.quarter"),
        ("2026-12-20", "meta.due"), ("v@1/layout-4", "meta.template_version")]
    assert all(values[r].role is Role.META and values[r].style == "text" for r in range(3, 13))
    assert all(c.role is not Role.INPUT for c in sheet.cells)  # nothing on the Guide is typed in
    assert {c.role for c in sheet.cells if c.column != "B" or c.row > 12} == {Role.LABEL}
    assert dict(sheet.widths) == {"A": 22, "B": 50, "C": 50} and sheet.heights[1] == TITLE_HEIGHT
    assert _lines(sheet)[0][:2] == (14, "heading")  # a blank row under the facts


def test_how_to_fill_in_for_an_se_asking_for_a_move(ladder: Ladder, roster: Roster) -> None:
    sheet = _guide(ladder, roster)
    assert _after(sheet, "How to fill in", 8) == [
        "Yellow cells are typed in: most are yours; on the Scorecard, the Manager and Manager's comment columns "
        "are for Amara Okafor. Grey cells are calculated, everything else is fixed, and all of it is protected.",
        "1. Scorecard: score yourself on every criterion in the Self column and note your evidence (up to 5,000 "
        "characters; the row grows as you type).",
        "2. Impact metrics: enter this quarter's actual for each metric.",
        "3. Pivot matrix: rate your interest in each pivot, whether you show its readiness signal and your progress "
        "on its gap; choose your track preference. Needed only when you ask for a move this quarter; invited "
        "otherwise.",
        "4. Promotion read-out: are you asking for a new role or title this quarter (choose Yes at its foot when you "
        "ask)? Then fill in the inputs and your talk track assembles itself; otherwise it is optional.",
        "When you are done, save the workbook and return it to amara.okafor@apex-cloud.example by 2026-12-20.",
        f"Scale: {scale_text(ladder)}. {not_observed_text(ladder)}",
        "Readiness bands: Ready from 85% · Close from 65% · Developing from 0%"]
    assert _after(sheet, "Readiness bands: Ready from 85% · Close from 65% · Developing from 0%", 1) == [
        "Must-have criteria (marked on the Scorecard) must reach their minimum score: under it, each caps the band "
        "at the one shown beside its minimum, and points alone cannot make up for it."]
    styles = {t: s for _, s, t in _lines(sheet)}
    assert styles["How to fill in"] == "heading"
    assert styles[_after(sheet, "How to fill in", 6)[5]] == "label"  # where to return it stands out


def test_scale_and_not_observed_as_said_on_the_guide_and_scorecard(ladder: Ladder) -> None:
    assert scale_text(ladder) == "0 = Never · 1 = Occasionally · 2 = Usually · 3 = Consistently"
    assert not_observed_text(ladder) == (
        "n/o = not observed yet: there was no chance to show it this quarter (offered on some criteria only). It is "
        "left out of readiness; a band needs 75% of the scorecard's weight observed.")
    other = replace(ladder, not_observed=replace(ladder.not_observed, label="na", min_share=0.6))
    assert not_observed_text(other).startswith("na = not observed yet")
    assert "a band needs 60% of" in not_observed_text(other)


def test_in_review_the_manager_scores_elsewhere(ladder: Ladder, roster: Roster) -> None:
    sheet = _guide(ladder, roster, review=True)
    assert _after(sheet, "How to fill in", 1) == [
        "Yellow cells are yours to type in. On the Scorecard, the Manager columns stay locked: Amara Okafor scores "
        "you in their own review workbook, and the scores come together when both are returned. Grey cells are "
        "calculated, everything else is fixed, and all of it is protected."]
    table = {c.ref: c.value for c in sheet.cells if c.style in ("header", "wrap") and c.row < 40}
    assert "Nothing here: they score you in their own review workbook" in table.values()


def test_who_fills_which_column(ladder: Ladder, roster: Roster) -> None:
    sheet = _guide(ladder, roster)
    head = next(r for r, _, t in _lines(sheet) if t == "Who fills which column")
    rows = [[next(c for c in sheet.cells if c.ref == f"{col}{r}") for col in "ABC"] for r in range(head + 1, head + 6)]
    assert [[c.value for c in row] for row in rows] == [
        ["Sheet", "You fill (yellow)", "Your manager fills (yellow, manager only)"],
        ["Scorecard", "Self (0-3 per criterion) and Evidence (yours)", "Manager (0-3) and Manager's comment"],
        ["Impact metrics", "Actual and Notes", "—"],
        ["Pivot matrix", "Interest, Signal present?, Gap progress and your track preference", "—"],
        ["Promotion read-out", "Your answer to every input", "—"]]
    assert [c.style for c in rows[0]] == ["header"] * 3 and all(c.style == "wrap" for row in rows[1:] for c in row)
    assert sheet.heights[head + 1] == height([(str(c.value), sheet.widths[c.column]) for c in rows[0]], bold=True)
    assert sheet.heights[head + 4] == height([(str(c.value), sheet.widths[c.column]) for c in rows[3]])
    assert not any(f"A{r}:C{r}" in sheet.merges for r in range(head + 1, head + 6))  # a table is not merged
    # A move no metric applies to has nothing to fill on the metrics sheet, and says so.
    kenji = _guide(ladder, roster, "kenji-watanabe")
    assert "Nothing this quarter" in [c.value for c in kenji.cells]
    assert _after(kenji, "How to fill in", 3)[2] == (
        "2. Impact metrics: nothing to fill in this quarter (no metric applies to your move).")


def test_growing_at_level_the_pivots_and_read_out_are_optional(ladder: Ladder, roster: Roster) -> None:
    steps = _after(_guide(ladder, roster, "kenji-watanabe"), "How to fill in", 5)[3:]
    assert steps == [
        "3. Pivot matrix: rate your interest in each pivot, whether you show its readiness signal and your progress "
        "on its gap; choose your track preference. Optional, and worth a look every quarter.",
        "4. Promotion read-out: optional; fill in the inputs before your career 1-on-1 and your talk track "
        "assembles itself."]
    set_by_roster = replace(find_person(roster, "tomas-novak"), asking_for_move=False)
    step4 = _after(_guide(ladder, roster, person=set_by_roster), "How to fill in", 5)[4]
    assert "(your manager has it set for this quarter)" in step4


def test_where_to_return_it_follows_the_roster(ladder: Ladder, roster: Roster) -> None:
    person = find_person(roster, "tomas-novak")
    managers = tuple(replace(m, return_to="ops@apex-cloud.example") if m.id == person.manager else m
                     for m in roster.managers)
    sheet = _guide(ladder, replace(roster, managers=managers))
    assert _after(sheet, "How to fill in", 6)[5] == (
        "When you are done, save the workbook and return it to ops@apex-cloud.example by 2026-12-20.")


def test_a_rubric_without_must_haves_or_not_observed_says_neither(ladder: Ladder, roster: Roster) -> None:
    plain = tuple(replace(c, floor=None, caps="", allow_not_observed=False) for c in ladder.rubric_for("senior").criteria)
    bare = replace(ladder, rubrics={**ladder.rubrics, "senior": Rubric("senior", "Bare", plain)})
    texts = _texts(_guide(bare, roster))
    assert f"Scale: {scale_text(ladder)}" in texts
    assert not any(t.startswith("Must-have criteria") for t in texts)
    i = texts.index("Readiness bands: Ready from 85% · Close from 65% · Developing from 0%")
    assert texts[i + 1] == "Who fills which column"


def test_who_sees_what_and_quick_wins(ladder: Ladder, roster: Roster) -> None:
    sheet = _guide(ladder, roster)
    assert _after(sheet, "Who sees what", 1) == [WHO_SEES_WHAT]
    assert "unless you choose Yes to sharing them on the Pivot matrix" in WHO_SEES_WHAT
    assert _after(sheet, "Quick wins this week", len(ladder.quick_wins)) == [f"• {w}" for w in ladder.quick_wins]
    none = _texts(_guide(replace(ladder, quick_wins=()), roster))
    assert "Quick wins this week" not in none
    assert none[none.index(WHO_SEES_WHAT) + 1] == "The four stages of SE mastery"


def test_the_ladder_with_this_se_s_level_and_target_marked(ladder: Ladder, roster: Roster) -> None:
    sheet = _guide(ladder, roster)
    stages = _after(sheet, "The four stages of SE mastery", len(ladder.levels))
    marks = [" (your level)" if lv.id == "core" else " (your target)" if lv.id == "senior" else ""
             for lv in ladder.levels]
    assert stages == [f"{lv.name}{mark}: {lv.summary} Radius of impact: {lv.radius_of_impact}"
                      for lv, mark in zip(ladder.levels, marks)]
    focus = [lv for lv in ladder.levels if lv.deal_focus]
    head = next(r for r, _, t in _lines(sheet) if t.startswith("Deal focus and organisational impact"))
    table = [[next(c.value for c in sheet.cells if c.ref == f"{col}{r}") for col in "ABC"]
             for r in range(head + 1, head + 2 + len(focus))]
    assert table == [["Level", "Deal focus", "Organisational impact"]] + [
        [lv.name, lv.deal_focus, lv.organisational_impact] for lv in focus]
    assert _after(sheet, "Non-technical skill groups", len(ladder.skill_groups)) == [
        f"{g.name}: {g.description}" for g in ladder.skill_groups]
    assert _lines(sheet)[-1][2] == f"{ladder.skill_groups[-1].name}: {ladder.skill_groups[-1].description}"
    # Growing at level: the level is marked, no target.
    kenji = _after(_guide(ladder, roster, "kenji-watanabe"), "The four stages of SE mastery", 2)
    assert kenji[0].startswith("Core SE (your level): ") and kenji[1].startswith("Senior SE: ")
    # No level with a deal focus: no table, nor its heading.
    plain = replace(ladder, levels=tuple(replace(lv, deal_focus="") for lv in ladder.levels))
    assert not any(t.startswith("Deal focus") for t in _texts(_guide(plain, roster)))


def test_by_default_the_manager_scores_in_the_workbook(ladder: Ladder, roster: Roster) -> None:
    person = find_person(roster, "tomas-novak")
    plain = guide_sheet(ladder, roster, person, "2026-Q4", DUE, "v@1/layout-4")
    assert plain == _guide(ladder, roster) != _guide(ladder, roster, review=True)


def test_metrics_that_apply_at_the_current_level_only_are_still_to_fill(ladder: Ladder, roster: Roster) -> None:
    metric = replace(ladder.metrics[0], levels=("core",), targets=())
    sheet = _guide(replace(ladder, metrics=(metric,)), roster)  # Tomáš: Core SE toward Senior SE
    assert _after(sheet, "How to fill in", 3)[2] == "2. Impact metrics: enter this quarter's actual for each metric."
    assert "Actual and Notes" in [c.value for c in sheet.cells]


@pytest.mark.parametrize("pid", ["tomas-novak", "kenji-watanabe"])
def test_every_paragraph_spans_the_page_and_rows_leave_a_gap_between_sections(ladder: Ladder, roster: Roster,
                                                                              pid: str) -> None:
    sheet = _guide(ladder, roster, pid)
    span = sum(sheet.widths.values())
    tables = set()
    for r, style, text in _lines(sheet):
        if style in ("header", "wrap"):
            tables.add(r)
            continue
        assert f"A{r}:C{r}" in sheet.merges
        assert sheet.heights[r] == height([(text, span)], bold=style == "heading"), text
    assert len(sheet.merges) == len(_lines(sheet)) - len(tables)
    assert [t for _, style, t in _lines(sheet) if style == "heading"] == [
        "How to fill in", "Who fills which column", "Who sees what", "Quick wins this week",
        "The four stages of SE mastery", "Deal focus and organisational impact: what each level sounds like",
        "Non-technical skill groups"]
    assert {style for _, style, _ in _lines(sheet)} == {"heading", "paragraph", "label", "header", "wrap"}
    rows = [c.row for c in sheet.cells if c.column == "A"]
    headings = [r for r, s, _ in _lines(sheet) if s == "heading"]
    assert all(r - 1 not in rows and r - 2 in rows for r in headings)  # one blank row above each heading
    assert all(b - a == 1 for a, b in zip(rows[1:], rows[2:]) if b not in headings)  # from the facts on


def test_a_page_writes_down_from_row_3(ladder: Ladder) -> None:
    page = Page(widths={"A": 10, "B": 10, "C": 10}, heights={}, cells=[])
    page.paragraph("Hello world", "heading")
    page.table([("a", "b", "c"), ("d", "e", "a longer text than the column")])
    assert [(c.ref, c.value, c.style) for c in page.cells] == [
        ("A3", "Hello world", "heading"), ("A4", "a", "header"), ("B4", "b", "header"), ("C4", "c", "header"),
        ("A5", "d", "wrap"), ("B5", "e", "wrap"), ("C5", "a longer text than the column", "wrap")]
    assert page.merges == ["A3:C3"] and page.row == 6
    assert page.heights == {3: height([("Hello world", 30)], bold=True), 4: height([("a", 10)], bold=True),
                            5: height([("a longer text than the column", 10)])}
    assert page.heights[5] > page.heights[4]
    assert all(isinstance(c, Cell) and c.role is Role.LABEL for c in page.cells)
    plain = Page(widths={"A": 10, "B": 10, "C": 10}, heights={}, cells=[])
    plain.paragraph("x" * 26)
    plain.paragraph("x" * 26, "heading")  # bold: the same text needs a second line
    assert plain.cells[0].style == "paragraph" and plain.heights[3] == height([("x" * 26, 30)])
    assert plain.heights[4] == height([("x" * 26, 30)], bold=True) > plain.heights[3]
    assert isinstance(plain.cells[0], Cell) and plain.cells[0].role is Role.LABEL
