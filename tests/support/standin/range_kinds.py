"""batchUpdate kinds that attach to ranges: protection, conditional formats, named ranges."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import a1, rules, schema
from .errors import bad_request
from .grid import PROTECTED, protected_out
from .model import Sheet

if TYPE_CHECKING:
    from .batch import Batch


def add_protected_range(b: Batch, spec: dict[str, Any]) -> dict[str, Any]:
    """The file's owner is always an editor; a requester who is not the owner must list themselves."""
    protected = copy.deepcopy(spec.get("protectedRange") or {})
    protected.pop("requestingUserCanEdit", None)
    sheet = _protected_sheet(b, protected)
    if protected.get("protectedRangeId") is None:
        protected["protectedRangeId"] = b.call.state.new_number()
    elif _find_protected(b, int(protected["protectedRangeId"])) is not None:
        raise bad_request(f"A protected range with ID {protected['protectedRangeId']} already exists.")
    _settle_editors(b, protected)
    sheet.protected.append(protected)
    return {"protectedRange": protected_out(b.editor, protected)}


def update_protected_range(b: Batch, spec: dict[str, Any]) -> None:
    """Only those who may edit a protected range may change it (its owner and its editors)."""
    tree = schema.update_mask(spec, "ProtectedRange")
    incoming = spec.get("protectedRange") or {}
    sheet, protected = _editable_protected(b, int(incoming.get("protectedRangeId", 0)))
    changed = copy.deepcopy(protected)
    schema.copy_masked(changed, incoming, tree)
    changed["protectedRangeId"] = protected["protectedRangeId"]
    _protected_sheet(b, changed)
    _settle_editors(b, changed)
    sheet.protected[sheet.protected.index(protected)] = changed


def _protected_sheet(b: Batch, protected: dict[str, Any]) -> Sheet:
    """The protected sheet, once the range's shape and every range in it are checked."""
    broken = rules.protection_shape(protected)
    if broken:
        raise bad_request(broken)
    if protected.get("range") is not None:
        sheet = b.area(protected["range"])[0]
    else:
        named = next((n for n in b.book.named_ranges if n.get("namedRangeId") == protected.get("namedRangeId")), None)
        if named is None:
            raise bad_request("A protected range needs a range or the id of an existing named range.")
        sheet = b.area(named["range"])[0]
    for hole in protected.get("unprotectedRanges") or []:
        b.area(hole)
    return sheet


def _settle_editors(b: Batch, protected: dict[str, Any]) -> None:
    if protected.get("warningOnly"):
        protected.pop("editors", None)
        return
    editors = protected.setdefault("editors", {})
    # The owner (none in a shared drive) and whoever sets the protection always remain editors.
    always = b.editor.file.owner or b.user
    editors["users"] = list(dict.fromkeys([*editors.get("users", []), always]))


def _find_protected(b: Batch, protected_id: int) -> tuple[Sheet, dict[str, Any]] | None:
    for sheet in b.book.sheets:
        for protected in sheet.protected:
            if int(protected["protectedRangeId"]) == protected_id:
                return sheet, protected
    return None


def _editable_protected(b: Batch, protected_id: int) -> tuple[Sheet, dict[str, Any]]:
    found = _find_protected(b, protected_id)
    if found is None:
        raise bad_request(f"No protected range with id: {protected_id}")
    if not b.editor.may_edit_range(found[1]) and not found[1].get("warningOnly"):
        raise bad_request(PROTECTED)
    return found


def add_conditional_format_rule(b: Batch, spec: dict[str, Any]) -> None:
    rule = copy.deepcopy(spec.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise bad_request("A conditional format rule needs at least one range.")
    sheets = {b.area(r)[0].sheet_id for r in ranges}
    if len(sheets) > 1:
        raise bad_request("All ranges of a conditional format rule must be on the same sheet.")
    sheet = b.book.by_id(sheets.pop())
    index = int(spec.get("index", 0))
    if index > len(sheet.conditional):
        raise bad_request(f"Invalid index {index}: the sheet has {len(sheet.conditional)} conditional format rules.")
    sheet.conditional.insert(index, rule)


def add_named_range(b: Batch, spec: dict[str, Any]) -> dict[str, Any]:
    named = copy.deepcopy(spec.get("namedRange") or {})
    name = str(named.get("name", ""))
    if not a1.NAMED_RANGE.fullmatch(name) or a1.cells(name) is not None or name.upper() in ("TRUE", "FALSE"):
        raise bad_request(f'The name "{name}" is not valid for a named range.')
    if any(n["name"].lower() == name.lower() for n in b.book.named_ranges):
        raise bad_request(f'Named range "{name}" already exists.')
    b.area(named.get("range") or {})
    named.setdefault("namedRangeId", "".join(b.call.state.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                             for _ in range(12)))
    b.book.named_ranges.append(named)
    return {"namedRange": copy.deepcopy(named)}
