"""Counts and averages over a group of SEs (a team, or the whole org): averages only ever within one rubric.

Also the career interests counted across the organisation (``interests``).

Readiness on the Senior SE rubric and on the SE Manager rubric measure different criteria:
an average over both says nothing, so every average here is per rubric, with its n (the
SEs it is over). Counts (SEs, bands) are over everyone. Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .model import INCOMPLETE_BAND, NO_PIVOT_INTEREST, NOT_ENOUGH_OBSERVED, Ladder
from .results import Status


class _Row(Protocol):
    """What a rollup reads of each SE (``summary.Row``)."""

    @property
    def rubric(self) -> str: ...

    @property
    def manager_name(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def manager_pct(self) -> float | None: ...

    @property
    def gap(self) -> float | None: ...

    @property
    def skills(self) -> dict[str, tuple[float, int]]: ...

    @property
    def band(self) -> str: ...

    @property
    def track(self) -> str: ...

    @property
    def top_pivot(self) -> str: ...

    @property
    def shares_interests(self) -> bool: ...


@dataclass(frozen=True)
class RubricAverage:
    """Averages over the SEs of one rubric."""

    target: str  # the rubric's target level id
    title: str
    people: int  # SEs on this rubric in the group
    avg: float | None  # manager readiness
    n: int  # SEs with a manager readiness
    avg_gap: float | None = None  # manager minus self readiness
    gap_n: int = 0
    skills: Mapping[str, tuple[float, int]] = field(default_factory=dict)  # group id -> (avg manager score, SEs)


@dataclass(frozen=True)
class Rollup:
    """Counts over a group of SEs, and averages per rubric."""

    name: str
    manager: str
    people: int
    complete: int
    bands: dict[str, int]  # by the band that counts (the committee's agreed band, else the manager's)
    rubrics: tuple[RubricAverage, ...] = ()  # in the ladder's order, only rubrics someone in the group is on
    managers: int = 0

    def on(self, target: str) -> RubricAverage | None:
        return next((x for x in self.rubrics if x.target == target), None)


def rollup(name: str, rows: Sequence[_Row], ladder: Ladder) -> Rollup:
    bands = Counter(r.band for r in rows)
    managers = list(dict.fromkeys(r.manager_name for r in rows))
    return Rollup(
        name=name, manager=", ".join(managers), people=len(rows),
        complete=sum(1 for r in rows if r.status == Status.COMPLETE.value),
        bands={b: bands.get(b, 0) for b in (*(x.name for x in ladder.bands), NOT_ENOUGH_OBSERVED, INCOMPLETE_BAND)},
        rubrics=tuple(_average(ladder, target, on) for target in ladder.rubrics
                      if (on := [r for r in rows if r.rubric == target])),
        managers=len(managers),
    )


def _average(ladder: Ladder, target: str, rows: Sequence[_Row]) -> RubricAverage:
    pcts = [r.manager_pct for r in rows if r.manager_pct is not None]
    gaps = [r.gap for r in rows if r.gap is not None]
    return RubricAverage(target, ladder.rubric_for(target).title, len(rows), _mean(pcts), len(pcts), _mean(gaps),
                         len(gaps), _skills(rows))


def _skills(rows: Sequence[_Row]) -> dict[str, tuple[float, int]]:
    """Per skill group, the average manager score over every criterion scored that tests it, and the SEs scored."""
    sums: dict[str, tuple[float, int, int]] = {}
    for r in rows:
        for group, (total, n) in r.skills.items():
            t0, n0, people = sums.get(group, (0.0, 0, 0))
            sums[group] = (t0 + total, n0 + n, people + 1)
    return {g: (total / n, people) for g, (total, n, people) in sums.items() if n}


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


# Counts of career interests are shown to leadership only when none, or at least this many, SEs keep theirs
# private: beside the SEs named, a count over one or two would give their answers away.
PRIVATE_FLOOR = 3


@dataclass(frozen=True)
class Interests:
    """Career interests across the organisation as leadership sees them: counts; names only of who shares."""

    tracks: tuple[tuple[str, int], ...] = ()  # (track preference, SEs), in the ladder's order
    pivots: tuple[tuple[str, int], ...] = ()  # (top pivot of interest, SEs), most first
    shared: int = 0  # SEs who answered and share theirs with leadership by name
    private: int = 0  # SEs who answered and keep theirs private

    @property
    def shown(self) -> bool:
        return bool(self.shared or self.private) and (self.private == 0 or self.private >= PRIVATE_FLOOR)

    @property
    def line(self) -> str:
        """"Track preference: Principal IC 4 · Management 3 ...; 3 of 8 share theirs by name" ("" when withheld)."""
        if not self.shown:
            return ""
        tracks = " · ".join(f"{name} {n}" for name, n in self.tracks)
        pivots = " · ".join(f"{name} {n}" for name, n in self.pivots) or "none"
        return (f"Track preference: {tracks}. Top pivot of interest: {pivots}. "
                f"{self.shared} of {self.shared + self.private} who answered share theirs by name.")


def interests(rows: Iterable[_Row], ladder: Ladder) -> Interests:
    answered = [r for r in rows if r.track or r.top_pivot not in ("", NO_PIVOT_INTEREST)]
    tracks = Counter(r.track for r in answered if r.track)
    pivots = Counter(r.top_pivot for r in answered if r.top_pivot not in ("", NO_PIVOT_INTEREST))
    shared = sum(1 for r in answered if r.shares_interests)
    return Interests(tuple((t, tracks.get(t, 0)) for t in ladder.track_options), tuple(pivots.most_common()),
                     shared, len(answered) - shared)
