"""Email: builds multipart messages, writes .eml files, sends them over SMTP (with ``connection``, the
only smtplib users).

The SMTP password comes only from the environment (LADDER_SHEETS_SMTP_PASSWORD): never a
flag, never printed, never in an error message.
"""

from __future__ import annotations

import os
import re
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from ..core.errors import ConfigError, ServiceError
from .connection import Server, Session, Tracking, text, timed_out
from .sendlog import Outcome, SendLog

__all__ = ["Server", "SendReport", "build_message", "send_eml_dir", "send_files", "write_eml", "read_eml"]

PASSWORD_ENV = "LADDER_SHEETS_SMTP_PASSWORD"


XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def build_message(sender: str, to: Sequence[str], subject: str, text: str, html: str,
                  attachments: Sequence[tuple[str, bytes]] = (), *, cc: Sequence[str] = (),
                  reply_to: str = "", message_id: str = "") -> EmailMessage:
    """multipart/alternative: plain text first, HTML preferred by clients that can show it.

    ``attachments`` ((file name, .xlsx bytes)) make it multipart/mixed around that.
    ``cc`` adds copies; ``reply_to`` is where a plain "Reply" goes. ``message_id`` (e.g. one
    derived from the content, so rewriting the same email keeps its identity in the send
    log) replaces a fresh random one.

    Raises ConfigError for an address that is not one; a line break in the subject (from a
    name in the roster) is folded to a space, so no text can add a header of its own.
    """
    msg = EmailMessage(policy=default)
    msg["From"] = address(sender, "--from")
    msg["To"] = ", ".join(address(a, "recipient") for a in to)
    if cc:
        msg["Cc"] = ", ".join(address(a, "copy recipient") for a in cc)
    if reply_to:
        msg["Reply-To"] = address(reply_to, "reply-to address")
    msg["Subject"] = one_line(subject)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id or make_msgid(domain=parseaddr(sender)[1].partition("@")[2] or "ladder-sheets.invalid")
    msg["X-Mailer"] = "ladder-sheets"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    for name, data in attachments:
        msg.add_attachment(data, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=name)
    return msg


def named_address(name: str, email: str) -> str:
    """"Name <email>", the name quoted or encoded as an address header needs (a comma in it stays one name)."""
    return formataddr((one_line(name), email))


def display_name(value: str) -> str:
    """The name part of an address ("Apex SE Ops" of '"Apex SE Ops" <ops@x.example>'); "" when it has none."""
    return one_line(parseaddr(value)[0])


def bare_address(value: str) -> str:
    """The address part of ``value`` ("ops@x.example" of 'SE Ops <ops@x.example>'); ``value`` when it has none."""
    return parseaddr(value)[1] or value


def one_line(text: str) -> str:
    """Header-safe text: every run of whitespace (line breaks included) becomes one space."""
    return re.sub(r"\s+", " ", text).strip()


def address(value: str, what: str) -> str:
    """``value`` as a header-safe address; ConfigError naming ``what`` when it is not an email address."""
    name, addr = parseaddr(value)
    local, _, domain = addr.partition("@")
    if re.search(r"[\r\n]", value) or not local or not domain or re.search(r"\s", addr):
        raise ConfigError(f"{what} {value!r} is not an email address (expected name@example.com)")
    return formataddr((one_line(name), addr)) if name else addr  # quoted: a comma in a name stays in the name


def write_eml(msg: EmailMessage, path: Path) -> Path:
    path.write_bytes(msg.as_bytes(policy=SMTP))  # CRLF line ends, as mail clients expect in .eml files
    return path


def read_eml(path: Path) -> tuple[EmailMessage, list[str]]:
    """The message in an .eml file and its recipients (To, Cc, Bcc). Raises OSError."""
    msg = BytesParser(_class=EmailMessage, policy=default).parsebytes(path.read_bytes())
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in msg.get_all(name, [])]
    return msg, [addr for _, addr in getaddresses(fields) if "@" in addr]


