""""Not observed yet": a criterion the SE had no chance to show leaves readiness instead of scoring 0.

Scoring's rule, the workbook's dropdown and formulas, collect and the results file all hold it the
same way; LibreOffice, typed into as a person types, shows what collect computes.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core import layout, scoring
from ladder_sheets.core.cells import Check
from ladder_sheets.core.model import (NOT_ENOUGH_OBSERVED, NOT_OBSERVED, CriterionInput, Inputs, Ladder, Roster,
                                      Score)
from ladder_sheets.core.results import Status, to_dict
from ladder_sheets.workflows.results_file import read_results, write_results
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import generate, workbook_path
from tests.conftest import DUE, QUARTER
from tests.support.calc import Calc
from tests.support.fill import random_inputs, write_values
from tests.support.results import inputs_for, results_for

NA = NOT_OBSERVED


@pytest.mark.parametrize(("scores", "pct"), [
    ([3.0, 3.0, NA, 3.0], 1.0),  # 3 of 4 weights observed (share 0.75 with these weights): the observed ones count
    ([3.0, 0.0, NA, 3.0], 2 / 3),
    ([NA, 3.0, NA, 3.0], None),  # half observed: no readiness, under the share
    ([3.0, None, NA, 3.0], None),  # a blank is not yet scored
    ([NA, NA, NA, NA], None),
])
def test_readiness_leaves_not_observed_out_of_the_count(scores: list[Score], pct: float | None) -> None:
    got = scoring.readiness(scores, [1.0, 1.0, 1.0, 1.0], 3, min_share=0.75)
    assert got == (pct if pct is None else pytest.approx(pct))


def test_a_band_needs_the_share_of_the_rubric_observed(ladder: Ladder) -> None:
    rubric = ladder.rubric_for("core")
    allowed = [c.id for c in rubric.criteria if c.allow_not_observed]
    every = Inputs(criteria={c.id: CriterionInput(self_not_observed=True, manager_not_observed=True)
                             if c.id in allowed else CriterionInput(3.0, 3.0) for c in rubric.criteria})
    observed = sum(c.weight for c in rubric.criteria if c.id not in allowed) / sum(c.weight for c in rubric.criteria)
    assert observed < ladder.not_observed.min_share  # the Core rubric can cross it
    s = scoring.score(ladder, rubric, every, "core")
    assert (s.self_pct, s.self_band, s.manager_band) == (None, NOT_ENOUGH_OBSERVED, NOT_ENOUGH_OBSERVED)
    assert s.self_missing == () and s.self_not_observed == tuple(allowed)
    one = replace(every, criteria={**every.criteria, **{i: CriterionInput(3.0, 3.0) for i in allowed[1:]}})
    s = scoring.score(ladder, rubric, one, "core")
    assert (s.self_pct, s.manager_band, s.self_not_observed, s.criterion_gaps[allowed[0]]) == (
        1.0, "Ready", (allowed[0],), None)


def test_only_criteria_that_allow_it_offer_it(ladder: Ladder, roster: Roster) -> None:
    person = next(p for p in roster.people if p.target_level == "senior")
    cells = layout.build(ladder, roster, person, QUARTER, DUE).by_key()
    for c in ladder.rubric_for("senior").criteria:
        for who in ("self", "manager"):
            rule = cells[f"criteria.{c.id}.{who}"][1].validation
            assert rule is not None
            assert (rule.check is Check.SCORE_OR_NA) is c.allow_not_observed, c.id
            assert (ladder.not_observed.label in rule.options) is c.allow_not_observed
            if c.allow_not_observed:
                assert rule.message == ("Choose 0 (Never) to 3 (Consistently), or n/o if there was no chance to show "
                                        "it this quarter.")


def test_the_results_file_keeps_it_apart_from_a_blank(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    person = next(p for p in roster.people if p.level == p.target_level == "core")
    rubric = ladder.rubric_for("core")
    allowed = next(c.id for c in rubric.criteria if c.allow_not_observed)
    inputs = Inputs(criteria={c.id: CriterionInput(self_not_observed=True) if c.id == allowed
                              else CriterionInput(3.0, 2.0) for c in rubric.criteria})
    results = results_for(ladder, roster, {person.id: inputs})
    path = write_results(results, tmp_path / "results.json")
    assert read_results(path) == results
    record = next(p for p in to_dict(results)["people"] if p["person"]["id"] == person.id)
    assert record["inputs"]["criteria"][allowed][:2] == ["n/o", None]
    assert record["scores"]["self_not_observed"] == [allowed]


@pytest.mark.libreoffice
def test_typed_in_libreoffice_it_is_complete_at_100_percent_there_and_in_collect(
        ladder: Ladder, roster: Roster, calc: Calc, tmp_path: Path) -> None:
    """Kenji (Core, growing at Core) scores 3 everywhere but one criterion, "not observed yet": typed as
    text (``setString``) by him, as a person types it (``setFormula``, in capitals) by his manager."""
    person = next(p for p in roster.people if p.level == p.target_level == "core")
    rubric = ladder.rubric_for("core")
    generate(ladder, roster, QUARTER, tmp_path / "gen", due=DUE, jobs=1)
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    typed, values = random_inputs(ladder, rubric, random.Random(23), level=person.level)
    top = ladder.scale.max
    values |= {f"criteria.{c.id}.{who}": top for c in rubric.criteria for who in ("self", "manager")}
    filled = write_values(workbook_path(tmp_path / "gen" / QUARTER, person), wl, values, tmp_path / "filled.xlsx")
    unseen = next(c for c in rubric.criteria if c.allow_not_observed)
    cells = wl.by_key()
    sheet, own = cells[f"criteria.{unseen.id}.self"]
    mgr = cells[f"criteria.{unseen.id}.manager"][1]
    edits = [{"op": "string", "sheet": sheet.title, "cell": own.ref, "text": "n/o"},
             {"op": "type", "sheet": sheet.title, "cell": mgr.ref, "text": "N/O"}]
    names = calc.apply(filled, edits, tmp_path / "returned" / f"{person.id}.xlsx",
                       names=("SelfReadiness", "ManagerReadiness", "SelfBand", "ManagerBand"))
    assert names == {"SelfReadiness": 1.0, "ManagerReadiness": 1.0, "SelfBand": "Ready", "ManagerBand": "Ready"}

    mine = next(p for p in collect([tmp_path / "returned"], ladder, roster, QUARTER).people if p.person.id == person.id)
    assert (mine.status, mine.problems) == (Status.COMPLETE, ())
    assert mine.inputs is not None and mine.scores is not None
    assert mine.inputs.criteria[unseen.id] == replace(
        typed.criteria[unseen.id], self_score=None, manager_score=None, self_not_observed=True,
        manager_not_observed=True)
    s = mine.scores
    assert (s.self_pct, s.manager_pct, s.self_band, s.manager_band) == (1.0, 1.0, "Ready", "Ready")
    assert s.self_not_observed == s.manager_not_observed == (unseen.id,) and s.self_missing == ()
    shown = openpyxl.load_workbook(tmp_path / "returned" / f"{person.id}.xlsx", data_only=True)[sheet.title]
    n = len(rubric.criteria)
    assert [shown[cells[f"result.{who}_scored"][1].ref].value for who in ("self", "manager")] == [
        f"{n} of {n} (1 not observed yet)"] * 2


def test_reports_show_it_and_never_ask_for_it(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Priya's manager and Priya both mark a criterion "not observed yet"; Kenji leaves too much of
    the Core rubric unobserved for a band. The manager's agenda lists it with a question about making
    the chance, nobody is asked to fill it in, results.csv counts it, and leadership counts Kenji's band."""
    import csv
    import io

    from ladder_sheets.core.outstanding import outstanding
    from ladder_sheets.workflows.report import build_report

    priya = next(p for p in roster.people if p.target_level == "manager")
    kenji = next(p for p in roster.people if p.level == p.target_level == "core")
    hiring = next(c for c in ladder.rubric_for("manager").criteria if c.allow_not_observed)
    theirs = inputs_for(ladder, "manager", 3, 3)
    theirs = replace(theirs, criteria={**theirs.criteria, hiring.id: CriterionInput(
        evidence="No opening this quarter", self_not_observed=True, manager_not_observed=True)})
    core = inputs_for(ladder, "core", 3, 3)
    core = replace(core, criteria={k: (CriterionInput(self_not_observed=True, manager_not_observed=True)
                                       if c.allow_not_observed else v)
                                   for (k, v), c in zip(core.criteria.items(), ladder.rubric_for("core").criteria)})
    results = results_for(ladder, roster, {priya.id: theirs, kenji.id: core})
    mine = next(p for p in results.people if p.person.id == priya.id)
    assert outstanding(ladder, mine).self_scores == () and outstanding(ladder, mine).manager_scores == ()
    files = {f.name: f for f in build_report(results, ladder, tmp_path, leadership=roster.leadership, org=roster.org)}
    manager = roster.manager_of(priya).id
    text = " ".join(files[f"manager-{manager}.txt"].read_text(encoding="utf-8").split())
    assert (f"Not observed yet (left out of readiness: a chance to create): - {hiring.text} (self and manager) "
            f"Ask: Where could you get a chance to show this next quarter, and how can I help set it up?") in text
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["results.csv"].read_text(encoding="utf-8-sig")))}
    assert (rows[priya.id]["self_not_observed"], rows[priya.id]["manager_not_observed"]) == ("1", "1")
    assert rows[kenji.id]["manager_band"] == NOT_ENOUGH_OBSERVED
    leadership = " ".join(files["leadership.txt"].read_text(encoding="utf-8").split())
    assert f"TEAMS (Ready / Close / Developing / {NOT_ENOUGH_OBSERVED}; average manager readiness by rubric, with n)" \
        in leadership
