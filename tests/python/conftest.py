"""Shared paths and helpers of the Python tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's scripts are importable modules for the tests (bigquery_sql, real_schemas).
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def sample_database() -> Path:
    """The DuckDB build of the bundled sample (`make build`; `make test` builds it first)."""
    path = ROOT / "target" / "mozilla_accounts.duckdb"
    if not path.exists():
        pytest.fail("target/mozilla_accounts.duckdb missing: run `make build` first (make test does)")
    return path


@pytest.fixture(scope="module")
def sample_con():
    """A read-only connection to the sample build, shared by a test module."""
    import duckdb
    with duckdb.connect(str(sample_database()), read_only=True) as connection:
        yield connection


def read_json(path: Path) -> dict:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make test` (it builds both engines first)")
    return json.loads(path.read_text())


def table_differences(db_a: Path, db_b: Path, tables: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Rows of A missing from B and rows of B missing from A (as multisets), per table
    (schema, name) that differs between two DuckDB databases."""
    import duckdb

    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{db_a}' as a (read_only)")
        con.execute(f"attach '{db_b}' as b (read_only)")
        for schema, table in tables:
            a, b = f"a.{schema}.{table}", f"b.{schema}.{table}"
            only_a = con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (select * from {b} except all select * from {a})").fetchone()[0]
            if only_a or only_b:
                found[table] = (only_a, only_b)
    return found
