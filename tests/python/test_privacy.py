"""No personal data reaches the marts, checked on the values of the DuckDB sample build.

test_governance.py checks column names and PII flags in the manifest; this checks the
data: no string value of a mart or intermediate model looks like an email address or
equals a raw account uid of the replica (lower- or upper-case), although the raw sample
holds both.
"""

from __future__ import annotations

import pytest

from conftest import ROOT

EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


def string_columns(con) -> list[tuple[str, str, str]]:
    return con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('fxa_intermediate', 'fxa_marts') and data_type = 'VARCHAR'"
    ).fetchall()


def test_the_raw_sample_does_hold_personal_data(con):
    """Guards the two tests below against passing on empty inputs."""
    assert con.execute(f"select count(*) from accounts_db_external.fxa_accounts_v1 "
                       f"where regexp_matches(email, '{EMAIL}')").fetchone()[0] > 0
    assert con.execute("select count(*) from accounts_db_external.fxa_accounts_v1").fetchone()[0] > 0


def test_no_email_shaped_values_past_staging(con):
    found = []
    for schema, table, column in string_columns(con):
        n = con.execute(f'select count(*) from {schema}.{table} where regexp_matches("{column}", \'{EMAIL}\')').fetchone()[0]
        if n:
            found.append(f"{schema}.{table}.{column}: {n}")
    assert not found, found


def test_no_raw_uids_past_staging(con):
    columns = string_columns(con)
    assert columns
    found = []
    for schema, table, column in columns:
        n = con.execute(
            f'select count(*) from {schema}.{table} where lower("{column}") in '
            "(select lower(uid) from accounts_db_external.fxa_accounts_v1)"
        ).fetchone()[0]
        if n:
            found.append(f"{schema}.{table}.{column}: {n}")
    assert not found, found
