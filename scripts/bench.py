"""Benchmark: generated data at a given scale, a full build, one incremental day, a baseline.

    python scripts/bench.py --users N --days D [--out DIR] [--reuse]

1. Generates a Parquet export (scripts/generate_sample_data.py, streaming) unless --reuse
   finds one for the same scale.
2. Full build: `prepare_raw_sources` (views over the Parquet), then one
   `dbt build --resource-type seed --resource-type model --full-refresh`: the lookup seeds
   and every model on DuckDB, into a fresh database file.
3. One incremental day: `dbt run` with the window set to the last date only, passed the
   way scripts/fxa_run.py passes a window (FXA_START_DATE / FXA_END_DATE); the scheduled
   daily run also re-runs the lookback_days before it.
4. Baseline: one hand-written DuckDB query that reads the backend events once,
   deduplicates them on event_id and computes the measures of the three relier marts.

Prints one JSON line: events, full_build_s, incremental_day_s, baseline_s,
ratio_to_baseline (full build / baseline), events_per_s (full build), peak_rss_mb (largest
resident set of the dbt process tree during the full build), plus the scale and
*_nodes_s: the part of each dbt wall time spent running models (the rest is start-up and
parsing), and land_events_s: the time to read the five raw event tables and write them
unchanged into a DuckDB file (a floor for any build that materialises staged events). Per-model timings are kept in <work>/run_results_<phase>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--start-date", default="2024-05-13")
    parser.add_argument("--out", type=Path, default=None, help="work directory (default target/bench/<users>x<days>)")
    parser.add_argument("--reuse", action="store_true", help="reuse an export generated before at the same scale")
    args = parser.parse_args()

    work = (args.out or ROOT / "target" / "bench" / f"{args.users}x{args.days}").resolve()
    export = work / "export"
    log = work / "bench.log"
    work.mkdir(parents=True, exist_ok=True)
    # No run window from the shell: the full build must be full.
    env = {key: value for key, value in os.environ.items()
           if key not in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE")}
    env.setdefault("DBT_PROFILES_DIR", str(ROOT / ".profiles"))
    env["FXA_DUCKDB_PATH"] = str(work / "bench.duckdb")
    env["FXA_DUCKDB_TEMP_DIR"] = str(work / "duckdb_tmp")

    if not (args.reuse and (export / "accounts_backend").exists()):
        print(f"bench: generating {args.users} users x {args.days} days into {export}", file=sys.stderr, flush=True)
        gen_s, _ = run([sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet",
                        "--out", str(export), "--users", str(args.users), "--days", str(args.days),
                        "--start-date", args.start_date], env, log)
        print(f"bench: generated in {gen_s:.0f}s", file=sys.stderr, flush=True)
    with duckdb.connect() as con:
        events = sum(
            con.execute(f"select count(*) from read_parquet('{export / table / '*.parquet'}')").fetchone()[0]
            for table in EVENT_TABLES
        )
        last_day = con.execute(
            f"select max(cast(submission_timestamp at time zone 'UTC' as date)) "
            f"from read_parquet('{export / 'accounts_backend/events_stream/*.parquet'}')"
        ).fetchone()[0]

    Path(env["FXA_DUCKDB_PATH"]).unlink(missing_ok=True)
    variables = json.dumps({"raw_data_dir": str(export)})
    common = ["--vars", variables, "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    print("bench: full build", file=sys.stderr, flush=True)
    prep_s, prep_rss = run([DBT, "run-operation", "prepare_raw_sources", *common], env, log)
    build_s, build_rss = run([DBT, "build", "--resource-type", "seed", "--resource-type", "model",
                              "--exclude", "tag:raw_sample", "--full-refresh", *common], env, log)
    full_build_s = prep_s + build_s
    full_models_s = keep_run_results(work, "full_build")

    print("bench: one incremental day", file=sys.stderr, flush=True)
    # The window as the scheduler passes it (scripts/fxa_run.py): environment variables.
    day_env = dict(env, FXA_START_DATE=str(last_day), FXA_END_DATE=str(last_day))
    incremental_day_s, _ = run([DBT, "run", "--exclude", "tag:raw_sample", *common], day_env, log)
    incremental_models_s = keep_run_results(work, "incremental_day")

    print("bench: baseline", file=sys.stderr, flush=True)
    with duckdb.connect(config={"threads": int(env.get("FXA_DUCKDB_THREADS", "2")),
                                "memory_limit": env.get("FXA_DUCKDB_MEMORY_LIMIT", "3GB"),
                                "temp_directory": env["FXA_DUCKDB_TEMP_DIR"]}) as con:
        started = time.monotonic()
        con.execute(baseline_query(export)).fetchall()
        baseline_s = time.monotonic() - started

    # A floor for any build that stages the events: read the five event tables and write
    # them unchanged into a DuckDB file, with the build's DuckDB settings.
    print("bench: landing the raw events unchanged", file=sys.stderr, flush=True)
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
        "users": args.users,
        "days": args.days,
        "events": events,
        "full_build_s": round(full_build_s, 1),
        "incremental_day_s": round(incremental_day_s, 1),
        "baseline_s": round(baseline_s, 2),
        "ratio_to_baseline": round(full_build_s / baseline_s, 2),
        "land_events_s": round(land_events_s, 1),
        "incremental_to_full": round(incremental_day_s / full_build_s, 3),
        "full_build_nodes_s": round(full_models_s, 1),
        "incremental_day_nodes_s": round(incremental_models_s, 1),
        "events_per_s": round(events / full_build_s),
        "peak_rss_mb": round(max(prep_rss, build_rss) / 2**20),
        "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
