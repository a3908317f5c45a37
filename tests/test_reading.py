"""core.reading: a returned workbook's cells found through its layout's landmarks, and what the edits meant.

Pure: each workbook is a grid per sheet in memory (tests/support/books.py). Each input and
formula cell holds its own key (``<criteria.SR-01.self>``), so a value read from the wrong
cell can never pass. How one sheet is located is core.locate's (tests/test_locate.py); here,
what ``read`` makes of the sheets of a whole workbook, and what ``Job`` reads them against.
"""

from __future__ import annotations

import dataclasses

import pytest

from ladder_sheets.core import checks, kinds, layout
from ladder_sheets.core.cells import ASKING, GUIDE, Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.inputs import CellError, RawValue
from ladder_sheets.core.locate import SLACK_ROWS, Found
from ladder_sheets.core.model import Ladder, ManagerScores, Person, Roster
from ladder_sheets.core.reading import Job, Shape, read, shape
from ladder_sheets.core.results import Kind, Problem, Severity
from tests.conftest import DUE, QUARTER
from tests.support.books import Book, Grid, insert_column, laid_out

FILE = "tomas-novak.xlsx"
SCORECARD, METRICS, PIVOTS = "Scorecard", "Impact metrics", "Pivot matrix"


@pytest.fixture(scope="module")
def form(job: Job, tomas: Person) -> Shape:
    return job.shape_for(tomas)


def _own(form: Shape, *roles: Role) -> dict[str, RawValue]:
    """Every input and formula cell (or those of ``roles``) holding its own key, as the workbook saved it."""
    roles = roles or (Role.INPUT, Role.FORMULA)
    return {k: f"<{k}>" for k, (_, c) in form.keys.items() if c.role in roles}


def _read_keys(form: Shape, title: str | None = None) -> set[str]:
    return {k for g in form.guides if title in (None, g.title) for k, _, _ in g.wanted}


def _expected(form: Shape, values: dict[str, RawValue]) -> dict[str, RawValue]:
    """What reading the workbook laid out with ``values`` gives: each read cell's value, blank as None."""
    keys = form.keys
    out: dict[str, RawValue] = {}
    for k in _read_keys(form):
        cell = keys[k][1]
        value = values.get(k) if cell.role in (Role.INPUT, Role.FORMULA) else cell.value
        out[k] = None if value in ("", None) else value
    return out


def _grids(form: Shape, values: dict[str, RawValue] | None = None) -> dict[str, Grid]:
    return laid_out(form.layout, values)


def _renamed(grids: dict[str, Grid], old: str, new: str) -> dict[str, Grid]:
    """``grids`` with the sheet ``old`` renamed ``new``, in its place."""
    return {new if t == old else t: g for t, g in grids.items()}


# ---- a workbook as it was written ------------------------------------------------------------------------


def test_an_untouched_workbook_reads_every_cell_where_it_was_put(form: Shape) -> None:
    values = _own(form)
    book = Book(_grids(form, values))
    got = read(form, book, FILE)
    assert got.values == _expected(form, values)
    assert (got.problems, got.refused, got.missing, got.moved, got.order_dependent) == ([], set(), set(), set(), set())
    assert got.layout is form.layout and not got.renamed
    assert book.reads == [s.title for s in form.layout.sheets]  # each sheet read once, in the workbook's order
    assert book.searched == []


def test_blank_cells_read_as_none(form: Shape) -> None:
    got = read(form, Book(_grids(form)), FILE)
    inputs = _read_keys(form) & set(_own(form))
    assert inputs and all(got.values[k] is None for k in inputs)
    assert got.values["meta.person_id"] == "tomas-novak"


# ---- sheets renamed, deleted, added ----------------------------------------------------------------------


