"""The promotion committee's round trip through the CLI, on quarters collected as they happen.

Each quarter Tomáš returns his self-scored workbook by mail and Amara scores him in her
review, sent back from her own address; collect (the CLI) stores each quarter in the
history. One Ready quarter makes no packet; two running make him a promotion candidate.
Then ``calibrate --out`` writes the committee's workbook, the committee changes his
agreed band to Close with a rationale (a rationale a spreadsheet could take for a formula,
with HTML in it), ``--apply`` records it, and the next report shows it.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from ladder_sheets.cli import main
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.history import committee
from ladder_sheets.mail.maildir import deliver, reply
from ladder_sheets.workflows import sample_committee
from ladder_sheets.workflows.mail_collect import collect_with_mail
from ladder_sheets.workflows.results_file import write_results
from ladder_sheets.workflows.review import build_reviews, review_path
from ladder_sheets.xlsx.generate import generate
from tests.support.results import find_person, inputs_for, results_for
from tests.support.reviews import fill_review, review_layout, scored, self_only

TOMAS = "tomas-novak"
Q3, Q4 = "2026-Q3", "2026-Q4"
DUES = {Q3: date(2026, 9, 7), Q4: date(2026, 12, 7)}
RATIONALE = "=SUM(1) <b>thin</b> evidence of executive presence; one more quarter"


def _cli(*args: object) -> tuple[int, str]:
    """``ladder-sheets ARGS`` through the entry point's error handling: (exit code, stdout then stderr)."""
    result = CliRunner().invoke(_entry, [str(a) for a in args])
    return result.exit_code, result.output


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _entry(args: tuple[str, ...]) -> None:
    """``cli.main`` as users run it (its ``Error:`` lines and exit codes), for CliRunner to invoke."""
    sys.argv = ["ladder-sheets", *args]
    main()


def _quarter(ladder: Ladder, roster: Roster, team: Path, tmp: Path, quarter: str, db: Path) -> Path:
    """``quarter`` as it happens: Tomáš's self-scores by mail, Amara's review (3 everywhere) by mail, collected."""
    due, work = DUES[quarter], tmp / quarter
    tomas = find_person(roster, TOMAS)
    generate(ladder, roster, quarter, work / "gen", due=due, jobs=1)
    own = self_only(ladder, roster, tomas, quarter, due, work / "gen" / quarter, 3, work / f"{TOMAS}.xlsx")
    sent = datetime(due.year, due.month, 1, 9, tzinfo=timezone.utc)
    inbox = deliver(work / "inbox", [reply("tomas.novak@apex-cloud.example", "se-ops@apex-cloud.example", "Re",
                                           "mine", sent, [(f"{TOMAS}.xlsx", own.read_bytes())])])
    build_reviews(ladder, roster, collect_with_mail([inbox], ladder, roster, quarter), work / "reviews", due=due)
    manager = roster.managers[0]
    review = fill_review(review_path(work / "reviews", manager.id),
                         review_layout(ladder, roster, manager, quarter, due), scored(ladder, tomas, 3),
                         work / "review-mgr-amara.xlsx")
    deliver(inbox, [reply("amara.okafor@apex-cloud.example", "se-ops@apex-cloud.example", "Re: review", "scored",
                          sent.replace(day=3), [("review-mgr-amara.xlsx", review.read_bytes())])])
    results = work / "results.json"
    code, output = _cli("collect", inbox, "--team", team, "--quarter", quarter, "--out", results, "--db", db)
    assert code == 1 and "people:" in output  # the other SEs have not returned theirs: exit 1, as documented
    return results


def _report(results: Path, team: Path, db: Path, out: Path, *extra: str) -> dict[str, str]:
    code, output = _cli("report", results, "--team", team, "--db", db, "--out", out, *extra)
    assert code == 0, output
    return {f.name: f.read_text(encoding="utf-8") for f in out.iterdir() if f.suffix in (".txt", ".html")}


