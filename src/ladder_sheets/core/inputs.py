"""Raw cell values of a returned workbook -> ``model.Inputs`` and the problems found on the way.

Pure: no I/O. Each input cell is held to its ``cells.Validation`` (the same rule the
workbook's data validation enforced, since people paste past it or edit in other apps).

Two rules keep the results equal to what the workbook itself shows:

* a value that breaks its rule is an ERROR and counts as blank for scoring, as the
  workbook's ``COUNT`` ignores text; except over-long text, which the formulas still use
  as typed, so it is kept;
* every key whose value we used differs from what the formulas saw (rejected, trimmed,
  re-cased) is reported in ``ParsedInputs.adjusted``, so collect does not mistake the
  workbook's own result of such a cell for a tampered formula.

Blank is never zero: a required blank is an INCOMPLETE problem, one per cell where someone
started filling the section (a sheet's cells one person fills), else one for the whole
section ("Scorecard not started: 13 criteria to self-score"). The manager's column is its
own incompleteness (``Kind.AWAITING_MANAGER``, one problem per workbook), so "the SE has
not finished" and "the manager has not scored yet" stay apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Union

from .cells import ASKING, SHARE, Cell, Check, Editor, Requirement, Role, Validation, WorkbookLayout
from .input_keys import criterion_text, describe, describer, split_key, to_model
from .model import CellValue, Inputs, Ladder
from .results import Kind, Problem, Severity
from .scoring import as_text

__all__ = ["CellError", "ParsedCell", "ParsedInputs", "RawValue", "describe", "parse_cell", "parse_inputs", "show"]



@dataclass(frozen=True)
class CellError:
    """A cell showing an error value (#NAME?, #VALUE!, Err:509): most often text typed with a leading =."""

    code: str

    def __str__(self) -> str:
        return self.code


# What a reader may hand over for one cell: spreadsheet apps also store dates and times, and error values.
RawValue = Union[CellValue, date, time, timedelta, CellError]


@dataclass(frozen=True)
class ParsedInputs:
    """One workbook's inputs as a model, with every problem found in them."""

    inputs: Inputs
    problems: tuple[Problem, ...]
    adjusted: frozenset[str]  # keys whose value as used differs from the cell's value as the formulas saw it


@dataclass(frozen=True)
class ParsedCell:
    """One input cell's value as used for scoring, and why it differs from what was typed, if it does."""

    value: CellValue  # None when blank or rejected
    problem: tuple[Kind, str] | None = None  # (kind, message) when rejected
    adjusted: bool = False


def parse_inputs(ladder: Ladder, layout: WorkbookLayout, raw: Mapping[str, RawValue], file: str) -> ParsedInputs:
    """Check and convert every input cell present in ``raw`` (cells of missing sheets are simply absent).

    Whether the SE asks for a move this quarter is read first: it decides whether the pivot
    matrix and the read-out are required.
    """
    plan = _plan(ladder, layout)
    asking = plan.asking(ladder, raw)
    values: dict[str, CellValue] = {}
    problems: list[Problem] = []
    adjusted: set[str] = set()
    blanks: dict[_Section, list[tuple[Cell, Problem | None]]] = {}  # required cells left blank, by section
    started: set[_Section] = set()
    for title, cell, key, rule, required, blank in plan.entries:
        if key not in raw:
            continue
        value = raw[key]
        section = (title, blank is None)
        parsed = _BLANK if value is None else parse_cell(rule, value)  # the common blank, without parsing
        values[key] = parsed.value
        if parsed.adjusted:
            adjusted.add(key)
        if (parsed.value is not None or parsed.problem is not None) and key not in (ASKING, SHARE):  # start nothing
            started.add(section)
        if parsed.problem is not None:
            kind, message = parsed.problem
            if kind is Kind.ERROR_VALUE:
                what = describer(ladder)(key) + criterion_text(ladder, key)
                message = f"{what[:1].upper()}{what[1:]} {message}"
            problems.append(Problem(file, title, cell.ref, kind, message, Severity.ERROR))
        elif parsed.value is None and (required is ALWAYS or (required is WHEN_ASKING and asking)):
            problem = None if blank is None else Problem(file, title, cell.ref, Kind.BLANK, blank, Severity.INCOMPLETE)
            blanks.setdefault(section, []).append((cell, problem))
            if problem is not None:
                problems.append(problem)
    return ParsedInputs(to_model(ladder, values, asking), tuple(_summarised(problems, blanks, started, file)),
                        frozenset(adjusted))


# A section: a sheet's cells that one person fills (title, True for the manager's column).
_Section = tuple[str, bool]
_BLANK = ParsedCell(None)


def _summarised(problems: list[Problem], blanks: dict[_Section, list[tuple[Cell, Problem | None]]],
                started: set[_Section], file: str) -> list[Problem]:
    """The problems, where a section nobody started is one problem instead of one per blank cell.

    A blank returned workbook would otherwise make a problem of every input cell (dozens per
    file, hundreds of thousands in a large collect), none of which says more than "not started".
    """
    dropped: dict[int, Problem | None] = {}  # id of a blank cell's problem -> its section's summary, or None
    awaiting: list[Problem] = []
    for (title, manager), cells in blanks.items():
        if manager:
            awaiting.append(_awaiting_manager(file, title, [c for c, _ in cells], (title, True) in started))
        elif (title, False) not in started:
            summary = _not_started(file, title, [c for c, _ in cells])
            for n, (_, problem) in enumerate(cells):
                dropped[id(problem)] = summary if n == 0 else None
    out = [dropped.get(id(p), p) for p in problems] if dropped else problems
    return [p for p in out if p is not None] + awaiting


# (sheet title, cell, key, rule, when it is required, the blank problem's message or None for a manager's cell)
_Entry = tuple[str, Cell, str, Validation, Requirement, Union[str, None]]
ALWAYS, WHEN_ASKING = Requirement.ALWAYS, Requirement.WHEN_ASKING


@dataclass(frozen=True)
class _Plan:
    """A layout's input cells, and where it says whether the SE asks for a move this quarter."""

    entries: tuple[_Entry, ...]
    asking_rule: Validation | None  # the SE answers in the workbook
    set_by_roster: bool | None  # the roster answered (the cell shows it, locked)

    def asking(self, ladder: Ladder, raw: Mapping[str, RawValue]) -> bool:
        if self.set_by_roster is not None:
            return self.set_by_roster
        value = raw.get(ASKING)
        if self.asking_rule is None or value is None:
            return False  # no move to ask for (growing at level), or blank: not asking
        return parse_cell(self.asking_rule, value).value == ladder.signal_options[0]


# A layout's plan, worked out once: every file of a collect is read against a few layouts.
# Keyed by id(); the layout is kept in the value, so the id cannot be reused while the entry lives.
_PLANS: dict[int, tuple[WorkbookLayout, Ladder, _Plan]] = {}
_MAX_PLANS = 64


def _plan(ladder: Ladder, layout: WorkbookLayout) -> _Plan:
    cached = _PLANS.get(id(layout))
    if cached is not None and cached[0] is layout and cached[1] is ladder:
        return cached[2]
    describe_cell = describer(ladder)
    entries = []
    asking_rule, set_by_roster = None, None
    for sheet, cell in layout.cells():
        if cell.key == ASKING and cell.role is Role.LABEL:
            set_by_roster = cell.value == ladder.signal_options[0]
        if cell.role is not Role.INPUT:
            continue
        assert cell.validation is not None, f"input cell {cell.key} has no validation in the layout"
        if cell.key == ASKING:
            asking_rule = cell.validation
        blank = None if cell.editor is Editor.MANAGER else f"{describe_cell(cell.key)} is blank"
        entries.append((sheet.title, cell, cell.key, cell.validation, cell.required, blank))
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()  # layouts of moved cells are one per file: start again rather than grow
    plan = _Plan(tuple(entries), asking_rule, set_by_roster)
    _PLANS[id(layout)] = (layout, ladder, plan)
    return plan


def _awaiting_manager(file: str, sheet: str, cells: list[Cell], started: bool) -> Problem:
    ids = [split_key(c.key)[1] for c in cells]
    what = f"{len(ids)} criteri{'on' if len(ids) == 1 else 'a'}"
    message = (f"the manager has not scored {what} yet: {', '.join(ids)}" if started
               else f"Manager scores not started: {what} to score")
    return Problem(file, sheet, _block(cells), Kind.AWAITING_MANAGER, message, Severity.INCOMPLETE)


# What a section's blank cells ask for, by field: (one, many) as a person reads them.
_TO_DO = {"self": ("criterion to self-score", "criteria to self-score"),
          "actual": ("metric to report", "metrics to report"),
          "interest": ("pivot to rate", "pivots to rate"),
          "readout": ("read-out answer to write", "read-out answers to write")}


def _not_started(file: str, sheet: str, cells: list[Cell]) -> Problem:
    """One problem for a section whose cells are all blank: "Scorecard not started: 13 criteria to self-score"."""
    counts: dict[str, set[str]] = {}
    for cell in cells:
        section, item, field = split_key(cell.key)
        kind = "readout" if section == "readout" else "interest" if section == "pivots" else field or section
        counts.setdefault(kind, set()).add(item)
    parts = []
    for kind, items in counts.items():
        one, many = _TO_DO.get(kind, (f"{kind.replace('_', ' ')} to fill in",) * 2)
        parts.append(f"{len(items)} {one if len(items) == 1 else many}" if kind in _TO_DO else f"the {one}")
    message = f"{sheet} not started: {' and '.join(parts)}"
    return Problem(file, sheet, _block(cells), Kind.NOT_STARTED, message, Severity.INCOMPLETE)


def _block(cells: list[Cell]) -> str:
    """The cells as rectangles: ``F5:H10,F12`` for a table of three columns and one cell below it."""
    runs: list[list[Cell]] = []  # each column's runs of consecutive rows, column by column
    for cell in sorted(cells, key=lambda c: (_column_number(c.column), c.row)):
        if runs and cell.column == runs[-1][-1].column and cell.row == runs[-1][-1].row + 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    blocks: list[tuple[Cell, Cell]] = []  # top-left, bottom-right
    for run in runs:
        top, bottom = run[0], run[-1]
        joins = next((i for i, (first, last) in enumerate(blocks) if (first.row, last.row) == (top.row, bottom.row)
                      and _column_number(last.column) + 1 == _column_number(top.column)), None)
        if joins is None:
            blocks.append((top, bottom))
        else:
            blocks[joins] = (blocks[joins][0], bottom)
    return ",".join(first.ref if first is last else f"{first.ref}:{last.ref}" for first, last in blocks)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


# ---- one cell ------------------------------------------------------------------------------


def parse_cell(rule: Validation, value: RawValue) -> ParsedCell:
    """One cell's value held to its rule. Blank (None, or only spaces) is ``ParsedCell(None)``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ParsedCell(None, adjusted=value is not None)
    if isinstance(value, CellError):
        return ParsedCell(None, (Kind.ERROR_VALUE, f"shows an error ({value.code}): it was typed as a formula; "
                                 "type it again with an apostrophe before the = to keep it as text"), adjusted=True)
    if rule.check is Check.TEXT:
        return _text(rule, value)
    if rule.check is Check.CHOICE:
        return _choice(rule, value)
    if rule.check is Check.SCORE_OR_NA and isinstance(value, str):
        return _not_observed(rule, value)
    return _number(rule, value)


def _reject(kind: Kind, expected: str, value: RawValue, hint: str = "") -> ParsedCell:
    return ParsedCell(None, (kind, f"expected {expected}, found {show(value)}{hint}"), adjusted=True)


def _number(rule: Validation, value: RawValue) -> ParsedCell:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return _reject(Kind.WRONG_TYPE, _expected(rule), value)
    whole = rule.check in (Check.SCORE, Check.SCORE_OR_NA, Check.PERCENT)
    if whole and not float(value).is_integer():
        hundredfold = value * 100
        hint = ""
        typed_as_percent = abs(value) <= rule.maximum / 100 and abs(hundredfold - round(hundredfold)) < 1e-9
        if rule.check is Check.PERCENT and typed_as_percent:
            # 1.15 is what a cell holds when someone types "115%": say so.
            hint = f" (typed as {round(hundredfold)}%? enter {round(hundredfold)})"
        return _reject(Kind.NOT_WHOLE, _expected(rule), value, hint)
    too_high = rule.check is not Check.NUMBER and value > rule.maximum
    if value < rule.minimum or too_high:
        return _reject(Kind.OUT_OF_RANGE, _expected(rule), value)
    return ParsedCell(float(value))


def _choice(rule: Validation, value: RawValue) -> ParsedCell:
    text = as_text(value) if isinstance(value, (str, int, float)) else None
    if text is not None:
        wanted = text.strip().casefold()
        for option in rule.options:
            if option.casefold() == wanted:
                return ParsedCell(option, adjusted=option != value)
    return _reject(Kind.NOT_AN_OPTION, _expected(rule), value)


def _not_observed(rule: Validation, value: str) -> ParsedCell:
    """The "not observed yet" label (the rule's last option), in any case and with spaces around it."""
    label = rule.options[-1]
    if value.strip().casefold() == label.casefold():
        return ParsedCell(label, adjusted=value != label)
    return _reject(Kind.WRONG_TYPE, _expected(rule), value)


def _text(rule: Validation, value: RawValue) -> ParsedCell:
    text = _as_text(value)
    if rule.maximum and len(text) > rule.maximum:
        # Kept as typed: the workbook's formulas use it as typed, and so must the results.
        message = f"expected at most {int(rule.maximum):,} characters, found {len(text):,}"
        return ParsedCell(text, (Kind.TOO_LONG, message), adjusted=False)
    return ParsedCell(text, adjusted=not isinstance(value, str))


def _as_text(value: RawValue) -> str:
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, CellError):
        return value.code
    return as_text(value)


def _expected(rule: Validation) -> str:
    low, high = _show_number(rule.minimum), _show_number(rule.maximum)
    if rule.check is Check.SCORE:
        return f"a whole number from {low} to {high}"
    if rule.check is Check.SCORE_OR_NA:
        return f"a whole number from {low} to {high}, or {rule.options[-1]} (not observed yet)"
    if rule.check is Check.PERCENT:
        return f"a whole number of percent from {low} to {high}"
    if rule.check is Check.NUMBER:
        return f"a number of {low} or more"
    if rule.check is Check.CHOICE:
        return "one of " + ", ".join(rule.options)
    return f"text of at most {int(rule.maximum):,} characters"


def show(value: RawValue) -> str:
    """A found value as a person reads it in a problem message."""
    if value is None or value == "":
        return "a blank cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _show_number(value)
    if isinstance(value, (date, time)):
        return f"a date/time {value.isoformat()}"
    if isinstance(value, timedelta):
        return f"a duration {value}"
    if isinstance(value, CellError):
        return f"an error value ({value.code})"
    text = value if len(value) <= 60 else value[:57] + "..."
    return f"text {text!r}"


def _show_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.10g}"
