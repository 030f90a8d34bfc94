"""Hostile input, planted on a generated export: nothing lost, nothing leaked, no halted run.

One class of defect per planted set of rows (docs/bad_input.md, cases 16-24 and 29). The right
outcome of each was worked out by hand from the rule it tests, not read off the models.
Two DuckDB databases are built from the same final export:

* FULL: one full build (`dbt build`, every data test);
* DAILY: `dbt build` of one window at a time, as scheduled (the date and the two before
  it), over the dates in a shuffled order with repeats, then the re-runs an operator
  makes: a late partition lands for an old date and that date is re-run; a day is
  re-delivered empty and re-run.

Every daily build must pass (a bad row may not halt the pipeline), every model built
from events must be identical in both databases row for row, and an audit of the daily
database (every data test, no window) must pass, which includes raw = kept + duplicates
+ quarantined for every source.

Dates: the export runs 2024-05-27..2024-06-03 (legacy events until 06-01, Glean from
05-30); the Glean cutover is 05-31.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, table_differences

DBT = str(Path(sys.executable).parent / "dbt")
UTC = dt.timezone.utc
START = dt.date(2024, 5, 27)
DAYS = 8
CUTOVER = dt.date(2024, 5, 31)
# Glean days of the planted classes.
REDELIVERED_FROM, REDELIVERED_TO = dt.date(2024, 5, 31), dt.date(2024, 6, 3)   # 3 days later
LATE_DAY = dt.date(2024, 6, 1)          # its logins land late and the date is re-run
EMPTY_DAY = dt.date(2024, 6, 2)         # re-delivered with no Glean rows, then re-run
PLANT_DAY = dt.date(2024, 6, 1)         # most planted single rows
DAILY_ORDER = [0, 2, 1, 3, 4, 6, 5, 7, 3, 7]   # day offsets: shuffled, with repeats
EMAIL = "jane.doe@example.com"
RAW_UID = "0123456789abcdef" * 2
UUID = "d2f1e0c4-5b6a-4c3d-9e8f-7a6b5c4d3e2f"   # a Glean client id's shape
EMOJI = "\U0001F3F4\u200d\u2620"
DATA_SCHEMAS = ("fxa_staging", "fxa_intermediate", "fxa_marts")


def read_rows(table_dir: Path) -> tuple[list[dict], pa.Schema]:
    table = pq.ParquetDataset(table_dir).read()
    return table.to_pylist(), table.schema


def write_rows(path: Path, rows: list[dict], schema: pa.Schema) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def day_of(row: dict, column: str = "submission_timestamp") -> dt.date:
    return row[column].astimezone(UTC).date()


def copy_event(row: dict, event_id: str, **changes) -> dict:
    planted = copy.deepcopy(row)
    planted["event_id"] = planted["document_id"] = event_id
    for key, value in changes.items():
        if key.startswith("string__"):
            planted["metrics"]["string"][key[len("string__"):]] = value
        elif key == "country":
            planted["metadata"]["geo"]["country"] = value
        else:
            planted[key] = value
    return planted


def plant(raw: Path) -> dict:
    """Plants every class into the export; returns what the checks need to know."""
    facts: dict = {}
    backend_dir = raw / "accounts_backend" / "events_stream"
    frontend_dir = raw / "accounts_frontend" / "events_stream"
    backend, backend_schema = read_rows(backend_dir)
    frontend, frontend_schema = read_rows(frontend_dir)

    def counted(row) -> bool:   # the copies planted below must be traffic the marts count
        return row["client_info"]["app_channel"] == "production" and not row["is_bot_generated"]

    def first(rows, event, day, **where):
        for row in rows:
            if row["event"] == event and day_of(row) == day and row["metrics"]["string"]["account_user_id_sha256"] \
                    and counted(row) and all(row["metrics"]["string"].get(k) == v for k, v in where.items()):
                return row
        raise AssertionError(f"the export has no {event} on {day}")

    planted_backend = []
    # 1. the same Glean event re-delivered three days after its first copy
    original = first(backend, "login.complete", REDELIVERED_FROM)
    planted_backend.append(dict(copy.deepcopy(original), submission_timestamp=original["submission_timestamp"]
                                + dt.timedelta(days=(REDELIVERED_TO - REDELIVERED_FROM).days)))
    facts["redelivered_event_id"] = original["event_id"]
    # 2. free text in the service field, no client id
    login = first(backend, "login.complete", PLANT_DAY)
    for name, service in (("free-text-email", EMAIL), ("free-text-uid", RAW_UID), ("free-text-uuid", UUID)):
        planted_backend.append(copy_event(login, f"case-{name}", string__relying_party_oauth_client_id=None,
                                          string__relying_party_service=service))
    # 5. no event name
    planted_backend.append(copy_event(login, "case-null-event-name", event=None, event_category=None, event_name=None))
    # 9. a country that is no code, on a completed registration (reaches the signups mart)
    registration = first(backend, "reg.complete", PLANT_DAY)
    planted_backend.append(copy_event(registration, "case-emoji-country", country=EMOJI))
    facts["emoji_user"] = registration["metrics"]["string"]["account_user_id_sha256"]
    # 29. free text in the attribution fields of a signup whose flow has no other event:
    # an email as utm_source, a uid as entrypoint, a padded upper-case medium, a long campaign
    planted_backend.append(copy_event(
        registration, "case-free-text-utm", string__session_flow_id="6d" * 32,
        string__account_user_id_sha256=hashlib.sha256(b"case-free-text-utm").hexdigest(),
        string__session_entrypoint=RAW_UID, string__utm_source=EMAIL, string__utm_medium="\t EMail \u00a0",
        string__utm_campaign="Spring-" + "x" * 300))
    write_rows(backend_dir / "planted.parquet", planted_backend, backend_schema)

    # 3. a 1970 client clock on one frontend event of a Glean flow
    flow_row = next(r for r in frontend if day_of(r) == PLANT_DAY and r["event"] == "email.first_view"
                    and r["metrics"]["string"]["session_flow_id"] and counted(r))
    facts["skewed_flow"] = flow_row["metrics"]["string"]["session_flow_id"]
    planted_frontend = [copy_event(flow_row, "case-1970-clock",
                                   event_timestamp=dt.datetime(1970, 1, 1, tzinfo=UTC))]
    # 7. a flow whose only frontend event is no funnel step: a completed login planted with
    # a flow id of its own (so no frontend step of the export belongs to it)
    facts["non_step_flow"] = "7e" * 32
    lost = copy_event(login, "case-non-step-backend", string__session_flow_id=facts["non_step_flow"])
    planted_backend.append(lost)
    non_step = copy_event(flow_row, "case-non-step-frontend", event="login.engage",
                          event_category="login", event_name="engage",
                          submission_timestamp=lost["submission_timestamp"] - dt.timedelta(minutes=1),
                          event_timestamp=lost["event_timestamp"] - dt.timedelta(minutes=1),
                          string__session_flow_id=facts["non_step_flow"])
    planted_frontend.append(non_step)
    write_rows(backend_dir / "planted.parquet", planted_backend, backend_schema)
    # 2. free text as the event name of an event in a flow (not a step: its name is unchecked)
    planted_frontend.append(copy_event(flow_row, "case-free-text-event", event=EMAIL))
    write_rows(frontend_dir / "planted.parquet", planted_frontend, frontend_schema)

    # 4. a legacy completed login dated 1970 (a broken server clock)
    legacy_dir = raw / "firefox_accounts" / "fxa_all_events"
    legacy, legacy_schema = read_rows(legacy_dir)
    legacy_login = next(r for r in legacy if r["event_type"] == "fxa_login - complete" and r["user_id"])
    epoch = dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    write_rows(legacy_dir / "planted.parquet", [dict(legacy_login, timestamp=epoch, receiveTimestamp=epoch,
                                                     event_time=epoch, device_id="planted-1970")], legacy_schema)

    # 4. a flow-log row with no time: windows after the logs' last partition do not read the
    # logs, yet the row must stay quarantined whatever dates were run
    auth_dir = raw / "firefox_accounts_derived" / "fxa_log_auth_events_v1"
    auth_rows, auth_schema = read_rows(auth_dir)
    write_rows(auth_dir / "planted.parquet", [dict(auth_rows[0], timestamp=None)], auth_schema)

    # 5. a trailing space on a client id of the OAuth clients replica; two accounts without a uid
    clients_file = raw / "accounts_db_external" / "fxa_oauth_clients_v1" / "000000.parquet"
    clients, clients_schema = read_rows(clients_file.parent)
    facts["spaced_client"] = clients[0]["id"].lower()
    clients[0]["id"] = clients[0]["id"] + " "
    write_rows(clients_file, clients, clients_schema)
    accounts_dir = raw / "accounts_db_external" / "fxa_accounts_v1"
    accounts, accounts_schema = read_rows(accounts_dir)
    write_rows(accounts_dir / "planted.parquet", [dict(accounts[0], uid=None), dict(accounts[1], uid=None)],
               accounts_schema)
    return facts


def dbt(args: list[str], db: Path, raw: Path, window: tuple[dt.date, dt.date] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE")}
    env.update(DBT_PROFILES_DIR=str(ROOT / ".profiles"), FXA_DUCKDB_PATH=str(db),
               FXA_DUCKDB_TEMP_DIR=str(db.parent / "duckdb_tmp"))
    if window:
        env.update(FXA_START_DATE=window[0].isoformat(), FXA_END_DATE=window[1].isoformat())
    variables = {"raw_data_dir": str(raw), "glean_cutover_date": CUTOVER.isoformat()}
    command = [DBT, *args, "--vars", json.dumps(variables), "--target-path", str(db.parent / f"target_{db.stem}"),
               "--log-path", str(db.parent / f"logs_{db.stem}")]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def failures(result: subprocess.CompletedProcess) -> list[str]:
    return re.findall(r"(?:Failure|Error) in (?:test|model|unit_test) (\S+)", result.stdout) or (
        [result.stdout[-2000:]] if result.returncode else [])


def move_aside(files: list[Path], store: Path) -> None:
    store.mkdir(exist_ok=True)
    for path in files:
        os.replace(path, store / f"{path.parent.parent.name}__{path.parent.name}__{path.name}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("hostile")
    raw = work / "export"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet",
                    "--out", str(raw), "--users", "80", "--days", str(DAYS), "--start-date", START.isoformat()],
                   check=True, capture_output=True)
    facts = plant(raw)
    backend_dir = raw / "accounts_backend" / "events_stream"

    # The late partition: the completed logins of LATE_DAY are held back at first.
    late_file = backend_dir / f"{LATE_DAY}.parquet"
    day_table = pq.read_table(late_file)
    is_login = [e == "login.complete" for e in day_table.column("event").to_pylist()]
    held_back = day_table.filter(pa.array(is_login))
    assert held_back.num_rows > 0
    pq.write_table(day_table.filter(pa.array([not x for x in is_login])), late_file)

    daily = work / "daily.duckdb"
    runs: list[tuple[str, subprocess.CompletedProcess]] = []

    def run_day(day: dt.date, label: str) -> None:
        window = (max(START, day - dt.timedelta(days=2)), day)
        runs.append((label, dbt(["build", "--exclude", "tag:raw_sample", "--exclude-resource-type", "unit_test"],
                                daily, raw, window)))

    for args in (["seed", "--exclude", "tag:raw_sample"], ["run-operation", "prepare_raw_sources"]):
        assert dbt(args, daily, raw).returncode == 0
    for offset in DAILY_ORDER:
        day = START + dt.timedelta(days=offset)
        run_day(day, f"daily {day}")
    # The late partition lands; the operator re-runs its date.
    pq.write_table(held_back, backend_dir / f"late-{LATE_DAY}.parquet")
    run_day(LATE_DAY, f"re-run of {LATE_DAY} after its late partition")
    # EMPTY_DAY is re-delivered with no Glean rows at all; the operator re-runs it.
    move_aside(sorted(raw.glob(f"accounts_*/events_stream/{EMPTY_DAY}.parquet")), work / "withdrawn")
    run_day(EMPTY_DAY, f"re-run of {EMPTY_DAY} re-delivered empty")
    audit = dbt(["test", "--exclude", "tag:raw_sample", "--exclude-resource-type", "unit_test"], daily, raw)

    full = work / "full.duckdb"
    full_runs = [dbt(args, full, raw) for args in (["seed", "--exclude", "tag:raw_sample"],
                                                     ["run-operation", "prepare_raw_sources"],
                                                     ["build", "--exclude", "tag:raw_sample"])]
    return {"full": full, "daily": daily, "runs": runs, "audit": audit, "full_runs": full_runs, **facts}


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def tables(db: Path) -> list[tuple[str, str]]:
    return query(db, "select table_schema, table_name from information_schema.tables where table_schema in "
                     f"({', '.join(repr(s) for s in DATA_SCHEMAS)}) order by 1, 2")


# ------------------------------------------------------------------------- the pipeline


def test_no_build_halts_on_a_bad_row(built):
    halted = {label: failures(result) for label, result in built["runs"] if result.returncode != 0}
    assert halted == {}, f"daily builds that failed: {halted}"
    assert [r.returncode for r in built["full_runs"]] == [0, 0, 0], failures(built["full_runs"][-1])


def test_the_audit_of_the_daily_database_passes(built):
    """Every data test over the whole history, raw = kept + duplicates + quarantined included."""
    assert built["audit"].returncode == 0, failures(built["audit"])
    assert "raw_rows_accounted_for" in built["audit"].stdout


def test_daily_runs_in_any_order_equal_a_full_refresh(built):
    compared = tables(built["full"])
    assert len(compared) > 35
    differing = table_differences(built["full"], built["daily"], compared)
    assert differing == {}, "rows only in the full build, only in the daily runs"


# ------------------------------------------------------------------------- class by class


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_1_a_copy_redelivered_days_later_is_a_known_duplicate(built, db):
    rows = query(built[db], "select submission_date from fxa_staging.stg_accounts_backend__events where event_id = ?",
                 [built["redelivered_event_id"]])
    assert rows == [(REDELIVERED_FROM,)]


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_2_free_text_never_becomes_a_relier(built, db):
    assert query(built[db], "select relier_id from fxa_intermediate.int_account_events where event_id in "
                            "('case-free-text-email', 'case-free-text-uid', 'case-free-text-uuid')") == [
        ("unknown_service",)] * 3
    assert query(built[db], "select relying_party_service, has_invalid_service from "
                            "fxa_staging.stg_accounts_backend__events where event_id = 'case-free-text-email'") == [
        (None, True)]
    leaks = []
    with duckdb.connect(str(built[db]), read_only=True) as con:
        for schema, table in tables(built[db]):
            if schema == "fxa_staging":   # staging keeps raw event names; its service was checked above
                continue
            columns = [c for c, t in con.execute(
                "select column_name, data_type from information_schema.columns where table_schema = ? "
                "and table_name = ?", [schema, table]).fetchall() if t == "VARCHAR"]
            for column in columns:
                found = con.execute(f'select count(*) from {schema}.{table} where "{column}" like ? '
                                    f'or "{column}" in (?, ?)', ["%@example.com%", RAW_UID, UUID]).fetchone()[0]
                if found:
                    leaks.append(f"{schema}.{table}.{column}")
    assert leaks == []


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_29_attribution_free_text_is_bounded(built, db):
    """The signup's first touch keeps what FxA accepts, trimmed, lower-cased and cut to 128
    characters; an email or a uid is NULL (and the leak check of class 2 finds neither)."""
    assert query(built[db], "select entrypoint, utm_source, utm_medium, utm_campaign, signups "
                            "from fxa_marts.fct_relier_signup_attribution_daily where utm_campaign like 'spring-%'") == [
        (None, None, "email", "spring-" + "x" * 121, 1)]


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_3_a_1970_client_clock_keeps_its_flow(built, db):
    flows = query(built[db], "select source_system, flow_start_date from fxa_intermediate.int_flows where flow_id = ?",
                  [built["skewed_flow"]])
    assert flows == [("glean", PLANT_DAY)]
    assert query(built[db], "select event_at = submitted_at, has_implausible_event_time from "
                            "fxa_staging.stg_accounts_frontend__events where event_id = 'case-1970-clock'") == [
        (True, True)]


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_4_a_1970_row_is_quarantined_and_every_day_has_active_users(built, db):
    days = query(built[db], "select submission_date, dau, mau from fxa_marts.fct_active_users_daily order by 1")
    assert [d for d, _, _ in days] == [START + dt.timedelta(days=k) for k in range(DAYS)]
    # EMPTY_DAY has no events left: nobody is active that day, but the month still counts them.
    quiet = {d: (dau, mau) for d, dau, mau in days}[EMPTY_DAY]
    assert quiet[0] == 0 and quiet[1] > 0
    reasons = query(built[db], "select source_table, quarantine_reason from fxa_intermediate.int_quarantined_event_rows "
                               "where source_table like 'firefox_accounts%' order by 1")
    assert reasons == [("firefox_accounts.fxa_all_events", "submission time before history start"),
                       ("firefox_accounts_derived.fxa_log_auth_events_v1", "missing submission time")]


def test_class_5_bad_single_values_are_quarantined_or_normalised(built):
    db = built["daily"]
    assert ("accounts_backend.events_stream", "case-null-event-name", "missing event name") in query(
        db, "select source_table, source_row_id, quarantine_reason from fxa_intermediate.int_quarantined_event_rows")
    assert query(db, "select count(*) from fxa_staging.stg_accounts_db_external__oauth_clients "
                     "where oauth_client_id = ?", [built["spaced_client"]]) == [(1,)]
    null_hash = hashlib.sha256(b"<null>").hexdigest()
    assert query(db, "select quarantine_reason, replica_rows from "
                     "fxa_staging.stg_accounts_db_external__quarantined_accounts where raw_uid_sha256 = ?",
                 [null_hash]) == [("missing uid", 2)]


def test_class_6_a_rerun_date_leaves_later_dates_and_empty_days_as_a_full_refresh(built):
    """The late logins count on their date, later dates' 28-day state follows (compared in
    full above), and the day re-delivered empty has no staged events left."""
    for db in ("full", "daily"):
        assert query(built[db], "select count(*) from fxa_staging.stg_accounts_backend__events "
                                "where submission_date = ?", [EMPTY_DAY]) == [(0,)]
    logins = [query(built[db], "select sum(logins) from fxa_marts.fct_relier_logins_daily where submission_date = ?",
                    [LATE_DAY]) for db in ("full", "daily")]
    assert logins[0] == logins[1]


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_7_a_flow_with_only_non_step_frontend_events_had_its_frontend(built, db):
    assert query(built[db], "select has_frontend_events, has_backend_events from fxa_intermediate.int_flows "
                            "where flow_id = ?", [built["non_step_flow"]]) == [(True, True)]


@pytest.mark.parametrize("db", ["full", "daily"])
def test_class_9_every_mart_value_is_in_its_domain(built, db):
    bad = []
    with duckdb.connect(str(built[db]), read_only=True) as con:
        for (table,) in con.execute("select table_name from information_schema.tables "
                                    "where table_schema = 'fxa_marts'").fetchall():
            columns = {c for (c,) in con.execute("select column_name from information_schema.columns where "
                                                 "table_schema = 'fxa_marts' and table_name = ?", [table]).fetchall()}
            if "country_code" in columns:
                bad += con.execute(f"select '{table}', country_code from fxa_marts.{table} where country_code is not null "
                                   "and not regexp_full_match(country_code, '[A-Z]{2}')").fetchall()
            if "relier_id" in columns:
                bad += con.execute(
                    f"select '{table}', relier_id from fxa_marts.{table} where not (regexp_full_match(relier_id, "
                    "'[0-9a-f]{16}') or relier_id in ('unattributed', 'unknown_service') or "
                    "(regexp_full_match(relier_id, '[a-z][a-z0-9]*([-_][a-z0-9]+)*') and length(relier_id) <= 40 "
                    "and not regexp_matches(relier_id, '[0-9a-f]{8}')))"
                ).fetchall()
            for column in columns & {"entrypoint", "utm_source", "utm_medium", "utm_campaign"}:
                bad += con.execute(f"select '{table}', {column} from fxa_marts.{table} where {column} is not null "
                                   f"and not regexp_full_match({column}, '[a-z0-9_/.%:+-]{{1,128}}')").fetchall()
            for column in columns & {"submission_date", "flow_start_date", "signup_date", "cohort_date"}:
                bad += con.execute(f"select '{table}', {column} from fxa_marts.{table} "
                                   f"where {column} not between ? and ?",
                                   [START - dt.timedelta(days=7), START + dt.timedelta(days=DAYS)]).fetchall()
    assert bad == []
    signup_countries = query(built[db], "select country_code from fxa_intermediate.int_account_events "
                                        "where event_id = 'case-emoji-country'")
    assert signup_countries == [(None,)]
