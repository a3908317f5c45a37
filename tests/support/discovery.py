"""Validates request bodies against Google's own discovery documents (shipped by google-api-python-client).

A small walker over the discovery ``schemas`` ($ref, object properties, arrays, maps,
scalars, enums): unknown fields and wrong types are reported with their JSON path, as
the real API rejects them with 400.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

_NUMBER = (int, float)


@cache
def schemas(api: str) -> dict[str, Any]:
    """``api`` is "sheets.v4" or "drive.v3"."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / f"{api}.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))["schemas"])


def validate(api: str, schema: str, body: Any) -> list[str]:
    """Every problem in ``body`` against the named schema; [] when it conforms."""
    problems: list[str] = []
    _check(schemas(api), {"$ref": schema}, body, schema, problems)
    return problems


def _check(all_schemas: dict[str, Any], spec: dict[str, Any], value: Any, path: str, problems: list[str]) -> None:
    if "$ref" in spec:
        spec = all_schemas[spec["$ref"]]
    kind = spec.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object, got {type(value).__name__}")
            return
        props = spec.get("properties", {})
        extra = spec.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                _check(all_schemas, props[key], item, f"{path}.{key}", problems)
            elif extra is not None:
                _check(all_schemas, extra, item, f"{path}.{key}", problems)
            else:
                problems.append(f'{path}: unknown field "{key}"')
    elif kind == "array":
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            _check(all_schemas, spec["items"], item, f"{path}[{i}]", problems)
    elif kind == "string":
        # int64 fields travel as strings but clients may send numbers.
        ok = isinstance(value, str) or (spec.get("format") in ("int64", "uint64") and isinstance(value, int))
        if not ok:
            problems.append(f"{path}: expected a string, got {value!r}")
        elif "enum" in spec and value not in spec["enum"]:
            problems.append(f"{path}: {value!r} is not one of {spec['enum']}")
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected an integer, got {value!r}")
    elif kind == "number":
        if not isinstance(value, _NUMBER) or isinstance(value, bool):
            problems.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "any":
        pass
