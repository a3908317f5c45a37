"""A local, stateful stand-in for the parts of Google Sheets v4, Drive v3 and OAuth that ladder-sheets calls.

Started on 127.0.0.1 by the tests; gspread's real client code talks to it through a
``requests`` transport adapter mounted on the AuthorizedSession (no gspread internals
patched). It keeps files, permissions, sheets, cells, validation, protected ranges,
conditional formats and named ranges; checks request bodies against Google's discovery
documents; verifies service-account JWTs; enforces permissions, protected ranges and
strict validation on writes; counts requests; and injects 429/5xx faults on demand.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt
from google.auth.transport.requests import AuthorizedSession, Request
from requests.adapters import HTTPAdapter

from tests.support import discovery

TOKEN_URI = "https://oauth2.googleapis.com/token"
SHEET_MIME = "application/vnd.google-apps.spreadsheet"
_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int
    user: str


@dataclass
class Fault:
    status: int
    times: int
    match: str
    after: bool = False  # do the work, then answer with the error (a lost response)


@dataclass
class Sheet:
    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    protected: list[dict[str, Any]] = field(default_factory=list)
    conditional: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    dimensions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class File:
    id: str
    name: str
    owner: str
    parents: list[str]
    mime: str = SHEET_MIME
    trashed: bool = False
    permissions: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    named: list[dict[str, Any]] = field(default_factory=list)


class GoogleStandIn:
    """The server's state and behaviour; ``url`` once started."""

    def __init__(self) -> None:
        self.files: dict[str, File] = {}
        self.log: list[Logged] = []
        self.faults: list[Fault] = []
        self._keys: dict[str, bytes] = {}  # private_key_id -> public PEM
        self._tokens: dict[str, str] = {}  # access token -> email
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self.url = ""

    # ---- helpers for tests -------------------------------------------------------------

    def service_account(self, email: str) -> dict[str, Any]:
        """A service-account key file (dict) whose public key the stand-in trusts."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_id = secrets.token_hex(8)
        self._keys[key_id] = key.public_key().public_bytes(serialization.Encoding.PEM,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return {"type": "service_account", "project_id": "standin", "private_key_id": key_id, "private_key": pem,
                "client_email": email, "client_id": "1", "token_uri": TOKEN_URI}

    def session(self, credentials: Any) -> AuthorizedSession:
        """An AuthorizedSession whose requests (token refresh included) all go to this server."""
        plain = requests.Session()
        adapter = _Loopback(self.url)
        plain.mount("https://", adapter)
        session = AuthorizedSession(credentials, auth_request=Request(session=plain))
        session.mount("https://", adapter)
        return session

    def inject(self, status: int, times: int = 1, match: str = "", *, after: bool = False) -> None:
        """Answer the next ``times`` requests whose path contains ``match`` with ``status``.

        With ``after``, the request is carried out first and only its answer is lost, as
        when a connection drops after Google did the work.
        """
        with self._lock:
            self.faults.append(Fault(status, times, match, after))

    def count(self, method: str = "", path: str = "", user: str = "") -> int:
        return sum(1 for e in self.log if (not method or e.method == method) and path in e.path
                   and (not user or e.user == user) and e.path != "/token")

    def sheet(self, file_id: str, title: str) -> Sheet:
        return next(s for s in self.files[file_id].sheets if s.properties["title"] == title)

    def set_effective(self, file_id: str, title: str, ref: str, value: Any) -> None:
        """What a formula cell evaluates to (the stand-in does not evaluate formulas)."""
        r, c = _cell(ref)
        self.sheet(file_id, title).cells.setdefault((r, c), {})["effectiveValue"] = _typed(value)

    # ---- dispatch ---------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, list[str]], raw: bytes, auth: str) -> tuple[int, dict[str, str], Any]:
        body: Any = None
        user = ""
        try:
            if path == "/token":
                return 200, {}, self._token(raw)
            body = json.loads(raw) if raw else None
            user = self._tokens.get(auth.removeprefix("Bearer ").strip(), "")
            if not user:
                raise ApiError(401, "Request had invalid authentication credentials.")
            with self._lock:
                fault = next((f for f in self.faults if f.times > 0 and f.match in path), None)
                if fault:
                    fault.times -= 1
                    if fault.after:
                        self._route(method, path, query, body, user)
                    raise ApiError(fault.status, "Quota exceeded" if fault.status == 429 else "Backend Error")
                result = self._route(method, path, query, body, user)
            self._record(method, path, query, body, 200, user)
            return 200, {}, result
        except ApiError as exc:
            self._record(method, path, query, body, exc.code, user)
            headers = {"Retry-After": "1"} if exc.code == 429 else {}
            return exc.code, headers, {"error": {"code": exc.code, "message": exc.message,
                                                 "status": _STATUS.get(exc.code, "UNKNOWN")}}

    def _record(self, method: str, path: str, query: dict[str, list[str]], body: Any, status: int, user: str) -> None:
        with self._lock:
            self.log.append(Logged(method, path, query, body, status, user))

    def _token(self, raw: bytes) -> dict[str, Any]:
        form = parse_qs(raw.decode())
        try:
            claims = jwt.decode(form["assertion"][0], certs=self._keys, audience=TOKEN_URI)
        except Exception as exc:  # noqa: BLE001 - any bad assertion is an invalid grant
            raise ApiError(400, f"invalid_grant: {exc}") from exc
        token = secrets.token_urlsafe(16)
        self._tokens[token] = claims["iss"]
        return {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any, user: str) -> Any:
        routes: list[tuple[str, str, Callable[..., Any]]] = [
            ("POST", r"/drive/v3/files", self._create_file),
            ("GET", r"/drive/v3/files", self._list_files),
            ("GET", r"/drive/v3/files/([^/]+)", self._get_file),
            ("DELETE", r"/drive/v3/files/([^/]+)", self._delete_file),
            ("POST", r"/drive/v3/files/([^/]+)/permissions", self._add_permission),
            ("GET", r"/drive/v3/files/([^/]+)/permissions", self._list_permissions),
            ("GET", r"/v4/spreadsheets/([^/:]+)", self._get_spreadsheet),
            ("POST", r"/v4/spreadsheets/([^/:]+):batchUpdate", self._batch_update),
            ("PUT", r"/v4/spreadsheets/([^/:]+)/values/(.+)", self._put_values),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(*map(unquote, match.groups()), query=query, body=body, user=user)
        raise ApiError(404, f"the stand-in has no {method} {path}")

    # ---- Drive ------------------------------------------------------------------------

    def _file(self, file_id: str, user: str, need: str = "reader") -> File:
        f = self.files.get(file_id)
        if f is None or f.trashed or self._role(f, user) is None:
            raise ApiError(404, f"File not found: {file_id}.")
        order = ["reader", "commenter", "writer", "owner"]
        if order.index(self._role(f, user) or "reader") < order.index(need):
            raise ApiError(403, f"The caller does not have permission ({need} needed on {file_id})")
        return f

    @staticmethod
    def _role(f: File, user: str) -> str | None:
        if user == f.owner:
            return "owner"
        return next((p["role"] for p in f.permissions if p.get("emailAddress") == user), None)

    def _create_file(self, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        _valid("drive.v3", "File", body)
        if body.get("mimeType") != SHEET_MIME:
            raise ApiError(400, "the stand-in only creates spreadsheets")
        f = File(f"sheet{next(self._ids):04d}{secrets.token_hex(4)}", body.get("name", "Untitled"), user,
                 list(body.get("parents", [])))
        f.sheets.append(Sheet({"sheetId": 0, "title": "Sheet1", "index": 0,
                               "gridProperties": {"rowCount": 1000, "columnCount": 26}}))
        self.files[f.id] = f
        return {"kind": "drive#file", "id": f.id, "name": f.name, "mimeType": f.mime}

    def _list_files(self, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        clauses = [c.strip() for c in query.get("q", [""])[0].split(" and ") if c.strip()]
        found = [f for f in self.files.values() if self._role(f, user) and all(_matches(f, c) for c in clauses)]
        return {"files": [{"id": f.id, "name": f.name} for f in found]}

    def _get_file(self, file_id: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        f = self._file(file_id, user)
        return {"id": f.id, "name": f.name, "mimeType": f.mime, "parents": f.parents}

    def _delete_file(self, file_id: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        self._file(file_id, user, "owner").trashed = True
        return {}

    def _add_permission(self, file_id: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        _valid("drive.v3", "Permission", body)
        f = self._file(file_id, user, "writer")
        notify = query.get("sendNotificationEmail", ["true"])[0].lower() != "false"
        existing = next((p for p in f.permissions if p.get("emailAddress") == body.get("emailAddress")), None)
        if existing:
            existing["role"] = body["role"]
            return existing
        permission = {**body, "id": f"perm{next(self._ids)}", "notified": notify,
                      "emailMessage": query.get("emailMessage", [""])[0]}
        f.permissions.append(permission)
        return {k: v for k, v in permission.items() if k not in ("notified", "emailMessage")}

    def _list_permissions(self, file_id: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        f = self._file(file_id, user)
        return {"permissions": [{"id": "owner", "type": "user", "role": "owner", "emailAddress": f.owner}, *f.permissions]}

    # ---- Sheets -----------------------------------------------------------------------

    def _get_spreadsheet(self, file_id: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        f = self._file(file_id, user)
        grid = query.get("includeGridData", ["false"])[0].lower() == "true"
        sheets = []
        for s in f.sheets:
            out: dict[str, Any] = {"properties": s.properties, "protectedRanges": s.protected,
                                   "conditionalFormats": s.conditional, "merges": s.merges}
            if grid:
                out["data"] = [_grid_data(s)]
            sheets.append(out)
        return {"spreadsheetId": f.id, "properties": {"title": f.name}, "sheets": sheets, "namedRanges": f.named}

    def _batch_update(self, file_id: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        _valid("sheets.v4", "BatchUpdateSpreadsheetRequest", body)
        f = self._file(file_id, user, "writer")
        draft = copy.deepcopy(f)  # all or nothing, as Google applies a batch
        replies = []
        for i, request in enumerate(body.get("requests", [])):
            if len(request) != 1:
                raise ApiError(400, f"Invalid requests[{i}]: exactly one kind of request must be set")
            (kind, spec), = request.items()
            apply = getattr(self, f"_do_{kind}", None)
            if apply is None:
                raise ApiError(400, f"requests[{i}].{kind}: not supported by the stand-in")
            replies.append(apply(draft, spec, user) or {})
        self.files[file_id] = draft
        return {"spreadsheetId": file_id, "replies": replies}

    def _sheet_by_id(self, f: File, sheet_id: int) -> Sheet:
        for s in f.sheets:
            if s.properties["sheetId"] == sheet_id:
                return s
        raise ApiError(400, f"No grid with id: {sheet_id}")

    def _do_updateSheetProperties(self, f: File, spec: dict[str, Any], user: str) -> None:
        sheet = self._sheet_by_id(f, spec["properties"]["sheetId"])
        for name in spec["fields"].split(","):
            sheet.properties[name] = spec["properties"].get(name)

    def _do_addSheet(self, f: File, spec: dict[str, Any], user: str) -> Any:
        props = dict(spec.get("properties", {}))
        props.setdefault("sheetId", next(self._ids))
        if any(s.properties["title"] == props.get("title") or s.properties["sheetId"] == props["sheetId"] for s in f.sheets):
            raise ApiError(400, f"Invalid requests: A sheet with the name \"{props.get('title')}\" already exists.")
        f.sheets.append(Sheet(props))
        return {"addSheet": {"properties": props}}

    def _do_updateCells(self, f: File, spec: dict[str, Any], user: str) -> None:
        start = spec["start"]
        sheet = self._sheet_by_id(f, start["sheetId"])
        fields = spec["fields"].split(",")
        for r, row in enumerate(spec.get("rows", []), start=start.get("rowIndex", 0)):
            for c, data in enumerate(row.get("values", []), start=start.get("columnIndex", 0)):
                self._check_protection(f, sheet, r, c, user)
                cell = sheet.cells.setdefault((r, c), {})
                for name in fields:
                    if name in data:
                        cell[name] = data[name]
                    else:
                        cell.pop(name, None)
                _settle(cell)

    def _do_updateDimensionProperties(self, f: File, spec: dict[str, Any], user: str) -> None:
        self._sheet_by_id(f, spec["range"]["sheetId"]).dimensions.append(spec)

    def _do_mergeCells(self, f: File, spec: dict[str, Any], user: str) -> None:
        self._sheet_by_id(f, spec["range"]["sheetId"]).merges.append(spec["range"])

    def _do_addConditionalFormatRule(self, f: File, spec: dict[str, Any], user: str) -> None:
        self._sheet_by_id(f, spec["rule"]["ranges"][0]["sheetId"]).conditional.append(spec["rule"])

    def _do_addNamedRange(self, f: File, spec: dict[str, Any], user: str) -> Any:
        named = dict(spec["namedRange"], namedRangeId=f"nr{next(self._ids)}")
        if any(n["name"] == named["name"] for n in f.named):
            raise ApiError(400, f"Invalid requests: named range {named['name']} already exists")
        f.named.append(named)
        return {"addNamedRange": {"namedRange": named}}

    def _do_addProtectedRange(self, f: File, spec: dict[str, Any], user: str) -> Any:
        protected = dict(spec["protectedRange"], protectedRangeId=next(self._ids))
        self._sheet_by_id(f, protected["range"]["sheetId"]).protected.append(protected)
        return {"addProtectedRange": {"protectedRange": protected}}

    def _check_protection(self, f: File, sheet: Sheet, r: int, c: int, user: str) -> None:
        if user == f.owner:
            return
        for p in sheet.protected:
            inside = _in(p["range"], r, c) and not any(_in(u, r, c) for u in p.get("unprotectedRanges", []))
            if inside and user not in p.get("editors", {}).get("users", []):
                raise ApiError(400, f"You are trying to edit a protected cell or object ({sheet.properties['title']} "
                                    f"row {r + 1} column {c + 1}). Please contact the spreadsheet owner.")

    def _put_values(self, file_id: str, a1: str, *, query: dict[str, list[str]], body: Any, user: str) -> Any:
        _valid("sheets.v4", "ValueRange", body)
        f = self._file(file_id, user, "writer")
        title, ref = a1.rsplit("!", 1)
        sheet = next((s for s in f.sheets if s.properties["title"] == title.strip("'")), None)
        if sheet is None:
            raise ApiError(400, f"Unable to parse range: {a1}")
        r0, c0 = _cell(ref.split(":")[0])
        entered = query.get("valueInputOption", ["RAW"])[0] == "USER_ENTERED"
        for dr, row in enumerate(body.get("values", [])):
            for dc, value in enumerate(row):
                r, c = r0 + dr, c0 + dc
                self._check_protection(f, sheet, r, c, user)
                cell = sheet.cells.setdefault((r, c), {})
                typed = _user_entered(value) if entered else _typed(value)
                _check_validation(cell, typed, title, r, c)
                cell["userEnteredValue"] = typed
                _settle(cell)
        return {"spreadsheetId": file_id, "updatedRange": a1}


# ---- pure helpers ---------------------------------------------------------------------------


def _valid(api: str, schema: str, body: Any) -> None:
    problems = discovery.validate(api, schema, body)
    if problems:
        raise ApiError(400, "Invalid JSON payload received. " + "; ".join(problems[:5]))


def _cell(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not match:
        raise ApiError(400, f"Unable to parse range: {ref}")
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def _in(grid: dict[str, Any], r: int, c: int) -> bool:
    return (grid.get("startRowIndex", 0) <= r < grid.get("endRowIndex", 10**9)
            and grid.get("startColumnIndex", 0) <= c < grid.get("endColumnIndex", 10**9))


def _typed(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    return {"stringValue": str(value)}


def _user_entered(value: Any) -> dict[str, Any]:
    """USER_ENTERED: "=..." is a formula, numeric text a number, the rest text."""
    if isinstance(value, str):
        if value.startswith("="):
            return {"formulaValue": value}
        try:
            return {"numberValue": float(value)}
        except ValueError:
            return {"stringValue": value}
    return _typed(value)


def _settle(cell: dict[str, Any]) -> None:
    """A typed value is its own effective value; a formula keeps whatever was set for it."""
    entered = cell.get("userEnteredValue")
    if entered is None:
        cell.pop("effectiveValue", None)
    elif "formulaValue" not in entered:
        cell["effectiveValue"] = dict(entered)


def _check_validation(cell: dict[str, Any], typed: dict[str, Any], title: str, r: int, c: int) -> None:
    rule = cell.get("dataValidation")
    if not rule or not rule.get("strict"):
        return
    condition = rule["condition"]
    value = next(iter(typed.values()))
    allowed = [v["userEnteredValue"] for v in condition.get("values", [])]
    ok = True
    if condition["type"] == "ONE_OF_LIST":
        ok = str(value if not isinstance(value, float) or not value.is_integer() else int(value)) in allowed
    elif condition["type"] == "NUMBER_GREATER_THAN_EQ":
        ok = isinstance(value, (int, float)) and value >= float(allowed[0])
    if not ok:
        raise ApiError(400, f"Invalid value at '{title}'!R{r + 1}C{c + 1}: {value!r} violates the data validation rule")


def _grid_data(sheet: Sheet) -> dict[str, Any]:
    if not sheet.cells:
        return {"startRow": 0, "startColumn": 0, "rowData": []}
    rows = max(r for r, _ in sheet.cells) + 1
    cols = max(c for _, c in sheet.cells) + 1
    data = []
    for r in range(rows):
        values = [{k: v for k, v in sheet.cells.get((r, c), {}).items() if k in ("userEnteredValue", "effectiveValue")}
                  for c in range(cols)]
        data.append({"values": values})
    return {"startRow": 0, "startColumn": 0, "rowData": data}


def _matches(f: File, clause: str) -> bool:
    """The Drive query clauses gspread and ladder-sheets use."""
    quoted = r"""['"]((?:[^'"\\]|\\.)*)['"]"""
    if m := re.fullmatch(rf"name\s*=\s*{quoted}", clause):
        return f.name == m.group(1).replace("\\'", "'").replace("\\\\", "\\")
    if m := re.fullmatch(rf"mimeType\s*=\s*{quoted}", clause):
        return f.mime == m.group(1)
    if m := re.fullmatch(rf"{quoted}\s+in\s+parents", clause) or re.fullmatch(rf"parents\s+in\s+{quoted}", clause):
        return m.group(1) in f.parents
    if re.fullmatch(r"trashed\s*=\s*false", clause):
        return not f.trashed
    raise ApiError(400, f"Invalid Value: the stand-in cannot read the query clause {clause!r}")


class _Loopback(HTTPAdapter):
    """Sends https://<any google host>/<path> to http://127.0.0.1:<port>/<path>."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        request.url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, **kwargs)


class _Handler(BaseHTTPRequestHandler):
    api: GoogleStandIn

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, payload = self.api.handle(self.command, parts.path, parse_qs(parts.query), raw,
                                                   self.headers.get("Authorization", ""))
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def running() -> Iterator[GoogleStandIn]:
    """Serve a fresh stand-in on 127.0.0.1 (ephemeral port) for the duration of the block."""
    api = GoogleStandIn()
    handler = type("Handler", (_Handler,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
