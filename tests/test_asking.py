"""Less to fill in: scores, evidence and metrics make a workbook complete. The pivot matrix and the
read-out are required only of an SE asking for a move this quarter (the roster's choice, or theirs in
the workbook), and the read-out's talk track is shown only then; reminders invite the rest in a line.
"""

from __future__ import annotations

import dataclasses
import html
import random
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest
import yaml

from ladder_sheets.config.ladder import load_roster
from ladder_sheets.config.resources import example_team_path
from ladder_sheets.core import layout
from ladder_sheets.core.cells import ASKING, READOUT, Check, Role
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import NOT_ASKING_TEXT, Ladder, Person, Roster
from ladder_sheets.core.outstanding import INVITATION
from ladder_sheets.core.results import Status
from ladder_sheets.workflows.remind import build_reminders
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.generate import workbook_path
from ladder_sheets.xlsx.writer import write_workbook
from tests.conftest import DUE, QUARTER
from tests.support.fill import random_inputs, write_values


def _tomas(roster: Roster, asking: bool | None = None) -> tuple[Roster, Person]:
    """Tomáš (Core, working toward Senior), with the roster's answer to asking for the move."""
    people = tuple(dataclasses.replace(p, asking_for_move=asking) if p.id == "tomas-novak" else p
                   for p in roster.people)
    return dataclasses.replace(roster, people=people), next(p for p in people if p.id == "tomas-novak")


def _returned(ladder: Ladder, roster: Roster, person: Person, folder: Path, asking: str | None = None,
              everything: bool = False) -> Path:
    """Their workbook with scores, evidence and metrics (and everything, or the asking answer, when told)."""
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    path = workbook_path(folder, person)
    write_workbook(wl, path)
    _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(8), level=person.level)
    kept = {k: v for k, v in values.items() if everything or k.startswith(("criteria.", "metrics."))}
    kept.pop(ASKING, None)
    if asking is not None:
        kept[ASKING] = asking
    top = ladder.scale.max
    kept |= {f"criteria.{c.id}.{who}": top for c in ladder.rubric_for(person.target_level).criteria
             for who in ("self", "manager")}  # nothing blank, nothing n/o: only the optional parts vary
    write_values(path, wl, kept)
    return path


def _mine(ladder: Ladder, roster: Roster, person: Person, folder: Path) -> tuple[Status, list[str], str]:
    result = next(p for p in collect([folder], ladder, roster, QUARTER).people if p.person.id == person.id)
    assert result.scores is not None
    return result.status, [f"{p.sheet}: {p.message}" for p in result.problems], result.scores.readout_text


def test_scores_evidence_and_metrics_without_pivots_or_read_out_are_complete(ladder: Ladder, roster: Roster,
                                                                             tmp_path: Path) -> None:
    _, tomas = _tomas(roster)
    _returned(ladder, roster, tomas, tmp_path / "in")
    assert _mine(ladder, roster, tomas, tmp_path / "in") == (Status.COMPLETE, [], NOT_ASKING_TEXT)


def test_asking_in_the_workbook_requires_the_pivot_matrix_and_the_read_out(ladder: Ladder, roster: Roster,
                                                                           tmp_path: Path) -> None:
    _, tomas = _tomas(roster)
    _returned(ladder, roster, tomas, tmp_path / "in", asking="yes")  # any case, as the workbook's = compares
    status, problems, text = _mine(ladder, roster, tomas, tmp_path / "in")
    pivots, fields = len(ladder.pivots), len(ladder.readout_for(tomas.level, tomas.target_level).fields)
    assert (status, problems, text) == (Status.INCOMPLETE, [
        f"Pivot matrix: Pivot matrix not started: {pivots} pivots to rate and the track preference to fill in",
        f"{READOUT}: Promotion read-out not started: {fields} read-out answers to write"],
        ladder.readout_for(tomas.level, tomas.target_level).incomplete_text)
    _returned(ladder, roster, tomas, tmp_path / "full", asking="Yes", everything=True)
    status, problems, text = _mine(ladder, roster, tomas, tmp_path / "full")
    assert status is Status.COMPLETE and text.startswith("Over the last ") and text.endswith("title change?")


