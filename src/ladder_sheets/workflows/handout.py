"""``handout``: one email per SE with their workbook (or its link), what to do and by when.

Each says the due date, what to fill in and where to return it; optionally it is copied to
their manager. The workbooks are those ``generate`` wrote (its manifest says which file is whose and the
due date they show); a workbook that is missing or was changed since is a problem, and
every problem is reported before any email is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core import cells
from ..core.errors import ConfigError, ProblemCollector
from ..core.model import Ladder, Manager, ManagerScores, Person, Roster
from ..core.peer_layout import question, raters, return_address
from ..core.raters import Attribution
from ..google.sync_state import Stage, SyncState
from ..mail.smtp import bare_address, named_address as _named
from ..xlsx import manifest
from .outbox import Draft, due_long, due_short, file_stem, first_name, sender_name, write_outbox


def write_handout(ladder_path: Path | None, team_path: Path, quarter: str, workbooks: Path, out: Path, *,
                  sender: str, due: date | None = None, cc_manager: bool = False,
                  links_from: Path | None = None, reviews: Path | None = None, peers: Path | None = None) -> list[Path]:
    """``ladder-sheets handout``: ``build_handout`` from the config files.

    With ``links_from`` (the sync state of ``push``) each email links the SE's spreadsheet
    instead of attaching a workbook. With ``reviews`` it is the managers' round instead
    (``build_review_handout``), with ``peers`` the AEs' and peers' (``build_peer_handout``).
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    if reviews is not None and peers is not None:
        raise ConfigError("--reviews and --peers are two rounds: hand out one at a time")
    if reviews is not None:
        return build_review_handout(ladder, roster, quarter, reviews, out, sender=sender, due=due)
    if peers is not None:
        return build_peer_handout(ladder, roster, quarter, peers, out, sender=sender, due=due)
    links = shared_links(links_from, quarter) if links_from is not None else None
    return build_handout(ladder, roster, quarter, workbooks, out, sender=sender, due=due, cc_manager=cc_manager,
                         links=links)


def shared_links(state_path: Path, quarter: str) -> dict[str, str]:
    """Each SE's spreadsheet URL in the sync state, once it is shared with them.

    A link to a spreadsheet they cannot open yet helps nobody.
    """
    if not state_path.exists():
        raise ConfigError(f"--links {state_path}: no such sync state (written by `ladder-sheets push`)")
    return {pid: e.url for pid, e in SyncState.load(state_path).quarter(quarter).people.items()
            if e.url and e.stage is Stage.SHARED}


def build_handout(ladder: Ladder, roster: Roster, quarter: str, workbooks: Path, out: Path, *, sender: str,
                  due: date | None = None, cc_manager: bool = False,
                  links: Mapping[str, str] | None = None) -> list[Path]:
    """Write ``se-<id>.eml`` per SE into ``out``, or nothing when any cannot be written.

    With ``links`` (person id -> spreadsheet URL, after ``push``) the email carries the link
    instead of the attachment. Raises ConfigError listing every problem (missing workbook,
    changed workbook, no link, unusable address, no due date).
    """
    problems = ProblemCollector(str(workbooks))
    entries = manifest.read(workbooks) if links is None else {}
    due = due or manifest_due(workbooks)
    if due is None:
        raise ConfigError(f"{workbooks}: the manifest has no due date; give --due YYYY-MM-DD")
    drafts = []
    for person in roster.people:
        attachment: tuple[tuple[str, bytes], ...] = ()
        link = ""
        if links is not None:
            link = links.get(person.id, "")
            if not link:
                problems.add(person.id, "no spreadsheet shared with them in the sync state "
                                        "(run or resume `ladder-sheets push` first)")
                continue
        else:
            data = _workbook(workbooks, entries.get(person.id), person.id, problems)
            if data is None:
                continue
            attachment = ((f"{person.id}.xlsx", data),)
        drafts.append(_draft(ladder, roster, person, quarter, due, attachment, link, cc_manager, sender))
    problems.raise_if_any(ConfigError)
    return write_outbox(out, sender, drafts)


def manifest_due(workbooks: Path) -> date | None:
    """The due date ``generate`` put in the workbooks of ``workbooks`` (from its manifest), None when unknown."""
    try:
        text = manifest.due(workbooks) if (workbooks / manifest.MANIFEST_NAME).exists() else ""
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _workbook(workbooks: Path, entry: manifest.Entry | None, who: str, problems: ProblemCollector,
              command: str = "generate") -> bytes | None:
    """The workbook ``entry`` names, exactly as ``command`` wrote it; else None and a problem."""
    if entry is None:
        problems.add(who, f"no workbook in the manifest (run `ladder-sheets {command}` for this quarter)")
        return None
    path = workbooks / entry.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(entry.file, f"cannot read the workbook: {exc.strerror or exc} (run `ladder-sheets {command}` again)")
        return None
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        done = "generated" if command == "generate" else "written"
        problems.add(entry.file, f"changed since it was {done}: hand out only what `{command}` wrote")
        return None
    return data


