"""Every read of a raw event source by an incremental model is pruned to the run's window.

`make test` compiles the incremental models against the BigQuery emulator after its build
(so they compile as a daily run does, with their tables present) into
target/emulator-incremental. In that BigQuery SQL, each `from <source table>` must be
followed by a filter on the table's partition column with constant bounds, or BigQuery
would scan (and bill) every partition; downstream incremental models must filter their
event inputs on submission_date.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, read_json

COMPILED = ROOT / "target" / "emulator-incremental"
PARTITION_COLUMN = {"accounts_backend": "submission_timestamp", "accounts_frontend": "submission_timestamp",
                    "firefox_accounts": "timestamp", "firefox_accounts_derived": "timestamp"}


def incremental_models() -> tuple[list[dict], dict]:
    manifest = read_json(COMPILED / "manifest.json")
    return [
        n for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental"
    ], manifest


def compiled_sql(node: dict) -> str:
    path = COMPILED / "compiled" / "mozilla_accounts" / node["original_file_path"]
    if not path.exists():
        pytest.fail(f"{path} missing: run `make test` (its emulator step compiles the incremental models)")
    return path.read_text()


def test_source_reads_carry_a_constant_partition_filter():
    models, manifest = incremental_models()
    checked = 0
    problems = []
    for node in models:
        sources = [p for p in node["depends_on"]["nodes"] if p.startswith("source.")]
        if not sources:
            continue
        sql = compiled_sql(node)
        for unique_id in sources:
            source = manifest["sources"][unique_id]
            column = PARTITION_COLUMN.get(source["schema"])
            if column is None:
                continue
            relation = rf"`[^`]+`\.`{source['schema']}`\.`{source['identifier']}`"
            pattern = (
                rf"from {relation}\s+where {column} >= cast\('\d{{4}}-\d{{2}}-\d{{2}} 00:00:00\+00' as timestamp\)"
                rf"\s+and {column} < cast\('\d{{4}}-\d{{2}}-\d{{2}} 00:00:00\+00' as timestamp\)"
            )
            checked += 1
            if not re.search(pattern, sql):
                problems.append(f"{node['name']} reads {source['schema']}.{source['identifier']} without the filter")
    assert checked >= 5, f"expected the five event staging models, checked {checked}"
    assert not problems, problems


def test_downstream_incremental_models_filter_their_event_inputs():
    models, _ = incremental_models()
    problems = []
    for node in models:
        if any(p.startswith("source.") for p in node["depends_on"]["nodes"]):
            continue
        if (node["config"].get("partition_by") or {}).get("field") == "snapshot_date":
            continue  # one row per replica snapshot, not an event model
        sql = compiled_sql(node)
        if not re.search(r"(submission_date|first_seen_date)\s+between cast\('2024-06-0\d' as date\)", sql):
            problems.append(node["name"])
    assert not problems, f"incremental models without a window filter on their input: {problems}"
