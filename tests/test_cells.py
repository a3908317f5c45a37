"""Cell helpers every layout shares (core/cells.py)."""

from __future__ import annotations

from dataclasses import replace

from openpyxl.formula.tokenizer import Token, Tokenizer

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Cell, Role, SheetLayout, WorkbookLayout, header_cells, height, number_literal, text_literal
from ladder_sheets.core.model import Ladder, Roster
from tests.conftest import DUE, QUARTER


def test_a_text_in_a_formula_keeps_its_quotes() -> None:
    assert text_literal('Ready "now"') == '"Ready ""now"""'
    assert text_literal("") == '""'


def test_a_band_named_with_quotes_gives_formulas_that_parse_and_name_it(ladder: Ladder, roster: Roster) -> None:
    """A ladder may call a band 'Ready "now"': every formula of the scorecard still parses, and its band
    formula names the band as written (the quotes doubled inside the formula, as spreadsheets read them)."""
    top = ladder.bands[0]
    quoted = replace(ladder, bands=(replace(top, name='Ready "now"'), *ladder.bands[1:]))
    person = next(p for p in roster.people if p.level != p.target_level)
    texts: set[str] = set()
    for sheet in layout.build(quoted, roster, person, QUARTER, DUE).sheets:
        for cell in sheet.cells:
            if cell.role is Role.FORMULA and isinstance(cell.value, str):
                tokens = Tokenizer(cell.value).items
                texts |= {t.value[1:-1].replace('""', '"') for t in tokens
                          if t.type == Token.OPERAND and t.subtype == Token.TEXT}
    assert 'Ready "now"' in texts


def test_a_number_in_a_formula_is_written_exactly_as_held() -> None:
    """Whole numbers without a decimal point (what a person would type); others in full, so the formula
    computes with the same number the scoring does."""
    assert [number_literal(x) for x in (3, 3.0, -2.0, 0.0)] == ["3", "3", "-2", "0"]
    assert number_literal(0.1 + 0.2) == "0.30000000000000004"
    assert float(number_literal(2 / 3)) == 2 / 3


def test_a_row_is_as_tall_as_its_longest_wrapped_text() -> None:
    one = height([("short", 30)])
    assert one == height([("", 30)]) == height([]) > 0  # a row holds one line at least
    assert height([("word " * 20, 30)]) > one  # 100 characters do not fit in 30: the text wraps
    assert height([("word " * 20, 120)]) < height([("word " * 20, 30)])  # wider, fewer lines
    assert height([("a\nb\nc", 30)]) == height([("a", 30), ("b\nc\nd", 30)]) > height([("a\nb", 30)])
    assert height([("x" * 60, 30), ("y" * 10, 30)]) == height([("x" * 60, 30)])  # the tallest cell decides
    assert height([("x" * 26, 30)], bold=True) > height([("x" * 26, 30)])  # bold letters are wider
    assert height([("a\nb", 30)], line=20) - height([("a", 30)], line=20) == 20  # one more line, one more line high
    assert height([("x" * 50, 0.5)]) >= height([("x" * 50, 1)])  # no width is no room, never a division by zero


def _sheet(*cells: Cell) -> SheetLayout:
    return SheetLayout("Scorecard", cells)


def test_the_header_row_is_the_last_above_the_first_input() -> None:
    """A sheet may have a title row styled as a header above its table: columns are found by the table's."""
    title = Cell("A1", Role.LABEL, "Scorecard", style="header")
    heads = (Cell("A3", Role.LABEL, "Criterion", style="header"), Cell("B3", Role.LABEL, "Self", style="header"))
    below = Cell("A9", Role.LABEL, "Totals", style="header")  # below the first input: a footer, not the header
    sheet = _sheet(title, *heads, Cell("A4", Role.LABEL, "SR-01"), Cell("B4", Role.INPUT, key="k"), below)
    assert header_cells(sheet) == heads
    beside = Cell("A4", Role.LABEL, "SR-01", style="header")  # a row label styled so, beside the first input
    assert header_cells(_sheet(*heads, beside, Cell("B4", Role.INPUT, key="k"))) == heads


def test_a_sheet_without_inputs_has_no_header_row() -> None:
    """The Guide's reference tables have header-styled labels; nobody fills them in, so none is a header."""
    assert header_cells(_sheet(Cell("A1", Role.LABEL, "Levels", style="header"), Cell("A2", Role.LABEL, "Core"))) == ()
    assert header_cells(_sheet(Cell("A5", Role.INPUT, key="k"))) == ()  # inputs without any header above


def test_a_workbook_lists_its_cells_in_sheet_order_and_by_role() -> None:
    a = _sheet(Cell("A1", Role.LABEL, "x"), Cell("B1", Role.INPUT, key="a.in"))
    b = SheetLayout("Other", (Cell("A1", Role.FORMULA, "=1", key="b.f"), Cell("A2", Role.INPUT, key="b.in")))
    wl = WorkbookLayout(None, QUARTER, "v1", (a, b))
    assert [c.ref for _, c in wl.cells()] == ["A1", "B1", "A1", "A2"]
    assert [(s.title, c.key) for s, c in wl.cells(Role.INPUT)] == [("Scorecard", "a.in"), ("Other", "b.in")]
    assert list(wl.cells(Role.META)) == []
    assert set(wl.by_key()) == {"a.in", "b.f", "b.in"}
