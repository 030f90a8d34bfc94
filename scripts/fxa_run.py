"""Scheduled operations of the Mozilla accounts dbt project: the daily run, backfills and
the full-history audit.

    python scripts/fxa_run.py daily [--date YYYY-MM-DD] [-- DBT_ARGS...]
    python scripts/fxa_run.py backfill --start YYYY-MM-DD --end YYYY-MM-DD
                                       [--batch-days N] [--resume] [-- DBT_ARGS...]
    python scripts/fxa_run.py audit [-- DBT_ARGS...]

daily     builds one submission date (default: yesterday, UTC) with `dbt build`: the window
          is [date - lookback_days, date] so events that arrived late for the previous
          days are picked up, and the account-state snapshot of that date is recorded.
backfill  rebuilds a date range in batches of --batch-days (default 1), oldest first (the
          last-seen state of a day needs the day before), with a progress bar and a
          summary. It stops at the first failing batch and prints the command that resumes
          from it: `make -C <project> backfill RESUME=1 START=... END=... BATCH_DAYS=...
          DBT_ARGS=...`, every value shell-quoted, run by make with the project's
          virtualenv. --resume continues after the last batch that succeeded (state in
          target/backfill_state.json); given --start/--end too, the saved state must be of
          that range (without one, the backfill starts at --start).
audit     runs every data test over the whole history (`dbt test`, no window): what the
          windowed runs leave out, for a weekly schedule or after a backfill.

dbt runs inside this script through dbt's Python API (dbtRunner): the project is parsed
once per run of the script and that manifest is reused by every dbt command it runs (the
landed-data checks, every batch of a backfill, the build, the failure report, the audit),
so a backfill pays dbt's start-up and parse once, not once per command. Each build and
test prints one line per node as it finishes (status and seconds), then a count by status.

Every daily and backfill batch first checks that the raw partitions of its dates have
landed (`dbt run-operation check_landed_data`: one query per event source, bounded to those
days) and stops, naming the source and the date, when one has not. Then `dbt build` runs
with the window in FXA_START_DATE / FXA_END_DATE / FXA_SNAPSHOT_DATE (and
FXA_REBUILD_FOLLOWING_DAYS=0 for a backfill batch but the last): the project's macros read
them only when a node runs (run_time_env_var in macros/incremental/event_window.sql), so
the parsed manifest stays valid from one window to the next. Data tests of the incremental
models read the window's partitions only; unit tests are left to CI
(`--exclude-resource-type unit_test`); a window that starts after the legacy flow logs'
last partition (var legacy_flow_logs_end_date) does not read them (tag legacy_flow_logs),
unless their models are not built yet (a first run on an empty database): int_flow_events
reads them, so that run builds them, empty for its dates. The daily window reaches back
var lookback_days (dbt_project.yml, or --vars) unless --lookback-days is given.

Data tests store their failing rows (dbt_project.yml, data_tests +store_failures, schema
<target schema>_test_failures). After a failed build (or audit), each failed data test is
printed with the window and its first failing rows (their key columns), read back
through dbt (`dbt run-operation stored_failure_rows`), so on either engine.

SIGTERM or SIGINT stops the run: while dbt is running, the signal is turned into the
KeyboardInterrupt that is dbt's own stop (it cancels the queries of its open connections,
BigQuery jobs included, and writes run_results.json); the script then exits 128 + the
signal number, a backfill printing the command that resumes it. If dbt has not given
control back STOP_GRACE_SECONDS after the signal, or at a second signal, the script exits
at once with the same code (and the resume command). A SIGKILL cannot be handled: give the
script the grace period before killing it.

Extra arguments after `--` go to every dbt command, e.g. `-- --target bigquery`.
Exit code: 0 on success, 1 when a dbt command failed, 2 on bad arguments, 3 when the raw
data of a date has not landed yet (retry later), 128 + N when stopped by signal N.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import re
import shlex
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where a failed backfill records how to resume (FXA_BACKFILL_STATE overrides, for tests).
STATE = Path(os.environ.get("FXA_BACKFILL_STATE", ROOT / "target" / "backfill_state.json"))
NOT_LANDED = 3
WINDOW_VARS = ("start_date", "end_date", "snapshot_date")
WINDOW_ENV = ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE", "FXA_REBUILD_FOLLOWING_DAYS")
# After a stop signal, the seconds dbt has to cancel its queries and return before the
# script exits without it.
STOP_GRACE_SECONDS = 30
# Failing rows printed per failed data test, and their longest value.
FAILURE_ROWS = 5
FAILURE_VALUE_CHARS = 80
# dbt's console while it parses, builds or tests: warnings and errors only, the per-node
# progress is printed by this script (NodeProgress). The log file stays at debug (it would
# follow --log-level otherwise): it keeps every statement sent, which the emulator tests
# read. Extra dbt arguments come after these and override them.
BUILD_CONSOLE = ["--log-level", "warn", "--log-level-file", "debug"]


class Stopped(Exception):
    """A stop signal arrived; the dbt command it interrupted has returned."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Stop:
    """The stop signal received, if any, and whether dbt is running in this process now
    (the script runs its dbt commands one after another, in its main thread)."""

    signum: int | None = None
    in_dbt: bool = False
    # Printed when the script has to exit without waiting for dbt (a backfill's resume command).
    note: str | None = None

    @classmethod
    def on_signal(cls, signum: int, frame) -> None:
        """SIGTERM/SIGINT handler. A first signal while dbt runs raises KeyboardInterrupt in
        the main thread, where dbt waits for its worker threads: dbt cancels its open
        connections' queries and returns; between dbt commands it is only recorded, and
        the next dbt command is not started. A second signal exits at once."""
        if cls.signum is not None:
            cls.exit_now(f"second signal ({signal.Signals(signum).name})")
        cls.signum = signum
        threading.Thread(target=cls._grace, name="fxa-stop-grace", daemon=True).start()
        if cls.in_dbt:
            raise KeyboardInterrupt

    @classmethod
    def _grace(cls) -> None:
        time.sleep(STOP_GRACE_SECONDS)
        cls.exit_now(f"dbt still running {STOP_GRACE_SECONDS}s after {signal.Signals(cls.signum).name}")

    @classmethod
    def exit_now(cls, reason: str) -> None:
        print(f"\n{reason}: exiting without waiting for dbt.", file=sys.stderr)
        if cls.note:
            print(cls.note, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + (cls.signum or signal.SIGTERM))


