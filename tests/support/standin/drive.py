"""Drive v3: files (folders and spreadsheets) and permissions, with Drive's access rules.

Handlers return full resources; the server narrows them to the ``fields`` asked for, or
to Drive's defaults (``kind,id,name,mimeType`` for a file), so code that reads a field it
did not request fails here as it would against Drive.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from .call import Call
from .errors import ApiError, bad_request
from .model import FOLDER, SPREADSHEET, DriveFile, Permission, State, new_book
from .realism import SHARED_BUT_NO_MAIL
from .sharing import (at_least, check_grantee, may_change_permissions, needed_to_delete, needed_to_trash,
                      refuse_insufficient)

_LITERAL = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_PAGE = re.compile(r"standin-page-(\d+)")
_ORDER_KEYS = {"name": lambda f: f.name.lower(), "createdTime": lambda f: f.created,
               "modifiedTime": lambda f: f.modified, "folder": lambda f: f.mime_type != FOLDER}


def person_id(email: str) -> str:
    """Drive gives each person one permission id across all files; derived from the address here."""
    return str(int(hashlib.sha256(email.lower().encode()).hexdigest()[:15], 16))


def file_resource(state: State, file: DriveFile, user: str) -> dict[str, Any]:
    """The full File resource; the server applies ``fields`` (or Drive's default) to it."""
    role = state.role(file, user) or "reader"
    extra: dict[str, Any] = ({"driveId": file.drive_id} if file.drive_id else
                             {"writersCanShare": file.writers_can_share, "owners": [_user(file.owner, user)]})
    return extra | {
        "kind": "drive#file", "id": file.id, "name": file.name, "mimeType": file.mime_type,
        "parents": list(file.parents), "trashed": file.trashed, "explicitlyTrashed": file.trashed,
        "createdTime": file.created, "modifiedTime": file.modified,
        "lastModifyingUser": _user(file.last_modifier, user),
        "ownedByMe": file.owner == user, "shared": bool(file.permissions),
        "permissionIds": [person_id(file.owner), *(p.id for p in file.permissions)],
        "webViewLink": (f"https://docs.google.com/spreadsheets/d/{file.id}/edit?usp=drivesdk"
                        if file.mime_type == SPREADSHEET else f"https://drive.google.com/drive/folders/{file.id}"),
        "capabilities": {"canEdit": at_least(role, "writer"), "canShare": may_change_permissions(file, role),
                         "canTrash": at_least(role, needed_to_trash(file)),
                         "canDelete": at_least(role, needed_to_delete(file)), "canCopy": True},
    }


def _user(email: str, me: str) -> dict[str, Any]:
    return {"kind": "drive#user", "displayName": email.split("@")[0], "emailAddress": email,
            "me": email == me, "permissionId": person_id(email)}


# ---- files --------------------------------------------------------------------------------------


def create(call: Call) -> dict[str, Any]:
    """files.create for a spreadsheet or a folder; the caller must be able to write to the parent."""
    body = call.body or {}
    mime = body.get("mimeType")
    if mime not in (SPREADSHEET, FOLDER):
        raise bad_request(f"the stand-in creates only spreadsheets and folders, not {mime!r}")
    parents = _parents(call, body.get("parents"))
    drive_id = _drive_of(call.state, parents)
    call.state.realism.check_storage(call.user, bool(drive_id), mime == FOLDER)
    file = _new_file(call, str(body.get("name") or "Untitled"), str(mime), parents, drive_id)
    if body.get("writersCanShare") is False and not drive_id:
        file.writers_can_share = False
    if mime == SPREADSHEET:
        file.book = new_book(call.state.user_locale.get(call.user, "en_US"))
    return file_resource(call.state, file, call.user)


def _drive_of(state: State, parents: list[str]) -> str:
    return next((state.files[p].drive_id for p in parents if p in state.files and state.files[p].drive_id), "")


def all_drives(call: Call, file: DriveFile) -> DriveFile:
    """Items in shared drives are invisible (404) to requests without supportsAllDrives=true."""
    if file.drive_id and not call.flag("supportsAllDrives"):
        raise ApiError(404, f"File not found: {file.id}.", reason="notFound", location="fileId")
    return file


def _parents(call: Call, parents: list[str] | None) -> list[str]:
    """The parents a file may be put in ("root", the caller's My Drive, is no folder here: no parent)."""
    parents = [p for p in parents or [] if p != "root"]
    if len(parents) > 1:
        raise ApiError(403, "Increasing the number of parents is not allowed.", reason="cannotAddParent")
    for parent in parents:
        folder = all_drives(call, call.state.drive_file(parent, call.user, "writer"))
        if folder.mime_type != FOLDER:
            raise bad_request(f"The parent {parent} is not a folder.", reason="invalidParent")
    return parents


def _new_file(call: Call, name: str, mime: str, parents: list[str], drive_id: str = "") -> DriveFile:
    now = call.state.now()
    owner = "" if drive_id else call.user  # files in a shared drive belong to the drive
    file = DriveFile(call.state.new_file_id(), name, mime, owner, parents, now, now, call.user, drive_id=drive_id,
                     created_at=call.state.realism.clock(), app=call.state.app)
    call.state.files[file.id] = file
    return file


def copy_file(call: Call, file_id: str) -> dict[str, Any]:
    """files.copy: content, protection and named ranges come along; sharing does not."""
    source = call.state.drive_file(file_id, call.user, "reader")
    if source.mime_type == FOLDER:
        raise ApiError(403, "This file cannot be copied by the user.", reason="cannotCopyFile")
    body = call.body or {}
    parents = body.get("parents")
    if parents is None:
        parents = [p for p in source.parents
                   if p in call.state.files and at_least(call.state.role(call.state.files[p], call.user), "writer")]
    parents = _parents(call, parents)
    call.state.realism.check_storage(call.user, bool(_drive_of(call.state, parents)), False)
    copied = _new_file(call, str(body.get("name") or f"Copy of {source.name}"), source.mime_type, parents,
                       _drive_of(call.state, parents))
    copied.book = copy.deepcopy(source.book)
    return file_resource(call.state, copied, call.user)


def get(call: Call, file_id: str) -> dict[str, Any]:
    return file_resource(call.state, all_drives(call, call.state.drive_file(file_id, call.user)), call.user)


def about(call: Call) -> dict[str, Any]:
    """about.get: who is signed in."""
    return {"kind": "drive#about", "user": _user(call.user, call.user)}


def update(call: Call, file_id: str) -> dict[str, Any]:
    """files.update (PATCH): rename, move with addParents/removeParents, trash (owner, or a shared
    drive's Content manager and up) and untrash."""
    file = all_drives(call, call.state.drive_file(file_id, call.user, "writer"))
    body = call.body or {}
    if body.get("trashed") is not None:
        if not at_least(call.state.role(file, call.user), needed_to_trash(file)):
            raise refuse_insufficient()
        file.trashed = bool(body["trashed"])
    if body.get("name") is not None:
        file.name = str(body["name"])
    removed = [p for p in (call.one("removeParents") or "").split(",") if p]
    added = [p for p in (call.one("addParents") or "").split(",") if p]
    if added or removed:
        file.parents = _parents(call, [p for p in file.parents if p not in removed] + added)
    call.state.touch(file, call.user)
    return file_resource(call.state, file, call.user)


def delete(call: Call, file_id: str) -> None:
    """files.delete: permanent (not trash); the owner, or in a shared drive its Managers (organizer) only;
    a folder takes its contents along."""
    file = all_drives(call, call.state.drive_file(file_id, call.user))
    if not at_least(call.state.role(file, call.user), needed_to_delete(file)):
        raise refuse_insufficient()
    doomed = [file.id]
    while doomed:
        current = doomed.pop()
        call.state.files.pop(current, None)
        doomed.extend(f.id for f in call.state.files.values() if current in f.parents)


def list_files(call: Call) -> dict[str, Any]:
    """files.list: the caller's visible files matching ``q``, paged with pageSize/pageToken."""
    tests = [_clause(text, call.user) for text in _clauses(call.one("q") or "")]
    realism = call.state.realism
    all_drives_too = call.flag("includeItemsFromAllDrives") and call.flag("supportsAllDrives")
    drive = call.one("driveId") if call.one("corpora") == "drive" else None
    visible = [f for f in call.state.files.values()
               if call.state.role(f, call.user) and all(test(call.state, f) for test in tests)
               and realism.listed(f.created_at) and (not f.drive_id or all_drives_too)
               and (drive is None or f.drive_id == drive)]
    visible = _ordered(visible, call.one("orderBy"))
    size = min(int(call.one("pageSize") or 100), 1000)
    start = _page_start(call.one("pageToken"))
    page = visible[start:start + size]
    out: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False,
                           "files": [file_resource(call.state, f, call.user) for f in page]}
    if start + size < len(visible):
        out["nextPageToken"] = f"standin-page-{start + size}"
    return out


