"""Ladder and roster loading: faithful defaults, and every problem located by file and line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Comparator, Directives, Ladder, ManagerScores, Metric, NotObserved
from ladder_sheets.config.resources import data_dir
from tests.support.ladders import edited_ladder_text

SEED_CRITERIA = [
    "Independently handles hostile technical Q&A",
    "Identifies and engages the Economic Buyer",
    "Creates reusable team enablement assets",
    "Proactively qualifies deals OUT of the pipeline",
]


def test_default_ladder_is_faithful_to_the_seeds(ladder: Ladder) -> None:
    assert [lv.name for lv in ladder.levels] == ["Core SE", "Senior SE", "Principal SE", "SE Manager", "Director of Presales"]
    assert [lv.track.value for lv in ladder.levels] == ["ic", "ic", "ic", "leadership", "leadership"]
    senior = [c.text for c in ladder.rubric_for("senior").criteria]
    assert all(text in senior for text in SEED_CRITERIA)
    for target in ("senior", "principal", "manager"):
        assert 8 <= len(ladder.rubric_for(target).criteria) <= 15
        assert all(c.anchor for c in ladder.rubric_for(target).criteria)
    assert ladder.scale.labels[0] == "Never" and ladder.scale.labels[-1] == "Consistently" and ladder.scale.max == 3
    metrics = {m.name: (m.benchmark, m.target, m.comparator.value) for m in ladder.metrics}
    assert metrics == {
        "Enablement contributions": ("1 major asset / quarter", 1, ">="),
        "Mentorship hours": ("2 hours / week", 2, ">="),
        "Complex deal velocity": ("< 90 days", 90, "<"),
    }
    assert [p.name for p in ladder.pivots] == ["Product Management", "Customer Success", "Sales (AE)",
                                               "Technical Marketing", "Solutions Architecture", "Back to engineering"]
    assert ladder.pivots[0].readiness_signal == "You're already writing product briefs that PM adopts"
    assert [g.name for g in ladder.skill_groups] == ["Emotional Intelligence", "Sales & Marketing", "Business",
                                                     "Communication", "Management", "Leadership"]
    assert "radius of impact" in ladder.readout.template


def test_shipped_config_has_no_mojibake() -> None:
    for path in data_dir("config").iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search("â€|Ã.|ðŸ", text), path


def _write(tmp_path: Path, text: str, name: str = "ladder.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ladder_text(**replacements: str) -> str:
    return edited_ladder_text(*replacements.items())


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _problems(path: Path, *lines: str) -> str:
    """The whole ConfigError text for these located problems."""
    head = f"{len(lines)} problem{'s' if len(lines) != 1 else ''} found:"
    return "\n".join([head, *(f"  - {path}: {line}" for line in lines)])


def _error(load: Callable[[], object]) -> str:
    with pytest.raises(ConfigError) as err:
        load()
    return str(err.value)


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\nlevels: [a, b\nname: y\n")
    assert _error(lambda: load_ladder(path)) == f"{path}:3: invalid YAML: expected ',' or ']', but got ':'"


def test_duplicate_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\nname: a\nname: b\n")
    assert _error(lambda: load_ladder(path)) == f"{path}:3: duplicate key 'name'"


def test_ladder_text_with_a_control_character(tmp_path: Path) -> None:
    text = _ladder_text(**{"text: Independently handles hostile technical Q&A":
                           'text: "Independently handles\\b hostile Q&A"'})
    path = _write(tmp_path, text)
    line = _line(text, "Independently handles")
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {line}: rubrics.senior.competencies[0].criteria[0].text: contains the control character "
              "U+0008, which a workbook cannot hold")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path, "- a\n- b\n")
    assert _error(lambda: load_ladder(path)) == _problems(path, "expected a mapping of ladder settings at the top level")


def test_unknown_level_in_promotes_to(tmp_path: Path) -> None:
    text = _ladder_text(**{"promotes_to: [director]": "promotes_to: [vp]"})
    path = _write(tmp_path, text)
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {_line(text, 'promotes_to: [vp]')}: levels[3].promotes_to: unknown level 'vp' "
              "(known: core, director, manager, principal, senior)")


def test_missing_rubric_for_a_promotion_target(tmp_path: Path) -> None:
    text = _ladder_text(**{"  director:\n    title: Director of Presales Readiness": "  directorx:\n    title: X"})
    path = _write(tmp_path, text)
    assert _error(lambda: load_ladder(path)) == _problems(
        path,
        f"line {_line(text, '  directorx:')}: rubrics.directorx: unknown level 'directorx' "
        "(known: core, director, manager, principal, senior)",
        f"line {_line(text, 'rubrics:')}: rubrics: missing rubric for promotion target 'director' (from 'manager')",
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = _ladder_text(**{
        "- {name: Ready, min: 0.85, must_haves: true}": "- {name: Ready, min: 0.5, must_haves: true}",
        "- {name: Close, min: 0.65}": "- {name: Close, min: 0.7}",
        "weight: 2\n            must_have: {min: 2, caps: Close}  # one of the four":
            "weight: two\n            must_have: {min: 2, caps: Close}  # one of the four",
        "comparator: \">=\"": "comparator: \"=>\"",
        "formally make that\n    title change?": "formally make that\n    title change? {milestone}",
    })
    path = _write(tmp_path, text)
    template, comparator = _line(text, "template:"), _line(text, 'comparator: "=>"')
    assert _error(lambda: load_ladder(path)) == _problems(
        path,
        f"line {_line(text, 'bands:')}: bands: expected thresholds from highest to lowest, each different",
        f"line {_line(text, 'weight: two')}: rubrics.senior.competencies[0].criteria[0].weight: "
        "expected a number, got 'two'",
        f"line {comparator}: metrics[0].comparator: expected one of >=, <=, >, <; got '=>'",
        f"line {template}: readout.template: placeholder {{milestone}} is not a read-out field "
        "(fields: period, win_quota_pct, asset, asset_reach, complex_poc, operating_level)",
    )


ROSTER_HEAD = """org: Test
managers:
  - {id: m1, name: Ann Lee, email: ann@example.com, team: East}
