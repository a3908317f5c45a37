"""A manager's review workbook as laid out (core/review_layout.py): what each sheet shows and asks for.

Pure: the layout is built in memory; its formulas are worked out by the formulas package over the
cells a manager fills (tests/support/shown.py) and held against scoring.py, the figures' one
implementation. The Team page has its own tests (tests/test_review_team.py); reading a returned
review is tests/test_review_read.py's, and the round trip through files tests/test_review.py's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.calibration import OrgFigures
from ladder_sheets.core.cells import (EVIDENCE_FORMAT, GUIDE, PRINT_SCALE, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check, Editor, Requirement,
                                      Role, SheetLayout, WorkbookLayout, height)
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.kinds import KIND_KEY, MANAGER_REVIEW
from ladder_sheets.core.model import (CellValue, CriterionInput, Inputs, Ladder, Manager, Person, Recommendation,
                                      Roster, Scores)
from ladder_sheets.core.results import PersonResult, Status
from ladder_sheets.core.review_layout import (COL, FIRST, TEAM, Seed, build_review, key, reading_guide, reading_sheet,
                                              review_version, reviewed, se_sheet, seed, sheet_titles, unkeyed)
from ladder_sheets.core.styles import FILL, STYLES
from tests.conftest import DUE, QUARTER
from tests.support.shown import Shown


@pytest.fixture(scope="module")
def team(review_roster: Roster, amara: Manager) -> list[Person]:
    """Amara's four SEs, each toward another rubric (principal, senior, manager, core)."""
    return [p for p in review_roster.people if p.manager == amara.id]


SELF_READINESS = "The SE's self readiness"


def _grid(sheet: SheetLayout) -> dict[str, Cell]:
    return {c.ref: c for c in sheet.cells}


def _value(sheet: SheetLayout, ref: str) -> CellValue:
    cell = _grid(sheet).get(ref)
    return None if cell is None else cell.value


def _label_row(sheet: SheetLayout, label: str) -> int:
    return next(c.row for c in sheet.cells if c.column == COL["criterion"] and c.value == label)


def _review(ladder: Ladder, roster: Roster, manager: Manager, seeds: list[Seed], blind: bool = False
            ) -> WorkbookLayout:
    return build_review(ladder, roster, manager, QUARTER, DUE, seeds, blind, OrgFigures())


# ---- the workbook -----------------------------------------------------------------------------------------


def test_a_review_is_a_guide_the_team_page_then_one_sheet_per_se(ladder: Ladder, review_roster: Roster,
                                                                 amara: Manager, team: list[Person]) -> None:
    wl = _review(ladder, review_roster, amara, [Seed(p) for p in team])
    assert [s.title for s in wl.sheets] == [GUIDE, TEAM, *(p.name for p in team)]
    assert wl.label == "Manager review: Amara Okafor" and wl.person is None and wl.quarter == QUARTER
    assert wl.template_version == review_version(ladder) == f"{ladder.id}@{ladder.version}/review-1"
    names = [c.name for s in wl.sheets[2:] for c in s.cells if c.name]
    assert names == [n for i in range(1, len(team) + 1) for n in (f"ReviewReadiness_{i}", f"ReviewBand_{i}")]


def test_each_se_sheet_says_whose_it_is_and_how_to_score(ladder: Ladder, team: list[Person]) -> None:
    person = team[0]
    sheet = se_sheet(ladder, Seed(person, returned=True), "Sheet", QUARTER, blind=False)
    rubric = ladder.rubric_for(person.target_level)
    assert _value(sheet, "B1") == f"Manager review: {person.name}"
    assert _value(sheet, "B2") == f"{rubric.title} · {QUARTER}"
    assert (_value(sheet, "B3"), _value(sheet, "C3")) == ("Person id", person.id)
    pid = _grid(sheet)["C3"]
    assert pid.role is Role.META and pid.key == key(person.id, "meta.person_id")
    caption = str(_value(sheet, "D3"))
    assert caption.startswith("Scale: 0 = Never · 1 = Occasionally · 2 = Usually · 3 = Consistently. Score every")
    assert "Blind review" not in caption and "not been returned" not in caption
    assert [_value(sheet, f"{c}{FIRST - 1}") for c in "ABCDEFGHIJK"] == [
        "ID", "Competency (skill group)", "Criterion", "What 3 looks like", "Weight", "Must-have: at least",
        "SE's self (0-3)", "Your score (0-3)", "Your points", "SE's evidence", "Your comment"]
    assert sheet.heights[1] == TITLE_HEIGHT
    assert sheet.heights[3] == height([(caption, sum(sheet.widths[c] for c in "DEFGHI"))]) > 15
    headers = [(str(_value(sheet, f"{c}{FIRST - 1}")), sheet.widths[c]) for c in "ABCDEFGHIJK"]
    assert sheet.heights[FIRST - 1] == height(headers, bold=True)
    assert f"D3:{COL['manager_points']}3" in sheet.merges
    assert sheet.freeze == f"D{FIRST}" and sheet.print_rows == f"{FIRST - 1}:{FIRST - 1}"
    assert (sheet.print_breaks, sheet.print_scale, sheet.print_columns) == (("I",), PRINT_SCALE, "A:A")


