"""Print a short summary of the last dbt build and record the row count of every model.

    python scripts/build_summary.py [--target dev|emulator] [--target-path target]
                                    [--row-counts PATH]

Reads run_results.json and manifest.json from the target path, counts the rows of every
model and seed-built relation in the warehouse (the DuckDB file, or the emulator), prints
one line per layer and per model, and writes {model name: rows} as JSON (default
<target-path>/row_counts.json) so that tests can compare engines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_json(path: Path) -> dict:
    if not path.exists():
        sys.exit(f"build_summary: {path} not found; run the dbt build first")
    return json.loads(path.read_text())


def relations(manifest: dict) -> dict[str, tuple[str, str, str]]:
    """Model name -> (database, schema, identifier) of every enabled model of the project."""
    found = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["package_name"] == "mozilla_accounts":
            if node["config"].get("materialized") == "ephemeral":
                continue
            found[node["name"]] = (node["database"], node["schema"], node["alias"])
    return dict(sorted(found.items()))


def count_duckdb(rels: dict[str, tuple[str, str, str]]) -> dict[str, int]:
    import duckdb

    path = os.environ.get("FXA_DUCKDB_PATH", str(ROOT / "target" / "mozilla_accounts.duckdb"))
    counts = {}
    with duckdb.connect(path, read_only=True) as con:
        for name, (database, schema, identifier) in rels.items():
            counts[name] = con.execute(f'select count(*) from "{database}"."{schema}"."{identifier}"').fetchone()[0]
    return counts


def count_emulator(rels: dict[str, tuple[str, str, str]]) -> dict[str, int]:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    port = os.environ.get("FXA_EMULATOR_PORT", "9050")
    client = bigquery.Client(
        project="fxa-local",
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": f"http://127.0.0.1:{port}"},
    )
    counts = {}
    for name, (database, schema, identifier) in rels.items():
        rows = client.query(f"select count(*) as n from `{database}`.`{schema}`.`{identifier}`").result()
        counts[name] = next(iter(rows)).n
    client.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="dev", choices=["dev", "emulator"])
    parser.add_argument("--target-path", default="target")
    parser.add_argument("--row-counts", default=None)
    args = parser.parse_args()

    target_path = ROOT / args.target_path
    run_results = load_json(target_path / "run_results.json")
    manifest = load_json(target_path / "manifest.json")

    statuses: Counter[tuple[str, str]] = Counter()
    for result in run_results["results"]:
        resource_type = result["unique_id"].split(".")[0]
        statuses[(resource_type, result["status"])] += 1

    rels = relations(manifest)
    counts = count_emulator(rels) if args.target == "emulator" else count_duckdb(rels)
    out = Path(args.row_counts) if args.row_counts else target_path / "row_counts.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n")

    elapsed = run_results.get("elapsed_time", 0.0)
    print(f"\nBuild summary ({args.target}, {elapsed:.1f}s)")
    for (resource_type, status), n in sorted(statuses.items()):
        print(f"  {resource_type:<6} {status:<8} {n}")
    layers: Counter[str] = Counter()
    for name in counts:
        layers[name.split("_")[0]] += 1
    print("  models by layer: " + ", ".join(f"{layer} {n}" for layer, n in sorted(layers.items())))
    width = max(len(name) for name in counts) if counts else 10
    for name, n in counts.items():
        print(f"    {name:<{width}} {n:>10,} rows")
    print(f"  row counts written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    failed = sum(n for (_, status), n in statuses.items() if status in ("error", "fail"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
