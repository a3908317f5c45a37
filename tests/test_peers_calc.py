"""A peer workbook filled and edited in LibreOffice as a rater would: collect gives Calc's own numbers, and the
workbook prints as a rater reads it.

Dana Ross rates Leticia and Tomáš in one workbook. Typed through UNO (tests/support/calc.py):
ratings, an n/o, and her answers (one pasted as text with a leading "=", which stays text); then
a column inserted on Leticia's sheet, Tomáš's criteria sorted by rating and his sheet renamed;
saved as .xlsx and as .ods. What each sheet shows for the ratings (its defined names, as Calc
calculates them) is what collect recomputes from the ratings it reads back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.peer_layout import BLIND_SPOT_KEY, build_peer, expected, key, raters
from ladder_sheets.core.results import Kind, Status
from ladder_sheets.workflows.peers import build_peers, peer_path
from ladder_sheets.xlsx.collect import collect
from tests.support.calc import Calc
from tests.support.peers import DANA, DUE, QUARTER
from tests.support.screens import pdf_pages, pdf_to_png, to_pdf

pytestmark = pytest.mark.libreoffice
LETICIA, TOMAS = "leticia-moreno", "tomas-novak"
NAMES = ["PeerRated_1", "PeerMean_1", "PeerRated_2", "PeerMean_2"]
ANSWERS = {LETICIA: "Lets the CFO's ROI doubt sit in the room; in the Acme review it cost a week.",
           TOMAS: "=Goes quiet when the CTO pushes back"}


def _typed(ladder: Ladder, roster: Roster) -> list[dict[str, Any]]:
    """Dana's ratings and answers, typed as she would (n/o on a criterion that allows it)."""
    wl = build_peer(ladder, roster, raters(roster)[DANA], QUARTER, DUE)
    cells = wl.by_key()
    people = {p.id: p for p, _ in raters(roster)[DANA].people}
    edits = []
    for pid, scores in ((LETICIA, [3, 2, 1, 2]), (TOMAS, [1, 3, 2, 0, 2])):
        for c, score in zip(ladder.peer_criteria(people[pid].target_level), scores):
            text = ladder.not_observed.label if c.allow_not_observed and pid == LETICIA else str(score)
            sheet, cell = cells[key(pid, f"criteria.{c.id}.rating")]
            edits.append({"op": "type", "sheet": sheet.title, "cell": cell.ref, "text": text})
        sheet, cell = cells[key(pid, BLIND_SPOT_KEY)]
        op = "string" if ANSWERS[pid].startswith("=") else "type"  # pasted as text: "=" starts no formula
        edits.append({"op": op, "sheet": sheet.title, "cell": cell.ref, "text": ANSWERS[pid]})
    return edits


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, review_roster: Roster, calc: Calc) -> dict:
    tmp = tmp_path_factory.mktemp("peers-calc")
    build_peers(ladder, review_roster, QUARTER, tmp / "peers", due=DUE)
    src = peer_path(tmp / "peers", DANA)
    typed = _typed(ladder, review_roster)
    last = 5 + len(ladder.peer_criteria("senior"))
    edits = [*typed, {"op": "unprotect"},
             {"op": "insert_columns", "sheet": "Leticia Moreno", "index": 1},
             {"op": "sort", "sheet": "Tomáš Novák", "range": f"A6:D{last}", "by": 3, "ascending": False},
             {"op": "rename", "sheet": "Tomáš Novák", "to": "Tomas"}]
    shown = {fmt: calc.apply(src, edits, tmp / f"edited.{fmt}", fmt, NAMES) for fmt in ("xlsx", "ods")}
    calc.apply(src, typed, tmp / "filled.xlsx")  # as Dana leaves it, no edits: what prints
    return {"tmp": tmp, "calc": shown}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_an_edited_peer_workbook_round_trips_with_calcs_own_numbers(edited: dict, ladder: Ladder,
                                                                    review_roster: Roster, fmt: str) -> None:
    path = edited["tmp"] / f"edited.{fmt}"
    results = collect([path], ladder, review_roster, QUARTER, jobs=1)
    dana = next(r for r in results.raters if r.email == DANA)
    assert dana.status is Status.COMPLETE, dana.problems
    assert {(p.sheet, p.kind) for p in dana.problems} >= {("Tomas", Kind.SORTED), ("Tomas", Kind.RENAMED_SHEET)}
    shown = edited["calc"][fmt]
    people = {p.person.id: p for p in results.people}
    for n, pid in enumerate((LETICIA, TOMAS), start=1):
        (answer,) = people[pid].peers
        want = expected(ladder, review_roster.people[[p.id for p in review_roster.people].index(pid)],
                        answer.ratings, answer.not_observed)
        assert want["result.rated"] == shown[f"PeerRated_{n}"]
        assert want["result.mean"] == pytest.approx(shown[f"PeerMean_{n}"])
        assert answer.blind_spot == ANSWERS[pid]
    assert people[LETICIA].peers[0].not_observed == tuple(c.id for c in ladder.peer_criteria("principal")
                                                          if c.allow_not_observed)
    assert shown["PeerRated_1"] == "4 of 4 (1 not observed yet)" and shown["PeerMean_1"] == pytest.approx(2.0)


def test_the_peer_workbook_prints_one_page_per_se_with_its_question(edited: dict, tmp_path: Path) -> None:
    pdf = to_pdf(edited["tmp"] / "filled.xlsx", tmp_path / "pdf")
    pages = pdf_pages(pdf)
    assert len(pages) == 3, [p[:80] for p in pages]  # the Guide, then one page per SE
    assert "Workbook" in pages[0] and "Peer input" in pages[0] and "Who sees what" in pages[0]
    for page, first in zip(pages[1:], ("Leticia", "Tomáš")):
        assert f"Peer input: {first}" in page and f"What is {first}'s biggest blind spot" in page
        assert "Your average rating" in page
    assert ANSWERS[LETICIA][:30] in " ".join(pages[1].split())
    pngs = pdf_to_png(pdf, tmp_path / "peer", dpi=60)
    assert len(pngs) == 3 and all(p.stat().st_size > 10_000 for p in pngs)
