"""A live check against real Google (not run in CI): ``make google-check CREDENTIALS=... FOLDER=...``.

Creates one spreadsheet for a test SE in the folder (or shared-drive folder), builds it
exactly as ``push`` does, types sample inputs as a person would (USER_ENTERED, so Google
parses them in the file's locale), reads it back as ``pull`` does, compares the numbers
with the ones ``collect`` computes from the same inputs, and removes what it made. Real
Google evaluates the formulas, so the check also proves the band and readiness formulas
agree with Python on Google's engine (pull flags any formula result that does not).

With a second account (``SECOND_CREDENTIALS=``), it shares the spreadsheet with that account
and, acting as it, shows that a manager cell refuses its edit while an input cell takes one:
the owner cannot show that, since protection never binds the owner.

Then a manager's review of the same SE, built as ``push --reviews`` does: scores typed, read
back as ``pull`` does, and its Team page held to the figures Python works out (``expected_team``).

Run it once when setting up (after the README's setup steps), after changing credentials,
scopes or the shared drive, and before a quarter's push if Google announced API changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..config.resources import example_team_path
from ..core import layout
from ..core.errors import LadderSheetsError, ServiceError
from ..core.calibration import OrgFigures, org_figures
from ..core.examine import Job, assemble, examine
from ..core.outcomes import FileOutcome
from ..core.inputs import CellError, RawValue
from ..core.landmarks import Grid
from ..core.cells import Cell, Editor, Role, SheetLayout, WorkbookLayout
from ..core.model import Ladder, ManagerScores, Roster
from ..core.readplan import column_index
from ..core.review_layout import TEAM, build_review, seed
from ..core.review_team import expected_team
from ..google.batch_requests import build_requests
from ..google.client import Folder, Refused, Sheets, StopRun, connect
from ..google.pull import GridWorkbook, formula_problems

QUARTER = "2026-Q4"
Say = Callable[[str], None]


class TypedBook:
    """The same workbook as collect would read it from a file the SE returned: fixed cells and typed inputs."""

    errors_read_as_blank = False
    keeps_text_results = True

    def __init__(self, wl: WorkbookLayout, typed: Mapping[str, RawValue]) -> None:
        self.sheet_names = tuple(s.title for s in wl.sheets)
        self._grids: dict[str, list[list[RawValue]]] = {}
        for sheet in wl.sheets:
            rows = max((c.row for c in sheet.cells), default=0)
            cols = 1 + max((column_index(c.column) for c in sheet.cells), default=0)
            grid: list[list[RawValue]] = [[""] * cols for _ in range(rows)]
            for c in sheet.cells:
                value = typed.get(c.key) if c.role is Role.INPUT else None if c.role is Role.FORMULA else c.value
                grid[c.row - 1][column_index(c.column)] = "" if value is None else value
            self._grids[sheet.title] = grid

    def grid(self, title: str, rows: int) -> Grid:
        return self._grids.get(title, [])[:rows]

    def error_cells(self, title: str) -> Mapping[tuple[int, int], CellError]:
        return {}

    def formula_cells(self, title: str) -> None:
        return None  # typed inputs only: there are no formula cells to judge

    def number_format(self, title: str, row: int, column: int) -> str:
        return ""


def sample_values(ladder: Ladder, wl: WorkbookLayout) -> dict[str, RawValue]:
    """Deterministic valid inputs: every score and choice cell gets an option, numbers their minimum + 1."""
    values: dict[str, RawValue] = {}
    for i, (key, (_, cell)) in enumerate(sorted(wl.by_key().items())):
        rule = cell.validation
        if cell.role is not Role.INPUT or rule is None:
            continue
        if rule.options:
            values[key] = int(rule.options[i % len(rule.options)]) if rule.options[0].isdigit() else rule.options[0]
        elif rule.check.value == "text":
            values[key] = "live check"
        else:
            values[key] = (rule.minimum or 0) + 1
    return values


def check(sheets: Sheets, folder_id: str, *, say: Say = print, roster: Roster | None = None,
          second: Sheets | None = None) -> list[str]:
    """Run the check on an SE's spreadsheet, then on a manager's review; the differences found (empty when
    Google and collect agree). Always cleans up.

    When the check itself fails, the clean-up still runs and says what it could not do, and
    the check's own error is the one raised.
    """
    ladder = load_ladder()
    base = roster or load_roster(example_team_path(), ladder)
    person = replace(base.people[0], id="ladder-sheets-check", name="Live Check")
    roster = replace(base, people=(person,))
    wl = layout.build(ladder, roster, person, QUARTER, date.today(), manager_scores=ManagerScores.IN_WORKBOOK)
    folder = sheets.folder(folder_id)
    say(f"folder {folder.name!r} ({'shared drive' if folder.drive_id else 'My Drive'})")

    def se(spreadsheet_id: str) -> list[str]:
        found = _compare(sheets, spreadsheet_id, ladder, roster, wl, say)
        return found + (_prove_protection(sheets, second, spreadsheet_id, wl, say) if second is not None else [])

    problems = _made_and_removed(sheets, folder, "", se, say)
    return problems + _made_and_removed(sheets, folder, "review ",
                                        lambda sid: _compare_review(sheets, sid, ladder, roster, say), say)


def _made_and_removed(sheets: Sheets, folder: Folder, what: str, work: Callable[[str], list[str]],
                      say: Say) -> list[str]:
    """Create a spreadsheet, ``work`` on it, remove it whatever happens; what ``work`` found, and what was left."""
    spreadsheet_id = sheets.create(folder, f"ladder-sheets live check {what}{date.today().isoformat()}")
    try:
        problems = work(spreadsheet_id)
    except BaseException:
        left = remove(sheets, spreadsheet_id, say)
        if left:
            say(left)
        raise
    left = remove(sheets, spreadsheet_id, say)
    return problems + ([left] if left else [])


def _compare(sheets: Sheets, spreadsheet_id: str, ladder: Ladder, roster: Roster, wl: WorkbookLayout,
             say: Say) -> list[str]:
    """Build as push does, type sample inputs, read back as pull does, and compare with collect."""
    owner = sheets.acting_as or sheets.whoami()
    # The manager's protected ranges name the owner only: no made-up address goes to Google.
    sheets.batch_update(spreadsheet_id, build_requests(wl, 0, owner, owner))
    say("created and built one spreadsheet")
    typed = sample_values(ladder, wl)
    by_key = wl.by_key()
    sheets.type_values(spreadsheet_id, {_a1(*by_key[k]): v for k, v in typed.items()})
    say(f"typed {len(typed)} sample inputs")
    job = Job(ladder, roster, QUARTER, ManagerScores.IN_WORKBOOK)
    book = GridWorkbook(sheets.read_grid(spreadsheet_id))
    pulled = examine(job, book, "google", 0.0)
    collected = examine(job, TypedBook(wl, typed), "file", 0.0)
    problems = [f"{p.sheet}!{p.cell}: {p.message}" for p in pulled.problems]
    problems += [f"{p.sheet}!{p.cell}: {p.message}" for p in formula_problems(book, wl, "google")]
    if pulled.inputs != collected.inputs:
        problems.append("the inputs read back differ from the ones typed")
    if pulled.scores != collected.scores:
        problems.append(f"pull computed {pulled.scores}, collect computed {collected.scores}")
    return problems


def _compare_review(sheets: Sheets, spreadsheet_id: str, ladder: Ladder, roster: Roster, say: Say) -> list[str]:
    """A manager's review of the check's SE, built as ``push --reviews`` does, scored, read back as ``pull``
    does: what collect reads from the same scores, and the Team page as Python works it out."""
    owner = sheets.acting_as or sheets.whoami()
    person = roster.people[0]
    manager = roster.manager_of(person)
    org = org_figures([], manager.id, "")  # no other manager's scores: the Team page says so
    wl = build_review(ladder, roster, manager, QUARTER, date.today(), [seed(person, None)], False, org)
    sheets.batch_update(spreadsheet_id, build_requests(wl, 0, owner, owner))
    typed = sample_values(ladder, wl)
    by_key = wl.by_key()
    sheets.type_values(spreadsheet_id, {_a1(*by_key[k]): v for k, v in typed.items()})
    say(f"built a manager's review and typed {len(typed)} sample scores")
    job = Job(ladder, roster, QUARTER)
    book = GridWorkbook(sheets.read_grid(spreadsheet_id))
    pulled, collected = examine(job, book, "google", 0.0), examine(job, TypedBook(wl, typed), "file", 0.0)
    problems = [f"{p.sheet}!{p.cell}: {p.message}" for p in (*pulled.problems, *(q for part in pulled.parts
                                                                                   for q in part.problems))]
    problems += [f"{p.sheet}!{p.cell}: {p.message}" for p in formula_problems(book, wl, "google")]
    if [(p.inputs, p.fields) for p in pulled.parts] != [(p.inputs, p.fields) for p in collected.parts]:
        problems.append("the review's scores read back differ from the ones typed")
    team, compared = _team_differences(ladder, roster, book, wl, collected, org)
    say(f"compared {compared} figures of the review's Team page with Python's")
    return problems + team


def _team_differences(ladder: Ladder, roster: Roster, book: GridWorkbook, wl: WorkbookLayout,
                      collected: FileOutcome, org: OrgFigures) -> tuple[list[str], int]:
    """Each Team page figure Google shows against ``expected_team``'s from the same scores, and how many were
    compared: a blank one was not calculated, and is left unjudged as collect leaves a file's."""
    result = assemble(ladder, roster, QUARTER, [collected], [], "check").people[0]
    person, scores = result.person.id, result.inputs.criteria if result.inputs else {}
    want = expected_team(ladder, list(roster.people),
                         {person: result.scores.manager_band if result.scores else ""},
                         {person: {c: v.manager_score for c, v in scores.items()}}, org)
    by_key, out, compared = wl.by_key(), [], 0
    grid = book.grid(TEAM, max(by_key[k][1].row for k in want))
    for key, expected in want.items():
        sheet, cell = by_key[key]
        r, c = cell.row - 1, column_index(cell.column)
        shown = grid[r][c] if r < len(grid) and c < len(grid[r]) else ""
        if shown == "":
            continue
        compared += 1
        if not _same(shown, expected):
            out.append(f"{sheet.title}!{cell.ref}: Google shows {shown!r}, Python works out {expected!r}")
    return out, compared


