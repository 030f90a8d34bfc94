"""The registry of source tables: one declaration per table the generator writes.

Everything that depends on the set of tables reads ``SOURCES``: the schema contract
(``contract.build_layouts``), the day simulation (which row lists a day fills), the driver
(which days an event table holds, where its partition timestamp is, which builder makes a
snapshot table), and both writers (file names, row order of the CSV seeds).

Adding a source table is: write its row builder in its family module (the tuple order its
``*_FIELDS`` give) and declare it here. The sources yml must declare it too; the contract
refuses tables on only one side.

Families:
- ``glean`` and ``legacy`` are event tables, filled by the day simulation (``day.Day``
  hands each family's ``DayRows`` the day's row list of each of its tables) and written
  as one partition per day of their ``period``, on the date of their ``partition`` column;
- ``accounts_db`` tables are snapshots at the end of the window, made by ``build(world,
  logins)`` and written as one partition, ``SNAPSHOT_PART``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Tuple

from . import accounts_db as db
from . import glean, legacy

Fields = Tuple[Tuple[str, str], ...]

EVENT_FAMILIES = ("glean", "legacy")
SNAPSHOT_FAMILIES = ("accounts_db",)
PERIODS = ("glean", "legacy")   # keys of world.World.periods
SNAPSHOT_PART = "000000"        # the one file of a snapshot table in the Parquet layout


@dataclass(frozen=True)
class Source:
    """One source table: where it goes, what its rows hold and how they are made."""

    key: Tuple[str, str]                  # (dataset, table), as in the sources yml
    family: str                           # glean | legacy | accounts_db
    row_fields: Fields                    # (column, type) of the per-row values, in tuple order
    const_fields: Fields = ()             # (column, type) of the shared const tuple (event tables)
    partition: Optional[str] = None       # event tables: timestamp column naming the day partition
    period: Optional[str] = None          # event tables: the days of the window they hold
    csv_sort: Tuple[str, ...] = ()        # row order of the CSV seed (then the whole row)
    build: Optional[Callable] = None      # snapshot tables: build(world, logins) -> rows

    @property
    def dataset(self):
        return self.key[0]

    @property
    def table(self):
        return self.key[1]

    @property
    def is_event_table(self):
        return self.family in EVENT_FAMILIES

    @property
    def partition_index(self):
        """Position of the partition timestamp in a row tuple."""
        return [name for name, _ in self.row_fields].index(self.partition)

    @property
    def csv_name(self):
        """File name of the table's dbt seed (the seed is named after it, minus .csv)."""
        return f"{self.dataset}__{self.table}.csv"

    def parquet_dir(self, out_dir):
        """``OUT/<dataset>/<table>``: the table's directory in the BigQuery EXPORT DATA layout."""
        return Path(out_dir) / self.dataset / self.table

    def parquet_path(self, out_dir, part):
        """``OUT/<dataset>/<table>/<part>.parquet``: one partition of the table."""
        return self.parquet_dir(out_dir) / f"{part}.parquet"


_GLEAN_SORT = ("submission_timestamp", "event_timestamp", "event_id")
_FLOW_LOG_SORT = ("timestamp", "flow_id", "event")


def _glean(key):
    return Source(key, "glean", glean.ROW_FIELDS, glean.CONST_FIELDS, partition="submission_timestamp",
                  period="glean", csv_sort=_GLEAN_SORT)


def _db(table, fields, build, csv_sort):
    return Source((db.DATASET, table), "accounts_db", fields, build=build, csv_sort=csv_sort)


SOURCES = (
    _glean(glean.BACKEND),
    _glean(glean.FRONTEND),
    Source(legacy.FXA_ALL_EVENTS, "legacy", legacy.ROW_FIELDS, legacy.CONST_FIELDS,
           partition="timestamp", period="legacy", csv_sort=("timestamp", "event_time", "event_type")),
    Source(legacy.CONTENT_FLOW, "legacy", legacy.CONTENT_FLOW_ROW_FIELDS, legacy.CONTENT_FLOW_CONST_FIELDS,
           partition="timestamp", period="legacy", csv_sort=_FLOW_LOG_SORT),
    Source(legacy.AUTH_FLOW, "legacy", legacy.AUTH_FLOW_ROW_FIELDS, legacy.AUTH_FLOW_CONST_FIELDS,
           partition="timestamp", period="legacy", csv_sort=_FLOW_LOG_SORT),
    _db("fxa_accounts_v1", db.ACCOUNTS_FIELDS, db.accounts, ("uid",)),
    _db("fxa_emails_v1", db.EMAILS_FIELDS, db.emails, ("id",)),
    _db("fxa_session_tokens_v1", db.SESSION_TOKENS_FIELDS, db.session_tokens, ("uid", "createdAt")),
    _db("fxa_devices_v1", db.DEVICES_FIELDS, db.devices, ("uid", "id")),
    _db("fxa_linked_accounts_v1", db.LINKED_ACCOUNTS_FIELDS, db.linked_accounts, ("uid", "providerId")),
    _db("fxa_totp_v1", db.TOTP_FIELDS, db.totp, ("id",)),
    _db("fxa_recovery_keys_v1", db.RECOVERY_KEYS_FIELDS, db.recovery_keys, ("uid",)),
    _db("fxa_passkeys_v1", db.PASSKEYS_FIELDS, db.passkeys, ("credentialId",)),
    _db("fxa_security_events_v1", db.SECURITY_EVENTS_FIELDS, db.security_events, ("id",)),
    _db("fxa_security_event_names_v1", db.SECURITY_EVENT_NAMES_FIELDS, db.security_event_names, ("id",)),
    _db("fxa_deleted_accounts_v1", db.DELETED_ACCOUNTS_FIELDS, db.deleted_accounts, ("uid",)),
    _db("fxa_oauth_clients_v1", db.OAUTH_CLIENTS_FIELDS, db.oauth_clients, ("id",)),
    _db("fxa_oauth_refresh_tokens_v1", db.OAUTH_REFRESH_TOKENS_FIELDS, db.oauth_refresh_tokens,
        ("userId", "clientId")),
)


def _check(sources):
    """Declarations that cannot work fail at import, not halfway through a run."""
    seen = set()
    for s in sources:
        name = f"{s.dataset}.{s.table}"
        if s.key in seen:
            raise ValueError(f"{name} is declared twice")
        seen.add(s.key)
        columns = {n for n, _ in s.row_fields + s.const_fields}
        if s.family in EVENT_FAMILIES:
            if s.period not in PERIODS or s.build is not None:
                raise ValueError(f"{name}: an event table needs a period in {PERIODS} and no builder")
            if dict(s.row_fields).get(s.partition) != "timestamp":
                raise ValueError(f"{name}: partition {s.partition!r} is no per-row timestamp field")
        elif s.family in SNAPSHOT_FAMILIES:
            if s.build is None or s.partition is not None or s.period is not None or s.const_fields:
                raise ValueError(f"{name}: a snapshot table needs a builder and no partition, period "
                                 "or const fields")
        else:
            raise ValueError(f"{name}: unknown family {s.family!r}")
        unknown = [c for c in s.csv_sort if c not in columns]
        if unknown:
            raise ValueError(f"{name}: csv_sort names unknown columns {unknown}")


_check(SOURCES)
EVENT_SOURCES = tuple(s for s in SOURCES if s.is_event_table)
SNAPSHOT_SOURCES = tuple(s for s in SOURCES if not s.is_event_table)
