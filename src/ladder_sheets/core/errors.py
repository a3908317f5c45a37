"""One exception hierarchy for the whole tool.

Adapters translate third-party exceptions into these (``raise ... from exc``); the CLI
turns any of them into a single ``Error: ...`` line and an exit code, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class LadderSheetsError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is the whole message."""

    exit_code = 2


class ConfigError(LadderSheetsError):
    """The ladder definition or the roster is invalid."""


class WorkbookError(LadderSheetsError):
    """A workbook could not be written or read."""

    exit_code = 1


class ServiceError(LadderSheetsError):
    """An outside service (Google, SMTP) failed or refused."""

    exit_code = 1


class HistoryError(LadderSheetsError):
    """The history database (SQLite) cannot be opened, read, upgraded or written."""

    exit_code = 1


@dataclass
class ProblemCollector:
    """Collects every problem before reporting, so users fix them all in one pass.

    Modelled on twine's ``UnsupportedConfiguration.Builder``: validators ``add`` as they
    go and ``raise_if_any`` once at the end.
    """

    source: str
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        prefix = f"{self.source}: {where}" if where else self.source
        self.problems.append(f"{prefix}: {message}")

    def raise_if_any(self, error: type[LadderSheetsError] = ConfigError) -> None:
        if self.problems:
            count = len(self.problems)
            head = f"{count} problem{'s' if count != 1 else ''} found:"
            raise error("\n".join([head, *("  - " + p for p in self.problems)]))
