"""Put emails into a Maildir folder (the standard one-file-per-message layout mail clients read).

``make demo`` and the tests use it to play the SEs replying with their workbooks.
"""

from __future__ import annotations

import html
import mailbox
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from .smtp import build_message


def reply(sender: str, to: str, subject: str, text: str, when: datetime,
          attachments: Sequence[tuple[str, bytes]] = ()) -> EmailMessage:
    """A plain-text reply (with workbooks attached) dated ``when``."""
    msg = build_message(sender, [to], subject, text, f"<pre>{html.escape(text, quote=False)}</pre>", attachments)
    msg.replace_header("Date", format_datetime(when))
    return msg


def deliver(maildir: Path, messages: Sequence[EmailMessage]) -> Path:
    """Add ``messages`` to the Maildir at ``maildir`` (created with cur/, new/, tmp/ when absent)."""
    box = mailbox.Maildir(str(maildir), create=True)
    for msg in messages:
        box.add(msg)
    box.close()
    return maildir

