"""A manager's review filled and edited in LibreOffice as a manager would: collect gives Calc's own numbers.

One review, typed through UNO (tests/support/calc.py), then edited: a column inserted on one
SE's sheet, the criteria sorted on another, a third sheet renamed; saved as .xlsx and as .ods.
The readiness and band each sheet shows (its defined names, as Calc calculates them) are what
collect recomputes from the scores it reads back, and the Team page's figures, as Calc saved
them, are what ``review_team.expected_team`` says they must be: the formula oracle of the review.
"""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, ScoredBy
from ladder_sheets.core.review_layout import key
from ladder_sheets.core.calibration import org_figures, scored_in
from ladder_sheets.workflows.review import build_reviews, review_path
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER
from tests.support.calc import Calc, assert_shown
from tests.support.results import inputs_for, results_for
from tests.support.reviews import review_layout, self_only

pytestmark = pytest.mark.libreoffice
SCORES = {"leticia-moreno": [3], "tomas-novak": [2, 1, 3, 0, 2], "priya-raman": [3, 2, 2], "kenji-watanabe": [1, 2]}


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, review_roster: Roster, calc: Calc) -> dict:
    """Amara's review typed and edited in Calc, saved as .xlsx and .ods, with Calc's readiness and band per SE."""
    tmp = tmp_path_factory.mktemp("review-calc")
    lad = dataclasses.replace(ladder, calibration_min_n=1)  # every difference flagged: the flags are exercised too
    team = [p for p in review_roster.people if p.manager == "mgr-amara"]
    others = {p.id: inputs_for(lad, p.target_level, 2, 1 + i % 3) for i, p in enumerate(review_roster.people)
              if p.manager != "mgr-amara"}
    first = results_for(lad, review_roster, others | {p.id: inputs_for(lad, p.target_level, 2, None) for p in team})
    build_reviews(lad, review_roster, first, tmp / "reviews", due=DUE)
    wl = review_layout(lad, review_roster, review_roster.managers[0], QUARTER, DUE)
    cells = wl.by_key()
    typed = {}
    for p in team:
        for i, c in enumerate(lad.rubric_for(p.target_level).criteria):
            typed[key(p.id, f"criteria.{c.id}.manager")] = SCORES[p.id][i % len(SCORES[p.id])]
        typed[key(p.id, "recommendation")] = "Next cycle"
        typed[key(p.id, "why")] = "=Leads the Acme POC; one more quarter"
    # A why starting with "=" is entered as text (pasted, or typed after an apostrophe): it stays text.
    edits = [{"op": "string" if k.endswith(".why") else "type", "sheet": cells[k][0].title, "cell": cells[k][1].ref,
              "text": str(v)} for k, v in typed.items()]
    priya_last = 5 + len(lad.rubric_for("manager").criteria)
    edits += [{"op": "unprotect"},
              {"op": "insert_columns", "sheet": "Tomáš Novák", "index": 1},
              {"op": "sort", "sheet": "Priya Raman", "range": f"A6:K{priya_last}", "by": 2},
              {"op": "rename", "sheet": "Kenji Watanabe", "to": "Kenji"}]
    names = [f"Review{what}_{n}" for n in range(1, len(team) + 1) for what in ("Readiness", "Band")]
    generate(lad, review_roster, QUARTER, tmp / "gen", due=DUE, jobs=1)
    for i, p in enumerate(team):
        self_only(lad, review_roster, p, QUARTER, DUE, tmp / "gen" / QUARTER, i, tmp / f"{p.id}.xlsx")
    src = review_path(tmp / "reviews", "mgr-amara")
    out = {fmt: calc.apply(src, edits, tmp / f"edited.{fmt}", fmt, names) for fmt in ("xlsx", "ods")}
    return {"tmp": tmp, "ladder": lad, "team": team, "calc": out, "first": first}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_an_edited_review_round_trips_with_calcs_own_numbers(edited: dict, review_roster: Roster, fmt: str) -> None:
    tmp, lad, team = edited["tmp"], edited["ladder"], edited["team"]
    review = tmp / f"edited.{fmt}"
    results = collect([review, *(tmp / f"{p.id}.xlsx" for p in team)], lad, review_roster, QUARTER, jobs=1)
    for n, p in enumerate(team, start=1):
        got = next(r for r in results.people if r.person.id == p.id)
        assert got.scored_by.kind is ScoredBy.PLAIN_FILE and got.scores is not None, got.problems
        shown = edited["calc"][fmt]
        assert got.scores.manager_pct == pytest.approx(shown[f"ReviewReadiness_{n}"]), p.id
        assert got.scores.manager_band == shown[f"ReviewBand_{n}"], p.id
        assert got.recommendation == "next cycle" and got.why == "=Leads the Acme POC; one more quarter"
        assert not [x for x in got.problems if x.severity == "error"], got.problems
    notes = {(x.sheet, x.kind) for r in results.people for x in r.problems if x.file == str(review)}
    assert ("Priya Raman", Kind.SORTED) in notes and ("Kenji", Kind.RENAMED_SHEET) in notes


def test_the_team_page_shows_what_the_scores_give(edited: dict, review_roster: Roster) -> None:
    """The oracle of the Team page: Calc's saved figures equal expected_team's, flags included."""
    tmp, lad, team = edited["tmp"], edited["ladder"], edited["team"]
    review = tmp / "edited.xlsx"
    results = collect([review, *(tmp / f"{p.id}.xlsx" for p in team)], lad, review_roster, QUARTER, jobs=1)
    mine = {r.person.id: r for r in results.people if r.person.id in {p.id for p in team}}
    bands = {pid: r.scores.manager_band for pid, r in mine.items() if r.scores}
    scores = {pid: {c: v.manager_score for c, v in r.inputs.criteria.items()} for pid, r in mine.items() if r.inputs}
    from ladder_sheets.core.review_team import expected_team

    org = org_figures(scored_in(edited["first"]), "mgr-amara", "test")
    want = expected_team(lad, team, bands, scores, org)
    wl = review_layout(lad, review_roster, review_roster.managers[0], QUARTER, DUE)
    page = {c.key: c.ref for s, c in wl.cells() if s.title == "Team" and c.key}
    saved = openpyxl.load_workbook(review, data_only=True)["Team"]
    found = {k: saved[ref].value for k, ref in page.items()}
    assert_shown(want, found)
    assert {v for k, v in want.items() if k.endswith(".flag")} >= {"higher than the org", "lower than the org"}
