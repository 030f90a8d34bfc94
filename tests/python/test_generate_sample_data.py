"""Tests of scripts/generate_sample_data.py (the synthetic FxA raw-data generator).

The generator is run as a subprocess into temporary directories. Format and determinism
checks use a small world (--users 60 --days 6); data-property checks use a fresh run with the
default arguments, which is also compared byte for byte with the committed seeds/sample.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import glob
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sample_data import catalogue  # scripts/ is on sys.path (conftest.py)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_sample_data.py"
CATALOGUE = ROOT / "seeds" / "lookups" / "event_catalogue.csv"
SAMPLE_DIR = ROOT / "seeds" / "sample"
SMALL = ("--users", "60", "--days", "6")

BE = "accounts_backend__events_stream"
FE = "accounts_frontend__events_stream"
LEGACY = "firefox_accounts__fxa_all_events"
CONTENT_FLOW = "firefox_accounts_derived__fxa_log_content_events_v1"
AUTH_FLOW = "firefox_accounts_derived__fxa_log_auth_events_v1"
ACCOUNTS = "accounts_db_external__fxa_accounts_v1"
DELETED = "accounts_db_external__fxa_deleted_accounts_v1"
EVENT_PARTITION_COLUMN = {
    ("accounts_backend", "events_stream"): "submission_timestamp",
    ("accounts_frontend", "events_stream"): "submission_timestamp",
    ("firefox_accounts", "fxa_all_events"): "timestamp",
    ("firefox_accounts_derived", "fxa_log_content_events_v1"): "timestamp",
    ("firefox_accounts_derived", "fxa_log_auth_events_v1"): "timestamp",
}
SYNC_OR_BROWSER_IDS = {"5882386c6d801776", "1b1a3e44c54fbb58", "a2270f727f45f648"}
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")


# --------------------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------------------
def run_generator(out, fmt, *extra, project_dir=None, check=True):
    cmd = [sys.executable, str(SCRIPT), "--format", fmt, "--out", str(out), *extra]
    if project_dir is not None:
        cmd += ["--project-dir", str(project_dir)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"generator failed ({result.returncode}):\n{result.stderr}")
    return result


def copy_project(tmp_path):
    """A project holding what the generator reads: models/ and the event catalogue."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "models", project / "models")
    (project / "seeds" / "lookups").mkdir(parents=True)
    shutil.copy(CATALOGUE, project / "seeds" / "lookups" / CATALOGUE.name)
    return project


def declared_tables(project_dir=ROOT):
    """{(dataset, table): [(column, data_type)]} read independently from the sources yml."""
    tables = {}
    for path in sorted(glob.glob(str(project_dir / "models" / "staging" / "*" / "_*__sources.yml"))):
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        for source in doc.get("sources") or []:
            for table in source.get("tables") or []:
                tables[(source["name"], table["name"])] = [
                    (col["name"], col["data_type"]) for col in table.get("columns") or []]
    return tables


