"""``python -m ladder_sheets``."""

from __future__ import annotations

from .cli import main

main()
