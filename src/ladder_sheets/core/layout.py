"""ONE description of every sheet: which cell holds what, which are inputs, which formulas.

The Excel writer, the Google Sheets writer and both readers all walk this description,
so what is written and what is read back can never drift apart. Formulas here mirror
scoring.py; ``expected_values`` states what each formula cell must show, and the
formula-oracle tests hold LibreOffice's recalculation to it.

Pure: no I/O, no spreadsheet library.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from . import scoring
from .model import CellValue, Criterion, Inputs, Ladder, Person, Roster, Rubric, StrEnum
from .styles import FILL

LAYOUT_VERSION = 2


class Role(StrEnum):
    LABEL = "label"  # fixed text or number written by the tool
    INPUT = "input"  # typed by the SE or the manager
    FORMULA = "formula"  # calculated by the spreadsheet
    META = "meta"  # identifies the workbook (person, quarter, template version)


class Editor(StrEnum):
    """Who fills an input cell (Google Sheets protects manager cells from the SE)."""

    SE = "se"
    MANAGER = "manager"


class Check(StrEnum):
    """What an input cell accepts: enforced by data validation and again when read back."""

    SCORE = "score"  # whole number 0..scale max, from a dropdown
    NUMBER = "number"  # any number >= 0
    PERCENT = "percent"  # whole number of percent 0..1000
    CHOICE = "choice"  # one of Validation.options
    TEXT = "text"  # free text up to Validation.maximum characters


@dataclass(frozen=True)
class Validation:
    check: Check
    minimum: float = 0
    maximum: float = 0
    options: tuple[str, ...] = ()
    title: str = ""
    message: str = ""  # shown when a value is rejected, and in collect's problem text


@dataclass(frozen=True)
class Cell:
    ref: str  # A1 reference within its sheet, e.g. "G6"
    role: Role
    value: CellValue = None  # label/meta text or number; a formula starting with "="
    style: str = "text"
    key: str = ""  # logical name: inputs, formula results, row ids and meta are found by it
    validation: Validation | None = None
    editor: Editor = Editor.SE
    name: str = ""  # workbook-level defined name
    number_format: str = ""

    @property
    def column(self) -> str:
        return self.ref.rstrip("0123456789")

    @property
    def row(self) -> int:
        return int(self.ref[len(self.column):])


@dataclass(frozen=True)
class ConditionalRule:
    """Fill ``range`` when ``formula`` (written for its top-left cell) is true."""

    range: str
    formula: str
    fill: str  # hex RGB
    font: str = ""


@dataclass(frozen=True)
class SheetLayout:
    title: str
    cells: tuple[Cell, ...]
    widths: Mapping[str, float] = field(default_factory=dict)
    heights: Mapping[int, float] = field(default_factory=dict)
    hidden_columns: tuple[str, ...] = ()
    rules: tuple[ConditionalRule, ...] = ()
    freeze: str = ""
    merges: tuple[str, ...] = ()  # ranges shown as one cell (long wrapped text)
    # Printing: a new page starts after each of these columns (instead of shrinking every
    # column onto one page width), at ``print_scale`` percent; ``print_columns`` and
    # ``print_rows`` repeat on every page (e.g. "A:A", "5:5").
    print_breaks: tuple[str, ...] = ()
    print_scale: int = 0  # 0: fit every column on one page width
    print_columns: str = ""
    print_rows: str = ""


@dataclass(frozen=True)
class WorkbookLayout:
    person: Person
    quarter: str
    template_version: str
    sheets: tuple[SheetLayout, ...]

    def cells(self, role: Role | None = None) -> Iterator[tuple[SheetLayout, Cell]]:
        for sheet in self.sheets:
            for cell in sheet.cells:
                if role is None or cell.role is role:
                    yield sheet, cell

    def by_key(self) -> dict[str, tuple[SheetLayout, Cell]]:
        return {cell.key: (sheet, cell) for sheet, cell in self.cells() if cell.key}


# ---- sheet names and styles shared by writers ------------------------------------------

GUIDE, SCORECARD, METRICS, PIVOTS, READOUT = "Guide", "Scorecard", "Impact metrics", "Pivot matrix", "Promotion read-out"
PRINT_SCALE = 85  # percent: 11-point text prints at ~9 points


def template_version(ladder: Ladder) -> str:
    return f"{ladder.id}@{ladder.version}/layout-{LAYOUT_VERSION}"


def number_literal(x: float) -> str:
    """A number as a formula literal, exactly as Python holds it."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def text_literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def height(texts_and_widths: list[tuple[str, float]], line: float = 15.0, bold: bool = False) -> float:
    """Row height that shows wrapped text as generated: LibreOffice does not size rows on opening.

    Writers store it as the row's current height, not a fixed one, so every app grows the
    row again when someone types more into it.
    """
    per_char = 1.2 if bold else 1.1
    lines = 0
    for text, width in texts_and_widths:
        if text:
            usable = max(width - 1, 1)
            lines = max(lines, sum(max(1, math.ceil(len(part) * per_char / usable)) for part in text.split("\n")))
    return max(1, lines) * line + 4