people:
"""


@pytest.mark.parametrize(("people", "expected"), [
    ("  - {id: a, name: A, email: a@example.com, level: junior, target_level: senior, manager: m1}\n",
     "line 5: people[0].level: unknown level 'junior' (known: core, senior, principal, manager, director)"),
    ("  - {id: a, name: A, email: a@example.com, level: core, target_level: director, manager: m1}\n",
     "line 5: people[0].target_level: 'director' is not reachable from 'core' (expected one of: core, senior)"),
    ("  - {id: a, name: A, email: a@example.com, level: core, target_level: senior, manager: m9}\n",
     "line 5: people[0].manager: unknown manager 'm9' (known: m1)"),
    ("  - {id: a, name: A, email: not-an-email, level: core, target_level: senior, manager: m1}\n",
     "line 5: people[0].email: expected an email address, got 'not-an-email'"),
    ("  - {id: a, name: A, email: a@example.com, level: core, target_level: senior, manager: m1}\n"
     "  - {id: a, name: B, email: b@example.com, level: core, target_level: senior, manager: m1}\n",
     "line 6: people[1]: duplicate person id 'a' (first at people[0])"),
    ("  - {id: a, name: A, email: a@example.com, level: core, target_level: senior, manager: m1}\n"
     "  - {id: b, name: B, email: A@Example.com, level: core, target_level: senior, manager: m1}\n",
     "line 6: people[1]: duplicate email 'A@Example.com' (first at people[0])"),
    ("  - {id: a b, name: A, email: a@example.com, level: core, target_level: senior, manager: m1}\n",
     "line 5: people[0].id: expected letters, digits, '.', '_' or '-' (max 64), got 'a b'"),
    ("  - {id: ../../x, name: A, email: a@example.com, level: core, target_level: senior, manager: m1}\n",
     "line 5: people[0].id: expected letters, digits, '.', '_' or '-' (max 64), got '../../x'"),

    # YAML's "\\a" escape is a control character: a workbook holding one is corrupt.
    ('  - {id: a, name: "A\\a", email: a@example.com, level: core, target_level: senior, manager: m1}\n',
     "line 5: people[0].name: contains the control character U+0007, which a workbook cannot hold"),
])
def test_roster_problems_are_located(people: str, expected: str, ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, ROSTER_HEAD + people, "team.yaml")
    assert _error(lambda: load_roster(path, ladder)) == _problems(path, expected)


def test_every_roster_problem_is_reported_at_once(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, ROSTER_HEAD
                  + "  - {id: a, name: A, email: nope, level: core, target_level: senior, manager: m1}\n"
                  + "  - {id: b, name: B, email: b@example.com, level: core, target_level: principal, manager: m2}\n",
                  "team.yaml")
    assert _error(lambda: load_roster(path, ladder)) == _problems(
        path,
        "line 5: people[0].email: expected an email address, got 'nope'",
        "line 6: people[1].manager: unknown manager 'm2' (known: m1)",
        "line 6: people[1].target_level: 'principal' is not reachable from 'core' (expected one of: core, senior)",
    )


CSV_HEAD = "id,name,email,level,target_level,manager_id,manager_name,manager_email,team\n"


def test_csv_roster(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, CSV_HEAD + "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East\n"
                                      "b,Bo,bo@x.example,senior,principal,m1,Mo,mo@x.example,East\n", "team.csv")
    roster = load_roster(path, ladder)
    assert [p.id for p in roster.people] == ["a", "b"]
    assert [(m.id, m.email, m.team) for m in roster.managers] == [("m1", "mo@x.example", "East")]


def test_csv_roster_reads_asking_for_move_in_any_case(ladder: Ladder, tmp_path: Path) -> None:
    """A spreadsheet export's `Yes` / `NO` is the answer, not an unanswered question."""
    head = CSV_HEAD.replace("\n", ",asking_for_move\n")
    path = _write(tmp_path, head + "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East,Yes\n"
                                   "b,Bo,bo@x.example,core,senior,m1,Mo,mo@x.example,East,NO\n"
                                   "c,Cy,cy@x.example,core,senior,m1,Mo,mo@x.example,East,\n", "team.csv")
    assert [p.asking_for_move for p in load_roster(path, ladder).people] == [True, False, None]


