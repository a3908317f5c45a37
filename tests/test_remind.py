"""Reminders read as each person gets them: who is mailed, what they are asked, what SE Ops sees.

Results are built straight from inputs (tests/support/results.py) and reminders written by
``build_reminders`` or ``write_reminders`` directly: no workbook is generated, so each test is quick.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from ladder_sheets.core.model import Inputs, Ladder, Roster
from ladder_sheets.core.results import (Kind, ManagerSource, Problem, RaterResult, Results, ScoredBy, Severity,
                                       Status)
from ladder_sheets.google.sync_state import SheetEntry, Stage, SyncState
from ladder_sheets.workflows.remind import build_reminders, write_reminders
from ladder_sheets.workflows.results_file import write_results
from ladder_sheets.xlsx import manifest
from tests.conftest import DUE, QUARTER
from tests.support.emails import body, read
from tests.support.ladders import edited_ladder
from tests.support.results import find_person, inputs_for, results_for

SENDER = "Apex SE Ops <se-ops@apex-cloud.example>"
TODAY = date(2026, 12, 4)
TOMAS = "tomas-novak"


def _complete(ladder: Ladder, roster: Roster) -> dict[str, Inputs | None]:
    """Every SE's inputs, self and manager scores filled in."""
    return {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people}


def _with(results: Results, person_id: str, **changes: Any) -> Results:
    """``results`` with one person's result changed."""
    return dataclasses.replace(results, people=tuple(dataclasses.replace(p, **changes) if p.person.id == person_id
                                                     else p for p in results.people))


def _plain(path: Path) -> str:
    return " ".join(body(read(path), "plain").split())


def _folder(path: Path, files: dict[str, str], due: str = "", changed: tuple[str, ...] = ()) -> Path:
    """A folder as ``generate``, ``review`` or ``peers`` leaves it: ``files`` (id -> file name), each file's
    SHA-256 in the manifest; the ids in ``changed`` were edited since (someone's answers may be in them)."""
    path.mkdir()
    entries = {}
    for key, name in files.items():
        data = f"workbook of {key}".encode()
        (path / name).write_bytes(data + (b", edited" if key in changed else b""))
        entries[key] = manifest.Entry(key, key, key, "", name, hashlib.sha256(data).hexdigest(), "v", "2026-11-23")
    manifest.write(path, QUARTER, entries, due)
    return path


def _sync_state(path: Path, links: dict[str, Stage], due: str = "") -> Path:
    """The sync state ``push --reviews`` leaves: each manager's review spreadsheet at its stage."""
    state = SyncState(path)
    quarter = state.quarter(QUARTER)
    quarter.reviews.update({mid: SheetEntry(mid, mid, stage, f"review-{mid}") for mid, stage in links.items()})
    quarter.review_due = due
    state.save()
    return path


def _open(ladder: Ladder, roster: Roster) -> Results:
    """Tomáš and Marcus without manager scores, Aisha without two, Sofia with a self score and a metric blank,
    Kenji not returned; the rest complete."""
    inputs = _complete(ladder, roster)
    for pid in (TOMAS, "marcus-bell"):
        inputs[pid] = inputs_for(ladder, find_person(roster, pid).target_level, 2, None)
    aisha = inputs["aisha-haddad"]
    assert aisha is not None
    inputs["aisha-haddad"] = dataclasses.replace(aisha, criteria={k: dataclasses.replace(v, manager_score=None)
                                                                 if i < 2 else v
                                                                 for i, (k, v) in enumerate(aisha.criteria.items())})
    sofia = inputs["sofia-lindqvist"]
    assert sofia is not None
    first = next(iter(sofia.criteria))
    inputs["sofia-lindqvist"] = dataclasses.replace(
        sofia, criteria={**sofia.criteria, first: dataclasses.replace(sofia.criteria[first], self_score=None)},
        metrics={k: dataclasses.replace(v, actual=None) if i == 0 else v
                 for i, (k, v) in enumerate(sofia.metrics.items())})
    del inputs["kenji-watanabe"]
    return results_for(ladder, roster, inputs)


