"""The Impact metrics, Pivot matrix and Promotion read-out sheets of layout.build.

Apart from layout.py (the scorecard and expected_values) and guide_sheet.py (the Guide) so
each module stays readable; the same rules hold: pure, one description every writer and
reader walks. Row ids live in a hidden column A, so titles start in column B and no
internal id is shown to people.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import scoring
from .cells import (ASKING, SHARE, METRICS, PIVOTS, PRINT_SCALE, READOUT, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check,
                    ConditionalRule, Requirement, Role, SheetLayout, Validation, height, text_literal)
from .model import NOT_ASKING_TEXT, FieldKind, Ladder, Metric, Person, Pivot, Readout
from .styles import FILL

WHEN_ASKING = Requirement.WHEN_ASKING  # the pivot matrix and the read-out: required only of an SE asking for a move


_METRIC_COLUMNS = (("A", "ID", 4), ("B", "Metric", 20), ("C", "Benchmark", 16), ("D", "Target", 8), ("E", "Rule", 6),
                   ("F", "Unit", 16), ("G", "Measure how", 20), ("H", "Actual", 10), ("I", "Status", 10),
                   ("J", "Action if below benchmark", 36), ("K", "Notes", 40), ("L", "action text", 10))


def metrics_sheet(ladder: Ladder, person: Person) -> SheetLayout:
    """Impact metrics: the move's metrics against their benchmarks, and the SE's actuals this quarter.

    A move no metric applies to (a Core SE growing at Core) gets the sheet with only why: every
    workbook keeps the same sheets, so readers and Google's resume find them all.
    """
    shown = ladder.metrics_for(person.level, person.target_level)
    if not shown:
        move = f"{ladder.level(person.level).name} → {ladder.level(person.target_level).name}"
        note = (f"No impact metric applies to this quarter's move ({move}): leadership looks at them when "
                "deciding who to promote. Nothing to fill in here.")
        return SheetLayout(METRICS, (Cell("C1", Role.LABEL, "Impact Metrics vs Benchmarks", "title"),
                                     Cell("C2", Role.LABEL, note, "caption")), {"A": 4, "B": 20, "C": 100},
                           {1: TITLE_HEIGHT}, ("A",))
    cells, widths, heights = _table_top("Impact Metrics vs Benchmarks",
                                        "How leadership decides who to promote: enter this quarter's actuals.",
                                        _METRIC_COLUMNS, hidden="AL")
    checks = (Validation(Check.NUMBER, 0, 0, (), "Actual", "Enter a number of 0 or more."),
              Validation(Check.TEXT, 0, 2000, (), "Notes", "Notes are limited to 2,000 characters."))
    first = 5
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
        Cell(f"K{r}", Role.INPUT, None, "input_wrap", f"{k}.notes", notes, number_format=TEXT_FORMAT,
             required=Requirement.NEVER),
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
    cells += _pivot_results(ladder, first, s) + _sharing(ladder, s + 2)
    heights[s + 2] = height([(str(cells[-1].value), widths["J"])])
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
        Cell(f"F{r}", Role.INPUT, None, "input", f"{k}.interest", interest, required=WHEN_ASKING),
        Cell(f"G{r}", Role.INPUT, None, "input", f"{k}.signal", signal, required=WHEN_ASKING),
        Cell(f"H{r}", Role.INPUT, None, "input", f"{k}.gap_progress", progress, required=WHEN_ASKING),
        Cell(f"I{r}", Role.FORMULA, f'=IF(OR(G{r}="",H{r}=""),"",({top}*(G{r}={text_literal(yes)})+H{r})/{2 * top})',
             "result", f"{k}.readiness", number_format="0%"),
        Cell(f"J{r}", Role.LABEL, p.how_to_move, "wrap"),
        Cell(f"K{r}", Role.LABEL, p.trade_offs, "wrap"),
    ]
    texts = (p.name, p.transferable_skills, p.gap_to_close, p.readiness_signal, p.how_to_move, p.trade_offs)
    return cells, height([(text, widths[col]) for col, text in zip("BCDEJK", texts)])


def _sharing(ladder: Ladder, r: int) -> list[Cell]:
    """Row ``r``: the SE's choice to share their career interests with leadership by name (blank is no)."""
    yes, no = ladder.signal_options
    rule = Validation(Check.CHOICE, 0, 0, (yes, no), "Share with leadership",
                      f"Choose {yes} to share your pivot interest and track preference with leadership; {no} or "
                      "blank keeps them between you and your manager.")
    return [Cell(f"C{r}", Role.LABEL, "Share my career interests with leadership", "label"),
            Cell(f"F{r}", Role.INPUT, None, "input", SHARE, rule, required=Requirement.NEVER),
            Cell(f"J{r}", Role.LABEL, f"{yes}: leadership sees your pivot interest and track preference by name. "
                                      f"{no} or blank: only as counts across the organisation.", "note")]


