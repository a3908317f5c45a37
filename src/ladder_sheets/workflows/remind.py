"""``remind``: from a collect or pull results file, one friendly email to each person with something open.

- each SE who has not returned a workbook, or left items blank or wrong: what is still
  missing in plain words (``core.outstanding``), the days left in the subject, and their
  workbook attached again when none came back;
- each manager with returned workbooks still to score: the criteria per SE (and, for
  context, which of their SEs are still at work); when managers score in reviews, every SE
  still to score, with the manager's review attached again (after ``push --reviews``: its link);
- with ``peers`` (the folder ``ladder-sheets peers`` wrote), each AE or peer whose peer workbook
  has not come back, came back blank or could not be used: their workbook attached again;
- SE Ops: one overview of who is outstanding, and returns that matched nobody.

Manager scores that were not used (sent from the SE's own address, a review from someone
else) are said to the SE, the manager and SE Ops, in the same plain words.

Nobody who is complete gets a reminder. The emails are written for ``send`` (dry run first).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core.errors import ConfigError
from ..core.model import Ladder, ManagerScores, Roster
from ..core.outstanding import Outstanding, outstanding
from ..core.peer_layout import return_address
from ..core.results import PersonResult, Results, ScoredBy, Severity, Status
from ..mail.smtp import bare_address, named_address
from ..xlsx import manifest
from .handout import is_sync_state, manifest_due, pushed_reviews
from .outbox import Draft, days_left, due_long, due_short, file_stem, first_name, sender_name, write_outbox
from .results_file import read_results


@dataclass(frozen=True)
class Reminder:
    path: Path
    to: tuple[str, ...]
    subject: str
    lines: tuple[str, ...]  # what it asks for, as the dry run lists it


def write_reminders(results_path: Path, ladder_path: Path | None, team_path: Path, out: Path, *, sender: str,
                    due: date | None = None, today: date | None = None, ops: Sequence[str] = (),
                    workbooks: Path | None = None, reviews: Path | None = None,
                    peers: Path | None = None) -> list[Reminder]:
    """``ladder-sheets remind``: ``build_reminders`` from a results file and the config files.

    The due date is ``due``, else the one ``generate`` put in the manifest of ``workbooks``
    (or ``review`` in that of ``reviews``; ConfigError when none gives one); the days left
    count from ``today`` (default: today); the overview goes to ``ops``, else to ``sender``.
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    results = read_results(results_path)
    if reviews is not None and is_sync_state(reviews):
        due = due or pushed_reviews(reviews, results.quarter).due
    due = due or next((d for folder in (workbooks, reviews, peers) if folder and (d := manifest_due(folder))), None)
    if due is None:
        raise ConfigError("--due: no due date (give --due YYYY-MM-DD, or --workbooks with the manifest of `generate`)")
    return build_reminders(ladder, roster, results, out, sender=sender, due=due, today=today or date.today(),
                           ops=list(ops) or [sender], workbooks=workbooks, reviews=reviews, peers=peers)


def build_reminders(ladder: Ladder, roster: Roster, results: Results, out: Path, *, sender: str, due: date,
                    today: date, ops: Sequence[str] = (), workbooks: Path | None = None,
                    reviews: Path | None = None, peers: Path | None = None) -> list[Reminder]:
    """Write the reminders into ``out`` (replacing the last run's) and say what each one asks.

    Raters are reminded only with ``peers``: its manifest says the peer round has begun.
    """
    when = days_left(due, today)
    common: dict[str, object] = {"quarter": results.quarter, "due_long": due_long(due), "when": when,
                                 "sender_name": sender_name(sender), "review": roster.manager_scores is ManagerScores.REVIEW}
    open_items = [(r, _in_use(r, outstanding(ladder, r))) for r in results.people]
    attachable = _attachable(workbooks)
    returns = {p.id: roster.return_address(p) for p in roster.people}  # someone who left the roster: their manager
    drafts: list[Draft] = []
    lines: list[tuple[str, ...]] = []
    for r, o in open_items:
        if o.se_done and not o.refused:
            continue
        draft = _se_draft(returns, r, o, common, attachable, due)
        drafts.append(draft)
        lines.append(tuple(draft.context["lines"]) + ((f"attached again: {draft.attachments[0][0]}",)
                                                      if draft.attachments else ()))
    for draft in _manager_drafts(ladder, returns, open_items, common, due, *_review_copies(reviews, results)):
        drafts.append(draft)
        lines.append(tuple(f"{i['name']}: {i['line']}" for i in draft.context["to_score"])
                     + ((f"attached again: {draft.attachments[0][0]}",) if draft.attachments else ())
                     + ((f"link: {draft.context['link']}",) if draft.context["link"] else ()))
    manager_count = sum(1 for d in drafts if d.template == "reminder_manager")
    se_count = len(drafts) - manager_count
    raters = _rater_drafts(roster, results, common, sender, due, peers) if peers is not None else []
    for draft in raters:
        drafts.append(draft)
        lines.append(tuple(draft.context["lines"]) + ((f"attached again: {draft.attachments[0][0]}",)
                                                      if draft.attachments else ()))
    if ops:
        ops_draft = _ops_draft(results, open_items, common, ops, due, se_count, manager_count, raters)
        drafts.append(ops_draft)
        lines.append((f"{len(ops_draft.context['rows'])} of {len(results.people)} SEs outstanding",))
    paths = write_outbox(out, sender, drafts)
    return [Reminder(p, d.to, d.subject, ls) for p, d, ls in zip(paths, drafts, lines)]


