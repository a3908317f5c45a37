"""HTTP side of the stand-in: routing, authentication, contract checks, faults, the request log.

``Dispatcher.handle`` turns one HTTP request into one answer; ``serve`` runs it on a
ThreadingHTTPServer bound to 127.0.0.1; ``RoutingAdapter`` is the ``requests`` transport
that sends Google's https hosts there (and refuses every other host, so a test can
never reach the network by accident).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from . import auth, batch, drive, rules, schema, sheets
from .call import Call
from .errors import ApiError, OAuthError, bad_request
from .model import State

GOOGLE_HOSTS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/", "https://oauth2.googleapis.com/")
_FILE_DEFAULT = "kind,id,name,mimeType"
_UNAUTHENTICATED_HEADERS = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'}
_FAULT_MESSAGES = {
    403: ("User Rate Limit Exceeded", "userRateLimitExceeded", "usageLimits"),
    429: ("Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service "
          "'{service}' for consumer 'project_number:0'.", "rateLimitExceeded", "usageLimits"),
    500: ("Internal error encountered.", "backendError", "global"),
    502: ("Bad Gateway", "backendError", "global"),
    503: ("The service is currently unavailable.", "backendError", "global"),
    504: ("Deadline exceeded.", "backendError", "global"),
}


class Recorded(NamedTuple):
    """One request as the stand-in saw it; ``user`` is the acting service account ("" if none)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int
    user: str
    api: str


