"""collect (xlsx.collect and core.examine): one test per problem kind, each asserting the exact problem AND that everyone else's results are intact.

The module fixture generates the example team's workbooks, fills them as SEs and managers
would, derives one broken workbook per problem kind from the first SE's, and has
LibreOffice recalculate them all in one call, so they carry cached values like files
returned from a spreadsheet app. Expected numbers come from scoring.py applied to the
inputs written, never from the workbook.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core import cells, layout, scoring
from ladder_sheets.core.checks import dependencies
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.returned import find
from ladder_sheets.xlsx.generate import generate, workbook_path
from ladder_sheets.core.inputs import show
from ladder_sheets.core.cells import WorkbookLayout
from ladder_sheets.core.model import CellValue, CriterionInput, Inputs, Ladder, Person, Roster
from ladder_sheets.core.results import Kind, Problem, Results, Severity, Status

from tests.conftest import DUE, QUARTER
from tests.support.fill import random_inputs, write_values
from tests.support.libreoffice import recalc
from tests.support.results import find_person

OTHER_QUARTER = "2026-Q3"
STRANGER = Person("zoe-stranger", "Zoe Stranger", "zoe@apex-cloud.example", "core", "senior", "mgr-amara")


@dataclass
class World:
    ladder: Ladder
    roster: Roster
    first: Person  # the SE whose workbook each test breaks
    layout: WorkbookLayout  # the first SE's
    clean: dict[str, Path]  # person id -> filled workbook, recalculated by LibreOffice
    inputs: dict[str, Inputs]  # person id -> what was typed into their clean workbook
    variants: dict[str, Path] = field(default_factory=dict)  # broken versions of the first SE's workbook
    uncalculated: dict[str, Path] = field(default_factory=dict)  # filled by openpyxl, never recalculated

    def ref(self, key: str) -> str:
        return self.layout.by_key()[key][1].ref

    def criterion(self, index: int) -> str:
        return self.ladder.rubric_for(self.first.target_level).criteria[index].id


def _edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster) -> World:
    tmp = tmp_path_factory.mktemp("collect")
    generate(ladder, roster, QUARTER, tmp / "gen", due=DUE, jobs=1)
    generate(ladder, roster, OTHER_QUARTER, tmp / "gen", due=DUE, jobs=1)
    stage, plain = tmp / "stage", tmp / "plain"
    stage.mkdir()
    plain.mkdir()
    first = roster.people[0]
    wl = layout.build(ladder, roster, first, QUARTER, DUE)
    inputs: dict[str, Inputs] = {}
    values: dict[str, dict[str, CellValue]] = {}
    for i, person in enumerate(roster.people):
        inputs[person.id], values[person.id] = random_inputs(
            ladder, ladder.rubric_for(person.target_level), random.Random(100 + i), level=person.level)
        person_wl = layout.build(ladder, roster, person, QUARTER, DUE)
        write_values(workbook_path(tmp / "gen" / QUARTER, person), person_wl, values[person.id],
                     stage / f"{person.id}.xlsx")
        shutil.copy(stage / f"{person.id}.xlsx", plain / f"{person.id}.xlsx")
    w = World(ladder, roster, first, wl, {}, inputs)
    mine = values[first.id]
    source = workbook_path(tmp / "gen" / QUARTER, first)

    def variant(name: str, changes: Mapping[str, CellValue], src: Path = source) -> Path:
        return write_values(src, wl, {**mine, **changes}, stage / f"variant-{name}.xlsx")

    c1, c3 = w.criterion(1), w.criterion(3)
    variant("blank", {f"criteria.{c1}.self": None})
    variant("text", {f"criteria.{c1}.self": "2"})
    variant("half", {f"criteria.{c1}.self": 2.5})
    variant("manager", {f"criteria.{c.id}.manager": None for c in ladder.rubric_for(first.target_level).criteria})
    variant("version", {"meta.template_version": "se-ladder@2025.9/layout-1"})
    variant("quarter", {}, workbook_path(tmp / "gen" / OTHER_QUARTER, first))
    metric = ladder.metrics[0].id
    status = scoring.score(ladder, ladder.rubric_for(first.target_level), inputs[first.id], first.level).metric_status[metric]
    variant("tampered", {"result.self_pct": 0.99, f"metrics.{metric}.status": "Below" if status == "Meets" else "Meets"})
    row = wl.by_key()[f"rowid.criteria.{c3}"][1].row
    _edit(variant("deleted-row", {}), lambda wb: wb[cells.SCORECARD].delete_rows(row))
    _edit(variant("inserted-row", {}), lambda wb: wb[cells.SCORECARD].insert_rows(row))
    _edit(variant("renamed-sheet", {}), lambda wb: setattr(wb[cells.SCORECARD], "title", "Scores"))
    _edit(variant("missing-sheet", {}), lambda wb: wb.remove(wb[cells.PIVOTS]))
    _edit(variant("renamed-guide", {}), lambda wb: setattr(wb[cells.GUIDE], "title", "Read me"))

    def guide_replaced(wb: openpyxl.Workbook) -> None:
        wb.remove(wb[cells.GUIDE])
        wb.create_sheet("Read me", 0)["A1"] = "Sales Engineer"  # a sheet of one's own is not mistaken for the Guide
    _edit(variant("deleted-guide", {}), guide_replaced)
    stranger_roster = dataclasses.replace(roster, people=(*roster.people, STRANGER))
    generate(ladder, stranger_roster, QUARTER, tmp / "stranger", due=DUE, jobs=1)
    shutil.copy(workbook_path(tmp / "stranger" / QUARTER, STRANGER), stage / "variant-stranger.xlsx")
    calculated = recalc(sorted(stage.iterdir()), tmp / "lo")  # one LibreOffice run for the whole module
    for path in calculated:
        if path.name.startswith("variant-"):
            w.variants[path.stem.removeprefix("variant-")] = path
        else:
            w.clean[path.stem] = path
    w.uncalculated = {p.stem: p for p in plain.iterdir()}
    return w


def _returned(w: World, tmp: Path, *extra: Path, without: tuple[str, ...] = ()) -> Path:
    """A folder of returned workbooks: everyone's clean one (but ``without``), plus ``extra`` files."""
    folder = tmp / "returned"
    folder.mkdir()
    for pid, path in w.clean.items():
        if pid not in without:
            shutil.copy2(path, folder / path.name)
    for path in extra:
        shutil.copy2(path, folder / path.name)
    return folder


