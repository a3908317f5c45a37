"""Workbooks edited in LibreOffice the way people edit them, then collected.

One filled workbook is edited through UNO (tests/support/calc.py, one soffice for the
session): typing, inserting, deleting, moving and hiding columns, inserting and deleting
rows, sorting, pasting values over formulas, renaming sheets, saving as .xlsx, .ods and
.xls. Each class of edit is tried at several places, all positions taken from the layout.
For each edited file, collect's numbers must equal what Calc computed for the workbook's
defined names, and collect must report exactly the expected problems, at the cell where
the edited workbook has them.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.config.resources import example_team_path
from ladder_sheets.core import cells, layout
from ladder_sheets.core.cells import WorkbookLayout
from ladder_sheets.core.landmarks import letters
from ladder_sheets.core.model import CellValue, Inputs, Ladder, ManagerScores, MetricInput, Person, Roster
from ladder_sheets.core.readplan import column_index
from ladder_sheets.core.results import Kind, PersonResult
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate, workbook_path
from tests.conftest import DUE, QUARTER
from tests.support.calc import Calc
from tests.support.fill import random_inputs, write_values

pytestmark = pytest.mark.libreoffice

NAMES = ("SelfReadiness", "ManagerReadiness", "SelfBand", "ManagerBand", "CalibrationGap", "MetricsBelow",
         "TopPivot", "ReadoutText")
Edit = dict[str, Any]
Expected = tuple[tuple[str, str, str | None], ...]  # (kind, sheet, cell or None: any) of every problem collect reports


class At:
    """Positions from the layout, so every case follows the layout wherever it puts things."""

    def __init__(self, wl: WorkbookLayout, ladder: Ladder, person: Person) -> None:
        self.wl, self.keys = wl, wl.by_key()
        self.criteria = [c.id for c in ladder.rubric_for(person.target_level).criteria]
        self.metrics = [m.id for m in ladder.metrics]
        self.pivots = [p.id for p in ladder.pivots]
        self.readout = [f.id for f in ladder.readout.fields]

    def sheet(self, key: str) -> str:
        return self.keys[key][0].title

    def col(self, key: str) -> int:
        return column_index(self.keys[key][1].column)

    def row(self, key: str) -> int:
        return self.keys[key][1].row - 1

    def ref(self, key: str, dc: int = 0, dr: int = 0) -> str:
        return f"{letters(self.col(key) + dc)}{self.row(key) + 1 + dr}"

    def header_row(self, key: str) -> int:
        return cells.header_cells(self.keys[key][0])[0].row - 1

    def last_col(self, key: str) -> int:
        return max(column_index(c.column) for c in self.keys[key][0].cells)

    def block(self, kind: str) -> tuple[str, int, int]:
        """Sheet, first and last row (0-based) of the rows of one kind (criteria, metrics, pivots, readout)."""
        rows = sorted(c.row - 1 for _, c in self.wl.cells() if c.key.startswith(f"rowid.{kind}."))
        sheet = self.sheet(next(k for k in self.keys if k.startswith(f"rowid.{kind}.")))
        return sheet, rows[0], rows[-1]

    def last_row(self, sheet: str) -> int:
        return max(c.row for s in self.wl.sheets if s.title == sheet for c in s.cells) - 1

    def formulas_in(self, sheet: str, rng: str) -> frozenset[str]:
        """The layout's formula cells in a range of a sheet."""
        return frozenset(c.ref for s, c in self.wl.cells(layout.Role.FORMULA) if s.title == sheet and c.ref in _cells(rng))


