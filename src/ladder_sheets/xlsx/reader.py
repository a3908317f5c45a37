"""Reads returned workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods): the only module that reads them, and the only importer of python-calamine.

Why calamine: it opens a generated workbook and reads its five sheets many times faster than
openpyxl, read-only or not (the figures are in the README). Calamine returns each cell's value,
and for a formula cell the value the spreadsheet app cached when it saved: all collect
needs, since inputs are values and formula results are recomputed, never trusted (the
cached ones only reveal overwritten formulas).

Only the cells the layout names are read: inputs, meta, row ids and formula cells.
An empty cell, and a formula cell that was never calculated (as openpyxl writes them),
both read as ``None``: calamine returns ``""`` for either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import python_calamine

from ..core.errors import WorkbookError
from ..core.inputs import CellError, RawValue
from ..core.cells import WorkbookLayout
from ..core.readplan import ReadPlan, plan
from .errorcells import Errors, error_cells
from .formulas import Formulas, formula_cells
from . import numberformats
from . import guard


_Grid = Sequence[Sequence[RawValue]]


class UnreadableWorkbook(WorkbookError):
    """A file that is not a readable workbook. ``reason`` says why, without the path."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass(frozen=True)
class RawWorkbook:
    sheet_names: tuple[str, ...]
    values: dict[str, RawValue]  # by layout key; cells on sheets the workbook lacks are absent


class XlsxWorkbook:
    """One open workbook. Sheets are loaded on first use, only as far down as the layout reaches."""

    errors_read_as_blank = True  # calamine returns "" for #N/A, #DIV/0!...

    def __init__(self, path: Path) -> None:
        self.path = path
        # An .xls keeps no text result of a formula that calamine reads (it reads 0).
        self.keeps_text_results = path.suffix.lower() != ".xls"
        self._errors: Errors | None = None
        self._formulas: Formulas | None = None
        self._formats: numberformats.Lookup | None = None
        self._grids: dict[str, tuple[int, _Grid]] = {}  # title -> (rows asked for, rows read)
        try:
            guard.check(path)  # calamine aborts the process on some files: it sees none unchecked
        except guard.HostileFile as exc:
            raise UnreadableWorkbook(path, exc.reason) from exc
        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
            self.sheet_names: tuple[str, ...] = tuple(self._book.sheet_names)
        except BaseException as exc:
            if not _library_failure(exc):
                raise
            raise _translate(path, exc) from exc

    def __enter__(self) -> XlsxWorkbook:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._book.close()
        except python_calamine.CalamineError:
            pass  # already closed

    def read(self, what: WorkbookLayout | ReadPlan) -> dict[str, RawValue]:
        """Raw values, by key, of the planned cells on the sheets this workbook has (blank: None)."""
        values: dict[str, RawValue] = {}
        for sheet in (what if isinstance(what, ReadPlan) else plan(what)).sheets:
            if sheet.title not in self.sheet_names:
                continue
            grid = self._grid(sheet.title, sheet.rows)
            for key, row, col in sheet.cells:
                line = grid[row] if row < len(grid) else ()
                value = line[col] if col < len(line) else None
                values[key] = None if value == "" else value
        return values

    def grid(self, title: str, rows: int) -> _Grid:
        """The sheet's values from A1, at most ``rows`` rows (an empty cell, and an error value, is "")."""
        return self._grid(title, rows)

    def error_cells(self, title: str) -> dict[tuple[int, int], CellError]:
        """The sheet's cells that show an error value, by (row, column) from 0 (searched once per file)."""
        if self._errors is None:
            self._errors = error_cells(self.path)
        return {at: CellError(code) for at, code in self._errors.get(title, {}).items()}

    def formula_cells(self, title: str) -> frozenset[tuple[int, int]] | None:
        """The sheet's cells holding a formula, by (row, column) from 0; None when the file cannot tell."""
        if self._formulas is None:
            self._formulas = formula_cells(self.path) or {}
        return self._formulas.get(title)

    def number_format(self, title: str, row: int, column: int) -> str:
        """A cell's number format code (0-based row, column); "" when the file cannot tell. The file is
        searched on the first question: only a free-text cell holding a number asks one."""
        if self._formats is None:
            self._formats = numberformats.lookup(self.path)
        return self._formats(title, row, column)

    def _grid(self, title: str, rows: int) -> _Grid:
        asked, grid = self._grids.get(title, (0, []))
        if asked < rows:
            try:
                # nrows bounds the work on a sheet someone filled with a million rows.
                sheet = self._book.get_sheet_by_name(title)
                loaded: _Grid = sheet.to_python(skip_empty_area=False, nrows=rows)
            except BaseException as exc:
                if not _library_failure(exc):
                    raise
                raise _translate(self.path, exc, f"sheet '{title}'") from exc
            self._grids[title] = (rows, loaded)
            grid = loaded
        return grid


def read_workbook(path: Path, layout: WorkbookLayout) -> RawWorkbook:
    """Sheet names and the raw values of the layout's cells, in one call. Raises WorkbookError naming the file."""
    with XlsxWorkbook(path) as book:
        return RawWorkbook(book.sheet_names, book.read(layout))


def _translate(path: Path, exc: BaseException, where: str = "") -> UnreadableWorkbook:
    """A library failure as a WorkbookError naming the file and saying what to do."""
    what = f"{where}: " if where else ""
    if isinstance(exc, python_calamine.PasswordError) or (
            isinstance(exc, python_calamine.ZipError) and _starts_with(path, _COMPOUND_FILE)):
        reason = ("it is password-protected, or an old .xls file; save it as .xlsx (Excel Workbook) "
                  "without a password")
    elif isinstance(exc, python_calamine.ZipError):
        reason = f"not an {_kind(path)} workbook, or a corrupt or truncated one ({exc})"
    elif isinstance(exc, OSError):
        reason = f"cannot open it: {exc.strerror or exc}"
    elif isinstance(exc, python_calamine.CalamineError):
        reason = f"not a readable {_kind(path)} workbook ({exc})"
    else:
        reason = f"unreadable workbook ({type(exc).__name__}: {exc})"
    return UnreadableWorkbook(path, what + reason)


def _kind(path: Path) -> str:
    """The format a file claims to be, as a person names it (.xlsx unless it says .xlsm, .xlsb, .xls or .ods)."""
    suffix = path.suffix.lower()
    return suffix if suffix in (".xlsm", ".xlsb", ".xls", ".ods") else ".xlsx"


# Office's binary container: an encrypted .xlsx is one, and so is an old .xls, where a zip was expected.
_COMPOUND_FILE = bytes.fromhex("D0CF11E0A1B11AE1")


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


def _library_failure(exc: BaseException) -> bool:
    """Anything the library raised on a bad file; not Ctrl-C or SystemExit."""
    # calamine is Rust: a panic on a malformed file surfaces as pyo3's PanicException, a BaseException.
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"
