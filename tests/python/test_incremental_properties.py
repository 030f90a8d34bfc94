"""Incremental runs are equivalent to a full refresh, idempotent, and pick up late events.

On a generated Parquet export (raw_data_dir mode) two DuckDB builds are made:

* A: one full refresh over all the data;
* B: a sequence of daily runs as scheduled (`scripts/fxa_run.py daily`: the window is the
  date and the two days before it), one per date, in
  which some events of one day are delivered late: they are held back until two days
  later, then added to the export as a new file, and the next daily run (whose window
  reaches back lookback_days) must count them on their own submission date.

Then every model built from events must be identical in A and B, row for row, and
re-running a date in B must change nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

DBT = str(Path(sys.executable).parent / "dbt")
START = dt.date(2024, 5, 27)
DAYS = 8
CUTOVER = "2024-05-31"
LATE_DAY = dt.date(2024, 6, 1)
# Models compared between the builds: everything downstream of the raw events.
COMPARED = [
    ("fxa_staging", "stg_accounts_backend__events"),
    ("fxa_staging", "stg_accounts_frontend__events"),
    ("fxa_staging", "stg_firefox_accounts__amplitude_events"),
    ("fxa_staging", "stg_firefox_accounts_derived__auth_flow_events"),
    ("fxa_staging", "stg_firefox_accounts_derived__content_flow_events"),
    ("fxa_intermediate", "int_account_events"),
    ("fxa_intermediate", "int_flow_events"),
    ("fxa_intermediate", "int_flows"),
    ("fxa_intermediate", "int_user_activity_daily"),
    ("fxa_intermediate", "int_user_first_seen"),
    ("fxa_intermediate", "int_user_last_seen"),
    ("fxa_marts", "dim_reliers"),
    ("fxa_marts", "fct_relier_signups_daily"),
    ("fxa_marts", "fct_relier_logins_daily"),
    ("fxa_marts", "fct_relier_oauth_usage_daily"),
    ("fxa_marts", "fct_relier_active_users_daily"),
    ("fxa_marts", "fct_active_users_daily"),
    ("fxa_marts", "fct_registration_funnel_daily"),
    ("fxa_marts", "fct_login_funnel_daily"),
    ("fxa_marts", "fct_flow_delivery_daily"),
    ("fxa_marts", "fct_signup_reconciliation_daily"),
]


def dbt(args: list[str], db: Path, raw_dir: Path, extra_vars: dict | None = None,
        extra_env: dict | None = None) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE")}
    env.update(extra_env or {})
    env["DBT_PROFILES_DIR"] = str(ROOT / ".profiles")
    env["FXA_DUCKDB_PATH"] = str(db)
    env["FXA_DUCKDB_TEMP_DIR"] = str(db.parent / "duckdb_tmp")
    variables = {"raw_data_dir": str(raw_dir), "glean_cutover_date": CUTOVER, **(extra_vars or {})}
    command = [DBT, *args, "--vars", json.dumps(variables), "--target-path", str(db.parent / f"target_{db.stem}"),
               "--log-path", str(db.parent / "logs")]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-4000:]}"


def run_day(db: Path, raw_dir: Path, day: dt.date) -> None:
    """What scripts/fxa_run.py daily does: the day and the lookback_days (2) before it,
    passed the same way (environment variables, so the --vars stay the same)."""
    first = max(START, day - dt.timedelta(days=2))
    dbt(["run", "--exclude", "tag:raw_sample", "--quiet"], db, raw_dir,
        extra_env={"FXA_START_DATE": first.isoformat(), "FXA_END_DATE": day.isoformat()})


def differences(db_a: Path, db_b: Path) -> dict[str, tuple[int, int]]:
    """Rows of A missing from B and rows of B missing from A, per compared model."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{db_a}' as a (read_only)")
        con.execute(f"attach '{db_b}' as b (read_only)")
        for schema, table in COMPARED:
            a_name, b_name = f"a.{schema}.{table}", f"b.{schema}.{table}"
            only_a = con.execute(f"select count(*) from (select * from {a_name} except all select * from {b_name})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (select * from {b_name} except all select * from {a_name})").fetchone()[0]
            if only_a or only_b:
                found[table] = (only_a, only_b)
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "export"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet", "--out", str(raw),
         "--users", "120", "--days", str(DAYS), "--start-date", START.isoformat()],
        check=True, capture_output=True,
    )
    # Hold back the backend login completions of LATE_DAY: they arrive two days late.
    day_file = raw / "accounts_backend" / "events_stream" / f"{LATE_DAY.isoformat()}.parquet"
    table = pq.read_table(day_file)
    is_late = pc.equal(table["event"], "login.complete")
    late_rows = table.filter(is_late)
    assert late_rows.num_rows > 0
    pq.write_table(table.filter(pc.invert(is_late)), day_file)
    held_back = work / "late.parquet"
    pq.write_table(late_rows, held_back)

    full = work / "full.duckdb"
    daily = work / "daily.duckdb"

    # B: daily runs; the late rows appear in the export after LATE_DAY + 1 was built.
    dbt(["seed", "--exclude", "tag:raw_sample", "--quiet"], daily, raw)
    dbt(["run-operation", "prepare_raw_sources"], daily, raw)
    logins_before_late = None
    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        if day == LATE_DAY + dt.timedelta(days=2):
            with duckdb.connect(str(daily), read_only=True) as con:
                logins_before_late = con.execute(
                    "select coalesce(sum(logins), 0) from fxa_marts.fct_relier_logins_daily where submission_date = ?",
                    [LATE_DAY],
                ).fetchone()[0]
            os.replace(held_back, day_file.with_name(f"late-{LATE_DAY.isoformat()}.parquet"))
        run_day(daily, raw, day)
    # The SQL the last daily run executed (its window came from the environment).
    last_run_sql = (work / "target_daily" / "compiled" / "mozilla_accounts" / "models" / "staging" / "glean"
                    / "stg_accounts_backend__events.sql").read_text()

    # A: one full refresh on the complete export.
    dbt(["seed", "--exclude", "tag:raw_sample", "--quiet"], full, raw)
    dbt(["run-operation", "prepare_raw_sources"], full, raw)
    dbt(["run", "--exclude", "tag:raw_sample", "--full-refresh", "--quiet"], full, raw)
    return {"full": full, "daily": daily, "raw": raw, "late_rows": late_rows.num_rows,
            "logins_before_late": logins_before_late, "last_run_sql": last_run_sql}


