"""The real BigQuery schemas of the project's sources, kept in schemas/bigquery/.

    python scripts/real_schemas.py refresh --project moz-fx-data-shared-prod [--out schemas/bigquery]
    python scripts/real_schemas.py refresh --project fxa-local --api-endpoint http://127.0.0.1:9050 --out DIR
    python scripts/real_schemas.py assemble --bigquery-etl DIR --pipeline-schemas DIR [--out schemas/bigquery]

Every table declared in a `_<source>__sources.yml` has one file,
schemas/bigquery/<dataset>/<table>.json, in the format `bq show --schema --format=prettyjson`
prints (a list of fields: name, type, mode, and fields for a RECORD). Descriptions are left
out, so that a refresh only changes a file when a column changes.

refresh   reads every declared table's schema from a live BigQuery project with
          google-cloud-bigquery (`tables.get`, so views work too). With --api-endpoint it talks
          to that server with anonymous credentials (the local emulator); otherwise it uses the
          application-default credentials. The replicas are read from --accounts-db-dataset
          (default accounts_db_external; the stage copy is accounts_db_nonprod_external) in
          --accounts-db-project (default --project), like the dbt vars of the same names.
assemble  builds the same files, without access to Mozilla's project, from git clones of
          Mozilla's public definitions: mozilla/bigquery-etl (branch main for hand-written
          queries and schema.yaml, branch generated-sql for the generated events_stream
          queries and views) and mozilla-services/mozilla-pipeline-schemas (branch
          generated-schemas for the Glean ping tables). schemas/bigquery/README.md says which
          file each table comes from and how.

tests/python/test_real_schemas.py holds the project to these files: every column staging
reads must exist in them with the type the sources yml declares.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "schemas" / "bigquery"
SOURCES_GLOB = "models/staging/*/_*__sources.yml"


# ---------------------------------------------------------------------------- declared tables


def declared_tables(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source name, table name) of every table in the sources yml files. The source name is
    the name of the real dataset (the replicas' dataset is a var; its default is the name)."""
    return list(declared_columns(root))


def schema_path(out: Path, dataset: str, table: str) -> Path:
    return out / dataset / f"{table}.json"


def write_schema(path: Path, fields: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fields, indent=2) + "\n")


def field(name: str, type_: str, mode: str = "NULLABLE", fields: list[dict] | None = None) -> dict:
    out = {"name": name, "type": type_, "mode": mode}
    if fields is not None:
        out["fields"] = fields
    return out


# The type names `bq show --schema` prints (the API's legacy names) for their standard SQL synonyms.
LEGACY_TYPE_NAMES = {"INT64": "INTEGER", "FLOAT64": "FLOAT", "BOOL": "BOOLEAN", "STRUCT": "RECORD"}


def normalized(api_field: dict) -> dict:
    """A field of the BigQuery API (or of a .bq / schema.yaml file) without its description,
    its type under the name `bq show --schema` prints."""
    type_ = api_field["type"].upper()
    out = field(api_field["name"], LEGACY_TYPE_NAMES.get(type_, type_), (api_field.get("mode") or "NULLABLE").upper())
    if api_field.get("fields"):
        out["fields"] = [normalized(child) for child in api_field["fields"]]
    return out


def declared_columns(root: Path = ROOT) -> dict[tuple[str, str], dict[str, str]]:
    """{(source, table): {dotted column: BigQuery type}} as the sources yml declare them."""
    import yaml

    declared = {}
    for path in sorted(root.glob(SOURCES_GLOB)):
        for source in yaml.safe_load(path.read_text()).get("sources", []):
            for table in source.get("tables", []):
                declared[(source["name"], table["name"])] = {
                    column["name"]: CONTRACT_TYPES[str(column["data_type"]).lower()]
                    for column in table.get("columns") or []
                }
    return declared


# The contract's data_type (BigQuery standard SQL, lower case) as `bq show --schema` names it.
CONTRACT_TYPES = {"string": "STRING", "int64": "INTEGER", "bool": "BOOLEAN", "float64": "FLOAT",
                  "numeric": "NUMERIC", "timestamp": "TIMESTAMP", "json": "JSON", "date": "DATE"}


def load_schema(path: Path) -> list[dict]:
    return json.loads(path.read_text())


def column_types(fields: list[dict], prefix: str = "") -> dict[str, str]:
    """{dotted path: type} of every column and nested field of a schema; a REPEATED field
    is typed `ARRAY<type>`, which no contract type equals."""
    out = {}
    for f in fields:
        name = prefix + f["name"]
        type_ = LEGACY_TYPE_NAMES.get(f["type"].upper(), f["type"].upper())
        out[name] = f"ARRAY<{type_}>" if f.get("mode") == "REPEATED" else type_
        if f.get("fields"):
            out.update(column_types(f["fields"], name + "."))
    return out


