"""collect from saved emails: .eml files, an mbox file and a Maildir folder."""

from __future__ import annotations

import errno
import mailbox
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Problem, Severity, Status
from ladder_sheets.mail.intake import is_mail_source, read_source
from ladder_sheets.mail.maildir import deliver, reply
from ladder_sheets.mail.smtp import write_eml
from ladder_sheets.workflows.mail_collect import NO_WORKBOOK, WRONG_SENDER, collect_with_mail
from ladder_sheets.workflows.peers import build_peers, peer_path
from ladder_sheets.xlsx.fill import fill
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER, Returned
from tests.support import peers
from tests.support.cli import run_main
from tests.support.results import find_person

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def team_path(in_workbook_team: Path) -> Path:
    """These workbooks carry the manager's column (``roster``): the roster file says managers score in them."""
    return in_workbook_team


@pytest.fixture(scope="module")
def workbooks(ladder: Ladder, roster: Roster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(ladder, roster, QUARTER, out, due=DUE)
    return out / QUARTER


def filled(ladder: Ladder, roster: Roster, workbooks: Path, person_id: str, score: int, manager: int | None) -> bytes:
    """The person's workbook with every SE input filled (self ``score``) and, optionally, every manager score."""
    person = find_person(roster, person_id)
    wl = layout.build(ladder, roster, person, QUARTER, DUE)
    values: dict[str, object] = {}
    for c in ladder.rubric_for(person.target_level).criteria:
        values[f"criteria.{c.id}.self"] = score
        values[f"criteria.{c.id}.evidence"] = "=HYPERLINK(\"x\") <b>not markup</b>"
        if manager is not None:
            values[f"criteria.{c.id}.manager"] = manager
    for m in ladder.metrics_for(person.level, person.target_level):
        values[f"metrics.{m.id}.actual"] = m.target
    yes, _ = ladder.signal_options
    for p in ladder.pivots:
        values |= {f"pivots.{p.id}.interest": 2, f"pivots.{p.id}.signal": yes, f"pivots.{p.id}.gap_progress": 1}
    values["track_preference"] = ladder.track_options[0]
    for f in ladder.readout_for(person.level, person.target_level).fields:
        values[f"readout.{f.id}"] = 100 if f.kind == "percent" else (ladder.levels[0].name if f.kind == "level" else "x")
    return fill((workbooks / f"{person_id}.xlsx").read_bytes(), wl, values)  # type: ignore[arg-type]


def test_maildir_newest_return_wins_and_each_workbook_is_named_by_its_email(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    early = filled(ladder, roster, workbooks, "leticia-moreno", 1, None)
    late = filled(ladder, roster, workbooks, "leticia-moreno", 3, 3)
    inbox = deliver(tmp_path / "inbox", [
        # delivered in the opposite order of their Date headers: the Date decides, not the order
        # as mail clients write addresses: capitals anywhere (the roster has them in lower case)
        reply("Amara Okafor <Amara.Okafor@Apex-Cloud.example>", "ops@apex.example", "Re: scored", "ok",
              T0 + timedelta(days=2), [("leticia-moreno.xlsx", late)]),
        reply("Leticia.Moreno@APEX-CLOUD.EXAMPLE", "ops@apex.example", "Re: mine", "here", T0,
              [("leticia-moreno.xlsx", early)]),
    ])
    results = collect_with_mail([inbox], ladder, roster, QUARTER)
    leticia = next(p for p in results.people if p.person.id == "leticia-moreno")
    assert leticia.status is Status.COMPLETE, leticia.problems  # the earlier reply is history, not a duplicate
    assert leticia.scores is not None and leticia.scores.manager_pct == 1.0
    assert leticia.file.startswith(str(inbox / "new")) and leticia.file.endswith(
        ": leticia-moreno.xlsx from amara.okafor@apex-cloud.example, 2026-12-03 09:00 UTC")
    assert leticia.inputs is not None and next(iter(leticia.inputs.criteria.values())).evidence.startswith("=HYPERLINK")
    assert results.source == "email"


def test_a_workbook_attached_with_an_upper_case_suffix_is_the_se_s_return(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    """Windows and some mail clients name the attachment Scorecard.XLSX: it is her workbook all the same."""
    leticia = find_person(roster, "leticia-moreno")
    inbox = deliver(tmp_path / "inbox", [
        reply(leticia.email, "ops@apex.example", "Re: mine", "here", T0,
              [("Scorecard.XLSX", filled(ladder, roster, workbooks, leticia.id, 3, None))])])
    results = collect_with_mail([inbox], ladder, roster, QUARTER)
    mine = next(p for p in results.people if p.person.id == leticia.id)
    assert mine.status is Status.INCOMPLETE, mine.problems  # read: only her manager's scores are still to come
    criteria = len(ladder.rubric_for(leticia.target_level).criteria)
    assert [p.message for p in mine.problems] == [f"Manager scores not started: {criteria} criteria to score"]
    assert mine.scores is not None and mine.scores.self_pct == 1.0
    assert mine.file.endswith(f": Scorecard.XLSX from {leticia.email}, 2026-12-01 09:00 UTC")
    assert results.unmatched == ()


def test_with_a_return_address_the_se_and_their_manager_may_still_send_it_back(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    """The roster's ``return_to`` adds an address; the manager replying from their own (capitals and all)
    and the SE from theirs (before the manager scored) are still who they are; anyone else is named as the
    wrong sender."""
    managers = tuple(replace(m, email=m.email.title()) if m.id == "mgr-amara" else m for m in roster.managers)
    collecting = replace(roster, managers=managers, return_to="SE-Ops@Apex-Cloud.example")
    senders = {"leticia-moreno": ("Amara Okafor <AMARA.OKAFOR@apex-cloud.example>", 2),  # her manager
               "priya-raman": ("Priya.Raman@Apex-Cloud.example", None),  # herself, not scored yet
               "tomas-novak": ("se-ops@apex-cloud.EXAMPLE", 2),  # the return address
               "kenji-watanabe": ("Daniel Reyes <daniel.reyes@apex-cloud.example>", 2)}  # another team's manager
    inbox = deliver(tmp_path / "inbox", [
        reply(sender, "se-ops@apex-cloud.example", "Re", "done", T0,
              [(f"{pid}.xlsx", filled(ladder, roster, workbooks, pid, 2, manager))])
        for pid, (sender, manager) in senders.items()])
    results = collect_with_mail([inbox], ladder, collecting, QUARTER)
    by_id = {p.person.id: p for p in results.people}
    expected = {"leticia-moreno": Status.COMPLETE, "priya-raman": Status.INCOMPLETE, "tomas-novak": Status.COMPLETE}
    for pid, status in expected.items():
        assert by_id[pid].status is status, (pid, by_id[pid].problems)
        assert not [p for p in by_id[pid].problems if p.severity is Severity.ERROR], pid
    (wrong,) = [p for p in by_id["kenji-watanabe"].problems if p.kind == WRONG_SENDER]
    assert by_id["kenji-watanabe"].status is Status.INVALID
    assert wrong.message.startswith("sent from daniel.reyes@apex-cloud.example, which is not Kenji Watanabe's "
                                    "address, their manager's or the return address (amara.okafor@apex-cloud.example, "
                                    "kenji.watanabe@apex-cloud.example, se-ops@apex-cloud.example)")


def test_an_se_whose_roster_address_has_capitals_sends_her_own_return(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    """The roster writes her address as HR does (Priya.Raman@...); her mail client sends it as it likes: it is
    her return all the same, not one from an unknown sender."""
    people = tuple(replace(p, email="Priya.Raman@Apex-Cloud.example") if p.id == "priya-raman" else p
                   for p in roster.people)
    inbox = deliver(tmp_path / "inbox", [
        reply("Priya Raman <priya.raman@apex-cloud.example>", "ops@apex.example", "Re: mine", "here", T0,
              [("priya-raman.xlsx", filled(ladder, roster, workbooks, "priya-raman", 2, None))])])
    results = collect_with_mail([inbox], ladder, replace(roster, people=people), QUARTER)
    priya = next(p for p in results.people if p.person.id == "priya-raman")
    criteria = len(ladder.rubric_for(priya.person.target_level).criteria)
    assert [p.message for p in priya.problems] == [f"Manager scores not started: {criteria} criteria to score"]
    assert priya.status is Status.INCOMPLETE
    assert priya.scores is not None and priya.scores.self_pct == pytest.approx(2 / 3)


def test_wrong_sender_and_no_workbook_are_located_problems(ladder: Ladder, roster: Roster, workbooks: Path,
                                                           tmp_path: Path) -> None:
    tomas = filled(ladder, roster, workbooks, "tomas-novak", 2, 2)
    eml = tmp_path / "forwarded.eml"
    write_eml(reply("someone@elsewhere.example", "ops@apex.example", "Fwd", "fyi", T0, [("tomas-novak.xlsx", tomas)]),
              eml)
    mbox_path = tmp_path / "returns.mbox"
    box = mailbox.mbox(str(mbox_path))
    box.add(reply("marcus.bell@apex-cloud.example", "ops@apex.example", "Re: workbook", "Friday!", T0))
    box.close()
    results = collect_with_mail([eml, mbox_path], ladder, roster, QUARTER)
    tomas_result = next(p for p in results.people if p.person.id == "tomas-novak")
    assert tomas_result.status is Status.INVALID
    (wrong,) = [p for p in tomas_result.problems if p.kind == WRONG_SENDER]
    assert wrong.file == f"{eml}: tomas-novak.xlsx from someone@elsewhere.example, 2026-12-01 09:00 UTC"
    assert "not Tomáš Novák's address, their manager's or the return address" in wrong.message
    assert "amara.okafor@apex-cloud.example" in wrong.message and "tomas.novak@apex-cloud.example" in wrong.message
    (none,) = [p for p in results.unmatched if p.kind == NO_WORKBOOK]
    assert none.file == f"{mbox_path}, message 1"
    assert "email from marcus.bell@apex-cloud.example, 2026-12-01 09:00 UTC" in none.message
    assert next(p for p in results.people if p.person.id == "marcus-bell").status is Status.MISSING


def test_mail_sources_are_told_from_files(tmp_path: Path) -> None:
    (tmp_path / "md" / "cur").mkdir(parents=True)
    (tmp_path / "md" / "new").mkdir()
    (tmp_path / "md" / "tmp").mkdir()
    (tmp_path / "plain").mkdir()
    (tmp_path / "box").write_bytes(b"From someone Mon Dec  1 09:00:00 2026\nSubject: x\n\nbody\n")
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    assert [is_mail_source(tmp_path / n) for n in ("md", "plain", "box", "a.xlsx")] == [True, False, True, False]
    assert [r.subject for r in read_source(tmp_path / "box")] == ["x"]


def test_cli_collect_reads_a_maildir_beside_plain_files(ladder: Ladder, roster: Roster, workbooks: Path,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    inbox = deliver(tmp_path / "inbox", [
        reply("amara.okafor@apex-cloud.example", "ops@apex.example", "Re", "scored", T0,  # Priya's manager
              [("priya-raman.xlsx", filled(ladder, roster, workbooks, "priya-raman", 2, 2))]),
        reply("kenji.watanabe@apex-cloud.example", "ops@apex.example", "Re", "no file, sorry", T0),
    ])
    sofia = tmp_path / "sofia.xlsx"
    sofia.write_bytes(filled(ladder, roster, workbooks, "sofia-lindqvist", 3, 2))
    code, out, _ = run_main(monkeypatch, capsys, "collect", inbox, sofia, "--team", team_path, "--quarter", QUARTER,
                            "--out", tmp_path / "r.json", "--no-db")
    lines = out.splitlines()
    assert code == 1
    assert any(line.startswith("complete    priya-raman") and "from amara.okafor@apex-cloud.example" in line
               for line in lines)
    assert any(line.startswith("complete    sofia-lindqvist") and line.endswith(str(sofia)) for line in lines)
    assert any(line.startswith("file ") and "email from kenji.watanabe@apex-cloud.example" in line
               and "no workbook (.xlsx, .xlsm, .xlsb, .xls or .ods) attached" in line for line in lines)


def test_a_sample_reply_shows_its_text_as_typed_in_a_mail_client(tmp_path: Path) -> None:
    """``make demo``'s replies carry an HTML part too: what the SE typed is shown, never read as markup."""
    inbox = deliver(tmp_path / "inbox", [reply("se@example.com", "ops@example.com", "Re", "<b>5 & 6</b> > 4", T0)])
    (msg,) = mailbox.Maildir(str(inbox), factory=None)
    html = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    assert html.get_payload(decode=True).decode().strip() == "<pre>&lt;b&gt;5 &amp; 6&lt;/b&gt; &gt; 4</pre>"


def test_every_workbook_format_collect_reads_is_taken_from_an_email(tmp_path: Path) -> None:
    """A reply saved as .ods, .xls, .xlsm or .xlsb is a returned workbook (collect reads them all); a .csv is not,
    and a workbook sent without a file name is known by its MIME type."""
    from email.message import EmailMessage

    msg = reply("se@example.com", "ops@example.com", "Re: workbook", "attached", T0,
                [("a.ods", b"ods"), ("b.xls", b"xls"), ("c.xlsm", b"xlsm"), ("d.csv", b"csv"), ("e.xlsb", b"xlsb")])
    nameless = EmailMessage()
    nameless.add_attachment(b"xlsx", maintype="application", subtype="vnd.ms-excel")
    msg.attach(nameless.get_payload()[0])
    path = tmp_path / "reply.eml"
    write_eml(msg, path)
    (found,) = list(read_source(path))
    assert [name for name, _ in found.workbooks] == ["a.ods", "b.xls", "c.xlsm", "e.xlsb", "workbook.xls"]
    assert list(found.others) == ["d.csv"]


@pytest.mark.libreoffice
def test_every_attachment_of_every_email_is_read_or_named(ladder: Ladder, roster: Roster, returned_xlsb: Returned,
                                                          tmp_path: Path) -> None:
    """An .xlsb reply reads as its .xlsx; whatever else is attached, to an email with a workbook or
    without, is named; an attachment that is a broken workbook is named with why."""
    inbox = deliver(tmp_path / "inbox", [
        reply("amara.okafor@apex-cloud.example", "ops@apex.example", "Re", "scored; binary, sorry", T0,  # his manager
              [("tomas-novak.xlsb", returned_xlsb.xlsb.read_bytes()), ("logo.png", b"\x89PNG"),
               ("scan.pdf", b"%PDF-1.4")]),
        reply("kenji.watanabe@apex-cloud.example", "ops@apex.example", "Re", "see attached", T0,
              [("notes.docx", b"PK"), ("kenji-watanabe.xlsx", b"")]),
        reply("priya.raman@apex-cloud.example", "ops@apex.example", "Re", "here", T0,
              [("priya-raman.xlsx", b"not a workbook at all")]),
    ])
    results = collect_with_mail([inbox], ladder, roster, QUARTER)
    from_file = collect_with_mail([returned_xlsb.xlsx], ladder, roster, QUARTER)

    tomas, = (p for p in results.people if p.person.id == "tomas-novak")
    tomas_file, = (p for p in from_file.people if p.person.id == "tomas-novak")
    assert (tomas.inputs, tomas.scores, {p.kind for p in tomas.problems}) == (  # (SheetJS's .xlsb holds no
        tomas_file.inputs, tomas_file.scores, {p.kind for p in tomas_file.problems})  # formulas: see test_collect_xlsb)
    assert "tomas-novak.xlsb from amara.okafor@apex-cloud.example" in tomas.file
    said = "\n".join(str(p) for p in (*results.unmatched, *(x for p in results.people for x in p.problems)))
    for name in ("logo.png", "scan.pdf", "notes.docx", "kenji-watanabe.xlsx", "priya-raman.xlsx"):
        assert name in said, name
    priya, = (p for p in results.people if p.person.id == "priya-raman")
    assert priya.status is Status.INVALID and "not an .xlsx workbook" in priya.problems[0].message  # hers, by name


def test_a_mailbox_that_fails_part_way_keeps_the_replies_before_it(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fails under the third message of an mbox (injected: a real one fails at random): the two
    replies before it are read, and the mailbox is named with how far it was read and why it stopped."""
    people = roster.people[:3]
    box = mailbox.mbox(str(tmp_path / "returns.mbox"))
    for person in people:
        box.add(reply(person.email, "ops@apex.example", "Re", "here", T0,
                      [(f"{person.id}.xlsx", filled(ladder, roster, workbooks, person.id, 2, None))]))
    box.close()
    get_file = mailbox.mbox.get_file

    def failing(self: mailbox.mbox, key: str, from_: bool = False) -> object:
        if key == sorted(self.keys())[-1]:
            raise OSError(errno.EIO, "Input/output error")
        return get_file(self, key, from_)

    monkeypatch.setattr(mailbox.mbox, "get_file", failing)
    results = collect_with_mail([tmp_path / "returns.mbox"], ladder, roster, QUARTER)
    by_id = {p.person.id: p for p in results.people}
    assert [by_id[p.id].status for p in people] == [Status.INCOMPLETE, Status.INCOMPLETE, Status.MISSING]
    assert list(results.unmatched) == [Problem(str(tmp_path / "returns.mbox"), "", "", Kind.UNREADABLE,
                                               "cannot read the mailbox past its first 2 messages (Input/output error)")]


@pytest.mark.parametrize(("make", "why"), [
    ("gone", "NoSuchMailboxError: {path}"),  # named on the command line, not there
    ("loop", "Too many levels of symbolic links"),  # an OSError: its own words
    ("one then fails", "past its first 1 message (OSError: the disk went away)"),  # no strerror
])
def test_a_mailbox_that_cannot_be_read_is_one_problem_and_the_rest_is_read(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        make: str, why: str) -> None:
    path = tmp_path / "returns.mbox"
    if make == "loop":
        path.symlink_to(path)
    elif make == "one then fails":
        box = mailbox.mbox(str(path))
        box.add(reply("x@example.com", "ops@apex.example", "Re", "first", T0))
        box.add(reply("y@example.com", "ops@apex.example", "Re", "second", T0))
        box.close()
        get_file = mailbox.mbox.get_file

        def failing(self: mailbox.mbox, key: str, from_: bool = False) -> object:
            if key == sorted(self.keys())[-1]:
                raise OSError("the disk went away")
            return get_file(self, key, from_)

        monkeypatch.setattr(mailbox.mbox, "get_file", failing)
    sofia = tmp_path / "sofia.xlsx"
    sofia.write_bytes(filled(ladder, roster, workbooks, "sofia-lindqvist", 3, 2))
    results = collect_with_mail([path, sofia], ladder, roster, QUARTER)
    assert next(p for p in results.people if p.person.id == "sofia-lindqvist").status is Status.COMPLETE
    said = why.format(path=path)
    expected = f"cannot read the mailbox {said}" if said.startswith("past") else f"cannot read the mailbox ({said})"
    assert [p for p in results.unmatched if p.kind == Kind.UNREADABLE] == [
        Problem(str(path), "", "", Kind.UNREADABLE, expected)]
    assert results.source == "files"


def test_reading_emailed_workbooks_reports_progress(ladder: Ladder, roster: Roster, workbooks: Path,
                                                   tmp_path: Path) -> None:
    """The progress bar counts the workbooks found in the emails with the files beside them."""
    inbox = deliver(tmp_path / "inbox", [
        reply(p.email, "ops@apex.example", "Re", "here", T0, [(f"{p.id}.xlsx", filled(ladder, roster, workbooks,
                                                                                       p.id, 2, None))])
        for p in roster.people[:2]])
    sofia = tmp_path / "sofia.xlsx"
    sofia.write_bytes(filled(ladder, roster, workbooks, "sofia-lindqvist", 3, 2))
    seen: list[tuple[int, int]] = []
    collect_with_mail([inbox, sofia], ladder, roster, QUARTER, jobs=1, progress=lambda done, total: seen.append(
        (done, total)))
    assert seen[-1] == (3, 3)


def test_each_attachment_is_read_in_the_format_its_name_gives(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Broken attachments show it: each is read as its own format (not all as .xlsx), one whose name starts
    with a dot is read, not skipped as hidden, and each is named by the email that carried it."""
    names = ["a.ods", "b.xls", "c.xlsb", "d.xlsm", "e.XLSX", "../.f.xlsx", "g h.xlsx", "…\u202e.ods"]
    inbox = deliver(tmp_path / "inbox", [reply("se@example.com", "ops@apex.example", "Re", "x", T0,
                                               [(n, b"junk junk") for n in names])])
    results = collect_with_mail([inbox], ladder, roster, QUARTER)
    said = {p.file.partition(": ")[2]: p.message.partition(", or")[0].partition(" (")[0] for p in results.unmatched}
    assert said == {f"{name} from se@example.com, 2026-12-01 09:00 UTC": why for name, why in [
        ("a.ods", "not an .ods workbook"), ("b.xls", "not a readable .xls workbook"),
        ("c.xlsb", "not an .xlsb workbook"), ("d.xlsm", "not an .xlsm workbook"), ("e.XLSX", "not an .xlsx workbook"),
        (".f.xlsx", "not an .xlsx workbook"), ("g h.xlsx", "not an .xlsx workbook"),
        ("…\\u202e.ods", "not an .ods workbook")]}
    assert all(p.file.startswith(str(inbox / "new")) for p in results.unmatched)


def test_every_other_attachment_is_named_beside_a_workbook_or_instead_of_one(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    priya = find_person(roster, "priya-raman")
    with_workbook = reply(priya.email, "ops@apex.example", "Re: mine", "here", T0,
                          [("priya-raman.xlsx", filled(ladder, roster, workbooks, priya.id, 2, None)),
                           ("scan.pdf", b"%PDF-1.4"), ("notes.csv", b"a,b")])
    without = reply("kenji.watanabe@apex-cloud.example", "ops@apex.example", "Re", "see attached", T0,
                    [("notes.docx", b"PK"), ("photo.png", b"\x89PNG")])
    nothing = reply("marcus.bell@apex-cloud.example", "ops@apex.example", "Re", "Friday!", T0)
    write_eml(with_workbook, tmp_path / "a.eml")
    write_eml(without, tmp_path / "b.eml")
    write_eml(nothing, tmp_path / "c.eml")
    results = collect_with_mail([tmp_path / n for n in ("a.eml", "b.eml", "c.eml")], ladder, roster, QUARTER)
    seen = "2026-12-01 09:00 UTC, subject 'Re"
    assert list(results.unmatched) == [
        Problem(str(tmp_path / "a.eml"), "", "", Kind.WRONG_FORMAT,
                f"email from {priya.email}, {seen}: mine': also attached, not a workbook, so not read: scan.pdf, "
                "notes.csv", Severity.NOTE),
        Problem(str(tmp_path / "b.eml"), "", "", NO_WORKBOOK,
                f"email from kenji.watanabe@apex-cloud.example, {seen}': no workbook (.xlsx, .xlsm, .xlsb, .xls or "
                ".ods) attached (attached: notes.docx, photo.png)"),
        Problem(str(tmp_path / "c.eml"), "", "", NO_WORKBOOK,
                f"email from marcus.bell@apex-cloud.example, {seen}': no workbook (.xlsx, .xlsm, .xlsb, .xls or "
                ".ods) attached")]
    assert next(p for p in results.people if p.person.id == priya.id).status is Status.INCOMPLETE


def test_a_workbook_named_in_emoji_is_read(ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    """Four bytes a character: a long name in emoji is longer than a file name may be, so it is not the name the
    workbook is saved under while it is read; the results still name it as sent."""
    priya = find_person(roster, "priya-raman")
    chart = "\U0001F4CA"
    name = chart * 100 + ".xlsx"
    inbox = deliver(tmp_path / "inbox", [reply(priya.email, "ops@apex.example", "Re", "here", T0,
                                               [(name, filled(ladder, roster, workbooks, priya.id, 2, None))])])
    results = collect_with_mail([inbox], ladder, roster, QUARTER)
    mine = next(p for p in results.people if p.person.id == priya.id)
    assert mine.status is Status.INCOMPLETE, mine.problems
    assert mine.file.endswith(f": {chart * 100}.xlsx from {priya.email}, 2026-12-01 09:00 UTC")


def test_a_workbook_from_an_email_without_sender_or_date_is_named_so(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    priya = find_person(roster, "priya-raman")
    msg = reply(priya.email, "ops@apex.example", "Re", "here", T0,
                [("priya-raman.xlsx", filled(ladder, roster, workbooks, priya.id, 2, None))])
    del msg["From"]
    del msg["Date"]
    write_eml(msg, tmp_path / "anonymous.eml")
    results = collect_with_mail([tmp_path / "anonymous.eml"], ladder, roster, QUARTER)
    mine = next(p for p in results.people if p.person.id == priya.id)
    label = f"{tmp_path / 'anonymous.eml'}: priya-raman.xlsx from no sender, no date"
    assert mine.file == label and mine.status is Status.INVALID
    allowed = sorted({priya.email, roster.manager_of(priya).email, roster.return_address(priya)})
    assert [p for p in mine.problems if p.kind == WRONG_SENDER] == [Problem(
        label, "", "", WRONG_SENDER, f"sent from no sender, which is not Priya Raman's address, their manager's or the "
        f"return address ({', '.join(allowed)}): confirm who filled it in, then have it sent from one of those",
        Severity.ERROR)]


def test_a_peer_rating_returned_by_email_is_named_by_its_email(ladder: Ladder, review_roster: Roster,
                                                               tmp_path: Path) -> None:
    """Who rated whom is kept for SE Ops as the attachment and who emailed it when, never the temporary file;
    a rater's mistake (a 4 past the dropdown) is located in that email too."""
    build_peers(ladder, review_roster, QUARTER, tmp_path / "peers", due=DUE)
    dana = peers.DANA
    values = peers.answers(ladder, review_roster, dana, {"tomas-novak": [4, 2], "leticia-moreno": [2]},
                           {"tomas-novak": "Lets the CFO's doubt sit.", "leticia-moreno": "Rushes the demo."})
    name = peer_path(tmp_path / "peers", dana).name
    inbox = deliver(tmp_path / "inbox", [reply(dana, "se-ops@apex-cloud.example", "Re: your input", "attached", T0,
                                               [(name, peers.filled(ladder, review_roster, tmp_path / "peers", dana,
                                                                    values))])])
    priya = tmp_path / "priya.xlsx"  # and one handed in as a file: named by its path
    priya.write_bytes(peers.filled(ladder, review_roster, tmp_path / "peers", peers.PRIYA, peers.answers(
        ladder, review_roster, peers.PRIYA, {"tomas-novak": [1]}, {"tomas-novak": "Goes quiet."})))
    grace = peers.GRACE  # by an email without a date: no day said
    undated = reply(grace, "se-ops@apex-cloud.example", "Re", "attached", T0, [(
        peer_path(tmp_path / "peers", grace).name, peers.filled(ladder, review_roster, tmp_path / "peers", grace,
                                                                peers.answers(ladder, review_roster, grace,
                                                                              {"leticia-moreno": [1]}, {})))])
    del undated["Date"]
    deliver(inbox, [undated])
    results = collect_with_mail([inbox, priya], ladder, review_roster, QUARTER)
    emailed = (dana, f"{name}, emailed from {dana} on 2026-12-01")
    sources = {p.person.id: [(a.rater, a.source) for a in p.peers] for p in results.people}
    assert sources["leticia-moreno"] == [emailed, (grace, f"{peer_path(tmp_path / 'peers', grace).name}, emailed "
                                                          f"from {grace}")]
    assert sources["tomas-novak"] == [emailed, (peers.PRIYA, str(priya))]
    rater = next(r for r in results.raters if r.email == dana)
    assert rater.file == f"{rater.file.partition(': ')[0]}: {name} from {dana}, 2026-12-01 09:00 UTC"
    assert rater.problems and {(p.file, p.kind) for p in rater.problems} == {(rater.file, Kind.OUT_OF_RANGE)}


def test_a_return_both_emailed_and_among_the_files_is_a_duplicate_named_by_its_email(
        ladder: Ladder, roster: Roster, workbooks: Path, tmp_path: Path) -> None:
    """An emailed return is history only beside a later email; beside a file it is a duplicate to resolve,
    and the problem names the email, never the temporary folder it was read from."""
    priya = find_person(roster, "priya-raman")
    inbox = deliver(tmp_path / "inbox", [reply(priya.email, "ops@apex.example", "Re", "here", T0,
                                               [("priya-raman.xlsx", filled(ladder, roster, workbooks, priya.id, 2,
                                                                            None))])])
    file = tmp_path / "priya-raman.xlsx"  # saved today: newer than the email
    file.write_bytes(filled(ladder, roster, workbooks, priya.id, 3, None))
    results = collect_with_mail([inbox, file], ladder, roster, QUARTER)
    mine = next(p for p in results.people if p.person.id == priya.id)
    label = next(str(p) for p in (inbox / "new").iterdir()) + ": priya-raman.xlsx from " + priya.email + \
        ", 2026-12-01 09:00 UTC"
    assert mine.file == str(file)
    assert [(p.file, p.message) for p in mine.problems if p.kind == Kind.DUPLICATE] == [
        (label, f"{label} was ignored: {file} is also priya-raman's workbook and was used (newer); remove the one "
                "that is wrong")]


def test_a_message_that_cannot_be_read_is_one_whole_problem(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    (tmp_path / "notes.eml").write_bytes(b"just some words\nno headers at all\n")
    results = collect_with_mail([tmp_path / "notes.eml"], ladder, roster, QUARTER)
    assert list(results.unmatched) == [Problem(
        str(tmp_path / "notes.eml"), "", "", Kind.UNREADABLE, "email from no sender, no date, subject '': it is not "
        "an email (it has none of an email's headers), so it was not read")]
