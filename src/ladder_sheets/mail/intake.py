"""Saved emails in: ``.eml`` files, mbox files and Maildir folders, read with the standard library.

Each message becomes a ``Returned``: where it is (file, or mailbox and message), who sent
it, when, and the workbooks attached to it (.xlsx, .xlsm, .xlsb, .xls or .ods; bytes, in memory). Nothing here
judges a workbook: ``workflows.mail_collect`` hands them to collect.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import default
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every workbook format collect reads, by the MIME type a mail client gives it (a saved .ods or .xls
# reply is a returned workbook as much as an .xlsx one).
WORKBOOK_TYPES = {XLSX_MIME: ".xlsx", "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
                  "application/vnd.ms-excel.sheet.binary.macroenabled.12": ".xlsb",
                  "application/vnd.ms-excel": ".xls", "application/vnd.oasis.opendocument.spreadsheet": ".ods"}
WORKBOOK_SUFFIXES = frozenset(WORKBOOK_TYPES.values())
_MAILDIR_PARTS = ("cur", "new", "tmp")


@dataclass(frozen=True)
class Returned:
    """One saved email and the workbooks attached to it."""

    where: str  # "returns.mbox, message 3", "inbox/cur/1733.M1P2.host:2,S" or "reply.eml"
    sender: str  # the From address, lower case ("" when there is none)
    date: datetime | None  # the Date header (UTC), else None
    subject: str
    workbooks: tuple[tuple[str, bytes], ...] = ()  # (attachment file name, bytes)
    others: tuple[str, ...] = ()  # names of other attachments (a PDF, an .xls): why none is a workbook
    problem: str = ""  # the message could not be read at all

    @property
    def when(self) -> str:
        return self.date.strftime("%Y-%m-%d %H:%M UTC") if self.date else "no date"


def is_mail_source(path: Path) -> bool:
    """An .eml or .mbox file, a file that starts like an mbox ("From "), or a Maildir folder."""
    if path.is_dir():
        return all((path / part).is_dir() for part in _MAILDIR_PARTS)
    if path.suffix.lower() in (".eml", ".mbox"):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


def read_source(path: Path) -> Iterator[Returned]:
    """Every message of one mail source, in mailbox order. A message that cannot be read is a
    ``Returned`` with ``problem`` set; a source that cannot be opened raises OSError."""
    if path.is_dir():
        box = mailbox.Maildir(str(path), factory=None, create=False)
        for key in sorted(box.keys()):
            yield _from_bytes(str(path / _file_of(box, key)), box.get_bytes(key))
    elif path.suffix.lower() == ".eml":
        yield _from_bytes(str(path), path.read_bytes())
    else:
        mbox = mailbox.mbox(str(path), factory=None, create=False)
        try:
            for n, key in enumerate(mbox.keys(), start=1):
                yield _from_bytes(f"{path}, message {n}", mbox.get_bytes(key))
        finally:
            mbox.close()


def _file_of(box: mailbox.Maildir, key: str) -> str:
    """The message's file as saved ("cur/<key>:2,S"): what a person finds in the folder."""
    return str(getattr(box, "_lookup")(key))


def _from_bytes(where: str, raw: bytes) -> Returned:
    try:
        msg = BytesParser(_class=EmailMessage, policy=default).parsebytes(raw)
        sender = parseaddr(str(msg.get("From", "")))[1].lower()
        subject = str(msg.get("Subject", ""))
        date = _date(msg)
        workbooks, others = _attachments(msg)
    except (ValueError, TypeError, LookupError, AttributeError) as exc:  # malformed headers or parts
        return Returned(where, "", None, "", problem=f"not a readable email ({type(exc).__name__}: {exc})")
    return Returned(where, sender, date, subject, tuple(workbooks), tuple(others))


def _date(msg: Message) -> datetime | None:
    value = msg.get("Date")
    if not value:
        return None
    try:
        date = parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    return date.astimezone(timezone.utc)


def _attachments(msg: Message) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Workbooks anywhere in the message (a forwarded message's too), and the names of everything else attached."""
    workbooks: list[tuple[str, bytes]] = []
    others: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or ""
        if not name and part.get_content_disposition() != "attachment":
            continue  # a body part
        suffix = Path(name).suffix.lower() if name else ""
        mime_suffix = WORKBOOK_TYPES.get(part.get_content_type().lower(), "")
        if suffix in WORKBOOK_SUFFIXES or (mime_suffix and not suffix):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                workbooks.append((Path(name).name or f"workbook{mime_suffix}", data))
                continue
        others.append(name or part.get_content_type())
    return workbooks, others
