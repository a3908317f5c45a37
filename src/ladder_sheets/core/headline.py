"""What a reader needs first: the headline figures, and named lists capped so an email stays one size at any org size.

Pure. The leadership email, its text version and summary.xlsx's overview sheet show the
same figures; the manager's email opens with ``team_headline``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .summary import Rollup, Row, Summary
from .trends import Rater, Trends

T = TypeVar("T")
TOP_N = 10  # names a leadership list shows before "and M more in summary.xlsx"
TEAMS_SHOWN = 25  # team rows a leadership table shows


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first items of a list, and how many more there are."""

    items: tuple[T, ...]
    more: int

    @property
    def total(self) -> int:
        return len(self.items) + self.more


def capped(items: Sequence[T], n: int = TOP_N, key: Callable[[T], Any] | None = None) -> Capped[T]:
    ordered = sorted(items, key=key) if key is not None else list(items)
    return Capped(tuple(ordered[:n]), max(0, len(ordered) - n))


@dataclass(frozen=True)
class TeamLine:
    rollup: Rollup
    before: float | None  # average manager readiness last quarter
    outstanding: int  # sheets not complete

    @property
    def change(self) -> float | None:
        now = self.rollup.avg_manager_pct
        return None if now is None or self.before is None else now - self.before


@dataclass(frozen=True)
class Headline:
    quarter: str
    people: int
    returned: int
    complete: int
    ready: int  # in the top band now
    ready_running: int  # in the top band this and at least the quarter before
    outstanding: int  # sheets missing, incomplete or invalid
    outliers: int
    avg: float | None  # org average manager readiness now
    before_quarter: str  # "" without history
    before_avg: float | None
    moved_up: int
    moved_down: int
    top_band: str

    @property
    def change(self) -> float | None:
        return None if self.avg is None or self.before_avg is None else self.avg - self.before_avg


def headline(s: Summary, t: Trends | None) -> Headline:
    before_q = _previous_quarter(s, t)
    before_avg = None
    if t is not None and before_q:
        values = [v for r in s.rows for q, v in t.readiness.get(r.id, []) if q == before_q and v is not None]
        before_avg = sum(values) / len(values) if values else None
    moves = [t.moves.get(r.id, 0) for r in s.rows] if t is not None else []
    return Headline(
        quarter=s.quarter, people=len(s.rows), returned=sum(1 for r in s.rows if r.status != "missing"),
        complete=s.org.complete, ready=len(s.candidates),
        ready_running=sum(1 for r in s.candidates if t is not None and t.streaks.get(r.id, 0) >= 2),
        outstanding=len(s.attention), outliers=len(s.outliers), avg=s.org.avg_manager_pct,
        before_quarter=before_q, before_avg=before_avg, moved_up=moves.count(1), moved_down=moves.count(-1),
        top_band=s.top_band)


def _previous_quarter(s: Summary, t: Trends | None) -> str:
    if t is None:
        return ""
    earlier = [q for q in t.quarters if q < s.quarter]
    return earlier[-1] if earlier else ""


@dataclass(frozen=True)
class Leadership:
    """Every list the leadership email shows, each capped."""

    head: Headline
    teams: Capped[TeamLine]
    candidates: Capped[Row]  # longest in the top band first, then highest manager readiness
    held: Capped[Row]  # a band below their points' band because a must-have is under its floor
    outliers: Capped[Row]  # largest gap first
    raters: Capped[Rater]  # flagged raters only, furthest from the org first
    below: tuple[tuple[str, str, str, int], ...]  # (metric, benchmark, action, SEs below)
    outstanding_by_team: Capped[TeamLine]  # teams with sheets outstanding, most first


def leadership(s: Summary, t: Trends | None, n: int = TOP_N, teams_shown: int = TEAMS_SHOWN) -> Leadership:
    head = headline(s, t)
    lines = [TeamLine(team, _team_before(t, team.name, head.before_quarter), team.people - team.complete)
             for team in s.teams]
    streaks = t.streaks if t is not None else {}

    def streak(r: Row) -> int:
        return streaks.get(r.id, 0)
    org_gap = t.org_gap if t is not None and t.org_gap is not None else 0.0
    return Leadership(
        head=head,
        teams=capped(lines, teams_shown),
        candidates=capped(s.candidates, n, key=lambda r: (-streak(r), -(r.manager_pct or 0), r.name)),
        held=capped([r for r in s.rows if r.manager_hold], n, key=lambda r: (-(r.manager_pct or 0), r.name)),
        outliers=capped(s.outliers, n, key=lambda r: (-abs(r.gap or 0), r.name)),
        raters=capped([r for r in (t.raters if t is not None else []) if r.verdict], n,
                      key=lambda r: -abs(r.avg_gap - org_gap)),
        below=tuple((b.metric, b.benchmark, b.action, len(b.people)) for b in s.below),
        outstanding_by_team=capped([x for x in lines if x.outstanding], n, key=lambda x: -x.outstanding),
    )


def _team_before(t: Trends | None, team: str, quarter: str) -> float | None:
    if t is None or not quarter:
        return None
    return t.teams.get(team, {}).get(quarter)


@dataclass(frozen=True)
class TeamHeadline:
    people: int
    returned: int
    complete: int
    ready: int
    to_score: int  # criteria the manager has not scored yet
    to_score_people: int  # SEs they are spread over
    se_open: int  # SEs with something still to do themselves
    top_band: str
    track_flags: int = 0  # SEs whose preferred track and target point different ways


def team_headline(s: Summary) -> TeamHeadline:
    """The manager's first line: returned, complete, and what they still have to score."""
    to_score = [r.criteria - r.manager_scored if r.agenda.returned and r.criteria else 0 for r in s.rows]
    return TeamHeadline(
        people=len(s.rows), returned=sum(1 for r in s.rows if r.agenda.returned),
        complete=sum(1 for r in s.rows if r.status == "complete"), ready=len(s.candidates),
        to_score=sum(to_score), to_score_people=sum(1 for x in to_score if x),
        se_open=sum(1 for r in s.rows if r.agenda.se_todo), top_band=s.top_band,
        track_flags=sum(1 for r in s.rows if r.agenda.track_flag))