@dataclass
class SendReport:
    sent: list[tuple[Path, str, list[str]]] = field(default_factory=list)  # (file, subject, accepted recipients)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (file, which recipients were refused and why)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (file, why nothing was sent)
    unconfirmed: list[tuple[Path, str]] = field(default_factory=list)  # (file, why its delivery is unknown)
    already: list[tuple[Path, str]] = field(default_factory=list)  # (file, who had it by an earlier run)

    @property
    def not_sent(self) -> list[Path]:
        """Files that did not surely reach every recipient in this run, once each."""
        return list(dict.fromkeys(p for p, _ in (*self.refused, *self.failed, *self.unconfirmed)))

    @property
    def total(self) -> int:
        return len({p for p, *_ in (*self.sent, *self.refused, *self.failed, *self.unconfirmed, *self.already)})


def send_eml_dir(directory: Path, server: Server, *, dry_run: bool = False, resend: bool = False,
                 log: bool = True) -> SendReport:
    """Send every ``*.eml`` in ``directory`` (in name order). Raises ConfigError when there is none.

    With ``log`` the send log in ``directory`` (see sendlog) skips whoever an earlier run
    already reached (unless ``resend``) and records every acceptance as it happens.
    """
    files = sorted(p for p in directory.glob("*.eml") if p.is_file())
    if not files:
        raise ConfigError(f"{directory}: no .eml files to send (run `ladder-sheets report` first)")
    return send_files(files, server, dry_run=dry_run, log=SendLog.open(directory) if log else None, resend=resend)


Ready = tuple[Path, EmailMessage, list[str]]


def send_files(files: Sequence[Path], server: Server, *, dry_run: bool = False, log: SendLog | None = None,
               resend: bool = False) -> SendReport:
    """Send each .eml; an unreadable, refused or failed message never stops the others.

    Raises ConfigError when a login has no password in the environment or would go over an
    unencrypted connection (unless ``server.allow_plain_login``), ServiceError when the
    server cannot be reached or refuses the login (then nothing can be sent).
    """
    report = SendReport()
    ready: list[Ready] = []
    for path in files:
        try:
            msg, recipients = read_eml(path)
        except OSError as exc:
            report.failed.append((path, f"cannot read: {exc.strerror or exc}"))
            continue
        if not recipients:
            report.failed.append((path, "no recipients in To/Cc/Bcc: not an email written by `report`?"))
            continue
        if log is not None and not resend:
            recipients = _still_to_send(path, msg, recipients, log, report)
        if recipients:
            ready.append((path, msg, recipients))
    if dry_run:
        report.sent = [(path, one_line(str(msg["Subject"] or "")), recipients) for path, msg, recipients in ready]
        return report
    if ready:
        password = _password(server)
        if server.user and not server.encrypted and not server.allow_plain_login:
            raise ConfigError(f"--user {server.user}: refusing to send the password over an unencrypted connection "
                              "to " + str(server) + "; use --starttls or --ssl (or --allow-plain-login on a network "
                              "you trust)")
        try:
            _send_all(ready, server, password, report, log)
        except ServiceError as exc:
            if not report.sent:
                raise
            where = f", recorded in {log.path.name}" if log is not None else ""
            raise ServiceError(f"{exc}; {len(report.sent)} of {len(ready)} emails went out before that{where}: "
                               "run the same command again to send the rest") from exc
    return report


def _still_to_send(path: Path, msg: EmailMessage, recipients: list[str], log: SendLog, report: SendReport) -> list[str]:
    """The recipients an earlier run has not reached (nor possibly reached: unconfirmed)."""
    message_id = str(msg["Message-ID"] or "")
    outcomes = {r: log.outcome(message_id, r) for r in recipients}
    done = [r for r in recipients if outcomes[r] is Outcome.DELIVERED]
    unsure = [r for r in recipients if outcomes[r] is Outcome.UNCONFIRMED]
    if done:
        report.already.append((path, f"already sent to {', '.join(done)}"))
    if unsure:
        report.already.append((path, f"not sent again to {', '.join(unsure)}: an earlier run lost the connection "
                                     "after handing it over, so it may have arrived (--resend sends it anyway)"))
    return [r for r in recipients if outcomes[r] is None]


