"""Promotion packets and 1:1 pages: self-contained, print-ready HTML per SE, and a PDF of a packet (WeasyPrint).

WeasyPrint lays the packet out with the same print CSS a browser uses (page size, repeated
table headers, no row split over a page); it is optional (``pip install 'ladder-sheets[pdf]'``)
and needs the Pango libraries (Debian: libpango-1.0-0 libpangoft2-1.0-0).
"""

from __future__ import annotations

from typing import Any

from ..core.errors import ConfigError, LadderSheetsError
from ..core.summary import Row, Summary
from .render import render


def packet_html(summary: Summary, row: Row, trends: Any = None) -> str:
    """The packet of one SE; ``trends`` adds readiness over quarters and the manager's rater view."""
    rater = None
    if trends is not None:
        rater = next((x for x in trends.raters if x.manager_id == row.manager_id), None)
    return render("packet.html", summary, trends, r=row, rater=rater)


def one_on_one_html(summary: Summary, row: Row) -> str:
    """A printable 1:1 page: the manager's agenda for one SE, the whole scorecard with evidence, the metrics."""
    return render("one_on_one.html", summary, None, r=row)


def require_pdf() -> None:
    """Raise ConfigError, before anything is written, when WeasyPrint (or its Pango libraries) is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries cannot be loaded
        raise ConfigError("PDF packets need WeasyPrint and Pango: pip install 'ladder-sheets[pdf]' and "
                          f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({exc})") from exc


def pdf_from_html(html: str) -> bytes:
    """The packet as PDF. Raises ConfigError when WeasyPrint (or its Pango libraries) is missing."""
    require_pdf()
    from weasyprint import HTML

    try:
        data = HTML(string=html).write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; none must stop the other packets silently
        raise LadderSheetsError(f"cannot lay out the packet as PDF: {exc}") from exc
    assert isinstance(data, bytes)
    return data
