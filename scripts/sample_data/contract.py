"""The schema contract: the dbt source definitions say which columns every table has.

``load_declared_tables`` reads ``models/staging/*/_*__sources.yml`` (the columns and their
``data_type``). ``build_layouts`` pairs each declared table with the source declaration of
the generator (``sources.py``): every declared column is written, in declared order; a
declared column the generator has no value for is written as NULL (with a note on
stderr); a generated column that is not declared, or declared with another type, is a
``ContractError`` and stops the run before anything is written.
"""
from __future__ import annotations

import glob
import os
import sys

import yaml

DATA_TYPES = ("string", "int64", "bool", "timestamp", "json", "numeric")
# Also accepted in the sources yml (the raw-source loader knows them); nothing is generated
# for them yet, so such columns are written as NULL.
EXTRA_DATA_TYPES = ("float64", "date")


class ContractError(Exception):
    """The sources yml (or the event catalogue) and the generator disagree."""


def load_declared_tables(project_dir):
    """Read every ``models/staging/*/_*__sources.yml``: {(dataset, table): [(column, type)]}."""
    pattern = os.path.join(str(project_dir), "models", "staging", "*", "_*__sources.yml")
    paths = sorted(glob.glob(pattern))
    if not paths:
        raise ContractError(f"no sources yml found with {pattern}")
    declared = {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
        for source in doc.get("sources") or []:
            dataset = source["name"]
            schema = source.get("schema")
            if isinstance(schema, str) and "{" not in schema and schema != dataset:
                raise ContractError(f"{path}: source {dataset!r} has schema {schema!r}; "
                                    "expected the dataset name")
            for table in source.get("tables") or []:
                key = (dataset, table["name"])
                if key in declared:
                    raise ContractError(f"{path}: table {dataset}.{table['name']} declared twice")
                cols = []
                seen = set()
                for col in table.get("columns") or []:
                    name = col["name"]
                    typ = str(col.get("data_type") or "").strip().lower()
                    if typ not in DATA_TYPES + EXTRA_DATA_TYPES:
                        raise ContractError(f"{path}: {dataset}.{table['name']}.{name}: data_type "
                                            f"{col.get('data_type')!r} is not one of "
                                            f"{DATA_TYPES + EXTRA_DATA_TYPES}")
                    if name in seen:
                        raise ContractError(f"{path}: {dataset}.{table['name']}.{name} declared twice")
                    seen.add(name)
                    cols.append((name, typ))
                declared[key] = cols
    return declared


class Layout:
    """Maps the declared columns of one table to positions in the generator's row tuples.

    A row is ``per-row values + (const tuple,)`` when the table has const fields, else a
    plain tuple of values; ``flat(row)`` gives the values in generator field order.
    """

    def __init__(self, source, declared_columns):
        self.source = source
        self.key = source.key
        self.dataset, self.table = source.key
        self.columns = list(declared_columns)
        row_fields, const_fields = source.row_fields, source.const_fields
        fields = tuple(row_fields) + tuple(const_fields)
        types = dict(self.columns)
        problems = []
        for name, typ in fields:
            if name not in types:
                problems.append(f"generator has values for {name!r}, which is not declared")
            elif types[name] != typ:
                problems.append(f"{name!r} is declared {types[name]!r} but generated as {typ!r}")
        if problems:
            raise ContractError(f"{self.dataset}.{self.table}: " + "; ".join(problems))
        self.index = {name: i for i, (name, _) in enumerate(fields)}
        self.n_row = len(row_fields)
        self.n_const = len(const_fields)
        self.null_columns = [n for n, _ in self.columns if n not in self.index]

    def flat(self, row):
        return row[:-1] + row[-1] if self.n_const else row

    @property
    def csv_name(self):
        return self.source.csv_name

    @property
    def header(self):
        return [n.replace(".", "__") for n, _ in self.columns]


def build_layouts(project_dir, sources):
    """{key: Layout} for every declared source, after checking both sides name the same tables."""
    declared = load_declared_tables(project_dir)
    generated = {source.key: source for source in sources}
    missing = [f"{d}.{t}" for (d, t) in generated if (d, t) not in declared]
    unknown = [f"{d}.{t}" for (d, t) in declared if (d, t) not in generated]
    if missing:
        raise ContractError("tables the generator writes are not declared in the sources: "
                            + ", ".join(missing))
    if unknown:
        raise ContractError("declared source tables the generator cannot produce: "
                            + ", ".join(unknown))
    layouts = {key: Layout(source, declared[key]) for key, source in generated.items()}
    for layout in layouts.values():
        if layout.null_columns:
            print(f"note: {layout.dataset}.{layout.table}: no generator for "
                  f"{', '.join(layout.null_columns)} (written as NULL)", file=sys.stderr)
    return layouts
