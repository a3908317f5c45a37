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

from ladder_sheets.core.inputs import RawValue
from ladder_sheets.core.locate import SLACK_ROWS, Found, locate
from ladder_sheets.core.results import Kind, Severity
from tests.support import small_sheets as small
from tests.support.books import insert_column
from tests.support.small_sheets import IDS, TEXTS


# ---- nothing edited ------------------------------------------------------------------------------------


def test_an_untouched_sheet_reads_every_cell_where_it_was_put() -> None:
    found = locate(small.guide(), small.grid())
    assert found.values == small.expected()
    assert (found.refs, found.notes, found.refused, found.missing) == ({}, [], False, set())
    assert (found.sorted_rows, found.lost_columns) == ([], set())


def test_a_blank_cell_reads_as_none() -> None:
    grid = small.grid()
    grid[3][2] = ""
    assert locate(small.guide(), grid).values["criteria.C1.self"] is None


def test_a_note_is_an_error_unless_said_otherwise() -> None:
    found = Found()
    found.say("B2", Kind.IGNORED, "words")
    found.say("B3", Kind.SORTED, "more", Severity.NOTE)
    assert found.notes == [("B2", Kind.IGNORED, "words", Severity.ERROR), ("B3", Kind.SORTED, "more", Severity.NOTE)]


# ---- columns -------------------------------------------------------------------------------------------


def test_a_blank_column_inserted_moves_the_cells_right_of_it_and_is_read_there() -> None:
    found = locate(small.guide(), insert_column(small.grid(), 2))
    assert found.values == small.expected()
    assert found.notes == [] and not found.refused
    assert found.refs["criteria.C1.self"] == "D4"
    assert found.refs["criteria.C3.manager"] == "E6"
    assert found.refs["criteria.C2.points"] == "H5"  # the column without header or label moved with the rest
    assert found.refs["readiness.self"] == "D8"
    assert "rowid.criteria.C1" not in found.refs  # column A did not move


def test_a_blank_column_inserted_first_moves_every_cell() -> None:
    found = locate(small.guide(), insert_column(small.grid(), 0))
    assert found.values == small.expected() and found.notes == []
    assert found.refs["rowid.criteria.C2"] == "B5"
    assert found.refs["track_preference"] == "D9"


def test_a_blank_column_inserted_before_the_unheaded_columns_only_moves_them() -> None:
    found = locate(small.guide(), insert_column(small.grid(), 5))
    assert found.values == small.expected() and found.notes == []
    assert found.refs == {f"criteria.{cid}.points": f"H{row}" for row, cid in enumerate(IDS, start=4)}


@pytest.mark.parametrize(("src", "dst"), [(4, 1), (1, 4), (2, 3), (3, 2), (0, 4), (5, 1), (2, 6), (3, 6)])
def test_a_column_moved_is_read_where_it_went(src: int, dst: int) -> None:
    found = locate(small.guide(), small.move_column(small.grid(), src, dst))
    assert found.values == small.expected()
    assert found.notes == [] and not found.refused


def test_the_evidence_column_moved_first_is_read_there_and_says_where() -> None:
    found = locate(small.guide(), small.move_column(small.grid(), 4, 0))
    assert found.refs["criteria.C2.evidence"] == "A5"
    assert found.refs["criteria.C2.self"] == "D5"


@pytest.mark.parametrize("retyped", ["Self  (0-3)", "Self\n(0-3)", " self (0-3) ", "SELF (0-3)"])
def test_a_header_retyped_with_other_spacing_or_case_still_names_its_column(retyped: str) -> None:
    grid = small.grid()
    grid[2][2] = retyped
    assert locate(small.guide(), grid).values == small.expected()
    moved = small.move_column(grid, 2, 4)
    found = locate(small.guide(), moved)
    assert found.values == small.expected() and found.notes == []
    assert found.refs["criteria.C1.self"] == "E4"