def _criteria(ladder: Ladder, roster: Roster, pid: str) -> list[str]:
    return [c.text for c in ladder.rubric_for(find_person(roster, pid).target_level).criteria]


def test_scores_refused_then_sent_by_the_manager_leave_nobody_to_remind(ladder: Ladder, roster: Roster,
                                                                        tmp_path: Path) -> None:
    """Tomáš typed his manager's column and sent it from his own address (not used); Amara then sent it from
    hers, and those scores are used: he is complete, and neither he nor she is told to do anything."""
    note = Problem(f"{TOMAS}.xlsx", "Scorecard", "", Kind.NOT_FROM_MANAGER,
                   "the Manager column was filled in, but the workbook was emailed from Tomáš Novák's own address, "
                   "so those scores were not used", Severity.NOTE)
    results = _with(results_for(ladder, roster, _complete(ladder, roster), problems={TOMAS: (note,)}),
                    TOMAS, scored_by=ManagerSource(ScoredBy.MANAGER_RETURN, "tomas-novak.xlsx, emailed from Amara"))
    assert all(p.status is Status.COMPLETE for p in results.people)
    sent = build_reminders(ladder, roster, results, tmp_path, sender=SENDER, due=DUE, today=TODAY,
                           ops=["ops@apex-cloud.example"])
    assert [r.path.name for r in sent] == ["se-ops.eml"]
    ops = _plain(tmp_path / "se-ops.eml")
    assert "8 of 8 complete" in ops and "Every workbook is complete: nobody needs a reminder." in ops
    assert "not used" not in ops


def test_a_review_refused_then_sent_by_the_manager_is_not_said_again(ladder: Ladder, review_roster: Roster,
                                                                     tmp_path: Path) -> None:
    """A review for Tomáš came from elsewhere (not used), then Amara's own, which is used; his workbook is
    still out. He is reminded of his workbook only, and Amara has nothing to do."""
    why = ("this review came from someone@elsewhere.example, not from Amara Okafor's side "
           "(amara.okafor@apex-cloud.example), so its scores for Tomáš Novák were not used")
    refused = Problem("inbox: review-mgr-amara.xlsx", "Tomáš Novák", "", Kind.NOT_FROM_MANAGER, why)
    inputs = _complete(ladder, review_roster)
    del inputs[TOMAS]
    results = _with(results_for(ladder, review_roster, inputs), TOMAS,
                    problems=(refused,), scored_by=ManagerSource(ScoredBy.REVIEW, "review-mgr-amara.xlsx"))
    sent = build_reminders(ladder, review_roster, results, tmp_path, sender=SENDER, due=DUE, today=TODAY,
                           ops=["ops@apex-cloud.example"])
    assert {r.path.name: r.lines for r in sent if r.path.name != "se-ops.eml"} == {
        f"se-{TOMAS}.eml": ("the workbook has not come back yet",)}
    ops = body(read(tmp_path / "se-ops.eml"), "plain")
    assert "Tomáš Novák (not returned; manager Amara Okafor)" in ops and "not used" not in ops