def test_csv_roster_bad_row_names_its_line(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, CSV_HEAD + "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East\n"
                                      "b,Bo,bo@x.example,core,vp,m1,Mo,mo@x.example,East\n", "team.csv")
    assert _error(lambda: load_roster(path, ladder)) == _problems(
        path, "line 3: target_level: unknown level 'vp' (known: core, senior, principal, manager, director)")


@pytest.mark.parametrize(("row", "expected"), [
    # Ids name the workbook files: one that is a path would write outside the output directory.
    ("../../escaped,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East",
     "line 2: id: expected letters, digits, '.', '_' or '-' (max 64), got '../../escaped'"),
    ("a,Ann,ann@x.example,core,senior,m/1,Mo,mo@x.example,East",
     "line 2: manager_id: expected letters, digits, '.', '_' or '-' (max 64), got 'm/1'"),
    ("a,Ann,ann.x.example,core,senior,m1,Mo,mo@x.example,East",
     "line 2: email: expected an email address, got 'ann.x.example'"),
    (",Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East", "line 2: id is required"),

    ("a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East\x1b",
     "line 2: team: contains the control character U+001B, which a workbook cannot hold"),
])
def test_csv_roster_rejects_bad_cells(row: str, expected: str, ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, CSV_HEAD + row + "\n", "team.csv")
    assert _error(lambda: load_roster(path, ladder)) == _problems(path, expected)


def test_csv_duplicates_name_both_lines(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, CSV_HEAD + "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East\n"
                                      "a,Bo,ANN@x.example,core,senior,m1,Mo,mo@x.example,East\n", "team.csv")
    assert _error(lambda: load_roster(path, ladder)) == _problems(
        path, "line 3: duplicate person id 'a' (first on line 2)", "line 3: duplicate email 'ANN@x.example' (first on line 2)")


def test_csv_roster_missing_columns(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, "id,name,email\na,Ann,ann@x.example\n", "team.csv")
    assert _error(lambda: load_roster(path, ladder)) == (
        f"{path}: line 1: missing column(s) level, target_level, manager_id, manager_name, manager_email, team "
        "(expected: id, name, email, level, target_level, manager_id, manager_name, manager_email, team)")


