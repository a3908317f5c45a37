"""The promotion committee's workbook as laid out (core/committee_layout.py): who is listed, what each row
shows and asks, and what its formulas work out.

Pure: the summary rows are built in memory; the layout's formulas are worked out by the formulas package
over what the committee types (tests/support/shown.py) and held against ``check``, the one statement of
what a row still needs. The Managers sheets are tests/test_committee_managers.py's; reading the workbook
back tests/test_committee_read.py's.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from ladder_sheets.core.agenda import Agenda
from ladder_sheets.core.calibration import Calibration
from ladder_sheets.core.cells import GUIDE, TITLE_HEIGHT, Cell, Check, Requirement, Role, SheetLayout, WorkbookLayout, height
from ladder_sheets.core.committee_layout import (AS_MANAGERS, BAND_NEEDED, DECISIONS, HEAD, RATIONALE_NEEDED,
                                                 Listed, build_committee, check, committee_version, decisions_sheet,
                                                 expected_decisions, key, listing, reading_guide, reading_layout)
from ladder_sheets.core.kinds import COMMITTEE, KIND_KEY
from ladder_sheets.core.model import Band, CellValue, Ladder, Roster
from ladder_sheets.core.styles import FILL, STYLES
from ladder_sheets.core.summary import Evidence, Row, Summary, summarize
from ladder_sheets.core.trends import Trends
from tests.conftest import QUARTER
from tests.support.results import inputs_for, results_for
from tests.support.shown import Shown


@pytest.fixture(scope="module")
def summary(ladder: Ladder, review_roster: Roster) -> Summary:
    return summarize(results_for(ladder, review_roster, {p.id: inputs_for(ladder, p.target_level, 2, 1)
                                                        for p in review_roster.people}), ladder)


def _row(pid: str, band: str, pct: float | None, *, name: str = "", recommendation: str = "", agreed: str = "",
         **more: object) -> Row:
    return Row(pid, name or pid.title(), f"{pid}@x.example", "East", "mgr-amara", "Amara Okafor", "amara@x.example",
               "Senior SE", "Principal SE", "complete", manager_pct=pct, manager_band=band,
               agenda=Agenda(recommendation=recommendation), agreed_band=agreed, **more)  # type: ignore[arg-type]


def _listed(pid: str, band: str = "Ready", **more: object) -> Listed:
    return Listed(pid, pid.title(), "Amara Okafor", "Senior SE → Principal SE", band, 0.9, f"{QUARTER} 90%", 2,
                  "11 of 11 where needed", "Promote now", "Amara Okafor, in their review", **more)  # type: ignore[arg-type]


def _value(sheet: SheetLayout, ref: str) -> CellValue:
    return next((c.value for c in sheet.cells if c.ref == ref), None)


def _calibration(ladder: Ladder) -> Calibration:
    """No manager's figures: the Managers sheets are not what these tests look at."""
    return Calibration("no reviews", (), ladder.calibration_min_n)


def cell_of(ref: str, value: CellValue, k: str = "") -> Cell:
    """A cell holding ``value``: a formula, keyed ``k``, when ``k`` is given."""
    return Cell(ref, Role.FORMULA if k else Role.LABEL, value, key=k)


def _workbook(sheet: SheetLayout) -> WorkbookLayout:
    return WorkbookLayout(None, QUARTER, "", (sheet,))


# ---- who is listed ------------------------------------------------------------------------------------------


def test_the_committee_sees_the_top_band_those_near_it_those_recommended_and_those_decided(
        ladder: Ladder, summary: Summary) -> None:
    """Ready first, then by manager readiness (highest first), then by name; Close within 10 points of
    Ready's 85% (75% exactly counts, 74% not); anyone recommended now; anyone the committee decided on."""
    rows = (_row("far", "Developing", 0.3), _row("close-74", "Close", 0.74), _row("close-75", "Close", 0.75),
            _row("ready-b", "Ready", 0.9, name="Bea"), _row("ready-a", "Ready", 0.9, name="Abe"),
            _row("ready-top", "Ready", 0.97), _row("asked", "Developing", 0.2, recommendation="Promote now"),
            _row("decided", "Incomplete", None, agreed="Close"), _row("next", "Close", 0.7, recommendation="Next cycle"))
    got = listing(ladder, replace(summary, rows=rows), None)
    assert [x.person_id for x in got] == ["ready-top", "ready-a", "ready-b", "close-75", "asked", "decided"]


