"""One saved email read as mail/intake.py reads it: who sent it, when, its workbooks, or why it was refused.

No workbook and no collect: each message is built in memory (``EmailMessage``, or raw bytes where a
client's odd output or a hostile sender is the point), so these run in milliseconds. What happens
to a message's workbooks afterwards is tests/test_mail_intake.py's; mailboxes full of hostile
messages, tests/test_mail_hostile.py's.
"""

from __future__ import annotations

import mailbox
import os
import time
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from ladder_sheets.mail import intake
from ladder_sheets.mail.intake import XLSX_MIME, Returned, Skipped, is_mail_source, message, read_source

DATE = "Tue, 01 Dec 2026 10:00:00 +0100"  # 09:00 UTC
# A file the system lists as a regular file but refuses to read from its start (errno EIO, even for root):
# a disk failing under a message, without a failing disk.
FAILING_DISK = Path("/proc/self/mem")
SEEN = "email from se@example.com, 2026-12-01 09:00 UTC, subject 'Re: workbook'"


def _email(attachments: tuple[tuple[str | None, bytes, str], ...] = (), *, sender: str = "SE <Se@Example.COM>",
           subject: str = "Re: workbook", date: str | None = DATE) -> EmailMessage:
    """A reply with a text body and ``attachments`` as (file name or None, bytes, MIME type)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["Subject"] = subject
    if date is not None:
        msg["Date"] = date
    msg.set_content("here it is")
    for name, data, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def _raw_head(content_type: str = "text/plain") -> bytes:
    return (f"From: se@example.com\r\nSubject: Re: workbook\r\nDate: {DATE}\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()


def _refused(raw: bytes) -> str:
    """What the message's problem says after who sent it, when and about what."""
    got = message("reply.eml", raw)
    assert (got.where, got.sender, got.when, got.subject) == ("reply.eml", "se@example.com", "2026-12-01 09:00 UTC",
                                                              "Re: workbook")
    assert got.problem.startswith(f"{SEEN}: ") and got.problem.endswith(", so it was not read"), got.problem
    assert (got.workbooks, got.others) == ((), ())
    return got.problem[len(SEEN) + 2:-len(", so it was not read")]


# -- who, when, what ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "when"), [
    (DATE, "2026-12-01 09:00 UTC"),  # another zone, told in UTC
    ("Tue, 01 Dec 2026 23:30:00 -0330", "2026-12-02 03:00 UTC"),  # past midnight in UTC
    ("Tue, 01 Dec 2026 10:00:00 -0000", "2026-12-01 10:00 UTC"),  # "zone unknown": taken as UTC
    ("Tue, 01 Dec 2026 10:00:00", "2026-12-01 10:00 UTC"),  # no zone at all
    ("the day after tomorrow", "no date"),
    ("", "no date"),
    (None, "no date"),
])
def test_the_date_is_told_in_utc_or_as_no_date(date: str | None, when: str) -> None:
    got = message("reply.eml", _email(date=date).as_bytes())
    assert got.when == when
    assert got.date is None or got.date.tzinfo == timezone.utc
    assert got.problem == ""


def test_a_date_without_a_zone_is_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/St_Johns")  # -03:30 in December
    time.tzset()
    try:
        for date in ("Tue, 01 Dec 2026 10:00:00 -0000", DATE):
            got = message("reply.eml", _email(date=date).as_bytes())
            assert got.date is not None and got.date.utcoffset() == timedelta(0)
        assert message("reply.eml", _email(date="Tue, 01 Dec 2026 10:00:00").as_bytes()).when == "2026-12-01 10:00 UTC"
        assert message("reply.eml", _email(date=DATE).as_bytes()).when == "2026-12-01 09:00 UTC"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_sender_is_the_from_address_in_lower_case_and_named_with_when_and_what() -> None:
    got = message("inbox/cur/1", _email(sender="Leticia Moreno <Leticia.Moreno@APEX-Cloud.example>").as_bytes())
    assert (got.where, got.sender, got.subject) == ("inbox/cur/1", "leticia.moreno@apex-cloud.example", "Re: workbook")
    assert got.date == datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    assert got.described == "email from leticia.moreno@apex-cloud.example, 2026-12-01 09:00 UTC, subject 'Re: workbook'"


