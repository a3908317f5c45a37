"""Each saved email is read on its own: one hostile message is one located problem, every other reply is read.

Built for the class, not one example: messages that break each bound (nesting, parts, size),
that the parser cannot follow, and files that are no email, each put between good replies in
a Maildir, an mbox and as .eml files; a Maildir's odd entries; attachment names that try to
leave the folder they are written to or to disguise themselves on a terminal.
"""

from __future__ import annotations

import base64
import mailbox
import os
import random
import tempfile
import time
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.core.results import Kind, PersonResult, Results, Severity
from ladder_sheets.mail import intake
from ladder_sheets.mail.maildir import deliver, reply
from ladder_sheets.workflows.mail_collect import collect_with_mail
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER
from tests.support.cli import run_main
from tests.support.fill import random_inputs, write_values

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def returns(ladder: Ladder, roster: Roster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every SE's workbook as the SE returns it, their part filled in completely, by person id (the
    manager's scores come from the manager: tests/test_mail_intake.py)."""
    out = tmp_path_factory.mktemp("gen")
    generate(ladder, roster, QUARTER, out, due=DUE)
    rng = random.Random(20)
    filled = {}
    for person in roster.people:
        _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), rng, level=person.level)
        values = {k: v for k, v in values.items() if not k.endswith((".manager", ".comment"))}
        path = out / QUARTER / f"{person.id}.xlsx"
        write_values(path, layout.build(ladder, roster, person, QUARTER, DUE), values)
        filled[person.id] = path.read_bytes()
    return filled


def _read_as_always(result: PersonResult) -> bool:
    """The person's reply was read, whatever its own inputs make of the status: nothing about it is unreadable."""
    return result.inputs is not None and result.scores is not None and not any(
        p.kind in (Kind.UNREADABLE, "no_workbook") or p.severity is Severity.ERROR for p in result.problems)


def _head(sender: str, subject: str, when: datetime, content_type: str) -> bytes:
    return (f"From: {sender}\r\nTo: ops@apex.example\r\nSubject: {subject}\r\nDate: {format_datetime(when)}\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n").encode()


def _nested(depth: int) -> Callable[[str, str, datetime], bytes]:
    def make(sender: str, subject: str, when: datetime) -> bytes:
        body = b"".join(b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i, i + 1)
                        for i in range(depth - 1))
        body += b"--b%d\r\nContent-Type: text/plain\r\n\r\nhi\r\n" % (depth - 1)
        body += b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
        return _head(sender, subject, when, 'multipart/mixed; boundary="b0"') + body
    return make


def _forwarded(depth: int) -> Callable[[str, str, datetime], bytes]:
    """Messages attached inside messages (message/rfc822): no boundary line shows how deep."""
    def make(sender: str, subject: str, when: datetime) -> bytes:
        inner = [b"From: x%d@example.com\r\nContent-Type: message/rfc822\r\n\r\n" % i for i in range(depth)]
        return _head(sender, subject, when, "message/rfc822") + b"".join(inner) + b"Subject: end\r\n\r\nhi\r\n"
    return make


def _parts(count: int) -> Callable[[str, str, datetime], bytes]:
    def make(sender: str, subject: str, when: datetime) -> bytes:
        return (_head(sender, subject, when, 'multipart/mixed; boundary="p"') + b"--p\r\n\r\nx\r\n" * count
                + b"--p--\r\n")
    return make


def _huge(sender: str, subject: str, when: datetime) -> bytes:
    return _head(sender, subject, when, "text/plain") + b"x" * 80 + (b"\r\n" + b"y" * 78) * 220_000


def _long_header(sender: str, subject: str, when: datetime) -> bytes:
    """A header Python's parser would recurse into once per parenthesis (RecursionError), and slowly."""
    return _head(sender, subject, when, "text/plain").replace(b"MIME-Version", b"X-Note: " + b"(" * 70_000
                                                                   + b"\r\nMIME-Version") + b"hi\r\n"


