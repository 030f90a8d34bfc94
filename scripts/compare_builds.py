"""Compare two DuckDB builds of the project relation by relation, row for row.

A refactoring that must not change what the marts say is checked by building the old
and the new tree on the same raw data and running this: for every relation of the
chosen schemas present in both databases, the rows of one not in the other are counted
both ways with EXCEPT ALL (duplicates count), over the columns both have. Relations
present in one database only, and columns present on one side only, are listed too.

    python scripts/compare_builds.py BEFORE.duckdb AFTER.duckdb [--schemas fxa_marts ...]

Exit status 0 when every common relation is equal and no relation of the schemas is
missing from AFTER; 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

DEFAULT_SCHEMAS = ("fxa_marts",)


def relations(con: duckdb.DuckDBPyConnection, catalog: str, schemas: tuple[str, ...]) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_catalog = ? and table_schema in (select unnest(?)) order by ordinal_position",
        [catalog, list(schemas)],
    ).fetchall()
    found: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        found.setdefault((schema, table), []).append(column)
    return found


def compare(before: str, after: str, schemas: tuple[str, ...]) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{before}' as before_db (read_only)")
    con.execute(f"attach '{after}' as after_db (read_only)")
    old = relations(con, "before_db", schemas)
    new = relations(con, "after_db", schemas)
    failures = 0
    for key in sorted(old.keys() | new.keys()):
        name = ".".join(key)
        if key not in new:
            print(f"MISSING  {name}: only in {before}")
            failures += 1
            continue
        if key not in old:
            print(f"NEW      {name}: only in {after}")
            continue
        common = [c for c in old[key] if c in new[key]]
        extra = sorted(set(old[key]) ^ set(new[key]))
        cols = ", ".join(f'"{c}"' for c in common)
        rel = f'"{key[0]}"."{key[1]}"'
        only_old = con.execute(
            f"select count(*) from (select {cols} from before_db.{rel} except all select {cols} from after_db.{rel})"
        ).fetchone()[0]
        only_new = con.execute(
            f"select count(*) from (select {cols} from after_db.{rel} except all select {cols} from before_db.{rel})"
        ).fetchone()[0]
        total = con.execute(f"select count(*) from after_db.{rel}").fetchone()[0]
        status = "EQUAL" if only_old == only_new == 0 else "DIFFERS"
        failures += status == "DIFFERS"
        note = f"; columns on one side only: {', '.join(extra)}" if extra else ""
        print(f"{status:8} {name}: {total} rows, {only_old} only before, {only_new} only after{note}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schemas", nargs="+", default=list(DEFAULT_SCHEMAS))
    args = parser.parse_args(argv)
    return compare(args.before, args.after, tuple(args.schemas))


if __name__ == "__main__":
    sys.exit(main())