def test_daily_runs_equal_a_full_refresh(builds):
    assert differences(builds["full"], builds["daily"]) == {}


def test_a_daily_run_reads_only_its_window(builds):
    """The last daily run (FXA_START_DATE/FXA_END_DATE: the last day and the two before)
    read the raw events of exactly those days, not the default window."""
    last_day = START + dt.timedelta(days=DAYS - 1)
    first_day = last_day - dt.timedelta(days=2)
    day_after = last_day + dt.timedelta(days=1)
    sql = builds["last_run_sql"]
    assert f"submission_timestamp >= cast('{first_day} 00:00:00+00' as timestamp)" in sql
    assert f"submission_timestamp < cast('{day_after} 00:00:00+00' as timestamp)" in sql


def test_late_events_are_counted_on_their_submission_date(builds):
    with duckdb.connect(str(builds["full"]), read_only=True) as con:
        full_logins = con.execute(
            "select sum(logins) from fxa_marts.fct_relier_logins_daily where submission_date = ?", [LATE_DAY]
        ).fetchone()[0]
    with duckdb.connect(str(builds["daily"]), read_only=True) as con:
        daily_logins = con.execute(
            "select sum(logins) from fxa_marts.fct_relier_logins_daily where submission_date = ?", [LATE_DAY]
        ).fetchone()[0]
    assert builds["logins_before_late"] < full_logins, "the held-back events should have been missing at first"
    assert daily_logins == full_logins


def test_rerunning_a_date_changes_nothing(builds):
    run_day(builds["daily"], builds["raw"], LATE_DAY)
    run_day(builds["daily"], builds["raw"], START + dt.timedelta(days=DAYS - 1))
    assert differences(builds["full"], builds["daily"]) == {}
