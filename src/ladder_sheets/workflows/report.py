"""``report``: every output for managers and leadership, from one Results file.

OUT holds exactly one report: emails of an earlier run that this one does not rewrite
(a manager who left, leadership without addresses this time) are removed, because
``send`` mails every .eml it finds and must never mail a stale summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from ..config.ladder import load_ladder, load_roster
from ..report.csv_export import to_csv
from ..core.errors import ConfigError, WorkbookError
from ..mail.smtp import build_message, write_eml
from ..core.committee import Applied
from ..core.model import Ladder
from ..report.packet import one_on_one_html, packet_html, pdf_from_html, require_pdf
from ..report.render import EMAIL_BUDGET, LEADERSHIP_TEXT, render, render_within
from ..core.results import Results
from ..core.summary import Row, Summary, for_manager, managers, summarize
from ..xlsx.summary_workbook import summary_workbook
from ..core.trends import Trends
from ..xlsx.writer import write_bytes
from . import history_db
from .outbox import check_all, content_message_id
from .results_file import read_results
from .staged import staged_directory

DEFAULT_SENDER = "ladder-sheets <ladder-sheets@localhost>"
_OWN_OUTPUTS = ("manager-*.html", "manager-*.txt", "manager-*.eml", "leadership.html", "leadership.txt",
                "leadership.eml", "problems.txt", "packet-*.html", "packet-*.pdf",
                "1on1-*.html")


@dataclass(frozen=True)
class Reported:
    files: list[Path]  # every file written
    leadership: list[str]  # the leadership email's recipients (none: leadership.eml was not written)


def write_report(results_path: Path, ladder_path: Path | None, out: Path, *, team_path: Path | None = None,
                 leadership: Sequence[str] = (), sender: str = DEFAULT_SENDER, db: Path | None = None,
                 previous_path: Path | None = None, leadership_text: str = LEADERSHIP_TEXT[0],
                 packets: Sequence[str] = (), pdf: bool = False, one_on_ones: bool = False) -> Reported:
    """``ladder-sheets report``: ``build_report`` from a results file and the config files.

    Trends come from the history ``db`` when it exists; leadership addresses from
    ``leadership`` and the roster at ``team_path``.
    """
    ladder = load_ladder(ladder_path)
    org, recipients = "", list(leadership)
    if team_path is not None:  # before the results: parsing it beside them makes each GC pass walk them all
        roster = load_roster(team_path, ladder)
        org = roster.org
        recipients += [a for a in roster.leadership if a not in recipients]
        del roster
    results = read_results(results_path)
    decided = history_db.decisions(db, results.quarter) if db is not None and db.exists() else None
    trends = history_db.trends(db, ladder, results, decided) if db is not None and db.exists() else None
    previous = read_results(previous_path) if previous_path is not None else None
    files = build_report(results, ladder, out, sender=sender, leadership=recipients, org=org, trends=trends,
                         previous=previous, leadership_text=leadership_text, packets=packets, pdf=pdf,
                         one_on_ones=one_on_ones, committee=decided)
    return Reported(files, recipients)


def build_report(results: Results, ladder: Ladder, out: Path, *, sender: str = DEFAULT_SENDER,
                 leadership: Sequence[str] = (), org: str = "", trends: Trends | None = None,
                 previous: Results | None = None, leadership_text: str = LEADERSHIP_TEXT[0],
                 packets: Sequence[str] = (), pdf: bool = False, one_on_ones: bool = False,
                 committee: Applied | None = None) -> list[Path]:
    """Write the quarter's report into ``out``: summaries, emails, packets; the previous one is kept if it fails.

    That is summary.xlsx, results.csv, problems.txt (SE Ops' log, with files and cells), per
    manager and for leadership an HTML, a text and an .eml file, and a promotion packet
    (packet-<id>.html, and .pdf with ``pdf``) for every promotion candidate (in the top band
    ``Ladder.candidate_quarters`` quarters running) and every person id in ``packets``.

    With ``trends`` (from the history database) they also show readiness over quarters,
    consecutive quarters in the top band and movement since the quarter before; without
    them quarters in a row cannot be counted, so nobody is a candidate (unless the ladder's
    ``candidate_quarters`` is 1). ``committee`` (its decisions applied for this quarter) puts
    the agreed band beside the manager's wherever bands appear. With
    ``previous`` (last quarter's results) each SE's agenda shows the milestones proposed then.
    ``leadership_text``: "candidates" (default) quotes promotion candidates' read-outs to
    leadership, "none" no SE-written text at all. ``one_on_ones`` adds a printable 1:1 page per SE
    (1on1-<id>.html: the agenda and the whole scorecard).

    Without ``leadership`` addresses the leadership summary is written as HTML and text
    only (no .eml). Raises ConfigError listing every unusable address or unknown packet id
    before writing anything, WorkbookError when OUT cannot be written.
    """
    summary = summarize(results, ladder, previous, committee=committee,
                        streaks=trends.streaks if trends is not None else None)
    _check_addresses(sender, summary, leadership)
    packet_rows = _packet_rows(summary, packets, leadership_text)
    if pdf:
        require_pdf()
    target = out
    try:
        with staged_directory(target, keep=_not_ours) as out:  # built aside, swapped in whole when complete
            files = _build(summary, out, sender, leadership, org, trends, leadership_text, packet_rows, pdf,
                           one_on_ones)
    except OSError as exc:
        raise WorkbookError(f"{target}: cannot write the report: {exc}") from exc
    return [target / f.name for f in files]


def _not_ours(path: Path) -> bool:
    """Files of OUT that are not this report's outputs: kept as they are (a stale email never is)."""
    return not any(fnmatch(path.name, pattern) for pattern in (*_OWN_OUTPUTS, "summary.xlsx", "results.csv"))


def _build(summary: Summary, out: Path, sender: str, leadership: Sequence[str], org: str, trends: Trends | None,
           leadership_text: str, packet_rows: list[Row], pdf: bool, one_on_ones: bool) -> list[Path]:
    files = [_write(out / "results.csv", to_csv(summary).encode("utf-8-sig"))]
    workbook = summary_workbook(summary, trends)
    write_bytes(workbook, out / "summary.xlsx")  # atomic; raises WorkbookError
    files.append(out / "summary.xlsx")
    files.append(_write(out / "problems.txt", problems_log(summary).encode("utf-8")))
    for stem, (manager_id, name, email) in zip(_stems(summary), managers(summary)):
        mine = for_manager(summary, manager_id)  # O(team): the summary is grouped by manager once
        subject = f"{summary.quarter} coaching agenda: {name}"
        files += _email(out, stem, "manager_summary", mine, sender, [email], subject, trends, manager_name=name)
    subject = f"{summary.quarter} presales career summary" + (f": {org}" if org else "")
    # Leadership gets summary.xlsx attached: the email names only the first few of any list.
    files += _email(out, "leadership", "leadership_summary", summary, sender, list(leadership), subject, trends,
                    attachments=[("summary.xlsx", workbook)], leadership_text=leadership_text)
    for stem, row in zip(_packet_stems(packet_rows), packet_rows):
        html = packet_html(summary, row, trends)
        files.append(_write(out / f"{stem}.html", html.encode("utf-8")))
        if pdf:
            files.append(_write(out / f"{stem}.pdf", pdf_from_html(html)))
    if one_on_ones:
        for stem, row in zip(_packet_stems(list(summary.rows), "1on1-"), summary.rows):
            files.append(_write(out / f"{stem}.html", one_on_one_html(summary, row).encode("utf-8")))
    return files


def _check_addresses(sender: str, summary: Summary, leadership: Sequence[str]) -> None:
    """Every address the emails need, checked before anything is written; all problems at once."""
    check_all("report", [("--from", sender), *(("leadership address", a) for a in leadership),
                         *((f"manager {manager_id} ({name}): email", email)
                           for manager_id, name, email in managers(summary))])


def _packet_rows(summary: Summary, wanted: Sequence[str], leadership_text: str) -> list[Row]:
    """The SEs who get a packet: the promotion candidates, then those asked for by id. Unknown ids are a ConfigError."""
    if leadership_text not in LEADERSHIP_TEXT:
        raise ConfigError(f"leadership text {leadership_text!r}: expected one of {', '.join(LEADERSHIP_TEXT)}")
    by_id = {r.id: r for r in summary.rows}
    unknown = [p for p in wanted if p not in by_id]
    if unknown:
        raise ConfigError(f"--packet: {', '.join(repr(p) for p in unknown)} not in the results "
                          f"(expected a person id, e.g. {summary.rows[0].id if summary.rows else 'tomas-novak'})")
    rows = {r.id: r for r in summary.candidates}
    rows.update((p, by_id[p]) for p in wanted)
    return list(rows.values())


def _packet_stems(rows: list[Row], prefix: str = "packet-") -> list[str]:
    return _unique_stems(prefix, [r.id for r in rows], "se")


def problems_log(summary: Summary) -> str:
    """SE Ops' log: every problem with its file, sheet and cell, grouped by manager then SE. Emails say it in words."""
    lines = [f"{summary.quarter}: problems found in the returned workbooks", ""]
    for manager_id, rows in summary.by_manager.items():
        found = [(r, summary.problems[r.id]) for r in rows if r.id in summary.problems]
        missing = [r for r in rows if r.status == "missing"]
        if not found and not missing:
            continue
        lines.append(f"{rows[0].manager_name} ({manager_id})")
        for r in missing:
            lines.append(f"  {r.name} ({r.id}): no workbook returned")
        for r, problems in found:
            lines.append(f"  {r.name} ({r.id}): {r.status}")
            lines += [f"    {p}" for p in problems]
        lines.append("")
    if summary.unmatched:
        lines += ["Files with problems of their own (belonging to nobody on the roster, unreadable, or a review "
                  "or peer workbook as a whole)", *(f"  {u}" for u in summary.unmatched),
                  ""]
    if len(lines) == 2:
        lines.append("None: every workbook came back complete and clean.")
    return "\n".join(lines) + "\n"


def _stems(summary: Summary) -> list[str]:
    """``manager-<id>`` per manager."""
    return _unique_stems("manager-", [manager_id for manager_id, _, _ in managers(summary)], "manager")


def _unique_stems(prefix: str, ids: Sequence[str], fallback: str) -> list[str]:
    """``prefix<id>`` per id, unique even when two ids differ only in characters a file name cannot hold."""
    stems: list[str] = []
    taken: set[str] = set()
    for ident in ids:
        stem = base = prefix + (re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.") or fallback)
        n = 1
        while stem in taken:
            n += 1
            stem = f"{base}-{n}"
        stems.append(stem)
        taken.add(stem)
    return stems


def _email(out: Path, stem: str, template: str, summary: Summary, sender: str, to: list[str], subject: str,
           trends: Trends | None, attachments: Sequence[tuple[str, bytes]] = (), **context: Any) -> list[Path]:
    html = render_within(EMAIL_BUDGET, f"{template}.html", summary, trends, **context)
    if html is None:  # a very large team: questions once, evidence left in the workbooks
        html = render(f"{template}.html", summary, trends, compact=True, **context)
    text = render(f"{template}.txt", summary, trends, **context)
    files = [_write(out / f"{stem}.html", html.encode("utf-8")), _write(out / f"{stem}.txt", text.encode("utf-8"))]
    if to:
        # The id comes from the text, not the attachment (summary.xlsx holds its creation time): the same
        # summary written again is the same email, and send's log keeps a rerun from mailing it twice.
        msg = build_message(sender, to, subject, text, html, attachments,
                            message_id=content_message_id(sender, to, subject, text))
        files.append(write_eml(msg, out / f"{stem}.eml"))
    return files


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
