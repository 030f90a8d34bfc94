"""scripts/fxa_run.py: argument checks, day batches, the window it hands to dbt, the
lookback read from the project, and a backfill that stops on a failing batch and resumes
from it (with a real dbt that fails on an unknown target). On a generated export in a
throw-away DuckDB file, running the script as the scheduler does (dbt inside it, through
dbtRunner): a first backfill of an empty database whose two batches, sharing one parsed
manifest, each build their own dates; a SIGTERM in the middle of a build; and the failing
rows of a data test printed after a failed daily run."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import yaml
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
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
    """The script, with dbt replaced by a recorder of the command and environment it gets,
    on a target where the legacy flow-log models are built."""
    fxa_run = load_script()
    fxa_run.FlowLogModels.built = True
    seen = {}

    def fake_run(command, env, capture=False):
        seen.update(command=command, env=env)
        return fxa_run.Invocation(command, 0)

    monkeypatch.setattr(fxa_run, "run_dbt", fake_run)
    return fxa_run, seen


def test_the_window_goes_to_dbt_as_environment_variables(recorded):
    fxa_run, seen = recorded
    code = fxa_run.dbt_build(dt.date(2024, 6, 7), dt.date(2024, 6, 9), dt.date(2024, 6, 9),
                             ["--target", "bigquery"])
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


def test_the_daily_lookback_is_the_projects_var(recorded):
    """The daily window reaches back var lookback_days as dbt reads it (dbt_project.yml,
    overridden by --vars), the setting the models use for a run given no window; the
    script keeps no copy of it."""
    fxa_run, seen = recorded
    project_lookback = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["lookback_days"]
    assert fxa_run.main(["daily", "--date", "2024-06-09"]) == 0
    assert seen["env"]["FXA_START_DATE"] == (dt.date(2024, 6, 9) - dt.timedelta(days=project_lookback)).isoformat()
    assert fxa_run.main(["daily", "--date", "2024-06-09", "--", "--vars", "{lookback_days: 5}"]) == 0
    assert seen["env"]["FXA_START_DATE"] == "2024-06-04"
    assert fxa_run.main(["daily", "--date", "2024-06-09", "--lookback-days", "0"]) == 0
    assert seen["env"]["FXA_START_DATE"] == "2024-06-09"
    assert not hasattr(fxa_run, "DEFAULT_LOOKBACK_DAYS")


def test_a_window_before_the_end_of_the_flow_logs_reads_them():
    fxa_run = load_script()
    assert fxa_run.build_exclusions(dt.date(2023, 9, 27), []) == ["tag:raw_sample"]
    assert fxa_run.build_exclusions(dt.date(2023, 9, 28), []) == ["tag:raw_sample", "tag:legacy_flow_logs"]
    later_end = ["--vars", "{legacy_flow_logs_end_date: '2024-06-30'}"]
    assert fxa_run.build_exclusions(dt.date(2024, 6, 1), later_end) == ["tag:raw_sample"]
    # Not built yet (an empty database): int_flow_events reads them, so they are built.
    assert fxa_run.build_exclusions(dt.date(2023, 9, 28), [], flow_logs_built=False) == ["tag:raw_sample"]


def test_helper_commands_get_the_connection_arguments_but_not_the_selection():
    fxa_run = load_script()
    dbt_args = ["--target", "bigquery", "--select", "a", "b", "--exclude=c", "--vars", "{x: 1}", "--fail-fast",
                "--target-path=t", "--log-format-file", "json", "--no-partial-parse"]
    assert fxa_run.helper_args(dbt_args) == ["--target", "bigquery", "--vars", "{x: 1}", "--target-path=t",
                                             "--log-format-file", "json", "--no-partial-parse"]


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
    assert "make -C " in result.stderr and " DBT_ARGS='--target no_such_target'" in result.stderr
    assert json.loads(state.read_text()) == {"next_start": "2024-06-01", "end": "2024-06-03"}

    resumed = run_script(["backfill", "--resume", *failing], state)
    assert "resuming at 2024-06-01 (range end 2024-06-03)" in resumed.stdout
    assert resumed.returncode == 1
    assert state.exists()


def test_a_failed_backfill_prints_a_make_command_that_resumes_it(tmp_path):
    """The command is copied from a log into a shell: every value quoted, the project's
    virtualenv run by make, and the dbt arguments arriving intact through make's `$`
    expansion and the recipe's unquoted $(DBT_ARGS)."""
    state = tmp_path / "state.json"
    dbt_args = ["--target", "no_such_target", "--vars", "{note: \"it's $HOME\"}"]
    result = run_script(["backfill", "--start", "2024-06-01", "--end", "2024-06-03", "--batch-days", "2",
                         "--", *dbt_args], state)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    words = shlex.split(lines[lines.index("Batches before it are built. Fix the cause, then resume with:") + 1])
    assert words == [f"FXA_BACKFILL_STATE={state}", "make", "-C", str(ROOT), "backfill", "RESUME=1",
                     "START=2024-06-01", "END=2024-06-03", "BATCH_DAYS=2",
                     "DBT_ARGS=" + shlex.join(dbt_args).replace("$", "$$")]

    # What make hands to the shell (dry run): the same backfill, resumed, with the same dbt arguments.
    env = dict(os.environ, **dict(word.split("=", 1) for word in words[:1]))
    dry_run = subprocess.run([words[1], "-n", *words[2:]], env=env, capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    recipe = next(line for line in dry_run.stdout.replace("\\\n", " ").splitlines() if "fxa_run.py backfill" in line)
    argv = shlex.split(recipe)
    assert argv[0] == ".venv/bin/python" and argv[1:3] == ["scripts/fxa_run.py", "backfill"]
    assert argv[argv.index("--") + 1:] == dbt_args
    assert {"--resume", "--start", "2024-06-01", "--end", "2024-06-03", "--batch-days", "2"} <= set(argv)

    resumed = subprocess.run(words[1:], env=env, capture_output=True, text=True, timeout=300)
    assert "resuming at 2024-06-01 (range end 2024-06-03)" in resumed.stdout, resumed.stdout + resumed.stderr
    assert "backfill FAILED on batch 2024-06-01..2024-06-02" in resumed.stderr


def test_resuming_with_another_range_than_the_saved_one_is_refused(tmp_path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"next_start": "2024-06-02", "end": "2024-06-03"}))
    result = run_script(["backfill", "--resume", "--start", "2024-06-01", "--end", "2024-06-05",
                         "--", "--target", "no_such_target"], state)
    assert result.returncode == 2
    assert "is of another backfill" in result.stderr