def read_csv(path):
    """Rows of a seed CSV as dicts: empty cell -> None, the cell '' -> empty string."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = []
        for cells in reader:
            rows.append({h: (None if c == "" else "" if c == "''" else c) for h, c in zip(header, cells)})
    return header, rows


class Sample:
    """Lazy access to the tables of one CSV output directory."""

    def __init__(self, directory):
        self.dir = Path(directory)
        self._cache = {}

    def __getitem__(self, name):
        if name not in self._cache:
            self._cache[name] = read_csv(self.dir / f"{name}.csv")[1]
        return self._cache[name]


def day(ts):
    return ts[:10] if ts else None


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------------------
# Fixtures.
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def small_csv(tmp_path_factory):
    out = tmp_path_factory.mktemp("small_csv")
    run_generator(out, "csv", *SMALL)
    return out


@pytest.fixture(scope="session")
def small_csv_again(tmp_path_factory):
    out = tmp_path_factory.mktemp("small_csv_again")
    run_generator(out, "csv", *SMALL)
    return out


@pytest.fixture(scope="session")
def small_csv_other_seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("small_csv_seed")
    run_generator(out, "csv", *SMALL, "--seed", "7")
    return out


@pytest.fixture(scope="session")
def small_parquet(tmp_path_factory):
    out = tmp_path_factory.mktemp("small_parquet")
    # A stale file that the generator must remove.
    stale = out / "accounts_backend" / "events_stream"
    stale.mkdir(parents=True)
    (stale / "1999-01-01.parquet").write_bytes(b"stale")
    run_generator(out, "parquet", *SMALL)
    return out


@pytest.fixture(scope="session")
def default_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("default_csv")
    result = run_generator(out, "csv")
    assert "accounts_backend.events_stream:" in result.stdout
    return out


@pytest.fixture(scope="session")
def default(default_dir):
    return Sample(default_dir)


@pytest.fixture(scope="session")
def duck():
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    yield con
    con.close()


# --------------------------------------------------------------------------------------
# Determinism.
# --------------------------------------------------------------------------------------
def test_same_arguments_give_byte_identical_csvs(small_csv, small_csv_again):
    first = sorted(p.name for p in small_csv.iterdir())
    second = sorted(p.name for p in small_csv_again.iterdir())
    assert first == second
    for name in first:
        assert (small_csv / name).read_bytes() == (small_csv_again / name).read_bytes(), name


def test_another_seed_gives_other_data(small_csv, small_csv_other_seed):
    assert (small_csv / f"{BE}.csv").read_bytes() != (small_csv_other_seed / f"{BE}.csv").read_bytes()
    uids = {r["uid"] for r in read_csv(small_csv / f"{ACCOUNTS}.csv")[1]}
    other = {r["uid"] for r in read_csv(small_csv_other_seed / f"{ACCOUNTS}.csv")[1]}
    assert uids and other and not uids & other


# --------------------------------------------------------------------------------------
# Schema contract and formats.
# --------------------------------------------------------------------------------------
def test_csv_per_declared_table_with_declared_header(small_csv):
    declared = declared_tables()
    assert len(declared) == 18
    expected = {f"{d}__{t}.csv" for d, t in declared}
    assert {p.name for p in small_csv.glob("*.csv")} == expected
    for (dataset, table), columns in declared.items():
        header, rows = read_csv(small_csv / f"{dataset}__{table}.csv")
        assert header == [name.replace(".", "__") for name, _ in columns], f"{dataset}.{table}"
        assert rows, f"{dataset}.{table} is empty"


def test_csv_cell_encodings(default):
    declared = declared_tables()
    for (dataset, table), columns in declared.items():
        rows = default[f"{dataset}__{table}"]
        for name, typ in columns:
            col = name.replace(".", "__")
            values = [r[col] for r in rows if r[col] is not None]
            if typ == "timestamp":
                assert all(TIMESTAMP_RE.match(v) for v in values), f"{dataset}.{table}.{name}"
            elif typ == "bool":
                assert set(values) <= {"true", "false"}, f"{dataset}.{table}.{name}"
            elif typ in ("int64", "numeric"):
                assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values), f"{dataset}.{table}.{name}"


def test_seeds_yml_types_every_column_as_string(small_csv):
    text = (small_csv / "_sample__seeds.yml").read_text(encoding="utf-8")
    assert text.startswith("#") and "generated" in text.splitlines()[0].lower()
    doc = yaml.safe_load(text)
    assert doc["version"] == 2
    seeds = {s["name"]: s for s in doc["seeds"]}
    assert set(seeds) == {p.stem for p in small_csv.glob("*.csv")}
    for name, seed in seeds.items():
        dataset, table = name.split("__", 1)
        assert seed["description"] == (f"Sample rows for source {dataset}.{table}; generated by "
                                       "scripts/generate_sample_data.py, do not edit")
        header, _ = read_csv(small_csv / f"{name}.csv")
        assert seed["config"]["column_types"] == {col: "string" for col in header}


def test_parquet_layout_one_file_per_partition_day(small_parquet, duck):
    declared = declared_tables()
    for (dataset, table) in declared:
        files = sorted(p.name for p in (small_parquet / dataset / table).iterdir())
        assert files, f"{dataset}.{table}"
        if (dataset, table) not in EVENT_PARTITION_COLUMN:
            assert files == ["000000.parquet"], f"{dataset}.{table}"
            continue
        column = EVENT_PARTITION_COLUMN[(dataset, table)]
        assert "1999-01-01.parquet" not in files
        for name in files:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.parquet", name), name
            dates = duck.execute(
                f"select distinct cast({column} at time zone 'UTC' as date)::varchar "
                f"from read_parquet('{small_parquet / dataset / table / name}')").fetchall()
            assert dates == [(name[:10],)], f"{dataset}.{table}/{name}"


def _arrow_leaves(fields, prefix=""):
    """(dotted name, type) of the leaves of a pyarrow schema or struct type, in order."""
    pa = pytest.importorskip("pyarrow")
    for field in fields:
        if pa.types.is_struct(field.type):
            yield from _arrow_leaves(list(field.type), prefix + field.name + ".")
        else:
            yield prefix + field.name, field.type


def _struct_order(names):
    """Declared dotted names in the order a nested struct built from them has."""
    tree = {}
    for name in names:
        node = tree
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = None

    def walk(node, prefix):
        for key, child in node.items():
            if child is None:
                yield prefix + key
            else:
                yield from walk(child, prefix + key + ".")

    return list(walk(tree, ""))


def test_parquet_nested_schema_and_types(small_parquet, duck):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    arrow_types = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_(),
                   "timestamp": pa.timestamp("us", tz="UTC"), "json": pa.string(),
                   "numeric": pa.decimal128(38, 9), "float64": pa.float64()}
    for (dataset, table), columns in declared_tables().items():
        for path in (small_parquet / dataset / table).glob("*.parquet"):
            leaves = list(_arrow_leaves(pq.read_schema(path)))
            assert [n for n, _ in leaves] == _struct_order([n for n, _ in columns]), f"{dataset}.{table}"
            declared = dict(columns)
            for name, arrow_type in leaves:
                assert arrow_type == arrow_types[declared[name]], f"{dataset}.{table}.{name}: {arrow_type}"
    backend = small_parquet / "accounts_backend" / "events_stream" / "*.parquet"
    rows, flows = duck.execute(f"select count(*), count(distinct metrics.string.session_flow_id) "
                               f"from read_parquet('{backend}')").fetchone()
    assert rows > 0 and flows > 1
    sub, geo = duck.execute(f"select typeof(submission_timestamp), typeof(metadata.geo) "
                            f"from read_parquet('{backend}') limit 1").fetchone()
    assert sub == "TIMESTAMP WITH TIME ZONE"
    assert geo.startswith("STRUCT(country VARCHAR")
    sessions = small_parquet / "accounts_db_external" / "fxa_session_tokens_v1" / "000000.parquet"
    assert duck.execute(f"select typeof(lastAccessTime), typeof(createdAt) from read_parquet('{sessions}') "
                        "limit 1").fetchone() == ("DECIMAL(38,9)", "TIMESTAMP WITH TIME ZONE")


def test_csv_and_parquet_hold_the_same_rows(small_csv, small_parquet, duck):
    for (dataset, table), columns in declared_tables().items():
        _, rows = read_csv(small_csv / f"{dataset}__{table}.csv")
        files = small_parquet / dataset / table / "*.parquet"
        count = duck.execute(f"select count(*) from read_parquet('{files}')").fetchone()[0]
        assert count == len(rows), f"{dataset}.{table}"
    _, rows = read_csv(small_csv / f"{BE}.csv")
    csv_ids = sorted((r["event_id"], r["submission_timestamp"]) for r in rows)
    files = small_parquet / "accounts_backend" / "events_stream" / "*.parquet"
    pq_ids = duck.execute(
        "select event_id, strftime(submission_timestamp at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f') "
        f"|| '+00:00' from read_parquet('{files}') order by 1, 2").fetchall()
    assert csv_ids == [tuple(r) for r in pq_ids]


def test_contract_missing_declaration_fails_loudly(tmp_path):
    project = copy_project(tmp_path)
    path = project / "models" / "staging" / "glean" / "_glean__sources.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for source in doc["sources"]:
        for table in source["tables"]:
            table["columns"] = [c for c in table["columns"] if c["name"] != "metrics.string.session_flow_id"]
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run_generator(tmp_path / "out", "csv", *SMALL, project_dir=project, check=False)
    assert result.returncode != 0
    assert "metrics.string.session_flow_id" in result.stderr
    assert not (tmp_path / "out" / f"{BE}.csv").exists()


def test_contract_declared_column_without_generator_is_null(tmp_path):
    project = copy_project(tmp_path)
    path = project / "models" / "staging" / "accounts_db_external" / "_accounts_db_external__sources.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = next(t for t in doc["sources"][0]["tables"] if t["name"] == "fxa_accounts_v1")
    table["columns"].insert(1, {"name": "futureColumn", "data_type": "string"})
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    run_generator(tmp_path / "out", "csv", *SMALL, project_dir=project)
    header, rows = read_csv(tmp_path / "out" / f"{ACCOUNTS}.csv")
    assert header[:2] == ["uid", "futureColumn"]
    assert rows and all(r["futureColumn"] is None for r in rows)


# --------------------------------------------------------------------------------------
# Event catalogue.
# --------------------------------------------------------------------------------------
def edit_catalogue(project, edit):
    """Rewrite the project's catalogue copy: edit(rows) changes the list of row dicts."""
    path = project / "seeds" / "lookups" / CATALOGUE.name
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def catalogue_row(rows, source_system, event_name):
    return next(r for r in rows if (r["source_system"], r["event_name"]) == (source_system, event_name))