def test_a_renamed_sheet_is_recognised_by_its_contents_read_and_noted(form: Shape) -> None:
    values = _own(form)
    got = read(form, Book(_renamed(_grids(form, values), SCORECARD, "My scores")), FILE)
    assert got.values == _expected(form, values)
    assert got.problems == [Problem(FILE, "My scores", "", Kind.RENAMED_SHEET, "sheet 'Scorecard' was renamed "
                                    "'My scores'; it was recognised by its contents and read", Severity.NOTE)]
    assert got.renamed and got.moved == {SCORECARD} and got.refused == set() and got.missing == set()
    assert [s.title for s in got.layout.sheets] == [GUIDE, "My scores", METRICS, PIVOTS, "Promotion read-out"]
    assert got.layout.by_key()["criteria.SR-01.self"][0].title == "My scores"


def test_renamed_sheets_each_go_to_the_sheet_holding_their_contents(form: Shape) -> None:
    """Two sheets renamed, a sheet of the SE's own notes before them: none is read as another."""
    values = _own(form)
    grids = _renamed(_renamed(_grids(form, values), SCORECARD, "Sheet2"), METRICS, "Sheet1")
    grids = {"Notes": [["", "my notes for the 1:1"], ["", "ask about the Acme POC"]], **grids}
    book = Book(grids)
    got = read(form, book, FILE)
    assert got.values == _expected(form, values)
    assert {(p.sheet, p.message) for p in got.problems} == {
        ("Sheet2", "sheet 'Scorecard' was renamed 'Sheet2'; it was recognised by its contents and read"),
        ("Sheet1", "sheet 'Impact metrics' was renamed 'Sheet1'; it was recognised by its contents and read")}
    assert got.moved == {SCORECARD, METRICS}
    assert book.reads.count("Sheet2") == 1  # recognised once: not tried again for the sheet after it


def test_a_sheet_of_another_kind_is_not_taken_for_a_renamed_one(form: Shape) -> None:
    """The Scorecard deleted, and another sheet with the metrics' landmarks but not the Scorecard's: nothing of
    the Scorecard is read (the workbook's check of its sheets says it is missing), and nothing is made up."""
    values = _own(form)
    grids = _grids(form, values)
    del grids[SCORECARD]
    grids["Copy of metrics"] = grids[METRICS]
    got = read(form, Book(grids), FILE)
    assert not _read_keys(form, SCORECARD) & set(got.values)
    assert got.values == {k: v for k, v in _expected(form, values).items() if k not in _read_keys(form, SCORECARD)}
    assert (got.problems, got.moved, got.missing) == ([], set(), set())


def test_a_renamed_sheet_whose_rows_were_sorted_is_still_recognised(form: Shape) -> None:
    """Sorted and renamed: a note of each, and every cell read by its row id."""
    values = _own(form)
    grids = _renamed(_grids(form, values), SCORECARD, "Mine")
    grids["Mine"][5], grids["Mine"][6] = grids["Mine"][6], grids["Mine"][5]
    got = read(form, Book(grids), FILE)
    assert got.values == _expected(form, values)
    assert [(p.sheet, p.kind) for p in got.problems] == [("Mine", Kind.RENAMED_SHEET), ("Mine", Kind.SORTED)]


def test_a_renamed_sheet_with_a_column_gone_is_not_recognised(form: Shape) -> None:
    """Renamed, and a header changed too: not known for sure to be the Scorecard, so not read as it."""
    grids = _renamed(_grids(form, _own(form)), SCORECARD, "Mine")
    grids["Mine"][4][9] = "My points"
    got = read(form, Book(grids), FILE)
    assert not _read_keys(form, SCORECARD) & set(got.values) and got.problems == []


def test_a_renamed_sheet_with_a_row_id_gone_is_not_recognised(form: Shape) -> None:
    grids = _renamed(_grids(form, _own(form)), SCORECARD, "Mine")
    grids["Mine"][5][0] = ""  # SR-01's id
    got = read(form, Book(grids), FILE)
    assert not _read_keys(form, SCORECARD) & set(got.values) and got.problems == []


# ---- edits inside a sheet --------------------------------------------------------------------------------


