"""What every sheet of summary.xlsx writes alike: header rows, text cells, number formats and band colours."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..core.styles import FILL, FONT
from ..core.summary import Summary

HEADER = (Font(name=FONT, bold=True, color="FFFFFF"), PatternFill("solid", fgColor=FILL["header"]))
BOLD = Font(name=FONT, bold=True)
PCT = "0%"
POINTS = '+0" pts";-0" pts";0" pts"'  # a gap: manager minus self, in percentage points
SCORE = "0.0"  # a mean score on the rubric's scale
SIGNED = "+0.0;-0.0;0.0"  # a difference of mean scores

# Band fills as in the emails (highest band first), grey for Incomplete.
BAND_FILLS = (("C6EFCE", "006100"), ("FFEB9C", "7F6000"), ("FFC7CE", "9C0006"))
INCOMPLETE_FILL = ("EDEDED", "404040")


def band_fill(summary: Summary, band: str) -> tuple[str, str]:
    """(background, text) colours of a band, as the emails show it."""
    i = summary.band_names.index(band) if band in summary.band_names else len(summary.band_names)
    return BAND_FILLS[i] if i < min(len(BAND_FILLS), len(summary.band_names) - 1) else INCOMPLETE_FILL


def header(ws: Worksheet, names: tuple[str, ...] | list[str], freeze: str = "B2") -> None:
    ws.append(list(names))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = freeze


def text(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row, col, value)
    cell.data_type = "s"  # names and free text are data, never formulas


def pts(value: float | None) -> float | None:
    return None if value is None else value * 100


def widths(ws: Worksheet, sizes: list[float] | tuple[float, ...]) -> None:
    """Column widths from A on."""
    for i, width in enumerate(sizes):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
