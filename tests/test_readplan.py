"""core.readplan: which cells of a layout a reader reads, sheet by sheet (pure)."""

from __future__ import annotations

import pytest

from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.readplan import SheetPlan, column_index, is_read, plan

LAYOUT = WorkbookLayout(None, "", "", (
    SheetLayout("Guide", (Cell("A1", Role.LABEL, "Guide", "title"),
                          Cell("B3", Role.META, "ana", key="meta.person_id"))),
    SheetLayout("Notes", (Cell("A1", Role.LABEL, "Just text"), Cell("A2", Role.LABEL, "x", key="label.x"))),
    SheetLayout("Scorecard", (
        Cell("A4", Role.LABEL, "C1", key="rowid.criteria.C1"), Cell("B4", Role.LABEL, "Runs discovery"),
        Cell("C4", Role.INPUT, key="criteria.C1.self"), Cell("AB9", Role.FORMULA, "=1", key="readiness.self"),
        Cell("D4", Role.RESERVED, key="criteria.C1.manager"), Cell("E4", Role.INPUT))),
))


def test_is_read_takes_what_is_typed_or_calculated_and_the_row_ids() -> None:
    assert is_read(Cell("A1", Role.INPUT)) and is_read(Cell("A1", Role.FORMULA)) and is_read(Cell("A1", Role.META))
    assert is_read(Cell("A1", Role.RESERVED))
    assert is_read(Cell("A1", Role.LABEL, "C1", key="rowid.criteria.C1"))
    assert not is_read(Cell("A1", Role.LABEL, "Runs discovery"))
    assert not is_read(Cell("A1", Role.LABEL, "x", key="label.x"))


def test_a_plan_reads_each_sheet_s_keyed_cells_down_to_its_last() -> None:
    assert plan(LAYOUT).sheets == (
        SheetPlan("Guide", 3, (("meta.person_id", 2, 1),)),
        SheetPlan("Scorecard", 9, (("rowid.criteria.C1", 3, 0), ("criteria.C1.self", 3, 2),
                                   ("readiness.self", 8, 27), ("criteria.C1.manager", 3, 3))),
    )


def test_a_plan_of_some_roles_leaves_out_the_sheets_without_them() -> None:
    assert plan(LAYOUT, (Role.INPUT,)).sheets == (SheetPlan("Scorecard", 4, (("criteria.C1.self", 3, 2),)),)
    assert plan(LAYOUT, (Role.META, Role.FORMULA)).sheets == (
        SheetPlan("Guide", 3, (("meta.person_id", 2, 1),)), SheetPlan("Scorecard", 9, (("readiness.self", 8, 27),)))


@pytest.mark.parametrize(("name", "index"), [("A", 0), ("Z", 25), ("AA", 26), ("AZ", 51), ("BA", 52), ("ZZ", 701),
                                             ("AAA", 702)])
def test_column_index_counts_from_a(name: str, index: int) -> None:
    assert column_index(name) == index
