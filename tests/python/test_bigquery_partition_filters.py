"""BigQuery's production rules, checked on every statement the emulator received.

The emulator cannot enforce them itself: crucible-emulator refuses
`OPTIONS(require_partition_filter = TRUE)` and time partitioning on a TIMESTAMP column,
and reports totalBytesProcessed as 0. So `make test` records dbt's JSON log of each
emulator phase (target/emulator/logs/<phase>/dbt.log: the build, the scheduled daily run,
`dbt source freshness`, the refused full refresh) and these tests read every SQL statement
in them with sqlglot (scripts/bigquery_sql.py):

* a read of a table that requires a partition filter carries a constant bound on its
  partition column, or BigQuery rejects the query (and `dbt build` skips everything
  downstream);
* the daily run reads its window's partitions only, runs no unit test, does not read the
  legacy flow logs past their last partition, and its data tests on incremental models
  read the window only; a backfill batch reads its batch;
* the retention guard refuses a full refresh that would lose history and a window older
  than the raw retention, and lets an explicit rebuild through.

The first tests hold the checker itself to hand-written statements.
"""

from __future__ import annotations

import json

import pytest
import yaml

import bigquery_sql as sql_checks
from conftest import ROOT, read_json

EMULATOR = ROOT / "target" / "emulator"
CHECKED_PHASES = ("build", "daily", "backfill", "implicit_window", "audit", "freshness", "full_refresh",
                  "old_window", "allowed_rebuild")
DAILY_WINDOW_DAYS = 3  # the daily run of 2024-06-09: 2024-06-07..2024-06-09
DEDUP_LOOKBACK_DAYS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["dedup_lookback_days"]

RAW = {("accounts_backend", "events_stream"): "submission_timestamp"}


def problems_of(sql: str) -> list[str]:
    return sql_checks.partition_filter_problems([sql_checks.Statement("model.x.y", sql, "dbt build", None)], RAW)


@pytest.mark.parametrize("sql", [
    "select count(*) from `p`.`accounts_backend`.`events_stream`",
    # a bound through a subquery is not constant: BigQuery cannot prune with it
    "select * from `p.accounts_backend.events_stream` where submission_timestamp >= (select max(t) from x)",
    # a bound on another column
    "select * from `p.accounts_backend.events_stream` where event_timestamp >= timestamp '2024-06-01'",
    # the bound in an outer query only
    "select * from (select * from `p.accounts_backend.events_stream`) where submission_timestamp >= '2024-06-01'",
    # an OR is not a filter BigQuery can use
    "select * from `p.accounts_backend.events_stream` as e where e.submission_timestamp >= '2024-06-01' or true",
    # the second read of a union has no bound
    "select 1 from `p.accounts_backend.events_stream` where submission_timestamp >= '2024-06-01' "
    "union all select 1 from `p.accounts_backend.events_stream`",
    # an aliased table is named by its alias only: the bound names another table
    "select * from `p.accounts_backend.events_stream` as e join `p.x.events_stream` as s on e.a = s.a "
    "where events_stream.submission_timestamp >= '2024-06-01'",
    # no constant: NULL prunes nothing, RAND() is not evaluated once
    "select * from `p.accounts_backend.events_stream` where submission_timestamp >= null",
    "select * from `p.accounts_backend.events_stream` where submission_timestamp >= timestamp_seconds(cast(rand() as int64))",
    # the shapes dbt sends: a MERGE, a CREATE TABLE AS, a CTE, without the bound
    "merge into `p.s.t` as d using (select * from `p.accounts_backend.events_stream`) as s on false "
    "when not matched then insert row",
    "create or replace table `p.s.t` as select * from `p.accounts_backend.events_stream`",
    "with source as (select * from `p.accounts_backend.events_stream`) select * from source "
    "where submission_timestamp >= '2024-06-01'",
])
def test_the_checker_refuses_reads_without_a_constant_partition_bound(sql):
    assert problems_of(sql), sql


@pytest.mark.parametrize("sql", [
    "select * from `p`.`accounts_backend`.`events_stream` where submission_timestamp >= cast('2024-06-07 00:00:00+00'"
    " as timestamp) and submission_timestamp < cast('2024-06-10 00:00:00+00' as timestamp)",
    "select count(*) from `p.accounts_backend.events_stream` as e join `p.other.t` as t on e.x = t.x "
    "where e.submission_timestamp between timestamp '2024-06-01' and timestamp '2024-06-02'",
    "select coalesce(max(submission_timestamp), timestamp_sub(current_timestamp(), interval 96 hour)) "
    "from `p.accounts_backend.events_stream` where submission_timestamp >= timestamp_sub(current_timestamp(), "
    "interval 96 hour)",
    "select * from `p.other.events_stream_like` where x = 1",
    "merge into `p.s.t` as d using (select * from `p.accounts_backend.events_stream` where submission_timestamp "
    ">= timestamp '2024-06-07' and submission_timestamp < timestamp '2024-06-10') as s on false "
    "when not matched then insert row",
    "create or replace table `p.s.t` as with source as (select * from `p.accounts_backend.events_stream` "
    "where submission_timestamp >= cast('2023-01-01 00:00:00+00' as timestamp)) select * from source",
])
def test_the_checker_accepts_constant_bounds(sql):
    assert problems_of(sql) == [], sql


