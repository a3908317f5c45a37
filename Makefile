# Two commands for a fresh machine:
#   make demo   - virtualenv + install + the quarter's whole loop on the example team (sample returns, dry-run sends)
#   make test   - virtualenv + test extras + LibreOffice (formula oracle) + SheetJS (.xlsb) + the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SHEETJS := tests/support/xlsb
QUARTER ?= 2026-Q4
OUT    ?= out
FROM   ?= Apex SE Ops <se-ops@apex-cloud.example>
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test venv system-deps bench typecheck clean google-check mutate

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(VENV)/bin/ladder-sheets validate --team config/example-team.yaml
	$(VENV)/bin/ladder-sheets generate --team config/example-team.yaml --quarter $(QUARTER) --out $(OUT)
	$(VENV)/bin/ladder-sheets handout --team config/example-team.yaml --quarter $(QUARTER) --workbooks $(OUT)/$(QUARTER) \
	  --out $(OUT)/handout --from "$(FROM)" --cc-manager > /dev/null
	$(VENV)/bin/ladder-sheets send $(OUT)/handout --dry-run
	@# SAMPLE DATA: the SEs and managers "reply" with filled-in workbooks, as emails in a Maildir.
	rm -rf $(OUT)/inbox
	$(PY) -m ladder_sheets.workflows.sample --team config/example-team.yaml --quarter $(QUARTER) \
	  --workbooks $(OUT)/$(QUARTER) --maildir $(OUT)/inbox
	@# One SE has not returned a workbook and one is partial, so collect exits 1: that is expected here.
	$(VENV)/bin/ladder-sheets collect $(OUT)/inbox --team config/example-team.yaml --quarter $(QUARTER) \
	  --out $(OUT)/results.json --db $(OUT)/history.sqlite3 > $(OUT)/collect.log; test $$? -le 1
	@grep "people:" $(OUT)/collect.log
	@# The managers' round: a review workbook per manager, handed out, returned (SAMPLE DATA), collected again.
	$(VENV)/bin/ladder-sheets review $(OUT)/results.json --team config/example-team.yaml --out $(OUT)/reviews \
	  --db $(OUT)/history.sqlite3 --force
	$(VENV)/bin/ladder-sheets handout --team config/example-team.yaml --quarter $(QUARTER) --reviews $(OUT)/reviews \
	  --out $(OUT)/review-handout --from "$(FROM)" > /dev/null
	$(VENV)/bin/ladder-sheets send $(OUT)/review-handout --dry-run
	$(PY) -m ladder_sheets.workflows.sample --team config/example-team.yaml --quarter $(QUARTER) \
	  --reviews $(OUT)/reviews --maildir $(OUT)/inbox
	@# The AEs' and peers' round: a peer workbook per rater, handed out, returned (SAMPLE DATA), collected with the rest.
	$(VENV)/bin/ladder-sheets peers --team config/example-team.yaml --quarter $(QUARTER) --out $(OUT)/peers
	$(VENV)/bin/ladder-sheets handout --team config/example-team.yaml --quarter $(QUARTER) --peers $(OUT)/peers \
	  --out $(OUT)/peer-handout --from "$(FROM)" > /dev/null
	$(VENV)/bin/ladder-sheets send $(OUT)/peer-handout --dry-run
	$(PY) -m ladder_sheets.workflows.sample --team config/example-team.yaml --quarter $(QUARTER) \
	  --peers $(OUT)/peers --maildir $(OUT)/inbox
	$(VENV)/bin/ladder-sheets collect $(OUT)/inbox --team config/example-team.yaml --quarter $(QUARTER) \
	  --out $(OUT)/results.json --db $(OUT)/history.sqlite3 > $(OUT)/collect.log; test $$? -le 1
	@grep "people:" $(OUT)/collect.log
	$(VENV)/bin/ladder-sheets remind $(OUT)/results.json --team config/example-team.yaml --workbooks $(OUT)/$(QUARTER) \
	  --reviews $(OUT)/reviews --peers $(OUT)/peers --out $(OUT)/reminders --from "$(FROM)"
	$(VENV)/bin/ladder-sheets send $(OUT)/reminders --dry-run
	@# The promotion committee's round: its workbook, filled in (SAMPLE DATA), its decisions recorded.
	rm -f $(OUT)/calibration.xlsx
	$(VENV)/bin/ladder-sheets calibrate $(OUT)/results.json --team config/example-team.yaml --db $(OUT)/history.sqlite3 \
	  --out $(OUT)/calibration.xlsx
	$(PY) -m ladder_sheets.workflows.sample_committee $(OUT)/results.json --team config/example-team.yaml \
	  --db $(OUT)/history.sqlite3 --workbook $(OUT)/calibration.xlsx --out $(OUT)/calibration-filled.xlsx
	$(VENV)/bin/ladder-sheets calibrate $(OUT)/results.json --team config/example-team.yaml --db $(OUT)/history.sqlite3 \
	  --apply $(OUT)/calibration-filled.xlsx
	@# Leticia is Ready for a first quarter: a candidate only after two running, so her packet is asked for by id.
	$(VENV)/bin/ladder-sheets report $(OUT)/results.json --team config/example-team.yaml --out $(OUT)/report \
	  --from "$(FROM)" --db $(OUT)/history.sqlite3 --packet leticia-moreno > /dev/null
	$(VENV)/bin/ladder-sheets send $(OUT)/report --dry-run
	@echo
	@echo "Workbooks to hand out: $(OUT)/$(QUARTER)/ (one per SE, plus manifest.json)."
	@echo "Hand-out emails:       $(OUT)/handout/*.eml (workbook attached, due date, where to return it)."
	@echo "Sample returns:        $(OUT)/inbox/ (a Maildir of SAMPLE DATA replies, filled in by ladder_sheets.workflows.sample)."
	@echo "Manager reviews:       $(OUT)/reviews/review-*.xlsx (one per manager), $(OUT)/review-handout/*.eml (review attached)."
	@echo "AE and peer input:     $(OUT)/peers/peer-*.xlsx (one per rater), $(OUT)/peer-handout/*.eml; shown in the agendas and packets."
	@echo "What collect found:    $(OUT)/collect.log, $(OUT)/results.log (every problem, located) and $(OUT)/results.json"
	@echo "Reminders:             $(OUT)/reminders/*.eml (only to whom has something open, plus SE Ops' overview)."
	@echo "Promotion committee:   $(OUT)/calibration.xlsx (its workbook), $(OUT)/calibration-filled.xlsx (SAMPLE DATA, applied)."
	@echo "Summaries and emails:  $(OUT)/report/ (summary.xlsx, results.csv, *.html, *.txt, *.eml)"
	@echo "Promotion packet:      $(OUT)/report/packet-leticia-moreno.html (asked for: one Ready quarter is not yet a candidate)."
	@echo "Nothing was sent: each 'send ... --dry-run' above lists what would go to whom."