def test_a_listed_se_shows_what_the_committee_reads_across(ladder: Ladder, summary: Summary) -> None:
    evidence = (Evidence("PR-01", "a", 3, 3, "Led the Acme POC"), Evidence("PR-04", "b", 3, 3, "Ran the QBR"))
    row = _row("ana", "Ready", 0.912, name="Ana Ruiz", recommendation="Promote now", criteria=11, evidence=evidence,
               streak=3, scored_by="review", rationale="Strong", verdict="Promote", agreed="Ready")
    (x,) = listing(ladder, replace(summary, rows=(row,)), None)
    assert x == Listed("ana", "Ana Ruiz", "Amara Okafor", "Senior SE → Principal SE", "Ready", 0.912, f"{QUARTER} 91%",
                       3, "11 of 11 where needed", "Promote now", "Amara Okafor, in their review", "Ready", "Strong",
                       "Promote")


def test_the_evidence_names_each_criterion_scored_high_without_it(ladder: Ladder, summary: Summary) -> None:
    unsupported = tuple(Evidence(cid, "c", 3, 3, "", unsupported=True) for cid in ("PR-01", "PR-04"))
    row = _row("ana", "Ready", 0.9, criteria=11, evidence=(Evidence("PR-02", "c", 3, 3, "Seen"), *unsupported))
    (x,) = listing(ladder, replace(summary, rows=(row,)), None)
    assert x.evidence == "9 of 11 where needed; none for PR-01, PR-04"
    assert x.recommendation == "none"


@pytest.mark.parametrize(("kind", "shown"), [
    ("review", "Amara Okafor, in their review"), ("google", "Amara Okafor, in the Google sheet"),
    ("manager_return", "Amara Okafor, workbook from their side"), ("plain_file", "a file given to collect"),
    ("", "not scored")])
def test_the_row_says_where_the_managers_scores_came_from(ladder: Ladder, summary: Summary, kind: str,
                                                          shown: str) -> None:
    (x,) = listing(ladder, replace(summary, rows=(_row("ana", "Ready", 0.9, scored_by=kind),)), None)
    assert x.scored_by == shown


def test_readiness_over_quarters_is_the_historys_with_a_dash_where_a_quarter_has_none(
        ladder: Ladder, summary: Summary) -> None:
    trends = Trends(("2026-Q2", "2026-Q3", QUARTER), {"ana": [("2026-Q2", 0.705), ("2026-Q4", 0.88)]}, {}, {}, {}, [],
                    None)
    (x,) = listing(ladder, replace(summary, rows=(_row("ana", "Ready", 0.88),)), trends)
    assert x.over == f"2026-Q2 70% · 2026-Q3 — · {QUARTER} 88%"
    (alone,) = listing(ladder, replace(summary, rows=(_row("ana", "Ready", 0.88),)), None)
    assert alone.over == f"{QUARTER} 88%"
    (nothing,) = listing(ladder, replace(summary, rows=(_row("ana", "Incomplete", None, agreed="Ready"),)), None)
    assert nothing.over == f"{QUARTER} —"


# ---- the Decisions sheet ------------------------------------------------------------------------------------


