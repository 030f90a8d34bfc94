"""scripts/fxa_run.py: argument checks, day batches, the window it hands to dbt, and a
backfill that stops on a failing batch and resumes from it (with a real dbt that fails
on an unknown target)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "fxa_run.py"


def load_script():
    spec = importlib.util.spec_from_file_location("fxa_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(args: list[str], state) -> subprocess.CompletedProcess:
    env = dict(os.environ, FXA_BACKFILL_STATE=str(state), DBT_PROFILES_DIR=str(ROOT / ".profiles"))
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_batches_cover_the_range_in_order_without_overlap():
    fxa_run = load_script()
    day = dt.date.fromisoformat
    assert fxa_run.batches(day("2024-06-01"), day("2024-06-10"), 4) == [
        (day("2024-06-01"), day("2024-06-04")),
        (day("2024-06-05"), day("2024-06-08")),
        (day("2024-06-09"), day("2024-06-10")),
    ]
    assert fxa_run.batches(day("2024-06-01"), day("2024-06-01"), 7) == [(day("2024-06-01"), day("2024-06-01"))]


@pytest.fixture
def recorded(monkeypatch):
    """The script, with dbt replaced by a recorder of the command and environment it gets."""
    fxa_run = load_script()
    seen = {}

    def fake_call(command, cwd, env):
        seen.update(command=command, env=env)
        return 0

    monkeypatch.setattr(fxa_run.subprocess, "call", fake_call)
    return fxa_run, seen


def test_the_window_goes_to_dbt_as_environment_variables(recorded):
    fxa_run, seen = recorded
    code = fxa_run.dbt_build(dt.date(2024, 6, 7), dt.date(2024, 6, 9), dt.date(2024, 6, 9),
                             ["--target", "bigquery"], quiet=False)
    assert code == 0
    assert seen["env"]["FXA_START_DATE"] == "2024-06-07"
    assert seen["env"]["FXA_END_DATE"] == "2024-06-09"
    assert seen["env"]["FXA_SNAPSHOT_DATE"] == "2024-06-09"
    assert seen["command"][1] == "build" and seen["command"][-2:] == ["--target", "bigquery"]
    assert "--vars" not in seen["command"]
    # Production runs leave unit tests to CI, and the legacy flow logs (no partition after
    # 2023-09-27) out of later windows.
    assert " --exclude-resource-type unit_test " in " ".join(seen["command"]) + " "
    assert seen["command"][2:5] == ["--exclude", "tag:raw_sample", "tag:legacy_flow_logs"]


def test_a_window_before_the_end_of_the_flow_logs_reads_them():
    fxa_run = load_script()
    assert fxa_run.build_exclusions(dt.date(2023, 9, 27), []) == ["tag:raw_sample"]
    assert fxa_run.build_exclusions(dt.date(2023, 9, 28), []) == ["tag:raw_sample", "tag:legacy_flow_logs"]
    later_end = ["--vars", "{legacy_flow_logs_end_date: '2024-06-30'}"]
    assert fxa_run.build_exclusions(dt.date(2024, 6, 1), later_end) == ["tag:raw_sample"]


def test_the_audit_tests_the_whole_history_without_unit_tests(recorded, monkeypatch):
    fxa_run, seen = recorded
    monkeypatch.setenv("FXA_START_DATE", "2024-06-01")
    assert fxa_run.main(["audit", "--", "--target", "bigquery"]) == 0
    assert seen["command"][1] == "test" and "unit_test" in seen["command"]
    assert "FXA_START_DATE" not in seen["env"]


def test_a_daily_run_of_a_date_whose_raw_data_has_not_landed_stops_and_says_so(tmp_path):
    """Against the DuckDB build of the sample (`make build`), which ends on 2024-06-09."""
    result = run_script(["daily", "--date", "2024-06-12"], tmp_path / "state.json")
    assert result.returncode == 3, result.stdout + result.stderr
    assert ("raw data for 2024-06-12 has not landed: accounts_backend.events_stream has no rows with "
            "submission_timestamp on 2024-06-12; accounts_frontend.events_stream has no rows") in result.stderr
    assert "NOT RUN (raw data not landed)" in result.stdout
    assert "dbt build" not in result.stdout.replace("run-operation", ""), "nothing may be built"


def test_before_the_cutover_the_legacy_log_must_have_landed(tmp_path):
    """Before the Glean cutover the project counts the legacy events, so those are waited
    for; the flow logs ended in 2023 and are never waited for in 2024."""
    result = run_script(["daily", "--date", "2024-05-20"], tmp_path / "state.json")
    assert result.returncode == 3
    message = next(line for line in result.stderr.splitlines() if "has not landed" in line)
    assert "firefox_accounts.fxa_all_events has no rows with timestamp on 2024-05-20" in message
    assert "events_stream" not in message and "fxa_log_" not in message


def test_a_backfill_stops_at_the_first_date_not_landed_and_can_resume(tmp_path):
    state = tmp_path / "state.json"
    result = run_script(["backfill", "--start", "2024-06-10", "--end", "2024-06-11"], state)
    assert result.returncode == 3
    assert "backfill FAILED on batch 2024-06-10..2024-06-10 (raw data not landed)" in result.stderr
    assert json.loads(state.read_text()) == {"next_start": "2024-06-10", "end": "2024-06-11"}


def test_window_vars_in_the_dbt_arguments_are_refused(tmp_path):
    result = run_script(["daily", "--date", "2024-06-09", "--", "--vars", "{start_date: 2024-06-01}"],
                        tmp_path / "state.json")
    assert result.returncode == 2
    assert "do not pass start_date in --vars" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["backfill", "--start", "2024-06-03", "--end", "2024-06-01"], "is before --start"),
    (["backfill", "--resume"], "nothing to resume"),
    (["backfill", "--start", "2024-06-01", "--end", "2024-06-02", "--batch-days", "0"], "at least 1"),
])
def test_bad_backfill_arguments_exit_2_with_a_reason(tmp_path, args, message):
    result = run_script(args, tmp_path / "state.json")
    assert result.returncode == 2
    assert message in result.stderr


def test_backfill_stops_at_the_failing_batch_and_resumes_from_it(tmp_path):
    state = tmp_path / "state.json"
    failing = ["--", "--target", "no_such_target"]
    result = run_script(["backfill", "--start", "2024-06-01", "--end", "2024-06-03", *failing], state)
    assert result.returncode == 1
    assert "backfill FAILED on batch 2024-06-01..2024-06-01" in result.stderr
    assert "fxa_run.py backfill --resume -- --target no_such_target" in result.stderr
    assert json.loads(state.read_text()) == {"next_start": "2024-06-01", "end": "2024-06-03"}

    resumed = run_script(["backfill", "--resume", *failing], state)
    assert "resuming at 2024-06-01 (range end 2024-06-03)" in resumed.stdout
    assert resumed.returncode == 1
    assert state.exists()