def test_every_generated_event_name_is_declared_against_the_catalogue(default):
    """catalogue.py lists every event the generator emits (so the start-up check covers all
    of them), and a catalogued Glean event is in the table of its catalogue side."""
    glean, legacy = catalogue.declared_names("glean"), catalogue.declared_names("legacy")
    sides = {BE: "backend", FE: "frontend"}
    for table, side in sides.items():
        events = {r["event"] for r in default[table]}
        assert events <= glean, (table, events - glean)
        for event in events:
            meaning = catalogue.EMITTED.get(("glean", event))
            assert meaning is None or meaning.side == side, (table, event)
    events = {r["event_type"] for r in default[LEGACY]}
    events |= {r["event"] for t in (CONTENT_FLOW, AUTH_FLOW) for r in default[t]}
    assert events <= legacy, events - legacy


def test_catalogue_agrees_with_the_generator():
    assert catalogue.problems(catalogue.load_catalogue(CATALOGUE)) == []


@pytest.mark.parametrize("edit, expected", [
    (lambda rows: catalogue_row(rows, "glean", "reg.view").update(funnel_step="reg_page_view"),
     "'reg.view': funnel_step is 'reg_page_view' in the catalogue, the generator simulates 'reg_view'"),
    (lambda rows: catalogue_row(rows, "glean", "access_token.checked").update(has_user_geo="true"),
     "'access_token.checked': has_user_geo is True"),
    (lambda rows: rows.remove(catalogue_row(rows, "legacy", "fxa_login - complete")),
     "legacy event 'fxa_login - complete' is emitted with a meaning but not in the catalogue"),
    (lambda rows: rows.append({**catalogue_row(rows, "glean", "reg.submit"), "event_name": "reg.engage"}),
     "glean event 'reg.engage' is in the catalogue now"),
])
def test_catalogue_disagreement_fails_loudly(tmp_path, edit, expected):
    project = copy_project(tmp_path)
    edit_catalogue(project, edit)
    result = run_generator(tmp_path / "out", "csv", *SMALL, project_dir=project, check=False)
    assert result.returncode == 2
    assert "error: event catalogue" in result.stderr and expected in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_catalogue_events_the_generator_does_not_emit_are_fine(tmp_path, small_csv):
    project = copy_project(tmp_path)
    edit_catalogue(project, lambda rows: rows.append(
        {**catalogue_row(rows, "glean", "login.view"), "event_name": "cached_login.engage"}))
    run_generator(tmp_path / "out", "csv", *SMALL, project_dir=project)
    assert (tmp_path / "out" / f"{BE}.csv").read_bytes() == (small_csv / f"{BE}.csv").read_bytes()


