"""The Sheets and Drive calls the tool makes, and what their failures mean (sent by ``http``).

Faults that would fail every SE the same way (credentials refused or expired, scopes
missing, the service account without storage, the quota spent, the network down) raise
``StopRun``: the run stops at once with one line naming the cause and the fix, and the
saved state lets a rerun resume. A refusal about one request is ``Refused``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gspread
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError
from requests.exceptions import RequestException

from ..core.errors import ServiceError
from .credentials import (ADC_LOGIN, FILE_SCOPES, SCOPE_MODES, SCOPES, acting_as, adc_login, default_token_cache,
                          is_service_account, load_credentials)
from .http import RATE_LIMITS, RETRY_STATUSES, SHEETS, PacedHTTPClient, cannot_connect, error_reasons
from .quota import Clock, RetryPolicy, SheetsQuota
from .sharing import refusal_fix

__all__ = ["ADC_LOGIN", "SCOPES", "Sheets", "StopRun", "SetupError", "Unreachable", "RetryPolicy", "SheetsQuota", "connect"]

DRIVE = "https://www.googleapis.com/drive/v3"
DRIVE_FILES = f"{DRIVE}/files"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
TIMEOUT = (10.0, 120.0)  # connect, read: a dead network ends in an error, never a hang
STORAGE_FIX = ("the service account cannot own files in My Drive (403 storageQuotaExceeded: service accounts have "
               "no Drive storage). Fix: use a shared drive the service account is a member of (--folder <shared "
               "drive or a folder in it>), or domain-wide delegation (--impersonate user@your-domain), or sign in as a "
               "person with an OAuth client file (--credentials client_secret.json); see README 'Google Sheets'")


class StopRun(ServiceError):
    """A fault every further request would hit too: stop the whole run (state is kept)."""


class SetupError(StopRun):
    """Credentials, scopes, storage or folder access need fixing before anything can work."""

    exit_code = 2


class Unreachable(StopRun):
    """Google could not be reached (after retries)."""


class Refused(ServiceError):
    """Google answered with an error for this one request (this SE fails; the run goes on)."""

    def __init__(self, message: str, code: int, reasons: set[str], google_message: str) -> None:
        super().__init__(message)
        self.code, self.reasons, self.google_message = code, reasons, google_message


class ShareRefused(Refused):
    """Drive refused to share with one address for a reason about that address: ``fix`` says what to do."""

    def __init__(self, refused: Refused, fix: str) -> None:
        super().__init__(fix, refused.code, refused.reasons, refused.google_message)
        self.fix = fix


class QuotaExhausted(StopRun):
    """Google kept answering "too many requests" after every retry: the quota is spent for now."""


@dataclass(frozen=True)
class Folder:
    id: str
    name: str
    drive_id: str  # "" in My Drive


MY_DRIVE = Folder("root", "My Drive", "")  # Drive's alias for the signed-in account's My Drive


class Sheets:
    """The few Sheets/Drive calls the tool makes, each one HTTP request (plus retries)."""

    def __init__(self, credentials: Any, *, session: Any = None, per_minute: float = 55,
                 retry: RetryPolicy | None = None, clock: Clock = time.monotonic, quota: SheetsQuota | None = None,
                 sign_in_fix: str = "") -> None:
        self.client = gspread.Client(credentials, session=session, http_client=PacedHTTPClient)
        http = self.client.http_client
        assert isinstance(http, PacedHTTPClient)
        self.http = http
        self.http.timeout = TIMEOUT
        self.http.retry = retry or RetryPolicy()
        self.http.quota = quota or SheetsQuota(per_minute, clock=clock, sleep=self.http.retry.sleep)
        self.acting_as = acting_as(credentials)
        asked = set(getattr(credentials, "scopes", None) or ())
        self.files_only = FILE_SCOPES[1] in asked and SCOPES[1] not in asked  # --scope drive.file
        self.service_account = is_service_account(credentials)
        self.sign_in_fix = sign_in_fix or _default_fix(credentials)

    @property
    def requests_sent(self) -> int:
        return self.http.sent

    @property
    def quota_waited(self) -> float:
        return self.http.quota.waited

    def _call(self, what: str, method: str, url: str, *, retry_on: frozenset[int] = RETRY_STATUSES,
              **kwargs: Any) -> Any:
        try:
            response = self.http.send(method, url, retry_on, **kwargs)
        except APIError as exc:
            raise self._refused(what, exc) from None
        except RefreshError as exc:
            raise SetupError(f"Google refused to renew the sign-in ({_oauth_code(exc)}) while trying to {what}; "
                             f"fix: {self.sign_in_fix}; then rerun the same command (finished spreadsheets are kept)"
                             ) from None
        except (RequestException, TransportError) as exc:
            why = cannot_connect(exc) or f"{type(exc).__name__}, after retries"
            raise Unreachable(f"cannot reach Google to {what} ({why}); check the network or proxy, then rerun "
                              "the same command (finished spreadsheets are kept)") from None
        return response.json() if response.content else {}

    def _refused(self, what: str, exc: APIError) -> ServiceError:
        message = str((exc.error or {}).get("message", "")) if isinstance(exc.error, dict) else ""
        reasons = error_reasons(exc)
        if "storageQuotaExceeded" in reasons:
            return SetupError(STORAGE_FIX)
        if "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in reasons or "insufficient authentication scopes" in message:
            return SetupError(f"the credentials lack the Sheets and Drive scopes (403 ACCESS_TOKEN_SCOPE_INSUFFICIENT) "
                              f"while trying to {what}; fix: {self.sign_in_fix} (with both scopes)")
        if "insufficientFilePermissions" in reasons and what.startswith("create"):
            return SetupError(f"{self.acting_as or 'the signed-in account'} may not add files to the folder "
                              "(403 insufficientFilePermissions); share the folder with it as Editor, or add it to "
                              "the shared drive as Content manager")
        if exc.code == 401:
            return SetupError(f"Google no longer accepts these credentials (HTTP 401) while trying to {what}; "
                              f"fix: {self.sign_in_fix}")
        if exc.code == 429 or (exc.code == 403 and reasons & RATE_LIMITS):
            return QuotaExhausted(f"Google's quota is spent: it still answered \"too many requests\" (HTTP "
                                  f"{exc.code}) after every retry while trying to {what}; wait a few minutes, or "
                                  "lower --rate, then rerun the same command (finished spreadsheets are kept)")
        return Refused(f"Google API refused to {what}: HTTP {exc.code}: {message}", exc.code, reasons, message)

    # ---- Drive ------------------------------------------------------------------------------

    def whoami(self) -> str:
        """The signed-in account's address (one Drive request), for protected-range editors."""
        found = self._call("read the signed-in account", "get", f"{DRIVE}/about", params={"fields": "user(emailAddress)"})
        self.acting_as = self.acting_as or str(found.get("user", {}).get("emailAddress", ""))
        return self.acting_as

    def file_info(self, file_id: str, fields: str, what: str = "open a file") -> dict[str, Any] | None:
        """The file's ``fields``, or None when the signed-in account cannot see it (404) or read it (403)."""
        try:
            return dict(self._call(what, "get", f"{DRIVE_FILES}/{file_id}",
                                   params={"fields": fields, "supportsAllDrives": True}))
        except Refused as exc:
            if exc.code in (403, 404):
                return None
            raise

    def folder(self, folder_id: str) -> Folder:
        """The target folder, and its shared drive if in one; a clear setup error when it is not reachable."""
        who = self.acting_as or "the signed-in account"
        try:
            found = self.file_info(folder_id, "id,name,mimeType,driveId", "open the folder")
        except StopRun:
            raise
        except ServiceError as exc:
            raise SetupError(f"--folder {folder_id}: cannot open it as {who} ({exc})") from None
        if found is None and self.files_only:
            raise SetupError(f"--folder {folder_id}: not visible with --scope drive.file, which sees only the files "
                             "ladder-sheets made: leave out --folder (push then makes the quarter's folder), or use "
                             "--scope drive")
        if found is None:
            raise SetupError(f"--folder {folder_id}: not found or not shared with {who}; share the folder "
                             "(or add the account to the shared drive) as a writer / Content manager")
        if found.get("mimeType") != FOLDER_MIME:
            raise SetupError(f"--folder {folder_id}: {found.get('name')!r} is not a folder")
        return Folder(str(found["id"]), str(found.get("name", "")), str(found.get("driveId") or ""))

    def permissions(self, file_id: str) -> dict[str, str]:
        """Who has access to the file, as Drive lists it (all pages): address -> role. A link or a domain
        open to all is named in words: "anyone with the link", "anyone at example.com"."""
        params: dict[str, Any] = {"fields": "nextPageToken,permissions(type,emailAddress,domain,role)",
                                  "supportsAllDrives": True}
        out: dict[str, str] = {}
        while True:  # in a shared drive Drive lists at most 100 a page
            page = self._call("read who has access", "get", f"{DRIVE_FILES}/{file_id}/permissions", params=params)
            out |= {_grantee(p): str(p.get("role", "")) for p in page.get("permissions", []) if _grantee(p)}
            if not page.get("nextPageToken"):
                return out
            params["pageToken"] = page["nextPageToken"]

    def spreadsheets_named(self, text: str) -> list[dict[str, Any]]:
        """Every spreadsheet the signed-in account can see whose name holds ``text`` (all pages): id,
        name, owners and link of each. Drive names a copy "Copy of <name>", so copies are among them."""
        q = f"name contains '{_q(text)}' and mimeType = '{SPREADSHEET_MIME}' and trashed = false"
        params: dict[str, Any] = {"q": q, "fields": "nextPageToken,files(id,name,owners(emailAddress),webViewLink)",
                                  "supportsAllDrives": True, "includeItemsFromAllDrives": True, "pageSize": 1000}
        files: list[dict[str, Any]] = []
        while True:
            page = self._call(f"look for spreadsheets named {text!r}", "get", DRIVE_FILES, params=params)
            files += [dict(f) for f in page.get("files", []) if text in str(f.get("name", ""))]
            if not page.get("nextPageToken"):
                return files
            params["pageToken"] = page["nextPageToken"]

    def find_in_folder(self, folder: Folder, name: str, mime: str = SPREADSHEET_MIME, *,
                       lag_waits: tuple[float, ...] = ()) -> str | None:
        """Id of the (non-trashed) file called ``name`` in the folder, if any.

        Drive's search lags a few seconds behind a create: with ``lag_waits`` a miss is
        asked again after each wait before it counts.
        """
        for wait in lag_waits:
            found = self._find(folder, name, mime)
            if found is not None:
                return found
            self.http.retry.sleep(wait)
        return self._find(folder, name, mime)

    def _find(self, folder: Folder, name: str, mime: str) -> str | None:
        q = f"name = '{_q(name)}' and '{_q(folder.id)}' in parents and mimeType = '{mime}' and trashed = false"
        params: dict[str, Any] = {"q": q, "fields": "files(id,name)", "supportsAllDrives": True,
                                  "includeItemsFromAllDrives": True, "pageSize": 10}
        if folder.drive_id:
            params |= {"corpora": "drive", "driveId": folder.drive_id}
        files = self._call(f"look for {name!r}", "get", DRIVE_FILES, params=params).get("files", [])
        return str(files[0]["id"]) if files else None

    def create(self, folder: Folder, name: str, mime: str = SPREADSHEET_MIME,
               lag_waits: tuple[float, ...] = (2.0, 4.0, 8.0)) -> str:
        """Create the file, exactly once.

        A 5xx (or a lost answer) may come after Google created the file, so a blind retry
        could make a second one: only 429 (refused before any work) is retried here; after
        any other failure the folder is searched by name. Drive's search lags behind a
        create by a few seconds, so it is asked again after ``lag_waits`` before giving up.
        """
        body: dict[str, Any] = {"name": name, "mimeType": mime, "parents": [folder.id]}
        if not folder.drive_id:
            body["writersCanShare"] = False  # My Drive: SEs (writers) cannot re-share; not used in shared drives
        try:
            return str(self._call(f"create {name!r}", "post", DRIVE_FILES, json=body, retry_on=frozenset({429}),
                                  params={"supportsAllDrives": True, "fields": "id"})["id"])
        except StopRun:
            raise
        except ServiceError:
            found = self.find_in_folder(folder, name, mime, lag_waits=lag_waits)
            if found is None:
                raise
            return found

    def share(self, file_id: str, email: str, *, notify: bool, message: str = "") -> str:
        """Give ``email`` write access; "" on success, a warning when Drive shared but could not send the email.

        Raises ``ShareRefused`` (with the fix) when Drive refuses for a reason about that address.
        """
        params: dict[str, Any] = {"sendNotificationEmail": notify, "supportsAllDrives": True}
        if notify and message:
            params["emailMessage"] = message
        try:
            self._call(f"share with {email}", "post", f"{DRIVE_FILES}/{file_id}/permissions", params=params,
                       json={"type": "user", "role": "writer", "emailAddress": email})
        except Refused as exc:
            # Drive documents 400 invalidSharingRequest for sharing that succeeded but whose notification
            # email could not be sent (https://developers.google.com/drive/api/guides/handle-errors): a success.
            said = exc.google_message.lower()
            if "invalidSharingRequest" in exc.reasons and ("successfully shared" in said or "sharing succeeded" in said):
                return f"shared with {email}, but Google could not send the notification email"
            fix = refusal_fix(exc.reasons, email)
            if fix:
                raise ShareRefused(exc, fix) from None
            raise
        return ""

    def delete(self, file_id: str) -> None:
        self._call("delete a file", "delete", f"{DRIVE_FILES}/{file_id}", params={"supportsAllDrives": True})

    def trash(self, file_id: str) -> None:
        """Move to the trash: what a shared drive's Content manager may do where only a Manager may delete."""
        self._call("move a file to the trash", "patch", f"{DRIVE_FILES}/{file_id}", json={"trashed": True},
                   params={"supportsAllDrives": True, "fields": "id,trashed"})

    # ---- Sheets -----------------------------------------------------------------------------

    def sheet_titles(self, spreadsheet_id: str) -> list[tuple[int, str]]:
        meta = self._call("read the spreadsheet", "get", f"{SHEETS}/{spreadsheet_id}",
                          params={"fields": "sheets.properties(sheetId,title)"})
        return [(s["properties"]["sheetId"], s["properties"]["title"]) for s in meta.get("sheets", [])]

    def type_values(self, spreadsheet_id: str, cells: dict[str, Any]) -> None:
        """Type values into cells ("'Sheet'!B2" -> value) as a person would (USER_ENTERED), in one request."""
        body = {"valueInputOption": "USER_ENTERED", "data": [{"range": a1, "values": [[v]]} for a1, v in cells.items()]}
        self._call("type into the spreadsheet", "post", f"{SHEETS}/{spreadsheet_id}/values:batchUpdate", json=body)

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> Any:
        return self._call("update the spreadsheet", "post", f"{SHEETS}/{spreadsheet_id}:batchUpdate",
                          json={"requests": requests})

    def read_grid(self, spreadsheet_id: str) -> dict[str, Any]:
        """Every sheet's entered and effective values and its protected ranges, in one request."""
        fields = ("sheets(properties(sheetId,title),protectedRanges(range,editors,warningOnly,unprotectedRanges),"
                  "data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue,dataValidation(condition)))))")
        return dict(self._call("read the spreadsheet", "get", f"{SHEETS}/{spreadsheet_id}",
                               params={"includeGridData": "true", "fields": fields}))