def _long_part_header(sender: str, subject: str, when: datetime) -> bytes:
    name = "x" * 70_000 + ".xlsx"
    return (_head(sender, subject, when, 'multipart/mixed; boundary="p"') + b"--p\r\nContent-Type: application/"
            + f'octet-stream\r\nContent-Disposition: attachment; filename="{name}"\r\n\r\nQUJD\r\n--p--\r\n'.encode())


# Each hostile message, and what its problem says beyond who sent it, when and about what.
HOSTILE: dict[str, tuple[Callable[[str, str, datetime], bytes], str]] = {
    "multipart nested 5,000 deep": (_nested(5_000), "nested more than 32 levels deep"),
    "multipart nested one past the bound": (_nested(intake.MAX_MESSAGE_DEPTH + 2), "nested more than 32 levels deep"),
    "forwarded 3,000 deep (the parser's recursion)": (_forwarded(3_000),
                                                      "nest deeper than Python's email parser can follow"),
    "forwarded 40 deep": (_forwarded(40), "nested more than 32 levels deep"),
    "a million empty parts": (_parts(1_000_000), "more than 1,000 parts"),
    "one part past the bound": (_parts(intake.MAX_MESSAGE_PARTS + 1), "more than 1,000 parts"),
    "over the size bound": (_huge, "the email is over 16 MB"),
    "a header over the bound (comments in comments)": (_long_header, "its headers are over 64 KB"),
    "a part's headers over the bound": (_long_part_header, "its headers are over 64 KB"),
}


def _good(roster: Roster, returns: dict[str, bytes], person: Person, when: datetime) -> bytes:
    return reply(person.email, "ops@apex.example", f"Re: workbook {person.id}", "here", when,
                 [(f"{person.id}.xlsx", returns[person.id])]).as_bytes()


def _mixed(roster: Roster, returns: dict[str, bytes]) -> tuple[list[bytes], dict[str, str], list[Person]]:
    """Good replies with a hostile message after each: the raw messages, each hostile one's expected
    text (by subject), and the people whose replies are good."""
    good = list(roster.people[:4])
    messages: list[bytes] = []
    expected: dict[str, str] = {}
    for n, (name, (make, why)) in enumerate(HOSTILE.items()):
        when = T0 + timedelta(hours=n)
        if n < len(good):
            messages.append(_good(roster, returns, good[n], when))
        subject = f"hostile {n}: {name}"
        messages.append(make(f"sender{n}@elsewhere.example", subject, when))
        expected[subject] = f"email from sender{n}@elsewhere.example, {when:%Y-%m-%d %H:%M} UTC, subject {subject!r}: "
    return messages, expected, good


def _container(kind: str, messages: list[bytes], where: Path) -> list[Path]:
    if kind == "maildir":
        box = mailbox.Maildir(str(where / "inbox"), create=True)
        for raw in messages:
            box.add(raw)
        box.close()
        return [where / "inbox"]
    if kind == "mbox":
        mb = mailbox.mbox(str(where / "returns.mbox"))
        for raw in messages:
            mb.add(raw)
        mb.close()
        return [where / "returns.mbox"]
    paths = []
    for n, raw in enumerate(messages):
        (path := where / f"reply-{n:02d}.eml").write_bytes(raw)
        paths.append(path)
    return paths


@pytest.mark.parametrize("kind", ["maildir", "mbox", "eml"])
def test_each_hostile_message_is_one_located_problem_and_the_others_are_read(
        kind: str, ladder: Ladder, roster: Roster, returns: dict[str, bytes], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "MAX_MESSAGE_BYTES", 16 * 1024 * 1024)  # the size bound, at a size a test can write
    messages, expected, good = _mixed(roster, returns)
    sources = _container(kind, messages, tmp_path)
    started = time.monotonic()
    results = collect_with_mail(sources, ladder, roster, QUARTER)
    assert time.monotonic() - started < 30  # a million parts handed to the parser would take minutes

    for person in good:
        got = next(p for p in results.people if p.person.id == person.id)
        assert _read_as_always(got), [str(p) for p in got.problems]
        assert f"{person.id}.xlsx from {person.email}" in got.file
    unreadable = [p for p in results.unmatched if p.kind == Kind.UNREADABLE]
    assert len(unreadable) == len(HOSTILE), [str(p) for p in results.unmatched]
    for subject, text in expected.items():
        (problem,) = [p for p in unreadable if f"subject {subject!r}" in p.message]
        assert problem.message.startswith(text) and problem.message.endswith("so it was not read"), problem.message
        assert HOSTILE[subject.partition(": ")[2]][1] in problem.message
        assert problem.severity is Severity.ERROR
        if kind == "mbox":
            assert problem.file.startswith(f"{sources[0]}, message ")
        else:
            assert Path(problem.file).is_file()  # the message's own file, where a person finds it


