// Saves a workbook as Excel's binary workbook (.xlsb) with SheetJS, pinned in package.json:
//   node convert.js in.xlsx out.xlsb [--short]
// (tests/support/sheetjs.py runs it; `make test` installs SheetJS here with `npm ci`.)
//
// SheetJS writes each cell after the first of a row in the "short" record form (no column);
// Excel writes every cell in the full form, and that is what python-calamine reads. Without
// --short the file is laid out as Excel lays one out; with --short, as SheetJS writes it.
//
// SheetJS has no option for the full form: its xlsb writer (write_CELLTABLE) passes
// write_ws_bin_cell a local `last_seen`, true after any written cell, and each cell type
// picks its short record on it; neither function is exported. So its source text is
// patched before it is loaded, and this fails loudly when the patch no longer applies
// (tests/test_collect_xlsb.py also checks the file holds no short cells).
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const SHORT_FORM = "if(last_seen) write_record(";  // one per cell type: blank, number (2), text (2), bool, error
const SHORT_FORMS = 7;

function fail(message) {
  process.stderr.write(`convert.js: ${message}\n`);
  process.exit(2);
}

function loadSheetJS(full) {
  const file = require.resolve("xlsx/xlsx.js");
  let code = fs.readFileSync(file, "utf8");
  if (full) {
    const parts = code.split(SHORT_FORM);
    if (parts.length - 1 !== SHORT_FORMS) {
      fail(`expected ${SHORT_FORMS} short-form writes in ${file}, found ${parts.length - 1}: ` +
           "SheetJS changed, update the patch");
    }
    code = parts.join("if(false) write_record(");
  }
  const mod = { exports: {} };
  new Function("module", "exports", "require", "__filename", "__dirname", code)(
    mod, mod.exports, createRequire(file), file, path.dirname(file));
  return mod.exports;
}

const [src, dst, flag] = process.argv.slice(2);
if (!src || !dst || (flag !== undefined && flag !== "--short")) fail("usage: node convert.js in.xlsx out.xlsb [--short]");
const XLSX = loadSheetJS(flag !== "--short");
const pinned = require("./package.json").dependencies.xlsx;
if (XLSX.version !== pinned) fail(`SheetJS ${XLSX.version} is installed, ${pinned} is pinned: run \`make test\``);
const book = XLSX.readFile(src, { cellFormula: true, cellNF: true, cellStyles: true });
XLSX.writeFile(book, dst, { bookType: "xlsb" });
