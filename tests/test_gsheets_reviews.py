"""The managers' round on Google Sheets: ``push --reviews`` and ``pull``, with gspread's real client against
the local stand-in (setup 1 of the README: SE Ops signs in with OAuth and pushes into their own folder)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from gspread.exceptions import APIError

from ladder_sheets.core import layout
from ladder_sheets.core.landmarks import letters
from ladder_sheets.core.model import Ladder, Manager, ManagerScores, Person, Roster
from ladder_sheets.core.results import Kind, Results, ScoredBy, Severity, Status
from ladder_sheets.google.pull import pull
from ladder_sheets.google.push import PushOptions, PushReport, push
from ladder_sheets.google.push_reviews import push_reviews
from ladder_sheets.google.sync_state import Stage, SyncState
from ladder_sheets.workflows.review import build_reviews, review_layouts, review_path
from ladder_sheets.xlsx.collect import collect
from ladder_sheets.xlsx.fill import fill
from ladder_sheets.xlsx.generate import generate, workbook_path
from ladder_sheets.google import client as gsheets
from ladder_sheets.workflows.handout import build_review_handout
from ladder_sheets.workflows.outbox import due_long
from ladder_sheets.workflows.results_file import write_results
from ladder_sheets.workflows.remind import build_reminders
from tests.support.cli import run_main
from tests.support.emails import body, read
from tests.support.fill import random_inputs
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import DUE, OPS, Q, as_person, service, type_all, type_into
from ladder_sheets.core.review_layout import sheet_titles
from tests.support.reviews import fill_review, review_layout, scored
from tests.support.screens import widest

pytestmark = pytest.mark.network
AMARA = "mgr-amara"
SENDER = "SE Operations <se-ops@apex-cloud.example>"


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _team(roster: Roster, manager_id: str) -> list[Person]:
    return [p for p in roster.people if p.manager == manager_id]


def _manager(roster: Roster, manager_id: str) -> Manager:
    return next(m for m in roster.managers if m.id == manager_id)


def _self_values(ladder: Ladder, person: Person, seed: int) -> dict[str, Any]:
    """What the SE types: every input of theirs (random), none of the manager's."""
    _, values = random_inputs(ladder, ladder.rubric_for(person.target_level), random.Random(seed), level=person.level)
    return {k: v for k, v in values.items() if not k.endswith((".manager", ".comment"))}


class Round:
    """SE Ops pushed the SEs' spreadsheets, Amara's SEs typed theirs, and the first pull is in."""

    def __init__(self, api: GoogleStandIn, ladder: Ladder, roster: Roster, tmp: Path) -> None:
        self.api, self.ladder, self.roster, self.tmp = api, ladder, roster, tmp
        self.folder = api.create_folder("Presales 2026-Q4", owner=OPS)
        self.state_path = tmp / "state.json"
        assert not push(ladder, roster, Q, self.folder, SyncState(self.state_path), self.ops(), due=DUE).failed
        self.typed = {p.id: _self_values(ladder, p, i) for i, p in enumerate(_team(roster, AMARA))}
        people = SyncState.load(self.state_path).quarter(Q).people
        for p in _team(roster, AMARA):
            at = layout.build(ladder, roster, p, Q, DUE).by_key()
            type_all(as_person(api, p.email), people[p.id].spreadsheet_id,
                     {(at[k][0].title, at[k][1].ref): v for k, v in self.typed[p.id].items()})
        self.first = self.pull()

    def ops(self) -> Any:
        return service(self.api, self.api.user_credentials(OPS))[0]

    def pull(self) -> Results:
        return pull(self.ladder, self.roster, Q, SyncState.load(self.state_path), self.ops())

    def push_reviews(self, roster: Roster | None = None, **options: Any) -> PushReport:
        _, layouts = review_layouts(self.ladder, roster or self.roster, self.first, blind=False, due=DUE, db=None)
        return push_reviews(self.ladder, Q, layouts, "", SyncState.load(self.state_path), self.ops(),
                            PushOptions(DUE, **options))

    def review_id(self, manager_id: str) -> str:
        return SyncState.load(self.state_path).quarter(Q).reviews[manager_id].spreadsheet_id


@pytest.fixture
def pushed(api: GoogleStandIn, ladder: Ladder, review_roster: Roster, tmp_path: Path) -> Round:
    return Round(api, ladder, review_roster, tmp_path)