def test_a_message_without_a_sender_or_date_is_still_described() -> None:
    raw = b"Subject: hello\r\nMIME-Version: 1.0\r\n\r\nno one signed this\r\n"
    got = message("reply.eml", raw)
    assert (got.sender, got.date, got.problem) == ("", None, "")
    assert got.described == "email from no sender, no date, subject 'hello'"


@pytest.mark.parametrize(("length", "shown"), [(200, "s" * 200), (201, "s" * 199 + "…"), (5_000, "s" * 199 + "…")])
def test_a_long_subject_is_cut_to_200_characters(length: int, shown: str) -> None:
    assert message("reply.eml", _email(subject="s" * length).as_bytes()).subject == shown


def test_a_sender_with_control_characters_is_shown_as_escapes() -> None:
    raw = _raw_head().replace(b"From: se@example.com", "From: \"x\" <Se\u202e\x07x@example.com>".encode())
    got = message("reply.eml", raw + b"hi\r\n")
    assert got.sender == "se\\u202e\\x07x@example.com"
    assert got.described.startswith("email from se\\u202e\\x07x@example.com, 2026-12-01 09:00 UTC")


def test_headers_that_cannot_be_parsed_leave_no_sender_date_or_subject() -> None:
    got = message("reply.eml", b"\xff\xfe" + b"\x00" * 40)
    assert (got.sender, got.date, got.subject) == ("", None, "")


def test_a_sender_the_parser_cannot_follow_is_no_sender_and_the_email_is_read() -> None:
    """Comments nested in comments in the From header (the parser recurses into each): no sender, nothing lost."""
    raw = _raw_head().replace(b"From: se@example.com", b"From: " + b"(" * 3_000 + b"se@example.com")
    got = message("reply.eml", raw + b"hi\r\n")
    assert (got.sender, got.subject, got.problem) == ("", "Re: workbook", "")


# -- workbooks and other attachments ------------------------------------------------------------------------------


def test_each_workbook_format_is_taken_by_its_name_in_any_case() -> None:
    names = ["a.xlsx", "B.XLSX", "c.xlsm", "d.xlsb", "e.xls", "f.ods", "g.Ods"]
    got = message("reply.eml", _email(tuple((n, n.encode(), "application/octet-stream") for n in names)).as_bytes())
    assert got.workbooks == tuple((n, n.encode()) for n in names)
    assert (got.others, got.problem) == ((), "")


@pytest.mark.parametrize(("mime", "suffix"), [
    (XLSX_MIME, ".xlsx"), ("application/vnd.ms-excel.sheet.macroEnabled.12", ".xlsm"),
    ("application/vnd.ms-excel.sheet.binary.macroEnabled.12", ".xlsb"), ("application/vnd.ms-excel", ".xls"),
    ("application/vnd.oasis.opendocument.spreadsheet", ".ods")])
def test_a_workbook_without_a_name_or_a_suffix_is_known_by_its_mime_type(mime: str, suffix: str) -> None:
    got = message("reply.eml", _email(((None, b"one", mime), ("scores", b"two", mime))).as_bytes())
    assert got.workbooks == ((f"workbook{suffix}", b"one"), (f"scores{suffix}", b"two"))
    assert got.others == ()


def test_what_is_not_a_workbook_is_named_by_its_file_name_or_its_type() -> None:
    got = message("reply.eml", _email((("scan.pdf", b"%PDF", "application/pdf"), ("notes.csv", b"a,b", "text/csv"),
                                       (None, b"?", "application/octet-stream"),
                                       ("empty.xlsx", b"", "application/octet-stream"),
                                       ("report.xlsx.pdf", b"%PDF", XLSX_MIME))).as_bytes())
    assert got.workbooks == ()
    assert got.others == ("scan.pdf", "notes.csv", "application/octet-stream", "empty.xlsx", "report.xlsx.pdf")