def say(line: str) -> None:
    """Print a line to stdout above the backfill's progress bar, if one is shown."""
    if Output.bar is not None:
        Output.bar.write(line, file=sys.stdout)
    else:
        print(line, flush=True)


class Output:
    bar = None  # the backfill's tqdm bar while it is shown
    lock = threading.Lock()


class NodeProgress:
    """dbtRunner callback: one line per node as it finishes (dbt's NodeFinished event,
    fired from its worker threads), with its status and seconds, numbered against the
    node count dbt announces (ConcurrencyLine)."""

    STATUS = {"success": "ok", "skipped": "skip"}

    def __init__(self):
        self.total = 0
        self.done = 0
        self.statuses: dict[str, int] = {}

    def __call__(self, event) -> None:
        try:
            name = event.info.name
            if name == "ConcurrencyLine":
                self.total = event.data.node_count
            elif name == "NodeFinished":
                node = event.data.node_info
                if node.resource_type in ("sql_operation", "operation"):  # a dbt show's inline query
                    return
                status = self.STATUS.get(event.data.run_result.status, event.data.run_result.status)
                with Output.lock:
                    self.done += 1
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                    width = len(str(self.total or self.done))
                    say(f"  {self.done:>{width}}/{self.total or '?'} {status:<5} "
                        f"{event.data.run_result.execution_time:6.2f}s  {node.resource_type} {node.node_name}")
        except Exception:  # noqa: BLE001 - a progress line must never break the run
            pass

    def summary(self) -> str:
        counts = ", ".join(f"{count} {status}" for status, count in sorted(self.statuses.items()))
        return f"{self.done} node(s): {counts or 'none'}"


class Invocation:
    """What a dbt command run in this process gave: returncode as dbt's command line would
    exit (0 success, 1 failed nodes or a failed operation, 2 an error before or outside the
    nodes), its result (a Manifest, RunExecutionResult, ...), what it printed when
    captured, and the exception that stopped it."""

    def __init__(self, command: list[str], returncode: int, output: str = "", result: object = None,
                 exception: BaseException | None = None):
        self.command, self.returncode, self.output = command, returncode, output
        self.result, self.exception = result, exception


