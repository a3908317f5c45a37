"""A rater's peer workbook: a Guide, and one short sheet per SE they rate (``ladder-sheets peers``).

An AE or a fellow SE rates each SE on the customer-facing criteria the ladder marks
(``peer_rated``), on the ladder's scale (a dropdown; "not observed yet" where the criterion
allows it, as on the scorecard), and answers the documents' blind-spot question in a text
cell. Built from the same cells, styles and validations as the other workbooks, written by
the same writer, recognised by its Guide ("Workbook: Peer input") and read back with the
same landmarks (``peer_read``). An SE sheet's keys are ``peer.<person id>.<key>``
(``review_layout.key``), its person id sits where a review's does. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from . import layout, scorecard_formulas as formulas
from .cells import (TEXT_FORMAT, TITLE_HEIGHT, Cell, Check, Editor, Requirement, Role, SheetLayout, Validation,
                    WorkbookLayout, height, text_literal)
from .kinds import PEER_INPUT, kind_guide
from .model import Criterion, Ladder, Person, Roster
from .raters import Attribution, Rater, RaterRole
from .review_layout import key as _key, sheet_titles
from .scorecard_formulas import Columns

PEER_LAYOUT_VERSION = 1
KIND = "peer"  # the key prefix of an SE sheet's cells
FIRST = 6  # first criterion row of an SE sheet
# Columns of an SE sheet, as (name, header, width); {top} is the scale's top score.
_COLUMNS = (("id", "ID", 7), ("criterion", "Criterion", 34), ("anchor", "What {top} looks like", 52),
            ("rating", "Your rating (0-{top})", 13))
COL = {name: chr(65 + i) for i, (name, _, _) in enumerate(_COLUMNS)}
BLIND_SPOT_KEY = "blind_spot"
_TEXT = TEXT_FORMAT  # the answer is a text cell: "3/4" or "=never listens" stays as typed
_ANSWER = Validation(Check.TEXT, 0, 3000, (), "Blind spot", "The answer is limited to 3,000 characters.")


def peer_version(ladder: Ladder) -> str:
    return f"{ladder.id}@{ladder.version}/peer-{PEER_LAYOUT_VERSION}"


def key(person_id: str, k: str) -> str:
    """The workbook-wide key of an SE sheet's ``k``: ``peer.<id>.criteria.SR-01.rating``."""
    return _key(person_id, k, KIND)


@dataclass(frozen=True)
class Rates:
    """One rater and the SEs they rate, in roster order, each with how the rater knows them."""

    rater: Rater
    people: tuple[tuple[Person, RaterRole], ...]


def raters(roster: Roster) -> dict[str, Rates]:
    """Every rater the roster names, once (by ``Rater.key``), with the SEs they rate."""
    out: dict[str, tuple[Rater, list[tuple[Person, RaterRole]]]] = {}
    for person in roster.people:
        for r in person.raters:
            out.setdefault(r.key, (r, []))[1].append((person, r.role))
    return {k: Rates(r, tuple(people)) for k, (r, people) in out.items()}


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def question(ladder: Ladder, person: Person) -> str:
    """The blind-spot question as the rater reads it, about ``person``."""
    return ladder.peer_input.question.replace("{name}", first_name(person.name))


def build_peer(ladder: Ladder, roster: Roster, rates: Rates, quarter: str, due: date) -> WorkbookLayout:
    """The peer workbook of one rater: a Guide, then one sheet per SE they rate."""
    titles = sheet_titles([p for p, _ in rates.people])
    sheets = [se_sheet(ladder, p, role, titles[p.id], quarter, n) for n, (p, role) in enumerate(rates.people, 1)]
    return WorkbookLayout(None, quarter, peer_version(ladder),
                          (_guide(ladder, roster, rates, quarter, due), *sheets),
                          f"Peer input: {rates.rater.name}")


