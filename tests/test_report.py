"""report.py and ``ladder-sheets report``: the files OUT gets, their emails' headers, and what is refused."""

from __future__ import annotations

import json
from dataclasses import replace
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from ladder_sheets.core.errors import ConfigError
from ladder_sheets.core.model import Ladder, Manager, Roster
from ladder_sheets.workflows.report import build_report
from ladder_sheets.core.results import Results, to_dict
from ladder_sheets.workflows.results_file import write_results
from tests.support.cli import run_main
from tests.support.results import inputs_for, results_for

SENDER = "SE Ops <se-ops@apex.example>"


def _results(ladder: Ladder, roster: Roster) -> Results:
    return results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 2, 3) for p in roster.people})


def _eml(path: Path) -> EmailMessage:
    msg = BytesParser(_class=EmailMessage, policy=default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def test_out_gets_every_file_and_each_eml_is_a_complete_email(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    files = build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER, leadership=roster.leadership,
                         org=roster.org)
    stems = ["manager-mgr-amara", "manager-mgr-daniel", "leadership"]
    assert [f.name for f in files] == ["results.csv", "summary.xlsx", "problems.txt",
                                       *(f"{s}.{ext}" for s in stems for ext in ("html", "txt", "eml"))]
    # Every SE is Ready here, but without a history nobody is Ready two quarters running: no packet.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in files)
    for stem, manager in zip(stems, roster.managers):
        msg = _eml(tmp_path / f"{stem}.eml")
        assert (msg["From"], msg["To"], msg["Subject"]) == (SENDER, manager.email, f"2026-Q4 coaching agenda: {manager.name}")
    lead = _eml(tmp_path / "leadership.eml")
    assert lead["To"] == ", ".join(roster.leadership)
    assert lead["Subject"] == "2026-Q4 presales career summary: Apex Cloud Presales"
    assert lead["MIME-Version"] == "1.0" and lead["Date"] and lead["Message-ID"].endswith("@apex.example>")
    assert lead.get_content_type() == "multipart/mixed"  # the alternative bodies, then summary.xlsx
    body, attachment = lead.iter_parts()
    assert [p.get_content_type() for p in body.iter_parts()] == ["text/plain", "text/html"]  # type: ignore[attr-defined]
    assert attachment.get_filename() == "summary.xlsx"
    assert attachment.get_content() == (tmp_path / "summary.xlsx").read_bytes()  # type: ignore[attr-defined]
    for stem in stems[:2]:  # managers get no attachment
        assert _eml(tmp_path / f"{stem}.eml").get_content_type() == "multipart/alternative"
    html = lead.get_body(preferencelist=("html",))
    assert html is not None  # .eml files keep SMTP's CRLF line ends
    assert html.get_content().replace("\r\n", "\n") == (tmp_path / "leadership.html").read_text(encoding="utf-8")


def test_without_leadership_addresses_no_leadership_eml(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    files = build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER)
    names = {f.name for f in files}
    assert {"leadership.html", "leadership.txt"} <= names and "leadership.eml" not in names


def test_a_rerun_removes_emails_it_no_longer_writes_and_keeps_other_files(ladder: Ladder, roster: Roster,
                                                                          tmp_path: Path) -> None:
    build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER, leadership=roster.leadership)
    (tmp_path / "my-notes.txt").write_text("mine", encoding="utf-8")
    amara_only = replace(roster, managers=roster.managers[:1],
                         people=tuple(p for p in roster.people if p.manager == "mgr-amara"))
    files = build_report(_results(ladder, amara_only), ladder, tmp_path, sender=SENDER)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*(f.name for f in files), "my-notes.txt"])
    assert not list(tmp_path.glob("manager-mgr-daniel.*")) and not (tmp_path / "leadership.eml").exists()


def test_every_unusable_address_is_named_before_anything_is_written(ladder: Ladder, roster: Roster,
                                                                     tmp_path: Path) -> None:
    broken = replace(roster, managers=(replace(roster.managers[0], email=""), *roster.managers[1:]))
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as err:
        build_report(_results(ladder, broken), ladder, out, sender="SE Ops", leadership=["vp@apex.example", "vp"])
    assert str(err.value).splitlines() == [
        "3 problems found:",
        "  - report: --from 'SE Ops' is not an email address (expected name@example.com)",
        "  - report: leadership address 'vp' is not an email address (expected name@example.com)",
        "  - report: manager mgr-amara (Amara Okafor): email '' is not an email address (expected name@example.com)",
    ]
    assert not out.exists()