class Project:
    """The parsed project: parsed on the first dbt command of the script's run, with the
    connection arguments of its extra dbt arguments, and reused by every later command
    given the same ones."""

    manifest = None
    parsed_with: tuple[str, ...] | None = None
    failed: Invocation | None = None  # the last parse, when it failed

    @classmethod
    def manifest_for(cls, parse_args: list[str], env: dict):
        """The Manifest for these arguments (None when parsing failed: the Invocation of
        the failed parse is in cls.failed)."""
        if cls.manifest is not None and cls.parsed_with == tuple(parse_args):
            return cls.manifest
        from dbt.cli.main import dbtRunner

        command = ["dbt", "parse", *BUILD_CONSOLE, *parse_args]
        began = time.monotonic()
        parsed = invoke(dbtRunner(), command, env)
        if parsed.returncode != 0 or parsed.result is None:
            cls.failed = parsed
            return None
        cls.manifest, cls.parsed_with = parsed.result, tuple(parse_args)
        nodes = sum(1 for node in cls.manifest.nodes.values() if node.resource_type in ("model", "test", "seed"))
        say(f"parsed the project in {time.monotonic() - began:.1f}s ({nodes} models, seeds and tests); "
            "every dbt command of this run reuses it")
        return cls.manifest

    @staticmethod
    def as_parsed(manifest):
        """The manifest with its nodes as parsing left them, for the next dbt command. dbt
        keeps what a command compiled on the nodes themselves, and an ephemeral model (a
        base_ model) is compiled once and its SQL reused by every model that refs it while
        `extra_ctes_injected` says so: a later command would take an earlier batch's
        window for the base, and inject none of its CTEs into the models reading it."""
        from dbt.contracts.graph.nodes import CompiledNode

        for node in manifest.nodes.values():
            if isinstance(node, CompiledNode):
                node.compiled, node.compiled_code, node._pre_injected_sql = False, None, None
                node.extra_ctes_injected, node.extra_ctes = False, []
        return manifest


@contextlib.contextmanager
def environment(env: dict):
    """os.environ replaced by `env` (dbt copies it when a command starts), then restored."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def invoke(runner, command: list[str], env: dict, capture: bool = False) -> Invocation:
    """One dbtRunner invocation of `command` (["dbt", subcommand, ...]) with `env` as its
    environment; what dbt prints is captured when asked. A stop signal while it runs
    raises KeyboardInterrupt inside it (Stop.on_signal), which dbt handles as its Ctrl-C."""
    buffer = io.StringIO()
    # dbt logs sys.argv as the command it runs (invocation_command): make it this one.
    argv, sys.argv = sys.argv, list(command)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(environment(env))
            if capture:
                stack.enter_context(contextlib.redirect_stdout(buffer))
                stack.enter_context(contextlib.redirect_stderr(buffer))
            Stop.in_dbt = True
            try:
                if Stop.signum is not None:  # arrived since the caller last looked
                    raise KeyboardInterrupt
                result = runner.invoke(command[1:])
            finally:
                Stop.in_dbt = False
    except KeyboardInterrupt as interrupt:
        return Invocation(command, 130, buffer.getvalue(), None, interrupt)
    finally:
        sys.argv = argv
    if not result.success:
        explain_lock_error(result, buffer.getvalue())
    if result.success:
        code = 0
    elif result.exception is not None and result.result is None:
        code = 2
    else:
        code = 1
    return Invocation(command, code, buffer.getvalue(), result.result, result.exception)


def explain_lock_error(result, output: str) -> None:
    """When a failed dbt command failed on DuckDB's lock (another process has the database
    open), print which process holds it and how to proceed (scripts/duckdb_lock.py)."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    from duckdb_lock import explain

    texts = [output, str(result.exception or "")]
    texts += [str(getattr(node, "message", "") or "") for node in getattr(result.result, "results", None) or []]
    explanation = explain("\n".join(texts))
    if explanation:
        print(explanation, file=sys.stderr, flush=True)


