"""core.locate on small sheets built by hand: each edit a user makes, and exactly what is then read and said.

tests/test_locate.py runs every edit over every sheet of a real layout (thorough, and slow);
here one small sheet of each shape (a table with headers, row ids, labelled rows, a column
with neither header nor label; a Guide without a header row) is edited once per case, and
the test checks the values read, where each was found, and the words of every note. Each
read cell holds its own key (``<criteria.C1.self>``), so a value read from the wrong cell
can never pass. Pure: grids in memory.
"""

from __future__ import annotations

import pytest

from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.inputs import RawValue
from ladder_sheets.core.landmarks import SheetGuide, sheet_guide
from ladder_sheets.core.locate import SLACK_ROWS, Found, locate, relocated
from ladder_sheets.core.readplan import is_read
from ladder_sheets.core.results import Kind, Severity
from tests.support.books import Grid, insert_column, laid_out

IDS = ("C1", "C2", "C3")
TEXTS = {"C1": "Runs discovery", "C2": "Writes the demo", "C3": "Leads the proof"}
WEIGHTS = {"C1": "weight 2", "C2": "weight 1", "C3": "weight 3"}


def _scorecard() -> SheetLayout:
    """A table as the SE's scorecard has it: a title, headers in row 3, three criteria by id (rows 4-6),
    a column of labels without a header (F), one of formulas with neither (G), and two labelled rows."""
    cells = [Cell("A1", Role.LABEL, "Scorecard for Ana", "title")]
    cells += [Cell(f"{col}3", Role.LABEL, text, "header") for col, text in
              zip("ABCDE", ("ID", "Criterion", "Self (0-3)", "Manager (0-3)", "Evidence"))]
    for row, cid in enumerate(IDS, start=4):
        cells += [Cell(f"A{row}", Role.LABEL, cid, key=f"rowid.criteria.{cid}"),
                  Cell(f"B{row}", Role.LABEL, TEXTS[cid]),
                  Cell(f"C{row}", Role.INPUT, key=f"criteria.{cid}.self"),
                  Cell(f"D{row}", Role.INPUT, key=f"criteria.{cid}.manager"),
                  Cell(f"E{row}", Role.INPUT, key=f"criteria.{cid}.evidence"),
                  Cell(f"F{row}", Role.LABEL, WEIGHTS[cid]),
                  Cell(f"G{row}", Role.FORMULA, f"=C{row}*2", key=f"criteria.{cid}.points")]
    cells += [Cell("A8", Role.LABEL, "Self readiness"), Cell("C8", Role.FORMULA, "=SUM(G4:G6)", key="readiness.self"),
              Cell("A9", Role.LABEL, "Track preference"), Cell("C9", Role.INPUT, key="track_preference")]
    return SheetLayout("Scorecard", tuple(cells))


SHEET = _scorecard()


def _guide(sheet: SheetLayout = SHEET, soft: bool = True) -> SheetGuide:
    return sheet_guide(sheet, [c for c in sheet.cells if c.key and is_read(c)], soft=soft)


def _own(sheet: SheetLayout = SHEET) -> dict[str, RawValue]:
    return {c.key: f"<{c.key}>" for c in sheet.cells if c.role in (Role.INPUT, Role.FORMULA)}


def _grid(sheet: SheetLayout = SHEET) -> Grid:
    return laid_out(WorkbookLayout(None, "", "", (sheet,)), _own(sheet))[sheet.title]


def _expected(sheet: SheetLayout = SHEET) -> dict[str, RawValue]:
    own = _own(sheet)
    return {c.key: own.get(c.key, c.value) for c in sheet.cells if c.key and is_read(c)}


def _notes(found: Found) -> list[tuple[str, str, str, Severity]]:
    return found.notes


def _move_column(grid: Grid, src: int, dst: int) -> Grid:
    out = []
    for line in grid:
        line = list(line)
        line.insert(dst, line.pop(src))
        out.append(line)
    return out


def _blank_rows(grid: Grid, n: int) -> Grid:
    return [[""] * len(grid[0]) for _ in range(n)]


def _insert_rows(grid: Grid, at: int, n: int = 1) -> Grid:
    return [*grid[:at], *_blank_rows(grid, n), *grid[at:]]


def _moved(keys_and_refs: dict[str, str]) -> dict[str, str]:
    return keys_and_refs


# ---- nothing edited ------------------------------------------------------------------------------------


def test_an_untouched_sheet_reads_every_cell_where_it_was_put() -> None:
    found = locate(_guide(), _grid())
    assert found.values == _expected()
    assert (found.refs, found.notes, found.refused, found.missing) == ({}, [], False, set())
    assert (found.sorted_rows, found.lost_columns) == ([], set())


def test_a_blank_cell_reads_as_none() -> None:
    grid = _grid()
    grid[3][2] = ""
    assert locate(_guide(), grid).values["criteria.C1.self"] is None