# ---- the workbook ----------------------------------------------------------------------


def build(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date,
          carry: Mapping[str, CellValue] | None = None) -> WorkbookLayout:
    """The full description of one SE's workbook for one quarter.

    With ``carry`` (last quarter's scores, evidence and metrics by ``carry.*`` key, from the
    history), the scorecard and the metrics sheet gain read-only "Last quarter" columns
    to the right, each on its own printed page; every other cell stays where it is.
    """
    from . import sheets

    rubric = ladder.rubric_for(person.target_level)
    version = template_version(ladder)
    scorecard, metrics = _scorecard(ladder, rubric, person, quarter), sheets.metrics(ladder, person)
    if carry is not None:
        scorecard = _carried(scorecard, "criteria", (("O", "Last quarter: self", "self", 10),
                                                     ("P", "Last quarter: manager", "manager", 10),
                                                     ("Q", "Last quarter's evidence", "evidence", 70)), carry)
        metrics = _carried(metrics, "metrics", (("M", "Last quarter", "actual", 12),
                                                ("N", "Last quarter's notes", "notes", 40)), carry)
    sheet_list = (
        sheets.guide(ladder, roster, person, quarter, due, version),
        scorecard,
        metrics,
        sheets.pivots(ladder),
        sheets.readout(ladder, person),
    )
    return WorkbookLayout(person, quarter, version, sheet_list)


def _carried(sheet: SheetLayout, kind: str, columns: tuple[tuple[str, str, str, float], ...],
             carry: Mapping[str, CellValue]) -> SheetLayout:
    """``sheet`` with read-only columns of last quarter's values, one row per ``rowid.<kind>.*`` row."""
    rows = [c for c in sheet.cells if c.key.startswith(f"rowid.{kind}.")]
    header_row = min(c.row for c in rows) - 1
    cells = list(sheet.cells)
    for column, header, _, _ in columns:
        cells.append(Cell(f"{column}{header_row}", Role.LABEL, header, "header"))
    for row in rows:
        item = row.key.removeprefix("rowid.")
        for column, _, field_name, _ in columns:
            key = f"carry.{item}.{field_name}"
            text = field_name in ("evidence", "notes")
            cells.append(Cell(f"{column}{row.row}", Role.LABEL, carry.get(key), "carry" if text else "carry_number",
                              key=key, number_format="" if text else "0.##"))
    widths = {**sheet.widths, **{column: width for column, _, _, width in columns}}
    heights = dict(sheet.heights)
    heights[header_row] = max(heights.get(header_row, 0), height([(h, w) for _, h, _, w in columns], bold=True))
    # Last quarter's columns print on a page of their own, so the scorecard keeps its size.
    last_own = max((c.column for c in sheet.cells if c.role is not Role.LABEL or c.style == "header"),
                   key=lambda col: (len(col), col))
    return replace(sheet, cells=tuple(cells), widths=widths, heights=heights,
                   print_breaks=(*sheet.print_breaks, last_own))


