"""AE and peer input as the manager's agenda and the promotion packet show it: as the ladder says, never more.

Anonymous (the default): the mean rating per criterion with its n, and the answers to the
blind-spot question without names, only once ``min_raters`` raters have answered for the SE;
below that, "fewer than 3 raters: not shown", and a criterion fewer than ``min_raters`` rated
shows no mean (one rating would be one person's). The answers are sorted, so their order
says nothing about who wrote which. Attributed: each rater's ratings and answer with their
name. With ``in_readiness`` a "readiness with peer input" is shown beside the manager's: on
each peer-rated criterion shown, the mean of the manager's score and the raters' mean. The
band, and every workbook's readiness, stay the manager's. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Ladder, Score
from .raters import Attribution, PeerAnswer, RaterRole
from .results import PersonResult
from .scoring import readiness


@dataclass(frozen=True)
class PeerLine:
    """One customer-facing criterion as the raters rated it."""

    criterion_id: str
    criterion: str
    mean: float | None  # None: not shown (too few rated it, anonymously), or nobody rated it
    n: int  # ratings given (0 to the scale's top)
    not_observed: int  # "not observed yet" marks
    note: str = ""  # why no mean is shown
    by_rater: tuple[str, ...] = ()  # attributed: each rater's rating as shown ("2", "n/o", "—"), in ``raters`` order


@dataclass(frozen=True)
class BlindSpot:
    text: str
    who: str = ""  # attributed: "Dana Ross (AE)"


@dataclass(frozen=True)
class PeerView:
    """One SE's AE and peer input, as much of it as the ladder allows to be shown."""

    asked: int = 0  # raters the roster names for the SE
    answered: int = 0  # raters who rated something or answered the question
    attributed: bool = False
    shown: bool = False
    note: str = ""  # why nothing is shown ("fewer than 3 raters: not shown")
    roles: str = ""  # "2 AEs, 1 peer"
    raters: tuple[str, ...] = ()  # attributed: "Dana Ross (AE)", in the order collected
    lines: tuple[PeerLine, ...] = ()
    blind_spots: tuple[BlindSpot, ...] = ()
    with_peers: float | None = None  # in_readiness: readiness with peer input
    in_readiness: bool = False

    @property
    def any(self) -> bool:
        """Something to say at all: the SE has raters, or answers came in."""
        return bool(self.asked or self.answered)


def peer_view(ladder: Ladder, result: PersonResult, asked: int) -> PeerView:
    """What the agenda and the packet show of ``result``'s AE and peer input; ``asked``: raters named."""
    settings = ladder.peer_input
    answers = [a for a in result.peers if a.answered]
    attributed = settings.attribution is Attribution.ATTRIBUTED
    least = 1 if attributed else settings.min_raters
    if len(answers) < least:
        note = f"fewer than {least} rater{'s' if least != 1 else ''}: not shown" if asked or answers else ""
        return PeerView(asked, len(answers), attributed, note=note, in_readiness=settings.in_readiness)
    lines = _lines(ladder, result, answers, least, attributed)
    spots = [BlindSpot(a.blind_spot.strip(), _who(a) if attributed else "") for a in answers if a.blind_spot.strip()]
    return PeerView(asked, len(answers), attributed, True, "", _roles(answers),
                    tuple(_who(a) for a in answers) if attributed else (), lines,
                    tuple(spots if attributed else sorted(spots, key=lambda b: b.text.casefold())),
                    _with_peers(ladder, result, lines) if settings.in_readiness else None, settings.in_readiness)


def _lines(ladder: Ladder, result: PersonResult, answers: Sequence[PeerAnswer], least: int,
           attributed: bool) -> tuple[PeerLine, ...]:
    out = []
    for c in ladder.peer_criteria(result.person.target_level):
        scores = [a.ratings[c.id] for a in answers if c.id in a.ratings]
        na = sum(1 for a in answers if c.id in a.not_observed)
        enough = len(scores) >= least
        note = "" if enough or not scores else f"fewer than {least} ratings: not shown"
        by = tuple(_shown(a, c.id, ladder.not_observed.label) for a in answers) if attributed else ()
        out.append(PeerLine(c.id, c.text, sum(scores) / len(scores) if enough and scores else None, len(scores), na, note,
                            by))
    return tuple(out)


def _shown(answer: PeerAnswer, cid: str, label: str) -> str:
    if cid in answer.ratings:
        return f"{answer.ratings[cid]:g}"
    return label if cid in answer.not_observed else "—"


def _who(a: PeerAnswer) -> str:
    return f"{a.name} ({a.role.shown})"


def _roles(answers: Sequence[PeerAnswer]) -> str:
    parts = []
    for role, one, many in ((RaterRole.AE, "AE", "AEs"), (RaterRole.PEER, "peer", "peers")):
        n = sum(1 for a in answers if a.role is role)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _with_peers(ladder: Ladder, result: PersonResult, lines: Sequence[PeerLine]) -> float | None:
    """The manager's readiness with each peer-rated criterion shown counting the raters' mean half."""
    if result.inputs is None:
        return None
    rubric = ladder.rubric_for(result.person.target_level)
    means = {line.criterion_id: line.mean for line in lines if line.mean is not None}
    scores: list[Score] = []
    for c in rubric.criteria:
        got = result.inputs.criteria.get(c.id)
        value = got.manager_value if got is not None else None
        if isinstance(value, (int, float)) and c.id in means:
            value = (value + means[c.id]) / 2
        scores.append(value)
    return readiness(scores, [c.weight for c in rubric.criteria], ladder.scale.max, ladder.not_observed.min_share)
