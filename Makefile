# Mozilla accounts dbt project. Two commands do everything on a fresh machine:
#   make build   DuckDB build on the bundled sample data (or DBT_ARGS="--vars '{raw_data_dir: ...}'")
#   make test    lint, parse for both engines, project rules (dbt-bouncer), DuckDB build + tests,
#                semantic layer (mf validate-configs), emulator build + tests, pytest
SHELL := /bin/bash
space := $(subst ,, )
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
EMULATOR_VENV := .venv-emulator
GOVERNANCE_VENV := .venv-governance
AIRFLOW_VENV := .venv-airflow
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
# Extra dbt arguments for every dbt command of a target, e.g. --vars '{raw_data_dir: /data}'.
DBT_ARGS ?=
FXA_EMULATOR_PORT ?= 9050

export DBT_PROFILES_DIR := $(CURDIR)/.profiles
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export FXA_EMULATOR_PORT
# A run window left in the shell would silently narrow every build and test here; the
# targets that want one (daily, backfill, the emulator's daily re-run) set it themselves.
unexport FXA_START_DATE FXA_END_DATE FXA_SNAPSHOT_DATE FXA_REBUILD_FOLLOWING_DAYS

.PHONY: help setup build test lint parse govern govern-sources semantic fresh-duckdb test-emulator pytest test-airflow docs clean daily backfill audit freshness bench bench-shape

help:
	@echo "make build   build every model on DuckDB from the bundled sample data"
	@echo "make test    run every check (lint, parse, project rules, DuckDB and emulator builds, pytest)"
	@echo "make test-airflow  the Airflow DAG (dags/fxa_daily.py) rendered and run for one date (CI, after make test)"
	@echo "make save-state [STATE=...]              keep this build's manifest as the state of main"
	@echo "make test-changed [STATE=...]            build and test only what changed since that state (PRs)"
	@echo "make govern  the project rules of dbt-bouncer.yml, checked on the parsed manifest"
	@echo "make semantic  mf validate-configs: the semantic layer's YAML, and every metric run on the build"
	@echo "make govern-sources                      the source-lineage rules (dbt-bouncer-sources.yml), last in make test"
	@echo "make lint                                sqlfluff over the models, singular tests and analyses"
	@echo "make parse                               dbt parse for DuckDB and BigQuery, failing on any deprecation"
	@echo "make test-emulator                       start the BigQuery emulator, run emulator-build on it, stop it"
	@echo "make emulator-build                      the emulator phases of make test, on an emulator already up"
	@echo "make pytest                              the Python tests alone (they read the builds of make test)"
	@echo "make fresh-duckdb                        delete the DuckDB build, so the next make build starts empty"
	@echo "make setup                               only .venv and the dbt profile link (.profiles/)"
	@echo "make daily [DATE=YYYY-MM-DD]             scheduled run of one date (default yesterday)"
	@echo "make backfill START=YYYY-MM-DD END=...   rebuild a date range day by day (RESUME=1 to resume)"
	@echo "make audit   every data test over the whole history (daily runs test their window)"
	@echo "make freshness                            dbt source freshness of the event sources"
	@echo "make debug-bigquery                      check the bigquery target's credentials, then dbt debug on it"
	@echo "make bench [BENCH_USERS=N]               the performance targets: every benchmark shape, in one run"
	@echo "make bench-shape [BENCH_USERS=N BENCH_DAYS=N BENCH_ACCOUNTS_PER_USER=K]  one shape: full build, daily run, baseline"
	@echo "make docs    generate the dbt documentation site into target/"
	@echo "make docs-serve [DOCS_PORT=8080]         generate, then serve it on http://127.0.0.1:DOCS_PORT"
	@echo "make docs-static                         the site as one file: target/static_index.html"
	@echo "make lock    regenerate requirements*.lock, the pins of every package of each virtualenv"
	@echo "make clean   remove build outputs (keeps the virtual environments)"
	@echo "make help                                this list (every target of the Makefile)"

