"""Reruns of `send` never duplicate and never lose: the send log, per-recipient outcomes, dropped
connections (before and after the final "."), --resend, implicit TLS and the plain-login guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.mail.sendlog import LOG_NAME, SendLog
from ladder_sheets.mail.smtp import PASSWORD_ENV, Server, build_message, send_eml_dir, write_eml
from tests.support.cli import run_main
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.network

SENDER = "SE Ops <se-ops@apex.example>"


def outbox(directory: Path, recipients: list[list[str]]) -> Path:
    """One .eml per entry of ``recipients`` (the first To, the rest Cc)."""
    directory.mkdir(parents=True, exist_ok=True)
    for n, (to, *cc) in enumerate(recipients, start=1):
        msg = build_message(SENDER, [to], f"message {n}", f"text {n}", f"<p>html {n}</p>", cc=cc)
        write_eml(msg, directory / f"m{n:02d}.eml")
    return directory


def addresses(n: int) -> list[list[str]]:
    return [[f"se{i}@apex.example"] for i in range(1, n + 1)]


def test_a_rerun_sends_only_what_did_not_go_out(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", addresses(5))
    with smtp_server() as (controller, recorder, _):
        server = Server("127.0.0.1", controller.port)
        recorder.drop_at_rcpt.add("se3@apex.example")  # the connection drops before m03 is handed over
        first = send_eml_dir(box, server)
        assert [p.name for p, _ in first.failed] == ["m03.eml"]
        assert [p.name for p, _, _ in first.sent] == ["m01.eml", "m02.eml", "m04.eml", "m05.eml"]  # reconnected
        second = send_eml_dir(box, server)
        third = send_eml_dir(box, server)
    assert [p.name for p, _, _ in second.sent] == ["m03.eml"]
    assert [p.name for p, _ in second.already] == ["m01.eml", "m02.eml", "m04.eml", "m05.eml"]
    assert not third.sent and len(third.already) == 5 and not third.not_sent
    assert sorted(recorder.count().values()) == [1] * 5  # each recipient, each message, exactly once


def test_a_drop_after_the_final_dot_is_unconfirmed_and_never_resent_silently(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", addresses(3))
    with smtp_server() as (controller, recorder, _):
        server = Server("127.0.0.1", controller.port)
        recorder.drop_after_data.add("se2@apex.example")  # stored by the server; its "250" never arrives
        first = send_eml_dir(box, server)
        second = send_eml_dir(box, server)
        assert [p.name for p, _ in first.unconfirmed] == ["m02.eml"] and "may have arrived" in first.unconfirmed[0][1]
        assert [p.name for p, _, _ in first.sent] == ["m01.eml", "m03.eml"]  # the next message on a new connection
        assert not second.sent and "--resend" in dict((p.name, w) for p, w in second.already)["m02.eml"]
        assert sorted(recorder.count().values()) == [1, 1, 1]
        forced = send_eml_dir(box, server, resend=True)
    assert len(forced.sent) == 3 and sorted(recorder.count().values()) == [2, 2, 2]


def test_partial_refusal_is_logged_per_address_and_retried_only_for_the_refused(tmp_path: Path) -> None:
    """Per address, as people write them (capitals anywhere): the rerun after a refusal was put right
    sends only to the refused one, and the one after it to nobody."""
    se, mgr = "Se.One@Apex.Example", "Mgr.Two@APEX.example"
    box = outbox(tmp_path / "out", [[se, mgr]])
    with smtp_server() as (controller, recorder, _):
        server = Server("127.0.0.1", controller.port)
        recorder.refuse.add(mgr)
        first = send_eml_dir(box, server)
        recorder.refuse.clear()
        second = send_eml_dir(box, server)
        third = send_eml_dir(box, server)
    assert first.sent[0][2] == [se] and f"{mgr}: 550" in first.refused[0][1]
    assert second.sent[0][2] == [mgr]
    assert not third.sent and [why for _, why in third.already] == [f"already sent to {se}, {mgr}"]
    assert [r.recipients for r in recorder.received] == [[se], [mgr]]  # each of them once
    log = [json.loads(line) for line in (box / LOG_NAME).read_text().splitlines()]
    assert [(e["recipients"], e["outcome"]) for e in log] == [([se], "delivered"), ([mgr], "delivered")]


def test_a_torn_last_line_of_the_log_is_ignored_and_a_broken_line_is_named(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", addresses(1))
    with smtp_server() as (controller, recorder, _):
        send_eml_dir(box, Server("127.0.0.1", controller.port))
        log = box / LOG_NAME
        log.write_bytes(log.read_bytes() + b'{"message_id": "<x@y>", "recip')  # a kill mid-append
        again = send_eml_dir(box, Server("127.0.0.1", controller.port))
        assert not again.sent and len(recorder.received) == 1
        log.write_bytes(b"not json\n")
        with pytest.raises(ConfigError, match=rf"{LOG_NAME}: line 1: not a send-log record"):
            SendLog.open(box)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # the plain server is the point
def test_implicit_tls_delivers_and_login_over_plain_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    box = outbox(tmp_path / "out", addresses(2))
    monkeypatch.setenv(PASSWORD_ENV, "s3cret-pw")
    with smtp_server(implicit_tls=True, users={"ops": "s3cret-pw"}) as (controller, recorder, client_tls):
        report = send_eml_dir(box, Server("127.0.0.1", controller.port, user="ops", ssl=True, tls_context=client_tls))
    assert len(report.sent) == 2 and len(recorder.received) == 2
    with smtp_server() as (controller, recorder, _):
        with pytest.raises(ConfigError, match="refusing to send the password over an unencrypted connection"):
            send_eml_dir(outbox(tmp_path / "b", addresses(1)), Server("127.0.0.1", controller.port, user="ops"))
        assert recorder.received == []


def test_cli_send_says_what_a_rerun_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    box = outbox(tmp_path / "out", addresses(2))
    with smtp_server() as (controller, recorder, _):
        args = ("send", box, "--smtp-host", "127.0.0.1", "--smtp-port", controller.port)
        assert run_main(monkeypatch, capsys, *args)[0] == 0
        code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 0 and err == "" and len(recorder.received) == 2
    assert out.splitlines() == ["skipped m01.eml: already sent to se1@apex.example",
                                "skipped m02.eml: already sent to se2@apex.example",
                                "nothing left to send: every recipient already has every email (--resend to send again)"]


def test_cli_ssl_and_starttls_together_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    box = outbox(tmp_path / "out", addresses(1))
    assert run_main(monkeypatch, capsys, "send", box, "--ssl", "--starttls") == (
        2, "", "Error: --ssl and --starttls: choose one (--ssl is TLS from the start, usually port 465)\n")


def test_cli_plain_login_only_when_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str], ladder: Ladder, roster: Roster) -> None:
    box = outbox(tmp_path / "out", addresses(1))
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    code, out, err = run_main(monkeypatch, capsys, "send", box, "--smtp-port", "2525", "--user", "ops")
    assert code == 2 and err == ("Error: --user ops: refusing to send the password over an unencrypted connection to "
                                 "SMTP server localhost:2525; use --starttls or --ssl (or --allow-plain-login on a "
                                 "network you trust)\n")