def run_dbt(command: list[str], env: dict, capture: bool = False) -> Invocation:
    """Run a dbt command (["dbt", subcommand, args...]) in this process with the project
    parsed once (Project) and the environment `env`, and wait for it. A build or test prints
    one line per finished node. Raises Stopped when a stop signal arrived before or while
    it ran."""
    from dbt.cli.main import dbtRunner

    if Stop.signum is not None:
        raise Stopped(Stop.signum)
    manifest = Project.manifest_for(helper_args(command[2:]), env)
    if Stop.signum is not None:
        raise Stopped(Stop.signum)
    if manifest is None:  # what the caller reports is the failed parse
        return Project.failed
    progress = NodeProgress() if command[1] in ("build", "test", "run", "seed") and not capture else None
    runner = dbtRunner(manifest=Project.as_parsed(manifest), callbacks=[progress] if progress else [])
    # dbt's own per-node lines give way to NodeProgress's (warnings and errors still show).
    invoked = [command[0], command[1], *BUILD_CONSOLE, *command[2:]] if progress else command
    began = time.monotonic()
    outcome = invoke(runner, invoked, env, capture)
    outcome.command = command
    if Stop.signum is not None or isinstance(outcome.exception, KeyboardInterrupt):
        raise Stopped(Stop.signum or signal.SIGINT)
    if progress is not None:
        say(f"dbt {command[1]}: {progress.summary()} in {time.monotonic() - began:.1f}s")
    return outcome


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def user_vars(dbt_args: list[str]) -> dict:
    """The variables of `--vars X` among the extra dbt arguments."""
    import yaml

    variables: dict = {}
    args = iter(dbt_args)
    for arg in args:
        if arg == "--vars":
            variables.update(yaml.safe_load(next(args, "{}")) or {})
        elif arg.startswith("--vars="):
            variables.update(yaml.safe_load(arg.split("=", 1)[1]) or {})
    return variables


def project_var(name: str, dbt_args: list[str]):
    """A var as dbt will see it: from --vars, else from dbt_project.yml."""
    import yaml

    given = user_vars(dbt_args)
    if name in given:
        return given[name]
    return (yaml.safe_load((ROOT / "dbt_project.yml").read_text()).get("vars") or {}).get(name)


def dbt_env(start: dt.date, end: dt.date, snapshot: dt.date) -> dict:
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(ROOT / ".profiles"))
    env.update({"FXA_START_DATE": start.isoformat(), "FXA_END_DATE": end.isoformat(),
                "FXA_SNAPSHOT_DATE": snapshot.isoformat()})
    return env


def check_landed(start: dt.date, end: dt.date, dbt_args: list[str]) -> int:
    """0 when every event source the project reads on these dates has rows on each of them,
    NOT_LANDED (with the sources and dates) when one has none, 1 when dbt failed."""
    arguments = json.dumps({"start_date": start.isoformat(), "end_date": end.isoformat()})
    command = ["dbt", "run-operation", "check_landed_data", "--args", arguments, *dbt_args]
    say("+ " + " ".join(command))
    result = run_dbt(command, dbt_env(start, end, end), capture=True)
    output = result.output
    if result.returncode == 0:
        landed = re.search(r"raw data for .* has landed.*", output)
        say(landed.group(0) if landed else output.strip().splitlines()[-1] if output.strip() else "landed")
        return 0
    missing = re.search(r"raw data for .* has not landed: .*", output)
    if missing:
        print(missing.group(0), file=sys.stderr)
        return NOT_LANDED
    refused = re.search(r"Refusing the window .*", output)
    if refused:
        print(refused.group(0), file=sys.stderr)
        return 1
    print(output[-4000:] or f"dbt {result.command[1]} failed: {result.exception}", file=sys.stderr)
    return 1


def after_flow_logs(start: dt.date, dbt_args: list[str]) -> bool:
    """Whether a window starting on `start` starts after the legacy flow logs' last partition."""
    end_of_flow_logs = project_var("legacy_flow_logs_end_date", dbt_args)
    return bool(end_of_flow_logs) and start > dt.date.fromisoformat(str(end_of_flow_logs))


def build_exclusions(start: dt.date, dbt_args: list[str], flow_logs_built: bool = True) -> list[str]:
    """Selectors left out of a windowed build: the raw sample loaders, and the legacy flow
    logs when the window starts after their last partition and their models exist (the
    incremental int_flow_events reads them)."""
    excluded = ["tag:raw_sample"]
    if flow_logs_built and after_flow_logs(start, dbt_args):
        excluded.append("tag:legacy_flow_logs")
    return excluded


