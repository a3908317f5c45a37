"""Sample returns for ``make demo``: generated workbooks filled in as SEs and managers would, sent back as
emails into a Maildir, so collect, reminders and reports have something real to show.

Everything it writes is marked as sample data (evidence, read-out and every email say so).
People get one profile each, in roster order (cycling for longer rosters); on the example
team that gives a promotion candidate, a complete SE still developing, a calibration
outlier, a partial return, a complete SE who is close, one who has not returned a
workbook (only a "will send it Friday" email), one waiting for the manager's scores and
one more complete SE.

Where managers score in the workbook, profiles scored by the manager arrive twice: the SE's
return, then the manager's, so the newer email is the one read. Where they score in a
review (the default), the managers' round is its own step (``--reviews``): each manager
returns the review ``ladder-sheets review`` wrote, scored per profile, from their own
address; the second manager's review comes back a day later and leaves the SEs still
waiting unscored.

The AEs' and peers' round (``--peers``, after ``ladder-sheets peers``): every rater but the last
returns their peer workbook from their own address, rated and with the blind-spot question
answered; on the example team that shows Leticia's input (3 raters) and hides Tomáš's (fewer
than 3), and leaves one rater to remind.

Run: ``python -m ladder_sheets.workflows.sample --team TEAM --workbooks out/2026-Q4 --maildir out/inbox``
then, after ``collect`` and ``review``: ``... --reviews out/reviews --maildir out/inbox``, and after
``peers``: ``... --peers out/peers --maildir out/inbox``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core import layout, peer_layout
from ..core.cells import ASKING, SHARE
from ..core.errors import LadderSheetsError
from ..core.model import CellValue, FieldKind, Ladder, Manager, ManagerScores, Person, Recommendation, Roster
from ..core.review_layout import Seed, build_review, key
from ..core.calibration import OrgFigures
from ..mail.maildir import deliver, reply
from ..mail.smtp import named_address
from ..xlsx import manifest
from ..xlsx.fill import fill

MARK = "[Sample]"
_HIGH, _CLOSE, _DEV, _LOW = (3, 3, 3, 2, 3, 3), (2, 3, 2, 2, 3, 2), (2, 1, 2, 1, 2, 2), (2, 1, 1, 2, 1, 1)


@dataclass(frozen=True)
class Profile:
    what: str  # shown in the demo's output
    self_scores: tuple[int, ...] | None  # cycled over the criteria; None: not returned
    manager_scores: tuple[int, ...] | None = None  # None: the manager has not scored yet
    blank_self: int = 0  # criteria left unscored (the last ones)
    blank_metrics: int = 0
    metric_level: float = 1.2  # actual as a multiple of the target (below 1: below benchmark)
    asking: bool = False  # asks for the move this quarter (a promotion), and shares their career interests


PROFILES = (
    Profile("promotion candidate: complete, Ready by the manager's scores", _HIGH, _HIGH, metric_level=1.5,
            asking=True),
    Profile("complete, still developing", _DEV, _DEV, metric_level=0.5),
    Profile("calibration outlier: rates themself far above the manager's scores", _HIGH, _LOW),
    Profile("partial: some criteria and a metric left blank, not scored by the manager", _CLOSE, None,
            blank_self=3, blank_metrics=1),
    Profile("complete, close to ready", _CLOSE, _CLOSE, asking=True),
    Profile("not returned: only an email saying it will come Friday", None),
    Profile("returned complete by the SE, waiting for the manager's scores", _CLOSE, None),
    Profile("complete", _CLOSE, _HIGH),
)


def return_samples(ladder: Ladder, roster: Roster, quarter: str, workbooks: Path, maildir: Path) -> list[str]:
    """Fill each generated workbook per its profile and deliver the replies to ``maildir``; one line per person."""
    entries = manifest.read(workbooks)
    due = date.fromisoformat(manifest.due(workbooks) or date.today().isoformat())
    # Replies come in the week before the due date, but never later than a few days ago: a newcomer
    # running the demo today should not read emails dated next week.
    recent = datetime.now(timezone.utc).date() - timedelta(days=3)
    start = datetime.combine(min(due - timedelta(days=6), recent), time(9, 30), timezone.utc)
    messages, lines = [], []
    for i, person in enumerate(roster.people):
        profile = PROFILES[i % len(PROFILES)]
        lines.append(f"{person.id}: {profile.what}")
        when = start + timedelta(hours=5 * i)
        subject = f"{MARK} Re: Your {quarter} career workbook"
        if profile.self_scores is None:
            messages.append(reply(named_address(person.name, person.email), roster.return_address(person), subject,
                                  f"{_note()}\n\nSorry, customer week. I will send it on Friday.", when))
            continue
        entry = entries.get(person.id)
        if entry is None:
            raise LadderSheetsError(f"{workbooks}: no workbook for {person.id} (run `ladder-sheets generate` first)")
        blank = (workbooks / entry.file).read_bytes()
        wl = layout.build(ladder, roster, person, quarter, due)
        mine = fill(blank, wl, _values(ladder, person, profile, with_manager=False))
        messages.append(reply(named_address(person.name, person.email), roster.return_address(person), subject,
                              f"{_note()}\n\nHere is my workbook.", when, [(entry.file, mine)]))
        if profile.manager_scores is not None and roster.manager_scores is ManagerScores.IN_WORKBOOK:
            manager = roster.manager_of(person)
            scored = fill(blank, wl, _values(ladder, person, profile, with_manager=True))
            messages.append(reply(named_address(manager.name, manager.email), roster.return_address(person),
                                  f"{subject} ({person.name}, scored)", f"{_note()}\n\nScored: {person.name}.",
                                  when + timedelta(days=1), [(entry.file, scored)]))
    deliver(maildir, messages)
    return lines


def return_reviews(ladder: Ladder, roster: Roster, quarter: str, reviews: Path, maildir: Path) -> list[str]:
    """Fill each manager's review per their SEs' profiles and deliver it from the manager; one line per manager."""
    entries = manifest.read(reviews)
    due = date.fromisoformat(manifest.due(reviews) or date.today().isoformat())
    blind = manifest.flag(reviews, "blind")
    start = datetime.combine(min(due - timedelta(days=2), datetime.now(timezone.utc).date() - timedelta(days=1)),
                             time(16, 0), timezone.utc)
    profiles = {p.id: PROFILES[i % len(PROFILES)] for i, p in enumerate(roster.people)}
    messages, lines = [], []
    for n, manager in enumerate(m for m in roster.managers if m.id in entries):
        people = [p for p in roster.people if p.manager == manager.id]
        entry = entries[manager.id]
        wl = build_review(ladder, roster, manager, quarter, due, [Seed(p) for p in people], blind, OrgFigures())
        values = {k: v for p in people for k, v in _review_values(ladder, p, profiles[p.id]).items()}
        scored = (reviews / entry.file).read_bytes()
        scored = fill(scored, wl, values)
        messages.append(reply(named_address(manager.name, manager.email), _return_to(roster, manager),
                              f"{MARK} Re: Your {quarter} manager review", f"{_note()}\n\nMy review is attached.",
                              start + timedelta(days=n, hours=n), [(entry.file, scored)]))
        done = sum(1 for p in people if profiles[p.id].manager_scores is not None)
        lines.append(f"{manager.id}: review returned, {done} of {len(people)} SEs scored")
    deliver(maildir, messages)
    return lines


def return_peers(ladder: Ladder, roster: Roster, quarter: str, peers: Path, maildir: Path) -> list[str]:
    """Fill each rater's peer workbook and deliver it from the rater (all but the last); one line per rater."""
    entries = manifest.read(peers)
    due = date.fromisoformat(manifest.due(peers) or date.today().isoformat())
    start = datetime.combine(min(due - timedelta(days=3), datetime.now(timezone.utc).date() - timedelta(days=1)),
                             time(11, 0), timezone.utc)
    index = list(peer_layout.raters(roster).items())
    messages, lines = [], []
    for n, (k, rates) in enumerate(index):
        if n == len(index) - 1 and n > 0:
            lines.append(f"{k}: not returned (a reminder goes to them)")
            continue
        entry = entries[k]
        wl = peer_layout.build_peer(ladder, roster, rates, quarter, due)
        values: dict[str, CellValue] = {}
        for p, _ in rates.people:
            for i, c in enumerate(ladder.peer_criteria(p.target_level)):
                values[peer_layout.key(p.id, f"criteria.{c.id}.rating")] = (
                    ladder.not_observed.label if c.allow_not_observed and (i + n) % 3 == 0 else 1 + (i + n) % 3)
            values[peer_layout.key(p.id, peer_layout.BLIND_SPOT_KEY)] = f"{MARK} {_BLIND_SPOTS[n % len(_BLIND_SPOTS)]}"
        rated = fill((peers / entry.file).read_bytes(), wl, values)
        messages.append(reply(named_address(rates.rater.name, rates.rater.email), roster.return_to or _SE_OPS,
                              f"{MARK} Re: Your input on {quarter}", f"{_note()}\n\nMy ratings are attached.",
                              start + timedelta(hours=3 * n), [(entry.file, rated)]))
        lines.append(f"{k}: returned, {len(rates.people)} SE(s) rated")
    deliver(maildir, messages)
    return lines


