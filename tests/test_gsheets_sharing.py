"""A person's failure is that person's: sharing refusals are recorded with their fix and retried; only
what hits everyone (sign-in, quota, network, storage) stops the run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.google.client import QuotaExhausted
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import Stage, SyncState
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, DUE, Q, service

pytestmark = pytest.mark.network
LEAD = "lead@apex-cloud.example"  # SE Ops, signed in with OAuth, in the roster's domain


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _push(api: GoogleStandIn, ladder: Ladder, roster: Roster, folder: str, state: Path, **options: Any) -> Any:
    sheets, waits = service(api, api.user_credentials(LEAD))
    report = push(ladder, roster, Q, folder, SyncState.load(state), sheets, due=DUE, **options)
    return report, waits


def _with_manager_email(roster: Roster, manager_id: str, email: str) -> Roster:
    return replace(roster, managers=tuple(replace(m, email=email) if m.id == manager_id else m
                                          for m in roster.managers))


@pytest.mark.parametrize("folder_per_manager", [False, True])
def test_a_manager_without_a_google_account_leaves_every_other_se_pushed_and_shared(
        api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path, folder_per_manager: bool) -> None:
    amara = roster.managers[0]
    team = _with_manager_email(roster, amara.id, "amara@partner.example")
    api.realism.no_google_account.add("amara@partner.example")  # shared without a notification: refused
    folder = api.create_folder("Presales 2026-Q4", owner=LEAD)
    state = tmp_path / "state.json"
    report, _ = _push(api, ladder, team, folder, state, folder_per_manager=folder_per_manager)
    hers = [p.id for p in team.people if p.manager == amara.id]
    assert hers and not report.not_attempted
    fix = "amara@partner.example has no Google account: put their Google address in the roster"
    assert report.failed == [(pid, f"not shared with their manager: {fix}") for pid in hers]
    saved = SyncState.load(state).quarter(Q).people
    assert all(e.stage is Stage.SHARED for e in saved.values())  # every SE has their spreadsheet
    assert {pid for pid, e in saved.items() if e.refused} == set(hers)
    assert all(saved[pid].refused == {"manager": fix} for pid in hers)
    refused = [r for r in api.requests if r.path.endswith("/permissions") and r.status == 400]
    assert len(refused) == 1  # asked once this run: her other files would be refused alike
    # The roster gets her Google address; the rerun shares with it and clears the refusals.
    fixed = _with_manager_email(roster, amara.id, "amara.okafor@apex-cloud.example")
    again, _ = _push(api, ladder, fixed, folder, state, folder_per_manager=folder_per_manager)
    assert again.failed == [] and sorted(again.resumed) == sorted(hers) and not again.created
    assert not any(e.refused for e in SyncState.load(state).quarter(Q).people.values())
    readable = [p for p in team.people if p.manager == amara.id]
    for person in readable:
        sid = saved[person.id].spreadsheet_id
        assert api.file(sid).id == sid and as_reader(api, amara.email).client.open_by_key(sid)


def as_reader(api: GoogleStandIn, email: str) -> Any:
    return service(api, api.credentials(email))[0]


def test_an_se_outside_a_domain_only_shared_drive_is_recorded_and_retried(
        api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"}, domain="apex-cloud.example",
                                    restrictions={"domainUsersOnly": True})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    outsider = replace(roster.people[2], email="contractor@freelance.example")
    team = replace(roster, people=tuple(outsider if p.id == outsider.id else p for p in roster.people))
    sheets, _ = service(api, api.credentials(BOT))
    state = SyncState(tmp_path / "state.json")
    report = push(ladder, team, Q, folder, state, sheets, due=DUE, owner=BOT)
    assert report.failed == [(outsider.id, "not shared with the SE: the shared drive allows only people in its "
                                           "domain, and contractor@freelance.example is outside it: put their "
                                           "address in the domain in the roster, or ask a manager of the shared "
                                           "drive to allow people outside the domain")]
    entry = state.quarter(Q).people[outsider.id]
    assert entry.stage is Stage.BUILT and set(entry.refused) == {"se"}  # built, shared with the manager only
    assert sum(e.stage is Stage.SHARED for e in state.quarter(Q).people.values()) == len(team.people) - 1
    api.reset_counts()
    again = push(ladder, roster, Q, folder, SyncState.load(tmp_path / "state.json"), sheets, due=DUE, owner=BOT)
    assert again.failed == [] and again.resumed == [outsider.id]
    assert api.request_count("POST") == 1  # the one share, nothing rebuilt


def test_a_drive_for_members_only_refuses_each_person_with_the_fix(api: GoogleStandIn, ladder: Ladder,
                                                                  roster: Roster, tmp_path: Path) -> None:
    """A setting that refuses everyone is still reported per person, and the run goes to the end."""
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"}, restrictions={"driveMembersOnly": True})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    sheets, _ = service(api, api.credentials(BOT))
    report = push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE, owner=BOT)
    assert not report.not_attempted and len(report.failed) == 2 * len(roster.people)
    assert all("ask a manager of the shared drive to allow access for non-members" in why for _, why in report.failed)


def test_sharing_outside_the_domain_turned_off_is_that_person_s(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                                tmp_path: Path) -> None:
    api.realism.no_sharing_out.add("apex-cloud.example")
    outsider = replace(roster.people[0], email="leticia@gmail.example")
    team = replace(roster, people=(outsider, *roster.people[1:]))
    report, _ = _push(api, ladder, team, api.create_folder("Presales", owner=LEAD), tmp_path / "s.json")
    assert [pid for pid, _ in report.failed] == [outsider.id]
    assert "your Google Workspace admin allows no sharing outside it" in report.failed[0][1]


def test_rate_limited_sharing_recovers(api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    api.inject_faults(403, times=3, match="/permissions", reason="sharingRateLimitExceeded")
    report, waits = _push(api, ladder, roster, api.create_folder("Presales", owner=LEAD), tmp_path / "s.json")
    assert report.failed == [] and len(waits) == 3  # backed off, then shared
    assert api.request_count("POST", "/permissions", status=403) == 3


def test_a_spent_quota_stops_the_run_at_once(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                            tmp_path: Path) -> None:
    """Still 429 after every retry: it would be the same for every SE, so the run stops and says what to do."""
    api.inject_faults(429, times=100, match=":batchUpdate", retry_after=1)
    sheets, _ = service(api, api.user_credentials(LEAD), attempts=3)
    state = SyncState(tmp_path / "s.json")
    with pytest.raises(QuotaExhausted, match=r"^Google's quota is spent: .* lower --rate, then rerun"):
        push(ladder, roster, Q, api.create_folder("Presales", owner=LEAD), state, sheets, due=DUE)
    assert api.request_count("POST", ":batchUpdate") == 3  # one SE's attempts, then nothing more
    assert len(state.quarter(Q).people) >= 1  # what was made is in the state
