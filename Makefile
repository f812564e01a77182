# evpace developer tasks.  `make test` is what CI runs (via .ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON  ?= python3
VENV    := .venv
STAMP   := $(VENV)/.installed
EVPACE  := $(VENV)/bin/evpace --db out/evpace.db
PG      := scripts/pg_test_server.sh
PG_PORT ?= 54329
export PG_PORT

# Only lint directories that exist (git does not keep empty ones in a fresh clone).
LINT_PATHS := $(wildcard evpace tests scripts benchmarks)

.PHONY: help venv demo test lint pg-start pg-stop browser clean

help:
	@echo "make venv      create .venv and pip install -e '.[dev]'"
	@echo "make demo      build out/evpace.db and show milestones / targets (and out/report.html)"
	@echo "make test      pytest against SQLite and a throwaway PostgreSQL, then ruff"
	@echo "make lint      ruff check"
	@echo "make pg-start  start the throwaway PostgreSQL (port \$$PG_PORT, default 54329)"
	@echo "make pg-stop   stop it and delete its data"
	@echo "make clean     remove .venv, out/, build artefacts; stop PostgreSQL"

venv: $(STAMP)

# Re-installs only when pyproject.toml changes (or the venv is gone).
$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -e '.[dev]'
	@touch $@

demo: venv
	@mkdir -p out
	$(EVPACE) init
	$(EVPACE) milestones --threshold 1000000
	$(EVPACE) targets xiaomi --year 2025
	$(EVPACE) targets xiaomi --year 2026
	$(EVPACE) report -o out/report.html
	$(EVPACE) chart race -o out/race-chart.png

# Debian's chromium for the browser tests (Playwright drives it; `playwright install` cannot download here).
browser:
	@test -x /usr/bin/chromium || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo -n ); \
		$$SUDO apt-get update -qq </dev/null && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium </dev/null; }

pg-start:
	$(PG) start

pg-stop:
	$(PG) stop

# One shell: the server is stopped on any exit (pass, fail, Ctrl-C).  Exit status is
# pytest's if it failed, otherwise ruff's.  ruff runs even when pytest fails, for the log.
test: venv browser
	@trap '$(PG) stop' EXIT; \
	$(PG) start >/dev/null || { echo "make test: PostgreSQL test server did not start" >&2; exit 1; }; \
	rc=0; \
	EVPACE_TEST_PG_URL=$$($(PG) url) $(VENV)/bin/python -m pytest -q || rc=$$?; \
	lint=0; \
	$(VENV)/bin/ruff check $(LINT_PATHS) || lint=$$?; \
	if [ $$rc -eq 0 ]; then rc=$$lint; fi; \
	exit $$rc

lint: venv
	$(VENV)/bin/ruff check $(LINT_PATHS)

clean:
	-@$(PG) stop
	rm -rf $(VENV) out build dist .eggs *.egg-info .pytest_cache .ruff_cache
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
