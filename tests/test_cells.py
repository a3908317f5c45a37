"""Cell helpers every layout shares (core/cells.py)."""

from __future__ import annotations

from dataclasses import replace

from openpyxl.formula.tokenizer import Token, Tokenizer

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Role, text_literal
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