@pytest.fixture
def two_quarters(ladder: Ladder, review_roster: Roster, team_path: Path, tmp_path: Path) -> dict[str, Path]:
    db = tmp_path / "history.sqlite3"
    first = _quarter(ladder, review_roster, team_path, tmp_path, Q3, db)
    report = _report(first, team_path, db, tmp_path / "report-q3")
    assert not [name for name in report if name.startswith("packet-")]
    assert "- Tomáš Novák (Enterprise East): Ready, first quarter; manager 100%" in report["leadership.txt"]
    assert "None this quarter." in report["leadership.txt"]
    return {"db": db, "results": _quarter(ladder, review_roster, team_path, tmp_path, Q4, db)}


def test_two_ready_quarters_running_make_a_candidate_and_a_packet(two_quarters: dict[str, Path], team_path: Path,
                                                                  tmp_path: Path) -> None:
    report = _report(two_quarters["results"], team_path, two_quarters["db"], tmp_path / "report")
    packet = report[f"packet-{TOMAS}.html"]
    assert "Ready, 2 quarters running</strong>: a promotion candidate." in packet
    assert "☒ Promote now" in packet and "Ran two strategic POCs end to end." in packet  # the manager's write-up
    assert "=Seen in the Acme deal review" in packet  # a per-criterion comment from the review, as typed
    assert "Amara Okafor against the org</strong>" in packet and "Not decided yet" in packet
    assert [name for name in report if name.startswith("packet-")] == [f"packet-{TOMAS}.html"]
    assert "- Tomáš Novák (Enterprise East)" in report["leadership.txt"].split("PROMOTION CANDIDATES")[1]


def _decide(path: Path, out: Path, band: str, rationale: str | None, decision: str) -> Path:
    """Tomáš's row of the committee's workbook filled in, as openpyxl saves what a person typed."""
    book = openpyxl.load_workbook(path)
    sheet = book["Decisions"]
    head = next(r for r in sheet.iter_rows(max_row=12) if r[0].value == "ID")
    col = {c.value: c.column_letter for c in head}
    row = next(c.row for c in sheet["A"] if c.value == TOMAS)
    sheet[f"{col['Agreed band']}{row}"] = band
    at = sheet[f"{col['Rationale']}{row}"]
    at.value, at.data_type = rationale, "s"  # typed into a text cell: a leading "=" starts no formula
    sheet[f"{col['Decision']}{row}"] = decision
    book.save(out)
    return out