_SE_OPS = "se-ops@localhost"  # where the sample's raters reply when the roster has no return address
_BLIND_SPOTS = ("Answers the CFO's ROI question too late: in the Acme review the doubt sat in the room for ten minutes.",
                "Talks over the customer's architect when they already know the answer.",
                "Rarely brings the AE into the technical close plan, so the commercial story lags behind.")


def _return_to(roster: Roster, manager: Manager) -> str:
    return manager.return_to or roster.return_to or manager.email


def _review_values(ladder: Ladder, person: Person, profile: Profile) -> dict[str, CellValue]:
    """A manager's scores, comments, recommendation and why for one SE of this profile (none: left for later)."""
    if profile.manager_scores is None:
        return {}
    values: dict[str, CellValue] = {}
    for n, c in enumerate(ladder.rubric_for(person.target_level).criteria):
        values[key(person.id, f"criteria.{c.id}.manager")] = profile.manager_scores[n % len(profile.manager_scores)]
        if n == 0:
            values[key(person.id, f"criteria.{c.id}.comment")] = f"{MARK} Seen first-hand in two deal reviews."
    mean = sum(profile.manager_scores) / len(profile.manager_scores)
    choice = (Recommendation.PROMOTE_NOW if mean >= 2.5 else Recommendation.NEXT_CYCLE if mean >= 2
              else Recommendation.NOT_YET)
    values[key(person.id, "recommendation")] = choice.shown
    values[key(person.id, "why")] = f"{MARK} {_WHY[choice]}"
    return values