def test_missing_catalogue_fails_loudly(tmp_path):
    result = run_generator(tmp_path / "out", "csv", *SMALL, "--event-catalogue", str(tmp_path / "none.csv"),
                           check=False)
    assert result.returncode == 2 and "no event catalogue at" in result.stderr
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------
# Committed sample.
# --------------------------------------------------------------------------------------
def test_committed_sample_is_what_the_default_arguments_produce(default_dir):
    generated = sorted(p.name for p in default_dir.iterdir())
    committed = sorted(p.name for p in SAMPLE_DIR.iterdir() if p.suffix in (".csv", ".yml"))
    assert committed == generated, "seeds/sample is stale: rerun the generator with default arguments"
    for name in generated:
        assert (SAMPLE_DIR / name).read_bytes() == (default_dir / name).read_bytes(), (
            f"seeds/sample/{name} is stale: rerun "
            "scripts/generate_sample_data.py --format csv --out seeds/sample")


def test_default_sample_size_budget(default_dir, default):
    assert len(default[BE]) <= 8500
    assert sum(p.stat().st_size for p in default_dir.glob("*.csv")) < 6_000_000


# --------------------------------------------------------------------------------------
# Internal consistency of the default sample.
# --------------------------------------------------------------------------------------
def test_user_ids_are_sha256_of_account_uids(default):
    accounts = {sha256_hex(r["uid"]): r for r in default[ACCOUNTS]}
    deleted = {sha256_hex(r["uid"]) for r in default[DELETED]}
    assert all(re.fullmatch(r"[0-9a-f]{32}", r["uid"]) for r in default[ACCOUNTS])
    completes = {r["metrics__string__account_user_id_sha256"] for r in default[BE]
                 if r["event"] == "reg.complete" and r["metrics__string__account_user_id_sha256"]
                 and r["client_info__app_channel"] == "production"}
    assert len(completes) > 20
    assert completes & deleted, "the sample should contain a registrant deleted afterwards"
    assert completes - deleted <= set(accounts)
    assert not deleted & set(accounts)
    raw = {r["metrics__string__account_user_id"] for r in default[BE]} - {"", None}
    assert raw and {sha256_hex(u) for u in raw} <= set(accounts) | deleted
    legacy_users = {r["user_id"] for r in default[LEGACY] if r["user_id"]}
    assert legacy_users and legacy_users <= set(accounts) | deleted