def contract_problems(table: str, declared: dict[str, str], real: dict[str, str]) -> list[str]:
    """What in one table's contract the real schema contradicts, one line per column."""
    problems = []
    for column, type_ in declared.items():
        if column not in real:
            problems.append(f"{table}: column {column} is declared but absent from the real schema")
        elif real[column] != type_:
            problems.append(f"{table}: column {column} is declared {type_} but the real schema has {real[column]}")
    return problems


# ---------------------------------------------------------------------------- refresh


def refresh(args: argparse.Namespace) -> int:
    from google.api_core.client_options import ClientOptions
    from google.api_core.exceptions import NotFound
    from google.cloud import bigquery

    options = {"project": args.project}
    if args.api_endpoint:
        from google.auth.credentials import AnonymousCredentials

        options["credentials"] = AnonymousCredentials()
        options["client_options"] = ClientOptions(api_endpoint=args.api_endpoint)
    client = bigquery.Client(**options)
    missing = []
    for source, table in declared_tables():
        if source == "accounts_db_external":
            table_id = f"{args.accounts_db_project or args.project}.{args.accounts_db_dataset}.{table}"
        else:
            table_id = f"{args.project}.{source}.{table}"
        try:
            schema = client.get_table(table_id).schema
        except NotFound:
            missing.append(table_id)
            continue
        write_schema(schema_path(args.out, source, table), [normalized(f.to_api_repr()) for f in schema])
        print(f"{table_id}: {len(schema)} top-level columns -> {schema_path(args.out, source, table)}")
    if missing:
        print("not found: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------- assemble


class Repo:
    """Files of a git clone, read at a ref (a clone may have no work tree)."""

    def __init__(self, path: Path, ref: str):
        self.path, self.ref = path, ref
        self.commit = self.git("rev-parse", ref).strip()

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.path), *args], check=True, capture_output=True, text=True).stdout

    def read(self, path: str) -> str:
        return self.git("show", f"{self.commit}:{path}")


SHARED_PROD = "sql/moz-fx-data-shared-prod"


