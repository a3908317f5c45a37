"""Managers' review workbooks: how they are laid out, and how collect reads them back and merges who scored whom."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Check, Editor, Role
from ladder_sheets.core.model import Ladder, ManagerScores, Person, Roster
from ladder_sheets.core.results import Kind, Results, ScoredBy, Severity, Status
from ladder_sheets.core.review_layout import Seed, build_review, key, se_sheet, sheet_titles
from ladder_sheets.core.calibration import HIGHER, IN_LINE, LOWER, NO_ORG, TOO_FEW, OrgFigures
from ladder_sheets.core.review_team import expected_team
from ladder_sheets.workflows.review import build_reviews, review_path
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER
from tests.support.results import find_person
from tests.support.reviews import fill_review, review_layout, scored, self_only


def _team(roster: Roster, manager_id: str) -> list[Person]:
    return [p for p in roster.people if p.manager == manager_id]


# ---- the layout ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "expected"), [
    (["Ana Ruiz", "Ana Ruiz"], ["Ana Ruiz", "Ana Ruiz 2"]),
    (["Team", "guide"], ["Team 2", "guide 2"]),
    (["O'Brien: [ops]/West?*", "'Quoted'"], ["O'Brien- -ops--West--", "Quoted"]),
    (["A" * 40, "A" * 40], ["A" * 31, "A" * 29 + " 2"]),
])
def test_sheet_names_are_what_excel_accepts_and_unique(names: list[str], expected: list[str]) -> None:
    people = [Person(f"p{i}", n, f"p{i}@x.example", "core", "senior", "m") for i, n in enumerate(names)]
    assert list(sheet_titles(people).values()) == expected


def test_a_review_holds_one_sheet_per_se_with_unique_keys_and_checked_inputs(ladder: Ladder,
                                                                           review_roster: Roster) -> None:
    manager = review_roster.managers[0]
    team = _team(review_roster, manager.id)
    wl = build_review(ladder, review_roster, manager, QUARTER, DUE, [Seed(p) for p in team], False, OrgFigures())
    assert [s.title for s in wl.sheets] == ["Guide", "Team", *(p.name for p in team)]
    keys = [c.key for _, c in wl.cells() if c.key]
    assert len(keys) == len(set(keys))
    inputs = list(wl.cells(Role.INPUT))
    assert inputs and all(c.validation is not None and c.editor is Editor.MANAGER for _, c in inputs)
    scores = [c for _, c in inputs if c.key.endswith(".manager")]
    assert len(scores) == sum(len(ladder.rubric_for(p.target_level).criteria) for p in team)
    for p in team:  # the scorecard's own dropdown for each criterion, "not observed yet" where it allows it
        se = layout.build(ladder, review_roster, p, QUARTER, DUE, manager_scores=ManagerScores.IN_WORKBOOK).by_key()
        for c in ladder.rubric_for(p.target_level).criteria:
            mine = wl.by_key()[key(p.id, f"criteria.{c.id}.manager")][1].validation
            assert mine == se[f"criteria.{c.id}.manager"][1].validation and mine is not None
            assert mine.check is (Check.SCORE_OR_NA if c.allow_not_observed else Check.SCORE)
    rec = wl.by_key()[key(team[0].id, "recommendation")][1]
    assert rec.validation is not None and rec.validation.options == ("Promote now", "Next cycle", "Not yet")
    names = [c.name for _, c in wl.cells() if c.name]
    assert len(names) == len(set(names)) == 2 * len(team)


def test_blind_leaves_the_self_scores_out_and_keeps_the_evidence(ladder: Ladder, review_roster: Roster) -> None:
    person = review_roster.people[1]
    criteria = ladder.rubric_for(person.target_level).criteria
    seed = Seed(person, True, {c.id: 2.0 for c in criteria}, {c.id: f"did {c.id}" for c in criteria}, self_pct=0.66)
    shown = {c.ref: c.value for c in se_sheet(ladder, seed, person.name, QUARTER, blind=False).cells}
    hidden = {c.ref: c.value for c in se_sheet(ladder, seed, person.name, QUARTER, blind=True).cells}
    first = 6
    assert (shown[f"G{first}"], hidden[f"G{first}"]) == (2.0, None)
    assert shown[f"J{first}"] == hidden[f"J{first}"] == f"did {criteria[0].id}"
    assert 0.66 in shown.values() and "not shown (blind review)" in hidden.values()


def test_a_second_run_carries_the_managers_scores_and_says_who_has_not_returned(ladder: Ladder,
                                                                               review_roster: Roster) -> None:
    person = review_roster.people[0]
    cid = ladder.rubric_for(person.target_level).criteria[0].id
    seed = Seed(person, False, manager={cid: (3.0, "Owns the Acme account")}, recommendation="next cycle", why="Soon")
    cells = {c.key: c for c in se_sheet(ladder, seed, person.name, QUARTER, blind=False).cells if c.key}
    assert cells[key(person.id, f"criteria.{cid}.manager")].value == 3.0
    assert cells[key(person.id, f"criteria.{cid}.comment")].value == "Owns the Acme account"
    assert (cells[key(person.id, "recommendation")].value, cells[key(person.id, "why")].value) == ("Next cycle", "Soon")
    caption = next(c.value for c in se_sheet(ladder, seed, person.name, QUARTER, blind=False).cells if c.ref == "D3")
    assert f"{person.name}'s workbook has not been returned yet" in str(caption)


@pytest.mark.parametrize(("mine", "org", "n", "flag"), [
    ([3, 3, 3, 3, 3], (2.0, 9), 5, HIGHER),
    ([1, 1, 1, 1, 1], (2.0, 9), 5, LOWER),
    ([2, 2, 2, 2, 3], (2.0, 9), 5, IN_LINE),
    ([3, 3, 3, 3], (2.0, 9), 4, TOO_FEW),  # four SEs of the manager's: under calibration_min_n
    ([3, 3, 3, 3, 3], (2.0, 4), 5, TOO_FEW),
    ([3, 3, 3, 3, 3], None, 5, NO_ORG),
])
def test_a_difference_is_flagged_only_with_enough_ses(ladder: Ladder, mine: list[int],
                                                      org: tuple[float, int] | None, n: int, flag: str) -> None:
    people = [Person(f"p{i}", f"P {i}", f"p{i}@x.example", "core", "senior", "m") for i in range(n)]
    cid = ladder.rubric_for("senior").criteria[0].id
    figures = OrgFigures("test", {("senior", cid): org} if org else {})
    out = expected_team(ladder, people, {p.id: "Ready" for p in people},
                        {p.id: {cid: float(s)} for p, s in zip(people, mine)}, figures)
    assert out[f"team.senior.{cid}.flag"] == flag
    assert out[f"team.senior.{cid}.n"] == n and out["team.senior.band.Ready"] == n


# ---- collect: review workbooks beside self-only returns ---------------------------------------------------


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, review_roster: Roster) -> dict[str, Path]:
    """Everyone's self-only return but Marcus's, the first collect's results, and the reviews written from them."""
    tmp = tmp_path_factory.mktemp("review")
    generate(ladder, review_roster, QUARTER, tmp / "gen", due=DUE, jobs=1)
    returns = tmp / "returns"
    returns.mkdir()
    for i, p in enumerate(review_roster.people):
        if p.id != "marcus-bell":
            self_only(ladder, review_roster, p, QUARTER, DUE, tmp / "gen" / QUARTER, i, returns / f"{p.id}.xlsx")
    first = collect([returns], ladder, review_roster, QUARTER, jobs=1)
    build_reviews(ladder, review_roster, first, tmp / "reviews", due=DUE)
    return {"returns": returns, "reviews": tmp / "reviews", "tmp": tmp}