# dbt show of the number of models tagged legacy_flow_logs whose relation does not exist
# (their ephemeral base models have none: they are inlined into their readers).
FLOW_LOG_MODELS_MISSING = """
{%- set missing = [] -%}
{%- for node in graph.nodes.values()
        if node.resource_type == 'model' and 'legacy_flow_logs' in node.tags and node.config.enabled
        and node.config.materialized != 'ephemeral' -%}
    {%- if adapter.get_relation(node.database, node.schema, node.alias) is none -%}
        {%- do missing.append(node.name) -%}
    {%- endif -%}
{%- endfor -%}
select {{ missing | length }} as missing
"""


# Options of the extra dbt arguments that the helper commands (dbt show, run-operation)
# take as well: where to connect and write; a selection (--select, ...) is the build's only.
HELPER_OPTIONS = {"--target", "-t", "--profile", "--profiles-dir", "--project-dir", "--vars", "--target-path",
                  "--log-path", "--log-format-file", "--log-level-file"}
HELPER_FLAGS = {"--debug", "-d", "--no-partial-parse", "--partial-parse", "--no-use-colors", "--use-colors"}


def helper_args(dbt_args: list[str]) -> list[str]:
    """The extra dbt arguments a helper command accepts (HELPER_OPTIONS with their value,
    HELPER_FLAGS); the others, and the values that follow them, are left out."""
    kept, takes_value = [], False
    for arg in dbt_args:
        if arg.startswith("-"):
            name = arg.split("=", 1)[0]
            takes_value = name in HELPER_OPTIONS and "=" not in arg
            if name in HELPER_OPTIONS or arg in HELPER_FLAGS:
                kept.append(arg)
        elif takes_value:
            kept.append(arg)
            takes_value = False
    return kept


def flow_log_models_built(env: dict, dbt_args: list[str]) -> bool:
    """Whether every model tagged legacy_flow_logs exists in the target (false on an empty
    database, or when dbt cannot tell: then the build includes them, which costs nothing)."""
    command = ["dbt", "show", "--inline", FLOW_LOG_MODELS_MISSING, *helper_args(dbt_args)]
    result = run_dbt(command, env, capture=True)
    try:
        table = result.result.results[0].agate_table
        return result.returncode == 0 and int(table.rows[0]["missing"]) == 0
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return False


class FlowLogModels:
    """Whether the legacy flow-log models are built: looked up once per run of the script,
    and true after any build that succeeded (it left them out because they existed, or
    built them)."""

    built: bool | None = None

    @classmethod
    def built_for(cls, start: dt.date, env: dict, dbt_args: list[str]) -> bool:
        """For a window from `start`: whether they exist, looked up only when it matters
        (the window starts after the flow logs' last partition)."""
        if not after_flow_logs(start, dbt_args):
            return True
        if cls.built is None:
            cls.built = flow_log_models_built(env, dbt_args)
            if not cls.built:
                say("The legacy flow-log models are not built yet (an empty database?): this build "
                    "includes them, empty for its dates, as int_flow_events reads them.")
        return cls.built


def dbt_build(start: dt.date, end: dt.date, snapshot: dt.date, dbt_args: list[str],
              rebuild_following: bool = True) -> int:
    """`dbt build` of one window. The window goes in FXA_START_DATE, FXA_END_DATE and
    FXA_SNAPSHOT_DATE (read like vars start_date, end_date and snapshot_date, but only
    when models run), so the --vars stay the same from run to run and the manifest parsed
    at the start of the script's run serves every window. When it fails, the failed data
    tests are printed with their rows.
    rebuild_following=False sets FXA_REBUILD_FOLLOWING_DAYS=0: the dates already built
    after the window are left alone (a backfill batch whose next batch rebuilds them)."""
    env = dbt_env(start, end, snapshot)
    if not rebuild_following:
        env["FXA_REBUILD_FOLLOWING_DAYS"] = "0"
    excluded = build_exclusions(start, dbt_args, FlowLogModels.built_for(start, env, dbt_args))
    command = ["dbt", "build", "--exclude", *excluded, "--exclude-resource-type", "unit_test", *dbt_args]
    following = "" if rebuild_following else "FXA_REBUILD_FOLLOWING_DAYS=0 "
    say(f"+ FXA_START_DATE={start} FXA_END_DATE={end} FXA_SNAPSHOT_DATE={snapshot} {following}" + " ".join(command))
    built = run_dbt(command, env)
    if built.returncode == 0:
        FlowLogModels.built = True
    else:
        report_failed_tests(f"the window {start}..{end}", built, env, dbt_args)
    return built.returncode