# LibreOffice is the formula oracle of the tests, and edits workbooks as people do through UNO: install both when missing.
system-deps:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice Calc (headless) for the formula-oracle tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-calc-nogui >/dev/null; }
	@command -v soffice >/dev/null 2>&1 || { echo "soffice still missing after install" >&2; exit 1; }
	@# Carlito has Calibri's metrics (the workbooks' font): LibreOffice's own installers bundle it, a bare
	@# Debian LibreOffice does not, and without it pages and charts render wider than people see them.
	@fc-list 2>/dev/null | grep -qi carlito || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-crosextra-carlito >/dev/null; }
	@# Pango lays out the PDF promotion packets (WeasyPrint, `report --pdf`); the tests look at the emails in
	@# headless Chromium and at printed pages with poppler (pdftotext, pdftoppm).
	@{ ldconfig -p | grep -q libpangoft2-1.0 && command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; } || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	  libpango-1.0-0 libpangoft2-1.0-0 chromium poppler-utils >/dev/null; }
	@# python3-uno: the tests edit workbooks in LibreOffice as people do (tests/support/calc.py), with /usr/bin/python3.
	@/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || { \
	  echo "Installing python3-uno (LibreOffice's Python bridge) for the user-edit tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-uno >/dev/null; }
	@/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || { echo "python3-uno still missing after install" >&2; exit 1; }
	@# node and npm: the tests save workbooks as .xlsb with SheetJS (tests/support/sheetjs.py); nothing else writes it.
	@{ command -v node && command -v npm; } >/dev/null 2>&1 || { \
	  echo "Installing Node.js and npm for the .xlsb tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@{ command -v node && command -v npm; } >/dev/null 2>&1 || { echo "node or npm still missing after install" >&2; exit 1; }

# SheetJS, at the version its lock file pins, reinstalled when package.json or the lock file changes.
$(SHEETJS)/node_modules/.installed: $(SHEETJS)/package.json $(SHEETJS)/package-lock.json | system-deps
	cd $(SHEETJS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Test files are spread over the cores (at most 4), each file whole on one process: a file's module
# fixtures (LibreOffice round trips among them) are built once.
test: venv system-deps $(SHEETJS)/node_modules/.installed
	$(PY) -m pytest --numprocesses auto --maxprocesses 4 --dist loadfile

typecheck: venv
	$(VENV)/bin/mypy

# Mutation testing, not part of `make test`: mutmut over what pyproject's [tool.mutmut] names, then
# the score per package. Results are kept in mutants/ (a rerun tests only what changed; delete it to
# start afresh). MUTANTS narrows a run to some mutants (patterns, space-separated), e.g.
# MUTANTS='ladder_sheets.core.quarter.*';
# TESTS to the module's own test files (TESTS=tests/test_quarter.py: the score docs/mutation.md
# reports, and far faster than every test that reaches the module); JOBS caps the worker processes.
mutate: venv system-deps $(SHEETJS)/node_modules/.installed $(VENV)/.mutmut-installed
	$(if $(TESTS),PYTEST_ADDOPTS="-o 'testpaths=$(TESTS)'") $(VENV)/bin/mutmut run $(if $(JOBS),--max-children $(JOBS)) $(foreach m,$(MUTANTS),'$(m)')
	$(PY) tools/mutation_score.py

$(VENV)/.mutmut-installed: pyproject.toml | venv
	$(PY) -m pip install --quiet -e '.[test,mutate]'
	touch $@

bench: venv
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Against real Google (never in CI): one spreadsheet made, filled, read back, compared with collect, removed;
# with SECOND_CREDENTIALS, another account proves the manager cells refuse it.
google-check: venv
	@test -n "$(FOLDER)" || { echo "usage: make google-check CREDENTIALS=client_secret.json FOLDER=<folder id> [IMPERSONATE=user@your-domain] [SECOND_CREDENTIALS=another_account.json]" >&2; exit 2; }
	$(PY) -m ladder_sheets.workflows.google_check --folder '$(FOLDER)' $(if $(CREDENTIALS),--credentials '$(CREDENTIALS)') $(if $(IMPERSONATE),--impersonate '$(IMPERSONATE)') \
	  $(if $(SECOND_CREDENTIALS),--second-credentials '$(SECOND_CREDENTIALS)')

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache $(SHEETJS)/node_modules mutants