def test_a_note_is_an_error_unless_said_otherwise() -> None:
    found = Found()
    found.say("B2", Kind.IGNORED, "words")
    found.say("B3", Kind.SORTED, "more", Severity.NOTE)
    assert found.notes == [("B2", Kind.IGNORED, "words", Severity.ERROR), ("B3", Kind.SORTED, "more", Severity.NOTE)]


# ---- columns -------------------------------------------------------------------------------------------


def test_a_blank_column_inserted_moves_the_cells_right_of_it_and_is_read_there() -> None:
    found = locate(_guide(), insert_column(_grid(), 2))
    assert found.values == _expected()
    assert found.notes == [] and not found.refused
    assert found.refs["criteria.C1.self"] == "D4"
    assert found.refs["criteria.C3.manager"] == "E6"
    assert found.refs["criteria.C2.points"] == "H5"  # the column without header or label moved with the rest
    assert found.refs["readiness.self"] == "D8"
    assert "rowid.criteria.C1" not in found.refs  # column A did not move


def test_a_blank_column_inserted_first_moves_every_cell() -> None:
    found = locate(_guide(), insert_column(_grid(), 0))
    assert found.values == _expected() and found.notes == []
    assert found.refs["rowid.criteria.C2"] == "B5"
    assert found.refs["track_preference"] == "D9"


def test_a_blank_column_inserted_before_the_unheaded_columns_only_moves_them() -> None:
    found = locate(_guide(), insert_column(_grid(), 5))
    assert found.values == _expected() and found.notes == []
    assert found.refs == {f"criteria.{cid}.points": f"H{row}" for row, cid in enumerate(IDS, start=4)}


@pytest.mark.parametrize(("src", "dst"), [(4, 1), (1, 4), (2, 3), (3, 2), (0, 4), (5, 1), (2, 6), (3, 6)])
def test_a_column_moved_is_read_where_it_went(src: int, dst: int) -> None:
    found = locate(_guide(), _move_column(_grid(), src, dst))
    assert found.values == _expected()
    assert found.notes == [] and not found.refused


def test_the_evidence_column_moved_first_is_read_there_and_says_where() -> None:
    found = locate(_guide(), _move_column(_grid(), 4, 0))
    assert found.refs["criteria.C2.evidence"] == "A5"
    assert found.refs["criteria.C2.self"] == "D5"


@pytest.mark.parametrize("retyped", ["Self  (0-3)", "Self\n(0-3)", " self (0-3) ", "SELF (0-3)"])
def test_a_header_retyped_with_other_spacing_or_case_still_names_its_column(retyped: str) -> None:
    grid = _grid()
    grid[2][2] = retyped
    assert locate(_guide(), grid).values == _expected()
    moved = _move_column(grid, 2, 4)
    found = locate(_guide(), moved)
    assert found.values == _expected() and found.notes == []
    assert found.refs["criteria.C1.self"] == "E4"


def test_a_copied_column_reads_neither_copy_and_names_both() -> None:
    grid = [[*line[:3], line[2], *line[3:]] for line in _grid()]
    found = locate(_guide(), grid)
    assert found.notes[0] == ("C3", Kind.MISSING_COLUMN, "column 'Self (0-3)' appears more than once (C and D); "
                              "its self entries are not read from either", Severity.ERROR)
    assert not found.refused
    # column C also holds the readiness and the track preference, below the table
    assert found.missing == {"criteria.C1.self", "criteria.C2.self", "criteria.C3.self", "readiness.self",
                             "track_preference"}
    assert found.lost_columns == {"C"}
    assert found.values["criteria.C2.manager"] == "<criteria.C2.manager>"
    assert found.refs["criteria.C2.manager"] == "E5"
    assert found.values == {k: v for k, v in _expected().items() if k not in found.missing}


def test_a_deleted_column_is_named_with_what_it_held_and_nothing_else_is_lost() -> None:
    grid = [[*line[:3], *line[4:]] for line in _grid()]
    found = locate(_guide(), grid)
    assert found.notes == [("D3", Kind.MISSING_COLUMN, "column 'Manager (0-3)' not found (deleted, or its header "
                            "changed?); its manager entries are not read", Severity.ERROR)]
    assert found.missing == {"criteria.C1.manager", "criteria.C2.manager", "criteria.C3.manager"}
    assert found.lost_columns == {"D"}
    assert found.values == {k: v for k, v in _expected().items() if k not in found.missing}
    assert found.refs["criteria.C3.evidence"] == "D6"
    assert found.refs["criteria.C3.points"] == "F6"


def test_a_deleted_column_of_labels_says_it_is_not_read() -> None:
    grid = [[*line[:1], *line[2:]] for line in _grid()]
    found = locate(_guide(), grid)
    assert found.notes == [("B3", Kind.MISSING_COLUMN, "column 'Criterion' not found (deleted, or its header "
                            "changed?); it is not read", Severity.ERROR)]
    assert found.values == _expected() and found.lost_columns == {"B"}


def test_the_id_column_deleted_refuses_the_sheet() -> None:
    grid = [line[1:] for line in _grid()]
    found = locate(_guide(), grid)
    assert found.refused
    assert ("", Kind.MISSING_COLUMN, "the column that identifies each row (ID) was not found, so no row can be "
            "matched; this sheet's inputs are not used", Severity.ERROR) in found.notes
    assert found.values == {}


