"""core.locate on small sheets built by hand, continued: columns with neither header nor label, what a user types
where the layout has nothing, a sheet without a header row, and the edits that tell the landmarks apart. The sheets
are tests/support/small_sheets.py's; tests/test_locate_small.py edits the table's columns and rows.
"""

from __future__ import annotations

from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.locate import locate, relocated
from ladder_sheets.core.results import Kind, Severity
from tests.support import small_sheets as small
from tests.support.books import Grid, insert_column, laid_out
from tests.support.small_sheets import GUIDE, IDS, SHEET, WEIGHTS


# ---- columns without a header --------------------------------------------------------------------------


def test_a_column_of_labels_without_header_is_found_by_its_labels() -> None:
    """Column F (weights) moved left of the table: found where its labels are; G (no landmark) stays beside."""
    found = locate(small.guide(), small.move_column(small.grid(), 5, 1))
    assert found.values == small.expected() and found.notes == []
    assert "criteria.C1.points" not in found.refs


def test_a_column_without_landmarks_is_found_beside_its_neighbour_past_an_inserted_one() -> None:
    """A blank column inserted between F and G: G is read one column further right."""
    found = locate(small.guide(), insert_column(small.grid(), 6))
    assert found.values == small.expected() and found.notes == []
    assert found.refs == {f"criteria.{cid}.points": f"H{row}" for row, cid in enumerate(IDS, start=4)}


def test_a_column_without_landmarks_moved_beside_an_inserted_one_is_where_its_rows_hold_something() -> None:
    """G moved one column right past an empty one, F moved too: G is found where its rows are filled."""
    grid = insert_column(insert_column(small.grid(), 6), 5)
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and found.notes == []
    assert found.refs["criteria.C1.points"] == "I4"


def test_a_column_without_landmarks_is_read_where_most_of_its_rows_hold_something() -> None:
    """G's formulas two columns further right, a blank column and a note between: the filled column wins."""
    grid = insert_column(insert_column(small.grid(), 6), 6)
    grid[4][7] = "x"
    found = locate(small.guide(), grid)
    assert found.values["criteria.C1.points"] == "<criteria.C1.points>"
    assert found.refs["criteria.C3.points"] == "I6"


# ---- what the user typed where the layout has nothing ------------------------------------------------


def test_text_in_an_extra_column_is_noted_with_its_header_and_samples() -> None:
    grid = [[*line, ""] for line in small.grid()]
    grid[2][7] = "Comments"
    for r in (3, 4, 5, 7):
        grid[r][7] = f"comment {r + 1}"
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and not found.refused
    assert found.notes == [("H4", Kind.IGNORED, "column H ('Comments') is not part of the workbook; what it holds "
                            "was not read: H4 text 'comment 4', H5 text 'comment 5', H6 text 'comment 6' and 1 more",
                            Severity.NOTE)]


def test_an_extra_column_of_three_is_quoted_whole() -> None:
    grid = [[*line, ""] for line in small.grid()]
    for r in (3, 4, 5):
        grid[r][7] = r
    found = locate(small.guide(), grid)
    assert found.notes == [("H4", Kind.IGNORED, "column H is not part of the workbook; what it holds was not read: "
                            "H4 3, H5 4, H6 5", Severity.NOTE)]


def test_an_extra_column_holding_only_a_header_says_nothing() -> None:
    grid = [[*line, ""] for line in small.grid()]
    grid[2][7] = "Comments"
    assert locate(small.guide(), grid).notes == []


def test_text_typed_where_the_layout_has_no_field_is_noted() -> None:
    grid = small.grid()
    grid[6][2] = "a note"
    grid[6][4] = "another"
    grid[0][3] = 7
    grid[7][1] = "why"
    grid[8][3] = "more"
    found = locate(small.guide(), grid)
    assert found.values == small.expected()
    assert found.notes == [("D1", Kind.IGNORED, "typed where the workbook has no field, so not read: D1 7, C7 text "
                            "'a note', E7 text 'another' and 2 more", Severity.NOTE)]


