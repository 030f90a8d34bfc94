"""The bad-input catalogue (docs/bad_input.md), case by case, on a fixture export.

The fixture is a small generated export (raw_data_dir layout) plus one Parquet file of bad
rows per affected table, made here from real rows of the export. The project is built on
it with every data test, including `raw_rows_accounted_for` (raw = kept + duplicates +
quarantined for every source), then each case's outcome is checked in the database.
The missing-table and missing-column cases are in test_raw_data_dir.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

DBT = str(Path(sys.executable).parent / "dbt")
UTC = dt.timezone.utc
MONITOR = "802d56ef2a9af9fa"


def first_rows(table_dir: Path, n: int = 1) -> tuple[list[dict], pa.Schema]:
    table = pq.ParquetDataset(table_dir).read()
    return table.slice(0, n).to_pylist(), table.schema


def write_rows(table_dir: Path, rows: list[dict], schema: pa.Schema, name: str = "bad.parquet") -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), table_dir / name)


def glean_row(template: dict, event_id: str, **changes) -> dict:
    row = copy.deepcopy(template)
    row["event_id"] = event_id
    row["document_id"] = event_id
    for key, value in changes.items():
        if key.startswith("string__"):
            row["metrics"]["string"][key[len("string__"):]] = value
        else:
            row[key] = value
    return row


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("bad_input")
    raw = work / "export"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet", "--out", str(raw),
         "--users", "60", "--days", "6"],
        check=True, capture_output=True,
    )

    backend = raw / "accounts_backend" / "events_stream"
    (template,), schema = first_rows(backend)
    template["event"], template["event_category"], template["event_name"] = "reg.complete", "reg", "complete"
    template["event_extra"] = None
    template["metrics"]["string"].update(
        {"relying_party_oauth_client_id": MONITOR, "relying_party_service": MONITOR,
         "account_user_id_sha256": "ab" * 32, "session_flow_id": "cd" * 32})
    late = template["submission_timestamp"]
    rows = [
        glean_row(template, "case-01-malformed-json", event_extra='{"reason": "registration"'),
        glean_row(template, "case-02-missing-metrics", metrics=None),
        glean_row(template, "case-03-empty-flow-id", string__session_flow_id=""),
        glean_row(template, "case-03-null-flow-id", string__session_flow_id=None),
        glean_row(template, "case-04-bad-flow-id", string__session_flow_id="not-a-flow-id"),
        glean_row(template, "case-05-bad-client-id", string__relying_party_oauth_client_id="zz-not-hex"),
        glean_row(template, "case-06-upper-case", string__relying_party_oauth_client_id=MONITOR.upper(),
                  string__account_user_id_sha256=("AB" * 32), string__session_flow_id=("CD" * 32)),
        glean_row(template, "case-07-null-submission", submission_timestamp=None),
        glean_row(template, "case-08-future-submission", submission_timestamp=dt.datetime(2099, 1, 1, tzinfo=UTC)),
        glean_row(template, "case-09-unknown-event", event="passkey.upgrade_prompt_view", event_category="passkey",
                  event_name="upgrade_prompt_view"),
        glean_row(template, "case-10-same-document", event_extra='{"reason": "first"}'),
        glean_row(template, "case-10-same-document", event_extra='{"reason": "second"}',
                  submission_timestamp=late + dt.timedelta(minutes=5)),
    ]
    write_rows(backend, rows, schema)

    # Case 13: a schema addition, an extra column in a new file of the frontend table.
    frontend = raw / "accounts_frontend" / "events_stream"
    (fe_template,), fe_schema = first_rows(frontend)
    fe_row = glean_row(fe_template, "case-13-extra-column")
    fe_row["brand_new_field"] = "added upstream"
    write_rows(frontend, [fe_row], fe_schema.append(pa.field("brand_new_field", pa.string())))

    # Case 7 on a legacy table too.
    legacy = raw / "firefox_accounts" / "fxa_all_events"
    (legacy_template,), legacy_schema = first_rows(legacy)
    legacy_row = dict(legacy_template, timestamp=None, event_type="fxa_login - complete", event_properties='{"x": 1}')
    write_rows(legacy, [legacy_row], legacy_schema)

    # Cases 11 and 12 in the accounts replica.
    accounts = raw / "accounts_db_external" / "fxa_accounts_v1"
    (account_template,), account_schema = first_rows(accounts)
    write_rows(accounts, [
        dict(account_template, uid="not-a-uid"),
        dict(account_template, uid="0" * 31 + "1", createdAt=dt.datetime(1990, 1, 1, tzinfo=UTC)),
        dict(account_template, uid="0" * 31 + "2", createdAt=dt.datetime(2099, 1, 1, tzinfo=UTC)),
    ], account_schema)

    env = dict(os.environ)
    env["DBT_PROFILES_DIR"] = str(ROOT / ".profiles")
    env["FXA_DUCKDB_PATH"] = str(work / "bad.duckdb")
    env["FXA_DUCKDB_TEMP_DIR"] = str(work / "duckdb_tmp")
    # Glean rows start on the fourth day of the export: count Glean from then on.
    variables = {"raw_data_dir": str(raw), "glean_cutover_date": template["submission_timestamp"].date().isoformat()}
    common = ["--vars", json.dumps(variables), "--target-path", str(work / "target"),
              "--log-path", str(work / "logs")]
    for args in (["run-operation", "prepare_raw_sources"], ["build", "--exclude", "tag:raw_sample"]):
        result = subprocess.run([DBT, *args, *common], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{args[0]} on the bad-input fixture failed:\n{result.stdout[-6000:]}"
    return work / "bad.duckdb"


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def staged(db: Path, event_id: str, columns: str) -> list[tuple]:
    return query(db, f"select {columns} from fxa_staging.stg_accounts_backend__events where event_id = ?", [event_id])


def test_case_01_malformed_json_is_kept_and_flagged(built):
    assert staged(built, "case-01-malformed-json", "is_event_extra_malformed, extra_reason") == [(True, None)]


def test_case_02_missing_metrics_is_kept_and_unattributed(built):
    assert staged(built, "case-02-missing-metrics", "flow_id, user_id_sha256") == [(None, None)]
    assert query(built, "select relier_id from fxa_intermediate.int_account_events where event_id = ?",
                 ["case-02-missing-metrics"]) == [("unattributed",)]


def test_case_03_empty_and_null_flow_ids_become_null(built):
    assert staged(built, "case-03-empty-flow-id", "flow_id, has_invalid_flow_id") == [(None, False)]
    assert staged(built, "case-03-null-flow-id", "flow_id, has_invalid_flow_id") == [(None, False)]


def test_case_04_malformed_flow_id_is_nulled_and_flagged(built):
    assert staged(built, "case-04-bad-flow-id", "flow_id, has_invalid_flow_id") == [(None, True)]


def test_case_05_malformed_client_id_falls_back_to_the_service(built):
    assert staged(built, "case-05-bad-client-id", "relying_party_oauth_client_id, has_invalid_client_id") == [(None, True)]
    assert query(built, "select relier_id from fxa_intermediate.int_account_events where event_id = ?",
                 ["case-05-bad-client-id"]) == [(MONITOR,)]


def test_case_06_upper_case_ids_are_lower_cased(built):
    assert staged(built, "case-06-upper-case", "relying_party_oauth_client_id, user_id_sha256, flow_id") == [
        (MONITOR, "ab" * 32, "cd" * 32)
    ]


def test_cases_07_08_rows_without_a_usable_submission_time_are_quarantined(built):
    rows = query(built, "select source_table, source_row_id, quarantine_reason from fxa_intermediate.int_quarantined_event_rows")
    assert ("accounts_backend.events_stream", "case-07-null-submission", "missing submission time") in rows
    assert ("accounts_backend.events_stream", "case-08-future-submission", "submission time in the future") in rows
    assert any(r[0] == "firefox_accounts.fxa_all_events" and r[2] == "missing submission time" for r in rows)
    assert staged(built, "case-07-null-submission", "event_id") == []
    assert staged(built, "case-08-future-submission", "event_id") == []


def test_case_09_unknown_events_are_kept_but_reach_no_mart(built):
    assert staged(built, "case-09-unknown-event", "event") == [("passkey.upgrade_prompt_view",)]
    assert query(built, "select count(*) from fxa_intermediate.int_account_events where event_id = ?",
                 ["case-09-unknown-event"]) == [(0,)]


def test_case_10_same_event_twice_keeps_the_first_submission(built):
    assert staged(built, "case-10-same-document", "extra_reason") == [("first",)]


def test_case_11_malformed_uid_is_quarantined_without_the_uid(built):
    rows = query(built, "select raw_uid_sha256, quarantine_reason from fxa_staging.stg_accounts_db_external__quarantined_accounts")
    assert len(rows) == 1 and rows[0][1] == "uid is not 32 hex"
    assert "not-a-uid" not in rows[0][0]


def test_case_12_implausible_creation_times_are_nulled_and_flagged(built):
    import hashlib

    for uid in ("0" * 31 + "1", "0" * 31 + "2"):
        user = hashlib.sha256(uid.encode()).hexdigest()
        assert query(built, "select created_at, has_implausible_created_at from "
                     "fxa_staging.stg_accounts_db_external__accounts where user_id_sha256 = ?", [user]) == [(None, True)]


def test_case_13_schema_addition_is_read_and_ignored(built):
    assert query(built, "select count(*) from fxa_staging.stg_accounts_frontend__events where event_id = ?",
                 ["case-13-extra-column"]) == [(1,)]


def test_every_raw_row_is_accounted_for(built):
    """The reconciliation data tests ran in the build; check one table by hand as well."""
    raw = query(built, "select count(*), count(distinct event_id) from accounts_backend.events_stream")[0]
    kept = query(built, "select count(*) from fxa_staging.stg_accounts_backend__events")[0][0]
    quarantined = query(built, "select count(*) from fxa_intermediate.int_quarantined_event_rows "
                        "where source_table = 'accounts_backend.events_stream'")[0][0]
    assert raw[0] == kept + (raw[0] - raw[1]) + quarantined
    assert quarantined == 2