def test_missing_file(tmp_path: Path, ladder: Ladder) -> None:
    path = tmp_path / "nope.yaml"
    assert _error(lambda: load_roster(path, ladder)) == f"{path}: file not found"


def test_return_address_manager_then_roster_then_manager_email(ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, "org: Acme\nreturn_to: se-ops@example.com\nmanagers:\n"
                  "  - {id: m1, name: Ann Lee, email: ann@example.com, team: East, return_to: east-ops@example.com}\n"
                  "  - {id: m2, name: Bo Chan, email: bo@example.com, team: West}\npeople:\n"
                  "  - {id: a, name: A, email: a@example.com, level: core, target_level: senior, manager: m1}\n"
                  "  - {id: b, name: B, email: b@example.com, level: core, target_level: senior, manager: m2}\n",
                  "team.yaml")
    roster = load_roster(path, ladder)
    assert [roster.return_address(p) for p in roster.people] == ["east-ops@example.com", "se-ops@example.com"]
    without = _write(tmp_path, ROSTER_HEAD + "  - {id: a, name: A, email: a@example.com, level: core,"
                     " target_level: senior, manager: m1}\n", "plain.yaml")
    plain = load_roster(without, ladder)
    assert plain.return_address(plain.people[0]) == "ann@example.com"


def _one_se(tmp_path: Path, top: str) -> Path:
    """A roster of one SE, with ``top`` (roster-level settings) before its managers."""
    return _write(tmp_path, top + ROSTER_HEAD
                  + "  - {id: a, name: A, email: a@example.com, level: core, target_level: senior, manager: m1}\n",
                  "team.yaml")


def test_bad_return_address_is_located(ladder: Ladder, tmp_path: Path) -> None:
    path = _one_se(tmp_path, "return_to: nobody\n")
    assert _error(lambda: load_roster(path, ladder)) == _problems(
        path, "line 1: return_to: expected an email address, got 'nobody'")


def test_a_criterions_own_coaching_question_comes_before_its_skill_groups(ladder: Ladder) -> None:
    criterion = next(c for c in ladder.rubric_for("senior").criteria if c.skill_group and not c.coaching)
    group = next(g for g in ladder.skill_groups if g.id == criterion.skill_group)
    assert ladder.coaching_for(criterion) == group.coaching
    own = replace(criterion, coaching=("What did you try?",))
    assert ladder.coaching_for(own) == ("What did you try?",)


DIRECTIVES_BLOCK = re.compile(r"\ndirectives:\n(?:  .*\n)+")


def _with_directives(block: str) -> str:
    """The shipped ladder with its ``directives`` replaced by ``block``."""
    text = edited_ladder_text()
    return DIRECTIVES_BLOCK.sub(lambda _: "\n" + block, text, count=1)


def test_directives_are_read_by_audience(tmp_path: Path) -> None:
    text = _with_directives("directives:\n  for_managers:\n    - Ask about one skill.\n"
                            "  for_leadership:\n    - Fund the labs.\n    - Overlap the bands.\n")
    ladder = load_ladder(_write(tmp_path, text))
    assert ladder.directives == Directives(("Ask about one skill.",), ("Fund the labs.", "Overlap the bands."))


def test_a_manager_directive_may_name_its_quarters_and_the_track_options_their_track(tmp_path: Path) -> None:
    text = _with_directives("directives:\n  for_managers:\n    - Ask about one skill.\n"
                            "    - {text: Run the workshop., quarters: [1]}\n    - {text: Bad., quarters: [5]}\n")
    path = _write(tmp_path, text)
    line = _line(text, "directives:")
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {line + 4}: directives.for_managers[2].quarters: expected quarters of the year (1 to 4), got [5]")
    ladder = load_ladder(_write(tmp_path, text.replace("    - {text: Bad., quarters: [5]}\n", ""), "good.yaml"))
    assert ladder.directives.managers_in(1) == ("Ask about one skill.", "Run the workshop.")
    assert ladder.directives.managers_in(4) == ("Ask about one skill.",)
    assert load_ladder().track_meaning == {"Principal IC": "ic", "Management": "leadership", "Pivot": "pivot"}
    bad = _ladder_text(**{"  - {label: Pivot, track: pivot}\n": "  - {label: Pivot, track: sideways}\n"})
    path = _write(tmp_path, bad, "bad.yaml")
    assert "track_options[2].track: expected one of ic, leadership, pivot, got 'sideways'" in _error(
        lambda: load_ladder(path))


