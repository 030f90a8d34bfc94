"""The project against Mozilla's real tables, not its own contract.

schemas/bigquery/<dataset>/<table>.json holds the real BigQuery schema of every declared
source, assembled from Mozilla's public definitions (schemas/bigquery/README.md says from
which files) and refreshable from a live project with scripts/real_schemas.py. Here:

* every column a sources yml declares exists in the real table with the declared type;
* every column that a statement sent to BigQuery reads from a source (the emulator build's
  log, parsed with sqlglot) exists in the real table: staging cannot read what the contract
  does not promise and the real table does not have;
* the refresher, run against the emulator by `make test`, writes the same format and the
  contract's columns.
"""

from __future__ import annotations

import pytest

import bigquery_sql
import real_schemas
from conftest import ROOT

SCHEMAS = ROOT / "schemas" / "bigquery"
EMULATOR = ROOT / "target" / "emulator"
DECLARED = real_schemas.declared_columns()


def real_columns(source: str, table: str) -> dict[str, str]:
    path = real_schemas.schema_path(SCHEMAS, source, table)
    assert path.exists(), f"no real schema for {source}.{table}: expected {path.relative_to(ROOT)}"
    return real_schemas.column_types(real_schemas.load_schema(path))


def test_every_declared_source_has_a_real_schema_and_no_other():
    kept = {(path.parent.name, path.stem) for path in SCHEMAS.glob("*/*.json")}
    assert kept == set(DECLARED)


@pytest.mark.parametrize("source, table", sorted(DECLARED), ids=lambda value: value)
def test_declared_columns_exist_in_the_real_table_with_their_type(source, table):
    problems = real_schemas.contract_problems(f"{source}.{table}", DECLARED[(source, table)],
                                              real_columns(source, table))
    assert not problems, "\n".join(problems)


def test_the_comparison_names_an_absent_and_a_retyped_column():
    """The check itself, on a planted contract: what the first production run would hit."""
    real = {"timestamp": "TIMESTAMP", "flow_time": "FLOAT", "utm_source": "STRING"}
    declared = {"timestamp": "TIMESTAMP", "flow_time": "INTEGER", "utm_term": "STRING"}
    assert real_schemas.contract_problems("firefox_accounts_derived.fxa_log_content_events_v1", declared, real) == [
        "firefox_accounts_derived.fxa_log_content_events_v1: column flow_time is declared INTEGER "
        "but the real schema has FLOAT",
        "firefox_accounts_derived.fxa_log_content_events_v1: column utm_term is declared but absent from "
        "the real schema",
    ]


def test_repeated_fields_are_not_their_element_type():
    types = real_schemas.column_types([{"name": "tags", "type": "STRING", "mode": "REPEATED"}])
    assert types == {"tags": "ARRAY<STRING>"}


def test_every_column_read_from_a_source_exists_in_the_real_table():
    log = EMULATOR / "logs" / "build"
    if not (log / "dbt.log").exists():
        pytest.fail("target/emulator/logs/build/dbt.log missing: run `make test`")
    sources = {(source, table) for source, table in DECLARED}
    reads: dict[tuple[str, str], dict[str, set[str]]] = {}
    for statement in bigquery_sql.statements([log]):
        for tree in bigquery_sql.parse(statement.sql):
            for key, paths in bigquery_sql.columns_read(tree, sources).items():
                for path in paths:
                    reads.setdefault(key, {}).setdefault(path, set()).add(statement.node)
    assert {"accounts_backend", "firefox_accounts_derived", "accounts_db_external"} <= {k[0] for k in reads}
    assert "metrics.string.session_flow_id" in reads[("accounts_backend", "events_stream")]
    problems = []
    for (source, table), paths in sorted(reads.items()):
        real = real_columns(source, table)
        for path, nodes in sorted(paths.items()):
            if path not in real:
                problems.append(f"{source}.{table}: column {path} is read by {sorted(nodes)[0]} but absent "
                                "from the real schema")
    assert not problems, "\n".join(problems)


def test_the_refresher_reads_the_emulator_tables_in_the_committed_format():
    refreshed = EMULATOR / "refreshed_schemas"
    if not refreshed.exists():
        pytest.fail("target/emulator/refreshed_schemas missing: run `make test`")
    for source, table in sorted(DECLARED):
        fields = real_schemas.load_schema(real_schemas.schema_path(refreshed, source, table))
        # The emulator's tables were built from the contract, so they hold exactly its columns.
        leaves = {path: type_ for path, type_ in real_schemas.column_types(fields).items() if type_ != "RECORD"}
        assert leaves == DECLARED[(source, table)], f"{source}.{table}"
        committed = real_schemas.load_schema(real_schemas.schema_path(SCHEMAS, source, table))
        assert {key for f in fields for key in f} <= {key for f in committed for key in f} | {"fields"}