def test_cells_moved_by_an_inserted_column_are_read_where_they_are_now(form: Shape) -> None:
    values = _own(form)
    grids = _grids(form, values)
    grids[SCORECARD] = insert_column(grids[SCORECARD], 0)
    got = read(form, Book(grids), FILE)
    assert got.values == _expected(form, values) and got.problems == []
    assert got.moved == {SCORECARD} and not got.renamed
    keys = got.layout.by_key()
    assert keys["criteria.SR-01.self"][1].ref == "H6"
    assert keys["result.self_pct"][1].ref == _shifted(form.keys["result.self_pct"][1].ref)
    assert keys["metrics.enablement_contributions.actual"][1].ref == "H5"  # another sheet: where it was put


def _shifted(ref: str) -> str:
    column = ref.rstrip("0123456789")
    return chr(ord(column) + 1) + ref[len(column):]


def test_a_sheet_with_a_row_inserted_among_the_criteria_is_refused(form: Shape) -> None:
    values = _own(form)
    grids = _grids(form, values)
    grids[SCORECARD].insert(7, [""] * len(grids[SCORECARD][0]))
    got = read(form, Book(grids), FILE)
    assert got.refused == {SCORECARD} and got.moved == {SCORECARD}
    assert got.problems == [Problem(FILE, SCORECARD, "A8", Kind.SHIFTED_ROWS, "a row was inserted among the criteria "
                                    "(row 8), so the sheet's own totals now count it; this sheet's inputs are not used "
                                    "(delete the row)")]
    assert got.values == {k: v for k, v in _expected(form, values).items() if k not in _read_keys(form, SCORECARD)}
    assert got.missing == set()


def test_a_column_gone_leaves_its_cells_and_the_formulas_reading_it_missing(form: Shape) -> None:
    """The Self column's header changed: its scores are not read, and no formula over them can be judged."""
    grids = _grids(form, _own(form))
    grids[SCORECARD][4][6] = "My score"
    got = read(form, Book(grids), FILE)
    (lost,) = [p for p in got.problems if p.kind != Kind.IGNORED]  # the scores, now in a column without a header
    assert (lost.sheet, lost.cell, lost.kind) == (SCORECARD, "G5", Kind.MISSING_COLUMN)
    card = next(s for s in form.layout.sheets if s.title == SCORECARD)
    in_g = {c.key for c in card.cells if c.column == "G"} & _read_keys(form)
    reading_g = {c.key for c in card.cells if c.role is Role.FORMULA and "G" in checks.reads_columns(str(c.value))}
    assert "criteria.SR-01.self" in in_g and "criteria.SR-01.self_points" in reading_g
    assert got.missing == in_g | reading_g
    assert "criteria.SR-01.manager_points" not in got.missing and got.refused == set()
    assert got.values["criteria.SR-01.manager_points"] == "<criteria.SR-01.manager_points>"


def test_sorted_criteria_are_read_by_id_and_the_totals_over_them_are_order_dependent(form: Shape, ladder: Ladder,
                                                                                     tomas: Person) -> None:
    values = _own(form)
    grids = _grids(form, values)
    card = grids[SCORECARD]
    card[5], card[6] = card[6], card[5]
    got = read(form, Book(grids), FILE)
    assert got.values == _expected(form, values)
    assert [(p.cell, p.kind, p.severity) for p in got.problems] == [("A6", Kind.SORTED, Severity.NOTE)]
    criteria = [c.id for c in ladder.rubric_for(tomas.target_level).criteria]
    over_rows = {k for k, up in form.upstream.items()
                 if sum(1 for c in criteria if any(u.startswith(f"criteria.{c}.") for u in up)) > 1}
    assert over_rows and got.order_dependent == over_rows
    assert "criteria.SR-01.self_points" not in got.order_dependent  # one row's formula: right wherever it went
    assert got.moved == {SCORECARD}


