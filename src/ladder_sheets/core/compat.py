"""``StrEnum`` on every supported Python (3.11 has it; 3.10 gets the same few lines). Pure."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10
    from enum import Enum

    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return str(self.value)

__all__ = ["StrEnum"]
