"""Who entered what, as mail tells it: forged returns, reviews from the wrong address, and everyone told so."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Kind, Results, ScoredBy, Severity, Status
from ladder_sheets.history.store import connect, store
from ladder_sheets.mail.maildir import deliver, reply
from ladder_sheets.workflows.mail_collect import collect_with_mail
from ladder_sheets.workflows.remind import build_reminders
from ladder_sheets.workflows.report import build_report
from ladder_sheets.workflows.results_file import read_results, write_results
from ladder_sheets.workflows.review import build_reviews, review_path
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER
from tests.support.cli import run_main
from tests.support.emails import body, read
from tests.support.results import find_person
from tests.support.reviews import fill_review, review_layout, scored, self_only

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
SENDER = "Apex SE Ops <se-ops@apex-cloud.example>"
TOMAS = "tomas-novak"


def _returned(ladder: Ladder, roster: Roster, tmp: Path, manager: int | None) -> bytes:
    """Tomáš's workbook as he returns it: his part filled, and the manager's column too with ``manager``."""
    person = find_person(roster, TOMAS)
    generate(ladder, roster, QUARTER, tmp / "gen", due=DUE, jobs=1)
    return self_only(ladder, roster, person, QUARTER, DUE, tmp / "gen" / QUARTER, 3, tmp / f"{TOMAS}.xlsx",
                     manager=manager).read_bytes()


def _tomas(results: Results):  # type: ignore[no-untyped-def]
    return next(p for p in results.people if p.person.id == TOMAS)


@pytest.mark.parametrize("mode", ["in_workbook", "review"])
def test_a_forged_return_gives_no_manager_readiness_and_no_packet(
        ladder: Ladder, roster: Roster, review_roster: Roster, tmp_path: Path, mode: str) -> None:
    """Tomáš fills the manager's column with 3s and emails the workbook from his own address."""
    team = roster if mode == "in_workbook" else review_roster
    forged = _returned(ladder, team, tmp_path, manager=3)
    inbox = deliver(tmp_path / "inbox", [reply("Tomáš Novák <tomas.novak@apex-cloud.example>", "se-ops@apex.example",
                                               "Re: workbook", "all done", T0, [(f"{TOMAS}.xlsx", forged)])])
    results = collect_with_mail([inbox], ladder, team, QUARTER)
    tomas = _tomas(results)
    assert tomas.scores is not None and tomas.scores.manager_pct is None and tomas.scores.manager_band == "Incomplete"
    assert tomas.inputs is not None and all(c.manager_score is None for c in tomas.inputs.criteria.values())
    assert tomas.scored_by.kind is ScoredBy.NONE and tomas.status is not Status.COMPLETE
    (why,) = [p for p in tomas.problems if p.kind == Kind.NOT_FROM_MANAGER]
    if mode == "in_workbook":
        assert why.severity is Severity.ERROR and tomas.status is Status.INVALID
        assert why.message == (
            "the Manager column was filled in, but the workbook was emailed from Tomáš Novák's own address, so those "
            "scores were not used: they count only when Amara Okafor scores in their review or sends the workbook "
            "from Amara Okafor's side (amara.okafor@apex-cloud.example)")
    else:
        assert why.severity is Severity.NOTE and why.message.startswith("the Manager columns are locked: Amara Okafor")
    out = build_report(results, ladder, tmp_path / "report", sender=SENDER)
    assert not [f for f in out if f.name.startswith("packet-")]
    # ... and the SE, the manager and SE Ops are each told, in plain words
    sent = build_reminders(ladder, team, results, tmp_path / "r", sender=SENDER, due=DUE, today=date(2026, 12, 1),
                           ops=["se-ops@apex-cloud.example"])
    told = {r.path.stem: body(read(r.path), "plain") for r in sent}
    for stem in ("se-tomas-novak", "manager-mgr-amara", "se-ops"):
        assert " ".join(why.message.split()) in " ".join(told[stem].split()), stem


