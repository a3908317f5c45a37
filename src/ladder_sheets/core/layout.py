"""ONE description of every sheet: which cell holds what, which are inputs, which formulas.

The Excel writer, the Google Sheets writer and both readers all walk this description,
so what is written and what is read back can never drift apart. ``build`` assembles a
workbook from the scorecard (here, with its formulas) and the other sheets
(guide_sheet, sheet_layouts), all made of the types in cells. Its formulas
(scorecard_formulas) mirror scoring.py;
``expected_values`` states what each formula cell must show, and the formula-oracle
tests hold LibreOffice's recalculation to it.

Pure: no I/O, no spreadsheet library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from . import scoring
from .cells import (EVIDENCE_FORMAT, PRINT_SCALE, SCORECARD, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check, ConditionalRule,
                    Editor, Requirement, Role, SheetLayout, Validation, WorkbookLayout, height, text_literal)
from .model import CellValue, Criterion, Inputs, Ladder, ManagerScores, Person, Roster, Rubric
from .guide_sheet import guide_sheet, not_observed_text, scale_text
from .scorecard_formulas import Columns, band, hold, points, readiness, scored
from .sheet_layouts import metrics_sheet, pivots_sheet, readout_sheet
from .styles import FILL

LAYOUT_VERSION = 4  # 4: the manager's columns locked when managers score in a review


def template_version(ladder: Ladder) -> str:
    return f"{ladder.id}@{ladder.version}/layout-{LAYOUT_VERSION}"


# ---- the workbook ----------------------------------------------------------------------


def build(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date,
          carry: Mapping[str, CellValue] | None = None, manager_scores: ManagerScores | None = None) -> WorkbookLayout:
    """The full description of one SE's workbook for one quarter.

    With ``carry`` (last quarter's scores, evidence and metrics by ``carry.*`` key, from the
    history), the scorecard and the metrics sheet gain read-only "Last quarter" columns
    to the right, each on its own printed page; every other cell stays where it is.
    ``manager_scores`` (default: the roster's) ``review`` locks the manager's columns: the
    manager scores in a review workbook of their own. Google Sheets passes ``in_workbook``:
    there the manager's cells are a range only the manager may edit.
    """
    rubric = ladder.rubric_for(person.target_level)
    version = template_version(ladder)
    review = (manager_scores or roster.manager_scores) is ManagerScores.REVIEW
    scorecard, metrics = scorecard_sheet(ladder, rubric, person, quarter, review), metrics_sheet(ladder, person)
    if carry is not None:
        scorecard = _carried(scorecard, "criteria", (("N", "Last quarter: self", "self", 9),
                                                     ("O", "Last quarter: manager", "manager", 9),
                                                     ("P", "Last quarter's evidence", "evidence", 92)), carry)
        metrics = _carried(metrics, "metrics", (("M", "Last quarter", "actual", 12),
                                                ("N", "Last quarter's notes", "notes", 40)), carry)
    sheet_list = (
        guide_sheet(ladder, roster, person, quarter, due, version, review),
        scorecard,
        metrics,
        pivots_sheet(ladder),
        readout_sheet(ladder, person),
    )
    return WorkbookLayout(person, quarter, version, sheet_list)


def _carried(sheet: SheetLayout, kind: str, columns: tuple[tuple[str, str, str, float], ...],
             carry: Mapping[str, CellValue]) -> SheetLayout:
    """``sheet`` with read-only columns of last quarter's values, one row per ``rowid.<kind>.*`` row."""
    rows = [c for c in sheet.cells if c.key.startswith(f"rowid.{kind}.")]
    if not rows:
        return sheet  # nothing to carry (no metric applies to this move)
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


NEVER = Requirement.NEVER
_SC_FIRST = 6  # first criterion row of the scorecard
_MUST_HAVE_CAPTION = "A must-have scored under its minimum caps the band (in brackets), whatever the points."


# Scorecard columns in order, as (name, header, width); the header's {top} is the scale's top score.
# Widths are chosen so that, printed at PRINT_SCALE on Letter or A4 landscape, the criteria and
# scores fill page one, evidence and the manager's comment page two (5,000 characters fit a page).
_SC_COLUMNS = (("id", "ID", 6), ("competency", "Competency (skill group)", 14), ("criterion", "Criterion", 25),
               ("anchor", "What {top} looks like", 26), ("weight", "Weight", 7), ("floor", "Must-have: at least", 13),
               ("self", "Self (0-{top})", 9), ("manager", "Manager (0-{top})", 9), ("gap", "Gap (M−S)", 7),
               ("self_points", "Self points", 7), ("manager_points", "Manager points", 9),
               ("evidence", "Evidence (yours)", 92), ("comment", "Manager's comment", 34))
SC = {name: chr(65 + i) for i, (name, _, _) in enumerate(_SC_COLUMNS)}  # column letter by name
# When managers score in a review: the headers of the manager's columns, what stands in their results.
_REVIEW_HEADERS = {"manager": "Manager (in review)", "comment": "Manager's comment (in review)"}
IN_REVIEW = "in your manager's review"
_MANAGER_RESULTS = ("result.manager_pct", "result.manager_band", "result.manager_hold", "result.calibration_gap",
                    "result.manager_scored")


def scorecard_sheet(ladder: Ladder, rubric: Rubric, person: Person, quarter: str, review: bool = False) -> SheetLayout:
    """The Scorecard: a row per criterion (self and manager scores, evidence, comment), then the results.

    Printed, the criteria and scores fill page one, the evidence and comments page two. With
    ``review`` the manager's columns and results stay in place, locked: the manager scores in a review.
    """
    must = ladder.must_haves(rubric)
    cells, widths, heights = _scorecard_top(ladder, rubric, person, quarter, review)
    first, last = _SC_FIRST, _SC_FIRST + len(rubric.criteria) - 1
    groups = {g.id: g.name for g in ladder.skill_groups}
    checks = _criterion_checks(ladder)
    for r, c in enumerate(rubric.criteria, start=first):
        row, heights[r] = _criterion_row(r, c, groups.get(c.skill_group, ""), checks, widths, must_have(ladder, c))
        cells += _in_review(row) if review else row
    rows = {c.id: r for r, c in enumerate(rubric.criteria, start=first)}
    results, merges = _result_cells(ladder, must, rows, last + 2, widths, heights, review)
    return SheetLayout(SCORECARD, (*cells, *results), widths, heights, (), _scorecard_rules(ladder, must, rows),
                       f"{SC['anchor']}{first}", (f"D3:{SC['manager_points']}3", *merges),
                       print_breaks=(SC["manager_points"], SC["comment"]), print_scale=PRINT_SCALE,
                       print_columns="A:A", print_rows="5:5")


def _scorecard_top(ladder: Ladder, rubric: Rubric, person: Person, quarter: str, review: bool = False
                   ) -> tuple[list[Cell], dict[str, float], dict[int, float]]:
    """Title, subtitle, caption and column headers: the cells, the column widths and the row heights so far."""
    top = ladder.scale.max
    current, target = ladder.level(person.level).name, ladder.level(person.target_level).name
    caption = " ".join((f"Scale: {scale_text(ladder)}.",
                        "You fill Self and Evidence; your manager scores this in their review (the Manager columns "
                        "stay locked here)." if review else
                        "You fill Self and Evidence; your manager fills Manager and Manager's comment.",
                        *((not_observed_text(ladder),) if any(c.allow_not_observed for c in rubric.criteria) else ()),
                        *((_MUST_HAVE_CAPTION,) if ladder.must_haves(rubric) else ())))
    # Titles start in column B: column A repeats on every printed page, and text overflowing
    # from it would be cut at its edge on the evidence pages.
    cells = [
        Cell("B1", Role.LABEL, f"Promotion Readiness Scorecard: {rubric.title}", "title"),
        Cell("B2", Role.LABEL, f"{person.name} · {current} → {target} · {quarter}", "subtitle"),
        Cell("D3", Role.LABEL, caption, "note"),  # right of the frozen A:C: Google refuses a merge across it
    ]
    headers = [(SC[name], (_REVIEW_HEADERS.get(name) if review else None) or h.format(top=top), w)
               for name, h, w in _SC_COLUMNS]
    cells += [Cell(f"{col}5", Role.LABEL, h, "header") for col, h, _ in headers]
    caption_width = sum(w for name, _, w in _SC_COLUMNS[3:] if name not in ("evidence", "comment"))  # D:K
    heights = {1: TITLE_HEIGHT, 3: height([(caption, caption_width)]),
               5: height([(h, w) for _, h, w in headers], bold=True)}
    return cells, {col: w for col, _, w in headers}, heights


_Checks = tuple[Validation, Validation, Validation, Validation]


def _criterion_checks(ladder: Ladder) -> _Checks:
    """What a score, a score that may be "not observed yet", an evidence text and a manager's comment accept."""
    top, labels, na = ladder.scale.max, ladder.scale.labels, ladder.not_observed.label
    scale = tuple(str(i) for i in range(top + 1))
    choose = f"Choose 0 ({labels[0]}) to {top} ({labels[top]})"
    return (Validation(Check.SCORE, 0, top, scale, "Score", f"{choose}."),
            Validation(Check.SCORE_OR_NA, 0, top, (*scale, na), "Score",
                       f"{choose}, or {na} if there was no chance to show it this quarter."),
            Validation(Check.TEXT, 0, 5000, (), "Evidence", "Evidence is limited to 5,000 characters."),
            Validation(Check.TEXT, 0, 2000, (), "Comment", "Comments are limited to 2,000 characters."))


def manager_checks(ladder: Ladder, c: Criterion) -> tuple[Validation, Validation]:
    """What a manager's score and comment on criterion ``c`` accept: the scorecard's own rules."""
    plain, or_na, _, comment = _criterion_checks(ladder)
    return or_na if c.allow_not_observed else plain, comment


def must_have(ladder: Ladder, c: Criterion) -> str | None:
    """The must-have column: "2 (else at most Close)", the minimum and the band it caps; None if not one."""
    if c.floor is None:
        return None
    blocked = ladder.blocked_bands(c)
    return f"{c.floor} (else at most {next(b.name for b in ladder.bands if b.name not in blocked)})"


def _criterion_row(r: int, c: Criterion, group: str, checks: _Checks, widths: Mapping[str, float],
                   must_have: str | None) -> tuple[list[Cell], float]:
    """Row ``r`` for criterion ``c``: its cells, and the height its wrapped texts need."""
    plain, or_na, evidence, comment = checks
    score = or_na if c.allow_not_observed else plain
    k = f"criteria.{c.id}"
    competency = f"{c.competency}\n({group})" if group else c.competency
    se, mg, weight = SC["self"], SC["manager"], SC["weight"]
    cells = [
        Cell(f"{SC['id']}{r}", Role.LABEL, c.id, "id", key=f"rowid.{k}"),
        Cell(f"{SC['competency']}{r}", Role.LABEL, competency, "wrap"),
        Cell(f"{SC['criterion']}{r}", Role.LABEL, c.text, "wrap"),
        Cell(f"{SC['anchor']}{r}", Role.LABEL, c.anchor, "wrap"),
        Cell(f"{weight}{r}", Role.LABEL, c.weight, "number", number_format="0.##"),
        Cell(f"{SC['floor']}{r}", Role.LABEL, must_have, "must"),
        Cell(f"{se}{r}", Role.INPUT, None, "input", f"{k}.self", score, Editor.SE),
        Cell(f"{mg}{r}", Role.INPUT, None, "input", f"{k}.manager", score, Editor.MANAGER),
        # ISNUMBER, not ="": a score cell may hold "not observed yet", which no sum or difference takes.
        Cell(f"{SC['gap']}{r}", Role.FORMULA, f'=IF(AND(ISNUMBER({se}{r}),ISNUMBER({mg}{r})),{mg}{r}-{se}{r},"")',
             "formula", f"{k}.gap", number_format="+0;-0;0"),
        Cell(f"{SC['self_points']}{r}", Role.FORMULA, points(f"{se}{r}", f"{weight}{r}"), "formula",
             f"{k}.self_points", number_format="0.##"),
        Cell(f"{SC['manager_points']}{r}", Role.FORMULA, points(f"{mg}{r}", f"{weight}{r}"), "formula",
             f"{k}.manager_points", number_format="0.##"),
        Cell(f"{SC['evidence']}{r}", Role.INPUT, None, "evidence", f"{k}.evidence", evidence, Editor.SE,
             number_format=EVIDENCE_FORMAT, required=NEVER),
        Cell(f"{SC['comment']}{r}", Role.INPUT, None, "input_wrap", f"{k}.comment", comment, Editor.MANAGER,
             number_format=TEXT_FORMAT, required=NEVER),
    ]
    shown = [(c.text, SC["criterion"]), (c.anchor, SC["anchor"]), (competency, SC["competency"])]
    return cells, height([(text, widths[column]) for text, column in shown])


def _in_review(row: list[Cell]) -> list[Cell]:
    """A criterion row whose manager cells are locked: scored in the manager's review, not here.

    The manager's score and comment stay (read back only to say anything typed there is not
    used); the cells calculated from them are blank.
    """
    mine = {SC["manager"], SC["comment"]}
    derived = {SC["gap"], SC["manager_points"]}
    out = []
    for c in row:
        if c.column in mine:
            c = replace(c, role=Role.RESERVED, style="reserved", validation=None, number_format="")
        elif c.column in derived:
            c = Cell(c.ref, Role.LABEL, None, "reserved")
        out.append(c)
    return out


def columns(ladder: Ladder, rows: Mapping[str, int], col: Mapping[str, str], who: str) -> Columns:
    """One rater's criterion rows as ranges, on a sheet laid out as the scorecard (``col``: letters by name)."""
    first, last = min(rows.values()), max(rows.values())
    span = {name: f"{col[name]}{first}:{col[name]}{last}" for name in ("id", "criterion", "weight", who)}
    return Columns(span["id"], span["criterion"], span["weight"], span[who], text_literal(ladder.not_observed.label))


def _columns(ladder: Ladder, rows: Mapping[str, int], who: str) -> Columns:
    return columns(ladder, rows, SC, who)


def _results(ladder: Ladder, must: tuple[Criterion, ...], rows: Mapping[str, int], s: int
             ) -> list[tuple[str, str, str, str, str]]:
    """The results under the criteria, from row ``s``: (label, key, defined name, formula, number format)."""
    res = SC["self"]  # results sit under the Self column
    se, mg = _columns(ladder, rows, "self"), _columns(ladder, rows, "manager")
    summary = [
        ("Self readiness", "result.self_pct", "SelfReadiness", readiness(ladder, se), "0%"),
        ("Manager readiness", "result.manager_pct", "ManagerReadiness", readiness(ladder, mg), "0%"),
        ("Self band", "result.self_band", "SelfBand", band(ladder, must, f"{res}{s}", se), ""),
        ("Manager band", "result.manager_band", "ManagerBand", band(ladder, must, f"{res}{s + 1}", mg), ""),
        ("Calibration gap (M − S)", "result.calibration_gap", "CalibrationGap",
         f'=IF(OR({res}{s}="",{res}{s + 1}=""),"",{res}{s + 1}-{res}{s})', "+0%;-0%;0%"),
        ("Criteria scored by self", "result.self_scored", "", scored(se), ""),
        ("Criteria scored by manager", "result.manager_scored", "", scored(mg), ""),
    ]
    if must:
        summary[4:4] = [
            ("Self band held by", "result.self_hold", "", hold(ladder, must, se, f"{res}{s}", f"{res}{s + 2}"), ""),
            ("Manager band held by", "result.manager_hold", "",
             hold(ladder, must, mg, f"{res}{s + 1}", f"{res}{s + 3}"), ""),
        ]
    return summary


def _result_cells(ladder: Ladder, must: tuple[Criterion, ...], rows: Mapping[str, int], s: int,
                  widths: Mapping[str, float], heights: dict[int, float], review: bool = False
                  ) -> tuple[list[Cell], list[str]]:
    """The results' cells from row ``s``, and their merges; a hold reason's row gets the height it needs.

    With ``review`` the manager's results say they are in the manager's review.
    """
    cells: list[Cell] = []
    merges: list[str] = []
    reason = max((len(text) for text in _longest_holds(ladder, must)), default=0)
    wide_to = SC["manager_points"]
    for n, (label, key, name, formula, fmt) in enumerate(_results(ladder, must, rows, s)):
        r = s + n
        wide = key.endswith("_hold")  # a sentence: from the anchor column to the end of the first printed page
        where = SC["anchor"] if wide else SC["self"]
        result = Cell(f"{where}{r}", Role.FORMULA, formula, "result_wrap" if wide else "result", key, name=name,
                      number_format=fmt)
        if review and key in _MANAGER_RESULTS:
            result = Cell(result.ref, Role.LABEL, IN_REVIEW, "reserved")
        cells += [Cell(f"{SC['criterion']}{r}", Role.LABEL, label, "label"), result]
        if wide:
            merges.append(f"{where}{r}:{wide_to}{r}")
            span = sum(widths[chr(i)] for i in range(ord(where), ord(wide_to) + 1))
            heights[r] = height([("x" * reason, span)])
    return cells, merges


def _scorecard_rules(ladder: Ladder, must: tuple[Criterion, ...], rows: Mapping[str, int]
                     ) -> tuple[ConditionalRule, ...]:
    """Bands coloured, large calibration gaps and must-haves under their minimum flagged.

    A must-have's flag finds its row by the criterion's id, so it follows a sort.
    """
    res, gap = SC["self"], SC["gap"]
    first, last = min(rows.values()), max(rows.values())
    s = last + 2
    fills = ("ready", "close", "developing")
    rules = tuple(
        ConditionalRule(f"{res}{s + 2}:{res}{s + 3}", f'{res}{s + 2}="{b.name}"', FILL[kind])
        for b, kind in zip(ladder.bands, fills)
    ) + (ConditionalRule(f"{gap}{first}:{gap}{last}", f'AND(ISNUMBER({gap}{first}),ABS({gap}{first})>=2)',
                         FILL["developing"]),)
    score, scores = f"{SC['self']}{first}", f"{SC['self']}{first}:{SC['manager']}{last}"
    return rules + tuple(
        ConditionalRule(scores, f"AND(${SC['id']}{first}={text_literal(c.id)},ISNUMBER({score}),{score}<{c.floor})",
                        FILL["developing"]) for c in must)


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
    n = len(rubric.criteria)
    out: dict[str, CellValue] = {
        "result.self_pct": _or_blank(s.self_pct),
        "result.manager_pct": _or_blank(s.manager_pct),
        "result.self_band": s.self_band,
        "result.manager_band": s.manager_band,
        "result.calibration_gap": _or_blank(s.calibration_gap),
        "result.self_scored": _scored_text(n, s.self_missing, s.self_not_observed),
        "result.manager_scored": _scored_text(n, s.manager_missing, s.manager_not_observed),
        "result.top_pivot": s.top_pivot,
        "readout.text": s.readout_text,
    }
    if ladder.must_haves(rubric):
        out["result.self_hold"], out["result.manager_hold"] = s.self_hold, s.manager_hold
    for c in rubric.criteria:
        got = inputs.criteria.get(c.id)
        out[f"criteria.{c.id}.gap"] = _or_blank(s.criterion_gaps[c.id])
        out[f"criteria.{c.id}.self_points"] = _or_blank(scoring.weighted_points(got.self_value if got else None, c.weight))
        out[f"criteria.{c.id}.manager_points"] = _or_blank(
            scoring.weighted_points(got.manager_value if got else None, c.weight))
    metrics = ladder.metrics_for(person.level, person.target_level)
    if metrics:
        out["result.metrics_below"] = sum(1 for v in s.metric_status.values() if v == "Below")
    for m in metrics:
        status = s.metric_status[m.id]
        out[f"metrics.{m.id}.status"] = status.value
        out[f"metrics.{m.id}.action"] = m.action_if_below if status == "Below" else ""
    for p in ladder.pivots:
        out[f"pivots.{p.id}.readiness"] = _or_blank(s.pivot_readiness[p.id])
    return out


def _scored_text(n: int, missing: tuple[str, ...], not_observed: tuple[str, ...]) -> str:
    """"10 of 10 (2 not observed yet)", as the scorecard counts scored criteria."""
    return f"{n - len(missing)} of {n}" + (f" ({len(not_observed)} not observed yet)" if not_observed else "")


def _or_blank(value: float | None) -> CellValue:
    """A formula's "" where scoring has None (not yet computable)."""
    return "" if value is None else value
