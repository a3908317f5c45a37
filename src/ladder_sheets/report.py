"""``report``: every output for managers and leadership, from one Results file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from .csv_export import to_csv
from .errors import WorkbookError
from .mail import build_message, write_eml
from .model import Ladder
from .render import render
from .results import Results
from .summary import Summary, for_manager, managers, summarize
from .summary_xlsx import summary_workbook
from .xlsx_writer import write_bytes

DEFAULT_SENDER = "ladder-sheets <ladder-sheets@localhost>"


def build_report(results: Results, ladder: Ladder, out: Path, *, sender: str = DEFAULT_SENDER,
                 leadership: Sequence[str] = (), org: str = "") -> list[Path]:
    """Write summary.xlsx, results.csv, and per manager and for leadership an HTML, a text and an .eml file."""
    summary = summarize(results, ladder)
    try:
        out.mkdir(parents=True, exist_ok=True)
        files = [_write(out / "results.csv", to_csv(summary).encode("utf-8-sig"))]
        write_bytes(summary_workbook(summary), out / "summary.xlsx")
        files.append(out / "summary.xlsx")
        for manager_id, name, email in managers(summary):
            mine = for_manager(summary, manager_id)
            subject = f"{summary.quarter} team summary: {name}"
            files += _email(out, f"manager-{_slug(manager_id)}", "manager_summary", mine, sender, [email], subject,
                            manager_name=name)
        if leadership:
            subject = f"{summary.quarter} presales career summary" + (f": {org}" if org else "")
            files += _email(out, "leadership", "leadership_summary", summary, sender, list(leadership), subject)
        else:
            files += _email(out, "leadership", "leadership_summary", summary, sender, [], "", write_mail=False)
    except OSError as exc:
        raise WorkbookError(f"{out}: cannot write the report: {exc}") from exc
    return files


def _email(out: Path, stem: str, template: str, summary: Summary, sender: str, to: list[str], subject: str,
           write_mail: bool = True, **context: str) -> list[Path]:
    html = render(f"{template}.html", summary, **context)
    text = render(f"{template}.txt", summary, **context)
    files = [_write(out / f"{stem}.html", html.encode("utf-8")), _write(out / f"{stem}.txt", text.encode("utf-8"))]
    if write_mail:
        files.append(write_eml(build_message(sender, to, subject, text, html), out / f"{stem}.eml"))
    return files


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "manager"