def _page_start(token: str | None) -> int:
    if not token:
        return 0
    match = _PAGE.fullmatch(token)
    if not match:
        raise bad_request("Invalid Value", reason="invalid", location="pageToken")
    return int(match.group(1))


def _ordered(files: list[DriveFile], order_by: str | None) -> list[DriveFile]:
    for key in reversed([k.strip() for k in (order_by or "").split(",") if k.strip()]):
        name, _, direction = key.partition(" ")
        if name not in _ORDER_KEYS:
            raise bad_request("Invalid Value", reason="invalid", location="orderBy")
        files = sorted(files, key=_ORDER_KEYS[name], reverse=direction.strip().lower() == "desc")
    return files


def _clauses(q: str) -> list[str]:
    """Split on ``and`` outside quoted literals; ``or``/``not``/parentheses are not supported here."""
    outside = re.sub(_LITERAL, lambda m: "_" * len(m.group(0)), q)
    if re.search(r"\b(or|not)\b|[()]", outside, re.IGNORECASE):
        raise bad_request("the stand-in's Drive query reads only clauses joined by 'and'", reason="invalid",
                          location="q")
    pieces, start = [], 0
    for match in _AND.finditer(outside):
        pieces.append(q[start:match.start()])
        start = match.end()
    pieces.append(q[start:])
    return [p.strip() for p in pieces if p.strip()]