def test_a_plain_list_of_directives_is_what_leadership_is_asked_to_do(tmp_path: Path) -> None:
    """Ladders copied by `init` before the split keep loading, with their meaning unchanged."""
    ladder = load_ladder(_write(tmp_path, _with_directives("directives:\n  - Fund the labs.\n")))
    assert ladder.directives == Directives(for_leadership=("Fund the labs.",))


def test_bad_directives_are_located(tmp_path: Path) -> None:
    text = _with_directives("directives:\n  for_managers:\n    - 3\n  for_sales: [x]\n")
    path = _write(tmp_path, text)
    line = _line(text, "directives:")
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {line + 3}: directives.for_sales: unknown audience (expected: for_managers, for_leadership)",
        f"line {line + 2}: directives.for_managers[0]: expected text, or a mapping of text and quarters, got 3")
    listed = _with_directives("directives:\n  - 3\n  - ''\n")
    path = _write(tmp_path, listed, "listed.yaml")
    line = _line(listed, "directives:")
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {line + 1}: directives[0]: expected text, got 3", f"line {line + 1}: directives[1]: expected text, got ''")


def test_quick_wins_are_read_for_the_ses(tmp_path: Path) -> None:
    text = _ladder_text(**{"\nquick_wins:\n": "\nquick_wins:\n  - Book the career sync.\n"})
    ladder = load_ladder(_write(tmp_path, text))
    assert ladder.quick_wins[0] == "Book the career sync." and len(ladder.quick_wins) > 1


SR01_MUST = "must_have: {min: 2, caps: Close}  # one of the four criteria of the Senior SE Readiness Scorecard"


@pytest.mark.parametrize(("must_have", "floor", "caps"), [
    ("must_have: 2", 2, ""),  # the plain number: the bands' `must_haves` rule, as before caps
    ("must_have: {min: 1, caps: Developing}", 1, "Developing"),
    ("must_have: {min: 3}", 3, ""),
])
def test_a_must_have_is_a_minimum_and_optionally_the_band_it_caps(must_have: str, floor: int, caps: str,
                                                                  tmp_path: Path) -> None:
    ladder = load_ladder(_write(tmp_path, _ladder_text(**{SR01_MUST: must_have})))
    first = ladder.rubric_for("senior").criteria[0]
    assert (first.floor, first.caps) == (floor, caps)


@pytest.mark.parametrize(("must_have", "where", "message"), [
    ("must_have: {min: 2, caps: Ready}", ".caps", "expected a band below the top one (Close, Developing), got 'Ready'"),
    ("must_have: {min: 2, caps: Stuck}", ".caps", "expected a band below the top one (Close, Developing), got 'Stuck'"),
    ("must_have: {min: 4, caps: Close}", ".min", "expected the minimum score, a whole number from 1 to 3, got 4"),
    ("must_have: {min: 2, cap: Close}", ".cap", "unknown key (expected: min, caps)"),
    ("must_have: {caps: Close}", "", "is required"),
])
def test_a_bad_must_have_is_located(must_have: str, where: str, message: str, tmp_path: Path) -> None:
    text = _ladder_text(**{SR01_MUST: must_have})
    path = _write(tmp_path, text)
    path_text = "rubrics.senior.competencies[0].criteria[0].must_have"
    if where == "":
        path_text += ".min"
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {_line(text, must_have)}: {path_text}{where}: {message}")


def test_not_observed_is_allowed_only_off_the_must_haves(tmp_path: Path) -> None:
    text = _ladder_text(**{SR01_MUST: SR01_MUST + "\n            allow_not_observed: true"})
    path = _write(tmp_path, text)
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {_line(text, SR01_MUST) + 1}: rubrics.senior.competencies[0].criteria[0]."
              "allow_not_observed: a must-have cannot be 'not observed yet': keep must_have or allow_not_observed, not both")


