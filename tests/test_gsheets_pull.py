"""pull's blind spots: an account that cannot read the files, a copy an SE filled, the manager's
protection and access changed after the push."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gspread.exceptions import APIError

from ladder_sheets import cli as cli_module
from ladder_sheets.core import cells, layout
from ladder_sheets.core.cells import Editor, Role
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Severity, Status
from ladder_sheets.google import client as gsheets
from ladder_sheets.google.pull import pull
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import Stage, SyncState
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, DUE, OPS, Q, as_person, service, type_into

pytestmark = pytest.mark.network
FILES = "https://www.googleapis.com/drive/v3/files"


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _pushed(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> SyncState:
    """Setup 1: SE Ops signs in and pushes into their own folder."""
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    state = SyncState(tmp_path / "state.json")
    assert not push(ladder, roster, Q, folder, state, service(api, api.user_credentials(OPS))[0], due=DUE).failed
    return SyncState.load(state.path)


def _result(api: GoogleStandIn, ladder: Ladder, roster: Roster, state: SyncState, person_id: str) -> Any:
    results = pull(ladder, roster, Q, state, service(api, api.user_credentials(OPS))[0])
    return next(p for p in results.people if p.person.id == person_id)


def test_pull_as_someone_who_cannot_read_the_files_stops_in_one_line(
        api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    state = _pushed(api, ladder, roster, tmp_path)
    intern = "intern@apex.example"
    sheets, _ = service(api, api.user_credentials(intern))
    api.reset_counts()
    monkeypatch.setattr(gsheets, "connect", lambda path, per_minute, impersonate, scope: sheets)
    monkeypatch.setattr(sys, "argv", ["ladder-sheets", "pull", "--team", "config/example-team.yaml", "--quarter", Q,
                                      "--state", str(state.path), "--out", str(tmp_path / "r.json"), "--no-db"])
    with pytest.raises(SystemExit) as exited:
        cli_module.main()
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Error:")]
    folder = state.quarter(Q).folder
    assert exited.value.code == 2 and errors == [
        f"Error: {intern} cannot read the spreadsheets pushed for {Q}: they belong to {OPS} (folder {folder}); "
        f"pull as {OPS}, or have the folder shared with {intern}, then rerun"]
    assert api.request_count(api="sheets") == 0 and not (tmp_path / "r.json").exists()


def test_a_copy_an_se_filled_is_found(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    state = _pushed(api, ladder, roster, tmp_path)
    person = roster.people[1]
    mine = state.quarter(Q).people[person.id].spreadsheet_id
    se = api.client(person.email)
    copy = se.http_client.request("post", f"{FILES}/{mine}/copy", json={}).json()  # File > Make a copy
    wl = layout.build(ladder, roster, person, Q, DUE)
    sheet, cell = next((s, c) for s, c in wl.cells(Role.INPUT) if c.editor is Editor.SE and c.validation
                       and c.validation.options)
    type_into(as_person(api, person.email), copy["id"], sheet.title, cell.ref, int(cell.validation.options[1]))
    se.insert_permission(copy["id"], OPS, perm_type="user", role="writer", notify=False)  # sent back to SE Ops
    result = _result(api, ladder, roster, state, person.id)
    found = [p for p in result.problems if p.message.startswith("filled a copy:")]
    assert len(found) == 1 and found[0].kind == Kind.DUPLICATE
    assert found[0].message.startswith(f"filled a copy: https://docs.google.com/spreadsheets/d/{copy['id']}/edit")
    assert f"owned by {person.email}" in found[0].message and result.status is Status.INVALID
    other = _result(api, ladder, roster, state, roster.people[2].id)  # untouched, no copy: nothing said
    assert not [p for p in other.problems if p.message.startswith("filled a copy")]


def test_a_search_for_copies_that_fails_costs_a_note_and_is_tried_once(api: GoogleStandIn, ladder: Ladder,
                                                                       roster: Roster, tmp_path: Path) -> None:
    """Drive refusing the one search for copies was raised out of pull, stopping every SE's results: each SE who
    typed nothing gets a note instead, their spreadsheet is read, and the search is not sent again."""
    state = _pushed(api, ladder, roster, tmp_path)

    def search(seen: Any) -> bool:
        return seen.method == "GET" and seen.path.endswith("/drive/v3/files") and any(
            "name contains" in q for q in seen.query.get("q", []))

    api.inject_faults(400, times=5, match=search)
    api.reset_counts()
    results = pull(ladder, roster, Q, state, service(api, api.user_credentials(OPS))[0])
    notes = [p for r in results.people for p in r.problems if p.message.startswith("could not look for a copy")]
    assert len(notes) == len(roster.people) and all(p.severity is Severity.NOTE for p in notes)  # nobody typed yet
    assert notes[0].message.startswith(f"could not look for a copy {roster.people[0].name} may have filled instead "
                                       "(Google API refused to look for spreadsheets named")
    assert all(r.status is not Status.MISSING for r in results.people)
    assert api.request_count("GET", "/drive/v3/files", status=400) == 1


def _manager_range(api: GoogleStandIn, sid: str) -> dict[str, Any]:
    return next(p for p in api.protected_ranges(sid, cells.SCORECARD) if "manager inputs" in p["description"])


def _set_editors(api: GoogleStandIn, who: str, sid: str, protected: dict[str, Any], users: list[str]) -> None:
    as_person(api, who).batch_update(sid, [{"updateProtectedRange": {"protectedRange": {
        "protectedRangeId": protected["protectedRangeId"], "editors": {"users": users}}, "fields": "editors"}}])


def test_a_manager_removed_from_their_protected_cells_is_flagged(api: GoogleStandIn, ladder: Ladder,
                                                                 roster: Roster, tmp_path: Path) -> None:
    state = _pushed(api, ladder, roster, tmp_path)
    person = roster.people[0]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    guarded = _manager_range(api, sid)
    _set_editors(api, OPS, sid, guarded, [OPS])  # the owner drops the manager by mistake
    result = _result(api, ladder, roster, state, person.id)
    flagged = [p for p in result.problems if "was removed from the editors" in p.message]
    manager = roster.manager_of(person).email
    assert len(flagged) == 1 and flagged[0].sheet == cells.SCORECARD and flagged[0].kind == Kind.TAMPERED
    assert flagged[0].message.startswith(f"the manager ({manager}) was removed from the editors of their cells ")
    assert result.status is Status.INVALID
    untouched = _result(api, ladder, roster, state, roster.people[1].id)
    assert not [p for p in untouched.problems if p.kind == Kind.TAMPERED]


def test_a_manager_address_typed_with_capitals_is_still_the_manager(api: GoogleStandIn, ladder: Ladder,
                                                                     roster: Roster, tmp_path: Path) -> None:
    """A roster says "Amara.Okafor@Apex-Cloud.example"; Google keeps addresses in lower case: nothing was tampered."""
    capitals = dataclasses.replace(roster, managers=tuple(
        dataclasses.replace(m, email=m.email.title()) for m in roster.managers))
    assert any(m.email != m.email.lower() for m in capitals.managers)
    state = _pushed(api, ladder, capitals, tmp_path)
    person = capitals.people[0]
    result = _result(api, ladder, capitals, state, person.id)
    assert [p.message for p in result.problems if p.kind == Kind.TAMPERED] == []


def test_an_se_added_to_the_manager_s_cells_is_flagged(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                       tmp_path: Path) -> None:
    """The manager, an editor of those cells, lets the SE in: the SE could now score themselves."""
    state = _pushed(api, ladder, roster, tmp_path)
    person = roster.people[0]
    manager = roster.manager_of(person).email
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    guarded = _manager_range(api, sid)
    _set_editors(api, manager, sid, guarded, [OPS, manager, person.email])
    flagged = [p.message for p in _result(api, ladder, roster, state, person.id).problems
               if "may also be edited by" in p.message]
    assert len(flagged) == 1 and flagged[0].endswith(f"may also be edited by {person.email}: only the manager should")


def _pushed_to_shared_drive(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                            tmp_path: Path) -> tuple[SyncState, Any]:
    """Setup 2: a service account, a Content manager of the shared drive, pushes into a folder there."""
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    bot, _ = service(api, api.credentials(BOT))
    state = SyncState(tmp_path / "s.json")
    push(ladder, roster, Q, folder, state, bot, due=DUE, owner=BOT)
    return state, bot


def test_shared_drive_an_se_removing_their_manager_is_flagged(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                              tmp_path: Path) -> None:
    """writersCanShare does not apply in shared drives: an SE can remove the manager, and pull says so."""
    state, bot = _pushed_to_shared_drive(api, ladder, roster, tmp_path)
    person = roster.people[3]
    manager = roster.manager_of(person).email
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    gone = next(p for p in api.permissions(sid) if p.email == manager)
    api.client(person.email).http_client.request("delete", f"{FILES}/{sid}/permissions/{gone.id}",
                                                 params={"supportsAllDrives": True})
    results = {p.person.id: p for p in pull(ladder, roster, Q, state, bot).people}
    assert [p.message for p in results[person.id].problems if "no longer has access" in p.message] == [
        f"the manager ({manager}) no longer has access to this spreadsheet: share it with them again, as Editor"]
    assert not any("no longer has access" in p.message for r in results.values() if r is not results[person.id]
                   for p in r.problems)


def test_shared_drive_a_spreadsheet_whose_sharing_cannot_be_read_costs_a_note(
        api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Drive refusing to list one spreadsheet's permissions was raised out of pull, stopping every SE's: it is a
    note on that SE alone, whose workbook is read all the same."""
    state, bot = _pushed_to_shared_drive(api, ladder, roster, tmp_path)
    person = roster.people[3]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    api.inject_faults(404, times=1, match=f"/files/{sid}/permissions")
    results = {p.person.id: p for p in pull(ladder, roster, Q, state, bot).people}
    (note,) = [p for p in results[person.id].problems if p.kind == Kind.UNREADABLE]
    assert note.severity is Severity.NOTE and note.message.startswith("could not read who has access to this "
                                                                      "spreadsheet (")
    assert note.message.endswith(f"whether the manager ({roster.manager_of(person).email}) still has access is unknown")
    assert all(r.status is not Status.MISSING for r in results.values())  # everyone else's read too


