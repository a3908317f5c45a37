"""The Team page of a manager's review (core/review_team.py): the manager's own figures, live, beside the org's.

Pure: the review workbook is laid out in memory, filled as a manager fills it, and every formula
of the Team page is worked out by the formulas package over the SE sheets it reads
(tests/support/shown.py); what it must show comes from scoring (each SE's band) and
calibration (each criterion's line), the figures' one implementation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.calibration import HIGHER, IN_LINE, LOWER, NO_ORG, TOO_FEW, OrgFigures, line, threshold
from ladder_sheets.core.cells import TITLE_HEIGHT, Cell, Role, SheetLayout, WorkbookLayout, height
from ladder_sheets.core.model import INCOMPLETE_BAND, CellValue, CriterionInput, Inputs, Ladder, Manager, Person, Roster
from ladder_sheets.core.review_layout import COL, FIRST, TEAM, Seed, build_review, key
from ladder_sheets.core.review_team import expected_team, flag_formula, team_sheet
from ladder_sheets.core.styles import FILL, STYLES
from tests.conftest import DUE, QUARTER
from tests.support.shown import Shown


@pytest.fixture(scope="module")
def everyone(review_roster: Roster, amara: Manager) -> list[Person]:
    """The whole example roster as Amara's team: two SEs toward principal, three toward senior, one on each
    other rubric; a small calibration minimum (2), so that the rubrics of two or three SEs are flagged."""
    return [replace(p, manager=amara.id) for p in review_roster.people]


def _small_n(ladder: Ladder) -> Ladder:
    return replace(ladder, calibration_min_n=2)


def _scores(ladder: Ladder, people: list[Person]) -> dict[str, dict[str, float | None]]:
    """A different pattern per SE: 3s, 2s, 1s, one criterion each left blank, one SE not scored at all."""
    patterns: list[list[float | None]] = [[3.0], [2.0], [1.0, 2.0], [0.0, 3.0, None], [2.0, 3.0], [], [3.0, 1.0],
                                          [2.0, None]]
    out: dict[str, dict[str, float | None]] = {}
    for p, pattern in zip(people, patterns):
        criteria = ladder.rubric_for(p.target_level).criteria
        out[p.id] = {c.id: pattern[i % len(pattern)] for i, c in enumerate(criteria)} if pattern else {}
    return out


def _typed(people: list[Person], scores: Mapping[str, Mapping[str, float | None]]) -> dict[str, CellValue]:
    return {key(p.id, f"criteria.{cid}.manager"): v for p in people for cid, v in scores[p.id].items()}


def _band(ladder: Ladder, person: Person, scores: Mapping[str, float | None]) -> str:
    """The SE's band by the manager's scores, as scoring.py gives it."""
    rubric = ladder.rubric_for(person.target_level)
    inputs = Inputs(criteria={c.id: CriterionInput(manager_score=scores.get(c.id)) for c in rubric.criteria})
    return scoring.score(ladder, rubric, inputs, person.level).manager_band


def _org(ladder: Ladder, people: list[Person]) -> OrgFigures:
    """Org figures for the first four criteria of each rubric (1.0 over 4 SEs, 2.5 over 1, 2.0 and 3.0 over 6),
    none for the rest."""
    means: dict[tuple[str, str], tuple[float, int]] = {}
    for target in {p.target_level for p in people}:
        for c, figure in zip(ladder.rubric_for(target).criteria, ((1.0, 4), (2.5, 1), (2.0, 6), (3.0, 6))):
            means[(target, c.id)] = figure
    return OrgFigures("the 2026-Q3 reviews of 3 other managers", means)


def _review(ladder: Ladder, roster: Roster, manager: Manager, people: list[Person], org: OrgFigures) -> WorkbookLayout:
    return build_review(ladder, roster, manager, QUARTER, DUE, [Seed(p) for p in people], False, org)


def _team(wl: WorkbookLayout) -> SheetLayout:
    return next(s for s in wl.sheets if s.title == TEAM)


def _at(sheet: SheetLayout, ref: str) -> CellValue:
    return next((c.value for c in sheet.cells if c.ref == ref), None)


def _rows(sheet: SheetLayout, column: str) -> dict[CellValue, int]:
    """The row of each value written in ``column``."""
    return {c.value: c.row for c in sheet.cells if c.column == column}


def _approx(value: CellValue) -> object:
    return pytest.approx(value) if isinstance(value, float) else value


# ---- what the formulas show --------------------------------------------------------------------------------


def test_every_figure_of_the_team_page_shows_what_scoring_and_calibration_give(
        ladder: Ladder, review_roster: Roster, amara: Manager, everyone: list[Person]) -> None:
    ladder = _small_n(ladder)
    scores, org = _scores(ladder, everyone), _org(ladder, everyone)
    wl = _review(ladder, review_roster, amara, everyone, org)
    shown = Shown(wl, _typed(everyone, scores))
    bands = {p.id: _band(ladder, p, scores[p.id]) for p in everyone}
    # An SE the manager has not scored at all need not be in the scores given.
    want = expected_team(ladder, everyone, bands, {k: v for k, v in scores.items() if v}, org)
    got = {c.key: shown(TEAM, c.ref) for c in _team(wl).cells if c.key}
    assert set(got) == set(want)
    assert got == {k: _approx(v) for k, v in want.items()}
    # The case covers every band and every flag, and a rubric of several SEs counted apart.
    assert {v for k, v in want.items() if k.endswith(".flag")} == {HIGHER, LOWER, IN_LINE, TOO_FEW, NO_ORG, ""}
    assert set(bands.values()) == {*(b.name for b in ladder.bands), INCOMPLETE_BAND}
    assert want[f"team.senior.band.{bands['tomas-novak']}"] >= 1
    assert sum(v for k, v in want.items() if k.startswith("team.senior.band.")) == 3  # type: ignore[misc]


def test_a_criterion_line_is_the_managers_mean_and_n_over_their_ses_on_that_rubric(
        ladder: Ladder, review_roster: Roster, amara: Manager, everyone: list[Person]) -> None:
    """Three SEs toward senior scored 2, 3 and blank on its first criterion: mean 2.5 over 2; the org's
    1.0 over 4 is 1.5 lower: flagged "higher" (the minimum is 2)."""
    ladder = _small_n(ladder)
    senior = [p for p in everyone if p.target_level == "senior"]
    first = ladder.rubric_for("senior").criteria[0].id
    scores = {p.id: {first: v} for p, v in zip(senior, (2.0, 3.0, None))}
    wl = _review(ladder, review_roster, amara, senior, _org(ladder, senior))
    shown = Shown(wl, _typed(senior, scores))
    k = f"team.senior.{first}"
    assert [shown.key(f"{k}.{x}") for x in ("mean", "n", "difference", "flag")] == [2.5, 2, 1.5, HIGHER]
    assert shown.key("team.senior.band.Incomplete") == 3  # no SE scored on every criterion


def test_a_blank_and_a_score_of_zero_are_not_the_same(ladder: Ladder, review_roster: Roster, amara: Manager,
                                                      everyone: list[Person]) -> None:
    senior = [p for p in everyone if p.target_level == "senior"]
    first = ladder.rubric_for("senior").criteria[0].id
    wl = _review(ladder, review_roster, amara, senior, OrgFigures())
    shown = Shown(wl, _typed(senior, {senior[0].id: {first: 0.0}, senior[1].id: {}, senior[2].id: {}}))
    assert (shown.key(f"team.senior.{first}.mean"), shown.key(f"team.senior.{first}.n")) == (0, 1)
    assert shown.key(f"team.senior.{first}.flag") == NO_ORG
    nobody = Shown(wl, {})
    assert (nobody.key(f"team.senior.{first}.mean"), nobody.key(f"team.senior.{first}.n")) == ("", 0)
    assert nobody.key(f"team.senior.{first}.difference") == "" and nobody.key(f"team.senior.{first}.flag") == ""


def test_a_sorted_se_sheet_still_gives_each_criterion_its_own_scores(
        ladder: Ladder, review_roster: Roster, amara: Manager, everyone: list[Person]) -> None:
    """The manager's figures find a criterion by its id, not its row: the SE sheet sorted bottom up
    (ids and scores moved together) gives the same line."""
    senior = [p for p in everyone if p.target_level == "senior"][:1]
    criteria = ladder.rubric_for("senior").criteria
    wl = _review(ladder, review_roster, amara, senior, OrgFigures())
    scores = {c.id: float(i % 4) for i, c in enumerate(criteria)}
    title = next(s.title for s in wl.sheets if s.title not in ("Guide", TEAM))
    sheet = next(s for s in wl.sheets if s.title == title)
    rows = list(range(FIRST, FIRST + len(criteria)))
    moved = {f"{COL[c]}{r}": f"{COL[c]}{rows[-1 - (r - FIRST)]}" for r in rows for c in ("id", "manager")}
    sorted_sheet = replace(sheet, cells=tuple(replace(c, ref=moved.get(c.ref, c.ref)) for c in sheet.cells))
    wl_sorted = replace(wl, sheets=tuple(sorted_sheet if s.title == title else s for s in wl.sheets))
    shown = Shown(wl_sorted, {key(senior[0].id, f"criteria.{cid}.manager"): v for cid, v in scores.items()})
    for c in criteria:
        assert shown.key(f"team.senior.{c.id}.mean") == scores[c.id]


@pytest.mark.parametrize(("mean", "org_mean", "flag"), [
    (2.0, 1.4, HIGHER), (2.0, 2.6, LOWER), (2.0, 1.41, IN_LINE), (2.0, 2.59, IN_LINE), (2.0, 2.0, IN_LINE)])
def test_a_difference_is_flagged_from_the_alert_exactly(ladder: Ladder, mean: float, org_mean: float,
                                                         flag: str) -> None:
    """The ladder's alert (0.2 of a scale of 3: 0.6 points) flags a difference of 0.6 either way, not 0.59."""
    assert threshold(ladder) == pytest.approx(0.6)
    assert _flag(ladder, mean, 5, org_mean, 5) == flag == line(
        ladder, "senior", "SR-01", [mean] * 5, OrgFigures("", {("senior", "SR-01"): (org_mean, 5)})).flag