_SC_FIRST = 6  # first criterion row of the scorecard
# Scorecard columns, as (letter, header, width); the header's {top} is the scale's top score.
_SC_COLUMNS = (("A", "ID", 7), ("B", "Competency", 14), ("C", "Criterion", 30), ("D", "What {top} looks like", 38),
               ("E", "Skill group", 13), ("F", "Weight", 7), ("G", "Must-have: at least", 10),
               ("H", "Self (0-{top})", 8), ("I", "Manager (0-{top})", 9), ("J", "Gap (M−S)", 8),
               ("K", "Self points", 8), ("L", "Manager points", 9), ("M", "Evidence (yours)", 100),
               ("N", "Manager's comment", 44))


def _scorecard(ladder: Ladder, rubric: Rubric, person: Person, quarter: str) -> SheetLayout:
    top = ladder.scale.max
    groups = {g.id: g.name for g in ladder.skill_groups}
    scale = " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))
    score_check = Validation(Check.SCORE, 0, top, tuple(str(i) for i in range(top + 1)), "Score",
                             f"Choose a whole number from 0 ({ladder.scale.labels[0]}) to {top} ({ladder.scale.labels[top]}).")
    evidence = Validation(Check.TEXT, 0, 5000, (), "Evidence", "Evidence is limited to 5,000 characters.")
    comment = Validation(Check.TEXT, 0, 2000, (), "Comment", "Comments are limited to 2,000 characters.")
    current, target = ladder.level(person.level).name, ladder.level(person.target_level).name
    must = ladder.must_haves(rubric)
    cells = [
        Cell("A1", Role.LABEL, f"Promotion Readiness Scorecard: {rubric.title}", "title"),
        Cell("A2", Role.LABEL, f"{person.name} · {current} → {target} · {quarter}", "subtitle"),
        Cell("A3", Role.LABEL, f"Scale: {scale}. You fill Self and Evidence; your manager fills Manager and "
                               "Manager's comment." + (" Must-have criteria: a score under the minimum holds the "
                                                       "band below the top, whatever the points." if must else ""),
             "caption"),
    ]
    headers = [(col, h.format(top=top), w) for col, h, w in _SC_COLUMNS]
    cells += [Cell(f"{col}5", Role.LABEL, h, "header") for col, h, _ in headers]
    widths = {col: w for col, _, w in headers}
    first, last = _SC_FIRST, _SC_FIRST + len(rubric.criteria) - 1
    heights: dict[int, float] = {5: height([(h, w) for _, h, w in headers], bold=True)}
    for r, c in enumerate(rubric.criteria, start=first):
        k = f"criteria.{c.id}"
        cells += [
            Cell(f"A{r}", Role.LABEL, c.id, "id", key=f"rowid.{k}"),
            Cell(f"B{r}", Role.LABEL, c.competency, "wrap"),
            Cell(f"C{r}", Role.LABEL, c.text, "wrap"),
            Cell(f"D{r}", Role.LABEL, c.anchor, "wrap"),
            Cell(f"E{r}", Role.LABEL, groups.get(c.skill_group, ""), "wrap"),
            Cell(f"F{r}", Role.LABEL, c.weight, "number", number_format="0.##"),
            Cell(f"G{r}", Role.LABEL, c.floor, "must", number_format="0"),
            Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.self", score_check, Editor.SE),
            Cell(f"I{r}", Role.INPUT, None, "input", f"{k}.manager", score_check, Editor.MANAGER),
            Cell(f"J{r}", Role.FORMULA, f'=IF(OR(H{r}="",I{r}=""),"",I{r}-H{r})', "formula", f"{k}.gap",
                 number_format="+0;-0;0"),
            Cell(f"K{r}", Role.FORMULA, f'=IF(H{r}="","",H{r}*F{r})', "formula", f"{k}.self_points", number_format="0.##"),
            Cell(f"L{r}", Role.FORMULA, f'=IF(I{r}="","",I{r}*F{r})', "formula", f"{k}.manager_points",
                 number_format="0.##"),
            Cell(f"M{r}", Role.INPUT, None, "input_wrap", f"{k}.evidence", evidence, Editor.SE),
            Cell(f"N{r}", Role.INPUT, None, "input_wrap", f"{k}.comment", comment, Editor.MANAGER),
        ]
        heights[r] = height([(c.text, widths["C"]), (c.anchor, widths["D"]), (c.competency, widths["B"]),
                             (groups.get(c.skill_group, ""), widths["E"])])
    s = last + 2
    rows = {c.id: r for r, c in enumerate(rubric.criteria, start=first)}
    h, i, f_ = f"H{first}:H{last}", f"I{first}:I{last}", f"F{first}:F{last}"
    summary = [
        ("Self readiness", "result.self_pct", "SelfReadiness", _readiness(h, f_, top), "0%"),
        ("Manager readiness", "result.manager_pct", "ManagerReadiness", _readiness(i, f_, top), "0%"),
        ("Self band", "result.self_band", "SelfBand", _band(ladder, f"H{s}", _held(must, rows, "H")), ""),
        ("Manager band", "result.manager_band", "ManagerBand", _band(ladder, f"H{s + 1}", _held(must, rows, "I")), ""),
        ("Calibration gap (manager − self)", "result.calibration_gap", "CalibrationGap",
         f'=IF(OR(H{s}="",H{s + 1}=""),"",H{s + 1}-H{s})', "+0%;-0%;0%"),
        ("Criteria scored by self", "result.self_scored", "", f'=COUNT({h})&" of "&ROWS({h})', ""),
        ("Criteria scored by manager", "result.manager_scored", "", f'=COUNT({i})&" of "&ROWS({i})', ""),
    ]
    if must:
        summary[4:4] = [
            ("Self band held because", "result.self_hold", "", _hold(ladder, must, rows, "H", f"H{s}", f"H{s + 2}"), ""),
            ("Manager band held because", "result.manager_hold", "",
             _hold(ladder, must, rows, "I", f"H{s + 1}", f"H{s + 3}"), ""),
        ]
    merges = []
    reason = max((len(hold_text) for hold_text in _longest_holds(ladder, must)), default=0)
    for n, (label, key, name, formula, fmt) in enumerate(summary):
        r = s + n
        wide = key.endswith("_hold")
        cells += [Cell(f"C{r}", Role.LABEL, label, "label"),
                  Cell(f"H{r}", Role.FORMULA, formula, "result_wrap" if wide else "result", key, name=name,
                       number_format=fmt)]
        if wide:
            merges.append(f"H{r}:M{r}")
            heights[r] = height([("x" * reason, sum(widths[col] for col in "HIJKLM"))])
    fills = ("ready", "close", "developing")
    rules = tuple(
        ConditionalRule(f"H{s + 2}:H{s + 3}", f'H{s + 2}="{b.name}"', FILL[kind])
        for b, kind in zip(ladder.bands, fills)
    ) + (ConditionalRule(f"J{first}:J{last}", f'AND(ISNUMBER(J{first}),ABS(J{first})>=2)', FILL["developing"]),)
    rules += tuple(ConditionalRule(f"{col}{rows[c.id]}", f'AND(ISNUMBER({col}{rows[c.id]}),{col}{rows[c.id]}<{c.floor})',
                                   FILL["developing"]) for c in must for col in "HI")
    return SheetLayout(SCORECARD, tuple(cells), widths, heights, (), rules, f"D{first}", tuple(merges),
                       print_breaks=("L", "N"), print_scale=PRINT_SCALE, print_columns="A:A", print_rows="5:5")


