"""core.landmarks: what identifies a sheet's columns and rows, worked out from its layout (pure).

A sheet built by hand (headers, a block of rows by id, labelled rows, columns without a header)
and the guide its readers get: which cells identify which row, which columns have headers, which
are found by their labels and which by nothing but their place; and the text comparisons every
reader makes (a header typed again with other spacing is the same header).
"""

from __future__ import annotations

import pytest

from ladder_sheets.core.cells import Cell, Role, SheetLayout
from ladder_sheets.core.landmarks import Anchor, letters, norm, same_text, sheet_guide, value_at
from ladder_sheets.core.readplan import is_read

SHEET = SheetLayout("Scorecard", (
    Cell("A1", Role.LABEL, "Scorecard for Ana", "title"),
    Cell("A3", Role.LABEL, "ID", "header"), Cell("B3", Role.LABEL, "Criterion", "header"),
    Cell("C3", Role.LABEL, "Self  (0-3)", "header"),
    Cell("A4", Role.LABEL, "C1", key="rowid.criteria.C1"), Cell("B4", Role.LABEL, "Runs discovery"),
    Cell("C4", Role.INPUT, key="criteria.C1.self"), Cell("D4", Role.LABEL, "weight 2"),
    Cell("E4", Role.FORMULA, "=C4*2", key="criteria.C1.points"), Cell("F4", Role.LABEL, "note"),
    Cell("A5", Role.LABEL, "C2", key="rowid.criteria.C2"), Cell("B5", Role.LABEL, "Writes the demo"),
    Cell("C5", Role.INPUT, key="criteria.C2.self"), Cell("E5", Role.FORMULA, "=C5*2", key="criteria.C2.points"),
    Cell("A7", Role.LABEL, " "), Cell("B7", Role.LABEL, "Self readiness"),
    Cell("C7", Role.FORMULA, "=SUM(E4:E5)", key="readiness.self"),
    Cell("B8", Role.LABEL, 12), Cell("C8", Role.META, "x", key="meta.note"),
    Cell("B10", Role.LABEL, "A footnote"),
))
WANTED = [c for c in SHEET.cells if c.key and is_read(c)]


def test_the_header_row_and_its_texts_as_written_and_as_compared() -> None:
    g = sheet_guide(SHEET, WANTED)
    assert (g.title, g.header_row) == ("Scorecard", 3)
    assert g.headers == {"A": "id", "B": "criterion", "C": "self (0-3)"}
    assert g.shown == {"A": "ID", "B": "Criterion", "C": "Self  (0-3)"}


def test_every_column_the_layout_uses_left_to_right_and_its_index() -> None:
    g = sheet_guide(SHEET, WANTED)
    assert g.columns == ("A", "B", "C", "D", "E", "F")
    assert g.index == {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "F": 5}
    assert g.width == 6


def test_each_row_is_identified_by_its_id_else_its_first_label_with_text() -> None:
    """Row 8's only label is a number: that row has no landmark (it is read where the rows around it are)."""
    g = sheet_guide(SHEET, WANTED)
    assert g.anchors == (
        Anchor(1, "A", "scorecard for ana", "Scorecard for Ana", "", False),
        Anchor(4, "A", "c1", "C1", "criteria", True),
        Anchor(5, "A", "c2", "C2", "criteria", True),
        Anchor(7, "B", "self readiness", "Self readiness", "", True),
        Anchor(10, "B", "a footnote", "A footnote", "", False),
    )


def test_without_soft_only_the_rows_read_are_landmarks() -> None:
    g = sheet_guide(SHEET, WANTED, soft=False)
    assert [a.row for a in g.anchors] == [4, 5, 7]
    assert not g.soft and sheet_guide(SHEET, WANTED).soft


def test_the_cells_read_their_keys_and_roles() -> None:
    g = sheet_guide(SHEET, WANTED)
    assert g.wanted == tuple((c.key, c.row, c.column) for c in WANTED)
    assert g.input_keys == ("criteria.C1.self", "criteria.C2.self")
    assert g.formula_keys == ("criteria.C1.points", "criteria.C2.points", "readiness.self")
    assert g.inputs_by_row == {4: frozenset({"criteria.C1.self"}), 5: frozenset({"criteria.C2.self"})}


def test_a_row_is_checked_by_its_first_and_last_label_with_text() -> None:
    g = sheet_guide(SHEET, WANTED)
    assert g.labels_by_row[4] == (("B", "runs discovery"), ("F", "note"))  # D4 between them is left out
    assert g.labels_by_row[5] == (("B", "writes the demo"),)
    assert g.labels_by_row[7] == (("B", "self readiness"),)  # A7 holds only a space
    assert g.labels_by_row[8] == ()  # a number is no label text


