"""Edits workbooks in a running LibreOffice through UNO, the way people do; one JSON request per line on stdin.

Runs under the system Python (Debian's python3-uno is built for /usr/bin/python3, not for
the project's virtualenv): ``tests/support/calc.py`` starts it as a subprocess and speaks
JSON lines with it. Cells are typed through their ``FormulaLocal`` (as a user types: ``85%``
becomes 0.85, ``=`` starts a formula, and a cell formatted as text keeps what is typed, which
``setFormula`` does not honour); the dispatcher (``.uno:EnterString``) crashes headless
soffice at random and is never used.

Request: {"path": in, "out": out, "filter": "Calc MS Excel 2007 XML", "edits": [...], "names": [...],
          "more": [{"out": out2, "filter": "calc8"}, ...]}   (the same edited document saved again)
Answer:  {"ok": true, "names": {name: value}} or {"ok": false, "error": "..."}
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.table import CellAddress  # type: ignore[import-not-found]


def _props(**kw: Any) -> tuple[Any, ...]:
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def _connect(port: int) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _sheet(doc: Any, name: str) -> Any:
    return doc.Sheets.getByName(name)


def _edit(doc: Any, e: dict[str, Any]) -> None:
    op = e["op"]
    if op == "unprotect":
        for i in range(doc.Sheets.Count):
            doc.Sheets.getByIndex(i).unprotect("")
        return
    sheet = _sheet(doc, e["sheet"])
    if op == "type":  # as a user types into a cell: a cell formatted as text keeps "12/1/2026" as text
        sheet.getCellRangeByName(e["cell"]).FormulaLocal = e["text"]
    elif op == "general":  # Format > Number > General (as after clearing direct formatting)
        sheet.getCellRangeByName(e["cell"]).NumberFormat = 0
    elif op == "string":
        sheet.getCellRangeByName(e["cell"]).setString(e["text"])
    elif op == "clear":
        sheet.getCellRangeByName(e["range"]).clearContents(1 | 2 | 4 | 16)  # value, datetime, string, formula
    elif op == "insert_rows":
        sheet.getRows().insertByIndex(e["index"], e.get("count", 1))
    elif op == "remove_rows":
        sheet.getRows().removeByIndex(e["index"], e.get("count", 1))
    elif op == "insert_columns":
        sheet.getColumns().insertByIndex(e["index"], e.get("count", 1))
    elif op == "remove_columns":
        sheet.getColumns().removeByIndex(e["index"], e.get("count", 1))
    elif op == "hide_column":
        sheet.getColumns().getByIndex(e["index"]).IsVisible = False
    elif op == "move_column":  # cut a column and insert it elsewhere, as drag-and-drop does
        src, dst = e["index"], e["to"]
        sheet.getColumns().insertByIndex(dst, 1)
        if src >= dst:
            src += 1
        rng = sheet.getCellRangeByPosition(src, 0, src, 1048575).getRangeAddress()
        target = CellAddress()
        target.Sheet, target.Column, target.Row = rng.Sheet, dst, 0
        sheet.moveRange(target, rng)
        sheet.getColumns().removeByIndex(src, 1)
    elif op == "sort":  # sort a block of rows by one of its columns, as Data > Sort does
        rng = sheet.getCellRangeByName(e["range"])
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field, field.IsAscending, field.IsCaseSensitive = e["by"], e.get("ascending", True), False
        desc = rng.createSortDescriptor()
        for p in desc:
            if p.Name == "SortFields":
                p.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
            elif p.Name == "ContainsHeader":
                p.Value = False
        rng.sort(desc)
    elif op == "paste_values":  # copy, then paste special: values only, over the formulas
        rng = sheet.getCellRangeByName(e["range"])
        rng.setDataArray(rng.getDataArray())
    elif op == "rename":
        sheet.setName(e["to"])
    else:
        raise ValueError(f"unknown edit {op!r}")


def _value(doc: Any, name: str) -> Any:
    cell = doc.NamedRanges.getByName(name).getReferredCells().getCellByPosition(0, 0)
    if cell.getError():
        return {"error": cell.getError()}
    kind = cell.getType().value
    if kind == "VALUE" or (kind == "FORMULA" and cell.FormulaResultType2 == 1):
        return cell.getValue()
    return cell.getString()


def _handle(desktop: Any, req: dict[str, Any]) -> dict[str, Any]:
    url = uno.systemPathToFileUrl(req["path"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, _props(Hidden=True))
    try:
        for e in req.get("edits", []):
            _edit(doc, e)
        doc.calculateAll()
        names = {n: _value(doc, n) for n in req.get("names", [])}
        if req.get("out"):
            doc.storeToURL(uno.systemPathToFileUrl(req["out"]), _props(FilterName=req["filter"]))
        for more in req.get("more", []):
            doc.storeToURL(uno.systemPathToFileUrl(more["out"]), _props(FilterName=more["filter"]))
        return {"ok": True, "names": names}
    finally:
        doc.close(True)


def main() -> None:
    desktop = _connect(int(sys.argv[1]))
    print(json.dumps({"ok": True, "ready": True}), flush=True)
    for line in sys.stdin:
        try:
            answer = _handle(desktop, json.loads(line))
        except Exception as exc:  # report, keep serving: one bad edit must not end the session
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
        print(json.dumps(answer), flush=True)
    # Ending LibreOffice by signal leaves its OSL_PIPE_* socket in /tmp, one per session.
    try:
        desktop.terminate()
    except Exception:  # the bridge closes under us as LibreOffice quits
        pass


if __name__ == "__main__":
    main()
