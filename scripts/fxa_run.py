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
          summary. It stops at the first failing batch with the command to resume from
          it; --resume continues after the last batch that succeeded (state in
          target/backfill_state.json).
audit     runs every data test over the whole history (`dbt test`, no window): what the
          windowed runs leave out, for a weekly schedule or after a backfill.

Every daily and backfill batch first checks that the raw partitions of its dates have
landed (`dbt run-operation check_landed_data`: one query per event source, bounded to those
days) and stops, naming the source and the date, when one has not. Then `dbt build` runs
with the window in FXA_START_DATE / FXA_END_DATE / FXA_SNAPSHOT_DATE, so that data tests of
the incremental models read the window's partitions only; unit tests are left to CI
(`--exclude-resource-type unit_test`); a window that starts after the legacy flow logs'
last partition (var legacy_flow_logs_end_date) does not read them (tag legacy_flow_logs).

Extra arguments after `--` go to every dbt command, e.g. `-- --target bigquery`.
Exit code: 0 on success, 1 when a dbt command failed, 2 on bad arguments, 3 when the raw
data of a date has not landed yet (retry later).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).parent / "dbt")
# Where a failed backfill records how to resume (FXA_BACKFILL_STATE overrides, for tests).
STATE = Path(os.environ.get("FXA_BACKFILL_STATE", ROOT / "target" / "backfill_state.json"))
DEFAULT_LOOKBACK_DAYS = 2
NOT_LANDED = 3
WINDOW_VARS = ("start_date", "end_date", "snapshot_date")


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
    command = [DBT, "run-operation", "check_landed_data", "--args", arguments, *dbt_args]
    print("+ " + " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, env=dbt_env(start, end, end), capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode == 0:
        landed = re.search(r"raw data for .* has landed.*", output)
        print(landed.group(0) if landed else output.strip().splitlines()[-1] if output.strip() else "landed")
        return 0
    missing = re.search(r"raw data for .* has not landed: .*", output)
    if missing:
        print(missing.group(0), file=sys.stderr)
        return NOT_LANDED
    refused = re.search(r"Refusing the window .*", output)
    if refused:
        print(refused.group(0), file=sys.stderr)
        return 1
    print(output[-4000:], file=sys.stderr)
    return 1


def build_exclusions(start: dt.date, dbt_args: list[str]) -> list[str]:
    """Selectors left out of a windowed build: the raw sample loaders, and the legacy flow
    logs when the window starts after their last partition."""
    excluded = ["tag:raw_sample"]
    end_of_flow_logs = project_var("legacy_flow_logs_end_date", dbt_args)
    if end_of_flow_logs and start > dt.date.fromisoformat(str(end_of_flow_logs)):
        excluded.append("tag:legacy_flow_logs")
    return excluded


def dbt_build(start: dt.date, end: dt.date, snapshot: dt.date, dbt_args: list[str], quiet: bool) -> int:
    """`dbt build` of one window. The window goes in FXA_START_DATE, FXA_END_DATE and
    FXA_SNAPSHOT_DATE (read like vars start_date, end_date and snapshot_date, but only
    when models run), so the --vars stay the same from run to run and dbt keeps its
    partial parse."""
    command = [DBT, "build", "--exclude", *build_exclusions(start, dbt_args),
               "--exclude-resource-type", "unit_test", *dbt_args]
    if quiet:
        command.insert(2, "--quiet")
    print(f"+ FXA_START_DATE={start} FXA_END_DATE={end} FXA_SNAPSHOT_DATE={snapshot} " + " ".join(command),
          flush=True)
    return subprocess.call(command, cwd=ROOT, env=dbt_env(start, end, snapshot))


def run_window(start: dt.date, end: dt.date, snapshot: dt.date, dbt_args: list[str], quiet: bool,
               landed_from: dt.date | None = None) -> int:
    """The landed-data check of [landed_from or start, end], then the build of the window."""
    code = check_landed(landed_from or start, end, dbt_args)
    if code != 0:
        return code
    return dbt_build(start, end, snapshot, dbt_args, quiet)


def daily(args: argparse.Namespace) -> int:
    day = args.date or (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1))
    start = day - dt.timedelta(days=args.lookback_days)
    started = time.monotonic()
    # Only the new date must have landed: the lookback days were built before.
    code = run_window(start, day, day, args.dbt_args, quiet=False, landed_from=day)
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


def backfill(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    start, end = args.start, args.end
    if args.resume:
        if not STATE.exists():
            print(f"backfill: nothing to resume ({STATE} not found)", file=sys.stderr)
            return 2
        state = json.loads(STATE.read_text())
        start = parse_date(state["next_start"])
        end = parse_date(state["end"])
        print(f"backfill: resuming at {start} (range end {end})")
    if start is None or end is None:
        print("backfill: --start and --end are required (or --resume)", file=sys.stderr)
        return 2
    if end < start:
        print(f"backfill: --end {end} is before --start {start}", file=sys.stderr)
        return 2

    pending = batches(start, end, args.batch_days)
    STATE.parent.mkdir(parents=True, exist_ok=True)
    timings = []
    progress = tqdm(pending, unit="batch", desc="backfill", file=sys.stdout)
    for batch_start, batch_end in progress:
        progress.set_postfix_str(f"{batch_start}..{batch_end}")
        began = time.monotonic()
        code = run_window(batch_start, batch_end, batch_end, args.dbt_args, quiet=True)
        if code != 0:
            progress.close()
            STATE.write_text(json.dumps({"next_start": batch_start.isoformat(), "end": end.isoformat()}) + "\n")
            reason = "raw data not landed" if code == NOT_LANDED else f"exit code {code}"
            print(
                f"\nbackfill FAILED on batch {batch_start}..{batch_end} ({reason}).\n"
                f"Batches before it are built. Fix the cause, then resume with:\n"
                f"  python scripts/fxa_run.py backfill --resume"
                + (" -- " + " ".join(args.dbt_args) if args.dbt_args else ""),
                file=sys.stderr,
            )
            return NOT_LANDED if code == NOT_LANDED else 1
        timings.append(time.monotonic() - began)
        STATE.write_text(
            json.dumps({"next_start": (batch_end + dt.timedelta(days=1)).isoformat(), "end": end.isoformat()}) + "\n"
        )
    progress.close()
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
    env = {key: value for key, value in os.environ.items()
           if key not in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE")}
    env.setdefault("DBT_PROFILES_DIR", str(ROOT / ".profiles"))
    command = [DBT, "test", "--exclude", "tag:raw_sample", "--exclude-resource-type", "unit_test", *args.dbt_args]
    print("+ " + " ".join(command), flush=True)
    code = subprocess.call(command, cwd=ROOT, env=env)
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
    daily_parser.add_argument("--lookback-days", type=int, default=DEFAULT_LOOKBACK_DAYS)
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
    if getattr(args, "lookback_days", 0) < 0:
        parser.error("--lookback-days must not be negative")
    clash = [name for name in WINDOW_VARS if name in user_vars(dbt_args)]
    if clash:
        parser.error(f"do not pass {', '.join(clash)} in --vars: the dates come from this command's options")
    return {"daily": daily, "backfill": backfill, "audit": audit}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