def test_registration_time_is_account_creation_time(default):
    created = {sha256_hex(r["uid"]): r["createdAt"] for r in default[ACCOUNTS]}
    checked = 0
    for r in default[BE]:
        sha = r["metrics__string__account_user_id_sha256"]
        if r["event"] == "reg.acc_created" and sha in created:
            assert r["event_timestamp"] == created[sha]
            checked += 1
    assert checked > 20


def test_china_users_never_use_sync_or_firefox_browsers(default):
    cn = {r["metrics__string__account_user_id_sha256"] for t in (BE, FE) for r in default[t]
          if r["metadata__geo__country"] == "CN" and r["metrics__string__account_user_id_sha256"]}
    cn |= {r["user_id"] for r in default[LEGACY] if r["country"] == "China" and r["user_id"]}
    assert cn
    for t in (BE, FE):
        for r in default[t]:
            if r["metrics__string__account_user_id_sha256"] in cn or r["metadata__geo__country"] == "CN":
                assert r["metrics__string__relying_party_service"] != "sync", r["event_id"]
                assert r["metrics__string__relying_party_oauth_client_id"] not in SYNC_OR_BROWSER_IDS
                assert r["metrics__string__relying_party_service"] not in SYNC_OR_BROWSER_IDS
    for r in default[LEGACY]:
        if r["user_id"] in cn or r["country"] == "China":
            assert r["service"] != "sync" and r["event_type"] != "fxa_activity - cert_signed"
            assert r["oauth_client_id"] not in SYNC_OR_BROWSER_IDS and r["service"] not in SYNC_OR_BROWSER_IDS
    for r in default[CONTENT_FLOW]:
        if r["country"] == "China":
            assert r["service"] not in SYNC_OR_BROWSER_IDS | {"sync", ""}