def test_text_typed_below_the_table_is_noted_where_it_went_after_the_table_moved() -> None:
    grid = insert_column(small.grid(), 0)
    grid.append(["", "", "", "a note", "", "", "", ""])
    found = locate(small.guide(), grid)
    assert found.values == small.expected()
    assert found.notes == [("D10", Kind.IGNORED, "typed where the workbook has no field, so not read: D10 text "
                            "'a note'", Severity.NOTE)]


def test_stray_text_makes_the_other_landmarks_count_too() -> None:
    """The title moved down a row and rows below it: with stray text about, the title row is searched for too,
    so the stray text is told apart from the title."""
    grid = small.insert_rows(small.grid(), 0)
    grid[0][0] = "my own heading"
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and not found.refused
    assert found.notes == [("A1", Kind.IGNORED, "typed where the workbook has no field, so not read: A1 text "
                            "'my own heading'", Severity.NOTE)]


def test_a_guide_without_soft_landmarks_says_nothing_of_stray_text() -> None:
    grid = small.grid()
    grid[6][2] = "a note"
    found = locate(small.guide(soft=False), grid)
    assert found.notes == [] and found.values == small.expected()


# ---- a sheet without a header row ----------------------------------------------------------------------


def test_a_sheet_without_headers_reads_its_facts_in_place() -> None:
    found = locate(small.guide(GUIDE), small.guide_grid())
    assert found.values == {"meta.person_id": "ana-lima", "meta.quarter": "2026-Q4"} and found.notes == []


def test_a_sheet_without_headers_reads_its_facts_after_rows_were_inserted() -> None:
    grid = small.insert_rows(small.guide_grid(), 2, 3)
    found = locate(small.guide(GUIDE), grid)
    assert found.values == {"meta.person_id": "ana-lima", "meta.quarter": "2026-Q4"}
    assert found.refs == {"meta.person_id": "B6", "meta.quarter": "B7"}


def test_a_sheet_without_headers_reads_its_facts_after_a_column_was_inserted_before_them() -> None:
    found = locate(small.guide(GUIDE), insert_column(small.guide_grid(), 0))
    assert found.values == {"meta.person_id": "ana-lima", "meta.quarter": "2026-Q4"}
    assert found.refs == {"meta.person_id": "C3", "meta.quarter": "C4"}
    assert found.notes == []


def test_a_fact_whose_label_is_gone_is_missing() -> None:
    grid = small.guide_grid()
    grid[3][0] = ""
    found = locate(small.guide(GUIDE), grid)
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
    grid = small.grid()
    del grid[1]
    grid.insert(2, [""] * len(grid[0]))
    found = locate(small.guide(), _with_comments(grid, 1))
    assert found.values == small.expected() and found.refs == {}
    assert found.notes == [("H3", Kind.IGNORED, "column H ('Comments') is not part of the workbook; what it holds "
                            "was not read: H3 text 'comment 3', H4 text 'comment 4', H5 text 'comment 5'",
                            Severity.NOTE)]


def test_the_title_moved_down_a_row_is_found_again_rather_than_taken_for_stray_text() -> None:
    """Every row read is in place, so rows are trusted; the title sitting a row lower shows up as stray text,
    so the landmarks are looked for once more, the title among them: it is the title, and nothing is said."""
    grid = small.grid()
    grid[1][0], grid[0][0] = grid[0][0], ""
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and found.notes == [] and found.refs == {}


def test_stray_text_where_every_landmark_is_in_place_is_said_once() -> None:
    grid = small.grid()
    grid[1][3] = "my note"
    found = locate(small.guide(), grid)
    assert found.notes == [("D2", Kind.IGNORED, "typed where the workbook has no field, so not read: D2 text "
                            "'my note'", Severity.NOTE)]


def test_two_labelled_rows_deleted_are_both_missing_and_neither_read() -> None:
    grid = small.grid()
    del grid[7:9]
    found = locate(small.guide(), grid)
    assert found.missing == {"readiness.self", "track_preference"}
    assert "readiness.self" not in found.values and "track_preference" not in found.values
    assert [ref for ref, _, _, _ in found.notes] == ["A8", "A9"]