def test_not_observed_settings_default_and_are_checked(tmp_path: Path) -> None:
    block = "not_observed:\n  label: n/o\n  min_share: 0.75\n"
    bare = load_ladder(_write(tmp_path, _ladder_text(**{block: ""}), "bare.yaml"))
    assert bare.not_observed == NotObserved()
    custom = load_ladder(_write(tmp_path, _ladder_text(**{block: "not_observed: {label: NA, min_share: 0.5}\n"})))
    assert custom.not_observed == NotObserved("NA", 0.5)
    text = _ladder_text(**{block: "not_observed:\n  label: '2'\n  min_share: 0\n"})
    path = _write(tmp_path, text, "bad.yaml")
    line = _line(text, "not_observed:\n  label")
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {line + 1}: not_observed.label: expected up to 20 characters, not a number or a scale label, "
              "without commas or quotes, got '2'",
        f"line {line + 2}: not_observed.min_share: expected a fraction above 0, at most 1, got 0.0")
    named = _ladder_text(**{block: "not_observed: {label: Never}\n"})
    assert "not_observed.label: expected up to 20 characters" in _error(lambda: load_ladder(_write(tmp_path, named, "n.yaml")))


@pytest.mark.parametrize(("levels", "targets", "level", "target", "applies"), [
    ((), (), "core", "core", True),  # neither: every level
    (("senior",), (), "senior", "principal", True),
    (("senior",), (), "core", "senior", False),
    (("senior",), ("senior",), "core", "senior", True),  # working toward a listed target
    (("senior",), ("senior",), "core", "core", False),
    (("senior",), ("senior",), "core", None, False),  # target unknown: current level only
    ((), ("senior",), "principal", "principal", False),
])
def test_a_metric_applies_at_its_levels_and_toward_its_targets(levels: tuple[str, ...], targets: tuple[str, ...],
                                                               level: str, target: str | None, applies: bool) -> None:
    metric = Metric("m", "M", "1", 1.0, Comparator.AT_LEAST, "", "", "", levels, targets)
    assert metric.applies(level, target) is applies


def test_a_metric_target_must_be_a_level(tmp_path: Path) -> None:
    text = _ladder_text(**{"    targets: [senior]\n": "    targets: [staff]\n"})
    path = _write(tmp_path, text)
    assert _error(lambda: load_ladder(path)) == _problems(
        path, f"line {_line(text, 'targets: [staff]')}: metrics[0].targets: unknown level 'staff' "
              "(known: core, director, manager, principal, senior)")


GROWING = "  - {id: a, name: A, email: a@example.com, level: core, target_level: core, manager: m1}\n"


def test_a_core_se_can_grow_at_core(ladder: Ladder, tmp_path: Path) -> None:
    roster = load_roster(_write(tmp_path, ROSTER_HEAD + GROWING, "team.yaml"), ladder)
    assert [(p.level, p.target_level) for p in roster.people] == [("core", "core")]


def test_growing_at_a_level_without_its_rubric_says_what_to_add(ladder: Ladder, tmp_path: Path) -> None:
    without = replace(ladder, rubrics={k: v for k, v in ladder.rubrics.items() if k != "core"})
    path = _write(tmp_path, ROSTER_HEAD + GROWING, "team.yaml")
    assert _error(lambda: load_roster(path, without)) == _problems(
        path, "line 5: people[0].target_level: the ladder has no rubric for growing at 'core' "
              "(add rubrics.core, or target a promotion: senior)")


@pytest.mark.parametrize(("setting", "expected"), [
    ("", ManagerScores.REVIEW), ("manager_scores: review\n", ManagerScores.REVIEW),
    ("manager_scores: in_workbook\n", ManagerScores.IN_WORKBOOK)])
def test_where_managers_score_is_a_roster_setting(setting: str, expected: ManagerScores, ladder: Ladder,
                                                   tmp_path: Path) -> None:
    path = _one_se(tmp_path, setting)
    assert load_roster(path, ladder).manager_scores is expected