def test_the_caption_says_when_the_review_is_blind_and_when_nothing_came_back(ladder: Ladder,
                                                                              team: list[Person]) -> None:
    person = team[1]
    caption = str(_value(se_sheet(ladder, Seed(person), "S", QUARTER, blind=True), "D3"))
    assert "Blind review: the SE's self scores are left out, so you score first. " in caption
    assert caption.endswith(f"{person.name}'s workbook has not been returned yet: no evidence to show.")


def test_each_criterion_row_shows_the_criterion_and_the_ses_side_and_asks_for_the_managers(
        ladder: Ladder, team: list[Person]) -> None:
    person = team[1]  # toward senior: must-haves, skill groups, "not observed yet" allowed on SR-03
    criteria = ladder.rubric_for(person.target_level).criteria
    groups = {g.id: g.name for g in ladder.skill_groups}
    s = Seed(person, True, {c.id: 2.0 for c in criteria}, {criteria[0].id: "Ran the Acme POC"},
             {criteria[1].id: (3.0, "Owns the account")})
    sheet = se_sheet(ladder, s, "S", QUARTER, blind=False)
    for r, c in enumerate(criteria, start=FIRST):
        row = {x.column: x for x in sheet.cells if x.row == r}
        assert (row["A"].value, row["A"].key) == (c.id, f"rowid.criteria.{c.id}#{person.id}")
        competency = f"{c.competency}\n({groups[c.skill_group]})" if c.skill_group else c.competency
        assert [row[x].value for x in "BCDE"] == [competency, c.text, c.anchor, c.weight]
        floor = row["F"].value
        assert floor == (None if c.floor is None else f"{c.floor} (else at most Close)")
        assert row["G"].value == 2.0 and row["G"].role is Role.LABEL
        score = row["H"]
        assert score.role is Role.INPUT and score.editor is Editor.MANAGER and score.validation is not None
        assert score.key == key(person.id, f"criteria.{c.id}.manager")
        assert score.validation.check is (Check.SCORE_OR_NA if c.allow_not_observed else Check.SCORE)
        assert score.required is Requirement.ALWAYS
        assert score.value == (3.0 if c is criteria[1] else None)
        assert row["I"].role is Role.FORMULA and row["I"].key == key(person.id, f"criteria.{c.id}.manager_points")
        assert row["J"].value == ("Ran the Acme POC" if c is criteria[0] else None) and row["J"].role is Role.LABEL
        comment = row["K"]
        assert comment.role is Role.INPUT and comment.editor is Editor.MANAGER and comment.key == key(
            person.id, f"criteria.{c.id}.comment")
        assert comment.validation is not None and comment.validation.check is Check.TEXT
        assert (comment.number_format, comment.required) == (TEXT_FORMAT, Requirement.NEVER)
        assert comment.value == ("Owns the account" if c is criteria[1] else None)
        texts = [(c.text, "C"), (c.anchor, "D"), (competency, "B"), (row["J"].value or "", "J")]
        assert sheet.heights[r] == height([(t, sheet.widths[col]) for t, col in texts])
    assert any(c.floor for c in criteria) and any(c.skill_group for c in criteria)
    assert any(c.allow_not_observed for c in criteria)


