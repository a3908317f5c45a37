"""Every request push sends obeys Sheets' structural rules (standin.rules): audited, and accepted by the stand-in.

The audit (tests/support/request_audit.py) lists every break in a batch without sending it;
the stand-in refuses the batch at the first, as Google does, and applies none of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from gspread.exceptions import APIError

from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.google.batch_requests import build_requests, grid_range
from ladder_sheets.google.client import Sheets
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import SyncState
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, DUE, Q, as_bot
from tests.support.request_audit import audit
from tests.support.standin.rules import MAX_PAYLOAD

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _folder(api: GoogleStandIn) -> str:
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    return api.create_folder(Q, owner="", parent=drive)


def mixed_roster(ladder: Ladder, roster: Roster, n: int) -> Roster:
    """``n`` SEs over every (level, target) pair the shipped ladder allows, under the example's managers."""
    pairs = [(lv.id, t) for lv in ladder.levels for t in (lv.id, *lv.promotes_to) if t in ladder.rubrics]
    people = tuple(Person(f"se-{i:02d}", f"SE {i}", f"se{i}@apex-cloud.example", *pairs[i % len(pairs)],
                          roster.managers[i % len(roster.managers)].id) for i in range(n))
    return replace(roster, people=people)


def _builds(api: GoogleStandIn) -> list[list[dict[str, Any]]]:
    return [r.body["requests"] for r in api.requests if r.path.endswith(":batchUpdate")]


@pytest.mark.parametrize("size", [None, 40])
def test_every_request_push_sends_breaks_no_rule(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                 tmp_path: Path, size: int | None) -> None:
    """The example roster and 40 SEs of mixed levels: before the caption moved right of the frozen
    columns, every build merged B3:K3 across them (8 of 8, 40 of 40 broken)."""
    team = roster if size is None else mixed_roster(ladder, roster, size)
    sheets, _ = as_bot(api)
    report = push(ladder, team, Q, _folder(api), SyncState(tmp_path / "s.json"), sheets, due=DUE, owner=BOT)
    builds = _builds(api)
    assert not report.failed and len(builds) == len(team.people)
    assert [audit(requests) for requests in builds] == [[]] * len(builds)


def test_the_audit_and_the_stand_in_both_catch_a_merge_across_the_freeze(
        api: GoogleStandIn, ladder: Ladder, roster: Roster) -> None:
    """The break every build had: told nothing about it, both find it."""
    person = roster.people[0]
    wl = layout.build(ladder, roster, person, Q, DUE)
    scorecard = [s.title for s in wl.sheets].index(layout.SCORECARD)
    requests = build_requests(wl, 0, BOT, roster.manager_of(person).email)
    requests.append({"mergeCells": {"range": grid_range(scorecard, "B3:K3"), "mergeType": "MERGE_ALL"}})
    assert audit(requests) == [f"requests[{len(requests) - 1}].mergeCells: You can't merge frozen and non-frozen "
                               "columns."]
    sheets, _ = as_bot(api)
    sid = sheets.create(sheets.folder(_folder(api)), "old build")
    with pytest.raises(Exception, match="You can't merge frozen and non-frozen columns"):
        sheets.batch_update(sid, requests)
    assert api.sheet_titles(sid) == ["Sheet1"]  # all-or-nothing: not one sheet was added


def _shapes(ladder: Ladder, roster: Roster) -> Iterator[tuple[str, Person, bool]]:
    for target in ladder.rubrics:
        level = next(lv.id for lv in ladder.levels if target in (lv.id, *lv.promotes_to))
        person = replace(roster.people[0], level=level, target_level=target)
        for carried in (False, True):
            yield f"{target}{'+carry' if carried else ''}", person, carried


def test_every_layout_shape_is_accepted(api: GoogleStandIn, ladder: Ladder, roster: Roster) -> None:
    """Every rubric in the shipped ladder, with and without last quarter's columns carried forward."""
    sheets, _ = as_bot(api)
    folder = sheets.folder(_folder(api))
    shapes = list(_shapes(ladder, roster))
    assert len(shapes) == 2 * len(ladder.rubrics)
    for name, person, carried in shapes:
        wl = layout.build(ladder, roster, person, Q, DUE, carry={} if carried else None)
        requests = build_requests(wl, 0, BOT, roster.manager_of(person).email)
        assert audit(requests) == [], name
        sid = sheets.create(folder, name)
        sheets.batch_update(sid, requests)
        assert api.sheet_titles(sid) == [s.title for s in wl.sheets], name
        for sheet in wl.sheets:
            if sheet.merges:
                assert len(api.merges(sid, sheet.title)) == len(sheet.merges), name


def _bare(api: GoogleStandIn) -> tuple[Sheets, str]:
    sheets, _ = as_bot(api)
    return sheets, sheets.create(sheets.folder(_folder(api)), "rules")