def _in_use(r: PersonResult, o: Outstanding) -> Outstanding:
    """``o`` without its refused manager scores once scores from the manager's side are in use (a later
    return or review of theirs): nobody has anything left to do about the refused ones."""
    return o if r.scored_by.kind is ScoredBy.NONE else replace(o, refused=())


def _review_copies(reviews: Path | None, results: Results
                   ) -> tuple[dict[str, tuple[str, bytes]], dict[str, str], dict[str, str]]:
    """The reviews to attach again (the folder ``review`` wrote), or their links (the sync state of ``push --reviews``)
    and the SEs a shared review has no sheet for (joined later), by id, with their own spreadsheet's link."""
    if reviews is not None and is_sync_state(reviews):
        pushed = pushed_reviews(reviews, results.quarter)
        outside = {r.person.id: pushed.own.get(r.person.id, "") for r in results.people
                   if r.person.manager_id in pushed.built and r.person.id not in pushed.built[r.person.manager_id]}
        return {}, pushed.links, outside
    return _attachable(reviews), {}, {}


def _attachable(workbooks: Path | None) -> dict[str, tuple[str, bytes]]:
    """Workbooks to attach again: only those still exactly as generated (a changed one may hold someone's answers)."""
    if workbooks is None:
        return {}
    found = {}
    for person_id, entry in manifest.read(workbooks).items():
        try:
            data = (workbooks / entry.file).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == entry.sha256:
            found[person_id] = (entry.file, data)
    return found


def _se_draft(returns: dict[str, str], r: PersonResult, o: Outstanding, common: dict[str, object],
              attachable: dict[str, tuple[str, bytes]], due: date) -> Draft:
    p = r.person
    return_to = returns.get(p.id, p.manager_email)
    attachment = (attachable[p.id],) if not o.returned and p.id in attachable else ()
    lines = (o.se_lines() if not o.se_done else []) + [f"your manager's scores: {why}" for why in o.refused]
    context = {**common, "first_name": first_name(p.name), "returned": o.returned, "lines": lines,
               "invitation": o.invitation(), "return_to": return_to,
               "attachment": attachment[0][0] if attachment else "", "only_note": o.se_done}
    what = "still open" if o.returned else "not returned yet"
    subject = f"Reminder: your {common['quarter']} career workbook is {what}, {common['when']} (due {due_short(due)})"
    return Draft(file_stem("se", p.id), (named_address(p.name, p.email),), subject, "reminder_se", context,
                 reply_to=return_to, attachments=attachment)


def _manager_drafts(ladder: Ladder, returns: dict[str, str], open_items: list[tuple[PersonResult, Outstanding]],
                    common: dict[str, object], due: date, reviews: dict[str, tuple[str, bytes]],
                    links: dict[str, str], outside: dict[str, str]) -> list[Draft]:
    """One reminder per manager with SEs to score: their review attached again, or linked after ``push --reviews``."""
    by_manager: dict[str, list[tuple[PersonResult, Outstanding]]] = {}
    for r, o in open_items:
        by_manager.setdefault(r.person.manager_id, []).append((r, o))
    drafts = []
    for manager_id, items in by_manager.items():
        to_score = [{"name": r.person.name, "line": line} for r, o in items
                    if (line := _to_score(ladder, r, o, bool(common["review"]), outside.get(r.person.id)))]
        if not to_score:
            continue  # nothing for this manager to do: no reminder
        waiting = [{"name": r.person.name, "line": "; ".join(o.se_lines())} for r, o in items if not o.se_done]
        first = items[0][0].person
        # Read from an SE still on the roster: one who has left it no longer says where the manager's returns go.
        return_to = next((returns[r.person.id] for r, _ in items if r.person.id in returns), first.manager_email)
        attachment = (reviews[manager_id],) if common["review"] and manager_id in reviews else ()
        context = {**common, "first_name": first_name(first.manager_name), "to_score": to_score, "waiting": waiting,
                   "return_to": return_to, "own_address": return_to.lower() == first.manager_email.lower(),
                   "attachment": attachment[0][0] if attachment else "",
                   "link": links.get(manager_id, "") if common["review"] else ""}
        n = len(to_score)
        subject = (f"{common['quarter']} {'review' if common['review'] else 'workbooks'}: {n} SE{'s' if n != 1 else ''} "
                   f"waiting for your scores, {common['when']} (due {due_short(due)})")
        drafts.append(Draft(file_stem("manager", manager_id), (named_address(first.manager_name, first.manager_email),),
                            subject, "reminder_manager", context, reply_to=return_to, attachments=attachment))
    return drafts


