"""Start, check and stop the local BigQuery emulator (crucible-emulator) used by the tests.

    python scripts/emulator.py run -- COMMAND [ARGS...]

starts `crucible serve` from .venv-emulator on 127.0.0.1:$FXA_EMULATOR_PORT (default 9050),
waits until its health endpoint answers, runs COMMAND, then stops the emulator whatever
COMMAND's outcome, and exits with COMMAND's exit code. The emulator keeps its state in
memory, so every run starts from an empty warehouse. Its log goes to target/emulator.log.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRUCIBLE = ROOT / ".venv-emulator" / "bin" / "crucible"


def health_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/_crucible/health"


def is_up(port: int) -> bool:
    try:
        with urllib.request.urlopen(health_url(port), timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start(port: int, log_path: Path, timeout_s: float = 60.0) -> subprocess.Popen:
    if not CRUCIBLE.exists():
        sys.exit(f"emulator: {CRUCIBLE} not found; run `make test-emulator` to install it")
    if is_up(port):
        sys.exit(
            f"emulator: something already answers on 127.0.0.1:{port}; stop it or set "
            "FXA_EMULATOR_PORT to a free port"
        )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [str(CRUCIBLE), "serve", "--dialect", "bigquery", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"emulator: exited with code {process.returncode} at start; see {log_path}")
        if is_up(port):
            print(f"emulator: up on 127.0.0.1:{port} (pid {process.pid})", flush=True)
            return process
        time.sleep(0.2)
    stop(process)
    sys.exit(f"emulator: no answer on {health_url(port)} after {timeout_s:.0f}s; see {log_path}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    print(f"emulator: stopped (pid {process.pid})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a command with the emulator up")
    run.add_argument("argv", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    args = parser.parse_args()

    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not argv:
        parser.error("run needs a command after --")
    port = int(os.environ.get("FXA_EMULATOR_PORT", "9050"))
    process = start(port, ROOT / "target" / "emulator.log")
    try:
        return subprocess.call(argv)
    finally:
        stop(process)


if __name__ == "__main__":
    sys.exit(main())