def test_each_manager_is_asked_for_what_their_ses_wait_for(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Amara's returns go to a shared address, Daniel's to his own: each reminder says where, and how many SEs wait."""
    roster = dataclasses.replace(roster, managers=tuple(
        dataclasses.replace(m, return_to="east-returns@apex-cloud.example") if m.id == "mgr-amara" else m
        for m in roster.managers))
    sent = {r.path.stem: r for r in build_reminders(ladder, roster, _open(ladder, roster), tmp_path, sender=SENDER,
                                                    due=DUE, today=TODAY)}
    amara, daniel = read(sent["manager-mgr-amara"].path), read(sent["manager-mgr-daniel"].path)
    assert sent["manager-mgr-amara"].subject == ("2026-Q4 workbooks: 1 SE waiting for your scores, 3 days left "
                                                 "(due Mon 7 Dec)")
    assert sent["manager-mgr-daniel"].subject == ("2026-Q4 workbooks: 2 SEs waiting for your scores, 3 days left "
                                                  "(due Mon 7 Dec)")
    assert (amara["To"], amara["Reply-To"]) == ("Amara Okafor <amara.okafor@apex-cloud.example>",
                                                "east-returns@apex-cloud.example")
    assert (daniel["To"], daniel["Reply-To"]) == ("Daniel Reyes <daniel.reyes@apex-cloud.example>",
                                                  "daniel.reyes@apex-cloud.example")
    assert ("email it to east-returns@apex-cloud.example by Monday 7 December 2026 (3 days left)."
            in _plain(sent["manager-mgr-amara"].path))
    assert ("email it to daniel.reyes@apex-cloud.example (your own address: returns are collected from there) by "
            "Monday 7 December 2026 (3 days left)." in _plain(sent["manager-mgr-daniel"].path))
    aisha = _criteria(ladder, roster, "aisha-haddad")[:2]
    assert sent["manager-mgr-daniel"].lines == (
        f"Marcus Bell: {len(_criteria(ladder, roster, 'marcus-bell'))} criteria to score",
        f"Aisha Haddad: 2 criteria to score: {', '.join(aisha)}")
    # ... and, for context, who of theirs is still at work on their own part (the complete are left out)
    sofia = _criteria(ladder, roster, "sofia-lindqvist")[0]
    metric = next(m.name for m in ladder.metrics_for("senior", "principal"))
    assert _plain(sent["manager-mgr-daniel"].path).split("STILL WITH YOUR SEs ")[1].split(" Thank you")[0] == (
        "(they have had their own reminder; a word from you helps) - Sofia Lindqvist: 1 criterion not self-scored: "
        f"{sofia}; this quarter's actual for {metric}")
    assert "- Kenji Watanabe: the workbook has not come back yet Thank you" in _plain(sent["manager-mgr-amara"].path)
    # the SEs reply to the same addresses
    assert read(sent["se-sofia-lindqvist"].path)["Reply-To"] == "daniel.reyes@apex-cloud.example"
    assert read(sent["se-kenji-watanabe"].path)["Reply-To"] == "east-returns@apex-cloud.example"
    assert "(it goes to east-returns@apex-cloud.example)" in _plain(sent["se-kenji-watanabe"].path)


def test_se_ops_counts_the_reminders_and_lists_what_each_manager_owes(ladder: Ladder, roster: Roster,
                                                                      tmp_path: Path) -> None:
    why = "the manager's scores came from tomas.novak@apex-cloud.example, the SE's own address"
    refused = Problem(f"{TOMAS}.xlsx", "Scorecard", "", Kind.NOT_FROM_MANAGER, why)
    results = _open(ladder, roster)
    results = dataclasses.replace(_with(results, TOMAS, problems=(refused,)), unmatched=(
        Problem("stray.xlsx", "", "", "unmatched", "belongs to nobody on the roster"),
        Problem("old.xlsx", "", "", "older", "an older copy, not used", Severity.NOTE)))
    sent = build_reminders(ladder, roster, results, tmp_path, sender=SENDER, due=DUE, today=TODAY,
                           ops=["ops@apex-cloud.example"])
    assert sorted(r.path.stem for r in sent) == ["manager-mgr-amara", "manager-mgr-daniel", "se-kenji-watanabe",
                                                 "se-ops", "se-sofia-lindqvist", "se-tomas-novak"]
    ops = body(read(tmp_path / "se-ops.eml"), "plain").replace("\r\n", "\n")
    assert "3 days left · due Monday 7 December 2026 · 3 of 8 complete" in ops
    assert "5 of 8 SEs still have something open. Reminders: 3 to SEs, 2 to managers." in ops
    tomas = len(_criteria(ladder, roster, TOMAS))
    assert (f"Tomáš Novák (waiting for the manager's scores; manager Amara Okafor)\n"
            f"  - manager: {tomas} criteria to score; scores not used: {why}\n") in ops
    marcus = len(_criteria(ladder, roster, "marcus-bell"))
    assert f"Marcus Bell (waiting for the manager's scores; manager Daniel Reyes)\n  - manager: {marcus} criteria " \
           "to score\n" in ops
    assert "RETURNS THAT NEED A LOOK\n- stray.xlsx: belongs to nobody on the roster\n\n" in ops
    assert "old.xlsx" not in ops


def test_a_workbook_not_back_is_attached_again_unless_it_was_changed(ladder: Ladder, roster: Roster,
                                                                     tmp_path: Path) -> None:
    inputs = _complete(ladder, roster)
    del inputs["kenji-watanabe"], inputs["marcus-bell"]
    workbooks = _folder(tmp_path / "gen", {p.id: f"{p.id}.xlsx" for p in roster.people}, changed=("marcus-bell",))
    sent = {r.path.stem: r for r in build_reminders(ladder, roster, results_for(ladder, roster, inputs),
                                                    tmp_path / "r", sender=SENDER, due=DUE, today=TODAY,
                                                    workbooks=workbooks)}
    assert sent["se-kenji-watanabe"].lines == ("the workbook has not come back yet",
                                               "attached again: kenji-watanabe.xlsx")
    kenji = read(sent["se-kenji-watanabe"].path)
    assert [(a.get_filename(), a.get_content()) for a in kenji.iter_attachments()] == [
        ("kenji-watanabe.xlsx", b"workbook of kenji-watanabe")]
    assert "has not come back yet. Here it is again, attached (kenji-watanabe.xlsx)." in _plain(
        sent["se-kenji-watanabe"].path)
    # Marcus's copy was changed since it was generated: it may hold his answers, so it is not sent back
    assert sent["se-marcus-bell"].lines == ("the workbook has not come back yet",)
    assert list(read(sent["se-marcus-bell"].path).iter_attachments()) == []
    assert "again" not in _plain(sent["se-marcus-bell"].path)


def test_a_review_not_back_is_attached_again_to_the_managers_reminder(ladder: Ladder, review_roster: Roster,
                                                                      tmp_path: Path) -> None:
    reviews = _folder(tmp_path / "reviews", {m.id: f"review-{m.id}.xlsx" for m in review_roster.managers},
                      changed=("mgr-daniel",))
    sent = {r.path.stem: r for r in build_reminders(ladder, review_roster, _open(ladder, review_roster),
                                                    tmp_path / "r", sender=SENDER, due=DUE, today=TODAY,
                                                    reviews=reviews)}
    amara, daniel = sent["manager-mgr-amara"], sent["manager-mgr-daniel"]
    assert daniel.subject == "2026-Q4 review: 2 SEs waiting for your scores, 3 days left (due Mon 7 Dec)"
    assert amara.lines[-1] == "attached again: review-mgr-amara.xlsx"
    assert [a.get_filename() for a in read(amara.path).iter_attachments()] == ["review-mgr-amara.xlsx"]
    assert "still need your scores in your review workbook, attached again (review-mgr-amara.xlsx):" in _plain(
        amara.path)
    # Daniel's review was changed since it was written (his scores may be in it): not sent back
    assert not [line for line in daniel.lines if line.startswith("attached again")]
    assert "still need your scores in your review workbook: -" in _plain(daniel.path)


def test_after_push_reviews_each_manager_gets_the_link_to_their_review(ladder: Ladder, review_roster: Roster,
                                                                       tmp_path: Path) -> None:
    """Amara's review spreadsheet is shared with her; Daniel's is made but not shared yet: no link for him."""
    state = _sync_state(tmp_path / "state.json", {"mgr-amara": Stage.SHARED, "mgr-daniel": Stage.CREATED})
    url = "https://docs.google.com/spreadsheets/d/review-mgr-amara/edit"
    sent = {r.path.stem: r for r in build_reminders(ladder, review_roster, _open(ladder, review_roster),
                                                    tmp_path / "r", sender=SENDER, due=DUE, today=TODAY,
                                                    reviews=state)}
    amara, daniel = sent["manager-mgr-amara"], sent["manager-mgr-daniel"]
    assert amara.lines[-1] == f"link: {url}"
    assert list(read(amara.path).iter_attachments()) == []
    assert f"still need your scores in your review spreadsheet ({url}):" in _plain(amara.path)
    assert "your scores save as you type, nothing to send." in _plain(amara.path)
    assert not [line for line in daniel.lines if line.startswith(("link", "attached"))]
    assert "still need your scores in your review workbook: -" in _plain(daniel.path)


def test_an_se_the_shared_review_has_no_sheet_for_is_scored_in_their_own_spreadsheet(
        ladder: Ladder, review_roster: Roster, tmp_path: Path) -> None:
    """Amara's review was built before Kenji joined (his workbook is not back, and the state holds no spreadsheet
    of his to link), Daniel's before Aisha did (hers is back, two criteria unscored, her spreadsheet linked): each
    line says where to score them and why; Tomáš and Marcus are scored in the reviews."""
    state = _sync_state(tmp_path / "state.json", {"mgr-amara": Stage.SHARED, "mgr-daniel": Stage.SHARED})
    saved = SyncState.load(state)
    later = {"kenji-watanabe", "aisha-haddad"}
    for manager_id, review in saved.quarter(QUARTER).reviews.items():
        review.sheets_for = [p.id for p in review_roster.people if p.manager == manager_id and p.id not in later]
    saved.quarter(QUARTER).people["aisha-haddad"] = SheetEntry("aisha-haddad", "Aisha Haddad", Stage.SHARED, "aisha")
    saved.save()
    sent = {r.path.stem: r for r in build_reminders(ladder, review_roster, _open(ladder, review_roster),
                                                    tmp_path / "r", sender=SENDER, due=DUE, today=TODAY,
                                                    reviews=state)}
    amara, daniel = sent["manager-mgr-amara"].lines, sent["manager-mgr-daniel"].lines
    n = len(ladder.rubric_for(find_person(review_roster, "kenji-watanabe").target_level).criteria)
    why = "your review was made before they joined the team, so it has no sheet for them"
    assert f"Kenji Watanabe: {n} criteria to score in the Manager column of their own spreadsheet: {why}" in amara
    assert ("Aisha Haddad: 2 criteria to score in the Manager column of their own spreadsheet "
            f"(https://docs.google.com/spreadsheets/d/aisha/edit): {why}") in daniel
    for name, lines in (("Tomáš Novák", amara), ("Marcus Bell", daniel)):
        assert "own spreadsheet" not in next(line for line in lines if line.startswith(f"{name}: "))


def test_managers_scoring_in_the_workbooks_get_no_review_link(ladder: Ladder, roster: Roster,
                                                              tmp_path: Path) -> None:
    state = _sync_state(tmp_path / "state.json", {"mgr-amara": Stage.SHARED, "mgr-daniel": Stage.SHARED})
    sent = build_reminders(ladder, roster, _open(ladder, roster), tmp_path / "r", sender=SENDER, due=DUE,
                           today=TODAY, reviews=state)
    for reminder in (r for r in sent if r.path.stem.startswith("manager-")):
        assert not [line for line in reminder.lines if line.startswith("link")]
        assert "docs.google.com" not in _plain(reminder.path) and "in the Manager column" in _plain(reminder.path)


DANA, GRACE, SOFIA, PRIYA = ("dana.ross@apex-cloud.example", "grace.liu@apex-cloud.example",
                             "sofia.lindqvist@apex-cloud.example", "priya.raman@apex-cloud.example")
PAST_DROPDOWN = "Leticia Moreno: 4 is not a rating (0 to 3)"
DELETED = "the sheet for Leticia Moreno was deleted"


def _raters(results: Results) -> Results:
    """Dana's peer workbook not back; Grace's back with two mistakes (one said twice) and a note; Sofia's
    complete; Priya's back with only a note, still incomplete."""
    def problem(message: str, severity: Severity = Severity.ERROR) -> Problem:
        return Problem("peer-grace.liu@apex-cloud.example.xlsx", "Leticia Moreno", "C5", "invalid_value", message,
                       severity)
    return dataclasses.replace(results, raters=(
        RaterResult(DANA, "Dana Ross", Status.MISSING, rates=("leticia-moreno", TOMAS)),
        RaterResult(GRACE, "Grace Liu", Status.INVALID, "peer-grace.liu@apex-cloud.example.xlsx", ("leticia-moreno",),
                    (problem(PAST_DROPDOWN), problem(DELETED), problem(PAST_DROPDOWN),
                     problem("an older copy was not used", Severity.NOTE))),
        RaterResult(SOFIA, "Sofia Lindqvist", Status.COMPLETE, "peer-sofia.xlsx", ("leticia-moreno",)),
        RaterResult(PRIYA, "Priya Raman", Status.INCOMPLETE, "peer-priya.xlsx", (TOMAS,),
                    (problem("an older copy was not used", Severity.NOTE),))))


