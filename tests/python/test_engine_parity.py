"""The DuckDB build and the BigQuery-emulator build of the sample data agree.

Both builds write {model: row count} (scripts/build_summary.py). `make test` runs the two
builds before pytest; the same SQL on two engines must give the same number of rows in
every model, or an engine-specific difference slipped past macros/cross_db/.
"""

from __future__ import annotations

from conftest import ROOT, read_json


def test_both_engines_built_the_same_models():
    duckdb_counts = read_json(ROOT / "target" / "row_counts.json")
    emulator_counts = read_json(ROOT / "target" / "emulator" / "row_counts.json")
    assert sorted(duckdb_counts) == sorted(emulator_counts)
    assert len(duckdb_counts) >= 18, "expected at least one staging model per source table"


def test_row_counts_match_per_model():
    duckdb_counts = read_json(ROOT / "target" / "row_counts.json")
    emulator_counts = read_json(ROOT / "target" / "emulator" / "row_counts.json")
    differences = {
        name: (duckdb_counts[name], emulator_counts.get(name))
        for name in duckdb_counts
        if duckdb_counts[name] != emulator_counts.get(name)
    }
    assert not differences, f"row counts differ (duckdb, emulator): {differences}"


def test_sample_build_is_not_empty():
    """Every model has rows on the sample, but the quarantines: the sample is clean input
    (the bad-input cases are in test_bad_input.py)."""
    counts = read_json(ROOT / "target" / "row_counts.json")
    empty = [name for name, n in counts.items() if n == 0 and "quarantine" not in name]
    assert not empty, f"models with no rows on the sample data: {empty}"


def test_a_daily_rerun_on_bigquery_changes_no_row_count():
    """`make test-emulator` runs the scheduled daily run of the sample's last date (window:
    three dates already built) with the incremental BigQuery SQL (static insert_overwrite
    of the window's partitions, merge of the touched flows and first-seen rows, the
    snapshot's partition): every model keeps its row count."""
    full = read_json(ROOT / "target" / "emulator" / "row_counts.json")
    after_daily = read_json(ROOT / "target" / "emulator" / "row_counts_after_daily.json")
    changed = {name: (full[name], after_daily.get(name)) for name in full if full[name] != after_daily.get(name)}
    assert not changed, f"row counts changed by a daily re-run on the emulator (full, after): {changed}"
