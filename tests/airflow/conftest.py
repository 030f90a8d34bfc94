"""Airflow for the DAG tests, set up before anything imports it: a home of its own in a
temporary folder with a SQLite metadata database (`airflow db migrate`) and cosmos's cache,
the repo's dags/ as its DAG folder, no example DAGs and no usage reporting. Run by the Airflow virtual
environment's pytest (`make test-airflow`), never by the project's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOME = Path(tempfile.mkdtemp(prefix="fxa-airflow-home-"))

os.environ.update({
    "AIRFLOW_HOME": str(HOME),
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{HOME / 'airflow.db'}",
    "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    # cosmos keeps the partial parse of each task group there (default: one directory under the system temp dir, shared by every run).
    "AIRFLOW__COSMOS__CACHE_DIR": str(HOME / "cosmos"),
    "SCARF_NO_ANALYTICS": "true",
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
})
for name in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE", "FXA_REBUILD_FOLLOWING_DAYS"):
    os.environ.pop(name, None)


@pytest.fixture(scope="session", autouse=True)
def airflow_db():
    """The metadata database, migrated once for the session; the home is removed after it."""
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, text=True)
    yield HOME
    shutil.rmtree(HOME, ignore_errors=True)
