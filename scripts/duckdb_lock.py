"""Explains DuckDB's lock error: which process holds the database file, and what to do.

DuckDB lets one process at a time open a database file for writing, and a read-only
connection cannot open it either while another process writes. A second process fails
with `IO Error: Could not set lock on file "<path>": Conflicting lock is held in
<program> (PID <pid>)`, which dbt prints among the rest of its output. This module finds
that message and explains it: the holder's command line (psutil), and how to proceed.

    python scripts/duckdb_lock.py run -- COMMAND [ARGS...]

runs COMMAND (a dbt command: the Makefile runs every DuckDB dbt command of `make build`
this way), its output going to the terminal as usual; when it fails, the part of dbt's
log file it wrote (logs/dbt.log, or --log-path / DBT_LOG_PATH) is searched for the lock
message, and the explanation is printed to stderr. The exit code is COMMAND's.
scripts/fxa_run.py explains the same message in the failures of the dbt commands it runs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

# In a text log the path is in plain quotes, in a JSON log (--log-format-file json) in
# escaped ones.
LOCK_ERROR = re.compile(
    r'Could not set lock on file \\?"(?P<path>[^"\\]+)\\?"'
    r'(?::\s*Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\))?'
)


def holder(pid: int) -> str:
    """What is known of process `pid`: its command line, user and start time."""
    try:
        import psutil

        process = psutil.Process(pid)
        command = " ".join(" ".join(process.cmdline()).split()) or process.name()
        command = command if len(command) <= 160 else command[:157] + "..."
        started = dt.datetime.fromtimestamp(process.create_time()).strftime("%Y-%m-%d %H:%M:%S")
        return f"PID {pid} ({process.username()}, started {started}): {command}"
    except ImportError:
        return f"PID {pid}"
    except Exception:  # noqa: BLE001 - gone since, or not ours to inspect
        return f"PID {pid} (no longer running, or not visible to this user)"


def holders_of(path: str) -> list[int]:
    """PIDs of the processes that have `path` open (when DuckDB's message names none)."""
    try:
        import psutil
    except ImportError:
        return []
    target = os.path.realpath(path)
    found = []
    for process in psutil.process_iter(["pid"]):
        try:
            if any(os.path.realpath(f.path) == target for f in process.open_files()):
                found.append(process.pid)
        except Exception:  # noqa: BLE001 - processes come and go, some are not ours
            continue
    return [pid for pid in found if pid != os.getpid()]


def explain(text: str) -> str | None:
    """The explanation of the first DuckDB lock error in `text`, None when there is none."""
    match = LOCK_ERROR.search(text)
    if match is None:
        return None
    path = match.group("path")
    pids = [int(match.group("pid"))] if match.group("pid") else holders_of(path)
    held = "\n".join(f"  held by {holder(pid)}" for pid in pids) or "  (the process holding it has exited since)"
    kill = f" (`kill {pids[0]}` if it is a stale run of yours)" if pids else ""
    return (
        f"\nThe DuckDB database {path} is locked by another process:\n{held}\n"
        "DuckDB lets one process at a time write a database file, and while one does, no other\n"
        "can open it, read-only or not: a dbt run, a Python shell or notebook, a DuckDB CLI or a\n"
        "SQL client (DBeaver, ...) holding a connection keeps the lock until it closes.\n"
        "To proceed, any of:\n"
        f"  - close that connection, or wait for that run to finish{kill}, then run the command again;\n"
        "  - build into another file: FXA_DUCKDB_PATH=target/scratch.duckdb make build;\n"
        "  - when you only read the marts, connect with duckdb.connect(path, read_only=True):\n"
        "    any number of read-only connections can share the file while nothing writes it."
    )


def log_file(command: list[str]) -> Path:
    """dbt's log file for this command line: --log-path, else DBT_LOG_PATH, else logs/."""
    directory = os.environ.get("DBT_LOG_PATH", "logs")
    for position, arg in enumerate(command):
        if arg == "--log-path" and position + 1 < len(command):
            directory = command[position + 1]
        elif arg.startswith("--log-path="):
            directory = arg.split("=", 1)[1]
    return Path(directory) / "dbt.log"


def run(command: list[str]) -> int:
    log = log_file(command)
    offset = log.stat().st_size if log.exists() else 0
    code = subprocess.call(command)
    if code != 0 and log.exists():
        with log.open("rb") as handle:
            handle.seek(offset if log.stat().st_size >= offset else 0)
            written = handle.read().decode("utf-8", "replace")
        explanation = explain(written)
        if explanation:
            print(explanation, file=sys.stderr)
    return code


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[:2] != ["run", "--"]:
        print(__doc__, file=sys.stderr)
        return 2
    return run(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
