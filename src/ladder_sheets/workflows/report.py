"""``report``: every output for managers and leadership, from one Results file.

OUT holds exactly one report: emails of an earlier run that this one does not rewrite
(a manager who left, leadership without addresses this time) are removed, because
``send`` mails every .eml it finds and must never mail a stale summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

from ..report.csv_export import to_csv
from ..core.errors import ConfigError, ProblemCollector, WorkbookError
from ..mail.smtp import address, build_message, write_eml
from ..core.model import Ladder
from ..report.render import render
from ..core.results import Results
from ..core.summary import Summary, for_manager, managers, summarize
from ..xlsx.summary_workbook import summary_workbook
from ..core.trends import Trends
from ..xlsx.writer import write_bytes
from .staged import staged_directory

DEFAULT_SENDER = "ladder-sheets <ladder-sheets@localhost>"
_OWN_OUTPUTS = ("manager-*.html", "manager-*.txt", "manager-*.eml", "leadership.html", "leadership.txt",
                "leadership.eml")


def build_report(results: Results, ladder: Ladder, out: Path, *, sender: str = DEFAULT_SENDER,
                 leadership: Sequence[str] = (), org: str = "", trends: Trends | None = None) -> list[Path]:
    """Write summary.xlsx, results.csv, and per manager and for leadership an HTML, a text and an .eml file.

    With ``trends`` (from the history database) they also show readiness over quarters,
    consecutive quarters in the top band, team movement and rater calibration.

    Without ``leadership`` addresses the leadership summary is written as HTML and text
    only (no .eml). Raises ConfigError listing every unusable address before writing
    anything, WorkbookError when OUT cannot be written.
    """
    summary = summarize(results, ladder)
    _check_addresses(sender, summary, leadership)
    target = out
    try:
        with staged_directory(target, keep=_not_ours) as out:  # built aside, swapped in whole when complete
            files = _build(summary, ladder, out, sender, leadership, org, trends)
    except OSError as exc:
        raise WorkbookError(f"{target}: cannot write the report: {exc}") from exc
    return [target / f.name for f in files]


def _not_ours(path: Path) -> bool:
    """Files of OUT that are not this report's outputs: kept as they are (a stale email never is)."""
    return not any(fnmatch(path.name, pattern) for pattern in (*_OWN_OUTPUTS, "summary.xlsx", "results.csv"))


def _build(summary: Summary, ladder: Ladder, out: Path, sender: str, leadership: Sequence[str], org: str,
           trends: Trends | None) -> list[Path]:
    files = [_write(out / "results.csv", to_csv(summary).encode("utf-8-sig"))]
    workbook = summary_workbook(summary, trends)
    write_bytes(workbook, out / "summary.xlsx")  # atomic; raises WorkbookError
    files.append(out / "summary.xlsx")
    for stem, (manager_id, name, email) in zip(_stems(summary), managers(summary)):
        mine = for_manager(summary, manager_id)
        subject = f"{summary.quarter} team summary: {name}"
        files += _email(out, stem, "manager_summary", mine, sender, [email], subject, trends, manager_name=name)
    subject = f"{summary.quarter} presales career summary" + (f": {org}" if org else "")
    # Leadership gets summary.xlsx attached: the email itself lists every SE only for smaller orgs.
    files += _email(out, "leadership", "leadership_summary", summary, sender, list(leadership), subject, trends,
                    attachments=[("summary.xlsx", workbook)])
    return files


def _check_addresses(sender: str, summary: Summary, leadership: Sequence[str]) -> None:
    """Every address the emails need, checked before anything is written; all problems at once."""
    problems = ProblemCollector("report")
    checks = [("--from", sender), *(("leadership address", a) for a in leadership)]
    checks += [(f"manager {manager_id} ({name}): email", email) for manager_id, name, email in managers(summary)]
    for what, value in checks:
        try:
            address(value, what)
        except ConfigError as exc:
            problems.add("", str(exc))
    problems.raise_if_any(ConfigError)


def _stems(summary: Summary) -> list[str]:
    """``manager-<id>`` per manager, unique even when two ids differ only in characters a file name cannot hold."""
    stems: list[str] = []
    for manager_id, _, _ in managers(summary):
        stem = base = "manager-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", manager_id).strip("-.") or "manager")
        n = 1
        while stem in stems:
            n += 1
            stem = f"{base}-{n}"
        stems.append(stem)
    return stems


def _email(out: Path, stem: str, template: str, summary: Summary, sender: str, to: list[str], subject: str,
           trends: Trends | None, attachments: Sequence[tuple[str, bytes]] = (), **context: str) -> list[Path]:
    html = render(f"{template}.html", summary, trends, **context)
    text = render(f"{template}.txt", summary, trends, **context)
    files = [_write(out / f"{stem}.html", html.encode("utf-8")), _write(out / f"{stem}.txt", text.encode("utf-8"))]
    if to:
        msg = build_message(sender, to, subject, text, html, attachments)
        files.append(write_eml(msg, out / f"{stem}.eml"))
    return files


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
