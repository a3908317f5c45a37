"""How cells look, independent of the spreadsheet engine: the Excel and Google writers each translate it."""

from __future__ import annotations

from dataclasses import dataclass

FILL = {"ready": "C6EFCE", "close": "FFEB9C", "developing": "FFC7CE", "input": "FFF8D6", "header": "1F3864",
        "calculated": "F2F2F2"}
FONT = "Calibri"  # always named: an unnamed bold font renders in a serif fallback in LibreOffice


@dataclass(frozen=True)
class Style:
    """How a cell looks, independent of the spreadsheet engine; each writer translates it."""

    bold: bool = False
    italic: bool = False
    size: float = 11
    color: str = "000000"  # hex RGB of the text
    fill: str = ""  # hex RGB of the background, "" for none
    border: bool = False
    wrap: bool = False


_INPUT_TEXT = "1F3864"
STYLES: dict[str, Style] = {
    "title": Style(bold=True, size=14, color="1F3864"),
    "subtitle": Style(italic=True),
    "caption": Style(italic=True, color="595959"),
    "heading": Style(bold=True, size=12, color="1F3864"),
    "header": Style(bold=True, color="FFFFFF", fill=FILL["header"], border=True, wrap=True),
    "label": Style(bold=True),
    "label_wrap": Style(bold=True, wrap=True),
    "text": Style(),
    "paragraph": Style(wrap=True),
    "note": Style(italic=True, color="595959", wrap=True),
    "id": Style(size=9, color="7F7F7F", border=True),
    "wrap": Style(border=True, wrap=True),
    "number": Style(border=True),
    "input": Style(color=_INPUT_TEXT, fill=FILL["input"], border=True),
    "input_wrap": Style(color=_INPUT_TEXT, fill=FILL["input"], border=True, wrap=True),
    "formula": Style(fill=FILL["calculated"], border=True),
    "formula_wrap": Style(fill=FILL["calculated"], border=True, wrap=True),
    "result": Style(bold=True, fill=FILL["calculated"], border=True),
    "result_wrap": Style(bold=True, fill=FILL["calculated"], border=True, wrap=True),
    # Long free text (evidence up to 5,000 characters) at 10 points, so the longest still prints on one page.
    "evidence": Style(size=10, color=_INPUT_TEXT, fill=FILL["input"], border=True, wrap=True),
    "carry": Style(italic=True, size=10, color="595959", fill="EDEDED", border=True, wrap=True),  # last quarter
    "carry_number": Style(italic=True, color="595959", fill="EDEDED", border=True),
    "reserved": Style(italic=True, color="7F7F7F", fill="EDEDED", border=True),  # scored elsewhere, locked here
    "must": Style(bold=True, color="9C0006", border=True, wrap=True),  # a must-have's minimum and cap
}
