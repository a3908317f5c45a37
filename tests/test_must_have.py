"""Must-have criteria: a readiness that reaches a band's threshold while a must-have is under its
floor stays in the band below, and every place that shows the band says why.

The compensatory example of the issue: the Senior rubric with 0 on "Identifies and engages the
Economic Buyer" and the top score everywhere else is Ready on points alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator
from openpyxl.workbook.defined_name import DefinedName

from ladder_sheets.config.ladder import load_ladder
from ladder_sheets.core import layout, scoring
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Band, Criterion, CriterionInput, Inputs, Ladder, Roster
from ladder_sheets.workflows.report import build_report
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import workbook_path
from ladder_sheets.xlsx.writer import write_workbook
from tests.support.calc import Calc
from tests.support.fill import write_values
from tests.support.results import results_for

ECONOMIC_BUYER = "Identifies and engages the Economic Buyer"
REASON = f"Ready on points, held at Close: {ECONOMIC_BUYER} scored 0 (must be at least 2)"
BANDS = (Band("Ready", 0.85, must_haves=True), Band("Close", 0.65), Band("Developing", 0.0))
MUST = (Criterion("a", "x", "Alpha", "", floor=2), Criterion("b", "x", "Beta", "", floor=1))


def _example(ladder: Ladder, eb: int) -> Inputs:
    top = ladder.scale.max
    return Inputs(criteria={
        c.id: CriterionInput(float(eb if c.text == ECONOMIC_BUYER else top), float(eb if c.text == ECONOMIC_BUYER else top))
        for c in ladder.rubric_for("senior").criteria})


@pytest.mark.parametrize(("pct", "blocked", "band"), [
    (0.9, set(), "Ready"), (0.9, {"Ready"}, "Close"), (0.7, {"Ready"}, "Close"), (0.3, {"Ready"}, "Developing"),
    (None, {"Ready"}, "Incomplete"), (0.9, {"Ready", "Close"}, "Developing"), (0.7, {"Close"}, "Developing"),
])
def test_a_hold_skips_only_the_bands_blocked(pct: float | None, blocked: set[str], band: str) -> None:
    assert scoring.held_band(pct, BANDS, blocked) == band


def test_a_cap_blocks_every_band_above_it_and_the_plain_form_the_flagged_bands(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("manager")
    by_id = {c.id: c for c in rubric.criteria}
    assert ladder.blocked_bands(by_id["MG-01"]) == {"Ready"}  # caps: Close
    assert ladder.blocked_bands(by_id["MG-02"]) == {"Ready", "Close"}  # caps: Developing
    assert ladder.blocked_bands(replace(by_id["MG-02"], caps="")) == {b.name for b in ladder.bands if b.must_haves}
    assert ladder.blocked_bands(by_id["MG-03"]) == frozenset()  # not a must-have


def test_enjoying_mentoring_under_its_floor_caps_management_at_developing(ladder: Ladder, roster: Roster,
                                                                          tmp_path: Path) -> None:
    """The issue's case: "Enjoys mentoring" at 0 with 3s elsewhere is Ready on points, and Developing,
    not Close: "if you don't enjoy mentoring ... management is not your path." Scoring and collect agree."""
    rubric = ladder.rubric_for("manager")
    top = ladder.scale.max
    inputs = Inputs(criteria={c.id: CriterionInput(float(0 if c.id == "MG-02" else top), float(0 if c.id == "MG-02"
                                                                                               else top))
                              for c in rubric.criteria})
    reason = ("Ready on points, held at Developing: Enjoys mentoring, coaching and advocating for headcount scored 0 "
              "(must be at least 2)")
    s = scoring.score(ladder, rubric, inputs, "senior")
    assert (s.manager_band, s.manager_hold, s.self_band) == ("Developing", reason, "Developing")
    person = next(p for p in roster.people if p.target_level == "manager")
    wl = layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7))
    path = workbook_path(tmp_path / "in", person)
    write_workbook(wl, path)
    write_values(path, wl, {f"criteria.{c.id}.{who}": int(getattr(v, f"{who}_score"))
                            for c in rubric.criteria for v in [inputs.criteria[c.id]] for who in ("self", "manager")})
    mine = next(p for p in collect([tmp_path / "in"], ladder, roster, "2026-Q4").people if p.person.id == person.id)
    assert mine.scores is not None and (mine.scores.manager_band, mine.scores.manager_hold) == ("Developing", reason)


@pytest.mark.parametrize(("scores", "under"), [
    ({"a": 1.0, "b": 0.0}, ["a", "b"]), ({"a": 2.0, "b": 1.0}, []), ({"a": None, "b": 0.0}, ["b"]), ({}, []),
])
def test_below_floor_never_counts_a_blank(scores: dict[str, float | None], under: list[str]) -> None:
    assert [c.id for c in scoring.below_floor(MUST, scores)] == under


def test_the_reason_names_every_must_have_under_its_floor() -> None:
    under = scoring.below_floor(MUST, {"a": 1.0, "b": 0.0})
    assert scoring.hold_reason("Ready", "Close", under, {"a": 1.0, "b": 0.0}) == (
        "Ready on points, held at Close: Alpha scored 1 (must be at least 2); Beta scored 0 (must be at least 1)")
    assert scoring.hold_reason("Close", "Close", under, {"a": 1.0, "b": 0.0}) == ""


def test_the_compensatory_example_bands_close_with_its_reason(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("senior")
    assert [c.text for c in ladder.must_haves(rubric)] == [
        "Independently handles hostile technical Q&A", "Owns complex, non-standard POCs with zero hand-holding",
        ECONOMIC_BUYER, "Proactively qualifies deals OUT of the pipeline", "Creates reusable team enablement assets",
        "Keeps hands-on technical depth current"]
    held = scoring.score(ladder, rubric, _example(ladder, 0), "core")
    assert held.manager_pct is not None and held.manager_pct >= 0.85
    assert (held.manager_band, held.manager_hold, held.self_band, held.self_hold) == ("Close", REASON, "Close", REASON)
    met = scoring.score(ladder, rubric, _example(ladder, 2), "core")
    assert (met.manager_band, met.manager_hold) == ("Ready", "")
    # Under the floor but Close on points anyway: nothing is held, nothing to explain.
    base = _example(ladder, 0)
    weaker = {cid: (CriterionInput(1.0, 1.0) if cid in ("SR-02", "SR-13") else c) for cid, c in base.criteria.items()}
    low = scoring.score(ladder, rubric, replace(base, criteria=weaker), "core")
    assert low.manager_pct is not None and 0.65 <= low.manager_pct < 0.85
    assert (low.manager_band, low.manager_hold) == ("Close", "")


def test_collect_and_every_report_say_why(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    person = next(p for p in roster.people if p.target_level == "senior" and p.level != "senior")
    wl = layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7))
    path = workbook_path(tmp_path / "in", person)
    write_workbook(wl, path)
    values = {f"criteria.{c.id}.{who}": int(s) for c in ladder.rubric_for("senior").criteria
              for who, s in (("self", 0 if c.text == ECONOMIC_BUYER else 3), ("manager", 0 if c.text == ECONOMIC_BUYER else 3))}
    write_values(path, wl, values)
    mine = next(p for p in collect([tmp_path / "in"], ladder, roster, "2026-Q4").people if p.person.id == person.id)
    assert mine.scores is not None
    assert (mine.scores.manager_band, mine.scores.manager_hold) == ("Close", REASON)

    results = results_for(ladder, roster, {person.id: _example(ladder, 0)})
    files = {f.name: f for f in build_report(results, ladder, tmp_path / "out", leadership=roster.leadership,
                                             org=roster.org)}
    manager = roster.manager_of(person).id
    for name in (f"manager-{manager}.txt", f"manager-{manager}.html", "leadership.txt", "leadership.html"):
        assert REASON in files[name].read_text(encoding="utf-8"), name
    rows = list(csv.DictReader(io.StringIO(files["results.csv"].read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["id"] == person.id)
    assert (row["manager_band"], row["manager_band_held_because"], row["self_band_held_because"]) == ("Close", REASON, REASON)


def test_a_floor_outside_the_scale_or_on_the_last_band_is_refused(tmp_path: Path) -> None:
    from tests.support.ladders import edited_ladder

    path = edited_ladder(tmp_path, ("            must_have: {min: 2, caps: Close}  # one of the four",
                                    "            must_have: 4  # one of the four"),
                         ("  - {name: Developing, min: 0}", "  - {name: Developing, min: 0, must_haves: true}"))
    with pytest.raises(ConfigError) as err:
        load_ladder(path)
    message = str(err.value)
    assert "rubrics.senior.competencies[0].criteria[0].must_have: expected the minimum score, a whole number from 1 to 3, got 4" in message
    assert "bands[2].must_haves: the last band cannot need must-haves" in message


def test_a_ladder_without_must_haves_scores_as_before(ladder: Ladder, roster: Roster) -> None:
    plain = replace(ladder, rubrics={k: replace(r, criteria=tuple(replace(c, floor=None) for c in r.criteria))
                                     for k, r in ladder.rubrics.items()})
    s = scoring.score(plain, plain.rubric_for("senior"), _example(plain, 0), "core")
    assert (s.manager_band, s.manager_hold) == ("Ready", "")
    person = next(p for p in roster.people if p.target_level == "senior")
    keys = layout.build(plain, roster, person, "2026-Q4", date(2026, 12, 7)).by_key()
    assert "result.manager_hold" not in keys and "result.manager_band" in keys


@pytest.mark.libreoffice
def test_after_a_sort_of_the_criteria_the_sheet_shows_the_band_collect_computes(
        ladder: Ladder, roster: Roster, calc: Calc, tmp_path: Path) -> None:
    """The Economic Buyer at 0 moves to the bottom when the criteria are sorted by score: the band
    formula finds each must-have by its id, so the sheet still shows Close, as collect does."""
    person = next(p for p in roster.people if p.target_level == "senior" and p.level != "senior")
    wl = layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7))
    path = workbook_path(tmp_path / "gen", person)
    write_workbook(wl, path)
    inputs = _example(ladder, 0)
    write_values(path, wl, {f"criteria.{cid}.{who}": int(getattr(v, f"{who}_score"))
                            for cid, v in inputs.criteria.items() for who in ("self", "manager")})
    cells = wl.by_key()
    rows = sorted(c.row for _, c in wl.cells() if c.key.startswith("rowid.criteria."))
    sheet, last_col = cells["result.self_band"][0], cells[f"criteria.{next(iter(inputs.criteria))}.comment"][1].column
    eb = next(c.id for c in ladder.rubric_for("senior").criteria if c.text == ECONOMIC_BUYER)
    assert cells[f"rowid.criteria.{eb}"][1].row != rows[-1]  # the sort moves it
    by_self = ord(cells[f"criteria.{eb}.self"][1].column) - ord("A")
    sort = {"op": "sort", "sheet": sheet.title, "range": f"A{rows[0]}:{last_col}{rows[-1]}", "by": by_self,
            "ascending": False}
    out = tmp_path / "returned" / path.name
    shown = calc.apply(path, [{"op": "unprotect"}, sort], out, names=("SelfBand", "ManagerBand"))
    mine = next(p for p in collect([out.parent], ladder, roster, "2026-Q4").people if p.person.id == person.id)
    assert mine.scores is not None
    assert shown == {"SelfBand": mine.scores.self_band, "ManagerBand": mine.scores.manager_band} == {
        "SelfBand": "Close", "ManagerBand": "Close"}
    assert mine.scores.manager_hold == REASON
    assert "sorted" in [p.kind for p in mine.problems]


@pytest.mark.libreoffice
def test_a_must_have_is_flagged_under_its_minimum_and_not_at_it(ladder: Ladder, roster: Roster, calc: Calc,
                                                                tmp_path: Path) -> None:
    """"Enjoys mentoring" (at least 2): the self score at 2 meets it and stays plain; the manager's 1 is
    under it and turns red. LibreOffice evaluates the written rule as it does for each of the two cells."""
    person = next(p for p in roster.people if p.target_level == "manager")
    floor = next(c.floor for c in ladder.rubric_for("manager").criteria if c.id == "MG-02")
    assert floor is not None
    wl = layout.build(ladder, roster, person, "2026-Q4", date(2026, 12, 7))
    path = workbook_path(tmp_path / "in", person)
    write_workbook(wl, path)
    write_values(path, wl, {"criteria.MG-02.self": floor, "criteria.MG-02.manager": floor - 1})
    cells = wl.by_key()
    book = openpyxl.load_workbook(path)
    sheet = book[cells["criteria.MG-02.self"][0].title]
    [(area, rule)] = [(cf.sqref, rule) for cf in sheet.conditional_formatting for rule in cf.rules
                     if '"MG-02"' in rule.formula[0]]
    origin = str(area).split(":")[0]
    for name, key, spare in (("AtFloor", "criteria.MG-02.self", "AA1"),
                             ("UnderFloor", "criteria.MG-02.manager", "AA2")):
        sheet[spare] = Translator(f"={rule.formula[0]}", origin=origin).translate_formula(cells[key][1].ref)
        book.defined_names[name] = DefinedName(name, attr_text=f"'{sheet.title}'!${spare[:2]}${spare[2:]}")
    book.save(path)
    shown = calc.apply(path, [], tmp_path / "out.xlsx", names=("AtFloor", "UnderFloor"))
    assert shown == {"AtFloor": 0.0, "UnderFloor": 1.0}
