"""Small sheets built by hand for core.locate's tests: a scorecard-shaped table (headers, row ids, labelled rows,
a column with neither header nor label) and a Guide without a header row. Each read cell holds its own key
(``<criteria.C1.self>``), so a value read from the wrong cell can never pass."""

from __future__ import annotations

from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.inputs import RawValue
from ladder_sheets.core.landmarks import SheetGuide, sheet_guide
from ladder_sheets.core.locate import Found
from ladder_sheets.core.readplan import is_read
from ladder_sheets.core.results import Severity
from tests.support.books import Grid, laid_out


IDS = ("C1", "C2", "C3")
TEXTS = {"C1": "Runs discovery", "C2": "Writes the demo", "C3": "Leads the proof"}
WEIGHTS = {"C1": "weight 2", "C2": "weight 1", "C3": "weight 3"}


def scorecard() -> SheetLayout:
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


SHEET = scorecard()


def guide(sheet: SheetLayout = SHEET, soft: bool = True) -> SheetGuide:
    return sheet_guide(sheet, [c for c in sheet.cells if c.key and is_read(c)], soft=soft)


def own(sheet: SheetLayout = SHEET) -> dict[str, RawValue]:
    return {c.key: f"<{c.key}>" for c in sheet.cells if c.role in (Role.INPUT, Role.FORMULA)}


def grid(sheet: SheetLayout = SHEET) -> Grid:
    return laid_out(WorkbookLayout(None, "", "", (sheet,)), own(sheet))[sheet.title]


def expected(sheet: SheetLayout = SHEET) -> dict[str, RawValue]:
    values = own(sheet)
    return {c.key: values.get(c.key, c.value) for c in sheet.cells if c.key and is_read(c)}


def notes(found: Found) -> list[tuple[str, str, str, Severity]]:
    return found.notes


def move_column(grid: Grid, src: int, dst: int) -> Grid:
    out = []
    for line in grid:
        line = list(line)
        line.insert(dst, line.pop(src))
        out.append(line)
    return out


def blank_rows(grid: Grid, n: int) -> Grid:
    return [[""] * len(grid[0]) for _ in range(n)]


def insert_rows(grid: Grid, at: int, n: int = 1) -> Grid:
    return [*grid[:at], *blank_rows(grid, n), *grid[at:]]


def moved(keys_and_refs: dict[str, str]) -> dict[str, str]:
    return keys_and_refs


GUIDE = SheetLayout("Guide", (
    Cell("A1", Role.LABEL, "Your quarterly scorecard", "title"),
    Cell("A3", Role.LABEL, "Person id"), Cell("B3", Role.META, "ana-lima", key="meta.person_id"),
    Cell("A4", Role.LABEL, "Quarter"), Cell("B4", Role.META, "2026-Q4", key="meta.quarter"),
))


def guide_grid() -> Grid:
    return laid_out(WorkbookLayout(None, "", "", (GUIDE,)))["Guide"]
