"""A talk track per kind of move: no candidate is asked a question that does not fit their move."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ladder_sheets.core import cells, layout
from ladder_sheets.core.model import Ladder, Person, Roster


def _readout_text(ladder: Ladder, roster: Roster, level: str, target: str) -> tuple[str, str]:
    person = Person("p", "Pat", "p@example.com", level, target, roster.managers[0].id)
    wl = layout.build(ladder, replace(roster, people=(person,)), person, "2026-Q4", date(2026, 12, 7))
    sheet = next(s for s in wl.sheets if s.title == cells.READOUT)
    labels = " ".join(str(c.value) for c in sheet.cells if c.value is not None and c.role is cells.Role.LABEL)
    return labels, ladder.readout_for(level, target).id


@pytest.mark.parametrize(("level", "target", "track"), [
    ("core", "senior", "ic"), ("senior", "principal", "ic"), ("senior", "manager", "management"),
    ("manager", "director", "director"), ("senior", "senior", "at_level"), ("manager", "manager", "at_level"),
    ("director", "director", "at_level"), ("principal", "principal", "at_level"), ("core", "core", "at_level"),
])
def test_each_move_gets_the_talk_track_that_fits(ladder: Ladder, roster: Roster, level: str, target: str,
                                                 track: str) -> None:
    text, got = _readout_text(ladder, roster, level, target)
    assert got == track
    ic_only = ("technical win quota", "architectural escalations")
    if track == "ic":
        assert all(words in text for words in ic_only) and "title change" in text
    else:
        assert not any(words in text for words in ic_only), text
    if track == "at_level":
        assert "title change" not in text and "not asking for a new title" in text
    if track == "management":
        assert "career change" in text


def test_every_target_the_ladder_promotes_to_has_a_fitting_track(ladder: Ladder) -> None:
    leadership = {lv.id for lv in ladder.levels if lv.track == "leadership"}
    for level in ladder.levels:
        for target in level.promotes_to:
            track = ladder.readout_for(level.id, target)
            assert (track.id == "ic") == (target not in leadership), (level.id, target)


def test_a_talk_track_without_a_move_or_a_metric_for_an_unknown_level_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    from ladder_sheets.config.ladder import load_ladder
    from tests.support.ladders import edited_ladder
    from ladder_sheets.core.errors import ConfigError

    path = edited_ladder(Path(str(tmp_path)), ("    targets: [director]\n", ""),
                         ("levels: [senior, principal, manager, director]", "levels: [senior, staff]"))
    with pytest.raises(ConfigError) as err:
        load_ladder(path)
    message = str(err.value)
    assert "talk_tracks[1]: expected `targets` (level ids) or `same_level: true`" in message
    assert "metrics[0].levels: unknown level 'staff'" in message
