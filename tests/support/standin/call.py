"""One authenticated API call as the handlers see it: who, query parameters, JSON body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import State


@dataclass
class Call:
    """``params`` keeps repeated query parameters (``ranges=...&ranges=...``) as lists."""

    state: State
    user: str
    params: dict[str, list[str]]
    body: Any

    def one(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[0] if values else default

    def flag(self, name: str, default: bool = False) -> bool:
        """Booleans as Google reads them: "true"/"false" in any case (gspread sends "True")."""
        value = self.one(name)
        return default if value is None else value.lower() == "true"

    def many(self, name: str) -> list[str]:
        return list(self.params.get(name, []))