# ------------------------------------------------------------------ on a generated export
#
# 14 days from 2024-05-27 (the generator's default dates: Glean from 2024-05-30, the legacy
# logs until 2024-06-03, the project's default cutover 2024-06-01). Every test gets a new
# DuckDB file holding only the raw sources (views over the Parquet files), as a first run
# on a new machine has.

@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fxa_run_export")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet",
                    "--out", str(out), "--users", "40", "--days", "14"], check=True, capture_output=True)
    return out


class EmptyDatabase:
    """A DuckDB file with the raw sources of an export only, and the environment and dbt
    arguments that point fxa_run.py (and the dbt it runs) at it."""

    def __init__(self, work: Path, raw_dir: Path, **variables):
        self.path = work / "fxa.duckdb"
        self.state = work / "state.json"
        self.log = work / "logs" / "dbt.log"
        self.env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT / ".profiles"), FXA_DUCKDB_PATH=str(self.path),
                        FXA_DUCKDB_TEMP_DIR=str(work / "duckdb_tmp"), FXA_BACKFILL_STATE=str(self.state))
        for name in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE"):
            self.env.pop(name, None)
        self.dbt_args = ["--vars", json.dumps({"raw_data_dir": str(raw_dir), **variables}),
                         "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
        prepared = subprocess.run([str(Path(sys.executable).parent / "dbt"), "run-operation", "prepare_raw_sources",
                                   *self.dbt_args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                                  timeout=300)
        assert prepared.returncode == 0, prepared.stdout[-3000:]

    def command(self, args: list[str]) -> list[str]:
        return [sys.executable, str(SCRIPT), *args, "--", *self.dbt_args]

    def run(self, args: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(args), cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=600)


def invocations(log: Path) -> list[tuple[str, str]]:
    """(command line, log text) of each dbt command in a dbt.log (debug text format), oldest
    first. A command run by fxa_run.py is logged under its own command line."""
    found = []
    for text in log.read_text().split("Running with dbt=")[1:]:
        command = re.search(r"'invocation_command': '([^']*)'", text)
        found.append((command.group(1) if command else "", text))
    return found


PARSED = re.compile(r"Partial parsing enabled|Starting full parse")


def test_a_first_backfill_of_an_empty_database_builds_and_tests_its_dates(export, tmp_path):
    """The legacy flow-log models are left out of windows after their last partition, but
    int_flow_events reads them: an empty database must build them first. The project is
    parsed once and both batches run with that manifest: each must still build its own
    dates, the window reaching dbt through the environment when its nodes run."""
    database = EmptyDatabase(tmp_path, export)
    result = database.run(["backfill", "--start", "2024-06-05", "--end", "2024-06-06"])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "backfill done: 2 day(s) 2024-06-05..2024-06-06" in result.stdout
    assert "The legacy flow-log models are not built yet" in result.stdout
    builds = [line for line in result.stdout.splitlines() if line.startswith("+ ") and " dbt build " in line]
    assert len(builds) == 2
    assert "tag:legacy_flow_logs" not in builds[0] and "tag:legacy_flow_logs" in builds[1]
    # Only the last batch rebuilds the dates already built after it; each earlier one leaves
    # them to the next batch.
    assert "FXA_REBUILD_FOLLOWING_DAYS=0" in builds[0] and "FXA_REBUILD_FOLLOWING_DAYS" not in builds[1]
    # One line per node, with its status and time.
    assert re.search(r"^ +\d+/\d+ ok +\d+\.\d+s  model stg_accounts_backend__events$", result.stdout, re.M)
    with duckdb.connect(str(database.path), read_only=True) as con:
        days = con.execute("select min(submission_date), max(submission_date), count(distinct submission_date) "
                           "from fxa_staging.stg_accounts_backend__events").fetchone()
    assert days == (dt.date(2024, 6, 5), dt.date(2024, 6, 6), 2)

    # What dbt did: the first command is the fixture's prepare_raw_sources, the others this run's.
    logged = invocations(database.log)[1:]
    assert [command for command, text in logged if PARSED.search(text)] == [
        next(command for command, _ in logged if command.startswith("dbt parse "))], "parsed more than once"
    assert result.stdout.count("parsed the project in") == 1
    # Each batch's build read the raw events of its own date, and only that date.
    windows = [sorted(set(re.findall(r"submission_timestamp >= cast\('(\d{4}-\d\d-\d\d)", text)))
               for command, text in logged if command.startswith("dbt build ")]
    assert windows == [["2024-06-05"], ["2024-06-06"]]


def building(runner: subprocess.Popen, database: EmptyDatabase) -> bool:
    """Whether the script holds the database open and its current dbt command is a build
    that has started a node (a START line in its log)."""
    try:
        holds = any(str(database.path) == file.path for file in psutil.Process(runner.pid).open_files())
    except psutil.NoSuchProcess:
        return False
    if not holds or not database.log.exists():
        return False
    command, text = (invocations(database.log) or [("", "")])[-1]
    return command.startswith("dbt build ") and " START " in text


def test_sigterm_stops_dbt_before_fxa_run_exits(export, tmp_path):
    """A scheduler's SIGTERM in the middle of a build. dbt runs inside the script, so the
    signal must reach it as its own stop (the KeyboardInterrupt of a Ctrl-C: it cancels
    the queries of its open connections and writes its results) and the script must exit
    without finishing the batch or starting the next, with 128 + the signal number, the
    batch to resume from saved, the database free for the retry."""
    # The legacy flow logs said to end later: the build is the same with or without them built.
    database = EmptyDatabase(tmp_path, export, legacy_flow_logs_end_date="2024-06-30")
    # Output to files: a pipe would stay open, and be waited for, as long as the script runs.
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with stdout.open("w") as out, stderr.open("w") as err:
        runner = subprocess.Popen(database.command(["backfill", "--start", "2024-06-04", "--end", "2024-06-06"]),
                                  cwd=ROOT, env=database.env, stdout=out, stderr=err)
    try:
        deadline = time.monotonic() + 120
        while not building(runner, database) and time.monotonic() < deadline and runner.poll() is None:
            time.sleep(0.05)
        assert building(runner, database), "dbt build never started building"
        # dbt runs in the script (its only child is multiprocessing's resource tracker).
        children = [" ".join(child.cmdline()) for child in psutil.Process(runner.pid).children(recursive=True)]
        assert not [line for line in children if "dbt" in line], children
        signalled = time.monotonic()
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=120)
        stopped_in = time.monotonic() - signalled
        output = stdout.read_text()[-3000:] + stderr.read_text()[-3000:]
        assert runner.returncode == 128 + signal.SIGTERM, output
        assert "backfill stopped by SIGTERM during batch 2024-06-04..2024-06-04" in stderr.read_text(), output
        assert "backfill RESUME=1 START=2024-06-04 END=2024-06-06" in stderr.read_text(), output
        assert "backfill stopped by SIGTERM: dbt has returned" in stderr.read_text(), output
        assert json.loads(database.state.read_text()) == {"next_start": "2024-06-04", "end": "2024-06-06"}
        # dbt stopped the build it was running (its Ctrl-C summary), and nothing ran after it.
        command, text = invocations(database.log)[-1]
        assert command.startswith("dbt build "), f"a dbt command ran after the interrupted build: {command}"
        assert "Exited because of keyboard interrupt" in text, text[-3000:]
        assert "Completed successfully" not in text
        assert stopped_in < fxa_run_grace(), f"dbt took {stopped_in:.0f}s to stop"
        duckdb.connect(str(database.path)).close()  # read-write: no one holds the lock
    finally:
        if runner.poll() is None:
            runner.kill()


def fxa_run_grace() -> float:
    return load_script().STOP_GRACE_SECONDS


# A stand-in for a dbt that does not give control back: it swallows the KeyboardInterrupt.
STUBBORN_DBT = """
import signal, sys, time
sys.path.insert(0, {scripts!r})
import fxa_run
fxa_run.STOP_GRACE_SECONDS = {grace}
fxa_run.Stop.note = "resume note"
signal.signal(signal.SIGTERM, fxa_run.Stop.on_signal)
fxa_run.Stop.in_dbt = True
said = False
while True:
    try:
        if not said:
            said = True
            print("running", flush=True)
        time.sleep(0.1)
    except KeyboardInterrupt:
        print("interrupted, carrying on", flush=True)
"""


@pytest.mark.parametrize("second_signal", [False, True])
def test_a_dbt_that_does_not_stop_is_left_after_the_grace_period_or_a_second_signal(second_signal):
    grace = 60 if second_signal else 2
    code = STUBBORN_DBT.format(scripts=str(ROOT / "scripts"), grace=grace)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout.readline() == "running\n"
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        if second_signal:
            assert process.stdout.readline() == "interrupted, carrying on\n"
            process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 128 + signal.SIGTERM, out + err
        assert time.monotonic() - began < (10 if second_signal else grace + 10)
        reason = "second signal (SIGTERM)" if second_signal else f"dbt still running {grace}s after SIGTERM"
        assert f"{reason}: exiting without waiting for dbt." in err
        assert "resume note" in err
    finally:
        if process.poll() is None:
            process.kill()


def test_a_failed_daily_run_prints_the_failing_rows_of_its_data_tests(export, tmp_path):
    """One raw event of the date has no document_id: it is staged (nothing is lost), and the
    not_null test of the staged column fails. The report names the test and the window,
    and shows the event's id from the stored failures."""
    planted = tmp_path / "export"
    shutil.copytree(export, planted)
    day_file = planted / "accounts_backend" / "events_stream" / "2024-06-05.parquet"
    table = pq.read_table(day_file)
    on_the_day = pc.equal(pc.strftime(table["submission_timestamp"], "%Y-%m-%d"), "2024-06-05")
    bad_event = table.filter(on_the_day)["event_id"][0].as_py()
    is_bad = pc.equal(table["event_id"], bad_event)
    column = table.schema.get_field_index("document_id")
    table = table.set_column(column, "document_id",
                             pc.if_else(is_bad, pa.scalar(None, pa.string()), table["document_id"]))
    pq.write_table(table, day_file)

    database = EmptyDatabase(tmp_path / "work", planted)
    result = database.run(["daily", "--date", "2024-06-05"])
    assert result.returncode == 1, result.stdout[-6000:]
    report = result.stderr[result.stderr.index("data test(s) failed"):]
    assert "on the window 2024-06-03..2024-06-05" in report.splitlines()[0]
    test_line = next(line for line in report.splitlines()
                     if "not_null_stg_accounts_backend__events_document_id" in line)
    assert "1 failing row" in test_line
    assert f"event_id={bad_event}" in report
