"""Private career interests: leadership sees an SE's pivot interest and track preference by name only
when the SE chooses to share them; otherwise only counts across the organisation, and no count small
enough to give someone's answer away. Managers see everything; the Guide says who sees what.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl

from ladder_sheets.core import layout
from ladder_sheets.core.cells import GUIDE, PIVOTS, SHARE, Role
from ladder_sheets.core.inputs import parse_inputs
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.rollups import PRIVATE_FLOOR
from ladder_sheets.core.summary import summarize
from ladder_sheets.workflows.report import build_report
from tests.support.results import inputs_for, results_for


def _report(ladder: Ladder, roster: Roster, out: Path, sharing: set[str]) -> dict[str, Path]:
    inputs = {p.id: replace(inputs_for(ladder, p.target_level, 3, 3), track_preference=ladder.track_options[i % 2],
                            share_career_interests=p.id in sharing)
              for i, p in enumerate(roster.people)}
    results = results_for(ladder, roster, inputs)
    return {f.name: f for f in build_report(results, ladder, out, leadership=roster.leadership, org=roster.org)}


def test_the_pivot_matrix_asks_and_collect_reads_the_answer(ladder: Ladder, roster: Roster) -> None:
    wl = layout.build(ladder, roster, roster.people[0], "2026-Q4", date(2026, 12, 7))
    sheet, cell = wl.by_key()[SHARE]
    assert (sheet.title, cell.role) == (PIVOTS, Role.INPUT) and cell.validation is not None
    blank = {c.key: None for _, c in wl.cells(Role.INPUT)}
    for typed, shares in ((None, False), ("No", False), ("yes", True)):
        parsed = parse_inputs(ladder, wl, {**blank, SHARE: typed}, "x.xlsx")
        assert parsed.inputs.share_career_interests is shares


def test_leadership_files_name_only_who_shares_and_count_everyone(ladder: Ladder, roster: Roster,
                                                                   tmp_path: Path) -> None:
    sharer, *private = roster.people
    files = _report(ladder, roster, tmp_path, {sharer.id})
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["results.csv"].read_text(encoding="utf-8-sig")))}
    assert (rows[sharer.id]["track_preference"], rows[sharer.id]["career_interests_shared"]) == (
        ladder.track_options[0], "yes")
    assert rows[sharer.id]["top_pivot_interest"]
    for p in private:
        assert (rows[p.id]["track_preference"], rows[p.id]["top_pivot_interest"],
                rows[p.id]["career_interests_shared"]) == ("", "", "no")
    ses = openpyxl.load_workbook(files["summary.xlsx"])["SEs"]
    shown = {ses.cell(i, 1).value: (ses.cell(i, 13).value, ses.cell(i, 14).value) for i in range(2, ses.max_row + 1)}
    assert shown[sharer.name][1] == ladder.track_options[0]
    assert all(shown[p.name] == ("not shared", "not shared") for p in private)
    leadership = " ".join(files["leadership.txt"].read_text(encoding="utf-8").split())
    n = len(roster.people)
    first, second = ladder.track_options[:2]
    assert (f"Track preference: {first} {(n + 1) // 2} · {second} {n // 2}" in leadership
            and f"1 of {n} who answered share theirs by name." in leadership)
    # The manager's own email still shows every SE's track preference.
    manager = roster.manager_of(private[0])
    assert f"track {ladder.track_options[1]}" in files[f"manager-{manager.id}.txt"].read_text(encoding="utf-8")


def test_no_count_is_shown_that_would_give_one_or_two_answers_away(ladder: Ladder, roster: Roster) -> None:
    for private in range(0, len(roster.people) + 1):
        keep = {p.id for p in roster.people[:private]}
        inputs = {p.id: replace(inputs_for(ladder, p.target_level, 3, 3), share_career_interests=p.id not in keep)
                  for p in roster.people}
        interests = summarize(results_for(ladder, roster, inputs), ladder).interests
        assert interests.private == private
        assert bool(interests.line) is (private == 0 or private >= PRIVATE_FLOOR), private


def test_the_guide_says_who_sees_what(ladder: Ladder, roster: Roster) -> None:
    wl = layout.build(ladder, roster, roster.people[0], "2026-Q4", date(2026, 12, 7))
    guide = next(s for s in wl.sheets if s.title == GUIDE)
    texts = [str(c.value) for c in guide.cells if isinstance(c.value, str)]
    at = texts.index("Who sees what")
    assert texts[at + 1] == (
        "Your manager sees everything in this workbook. Leadership sees your scores, band and metrics, and your "
        "pivot interest and track preference only as counts across the organisation, unless you choose Yes to "
        "sharing them on the Pivot matrix. SE Ops, who run the process, handle the returned file.")
