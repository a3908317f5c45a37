"""The AEs and peers who rate an SE on the customer-facing criteria: who they are, what the ladder does with
their answers, and what one of them answered for one SE. Pure data.

The documents' own coaching question is "If I asked the AE team behind your back, what would
they say is your biggest blind spot in the room?": the peer round asks the AE team (and peers)
themselves. The roster names each SE's raters (``Person.raters``); the ladder marks the criteria
they rate (``Criterion.peer_rated``) and how their answers are shown (``PeerSettings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .compat import StrEnum


class RaterRole(StrEnum):
    """How a rater knows the SE: the account executive they sell with, or a fellow SE."""

    AE = "ae"
    PEER = "peer"

    @property
    def shown(self) -> str:
        return "AE" if self is RaterRole.AE else "peer"


class Attribution(StrEnum):
    """How peer input is shown to the manager and the committee."""

    ANONYMOUS = "anonymous"  # means and answers without names, only from ``min_raters`` raters up
    ATTRIBUTED = "attributed"  # each rater's answers with their name


# The blind-spot question as the rater reads it, about the SE ({name}: their first name).
BLIND_SPOT = "What is {name}'s biggest blind spot in the room?"


@dataclass(frozen=True)
class PeerSettings:
    """The ladder's ``peer_input``: how AE and peer answers are shown, and whether readiness counts them."""

    attribution: Attribution = Attribution.ANONYMOUS
    min_raters: int = 3  # anonymous: nothing is shown for an SE (or a criterion) below this many raters
    # True: a "readiness with peer input" is shown beside the manager's (never the band or the workbooks').
    in_readiness: bool = False
    question: str = BLIND_SPOT


@dataclass(frozen=True)
class Rater:
    """One AE or peer the roster names for one SE."""

    name: str
    email: str
    role: RaterRole = RaterRole.AE

    @property
    def key(self) -> str:
        """Who they are across SEs: the address, lower case (one workbook per rater)."""
        return self.email.lower()


@dataclass(frozen=True)
class PeerAnswer:
    """What one rater answered for one SE: their ratings, "not observed yet" marks and the blind spot."""

    rater: str  # Rater.key
    name: str
    role: RaterRole
    ratings: Mapping[str, float] = field(default_factory=dict)  # criterion id -> 0..scale max (blank: absent)
    not_observed: tuple[str, ...] = ()  # criterion ids marked "not observed yet"
    blind_spot: str = ""
    source: str = ""  # the workbook it came from, in words

    @property
    def answered(self) -> bool:
        return bool(self.ratings or self.not_observed or self.blind_spot.strip())


def answer_record(a: PeerAnswer) -> dict[str, Any]:
    """One answer as results.json keeps it (attributed: SE Ops' working file)."""
    return {"rater": a.rater, "name": a.name, "role": a.role.value, "ratings": dict(a.ratings),
            "not_observed": list(a.not_observed), "blind_spot": a.blind_spot, "source": a.source}


def answer_from(d: Mapping[str, Any]) -> PeerAnswer:
    return PeerAnswer(d["rater"], d["name"], RaterRole(d["role"]), dict(d["ratings"]), tuple(d["not_observed"]),
                      d["blind_spot"], d.get("source", ""))