def _draft(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date,
           attachment: tuple[tuple[str, bytes], ...], link: str, cc_manager: bool, sender: str) -> Draft:
    manager = roster.manager_of(person)
    return_to = roster.return_address(person)
    rubric = ladder.rubric_for(person.target_level)
    context = {
        "quarter": quarter, "ladder_name": ladder.name, "first_name": first_name(person.name),
        "level": ladder.level(person.level).name, "target": ladder.level(person.target_level).name,
        "manager_name": manager.name, "due_long": due_long(due), "return_to": return_to, "link": link,
        "attachment": attachment[0][0] if attachment else "", "cc_manager": cc_manager,
        "criteria": len(rubric.criteria), "metrics": len(ladder.metrics_for(person.level, person.target_level)),
        "pivots": len(ladder.pivots),
        "sheets": {"scorecard": cells.SCORECARD, "metrics": cells.METRICS, "pivots": cells.PIVOTS,
                   "readout": cells.READOUT},
        # The pivot matrix and the read-out: needed of an SE asking for a move, invited otherwise.
        "move": person.level != person.target_level, "asking": person.asking_for_move,
        "quick_wins": ladder.quick_wins,  # the documents address them to SEs
        "sender_name": sender_name(sender), "review": roster.manager_scores is ManagerScores.REVIEW and not link,
    }
    subject = f"Your {quarter} career workbook: please return it by {due_short(due)}"
    return Draft(file_stem("se", person.id), (_named(person.name, person.email),), subject, "handout", context,
                 cc=(_named(manager.name, manager.email),) if cc_manager else (), reply_to=return_to,
                 attachments=attachment)


def build_review_handout(ladder: Ladder, roster: Roster, quarter: str, reviews: Path, out: Path, *, sender: str,
                         due: date | None = None) -> list[Path]:
    """Write ``manager-<id>.eml`` per manager with SEs into ``out``: their review attached (``reviews``: the
    folder ``ladder-sheets review`` wrote) or its link (``reviews``: the sync state of ``push --reviews``),
    the due date, what to fill in, and that only their own address (or spreadsheet) counts.

    Raises ConfigError listing every problem (a review missing, changed or not shared yet, no due date).
    """
    problems = ProblemCollector(str(reviews))
    linked = is_sync_state(reviews)
    if linked:
        pushed = pushed_reviews(reviews, quarter)
        links, found_due, blind, built, own = pushed.links, pushed.due, pushed.blind, pushed.built, pushed.own
    else:
        entries, found_due, blind = manifest.read(reviews), manifest_due(reviews), manifest.flag(reviews, "blind")
        built, own = {}, {}
    due = due or found_due
    if due is None:
        raise ConfigError(f"{reviews}: no due date in it; give --due YYYY-MM-DD")
    drafts = []
    for manager in roster.managers:
        people = [p for p in roster.people if p.manager == manager.id]
        if not people:
            continue
        if linked:
            if not links.get(manager.id):
                problems.add(manager.id, "no review spreadsheet shared with them in the sync state (run or resume "
                                         "`ladder-sheets push --reviews` first)")
                continue
            attachment: tuple[tuple[str, bytes], ...] = ()
        else:
            entry = entries.get(manager.id)
            data = _workbook(reviews, entry, manager.id, problems, "review")
            if data is None or entry is None:
                continue
            attachment = ((entry.file, data),)
        drafts.append(_review_draft(ladder, roster, manager, people, built.get(manager.id), own, quarter, due, blind,
                                    sender, attachment, links.get(manager.id, "") if linked else ""))
    problems.raise_if_any(ConfigError)
    return write_outbox(out, sender, drafts)


def is_sync_state(reviews: Path) -> bool:
    """``--reviews`` names the folder ``review`` wrote (False: attach) or the sync state of ``push --reviews``
    (True: link); ConfigError when it is neither."""
    if not reviews.exists():
        raise ConfigError(f"--reviews {reviews}: no such folder (written by `ladder-sheets review`) or sync state "
                          "(written by `ladder-sheets push --reviews`)")
    return reviews.is_file()


@dataclass(frozen=True)
class PushedReviews:
    """What the sync state of ``push --reviews`` says of a quarter's reviews."""

    links: dict[str, str]  # manager id -> their review spreadsheet's URL, once shared with them
    due: date | None  # the due date the reviews show, as pushed
    blind: bool
    built: dict[str, set[str]]  # manager id -> the SEs their shared review has a sheet for, where recorded
    own: dict[str, str]  # person id -> their own spreadsheet's URL


