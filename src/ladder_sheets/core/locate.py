"""Find a layout's cells in a returned sheet, wherever a user's edits moved them.

People insert, delete, move and hide columns, insert rows and sort. Reading a cell where
the layout first put it would then read a self score as a manager score, or drop every
evidence text. So a returned sheet is read through its landmarks:

* columns by their header (``cells.header_cells``); a column without a header by what
  its label cells hold, else by its distance to the nearest column found (skipping
  inserted, empty ones);
* rows by their row id (criterion, metric, pivot, read-out field) or, for a row without
  one, by its label ("Self readiness", "Track preference");
* rows of one block (the criteria...) found in another order were sorted: read by id;
* a row inserted inside a block, a deleted or duplicated row, refuses that sheet's
  inputs (the workbook's own range formulas no longer match), and so does a block whose
  rows no longer hold their own labels (sorted without the ID column); rows inserted or
  deleted anywhere else are tolerated;
* a sheet renamed is recognised by the same landmarks (``core.examine``);
* a column whose header is gone is not read, and said so; anything typed in a cell the
  layout does not have (an extra "Comments" column, a note below the table) is reported
  as not read, never dropped silently.

Pure: works on the layout and a grid of raw values; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from .cells import Role, WorkbookLayout
from .inputs import RawValue, show
from .landmarks import Anchor, Grid, SheetGuide, letters, norm, same_text, value_at
from .readplan import column_index
from .results import Kind, Severity

__all__ = ["Found", "locate", "relocated"]

# Rows searched below the layout's last row: inserted rows push cells down, rarely this far.
SLACK_ROWS = 200
_NOUNS = {"criteria": ("criterion", "criteria"), "metrics": ("metric", "metrics"), "pivots": ("pivot", "pivots"),
          "readout": ("read-out field", "read-out fields")}
_SAMPLES = 3  # stray cells quoted in a note


@dataclass
class Found:
    """Where one sheet's cells were found, and what the user's edits mean for reading them."""

    values: dict[str, RawValue] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # key -> where it was found, for cells that moved
    notes: list[tuple[str, str, str, Severity]] = field(default_factory=list)  # (ref, kind, message, severity)
    refused: bool = False  # this sheet's inputs are not to be used
    missing: set[str] = field(default_factory=set)  # keys of cells that could not be found
    sorted_rows: list[frozenset[str]] = field(default_factory=list)  # input keys per row of sorted blocks
    lost_columns: set[str] = field(default_factory=set)  # layout columns not found: formulas reading them broke

    def say(self, ref: str, kind: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.notes.append((ref, kind, message, severity))


def locate(g: SheetGuide, grid: Grid, *, landmarks: bool = False) -> Found:
    """Where ``g``'s cells are in ``grid``. Rows are trusted when every row holding a read cell is where
    it was put; only if stray text then shows up are the other landmarks (titles, captions) looked for
    too, in case they moved. (They may name the person: a layout shared by people of the same levels
    does not know them.)"""
    found = Found()
    cols, header_at = _columns(g, grid, found)
    rows = _rows(g, grid, cols, header_at, found, landmarks)
    if found.refused:
        return found
    for key, row, column in g.wanted:
        r, c = rows.get(row), cols.get(column)
        if r is None or c is None or key in found.missing:  # a row said to be gone: never read where another is
            found.missing.add(key)
            continue
        value = value_at(grid, r, c)
        found.values[key] = None if value == "" else value
        if (r, c) != (row - 1, g.index[column]):
            found.refs[key] = f"{letters(c)}{r + 1}"
    if g.soft:
        _stray(g, grid, rows, cols, found)
        if rows is g.identity and not landmarks and any(kind == Kind.IGNORED for _, kind, _, _ in found.notes):
            return locate(g, grid, landmarks=True)
    return found


# ---- columns ------------------------------------------------------------------------------------


def _columns(g: SheetGuide, grid: Grid, found: Found) -> tuple[dict[str, int | None], int | None]:
    """Layout column -> found column (None: not found), and the row the headers were found in."""
    cols: dict[str, int | None] = dict(g.index)
    at: int | None = None
    if g.header_row:
        at = g.header_row - 1
        if not all(same_text(value_at(grid, at, g.index[c]), text) for c, text in g.headers.items()):
            at = _headed(g, grid, cols, found)
            if at is None:
                return {c: None for c in cols}, None
    if all(same_text(value_at(grid, r, g.index[c]), text) for c, r, text in g.probes) and (
            not g.blind or not _beyond(grid, g.width)):
        if at is None or all(cols[c] == g.index[c] for c in g.headers):
            return cols, at
    located = {c for c in g.headers if cols[c] is not None}
    claimed = {cols[c] for c in located}
    for c in g.columns:
        if c not in g.headers:
            place = _by_content(g, grid, c, claimed)
            if place is not None:
                cols[c] = place
                located.add(c)
                claimed.add(place)
    for c in g.columns:
        if c not in located and c not in g.headers:
            rows_of = sorted({cell.row - 1 for cell in g.sheet.cells if cell.column == c})
            cols[c] = _beside(c, rows_of, grid, cols, located, claimed)
    return cols, at  # moved columns are read where they are now: nothing to tell


def _beyond(grid: Grid, width: int) -> bool:
    """Something in a column right of the layout's last one (a column inserted before one without landmarks?)."""
    return any(v not in ("", None) for line in grid for v in line[width:])


