"""A rater's peer workbook as laid out (core/peer_layout.py): what each sheet shows, asks and works out.

Pure: the layout is built in memory and its formulas worked out by the formulas package over the
ratings typed (tests/support/shown.py). Reading a returned peer workbook is
tests/test_peer_read.py's; the round through files and mail tests/test_peers.py's.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ladder_sheets.core.cells import GUIDE, TEXT_FORMAT, TITLE_HEIGHT, Check, Editor, Requirement, Role, SheetLayout, height
from ladder_sheets.core.kinds import KIND_KEY, PEER_INPUT
from ladder_sheets.core.model import CellValue, Ladder, Person, Roster
from ladder_sheets.core.peer_layout import (BLIND_SPOT_KEY, FIRST, Rates, build_peer, columns, expected, first_name,
                                            key, peer_version, question, raters, reading_guide, reading_sheet,
                                            return_address, se_sheet)
from ladder_sheets.core.raters import Attribution, PeerSettings, Rater, RaterRole
from ladder_sheets.core.styles import STYLES
from tests.conftest import DUE, QUARTER
from tests.support.results import find_person
from tests.support.shown import Shown

DANA, GRACE, SOFIA, PRIYA = ("dana.ross@apex-cloud.example", "grace.liu@apex-cloud.example",
                             "sofia.lindqvist@apex-cloud.example", "priya.raman@apex-cloud.example")


@pytest.fixture(scope="module")
def leticia(review_roster: Roster) -> Person:
    return find_person(review_roster, "leticia-moreno")


def _value(sheet: SheetLayout, ref: str) -> CellValue:
    return next((c.value for c in sheet.cells if c.ref == ref), None)


def _texts(sheet: SheetLayout) -> list[str]:
    return [c.value for c in sheet.cells if isinstance(c.value, str)]


# ---- who rates whom -----------------------------------------------------------------------------------------


def test_each_rater_is_asked_once_about_every_se_they_rate_in_roster_order(review_roster: Roster) -> None:
    got = {k: (r.rater.name, [(p.id, role) for p, role in r.people]) for k, r in raters(review_roster).items()}
    assert got == {DANA: ("Dana Ross", [("leticia-moreno", RaterRole.AE), ("tomas-novak", RaterRole.AE)]),
                   GRACE: ("Grace Liu", [("leticia-moreno", RaterRole.AE)]),
                   SOFIA: ("Sofia Lindqvist", [("leticia-moreno", RaterRole.PEER)]),
                   PRIYA: ("Priya Raman", [("tomas-novak", RaterRole.PEER)])}


def test_a_rater_named_in_another_case_is_the_same_rater(review_roster: Roster) -> None:
    people = list(review_roster.people)
    people[1] = replace(people[1], raters=(Rater("Dana Ross", "Dana.Ross@apex-cloud.example"),))
    rates = raters(replace(review_roster, people=tuple(people)))
    assert [p.id for p, _ in rates[DANA].people] == ["leticia-moreno", "tomas-novak"]


@pytest.mark.parametrize(("name", "first"), [("Tomáš Novák", "Tomáš"), ("Cher", "Cher"), ("  Ana  Ruiz ", "Ana"),
                                             ("", ""), ("   ", "   ")])
def test_the_question_names_the_se_by_their_first_name(ladder: Ladder, leticia: Person, name: str, first: str) -> None:
    assert first_name(name) == first
    assert question(ladder, replace(leticia, name=name)) == f"What is {first}'s biggest blind spot in the room?"


# ---- the workbook and an SE's sheet -------------------------------------------------------------------------


def test_a_peer_workbook_is_a_guide_then_one_sheet_per_se(ladder: Ladder, review_roster: Roster) -> None:
    wl = build_peer(ladder, review_roster, raters(review_roster)[DANA], QUARTER, DUE)
    assert [s.title for s in wl.sheets] == [GUIDE, "Leticia Moreno", "Tomáš Novák"]
    assert wl.label == "Peer input: Dana Ross" and wl.person is None and wl.quarter == QUARTER
    assert wl.template_version == peer_version(ladder) == f"{ladder.id}@{ladder.version}/peer-1"
    assert [c.name for s in wl.sheets for c in s.cells if c.name] == ["PeerRated_1", "PeerMean_1", "PeerRated_2",
                                                                      "PeerMean_2"]


def test_an_se_sheet_says_whom_the_rater_rates_and_how(ladder: Ladder, leticia: Person) -> None:
    sheet = se_sheet(ladder, leticia, RaterRole.PEER, "S", QUARTER)
    assert _value(sheet, "B1") == "Peer input: Leticia Moreno"
    assert _value(sheet, "B2") == f"{ladder.rubric_for('principal').title} · {QUARTER} · you rate them as their peer"
    assert "as their AE" in str(_value(se_sheet(ladder, leticia, RaterRole.AE, "S", QUARTER), "B2"))
    assert (_value(sheet, "B3"), _value(sheet, "C3")) == ("Person id", leticia.id)
    pid = next(c for c in sheet.cells if c.ref == "C3")
    assert pid.role is Role.META and pid.key == key(leticia.id, "meta.person_id") == "peer.leticia-moreno.meta.person_id"
    assert _value(sheet, "B4") == (
        "Scale: 0 = Never · 1 = Occasionally · 2 = Usually · 3 = Consistently. Rate what you have seen of Leticia "
        "with customers; leave a rating blank if you have not seen it (n/o where offered: they had no chance to "
        "show it this quarter). Then answer the question below the criteria.")
    headers = [str(_value(sheet, f"{c}{FIRST - 1}")) for c in "ABCD"]
    assert headers == ["ID", "Criterion", "What 3 looks like", "Your rating (0-3)"]
    assert all(STYLES[c.style] == STYLES["header"] for c in sheet.cells if c.row == FIRST - 1)
    assert sheet.heights[1] == TITLE_HEIGHT
    assert sheet.heights[4] == height([(str(_value(sheet, "B4")), sum(sheet.widths[c] for c in "BCD"))]) > 15
    assert sheet.heights[FIRST - 1] == height([(h, sheet.widths[c]) for h, c in zip(headers, "ABCD")], bold=True)
    assert "B4:D4" in sheet.merges and sheet.print_rows == f"{FIRST - 1}:{FIRST - 1}"


def test_each_customer_facing_criterion_is_a_row_to_rate(ladder: Ladder, leticia: Person) -> None:
    sheet = se_sheet(ladder, leticia, RaterRole.AE, "S", QUARTER)
    criteria = ladder.peer_criteria(leticia.target_level)
    assert len(criteria) < len(ladder.rubric_for(leticia.target_level).criteria)  # the peer-rated ones only
    for r, c in enumerate(criteria, start=FIRST):
        row = {x.column: x for x in sheet.cells if x.row == r}
        assert (row["A"].value, row["A"].key) == (c.id, f"rowid.criteria.{c.id}#{leticia.id}")
        assert [row["B"].value, row["C"].value] == [c.text, c.anchor]
        assert all(row[x].role is Role.LABEL and STYLES[row[x].style].wrap for x in "BC")
        rating = row["D"]
        assert rating.role is Role.INPUT and rating.editor is Editor.SE and rating.value is None
        assert rating.key == key(leticia.id, f"criteria.{c.id}.rating")
        assert rating.required is Requirement.NEVER and STYLES[rating.style] == STYLES["input"]
        assert rating.validation is not None and rating.validation.title == "Your rating"
        assert rating.validation.check is (Check.SCORE_OR_NA if c.allow_not_observed else Check.SCORE)
        assert rating.validation.maximum == 3
        assert sheet.heights[r] == height([(c.text, sheet.widths["B"]), (c.anchor, sheet.widths["C"])])
    assert any(c.allow_not_observed for c in criteria) and not all(c.allow_not_observed for c in criteria)


@pytest.mark.parametrize(("typed", "rated", "mean"), [
    ([3, 2], "4 of 4", 2.5), ([1, None], "2 of 4", 1.0), ([None], "0 of 4", ""), ([0], "4 of 4", 0.0),
    ([2, "n/o"], "3 of 4 (1 not observed yet)", 2.0)])
def test_what_the_ratings_give_is_worked_out_under_them(ladder: Ladder, review_roster: Roster, leticia: Person,
                                                        typed: list[CellValue], rated: str, mean: CellValue) -> None:
    """Leticia's four criteria toward principal rated in turn from ``typed``; "n/o" only where offered (PR-02)."""
    wl = build_peer(ladder, review_roster, raters(review_roster)[GRACE], QUARTER, DUE)
    criteria = ladder.peer_criteria(leticia.target_level)
    values = {c.id: typed[i % len(typed)] for i, c in enumerate(criteria)}
    values = {cid: v for cid, v in values.items() if v != "n/o" or cid == "PR-02"}
    shown = Shown(wl, {key(leticia.id, f"criteria.{cid}.rating"): v for cid, v in values.items()})
    assert shown.key(key(leticia.id, "result.rated")) == rated
    assert shown.key(key(leticia.id, "result.mean")) == mean
    ratings = {cid: float(v) for cid, v in values.items() if isinstance(v, int)}
    assert expected(ladder, leticia, ratings, tuple(cid for cid, v in values.items() if v == "n/o")) == {
        "result.rated": rated, "result.mean": mean}


