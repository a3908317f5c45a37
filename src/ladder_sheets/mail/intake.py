"""Saved emails in: ``.eml`` files, mbox files and Maildir folders, read with the standard library.

Each message becomes a ``Returned``: where it is (file, or mailbox and message), who sent
it, when, and the workbooks attached to it (.xlsx, .xlsm, .xlsb, .xls or .ods; bytes, in memory). Nothing here
judges a workbook: ``workflows.mail_collect`` hands them to collect.

Each message is read on its own, under its own guard: anyone can send anything, and one
message the parser chokes on (parts nested thousands deep raise RecursionError) must not
hide the replies beside it. Before parsing, a message is held to bounds no real reply
comes near (its size, its number of MIME parts, how deep they nest): Python's parser
spends a tenth of a millisecond per part, so a few megabytes of empty parts would keep it
busy for minutes. A message over a bound, or one that cannot be parsed, is a ``Returned``
with ``problem`` set, still naming its sender, date and subject (read from its headers alone).
"""

from __future__ import annotations

import mailbox
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import default
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Protocol

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every workbook format collect reads, by the MIME type a mail client gives it (a saved .ods or .xls
# reply is a returned workbook as much as an .xlsx one).
WORKBOOK_TYPES = {XLSX_MIME: ".xlsx", "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
                  "application/vnd.ms-excel.sheet.binary.macroenabled.12": ".xlsb",
                  "application/vnd.ms-excel": ".xls", "application/vnd.oasis.opendocument.spreadsheet": ".ods"}
WORKBOOK_SUFFIXES = frozenset(WORKBOOK_TYPES.values())
_MAILDIR_PARTS = ("cur", "new", "tmp")

# Bounds a message is held to before it is parsed. A message must carry a workbook at collect's own
# file limit once base64-encoded (a third larger); mail servers refuse far smaller messages.
MAX_MESSAGE_BYTES = 100 * 1024 * 1024
MAX_MESSAGE_PARTS = 1_000  # a reply has a handful; a long forwarded thread a few dozen
MAX_MESSAGE_DEPTH = 32  # levels of parts inside parts: each forward-as-attachment adds two or three
# The headers of a message, or of one of its parts: a reply's take a few kilobytes (a long thread's
# References and Received lines some tens). Python's header parser slows with a header's length, and
# a parenthesis nested in another for each level of its recursion: a longer block is refused unparsed.
MAX_HEADER_BYTES = 64 * 1024
_NAME_SHOWN = 120  # characters of an attachment's name shown in messages

# A boundary a message declares, and a line that may be one (``--boundary`` or ``--boundary--``).
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.I)
_DELIMITER = re.compile(rb"^--([^\r\n]{1,202}?)[ \t]*\r?$", re.M)
# Some header every email has: a file of anything else parses as a message without any.
_HEADER_NAMES = frozenset({"from", "date", "subject", "to", "message-id", "content-type", "mime-version", "received"})
_UNSHOWN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # control, format (bidi overrides), surrogates, line breaks


@dataclass(frozen=True)
class Returned:
    """One saved email and the workbooks attached to it."""

    where: str  # "returns.mbox, message 3", "inbox/cur/1733.M1P2.host:2,S" or "reply.eml"
    sender: str  # the From address, lower case ("" when there is none)
    date: datetime | None  # the Date header (UTC), else None
    subject: str
    workbooks: tuple[tuple[str, bytes], ...] = ()  # (attachment file name, bytes); the name ends in its format
    others: tuple[str, ...] = ()  # names of other attachments (a PDF, an .xls): why none is a workbook
    problem: str = ""  # the message could not be read at all

    @property
    def when(self) -> str:
        return self.date.strftime("%Y-%m-%d %H:%M UTC") if self.date else "no date"

    @property
    def described(self) -> str:
        """Who sent it, when and about what, as a person finds it in their mail client."""
        return f"email from {self.sender or 'no sender'}, {self.when}, subject {self.subject!r}"


@dataclass(frozen=True)
class Skipped:
    """Entries of a Maildir's message folders that are no message, by why: "hidden", "folder",
    "special" (a pipe, socket or device) or "tmp" (a delivery not finished)."""

    where: str  # the Maildir
    names: dict[str, list[str]] = field(default_factory=dict)


def is_mail_source(path: Path) -> bool:
    """An .eml or .mbox file, a file that starts like an mbox ("From "), or a Maildir folder."""
    if path.is_dir():
        return all((path / part).is_dir() for part in _MAILDIR_PARTS)
    if path.suffix.lower() in (".eml", ".mbox"):
        return True
    if not path.is_file():
        return False  # a pipe would never answer the read below
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