def test_a_criterion_row_deleted_when_the_id_column_moved_names_the_moved_column() -> None:
    grid = small.move_column(small.grid(), 0, 3)
    del grid[4]
    found = locate(small.guide(), grid)
    assert found.refused and found.notes[0][:2] == ("D5", Kind.SHIFTED_ROWS)
    assert found.notes[0][2].startswith("criterion C2 not found: its row was deleted")


def test_criteria_sorted_without_their_ids_after_a_column_was_inserted_are_refused() -> None:
    grid = small.grid()
    body = [list(line) for line in grid[3:6][::-1]]
    for i, line in enumerate(body):
        line[0] = grid[3 + i][0]
    grid[3:6] = body
    found = locate(small.guide(), insert_column(grid, 2))
    assert found.refused and found.notes[0][:2] == ("B4", Kind.SHIFTED_ROWS)
    assert "row 4 holds criterion C1, but not its text" in found.notes[0][2]


def test_a_column_copied_to_the_left_names_the_copy_first() -> None:
    grid = [[*line[:1], line[2], *line[1:]] for line in small.grid()]
    found = locate(small.guide(), grid)
    assert found.notes[0][:2] == ("B3", Kind.MISSING_COLUMN)
    assert "column 'Self (0-3)' appears more than once (B and D)" in found.notes[0][2]


def test_extra_columns_are_each_noted_even_after_one_holding_only_its_header() -> None:
    grid = [[*line, "", ""] for line in small.grid()]
    grid[2][7] = "Comments"
    grid[4][8] = "late"
    found = locate(small.guide(), grid)
    assert found.notes == [("I5", Kind.IGNORED, "column I is not part of the workbook; what it holds was not read: "
                            "I5 text 'late'", Severity.NOTE)]


def test_three_stray_cells_are_quoted_without_more() -> None:
    grid = small.grid()
    grid[6][1], grid[6][2], grid[6][3] = "a", "b", "c"
    found = locate(small.guide(), grid)
    assert found.notes == [("B7", Kind.IGNORED, "typed where the workbook has no field, so not read: B7 text 'a', "
                            "C7 text 'b', D7 text 'c'", Severity.NOTE)]


def test_a_grid_whose_rows_end_at_their_last_value_is_read_the_same() -> None:
    """Readers may hand out rows only as long as their last value: rows moved are still found in them."""
    grid = small.insert_rows(small.grid(), 1, 2)
    ragged = [line[:max((i + 1 for i, v in enumerate(line) if v != ""), default=0)] for line in grid]
    found = locate(small.guide(), ragged)
    assert found.values == small.expected() and found.notes == []


def test_a_deleted_column_of_a_field_with_two_words_says_them_apart() -> None:
    sheet = SheetLayout("Pivots", (
        Cell("A1", Role.LABEL, "ID", "header"), Cell("B1", Role.LABEL, "Gap progress", "header"),
        Cell("C1", Role.LABEL, "Interest", "header"),
        Cell("A2", Role.LABEL, "P1", key="rowid.pivots.P1"), Cell("B2", Role.INPUT, key="pivots.P1.gap_progress"),
        Cell("C2", Role.INPUT, key="pivots.P1.interest")))
    grid = [[line[0], line[2]] for line in small.grid(sheet)]
    found = locate(small.guide(sheet), grid)
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
    grid = small.insert_rows(small.grid(NOTES_ROWS), 3)
    found = locate(small.guide(NOTES_ROWS), grid)
    assert found.values == small.expected(NOTES_ROWS) and found.notes == []
    assert found.refs == {"notes.second": "B5"}


def test_a_row_without_a_label_moves_with_the_labelled_row_above_it() -> None:
    """A row inserted between the title and the first note: the unlabelled row moves with "First", not the title."""
    found = locate(small.guide(NOTES_ROWS), small.insert_rows(small.grid(NOTES_ROWS), 1))
    assert found.values == small.expected(NOTES_ROWS)
    assert found.refs == {"notes.first": "B3", "notes.more": "B4", "notes.second": "B5"}


def test_a_title_retyped_is_not_called_stray_text() -> None:
    """The title (no cell read in its row) typed over, and a column inserted: nothing is said of it."""
    grid = small.grid(NOTES_ROWS)
    grid[0][0] = "My notes for Q4"
    found = locate(small.guide(NOTES_ROWS), insert_column(grid, 0))
    assert found.values == small.expected(NOTES_ROWS) and found.notes == []