def test_the_managers_own_later_return_is_used(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """In the workbook flow: the SE's return from their own address, then the manager's from theirs."""
    own = _returned(ladder, roster, tmp_path, manager=None)
    by_manager = _returned(ladder, roster, tmp_path, manager=2)
    newer_own = _returned(ladder, roster, tmp_path, manager=3)  # sent again by the SE, the 3s typed by them
    inbox = deliver(tmp_path / "inbox", [
        reply("tomas.novak@apex-cloud.example", "se-ops@apex.example", "Re", "mine", T0, [(f"{TOMAS}.xlsx", own)]),
        reply("amara.okafor@apex-cloud.example", "se-ops@apex.example", "Re", "scored", T0 + timedelta(days=1),
              [(f"{TOMAS}.xlsx", by_manager)]),
        reply("tomas.novak@apex-cloud.example", "se-ops@apex.example", "Re", "again", T0 + timedelta(days=2),
              [(f"{TOMAS}.xlsx", newer_own)])])
    tomas = _tomas(collect_with_mail([inbox], ladder, roster, QUARTER))
    assert tomas.file.endswith("from tomas.novak@apex-cloud.example, 2026-12-03 09:00 UTC")  # his part: newest
    assert tomas.scored_by == type(tomas.scored_by)(
        ScoredBy.MANAGER_RETURN, f"{TOMAS}.xlsx, emailed from amara.okafor@apex-cloud.example on 2026-12-02")
    assert tomas.scores is not None and tomas.scores.manager_pct == pytest.approx(2 / 3)
    (note,) = [p for p in tomas.problems if p.kind == Kind.NOT_FROM_MANAGER]
    assert note.severity is Severity.NOTE  # his own 3s were not used, and that is worth knowing


@pytest.fixture
def reviewed(ladder: Ladder, review_roster: Roster, tmp_path: Path) -> dict[str, Path]:
    """Tomáš's self-only return emailed by him, the first collect, and Amara's review written from it, scored 3."""
    own = _returned(ladder, review_roster, tmp_path, manager=None)
    inbox = deliver(tmp_path / "inbox", [reply("tomas.novak@apex-cloud.example", "se-ops@apex-cloud.example", "Re",
                                               "mine", T0, [(f"{TOMAS}.xlsx", own)])])
    build_reviews(ladder, review_roster, collect_with_mail([inbox], ladder, review_roster, QUARTER),
                  tmp_path / "reviews", due=DUE)
    manager = review_roster.managers[0]
    tomas = find_person(review_roster, TOMAS)
    review = fill_review(review_path(tmp_path / "reviews", manager.id),
                         review_layout(ladder, review_roster, manager, QUARTER, DUE), scored(ladder, tomas, 3),
                         tmp_path / "review-mgr-amara.xlsx")
    return {"inbox": inbox, "review": review, "reviews": tmp_path / "reviews"}


@pytest.mark.parametrize(("sender", "used"), [("Amara Okafor <amara.okafor@apex-cloud.example>", True),
                                              ("tomas.novak@apex-cloud.example", False),
                                              ("someone@elsewhere.example", False)])
def test_a_review_counts_only_from_the_managers_side(ladder: Ladder, review_roster: Roster,
                                                     reviewed: dict[str, Path], sender: str, used: bool) -> None:
    deliver(reviewed["inbox"], [reply(sender, "se-ops@apex-cloud.example", "Re: review", "scored",
                                      T0 + timedelta(days=2), [("review-mgr-amara.xlsx",
                                                                reviewed["review"].read_bytes())])])
    tomas = _tomas(collect_with_mail([reviewed["inbox"]], ladder, review_roster, QUARTER))
    refused = [p for p in tomas.problems if p.kind == Kind.NOT_FROM_MANAGER]
    if used:
        assert tomas.scored_by == type(tomas.scored_by)(
            ScoredBy.REVIEW, "review-mgr-amara.xlsx, emailed from amara.okafor@apex-cloud.example on 2026-12-03")
        assert tomas.scores is not None and tomas.scores.manager_pct == 1.0 and not refused
        assert tomas.recommendation == "promote now"
        return
    address = sender.lower()
    assert tomas.scored_by.kind is ScoredBy.NONE and tomas.scores is not None and tomas.scores.manager_pct is None
    (why,) = refused
    assert why.severity is Severity.ERROR and why.sheet == "Tomáš Novák"
    assert why.file.endswith(f": review-mgr-amara.xlsx from {address}, 2026-12-03 09:00 UTC")
    assert why.message == (f"this review came from {address}, not from Amara Okafor's side "
                           "(amara.okafor@apex-cloud.example), so its scores for Tomáš Novák were not used: "
                           "Amara Okafor sends it from their own address")


def test_the_packet_and_the_agenda_say_who_scored(ladder: Ladder, review_roster: Roster, reviewed: dict[str, Path],
                                                  tmp_path: Path) -> None:
    deliver(reviewed["inbox"], [reply("amara.okafor@apex-cloud.example", "se-ops@apex-cloud.example", "Re: review",
                                      "scored", T0 + timedelta(days=2),
                                      [("review-mgr-amara.xlsx", reviewed["review"].read_bytes())])])
    results = collect_with_mail([reviewed["inbox"]], ladder, review_roster, QUARTER)
    write_results(results, tmp_path / "results.json")
    again = read_results(tmp_path / "results.json")
    assert _tomas(again).scored_by == _tomas(results).scored_by and _tomas(again).why == _tomas(results).why
    build_report(again, ladder, tmp_path / "report", sender=SENDER, packets=[TOMAS])
    line = ("Scored by Amara Okafor in their review (review-mgr-amara.xlsx, emailed from "
            "amara.okafor@apex-cloud.example on 2026-12-03)")
    assert line in (tmp_path / "report" / f"packet-{TOMAS}.html").read_text(encoding="utf-8")
    assert line in (tmp_path / "report" / "manager-mgr-amara.txt").read_text(encoding="utf-8")
    packet = (tmp_path / "report" / f"packet-{TOMAS}.html").read_text(encoding="utf-8")
    assert "☒ Promote now" in packet and "Ran two strategic POCs end to end." in packet
    db = tmp_path / "h.sqlite3"
    store(again, db)
    with connect(db) as con:
        row = con.execute("SELECT scored_by, scored_by_detail, recommendation, recommendation_why FROM person_quarters"
                          " WHERE person_id = ?", (TOMAS,)).fetchone()
    assert row == ("review", line.split("(", 1)[1][:-1], "promote now", "Ran two strategic POCs end to end.")


def test_review_handout_and_reminders_attach_the_managers_review(ladder: Ladder, review_roster: Roster,
                                                                 reviewed: dict[str, Path], tmp_path: Path,
                                                                 team_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(monkeypatch, capsys, "handout", "--team", team_path, "--quarter", QUARTER,
                              "--reviews", reviewed["reviews"], "--out", tmp_path / "h", "--from", SENDER)
    assert (code, err) == (0, "") and out.splitlines()[-1].startswith("2 hand-out email(s) written")
    msg = read(tmp_path / "h" / "manager-mgr-amara.eml")
    assert msg["To"] == "Amara Okafor <amara.okafor@apex-cloud.example>"
    assert msg["Reply-To"] == "amara.okafor@apex-cloud.example"
    (attached,) = list(msg.iter_attachments())
    assert attached.get_filename() == "review-mgr-amara.xlsx"
    assert attached.get_content() == review_path(reviewed["reviews"], "mgr-amara").read_bytes()
    text = body(msg, "plain")
    assert "A review sent from any other address is not used." in text and "- Tomáš Novák (Core SE -> Senior SE)" in \
        text.replace("→", "->")
    results = collect_with_mail([reviewed["inbox"]], ladder, review_roster, QUARTER)
    sent = build_reminders(ladder, review_roster, results, tmp_path / "r", sender=SENDER, due=DUE,
                           today=date(2026, 12, 1), reviews=reviewed["reviews"])
    amara = next(r for r in sent if r.path.stem == "manager-mgr-amara")
    assert amara.lines[-1] == "attached again: review-mgr-amara.xlsx"
    assert "Leticia Moreno: 11 criteria to score (their workbook is not back yet: their sheet shows no evidence)" \
        in amara.lines
    assert "Score them on each SE's sheet of your review" in body(read(amara.path), "plain")


def test_the_review_command_writes_one_review_per_manager(tmp_path: Path, team_path: Path, ladder: Ladder,
                                                          review_roster: Roster, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.results import inputs_for, results_for

    results = results_for(ladder, review_roster, {p.id: inputs_for(ladder, p.target_level, 2, None)
                                                  for p in review_roster.people})
    write_results(results, tmp_path / "results.json")
    args = ("review", tmp_path / "results.json", "--team", team_path, "--out", tmp_path / "reviews", "--blind",
            "--due", "2026-12-18", "--db", tmp_path / "none.sqlite3")
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["org figures: none yet (no other manager has scored)",
                                f"wrote 2 review(s) to {tmp_path / 'reviews'}/"]
    assert sorted(p.name for p in (tmp_path / "reviews").iterdir()) == [
        "manifest.json", "review-mgr-amara.xlsx", "review-mgr-daniel.xlsx"]
    (tmp_path / "reviews" / "review-mgr-amara.xlsx").write_bytes(b"scores typed by Amara")
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 0 and "skipped mgr-amara: review-mgr-amara.xlsx changed since it was written" in err
    assert (tmp_path / "reviews" / "review-mgr-amara.xlsx").read_bytes() == b"scores typed by Amara"
