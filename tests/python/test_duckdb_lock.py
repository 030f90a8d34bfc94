"""scripts/duckdb_lock.py: DuckDB's lock error explained, with the process holding the file.

A child process holds a DuckDB file open; opening it again fails with DuckDB's own
message, which the explanation must turn into the holder's PID and command line and the
ways to proceed, both from a dbt command run through `duckdb_lock.py run` (as `make build`
runs its dbt commands) and in scripts/fxa_run.py's failures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import types

import pytest

from conftest import ROOT

import duckdb_lock

DBT = ROOT / ".venv" / "bin" / "dbt"
HOLDING = "import duckdb, sys, time; held = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(300)"


@pytest.fixture
def held(tmp_path):
    """A DuckDB file held open by a child process: (path, the child's PID)."""
    path = tmp_path / "held.duckdb"
    child = subprocess.Popen([sys.executable, "-c", HOLDING, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "holding"
        yield path, child.pid
    finally:
        child.kill()
        child.wait()


def lock_error(path) -> str:
    import duckdb

    with pytest.raises(duckdb.IOException) as raised:
        duckdb.connect(str(path))
    return str(raised.value)


def test_explains_duckdbs_message_naming_the_holder(held):
    path, pid = held
    message = lock_error(path)
    assert "Could not set lock on file" in message  # DuckDB's wording, which the regex relies on
    explanation = duckdb_lock.explain(message)
    assert explanation is not None
    assert f"held by PID {pid}" in explanation
    assert "time.sleep(300)" in explanation, "the holder's command line"
    assert str(path) in explanation and "read_only=True" in explanation and "FXA_DUCKDB_PATH" in explanation


def test_other_failures_are_not_explained():
    assert duckdb_lock.explain("Database Error in model x: Binder Error: column y not found") is None


def test_json_log_lines_are_read_too():
    line = ('{"info": {"msg": "IO Error: Could not set lock on file \\"planted/a.duckdb\\": Conflicting lock is '
            'held in /usr/bin/python3 (PID 999999999)."}}')
    assert "planted/a.duckdb is locked" in duckdb_lock.explain(line)


def test_a_dbt_command_run_through_it_explains_the_lock(held, tmp_path):
    path, pid = held
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT / ".profiles"), FXA_DUCKDB_PATH=str(path))
    ran = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "duckdb_lock.py"), "run", "--", str(DBT), "show", "--inline",
         "select 1 as one", "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert ran.returncode != 0
    assert f"held by PID {pid}" in ran.stderr, ran.stdout[-2000:] + ran.stderr[-2000:]


def test_fxa_run_explains_it_in_a_failed_dbt_command(held, capsys):
    import importlib.util

    path, pid = held
    spec = importlib.util.spec_from_file_location("fxa_run_lock", ROOT / "scripts" / "fxa_run.py")
    fxa_run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fxa_run)
    failed = types.SimpleNamespace(exception=RuntimeError(lock_error(path)), result=None)
    fxa_run.explain_lock_error(failed, "")
    assert f"held by PID {pid}" in capsys.readouterr().err
