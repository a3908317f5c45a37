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
from functools import cached_property
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
        return iter(self._cells[role])

    @cached_property
    def _cells(self) -> dict[Role | None, tuple[tuple[SheetLayout, Cell], ...]]:
        """Every cell, and the cells of each role, in sheet order: collect asks for them once per file."""
        every = tuple((sheet, cell) for sheet in self.sheets for cell in sheet.cells)
        by_role: dict[Role | None, tuple[tuple[SheetLayout, Cell], ...]] = {None: every}
        for role in Role:
            by_role[role] = tuple(pair for pair in every if pair[1].role is role)
        return by_role

    def by_key(self) -> dict[str, tuple[SheetLayout, Cell]]:
        return {cell.key: (sheet, cell) for sheet, cell in self.cells() if cell.key}


# ---- sheet names and styles shared by writers ------------------------------------------

GUIDE, SCORECARD, METRICS, PIVOTS, READOUT = "Guide", "Scorecard", "Impact metrics", "Pivot matrix", "Promotion read-out"
PRINT_SCALE = 78  # percent: 11-point text prints at ~8.5 points
TITLE_HEIGHT = 21.0  # a 14-point title row
# Text shown as typed plus two blank lines: apps size a growing row for what they show, and
# LibreOffice's print layout needs up to ~5 % more lines than its screen layout, which would
# cut the last lines of a 5,000-character evidence off the printed page.
EVIDENCE_FORMAT = '@"\n\n"'


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
        scorecard = _carried(scorecard, "criteria", (("N", "Last quarter: self", "self", 9),
                                                     ("O", "Last quarter: manager", "manager", 9),
                                                     ("P", "Last quarter's evidence", "evidence", 92)), carry)
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
# Scorecard columns in order, as (name, header, width); the header's {top} is the scale's top score.
# Widths are chosen so that, printed at PRINT_SCALE on Letter or A4 landscape, the criteria and
# scores fill page one, evidence and the manager's comment page two (5,000 characters fit a page).
_SC_COLUMNS = (("id", "ID", 6), ("competency", "Competency (skill group)", 14), ("criterion", "Criterion", 25),
               ("anchor", "What {top} looks like", 30), ("weight", "Weight", 7), ("floor", "Must-have: at least", 9),
               ("self", "Self (0-{top})", 9), ("manager", "Manager (0-{top})", 9), ("gap", "Gap (M−S)", 7),
               ("self_points", "Self points", 7), ("manager_points", "Manager points", 9),
               ("evidence", "Evidence (yours)", 92), ("comment", "Manager's comment", 34))