def _pivot_results(ladder: Ladder, first: int, s: int) -> list[Cell]:
    """The track preference (an input) and the pivot of most interest, from row ``s``."""
    last = s - 2
    rng_h, rng_b = f"F{first}:F{last}", f"B{first}:B{last}"
    track = Validation(Check.CHOICE, 0, 0, ladder.track_options, "Track",
                       "Choose one of: " + ", ".join(ladder.track_options))
    return [
        Cell(f"C{s}", Role.LABEL, "Track preference", "label"),
        Cell(f"F{s}", Role.INPUT, None, "input", "track_preference", track, required=WHEN_ASKING),
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
                       number_format=TEXT_FORMAT if fd.kind is FieldKind.TEXT else "", required=WHEN_ASKING),
                  Cell(f"D{r}", Role.LABEL, fd.help, "note")]
        heights[r] = height([(fd.label, widths["B"]), (fd.help, widths["D"])])
    out = first + len(talk.fields) + 1
    # A move's talk track is shown only when the SE asks for it this quarter (the row above it says so).
    asking = _asking(ladder, person, out - 1) if person.level != person.target_level else []
    if asking:
        heights[out - 1] = height([(str(asking[0].value), widths["B"]), (str(asking[-1].value), widths["D"])])
    cells += asking + _talk_track(talk, first, out, yes=ladder.signal_options[0] if asking else "")
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


def _asking(ladder: Ladder, person: Person, r: int) -> list[Cell]:
    """Row ``r``: whether the SE asks for the move this quarter, theirs to answer unless the roster set it."""
    yes, no = ladder.signal_options
    if person.asking_for_move is None:
        answer = Cell(f"C{r}", Role.INPUT, None, "input", ASKING,
                      Validation(Check.CHOICE, 0, 0, (yes, no), "Asking for a move",
                                 f"Choose {yes} when you ask for it this quarter; {no} or blank otherwise."),
                      required=Requirement.NEVER)  # blank is "not asking"
        help_text = (f"{yes}: your pivot matrix and the inputs above are needed, and your talk track assembles "
                     f"below. {no} or blank: both are optional this quarter.")
    else:
        answer = Cell(f"C{r}", Role.LABEL, yes if person.asking_for_move else no, "text", ASKING)
        help_text = "Set for this quarter with your manager."
    return [Cell(f"B{r}", Role.LABEL, "Are you asking for a new role or title this quarter?", "wrap"), answer,
            Cell(f"D{r}", Role.LABEL, help_text, "note")]


def _talk_track(talk: Readout, first: int, out: int, yes: str = "") -> list[Cell]:
    """The template's text in hidden cells under row ``out``, and the talk-track formula in row ``out``.

    With ``yes``, the formula shows NOT_ASKING_TEXT unless the row above it (``ASKING``) holds it.
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
    formula = f"IF(OR({blank_test}),H{hidden_row},{'&'.join(pieces)})"
    if yes:
        cells.append(Cell(f"H{hidden_row + 1}", Role.LABEL, NOT_ASKING_TEXT, "text"))
        formula = f"IF(C{out - 1}<>{text_literal(yes)},H{hidden_row + 1},{formula})"
    return cells + [Cell(f"B{out}", Role.LABEL, "Your talk track", "label"),
                    Cell(f"C{out}", Role.FORMULA, f"={formula}", "result_wrap", "readout.text", name="ReadoutText")]


__all__ = ["metrics_sheet", "pivots_sheet", "readout_sheet"]