def test_the_results_and_the_question_sit_under_the_criteria(ladder: Ladder, leticia: Person) -> None:
    sheet = se_sheet(ladder, leticia, RaterRole.AE, "S", QUARTER, n=3)
    s = FIRST + len(ladder.peer_criteria(leticia.target_level)) + 1
    cells = {c.ref: c for c in sheet.cells}
    assert (cells[f"B{s}"].value, cells[f"B{s + 1}"].value) == ("Criteria you rated", "Your average rating")
    assert (cells[f"C{s}"].name, cells[f"C{s + 1}"].name) == ("PeerRated_3", "PeerMean_3")
    assert cells[f"C{s + 1}"].number_format == "0.0"
    assert all(cells[f"C{r}"].role is Role.FORMULA and STYLES[cells[f"C{r}"].style].bold for r in (s, s + 1))
    q = s + 3
    assert cells[f"B{q}"].value == "What is Leticia's biggest blind spot in the room?"
    assert STYLES[cells[f"B{q}"].style] == STYLES["label_wrap"]
    answer = cells[f"C{q}"]
    assert answer.key == key(leticia.id, BLIND_SPOT_KEY) and answer.role is Role.INPUT and answer.editor is Editor.SE
    assert (answer.number_format, answer.required) == (TEXT_FORMAT, Requirement.NEVER)
    assert STYLES[answer.style] == STYLES["input_wrap"]
    assert answer.validation is not None and (answer.validation.check, answer.validation.maximum) == (Check.TEXT, 3000)
    assert answer.validation.message == "The answer is limited to 3,000 characters."
    assert answer.validation.title == "Blind spot"
    assert f"C{q}:D{q}" in sheet.merges
    assert sheet.heights[q] == 120.0


