# Two commands for a fresh machine:
#   make demo   - virtualenv + install + generate workbooks for the example team
#   make test   - virtualenv + test extras + LibreOffice (formula oracle) + the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
QUARTER ?= 2026-Q4
OUT    ?= out
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test venv system-deps bench typecheck clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(VENV)/bin/ladder-sheets validate --team config/example-team.yaml
	$(VENV)/bin/ladder-sheets generate --team config/example-team.yaml --quarter $(QUARTER) --out $(OUT)
	@# Nobody has filled anything in yet, so collect reports every blank (exit 1): that is expected here.
	$(VENV)/bin/ladder-sheets collect $(OUT)/$(QUARTER) --team config/example-team.yaml --quarter $(QUARTER) \
	  --out $(OUT)/results.json --db $(OUT)/history.sqlite3 > $(OUT)/collect.log; test $$? -le 1
	$(VENV)/bin/ladder-sheets report $(OUT)/results.json --team config/example-team.yaml --out $(OUT)/report \
	  --db $(OUT)/history.sqlite3 > /dev/null
	$(VENV)/bin/ladder-sheets send $(OUT)/report --dry-run
	@echo
	@echo "Workbooks to hand out: $(OUT)/$(QUARTER)/ (one per SE, plus manifest.json)."
	@echo "What collect found:    $(OUT)/results.log and $(OUT)/results.json"
	@echo "Summaries and emails:  $(OUT)/report/ (summary.xlsx, results.csv, *.html, *.txt, *.eml)"

# LibreOffice is the formula oracle of the tests: install it when it is missing.
system-deps:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice Calc (headless) for the formula-oracle tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-calc-nogui >/dev/null; }
	@command -v soffice >/dev/null 2>&1 || { echo "soffice still missing after install" >&2; exit 1; }

test: venv system-deps
	$(PY) -m pytest

typecheck: venv
	$(VENV)/bin/mypy

bench: venv
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache
