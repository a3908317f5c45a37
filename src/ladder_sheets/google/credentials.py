"""Credentials for the three setups the README documents, in its order.

1. An OAuth user (a manager or SE Ops person): an OAuth *client* file (browser consent
   once) or an authorized-user file; files are owned by that person, so no storage problem.
   The refresh token is cached in a file created 0600, never world-readable even briefly.
2. A service account + a shared drive: files are owned by the shared drive. Service
   accounts have no Drive storage of their own and cannot own files in My Drive
   (403 storageQuotaExceeded; https://developers.google.com/drive/api/guides/about-shareddrives,
   burnash/gspread#1592).
3. A service account + domain-wide delegation (``--impersonate``): the service account acts
   as a Workspace user through google-auth's ``with_subject``; files are owned by that user.

Credentials are never printed or logged: errors name the file, never its content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from google.auth.exceptions import DefaultCredentialsError, GoogleAuthError

from ..core.errors import ConfigError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
# --scope drive.file: Drive access to the files this app created (or was given) only. A folder a
# person made is invisible under it, so push makes the quarter's folder itself.
FILE_SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.file")
SCOPE_MODES = {"drive": SCOPES, "drive.file": FILE_SCOPES}


def adc_login(scope: str = "drive") -> str:
    """The gcloud command that signs in with these scopes (gcloud refuses custom ADC scopes without cloud-platform)."""
    return ("gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform,"
            + ",".join(SCOPE_MODES[scope]))


ADC_LOGIN = adc_login()


def load_credentials(path: Path | None, *, token_cache: Path | None = None, impersonate: str = "",
                     scope: str = "drive") -> Any:
    """Service-account key, authorized-user file, OAuth client file (browser consent), or ADC when ``path`` is None.

    ``scope`` is "drive" or "drive.file" (``SCOPE_MODES``).
    """
    scopes = list(SCOPE_MODES[scope])
    if path is None:
        if impersonate:
            raise ConfigError("--impersonate needs --credentials with a service-account key (domain-wide delegation)")
        return _application_default(scope)
    info = _read_json(path)
    if impersonate and info.get("type") != "service_account":
        raise ConfigError(f"{path}: --impersonate needs a service-account key with domain-wide delegation, "
                          f"not a {info.get('type') or 'OAuth client'} file")
    try:
        if info.get("type") == "service_account":
            from google.oauth2 import service_account

            credentials = service_account.Credentials.from_service_account_info(info, scopes=scopes)
            return credentials.with_subject(impersonate) if impersonate else credentials
        if info.get("type") == "authorized_user":
            from google.oauth2.credentials import Credentials

            return Credentials.from_authorized_user_info(info, scopes=scopes)
        if "installed" in info or "web" in info:
            return _oauth_for_a_person(info, token_cache or default_token_cache(path, scope), scopes)
    except (ValueError, KeyError, GoogleAuthError) as exc:
        # The library's message can quote key material: name the problem, not the content.
        raise ConfigError(f"{path}: invalid credentials file ({type(exc).__name__})") from None
    raise ConfigError(f"{path}: not a service-account key, authorized-user file or OAuth client file "
                      "(expected \"type\": \"service_account\" or \"authorized_user\", or an \"installed\" client)")


def acting_as(credentials: Any) -> str:
    """The account that will own new files, when the credentials say ("" for an OAuth user: ask Drive)."""
    subject = getattr(credentials, "_subject", None)
    return str(subject or getattr(credentials, "service_account_email", "") or "")


def is_service_account(credentials: Any) -> bool:
    return bool(getattr(credentials, "service_account_email", "")) and not getattr(credentials, "_subject", None)


def default_token_cache(client_file: Path, scope: str = "drive") -> Path:
    """Where a person's sign-in is kept, one file per scope mode (a consent covers the scopes asked for)."""
    return client_file.with_name(client_file.stem + (".token.json" if scope == "drive" else ".drive-file.token.json"))


def _application_default(scope: str) -> Any:
    try:
        import google.auth

        credentials, _project = google.auth.default(scopes=list(SCOPE_MODES[scope]))
        return credentials
    except DefaultCredentialsError as exc:
        raise ConfigError("no --credentials given and no Application Default Credentials found "
                          f"(set GOOGLE_APPLICATION_CREDENTIALS or run `{adc_login(scope)}`)") from exc


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


def _oauth_for_a_person(client_config: Mapping[str, Any], token_cache: Path, scopes: list[str]) -> Any:
    """OAuth consent in the browser once; the refresh token is cached (0600 from creation) for next time."""
    from google.oauth2.credentials import Credentials
    from gspread.auth import local_server_flow

    if token_cache.exists():
        return Credentials.from_authorized_user_file(str(token_cache), scopes=scopes)
    credentials = local_server_flow(dict(client_config), scopes=scopes)
    write_private(token_cache, credentials.to_json())
    return credentials


def write_private(path: Path, text: str) -> None:
    """Write a secret: the file is created 0600 (not chmod-ed afterwards, which leaves a window)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode under O_CREAT: tighten it too
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
