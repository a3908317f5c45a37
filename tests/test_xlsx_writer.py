"""What a generated workbook holds for the people who open it: validation, protection, names, text as text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from ladder_sheets import layout
from ladder_sheets.layout import Check, Role, WorkbookLayout
from ladder_sheets.model import Ladder, Person, Roster
from ladder_sheets.xlsx_writer import write_workbook
from tests.support.libreoffice import recalc

DUE = date(2026, 12, 7)


def _build(ladder: Ladder, roster: Roster, person: Person, tmp_path: Path) -> tuple[WorkbookLayout, Path]:
    wl = layout.build(ladder, roster, person, "2026-Q4", DUE)
    path = tmp_path / f"{person.id}.xlsx"
    write_workbook(wl, path)
    return wl, path


@pytest.fixture(scope="module")
def built(ladder: Ladder, roster: Roster, tmp_path_factory: pytest.TempPathFactory) -> tuple[WorkbookLayout, openpyxl.Workbook]:
    wl, path = _build(ladder, roster, roster.people[0], tmp_path_factory.mktemp("writer"))
    return wl, openpyxl.load_workbook(path)


def _validations_at(ws: Worksheet, ref: str) -> list[object]:
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


def test_every_input_cell_has_a_strict_validation_matching_the_layout(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    inputs = list(wl.cells(Role.INPUT))
    assert len(inputs) > 40
    for sheet, cell in inputs:
        found = _validations_at(wb[sheet.title], cell.ref)
        assert len(found) == 1, f"{sheet.title}!{cell.ref}: {len(found)} validations"
        dv = found[0]
        assert dv.showErrorMessage and dv.errorStyle == "stop", f"{sheet.title}!{cell.ref} accepts anything"
        assert dv.error, f"{sheet.title}!{cell.ref} has no error message"
        rule = cell.validation
        assert rule is not None
        if rule.check in (Check.SCORE, Check.CHOICE):
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(rule.options) + '"'
            assert not dv.showDropDown, "showDropDown=True hides the arrow in Excel"
        elif rule.check is Check.PERCENT:
            assert (dv.type, dv.formula1, dv.formula2) == ("whole", "0", "1000")
        elif rule.check is Check.NUMBER:
            assert (dv.type, dv.operator) == ("decimal", "greaterThanOrEqual")
        else:
            assert dv.type == "textLength"


def test_score_dropdowns_offer_zero_to_three(built: tuple[WorkbookLayout, openpyxl.Workbook], ladder: Ladder) -> None:
    wl, wb = built
    sheet, cell = wl.by_key()[f"criteria.{ladder.rubric_for(wl.person.target_level).criteria[0].id}.self"]
    assert _validations_at(wb[sheet.title], cell.ref)[0].formula1 == '"0,1,2,3"'


def test_inputs_unlocked_everything_else_locked_and_sheets_protected(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    for sheet, cell in wl.cells():
        locked = wb[sheet.title][cell.ref].protection.locked
        assert locked is (cell.role is not Role.INPUT), f"{sheet.title}!{cell.ref} locked={locked}"
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title


def test_defined_names_point_at_their_cells(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    expected = {"SelfReadiness", "ManagerReadiness", "SelfBand", "ManagerBand", "CalibrationGap", "MetricsBelow",
                "TopPivot", "ReadoutText"}
    assert expected <= set(wb.defined_names)
    for sheet, cell in wl.cells():
        if cell.name:
            (title, ref), = list(wb.defined_names[cell.name].destinations)
            assert (title, ref.replace("$", "")) == (sheet.title, cell.ref)
            assert str(wb[title][cell.ref].value).startswith("=")


def test_formulas_are_formulas_and_hidden_columns_hidden(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    for sheet, cell in wl.cells(Role.FORMULA):
        assert wb[sheet.title][cell.ref].data_type == "f"
    for sheet in wl.sheets:
        for column in sheet.hidden_columns:
            assert wb[sheet.title].column_dimensions[column].hidden


def test_fonts_are_named(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    for sheet, cell in wl.cells():
        assert wb[sheet.title][cell.ref].font.name == layout.FONT


@pytest.mark.libreoffice
@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_user_and_config_text_is_never_a_formula(prefix: str, ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    name = f"{prefix}HYPERLINK(\"http://evil.example\",\"x\")"
    person = replace(roster.people[0], name=name)
    rubric = ladder.rubric_for(person.target_level)
    first = replace(rubric.criteria[0], text=f"{prefix}1+1")
    ladder = replace(ladder, rubrics={**ladder.rubrics, rubric.target_level: replace(rubric, criteria=(first, *rubric.criteria[1:]))})
    roster = replace(roster, people=(person, *roster.people[1:]))
    wl, path = _build(ladder, roster, person, tmp_path)
    wb = openpyxl.load_workbook(path)
    name_sheet, name_cell = wl.by_key()["meta.person_name"]
    assert wb[name_sheet.title][name_cell.ref].data_type == "s"
    assert wb[name_sheet.title][name_cell.ref].value == name
    crit_ref = f"C{wl.by_key()[f'rowid.criteria.{first.id}'][1].row}"
    assert wb[layout.SCORECARD][crit_ref].data_type == "s"
    # And a real spreadsheet engine still shows the literal text after recalculating.
    out, = recalc([path], tmp_path / "recalc")
    again = openpyxl.load_workbook(out)
    assert again[name_sheet.title][name_cell.ref].value == name
    assert again[layout.SCORECARD][crit_ref].value == f"{prefix}1+1"


def test_workbook_is_written_atomically_and_readable(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    _, path = _build(ladder, roster, roster.people[1], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind
    assert path.stat().st_mode & 0o044 == 0o044  # readable by the SE's tools, not 0600
    assert openpyxl.load_workbook(path).sheetnames == [s.title for s in layout.build(ladder, roster, roster.people[1], "2026-Q4", DUE).sheets]