def _area(r0: int, r1: int, c0: int, c1: int, sheet: int = 0) -> dict[str, int]:
    return {"sheetId": sheet, "startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}


def _freeze(rows: int, cols: int) -> dict[str, Any]:
    return {"updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {
        "frozenRowCount": rows, "frozenColumnCount": cols}}, "fields": "gridProperties(frozenRowCount,frozenColumnCount)"}}


def _merge(r0: int, r1: int, c0: int, c1: int) -> dict[str, Any]:
    return {"mergeCells": {"range": _area(r0, r1, c0, c1), "mergeType": "MERGE_ALL"}}


def _protect(**protected: Any) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": protected}}


BROKEN = {  # rule -> (a batch breaking it, what Sheets says)
    "merge across frozen rows": ([_freeze(2, 0), _merge(1, 3, 0, 2)], "You can't merge frozen and non-frozen rows."),
    "merge across frozen columns": ([_freeze(0, 3), _merge(0, 1, 1, 5)],
                                    "You can't merge frozen and non-frozen columns."),
    "freeze through a merge": ([_merge(0, 1, 1, 5), _freeze(0, 3)],
                               "not possible to freeze columns which contain only part of a merged cell"),
    "overlapping merges": ([_merge(0, 2, 0, 2), _merge(1, 3, 1, 3)], "You must select all cells in a merged cell"),
    "merge past the grid": ([_merge(0, 1, 20, 27)], "exceeds grid limits"),
    "named range past the grid": ([{"addNamedRange": {"namedRange": {"name": "far", "range": _area(999, 1001, 0, 1)}}}],
                                  "exceeds grid limits"),
    "column past the grid": ([{"updateDimensionProperties": {
        "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 26, "endIndex": 27},
        "properties": {"pixelSize": 50}, "fields": "pixelSize"}}], "exceeds grid limits"),
    "editors on a warning-only range": ([_protect(range=_area(0, 1, 0, 1), warningOnly=True, editors={"users": [BOT]})],
                                        "Editors are not supported with warning-only protection"),
    "holes in a range that is not a sheet": ([_protect(range=_area(0, 9, 0, 9), unprotectedRanges=[_area(1, 2, 1, 2)])],
                                             "Unprotected ranges are only supported on protected sheets."),
    "a hole past the grid": ([_protect(range={"sheetId": 0}, unprotectedRanges=[_area(0, 1, 30, 31)])],
                             "exceeds grid limits"),
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_rule_is_refused_whole_and_listed_by_the_audit(api: GoogleStandIn, rule: str) -> None:
    batch, said = BROKEN[rule]
    requests = [{"addSheet": {"properties": {"sheetId": 7, "title": "Never added"}}}, *batch]
    assert len(audit(requests)) == 1 and said in audit(requests)[0]
    sheets, sid = _bare(api)
    with pytest.raises(Exception, match=said.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        sheets.batch_update(sid, requests)
    assert api.sheet_titles(sid) == ["Sheet1"] and api.merges(sid) == []


def test_a_build_over_googles_recommended_payload_is_refused(api: GoogleStandIn) -> None:
    """Google recommends at most 2 MB a request: a build that grew past it must be split, not sent."""
    text = "x" * 40_000
    rows = [{"values": [{"userEnteredValue": {"stringValue": text}}]} for _ in range(60)]
    requests = [{"updateCells": {"rows": rows, "fields": "userEnteredValue",
                                 "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0}}}]
    assert len(json.dumps({"requests": requests})) > MAX_PAYLOAD
    assert audit(requests)[0].startswith("payload: Request payload size exceeds the limit")
    sheets, sid = _bare(api)
    with pytest.raises(Exception, match="Request payload size exceeds the limit"):
        sheets.batch_update(sid, requests)
    assert api.values(sid, "A1") == []


def test_the_real_build_stays_far_under_the_payload_limit(ladder: Ladder, roster: Roster) -> None:
    biggest = max(len(json.dumps({"requests": build_requests(layout.build(ladder, roster, p, Q, DUE), 0, BOT, "m@x")}))
                  for p in mixed_roster(ladder, roster, 8).people)
    assert biggest < MAX_PAYLOAD / 4


def test_rules_hold_for_gspread_too(api: GoogleStandIn) -> None:
    """The refusal is Google's 400 shape, so gspread (and push) see an APIError, not a transport failure."""
    spreadsheet = api.client(BOT).create("via gspread", folder_id=_folder(api))
    with pytest.raises(APIError) as caught:
        spreadsheet.batch_update({"requests": [_freeze(1, 0), _merge(0, 2, 0, 1)]})
    assert caught.value.code == 400 and caught.value.error["status"] == "INVALID_ARGUMENT"