def failed_tests(invocation: Invocation) -> list[dict]:
    """The data tests that failed in a dbt build or test, from its results: unique_id,
    failures and the relation that stores the failing rows (none when dbt stopped before
    running nodes)."""
    results = getattr(invocation.result, "results", None) or []
    return [{"unique_id": result.node.unique_id, "failures": result.failures,
             "relation_name": getattr(result.node, "relation_name", None)}
            for result in results
            if result.node.unique_id.startswith("test.") and str(result.status) in ("fail", "TestStatus.Fail")]


def stored_failure_rows(relations: list[str], env: dict, dbt_args: list[str]) -> dict[str, dict]:
    """The first rows of each stored-failures relation, {relation: {columns, rows}}, read by
    dbt (macros/quality/store_failures.sql), so the same on DuckDB and BigQuery."""
    arguments = json.dumps({"relations": relations, "limit": FAILURE_ROWS})
    command = ["dbt", "run-operation", "stored_failure_rows", "--args", arguments, *helper_args(dbt_args)]
    result = run_dbt(command, env, capture=True)
    found = {}
    for line in result.output.splitlines():
        if line.startswith("stored failures "):
            stored = json.loads(line.removeprefix("stored failures "))
            found[stored["relation"]] = stored
    if result.returncode != 0:
        print("(the stored failing rows could not be read: " + (result.output.strip()[-500:] or str(result.exception))
              + ")",
              file=sys.stderr)
    return found


def key_columns(columns: list[str]) -> list[str]:
    """The columns of a failing row to print: all of a narrow table (a test's own output:
    keys, values, counts), the ids and dates of a model's row (not_null stores all of it)."""
    if len(columns) <= 6:
        return columns
    keys = [column for column in columns
            if column.endswith(("_id", "_key", "_date")) and not column.startswith(("has_", "is_"))]
    return keys or columns[:6]


def report_failed_tests(dates: str, invocation: Invocation, env: dict, dbt_args: list[str]) -> None:
    """Print each data test that failed in a dbt command: its name, the dates it tested,
    its number of failing rows and the first of them, from the relation it stored them in."""
    failed = failed_tests(invocation)
    if not failed:
        return
    relations = [result["relation_name"] for result in failed if result.get("relation_name")]
    stored = stored_failure_rows(relations, env, dbt_args) if relations else {}
    print(f"\n{len(failed)} data test(s) failed on {dates}:", file=sys.stderr)
    for result in failed:
        relation = result.get("relation_name")
        print(f"  {result['unique_id'].split('.')[2]}: {result['failures']} failing row(s)"
              + (f", stored in {relation}" if relation else ""), file=sys.stderr)
        rows = stored.get(relation) or {"columns": [], "rows": []}
        shown = key_columns(rows["columns"])
        for row in rows["rows"]:
            values = dict(zip(rows["columns"], row))
            print("    " + ", ".join(f"{column}={shorten(values[column])}" for column in shown), file=sys.stderr)
    sys.stderr.flush()


def shorten(value: str | None) -> str:
    if value is None:
        return "NULL"
    return value if len(value) <= FAILURE_VALUE_CHARS else value[: FAILURE_VALUE_CHARS - 3] + "..."


def run_window(start: dt.date, end: dt.date, snapshot: dt.date, dbt_args: list[str],
               landed_from: dt.date | None = None, rebuild_following: bool = True) -> int:
    """The landed-data check of [landed_from or start, end], then the build of the window."""
    code = check_landed(landed_from or start, end, dbt_args)
    if code != 0:
        return code
    return dbt_build(start, end, snapshot, dbt_args, rebuild_following)


def lookback_days(args: argparse.Namespace) -> int:
    """The days before the date a daily run rebuilds: --lookback-days, else var
    lookback_days as dbt sees it (--vars, else dbt_project.yml), the same setting the
    models use for a run given no window."""
    if args.lookback_days is not None:
        return args.lookback_days
    value = project_var("lookback_days", args.dbt_args)
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise SystemExit(f"daily: var lookback_days must be a number of days, got {value!r}") from None
    if days < 0:
        raise SystemExit(f"daily: var lookback_days must not be negative, got {days}")
    return days


