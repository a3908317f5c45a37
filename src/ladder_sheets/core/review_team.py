"""The Team page of a manager's review: their own distribution, live as they score, beside the org's.

Per rubric among the manager's SEs: how many of them each band holds by the manager's
scores, and per criterion the manager's mean score (with n) against the org's mean for
the same rubric and criterion, leaving this manager out (with its n). The org's figures
are constants worked out when the review is written (``calibration.org_figures``); the
manager's are formulas over their SE sheets, each criterion found by its id (a sorted sheet
stays right). A difference is flagged only when both sides have ``Ladder.calibration_min_n``
SEs or more; below that the page says "too few to tell". ``expected_team`` says what each
formula must show, through ``calibration.line``: the figures' one implementation. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .cells import TITLE_HEIGHT, Cell, ConditionalRule, Role, SheetLayout, height, number_literal, text_literal
from .calibration import HIGHER, IN_LINE, LOWER, NO_ORG, TOLERANCE, TOO_FEW, OrgFigures, line, threshold
from .model import INCOMPLETE_BAND, CellValue, Ladder, Manager, Person
from .styles import FILL

_COLUMNS = (("A", "ID", 8), ("B", "Criterion", 42), ("C", "Your mean", 10), ("D", "Your n", 8), ("E", "Org mean", 10),
            ("F", "Org n", 8), ("G", "Difference", 11), ("H", "Flag", 22))


def team_sheet(ladder: Ladder, manager: Manager, quarter: str, people: Sequence[tuple[Person, str]],
               org: OrgFigures, first: int, col: Mapping[str, str]) -> SheetLayout:
    """The Team page over ``people`` (each with their sheet's name); ``first`` and ``col`` say where
    an SE sheet holds its criterion rows, ids, scores and band."""
    widths = {c: w for c, _, w in _COLUMNS}
    full = sum(widths.values())
    source = f"Org figures: {org.source}." if org.source else "Org figures: none yet (no other manager's scores)."
    caption = (f"Your figures follow your scores as you type. Your mean per criterion is over your SEs on the same "
               f"rubric; the org's leaves you out. {source} A difference of {threshold(ladder):g} points or more is "
               f"flagged once both sides have at least {ladder.calibration_min_n} SEs; below that: {TOO_FEW}.")
    cells = [Cell("A1", Role.LABEL, f"Your scores beside the org's: {manager.name}, {quarter}", "title"),
             Cell("A2", Role.LABEL, caption, "note")]
    heights: dict[int, float] = {1: TITLE_HEIGHT, 2: height([(caption, full)])}
    merges, r = ["A2:H2"], 4
    rules: list[ConditionalRule] = []
    for target in dict.fromkeys(p.target_level for p, _ in people):
        mine = [(p, title) for p, title in people if p.target_level == target]
        block, r = _rubric_block(ladder, target, mine, org, first, col, r, heights, merges, rules)
        cells += block
    return SheetLayout("Team", tuple(cells), widths, heights, rules=tuple(rules), merges=tuple(merges))


def _rubric_block(ladder: Ladder, target: str, people: Sequence[tuple[Person, str]], org: OrgFigures, first: int,
                  col: Mapping[str, str], r: int, heights: dict[int, float], merges: list[str],
                  rules: list[ConditionalRule]) -> tuple[list[Cell], int]:
    """One rubric's bands and criteria from row ``r``: the cells and the next free row."""
    rubric = ladder.rubric_for(target)
    n = len(people)
    cells = [Cell(f"A{r}", Role.LABEL, f"{rubric.title}: {n} of your SE{'s' if n != 1 else ''}", "heading")]
    merges.append(f"A{r}:H{r}")
    r += 1
    cells += [Cell(f"B{r}", Role.LABEL, "Band (by your scores)", "header"), Cell(f"C{r}", Role.LABEL, "SEs", "header")]
    band_row = first + len(rubric.criteria) + 2  # an SE sheet's band: two rows under its last criterion
    for name in (*(b.name for b in ladder.bands), INCOMPLETE_BAND):
        r += 1
        tests = "+".join(f"({_ref(title, col['anchor'], band_row)}={text_literal(name)})" for _, title in people)
        cells += [Cell(f"B{r}", Role.LABEL, name, "wrap"),
                  Cell(f"C{r}", Role.FORMULA, f"=0+{tests}", "formula", f"team.{target}.band.{name}")]
    r += 2
    cells += [Cell(f"{c}{r}", Role.LABEL, h, "header") for c, h, _ in _COLUMNS]
    last = first + len(rubric.criteria) - 1
    start = r + 1
    for c in rubric.criteria:
        r += 1
        cells += _criterion_line(ladder, target, c.id, c.text, people, org, first, last, col, r)
        heights[r] = height([(c.text, 42)])
    rules.append(ConditionalRule(f"H{start}:H{r}", f'OR(H{start}="{HIGHER}",H{start}="{LOWER}")', FILL["close"]))
    return cells, r + 2


def _criterion_line(ladder: Ladder, target: str, cid: str, text: str, people: Sequence[tuple[Person, str]],
                    org: OrgFigures, first: int, last: int, col: Mapping[str, str], r: int) -> list[Cell]:
    """One criterion's row: the manager's mean and n (formulas), the org's (constants), the difference, the flag."""
    ids = [f"{_sheet(t)}!${col['id']}${first}:${col['id']}${last}" for _, t in people]
    scores = [f"{_sheet(t)}!${col['manager']}${first}:${col['manager']}${last}" for _, t in people]
    cid_text = text_literal(cid)
    count = "+".join(f'COUNTIFS({i},{cid_text},{s},">=0")' for i, s in zip(ids, scores))
    total = "+".join(f"SUMIF({i},{cid_text},{s})" for i, s in zip(ids, scores))
    mean, org_n = org.means.get((target, cid), (None, 0))
    k = f"team.{target}.{cid}"
    flag = flag_formula(ladder, f"C{r}", f"D{r}", f"E{r}", f"F{r}", f"G{r}")
    return [
        Cell(f"A{r}", Role.LABEL, cid, "id"),
        Cell(f"B{r}", Role.LABEL, text, "wrap"),
        Cell(f"C{r}", Role.FORMULA, f'=IF(D{r}=0,"",({total})/D{r})', "formula", f"{k}.mean", number_format="0.0"),
        Cell(f"D{r}", Role.FORMULA, f"={count}", "formula", f"{k}.n"),
        Cell(f"E{r}", Role.LABEL, "—" if mean is None else mean, "carry_number", number_format="0.0"),
        Cell(f"F{r}", Role.LABEL, org_n, "carry_number"),
        Cell(f"G{r}", Role.FORMULA, f'=IF(AND(ISNUMBER(C{r}),ISNUMBER(E{r})),C{r}-E{r},"")', "formula",
             f"{k}.difference", number_format="+0.0;-0.0;0.0"),
        Cell(f"H{r}", Role.FORMULA, flag, "formula", f"{k}.flag"),
    ]


def flag_formula(ladder: Ladder, mean: str, n: str, org_mean: str, org_n: str, diff: str) -> str:
    """``calibration.line``'s flag as a formula over the cells holding the mean, n, the org's, and the difference."""
    low, alert = ladder.calibration_min_n, number_literal(threshold(ladder) - TOLERANCE)
    return (f'=IF(NOT(ISNUMBER({mean})),"",IF(NOT(ISNUMBER({org_mean})),{text_literal(NO_ORG)},'
            f'IF(OR({n}<{low},{org_n}<{low}),{text_literal(TOO_FEW)},IF(ABS({diff})>={alert},'
            f'IF({diff}>0,{text_literal(HIGHER)},{text_literal(LOWER)}),{text_literal(IN_LINE)}))))')


def _sheet(title: str) -> str:
    """A sheet name as a formula names it: quoted, quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def _ref(title: str, column: str, row: int) -> str:
    return f"{_sheet(title)}!${column}${row}"


def expected_team(ladder: Ladder, people: Sequence[Person], bands: Mapping[str, str],
                  scores: Mapping[str, Mapping[str, float | None]], org: OrgFigures) -> dict[str, CellValue]:
    """What each formula of the Team page must show, from each SE's band and manager scores (by person id)."""
    out: dict[str, CellValue] = {}
    for target in dict.fromkeys(p.target_level for p in people):
        mine = [p for p in people if p.target_level == target]
        for name in (*(b.name for b in ladder.bands), INCOMPLETE_BAND):
            out[f"team.{target}.band.{name}"] = sum(1 for p in mine if bands[p.id] == name)
        for c in ladder.rubric_for(target).criteria:
            x = line(ladder, target, c.id, [v for p in mine if (v := scores.get(p.id, {}).get(c.id)) is not None], org)
            k = f"team.{target}.{c.id}"
            out |= {f"{k}.mean": "" if x.mean is None else x.mean, f"{k}.n": x.n,
                    f"{k}.difference": "" if x.difference is None else x.difference, f"{k}.flag": x.flag}
    return out
