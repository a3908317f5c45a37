"""Google's discovery documents (shipped by google-api-python-client) as the stand-in's contract.

Request bodies, query parameters and ``fields`` masks are checked against the same
schemas the real services publish, so a typo in our requests fails in tests the way it
would fail (or, worse, be silently ignored) in production. Messages follow Google's:
snake_case paths and ``Unknown name "x" at 'requests[0].update_cells': Cannot find field.``
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from .errors import ApiError, bad_request

DOCUMENTS = {"sheets": "sheets.v4", "drive": "drive.v3"}

# Proto oneofs the discovery format cannot express: fields of which at most one may be set.
# None means every property of the schema belongs to the oneof.
ONEOFS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "Request": ("kind", None),
    "ExtendedValue": ("value", None),
    "UpdateCellsRequest": ("area", ("start", "range")),
}
# gspread's share() always sends Drive v2's ``withLink``; Drive v3 ignores it, so must we.
TOLERATED = {("drive", "Permission"): frozenset({"withLink"})}

_INT_TEXT = re.compile(r"-?\d+")
_TYPE_NAMES = {("integer", "int32"): "TYPE_INT32", ("integer", "uint32"): "TYPE_UINT32",
               ("string", "int64"): "TYPE_INT64", ("number", "float"): "TYPE_FLOAT",
               ("number", "double"): "TYPE_DOUBLE", ("boolean", None): "TYPE_BOOL",
               ("string", None): "TYPE_STRING"}

MaskTree = dict[str, "MaskTree | None"]


@cache
def document(api: str) -> dict[str, Any]:
    """The parsed discovery document for "sheets" or "drive"."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / f"{DOCUMENTS[api]}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


@cache
def method(api: str, method_id: str) -> dict[str, Any]:
    """A method's discovery entry by id, e.g. ``sheets.spreadsheets.values.update``."""
    pending = [document(api)]
    while pending:
        node = pending.pop()
        for spec in node.get("methods", {}).values():
            if spec["id"] == method_id:
                return dict(spec)
        pending.extend(node.get("resources", {}).values())
    raise KeyError(method_id)


@cache  # called for every field of every request body: a 5-sheet build has ~15,000
def snake(name: str) -> str:
    """camelCase JSON name -> the proto field name Google's messages use."""
    return re.sub(r"([A-Z])", r"_\1", name).lower()


def _type_url(api: str, name: str) -> str:
    package = "google.apps.sheets.v4" if api == "sheets" else "google.apps.drive.v3"
    return f"type.googleapis.com/{package}.{name}"


# ---- request bodies ---------------------------------------------------------------------------


