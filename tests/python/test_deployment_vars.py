"""Where the sources are read from is a deployment setting: the replicas' dataset and
project are vars (`accounts_db_dataset`: accounts_db_external in production,
accounts_db_nonprod_external for stage; `accounts_db_project`, default `source_project`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import ROOT

DBT = str(Path(sys.executable).parent / "dbt")
STAGE = {"accounts_db_dataset": "accounts_db_nonprod_external", "accounts_db_project": "moz-fx-data-shared-stage"}


def dbt(args: list[str], tmp_path: Path, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("FXA_")}
    environment.update(DBT_PROFILES_DIR=str(ROOT / ".profiles"), FXA_DUCKDB_PATH=str(tmp_path / "stage.duckdb"),
                       FXA_DUCKDB_TEMP_DIR=str(tmp_path / "tmp"), **env)
    command = [DBT, *args, "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    return result


def test_the_bigquery_target_reads_the_replicas_from_the_dataset_and_project_given(tmp_path):
    dbt(["parse", "--target", "bigquery", "--vars", json.dumps(STAGE)], tmp_path, FXA_BQ_PROJECT="parse-only")
    sources = json.loads((tmp_path / "target" / "manifest.json").read_text())["sources"].values()
    replicas = {(s["database"], s["schema"]) for s in sources if s["source_name"] == "accounts_db_external"}
    events = {(s["database"], s["schema"]) for s in sources if s["source_name"] == "accounts_backend"}
    assert replicas == {("moz-fx-data-shared-stage", "accounts_db_nonprod_external")}
    assert events == {("moz-fx-data-shared-prod", "accounts_backend")}


def test_duckdb_builds_the_replica_models_from_the_stage_dataset(tmp_path):
    variables = ["--vars", json.dumps({"accounts_db_dataset": "accounts_db_nonprod_external"})]
    dbt(["seed", "--select", "tag:raw_sample", "--quiet", *variables], tmp_path)
    dbt(["run-operation", "prepare_raw_sources", *variables], tmp_path)
    dbt(["run", "--select", "stg_accounts_db_external__accounts", "--quiet", *variables], tmp_path)
    with duckdb.connect(str(tmp_path / "stage.duckdb"), read_only=True) as con:
        raw = con.execute("select count(*) from accounts_db_nonprod_external.fxa_accounts_v1").fetchone()[0]
        staged = con.execute("select count(*) from fxa_staging.stg_accounts_db_external__accounts").fetchone()[0]
        schemas = {row[0] for row in con.execute("select schema_name from information_schema.schemata").fetchall()}
    assert raw > 0 and staged > 0
    assert "accounts_db_external" not in schemas
