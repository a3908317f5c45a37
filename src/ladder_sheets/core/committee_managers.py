"""The Managers sheets of the committee's workbook: each manager's SEs by band and mean scores beside the org's.

The figures are ``calibration``'s, per manager and rubric. The counts and means are
constants; what the sheet works out from them is a formula (each band's share, each
difference, each flag, the review Team page's own flag formula), and ``expected_managers``
says what each must show. Nothing here is read back. Pure.
"""

from __future__ import annotations

from .calibration import HIGHER, LOWER, Calibration, Line, band_names
from .cells import TITLE_HEIGHT, Cell, ConditionalRule, Role, SheetLayout, height, text_literal
from .model import CellValue, Ladder
from .review_team import flag_formula
from .styles import FILL

MANAGERS, BY_CRITERION = "Managers", "Managers by criterion"
_SCORE, _SIGNED = "0.0", "+0.0;-0.0;0.0"


def managers_sheets(ladder: Ladder, quarter: str, c: Calibration) -> tuple[SheetLayout, SheetLayout]:
    """Managers (per manager and rubric: SEs by band, count and share, and the overall mean against the org's) and
    Managers by criterion (the same per criterion)."""
    return _managers(ladder, quarter, c), _by_criterion(ladder, quarter, c)


def _caption(c: Calibration) -> str:
    return (f"Each manager's mean score over their SEs, beside the rest of the org's on the same rubric, the manager "
            f"left out. A difference of {c.alert:g} points or more is flagged once both sides have at least "
            f"{c.min_n} SE{'' if c.min_n == 1 else 's'}; below that: too few to tell. Scores: {c.source or 'none yet'}.")


def _managers(ladder: Ladder, quarter: str, c: Calibration) -> SheetLayout:
    bands = band_names(ladder)
    heads = ["Manager", "Rubric", "SEs", *(h for b in bands for h in (b, f"{b} share")), "Mean score", "n", "Org mean",
             "Org n", "Difference", "Flag"]
    cols = [_letter(i) for i in range(len(heads))]
    # Wide enough for each header's longest word ("Developing", "observed", "Difference") on one line.
    widths = {col: 10.5 for col in cols} | {"A": 18.0, "B": 24.0, "C": 6.0, cols[-1]: 17.0}
    caption = f"SEs by band, by their manager's scores. {_caption(c)}"
    cells = [Cell("A1", Role.LABEL, f"Calibration across managers: {quarter}", "title"),
             Cell("A2", Role.LABEL, caption, "note"),
             *(Cell(f"{col}4", Role.LABEL, h, "header") for col, h in zip(cols, heads))]
    heights = {1: TITLE_HEIGHT, 2: height([(caption, sum(widths.values()))]),
               4: height([(h, widths[col]) for col, h in zip(cols, heads)], bold=True)}
    r = 4
    for v in c.views:
        r += 1
        cells += [Cell(f"A{r}", Role.LABEL, v.manager_name, "wrap"), Cell(f"B{r}", Role.LABEL, v.title, "wrap"),
                  Cell(f"C{r}", Role.LABEL, v.people, "number")]
        counts = dict(v.bands)
        for i, b in enumerate(bands):
            n_at, share_at = cols[3 + 2 * i], cols[4 + 2 * i]
            cells += [Cell(f"{n_at}{r}", Role.LABEL, counts.get(b, 0), "number"),
                      Cell(f"{share_at}{r}", Role.FORMULA, f'=IF(C{r}=0,"",{n_at}{r}/C{r})', "formula",
                           f"managers.{v.manager_id}.{v.target}.share.{b}", number_format="0%")]
        cells += _line(ladder, v.overall, cols[3 + 2 * len(bands):], r, f"managers.{v.manager_id}.{v.target}")
        heights[r] = height([(v.manager_name, widths["A"]), (v.title, widths["B"])])
    if not c.views:
        cells.append(Cell("A5", Role.LABEL, "No manager has scored yet.", "label"))
    return SheetLayout(MANAGERS, tuple(cells), widths, heights, rules=(_flagged(cols[-1], 5, r),), freeze="C5",
                       merges=(f"A2:{cols[-1]}2",), print_rows="4:4")