def test_a_long_question_gets_the_height_it_needs(ladder: Ladder, leticia: Person) -> None:
    asked = "Tell us, in front of which customers and in which meetings, what {name} does. " * 8
    long = replace(ladder, peer_input=replace(ladder.peer_input, question=asked))
    sheet = se_sheet(long, leticia, RaterRole.AE, "S", QUARTER)
    q = next(c.row for c in sheet.cells if c.key == key(leticia.id, BLIND_SPOT_KEY))
    text = asked.replace("{name}", "Leticia")
    assert _value(sheet, f"B{q}") == text
    assert sheet.heights[q] == height([(text, sheet.widths["B"])], bold=True) > 120


def test_a_rubric_without_customer_facing_criteria_still_asks_the_question(ladder: Ladder, leticia: Person) -> None:
    rubric = ladder.rubric_for(leticia.target_level)
    none = replace(rubric, criteria=tuple(replace(c, peer_rated=False) for c in rubric.criteria))
    bare = replace(ladder, rubrics={**ladder.rubrics, leticia.target_level: none})
    sheet = se_sheet(bare, leticia, RaterRole.AE, "S", QUARTER)
    assert (_value(sheet, f"B{FIRST + 1}"), _value(sheet, f"B{FIRST + 4}")) == (
        "Criteria you rated", "What is Leticia's biggest blind spot in the room?")
    assert columns(bare, {}).scores == f"D{FIRST}:D{FIRST}"
    assert columns(ladder, {"a": 9, "b": 7}).scores == "D7:D9"
    assert columns(ladder, {"a": 9, "b": 7}).ids == "A7:A9"


