"""Google Sheets and Drive: the only module that talks to Google (through gspread + google-auth).

Sheets API requests are paced under its quota (about 60 a minute per user; Drive's is far
larger and is not paced) and 429/5xx answers are retried with exponential backoff and full jitter, honouring Retry-After.
Credentials are never printed or logged: errors name the file, never its content.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gspread
from google.auth.exceptions import DefaultCredentialsError, GoogleAuthError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from requests import Response
from requests.exceptions import RequestException

from ..core.errors import ConfigError, ServiceError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


# ---- credentials ------------------------------------------------------------------------


def load_credentials(path: Path | None, *, token_cache: Path | None = None) -> Any:
    """Service-account key, authorized-user file, OAuth client file (browser consent), or ADC when ``path`` is None."""
    if path is None:
        try:
            import google.auth

            credentials, _project = google.auth.default(scopes=list(SCOPES))
            return credentials
        except DefaultCredentialsError as exc:
            raise ConfigError("no --credentials given and no Application Default Credentials found "
                              "(set GOOGLE_APPLICATION_CREDENTIALS or run `gcloud auth application-default login`)") from exc
    info = _read_json(path)
    try:
        if info.get("type") == "service_account":
            from google.oauth2 import service_account

            return service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
        if info.get("type") == "authorized_user":
            from google.oauth2.credentials import Credentials

            return Credentials.from_authorized_user_info(info, scopes=list(SCOPES))
        if "installed" in info or "web" in info:
            return _oauth_for_a_person(info, token_cache or path.with_name(path.stem + ".token.json"))
    except (ValueError, KeyError, GoogleAuthError) as exc:
        # The library's message can quote key material: name the problem, not the content.
        raise ConfigError(f"{path}: invalid credentials file ({type(exc).__name__})") from None
    raise ConfigError(f"{path}: not a service-account key, authorized-user file or OAuth client file "
                      "(expected \"type\": \"service_account\" or \"authorized_user\", or an \"installed\" client)")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: credentials file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(f"{path}: credentials file is not readable JSON") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: credentials file is not a JSON object")
    return data


def _oauth_for_a_person(client_config: Mapping[str, Any], token_cache: Path) -> Any:
    """OAuth consent in the browser once; the refresh token is cached (0600) for next time."""
    from google.oauth2.credentials import Credentials
    from gspread.auth import local_server_flow

    if token_cache.exists():
        return Credentials.from_authorized_user_file(str(token_cache), scopes=list(SCOPES))
    credentials = local_server_flow(dict(client_config), scopes=list(SCOPES))
    token_cache.write_text(credentials.to_json(), encoding="utf-8")
    token_cache.chmod(0o600)
    return credentials


# ---- pacing and retries -----------------------------------------------------------------


class Pacer:
    """Spaces requests evenly so a run stays under ``per_minute`` requests."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds spent waiting, for reports and benchmarks

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            delay = max(0.0, self._next - now)
            self._next = max(now, self._next) + self.interval
        if delay:
            self.waited += delay
            self._sleep(delay)


@dataclass
class RetryPolicy:
    attempts: int = 6
    base: float = 1.0  # seconds; doubles each attempt
    cap: float = 64.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = random.Random()

    def delay(self, attempt: int, response: Response | None) -> float:
        """Full jitter (AWS architecture blog), or the server's Retry-After when it gives one."""
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.cap)
        return self.rng.uniform(0, min(self.cap, self.base * 2**attempt))


class PacedHTTPClient(HTTPClient):
    """gspread's HTTP client with quota pacing, retries and a request count."""

    pacer: Pacer = Pacer(0)
    retry: RetryPolicy = RetryPolicy()
    retry_on: frozenset[int] = RETRY_STATUSES
    sent: int = 0

    def request(self, *args: Any, **kwargs: Any) -> Response:
        endpoint = str(kwargs.get("endpoint", args[1] if len(args) > 1 else ""))
        for attempt in range(self.retry.attempts):
            if endpoint.startswith(SHEETS):  # the tight quota is the Sheets API's; Drive's is 200x larger
                self.pacer.wait()
            self.sent += 1
            try:
                return super().request(*args, **kwargs)
            except APIError as exc:
                if not self._retryable(exc) or attempt == self.retry.attempts - 1:
                    raise
                self.retry.sleep(self.retry.delay(attempt, exc.response))
            except RequestException:
                if attempt == self.retry.attempts - 1:
                    raise
                self.retry.sleep(self.retry.delay(attempt, None))
        raise AssertionError("unreachable")

    def _retryable(self, exc: APIError) -> bool:
        """429/5xx, and Drive's way of saying 429: 403 with a rate-limit reason."""
        if exc.code == 403:
            reasons = {e.get("reason") for e in exc.error.get("errors", []) if isinstance(e, dict)}
            return bool(reasons & {"userRateLimitExceeded", "rateLimitExceeded"}) and 429 in self.retry_on
        return exc.code in self.retry_on