def test_the_body_and_inline_parts_without_a_name_are_no_attachments() -> None:
    msg = _email()
    msg.add_alternative("<p>here it is</p>", subtype="html")
    inline = EmailMessage()
    inline.set_content(b"\x89PNG", maintype="image", subtype="png", disposition="inline")
    msg.make_mixed()
    msg.attach(inline)
    got = message("reply.eml", msg.as_bytes())
    assert (got.workbooks, got.others, got.problem) == ((), (), "")


def test_an_inline_workbook_with_a_name_is_taken() -> None:
    msg = _email()
    part = EmailMessage()
    part.set_content(b"data", maintype="application", subtype="octet-stream", disposition="inline",
                     filename="mine.xlsx")
    msg.make_mixed()
    msg.attach(part)
    assert message("reply.eml", msg.as_bytes()).workbooks == (("mine.xlsx", b"data"),)


@pytest.mark.parametrize(("given", "name"), [
    ("C:\\Users\\se\\Desktop\\Scorecard.xlsx", "Scorecard.xlsx"),  # a Windows path: the name alone
    ("../../etc/book.xlsx", "book.xlsx"),
    ("line\r\nbreak.xlsx", "line\\r\\nbreak.xlsx"),  # control characters written as escapes
    ("scan\u202excod.xlsx", "scan\\u202excod.xlsx"),  # a right-to-left override shown, not obeyed
    ("x" * 300 + ".XLSX", "x" * 119 + "….XLSX"),  # a long name cut, its format kept
    ("x" * 120 + ".xlsx", "x" * 120 + ".xlsx"),
    ("Évaluation Tomáš 第四.xlsx", "Évaluation Tomáš 第四.xlsx"),  # letters of any script shown as they are
])
def test_a_workbook_is_named_by_its_file_name_alone_shown_safely(given: str, name: str) -> None:
    raw = (_raw_head('multipart/mixed; boundary="m"') + b"--m\r\nContent-Type: application/octet-stream\r\n"
           b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename*=utf-8''"
           + "".join(f"%{b:02X}" for b in given.encode()).encode() + b"\r\n\r\nQUJD\r\n--m--\r\n")
    assert message("reply.eml", raw).workbooks == ((name, b"ABC"),)


def test_an_attachment_named_without_a_suffix_is_no_workbook_unless_its_type_says_so() -> None:
    got = message("reply.eml", _email((("notes", b"text", "text/plain"),)).as_bytes())
    assert (got.workbooks, got.others) == ((), ("notes",))


