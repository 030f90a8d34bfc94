"""The driver: plays the days, routes event rows to their partition day, then builds the
snapshot tables, all into one writer.

Rows are routed by the date of their table's partition column (``sources.Source.
partition``): a row submitted on the next UTC day waits for that day's partition; rows
outside the table's period (``Source.period``), or past the window, are dropped as a daily
extract would drop them.
"""
from __future__ import annotations

import gc
import sys

from .accounts_db import LoginLog
from .common import DAY_US, date_str
from .day import Day
from .sources import EVENT_SOURCES, SNAPSHOT_PART, SNAPSHOT_SOURCES
from .world import World
from .writers import CsvOutput, ParquetOutput


class Router:
    """Routes the rows of one event table to their partition day, carrying late rows forward."""

    def __init__(self, key, world, output, first_day, last_day, ts_index):
        self.key = key
        self.w = world
        self.output = output
        self.first = first_day
        self.last = last_day
        self.ts = ts_index
        self.carry = {}
        self.dropped = 0

    def flush_day(self, day, rows):
        start = self.w.start_us
        ts = self.ts
        current = self.carry.pop(day, [])
        carry = self.carry
        for row in rows:
            k = (row[ts] - start) // DAY_US
            if k == day:
                current.append(row)
            elif k > day:
                carry.setdefault(k, []).append(row)
            else:
                raise AssertionError(f"{self.key}: row dated before the day that generated it")
        if self.first <= day <= self.last and current:
            part = date_str(start + day * DAY_US)
            self.output.write_partition(self.key, part, current)
        else:
            self.dropped += len(current)

    def close(self):
        self.dropped += sum(len(v) for v in self.carry.values())
        self.carry = {}


def generate(args, layouts):
    """Simulate the world of ``args`` and write it in ``args.format``: (world, row counts)."""
    # Millions of short-lived acyclic tuples: the cyclic GC only costs time here.
    gc.disable()
    try:
        return _generate(args, layouts)
    finally:
        gc.enable()


def _generate(args, layouts):
    world = World(args)
    output = CsvOutput(args.out, layouts) if args.format == "csv" else ParquetOutput(args.out, layouts)
    routers = {source.key: Router(source.key, world, output, *world.periods[source.period],
                                  source.partition_index)
               for source in EVENT_SOURCES}
    logins = LoginLog()
    for day in range(world.days):
        rows = Day(world, day, logins).run()
        for key, router in routers.items():
            router.flush_day(day, rows.pop(key))
        del rows
    for router in routers.values():
        router.close()
    if world.malformed_pending:
        print("warning: no frontend row qualified for the malformed event_extra oddity", file=sys.stderr)
    for source in SNAPSHOT_SOURCES:
        rows = source.build(world, logins)
        output.write_partition(source.key, SNAPSHOT_PART, rows)
        del rows
    counts = output.finish()
    return world, counts