def test_decisions_is_titled_captioned_and_headed_for_the_quarter(ladder: Ladder) -> None:
    sheet = decisions_sheet(ladder, QUARTER, [_listed("ana")])
    assert sheet.title == DECISIONS
    assert _value(sheet, "A1") == f"Promotion committee: {QUARTER}"
    caption = str(_value(sheet, "A2"))
    assert caption.startswith("One row per SE in or near Ready. Read across, then fill in the yellow cells")
    headers = [str(_value(sheet, f"{c}{HEAD}")) for c in "ABCDEFGHIJKLMNO"]
    assert headers == ["ID", "SE", "Manager", "Level → target", "Manager's band", "Manager readiness",
                       "Readiness over quarters", "Ready in a row", "Evidence", "Manager recommends", "Scored by",
                       "Agreed band", "Rationale", "Decision", "Check"]
    assert all(STYLES[c.style] == STYLES["header"] for c in sheet.cells if c.row == HEAD)
    assert STYLES[next(c.style for c in sheet.cells if c.ref == "A1")].size == 14
    assert STYLES[next(c.style for c in sheet.cells if c.ref == "A2")].wrap
    assert sheet.heights[1] == TITLE_HEIGHT
    assert sheet.heights[2] == height([(caption, sum(sheet.widths.values()))])
    assert sheet.heights[HEAD] == height([(h, sheet.widths[c]) for h, c in zip(headers, "ABCDEFGHIJKLMNO")], bold=True)
    assert sheet.merges == ("A2:O2",) and sheet.freeze == f"C{HEAD + 1}" and sheet.print_rows == f"{HEAD}:{HEAD}"


def test_each_row_shows_the_se_read_only_and_asks_for_the_committees_decision(ladder: Ladder) -> None:
    x = _listed("ana", agreed="Close", rationale="Thin exec presence", verdict="Not yet")
    sheet = decisions_sheet(ladder, QUARTER, [_listed("bo"), x])
    r = HEAD + 2
    cells = {c.column: c for c in sheet.cells if c.row == r}
    assert (cells["A"].value, cells["A"].key, cells["B"].value) == ("ana", "rowid.decisions.ana", "Ana")
    shown = {"C": x.manager, "D": x.move, "F": x.manager_pct, "G": x.over, "H": x.streak, "I": x.evidence,
             "J": x.recommendation, "K": x.scored_by}
    names = dict(zip("CDFGHIJK", ("manager", "move", "pct", "over", "streak", "evidence", "recommendation", "scored")))
    for col, v in shown.items():
        assert (cells[col].value, cells[col].role, cells[col].key) == (v, Role.LABEL, key("ana", f"shown.{names[col]}"))
    assert (cells["F"].number_format, cells["H"].number_format) == ("0%_)", "0_)")
    assert all(STYLES[cells[c].style] == STYLES["wrap"] for c in "BCDGIJK")
    assert STYLES[cells["A"].style] == STYLES["id"] and STYLES[cells["E"].style] == STYLES["text"]
    assert STYLES[cells["F"].style] == STYLES[cells["H"].style] == STYLES["carry_number"]
    assert STYLES[cells["O"].style] == STYLES["formula_wrap"]
    assert (cells["E"].value, cells["E"].role, cells["E"].key) == ("Ready", Role.META, key("ana", "manager_band"))
    agreed, rationale, verdict = cells["L"], cells["M"], cells["N"]
    assert (agreed.value, rationale.value, verdict.value) == ("Close", "Thin exec presence", "Not yet")
    for cell, name in ((agreed, "agreed"), (rationale, "rationale"), (verdict, "verdict")):
        assert cell.role is Role.INPUT and cell.key == key("ana", name) and cell.required is Requirement.NEVER
        assert STYLES[cell.style] == STYLES["input_wrap" if name == "rationale" else "input"]
    assert agreed.validation is not None and agreed.validation.check is Check.CHOICE
    assert agreed.validation.options == ("Ready", "Close", "Developing")
    assert (agreed.validation.title, agreed.validation.message) == ("Agreed band", "Choose one of: Ready, Close, Developing")
    assert verdict.validation is not None and verdict.validation.options == ("Promote", "Not yet", "Defer")
    assert (verdict.validation.title, verdict.validation.message) == ("Decision", "Choose one of: Promote, Not yet, Defer")
    assert rationale.validation is not None and (rationale.validation.check, rationale.validation.maximum) == (
        Check.TEXT, 3000)
    assert rationale.validation.message == "The rationale is limited to 3,000 characters."
    assert rationale.validation.title == "Rationale"
    assert rationale.number_format == "@" and STYLES[rationale.style].wrap
    assert (cells["O"].role, cells["O"].key) == (Role.FORMULA, key("ana", "check"))
    assert sheet.heights[r] == height([(x.name, 16), (x.evidence, 20), (x.over, 17), (x.move, 15), (x.rationale, 30)])
    blank = {c.column: c.value for c in sheet.cells if c.row == HEAD + 1}
    assert (blank["L"], blank["M"], blank["N"]) == (None, None, None)