@pytest.mark.parametrize("param", [b'filename="=?utf-8?q?=C3=9Cbersicht?=.xlsx"', b'filename="=?utf-8?b?w5xiZXJzaWNodC54bHN4?="'])
def test_a_name_sent_as_an_encoded_word_is_decoded(param: bytes) -> None:
    """Outlook and Gmail send a name with accents as an RFC 2047 encoded word inside the quotes."""
    raw = (_raw_head('multipart/mixed; boundary="m"') + b"--m\r\nContent-Type: application/octet-stream\r\n"
           b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; " + param + b"\r\n\r\nQUJD\r\n--m--\r\n")
    assert message("reply.eml", raw).workbooks == (("Übersicht.xlsx", b"ABC"),)


def test_workbooks_forwarded_inside_another_email_are_found() -> None:
    inner = _email((("inner.xlsx", b"inner", XLSX_MIME),), sender="manager@example.com")
    outer = _email((("outer.ods", b"outer", "application/octet-stream"),))
    outer.add_attachment(inner)
    got = message("reply.eml", outer.as_bytes())
    assert got.workbooks == (("outer.ods", b"outer"), ("inner.xlsx", b"inner"))
    assert got.sender == "se@example.com"


# -- refused: over a bound, or not readable ------------------------------------------------------------------------


def test_an_email_over_the_size_bound_is_refused_and_one_at_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _raw_head() + b"x" * 100 + b"\r\n"
    monkeypatch.setattr(intake, "MAX_MESSAGE_BYTES", len(raw))
    assert message("reply.eml", raw).problem == ""
    monkeypatch.setattr(intake, "MAX_MESSAGE_BYTES", len(raw) - 1)
    assert _refused(raw) == "the email is over 0 MB, more than any reply carrying a workbook"


def test_the_size_bound_is_told_in_whole_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    bound = 3 * 1024 * 1024 // 2
    monkeypatch.setattr(intake, "MAX_MESSAGE_BYTES", bound)
    assert _refused(_raw_head() + b"x" * bound) == "the email is over 2 MB, more than any reply carrying a workbook"


def test_an_email_over_100_mb_is_refused() -> None:
    raw = _raw_head() + b"x" * (100 * 1024 * 1024)
    assert _refused(raw) == "the email is over 100 MB, more than any reply carrying a workbook"


def test_a_source_is_read_to_one_byte_past_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the whole of a huge file, but enough to tell it is over the bound."""
    monkeypatch.setattr(intake, "MAX_MESSAGE_BYTES", 4096)
    raw = _raw_head() + b"x" * 4096
    (tmp_path / "big.eml").write_bytes(raw)
    (tmp_path / "fits.eml").write_bytes(raw[:4096])
    (big,) = read_source(tmp_path / "big.eml")
    assert big.problem.endswith("the email is over 0 MB, more than any reply carrying a workbook, so it was not read")
    (fits,) = read_source(tmp_path / "fits.eml")
    assert fits.problem == ""


HEADERS = intake.MAX_HEADER_BYTES


def _with_header_block(size: int, eol: bytes) -> bytes:
    """A message whose header block, its blank line included, takes ``size`` bytes, then a body."""
    first = b"From: se@example.com" + eol + b"Subject: Re: workbook" + eol + b"Date: " + DATE.encode() + eol
    pad = size - len(first) - len(b"X-Pad: ") - 2 * len(eol)
    return first + b"X-Pad: " + b"p" * pad + eol + eol + b"body" * 100 + eol


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"])
def test_headers_over_64_kb_are_refused_unparsed(eol: bytes) -> None:
    assert message("reply.eml", _with_header_block(HEADERS, eol)).problem == ""
    assert message("reply.eml", _with_header_block(HEADERS - 200, eol)).problem == ""
    assert _refused(_with_header_block(HEADERS + 200, eol)) == "its headers are over 64 KB; a reply's take a few"


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"])
def test_the_header_bound_is_64_kb_and_the_line_ends_around_them(eol: bytes) -> None:
    """64 KB of header lines, with the line break before and the empty line after (three bytes at most), are read."""
    assert message("reply.eml", _with_header_block(HEADERS + 3, eol)).problem == ""
    assert _refused(_with_header_block(HEADERS + 4, eol)) == "its headers are over 64 KB; a reply's take a few"


def test_headers_without_their_blank_line_are_refused_only_past_the_bound() -> None:
    """A message that is all headers (no blank line, no body) is read up to the bound, refused past it."""
    head = f"From: se@example.com\r\nSubject: Re: workbook\r\nDate: {DATE}\r\nX-Pad: ".encode()
    assert message("reply.eml", head + b"p" * 100).problem == ""
    at_bound = head + b"p" * (HEADERS + 3 - len(head))
    assert message("reply.eml", at_bound).problem == ""
    assert _refused(at_bound + b"p") == "its headers are over 64 KB; a reply's take a few"


def _part_with_headers(size: int, eol: bytes = b"\r\n") -> bytes:
    """A reply whose one attachment's headers, their blank line included, take ``size`` bytes."""
    top = b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
    top += b"Content-Disposition: attachment; filename=\"book.xlsx\"\r\nX-Pad: "
    pad = size - len(top) - 4
    raw = (_raw_head('multipart/mixed; boundary="m"') + b"--m\r\n" + top + b"p" * pad + b"\r\n\r\nQUJD\r\n"
           + b"x" * 200 + b"\r\n--m--\r\n")
    return raw.replace(b"\r\n", eol)


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"])
def test_a_parts_headers_are_held_to_the_same_bound(eol: bytes) -> None:
    for size in (HEADERS - 200, HEADERS):
        assert [name for name, _ in message("reply.eml", _part_with_headers(size, eol)).workbooks] == ["book.xlsx"]
    assert _refused(_part_with_headers(HEADERS + 200, eol)) == "its headers are over 64 KB; a reply's take a few"


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"])
def test_a_part_without_headers_before_a_long_text_is_read(eol: bytes) -> None:
    """A part may start with its empty line at once (no headers): it ends its headers, however long the text."""
    raw = _raw_head('multipart/mixed; boundary="m"') + b"--m\r\n\r\n" + b"words " * 15_000 + b"\r\n--m--\r\n"
    got = message("reply.eml", raw.replace(b"\r\n", eol))
    assert (got.problem, got.others) == ("", ())


def _nested(depth: int, text: str = "hi") -> bytes:
    """Multiparts ``depth`` levels deep (each level a boundary inside the last), a text part at the bottom."""
    body = b"".join(b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i, i + 1)
                    for i in range(depth - 1))
    body += b"--b%d\r\nContent-Type: text/plain\r\n\r\n%s\r\n" % (depth - 1, text.encode())
    body += b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
    return _raw_head('multipart/mixed; boundary="b0"') + body