@pytest.mark.parametrize(("n", "org_n", "flag"), [(4, 5, TOO_FEW), (5, 4, TOO_FEW), (5, 5, HIGHER)])
def test_a_difference_is_too_few_to_tell_below_the_minimum_on_either_side(ladder: Ladder, n: int, org_n: int,
                                                                           flag: str) -> None:
    assert ladder.calibration_min_n == 5
    assert _flag(ladder, 3.0, n, 1.0, org_n) == flag


def test_no_flag_without_a_mean_and_no_org_figure_without_the_orgs(ladder: Ladder) -> None:
    assert _flag(ladder, None, 0, 1.0, 5) == ""
    assert _flag(ladder, 2.0, 5, None, 0) == NO_ORG


def _flag(ladder: Ladder, mean: float | None, n: int, org_mean: float | None, org_n: int) -> CellValue:
    """``flag_formula`` worked out over a row holding these figures, and their difference."""
    diff: CellValue = None if mean is None or org_mean is None else mean - org_mean
    cells = (Cell("A1", _LABEL, mean), Cell("B1", _LABEL, n), Cell("C1", _LABEL, "—" if org_mean is None else org_mean),
             Cell("D1", _LABEL, org_n), Cell("E1", _LABEL, diff),
             Cell("F1", _FORMULA, flag_formula(ladder, "A1", "B1", "C1", "D1", "E1"), key="flag"))
    return Shown(WorkbookLayout(None, QUARTER, "", (SheetLayout("Row", cells),))).key("flag")


