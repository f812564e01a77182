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
	@echo "make test      pytest on SQLite, then its database tests on a throwaway PostgreSQL, then ruff"
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

# One shell: the server is stopped on any exit (pass, fail, Ctrl-C).  Two pytest passes:
#   1. the whole suite with EVPACE_TEST_BACKEND=sqlite (database fixtures give SQLite files; the tests
#      that ask for PostgreSQL itself run too);
#   2. every test marked `database` (it uses a database fixture, see tests/conftest.py) again with
#      EVPACE_TEST_BACKEND=postgres: the same fixtures give new PostgreSQL databases.
# Exit status: the first failing pass's, otherwise ruff's.  Every pass and ruff run even after a failure.
test: venv browser
	@trap '$(PG) stop' EXIT; \
	$(PG) start >/dev/null || { echo "make test: PostgreSQL test server did not start" >&2; exit 1; }; \
	export EVPACE_TEST_PG_URL=$$($(PG) url); \
	echo "make test: pass 1/2: the whole suite on SQLite (EVPACE_TEST_BACKEND=sqlite)"; \
	sq=0; EVPACE_TEST_BACKEND=sqlite $(VENV)/bin/python -m pytest -q || sq=$$?; \
	echo "make test: pass 2/2: every database test on PostgreSQL (EVPACE_TEST_BACKEND=postgres, -m database)"; \
	pg=0; EVPACE_TEST_BACKEND=postgres $(VENV)/bin/python -m pytest -q -m "database and not sqlite_only" || pg=$$?; \
	lint=0; \
	$(VENV)/bin/ruff check $(LINT_PATHS) || lint=$$?; \
	echo "make test: SQLite pass exit $$sq, PostgreSQL pass exit $$pg, ruff exit $$lint"; \
	for rc in $$sq $$pg $$lint; do if [ $$rc -ne 0 ]; then exit $$rc; fi; done

lint: venv
	$(VENV)/bin/ruff check $(LINT_PATHS)

clean:
	-@$(PG) stop
	rm -rf $(VENV) out build dist .eggs *.egg-info .pytest_cache .ruff_cache
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