def test_the_roster_can_answer_for_the_quarter(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Set by the roster, the answer is a fixed cell (no input to change), and it binds collect."""
    asked, tomas = _tomas(roster, asking=True)
    cell = layout.build(ladder, asked, tomas, QUARTER, DUE).by_key()[ASKING][1]
    assert (cell.role, cell.value) == (Role.LABEL, ladder.signal_options[0])
    _returned(ladder, asked, tomas, tmp_path / "in")
    status, problems, _ = _mine(ladder, asked, tomas, tmp_path / "in")
    assert status is Status.INCOMPLETE and [p.split(":")[0] for p in problems] == ["Pivot matrix", READOUT]
    ask = layout.build(ladder, roster, dataclasses.replace(tomas, asking_for_move=None), QUARTER, DUE).by_key()[ASKING][1]
    assert ask.role is Role.INPUT and ask.validation is not None and ask.validation.check is Check.CHOICE


def test_two_ses_on_the_same_levels_are_read_each_by_their_own_rosters_answer(ladder: Ladder, roster: Roster,
                                                                              tmp_path: Path) -> None:
    """The roster answers for Tomáš (a fixed cell), not for his twin on the same levels (an input): in one
    collect, each workbook is read with its own layout, so only Tomáš owes the pivot matrix and read-out."""
    asked, tomas = _tomas(roster, asking=True)
    twin = dataclasses.replace(tomas, id="tomas-twin", name="Tomas Twin", email="tomas.twin@apex-cloud.example",
                               asking_for_move=None)
    both = dataclasses.replace(asked, people=(*asked.people, twin))
    for person in (tomas, twin):
        _returned(ladder, both, person, tmp_path / "in")
    got = {p.person.id: p for p in collect([tmp_path / "in"], ladder, both, QUARTER).people}
    assert [x.sheet for x in got[tomas.id].problems] == ["Pivot matrix", READOUT]
    assert (got[twin.id].status, got[twin.id].problems) == (Status.COMPLETE, ())


def test_growing_at_level_asks_for_no_move(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Kenji (Core, growing at Core): no question, the growth read-out optional and shown as it is filled."""
    kenji = next(p for p in roster.people if p.level == p.target_level)
    assert ASKING not in layout.build(ladder, roster, kenji, QUARTER, DUE).by_key()
    _returned(ladder, roster, kenji, tmp_path / "in")
    status, problems, text = _mine(ladder, roster, kenji, tmp_path / "in")
    assert (status, problems) == (Status.COMPLETE, [])
    assert text == ladder.readout_for(kenji.level, kenji.target_level).incomplete_text


def test_the_roster_says_yes_or_no_and_refuses_yes_to_growing_at_level(ladder: Ladder, tmp_path: Path) -> None:
    team = yaml.safe_load(example_team_path().read_text(encoding="utf-8"))
    people = {p["id"]: p for p in team["people"]}
    people["tomas-novak"]["asking_for_move"], people["kenji-watanabe"]["asking_for_move"] = True, False  # yes, no
    roster_file = tmp_path / "team.yaml"
    roster_file.write_text(yaml.safe_dump(team, allow_unicode=True), encoding="utf-8")
    loaded = {p.id: p.asking_for_move for p in load_roster(roster_file, ladder).people}
    assert (loaded["tomas-novak"], loaded["kenji-watanabe"], loaded["leticia-moreno"]) == (True, False, None)
    csv = tmp_path / "team.csv"
    header = "id,name,email,level,target_level,manager_id,manager_name,manager_email,team,asking_for_move\n"
    csv.write_text(header + "ann,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East,Yes\n"
                   "bo,Bo,bo@x.example,core,core,m1,Mo,mo@x.example,East,yes\n"
                   "cy,Cy,cy@x.example,core,senior,m1,Mo,mo@x.example,East,maybe\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_roster(csv, ladder)
    message = str(err.value)
    assert "line 3: asking_for_move: growing at 'core' asks for no move: expected no, or a target above" in message
    assert "line 4: asking_for_move: expected yes, no or nothing, got 'maybe'" in message
    assert "line 2" not in message


def test_a_reminder_invites_the_optional_parts_in_one_line(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    from tests.support.results import inputs_for, results_for

    _, tomas = _tomas(roster)
    inputs = inputs_for(ladder, "senior", 3, 3, readout=False)
    first = ladder.rubric_for("senior").criteria[0]
    inputs = dataclasses.replace(inputs, criteria={**inputs.criteria, first.id: dataclasses.replace(
        inputs.criteria[first.id], self_score=None)}, pivots={}, track_preference="")
    results = results_for(ladder, roster, {tomas.id: inputs})
    sent = build_reminders(ladder, roster, results, tmp_path, sender="SE Ops <ops@x.example>", due=DUE, today=DUE)
    mine = next(r for r in sent if r.path.name == f"se-{tomas.id}.eml")
    message = BytesParser(_class=EmailMessage, policy=default).parsebytes(mine.path.read_bytes())
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        assert part is not None
        text = " ".join(html.unescape(str(part.get_content())).split())
        assert f"1 criterion not self-scored: {first.text}" in text and f"{INVITATION}." in text, kind
    assert mine.lines == (f"1 criterion not self-scored: {first.text}",)  # asked for: only what is required