def test_every_header_gone_refuses_the_sheet_and_names_the_headers() -> None:
    grid = _grid()
    grid[2] = ["x"] * len(grid[2])
    found = locate(_guide(), grid)
    assert found.refused and found.values == {}
    assert found.notes == [("", Kind.MISSING_COLUMN, "the header row ('ID', 'Criterion', 'Self (0-3)', "
                            "'Manager (0-3)', 'Evidence') was not found; this sheet's inputs are not used",
                            Severity.ERROR)]


def test_the_header_row_is_the_one_holding_most_headers() -> None:
    """A note above the table that repeats one header ("Evidence") is not taken for the header row."""
    grid = _insert_rows(_grid(), 1)
    grid[1][6] = "Evidence"
    found = locate(_guide(), grid)
    assert found.values == _expected() and not found.refused
    assert found.refs["criteria.C1.self"] == "C5"


def test_a_legend_right_above_the_headers_is_not_taken_for_them() -> None:
    """The headers typed again in another order in the blank row above them, and a column moved (so the header
    row is looked for): the row where the layout put the headers is nearer, and is the header row."""
    grid = _move_column(_grid(), 2, 3)
    grid[1] = [*grid[2][:5][::-1], "", ""]
    found = locate(_guide(), grid)
    assert found.values == _expected() and not found.refused
    assert found.refs["criteria.C1.self"] == "D4"


@pytest.mark.parametrize("above", [0, 1, 3])
def test_of_two_rows_with_as_many_headers_the_nearer_is_taken(above: int) -> None:
    """The headers typed again in another order far below the table (a legend): the row nearest where the layout
    put the headers is the header row, and each column is read under its own header there."""
    grid = _insert_rows(_grid(), 1, above) if above else _grid()
    legend: list[RawValue] = [*grid[2 + above][:5][::-1], "", ""]
    grid += [*_blank_rows(grid, 4), legend]
    found = locate(_guide(), _move_column(grid, 2, 3))
    assert found.values == _expected() and not found.refused
    assert found.refs["criteria.C1.self"] == f"D{4 + above}"


@pytest.mark.parametrize("above", [1, 5, SLACK_ROWS - 1, SLACK_ROWS])
def test_rows_inserted_above_the_table_move_every_cell_down(above: int) -> None:
    found = locate(_guide(), _insert_rows(_grid(), 1, above))
    assert found.values == _expected() and not found.refused
    assert found.refs["criteria.C2.evidence"] == f"E{5 + above}"
    assert found.refs["track_preference"] == f"C{9 + above}"
    assert found.notes == []


def test_the_header_row_is_looked_for_only_so_far_below_where_it_was_put() -> None:
    found = locate(_guide(), _insert_rows(_grid(), 1, SLACK_ROWS + 1))
    assert found.refused and found.values == {}
    assert [k for _, k, _, _ in found.notes] == [Kind.MISSING_COLUMN]


# ---- rows ----------------------------------------------------------------------------------------------


def test_a_row_inserted_among_the_criteria_refuses_the_sheet_and_says_where() -> None:
    found = locate(_guide(), _insert_rows(_grid(), 5))
    assert found.refused and found.values == {}
    assert found.notes == [("A6", Kind.SHIFTED_ROWS, "a row was inserted among the criteria (row 6), so the sheet's "
                            "own totals now count it; this sheet's inputs are not used (delete the row)",
                            Severity.ERROR)]


def test_a_row_inserted_among_the_criteria_of_a_moved_id_column_names_its_column() -> None:
    grid = _move_column(_insert_rows(_grid(), 4), 0, 2)
    found = locate(_guide(), grid)
    assert found.refused and found.notes[0][0] == "C5"


def test_a_criterion_row_deleted_refuses_the_sheet() -> None:
    grid = _grid()
    del grid[4]
    found = locate(_guide(), grid)
    assert found.refused
    assert found.notes == [("A5", Kind.SHIFTED_ROWS, "criterion C2 not found: its row was deleted; this sheet's "
                            "inputs are not used", Severity.ERROR)]


def test_a_criterion_row_copied_refuses_the_sheet_and_names_both_rows() -> None:
    """A row above the table and C2's row copied below it: C2 is in two rows, neither where it was put."""
    grid = _insert_rows(_grid(), 1)
    grid.insert(7, list(grid[5]))
    found = locate(_guide(), grid)
    assert found.refused
    assert found.notes == [("A5", Kind.SHIFTED_ROWS, "criterion C2 appears in rows 6 and 8 (a copied row?); this "
                            "sheet's inputs are not used", Severity.ERROR)]


def test_a_criterion_row_copied_beside_itself_counts_as_a_row_inserted() -> None:
    grid = _grid()
    grid.insert(5, list(grid[4]))
    found = locate(_guide(), grid)
    assert found.refused
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("A6", Kind.SHIFTED_ROWS)]
    assert "a row was inserted among the criteria (row 6)" in found.notes[0][2]