def daily(args: argparse.Namespace) -> int:
    day = args.date or (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1))
    start = day - dt.timedelta(days=lookback_days(args))
    started = time.monotonic()
    # Only the new date must have landed: the lookback days were built before.
    code = run_window(start, day, day, args.dbt_args, landed_from=day)
    status = {0: "ok", NOT_LANDED: "NOT RUN (raw data not landed)"}.get(code, f"FAILED (exit code {code})")
    print(f"daily run of {day} (window {start}..{day}): {status} in {time.monotonic() - started:.0f}s")
    return code if code in (0, NOT_LANDED) else 1


def batches(start: dt.date, end: dt.date, size: int) -> list[tuple[dt.date, dt.date]]:
    out = []
    day = start
    while day <= end:
        last = min(end, day + dt.timedelta(days=size - 1))
        out.append((day, last))
        day = last + dt.timedelta(days=1)
    return out


def resume_command(next_start: dt.date, end: dt.date, batch_days: int, dbt_args: list[str]) -> str:
    """The shell command that resumes a backfill at next_start: `make backfill`, which runs
    the project's virtualenv from any directory, every value shell-quoted. make expands `$`
    in a variable's value, and its recipe hands $(DBT_ARGS) to the shell unquoted: so the
    dbt arguments are shell-quoted once for the recipe, `$` doubled for make, and quoted
    again for the shell the command is pasted into."""
    assignments = {"RESUME": "1", "START": next_start.isoformat(), "END": end.isoformat(),
                   "BATCH_DAYS": str(batch_days)}
    if dbt_args:
        assignments["DBT_ARGS"] = shlex.join(dbt_args).replace("$", "$$")
    words = ["make", "-C", shlex.quote(str(ROOT)), "backfill"]
    words += [f"{name}={shlex.quote(value)}" for name, value in assignments.items()]
    if "FXA_BACKFILL_STATE" in os.environ:
        words.insert(0, "FXA_BACKFILL_STATE=" + shlex.quote(str(STATE.resolve())))
    return " ".join(words)


