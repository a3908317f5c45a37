"""core.locate's shortcut (``as_laid_out``) against its full search, on the same grids.

The shortcut answers for sheets nobody rearranged, at a fraction of the cost: it must give
exactly what the search gives, and step aside (None) for every grid where the search would
find anything to say. Each grid below is edited as a spreadsheet app edits cells; the search
runs with the shortcut switched off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

import pytest

from ladder_sheets.core import locate as locate_module
from ladder_sheets.core.layout import Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.locate import Found, as_laid_out, locate
from tests.test_locate import Grid, _grid, _guide, _insert_column, wl  # noqa: F401 (wl: the layouts fixture)


def _searched(monkeypatch: pytest.MonkeyPatch, sheet: SheetLayout, grid: Grid) -> Found:
    with monkeypatch.context() as m:
        m.setattr(locate_module, "as_laid_out", lambda g, grid: None)
        return locate(_guide(sheet), grid)


def _filled(sheet: SheetLayout) -> Grid:
    """As typed in: every input and formula cell holds something (a number, text, or nothing)."""
    grid = _grid(sheet)
    for n, c in enumerate(c for c in sheet.cells if c.role in (Role.INPUT, Role.FORMULA)):
        grid[c.row - 1][ord(c.column[-1]) - 65 + 26 * (len(c.column) - 1)] = (n % 3, f"text {n}", "")[n % 3]
    return grid


def _trimmed(grid: Grid) -> Grid:
    """As a reader gives a sheet: no trailing empty rows, rows only as wide as the last column holding something."""
    width = max((i + 1 for row in grid for i, v in enumerate(row) if v != ""), default=0)
    rows = [row[:width] for row in grid]
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()
    return rows


def _edits(sheet: SheetLayout) -> Iterator[tuple[str, Grid]]:
    base = _grid(sheet)
    width, height = len(base[0]), len(base)
    for at in range(width + 1):
        yield f"blank column inserted at {at}", _insert_column(base, at)
    for r in range(height + 2):
        for c in range(width + 1):
            grid = [list(row) + [""] for row in base] + [[""] * (width + 1) for _ in range(2)]
            if grid[r][c] == "":
                grid[r][c] = "a note"
                yield f"text typed at row {r + 1}, column {c + 1}", grid
    for c in sheet.cells:
        if c.role is Role.LABEL and isinstance(c.value, str) and c.value.strip():
            grid = [list(row) for row in base]
            grid[c.row - 1][ord(c.column[-1]) - 65 + 26 * (len(c.column) - 1)] = c.value.upper() + " "
            yield f"label {c.ref} retyped", grid
    for r in range(height - 1):
        grid = [list(row) for row in base]
        grid[r], grid[r + 1] = grid[r + 1], grid[r]
        yield f"rows {r + 1} and {r + 2} swapped", grid


def test_an_untouched_or_filled_sheet_takes_the_shortcut_to_the_same_answer(
        wl: WorkbookLayout, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    for sheet in wl.sheets:
        for name, grid in (("untouched", _grid(sheet)), ("filled", _filled(sheet)),
                           ("as a reader trims it", _trimmed(_grid(sheet))), ("filled, trimmed", _trimmed(_filled(sheet)))):
            fast = as_laid_out(_guide(sheet), grid)
            assert fast is not None, f"{sheet.title}, {name}: the shortcut was not taken"
            assert asdict(fast) == asdict(_searched(monkeypatch, sheet, grid)), f"{sheet.title}, {name}"


def test_the_shortcut_steps_aside_whenever_the_search_has_something_to_say(
        wl: WorkbookLayout, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    failures, taken = [], 0
    for sheet in wl.sheets:
        for name, grid in _edits(sheet):
            fast = as_laid_out(_guide(sheet), grid)
            if fast is None:
                continue
            taken += 1
            searched = _searched(monkeypatch, sheet, grid)
            if asdict(fast) != asdict(searched):
                failures.append(f"{sheet.title}: {name}: shortcut {asdict(fast)} != search {asdict(searched)}")
    assert not failures, "\n".join(failures[:10])
    assert taken, "no edit left the sheet as laid out (a blank column added at the right end should)"
