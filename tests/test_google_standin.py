"""The Google stand-in, driven by gspread's real client code: it must behave (and refuse) like Google.

If the stand-in accepted what Google refuses, or answered in other shapes, the Sheets
sync tests built on it would prove nothing; so every behaviour the sync relies on is
pinned here through gspread's own Client/Spreadsheet/Worksheet calls.
"""

from __future__ import annotations

import re

import gspread
import pytest
from gspread.exceptions import APIError, SpreadsheetNotFound

from tests.support.google_standin import BOT, OWNER, SE, SPREADSHEET, World
from tests.support.google_standin import google_standin as google_standin  # noqa: F401 - the fixture
from tests.support.google_standin import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.network

DRIVE = "https://www.googleapis.com/drive/v3/files"


def sheet_id(spreadsheet: gspread.Spreadsheet, title: str) -> int:
    return int(spreadsheet.worksheet(title).id)


# ---- Drive and Sheets share one object ------------------------------------------------------------------


def test_a_spreadsheet_made_in_a_drive_folder_is_the_same_object_in_sheets(world: World) -> None:
    spreadsheet = world.bot.create("Alice 2026-Q4", folder_id=world.folder)
    assert [w.title for w in spreadsheet.worksheets()] == ["Sheet1"] and spreadsheet.sheet1.id == 0
    assert world.standin.file(spreadsheet.id).parents == (world.folder,)
    assert world.standin.file(spreadsheet.id).owner == BOT  # the acting account owns what it creates
    spreadsheet.update_title("Alice (renamed)")  # through Sheets...
    meta = world.bot.get_file_drive_metadata(spreadsheet.id)  # ...seen by Drive
    assert meta["name"] == "Alice (renamed)" and set(meta) == {"id", "name", "createdTime", "modifiedTime"}
    drive_view = world.bot.http_client.request("get", f"{DRIVE}/{spreadsheet.id}").json()
    assert drive_view == {"kind": "drive#file", "id": spreadsheet.id, "name": "Alice (renamed)",
                          "mimeType": SPREADSHEET}  # Drive's default fields, nothing more


def test_creating_in_a_folder_the_bot_cannot_write_to_fails_like_drive(world: World) -> None:
    private = world.standin.create_folder("Someone else's", owner="other@apex.example")
    with pytest.raises(APIError) as caught:
        world.bot.create("Alice", folder_id=private)
    assert caught.value.code == 404 and caught.value.error["errors"][0]["reason"] == "notFound"
    assert world.standin.files(parent=private) == []


# ---- sheets and values ---------------------------------------------------------------------------------


