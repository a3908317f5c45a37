"""The formula oracle: LibreOffice recalculates generated workbooks and must agree with scoring.py.

Workbooks for every target level of the shipped ladder are filled with seeded random
inputs (plus edge cases), recalculated in ONE LibreOffice run, and every formula cell is
compared with layout.expected_values (numbers to a relative 1e-9, text exactly).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from ladder_sheets.core import layout, scoring
from ladder_sheets.core.cells import Role, WorkbookLayout
from ladder_sheets.core.model import NOT_ASKING_TEXT, NOT_ENOUGH_OBSERVED, Band, CellValue, CriterionInput, Inputs, Ladder, MetricInput, Person, PivotInput, Roster
from ladder_sheets.xlsx.writer import write_workbook
from tests.support.fill import random_inputs, write_values
from tests.support.libreoffice import recalc

pytestmark = pytest.mark.libreoffice
ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


@dataclass
class Case:
    name: str
    ladder: Ladder
    person: Person
    wl: WorkbookLayout
    inputs: Inputs
    recalculated: Path = Path()


def _people(ladder: Ladder, roster: Roster) -> list[Person]:
    """One synthetic person per reachable (level, target) pair of the ladder."""
    manager = roster.managers[0].id
    pairs = [(lv.id, t) for lv in ladder.levels for t in (lv.id, *lv.promotes_to) if t in ladder.rubrics]
    return [Person(f"p-{lv}-{t}", f"Person {lv} {t}", f"{lv}.{t}@example.com", lv, t, manager) for lv, t in pairs]


def _uniform(ladder: Ladder, rubric_ids: list[str], score: int, signal: bool,
             level: str, target: str) -> tuple[Inputs, dict[str, CellValue]]:
    yes, no = ladder.signal_options
    values: dict[str, CellValue] = {}
    for cid in rubric_ids:
        values |= {f"criteria.{cid}.self": score, f"criteria.{cid}.manager": score}
    for m in ladder.metrics_for(level, target):
        values[f"metrics.{m.id}.actual"] = m.target  # exactly on the target: the comparator decides
    for p in ladder.pivots:
        values |= {f"pivots.{p.id}.interest": score, f"pivots.{p.id}.signal": yes if signal else no,
                   f"pivots.{p.id}.gap_progress": score}
    inputs = Inputs(
        criteria={c: CriterionInput(float(score), float(score)) for c in rubric_ids},
        metrics={m.id: MetricInput(float(m.target)) for m in ladder.metrics_for(level, target)},
        pivots={p.id: PivotInput(float(score), signal, float(score)) for p in ladder.pivots},
    )
    return inputs, values


def _numbers_in_text_fields(ladder: Ladder) -> tuple[Inputs, dict[str, CellValue]]:
    """Numbers typed into free-text read-out fields: the talk track shows them as ``&`` does (15 digits)."""
    numbers = iter([0.1 + 0.2, 200 / 3, 12345678.9, 7.0, 1 / 3, 2.5])
    values: dict[str, CellValue] = {}
    for fd in ladder.readout.fields:
        if fd.kind == "percent":
            values[f"readout.{fd.id}"] = 115
        elif fd.kind == "level":
            values[f"readout.{fd.id}"] = ladder.levels[1].name
        else:
            values[f"readout.{fd.id}"] = next(numbers)
    readout = {k.removeprefix("readout."): (float(v) if isinstance(v, int) else v) for k, v in values.items()}
    return Inputs(readout=readout), values


THRESHOLD_CASES = ("exact", "noise", "above", "rounding")
THRESHOLD_BANDS = {"exact": "Ready", "noise": "Ready", "above": "Close", "rounding": "Close"}  # on the threshold
# The column whose readiness sits on the threshold in each case; the other column scores apart from it
# (one notch lower, or the top score), so a formula that reads the wrong column shows the wrong band.
ON_THRESHOLD = {"exact": "self", "noise": "manager", "above": "self", "rounding": "manager"}


def _on_threshold(ladder: Ladder, person: Person, variant: str) -> tuple[Ladder, Inputs, dict[str, CellValue]]:
    """Scores whose readiness sits on a band threshold, four ways, in one column (``ON_THRESHOLD``).

    The shipped weights (sums 11 to 15) never land exactly on 85 % or 65 %, so "exact" moves
    the Ready threshold to the readiness (">=" must hold), "noise" one float above it (both
    engines compare to ~15 digits: still Ready), "above" 1e-9 above it (Close). "rounding"
    keeps the shipped bands and cuts the rubric to weights 0.3/0.7/0.3/0.7 scored 3/0/3/3:
    exactly 65 %, which floats compute a hair short; it must be Close everywhere.
    The other column scores one notch lower on its first criterion above 0 where the threshold
    column is Ready (so it is Close), and the top score throughout where it is Close (so Ready).
    """
    rubric = ladder.rubric_for(person.target_level)
    # Points alone decide here: no must-have holds a band.
    plain = tuple(replace(c, floor=None, caps="") for c in rubric.criteria)
    if variant == "rounding":
        weights, scores = (0.3, 0.7, 0.3, 0.7), [3, 0, 3, 3]
        plain = tuple(replace(c, weight=w) for c, w in zip(plain, weights))
    else:
        rng = random.Random(variant)
        scores = [rng.randint(1, ladder.scale.max) for _ in rubric.criteria]
    ladder = replace(ladder, rubrics={**ladder.rubrics, rubric.target_level: replace(rubric, criteria=plain)})
    rubric = ladder.rubric_for(person.target_level)
    pct = scoring.readiness([float(s) for s in scores], [c.weight for c in rubric.criteria], ladder.scale.max)
    assert pct is not None
    ready = {"exact": pct, "noise": math.nextafter(pct, 1), "above": pct + 1e-9}.get(variant)
    if ready is not None:
        ladder = replace(ladder, bands=(Band("Ready", ready), Band("Close", pct / 2), Band("Developing", 0.0)))
    if THRESHOLD_BANDS[variant] == "Ready":
        lowered = next(i for i, s in enumerate(scores) if s > 0)
        other = [s - 1 if i == lowered else s for i, s in enumerate(scores)]
    else:
        other = [ladder.scale.max] * len(scores)
    self_scores, manager_scores = (scores, other) if ON_THRESHOLD[variant] == "self" else (other, scores)
    values: dict[str, CellValue] = {}
    criteria = {}
    for c, se, mg in zip(rubric.criteria, self_scores, manager_scores):
        values |= {f"criteria.{c.id}.self": se, f"criteria.{c.id}.manager": mg}
        criteria[c.id] = CriterionInput(float(se), float(mg))
    return ladder, Inputs(criteria=criteria), values


def _economic_buyer_at(ladder: Ladder, person: Person, self_eb: int, manager_eb: int
                       ) -> tuple[Inputs, dict[str, CellValue]]:
    """The compensatory example: every criterion 3 but "Identifies and engages the Economic Buyer",
    scored ``self_eb`` by the SE and ``manager_eb`` by the manager."""
    eb = next(c.id for c in ladder.rubric_for(person.target_level).criteria if c.text == ECONOMIC_BUYER)
    return _top_but(ladder, person, {eb: self_eb}, {eb: manager_eb})


def _top_but(ladder: Ladder, person: Person, scores: dict[str, int],
             manager: dict[str, int] | None = None) -> tuple[Inputs, dict[str, CellValue]]:
    """The top score on every criterion but those of ``scores`` (by id), by the SE and, unless ``manager``
    gives the manager's own, by the manager alike."""
    values: dict[str, CellValue] = {}
    criteria = {}
    top = ladder.scale.max
    for c in ladder.rubric_for(person.target_level).criteria:
        se, mg = scores.get(c.id, top), (scores if manager is None else manager).get(c.id, top)
        values |= {f"criteria.{c.id}.self": se, f"criteria.{c.id}.manager": mg}
        criteria[c.id] = CriterionInput(float(se), float(mg))
    return Inputs(criteria=criteria), values


