"""`send` stops at once on what no retry fixes, and retries only what the server asks to (4xx) or a timeout.

Connection refused, a name that does not resolve and TLS failures, before the first message
or in the middle of a run: one `Error:` line within a few seconds, everything sent so far in
the send log, and a rerun sends only the rest.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ladder_sheets.core.errors import ServiceError
from ladder_sheets.mail.sendlog import LOG_NAME
from ladder_sheets.mail.smtp import Server, build_message, send_eml_dir, write_eml
from tests.support.cli import run_main
from tests.support.smtp import free_port, smtp_server

pytestmark = pytest.mark.network

SENDER = "SE Ops <se-ops@apex.example>"


def outbox(directory: Path, n: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        write_eml(build_message(SENDER, [f"se{i}@apex.example"], f"message {i}", "text", "<p>html</p>"),
                  directory / f"m{i:02d}.eml")
    return directory


@contextmanager
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A port that accepts connections and never says a word (a server hung, a firewall eating packets)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], accepted
    finally:
        listener.close()
        for conn in accepted:
            conn.close()


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses ``send`` itself makes (in the test's thread; the server's threads pause as they like)."""
    made: list[float] = []
    real, here = time.sleep, threading.get_ident()

    def sleep(seconds: float) -> None:
        if threading.get_ident() == here:
            made.append(seconds)
        real(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    return made


# What no retry fixes, each as `send` is run for it: (extra arguments, server kind, what the line says).
UNFIXABLE = {
    "connection refused": ([], "none", "cannot connect to SMTP server 127.0.0.1:{port}: connection refused; check "
                                      "--smtp-host and --smtp-port, and that the server is running"),
    "name does not resolve": (["--smtp-host", "smtp.ladder-sheets.invalid"], "none",
                              "cannot connect to SMTP server smtp.ladder-sheets.invalid:{port}: the name "
                              "smtp.ladder-sheets.invalid does not resolve"),
    "certificate not trusted (STARTTLS)": (["--starttls"], "starttls",
                                           "SMTP server 127.0.0.1:{port}: TLS failed (CERTIFICATE_VERIFY_FAILED); "
                                           "the certificate is not one this machine trusts for 127.0.0.1"),
    "TLS to a plain port (--ssl)": (["--ssl"], "plain", "cannot connect to SMTP server 127.0.0.1:{port}: TLS failed"),
}
# How each line ends: what to check.
UNFIXABLE_ENDS = {"name does not resolve": "; check --smtp-host and the network",
                  "TLS to a plain port (--ssl)": "; --ssl is for a port that speaks TLS from the start (465), "
                                                 "--starttls for one that upgrades (587)"}


@pytest.mark.parametrize("case", list(UNFIXABLE))
def test_what_no_retry_fixes_is_one_error_line_at_once(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str], pauses: list[float]) -> None:
    args, kind, said = UNFIXABLE[case]
    box = outbox(tmp_path / "out", 3)
    with smtp_server(tls=kind == "starttls") as (controller, recorder, _):
        port = free_port() if kind == "none" else controller.port
        started = time.monotonic()
        code, out, err = run_main(monkeypatch, capsys, "send", box, "--smtp-host", "127.0.0.1",
                                  "--smtp-port", port, *args)
        elapsed = time.monotonic() - started
    assert pauses == [] and elapsed < 20, (pauses, elapsed)  # no retry; and no timeout waited out either
    assert code == 1 and out == "" and len(err.splitlines()) == 1, err
    assert err.startswith("Error: " + said.format(port=port)), err
    assert err.rstrip("\n").endswith(UNFIXABLE_ENDS.get(case, "")) and "[Errno" not in err, err  # in words
    assert recorder.received == [] and not (box / LOG_NAME).exists()


def test_the_server_gone_mid_run_stops_at_once_and_keeps_what_went_out(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      pauses: list[float]) -> None:
    box = outbox(tmp_path / "out", 5)
    with smtp_server() as (controller, recorder, _):
        recorder.shut_down_at.add("se3@apex.example")  # answers 421 for m03, then refuses every connection
        started = time.monotonic()
        code, out, err = run_main(monkeypatch, capsys, "send", box, "--smtp-host", "127.0.0.1",
                                  "--smtp-port", controller.port)
        elapsed = time.monotonic() - started
        port = controller.port
    # One pause, before m03's second try; and no timeout waited out.
    assert pauses == [Server("127.0.0.1", 25).backoff] and elapsed < 20, (pauses, elapsed)
    assert code == 1 and len(err.splitlines()) == 1
    assert err == (f"Error: cannot connect to SMTP server 127.0.0.1:{port}: connection refused; check --smtp-host and "
                   "--smtp-port, and that the server is running; 2 of 5 emails went out before that, recorded in "
                   f"{LOG_NAME}: run the same command again to send the rest\n")
    log = [json.loads(line) for line in (box / LOG_NAME).read_text().splitlines()]
    assert [e["file"] for e in log] == ["m01.eml", "m02.eml"]
    with smtp_server() as (controller, recorder, _):
        again = send_eml_dir(box, Server("127.0.0.1", controller.port))
    assert [p.name for p, _, _ in again.sent] == ["m03.eml", "m04.eml", "m05.eml"]
    assert [p.name for p, _ in again.already] == ["m01.eml", "m02.eml"]


