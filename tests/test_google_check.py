"""The live check (make google-check) runs against the stand-in here, so it is known to work before a user runs it."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ladder_sheets.core.landmarks import letters
from ladder_sheets.google.client import Refused
from ladder_sheets.workflows.google_check import check
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, OPS, as_person, service

pytestmark = pytest.mark.network
SE = "se.one@apex.example"  # the second account: someone an SE's spreadsheet would be shared with


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def _shared_drive_folder(api: GoogleStandIn, role: str) -> str:
    drive = api.create_shared_drive("Presales", members={BOT: role})
    return api.create_folder("2026-Q4", owner="", parent=drive)


def test_setup_2_content_manager_proves_protection_and_trashes_what_it_made(api: GoogleStandIn) -> None:
    """A Content manager may not delete (Drive: only a Manager may): the check trashes, and says so."""
    folder = _shared_drive_folder(api, "fileOrganizer")
    said: list[str] = []
    problems = check(service(api, api.credentials(BOT))[0], folder, say=said.append, second=as_person(api, SE))
    assert problems == [] and said[0] == "folder '2026-Q4' (shared drive)"
    assert f"shared it with {SE}" in said
    assert any(line.startswith(f"as {SE}: the manager's cell 'Scorecard'!") and line.endswith("refused the edit "
                                                                                             "(protected)")
               for line in said)
    assert any(line.startswith(f"as {SE}: the SE's cell 'Scorecard'!") and "took the edit" in line for line in said)
    trashed = "moved the spreadsheet to the trash (deleting needs the Manager role in a shared drive)"
    assert said.count(trashed) == 2 and said[-1] == trashed  # the SE's spreadsheet, then the manager's review
    made = api.files(parent=folder)
    assert len(made) == 2 and all(f.trashed for f in made)
    assert api.request_count("DELETE", "/drive/v3/files", status=403) == 2


def test_a_manager_deletes(api: GoogleStandIn) -> None:
    folder = _shared_drive_folder(api, "organizer")
    said: list[str] = []
    assert check(service(api, api.credentials(BOT))[0], folder, say=said.append) == []
    assert said[-1] == "deleted the spreadsheet" and api.files(parent=folder) == []


def test_protection_that_does_not_hold_is_a_difference(api: GoogleStandIn) -> None:
    """When the second account is a manager-range editor too (here: the owner itself), the check says so."""
    folder = api.create_folder("Presales", owner=OPS)
    sheets = service(api, api.user_credentials(OPS))[0]
    problems = check(sheets, folder, say=lambda _: None, second=sheets)
    assert [p for p in problems if "the protection does not hold" in p]


def test_a_failing_check_still_cleans_up_and_keeps_its_own_error(api: GoogleStandIn) -> None:
    """The build fails (Google answers 400) and delete is refused: the spreadsheet is trashed, the
    clean-up is said, and the error raised is the build's, not the clean-up's."""
    folder = _shared_drive_folder(api, "fileOrganizer")
    api.inject_faults(400, times=1, match=":batchUpdate")
    said: list[str] = []
    with pytest.raises(Refused, match="Google API refused to update the spreadsheet: HTTP 400"):
        check(service(api, api.credentials(BOT))[0], folder, say=said.append)
    assert said[-1].startswith("moved the spreadsheet to the trash")
    assert [f.trashed for f in api.files(parent=folder)] == [True]


def test_when_nothing_can_remove_it_the_check_says_where_it_is(api: GoogleStandIn) -> None:
    folder = _shared_drive_folder(api, "fileOrganizer")
    api.inject_faults(400, times=1, match="/values:batchUpdate")
    api.inject_faults(500, times=20, match=lambda seen: seen.method == "PATCH")
    said: list[str] = []
    with pytest.raises(Refused, match="type into the spreadsheet"):
        check(service(api, api.credentials(BOT), attempts=2)[0], folder, say=said.append)
    assert said[-1].startswith("could not remove the check's spreadsheet (Google API refused to move a file to "
                               "the trash: HTTP 500")
    assert said[-1].endswith("/edit") and "delete it by hand: https://docs.google.com/spreadsheets/d/" in said[-1]


def test_live_check_reports_a_difference(api: GoogleStandIn) -> None:
    """A formula Google evaluates differently from Python is reported (here: the stand-in says 0.5)."""
    folder = api.create_folder("Presales", owner=OPS)
    sheets = service(api, api.user_credentials(OPS))[0]
    real_read = sheets.read_grid

    def tampered(spreadsheet_id: str) -> dict[str, object]:
        grid = real_read(spreadsheet_id)
        for sheet in grid["sheets"]:
            for data in sheet.get("data", []):
                for row in data.get("rowData", []):
                    for value in row.get("values", []):
                        if "formulaValue" in (value.get("userEnteredValue") or {}):
                            value["effectiveValue"] = {"numberValue": 0.5}
        return grid

    sheets.read_grid = tampered  # type: ignore[method-assign]
    problems = check(sheets, folder, say=lambda _: None)
    assert problems and any("overwritten" in p or "0.5" in p for p in problems)
    assert api.files(parent=folder) == []  # cleaned up even when the check fails



def _calculating(sheets: Any, formula_value: Callable[[str, str], Any]) -> None:
    """Stand in for Google's engine (the stand-in keeps formulas, not their results): each formula cell read back
    gets ``formula_value(sheet title, A1 ref)``; None leaves it uncalculated."""
    real_read = sheets.read_grid

    def calculated(spreadsheet_id: str) -> dict[str, Any]:
        grid = real_read(spreadsheet_id)
        for sheet in grid["sheets"]:
            for data in sheet.get("data", []):
                for r, row in enumerate(data.get("rowData", [])):
                    for c, value in enumerate(row.get("values", [])):
                        got = formula_value(sheet["properties"]["title"], f"{letters(c)}{r + 1}")
                        if "formulaValue" in (value.get("userEnteredValue") or {}) and got is not None:
                            value["effectiveValue"] = ({"stringValue": got} if isinstance(got, str)
                                                       else {"numberValue": got})
        return grid

    sheets.read_grid = calculated


def test_the_reviews_team_page_is_held_to_pythons_figures(api: GoogleStandIn) -> None:
    """The live check builds a manager's review too, and holds each figure of its Team page, as Google works it
    out, to Python's from the same scores: shown wrong, each is named by its cell; shown right, none is."""
    folder = api.create_folder("Presales", owner=OPS)
    sheets = service(api, api.user_credentials(OPS))[0]
    said: list[str] = []
    _calculating(sheets, lambda title, ref: 0.5 if title == "Team" else None)
    wrong = [p for p in check(sheets, folder, say=said.append) if p.startswith("Team!")]
    figures = int(next(line for line in said if line.endswith("figures of the review's Team page with Python's"))
                  .split()[1])
    assert len(wrong) == figures > 20 and all(", Google shows 0.5, Python works out " in p.replace(":", ",", 1)
                                              for p in wrong)
    python = {p.split(":")[0].split("!")[1]: ast.literal_eval(p.rsplit("Python works out ", 1)[1]) for p in wrong}
    assert {type(v) for v in python.values()} == {int, float, str}  # counts, means, the flags' words, blanks
    sheets = service(api, api.user_credentials(OPS))[0]
    _calculating(sheets, lambda title, ref: python.get(ref) if title == "Team" else None)
    said.clear()
    assert check(sheets, folder, say=said.append) == []
    shown = sum(v != "" for v in python.values())  # a blank figure reads as not calculated: left unjudged
    assert f"compared {shown} figures of the review's Team page with Python's" in said and shown > 20
    assert api.files(parent=folder) == []