def test_add_sheets_and_the_replies_google_sends(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    reply = spreadsheet.batch_update({"requests": [
        {"addSheet": {"properties": {"title": "Scores", "gridProperties": {"rowCount": 50, "columnCount": 8}}}},
        {"updateSheetProperties": {"properties": {"sheetId": 0, "title": "Guide"}, "fields": "title"}},
    ]})
    added = reply["replies"][0]["addSheet"]["properties"]
    assert added["title"] == "Scores" and added["sheetId"] > 0 and added["index"] == 1 and reply["replies"][1] == {}
    spreadsheet.add_worksheet("Evidence", rows=10, cols=4)
    assert world.standin.sheet_titles(spreadsheet.id) == ["Guide", "Scores", "Evidence"]
    with pytest.raises(APIError, match='Invalid requests\\[0\\].addSheet: A sheet with the name "Scores" already'):
        spreadsheet.add_worksheet("Scores", rows=1, cols=1)
    with pytest.raises(APIError, match=r"Invalid requests\[1\].addSheet: A sheet with the name \"Notes\""):
        spreadsheet.batch_update({"requests": [{"addSheet": {"properties": {"title": "Notes"}}},
                                               {"addSheet": {"properties": {"title": "Notes"}}}]})
    assert world.standin.sheet_titles(spreadsheet.id) == ["Guide", "Scores", "Evidence"]  # all-or-nothing


def test_raw_keeps_text_user_entered_makes_formulas_numbers_and_booleans(world: World) -> None:
    ws = world.bot.create("Alice", folder_id=world.folder).sheet1
    ws.update([["=1+2", "5", "TRUE"]], "A1", raw=True)
    ws.update([["=SUM(B3:B4)", "5", "true", "'007", 2.5]], "A2", raw=False)
    formulas = world.standin.values(ws.spreadsheet_id, "A1:E2", render="FORMULA")
    assert formulas == [["=1+2", "5", "TRUE"], ["=SUM(B3:B4)", 5, True, "007", 2.5]]
    cell = world.standin.cell(ws.spreadsheet_id, "A2")
    assert cell.formula == "=SUM(B3:B4)" and cell.value is None and cell.edited_by == BOT
    assert world.standin.values(ws.spreadsheet_id, "A2:B2") == [["", "5"]]  # formulas are not evaluated...
    world.standin.set_effective(ws.spreadsheet_id, "Sheet1!A2", 7)  # ...a test says what they evaluate to
    assert world.standin.values(ws.spreadsheet_id, "A2:E2", render="UNFORMATTED_VALUE") == [[7, 5, True, "007", 2.5]]
    assert world.standin.values(ws.spreadsheet_id, "A2:E2") == [["7", "5", "TRUE", "007", "2.5"]]


def test_a1_notation_and_grid_ranges_name_the_same_cells(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    quoted = spreadsheet.add_worksheet("Bob's Q4", rows=20, cols=5)
    spreadsheet.batch_update({"requests": [{"updateCells": {
        "start": {"sheetId": quoted.id, "rowIndex": 1, "columnIndex": 1},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "b2"}}, {"userEnteredValue": {"numberValue": 3}}]},
                 {"values": [{"userEnteredValue": {"stringValue": "b3"}}]}],
        "fields": "userEnteredValue"}}]})
    assert world.standin.values(spreadsheet.id, "'Bob''s Q4'!B2:C3") == [["b2", "3"], ["b3"]]
    written = spreadsheet.values_update("'Bob''s Q4'!D2", params={"valueInputOption": "RAW"}, body={"values": [[1, 2]]})
    assert written["updatedRange"] == "'Bob''s Q4'!D2:E2"
    for bad in ("'Nope'!A1", "'Bob''s Q4'!A21", "Bob's Q4!"):
        with pytest.raises(APIError) as caught:
            spreadsheet.values_update(bad, params={"valueInputOption": "RAW"}, body={"values": [[1]]})
        assert caught.value.code == 400, bad
    with pytest.raises(APIError, match="tried writing to column"):
        spreadsheet.values_update("'Bob''s Q4'!A1:B1", params={"valueInputOption": "RAW"}, body={"values": [[1, 2, 3]]})


# ---- batchUpdate: cells, validation, protection, named ranges --------------------------------------------


