"""The live check (make google-check) runs against the stand-in here, so it is known to work before a user runs it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ladder_sheets.workflows.google_check import check
from tests.support.google_standin import GoogleStandIn
from tests.support.gsheets import BOT, OPS, service

pytestmark = pytest.mark.network


@pytest.fixture
def api() -> Iterator[GoogleStandIn]:
    with GoogleStandIn() as server:
        yield server


def test_live_check_agrees_and_leaves_nothing_behind(api: GoogleStandIn) -> None:
    drive = api.create_shared_drive("Presales", members={BOT: "fileOrganizer"})
    folder = api.create_folder("2026-Q4", owner="", parent=drive)
    said: list[str] = []
    problems = check(service(api, api.credentials(BOT))[0], folder, say=said.append)
    assert problems == [] and said[0] == "folder '2026-Q4' (shared drive)"
    assert api.files(parent=folder) == []
    assert api.request_count("DELETE", "/drive/v3/files") == 1


def test_live_check_reports_a_difference(api: GoogleStandIn) -> None:
    """A formula Google evaluates differently from Python is reported (here: the stand-in says 0.5)."""
    folder = api.create_folder("Presales", owner=OPS)
    sheets = service(api, api.user_credentials(OPS))[0]
    real_read = sheets.read_grid

    def tampered(spreadsheet_id: str) -> dict[str, object]:
        from ladder_sheets.core import layout  # noqa: F401 - the band cell's position comes from the layout
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