def test_a_bad_manager_scores_or_calibration_min_n_is_located(ladder: Ladder, tmp_path: Path) -> None:
    path = _one_se(tmp_path, "manager_scores: sometimes\n")
    assert _error(lambda: load_roster(path, ladder)) == _problems(
        path, "line 1: manager_scores: expected one of review, in_workbook, got 'sometimes'")
    bad = _write(tmp_path, _ladder_text(**{"calibration_min_n: 5": "calibration_min_n: 0"}))
    assert "calibration_min_n: expected a whole number of 1 or more, got 0" in _error(lambda: load_ladder(bad))
    assert load_ladder().calibration_min_n == 5


def test_the_committee_settings_are_read_and_checked(ladder: Ladder, tmp_path: Path) -> None:
    assert (ladder.candidate_quarters, ladder.committee_near) == (2, 0.10)
    bad = _write(tmp_path, _ladder_text(**{"candidate_quarters: 2": "candidate_quarters: 0",
                                           "committee_near: 0.10": "committee_near: 15"}))
    said = _error(lambda: load_ladder(bad))
    assert "candidate_quarters: expected a whole number of 1 or more, got 0" in said
    assert "committee_near: expected a fraction between 0 and 1, got 15.0" in said
    three = load_ladder(_write(tmp_path, _ladder_text(**{"candidate_quarters: 2": "candidate_quarters: 3"}), "l3.yaml"))
    assert three.candidate_quarters == 3


def test_one_is_the_least_whole_number_a_ladder_may_set(tmp_path: Path) -> None:
    """A candidate after one quarter in the top band, and every manager's difference judged: both are allowed."""
    one = load_ladder(_write(tmp_path, _ladder_text(**{"candidate_quarters: 2": "candidate_quarters: 1",
                                                       "calibration_min_n: 5": "calibration_min_n: 1"})))
    assert (one.candidate_quarters, one.calibration_min_n) == (1, 1)


@pytest.mark.parametrize(("since", "expected"), [
    ("2024-07-01", "2024-07-01"), ("2024-07", "2024-07"), ('"2024-07-01"', "2024-07-01"), ("", ""),
])
def test_time_in_level_is_optional_in_a_yaml_roster(since: str, expected: str, ladder: Ladder, tmp_path: Path) -> None:
    extra = f", in_level_since: {since}" if since else ""
    path = _write(tmp_path, ROSTER_HEAD + "  - {id: a, name: A, email: a@example.com, level: core, target_level: "
                  f"senior, manager: m1{extra}}}\n", "team.yaml")
    assert load_roster(path, ladder).people[0].in_level_since == expected


@pytest.mark.parametrize(("since", "expected"), [
    ("July 2024", "expected the date they reached their level, e.g. 2024-07-01 or 2024-07, got 'July 2024'"),
    ("2024-13", "expected the date they reached their level, e.g. 2024-07-01 or 2024-07, got '2024-13' (no such date)"),
    ("2024", "expected the date they reached their level, e.g. 2024-07-01 or 2024-07, got 2024"),
])
def test_a_bad_time_in_level_is_located(since: str, expected: str, ladder: Ladder, tmp_path: Path) -> None:
    path = _write(tmp_path, ROSTER_HEAD + "  - {id: a, name: A, email: a@example.com, level: core, target_level: "
                  f"senior, manager: m1, in_level_since: {since}}}\n", "team.yaml")
    assert _error(lambda: load_roster(path, ladder)) == _problems(path, f"line 5: people[0].in_level_since: {expected}")


def test_time_in_level_in_a_csv_roster(ladder: Ladder, tmp_path: Path) -> None:
    head = CSV_HEAD.replace("\n", ",in_level_since\n")
    good = _write(tmp_path, head + "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East,2023-01\n"
                                   "b,Bo,bo@x.example,core,senior,m1,Mo,mo@x.example,East,\n", "team.csv")
    assert [p.in_level_since for p in load_roster(good, ladder).people] == ["2023-01", ""]
    bad = _write(tmp_path, head + "a,Ann,ann@x.example,core,senior,m1,Mo,mo@x.example,East,1/3/2023\n", "bad.csv")
    assert _error(lambda: load_roster(bad, ladder)) == _problems(
        bad, "line 2: in_level_since: expected the date they reached their level, e.g. 2024-07-01 or 2024-07, "
             "got '1/3/2023'")
