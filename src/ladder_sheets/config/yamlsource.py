"""YAML loading that remembers line numbers, so config errors can name ``file:line``.

A document is built straight from libyaml's event stream (``yamlevents``): on a
10,000-SE roster ``load`` takes 0.18 s, against 0.54-0.64 s for the node path below
(libyaml's composer building Node objects, then these constructors), best of 5 on
the 2-core dev machine; ``ladder-sheets validate`` of that roster went 0.9 s -> 0.33 s.
Documents the event builder is not sure of (unusual tags, complex keys, several
documents, duplicates in a merging document...) go through the node path, which stays
the reference: the same line-keeping constructors, on libyaml's parser when PyYAML has
it. A file libyaml rejects is parsed again by the pure-Python parser, so the message
(and its line) reads the same with or without libyaml.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ConfigError
from .yamlevents import LineList, LineMap, Unsure, build

__all__ = ["LineList", "LineMap", "line_of", "load"]


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
        data, duplicates = _parse_events(text)
    except yaml.YAMLError:
        data, duplicates = _parse_or_raise(path, text)  # the pure-Python parser words the problem
    if duplicates:
        raise ConfigError("\n".join(f"{path}:{line}: duplicate key {key!r}" for line, key in duplicates))
    return data


def _parse_events(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """The fast path (yamlevents), or the node-based one for a document it is not sure of."""
    if _CBase is yaml.SafeLoader:  # no libyaml: the event path would be no faster
        return _parse(_CLoader, text)
    loader = _CLoader(text)
    try:
        return build(loader)
    except Unsure:
        pass
    finally:
        loader.dispose()
    return _parse(_CLoader, text)


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