_WHY = {Recommendation.PROMOTE_NOW: "Operating at the next level for two quarters; the Acme and Globex wins are "
                                    "theirs, and two new SEs ramped under their coaching.",
        Recommendation.NEXT_CYCLE: "Close: one more quarter leading a strategic POC end to end makes the case.",
        Recommendation.NOT_YET: "Building the fundamentals; we agreed on two development priorities for next quarter."}


def _note() -> str:
    return "SAMPLE DATA written by `make demo` (ladder_sheets.workflows.sample): not a real person's answers."


def _values(ladder: Ladder, person: Person, profile: Profile, *, with_manager: bool) -> dict[str, CellValue]:
    assert profile.self_scores is not None
    criteria = ladder.rubric_for(person.target_level).criteria
    values: dict[str, CellValue] = {}
    for n, c in enumerate(criteria):
        if n < len(criteria) - profile.blank_self:
            values[f"criteria.{c.id}.self"] = profile.self_scores[n % len(profile.self_scores)]
            values[f"criteria.{c.id}.evidence"] = f"{MARK} {_EVIDENCE[n % len(_EVIDENCE)]}"
        if with_manager and profile.manager_scores is not None:
            values[f"criteria.{c.id}.manager"] = profile.manager_scores[n % len(profile.manager_scores)]
    metrics = ladder.metrics_for(person.level, person.target_level)
    for n, m in enumerate(metrics):
        if n >= len(metrics) - profile.blank_metrics:
            continue
        ratio = profile.metric_level if m.comparator in (">=", ">") else 2 - profile.metric_level
        values[f"metrics.{m.id}.actual"] = round(max(0.0, m.target * ratio), 1)
    yes, no = ladder.signal_options
    for n, p in enumerate(ladder.pivots):
        values |= {f"pivots.{p.id}.interest": (n + 2) % 4, f"pivots.{p.id}.signal": yes if n % 2 == 0 else no,
                   f"pivots.{p.id}.gap_progress": (n + 1) % 4}
    values["track_preference"] = ladder.track_options[0]
    for f in ladder.readout_for(person.level, person.target_level).fields:
        values[f"readout.{f.id}"] = _readout_value(ladder, person, f.kind, f.id)
    if person.level != person.target_level and person.asking_for_move is None:
        values[ASKING] = yes if profile.asking else no
    values[SHARE] = yes if profile.asking else no
    return values


