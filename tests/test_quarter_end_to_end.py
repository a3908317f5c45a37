"""A whole quarter through the CLI on a real SMTP server (aiosmtpd on 127.0.0.1):
generate, hand out, SEs reply with filled workbooks into a Maildir, collect from the Maildir,
the managers' round (review, hand out the reviews, managers reply with them scored, collect
again), remind, report, send; then the same with connections dropped mid-send and reruns.
Every recipient gets each email exactly once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.model import CellValue, Ladder, Roster
from ladder_sheets.mail.maildir import deliver, reply
from ladder_sheets.xlsx.fill import fill
from tests.conftest import DUE, QUARTER
from tests.support.cli import run_main
from tests.support.reviews import review_layout, scored
from tests.support.smtp import Recorder, smtp_server

pytestmark = pytest.mark.network

OPS = "Apex SE Ops <se-ops@apex-cloud.example>"
NOT_RETURNED = "marcus-bell"
PARTIAL = "kenji-watanabe"  # three criteria not self-scored, not scored in Amara's review


def answers(ladder: Ladder, person_id: str, level: str, target: str, *, partial: bool) -> dict[str, CellValue]:
    criteria = ladder.rubric_for(target).criteria
    values: dict[str, CellValue] = {}
    for n, c in enumerate(criteria):
        if not (partial and n >= len(criteria) - 3):
            values[f"criteria.{c.id}.self"] = 3 if n % 3 else 2
            values[f"criteria.{c.id}.evidence"] = f"{person_id}: evidence for {c.id}"
    values |= {f"metrics.{m.id}.actual": m.target for m in ladder.metrics_for(level, target)}
    for p in ladder.pivots:
        values |= {f"pivots.{p.id}.interest": 1, f"pivots.{p.id}.signal": ladder.signal_options[0],
                   f"pivots.{p.id}.gap_progress": 2}
    values["track_preference"] = ladder.track_options[1]
    for f in ladder.readout_for(level, target).fields:
        values[f"readout.{f.id}"] = 120 if f.kind == "percent" else (
            ladder.levels[1].name if f.kind == "level" else "the Acme POC")
    return values


def replies(ladder: Ladder, roster: Roster, handouts: list[EmailMessage], maildir: Path) -> None:
    """Each SE but one answers the hand-out: Reply to it, the filled workbook attached."""
    t0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
    people = {p.email: p for p in roster.people}
    messages = []
    for n, msg in enumerate(handouts):
        person = people[parseaddr(str(msg["To"]))[1]]
        if person.id == NOT_RETURNED:
            continue
        (attachment,) = list(msg.iter_attachments())
        wl = layout.build(ladder, roster, person, QUARTER, DUE)
        data = fill(attachment.get_content(), wl, answers(ladder, person.id, person.level, person.target_level,
                                                          partial=person.id == PARTIAL))
        messages.append(reply(person.email, str(msg["Reply-To"]), f"Re: {msg['Subject']}", "Done.",
                              t0 + timedelta(hours=n), [(str(attachment.get_filename()), data)]))
    deliver(maildir, messages)


def reviews_back(ladder: Ladder, roster: Roster, handouts: list[EmailMessage], maildir: Path) -> None:
    """Each manager answers their review hand-out: every SE scored 2 but the partial one, from their own address."""
    t0 = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)
    messages = []
    for n, msg in enumerate(handouts):
        manager = next(m for m in roster.managers if m.email == parseaddr(str(msg["To"]))[1])
        (attachment,) = list(msg.iter_attachments())
        wl = review_layout(ladder, roster, manager, QUARTER, DUE)
        values = {k: v for p in roster.people if p.manager == manager.id and p.id != PARTIAL
                  for k, v in scored(ladder, p, 2, recommendation="Next cycle").items()}
        messages.append(reply(manager.email, str(msg["Reply-To"]), f"Re: {msg['Subject']}", "Scored.",
                              t0 + timedelta(hours=n), [(str(attachment.get_filename()),
                                                         fill(attachment.get_content(), wl, values))]))
    deliver(maildir, messages)


def send_until_done(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], directory: Path,
                    port: int) -> list[tuple[int, str, str]]:
    """Run `send` as a person would after a failure: again, until it has nothing left to do (at most 3 times)."""
    runs = []
    for _ in range(3):
        runs.append(run_main(monkeypatch, capsys, "send", directory, "--smtp-host", "127.0.0.1", "--smtp-port", port))
        if runs[-1][0] == 0:
            break
    return runs


def received_by(recorder: Recorder, subject_part: str) -> dict[str, EmailMessage]:
    found: dict[str, EmailMessage] = {}
    for r in recorder.received:
        if subject_part in str(r.message["Subject"]):
            for rcpt in r.recipients:
                found[rcpt] = r.message
    return found


@pytest.mark.parametrize("faults", [False, True], ids=["clean", "connections-dropped"])
def test_a_quarter_end_to_end(ladder: Ladder, roster: Roster, team_path: Path, tmp_path: Path, faults: bool,
                              monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    run = lambda *args: run_main(monkeypatch, capsys, *args)  # noqa: E731
    team = ("--team", team_path)
    with smtp_server() as (controller, recorder, _):
        port = controller.port
        # 1. generate and hand out (copy to the manager)
        assert run("generate", *team, "--quarter", QUARTER, "--out", out, "--due", DUE.isoformat())[0] == 0
        assert run("handout", *team, "--quarter", QUARTER, "--workbooks", out / QUARTER, "--out", out / "handout",
                   "--from", OPS, "--cc-manager")[0] == 0
        if faults:
            recorder.drop_at_rcpt.add("kenji.watanabe@apex-cloud.example")  # before the message: not delivered
            recorder.drop_after_data.add("sofia.lindqvist@apex-cloud.example")  # after the ".": delivered, unanswered
            recorder.refuse.add("amara.okafor@apex-cloud.example")  # the copies to Amara, refused the first time
        runs = send_until_done(monkeypatch, capsys, out / "handout", port)
        recorder.refuse.clear()
        if faults:
            assert runs[0][0] == 1 and "unconfirmed se-sofia-lindqvist.eml" in runs[0][2]
            runs += send_until_done(monkeypatch, capsys, out / "handout", port)  # the refused copies, now accepted
        assert runs[-1][0] == 0
        handouts = received_by(recorder, "please return it by")
        se_addresses = {p.email for p in roster.people}
        assert se_addresses <= set(handouts) and {"amara.okafor@apex-cloud.example",
                                                  "daniel.reyes@apex-cloud.example"} <= set(handouts)

        # 2. the SEs reply into a Maildir; collect reads it: every manager score is still to come
        replies(ladder, roster, [handouts[a] for a in sorted(se_addresses)], out / "inbox")
        collect = ("collect", out / "inbox", *team, "--quarter", QUARTER, "--out", out / "results.json", "--no-db")
        assert run(*collect)[0] == 1
        status = {p["person"]["id"]: p["status"] for p in json.loads((out / "results.json").read_text())["people"]}
        assert status[NOT_RETURNED] == "missing" and set(status.values()) == {"missing", "incomplete"}

        # the managers' round: a review each, handed out, returned scored, collected with the rest
        assert run("review", out / "results.json", *team, "--out", out / "reviews", "--due", DUE.isoformat(),
                   "--db", tmp_path / "none.sqlite3")[0] == 0
        assert run("handout", *team, "--quarter", QUARTER, "--reviews", out / "reviews", "--out",
                   out / "review-handout", "--from", OPS)[0] == 0
        if faults:
            recorder.drop_after_data.add("daniel.reyes@apex-cloud.example")
        send_until_done(monkeypatch, capsys, out / "review-handout", port)
        reviews = received_by(recorder, "manager review")
        assert set(reviews) == {"amara.okafor@apex-cloud.example", "daniel.reyes@apex-cloud.example"}
        reviews_back(ladder, roster, [reviews[a] for a in sorted(reviews)], out / "inbox")
        assert run(*collect)[0] == 1  # one missing, one partial
        people = json.loads((out / "results.json").read_text())["people"]
        status = {p["person"]["id"]: p["status"] for p in people}
        assert status[NOT_RETURNED] == "missing" and status[PARTIAL] == "incomplete"
        assert [s for pid, s in status.items() if pid not in (NOT_RETURNED, PARTIAL)] == ["complete"] * 6
        assert {p["scored_by"][0] for p in people if p["person"]["id"] != PARTIAL} == {"review"}

        # 3. reminders: only the two SEs with something open, Amara (Kenji to score) and SE Ops
        code, listed, _ = run("remind", out / "results.json", *team, "--workbooks", out / QUARTER,
                              "--out", out / "reminders", "--from", OPS, "--today", "2026-12-04")
        assert code == 0
        if faults:
            recorder.drop_after_data.add("marcus.bell@apex-cloud.example")
        send_until_done(monkeypatch, capsys, out / "reminders", port)
        reminded = received_by(recorder, "2026-Q4")
        reminder_to = {a for a, m in reminded.items() if "Reminder" in str(m["Subject"]) or "workbooks:" in str(m["Subject"])
                       or "waiting for your scores" in str(m["Subject"])}
        assert reminder_to == {"marcus.bell@apex-cloud.example", "kenji.watanabe@apex-cloud.example",
                               "amara.okafor@apex-cloud.example", "se-ops@apex-cloud.example"}
        marcus = reminded["marcus.bell@apex-cloud.example"]
        assert [a.get_filename() for a in marcus.iter_attachments()] == ["marcus-bell.xlsx"]

        # 4. report and send it
        assert run("report", out / "results.json", *team, "--out", out / "report", "--from", OPS, "--no-trends")[0] == 0
        if faults:
            recorder.drop_at_rcpt.add("vp.presales@apex-cloud.example")
            recorder.drop_after_data.add("daniel.reyes@apex-cloud.example")
        send_until_done(monkeypatch, capsys, out / "report", port)
        summaries = {**received_by(recorder, "career summary"), **received_by(recorder, "coaching agenda")}
        assert {"vp.presales@apex-cloud.example", "amara.okafor@apex-cloud.example",
                "daniel.reyes@apex-cloud.example"} <= set(summaries)

        # 5. a rerun of every send afterwards sends nothing
        for folder in ("handout", "review-handout", "reminders", "report"):
            code, said, _ = run("send", out / folder, "--smtp-host", "127.0.0.1", "--smtp-port", port)
            assert code == 0 and said.splitlines()[-1].startswith("nothing left to send")
    counts = recorder.count()
    assert counts and set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    expected = 8 + 8 + 2 + 4 + 3  # hand-outs, their copies, reviews, reminders, summaries
    assert len(counts) == expected
