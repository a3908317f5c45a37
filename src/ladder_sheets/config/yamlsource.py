"""YAML loading that remembers line numbers, so config errors can name ``file:line``.

PyYAML composes the document into nodes that carry their marks; the constructors below
build dicts and lists that keep those lines. libyaml's parser does the parsing when
PyYAML has it (rosters of thousands of people load quickly). A file libyaml rejects is
parsed again by the pure-Python parser, so the message (and its line) reads the same
with or without libyaml.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ConfigError

__all__ = ["LineList", "LineMap", "line_of", "load"]


class LineMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):  # type: ignore[type-arg]
    """A YAML sequence that knows its line."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    duplicate_keys: list[tuple[int, str]]


# Same constructors, on libyaml's parser when PyYAML has it (else the pure-Python one again).
_CBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CLoader(_CBase):  # type: ignore[misc]
    duplicate_keys: list[tuple[int, str]]


_STR = "tag:yaml.org,2002:str"


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    # Plain text is most of a roster: skip the generic dispatch for it (what construct_yaml_str returns).
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    mapping = LineMap()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicate_keys.append((line, str(key)))
        mapping[key] = _construct(loader, value_node)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    seq = LineList(_construct(loader, child) for child in node.value)
    seq.line = node.start_mark.line + 1
    return seq


for _cls in (_Loader, _CLoader):
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load(path: Path) -> Any:
    """Parse a YAML file; syntax errors and duplicate keys become ConfigError with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        data, duplicates = _parse(_CLoader, text)
    except yaml.YAMLError:
        data, duplicates = _parse_or_raise(path, text)  # the pure-Python parser words the problem
    if duplicates:
        raise ConfigError("\n".join(f"{path}:{line}: duplicate key {key!r}" for line, key in duplicates))
    return data


def _parse(loader_class: type, text: str) -> tuple[Any, list[tuple[int, str]]]:
    loader = loader_class(text)
    loader.duplicate_keys = []
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


def _parse_or_raise(path: Path, text: str) -> tuple[Any, list[tuple[int, str]]]:
    try:
        return _parse(_Loader, text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from exc


def line_of(container: Any, key: Any = None) -> int:
    """Best-known line of ``container[key]`` (or of the container itself)."""
    if isinstance(container, LineMap) and key is not None and key in container.key_lines:
        return container.key_lines[key]
    return int(getattr(container, "line", 0))
