"""What a generated workbook holds for the people who open it: validation, protection, names, text as text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ladder_sheets.core import layout
from ladder_sheets.core.cells import Check, Role, Validation, WorkbookLayout
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.core.styles import FONT
from ladder_sheets.xlsx.writer import write_workbook
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


def _validations_at(ws: Worksheet, ref: str) -> list[DataValidation]:
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


def _spec(dv: DataValidation) -> dict[str, object]:
    """What a data validation enforces and tells the user, in comparable form."""
    return {"type": dv.type, "operator": dv.operator, "formula1": dv.formula1, "formula2": dv.formula2,
            "allow_blank": bool(dv.allow_blank), "showErrorMessage": bool(dv.showErrorMessage),
            "errorStyle": dv.errorStyle, "error": dv.error, "errorTitle": dv.errorTitle,
            "showDropDown": bool(dv.showDropDown), "prompt": dv.prompt}


def _wanted(rule: Validation) -> dict[str, object]:
    """The validation the layout's rule calls for: strict (stop), blanks allowed, its own message."""
    common = {"formula2": None, "allow_blank": True, "showErrorMessage": True, "errorStyle": "stop",
              "error": rule.message, "errorTitle": rule.title, "showDropDown": False, "prompt": rule.message}
    whole = int(rule.minimum), int(rule.maximum)
    by_check: dict[Check, dict[str, object]] = {
        Check.SCORE: {"type": "list", "operator": None, "formula1": '"' + ",".join(rule.options) + '"'},
        Check.SCORE_OR_NA: {"type": "list", "operator": None, "formula1": '"' + ",".join(rule.options) + '"'},
        Check.CHOICE: {"type": "list", "operator": None, "formula1": '"' + ",".join(rule.options) + '"'},
        Check.NUMBER: {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": str(rule.minimum)},
        Check.PERCENT: {"type": "whole", "operator": "between", "formula1": str(whole[0]), "formula2": str(whole[1])},
        Check.TEXT: {"type": "textLength", "operator": "lessThanOrEqual", "formula1": str(whole[1])},
    }
    return common | by_check[rule.check]


def test_every_input_cell_has_a_strict_validation_matching_the_layout(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    inputs = list(wl.cells(Role.INPUT))
    assert {cell.validation.check for _, cell in inputs if cell.validation} == set(Check)
    for sheet, cell in inputs:
        found = _validations_at(wb[sheet.title], cell.ref)
        assert len(found) == 1, f"{sheet.title}!{cell.ref}: {len(found)} validations"
        assert cell.validation is not None and cell.validation.message, f"{sheet.title}!{cell.ref}"
        assert _spec(found[0]) == _wanted(cell.validation), f"{sheet.title}!{cell.ref} ({cell.key})"


def test_no_validation_reaches_beyond_the_input_cells(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    inputs = {(sheet.title, cell.ref) for sheet, cell in wl.cells(Role.INPUT)}
    covered = {(ws.title, str(ref)) for ws in wb.worksheets for dv in ws.data_validations.dataValidation
               for rng in dv.sqref.ranges for row in rng.rows for (r, c) in row
               for ref in [f"{get_column_letter(c)}{r}"]}
    assert covered == inputs


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


NAMES = {"SelfReadiness": "result.self_pct", "ManagerReadiness": "result.manager_pct", "SelfBand": "result.self_band",
         "ManagerBand": "result.manager_band", "CalibrationGap": "result.calibration_gap",
         "MetricsBelow": "result.metrics_below", "TopPivot": "result.top_pivot", "ReadoutText": "readout.text"}


def test_defined_names_point_at_their_cells(built: tuple[WorkbookLayout, openpyxl.Workbook]) -> None:
    wl, wb = built
    assert set(wb.defined_names) == set(NAMES)
    cells = wl.by_key()
    for name, key in NAMES.items():
        sheet, cell = cells[key]
        (title, ref), = list(wb.defined_names[name].destinations)
        assert (title, ref) == (sheet.title, f"${cell.column}${cell.row}"), name
        assert wb[title][cell.ref].data_type == "f", name


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
        assert wb[sheet.title][cell.ref].font.name == FONT


PREFIXES = ("=", "+", "-", "@")  # what makes a spreadsheet (or openpyxl) read text as a formula


def _with_prefix(prefix: str, ladder: Ladder, roster: Roster) -> tuple[Ladder, Roster, Person]:
    """Roster and ladder text that starts like a formula: names, team, a criterion, the read-out template."""
    evil = f'{prefix}HYPERLINK("http://evil.example","x")'
    manager = replace(roster.managers[0], name=f"{prefix}cmd|' /C calc'!A0", team=f"{prefix}1+1")
    person = replace(roster.people[0], id=f"p{PREFIXES.index(prefix)}", name=evil, manager=manager.id)
    rubric = ladder.rubric_for(person.target_level)
    first = replace(rubric.criteria[0], text=f"{prefix}1+1", anchor=f"{prefix}SUM(A1:A9)")
    ladder = replace(
        ladder,
        rubrics={**ladder.rubrics, rubric.target_level: replace(rubric, criteria=(first, *rubric.criteria[1:]))},
        readout=replace(ladder.readout, template=f"{prefix}2+2 " + ladder.readout.template),
        metrics=(replace(ladder.metrics[0], benchmark=f"{prefix}1 asset"), *ladder.metrics[1:]),
    )
    return ladder, replace(roster, managers=(manager, *roster.managers[1:]), people=(person,)), person


@pytest.fixture(scope="module")
def injected(ladder: Ladder, roster: Roster, tmp_path_factory: pytest.TempPathFactory,
             ) -> list[tuple[str, WorkbookLayout, Path, Path]]:
    """(prefix, layout, written, recalculated) for each prefix: one LibreOffice run for all."""
    tmp = tmp_path_factory.mktemp("injection")
    built = [(prefix, *_build(*_with_prefix(prefix, ladder, roster), tmp)) for prefix in PREFIXES]
    recalculated = recalc([path for _, _, path in built], tmp / "recalc")
    return [(prefix, wl, path, again) for (prefix, wl, path), again in zip(built, recalculated)]


def _formula_like_text(wl: WorkbookLayout, prefix: str) -> list[tuple[str, str, str]]:
    return [(sheet.title, cell.ref, cell.value) for sheet, cell in wl.cells()
            if cell.role is not Role.FORMULA and isinstance(cell.value, str) and cell.value.startswith(prefix)]


@pytest.mark.libreoffice
def test_user_and_config_text_is_never_a_formula(injected: list[tuple[str, WorkbookLayout, Path, Path]]) -> None:
    for prefix, wl, path, recalculated in injected:
        texts = _formula_like_text(wl, prefix)
        # name, manager, team, criterion text and anchor, benchmark, read-out template text
        assert len(texts) >= 7, texts
        written, again = openpyxl.load_workbook(path), openpyxl.load_workbook(recalculated)
        for title, ref, text in texts:
            cell = written[title][ref]
            assert (cell.data_type, cell.value) == ("s", text), f"{path.name}: '{title}'!{ref}"
            # A real spreadsheet engine still shows the literal text after recalculating.
            assert again[title][ref].value == text, f"{recalculated.name}: '{title}'!{ref}"


def test_workbook_is_written_atomically_and_readable(ladder: Ladder, roster: Roster, tmp_path: Path) -> None:
    _, path = _build(ladder, roster, roster.people[1], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind
    assert path.stat().st_mode & 0o044 == 0o044  # readable by the SE's tools, not 0600
    assert openpyxl.load_workbook(path).sheetnames == [s.title for s in layout.build(ladder, roster, roster.people[1], "2026-Q4", DUE).sheets]