def read_source(path: Path) -> Iterator[Returned | Skipped]:
    """Every message of one mail source, in mailbox order, each read on its own. A message that cannot
    be read is a ``Returned`` with ``problem`` set; a source that cannot be opened raises OSError (or
    mailbox.Error)."""
    if path.is_dir():
        yield from _maildir(path)
    elif path.suffix.lower() == ".eml":
        yield _from_file(str(path), path)
    else:
        mbox = mailbox.mbox(str(path), factory=None, create=False)
        try:
            for n, key in enumerate(mbox.keys(), start=1):
                with mbox.get_file(key) as fh:
                    yield message(f"{path}, message {n}", _bounded_read(fh))
        finally:
            mbox.close()


def _maildir(path: Path) -> Iterator[Returned | Skipped]:
    """Every file of cur/ and new/ is one message (the Maildir layout); anything else there is named."""
    skipped = Skipped(str(path))
    files: list[tuple[str, str, Path]] = []
    for part in _MAILDIR_PARTS:
        with os.scandir(path / part) as entries:
            for entry in entries:
                why = _odd(entry, part)
                if why:
                    skipped.names.setdefault(why, []).append(f"{part}/{entry.name}")
                else:
                    files.append((entry.name, part, Path(entry.path)))
    for name, part, file in sorted(files):
        yield _from_file(str(path / part / name), file)
    if skipped.names:
        yield Skipped(skipped.where, {why: sorted(names) for why, names in skipped.names.items()})


def _odd(entry: os.DirEntry[str], part: str) -> str:
    """Why an entry of a Maildir's message folders is no message to read, or ""."""
    if entry.name.startswith("."):
        return "hidden"  # macOS's .DS_Store and ._ copies: a Maildir never names a message so
    if entry.is_dir():
        return "folder"
    if not entry.is_file():
        return "special"  # a pipe would block the read, a device never end it
    return "tmp" if part == "tmp" else ""


def _from_file(where: str, path: Path) -> Returned:
    if not path.is_file():
        return Returned(where, "", None, "", problem="not a file but a pipe, socket or device, so it was not read")
    try:
        with path.open("rb") as fh:
            return message(where, _bounded_read(fh))
    except OSError as exc:
        return Returned(where, "", None, "", problem=f"cannot read it: {exc.strerror or exc}")


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _bounded_read(fh: _Readable) -> bytes:
    """The message's bytes, at most one past the size bound (enough to tell, never the whole of a huge file)."""
    return fh.read(MAX_MESSAGE_BYTES + 1)


def message(where: str, raw: bytes) -> Returned:
    """One message, never raising: its workbooks, or the problem that kept it from being read."""
    sender, date, subject = _envelope(raw)
    head = Returned(where, sender, date, subject)

    def refused(why: str) -> Returned:
        return Returned(where, sender, date, subject, problem=f"{head.described}: {why}, so it was not read")

    if len(raw) > MAX_MESSAGE_BYTES:
        return refused(f"the email is over {_mb(MAX_MESSAGE_BYTES)}, more than any reply carrying a workbook")
    try:
        _header_block(raw, 0)
        _structure(raw)
        msg = BytesParser(_class=EmailMessage, policy=default).parsebytes(raw)
        workbooks, others = _attachments(msg)
    except _OverBound as exc:
        return refused(str(exc))
    except RecursionError:  # messages forwarded inside each other (no boundary lines), comments in comments
        return refused("its parts or its headers nest deeper than Python's email parser can follow")
    except Exception as exc:  # anything the parser or a part's decoding raised: this message only
        return refused(f"it is not a readable email ({type(exc).__name__}: {_shown(str(exc))})")
    if not workbooks and not others and not _HEADER_NAMES & {name.lower() for name in msg.keys()}:
        return refused("it is not an email (it has none of an email's headers)")
    return Returned(where, sender, date, subject, tuple(workbooks), tuple(others))


def _header_block(raw: bytes, start: int) -> None:
    """Raise _OverBound when the headers from ``start`` (the end of the line before them) run past the
    bound without the empty line that ends them."""
    stop = start + MAX_HEADER_BYTES + 3
    if raw.find(b"\n\n", start, stop) < 0 and raw.find(b"\n\r\n", start, stop) < 0 and len(raw) > stop:
        raise _OverBound(f"its headers are over {MAX_HEADER_BYTES // 1024} KB; a reply's take a few")


