"""Type values into workbooks in LibreOffice as a person would, then export PDF and report clipped rows.

Run with the system Python that has LibreOffice's ``uno`` module (Debian's python3-uno):

    /usr/bin/python3 tests/support/uno_fill.py PLAN.json

PLAN: {"port": 2002, "profile": DIR, "files": [{"xlsx": IN, "pdf": OUT, "saved": OUT.xlsx,
"cells": [[sheet, ref, value], ...]}]}. Typing goes through ``setFormula`` (text as typed;
a leading "=" is escaped with "'" like a person typing text), so LibreOffice grows rows
whose height is not fixed, exactly as on screen. Prints JSON: per file, the rows whose
height is below what their (unmerged) text needs, and rows taller than a printed page.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

HMM_PER_POINT = 2540 / 72


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(port: int) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.25)
    raise RuntimeError(f"LibreOffice did not listen on 127.0.0.1:{port}")


def _merged_rows(sheet: Any) -> set[int]:
    """Rows holding a merged area (LibreOffice's optimal height ignores merged cells)."""
    rows: set[int] = set()
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end_row, end_col = cursor.RangeAddress.EndRow, cursor.RangeAddress.EndColumn
    for r in range(end_row + 1):
        for c in range(end_col + 1):
            if sheet.getCellByPosition(c, r).IsMerged:
                rows.add(r)
                break
    return rows


def _check(doc: Any) -> dict[str, list[str]]:
    """Rows shorter than their text needs, and rows taller than the printable page height."""
    clipped, too_tall = [], []
    styles = doc.StyleFamilies.getByName("PageStyles")
    for i in range(doc.Sheets.Count):
        sheet = doc.Sheets.getByIndex(i)
        page = styles.getByName(sheet.PageStyle)
        scale = (page.PageScale or 100) / 100
        printable = page.Height - page.TopMargin - page.BottomMargin - page.HeaderHeight - page.FooterHeight
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        merged = _merged_rows(sheet)
        for r in range(cursor.RangeAddress.EndRow + 1):
            row = sheet.Rows.getByIndex(r)
            if row.IsVisible is False:
                continue
            now = row.Height
            if now * scale > printable:
                too_tall.append(f"'{sheet.Name}' row {r + 1}: {now / HMM_PER_POINT:.0f} pt at {scale:.0%}")
            if r in merged:
                continue
            row.OptimalHeight = True
            need = row.Height
            row.Height = now
            if need > now + 30:  # 0.3 mm: rounding between points and 1/100 mm
                clipped.append(f"'{sheet.Name}' row {r + 1}: {now / HMM_PER_POINT:.0f} pt, text needs "
                               f"{need / HMM_PER_POINT:.0f} pt")
    return {"clipped": clipped, "too_tall": too_tall}


def main(plan_path: str) -> None:
    with open(plan_path, encoding="utf-8") as fh:
        plan = json.load(fh)
    port = plan["port"]
    proc = subprocess.Popen(["soffice", "--headless", "--norestore", "--nolockcheck",
                             f"-env:UserInstallation=file://{plan['profile']}",
                             f"--accept=socket,host=127.0.0.1,port={port};urp;"])
    report: dict[str, Any] = {}
    try:
        ctx = _connect(port)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for item in plan["files"]:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(item["xlsx"]), "_blank", 0,
                                               (_prop("Hidden", True),))
            try:
                for sheet_name, ref, value in item["cells"]:
                    cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref)
                    if isinstance(value, str):
                        cell.setFormula("'" + value if value.startswith("=") else value)
                    else:
                        cell.setValue(value)
                doc.calculateAll()
                report[item["xlsx"]] = _check(doc)
                doc.storeToURL(uno.systemPathToFileUrl(item["pdf"]), (_prop("FilterName", "calc_pdf_Export"),))
                if item.get("saved"):
                    doc.storeToURL(uno.systemPathToFileUrl(item["saved"]),
                                   (_prop("FilterName", "Calc MS Excel 2007 XML"),))
            finally:
                doc.close(True)
        desktop.terminate()
    finally:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