# pip prints each package it collects and installs (progress bars on a terminal); the
# times are those of a fresh 2-core machine.
$(VENV)/.installed: requirements.txt requirements.lock
	@echo "installing requirements.txt into $(VENV): about 4 minutes on a fresh machine (dbt, BigQuery, DuckDB, pyarrow)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -r requirements.txt -c requirements.lock
	touch $@

$(EMULATOR_VENV)/.installed: requirements-emulator.txt requirements-emulator.lock
	@echo "installing requirements-emulator.txt into $(EMULATOR_VENV): under a minute"
	$(PYTHON) -m venv $(EMULATOR_VENV)
	$(EMULATOR_VENV)/bin/pip install --disable-pip-version-check -r requirements-emulator.txt -c requirements-emulator.lock
	touch $@

# Airflow and cosmos, every version fixed by the lock (the whole resolved set).
$(AIRFLOW_VENV)/.installed: requirements-airflow.txt requirements-airflow.lock
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-airflow.txt -c requirements-airflow.lock
	touch $@

$(GOVERNANCE_VENV)/.installed: requirements-governance.txt requirements-governance.lock
	@echo "installing requirements-governance.txt into $(GOVERNANCE_VENV): under a minute"
	$(PYTHON) -m venv $(GOVERNANCE_VENV)
	$(GOVERNANCE_VENV)/bin/pip install --disable-pip-version-check -r requirements-governance.txt -c requirements-governance.lock
	touch $@

# Every package of each virtualenv, transitive ones included, is pinned by its lock
# (requirements*.lock, pip constraints: each install above takes its versions from it), so a
# fresh machine installs the same set. `make lock` regenerates the three locks after a change
# of a requirements file: each is resolved afresh in a new virtualenv under target/lock and
# frozen (all but pip itself); review the diff. tests/python/test_locks.py checks that each
# virtualenv holds exactly its lock.
LOCK_DIR := target/lock
define freeze_lock
	rm -rf $(LOCK_DIR)/$(2) && mkdir -p $(LOCK_DIR)
	$(PYTHON) -m venv $(LOCK_DIR)/$(2)
	$(LOCK_DIR)/$(2)/bin/pip install --disable-pip-version-check -r $(1)
	{ echo "# Every package of the virtualenv that $(1) makes: \`make lock\` writes this file, do not edit."; \
	  $(LOCK_DIR)/$(2)/bin/pip freeze --all --exclude pip; } > $(LOCK_DIR)/$(2).txt
	mv $(LOCK_DIR)/$(2).txt $(2)
endef
.PHONY: lock
lock:
	@echo "resolving the three requirements files afresh: about 5 minutes"
	$(call freeze_lock,requirements.txt,requirements.lock)
	$(call freeze_lock,requirements-emulator.txt,requirements-emulator.lock)
	$(call freeze_lock,requirements-governance.txt,requirements-governance.lock)

.profiles/profiles.yml: profiles.example.yml
	mkdir -p .profiles
	ln -sf ../profiles.example.yml $@

setup: $(VENV)/.installed .profiles/profiles.yml

# Runs a dbt command and, when it fails on DuckDB's lock (another process has the database
# file open), says which process holds it and how to proceed (scripts/duckdb_lock.py).
EXPLAIN_LOCK := $(BIN)/python scripts/duckdb_lock.py run --

# Sample seeds -> source-shaped raw tables (or views over Parquet) -> every model and test.
# With raw_data_dir in DBT_ARGS the raw tables are views over the export: the sample seeds
# are not loaded (the lookup seeds are, by dbt build).
build: setup
	$(if $(findstring raw_data_dir,$(DBT_ARGS)),@echo "raw_data_dir given: the bundled sample seeds are not loaded",$(EXPLAIN_LOCK) $(DBT) seed --select tag:raw_sample $(DBT_ARGS))
	$(EXPLAIN_LOCK) $(DBT) run-operation prepare_raw_sources $(DBT_ARGS)
	$(EXPLAIN_LOCK) $(DBT) build --exclude tag:raw_sample $(DBT_ARGS)
	$(BIN)/python scripts/build_summary.py

# The dbt templater renders each model against a database: whether `is_incremental()` is
# true depends on what that database holds, so lint always renders against an empty one
# (the state of a clean checkout in CI), never the local build.
LINT_DB := target/lint/empty.duckdb
lint: setup
	rm -rf target/lint && mkdir -p target/lint
	FXA_DUCKDB_PATH=$(LINT_DB) $(BIN)/sqlfluff lint models tests/singular analyses

