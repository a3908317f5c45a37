"""The shipped ladder with a few edits, for tests of how a bad ladder is reported."""

from __future__ import annotations

from pathlib import Path

from ladder_sheets.config.resources import default_ladder_path


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
