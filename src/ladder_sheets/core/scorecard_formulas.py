"""The scorecard's result formulas, as scoring.py defines each number: readiness, band, hold reason.

Apart from layout.py (which places them) so each stays readable. A must-have is found by its id
(COUNTIFS and INDEX/MATCH over the ID column), never by a fixed row, so a sort of the criteria
keeps the sheet's own band right. Every formula works in Excel, LibreOffice and Google Sheets:
no array entry, no IF inside SUMPRODUCT. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cells import number_literal, text_literal
from .model import INCOMPLETE_BAND, NOT_ENOUGH_OBSERVED, Criterion, Ladder


@dataclass(frozen=True)
class Columns:
    """The scorecard's criterion rows as ranges: ids, criterion texts, weights, and one column of scores."""

    ids: str
    texts: str
    weights: str
    scores: str
    na: str  # the "not observed yet" label as a formula literal

    def scored(self) -> str:
        """How many criteria are scored, a number or "not observed yet"."""
        return f"COUNT({self.scores})+COUNTIF({self.scores},{self.na})"

    def observed_weight(self) -> str:
        return f"SUMPRODUCT({self.weights},--ISNUMBER({self.scores}))"

    def under(self, c: Criterion) -> str:
        """How many rows hold criterion ``c`` scored under its floor: found by its id, so a sort keeps it right."""
        return f'COUNTIFS({self.ids},{text_literal(c.id)},{self.scores},"<{c.floor}")'

    def of(self, column: str, c: Criterion) -> str:
        """Criterion ``c``'s cell in ``column`` (a range of the criterion rows), found by its id."""
        return f"INDEX({column},MATCH({text_literal(c.id)},{self.ids},0))"


def points(score: str, weight: str) -> str:
    """A criterion's weighted points (its ``score`` and ``weight`` cells): blank until it is scored with a number."""
    # ISNUMBER, not ="": a score cell may hold "not observed yet", which no product takes.
    return f'=IF(ISNUMBER({score}),{score}*{weight},"")'


def readiness(ladder: Ladder, col: Columns) -> str:
    """scoring.readiness: blank until every criterion is scored and enough of the rubric is observed."""
    observed = col.observed_weight()
    share = number_literal(ladder.not_observed.min_share)
    # SUMPRODUCT takes text (n/o) as 0, as it does a blank; never the points column, which a user may overwrite.
    return (f'=IF({col.scored()}<ROWS({col.scores}),"",IF({observed}/SUM({col.weights})<{share},"",'
            f'SUMPRODUCT({col.weights},{col.scores})/({ladder.scale.max}*{observed})))')


def scored(col: Columns) -> str:
    """"10 of 10", and "(2 not observed yet)" when some are."""
    na = f"COUNTIF({col.scores},{col.na})"
    return f'={col.scored()}&" of "&ROWS({col.scores})&IF({na}>0," ("&{na}&" not observed yet)","")'


def band_expr(ladder: Ladder, pct: str, must: tuple[Criterion, ...] = (), col: Columns | None = None) -> str:
    """The band chain: a band is skipped while a must-have that blocks it is under its floor."""
    expr = text_literal(ladder.bands[-1].name)
    for b in reversed(ladder.bands[:-1]):
        test = f"{pct}>={number_literal(b.min_pct)}"
        blockers = [col.under(c) for c in must if b.name in ladder.blocked_bands(c)] if col is not None else []
        if blockers:
            test = f"AND({test},{'+'.join(blockers)}=0)"
        expr = f"IF({test},{text_literal(b.name)},{expr})"
    return expr


def band(ladder: Ladder, must: tuple[Criterion, ...], pct: str, col: Columns) -> str:
    """scoring's band: Incomplete while a criterion is blank, "Not enough observed" under the observed share."""
    short = f'IF({col.scored()}<ROWS({col.scores}),{text_literal(INCOMPLETE_BAND)},{text_literal(NOT_ENOUGH_OBSERVED)})'
    return f'=IF({pct}="",{short},{band_expr(ladder, pct, must, col)})'


def hold(ladder: Ladder, must: tuple[Criterion, ...], col: Columns, pct: str, band_cell: str) -> str:
    """Why ``band_cell`` is below the points' band, as scoring.hold_reason words it; "" when it is not.

    It names the must-haves under their floor that block the points' band, each found by its id.
    """
    points = band_expr(ladder, pct)
    parts = "&".join(
        f'IF(AND({col.under(c)}>0,{in_bands(ladder, pct, ladder.blocked_bands(c))}),"; "&{col.of(col.texts, c)}&'
        f'" scored "&{col.of(col.scores, c)}&" (must be at least {c.floor})","")' for c in must)
    return (f'=IF(OR({pct}="",{points}={band_cell}),"",'
            f'{points}&" on points, held at "&{band_cell}&": "&MID({parts},3,32767))')


def in_bands(ladder: Ladder, pct: str, names: frozenset[str]) -> str:
    """A condition true when readiness ``pct`` earns, on points, one of the bands ``names``."""
    bands, tests, i = ladder.bands, [], 0
    while i < len(bands):
        if bands[i].name not in names:
            i += 1
            continue
        j = i  # a run of bands, i (highest) to j: one test
        while j + 1 < len(bands) and bands[j + 1].name in names:
            j += 1
        test = f"{pct}>={number_literal(bands[j].min_pct)}"
        tests.append(test if i == 0 else f"AND({test},{pct}<{number_literal(bands[i - 1].min_pct)})")
        i = j + 1
    return "FALSE" if not tests else tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