def test_a_line_break_in_a_name_cannot_add_a_header(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    sneaky = replace(roster.managers[0], name="Amara\r\nBcc: attacker@evil.example")
    roster = replace(roster, managers=(sneaky, *roster.managers[1:]))
    build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER)
    msg = _eml(tmp_path / "manager-mgr-amara.eml")
    assert msg["Subject"] == "2026-Q4 coaching agenda: Amara Bcc: attacker@evil.example" and msg["Bcc"] is None


def test_manager_ids_that_make_the_same_file_name_get_their_own_files(ladder: Ladder, roster: Roster,
                                                                      tmp_path: Path) -> None:
    twin = Manager("mgr/amara", "Amara Twin", "twin@apex-cloud.example", "Enterprise East")
    moved = replace(roster.people[1], manager=twin.id)
    roster = replace(roster, managers=(*roster.managers, twin), people=(roster.people[0], moved, *roster.people[2:]))
    build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER)
    assert _eml(tmp_path / "manager-mgr-amara.eml")["To"] == "amara.okafor@apex-cloud.example"
    assert _eml(tmp_path / "manager-mgr-amara-2.eml")["To"] == "twin@apex-cloud.example"


# ---- the command -------------------------------------------------------------------------------


def test_cli_report_with_roster_and_extra_leadership(ladder: Ladder, roster: Roster, team_path: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(_results(ladder, roster), tmp_path / "results.json")
    out = tmp_path / "report"
    code, stdout, stderr = run_main(monkeypatch, capsys, "report", results, "--team", team_path, "--out", out,
                                    "--from", SENDER, "--leadership", "ceo@apex-cloud.example")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [f"wrote {out / name}" for name in (
        "results.csv", "summary.xlsx", "problems.txt",
        *(f"{s}.{e}" for s in ("manager-mgr-amara", "manager-mgr-daniel", "leadership") for e in ("html", "txt", "eml")))]
    lead = _eml(out / "leadership.eml")
    assert lead["To"] == "ceo@apex-cloud.example, vp.presales@apex-cloud.example"
    assert lead["Subject"] == f"2026-Q4 presales career summary: {roster.org}"


def test_cli_report_without_leadership_says_so(ladder: Ladder, roster: Roster, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    results = write_results(_results(ladder, roster), tmp_path / "results.json")
    code, _, stderr = run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "report")
    assert code == 0
    assert stderr == "no leadership addresses (--leadership or the roster's `leadership`): leadership.eml not written\n"


def test_cli_report_on_a_file_that_is_not_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "results.json"
    bad.write_text('{"schema": "something-else"}', encoding="utf-8")
    assert run_main(monkeypatch, capsys, "report", bad, "--out", tmp_path / "r") == (
        1, "", f"Error: {bad}: not a valid results file (expected schema 'ladder-sheets/results@2', "
               "found 'something-else')\n")


def test_cli_report_with_a_bad_sender_is_a_usage_error(ladder: Ladder, roster: Roster, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results.json"
    results.write_text(json.dumps(to_dict(_results(ladder, roster))), encoding="utf-8")
    code, stdout, stderr = run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r", "--from", "me")
    assert (code, stdout) == (2, "")
    assert stderr == ("Error: 1 problem found:\n"
                      "  - report: --from 'me' is not an email address (expected name@example.com)\n")


def test_results_csv_has_a_bom_for_excel_and_reads_back(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    """Excel opens a UTF-8 CSV without a BOM as the local code page: 'Tomáš' would read 'TomÃ¡Å¡'."""
    import csv

    build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER)
    raw = (tmp_path / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "results.csv").open(encoding="utf-8-sig", newline="") as fh:
        names = [row["name"] for row in csv.DictReader(fh)]
    assert names == [p.name for p in roster.people] and "Tomáš Novák" in names


def test_problems_txt_is_se_ops_log_with_files_and_cells_grouped_by_manager(ladder: Ladder, roster: Roster,
                                                                           tmp_path: Path) -> None:
    from ladder_sheets.core.results import Problem

    amara = [p for p in roster.people if p.manager == "mgr-amara"]
    problem = Problem(f"returned/{amara[0].id}.xlsx", "Pivot matrix", "F5", "out_of_range", "found 7, expected 0-3")
    results = results_for(ladder, roster, {amara[0].id: inputs_for(ladder, amara[0].target_level, 2, 2)},
                          {amara[0].id: (problem,)})
    build_report(results, ladder, tmp_path, sender=SENDER)
    log = (tmp_path / "problems.txt").read_text(encoding="utf-8").splitlines()
    assert log[0] == "2026-Q4: problems found in the returned workbooks"
    at = log.index("Amara Okafor (mgr-amara)")
    assert log[at + 1:at + 1 + len(amara) - 1] == [f"  {p.name} ({p.id}): no workbook returned" for p in amara[1:]]
    assert f"    returned/{amara[0].id}.xlsx: 'Pivot matrix'!F5: found 7, expected 0-3" in log
    assert "Daniel Reyes (mgr-daniel)" in log and log.index("Daniel Reyes (mgr-daniel)") > at
    email = (tmp_path / "manager-mgr-amara.txt").read_text(encoding="utf-8")
    assert "to correct: found 7, expected 0-3" in email and "F5" not in email and "returned/" not in email
    build_report(_results(ladder, roster), ladder, tmp_path, sender=SENDER)
    assert (tmp_path / "problems.txt").read_text(encoding="utf-8").splitlines()[2] == \
        "None: every workbook came back complete and clean."
    review = Problem("review-mgr-amara.xlsx", "", "", "missing_sheet", "Amara Okafor's review has no sheet for X")
    build_report(replace(_results(ladder, roster), unmatched=(review,)), ladder, tmp_path, sender=SENDER)
    assert (tmp_path / "problems.txt").read_text(encoding="utf-8").splitlines()[2:4] == [
        "Files with problems of their own (belonging to nobody on the roster, unreadable, or a review or peer "
        "workbook as a whole)", f"  {review}"]


def test_cli_leadership_text_none_keeps_every_read_out_from_leadership(ladder: Ladder, roster: Roster,
                                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from ladder_sheets.history.store import store

    results = write_results(_results(ladder, roster), tmp_path / "results.json")  # everyone is Ready
    db = tmp_path / "h.sqlite3"
    store(replace(_results(ladder, roster), quarter="2026-Q3"), db)  # and was last quarter: candidates all
    readout = next(p for p in _results(ladder, roster).people if p.scores).scores.readout_text  # type: ignore[union-attr]
    for setting, shown in (("candidates", True), ("none", False)):
        out = tmp_path / setting
        code, _, _ = run_main(monkeypatch, capsys, "report", results, "--out", out, "--leadership-text", setting,
                              "--db", db)
        assert code == 0
        for name in ("leadership.html", "leadership.txt"):
            text = (out / name).read_text(encoding="utf-8").replace("&#39;", "'")
            assert (readout[:60] in text) is shown, (setting, name)


def test_cli_previous_quarter_puts_last_quarters_milestones_in_the_agenda(ladder: Ladder, roster: Roster,
                                                                          tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from ladder_sheets.core.agenda import milestone_field

    person = roster.people[0]
    before = inputs_for(ladder, person.target_level, 2, 2)
    before = replace(before, readout={**before.readout, milestone_field(ladder): "run the Acme renewal POC"})
    previous = write_results(results_for(ladder, roster, {person.id: before}, quarter="2026-Q3"), tmp_path / "q3.json")
    results = write_results(_results(ladder, roster), tmp_path / "q4.json")
    code, _, _ = run_main(monkeypatch, capsys, "report", results, "--out", tmp_path / "r", "--previous", previous)
    assert code == 0
    text = (tmp_path / "r" / f"manager-{person.manager}.txt").read_text(encoding="utf-8")
    assert 'Milestones proposed last quarter: "run the Acme renewal POC"; this quarter: Ready at 100%' in text
