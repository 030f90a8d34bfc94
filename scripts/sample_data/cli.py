"""Command line of the generator: ``python scripts/generate_sample_data.py ...`` (or, with
``scripts`` on the path, ``python -m sample_data ...``).

The run checks the schema contract (``contract.py``) and the event catalogue
(``catalogue.py``) before it simulates anything: a disagreement exits with status 2 and
writes no file. The row count of every table goes to stdout.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .catalogue import CATALOGUE_PATH, CatalogueError, check_catalogue
from .contract import ContractError, build_layouts
from .pipeline import generate
from .sources import SOURCES

PERIOD_HELP = """\
Periods (relative to --start-date, so other dates/lengths work):
  cutover day  = start + floor(0.4 * days) (min. 1); 2024-06-01 for the defaults, which is
                 the project's default var glean_cutover_date. Pass the matching var to dbt
                 when you change --start-date or --days.
  legacy       = firefox_accounts.fxa_all_events and firefox_accounts_derived.fxa_log_*:
                 days 0 .. cutover+2 (inclusive; partitioned on `timestamp`).
  Glean        = accounts_{frontend,backend}.events_stream: days 3 .. days-1
                 (partitioned on `submission_timestamp`).
  The periods overlap on days 3 .. cutover+2; rows that would fall outside the window
  (e.g. next-day submissions of the last day) are dropped, as a daily extract would.
  Accounts DB tables (accounts_db_external.*) hold the state at the end of the window.

Outputs:
  csv      OUT/<dataset>__<table>.csv plus OUT/_sample__seeds.yml (dbt seeds; empty cell
           = NULL, '' = empty string, all columns typed string).
  parquet  OUT/<dataset>/<table>/<YYYY-MM-DD>.parquet per partition day for event tables,
           OUT/accounts_db_external/<table>/000000.parquet for the DB tables (BigQuery
           EXPORT DATA layout, nested STRUCTs, TIMESTAMP UTC, NUMERIC as decimal(38,9)).
"""


def parse_args(argv=None):
    project = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(
        description="Generate consistent synthetic Mozilla accounts raw data (Glean, legacy logs, "
                    "accounts DB) with the columns declared in models/staging/*/_*__sources.yml.",
        epilog=PERIOD_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("csv", "parquet"), required=True)
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--start-date", default="2024-05-27", help="first UTC day (default %(default)s)")
    parser.add_argument("--days", type=int, default=14, help="number of days (default %(default)s, min 4)")
    parser.add_argument("--users", type=int, default=300, help="number of people (default %(default)s)")
    parser.add_argument("--seed", type=int, default=20240527, help="random seed (default %(default)s)")
    parser.add_argument("--project-dir", default=str(project),
                        help="dbt project root holding models/staging (default: the repo of this script)")
    parser.add_argument("--event-catalogue", default=None,
                        help=f"event catalogue CSV the generator is checked against "
                             f"(default: PROJECT_DIR/{CATALOGUE_PATH.as_posix()})")
    args = parser.parse_args(argv)
    if args.days < 4:
        parser.error("--days must be at least 4 (Glean data starts on day 3)")
    if args.users < 10:
        parser.error("--users must be at least 10")
    try:
        dt.datetime.strptime(args.start_date, "%Y-%m-%d")
    except ValueError:
        parser.error("--start-date must be YYYY-MM-DD")
    if args.event_catalogue is None:
        args.event_catalogue = str(Path(args.project_dir) / CATALOGUE_PATH)
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        layouts = build_layouts(args.project_dir, SOURCES)
        check_catalogue(args.event_catalogue)
        world, counts = generate(args, layouts)
    except CatalogueError as exc:
        print(f"error: event catalogue: {exc}", file=sys.stderr)
        return 2
    except ContractError as exc:
        print(f"error: schema contract: {exc}", file=sys.stderr)
        return 2
    for key in sorted(counts):
        print(f"{key[0]}.{key[1]}: {counts[key]} rows")
    return 0
