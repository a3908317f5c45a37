"""A folder of emails for ``send``, written whole: shared by ``handout`` and ``remind``.

Each email's Message-ID is derived from its content (sender, recipients, subject, text,
attachments): writing the same email again keeps its identity, so the send log still
knows who has it and a rerun never mails it twice. The folder is built aside and swapped
in when complete (``staged``): a failed run leaves the previous emails and never half of
new ones; the send log and any other file not an email are carried over.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError, ProblemCollector, WorkbookError
from ..mail.smtp import address, build_message, display_name, write_eml
from ..report.notices import render_notice
from .staged import staged_directory


@dataclass(frozen=True)
class Draft:
    stem: str  # file name without .eml
    to: tuple[str, ...]
    subject: str
    template: str  # templates/<template>.html and .txt
    context: dict[str, Any]
    cc: tuple[str, ...] = ()
    reply_to: str = ""
    attachments: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)


def check_addresses(sender: str, drafts: Sequence[Draft]) -> None:
    """Every address, checked before anything is written; all problems at once (ConfigError)."""
    check_all("emails", [("--from", sender)] + [(f"{d.stem}: {what}", a) for d in drafts
                                                for what, addrs in (("to", d.to), ("cc", d.cc),
                                                                    ("reply-to", (d.reply_to,)))
                                                for a in addrs if a or what != "reply-to"])


def check_all(source: str, checks: Sequence[tuple[str, str]]) -> None:
    """Each (what, address) checked; every unusable one reported at once in a ConfigError from ``source``."""
    problems = ProblemCollector(source)
    for what, value in checks:
        try:
            address(value, what)
        except ConfigError as exc:
            problems.add("", str(exc))
    problems.raise_if_any(ConfigError)


def write_outbox(out: Path, sender: str, drafts: Sequence[Draft]) -> list[Path]:
    """Write ``<stem>.eml`` per draft into ``out``, replacing the emails of the last run. Raises WorkbookError."""
    check_addresses(sender, drafts)
    messages = []
    for d in drafts:
        html = render_notice(f"{d.template}.html", **d.context)
        text = render_notice(f"{d.template}.txt", **d.context)
        mid = _content_id(sender, d, text)
        messages.append((d.stem, build_message(sender, list(d.to), d.subject, text, html, d.attachments, cc=d.cc,
                                               reply_to=d.reply_to, message_id=mid)))
    try:
        with staged_directory(out, keep=lambda p: p.suffix != ".eml") as stage:
            for stem, msg in messages:
                write_eml(msg, stage / f"{stem}.eml")
    except OSError as exc:
        raise WorkbookError(f"{out}: cannot write the emails: {exc.strerror or exc}") from exc
    return [out / f"{stem}.eml" for stem, _ in messages]


def _content_id(sender: str, d: Draft, text: str) -> str:
    return content_message_id(sender, [*d.to, "|", *d.cc, "|", d.reply_to], d.subject, text, d.attachments)


def content_message_id(sender: str, to: Sequence[str], subject: str, text: str,
                       attachments: Sequence[tuple[str, bytes]] = ()) -> str:
    """A Message-ID derived from what the email says: rewriting the same email keeps its id, so
    ``send``'s log knows it was delivered and a rerun never mails it twice."""
    digest = hashlib.sha256()
    for part in (sender, *to, subject, text):
        digest.update(part.encode("utf-8") + b"\0")
    for name, data in attachments:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    domain = sender.rpartition("@")[2].strip("> ") or "ladder-sheets.invalid"
    return f"<ladder-sheets.{digest.hexdigest()[:40]}@{domain}>"


def due_long(due: date) -> str:
    """"Monday 7 December 2026"."""
    return f"{due:%A} {due.day} {due:%B %Y}"


def due_short(due: date) -> str:
    return f"{due:%a} {due.day} {due:%b}"


def days_left(due: date, today: date) -> str:
    """"3 days left", "1 day left", "due today", "2 days overdue"."""
    n = (due - today).days
    if n == 0:
        return "due today"
    if n > 0:
        return f"{n} day{'s' if n != 1 else ''} left"
    return f"{-n} day{'s' if n != -1 else ''} overdue"


def sender_name(sender: str) -> str:
    """Who signs an email sent as ``sender``: its name, else "SE Operations" (never a bare address)."""
    return display_name(sender) or "SE Operations"


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def file_stem(kind: str, ident: str) -> str:
    """``<kind>-<id>`` as a safe file name (ids are checked by the roster; this is belt and braces)."""
    return f"{kind}-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.") or "x")
