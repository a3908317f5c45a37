"""core.locate on every sheet of a real layout, edited in every place an edit can go (pure: grids, no files).

Each wanted cell of the layout holds its own key (``<criteria.PR-01.self>``), so a value
read from the wrong cell can never pass. The edits are done to the grid exactly as a
spreadsheet app does them to the cells: insert, delete, move a column; insert, delete a
row; reorder the rows of a block (a sort). ``tests/test_user_edits.py`` does the same
edits in LibreOffice for real.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ladder_sheets.core import cells, layout
from ladder_sheets.core.inputs import RawValue
from ladder_sheets.core.cells import Role, SheetLayout, WorkbookLayout
from ladder_sheets.core.landmarks import SheetGuide, letters, sheet_guide
from ladder_sheets.core.locate import Found, locate
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.readplan import column_index, is_read
from ladder_sheets.core.results import Kind, Severity
from tests.conftest import DUE, QUARTER

Grid = list[list[RawValue]]


@pytest.fixture(scope="module", params=["plain", "carried-forward", "other-levels"])
def wl(request: pytest.FixtureRequest, ladder: Ladder, roster: Roster) -> WorkbookLayout:
    """Layouts of other shapes too: last quarter's columns added, another rubric's number of rows."""
    if request.param == "carried-forward":
        return layout.build(ladder, roster, roster.people[0], QUARTER, DUE, carry={})
    people = [p for p in roster.people if p.target_level != roster.people[0].target_level]
    person = people[0] if request.param == "other-levels" and people else roster.people[0]
    return layout.build(ladder, roster, person, QUARTER, DUE)


def _guide(sheet: SheetLayout) -> SheetGuide:
    return sheet_guide(sheet, [c for c in sheet.cells if c.key and is_read(c)])


def _grid(sheet: SheetLayout) -> Grid:
    width = 1 + max(column_index(c.column) for c in sheet.cells)
    grid: Grid = [[""] * width for _ in range(max(c.row for c in sheet.cells))]
    for c in sheet.cells:
        own = f"<{c.key}>" if c.role in (Role.INPUT, Role.FORMULA) else c.value
        grid[c.row - 1][column_index(c.column)] = "" if own is None else own
    return grid


def _values(sheet: SheetLayout) -> dict[str, RawValue]:
    return {c.key: (f"<{c.key}>" if c.role in (Role.INPUT, Role.FORMULA) else c.value)
            for c in sheet.cells if c.key and is_read(c)}


def _insert_column(grid: Grid, at: int, text: str = "") -> Grid:
    return [[*row[:at], text if r == 0 else "", *row[at:]] for r, row in enumerate(grid)]


def _delete_column(grid: Grid, at: int) -> Grid:
    return [[*row[:at], *row[at + 1:]] for row in grid]


def _move_column(grid: Grid, src: int, dst: int) -> Grid:
    out = []
    for row in grid:
        row = list(row)
        value = row.pop(src)
        row.insert(dst, value)
        out.append(row)
    return out


def _blocks(sheet: SheetLayout) -> dict[str, tuple[int, int]]:
    """Each block of rows with ids: first and last row, 0-based."""
    rows: dict[str, list[int]] = {}
    for c in sheet.cells:
        if c.key.startswith("rowid."):
            rows.setdefault(c.key.split(".")[1], []).append(c.row - 1)
    return {k: (min(v), max(v)) for k, v in rows.items()}


def _inside_a_block(sheet: SheetLayout, at: int) -> bool:
    return any(first < at <= last for first, last in _blocks(sheet).values())


def _clean(found: Found) -> list[str]:
    return [m for _, _, m, _ in found.notes]


def _each_sheet(wl: WorkbookLayout, check: Callable[[SheetLayout], list[str]]) -> None:
    failures = [f"{s.title}: {f}" for s in wl.sheets for f in check(s)]
    assert not failures, "\n".join(failures[:20])


def test_an_untouched_sheet_reads_every_cell_in_place(wl: WorkbookLayout) -> None:
    for sheet in wl.sheets:
        found = locate(_guide(sheet), _grid(sheet))
        assert (found.values, found.refs, found.notes, found.refused) == (_values(sheet), {}, [], False), sheet.title


def test_a_blank_column_inserted_anywhere_changes_nothing_read(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        for at in range(len(_grid(sheet)[0]) + 2):
            found = locate(_guide(sheet), _insert_column(_grid(sheet), at))
            if found.values != _values(sheet) or found.notes or found.refused:
                out.append(f"column inserted at {at}: {_clean(found)} {found.refused}")
        return out
    _each_sheet(wl, check)


def test_text_typed_in_an_extra_column_is_reported_as_not_read(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        first_input = min((c for c in sheet.cells if c.role is not Role.LABEL), key=lambda c: c.row)
        for at in range(len(_grid(sheet)[0]) + 1):
            grid = _insert_column(_grid(sheet), at)
            grid[first_input.row - 1][at] = "my own comment"
            found = locate(_guide(sheet), grid)
            notes = [(k, sev) for _, k, _, sev in found.notes]
            if found.values != _values(sheet) or notes != [(Kind.IGNORED, Severity.NOTE)] or \
                    "'my own comment'" not in found.notes[0][2]:
                out.append(f"column inserted at {at}: {_clean(found)}")
        return out
    _each_sheet(wl, check)


def test_a_column_moved_anywhere_is_read_where_it_went(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        width = len(_grid(sheet)[0])
        out = []
        for src in range(width):
            for dst in range(width):
                found = locate(_guide(sheet), _move_column(_grid(sheet), src, dst))
                if found.values != _values(sheet) or found.notes:
                    out.append(f"column {src} moved to {dst}: {_clean(found)}")
        return out
    _each_sheet(wl, check)


def test_a_deleted_column_is_named_and_nothing_else_is_lost(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        for head in cells.header_cells(sheet):
            found = locate(_guide(sheet), _delete_column(_grid(sheet), column_index(head.column)))
            kept = {k: v for k, v in _values(sheet).items() if layout_column(sheet, k) != head.column}
            ids_gone = any(c.key.startswith("rowid.") and c.column == head.column for c in sheet.cells)
            if ids_gone:  # no row can be matched any more: refused, and said so
                ok = found.refused and any(k == Kind.MISSING_COLUMN for _, k, _, _ in found.notes)
            else:
                ok = (found.values == kept and [k for _, k, _, _ in found.notes] == [Kind.MISSING_COLUMN]
                      and f"'{head.value}' not found" in found.notes[0][2])
            if not ok:
                out.append(f"column '{head.value}' deleted: {_clean(found)} {found.refused}")
        return out
    _each_sheet(wl, check)


def layout_column(sheet: SheetLayout, key: str) -> str:
    return next(c.column for c in sheet.cells if c.key == key)


def test_a_blank_row_outside_a_block_changes_nothing_read(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        grid = _grid(sheet)
        for at in range(len(grid) + 2):
            if _inside_a_block(sheet, at):
                continue
            edited = [*grid[:at], [""] * len(grid[0]), *grid[at:]]
            found = locate(_guide(sheet), edited)
            if found.values != _values(sheet) or found.notes or found.refused:
                out.append(f"row inserted at {at}: {_clean(found)}")
        return out
    _each_sheet(wl, check)


def test_a_row_without_fields_deleted_outside_a_block_changes_nothing_read(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        grid = _grid(sheet)
        wanted_rows = {c.row - 1 for c in sheet.cells if c.key and is_read(c)}
        headers = {c.row - 1 for c in cells.header_cells(sheet)}
        for at in range(len(grid)):
            if at in wanted_rows or at in headers or any(first <= at <= last for first, last in _blocks(sheet).values()):
                continue
            found = locate(_guide(sheet), [*grid[:at], *grid[at + 1:]])
            if found.values != _values(sheet) or found.refused or found.notes:
                out.append(f"row {at} deleted: {_clean(found)}")
        return out
    _each_sheet(wl, check)


def test_a_row_inserted_or_deleted_inside_a_block_refuses_the_sheet(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        grid = _grid(sheet)
        for first, last in _blocks(sheet).values():
            for at in range(first + 1, last + 1):
                inserted = locate(_guide(sheet), [*grid[:at], [""] * len(grid[0]), *grid[at:]])
                if not inserted.refused or "a row was inserted among" not in _clean(inserted)[0]:
                    out.append(f"row inserted at {at}: {_clean(inserted)}")
            for at in range(first, last + 1):
                deleted = locate(_guide(sheet), [*grid[:at], *grid[at + 1:]])
                if not deleted.refused or "its row was deleted" not in _clean(deleted)[0]:
                    out.append(f"row {at} deleted: {_clean(deleted)}")
        return out
    _each_sheet(wl, check)


@pytest.mark.parametrize("order", ["reversed", "rotated", "pairs swapped"])
def test_sorted_rows_are_read_by_their_ids(wl: WorkbookLayout, order: str) -> None:
    def shuffle(rows: Grid) -> Grid:
        if order == "reversed":
            return rows[::-1]
        if order == "rotated":
            return rows[1:] + rows[:1]
        return [rows[i ^ 1] if (i ^ 1) < len(rows) else rows[i] for i in range(len(rows))]

    def check(sheet: SheetLayout) -> list[str]:
        out = []
        for first, last in _blocks(sheet).values():
            grid = _grid(sheet)
            grid[first:last + 1] = shuffle(grid[first:last + 1])
            found = locate(_guide(sheet), grid)
            if found.values != _values(sheet) or [k for _, k, _, _ in found.notes] != [Kind.SORTED]:
                out.append(f"rows {first}-{last} {order}: {_clean(found)}")
        return out
    _each_sheet(wl, check)


def test_rows_sorted_without_their_ids_are_refused(wl: WorkbookLayout) -> None:
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        for first, last in _blocks(sheet).values():
            grid = _grid(sheet)
            id_col = next(column_index(c.column) for c in sheet.cells if c.key.startswith("rowid.")
                          and c.row - 1 == first)
            body = [list(row) for row in grid[first:last + 1][::-1]]
            for r, row in enumerate(body):
                row[id_col] = grid[first + r][id_col]
            grid[first:last + 1] = body
            found = locate(_guide(sheet), grid)
            if not found.refused or "sorted without the ID column" not in _clean(found)[0]:
                out.append(f"rows {first}-{last} sorted without ids: {_clean(found)}")
        return out
    _each_sheet(wl, check)


@pytest.mark.parametrize("retype", [lambda t: t.replace(" ", "  ", 1), lambda t: t.replace(" ", "\n", 1),
                                    lambda t: f" {t}\n", str.upper, str.lower],
                         ids=["double space", "line break", "padded", "upper case", "lower case"])
def test_a_header_retyped_with_other_spacing_is_still_found(wl: WorkbookLayout, retype: Callable[[str], str]) -> None:
    """Typed again with a double space, a line break (Alt+Enter) or in other letter case, a header still names
    its column: where it stands, and after the column was moved (then the header row is searched for it)."""
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        for head in cells.header_cells(sheet):
            at = column_index(head.column)
            grid = _grid(sheet)
            grid[head.row - 1][at] = retype(str(head.value))
            for where, edited in (("in place", grid), ("moved to the end", _move_column(grid, at, len(grid[0]) - 1))):
                found = locate(_guide(sheet), edited)
                if found.values != _values(sheet) or found.notes or found.refused:
                    out.append(f"{head.value!r} retyped {where}: {_clean(found)} {found.refused}")
        return out
    _each_sheet(wl, check)


def test_a_copied_column_reads_neither_copy_as_the_message_says(wl: WorkbookLayout) -> None:
    """A column copied beside itself (two "Self (0-3)" headers): which copy holds the answers is unknown, so
    neither is read and the note names both; every other column is read as usual."""
    def check(sheet: SheetLayout) -> list[str]:
        out = []
        for head in cells.header_cells(sheet):
            if any(c.key.startswith("rowid.") and c.column == head.column for c in sheet.cells):
                continue  # the ID column: no row could be matched (refused, tested above)
            at = column_index(head.column)
            if at == max(column_index(h.column) for h in cells.header_cells(sheet)):
                continue  # copied past the last header, every header stays in place: the copy is an extra column
            grid = [[*row[:at + 1], f"copy of {row[at]}" if r != head.row - 1 else row[at], *row[at + 1:]]
                    for r, row in enumerate(_grid(sheet))]
            found = locate(_guide(sheet), grid)
            inputs = [c for c in sheet.cells if c.column == head.column and c.role is Role.INPUT]
            entries = f"its {inputs[0].key.rsplit('.', 1)[-1].replace('_', ' ')} entries are" if inputs else "it is"
            said = (f"{head.column}{head.row}", Kind.MISSING_COLUMN,
                    f"column '{head.value}' appears more than once ({head.column} and {letters(at + 1)}); "
                    f"{entries} not read from either", Severity.ERROR)
            mine = {k for k in _values(sheet) if layout_column(sheet, k) == head.column}
            others = {k: v for k, v in _values(sheet).items() if k not in mine}
            if found.refused or said not in found.notes or not mine <= found.missing \
                    or any(k in found.values for k in mine) or {k: found.values.get(k) for k in others} != others:
                out.append(f"column '{head.value}' copied: {_clean(found)} {found.refused}")
        return out
    _each_sheet(wl, check)