@pytest.mark.parametrize("order", [(2, 1, 0), (1, 2, 0), (1, 0, 2), (0, 2, 1)])
def test_sorted_criteria_are_read_by_their_ids_and_noted(order: tuple[int, int, int]) -> None:
    grid = _grid()
    grid[3:6] = [grid[3 + i] for i in order]
    found = locate(_guide(), grid)
    assert found.values == _expected() and not found.refused
    assert found.notes == [("A4", Kind.SORTED, "the criteria were sorted into another order; each was read by its "
                            "criterion id", Severity.NOTE)]
    where = {cid: 4 + order.index(i) for i, cid in enumerate(IDS)}
    assert {k: v for k, v in found.refs.items() if k.endswith(".self")} == {
        f"criteria.{cid}.self": f"C{row}" for cid, row in where.items() if row != 4 + IDS.index(cid)}
    assert found.sorted_rows == [frozenset({f"criteria.{cid}.{f}" for f in ("self", "manager", "evidence")})
                                 for cid in IDS]


def test_sorted_criteria_with_the_id_column_moved_name_its_column() -> None:
    grid = _grid()
    grid[3:6] = grid[3:6][::-1]
    found = locate(_guide(), _move_column(grid, 0, 3))
    assert found.values == _expected()
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("D4", Kind.SORTED)]


def test_criteria_sorted_without_their_ids_refuse_the_sheet() -> None:
    grid = _grid()
    body = [list(line) for line in grid[3:6][::-1]]
    for i, line in enumerate(body):
        line[0] = grid[3 + i][0]
    grid[3:6] = body
    found = locate(_guide(), grid)
    assert found.refused and found.values == {}
    assert found.notes == [("B4", Kind.SHIFTED_ROWS, "the criteria do not match their ids (sorted without the ID "
                            "column, or text pasted over them?): row 4 holds criterion C1, but not its text; "
                            "this sheet's inputs are not used", Severity.ERROR)]


def test_text_pasted_over_a_criterion_in_place_refuses_the_sheet() -> None:
    """Nothing moved, but the criterion's text is another's: the row may hold another criterion's answers."""
    grid = _grid()
    grid[4][1] = TEXTS["C3"]
    found = locate(_guide(), grid)
    assert found.refused
    assert found.notes[0][:2] == ("B5", Kind.SHIFTED_ROWS) and "row 5 holds criterion C2" in found.notes[0][2]


def test_a_blank_row_inserted_between_labelled_rows_moves_them() -> None:
    found = locate(_guide(), _insert_rows(_grid(), 8))
    assert found.values == _expected() and found.notes == [] and not found.refused
    assert found.refs == {"track_preference": "C10"}


def test_a_blank_row_inserted_below_the_criteria_moves_the_rows_under_it() -> None:
    found = locate(_guide(), _insert_rows(_grid(), 6, 2))
    assert found.values == _expected() and found.notes == []
    assert found.refs == {"readiness.self": "C10", "track_preference": "C11"}


def test_the_blank_row_between_the_table_and_the_totals_deleted_changes_nothing_read() -> None:
    grid = _grid()
    del grid[6]
    found = locate(_guide(), grid)
    assert found.values == _expected() and found.notes == []
    assert found.refs == {"readiness.self": "C7", "track_preference": "C8"}


@pytest.mark.parametrize(("row", "label"), [(7, "Self readiness"), (8, "Track preference")])
def test_a_labelled_row_deleted_is_said_and_its_cells_are_missing(row: int, label: str) -> None:
    grid = _grid()
    del grid[row]
    found = locate(_guide(), grid)
    assert not found.refused
    assert found.notes == [(f"A{row + 1}", Kind.SHIFTED_ROWS, f"row '{label}' not found (deleted?); its cells are "
                            "not read", Severity.ERROR)]
    key = "readiness.self" if row == 7 else "track_preference"
    assert key in found.missing and key not in found.values
    assert found.values == {k: v for k, v in _expected().items() if k != key}


def test_a_labelled_row_copied_is_said_and_neither_copy_read() -> None:
    grid = _insert_rows(_grid(), 1)
    grid.append(list(grid[9]))
    grid[10][2] = "another answer"
    found = locate(_guide(), grid)
    assert found.notes[0] == ("A9", Kind.SHIFTED_ROWS, "row 'Track preference' appears more than once; its cells "
                              "are not read", Severity.ERROR)
    assert found.missing == {"track_preference"} and "track_preference" not in found.values


def test_a_labelled_row_moved_is_read_where_it_went() -> None:
    grid = _grid()
    grid.append(grid.pop(7))
    found = locate(_guide(), grid)
    assert found.values == _expected() and not found.refused
    assert found.refs == {"readiness.self": "C9", "track_preference": "C8"}


def test_a_row_label_retyped_with_other_spacing_is_still_its_row() -> None:
    grid = _insert_rows(_grid(), 8)
    grid[9][0] = "track  PREFERENCE\n"
    found = locate(_guide(), grid)
    assert found.values == _expected() and found.notes == []


# ---- columns without a header --------------------------------------------------------------------------