def _scores(ladder: Ladder, team: list[Person]) -> dict[str, Any]:
    """Amara's scores in her review: every criterion, a different pattern per SE."""
    values: dict[str, Any] = {}
    for i, p in enumerate(team):
        n = len(ladder.rubric_for(p.target_level).criteria)
        values |= scored(ladder, p, [(i + j) % 4 for j in range(n)], recommendation=("Promote now", "Not yet")[i % 2])
    return values


def test_the_manager_scores_in_their_review_spreadsheet_and_pull_gives_collect_s_numbers(
        pushed: Round, ladder: Ladder, review_roster: Roster, tmp_path: Path) -> None:
    report = pushed.push_reviews()
    assert sorted(report.created) == sorted(m.id for m in review_roster.managers) and not report.failed
    amara, team = _manager(review_roster, AMARA), _team(review_roster, AMARA)
    values = _scores(ladder, team)
    at = review_layout(ladder, review_roster, amara, Q, DUE).by_key()
    type_all(as_person(pushed.api, amara.email), pushed.review_id(AMARA),
             {(at[k][0].title, at[k][1].ref): v for k, v in values.items()})
    from_google = pushed.pull()
    # The same quarter in files: self-only returns, Amara's review workbook filled with the same scores.
    generate(ladder, review_roster, Q, tmp_path / "gen", due=DUE, jobs=1)
    returns = tmp_path / "returns"
    returns.mkdir()
    for p in team:
        wl = layout.build(ladder, review_roster, p, Q, DUE)
        (returns / f"{p.id}.xlsx").write_bytes(fill(workbook_path(tmp_path / "gen" / Q, p).read_bytes(), wl,
                                                    pushed.typed[p.id]))
    build_reviews(ladder, review_roster, pushed.first, tmp_path / "reviews", due=DUE)
    wl = review_layout(ladder, review_roster, amara, Q, DUE)
    review = fill_review(review_path(tmp_path / "reviews", AMARA), wl, values, returns / "review-mgr-amara.xlsx")
    from_files = collect([returns], ladder, review_roster, Q, jobs=1)
    for p in team:
        google = next(r for r in from_google.people if r.person.id == p.id)
        files = next(r for r in from_files.people if r.person.id == p.id)
        assert google.status is Status.COMPLETE, google.problems
        assert (google.inputs, google.scores, google.recommendation, google.why) == (
            files.inputs, files.scores, files.recommendation, files.why)
        assert google.scores is not None and google.scores.manager_pct is not None
        assert google.scored_by.kind is ScoredBy.REVIEW and files.scored_by.detail == str(review)
        assert google.scored_by.detail == f"https://docs.google.com/spreadsheets/d/{pushed.review_id(AMARA)}/edit"
    assert from_google.unmatched == ()


def test_a_review_is_shared_with_its_manager_only_and_only_their_cells_are_editable(
        pushed: Round, ladder: Ladder, review_roster: Roster) -> None:
    pushed.push_reviews(notify=True, message="Your Q4 review")
    amara, team = _manager(review_roster, AMARA), _team(review_roster, AMARA)
    sid = pushed.review_id(AMARA)
    assert {(p.email, p.role, p.notified) for p in pushed.api.permissions(sid)} == {(amara.email, "writer", True)}
    assert (pushed.api.file(sid).owner, pushed.api.file(sid).parents) == (OPS, (pushed.folder,))
    wl = review_layout(ladder, review_roster, amara, Q, DUE)
    sheet, score = wl.by_key()[f"review.{team[0].id}.criteria.{ladder.rubric_for(team[0].target_level).criteria[0].id}"
                               ".manager"]
    with pytest.raises(APIError) as not_shared:  # the SE cannot even open it
        type_into(as_person(pushed.api, team[0].email), sid, sheet.title, score.ref, 3)
    assert not_shared.value.code == 403
    with pytest.raises(APIError, match="protected cell"):  # the manager types only into their cells
        type_into(as_person(pushed.api, amara.email), sid, sheet.title, "C3", "someone-else")
    type_into(as_person(pushed.api, amara.email), sid, sheet.title, score.ref, 3)
    others = [m for m in review_roster.managers if m.id != AMARA]
    for m in others:  # another manager sees no review but their own
        assert amara.email not in {p.email for p in pushed.api.permissions(pushed.review_id(m.id))}


