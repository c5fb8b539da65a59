# Two commands do all the set-up on a fresh machine with Python 3, make and git:
#   make site   build site/ from site_data/ (creates .venv first)
#   make test   run the whole test suite (same set-up, plus test packages)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Build engine for `make site`: mkdocs (default) or zensical (README "两种构建引擎").
ENGINE ?= mkdocs

.PHONY: site test validate check serve clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt $(VENV)/.runtime
	$(PIP) -r requirements.txt -r requirements-test.txt
	touch $@

# Zensical, the second engine: installed only when asked for (and for the tests).
$(VENV)/.zensical: requirements-zensical.txt $(VENV)/.runtime
	$(PIP) -r requirements-zensical.txt
	touch $@

site: $(VENV)/.runtime $(if $(filter zensical,$(ENGINE)),$(VENV)/.zensical)
	$(BIN)/python -m generator build --engine $(ENGINE)

validate: $(VENV)/.runtime
	$(BIN)/python -m generator validate

check: $(VENV)/.runtime
	$(BIN)/python -m generator check

serve: $(VENV)/.runtime
	$(BIN)/python -m generator serve

test: $(VENV)/.test $(VENV)/.zensical
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site site.* .site-* content/index.md content/zwgk
