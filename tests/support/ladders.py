"""The shipped ladder with a few edits: for tests of how a bad ladder is reported, and one with coaching questions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ladder_sheets.config.resources import default_ladder_path
from ladder_sheets.core.model import Ladder


def edited_ladder_text(*replacements: tuple[str, str]) -> str:
    """The default ladder's text with each (old, new) replaced once; every ``old`` must be there."""
    text = default_ladder_path().read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def edited_ladder(tmp_path: Path, *replacements: tuple[str, str], name: str = "ladder.yaml") -> Path:
    """``edited_ladder_text`` written to ``tmp_path / name``."""
    path = tmp_path / name
    path.write_text(edited_ladder_text(*replacements), encoding="utf-8")
    return path

def coached(ladder: Ladder) -> Ladder:
    """The ladder with a question on every odd criterion of the senior rubric, and one per skill group."""
    rubric = ladder.rubric_for("senior")
    criteria = tuple(replace(c, coaching=(f"What would a 3 on {c.id} look like next month?",) if i % 2 else ())
                     for i, c in enumerate(rubric.criteria))
    groups = tuple(replace(g, coaching=(f"Where did {g.name} show this quarter?", "second question")) for g in
                   ladder.skill_groups)
    return replace(ladder, rubrics={**ladder.rubrics, "senior": replace(rubric, criteria=criteria)}, skill_groups=groups)
