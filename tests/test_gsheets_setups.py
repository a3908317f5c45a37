"""The three setups of the README, end to end on the stand-in (push, fill, pull, report), and every
fault that used to escape as a traceback: one clear line, and a rerun that resumes."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.oauth2 import service_account

from ladder_sheets import cli as cli_module
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Status
from ladder_sheets.google import client as gsheets
from ladder_sheets.google.client import SetupError, Sheets, Unreachable
from ladder_sheets.google.pull import pull
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import Stage, SyncState
from ladder_sheets.workflows.report import build_report
from tests.support.google_standin import SCOPES, GoogleStandIn
from tests.support.gsheets import BOT, DUE, OPS, Q, fill_in, service

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _end_to_end(api: GoogleStandIn, sheets: Sheets, folder: str, ladder: Ladder, roster: Roster, tmp_path: Path,
                *, owner: str, **options: Any) -> SyncState:
    """Push, two SEs and their managers fill in, pull, report: what a first-time user does."""
    state = SyncState(tmp_path / "state.json")
    report = push(ladder, roster, Q, folder, state, sheets, due=DUE, **options)
    assert sorted(report.created) == sorted(p.id for p in roster.people) and not report.failed
    entries = state.quarter(Q).people
    for person in roster.people:
        assert entries[person.id].stage is Stage.SHARED
        assert api.file(entries[person.id].spreadsheet_id).owner == owner
    rng = random.Random(12)
    typed = {p.id: fill_in(api, ladder, roster, p, entries[p.id].spreadsheet_id, rng) for p in roster.people[:2]}
    results = pull(ladder, roster, Q, SyncState.load(tmp_path / "state.json"), sheets)
    by_id = {p.person.id: p for p in results.people}
    for person_id, inputs in typed.items():
        assert by_id[person_id].status is Status.COMPLETE, by_id[person_id].problems
        assert by_id[person_id].inputs == inputs
    written = build_report(results, ladder, tmp_path / "report")
    text = (tmp_path / "report" / "results.csv").read_text(encoding="utf-8-sig")
    assert any(p.suffix == ".html" for p in written)
    assert all(p.name in text for p in roster.people[:2])
    return state


def test_setup_1_oauth_user(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    sheets, _ = service(api, api.user_credentials(OPS))
    _end_to_end(api, sheets, folder, ladder, roster, tmp_path, owner=OPS)
    # The signed-in person's address came from Drive (about.get, once) and guards the manager ranges.
    assert api.request_count("GET", "/drive/v3/about") == 1


def test_setup_2_service_account_and_shared_drive(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                  tmp_path: Path) -> None:
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    sheets, _ = service(api, api.credentials(BOT))
    _end_to_end(api, sheets, folder, ladder, roster, tmp_path, owner="")
    # Every Drive call touching the shared drive said supportsAllDrives (else Drive answers 404).
    drive_calls = [r for r in api.requests if r.api == "drive"]
    assert drive_calls and all(r.query.get("supportsAllDrives") == ["True"] or r.query.get("supportsAllDrives") ==
                               ["true"] for r in drive_calls)


def test_setup_3_domain_wide_delegation(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    api.allow_delegation(BOT, SCOPES)
    credentials = api.credentials(BOT).with_subject(OPS)
    sheets, _ = service(api, credentials)
    assert sheets.acting_as == OPS
    _end_to_end(api, sheets, folder, ladder, roster, tmp_path, owner=OPS)


def test_service_account_in_my_drive_stops_at_once_with_the_fixes(api: GoogleStandIn, ladder: Ladder,
                                                                  roster: Roster, tmp_path: Path) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS, writers=[BOT])
    sheets, waits = service(api, api.credentials(BOT))
    state = SyncState(tmp_path / "state.json")
    with pytest.raises(SetupError) as err:
        push(ladder, roster, Q, folder, state, sheets, due=DUE)
    message = str(err.value)
    assert "storageQuotaExceeded" in message and "shared drive" in message and "--impersonate" in message
    assert "OAuth client file" in message and "\n" not in message
    assert api.request_count("POST", "/drive/v3/files") == 1 and not waits  # one refusal, never retried
    assert not api.files(parent=folder)


def _run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sheets: Sheets,
              *args: str) -> tuple[int, str]:
    monkeypatch.setattr(gsheets, "connect", lambda path, per_minute, impersonate, scope: sheets)
    monkeypatch.setattr(sys, "argv", ["ladder-sheets", *args])
    try:
        cli_module.main()
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    return code, capsys.readouterr().err


def _error_lines(err: str) -> list[str]:
    assert "Traceback" not in err
    for secret in ("ya29.", "1//standin", "private_key", "BEGIN PRIVATE"):
        assert secret not in err
    return [line for line in err.splitlines() if line.startswith("Error:")]


def test_revoked_consent_ends_in_one_line_and_a_rerun_resumes(api: GoogleStandIn, roster: Roster, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    state = tmp_path / "state.json"
    args = ["push", "--team", "config/example-team.yaml", "--quarter", Q, "--folder", folder, "--state", str(state)]
    sheets, _ = service(api, api.user_credentials(OPS))
    sheets.sign_in_fix = "sign in again: delete client.token.json and rerun"
    # The token expires after two SEs are done, and the consent is gone (a Testing-status app, 7 days later).
    made = []

    def expire_after_two(seen: Any) -> bool:
        if seen.method == "POST" and seen.path.endswith("/permissions"):
            made.append(seen.path)
            if len(made) == 4:
                api.revoke_consent(OPS)
                api.revoke_tokens()
        return False

    api.inject_faults(500, times=1, match=expire_after_two)
    code, err = _run_main(monkeypatch, capsys, sheets, *args)
    lines = _error_lines(err)
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("Error: Google refused to renew the sign-in (invalid_grant)")
    assert lines[0].endswith("fix: sign in again: delete client.token.json and rerun; then rerun the same command "
                             "(finished spreadsheets are kept)")
    saved = SyncState.load(state).quarter(Q).people
    assert sum(e.stage is Stage.SHARED for e in saved.values()) >= 1
    before = {f.id for f in api.files(parent=folder)}
    # Signed in again: the rerun finishes, and nothing is created twice.
    again, _ = service(api, api.user_credentials(OPS))
    code, err = _run_main(monkeypatch, capsys, again, *args)
    assert code == 0, err
    titles = [f.name for f in api.files(parent=folder)]
    assert len(titles) == len(roster.people) == len(set(titles)) and before <= {f.id for f in api.files(parent=folder)}


def test_network_down_ends_in_one_line_and_resumes(api: GoogleStandIn, roster: Roster, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    state = tmp_path / "state.json"
    args = ["push", "--team", "config/example-team.yaml", "--quarter", Q, "--folder", folder, "--state", str(state)]
    sheets, waits = service(api, api.credentials(BOT), attempts=3)
    api.inject_disconnect(times=1000, match=":batchUpdate")  # the network goes at the first build
    code, err = _run_main(monkeypatch, capsys, sheets, *args)
    lines = _error_lines(err)
    assert code == 1 and lines == ["Error: cannot reach Google to update the spreadsheet (ConnectionError, after "
                                   "retries); check the network or proxy, then rerun the same command (finished "
                                   "spreadsheets are kept)"]
    assert api.request_count("POST", ":batchUpdate", status=0) == 3 and len(waits) == 2  # retried, then stopped
    api.clear_faults()  # the network is back
    code, err = _run_main(monkeypatch, capsys, sheets, *args)
    assert code == 0, err
    titles = [f.name for f in api.files(parent=folder)]
    assert len(titles) == len(roster.people) == len(set(titles))


def test_missing_scopes_name_the_adc_command(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                             tmp_path: Path) -> None:
    """gcloud's default ADC login grants cloud-platform only: Sheets answers ACCESS_TOKEN_SCOPE_INSUFFICIENT."""
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    credentials = api.user_credentials(OPS, consented=["https://www.googleapis.com/auth/cloud-platform"])
    sheets = gsheets.Sheets(credentials, session=api.session(credentials), per_minute=0,
                            sign_in_fix=f"run `{gsheets.ADC_LOGIN}`")
    with pytest.raises(SetupError) as err:
        push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in str(err.value)
    assert "gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform," \
           "https://www.googleapis.com/auth/spreadsheets,https://www.googleapis.com/auth/drive" in str(err.value)