def test_frontend_and_backend_of_a_flow_agree(default):
    backend = {}
    for r in default[BE]:
        if r["metrics__string__session_flow_id"]:
            backend.setdefault(r["metrics__string__session_flow_id"], r)
    shared = 0
    for r in default[FE]:
        b = backend.get(r["metrics__string__session_flow_id"])
        if b is None:
            continue
        shared += 1
        for col in ("relying_party_oauth_client_id", "relying_party_service", "session_entrypoint",
                    "utm_campaign", "utm_source"):
            assert r[f"metrics__string__{col}"] == b[f"metrics__string__{col}"], col
        user = r["metrics__string__account_user_id_sha256"]
        if user:
            assert user == b["metrics__string__account_user_id_sha256"]
    assert shared > 100


def test_every_relier_has_flows(default):
    flows = collections.defaultdict(set)
    for t in (BE, FE):
        for r in default[t]:
            flow = r["metrics__string__session_flow_id"]
            if flow:
                relier = (r["metrics__string__relying_party_oauth_client_id"]
                          or r["metrics__string__relying_party_service"])
                flows["5882386c6d801776" if relier == "sync" else relier].add(flow)
    expected = {"5882386c6d801776", "1b1a3e44c54fbb58", "a2270f727f45f648", "802d56ef2a9af9fa",
                "9ebfe2c2f9ea3c58", "e6eb0d1e856335fc", "749818d3f2e7857f", "a4907de5fa9d78fc",
                "720bc80adfa6988d", "ea3ca969f8c6bb0d", "0f5e6d7c8b9a0123"}
    assert expected <= set(flows)
    assert all(len(flows[r]) >= 10 for r in expected), {r: len(flows[r]) for r in expected}
    clients = {r["id"] for r in default["accounts_db_external__fxa_oauth_clients_v1"]}
    assert "0f5e6d7c8b9a0123" not in clients
    assert expected - {"0f5e6d7c8b9a0123"} <= clients and "6c6c2958595c38de" in clients


def test_token_checks_carry_the_relier_servers_geo_and_no_flow(default):
    checks = [r for r in default[BE] if r["event"] == "access_token.checked"]
    assert len(checks) > 0.4 * len(default[BE])
    for r in checks:
        # relier back-ends send them: the geo is where the relier's servers are, never the user's
        assert (r["metadata__geo__country"], r["metadata__geo__city"]) == ("US", "Ashburn")
        assert r["metrics__string__session_flow_id"] == ""
        assert r["metrics__string__account_user_id_sha256"]
        assert "scopes" in json.loads(r["event_extra"])


def test_legacy_extracted_columns_equal_their_json(default):
    for r in default[LEGACY]:
        user = json.loads(r["user_properties"]) if r["user_properties"] else {}
        event = json.loads(r["event_properties"]) if r["event_properties"] else {}
        for col in ("flow_id", "entrypoint", "utm_source", "utm_medium", "utm_campaign", "ua_browser",
                    "ua_version"):
            assert r[col] == user.get(col), col
        for col in ("service", "oauth_client_id"):
            assert r[col] == event.get(col), col
        assert r["fxa_log"] == ("content" if r["event_type"].endswith(" - view")
                                or r["event_type"] == "fxa_login - totp_code_success" else "auth")
        assert r["event_time"] <= r["timestamp"] <= r["receiveTimestamp"]
    sync_tokens = [r for r in default[LEGACY] if r["event_type"].startswith("fxa_activity - access_token")
                   and (r["service"] == "sync"
                        or r["oauth_client_id"] in ("5882386c6d801776", "1b1a3e44c54fbb58"))]
    assert not sync_tokens
    flow_ids = {r["flow_id"] for r in default[LEGACY] if r["flow_id"]}
    assert {r["flow_id"] for r in default[AUTH_FLOW]} <= flow_ids