def test_a_copied_column_reads_neither_copy_and_names_both() -> None:
    grid = [[*line[:3], line[2], *line[3:]] for line in small.grid()]
    found = locate(small.guide(), grid)
    assert found.notes[0] == ("C3", Kind.MISSING_COLUMN, "column 'Self (0-3)' appears more than once (C and D); "
                              "its self entries are not read from either", Severity.ERROR)
    assert not found.refused
    # column C also holds the readiness and the track preference, below the table
    assert found.missing == {"criteria.C1.self", "criteria.C2.self", "criteria.C3.self", "readiness.self",
                             "track_preference"}
    assert found.lost_columns == {"C"}
    assert found.values["criteria.C2.manager"] == "<criteria.C2.manager>"
    assert found.refs["criteria.C2.manager"] == "E5"
    assert found.values == {k: v for k, v in small.expected().items() if k not in found.missing}


def test_a_deleted_column_is_named_with_what_it_held_and_nothing_else_is_lost() -> None:
    grid = [[*line[:3], *line[4:]] for line in small.grid()]
    found = locate(small.guide(), grid)
    assert found.notes == [("D3", Kind.MISSING_COLUMN, "column 'Manager (0-3)' not found (deleted, or its header "
                            "changed?); its manager entries are not read", Severity.ERROR)]
    assert found.missing == {"criteria.C1.manager", "criteria.C2.manager", "criteria.C3.manager"}
    assert found.lost_columns == {"D"}
    assert found.values == {k: v for k, v in small.expected().items() if k not in found.missing}
    assert found.refs["criteria.C3.evidence"] == "D6"
    assert found.refs["criteria.C3.points"] == "F6"


def test_a_deleted_column_of_labels_says_it_is_not_read() -> None:
    grid = [[*line[:1], *line[2:]] for line in small.grid()]
    found = locate(small.guide(), grid)
    assert found.notes == [("B3", Kind.MISSING_COLUMN, "column 'Criterion' not found (deleted, or its header "
                            "changed?); it is not read", Severity.ERROR)]
    assert found.values == small.expected() and found.lost_columns == {"B"}


def test_the_id_column_deleted_refuses_the_sheet() -> None:
    grid = [line[1:] for line in small.grid()]
    found = locate(small.guide(), grid)
    assert found.refused
    assert ("", Kind.MISSING_COLUMN, "the column that identifies each row (ID) was not found, so no row can be "
            "matched; this sheet's inputs are not used", Severity.ERROR) in found.notes
    assert found.values == {}


def test_every_header_gone_refuses_the_sheet_and_names_the_headers() -> None:
    grid = small.grid()
    grid[2] = ["x"] * len(grid[2])
    found = locate(small.guide(), grid)
    assert found.refused and found.values == {}
    assert found.notes == [("", Kind.MISSING_COLUMN, "the header row ('ID', 'Criterion', 'Self (0-3)', "
                            "'Manager (0-3)', 'Evidence') was not found; this sheet's inputs are not used",
                            Severity.ERROR)]


def test_the_header_row_is_the_one_holding_most_headers() -> None:
    """A note above the table that repeats one header ("Evidence") is not taken for the header row."""
    grid = small.insert_rows(small.grid(), 1)
    grid[1][6] = "Evidence"
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and not found.refused
    assert found.refs["criteria.C1.self"] == "C5"


def test_a_legend_right_above_the_headers_is_not_taken_for_them() -> None:
    """The headers typed again in another order in the blank row above them, and a column moved (so the header
    row is looked for): the row where the layout put the headers is nearer, and is the header row."""
    grid = small.move_column(small.grid(), 2, 3)
    grid[1] = [*grid[2][:5][::-1], "", ""]
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and not found.refused
    assert found.refs["criteria.C1.self"] == "D4"


@pytest.mark.parametrize("above", [0, 1, 3])
def test_of_two_rows_with_as_many_headers_the_nearer_is_taken(above: int) -> None:
    """The headers typed again in another order far below the table (a legend): the row nearest where the layout
    put the headers is the header row, and each column is read under its own header there."""
    grid = small.insert_rows(small.grid(), 1, above) if above else small.grid()
    legend: list[RawValue] = [*grid[2 + above][:5][::-1], "", ""]
    grid += [*small.blank_rows(grid, 4), legend]
    found = locate(small.guide(), small.move_column(grid, 2, 3))
    assert found.values == small.expected() and not found.refused
    assert found.refs["criteria.C1.self"] == f"D{4 + above}"