def test_a_column_of_labels_without_header_is_found_by_its_labels() -> None:
    """Column F (weights) moved left of the table: found where its labels are; G (no landmark) stays beside."""
    found = locate(_guide(), _move_column(_grid(), 5, 1))
    assert found.values == _expected() and found.notes == []
    assert "criteria.C1.points" not in found.refs


def test_a_column_without_landmarks_is_found_beside_its_neighbour_past_an_inserted_one() -> None:
    """A blank column inserted between F and G: G is read one column further right."""
    found = locate(_guide(), insert_column(_grid(), 6))
    assert found.values == _expected() and found.notes == []
    assert found.refs == {f"criteria.{cid}.points": f"H{row}" for row, cid in enumerate(IDS, start=4)}


def test_a_column_without_landmarks_moved_beside_an_inserted_one_is_where_its_rows_hold_something() -> None:
    """G moved one column right past an empty one, F moved too: G is found where its rows are filled."""
    grid = insert_column(insert_column(_grid(), 6), 5)
    found = locate(_guide(), grid)
    assert found.values == _expected() and found.notes == []
    assert found.refs["criteria.C1.points"] == "I4"


def test_a_column_without_landmarks_is_read_where_most_of_its_rows_hold_something() -> None:
    """G's formulas two columns further right, a blank column and a note between: the filled column wins."""
    grid = insert_column(insert_column(_grid(), 6), 6)
    grid[4][7] = "x"
    found = locate(_guide(), grid)
    assert found.values["criteria.C1.points"] == "<criteria.C1.points>"
    assert found.refs["criteria.C3.points"] == "I6"


# ---- what the user typed where the layout has nothing ------------------------------------------------


def test_text_in_an_extra_column_is_noted_with_its_header_and_samples() -> None:
    grid = [[*line, ""] for line in _grid()]
    grid[2][7] = "Comments"
    for r in (3, 4, 5, 7):
        grid[r][7] = f"comment {r + 1}"
    found = locate(_guide(), grid)
    assert found.values == _expected() and not found.refused
    assert found.notes == [("H4", Kind.IGNORED, "column H ('Comments') is not part of the workbook; what it holds "
                            "was not read: H4 text 'comment 4', H5 text 'comment 5', H6 text 'comment 6' and 1 more",
                            Severity.NOTE)]


def test_an_extra_column_of_three_is_quoted_whole() -> None:
    grid = [[*line, ""] for line in _grid()]
    for r in (3, 4, 5):
        grid[r][7] = r
    found = locate(_guide(), grid)
    assert found.notes == [("H4", Kind.IGNORED, "column H is not part of the workbook; what it holds was not read: "
                            "H4 3, H5 4, H6 5", Severity.NOTE)]


def test_an_extra_column_holding_only_a_header_says_nothing() -> None:
    grid = [[*line, ""] for line in _grid()]
    grid[2][7] = "Comments"
    assert locate(_guide(), grid).notes == []


def test_text_typed_where_the_layout_has_no_field_is_noted() -> None:
    grid = _grid()
    grid[6][2] = "a note"
    grid[6][4] = "another"
    grid[0][3] = 7
    grid[7][1] = "why"
    grid[8][3] = "more"
    found = locate(_guide(), grid)
    assert found.values == _expected()
    assert found.notes == [("D1", Kind.IGNORED, "typed where the workbook has no field, so not read: D1 7, C7 text "
                            "'a note', E7 text 'another' and 2 more", Severity.NOTE)]


def test_text_typed_below_the_table_is_noted_where_it_went_after_the_table_moved() -> None:
    grid = insert_column(_grid(), 0)
    grid.append(["", "", "", "a note", "", "", "", ""])
    found = locate(_guide(), grid)
    assert found.values == _expected()
    assert found.notes == [("D10", Kind.IGNORED, "typed where the workbook has no field, so not read: D10 text "
                            "'a note'", Severity.NOTE)]


def test_stray_text_makes_the_other_landmarks_count_too() -> None:
    """The title moved down a row and rows below it: with stray text about, the title row is searched for too,
    so the stray text is told apart from the title."""
    grid = _insert_rows(_grid(), 0)
    grid[0][0] = "my own heading"
    found = locate(_guide(), grid)
    assert found.values == _expected() and not found.refused
    assert found.notes == [("A1", Kind.IGNORED, "typed where the workbook has no field, so not read: A1 text "
                            "'my own heading'", Severity.NOTE)]


def test_a_guide_without_soft_landmarks_says_nothing_of_stray_text() -> None:
    grid = _grid()
    grid[6][2] = "a note"
    found = locate(_guide(soft=False), grid)
    assert found.notes == [] and found.values == _expected()


# ---- a sheet without a header row ----------------------------------------------------------------------


GUIDE = SheetLayout("Guide", (
    Cell("A1", Role.LABEL, "Your quarterly scorecard", "title"),
    Cell("A3", Role.LABEL, "Person id"), Cell("B3", Role.META, "ana-lima", key="meta.person_id"),
    Cell("A4", Role.LABEL, "Quarter"), Cell("B4", Role.META, "2026-Q4", key="meta.quarter"),
))


