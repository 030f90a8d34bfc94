"""What the real tables mean, planted on a generated export and built once (issue 13).

Each planted row carries a quirk of Mozilla's real data that the sample's defaults would
never show, and the right outcome was worked out by hand from the rule:

* Glean rows of the stage and development deployments (`client_info.app_channel`), with no
  channel, and a bot: kept in staging, flagged, counted nowhere past it; a flow with one
  stage event is left out whole;
* a legacy completed login whose country name no lookup knows but whose `country_code`
  column holds the code, and one whose name differs from the lookup in case and spaces;
* a token check carrying geo (the relier's server): NULL country past staging;
* a Google signup, complete only through `third_party_auth.google_reg_complete`, whose
  account is in the database: a signup, matched in the reconciliation;
* a bot's registration of an account that is in the database: counted apart in the
  reconciliation, not as lost telemetry;
* a login started from the email-first page's Google button: a third-party flow.

Dates: the export runs 2024-05-27..2024-06-03 (legacy until 06-01, Glean from 05-30); the
cutover is 05-31; Glean rows are planted on 06-01, legacy rows on 05-29.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

DBT = str(Path(sys.executable).parent / "dbt")
UTC = dt.timezone.utc
START = dt.date(2024, 5, 27)
CUTOVER = dt.date(2024, 5, 31)
GLEAN_DAY = dt.date(2024, 6, 1)
LEGACY_DAY = dt.date(2024, 5, 29)
MONITOR = "802d56ef2a9af9fa"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def read_rows(table_dir: Path) -> tuple[list[dict], pa.Schema]:
    table = pq.ParquetDataset(table_dir).read()
    return table.to_pylist(), table.schema


def write_rows(path: Path, rows: list[dict], schema: pa.Schema) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def glean_event(template: dict, event_id: str, event: str, at: dt.datetime, *, channel="production", bot=False,
                user="", flow="", client=MONITOR, service=MONITOR, country="DE") -> dict:
    row = copy.deepcopy(template)
    category, name = event.split(".", 1)
    row.update(event_id=event_id, document_id=event_id, event=event, event_category=category, event_name=name,
               submission_timestamp=at + dt.timedelta(seconds=2), event_timestamp=at, is_bot_generated=bot,
               event_extra=None)
    row["client_info"]["app_channel"] = channel
    row["metadata"]["geo"]["country"] = country
    strings = row["metrics"]["string"]
    strings.update(account_user_id_sha256=user, account_user_id="", session_flow_id=flow,
                   relying_party_oauth_client_id=client, relying_party_service=service)
    return row


def plant(raw: Path) -> dict:
    facts: dict = {}
    at = dt.datetime.combine(GLEAN_DAY, dt.time(10, 0), tzinfo=UTC)
    backend_dir = raw / "accounts_backend" / "events_stream"
    frontend_dir = raw / "accounts_frontend" / "events_stream"
    backend, backend_schema = read_rows(backend_dir)
    frontend, frontend_schema = read_rows(frontend_dir)
    be_template = next(r for r in backend if r["event"] == "login.complete")
    fe_template = next(r for r in frontend if r["event"] == "email.first_view")

    # the accounts of the Google signup and of the bot's signup are in the database (uid:
    # 32 hex, the replica's shape; the events carry its SHA-256)
    uids = {name: hashlib.md5(name.encode()).hexdigest() for name in ("google", "bot-signup")}
    users = {name: sha256_hex(f"planted-{name}") for name in
             ("stage", "development", "no-channel", "bot", "checker", "email-first")}
    users.update({name: sha256_hex(uid) for name, uid in uids.items()})
    facts["users"] = users
    facts["excluded_users"] = [users[k] for k in ("stage", "development", "no-channel", "bot")]
    planted_backend = [
        glean_event(be_template, "stage-login", "login.complete", at, channel="stage", user=users["stage"]),
        glean_event(be_template, "development-login", "login.complete", at, channel="development",
                    user=users["development"]),
        glean_event(be_template, "no-channel-login", "login.complete", at, channel=None, user=users["no-channel"]),
        glean_event(be_template, "bot-login", "login.complete", at, bot=True, user=users["bot"]),
        glean_event(be_template, "padded-production-login", "login.complete", at, channel="\tProduction \n",
                    user=users["checker"]),
        # whitespace other than spaces: trimmed alike on both engines (DuckDB's trim() strips spaces only)
        glean_event(be_template, "tab-padded-service", "login.complete", at, user=users["checker"], client="",
                    service="\tsync\u00a0"),
        dict(glean_event(be_template, "tab-only-event-name", "login.complete", at, user=users["checker"]),
             event="\t\u00a0 "),
        glean_event(be_template, "checked-with-geo", "access_token.checked", at, user=users["checker"],
                    country="US"),
        glean_event(be_template, "google-signup", "third_party_auth.google_reg_complete", at,
                    user=users["google"], flow="a1" * 32, country="FR"),
        glean_event(be_template, "bot-signup", "reg.complete", at, bot=True, user=users["bot-signup"],
                    flow="b2" * 32),
        glean_event(be_template, "mixed-login-complete", "login.complete", at + dt.timedelta(seconds=30),
                    user=users["email-first"], flow="e5" * 32),
        glean_event(be_template, "email-first-google-complete", "third_party_auth.google_login_complete",
                    at + dt.timedelta(seconds=40), user=users["email-first"], flow="c3" * 32),
    ]
    write_rows(backend_dir / "planted.parquet", planted_backend, backend_schema)
    planted_frontend = [
        glean_event(fe_template, "email-first-view", "email.first_view", at, flow="c3" * 32),
        glean_event(fe_template, "email-first-google-start", "email.first_google_oauth_start",
                    at + dt.timedelta(seconds=5), flow="c3" * 32),
        glean_event(fe_template, "stage-reg-view", "reg.view", at, channel="stage", flow="d4" * 32),
        glean_event(fe_template, "mixed-login-view", "login.view", at, channel="stage", flow="e5" * 32),
    ]
    write_rows(frontend_dir / "planted.parquet", planted_frontend, frontend_schema)
    facts["stage_flow"] = "d4" * 32
    facts["mixed_flow"] = "e5" * 32
    facts["email_first_flow"] = "c3" * 32
    facts["google_start_at"] = (at + dt.timedelta(seconds=5)).replace(tzinfo=None)   # int_flows: UTC, naive

    # legacy logins: a name no lookup knows with its code; a name in odd case and spacing
    legacy_dir = raw / "firefox_accounts" / "fxa_all_events"
    legacy, legacy_schema = read_rows(legacy_dir)
    login = next(r for r in legacy if r["event_type"] == "fxa_login - complete" and r["user_id"])
    legacy_at = dt.datetime.combine(LEGACY_DAY, dt.time(9, 0), tzinfo=UTC)
    planted_legacy = []
    for device, country, code in (("planted-code", "Republic of Atlantis", "AQ"),
                                  ("planted-name", "  united \t KINGDOM\u00a0", None),
                                  ("planted-no-iso-code", "Germany", "uk")):
        planted_legacy.append(dict(login, timestamp=legacy_at, receiveTimestamp=legacy_at, event_time=legacy_at,
                                   device_id=device, country=country, country_code=code, service="sync",
                                   oauth_client_id=None, user_id=sha256_hex(device)))
    write_rows(legacy_dir / "planted.parquet", planted_legacy, legacy_schema)

    accounts_dir = raw / "accounts_db_external" / "fxa_accounts_v1"
    accounts, accounts_schema = read_rows(accounts_dir)
    write_rows(accounts_dir / "planted.parquet",
               [dict(accounts[0], uid=uid, createdAt=at, normalizedEmail=f"{name}@example.com",
                     email=f"{name}@example.com") for name, uid in uids.items()], accounts_schema)
    return facts


def dbt(args: list[str], db: Path, raw: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE")}
    env.update(DBT_PROFILES_DIR=str(ROOT / ".profiles"), FXA_DUCKDB_PATH=str(db),
               FXA_DUCKDB_TEMP_DIR=str(db.parent / "duckdb_tmp"))
    variables = {"raw_data_dir": str(raw), "glean_cutover_date": CUTOVER.isoformat()}
    command = [DBT, *args, "--vars", json.dumps(variables), "--target-path", str(db.parent / "target"),
               "--log-path", str(db.parent / "logs")]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("semantics")
    raw = work / "export"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--format", "parquet",
                    "--out", str(raw), "--users", "40", "--days", "8", "--start-date", START.isoformat()],
                   check=True, capture_output=True)
    facts = plant(raw)
    db = work / "semantics.duckdb"
    for args in (["seed", "--exclude", "tag:raw_sample"], ["run-operation", "prepare_raw_sources"],
                 ["build", "--exclude", "tag:raw_sample", "--exclude-resource-type", "unit_test"]):
        result = dbt(args, db, raw)
        assert result.returncode == 0, f"dbt {args[0]} failed:\n{result.stdout[-6000:]}"
    return {"db": db, "raw": raw, **facts}


def query(built: dict, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(built["db"]), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_staging_keeps_every_deployment_and_the_bot_with_flags(built):
    assert sorted(query(built, """
        select event_id, app_channel, is_bot_generated, is_counted_traffic from fxa_staging.stg_accounts_backend__events
        where event_id in ('stage-login', 'development-login', 'no-channel-login', 'bot-login',
                           'padded-production-login')""")) == [
        ("bot-login", "production", True, False),
        ("development-login", "development", False, False),
        ("no-channel-login", None, False, False),
        ("padded-production-login", "production", False, True),
        ("stage-login", "stage", False, False),
    ]


def test_non_production_and_bot_traffic_reaches_no_model_past_staging(built):
    excluded = built["excluded_users"]
    placeholders = ", ".join("?" * len(excluded))
    assert query(built, f"select count(*) from fxa_intermediate.int_account_events "
                        f"where user_id_sha256 in ({placeholders})", excluded) == [(0,)]
    assert query(built, f"select count(*) from fxa_intermediate.int_user_activity_daily "
                        f"where user_id_sha256 in ({placeholders})", excluded) == [(0,)]
    # a flow with any event of another deployment is left out whole, also when its other
    # events are production (no fake frontend loss)
    assert query(built, "select count(*) from fxa_intermediate.int_flows where flow_id in (?, ?)",
                 [built["stage_flow"], built["mixed_flow"]]) == [(0,)]
    assert query(built, "select count(*) from fxa_intermediate.int_flow_events where flow_id = ? "
                        "and not is_counted_traffic", [built["mixed_flow"]]) == [(1,)]


def test_logins_mart_counts_exactly_the_production_human_logins(built):
    """The mart's logins on the planted day equal the distinct production, non-bot
    login.complete events of the raw export, counted here from the Parquet files."""
    rows, _ = read_rows(built["raw"] / "accounts_backend" / "events_stream")
    expected = len({r["event_id"] for r in rows if r["event"] == "login.complete"
                    and r["submission_timestamp"].astimezone(UTC).date() == GLEAN_DAY
                    and (r["client_info"]["app_channel"] or "").strip().lower() == "production"
                    and not r["is_bot_generated"]})
    assert expected > 0
    assert query(built, "select sum(logins) from fxa_marts.fct_relier_logins_daily where submission_date = ?",
                 [GLEAN_DAY]) == [(expected,)]


def test_legacy_country_code_column_first_then_the_name_case_and_spaces_ignored(built):
    """A code no country has (`uk`) is no code: the name decides. Tabs and no-break spaces
    in a name are spacing."""
    assert sorted(query(built, """
        select staged.device_id_sha256, account_events.country_code
        from fxa_intermediate.int_account_events as account_events
        inner join fxa_staging.stg_firefox_accounts__amplitude_events as staged
            on staged.event_id = account_events.event_id
        where staged.device_id_sha256 like 'planted-%'""")) == [
        ("planted-code", "AQ"), ("planted-name", "GB"), ("planted-no-iso-code", "DE")]
    assert query(built, "select sum(logins) from fxa_marts.fct_relier_logins_daily "
                        "where submission_date = ? and country_code = 'AQ'", [LEGACY_DAY]) == [(1,)]


def test_a_checked_token_with_geo_has_no_country_past_staging(built):
    assert query(built, "select country_code from fxa_staging.stg_accounts_backend__events "
                        "where event_id = 'checked-with-geo'") == [("US",)]
    assert query(built, "select concept, country_code from fxa_intermediate.int_account_events "
                        "where event_id = 'checked-with-geo'") == [("oauth_token_checked", None)]


def test_a_google_signup_is_a_signup_and_matched_in_the_reconciliation(built):
    assert query(built, "select concept, relier_id, country_code from fxa_intermediate.int_account_events "
                        "where event_id = 'google-signup'") == [("registration_completed", MONITOR, "FR")]
    assert query(built, "select count(*) from fxa_marts.fct_relier_signups_daily where submission_date = ? "
                        "and relier_id = ? and country_code = 'FR' and signups >= 1", [GLEAN_DAY, MONITOR]) == [(1,)]


def test_the_reconciliation_counts_the_bot_signup_apart_and_the_google_signup_as_matched(built):
    """On the planted day: the two planted accounts are in the database; the Google one has
    its (third-party) registration event, the bot's only an excluded one. Everything else of
    the day is the generator's: compare against the same counts without the planted rows."""
    day = query(built, "select accounts_created_in_database, matched_accounts, database_only_accounts, "
                       "excluded_traffic_accounts from fxa_marts.fct_signup_reconciliation_daily "
                       "where signup_date = ?", [GLEAN_DAY])
    assert len(day) == 1
    in_db, matched, db_only, excluded = day[0]
    assert excluded == 1
    with duckdb.connect(str(built["db"]), read_only=True) as con:
        generated_db_only = con.execute("""
            select count(*) from fxa_staging.stg_accounts_db_external__accounts as accounts
            where cast(created_at as date) = ? and user_id_sha256 not in (?, ?)
              and user_id_sha256 not in (
                  select user_id_sha256 from fxa_intermediate.int_account_events
                  where concept = 'registration_completed' and user_id_sha256 is not null)""",
                                        [GLEAN_DAY, built["users"]["google"], built["users"]["bot-signup"]]).fetchone()[0]
    assert db_only == generated_db_only


def test_a_login_from_the_email_first_google_button_is_a_third_party_flow(built):
    assert query(built, "select flow_type, third_party_provider, third_party_start_at, entry_page_view_at is not null "
                        "from fxa_intermediate.int_flows where flow_id = ?", [built["email_first_flow"]]) == [
        ("third_party", "google", built["google_start_at"], True)]


def test_a_service_padded_with_any_whitespace_is_trimmed(built):
    """A service padded with a tab and a no-break space is still `sync` (the Sync relier),
    not free text."""
    assert query(built, "select relier_id from fxa_intermediate.int_account_events "
                        "where event_id = 'tab-padded-service'") == [("5882386c6d801776",)]


def test_an_event_name_of_whitespace_only_is_missing(built):
    assert query(built, "select quarantine_reason from fxa_intermediate.int_quarantined_event_rows "
                        "where source_row_id = 'tab-only-event-name'") == [("missing event name",)]