ECONOMIC_BUYER = "Identifies and engages the Economic Buyer"
# Must-haves that cap the band they name: (scores by criterion id), the band, the criteria named as holding it.
CAPS = {"mentoring": {"MG-02": 0}, "coaching-and-mentoring": {"MG-01": 1, "MG-02": 0}, "senior-poc": {"SR-02": 1}}
CAPPED = {"mentoring": ("Ready", "Developing", ["MG-02"]), "coaching-and-mentoring": ("Close", "Developing", ["MG-02"]),
          "senior-poc": ("Ready", "Close", ["SR-02"])}


def _not_observed(ladder: Ladder, person: Person, count: int | None) -> tuple[Inputs, dict[str, CellValue]]:
    """The top score everywhere but ``count`` criteria (None: every one allowed) scored "not observed yet"."""
    allowed = [c.id for c in ladder.rubric_for(person.target_level).criteria if c.allow_not_observed]
    unobserved = set(allowed[:count])
    values: dict[str, CellValue] = {}
    criteria = {}
    top, label = ladder.scale.max, ladder.not_observed.label
    for c in ladder.rubric_for(person.target_level).criteria:
        if c.id in unobserved:
            values |= {f"criteria.{c.id}.self": label, f"criteria.{c.id}.manager": label.upper()}
            criteria[c.id] = CriterionInput(self_not_observed=True, manager_not_observed=True)
        else:
            values |= {f"criteria.{c.id}.self": top, f"criteria.{c.id}.manager": top}
            criteria[c.id] = CriterionInput(float(top), float(top))
    return Inputs(criteria=criteria), values


