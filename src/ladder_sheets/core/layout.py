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
from .model import CellValue, FieldKind, Inputs, Ladder, Person, Roster, Rubric, StrEnum
from .styles import FILL

LAYOUT_VERSION = 1


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
def template_version(ladder: Ladder) -> str:
    return f"{ladder.id}@{ladder.version}/layout-{LAYOUT_VERSION}"


def number_literal(x: float) -> str:
    """A number as a formula literal, exactly as Python holds it."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _text_literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _height(texts_and_widths: list[tuple[str, float]], line: float = 15.0) -> float:
    """Row height that shows wrapped text: LibreOffice does not auto-size rows."""
    lines = max((math.ceil(len(t) * 1.1 / max(w, 1)) for t, w in texts_and_widths if t), default=1)
    return max(1, lines) * line + 3


# ---- the workbook ----------------------------------------------------------------------


def build(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date,
          carry: Mapping[str, CellValue] | None = None) -> WorkbookLayout:
    """The full description of one SE's workbook for one quarter.

    With ``carry`` (last quarter's evidence and metrics by ``carry.*`` key, from the
    history), the scorecard and the metrics sheet gain read-only "Last quarter" columns
    to the right; every other cell stays where it is, so reading back is unchanged.
    """
    rubric = ladder.rubric_for(person.target_level)
    version = template_version(ladder)
    scorecard, metrics = _scorecard(ladder, rubric, person, quarter), _metrics(ladder)
    if carry is not None:
        scorecard = _carried(scorecard, "criteria", (("M", "Last quarter's evidence", "evidence", 50),), carry)
        metrics = _carried(metrics, "metrics", (("M", "Last quarter", "actual", 12),
                                                ("N", "Last quarter's notes", "notes", 30)), carry)
    sheets = (
        _guide(ladder, roster, person, quarter, due, version),
        scorecard,
        metrics,
        _pivots(ladder),
        _readout(ladder, person),
    )
    return WorkbookLayout(person, quarter, version, sheets)


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
            cells.append(Cell(f"{column}{row.row}", Role.LABEL, carry.get(key), "carry", key=key,
                              number_format="0.##" if field_name == "actual" else ""))
    widths = {**sheet.widths, **{column: width for column, _, _, width in columns}}
    return replace(sheet, cells=tuple(cells), widths=widths)


def _guide(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date, version: str) -> SheetLayout:
    manager = roster.manager_of(person)
    current, target = ladder.level(person.level), ladder.level(person.target_level)
    facts: list[tuple[str, CellValue, str]] = [
        ("Sales Engineer", person.name, "meta.person_name"),
        ("Person id", person.id, "meta.person_id"),
        ("Email", person.email, "meta.email"),
        ("Manager", f"{manager.name} <{manager.email}>", "meta.manager"),
        ("Team", manager.team, "meta.team"),
        ("Current level", current.name, "meta.level"),
        ("Target level", target.name, "meta.target_level"),
        ("Quarter", quarter, "meta.quarter"),
        ("Due date", due.isoformat(), "meta.due"),
        ("Template version", version, "meta.template_version"),
    ]
    cells = [Cell("A1", Role.LABEL, f"{ladder.name}: {quarter} workbook", "title")]
    row = 3
    for label, value, key in facts:
        cells += [Cell(f"A{row}", Role.LABEL, label, "label"), Cell(f"B{row}", Role.META, value, "text", key=key)]
        row += 1
    scale = " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))
    bands = " · ".join(f"{b.name} from {round(b.min_pct * 100)}%" for b in ladder.bands)
    notes = [
        ("How to fill in", "heading"),
        ("Yellow cells are yours to fill in; everything else is calculated or fixed, and protected.", "text"),
        (f"1. {SCORECARD}: score yourself for every criterion in the Self column and note your evidence. "
         "Your manager fills the Manager column.", "text"),
        (f"2. {METRICS}: enter this quarter's actual for each metric.", "text"),
        (f"3. {PIVOTS}: rate your interest in each pivot, whether you show its readiness signal, "
         "and your progress on its gap; choose your track preference.", "text"),
        (f"4. {READOUT}: fill in the inputs and your talk track assembles itself.", "text"),
        (f"Scale: {scale}", "text"),
        (f"Readiness bands: {bands}", "text"),
        (f"{current.name} radius of impact: {current.radius_of_impact}", "text"),
        (f"{target.name} radius of impact: {target.radius_of_impact}", "text"),
        ("Non-technical skill groups", "heading"),
        *((f"{g.name}: {g.description}", "text") for g in ladder.skill_groups),
    ]
    row += 1
    heights = {}
    merges = []
    for text, style in notes:
        cells.append(Cell(f"A{row}", Role.LABEL, text, "paragraph" if style == "text" else style))
        heights[row] = _height([(text, 105)])
        merges.append(f"A{row}:B{row}")
        row += 1
    return SheetLayout(GUIDE, tuple(cells), {"A": 24, "B": 90}, heights, merges=tuple(merges))


_SC_FIRST = 6  # first criterion row of the scorecard


def _scorecard(ladder: Ladder, rubric: Rubric, person: Person, quarter: str) -> SheetLayout:
    top = ladder.scale.max
    groups = {g.id: g.name for g in ladder.skill_groups}
    scale = " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))
    score_check = Validation(Check.SCORE, 0, top, tuple(str(i) for i in range(top + 1)), "Score",
                             f"Choose a whole number from 0 ({ladder.scale.labels[0]}) to {top} ({ladder.scale.labels[top]}).")
    evidence = Validation(Check.TEXT, 0, 5000, (), "Evidence", "Evidence is limited to 5,000 characters.")
    current, target = ladder.level(person.level).name, ladder.level(person.target_level).name
    cells = [
        Cell("A1", Role.LABEL, f"Promotion Readiness Scorecard: {rubric.title}", "title"),
        Cell("A2", Role.LABEL, f"{person.name} · {current} → {target} · {quarter}", "subtitle"),
        Cell("A3", Role.LABEL, f"Scale: {scale}", "caption"),
    ]
    headers = ["ID", "Competency", "Criterion", f"What {top} looks like", "Skill group", "Weight",
               f"Self (0-{top})", f"Manager (0-{top})", "Gap (M−S)", "Self points", "Manager points", "Evidence"]
    cells += [Cell(f"{chr(65 + i)}5", Role.LABEL, h, "header") for i, h in enumerate(headers)]
    first, last = _SC_FIRST, _SC_FIRST + len(rubric.criteria) - 1
    heights: dict[int, float] = {}
    for r, c in enumerate(rubric.criteria, start=first):
        k = f"criteria.{c.id}"
        cells += [
            Cell(f"A{r}", Role.LABEL, c.id, "id", key=f"rowid.{k}"),
            Cell(f"B{r}", Role.LABEL, c.competency, "wrap"),
            Cell(f"C{r}", Role.LABEL, c.text, "wrap"),
            Cell(f"D{r}", Role.LABEL, c.anchor, "wrap"),
            Cell(f"E{r}", Role.LABEL, groups.get(c.skill_group, ""), "wrap"),
            Cell(f"F{r}", Role.LABEL, c.weight, "number", number_format="0.##"),
            Cell(f"G{r}", Role.INPUT, None, "input", f"{k}.self", score_check, Editor.SE),
            Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.manager", score_check, Editor.MANAGER),
            Cell(f"I{r}", Role.FORMULA, f'=IF(OR(G{r}="",H{r}=""),"",H{r}-G{r})', "formula", f"{k}.gap",
                 number_format="+0;-0;0"),
            Cell(f"J{r}", Role.FORMULA, f'=IF(G{r}="","",G{r}*F{r})', "formula", f"{k}.self_points", number_format="0.##"),
            Cell(f"K{r}", Role.FORMULA, f'=IF(H{r}="","",H{r}*F{r})', "formula", f"{k}.manager_points",
                 number_format="0.##"),
            Cell(f"L{r}", Role.INPUT, None, "input_wrap", f"{k}.evidence", evidence, Editor.SE),
        ]
        heights[r] = _height([(c.text, 34), (c.anchor, 44), (c.competency, 18)])
    s = last + 2
    g, h, f_ = f"G{first}:G{last}", f"H{first}:H{last}", f"F{first}:F{last}"
    summary = [
        ("Self readiness", "result.self_pct", "SelfReadiness", _readiness(g, f_, top), "0%"),
        ("Manager readiness", "result.manager_pct", "ManagerReadiness", _readiness(h, f_, top), "0%"),
        ("Self band", "result.self_band", "SelfBand", _band(ladder, f"G{s}"), ""),
        ("Manager band", "result.manager_band", "ManagerBand", _band(ladder, f"G{s + 1}"), ""),
        ("Calibration gap (manager − self)", "result.calibration_gap", "CalibrationGap",
         f'=IF(OR(G{s}="",G{s + 1}=""),"",G{s + 1}-G{s})', "+0%;-0%;0%"),
        ("Criteria scored by self", "result.self_scored", "", f'=COUNT({g})&" of "&ROWS({g})', ""),
        ("Criteria scored by manager", "result.manager_scored", "", f'=COUNT({h})&" of "&ROWS({h})', ""),
    ]
    for i, (label, key, name, formula, fmt) in enumerate(summary):
        cells += [Cell(f"C{s + i}", Role.LABEL, label, "label"),
                  Cell(f"G{s + i}", Role.FORMULA, formula, "result", key, name=name, number_format=fmt)]
    rules = tuple(
        ConditionalRule(f"G{s + 2}:G{s + 3}", f'G{s + 2}="{b.name}"', FILL[kind])
        for b, kind in zip(ladder.bands, ("ready", "close", "developing"))
    ) + (ConditionalRule(f"I{first}:I{last}", f'AND(ISNUMBER(I{first}),ABS(I{first})>=2)', FILL["developing"]),)
    widths = {"A": 8, "B": 18, "C": 34, "D": 44, "E": 16, "F": 8, "G": 10, "H": 11, "I": 9, "J": 8, "K": 9, "L": 50}
    return SheetLayout(SCORECARD, tuple(cells), widths, heights, (), rules, f"C{first}")


def _readiness(scores: str, weights: str, top: int) -> str:
    return f'=IF(COUNT({scores})<ROWS({scores}),"",SUMPRODUCT({weights},{scores})/({top}*SUM({weights})))'


def _band(ladder: Ladder, pct: str) -> str:
    expr = _text_literal(ladder.bands[-1].name)
    for b in reversed(ladder.bands[:-1]):
        expr = f"IF({pct}>={number_literal(b.min_pct)},{_text_literal(b.name)},{expr})"
    return f'=IF({pct}="",{_text_literal("Incomplete")},{expr})'


def _metrics(ladder: Ladder) -> SheetLayout:
    headers = ["ID", "Metric", "Benchmark", "Target", "Rule", "Unit", "Measure how", "Actual", "Status",
               "Action if below benchmark", "Notes", "action text"]
    cells = [Cell("A1", Role.LABEL, "Impact Metrics vs Benchmarks", "title"),
             Cell("A2", Role.LABEL, "How leadership decides who to promote: enter this quarter's actuals.", "caption")]
    cells += [Cell(f"{chr(65 + i)}4", Role.LABEL, h, "header") for i, h in enumerate(headers)]
    number = Validation(Check.NUMBER, 0, 0, (), "Actual", "Enter a number of 0 or more.")
    notes = Validation(Check.TEXT, 0, 2000, (), "Notes", "Notes are limited to 2,000 characters.")
    first = 5
    heights = {}
    for r, m in enumerate(ladder.metrics, start=first):
        k = f"metrics.{m.id}"
        ok = {">=": ">=", "<=": "<=", ">": ">", "<": "<"}[m.comparator.value]
        cells += [
            Cell(f"A{r}", Role.LABEL, m.id, "id", key=f"rowid.{k}"),
            Cell(f"B{r}", Role.LABEL, m.name, "wrap"),
            Cell(f"C{r}", Role.LABEL, m.benchmark, "wrap"),
            Cell(f"D{r}", Role.LABEL, m.target, "number", number_format="0.##"),
            Cell(f"E{r}", Role.LABEL, m.comparator.value, "text"),
            Cell(f"F{r}", Role.LABEL, m.unit, "wrap"),
            Cell(f"G{r}", Role.LABEL, m.measure_how, "wrap"),
            Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.actual", number),
            Cell(f"I{r}", Role.FORMULA, f'=IF(H{r}="","Missing",IF(H{r}{ok}D{r},"Meets","Below"))', "formula",
                 f"{k}.status"),
            Cell(f"J{r}", Role.FORMULA, f'=IF(I{r}="Below",L{r},"")', "formula_wrap", f"{k}.action"),
            Cell(f"K{r}", Role.INPUT, None, "input_wrap", f"{k}.notes", notes),
            Cell(f"L{r}", Role.LABEL, m.action_if_below, "text"),
        ]
        heights[r] = _height([(m.action_if_below, 40), (m.unit, 16), (m.measure_how, 22)])
    last = first + len(ladder.metrics) - 1
    s = last + 2
    cells += [Cell(f"B{s}", Role.LABEL, "Metrics below benchmark", "label"),
              Cell(f"I{s}", Role.FORMULA, f'=COUNTIF(I{first}:I{last},"Below")', "result", "result.metrics_below",
                   name="MetricsBelow")]
    rules = (ConditionalRule(f"I{first}:I{last}", f'I{first}="Below"', FILL["developing"]),
             ConditionalRule(f"I{first}:I{last}", f'I{first}="Meets"', FILL["ready"]))
    widths = {"A": 24, "B": 22, "C": 18, "D": 8, "E": 6, "F": 16, "G": 22, "H": 10, "I": 10, "J": 40, "K": 30, "L": 10}
    return SheetLayout(METRICS, tuple(cells), widths, heights, ("L",), rules, f"C{first}")


def _pivots(ladder: Ladder) -> SheetLayout:
    top = ladder.scale.max
    yes, no = ladder.signal_options
    headers = ["ID", "Pivot target", "SE skills that transfer", "Gap to close", "Signal you're ready",
               f"Interest (0-{top})", f"Signal present? ({yes}/{no})", f"Gap progress (0-{top})", "Pivot readiness"]
    cells = [Cell("A1", Role.LABEL, "Career Pivot Readiness Matrix", "title"),
             Cell("A2", Role.LABEL, "Career pivots aren't exits from presales. They're expansions of the presales "
                                    "skill set into adjacent domains.", "caption")]
    cells += [Cell(f"{chr(65 + i)}4", Role.LABEL, h, "header") for i, h in enumerate(headers)]
    scale = tuple(str(i) for i in range(top + 1))
    interest = Validation(Check.SCORE, 0, top, scale, "Interest", f"Choose 0 (none) to {top} (strong).")
    signal = Validation(Check.CHOICE, 0, 0, (yes, no), "Signal", f"Choose {yes} or {no}.")
    progress = Validation(Check.SCORE, 0, top, scale, "Gap progress", f"Choose 0 (not started) to {top} (closed).")
    first = 5
    heights = {}
    for r, p in enumerate(ladder.pivots, start=first):
        k = f"pivots.{p.id}"
        cells += [
            Cell(f"A{r}", Role.LABEL, p.id, "id", key=f"rowid.{k}"),
            Cell(f"B{r}", Role.LABEL, p.name, "wrap"),
            Cell(f"C{r}", Role.LABEL, p.transferable_skills, "wrap"),
            Cell(f"D{r}", Role.LABEL, p.gap_to_close, "wrap"),
            Cell(f"E{r}", Role.LABEL, p.readiness_signal, "wrap"),
            Cell(f"F{r}", Role.INPUT, None, "input", f"{k}.interest", interest),
            Cell(f"G{r}", Role.INPUT, None, "input", f"{k}.signal", signal),
            Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.gap_progress", progress),
            Cell(f"I{r}", Role.FORMULA, f'=IF(OR(G{r}="",H{r}=""),"",({top}*(G{r}={_text_literal(yes)})+H{r})/{2 * top})',
                 "result", f"{k}.readiness", number_format="0%"),
        ]
        heights[r] = _height([(p.transferable_skills, 28), (p.readiness_signal, 30), (p.gap_to_close, 26)])
    last = first + len(ladder.pivots) - 1
    s = last + 2
    rng_f, rng_b = f"F{first}:F{last}", f"B{first}:B{last}"
    track = Validation(Check.CHOICE, 0, 0, ladder.track_options, "Track", "Choose one of: " + ", ".join(ladder.track_options))
    cells += [
        Cell(f"B{s}", Role.LABEL, "Track preference", "label"),
        Cell(f"F{s}", Role.INPUT, None, "input", "track_preference", track),
        Cell(f"B{s + 1}", Role.LABEL, "Top pivot interest", "label"),
        Cell(f"F{s + 1}", Role.FORMULA,
             f'=IF(COUNT({rng_f})=0,"",IF(MAX({rng_f})=0,"None",INDEX({rng_b},MATCH(MAX({rng_f}),{rng_f},0))))',
             "result", "result.top_pivot", name="TopPivot"),
    ]
    widths = {"A": 22, "B": 22, "C": 28, "D": 26, "E": 30, "F": 12, "G": 14, "H": 14, "I": 12}
    return SheetLayout(PIVOTS, tuple(cells), widths, heights, (), (), f"C{first}")


def _readout(ladder: Ladder, person: Person) -> SheetLayout:
    target = ladder.level(person.target_level).name
    cells = [Cell("A1", Role.LABEL, "Promotion Read-Out", "title"),
             Cell("A2", Role.LABEL, f"Use this in your quarterly review when you are ready to ask for the {target} title.", "caption"),
             Cell("B4", Role.LABEL, "Input", "header"), Cell("C4", Role.LABEL, "Your answer", "header"),
             Cell("D4", Role.LABEL, "Example / help", "header")]
    level_names = tuple(lv.name for lv in ladder.levels)
    checks = {
        FieldKind.TEXT: Validation(Check.TEXT, 0, 1000, (), "Text", "Answers are limited to 1,000 characters."),
        FieldKind.PERCENT: Validation(Check.PERCENT, 0, 1000, (), "Percent", "Enter a whole number of percent, e.g. 115."),
        FieldKind.LEVEL: Validation(Check.CHOICE, 0, 0, level_names, "Level", "Choose a level of the ladder."),
    }
    first = 5
    refs: dict[str, str] = {}
    for r, fd in enumerate(ladder.readout.fields, start=first):
        refs[fd.id] = f"C{r}"
        cells += [Cell(f"A{r}", Role.LABEL, fd.id, "id", key=f"rowid.readout.{fd.id}"),
                  Cell(f"B{r}", Role.LABEL, fd.label, "wrap"),
                  Cell(f"C{r}", Role.INPUT, None, "input_wrap", f"readout.{fd.id}", checks[fd.kind]),
                  Cell(f"D{r}", Role.LABEL, fd.help, "note")]
    kinds = {fd.id: fd.kind for fd in ladder.readout.fields}
    # Template text lives in hidden cells, so no literal in the formula nears Excel's 255-character limit.
    pieces: list[str] = []
    hidden_row = first
    for kind, content in scoring.template_segments(ladder.readout.template):
        if kind == "text":
            cells.append(Cell(f"H{hidden_row}", Role.LABEL, content, "text"))
            pieces.append(f"H{hidden_row}")
            hidden_row += 1
        else:
            pieces.append(refs[content] + ('&"%"' if kinds[content] is FieldKind.PERCENT else ""))
    cells.append(Cell(f"H{hidden_row}", Role.LABEL, ladder.readout.incomplete_text, "text"))
    out = first + len(ladder.readout.fields) + 1
    blank_test = ",".join(f'{ref}=""' for ref in refs.values())
    cells += [Cell(f"B{out}", Role.LABEL, "Your talk track", "label"),
              Cell(f"C{out}", Role.FORMULA, f"=IF(OR({blank_test}),H{hidden_row},{'&'.join(pieces)})", "result_wrap",
                   "readout.text", name="ReadoutText")]
    heights = {out: _height([(ladder.readout.template + " " * 400, 100)])}
    return SheetLayout(READOUT, tuple(cells), {"A": 16, "B": 30, "C": 70, "D": 40, "H": 10}, heights, ("A", "H"))


# ---- what every formula cell must show ------------------------------------------------


def expected_values(ladder: Ladder, person: Person, inputs: Inputs) -> dict[str, CellValue]:
    """The value of every formula cell (by key) for these inputs, computed by scoring.py."""
    rubric = ladder.rubric_for(person.target_level)
    s = scoring.score(ladder, rubric, inputs)
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
    for c in rubric.criteria:
        got = inputs.criteria.get(c.id)
        out[f"criteria.{c.id}.gap"] = blank(s.criterion_gaps[c.id])
        out[f"criteria.{c.id}.self_points"] = blank(scoring.weighted_points(got.self_score if got else None, c.weight))
        out[f"criteria.{c.id}.manager_points"] = blank(scoring.weighted_points(got.manager_score if got else None, c.weight))
    for m in ladder.metrics:
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
    """The sheet's column headers (one row), by which readers find columns a user inserted, moved or deleted."""
    return tuple(c for c in sheet.cells if c.style == "header")