def test_delegation_not_granted_says_where_to_grant_it(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                       tmp_path: Path) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    credentials = api.credentials(BOT).with_subject(OPS)  # the admin has not allowed it
    sheets, _ = service(api, credentials)
    with pytest.raises(SetupError) as err:
        push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert str(err.value).startswith("Google refused to renew the sign-in (unauthorized_client)")
    assert "Domain-wide delegation" in str(err.value) and "auth/spreadsheets" in str(err.value)


def test_impersonate_needs_a_service_account_key(tmp_path: Path) -> None:
    from ladder_sheets.core.errors import ConfigError
    from ladder_sheets.google.credentials import load_credentials

    path = tmp_path / "user.json"
    path.write_text('{"type": "authorized_user", "client_id": "x", "client_secret": "y", "refresh_token": "z"}',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="--impersonate needs a service-account key"):
        load_credentials(path, impersonate=OPS)


def test_token_cache_is_private_from_creation(tmp_path: Path) -> None:
    from ladder_sheets.google.credentials import write_private

    path = tmp_path / "client.token.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)  # even a file left readable by an older version is tightened
    write_private(path, '{"refresh_token": "x"}')
    assert path.stat().st_mode & 0o777 == 0o600


def test_service_account_credentials_with_subject_act_as_the_user(api: GoogleStandIn) -> None:
    info = api.make_service_account_info(BOT)
    credentials = service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
    assert gsheets.acting_as(credentials.with_subject(OPS)) == OPS
    assert gsheets.acting_as(credentials) == BOT