def _guide_grid() -> Grid:
    return laid_out(WorkbookLayout(None, "", "", (GUIDE,)))["Guide"]


def test_a_sheet_without_headers_reads_its_facts_in_place() -> None:
    found = locate(_guide(GUIDE), _guide_grid())
    assert found.values == {"meta.person_id": "ana-lima", "meta.quarter": "2026-Q4"} and found.notes == []


def test_a_sheet_without_headers_reads_its_facts_after_rows_were_inserted() -> None:
    grid = _insert_rows(_guide_grid(), 2, 3)
    found = locate(_guide(GUIDE), grid)
    assert found.values == {"meta.person_id": "ana-lima", "meta.quarter": "2026-Q4"}
    assert found.refs == {"meta.person_id": "B6", "meta.quarter": "B7"}


def test_a_sheet_without_headers_reads_its_facts_after_a_column_was_inserted_before_them() -> None:
    found = locate(_guide(GUIDE), insert_column(_guide_grid(), 0))
    assert found.values == {"meta.person_id": "ana-lima", "meta.quarter": "2026-Q4"}
    assert found.refs == {"meta.person_id": "C3", "meta.quarter": "C4"}
    assert found.notes == []


def test_a_fact_whose_label_is_gone_is_missing() -> None:
    grid = _guide_grid()
    grid[3][0] = ""
    found = locate(_guide(GUIDE), grid)
    assert "meta.quarter" in found.missing
    assert found.values == {"meta.person_id": "ana-lima"}


# ---- where the cells went, for messages ---------------------------------------------------------------


def test_relocated_puts_moved_cells_where_they_were_found_and_renamed_sheets_by_their_names() -> None:
    wl = WorkbookLayout(None, "", "", (SHEET, GUIDE))
    moved = relocated(wl, {("Scorecard", "criteria.C1.self"): "D4"}, {"Guide": "My guide"})
    by_key = {c.key: c.ref for c in moved.sheets[0].cells if c.key}
    assert by_key["criteria.C1.self"] == "D4" and by_key["criteria.C2.self"] == "C5"
    assert [s.title for s in moved.sheets] == ["Scorecard", "My guide"]
    assert relocated(wl, {}) is wl
    assert relocated(wl, {}, {"Guide": "Mine"}).sheets[1].title == "Mine"
    assert relocated(wl, {("Guide", "meta.quarter"): "B9"}).sheets[1].cells[4].ref == "B9"


# ---- the edits that tell the landmarks apart ---------------------------------------------------------


def _with_comments(grid: Grid, header_row: int) -> Grid:
    """``grid`` with an extra column at the right: "Comments" in the header row (0-based), a comment in each of
    the three rows under it."""
    out = [[*line, ""] for line in grid]
    out[header_row][-1] = "Comments"
    for r in range(header_row + 1, header_row + 4):
        out[r][-1] = f"comment {r + 1}"
    return out


def test_a_header_moved_up_a_row_still_names_an_extra_column_by_its_header() -> None:
    """The blank row above the headers deleted and one inserted under them: every cell read is where it was
    put, but the header row moved; an extra column's header is still taken for its name, not its contents."""
    grid = _grid()
    del grid[1]
    grid.insert(2, [""] * len(grid[0]))
    found = locate(_guide(), _with_comments(grid, 1))
    assert found.values == _expected() and found.refs == {}
    assert found.notes == [("H3", Kind.IGNORED, "column H ('Comments') is not part of the workbook; what it holds "
                            "was not read: H3 text 'comment 3', H4 text 'comment 4', H5 text 'comment 5'",
                            Severity.NOTE)]


def test_the_title_moved_down_a_row_is_found_again_rather_than_taken_for_stray_text() -> None:
    """Every row read is in place, so rows are trusted; the title sitting a row lower shows up as stray text,
    so the landmarks are looked for once more, the title among them: it is the title, and nothing is said."""
    grid = _grid()
    grid[1][0], grid[0][0] = grid[0][0], ""
    found = locate(_guide(), grid)
    assert found.values == _expected() and found.notes == [] and found.refs == {}


def test_stray_text_where_every_landmark_is_in_place_is_said_once() -> None:
    grid = _grid()
    grid[1][3] = "my note"
    found = locate(_guide(), grid)
    assert found.notes == [("D2", Kind.IGNORED, "typed where the workbook has no field, so not read: D2 text "
                            "'my note'", Severity.NOTE)]


def test_two_labelled_rows_deleted_are_both_missing_and_neither_read() -> None:
    grid = _grid()
    del grid[7:9]
    found = locate(_guide(), grid)
    assert found.missing == {"readiness.self", "track_preference"}
    assert "readiness.self" not in found.values and "track_preference" not in found.values
    assert [ref for ref, _, _, _ in found.notes] == ["A8", "A9"]