def test_a_row_without_a_label_moves_with_the_rows_around_it() -> None:
    found = locate(small.guide(NOTES_ROWS), small.insert_rows(small.grid(NOTES_ROWS), 0, 2))
    assert found.values == small.expected(NOTES_ROWS)
    assert found.refs == {"notes.first": "B4", "notes.more": "B5", "notes.second": "B6"}


def test_with_every_label_gone_nothing_is_read_and_the_facts_are_not_called_stray() -> None:
    grid = small.guide_grid()
    grid[0][0] = grid[2][0] = grid[3][0] = ""
    grid[1][1] = "typed"
    found = locate(small.guide(GUIDE), grid)
    assert found.values == {} and found.missing == {"meta.person_id", "meta.quarter"}
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("A3", Kind.SHIFTED_ROWS), ("A4", Kind.SHIFTED_ROWS),
                                                          ("B2", Kind.IGNORED)]
    assert found.notes[2][2] == "typed where the workbook has no field, so not read: B2 text 'typed'"


# ---- a column with neither header nor label ---------------------------------------------------------


def test_a_column_without_landmarks_never_calculated_is_read_at_its_distance_from_its_neighbour() -> None:
    """Formulas never calculated are blank, so nothing tells where column G went: it is taken one column right
    of F (its nearest column found), wherever F went."""
    blank = {k: None for k in small.own() if k.endswith(".points")}
    grid = laid_out(WorkbookLayout(None, "", "", (SHEET,)), small.own() | blank)["Scorecard"]
    found = locate(small.guide(), insert_column(grid, 2))
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
    grid = small.grid(sheet)
    grid[1:3], grid[3:5] = grid[1:3][::-1], grid[3:5][::-1]
    found = locate(small.guide(sheet), grid)
    assert found.values == small.expected(sheet)
    assert found.sorted_rows == [frozenset({"criteria.C1.x"}), frozenset({"criteria.C2.x"}), frozenset(),
                                 frozenset()]
    assert [m for _, _, m, _ in found.notes] == [
        "the criteria were sorted into another order; each was read by its criterion id",
        "the rows were sorted into another order; each was read by its row id"]


def test_a_block_without_a_word_of_its_own_is_said_in_rows() -> None:
    sheet = _steps()
    deleted = small.grid(sheet)
    del deleted[4]
    assert locate(small.guide(sheet), deleted).notes[0][2] == ("row S2 not found: its row was deleted; this sheet's "
                                                         "inputs are not used")
    inserted = small.insert_rows(small.grid(sheet), 4)
    assert "a row was inserted among the rows (row 5)" in locate(small.guide(sheet), inserted).notes[0][2]
    unsorted = small.grid(sheet)
    unsorted[3][1], unsorted[4][1] = unsorted[4][1], unsorted[3][1]
    assert "the rows do not match their ids" in locate(small.guide(sheet), unsorted).notes[0][2]
    assert "holds row S1, but not its text" in locate(small.guide(sheet), unsorted).notes[0][2]


# ---- a column of labels without a header, copied --------------------------------------------------------


def test_of_two_columns_holding_the_labels_the_one_holding_more_is_taken() -> None:
    """Column F (weights) moved to B, and two of its labels copied into an extra column: F is where all three
    are, and the copy is noted as an extra column."""
    grid = [[*line, ""] for line in small.move_column(small.grid(), 5, 1)]
    grid[3][7], grid[4][7] = WEIGHTS["C1"], WEIGHTS["C2"]
    found = locate(small.guide(), grid)
    assert found.values == small.expected()
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("H4", Kind.IGNORED)]


def test_of_two_columns_holding_all_the_labels_the_nearer_is_taken() -> None:
    grid = [[*line, "", ""] for line in small.move_column(small.grid(), 5, 1)]
    for r, cid in enumerate(IDS, start=3):
        grid[r][8] = WEIGHTS[cid]
    found = locate(small.guide(), grid)
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("B4", Kind.IGNORED)]