def test_accounts_db_shapes(default):
    accounts = {r["uid"] for r in default[ACCOUNTS]}
    emails = default["accounts_db_external__fxa_emails_v1"]
    assert [int(r["id"]) for r in emails] == list(range(1, len(emails) + 1))
    primaries = collections.Counter(r["uid"] for r in emails if r["isPrimary"] == "true")
    assert set(primaries) == accounts and set(primaries.values()) == {1}
    for table, column in (("fxa_session_tokens_v1", "uid"), ("fxa_devices_v1", "uid"),
                          ("fxa_linked_accounts_v1", "uid"), ("fxa_totp_v1", "uid"),
                          ("fxa_recovery_keys_v1", "uid"), ("fxa_passkeys_v1", "uid"),
                          ("fxa_security_events_v1", "uid"), ("fxa_oauth_refresh_tokens_v1", "userId")):
        rows = default[f"accounts_db_external__{table}"]
        assert rows and {r[column] for r in rows} <= accounts, table
    names = default["accounts_db_external__fxa_security_event_names_v1"]
    ids = [int(r["id"]) for r in names]
    assert 43 not in ids and ids == sorted(set(range(1, 51)) - {43})
    created = collections.Counter(r["uid"] for r in default["accounts_db_external__fxa_security_events_v1"]
                                  if r["nameId"] == "1")
    assert set(created) == accounts and set(created.values()) == {1}
    for r in default["accounts_db_external__fxa_security_events_v1"]:
        assert re.fullmatch(r"(192\.0\.2|198\.51\.100)\.\d{1,3}", r["ipAddr"])
        json.loads(r["additionalInfo"])
    for r in default["accounts_db_external__fxa_passkeys_v1"]:
        assert isinstance(json.loads(r["transports"]), list)


# --------------------------------------------------------------------------------------
# Deliberate oddities.
# --------------------------------------------------------------------------------------
def test_exact_duplicate_events(default):
    for table in (BE, FE):
        counts = collections.Counter(tuple(r.items()) for r in default[table])
        dup_rows = [row for row, n in counts.items() if n > 1]
        assert dup_rows, table
        ids = collections.Counter(r["event_id"] for r in default[table])
        # Every repeated event_id is an exact copy of the row (at-least-once delivery).
        assert sum(n - 1 for n in ids.values()) == sum(n - 1 for n in counts.values()), table
        share = sum(n - 1 for n in ids.values()) / len(default[table])
        assert 0.005 < share < 0.05, (table, share)
    legacy = collections.Counter(tuple(r.items()) for r in default[LEGACY])
    assert any(n > 1 for n in legacy.values())


def test_exactly_one_malformed_event_extra(default):
    bad = []
    for table in (BE, FE):
        for r in default[table]:
            if r["event_extra"] is None:
                continue
            try:
                value = json.loads(r["event_extra"])
                assert isinstance(value, dict)
            except ValueError:
                bad.append((table, r))
    assert len(bad) == 1
    table, row = bad[0]
    assert table == FE and row["event_extra"] == '{"reason": "registration"'
    assert row["event"] == "email.first_submit_success"


def test_event_extra_types(default):
    extras = [json.loads(r["event_extra"]) for t in (BE, FE) for r in default[t]
              if r["event_extra"] and r["event_extra"].endswith("}")]
    assert any(isinstance(v, bool) for e in extras for v in e.values())
    assert any(isinstance(v, int) and not isinstance(v, bool) for e in extras for v in e.values())
    assert any(r["event_extra"] is None for r in default[BE] if r["event"] == "reg.acc_created")


def test_empty_strings_not_nulls_in_glean(default):
    fe_first_views = [r for r in default[FE] if r["event"] == "email.first_view"]
    assert fe_first_views and all(r["metrics__string__account_user_id_sha256"] == "" for r in fe_first_views)
    for table in (BE, FE):
        for r in default[table]:
            for col in ("account_user_id_sha256", "relying_party_oauth_client_id", "relying_party_service",
                        "session_flow_id", "utm_campaign", "utm_term"):
                assert r[f"metrics__string__{col}"] is not None, (table, col)
    sync = [r for r in default[BE] if r["metrics__string__relying_party_service"] == "sync"]
    assert sum(r["metrics__string__relying_party_oauth_client_id"] == "" for r in sync) > len(sync) / 2
    assert any(r["metrics__string__relying_party_oauth_client_id"] == "5882386c6d801776" for r in sync)
    assert any(r["metrics__string__account_user_id"] == "" for r in default[BE])


def test_next_day_submissions(default):
    for table in (BE, FE):
        rows = default[table]
        late = [r for r in rows if day(r["submission_timestamp"]) > day(r["event_timestamp"])]
        assert 0.01 * len(rows) < len(late) < 0.08 * len(rows), table
        assert all(r["submission_timestamp"] > r["event_timestamp"] for r in rows)