def test_columns_without_a_header_are_probed_by_their_first_label() -> None:
    g = sheet_guide(SHEET, WANTED)
    assert g.probes == (("D", 3, "weight 2"), ("F", 3, "note"))
    assert g.blind  # column E has neither header nor label


def test_a_sheet_whose_every_column_has_a_header_or_label_is_not_blind() -> None:
    sheet = SheetLayout("S", tuple(c for c in SHEET.cells if c.column != "E"))
    assert not sheet_guide(sheet, [c for c in sheet.cells if c.key and is_read(c)]).blind


def test_where_the_layout_put_every_cell() -> None:
    g = sheet_guide(SHEET, WANTED)
    assert (4, "E") in g.cell_at and (3, 2) in g.occupied and (9, 1) in g.occupied
    assert len(g.cell_at) == len(SHEET.cells) == len(g.occupied)
    assert g.last_row == 10
    assert g.identity == {r: r - 1 for r in range(1, 11)}


def test_a_sheet_without_inputs_has_no_header_row() -> None:
    sheet = SheetLayout("Guide", (Cell("A1", Role.LABEL, "Guide", "title"), Cell("A3", Role.LABEL, "Person id"),
                                  Cell("B3", Role.META, "ana", key="meta.person_id"),
                                  Cell("A5", Role.LABEL, "Score", "header")))
    g = sheet_guide(sheet, [c for c in sheet.cells if c.key])
    assert (g.header_row, g.headers) == (0, {})
    assert g.probes == (("A", 0, "guide"),) and g.blind
    assert [a.text for a in g.anchors] == ["guide", "person id", "score"]


def test_a_guide_is_compared_by_identity() -> None:
    one, two = sheet_guide(SHEET, WANTED), sheet_guide(SHEET, WANTED)
    assert one == one and one != two and len({one, two}) == 2


@pytest.mark.parametrize(("value", "text"), [
    ("Self (0-3)", "self (0-3)"), ("  Self\n(0-3) ", "self (0-3)"), ("SELF\t\t(0-3)", "self (0-3)"),
    (3.0, "3"), (2.5, "2.5"), (7, "7"), (None, ""), ("", ""), (True, "true"),
])
def test_norm_is_text_as_compared(value: object, text: str) -> None:
    assert norm(value) == text


def test_same_text_ignores_case_and_spacing() -> None:
    assert same_text("Self (0-3)", "self (0-3)")
    assert same_text("self  (0-3)", "self (0-3)")
    assert same_text(3.0, "3")
    assert not same_text("Self (0-4)", "self (0-3)")
    assert not same_text(None, "x")


def test_value_at_is_none_beyond_the_grid() -> None:
    grid = [["a", "b"], ["c"]]
    assert (value_at(grid, 0, 1), value_at(grid, 1, 0)) == ("b", "c")
    assert value_at(grid, 1, 1) is None and value_at(grid, 2, 0) is None


@pytest.mark.parametrize(("index", "name"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"),
                                             (701, "ZZ"), (702, "AAA")])
def test_letters_names_a_column(index: int, name: str) -> None:
    assert letters(index) == name


def test_columns_past_z_come_after_z_and_count_in_the_width() -> None:
    sheet = SheetLayout("Wide", (Cell("B1", Role.LABEL, "Text", "header"), Cell("AB1", Role.LABEL, "Far", "header"),
                                 Cell("B2", Role.INPUT, key="a.b"), Cell("AB2", Role.INPUT, key="a.c")))
    g = sheet_guide(sheet, [c for c in sheet.cells if c.key])
    assert g.columns == ("B", "AB") and g.width == 28


def test_a_row_id_holding_dots_belongs_to_its_block() -> None:
    sheet = SheetLayout("Dots", (Cell("A1", Role.LABEL, "ID", "header"),
                                 Cell("A2", Role.LABEL, "v1.2", key="rowid.criteria.v1.2"),
                                 Cell("B2", Role.INPUT, key="criteria.v1.2.self")))
    (anchor,) = sheet_guide(sheet, [c for c in sheet.cells if c.key]).anchors
    assert (anchor.block, anchor.shown) == ("criteria", "v1.2")


def test_a_sheet_with_one_header_has_its_header_row() -> None:
    sheet = SheetLayout("One", (Cell("B2", Role.LABEL, "Answer", "header"), Cell("B3", Role.INPUT, key="a.b")))
    g = sheet_guide(sheet, [c for c in sheet.cells if c.key])
    assert (g.header_row, g.headers) == (2, {"B": "answer"})