def test_parts_nested_to_32_levels_are_read_and_33_refused() -> None:
    assert message("reply.eml", _nested(intake.MAX_MESSAGE_DEPTH)).problem == ""
    too_deep = "its parts are nested more than 32 levels deep; a reply's go a few levels deep"
    assert _refused(_nested(intake.MAX_MESSAGE_DEPTH + 1)) == too_deep


def test_a_level_left_open_beside_parts_nested_to_the_bound_is_read() -> None:
    """An unclosed multipart in the first attachment ends where the next attachment starts: it adds no level to
    the 32 of the second."""
    unclosed = (b'--b0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n'
                b"\r\nhi\r\n")
    deep = _nested(intake.MAX_MESSAGE_DEPTH)
    start = deep.index(b"--b0\r\n")
    assert message("reply.eml", deep[:start] + unclosed + deep[start:]).problem == ""
    assert "nested more than 32" in message("reply.eml", (_nested(intake.MAX_MESSAGE_DEPTH + 1))).problem


def test_levels_that_close_before_the_next_opens_are_not_counted_deeper() -> None:
    """Forty attachments side by side, each a multipart of its own: one level each, however many."""
    siblings = b"".join(b'--top\r\nContent-Type: multipart/mixed; boundary="s%d"\r\n\r\n--s%d\r\n'
                        b"Content-Type: text/plain\r\n\r\nhi\r\n--s%d--\r\n" % (i, i, i) for i in range(40))
    raw = _raw_head('multipart/mixed; boundary="top"') + siblings + b"--top--\r\n"
    assert message("reply.eml", raw).problem == ""


def test_a_level_left_open_is_closed_by_the_level_around_it() -> None:
    """A client that forgets an inner closing line: the outer one ends it, so the next siblings are not deeper."""
    unclosed = b"".join(b'--top\r\nContent-Type: multipart/mixed; boundary="s%d"\r\n\r\n--s%d\r\n'
                        b"Content-Type: text/plain\r\n\r\nhi\r\n" % (i, i) for i in range(40))
    raw = _raw_head('multipart/mixed; boundary="top"') + unclosed + b"--top--\r\n"
    assert message("reply.eml", raw).problem == ""


