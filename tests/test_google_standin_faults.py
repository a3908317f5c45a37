"""The stand-in's tokens, injected faults and request log, through gspread's real client."""

from __future__ import annotations

import threading

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account
from gspread.exceptions import APIError

from tests.support.google_standin import BOT, SE, GoogleStandIn, World
from tests.support.google_standin import google_standin as google_standin  # noqa: F401 - the fixture
from tests.support.google_standin import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.network


# ---- auth -------------------------------------------------------------------------------------------------


def test_calls_need_a_token_the_stand_in_issued(google_standin: GoogleStandIn) -> None:  # noqa: F811
    for headers in ({"Authorization": "Bearer ya29.forged"}, {}):
        answer = requests.get(f"{google_standin.url}/v4/spreadsheets/x", headers=headers, timeout=5)
        assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"
    assert google_standin.request_count(status=401) == 2 and google_standin.requests[0].user == ""


def test_a_jwt_signed_by_a_key_the_stand_in_never_saw_is_an_invalid_grant(
        google_standin: GoogleStandIn) -> None:  # noqa: F811
    with GoogleStandIn() as other:
        foreign = other.make_service_account_info("intruder@evil.iam.gserviceaccount.com")
    credentials = service_account.Credentials.from_service_account_info(
        foreign, scopes=["https://www.googleapis.com/auth/drive"])
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials.refresh(Request(session=google_standin.session(credentials)))
    assert google_standin.request_count(api="oauth", status=400) == 1


def test_expired_tokens_are_refreshed_by_the_session_and_scopes_are_enforced(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    ws = spreadsheet.sheet1
    world.standin.revoke_tokens()
    world.standin.reset_counts()
    assert spreadsheet.fetch_sheet_metadata()["sheets"][0]["properties"]["title"] == "Sheet1"  # refreshed, retried
    assert [(r.api, r.status) for r in world.standin.requests] == [("sheets", 401), ("oauth", 200), ("sheets", 200)]
    reader = world.standin.client(BOT, scopes=["https://www.googleapis.com/auth/drive.readonly"])
    assert reader.open_by_key(spreadsheet.id).title == "Alice"
    with pytest.raises(APIError, match="insufficient authentication scopes") as caught:
        reader.open_by_key(spreadsheet.id).sheet1.update([[1]], "A1")
    assert caught.value.code == 403


# ---- instrumentation: faults and counts ---------------------------------------------------------------------


def test_a_429_is_seen_once_then_the_call_succeeds(world: World) -> None:
    ws = world.bot.create("Alice", folder_id=world.folder).sheet1
    world.standin.inject_faults(429, times=1, match="/values")
    with pytest.raises(APIError) as caught:
        ws.update([["first try"]], "A1")
    assert caught.value.code == 429 and caught.value.error["status"] == "RESOURCE_EXHAUSTED"
    assert caught.value.response.headers["Retry-After"] == "1"
    assert world.standin.values(ws.spreadsheet_id, "A1:B2") == []  # refused before any work
    ws.update([["second try"]], "A1")
    assert world.standin.values(ws.spreadsheet_id, "A1") == [["second try"]]
    assert world.standin.request_count("PUT", "/values/", status=429) == 1
    assert world.standin.request_count("PUT", "/values/", status=200) == 1


def test_a_lost_answer_and_a_dropped_connection(world: World) -> None:
    world.standin.inject_faults(503, match="POST /drive/v3/files", after_work=True)
    with pytest.raises(APIError) as caught:
        world.bot.create("Alice", folder_id=world.folder)
    assert caught.value.code == 503 and caught.value.error["errors"][0]["reason"] == "backendError"
    assert [f.name for f in world.standin.files(parent=world.folder)] == ["Alice"]  # done, answer lost
    world.standin.inject_disconnect(match=lambda seen: seen.method == "GET")
    with pytest.raises(requests.ConnectionError):
        world.bot.list_spreadsheet_files()
    assert len(world.bot.list_spreadsheet_files()) == 1


def test_requests_are_recorded_and_counted_per_user(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    spreadsheet.share(SE, perm_type="user", role="writer", notify=False)
    world.standin.client(SE).open_by_key(spreadsheet.id).sheet1.update([["hi"]], "B2")
    assert world.standin.request_count("POST", "/permissions", user=BOT) == 1
    assert world.standin.request_count("PUT", user=SE) == 1 and world.standin.request_count(user=SE) == 3
    put = next(r for r in world.standin.requests if r.method == "PUT")
    assert put.path.endswith("/values/'Sheet1'!B2") and put.query["valueInputOption"] == ["RAW"]
    assert put.body == {"values": [["hi"]], "majorDimension": None} and put.status == 200
    world.standin.reset_counts()
    assert world.standin.request_count() == 0 and world.standin.sheet_titles(spreadsheet.id) == ["Sheet1"]


def test_other_hosts_are_refused_and_concurrent_writes_all_land(world: World) -> None:
    with pytest.raises(requests.ConnectionError, match="no network"):
        world.bot.http_client.request("get", "https://docs.google.com/spreadsheets/d/x/export")
    ws = world.bot.create("Alice", folder_id=world.folder).sheet1
    errors: list[BaseException] = []

    def write(row: int) -> None:
        try:
            ws.update([[f"row {row}"]], f"A{row}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(row,)) for row in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == [] and world.standin.values(ws.spreadsheet_id, "A1:A8") == [[f"row {r}"] for r in range(1, 9)]
