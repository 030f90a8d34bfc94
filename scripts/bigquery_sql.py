"""What the project's SQL does to BigQuery's raw tables, read with sqlglot.

    python scripts/bigquery_sql.py check-partition-filters --manifest M LOG_DIR [LOG_DIR...]
    python scripts/bigquery_sql.py report --manifest M LOG_DIR [LOG_DIR...]

dbt writes every statement it sends to the warehouse into its log; with
`--log-format-file json --log-path DIR` each is one `SQLQuery` event in DIR/dbt.log, with the
node that sent it in its query comment. `make test` runs the emulator build, a daily run,
`dbt source freshness` and the audit that way (the Makefile's emulator-build target), and
tests/python/test_bigquery_partition_filters.py checks every statement:

* a read of a table that requires a partition filter (sources yml
  `config.meta.require_partition_filter`, e.g. accounts_backend.events_stream on
  `submission_timestamp`) must carry, in the WHERE of the SELECT that reads it, a comparison
  of the partition column with a constant (a literal, or a cast of one): what BigQuery needs
  to accept the query and prune partitions (a bound that depends on a subquery or another
  column prunes nothing, and the query fails);
* the columns read from any source table are collected, for tests/python/test_real_schemas.py.

The emulator cannot enforce the rule itself: crucible-emulator refuses both
`OPTIONS(require_partition_filter = TRUE)` and time partitioning on a TIMESTAMP column, and
reports totalBytesProcessed as 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.scope import traverse_scope

COMMENT = re.compile(r"/\*\s*(\{.*?\})\s*\*/", re.S)


@dataclass
class Statement:
    node: str          # node id (model.x.y, test.x.y, ...) or dbt's connection name
    sql: str
    command: str       # the dbt command line that sent it
    log: Path


def log_files(directory: Path) -> list[Path]:
    """dbt.log of a log directory and, oldest first before it, the files dbt rotated it into
    (dbt.log.1 is the newest of those) once it passed --log-file-max-bytes (10 MB by
    default: a phase's log can outgrow it, and what was rotated would go unchecked)."""
    rotated = sorted(Path(directory).glob("dbt.log.[0-9]*"), key=lambda path: int(path.suffix[1:]), reverse=True)
    return [*rotated, Path(directory) / "dbt.log"]


def statements(log_dirs: list[Path]) -> list[Statement]:
    """Every SQL statement of the dbt JSON logs in `log_dirs` (each holds a dbt.log, and
    maybe the files it was rotated into)."""
    found = []
    for directory in log_dirs:
        if not (Path(directory) / "dbt.log").exists():
            raise FileNotFoundError(f"{Path(directory) / 'dbt.log'}: no dbt JSON log "
                                    "(run dbt with --log-format-file json --log-path DIR)")
        found += log_statements(log_files(Path(directory)))
    return found


def log_statements(paths: list[Path]) -> list[Statement]:
    """The SQL statements of one log directory's files, in the order dbt wrote them."""
    found = []
    command = ""
    for path in paths:
        for line in path.read_text().splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            name = event.get("info", {}).get("name")
            data = event.get("data", {})
            if name == "MainReportArgs":
                command = (data.get("args") or {}).get("invocation_command", "")
            elif name == "SQLQuery":
                sql = data.get("sql") or ""
                node = data.get("conn_name") or ""
                match = COMMENT.match(sql.strip())
                if match:
                    try:
                        comment = json.loads(match.group(1))
                        node = comment.get("node_id") or comment.get("connection_name") or node
                    except json.JSONDecodeError:
                        pass
                found.append(Statement(node, sql, command, path))
    return found


def parse(sql: str) -> list[exp.Expression]:
    return [tree for tree in sqlglot.parse(sql, read="bigquery") if tree is not None]


def table_key(table: exp.Table) -> tuple[str, str]:
    return (table.db.lower(), table.name.lower())


# ---------------------------------------------------------------------------- partition filters


@dataclass
class RawRead:
    """One SELECT that reads a table requiring a partition filter."""
    table: tuple[str, str]
    column: str
    bounds: list[tuple[str, str]] = field(default_factory=list)   # (column's operator, constant SQL)

    @property
    def ok(self) -> bool:
        return bool(self.bounds)

    def days(self) -> int | None:
        """Days (partitions) the constant bounds let through, when both ends are dates: the
        conjuncts all hold, so the tightest lower and upper bound decide."""
        low = [_date_of(value) for op, value in self.bounds if op in (">=", ">", "=")]
        # An inclusive upper bound (<=, =, the end of a BETWEEN) lets its own day through.
        high = [_date_of(value) + dt.timedelta(days=0 if op == "<" else 1)
                for op, value in self.bounds if op in ("<", "<=", "=") and _date_of(value)]
        if not low or not high or None in low:
            return None
        return (min(high) - max(low)).days


def _date_of(sql: str) -> dt.date | None:
    match = re.search(r"(\d{4}-\d{2}-\d{2})", sql)
    return dt.date.fromisoformat(match.group(1)) if match else None


def is_constant(node: exp.Expression) -> bool:
    """A literal, or casts and functions of literals only (CURRENT_TIMESTAMP counts: BigQuery
    evaluates it once per query): no column, no subquery, no NULL, nothing random."""
    return not any(isinstance(n, (exp.Column, exp.Select, exp.Subquery, exp.Null, exp.Rand)) for n in node.walk())


OPERATORS = {exp.GTE: ">=", exp.GT: ">", exp.LT: "<", exp.LTE: "<=", exp.EQ: "="}
FLIPPED = {">=": "<=", ">": "<", "<": ">", "<=": ">=", "=": "="}


def conjuncts(condition: exp.Expression | None) -> list[exp.Expression]:
    if condition is None:
        return []
    while isinstance(condition, exp.Paren):
        condition = condition.this
    if isinstance(condition, exp.And):
        return conjuncts(condition.left) + conjuncts(condition.right)
    return [condition]


def is_partition_column(node: exp.Expression, column: str, aliases: set[str]) -> bool:
    return (isinstance(node, exp.Column) and node.name.lower() == column.lower()
            and (not node.table or node.table.lower() in aliases))


def constant_bounds(select: exp.Select, column: str, aliases: set[str]) -> list[tuple[str, str]]:
    where = select.args.get("where")
    bounds = []
    for term in conjuncts(where.this if where else None):
        if isinstance(term, exp.Between) and is_partition_column(term.this, column, aliases):
            if is_constant(term.args["low"]) and is_constant(term.args["high"]):
                bounds.append((">=", term.args["low"].sql("bigquery")))
                bounds.append(("<=", term.args["high"].sql("bigquery")))
        elif type(term) in OPERATORS:
            op = OPERATORS[type(term)]
            if is_partition_column(term.left, column, aliases) and is_constant(term.right):
                bounds.append((op, term.right.sql("bigquery")))
            elif is_partition_column(term.right, column, aliases) and is_constant(term.left):
                bounds.append((FLIPPED[op], term.left.sql("bigquery")))
    return bounds


def partitioned_reads(tree: exp.Expression, partitioned: dict[tuple[str, str], str]) -> list[RawRead]:
    """Every read of a table of `partitioned` ({(dataset, table): partition column}) in a
    statement, with the constant bounds on its partition column in the SELECT reading it."""
    reads = []
    for table in tree.find_all(exp.Table):
        key = table_key(table)
        if key not in partitioned:
            continue
        column = partitioned[key]
        select = table.find_ancestor(exp.Select)
        read = RawRead(key, column)
        if select is not None and (table.parent is select.args.get("from") or isinstance(table.parent, exp.Join)
                                   or isinstance(table.parent, exp.From)):
            # BigQuery names an aliased table by its alias only.
            aliases = {table.alias.lower()} if table.alias else {table.name.lower()}
            read.bounds = constant_bounds(select, column, aliases)
        reads.append(read)
    return reads


def partition_filter_problems(found: list[Statement], partitioned: dict[tuple[str, str], str]) -> list[str]:
    """One line per statement that reads a partition-filtered table without a constant bound."""
    problems = []
    for statement in found:
        names = "|".join(re.escape(t) for _, t in partitioned)
        if not re.search(names, statement.sql, re.I):
            continue
        try:
            trees = parse(statement.sql)
        except sqlglot.errors.ParseError as error:
            problems.append(f"{statement.node}: statement reading a raw table cannot be parsed ({error})")
            continue
        for tree in trees:
            for read in partitioned_reads(tree, partitioned):
                if not read.ok:
                    problems.append(
                        f"{statement.node}: reads {'.'.join(read.table)} without a constant bound on "
                        f"{read.column} (command: {statement.command})")
    return problems


# ---------------------------------------------------------------------------- columns read


def column_path(column: exp.Column) -> list[str]:
    parts = [p.name for p in column.parts]
    node = column
    while isinstance(node.parent, exp.Dot) and node.parent.this is node:
        node = node.parent
        parts.append(node.expression.name)
    return parts


def columns_read(tree: exp.Expression, tables: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """{(dataset, table): dotted column paths} read from the tables of `tables`, following
    CTEs that pass a table through with `select *` (the staging models' `source` CTE)."""
    reads: dict[tuple[str, str], set[str]] = {}
    queries = [q for q in tree.find_all(exp.Query) if q.find_ancestor(exp.Query) is None]
    for query in queries:
        passthrough: dict[int, tuple[str, str]] = {}
        for scope in traverse_scope(query):
            selected = scope.selected_sources
            raw_of = {}
            for alias, (_node, source) in selected.items():
                if isinstance(source, exp.Table) and table_key(source) in tables:
                    raw_of[alias.lower()] = table_key(source)
                elif not isinstance(source, exp.Table) and id(source) in passthrough:
                    raw_of[alias.lower()] = passthrough[id(source)]
            if not raw_of:
                continue
            expressions = scope.expression.expressions if isinstance(scope.expression, exp.Select) else []
            if len(selected) == 1 and len(expressions) == 1 and isinstance(expressions[0], exp.Star):
                passthrough[id(scope)] = next(iter(raw_of.values()))
            for column in scope.columns:
                path = column_path(column)
                if path[0].lower() in raw_of and len(path) > 1:
                    key, path = raw_of[path[0].lower()], path[1:]
                elif len(raw_of) == 1 and len(selected) == 1:
                    key = next(iter(raw_of.values()))
                else:
                    continue
                reads.setdefault(key, set()).add(".".join(path))
    return reads


# ---------------------------------------------------------------------------- command line


def partitioned_tables(manifest: Path, required_only: bool = True) -> dict[tuple[str, str], str]:
    """{(dataset, table): partition column} of the sources whose config.meta says that
    BigQuery requires a partition filter (or, with required_only=False, that are
    partitioned at all)."""
    nodes = json.loads(Path(manifest).read_text())["sources"].values()
    out = {}
    for source in nodes:
        meta = (source.get("config") or {}).get("meta") or source.get("meta") or {}
        if meta.get("partition_column") and (meta.get("require_partition_filter") or not required_only):
            out[(source["schema"].lower(), source["identifier"].lower())] = meta["partition_column"]
    return out


def windowed_models(manifest: Path) -> dict[tuple[str, str], str]:
    """{(dataset, table): window column} of the models whose meta.window_column is set: the
    incremental models whose data tests a windowed run bounds (macros/quality/test_window.sql)."""
    out = {}
    for node in json.loads(Path(manifest).read_text())["nodes"].values():
        column = ((node.get("config") or {}).get("meta") or {}).get("window_column")
        if node["resource_type"] == "model" and column:
            out[(node["schema"].lower(), (node.get("alias") or node["name"]).lower())] = column
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check-partition-filters")
    check.add_argument("--manifest", type=Path, required=True)
    check.add_argument("logs", type=Path, nargs="+")
    report = sub.add_parser("report")
    report.add_argument("--manifest", type=Path, required=True)
    report.add_argument("logs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    found = statements(args.logs)
    if args.command == "check-partition-filters":
        partitioned = partitioned_tables(args.manifest)
        problems = partition_filter_problems(found, partitioned)
        for line in problems:
            print(line)
        print(f"{len(found)} statements, {len(problems)} without a partition filter", file=sys.stderr)
        return 1 if problems else 0
    partitioned = partitioned_tables(args.manifest, required_only=False)
    reads = []
    for statement in found:
        for tree in parse(statement.sql):
            reads += [(statement.node, read) for read in partitioned_reads(tree, partitioned)]
    print(json.dumps({
        "statements": len(found),
        "raw_reads": [{"node": node, "table": ".".join(r.table), "days": r.days(), "bounds": r.bounds}
                      for node, r in reads],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