def _to_score(ladder: Ladder, r: PersonResult, o: Outstanding, review: bool, own_link: str | None = None) -> str:
    """What the manager still has to do for this SE, in words ("" nothing): scores open (in a review,
    whether or not the SE's workbook is back), and scores of theirs that were not used. ``own_link``:
    the review has no sheet for this SE, who is scored in their own spreadsheet (its link)."""
    line = o.manager_line() if o.returned else ""
    if review and not o.returned and r.scored_by.kind is ScoredBy.NONE:
        n = len(ladder.rubric_for(r.person.target_level).criteria)
        line = f"{n} criteria to score (their workbook is not back yet: their sheet shows no evidence)"
    if line and own_link is not None:
        n = len(o.manager_scores) if o.returned else len(ladder.rubric_for(r.person.target_level).criteria)
        where = f" ({own_link})" if own_link else ""
        line = (f"{n} criteria to score in the Manager column of their own spreadsheet{where}: your review was "
                "made before they joined the team, so it has no sheet for them")
    return "; ".join([*([line] if line else []), *(f"not used: {why}" for why in o.refused)])


def _ops_draft(results: Results, open_items: list[tuple[PersonResult, Outstanding]], common: dict[str, object],
               ops: Sequence[str], due: date, se_count: int, manager_count: int,
               raters: Sequence[Draft] = ()) -> Draft:
    rows = [{"name": r.person.name, "manager": r.person.manager_name, "status": _status(o),
             "se_lines": [] if o.se_done else o.se_lines(),
             "manager_line": "; ".join([*([o.manager_line()] if o.manager_line() else []),
                                        *(f"scores not used: {why}" for why in o.refused)])}
            for r, o in open_items if not (o.se_done and o.manager_done and not o.refused)]
    total = len(results.people)
    context = {**common, "rows": rows, "total": total, "done": total - len(rows), "se_count": se_count,
               "manager_count": manager_count, "unmatched": [str(p) for p in results.unmatched if p.severity is not Severity.NOTE],
               "raters": [{"name": d.context["name"], "lines": d.context["lines"]} for d in raters]}
    subject = f"{common['quarter']} workbooks: {len(rows)} of {total} outstanding, {common['when']} (due {due_short(due)})"
    return Draft("se-ops", tuple(ops), subject, "reminder_ops", context)


def _rater_drafts(roster: Roster, results: Results, common: dict[str, object], sender: str, due: date,
                  peers: Path) -> list[Draft]:
    """A reminder to each AE or peer whose workbook is not back, came back blank or was not used, and why."""
    attachable = _attachable(peers)
    names = {p.person.id: p.person.name for p in results.people}
    return_to = return_address(roster, sender)
    drafts = []
    for r in results.raters:
        if r.status is Status.COMPLETE:
            continue
        lines = ["your peer workbook has not come back yet"] if r.status is Status.MISSING else list(dict.fromkeys(
            p.message for p in r.problems if p.severity is not Severity.NOTE)) or ["your peer workbook is not complete"]
        attachment = (attachable[r.email],) if r.email in attachable else ()
        ses = [names.get(pid, pid) for pid in r.rates]
        context = {**common, "first_name": first_name(r.name), "name": r.name, "lines": lines, "ses": ses,
                   "returned": r.status is not Status.MISSING, "email": r.email,
                   "return_to": bare_address(return_to),
                   "attachment": attachment[0][0] if attachment else ""}
        subject = (f"Reminder: your input on {' and '.join(first_name(n) for n in ses)} ({common['quarter']}), "
                   f"{common['when']} (due {due_short(due)})")
        drafts.append(Draft(file_stem("rater", r.email), (named_address(r.name, r.email),), subject, "reminder_peer",
                            context, reply_to=return_to, attachments=attachment))
    return drafts


def _status(o: Outstanding) -> str:
    if not o.returned:
        return "not returned"
    if not o.se_done:
        return "returned, items open"
    return "waiting for the manager's scores"
