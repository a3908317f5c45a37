"""The stand-in's model of Google's behaviour beyond the contract (standin.realism), seen through gspread's client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gspread.exceptions import APIError

from tests.support.google_standin import SPREADSHEET, GoogleStandIn
from tests.support.gsheets import BOT, OPS, FakeClock
from tests.support.standin.realism import Realism, misparsed

pytestmark = pytest.mark.network
FILES = "https://www.googleapis.com/drive/v3/files"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(clock: FakeClock) -> Iterator[GoogleStandIn]:
    with GoogleStandIn(realism=Realism(clock=clock)) as server:
        yield server


def _create(api: GoogleStandIn, who: str, parent: str, **params: object) -> dict[str, object]:
    client = api.client(who)
    response = client.http_client.request("post", FILES, params={"fields": "id,driveId", **params},
                                          json={"name": "x", "mimeType": SPREADSHEET, "parents": [parent]})
    return dict(response.json())


def test_a_service_account_cannot_own_a_file_in_my_drive(api: GoogleStandIn) -> None:
    folder = api.create_folder("Shared with the bot", owner=OPS, writers=[BOT])
    with pytest.raises(APIError) as err:
        _create(api, BOT, folder)
    assert err.value.code == 403 and err.value.error["errors"][0]["reason"] == "storageQuotaExceeded"
    assert _create(api, OPS, folder)["id"]  # a person can


def test_shared_drive_items_need_supports_all_drives(api: GoogleStandIn) -> None:
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    with pytest.raises(APIError) as err:
        _create(api, BOT, drive)
    assert err.value.code == 404
    made = _create(api, BOT, drive, supportsAllDrives=True)
    assert made["driveId"] == drive and api.file(str(made["id"])).owner == ""
    listed = api.client(BOT).http_client.request("get", FILES, params={"q": f"'{drive}' in parents"}).json()
    assert listed["files"] == []  # without includeItemsFromAllDrives
    with pytest.raises(APIError):
        api.client(OPS).http_client.request("get", f"{FILES}/{made['id']}", params={"supportsAllDrives": True})


def test_sheets_window_answers_429_without_retry_after(api: GoogleStandIn, clock: FakeClock) -> None:
    api.realism.per_user = 3
    book = api.client(OPS).create("q")  # gspread reads the new spreadsheet's metadata: read 1
    client = api.client(OPS)
    client.open_by_key(book.id)
    client.open_by_key(book.id)
    with pytest.raises(APIError) as err:
        client.open_by_key(book.id)
    assert err.value.code == 429 and "Retry-After" not in err.value.response.headers
    book.values_update("A1", params={"valueInputOption": "RAW"}, body={"values": [["writes count apart"]]})
    clock.sleep(60)
    assert client.open_by_key(book.id).title == "q"


def test_files_list_lags_behind_a_create(api: GoogleStandIn, clock: FakeClock) -> None:
    api.realism.list_lag = 3.0
    folder = api.create_folder("f", owner=OPS)
    _create(api, OPS, folder)
    query = {"q": f"'{folder}' in parents"}
    assert api.client(OPS).http_client.request("get", FILES, params=query).json()["files"] == []
    clock.sleep(3)
    assert len(api.client(OPS).http_client.request("get", FILES, params=query).json()["files"]) == 1


def test_invalid_sharing_request_after_a_successful_share(api: GoogleStandIn) -> None:
    api.realism.mail_fails_for.add("no-mail@apex.example")
    made = _create(api, OPS, api.create_folder("f", owner=OPS))
    with pytest.raises(APIError) as err:
        api.client(OPS).http_client.request(
            "post", f"{FILES}/{made['id']}/permissions", params={"sendNotificationEmail": True},
            json={"type": "user", "role": "writer", "emailAddress": "no-mail@apex.example"})
    assert err.value.code == 400 and err.value.error["errors"][0]["reason"] == "invalidSharingRequest"
    assert [p.email for p in api.permissions(str(made["id"]))] == ["no-mail@apex.example"]


@pytest.mark.parametrize(("formula", "locale", "bad"), [
    ("=IF(G19>=0.85,1,0)", "de_DE", True), ("=IF(G19>=0.85,1,0)", "en_US", False),
    ('=IF(G19="0.85",1,0)', "de_DE", False), ("=SUM(A1:B2)", "fr_FR", False)])
def test_decimal_points_misparse_in_decimal_comma_locales(formula: str, locale: str, bad: bool) -> None:
    assert misparsed(formula, locale) is bad