def _scorecard(world: World) -> gspread.Spreadsheet:
    """Scores!B2:B3 a strict Yes/No list, C2:C3 a strict 1..5 number, row 1 protected for the bot alone,
    A6:C6 merged."""
    spreadsheet = world.bot.create("Alice 2026-Q4", folder_id=world.folder)
    sid = spreadsheet.add_worksheet("Scores", rows=10, cols=5).id
    def area(r0: int, r1: int, c0: int, c1: int) -> dict[str, int]:
        return {"sheetId": sid, "startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    replies = spreadsheet.batch_update({"requests": [
        {"updateCells": {"range": area(0, 1, 0, 3), "fields": "userEnteredValue,userEnteredFormat.textFormat.bold",
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": t},
                                               "userEnteredFormat": {"textFormat": {"bold": True}}}
                                              for t in ("Skill", "Ready?", "Score")]}]}},
        {"updateCells": {"range": area(1, 3, 1, 3), "fields": "dataValidation", "rows": [{"values": [
            {"dataValidation": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Yes"},
                                                                                {"userEnteredValue": "No"}]},
                                "strict": True, "showCustomUi": True}},
            {"dataValidation": {"condition": {"type": "NUMBER_BETWEEN", "values": [{"userEnteredValue": "1"},
                                                                                   {"userEnteredValue": "5"}]},
                                "strict": True}}]}] * 2}},
        {"addProtectedRange": {"protectedRange": {"range": area(0, 1, 0, 5), "description": "headers",
                                                  "editors": {"users": [BOT]}}}},
        {"addNamedRange": {"namedRange": {"name": "scores", "range": area(1, 3, 2, 3)}}},
        {"addConditionalFormatRule": {"index": 0, "rule": {"ranges": [area(1, 3, 2, 3)], "booleanRule": {
            "condition": {"type": "NUMBER_LESS", "values": [{"userEnteredValue": "3"}]},
            "format": {"backgroundColor": {"red": 1}}}}}},
        {"mergeCells": {"range": area(5, 6, 0, 3), "mergeType": "MERGE_ALL"}},
        {"updateDimensionProperties": {
            "range": {"sheetId": sid, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
            "properties": {"pixelSize": 240}, "fields": "pixelSize"}},
    ]})["replies"]
    protected = replies[2]["addProtectedRange"]["protectedRange"]
    assert isinstance(protected["protectedRangeId"], int) and protected["editors"]["users"] == [BOT]
    assert replies[3]["addNamedRange"]["namedRange"]["namedRangeId"] and replies[0] == {} and replies[4] == {}
    return spreadsheet