def _envelope(raw: bytes) -> tuple[str, datetime | None, str]:
    """Sender, date and subject, from the headers alone: whatever the body holds, these can be named."""
    try:
        msg = BytesParser(_class=EmailMessage, policy=default).parsebytes(raw[:MAX_HEADER_BYTES], headersonly=True)
    except Exception:
        return "", None, ""
    sender = _shown(parseaddr(_header(msg, "From"))[1].lower())
    subject = _header(msg, "Subject")
    return sender, _date(_header(msg, "Date")), subject if len(subject) <= 200 else subject[:199] + "…"


def _header(msg: Message, name: str) -> str:
    """A header's text, or "" when it is absent or cannot be decoded."""
    try:
        return str(msg.get(name, ""))
    except Exception:  # the policy parses a header on access, and may fail on a malformed one
        return ""


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    return date.astimezone(timezone.utc)


def _structure(raw: bytes) -> None:
    """Raise _OverBound when the message opens too many MIME parts, or nests them too deep, from
    its boundary lines alone: cheap enough to run on every message, so the parser only ever sees
    bounded ones.

    Each delimiter line (``--boundary``) opens a part; a boundary seen inside another's part
    nests one level deeper, and its closing line (``--boundary--``) ends it.
    """
    boundaries = {m.group(1) or m.group(2) for m in _BOUNDARY.finditer(raw)}
    if not boundaries:
        return
    parts = 0
    stack: list[bytes] = []  # the boundaries whose parts are open, outermost first
    level: dict[bytes, int] = {}  # each one's place in the stack
    for m in _DELIMITER.finditer(raw):
        line = m.group(1)
        closing = line.endswith(b"--") and line[:-2] in boundaries
        boundary = line[:-2] if closing else line
        if boundary not in boundaries:
            continue  # a line of text that starts with "--"
        if boundary in level:
            while len(stack) > level[boundary] + 1:  # the parts inside it ended with it
                del level[stack.pop()]
        else:
            level[boundary] = len(stack)
            stack.append(boundary)
        if closing:
            del level[stack.pop()]
        else:
            parts += 1
            _header_block(raw, m.end())  # the part's own headers
        if len(stack) > MAX_MESSAGE_DEPTH:
            raise _OverBound(_TOO_DEEP)
        if parts > MAX_MESSAGE_PARTS:
            raise _OverBound(_TOO_MANY)


class _OverBound(Exception):
    """A message over a bound: what it says is why."""


_TOO_DEEP = f"its parts are nested more than {MAX_MESSAGE_DEPTH} levels deep; a reply's go a few levels deep"
_TOO_MANY = f"it holds more than {MAX_MESSAGE_PARTS:,} parts; a reply holds a few dozen at most"


def _leaves(msg: Message) -> Iterator[Message]:
    """The message's leaf parts in order, walked without recursion and held to the bounds."""
    stack: list[tuple[Message, int]] = [(msg, 0)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > MAX_MESSAGE_PARTS:
            raise _OverBound(_TOO_MANY)
        if depth > MAX_MESSAGE_DEPTH:
            raise _OverBound(_TOO_DEEP)
        if part.is_multipart():
            payload = part.get_payload()
            stack.extend((p, depth + 1) for p in reversed(payload if isinstance(payload, list) else [])
                         if isinstance(p, Message))
        else:
            yield part


def _attachments(msg: Message) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Workbooks anywhere in the message (a forwarded message's too), and the names of everything else attached.

    A workbook's name always ends in its format (a name without one gets the MIME type's), so
    whoever writes it to disk knows what it is; names are shown without control characters.
    """
    workbooks: list[tuple[str, bytes]] = []
    others: list[str] = []
    for part in _leaves(msg):
        given = Path((part.get_filename() or "").replace("\\", "/")).name
        if not given and part.get_content_disposition() != "attachment":
            continue  # a body part
        suffix = Path(given).suffix.lower()
        name = _shown(given[:len(given) - len(suffix)], _NAME_SHOWN) + _shown(Path(given).suffix)  # the format kept
        mime_suffix = WORKBOOK_TYPES.get(part.get_content_type().lower(), "")
        if suffix in WORKBOOK_SUFFIXES or (mime_suffix and not suffix):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                workbooks.append((name if suffix else f"{name or 'workbook'}{mime_suffix}", data))
                continue
        others.append(name or part.get_content_type())
    return workbooks, others


def _shown(text: str, limit: int = 200) -> str:
    """``text`` safe to print and log: control characters (a newline, a terminal escape, a right-to-left
    override that disguises a name) written as escapes, and at most ``limit`` characters."""
    out = "".join(ascii(ch)[1:-1] if unicodedata.category(ch) in _UNSHOWN else ch for ch in text)
    return out if len(out) <= limit else out[:limit - 1] + "…"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
