"""What raters and managers see of the peer round, laid out by a real browser at desktop and phone width: the
rater's hand-out email, the coaching agenda's and the promotion packet's AE and peer input. Screenshots land
in the test's tmp folder for a look by eye too."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.raters import PeerAnswer, RaterRole
from ladder_sheets.workflows.handout import build_peer_handout
from ladder_sheets.workflows.peers import build_peers
from ladder_sheets.workflows.report import build_report
from tests.support.emails import body, read
from tests.support.peers import DANA, DUE, GRACE, QUARTER, SOFIA
from tests.support.results import inputs_for, results_for
from tests.support.screens import screenshot, widest

PHONE, DESKTOP = 400, 1280
LETICIA = "leticia-moreno"
SPOTS = ("Lets the CFO's ROI doubt sit in the room: in the Acme Corporation review the question hung there for ten "
         "minutes before anyone answered it, and the deal slipped a quarter.", "Talks over the customer's architect.",
         "Rarely brings the AE into the technical close plan.")


def _pages(ladder: Ladder, roster: Roster, tmp: Path) -> dict[str, str]:
    """The hand-out email to Dana, and Amara's agenda and Leticia's packet with three raters' answers."""
    build_peers(ladder, roster, QUARTER, tmp / "peers", due=DUE)
    (handout, *_) = build_peer_handout(ladder, roster, QUARTER, tmp / "peers", tmp / "out",
                                       sender="Apex SE Ops <se-ops@apex-cloud.example>")
    results = results_for(ladder, roster, {p.id: inputs_for(ladder, p.target_level, 3, 3) for p in roster.people})
    ids = [c.id for c in ladder.peer_criteria("principal")]
    answers = tuple(PeerAnswer(k, name, role, {cid: float((i + n) % 4) for i, cid in enumerate(ids)}, (), spot)
                    for n, (k, name, role, spot) in enumerate(zip((DANA, GRACE, SOFIA), ("Dana Ross", "Grace Liu",
                                                                  "Sofia Lindqvist"),
                                                              (RaterRole.AE, RaterRole.AE, RaterRole.PEER), SPOTS)))
    people = tuple(dataclasses.replace(p, peers=answers) if p.person.id == LETICIA else p for p in results.people)
    build_report(dataclasses.replace(results, people=people), ladder, tmp / "report", packets=[LETICIA])
    return {"handout": body(read(handout), "html"),
            "agenda": (tmp / "report" / "manager-mgr-amara.html").read_text(encoding="utf-8"),
            "packet": (tmp / "report" / f"packet-{LETICIA}.html").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, review_roster: Roster) -> dict[str, str]:
    return _pages(ladder, review_roster, tmp_path_factory.mktemp("peer-pages"))


@pytest.mark.parametrize("what", ["handout", "agenda", "packet"])
def test_the_peer_round_fits_a_phone_and_a_desktop(pages: dict[str, str], what: str, tmp_path: Path) -> None:
    html = pages[what]
    assert "blind spot in the room" in html
    # Nothing outside a table's own scroll box is wider than the screen: the page never scrolls sideways.
    assert widest(html, PHONE, tmp_path) <= PHONE
    assert widest(html, DESKTOP, tmp_path) <= DESKTOP
    page = tmp_path / f"{what}.html"
    page.write_text(html, encoding="utf-8")
    png = screenshot(page, tmp_path / f"{what}-{PHONE}.png", PHONE, 1800)  # the narrow case, to look at
    assert png.stat().st_size > 20_000  # drawn, not blank