def test_flows_with_backend_but_no_frontend_events(default):
    first_glean_day = min(day(r["submission_timestamp"]) for r in default[BE])
    fe_flows = {r["metrics__string__session_flow_id"] for r in default[FE]}
    completed = {r["metrics__string__session_flow_id"] for r in default[BE]
                 if r["event"] in ("reg.complete", "login.complete")
                 and day(r["event_timestamp"]) > first_glean_day}
    lost = completed - fe_flows
    assert 0.05 * len(completed) < len(lost) < 0.3 * len(completed)


def test_flows_crossing_midnight(default):
    dates = collections.defaultdict(set)
    for table in (BE, FE):
        for r in default[table]:
            if r["metrics__string__session_flow_id"]:
                dates[r["metrics__string__session_flow_id"]].add(day(r["event_timestamp"]))
    crossing = [f for f, ds in dates.items() if len(ds) > 1]
    assert len(crossing) >= 3


def test_legacy_before_cutover_and_glean_after(default):
    start, cutover = dt.date(2024, 5, 27), dt.date(2024, 6, 1)
    legacy_days = {day(r["timestamp"]) for t in (LEGACY, CONTENT_FLOW, AUTH_FLOW) for r in default[t]}
    assert min(legacy_days) == str(start)
    assert max(legacy_days) == str(cutover + dt.timedelta(days=2))
    glean_days = {day(r["submission_timestamp"]) for t in (BE, FE) for r in default[t]}
    assert min(glean_days) == str(start + dt.timedelta(days=3))
    assert max(glean_days) == str(start + dt.timedelta(days=13))
    assert any(d < str(cutover) for d in legacy_days) and any(d >= str(cutover) for d in glean_days)


def test_periods_are_relative_to_start_date(tmp_path):
    run_generator(tmp_path, "csv", "--users", "40", "--days", "10", "--start-date", "2023-01-02")
    legacy = {day(r["timestamp"]) for r in read_csv(tmp_path / f"{LEGACY}.csv")[1]}
    glean = {day(r["submission_timestamp"]) for r in read_csv(tmp_path / f"{BE}.csv")[1]}
    # cutover = start + floor(0.4 * 10) = 2023-01-06; legacy until cutover + 2.
    assert min(legacy) == "2023-01-02" and max(legacy) == "2023-01-08"
    assert min(glean) == "2023-01-05" and max(glean) == "2023-01-11"


def test_stage_and_development_traffic_replays_flows_with_their_own_ids(default):
    """The stage and development deployments send to the same tables: a few percent of the
    Glean rows, with their own flow ids and accounts (never a production account)."""
    production_users = {r["metrics__string__account_user_id_sha256"] for t in (BE, FE) for r in default[t]
                        if r["client_info__app_channel"] == "production"} - {""}
    production_flows = {r["metrics__string__session_flow_id"] for t in (BE, FE) for r in default[t]
                        if r["client_info__app_channel"] == "production"} - {""}
    for t in (BE, FE):
        channels = collections.Counter(r["client_info__app_channel"] for r in default[t])
        assert set(channels) == {"production", "stage", "development"}, channels
        share = 1 - channels["production"] / sum(channels.values())
        assert 0.005 < share < 0.08, (t, channels)
        for r in default[t]:
            if r["client_info__app_channel"] != "production":
                assert r["metrics__string__account_user_id_sha256"] not in production_users
                assert r["metrics__string__session_flow_id"] not in production_flows
                assert r["metrics__string__account_user_id"] == ""


def test_legacy_country_code_only_on_auth_server_rows(default):
    """fxa_all_events.country_code is event_properties.country_code of the auth log and NULL
    for content-server rows (bigquery-etl firefox_accounts/fxa_all_events/view.sql)."""
    rows = default[LEGACY]
    assert all(r["country_code"] is None for r in rows if r["fxa_log"] == "content")
    coded = [r for r in rows if r["fxa_log"] == "auth" and r["country_code"]]
    assert len(coded) > 0.3 * len(rows)
    assert all(re.fullmatch(r"[A-Z]{2}", r["country_code"]) for r in coded)
    assert any(r["country"] is None for r in coded), "a code without a name should occur"