def _headed(g: SheetGuide, grid: Grid, cols: dict[str, int | None], found: Found) -> int | None:
    """Find the header row and each headed column in it; the row, or None (the sheet is refused)."""
    at, positions = _header_row(g, grid)
    if at is None:
        found.refused = True
        found.say("", Kind.MISSING_COLUMN, f"the header row ({', '.join(repr(s) for s in g.shown.values())}) "
                                           "was not found; this sheet's inputs are not used")
        return None
    for c, text in g.headers.items():
        where = positions.get(text, [])
        cols[c] = where[0] if len(where) == 1 else None
        if len(where) != 1:
            found.lost_columns.add(c)
            found.say(f"{letters(where[0]) if where else c}{at + 1}", Kind.MISSING_COLUMN, _lost(g, c, where))
    return at


def _header_row(g: SheetGuide, grid: Grid) -> tuple[int | None, dict[str, list[int]]]:
    """The row holding most of the layout's headers (nearest the expected one on a tie), and where each is."""
    wanted = set(g.headers.values())
    best: tuple[int, int] | None = None
    for r in range(min(len(grid), g.header_row + SLACK_ROWS)):
        hits = sum(1 for v in grid[r] if norm(v) in wanted)
        if hits and (best is None or (hits, -abs(r - g.header_row + 1)) > (best[1], -abs(best[0] - g.header_row + 1))):
            best = (r, hits)
    if best is None:
        return None, {}
    positions: dict[str, list[int]] = {}
    for i, v in enumerate(grid[best[0]]):
        text = norm(v)
        if text in wanted:
            positions.setdefault(text, []).append(i)
    return best[0], positions


def _lost(g: SheetGuide, column: str, where: list[int]) -> str:
    what = _reads(g, column)
    if where:
        twice = " and ".join(letters(i) for i in where)
        return f"column '{g.shown[column]}' appears more than once ({twice}); {what} not read from either"
    return f"column '{g.shown[column]}' not found (deleted, or its header changed?); {what} not read"


def _reads(g: SheetGuide, column: str) -> str:
    keys = [c.key for c in g.sheet.cells if c.column == column and c.role is Role.INPUT]
    if not keys:
        return "it is"
    return f"its {keys[0].rsplit('.', 1)[-1].replace('_', ' ')} entries are"


def _by_content(g: SheetGuide, grid: Grid, column: str, claimed: set[int | None]) -> int | None:
    """A column without a header, where most of its label texts are now; None if it has none."""
    texts = {norm(c.value) for c in g.sheet.cells if c.column == column and c.role is Role.LABEL
             and isinstance(c.value, str) and c.value.strip()}
    if not texts:
        return None
    counts: dict[int, int] = {}
    for line in grid:
        for i, v in enumerate(line):
            if i not in claimed and v != "" and norm(v) in texts:
                counts[i] = counts.get(i, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda i: (counts[i], -abs(i - column_index(column))))


def _beside(column: str, rows_of: list[int], grid: Grid, cols: Mapping[str, int | None], located: set[str],
            claimed: set[int | None]) -> int | None:
    """A column with neither header nor label: at its distance from the nearest located column, or nearby
    where most of its rows hold something (an inserted column is empty, or nearly)."""
    mine = column_index(column)
    if not located:
        return mine
    near = min(located, key=lambda c: (abs(column_index(c) - mine), column_index(c) > mine))
    base = cols[near]
    if base is None:
        return None
    guess = base + mine - column_index(near)
    step = 1 if mine > column_index(near) else -1
    width = max((len(line) for line in grid), default=0)
    rows = [r for r in rows_of if r < len(grid)]
    counts = {i: sum(1 for r in rows if value_at(grid, r, i) not in ("", None))
              for i in range(max(0, guess - 4), min(width, guess + 5)) if i not in claimed}
    best = max(counts.values(), default=0)
    if not best or counts.get(guess) == best:
        return guess
    return min((i for i, n in counts.items() if n == best), key=lambda i: (abs(i - guess), (i - guess) * step < 0))