def _cells(refs: str) -> set[str]:
    """Every cell of "A1:B3,C5" (a problem's cells, or a range)."""
    out = set()
    for part in refs.split(","):
        first, _, last = part.partition(":")
        last = last or first
        (c1, r1), (c2, r2) = ((column_index(x.rstrip("0123456789")), int(x.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
                              for x in (first, last))
        out |= {f"{letters(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)}
    return out


UNPROTECT: Edit = {"op": "unprotect"}


@dataclass
class Case:
    edits: list[Edit]
    expected: Expected = ()
    fmt: str = "xlsx"
    numbers: bool = True  # collect's numbers equal Calc's
    inputs: Callable[[Inputs], Inputs] | None = (lambda typed: typed)  # what collect must read, from what was typed
    messages: tuple[str, ...] = ()  # phrases the problems must hold
    unlike_calc: tuple[str, ...] = ()  # names whose formula the edit broke: collect keeps what they mean
    # Formula cells typed or pasted over: the problems (formula findings only, any number) name each exactly once.
    covered: frozenset[str] = frozenset()


def _insert_columns(at: At) -> dict[str, Case]:
    c0, m0, p0 = at.criteria[0], at.metrics[0], at.pivots[0]
    before = {"before-self": f"criteria.{c0}.self", "before-manager": f"criteria.{c0}.manager",
              "before-evidence": f"criteria.{c0}.evidence", "before-scorecard-ids": f"rowid.criteria.{c0}",
              "before-actual": f"metrics.{m0}.actual", "before-notes": f"metrics.{m0}.notes",
              "before-interest": f"pivots.{p0}.interest", "before-signal": f"pivots.{p0}.signal",
              "before-readout-answer": f"readout.{at.readout[0]}"}
    return {f"insert-column-{name}": Case([UNPROTECT, {"op": "insert_columns", "sheet": at.sheet(k), "index": at.col(k)}])
            for name, k in before.items()}


def _other_columns(at: At) -> dict[str, Case]:
    c0, c2, m0 = at.criteria[0], at.criteria[2], at.metrics[0]
    ev, sf, mg, gap = (f"criteria.{c0}.{f}" for f in ("evidence", "self", "manager", "gap"))
    sc = at.sheet(ev)
    last = at.last_col(f"metrics.{m0}.actual")
    weight = next(column_index(h.column) for h in cells.header_cells(at.keys[sf][0]) if h.value == "Weight")
    evidence = next(h.value for h in cells.header_cells(at.keys[ev][0]) if column_index(h.column) == at.col(ev))

    def no_evidence(t: Inputs) -> Inputs:
        return replace(t, criteria={k: replace(v, evidence="") for k, v in t.criteria.items()})
    def no_self(t: Inputs) -> Inputs:
        return replace(t, criteria={k: replace(v, self_score=None) for k, v in t.criteria.items()})
    return {
        "comment-column-before-evidence": Case(
            [UNPROTECT, {"op": "insert_columns", "sheet": sc, "index": at.col(ev)},
             {"op": "type", "sheet": sc, "cell": at.ref(f"criteria.{c2}.evidence"), "text": "ask me about this"}],
            ((Kind.IGNORED, sc, at.ref(f"criteria.{c2}.evidence")),), messages=("'ask me about this'",)),
        "comment-column-after-metrics": Case(
            [UNPROTECT, {"op": "type", "sheet": at.sheet(f"metrics.{m0}.actual"),
                         "cell": f"{letters(last + 2)}{at.row(f'metrics.{m0}.actual') + 1}", "text": "see deck"}],
            ((Kind.IGNORED, at.sheet(f"metrics.{m0}.actual"), f"{letters(last + 2)}{at.row(f'metrics.{m0}.actual') + 1}"),),
            messages=("'see deck'",)),
        "delete-gap-column": Case([UNPROTECT, {"op": "remove_columns", "sheet": sc, "index": at.col(gap)}],
                                  ((Kind.MISSING_COLUMN, sc, f"{letters(at.col(gap))}{at.header_row(gap) + 1}"),)),
        "delete-evidence-column": Case([UNPROTECT, {"op": "remove_columns", "sheet": sc, "index": at.col(ev)}],
                                       ((Kind.MISSING_COLUMN, sc, f"{letters(at.col(ev))}{at.header_row(ev) + 1}"),),
                                       inputs=no_evidence, messages=(f"'{evidence}' not found",)),
        "delete-self-column": Case([UNPROTECT, {"op": "remove_columns", "sheet": sc, "index": at.col(sf)}],
                                   ((Kind.MISSING_COLUMN, sc, f"{letters(at.col(sf))}{at.header_row(sf) + 1}"),),
                                   numbers=False, inputs=no_self, messages=("self entries are not read",)),
        # Calc's own totals break (#REF!): collect keeps the ladder's weights, and accuses no formula.
        "delete-weight-column": Case([UNPROTECT, {"op": "remove_columns", "sheet": sc, "index": weight}],
                                     ((Kind.MISSING_COLUMN, sc, f"{letters(weight)}{at.header_row(sf) + 1}"),),
                                     numbers=False),
        "move-evidence-before-self": Case([UNPROTECT, {"op": "move_column", "sheet": sc, "index": at.col(ev),
                                                       "to": at.col(sf)}]),
        "move-manager-before-self": Case([UNPROTECT, {"op": "move_column", "sheet": sc, "index": at.col(mg),
                                                      "to": at.col(sf)}]),
        "move-notes-before-actual": Case([UNPROTECT, {"op": "move_column", "sheet": at.sheet(f"metrics.{m0}.notes"),
                                                      "index": at.col(f"metrics.{m0}.notes"),
                                                      "to": at.col(f"metrics.{m0}.actual")}]),
        "hide-self-column": Case([UNPROTECT, {"op": "hide_column", "sheet": sc, "index": at.col(sf)}]),
        "hide-evidence-column": Case([UNPROTECT, {"op": "hide_column", "sheet": sc, "index": at.col(ev)}]),
    }


def _rows(at: At) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for kind in ("criteria", "metrics", "pivots", "readout"):
        sheet, first, last = at.block(kind)
        key = next(k for k in at.keys if k.startswith(f"rowid.{kind}."))
        for where, index in (("top", 0), ("above-header", at.header_row(key)), ("above-first", first),
                             ("below-last", last + 1), ("below-everything", at.last_row(sheet) + 1)):
            cases[f"blank-row-{kind}-{where}"] = Case([UNPROTECT, {"op": "insert_rows", "sheet": sheet, "index": index}])
        middle = (first + last + 1) // 2
        cases[f"row-inserted-among-{kind}"] = Case(
            [UNPROTECT, {"op": "insert_rows", "sheet": sheet, "index": middle}],
            ((Kind.SHIFTED_ROWS, sheet, f"{letters(at.col(key))}{middle + 1}"),), numbers=False,
            inputs=None, messages=(f"a row was inserted among the {kind.replace('readout', 'read-out fields')}",))
        cases[f"row-deleted-among-{kind}"] = Case(
            [UNPROTECT, {"op": "remove_rows", "sheet": sheet, "index": middle}],
            ((Kind.SHIFTED_ROWS, sheet, f"{letters(at.col(key))}{middle + 1}"),), numbers=False, inputs=None,
            messages=("its row was deleted",))
    cases["blank-row-guide-top"] = Case([UNPROTECT, {"op": "insert_rows", "sheet": cells.GUIDE, "index": 0}])
    for kind in ("criteria", "metrics"):
        sheet, first, last = at.block(kind)
        key = next(k for k in at.keys if k.startswith(f"rowid.{kind}."))
        cell = f"{letters(at.col(key) + 2)}{last + 2}"
        cases[f"note-typed-in-a-row-below-the-{kind}"] = Case(
            [UNPROTECT, {"op": "insert_rows", "sheet": sheet, "index": last + 1},
             {"op": "type", "sheet": sheet, "cell": cell, "text": "remember the Acme deal"}],
            ((Kind.IGNORED, sheet, cell),), messages=("'remember the Acme deal'",))
    return cases


def _sorts(at: At) -> dict[str, Case]:
    cases = {}
    c0, m0, p0, r0 = at.criteria[0], at.metrics[0], at.pivots[0], at.readout[0]
    for name, kind, key, ascending in (("criteria-by-self", "criteria", f"criteria.{c0}.self", False),
                                       ("criteria-by-evidence", "criteria", f"criteria.{c0}.evidence", True),
                                       ("metrics-by-actual", "metrics", f"metrics.{m0}.actual", False),
                                       ("pivots-by-interest", "pivots", f"pivots.{p0}.interest", False),
                                       ("pivots-by-id-descending", "pivots", f"rowid.pivots.{p0}", False),
                                       ("readout-by-answer", "readout", f"readout.{r0}", True)):
        sheet, first, last = at.block(kind)
        rng = f"A{first + 1}:{letters(at.last_col(key))}{last + 1}"
        # Every formula that means one row finds it by its id: sorted, Calc's own results are collect's.
        cases[f"sort-{name}"] = Case([UNPROTECT, {"op": "sort", "sheet": sheet, "range": rng, "by": at.col(key),
                                                  "ascending": ascending}],
                                     ((Kind.SORTED, sheet, f"{letters(at.col(f'rowid.{kind}.' + _first(at, kind)))}"
                                       f"{first + 1}"),))
    for kind, key in (("criteria", f"criteria.{c0}.self"), ("metrics", f"metrics.{m0}.actual")):
        sheet, first, last = at.block(kind)
        rng = f"B{first + 1}:{letters(at.last_col(key))}{last + 1}"
        cases[f"sort-{kind}-without-the-id-column"] = Case(
            [UNPROTECT, {"op": "sort", "sheet": sheet, "range": rng, "by": at.col(key) - 1, "ascending": False}],
            ((Kind.SHIFTED_ROWS, sheet, None),), numbers=False, inputs=None, messages=("sorted without the ID column",))
    return cases


def _replaced_formulas(at: At) -> dict[str, Case]:
    """A formula replaced by a value that equals its result is found by the cell holding no formula, in
    every format Calc saves; a sheet left with no formula at all is one finding."""
    band = at.ref("result.manager_band")
    sc = at.sheet("result.manager_band")
    cases = {f"value-pasted-over-its-own-formula-{fmt}": Case(
        [UNPROTECT, {"op": "paste_values", "sheet": sc, "range": band}], ((Kind.TAMPERED, sc, band),), fmt=fmt,
        messages=("formula replaced by a typed or pasted value (text '",)) for fmt in ("xlsx", "ods", "xls", "xlsm")}
    whole = f"A1:{letters(at.last_col(f'criteria.{at.criteria[0]}.self'))}{at.last_row(sc) + 1}"
    cases["values-pasted-over-the-whole-scorecard"] = Case(
        [UNPROTECT, {"op": "paste_values", "sheet": sc, "range": whole}], ((Kind.TAMPERED, sc, ""),),
        messages=("no formula left on this sheet",))
    cases["formula-cleared"] = Case([UNPROTECT, {"op": "clear", "sheet": sc, "range": band}],
                                    ((Kind.TAMPERED, sc, band),), unlike_calc=("ManagerBand",),
                                    messages=("formula result overwritten: found a blank",))
    return cases


def _first(at: At, kind: str) -> str:
    return {"criteria": at.criteria, "metrics": at.metrics, "pivots": at.pivots, "readout": at.readout}[kind][0]


def _typing(at: At, typed: Mapping[str, CellValue]) -> dict[str, Case]:
    c0, c1, m0 = at.criteria[0], at.criteria[1], at.metrics[0]
    new_self = (int(typed.get(f"criteria.{c0}.self") or 0) + 1) % 4
    sc = at.sheet(f"criteria.{c0}.self")
    def retyped(t: Inputs) -> Inputs:
        return replace(t, criteria={**t.criteria, c0: replace(t.criteria[c0], self_score=float(new_self),
                                                               manager_score=2.0, evidence="Closed the Acme deal")},
                       metrics={**t.metrics, m0: MetricInput(0.85, t.metrics[m0].notes)})
    typing = [{"op": "type", "sheet": sc, "cell": at.ref(f"criteria.{c0}.self"), "text": str(new_self)},
              {"op": "type", "sheet": sc, "cell": at.ref(f"criteria.{c0}.manager"), "text": "2"},
              {"op": "type", "sheet": sc, "cell": at.ref(f"criteria.{c0}.evidence"), "text": "Closed the Acme deal"},
              {"op": "type", "sheet": at.sheet(f"metrics.{m0}.actual"), "cell": at.ref(f"metrics.{m0}.actual"),
               "text": "85%"}]
    summary = f"{at.ref('result.self_pct')}:{at.ref('result.manager_scored')}"
    ev1 = f"criteria.{c1}.evidence"
    r0 = f"readout.{at.readout[0]}"
    def no_ev1(t: Inputs) -> Inputs:
        return replace(t, criteria={**t.criteria, c1: replace(t.criteria[c1], evidence="")})
    # A cell formatted as text keeps "=great results" as typed; one set back to General (an older
    # workbook, or formatting cleared) takes it for a formula, and shows an error.
    general_ev1 = [{"op": "general", "sheet": sc, "cell": at.ref(ev1)}]

    def ev1_as_typed(t: Inputs) -> Inputs:
        return replace(t, criteria={**t.criteria, c1: replace(t.criteria[c1], evidence="=great results")})
    cases = {
        "typed": Case(typing, inputs=retyped),
        "typed-saved-as-ods": Case(typing, fmt="ods", inputs=retyped),
        "typed-saved-as-xls": Case(typing, fmt="xls", inputs=retyped),
        # The typed-over cells whose value the typing changed, one by one; the rest, right for now, in one.
        "values-pasted-over-the-summary-then-typed": Case(
            [UNPROTECT, {"op": "paste_values", "sheet": sc, "range": summary}, typing[0]],
            numbers=False, inputs=None, covered=at.formulas_in(sc, summary),
            messages=("formula result overwritten", "formulas replaced by typed or pasted values")),
        "evidence-typed-as-a-formula": Case([*general_ev1, {"op": "type", "sheet": sc, "cell": at.ref(ev1),
                                                            "text": "=great results"}],
                                            ((Kind.ERROR_VALUE, sc, at.ref(ev1)),), inputs=no_ev1,
                                            messages=(f"Evidence for {c1} ('", "shows an error", "apostrophe before the =")),
        "evidence-typed-as-a-formula-ods": Case(
            [*general_ev1, {"op": "type", "sheet": sc, "cell": at.ref(ev1), "text": "=great results"}],
            ((Kind.ERROR_VALUE, sc, at.ref(ev1)),), fmt="ods", inputs=no_ev1),
        "evidence-starting-with-=-kept-in-its-text-cell": Case(
            [{"op": "type", "sheet": sc, "cell": at.ref(ev1), "text": "=great results"}], inputs=ev1_as_typed),
        "readout-typed-as-a-formula": Case(
            [{"op": "general", "sheet": at.sheet(r0), "cell": at.ref(r0)},
             {"op": "type", "sheet": at.sheet(r0), "cell": at.ref(r0), "text": "=six months"}],
            ((Kind.ERROR_VALUE, at.sheet(r0), at.ref(r0)),), numbers=False, inputs=None),
        "renamed-sheet": Case([{"op": "rename", "sheet": cells.PIVOTS, "to": "Pivots"}],
                              ((Kind.RENAMED_SHEET, "Pivots", ""),)),
        "renamed-scorecard-and-guide": Case([{"op": "rename", "sheet": sc, "to": "My scores"},
                                             {"op": "rename", "sheet": cells.GUIDE, "to": "Read me"}],
                                            ((Kind.RENAMED_SHEET, "My scores", ""), (Kind.RENAMED_SHEET, "Read me", ""))),
        "renamed-and-a-column-inserted": Case([UNPROTECT, {"op": "rename", "sheet": sc, "to": "Scores"},
                                               {"op": "insert_columns", "sheet": "Scores", "index": 0}],
                                              ((Kind.RENAMED_SHEET, "Scores", ""),), fmt="ods"),
    }
    points = f"{at.ref(f'criteria.{c0}.self_points')}:{at.ref(f'criteria.{at.criteria[-1]}.manager_points')}"
    cases["values-pasted-over-the-points-then-typed"] = Case(
        [UNPROTECT, {"op": "paste_values", "sheet": sc, "range": points}, typing[0]], inputs=None,
        covered=at.formulas_in(sc, points), messages=(f"{2 * len(at.criteria) - 1} formulas replaced by typed or "
                                                       "pasted values",))
    sheet, first, _ = at.block("criteria")
    cases["sorted-and-a-column-inserted-saved-as-ods"] = Case(
        [UNPROTECT, {"op": "sort", "sheet": sc, "range": f"A{first + 1}:{letters(at.last_col(ev1))}"
                                                           f"{at.block('criteria')[2] + 1}",
                     "by": at.col(f"criteria.{c0}.self"), "ascending": False},
         {"op": "insert_columns", "sheet": sc, "index": at.col(ev1), "count": 2}],
        ((Kind.SORTED, sc, f"A{first + 1}"),), fmt="ods")
    cases["evidence-typed-as-a-formula-xlsm"] = Case(
        [*general_ev1, {"op": "type", "sheet": sc, "cell": at.ref(ev1), "text": "=great results"}],
        ((Kind.ERROR_VALUE, sc, at.ref(ev1)),), fmt="xlsm", inputs=no_ev1)
    for fmt in ("ods", "xls", "xlsm"):
        cases[f"saved-as-{fmt}"] = Case([], fmt=fmt)
        cases[f"insert-column-before-self-saved-as-{fmt}"] = Case(
            [UNPROTECT, {"op": "insert_columns", "sheet": sc, "index": at.col(f"criteria.{c0}.self")}], fmt=fmt)
    return cases


@dataclass
class Edited:
    ladder: Ladder
    roster: Roster
    person: Person
    typed: Inputs
    cases: dict[str, Case]
    files: dict[str, Path] = field(default_factory=dict)
    calc_names: dict[str, dict[str, Any]] = field(default_factory=dict)


def _all_cases(at: At, values: Mapping[str, CellValue]) -> dict[str, Case]:
    return {**_insert_columns(at), **_other_columns(at), **_rows(at), **_sorts(at), **_typing(at, values),
            **_replaced_formulas(at)}


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster, calc: Calc) -> Edited:
    tmp = tmp_path_factory.mktemp("edits")
    person = roster.people[0]
    generate(ladder, roster, QUARTER, tmp / "gen", due=DUE, jobs=1)
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    typed, values = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(2026))
    # One pivot clearly first, so the top pivot is never decided by ties (that depends on row order).
    for p, interest in zip(ladder.pivots, (1, 3, 2, 0, 2)):
        values[f"pivots.{p.id}.interest"] = interest
    typed = replace(typed, pivots={p.id: replace(typed.pivots[p.id], interest=float(values[f"pivots.{p.id}.interest"]))
                                   for p in ladder.pivots})
    filled = write_values(workbook_path(tmp / "gen" / QUARTER, person), wl, values, tmp / "filled.xlsx")
    at = At(wl, ladder, person)
    out = Edited(ladder, roster, person, typed, _all_cases(at, values))
    # Cases with the same edits are one round trip to LibreOffice, saved once per case.
    alike: dict[str, list[str]] = {}
    for name, case in out.cases.items():
        alike.setdefault(json.dumps(case.edits, sort_keys=True), []).append(name)
    for first, *rest in alike.values():
        out.files |= {n: tmp / "edited" / f"{n}.{out.cases[n].fmt}" for n in (first, *rest)}
        names = calc.apply(filled, out.cases[first].edits, out.files[first], out.cases[first].fmt, NAMES,
                           more=[(out.files[n], out.cases[n].fmt) for n in rest])
        out.calc_names |= {n: names for n in (first, *rest)}
    return out


def _case_names() -> list[str]:
    """Every case by name, at collection time (positions from the shipped ladder's layout)."""
    ladder = load_ladder()
    roster = replace(load_roster(example_team_path(), ladder), manager_scores=ManagerScores.IN_WORKBOOK)
    person = roster.people[0]
    return sorted(_all_cases(At(layout.build(ladder, roster, person, QUARTER, DUE), ladder, person), {}))


CASE_NAMES = _case_names()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_an_edit_gives_calcs_numbers_or_a_located_problem(edited: Edited, name: str) -> None:
    case, path = edited.cases[name], edited.files[name]
    results = collect([path], edited.ladder, edited.roster, QUARTER)
    assert results.unmatched == ()
    mine = next(p for p in results.people if p.person.id == edited.person.id)
    # An expected cell of None accepts the problem wherever it is (a sort's outcome decides the row).
    loose = {(kind, sheet) for kind, sheet, cell in case.expected if cell is None}
    got = [(p.kind, p.sheet, None if (p.kind, p.sheet) in loose else p.cell) for p in mine.problems
           if not case.covered or p.kind != Kind.TAMPERED]
    assert sorted(got, key=str) == sorted(case.expected, key=str), "\n".join(str(p) for p in mine.problems)
    named = [c for p in mine.problems if p.kind == Kind.TAMPERED and case.covered for c in _cells(p.cell)]
    assert sorted(named) == sorted(case.covered), "\n".join(str(p) for p in mine.problems)
    for phrase in case.messages:
        assert any(phrase in p.message for p in mine.problems), (phrase, [p.message for p in mine.problems])
    if case.inputs is not None:
        assert mine.inputs == case.inputs(edited.typed)
    if case.numbers:
        _assert_calcs_numbers(edited.calc_names[name], mine, case.unlike_calc)


def _assert_calcs_numbers(calc: Mapping[str, Any], mine: PersonResult, unlike: tuple[str, ...]) -> None:
    s = mine.scores
    assert s is not None
    ours: dict[str, object] = {
        "SelfReadiness": s.self_pct, "ManagerReadiness": s.manager_pct, "SelfBand": s.self_band,
        "ManagerBand": s.manager_band, "CalibrationGap": s.calibration_gap,
        "MetricsBelow": sum(1 for v in s.metric_status.values() if v == "Below"), "TopPivot": s.top_pivot,
        "ReadoutText": s.readout_text,
    }
    for name, value in ours.items():
        if name in unlike:
            continue
        theirs = calc[name]
        if value is None:
            assert theirs == "", (name, theirs)
        elif isinstance(value, (int, float)):
            assert isinstance(theirs, float) and math.isclose(theirs, value, rel_tol=1e-9, abs_tol=1e-9), (name, theirs, value)
        else:
            assert theirs == value, (name, theirs, value)


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_folder_of_replies_in_every_format(edited: Edited, tmp_path: Path, fmt: str) -> None:
    """Workbooks in other formats are read in folders as given; replies that cannot be read are named under their
    person, or as naming nobody; lock files are never read, in a folder or by name, and are named in a note."""
    folder = tmp_path / "returned"
    folder.mkdir()
    me, others = edited.person, [p for p in edited.roster.people if p.id != edited.person.id]
    (folder / f"{me.id}.{fmt}").write_bytes(edited.files[f"saved-as-{fmt}"].read_bytes())
    (folder / f"~${me.id}.xlsx").write_bytes(b"\x00owner")  # Excel's owner file
    (folder / f".~lock.{me.id}.{fmt}#").write_text("LibreOffice lock")
    by_name = others[0]
    (folder / f"{by_name.name} - ladder.csv").write_text("criterion,self\nPR-01,2\n")
    by_content = others[1]
    (folder / "scan 0042.pdf").write_bytes(b"%PDF-1.4\n" + f"({by_content.email})".encode() + b"\n%%EOF")
    (folder / "team photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # names nobody: named as such
    results = collect([folder, folder / f"~${me.id}.xlsx"], edited.ladder, edited.roster, QUARTER)
    assert [(p.file, p.kind, p.severity.value) for p in results.unmatched] == [
        (str(folder / "team photo.png"), Kind.WRONG_FORMAT, "error"), (str(folder), Kind.SKIPPED, "note"),
        (str(folder / f"~${me.id}.xlsx"), Kind.SKIPPED, "note")]
    assert f"2 lock files (.~lock.{me.id}.{fmt}#, ~${me.id}.xlsx)" in results.unmatched[1].message
    by_id = {p.person.id: p for p in results.people}
    assert by_id[me.id].problems == () and by_id[me.id].inputs == edited.typed
    _assert_calcs_numbers(edited.calc_names[f"saved-as-{fmt}"], by_id[me.id], ())
    for person, file, fmt_shown in ((by_name, f"{by_name.name} - ladder.csv", "csv"),
                                    (by_content, "scan 0042.pdf", "pdf")):
        result = by_id[person.id]
        assert [(p.file, p.kind, p.message) for p in result.problems] == [
            (str(folder / file), Kind.WRONG_FORMAT,
             f"returned in a format that cannot be read ({fmt_shown}): save it as .xlsx and return it again")]
        assert result.status.value == "invalid" and result.file == str(folder / file)
    assert {p.status.value for p in results.people if p.person.id not in (me.id, by_name.id, by_content.id)} == {
        "missing"}


@pytest.mark.libreoffice
def test_a_calc_session_lets_libreoffice_quit_on_its_own() -> None:
    """Closing a session asks LibreOffice to quit rather than signalling it: a signalled soffice exits 255 and
    leaves its OSL_PIPE_* socket behind in /tmp, one per test session."""
    office = Calc()
    assert office.exit_code is None
    office.close()
    assert office.exit_code == 0
