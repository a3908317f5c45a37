"""Helpers for the Google Sheets tests: services acting as someone, people typing, a fake clock."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Editor
from ladder_sheets.core.model import Inputs, Ladder, Person, Roster
from ladder_sheets.google.client import RetryPolicy, Sheets, SheetsQuota
from tests.support.fill import random_inputs
from tests.support.google_standin import SCOPES, GoogleStandIn

Q, DUE = "2026-Q4", date(2026, 12, 7)
BOT = "ladder-bot@apex.iam.gserviceaccount.com"
OPS = "ops@apex.example"  # an SE Ops person who signs in with OAuth


@dataclass
class FakeClock:
    """Time that moves only when someone sleeps: one-minute quota windows in milliseconds."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def service(api: GoogleStandIn, credentials: Any, *, attempts: int = 8, per_minute: float = 0,
            clock: FakeClock | None = None, period: float = 60.0, session: Any = None) -> tuple[Sheets, list[float]]:
    """A Sheets service with these credentials; backoff waits are recorded (and move ``clock``), never slept."""
    waits: list[float] = []
    clock = clock or FakeClock()  # never a real wait, and time moves when the pacer sleeps

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.sleep(seconds)

    retry = RetryPolicy(attempts=attempts, sleep=sleep, rng=random.Random(1))
    quota = SheetsQuota(per_minute, period=period, clock=clock, sleep=sleep)
    return Sheets(credentials, session=session or api.session(credentials), retry=retry, quota=quota), waits


def as_bot(api: GoogleStandIn, **kwargs: Any) -> tuple[Sheets, list[float]]:
    return service(api, api.credentials(BOT, scopes=list(SCOPES)), **kwargs)


def as_person(api: GoogleStandIn, email: str) -> Sheets:
    """Someone in the browser (a service account stands in for their session; only the address matters)."""
    return service(api, api.credentials(email, scopes=list(SCOPES)))[0]


def type_into(sheets: Sheets, spreadsheet_id: str, sheet: str, ref: str, value: Any) -> None:
    """What a person does in the browser: a USER_ENTERED write (text written RAW, as if quoted)."""
    option = "RAW" if isinstance(value, str) else "USER_ENTERED"
    sheets.http.values_update(spreadsheet_id, f"'{sheet}'!{ref}", params={"valueInputOption": option},
                              body={"values": [[value]]})


def fill_in(api: GoogleStandIn, ladder: Ladder, roster: Roster, person: Person, spreadsheet_id: str,
            rng: random.Random, *, scores_as_text: bool = False) -> Inputs:
    """The SE types the self columns, the manager the manager columns; returns what was typed as the model."""
    se, manager = as_person(api, person.email), as_person(api, roster.manager_of(person).email)
    wl = layout.build(ladder, roster, person, Q, DUE)
    inputs, values = random_inputs(ladder, ladder.rubric_for(person.target_level), rng, level=person.level)
    by_key = wl.by_key()
    for key, value in values.items():
        sheet, cell = by_key[key]
        if scores_as_text and isinstance(value, int) and cell.validation is not None and cell.validation.options:
            value = str(value)  # a dropdown choice coming back as the text "2"
        type_into(manager if cell.editor is Editor.MANAGER else se, spreadsheet_id, sheet.title, cell.ref, value)
    return inputs


def type_all(sheets: Sheets, spreadsheet_id: str, typed: dict[tuple[str, str], Any]) -> None:
    """Many cells at once ((sheet, ref) -> value), as ``type_into`` types each: text RAW, the rest USER_ENTERED."""
    for option, pick in (("RAW", True), ("USER_ENTERED", False)):
        data = [{"range": f"'{sheet}'!{ref}", "values": [[v]]} for (sheet, ref), v in typed.items()
                if isinstance(v, str) is pick]
        if data:
            sheets.http.values_batch_update(spreadsheet_id, body={"valueInputOption": option, "data": data})