def _readiness(scores: str, weights: str, top: int) -> str:
    return f'=IF(COUNT({scores})<ROWS({scores}),"",SUMPRODUCT({weights},{scores})/({top}*SUM({weights})))'


def _held(must: tuple[Criterion, ...], rows: Mapping[str, int], column: str) -> str:
    """A condition true while a must-have in ``column`` is scored under its floor ("" for none)."""
    tests = [f'AND(ISNUMBER({column}{rows[c.id]}),{column}{rows[c.id]}<{c.floor})' for c in must]
    return f"OR({','.join(tests)})" if tests else ""


def _band_expr(ladder: Ladder, pct: str, held: str) -> str:
    """The band chain: a band that needs must-haves is skipped while ``held`` is true."""
    expr = text_literal(ladder.bands[-1].name)
    for b in reversed(ladder.bands[:-1]):
        test = f"{pct}>={number_literal(b.min_pct)}"
        if held and b.must_haves:
            test = f"AND({test},NOT({held}))"
        expr = f"IF({test},{text_literal(b.name)},{expr})"
    return expr


def _band(ladder: Ladder, pct: str, held: str = "") -> str:
    return f'=IF({pct}="",{text_literal("Incomplete")},{_band_expr(ladder, pct, held)})'


def _hold(ladder: Ladder, must: tuple[Criterion, ...], rows: Mapping[str, int], column: str, pct: str,
          band_cell: str) -> str:
    """Why ``band_cell`` is below the points' band, as scoring.hold_reason words it; "" when it is not."""
    points = _band_expr(ladder, pct, "")
    parts = "&".join(
        f'IF(AND(ISNUMBER({column}{rows[c.id]}),{column}{rows[c.id]}<{c.floor}),"; "&C{rows[c.id]}&" scored "&'
        f'{column}{rows[c.id]}&" (must be at least {c.floor})","")' for c in must)
    return (f'=IF(OR({pct}="",{points}={band_cell}),"",'
            f'{points}&" on points, held at "&{band_cell}&": "&MID({parts},3,32767))')