# A full parse for each engine, failing on any deprecation warning (some appear only when
# parsing for BigQuery, so a warning nobody sees locally would otherwise reach production).
NO_DEPRECATIONS := --no-partial-parse --warn-error-options '{"error": ["Deprecations"]}'
parse: setup
	$(DBT) parse --target dev $(NO_DEPRECATIONS)
	FXA_BQ_PROJECT=parse-only $(DBT) parse --target bigquery --target-path target/parse-bigquery $(NO_DEPRECATIONS)

# The project rules (descriptions, tests, contracts, layers, folder structure, macro docs),
# checked by dbt-bouncer on the DuckDB parse's manifest; tests/python/test_governance.py
# holds the ones bouncer cannot express. govern-sources: the source-lineage rules
# (dbt-bouncer-sources.yml), last in `make test` while they do not hold yet.
# Wide enough for its failure table to name each node when the output is not a terminal (CI).
BOUNCER := COLUMNS=200 $(GOVERNANCE_VENV)/bin/dbt-bouncer run --show-all-failures
govern: parse $(GOVERNANCE_VENV)/.installed
	$(BOUNCER) --config-file dbt-bouncer.yml

govern-sources: parse $(GOVERNANCE_VENV)/.installed
	$(BOUNCER) --config-file dbt-bouncer-sources.yml

# The semantic layer (models/semantic/, docs/data_model.md#semantic-layer): MetricFlow
# checks the semantic models, metrics and saved queries of a fresh parse, then queries each
# of them on the DuckDB build (its data-warehouse validations), so it runs after `build`.
semantic: setup
	@db=$${FXA_DUCKDB_PATH:-target/mozilla_accounts.duckdb}; test -f $$db || { echo "$$db missing: run make build first"; exit 1; }
	$(DBT) parse --quiet $(DBT_ARGS)
	$(BIN)/mf validate-configs

test-emulator: setup $(EMULATOR_VENV)/.installed
	$(BIN)/python scripts/emulator.py run -- $(MAKE) --no-print-directory emulator-build

