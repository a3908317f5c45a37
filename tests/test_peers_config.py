"""The peer round's settings: raters in a roster (YAML and CSV), peer_rated and peer_input in a ladder, each
problem located by file and line like every other."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.raters import BLIND_SPOT, Attribution, PeerSettings, Rater, RaterRole
from tests.support.ladders import edited_ladder

HEAD = """org: Test
managers:
  - {id: m1, name: Ann Lee, email: ann@example.com, team: East}
people:
"""
CSV_HEAD = "id,name,email,level,target_level,manager_id,manager_name,manager_email,team,raters\n"
CSV_ROW = "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East,"


def _write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, ladder: Ladder) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_roster(path, ladder)
    return [line.removeprefix(f"  - {path}: ") for line in str(err.value).splitlines()[1:]]


def test_a_yaml_roster_names_each_ses_raters(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + """  - id: a
    name: Bo Diaz
    email: bo@example.com
    level: core
    target_level: senior
    manager: m1
    raters:
      - {name: Dana Ross, email: Dana.Ross@example.com, role: ae}
      - {name: Sam Lee, email: sam@example.com, role: peer}
  - {id: b, name: Cy Ng, email: cy@example.com, level: core, target_level: senior, manager: m1}
""", "team.yaml")
    roster = load_roster(path, ladder)
    assert roster.people[0].raters == (Rater("Dana Ross", "Dana.Ross@example.com", RaterRole.AE),
                                      Rater("Sam Lee", "sam@example.com", RaterRole.PEER))
    assert roster.people[0].raters[0].key == "dana.ross@example.com" and roster.people[1].raters == ()


@pytest.mark.parametrize(("raters", "expected"), [
    ("[{name: Dana, email: dana@example.com, role: boss}]", "line 5: people[0].raters[0].role: expected one of ae, peer, got 'boss'"),
    ("[{name: Dana, email: dana.example.com, role: ae}]",
     "line 5: people[0].raters[0].email: expected an email address, got 'dana.example.com'"),
    ("[{name: Dana, role: ae}]", "line 5: people[0].raters[0].email: is required"),
    ("[{name: Bo, email: BO@example.com, role: peer}]",
     "line 5: people[0].raters[0].email: BO@example.com is Bo Diaz's own address: nobody rates themself"),
    ("[{name: Dana, email: dana@example.com, role: ae}, {name: Dana, email: dana@example.com, role: peer}]",
     "line 5: people[0].raters[1].email: dana@example.com is named twice as a rater of Bo Diaz"),
    ("dana@example.com", "line 5: people[0].raters: expected a list, got 'dana@example.com'"),
])
def test_bad_raters_in_yaml_are_located(raters: str, expected: str, ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + "  - {id: a, name: Bo Diaz, email: bo@example.com, level: core, "
                  f"target_level: senior, manager: m1, raters: {raters}}}\n", "team.yaml")
    assert _error(path, ladder) == [expected]


def test_one_address_keeps_one_name_across_ses(ladder: Ladder, tmp_path: Path) -> None:
    """One rater gets one workbook that names them once: two names for one address is a mistake to fix."""
    path = _write(tmp_path, HEAD
                  + "  - {id: a, name: A, email: a@example.com, level: core, target_level: senior, manager: m1,\n"
                    "     raters: [{name: Dana Ross, email: dana@example.com, role: ae}]}\n"
                  + "  - {id: b, name: B, email: b@example.com, level: core, target_level: senior, manager: m1,\n"
                    "     raters: [{name: Dana R., email: DANA@example.com, role: ae}]}\n", "team.yaml")
    assert _error(path, ladder) == [
        "line 8: people[1].raters[0].email: DANA@example.com is named 'Dana R.' here and 'Dana Ross' at "
        "people[0].raters[0]: one rater, one name (they get one workbook)"]


def test_a_csv_roster_names_raters_in_one_column(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, CSV_HEAD + CSV_ROW + '"ae: Dana Ross, Jr. <dana@x.example>; peer: Sam Lee <sam@x.example>"\n'
                  "b,Bo,bo@x.example,core,senior,m1,Mo,mo@x.example,East,\n", "team.csv")
    roster = load_roster(path, ladder)
    assert roster.people[0].raters == (Rater("Dana Ross, Jr.", "dana@x.example", RaterRole.AE),
                                      Rater("Sam Lee", "sam@x.example", RaterRole.PEER))
    assert roster.people[1].raters == ()
    # The column is optional: a roster written before it still loads.
    old = _write(tmp_path, CSV_HEAD.replace(",raters", "") + CSV_ROW.rstrip(",") + "\n", "old.csv")
    assert load_roster(old, ladder).people[0].raters == ()


@pytest.mark.parametrize(("cell", "expected"), [
    ("Dana Ross <dana@x.example>", "line 2: raters: expected role: Name <email>, separated by ';' (role: ae or peer), "
                                   "got 'Dana Ross <dana@x.example>'"),
    ("boss: Dana Ross <dana@x.example>", "line 2: raters: 'boss: Dana Ross <dana@x.example>': expected the role ae or "
                                         "peer, got 'boss'"),
    ("ae: Dana Ross <dana.x.example>", "line 2: raters: 'ae: Dana Ross <dana.x.example>': expected an email address, "
                                       "got 'dana.x.example'"),
    ("ae: <dana@x.example>", "line 2: raters: 'ae: <dana@x.example>': the rater's name is missing"),
    ("peer: Ann <ANN@x.example>", "line 2: raters: ANN@x.example is Ann's own address: nobody rates themself"),
])
def test_bad_raters_in_csv_name_their_line(cell: str, expected: str, ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, CSV_HEAD + CSV_ROW + f'"{cell}"\n', "team.csv")
    assert _error(path, ladder) == [expected]


def test_the_shipped_ladder_marks_the_customer_facing_criteria(ladder: Ladder) -> None:
    """Faithful to the documents: the criteria an AE sees in the room (the brief's hostile technical Q&A and
    Economic Buyer among them), never an internal one such as certifications or enablement assets."""
    rated = {r: [c.text for c in ladder.peer_criteria(r)] for r in ladder.rubrics}
    assert "Independently handles hostile technical Q&A" in rated["senior"]
    assert "Identifies and engages the Economic Buyer" in rated["senior"]
    assert "Challenges the AE's deal strategy and owns the technical strategy" in rated["senior"]
    assert "Acts as an extension of the CTO with customer executives" in rated["principal"]
    assert "Passes the technical certifications" not in rated["core"]
    assert "Creates reusable team enablement assets" not in rated["senior"]
    assert all(3 <= len(texts) <= 6 for r, texts in rated.items() if r != "director")  # a short workbook
    assert ladder.peer_input == PeerSettings(Attribution.ANONYMOUS, 3, False, BLIND_SPOT)


def test_peer_input_settings_are_read_and_checked(tmp_path: Path) -> None:
    good = edited_ladder(tmp_path, ("attribution: anonymous\n  min_raters: 3\n  in_readiness: false",
                                    "attribution: attributed\n  min_raters: 2\n  in_readiness: true"))
    assert load_ladder(good).peer_input == PeerSettings(Attribution.ATTRIBUTED, 2, True, BLIND_SPOT)
    bad = edited_ladder(tmp_path, ("attribution: anonymous\n  min_raters: 3",
                                   "attribution: secret\n  min_raters: 0\n  rater_names: no"),
                        ('question: "What is {name}\'s', 'question: "What is {person}\'s'), name="bad.yaml")
    with pytest.raises(ConfigError) as err:
        load_ladder(bad)
    text = bad.read_text(encoding="utf-8")
    line = text[:text.index("attribution: secret")].count("\n") + 1
    assert str(err.value).splitlines()[1:] == [
        f"  - {bad}: line {line + 2}: peer_input.rater_names: unknown key (expected: attribution, min_raters, "
        "in_readiness, question)",
        f"  - {bad}: line {line}: peer_input.attribution: expected one of anonymous, attributed, got 'secret'",
        f"  - {bad}: line {line + 1}: peer_input.min_raters: expected a whole number of 1 or more, got 0",
        f"  - {bad}: line {line + 4}: peer_input.question: expected the question asked of each rater, with {{name}} "
        "for the SE's first name at most, got \"What is {person}'s biggest blind spot in the room?\"",
    ]


def test_validate_counts_the_raters(review_roster: Roster) -> None:
    from ladder_sheets.config.resources import example_team_path
    from ladder_sheets.workflows.prepare import validate_config

    assert validate_config(None, example_team_path())[2:] == [
        "OK: peer input: 4 raters for 2 SEs, on the criteria marked peer_rated (anonymous, shown from 3 raters)"]
