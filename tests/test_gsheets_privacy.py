"""Privacy by construction (no re-sharing, folder per manager, inheritance), sharing answers, locale,
scores as text, and pull's formula check."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from gspread.exceptions import APIError

from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Status
from ladder_sheets.google.batch_requests import build_requests
from ladder_sheets.google.pull import pull
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import SyncState
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import DUE, OPS, Q, as_person, fill_in, service, type_into
from tests.support.standin.realism import Realism

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _oauth_push(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path, **options: object
                ) -> tuple[str, SyncState]:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    sheets, _ = service(api, api.user_credentials(OPS))
    state = SyncState(tmp_path / "state.json")
    report = push(ladder, roster, Q, folder, state, sheets, due=DUE, **options)  # type: ignore[arg-type]
    assert not report.failed
    return folder, state


def test_an_se_cannot_reshare_their_spreadsheet(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                               tmp_path: Path) -> None:
    _, state = _oauth_push(api, ladder, roster, tmp_path)
    person = roster.people[0]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    se = as_person(api, person.email)
    with pytest.raises(APIError, match="sufficient permissions"):
        se.client.insert_permission(sid, roster.people[1].email, perm_type="user", role="writer")
    assert {p.email for p in api.permissions(sid)} == {person.email, roster.manager_of(person).email}


def test_folder_per_manager_shows_each_manager_their_team_only(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                              tmp_path: Path) -> None:
    folder, state = _oauth_push(api, ladder, roster, tmp_path, folder_per_manager=True)
    managers = {roster.manager_of(p).id: roster.manager_of(p) for p in roster.people}
    subfolders = api.files(parent=folder)
    assert len(subfolders) == len(managers)  # one folder per manager, created once
    assert api.request_count("POST", "/permissions") == len(managers) + len(roster.people)  # manager once, SE each
    for person in roster.people:
        sid = state.quarter(Q).people[person.id].spreadsheet_id
        assert {p.email for p in api.permissions(sid)} == {person.email}  # the manager sees it through the folder
        manager = roster.manager_of(person)
        assert api.file(sid).parents == (state.quarter(Q).manager_folders[manager.id],)
        for other in managers.values():
            reader = as_person(api, other.email)
            if other is manager:
                assert reader.client.open_by_key(sid).title == api.file(sid).name
            else:
                with pytest.raises((APIError, PermissionError)):  # gspread turns the 403 into PermissionError
                    reader.client.open_by_key(sid)
    # Scores: the manager may type them (protected range lists the manager), the SE may not.
    person = roster.people[0]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    keys = layout.build(ladder, roster, person, Q, DUE).by_key()
    first = ladder.rubric_for(person.target_level).criteria[0].id
    sheet, cell = keys[f"criteria.{first}.manager"]
    type_into(as_person(api, roster.manager_of(person).email), sid, sheet.title, cell.ref, 2)
    with pytest.raises(APIError, match="protected cell"):
        type_into(as_person(api, person.email), sid, sheet.title, cell.ref, 1)
    # A rerun finds every folder in the state: nothing more is created or shared.
    api.reset_counts()
    sheets, _ = service(api, api.user_credentials(OPS))
    push(ladder, roster, Q, folder, SyncState.load(tmp_path / "state.json"), sheets, due=DUE, folder_per_manager=True)
    assert api.request_count("POST") == 0


def test_one_folder_shared_with_every_manager_leaks_what_the_readme_warns_about(
        api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Files inherit their folder's sharing: the layout --folder-per-manager exists to avoid."""
    managers = sorted({roster.manager_of(p).email for p in roster.people})
    folder = api.create_folder("Everyone", owner=OPS, writers=managers)
    sheets, _ = service(api, api.user_credentials(OPS))
    state = SyncState(tmp_path / "state.json")
    push(ladder, roster, Q, folder, state, sheets, due=DUE)
    person = next(p for p in roster.people if roster.manager_of(p).email != managers[0])
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    assert as_person(api, managers[0]).client.open_by_key(sid)  # another team's manager can open it


def test_shared_but_no_email_is_a_success_with_a_warning(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                         tmp_path: Path) -> None:
    person = roster.people[1]
    api.realism.mail_fails_for.add(person.email)
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    sheets, _ = service(api, api.user_credentials(OPS))
    state = SyncState(tmp_path / "state.json")
    report = push(ladder, roster, Q, folder, state, sheets, due=DUE, notify=True)
    assert not report.failed
    assert report.warnings == [(person.id, f"shared with {person.email}, but Google could not send the "
                                           "notification email")]
    api.reset_counts()
    push(ladder, roster, Q, folder, SyncState.load(tmp_path / "state.json"), sheets, due=DUE, notify=True)
    assert api.request_count("POST", "/permissions") == 0  # not shared again


