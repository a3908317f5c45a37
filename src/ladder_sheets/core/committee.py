"""The promotion committee's step: who it looks at, what it decides, and who is a promotion candidate.

The committee (``ladder-sheets calibrate``) sees every SE in or near the top band and agrees
a band for each, with a rationale whenever it differs from the manager's, and a decision.
Once applied (``--apply``) the agreed band stands beside the manager's in every report, and
counts wherever a band is counted: the leadership headline, quarters in the top band in a
row (``trends.consecutive_top``) and so who is a promotion candidate. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Ladder, Recommendation, StrEnum


class Verdict(StrEnum):
    """The committee's decision for one SE."""

    PROMOTE = "promote"
    NOT_YET = "not yet"
    DEFER = "defer"  # decide at a later meeting (more evidence, a peer's view)

    @property
    def shown(self) -> str:
        """As the workbook's dropdown and the reports show it: "Not yet"."""
        return self.value[:1].upper() + self.value[1:]


def verdict_shown(value: str) -> str:
    """A stored decision ("not yet") as people read it ("Not yet"); "" stays ""."""
    return next((v.shown for v in Verdict if v.value == value), value)


@dataclass(frozen=True)
class Decision:
    """What the committee agreed for one SE, and the manager's band it was agreed against."""

    person_id: str
    manager_band: str  # the manager's band when the committee decided
    agreed_band: str
    rationale: str = ""
    verdict: str = ""  # a Verdict value, "" when none was chosen

    @property
    def changed(self) -> bool:
        return self.agreed_band != self.manager_band


@dataclass(frozen=True)
class Applied:
    """A committee workbook recorded in the history for one quarter: its decisions, and where they came from."""

    quarter: str
    file_name: str
    sha256: str
    applied_at: str  # ISO 8601, UTC
    decisions: tuple[Decision, ...] = ()

    def of(self, person_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.person_id == person_id), None)


def effective_band(manager_band: str, agreed_band: str) -> str:
    """The band that counts: the committee's agreed band once there is one, else the manager's."""
    return agreed_band or manager_band


def near_top(ladder: Ladder, manager_band: str, manager_pct: float | None, recommendation: str) -> bool:
    """Does the committee look at this SE: in the top band by the manager's scores, in the band below within
    ``committee_near`` of the top band's minimum, or recommended for promotion now by the manager (``recommendation``
    as stored or as shown)."""
    top = ladder.bands[0]
    below = ladder.bands[1].name if len(ladder.bands) > 1 else ""
    close = (manager_band == below and manager_pct is not None
             and manager_pct >= top.min_pct - ladder.committee_near - 1e-9)
    return manager_band == top.name or close or recommendation.casefold() == Recommendation.PROMOTE_NOW.value


def ready_label(top_band: str, streak: int | None, needed: int, counted: bool = True) -> str:
    """How an SE in the top band reads: "Ready, 2 quarters running" (a candidate from ``needed``), "Ready, first
    quarter", or why this quarter does not count yet; ``streak`` None when no history is kept."""
    if streak is None:
        return f"{top_band} this quarter (no history kept, so earlier quarters cannot be counted)"
    if not counted or streak == 0:
        return f"{top_band}, but this quarter does not count yet: incomplete, or problems to correct"
    if streak == 1:
        return f"{top_band}, first quarter"
    running = f"{top_band}, {streak} quarters running"
    return running if streak >= needed else f"{running} (a candidate from {needed})"
