"""Errors in the shapes Google answers with, so gspread raises its real APIError on them.

Sheets (an ESF/One Platform API) answers ``{"error": {"code", "message", "status"}}``;
Drive v3 adds the older ``errors`` list whose ``reason`` clients (gspread's
BackOffHTTPClient, ladder-sheets' retry policy) read to tell a rate limit from a
permission problem. Both carry ``status`` here.
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE",
    503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}
_DRIVE_REASONS = {400: "badRequest", 401: "authError", 403: "forbidden", 404: "notFound",
                  429: "rateLimitExceeded", 500: "backendError", 502: "backendError", 503: "backendError",
                  504: "backendError"}


class ApiError(Exception):
    """An error answer; ``reason``/``location`` only show in Drive's ``errors`` list."""

    def __init__(self, code: int, message: str, *, reason: str | None = None, location: str | None = None,
                 domain: str = "global", details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason
        self.location = location
        self.domain = domain
        self.details = details or []

    def body(self, api: str) -> dict[str, Any]:
        """The JSON body for ``api`` ("sheets" or "drive")."""
        error: dict[str, Any] = {"code": self.code, "message": self.message,
                                 "status": STATUS_NAMES.get(self.code, "UNKNOWN")}
        if api == "drive":
            item = {"message": self.message, "domain": self.domain,
                    "reason": self.reason or _DRIVE_REASONS.get(self.code, "unknown")}
            if self.location:
                item.update(location=self.location, locationType="parameter")
            error["errors"] = [item]
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str, **kwargs: Any) -> ApiError:
    """400 INVALID_ARGUMENT, the answer to most malformed requests."""
    return ApiError(400, message, **kwargs)


class OAuthError(Exception):
    """An OAuth token endpoint error: ``{"error": code, "error_description": ...}`` with 400."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}