@pytest.mark.parametrize("above", [1, 5, SLACK_ROWS - 1, SLACK_ROWS])
def test_rows_inserted_above_the_table_move_every_cell_down(above: int) -> None:
    found = locate(small.guide(), small.insert_rows(small.grid(), 1, above))
    assert found.values == small.expected() and not found.refused
    assert found.refs["criteria.C2.evidence"] == f"E{5 + above}"
    assert found.refs["track_preference"] == f"C{9 + above}"
    assert found.notes == []


def test_the_header_row_is_looked_for_only_so_far_below_where_it_was_put() -> None:
    found = locate(small.guide(), small.insert_rows(small.grid(), 1, SLACK_ROWS + 1))
    assert found.refused and found.values == {}
    assert [k for _, k, _, _ in found.notes] == [Kind.MISSING_COLUMN]


# ---- rows ----------------------------------------------------------------------------------------------


def test_a_row_inserted_among_the_criteria_refuses_the_sheet_and_says_where() -> None:
    found = locate(small.guide(), small.insert_rows(small.grid(), 5))
    assert found.refused and found.values == {}
    assert found.notes == [("A6", Kind.SHIFTED_ROWS, "a row was inserted among the criteria (row 6), so the sheet's "
                            "own totals now count it; this sheet's inputs are not used (delete the row)",
                            Severity.ERROR)]


def test_a_row_inserted_among_the_criteria_of_a_moved_id_column_names_its_column() -> None:
    grid = small.move_column(small.insert_rows(small.grid(), 4), 0, 2)
    found = locate(small.guide(), grid)
    assert found.refused and found.notes[0][0] == "C5"


def test_a_criterion_row_deleted_refuses_the_sheet() -> None:
    grid = small.grid()
    del grid[4]
    found = locate(small.guide(), grid)
    assert found.refused
    assert found.notes == [("A5", Kind.SHIFTED_ROWS, "criterion C2 not found: its row was deleted; this sheet's "
                            "inputs are not used", Severity.ERROR)]


def test_a_criterion_row_copied_refuses_the_sheet_and_names_both_rows() -> None:
    """A row above the table and C2's row copied below it: C2 is in two rows, neither where it was put."""
    grid = small.insert_rows(small.grid(), 1)
    grid.insert(7, list(grid[5]))
    found = locate(small.guide(), grid)
    assert found.refused
    assert found.notes == [("A5", Kind.SHIFTED_ROWS, "criterion C2 appears in rows 6 and 8 (a copied row?); this "
                            "sheet's inputs are not used", Severity.ERROR)]


def test_a_criterion_row_copied_beside_itself_counts_as_a_row_inserted() -> None:
    grid = small.grid()
    grid.insert(5, list(grid[4]))
    found = locate(small.guide(), grid)
    assert found.refused
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("A6", Kind.SHIFTED_ROWS)]
    assert "a row was inserted among the criteria (row 6)" in found.notes[0][2]


@pytest.mark.parametrize("order", [(2, 1, 0), (1, 2, 0), (1, 0, 2), (0, 2, 1)])
def test_sorted_criteria_are_read_by_their_ids_and_noted(order: tuple[int, int, int]) -> None:
    grid = small.grid()
    grid[3:6] = [grid[3 + i] for i in order]
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and not found.refused
    assert found.notes == [("A4", Kind.SORTED, "the criteria were sorted into another order; each was read by its "
                            "criterion id", Severity.NOTE)]
    where = {cid: 4 + order.index(i) for i, cid in enumerate(IDS)}
    assert {k: v for k, v in found.refs.items() if k.endswith(".self")} == {
        f"criteria.{cid}.self": f"C{row}" for cid, row in where.items() if row != 4 + IDS.index(cid)}
    assert found.sorted_rows == [frozenset({f"criteria.{cid}.{f}" for f in ("self", "manager", "evidence")})
                                 for cid in IDS]