def test_a_rerun_creates_nothing_and_rebuilds_nothing(pushed: Round, review_roster: Roster) -> None:
    first = pushed.push_reviews()
    ids = {m.id: pushed.review_id(m.id) for m in review_roster.managers}
    pushed.api.reset_counts()
    again = pushed.push_reviews()
    assert sorted(again.up_to_date) == sorted(first.created) and not (again.created or again.resumed or again.failed)
    assert pushed.api.request_count("POST") == 0 and pushed.api.request_count("PATCH") == 0
    assert {m.id: pushed.review_id(m.id) for m in review_roster.managers} == ids
    titles = [f.name for f in pushed.api.files(parent=pushed.folder) if "manager review" in f.name]
    assert len(titles) == len(review_roster.managers) == len(set(titles))


def test_a_manager_who_cannot_be_shared_with_leaves_the_others_shared(pushed: Round,
                                                                      review_roster: Roster) -> None:
    amara = _manager(review_roster, AMARA)
    elsewhere = "amara@partner.example"
    team = replace(review_roster, managers=tuple(replace(m, email=elsewhere) if m.id == AMARA else m
                                                 for m in review_roster.managers))
    pushed.api.realism.no_google_account.add(elsewhere)
    report = pushed.push_reviews(team)
    fix = f"{elsewhere} has no Google account: put their Google address in the roster"
    assert report.failed == [(AMARA, f"not shared with the manager: {fix}")] and not report.not_attempted
    saved = SyncState.load(pushed.state_path).quarter(Q).reviews
    assert saved[AMARA].stage is Stage.BUILT and saved[AMARA].refused == {"manager": fix}
    assert all(e.stage is Stage.SHARED for mid, e in saved.items() if mid != AMARA)
    assert pushed.api.permissions(saved[AMARA].spreadsheet_id) == []  # nobody but its owner
    pushed.api.reset_counts()
    again = pushed.push_reviews()  # the roster has her Google address again
    assert again.failed == [] and again.resumed == [AMARA] and not again.created
    assert pushed.api.request_count("POST") == 1  # the one share: nothing created, nothing rebuilt
    assert amara.email in {p.email for p in pushed.api.permissions(saved[AMARA].spreadsheet_id)}
    assert not SyncState.load(pushed.state_path).quarter(Q).reviews[AMARA].refused


def test_pull_flags_an_se_let_into_the_manager_s_review_cells(pushed: Round, review_roster: Roster) -> None:
    pushed.push_reviews()
    amara, person = _manager(review_roster, AMARA), _team(review_roster, AMARA)[0]
    sid = pushed.review_id(AMARA)
    title = sheet_titles(_team(review_roster, AMARA))[person.id]
    guarded = next(p for p in pushed.api.protected_ranges(sid, title) if "manager inputs" in p["description"])
    as_person(pushed.api, amara.email).batch_update(sid, [{"updateProtectedRange": {"protectedRange": {
        "protectedRangeId": guarded["protectedRangeId"], "editors": {"users": [OPS, amara.email, person.email]}},
        "fields": "editors"}}])
    result = next(r for r in pushed.pull().people if r.person.id == person.id)
    g = guarded["range"]
    ref = f"{letters(g['startColumnIndex'])}{g['startRowIndex'] + 1}:{letters(g['endColumnIndex'] - 1)}{g['endRowIndex']}"
    assert [p.message for p in result.problems if p.kind == Kind.TAMPERED and p.sheet == title] == [
        f"the manager's cells {ref} may also be edited by {person.email}: only the manager should"]
    assert result.scored_by.kind is ScoredBy.NONE  # nothing scored yet: flagged all the same


