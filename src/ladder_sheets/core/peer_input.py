"""Whose peer workbook is used, and what each SE's raters answered: the peer round as collect assembles it.

Each rater on the roster gets a ``RaterResult``: missing, or the newest of their peer workbooks
that came from them. From whom is a matter of trust, as for a manager's scores: a file given
to collect (the person running it vouches for it), or an email from the rater's own address
or the roster's return address. One from any other address is refused with a problem that
says why, and its answers are never used. The used workbook's answers go to each SE it rates
(``PersonResult.peers``); its problems (a value out of range, a deleted sheet) are the rater's,
never the SE's, so an SE is never reminded of a rater's typo. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .kinds import PEER_INPUT
from .model import Roster
from .outcomes import FileOutcome, Via
from .peer_layout import Rates, raters
from .raters import PeerAnswer, Rater
from .results import Kind, Problem, RaterResult, Severity, Status, status_for


@dataclass(frozen=True)
class Gathered:
    """The peer round as collected: each SE's answers (by person id) and each rater's result."""

    answers: dict[str, tuple[PeerAnswer, ...]]
    raters: tuple[RaterResult, ...]


def gather(roster: Roster, outcomes: Sequence[FileOutcome]) -> Gathered:
    """Every rater's result and every SE's answers, from the peer workbooks among ``outcomes``.

    A peer workbook of someone the roster names as nobody's rater has no ``author``: its problem
    stays with the unmatched files.
    """
    index = raters(roster)
    theirs: dict[str, list[FileOutcome]] = {k: [] for k in index}
    for o in outcomes:
        if o.kind == PEER_INPUT and o.author in theirs:
            theirs[o.author].append(o)
    answers: dict[str, list[PeerAnswer]] = {}
    results = []
    for k, rates in index.items():
        result, used = _rater(roster, rates, theirs[k])
        results.append(result)
        for person_id, answer in used:
            answers.setdefault(person_id, []).append(answer)
    return Gathered({pid: tuple(a) for pid, a in answers.items()}, tuple(results))


def _rater(roster: Roster, rates: Rates, outcomes: list[FileOutcome]) -> tuple[RaterResult, list[tuple[str, PeerAnswer]]]:
    """One rater's result, and the answers of the peer workbook used (person id, answer)."""
    rater, ids = rates.rater, tuple(p.id for p, _ in rates.people)
    if not outcomes:
        return RaterResult(rater.key, rater.name, Status.MISSING, rates=ids), []
    verdicts = [(o, refusal(roster, rater, o)) for o in outcomes]
    refused = [(o, why) for o, why in verdicts if why]
    trusted = [o for o, why in verdicts if not why]
    chosen = max([o for o in trusted if o.preferred] or trusted, key=lambda o: (o.mtime, o.file), default=None)
    problems: list[Problem] = []
    if chosen is not None:
        problems += [*chosen.problems, *(p for part in chosen.parts for p in part.problems)]
    for o in trusted:
        if o is not chosen and chosen is not None:
            problems.append(Problem(o.file, "", "", Kind.DUPLICATE, f"another peer workbook of {rater.name}'s: "
                                    f"{chosen.file} was used (newer) and this one not", Severity.NOTE))
    problems += [Problem(o.file, "", "", Kind.NOT_FROM_RATER, why, Severity.ERROR if chosen is None else Severity.NOTE)
                 for o, why in refused]
    used = [(part.person_id, part.peer) for part in (chosen.parts if chosen is not None else ())
            if part.peer is not None and part.peer.answered]
    if chosen is not None and chosen.parts and not used:
        problems.append(Problem(chosen.file, "", "", Kind.NOT_STARTED, f"{rater.name}'s peer workbook came back "
                                "blank: nothing rated and no answer to the question", Severity.INCOMPLETE))
    file = chosen.file if chosen is not None else ""
    return RaterResult(rater.key, rater.name, status_for(tuple(problems)), file, ids, tuple(problems)), used


def refusal(roster: Roster, rater: Rater, o: FileOutcome) -> str:
    """Why a peer workbook that came by email is not used ("" when it is): not from the rater's side."""
    allowed = {rater.key, roster.return_to.lower()} - {""}
    if o.via is not Via.EMAIL or o.sender in allowed:
        return ""
    also = f" or the return address ({roster.return_to})" if roster.return_to else ""
    return (f"this peer workbook of {rater.name}'s came from {o.sender or 'no sender'}, not from their address "
            f"({rater.email}){also}, so its answers were not used: {rater.name} sends it from their own address")