def test_boundaries_are_found_quoted_or_bare_and_delimiters_with_trailing_space() -> None:
    for declared in (b'boundary="b0"', b"boundary=b0", b"BOUNDARY = b0", b'boundary = "b0"'):
        raw = _nested(intake.MAX_MESSAGE_DEPTH + 1).replace(b'boundary="b0"', declared, 1)
        assert "nested more than 32" in message("reply.eml", raw).problem, declared
    spaced = _nested(intake.MAX_MESSAGE_DEPTH + 1).replace(b"--b5\r\n", b"--b5 \t\r\n")
    assert "nested more than 32" in message("reply.eml", spaced).problem
    bare_lf = _nested(intake.MAX_MESSAGE_DEPTH + 1).replace(b"\r\n", b"\n")
    assert "nested more than 32" in message("reply.eml", bare_lf).problem


def test_text_lines_that_start_with_two_dashes_are_no_parts() -> None:
    """A signature ("-- ") or a quoted "--b0" inside a text part is text, whatever a delimiter looks like."""
    text = "\r\n".join(["-- ", "--b0x", "--b0-", "-- Sent from my phone"] * 400)
    assert message("reply.eml", _nested(3, text)).problem == ""


def _parts(count: int) -> bytes:
    return _raw_head('multipart/mixed; boundary="p"') + b"--p\r\n\r\nx\r\n" * count + b"--p--\r\n"


def test_an_email_of_a_thousand_parts_is_refused() -> None:
    """The bound counts the message itself as one part (a multipart is one): 999 inside it are read."""
    assert message("reply.eml", _parts(intake.MAX_MESSAGE_PARTS - 1)).problem == ""
    too_many = "it holds more than 1,000 parts; a reply holds a few dozen at most"
    assert _refused(_parts(intake.MAX_MESSAGE_PARTS)) == too_many
    assert _refused(_parts(intake.MAX_MESSAGE_PARTS + 1)) == too_many
    assert _refused(_parts(20_000)) == too_many


def _declared_in_text(lines: int) -> bytes:
    """One text part that declares a boundary of its own and holds ``lines`` lines of it."""
    return (_raw_head('multipart/mixed; boundary="p"') + b'--p\r\nContent-Type: text/plain; boundary="q"\r\n\r\n'
            + b"--q\r\n" * lines + b"--p--\r\n")


def test_the_part_bound_counts_every_line_that_may_open_a_part_before_parsing() -> None:
    """Before the parser runs, any line of a declared boundary may open a part: a thousand are read, not more."""
    assert message("reply.eml", _declared_in_text(intake.MAX_MESSAGE_PARTS - 1)).problem == ""
    too_many = "it holds more than 1,000 parts; a reply holds a few dozen at most"
    assert _refused(_declared_in_text(intake.MAX_MESSAGE_PARTS)) == too_many


def test_parts_after_a_line_of_text_that_starts_with_dashes_are_counted_before_parsing() -> None:
    """A "--" line in the preamble is text, and the count goes on: a hundred thousand parts after it are refused
    at once, not after the parser went through them (seconds)."""
    raw = _parts(100_000).replace(b"\r\n\r\n--p\r\n", b"\r\n\r\n-- \r\n--not-the-boundary\r\n--p\r\n", 1)
    started = time.monotonic()
    assert _refused(raw) == "it holds more than 1,000 parts; a reply holds a few dozen at most"
    assert time.monotonic() - started < 5


def _forwarded(depth: int) -> bytes:
    """Messages attached inside messages, ``depth`` of them: no boundary line tells how deep."""
    inner = b"".join(b"From: x%d@example.com\r\nContent-Type: message/rfc822\r\n\r\n" % i for i in range(depth))
    return _raw_head("message/rfc822") + inner + b"Subject: end\r\n\r\nhi\r\n"