def resume_range(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    """Where --resume starts and ends: the saved state, which must be of the --start/--end
    range when they are given (the command a failed backfill prints gives them). Without a
    saved state, --start/--end as given. None (after saying why) when there is nothing to
    resume or the state is of another backfill."""
    if not STATE.exists():
        if args.start is None or args.end is None:
            print(f"backfill: nothing to resume ({STATE} not found)", file=sys.stderr)
            return None
        print(f"backfill: no saved state ({STATE} not found), starting at {args.start}")
        return args.start, args.end
    state = json.loads(STATE.read_text())
    next_start, end = parse_date(state["next_start"]), parse_date(state["end"])
    if (args.end is not None and args.end != end) or (args.start is not None and args.start > next_start):
        print(f"backfill: {STATE} is of another backfill (next batch {next_start}, range end {end}), not of "
              f"--start {args.start} --end {args.end}: resume without --start/--end, or remove the file",
              file=sys.stderr)
        return None
    print(f"backfill: resuming at {next_start} (range end {end})")
    return next_start, end


def backfill(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    start, end = args.start, args.end
    if args.resume:
        resumed = resume_range(args)
        if resumed is None:
            return 2
        start, end = resumed
    if start is None or end is None:
        print("backfill: --start and --end are required (or --resume)", file=sys.stderr)
        return 2
    if end < start:
        print(f"backfill: --end {end} is before --start {start}", file=sys.stderr)
        return 2

    pending = batches(start, end, args.batch_days)
    STATE.parent.mkdir(parents=True, exist_ok=True)
    timings = []
    # A progress bar on a terminal, the per-node lines printed above it; in a log (no
    # terminal) a line per batch instead, as a bar redrawn under every line would bury them.
    progress = tqdm(pending, unit="batch", desc="backfill", file=sys.stdout, disable=not sys.stdout.isatty())
    Output.bar = None if progress.disable else progress
    for number, (batch_start, batch_end) in enumerate(progress, start=1):
        progress.set_postfix_str(f"{batch_start}..{batch_end}")
        if progress.disable:
            say(f"backfill: batch {number}/{len(pending)} {batch_start}..{batch_end}")
        # Saved first, so that a stop in the middle of the batch resumes at it.
        STATE.write_text(json.dumps({"next_start": batch_start.isoformat(), "end": end.isoformat()}) + "\n")
        resume = resume_command(batch_start, end, args.batch_days, args.dbt_args)
        Stop.note = (f"backfill stopped during batch {batch_start}..{batch_end}. Batches before it are built. "
                     f"Resume with:\n  {resume}")
        began = time.monotonic()
        try:
            # A run also rebuilds the dates already built in the var rebuild_following_days
            # after its window; every batch but the last leaves that to the next.
            code = run_window(batch_start, batch_end, batch_end, args.dbt_args,
                              rebuild_following=batch_end == pending[-1][1])
        except (Stopped, KeyboardInterrupt) as stopped:
            progress.close()
            Output.bar = None
            name = stopped if isinstance(stopped, Stopped) else signal.Signals(Stop.signum or signal.SIGINT).name
            print(f"\nbackfill stopped by {name} during batch {batch_start}..{batch_end}.\n"
                  f"Batches before it are built. Resume with:\n"
                  f"  {resume}", file=sys.stderr)
            raise
        if code != 0:
            progress.close()
            Output.bar = None
            reason = "raw data not landed" if code == NOT_LANDED else f"exit code {code}"
            print(
                f"\nbackfill FAILED on batch {batch_start}..{batch_end} ({reason}).\n"
                f"Batches before it are built. Fix the cause, then resume with:\n"
                f"  {resume_command(batch_start, end, args.batch_days, args.dbt_args)}",
                file=sys.stderr,
            )
            return NOT_LANDED if code == NOT_LANDED else 1
        timings.append(time.monotonic() - began)
    progress.close()
    Output.bar = None
    Stop.note = None
    STATE.unlink(missing_ok=True)
    days = (end - start).days + 1
    total = sum(timings)
    print(
        f"backfill done: {days} day(s) {start}..{end} in {len(pending)} batch(es), {total:.0f}s "
        f"({total / max(len(pending), 1):.1f}s per batch)"
    )
    return 0


def audit(args: argparse.Namespace) -> int:
    """Every data test over the whole history: no window in the environment."""
    env = {key: value for key, value in os.environ.items() if key not in WINDOW_ENV}
    env.setdefault("DBT_PROFILES_DIR", str(ROOT / ".profiles"))
    command = ["dbt", "test", "--exclude", "tag:raw_sample", "--exclude-resource-type", "unit_test", *args.dbt_args]
    say("+ " + " ".join(command))
    tested = run_dbt(command, env)
    code = tested.returncode
    if code != 0:
        report_failed_tests("the whole history", tested, env, args.dbt_args)
    print(f"audit of the whole history: {'ok' if code == 0 else 'FAILED'}")
    return 0 if code == 0 else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    dbt_args: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, dbt_args = argv[:split], argv[split + 1 :]

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    daily_parser = sub.add_parser("daily", help="build one submission date (default: yesterday, UTC)")
    daily_parser.add_argument("--date", type=parse_date)
    daily_parser.add_argument("--lookback-days", type=int, default=None,
                              help="days before --date to rebuild (default: var lookback_days of the project)")
    backfill_parser = sub.add_parser("backfill", help="rebuild a date range in day batches")
    backfill_parser.add_argument("--start", type=parse_date)
    backfill_parser.add_argument("--end", type=parse_date)
    backfill_parser.add_argument("--batch-days", type=int, default=1)
    backfill_parser.add_argument("--resume", action="store_true")
    sub.add_parser("audit", help="every data test over the whole history")
    args = parser.parse_args(argv)
    args.dbt_args = dbt_args
    if getattr(args, "batch_days", 1) < 1:
        parser.error("--batch-days must be at least 1")
    if (getattr(args, "lookback_days", 0) or 0) < 0:
        parser.error("--lookback-days must not be negative")
    clash = [name for name in WINDOW_VARS if name in user_vars(dbt_args)]
    if clash:
        parser.error(f"do not pass {', '.join(clash)} in --vars: the dates come from this command's options")
    Stop.signum, Stop.note = None, None
    handlers = {signum: signal.signal(signum, Stop.on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        return {"daily": daily, "backfill": backfill, "audit": audit}[args.command](args)
    except (Stopped, KeyboardInterrupt) as stopped:
        signum = stopped.signum if isinstance(stopped, Stopped) else (Stop.signum or signal.SIGINT)
        print(f"{args.command} stopped by {signal.Signals(signum).name}: dbt has returned", file=sys.stderr)
        return 128 + signum
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    sys.exit(main())