def test_a_blind_review_shows_no_self_score_but_the_evidence(ladder: Ladder, team: list[Person]) -> None:
    person = team[1]
    criteria = ladder.rubric_for(person.target_level).criteria
    s = Seed(person, True, {c.id: 2.0 for c in criteria}, {c.id: "seen" for c in criteria}, self_pct=0.5)
    sheet = se_sheet(ladder, s, "S", QUARTER, blind=True)
    assert all(_value(sheet, f"G{r}") is None and _value(sheet, f"J{r}") == "seen"
               for r in range(FIRST, FIRST + len(criteria)))
    assert _value(sheet, f"D{_label_row(sheet, SELF_READINESS)}") == "not shown (blind review)"


# ---- what the manager's scores give -------------------------------------------------------------------------


def _scores(ladder: Ladder, person: Person, pattern: list[float | str | None]) -> dict[str, float | str | None]:
    criteria = ladder.rubric_for(person.target_level).criteria
    return {c.id: pattern[i % len(pattern)] if pattern else None for i, c in enumerate(criteria)}


def _scored(ladder: Ladder, person: Person, scores: dict[str, float | str | None]) -> Scores:
    rubric = ladder.rubric_for(person.target_level)
    na = ladder.not_observed.label
    inputs = Inputs(criteria={cid: CriterionInput(manager_score=None if v == na else v,  # type: ignore[arg-type]
                                                  manager_not_observed=v == na) for cid, v in scores.items()})
    return scoring.score(ladder, rubric, inputs, person.level)


@pytest.mark.parametrize("pattern", [
    [3.0], [2.0], [1.0], [3.0, 2.0, 1.0], [3.0, None], [], [0.0, 3.0, 3.0, 3.0], ["n/o"], [1.0, *[3.0] * 20]])
def test_the_results_under_the_criteria_show_what_scoring_gives(ladder: Ladder, review_roster: Roster,
                                                                amara: Manager, team: list[Person],
                                                                pattern: list[float | str | None]) -> None:
    wl = _review(ladder, review_roster, amara, [Seed(p) for p in team])
    typed: dict[str, CellValue] = {}
    want: dict[str, CellValue] = {}
    for person in team:
        rubric = ladder.rubric_for(person.target_level)
        scores = {cid: v for cid, v in _scores(ladder, person, pattern).items()
                  if v != "n/o" or next(c for c in rubric.criteria if c.id == cid).allow_not_observed}
        typed |= {key(person.id, f"criteria.{cid}.manager"): v for cid, v in scores.items()}
        got = _scored(ladder, person, scores)
        answered = sum(v is not None for v in scores.values())
        na = sum(v == "n/o" for v in scores.values())
        want |= {key(person.id, "result.manager_pct"): "" if got.manager_pct is None else got.manager_pct,
                 key(person.id, "result.manager_band"): got.manager_band,
                 key(person.id, "result.manager_scored"):
                     f"{answered} of {len(rubric.criteria)}" + (f" ({na} not observed yet)" if na else "")}
        if ladder.must_haves(rubric):
            want[key(person.id, "result.manager_hold")] = got.manager_hold
        for c in rubric.criteria:
            v = scores.get(c.id)
            want[key(person.id, f"criteria.{c.id}.manager_points")] = v * c.weight if isinstance(v, float) else ""
    shown = Shown(wl, typed)
    got_shown = {k: shown.key(k) for k in want}
    assert got_shown == {k: pytest.approx(v) if isinstance(v, float) else v for k, v in want.items()}
    if pattern[:1] == [1.0] and len(pattern) > 1:  # a must-have under its floor, the rest at the top
        assert any(str(v).startswith("Ready on points, held at Close: ") for v in want.values())


def test_the_band_is_coloured_as_on_the_scorecard(ladder: Ladder, team: list[Person]) -> None:
    sheet = se_sheet(ladder, Seed(team[0]), "S", QUARTER, blind=False)
    band = next(c for c in sheet.cells if c.key == key(team[0].id, "result.manager_band"))
    assert [(r.range, r.fill) for r in sheet.rules] == [(band.ref, FILL[k]) for k in ("ready", "close", "developing")]
    for rule, b in zip(sheet.rules, ladder.bands):
        for name in (x.name for x in ladder.bands):
            cells = (Cell(band.ref, Role.LABEL, name), Cell("Z1", Role.FORMULA, "=" + rule.formula, key="rule"))
            assert Shown(WorkbookLayout(None, "", "", (SheetLayout("S", cells),))).key("rule") is (name == b.name)