_TYPED = ["", "Ready", "ready", "Close"]
_RATIONALES = ["", "   ", "Thin exec presence"]
_VERDICTS = ["", "Promote"]


def test_the_check_says_what_each_row_still_needs(ladder: Ladder) -> None:
    """Every combination of agreed band (none, the manager's in either case, another), rationale (none,
    spaces, words) and decision (none, one), worked out by the row's formula and by ``check`` alike."""
    combos = list(itertools.product(_TYPED, _RATIONALES, _VERDICTS))
    listed = [_listed(f"se{i}") for i in range(len(combos))]
    typed = {x.person_id: combo for x, combo in zip(listed, combos)}
    wl = build_committee(ladder, QUARTER, listed, _calibration(ladder))
    values = {key(pid, n): v or None for pid, combo in typed.items() for n, v in zip(("agreed", "rationale", "verdict"),
                                                                                     combo)}
    shown = Shown(wl, values)
    want = expected_decisions(ladder, listed, typed)
    # "Decided" counts agreed bands with COUNTIF(..., "?*"), which the formulas package gets wrong over blank
    # cells (it counts them); it is worked out over rows all decided below, and by LibreOffice in test_committee_calc.
    decided = want.pop("decisions.total.decided")
    assert {k: shown.key(k) for k in want} == want
    checks = {want[key(x.person_id, "check")] for x in listed}
    assert checks == {"", BAND_NEEDED, AS_MANAGERS, RATIONALE_NEEDED, "changed from Ready"}
    assert [decided, *(want[f"decisions.total.{k}"] for k in ("changed", "missing", "top"))] == [18, 6, 4, 12]


@pytest.mark.parametrize(("agreed", "rationale", "verdict", "says"), [
    ("", "", "", ""), ("", "", "Defer", BAND_NEEDED), ("Ready", "", "", AS_MANAGERS), ("READY", "", "", AS_MANAGERS),
    ("Close", "", "Not yet", RATIONALE_NEEDED), ("Close", " \t", "", RATIONALE_NEEDED),
    ("Close", "Thin", "", "changed from Ready")])
def test_check_in_words(agreed: str, rationale: str, verdict: str, says: str) -> None:
    assert check(agreed, "Ready", rationale, verdict) == says


def test_the_totals_count_how_far_the_committee_has_got(ladder: Ladder) -> None:
    listed = [_listed("a"), _listed("b", band="Close"), _listed("c", band="Close")]
    sheet = decisions_sheet(ladder, QUARTER, listed)
    assert [(_value(sheet, f"{c}4")) for c in "ABCEGIK"] == ["Listed", 3, "Decided", None, "Changed band",
                                                            "Rationale needed", "Agreed Ready"]
    assert next(c.number_format for c in sheet.cells if c.ref == "B4") == "0_)"
    typed = {"a": ("Ready", "", "Promote"), "b": ("Ready", "", ""), "c": ("Developing", "", "Defer")}
    values = {key(pid, n): v or None for pid, combo in typed.items() for n, v in zip(("agreed", "rationale", "verdict"),
                                                                                     combo)}
    shown = Shown(_workbook(sheet), values)
    assert [shown(DECISIONS, f"{c}4") for c in "DHJL"] == [3, 2, 2, 2]
    assert expected_decisions(ladder, listed, typed) == {
        **{key(x.person_id, "check"): check(*typed[x.person_id][:1], x.manager_band, *typed[x.person_id][1:])
           for x in listed},
        "decisions.total.decided": 3, "decisions.total.changed": 2, "decisions.total.missing": 2,
        "decisions.total.top": 2}
    assert [c.key for c in sheet.cells if c.row == 4 and c.key] == [
        "decisions.total.decided", "decisions.total.changed", "decisions.total.missing", "decisions.total.top"]
    assert all(STYLES[c.style].bold for c in sheet.cells if c.row == 4 and c.column in "ACGIK")
    assert all(STYLES[c.style] == STYLES["result"] for c in sheet.cells if c.row == 4 and c.role is Role.FORMULA)