# Runs while scripts/emulator.py holds the emulator up. The build and the daily run use one
# snapshot date, the sample's last day, so the daily run re-records the same snapshot.
EMULATOR_DATE := 2024-06-09
EMU := --target emulator --target-path target/emulator
# Each phase writes dbt's JSON log (every SQL statement sent to the emulator, with the node
# that sent it) to target/emulator/logs/<phase>/dbt.log for
# tests/python/test_bigquery_partition_filters.py; `load` (the sample loader, never run on
# production BigQuery) is not checked.
emu_log = --log-format-file json --log-path target/emulator/logs/$(1)
.PHONY: emulator-build
emulator-build:
	rm -rf target/emulator/logs
	$(DBT) seed $(EMU) --select tag:raw_sample $(call emu_log,load)
	$(DBT) run-operation $(EMU) prepare_raw_sources $(call emu_log,load)
	FXA_SNAPSHOT_DATE=$(EMULATOR_DATE) $(DBT) build $(EMU) --exclude tag:raw_sample $(call emu_log,build)
	$(BIN)/python scripts/build_summary.py $(EMU) --row-counts target/emulator/row_counts.json
	# The real-schema refresher, run against the emulator's source tables
	# (tests/python/test_real_schemas.py compares its output with the contract).
	$(BIN)/python scripts/real_schemas.py refresh --project fxa-local \
		--api-endpoint http://127.0.0.1:$(FXA_EMULATOR_PORT) --out target/emulator/refreshed_schemas > /dev/null
	# The scheduled daily run of the last date, as production runs it (landed-data check,
	# then dbt build of the window with its windowed tests), through BigQuery's incremental
	# SQL (static insert_overwrite, merge, the snapshot partition): it must change no row
	# count (tests/python/test_engine_parity.py).
	$(BIN)/python scripts/fxa_run.py daily --date $(EMULATOR_DATE) -- $(EMU) $(call emu_log,daily)
	# A backfill batch of two dates, and an incremental run given no window (it takes the
	# latest date built minus the lookback): both must change no row count either.
	FXA_BACKFILL_STATE=target/emulator/backfill_state.json $(BIN)/python scripts/fxa_run.py backfill \
		--start 2024-06-08 --end $(EMULATOR_DATE) --batch-days 2 -- $(EMU) $(call emu_log,backfill)
	FXA_SNAPSHOT_DATE=$(EMULATOR_DATE) $(DBT) run $(EMU) --exclude tag:raw_sample --quiet $(call emu_log,implicit_window)
	$(BIN)/python scripts/build_summary.py $(EMU) --row-counts target/emulator/row_counts_after_daily.json > /dev/null
	# The audit of the whole history as on Mozilla's BigQuery, whose Glean partitions expire
	# (var raw_partitions_expire: the emulator's tables never do).
	$(BIN)/python scripts/fxa_run.py audit -- $(EMU) --vars '{raw_partitions_expire: true}' $(call emu_log,audit)
	# dbt source freshness, partition-filtered; exit code 1 is "stale" (the sample is from
	# 2024), anything else fails. The results are checked in target/emulator/sources.json.
	$(DBT) source freshness $(EMU) $(call emu_log,freshness) > target/emulator/freshness.txt || [ $$? -eq 1 ]
	# The retention guard, checked in target/emulator/*.txt: a --full-refresh of incremental
	# tables that hold history is refused; so is a window older than the raw retention where
	# partitions expire; with var allow_history_rebuild the full refresh runs.
	! $(DBT) run $(EMU) --full-refresh --select stg_accounts_backend__events fct_accounts_daily \
		$(call emu_log,full_refresh) > target/emulator/full_refresh.txt
	! FXA_BACKFILL_STATE=target/emulator/backfill_state.json $(BIN)/python scripts/fxa_run.py backfill \
		--start 2024-06-08 --end 2024-06-08 -- $(EMU) --vars '{raw_partitions_expire: true}' \
		$(call emu_log,old_window) > target/emulator/old_window.txt 2>&1
	FXA_SNAPSHOT_DATE=$(EMULATOR_DATE) $(DBT) run $(EMU) --full-refresh --select fct_accounts_daily \
		--vars '{allow_history_rebuild: true}' $(call emu_log,allowed_rebuild) > target/emulator/allowed_rebuild.txt

pytest: setup
	$(BIN)/python -m pytest tests/python -q

# The Airflow DAG (dags/fxa_daily.py) through Airflow's test runner, on a copy of the sample
# build (made first when missing), rendered from a manifest parsed for the test. It takes
# minutes (one dbt process per task), so it is not part of `make test`: .ci/run runs it after.
AIRFLOW_MANIFEST := target/airflow/manifest.json
test-airflow: setup $(AIRFLOW_VENV)/.installed
	[ -f target/mozilla_accounts.duckdb ] || $(MAKE) --no-print-directory build
	$(DBT) parse --quiet --target dev --target-path target/airflow
	FXA_DBT_MANIFEST=$(CURDIR)/$(AIRFLOW_MANIFEST) $(AIRFLOW_VENV)/bin/python -m pytest tests/airflow -q -p no:cacheprovider

# The DuckDB build of `make test` starts from an empty database, as CI does: the
# engine-parity test compares its row counts with the emulator's fresh build.
fresh-duckdb:
	rm -f target/mozilla_accounts.duckdb target/mozilla_accounts.duckdb.wal

test: lint parse govern fresh-duckdb build semantic test-emulator pytest govern-sources

# Slim CI of a pull request (docs/testing.md#pull-requests): `make save-state` keeps the
# manifest of main's build in STATE; on the branch, `make test-changed` builds and tests only
# the nodes the change modified and their descendants (state:modified+), their unmodified
# parents deferred to the relations of that state. `make test` stays CI's entry point.
STATE ?= target/prod-state
.PHONY: save-state test-changed
save-state:
	@test -f target/manifest.json || { echo "no target/manifest.json: run make build on main first" >&2; exit 1; }
	rm -rf $(STATE) && mkdir -p $(STATE)
	cp target/manifest.json $(STATE)/manifest.json
	@echo "saved the manifest of this build as the state to compare against: $(STATE)/manifest.json"