def _review(ladder: Ladder, roster: Roster, quarter: dict[str, Path], manager_id: str, values: dict[str, object],
            out: Path) -> Path:
    manager = next(m for m in roster.managers if m.id == manager_id)
    wl = review_layout(ladder, roster, manager, QUARTER, DUE)
    return fill_review(review_path(quarter["reviews"], manager_id), wl, values, out)  # type: ignore[arg-type]


def _person(results: Results, person_id: str):  # type: ignore[no-untyped-def]
    return next(p for p in results.people if p.person.id == person_id)


def test_self_only_returns_wait_for_the_managers_review(ladder: Ladder, review_roster: Roster,
                                                        quarter: dict[str, Path]) -> None:
    results = collect([quarter["returns"]], ladder, review_roster, QUARTER, jobs=1)
    tomas = _person(results, "tomas-novak")
    assert tomas.scores is not None and tomas.scores.manager_pct is None and tomas.scored_by.kind is ScoredBy.NONE
    (awaiting,) = [p for p in tomas.problems if p.kind == Kind.AWAITING_MANAGER]
    assert awaiting.message == "Manager scores not in yet: 13 criteria for Amara Okafor to score"
    assert _person(results, "marcus-bell").status is Status.MISSING


def test_the_review_round_trip_gives_collect_the_managers_scores(ladder: Ladder, review_roster: Roster,
                                                                 quarter: dict[str, Path], tmp_path: Path) -> None:
    """Every manager dropdown of Amara's review filled, beside self-only returns: her scores, with provenance."""
    team = _team(review_roster, "mgr-amara")
    values = {k: v for i, p in enumerate(team) for k, v in scored(ladder, p, 3 - i % 2).items()}
    review = _review(ladder, review_roster, quarter, "mgr-amara", values, tmp_path / "review-mgr-amara.xlsx")
    results = collect([quarter["returns"], review], ladder, review_roster, QUARTER, jobs=1)
    for i, p in enumerate(team):
        got = _person(results, p.id)
        assert got.scored_by.kind is ScoredBy.PLAIN_FILE and got.scored_by.detail == str(review)
        assert got.inputs is not None and {c.manager_score for c in got.inputs.criteria.values()} == {3 - i % 2}
        assert got.scores is not None and got.scores.manager_pct == pytest.approx(1.0 if i % 2 == 0 else 2 / 3)
        assert (got.recommendation, got.why) == ("promote now", "Ran two strategic POCs end to end.")
        first = ladder.rubric_for(p.target_level).criteria[0].id
        assert got.inputs.criteria[first].comment == "=Seen in the Acme deal review"  # text, never a formula
        assert not any(x.kind == Kind.AWAITING_MANAGER for x in got.problems)
    for p in _team(review_roster, "mgr-daniel"):
        assert _person(results, p.id).scored_by.kind is ScoredBy.NONE
    assert results.unmatched == ()


