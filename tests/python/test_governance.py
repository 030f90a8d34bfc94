"""Project rules that dbt-bouncer cannot express, checked over dbt's manifest
(target/manifest.json of the DuckDB build).

Most of the project's rules (descriptions, uniqueness tests, contracts, layer boundaries,
view chains, personal-data column names, folder structure, macro documentation) are
dbt-bouncer checks in dbt-bouncer.yml, run by `make govern`. What stays here needs a
value or a comparison that bouncer has no check for: source column descriptions, built
versus documented columns, not_null keys, caveat values and their doc blocks, joins that
count seeds, `meta.pii` flags, and every macro argument listed. Each test names the
offending nodes when it fails.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, read_json

PROJECT = "mozilla_accounts"
# Macro and test signatures: `{% macro name(args) %}` or `{% test name(args) %}`.
SIGNATURE = re.compile(r"{%-?\s*(?:macro|test)\s+\w+\s*\((.*?)\)\s*-?%}", re.S)


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


def test_every_source_column_is_documented(manifest):
    """bouncer checks model columns from the manifest, but source columns only through a catalog."""
    missing = [
        f"{source['source_name']}.{source['name']}.{c}"
        for source in manifest["sources"].values()
        if source["package_name"] == PROJECT
        for c, col in source["columns"].items()
        if not col["description"].strip()
    ]
    assert not missing, f"undocumented source columns: {missing}"


def test_model_yml_lists_exactly_the_built_columns(manifest):
    """Docs that drift from the SQL are worse than none: compare with the DuckDB relations.

    Both directions: bouncer's catalog check finds built columns missing from the yml, not
    documented columns the model no longer builds. An ephemeral model (a base) builds no
    relation: the columns its yml documents (its verdict, at least) must be columns of its
    SELECT as the build compiled it."""
    import duckdb

    mismatched = {}
    with duckdb.connect(str(ROOT / "target" / "mozilla_accounts.duckdb"), read_only=True) as con:
        for node in models(manifest):
            if node["config"]["materialized"] == "ephemeral":
                compiled = ROOT / "target" / "compiled" / PROJECT / node["original_file_path"]
                assert compiled.exists(), f"{compiled.relative_to(ROOT)} missing: run `make build` first"
                selected = [c[0] for c in con.execute(
                    f"select * from (\n{compiled.read_text()}\n) as ephemeral_model limit 0").description]
                undocumented = sorted(set(node["columns"]) - set(selected))
                if not node["columns"] or undocumented:
                    mismatched[node["name"]] = {"documented but not selected": undocumented,
                                                "documented": sorted(node["columns"])}
                continue
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


def test_a_single_column_key_is_also_not_null(manifest):
    """bouncer requires a uniqueness test; a `unique` column is a key only when it is also
    `not_null` (unique lets any number of NULLs through)."""
    lacking = []
    for node in models(manifest):
        tests = [t for t in attached_tests(manifest, node["unique_id"]) if t.get("test_metadata")]
        names = {t["test_metadata"]["name"] for t in tests}
        if "unique_combination_of_columns" in names:
            continue
        unique_columns = {t.get("column_name") for t in tests if t["test_metadata"]["name"] == "unique"}
        not_null_columns = {t.get("column_name") for t in tests if t["test_metadata"]["name"] == "not_null"}
        if unique_columns and not unique_columns & not_null_columns:
            lacking.append(node["name"])
    assert not lacking, f"models whose unique columns are not tested not_null: {lacking}"


def test_some_models_are_public(manifest):
    """bouncer's contract checks select the public models: with none they would pass unseen."""
    assert any(n.get("access") == "public" for n in models(manifest)), "no public models found"


def test_marts_are_shared_and_carry_caveats_defined_in_doc_blocks(manifest):
    """bouncer checks that marts are contracted and that these meta keys exist, not their values."""
    docs = {d["name"] for d in manifest["docs"].values()}
    problems = []
    for node in models(manifest):
        if layer(node) != "marts":
            continue
        meta = node["config"].get("meta", {})
        caveats = meta.get("caveats", [])
        if node.get("access") not in ("public", "protected"):
            problems.append(f"{node['name']}: marts are public (or protected when pseudonymous)")
        if "china_sync_stack" not in caveats:
            problems.append(f"{node['name']}: caveats lack china_sync_stack")
        for caveat in caveats:
            if f"caveat_{caveat}" not in docs:
                problems.append(f"{node['name']}: caveat {caveat} has no doc block caveat_{caveat}")
        for key in ("owner", "grain"):
            if not meta.get(key):
                problems.append(f"{node['name']}: meta.{key} is empty")
    assert not problems, problems


def test_no_model_joins_more_than_seven_relations(manifest):
    """Counts every parent, seeds included; bouncer counts model and source parents apart and
    leaves seeds out."""
    wide = {n["name"]: len(n["depends_on"]["nodes"]) for n in models(manifest) if len(n["depends_on"]["nodes"]) > 7}
    assert not wide, f"models with more than 7 parents: {wide}"


def test_no_column_flagged_direct_pii_past_staging(manifest):
    """bouncer checks column names past staging (dbt-bouncer.yml); this checks the flag."""
    problems = [
        f"{node['name']}.{name}"
        for node in models(manifest)
        if layer(node) != "staging"
        for name, column in node["columns"].items()
        if column.get("meta", {}).get("pii") == "direct"
    ]
    assert not problems, f"flagged pii direct: {problems}"


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


def signature_arguments(macro_sql: str) -> list[str]:
    """The argument names of a macro's or generic test's signature, in order."""
    import jinja2

    found = SIGNATURE.search(macro_sql)
    assert found, f"no signature in {macro_sql[:80]!r}"
    parsed = jinja2.Environment().parse("{% macro m(" + found.group(1) + ") %}{% endmacro %}")
    return [argument.name for argument in parsed.find(jinja2.nodes.Macro).args]


def test_every_macro_argument_is_listed(manifest):
    """The `arguments:` of each macro in its properties file name its signature's arguments,
    in order. bouncer checks the descriptions of the arguments that are listed, and none when
    the list is missing; dbt's validate_macro_args is off and, in 1.11, reads no arguments of
    generic tests."""
    problems = {}
    for macro in manifest["macros"].values():
        if macro["package_name"] != PROJECT:
            continue
        declared = signature_arguments(macro["macro_sql"])
        listed = [argument["name"] for argument in macro["arguments"]]
        if listed != declared:
            problems[macro["name"]] = {"signature": declared, "listed": listed}
    assert not problems, problems