SC = {name: chr(65 + i) for i, (name, _, _) in enumerate(_SC_COLUMNS)}  # column letter by name


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
    caption = (f"Scale: {scale}. You fill Self and Evidence; your manager fills Manager and Manager's comment."
               + (" A must-have scored under its minimum holds the band below the top, whatever the points."
                  if must else ""))
    # Titles start in column B: column A repeats on every printed page, and text overflowing
    # from it would be cut at its edge on the evidence pages.
    cells = [
        Cell("B1", Role.LABEL, f"Promotion Readiness Scorecard: {rubric.title}", "title"),
        Cell("B2", Role.LABEL, f"{person.name} · {current} → {target} · {quarter}", "subtitle"),
        Cell("D3", Role.LABEL, caption, "note"),  # right of the frozen A:C: Google refuses a merge across it
    ]
    headers = [(SC[name], h.format(top=top), w) for name, h, w in _SC_COLUMNS]
    cells += [Cell(f"{col}5", Role.LABEL, h, "header") for col, h, _ in headers]
    widths = {col: w for col, _, w in headers}
    first, last = _SC_FIRST, _SC_FIRST + len(rubric.criteria) - 1
    caption_width = sum(w for name, _, w in _SC_COLUMNS[3:] if name not in ("evidence", "comment"))  # D:K
    heights: dict[int, float] = {1: TITLE_HEIGHT, 3: height([(caption, caption_width)]),
                                 5: height([(h, w) for _, h, w in headers], bold=True)}
    id_, comp, crit, anchor, weight, floor = (SC[n] for n in ("id", "competency", "criterion", "anchor", "weight", "floor"))
    se, mg, gap, sp, mp = (SC[n] for n in ("self", "manager", "gap", "self_points", "manager_points"))
    for r, c in enumerate(rubric.criteria, start=first):
        k = f"criteria.{c.id}"
        group = groups.get(c.skill_group, "")
        competency = f"{c.competency}\n({group})" if group else c.competency
        cells += [
            Cell(f"{id_}{r}", Role.LABEL, c.id, "id", key=f"rowid.{k}"),
            Cell(f"{comp}{r}", Role.LABEL, competency, "wrap"),
            Cell(f"{crit}{r}", Role.LABEL, c.text, "wrap"),
            Cell(f"{anchor}{r}", Role.LABEL, c.anchor, "wrap"),
            Cell(f"{weight}{r}", Role.LABEL, c.weight, "number", number_format="0.##"),
            Cell(f"{floor}{r}", Role.LABEL, c.floor, "must", number_format="0"),
            Cell(f"{se}{r}", Role.INPUT, None, "input", f"{k}.self", score_check, Editor.SE),
            Cell(f"{mg}{r}", Role.INPUT, None, "input", f"{k}.manager", score_check, Editor.MANAGER),
            Cell(f"{gap}{r}", Role.FORMULA, f'=IF(OR({se}{r}="",{mg}{r}=""),"",{mg}{r}-{se}{r})', "formula", f"{k}.gap",
                 number_format="+0;-0;0"),
            Cell(f"{sp}{r}", Role.FORMULA, f'=IF({se}{r}="","",{se}{r}*{weight}{r})', "formula", f"{k}.self_points",
                 number_format="0.##"),
            Cell(f"{mp}{r}", Role.FORMULA, f'=IF({mg}{r}="","",{mg}{r}*{weight}{r})', "formula", f"{k}.manager_points",
                 number_format="0.##"),
            Cell(f"{SC['evidence']}{r}", Role.INPUT, None, "evidence", f"{k}.evidence", evidence, Editor.SE,
                 number_format=EVIDENCE_FORMAT),
            Cell(f"{SC['comment']}{r}", Role.INPUT, None, "input_wrap", f"{k}.comment", comment, Editor.MANAGER),
        ]
        heights[r] = height([(c.text, widths[crit]), (c.anchor, widths[anchor]), (competency, widths[comp])])
    s = last + 2
    rows = {c.id: r for r, c in enumerate(rubric.criteria, start=first)}
    sr, mr, wr = f"{se}{first}:{se}{last}", f"{mg}{first}:{mg}{last}", f"{weight}{first}:{weight}{last}"
    res = se  # results sit under the Self column
    summary = [
        ("Self readiness", "result.self_pct", "SelfReadiness", _readiness(sr, wr, top), "0%"),
        ("Manager readiness", "result.manager_pct", "ManagerReadiness", _readiness(mr, wr, top), "0%"),
        ("Self band", "result.self_band", "SelfBand", _band(ladder, f"{res}{s}", _held(must, rows, se)), ""),
        ("Manager band", "result.manager_band", "ManagerBand", _band(ladder, f"{res}{s + 1}", _held(must, rows, mg)), ""),
        ("Calibration gap (M − S)", "result.calibration_gap", "CalibrationGap",
         f'=IF(OR({res}{s}="",{res}{s + 1}=""),"",{res}{s + 1}-{res}{s})', "+0%;-0%;0%"),
        ("Criteria scored by self", "result.self_scored", "", f'=COUNT({sr})&" of "&ROWS({sr})', ""),
        ("Criteria scored by manager", "result.manager_scored", "", f'=COUNT({mr})&" of "&ROWS({mr})', ""),
    ]
    if must:
        summary[4:4] = [
            ("Self band held by", "result.self_hold", "",
             _hold(ladder, must, rows, se, crit, f"{res}{s}", f"{res}{s + 2}"), ""),
            ("Manager band held by", "result.manager_hold", "",
             _hold(ladder, must, rows, mg, crit, f"{res}{s + 1}", f"{res}{s + 3}"), ""),
        ]
    merges = [f"D3:{SC['manager_points']}3"]
    reason = max((len(text) for text in _longest_holds(ladder, must)), default=0)
    wide_to = SC["manager_points"]
    for n, (label, key, name, formula, fmt) in enumerate(summary):
        r = s + n
        wide = key.endswith("_hold")  # a sentence: from the anchor column to the end of the first printed page
        where = anchor if wide else res
        cells += [Cell(f"{crit}{r}", Role.LABEL, label, "label"),
                  Cell(f"{where}{r}", Role.FORMULA, formula, "result_wrap" if wide else "result", key, name=name,
                       number_format=fmt)]
        if wide:
            merges.append(f"{where}{r}:{wide_to}{r}")
            span = sum(widths[chr(i)] for i in range(ord(where), ord(wide_to) + 1))
            heights[r] = height([("x" * reason, span)])
    fills = ("ready", "close", "developing")
    rules = tuple(
        ConditionalRule(f"{res}{s + 2}:{res}{s + 3}", f'{res}{s + 2}="{b.name}"', FILL[kind])
        for b, kind in zip(ladder.bands, fills)
    ) + (ConditionalRule(f"{gap}{first}:{gap}{last}", f'AND(ISNUMBER({gap}{first}),ABS({gap}{first})>=2)',
                         FILL["developing"]),)
    rules += tuple(ConditionalRule(f"{col}{rows[c.id]}", f'AND(ISNUMBER({col}{rows[c.id]}),{col}{rows[c.id]}<{c.floor})',
                                   FILL["developing"]) for c in must for col in (se, mg))
    return SheetLayout(SCORECARD, tuple(cells), widths, heights, (), rules, f"{anchor}{first}", tuple(merges),
                       print_breaks=(wide_to, SC["comment"]), print_scale=PRINT_SCALE, print_columns="A:A",
                       print_rows="5:5")


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


def _hold(ladder: Ladder, must: tuple[Criterion, ...], rows: Mapping[str, int], column: str, text: str, pct: str,
          band_cell: str) -> str:
    """Why ``band_cell`` is below the points' band, as scoring.hold_reason words it; "" when it is not."""
    points = _band_expr(ladder, pct, "")
    parts = "&".join(
        f'IF(AND(ISNUMBER({column}{rows[c.id]}),{column}{rows[c.id]}<{c.floor}),"; "&{text}{rows[c.id]}&" scored "&'
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


def header_cells(sheet: SheetLayout) -> tuple[Cell, ...]:
    """The sheet's column headers (one row), by which readers find columns a user inserted, moved or deleted.

    That is the header row of the table people fill in: the last header-styled row above the first
    input. A sheet without inputs (the Guide) has none: its reference tables' headers are only labels.
    """
    first_input = min((c.row for c in sheet.cells if c.role is Role.INPUT), default=None)
    if first_input is None:
        return ()
    row = max((c.row for c in sheet.cells if c.style == "header" and c.row < first_input), default=None)
    return tuple(c for c in sheet.cells if c.style == "header" and c.row == row)
