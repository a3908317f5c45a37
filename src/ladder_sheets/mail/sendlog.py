"""The send log kept beside the emails: which message the server accepted, for whom, and when.

One JSON object per line, each appended with a single ``write`` and flushed to disk the
moment the server answers, so a kill at any point leaves every earlier record whole; a torn
last line (no newline at its end) is ignored when the log is read. Records are keyed by
Message-ID: a rewritten email (a new report) is a new message, sent again.

``unconfirmed`` records a message whose final "." went out but whose answer never came
(the connection dropped): the server may well have delivered it, so a rerun does not send
it again unless told to (``--resend``): a duplicate is never made silently.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..core.errors import ConfigError
from ..core.model import StrEnum

LOG_NAME = "send-log.jsonl"


class Outcome(StrEnum):
    DELIVERED = "delivered"  # the server accepted the message for these addresses
    UNCONFIRMED = "unconfirmed"  # sent in full, the server's answer never came


@dataclass
class SendLog:
    path: Path
    records: dict[tuple[str, str], Outcome] = field(default_factory=dict)  # (message id, address) -> outcome

    @classmethod
    def open(cls, directory: Path) -> SendLog:
        """The log in ``directory`` (empty when there is none). Raises ConfigError when it cannot be read."""
        log = cls(directory / LOG_NAME)
        try:
            raw = log.path.read_bytes() if log.path.exists() else b""
        except OSError as exc:
            raise ConfigError(f"{log.path}: cannot read the send log: {exc.strerror or exc}") from exc
        for n, line in enumerate(raw.split(b"\n")[:-1], start=1):  # the part after the last newline is torn
            try:
                entry = json.loads(line)
                outcome = Outcome(entry["outcome"])
                for address in entry["recipients"]:
                    key = (str(entry["message_id"]), str(address).lower())
                    if log.records.get(key) is not Outcome.DELIVERED:
                        log.records[key] = outcome
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{log.path}: line {n}: not a send-log record ({exc}); "
                                  "move the file aside only if you accept sending everything again") from exc
        return log

    def outcome(self, message_id: str, address: str) -> Outcome | None:
        return self.records.get((message_id, address.lower()))

    def record(self, message_id: str, file: str, recipients: list[str], outcome: Outcome) -> None:
        """Append one record and flush it to disk before returning. Raises ConfigError when it cannot."""
        entry = {"message_id": message_id, "file": file, "recipients": recipients, "outcome": outcome.value,
                 "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if os.write(fd, line) != len(line):
                    raise OSError(f"short write to {self.path}")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot write the send log: {getattr(exc, 'strerror', None) or exc}; "
                              f"{file} was {outcome.value} for {', '.join(recipients)}") from exc
        for address in recipients:
            self.records[(message_id, address.lower())] = outcome
