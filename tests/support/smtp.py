"""A real SMTP server on loopback (aiosmtpd), recording what it receives, for mail tests."""

from __future__ import annotations

import datetime
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    refuse: set[str] = field(default_factory=set)  # RCPT TO these: 550
    hang_up: set[str] = field(default_factory=set)  # DATA for these: 421, as a rate-limiting server says
    # Faults that fire once each: the connection drops at RCPT TO (nothing delivered), or right
    # after the message is stored, before the "250" answer (delivered, the client never knows).
    drop_at_rcpt: set[str] = field(default_factory=set)
    drop_after_data: set[str] = field(default_factory=set)
    # RCPT TO these is answered "451 try again later" this many more times (greylisting, a busy mailbox).
    later: dict[str, int] = field(default_factory=dict)
    # DATA for these: the server stops listening (connections from now on are refused), then answers 421.
    shut_down_at: set[str] = field(default_factory=set)
    # RCPT TO these, or DATA for them, is answered with each of these replies in turn (any code), then as usual.
    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    data_replies: dict[str, list[str]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if self.rcpt_replies.get(address):
            return self.rcpt_replies[address].pop(0)
        if self.later.get(address, 0) > 0:
            self.later[address] -= 1
            return "451 4.7.1 Try again later"
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)
            server.transport.close()
            return "421 4.4.2 connection dropped"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        replies = next((self.data_replies[r] for r in envelope.rcpt_tos if self.data_replies.get(r)), None)
        if replies:
            return replies.pop(0)
        if self.hang_up & set(envelope.rcpt_tos):
            return "421 4.7.0 Too many messages, closing connection"
        if self.shut_down_at & set(envelope.rcpt_tos) and self.controller is not None:
            assert self.controller.server is not None
            self.controller.server.close()  # on the server's own loop: no new connection is accepted
            return "421 4.3.2 Shutting down"
        message = BytesParser(policy=default).parsebytes(envelope.original_content or envelope.content)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        dropped = self.drop_after_data & set(envelope.rcpt_tos)
        if dropped:
            self.drop_after_data -= dropped
            server.transport.close()  # stored, but the answer never leaves
        return "250 Message accepted"

    def count(self) -> dict[tuple[str, str], int]:
        """How many times each (recipient, Message-ID) arrived."""
        seen: dict[tuple[str, str], int] = {}
        for r in self.received:
            for rcpt in r.recipients:
                key = (rcpt, str(r.message["Message-ID"]))
                seen[key] = seen.get(key, 0) + 1
        return seen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) for 127.0.0.1, made on the spot."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return server, client


@contextmanager
def smtp_server(*, tls: bool = False, users: dict[str, str] | None = None,
                implicit_tls: bool = False) -> Iterator[tuple[Controller, Recorder, ssl.SSLContext | None]]:
    """Start aiosmtpd on 127.0.0.1; with ``tls``, STARTTLS is required; with ``implicit_tls``, TLS from
    the first byte (SMTPS); with ``users``, AUTH is required."""
    recorder = Recorder()
    kwargs: dict[str, Any] = {}
    client_context = None
    with tempfile.TemporaryDirectory() as tmp:
        if tls:
            server_context, client_context = self_signed(Path(tmp))
            kwargs |= {"tls_context": server_context, "require_starttls": True}
        if implicit_tls:
            server_context, client_context = self_signed(Path(tmp))
            # aiosmtpd only counts STARTTLS as TLS for AUTH; here the whole connection is TLS already.
            kwargs |= {"ssl_context": server_context, "auth_require_tls": False}
        if users is not None:
            def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
                ok = isinstance(data, LoginPassword) and users.get(data.login.decode()) == data.password.decode()
                return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself
            kwargs |= {"authenticator": authenticate, "auth_required": True}
        controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **kwargs)
        recorder.controller = controller
        controller.start()
        try:
            yield controller, recorder, client_context
        finally:
            controller.stop()