def _readout_value(ladder: Ladder, person: Person, kind: FieldKind, field_id: str) -> CellValue:
    if kind == FieldKind.PERCENT:
        return 112
    if kind == FieldKind.LEVEL:
        return ladder.level(person.target_level).name
    text = _READOUT.get(field_id, "as discussed in our 1:1")
    # The read-out is one assembled sentence: the mark goes once, at its end, where it reads naturally.
    return f"{text} (sample data)" if field_id == "milestones" else text


_EVIDENCE = ("Led the Acme Corp security deep-dive; the CISO signed off in one meeting.",
             "Rebuilt the demo environment; setup time down from 2 days to 2 hours.",
             "Ran the objection-handling session at the regional kickoff.",
             "Mentored two new SEs through their first POCs.",
             "Brought product the top three field requests, with deal evidence.",
             "Multi-threaded the Globex renewal across IT, security and finance.")
_READOUT = {"period": "six months", "asset": "the competitive battlecard for Competitor X",
            "asset_reach": "used by the whole EMEA team in three won deals",
            "complex_poc": "the Acme Corp data-platform POC",
            "milestones": "own the partner enablement track; lead two strategic POCs"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ladder_sheets.workflows.sample", description=__doc__.split("\n")[0])
    parser.add_argument("--team", type=Path, required=True)
    parser.add_argument("--ladder", type=Path)
    parser.add_argument("--quarter", required=True)
    parser.add_argument("--workbooks", type=Path, help="the folder `generate` wrote: the SEs' round")
    parser.add_argument("--reviews", type=Path, help="the folder `review` wrote: the managers' round")
    parser.add_argument("--peers", type=Path, help="the folder `peers` wrote: the AEs' and peers' round")
    parser.add_argument("--maildir", type=Path, required=True, help="Maildir to deliver the sample replies to")
    args = parser.parse_args(argv)
    if sum(x is not None for x in (args.workbooks, args.reviews, args.peers)) != 1:
        parser.error("give --workbooks (the SEs' round), --reviews (the managers' round) or --peers (the raters')")
    try:
        ladder = load_ladder(args.ladder)
        roster = load_roster(args.team, ladder)
        returned = (return_reviews(ladder, roster, args.quarter, args.reviews, args.maildir) if args.reviews else
                    return_peers(ladder, roster, args.quarter, args.peers, args.maildir) if args.peers else
                    return_samples(ladder, roster, args.quarter, args.workbooks, args.maildir))
        for line in returned:
            print(f"sample return {line}")
    except (LadderSheetsError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(f"SAMPLE DATA: replies delivered to the Maildir {args.maildir}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
