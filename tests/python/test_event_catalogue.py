"""The event catalogue is the one definition of what an event means; these hold the
project to it.

Seed `event_catalogue` says per source system and event name which concept, funnel step
(and step flow type), side and activity an event is. What models need while they compile
(the step list, the funnels' steps) is written once in macros/catalogue/flow_steps.sql.
Checked here against the sample build (`make build`: the built tables, the compiled SQL
and dbt's manifest):

* the catalogue's steps are exactly the step columns of int_flows, built and documented;
* each step belongs to one kind of flow, and each funnel mart counts only steps of its
  flow type (or the shared entry-page steps), its reached_* columns built and documented;
* every concept a model filters on is a catalogue concept, and every catalogue concept
  is counted by a mart; only concept events can be activity.
* the catalogue's sign-in methods and second factors are exactly those the rules of
  macros/catalogue/signin.sql rank; sign-in and error events are Glean events of one kind
  of flow (errors: login or registration).
"""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT, read_json

CATALOGUE = ROOT / "seeds" / "lookups" / "event_catalogue.csv"
COMPILED = ROOT / "target" / "compiled" / "mozilla_accounts" / "models"
FUNNEL_MARTS = ("fct_registration_funnel_daily", "fct_login_funnel_daily", "fct_password_reset_funnel_daily")
# int_flows timestamp columns that are not steps
FLOW_TIMES = {"started_at", "last_event_at"}


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    with CATALOGUE.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def manifest_models() -> dict[str, dict]:
    manifest = read_json(ROOT / "target" / "manifest.json")
    return {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def compiled_sql(node: dict) -> str:
    path = COMPILED.parent / node["original_file_path"]
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} missing: run `make build` first")
    return path.read_text()


def built_columns(con, name: str) -> list[str]:
    return [row[0] for row in con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [name]).fetchall()]


def catalogue_steps(catalogue: list[dict]) -> set[str]:
    return {row["funnel_step"] for row in catalogue if row["funnel_step"]}


def step_flow_types(catalogue: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in catalogue:
        if row["funnel_step"]:
            found.setdefault(row["funnel_step"], set()).add(row["step_flow_type"])
    return found


def test_the_catalogue_steps_are_the_step_columns_of_int_flows(catalogue, manifest_models, sample_con):
    built = [c[:-3] for c in built_columns(sample_con, "int_flows") if c.endswith("_at") and c not in FLOW_TIMES]
    documented = [c[:-3] for c in manifest_models["int_flows"]["columns"] if c.endswith("_at") and c not in FLOW_TIMES]
    assert set(built) == catalogue_steps(catalogue), "int_flows step columns vs the catalogue's steps"
    assert built == documented, "int_flows: built step columns vs its yml, in order"


def test_each_step_belongs_to_one_kind_of_flow(catalogue):
    mixed = {step: types for step, types in step_flow_types(catalogue).items() if len(types) != 1}
    assert not mixed


@pytest.mark.parametrize("mart", FUNNEL_MARTS)
def test_funnel_marts_count_steps_of_their_flow_type(mart, catalogue, manifest_models, sample_con):
    sql = compiled_sql(manifest_models[mart])
    flow_type = re.search(r"where flow_type = '(\w+)'", sql).group(1)
    counted = dict(
        (column, step) for step, column in
        re.findall(r"count\(case when (\w+)_at <= window_ends_at then flow_id end\) as (reached_\w+)", sql))
    completion = re.search(r"count\(case when (\w+)_at <= window_ends_at and not has_frontend_events", sql).group(1)
    types = step_flow_types(catalogue)
    assert counted, f"no reached_* column found in the compiled {mart}"
    for column, step in counted.items():
        assert step in types, f"{mart}.{column}: step {step} is not in the catalogue"
        assert types[step] <= {flow_type, ""}, f"{mart}.{column}: step {step} is a {types[step]} step"
    assert types[completion] == {flow_type}
    reached = lambda columns: [c for c in columns if c.startswith("reached_")]  # noqa: E731
    assert reached(built_columns(sample_con, mart)) == list(counted)
    assert reached(manifest_models[mart]["columns"]) == list(counted)


def test_concepts_named_by_models_are_the_catalogue_concepts(catalogue, manifest_models):
    concepts = {row["concept"] for row in catalogue if row["concept"]}
    named = set()
    for node in manifest_models.values():
        if node["config"]["materialized"] != "ephemeral":
            named |= set(re.findall(r"concept = '(\w+)'", compiled_sql(node)))
    assert named, "no compiled model names a concept: run `make build` first"
    assert named <= concepts, f"concepts named by models but not in the catalogue: {named - concepts}"
    assert concepts <= named, f"catalogue concepts no model counts: {concepts - named}"


def test_only_concept_events_are_activity(catalogue):
    # int_account_events holds the events with a concept: activity without one would be lost
    assert not [row["event_name"] for row in catalogue if row["is_activity"] == "true" and not row["concept"]]
    assert {row["is_activity"] for row in catalogue} <= {"true", "false"}


def precedence(macro: str) -> list[str]:
    """The list a precedence macro of macros/catalogue/signin.sql returns."""
    text = (ROOT / "macros" / "catalogue" / "signin.sql").read_text()
    body = re.search(r"macro " + macro + r"\(\).*?return\(\[(.*?)\]\)", text, re.S).group(1)
    return re.findall(r"'(\w+)'", body)


@pytest.mark.parametrize("column, macro", [("signin_method", "signin_method_precedence"),
                                           ("second_factor", "second_factor_precedence")])
def test_sign_in_values_are_those_the_rule_ranks(catalogue, column, macro):
    # a value the precedence list lacks would never win; one it ranks but no event shows is dead
    values = {row[column] for row in catalogue if row[column]}
    assert values == set(precedence(macro)), f"catalogue {column} values vs macro {macro}"


def test_sign_in_and_error_events_are_glean_events_of_one_kind_of_flow(catalogue):
    assert {row["is_error"] for row in catalogue} <= {"true", "false"}
    marked = [row for row in catalogue if row["signin_method"] or row["second_factor"] or row["is_error"] == "true"]
    assert marked, "no sign-in or error events in the catalogue"
    assert {row["source_system"] for row in marked} == {"glean"}
    for row in marked:
        expected = {"login", "third_party"} if row["signin_method"] in ("google", "apple") else {"login"}
        if row["is_error"] == "true":
            expected = {"login", "registration"}
        assert row["step_flow_type"] in expected, f"{row['event_name']}: step_flow_type {row['step_flow_type']!r}"
        assert not (row["is_error"] == "true" and (row["signin_method"] or row["second_factor"])), row["event_name"]
