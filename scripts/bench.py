"""Benchmark: generated data at a given scale, a full build, the daily run, a baseline.

    python scripts/bench.py shape --users N --days D [--copies N] [--accounts-per-user K] [--out DIR] [--reuse]
    python scripts/bench.py targets [--users N] [--reuse] [--out DIR]     (make bench)

`shape` measures one shape of data; `targets` measures the shapes of the performance
targets in one run and checks them (the *_MAX constants and targets() below;
docs/performance.md).

For one shape:

1. Generates a Parquet export (scripts/generate_sample_data.py, streaming) unless --reuse
   finds one for the same scale.
2. Full build: `prepare_raw_sources` (views over the Parquet), then one
   `dbt build --resource-type seed --resource-type model --full-refresh`: the lookup seeds
   and every model on DuckDB, into a fresh database file.
3. One incremental day: `dbt run` with the window set to the last date only, passed the
   way scripts/fxa_run.py passes a window (FXA_START_DATE / FXA_END_DATE).
4. The daily run (`daily_s`): `scripts/fxa_run.py daily --date <last date>`, exactly the
   scheduled run: the landed-data check, then `dbt build` of the last date and the
   lookback_days before it, with the window's data tests (no unit tests).
5. Baseline: one hand-written DuckDB query that reads the backend events once,
   deduplicates them on event_id and computes the measures of the three relier marts.

--copies N (default 1) makes the export N populations of the generated shape: the
generated rows and N - 1 copies of them with every event, document, client, flow, device
and account id rewritten per copy (the replicas stay one population's), so the event
volume grows N times with the behaviour per account unchanged, without generating again.

--accounts-per-user K (default 1) spreads each generated person over K accounts: an event
of 8-hour block b (of UTC time) is given the account <account>#(b mod K) (its sha256 and raw
uid rewritten in a copy of the event tables), so the same events fall on up to K times the
accounts, with fewer events each; the replicas are unchanged. K=32 on the 10.7 M-event
export (190,000 people) gives 1.86 M accounts of 5.7 events.

Prints one JSON line: events, accounts, events_per_account, full_build_s, incremental_day_s,
daily_s (and daily_node_seconds_by_type), baseline_s, ratio_to_baseline (full build / baseline), events_per_s (full build), peak_rss_mb (largest
resident set of the dbt process tree during the full build), plus the scale and
*_nodes_s: the part of each dbt wall time spent running models (the rest is start-up and
parsing), and land_events_s: the time to read the five raw event tables and write them
unchanged into a DuckDB file (a floor for any build that materialises staged events). Per-model timings are kept in <work>/run_results_<phase>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil
from sample_data.sources import EVENT_SOURCES

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).parent / "dbt")
# The event tables of the export, as the generator's registry declares them.
EVENT_TABLES = [f"{source.dataset}/{source.table}" for source in EVENT_SOURCES]


class PeakRss:
    """Samples the resident set of a process and its children until stopped."""

    def __init__(self, process: subprocess.Popen):
        self.process = psutil.Process(process.pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(command: list[str], env: dict, log: Path) -> tuple[float, int]:
    started = time.monotonic()
    with open(log, "a") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = PeakRss(process)
        code = process.wait()
        peak = sampler.stop()
    if code != 0:
        sys.exit(f"bench: {' '.join(command[:3])} failed (exit {code}); see {log}")
    return time.monotonic() - started, peak


def keep_run_results(work: Path, phase: str) -> float:
    """Keeps dbt's per-model timings of a phase as <work>/run_results_<phase>.json and
    returns the time dbt spent running nodes (the wall time minus start-up and parsing)."""
    results = work / "target" / "run_results.json"
    kept = work / f"run_results_{phase}.json"
    results.replace(kept)
    return json.loads(kept.read_text())["elapsed_time"]


def node_seconds_by_type(work: Path, phase: str) -> dict[str, float]:
    """Seconds each kind of node (model, test, seed) ran in a kept phase, summed over the
    threads (so it can exceed the wall time)."""
    results = json.loads((work / f"run_results_{phase}.json").read_text())["results"]
    totals: dict[str, float] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        totals[kind] = totals.get(kind, 0.0) + result["execution_time"]
    return {kind: round(seconds, 1) for kind, seconds in sorted(totals.items())}


def baseline_query(export: Path) -> str:
    events = export / "accounts_backend" / "events_stream" / "*.parquet"
    return f"""
    with deduplicated as (
        select *
        from read_parquet('{events}')
        qualify row_number() over (partition by event_id order by submission_timestamp) = 1
    ),
    keyed as (
        select
            cast(submission_timestamp at time zone 'UTC' as date) as submission_date,
            coalesce(
                lower(coalesce(nullif(metrics.string.relying_party_oauth_client_id, ''),
                               nullif(metrics.string.relying_party_service, ''))),
                'unattributed') as relier_id,
            nullif(metadata.geo.country, '') as country_code,
            nullif(metrics.string.account_user_id_sha256, '') as user_id_sha256,
            nullif(metrics.string.session_flow_id, '') as flow_id,
            event_id,
            event
        from deduplicated
        where event in ('reg.complete', 'login.complete', 'access_token.created', 'access_token.checked')
    ),
    signups as (
        select submission_date, relier_id, country_code,
               count(distinct coalesce(user_id_sha256, 'flow:' || flow_id, 'event:' || event_id)) as signups
        from keyed where event = 'reg.complete' group by all
    ),
    logins as (
        select submission_date, relier_id, country_code, count(*) as logins, count(distinct user_id_sha256) as users
        from keyed where event = 'login.complete' group by all
    ),
    tokens as (
        select submission_date, relier_id,
               count(*) filter (where event = 'access_token.created') as created,
               count(*) filter (where event = 'access_token.checked') as checked,
               count(distinct user_id_sha256) as users
        from keyed where event like 'access_token.%' group by all
    )
    select (select count(*) from signups) + (select count(*) from logins) + (select count(*) from tokens) as mart_rows
    """


def count_events(export: Path) -> tuple[int, dt.date, int]:
    """Events in the five event tables, the last submission date, and the distinct accounts
    (user_id_sha256) of the backend events."""
    with duckdb.connect() as con:
        events = sum(
            con.execute(f"select count(*) from read_parquet('{export / table / '*.parquet'}')").fetchone()[0]
            for table in EVENT_TABLES
        )
        backend = export / "accounts_backend/events_stream/*.parquet"
        last_day, accounts = con.execute(
            f"select max(cast(submission_timestamp at time zone 'UTC' as date)),"
            f" count(distinct nullif(metrics.string.account_user_id_sha256, ''))"
            f" from read_parquet('{backend}')"
        ).fetchone()
    return events, last_day, accounts


# Where each event table keeps its account ids, and the column of its day. The replicas and
# the flow logs (no account column) are linked unchanged.
GLEAN_TABLES = ("accounts_backend/events_stream", "accounts_frontend/events_stream")
LEGACY_ACCOUNT_TABLE = "firefox_accounts/fxa_all_events"


# The identifiers of each event table that a copy of the population rewrites (copies knob):
# top-level columns, and the Glean metrics.string fields.
COPY_ID_COLUMNS = {
    "firefox_accounts/fxa_all_events": ("user_id", "device_id", "flow_id"),
    "firefox_accounts_derived/fxa_log_auth_events_v1": ("flow_id", "device_id"),
    "firefox_accounts_derived/fxa_log_content_events_v1": ("flow_id",),
}
GLEAN_ID_COLUMNS = ("event_id", "document_id", "client_id")
GLEAN_ID_FIELDS = ("account_user_id_sha256", "account_user_id", "session_flow_id")


def copied_id(column: str, copy: int) -> str:
    """The SQL of identifier `column` in copy `copy` of a population: the same length, hex
    when it was hex (a sha256 prefix), NULL and '' kept."""
    return (f"case when coalesce({column}, '') = '' then {column}"
            f" else left(sha256({column} || '#copy{copy}'), length({column})) end")


def derive_export(export: Path, target: Path, rewritten: tuple[str, ...], write_part) -> None:
    """`target` as a derived copy of `export`: the tables named in `rewritten`
    ("dataset/table") get their files from write_part(con, name, part, out_dir) for each
    Parquet file of the table; every other table is linked unchanged."""
    target.mkdir(parents=True, exist_ok=True)
    for dataset in sorted(p for p in export.iterdir() if p.is_dir()):
        for table in sorted(p for p in dataset.iterdir() if p.is_dir()):
            name = f"{dataset.name}/{table.name}"
            out = target / dataset.name / table.name
            if name not in rewritten:
                out.parent.mkdir(parents=True, exist_ok=True)
                if not out.exists():
                    out.symlink_to(table.resolve(), target_is_directory=True)
                continue
            out.mkdir(parents=True, exist_ok=True)
            with duckdb.connect() as con:
                for part in sorted(table.glob("*.parquet")):
                    write_part(con, name, part, out)


def replicate_events(export: Path, target: Path, copies: int) -> None:
    """A copy of `export` whose event tables hold `copies` populations: the original rows,
    and copies - 1 more of every row with its identifiers (event, document, client, flow,
    device and account ids) rewritten per copy, so each copy is a population of its own
    with the same behaviour: N copies are N times the events of the same shape. The
    replicas are linked unchanged (they stay one population's)."""
    def write_part(con, name: str, part: Path, out: Path) -> None:
        link = out / part.name
        if not link.exists():
            link.symlink_to(part.resolve())
        present = {column[0] for column in con.execute(f"select * from read_parquet('{part}') limit 0").description}
        for copy in range(1, copies):
            if name in GLEAN_TABLES:
                fields = ", ".join(f"{field} := {copied_id('metrics.string.' + field, copy)}"
                                   for field in GLEAN_ID_FIELDS)
                replace = [f"{copied_id(column, copy)} as {column}" for column in GLEAN_ID_COLUMNS if column in present]
                replace.append(f"struct_update(metrics, string := struct_update(metrics.string, {fields})) as metrics")
            else:
                replace = [f"{copied_id(column, copy)} as {column}"
                           for column in COPY_ID_COLUMNS[name] if column in present]
            con.execute(f"copy (select * replace ({', '.join(replace)}) from read_parquet('{part}'))"
                        f" to '{out / (part.stem + f'-copy{copy}.parquet')}' (format parquet)")

    derive_export(export, target, (*GLEAN_TABLES, *COPY_ID_COLUMNS), write_part)


# The accounts knob's unit of time: the events of one account in one 8-hour block (of UTC
# time since 1970) stay together.
BLOCK_MS = 8 * 3600 * 1000


def remap_accounts(export: Path, target: Path, accounts_per_user: int) -> None:
    """A copy of `export` in which the events of account A in 8-hour block b belong to
    account A#(b mod K): sha256 and raw uid rewritten in the Glean tables, the hashed
    user_id in the legacy Amplitude events. NULL and '' stay as they are."""
    k = accounts_per_user

    def write_part(con, name: str, part: Path, out: Path) -> None:
        if name in GLEAN_TABLES:
            bucket = f"(epoch_ms(submission_timestamp) // {BLOCK_MS} % {k})"
            sha, uid = "metrics.string.account_user_id_sha256", "metrics.string.account_user_id"
            replace = (
                f"struct_update(metrics, string := struct_update(metrics.string,"
                f" account_user_id_sha256 := case when coalesce({sha}, '') = '' then {sha}"
                f" else sha256({sha} || '#' || {bucket}) end,"
                f" account_user_id := case when coalesce({uid}, '') = '' then {uid}"
                f" else left(sha256({uid} || '#' || {bucket}), 32) end)) as metrics")
        else:
            bucket = f"(epoch_ms(timestamp) // {BLOCK_MS} % {k})"
            replace = (f"case when coalesce(user_id, '') = '' then user_id"
                       f" else sha256(user_id || '#' || {bucket}) end as user_id")
        con.execute(f"copy (select * replace ({replace}) from read_parquet('{part}'))"
                    f" to '{out / part.name}' (format parquet)")

    derive_export(export, target, (*GLEAN_TABLES, LEGACY_ACCOUNT_TABLE), write_part)


def measure_shape(users: int, days: int, accounts_per_user: int, work: Path, reuse: bool,
                  start_date: str, daily: bool = True, export: Path | None = None, copies: int = 1) -> dict:
    """Generates (or reuses) an export of `users` x `days`, in `copies` populations, spread
    over accounts_per_user accounts per person, and measures a full build, one incremental day, the daily run
    (when `daily`), the baseline and the landing floor. Returns the JSON of the shape."""
    work = work.resolve()
    generated = export or work / "export"
    log = work / "bench.log"
    work.mkdir(parents=True, exist_ok=True)
    # No run window from the shell: the full build must be full.
    env = {key: value for key, value in os.environ.items()
           if key not in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE", "FXA_REBUILD_FOLLOWING_DAYS")}
    env.setdefault("DBT_PROFILES_DIR", str(ROOT / ".profiles"))
    env["FXA_DUCKDB_PATH"] = str(work / "bench.duckdb")
    env["FXA_DUCKDB_TEMP_DIR"] = str(work / "duckdb_tmp")

    if not (reuse and (generated / "accounts_backend").exists()):
        say(f"generating {users} users x {days} days into {generated}")
        gen_s, _ = run([sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet",
                        "--out", str(generated), "--users", str(users), "--days", str(days),
                        "--start-date", start_date], env, log)
        say(f"generated in {gen_s:.0f}s")
    export = generated
    if copies > 1:
        export = work / f"export_{copies}_copies"
        if not (reuse and (export / "accounts_backend").exists()):
            say(f"{copies} copies of the population into {export}")
            shutil.rmtree(export, ignore_errors=True)
            replicate_events(generated, export, copies)
    if accounts_per_user > 1:
        spread = work / f"{export.name}_{accounts_per_user}_accounts_per_user"
        if not (reuse and (spread / "accounts_backend").exists()):
            say(f"spreading each person over {accounts_per_user} accounts into {spread}")
            shutil.rmtree(spread, ignore_errors=True)
            remap_accounts(export, spread, accounts_per_user)
        export = spread
    events, last_day, accounts = count_events(export)

    Path(env["FXA_DUCKDB_PATH"]).unlink(missing_ok=True)
    Path(env["FXA_DUCKDB_PATH"] + ".wal").unlink(missing_ok=True)
    variables = json.dumps({"raw_data_dir": str(export)})
    common = ["--vars", variables, "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    say(f"full build ({events:,} events, {accounts:,} accounts)")
    prep_s, prep_rss = run([DBT, "run-operation", "prepare_raw_sources", *common], env, log)
    build_s, build_rss = run([DBT, "build", "--resource-type", "seed", "--resource-type", "model",
                              "--exclude", "tag:raw_sample", "--full-refresh", *common], env, log)
    full_build_s = prep_s + build_s
    full_models_s = keep_run_results(work, "full_build")

    say("one incremental day")
    # The window as the scheduler passes it (scripts/fxa_run.py): environment variables.
    day_env = dict(env, FXA_START_DATE=str(last_day), FXA_END_DATE=str(last_day))
    incremental_day_s, _ = run([DBT, "run", "--exclude", "tag:raw_sample", *common], day_env, log)
    incremental_models_s = keep_run_results(work, "incremental_day")

    daily_s = daily_models_s = None
    if daily:
        say(f"the daily run of {last_day}")
        daily_s, _ = run([sys.executable, str(ROOT / "scripts" / "fxa_run.py"), "daily", "--date", str(last_day),
                          "--", *common], env, log)
        daily_models_s = keep_run_results(work, "daily")

    say("baseline")
    with duckdb.connect(config={"threads": int(env.get("FXA_DUCKDB_THREADS", "2")),
                                "memory_limit": env.get("FXA_DUCKDB_MEMORY_LIMIT", "3GB"),
                                "temp_directory": env["FXA_DUCKDB_TEMP_DIR"]}) as con:
        started = time.monotonic()
        con.execute(baseline_query(export)).fetchall()
        baseline_s = time.monotonic() - started

    # A floor for any build that stages the events: read the five event tables and write
    # them unchanged into a DuckDB file, with the build's DuckDB settings.
    say("landing the raw events unchanged")
    landed = work / "landed.duckdb"
    landed.unlink(missing_ok=True)
    with duckdb.connect(str(landed), config={"memory_limit": env.get("FXA_DUCKDB_MEMORY_LIMIT", "3GB"),
                                             "temp_directory": env["FXA_DUCKDB_TEMP_DIR"],
                                             "preserve_insertion_order": False}) as con:
        started = time.monotonic()
        for number, table in enumerate(EVENT_TABLES):
            con.execute(f"create table events_{number} as select * from read_parquet('{export / table / '*.parquet'}')")
        con.execute("checkpoint")
        land_events_s = time.monotonic() - started
    landed.unlink(missing_ok=True)

    result = {
        "users": users,
        "days": days,
        "copies": copies,
        "accounts_per_user": accounts_per_user,
        "events": events,
        "accounts": accounts,
        "events_per_account": round(events / max(accounts, 1), 1),
        "full_build_s": round(full_build_s, 1),
        "incremental_day_s": round(incremental_day_s, 1),
        "daily_s": None if daily_s is None else round(daily_s, 1),
        "baseline_s": round(baseline_s, 2),
        "ratio_to_baseline": round(full_build_s / baseline_s, 2),
        "land_events_s": round(land_events_s, 1),
        "incremental_to_full": round(incremental_day_s / full_build_s, 3),
        "daily_to_full": None if daily_s is None else round(daily_s / full_build_s, 3),
        "full_build_nodes_s": round(full_models_s, 1),
        "incremental_day_nodes_s": round(incremental_models_s, 1),
        "daily_nodes_s": None if daily_models_s is None else round(daily_models_s, 1),
        "daily_node_seconds_by_type": node_seconds_by_type(work, "daily") if daily else None,
        "events_per_s": round(events / full_build_s),
        "peak_rss_mb": round(max(prep_rss, build_rss) / 2**20),
        "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    (work / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def say(line: str) -> None:
    print(f"bench: {line}", file=sys.stderr, flush=True)


# The performance targets (docs/performance.md), measured on the shapes below, all built
# from one base number of people U (--users; the default gives about 5 M events in 28
# days): the daily run at U x 28 days and after twice the history (U x 56 days, the same
# daily volume); the growth from 1, 2 and 4 copies of the U population (5, 10 and 20 M
# events of one shape); 6 copies (about 30 M events) must complete; and the full build at
# 2U x 28 days with every person spread over 32 accounts (1.86 M accounts of 5.7 events)
# against its baseline.
DAILY_TO_FULL_MAX = 0.10
DAILY_HISTORY_GROWTH_MAX = 1.15
HIGH_CARDINALITY_RATIO_MAX = 10.0
PEAK_RSS_MAX_MB = 4096
ACCOUNTS_PER_USER = 32
EXPONENT_TOLERANCE = 0.10


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    """b of time = a * events^b, least squares on the logarithms."""
    xs = [math.log(events) for events, _ in points]
    ys = [math.log(seconds) for _, seconds in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
            / sum((x - mean_x) ** 2 for x in xs))


def targets(args: argparse.Namespace) -> int:
    root = (args.out or ROOT / "target" / "bench" / f"targets_{args.users}").resolve()
    u, start = args.users, args.start_date
    shapes = {}

    def shape(name: str, users: int, days: int, accounts_per_user: int = 1, daily: bool = False,
              export_of: str | None = None, copies: int = 1) -> dict:
        work = root / name
        export = root / export_of / "export" if export_of else None
        say(f"shape {name}: {users} users x {days} days x {copies} copies, {accounts_per_user} account(s) per person")
        shapes[name] = measure_shape(users, days, accounts_per_user, work, args.reuse or bool(export_of), start,
                                     daily=daily, export=export, copies=copies)
        say(f"shape {name}: {json.dumps(shapes[name])}")
        return shapes[name]

    small = shape("u1_28d", u, 28, daily=True)
    history = shape("u1_56d", u, 56, daily=True)
    double = shape("u1_28d_x2", u, 28, copies=2, export_of="u1_28d")
    quadruple = shape("u1_28d_x4", u, 28, copies=4, export_of="u1_28d")
    spread = shape("u2_28d_accounts", 2 * u, 28, ACCOUNTS_PER_USER)
    largest = shape("u1_28d_x6", u, 28, copies=6, export_of="u1_28d")

    growth = [(s["events"], s["full_build_s"]) for s in (small, double, quadruple)]
    exponent = fitted_exponent(growth)
    daily_growth = history["daily_s"] / small["daily_s"]
    report = {
        "daily_s": small["daily_s"],
        "full_build_s": small["full_build_s"],
        "daily_to_full": small["daily_to_full"],
        "daily_after_2x_history_s": history["daily_s"],
        "daily_history_growth": round(daily_growth, 3),
        "high_cardinality_ratio_to_baseline": spread["ratio_to_baseline"],
        "high_cardinality_peak_rss_mb": spread["peak_rss_mb"],
        "bench_shape_ratio_to_baseline": double["ratio_to_baseline"],
        "largest_build_events": largest["events"],
        "largest_build_s": largest["full_build_s"],
        "largest_build_peak_rss_mb": largest["peak_rss_mb"],
        "fitted_exponent": round(exponent, 3),
        "targets": {
            "daily_run_at_most_a_tenth_of_full_build": small["daily_to_full"] <= DAILY_TO_FULL_MAX,
            "daily_run_flat_in_history": daily_growth <= DAILY_HISTORY_GROWTH_MAX,
            "high_cardinality_full_build_at_most_10x_baseline":
                spread["ratio_to_baseline"] <= HIGH_CARDINALITY_RATIO_MAX,
            "high_cardinality_peak_at_most_4_gib": spread["peak_rss_mb"] <= PEAK_RSS_MAX_MB,
            "largest_build_completes": True,
            "cost_linear_within_10_percent": abs(exponent - 1) <= EXPONENT_TOLERANCE,
        },
        "shapes": shapes,
    }
    (root / "targets.json").write_text(json.dumps(report, indent=1) + "\n")
    print(markdown_report(report))
    print(json.dumps({key: value for key, value in report.items() if key != "shapes"}))
    return 0


def markdown_report(report: dict) -> str:
    s = report["shapes"]
    met = {True: "met", False: "not met"}
    t = report["targets"]
    rows = [
        ("Daily run <= 1/10 of the full build (U x 28 days)",
         f"{report['daily_s']} s / {report['full_build_s']} s = {report['daily_to_full']}",
         met[t["daily_run_at_most_a_tenth_of_full_build"]]),
        ("Daily run after 2x history <= 1.15x",
         f"{report['daily_after_2x_history_s']} s / {report['daily_s']} s = {report['daily_history_growth']}",
         met[t["daily_run_flat_in_history"]]),
        (f"Full build, {s['u2_28d_accounts']['events']:,} events over {s['u2_28d_accounts']['accounts']:,} accounts,"
         " <= 10x baseline",
         f"{s['u2_28d_accounts']['full_build_s']} s / {s['u2_28d_accounts']['baseline_s']} s = "
         f"{report['high_cardinality_ratio_to_baseline']}x (the generator's shape, {s['u1_28d_x2']['events']:,} events "
         f"over {s['u1_28d_x2']['accounts']:,} accounts: "
         f"{report['bench_shape_ratio_to_baseline']}x)",
         met[t["high_cardinality_full_build_at_most_10x_baseline"]]),
        ("Peak RSS <= 4 GiB (high cardinality)", f"{report['high_cardinality_peak_rss_mb']:,} MB",
         met[t["high_cardinality_peak_at_most_4_gib"]]),
        (f"{report['largest_build_events']:,}-event full build completes",
         f"{report['largest_build_s']} s, peak {report['largest_build_peak_rss_mb']:,} MB", "met"),
        ("Full build linear in events (fitted exponent within 1 +- 0.1)",
         ", ".join(f"{s[name]['events'] / 1e6:.1f} M: {s[name]['full_build_s']} s"
                   for name in ("u1_28d", "u1_28d_x2", "u1_28d_x4")) + f"; exponent {report['fitted_exponent']}",
         met[t["cost_linear_within_10_percent"]]),
    ]
    lines = ["| target | measured | |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("shape", help="measure one shape of data")
    one.add_argument("--users", type=int, default=20000)
    one.add_argument("--days", type=int, default=28)
    one.add_argument("--accounts-per-user", type=int, default=1,
                     help="accounts each generated person is spread over (events per account / K)")
    one.add_argument("--copies", type=int, default=1,
                     help="populations in the export: the generated one and copies - 1 with their ids rewritten")
    one.add_argument("--no-daily", action="store_true", help="skip the daily run")
    suite = commands.add_parser("targets", help="measure and check the performance targets in one run")
    suite.add_argument("--users", type=int, default=95000,
                       help="base number of people U (default %(default)s: about 5.3 M events in 28 days)")
    for sub in (one, suite):
        sub.add_argument("--start-date", default="2024-05-13")
        sub.add_argument("--out", type=Path, default=None, help="work directory (default under target/bench/)")
        sub.add_argument("--reuse", action="store_true", help="reuse exports generated before at the same scale")
    args = parser.parse_args()
    if args.command == "targets":
        return targets(args)
    work = args.out or ROOT / "target" / "bench" / f"{args.users}x{args.days}"
    print(json.dumps(measure_shape(args.users, args.days, args.accounts_per_user, work, args.reuse,
                                   args.start_date, daily=not args.no_daily, copies=args.copies)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