def _run(w: World, folder: Path) -> Results:
    return collect([folder], w.ladder, w.roster, QUARTER)


def _assert_intact(w: World, results: Results, but: tuple[str, ...] = ()) -> None:
    """Everyone except ``but``: complete, no problems, inputs as typed, scores from scoring.py."""
    seen = [p.person.id for p in results.people]
    assert seen == [p.id for p in w.roster.people]
    for result in results.people:
        if result.person.id in but:
            continue
        person = find_person(w.roster, result.person.id)
        assert result.problems == () and result.status is Status.COMPLETE, result.person.id
        assert result.inputs == w.inputs[person.id]
        assert result.scores == scoring.score(w.ladder, w.ladder.rubric_for(person.target_level), w.inputs[person.id], person.level)


def _mine(w: World, results: Results) -> tuple[Status, tuple[Problem, ...], Inputs | None]:
    result = next(p for p in results.people if p.person.id == w.first.id)
    return result.status, result.problems, result.inputs


def _scores(w: World, inputs: Inputs) -> scoring.Scores:
    return scoring.score(w.ladder, w.ladder.rubric_for(w.first.target_level), inputs, w.first.level)


def _with_self(inputs: Inputs, criterion: str, score: float | None) -> Inputs:
    old = inputs.criteria[criterion]
    return dataclasses.replace(inputs, criteria={**inputs.criteria, criterion: CriterionInput(
        score, old.manager_score, old.evidence, old.comment)})


# ---- clean workbooks ----------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_clean_recalculated_workbooks_collect_with_no_problems(world: World, tmp_path: Path) -> None:
    results = _run(world, _returned(world, tmp_path))
    _assert_intact(world, results)
    assert results.unmatched == () and results.problem_count == 0
    assert (results.quarter, results.ladder_id, results.template_version) == (
        QUARTER, world.ladder.id, layout.template_version(world.ladder))


@pytest.mark.libreoffice
def test_workbooks_never_calculated_are_not_suspected_of_tampering(world: World) -> None:
    results = collect(sorted(world.uncalculated.values()), world.ladder, world.roster, QUARTER)
    _assert_intact(world, results)


