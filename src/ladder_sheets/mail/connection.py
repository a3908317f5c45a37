"""The connection to the SMTP server: opened, logged in, kept, and given up on at the right time.

What no retry fixes (the connection refused, a name that does not resolve, TLS failing) is a
``ServiceError`` at once; what the server asks to retry (a 4xx answer) and a timeout are tried
again after a pause, ``Server.attempts`` times in all. The password is never in an error (nor
in the frames of one).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..core.errors import ServiceError


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


class Session:
    """The connection to the server, opened again when the server hung up."""

    def __init__(self, server: Server, password: str) -> None:
        self.server, self.password = server, password
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is None or self.smtp.sock is None:  # smtplib closes the socket when the server answers 421
            self.smtp = connect(self.server, self.password)
        return self.smtp

    def close(self) -> None:
        if self.smtp is not None and self.smtp.sock is not None:
            quit_(self.smtp)


class Tracking(smtplib.SMTP):
    """Knows whether the final "." of the current message went out, so a connection lost after
    it (delivery unknown) is told apart from one lost before it (surely not delivered)."""

    dot_sent = False

    def send(self, s: Any) -> None:  # smtplib's own hint is a typeshed-only Buffer
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.dot_sent = True


class TrackingSSL(smtplib.SMTP_SSL, Tracking):
    """Implicit TLS (SMTPS) with the same tracking."""


def text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def connect(server: Server, password: str) -> smtplib.SMTP:
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
            smtp = TrackingSSL(server.host, server.port, timeout=server.timeout, context=context)
        else:
            smtp = Tracking(server.host, server.port, timeout=server.timeout)
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


def timed_out(exc: BaseException) -> bool:
    """A timeout, also where smtplib reports one as the server having hung up."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


def _failure(what: str, server: Server, exc: BaseException) -> Exception:
    """``exc`` as _TryLater when a retry may help, else as the one line that says what to check."""
    if timed_out(exc):
        return _TryLater(f"{what}: no answer within {server.timeout:g} s")
    if isinstance(exc, smtplib.SMTPResponseException) and 400 <= exc.smtp_code < 500:
        return _TryLater(f"{what}: {exc.smtp_code} {text(exc.smtp_error)}")
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


def quit_(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()  # every message already has its outcome; a failed goodbye changes none
