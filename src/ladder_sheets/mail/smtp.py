"""Email: builds multipart messages, writes .eml files, sends them over SMTP (the only smtplib user).

The SMTP password comes only from the environment (LADDER_SHEETS_SMTP_PASSWORD): never a
flag, never printed, never in an error message.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError, ServiceError
from .sendlog import Outcome, SendLog

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


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    starttls: bool = False
    user: str = ""
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None
    ssl: bool = False  # implicit TLS from the first byte (SMTPS, port 465)
    allow_plain_login: bool = False  # log in even over an unencrypted connection
    attempts: int = 4  # tries of a connection or a message the server asks to retry (4xx), or that timed out
    backoff: float = 1.0  # seconds before the second try, doubled before each next one

    @property
    def encrypted(self) -> bool:
        return self.ssl or self.starttls

    def __str__(self) -> str:
        return f"SMTP server {self.host}:{self.port}"


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
    session = _Session(server, password)
    session.open()
    try:
        for path, msg, recipients in ready:
            _send_one(session, path, msg, recipients, report, log)
    finally:
        session.close()


class _Session:
    """The connection to the server, opened again when the server hung up."""

    def __init__(self, server: Server, password: str) -> None:
        self.server, self.password = server, password
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is None or self.smtp.sock is None:  # smtplib closes the socket when the server answers 421
            self.smtp = _connect(self.server, self.password)
        return self.smtp

    def close(self) -> None:
        if self.smtp is not None and self.smtp.sock is not None:
            _quit(self.smtp)


@dataclass
class _Try:
    """What one attempt to send a message came to."""

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # per recipient
    error: str = ""  # the whole message failed
    again: bool = False  # ... in a way worth trying again: the server asked (4xx), or it timed out
    unconfirmed: bool = False  # ... after the server had all of it: never sent again unasked


def _send_one(session: _Session, path: Path, msg: EmailMessage, recipients: list[str], report: SendReport,
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
    if isinstance(smtp, _Tracking):
        smtp.dot_sent = False
    try:
        refused = smtp.send_message(msg, to_addrs=to)
    except smtplib.SMTPRecipientsRefused as exc:
        return _Try(refused=dict(exc.recipients))
    except smtplib.SMTPResponseException as exc:
        return _Try(error=f"{exc.smtp_code} {_text(exc.smtp_error)}", again=400 <= exc.smtp_code < 500)
    except (smtplib.SMTPException, OSError) as exc:
        smtp.close()
        if isinstance(smtp, _Tracking) and smtp.dot_sent:  # the server had it all; its answer never came
            return _Try(error=f"{type(exc).__name__}: {exc}", unconfirmed=True)
        return _Try(error=f"{type(exc).__name__}: {exc}", again=_timed_out(exc))
    return _Try(accepted=[r for r in to if r not in refused], refused=dict(refused))


class _Tracking(smtplib.SMTP):
    """Knows whether the final "." of the current message went out, so a connection lost after
    it (delivery unknown) is told apart from one lost before it (surely not delivered)."""

    dot_sent = False

    def send(self, s: Any) -> None:  # smtplib's own hint is a typeshed-only Buffer
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.dot_sent = True


class _TrackingSSL(smtplib.SMTP_SSL, _Tracking):
    """Implicit TLS (SMTPS) with the same tracking."""


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {_text(reply)}" for addr, (code, reply) in refused.items())


def _password(server: Server) -> str:
    if not server.user:
        return ""
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        raise ConfigError(f"--user {server.user} needs the password in the environment variable {PASSWORD_ENV}")
    return password


def _connect(server: Server, password: str) -> smtplib.SMTP:
    """A connection, logged in. Raises ServiceError: at once when retrying cannot help (refused, a
    name that does not resolve, TLS), after ``attempts`` tries for a timeout or a 4xx answer."""
    for attempt in range(server.attempts):
        if attempt:
            time.sleep(server.backoff * 2 ** (attempt - 1))
        try:
            return _connect_once(server, password)
        except _TryLater as exc:
            why = str(exc)
    raise ServiceError(f"{why} (tried {server.attempts} times)")


class _TryLater(Exception):
    """A connection that timed out, or a server that asked to be tried later (4xx)."""


def _connect_once(server: Server, password: str) -> smtplib.SMTP:
    try:
        smtp: smtplib.SMTP
        if server.ssl:
            context = server.tls_context or ssl.create_default_context()
            smtp = _TrackingSSL(server.host, server.port, timeout=server.timeout, context=context)
        else:
            smtp = _Tracking(server.host, server.port, timeout=server.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise _failure(f"cannot connect to {server}", server, exc) from exc
    with _closing_on_error(smtp):
        try:
            smtp.ehlo()
            if server.starttls:
                smtp.starttls(context=server.tls_context or ssl.create_default_context())
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, password)
        except smtplib.SMTPAuthenticationError as exc:
            # `from None`: the chained exception's frames would hold the password.
            if 400 <= exc.smtp_code < 500:
                raise _TryLater(f"{server} could not log in {server.user} for now ({exc.smtp_code})") from None
            raise ServiceError(f"{server} refused the login of {server.user} ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise _failure(str(server), server, exc) from exc
    return smtp


def _timed_out(exc: BaseException) -> bool:
    """A timeout, also where smtplib reports one as the server having hung up."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


def _failure(what: str, server: Server, exc: BaseException) -> Exception:
    """``exc`` as _TryLater when a retry may help, else as the one line that says what to check."""
    if _timed_out(exc):
        return _TryLater(f"{what}: no answer within {server.timeout:g} s")
    if isinstance(exc, smtplib.SMTPResponseException) and 400 <= exc.smtp_code < 500:
        return _TryLater(f"{what}: {exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, ssl.SSLError):
        hint = "--ssl is for a port that speaks TLS from the start (465), --starttls for one that upgrades (587)"
        if isinstance(exc, ssl.SSLCertVerificationError):
            hint = f"the certificate is not one this machine trusts for {server.host}: check --smtp-host"
        return ServiceError(f"{what}: TLS failed ({getattr(exc, 'reason', None) or exc}); {hint}")
    if isinstance(exc, socket.gaierror):
        return ServiceError(f"{what}: the name {server.host} does not resolve ({exc.strerror or exc}); "
                            "check --smtp-host and the network")
    if isinstance(exc, ConnectionRefusedError):
        return ServiceError(f"{what}: connection refused; check --smtp-host and --smtp-port, and that the server "
                            "is running")
    return ServiceError(f"{what}: {type(exc).__name__}: {exc}")


@contextmanager
def _closing_on_error(smtp: smtplib.SMTP) -> Iterator[None]:
    try:
        yield
    except BaseException:
        smtp.close()
        raise


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()  # every message already has its outcome; a failed goodbye changes none