def test_each_rater_whose_peer_workbook_is_not_in_is_reminded_and_listed(ladder: Ladder, review_roster: Roster,
                                                                         tmp_path: Path) -> None:
    peers = _folder(tmp_path / "peers", {k: f"peer-{k}.xlsx" for k in (DANA, GRACE, SOFIA, PRIYA)},
                    changed=(GRACE,))
    results = _raters(results_for(ladder, review_roster, _complete(ladder, review_roster)))
    assert not build_reminders(ladder, review_roster, results, tmp_path / "none", sender=SENDER, due=DUE, today=TODAY)
    sent = {r.path.stem: r for r in build_reminders(ladder, review_roster, results, tmp_path / "r", sender=SENDER,
                                                    due=DUE, today=TODAY, ops=["ops@apex-cloud.example"],
                                                    peers=peers)}
    dana, grace, priya = (sent[f"rater-{k.replace('@', '-')}"] for k in (DANA, GRACE, PRIYA))
    assert sorted(sent) == sorted(["se-ops", dana.path.stem, grace.path.stem, priya.path.stem])  # not Sofia
    assert dana.subject == "Reminder: your input on Leticia and Tomáš (2026-Q4), 3 days left (due Mon 7 Dec)"
    assert grace.subject == "Reminder: your input on Leticia (2026-Q4), 3 days left (due Mon 7 Dec)"
    message = read(dana.path)
    assert (message["To"], message["Reply-To"]) == ("Dana Ross <dana.ross@apex-cloud.example>", SENDER)
    assert [(a.get_filename(), a.get_content()) for a in message.iter_attachments()] == [
        (f"peer-{DANA}.xlsx", f"workbook of {DANA}".encode())]
    assert dana.lines == ("your peer workbook has not come back yet", f"attached again: peer-{DANA}.xlsx")
    assert ("Hi Dana, A friendly reminder: your input on Leticia Moreno and Tomáš Novák for 2026-Q4 has not come back "
            f"yet. It takes about ten minutes: a rating of what you have seen with customers, and one question. Here "
            f"is the workbook again, attached (peer-{DANA}.xlsx). Please send it by Monday 7 December 2026 (3 days "
            "left) from your own address (dana.ross@apex-cloud.example): reply to this email with the workbook "
            "attached (it goes to se-ops@apex-cloud.example).") in _plain(dana.path)
    # Grace's came back with mistakes, each said once; hers was changed since it was written: not attached again
    assert grace.lines == (PAST_DROPDOWN, DELETED)
    assert list(read(grace.path).iter_attachments()) == []
    assert (f"Hi Grace, Thank you for sending your peer workbook back. It could not be used as it is: - "
            f"{PAST_DROPDOWN} - {DELETED} Please send it by") in _plain(grace.path)
    assert priya.lines == ("your peer workbook is not complete", f"attached again: peer-{PRIYA}.xlsx")
    # Dana's copy changed since it was written: her reminder comes without it, and says nothing of one
    peers = _folder(tmp_path / "peers-changed", {DANA: f"peer-{DANA}.xlsx"}, changed=(DANA,))
    (dana,) = [r for r in build_reminders(ladder, review_roster, results, tmp_path / "r2", sender=SENDER, due=DUE,
                                          today=TODAY, peers=peers) if r.path.stem == dana.path.stem]
    assert dana.lines == ("your peer workbook has not come back yet",)
    assert list(read(dana.path).iter_attachments()) == [] and "again" not in _plain(dana.path)
    ops = body(read(sent["se-ops"].path), "plain").replace("\r\n", "\n")
    assert (f"PEER WORKBOOKS OUTSTANDING (3)\n- Dana Ross: your peer workbook has not come back yet\n- Grace Liu: "
            f"{PAST_DROPDOWN}; {DELETED}\n- Priya Raman: your peer workbook is not complete\n") in ops
    assert "Every workbook is complete" in ops  # the SEs' own part: nobody else is reminded