def _by_criterion(ladder: Ladder, quarter: str, c: Calibration) -> SheetLayout:
    heads = ["Manager", "Rubric", "Criterion", "Mean score", "n", "Org mean", "Org n", "Difference", "Flag"]
    widths = {"A": 18.0, "B": 22.0, "C": 44.0, "D": 8.0, "E": 6.0, "F": 8.0, "G": 6.0, "H": 10.5, "I": 17.0}
    caption = f"Per criterion. {_caption(c)}"
    cells = [Cell("A1", Role.LABEL, f"Calibration across managers, per criterion: {quarter}", "title"),
             Cell("A2", Role.LABEL, caption, "note"),
             *(Cell(f"{_letter(i)}4", Role.LABEL, h, "header") for i, h in enumerate(heads))]
    heights = {1: TITLE_HEIGHT, 2: height([(caption, sum(widths.values()))]), 4: 30.0}
    r = 4
    for v in c.views:
        for text, x in v.criteria:
            r += 1
            label = f"{x.key}: {text}"
            cells += [Cell(f"A{r}", Role.LABEL, v.manager_name, "wrap"), Cell(f"B{r}", Role.LABEL, v.title, "wrap"),
                      Cell(f"C{r}", Role.LABEL, label, "wrap")]
            cells += _line(ladder, x, [_letter(i) for i in range(3, 9)], r, f"managers.{v.manager_id}.{v.target}.{x.key}")
            heights[r] = height([(label, widths["C"]), (v.title, widths["B"])])
    return SheetLayout(BY_CRITERION, tuple(cells), widths, heights, rules=(_flagged("I", 5, r),), freeze="D5",
                       merges=("A2:I2",), print_rows="4:4")


def _line(ladder: Ladder, x: Line, cols: list[str], r: int, k: str) -> list[Cell]:
    """Mean, n, org mean, org n (constants), then the difference and the flag (formulas), from ``cols``."""
    mean, n, org, org_n, diff, flag = (f"{col}{r}" for col in cols)
    return [Cell(mean, Role.LABEL, x.mean if x.mean is not None else "—", "number", number_format=_SCORE),
            Cell(n, Role.LABEL, x.n, "number"),
            Cell(org, Role.LABEL, x.org_mean if x.org_mean is not None else "—", "number", number_format=_SCORE),
            Cell(org_n, Role.LABEL, x.org_n, "number"),
            Cell(diff, Role.FORMULA, f'=IF(AND(ISNUMBER({mean}),ISNUMBER({org})),{mean}-{org},"")', "formula",
                 f"{k}.difference", number_format=_SIGNED),
            Cell(flag, Role.FORMULA, flag_formula(ladder, mean, n, org, org_n, diff), "formula", f"{k}.flag")]


def _flagged(col: str, first: int, last: int) -> ConditionalRule:
    at = f"{col}{first}"
    return ConditionalRule(f"{at}:{col}{max(first, last)}",
                           f"OR({at}={text_literal(HIGHER)},{at}={text_literal(LOWER)})", FILL["close"])


def _letter(i: int) -> str:
    return chr(65 + i) if i < 26 else chr(64 + i // 26) + chr(65 + i % 26)


def expected_managers(ladder: Ladder, c: Calibration) -> dict[str, CellValue]:
    """What each formula of the Managers sheet must show."""
    out: dict[str, CellValue] = {}
    for v in c.views:
        k = f"managers.{v.manager_id}.{v.target}"
        counts = dict(v.bands)
        out |= {f"{k}.share.{b}": counts.get(b, 0) / v.people if v.people else "" for b in band_names(ladder)}
        for sub, x in ((k, v.overall), *((f"{k}.{x.key}", x) for _, x in v.criteria)):
            out |= {f"{sub}.difference": "" if x.difference is None else x.difference, f"{sub}.flag": x.flag}
    return out