def test_a_criterion_row_deleted_when_the_id_column_moved_names_the_moved_column() -> None:
    grid = _move_column(_grid(), 0, 3)
    del grid[4]
    found = locate(_guide(), grid)
    assert found.refused and found.notes[0][:2] == ("D5", Kind.SHIFTED_ROWS)
    assert found.notes[0][2].startswith("criterion C2 not found: its row was deleted")


def test_criteria_sorted_without_their_ids_after_a_column_was_inserted_are_refused() -> None:
    grid = _grid()
    body = [list(line) for line in grid[3:6][::-1]]
    for i, line in enumerate(body):
        line[0] = grid[3 + i][0]
    grid[3:6] = body
    found = locate(_guide(), insert_column(grid, 2))
    assert found.refused and found.notes[0][:2] == ("B4", Kind.SHIFTED_ROWS)
    assert "row 4 holds criterion C1, but not its text" in found.notes[0][2]


def test_a_column_copied_to_the_left_names_the_copy_first() -> None:
    grid = [[*line[:1], line[2], *line[1:]] for line in _grid()]
    found = locate(_guide(), grid)
    assert found.notes[0][:2] == ("B3", Kind.MISSING_COLUMN)
    assert "column 'Self (0-3)' appears more than once (B and D)" in found.notes[0][2]


def test_extra_columns_are_each_noted_even_after_one_holding_only_its_header() -> None:
    grid = [[*line, "", ""] for line in _grid()]
    grid[2][7] = "Comments"
    grid[4][8] = "late"
    found = locate(_guide(), grid)
    assert found.notes == [("I5", Kind.IGNORED, "column I is not part of the workbook; what it holds was not read: "
                            "I5 text 'late'", Severity.NOTE)]


def test_three_stray_cells_are_quoted_without_more() -> None:
    grid = _grid()
    grid[6][1], grid[6][2], grid[6][3] = "a", "b", "c"
    found = locate(_guide(), grid)
    assert found.notes == [("B7", Kind.IGNORED, "typed where the workbook has no field, so not read: B7 text 'a', "
                            "C7 text 'b', D7 text 'c'", Severity.NOTE)]


def test_a_grid_whose_rows_end_at_their_last_value_is_read_the_same() -> None:
    """Readers may hand out rows only as long as their last value: rows moved are still found in them."""
    grid = _insert_rows(_grid(), 1, 2)
    ragged = [line[:max((i + 1 for i, v in enumerate(line) if v != ""), default=0)] for line in grid]
    found = locate(_guide(), ragged)
    assert found.values == _expected() and found.notes == []


def test_a_deleted_column_of_a_field_with_two_words_says_them_apart() -> None:
    sheet = SheetLayout("Pivots", (
        Cell("A1", Role.LABEL, "ID", "header"), Cell("B1", Role.LABEL, "Gap progress", "header"),
        Cell("C1", Role.LABEL, "Interest", "header"),
        Cell("A2", Role.LABEL, "P1", key="rowid.pivots.P1"), Cell("B2", Role.INPUT, key="pivots.P1.gap_progress"),
        Cell("C2", Role.INPUT, key="pivots.P1.interest")))
    grid = [[line[0], line[2]] for line in _grid(sheet)]
    found = locate(_guide(sheet), grid)
    assert found.notes[0][2] == ("column 'Gap progress' not found (deleted, or its header changed?); its gap "
                                 "progress entries are not read")


# ---- rows without a landmark --------------------------------------------------------------------------


NOTES_ROWS = SheetLayout("Notes", (
    Cell("A1", Role.LABEL, "Notes", "title"),
    Cell("A2", Role.LABEL, "First"), Cell("B2", Role.INPUT, key="notes.first"),
    Cell("B3", Role.INPUT, key="notes.more"),  # a second line of the first note: no label of its own
    Cell("A4", Role.LABEL, "Second"), Cell("B4", Role.INPUT, key="notes.second"),
))


def test_a_row_without_a_label_keeps_its_distance_to_the_row_above_it() -> None:
    """A blank row inserted above "Second": the unlabelled row stays under "First", not above "Second"."""
    grid = _insert_rows(_grid(NOTES_ROWS), 3)
    found = locate(_guide(NOTES_ROWS), grid)
    assert found.values == _expected(NOTES_ROWS) and found.notes == []
    assert found.refs == {"notes.second": "B5"}


def test_a_row_without_a_label_moves_with_the_labelled_row_above_it() -> None:
    """A row inserted between the title and the first note: the unlabelled row moves with "First", not the title."""
    found = locate(_guide(NOTES_ROWS), _insert_rows(_grid(NOTES_ROWS), 1))
    assert found.values == _expected(NOTES_ROWS)
    assert found.refs == {"notes.first": "B3", "notes.more": "B4", "notes.second": "B5"}


def test_a_title_retyped_is_not_called_stray_text() -> None:
    """The title (no cell read in its row) typed over, and a column inserted: nothing is said of it."""
    grid = _grid(NOTES_ROWS)
    grid[0][0] = "My notes for Q4"
    found = locate(_guide(NOTES_ROWS), insert_column(grid, 0))
    assert found.values == _expected(NOTES_ROWS) and found.notes == []