def _longest_holds(ladder: Ladder, must: tuple[Criterion, ...]) -> list[str]:
    """The longest hold reason each band could show (every must-have under its floor), for row heights."""
    if not must:
        return []
    zeros = {c.id: 0.0 for c in must}
    return [scoring.hold_reason(b.name, ladder.bands[-1].name, must, zeros) for b in ladder.bands]


# ---- what every formula cell must show ------------------------------------------------


def expected_values(ladder: Ladder, person: Person, inputs: Inputs) -> dict[str, CellValue]:
    """The value of every formula cell (by key) for these inputs, computed by scoring.py."""
    rubric = ladder.rubric_for(person.target_level)
    s = scoring.score(ladder, rubric, inputs, person.level)
    out: dict[str, CellValue] = {
        "result.self_pct": blank(s.self_pct),
        "result.manager_pct": blank(s.manager_pct),
        "result.self_band": s.self_band,
        "result.manager_band": s.manager_band,
        "result.calibration_gap": blank(s.calibration_gap),
        "result.self_scored": f"{len(rubric.criteria) - len(s.self_missing)} of {len(rubric.criteria)}",
        "result.manager_scored": f"{len(rubric.criteria) - len(s.manager_missing)} of {len(rubric.criteria)}",
        "result.metrics_below": sum(1 for v in s.metric_status.values() if v == "Below"),
        "result.top_pivot": s.top_pivot,
        "readout.text": s.readout_text,
    }
    if ladder.must_haves(rubric):
        out["result.self_hold"], out["result.manager_hold"] = s.self_hold, s.manager_hold
    for c in rubric.criteria:
        got = inputs.criteria.get(c.id)
        out[f"criteria.{c.id}.gap"] = blank(s.criterion_gaps[c.id])
        out[f"criteria.{c.id}.self_points"] = blank(scoring.weighted_points(got.self_score if got else None, c.weight))
        out[f"criteria.{c.id}.manager_points"] = blank(scoring.weighted_points(got.manager_score if got else None, c.weight))
    for m in ladder.metrics_for(person.level):
        status = s.metric_status[m.id]
        out[f"metrics.{m.id}.status"] = status.value
        out[f"metrics.{m.id}.action"] = m.action_if_below if status == "Below" else ""
    for p in ladder.pivots:
        out[f"pivots.{p.id}.readiness"] = blank(s.pivot_readiness[p.id])
    return out


def blank(value: float | None) -> CellValue:
    """A formula's "" where scoring has None (not yet computable)."""
    return "" if value is None else value
