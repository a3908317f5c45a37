"""ladder-sheets: quarterly SE career-ladder workbooks, generated, collected and rolled up."""

from __future__ import annotations

__version__ = "0.1.0"