def pushed_reviews(state_path: Path, quarter: str) -> PushedReviews:
    """The quarter's reviews as ``push --reviews`` recorded them in the sync state at ``state_path``."""
    qstate = SyncState.load(state_path).quarter(quarter)
    shared = {mid: e for mid, e in qstate.reviews.items() if e.url and e.stage is Stage.SHARED}
    return PushedReviews({mid: e.url for mid, e in shared.items()},
                         date.fromisoformat(qstate.review_due) if qstate.review_due else None, qstate.review_blind,
                         {mid: set(e.sheets_for) for mid, e in shared.items() if e.sheets_for},
                         {pid: e.url for pid, e in qstate.people.items()})


def _review_draft(ladder: Ladder, roster: Roster, manager: Manager, people: list[Person], built: set[str] | None,
                  own: dict[str, str], quarter: str, due: date, blind: bool, sender: str,
                  attachment: tuple[tuple[str, bytes], ...], link: str) -> Draft:
    """The hand-out of ``manager``'s review. ``built``: the ids of ``people`` a shared review has a sheet for
    (None: all); the others joined since, and are scored in their own spreadsheets (``own``: their links)."""
    inside = {p.id for p in people} if built is None else built
    return_to = manager.return_to or roster.return_to or manager.email
    context = {"quarter": quarter, "ladder_name": ladder.name, "team": manager.team,
               "first_name": first_name(manager.name), "attachment": attachment[0][0] if attachment else "",
               "link": link, "due_long": due_long(due), "return_to": return_to, "top": ladder.scale.max,
               "blind": blind, "sender_name": sender_name(sender),
               "ses": [{"name": p.name, "move": f"{ladder.level(p.level).name} → {ladder.level(p.target_level).name}"}
                       for p in people if p.id in inside],
               "outside": [{"name": p.name, "link": own.get(p.id, "")} for p in people if p.id not in inside]}
    return Draft(file_stem("manager", manager.id), (_named(manager.name, manager.email),),
                 f"Your {quarter} manager review: please {'complete' if link else 'return'} it by {due_short(due)}",
                 "review_handout", context, reply_to=return_to, attachments=attachment)


def build_peer_handout(ladder: Ladder, roster: Roster, quarter: str, peers: Path, out: Path, *, sender: str,
                       due: date | None = None) -> list[Path]:
    """Write ``rater-<address>.eml`` per AE or peer into ``out``: their peer workbook (``ladder-sheets peers``)
    attached, the question, the due date, who sees what, and that only their own address counts.

    Replies go to the roster's return address, else to ``sender``: never to a manager, since the
    answers are shown without names. Raises ConfigError listing every problem.
    """
    problems = ProblemCollector(str(peers))
    entries = manifest.read(peers)
    due = due or manifest_due(peers)
    if due is None:
        raise ConfigError(f"{peers}: the manifest has no due date; give --due YYYY-MM-DD")
    drafts = []
    settings, return_to = ladder.peer_input, return_address(roster, sender)
    if not raters(roster):
        raise ConfigError("the roster names no raters: nobody to hand peer workbooks to (add `raters:` to the SEs)")
    for k, rates in raters(roster).items():
        entry = entries.get(k)
        data = _workbook(peers, entry, k, problems, "peers")
        if data is None or entry is None:
            continue
        rater = rates.rater
        people = [p.name for p, _ in rates.people]
        context = {"quarter": quarter, "ladder_name": ladder.name, "first_name": first_name(rater.name),
                   "names": " and ".join([", ".join(people[:-1]), people[-1]] if len(people) > 1 else people),
                   "attachment": entry.file, "due_long": due_long(due), "email": rater.email,
                   "return_to": bare_address(return_to),
                   "top": ladder.scale.max, "na": ladder.not_observed.label, "sender_name": sender_name(sender),
                   "anonymous": settings.attribution is Attribution.ANONYMOUS, "min_raters": settings.min_raters,
                   "in_readiness": settings.in_readiness,
                   "ses": [{"name": p.name, "role": role.shown, "question": question(ladder, p),
                            "criteria": len(ladder.peer_criteria(p.target_level))} for p, role in rates.people]}
        firsts = " and ".join(first_name(p.name) for p, _ in rates.people)
        drafts.append(Draft(file_stem("rater", k), (_named(rater.name, rater.email),),
                            f"Your input on {firsts} with customers: {quarter}, by {due_short(due)}", "peer_handout",
                            context, reply_to=return_to, attachments=((entry.file, data),)))
    problems.raise_if_any(ConfigError)
    return write_outbox(out, sender, drafts)