# ---- the service ------------------------------------------------------------------------


class Sheets:
    """The few Sheets/Drive calls the tool makes, each one HTTP request (plus retries)."""

    def __init__(self, credentials: Any, *, session: Any = None, per_minute: float = 55,
                 retry: RetryPolicy | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = gspread.Client(credentials, session=session, http_client=PacedHTTPClient)
        http = self.client.http_client
        assert isinstance(http, PacedHTTPClient)
        self.http = http
        self.http.retry = retry or RetryPolicy()
        self.http.pacer = Pacer(per_minute, clock=clock, sleep=self.http.retry.sleep)

    @property
    def requests_sent(self) -> int:
        return self.http.sent

    def _call(self, what: str, method: str, url: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, url, **kwargs)
        except APIError as exc:
            raise ServiceError(f"Google API refused to {what}: HTTP {exc.code}: {exc.error.get('message', '')}") from exc
        except RequestException as exc:
            raise ServiceError(f"cannot reach Google to {what}: {type(exc).__name__}") from exc
        return response.json() if response.content else {}

    def find_in_folder(self, folder_id: str, name: str) -> str | None:
        """Id of the (non-trashed) spreadsheet called ``name`` in the folder, if any."""
        q = (f"name = '{_q(name)}' and '{_q(folder_id)}' in parents and mimeType = '{SPREADSHEET_MIME}' "
             "and trashed = false")
        found = self._call(f"look for {name!r}", "get", DRIVE_FILES,
                           params={"q": q, "fields": "files(id,name)", "supportsAllDrives": True,
                                   "includeItemsFromAllDrives": True, "pageSize": 10})
        files = found.get("files", [])
        return str(files[0]["id"]) if files else None

    def create(self, folder_id: str, name: str) -> str:
        """Create the spreadsheet, exactly once.

        A 5xx may come after Google created the file, so a blind retry could make a
        second one: only 429 (refused before any work) is retried here; after any other
        failure the folder is searched for the file by name before giving up.
        """
        body = {"name": name, "mimeType": SPREADSHEET_MIME, "parents": [folder_id]}
        self.http.retry_on = frozenset({429})
        try:
            return str(self._call(f"create {name!r}", "post", DRIVE_FILES, json=body,
                                  params={"supportsAllDrives": True, "fields": "id"})["id"])
        except ServiceError:
            self.http.retry_on = RETRY_STATUSES
            found = self.find_in_folder(folder_id, name)
            if found is None:
                raise
            return found
        finally:
            self.http.retry_on = RETRY_STATUSES

    def sheet_titles(self, spreadsheet_id: str) -> list[tuple[int, str]]:
        meta = self._call("read the spreadsheet", "get", f"{SHEETS}/{spreadsheet_id}",
                          params={"fields": "sheets.properties(sheetId,title)"})
        return [(s["properties"]["sheetId"], s["properties"]["title"]) for s in meta.get("sheets", [])]

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> Any:
        return self._call("update the spreadsheet", "post", f"{SHEETS}/{spreadsheet_id}:batchUpdate",
                          json={"requests": requests})

    def share(self, file_id: str, email: str, *, notify: bool, message: str = "") -> None:
        params: dict[str, Any] = {"sendNotificationEmail": notify, "supportsAllDrives": True}
        if notify and message:
            params["emailMessage"] = message
        self._call(f"share with {email}", "post", f"{DRIVE_FILES}/{file_id}/permissions", params=params,
                   json={"type": "user", "role": "writer", "emailAddress": email})

    def read_grid(self, spreadsheet_id: str) -> dict[str, Any]:
        """Every sheet's entered and effective values, in one request."""
        fields = "sheets(properties(sheetId,title),data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue))))"
        return dict(self._call("read the spreadsheet", "get", f"{SHEETS}/{spreadsheet_id}",
                               params={"includeGridData": "true", "fields": fields}))


def connect(credentials_path: Path | None, *, per_minute: float = 55) -> tuple[Sheets, str]:
    """The service for a credentials file (or ADC), and the account that will own new files ("" if unknown)."""
    credentials = load_credentials(credentials_path)
    owner = str(getattr(credentials, "service_account_email", "") or "")
    return Sheets(credentials, per_minute=per_minute), owner


def _q(text: str) -> str:
    """Escape a value for a Drive query string literal."""
    return text.replace("\\", "\\\\").replace("'", "\\'")