@pytest.fixture(scope="module")
def cases(ladder: Ladder, roster: Roster, tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    src = tmp_path_factory.mktemp("oracle-src")
    rng = random.Random(20261123)
    people = _people(ladder, roster)
    plans: list[tuple[str, Ladder, Person, Inputs, dict[str, CellValue]]] = []
    for i, person in enumerate(people):
        rubric = ladder.rubric_for(person.target_level)
        for blank_rate in (0.0, 0.3):
            inputs, values = random_inputs(ladder, rubric, rng, blank_rate, level=person.level, not_observed=0.3)
            plans.append((f"random{i}-{blank_rate}", ladder, person, inputs, values))
    first = people[0]
    ids = [c.id for c in ladder.rubric_for(first.target_level).criteria]
    plans.append(("all-blank", ladder, first, Inputs(), {}))
    for score, signal in ((0, False), (ladder.scale.max, True)):
        inputs, values = _uniform(ladder, ids, score, signal, first.level, first.target_level)
        plans.append((f"all-{score}", ladder, first, inputs, values))
    ic = next(p for p in people if ladder.readout_for(p.level, p.target_level) is ladder.readout)  # its fields
    plans.append(("numbers-in-text", ladder, ic, *_numbers_in_text_fields(ladder)))
    senior = next(p for p in people if p.target_level == "senior" and p.level != "senior")
    # One column under the floor and the other on it: a formula reading the wrong column shows it.
    for name, self_eb, manager_eb in (("held", 3, 0), ("floor-met", 0, 2)):
        plans.append((f"must-have-{name}", ladder, senior, *_economic_buyer_at(ladder, senior, self_eb, manager_eb)))
    to_manager = next(p for p in people if p.target_level == "manager")
    for name, scores in CAPS.items():
        person = senior if name.startswith("senior") else to_manager
        plans.append((f"caps-{name}", ladder, person, *_top_but(ladder, person, scores)))
    core = next(p for p in people if p.level == p.target_level == "core")
    for name, unobserved in (("one", 1), ("every", None)):
        plans.append((f"not-observed-{name}", ladder, core, *_not_observed(ladder, core, unobserved)))
    for variant, person in zip(THRESHOLD_CASES, people):
        threshold_ladder, inputs, values = _on_threshold(ladder, person, variant)
        plans.append((f"threshold-{variant}-{person.id}", threshold_ladder, person, inputs, values))
    out = []
    for n, (name, lad, person, inputs, values) in enumerate(plans):
        roster_with = replace(roster, people=(*roster.people, person))
        wl = layout.build(lad, roster_with, person, "2026-Q4", date(2026, 12, 7))
        path = src / f"{n:02d}-{name}.xlsx"
        write_workbook(wl, path)
        write_values(path, wl, values)
        out.append(Case(name, lad, person, wl, inputs, path))
    recalculated = recalc([c.recalculated for c in out], tmp_path_factory.mktemp("oracle-out"))
    for case, path in zip(out, recalculated):
        case.recalculated = path
    return out


def _formula_cells(wl: WorkbookLayout, path: Path) -> dict[str, tuple[str, str, CellValue]]:
    book = CalamineWorkbook.from_path(str(path))
    got = {}
    grids = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    for sheet, cell in wl.cells(Role.FORMULA):
        grid = grids[sheet.title]
        row = grid[cell.row - 1] if cell.row - 1 < len(grid) else []
        col = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(cell.column))) - 1
        got[cell.key] = (sheet.title, cell.ref, row[col] if col < len(row) else "")
    return got