@pytest.mark.libreoffice
def test_untouched_workbooks_are_read_without_searching_for_moved_columns(world: World,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every workbook of one shape is read with the shape built for one of them: text that differs by
    person (names, addresses) must not look like a moved column, or each file pays for a search."""
    from ladder_sheets.core import locate

    searched: list[str] = []
    real = locate._by_content
    monkeypatch.setattr(locate, "_by_content", lambda g, grid, column, claimed: (
        searched.append(f"{g.title}!{column}"), real(g, grid, column, claimed))[1])
    managers = {world.roster.manager_of(p).id for p in world.roster.people}
    assert len(managers) > 1  # people of one shape under different managers
    results = collect(sorted(world.uncalculated.values()), world.ladder, world.roster, QUARTER, jobs=1)
    _assert_intact(world, results)
    assert searched == []


@pytest.mark.libreoffice
def test_worker_processes_give_the_same_results(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path, world.variants["text"], world.variants["stranger"],
                       without=(world.first.id,))
    serial = collect([folder], world.ladder, world.roster, QUARTER, jobs=1)
    parallel = collect([folder], world.ladder, world.roster, QUARTER, jobs=2)
    assert (parallel.people, parallel.unmatched) == (serial.people, serial.unmatched)


@pytest.mark.libreoffice
def test_people_without_a_workbook_are_missing(world: World, tmp_path: Path) -> None:
    results = _run(world, _returned(world, tmp_path, without=(world.first.id,)))
    status, problems, inputs = _mine(world, results)
    assert (status, problems, inputs) == (Status.MISSING, (), None)
    _assert_intact(world, results, but=(world.first.id,))


# ---- inputs ---------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_blank_score(world: World, tmp_path: Path) -> None:
    path = world.variants["blank"]
    folder = _returned(world, tmp_path, path, without=(world.first.id,))
    results = _run(world, folder)
    c1 = world.criterion(1)
    key = f"criteria.{c1}.self"
    assert _mine(world, results) == (Status.INCOMPLETE, (Problem(
        str(folder / path.name), cells.SCORECARD, world.ref(key), Kind.BLANK,
        f"self score for {c1} is blank", Severity.INCOMPLETE),), _with_self(world.inputs[world.first.id], c1, None))
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.parametrize(("name", "kind", "found"), [
    ("text", Kind.WRONG_TYPE, "text '2'"),
    ("half", Kind.NOT_WHOLE, "2.5"),
])
@pytest.mark.libreoffice
def test_invalid_score_is_an_error_and_not_mistaken_for_tampering(world: World, tmp_path: Path, name: str,
                                                                  kind: Kind, found: str) -> None:
    """LibreOffice still computes H-G with "2" or 2.5 in G: those formula results are not judged."""
    folder = _returned(world, tmp_path, world.variants[name], without=(world.first.id,))
    results = _run(world, folder)
    c1 = world.criterion(1)
    status, problems, inputs = _mine(world, results)
    assert status is Status.INVALID
    assert world.ladder.rubric_for(world.first.target_level).criteria[1].allow_not_observed  # so the rule says n/o
    na = f", or {world.ladder.not_observed.label} (not observed yet)"
    assert [str(p) for p in problems] == [
        f"{folder / world.variants[name].name}: 'Scorecard'!{world.ref(f'criteria.{c1}.self')}: "
        f"expected a whole number from 0 to {world.ladder.scale.max}{na}, found {found}"]
    assert problems[0].kind == kind
    assert inputs == _with_self(world.inputs[world.first.id], c1, None)  # blank for scoring, as COUNT does
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_manager_not_scored_yet_is_its_own_incompleteness(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path, world.variants["manager"], without=(world.first.id,))
    results = _run(world, folder)
    ids = [c.id for c in world.ladder.rubric_for(world.first.target_level).criteria]
    first, last = world.ref(f"criteria.{ids[0]}.manager"), world.ref(f"criteria.{ids[-1]}.manager")
    status, problems, _ = _mine(world, results)
    assert (status, problems) == (Status.INCOMPLETE, (Problem(
        str(folder / world.variants["manager"].name), cells.SCORECARD, f"{first}:{last}", Kind.AWAITING_MANAGER,
        f"the manager has not scored {len(ids)} criteria yet: {', '.join(ids)}", Severity.INCOMPLETE),))
    result = next(p for p in results.people if p.person.id == world.first.id)
    assert result.scores is not None and result.scores.manager_missing == tuple(ids)
    assert result.scores.self_pct == _scores(world, world.inputs[world.first.id]).self_pct
    _assert_intact(world, results, but=(world.first.id,))


# ---- structure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "message"), [
    ("deleted-row", "criterion {c3} not found: its row was deleted; this sheet's inputs are not used"),
    ("inserted-row", "a row was inserted among the criteria (row {row}), so the sheet's own totals now count it; "
                     "this sheet's inputs are not used (delete the row)"),
])
@pytest.mark.libreoffice
def test_moved_rows_are_reported_and_that_sheet_is_not_used(world: World, tmp_path: Path, name: str,
                                                            message: str) -> None:
    folder = _returned(world, tmp_path, world.variants[name], without=(world.first.id,))
    results = _run(world, folder)
    c3 = world.criterion(3)
    ref = world.ref(f"rowid.criteria.{c3}")
    status, problems, inputs = _mine(world, results)
    assert status is Status.INVALID
    assert [str(p) for p in problems] == [
        f"{folder / world.variants[name].name}: 'Scorecard'!{ref}: {message.format(c3=c3, row=ref[1:])}"]
    assert problems[0].kind == Kind.SHIFTED_ROWS
    typed = world.inputs[world.first.id]
    assert inputs == dataclasses.replace(typed, criteria={})  # the other sheets are still read
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_missing_sheet(world: World, tmp_path: Path) -> None:
    name = "missing-sheet"
    folder = _returned(world, tmp_path, world.variants[name], without=(world.first.id,))
    results = _run(world, folder)
    status, problems, inputs = _mine(world, results)
    found = [cells.GUIDE, cells.SCORECARD, cells.METRICS, cells.READOUT]
    assert status is Status.INVALID
    assert [str(p) for p in problems] == [f"{folder / world.variants[name].name}: '{cells.PIVOTS}': sheet not found "
                                          f"(renamed or deleted?); sheets found: {', '.join(repr(s) for s in found)}"]
    assert problems[0].kind == Kind.MISSING_SHEET
    assert inputs is not None
    typed = world.inputs[world.first.id]
    assert (inputs.pivots, inputs.track_preference) == ({}, "")
    assert (inputs.criteria, inputs.metrics, inputs.readout) == (typed.criteria, typed.metrics, typed.readout)
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.parametrize(("name", "sheet", "renamed"), [
    ("renamed-sheet", cells.SCORECARD, "Scores"),
    ("renamed-guide", cells.GUIDE, "Read me"),
])
@pytest.mark.libreoffice
def test_a_renamed_sheet_is_recognised_by_its_contents(world: World, tmp_path: Path, name: str, sheet: str,
                                                       renamed: str) -> None:
    folder = _returned(world, tmp_path, world.variants[name], without=(world.first.id,))
    results = _run(world, folder)
    status, problems, inputs = _mine(world, results)
    assert (status, problems) == (Status.COMPLETE, (Problem(
        str(folder / world.variants[name].name), renamed, "", Kind.RENAMED_SHEET,
        f"sheet '{sheet}' was renamed '{renamed}'; it was recognised by its contents and read", Severity.NOTE),))
    assert inputs == world.inputs[world.first.id]
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_without_its_guide_a_workbook_cannot_be_matched_to_anyone(world: World, tmp_path: Path) -> None:
    path = world.variants["deleted-guide"]
    folder = _returned(world, tmp_path, path, without=(world.first.id,))
    results = _run(world, folder)
    assert [str(p) for p in results.unmatched] == [
        f"{folder / path.name}: 'Guide': sheet not found (renamed or deleted?), so the workbook cannot be matched to "
        "a person; sheets found: 'Read me', 'Scorecard', 'Impact metrics', 'Pivot matrix', 'Promotion read-out'"]
    assert _mine(world, results)[0] is Status.MISSING
    _assert_intact(world, results, but=(world.first.id,))


# ---- identity: version, quarter, duplicates, strangers, unreadable files ----------------------------


@pytest.mark.libreoffice
def test_other_template_version(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path, world.variants["version"], without=(world.first.id,))
    results = _run(world, folder)
    status, problems, inputs = _mine(world, results)
    assert (status, problems) == (Status.INVALID, (Problem(
        str(folder / world.variants["version"].name), cells.GUIDE, world.ref("meta.template_version"), Kind.VERSION,
        f"expected template version {layout.template_version(world.ladder)}, found se-ladder@2025.9/layout-1"),))
    assert inputs == world.inputs[world.first.id]
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_other_quarter(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path, world.variants["quarter"], without=(world.first.id,))
    results = _run(world, folder)
    status, problems, _ = _mine(world, results)
    assert (status, problems) == (Status.INVALID, (Problem(
        str(folder / world.variants["quarter"].name), cells.GUIDE, world.ref("meta.quarter"), Kind.QUARTER,
        f"expected quarter {QUARTER}, found {OTHER_QUARTER}"),))
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_duplicate_submission_uses_the_newest_and_names_the_other(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path)
    newer, older = folder / f"{world.first.id}.xlsx", folder / f"{world.first.id} (1).xlsx"
    shutil.copy2(world.variants["blank"], older)
    os.utime(older, (newer.stat().st_mtime - 3600,) * 2)
    results = _run(world, folder)
    status, problems, inputs = _mine(world, results)
    assert (status, problems) == (Status.INVALID, (Problem(
        str(older), "", "", Kind.DUPLICATE, f"{older} was ignored: {newer} is also {world.first.id}'s workbook and "
        "was used (newer); remove the one that is wrong"),))
    assert inputs == world.inputs[world.first.id]
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_duplicate_prefers_this_quarters_workbook_over_a_newer_one_from_another(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path, world.variants["quarter"])
    right, stale = folder / f"{world.first.id}.xlsx", folder / world.variants["quarter"].name
    os.utime(right, (stale.stat().st_mtime - 3600,) * 2)
    results = _run(world, folder)
    status, problems, inputs = _mine(world, results)
    assert [str(p) for p in problems] == [
        f"{stale}: {stale} was ignored: {right} is also {world.first.id}'s workbook and was used (for this quarter "
        "and template); remove the one that is wrong"]
    assert status is Status.INVALID and inputs == world.inputs[world.first.id]
    _assert_intact(world, results, but=(world.first.id,))


@pytest.mark.libreoffice
def test_person_not_on_the_roster(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path, world.variants["stranger"])
    results = _run(world, folder)
    assert results.unmatched == (Problem(
        str(folder / world.variants["stranger"].name), cells.GUIDE, world.ref("meta.person_id"), Kind.NOT_ON_ROSTER,
        f"person id '{STRANGER.id}' is not on the roster"),)
    _assert_intact(world, results)


@pytest.mark.parametrize(("name", "content", "detail"), [
    ("notes.xlsx", b"These are my meeting notes, not a workbook.", "invalid Zip archive: Could not find EOCD"),
    # a real workbook cut short, as an interrupted download leaves it (refused by xlsx.guard)
    ("corrupt.xlsx", None, "File is not a zip file"),
])
@pytest.mark.libreoffice
def test_unreadable_files_are_unmatched_and_stop_nothing(world: World, tmp_path: Path, name: str,
                                                         content: bytes | None, detail: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content if content is not None else world.clean[world.first.id].read_bytes()[:4000])
    folder = _returned(world, tmp_path, bad)
    results = _run(world, folder)
    assert results.unmatched == (Problem(
        str(folder / name), "", "", Kind.UNREADABLE,
        f"not an .xlsx workbook, or a corrupt or truncated one ({detail})"),)
    _assert_intact(world, results)


@pytest.mark.libreoffice
def test_paths_that_do_not_exist_are_reported(world: World, tmp_path: Path) -> None:
    folder = _returned(world, tmp_path)
    results = collect([folder, tmp_path / "nowhere"], world.ladder, world.roster, QUARTER)
    assert results.unmatched == (Problem(str(tmp_path / "nowhere"), "", "", Kind.UNREADABLE,
                                         "no such file or directory"),)
    _assert_intact(world, results)


# ---- tampered formulas --------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_formula_overwritten_with_a_constant(world: World, tmp_path: Path) -> None:
    """Only the overwritten cells are named, not the band or count that follow from them."""
    path = world.variants["tampered"]
    folder = _returned(world, tmp_path, path, without=(world.first.id,))
    results = _run(world, folder)
    expected = _scores(world, world.inputs[world.first.id])
    metric = world.ladder.metrics[0].id
    written = "Below" if expected.metric_status[metric] == "Meets" else "Meets"
    assert expected.self_pct != 0.99
    status, problems, inputs = _mine(world, results)
    assert (status, inputs) == (Status.INVALID, world.inputs[world.first.id])
    returned = folder / path.name
    assert [str(p) for p in problems] == [
        f"{returned}: 'Scorecard'!{world.ref('result.self_pct')}: formula result overwritten: found 0.99, "
        f"expected {show(expected.self_pct)} (recomputed from the inputs)",
        f"{returned}: 'Impact metrics'!{world.ref(f'metrics.{metric}.status')}: formula result overwritten: "
        f"found text '{written}', expected text '{expected.metric_status[metric].value}' (recomputed from the inputs)",
    ]
    assert {p.kind for p in problems} == {Kind.TAMPERED}
    result = next(p for p in results.people if p.person.id == world.first.id)
    assert result.scores == expected  # recomputed, never read from the cells
    _assert_intact(world, results, but=(world.first.id,))


def test_cell_positions_depend_on_levels_not_on_the_person(ladder: Ladder, roster: Roster) -> None:
    """collect reads everyone with the same levels through one layout: hold layout.build to that."""
    def structure(person: Person) -> list[tuple[object, ...]]:
        wl = layout.build(ladder, roster, person, QUARTER, DUE)
        return [(s.title, c.ref, c.role, c.key, c.validation, c.editor,
                 c.value if c.role is cells.Role.FORMULA or c.key.startswith("rowid.") else None)
                for s, c in wl.cells() if c.key]

    pairs: dict[tuple[str, str], list[Person]] = {}
    for person in (*roster.people, STRANGER):
        pairs.setdefault((person.level, person.target_level), []).append(person)
    shared = [people for people in pairs.values() if len(people) > 1]
    assert shared, "the example roster should have two people with the same levels"
    for people in shared:
        first = structure(people[0])
        for other in people[1:]:
            assert structure(other) == first, (people[0].id, other.id)


@pytest.mark.libreoffice
def test_dependencies_follow_the_layout_formulas(world: World) -> None:
    deps = dependencies(world.layout)
    ids = [c.id for c in world.ladder.rubric_for(world.first.target_level).criteria]
    selfs = {f"criteria.{i}.self" for i in ids}
    assert deps["result.self_pct"] == selfs
    assert deps["result.self_band"] == selfs | {"result.self_pct"}
    assert deps[f"criteria.{ids[0]}.gap"] == {f"criteria.{ids[0]}.self", f"criteria.{ids[0]}.manager"}
    assert deps["readout.text"] == {f"readout.{f.id}" for f in world.ladder.readout.fields} | {"move.asking"}
    metric = world.ladder.metrics[0].id
    assert deps[f"metrics.{metric}.action"] == {f"metrics.{metric}.status", f"metrics.{metric}.actual"}


# ---- which files are read ---------------------------------------------------------------------------------


def test_folders_give_their_workbooks_and_files_named_are_read_as_given(tmp_path: Path) -> None:
    for name in ["a.xlsx", "B.XLSX", "~$a.xlsx", "._a.xlsx", "a.xlsx.20261201T000000Z.bak", "notes.txt"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.xlsx").write_bytes(b"x")
    found = find([tmp_path, tmp_path / "a.xlsx", tmp_path / "sub" / "c.xlsx"])
    assert found.workbooks == [tmp_path / "B.XLSX", tmp_path / "a.xlsx", tmp_path / "sub" / "c.xlsx"]
    assert found.others == [tmp_path / "notes.txt"] and found.missing == []
    assert [p.message for p in found.skipped] == [
        "skipped, not a return: 1 lock file (~$a.xlsx); 1 hidden file (._a.xlsx); 1 file of ladder-sheets' own "
        "(a.xlsx.20261201T000000Z.bak); 1 folder inside it (not searched) (sub)"]


def test_an_outcome_sent_from_a_worker_arrives_whole() -> None:
    """What a worker sends back (a FileOutcome and its problems) is what the main process gets."""
    import pickle

    from ladder_sheets.core.examine import FileOutcome
    from ladder_sheets.core.results import Kind, Problem, Severity

    outcome = FileOutcome("a.xlsx", 1.5, "se-1", True, (
        Problem("a.xlsx", "Scorecard", "G6", Kind.BLANK, "self score for PR-01 is blank", Severity.INCOMPLETE),
        Problem("b.xlsx", "", "", Kind.DUPLICATE, "another workbook", Severity.ERROR),
        Problem("a.xlsx", "Guide", "B3", Kind.SORTED, "sorted", Severity.NOTE),
    ), moved=("Scorecard",))
    back = pickle.loads(pickle.dumps(outcome))
    assert back == outcome
    assert [type(p.severity) for p in back.problems] == [Severity] * 3


def test_a_workbook_named_twice_however_it_is_named_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "a.xlsx").write_bytes(b"x")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "team" / "a.xlsx")
    (tmp_path / "other.xlsx").write_bytes(b"x")  # the same bytes, another file: read too
    files = find([tmp_path / "team", tmp_path / "team" / ".." / "team", tmp_path / "link.xlsx",
                  tmp_path / "other.xlsx"]).workbooks
    assert files == [tmp_path / "team" / "a.xlsx", tmp_path / "other.xlsx"]