def test_a_formula_over_two_sorted_rows_depends_on_their_order() -> None:
    """A block of two rows swapped: the formula over both is order-dependent, each row's own is not."""
    cells = [Cell("A1", Role.LABEL, "ID", "header"), Cell("B1", Role.LABEL, "Score", "header"),
             Cell("C1", Role.LABEL, "Twice", "header")]
    for r, cid in ((2, "A-1"), (3, "A-2")):
        cells += [Cell(f"A{r}", Role.LABEL, cid, "id", key=f"rowid.criteria.{cid}"),
                  Cell(f"B{r}", Role.INPUT, None, "input", key=f"criteria.{cid}.self"),
                  Cell(f"C{r}", Role.FORMULA, f"=B{r}*2", "result", key=f"criteria.{cid}.twice")]
    cells.append(Cell("B5", Role.FORMULA, "=SUM(B2:B3)", "result", key="result.total"))
    tiny = shape(WorkbookLayout(None, QUARTER, "v", (SheetLayout("Tiny", tuple(cells)),)))
    grids = laid_out(tiny.layout, {"criteria.A-1.self": 1, "criteria.A-2.self": 2})
    grids["Tiny"][1], grids["Tiny"][2] = grids["Tiny"][2], grids["Tiny"][1]
    got = read(tiny, Book(grids), FILE)
    assert (got.values["criteria.A-1.self"], got.values["criteria.A-2.self"]) == (1, 2)
    assert got.order_dependent == {"result.total"}


# ---- error values ----------------------------------------------------------------------------------------


def _calculated(form: Shape) -> dict[str, RawValue]:
    """Saved by an app: every formula with a value; the inputs typed, but SR-02's self score left blank."""
    return {k: v for k, v in _own(form).items() if k != "criteria.SR-02.self"}


def test_a_blank_input_of_a_calculated_workbook_is_read_as_the_error_it_shows(form: Shape) -> None:
    """The .xlsx reader gives #NAME? as blank: where an input is blank, the file is asked for its error cells."""
    book = Book(_grids(form, _calculated(form)), errors={SCORECARD: {(6, 6): CellError("#NAME?")}})
    got = read(form, book, FILE)
    assert got.values["criteria.SR-02.self"] == CellError("#NAME?")
    assert book.searched == [SCORECARD]  # the only sheet with a blank input
    assert got.problems == []


def test_an_error_cell_is_read_only_where_the_grid_has_nothing(form: Shape) -> None:
    rows, width = len(_grids(form)[SCORECARD]), len(_grids(form)[SCORECARD][6])
    errors = {SCORECARD: {(5, 6): CellError("#REF!"), (6, 6): CellError("#N/A"), (rows, 6): CellError("#N/A"),
                          (6, width): CellError("#N/A"), (500, 6): CellError("#N/A")}}  # below and right of the grid
    got = read(form, Book(_grids(form, _calculated(form)), errors=errors), FILE)
    assert got.values["criteria.SR-01.self"] == "<criteria.SR-01.self>"
    assert got.values["criteria.SR-02.self"] == CellError("#N/A")


def test_a_workbook_never_calculated_is_not_searched_for_error_values(form: Shape) -> None:
    """No formula has a saved value (as openpyxl writes them): no error value can hide in a blank."""
    values = {k: v for k, v in _own(form, Role.INPUT).items() if k != "criteria.SR-02.self"}
    book = Book(_grids(form, values), errors={SCORECARD: {(6, 6): CellError("#NAME?")}})
    got = read(form, book, FILE)
    assert book.searched == [] and got.values["criteria.SR-02.self"] is None


def test_one_saved_formula_anywhere_makes_every_blank_input_suspect(form: Shape) -> None:
    values = _own(form, Role.INPUT) | {"pivots.product_management.readiness": 0.5}
    del values["criteria.SR-02.self"], values["metrics.mentorship_hours.actual"]
    book = Book(_grids(form, values), errors={SCORECARD: {(6, 6): CellError("#DIV/0!")}})
    got = read(form, book, FILE)
    assert book.searched == [SCORECARD, METRICS]
    assert got.values["criteria.SR-02.self"] == CellError("#DIV/0!")
    assert got.values["metrics.mentorship_hours.actual"] is None


