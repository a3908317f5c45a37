"""The peer round end to end: workbooks written, returned by mail, collected, and shown as the ladder says.

Leticia has three raters (Dana and Grace, her AEs; Sofia, a peer), Tomáš two (Dana; Priya, a peer):
with the shipped ladder (anonymous, from 3 raters) Leticia's input is shown without names and
Tomáš's is not shown at all, and no report names who said what.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Results, Severity, Status
from ladder_sheets.history.store import peer_answers, store
from ladder_sheets.mail.maildir import deliver, reply
from ladder_sheets.workflows.handout import build_peer_handout
from ladder_sheets.workflows.mail_collect import collect_with_mail
from ladder_sheets.workflows.peers import build_peers, peer_path
from ladder_sheets.workflows.remind import build_reminders
from ladder_sheets.workflows.report import build_report
from ladder_sheets.workflows.results_file import read_results, write_results
from tests.support.cli import run_main
from tests.support.emails import body, read
from tests.support.peers import DANA, DUE, GRACE, PRIYA, QUARTER, SOFIA, answers, filled

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
SE_OPS = "Apex SE Ops <se-ops@apex-cloud.example>"
LETICIA, TOMAS = "leticia-moreno", "tomas-novak"
SPOTS = {DANA: "Lets the CFO's ROI doubt sit in the room for ten minutes.",
         GRACE: "=Talks over the customer's architect",  # typed with a leading = into a text cell: stays text
         SOFIA: "Rarely brings the AE into the technical close plan.",
         PRIYA: "Goes quiet when the CTO pushes back on the roadmap."}
RATINGS = {DANA: [3, 2], GRACE: [2], SOFIA: [1, 3], PRIYA: [2, 2, 1]}


@pytest.fixture
def peers(ladder: Ladder, review_roster: Roster, tmp_path: Path) -> Path:
    out = tmp_path / "peers"
    written = build_peers(ladder, review_roster, QUARTER, out, due=DUE)
    assert [k for k, _ in written.written] == [DANA, GRACE, SOFIA, PRIYA]
    return out


def _returned(ladder: Ladder, roster: Roster, peers: Path, rater: str) -> bytes:
    rates = [pid for pid, who in ((LETICIA, (DANA, GRACE, SOFIA)), (TOMAS, (DANA, PRIYA))) if rater in who]
    values = answers(ladder, roster, rater, {pid: RATINGS[rater] for pid in rates},
                     {pid: SPOTS[rater] for pid in rates})
    return filled(ladder, roster, peers, rater, values)


def _mail(tmp_path: Path, ladder: Ladder, roster: Roster, peers: Path, senders: dict[str, str]) -> Path:
    """Each rater's filled workbook emailed from ``senders[rater]`` (default: their own address)."""
    return deliver(tmp_path / "inbox", [
        reply(senders.get(rater, rater), "se-ops@apex-cloud.example", "Re: your input", "attached",
              T0 + timedelta(hours=n), [(peer_path(peers, rater).name, _returned(ladder, roster, peers, rater))])
        for n, rater in enumerate((DANA, GRACE, SOFIA, PRIYA)) if senders.get(rater, rater)])


def _person(results: Results, pid: str):  # type: ignore[no-untyped-def]
    return next(p for p in results.people if p.person.id == pid)


