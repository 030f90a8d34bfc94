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

from conftest import ROOT, table_differences

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
    ("fxa_intermediate", "int_account_first_seen"),
    ("fxa_marts", "dim_reliers"),
    ("fxa_marts", "fct_relier_signups_daily"),
    ("fxa_marts", "fct_relier_signup_attribution_daily"),
    ("fxa_marts", "fct_relier_logins_daily"),
    ("fxa_marts", "fct_relier_oauth_usage_daily"),
    ("fxa_marts", "fct_relier_signin_methods_daily"),
    ("fxa_marts", "fct_relier_auth_errors_daily"),
    ("fxa_marts", "fct_relier_active_users_daily"),
    ("fxa_marts", "fct_active_users_daily"),
    ("fxa_marts", "fct_relier_retention_daily"),
    ("fxa_marts", "fct_registration_funnel_daily"),
    ("fxa_marts", "fct_login_funnel_daily"),
    ("fxa_marts", "fct_password_reset_funnel_daily"),
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
    return table_differences(db_a, db_b, COMPARED)


def generate_export(raw: Path, users: int, days: int, start: dt.date) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet", "--out", str(raw),
         "--users", str(users), "--days", str(days), "--start-date", start.isoformat()],
        check=True, capture_output=True,
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "export"
    generate_export(raw, 120, DAYS, START)
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


# ---------------------------------------------------------------------------- flow lifetime
#
# int_flows' incremental run reads int_flow_events only var('flow_lifetime_days') (3) around
# its window. Two planted frontend flows on a 10-day export, then the history built up to
# day 8 and one daily run of day 9 (window days 7-9, so events from day 4 on are read):
#   LONG:  login.view on day 1, login.submit on day 9: spans 8 days, more than the bound;
#   SHORT: login.view on day 4, login.submit on day 8: inside it, on the bound's first day.
# By the model's documented rule, the daily run rebuilds SHORT exactly as a full refresh
# does, and LONG from its day-9 event only (its day-1 view no longer counts); with a
# lifetime long enough to cover it, the same daily run rebuilds LONG exactly too.

LIFETIME_START = dt.date(2024, 5, 27)
LONG_FLOW = "1f" * 32
SHORT_FLOW = "2e" * 32


def planted_event(template: dict, flow_id: str, name: str, day: int, hour: int) -> dict:
    at = dt.datetime.combine(LIFETIME_START + dt.timedelta(days=day), dt.time(hour), tzinfo=dt.timezone.utc)
    document = f"00000000-0000-4000-8000-{flow_id[:4]}{day:02d}{hour:02d}0000"
    row = json.loads(json.dumps(template, default=str))  # a deep copy of the nested row
    row.update(event_id=f"{document}-1", document_id=document, document_event_number=1,
               submission_timestamp=at, event_timestamp=at, event_category="login", event_name=name,
               event=f"login.{name}", event_extra=None)
    row["ping_info"]["parsed_start_time"] = at
    row["metrics"]["string"].update(session_flow_id=flow_id, account_user_id_sha256="", account_user_id="")
    return row


@pytest.fixture(scope="module")
def lifetime_builds(tmp_path_factory):
    import pyarrow as pa

    work = tmp_path_factory.mktemp("flow_lifetime")
    raw = work / "export"
    generate_export(raw, 40, 10, LIFETIME_START)
    frontend = raw / "accounts_frontend" / "events_stream"
    template_table = pq.read_table(sorted(frontend.glob("*.parquet"))[0])
    template = template_table.slice(0, 1).to_pylist()[0]
    rows = [planted_event(template, LONG_FLOW, "view", 1, 10), planted_event(template, LONG_FLOW, "submit", 9, 10),
            planted_event(template, SHORT_FLOW, "view", 4, 10), planted_event(template, SHORT_FLOW, "submit", 8, 10)]
    pq.write_table(pa.Table.from_pylist(rows, schema=template_table.schema), frontend / "planted.parquet")

    cutover = {"glean_cutover_date": (LIFETIME_START + dt.timedelta(days=1)).isoformat()}
    select = ["--select", "+int_flows", "--exclude", "tag:raw_sample", "--quiet"]
    full, daily = work / "full.duckdb", work / "daily.duckdb"
    for db in (full, daily):
        dbt(["seed", "--exclude", "tag:raw_sample", "--quiet"], db, raw, cutover)
        dbt(["run-operation", "prepare_raw_sources"], db, raw, cutover)
    dbt(["run", *select], full, raw, cutover)

    def window(first: int, last: int) -> dict:
        return {"FXA_START_DATE": (LIFETIME_START + dt.timedelta(days=first)).isoformat(),
                "FXA_END_DATE": (LIFETIME_START + dt.timedelta(days=last)).isoformat()}

    dbt(["run", *select], daily, raw, cutover, extra_env=window(0, 8))   # the history of earlier runs
    dbt(["run", *select], daily, raw, cutover, extra_env=window(7, 9))   # the daily run of day 9

    def flows(db: Path) -> dict:
        with duckdb.connect(str(db), read_only=True) as con:
            result = con.execute("select * from fxa_intermediate.int_flows where flow_id in (?, ?)",
                                 [LONG_FLOW, SHORT_FLOW])
            names = [c[0] for c in result.description]
            return {row[0]: dict(zip(names, row)) for row in result.fetchall()}

    outcome = {"full": flows(full), "daily": flows(daily)}
    dbt(["run", *select], daily, raw, {**cutover, "flow_lifetime_days": 8}, extra_env=window(7, 9))
    outcome["daily_long_lifetime"] = flows(daily)
    return outcome


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(LIFETIME_START + dt.timedelta(days=day), dt.time(hour))


def test_a_flow_within_the_lifetime_is_rebuilt_exactly(lifetime_builds):
    assert lifetime_builds["daily"][SHORT_FLOW] == lifetime_builds["full"][SHORT_FLOW]
    assert lifetime_builds["full"][SHORT_FLOW]["login_view_at"] == at(4, 10)


def test_a_flow_longer_than_the_lifetime_keeps_only_its_events_inside_the_bound(lifetime_builds):
    full, daily = lifetime_builds["full"][LONG_FLOW], lifetime_builds["daily"][LONG_FLOW]
    assert (full["started_at"], full["login_view_at"], full["login_submit_at"]) == (at(1, 10), at(1, 10), at(9, 10))
    assert (daily["started_at"], daily["login_view_at"], daily["login_submit_at"]) == (at(9, 10), None, at(9, 10))
    assert daily["flow_start_date"] == LIFETIME_START + dt.timedelta(days=9)


def test_a_lifetime_covering_the_flow_rebuilds_it_exactly(lifetime_builds):
    assert lifetime_builds["daily_long_lifetime"][LONG_FLOW] == lifetime_builds["full"][LONG_FLOW]