_LABEL, _FORMULA = Role.LABEL, Role.FORMULA


def test_an_se_named_with_a_quote_is_counted_on_the_team_page(ladder: Ladder, review_roster: Roster,
                                                              amara: Manager, everyone: list[Person]) -> None:
    """A sheet named "Seán O'Brien" is quoted in the formulas, its quote doubled: the formulas still read it."""
    person = replace(everyone[1], name="Seán O'Brien")
    wl = _review(ladder, review_roster, amara, [person], OrgFigures())
    assert "Seán O'Brien" in [s.title for s in wl.sheets]
    criteria = ladder.rubric_for(person.target_level).criteria
    shown = Shown(wl, {key(person.id, f"criteria.{c.id}.manager"): 3 for c in criteria})
    top = ladder.bands[0].name
    assert shown.key(f"team.{person.target_level}.band.{top}") == 1
    assert shown.key(f"team.{person.target_level}.{criteria[0].id}.mean") == 3


# ---- what the page says -------------------------------------------------------------------------------------


def test_the_page_is_titled_for_the_manager_and_quarter_and_says_how_it_flags(
        ladder: Ladder, review_roster: Roster, amara: Manager, everyone: list[Person]) -> None:
    org = _org(ladder, everyone)
    sheet = team_sheet(ladder, amara, QUARTER, [(p, p.name) for p in everyone], org, FIRST, COL)
    assert sheet.title == TEAM
    assert _at(sheet, "A1") == f"Your scores beside the org's: Amara Okafor, {QUARTER}"
    caption = _at(sheet, "A2")
    assert isinstance(caption, str)
    assert "the org's leaves you out. Org figures: the 2026-Q3 reviews of 3 other managers. A difference" in caption
    assert "A difference of 0.6 points or more is flagged once both sides have at least 5 SEs" in caption
    assert caption.endswith(f"below that: {TOO_FEW}.")
    assert "A2:H2" in sheet.merges
    assert sheet.heights[1] == TITLE_HEIGHT and sheet.heights[2] == height([(caption, sum(sheet.widths.values()))])
    assert sheet.heights[2] > 15  # the caption wraps over several lines