def test_remind_reads_the_ladder_team_and_folders_it_is_given(ladder: Ladder, review_roster: Roster,
                                                              team_path: Path, tmp_path: Path) -> None:
    """``write_reminders`` as ``ladder-sheets remind`` calls it: the due date of the pushed reviews (before the
    workbooks' own), an edited ladder's words, each folder's copies and links."""
    renamed = ("Independently handles hostile technical Q&A", "Takes hostile technical Q&A alone")
    inputs = _complete(ladder, review_roster)
    tomas = inputs[TOMAS]
    assert tomas is not None and _criteria(ladder, review_roster, TOMAS)[0] == renamed[0]
    first = next(iter(tomas.criteria))
    inputs[TOMAS] = dataclasses.replace(tomas, criteria={**tomas.criteria, first: dataclasses.replace(
        tomas.criteria[first], self_score=None, manager_score=None)})
    del inputs["kenji-watanabe"]
    write_results(_raters(results_for(ladder, review_roster, inputs)), tmp_path / "results.json")
    workbooks = _folder(tmp_path / "gen", {p.id: f"{p.id}.xlsx" for p in review_roster.people}, due="2026-12-07")
    state = _sync_state(tmp_path / "state.json", {"mgr-amara": Stage.SHARED}, due="2026-12-09")
    peers = _folder(tmp_path / "peers", {DANA: f"peer-{DANA}.xlsx"}, due="2026-12-07")
    sent = {r.path.stem: r for r in write_reminders(
        tmp_path / "results.json", edited_ladder(tmp_path, renamed), team_path, tmp_path / "r", sender=SENDER,
        today=TODAY, workbooks=workbooks, reviews=state, peers=peers)}
    assert sorted(sent) == ["manager-mgr-amara", f"rater-{DANA.replace('@', '-')}", "rater-grace.liu-apex-cloud.example",
                            f"rater-{PRIYA.replace('@', '-')}", "se-kenji-watanabe", "se-ops", f"se-{TOMAS}"]
    assert all(r.subject.endswith("(due Wed 9 Dec)") for r in sent.values())
    assert sent[f"se-{TOMAS}"].lines == (f"1 criterion not self-scored: {renamed[1]}",)
    assert sent["manager-mgr-amara"].lines == (
        f"Tomáš Novák: 1 criterion to score: {renamed[1]}",
        "Kenji Watanabe: 10 criteria to score (their workbook is not back yet: their sheet shows no evidence)",
        "link: https://docs.google.com/spreadsheets/d/review-mgr-amara/edit")
    assert sent["se-kenji-watanabe"].lines[-1] == "attached again: kenji-watanabe.xlsx"
    assert sent[f"rater-{DANA.replace('@', '-')}"].lines[-1] == f"attached again: peer-{DANA}.xlsx"
    assert sent["se-ops"].to == (SENDER,)  # no --ops: the overview goes to the sender


