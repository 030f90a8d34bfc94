"""Time units and small deterministic helpers shared by every module of the generator.

Timestamps are integer microseconds since the Unix epoch throughout; they become text or
Arrow timestamps only in the writers.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json

SEC_US = 1_000_000
MIN_US = 60 * SEC_US
HOUR_US = 60 * MIN_US
DAY_US = 24 * HOUR_US
MS_US = 1_000

EPOCH = dt.datetime(1970, 1, 1)


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_json(obj):
    """JSON without spaces and with non-ASCII kept, as the logs and replicas hold it."""
    return _JSON.encode(obj)


def uuid4(rng):
    """A version-4 UUID drawn from ``rng`` (so it is reproducible)."""
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def hex_id(rng, nbytes):
    return "%0*x" % (nbytes * 2, rng.getrandbits(nbytes * 8))


def uniform_us(rng, lo_s, hi_s):
    """A duration drawn uniformly between ``lo_s`` and ``hi_s`` seconds, in microseconds."""
    return int((lo_s + rng.random() * (hi_s - lo_s)) * SEC_US)


def to_ms(t):
    """Truncate a timestamp to whole milliseconds."""
    return t - t % MS_US


def date_str(t):
    return (EPOCH + dt.timedelta(microseconds=t)).strftime("%Y-%m-%d")


def format_timestamp(t):
    """The CSV text of a timestamp: ``YYYY-MM-DD HH:MM:SS.ffffff+00:00``."""
    secs, frac = divmod(t, SEC_US)
    return (EPOCH + dt.timedelta(seconds=secs)).strftime("%Y-%m-%d %H:%M:%S") + f".{frac:06d}+00:00"


def cumulative(weights):
    out = []
    acc = 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


def weighted_index(rng, cum):
    return min(bisect.bisect_left(cum, rng.random() * cum[-1]), len(cum) - 1)


def weighted_sample(rng, pool, cum, k):
    """k distinct items of pool, drawn with the weights behind cum."""
    chosen = []
    while len(chosen) < min(k, len(pool)):
        item = pool[weighted_index(rng, cum)]
        if item not in chosen:
            chosen.append(item)
    return chosen