def test_batch_update_state_reads_back_through_metadata_and_grid_data(world: World) -> None:
    spreadsheet = _scorecard(world)
    meta = spreadsheet.fetch_sheet_metadata()
    scores = next(s for s in meta["sheets"] if s["properties"]["title"] == "Scores")
    assert "data" not in scores and meta["namedRanges"][0]["name"] == "scores"
    guarded = scores["protectedRanges"][0]
    assert guarded["description"] == "headers" and guarded["requestingUserCanEdit"] is True
    assert scores["merges"][0]["endColumnIndex"] == 3 and len(scores["conditionalFormats"]) == 1
    grid = spreadsheet.fetch_sheet_metadata({"includeGridData": "true", "ranges": "Scores!A1:C2"})
    assert [s["properties"]["title"] for s in grid["sheets"]] == ["Scores"]  # only the sheets ranges name
    rows = grid["sheets"][0]["data"][0]["rowData"]
    assert rows[0]["values"][1] == {"userEnteredValue": {"stringValue": "Ready?"},
                                    "effectiveValue": {"stringValue": "Ready?"}, "formattedValue": "Ready?",
                                    "userEnteredFormat": {"textFormat": {"bold": True}}}
    assert rows[1]["values"][1]["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert world.standin.merges(spreadsheet.id, "Scores") == scores["merges"]
    assert scores["conditionalFormats"][0]["booleanRule"]["condition"]["type"] == "NUMBER_LESS"
    assert world.standin.spreadsheet(spreadsheet.id)["sheets"][1]["data"][0]["rowData"][0] == grid["sheets"][0][
        "data"][0]["rowData"][0]  # the helper sees what the owner would get
    owner_view = world.standin.spreadsheet(spreadsheet.id)["sheets"][1]["data"][0]
    assert owner_view["columnMetadata"][0] == {"pixelSize": 240} and owner_view["columnMetadata"][1] == {"pixelSize": 100}
    spreadsheet.values_update("scores", params={"valueInputOption": "USER_ENTERED"}, body={"values": [[4], [2]]})
    assert world.standin.values(spreadsheet.id, "Scores!C2:C3") == [["4"], ["2"]]  # a named range is a range


def test_strict_validation_refuses_values_like_google_and_nothing_is_half_written(world: World) -> None:
    spreadsheet = _scorecard(world)
    ws = spreadsheet.worksheet("Scores")
    ws.update([["Yes", 5]], "B2", raw=False)
    for value, raw in (("Maybe", False), (6, False), ("5", True)):  # RAW "5" is text, not a number
        column = "B2" if value == "Maybe" else "C2"
        with pytest.raises(APIError, match="violates the data validation rules") as caught:
            ws.update([[value]], column, raw=raw)
        assert caught.value.code == 400
    with pytest.raises(APIError, match="violates the data validation rules"):
        ws.batch_update([{"range": "B3", "values": [["No"]]}, {"range": "C3", "values": [[9]]}], raw=False)
    assert world.standin.values(spreadsheet.id, "Scores!B2:C3") == [["Yes", "5"]]  # the valid half was not applied
    ws.update([[""]], "B2")  # emptying a validated cell is allowed
    assert world.standin.cell(spreadsheet.id, "Scores!B2").validation is not None


def test_protected_ranges_bind_everyone_but_the_owner_and_listed_editors(world: World) -> None:
    spreadsheet = _scorecard(world)
    spreadsheet.share(SE, perm_type="user", role="writer", notify=False)
    se = world.standin.client(SE).open_by_key(spreadsheet.id).worksheet("Scores")
    se.update([["No"]], "B2", raw=False)
    with pytest.raises(APIError, match="protected cell or object") as caught:
        se.update([["Hacked"]], "A1")
    assert caught.value.code == 400 and world.standin.cell(spreadsheet.id, "Scores!A1").value == "Skill"
    seen = se.client.fetch_sheet_metadata(spreadsheet.id)
    guarded = next(s for s in seen["sheets"] if s["properties"]["title"] == "Scores")["protectedRanges"][0]
    assert guarded["requestingUserCanEdit"] is False and "editors" not in guarded  # hidden from non-editors
    se.update([["Yes"]], "B3", raw=False)
    assert world.standin.cell(spreadsheet.id, "Scores!B3").edited_by == SE
    protection = world.standin.protected_ranges(spreadsheet.id, "Scores")[0]
    assert protection["editors"]["users"] == [BOT]
    unprotect = {"requests": [{"updateProtectedRange": {"protectedRange": {
        "protectedRangeId": protection["protectedRangeId"], "editors": {"users": [BOT, SE]}}, "fields": "editors"}}]}
    with pytest.raises(APIError, match="protected cell or object"):
        se.client.batch_update(spreadsheet.id, unprotect)  # an SE cannot add themselves...
    spreadsheet.batch_update(unprotect)  # ...the owner can, and then the SE may edit
    se.update([["Skill (edited)"]], "A1")
    assert world.standin.cell(spreadsheet.id, "Scores!A1").edited_by == SE


# ---- sharing, listing, copying, deleting --------------------------------------------------------------


def test_sharing_records_roles_notification_and_message(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    with pytest.raises(PermissionError):  # gspread's reading of Sheets' 403 for a file not shared yet
        world.standin.client(SE).open_by_key(spreadsheet.id)
    spreadsheet.share(SE, perm_type="user", role="writer", notify=False)
    world.bot.insert_permission(spreadsheet.id, "manager@apex.example", perm_type="user", role="reader",
                                notify=True, email_message="Your report's scorecard")
    shared = {p.email: p for p in world.standin.permissions(spreadsheet.id)}
    assert shared[SE].role == "writer" and shared[SE].notified is False and shared[SE].granted_by == BOT
    assert shared["manager@apex.example"].notified is True
    assert shared["manager@apex.example"].email_message == "Your report's scorecard"
    listed = spreadsheet.list_permissions()
    assert [(p["role"], p["emailAddress"]) for p in listed][0] == ("owner", BOT) and len(listed) == 3
    assert world.standin.client(SE).open_by_key(spreadsheet.id).title == "Alice"
    world.bot.remove_permission(spreadsheet.id, shared[SE].id)
    assert SE not in {p.email for p in world.standin.permissions(spreadsheet.id)}
    with pytest.raises(APIError, match="cannot be removed"):
        world.bot.remove_permission(spreadsheet.id, str(listed[0]["id"]))


def test_listing_a_folder_filters_by_query_and_pages(world: World) -> None:
    made = [world.bot.create(f"SE {i}", folder_id=world.folder).id for i in range(3)]
    world.bot.create("Elsewhere")  # in the bot's own My Drive
    assert sorted(f["id"] for f in world.bot.list_spreadsheet_files(folder_id=world.folder)) == sorted(made)
    q = f"name = 'SE 1' and '{world.folder}' in parents and mimeType = '{SPREADSHEET}' and trashed = false"
    found = world.bot.http_client.request("get", DRIVE, params={
        "q": q, "fields": "files(id,name)", "supportsAllDrives": True, "includeItemsFromAllDrives": True}).json()
    assert found == {"files": [{"id": made[1], "name": "SE 1"}]}
    pages, token = [], None
    for _ in range(5):  # bounded: 4 files in pages of 2
        page = world.bot.http_client.request("get", DRIVE, params={
            "q": f"mimeType = '{SPREADSHEET}'", "pageSize": 2, **({"pageToken": token} if token else {})}).json()
        pages.append(len(page["files"]))
        token = page.get("nextPageToken")
        if token is None:
            break
    assert pages == [2, 2]
    assert world.standin.client(SE).list_spreadsheet_files() == []  # nothing shared with the SE
    with pytest.raises(APIError, match="Invalid Value") as caught:
        world.bot.http_client.request("get", DRIVE, params={"q": "starred = true"})
    assert caught.value.error["errors"][0]["location"] == "q"


def test_copy_carries_content_not_sharing_and_only_the_owner_deletes(world: World) -> None:
    spreadsheet = _scorecard(world)
    spreadsheet.share(SE, perm_type="user", role="writer", notify=False)
    copied = world.standin.client(SE).http_client.request(  # File > Make a copy, into the SE's My Drive
        "post", f"{DRIVE}/{spreadsheet.id}/copy", params={"fields": "id,owners(emailAddress)"},
        json={"name": "Copy of Alice"}).json()
    assert copied["owners"] == [{"emailAddress": SE}] and world.standin.file(copied["id"]).parents == ()
    assert world.standin.values(copied["id"], "Scores!A1:C1") == [["Skill", "Ready?", "Score"]]
    assert world.standin.protected_ranges(copied["id"]) and world.standin.permissions(copied["id"]) == []
    with pytest.raises(APIError) as caught:
        world.standin.client(SE).del_spreadsheet(spreadsheet.id)
    assert caught.value.code == 403 and caught.value.error["errors"][0]["reason"] == "insufficientFilePermissions"
    world.bot.del_spreadsheet(spreadsheet.id)
    with pytest.raises(SpreadsheetNotFound):
        world.bot.open_by_key(spreadsheet.id)
    assert world.standin.request_count("DELETE", spreadsheet.id, status=204) == 1


def test_update_cells_over_a_range_and_protection_updates(world: World) -> None:
    spreadsheet = _scorecard(world)
    sid = sheet_id(spreadsheet, "Scores")
    protected_id = world.standin.protected_ranges(spreadsheet.id)[0]["protectedRangeId"]
    spreadsheet.batch_update({"requests": [
        {"updateCells": {"range": {"sheetId": sid, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                                   "endColumnIndex": 2},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "Area"}}]}],
                         "fields": "userEnteredValue"}},  # B1 lies in the range but not in rows: cleared
        {"updateProtectedRange": {"protectedRange": {"protectedRangeId": protected_id, "description": "row 1"},
                                  "fields": "description"}},
    ]})
    assert world.standin.values(spreadsheet.id, "Scores!A1:C1") == [["Area", "", "Score"]]
    assert world.standin.protected_ranges(spreadsheet.id)[0]["description"] == "row 1"
    row8 = {"sheetId": sid, "startRowIndex": 7, "endRowIndex": 8, "startColumnIndex": 0, "endColumnIndex": 3}
    for bad in ({"addNamedRange": {"namedRange": {"name": "A1", "range": row8}}},
                {"updateProtectedRange": {"protectedRange": {"protectedRangeId": 7}, "fields": "description"}},
                {"mergeCells": {"range": row8, "mergeType": "MERGE_ROWS"}}):
        with pytest.raises(APIError, match=r"Invalid requests\[0\]\."):
            spreadsheet.batch_update({"requests": [bad]})


