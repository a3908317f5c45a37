"""Google Sheets sync, with gspread's real client against the local Sheets/Drive stand-in (tests/support/google_standin.py).

The world here is setup 2 of the README: a service account that is a member (Content
manager) of a shared drive, pushing into a folder of that drive.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from gspread.exceptions import APIError

from ladder_sheets.cli import cli
from ladder_sheets.core import layout
from ladder_sheets.core.cells import Check, Role
from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.core.results import Status
from ladder_sheets.google import client as gsheets
from ladder_sheets.google import credentials as gcredentials
from ladder_sheets.google.client import Sheets
from ladder_sheets.google.pull import pull
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import Stage, SyncState
from tests.support.fill import random_inputs
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, DUE, Q, as_bot, as_person, type_into

pytestmark = pytest.mark.network
FOLDER = ""  # set per test: the folder in the shared drive


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    global FOLDER
    with GoogleStandIn() as server:
        drive = server.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
        FOLDER = server.create_folder("Presales 2026-Q4", owner="", parent=drive)
        yield server


def connect(api: GoogleStandIn, email: str, *, attempts: int = 6) -> tuple[Sheets, list[float]]:
    return as_bot(api, attempts=attempts) if email == BOT else (as_person(api, email), [])


def spreadsheet_of(api: GoogleStandIn, person: Person) -> Any:
    return next(f for f in api.files(parent=FOLDER) if f.name.endswith(f"({person.id})"))


def _push(ladder: Ladder, roster: Roster, sheets: Sheets, state: SyncState, **kwargs: Any) -> Any:
    return push(ladder, roster, Q, FOLDER, state, sheets, due=DUE, owner=BOT, **kwargs)


def _type(api: GoogleStandIn, sheets: Sheets, sid: str, sheet: str, ref: str, value: Any) -> None:
    type_into(sheets, sid, sheet, ref, value)


def test_push_then_pull_returns_what_people_typed(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                  tmp_path: Path) -> None:
    bot, _ = connect(api, BOT)
    state = SyncState(tmp_path / "state.json")
    report = _push(ladder, roster, bot, state)
    assert sorted(report.created) == sorted(p.id for p in roster.people) and not report.failed
    rng = random.Random(5)
    typed = {}
    for person in roster.people[:3]:
        se, _ = connect(api, person.email)
        manager, _ = connect(api, roster.manager_of(person).email)
        wl = layout.build(ladder, roster, person, Q, DUE)
        inputs, values = random_inputs(ladder, ladder.rubric_for(person.target_level), rng, level=person.level)
        sid = state.quarter(Q).people[person.id].spreadsheet_id
        for key, value in values.items():
            sheet, cell = wl.by_key()[key]
            typist = manager if key.endswith((".manager", ".comment")) else se  # the layout's manager cells
            _type(api, typist, sid, sheet.title, cell.ref, value)
        typed[person.id] = inputs
    api.reset_counts()
    results = pull(ladder, roster, Q, SyncState.load(tmp_path / "state.json"), bot)
    assert api.request_count(api="sheets") == len(roster.people)  # one Sheets read per spreadsheet
    by_id = {p.person.id: p for p in results.people}
    for person_id, inputs in typed.items():
        assert by_id[person_id].status is Status.COMPLETE, by_id[person_id].problems
        assert by_id[person_id].inputs == inputs
    untouched = by_id[roster.people[4].id]
    assert untouched.status is Status.INCOMPLETE and untouched.inputs is not None
    assert results.source == "google-sheets"


def test_requests_per_se_and_permissions(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    bot, _ = connect(api, BOT)
    _push(ladder, roster, bot, SyncState(tmp_path / "state.json"), notify=True, message="Your Q4 workbook")
    # Per SE: create, share manager, one batchUpdate, share SE; per run: one look at the folder.
    assert api.request_count() == 4 * len(roster.people) + 1
    assert api.request_count("POST", ":batchUpdate") == len(roster.people)
    state = SyncState.load(tmp_path / "state.json")
    for person in roster.people:
        sid = state.quarter(Q).people[person.id].spreadsheet_id
        f = api.file(sid)
        manager = roster.manager_of(person).email
        assert f.owner == "" and f.parents == (FOLDER,)  # the shared drive owns it
        permissions = api.permissions(sid)
        assert {(p.email, p.role, p.type) for p in permissions} == {
            (person.email, "writer", "user"), (manager, "writer", "user")}
        assert not any(p.type == "anyone" for p in permissions)  # no link sharing
        notified = {p.email: (p.notified, p.email_message or "") for p in permissions}
        assert notified == {person.email: (True, "Your Q4 workbook"), manager: (False, "")}
        others = [p.email for p in roster.people if p is not person]
        assert not any(p.email in others for p in permissions)  # privacy: no peer sees it


def test_protected_ranges_let_only_the_manager_score(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                     tmp_path: Path) -> None:
    bot, _ = connect(api, BOT)
    state = SyncState(tmp_path / "state.json")
    _push(ladder, roster, bot, state)
    person = roster.people[0]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    wl = layout.build(ladder, roster, person, Q, DUE)
    first = ladder.rubric_for(person.target_level).criteria[0].id
    keys = wl.by_key()
    se, _ = connect(api, person.email)
    manager, _ = connect(api, roster.manager_of(person).email)
    sheet, self_cell = keys[f"criteria.{first}.self"]
    _, manager_cell = keys[f"criteria.{first}.manager"]
    _, readiness = keys["result.self_pct"]
    _type(api, se, sid, sheet.title, self_cell.ref, 2)
    _type(api, manager, sid, sheet.title, manager_cell.ref, 3)
    for who, ref in ((se, manager_cell.ref), (se, readiness.ref), (manager, readiness.ref)):
        with pytest.raises(APIError, match="protected cell"):
            _type(api, who, sid, sheet.title, ref, 1)
    with pytest.raises(APIError, match="violates the data validation rule"):
        _type(api, se, sid, sheet.title, self_cell.ref, 4)
    manager_ranges = [p for p in api.protected_ranges(sid, sheet.title) if "manager" in p["description"]]
    # One range per manager column (scores, comments), each editable by the manager alone.
    assert [sorted(p["editors"]["users"]) for p in manager_ranges] == [sorted([BOT, roster.manager_of(person).email])] * 2
    _, comment_cell = keys[f"criteria.{first}.comment"]
    _type(api, manager, sid, sheet.title, comment_cell.ref, "Agreed: the Acme POC shows it")
    with pytest.raises(APIError, match="protected cell"):
        _type(api, se, sid, sheet.title, comment_cell.ref, "I agree with myself")


def test_interrupted_push_resumes_without_duplicates_or_lost_edits(api: GoogleStandIn, ladder: Ladder,
                                                                   roster: Roster, tmp_path: Path) -> None:
    bot, _ = connect(api, BOT, attempts=2)
    state = SyncState(tmp_path / "state.json")
    newcomer = roster.people[2]
    before = replace(roster, people=tuple(p for p in roster.people if p is not newcomer))
    api.inject_faults(500, times=2, match=":batchUpdate")  # the first SE's build fails twice: retries exhausted
    first = _push(ladder, before, bot, state)
    assert [pid for pid, _ in first.failed] == [roster.people[0].id]
    assert "HTTP 500" in first.failed[0][1]
    shared = state.quarter(Q).people[roster.people[1].id]
    assert shared.stage is Stage.SHARED
    # Meanwhile an SE whose sheet was shared starts filling it in.
    se, _ = connect(api, roster.people[1].email)
    wl = layout.build(ladder, roster, roster.people[1], Q, DUE)
    sheet, cell = wl.by_key()["readout.period"]
    _type(api, se, shared.spreadsheet_id, sheet.title, cell.ref, "six months")
    # A new SE joins the roster, and the answer to creating their file is lost after Google
    # created it: the retry must find that file, not make a second one.
    creating = lambda seen: (seen.method, seen.path) == ("POST", "/drive/v3/files")  # noqa: E731
    api.inject_faults(500, times=1, match=creating, after_work=True)
    api.inject_faults(503, times=1, match=":batchUpdate")  # retried transparently this time
    again = _push(ladder, roster, bot, SyncState.load(tmp_path / "state.json"))
    assert not again.failed
    assert sorted(again.resumed) == [roster.people[0].id] and again.created == [newcomer.id]
    assert [r.status for r in api.requests if (r.method, r.path) == ("POST", "/drive/v3/files")][-1] == 500
    titles = [f.name for f in api.files(parent=FOLDER)]
    assert len(titles) == len(roster.people) and len(set(titles)) == len(titles)
    assert api.cell(shared.spreadsheet_id, f"'{sheet.title}'!{cell.ref}").entered == "six months"
    assert all(e.stage is Stage.SHARED for e in SyncState.load(tmp_path / "state.json").quarter(Q).people.values())


def _builds_refused(api: GoogleStandIn, positions: set[int]) -> None:
    """Google refuses (400) the build of the SEs at these positions of the push (0-based, builds in roster order)."""
    order: list[str] = []

    def refused(seen: Any) -> bool:
        if not (seen.method == "POST" and seen.path.endswith(":batchUpdate")):
            return False
        spreadsheet = seen.path.rsplit("/", 1)[-1].split(":")[0]
        if spreadsheet not in order:
            order.append(spreadsheet)
        return order.index(spreadsheet) in positions

    api.inject_faults(400, times=100, match=refused)


def test_failures_that_are_not_in_a_row_never_stop_the_push(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                             tmp_path: Path) -> None:
    """Every other SE's build refused: each failure is that SE's, and every SE is still tried."""
    bot, _ = connect(api, BOT)
    failing = set(range(0, len(roster.people), 2))
    _builds_refused(api, failing)
    report = _push(ladder, roster, bot, SyncState(tmp_path / "state.json"))
    assert [pid for pid, _ in report.failed] == [p.id for i, p in enumerate(roster.people) if i in failing]
    assert report.not_attempted == []
    shared = SyncState.load(tmp_path / "state.json").quarter(Q).people
    assert [p.id for p in roster.people if shared[p.id].stage is Stage.SHARED] == [
        p.id for i, p in enumerate(roster.people) if i not in failing]


def test_three_failures_in_a_row_start_no_further_se(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                     tmp_path: Path) -> None:
    """The same fault three times running would hit everyone: the rest are left for a rerun."""
    bot, _ = connect(api, BOT)
    _builds_refused(api, {1, 2, 3})
    report = _push(ladder, roster, bot, SyncState(tmp_path / "state.json"))
    ids = [p.id for p in roster.people]
    assert [pid for pid, _ in report.failed] == ids[1:4]
    assert report.not_attempted == ids[4:]
    assert SyncState.load(tmp_path / "state.json").quarter(Q).people[ids[0]].stage is Stage.SHARED


def test_429_is_retried_after_retry_after(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    bot, waits = connect(api, BOT)
    api.inject_faults(429, times=2, match=":batchUpdate")
    report = _push(ladder, roster, bot, SyncState(tmp_path / "state.json"))
    assert not report.failed and waits == [1.0, 1.0]  # the stand-in's Retry-After


def test_pull_flags_an_overwritten_formula(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    bot, _ = connect(api, BOT)
    state = SyncState(tmp_path / "state.json")
    _push(ladder, roster, bot, state)
    person = roster.people[3]
    sid = state.quarter(Q).people[person.id].spreadsheet_id
    keys = layout.build(ladder, roster, person, Q, DUE).by_key()
    sheet, pct = keys["result.manager_pct"]
    _, band = keys["result.manager_band"]
    # The owner can type anywhere (protection does not bind the owner). A wrong value and a
    # value that happens to be right ("Incomplete" while nothing is scored) are both caught.
    _type(api, bot, sid, sheet.title, pct.ref, 0.95)
    _type(api, bot, sid, sheet.title, band.ref, "Incomplete")
    result = {p.person.id: p for p in pull(ladder, roster, Q, state, bot).people}[person.id]
    tampered = {p.cell: p.message for p in result.problems if p.kind == "tampered"}
    assert set(tampered) == {pct.ref, band.ref} and result.status is Status.INVALID
    assert tampered[pct.ref].startswith("formula result overwritten: found 0.95")
    assert tampered[band.ref] == f"the formula was replaced: expected {band.value}, found a typed value instead"


def test_bad_credentials_file_is_a_clear_error_without_secrets(tmp_path: Path) -> None:
    broken = {"type": "service_account", "client_email": "x@y", "private_key": "-----BEGIN SECRET-----xyz",
              "token_uri": "https://oauth2.googleapis.com/token"}
    path = tmp_path / "key.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        gcredentials.load_credentials(path)
    assert str(err.value).startswith(f"{path}: invalid credentials file (")
    assert "SECRET" not in str(err.value) and "xyz" not in str(err.value)
    path.write_text('{"type": "something"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a service-account key, authorized-user file or OAuth client file"):
        gcredentials.load_credentials(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="credentials file is not readable JSON"):
        gcredentials.load_credentials(path)


def test_cli_push_dry_run_and_push(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state.json"
    args = ["push", "--team", "config/example-team.yaml", "--quarter", Q, "--folder", FOLDER, "--state", str(state)]
    dry = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0 and not api.requests and not state.exists()
    person: Person = roster.people[0]
    assert f"{person.id}: would create '{Q} {ladder.name}: {person.name} ({person.id})' and share with " \
           f"{person.email} (SE) and {roster.manager_of(person).email} (manager) as writers" in dry.output
    bot, _ = connect(api, BOT)
    monkeypatch.setattr(gsheets, "connect", lambda path, per_minute, impersonate, scope: bot)
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert f"created {len(roster.people)}, resumed 0, already shared 0, failed 0" in done.output
    pulled = CliRunner().invoke(cli, ["pull", "--team", "config/example-team.yaml", "--quarter", Q, "--state",
                                      str(state), "--out", str(tmp_path / "results.json")])
    assert pulled.exit_code == 1  # nobody has filled anything in yet
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["source"] == "google-sheets"


def test_requests_name_no_empty_editor_when_the_owner_is_unknown(ladder: Ladder, roster: Roster) -> None:
    """With a person's OAuth login the owner's address is unknown (""): it must not become an editor."""
    from ladder_sheets.google.batch_requests import build_requests

    person = roster.people[0]
    manager = roster.manager_of(person).email
    requests_ = build_requests(layout.build(ladder, roster, person, Q, DUE), 0, "", manager)
    editors = [r["addProtectedRange"]["protectedRange"]["editors"]["users"] for r in requests_ if "addProtectedRange" in r]
    assert all("" not in users for users in editors)
    assert [users for users in editors if users] and all(users == [manager] for users in editors if users)


def test_rows_people_type_wrapped_text_into_keep_sheets_automatic_height(ladder: Ladder, roster: Roster) -> None:
    """A row with a fixed pixel height never grows in Sheets: rows holding evidence, comments, notes or
    read-out answers get none, every other sized row (titles, headers, fixed text) gets its height."""
    from ladder_sheets.google.batch_requests import build_requests
    from ladder_sheets.core.cells import Role

    person = roster.people[0]
    wl = layout.build(ladder, roster, person, Q, DUE)
    requests = build_requests(wl, 0, BOT, roster.manager_of(person).email)
    sized = {(r["updateDimensionProperties"]["range"]["sheetId"], r["updateDimensionProperties"]["range"]["startIndex"])
             for r in requests if "updateDimensionProperties" in r
             and r["updateDimensionProperties"]["range"]["dimension"] == "ROWS"}
    ids = {r["addSheet"]["properties"]["title"]: r["addSheet"]["properties"]["sheetId"]
           for r in requests if "addSheet" in r}
    for sheet in wl.sheets:
        sid = ids.get(sheet.title, 0)
        typed = {c.row for c in sheet.cells if c.role is Role.INPUT and c.style == "input_wrap"}
        assert {row for s, row in sized if s == sid} == {r - 1 for r in sheet.heights if r not in typed}, sheet.title
    assert any(c.style == "input_wrap" for s in wl.sheets for c in s.cells)


def test_free_text_inputs_are_text_cells_and_numbers_are_not(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                              tmp_path: Path) -> None:
    """Evidence, comments, notes and read-out answers are formatted as text, so Google keeps "12/1/2026" or
    "3/4" as typed; scores, actuals and choices are not (a number typed there stays a number)."""
    bot, _ = connect(api, BOT)
    state = SyncState(tmp_path / "state.json")
    _push(ladder, roster, bot, state)
    for person in roster.people[:2]:
        sid = state.quarter(Q).people[person.id].spreadsheet_id
        wl = layout.build(ladder, roster, person, Q, DUE)
        for sheet, cell in wl.cells(Role.INPUT):
            assert cell.validation is not None
            found = (api.cell(sid, f"'{sheet.title}'!{cell.ref}").format or {}).get("numberFormat", {}).get("type")
            assert (found == "TEXT") == (cell.validation.check is Check.TEXT), (cell.key, found)
