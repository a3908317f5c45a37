"""The Impact metrics, Pivot matrix and Promotion read-out sheets, as an SE sees and fills them.

Pure and in memory: each sheet is laid out for a person, values are typed in by key, and what
the formula cells show is worked out by the formulas library (tests/support/shown.py) and held
to scoring.py (metric status, pivot readiness, top pivot, the talk track).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ladder_sheets.core import scoring
from ladder_sheets.core.inputs import parse_cell
from ladder_sheets.core.cells import (ASKING, PRINT_SCALE, SHARE, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check, Requirement,
                                      Role, SheetLayout, height)
from ladder_sheets.core.model import (NOT_ASKING_TEXT, Comparator, FieldKind, Ladder, Metric, Readout,
                                      ReadoutField, Roster, TalkTrack)
from ladder_sheets.core.sheet_layouts import metrics_sheet, pivots_sheet, readout_sheet
from ladder_sheets.core.styles import FILL
from tests.support.results import find_person
from tests.support.shown import by_key, cell_at, shown


def _row(sheet: SheetLayout, r: int) -> dict[str, Cell]:
    return {c.column: c for c in sheet.cells if c.row == r}


# ---- Impact metrics ---------------------------------------------------------------------

METRICS = tuple(Metric(f"m{i}", f"Metric {op.name}", f"bench {i}", 10.0, op, "per quarter", "count them",
                       f"Do more of {i}") for i, op in enumerate(Comparator))


@pytest.fixture(scope="module")
def measured(ladder: Ladder) -> Ladder:
    """The ladder with one metric of each comparator, each with a target of 10, for everyone."""
    return replace(ladder, metrics=METRICS)


def test_the_metrics_sheet_as_the_se_sees_it(measured: Ladder, roster: Roster) -> None:
    sheet = metrics_sheet(measured, find_person(roster, "tomas-novak"))
    assert sheet.title == "Impact metrics"
    assert (cell_at(sheet, "C1").value, cell_at(sheet, "C1").style) == ("Impact Metrics vs Benchmarks", "title")
    assert cell_at(sheet, "C2").value == "How leadership decides who to promote: enter this quarter's actuals."
    assert [c.value for c in sorted((c for c in sheet.cells if c.row == 4), key=lambda c: c.column)] == [
        "ID", "Metric", "Benchmark", "Target", "Rule", "Unit", "Measure how", "Actual", "Status",
        "Action if below benchmark", "Notes", "action text"]
    assert sheet.hidden_columns == ("A", "L") and sheet.freeze == "C5"
    assert (sheet.print_breaks, sheet.print_scale, sheet.print_columns, sheet.print_rows) == (
        ("I",), PRINT_SCALE, "B:B", "4:4")
    assert sheet.heights[1] == TITLE_HEIGHT
    shown_headers = [(str(c.value), sheet.widths[c.column]) for c in sheet.cells if c.row == 4 and c.column not in "AL"]
    assert sheet.heights[4] == height(shown_headers, bold=True)
    for r, m in enumerate(METRICS, start=5):
        row = _row(sheet, r)
        assert [row[c].value for c in "ABCDEFGL"] == [m.id, m.name, m.benchmark, 10.0, m.comparator.value,
                                                     "per quarter", "count them", m.action_if_below]
        assert row["A"].key == f"rowid.metrics.{m.id}" and row["D"].number_format == "0.##"
        assert [row[c].style for c in "ABCDEFGHIJKL"] == ["id", "wrap", "wrap", "number", "text", "wrap", "wrap",
                                                         "input", "formula", "formula_wrap", "input_wrap", "text"]
        assert [row[c].role for c in "IJ"] == [Role.FORMULA, Role.FORMULA]
        assert {row[c].role for c in "ABCDEFGL"} == {Role.LABEL}
        assert {c for c, cell in row.items() if cell.role is Role.INPUT} == {"H", "K"}
        actual, notes = row["H"], row["K"]
        assert actual.key == f"metrics.{m.id}.actual" and actual.required is Requirement.ALWAYS
        assert actual.validation is not None and actual.validation.check is Check.NUMBER
        assert (actual.validation.title, actual.validation.message) == ("Actual", "Enter a number of 0 or more.")
        assert (notes.key, notes.number_format, notes.required, notes.style) == (
            f"metrics.{m.id}.notes", TEXT_FORMAT, Requirement.NEVER, "input_wrap")
        assert notes.validation is not None and (notes.validation.check, notes.validation.maximum) == (Check.TEXT, 2000)
        assert notes.validation.message == "Notes are limited to 2,000 characters."
        assert notes.validation.title == "Notes"
        assert (row["I"].key, row["J"].key, row["J"].style) == (f"metrics.{m.id}.status", f"metrics.{m.id}.action",
                                                                 "formula_wrap")
        texts = [(str(row[c].value), sheet.widths[c]) for c in "JFGBC"]
        assert sheet.heights[r] == height(texts)
    assert [(r.range, r.fill) for r in sheet.rules] == [("I5:I8", FILL["developing"]), ("I5:I8", FILL["ready"])]
    total = by_key(sheet)["result.metrics_below"]
    assert (total.ref, total.name, cell_at(sheet, "C10").value) == ("I10", "MetricsBelow", "Metrics below benchmark")
    assert (total.style, cell_at(sheet, "C10").style, cell_at(sheet, "C2").style) == ("result", "label", "caption")
    assert all(c.style == "header" for c in sheet.cells if c.row == 4)


@pytest.mark.parametrize("actual", [None, 0, 9.5, 10, 10.5, 40])
def test_each_metric_s_status_and_action_are_scoring_s(measured: Ladder, roster: Roster, actual: float | None) -> None:
    sheet = metrics_sheet(measured, find_person(roster, "tomas-novak"))
    typed = {f"metrics.{m.id}.actual": actual for m in METRICS}
    got = {c.key: v for c, v in ((c, shown(sheet, typed)[c.ref]) for c in sheet.cells) if c.key}
    below = 0
    for m in METRICS:
        status = scoring.metric_status(actual, m.target, m.comparator)
        assert got[f"metrics.{m.id}.status"] == status.value
        assert got[f"metrics.{m.id}.action"] == (m.action_if_below if status == "Below" else "")
        below += status == "Below"
    assert got["result.metrics_below"] == below
    rules = {r.fill: r.formula for r in sheet.rules}
    probe = replace(sheet, cells=(*sheet.cells, Cell("Z1", Role.FORMULA, "=" + rules[FILL["developing"]]),
                                  Cell("Z2", Role.FORMULA, "=" + rules[FILL["ready"]])))
    flags = shown(probe, typed)
    first = scoring.metric_status(actual, 10.0, METRICS[0].comparator)
    assert (flags["Z1"], flags["Z2"]) == (first == "Below", first == "Meets")


def test_a_move_no_metric_applies_to_says_so(ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")  # Core SE growing at Core
    sheet = metrics_sheet(ladder, kenji)
    assert [(c.ref, c.role, c.style) for c in sheet.cells] == [("C1", Role.LABEL, "title"), ("C2", Role.LABEL, "caption")]
    assert cell_at(sheet, "C1").value == "Impact Metrics vs Benchmarks"
    assert cell_at(sheet, "C2").value == (
        "No impact metric applies to this quarter's move (Core SE → Core SE): leadership looks at them when deciding "
        "who to promote. Nothing to fill in here.")
    assert (dict(sheet.widths), dict(sheet.heights), sheet.hidden_columns) == ({"A": 4, "B": 20, "C": 100},
                                                                             {1: TITLE_HEIGHT}, ("A",))
    assert sheet.title == metrics_sheet(ladder, find_person(roster, "tomas-novak")).title


# ---- Pivot matrix -----------------------------------------------------------------------


def test_the_pivot_matrix_as_the_se_sees_it(ladder: Ladder) -> None:
    sheet = pivots_sheet(ladder)
    assert sheet.title == "Pivot matrix"
    assert (cell_at(sheet, "C1").value, cell_at(sheet, "C1").style) == ("Career Pivot Readiness Matrix", "title")
    assert cell_at(sheet, "C2").value == ("Career pivots aren't exits from presales. They're expansions of the "
                                          "presales skill set into adjacent domains.")
    assert sheet.rules == ()
    assert [c.value for c in sorted((c for c in sheet.cells if c.row == 4), key=lambda c: c.column)] == [
        "ID", "Pivot target", "SE skills that transfer", "Gap to close", "Signal you're ready", "Interest (0-3)",
        "Signal present? (Yes/No)", "Gap progress (0-3)", "Pivot readiness", "How to make the move", "Trade-offs"]
    assert sheet.hidden_columns == ("A",) and sheet.freeze == "C5"
    assert (sheet.print_breaks, sheet.print_scale, sheet.print_columns, sheet.print_rows) == (
        ("I",), PRINT_SCALE, "B:B", "4:4")
    assert sheet.heights[4] == height([(str(c.value), sheet.widths[c.column]) for c in sheet.cells
                                       if c.row == 4 and c.column != "A"], bold=True)
    for r, p in enumerate(ladder.pivots, start=5):
        row = _row(sheet, r)
        assert [row[c].value for c in "ABCDEJK"] == [p.id, p.name, p.transferable_skills, p.gap_to_close,
                                                    p.readiness_signal, p.how_to_move, p.trade_offs]
        assert row["A"].key == f"rowid.pivots.{p.id}"
        assert [row[c].style for c in "ABCDEFGHIJK"] == ["id"] + ["wrap"] * 4 + ["input"] * 3 + ["result"] + [
            "wrap"] * 2
        assert row["I"].role is Role.FORMULA
        assert {c for c, cell in row.items() if cell.role is Role.INPUT} == {"F", "G", "H"}
        checks = {c: row[c].validation for c in "FGH"}
        assert all(row[c].required is Requirement.WHEN_ASKING for c in "FGH")
        assert [row[c].key for c in "FGHI"] == [f"pivots.{p.id}.{k}" for k in ("interest", "signal", "gap_progress",
                                                                                "readiness")]
        interest, signal, progress = checks["F"], checks["G"], checks["H"]
        assert interest is not None and signal is not None and progress is not None
        assert (interest.options, interest.message) == (("0", "1", "2", "3"), "Choose 0 (none) to 3 (strong).")
        assert (signal.check, signal.options, signal.message) == (Check.CHOICE, ("Yes", "No"), "Choose Yes or No.")
        assert (progress.options, progress.message) == (("0", "1", "2", "3"),
                                                        "Choose 0 (not started) to 3 (closed).")
        assert (interest.title, signal.title, progress.title) == ("Interest", "Signal", "Gap progress")
        assert (interest.check, progress.check) == (Check.SCORE, Check.SCORE)
        assert row["I"].number_format == "0%" and row["I"].style == "result"
        assert sheet.heights[r] == height([(str(row[c].value), sheet.widths[c]) for c in "BCDEJK"])
    s = 5 + len(ladder.pivots) + 1
    track = cell_at(sheet, f"F{s}")
    assert (cell_at(sheet, f"C{s}").value, track.key, track.required) == ("Track preference", "track_preference",
                                                                      Requirement.WHEN_ASKING)
    assert track.validation is not None and track.validation.options == ladder.track_options
    assert track.validation.title == "Track" and track.validation.check is Check.CHOICE
    assert track.validation.message == "Choose one of: Principal IC, Management, Pivot, Undecided"
    assert all(cell_at(sheet, f"C{r}").style == "label" and cell_at(sheet, f"C{r}").role is Role.LABEL
               for r in (s, s + 1, s + 2))
    assert (track.style, cell_at(sheet, f"F{s + 2}").style, cell_at(sheet, f"J{s + 2}").style) == ("input", "input", "note")
    assert cell_at(sheet, "C2").style == "caption" and all(c.style == "header" for c in sheet.cells if c.row == 4)
    top = cell_at(sheet, f"F{s + 1}")
    assert (top.style, top.role) == ("result", Role.FORMULA)
    assert (cell_at(sheet, f"C{s + 1}").value, top.key, top.name) == ("Top pivot interest", "result.top_pivot", "TopPivot")
    share = cell_at(sheet, f"F{s + 2}")
    assert (cell_at(sheet, f"C{s + 2}").value, share.key, share.required) == (
        "Share my career interests with leadership", SHARE, Requirement.NEVER)
    assert share.validation is not None and share.validation.options == ("Yes", "No")
    assert share.validation.title == "Share with leadership" and share.validation.check is Check.CHOICE
    assert share.validation.message == ("Choose Yes to share your pivot interest and track preference with "
                                        "leadership; No or blank keeps them between you and your manager.")
    note = cell_at(sheet, f"J{s + 2}")
    assert note.value == ("Yes: leadership sees your pivot interest and track preference by name. No or blank: only "
                          "as counts across the organisation.")
    assert sheet.heights[s + 2] == height([(str(note.value), sheet.widths["J"])])
    assert sheet.merges == (f"F{s}:H{s}", f"F{s + 1}:I{s + 1}")
    inputs = {c.ref for c in sheet.cells if c.role is Role.INPUT}
    assert inputs == {f"{c}{r}" for r in range(5, 5 + len(ladder.pivots)) for c in "FGH"} | {f"F{s}", f"F{s + 2}"}


@pytest.mark.parametrize("interests", [(None,) * 6, (0, 0, None, 0, 0, 0), (1, 3, 2, 3, None, 0),
                                       (2, None, None, None, None, 1), (None, None, None, None, None, 2)])
def test_readiness_and_the_top_pivot_are_scoring_s(ladder: Ladder, interests: tuple[int | None, ...]) -> None:
    sheet = pivots_sheet(ladder)
    signals: tuple[str | None, ...] = ("Yes", "No", None, "Yes", "No", "Yes")
    progress = (3, 0, 2, None, 1, 2)
    typed: dict[str, Any] = {}
    for p, i, sig, g in zip(ladder.pivots, interests, signals, progress):
        typed |= {f"pivots.{p.id}.interest": i, f"pivots.{p.id}.signal": sig, f"pivots.{p.id}.gap_progress": g}
    values = shown(sheet, typed)
    got = {c.key: values[c.ref] for c in sheet.cells if c.key}
    for p, sig, g in zip(ladder.pivots, signals, progress):
        want = scoring.pivot_readiness(None if sig is None else sig == "Yes", g, 3)
        assert got[f"pivots.{p.id}.readiness"] == ("" if want is None else pytest.approx(want))
    assert got["result.top_pivot"] == scoring.top_pivot([p.name for p in ladder.pivots], list(interests))


def test_the_pivot_matrix_follows_the_ladder_s_scale_and_answers(ladder: Ladder) -> None:
    wider = replace(ladder, scale=replace(ladder.scale, labels=("a", "b", "c", "d", "e")), signal_options=("Ja", "Nein"),
                    pivots=ladder.pivots[:2])
    sheet = pivots_sheet(wider)
    assert (cell_at(sheet, "F4").value, cell_at(sheet, "G4").value, cell_at(sheet, "H4").value) == (
        "Interest (0-4)", "Signal present? (Ja/Nein)", "Gap progress (0-4)")
    assert cell_at(sheet, "F5").validation.options == ("0", "1", "2", "3", "4")  # type: ignore[union-attr]
    assert cell_at(sheet, "G5").validation.message == "Choose Ja or Nein."  # type: ignore[union-attr]
    typed: dict[str, Any] = {"pivots.product_management.signal": "Ja", "pivots.product_management.gap_progress": 2,
                             "pivots.customer_success.signal": "Nein", "pivots.customer_success.gap_progress": 4}
    values = shown(sheet, typed)
    assert values["I5"] == pytest.approx(scoring.pivot_readiness(True, 2, 4))
    assert values["I6"] == pytest.approx(scoring.pivot_readiness(False, 4, 4))
    assert [c.ref for c in sheet.cells if c.role is Role.INPUT][-2:] == ["F8", "F10"]  # track, then sharing


# ---- Promotion read-out ------------------------------------------------------------------

TALK = Readout((ReadoutField("when", "When?", FieldKind.TEXT, "e.g. Q3"),
                ReadoutField("pct", "Quota?", FieldKind.PERCENT, "e.g. 115"),
                ReadoutField("to", "Which level?", FieldKind.LEVEL, "pick one")),
               "I will, by {when}, hit {pct} and reach {to}.", "Fill in every input.", title="My talk track",
               purpose="Ask for the {target} title.")


@pytest.fixture(scope="module")
def talking(ladder: Ladder) -> Ladder:
    return replace(ladder, talk_tracks=(TalkTrack(TALK, targets=("senior",)),))


def test_the_read_out_as_the_se_sees_it(talking: Ladder, roster: Roster) -> None:
    sheet = readout_sheet(talking, find_person(roster, "tomas-novak"))
    assert (cell_at(sheet, "B1").value, cell_at(sheet, "B2").value) == ("My talk track", "Ask for the Senior SE title.")
    assert (cell_at(sheet, "B1").style, cell_at(sheet, "B2").style) == ("title", "caption")
    assert all(cell_at(sheet, f"{c}4").style == "header" and cell_at(sheet, f"{c}4").role is Role.LABEL
               for c in "BCD")
    assert sheet.title == "Promotion read-out"
    assert [(c.style, c.role) for c in sheet.cells if c.column == "H"] == [("text", Role.LABEL)] * 6
    assert [c.value for c in sheet.cells if c.column == "H"] == ["I will, by ", ", hit ", " and reach ", ".",
                                                                  "Fill in every input.", NOT_ASKING_TEXT]
    assert [cell_at(sheet, f"{c}4").value for c in "BCD"] == ["Input", "Your answer", "Example / help"]
    assert sheet.hidden_columns == ("A", "H") and sheet.heights[1] == TITLE_HEIGHT
    assert sheet.heights[2] == height([("Ask for the Senior SE title.", 140)])
    answers = {}
    for r, fd in enumerate(TALK.fields, start=5):
        row = _row(sheet, r)
        assert (row["A"].value, row["A"].key, row["B"].value, row["D"].value) == (fd.id, f"rowid.readout.{fd.id}",
                                                                                  fd.label, fd.help)
        assert (row["C"].key, row["C"].required, row["C"].style) == (f"readout.{fd.id}", Requirement.WHEN_ASKING,
                                                                     "input_wrap")
        assert [row[c].style for c in "ABD"] == ["id", "wrap", "note"] and row["C"].role is Role.INPUT
        assert sheet.heights[r] == height([(fd.label, 30), (fd.help, 40)])
        answers[fd.kind] = row["C"]
    text, pct, level = answers[FieldKind.TEXT], answers[FieldKind.PERCENT], answers[FieldKind.LEVEL]
    assert (text.number_format, pct.number_format, level.number_format) == (TEXT_FORMAT, "", "")
    assert text.validation is not None and (text.validation.check, text.validation.maximum) == (Check.TEXT, 1000)
    assert text.validation.message == "Answers are limited to 1,000 characters."
    assert pct.validation is not None and (pct.validation.check, pct.validation.maximum) == (Check.PERCENT, 1000)
    assert pct.validation.message == "Enter a whole number of percent, e.g. 115."
    assert level.validation is not None and level.validation.options == tuple(lv.name for lv in talking.levels)
    assert level.validation.message == "Choose a level of the ladder."
    assert (text.validation.title, pct.validation.title, level.validation.title) == ("Text", "Percent", "Level")
    assert (pct.validation.check, level.validation.check) == (Check.PERCENT, Check.CHOICE)
    # The move's question, in row 8 under the answers; the talk track under it.
    asking = _row(sheet, 8)
    assert asking["B"].value == "Are you asking for a new role or title this quarter?"
    assert [asking[c].style for c in "BCD"] == ["wrap", "input", "note"]
    assert asking["C"].validation.title == "Asking for a move"
    assert (asking["C"].role, asking["C"].key, asking["C"].required) == (Role.INPUT, ASKING, Requirement.NEVER)
    assert asking["C"].validation is not None and asking["C"].validation.options == ("Yes", "No")
    assert asking["C"].validation.message == "Choose Yes when you ask for it this quarter; No or blank otherwise."
    assert str(asking["D"].value).startswith("Yes: your pivot matrix and the inputs above are needed")
    assert sheet.heights[8] == height([(str(asking["B"].value), 30), (str(asking["D"].value), 40)])
    track = cell_at(sheet, "C9")
    assert (cell_at(sheet, "B9").value, track.key, track.name, track.style) == ("Your talk track", "readout.text",
                                                                            "ReadoutText", "result_wrap")
    assert sheet.merges == ("C9:D9",) and set(sheet.widths) == {"A", "B", "C", "D", "H"}
    assert (cell_at(sheet, "B9").style, cell_at(sheet, "B9").role) == ("label", Role.LABEL)
    assert sheet.heights[9] == height([(TALK.template + " " * 180, 110)])
    assert {c.ref for c in sheet.cells if c.role is Role.INPUT} == {"C5", "C6", "C7", "C8"}


@pytest.mark.parametrize("asking", ["Yes", "No", None])
@pytest.mark.parametrize("filled", [True, False])
def test_the_talk_track_is_scoring_s(talking: Ladder, roster: Roster, asking: str | None, filled: bool) -> None:
    person = find_person(roster, "tomas-novak")
    sheet = readout_sheet(talking, person)
    answers: dict[str, Any] = {"when": "Q3 2027", "pct": 115, "to": "Senior SE" if filled else None}
    typed = {f"readout.{k}": v for k, v in answers.items()} | {ASKING: asking}
    assert shown(sheet, typed)["C9"] == scoring.readout_text(TALK, answers, asking == "Yes")
    if filled and asking == "Yes":
        assert shown(sheet, typed)["C9"] == "I will, by Q3 2027, hit 115% and reach Senior SE."


def test_the_talk_track_follows_a_sort_of_the_answers(talking: Ladder, roster: Roster) -> None:
    sheet = readout_sheet(talking, find_person(roster, "tomas-novak"))
    # The first and last answers' rows swapped, as a sort by label would: each answer is found by its
    # id in column A, and the template's hidden text sits below the answers, so no sort moves it.
    moved = {5: 7, 7: 5}
    cells = tuple(replace(c, ref=f"{c.column}{moved[c.row]}") if c.row in moved else c for c in sheet.cells)
    typed: dict[str, Any] = {"readout.when": "Q3", "readout.pct": 90, "readout.to": "Principal SE", ASKING: "Yes"}
    assert shown(replace(sheet, cells=cells), typed)["C9"] == "I will, by Q3, hit 90% and reach Principal SE."


def test_growing_at_level_has_no_question_and_always_shows_the_talk_track(ladder: Ladder, roster: Roster) -> None:
    kenji = find_person(roster, "kenji-watanabe")
    sheet = readout_sheet(ladder, kenji)
    talk = ladder.readout_for(kenji.level, kenji.target_level)
    assert ASKING not in by_key(sheet)
    assert cell_at(sheet, "B2").value == talk.purpose.replace("{target}", "Core SE") or talk.purpose == ""
    values = {f.id: f"answer {i}" for i, f in enumerate(talk.fields)}
    out = 5 + len(talk.fields) + 1
    got = shown(sheet, {f"readout.{k}": v for k, v in values.items()})
    assert got[f"C{out}"] == scoring.readout_text(talk, values) != NOT_ASKING_TEXT
    assert shown(sheet, {})[f"C{out}"] == talk.incomplete_text


def test_a_roster_that_sets_the_question_shows_its_answer(talking: Ladder, roster: Roster) -> None:
    person = find_person(roster, "tomas-novak")
    for asked, shown_answer in ((True, "Yes"), (False, "No")):
        sheet = readout_sheet(talking, replace(person, asking_for_move=asked))
        answer = cell_at(sheet, "C8")
        assert (answer.role, answer.value, answer.key, answer.style) == (Role.LABEL, shown_answer, ASKING, "text")
        assert cell_at(sheet, "D8").value == "Set for this quarter with your manager."
        typed: dict[str, Any] = {"readout.when": "Q3", "readout.pct": 90, "readout.to": "Principal SE"}
        assert shown(sheet, typed)["C9"] == scoring.readout_text(TALK, {"when": "Q3", "pct": 90, "to": "Principal SE"},
                                                                  asked)


def test_a_read_out_without_a_purpose_says_when_to_use_it(talking: Ladder, roster: Roster) -> None:
    plain = replace(talking, talk_tracks=(TalkTrack(replace(TALK, purpose=""), targets=("senior",)),))
    sheet = readout_sheet(plain, find_person(roster, "tomas-novak"))
    assert cell_at(sheet, "B2").value == "Use this in your quarterly review when you are ready to ask for the Senior SE title."


def test_what_collect_makes_of_what_is_typed_in_each_input(measured: Ladder, talking: Ladder, roster: Roster) -> None:
    """Each input's rule, as collect reads it back: what it takes, and what it says of the rest."""
    person = find_person(roster, "tomas-novak")
    cells = {**by_key(metrics_sheet(measured, person)), **by_key(pivots_sheet(measured)),
             **by_key(readout_sheet(talking, person))}

    def read(key: str, typed: Any) -> tuple[Any, str]:
        rule = cells[key].validation
        assert rule is not None, key
        got = parse_cell(rule, typed)
        return got.value, got.problem[1] if got.problem else ""

    assert read("metrics.m0.actual", 12.5) == (12.5, "")
    assert read("metrics.m0.actual", "lots") == (None, "expected a number of 0 or more, found text 'lots'")
    assert read("metrics.m0.actual", -1) == (None, "expected a number of 0 or more, found -1")
    assert read("pivots.sales_ae.interest", 3) == (3, "")
    assert read("pivots.sales_ae.interest", 4) == (None, "expected a whole number from 0 to 3, found 4")
    assert read("pivots.sales_ae.signal", "yes") == ("Yes", "")
    assert read("track_preference", "pivot") == ("Pivot", "")
    assert read("readout.pct", 115) == (115, "")
    assert read("readout.pct", 1.15)[1] == ("expected a whole number of percent from 0 to 1000, found 1.15 "
                                          "(typed as 115%? enter 115)")
    assert read("readout.to", "principal se") == ("Principal SE", "")
    assert read(ASKING, "No") == ("No", "")
    assert read(SHARE, "maybe") == (None, "expected one of Yes, No, found text 'maybe'")
    assert read("pivots.sales_ae.gap_progress", 0) == (0, "")
    assert read("pivots.sales_ae.gap_progress", 4) == (None, "expected a whole number from 0 to 3, found 4")
    for key in ("pivots.sales_ae.signal", "track_preference", "readout.to", ASKING):
        rule = cells[key].validation
        assert rule is not None
        assert read(key, "maybe") == (None, f"expected one of {', '.join(rule.options)}, found text 'maybe'")


def test_every_cell_has_its_role(measured: Ladder, talking: Ladder, roster: Roster) -> None:
    """What is not typed in or calculated is a fixed label: locked, and never read back as an input."""
    person = find_person(roster, "tomas-novak")
    for sheet in (metrics_sheet(measured, person), pivots_sheet(measured), readout_sheet(talking, person)):
        for c in sheet.cells:
            assert c.role in (Role.INPUT, Role.FORMULA) if c.validation or str(c.value).startswith("=") else (
                c.role is Role.LABEL), (sheet.title, c.ref)


def test_the_metrics_shown_are_those_of_the_move(ladder: Ladder, roster: Roster) -> None:
    """At the current level, or toward the target: not those of the target level itself."""
    base = METRICS[0]
    metrics = (replace(base, id="at_core", levels=("core",)), replace(base, id="to_senior", targets=("senior",)),
               replace(base, id="at_senior", levels=("senior",)), replace(base, id="to_principal", targets=("principal",)))
    sheet = metrics_sheet(replace(ladder, metrics=metrics), find_person(roster, "tomas-novak"))  # Core SE toward Senior SE
    assert [c.value for c in sheet.cells if c.column == "A" and c.row > 4] == ["at_core", "to_senior"]