def test_without_org_figures_the_caption_says_there_are_none_yet(ladder: Ladder, amara: Manager,
                                                                  everyone: list[Person]) -> None:
    sheet = team_sheet(ladder, amara, QUARTER, [(p, p.name) for p in everyone[:1]], OrgFigures(), FIRST, COL)
    caption = _at(sheet, "A2")
    assert isinstance(caption, str)
    assert "the org's leaves you out. Org figures: none yet (no other manager's scores). A difference" in caption
    assert all(_at(sheet, f"E{r}") == "—" and _at(sheet, f"F{r}") == 0 for r in _criterion_rows(sheet))


def _criterion_rows(sheet: SheetLayout) -> list[int]:
    return sorted(c.row for c in sheet.cells if c.key.endswith(".mean"))


def test_each_rubric_has_a_block_in_the_order_its_first_se_comes(ladder: Ladder, amara: Manager,
                                                                  everyone: list[Person]) -> None:
    """A heading per rubric ("…: 3 of your SEs", "…: 1 of your SE"), the bands with the SEs each holds,
    the column headers, one line per criterion (id, text, the org's figures), a blank row between blocks."""
    org = _org(ladder, everyone)
    sheet = team_sheet(ladder, amara, QUARTER, [(p, p.name) for p in everyone], org, FIRST, COL)
    targets = list(dict.fromkeys(p.target_level for p in everyone))
    headings = sorted((c.row, c.value) for c in sheet.cells if c.style == "heading")
    counts = {t: sum(p.target_level == t for p in everyone) for t in targets}
    assert [v for _, v in headings] == [
        f"{ladder.rubric_for(t).title}: {counts[t]} of your SE{'s' if counts[t] != 1 else ''}" for t in targets]
    assert headings[0][0] == 4
    bands = [*(b.name for b in ladder.bands), INCOMPLETE_BAND]
    for (r, _), target in zip(headings, targets):
        criteria = ladder.rubric_for(target).criteria
        assert f"A{r}:H{r}" in sheet.merges
        assert (_at(sheet, f"B{r + 1}"), _at(sheet, f"C{r + 1}")) == ("Band (by your scores)", "SEs")
        assert [_at(sheet, f"B{r + 2 + i}") for i in range(len(bands))] == bands
        assert [c.key for c in sheet.cells if c.row in range(r + 2, r + 2 + len(bands)) and c.column == "C"] == [
            f"team.{target}.band.{b}" for b in bands]
        head = r + 2 + len(bands) + 1
        assert [_at(sheet, f"{col}{head}") for col in "ABCDEFGH"] == [
            "ID", "Criterion", "Your mean", "Your n", "Org mean", "Org n", "Difference", "Flag"]
        for i, c in enumerate(criteria, start=head + 1):
            mean, n = org.means.get((target, c.id), ("—", 0))
            assert [_at(sheet, f"{col}{i}") for col in "ABEF"] == [c.id, c.text, mean, n]
            assert [x.key for x in sheet.cells if x.row == i and x.key] == [
                f"team.{target}.{c.id}.{k}" for k in ("mean", "n", "difference", "flag")]
            assert sheet.heights[i] == height([(c.text, 42)])
        last = head + len(criteria)
        rule = next(x for x in sheet.rules if x.range == f"H{head + 1}:H{last}")
        assert rule.fill == FILL["close"]
        later = [row for row, _ in headings if row > r]
        assert not later or later[0] == last + 2
    assert len(sheet.rules) == len(targets)


