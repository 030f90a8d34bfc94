"""The Parquet-export mode (var raw_data_dir) on DuckDB, end to end.

A small export is generated in the {raw_data_dir}/{dataset}/{table}/*.parquet layout of
BigQuery's EXPORT DATA, the project is built on it in a throw-away DuckDB file, and
broken exports (a missing table, a missing column) must stop the build with an error that
names the path and the column.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

DBT = str(Path(sys.executable).parent / "dbt")


def run_dbt(args: list[str], tmp: Path, raw_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["DBT_PROFILES_DIR"] = str(ROOT / ".profiles")
    env["FXA_DUCKDB_PATH"] = str(tmp / "export.duckdb")
    env["FXA_DUCKDB_TEMP_DIR"] = str(tmp / "duckdb_tmp")
    command = [
        DBT,
        *args,
        "--target-path",
        str(tmp / "target"),
        "--log-path",
        str(tmp / "logs"),
        "--vars",
        json.dumps({"raw_data_dir": str(raw_dir)}),
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet",
         "--out", str(out), "--users", "80", "--days", "8"],
        check=True,
        capture_output=True,
    )
    return out


def test_build_on_a_parquet_export(export_dir, tmp_path):
    prepared = run_dbt(["run-operation", "prepare_raw_sources"], tmp_path, export_dir)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    built = run_dbt(["build", "--exclude", "tag:raw_sample"], tmp_path, export_dir)
    assert built.returncode == 0, built.stdout[-5000:]

    raw_events = pq.ParquetDataset(export_dir / "accounts_backend" / "events_stream").read().num_rows
    with duckdb.connect(str(tmp_path / "export.duckdb"), read_only=True) as con:
        kind = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'accounts_backend' and table_name = 'events_stream'"
        ).fetchone()[0]
        staged = con.execute("select count(*) from fxa_staging.stg_accounts_backend__events").fetchone()[0]
        flow_ids = con.execute(
            "select count(*) from fxa_staging.stg_accounts_backend__events where flow_id is not null"
        ).fetchone()[0]
    assert kind == "VIEW", "raw sources must be views over the Parquet files, not copies"
    assert 0 < staged <= raw_events
    assert flow_ids > 0, "nested metrics.string.session_flow_id was not read from the Parquet structs"


def test_missing_table_names_the_path(export_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(export_dir, broken)
    shutil.rmtree(broken / "accounts_db_external" / "fxa_totp_v1")
    result = run_dbt(["run-operation", "prepare_raw_sources"], tmp_path, broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "accounts_db_external.fxa_totp_v1" in output
    assert str(broken / "accounts_db_external" / "fxa_totp_v1" / "*.parquet") in output


def test_missing_required_column_names_table_and_column(export_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(export_dir, broken)
    table_dir = broken / "accounts_db_external" / "fxa_accounts_v1"
    for path in table_dir.glob("*.parquet"):
        table = pq.read_table(path)
        pq.write_table(table.drop_columns(["createdAt"]), path)
    result = run_dbt(["run-operation", "prepare_raw_sources"], tmp_path, broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "accounts_db_external.fxa_accounts_v1" in output
    assert "createdAt" in output


def test_missing_nested_field_is_detected(export_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(export_dir, broken)
    table_dir = broken / "accounts_frontend" / "events_stream"
    for path in table_dir.glob("*.parquet"):
        with duckdb.connect() as con:
            con.execute(
                f"copy (select * replace (struct_pack(string := struct_pack("
                f"account_user_id_sha256 := metrics.string.account_user_id_sha256)) as metrics) "
                f"from read_parquet('{path}')) to '{path}.tmp' (format parquet)"
            )
        os.replace(f"{path}.tmp", path)
    result = run_dbt(["run-operation", "prepare_raw_sources"], tmp_path, broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "accounts_frontend.events_stream" in output
    assert "metrics.string.session_flow_id" in output



def test_source_freshness_on_a_recent_export(tmp_path):
    """`dbt source freshness` on DuckDB, on an export whose last day is yesterday: each event
    source reports its newest row (the maximum of its partition column in the files) and the
    status its age gives (warn after 36 hours, error after 72); the flow logs, descheduled
    upstream, have no freshness check."""
    import datetime as dt

    days = 6
    yesterday = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    raw = tmp_path / "recent"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet", "--out", str(raw),
         "--users", "30", "--days", str(days), "--start-date", (yesterday - dt.timedelta(days=days - 1)).isoformat()],
        check=True, capture_output=True,
    )
    assert run_dbt(["run-operation", "prepare_raw_sources"], tmp_path, raw).returncode == 0
    run_dbt(["source", "freshness"], tmp_path, raw)  # exit 1 when a source is stale
    results = {r["unique_id"].split(".", 2)[2]: r
               for r in json.loads((tmp_path / "target" / "sources.json").read_text())["results"]}
    columns = {"accounts_backend.events_stream": "submission_timestamp",
               "accounts_frontend.events_stream": "submission_timestamp",
               "firefox_accounts.fxa_all_events": "timestamp"}
    assert set(results) == set(columns)
    with duckdb.connect() as con:
        for name, column in columns.items():
            files = raw / name.replace(".", "/") / "*.parquet"
            newest = con.execute(f"select max({column}) from read_parquet('{files}')").fetchone()[0]
            reported = dt.datetime.fromisoformat(results[name]["max_loaded_at"])
            assert abs((reported - newest).total_seconds()) < 1, name
            age_h = results[name]["max_loaded_at_time_ago_in_s"] / 3600
            expected = "pass" if age_h < 36 else "warn" if age_h < 72 else "error"
            assert results[name]["status"] == expected, (name, age_h)