def test_returned_by_mail_shown_without_names_from_three_raters_hidden_at_two(
        ladder: Ladder, review_roster: Roster, peers: Path, tmp_path: Path) -> None:
    inbox = _mail(tmp_path, ladder, review_roster, peers, {})
    results = collect_with_mail([inbox], ladder, review_roster, QUARTER)
    assert [(r.email, r.status) for r in results.raters] == [(k, Status.COMPLETE) for k in (DANA, GRACE, SOFIA, PRIYA)]
    assert all(r.file.startswith(f"{inbox}/") and " from " in r.file for r in results.raters)
    leticia, tomas = _person(results, LETICIA), _person(results, TOMAS)
    senior = [c.id for c in ladder.peer_criteria("senior")]
    dana = next(a for a in tomas.peers if a.rater == DANA)
    assert dict(dana.ratings) == {cid: float([3, 2][i % 2]) for i, cid in enumerate(senior)}
    assert dana.blind_spot == SPOTS[DANA] and dana.source.startswith(peer_path(peers, DANA).name + ", emailed from")
    assert [(a.name, a.blind_spot) for a in leticia.peers] == [
        ("Dana Ross", SPOTS[DANA]), ("Grace Liu", SPOTS[GRACE]), ("Sofia Lindqvist", SPOTS[SOFIA])]
    assert not leticia.problems and not [p for p in tomas.problems if "peer" in p.message]  # the SEs owe nothing

    out = tmp_path / "report"
    build_report(results, ladder, out, sender=SE_OPS, packets=[LETICIA, TOMAS])
    agenda = (out / "manager-mgr-amara.txt").read_text(encoding="utf-8")
    principal = ladder.peer_criteria("principal")
    means = {c.text: sum(RATINGS[r][i % len(RATINGS[r])] for r in (DANA, GRACE, SOFIA)) / 3
             for i, c in enumerate(principal)}
    for text, mean in means.items():
        assert f"  - {text}: mean {mean:.1f} (n 3)" in agenda
    assert "without names, from 3 raters (2 AEs, 1 peer) of 3 asked; not part of readiness" in agenda
    assert "AE and peer input: fewer than 3 raters: not shown (2 asked)." in agenda
    # Leticia's answers, sorted (their order gives nobody away); Tomáš's nowhere, and no rater named anywhere.
    shown = [line.strip() for line in agenda.splitlines() if line.strip().startswith("Blind spot:")]
    assert shown == [f'Blind spot: "{t}"' for t in sorted((SPOTS[DANA], SPOTS[GRACE], SPOTS[SOFIA]), key=str.casefold)]
    for f in out.iterdir():
        if f.suffix in (".html", ".txt", ".csv", ".eml"):
            text = f.read_text(encoding="utf-8", errors="replace")
            assert not any(name in text for name in ("Dana Ross", "Grace Liu", "dana.ross", "grace.liu")), f.name
            assert SPOTS[PRIYA] not in text and "Goes quiet" not in text, f.name
    assert "Sofia Lindqvist" not in (out / "manager-mgr-amara.html").read_text(encoding="utf-8")
    packet = (out / f"packet-{LETICIA}.html").read_text(encoding="utf-8")
    assert "<h2>AE and peer input</h2>" in packet and "Talks over the customer&#39;s architect" in packet
    assert "fewer than 3 raters: not shown" in (out / f"packet-{TOMAS}.html").read_text(encoding="utf-8")

    # SE Ops' working file keeps who said what; the history too (schema 6).
    again = read_results(write_results(results, tmp_path / "results.json"))
    assert again.raters == results.raters and _person(again, LETICIA).peers == leticia.peers
    store(results, tmp_path / "history.sqlite3")
    stored = peer_answers(tmp_path / "history.sqlite3", QUARTER)
    assert stored[LETICIA] == list(leticia.peers) and stored[TOMAS] == list(tomas.peers)


@pytest.mark.parametrize(("sender", "used"), [
    ("Dana Ross <DANA.ROSS@apex-cloud.example>", True),  # her address, however it is cased
    ("se-ops@apex-cloud.example", True),  # the roster's return address: forwarded by SE Ops
    ("leticia.moreno@apex-cloud.example", False),  # the SE rating herself through Dana's workbook
    ("someone@elsewhere.example", False),
])
def test_a_peer_workbook_counts_only_from_the_rater_or_the_return_address(
        ladder: Ladder, review_roster: Roster, peers: Path, tmp_path: Path, sender: str, used: bool) -> None:
    roster = dataclasses.replace(review_roster, return_to="se-ops@apex-cloud.example")
    inbox = _mail(tmp_path, ladder, roster, peers, {DANA: sender})
    results = collect_with_mail([inbox], ladder, roster, QUARTER)
    dana = next(r for r in results.raters if r.email == DANA)
    leticia = _person(results, LETICIA)
    if used:
        assert dana.status is Status.COMPLETE and len(leticia.peers) == 3
        return
    address = sender.lower()
    (refused,) = dana.problems
    assert (refused.kind, refused.severity, dana.status, dana.file) == (Kind.NOT_FROM_RATER, Severity.ERROR,
                                                                       Status.INVALID, "")
    assert refused.file.startswith(f"{inbox}/") and refused.file.endswith(
        f"{peer_path(peers, DANA).name} from {address}, 2026-12-01 09:00 UTC")
    assert refused.message == (f"this peer workbook of Dana Ross's came from {address}, not from their address "
                               "(dana.ross@apex-cloud.example) or the return address (se-ops@apex-cloud.example), so "
                               "its answers were not used: Dana Ross sends it from their own address")
    assert [a.rater for a in leticia.peers] == [GRACE, SOFIA] and DANA not in {a.rater for a in _person(
        results, TOMAS).peers}
    assert not leticia.problems  # Dana's problem is Dana's: Leticia owes nothing
    out = tmp_path / "report"
    build_report(results, ladder, out, sender=SE_OPS, packets=[LETICIA])
    assert SPOTS[DANA] not in (out / f"packet-{LETICIA}.html").read_text(encoding="utf-8")
    # ... and Dana is told why, with her workbook again, while the complete raters are left alone.
    sent = build_reminders(ladder, roster, results, tmp_path / "r", sender=SE_OPS, due=DUE, today=date(2026, 12, 1),
                           ops=["se-ops@apex-cloud.example"], peers=peers)
    to = {r.path.stem: r for r in sent}
    assert not {f"rater-{k.replace('@', '-')}" for k in (GRACE, SOFIA, PRIYA)} & set(to)
    reminder = read(to["rater-dana.ross-apex-cloud.example"].path)
    assert reminder["To"] == "Dana Ross <dana.ross@apex-cloud.example>"
    assert " ".join(refused.message.split()) in " ".join(body(reminder, "plain").split())
    assert [p.get_filename() for p in reminder.iter_attachments()] == [peer_path(peers, DANA).name]
    assert "Dana Ross" in body(read(to["se-ops"].path), "plain")