def test_the_results_are_labelled_under_the_criteria_in_order(ladder: Ladder, team: list[Person]) -> None:
    for person in team:
        rubric = ladder.rubric_for(person.target_level)
        sheet = se_sheet(ladder, Seed(person, self_pct=0.72), "S", QUARTER, blind=False)
        s = FIRST + len(rubric.criteria) + 1
        labels = ["Readiness (your scores)", "Band (your scores)",
                  *(["Band held by"] if ladder.must_haves(rubric) else []), "Criteria you scored"]
        assert [_value(sheet, f"C{s + i}") for i in range(len(labels))] == labels
        keys = ["result.manager_pct", "result.manager_band", *(["result.manager_hold"] if len(labels) == 4 else []),
                "result.manager_scored"]
        assert [_grid(sheet)[f"D{s + i}"].key for i in range(len(labels))] == [key(person.id, k) for k in keys]
        assert _grid(sheet)[f"D{s}"].number_format == "0%"
        r = s + len(labels)
        assert (_value(sheet, f"C{r}"), _value(sheet, f"D{r}")) == ("The SE's self readiness", 0.72)
        assert _grid(sheet)[f"D{r}"].number_format == "0%"
        assert (_value(sheet, f"C{r + 2}"), _value(sheet, f"C{r + 3}")) == ("Your recommendation", "Why (for the packet)")
        assert sheet.heights[r + 3] == 90.0  # room to write, before anything is written
        assert f"D{r + 3}:I{r + 3}" in sheet.merges
        if len(labels) == 4:
            assert f"D{s + 2}:I{s + 2}" in sheet.merges
            assert sheet.heights[s + 2] == height([("x" * 160, sum(sheet.widths[c] for c in "DEFGHI"))])
    nothing = se_sheet(ladder, Seed(team[0]), "S", QUARTER, blind=False)
    assert _value(nothing, f"D{_label_row(nothing, SELF_READINESS)}") == "—"


def test_the_recommendation_and_why_are_the_managers_to_fill(ladder: Ladder, team: list[Person]) -> None:
    person = team[0]
    long_why = "Ran two strategic POCs end to end. " * 40
    sheet = se_sheet(ladder, Seed(person, recommendation="next cycle", why=long_why), "S", QUARTER, blind=False)
    cells = {c.key: c for c in sheet.cells if c.key}
    rec, why = cells[key(person.id, "recommendation")], cells[key(person.id, "why")]
    assert rec.value == "Next cycle" and why.value == long_why
    for cell in (rec, why):
        assert cell.role is Role.INPUT and cell.editor is Editor.MANAGER and cell.required is Requirement.NEVER
    assert rec.validation is not None and rec.validation.check is Check.CHOICE
    assert rec.validation.options == ("Promote now", "Next cycle", "Not yet")
    assert rec.validation.message == "Choose one of: Promote now, Next cycle, Not yet"
    assert rec.validation.title == "Recommendation"
    assert why.validation is not None and (why.validation.check, why.validation.maximum) == (Check.TEXT, 3000)
    assert why.validation.message == "The write-up is limited to 3,000 characters."
    assert why.number_format == TEXT_FORMAT
    wide = sum(sheet.widths[c] for c in "DEFGHI")
    assert sheet.heights[why.row] == height([(long_why, wide)]) > 90


@pytest.mark.parametrize(("stored", "shown"), [("promote now", "Promote now"), ("not yet", "Not yet"),
                                               ("", None), ("maybe", None)])
def test_a_stored_recommendation_is_shown_as_its_dropdown_shows_it(ladder: Ladder, team: list[Person],
                                                                   stored: str, shown: str | None) -> None:
    sheet = se_sheet(ladder, Seed(team[0], recommendation=stored), "S", QUARTER, blind=False)
    assert next(c.value for c in sheet.cells if c.key == key(team[0].id, "recommendation")) == shown
    assert shown is None or shown == Recommendation(stored).shown


# ---- seeds, keys, names -------------------------------------------------------------------------------------


def test_reviewed_names_each_se_with_a_sheet_by_its_title(ladder: Ladder, review_roster: Roster, amara: Manager,
                                                           team: list[Person]) -> None:
    """Who a review was built for, read off its layout: every SE sheet's person id, with the sheet's title (the
    Guide and the Team page hold nobody's)."""
    twin = replace(team[1], id="tomas-2")  # the same name twice: the second sheet's title differs
    wl = _review(ladder, replace(review_roster, people=(*review_roster.people, twin)), amara,
                 [Seed(p) for p in (*team[:2], twin)])
    assert reviewed(wl) == {team[0].id: team[0].name, team[1].id: team[1].name, "tomas-2": f"{team[1].name} 2"}