def test_with_nobody_listed_the_sheet_says_so_and_counts_nothing(ladder: Ladder) -> None:
    sheet = decisions_sheet(ladder, QUARTER, [])
    assert _value(sheet, "A4") == "Nobody is in or near the top band."
    assert not [c for c in sheet.cells if c.role is Role.FORMULA] and sheet.rules == ()
    assert expected_decisions(ladder, [], {}) == {}


def test_a_missing_rationale_and_each_agreed_band_are_coloured(ladder: Ladder) -> None:
    listed = [_listed("a"), _listed("b")]
    sheet = decisions_sheet(ladder, QUARTER, listed)
    first, last = HEAD + 1, HEAD + 2
    ranges = [r.range for r in sheet.rules]
    assert ranges == [f"M{first}:M{last}", f"O{first}:O{last}", *[f"L{first}:L{last}"] * 3]
    assert [r.fill for r in sheet.rules] == [FILL["developing"]] * 2 + [FILL[k] for k in ("ready", "close", "developing")]

    def lit(rule_formula: str, cells: dict[str, CellValue]) -> object:
        layout = (*(cell_of(ref, v) for ref, v in cells.items()), cell_of("Z1", "=" + rule_formula, "rule"))
        return Shown(_workbook(SheetLayout("S", layout))).key("rule")

    needed, shown_check, *bands = sheet.rules
    row = {"E8": "Ready"}
    assert lit(needed.formula, row | {"L8": "Close", "M8": "  "}) is True
    assert lit(needed.formula, row | {"L8": "Close", "M8": "why"}) is False
    assert lit(needed.formula, row | {"L8": "Ready"}) is False
    assert lit(needed.formula, row) is False
    assert [lit(shown_check.formula, {"O8": v}) for v in (RATIONALE_NEEDED, BAND_NEEDED, AS_MANAGERS, "")] == [
        True, True, False, False]
    for rule, band in zip(bands, ladder.bands):
        assert [lit(rule.formula, {"L8": b.name}) for b in ladder.bands] == [b is band for b in ladder.bands]


# ---- the workbook, its Guide, and what is read back ---------------------------------------------------------


def test_the_workbook_is_the_guide_decisions_then_managers(ladder: Ladder) -> None:
    wl = build_committee(ladder, QUARTER, [_listed("a")], _calibration(ladder))
    assert [s.title for s in wl.sheets][:2] == [GUIDE, DECISIONS]
    assert wl.label == f"Promotion committee: {QUARTER}" and wl.person is None
    assert wl.template_version == committee_version(ladder) == f"{ladder.id}@{ladder.version}/committee-1"
    read = reading_layout(ladder, QUARTER, [_listed("a")])
    assert [s.title for s in read.sheets] == [DECISIONS] and read.template_version == wl.template_version
    assert {c.key: c.ref for c in read.sheets[0].cells if c.key} == {c.key: c.ref for c in wl.sheets[1].cells if c.key}


