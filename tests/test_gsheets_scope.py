"""--scope drive.file: Drive shows ladder-sheets only the files it made, so push makes the quarter's folder."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladder_sheets.cli import cli
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Status
from ladder_sheets.google import client as gsheets
from ladder_sheets.google.client import SetupError
from ladder_sheets.google.credentials import FILE_SCOPES
from ladder_sheets.google.pull import pull
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import Stage, SyncState
from tests.support.google_standin import FOLDER, GoogleStandIn
from tests.support.gsheets import DUE, OPS, Q, fill_in, service

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _file_scoped(api: GoogleStandIn) -> gsheets.Sheets:
    sheets, _ = service(api, api.user_credentials(OPS, consented=FILE_SCOPES))
    assert sheets.files_only
    return sheets


def test_push_makes_and_records_the_quarter_and_manager_folders(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                                tmp_path: Path) -> None:
    state = SyncState(tmp_path / "state.json")
    report = push(ladder, roster, Q, "", state, _file_scoped(api), due=DUE, folder_per_manager=True)
    assert not report.failed and len(report.created) == len(roster.people)
    saved = SyncState.load(state.path).quarter(Q)
    quarter_folder = api.file(saved.folder)
    assert quarter_folder.name == f"{Q} {ladder.name}" and quarter_folder.owner == OPS
    assert quarter_folder.mime_type == FOLDER and quarter_folder.parents == ()  # in OPS's My Drive
    assert set(saved.manager_folders) == {m.id for m in roster.managers}
    assert all(api.file(f).parents == (saved.folder,) for f in saved.manager_folders.values())
    assert all(e.stage is Stage.SHARED for e in saved.people.values())
    # The rerun uses the recorded folders: nothing is made twice.
    api.reset_counts()
    again = push(ladder, roster, Q, "", SyncState.load(state.path), _file_scoped(api), due=DUE,
                 folder_per_manager=True)
    assert again.up_to_date == [p.id for p in roster.people] and api.request_count("POST") == 0
    person = roster.people[0]
    typed = fill_in(api, ladder, roster, person, saved.people[person.id].spreadsheet_id, random.Random(3))
    results = {p.person.id: p for p in pull(ladder, roster, Q, SyncState.load(state.path), _file_scoped(api)).people}
    assert results[person.id].status is Status.COMPLETE and results[person.id].inputs == typed


def test_a_run_that_died_before_recording_its_folder_finds_it(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                              tmp_path: Path) -> None:
    first = SyncState(tmp_path / "first.json")
    push(ladder, roster, Q, "", first, _file_scoped(api), due=DUE)
    push(ladder, roster, Q, "", SyncState(tmp_path / "lost.json"), _file_scoped(api), due=DUE)
    folders = [f for f in api.files() if f.mime_type == FOLDER]
    assert len(folders) == 1  # found by name in My Drive, not made again


def test_a_folder_a_person_made_is_invisible_and_the_error_says_why(api: GoogleStandIn, ladder: Ladder,
                                                                    roster: Roster, tmp_path: Path) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)  # made in the Drive UI, not by ladder-sheets
    with pytest.raises(SetupError, match=r"not visible with --scope drive.file, which sees only the files "
                                         r"ladder-sheets made: leave out --folder"):
        push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), _file_scoped(api), due=DUE)


def test_cli_push_without_a_folder(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def connect(path: object, per_minute: float, impersonate: str, scope: str) -> gsheets.Sheets:
        asked.append(scope)
        return _file_scoped(api)

    monkeypatch.setattr(gsheets, "connect", connect)
    state = tmp_path / "state.json"
    done = CliRunner().invoke(cli, ["push", "--team", "config/example-team.yaml", "--quarter", Q, "--scope",
                                    "drive.file", "--state", str(state)])
    assert done.exit_code == 0, done.output
    assert asked == ["drive.file"] and json.loads(state.read_text(encoding="utf-8"))["quarters"][Q]["folder"]