def test_a_seed_carries_what_was_collected_for_the_se(ladder: Ladder, review_roster: Roster,
                                                      team: list[Person]) -> None:
    person = team[1]
    criteria = ladder.rubric_for(person.target_level).criteria
    a, b, c = criteria[0].id, criteria[1].id, criteria[2].id
    inputs = Inputs(criteria={a: CriterionInput(2.0, 3.0, "Ran the Acme POC", "Good"),
                              b: CriterionInput(1.0, None, "", "Ask about Beta"),
                              c: CriterionInput(0.0, None, "", ""),
                              **{x.id: CriterionInput(3.0) for x in criteria[3:]}})
    scores = scoring.score(ladder, ladder.rubric_for(person.target_level), inputs, person.level)
    result = PersonResult(person_info(ladder, review_roster, person), Status.INCOMPLETE, inputs=inputs, scores=scores,
                          recommendation="next cycle", why="Soon")
    got = seed(person, result)
    assert got == Seed(person, True, {a: 2.0, b: 1.0, c: 0.0, **{x.id: 3.0 for x in criteria[3:]}}, {a: "Ran the Acme POC"},
                       {a: (3.0, "Good"), b: (None, "Ask about Beta")}, "next cycle", "Soon", scores.self_pct)
    assert got.self_pct is not None
    assert seed(person, replace(result, scores=None)).self_pct is None
    assert seed(person, replace(result, status=Status.MISSING)).returned is False
    assert seed(person, None) == Seed(person) == seed(person, replace(result, inputs=None))


@pytest.mark.parametrize(("k", "kind", "full"), [
    ("criteria.SR-01.manager", "review", "review.p1.criteria.SR-01.manager"),
    ("criteria.SR-01.rating", "peer", "peer.p1.criteria.SR-01.rating"),
    ("rowid.criteria.SR-01", "review", "rowid.criteria.SR-01#p1"),
])
def test_a_key_is_the_scorecards_made_unique_per_se_and_back(k: str, kind: str, full: str) -> None:
    assert key("p1", k, kind) == full
    assert unkeyed("p1", full, kind) == k
    assert unkeyed("p2", full, kind) == ""  # another SE's cell
    assert unkeyed("p1", full, "committee" if kind != "committee" else "review") == (k if k.startswith("rowid") else "")


def test_a_key_of_another_se_whose_id_starts_alike_is_not_theirs() -> None:
    assert unkeyed("p1", key("p10", "criteria.SR-01.manager")) == ""
    assert unkeyed("p1", key("p10", "rowid.criteria.SR-01")) == ""
    assert key("p1", "recommendation") == "review.p1.recommendation"
    assert unkeyed("p1", "review.p1.recommendation") == "recommendation"  # a review's, unless told otherwise


@pytest.mark.parametrize(("names", "expected"), [
    (["Ana Ruiz", "ana ruiz", "ANA RUIZ"], ["Ana Ruiz", "ana ruiz 2", "ANA RUIZ 3"]),
    (["GUIDE", "team"], ["GUIDE 2", "team 2"]),
    (["", "???"], ["p0", "---"]),
    (["  'Ana'  "], ["Ana"]),
    (["Xavi 'X'", "X"], ["Xavi 'X", "X"]),
    (["x" * 30 + " y"], ["x" * 30]),
    (["A" * 31] * 11, ["A" * 31, *(("A" * 29 + f" {n}") for n in range(2, 10)), "A" * 28 + " 10", "A" * 28 + " 11"]),
])
def test_sheet_names_are_unique_whatever_the_case_and_fit_31_characters(names: list[str],
                                                                        expected: list[str]) -> None:
    people = [Person(f"p{i}", n, f"p{i}@x.example", "core", "senior", "m") for i, n in enumerate(names)]
    titles = list(sheet_titles(people).values())
    assert titles == expected and all(len(t) <= 31 for t in titles)


def test_an_se_whose_name_leaves_nothing_is_named_by_their_id_cut_to_31() -> None:
    person = Person("id-" + "x" * 40, "'' ", "p@x.example", "core", "senior", "m")
    assert sheet_titles([person]) == {person.id: person.id[:31]}


# ---- the Guide ----------------------------------------------------------------------------------------------


