"""What collect checks in one workbook beyond its inputs: identity, structure and overwritten formulas.

Pure: works on a layout and the raw values read for it; no I/O, no spreadsheet library.
Every check names the sheet and cell, what was found and what was expected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Set as AbstractSet

from . import layout
from .cells import Cell, Role, SheetLayout, WorkbookLayout
from .inputs import RawValue, show
from .landmarks import letters
from .model import CellValue, Inputs, Ladder, Person
from .readplan import column_index
from .results import Kind, Problem

_TOLERANCE = 1e-9  # relative and absolute: spreadsheet apps save 15 significant digits


def names(titles: Iterable[str]) -> str:
    """Sheet titles as a person reads them in a message: ``'Guide', 'Scores'``."""
    return ", ".join(f"'{t}'" for t in titles) or "none"


def plain(value: RawValue) -> str:
    """Ids and versions as they are written (``SR-05``, not ``text 'SR-05'``)."""
    return value if isinstance(value, str) and value else show(value)


def check_meta(wl: WorkbookLayout, keys: Mapping[str, tuple[SheetLayout, Cell]], raw: Mapping[str, RawValue],
               quarter: str, file: str) -> list[Problem]:
    """This quarter's workbook, generated from this template version."""
    problems = []
    for key, want, kind, what in (("meta.template_version", wl.template_version, Kind.VERSION, "template version"),
                                  ("meta.quarter", quarter, Kind.QUARTER, "quarter")):
        found = raw.get(key)
        if found != want:
            sheet, cell = keys[key]
            problems.append(Problem(file, sheet.title, cell.ref, kind, f"expected {what} {want}, found {plain(found)}"))
    return problems


def check_sheets(wl: WorkbookLayout, found: tuple[str, ...], file: str) -> list[Problem]:
    """Every sheet of the layout is there by its name."""
    return [Problem(file, s.title, "", Kind.MISSING_SHEET,
                    f"sheet not found (renamed or deleted?); sheets found: {names(found)}")
            for s in wl.sheets if s.title not in found]


# Where a workbook records which cells hold a formula: a sheet's cells (0-based row, column), or None
# when the source cannot tell.
FormulaCells = Callable[[str], AbstractSet[tuple[int, int]] | None]


def check_formulas(ladder: Ladder, person: Person, wl: WorkbookLayout, raw: Mapping[str, RawValue], inputs: Inputs,
                   adjusted: frozenset[str], file: str, *, judge_blanks: bool = True,
                   upstream: Mapping[str, frozenset[str]] | None = None, text_results: bool = True,
                   formulas: FormulaCells | None = None) -> list[Problem]:
    """Formula cells that hold a constant instead, or whose saved value disagrees with the recomputation.

    With ``formulas`` (where the format records which cells hold a formula) a formula cell
    holding a constant is flagged even when the constant equals the result: pasted over its
    own formula, it shows a stale number once the inputs change. Such cells are found wherever
    they sit in a chain; those right for today's inputs are one finding per sheet, and a sheet
    with no formula left at all is one finding.

    A workbook no spreadsheet app has calculated (as openpyxl writes them) has no saved
    values, and is not judged. Once any formula cell has one, the app calculated them
    all, so with ``judge_blanks`` a blank where a value is expected is judged too: the
    .xlsx reader sees an error value such as #N/A (a formula typed over with =NA()) as
    blank. Nor is a cell judged
    when it depends on an input we could not
    take as the workbook saw it (text "2" in a score cell still adds up in ``H6-G6``),
    or could not find. ``upstream`` is ``dependencies`` of the layout as generated (the
    formula texts name those cells), when ``wl`` holds cells where a user moved them.
    Only the first cell of a chain is reported: a band computed from an overwritten
    readiness is right for what it was given.
    """
    located = [(s, c) for s, c in wl.cells(Role.FORMULA) if c.key in raw]
    if not any(raw[c.key] is not None for _, c in located):
        return []  # never calculated, nor typed over: nothing to judge, and the file is not searched
    constants = replaced(located, formulas) if formulas is not None else frozenset()
    bare = _bare_sheets(located, constants)
    problems = [Problem(file, title, "", Kind.TAMPERED,
                        f"no formula left on this sheet: its {n} calculated cells hold values (pasted as values, or "
                        "saved by an app that keeps values only), so they no longer follow the inputs; collect "
                        "recomputed them, but return the workbook saved from Excel, LibreOffice or Google Sheets")
                for title, n in bare.items()]
    located = [(s, c) for s, c in located if s.title not in bare]
    cells = [(s, c) for s, c in located if judge_blanks or raw[c.key] is not None or c.key in constants]
    expected = layout.expected_values(ladder, person, inputs)
    wrong = {c.key for _, c in cells if not same_value(raw[c.key], expected[c.key])
             and (text_results or not _text_read_as_number(raw[c.key], expected[c.key]))}
    upstream = dependencies(wl) if upstream is None else upstream
    suspects = adjusted | wrong
    pasted: dict[str, list[Cell]] = {}  # constants right for today's inputs, by sheet
    for sheet, cell in cells:
        if cell.key in wrong and cell.key not in adjusted and (
                cell.key in constants or not upstream[cell.key] & suspects):
            problems.append(Problem(file, sheet.title, cell.ref, Kind.TAMPERED,
                                    f"formula result overwritten: found {_found(raw[cell.key])}, expected "
                                    f"{show(expected[cell.key])} (recomputed from the inputs)"))
        elif cell.key in constants and cell.key not in wrong:
            pasted.setdefault(sheet.title, []).append(cell)
    return problems + [_pasted(file, title, found, raw) for title, found in pasted.items()]