def _same(shown: object, expected: object) -> bool:
    if isinstance(shown, (int, float)) and isinstance(expected, (int, float)):
        return abs(shown - expected) < 1e-9
    return shown == expected


def _prove_protection(sheets: Sheets, second: Sheets, spreadsheet_id: str, wl: WorkbookLayout,
                      say: Say) -> list[str]:
    """Acting as another account with edit access: a manager cell must refuse, an SE input cell accept."""
    who = second.acting_as or second.whoami()
    sheets.share(spreadsheet_id, who, notify=False)
    say(f"shared it with {who}")
    choices = {cell.editor: (_a1(sheet, cell), _first_option(cell)) for sheet, cell in reversed(list(
        wl.cells(Role.INPUT))) if _first_option(cell) != ""}  # reversed: each editor's first dropdown wins
    (manager_cell, manager_value), (se_cell, se_value) = choices[Editor.MANAGER], choices[Editor.SE]
    problems = []
    try:
        second.type_values(spreadsheet_id, {manager_cell: manager_value})
        problems.append(f"{who} could type into the manager's cell {manager_cell}: the protection does not hold")
    except StopRun:
        raise
    except Refused as exc:
        if "protected" not in exc.google_message:
            raise
        say(f"as {who}: the manager's cell {manager_cell} refused the edit (protected)")
    try:
        second.type_values(spreadsheet_id, {se_cell: se_value})
        say(f"as {who}: the SE's cell {se_cell} took the edit")
    except Refused as exc:
        problems.append(f"{who} could not type into the SE's cell {se_cell}: {exc}")
    return problems