def test_the_guide_lists_who_is_in_it_and_how_to_decide(ladder: Ladder) -> None:
    guide = build_committee(ladder, QUARTER, [_listed("a"), _listed("b")], _calibration(ladder)).sheets[0]
    grid = {c.ref: c.value for c in guide.cells}
    facts = {c.key: (grid[f"A{c.row}"], c.value) for c in guide.cells if c.key}
    assert facts == {KIND_KEY: ("Workbook", COMMITTEE), "meta.quarter": ("Quarter", QUARTER),
                     "meta.template_version": ("Template version", committee_version(ladder)),
                     "meta.listed": ("SEs listed (ids)", "a b")}
    assert {c.key: c.ref for c in reading_guide().cells if c.key} == {c.key: c.ref for c in guide.cells if c.key}
    assert grid["A1"] == f"{ladder.name}: {QUARTER} promotion committee"
    texts = [v for v in grid.values() if isinstance(v, str)]
    assert ("Decisions lists every SE in the Ready band by their manager's scores, those Close with a manager "
            "readiness of 75% or more (within 10 points of Ready), anyone their manager recommends promoting now, "
            "and anyone decided on before.") in texts
    assert "3. Choose a decision: Promote, Not yet, Defer." in texts
    assert any(t.startswith("From then on the agreed band counts") and "Ready by the agreed band (else the manager's) "
               "2 quarters running." in t for t in texts)


def test_a_ladder_of_one_band_names_it_as_the_band_below_too(ladder: Ladder) -> None:
    one = replace(ladder, bands=(Band("Ready", 0.0),), committee_near=0.25)
    guide = build_committee(one, QUARTER, [], _calibration(one)).sheets[0]
    texts = [c.value for c in guide.cells if isinstance(c.value, str)]
    assert any(t.startswith("Decisions lists every SE in the Ready band by their manager's scores, those Ready with "
                            "a manager readiness of -25% or more (within 25 points of Ready)") for t in texts)


def test_the_top_band_comes_first_even_below_a_held_se_of_higher_readiness(ladder: Ladder, summary: Summary) -> None:
    """A Close SE held there by a must-have may have more points than a Ready one; the band still comes first.
    Without readiness an SE sorts as 0%, by name among equals."""
    rows = (_row("held", "Close", 0.95), _row("ready", "Ready", 0.86),
            _row("zed", "Incomplete", None, name="Zed", agreed="Close"),
            _row("abe", "Incomplete", 0.0, name="Abe", agreed="Close"))
    assert [x.person_id for x in listing(ladder, replace(summary, rows=rows), None)] == ["ready", "held", "abe", "zed"]


def test_the_workbook_is_for_its_quarter_throughout(ladder: Ladder, review_roster: Roster, summary: Summary) -> None:
    calibration = summary.calibration
    wl = build_committee(ladder, QUARTER, [_listed("a")], calibration)
    assert wl.quarter == QUARTER and _value(wl.sheets[1], "A1") == f"Promotion committee: {QUARTER}"
    assert len(wl.sheets) > 2 and all(QUARTER in str(_value(s, "A1")) for s in wl.sheets[2:])
    read = reading_layout(ladder, QUARTER, [_listed("a")])
    assert read.quarter == QUARTER and _value(read.sheets[0], "A1") == f"Promotion committee: {QUARTER}"


def test_what_decisions_shows_is_locked_text_but_for_the_committees_cells(ladder: Ladder) -> None:
    sheet = decisions_sheet(ladder, QUARTER, [_listed("a"), _listed("b")])
    assert _value(sheet, "A2") == (
        "One row per SE in or near Ready. Read across, then fill in the yellow cells: the agreed band, a rationale "
        "whenever it differs from the manager's band, and a decision. Sorting and filtering are fine.")
    assert {c.role for c in sheet.cells if not c.key} == {Role.LABEL}
    assert all(c.role is Role.LABEL for c in sheet.cells if c.key.startswith(("rowid.", "decisions.a.shown.")))
    assert all(c.number_format == "" for c in sheet.cells if c.key.startswith("decisions.a.shown.") and c.key.split(
        ".")[-1] in ("manager", "move", "over", "evidence", "recommendation", "scored"))
    listed = next(c for c in sheet.cells if c.ref == "B4")
    assert (listed.value, listed.role, STYLES[listed.style]) == (2, Role.LABEL, STYLES["carry_number"])
    assert all(c.number_format == "0_)" for c in sheet.cells if c.row == 4 and c.role is Role.FORMULA)
    verdict = next(c for c in sheet.cells if c.key == key("a", "verdict"))
    assert verdict.validation is not None and verdict.validation.check is Check.CHOICE
    nobody = next(c for c in decisions_sheet(ladder, QUARTER, []).cells if c.ref == "A4")
    assert nobody.role is Role.LABEL and STYLES[nobody.style] == STYLES["label"]


