"""What every sheet of summary.xlsx writes alike: header rows, cells of any value, formats and band colours.

Rows and columns count from 0, as XlsxWriter does.
"""

from __future__ import annotations

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range_abs
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..core.styles import FILL
from ..core.summary import Summary

PCT = "0%"
POINTS = '+0" pts";-0" pts";0" pts"'  # a gap: manager minus self, in percentage points
SCORE = "0.0"  # a mean score on the rubric's scale
SIGNED = "+0.0;-0.0;0.0"  # a difference of mean scores
WRAP = {"text_wrap": True, "valign": "top"}
_HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": f"#{FILL['header']}", **WRAP}

# Band fills as in the emails (highest band first), grey for Incomplete.
BAND_FILLS = (("C6EFCE", "006100"), ("FFEB9C", "7F6000"), ("FFC7CE", "9C0006"))
INCOMPLETE_FILL = ("EDEDED", "404040")

Value = str | float | None


def band_fill(summary: Summary, band: str) -> tuple[str, str]:
    """(background, text) colours of a band, as the emails show it."""
    i = summary.band_names.index(band) if band in summary.band_names else len(summary.band_names)
    return BAND_FILLS[i] if i < min(len(BAND_FILLS), len(summary.band_names) - 1) else INCOMPLETE_FILL


class Looks:
    """The formats of one workbook, each made once however many cells wear it (XlsxWriter shares them)."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._made: dict[tuple[tuple[str, object], ...], Format] = {}

    def __call__(self, **props: object) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._wb.add_format(props)
        return self._made[key]

    def band(self, s: Summary, name: str, **props: object) -> Format:
        """A band's background and text colour, as the emails show it."""
        bg, fg = band_fill(s, name)
        return self(bg_color=f"#{bg}", font_color=f"#{fg}", **props)


def put(ws: Worksheet, row: int, col: int, value: Value, look: Format | None = None) -> None:
    """One cell: text always as a string (names and free text are data, never formulas), numbers as numbers,
    None or "" as a blank (kept only when it has a look)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, look)
    elif isinstance(value, str):
        ws.write_string(row, col, value, look)
    else:
        ws.write_number(row, col, value, look)


def header(ws: Worksheet, looks: Looks, names: tuple[str, ...] | list[str], frozen_cols: int = 1) -> None:
    """The header row, frozen with the first ``frozen_cols`` columns."""
    look = looks(**_HEADER)
    for col, name in enumerate(names):
        ws.write_string(0, col, name, look)
    ws.freeze_panes(1, frozen_cols)


def widths(ws: Worksheet, sizes: list[float] | tuple[float, ...]) -> None:
    """Column widths from A on, in characters as the file stores them (the sheets were fitted to the page with
    these). set_column would add Excel's cell padding on top: they go in as pixels, 7 a character."""
    for i, width in enumerate(sizes):
        ws.set_column_pixels(i, i, 7 * width)


def cells(sheet: str, first_row: int, first_col: int, last_row: int | None = None, last_col: int | None = None) -> str:
    """A chart's reference to a cell or a range of ``sheet``."""
    last_row = first_row if last_row is None else last_row
    last_col = first_col if last_col is None else last_col
    return f"='{sheet}'!{xl_range_abs(first_row, first_col, last_row, last_col)}"


def pts(value: float | None) -> float | None:
    return None if value is None else value * 100