def test_network_down_during_sign_in_is_one_line_too(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                    tmp_path: Path) -> None:
    """google-auth raises TransportError when the token endpoint cannot be reached."""
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    sheets, _ = service(api, api.user_credentials(OPS), attempts=2)
    api.inject_disconnect(times=100, match=lambda seen: seen.path == "/token")
    with pytest.raises(Unreachable) as err:
        push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert str(err.value).startswith("cannot reach Google to open the folder (TransportError, after retries)")


def test_after_the_storage_error_a_rerun_in_a_shared_drive_just_works(api: GoogleStandIn, ladder: Ladder,
                                                                      roster: Roster, tmp_path: Path) -> None:
    my_drive = api.create_folder("Presales 2026-Q4", owner=OPS, writers=[BOT])
    sheets, _ = service(api, api.credentials(BOT))
    with pytest.raises(SetupError):
        push(ladder, roster, Q, my_drive, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    report = push(ladder, roster, Q, folder, SyncState.load(tmp_path / "s.json"), sheets, due=DUE)
    assert not report.failed and len(api.files(parent=folder)) == len(roster.people)


def test_a_read_only_folder_stops_the_run_with_the_fix(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                       tmp_path: Path) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner="boss@apex.example", readers=[OPS])
    sheets, _ = service(api, api.user_credentials(OPS))
    with pytest.raises(SetupError, match=r"^ops@apex.example may not add files to the folder \(403 "):
        push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)


def test_impersonate_loads_a_key_acting_as_the_user(api: GoogleStandIn, tmp_path: Path) -> None:
    import json

    from ladder_sheets.google.credentials import acting_as, is_service_account, load_credentials

    key = tmp_path / "sa.json"
    key.write_text(json.dumps(api.make_service_account_info(BOT)), encoding="utf-8")
    delegated = load_credentials(key, impersonate=OPS)
    assert acting_as(delegated) == OPS and not is_service_account(delegated)
    plain = load_credentials(key)
    assert acting_as(plain) == BOT and is_service_account(plain)


def test_cli_storage_error_is_one_line(api: GoogleStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS, writers=[BOT])
    sheets, _ = service(api, api.credentials(BOT))
    code, err = _run_main(monkeypatch, capsys, sheets, "push", "--team", "config/example-team.yaml", "--quarter", Q,
                          "--folder", folder, "--state", str(tmp_path / "s.json"))
    assert code == 2 and _error_lines(err) == [f"Error: {gsheets.STORAGE_FIX}"]
    assert "failed" not in err  # no per-SE failures: the run stopped at once


def test_cli_pull_after_consent_is_revoked_is_one_line(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    sheets, _ = service(api, api.user_credentials(OPS))
    push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    api.revoke_consent(OPS)  # a week later, a Testing-status app's refresh token is dead
    code, err = _run_main(monkeypatch, capsys, sheets, "pull", "--team", "config/example-team.yaml", "--quarter", Q,
                          "--state", str(tmp_path / "s.json"), "--out", str(tmp_path / "r.json"), "--no-db")
    lines = _error_lines(err)
    assert code == 2 and len(lines) == 1 and "(invalid_grant)" in lines[0]
    assert not (tmp_path / "r.json").exists()  # no half-empty results written