# ---- rows ----------------------------------------------------------------------------------------


def _rows(g: SheetGuide, grid: Grid, cols: Mapping[str, int | None], header_at: int | None,
          found: Found, landmarks: bool) -> Mapping[int, int]:
    """Layout row (1-based) -> found row (0-based), for every row of the layout that was found."""
    if _in_place(g, grid, cols, header_at, landmarks):
        # Every landmark where it was put (the common case): check only that rows still match their ids.
        for a in g.anchors:
            if a.block and not _row_matches(g, grid, a.row - 1, a, cols, found):
                break
        return g.identity
    rows: dict[int, int] = {} if header_at is None else {g.header_row: header_at}
    places: dict[int, int] = dict(rows)  # as rows, but a sorted block in layout order: where rows are, not which
    blocks: dict[str, list[tuple[Anchor, list[int]]]] = {}
    for a, c, where in _anchor_rows(g, grid, cols, found):
        if a.block:
            blocks.setdefault(a.block, []).append((a, where))
        elif len(where) == 1:
            rows[a.row] = places[a.row] = where[0]
        elif a.hard:
            found.missing |= {k for k, r, _ in g.wanted if r == a.row}
            found.say(f"{letters(c)}{a.row}", Kind.SHIFTED_ROWS,
                      f"row '{a.shown}' {'not found (deleted?)' if not where else 'appears more than once'}; "
                      "its cells are not read")
    for block, members in blocks.items():
        _block(g, grid, block, members, rows, places, cols, found)
    _fill_unanchored(g, rows, places)
    return rows


def _in_place(g: SheetGuide, grid: Grid, cols: Mapping[str, int | None], header_at: int | None,
              landmarks: bool) -> bool:
    """Columns and header row where the layout put them, and the anchors compared (hard ones, or all
    with ``landmarks``) in their rows."""
    return ((header_at is None or header_at == g.header_row - 1) and cols == g.index
            and all(same_text(value_at(grid, a.row - 1, g.index[a.column]), a.text)
                    for a in g.anchors if a.hard or landmarks))


def _anchor_rows(g: SheetGuide, grid: Grid, cols: Mapping[str, int | None], found: Found
                 ) -> Iterator[tuple[Anchor, int, list[int]]]:
    """Each anchor whose column was found, that column, and the rows (0-based) holding the anchor's text:
    its own row when the text is still there, else wherever the column holds it."""
    index: dict[int, dict[str, list[int]]] = {}
    for a in g.anchors:
        c = cols.get(a.column)
        if c is None:
            if a.hard and a.block and not found.refused:
                found.refused = True
                found.say("", Kind.MISSING_COLUMN, f"the column that identifies each row ({g.shown.get(a.column, a.column)})"
                                                   " was not found, so no row can be matched; this sheet's inputs "
                                                   "are not used")
            continue
        if same_text(value_at(grid, a.row - 1, c), a.text):
            yield a, c, [a.row - 1]
            continue
        if c not in index:
            index[c] = _column_index(grid, c)
        yield a, c, index[c].get(a.text, [])


