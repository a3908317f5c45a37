"""``send``: every .eml file of a folder (as ``report``, ``handout`` and ``remind`` write them) over SMTP."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ConfigError
from ..mail.smtp import SendReport, Server, send_eml_dir


@dataclass(frozen=True)
class Smtp:
    """The server to send through, as the command line names it."""

    host: str = "localhost"
    port: int | None = None  # None: 465 with ``ssl``, else 25
    starttls: bool = False
    ssl: bool = False  # implicit TLS from the start (SMTPS)
    user: str = ""  # the password comes from the environment (see mail.smtp)
    allow_plain_login: bool = False


@dataclass(frozen=True)
class Sent:
    report: SendReport
    unsent: str  # why some emails did not surely go out, as the command's error; "" when every one did


def send_outbox(directory: Path, smtp: Smtp, *, dry_run: bool = False, resend: bool = False) -> Sent:
    """``ladder-sheets send``: send each email of ``directory`` not sent before, or say what would go.

    The folder's send log says what went before (``resend``: send every one again);
    ``dry_run`` connects to nothing. One refused or failed message never stops the others;
    ``Sent.unsent`` sums them up.
    """
    if smtp.ssl and smtp.starttls:
        raise ConfigError("--ssl and --starttls: choose one (--ssl is TLS from the start, usually port 465)")
    server = Server(smtp.host, smtp.port or (465 if smtp.ssl else 25), smtp.starttls, smtp.user, ssl=smtp.ssl,
                    allow_plain_login=smtp.allow_plain_login)
    report = send_eml_dir(directory, server, dry_run=dry_run, resend=resend)
    what = "cannot be sent" if dry_run else f"not sent to every recipient through {server}"
    unsent = f"{len(report.not_sent)} of {report.total} emails {what}" if report.not_sent else ""
    return Sent(report, unsent)
