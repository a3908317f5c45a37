"""Hand-out emails and reminders: who gets what, what they say, what is attached."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest

from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Inputs, Ladder, Roster
from ladder_sheets.core.results import Kind, Problem, Results, Status
from ladder_sheets.workflows.handout import build_handout
from ladder_sheets.workflows.remind import build_reminders
from ladder_sheets.xlsx.generate import generate
from tests.conftest import DUE, QUARTER
from tests.support.cli import run_main
from tests.support.emails import body, read
from tests.support.results import find_person, inputs_for, results_for

SENDER = "Apex SE Ops <se-ops@apex-cloud.example>"


@pytest.fixture
def team_path(in_workbook_team: Path) -> Path:
    """These results carry manager scores from the SEs' workbooks: the roster file says managers score in them."""
    return in_workbook_team


@pytest.fixture(scope="module")
def generated(ladder: Ladder, roster: Roster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(ladder, roster, QUARTER, out, due=DUE)
    return out / QUARTER


@pytest.fixture
def workbooks(generated: Path, tmp_path: Path) -> Path:
    """The team's workbooks as generated, a copy of its own per test: some tests remove or change one."""
    return Path(shutil.copytree(generated, tmp_path / QUARTER))


def test_handout_attaches_each_workbook_and_says_where_to_return_it(ladder: Ladder, roster: Roster, workbooks: Path,
                                                                    tmp_path: Path) -> None:
    roster = dataclasses.replace(roster, managers=tuple(
        dataclasses.replace(m, return_to="east-returns@apex-cloud.example") if m.id == "mgr-amara" else m
        for m in roster.managers))
    files = build_handout(ladder, roster, QUARTER, workbooks, tmp_path / "handout", sender=SENDER, cc_manager=True)
    assert sorted(f.name for f in files) == sorted(f"se-{p.id}.eml" for p in roster.people)
    tomas = read(tmp_path / "handout" / "se-tomas-novak.eml")
    assert tomas["To"] == "Tomáš Novák <tomas.novak@apex-cloud.example>"
    assert tomas["Cc"] == "Amara Okafor <amara.okafor@apex-cloud.example>"
    assert tomas["Reply-To"] == "east-returns@apex-cloud.example"
    assert tomas["Subject"] == "Your 2026-Q4 career workbook: please return it by Mon 7 Dec"
    (attachment,) = list(tomas.iter_attachments())
    assert attachment.get_filename() == "tomas-novak.xlsx"
    assert attachment.get_content() == (workbooks / "tomas-novak.xlsx").read_bytes()
    text = body(tomas, "plain")
    assert "PLEASE RETURN IT BY MONDAY 7 DECEMBER 2026" in text and "east-returns@apex-cloud.example" in text
    sofia = read(tmp_path / "handout" / "se-sofia-lindqvist.eml")
    assert sofia["Reply-To"] == "daniel.reyes@apex-cloud.example"  # no return_to: the manager's own address


def test_handout_names_every_missing_or_changed_workbook_before_writing(ladder: Ladder, roster: Roster,
                                                                        workbooks: Path, tmp_path: Path) -> None:
    (workbooks / "marcus-bell.xlsx").unlink()
    (workbooks / "aisha-haddad.xlsx").write_bytes(b"someone's answers")
    with pytest.raises(ConfigError) as err:
        build_handout(ladder, roster, QUARTER, workbooks, tmp_path / "handout", sender=SENDER)
    assert "marcus-bell.xlsx: cannot read the workbook" in str(err.value)
    assert "aisha-haddad.xlsx: changed since it was generated" in str(err.value)
    assert not (tmp_path / "handout").exists()


def test_handout_with_links_carries_the_link_and_no_attachment(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    links = {p.id: f"https://docs.google.com/spreadsheets/d/{p.id}-sheet/edit" for p in roster.people}
    build_handout(ladder, roster, QUARTER, tmp_path / "none", tmp_path / "h", sender=SENDER, due=date(2026, 12, 9),
                  links=links)
    msg = read(tmp_path / "h" / "se-priya-raman.eml")
    assert list(msg.iter_attachments()) == []
    assert 'href="https://docs.google.com/spreadsheets/d/priya-raman-sheet/edit"' in body(msg, "html")
    assert "Wednesday 9 December 2026" in body(msg, "html")


def test_rewriting_the_same_handout_keeps_its_message_ids(ladder: Ladder, roster: Roster, workbooks: Path,
                                                          tmp_path: Path) -> None:
    build_handout(ladder, roster, QUARTER, workbooks, tmp_path / "h", sender=SENDER)
    first = {p.name: read(p)["Message-ID"] for p in (tmp_path / "h").glob("*.eml")}
    (tmp_path / "h" / "send-log.jsonl").write_text("kept\n")
    build_handout(ladder, roster, QUARTER, workbooks, tmp_path / "h", sender=SENDER)
    assert {p.name: read(p)["Message-ID"] for p in (tmp_path / "h").glob("*.eml")} == first
    assert (tmp_path / "h" / "send-log.jsonl").read_text() == "kept\n"  # the send log survives the rewrite


def results_with(ladder: Ladder, roster: Roster) -> object:
    """Complete for everyone but: tomas with three self scores blank, kenji not returned, aisha unscored by the manager."""
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people}
    tomas = inputs["tomas-novak"]
    crit = list(tomas.criteria)
    tomas_criteria = {k: (dataclasses.replace(v, self_score=None) if k in crit[:3] else v)
                      for k, v in tomas.criteria.items()}
    inputs["tomas-novak"] = dataclasses.replace(tomas, criteria=tomas_criteria)
    aisha = inputs["aisha-haddad"]
    inputs["aisha-haddad"] = dataclasses.replace(aisha, criteria={k: dataclasses.replace(v, manager_score=None)
                                                                  for k, v in aisha.criteria.items()})
    del inputs["kenji-watanabe"]
    return results_for(ladder, roster, inputs)


def test_reminders_go_only_to_who_has_something_open(ladder: Ladder, roster: Roster, workbooks: Path,
                                                      tmp_path: Path) -> None:
    results = results_with(ladder, roster)
    status = {p.person.id: p.status for p in results.people}  # type: ignore[attr-defined]
    assert status["kenji-watanabe"] is Status.MISSING and status["leticia-moreno"] is Status.COMPLETE
    sent = build_reminders(ladder, roster, results, tmp_path / "r", sender=SENDER, due=DUE,  # type: ignore[arg-type]
                           today=date(2026, 12, 4), ops=["ops@apex-cloud.example"], workbooks=workbooks)
    assert sorted(r.path.name for r in sent) == ["manager-mgr-daniel.eml", "se-kenji-watanabe.eml", "se-ops.eml",
                                                 "se-tomas-novak.eml"]
    tomas = read(tmp_path / "r" / "se-tomas-novak.eml")
    assert tomas["Subject"] == ("Reminder: your 2026-Q4 career workbook is still open, 3 days left (due Mon 7 Dec)")
    names = [c.text for c in ladder.rubric_for("senior").criteria][:3]
    assert f"3 criteria not self-scored: {', '.join(names)}" in body(tomas, "plain")
    assert list(tomas.iter_attachments()) == []  # it came back: they edit their own copy
    kenji = read(tmp_path / "r" / "se-kenji-watanabe.eml")
    assert [a.get_filename() for a in kenji.iter_attachments()] == ["kenji-watanabe.xlsx"]
    daniel = body(read(tmp_path / "r" / "manager-mgr-daniel.eml"), "plain")
    aisha = find_person(roster, "aisha-haddad")
    count = len(ladder.rubric_for(aisha.target_level).criteria)
    # none scored yet: counted, not every criterion named
    assert f"Aisha Haddad: {count} criteria to score\r\n" in daniel
    ops = body(read(tmp_path / "r" / "se-ops.eml"), "plain")
    assert "3 of 8 SEs still have something open" in ops and "Leticia Moreno" not in ops


def test_a_workbook_gone_from_the_folder_leaves_the_others_attached_again(ladder: Ladder, roster: Roster,
                                                                          workbooks: Path, tmp_path: Path) -> None:
    """Workbooks listed in the manifest before Kenji's were moved away: his is still attached again."""
    from ladder_sheets.xlsx import manifest

    entries = list(manifest.read(workbooks).values())
    ahead = entries[:next(i for i, e in enumerate(entries) if e.person_id == "kenji-watanabe")]
    assert ahead
    for entry in ahead:
        (workbooks / entry.file).unlink()
    results = results_with(ladder, roster)
    build_reminders(ladder, roster, results, tmp_path / "r", sender=SENDER,  # type: ignore[arg-type]
                    due=DUE, today=date(2026, 12, 4), workbooks=workbooks)
    kenji = read(tmp_path / "r" / "se-kenji-watanabe.eml")
    assert [a.get_filename() for a in kenji.iter_attachments()] == ["kenji-watanabe.xlsx"]


def test_the_ops_overview_tells_items_open_from_waiting_for_the_manager(ladder: Ladder, roster: Roster,
                                                                      tmp_path: Path) -> None:
    """SE Ops chases different people for each: the SE for items open, the manager for missing scores."""
    results = results_with(ladder, roster)
    priya = next(p for p in results.people if p.person.id == "priya-raman")  # type: ignore[attr-defined]
    assert priya.inputs is not None
    first = next(iter(priya.inputs.criteria))
    both = dataclasses.replace(priya.inputs, criteria={k: dataclasses.replace(v, self_score=None if k == first else
                                                                              v.self_score, manager_score=None)
                                                       for k, v in priya.inputs.criteria.items()})
    inputs = {p.person.id: p.inputs for p in results.people if p.inputs is not None}  # type: ignore[attr-defined]
    results = results_for(ladder, roster, {**inputs, "priya-raman": both})
    build_reminders(ladder, roster, results, tmp_path / "r", sender=SENDER, due=DUE, today=date(2026, 12, 4),
                    ops=["ops@apex-cloud.example"])
    ops = read(tmp_path / "r" / "se-ops.eml")
    said = {line.split(" (")[0]: line.split(" (", 1)[1].split(";")[0] for line in body(ops, "plain").splitlines()
            if " (" in line and "; manager " in line}
    assert said == {"Tomáš Novák": "returned, items open", "Kenji Watanabe": "not returned",
                    "Aisha Haddad": "waiting for the manager's scores",
                    "Priya Raman": "returned, items open"}  # her own item first; her manager's line follows
    html = body(ops, "html")
    assert "<strong>Aisha Haddad</strong><br><span" in html
    assert html.split("<strong>Aisha Haddad</strong>")[1].split("</span>")[0].endswith(
        "waiting for the manager&#39;s scores")
    assert html.split("<strong>Tomáš Novák</strong>")[1].split("</span>")[0].endswith("returned, items open")


@pytest.mark.parametrize(("today", "phrase"), [(date(2026, 12, 7), "due today"), (date(2026, 12, 6), "1 day left"),
                                               (date(2026, 12, 9), "2 days overdue")])
def test_reminder_subject_counts_the_days(ladder: Ladder, roster: Roster, tmp_path: Path, today: date,
                                          phrase: str) -> None:
    sent = build_reminders(ladder, roster, results_with(ladder, roster), tmp_path / "r",  # type: ignore[arg-type]
                           sender=SENDER, due=DUE, today=today)
    assert all(phrase in r.subject for r in sent) and sent


@pytest.mark.parametrize(("sender", "signed"), [('"Apex SE Ops" <se-ops@apex-cloud.example>', "Apex SE Ops"),
                                                 ("Xena Ruiz <xena.ruiz@apex-cloud.example>", "Xena Ruiz"),
                                                 ("<se-ops@apex-cloud.example>", "SE Operations"),
                                                 ("se-ops@apex-cloud.example", "SE Operations")])
def test_the_overview_is_signed_with_the_senders_name(ladder: Ladder, roster: Roster, tmp_path: Path, sender: str,
                                                      signed: str) -> None:
    results = results_with(ladder, roster)
    build_reminders(ladder, roster, results, tmp_path / "r", sender=sender,  # type: ignore[arg-type]
                    due=DUE, today=date(2026, 12, 4), ops=["ops@apex-cloud.example"])
    assert body(read(tmp_path / "r" / "se-ops.eml"), "plain").rstrip().splitlines()[-1] == signed


def test_cli_remind_lists_what_it_wrote_and_sends_nothing(ladder: Ladder, roster: Roster, workbooks: Path,
                                                          tmp_path: Path, team_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from ladder_sheets.workflows.results_file import write_results

    write_results(results_with(ladder, roster), tmp_path / "results.json")  # type: ignore[arg-type]
    code, out, err = run_main(monkeypatch, capsys, "remind", tmp_path / "results.json", "--team", team_path,
                              "--workbooks", workbooks, "--out", tmp_path / "r", "--today", "2026-12-05",
                              "--from", SENDER)
    assert code == 0 and err == ""
    assert "se-kenji-watanabe.eml to Kenji Watanabe <kenji.watanabe@apex-cloud.example>: Reminder: your 2026-Q4 " \
           "career workbook is not returned yet, 2 days left (due Mon 7 Dec)" in out.splitlines()
    assert out.splitlines()[-1] == (f"4 reminder(s) written to {tmp_path / 'r'}/, none sent. "
                                    f"Next: ladder-sheets send {tmp_path / 'r'} --dry-run")


def test_html_is_escaped(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    people = tuple(dataclasses.replace(p, name="<script>x</script> Bell") if p.id == "kenji-watanabe" else p
                   for p in roster.people)
    odd = dataclasses.replace(roster, people=people)
    build_reminders(ladder, odd, results_with(ladder, odd), tmp_path / "r", sender=SENDER,  # type: ignore[arg-type]
                    due=DUE, today=date(2026, 12, 1), ops=["ops@apex-cloud.example"])
    html = body(read(tmp_path / "r" / "se-ops.eml"), "html")
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; Bell" in html


def test_cli_handout_writes_and_points_to_send(workbooks: Path, tmp_path: Path, team_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(monkeypatch, capsys, "handout", "--team", team_path, "--quarter", QUARTER,
                              "--workbooks", workbooks, "--out", tmp_path / "h", "--from", SENDER)
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == (f"8 hand-out email(s) written, none sent. "
                                    f"Next: ladder-sheets send {tmp_path / 'h'} --dry-run")
    code, out, err = run_main(monkeypatch, capsys, "send", tmp_path / "h", "--dry-run")
    assert code == 0 and len(out.splitlines()) == 8


def test_cli_handout_links_from_the_sync_state(tmp_path: Path, team_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], roster: Roster) -> None:
    from ladder_sheets.google.sync_state import SheetEntry, Stage, SyncState

    state = SyncState(tmp_path / "state.json")
    for p in roster.people:
        state.quarter(QUARTER).people[p.id] = SheetEntry(p.id, p.name, Stage.SHARED, f"sheet-{p.id}")
    state.save()
    code, _, err = run_main(monkeypatch, capsys, "handout", "--team", team_path, "--quarter", QUARTER,
                            "--out", tmp_path / "h", "--links", tmp_path / "state.json", "--due", "2026-12-07")
    assert code == 0, err
    msg = read(tmp_path / "h" / "se-oliver-grant.eml")
    assert "https://docs.google.com/spreadsheets/d/sheet-oliver-grant/edit" in body(msg, "plain")


def test_cli_remind_without_a_due_date_says_how_to_give_one(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                             team_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from ladder_sheets.workflows.results_file import write_results

    write_results(results_with(ladder, roster), tmp_path / "results.json")  # type: ignore[arg-type]
    assert run_main(monkeypatch, capsys, "remind", tmp_path / "results.json", "--team", team_path) == (
        2, "", "Error: --due: no due date (give --due YYYY-MM-DD, or --workbooks with the manifest of `generate`)\n")


def _manager_scores_refused(ladder: Ladder, roster: Roster, file: str, why: str) -> Results:
    """Everyone scored by self and manager, except that Tomas's manager scores in ``file`` were refused: ``why``."""
    inputs: dict[str, Inputs | None] = {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people}
    tomas = inputs_for(ladder, find_person(roster, "tomas-novak").target_level, 2, 3)
    inputs["tomas-novak"] = dataclasses.replace(tomas, criteria={k: dataclasses.replace(v, manager_score=None)
                                                                 for k, v in tomas.criteria.items()})
    refused = Problem(file, "Scorecard", "", Kind.NOT_FROM_MANAGER, why)
    return results_for(ladder, roster, inputs, problems={"tomas-novak": (refused,)})


def test_an_se_done_with_their_part_still_hears_the_manager_scores_were_not_used(ladder: Ladder, roster: Roster,
                                                                                  tmp_path: Path) -> None:
    """Manager scores sent from the SE's own address are not used: the SE, every item of theirs done, is
    told so (the manager is asked for the scores), not left out of the reminders."""
    why = "the manager's scores came from tomas.novak@apex-cloud.example, the SE's own address"
    results = _manager_scores_refused(ladder, roster, "tomas-novak.xlsx", why)
    sent = build_reminders(ladder, roster, results, tmp_path / "r", sender=SENDER, due=DUE, today=date(2026, 12, 4))
    assert sorted(r.path.name for r in sent) == ["manager-mgr-amara.eml", "se-tomas-novak.eml"]
    (manager,) = [r for r in sent if r.path.name == "manager-mgr-amara.eml"]
    count = len(ladder.rubric_for(find_person(roster, "tomas-novak").target_level).criteria)
    assert manager.lines == (f"Tomáš Novák: {count} criteria to score; not used: {why}",)
    text = " ".join(body(read(tmp_path / "r" / "se-tomas-novak.eml"), "plain").split())
    assert f"Your part is complete; one thing to know: - your manager's scores: {why}" in text
    assert "Please fill these in" not in text


def test_markup_in_an_se_reminder_line_is_shown_as_text(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """A refusal naming a file called <img src=x>.xlsx: the SE's reminder shows the name, never an image tag."""
    why = "the manager's scores in <img src=x>.xlsx came from tomas.novak@apex-cloud.example, the SE's own address"
    results = _manager_scores_refused(ladder, roster, "<img src=x>.xlsx", why)
    build_reminders(ladder, roster, results, tmp_path / "r", sender=SENDER, due=DUE, today=date(2026, 12, 4))
    html = body(read(tmp_path / "r" / "se-tomas-novak.eml"), "html")
    assert "<img" not in html
    assert "scores in &lt;img src=x&gt;.xlsx came from tomas.novak@apex-cloud.example" in html  # shown as typed