def test_a_raters_mistakes_are_theirs_and_located(ladder: Ladder, review_roster: Roster, peers: Path,
                                                  tmp_path: Path) -> None:
    """A 4 typed past the dropdown, and a sheet deleted: Priya's problems, never Tomáš's; the rest is read."""
    values = answers(ladder, review_roster, PRIYA, {TOMAS: [4, 2, 2, 2, 2]}, {TOMAS: "Goes quiet."})
    path = tmp_path / "priya.xlsx"
    path.write_bytes(filled(ladder, review_roster, peers, PRIYA, values))
    dana = tmp_path / "dana.xlsx"
    book = openpyxl.load_workbook(peer_path(peers, DANA))
    del book["Tomáš Novák"]
    book.save(dana)
    results = collect_with_mail([path, dana], ladder, review_roster, QUARTER)  # plain files: no sender to judge
    priya = next(r for r in results.raters if r.email == PRIYA)
    first = ladder.peer_criteria("senior")[0]
    (wrong,) = priya.problems
    assert (priya.status, wrong.sheet, wrong.cell, wrong.kind) == (Status.INVALID, "Tomáš Novák", "D6", Kind.OUT_OF_RANGE)
    assert wrong.message == (f"Tomáš Novák's sheet, the rating of {first.text}: expected a whole number from 0 to 3, "
                             "found 4")
    (answer,) = _person(results, TOMAS).peers
    assert first.id not in answer.ratings and answer.ratings[ladder.peer_criteria("senior")[1].id] == 2
    dana_result = next(r for r in results.raters if r.email == DANA)
    assert [(p.kind, p.severity, p.message) for p in dana_result.problems] == [
        (Kind.MISSING_SHEET, Severity.INCOMPLETE, "no sheet for Tomáš Novák (deleted?): nothing of Dana Ross's for "
                                                  "them was read"),
        (Kind.NOT_STARTED, Severity.INCOMPLETE, "Dana Ross's peer workbook came back blank: nothing rated and no "
                                                "answer to the question")]
    assert not [p for p in _person(results, TOMAS).problems if p.file in (str(path), str(dana))]


def test_handout_sends_each_rater_their_workbook_replies_never_to_a_manager(
        ladder: Ladder, review_roster: Roster, peers: Path, tmp_path: Path) -> None:
    paths = build_peer_handout(ladder, review_roster, QUARTER, peers, tmp_path / "out", sender=SE_OPS)
    assert [p.name for p in paths] == [f"rater-{k.replace('@', '-')}.eml" for k in (DANA, GRACE, SOFIA, PRIYA)]
    msg = read(paths[0])
    assert (msg["To"], msg["Reply-To"]) == ("Dana Ross <dana.ross@apex-cloud.example>", SE_OPS)
    assert msg["Subject"] == "Your input on Leticia and Tomáš with customers: 2026-Q4, by Mon 7 Dec"
    (attached,) = msg.iter_attachments()
    assert attached.get_content() == peer_path(peers, DANA).read_bytes()
    text = " ".join(body(msg, "plain").split())
    assert "What is Leticia's biggest blind spot in the room?" in text and "What is Tomáš's" in text
    assert "only once at least 3 people have answered for that SE" in text and "amara" not in msg.as_string().lower()
    assert "(it goes to se-ops@apex-cloud.example)" in text  # the address alone, not "Apex SE Ops <...>"


def test_the_peers_command_writes_and_keeps_what_a_rater_changed(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "peers"
    args = ("peers", "--team", team_path, "--quarter", QUARTER, "--out", out, "--due", "2026-12-07")
    assert run_main(monkeypatch, capsys, *args) == (0, f"wrote 4 peer workbook(s) to {out}/\n", "")
    changed = peer_path(out, GRACE)
    changed.write_bytes(changed.read_bytes() + b" ")
    code, stdout, stderr = run_main(monkeypatch, capsys, *args)
    assert (code, stdout) == (0, f"wrote 3 peer workbook(s) to {out}/\n")
    assert stderr == (f"skipped {GRACE}: {changed.name} changed since it was written (a rater's answers?); kept as is "
                      "(use --force to back it up and replace)\n")