def _send_all(ready: list[Ready], server: Server, password: str, report: SendReport, log: SendLog | None) -> None:
    """One connection for all messages; after the server hangs up (e.g. 421), a new one for the next.

    Raises ServiceError when no connection can be made (nothing more can be sent): at once
    for what no retry fixes (refused, a name that does not resolve, TLS), after retries for
    a timeout or a server asking to try later.
    """
    session = Session(server, password)
    session.open()
    try:
        for path, msg, recipients in ready:
            _send_one(session, path, msg, recipients, report, log)
    finally:
        session.close()


@dataclass
class _Try:
    """What one attempt to send a message came to."""

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # per recipient
    error: str = ""  # the whole message failed
    again: bool = False  # ... in a way worth trying again: the server asked (4xx), or it timed out
    unconfirmed: bool = False  # ... after the server had all of it: never sent again unasked


def _send_one(session: Session, path: Path, msg: EmailMessage, recipients: list[str], report: SendReport,
              log: SendLog | None) -> None:
    """Send one message; what the server asks to retry (4xx, for the message or some recipients) or a
    timeout is tried again after a pause, up to ``attempts`` times; anything else is reported as it is."""
    message_id = str(msg["Message-ID"] or "")
    server = session.server
    pending = list(recipients)  # neither accepted nor refused for good yet
    accepted: list[str] = []
    refused: dict[str, tuple[int, bytes]] = {}
    error, tries = "", ""
    for attempt in range(server.attempts):
        if attempt:
            time.sleep(server.backoff * 2 ** (attempt - 1))
        got = _attempt(session.open(), msg, pending)
        if got.accepted and log is not None:
            log.record(message_id, path.name, got.accepted, Outcome.DELIVERED)
        accepted += got.accepted
        if got.unconfirmed:
            if log is not None:
                log.record(message_id, path.name, pending, Outcome.UNCONFIRMED)
            report.unconfirmed.append((path, f"{got.error} after the whole message was sent: it may have arrived "
                                             f"for {', '.join(pending)}; a rerun does not send it again unless --resend"))
            pending, error = [], ""
            break
        refused |= got.refused
        error = got.error
        if error and not got.again:
            break
        if not error:
            pending = [r for r, (code, _) in got.refused.items() if 400 <= code < 500]  # the server asks to retry
            if not pending:
                break
    else:
        tries = f" (tried {server.attempts} times)" if server.attempts > 1 else ""
    if accepted:
        report.sent.append((path, one_line(str(msg["Subject"] or "")), accepted))
    final = {r: answer for r, answer in refused.items() if r not in accepted}
    if final:
        report.refused.append((path, _refusals(final) + (tries if not error else "")))
    if error and pending:
        report.failed.append((path, error + tries))


def _attempt(smtp: smtplib.SMTP, msg: EmailMessage, to: list[str]) -> _Try:
    if isinstance(smtp, Tracking):
        smtp.dot_sent = False
    try:
        refused = smtp.send_message(msg, to_addrs=to)
    except smtplib.SMTPRecipientsRefused as exc:
        return _Try(refused=dict(exc.recipients))
    except smtplib.SMTPResponseException as exc:
        return _Try(error=f"{exc.smtp_code} {text(exc.smtp_error)}", again=400 <= exc.smtp_code < 500)
    except (smtplib.SMTPException, OSError) as exc:
        smtp.close()
        if isinstance(smtp, Tracking) and smtp.dot_sent:  # the server had it all; its answer never came
            return _Try(error=f"{type(exc).__name__}: {exc}", unconfirmed=True)
        return _Try(error=f"{type(exc).__name__}: {exc}", again=timed_out(exc))
    return _Try(accepted=[r for r in to if r not in refused], refused=dict(refused))


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {text(reply)}" for addr, (code, reply) in refused.items())


def _password(server: Server) -> str:
    if not server.user:
        return ""
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        raise ConfigError(f"--user {server.user} needs the password in the environment variable {PASSWORD_ENV}")
    return password


