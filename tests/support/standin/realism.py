"""How Google behaves beyond the API contract, as of 2025-2026, and what it costs to get wrong.

- Service accounts have no Drive storage: creating a file they would own outside a shared
  drive answers 403 storageQuotaExceeded (burnash/gspread#1592; Drive's shared-drive guide:
  "Service accounts don't have storage quota and can't own any files").
- Shared drives: files belong to the drive, members see everything in it, and requests
  touching them need ``supportsAllDrives=true`` (else 404); files.list returns their items
  only with ``includeItemsFromAllDrives`` too.
- Formulas are parsed in the spreadsheet's locale: with a decimal-comma locale, ``0.85``
  in a formula is a parse error.
- Sheets quotas are per-minute windows, counted separately for reads and writes, per user
  (60) and per project (300); over them Google answers 429, usually without Retry-After.
- files.list catches up with a create only after a few seconds.
- Sharing with ``sendNotificationEmail`` may answer 400 invalidSharingRequest although the
  permission was created ("successfully shared but emails could not be sent").
- Optional per-call latency (real sleep, outside the stand-in's lock).

Everything time-based reads ``clock``, so tests can move time without waiting.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ApiError

SERVICE_ACCOUNT_DOMAIN = ".gserviceaccount.com"
DECIMAL_COMMA_LOCALES = frozenset({"de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL", "ru_RU", "pl_PL", "sv_SE",
                                   "da_DK", "fi_FI", "nb_NO", "cs_CZ", "tr_TR"})
_DECIMAL_LITERAL = re.compile(r"(?<![A-Za-z_$])\d+\.\d+")
_STRING = re.compile(r'"(?:[^"]|"")*"')
STORAGE_MESSAGE = "The user's Drive storage quota has been exceeded."
SHARED_BUT_NO_MAIL = ("Bad Request. User message: \"Items were successfully shared but emails could not be sent "
                      "to {email}.\"")


@dataclass
class Realism:
    """Switches and knobs; the defaults are Google's behaviour (quota windows off unless set)."""

    service_accounts_own_files: bool = False  # True only for tests of behaviour that predates the change
    per_user: int = 0  # Sheets reads (and writes) per period per user; 0: no window
    per_project: int = 0
    period: float = 60.0
    list_lag: float = 0.0  # seconds before files.list shows a created file
    latency: float = 0.0  # seconds added to every API call (real time)
    check_bodies: bool = True  # validate request bodies against the discovery schema (benchmarks may skip it)
    mail_fails_for: set[str] = field(default_factory=set)  # addresses whose notification email cannot be sent
    no_google_account: set[str] = field(default_factory=set)  # addresses no Google account stands behind
    no_sharing_out: set[str] = field(default_factory=set)  # domains whose admin turned off sharing outside them
    clock: Callable[[], float] = time.monotonic
    _windows: dict[tuple[str, str], deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def is_service_account(self, user: str) -> bool:
        return user.endswith(SERVICE_ACCOUNT_DOMAIN)

    def check_storage(self, user: str, in_shared_drive: bool, is_folder: bool) -> None:
        if is_folder or in_shared_drive or self.service_accounts_own_files or not self.is_service_account(user):
            return
        raise ApiError(403, STORAGE_MESSAGE, reason="storageQuotaExceeded", domain="usageLimits")

    def spend(self, user: str, kind: str) -> None:
        """Count one Sheets request; 429 without Retry-After when a window is full (nothing is done)."""
        now = self.clock()
        for scope, limit in ((f"user:{user}", self.per_user), ("project", self.per_project)):
            if limit <= 0:
                continue
            window = self._windows[(scope, kind)]
            while window and window[0] <= now - self.period:
                window.popleft()
            if len(window) >= limit:
                what = "Read" if kind == "read" else "Write"
                per = "per minute per user" if scope != "project" else "per minute"
                raise ApiError(429, f"Quota exceeded for quota metric '{what} requests' and limit '{what} requests "
                                    f"{per}' of service 'sheets.googleapis.com' for consumer 'project_number:0'.",
                               reason="rateLimitExceeded", domain="usageLimits")
        for scope, limit in ((f"user:{user}", self.per_user), ("project", self.per_project)):
            if limit > 0:
                self._windows[(scope, kind)].append(now)

    def listed(self, created_at: float) -> bool:
        return self.list_lag <= 0 or self.clock() - created_at >= self.list_lag


def misparsed(formula: str, locale: str) -> bool:
    """True when ``formula`` has a decimal-point number that ``locale`` reads as an error."""
    if locale not in DECIMAL_COMMA_LOCALES:
        return False
    return bool(_DECIMAL_LITERAL.search(_STRING.sub('""', formula)))
