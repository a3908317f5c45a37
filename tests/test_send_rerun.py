"""Reruns of `send` never duplicate and never lose: the send log, per-recipient outcomes, dropped
connections (before and after the final "."), --resend, implicit TLS and the plain-login guard."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ladder_sheets.core.errors import ConfigError, ServiceError
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.mail.sendlog import LOG_NAME, Outcome, SendLog
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
        assert first.failed[0][1].startswith("SMTPServerDisconnected: ")  # in the words of what happened
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


def test_the_send_log_says_when_each_email_went_out_and_names_its_file_as_written(tmp_path: Path) -> None:
    """A person reads the log to see what went out: times in UTC to the second, file names with their accents."""
    box = tmp_path / "out"
    box.mkdir()
    write_eml(build_message(SENDER, ["se1@apex.example"], "Your workbook", "text", "<p>html</p>"),
              box / "Tomáš Novák.eml")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    with smtp_server() as (controller, _, _):
        send_eml_dir(box, Server("127.0.0.1", controller.port))
    after = datetime.now(timezone.utc)
    text = (box / LOG_NAME).read_text(encoding="utf-8")
    assert '"file": "Tomáš Novák.eml"' in text
    (entry,) = [json.loads(line) for line in text.splitlines()]
    at = datetime.fromisoformat(entry["at"])
    assert at.utcoffset() == timedelta(0) and at.microsecond == 0 and before <= at <= after


def test_every_refused_address_of_a_message_is_named_with_the_servers_words(tmp_path: Path) -> None:
    se, mgr = "se1@apex.example", "mgr1@apex.example"
    box = outbox(tmp_path / "out", [[se, mgr]])
    with smtp_server() as (controller, recorder, _):
        recorder.refuse.update({se, mgr})
        report = send_eml_dir(box, Server("127.0.0.1", controller.port))
    assert [(p.name, why.split("; ")) for p, why in report.refused] == [
        ("m01.eml", [f"{se}: 550 5.1.1 mailbox unavailable", f"{mgr}: 550 5.1.1 mailbox unavailable"])]


def test_a_send_log_that_cannot_be_written_says_what_went_out_for_whom(tmp_path: Path) -> None:
    """The server took the message but the log could not keep it: the one line says so, so nobody sends it twice."""
    log = SendLog(tmp_path / "gone" / LOG_NAME)
    with pytest.raises(ConfigError) as caught:
        log.record("<m1@apex.example>", "m01.eml", ["se1@apex.example", "mgr1@apex.example"], Outcome.DELIVERED)
    assert str(caught.value) == (f"{log.path}: cannot write the send log: No such file or directory; m01.eml was "
                                 "delivered for se1@apex.example, mgr1@apex.example")


def test_a_recorded_address_is_known_whatever_its_capitals(tmp_path: Path) -> None:
    log = SendLog.open(tmp_path)
    log.record("<m1@apex.example>", "m01.eml", ["Se.One@Apex.Example"], Outcome.UNCONFIRMED)
    assert log.outcome("<m1@apex.example>", "se.one@apex.example") is Outcome.UNCONFIRMED
    assert SendLog.open(tmp_path).outcome("<m1@apex.example>", "SE.ONE@APEX.EXAMPLE") is Outcome.UNCONFIRMED
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / LOG_NAME).stat().st_mode & 0o777 == 0o644 & ~umask  # read by people, run by nobody


def test_one_message_accepted_for_one_retried_for_another_refused_for_a_third_says_each(tmp_path: Path) -> None:
    """Per recipient across tries: who had it at once, who after the server asked to retry, who was refused."""
    now, busy, gone = "se1@apex.example", "mgr1@apex.example", "old@apex.example"
    box = outbox(tmp_path / "out", [[now, busy, gone]])
    with smtp_server() as (controller, recorder, _):
        recorder.later[busy] = 1
        recorder.refuse.add(gone)
        report = send_eml_dir(box, Server("127.0.0.1", controller.port, backoff=0.01))
        rerun = send_eml_dir(box, Server("127.0.0.1", controller.port, backoff=0.01))
    assert report.sent[0][2] == [now, busy]
    assert [why for _, why in report.refused] == [f"{gone}: 550 5.1.1 mailbox unavailable"]
    assert [r.recipients for r in recorder.received] == [[now], [busy]]  # each once
    assert rerun.sent == [] and [why for _, why in rerun.already] == [f"already sent to {now}, {busy}"]


def test_a_drop_after_the_final_dot_names_every_recipient_it_may_have_reached(tmp_path: Path) -> None:
    se, mgr = "se1@apex.example", "mgr1@apex.example"
    box = outbox(tmp_path / "out", [[se, mgr]])
    with smtp_server() as (controller, recorder, _):
        recorder.drop_after_data.add(se)
        report = send_eml_dir(box, Server("127.0.0.1", controller.port))
        rerun = send_eml_dir(box, Server("127.0.0.1", controller.port))
    assert rerun.sent == [] and [why for _, why in rerun.already] == [
        f"not sent again to {se}, {mgr}: an earlier run lost the connection after handing it over, so it may have "
        "arrived (--resend sends it anyway)"]
    assert [why for _, why in report.unconfirmed] == [
        f"SMTPServerDisconnected: Connection unexpectedly closed after the whole message was sent: it may have "
        f"arrived for {se}, {mgr}; a rerun does not send it again unless --resend"]
    log = [json.loads(line) for line in (box / LOG_NAME).read_text().splitlines()]
    assert [(e["file"], e["recipients"], e["outcome"]) for e in log] == [("m01.eml", [se, mgr], "unconfirmed")]


def test_an_email_without_a_message_id_or_subject_is_still_sent_once(tmp_path: Path) -> None:
    """A hand-written .eml may have neither: the log still knows it went out, and no subject is made up."""
    box = outbox(tmp_path / "out", [["se1@apex.example"]])
    eml = box / "m01.eml"
    eml.write_bytes(b"".join(line for line in eml.read_bytes().splitlines(keepends=True)
                             if not line.lower().startswith((b"message-id:", b"subject:"))))
    assert b"message-id" not in eml.read_bytes().lower() and b"subject" not in eml.read_bytes().lower()
    with smtp_server() as (controller, recorder, _):
        dry = send_eml_dir(box, Server("127.0.0.1", controller.port), dry_run=True)
        first = send_eml_dir(box, Server("127.0.0.1", controller.port))
        again = send_eml_dir(box, Server("127.0.0.1", controller.port))
    assert dry.sent == first.sent == [(eml, "", ["se1@apex.example"])]
    assert len(recorder.received) == 1 and not again.sent and len(again.already) == 1


def test_without_the_log_nothing_is_recorded_and_a_rerun_sends_again(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", addresses(1))
    with smtp_server() as (controller, recorder, _):
        for _ in range(2):
            assert len(send_eml_dir(box, Server("127.0.0.1", controller.port), log=False).sent) == 1
    assert len(recorder.received) == 2 and not (box / LOG_NAME).exists()


def test_a_torn_last_line_of_the_log_is_ignored_and_a_broken_line_is_named(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", addresses(1))
    with smtp_server() as (controller, recorder, _):
        send_eml_dir(box, Server("127.0.0.1", controller.port))
        log = box / LOG_NAME
        log.write_bytes(log.read_bytes() + b'{"message_id": "<x@y>", "recip')  # a kill mid-append
        again = send_eml_dir(box, Server("127.0.0.1", controller.port))
        assert not again.sent and len(recorder.received) == 1
        log.write_bytes(b"not json\n")
        with pytest.raises(ConfigError) as caught:
            SendLog.open(box)
    assert str(caught.value) == (f"{log}: line 1: not a send-log record (Expecting value: line 1 column 1 (char 0)); "
                                 "move the file aside only if you accept sending everything again")


def test_a_send_log_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    (tmp_path / LOG_NAME).mkdir()
    with pytest.raises(ConfigError) as caught:
        SendLog.open(tmp_path)
    assert str(caught.value) == f"{tmp_path / LOG_NAME}: cannot read the send log: Is a directory"


def test_a_delivery_stays_delivered_whatever_is_recorded_after_it(tmp_path: Path) -> None:
    """--resend after a delivery whose second answer was lost: it did arrive once, so it counts as delivered."""
    log = SendLog.open(tmp_path)
    log.record("<m1@apex.example>", "m01.eml", ["se1@apex.example"], Outcome.DELIVERED)
    log.record("<m1@apex.example>", "m01.eml", ["se1@apex.example"], Outcome.UNCONFIRMED)
    assert SendLog.open(tmp_path).outcome("<m1@apex.example>", "se1@apex.example") is Outcome.DELIVERED


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


def test_implicit_tls_to_a_server_whose_certificate_is_not_trusted_sends_nothing(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", addresses(1))
    with smtp_server(implicit_tls=True) as (controller, recorder, _):
        with pytest.raises(ServiceError) as caught:
            send_eml_dir(box, Server("127.0.0.1", controller.port, ssl=True))  # this machine's trust store only
        assert recorder.received == []
    assert "TLS failed" in str(caught.value) and "CERTIFICATE_VERIFY_FAILED" in str(caught.value)


def test_two_emails_to_one_person_are_two_messages_in_the_log(tmp_path: Path) -> None:
    """A hand-out sent, then a reminder to the same SE put beside it, each built with its own Message-ID:
    the reminder goes too, and each went once."""
    box = outbox(tmp_path / "out", [["se1@apex.example"]])
    with smtp_server() as (controller, recorder, _):
        send_eml_dir(box, Server("127.0.0.1", controller.port))
        write_eml(build_message(SENDER, ["se1@apex.example"], "reminder", "text", "<p>html</p>"), box / "m02.eml")
        later = send_eml_dir(box, Server("127.0.0.1", controller.port))
    assert [p.name for p, _, _ in later.sent] == ["m02.eml"] and [p.name for p, _ in later.already] == ["m01.eml"]
    assert len(recorder.received) == 2


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
