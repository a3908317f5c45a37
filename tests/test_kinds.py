"""core.kinds: the Guide every workbook of another kind starts with, and the probe that tells its kind.

A kind's Guide is read back by content (``probe``, through the landmarks of any sheet): these tests
build a Guide, lay it out on a grid as the writer would, edit it as people do, and read the kind back.
"""

from __future__ import annotations

from ladder_sheets.core import kinds
from ladder_sheets.core.cells import GUIDE, TITLE_HEIGHT, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.reading import read, shape
from tests.support.books import Book, laid_out

FACTS = [("Manager", "Amara Okafor", "meta.manager_id"), ("Quarter", "2026-Q4", "meta.quarter")]
TEXTS = [("How to fill it in", "heading"), ("Score each SE in the Manager column.", "paragraph")]
TABLE = [("Score", "Means", "Example"), ("0", "Not yet", "Never ran a POC"), ("3", "Role model", "Teaches it")]


def _guide(kind: str = kinds.MANAGER_REVIEW, table: list[tuple[str, str, str]] = TABLE) -> SheetLayout:
    return kinds.kind_guide(kind, "Apex ladder: 2026-Q4 manager review", FACTS, TEXTS, table)


def _by_ref(sheet: SheetLayout) -> dict[str, tuple[Role, object, str, str]]:
    return {c.ref: (c.role, c.value, c.style, c.key) for c in sheet.cells}


def test_a_kind_guide_has_its_title_then_the_kind_then_each_fact() -> None:
    sheet = _guide()
    cells = _by_ref(sheet)
    assert sheet.title == GUIDE
    assert cells["A1"] == (Role.LABEL, "Apex ladder: 2026-Q4 manager review", "title", "")
    assert cells["A3"] == (Role.LABEL, "Workbook", "label", "")
    assert cells["B3"] == (Role.META, kinds.MANAGER_REVIEW, "text", kinds.KIND_KEY)
    assert cells["A4"] == (Role.LABEL, "Manager", "label", "")
    assert cells["B4"] == (Role.META, "Amara Okafor", "text", "meta.manager_id")
    assert cells["A5"] == (Role.LABEL, "Quarter", "label", "")
    assert cells["B5"] == (Role.META, "2026-Q4", "text", "meta.quarter")
    assert "A6" not in cells  # a blank row between the facts and the text


def test_the_paragraphs_follow_a_blank_row_and_the_table_another() -> None:
    sheet = _guide()
    cells = _by_ref(sheet)
    assert cells["A7"] == (Role.LABEL, "How to fill it in", "heading", "")
    assert cells["A8"] == (Role.LABEL, "Score each SE in the Manager column.", "paragraph", "")
    assert "A9" not in cells
    assert [cells[f"{c}10"] for c in "ABC"] == [(Role.LABEL, t, "header", "") for t in TABLE[0]]
    assert [cells[f"{c}12"][1] for c in "ABC"] == list(TABLE[2])
    assert cells["A12"][2] == "wrap"
    assert sheet.merges == ("A7:C7", "A8:C8")


def test_a_kind_guide_is_as_wide_and_tall_as_the_guide_writes_it() -> None:
    sheet = _guide()
    assert dict(sheet.widths) == {"A": 22, "B": 50, "C": 50}
    assert sheet.heights[1] == TITLE_HEIGHT
    assert {7, 8, 10, 11, 12} <= set(sheet.heights)


def test_without_a_table_the_guide_ends_with_its_text() -> None:
    sheet = _guide(table=[])
    assert max(c.row for c in sheet.cells) == 8


def _kind_read(sheet: SheetLayout, edit: int = 0) -> object:
    grids = laid_out(WorkbookLayout(None, "", "", (sheet,)))
    grid = grids[GUIDE]
    for _ in range(edit):
        grid.insert(1, [""] * len(grid[0]))
    return read(shape(kinds.probe()), Book(grids), "review.xlsx").values.get(kinds.KIND_KEY)


def test_the_probe_reads_the_kind_of_any_kind_guide() -> None:
    assert _kind_read(_guide()) == kinds.MANAGER_REVIEW
    assert _kind_read(_guide(kinds.PEER_INPUT)) == kinds.PEER_INPUT
    assert _kind_read(_guide(kinds.COMMITTEE, table=[])) == kinds.COMMITTEE


def test_the_probe_finds_the_kind_after_rows_were_inserted_above_it() -> None:
    assert _kind_read(_guide(), edit=3) == kinds.MANAGER_REVIEW


def test_the_probe_is_the_guide_s_workbook_fact_alone() -> None:
    wl = kinds.probe()
    (sheet,) = wl.sheets
    assert (wl.person, sheet.title) == (None, GUIDE)
    assert _by_ref(sheet) == {"A3": (Role.LABEL, "Workbook", "label", ""),
                              "B3": (Role.META, None, "text", kinds.KIND_KEY)}


def test_the_kinds_are_named_as_people_read_them() -> None:
    assert (kinds.KIND_KEY, kinds.MANAGER_REVIEW, kinds.PEER_INPUT, kinds.COMMITTEE) == (
        "meta.workbook", "Manager review", "Peer input", "Committee calibration")