def test_locale_is_set_before_the_formulas_are_parsed(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    with GoogleStandIn(realism=Realism()) as api:
        api.set_user_locale(OPS, "de_DE")  # OPS's Drive is in German: new files start in de_DE
        folder, state = _oauth_push(api, ladder, roster, tmp_path, time_zone="Europe/Berlin")
        sid = state.quarter(Q).people[roster.people[0].id].spreadsheet_id
        book = api.spreadsheet(sid, with_data=True)
        assert book["properties"]["locale"] == "en_US" and book["properties"]["timeZone"] == "Europe/Berlin"
        assert not _parse_errors(book)
        assert api.request_count("POST", ":batchUpdate") == len(roster.people)  # no extra request for it
        # Without the locale request first, the German file misreads the band thresholds: the stand-in sees it.
        sheets, _ = service(api, api.user_credentials(OPS))
        bare = sheets.client.create("control", folder_id=folder)
        person = roster.people[0]
        requests = build_requests(layout.build(ladder, roster, person, Q, DUE), 0, OPS, roster.manager_of(person).email)
        assert "updateSpreadsheetProperties" in requests[0]
        sheets.batch_update(bare.id, requests[1:])
        assert _parse_errors(api.spreadsheet(bare.id, with_data=True))


def _parse_errors(book: dict[str, object]) -> list[str]:
    found = []
    for sheet in book.get("sheets", []):  # type: ignore[attr-defined]
        for data in sheet.get("data", []):
            for row in data.get("rowData", []):
                for value in row.get("values", []):
                    if "errorValue" in (value.get("effectiveValue") or {}):
                        found.append(value["userEnteredValue"]["formulaValue"])
    return found


def test_scores_that_come_back_as_text_are_read_as_numbers(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                           tmp_path: Path) -> None:
    _, state = _oauth_push(api, ladder, roster, tmp_path)
    person = roster.people[2]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    typed = fill_in(api, ladder, roster, person, sid, random.Random(4), scores_as_text=True)
    sheets, _ = service(api, api.user_credentials(OPS))
    result = {p.person.id: p for p in pull(ladder, roster, Q, state, sheets).people}[person.id]
    assert result.status is Status.COMPLETE, result.problems
    assert result.inputs == typed


def _formula(sheets: object, sid: str, title: str, ref: str, formula: str) -> None:
    """Typing a formula in the browser (the owner may type anywhere)."""
    sheets.http.values_update(sid, f"'{title}'!{ref}", params={"valueInputOption": "USER_ENTERED"},  # type: ignore[attr-defined]
                              body={"values": [[formula]]})


def test_formula_check_flags_another_formula_not_other_spacing_or_case(api: GoogleStandIn, ladder: Ladder,
                                                                       roster: Roster, tmp_path: Path) -> None:
    _, state = _oauth_push(api, ladder, roster, tmp_path)
    owner, _ = service(api, api.user_credentials(OPS))
    person, other = roster.people[3], roster.people[4]
    keys = layout.build(ladder, roster, person, Q, DUE).by_key()
    sheet, band = keys["result.manager_band"]
    _, pct = keys["result.self_pct"]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    _formula(owner, sid, sheet.title, band.ref, '="Ready"')  # another formula, maybe even the same value
    other_sid = state.quarter(Q).people[other.id].spreadsheet_id
    other_keys = layout.build(ladder, roster, other, Q, DUE).by_key()
    _, other_pct = other_keys["result.self_pct"]
    _formula(owner, other_sid, sheet.title, other_pct.ref, restyled_other := str(other_pct.value).lower().replace(",", ", "))
    assert restyled_other != other_pct.value
    results = {p.person.id: p for p in pull(ladder, roster, Q, state, owner).people}
    tampered = {p.cell: p.message for p in results[person.id].problems if p.kind == "tampered"}
    assert tampered == {band.ref: f"the formula was replaced: expected {band.value}, found =\"Ready\""}
    assert not [p for p in results[other.id].problems if p.kind == "tampered"]


def test_a_german_locale_keeps_formulas_and_number_formats(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """--locale de_DE: formulas go in under en_US, the locale switches last; pull reads numbers, not text."""
    with GoogleStandIn() as api:
        api.set_user_locale(OPS, "de_DE")
        _, state = _oauth_push(api, ladder, roster, tmp_path, locale="de_DE")
        person = roster.people[0]
        sid = state.quarter(Q).people[person.id].spreadsheet_id
        book = api.spreadsheet(sid, with_data=True)
        assert book["properties"]["locale"] == "de_DE" and not _parse_errors(book)
        keys = layout.build(ladder, roster, person, Q, DUE).by_key()
        sheet, pct = keys["result.self_pct"]
        sent = build_requests(layout.build(ladder, roster, person, Q, DUE), 0, OPS, "m@x", locale="de_DE")
        assert sent[-1] == {"updateSpreadsheetProperties": {"properties": {"locale": "de_DE"}, "fields": "locale"}}
        assert api.cell(sid, f"'{sheet.title}'!{pct.ref}").format["numberFormat"]["pattern"] == pct.number_format
        typed = fill_in(api, ladder, roster, person, sid, random.Random(8))
        sheets, _ = service(api, api.user_credentials(OPS))
        result = {p.person.id: p for p in pull(ladder, roster, Q, state, sheets).people}[person.id]
        assert result.status is Status.COMPLETE and result.inputs == typed