def _unquote(match: re.Match[str], group: int = 1) -> str:
    raw = match.group(group) if match.group(group) is not None else match.group(group + 1)
    return re.sub(r"\\(.)", r"\1", raw)


def _clause(text: str, user: str) -> Any:
    """One query clause -> a test(state, file); 400 "Invalid Value" (location q) when unreadable."""
    if m := re.fullmatch(rf"name\s*(=|!=|contains)\s*{_LITERAL}", text):
        op, value = m.group(1), _unquote(m, 2)
        return lambda s, f: {"=": f.name == value, "!=": f.name != value, "contains": value in f.name}[op]
    if m := re.fullmatch(rf"mimeType\s*(=|!=)\s*{_LITERAL}", text):
        op, value = m.group(1), _unquote(m, 2)
        return lambda s, f: (f.mime_type == value) == (op == "=")
    if (m := re.fullmatch(rf"{_LITERAL}\s+in\s+parents", text)) or (
            m := re.fullmatch(rf"parents\s+in\s+{_LITERAL}", text)):
        value = _unquote(m)
        if value == "root":  # the caller's My Drive
            return lambda s, f: not f.parents and f.owner == user
        return lambda s, f: value in f.parents
    if m := re.fullmatch(rf"{_LITERAL}\s+in\s+owners", text):
        value = _unquote(m)
        return lambda s, f: f.owner == value
    if m := re.fullmatch(r"trashed\s*(=|!=)\s*(true|false)", text):
        wanted = (m.group(2) == "true") == (m.group(1) == "=")
        return lambda s, f: f.trashed == wanted
    raise bad_request("Invalid Value", reason="invalid", location="q")


# ---- permissions --------------------------------------------------------------------------------