def test_an_error_found_is_kept_for_the_next_read_of_the_same_workbook(form: Shape) -> None:
    book = Book(_grids(form, _calculated(form)), errors={SCORECARD: {(6, 6): CellError("#NAME?")}})
    cache: dict[object, Found] = {}
    first = read(form, book, FILE, cache)
    reads, searched = list(book.reads), list(book.searched)
    again = read(form, book, FILE, cache)
    assert again.values == first.values and again.values["criteria.SR-02.self"] == CellError("#NAME?")
    assert (book.reads, book.searched) == (reads, searched)  # nothing asked of the file again


@pytest.mark.parametrize("calculated", [False, True])
def test_text_is_looked_for_only_so_far_below_the_sheet(form: Shape, calculated: bool) -> None:
    """Rows inserted push cells down, rarely 200 rows: below that, nothing is read (nor said), whether or not
    the sheet is read again for its error values."""
    values = _calculated(form) if calculated else _own(form, Role.INPUT)
    grids = _grids(form, values)
    card = grids[SCORECARD]
    last = len(card)
    card += [[""] * len(card[0]) for _ in range(SLACK_ROWS + 1)]
    card[last + SLACK_ROWS - 1][1] = "noted"
    card[last + SLACK_ROWS][1] = "too far down"
    got = read(form, Book(grids, errors={SCORECARD: {(6, 6): CellError("#N/A")}}), FILE)
    assert [(p.cell, p.kind) for p in got.problems] == [(f"B{last + SLACK_ROWS}", Kind.IGNORED)]
    assert "too far down" not in got.problems[0].message


def test_without_a_cache_each_read_reads_the_file(form: Shape) -> None:
    book = Book(_grids(form, _own(form)))
    read(form, book, FILE)
    read(form, book, FILE)
    assert book.reads == [s.title for s in form.layout.sheets] * 2


# ---- shape: what reading a layout needs ------------------------------------------------------------------


def test_a_probe_reads_only_the_cells_of_its_roles_from_the_sheets_holding_them(form: Shape) -> None:
    probe = shape(form.layout, (Role.META,))
    values = _own(form)
    grids = _grids(form, values)
    grids[GUIDE].append(["", "", "a note of mine"])  # stray text: a full read notes it, a probe is not the place
    book = Book(grids)
    got = read(probe, book, FILE)
    metas = {k for k, (_, c) in form.keys.items() if c.role is Role.META}
    assert set(got.values) == metas and got.values["meta.quarter"] == QUARTER
    assert book.reads == [GUIDE] and got.problems == []
    full = read(form, Book(grids), FILE)
    assert [(p.sheet, p.cell, p.kind) for p in full.problems] == [(GUIDE, f"C{len(grids[GUIDE])}", Kind.IGNORED)]


def test_a_shape_knows_every_key_and_what_each_formula_depends_on(form: Shape, ladder: Ladder, roster: Roster,
                                                                  tomas: Person) -> None:
    wl = layout.build(ladder, roster, tomas, QUARTER, DUE)
    built = shape(wl)
    assert built.keys == wl.by_key() and built.upstream == checks.dependencies(wl) and built.layout is wl
    assert [g.title for g in built.guides] == [s.title for s in wl.sheets]
    assert "criteria.SR-01.self" in built.upstream["result.self_pct"]


def test_a_sheet_without_cells_to_read_is_never_asked_for(form: Shape) -> None:
    probe = shape(form.layout, (Role.META,))
    assert [g.title for g in probe.guides] == [GUIDE]
    assert not shape(kinds.probe(), (Role.INPUT,)).guides


# ---- Job: what every workbook of a collect run is read against ------------------------------------------