def _facts(sheet: SheetLayout) -> dict[str, tuple[str, CellValue]]:
    """Each keyed fact of a Guide: its label beside it, and its value."""
    grid = _grid(sheet)
    return {c.key: (str(grid[f"A{c.row}"].value), c.value) for c in sheet.cells if c.key and c.column == "B"}


def test_the_guide_holds_whose_review_it_is_where_collect_reads_it(ladder: Ladder, review_roster: Roster,
                                                                  amara: Manager, team: list[Person]) -> None:
    guide = _review(ladder, review_roster, amara, [Seed(p) for p in team], blind=True).sheets[0]
    assert _facts(guide) == {
        KIND_KEY: ("Workbook", MANAGER_REVIEW), "meta.manager_name": ("Manager", "Amara Okafor"),
        "meta.manager_id": ("Manager id", "mgr-amara"), "meta.team": ("Team", amara.team),
        "meta.quarter": ("Quarter", QUARTER), "meta.due": ("Due date", DUE.isoformat()), "meta.blind": ("Blind", "Yes"),
        "meta.template_version": ("Template version", review_version(ladder))}
    read = {c.key: c.ref for c in reading_guide().cells if c.key}
    assert read == {c.key: c.ref for c in guide.cells if c.key}
    assert _value(guide, "A1") == f"{ladder.name}: {QUARTER} manager review"
    plain = _review(ladder, review_roster, amara, [Seed(p) for p in team], blind=False).sheets[0]
    assert _facts(plain)["meta.blind"] == ("Blind", "No")


def _texts(sheet: SheetLayout) -> list[str]:
    return [str(c.value) for c in sheet.cells if isinstance(c.value, str)]


def test_the_guide_says_how_to_fill_in_and_where_to_return_it(ladder: Ladder, review_roster: Roster,
                                                              amara: Manager, team: list[Person]) -> None:
    seeds = [Seed(p, returned=i % 2 == 0) for i, p in enumerate(team)]
    texts = _texts(_review(ladder, review_roster, amara, seeds).sheets[0])
    assert f"Save it and return it to {amara.email} by {DUE.isoformat()}." in texts
    assert any(t.startswith("1. On each SE's sheet, score every criterion") and "(0 to 3)" in t for t in texts)
    assert any(t.startswith(f"This is your review of your SEs for {QUARTER}") and "a Team sheet" in t for t in texts)
    assert not any(t.startswith("Blind review") for t in texts)
    table = [(p.name, f"{ladder.level(p.level).name} → {ladder.level(p.target_level).name}",
              "returned" if i % 2 == 0 else "not returned yet") for i, p in enumerate(team)]
    rows = _rows_of(_review(ladder, review_roster, amara, seeds).sheets[0])
    assert rows[-len(team) - 1:] == [("SE", "Level → target", "Their workbook"), *table]
    blind = _texts(_review(ladder, review_roster, amara, seeds, blind=True).sheets[0])
    assert any(t.startswith("Blind review: the SEs' self scores are left out") for t in blind)


def _rows_of(sheet: SheetLayout) -> list[tuple[CellValue, ...]]:
    """The Guide's three-column rows, in order."""
    rows = sorted({c.row for c in sheet.cells if c.column == "C"})
    return [tuple(_value(sheet, f"{col}{r}") for col in "ABC") for r in rows]


@pytest.mark.parametrize(("manager_to", "roster_to", "address"), [
    ("", "", "amara.okafor@apex-cloud.example"), ("", "se-ops@x.example", "se-ops@x.example"),
    ("amara-team@x.example", "se-ops@x.example", "amara-team@x.example")])
def test_the_review_goes_back_to_the_managers_return_address_else_the_rosters_else_theirs(
        ladder: Ladder, review_roster: Roster, amara: Manager, team: list[Person], manager_to: str, roster_to: str,
        address: str) -> None:
    manager = replace(amara, return_to=manager_to)
    roster = replace(review_roster, return_to=roster_to)
    texts = _texts(build_review(ladder, roster, manager, QUARTER, date(2027, 1, 8), [Seed(team[0])], False,
                                OrgFigures()).sheets[0])
    assert f"Save it and return it to {address} by 2027-01-08." in texts


# ---- read back ----------------------------------------------------------------------------------------------


