"""A local, stateful stand-in for Google Sheets v4, Drive v3 and OAuth, for tests with gspread's real client.

Nothing outside this machine is reachable in tests, so the stand-in answers on
127.0.0.1 the calls gspread (and ladder-sheets through it) makes, as Google would:
bodies, query parameters and ``fields`` masks are checked against Google's own
discovery documents; service-account JWTs are verified and every API call needs a token
it issued; Drive's sharing rules, protected ranges and strict data validation are
enforced; errors come in Google's JSON shapes so gspread raises its real APIError.

Production code is not patched: it must accept a ``requests`` session, and tests hand it
``standin.session(credentials)``, an AuthorizedSession whose transport sends
sheets.googleapis.com, www.googleapis.com and oauth2.googleapis.com to the stand-in (and
refuses any other host)::

    credentials = service_account.Credentials.from_service_account_info(
        standin.make_service_account_info("bot@x.iam.gserviceaccount.com"), scopes=SCOPES)
    client = gspread.Client(credentials, session=standin.session(credentials))

Google's behaviour beyond the contract lives in ``standin.realism`` (``GoogleStandIn(realism=...)``):
service accounts cannot own files outside shared drives; shared drives with membership and
``supportsAllDrives``; formulas parsed in the file's locale; per-minute Sheets quota windows
answering 429 without Retry-After; files.list lagging behind a create; invalidSharingRequest
after a successful share; optional latency. People sign in with OAuth (refresh tokens that
can be revoked) and service accounts may act as people through domain-wide delegation.

Deliberately out of scope: formula evaluation (``set_effective`` supplies results),
locale-aware parsing of dates/currencies in USER_ENTERED input, every endpoint and batchUpdate
kind nothing in the project calls (``server.ROUTES``, ``batch.HANDLERS``: others are refused
loudly), uploads/exports.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import gspread
import pytest
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from tests.support.standin import cells
from tests.support.standin.auth import TOKEN_URI, Authority
from tests.support.standin.drive import person_id
from tests.support.standin.grid import Editor, read_values, spreadsheet_resource
from tests.support.standin.model import FOLDER, SPREADSHEET, Book, DriveFile, Permission, Sheet, State
from tests.support.standin.realism import Realism
from tests.support.standin.server import Dispatcher, Fault, Recorded, Seen, Serving, fault_filter, mount
from tests.support.standin.views import CellView, FileView, PermissionView, file_view

__all__ = ["GoogleStandIn", "Recorded", "Seen", "FileView", "PermissionView", "CellView",
           "google_standin", "SCOPES", "TOKEN_URI", "SPREADSHEET", "FOLDER"]

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
class GoogleStandIn:
    """The stand-in: start it, make service accounts, hand sessions to clients, then inspect state."""

    def __init__(self, *, seed: int = 0, realism: Realism | None = None) -> None:
        self.realism = realism or Realism()
        self._state = State(seed, self.realism)
        self._authority = Authority()
        self._dispatcher = Dispatcher(self._state, self._authority)
        self._serving: Serving | None = None
        self._token_transports: dict[int, requests.Session] = {}  # an AuthorizedSession's, by id

    # ---- lifecycle ------------------------------------------------------------------------------

    def start(self) -> GoogleStandIn:
        """Serve on 127.0.0.1 (ephemeral port) in a background thread."""
        if self._serving is None:
            self._serving = Serving(self._dispatcher)
        return self

    def stop(self) -> None:
        if self._serving is not None:
            self._serving.stop()
            self._serving = None

    def __enter__(self) -> GoogleStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port> while running."""
        if self._serving is None:
            raise RuntimeError("the stand-in is not running: call start() or use the google_standin fixture")
        return self._serving.url

    # ---- clients ----------------------------------------------------------------------------------

    def make_service_account_info(self, email: str = "ladder-bot@ladder-standin.iam.gserviceaccount.com",
                                  ) -> dict[str, Any]:
        """A service-account key-file dict with a fresh RSA key the stand-in trusts.

        ``token_uri`` is Google's real https://oauth2.googleapis.com/token, as in a
        downloaded key; ``session()`` routes it here.
        """
        with self._dispatcher.lock:
            return self._authority.new_service_account(email)

    def credentials(self, email: str, scopes: Iterable[str] = SCOPES) -> service_account.Credentials:
        """Real google-auth service-account credentials for a new key of ``email``."""
        return service_account.Credentials.from_service_account_info(self.make_service_account_info(email),
                                                                     scopes=list(scopes))

    def user_info(self, email: str, scopes: Iterable[str] = SCOPES) -> dict[str, Any]:
        """An authorized-user file dict for a person who consented to ``scopes`` (as an OAuth sign-in saves)."""
        with self._dispatcher.lock:
            return self._authority.new_user(email, frozenset(scopes))

    def user_credentials(self, email: str, consented: Iterable[str] = SCOPES) -> user_credentials.Credentials:
        """Real google-auth user credentials (refresh-token based) for a person."""
        return user_credentials.Credentials.from_authorized_user_info(self.user_info(email, consented),
                                                                      scopes=list(consented))

    def revoke_consent(self, email: str) -> None:
        """The person's refresh tokens stop working (revoked, or a Testing-status app after 7 days)."""
        with self._dispatcher.lock:
            self._authority.revoke_refresh_tokens(email)

    def allow_delegation(self, service_account_email: str, scopes: Iterable[str] = SCOPES) -> None:
        """What a Workspace admin does in Security > API controls > Domain-wide delegation."""
        with self._dispatcher.lock:
            self._authority.allow_delegation(service_account_email, frozenset(scopes))

    def set_user_locale(self, email: str, locale: str) -> None:
        """Spreadsheets this person creates start with ``locale`` (their Drive language)."""
        with self._dispatcher.lock:
            self._state.user_locale[email] = locale

    def create_shared_drive(self, name: str, members: dict[str, str], *, domain: str = "",
                            restrictions: dict[str, bool] | None = None) -> str:
        """A shared drive of ``domain``; members by role (organizer, fileOrganizer, writer, commenter,
        reader); ``restrictions`` as Drive names them (domainUsersOnly, driveMembersOnly). Its id."""
        with self._dispatcher.lock:
            now = self._state.now()
            drive_id = "0A" + self._state.new_file_id()[2:21]
            root = DriveFile(drive_id, name, FOLDER, "", [], now, now, "", drive_id=drive_id,
                             restrictions=dict(restrictions or {}), domain=domain)
            root.permissions = [Permission(person_id(e), "user", r, e) for e, r in members.items()]
            self._state.files[drive_id] = root
        return drive_id

    def session(self, credentials: Any, *, api_url: str = "", token_url: str = "") -> AuthorizedSession:
        """An AuthorizedSession sending Google's hosts here; its token refreshes take the same route.

        ``api_url`` / ``token_url`` send API calls / token refreshes elsewhere instead (a closed
        port, a host that does not resolve); ``reroute`` changes them later.
        """
        transport = requests.Session()
        mount(transport, token_url or self.url)
        session = AuthorizedSession(credentials, auth_request=Request(session=transport))
        self._token_transports[id(session)] = transport
        mount(session, api_url or self.url)
        return session

    def reroute(self, session: AuthorizedSession, *, api_url: str = "", token_url: str = "") -> None:
        """Send a session's API calls and/or token refreshes to another address from now on."""
        if api_url:
            mount(session, api_url)
        if token_url:
            mount(self._token_transports[id(session)], token_url)

    def client(self, email: str, scopes: Iterable[str] = SCOPES) -> gspread.Client:
        """A gspread.Client acting as ``email``, built the way production code must build its own."""
        credentials = self.credentials(email, scopes)
        return gspread.Client(credentials, session=self.session(credentials))

    # ---- instrumentation ----------------------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        """Every request so far (token requests included, api="oauth"), oldest first."""
        with self._dispatcher.lock:
            return list(self._dispatcher.log)

    def request_count(self, method: str | None = None, path: str | None = None, *, status: int | None = None,
                      user: str | None = None, api: str | None = None) -> int:
        """How many API requests match; ``path`` is a substring of the (unquoted) path.

        Token requests count only with ``api="oauth"``.
        """
        return sum(1 for r in self.requests
                   if (method is None or r.method == method.upper()) and (path is None or path in r.path)
                   and (status is None or r.status == status) and (user is None or r.user == user)
                   and (r.api == api if api is not None else r.api != "oauth"))

    def reset_counts(self) -> None:
        """Forget the request log (state is kept)."""
        with self._dispatcher.lock:
            self._dispatcher.log.clear()

    def inject_faults(self, status: int = 503, times: int = 1, match: str | Callable[[Seen], bool] | None = None,
                      *, after_work: bool = False, retry_after: int | None = None, reason: str | None = None) -> None:
        """Answer the next ``times`` matching API requests with ``status`` and Google's error body.

        ``match``: None (any API request), a substring of "METHOD /path" (e.g.
        "POST /drive/v3/files"), or a callable given a Seen(method, path, query); token
        requests only match a filter that names them. 429 carries ``Retry-After``
        (default 1 s) and RESOURCE_EXHAUSTED; 403 is Drive's userRateLimitExceeded unless
        ``reason`` says otherwise. With ``after_work`` the request is carried out and only
        its answer is lost, as when Google did the work but the connection failed.
        """
        if retry_after is None and status == 429:
            retry_after = 1
        with self._dispatcher.lock:
            self._dispatcher.faults.append(Fault(status, times, fault_filter(match), after_work, retry_after, reason))

    def inject_disconnect(self, times: int = 1, match: str | Callable[[Seen], bool] | None = None, *,
                          after_work: bool = False) -> None:
        """Close the connection without answering (the client sees requests.ConnectionError)."""
        with self._dispatcher.lock:
            self._dispatcher.faults.append(Fault(None, times, fault_filter(match), after_work, None, None))

    def clear_faults(self) -> None:
        """Forget every injected fault not yet used up."""
        with self._dispatcher.lock:
            self._dispatcher.faults.clear()

    def revoke_tokens(self) -> None:
        """Invalidate every access token, as when they expire: the next call gets 401 and must refresh."""
        with self._dispatcher.lock:
            self._authority.revoke_all()

    # ---- setting the scene (no HTTP, not logged) -------------------------------------------------------

    def create_folder(self, name: str, *, owner: str, writers: Iterable[str] = (), readers: Iterable[str] = (),
                      parent: str | None = None) -> str:
        """A Drive folder owned by ``owner`` (a person), shared as given; its id."""
        with self._dispatcher.lock:
            now = self._state.now()
            folder = DriveFile(self._state.new_file_id(), name, FOLDER, owner, [parent] if parent else [], now, now,
                               owner)
            if parent and self._state.files[parent].drive_id:
                folder.drive_id, folder.owner = self._state.files[parent].drive_id, ""
            self._state.files[folder.id] = folder
        for email in writers:
            self.share(folder.id, email, "writer")
        for email in readers:
            self.share(folder.id, email, "reader")
        return folder.id

    def share(self, file_id: str, email: str, role: str = "writer") -> None:
        """Grant ``role`` directly, as the owner would in the Drive UI (no notification)."""
        with self._dispatcher.lock:
            file = self._file(file_id)
            file.permissions = [p for p in file.permissions if p.email != email]
            file.permissions.append(Permission(person_id(email), "user", role, email, granted_by=file.owner))

    def set_effective(self, spreadsheet_id: str, a1_range: str, value: Any) -> None:
        """What the formula in a cell evaluates to (the stand-in does not evaluate formulas)."""
        with self._dispatcher.lock:
            sheet, span = self._book(spreadsheet_id).resolve(a1_range)
            cell = dict(sheet.cells.get((span.r0, span.c0), {}))  # cell dicts are replaced, never changed
            typed = cells.from_input(value, "RAW", a1_range)
            if typed is None:
                cell.pop("effectiveValue", None)
            else:
                cell["effectiveValue"] = typed
            sheet.cells[(span.r0, span.c0)] = cell

    # ---- reading the state --------------------------------------------------------------------------

    def file(self, file_id: str) -> FileView:
        with self._dispatcher.lock:
            return file_view(self._file(file_id))

    def files(self, *, parent: str | None = None) -> list[FileView]:
        """Every file (or every file directly in ``parent``), in creation order."""
        with self._dispatcher.lock:
            return [file_view(f) for f in self._state.files.values() if parent is None or parent in f.parents]

    def permissions(self, file_id: str) -> list[PermissionView]:
        """Granted permissions (the owner's is implied and not listed)."""
        with self._dispatcher.lock:
            return [PermissionView(p.id, p.type, p.role, p.email, p.notified, p.email_message, p.granted_by)
                    for p in self._file(file_id).permissions]

    def spreadsheet(self, spreadsheet_id: str, *, with_data: bool = True) -> dict[str, Any]:
        """The Spreadsheet resource as its owner would get it from spreadsheets.get."""
        with self._dispatcher.lock:
            file = self._file(spreadsheet_id)
            return spreadsheet_resource(Editor(file, file.owner), [], with_data)

    def sheet_titles(self, spreadsheet_id: str) -> list[str]:
        with self._dispatcher.lock:
            return [s.title for s in self._book(spreadsheet_id).ordered()]

    def cell(self, spreadsheet_id: str, a1_cell: str) -> CellView:
        """One cell by A1 ("'My Sheet'!B2", or "B2" on the first sheet)."""
        with self._dispatcher.lock:
            sheet, span = self._book(spreadsheet_id).resolve(a1_cell)
            stored = copy.deepcopy(sheet.cells.get((span.r0, span.c0), {}))
            entered = stored.get("userEnteredValue")
            shown = cells.effective(stored)
            number_format = (stored.get("userEnteredFormat") or {}).get("numberFormat")
            return CellView(cells.scalar(entered), (entered or {}).get("formulaValue"), cells.scalar(shown),
                            cells.formatted(shown, number_format), stored.get("dataValidation"),
                            stored.get("userEnteredFormat"), stored.get("note"),
                            sheet.edited_by.get((span.r0, span.c0)))

    def values(self, spreadsheet_id: str, a1_range: str, render: str = "FORMATTED_VALUE") -> list[list[Any]]:
        """What values.get would return for the range (rows, trailing empties trimmed)."""
        with self._dispatcher.lock:
            sheet, span = self._book(spreadsheet_id).resolve(a1_range)
            return read_values(sheet, sheet.fit(span), render, "ROWS")

    def protected_ranges(self, spreadsheet_id: str, title: str | None = None) -> list[dict[str, Any]]:
        """ProtectedRange dicts (with editors) of one sheet, or of all sheets."""
        return self._per_sheet(spreadsheet_id, title, lambda s: s.protected)

    def merges(self, spreadsheet_id: str, title: str | None = None) -> list[dict[str, Any]]:
        return self._per_sheet(spreadsheet_id, title, lambda s: s.merges)

    # ---- internals ----------------------------------------------------------------------------------

    def _file(self, file_id: str) -> DriveFile:
        file = self._state.files.get(file_id)
        if file is None:
            raise KeyError(f"the stand-in has no file {file_id}")
        return file

    def _book(self, spreadsheet_id: str) -> Book:
        book = self._file(spreadsheet_id).book
        if book is None:
            raise KeyError(f"{spreadsheet_id} is not a spreadsheet")
        return book

    def _sheet(self, spreadsheet_id: str, title: str) -> Sheet:
        sheet = self._book(spreadsheet_id).by_title(title)
        if sheet is None:
            raise KeyError(f"{spreadsheet_id} has no sheet {title!r}")
        return sheet

    def _per_sheet(self, spreadsheet_id: str, title: str | None,
                   pick: Callable[[Sheet], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        with self._dispatcher.lock:
            chosen = [self._sheet(spreadsheet_id, title)] if title else self._book(spreadsheet_id).ordered()
            return [copy.deepcopy(item) for sheet in chosen for item in pick(sheet)]


OWNER = "lead@apex.example"  # the person who owns the quarter's folder in the contract tests
BOT = "ladder-bot@apex.iam.gserviceaccount.com"
SE = "se.one@apex.example"


@dataclass
class World:
    """A folder owned by a person and shared with the bot, and the bot's gspread client."""

    standin: GoogleStandIn
    folder: str
    bot: gspread.Client


@pytest.fixture
def google_standin() -> Iterator[GoogleStandIn]:
    """A running stand-in for one test, always shut down afterwards.

    The gspread-contract tests create files as a service account in a person's folder,
    which Google no longer allows (see standin.realism); they test other behaviour.
    """
    standin = GoogleStandIn(realism=Realism(service_accounts_own_files=True)).start()
    try:
        yield standin
    finally:
        standin.stop()


@pytest.fixture
def world(google_standin: GoogleStandIn) -> World:
    folder = google_standin.create_folder("Presales 2026-Q4", owner=OWNER, writers=[BOT])
    return World(google_standin, folder, google_standin.client(BOT))