def se_sheet(ladder: Ladder, person: Person, role: RaterRole, title: str, quarter: str, n: int = 1) -> SheetLayout:
    """One SE's sheet: the customer-facing criteria to rate, what the ratings give, and the blind-spot question.

    ``n`` numbers its defined names (``PeerRated_<n>``, ``PeerMean_<n>``): names are unique in a workbook.
    """
    top, pid = ladder.scale.max, person.id
    criteria = ladder.peer_criteria(person.target_level)
    headers = [(COL[name], h.format(top=top), w) for name, h, w in _COLUMNS]
    widths = {col: w for col, _, w in headers}
    scale = " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))
    caption = (f"Scale: {scale}. Rate what you have seen of {first_name(person.name)} with customers; leave a rating "
               f"blank if you have not seen it ({ladder.not_observed.label} where offered: they had no chance to "
               "show it this quarter). Then answer the question below the criteria.")
    cells = [Cell("B1", Role.LABEL, f"Peer input: {person.name}", "title"),
             Cell("B2", Role.LABEL, f"{ladder.rubric_for(person.target_level).title} · {quarter} · you rate them as "
                                    f"their {role.shown}", "subtitle"),
             Cell("B3", Role.LABEL, "Person id", "label"),
             Cell("C3", Role.META, pid, "text", key(pid, "meta.person_id")),
             Cell("B4", Role.LABEL, caption, "note"),
             *(Cell(f"{col}{FIRST - 1}", Role.LABEL, h, "header") for col, h, _ in headers)]
    heights = {1: TITLE_HEIGHT, 4: height([(caption, sum(w for _, _, w in headers[1:]))]),
               FIRST - 1: height([(h, w) for _, h, w in headers], bold=True)}
    rows = {c.id: r for r, c in enumerate(criteria, start=FIRST)}
    for c in criteria:
        cells += _criterion_row(ladder, pid, rows[c.id], c)
        heights[rows[c.id]] = height([(c.text, widths[COL["criterion"]]), (c.anchor, widths[COL["anchor"]])])
    more, end, merges = _below(ladder, person, rows, n, widths, heights)
    return SheetLayout(title, (*cells, *more), widths, heights, merges=("B4:D4", *merges),
                       print_rows=f"{FIRST - 1}:{FIRST - 1}")


def _criterion_row(ladder: Ladder, pid: str, r: int, c: Criterion) -> list[Cell]:
    rule = replace(layout.manager_checks(ladder, c)[0], title="Your rating")
    return [Cell(f"{COL['id']}{r}", Role.LABEL, c.id, "id", key=key(pid, f"rowid.criteria.{c.id}")),
            Cell(f"{COL['criterion']}{r}", Role.LABEL, c.text, "wrap"),
            Cell(f"{COL['anchor']}{r}", Role.LABEL, c.anchor, "wrap"),
            Cell(f"{COL['rating']}{r}", Role.INPUT, None, "input", key(pid, f"criteria.{c.id}.rating"), rule,
                 Editor.SE, required=Requirement.NEVER)]


def columns(ladder: Ladder, rows: Mapping[str, int]) -> Columns:
    """The ratings as the scorecard's formula builders take them (no weights: every rating counts alike)."""
    first, last = (min(rows.values()), max(rows.values())) if rows else (FIRST, FIRST)
    span = {name: f"{COL[name]}{first}:{COL[name]}{last}" for name in ("id", "criterion", "rating")}
    return Columns(span["id"], span["criterion"], span["id"], span["rating"], text_literal(ladder.not_observed.label))


def _below(ladder: Ladder, person: Person, rows: Mapping[str, int], n: int, widths: Mapping[str, float],
           heights: dict[int, float]) -> tuple[list[Cell], int, list[str]]:
    """What the ratings give (how many rated, their mean), then the blind-spot question and its answer."""
    pid, s = person.id, max(rows.values(), default=FIRST - 1) + 2
    col, at = columns(ladder, rows), COL["anchor"]
    mean = f'=IF(COUNT({col.scores})=0,"",AVERAGE({col.scores}))'
    cells = [Cell(f"{COL['criterion']}{s}", Role.LABEL, "Criteria you rated", "label"),
             Cell(f"{at}{s}", Role.FORMULA, formulas.scored(col), "result", key(pid, "result.rated"), name=f"PeerRated_{n}"),
             Cell(f"{COL['criterion']}{s + 1}", Role.LABEL, "Your average rating", "label"),
             Cell(f"{at}{s + 1}", Role.FORMULA, mean, "result", key(pid, "result.mean"), name=f"PeerMean_{n}",
                  number_format="0.0")]
    q = s + 3
    asked = question(ladder, person)
    cells += [Cell(f"{COL['criterion']}{q}", Role.LABEL, asked, "label_wrap"),
              Cell(f"{at}{q}", Role.INPUT, None, "input_wrap", key(pid, BLIND_SPOT_KEY), _ANSWER, Editor.SE,
                   number_format=_TEXT, required=Requirement.NEVER)]
    heights[q] = max(120.0, height([(asked, widths[COL["criterion"]])], bold=True))
    return cells, s, [f"{at}{q}:{COL['rating']}{q}"]