def test_what_the_server_asks_to_retry_is_retried_and_then_goes_through(tmp_path: Path) -> None:
    """451 (greylisting, a busy mailbox) twice for one recipient: the third try delivers, once."""
    box = outbox(tmp_path / "out", 3)
    with smtp_server() as (controller, recorder, _):
        recorder.later["se2@apex.example"] = 2
        report = send_eml_dir(box, Server("127.0.0.1", controller.port, backoff=0.01))
    assert [p.name for p, _, _ in report.sent] == ["m01.eml", "m02.eml", "m03.eml"] and not report.not_sent
    assert sorted(recorder.count().values()) == [1, 1, 1]


def test_a_server_that_keeps_asking_is_tried_a_bounded_number_of_times(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", 2)
    with smtp_server() as (controller, recorder, _):
        recorder.later["se1@apex.example"] = 100
        report = send_eml_dir(box, Server("127.0.0.1", controller.port, backoff=0.01))
        asked = 100 - recorder.later["se1@apex.example"]
    assert asked == 4
    assert report.refused == [(box / "m01.eml", "se1@apex.example: 451 4.7.1 Try again later (tried 4 times)")]
    assert [p.name for p, _, _ in report.sent] == ["m02.eml"] and report.failed == []


@pytest.mark.parametrize(("attempts", "said"), [(1, ""), (2, " (tried 2 times)")])
def test_a_refusal_says_how_many_times_it_was_tried_when_more_than_once(tmp_path: Path, attempts: int,
                                                                        said: str) -> None:
    box = outbox(tmp_path / "out", 1)
    with smtp_server() as (controller, recorder, _):
        recorder.later["se1@apex.example"] = 100
        report = send_eml_dir(box, Server("127.0.0.1", controller.port, backoff=0.01, attempts=attempts))
    assert [why for _, why in report.refused] == [f"se1@apex.example: 451 4.7.1 Try again later{said}"]


def test_a_server_that_never_answers_is_retried_then_named(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", 1)
    with silent_server() as (port, accepted):
        with pytest.raises(ServiceError) as caught:
            send_eml_dir(box, Server("127.0.0.1", port, timeout=0.2, backoff=0.01))
        assert len(accepted) == 4  # a timeout is worth another try: four connections
    assert str(caught.value) == (f"cannot connect to SMTP server 127.0.0.1:{port}: no answer within 0.2 s "
                                 "(tried 4 times)")


@contextmanager
def greeting_server(greeting: bytes) -> Iterator[tuple[int, list[socket.socket]]]:
    """A port whose server greets every connection with ``greeting`` (instead of "220 ready") and hangs up."""
    with silent_server() as (port, accepted):
        def greet() -> None:
            done = 0
            while listening[0]:
                for conn in accepted[done:]:
                    conn.sendall(greeting)
                    conn.close()
                    done += 1
                time.sleep(0.005)

        listening = [True]
        thread = threading.Thread(target=greet, daemon=True)
        thread.start()
        try:
            yield port, accepted
        finally:
            listening[0] = False
            thread.join()


@pytest.mark.parametrize(("code", "tries"), [(400, 4), (499, 4), (500, 1), (554, 1)])
def test_a_greeting_that_asks_to_try_later_is_retried_and_a_refusal_is_not(tmp_path: Path, code: int,
                                                                          tries: int) -> None:
    """4xx: the server is busy, worth another try; 5xx: it refuses, and no retry changes that. Its words are
    quoted, bytes that are not UTF-8 shown as such."""
    box = outbox(tmp_path / "out", 1)
    with greeting_server(f"{code} busy \xff now\r\n".encode("latin-1")) as (port, accepted):
        with pytest.raises(ServiceError) as caught:
            send_eml_dir(box, Server("127.0.0.1", port, timeout=2, backoff=0.01))
        assert len(accepted) == tries
    said = f"cannot connect to SMTP server 127.0.0.1:{port}: "
    assert str(caught.value) == (f"{said}{code} busy \ufffd now (tried 4 times)" if tries > 1
                                 else f"{said}SMTPConnectError: ({code}, b'busy \\xff now')")


@pytest.mark.parametrize(("code", "retried"), [(400, True), (499, True), (500, False), (550, False)])
@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_an_answer_in_the_400s_is_tried_again_and_one_in_the_500s_is_final(tmp_path: Path, stage: str, code: int,
                                                                          retried: bool) -> None:
    """For a recipient (RCPT TO) or for the whole message (DATA): 4xx means "later", 5xx means "no"."""
    box = outbox(tmp_path / "out", 1)
    with smtp_server() as (controller, recorder, _):
        replies = recorder.rcpt_replies if stage == "RCPT" else recorder.data_replies
        replies["se1@apex.example"] = [f"{code} not now"]
        report = send_eml_dir(box, Server("127.0.0.1", controller.port, backoff=0.01))
    if retried:
        assert [p.name for p, _, _ in report.sent] == ["m01.eml"] and not report.not_sent
        assert len(recorder.received) == 1
    elif stage == "RCPT":
        assert report.sent == [] and [why for _, why in report.refused] == [f"se1@apex.example: {code} not now"]
    else:
        assert report.sent == [] and [why for _, why in report.failed] == [f"{code} not now"]


def test_the_server_gone_mid_run_without_a_send_log_names_no_log(tmp_path: Path) -> None:
    box = outbox(tmp_path / "out", 3)
    with smtp_server() as (controller, recorder, _):
        recorder.shut_down_at.add("se2@apex.example")
        port = controller.port
        with pytest.raises(ServiceError) as caught:
            send_eml_dir(box, Server("127.0.0.1", port, backoff=0.01), log=False)
    assert str(caught.value).endswith("; 1 of 3 emails went out before that: run the same command again to send "
                                      "the rest")
