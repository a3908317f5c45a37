"""The stand-in itself must refuse what Google refuses, or the sync tests prove nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account
from gspread.exceptions import APIError

from ladder_sheets.gsheets import RetryPolicy
from tests.support import discovery
from tests.support.google_api import GoogleStandIn, running
from tests.test_gsheets import connect

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with running() as server:
        yield server


def test_unknown_fields_and_wrong_types_are_rejected(api: GoogleStandIn) -> None:
    bot, _ = connect(api, "bot@x.iam.gserviceaccount.com")
    sid = bot.create("folder", "Sheet")
    with pytest.raises(Exception, match=r'requests\[0\]\.updateCells: unknown field "rowz"'):
        bot.batch_update(sid, [{"updateCells": {"rowz": [], "fields": "*", "start": {"sheetId": 0}}}])
    with pytest.raises(Exception, match=r"requests\[0\]\.addSheet\.properties\.index: expected an integer"):
        bot.batch_update(sid, [{"addSheet": {"properties": {"title": "x", "index": "first"}}}])
    assert discovery.validate("drive.v3", "Permission", {"type": "user", "role": "writer", "withLink": True}) == [
        'Permission: unknown field "withLink"']


def test_requests_need_a_token_the_stand_in_issued(api: GoogleStandIn) -> None:
    answer = requests.get(f"{api.url}/v4/spreadsheets/x", headers={"Authorization": "Bearer forged"}, timeout=5)
    assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_a_jwt_signed_by_an_unknown_key_gets_no_token(api: GoogleStandIn) -> None:
    info = GoogleStandIn().service_account("intruder@x.iam.gserviceaccount.com")  # a key `api` never saw
    credentials = service_account.Credentials.from_service_account_info(info, scopes=["x"])
    routed = api.session(credentials)
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials.refresh(Request(session=routed))


def test_faults_are_injected_and_counted(api: GoogleStandIn) -> None:
    bot, waits = connect(api, "bot@x.iam.gserviceaccount.com", attempts=1)
    api.inject(503, times=1, match="/drive/v3/files")
    with pytest.raises(APIError, match="503"):
        bot.http.request("get", "https://www.googleapis.com/drive/v3/files", params={"q": "trashed = false"})
    assert api.count("GET", "/drive/v3/files") == 1 and [e.status for e in api.log if e.path != "/token"] == [503]
    assert isinstance(bot.http.retry, RetryPolicy) and waits == []
