"""Sending the report's .eml files to a real SMTP server on loopback, and reading what arrived."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladder_sheets.cli import cli
from ladder_sheets.core.errors import ConfigError, ServiceError
from ladder_sheets.mail.smtp import PASSWORD_ENV, Server, build_message, named_address, send_files
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.workflows.report import build_report
from tests.support.cli import run_main
from tests.support.results import inputs_for, results_for
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.network


@pytest.fixture
def report_dir(ladder: Ladder, roster: Roster, tmp_path: Path) -> Path:
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people}
    build_report(results_for(ladder, roster, inputs), ladder, tmp_path, sender="Reports <reports@apex.example>",
                 leadership=list(roster.leadership), org=roster.org)
    return tmp_path


def test_every_eml_arrives_with_both_parts(report_dir: Path) -> None:
    files = sorted(report_dir.glob("*.eml"))
    with smtp_server() as (controller, recorder, _):
        report = send_files(files, Server("127.0.0.1", controller.port))
    assert [p.name for p, _, _ in report.sent] == [f.name for f in files] and not report.refused and not report.failed
    by_to = {r.recipients[0]: r.message for r in recorder.received}
    assert set(by_to) == {"vp.presales@apex-cloud.example", "amara.okafor@apex-cloud.example",
                          "daniel.reyes@apex-cloud.example"}
    lead = by_to["vp.presales@apex-cloud.example"]
    assert lead["Subject"] == "2026-Q4 presales career summary: Apex Cloud Presales"
    assert lead["From"] == "Reports <reports@apex.example>" and lead["Message-ID"] and lead["Date"]
    assert lead.get_content_type() == "multipart/mixed"
    assert [a.get_filename() for a in lead.iter_attachments()] == ["summary.xlsx"]
    html = lead.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    text = lead.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert html.replace("\r\n", "\n") == (report_dir / "leadership.html").read_text(encoding="utf-8")
    assert text.replace("\r\n", "\n") == (report_dir / "leadership.txt").read_text(encoding="utf-8")
    amara = by_to["amara.okafor@apex-cloud.example"].get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Tomáš Novák" in amara and "Sofia Lindqvist" not in amara


def test_a_refused_recipient_does_not_stop_the_others(report_dir: Path) -> None:
    files = sorted(report_dir.glob("*.eml"))
    with smtp_server() as (controller, recorder, _):
        recorder.refuse.add("amara.okafor@apex-cloud.example")
        report = send_files(files, Server("127.0.0.1", controller.port))
    assert [(p.name, why.split(":")[0]) for p, why in report.refused] == [
        ("manager-mgr-amara.eml", "amara.okafor@apex-cloud.example")]
    assert "550" in report.refused[0][1]
    assert sorted(r.recipients[0] for r in recorder.received) == ["daniel.reyes@apex-cloud.example",
                                                                   "vp.presales@apex-cloud.example"]


def test_starttls_and_login_with_the_password_from_the_environment(report_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "s3cret-pw")
    with smtp_server(tls=True, users={"reports": "s3cret-pw"}) as (controller, recorder, client_tls):
        report = send_files(sorted(report_dir.glob("*.eml")),
                            Server("127.0.0.1", controller.port, starttls=True, user="reports", tls_context=client_tls))
    assert len(report.sent) == 3 and len(recorder.received) == 3


def test_wrong_password_is_a_clear_error_without_the_password(report_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "wrong-pw")
    with smtp_server(tls=True, users={"reports": "s3cret-pw"}) as (controller, recorder, client_tls):
        with pytest.raises(ServiceError) as err:
            send_files(sorted(report_dir.glob("*.eml")),
                       Server("127.0.0.1", controller.port, starttls=True, user="reports", tls_context=client_tls))
    assert str(err.value) == f"SMTP server 127.0.0.1:{controller.port} refused the login of reports (535)"
    assert "wrong-pw" not in str(err.value) and not recorder.received


def test_user_without_password_env(report_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(ConfigError, match=f"needs the password in the environment variable {PASSWORD_ENV}"):
        send_files(sorted(report_dir.glob("*.eml")), Server("127.0.0.1", 1, user="reports"))


def test_unreachable_server(report_dir: Path) -> None:
    from tests.support.smtp import free_port

    port = free_port()
    with pytest.raises(ServiceError, match=f"cannot connect to SMTP server 127.0.0.1:{port}"):
        send_files(sorted(report_dir.glob("*.eml")), Server("127.0.0.1", port, timeout=5))


def test_cli_dry_run_sends_nothing_and_lists_recipients(report_dir: Path) -> None:
    with smtp_server() as (controller, recorder, _):
        result = CliRunner().invoke(cli, ["send", str(report_dir), "--smtp-host", "127.0.0.1",
                                          "--smtp-port", str(controller.port), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert not recorder.received
    assert "would send manager-mgr-amara.eml to amara.okafor@apex-cloud.example: 2026-Q4 coaching agenda: Amara Okafor" \
        in result.output


def test_cli_send(report_dir: Path) -> None:
    with smtp_server() as (controller, recorder, _):
        result = CliRunner().invoke(cli, ["send", str(report_dir), "--smtp-host", "127.0.0.1",
                                          "--smtp-port", str(controller.port)])
    assert result.exit_code == 0, result.output
    assert len(recorder.received) == 3 and result.output.count("sent ") == 3


def test_a_server_hanging_up_fails_that_message_and_the_rest_go_on_a_new_connection(report_dir: Path) -> None:
    """421 asks to try later: tried again on new connections, then that message fails and the rest go."""
    files = sorted(report_dir.glob("*.eml"))
    with smtp_server() as (controller, recorder, _):
        recorder.hang_up.add("amara.okafor@apex-cloud.example")
        report = send_files(files, Server("127.0.0.1", controller.port, backoff=0.01))
    assert report.failed == [(report_dir / "manager-mgr-amara.eml",
                              "421 4.7.0 Too many messages, closing connection (tried 4 times)")]
    assert [p.name for p, _, _ in report.sent] == ["leadership.eml", "manager-mgr-daniel.eml"]
    assert sorted(r.recipients[0] for r in recorder.received) == ["daniel.reyes@apex-cloud.example",
                                                                   "vp.presales@apex-cloud.example"]


def test_a_file_that_is_not_an_email_is_reported_and_the_others_are_sent(report_dir: Path) -> None:
    (report_dir / "a-notes.eml").write_bytes(b"\xff\xfe not an email at all\r\n")
    with smtp_server() as (controller, recorder, _):
        report = send_files(sorted(report_dir.glob("*.eml")), Server("127.0.0.1", controller.port))
    assert [(p.name, why) for p, why in report.failed] == [
        ("a-notes.eml", "no recipients in To/Cc/Bcc: not an email written by `report`?")]
    assert len(report.sent) == 3 and len(recorder.received) == 3
    assert report.not_sent == [report_dir / "a-notes.eml"] and report.total == 4


def test_subject_line_breaks_are_folded_and_bad_addresses_refused() -> None:
    msg = build_message("SE Ops <se-ops@apex.example>", ["Amara <amara@apex.example>"],
                        "2026-Q4 coaching agenda: Amara\r\nBcc: attacker@evil.example", "text", "<p>html</p>")
    assert msg["Subject"] == "2026-Q4 coaching agenda: Amara Bcc: attacker@evil.example"
    assert msg.get_all("Bcc") is None and msg["To"] == "Amara <amara@apex.example>"
    for bad in ("not an address", "amara@localhost\nBcc: x@evil.example", "", "vp@", "@apex.example"):
        with pytest.raises(ConfigError, match="is not an email address"):
            build_message("se-ops@apex.example", [bad], "s", "t", "h")


def test_cli_never_prints_the_password(report_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server(tls=True, users={"reports": "s3cret-pw"}) as (controller, recorder, client_tls):
        monkeypatch.setattr("ladder_sheets.mail.connection.ssl.create_default_context", lambda **_: client_tls)
        args = ("send", report_dir, "--smtp-host", "127.0.0.1", "--smtp-port", controller.port, "--starttls",
                "--user", "reports")
        monkeypatch.setenv(PASSWORD_ENV, "s3cret-pw")
        good = run_main(monkeypatch, capsys, *args)
        monkeypatch.setenv(PASSWORD_ENV, "wrong-pw")
        bad = run_main(monkeypatch, capsys, *args, "--resend")  # without it the send log has nothing left to send
    assert good[0] == 0 and len(recorder.received) == 3 and "s3cret-pw" not in good[1] + good[2]
    assert bad == (1, "", f"Error: SMTP server 127.0.0.1:{controller.port} refused the login of reports (535)\n")


def test_cli_names_what_was_not_sent_and_exits_1(report_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server() as (controller, recorder, _):
        recorder.refuse.add("daniel.reyes@apex-cloud.example")
        code, out, err = run_main(monkeypatch, capsys, "send", report_dir, "--smtp-host", "127.0.0.1",
                                  "--smtp-port", controller.port)
    assert code == 1 and len(recorder.received) == 2
    assert out.splitlines() == [
        "sent leadership.eml to vp.presales@apex-cloud.example: 2026-Q4 presales career summary: Apex Cloud Presales",
        "sent manager-mgr-amara.eml to amara.okafor@apex-cloud.example: 2026-Q4 coaching agenda: Amara Okafor",
    ]
    assert err.splitlines() == [
        "refused manager-mgr-daniel.eml: daniel.reyes@apex-cloud.example: 550 5.1.1 mailbox unavailable",
        f"Error: 1 of 3 emails not sent to every recipient through SMTP server 127.0.0.1:{controller.port}",
    ]


def test_cli_send_without_emails_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(monkeypatch, capsys, "send", tmp_path, "--dry-run") == (
        2, "", f"Error: {tmp_path}: no .eml files to send (run `ladder-sheets report` first)\n")


def test_cli_login_without_password_in_the_environment(report_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert run_main(monkeypatch, capsys, "send", report_dir, "--user", "reports") == (
        2, "", f"Error: --user reports needs the password in the environment variable {PASSWORD_ENV}\n")


def test_a_name_with_a_comma_accents_and_a_line_break_stays_one_name_of_one_address() -> None:
    import email
    from email.message import EmailMessage
    from email.policy import default

    header = named_address("Núñez, Ana\nMaría", "ana.nunez@apex.example")
    assert "\n" not in header
    sent = EmailMessage()
    sent["To"] = header
    received = email.message_from_bytes(sent.as_bytes(), policy=default)
    assert [(a.display_name, a.addr_spec) for a in received["To"].addresses] == [
        ("Núñez, Ana María", "ana.nunez@apex.example")]


def test_an_eml_is_written_with_crlf_line_ends_and_read_back_whole(tmp_path: Path) -> None:
    """As mail clients expect .eml files; read back, a subject with accents and a Bcc-only recipient are kept."""
    from ladder_sheets.mail.smtp import read_eml, write_eml

    msg = build_message("SE Ops <se-ops@apex.example>", [], "Tomáš, your workbook", "text", "<p>html</p>")
    del msg["To"]
    msg["Bcc"] = "hidden@apex.example"
    path = write_eml(msg, tmp_path / "m.eml")
    data = path.read_bytes()
    assert data.count(b"\r\n") > 10 and data.count(b"\n") == data.count(b"\r\n")
    read, recipients = read_eml(path)
    assert recipients == ["hidden@apex.example"] and str(read["Subject"]) == "Tomáš, your workbook"


def test_a_sender_that_is_not_an_address_is_named_as_the_from_option() -> None:
    with pytest.raises(ConfigError) as caught:
        build_message("SE Ops", ["se1@apex.example"], "s", "t", "<p>h</p>")
    assert str(caught.value) == "--from 'SE Ops' is not an email address (expected name@example.com)"


def test_an_email_that_cannot_be_read_is_reported_and_the_next_is_sent(tmp_path: Path) -> None:
    from ladder_sheets.mail.smtp import write_eml
    from tests.support.smtp import smtp_server

    good = write_eml(build_message("se-ops@apex.example", ["se1@apex.example"], "Tomáš, your workbook", "t",
                                   "<p>h</p>"), tmp_path / "b.eml")
    gone = tmp_path / "a.eml"  # listed, then moved away before it was read
    with smtp_server() as (controller, recorder, _):
        report = send_files([gone, good], Server("127.0.0.1", controller.port))
    assert report.failed == [(gone, "cannot read: No such file or directory")]
    assert report.sent == [(good, "Tomáš, your workbook", ["se1@apex.example"])] and len(recorder.received) == 1


def test_a_built_message_carries_every_header_and_part_as_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    import email
    import time
    from email.policy import default

    monkeypatch.setenv("TZ", "America/New_York")  # the Date is in UTC whatever the machine's time zone
    time.tzset()
    try:
        msg = build_message("SE Ops <se-ops@apex.example>", ["se1@apex.example", "Ana Núñez <se2@apex.example>"],
                            "Your workbook", "plain text", "<p>html</p>", [("book.xlsx", b"PK")],
                            cc=["mgr1@apex.example", "mgr2@apex.example"], reply_to="returns@apex.example")
    finally:
        monkeypatch.undo()
        time.tzset()
    raw = msg.as_bytes()
    assert re.search(rb"^Date: [^\n]* \+0000$", raw, re.M)
    got = email.message_from_bytes(raw, policy=default)
    assert [a.addr_spec for a in got["To"].addresses] == ["se1@apex.example", "se2@apex.example"]
    assert [a.addr_spec for a in got["Cc"].addresses] == ["mgr1@apex.example", "mgr2@apex.example"]
    assert str(got["Reply-To"]) == "returns@apex.example" and str(got["X-Mailer"]) == "ladder-sheets"
    assert str(got["Message-ID"]).endswith("@apex.example>")
    parts = [(p.get_content_type(), p.get_content_charset(), p.get_filename()) for p in got.walk()
             if not p.is_multipart()]
    assert parts == [("text/plain", "utf-8", None), ("text/html", "utf-8", None),
                     ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None, "book.xlsx")]


@pytest.mark.parametrize("field", ["recipient", "copy recipient", "reply-to address"])
def test_an_address_that_is_not_one_is_named_by_where_it_was_given(field: str) -> None:
    to, cc, reply_to = ["se1@apex.example"], ["mgr1@apex.example"], "returns@apex.example"
    bad = "Ana Núñez"
    with pytest.raises(ConfigError) as caught:
        build_message("se-ops@apex.example", [bad] if field == "recipient" else to, "s", "t", "<p>h</p>",
                      cc=[bad] if field == "copy recipient" else cc,
                      reply_to=bad if field == "reply-to address" else reply_to)
    assert str(caught.value) == f"{field} '{bad}' is not an email address (expected name@example.com)"
