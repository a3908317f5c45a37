"""What retrying won't fix stops at once: connection refused, no such host, a failed TLS handshake.

On the OAuth token endpoint, Sheets or Drive alike, one ``Error:`` line within seconds, with
every finished spreadsheet kept in the state file; timeouts and dropped connections are
still retried (tests/test_gsheets_setups.py).
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ladder_sheets import cli as cli_module
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.google import client as gsheets
from ladder_sheets.google.client import TIMEOUT, Sheets, Unreachable
from ladder_sheets.google.push import push
from ladder_sheets.google.sync_state import Stage, SyncState
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import DUE, OPS, Q, service

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def closed_port() -> str:
    """An address on this machine where nothing listens: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_token_endpoint_refusing_connections_stops_push_at_once(
        api: GoogleStandIn, roster: Roster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    credentials = api.user_credentials(OPS)
    session = api.session(credentials)
    sheets, waits = service(api, credentials, session=session)
    shared: list[str] = []

    def token_endpoint_goes_away(seen: Any) -> bool:
        """After two SEs, the access token expires and the token endpoint stops answering."""
        if seen.method == "POST" and seen.path.endswith("/permissions"):
            shared.append(seen.path)
            if len(shared) == 4:
                api.reroute(session, token_url=closed_port())
                api.revoke_tokens()
        return False

    api.inject_faults(500, times=1, match=token_endpoint_goes_away)
    args = ["push", "--team", "config/example-team.yaml", "--quarter", Q, "--folder", folder, "--state",
            str(tmp_path / "state.json")]
    start = time.monotonic()
    code, errors = _run_cli(monkeypatch, capsys, sheets, args)
    assert code == 1 and len(errors) == 1, errors
    assert errors[0].startswith("Error: cannot reach Google to ") and "the connection was refused (127.0.0.1:" in errors[0]
    # No backoff (the same refusal would come back every time), and no connect timeout waited out.
    assert waits == [] and time.monotonic() - start < TIMEOUT[0]
    kept = SyncState.load(tmp_path / "state.json").quarter(Q).people
    assert sum(e.stage is Stage.SHARED for e in kept.values()) >= 1  # everything finished so far is kept
    api.reroute(session, token_url=api.url)  # the network is back: the rerun finishes, nothing twice
    assert _run_cli(monkeypatch, capsys, sheets, args) == (0, [])
    titles = [f.name for f in api.files(parent=folder)]
    assert len(titles) == len(roster.people) == len(set(titles))


def _run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sheets: Sheets,
             args: list[str]) -> tuple[int, list[str]]:
    """The command as a user runs it (its one place that turns errors into lines): exit code and Error lines."""
    monkeypatch.setattr(gsheets, "connect", lambda path, per_minute, impersonate, scope: sheets)
    monkeypatch.setattr(sys, "argv", ["ladder-sheets", *args])
    code = 0
    try:
        cli_module.main()
    except SystemExit as exited:
        code = int(exited.code or 0)
    return code, [line for line in capsys.readouterr().err.splitlines() if line.startswith("Error:")]


def _unreachable(api: GoogleStandIn, **route: str) -> tuple[Sheets, list[float]]:
    credentials = api.user_credentials(OPS)
    return service(api, credentials, session=api.session(credentials, **route))


@pytest.mark.parametrize(("where", "said"), [
    ("closed", "the connection was refused (127.0.0.1:"),
    ("tls", "the TLS handshake failed (127.0.0.1:"),
    ("dns", "no such host (ladder-check.invalid)"),
])
def test_sheets_and_drive_out_of_reach_stop_at_once(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                    tmp_path: Path, where: str, said: str) -> None:
    """An API host refusing connections, speaking no TLS (plain HTTP behind https), or unknown to DNS."""
    url = {"closed": closed_port(), "tls": api.url.replace("http://", "https://"),
           "dns": "http://ladder-check.invalid"}[where]
    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    sheets, waits = _unreachable(api, api_url=url)
    start = time.monotonic()
    with pytest.raises(Unreachable) as err:
        push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), sheets, due=DUE)
    assert str(err.value).startswith(f"cannot reach Google to open the folder ({said}")
    assert waits == [] and time.monotonic() - start < TIMEOUT[0] and sheets.requests_sent == 1


def test_a_token_endpoint_unknown_to_dns_stops_pull_at_once(api: GoogleStandIn, ladder: Ladder, roster: Roster,
                                                            tmp_path: Path) -> None:
    from ladder_sheets.google.pull import pull

    folder = api.create_folder("Presales 2026-Q4", owner=OPS)
    pusher, _ = service(api, api.user_credentials(OPS))
    push(ladder, roster, Q, folder, SyncState(tmp_path / "s.json"), pusher, due=DUE)
    sheets, waits = _unreachable(api, token_url="http://ladder-check.invalid")
    with pytest.raises(Unreachable, match=r"\(no such host \(ladder-check.invalid\)\)"):
        pull(ladder, roster, Q, SyncState.load(tmp_path / "s.json"), sheets)
    assert waits == []