@pytest.mark.parametrize("where, days", [
    ("submission_timestamp >= cast('2024-06-07 00:00:00+00' as timestamp) "
     "and submission_timestamp < cast('2024-06-10 00:00:00+00' as timestamp)", 3),
    ("submission_timestamp between timestamp '2024-06-07' and timestamp '2024-06-09'", 3),
    ("submission_timestamp >= timestamp '2024-06-01' and submission_timestamp >= timestamp '2024-06-09' "
     "and submission_timestamp < timestamp '2024-06-10'", 1),
    ("submission_timestamp >= timestamp '2023-01-01'", None),
])
def test_the_checker_measures_the_partitions_a_read_lets_through(where, days):
    tree = sql_checks.parse(f"select * from `p.accounts_backend.events_stream` where {where}")[0]
    (read,) = sql_checks.partitioned_reads(tree, RAW)
    assert read.ok and read.days() == days


def test_the_checker_reads_the_files_dbt_rotated_a_log_into(tmp_path):
    """dbt rotates dbt.log past --log-file-max-bytes (10 MB; a phase's log comes close):
    the rotated files (dbt.log.1 the newest) are read too, oldest first."""
    def sql_event(sql: str) -> str:
        return json.dumps({"info": {"name": "SQLQuery"}, "data": {"sql": sql, "conn_name": "master"}}) + "\n"

    for name, sql in [("dbt.log.2", "select 1"), ("dbt.log.1", "select 2"), ("dbt.log", "select 3")]:
        (tmp_path / name).write_text(sql_event(sql))
    assert [statement.sql for statement in sql_checks.statements([tmp_path])] == ["select 1", "select 2", "select 3"]


def emulator_statements(phase: str) -> list:
    log = EMULATOR / "logs" / phase
    if not (log / "dbt.log").exists():
        pytest.fail(f"{log}/dbt.log missing: run `make test` (its emulator step writes the logs)")
    return sql_checks.statements([log])


def test_every_statement_sent_to_bigquery_bounds_its_partitioned_reads():
    partitioned = sql_checks.partitioned_tables(EMULATOR / "manifest.json")
    assert set(partitioned) == {("accounts_backend", "events_stream"), ("accounts_frontend", "events_stream"),
                                ("firefox_accounts", "fxa_all_events")}
    problems, counted = [], {}
    for phase in CHECKED_PHASES:
        found = emulator_statements(phase)
        counted[phase] = len(found)
        problems += [f"[{phase}] {line}" for line in sql_checks.partition_filter_problems(found, partitioned)]
    # The refused old window stops before its first query.
    assert all(n for phase, n in counted.items() if phase != "old_window"), f"a phase sent no statement: {counted}"
    assert not problems, "\n".join(problems)


def raw_reads(phase: str) -> list[tuple[str, object]]:
    partitioned = sql_checks.partitioned_tables(EMULATOR / "manifest.json", required_only=False)
    reads = []
    for statement in emulator_statements(phase):
        for tree in sql_checks.parse(statement.sql):
            reads += [(statement.node, read) for read in sql_checks.partitioned_reads(tree, partitioned)]
    return reads


def test_the_daily_run_reads_its_window_and_nothing_else():
    reads = raw_reads("daily")
    tables = {".".join(read.table) for _, read in reads}
    assert tables == {"accounts_backend.events_stream", "accounts_frontend.events_stream",
                      "firefox_accounts.fxa_all_events"}, "the legacy flow logs end in 2023: not read in 2024"
    spans = {(node == "macro_check_landed_data", first_day(read), read.days()) for node, read in reads}
    # The models and tests read the window, the landed-data check the new date of each Glean table.
    assert spans == {(False, "2024-06-07", DAILY_WINDOW_DAYS), (True, "2024-06-09", 1)}, spans
    assert [node for node, _ in reads].count("macro_check_landed_data") == 2


def first_day(read) -> str | None:
    days = [sql_checks._date_of(value) for op, value in read.bounds if op in (">=", ">", "=")]
    return max(days).isoformat() if days and None not in days else None