def test_a_review_of_a_se_whose_workbook_is_out_is_kept_and_carried_into_the_next(
        ladder: Ladder, review_roster: Roster, quarter: dict[str, Path], tmp_path: Path) -> None:
    marcus = find_person(review_roster, "marcus-bell")
    review = _review(ladder, review_roster, quarter, "mgr-daniel", scored(ladder, marcus, 2, recommendation="Not yet"),
                     tmp_path / "review.xlsx")
    results = collect([quarter["returns"], review], ladder, review_roster, QUARTER, jobs=1)
    got = _person(results, "marcus-bell")
    assert got.status is Status.MISSING and got.scores is None and got.recommendation == "not yet"
    assert got.inputs is not None and {c.manager_score for c in got.inputs.criteria.values()} == {2.0}
    again = build_reviews(ladder, review_roster, results, tmp_path / "second", due=DUE)
    book = openpyxl.load_workbook(again.written[-1][1])
    sheet = book[marcus.name]
    assert [sheet[f"H{r}"].value for r in range(6, 6 + len(got.inputs.criteria))] == [2] * len(got.inputs.criteria)


def test_the_newest_review_that_scored_wins_and_a_blank_one_changes_nothing(
        ladder: Ladder, review_roster: Roster, quarter: dict[str, Path], tmp_path: Path) -> None:
    import os

    tomas = find_person(review_roster, "tomas-novak")
    old = _review(ladder, review_roster, quarter, "mgr-amara", scored(ladder, tomas, 1), tmp_path / "old.xlsx")
    new = _review(ladder, review_roster, quarter, "mgr-amara", scored(ladder, tomas, 3), tmp_path / "new.xlsx")
    blank = _review(ladder, review_roster, quarter, "mgr-amara", {}, tmp_path / "blank.xlsx")
    for n, path in enumerate((old, new, blank)):
        os.utime(path, (1_800_000_000 + n, 1_800_000_000 + n))
    results = collect([quarter["returns"], old, new, blank], ladder, review_roster, QUARTER, jobs=1)
    got = _person(results, "tomas-novak")
    assert got.scored_by.detail == str(new) and got.scores is not None and got.scores.manager_pct == 1.0


