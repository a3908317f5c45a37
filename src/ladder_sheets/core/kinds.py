"""Workbooks of other kinds than an SE's own: a manager's review, a rater's peer input (and, later, a committee's).

Each kind is recognised by content, never by file name: its Guide's first fact is
"Workbook: <kind>" (the META cell ``KIND_KEY``). ``kind_guide`` writes such a Guide, and
``probe`` is the layout collect reads that one fact through, with the landmarks any sheet
is read with (a Guide whose rows moved is still recognised). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from .cells import GUIDE, TITLE_HEIGHT, Cell, Role, SheetLayout, WorkbookLayout
from .model import CellValue
from .guide_sheet import Page

KIND_KEY = "meta.workbook"
MANAGER_REVIEW = "Manager review"
COMMITTEE = "Committee calibration"  # the promotion committee's workbook (`ladder-sheets calibrate`)
PEER_INPUT = "Peer input"  # an AE's or peer's ratings and blind-spot answers (peer_layout)
_KIND_LABEL = "Workbook"
_FIRST_FACT = 3  # the row every kind's Guide writes its kind in


def kind_guide(kind: str, title: str, facts: Sequence[tuple[str, CellValue, str]],
               texts: Sequence[tuple[str, str]], table: Sequence[tuple[str, str, str]] = ()) -> SheetLayout:
    """A Guide: the title, "Workbook: ``kind``" then ``facts`` (label, value, meta key), paragraphs
    (text, style) and an optional three-column table, its first row the header."""
    page = Page(widths={"A": 22, "B": 50, "C": 50}, heights={1: TITLE_HEIGHT},
                cells=[Cell("A1", Role.LABEL, title, "title")], row=_FIRST_FACT)
    for label, value, key in ((_KIND_LABEL, kind, KIND_KEY), *facts):
        page.cells += [Cell(f"A{page.row}", Role.LABEL, label, "label"),
                       Cell(f"B{page.row}", Role.META, value, "text", key=key)]
        page.row += 1
    page.row += 1
    for text, style in texts:
        page.paragraph(text, style)
    if table:
        page.row += 1
        page.table(list(table))
    return SheetLayout(GUIDE, tuple(page.cells), page.widths, page.heights, merges=tuple(page.merges))


def probe() -> WorkbookLayout:
    """The Guide's "Workbook" fact alone, where every kind's Guide writes it: enough to tell the kind."""
    sheet = SheetLayout(GUIDE, (Cell(f"A{_FIRST_FACT}", Role.LABEL, _KIND_LABEL, "label"),
                                Cell(f"B{_FIRST_FACT}", Role.META, None, "text", key=KIND_KEY)))
    return WorkbookLayout(None, "", "", (sheet,))