def test_an_se_nothing_was_typed_for_needs_nothing(ladder: Ladder) -> None:
    listed = [_listed("a"), _listed("b")]
    assert expected_decisions(ladder, listed, {"a": ("Close", "", "")}) == {
        key("a", "check"): RATIONALE_NEEDED, key("b", "check"): "", "decisions.total.decided": 1,
        "decisions.total.changed": 1, "decisions.total.missing": 1, "decisions.total.top": 0}


def test_the_guide_reads_in_order_as_the_committee_follows_it(ladder: Ladder) -> None:
    guide = build_committee(ladder, QUARTER, [_listed("a")], _calibration(ladder)).sheets[0]
    start = next(c.row for c in guide.cells if c.value == "How to fill in")
    texts = [(str(c.value), c.style) for c in sorted(guide.cells, key=lambda c: c.row)
             if c.column == "A" and c.row >= start and isinstance(c.value, str)]
    assert texts == [
        ("How to fill in", "heading"),
        ("Decisions lists every SE in the Ready band by their manager's scores, those Close with a manager readiness "
         "of 75% or more (within 10 points of Ready), anyone their manager recommends promoting now, and anyone "
         "decided on before.", "paragraph"),
        ("1. For each SE you decide on, choose the agreed band (yellow, a dropdown of the ladder's bands). Leave the "
         "row blank for an SE not discussed.", "paragraph"),
        ("2. Where the agreed band differs from the manager's, write the rationale: it is required, and the Check "
         "column says 'rationale needed' until it is there. It goes into the packet and the manager's agenda as "
         "written.", "paragraph"),
        ("3. Choose a decision: Promote, Not yet, Defer.", "paragraph"),
        ("4. Apply it: ladder-sheets calibrate RESULTS --team TEAM --apply THIS-FILE. Every input is checked first; "
         "nothing is recorded while one is wrong. Applying the same file again changes nothing; a later file "
         "replaces this quarter's decisions.", "paragraph"),
        ("From then on the agreed band counts wherever a band is counted, and a promotion candidate is Ready by the "
         "agreed band (else the manager's) 2 quarters running.", "paragraph"),
        ("The Managers sheet shows each manager's SEs by band and their mean scores beside the rest of the org's, "
         "per rubric.", "paragraph")]


def test_among_equals_an_se_without_readiness_comes_after_one_with_some(ladder: Ladder, summary: Summary) -> None:
    rows = (_row("abe", "Incomplete", None, name="Abe", agreed="Close"),
            _row("zed", "Incomplete", 0.5, name="Zed", agreed="Close"))
    assert [x.person_id for x in listing(ladder, replace(summary, rows=rows), None)] == ["zed", "abe"]


def test_a_ladder_of_two_bands_names_the_second_as_the_band_below(ladder: Ladder) -> None:
    two = replace(ladder, bands=(Band("Ready", 0.85), Band("Developing", 0.0)), committee_near=0.6)
    guide = build_committee(two, QUARTER, [], _calibration(two)).sheets[0]
    texts = [c.value for c in guide.cells if isinstance(c.value, str)]
    assert any(t.startswith("Decisions lists every SE in the Ready band by their manager's scores, those Developing "
                            "with a manager readiness of 25% or more (within 60 points of Ready)") for t in texts)