def test_what_a_manager_typed_wrong_in_a_review_is_located_in_it(ladder: Ladder, review_roster: Roster,
                                                                 quarter: dict[str, Path], tmp_path: Path) -> None:
    tomas = find_person(review_roster, "tomas-novak")
    criteria = ladder.rubric_for(tomas.target_level).criteria
    values = scored(ladder, tomas, 2) | {key(tomas.id, f"criteria.{criteria[1].id}.manager"): 4,
                                         key(tomas.id, f"criteria.{criteria[2].id}.manager"): None,
                                         key(tomas.id, "recommendation"): "Maybe"}
    review = _review(ladder, review_roster, quarter, "mgr-amara", values, tmp_path / "review.xlsx")
    got = _person(collect([quarter["returns"], review], ladder, review_roster, QUARTER, jobs=1), "tomas-novak")
    found = {(p.file, p.sheet, p.cell, p.kind, p.severity) for p in got.problems if p.file == str(review)}
    assert found == {(str(review), tomas.name, "H7", Kind.OUT_OF_RANGE, Severity.ERROR),
                     (str(review), tomas.name, "D26", Kind.NOT_AN_OPTION, Severity.ERROR),
                     (str(review), tomas.name, "H8", Kind.AWAITING_MANAGER, Severity.INCOMPLETE)}
    assert got.status is Status.INVALID and got.recommendation == ""
    assert got.scores is not None and got.scores.manager_pct is None and got.scored_by.kind is ScoredBy.PLAIN_FILE


def test_a_review_for_someone_elses_se_is_not_used(ladder: Ladder, review_roster: Roster,
                                                   quarter: dict[str, Path], tmp_path: Path) -> None:
    """Tomás moved to Daniel's team after the reviews were written: Amara's review of him is not used."""
    moved = dataclasses.replace(review_roster, people=tuple(
        dataclasses.replace(p, manager="mgr-daniel") if p.id == "tomas-novak" else p for p in review_roster.people))
    tomas = find_person(review_roster, "tomas-novak")
    review = _review(ladder, review_roster, quarter, "mgr-amara", scored(ladder, tomas, 3), tmp_path / "review.xlsx")
    got = _person(collect([quarter["returns"], review], ladder, moved, QUARTER, jobs=1), "tomas-novak")
    (refused,) = [p for p in got.problems if p.kind == Kind.NOT_FROM_MANAGER]
    assert refused.severity is Severity.ERROR and refused.sheet == tomas.name
    assert refused.message == ("this is the review of manager mgr-amara, but Tomáš Novák's manager is Daniel Reyes "
                               "(mgr-daniel), so its scores for Tomáš Novák were not used")
    assert got.scores is not None and got.scores.manager_pct is None and got.scored_by.kind is ScoredBy.NONE