def remove(sheets: Sheets, spreadsheet_id: str, say: Say) -> str:
    """Delete what the check made, or move it to the trash where only a Manager may delete (a shared
    drive's Content manager). "" when done, else what was left behind; never raises."""
    try:
        sheets.delete(spreadsheet_id)
        say("deleted the spreadsheet")
        return ""
    except Refused as exc:
        if exc.code != 403:
            return _left(spreadsheet_id, exc)
    except ServiceError as exc:
        return _left(spreadsheet_id, exc)
    try:
        sheets.trash(spreadsheet_id)
    except ServiceError as exc:
        return _left(spreadsheet_id, exc)
    say("moved the spreadsheet to the trash (deleting needs the Manager role in a shared drive)")
    return ""


def _left(spreadsheet_id: str, exc: ServiceError) -> str:
    return (f"could not remove the check's spreadsheet ({exc}); delete it by hand: "
            f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit")


def _first_option(cell: Cell) -> RawValue:
    """A dropdown's first choice, as a number when it is one ("" for a cell without choices)."""
    options = cell.validation.options if cell.validation is not None else ()
    return (int(options[0]) if options[0].isdigit() else options[0]) if options else ""


def _a1(sheet: SheetLayout, cell: Cell) -> str:
    return f"'{sheet.title}'!{cell.ref}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="google-check", description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=Path, default=None)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--impersonate", default="")
    parser.add_argument("--second-credentials", type=Path, default=None,
                        help="Another account's credentials (an SE's, say): proves the manager's cells refuse it.")
    args = parser.parse_args(argv)
    try:
        second = None
        if args.second_credentials is not None:
            path = args.second_credentials
            second = connect(path, token_cache=path.with_name(path.stem + ".second.token.json"))
        problems = check(connect(args.credentials, impersonate=args.impersonate), args.folder, second=second)
    except LadderSheetsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    for problem in problems:
        print(f"DIFFERENT: {problem}", file=sys.stderr)
    print("OK: Google and collect agree" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
