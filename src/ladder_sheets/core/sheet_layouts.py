"""The Guide, Impact metrics, Pivot matrix and Promotion read-out sheets of layout.build.

Apart from layout.py (which keeps the scorecard, its formulas and expected_values) so
each module stays readable; the same rules hold: pure, one description every writer and
reader walks. Row ids live in a hidden column A, so titles start in column B and no
internal id is shown to people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from . import scoring
from .cells import (GUIDE, METRICS, PIVOTS, PRINT_SCALE, READOUT, SCORECARD, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check,
                    ConditionalRule, Role, SheetLayout, Validation, height, text_literal)
from .model import CellValue, FieldKind, Ladder, Metric, Person, Pivot, Readout, Roster
from .styles import FILL


def guide_sheet(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date, version: str) -> SheetLayout:
    """The Guide: whose workbook this is, how to fill it in and return it, and the ladder it measures against.

    Its facts are META cells, read back to tell whose workbook a returned file is.
    """
    manager = roster.manager_of(person)
    page = _Page(widths={"A": 22, "B": 50, "C": 50}, heights={1: TITLE_HEIGHT},
                 cells=[Cell("A1", Role.LABEL, f"{ladder.name}: {quarter} workbook", "title")])
    for label, value, key in _facts(ladder, roster, person, quarter, due, version):
        page.cells += [Cell(f"A{page.row}", Role.LABEL, label, "label"),
                       Cell(f"B{page.row}", Role.META, value, "text", key=key)]
        page.row += 1
    page.row += 1
    for text, style in _how_to_fill(ladder, manager.name, roster.return_address(person), due):
        page.paragraph(text, style)
    page.row += 1
    page.paragraph("Who fills which column", "heading")
    # The manager is named above (Manager, How to fill in); this header stays the same in every workbook,
    # so collect can recognise the table in anyone's returned file by it.
    page.table([("Sheet", "You fill (yellow)", "Your manager fills (yellow, manager only)"),
                (SCORECARD, f"Self (0-{ladder.scale.max} per criterion) and Evidence (yours)",
                 f"Manager (0-{ladder.scale.max}) and Manager's comment"),
                (METRICS, "Actual and Notes", "—"),
                (PIVOTS, "Interest, Signal present?, Gap progress and your track preference", "—"),
                (READOUT, "Your answer to every input", "—")])
    _the_ladder(page, ladder, person)
    return SheetLayout(GUIDE, tuple(page.cells), page.widths, page.heights, merges=tuple(page.merges))


@dataclass
class _Page:
    """The Guide as it is written: text flowing down columns A-C, one row after another."""

    widths: dict[str, float]
    heights: dict[int, float]
    cells: list[Cell]
    merges: list[str] = field(default_factory=list)
    row: int = 3  # the next row to write

    def paragraph(self, text: str, style: str = "paragraph") -> None:
        """``text`` across columns A-C, its row as tall as the wrapped text needs."""
        self.cells.append(Cell(f"A{self.row}", Role.LABEL, text, style))
        self.heights[self.row] = height([(text, self.widths["A"] + self.widths["B"] + self.widths["C"])],
                                        bold=style == "heading")
        self.merges.append(f"A{self.row}:C{self.row}")
        self.row += 1

    def table(self, rows: list[tuple[str, str, str]]) -> None:
        """A three-column table, its first row the header."""
        for i, texts in enumerate(rows):
            style = "header" if i == 0 else "wrap"
            self.cells.extend(Cell(f"{col}{self.row}", Role.LABEL, text, style) for col, text in zip("ABC", texts))
            self.heights[self.row] = height([(t, self.widths[c]) for c, t in zip("ABC", texts)],
                                            bold=style == "header")
            self.row += 1


def _facts(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date, version: str
           ) -> list[tuple[str, CellValue, str]]:
    """(label, value, meta key) of each fact about the workbook."""
    manager = roster.manager_of(person)
    return [
        ("Sales Engineer", person.name, "meta.person_name"),
        ("Person id", person.id, "meta.person_id"),
        ("Email", person.email, "meta.email"),
        ("Manager", f"{manager.name} <{manager.email}>", "meta.manager"),
        ("Team", manager.team, "meta.team"),
        ("Current level", ladder.level(person.level).name, "meta.level"),
        ("Target level", ladder.level(person.target_level).name, "meta.target_level"),
        ("Quarter", quarter, "meta.quarter"),
        ("Due date", due.isoformat(), "meta.due"),
        ("Template version", version, "meta.template_version"),
    ]


def _the_ladder(page: _Page, ladder: Ladder, person: Person) -> None:
    """The stages of SE mastery (this person's level and target marked), deal focus and skill groups."""
    page.row += 1
    page.paragraph("The four stages of SE mastery", "heading")
    for level in ladder.levels:
        mark = (" (your level)" if level.id == person.level else
                " (your target)" if level.id == person.target_level else "")
        page.paragraph(f"{level.name}{mark}: {level.summary} Radius of impact: {level.radius_of_impact}")
    focus = [lv for lv in ladder.levels if lv.deal_focus]
    if focus:
        page.row += 1
        page.paragraph("Deal focus and organisational impact: what each level sounds like", "heading")
        page.table([("Level", "Deal focus", "Organisational impact")]
                   + [(lv.name, lv.deal_focus, lv.organisational_impact) for lv in focus])
    page.row += 1
    page.paragraph("Non-technical skill groups", "heading")
    for g in ladder.skill_groups:
        page.paragraph(f"{g.name}: {g.description}")


def _how_to_fill(ladder: Ladder, manager: str, address: str, due: date) -> list[tuple[str, str]]:
    scale = " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))
    bands = " · ".join(f"{b.name} from {round(b.min_pct * 100)}%" for b in ladder.bands)
    gated = [b.name for b in ladder.bands if b.must_haves]
    out = [
        ("How to fill in", "heading"),
        (f"Yellow cells are typed in: most are yours; on the Scorecard, the Manager and Manager's comment columns "
         f"are for {manager}. Grey cells are calculated, everything else is fixed, and all of it is protected.",
         "paragraph"),
        (f"1. {SCORECARD}: score yourself on every criterion in the Self column and note your evidence "
         "(up to 5,000 characters; the row grows as you type).", "paragraph"),
        (f"2. {METRICS}: enter this quarter's actual for each metric.", "paragraph"),
        (f"3. {PIVOTS}: rate your interest in each pivot, whether you show its readiness signal and your "
         "progress on its gap; choose your track preference.", "paragraph"),
        (f"4. {READOUT}: fill in the inputs and your talk track assembles itself.", "paragraph"),
        (f"When you are done, save the workbook and return it to {address} by {due.isoformat()}.", "label"),
        (f"Scale: {scale}", "paragraph"),
        (f"Readiness bands: {bands}", "paragraph"),
    ]
    if gated and any(c.floor is not None for r in ladder.rubrics.values() for c in r.criteria):
        out.append((f"Must-have criteria (marked on the Scorecard) must reach their minimum score for "
                    f"{' or '.join(gated)}: points alone cannot make up for them.", "paragraph"))
    return out


_METRIC_COLUMNS = (("A", "ID", 4), ("B", "Metric", 20), ("C", "Benchmark", 16), ("D", "Target", 8), ("E", "Rule", 6),
                   ("F", "Unit", 16), ("G", "Measure how", 20), ("H", "Actual", 10), ("I", "Status", 10),
                   ("J", "Action if below benchmark", 36), ("K", "Notes", 40), ("L", "action text", 10))


def metrics_sheet(ladder: Ladder, person: Person) -> SheetLayout:
    """Impact metrics: this level's metrics against their benchmarks, and the SE's actuals this quarter."""
    cells, widths, heights = _table_top("Impact Metrics vs Benchmarks",
                                        "How leadership decides who to promote: enter this quarter's actuals.",
                                        _METRIC_COLUMNS, hidden="AL")
    checks = (Validation(Check.NUMBER, 0, 0, (), "Actual", "Enter a number of 0 or more."),
              Validation(Check.TEXT, 0, 2000, (), "Notes", "Notes are limited to 2,000 characters."))
    first = 5
    shown = ladder.metrics_for(person.level)
    for r, m in enumerate(shown, start=first):
        row, heights[r] = _metric_row(r, m, checks, widths)
        cells += row
    last = first + len(shown) - 1
    s = last + 2
    cells += [Cell(f"C{s}", Role.LABEL, "Metrics below benchmark", "label"),
              Cell(f"I{s}", Role.FORMULA, f'=COUNTIF(I{first}:I{last},"Below")', "result", "result.metrics_below",
                   name="MetricsBelow")]
    rules = (ConditionalRule(f"I{first}:I{last}", f'I{first}="Below"', FILL["developing"]),
             ConditionalRule(f"I{first}:I{last}", f'I{first}="Meets"', FILL["ready"]))
    return SheetLayout(METRICS, tuple(cells), widths, heights, ("A", "L"), rules, f"C{first}",
                       print_breaks=("I",), print_scale=PRINT_SCALE, print_columns="B:B", print_rows="4:4")


def _table_top(title: str, caption: str, columns: tuple[tuple[str, str, float], ...], hidden: str
               ) -> tuple[list[Cell], dict[str, float], dict[int, float]]:
    """Title, caption and the header row (4) of a table sheet: its cells, column widths and row heights."""
    # Titles in column C: column B repeats on every printed page, and would cut them at its edge.
    cells = [Cell("C1", Role.LABEL, title, "title"), Cell("C2", Role.LABEL, caption, "caption")]
    cells += [Cell(f"{col}4", Role.LABEL, h, "header") for col, h, _ in columns]
    heights = {1: TITLE_HEIGHT, 4: height([(h, w) for col, h, w in columns if col not in hidden], bold=True)}
    return cells, {col: w for col, _, w in columns}, heights


def _metric_row(r: int, m: Metric, checks: tuple[Validation, Validation], widths: Mapping[str, float]
                ) -> tuple[list[Cell], float]:
    """Row ``r`` for metric ``m``: its cells, and the height its wrapped texts need."""
    number, notes = checks
    k = f"metrics.{m.id}"
    cells = [
        Cell(f"A{r}", Role.LABEL, m.id, "id", key=f"rowid.{k}"),
        Cell(f"B{r}", Role.LABEL, m.name, "wrap"),
        Cell(f"C{r}", Role.LABEL, m.benchmark, "wrap"),
        Cell(f"D{r}", Role.LABEL, m.target, "number", number_format="0.##"),
        Cell(f"E{r}", Role.LABEL, m.comparator.value, "text"),
        Cell(f"F{r}", Role.LABEL, m.unit, "wrap"),
        Cell(f"G{r}", Role.LABEL, m.measure_how, "wrap"),
        Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.actual", number),
        Cell(f"I{r}", Role.FORMULA, f'=IF(H{r}="","Missing",IF(H{r}{m.comparator.value}D{r},"Meets","Below"))',
             "formula", f"{k}.status"),
        Cell(f"J{r}", Role.FORMULA, f'=IF(I{r}="Below",L{r},"")', "formula_wrap", f"{k}.action"),
        Cell(f"K{r}", Role.INPUT, None, "input_wrap", f"{k}.notes", notes, number_format=TEXT_FORMAT),
        Cell(f"L{r}", Role.LABEL, m.action_if_below, "text"),
    ]
    shown = zip("JFGBC", (m.action_if_below, m.unit, m.measure_how, m.name, m.benchmark))
    return cells, height([(text, widths[col]) for col, text in shown])


def pivots_sheet(ladder: Ladder) -> SheetLayout:
    """The pivot matrix: careers next to presales, the SE's interest and readiness for each, a track preference."""
    top = ladder.scale.max
    yes, no = ladder.signal_options
    columns = (("A", "ID", 4), ("B", "Pivot target", 16), ("C", "SE skills that transfer", 22),
               ("D", "Gap to close", 20), ("E", "Signal you're ready", 24), ("F", f"Interest (0-{top})", 9),
               ("G", f"Signal present? ({yes}/{no})", 10), ("H", f"Gap progress (0-{top})", 9),
               ("I", "Pivot readiness", 9), ("J", "How to make the move", 62), ("K", "Trade-offs", 40))
    cells, widths, heights = _table_top("Career Pivot Readiness Matrix",
                                        "Career pivots aren't exits from presales. They're expansions of the presales "
                                        "skill set into adjacent domains.", columns, hidden="A")
    first = 5
    checks = _pivot_checks(ladder)
    for r, p in enumerate(ladder.pivots, start=first):
        row, heights[r] = _pivot_row(r, p, ladder, checks, widths)
        cells += row
    s = first + len(ladder.pivots) + 1
    cells += _pivot_results(ladder, first, s)
    merges = (f"F{s}:H{s}", f"F{s + 1}:I{s + 1}")
    return SheetLayout(PIVOTS, tuple(cells), widths, heights, ("A",), (), f"C{first}", merges,
                       print_breaks=("I",), print_scale=PRINT_SCALE, print_columns="B:B", print_rows="4:4")


def _pivot_checks(ladder: Ladder) -> tuple[Validation, Validation, Validation]:
    """What interest, signal present and gap progress accept."""
    top = ladder.scale.max
    yes, no = ladder.signal_options
    scale = tuple(str(i) for i in range(top + 1))
    return (Validation(Check.SCORE, 0, top, scale, "Interest", f"Choose 0 (none) to {top} (strong)."),
            Validation(Check.CHOICE, 0, 0, (yes, no), "Signal", f"Choose {yes} or {no}."),
            Validation(Check.SCORE, 0, top, scale, "Gap progress", f"Choose 0 (not started) to {top} (closed)."))


def _pivot_row(r: int, p: Pivot, ladder: Ladder, checks: tuple[Validation, Validation, Validation],
               widths: Mapping[str, float]) -> tuple[list[Cell], float]:
    """Row ``r`` for pivot ``p``: its cells, and the height its wrapped texts need."""
    interest, signal, progress = checks
    top, yes = ladder.scale.max, ladder.signal_options[0]
    k = f"pivots.{p.id}"
    cells = [
        Cell(f"A{r}", Role.LABEL, p.id, "id", key=f"rowid.{k}"),
        Cell(f"B{r}", Role.LABEL, p.name, "wrap"),
        Cell(f"C{r}", Role.LABEL, p.transferable_skills, "wrap"),
        Cell(f"D{r}", Role.LABEL, p.gap_to_close, "wrap"),
        Cell(f"E{r}", Role.LABEL, p.readiness_signal, "wrap"),
        Cell(f"F{r}", Role.INPUT, None, "input", f"{k}.interest", interest),
        Cell(f"G{r}", Role.INPUT, None, "input", f"{k}.signal", signal),
        Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.gap_progress", progress),
        Cell(f"I{r}", Role.FORMULA, f'=IF(OR(G{r}="",H{r}=""),"",({top}*(G{r}={text_literal(yes)})+H{r})/{2 * top})',
             "result", f"{k}.readiness", number_format="0%"),
        Cell(f"J{r}", Role.LABEL, p.how_to_move, "wrap"),
        Cell(f"K{r}", Role.LABEL, p.trade_offs, "wrap"),
    ]
    texts = (p.name, p.transferable_skills, p.gap_to_close, p.readiness_signal, p.how_to_move, p.trade_offs)
    return cells, height([(text, widths[col]) for col, text in zip("BCDEJK", texts)])


def _pivot_results(ladder: Ladder, first: int, s: int) -> list[Cell]:
    """The track preference (an input) and the pivot of most interest, from row ``s``."""
    last = s - 2
    rng_h, rng_b = f"F{first}:F{last}", f"B{first}:B{last}"
    track = Validation(Check.CHOICE, 0, 0, ladder.track_options, "Track",
                       "Choose one of: " + ", ".join(ladder.track_options))
    return [
        Cell(f"C{s}", Role.LABEL, "Track preference", "label"),
        Cell(f"F{s}", Role.INPUT, None, "input", "track_preference", track),
        Cell(f"C{s + 1}", Role.LABEL, "Top pivot interest", "label"),
        Cell(f"F{s + 1}", Role.FORMULA,
             f'=IF(COUNT({rng_h})=0,"",IF(MAX({rng_h})=0,"None",INDEX({rng_b},MATCH(MAX({rng_h}),{rng_h},0))))',
             "result", "result.top_pivot", name="TopPivot"),
    ]


def readout_sheet(ladder: Ladder, person: Person) -> SheetLayout:
    """The promotion read-out: the SE's answers, and the talk track a formula assembles from them."""
    target = ladder.level(person.target_level).name
    talk = ladder.readout_for(person.level, person.target_level)
    purpose = talk.purpose.replace("{target}", target) or (
        f"Use this in your quarterly review when you are ready to ask for the {target} title.")
    widths = {"A": 4, "B": 30, "C": 70, "D": 40, "H": 10}
    cells = [Cell("B1", Role.LABEL, talk.title, "title"),
             Cell("B2", Role.LABEL, purpose, "caption"),
             Cell("B4", Role.LABEL, "Input", "header"), Cell("C4", Role.LABEL, "Your answer", "header"),
             Cell("D4", Role.LABEL, "Example / help", "header")]
    heights: dict[int, float] = {1: TITLE_HEIGHT, 2: height([(purpose, 140)])}
    checks = _answer_checks(ladder)
    first = 5
    for r, fd in enumerate(talk.fields, start=first):
        cells += [Cell(f"A{r}", Role.LABEL, fd.id, "id", key=f"rowid.readout.{fd.id}"),
                  Cell(f"B{r}", Role.LABEL, fd.label, "wrap"),
                  Cell(f"C{r}", Role.INPUT, None, "input_wrap", f"readout.{fd.id}", checks[fd.kind],
                       number_format=TEXT_FORMAT if fd.kind is FieldKind.TEXT else ""),
                  Cell(f"D{r}", Role.LABEL, fd.help, "note")]
        heights[r] = height([(fd.label, widths["B"]), (fd.help, widths["D"])])
    out = first + len(talk.fields) + 1
    cells += _talk_track(talk, first, out)
    # Room for the template with every answer at a realistic length (rows grow when typed into).
    heights[out] = height([(talk.template + " " * 60 * len(talk.fields), widths["C"] + widths["D"])])
    return SheetLayout(READOUT, tuple(cells), widths, heights, ("A", "H"), merges=(f"C{out}:D{out}",))


def _answer_checks(ladder: Ladder) -> dict[FieldKind, Validation]:
    """What an answer of each kind of read-out field accepts."""
    level_names = tuple(lv.name for lv in ladder.levels)
    return {
        FieldKind.TEXT: Validation(Check.TEXT, 0, 1000, (), "Text", "Answers are limited to 1,000 characters."),
        FieldKind.PERCENT: Validation(Check.PERCENT, 0, 1000, (), "Percent",
                                      "Enter a whole number of percent, e.g. 115."),
        FieldKind.LEVEL: Validation(Check.CHOICE, 0, 0, level_names, "Level", "Choose a level of the ladder."),
    }


def _talk_track(talk: Readout, first: int, out: int) -> list[Cell]:
    """The template's text in hidden cells under row ``out``, and the talk-track formula in row ``out``.

    Hidden cells keep every literal out of the formula, far from Excel's 255-character limit;
    they sit below the answers, so sorting the answers never reorders the template.
    """
    # Each answer found by its field's id (column A): a sort of the answers leaves the talk track right.
    last = first + len(talk.fields) - 1
    refs = {fd.id: f"INDEX(C{first}:C{last},MATCH({text_literal(fd.id)},A{first}:A{last},0))" for fd in talk.fields}
    kinds = {fd.id: fd.kind for fd in talk.fields}
    cells: list[Cell] = []
    pieces: list[str] = []
    hidden_row = out + 2
    for kind, content in scoring.template_segments(talk.template):
        if kind == "text":
            cells.append(Cell(f"H{hidden_row}", Role.LABEL, content, "text"))
            pieces.append(f"H{hidden_row}")
            hidden_row += 1
        else:
            pieces.append(refs[content] + ('&"%"' if kinds[content] is FieldKind.PERCENT else ""))
    cells.append(Cell(f"H{hidden_row}", Role.LABEL, talk.incomplete_text, "text"))
    blank_test = ",".join(f'{ref}=""' for ref in refs.values())
    return cells + [Cell(f"B{out}", Role.LABEL, "Your talk track", "label"),
                    Cell(f"C{out}", Role.FORMULA, f"=IF(OR({blank_test}),H{hidden_row},{'&'.join(pieces)})",
                         "result_wrap", "readout.text", name="ReadoutText")]


__all__ = ["guide_sheet", "metrics_sheet", "pivots_sheet", "readout_sheet"]