# ---- the Guide ----------------------------------------------------------------------------------------------


def _facts(sheet: SheetLayout) -> dict[str, tuple[CellValue, CellValue]]:
    grid = {c.ref: c.value for c in sheet.cells}
    return {c.key: (grid[f"A{c.row}"], c.value) for c in sheet.cells if c.key and c.column == "B"}


def test_the_guide_holds_whose_workbook_it_is_where_collect_reads_it(ladder: Ladder, review_roster: Roster) -> None:
    guide = build_peer(ladder, review_roster, raters(review_roster)[DANA], QUARTER, DUE).sheets[0]
    assert _facts(guide) == {KIND_KEY: ("Workbook", PEER_INPUT), "meta.rater_name": ("Rater", "Dana Ross"),
                             "meta.rater_email": ("Rater's email", DANA), "meta.quarter": ("Quarter", QUARTER),
                             "meta.due": ("Due date", DUE.isoformat()),
                             "meta.template_version": ("Template version", peer_version(ladder))}
    assert {c.key: c.ref for c in reading_guide().cells if c.key} == {c.key: c.ref for c in guide.cells if c.key}
    assert _value(guide, "A1") == f"{ladder.name}: {QUARTER} peer input"


def test_the_guide_says_why_how_and_to_whom(ladder: Ladder, review_roster: Roster) -> None:
    texts = _texts(build_peer(ladder, review_roster, raters(review_roster)[DANA], QUARTER, DUE).sheets[0])
    assert any(t.startswith("You work with Leticia Moreno and Tomáš Novák in front of customers.") for t in texts)
    assert "Why you are asked" in texts and "How to fill in" in texts and "Who sees what" in texts
    assert any(t.startswith("1. On each SE's sheet, rate every criterion you have seen in the yellow column (0 to 3).")
               and "n/o, where offered" in t for t in texts)
    assert (f"Save it and reply with it to the email it came with by {DUE.isoformat()}, from your own address "
            f"({DANA}): a workbook from any other address is not used.") in texts
    rows = sorted({c.row for c in build_peer(ladder, review_roster, raters(review_roster)[DANA], QUARTER,
                                                DUE).sheets[0].cells if c.column == "C"})
    guide = build_peer(ladder, review_roster, raters(review_roster)[DANA], QUARTER, DUE).sheets[0]
    table = [tuple(_value(guide, f"{c}{r}") for c in "ABC") for r in rows]
    assert table[-3:] == [("SE", "Level → target", "You are their"),
                          ("Leticia Moreno", "Senior SE → Principal SE", "AE"), ("Tomáš Novák", "Core SE → Senior SE", "AE")]