test-changed: setup
	@test -f $(STATE)/manifest.json || { echo "no $(STATE)/manifest.json: on main, run make build then make save-state (or give STATE=<directory of a production manifest.json>)" >&2; exit 1; }
	$(EXPLAIN_LOCK) $(DBT) build --select state:modified+ --defer --state $(STATE) --exclude tag:raw_sample $(DBT_ARGS)

# Operations (see docs/operations.md). DBT_ARGS go to every dbt command.
daily: setup
	$(BIN)/python scripts/fxa_run.py daily $(if $(DATE),--date $(DATE)) -- $(DBT_ARGS)

audit: setup
	$(BIN)/python scripts/fxa_run.py audit -- $(DBT_ARGS)

# dbt debug of the bigquery target, after a check of its credentials that says how to get
# them (gcloud auth application-default login) when there are none.
.PHONY: debug-bigquery
debug-bigquery: setup
	$(BIN)/python scripts/check_bigquery_auth.py
	$(DBT) debug --target bigquery $(DBT_ARGS)

freshness: setup
	$(DBT) source freshness $(DBT_ARGS)

# RESUME=1 resumes from the saved state; with START and END (as a failed backfill prints
# them), that state must be of this range. Without either, make says so before anything runs.
ifneq ($(filter backfill,$(MAKECMDGOALS)),)
ifeq ($(RESUME)$(and $(START),$(END)),)
$(info make backfill rebuilds the submission dates START..END (both included), oldest first, e.g.)
$(info $(space) make backfill START=2024-05-01 END=2024-05-31 [BATCH_DAYS=7] [DBT_ARGS="--target bigquery"])
$(info or resumes a failed one after its last good batch: make backfill RESUME=1)
$(error make backfill needs START=YYYY-MM-DD and END=YYYY-MM-DD (missing: $(strip $(if $(START),,START) $(if $(END),,END))), or RESUME=1)
endif
endif
backfill: setup
	$(BIN)/python scripts/fxa_run.py backfill $(if $(RESUME),--resume) $(if $(START),--start $(START)) \
		$(if $(END),--end $(END)) $(if $(BATCH_DAYS),--batch-days $(BATCH_DAYS)) -- $(DBT_ARGS)

# make bench: every shape of the performance targets and their verdicts, in one run (most
# of an hour on 2 cores, 15 minutes with BENCH_ARGS=--reuse and the exports of a run before;
# BENCH_USERS=N scales every shape).
# make bench-shape: one shape (BENCH_USERS, BENCH_DAYS, BENCH_ACCOUNTS_PER_USER).
BENCH_USERS ?=
BENCH_DAYS ?= 28
BENCH_ACCOUNTS_PER_USER ?= 1
BENCH_ARGS ?=
bench: setup
	$(BIN)/python scripts/bench.py targets $(if $(BENCH_USERS),--users $(BENCH_USERS)) $(BENCH_ARGS)

bench-shape: setup
	$(BIN)/python scripts/bench.py shape --users $(or $(BENCH_USERS),20000) --days $(BENCH_DAYS) \
		--accounts-per-user $(BENCH_ACCOUNTS_PER_USER) $(BENCH_ARGS)

# The documentation site of the build in target/ (run `make build` first: the catalog, each
# relation's columns and row counts, is read from the database). docs-serve serves it on
# DOCS_HOST:DOCS_PORT; docs-static writes it as one file, target/static_index.html, to open
# from disk or attach anywhere (no server).
DOCS_HOST ?= 127.0.0.1
DOCS_PORT ?= 8080
.PHONY: docs-serve docs-static
docs: setup
	$(DBT) docs generate $(DBT_ARGS)

docs-serve: docs
	$(DBT) docs serve --host $(DOCS_HOST) --port $(DOCS_PORT) --no-browser $(DBT_ARGS)

docs-static: setup
	$(DBT) docs generate --static $(DBT_ARGS)
	@echo "one-file docs site: target/static_index.html"

clean:
	rm -rf target logs .profiles