def test_pull_names_whoever_else_can_open_a_managers_review(pushed: Round, review_roster: Roster) -> None:
    """A review holds the manager's scores of their whole team. Shared by mistake with one of their SEs (in My Drive
    only the owner can share it: the manager cannot re-share), and open to anyone with the link, it is named once as
    the review's own problem, beside the SEs' results, which still count."""
    pushed.push_reviews()
    assert not [p for p in pushed.pull().unmatched if "can also be opened" in p.message]  # as pushed: the manager's
    amara, person = _manager(review_roster, AMARA), _team(review_roster, AMARA)[0]
    sid = pushed.review_id(AMARA)
    browser = as_person(pushed.api, OPS)
    browser.share(sid, person.email.upper(), notify=False)  # Drive keeps addresses as typed: compared in lower case
    browser.http.send("post", f"{gsheets.DRIVE_FILES}/{sid}/permissions", frozenset(),
                      params={"supportsAllDrives": True}, json={"type": "anyone", "role": "reader"})
    pulled = pushed.pull()
    assert [(p.file, p.kind, p.message) for p in pulled.unmatched if p.file.endswith(f"/d/{sid}/edit")] == [
        (f"https://docs.google.com/spreadsheets/d/{sid}/edit", Kind.TAMPERED,
         f"{amara.name}'s review can also be opened by anyone with the link, {person.email.lower()}: it holds "
         "their scores of every SE on their team, for their eyes only; take the others off under Share, on the "
         "review or on its folder")]
    assert next(r for r in pulled.people if r.person.id == person.id).status is Status.INCOMPLETE  # read as before


def test_a_review_whose_sharing_cannot_be_read_is_still_read(pushed: Round, review_roster: Roster) -> None:
    """Drive refusing to list who can open the review costs a note on the review, not Amara's scores."""
    pushed.push_reviews()
    amara, person = _manager(review_roster, AMARA), _team(review_roster, AMARA)[0]
    at = review_layout(pushed.ladder, review_roster, amara, Q, DUE).by_key()
    values = _scores(pushed.ladder, [person])
    type_all(as_person(pushed.api, amara.email), pushed.review_id(AMARA),
             {(at[k][0].title, at[k][1].ref): v for k, v in values.items()})
    sid = pushed.review_id(AMARA)
    pushed.api.inject_faults(404, times=1, match=f"/files/{sid}/permissions")
    pulled = pushed.pull()
    (note,) = [p for p in pulled.unmatched if p.file.endswith(f"/d/{sid}/edit")]
    assert (note.kind, note.severity) == (Kind.UNREADABLE, Severity.NOTE)
    assert note.message.startswith(f"{amara.name}'s review: could not read who can open it (") and \
        note.message.endswith("); its scores were read")
    assert next(r for r in pulled.people if r.person.id == person.id).scored_by.kind is ScoredBy.REVIEW


def test_a_review_is_open_to_whoever_its_folder_is_shared_with(pushed: Round, review_roster: Roster) -> None:
    """Drive lists what a file inherits from its folders among its permissions: a colleague given the quarter's
    folder can open every review in it, and is named on each."""
    pushed.push_reviews()
    sid = pushed.review_id(AMARA)
    assert pushed.folder in pushed.api.file(sid).parents
    pushed.api.share(pushed.folder, "colleague@apex.example", "reader")
    named = [p.message for p in pushed.pull().unmatched if p.file.endswith(f"/d/{sid}/edit")]
    assert named == [f"{_manager(review_roster, AMARA).name}'s review can also be opened by colleague@apex.example: "
                     "it holds their scores of every SE on their team, for their eyes only; take the others off "
                     "under Share, on the review or on its folder"]


def _joined_later(pushed: Round, roster: Roster) -> Person:
    """Amara's review pushed and shared before her last SE joined the team: that SE, who has no sheet in it."""
    newcomer = _team(roster, AMARA)[-1]
    pushed.push_reviews(replace(roster, people=tuple(p for p in roster.people if p.id != newcomer.id)))
    return newcomer


def test_push_names_an_se_who_joined_after_the_review_was_shared(pushed: Round, review_roster: Roster) -> None:
    """A review shared already is never rebuilt (it may hold scores): push says whom that leaves out, and where
    Amara scores them. It records whom each review was built for; a review pushed before it did is not judged."""
    newcomer = _joined_later(pushed, review_roster)
    again = pushed.push_reviews()
    assert AMARA in again.up_to_date  # shared already: left as it is
    assert again.warnings == [(AMARA, f"review shared already, so not rebuilt (it may hold scores): it has no sheet "
                                      f"for {newcomer.name}, who joined the team after it was pushed; Amara Okafor "
                                      "can score them in the Manager column of their own spreadsheet")]
    saved = json.loads(pushed.state_path.read_text(encoding="utf-8"))["quarters"][Q]
    assert saved["reviews"][AMARA]["sheets_for"] == [p.id for p in _team(review_roster, AMARA)[:-1]]
    assert all("sheets_for" not in e for e in saved["people"].values())  # SE entries: nothing to record
    state = SyncState.load(pushed.state_path)
    state.quarter(Q).reviews[AMARA].sheets_for = []  # pushed by a version that did not record it: not known
    state.save()
    assert pushed.push_reviews().warnings == []


