"""The line-keeping YAML tree built straight from libyaml's event stream.

Why: on a 10,000-SE roster (60,000 lines, 140,000 events) libyaml's C parser hands
over its events in 0.09 s, but composing Node objects (two marks each) and walking
them with the constructors took the whole load to 0.54-0.64 s. Building ``LineMap``/
``LineList`` from the events themselves loads the same roster in 0.18 s (best of 5).

Semantics stay PyYAML's: tags come from the loader's own resolver (``loader.resolve``)
and non-string scalars from the loader's own constructors (YAML 1.1: yes/no, 0x10,
.inf, dates). Aliases give the anchor's object; merge keys follow
``SafeConstructor.flatten_mapping`` step by step (merged pairs first, skipping a key
whose text object was already merged, then the explicit ones; lines from where each
key is written). PyYAML 6.0.4 tells merged keys apart by ``id()`` of their text, so a
one-letter key (CPython shares those strings) merges first-wins while a longer one
clashes as a duplicate key: kept as is, the same text objects reach this builder.
Anything this builder is not sure of raises :class:`Unsure`, and the caller loads the text with the node-based path instead, so results never differ:
explicit tags beyond the core scalar ones, non-scalar or aliased keys, undefined,
repeated or recursive anchors, several documents, a bad merge, a constructor failing,
and duplicate keys in a document that merges (duplicates then come in the composer's order).
"""

from __future__ import annotations

from typing import Any

import yaml

_TAG = "tag:yaml.org,2002:"
_STR, _MERGE = _TAG + "str", _TAG + "merge"
_SCALARS = {_TAG + name for name in ("null", "bool", "int", "float", "timestamp")}
_MAP_TAGS = (None, "!", _TAG + "map")
_SEQ_TAGS = (None, "!", _TAG + "seq")


class LineMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):  # type: ignore[type-arg]
    line: int = 0


class Unsure(Exception):
    """The event builder does not handle this document: use the node-based loader."""


# A key as flatten_mapping sees it: (its text object, the key, its line, the value).
Pair = tuple[str, Any, int, Any]


class _Map:
    """An open mapping: explicit pairs so far, the key awaiting its value, any merge values."""

    __slots__ = ("obj", "pairs", "key", "merges", "anchor")

    def __init__(self, line: int, anchor: str | None) -> None:
        self.obj = LineMap()
        self.obj.line = line
        self.obj.key_lines = {}
        self.pairs: list[Pair] = []
        self.key: tuple[str | None, Any, int] | None = None
        self.merges: list[Any] = []
        self.anchor = anchor