def test_the_sample_covers_every_target_level(cases: list[Case], ladder: Ladder) -> None:
    assert {c.person.target_level for c in cases} == set(ladder.rubrics)


def test_readiness_on_a_threshold_earns_its_band(cases: list[Case]) -> None:
    """The column on the threshold earns its band; the other column, scored apart, earns the other one."""
    thresholds = {c.name.split("-")[1]: c for c in cases if c.name.startswith("threshold-")}
    assert set(thresholds) == set(THRESHOLD_BANDS)
    for variant, case in thresholds.items():
        on = THRESHOLD_BANDS[variant]
        off = "Close" if on == "Ready" else "Ready"
        wanted = {"self": on, "manager": off} if ON_THRESHOLD[variant] == "self" else {"self": off, "manager": on}
        s = scoring.score(case.ladder, case.ladder.rubric_for(case.person.target_level), case.inputs, case.person.level)
        assert {"self": s.self_band, "manager": s.manager_band} == wanted, variant
        got = _formula_cells(case.wl, case.recalculated)
        assert {"self": got["result.self_band"][2], "manager": got["result.manager_band"][2]} == wanted, \
            case.recalculated.name


def test_every_formula_cell_equals_scoring(cases: list[Case]) -> None:
    mismatches = []
    checked = 0
    for case in cases:
        expected = layout.expected_values(case.ladder, case.person, case.inputs)
        for key, (sheet, ref, got) in _formula_cells(case.wl, case.recalculated).items():
            want = expected[key]
            checked += 1
            if isinstance(want, (int, float)) and not isinstance(want, bool):
                ok = isinstance(got, (int, float)) and got == pytest.approx(want, rel=1e-9, abs=1e-12)
            else:
                ok = got == want
            if not ok:
                mismatches.append(f"{case.recalculated.name}: '{sheet}'!{ref} ({key}): expected {want!r}, "
                                  f"LibreOffice shows {got!r}")
    assert not mismatches, "\n".join(mismatches[:30])
    assert checked == sum(len(list(c.wl.cells(Role.FORMULA))) for c in cases)


def test_no_cell_shows_a_spreadsheet_error(cases: list[Case]) -> None:
    """Every cell of every sheet, error values included.

    python-calamine reads an error cell (``t="e"``: #NAME?, #N/A, ...) as "", which would
    pass for a blank result; openpyxl keeps it as the error text.
    """
    errors = []
    for case in cases:
        book = openpyxl.load_workbook(case.recalculated, data_only=True)
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value.startswith(ERRORS)):
                        errors.append(f"{case.recalculated.name}: '{ws.title}'!{cell.coordinate}: {cell.value}")
    assert not errors, "\n".join(errors[:20])


def test_bands_and_readout_are_really_exercised(cases: list[Case], ladder: Ladder) -> None:
    """Guard against an oracle that only ever compares blanks."""
    bands = set()
    readouts = 0
    for case in (c for c in cases if c.ladder is ladder):
        s = scoring.score(ladder, ladder.rubric_for(case.person.target_level), case.inputs, case.person.level)
        bands.add(s.manager_band)
        readouts += s.readout_text not in (ladder.readout.incomplete_text, NOT_ASKING_TEXT)  # assembled
    assert {b.name for b in ladder.bands} | {"Incomplete"} <= bands
    assert readouts >= 3