def test_a_message_nested_to_the_bound_is_read(ladder: Ladder, roster: Roster, returns: dict[str, bytes],
                                               tmp_path: Path) -> None:
    """The bounds refuse nothing a mail client makes: a workbook at the bottom of 32 levels of parts is read
    (a reply is two: mixed around the attachment, alternative around the text)."""

    person = roster.people[0]
    msg = reply(person.email, "ops@apex.example", "Re: fwd fwd fwd", "here", T0, [(f"{person.id}.xlsx",
                                                                                     returns[person.id])])
    for _ in range(intake.MAX_MESSAGE_DEPTH - 2):
        outer = EmailMessage()
        for header in ("From", "Subject", "Date"):
            outer[header] = msg[header]
        outer.make_mixed()
        outer.attach(msg)
        msg = outer
    (tmp_path / "deep.eml").write_bytes(msg.as_bytes())
    results = collect_with_mail([tmp_path / "deep.eml"], ladder, roster, QUARTER)
    got = next(p for p in results.people if p.person.id == person.id)
    assert _read_as_always(got), [str(p) for p in (*got.problems, *results.unmatched)]


def test_a_maildirs_odd_entries_are_named_and_its_messages_read(ladder: Ladder, roster: Roster,
                                                                  returns: dict[str, bytes], tmp_path: Path) -> None:
    inbox = deliver(tmp_path / "inbox", [reply(p.email, "ops@apex.example", "Re", "here", T0,
                                               [(f"{p.id}.xlsx", returns[p.id])]) for p in roster.people[:2]])
    (inbox / "cur" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (inbox / "cur" / "._1733.M1P2.host:2,S").write_bytes(b"\x00\x05\x16\x07")
    (inbox / "cur" / "subfolder").mkdir()
    os.mkfifo(inbox / "new" / "1734.pipe")  # reading it would wait forever
    (inbox / "tmp" / "1735.M9P9.host").write_bytes(b"From: half@way.example\r\n")  # a delivery not finished
    (inbox / "cur" / "1736.empty:2,S").write_bytes(b"")
    (inbox / "new" / "1737.junk").write_bytes(bytes(range(256)) * 40)
    (inbox / "new" / "1738.text").write_bytes(b"just some words\nno headers at all\n")

    results = collect_with_mail([inbox], ladder, roster, QUARTER)

    for person in roster.people[:2]:
        assert _read_as_always(next(p for p in results.people if p.person.id == person.id))
    by_file = {Path(p.file).name: p for p in results.unmatched}
    (note,) = [p for p in results.unmatched if p.kind == Kind.SKIPPED]
    assert note.file == str(inbox) and note.severity is Severity.NOTE
    for said in ("2 hidden files (cur/.DS_Store, cur/._1733.M1P2.host:2,S)", "1 folder inside it (not searched) "
                 "(cur/subfolder)", "1 pipe, socket or device (new/1734.pipe)",
                 "1 message still being delivered (tmp/) (tmp/1735.M9P9.host)"):
        assert said in note.message, note.message
    for name in ("1736.empty:2,S", "1737.junk", "1738.text"):
        assert by_file[name].kind == Kind.UNREADABLE
        assert by_file[name].message == ("email from no sender, no date, subject '': it is not an email (it has "
                                         "none of an email's headers), so it was not read")
    assert len(results.unmatched) == 4, [str(p) for p in results.unmatched]


# Attachment names that would write outside the folder they are saved in, hide, or rewrite a terminal.
# The last is sent as an .xlsx by its MIME type alone.
HOSTILE_NAMES = ["../../../escaped.xlsx", "{outside}/absolute.xlsx", "..\\..\\windows.xlsx", ".hidden.xlsx",
                 "line\r\nbreak.xlsx", "\x1b[2J\x1b[31mred.xlsx", "x" * 300 + ".xlsx", "no extension at all"]


def test_attachment_names_never_write_outside_and_print_as_data(ladder: Ladder, roster: Roster,
                                                                returns: dict[str, bytes], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    people = roster.people[:len(HOSTILE_NAMES)]
    assert len(people) == len(HOSTILE_NAMES)
    messages = [_attached(person.email, name.format(outside=tmp_path), returns[person.id],
                          intake.XLSX_MIME if "." not in name else "application/octet-stream")
                for name, person in zip(HOSTILE_NAMES, people)]
    messages.append(_attached(people[0].email, "scan\u202ecod.pdf", b"%PDF-1.4"))
    inbox = tmp_path / "inbox"
    box = mailbox.Maildir(str(inbox), create=True)
    for raw in messages:
        box.add(raw)
    box.close()
    before = sorted(p for p in tmp_path.rglob("*"))

    results = collect_with_mail([inbox], ladder, roster, QUARTER)

    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written anywhere, nothing left behind
    for name, person in zip(HOSTILE_NAMES, people):
        got = next(p for p in results.people if p.person.id == person.id)
        assert _read_as_always(got), (name, [str(p) for p in got.problems])
    said = [*(p.file for p in results.people), *(str(p) for p in _all_problems(results))]
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for text in said for ch in text)
    assert any("scan\\u202ecod.pdf" in text for text in said)  # the right-to-left override shown, not obeyed
    assert any("\\x1b[2J\\x1b[31mred.xlsx" in text for text in said)


def _attached(sender: str, name: str, data: bytes, mime: str = "application/octet-stream") -> bytes:
    """A reply with one attachment whose name is sent as is (RFC 2231 encoding carries any character)."""
    body = base64.encodebytes(data)
    return (_head(sender, "Re", T0, 'multipart/mixed; boundary="m"') + b"--m\r\nContent-Type: text/plain\r\n\r\n"
            b"here\r\n--m\r\n" + f"Content-Type: {mime}\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''{quote(name, safe='')}\r\n\r\n".encode()
            + body + b"--m--\r\n")


def _all_problems(results: Results) -> list[object]:
    return [*results.unmatched, *(x for p in results.people for x in p.problems)]


def test_cli_one_hostile_message_never_hides_the_rest_of_the_mailbox(
        ladder: Ladder, roster: Roster, returns: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], in_workbook_team: Path) -> None:
    """The reported case: one deeply nested message in an mbox, every SE's reply around it."""
    mb = mailbox.mbox(str(tmp_path / "returns.mbox"))
    for n, person in enumerate(roster.people):
        mb.add(_good(roster, returns, person, T0 + timedelta(minutes=n)))
        if n == 2:
            mb.add(_nested(5_000)("odd@elsewhere.example", "Fwd: Fwd: Fwd:", T0))
    mb.close()
    code, out, _ = run_main(monkeypatch, capsys, "collect", tmp_path / "returns.mbox", "--team", in_workbook_team,
                            "--quarter", QUARTER, "--out", tmp_path / "r.json", "--no-db")
    assert code == 1
    people = [x for x in out.splitlines() if x.split()[:1] in (["complete"], ["incomplete"], ["invalid"], ["missing"])]
    assert len(people) == len(roster.people) and all(x.startswith("incomplete") for x in people), out  # the managers'
    # scores are still to come: every reply was read
    assert all("returns.mbox, message" in x for x in people) and "1 file problem(s)" in out
    (line,) = [x for x in out.splitlines() if x.startswith("file ")]
    assert line == (f"file        {tmp_path / 'returns.mbox'}, message 4: email from odd@elsewhere.example, "
                    "2026-12-01 09:00 UTC, subject 'Fwd: Fwd: Fwd:': its parts are nested more than 32 levels "
                    "deep; a reply's go a few levels deep, so it was not read")