def test_ses_who_left_the_roster_are_still_reminded_and_return_to_their_manager(ladder: Ladder, roster: Roster,
                                                                                tmp_path: Path) -> None:
    """Daniel's team moved out of the roster after collect: his SEs and he are reminded from the results, and
    returns go to Daniel's own address (the roster no longer says otherwise)."""
    results = _open(ladder, roster)
    amaras = dataclasses.replace(roster, managers=roster.managers[:1], return_to="se-ops@apex-cloud.example",
                                 people=tuple(p for p in roster.people if p.manager == "mgr-amara"))
    sent = {r.path.stem: r for r in build_reminders(ladder, amaras, results, tmp_path, sender=SENDER, due=DUE,
                                                    today=TODAY)}
    assert read(sent["se-sofia-lindqvist"].path)["Reply-To"] == "daniel.reyes@apex-cloud.example"
    assert "(it goes to daniel.reyes@apex-cloud.example)" in _plain(sent["se-sofia-lindqvist"].path)
    assert read(sent["manager-mgr-daniel"].path)["Reply-To"] == "daniel.reyes@apex-cloud.example"
    assert "email it to daniel.reyes@apex-cloud.example (your own address" in _plain(sent["manager-mgr-daniel"].path)
    assert read(sent["se-kenji-watanabe"].path)["Reply-To"] == "se-ops@apex-cloud.example"  # still on the roster