def test_pull_names_the_se_and_reads_their_own_spreadsheets_manager_scores(pushed: Round, ladder: Ladder,
                                                                           review_roster: Roster) -> None:
    """pull says the review has no sheet for the SE who joined later, and where Amara can score them instead: the
    Manager column of their own spreadsheet, which pull then reads as hers."""
    newcomer = _joined_later(pushed, review_roster)
    sid = pushed.review_id(AMARA)
    assert [p.message for p in pushed.pull().unmatched if p.file.endswith(f"/d/{sid}/edit")] == [
        f"Amara Okafor's review has no sheet for {newcomer.name} (deleted, or the review was made before they "
        f"joined the team), so they cannot be scored there: Amara Okafor can score them in the Manager column of "
        f"{newcomer.name}'s own Scorecard"]
    at = layout.build(ladder, review_roster, newcomer, Q, DUE, manager_scores=ManagerScores.IN_WORKBOOK).by_key()
    scores = {k: i % 4 for i, k in enumerate(k for k in at if k.startswith("criteria.") and k.endswith(".manager"))}
    own = SyncState.load(pushed.state_path).quarter(Q).people[newcomer.id].spreadsheet_id
    type_all(as_person(pushed.api, _manager(review_roster, AMARA).email), own,
             {(at[k][0].title, at[k][1].ref): v for k, v in scores.items()})
    got = next(r for r in pushed.pull().people if r.person.id == newcomer.id)
    assert got.scored_by.kind is ScoredBy.GOOGLE and got.scores is not None and got.scores.manager_pct is not None
    assert got.inputs is not None and {f"criteria.{c}.manager": v.manager_score
                                       for c, v in got.inputs.criteria.items()} == scores


def test_the_managers_handout_and_reminder_link_the_newcomers_own_spreadsheet(pushed: Round, ladder: Ladder,
                                                                              review_roster: Roster) -> None:
    """Amara's reminder and review hand-out list the SE who joined later apart from the review's SEs, with a link
    to their own spreadsheet; the link wraps on a phone."""
    newcomer = _joined_later(pushed, review_roster)
    theirs = SyncState.load(pushed.state_path).quarter(Q).people[newcomer.id].url
    sent = build_reminders(ladder, review_roster, pushed.first, pushed.tmp / "r", sender=SENDER, due=DUE, today=DUE,
                           reviews=pushed.state_path)
    reminder = next(r for r in sent if r.path.stem == "manager-mgr-amara")
    n = len(ladder.rubric_for(newcomer.target_level).criteria)
    assert f"{newcomer.name}: {n} criteria to score in the Manager column of their own spreadsheet ({theirs}): your " \
           "review was made before they joined the team, so it has no sheet for them" in reminder.lines
    others = [line for line in reminder.lines if not line.startswith((newcomer.name, "link:"))]
    assert others and not any("own spreadsheet" in line for line in others)  # the others are scored in the review
    assert widest(body(read(reminder.path), "html"), 400, pushed.tmp) <= 400
    (handout,) = [p for p in build_review_handout(ladder, review_roster, Q, pushed.state_path, pushed.tmp / "h",
                                                  sender=SENDER) if p.stem == "manager-mgr-amara"]
    text = body(read(handout), "plain").replace("\r\n", "\n")
    listed, outside = text.split("YOUR SEs IN IT\n")[1].split("NOT IN IT: THEY JOINED AFTER IT WAS MADE\n")
    assert newcomer.name not in listed and all(p.name in listed for p in _team(review_roster, AMARA)[:-1])
    assert f"- {newcomer.name}: {theirs}\n" in outside
    html = body(read(handout), "html")
    assert f'href="{theirs}"' in html and widest(html, 400, pushed.tmp) <= 400


def test_who_can_open_a_file_is_read_to_the_last_page(pushed: Round, review_roster: Roster) -> None:
    """Drive lists a shared drive file's permissions 100 a page (the stand-in every file's): all pages count."""
    pushed.push_reviews()
    sid = pushed.review_id(AMARA)
    for i in range(100):
        pushed.api.share(sid, f"reader{i:03d}@apex-cloud.example", "reader")
    seen = as_person(pushed.api, OPS).permissions(sid)
    assert len(seen) == 102 and seen["reader099@apex-cloud.example"] == "reader"  # the owner, Amara, the 100
    assert seen[_manager(review_roster, AMARA).email.lower()] == "writer"