def _oauth_code(exc: RefreshError) -> str:
    """The OAuth error code only (invalid_grant, unauthorized_client...): the rest may quote the response."""
    found = re.search(r"\b(invalid_grant|unauthorized_client|invalid_client|invalid_scope|access_denied|"
                      r"deleted_client|disabled_client)\b", str(exc))
    return found.group(1) if found else type(exc).__name__


def _default_fix(credentials: Any, scope: str = "drive") -> str:
    if getattr(credentials, "_subject", None):
        return ("in the Google Admin console (Security > API controls > Domain-wide delegation) allow this service "
                f"account's client id the scopes {','.join(SCOPE_MODES[scope])}, and check the --impersonate user "
                "exists")
    if getattr(credentials, "service_account_email", ""):
        return "the service-account key was deleted or disabled: create a new key and pass it with --credentials"
    return f"sign in again (delete the cached token file, or run `{adc_login(scope)}` for Application Default Credentials)"


def connect(credentials_path: Path | None, *, per_minute: float = 55, impersonate: str = "",
            token_cache: Path | None = None, scope: str = "drive") -> Sheets:
    """The service for a credentials file (or ADC), with the scopes of ``scope`` ("drive" or "drive.file").

    ``token_cache`` keeps a second person's sign-in apart from the first's.
    """
    credentials = load_credentials(credentials_path, impersonate=impersonate, token_cache=token_cache, scope=scope)
    fix = ""
    if credentials_path is not None and not getattr(credentials, "service_account_email", ""):
        cache = token_cache or default_token_cache(credentials_path, scope)
        fix = (f"sign in again: delete {cache} and rerun (OAuth apps in 'Testing' status get refresh tokens that "
               "expire after 7 days: publish the app to avoid this)") if cache.exists() else \
              f"sign in again and save a fresh authorized-user file at {credentials_path}"
    elif credentials_path is None:
        fix = f"run `{adc_login(scope)}`"
    return Sheets(credentials, per_minute=per_minute, sign_in_fix=fix or _default_fix(credentials, scope))


def _q(text: str) -> str:
    """Escape a value for a Drive query string literal."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _grantee(permission: Mapping[str, Any]) -> str:
    """Who a Drive permission lets in: an address, or a link or domain open to all ("" for none of these)."""
    if permission.get("type") == "anyone":
        return "anyone with the link"
    if permission.get("type") == "domain":
        return f"anyone at {permission.get('domain', '')}"
    return str(permission.get("emailAddress") or "").lower()
