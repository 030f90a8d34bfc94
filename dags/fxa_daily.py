"""The daily schedule of the Mozilla accounts dbt project as an Airflow DAG (astronomer-cosmos).

One DAG run per submission date, the date of the run's data interval (`{{ ds }}`): with
the default schedule, the run for date D starts at 04:00 UTC on D + 1, once bigquery-etl
has written D. Each run does what `scripts/fxa_run.py daily --date D` does:

1. `check_landed_data`: `dbt run-operation check_landed_data` for D alone (the lookback
   days were built by the runs before). It fails while an event source has no rows on D
   and is retried every FXA_AIRFLOW_CHECK_RETRY_MINUTES until it has, so nothing is built
   from a partial day.
2. `dbt_build`: the project rendered by cosmos from its parsed manifest, one task per
   model and seed (`dbt build` of that node and its data tests) plus one task per data
   test that reads several models, after all of them. Every task gets the window in the
   environment as the runner hands it to dbt: FXA_START_DATE = D - lookback_days (the
   project's var), FXA_END_DATE = FXA_SNAPSHOT_DATE = D. Unit tests are left to CI, the
   raw sample loaders are left out, and so are the legacy flow-log models (no partition
   after var legacy_flow_logs_end_date; the first window must start after it).

Runs are sequential (max_active_runs=1) and each task waits for the same task of the day
before (depends_on_past): the last-seen state of a day needs the day before. catchup=True
makes a backfill of every date from FXA_AIRFLOW_START_DATE on; `airflow backfill create`
rebuilds a range the same way. A failed run blocks the next ones until it is cleared and
succeeds, as a failed backfill batch stops `fxa_run.py backfill`.

Configured by environment variables of the Airflow workers and DAG processor (read when
the DAG file is parsed); docs/operations.md#scheduling-with-airflow has the deployment:

    FXA_AIRFLOW_START_DATE  first submission date (YYYY-MM-DD), required
    FXA_AIRFLOW_SCHEDULE    cron of the data intervals, default "0 4 * * *" (UTC)
    FXA_DBT_TARGET          target of profiles.example.yml, default bigquery
    FXA_DBT_PROJECT_DIR     the project checkout, default the parent of this file's folder
    FXA_DBT_EXECUTABLE      dbt of the project's virtual environment, default <project>/.venv/bin/dbt
    FXA_DBT_MANIFEST        parsed manifest cosmos renders, default <project>/target/manifest.json
    FXA_DBT_PROFILES_YML    profiles file, default <project>/.profiles/profiles.yml (`make setup`)
    FXA_AIRFLOW_RETRIES, FXA_AIRFLOW_RETRY_MINUTES              dbt tasks: 2, 10
    FXA_AIRFLOW_CHECK_RETRIES, FXA_AIRFLOW_CHECK_RETRY_MINUTES  landed-data check: 16, 30
and by the profile's own variables (FXA_BQ_PROJECT, FXA_BQ_METHOD, ..., FXA_DUCKDB_PATH).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml
from airflow.sdk import DAG
from airflow.timetables.interval import CronDataIntervalTimetable
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior
from cosmos.operators.local import DbtRunOperationLocalOperator

DAG_ID = "fxa_daily"
PROJECT_DIR = Path(os.environ.get("FXA_DBT_PROJECT_DIR", Path(__file__).resolve().parent.parent))
DBT_EXECUTABLE = Path(os.environ.get("FXA_DBT_EXECUTABLE", PROJECT_DIR / ".venv" / "bin" / "dbt"))
MANIFEST = Path(os.environ.get("FXA_DBT_MANIFEST", PROJECT_DIR / "target" / "manifest.json"))
TARGET = os.environ.get("FXA_DBT_TARGET", "bigquery")
SCHEDULE = os.environ.get("FXA_AIRFLOW_SCHEDULE", "0 4 * * *")


def _project_vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text()).get("vars") or {}


def _start_date() -> dt.datetime:
    text = os.environ.get("FXA_AIRFLOW_START_DATE")
    if not text:
        raise ValueError("set FXA_AIRFLOW_START_DATE (YYYY-MM-DD): the first submission date the DAG "
                         "builds; catch-up runs every date from it on")
    day = dt.date.fromisoformat(text)
    flow_logs_end = dt.date.fromisoformat(str(_project_vars()["legacy_flow_logs_end_date"]))
    if day - dt.timedelta(days=LOOKBACK_DAYS) <= flow_logs_end:
        raise ValueError(f"FXA_AIRFLOW_START_DATE {day}: its window (from {LOOKBACK_DAYS} days before) must "
                         f"start after legacy_flow_logs_end_date {flow_logs_end}, as the DAG does not build "
                         "the legacy flow logs (use scripts/fxa_run.py backfill for older dates)")
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


LOOKBACK_DAYS = int(_project_vars()["lookback_days"])

# The window of the run, as scripts/fxa_run.py daily hands it to dbt: read by the models
# when they run (run_time_env_var), so the one parsed manifest serves every date.
WINDOW_ENV = {
    "FXA_START_DATE": "{{ macros.ds_add(ds, -%d) }}" % LOOKBACK_DAYS,
    "FXA_END_DATE": "{{ ds }}",
    "FXA_SNAPSHOT_DATE": "{{ ds }}",
}

PROFILE = ProfileConfig(
    profile_name="mozilla_accounts",
    target_name=TARGET,
    # The link to profiles.example.yml that `make setup` creates: dbt is given its folder.
    profiles_yml_filepath=Path(os.environ.get("FXA_DBT_PROFILES_YML", PROJECT_DIR / ".profiles" / "profiles.yml")),
)

# dbt of the project's own virtual environment, run as a subprocess: Airflow's packages
# and the project's never share an environment.
EXECUTION = ExecutionConfig(
    execution_mode=ExecutionMode.LOCAL,
    invocation_mode=InvocationMode.SUBPROCESS,
    dbt_executable_path=DBT_EXECUTABLE,
)

with DAG(
    dag_id=DAG_ID,
    description="Mozilla accounts dbt project: one submission date a run (landed-data check, then dbt build)",
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=_start_date(),
    catchup=True,
    max_active_runs=1,
    default_args={
        "owner": "fxa-data",
        "depends_on_past": True,
        "retries": int(os.environ.get("FXA_AIRFLOW_RETRIES", "2")),
        "retry_delay": dt.timedelta(minutes=float(os.environ.get("FXA_AIRFLOW_RETRY_MINUTES", "10"))),
        "execution_timeout": dt.timedelta(hours=2),
    },
    tags=["fxa", "dbt"],
    doc_md=__doc__,
) as dag:
    check_landed_data = DbtRunOperationLocalOperator(
        task_id="check_landed_data",
        macro_name="check_landed_data",
        args={"start_date": "{{ ds }}", "end_date": "{{ ds }}"},
        project_dir=PROJECT_DIR,
        profile_config=PROFILE,
        dbt_executable_path=DBT_EXECUTABLE,
        invocation_mode=InvocationMode.SUBPROCESS,
        env=WINDOW_ENV,
        # Not landed yet is the usual failure: wait for the upstream DAGs, longer than a
        # dbt task is retried.
        retries=int(os.environ.get("FXA_AIRFLOW_CHECK_RETRIES", "16")),
        retry_delay=dt.timedelta(minutes=float(os.environ.get("FXA_AIRFLOW_CHECK_RETRY_MINUTES", "30"))),
    )

    dbt_build = DbtTaskGroup(
        group_id="dbt_build",
        project_config=ProjectConfig(
            dbt_project_path=PROJECT_DIR,
            manifest_path=MANIFEST,
            install_dbt_deps=False,
            env_vars=WINDOW_ENV,
        ),
        profile_config=PROFILE,
        execution_config=EXECUTION,
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.BUILD,
            exclude=["tag:raw_sample", "tag:legacy_flow_logs", "resource_type:unit_test"],
            # A test of several models (relationships, the raw-row accounting) runs once,
            # after all of them are built for the window.
            should_detach_multiple_parents_tests=True,
            emit_datasets=False,
        ),
    )

    check_landed_data >> dbt_build