def test_a_rater_of_three_ses_or_more_is_pointed_to_the_list(ladder: Ladder, review_roster: Roster) -> None:
    people = tuple((p, RaterRole.PEER) for p in review_roster.people[:3])
    texts = _texts(build_peer(ladder, review_roster, Rates(Rater("Ana", "ana@x.example"), people), QUARTER, DUE)
                   .sheets[0])
    assert any(t.startswith("You work with the SEs below in front of customers.") for t in texts)
    two = _texts(build_peer(ladder, review_roster, Rates(Rater("Ana", "ana@x.example"), people[:1]), QUARTER, DUE)
                 .sheets[0])
    assert any(t.startswith(f"You work with {people[0][0].name} in front of customers.") for t in two)


def test_with_a_collection_address_the_workbook_goes_back_there(ladder: Ladder, review_roster: Roster) -> None:
    roster = replace(review_roster, return_to="se-ops@x.example")
    texts = _texts(build_peer(ladder, roster, raters(roster)[GRACE], QUARTER, DUE).sheets[0])
    assert (f"Save it and return it to se-ops@x.example by {DUE.isoformat()}, from your own address ({GRACE}): "
            "a workbook from any other address is not used.") in texts
    assert return_address(roster, "lead@x.example") == "se-ops@x.example"
    assert return_address(review_roster, "lead@x.example") == "lead@x.example"
    assert return_address(review_roster) == ""


@pytest.mark.parametrize(("attribution", "in_readiness", "says", "never"), [
    (Attribution.ANONYMOUS, False, ["Your name is never shown with your answers.", "at least 4 people have answered",
                                    "they never change the SE's readiness or band."], ["with your name"]),
    (Attribution.ANONYMOUS, True, ["Your name is never shown", "\"readiness with peer input\""], ["never change"]),
    (Attribution.ATTRIBUTED, False, ["Your ratings and your answer are shown with your name to the SE's manager "
                                     "and the promotion committee.", "never change"], ["never shown", "at least"]),
    (Attribution.ATTRIBUTED, True, ["shown with your name", "the band stays the manager's."], ["never"]),
])
def test_the_guide_says_who_sees_the_answers_as_the_ladder_shows_them(
        ladder: Ladder, review_roster: Roster, attribution: Attribution, in_readiness: bool, says: list[str],
        never: list[str]) -> None:
    settings = PeerSettings(attribution, 4, in_readiness, ladder.peer_input.question)
    texts = _texts(build_peer(replace(ladder, peer_input=settings), review_roster, raters(review_roster)[DANA],
                              QUARTER, DUE).sheets[0])
    who = texts[texts.index("Who sees what") + 1]
    assert all(s in who for s in says) and not any(n in who for n in never)


# ---- read back ----------------------------------------------------------------------------------------------


def test_collect_reads_an_se_sheet_where_the_workbook_wrote_it(ladder: Ladder, review_roster: Roster) -> None:
    for p in review_roster.people:
        written = se_sheet(ladder, p, RaterRole.AE, "Whatever", QUARTER, n=2)
        read = reading_sheet(ladder, p, RaterRole.PEER, "Renamed", QUARTER)
        assert read.title == "Renamed"
        assert {c.key: c.ref for c in read.cells if c.key} == {c.key: c.ref for c in written.cells if c.key}