class Seen(NamedTuple):
    """What a fault's ``match`` callable is shown."""

    method: str
    path: str
    query: dict[str, list[str]]


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with ``status`` (None: drop the connection)."""

    status: int | None
    times: int
    match: Callable[[Seen], bool]
    after_work: bool
    retry_after: int | None
    reason: str | None


@dataclass(frozen=True)
class Route:
    verb: str
    pattern: re.Pattern[str]
    api: str
    method_id: str
    handler: Callable[..., Any]
    default_fields: str | None = None


def _route(verb: str, pattern: str, method_id: str, handler: Callable[..., Any],
           default_fields: str | None = None) -> Route:
    return Route(verb, re.compile(pattern), method_id.split(".")[0], method_id, handler, default_fields)


_V = r"/v4/spreadsheets/([^/:]+)"
_F = r"/drive/v3/files"
ROUTES = (  # what ladder-sheets and its tests call, no more
    _route("GET", _V, "sheets.spreadsheets.get", sheets.get),
    _route("POST", _V + ":batchUpdate", "sheets.spreadsheets.batchUpdate", batch.batch_update),
    _route("POST", _V + "/values:batchUpdate", "sheets.spreadsheets.values.batchUpdate", sheets.values_batch_update),
    _route("PUT", _V + "/values/(.+)", "sheets.spreadsheets.values.update", sheets.values_update),
    _route("POST", _F, "drive.files.create", drive.create, _FILE_DEFAULT),
    _route("GET", r"/drive/v3/about", "drive.about.get", drive.about),
    _route("GET", _F, "drive.files.list", drive.list_files,
           "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"),
    _route("POST", _F + r"/([^/]+)/copy", "drive.files.copy", drive.copy_file, _FILE_DEFAULT),
    _route("GET", _F + r"/([^/]+)", "drive.files.get", drive.get, _FILE_DEFAULT),
    _route("PATCH", _F + r"/([^/]+)", "drive.files.update", drive.update, _FILE_DEFAULT),
    _route("DELETE", _F + r"/([^/]+)", "drive.files.delete", drive.delete),
    _route("POST", _F + r"/([^/]+)/permissions", "drive.permissions.create", drive.create_permission,
           "kind,id,type,role"),
    _route("GET", _F + r"/([^/]+)/permissions", "drive.permissions.list", drive.list_permissions),
    _route("DELETE", _F + r"/([^/]+)/permissions/([^/]+)", "drive.permissions.delete", drive.delete_permission),
)


@dataclass
class Answer:
    status: int
    payload: Any  # JSON-able, or None for an empty body
    headers: dict[str, str]
    drop: bool = False  # close the connection without answering


class Dispatcher:
    """Everything between the socket and the handlers; all state changes happen under ``lock``."""

    def __init__(self, state: State, authority: auth.Authority) -> None:
        self.state = state
        self.authority = authority
        self.lock = threading.RLock()
        self.log: list[Recorded] = []
        self.faults: list[Fault] = []

    def handle(self, verb: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        parts = urlsplit(target)
        path, query = unquote(parts.path), parse_qs(parts.query, keep_blank_values=True)
        with self.lock:
            if parts.path == "/token":
                return self._token(verb, path, query, raw)
            route, groups = _match(verb, parts.path)
            api = route.api if route else ("sheets" if path.startswith("/v4/") else "drive")
            seen = Seen(verb, path, query)
            body: Any = None
            user = ""
            try:
                grant = self.authority.grant(headers.get("authorization"))
                user = grant.email
                if api == "sheets" and (too_big := rules.payload_too_large(len(raw))):
                    raise bad_request(too_big)
                body = _json(raw)
                fault = self._take_fault(seen, api_call=True)
                if fault is not None and not fault.after_work:
                    return self._fault_answer(fault, seen, body, user, api)
                payload = self._run(route, groups, grant, query, body, path)
                if fault is not None:
                    return self._fault_answer(fault, seen, body, user, api)
            except ApiError as exc:
                self.log.append(Recorded(verb, path, query, body, exc.code, user, api))
                return Answer(exc.code, exc.body(api), _UNAUTHENTICATED_HEADERS if exc.code == 401 else {})
            status = 204 if payload is None else 200
            self.log.append(Recorded(verb, path, query, body, status, user, api))
            return Answer(status, payload, {})

    def _run(self, route: Route | None, groups: tuple[str, ...], grant: auth.Grant, query: dict[str, list[str]],
             body: Any, path: str) -> Any:
        if route is None:
            raise ApiError(404, f"The stand-in has no method at {path}.")
        reading = route.verb == "GET"
        if route.api == "sheets":
            auth.require_scope(grant, auth.SHEETS_READ_SCOPES if reading else auth.SHEETS_SCOPES)
        else:
            auth.require_scope(grant, auth.DRIVE_READ_SCOPES if reading else auth.DRIVE_SCOPES)
        schema.check_params(route.api, route.method_id, query)
        if route.api == "sheets":
            self.state.realism.spend(grant.email, "read" if reading else "write")
        spec = schema.method(route.api, route.method_id)
        if "request" in spec and body is not None and self.state.realism.check_bodies:
            schema.check_body(route.api, spec["request"]["$ref"], body)
        tree = self._mask(route, spec, query)
        self.state.app, self.state.app_files_only = grant.app, route.api == "drive" and grant.app_files_only
        try:
            payload = route.handler(Call(self.state, grant.email, query, body), *groups)
        finally:
            self.state.app, self.state.app_files_only = "", False
        return schema.apply_mask(payload, tree) if payload is not None else None

    @staticmethod
    def _mask(route: Route, spec: dict[str, Any], query: dict[str, list[str]]) -> schema.MaskTree | None:
        fields = query.get("fields", [None])[0]
        if fields:
            tree = schema.parse_mask(fields)
            schema.check_mask(route.api, spec["response"]["$ref"], tree)
            return tree
        return schema.parse_mask(route.default_fields) if route.default_fields else None

    def _token(self, verb: str, path: str, query: dict[str, list[str]], raw: bytes) -> Answer:
        fault = self._take_fault(Seen(verb, path, query), api_call=False)
        if fault is not None:
            return self._fault_answer(fault, Seen(verb, path, query), None, "", "oauth")
        try:
            payload = self.authority.token(raw)
        except OAuthError as exc:
            self.log.append(Recorded(verb, path, query, None, 400, "", "oauth"))
            return Answer(400, exc.body(), {})
        user = self.authority.grant("Bearer " + payload["access_token"]).email
        self.log.append(Recorded(verb, path, query, None, 200, user, "oauth"))
        return Answer(200, payload, {"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"})

    def _take_fault(self, seen: Seen, *, api_call: bool) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.match(seen) and (api_call or fault.match is not _any_api_call):
                fault.times -= 1
                return fault
        return None

    def _fault_answer(self, fault: Fault, seen: Seen, body: Any, user: str, api: str) -> Answer:
        """The injected answer, logged with its status (0 for a dropped connection)."""
        self.log.append(Recorded(seen.method, seen.path, seen.query, body, fault.status or 0, user, api))
        if fault.status is None:
            return Answer(0, None, {}, drop=True)
        message, reason, domain = _FAULT_MESSAGES.get(fault.status, ("Error", "backendError", "global"))
        service = "sheets.googleapis.com" if api == "sheets" else "drive.googleapis.com"
        error = ApiError(fault.status, message.format(service=service), reason=fault.reason or reason, domain=domain)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        return Answer(fault.status, error.body(api), headers)


def _any_api_call(seen: Seen) -> bool:
    """The default fault filter: every API request (token requests are left alone)."""
    return True


def fault_filter(match: str | Callable[[Seen], bool] | None) -> Callable[[Seen], bool]:
    """None: any API call; a string: a substring of "METHOD /path"; or a callable given a Seen."""
    if match is None:
        return _any_api_call
    if isinstance(match, str):
        return lambda seen: match in f"{seen.method} {seen.path}"
    return match


def _match(verb: str, raw_path: str) -> tuple[Route | None, tuple[str, ...]]:
    for route in ROUTES:
        found = route.pattern.fullmatch(raw_path)
        if found and route.verb == verb:
            return route, tuple(unquote(g) for g in found.groups())
    return None, ()


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Invalid JSON payload received. Unexpected token.") from None


# ---- HTTP -------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as with Google: fewer connections, faster tests
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this, 40 ms a request
    dispatcher: Dispatcher
    connections: set[socket.socket]

    def setup(self) -> None:
        super().setup()
        self.connections.add(self.request)

    def finish(self) -> None:
        self.connections.discard(self.request)
        super().finish()

    def _serve(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        latency = self.dispatcher.state.realism.latency
        if latency and not self.path.startswith("/token"):
            time.sleep(latency)  # outside the lock: calls overlap as they do against Google
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = self.dispatcher.handle(self.command, self.path, headers, raw)
        if answer.drop:
            self.close_connection = True
            return
        data = b"" if answer.payload is None else json.dumps(answer.payload, ensure_ascii=False).encode("utf-8")
        self.send_response(answer.status)
        if data:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Quiet: the request log is ``Dispatcher.log``."""


class Serving:
    """A running server on 127.0.0.1 (ephemeral port) and its thread."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.connections: set[socket.socket] = set()
        handler = type("StandInHandler", (_Handler,), {"dispatcher": dispatcher, "connections": self.connections})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       name="google-standin", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop accepting, then end idle keep-alive connections so no handler thread outlives the test."""
        self.httpd.shutdown()
        for connection in list(self.connections):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.httpd.server_close()
        self.thread.join(timeout=5)


# ---- the client side --------------------------------------------------------------------------------


class RoutingAdapter(HTTPAdapter):
    """Sends https://<Google host>/<path>?<query> to the stand-in, path and query unchanged."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        request.url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, *args, **kwargs)


class NoNetworkAdapter(HTTPAdapter):
    """Mounted for every other URL: a test must never leave the machine."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        raise requests.ConnectionError(f"the Google stand-in refuses {request.url}: no network in tests")


def mount(session: requests.Session, base_url: str) -> None:
    """Route Google's hosts to ``base_url``; refuse everything else."""
    session.mount("https://", NoNetworkAdapter())
    session.mount("http://", NoNetworkAdapter())
    adapter = RoutingAdapter(base_url)
    for host in GOOGLE_HOSTS:
        session.mount(host, adapter)