def test_collect_reads_an_se_sheet_where_the_review_wrote_it(ladder: Ladder, team: list[Person]) -> None:
    for person in team:
        written = se_sheet(ladder, Seed(person, True, {"x": 1.0}), "Whatever", QUARTER, blind=False)
        read = reading_sheet(ladder, person, "Renamed", QUARTER)
        assert read.title == "Renamed"
        assert {c.key: c.ref for c in read.cells if c.key} == {c.key: c.ref for c in written.cells if c.key}
        assert all(c.value is None for c in read.cells if c.column in "GJ" and c.row >= FIRST)  # nothing of the SE's


def test_each_kind_of_cell_on_an_se_sheet_looks_its_part(ladder: Ladder, team: list[Person]) -> None:
    """What the manager fills is yellow, what the SE wrote is greyed as carried in, what is worked out is shaded
    and the results bold; the title stands out and the caption reads as a note; everything else is locked."""
    person = team[1]
    criteria = ladder.rubric_for(person.target_level).criteria
    s = Seed(person, True, {c.id: 2.0 for c in criteria}, {c.id: "seen" for c in criteria}, self_pct=0.5)
    sheet = se_sheet(ladder, s, "S", QUARTER, blind=False)
    look = {c.ref: STYLES[c.style] for c in sheet.cells}
    assert look["B1"].bold and look["B1"].size == 14 and look["B2"].italic
    assert look["B3"].bold and look["C3"] == STYLES["text"]
    assert look["D3"].italic and look["D3"].wrap
    assert all(look[f"{c}{FIRST - 1}"] == STYLES["header"] for c in "ABCDEFGHIJK")
    for r, c in enumerate(criteria, start=FIRST):
        assert look[f"A{r}"] == STYLES["id"] and all(look[f"{x}{r}"].wrap for x in "BCD")
        assert look[f"E{r}"] == STYLES["number"]
        assert look[f"F{r}"] == STYLES["must"]
        assert look[f"G{r}"] == STYLES["carry_number"] and look[f"J{r}"] == STYLES["carry"]
        assert look[f"H{r}"] == STYLES["input"] and look[f"K{r}"] == STYLES["input_wrap"]
        assert look[f"I{r}"] == STYLES["formula"]
    cells = {c.ref: c for c in sheet.cells}
    assert (cells[f"E{FIRST}"].number_format, cells[f"G{FIRST}"].number_format, cells[f"I{FIRST}"].number_format) == (
        "0.##", "0", "0.##")
    assert cells[f"J{FIRST}"].number_format == EVIDENCE_FORMAT
    results = [c for c in sheet.cells if c.role is Role.FORMULA and c.key.split(".")[-2] == "result"]
    hold = key(person.id, "result.manager_hold")
    assert results and all(STYLES[c.style] == (STYLES["result_wrap"] if c.key == hold else STYLES["result"])
                           for c in results)
    labels = [c for c in sheet.cells if c.column == "C" and c.row > FIRST + len(criteria)]
    assert labels and all(STYLES[c.style] == STYLES["label"] for c in labels)
    rec = next(c for c in sheet.cells if c.key == key(person.id, "recommendation"))
    why = next(c for c in sheet.cells if c.key == key(person.id, "why"))
    assert (STYLES[rec.style], STYLES[why.style]) == (STYLES["input"], STYLES["input_wrap"])
    self_pct = next(c for c in sheet.cells if c.value == 0.5)
    assert STYLES[self_pct.style] == STYLES["carry_number"] and self_pct.role is Role.LABEL
    assert {c.role for c in sheet.cells if not c.key} == {Role.LABEL}
    assert all(c.role is Role.INPUT for c in sheet.cells if c.editor is Editor.MANAGER)


def test_the_workbook_passes_the_quarter_and_blindness_to_every_sheet(ladder: Ladder, review_roster: Roster,
                                                                     amara: Manager, team: list[Person]) -> None:
    seeds = [Seed(p, True, {c.id: 2.0 for c in ladder.rubric_for(p.target_level).criteria}) for p in team]
    wl = _review(ladder, review_roster, amara, seeds, blind=True)
    assert str(_value(wl.sheets[1], "A1")).endswith(f", {QUARTER}")
    for sheet in wl.sheets[2:]:
        assert str(_value(sheet, "B2")).endswith(f" · {QUARTER}")
        assert _value(sheet, f"G{FIRST}") is None and "Blind review" in str(_value(sheet, "D3"))
        assert sheet.hidden_columns == ()  # nothing of the sheet is hidden from the manager
    alone = se_sheet(ladder, seeds[0], "S", QUARTER, blind=False)
    assert [c.name for c in alone.cells if c.name] == ["ReviewReadiness_1", "ReviewBand_1"]
    assert all(c.role is Role.LABEL for c in alone.cells if c.key.startswith("rowid."))