class _Builder:
    def __init__(self, loader: Any) -> None:
        self.loader = loader
        resolvers = loader.yaml_implicit_resolvers
        if None in resolvers or loader.yaml_path_resolvers:
            raise Unsure("resolver has wildcard or path resolvers")
        # A plain scalar whose first character no implicit resolver looks at resolves to str.
        self.first_chars = frozenset(resolvers)
        self.anchors: dict[str, Any] = {}
        self.flat: dict[int, tuple[LineMap, list[Pair]]] = {}  # id(map) -> (map, its flattened pairs)
        self.duplicates: list[tuple[int, str]] = []
        self.merged = False

    def scalar(self, event: Any) -> tuple[str, Any]:
        """(tag, value) of a scalar event, resolved and constructed as the loader would."""
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            implicit = event.implicit
            if not implicit[0] or (value and value[0] not in self.first_chars):
                return _STR, value
            tag = self.loader.resolve(yaml.ScalarNode, value, implicit)
        if tag == _STR or tag == _MERGE:
            return tag, value
        if tag not in _SCALARS:
            raise Unsure(f"scalar tag {tag}")
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
        return tag, self.loader.yaml_constructors[tag](self.loader, node)

    def run(self, next_event: Any) -> Any:
        """The document's data (None for an empty stream); duplicates land in self.duplicates."""
        event = next_event()  # StreamStartEvent
        event = next_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        root = self.document(next_event)
        if not isinstance(next_event(), yaml.StreamEndEvent):
            raise Unsure("more than one document")
        return root

    def document(self, next_event: Any) -> Any:
        stack: list[Any] = []  # open _Map objects and (LineList, anchor) pairs
        ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
        MappingStartEvent, MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
        SequenceStartEvent, SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
        anchors = self.anchors
        while True:
            event = next_event()
            kind = event.__class__
            top = stack[-1] if stack else None
            if kind is ScalarEvent:
                tag, value = self.scalar(event)
                if event.anchor is not None:
                    self.anchor(event.anchor, value)
                if top.__class__ is _Map and top.key is None:
                    if tag == _MERGE:
                        self.merged = True
                    elif event.anchor is not None:
                        raise Unsure("anchored key")
                    self.add_key(top, event.value if tag != _MERGE else None, value, event.start_mark.line + 1)
                    continue
                if tag == _MERGE:
                    raise Unsure("merge tag outside a key")
            elif kind is MappingStartEvent:
                self.open_check(top, event.tag, _MAP_TAGS, event.anchor)
                stack.append(_Map(event.start_mark.line + 1, event.anchor))
                continue
            elif kind is SequenceStartEvent:
                self.open_check(top, event.tag, _SEQ_TAGS, event.anchor)
                seq = LineList()
                seq.line = event.start_mark.line + 1
                stack.append((seq, event.anchor))
                continue
            elif kind is MappingEndEvent:
                value = self.close_map(stack.pop())
            elif kind is SequenceEndEvent:
                value, anchor = stack.pop()
                if anchor is not None:
                    self.anchor(anchor, value)
            elif kind is AliasEvent:
                if top.__class__ is _Map and top.key is None:
                    raise Unsure("alias as a key")
                if event.anchor not in anchors:
                    raise Unsure("undefined or recursive alias")
                value = anchors[event.anchor]
            else:
                raise Unsure(f"unexpected {event}")
            if not stack:
                next_event()  # DocumentEndEvent
                return value
            top = stack[-1]
            if top.__class__ is _Map:
                self.add_value(top, value)
            else:
                top[0].append(value)

    def open_check(self, top: Any, tag: str | None, allowed: tuple[str | None, ...], anchor: str | None) -> None:
        if tag not in allowed:
            raise Unsure(f"collection tag {tag}")
        if top.__class__ is _Map and top.key is None:
            raise Unsure("complex key")
        if anchor is not None and anchor in self.anchors:
            raise Unsure("repeated anchor")

    def anchor(self, name: str, value: Any) -> None:
        if name in self.anchors:
            raise Unsure("repeated anchor")
        self.anchors[name] = value

    def add_key(self, top: _Map, text: str | None, key: Any, line: int) -> None:
        # The duplicate check comes before the value, in the order the node constructor checks.
        if text is not None and key in top.obj:
            self.duplicates.append((line, str(key)))
        top.key = (text, key, line)

    def add_value(self, top: _Map, value: Any) -> None:
        assert top.key is not None
        text, key, line = top.key
        top.key = None
        if text is None:  # a merge key
            top.merges.append(value)
            return
        top.pairs.append((text, key, line, value))
        top.obj[key] = value
        top.obj.key_lines[key] = line

    def close_map(self, done: _Map) -> LineMap:
        mapping, pairs = done.obj, done.pairs
        if done.merges:
            pairs = self.merge_pairs(done.merges) + pairs
            mapping = LineMap()
            mapping.line, mapping.key_lines = done.obj.line, {}
            for _text, key, line, value in pairs:
                if key in mapping:
                    raise Unsure("duplicate key in a merging mapping")
                mapping[key] = value
                mapping.key_lines[key] = line
        self.flat[id(mapping)] = (mapping, pairs)
        if done.anchor is not None:
            self.anchor(done.anchor, mapping)
        return mapping

    def merge_pairs(self, merges: list[Any]) -> list[Pair]:
        """flatten_mapping's merge list: each source's flattened pairs, a key's text object once."""
        merged: list[Pair] = []
        seen: set[int] = set()
        for value in merges:
            sources = value if isinstance(value, LineList) else [value]
            if not isinstance(value, (LineMap, LineList)):
                raise Unsure("merge of a scalar")
            for source in sources:
                if not isinstance(source, LineMap) or id(source) not in self.flat:
                    raise Unsure("merge of a non-mapping")
                for pair in self.flat[id(source)][1]:
                    if id(pair[0]) not in seen:
                        seen.add(id(pair[0]))
                        merged.append(pair)
        return merged


def build(loader: Any) -> tuple[Any, list[tuple[int, str]]]:
    """(data, duplicate keys as (line, key)) from a CParser-based loader's events; raises Unsure."""
    builder = _Builder(loader)
    try:
        data = builder.run(loader.get_event)
    except (Unsure, yaml.YAMLError):
        raise
    except Exception as exc:  # a constructor failed: the node path reports it, in its own order
        raise Unsure(f"{type(exc).__name__}: {exc}") from exc
    if builder.duplicates and builder.merged:
        raise Unsure("duplicate keys in a document that merges")
    return data, builder.duplicates
