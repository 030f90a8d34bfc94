"""Project rules checked over dbt's manifest (target/manifest.json of the DuckDB build).

The rules of dbt-project-evaluator that this project holds itself to, plus its own:
documentation, primary-key tests, contracts on public models, caveats carried as
metadata, layer boundaries, and no personal data past staging. Each test names the
offending nodes when it fails.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, read_json

PROJECT = "mozilla_accounts"
PII_NAME = re.compile(r"(^|_)(e_?mail|ip|ip_?addr(ess)?|phone|phone_?number|uid|account_user_id)($|_)", re.I)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return read_json(ROOT / "target" / "manifest.json")


def models(manifest: dict) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    ]


def layer(node: dict) -> str:
    return node["fqn"][1] if len(node["fqn"]) > 2 else "root"


def attached_tests(manifest: dict, unique_id: str) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node") == unique_id
    ]


def test_every_model_and_source_is_documented(manifest):
    missing = [n["name"] for n in models(manifest) if not n["description"].strip()]
    missing += [
        f"{s['source_name']}.{s['name']}"
        for s in manifest["sources"].values()
        if s["package_name"] == PROJECT and not s["description"].strip()
    ]
    assert not missing, f"undocumented: {missing}"


def test_every_source_column_and_model_column_is_documented(manifest):
    missing = []
    for source in manifest["sources"].values():
        missing += [
            f"{source['source_name']}.{source['name']}.{c}"
            for c, col in source["columns"].items()
            if not col["description"].strip()
        ]
    for node in models(manifest):
        missing += [f"{node['name']}.{c}" for c, col in node["columns"].items() if not col["description"].strip()]
    assert not missing, f"undocumented columns: {missing}"


def test_model_yml_lists_exactly_the_built_columns(manifest):
    """Docs that drift from the SQL are worse than none: compare with the DuckDB relations."""
    import duckdb

    mismatched = {}
    with duckdb.connect(str(ROOT / "target" / "mozilla_accounts.duckdb"), read_only=True) as con:
        for node in models(manifest):
            built = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [node["schema"], node["alias"]],
                ).fetchall()
            ]
            documented = list(node["columns"])
            if sorted(c.lower() for c in built) != sorted(c.lower() for c in documented):
                mismatched[node["name"]] = {
                    "undocumented": sorted(set(built) - set(documented)),
                    "not built": sorted(set(documented) - set(built)),
                }
    assert not mismatched, mismatched


def test_every_model_has_a_primary_key_test(manifest):
    lacking = []
    for node in models(manifest):
        names = {t["test_metadata"]["name"] for t in attached_tests(manifest, node["unique_id"]) if t.get("test_metadata")}
        has_unique_column = any(
            t.get("test_metadata", {}).get("name") == "unique"
            and any(
                o.get("test_metadata", {}).get("name") == "not_null" and o.get("column_name") == t.get("column_name")
                for o in attached_tests(manifest, node["unique_id"])
            )
            for t in attached_tests(manifest, node["unique_id"])
        )
        if not (has_unique_column or "unique_combination_of_columns" in names):
            lacking.append(node["name"])
    assert not lacking, f"models without a primary-key test: {lacking}"


def test_public_models_have_enforced_contracts(manifest):
    public = [n for n in models(manifest) if n.get("access") == "public"]
    assert public, "no public models found"
    lacking = [n["name"] for n in public if not n["config"]["contract"]["enforced"]]
    assert not lacking, f"public models without an enforced contract: {lacking}"
    untyped = [f"{n['name']}.{c}" for n in public for c, col in n["columns"].items() if not col.get("data_type")]
    assert not untyped, f"contracted columns without data_type: {untyped}"


def test_marts_are_contracted_and_carry_caveats_defined_in_doc_blocks(manifest):
    docs = {d["name"] for d in manifest["docs"].values()}
    problems = []
    for node in models(manifest):
        if layer(node) != "marts":
            continue
        meta = node["config"].get("meta", {})
        caveats = meta.get("caveats", [])
        if node.get("access") not in ("public", "protected"):
            problems.append(f"{node['name']}: marts are public (or protected when pseudonymous)")
        if not node["config"]["contract"]["enforced"]:
            problems.append(f"{node['name']}: mart without an enforced contract")
        if "china_sync_stack" not in caveats:
            problems.append(f"{node['name']}: caveats lack china_sync_stack")
        for caveat in caveats:
            if f"caveat_{caveat}" not in docs:
                problems.append(f"{node['name']}: caveat {caveat} has no doc block caveat_{caveat}")
        for key in ("owner", "grain"):
            if not meta.get(key):
                problems.append(f"{node['name']}: meta.{key} missing")
    assert not problems, problems


def test_only_staging_reads_sources_and_staging_reads_only_sources(manifest):
    problems = []
    for node in models(manifest):
        parents = node["depends_on"]["nodes"]
        reads_source = any(p.startswith("source.") for p in parents)
        if reads_source and layer(node) != "staging":
            problems.append(f"{node['name']} ({layer(node)}) calls source()")
        if layer(node) == "staging":
            staged_parents = [p for p in parents if p.startswith("model.")]
            if staged_parents:
                problems.append(f"{node['name']} refs models {staged_parents}")
    assert not problems, problems


def test_no_model_joins_more_than_seven_relations(manifest):
    wide = {n["name"]: len(n["depends_on"]["nodes"]) for n in models(manifest) if len(n["depends_on"]["nodes"]) > 7}
    assert not wide, f"models with more than 7 parents: {wide}"


def test_no_chains_of_five_or_more_views(manifest):
    nodes = {n["unique_id"]: n for n in models(manifest)}

    def view_depth(uid: str) -> int:
        node = nodes.get(uid)
        if node is None or node["config"]["materialized"] != "view":
            return 0
        return 1 + max((view_depth(p) for p in node["depends_on"]["nodes"]), default=0)

    long_chains = {nodes[u]["name"]: view_depth(u) for u in nodes if view_depth(u) >= 5}
    assert not long_chains, long_chains


def test_no_personal_data_past_staging(manifest):
    problems = []
    for node in models(manifest):
        if layer(node) == "staging":
            continue
        for name, column in node["columns"].items():
            if PII_NAME.search(name) and name != "user_id_sha256":
                problems.append(f"{node['name']}.{name}: named like personal data")
            if column.get("meta", {}).get("pii") == "direct":
                problems.append(f"{node['name']}.{name}: flagged pii direct")
    assert not problems, problems


def test_staging_never_selects_columns_flagged_direct_pii(manifest):
    """A source column flagged `meta.pii: direct` must not appear in any staging model."""
    flagged = {
        (s["source_name"], s["name"]): [c for c, col in s["columns"].items() if col.get("meta", {}).get("pii") == "direct"]
        for s in manifest["sources"].values()
    }
    problems = []
    for node in models(manifest):
        sql = node.get("compiled_code") or node["raw_code"]
        sql = re.sub(r"--[^\n]*", "", sql)
        for parent in node["depends_on"]["nodes"]:
            if not parent.startswith("source."):
                continue
            source = manifest["sources"][parent]
            for column in flagged[(source["source_name"], source["name"])]:
                leaf = column.split(".")[-1]
                if re.search(rf"\b{re.escape(leaf)}\b", sql):
                    problems.append(f"{node['name']} mentions {column}")
    assert not problems, problems