def create_permission(call: Call, file_id: str) -> dict[str, Any]:
    """permissions.create: who may share (``sharing.may_change_permissions``) with whom (``sharing.check_grantee``);
    the notification flag and message are recorded."""
    file = all_drives(call, call.state.drive_file(file_id, call.user))
    if not may_change_permissions(file, call.state.role(file, call.user)):
        raise refuse_insufficient()
    body = call.body or {}
    kind, role, email = body.get("type"), body.get("role"), body.get("emailAddress")
    if kind in ("user", "group") and not email:
        raise bad_request("The permission emailAddress field is required.", reason="required")
    if role == "owner":
        raise bad_request("the stand-in does not transfer ownership")
    notify = call.flag("sendNotificationEmail", default=kind in ("user", "group"))
    if email:
        check_grantee(call.state, file, call.user, str(email), notify)
    existing = next((p for p in file.permissions if email and p.email == email), None)
    if existing is not None:
        existing.role = str(role)
        return existing.resource()
    permission = Permission(person_id(email) if email else "anyoneWithLink", str(kind), str(role), email,
                            body.get("domain"), notify, call.one("emailMessage"), call.user)
    file.permissions.append(permission)
    if notify and email in call.state.realism.mail_fails_for:  # shared, yet answered as an error
        raise bad_request(SHARED_BUT_NO_MAIL.format(email=email), reason="invalidSharingRequest")
    return permission.resource()


def owner_permission(file: DriveFile) -> Permission:
    return Permission(person_id(file.owner), "user", "owner", file.owner)


def list_permissions(call: Call, file_id: str) -> dict[str, Any]:
    """The file's own permissions, then those it inherits from the folders above it (a shared drive's members
    among them): Drive lists both, telling them apart by ``permissionDetails`` ("whether the permissions on this
    item are inherited or are directly on this item", https://developers.google.com/drive/api/reference/rest/v3/permissions).
    Pages of 100 for every file: Drive returns a My Drive file's whole list unasked, but 100 in a shared drive."""
    file = all_drives(call, call.state.drive_file(file_id, call.user))
    own = [owner_permission(file)] * bool(file.owner) + file.permissions  # shared drives own their files
    everyone = [_detailed(p, None) for p in own] + _inherited(call, file, {(p.type, p.email) for p in own})
    size = int(call.one("pageSize") or 100)
    start = _page_start(call.one("pageToken"))
    out: dict[str, Any] = {"kind": "drive#permissionList", "permissions": everyone[start:start + size]}
    if start + size < len(everyone):
        out["nextPageToken"] = f"standin-page-{start + size}"
    return out


def _inherited(call: Call, file: DriveFile, listed: set[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """What each folder above ``file`` grants (nearest first), but for grantees ``listed`` already."""
    out: list[dict[str, Any]] = []
    seen, todo = {file.id}, list(file.parents)
    while todo:
        folder = call.state.files.get(todo.pop(0))
        if folder is None or folder.id in seen:
            continue
        seen.add(folder.id)
        for p in folder.permissions:
            if (p.type, p.email) not in listed:
                listed.add((p.type, p.email))
                out.append(_detailed(p, folder))
        todo += folder.parents
    return out


def _detailed(permission: Permission, source: DriveFile | None) -> dict[str, Any]:
    """The resource with its permissionDetails: on the file itself, or inherited from ``source``."""
    detail: dict[str, Any] = {"permissionType": "member" if source is not None and source.id == source.drive_id
                              else "file", "role": permission.role, "inherited": source is not None}
    if source is not None and source.drive_id:
        detail["inheritedFrom"] = source.id  # Drive fills it in for shared drive items only
    return {**permission.resource(), "permissionDetails": [detail]}


def delete_permission(call: Call, file_id: str, permission_id: str) -> None:
    """Whoever may share may also remove anyone but the owner (a writer another writer, where allowed)."""
    file = all_drives(call, call.state.drive_file(file_id, call.user))
    if not may_change_permissions(file, call.state.role(file, call.user)):
        raise refuse_insufficient()
    if file.owner and permission_id == person_id(file.owner):
        raise ApiError(403, "The owner of a file cannot be removed.", reason="cannotRemoveOwner")
    file.permissions.remove(_permission(file, permission_id))


def _permission(file: DriveFile, permission_id: str) -> Permission:
    for permission in [owner_permission(file), *file.permissions]:
        if permission.id == permission_id:
            return permission
    raise ApiError(404, f"Permission not found: {permission_id}.", reason="notFound", location="permissionId")
