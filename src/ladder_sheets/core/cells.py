"""What a layout is made of: cells, their roles and checks, sheets, and the workbook.

Both layout.py (the workbook and its scorecard) and sheet_layouts.py (the other sheets)
build these, and every writer and reader walks them; in a module of their own, neither
builder has to import the other for them. Pure: no I/O, no spreadsheet library.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .model import CellValue, Person, StrEnum


class Role(StrEnum):
    """What a cell is for: who writes it, and whether collect reads it back."""

    LABEL = "label"  # fixed text or number written by the tool
    INPUT = "input"  # typed by the SE or the manager
    FORMULA = "formula"  # calculated by the spreadsheet
    META = "meta"  # identifies the workbook (person, quarter, template version)
    # Someone else's input, shown locked here (the manager's column, when managers score in a
    # review workbook): read back only to say that what was typed into it was not used.
    RESERVED = "reserved"


class Editor(StrEnum):
    """Who fills an input cell (Google Sheets protects manager cells from the SE)."""

    SE = "se"
    MANAGER = "manager"


class Check(StrEnum):
    """What an input cell accepts: enforced by data validation and again when read back."""

    SCORE = "score"  # whole number 0..scale max, from a dropdown
    # A score, or "not observed yet": the dropdown's last option (the ladder's label, e.g. "n/o").
    SCORE_OR_NA = "score_or_na"
    NUMBER = "number"  # any number >= 0
    PERCENT = "percent"  # whole number of percent 0..1000
    CHOICE = "choice"  # one of Validation.options
    TEXT = "text"  # free text up to Validation.maximum characters


class Requirement(StrEnum):
    """When an input cell must be filled for the workbook to be complete."""

    ALWAYS = "always"
    WHEN_ASKING = "when_asking"  # only of an SE asking for a move this quarter (pivot matrix, read-out)
    NEVER = "never"  # explains, is not scored: evidence, notes, comments


@dataclass(frozen=True)
class Validation:
    """The rule of an input cell: the workbook's data validation, and collect's check of what comes back."""

    check: Check
    minimum: float = 0
    maximum: float = 0
    options: tuple[str, ...] = ()
    title: str = ""
    message: str = ""  # shown when a value is rejected, and in collect's problem text


@dataclass(frozen=True)
class Cell:
    """One cell of a sheet: where it is, what it holds and how it looks; ``key`` names it for readers."""

    ref: str  # A1 reference within its sheet, e.g. "G6"
    role: Role
    value: CellValue = None  # label/meta text or number; a formula starting with "="
    style: str = "text"
    key: str = ""  # logical name: inputs, formula results, row ids and meta are found by it
    validation: Validation | None = None
    editor: Editor = Editor.SE
    name: str = ""  # workbook-level defined name
    number_format: str = ""
    required: Requirement = Requirement.ALWAYS  # of an input cell

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
    """One sheet: its cells, column widths, row heights, rules, merges and how it prints."""

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
    """One person's workbook for one quarter (or a workbook of another kind: a manager's review): its sheets."""

    person: Person | None  # whose workbook it is; None for a workbook of another kind
    quarter: str
    template_version: str
    sheets: tuple[SheetLayout, ...]
    label: str = ""  # what it is, when not one person's workbook: "Manager review: Amara Okafor"

    @property
    def title(self) -> str:
        """The document's title: its label, else the person's name."""
        return self.label or (self.person.name if self.person is not None else "")

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

ROWID_PREFIX = "rowid."
SHARE = "share.career_interests"  # the SE shares pivot interest and track preference with leadership by name
ASKING = "move.asking"  # "Are you asking for a new role or title this quarter?": an input, or the roster's answer  # key prefix of the cell that identifies its row (criterion, metric, pivot, field)

GUIDE, SCORECARD, METRICS, PIVOTS, READOUT = "Guide", "Scorecard", "Impact metrics", "Pivot matrix", "Promotion read-out"
PRINT_SCALE = 78  # percent: 11-point text prints at ~8.5 points
TITLE_HEIGHT = 21.0  # a 14-point title row
# Text shown as typed plus two blank lines: apps size a growing row for what they show, and
# LibreOffice's print layout needs up to ~5 % more lines than its screen layout, which would
# cut the last lines of a 5,000-character evidence off the printed page.
EVIDENCE_FORMAT = '@"\n\n"'
# Every free-text input is a text cell: Excel, LibreOffice and Google Sheets then keep "12/1/2026",
# "3/4" or "=great results" as typed, where a General cell turns them into a date, or an error.
TEXT_FORMAT = "@"


def number_literal(x: float) -> str:
    """A number as a formula literal, exactly as Python holds it."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def text_literal(text: str) -> str:
    """``text`` as a formula's string literal (quotes doubled)."""
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
