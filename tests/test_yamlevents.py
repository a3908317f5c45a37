"""The tree built from libyaml's events equals the one PyYAML's composer and constructor build."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.config import yamlsource
from ladder_sheets.config.resources import default_ladder_path, example_team_path
from ladder_sheets.config.yamlevents import LineList, Unsure, build
from ladder_sheets.core.errors import ConfigError

from .test_yamlsource import SAMPLE

CASES = {
    "sample": SAMPLE,
    "empty file": "",
    "only a comment": "# nothing here\n",
    "explicit empty document": "---\n",
    "a scalar document": "just text\n",
    "an int document": "42\n",
    "a list document": "- a\n- 1\n- [x, {y: z}]\n",
    "anchors and aliases": (
        "m: &m {a: 1, b: [2, 3]}\n"
        "s: &s [x, {y: 1}]\n"
        "v: &v plain text\n"
        "n: &n 7\n"
        "t: &t 2026-12-07\n"
        "uses: [*m, *s, *v, *n, *t, *m]\n"
        "again:\n  m: *m\n  s: *s\n"
    ),
    "merge one map and override": "base: &b\n  x: 1\n  yy: 2\nkid:\n  <<: *b\n  zz: 3\n",
    "merge a list of maps": (
        "a: &a {x: 1, k: a, long: a}\n"
        "c: &c {x: 5, z: 1, longer: c}\n"
        "d: &d {w: 9}\n"
        "b:\n  q: first\n  <<: [*a, *c]\n  w: 3\n"
        "e: {<<: [*d, {inline: yes}], f: 0}\n"
        "again: {<<: [*a, *a]}\n"
    ),
    "merge of a merged map": "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\nd: {<<: &i {w: 1}}\ne: *i\n",
    "merge where keys are ints": "a: &a {1: one, 300: big}\nb: &b {1: uno, 301: grande}\nc: {<<: [*a, *b]}\n",
    "two merge keys": "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  z: 0\n  <<: *b\n",
    "nested flow and block": (
        "outer:\n  - {a: [1, {b: c}], d: {e: [f, g]}}\n  - - deep\n    - - deeper\n      - {k: v}\n"
        "flow: {x: [1, 2, {y: [3, 4]}], z: {}}\n"
    ),
    "look-alike scalars": (
        "ints: [12, '12', \"12\", 0x10, 0o17, 017, 1_000, -3, +4, 0b101, 190:20:30]\n"
        "floats: [1.5, '1.5', .inf, -.Inf, .nan, 6.02e+23, 1_0.5]\n"
        "bools: [yes, No, on, OFF, true, 'true', y, n, \"yes\"]\n"
        "nulls: [null, ~, Null, '~', 'null', '']\n"
        "dates: [2026-12-07, '2026-12-07', 2026-12-07T10:20:30Z, 2026-12-07 10:20:30.5 +01:00]\n"
        "other: [=x, <<x, 1.2.3, 0x, .5, -, ., '#', a#b, x: y]\n"
    ),
    "empty values": "a:\nb: ''\nc: []\nd: {}\ne:\n  -\n  - ''\nf: ~\n",
    "explicit core tags": "a: !!str 12\nb: !!int '12'\nc: !!float '1'\nd: !!bool 'yes'\ne: !!null ''\nf: !!str\ng: ! 12\nh: !!map {x: !!seq [1]}\n",
    "block scalars": "lit: |\n  one\n   two\n\nfold: >-\n  a\n  b\nkeep: |+\n  x\n\n",
    "duplicates at several depths": (
        "a: 1\nb:\n  c: 2\n  c: 3\n  d:\n    - {e: 1, e: 2}\n    - f: 1\n      f: 1\na: 4\n1: x\n'1': y\n1: z\n"
        "b:\n  g: {h: 1, h: 2}\n"
    ),
    "a duplicate key before a value holding duplicates": "m:\n  a: 1\n  a:\n    b: 1\n    b: 2\n",
    "unicode": "名前: 太郎\nnote: \"caf\\u00e9 ☕\"\nemoji: 🚀\n'ключ': значение\nlist: [é, ü, 日本]\n",
    "keys of every kind": "1: int\n1.5: float\ntrue: bool\nnull: none\n2026-01-02: date\n'q': quoted\n",
    "long text keys in many maps": "\n".join(f"item{i}:\n  name: n{i}\n  x: {i}\n  tags: [a, b]" for i in range(200)) + "\n",
}

# Documents the event builder hands to the node-based loader, and what load gives for them
# (the same as before the event builder: data, or the same error).
FALLBACKS: dict[str, tuple[str, Any]] = {
    "set tag": ("s: !!set {a: null, b: null}\n", {"s": {"a", "b"}}),
    "binary tag": ("b: !!binary aGVsbG8=\n", {"b": b"hello"}),
    "omap tag": ("o: !!omap [{a: 1}, {b: 2}]\n", {"o": [("a", 1), ("b", 2)]}),
    "alias as a key": ("a: &k key\n*k : value\n", {"a": "key", "key": "value"}),
    "anchored key": ("&k key: value\nb: *k\n", {"key": "value", "b": "key"}),
    "complex key": ("? [a, b]\n: list key\n", TypeError("unhashable type: 'LineList'")),
    "flow complex key": ("{{x: 1}: map key}\n", TypeError("unhashable type: 'LineMap'")),
    "multiple documents": ("a: 1\n---\nb: 2\n", "{path}:2: invalid YAML: but found another document"),
    "merge override": ("a: &a {x: 1, yy: 2}\nb:\n  <<: *a\n  yy: 3\n", "{path}:4: duplicate key 'yy'"),
    "merge of two maps sharing a long key": ("a: &a {yy: 1}\nc: &c {yy: 2}\nb: {<<: [*a, *c]}\n",
                                              "{path}:2: duplicate key 'yy'"),
    "duplicate inside an inline merge": ("b:\n  <<: {xx: 1, xx: 2}\n", "{path}:2: duplicate key 'xx'"),
    "merge of a scalar": ("a: &a 1\nb: {<<: *a}\n",
                          "{path}:1: invalid YAML: expected a mapping or list of mappings for merging, but found scalar"),
    "recursive alias": ("a: &a [1, *a]\n", "{path}:1: invalid YAML: found unconstructable recursive node"),
    "repeated anchor": ("a: &a 1\nb: &a 2\n", "{path}:2: invalid YAML: second occurrence"),
    "value tag": ("a: =\n", "{path}:1: invalid YAML: could not determine a constructor for the tag "
                  "'tag:yaml.org,2002:value'"),
    "impossible date": ("d: 2026-02-30\n", ValueError("day is out of range for month")),
}


def _compare(a: Any, b: Any, path: str = "$", seen_a: dict[int, str] | None = None,
             seen_b: dict[int, str] | None = None) -> list[str]:
    """Every difference between two loaded trees: data, types, lines, key lines and shared objects."""
    seen_a = {} if seen_a is None else seen_a
    seen_b = {} if seen_b is None else seen_b
    problems = []
    if type(a) is not type(b):
        return [f"{path}: type {type(a).__name__} != {type(b).__name__}"]
    if isinstance(a, (dict, list)):
        first_a, first_b = seen_a.setdefault(id(a), path), seen_b.setdefault(id(b), path)
        if first_a != first_b:
            return [f"{path}: same object as {first_a} in one tree, as {first_b} in the other"]
        if first_a != path:
            return []  # an alias, already compared where it first appeared
        if getattr(a, "line", None) != getattr(b, "line", None):
            problems.append(f"{path}: line {getattr(a, 'line', None)} != {getattr(b, 'line', None)}")
    if isinstance(a, dict):
        if list(a) != list(b):
            return problems + [f"{path}: keys {list(a)} != {list(b)}"]
        if [type(k) for k in a] != [type(k) for k in b]:
            problems.append(f"{path}: key types differ")
        lines_a, lines_b = getattr(a, "key_lines", None), getattr(b, "key_lines", None)
        if lines_a != lines_b:
            problems.append(f"{path}: key lines {lines_a} != {lines_b}")
        for key in a:
            problems += _compare(a[key], b[key], f"{path}[{key!r}]", seen_a, seen_b)
    elif isinstance(a, list):
        if len(a) != len(b):
            return problems + [f"{path}: length {len(a)} != {len(b)}"]
        for i, (x, y) in enumerate(zip(a, b)):
            problems += _compare(x, y, f"{path}[{i}]", seen_a, seen_b)
    elif not (a == b or (a != a and b != b)):  # NaN equals NaN here
        problems.append(f"{path}: {a!r} != {b!r}")
    return problems


def _events(text: str) -> tuple[Any, list[tuple[int, str]]]:
    loader = yamlsource._CLoader(text)
    try:
        return build(loader)
    finally:
        loader.dispose()


def _nodes(text: str) -> tuple[Any, list[tuple[int, str]]]:
    return yamlsource._parse(yamlsource._CLoader, text)


def _corpus() -> dict[str, str]:
    shipped = {path.name: path.read_text(encoding="utf-8") for path in (default_ladder_path(), example_team_path())}
    return shipped | CASES


@pytest.mark.parametrize("name", list(_corpus()))
def test_event_tree_equals_node_tree(name: str) -> None:
    text = _corpus()[name]
    fast, fast_duplicates = _events(text)  # raises Unsure if the fast path would not be taken
    slow, slow_duplicates = _nodes(text)
    assert _compare(fast, slow) == []
    assert fast_duplicates == slow_duplicates


def test_the_corpus_covers_what_it_claims() -> None:
    data, duplicates = _events(CASES["anchors and aliases"])
    assert data["uses"][0] is data["m"] is data["uses"][5] is data["again"]["m"]
    assert data["uses"][1] is data["s"] and data["uses"][2] is data["v"]
    merged, _ = _events(CASES["merge a list of maps"])
    # flatten_mapping skips a merged key whose text is the very same object: 'x' is (one-letter strings are shared).
    assert merged["b"] == {"x": 1, "k": "a", "long": "a", "z": 1, "longer": "c", "q": "first", "w": 3}
    assert merged["b"].key_lines == {"x": 1, "k": 1, "long": 1, "z": 2, "longer": 2, "q": 5, "w": 7}
    assert merged["e"] == {"w": 9, "inline": True, "f": 0}
    _, duplicates = _events(CASES["duplicates at several depths"])
    assert duplicates == [(4, "c"), (6, "e"), (8, "f"), (9, "a"), (12, "1"), (13, "b"), (14, "h")]
    scalars, _ = _events(CASES["look-alike scalars"])
    assert scalars["ints"][:4] == [12, "12", "12", 16] and scalars["bools"][:3] == [True, False, True]
    assert isinstance(_events("a: [1]\n")[0]["a"], LineList)


def test_the_comparison_catches_a_wrong_line_a_lost_alias_and_a_wrong_type() -> None:
    slow, _ = _nodes(CASES["anchors and aliases"])
    wrong_line = copy.deepcopy(slow)
    wrong_line["again"]["s"][1].line += 1  # the alias's object, first seen at $['s']
    assert _compare(wrong_line, slow) == ["$['s'][1]: line 3 != 2"]
    wrong_key_line = copy.deepcopy(slow)
    wrong_key_line["m"].key_lines["b"] = 2
    assert _compare(wrong_key_line, slow) == ["$['m']: key lines {'a': 1, 'b': 2} != {'a': 1, 'b': 1}"]
    unshared = copy.deepcopy(slow)
    unshared["uses"][5] = copy.deepcopy(unshared["m"])
    assert _compare(unshared, slow)[0].startswith("$['uses'][5]: same object as")
    plain = copy.deepcopy(slow)
    plain["m"] = dict(plain["m"])
    assert _compare(plain, slow) == ["$['m']: type dict != LineMap"]
    assert _compare({"a": "1"}, {"a": 1}) == ["$['a']: type str != int"]


@pytest.mark.parametrize("name", list(FALLBACKS))
def test_unusual_documents_fall_back_to_the_node_loader(name: str, tmp_path: Path) -> None:
    text, expected = FALLBACKS[name]
    with pytest.raises(Unsure):
        _events(text)
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    if isinstance(expected, str):
        with pytest.raises(ConfigError) as config_error:
            yamlsource.load(path)
        assert str(config_error.value) == expected.format(path=path)
    elif isinstance(expected, Exception):
        with pytest.raises(type(expected)) as error:
            yamlsource.load(path)
        assert str(error.value) == str(expected)
    else:
        loaded = yamlsource.load(path)
        assert loaded == expected
        assert _compare(loaded, _nodes(text)[0]) == []


def _merging_document(rng: random.Random) -> str:
    """Anchored maps (some merging earlier ones), then maps merging them, over a few clashing keys."""
    keys = ["x", "y", "xx", "yy", "1", "300", "~"]
    lines, anchors = ["defs:"], []
    for i in range(rng.randint(1, 4)):
        parts = [f"{key}: d{i}" for key in rng.sample(keys, rng.randint(0, 3))]
        if anchors and rng.random() < 0.5:
            parts.insert(rng.randint(0, len(parts)), "<<: [" + ", ".join(f"*a{j}" for j in rng.sample(anchors, 1)) + "]")
        lines.append(f"  - &a{i} {{" + ", ".join(parts) + "}")
        anchors.append(i)
    lines.append("uses:")
    for _ in range(rng.randint(1, 4)):
        sources = [f"*a{j}" for j in rng.sample(anchors, rng.randint(1, len(anchors)))]
        merge = "<<: " + (sources[0] if len(sources) == 1 else "[" + ", ".join(sources) + "]")
        body = [merge] + [f"{key}: u" for key in rng.sample(keys, rng.randint(0, 2))]
        rng.shuffle(body)
        lines += ["  - " + body[0]] + ["    " + line for line in body[1:]]
    return "\n".join(lines) + "\n"


def test_random_merging_documents_load_as_the_node_loader_loads_them() -> None:
    rng, fast = random.Random(7), 0
    for _ in range(300):
        text = _merging_document(rng)
        slow, slow_duplicates = _nodes(text)
        try:
            data, duplicates = _events(text)
        except Unsure:
            assert slow_duplicates, text  # the builder only gives up on these when the node loader finds duplicates
            continue
        assert _compare(data, slow) == [] and duplicates == slow_duplicates == [], text
        fast += 1
    assert fast > 100  # most documents took the fast path, so the comparison is not vacuous