def test_the_flag_is_coloured_when_higher_or_lower_only(ladder: Ladder, amara: Manager,
                                                        everyone: list[Person]) -> None:
    sheet = team_sheet(ladder, amara, QUARTER, [(everyone[0], "X")], OrgFigures(), FIRST, COL)
    (rule,) = sheet.rules
    first = rule.range.split(":")[0]
    for flag, coloured in ((HIGHER, True), (LOWER, True), (IN_LINE, False), (TOO_FEW, False), (NO_ORG, False)):
        cells = (Cell(first, _LABEL, flag), Cell("Z1", _FORMULA, "=" + rule.formula, key="rule"))
        assert Shown(WorkbookLayout(None, QUARTER, "", (SheetLayout("T", cells),))).key("rule") is coloured


def test_the_columns_are_wide_enough_for_their_headers_and_the_criterion_text(
        ladder: Ladder, amara: Manager, everyone: list[Person]) -> None:
    sheet = team_sheet(ladder, amara, QUARTER, [(everyone[0], "X")], OrgFigures(), FIRST, COL)
    assert list(sheet.widths) == list("ABCDEFGH")
    heads = {c.column: str(c.value) for c in sheet.cells if c.value == "ID" or c.column != "A" and c.style == "header"
             and c.value not in ("Band (by your scores)", "SEs")}
    assert all(sheet.widths[col] >= len(h) for col, h in heads.items())
    assert sheet.widths["B"] == 42  # the criterion text wraps at the width its row height was worked out for


def test_nothing_on_the_team_page_can_be_typed_into_and_each_kind_of_cell_looks_its_part(
        ladder: Ladder, amara: Manager, everyone: list[Person]) -> None:
    """Labels and formulas only (the writer locks both); the title and headings stand out, the caption reads
    as a note, band names and criterion texts wrap, what is worked out is shaded as calculated, the org's
    figures are greyed as figures carried in, criterion ids small and grey."""
    org = _org(ladder, everyone)
    sheet = team_sheet(ladder, amara, QUARTER, [(p, p.name) for p in everyone], org, FIRST, COL)
    assert {c.role for c in sheet.cells if not c.key} == {Role.LABEL}
    assert {c.role for c in sheet.cells if c.key} == {Role.FORMULA}
    look = {c.ref: STYLES[c.style] for c in sheet.cells}
    assert look["A1"].bold and look["A1"].size == 14
    assert look["A2"].italic and look["A2"].wrap
    heads = [c for c in sheet.cells if c.value in ("Band (by your scores)", "SEs", "ID", "Flag")]
    assert heads and all(look[c.ref] == STYLES["header"] for c in heads)
    assert all(look[c.ref] == STYLES["header"] for c in sheet.cells if c.row in {h.row for h in heads})
    assert all(look[c.ref].bold and look[c.ref].size == 12 for c in sheet.cells if str(c.value).startswith(
        tuple(f"{ladder.rubric_for(p.target_level).title}:" for p in everyone)))
    assert all(look[c.ref].fill == FILL["calculated"] for c in sheet.cells if c.role is Role.FORMULA)
    lines = _criterion_rows(sheet)
    assert all(look[f"E{r}"] == look[f"F{r}"] == STYLES["carry_number"] for r in lines)
    assert all(look[f"A{r}"] == STYLES["id"] and look[f"B{r}"].wrap for r in lines)
    bands = [c for c in sheet.cells if c.column == "B" and c.value in {*(b.name for b in ladder.bands), INCOMPLETE_BAND}]
    assert len(bands) == 4 * len({p.target_level for p in everyone}) and all(look[c.ref].wrap for c in bands)


def test_means_show_one_decimal_and_a_difference_its_sign(ladder: Ladder, amara: Manager,
                                                          everyone: list[Person]) -> None:
    sheet = team_sheet(ladder, amara, QUARTER, [(everyone[0], "X")], _org(ladder, everyone), FIRST, COL)
    cells = {c.ref: c for c in sheet.cells}
    for r in _criterion_rows(sheet):
        assert cells[f"C{r}"].number_format == cells[f"E{r}"].number_format == "0.0"
        assert cells[f"G{r}"].number_format == "+0.0;-0.0;0.0"