def check_body(api: str, schema_name: str, body: Any) -> None:
    """Raise 400 naming every unknown field, wrong type, bad enum or doubly-set oneof in ``body``."""
    problems: list[tuple[str, str]] = []
    _Walker(api, problems).object(schema_name, document(api)["schemas"][schema_name], body, "")
    if problems:
        raise bad_request("\n".join(message for _, message in problems), details=[{
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": message} for field, message in problems]}])


class _Walker:
    """One pass over a body, collecting (field path, message) problems."""

    def __init__(self, api: str, problems: list[tuple[str, str]]) -> None:
        self.api = api
        self.schemas: dict[str, Any] = document(api)["schemas"]
        self.problems = problems

    def value(self, spec: dict[str, Any], value: Any, path: str) -> None:
        if "$ref" in spec:
            self.object(spec["$ref"], self.schemas[spec["$ref"]], value, path)
        elif spec.get("type") == "object":
            self.object("", spec, value, path)
        elif spec.get("type") == "array":
            self.array(spec, value, path)
        else:
            self.scalar(spec, value, path)

    def object(self, name: str, spec: dict[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, dict):
            self._invalid(path, _type_url(self.api, name) if name else "TYPE_MESSAGE", value)
            return
        props: dict[str, Any] = spec.get("properties", {})
        extra = spec.get("additionalProperties")
        self._oneof(name, props, value, path)
        for key, item in value.items():
            child = f"{path}.{snake(key)}" if path else snake(key)
            if key in props:
                if item is not None:  # JSON null leaves a proto field unset
                    self.value(props[key], item, child)
            elif extra is not None:
                self.value(extra, item, f"{path}[{key}]")
            elif key not in TOLERATED.get((self.api, name), frozenset()):
                where = f" at '{path}'" if path else ""
                self.problems.append((path, f'Invalid JSON payload received. Unknown name "{key}"{where}: '
                                            "Cannot find field."))

    def _oneof(self, name: str, props: dict[str, Any], value: dict[str, Any], path: str) -> None:
        if name not in ONEOFS:
            return
        group, members = ONEOFS[name]
        chosen = [k for k, v in value.items() if v is not None and k in (members or props)]
        if len(chosen) > 1:
            self.problems.append((path, f"Invalid value at '{path}' (oneof), oneof field '{group}' is already set. "
                                        f"Cannot overwrite '{chosen[0]}' with '{chosen[1]}'"))

    def array(self, spec: dict[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, list):
            self._invalid(path, "TYPE_LIST", value)
            return
        for i, item in enumerate(value):
            if item is None and spec["items"].get("type") != "any":
                self._invalid(f"{path}[{i}]", "TYPE_MESSAGE", item)
            else:
                self.value(spec["items"], item, f"{path}[{i}]")

    def scalar(self, spec: dict[str, Any], value: Any, path: str) -> None:
        kind, fmt = spec.get("type"), spec.get("format")
        if kind == "any":
            return
        ok = {"string": lambda: _is_text(value, fmt), "integer": lambda: _is_integer(value, fmt),
              "number": lambda: _is_number(value), "boolean": lambda: isinstance(value, bool)}[str(kind)]()
        if ok and "enum" in spec and value not in spec["enum"]:
            self._invalid(path, "TYPE_ENUM", value)
        elif not ok:
            self._invalid(path, _TYPE_NAMES.get((str(kind), fmt), _TYPE_NAMES.get((str(kind), None), "TYPE")), value)

    def _invalid(self, path: str, type_name: str, value: Any) -> None:
        self.problems.append((path, f"Invalid value at '{path}' ({type_name}), {json.dumps(value)}"))


def _is_text(value: Any, fmt: str | None) -> bool:
    if fmt in ("int64", "uint64"):
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and bool(_INT_TEXT.fullmatch(value)))
    return isinstance(value, str)


def _is_integer(value: Any, fmt: str | None) -> bool:
    """proto3 JSON takes 5, 5.0 and "5" for an int32."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and _INT_TEXT.fullmatch(value):
        value = int(value)
    if not isinstance(value, int):
        return False
    low = 0 if fmt == "uint32" else -(2**31)
    high = 2**32 - 1 if fmt == "uint32" else 2**31 - 1
    return low <= value <= high


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return False


# ---- query parameters -------------------------------------------------------------------------


def check_params(api: str, method_id: str, params: dict[str, list[str]]) -> None:
    """Bad booleans/integers/enums -> 400; unknown names -> 400 on Sheets only.

    Sheets (ESF) refuses a parameter its request message lacks ("Cannot bind query
    parameter"); Drive v3 ignores unknown ones, and gspread relies on that (it sends
    ``includeItemsFromAllDrives`` to files.get).
    """
    known = {**document(api)["parameters"],
             **{k: v for k, v in method(api, method_id).get("parameters", {}).items() if v["location"] == "query"}}
    for name, values in params.items():
        spec = known.get(name)
        if spec is None and api == "drive":
            continue
        if spec is None:
            raise bad_request(f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                              f"Field '{name}' could not be found in request message.", location=name)
        for value in values if spec.get("repeated") else values[:1]:
            _check_param(name, spec, value)


def _check_param(name: str, spec: dict[str, Any], value: str) -> None:
    kind = spec.get("type")
    ok = True
    if kind == "boolean":
        ok = value.lower() in ("true", "false")
    elif kind == "integer":
        ok = bool(_INT_TEXT.fullmatch(value))
    elif "enum" in spec:
        ok = value in spec["enum"]
    if not ok:
        type_name = {"boolean": "TYPE_BOOL", "integer": "TYPE_INT32"}.get(str(kind), "TYPE_ENUM")
        raise bad_request(f"Invalid value at '{snake(name)}' ({type_name}), \"{value}\"", location=name,
                          reason="invalidParameter")


# ---- fields masks (partial responses) ---------------------------------------------------------


def parse_mask(text: str) -> MaskTree:
    """``sheets(properties(sheetId,title),data)`` / ``files(id,name),nextPageToken`` as a tree."""
    tree, pos = _mask_list(text, 0)
    if pos != len(text):
        raise _bad_mask(text)
    return tree


def _mask_list(text: str, pos: int) -> tuple[MaskTree, int]:
    tree: MaskTree = {}
    while True:
        end = pos
        while end < len(text) and text[end] not in ",()":
            end += 1
        name = text[pos:end].strip()
        if not name:
            raise _bad_mask(text)
        sub: MaskTree | None = None
        pos = end
        if pos < len(text) and text[pos] == "(":
            sub, pos = _mask_list(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise _bad_mask(text)
            pos += 1
        _merge(tree, name.replace("/", ".").split("."), sub)  # "a/b" is Google's older spelling of "a.b"
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return tree, pos


def _merge(tree: MaskTree, path: list[str], sub: MaskTree | None) -> None:
    node = tree
    for part in path[:-1]:
        if part in node and node[part] is None:
            return  # already selected whole
        node = node.setdefault(part, {})  # type: ignore[assignment]
    last = path[-1]
    if sub is None or node.get(last, {}) is None:
        node[last] = None
    else:
        merged = node.setdefault(last, {})
        assert merged is not None
        for key, value in sub.items():
            _merge(merged, [key], value)


def _bad_mask(text: str) -> ApiError:
    return bad_request(f"Invalid field selection {text}", location="fields", reason="invalidParameter")


def check_mask(api: str, schema_name: str, tree: MaskTree) -> None:
    """Every selected name must exist in the response schema, else 400 like Google."""
    _check_mask_node(document(api)["schemas"], {"$ref": schema_name}, tree)


def _check_mask_node(schemas: dict[str, Any], spec: dict[str, Any], tree: MaskTree | None) -> None:
    if tree is None:
        return
    while "$ref" in spec or spec.get("type") == "array":
        spec = schemas[spec["$ref"]] if "$ref" in spec else spec["items"]
    props = spec.get("properties", {})
    for name, sub in tree.items():
        if name == "*" or spec.get("additionalProperties") is not None:
            continue
        if name not in props:
            raise bad_request(f"Invalid field selection {name}", location="fields", reason="invalidParameter")
        _check_mask_node(schemas, props[name], sub)


def apply_mask(value: Any, tree: MaskTree | None) -> Any:
    """Keep only what the mask selects; lists are filtered element by element."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [apply_mask(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    wildcard = "*" in tree
    return {key: apply_mask(item, tree.get(key) if key in tree else None)
            for key, item in value.items() if key in tree or wildcard}


# ---- field masks in update requests --------------------------------------------------------------


def update_mask(spec: dict[str, Any], schema_name: str) -> MaskTree:
    """An update request's ``fields`` as a tree, checked against the schema it selects from."""
    fields = str(spec.get("fields") or "").strip()
    if not fields:
        raise bad_request("At least one field must be specified in 'fields'.")
    tree = parse_mask(fields)
    check_mask("sheets", schema_name, tree)
    return tree


def copy_masked(target: dict[str, Any], source: dict[str, Any], tree: MaskTree) -> None:
    """Field-mask update semantics: selected fields take the source's value or are cleared."""
    if "*" in tree:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in tree.items():
        if sub is None:
            if source.get(key) is not None:
                target[key] = copy.deepcopy(source[key])
            else:
                target.pop(key, None)
            continue
        child = dict(target.get(key) or {})
        copy_masked(child, source.get(key) or {}, sub)
        if child:
            target[key] = child
        else:
            target.pop(key, None)