def test_a_must_have_under_its_floor_holds_the_band_and_says_why(cases: list[Case]) -> None:
    """Ready on points, but the Economic Buyer scored 0: Close, in scoring and in LibreOffice, with the reason;
    the other column, with the Economic Buyer at or above its floor, stays Ready with no reason."""
    reason = f"Ready on points, held at Close: {ECONOMIC_BUYER} scored 0 (must be at least 2)"
    keys = ("result.self_band", "result.self_hold", "result.manager_band", "result.manager_hold")
    for name, wanted in (("must-have-held", ("Ready", "", "Close", reason)),  # the manager's 0 holds theirs
                         ("must-have-floor-met", ("Close", reason, "Ready", ""))):  # the SE's 0 holds theirs
        case = next(c for c in cases if c.name == name)
        s = scoring.score(case.ladder, case.ladder.rubric_for(case.person.target_level), case.inputs, case.person.level)
        assert s.manager_pct is not None and s.self_pct is not None
        assert min(s.manager_pct, s.self_pct) >= case.ladder.bands[0].min_pct  # both Ready on points alone
        assert (s.self_band, s.self_hold, s.manager_band, s.manager_hold) == wanted, name
        got = _formula_cells(case.wl, case.recalculated)
        assert tuple(got[k][2] for k in keys) == wanted, name


def test_not_observed_leaves_the_count_and_too_much_of_it_leaves_every_band(cases: list[Case]) -> None:
    """One criterion not observed, the top score elsewhere: complete at 100 %; every allowed one not
    observed on the Core rubric: under three quarters observed, no band. LibreOffice shows the same."""
    one = next(c for c in cases if c.name == "not-observed-one")
    got = _formula_cells(one.wl, one.recalculated)
    n = len(one.ladder.rubric_for(one.person.target_level).criteria)
    assert [got[k][2] for k in ("result.self_pct", "result.manager_pct", "result.manager_band",
                                "result.self_scored")] == [1.0, 1.0, "Ready", f"{n} of {n} (1 not observed yet)"]
    every = next(c for c in cases if c.name == "not-observed-every")
    got = _formula_cells(every.wl, every.recalculated)
    assert [got[k][2] for k in ("result.self_pct", "result.self_band", "result.manager_band")] == [
        "", NOT_ENOUGH_OBSERVED, NOT_ENOUGH_OBSERVED]


def test_random_cases_draw_not_observed(cases: list[Case]) -> None:
    """Guard: the random fills really put "not observed yet" in workbooks, in both cases."""
    drawn = [c for c in cases if c.name.startswith("random") and any(
        v.self_not_observed or v.manager_not_observed for v in c.inputs.criteria.values())]
    assert len(drawn) >= 6


def test_a_must_have_caps_the_band_it_names_and_the_reason_names_who_holds_it(cases: list[Case]) -> None:
    """"Enjoys mentoring" at 0 with the top score elsewhere: Developing (it caps there), not Close. With the
    coaching must-have at 1 too, points give Close: only the mentoring one holds Close, so only it is named."""
    for name, (points, band, holding) in CAPPED.items():
        case = next(c for c in cases if c.name == f"caps-{name}")
        rubric = case.ladder.rubric_for(case.person.target_level)
        texts = {c.id: c.text for c in rubric.criteria}
        reason = f"{points} on points, held at {band}: " + "; ".join(
            f"{texts[i]} scored {CAPS[name][i]} (must be at least 2)" for i in holding)
        s = scoring.score(case.ladder, rubric, case.inputs, case.person.level)
        assert (s.manager_band, s.manager_hold) == (band, reason), name
        got = _formula_cells(case.wl, case.recalculated)
        assert (got["result.manager_band"][2], got["result.manager_hold"][2]) == (band, reason), name