def test_a_backfill_batch_reads_its_dates():
    spans = {(first_day(read), read.days()) for _, read in raw_reads("backfill")}
    assert spans == {("2024-06-08", 2)}, spans


def test_the_daily_run_runs_no_unit_test():
    nodes = {statement.node for statement in emulator_statements("daily")}
    assert not [node for node in nodes if node.startswith("unit_test.")]
    assert any(node.startswith("test.") for node in nodes), "the daily run runs the data tests"


def test_data_tests_of_a_daily_run_read_the_window_only():
    windowed = sql_checks.windowed_models(EMULATOR / "manifest.json")
    assert ("fxa_ci_staging", "stg_accounts_backend__events") in windowed
    unbounded, checked = [], 0
    for statement in emulator_statements("daily"):
        if not statement.node.startswith("test."):
            continue
        for tree in sql_checks.parse(statement.sql):
            for read in sql_checks.partitioned_reads(tree, windowed):
                checked += 1
                # The reconciliation of Glean staging also reads the event ids staged on the
                # dedup_lookback_days before the window (copies re-delivered days later).
                allowed = DEDUP_LOOKBACK_DAYS if ".raw_rows_accounted_for_" in statement.node else DAILY_WINDOW_DAYS
                if read.days() is None or read.days() > allowed:
                    unbounded.append(f"{statement.node} reads {'.'.join(read.table)} beyond the window")
    assert checked >= 50, f"expected the tests of every incremental model, saw {checked} reads"
    assert not unbounded, "\n".join(unbounded)


def test_the_full_build_tests_the_whole_history():
    """Without a window (make build, the audit), the same tests read everything."""
    windowed = sql_checks.windowed_models(EMULATOR / "manifest.json")
    windowed_reads = [statement.node for statement in emulator_statements("build")
                      if statement.node.startswith("test.")
                      for tree in sql_checks.parse(statement.sql)
                      for read in sql_checks.partitioned_reads(tree, windowed) if read.days() is not None]
    assert windowed_reads == []


def test_source_freshness_runs_partition_filtered_on_bigquery():
    results = read_json(EMULATOR / "sources.json")["results"]
    statuses = {result["unique_id"].split(".", 2)[2]: result["status"] for result in results}
    # The flow logs ended in 2023: no freshness check. The sample is from 2024, so stale.
    assert statuses == {"accounts_backend.events_stream": "error", "accounts_frontend.events_stream": "error",
                        "firefox_accounts.fxa_all_events": "error"}
    freshness_reads = raw_reads("freshness")
    assert len(freshness_reads) == 3 and all(read.ok for _, read in freshness_reads)
    # Nothing in the 96 hours looked back: the age reported is that span, not a failure.
    assert {round(result["max_loaded_at_time_ago_in_s"]) for result in results} == {96 * 3600}


def test_the_audit_reconciles_the_days_the_raw_tables_still_hold():
    """Where Glean partitions expire, the full-history reconciliation counts raw and staged
    rows from the retention horizon on (the staged tables keep older days)."""
    import datetime as dt

    horizon = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=774)).isoformat()
    glean = {first_day(read) for node, read in raw_reads("audit")
             if node.startswith("test.") and "raw_rows_accounted_for" in node and read.table[1] == "events_stream"}
    assert glean == {horizon}


def test_a_full_refresh_that_would_lose_history_is_refused_on_bigquery():
    output = (EMULATOR / "full_refresh.txt").read_text()
    assert output.count("Refusing --full-refresh of") == 2, output[-3000:]
    assert "the partitions of accounts_backend.events_stream before" in output and "775-day retention" in output
    assert "the accounts-database replicas keep no history" in output
    assert "allow_history_rebuild: true" in output
    rebuilt = [statement.node for statement in emulator_statements("full_refresh")
               if "create or replace table" in statement.sql.lower()]
    assert rebuilt == [], f"a refused model was rebuilt anyway: {rebuilt}"


def test_a_window_older_than_the_raw_retention_is_refused_where_partitions_expire():
    output = (EMULATOR / "old_window.txt").read_text()
    assert "Refusing the window 2024-06-08..2024-06-08 on the emulator target: raw Glean partitions before" in output
    assert "backfill FAILED on batch 2024-06-08..2024-06-08" in output
    nodes = {statement.node for statement in emulator_statements("old_window")}
    assert nodes == {"macro_check_landed_data"} or not nodes, f"something was built: {nodes}"


def test_an_explicit_rebuild_goes_through():
    assert "Completed successfully" in (EMULATOR / "allowed_rebuild.txt").read_text()
    rebuilt = [statement.node for statement in emulator_statements("allowed_rebuild")
               if "create or replace table" in statement.sql.lower()]
    assert rebuilt == ["model.mozilla_accounts.fct_accounts_daily"]