def test_a_row_without_a_label_moves_with_the_rows_around_it() -> None:
    found = locate(_guide(NOTES_ROWS), _insert_rows(_grid(NOTES_ROWS), 0, 2))
    assert found.values == _expected(NOTES_ROWS)
    assert found.refs == {"notes.first": "B4", "notes.more": "B5", "notes.second": "B6"}


def test_with_every_label_gone_nothing_is_read_and_the_facts_are_not_called_stray() -> None:
    grid = _guide_grid()
    grid[0][0] = grid[2][0] = grid[3][0] = ""
    grid[1][1] = "typed"
    found = locate(_guide(GUIDE), grid)
    assert found.values == {} and found.missing == {"meta.person_id", "meta.quarter"}
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("A3", Kind.SHIFTED_ROWS), ("A4", Kind.SHIFTED_ROWS),
                                                          ("B2", Kind.IGNORED)]
    assert found.notes[2][2] == "typed where the workbook has no field, so not read: B2 text 'typed'"


# ---- a column with neither header nor label ---------------------------------------------------------


def test_a_column_without_landmarks_never_calculated_is_read_at_its_distance_from_its_neighbour() -> None:
    """Formulas never calculated are blank, so nothing tells where column G went: it is taken one column right
    of F (its nearest column found), wherever F went."""
    blank = {k: None for k in _own() if k.endswith(".points")}
    grid = laid_out(WorkbookLayout(None, "", "", (SHEET,)), _own() | blank)["Scorecard"]
    found = locate(_guide(), insert_column(grid, 2))
    assert {k: found.refs[k] for k in blank} == {f"criteria.{cid}.points": f"H{row}"
                                                  for row, cid in enumerate(IDS, start=4)}
    assert all(found.values[k] is None for k in blank)


# ---- a block named otherwise, and two blocks ------------------------------------------------------------


def _steps() -> SheetLayout:
    """A sheet with two blocks: criteria, and steps (a block the messages have no word for)."""
    cells = [Cell(f"{c}1", Role.LABEL, t, "header") for c, t in zip("ABC", ("ID", "Text", "Answer"))]
    for row, (block, item) in enumerate([("criteria", "C1"), ("criteria", "C2"), ("steps", "S1"), ("steps", "S2")],
                                        start=2):
        cells += [Cell(f"A{row}", Role.LABEL, item, key=f"rowid.{block}.{item}"),
                  Cell(f"B{row}", Role.LABEL, f"{block} {item}"),
                  Cell(f"C{row}", Role.INPUT if block == "criteria" else Role.FORMULA, key=f"{block}.{item}.x")]
    return SheetLayout("Steps", tuple(cells))


def test_both_blocks_sorted_are_read_by_id_and_each_noted() -> None:
    sheet = _steps()
    grid = _grid(sheet)
    grid[1:3], grid[3:5] = grid[1:3][::-1], grid[3:5][::-1]
    found = locate(_guide(sheet), grid)
    assert found.values == _expected(sheet)
    assert found.sorted_rows == [frozenset({"criteria.C1.x"}), frozenset({"criteria.C2.x"}), frozenset(),
                                 frozenset()]
    assert [m for _, _, m, _ in found.notes] == [
        "the criteria were sorted into another order; each was read by its criterion id",
        "the rows were sorted into another order; each was read by its row id"]


def test_a_block_without_a_word_of_its_own_is_said_in_rows() -> None:
    sheet = _steps()
    deleted = _grid(sheet)
    del deleted[4]
    assert locate(_guide(sheet), deleted).notes[0][2] == ("row S2 not found: its row was deleted; this sheet's "
                                                         "inputs are not used")
    inserted = _insert_rows(_grid(sheet), 4)
    assert "a row was inserted among the rows (row 5)" in locate(_guide(sheet), inserted).notes[0][2]
    unsorted = _grid(sheet)
    unsorted[3][1], unsorted[4][1] = unsorted[4][1], unsorted[3][1]
    assert "the rows do not match their ids" in locate(_guide(sheet), unsorted).notes[0][2]
    assert "holds row S1, but not its text" in locate(_guide(sheet), unsorted).notes[0][2]


# ---- a column of labels without a header, copied --------------------------------------------------------


def test_of_two_columns_holding_the_labels_the_one_holding_more_is_taken() -> None:
    """Column F (weights) moved to B, and two of its labels copied into an extra column: F is where all three
    are, and the copy is noted as an extra column."""
    grid = [[*line, ""] for line in _move_column(_grid(), 5, 1)]
    grid[3][7], grid[4][7] = WEIGHTS["C1"], WEIGHTS["C2"]
    found = locate(_guide(), grid)
    assert found.values == _expected()
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("H4", Kind.IGNORED)]


def test_of_two_columns_holding_all_the_labels_the_nearer_is_taken() -> None:
    grid = [[*line, "", ""] for line in _move_column(_grid(), 5, 1)]
    for r, cid in enumerate(IDS, start=3):
        grid[r][8] = WEIGHTS[cid]
    found = locate(_guide(), grid)
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("B4", Kind.IGNORED)]