def test_emails_forwarded_inside_each_other_are_held_to_the_depth_bound() -> None:
    assert message("reply.eml", _forwarded(intake.MAX_MESSAGE_DEPTH - 1)).problem == ""
    too_deep = "its parts are nested more than 32 levels deep; a reply's go a few levels deep"
    assert _refused(_forwarded(intake.MAX_MESSAGE_DEPTH)) == too_deep
    assert _refused(_forwarded(3_000)) == "its parts or its headers nest deeper than Python's email parser can follow"


def test_a_parser_failure_is_named_by_its_type_and_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(msg: object) -> None:
        raise LookupError("unknown encoding: x\x1b[2J" + "y" * 300)

    monkeypatch.setattr(intake, "_attachments", fails)
    said = _refused(_email().as_bytes())
    assert said == "it is not a readable email (LookupError: unknown encoding: x\\x1b[2J" + "y" * 173 + "…)"


@pytest.mark.parametrize("raw", [b"", b"just some words\nno headers at all\n", bytes(range(256)) * 4,
                                 b"X-Unknown: 1\r\n\r\nbody\r\n", b"\n\n" + b"words " * 15_000,
                                 b"\n\r\n" + b"words " * 15_000])
def test_a_file_without_any_of_an_emails_headers_is_not_an_email(raw: bytes) -> None:
    got = message("inbox/cur/1", raw)
    assert got.problem == ("email from no sender, no date, subject '': it is not an email (it has none of an "
                           "email's headers), so it was not read")


@pytest.mark.parametrize("header", [b"From: se@example.com", b"Date: " + DATE.encode(), b"Subject: hi",
                                    b"To: ops@example.com", b"Message-ID: <1@example.com>",
                                    b"Content-Type: text/plain", b"MIME-Version: 1.0",
                                    b"Received: from mx by mx", b"SUBJECT: hi"])
def test_any_one_of_an_emails_headers_makes_it_an_email(header: bytes) -> None:
    assert message("inbox/cur/1", header + b"\r\n\r\nbody\r\n").problem == ""


def test_a_headerless_file_with_an_attachment_shape_is_still_read_for_it() -> None:
    """What a parser finds attached counts even without the usual headers (a bare MIME part saved as a file)."""
    raw = (b"Content-Disposition: attachment; filename=\"book.xlsx\"\r\nContent-Transfer-Encoding: base64\r\n"
           b"\r\nQUJD\r\n")
    assert message("part.eml", raw).workbooks == (("book.xlsx", b"ABC"),)


# -- sources: .eml, mbox, Maildir --------------------------------------------------------------------------------


def test_mail_sources_are_eml_mbox_a_maildir_or_a_file_that_starts_like_an_mbox(tmp_path: Path) -> None:
    for part in ("cur", "new", "tmp"):
        (tmp_path / "md" / part).mkdir(parents=True)
    (tmp_path / "half" / "cur").mkdir(parents=True)
    (tmp_path / "half" / "new").mkdir()
    (tmp_path / "half" / "tmp").write_bytes(b"")  # a file, not the folder
    (tmp_path / "A.EML").write_bytes(b"")
    (tmp_path / "Box.MBOX").write_bytes(b"")
    (tmp_path / "saved").write_bytes(b"From se@example.com Tue Dec  1 09:00:00 2026\n")
    (tmp_path / "from").write_bytes(b"From:")
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04")
    os.mkfifo(tmp_path / "pipe")
    names = ["md", "half", "A.EML", "Box.MBOX", "saved", "from", "book.xlsx", "pipe", "absent.xlsx"]
    assert {n: is_mail_source(tmp_path / n) for n in names} == {
        "md": True, "half": False, "A.EML": True, "Box.MBOX": True, "saved": True, "from": False, "book.xlsx": False,
        "pipe": False, "absent.xlsx": False}


@pytest.mark.skipif(not FAILING_DISK.is_file(), reason="needs Linux's /proc")
def test_a_file_the_disk_fails_under_is_no_mail_source(tmp_path: Path) -> None:
    (tmp_path / "unreadable").symlink_to(FAILING_DISK)
    assert is_mail_source(tmp_path / "unreadable") is False