def test_handout_and_reminders_link_the_review_spreadsheet(pushed: Round, ladder: Ladder, review_roster: Roster,
                                                          team_path: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    pushed.push_reviews()
    url = f"https://docs.google.com/spreadsheets/d/{pushed.review_id(AMARA)}/edit"
    code, out, err = run_main(monkeypatch, capsys, "handout", "--team", team_path, "--quarter", Q, "--reviews",
                              pushed.state_path, "--out", tmp_path / "h", "--from", SENDER)
    assert (code, err) == (0, "") and out.splitlines()[-1].startswith("2 hand-out email(s) written")
    msg = read(tmp_path / "h" / "manager-mgr-amara.eml")
    assert not list(msg.iter_attachments()) and msg["Subject"].startswith("Your 2026-Q4 manager review: please complete")
    text = body(msg, "plain").replace("\r\n", "\n")
    assert f"ready in Google Sheets, shared with you only:\n{url}\n" in text
    assert f"PLEASE COMPLETE IT BY {due_long(DUE).upper()}" in text and "attached" not in text
    assert f'href="{url}"' in body(msg, "html")
    sent = build_reminders(ladder, review_roster, pushed.first, tmp_path / "r", sender=SENDER, due=DUE,
                           today=DUE, reviews=pushed.state_path)
    amara = next(r for r in sent if r.path.stem == "manager-mgr-amara")
    assert amara.lines[-1] == f"link: {url}" and not any(line.startswith("attached") for line in amara.lines)
    reminder = body(read(amara.path), "plain").replace("\r\n", "\n")
    assert f"in your review spreadsheet ({url})" in reminder and "nothing to send" in reminder


def test_handout_names_a_manager_whose_review_is_not_shared_yet(pushed: Round, review_roster: Roster,
                                                               team_path: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = "amara@partner.example"
    pushed.api.realism.no_google_account.add(elsewhere)
    pushed.push_reviews(replace(review_roster, managers=tuple(replace(m, email=elsewhere) if m.id == AMARA else m
                                                              for m in review_roster.managers)))
    code, _, err = run_main(monkeypatch, capsys, "handout", "--team", team_path, "--quarter", Q, "--reviews",
                            pushed.state_path, "--out", tmp_path / "h")
    assert code != 0 and "mgr-amara: no review spreadsheet shared with them in the sync state (run or resume " \
                          "`ladder-sheets push --reviews` first)" in err
    assert not (tmp_path / "h").exists()


def test_cli_push_reviews_dry_run_then_push_then_a_rerun(pushed: Round, ladder: Ladder, review_roster: Roster,
                                                         team_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(pushed.first, tmp_path / "results.json")
    args = ("push", "--reviews", results, "--team", team_path, "--quarter", Q, "--state", pushed.state_path,
            "--db", tmp_path / "none.sqlite3")
    pushed.api.reset_counts()
    code, out, err = run_main(monkeypatch, capsys, *args, "--dry-run")
    amara = _manager(review_roster, AMARA)
    assert (code, err) == (0, "") and pushed.api.requests == []
    assert f"{AMARA}: would create '{Q} {ladder.name}: manager review, {amara.name} ({AMARA})' and share it with " \
           f"{amara.email} (manager) only, as writer" in out.splitlines()
    monkeypatch.setattr(gsheets, "connect", lambda path, per_minute, impersonate, scope: pushed.ops())
    code, out, err = run_main(monkeypatch, capsys, *args)
    n = len(review_roster.managers)
    assert (code, err) == (0, "") and out.splitlines()[-1].startswith(f"created {n}, resumed 0, already shared 0, "
                                                                       "failed 0; state: ")
    code, out, _ = run_main(monkeypatch, capsys, *args)
    assert code == 0 and out.splitlines()[-1].startswith(f"created 0, resumed 0, already shared {n}, failed 0")
    code, _, err = run_main(monkeypatch, capsys, *args[:6], "2027-Q1", *args[7:])
    assert code != 0 and f"Error: {results}: results of {Q}, not of --quarter 2027-Q1" in err