def _column_index(grid: Grid, c: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r, line in enumerate(grid):
        v = line[c] if c < len(line) else None
        if v != "" and v is not None:
            out.setdefault(norm(v), []).append(r)
    return out


def _block(g: SheetGuide, grid: Grid, block: str, members: list[tuple[Anchor, list[int]]], rows: dict[int, int],
           places: dict[int, int], cols: Mapping[str, int | None], found: Found) -> None:
    one, many = _NOUNS.get(block, ("row", "rows"))
    for a, where in members:
        if len(where) != 1:
            col = cols.get(a.column)
            where_text = ("not found: its row was deleted" if not where else
                          "appears in rows " + " and ".join(str(r + 1) for r in where) + " (a copied row?)")
            found.refused = True
            found.say(f"{letters(col) if col is not None else a.column}{a.row}", Kind.SHIFTED_ROWS,
                      f"{one} {a.shown} {where_text}; this sheet's inputs are not used")
            return
    at = [where[0] for _, where in members]
    top, bottom = min(at), max(at)
    if bottom - top + 1 != len(at):
        inserted = sorted(set(range(top, bottom + 1)) - set(at))
        col = cols.get(members[0][0].column)
        found.refused = True
        found.say(f"{letters(col) if col is not None else 'A'}{inserted[0] + 1}", Kind.SHIFTED_ROWS,
                  f"a row was inserted among the {many} (row {inserted[0] + 1}), so the sheet's own totals now "
                  f"count it; this sheet's inputs are not used (delete the row)")
        return
    for a, where in members:
        if not _row_matches(g, grid, where[0], a, cols, found):
            return
    for (a, where), place in zip(members, sorted(at)):
        rows[a.row], places[a.row] = where[0], place
    if at != sorted(at):
        found.sorted_rows += [g.inputs_by_row.get(a.row, frozenset()) for a, _ in members]
        col = cols.get(members[0][0].column)
        found.say(f"{letters(col) if col is not None else 'A'}{top + 1}", Kind.SORTED,
                  f"the {many} were sorted into another order; each was read by its {one} id", Severity.NOTE)


def _row_matches(g: SheetGuide, grid: Grid, row: int, a: Anchor, cols: Mapping[str, int | None],
                 found: Found) -> bool:
    """The row found for a block's id (0-based ``row``) holds that row's labels too; else the sheet is refused."""
    for column, text in g.labels_by_row.get(a.row, ()):
        c = cols.get(column)
        if c is not None and not same_text(value_at(grid, row, c), text):
            one, many = _NOUNS.get(a.block, ("row", "rows"))
            found.refused = True
            found.say(f"{letters(c)}{row + 1}", Kind.SHIFTED_ROWS,
                      f"the {many} do not match their ids (sorted without the ID column, or text pasted over "
                      f"them?): row {row + 1} holds {one} {a.shown}, but not its text; this sheet's inputs are not used")
            return False
    return True


def _fill_unanchored(g: SheetGuide, rows: dict[int, int], places: Mapping[int, int]) -> None:
    """Rows without a landmark (blank separators, hidden cells) keep their distance to the nearest found row."""
    known = sorted(places.items())
    for r in range(1, g.last_row + 1):
        if r in rows:
            continue
        if not known:
            rows[r] = r - 1
            continue
        lr, fr = min(known, key=lambda k: (abs(k[0] - r), k[0] > r))
        rows[r] = fr + r - lr


# ---- what the user typed where the layout has nothing -------------------------------------------


def _stray(g: SheetGuide, grid: Grid, rows: Mapping[int, int], cols: Mapping[str, int | None], found: Found) -> None:
    if rows is g.identity and cols == g.index:
        occupied = g.occupied
    else:
        occupied = frozenset((rows[r], cols[c]) for r, c in g.cell_at if r in rows and cols.get(c) is not None)
    claimed_cols = {v for v in cols.values() if v is not None}
    header_at = rows.get(g.header_row) if g.header_row else None
    by_column: dict[int, list[tuple[int, RawValue]]] = {}
    loose: list[tuple[int, int, RawValue]] = []
    for r, line in enumerate(grid):
        for c, v in enumerate(line):
            if v == "" or v is None or (r, c) in occupied:
                continue
            if c not in claimed_cols:
                by_column.setdefault(c, []).append((r, v))
            else:
                loose.append((r, c, v))
    for c, cells in sorted(by_column.items()):
        head = next((v for r, v in cells if r == header_at), None)
        body = [(r, v) for r, v in cells if r != header_at]
        name = f"column {letters(c)}" + (f" ('{head}')" if isinstance(head, str) else "")
        if not body:
            continue
        samples = ", ".join(f"{letters(c)}{r + 1} {show(v)}" for r, v in body[:_SAMPLES])
        more = f" and {len(body) - _SAMPLES} more" if len(body) > _SAMPLES else ""
        found.say(f"{letters(c)}{body[0][0] + 1}", Kind.IGNORED,
                  f"{name} is not part of the workbook; what it holds was not read: {samples}{more}", Severity.NOTE)
    if loose:
        samples = ", ".join(f"{letters(c)}{r + 1} {show(v)}" for r, c, v in loose[:_SAMPLES])
        more = f" and {len(loose) - _SAMPLES} more" if len(loose) > _SAMPLES else ""
        found.say(f"{letters(loose[0][1])}{loose[0][0] + 1}", Kind.IGNORED,
                  f"typed where the workbook has no field, so not read: {samples}{more}", Severity.NOTE)


def relocated(wl: WorkbookLayout, refs: Mapping[tuple[str, str], str],
              titles: Mapping[str, str] | None = None) -> WorkbookLayout:
    """``wl`` with the cells that moved at the places they were found, and renamed sheets by their new names
    (for problem messages)."""
    if not refs and not titles:
        return wl
    titles = titles or {}
    sheets = tuple(replace(s, title=titles.get(s.title, s.title),
                           cells=tuple(replace(c, ref=refs[(s.title, c.key)]) if (s.title, c.key) in refs else c
                                       for c in s.cells)) for s in wl.sheets)
    return replace(wl, sheets=sheets)
