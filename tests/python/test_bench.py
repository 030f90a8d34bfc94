"""The benchmark's own rules (scripts/bench.py), checked on planted rows: the accounts knob
spreads each account's days over K accounts and nothing else, and the growth exponent is
the one of the timings given. (The timings themselves are the benchmark's, never a test's.)"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import duckdb
import pytest

from bench import fitted_exponent, remap_accounts, replicate_events

GLEAN = "accounts_backend/events_stream"
LEGACY = "firefox_accounts/fxa_all_events"
REPLICA = "accounts_db_external/fxa_accounts_v1"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """A planted export: one Glean table, the legacy Amplitude table and one replica."""
    root = tmp_path_factory.mktemp("bench_export")
    for table in (GLEAN, LEGACY, REPLICA):
        (root / table).mkdir(parents=True)
    con = duckdb.connect()
    # account A in four 8-hour blocks: 2024-06-01 10:00 and 11:00 (block 3 x 19875 + 1 = 59626,
    # mod 3 = 1), 06-01 23:59 (59627: 2), 06-02 00:01 (59628: 0), 06-04 08:00 (59635: 1);
    # an event with no account and one with ''.
    con.execute(f"""
        copy (
            select * from (values
                ('e1', timestamptz '2024-06-01 10:00:00+00', {{'string': {{'account_user_id_sha256': '{sha("A")}', 'account_user_id': 'A', 'session_flow_id': '{sha("F")}'}}}}),
                ('e7', timestamptz '2024-06-01 11:00:00+00', {{'string': {{'account_user_id_sha256': '{sha("A")}', 'account_user_id': 'A', 'session_flow_id': '{sha("F")}'}}}}),
                ('e2', timestamptz '2024-06-01 23:59:00+00', {{'string': {{'account_user_id_sha256': '{sha("A")}', 'account_user_id': '', 'session_flow_id': '{sha("F")}'}}}}),
                ('e3', timestamptz '2024-06-02 00:01:00+00', {{'string': {{'account_user_id_sha256': '{sha("A")}', 'account_user_id': 'A', 'session_flow_id': '{sha("F")}'}}}}),
                ('e4', timestamptz '2024-06-04 08:00:00+00', {{'string': {{'account_user_id_sha256': '{sha("A")}', 'account_user_id': 'A', 'session_flow_id': '{sha("F")}'}}}}),
                ('e5', timestamptz '2024-06-01 12:00:00+00', {{'string': {{'account_user_id_sha256': NULL, 'account_user_id': NULL, 'session_flow_id': '{sha("F")}'}}}}),
                ('e6', timestamptz '2024-06-01 13:00:00+00', {{'string': {{'account_user_id_sha256': '', 'account_user_id': '', 'session_flow_id': '{sha("F")}'}}}})
            ) as t(event_id, submission_timestamp, metrics)
        ) to '{root / GLEAN / "2024-06-01.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (
            select * from (values
                (timestamptz '2024-06-01 10:00:00+00', '{sha("A")}', 'x'),
                (timestamptz '2024-06-02 17:00:00+00', '{sha("A")}', 'y'),
                (timestamptz '2024-06-02 11:00:00+00', NULL, 'z')
            ) as t(timestamp, user_id, event_type)
        ) to '{root / LEGACY / "2024-06-01.parquet"}' (format parquet)""")
    con.execute(f"copy (select 'A' as uid) to '{root / REPLICA / 'part.parquet'}' (format parquet)")
    return root


@pytest.fixture(scope="module")
def spread(export, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("bench_spread") / "export"
    remap_accounts(export, target, 3)
    return target


def rows(path: Path, query: str) -> list[tuple]:
    return duckdb.sql(query.format(table=f"read_parquet('{path}/*.parquet')")).fetchall()


def test_glean_accounts_follow_the_block_modulo_k(export, spread):
    got = dict(rows(spread / GLEAN, "select event_id, metrics.string.account_user_id_sha256 from {table}"))
    # worked by hand: block = 8-hour blocks since 1970-01-01, then mod 3
    assert [59626 % 3, 59627 % 3, 59628 % 3, 59635 % 3] == [1, 2, 0, 1]
    assert got["e1"] == got["e7"] == sha(sha("A") + "#1")   # same block, same account
    assert got["e2"] == sha(sha("A") + "#2")                # a later block of the day, another
    assert got["e3"] == sha(sha("A") + "#0")
    assert got["e4"] == got["e1"]                           # block 59635, the first again
    assert got["e5"] is None and got["e6"] == ""            # no account stays no account
    uid = dict(rows(spread / GLEAN, "select event_id, metrics.string.account_user_id from {table}"))
    assert uid["e1"] == sha("A#1")[:32] and uid["e2"] == "" and uid["e5"] is None


def test_everything_else_is_kept(export, spread):
    for table in (GLEAN, LEGACY):
        before = rows(export / table, "select count(*) from {table}")
        assert rows(spread / table, "select count(*) from {table}") == before
    kept = rows(spread / GLEAN, "select event_id, submission_timestamp from {table} order by 1")
    assert kept == rows(export / GLEAN, "select event_id, submission_timestamp from {table} order by 1")
    legacy = dict(rows(spread / LEGACY, "select event_type, user_id from {table}"))
    # 06-01 10:00 is block 59626 (mod 3: 1), 06-02 17:00 block 59630 (2)
    assert legacy == {"x": sha(sha("A") + "#1"), "y": sha(sha("A") + "#2"), "z": None}
    # the replicas are linked, unchanged
    assert (spread / REPLICA).is_symlink()
    assert rows(spread / REPLICA, "select uid from {table}") == [("A",)]


def test_fitted_exponent():
    linear = [(n, 3e-6 * n) for n in (5e6, 1e7, 2e7)]
    assert fitted_exponent(linear) == pytest.approx(1.0)
    quadratic = [(n, 1e-12 * n * n) for n in (5e6, 1e7, 2e7)]
    assert fitted_exponent(quadratic) == pytest.approx(2.0)
    # 10 %, 20 % and 40 % slower per doubling: log2(1.1) above linear, and so on
    points = [(5e6, 10.0), (1e7, 22.0), (2e7, 48.4)]
    assert fitted_exponent(points) == pytest.approx(1 + math.log2(1.1))


def test_copies_are_populations_of_their_own(export, tmp_path):
    target = tmp_path / "export"
    replicate_events(export, target, 3)
    query = ("select event_id, metrics.string.account_user_id_sha256 as account,"
             " metrics.string.account_user_id as uid from {table}")
    copied = rows(target / GLEAN, query)
    original = rows(export / GLEAN, query)
    assert len(copied) == 3 * len(original)
    assert len({event_id for event_id, _, _ in copied}) == 3 * len(original)   # no id shared
    accounts = {account for _, account, _ in copied if account}
    assert len(accounts) == 3                        # A and its two copies
    assert all(len(a) == 64 and int(a, 16) >= 0 for a in accounts)   # still a sha256
    assert rows(target / GLEAN, "select count(*) from {table} where metrics.string.account_user_id_sha256 is null") \
        == [(3,)]                                    # e5 in each copy
    legacy = rows(target / LEGACY, "select user_id from {table}")
    assert len(legacy) == 9 and len({u for (u,) in legacy if u}) == 3
    assert (target / REPLICA).is_symlink()