def test_the_committee_round_trip_shows_in_the_next_report(two_quarters: dict[str, Path], team_path: Path,
                                                           tmp_path: Path) -> None:
    db, results = two_quarters["db"], two_quarters["results"]
    blank = tmp_path / "calibration.xlsx"
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--out", blank)
    assert (code, output) == (0, f"wrote {blank}: 1 SE in or near the top band\n")
    assert _cli("calibrate", results, "--team", team_path, "--db", db, "--out", blank)[0] == 1  # never replaced

    wrong = _decide(blank, tmp_path / "wrong.xlsx", "Maybe", None, "Promote")
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--apply", wrong)
    assert code == 1 and "wrong.xlsx: 1 problem, so nothing was recorded:" in output
    assert "'Decisions'!L8: Tomáš Novák: agreed band: " in output and "Ready, Close, Developing" in output
    bare = _decide(blank, tmp_path / "bare.xlsx", "Close", " \n ", "Not yet")  # spaces say nothing
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--apply", bare)
    assert code == 1 and output.endswith(
        "'Decisions'!M8: Tomáš Novák: the agreed band Close differs from the manager's band Ready, so a rationale is "
        "required\n")
    assert committee.decisions(db, Q4) is None

    filled = _decide(blank, tmp_path / "calibration-filled.xlsx", "Close", RATIONALE, "Not yet")
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--apply", filled)
    sha = hashlib.sha256(filled.read_bytes()).hexdigest()
    assert code == 0 and output == (f"{TOMAS}: Ready -> Close ({RATIONALE})\nrecorded 1 decision for {Q4} from "
                                    f"calibration-filled.xlsx (sha256 {sha[:12]}) in {db}\n")
    applied = committee.decisions(db, Q4)
    assert applied is not None and (applied.file_name, applied.sha256) == ("calibration-filled.xlsx", sha)
    (decision,) = applied.decisions
    assert (decision.manager_band, decision.agreed_band, decision.rationale) == ("Ready", "Close", RATIONALE)
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--apply", filled)
    assert code == 0 and output.endswith("nothing changed\n") and committee.decisions(db, Q4) == applied

    again = tmp_path / "calibration-again.xlsx"  # a new copy carries the decision in, the rationale still text
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--out", again)
    assert (code, output) == (0, f"wrote {again}: 1 SE in or near the top band, 1 with decisions already recorded\n")
    carried = openpyxl.load_workbook(again)["Decisions"]["M8"]
    assert (carried.value, carried.data_type) == (RATIONALE, "s")

    report = _report(results, team_path, db, tmp_path / "report")
    assert not [name for name in report if name.startswith("packet-")]  # Close this quarter: no longer a candidate
    leadership = report["leadership.txt"]
    assert "Bands agreed by the promotion committee count (1 SE, from calibration-filled.xlsx)." in leadership
    assert leadership.split("\n")[3].startswith("0 Ready now")  # the headline counts the agreed band
    assert "- Enterprise East: 4 SEs, 1 complete; 0 / 1 / 0;" in leadership  # Ready / Close / Developing
    agenda = report["manager-mgr-amara.txt"]
    assert "Tomáš Novák (Core SE -> Senior SE): Ready -> Close agreed by the committee" in agenda
    assert f'agreed Close (your band: Ready), decision: Not yet. Why: "{RATIONALE}"' in agenda
    asked = _report(results, team_path, db, tmp_path / "asked", "--packet", TOMAS)
    packet = asked[f"packet-{TOMAS}.html"]
    assert "Agreed band: <strong>Close</strong> (the manager's: Ready)" in packet
    assert "=SUM(1) &lt;b&gt;thin&lt;/b&gt; evidence" in packet and "<b>thin</b>" not in packet
    assert f"Recorded from calibration-filled.xlsx (SHA-256 {sha[:12]}…)" in packet
    assert "&lt;b&gt;thin" in asked["manager-mgr-amara.html"] and "<b>thin" not in asked["manager-mgr-amara.html"]


def test_calibrate_needs_out_or_apply(team_path: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    results.write_text("{}", encoding="utf-8")
    code, output = _cli("calibrate", results, "--team", team_path)
    assert code == 2 and output.endswith(
        "Error: give --out (write the committee's workbook) or --apply (record its decisions)\n")


def test_the_demos_sample_committee_round_applies(ladder: Ladder, review_roster: Roster, team_path: Path,
                                                  tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``make demo``'s committee round: the sample decisions fill the workbook calibrate wrote, and apply."""
    scores = {"leticia-moreno": 3, "oliver-grant": 3, "tomas-novak": 3}
    results = write_results(results_for(ladder, review_roster, {
        p.id: inputs_for(ladder, p.target_level, 2, scores.get(p.id, 1)) for p in review_roster.people}),
        tmp_path / "results.json")
    blank, filled, db = tmp_path / "calibration.xlsx", tmp_path / "filled.xlsx", tmp_path / "h.sqlite3"
    assert _cli("calibrate", results, "--team", team_path, "--out", blank)[0] == 0
    assert sample_committee.main([str(results), "--team", str(team_path), "--workbook", str(blank),
                                  "--out", str(filled)]) == 0
    assert capsys.readouterr().out == f"SAMPLE DATA: 2 committee decisions filled in, in {filled}\n"
    code, output = _cli("calibrate", results, "--team", team_path, "--db", db, "--apply", filled)
    assert code == 0 and output.startswith(f"oliver-grant: Ready -> Close ({sample_committee.RATIONALE})\n")
    applied = committee.decisions(db, Q4)
    assert applied is not None and [(d.person_id, d.agreed_band, d.verdict) for d in applied.decisions] == [
        ("leticia-moreno", "Ready", "promote"), ("oliver-grant", "Close", "not yet")]
