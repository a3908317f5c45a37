"""What collect checks in one workbook beyond its inputs: identity, structure and overwritten formulas.

Pure: works on a layout and the raw values read for it; no I/O, no spreadsheet library.
Every check names the sheet and cell, what was found and what was expected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping

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


def check_formulas(ladder: Ladder, person: Person, wl: WorkbookLayout, raw: Mapping[str, RawValue], inputs: Inputs,
                   adjusted: frozenset[str], file: str, *, judge_blanks: bool = True,
                   upstream: Mapping[str, frozenset[str]] | None = None, text_results: bool = True) -> list[Problem]:
    """Formula cells whose saved value disagrees with the recomputation: overwritten by hand.

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
    cells = [(s, c) for s, c in wl.cells(Role.FORMULA) if c.key in raw and (judge_blanks or raw[c.key] is not None)]
    if not any(raw[c.key] is not None for _, c in cells):
        return []
    expected = layout.expected_values(ladder, person, inputs)
    wrong = [(s, c) for s, c in cells if not same_value(raw[c.key], expected[c.key])
             and (text_results or not _text_read_as_number(raw[c.key], expected[c.key]))]
    if not wrong:
        return []
    upstream = dependencies(wl) if upstream is None else upstream
    suspects = adjusted | {c.key for _, c in wrong}
    return [
        Problem(file, sheet.title, cell.ref, Kind.TAMPERED,
                f"formula result overwritten: found {_found(raw[cell.key])}, expected {show(expected[cell.key])} "
                "(recomputed from the inputs)")
        for sheet, cell in wrong
        if cell.key not in adjusted and not upstream[cell.key] & suspects
    ]


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