def test_an_mbox_gives_each_message_in_order_named_by_its_place(tmp_path: Path) -> None:
    box = mailbox.mbox(str(tmp_path / "Returns.MBOX"))
    for n in range(3):
        box.add(_email((("book.xlsx", b"%d" % n, XLSX_MIME),), subject=f"reply {n}"))
    box.close()
    got = list(read_source(tmp_path / "Returns.MBOX"))
    assert [(r.where, r.subject, r.workbooks) for r in got if isinstance(r, Returned)] == [
        (f"{tmp_path / 'Returns.MBOX'}, message {n + 1}", f"reply {n}", (("book.xlsx", b"%d" % n),)) for n in range(3)]


def test_an_eml_in_capitals_is_one_message(tmp_path: Path) -> None:
    (tmp_path / "REPLY.EML").write_bytes(_email().as_bytes())
    (got,) = read_source(tmp_path / "REPLY.EML")
    assert isinstance(got, Returned) and (got.where, got.sender) == (str(tmp_path / "REPLY.EML"), "se@example.com")


def test_an_absent_mbox_is_an_error_of_the_source(tmp_path: Path) -> None:
    with pytest.raises((OSError, mailbox.Error)):
        list(read_source(tmp_path / "gone.mbox"))


def test_a_maildir_gives_its_messages_in_name_order_across_cur_and_new_and_names_what_is_no_message(tmp_path: Path) -> None:
    md = tmp_path / "inbox"
    for part in ("cur", "new", "tmp"):
        (md / part).mkdir(parents=True)
    (md / "new" / "2.b").write_bytes(_email(subject="second").as_bytes())
    (md / "cur" / "3.c:2,S").write_bytes(_email(subject="third").as_bytes())
    (md / "cur" / "1.a:2,S").write_bytes(_email(subject="first").as_bytes())
    (md / "cur" / ".DS_Store").write_bytes(b"\x00")
    (md / "new" / ".hidden").mkdir()
    (md / "new" / "folder").mkdir()
    (md / "tmp" / "4.d").write_bytes(b"From: half@way.example\r\n")
    os.mkfifo(md / "cur" / "pipe")
    got = list(read_source(md))
    returned = [r for r in got if isinstance(r, Returned)]
    assert [(r.where, r.subject) for r in returned] == [(str(md / "cur" / "1.a:2,S"), "first"),
                                                        (str(md / "new" / "2.b"), "second"),
                                                        (str(md / "cur" / "3.c:2,S"), "third")]
    assert got[-1] == Skipped(str(md), {"hidden": ["cur/.DS_Store", "new/.hidden"], "special": ["cur/pipe"],
                                        "folder": ["new/folder"], "tmp": ["tmp/4.d"]})


def test_a_maildir_with_only_messages_names_nothing_skipped(tmp_path: Path) -> None:
    md = tmp_path / "inbox"
    for part in ("cur", "new", "tmp"):
        (md / part).mkdir(parents=True)
    (md / "new" / "1.a").write_bytes(_email().as_bytes())
    assert [type(r) for r in read_source(md)] == [Returned]


def test_a_message_file_that_cannot_be_read_is_named_with_why(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "reply.eml")
    (got,) = read_source(tmp_path / "reply.eml")
    assert got == Returned(str(tmp_path / "reply.eml"), "", None, "",
                           problem="not a file but a pipe, socket or device, so it was not read")


@pytest.mark.skipif(not FAILING_DISK.is_file(), reason="needs Linux's /proc")
def test_a_message_file_the_disk_fails_under_is_named_with_why(tmp_path: Path) -> None:
    (tmp_path / "failing.eml").symlink_to(FAILING_DISK)
    (got,) = read_source(tmp_path / "failing.eml")
    assert got == Returned(str(tmp_path / "failing.eml"), "", None, "", problem="cannot read it: Input/output error")
