"""The way in: the ladder definition and the roster, loaded from YAML or CSV into the core model.

Every problem is collected and reported at once with file, line and what was expected.
"""

from .ladder import load_ladder
from .roster import load_roster

__all__ = ["load_ladder", "load_roster"]