def test_the_caption_says_the_scale_then_what_to_fill_in(ladder: Ladder, team: list[Person]) -> None:
    caption = _value(se_sheet(ladder, Seed(team[0], returned=True), "S", QUARTER, blind=False), "D3")
    assert caption == ("Scale: 0 = Never · 1 = Occasionally · 2 = Usually · 3 = Consistently. Score every criterion "
                       "in the yellow 'Your score' column and add a comment where it helps; then choose a "
                       "recommendation and say why, below the criteria. ")
    blind = _value(se_sheet(ladder, Seed(team[0], returned=True), "S", QUARTER, blind=True), "D3")
    assert blind == f"{caption}Blind review: the SE's self scores are left out, so you score first. "


def test_the_band_the_hold_and_the_count_show_as_text(ladder: Ladder, team: list[Person]) -> None:
    person = team[1]
    sheet = se_sheet(ladder, Seed(person), "S", QUARTER, blind=False)
    formats = {c.key: c.number_format for c in sheet.cells if c.key.startswith(key(person.id, "result."))}
    assert formats == {key(person.id, "result.manager_pct"): "0%", key(person.id, "result.manager_band"): "",
                       key(person.id, "result.manager_hold"): "", key(person.id, "result.manager_scored"): ""}


def test_a_rubric_without_must_haves_has_no_hold_line(ladder: Ladder, team: list[Person]) -> None:
    person = team[1]
    rubric = ladder.rubric_for(person.target_level)
    plain = replace(rubric, criteria=tuple(replace(c, floor=None, caps="") for c in rubric.criteria))
    mine = replace(ladder, rubrics={**ladder.rubrics, person.target_level: plain})
    sheet = se_sheet(mine, Seed(person), "S", QUARTER, blind=False)
    s = FIRST + len(rubric.criteria) + 1
    assert [_value(sheet, f"C{s + i}") for i in range(4)] == [
        "Readiness (your scores)", "Band (your scores)", "Criteria you scored", SELF_READINESS]
    assert not any(c.key.endswith("manager_hold") for c in sheet.cells)
    assert sheet.merges == ("D3:I3", f"D{s + 6}:I{s + 6}")


def test_the_guide_reads_in_order_as_the_manager_follows_it(ladder: Ladder, review_roster: Roster,
                                                            amara: Manager, team: list[Person]) -> None:
    """Each instruction, its words and its look: headings bold, paragraphs wrapped, the return line bold."""
    guide = _review(ladder, review_roster, amara, [Seed(p) for p in team], blind=True).sheets[0]
    start = next(c.row for c in guide.cells if c.value == "How to fill in")
    end = next(c.row for c in guide.cells if c.value == "SE")
    texts = [(str(c.value), c.style) for c in sorted(guide.cells, key=lambda c: c.row)
             if c.column == "A" and start <= c.row < end and isinstance(c.value, str)]
    recommendations = ", ".join(r.shown for r in Recommendation).replace(", Not yet", " or Not yet")
    assert texts == [
        ("How to fill in", "heading"),
        (f"This is your review of your SEs for {QUARTER}: one sheet per SE, named after them, and a Team sheet that "
         "shows how your scores compare with the rest of the org's.", "paragraph"),
        ("1. On each SE's sheet, score every criterion in the yellow 'Your score' column (0 to 3) and add a comment "
         "where it helps. The SE's evidence is beside it, read-only.", "paragraph"),
        (f"2. Below the criteria, choose your recommendation ({recommendations}) and say why: it goes into the "
         "promotion packet as you write it.", "paragraph"),
        ("3. Before you send it, look at the Team sheet: your mean score per criterion beside the org's for the same "
         "rubric shows your own leniency or strictness.", "paragraph"),
        (f"Save it and return it to {amara.email} by {DUE.isoformat()}.", "label"),
        ("Send it from your own address: a review sent from any other address is not used, so that the scores are "
         "known to be yours.", "paragraph"),
        ("Blind review: the SEs' self scores are left out, so you score first. Once the reviews are collected, the "
         "next review workbook shows them side by side, your scores carried in.", "paragraph")]
