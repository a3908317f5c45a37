"""YAML loading on libyaml's parser: the data and lines of the pure-Python parser; problems named by file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ladder_sheets.config import yamlsource
from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.config.resources import default_ladder_path, example_team_path
from ladder_sheets.core.errors import ConfigError

SAMPLE = """\
# a comment
org: Apex
base: &base
  level: senior
  target_level: principal
numbers: [1, 2.5, -3, 0x10, .inf]
flags: {yes_: true, no_: false, none_: null, tilde: ~}
when: 2026-12-07
people:
  - <<: *base
    id: a
    name: "Quoted: text"
  - {id: b, name: 'single', level: core}
  - id: c
    note: |
      two
      lines
    folded: >
      one
      line
empty: []
"""


def _walk(value: Any) -> Any:
    """The data with every line the loader kept, for comparing two loads."""
    if isinstance(value, dict):
        return (yamlsource.line_of(value), {k: (yamlsource.line_of(value, k), _walk(v)) for k, v in value.items()})
    if isinstance(value, list):
        return (yamlsource.line_of(value), [_walk(v) for v in value])
    return value


def _pure(text: str) -> Any:
    return yamlsource._parse(yamlsource._Loader, text)


def test_libyaml_is_the_parser() -> None:
    # The speed of validate on big rosters rests on it: fail loudly if PyYAML lost its C extension.
    assert yaml.__with_libyaml__
    assert issubclass(yamlsource._CLoader, yaml.CSafeLoader)


def test_same_data_and_lines_as_the_pure_python_parser(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    data = yamlsource.load(path)
    pure, duplicates = _pure(SAMPLE)
    assert duplicates == []
    assert _walk(data) == _walk(pure)
    assert data["people"][0] == {"level": "senior", "target_level": "principal", "id": "a", "name": "Quoted: text"}
    assert yamlsource.line_of(data["people"][2], "note") == 15
    assert data["people"][2]["note"] == "two\nlines\n"


def test_shipped_files_load_the_same_on_both_parsers() -> None:
    for path in (example_team_path(), default_ladder_path()):
        text = path.read_text(encoding="utf-8")
        assert _walk(yamlsource.load(path)) == _walk(_pure(text)[0]), path


def test_duplicate_keys_found_by_libyaml(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        yamlsource.load(path)
    assert str(err.value) == f"{path}:4: duplicate key 'c'\n{path}:5: duplicate key 'a'"


@pytest.mark.parametrize("text", ["a: [1, 2\nb: 3\n", "a: 'open\n", "a:\n\tb: 1\n", "- a\nb: c\n"])
def test_syntax_errors_worded_as_the_pure_python_parser_words_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.YAMLError) as pure:
        _pure(text)
    mark = pure.value.problem_mark  # type: ignore[attr-defined]
    with pytest.raises(ConfigError) as err:
        yamlsource.load(path)
    assert str(err.value) == f"{path}:{mark.line + 1}: invalid YAML: {pure.value.problem}"  # type: ignore[attr-defined]


def _load(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return yamlsource.load(path)


def test_aliases_give_the_anchored_object_and_its_lines(tmp_path: Path) -> None:
    data = _load(tmp_path, "m: &m {a: 1, b: [2, 3]}\ns: &s [x, {y: 1}]\nuses: [*m, *s, *m]\nagain:\n  m: *m\n")
    assert data["uses"][0] is data["m"] is data["uses"][2] is data["again"]["m"]
    assert data["uses"][1] is data["s"]
    assert yamlsource.line_of(data["s"][1]) == 2 and yamlsource.line_of(data["again"], "m") == 5
    assert isinstance(data["s"], yamlsource.LineList) and isinstance(data["m"], yamlsource.LineMap)


def test_merge_keys_merge_first_and_keep_the_line_each_key_is_written_on(tmp_path: Path) -> None:
    data = _load(tmp_path, "a: &a {k: a, long: a}\nd: &d {w: 9}\nb:\n  q: first\n  <<: [*a, *d]\n  z: 3\n")
    assert data["b"] == {"k": "a", "long": "a", "w": 9, "q": "first", "z": 3}
    assert list(data["b"]) == ["k", "long", "w", "q", "z"]  # merged pairs first, as PyYAML flattens them
    assert data["b"].key_lines == {"k": 1, "long": 1, "w": 2, "q": 4, "z": 6}


def test_duplicate_keys_at_every_depth_named_by_line(tmp_path: Path) -> None:
    text = "a: 1\nb:\n  c: 2\n  c: 3\n  d:\n    - {e: 1, e: 2}\n    - f: 1\n      f: 1\na: 4\n1: x\n'1': y\n1: z\n"
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, text)
    path = tmp_path / "doc.yaml"
    assert str(err.value).splitlines() == [f"{path}:{line}: duplicate key {key!r}"
                                           for line, key in ((4, "c"), (6, "e"), (8, "f"), (9, "a"), (12, "1"))]


@pytest.mark.parametrize(("text", "message"), [
    ("a: &a {x: 1, yy: 2}\nb:\n  <<: *a\n  yy: 3\n", "4: duplicate key 'yy'"),
    ("b:\n  <<: {xx: 1, xx: 2}\n", "2: duplicate key 'xx'"),
    ("a: 1\n---\nb: 2\n", "2: invalid YAML: but found another document"),
    ("a: &a 1\nb: {<<: *a}\n", "1: invalid YAML: expected a mapping or list of mappings for merging, but found scalar"),
    ("a: &a [1, *a]\n", "1: invalid YAML: found unconstructable recursive node"),
    ("a: &a 1\nb: &a 2\n", "2: invalid YAML: second occurrence"),
    ("a: =\n", "1: invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:value'"),
])
def test_documents_a_config_cannot_use_are_named_by_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, text)
    assert str(err.value) == f"{tmp_path / 'doc.yaml'}:{message}"


def test_a_problem_deep_in_a_big_roster_names_its_line(tmp_path: Path) -> None:
    ladder = load_ladder()
    lines = ["managers:", "  - {id: m, name: M, email: m@x.example}", "people:"]
    for i in range(3000):
        email = "not-an-email" if i == 2345 else f"se{i}@x.example"
        lines += [f"  - id: se-{i}", f"    name: SE {i}", f"    email: {email}", "    level: core",
                  "    target_level: senior", "    manager: m"]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_roster(path, ladder)
    line = 3 + 2345 * 6 + 3
    assert str(err.value).endswith(f"line {line}: people[2345].email: expected an email address, got 'not-an-email'")