def test_in_my_drive_an_se_cannot_remove_their_manager(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                       tmp_path: Path) -> None:
    """What the README promises for setups 1 and 3: push turns writersCanShare off."""
    state = _pushed(api, ladder, roster, tmp_path)
    person = roster.people[0]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    manager = next(p for p in api.permissions(sid) if p.email == roster.manager_of(person).email)
    with pytest.raises(APIError) as caught:
        api.client(person.email).http_client.request("delete", f"{FILES}/{sid}/permissions/{manager.id}")
    assert caught.value.code == 403
    assert manager in api.permissions(sid)


def test_a_spreadsheet_built_but_not_shared_with_its_se_is_still_pulled(
        api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """The share with an SE outside a domain-only drive is refused: the spreadsheet stays built, the manager
    scores in it, and pull reads those scores (the SE is not missing)."""
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"}, domain="apex-cloud.example",
                                    restrictions={"domainUsersOnly": True})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    outsider = dataclasses.replace(roster.people[2], email="contractor@freelance.example")
    team = dataclasses.replace(roster, people=tuple(outsider if p.id == outsider.id else p for p in roster.people))
    sheets, _ = service(api, api.credentials(BOT))
    state = SyncState(tmp_path / "state.json")
    assert [pid for pid, _ in push(ladder, team, Q, folder, state, sheets, due=DUE, owner=BOT).failed] == [outsider.id]
    entry = SyncState.load(state.path).quarter(Q).people[outsider.id]
    assert entry.stage is Stage.BUILT
    wl = layout.build(ladder, team, outsider, Q, DUE)
    scored = {c.key: (s.title, c.ref) for s, c in wl.cells(Role.INPUT) if c.editor is Editor.MANAGER
              and c.key.startswith("criteria.") and c.key.endswith(".manager")}
    typed = dict(zip(sorted(scored), (3, 1, 2)))
    manager = as_person(api, team.manager_of(outsider).email)
    for key, score in typed.items():
        type_into(manager, entry.spreadsheet_id, *scored[key], score)
    results = pull(ladder, team, Q, SyncState.load(state.path), sheets)
    mine = next(p for p in results.people if p.person.id == outsider.id)
    assert mine.status is not Status.MISSING and mine.inputs is not None
    assert {key: mine.inputs.criteria[key.split(".")[1]].manager_score for key in typed} == \
        {key: float(score) for key, score in typed.items()}
