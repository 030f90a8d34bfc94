# Mozilla accounts dbt project. Two commands do everything on a fresh machine:
#   make build   DuckDB build on the bundled sample data (or DBT_ARGS="--vars '{raw_data_dir: ...}'")
#   make test    lint, parse for both engines, DuckDB build + tests, emulator build + tests, pytest
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
EMULATOR_VENV := .venv-emulator
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
unexport FXA_START_DATE FXA_END_DATE FXA_SNAPSHOT_DATE

.PHONY: help setup build test lint parse test-emulator pytest docs clean daily backfill bench

help:
	@echo "make build   build every model on DuckDB from the bundled sample data"
	@echo "make test    run every check (lint, parse, DuckDB and emulator builds, pytest)"
	@echo "make daily [DATE=YYYY-MM-DD]             scheduled run of one date (default yesterday)"
	@echo "make backfill START=YYYY-MM-DD END=...   rebuild a date range day by day (RESUME=1 to resume)"
	@echo "make bench [BENCH_USERS=N BENCH_DAYS=N]  benchmark: full build, one incremental day, baseline"
	@echo "make docs    generate the dbt documentation site into target/"
	@echo "make clean   remove build outputs (keeps the virtual environments)"

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(EMULATOR_VENV)/.installed: requirements-emulator.txt
	$(PYTHON) -m venv $(EMULATOR_VENV)
	$(EMULATOR_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-emulator.txt
	touch $@

.profiles/profiles.yml: profiles.example.yml
	mkdir -p .profiles
	ln -sf ../profiles.example.yml $@

setup: $(VENV)/.installed .profiles/profiles.yml

# Sample seeds -> source-shaped raw tables (or views over Parquet) -> every model and test.
build: setup
	$(DBT) seed --select tag:raw_sample $(DBT_ARGS)
	$(DBT) run-operation prepare_raw_sources $(DBT_ARGS)
	$(DBT) build --exclude tag:raw_sample $(DBT_ARGS)
	$(BIN)/python scripts/build_summary.py

lint: setup
	$(BIN)/sqlfluff lint models tests/singular

parse: setup
	$(DBT) parse --target dev
	FXA_BQ_PROJECT=parse-only $(DBT) parse --target bigquery --target-path target/parse-bigquery

test-emulator: setup $(EMULATOR_VENV)/.installed
	$(BIN)/python scripts/emulator.py run -- $(MAKE) --no-print-directory emulator-build

# Runs while scripts/emulator.py holds the emulator up. One snapshot date for the whole
# target (the default, yesterday UTC), so a run that crosses midnight stays consistent.
EMULATOR_SNAPSHOT_DATE := $(shell $(PYTHON) -c "import datetime as d; print(d.datetime.now(d.timezone.utc).date() - d.timedelta(days=1))")
.PHONY: emulator-build
emulator-build:
	$(DBT) seed --target emulator --target-path target/emulator --select tag:raw_sample
	$(DBT) run-operation --target emulator --target-path target/emulator prepare_raw_sources
	FXA_SNAPSHOT_DATE=$(EMULATOR_SNAPSHOT_DATE) \
		$(DBT) build --target emulator --target-path target/emulator --exclude tag:raw_sample
	$(BIN)/python scripts/build_summary.py --target emulator --target-path target/emulator \
		--row-counts target/emulator/row_counts.json
	# A daily run over dates already built, through BigQuery's incremental paths (static
	# insert_overwrite, merge, the snapshot partition): it must change no row count
	# (tests/python/test_engine_parity.py).
	FXA_START_DATE=2024-06-08 FXA_END_DATE=2024-06-09 FXA_SNAPSHOT_DATE=$(EMULATOR_SNAPSHOT_DATE) \
		$(DBT) run --target emulator --target-path target/emulator --exclude tag:raw_sample --quiet
	$(BIN)/python scripts/build_summary.py --target emulator --target-path target/emulator \
		--row-counts target/emulator/row_counts_after_daily.json > /dev/null
	# Incremental SQL as a daily BigQuery run compiles it (the tables exist now), for the
	# partition-filter check in tests/python/test_bigquery_partition_filters.py.
	$(DBT) compile --target emulator --target-path target/emulator-incremental --quiet \
		--select config.materialized:incremental --vars '{start_date: "2024-06-08", end_date: "2024-06-09"}'

pytest: setup
	$(BIN)/python -m pytest tests/python -q

test: lint parse build test-emulator pytest

# Operations (see README, "Running in production"). DBT_ARGS go to every dbt command.
daily: setup
	$(BIN)/python scripts/fxa_run.py daily $(if $(DATE),--date $(DATE)) -- $(DBT_ARGS)

backfill: setup
	$(BIN)/python scripts/fxa_run.py backfill $(if $(RESUME),--resume,--start $(START) --end $(END)) \
		$(if $(BATCH_DAYS),--batch-days $(BATCH_DAYS)) -- $(DBT_ARGS)

BENCH_USERS ?= 20000
BENCH_DAYS ?= 28
bench: setup
	$(BIN)/python scripts/bench.py --users $(BENCH_USERS) --days $(BENCH_DAYS)

docs: setup
	$(DBT) docs generate $(DBT_ARGS)

clean:
	rm -rf target logs .profiles