def test_sorted_criteria_with_the_id_column_moved_name_its_column() -> None:
    grid = small.grid()
    grid[3:6] = grid[3:6][::-1]
    found = locate(small.guide(), small.move_column(grid, 0, 3))
    assert found.values == small.expected()
    assert [(ref, k) for ref, k, _, _ in found.notes] == [("D4", Kind.SORTED)]


def test_criteria_sorted_without_their_ids_refuse_the_sheet() -> None:
    grid = small.grid()
    body = [list(line) for line in grid[3:6][::-1]]
    for i, line in enumerate(body):
        line[0] = grid[3 + i][0]
    grid[3:6] = body
    found = locate(small.guide(), grid)
    assert found.refused and found.values == {}
    assert found.notes == [("B4", Kind.SHIFTED_ROWS, "the criteria do not match their ids (sorted without the ID "
                            "column, or text pasted over them?): row 4 holds criterion C1, but not its text; "
                            "this sheet's inputs are not used", Severity.ERROR)]


def test_text_pasted_over_a_criterion_in_place_refuses_the_sheet() -> None:
    """Nothing moved, but the criterion's text is another's: the row may hold another criterion's answers."""
    grid = small.grid()
    grid[4][1] = TEXTS["C3"]
    found = locate(small.guide(), grid)
    assert found.refused
    assert found.notes[0][:2] == ("B5", Kind.SHIFTED_ROWS) and "row 5 holds criterion C2" in found.notes[0][2]


def test_a_blank_row_inserted_between_labelled_rows_moves_them() -> None:
    found = locate(small.guide(), small.insert_rows(small.grid(), 8))
    assert found.values == small.expected() and found.notes == [] and not found.refused
    assert found.refs == {"track_preference": "C10"}


def test_a_blank_row_inserted_below_the_criteria_moves_the_rows_under_it() -> None:
    found = locate(small.guide(), small.insert_rows(small.grid(), 6, 2))
    assert found.values == small.expected() and found.notes == []
    assert found.refs == {"readiness.self": "C10", "track_preference": "C11"}


def test_the_blank_row_between_the_table_and_the_totals_deleted_changes_nothing_read() -> None:
    grid = small.grid()
    del grid[6]
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and found.notes == []
    assert found.refs == {"readiness.self": "C7", "track_preference": "C8"}


@pytest.mark.parametrize(("row", "label"), [(7, "Self readiness"), (8, "Track preference")])
def test_a_labelled_row_deleted_is_said_and_its_cells_are_missing(row: int, label: str) -> None:
    grid = small.grid()
    del grid[row]
    found = locate(small.guide(), grid)
    assert not found.refused
    assert found.notes == [(f"A{row + 1}", Kind.SHIFTED_ROWS, f"row '{label}' not found (deleted?); its cells are "
                            "not read", Severity.ERROR)]
    key = "readiness.self" if row == 7 else "track_preference"
    assert key in found.missing and key not in found.values
    assert found.values == {k: v for k, v in small.expected().items() if k != key}


def test_a_labelled_row_copied_is_said_and_neither_copy_read() -> None:
    grid = small.insert_rows(small.grid(), 1)
    grid.append(list(grid[9]))
    grid[10][2] = "another answer"
    found = locate(small.guide(), grid)
    assert found.notes[0] == ("A9", Kind.SHIFTED_ROWS, "row 'Track preference' appears more than once; its cells "
                              "are not read", Severity.ERROR)
    assert found.missing == {"track_preference"} and "track_preference" not in found.values


def test_a_labelled_row_moved_is_read_where_it_went() -> None:
    grid = small.grid()
    grid.append(grid.pop(7))
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and not found.refused
    assert found.refs == {"readiness.self": "C9", "track_preference": "C8"}


def test_a_row_label_retyped_with_other_spacing_is_still_its_row() -> None:
    grid = small.insert_rows(small.grid(), 8)
    grid[9][0] = "track  PREFERENCE\n"
    found = locate(small.guide(), grid)
    assert found.values == small.expected() and found.notes == []
