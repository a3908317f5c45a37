"""OAuth2 for service accounts: the JWT-bearer grant google-auth sends, and the tokens it yields.

Keys come from ``cryptography`` (one RSA key per process, a key id per account); the stand-in keeps
only the public half and verifies each assertion's signature, issuer, audience and expiry, so a key it
never issued (or a tampered JWT) gets ``invalid_grant`` exactly as Google answers.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import exceptions as auth_exceptions
from google.auth import jwt

from .errors import ApiError, OAuthError

TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
REFRESH = "refresh_token"
UNAUTHORIZED_CLIENT = ("Client is unauthorized to retrieve access tokens using this method, or client not "
                       "authorized for any of the scopes requested.")
LIFETIME = 3600
OAUTH_CLIENT = "standin-client.apps.googleusercontent.com"  # the app people sign in to
SHEETS_SCOPES = frozenset({"https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive",
                           "https://www.googleapis.com/auth/drive.file"})
SHEETS_READ_SCOPES = SHEETS_SCOPES | {"https://www.googleapis.com/auth/spreadsheets.readonly",
                                      "https://www.googleapis.com/auth/drive.readonly"}
DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
DRIVE_SCOPES = frozenset({"https://www.googleapis.com/auth/drive", DRIVE_FILE})
DRIVE_READ_SCOPES = DRIVE_SCOPES | {"https://www.googleapis.com/auth/drive.readonly",
                                    "https://www.googleapis.com/auth/drive.metadata.readonly"}
UNAUTHENTICATED = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                   "or other valid authentication credential. See "
                   "https://developers.google.com/identity/sign-in/web/devconsole-project.")


@dataclass(frozen=True)
class Grant:
    """An issued access token: whose, for which scopes, until when (monotonic seconds)."""

    email: str
    scopes: frozenset[str]
    expires: float
    app: str = ""  # the OAuth client (or service account) the token was issued to

    @property
    def app_files_only(self) -> bool:
        """drive.file without a wider Drive scope: Drive shows this app the files it created, nothing else."""
        return DRIVE_FILE in self.scopes and not self.scopes & (DRIVE_READ_SCOPES - {DRIVE_FILE})


class Authority:
    """Registered service-account keys and the access tokens issued for them."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[str, bytes]] = {}  # private_key_id -> (client_email, public PEM)
        self._tokens: dict[str, Grant] = {}
        self._refresh: dict[str, tuple[str, frozenset[str], str]] = {}  # refresh token -> (person, scopes, client)
        self._delegation: dict[str, frozenset[str]] = {}  # service account -> scopes the admin console allows

    def new_user(self, email: str, scopes: frozenset[str]) -> dict[str, Any]:
        """An authorized-user file (what an OAuth consent yields) for a person who consented to ``scopes``."""
        refresh = "1//standin-" + secrets.token_urlsafe(24)
        self._refresh[refresh] = (email, frozenset(scopes), OAUTH_CLIENT)
        return {"type": "authorized_user", "client_id": OAUTH_CLIENT,
                "client_secret": "standin-secret", "refresh_token": refresh, "token_uri": TOKEN_URI}

    def revoke_refresh_tokens(self, email: str) -> None:
        """The person removed the app's access, or (Testing-status app) seven days passed."""
        self._refresh = {t: v for t, v in self._refresh.items() if v[0] != email}
        self._tokens = {t: g for t, g in self._tokens.items() if g.email != email}

    def allow_delegation(self, service_account: str, scopes: frozenset[str]) -> None:
        """Domain-wide delegation granted in the Admin console for the service account's client id."""
        self._delegation[service_account] = frozenset(scopes)

    def new_service_account(self, email: str) -> dict[str, Any]:
        """A key-file dict (as downloaded from Cloud Console) whose public key this authority trusts."""
        key = _signing_key()
        key_id = secrets.token_hex(20)
        public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        self._keys[key_id] = (email, public)
        private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        return {"type": "service_account", "project_id": "ladder-standin", "private_key_id": key_id,
                "private_key": private, "client_email": email,
                "client_id": str(int(hashlib.sha256(email.encode()).hexdigest()[:16], 16)),
                "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": TOKEN_URI,
                "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
                "universe_domain": "googleapis.com"}

    def token(self, form_body: bytes) -> dict[str, Any]:
        """POST /token: verify the assertion, issue an access token; OAuthError otherwise."""
        form = parse_qs(form_body.decode("utf-8", "replace"))
        if form.get("grant_type", [""])[0] == REFRESH:
            return self._refreshed(form.get("refresh_token", [""])[0])
        if form.get("grant_type", [""])[0] != JWT_BEARER:
            raise OAuthError("unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type", [""])[0])
        claims = self._verified(form.get("assertion", [""])[0])
        scopes = frozenset(str(claims.get("scope", "")).split())
        if not scopes:
            raise OAuthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        subject = str(claims.get("sub") or "")
        if subject and subject != claims["iss"]:  # domain-wide delegation: act as that user
            if not scopes <= self._delegation.get(str(claims["iss"]), frozenset()):
                raise OAuthError("unauthorized_client", UNAUTHORIZED_CLIENT)
            return self._issue(subject, scopes, str(claims["iss"]))
        return self._issue(str(claims["iss"]), scopes, str(claims["iss"]))

    def _issue(self, email: str, scopes: frozenset[str], app: str) -> dict[str, Any]:
        token = "ya29.standin-" + secrets.token_urlsafe(24)
        self._tokens[token] = Grant(email, scopes, time.monotonic() + LIFETIME, app)
        return {"access_token": token, "expires_in": LIFETIME, "token_type": "Bearer"}

    def _refreshed(self, refresh: str) -> dict[str, Any]:
        """A person's token: the scopes they consented to, whatever the refresh asks for (as Google does)."""
        found = self._refresh.get(refresh)
        if found is None:
            raise OAuthError("invalid_grant", "Token has been expired or revoked.")
        return self._issue(*found)

    def _verified(self, assertion: str) -> dict[str, Any]:
        try:
            header = jwt.decode_header(assertion)
            email, public = self._keys[str(header.get("kid"))]
            claims = dict(jwt.decode(assertion, certs={str(header["kid"]): public}, audience=TOKEN_URI))
        except (KeyError, ValueError, auth_exceptions.GoogleAuthError):
            raise OAuthError("invalid_grant", "Invalid JWT Signature.") from None
        if claims.get("iss") != email:
            raise OAuthError("invalid_grant", "Invalid JWT: the issuer does not own the signing key.")
        return claims

    def grant(self, authorization: str | None) -> Grant:
        """The grant behind an ``Authorization`` header; 401 like Google when missing or unknown."""
        scheme, _, token = (authorization or "").partition(" ")
        grant = self._tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if grant is None or grant.expires < time.monotonic():
            raise ApiError(401, UNAUTHENTICATED, reason="authError", location="Authorization")
        return grant

    def revoke_all(self) -> None:
        """Forget every token, as if they expired: clients must refresh (AuthorizedSession does, on 401)."""
        self._tokens.clear()


@cache
def _signing_key() -> rsa.RSAPrivateKey:
    """One RSA key for every service account of the process (each gets its own key id): making a
    2048-bit key costs a tenth of a second, and tests make dozens of accounts."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def require_scope(grant: Grant, allowed: frozenset[str]) -> None:
    """403 like Google when the token's scopes do not cover the API being called."""
    if not grant.scopes & allowed:
        raise ApiError(403, "Request had insufficient authentication scopes.", reason="insufficientPermissions",
                       domain="global", details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                  "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                                                  "domain": "googleapis.com"}])