def test_a_manager_whose_first_se_left_the_roster_still_gets_their_return_address(ladder: Ladder, roster: Roster,
                                                                                   tmp_path: Path) -> None:
    """Leticia, first of Amara's SEs in the results, has left the roster: Amara's returns still go where the
    roster says, not to her own address."""
    roster = dataclasses.replace(roster, managers=tuple(
        dataclasses.replace(m, return_to="east-returns@apex-cloud.example") if m.id == "mgr-amara" else m
        for m in roster.managers))
    results = _open(ladder, roster)
    assert results.people[0].person.id == "leticia-moreno"
    left = dataclasses.replace(roster, people=roster.people[1:])
    sent = {r.path.stem: r for r in build_reminders(ladder, left, results, tmp_path, sender=SENDER, due=DUE,
                                                    today=TODAY)}
    assert read(sent["manager-mgr-amara"].path)["Reply-To"] == "east-returns@apex-cloud.example"
    assert "email it to east-returns@apex-cloud.example by" in _plain(sent["manager-mgr-amara"].path)


def test_a_manager_of_one_se_is_reminded_of_that_se(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    small = dataclasses.replace(roster, people=tuple(p for p in roster.people if p.id in (TOMAS, "marcus-bell")))
    inputs: dict[str, Inputs | None] = {TOMAS: inputs_for(ladder, "senior", 2, None)}
    sent = build_reminders(ladder, small, results_for(ladder, small, inputs), tmp_path, sender=SENDER, due=DUE,
                           today=TODAY)
    (amara,) = [r for r in sent if r.path.stem == "manager-mgr-amara"]
    assert amara.subject.startswith("2026-Q4 workbooks: 1 SE waiting for your scores")
    assert amara.lines == (f"Tomáš Novák: {len(_criteria(ladder, small, TOMAS))} criteria to score",)
    assert _plain(amara.path).startswith("Hi Amara,")


def test_a_review_refused_for_an_se_whose_workbook_is_out_is_said_to_the_manager_and_se_ops(
        ladder: Ladder, review_roster: Roster, tmp_path: Path) -> None:
    why = ("this review came from someone@elsewhere.example, not from Amara Okafor's side "
           "(amara.okafor@apex-cloud.example), so its scores for Tomáš Novák were not used")
    refused = Problem("inbox: review-mgr-amara.xlsx", "Tomáš Novák", "", Kind.NOT_FROM_MANAGER, why)
    inputs = _complete(ladder, review_roster)
    del inputs[TOMAS]
    results = _with(results_for(ladder, review_roster, inputs), TOMAS, problems=(refused,))
    sent = {r.path.stem: r for r in build_reminders(ladder, review_roster, results, tmp_path, sender=SENDER, due=DUE,
                                                    today=TODAY, ops=["ops@apex-cloud.example"])}
    count = len(_criteria(ladder, review_roster, TOMAS))
    assert sent["manager-mgr-amara"].lines == (
        f"Tomáš Novák: {count} criteria to score (their workbook is not back yet: their sheet shows no evidence); "
        f"not used: {why}",)
    assert sent[f"se-{TOMAS}"].lines == ("the workbook has not come back yet", f"your manager's scores: {why}")
    ops = body(read(sent["se-ops"].path), "plain").replace("\r\n", "\n")
    assert (f"Tomáš Novák (not returned; manager Amara Okafor)\n  - the workbook has not come back yet\n"
            f"  - manager: scores not used: {why}\n") in ops