def _pasted(file: str, title: str, cells: list[Cell], raw: Mapping[str, RawValue]) -> Problem:
    what = (f"formula replaced by a typed or pasted value ({_constant(raw[cells[0].key])})" if len(cells) == 1
            else f"{len(cells)} formulas replaced by typed or pasted values")
    return Problem(file, title, _ranges(cells), Kind.TAMPERED, f"{what}: right for today's inputs, but no longer "
                   "following them; copy the cells back from the workbook you were sent")


def _ranges(cells: list[Cell]) -> str:
    """Cells as a person reads them: runs of one column joined (``J7:J16,K6:K16``)."""
    by_column: dict[str, list[int]] = {}
    for cell in cells:
        by_column.setdefault(cell.column, []).append(cell.row)
    out = []
    for column in sorted(by_column, key=lambda c: (len(c), c)):
        rows = sorted(by_column[column])
        start = prev = rows[0]
        for row in [*rows[1:], 0]:
            if row != prev + 1:
                out.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
                start = row
            prev = row
    return ",".join(out)


def _bare_sheets(located: list[tuple[SheetLayout, Cell]], constants: frozenset[str]) -> dict[str, int]:
    """Sheets where no formula cell holds a formula any more (of several): one finding each, not one per cell."""
    counts: dict[str, list[int]] = {}
    for sheet, cell in located:
        seen = counts.setdefault(sheet.title, [0, 0])
        seen[0] += 1
        seen[1] += cell.key in constants
    return {title: n for title, (n, gone) in counts.items() if n > 1 and gone == n}


def replaced(cells: Iterable[tuple[SheetLayout, Cell]], formulas: FormulaCells) -> frozenset[str]:
    """Keys of the formula cells (where found) that hold no formula: a value typed or pasted in its place."""
    known: dict[str, AbstractSet[tuple[int, int]] | None] = {}
    out = set()
    for sheet, cell in cells:
        if sheet.title not in known:
            known[sheet.title] = formulas(sheet.title)
        found = known[sheet.title]
        if found is not None and (cell.row - 1, column_index(cell.column)) not in found:
            out.add(cell.key)
    return frozenset(out)


def _constant(value: RawValue) -> str:
    return "an empty cell" if value is None or value == "" else show(value)


def _text_read_as_number(found: RawValue, want: CellValue) -> bool:
    """A format without cached text results reads a text formula as 0 (or blank)."""
    return isinstance(want, str) and (found is None or (isinstance(found, (int, float)) and found == 0))


def _found(value: RawValue) -> str:
    return "a blank or an error value (such as #N/A)" if value is None else show(value)  # errors: see CellError


def same_value(found: RawValue, want: CellValue) -> bool:
    """A saved formula value equals the recomputed one (numbers within 1e-9, relative or absolute)."""
    if want == "" or want is None:
        return found is None or found == ""
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return (isinstance(found, (int, float)) and not isinstance(found, bool)
                and math.isclose(found, want, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE))
    return found == want


# ---- which cells each formula depends on --------------------------------------------------

# A reference or range in a formula: G6, $G$6, G6:G15. Function names hold no digits; string literals go first.
_REF = re.compile(r"(?<![A-Za-z_$])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(])")
_STRING = re.compile(r'"(?:[^"]|"")*"')


def dependencies(wl: WorkbookLayout) -> dict[str, frozenset[str]]:
    """For each formula cell (by key), the keys of the input and formula cells it depends on, directly or not.

    Derived from the layout's own formula text, so it can never drift from what is written.
    Formulas refer to cells of their own sheet only.
    """
    out: dict[str, frozenset[str]] = {}
    for sheet in wl.sheets:
        at = {c.ref: c for c in sheet.cells}
        memo: dict[str, frozenset[str]] = {}
        for cell in sheet.cells:
            if cell.role is Role.FORMULA:
                out[cell.key] = _upstream(cell, at, memo)
    return out


def _upstream(cell: Cell, at: Mapping[str, Cell], memo: dict[str, frozenset[str]]) -> frozenset[str]:
    if cell.ref in memo:
        return memo[cell.ref]
    memo[cell.ref] = frozenset()  # a cycle (there is none) would end here
    found: set[str] = set()
    for ref in _referenced(str(cell.value)):
        target = at.get(ref)
        if target is None or target.role not in (Role.INPUT, Role.FORMULA):
            continue
        found.add(target.key)
        if target.role is Role.FORMULA:
            found |= _upstream(target, at, memo)
    memo[cell.ref] = frozenset(found)
    return memo[cell.ref]


def reads_columns(formula: str) -> set[str]:
    """The columns a formula's references name (``=IF(G6="",...)`` -> ``{"G"}``)."""
    return {ref.rstrip("0123456789") for ref in _referenced(formula)}


def _referenced(formula: str) -> Iterator[str]:
    for m in _REF.finditer(_STRING.sub("", formula)):
        col1, row1 = m.group(1), int(m.group(2))
        col2, row2 = (m.group(3), int(m.group(4))) if m.group(3) else (col1, row1)
        for col in range(column_index(col1), column_index(col2) + 1):
            for row in range(row1, row2 + 1):
                yield f"{letters(col)}{row}"
