"""Email: builds multipart messages, writes .eml files, sends them over SMTP (the only smtplib user).

The SMTP password comes only from the environment (LADDER_SHEETS_SMTP_PASSWORD): never a
flag, never printed, never in an error message.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from .errors import ConfigError, ServiceError

PASSWORD_ENV = "LADDER_SHEETS_SMTP_PASSWORD"


def build_message(sender: str, to: Sequence[str], subject: str, text: str, html: str) -> EmailMessage:
    """multipart/alternative: plain text first, HTML preferred by clients that can show it."""
    msg = EmailMessage(policy=default)
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].partition("@")[2] or "ladder-sheets.invalid")
    msg["X-Mailer"] = "ladder-sheets"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def write_eml(msg: EmailMessage, path: Path) -> Path:
    path.write_bytes(msg.as_bytes(policy=SMTP))  # CRLF line ends, as mail clients expect in .eml files
    return path


@dataclass
class SendReport:
    sent: list[tuple[Path, str, list[str]]] = field(default_factory=list)  # (file, subject, accepted recipients)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (file, what was refused and why)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def read_eml(path: Path) -> tuple[EmailMessage, list[str]]:
    try:
        msg = BytesParser(policy=default).parsebytes(path.read_bytes())
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    recipients = [addr for _, addr in getaddresses(msg.get_all("To", []) + msg.get_all("Cc", []) + msg.get_all("Bcc", []))
                  if addr]
    assert isinstance(msg, EmailMessage)
    return msg, recipients


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    starttls: bool = False
    user: str = ""
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None


def send_files(files: Sequence[Path], server: Server, *, dry_run: bool = False) -> SendReport:
    """Send each .eml; a refused or failed message never stops the others."""
    report = SendReport()
    messages = [(path, *read_eml(path)) for path in files]
    if dry_run:
        report.sent = [(path, str(msg['Subject']), recipients) for path, msg, recipients in messages]
        return report
    password = _password(server)
    with _connect(server, password) as smtp:
        for path, msg, recipients in messages:
            if not recipients:
                report.failed.append((path, "no recipients in To/Cc/Bcc"))
                continue
            try:
                refused = smtp.send_message(msg, to_addrs=recipients)
            except smtplib.SMTPRecipientsRefused as exc:
                report.refused.append((path, _refusals(exc.recipients)))
            except (smtplib.SMTPException, OSError) as exc:
                report.failed.append((path, f"{type(exc).__name__}: {exc}"))
            else:
                accepted = [r for r in recipients if r not in refused]
                report.sent.append((path, str(msg['Subject']), accepted))
                if refused:
                    report.refused.append((path, _refusals(refused)))
    return report


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {reply.decode('utf-8', 'replace')}" for addr, (code, reply) in refused.items())


def _password(server: Server) -> str:
    if not server.user:
        return ""
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        raise ConfigError(f"--user {server.user} needs the password in the environment variable {PASSWORD_ENV}")
    return password


def _connect(server: Server, password: str) -> smtplib.SMTP:
    where = f"SMTP server {server.host}:{server.port}"
    try:
        smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise ServiceError(f"cannot connect to {where}: {exc}") from exc
    try:
        smtp.ehlo()
        if server.starttls:
            smtp.starttls(context=server.tls_context or ssl.create_default_context())
            smtp.ehlo()
        if server.user:
            smtp.login(server.user, password)
    except smtplib.SMTPAuthenticationError as exc:
        smtp.close()
        raise ServiceError(f"{where} refused the login of {server.user} ({exc.smtp_code})") from None
    except (OSError, smtplib.SMTPException, socket.timeout) as exc:
        smtp.close()
        raise ServiceError(f"{where}: {type(exc).__name__}: {exc}") from exc
    return smtp
