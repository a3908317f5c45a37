"""Sending one request to Google: quota pacing, retries with backoff, and what is worth retrying.

429/5xx, Drive's rate-limit reasons (403) and timeouts are retried with backoff, honouring
Retry-After. What retrying cannot fix (connection refused, no such host, a failed TLS
handshake) is raised at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from google.auth.exceptions import TransportError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from requests import Response
from requests.exceptions import ProxyError, RequestException, SSLError, Timeout
from urllib3.exceptions import NameResolutionError, NewConnectionError, ReadTimeoutError

from .quota import RetryPolicy, SheetsQuota

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Drive's ways of saying 429 (403 with one of these reasons); sharing has a rate limit of its own.
RATE_LIMITS = frozenset({"userRateLimitExceeded", "rateLimitExceeded", "sharingRateLimitExceeded"})


class PacedHTTPClient(HTTPClient):
    """gspread's HTTP client with quota pacing, retries, a timeout and a thread-safe request count."""

    quota: SheetsQuota = SheetsQuota(0)
    retry: RetryPolicy = RetryPolicy()
    sent: int = 0
    _count_lock = threading.Lock()

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
        return self.send(method, endpoint, RETRY_STATUSES, *args, **kwargs)

    def send(self, method: str, endpoint: str, retry_on: frozenset[int], *args: Any, **kwargs: Any) -> Response:
        sheets = endpoint.startswith(SHEETS)
        kind = "read" if method.upper() == "GET" else "write"
        for attempt in range(self.retry.attempts):
            if sheets:
                self.quota.acquire(kind)
            with self._count_lock:
                self.sent += 1
            last = attempt == self.retry.attempts - 1
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as exc:
                if exc.code == 429 and sheets:
                    self.quota.exceeded(kind)
                if last or not _retryable(exc, retry_on):
                    raise
                self.retry.sleep(self.retry.delay(attempt, exc.response.headers.get("Retry-After")))
            except (RequestException, TransportError) as exc:
                if last or cannot_connect(exc):
                    raise
                self.retry.sleep(self.retry.delay(attempt, None))
        raise AssertionError("unreachable")


def cannot_connect(exc: BaseException) -> str:
    """Why no connection could be made, when retrying would not help ("" for a timeout or a dropped line).

    Connection refused, an unknown host and a failed TLS handshake answer at once and the
    same way every time, so they stop the run at once; a timeout or a connection dropped
    mid-answer may pass, so those are retried.
    """
    causes = list(_causes(exc))
    if any(isinstance(c, (Timeout, ReadTimeoutError)) for c in causes):
        return ""
    for kind, said in ((SSLError, "the TLS handshake failed"), (NameResolutionError, "no such host"),
                       (ProxyError, "the proxy refused the connection"),
                       (NewConnectionError, "the connection was refused")):
        found = next((c for c in causes if isinstance(c, kind)), None)
        if found is not None:
            return f"{said} ({_host(causes)})" if _host(causes) else said
    return ""


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (causes, arguments, urllib3's ``reason``)."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        pending += [e for e in inner if isinstance(e, BaseException)]


def _host(causes: list[BaseException]) -> str:
    request = next((c.request for c in causes if isinstance(c, RequestException) and c.request is not None), None)
    return urlsplit(str(request.url or "")).netloc if request is not None else ""


def error_reasons(exc: APIError) -> set[str]:
    """Drive's ``errors[].reason`` and the ErrorInfo ``reason`` of ``details`` (Sheets)."""
    error = exc.error if isinstance(exc.error, dict) else {}
    found = {str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict)}
    found |= {str(d.get("reason")) for d in error.get("details", []) if isinstance(d, dict) and d.get("reason")}
    return found


def _retryable(exc: APIError, retry_on: frozenset[int]) -> bool:
    """429/5xx, and Drive's way of saying 429: 403 with a rate-limit reason.

    Never storageQuotaExceeded, although its domain is also "usageLimits" (gspread's own
    BackOffHTTPClient retries it for minutes: burnash/gspread#1592).
    """
    if exc.code == 403:
        return bool(error_reasons(exc) & RATE_LIMITS) and 429 in retry_on
    return exc.code in retry_on
