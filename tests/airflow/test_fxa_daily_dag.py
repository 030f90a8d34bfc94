"""The Airflow DAG of the daily schedule (dags/fxa_daily.py), rendered by cosmos and run by
Airflow's own test runner (`dag.test`) on a copy of the sample's DuckDB build:

- the DAG folder imports without errors; the landed-data check comes before every dbt
  task; the schedule is daily with catch-up, one run at a time, each task waiting for the
  day before, with retries; it refuses no start date, or one whose window would need the
  legacy flow logs;
- the run of the sample's last date, 2024-06-09, succeeds with the window the daily
  runner hands to dbt (FXA_START_DATE 2024-06-07, FXA_END_DATE = FXA_SNAPSHOT_DATE =
  2024-06-09), and re-running that built date changes no table's row count;
- the run of 2024-06-12, whose raw data has not landed, fails at the check and builds
  nothing.

Needs the sample build (`make build`) and the project's .venv; `make test-airflow` runs it
with the Airflow virtual environment's pytest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BUILD = ROOT / "target" / "mozilla_accounts.duckdb"
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
DBT = ROOT / ".venv" / "bin" / "dbt"
BUILT_DATE = dt.datetime(2024, 6, 9, 4, tzinfo=dt.timezone.utc)
NOT_LANDED_DATE = dt.datetime(2024, 6, 12, 4, tzinfo=dt.timezone.utc)
CHECK = "check_landed_data"

# Rows of every table the project builds (schemas fxa_*; the stored test failures are
# views replaced by each run), read with the project's DuckDB.
COUNT_ROWS = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute("select table_schema, table_name from information_schema.tables "
                 "where table_schema like 'fxa%' and table_type = 'BASE TABLE'").fetchall()
print(json.dumps({f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}))
"""


def row_counts(database: Path) -> dict[str, int]:
    counted = subprocess.run([str(PROJECT_PYTHON), "-c", COUNT_ROWS, str(database)], capture_output=True, text=True)
    assert counted.returncode == 0, counted.stderr
    return json.loads(counted.stdout)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """A copy of the sample build, with the account-state snapshot of 2024-06-09 recorded
    (`make build` records yesterday's), so that a daily run of that date is a re-run of a
    built date."""
    if not SAMPLE_BUILD.exists() or not DBT.exists():
        pytest.fail("target/mozilla_accounts.duckdb or .venv missing: run `make build` first")
    path = tmp_path_factory.mktemp("duckdb") / "fxa.duckdb"
    shutil.copyfile(SAMPLE_BUILD, path)
    env = {**os.environ, "FXA_DUCKDB_PATH": str(path), "FXA_DBT_TARGET": "dev",
           "FXA_SNAPSHOT_DATE": BUILT_DATE.date().isoformat(), "DBT_PROFILES_DIR": str(ROOT / ".profiles")}
    subprocess.run([str(DBT), "run", "--quiet", "--select", "fct_accounts_daily",
                    "--target-path", str(path.parent / "target")],
                   cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return path


def dag_bag():
    """The DAG folder as the DAG processor loads it."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow before 3.1
        from airflow.models.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


@pytest.fixture(scope="module")
def dag(database):
    """The DAG as the DAG processor loads it, pointed at the copy (dev target)."""
    os.environ.update({"FXA_AIRFLOW_START_DATE": "2024-06-01", "FXA_DBT_TARGET": "dev",
                       "FXA_DUCKDB_PATH": str(database)})
    bag = dag_bag()
    assert bag.import_errors == {}
    found = bag.get_dag("fxa_daily")
    assert found is not None
    return found


def run_states(dag, logical_date: dt.datetime) -> tuple[str, dict[str, str], dict[str, dict]]:
    """dag.test of one logical date, every retry off (the runner would wait out the delay):
    the run's state, each task's state, and the rendered env of each task."""
    from airflow.models.renderedtifields import RenderedTaskInstanceFields
    from airflow.utils.session import create_session

    for task in dag.tasks:
        task.retries = 0
    run = dag.test(logical_date=logical_date)
    with create_session() as session:
        instances = run.get_task_instances(session=session)
        states = {ti.task_id: str(ti.state) for ti in instances}
        rendered = {ti.task_id: RenderedTaskInstanceFields.get_templated_fields(ti, session=session) or {}
                    for ti in instances if ti.task_id == CHECK or ti.task_id.endswith("_build")}
    return str(run.state), states, rendered


def test_dag_imports_and_checks_landed_data_first(dag):
    dbt_tasks = [task for task in dag.tasks if task.task_id != CHECK]
    assert len(dbt_tasks) > 40
    check = dag.get_task(CHECK)
    assert check.upstream_task_ids == set()
    for task in dbt_tasks:
        assert CHECK in {upstream.task_id for upstream in task.get_flat_relatives(upstream=True)}, task.task_id
    built = {task.task_id.split(".", 1)[1] for task in dbt_tasks}
    assert {"stg_accounts_backend__events_model_build", "int_flows_model_build",
            "fct_relier_active_users_daily_model_build", "fct_accounts_daily_model_build"} <= built
    # The raw sample loaders and the descheduled legacy flow logs are not part of it.
    assert not any("raw_sample" in name or "auth_flow_events_model" in name for name in built)

    assert dag.catchup is True
    assert dag.max_active_runs == 1
    assert dag.timetable.summary == "0 4 * * *"
    assert all(task.depends_on_past for task in dag.tasks)
    assert check.retries > dbt_tasks[0].retries > 0
    assert check.retry_delay > dbt_tasks[0].retry_delay


@pytest.mark.parametrize("start_date, error", [
    (None, "set FXA_AIRFLOW_START_DATE"),
    # Its window, from 2023-09-26, would read the legacy flow logs the DAG does not build.
    ("2023-09-28", "must start after legacy_flow_logs_end_date 2023-09-27"),
])
def test_dag_refuses_a_start_date_it_cannot_build(dag, monkeypatch, start_date, error):
    if start_date is None:
        monkeypatch.delenv("FXA_AIRFLOW_START_DATE")
    else:
        monkeypatch.setenv("FXA_AIRFLOW_START_DATE", start_date)
    errors = list(dag_bag().import_errors.values())
    assert len(errors) == 1 and error in errors[0]


def test_daily_run_of_a_built_date_changes_nothing(dag, database):
    before = row_counts(database)
    state, states, rendered = run_states(dag, BUILT_DATE)
    assert state == "success", {task: s for task, s in states.items() if s != "success"}
    assert set(states.values()) == {"success"}
    window = {"FXA_START_DATE": "2024-06-07", "FXA_END_DATE": "2024-06-09", "FXA_SNAPSHOT_DATE": "2024-06-09"}
    assert rendered[CHECK]["env"] == window
    assert rendered[CHECK]["args"] == {"start_date": "2024-06-09", "end_date": "2024-06-09"}
    assert rendered["dbt_build.int_flows_model_build"]["env"] == window
    assert row_counts(database) == before


def test_date_not_landed_fails_the_check_and_builds_nothing(dag, database):
    before = row_counts(database)
    state, states, _ = run_states(dag, NOT_LANDED_DATE)
    assert state == "failed"
    assert states.pop(CHECK) == "failed"
    assert set(states.values()) == {"upstream_failed"}
    assert row_counts(database) == before