def test_a_job_knows_the_roster_and_reads_whose_workbook_it_is(job: Job, roster: Roster, form: Shape) -> None:
    assert job.people == {p.id: p for p in roster.people}
    assert job.probe is not None
    book = Book(_grids(form, _own(form)))
    got = read(job.probe, book, FILE)
    assert got.values["meta.person_id"] == "tomas-novak" and book.reads == [GUIDE]


def test_a_job_of_a_roster_of_one_reads_whose_workbook_it_is(ladder: Ladder, roster: Roster, tomas: Person,
                                                             form: Shape) -> None:
    job = Job(ladder, dataclasses.replace(roster, people=(tomas,)), QUARTER)
    assert job.probe is not None
    assert read(job.probe, Book(_grids(form)), FILE).values["meta.person_id"] == "tomas-novak"


def test_a_job_of_an_empty_roster_has_nothing_to_match_a_workbook_to(ladder: Ladder, roster: Roster) -> None:
    assert Job(ladder, dataclasses.replace(roster, people=()), QUARTER).probe is None


def test_a_job_reads_the_kind_a_guide_names(job: Job, ladder: Ladder) -> None:
    from ladder_sheets.core.review_layout import build_review
    from ladder_sheets.core.calibration import OrgFigures

    manager = job.roster.managers[0]
    review = build_review(ladder, job.roster, manager, QUARTER, DUE, [], False, OrgFigures())
    got = read(job.kind_probe, Book(laid_out(review)), "review.xlsx")
    assert got.values == {kinds.KIND_KEY: kinds.MANAGER_REVIEW}


def test_people_of_the_same_levels_share_one_shape(job: Job, roster: Roster, tomas: Person) -> None:
    twin = dataclasses.replace(tomas, id="twin", name="Twin")
    other = next(p for p in roster.people if p.target_level != tomas.target_level)
    assert job.shape_for(twin) is job.shape_for(tomas)
    assert job.shape_for(other) is not job.shape_for(tomas)
    assert job.shape_for(other).keys.keys() == layout.build(job.ladder, roster, other, QUARTER, DUE).by_key().keys()


def test_a_person_whose_move_the_roster_sets_is_read_without_the_asking_cell(job: Job, tomas: Person) -> None:
    """The roster's asking_for_move fixes the answer in the workbook: the cell is no input to read then."""
    asks = dataclasses.replace(tomas, asking_for_move=True)
    declines = dataclasses.replace(tomas, asking_for_move=False)
    assert job.shape_for(tomas).keys[ASKING][1].role is Role.INPUT
    assert job.shape_for(asks).keys[ASKING][1].role is Role.LABEL
    assert job.shape_for(asks).keys[ASKING][1].value == job.ladder.signal_options[0]
    assert job.shape_for(declines).keys[ASKING][1].value == job.ladder.signal_options[1]
    assert ASKING in _read_keys(job.shape_for(tomas)) and ASKING not in _read_keys(job.shape_for(asks))


def test_the_managers_column_is_read_as_the_se_workbooks_were_laid_out(ladder: Ladder, roster: Roster,
                                                                       tomas: Person) -> None:
    in_review = dataclasses.replace(roster, manager_scores=ManagerScores.REVIEW)
    role = "criteria.SR-01.manager"
    assert Job(ladder, roster, QUARTER).shape_for(tomas).keys[role][1].role is Role.INPUT
    assert Job(ladder, in_review, QUARTER).manager_scores is ManagerScores.REVIEW
    assert Job(ladder, in_review, QUARTER).shape_for(tomas).keys[role][1].role is Role.RESERVED
    google = Job(ladder, in_review, QUARTER, ManagerScores.IN_WORKBOOK)  # Google keeps it in the SE's sheet
    assert google.manager_scores is ManagerScores.IN_WORKBOOK
    assert google.shape_for(tomas).keys[role][1].role is Role.INPUT
    assert google.quarter == QUARTER and google.ladder is ladder and google.roster is in_review