# The Guide's facts after "Workbook: Peer input", in order: (label, meta key).
_FACTS = (("Rater", "meta.rater_name"), ("Rater's email", "meta.rater_email"), ("Quarter", "meta.quarter"),
          ("Due date", "meta.due"), ("Template version", "meta.template_version"))


def reading_guide() -> SheetLayout:
    """The peer workbook's Guide as collect reads it back: its facts, where ``_guide`` writes them."""
    return kind_guide(PEER_INPUT, "", [(label, None, k) for label, k in _FACTS], ())


def return_address(roster: Roster, sender: str = "") -> str:
    """Where raters return their workbook: the roster's collection address, else whoever sent it out.

    Never an SE's manager: answers shown without names must not pass through the manager's inbox.
    """
    return roster.return_to or sender


def _guide(ladder: Ladder, roster: Roster, rates: Rates, quarter: str, due: date) -> SheetLayout:
    """The Guide: whose workbook this is (facts read back), why they are asked, who sees what, how to return it."""
    rater, settings = rates.rater, ladder.peer_input
    values = (rater.name, rater.email, quarter, due.isoformat(), peer_version(ladder))
    facts = [(label, value, k) for (label, k), value in zip(_FACTS, values)]
    names = " and ".join(p.name for p, _ in rates.people) if len(rates.people) < 3 else "the SEs below"
    texts = [
        ("Why you are asked", "heading"),
        (f"You work with {names} in front of customers. The career documents ask every SE: \"If I asked the AE "
         "team behind your back, what would they say is your biggest blind spot in the room?\" This workbook "
         "asks you, so that the answer comes from you.", "paragraph"),
        ("How to fill in", "heading"),
        (f"1. On each SE's sheet, rate every criterion you have seen in the yellow column (0 to {ladder.scale.max}). "
         f"Leave it blank if you have not seen it; {ladder.not_observed.label}, where offered, means they had no "
         "chance to show it this quarter.", "paragraph"),
        ("2. Below the criteria, answer the question in a sentence or two: what they do, in which meeting, and "
         "what it costs.", "paragraph"),
        ("Who sees what", "heading"),
        (_who_sees(settings.attribution, settings.min_raters, settings.in_readiness), "paragraph"),
    ]
    where = f"return it to {roster.return_to}" if roster.return_to else "reply with it to the email it came with"
    texts.append((f"Save it and {where} by {due.isoformat()}, from your own address ({rater.email}): a workbook "
                  "from any other address is not used.", "label_wrap"))
    table = [("SE", "Level → target", "You are their")] + [
        (p.name, f"{ladder.level(p.level).name} → {ladder.level(p.target_level).name}", role.shown)
        for p, role in rates.people]
    return kind_guide(PEER_INPUT, f"{ladder.name}: {quarter} peer input", facts, texts, table)


def _who_sees(attribution: Attribution, least: int, in_readiness: bool) -> str:
    counts = ("They count toward a \"readiness with peer input\" shown beside the manager's; the band stays the "
              "manager's." if in_readiness else "They inform the conversation; they never change the SE's "
                                                "readiness or band.")
    if attribution is Attribution.ATTRIBUTED:
        return (f"Your ratings and your answer are shown with your name to the SE's manager and the promotion "
                f"committee. {counts}")
    return (f"Your name is never shown with your answers. The SE's manager and the promotion committee see the "
            f"mean rating per criterion and the answers to the question without names, and only once at least "
            f"{least} people have answered for that SE (below that, nothing is shown). SE Ops, who collect the "
            f"workbooks, keep who answered what to themselves. {counts}")


def reading_sheet(ladder: Ladder, person: Person, role: RaterRole, title: str, quarter: str) -> SheetLayout:
    """``person``'s sheet as collect reads it back (named ``title``, as found), rated as their ``role``."""
    return replace(se_sheet(ladder, person, role, title, quarter), title=title)


def expected(ladder: Ladder, person: Person, ratings: Mapping[str, float], not_observed: tuple[str, ...]
             ) -> dict[str, float | str]:
    """What an SE sheet's formulas show for these ratings (``scorecard_formulas.scored``, AVERAGE), by key."""
    total = len(ladder.peer_criteria(person.target_level))
    na = len(not_observed)
    rated = f"{len(ratings) + na} of {total}" + (f" ({na} not observed yet)" if na else "")
    mean: float | str = sum(ratings.values()) / len(ratings) if ratings else ""
    return {"result.rated": rated, "result.mean": mean}