def test_drive_moves_and_trashes(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    archive = world.standin.create_folder("Archive", owner=OWNER, writers=[BOT])
    moved = world.bot.http_client.request("patch", f"{DRIVE}/{spreadsheet.id}", params={
        "addParents": archive, "removeParents": world.folder, "fields": "parents,trashed"}, json={"trashed": True})
    assert moved.json() == {"parents": [archive], "trashed": True}
    q = f"'{archive}' in parents and trashed = false"
    assert world.bot.http_client.request("get", DRIVE, params={"q": q}).json()["files"] == []
    with pytest.raises(APIError, match="does not transfer ownership"):
        world.bot.insert_permission(spreadsheet.id, OWNER, perm_type="user", role="owner")


# ---- the contract: discovery schemas, fields masks ---------------------------------------------------------


def test_bodies_are_checked_against_googles_discovery_documents(world: World) -> None:
    spreadsheet = world.bot.create("Alice", folder_id=world.folder)
    with pytest.raises(APIError) as caught:
        spreadsheet.batch_update({"requests": [
            {"addSheet": {"properties": {"title": "Fine"}}},
            {"updateCells": {"rowz": [], "fields": "*", "start": {"sheetId": 0}}}]})
    assert caught.value.code == 400 and caught.value.error["status"] == "INVALID_ARGUMENT"
    assert caught.value.error["message"] == ("Invalid JSON payload received. Unknown name \"rowz\" at "
                                             "'requests[1].update_cells': Cannot find field.")
    assert world.standin.sheet_titles(spreadsheet.id) == ["Sheet1"]  # nothing of the batch was applied
    refused = {
        "Invalid value at 'requests[0].add_sheet.properties.index' (TYPE_INT32), \"first\"":
            {"addSheet": {"properties": {"index": "first"}}},
        "oneof field 'kind' is already set": {"addSheet": {}, "mergeCells": {"range": {"sheetId": 0}}},
        "(TYPE_ENUM), \"MERGE_EVERYTHING\"": {"mergeCells": {"range": {"sheetId": 0}, "mergeType": "MERGE_EVERYTHING"}},
        "the stand-in does not implement sortRange": {"sortRange": {"range": {"sheetId": 0}}},
    }
    for message, request in refused.items():
        with pytest.raises(APIError, match=re.escape(message)):
            spreadsheet.batch_update({"requests": [request]})
    with pytest.raises(APIError, match='Unknown name "valueInputOptions"'):
        spreadsheet.values_update("A1", params={"valueInputOptions": "RAW"}, body={"values": [[1]]})
    with pytest.raises(APIError, match="'valueInputOption' is required"):
        spreadsheet.values_update("A1", params={}, body={"values": [[1]]})
    spreadsheet.share(SE, perm_type="user", role="reader", notify=False)  # gspread's own withLink is tolerated


def test_fields_masks_shape_the_answer_and_unknown_names_are_refused(world: World) -> None:
    spreadsheet = _scorecard(world)
    fields = ("sheets(properties(sheetId,title),"
              "data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue))))")  # what read_grid asks
    got = spreadsheet.fetch_sheet_metadata({"fields": fields})
    assert set(got) == {"sheets"} and set(got["sheets"][1]) == {"properties", "data"}
    assert set(got["sheets"][1]["properties"]) == {"sheetId", "title"}
    assert got["sheets"][1]["data"][0]["rowData"][0]["values"][0] == {"userEnteredValue": {"stringValue": "Skill"},
                                                                      "effectiveValue": {"stringValue": "Skill"}}
    with pytest.raises(APIError, match="Invalid field selection titel"):
        spreadsheet.fetch_sheet_metadata({"fields": "sheets.properties.titel"})
    created = world.bot.http_client.request("post", DRIVE, params={"fields": "id,parents"}, json={
        "name": "x", "mimeType": SPREADSHEET, "parents": [world.folder]}).json()
    assert set(created) == {"id", "parents"}