def yaml_schema(repo: Repo, path: str) -> list[dict]:
    """The fields of a bigquery-etl schema.yaml (its !include-field-description tags only
    carry descriptions, which are dropped)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!include-field-description", lambda loader, node: None)
    return [normalized(f) for f in yaml.load(repo.read(path), Loader=Loader)["fields"]]


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def lookup(fields: list[dict], dotted: str) -> dict:
    node = {"fields": fields}
    for part in dotted.split("."):
        node = by_name(node["fields"])[part]
    return node


def glean_events_stream(app: str, bqetl: Repo, pipeline: Repo) -> list[dict]:
    """accounts_<app>.events_stream: the Glean `events` ping table of mozilla-pipeline-schemas,
    through the view `accounts_<app>.events`, the query of `accounts_<app>_derived.events_stream_v1`
    and the view `accounts_<app>.events_stream` (all generated by bigquery-etl)."""
    namespace = f"accounts-{app}"
    ping = [normalized(f) for f in json.loads(pipeline.read(f"schemas/{namespace}/events/events.1.bq"))]
    events_view = bqetl.read(f"{SHARED_PROD}/accounts_{app}/events/view.sql")
    query = bqetl.read(f"{SHARED_PROD}/accounts_{app}_derived/events_stream_v1/query.sql")
    stream_view = bqetl.read(f"{SHARED_PROD}/accounts_{app}/events_stream/view.sql")
    for expected in ("mozfun.norm.metadata(metadata) AS metadata", "mozfun.norm.glean_ping_info(ping_info) AS ping_info",
                     "mozfun.norm.glean_client_info_attribution(", "AS is_bot_generated"):
        if expected not in events_view:
            raise SystemExit(f"accounts_{app}/events/view.sql no longer has {expected!r}: update assemble")

    # The events view: metadata, ping_info and client_info normalised; version parts and the
    # bot flag appended (sql/mozfun/norm/{metadata,glean_ping_info,glean_client_info_attribution}).
    columns = by_name(ping)
    header = columns["metadata"]["fields"]
    header_index = next(i for i, f in enumerate(header) if f["name"] == "header")
    header[header_index]["fields"] += [
        field("parsed_date", "TIMESTAMP"),
        field("parsed_x_source_tags", "STRING", "REPEATED"),
        field("parsed_x_lb_tags", "RECORD", fields=[field("tls_version", "STRING"), field("tls_cipher_hex", "STRING")]),
    ]
    columns["ping_info"]["fields"] += [field("parsed_start_time", "TIMESTAMP"), field("parsed_end_time", "TIMESTAMP")]
    for name in ("attribution", "distribution"):
        lookup(columns["client_info"]["fields"], name)["fields"].append(field("ext", "JSON"))
    view = ping + [field(f"app_version_{part}", "NUMERIC") for part in ("major", "minor", "patch")]
    view.append(field("is_bot_generated", "BOOLEAN"))

    # events_stream_v1: client_info and ping_info rebuilt field by field (in the query's order),
    # ping-level columns added, then one row per event of `events`.
    def struct_fields(struct: str) -> list[str]:
        block = re.search(r"STRUCT\((.*?)\)\s+AS " + struct, query, re.S)
        if not block:
            raise SystemExit(f"events_stream_v1 query: no STRUCT(...) AS {struct}: update assemble")
        return re.findall(rf"{struct}\.(\w+)", block.group(1))

    base = []
    for column in view:
        if column["name"] in ("client_info", "ping_info"):
            source = by_name(column["fields"])
            column = field(column["name"], "RECORD", fields=[source[n] for n in struct_fields(column["name"])])
        base.append(column)
    base += [field("client_id", "STRING"), field("reason", "STRING"), field("experiments", "JSON"),
             field("profile_group_id", "STRING"), field("legacy_telemetry_client_id", "STRING")]
    stream = [c for c in base if c["name"] != "events"] + [
        field("event_timestamp", "TIMESTAMP"), field("event_category", "STRING"), field("event_name", "STRING"),
        field("event", "STRING"), field("event_extra", "JSON"), field("document_event_number", "INTEGER"),
        field("event_id", "STRING"),
    ]
    for name in ("event_timestamp", "event_category", "event_name", "event_extra", "document_event_number", "event_id"):
        if f"AS {name}" not in query:
            raise SystemExit(f"events_stream_v1 query no longer selects {name}: update assemble")

    # The events_stream view: event_id first, then the typed `extras` of the event_extra keys.
    ordered = [c for c in stream if c["name"] == "event_id"] + [c for c in stream if c["name"] != "event_id"]
    extras = []
    for kind, function, type_ in (("boolean", "LAX_BOOL", "BOOLEAN"), ("quantity", "LAX_INT64", "INTEGER"),
                                  ("string", "JSON_VALUE", "STRING")):
        keys = re.findall(rf"{function}\(event_extra\.(\w+)\) AS `\w+`", stream_view)
        if keys:
            extras.append(field(kind, "RECORD", fields=[field(k, type_) for k in keys]))
    if extras:
        ordered.append(field("extras", "RECORD", fields=extras))
    return ordered


def fxa_all_events(bqetl: Repo) -> list[dict]:
    """firefox_accounts.fxa_all_events: the final SELECT of its view, typed from the log
    extracts it unions (fxa_auth_events_v1/schema.yaml: jsonPayload.fields.* are STRING)."""
    import sqlglot
    from sqlglot import exp

    sql = bqetl.read(f"{SHARED_PROD}/firefox_accounts/fxa_all_events/view.sql")
    extract = yaml_schema(bqetl, f"{SHARED_PROD}/firefox_accounts_derived/fxa_auth_events_v1/schema.yaml")
    tree = sqlglot.parse_one(sql, read="bigquery")
    select = tree.expression if isinstance(tree, exp.Create) else tree
    auth = {cte.alias: cte.this for cte in select.find_all(exp.CTE)}["auth_events"]
    auth_types = {}
    for projection in auth.expressions:
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        auth_types[projection.alias_or_name] = column_type(inner, extract)
    fields = []
    for projection in select.expressions:
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        name = projection.alias_or_name
        if isinstance(inner, exp.Column) and not inner.table:
            fields.append(field(name, auth_types[inner.name]))
        else:
            fields.append(field(name, column_type(inner, extract)))
    return fields


def column_type(expression, extract: list[dict]) -> str:
    """The BigQuery type of one projection of the fxa_all_events view."""
    from sqlglot import exp

    if isinstance(expression, exp.Cast):
        return {"BOOLEAN": "BOOLEAN", "STRING": "STRING", "VARCHAR": "STRING"}.get(
            expression.to.this.name if hasattr(expression.to.this, "name") else str(expression.to.this), "STRING")
    if isinstance(expression, exp.Literal):
        return "STRING"
    if isinstance(expression, (exp.JSONExtractScalar, exp.Coalesce)) or expression.sql("bigquery").upper().startswith(
        ("JSON_VALUE", "COALESCE(JSON_VALUE")
    ):
        return "STRING"
    if "TIMESTAMP_MILLIS" in expression.sql("bigquery").upper():
        return "TIMESTAMP"
    if isinstance(expression, (exp.Column, exp.Dot)):
        path = expression.sql("bigquery").replace("`", "")
        return lookup(extract, path)["type"]
    raise SystemExit(f"fxa_all_events view: cannot type {expression.sql('bigquery')}: update assemble")


def flow_log(table: str, bqetl: Repo) -> list[dict]:
    """firefox_accounts_derived.fxa_log_{auth,content}_events_v1: the SELECT list of the
    table's query.sql, typed from the log table it reads, whose columns the Amplitude extract
    of the same log keeps (fxa_auth_events_v1 for docker_fxa_auth, fxa_content_events_v1 for
    docker_fxa_content)."""
    import sqlglot
    from sqlglot import exp

    query = bqetl.read(f"{SHARED_PROD}/firefox_accounts_derived/{table}/query.sql")
    extract_table = {"fxa_log_auth_events_v1": "fxa_auth_events_v1",
                     "fxa_log_content_events_v1": "fxa_content_events_v1"}[table]
    extract = yaml_schema(bqetl, f"{SHARED_PROD}/firefox_accounts_derived/{extract_table}/schema.yaml")
    tree = sqlglot.parse_one(query, read="bigquery")
    ctes = {cte.alias: cte.this for cte in tree.find_all(exp.CTE)}
    select = ctes.get("base", tree)
    fields = []
    for projection in select.expressions:
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(inner, exp.Func) and not isinstance(inner, (exp.Column, exp.Dot)):
            type_ = "STRING"  # TO_HEX(SHA256(...))
        else:
            type_ = lookup(extract, inner.sql("bigquery").replace("`", ""))["type"]
        fields.append(field(projection.alias_or_name, type_))
    return fields


def replica(table: str, bqetl: Repo) -> list[dict]:
    """accounts_db_external.<table>: its bigquery-etl schema.yaml."""
    return yaml_schema(bqetl, f"{SHARED_PROD}/accounts_db_external/{table}/schema.yaml")


def assemble(args: argparse.Namespace) -> int:
    bqetl = Repo(args.bigquery_etl, "main")
    generated = Repo(args.bigquery_etl, "generated-sql")
    pipeline = Repo(args.pipeline_schemas, "generated-schemas")
    for source, table in declared_tables():
        if source in ("accounts_backend", "accounts_frontend") and table == "events_stream":
            fields = glean_events_stream(source.split("_")[1], generated, pipeline)
        elif (source, table) == ("firefox_accounts", "fxa_all_events"):
            fields = fxa_all_events(bqetl)
        elif source == "firefox_accounts_derived":
            fields = flow_log(table, bqetl)
        elif source == "accounts_db_external":
            fields = replica(table, bqetl)
        else:
            raise SystemExit(f"assemble: no rule for {source}.{table}")
        write_schema(schema_path(args.out, source, table), fields)
        print(f"{source}.{table}: {len(fields)} top-level columns")
    print(f"mozilla/bigquery-etl main {bqetl.commit}, generated-sql {generated.commit}; "
          f"mozilla-services/mozilla-pipeline-schemas generated-schemas {pipeline.commit}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    refresh_parser = sub.add_parser("refresh", help="read the schemas from a live BigQuery project")
    refresh_parser.add_argument("--project", required=True)
    refresh_parser.add_argument("--api-endpoint", help="BigQuery API root, e.g. the emulator's http://127.0.0.1:9050")
    refresh_parser.add_argument("--accounts-db-dataset", default="accounts_db_external")
    refresh_parser.add_argument("--accounts-db-project", help="project of the replicas (default: --project)")
    refresh_parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    assemble_parser = sub.add_parser("assemble", help="build the schemas from Mozilla's public definitions")
    assemble_parser.add_argument("--bigquery-etl", type=Path, required=True, help="git clone of mozilla/bigquery-etl")
    assemble_parser.add_argument("--pipeline-schemas", type=Path, required=True,
                                 help="git clone of mozilla-services/mozilla-pipeline-schemas")
    assemble_parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    return refresh(args) if args.command == "refresh" else assemble(args)


if __name__ == "__main__":
    sys.exit(main())
