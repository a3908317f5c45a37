"""Read the .eml files the tool writes, as a mail client would."""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path


def read(path: Path) -> EmailMessage:
    return BytesParser(_class=EmailMessage, policy=default).parsebytes(path.read_bytes())


def body(msg: EmailMessage, kind: str) -> str:
    part = msg.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())