def test_a_copied_se_sheet_reads_neither_copy_as_the_message_says(ladder: Ladder, review_roster: Roster,
                                                                  quarter: dict[str, Path], tmp_path: Path) -> None:
    """Two sheets of a review hold the same SE (a copied sheet): which one holds the manager's scores is unknown."""
    tomas = find_person(review_roster, "tomas-novak")
    review = _review(ladder, review_roster, quarter, "mgr-amara", scored(ladder, tomas, 3), tmp_path / "review.xlsx")
    book = openpyxl.load_workbook(review)
    book.copy_worksheet(book[tomas.name]).title = "Tomas again"
    book.save(review)
    got = _person(collect([quarter["returns"], review], ladder, review_roster, QUARTER, jobs=1), "tomas-novak")
    (twice,) = [p for p in collect([review], ladder, review_roster, QUARTER, jobs=1).unmatched
                if p.kind == Kind.DUPLICATE]
    assert twice.message == (f"sheets '{tomas.name}' and 'Tomas again' are both {tomas.name}'s (a copied sheet?), "
                             "so neither was read")
    assert got.scored_by.kind is ScoredBy.NONE and got.scores is not None and got.scores.manager_pct is None


def test_a_review_of_another_quarter_is_not_used(ladder: Ladder, review_roster: Roster,
                                                 quarter: dict[str, Path], tmp_path: Path) -> None:
    tomas = find_person(review_roster, "tomas-novak")
    review = _review(ladder, review_roster, quarter, "mgr-amara", scored(ladder, tomas, 3), tmp_path / "review.xlsx")
    results = collect([review], ladder, review_roster, "2027-Q1", jobs=1)
    (wrong,) = results.unmatched
    assert (wrong.file, wrong.sheet, wrong.kind) == (str(review), "Guide", Kind.QUARTER)
    assert wrong.message == "Amara Okafor's review: expected quarter 2027-Q1, found 2026-Q4, so it was not used"
    assert all(p.scored_by.kind is ScoredBy.NONE for p in results.people)


def test_a_value_typed_into_the_locked_manager_column_is_noted_and_not_used(
        ladder: Ladder, review_roster: Roster, quarter: dict[str, Path], tmp_path: Path) -> None:
    tomas = find_person(review_roster, "tomas-novak")
    forged = self_only(ladder, review_roster, tomas, QUARTER, DUE, quarter["tmp"] / "gen" / QUARTER, 1,
                       tmp_path / "tomas-novak.xlsx", manager=3)
    got = _person(collect([forged], ladder, review_roster, QUARTER, jobs=1), "tomas-novak")
    (note,) = [p for p in got.problems if p.kind == Kind.NOT_FROM_MANAGER]
    assert (note.sheet, note.cell, note.severity) == ("Scorecard", "H6:H18", Severity.NOTE)
    assert note.message == ("the Manager columns are locked: Amara Okafor scores Tomáš Novák in a review workbook of "
                            "their own, so what was typed there was not used (H6 3, H7 3, H8 3 and 10 more)")
    assert got.scores is not None and got.scores.manager_pct is None and got.scores.manager_band == "Incomplete"


def test_the_org_figures_come_from_the_history_when_this_quarter_has_none(ladder: Ladder, review_roster: Roster,
                                                                          tmp_path: Path) -> None:
    from ladder_sheets.history.store import store
    from tests.support.results import inputs_for, results_for

    last = results_for(ladder, review_roster, {p.id: inputs_for(ladder, p.target_level, 2, 1 + i % 3)
                                               for i, p in enumerate(review_roster.people)}, quarter="2026-Q3")
    store(last, tmp_path / "h.sqlite3")
    now = results_for(ladder, review_roster, {p.id: inputs_for(ladder, p.target_level, 2, None)
                                              for p in review_roster.people})
    report = build_reviews(ladder, review_roster, now, tmp_path / "reviews", due=DUE, db=tmp_path / "h.sqlite3")
    assert report.org == "managers' scores of 2026-Q3, from the history"
    team = openpyxl.load_workbook(review_path(tmp_path / "reviews", "mgr-amara"))["Team"]
    rows = {row[0].value: [c.value for c in row] for row in team.iter_rows() if row[0].value}
    # Leticia (Amara's) is on the Principal rubric; Sofia (Daniel's, scored 2 last quarter) is the org's one SE there
    assert rows["PR-01"][4:6] == [2, 1]
    assert "Org figures: managers' scores of 2026-Q3, from the history." in str(team["A2"].value)
    assert rows["CR-01"][4:6] == ["—", 0]  # Kenji's rubric (growing at Core): no other manager's SE is on it