def test_each_kind_of_cell_on_an_se_sheet_looks_its_part(ladder: Ladder, leticia: Person) -> None:
    """The title stands out, the caption reads as a note, ids are small and grey, ratings and the answer are
    yellow to fill, what is worked out is bold and shaded; only the ratings and the answer can be typed into."""
    sheet = se_sheet(ladder, leticia, RaterRole.AE, "S", QUARTER)
    look = {c.ref: STYLES[c.style] for c in sheet.cells}
    assert look["B1"].bold and look["B1"].size == 14 and look["B2"].italic
    assert look["B3"].bold and look["C3"] == STYLES["text"] and look["B4"].italic and look["B4"].wrap
    rows = range(FIRST, FIRST + len(ladder.peer_criteria(leticia.target_level)))
    assert all(look[f"A{r}"] == STYLES["id"] for r in rows)
    assert all(look[f"B{r}"] == look[f"C{r}"] == STYLES["wrap"] for r in rows)
    formulas = [c for c in sheet.cells if c.role is Role.FORMULA]
    assert len(formulas) == 2 and all(STYLES[c.style] == STYLES["result"] for c in formulas)
    assert all(STYLES[c.style] == STYLES["label"] for c in sheet.cells if c.value in ("Criteria you rated",
                                                                                    "Your average rating"))
    assert {c.role for c in sheet.cells if not c.key} == {Role.LABEL}
    assert [c.key.rsplit(".", 1)[-1] for c in sheet.cells if c.role is Role.INPUT] == [
        *("rating" for _ in rows), BLIND_SPOT_KEY]


def test_every_se_sheet_carries_the_quarter_and_numbers_its_names_from_one(ladder: Ladder, review_roster: Roster,
                                                                          leticia: Person) -> None:
    wl = build_peer(ladder, review_roster, raters(review_roster)[DANA], QUARTER, DUE)
    assert all(f" · {QUARTER} · " in str(_value(s, "B2")) for s in wl.sheets[1:])
    alone = se_sheet(ladder, leticia, RaterRole.AE, "S", QUARTER)
    assert [c.name for c in alone.cells if c.name] == ["PeerRated_1", "PeerMean_1"]
    assert all(c.role is Role.LABEL for c in alone.cells if c.key.startswith("rowid."))


def test_the_guide_reads_in_order_as_the_rater_follows_it(ladder: Ladder, review_roster: Roster) -> None:
    """Each part, its words and its look: headings, wrapped paragraphs, the return line bold and wrapped."""
    guide = build_peer(ladder, review_roster, raters(review_roster)[GRACE], QUARTER, DUE).sheets[0]
    start = next(c.row for c in guide.cells if c.value == "Why you are asked")
    end = next(c.row for c in guide.cells if c.value == "SE")
    texts = [(str(c.value), c.style) for c in sorted(guide.cells, key=lambda c: c.row)
             if c.column == "A" and start <= c.row < end and isinstance(c.value, str)]
    assert texts == [
        ("Why you are asked", "heading"),
        ("You work with Leticia Moreno in front of customers. The career documents ask every SE: \"If I asked the AE "
         "team behind your back, what would they say is your biggest blind spot in the room?\" This workbook asks "
         "you, so that the answer comes from you.", "paragraph"),
        ("How to fill in", "heading"),
        ("1. On each SE's sheet, rate every criterion you have seen in the yellow column (0 to 3). Leave it blank if "
         "you have not seen it; n/o, where offered, means they had no chance to show it this quarter.", "paragraph"),
        ("2. Below the criteria, answer the question in a sentence or two: what they do, in which meeting, and what "
         "it costs.", "paragraph"),
        ("Who sees what", "heading"),
        ("Your name is never shown with your answers. The SE's manager and the promotion committee see the mean "
         "rating per criterion and the answers to the question without names, and only once at least 3 people have "
         "answered for that SE (below that, nothing is shown). SE Ops, who collect the workbooks, keep who answered "
         "what to themselves. They inform the conversation; they never change the SE's readiness or band.",
         "paragraph"),
        (f"Save it and reply with it to the email it came with by {DUE.isoformat()}, from your own address ({GRACE}): "
         "a workbook from any other address is not used.", "label_wrap")]
    counted = replace(ladder, peer_input=replace(ladder.peer_input, in_readiness=True))
    who = _texts(build_peer(counted, review_roster, raters(review_roster)[GRACE], QUARTER, DUE).sheets[0])
    assert any(t.endswith("SE Ops, who collect the workbooks, keep who answered what to themselves. They count "
                          "toward a \"readiness with peer input\" shown beside the manager's; the band stays the "
                          "manager's.") for t in who)
