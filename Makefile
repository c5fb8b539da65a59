# Two commands do all the set-up on a fresh Debian machine with Python 3 (>= 3.11.5, with venv),
# make and git (README: 快速开始):
#   make site        build site/ from site_data/ (creates .venv first)
#   make test        the whole test suite: the same set-up, test packages, and the programs the
#                    tests drive (Chromium, nginx, CJK fonts: apt-get as root, else one line to run)
#   make test-quick  the tests that need no browser, nginx or full site build (about 3 minutes idle)
# tools/provision.sh checks each prerequisite first and says in one line what to install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
PROVISION := sh tools/provision.sh
GOAL   := $(firstword $(MAKECMDGOALS) site)
# Two test processes, one per core of the 2-core machines we plan for. A test file stays in one
# process (loadfile), so a module's shared site, server or browser is made once; long browser
# passes live in files of their own so the two processes share them out. XDIST= runs in one.
XDIST  ?= -n 2 --dist loadfile
# Build engine for `make site`: mkdocs (default) or zensical (README "两种构建引擎").
ENGINE ?= mkdocs

.PHONY: site test test-quick validate check serve clean bench python-check tools-check

# Phony, so every command checks the Python before it uses it.
python-check:
	@$(PROVISION) python "$(PYTHON)" "$(VENV)" "$(GOAL)"

# Before the virtualenv: a machine without Chromium or nginx stops at once, not after pip.
tools-check: python-check
	@$(PROVISION) tools "$(GOAL)"

$(BIN)/python: | python-check
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

# With the build cache (generator/sitebuild/build.BUILD_CACHE): the next `make site` reuses the
# pages whose sources are unchanged, and a first `make serve` starts from these pages.
site: python-check $(VENV)/.runtime $(if $(filter zensical,$(ENGINE)),$(VENV)/.zensical)
	$(BIN)/python -m generator build --engine $(ENGINE) --cache .cache/build

validate: python-check $(VENV)/.runtime
	$(BIN)/python -m generator validate

check: python-check $(VENV)/.runtime
	$(BIN)/python -m generator check

serve: python-check $(VENV)/.runtime
	$(BIN)/python -m generator serve

# The W3C HTML checker (tests/test_html_validity.py), pinned in tools/vnu/package-lock.json.
VNU := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU): tools/vnu/package-lock.json | tools-check
	npm ci --prefix tools/vnu --no-audit --no-fund --loglevel=error
	touch $@

test: tools-check $(VENV)/.test $(VENV)/.zensical $(VNU)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# No browser, nginx or full MkDocs build (pytest.ini: markers browser, nginx, build).
test-quick: python-check $(VENV)/.test
	$(BIN)/python -m pytest $(XDIST) -m "not browser and not nginx and not build" $(PYTEST_ARGS)

bench: tools-check $(VENV)/.test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site site.* .site-* content/index.md content/zwgk .cache/preview .cache/build
