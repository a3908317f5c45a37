"""The stand-in's Drive roles and sharing policies (standin.sharing), through gspread's client as Google answers them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from gspread.exceptions import APIError

from tests.support.google_standin import SPREADSHEET, GoogleStandIn

pytestmark = pytest.mark.network
FILES = "https://www.googleapis.com/drive/v3/files"
OWNER, SE, MANAGER = "ops@apex.example", "se@apex.example", "boss@apex.example"
CONTENT, ORGANIZER = "content@apex.example", "organizer@apex.example"


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _call(api: GoogleStandIn, who: str, method: str, url: str, **kwargs: Any) -> Any:
    response = api.client(who).http_client.request(method, url, **kwargs)
    return response.json() if response.content else None


def _spreadsheet(api: GoogleStandIn, who: str, parent: str, **body: Any) -> str:
    made = _call(api, who, "post", FILES, params={"supportsAllDrives": True},
                 json={"name": "x", "mimeType": SPREADSHEET, "parents": [parent], **body})
    return str(made["id"])


def _share(api: GoogleStandIn, who: str, file_id: str, email: str, *, notify: bool = False) -> Any:
    return _call(api, who, "post", f"{FILES}/{file_id}/permissions",
                 params={"sendNotificationEmail": notify, "supportsAllDrives": True},
                 json={"type": "user", "role": "writer", "emailAddress": email})


def _reason(caught: pytest.ExceptionInfo[APIError]) -> tuple[int, str]:
    return caught.value.code, caught.value.error["errors"][0]["reason"]


def _shared_drive_file(api: GoogleStandIn, **drive: Any) -> str:
    shared = api.create_shared_drive("Presales", members={CONTENT: "fileOrganizer", ORGANIZER: "organizer"}, **drive)
    return _spreadsheet(api, CONTENT, shared)


def test_a_content_manager_trashes_only_a_manager_deletes(api: GoogleStandIn) -> None:
    sid = _shared_drive_file(api)
    with pytest.raises(APIError) as caught:
        _call(api, CONTENT, "delete", f"{FILES}/{sid}", params={"supportsAllDrives": True})
    assert _reason(caught) == (403, "insufficientFilePermissions")
    seen = _call(api, CONTENT, "get", f"{FILES}/{sid}",
                 params={"supportsAllDrives": True, "fields": "capabilities(canTrash,canDelete)"})
    assert seen == {"capabilities": {"canTrash": True, "canDelete": False}}
    _call(api, CONTENT, "patch", f"{FILES}/{sid}", params={"supportsAllDrives": True}, json={"trashed": True})
    assert api.file(sid).trashed
    _call(api, ORGANIZER, "delete", f"{FILES}/{sid}", params={"supportsAllDrives": True})
    assert not [f for f in api.files() if f.id == sid]


def test_writers_share_and_unshare_only_where_writers_can_share(api: GoogleStandIn) -> None:
    folder = api.create_folder("Q4", owner=OWNER)
    for can_share in (False, True):
        sid = _spreadsheet(api, OWNER, folder, writersCanShare=can_share)
        _share(api, OWNER, sid, SE)
        _share(api, OWNER, sid, MANAGER)
        manager = next(p for p in api.permissions(sid) if p.email == MANAGER)
        if not can_share:  # push's My Drive files: the SE can neither add people nor remove the manager
            with pytest.raises(APIError) as caught:
                _share(api, SE, sid, "friend@apex.example")
            assert _reason(caught) == (403, "insufficientFilePermissions")
            with pytest.raises(APIError) as caught:
                _call(api, SE, "delete", f"{FILES}/{sid}/permissions/{manager.id}")
            assert _reason(caught) == (403, "insufficientFilePermissions")
            assert {p.email for p in api.permissions(sid)} == {SE, MANAGER}
        else:  # a writer removes another writer
            _call(api, SE, "delete", f"{FILES}/{sid}/permissions/{manager.id}")
            assert {p.email for p in api.permissions(sid)} == {SE}


def test_in_a_shared_drive_a_writer_on_a_file_shares_and_removes(api: GoogleStandIn) -> None:
    """writersCanShare does not exist in shared drives: an SE with edit access can remove their manager."""
    sid = _shared_drive_file(api)
    _share(api, CONTENT, sid, SE)
    _share(api, CONTENT, sid, MANAGER)
    manager = next(p for p in api.permissions(sid) if p.email == MANAGER)
    _call(api, SE, "delete", f"{FILES}/{sid}/permissions/{manager.id}", params={"supportsAllDrives": True})
    assert {p.email for p in api.permissions(sid)} == {SE}


def test_an_address_without_a_google_account(api: GoogleStandIn) -> None:
    api.realism.no_google_account.add("amara@partner.example")
    sid = _spreadsheet(api, OWNER, api.create_folder("Q4", owner=OWNER))
    with pytest.raises(APIError) as caught:
        _share(api, OWNER, sid, "amara@partner.example")
    assert _reason(caught) == (400, "invalidSharingRequest")
    assert "there is no Google account associated with this email address" in caught.value.error["message"]
    _share(api, OWNER, sid, "amara@partner.example", notify=True)  # an invitation by email goes through
    assert [p.email for p in api.permissions(sid)] == ["amara@partner.example"]
    in_drive = _shared_drive_file(api)
    with pytest.raises(APIError) as caught:
        _share(api, CONTENT, in_drive, "amara@partner.example", notify=True)
    assert _reason(caught) == (403, "cannotShareTeamDriveWithNonGoogleAccounts")


@pytest.mark.parametrize(("restriction", "reason"), [("domainUsersOnly", "teamDriveDomainUsersOnlyRestriction"),
                                                     ("driveMembersOnly", "teamDriveTeamMembersOnlyRestriction")])
def test_shared_drive_restrictions(api: GoogleStandIn, restriction: str, reason: str) -> None:
    sid = _shared_drive_file(api, domain="apex.example", restrictions={restriction: True})
    with pytest.raises(APIError) as caught:
        _share(api, CONTENT, sid, "someone@elsewhere.example")
    assert _reason(caught) == (403, reason)
    if restriction == "domainUsersOnly":
        _share(api, CONTENT, sid, SE)  # in the domain: fine
    else:
        _share(api, CONTENT, sid, ORGANIZER)  # a member: fine
    assert len(api.permissions(sid)) == 1


def test_the_domain_sharing_policy(api: GoogleStandIn) -> None:
    api.realism.no_sharing_out.add("apex.example")
    sid = _spreadsheet(api, OWNER, api.create_folder("Q4", owner=OWNER))
    with pytest.raises(APIError) as caught:
        _share(api, OWNER, sid, "someone@elsewhere.example")
    assert _reason(caught) == (403, "shareOutNotPermitted")
    _share(api, OWNER, sid, SE)
    assert [p.email for p in api.permissions(sid)] == [SE]


def test_a_shared_drive_files_permissions_list_its_members_as_inherited(api: GoogleStandIn) -> None:
    """permissions.list gives a file's own permissions and those it inherits, the drive's members among them,
    told apart by permissionDetails (inheritedFrom is filled in for shared drive items)."""
    sid = _shared_drive_file(api)
    _share(api, CONTENT, sid, SE)
    listed = _call(api, CONTENT, "get", f"{FILES}/{sid}/permissions",
                   params={"supportsAllDrives": True, "fields": "permissions(emailAddress,role,permissionDetails)"})
    drive = api.file(sid).parents[0]
    assert [(p["emailAddress"], p["role"], p["permissionDetails"]) for p in listed["permissions"]] == [
        (SE, "writer", [{"permissionType": "file", "role": "writer", "inherited": False}]),
        (CONTENT, "fileOrganizer", [{"permissionType": "member", "role": "fileOrganizer", "inherited": True,
                                     "inheritedFrom": drive}]),
        (ORGANIZER, "organizer", [{"permissionType": "member", "role": "organizer", "inherited": True,
                                   "inheritedFrom": drive}])]
