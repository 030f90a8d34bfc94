"""The simulated world: people, their accounts, devices and reliers, and the flows they start.

Everything about a person is decided up front (``World``), from the stream
``<seed>|plan``: who registers when and how, who is deleted, disabled or dormant. The days
(``day.py``) then play the plan out. ``make_flow`` creates the attributes every event of
one flow shares, Glean and legacy alike.
"""
from __future__ import annotations

import datetime as dt
import random
import zlib

from . import glean, legacy
from .common import (DAY_US, EPOCH, HOUR_US, MIN_US, SEC_US, cumulative, hex_id, sha256_hex, to_ms,
                     uniform_us, uuid4, weighted_index, weighted_sample)
from .knobs import (BOT_FLOW_SHARE, DELETED_REGISTRANT_SHARE, DORMANT_USER_SHARE, FE_TOTAL_LOSS,
                    HOUR_WEIGHTS, MIDNIGHT_FLOW_SHARE, REG_CODE_VIEW_P, REG_CREATE_P, REG_STEPS,
                    REG_VERIFY_P, REGISTRANT_SHARE, TELEMETRY_GAP_SHARE, THIRD_PARTY_REG_SHARE)
from .reference import (CN_RELIER_CUM, CN_RELIERS, COUNTRIES, COUNTRY_CUM, PLATFORMS, RELIER_CUM,
                        RELIERS, TRAIN_VERSIONS, UTM_SETS)

HOUR_CUM = cumulative(HOUR_WEIGHTS)


def time_of_day(rng):
    """Microseconds into a day, with a diurnal shape."""
    return weighted_index(rng, HOUR_CUM) * HOUR_US + int(rng.random() * HOUR_US)


def pick_country(rng):
    return COUNTRIES[weighted_index(rng, COUNTRY_CUM)]


class User:
    """One person of the world and their account (attributes set by ``World._make_user``)."""

    __slots__ = ("idx", "uid", "sha", "country", "reliers", "platform", "ua_version", "accept_language",
                 "locale", "fe_client_id", "fe_sample_id", "device_ids", "device_hashes", "ip",
                 "registrant", "created_us", "reg_kind", "reg_relier", "reg_verified", "reg_gap",
                 "reg_midnight", "deleted_us", "disabled_us", "optout_us", "activity", "totp",
                 "linked", "active_from", "active_until", "email_n")

    @property
    def exists_at_end(self):
        return self.deleted_us is None


class World:
    """The plan of the whole window: people, their registrations, deletions and periods."""

    def __init__(self, args):
        self.seed = args.seed
        self.days = args.days
        self.n_users = args.users
        start = dt.datetime.strptime(args.start_date, "%Y-%m-%d")
        self.start_us = int((start - EPOCH).total_seconds()) * SEC_US
        self.end_us = self.start_us + self.days * DAY_US
        # Relative period rule (see --help).
        self.cutover_day = max(1, int(self.days * 0.4))
        self.legacy_last_day = min(self.days - 1, self.cutover_day + 2)
        self.glean_first_day = 3
        # The days each family of event tables holds (sources.py names one per table).
        self.periods = {"glean": (self.glean_first_day, self.days - 1),
                        "legacy": (0, self.legacy_last_day)}
        rng = random.Random(f"{self.seed}|plan")
        self.backend_processes = []
        for _ in range(6):
            cid = uuid4(rng)
            self.backend_processes.append((cid, zlib.crc32(cid.encode()) % 100))
        self.users = [self._make_user(rng, i) for i in range(self.n_users)]
        self.regs_by_day = [[] for _ in range(self.days)]
        self.deletions_by_day = [[] for _ in range(self.days)]
        for u in self.users:
            if u.registrant:
                self.regs_by_day[(u.created_us - self.start_us) // DAY_US].append(u)
            if u.deleted_us is not None and u.deleted_us >= self.start_us:
                self.deletions_by_day[(u.deleted_us - self.start_us) // DAY_US].append(u)
        self.active_users = [u for u in self.users if u.active_from is not None]
        # Abandoned registrations: enough for the frontend drop-off to look real.
        p_create = REG_CREATE_P
        for _, _, p in REG_STEPS:
            p_create *= p
        regs_per_day = REGISTRANT_SHARE * self.n_users / self.days
        self.abandoned_per_day = regs_per_day * (1 - p_create) / p_create
        self.malformed_pending = True   # exactly one frontend row gets a malformed event_extra

    def _make_user(self, rng, idx):
        u = User()
        u.idx = idx
        u.email_n = idx + 1
        u.uid = hex_id(rng, 16)
        u.sha = sha256_hex(u.uid)
        u.country = pick_country(rng)
        pool, cum = (CN_RELIERS, CN_RELIER_CUM) if u.country.iso == "CN" else (RELIERS, RELIER_CUM)
        n = rng.random()
        u.reliers = tuple(weighted_sample(rng, pool, cum, 1 if n < 0.55 else 2 if n < 0.85 else 3))
        keys = [relier.key for relier in u.reliers]
        if "firefox_android" in keys:
            plat = "android"
        elif "firefox_ios" in keys:
            plat = "ipad" if rng.random() < 0.1 else "ios"
        elif "sync" in keys:
            plat = rng.choices(("win", "mac", "linux"), weights=(60, 25, 15))[0]
        else:
            plat = rng.choices(("win", "mac", "linux", "chrome", "safari", "android"),
                               weights=(45, 15, 5, 18, 7, 10))[0]
        u.platform = PLATFORMS[plat]
        u.ua_version = rng.choice(u.platform.versions)
        u.accept_language = rng.choice(u.country.accept_languages)
        u.locale = u.accept_language.split(",")[0]
        u.fe_client_id = uuid4(rng)
        u.fe_sample_id = zlib.crc32(u.fe_client_id.encode()) % 100
        u.device_ids = [hex_id(rng, 16) for _ in range(rng.choice((1, 1, 2, 3)))]
        u.device_hashes = [sha256_hex(d) for d in u.device_ids]
        u.ip = f"{rng.choice(('192.0.2', '198.51.100'))}.{rng.randrange(1, 255)}"
        u.totp = rng.random() < 0.12
        u.linked = []
        if rng.random() < 0.08:
            u.linked.append(1)
        if rng.random() < 0.03:
            u.linked.append(2)
        u.registrant = rng.random() < REGISTRANT_SHARE
        u.reg_kind = "password"
        u.reg_relier = u.reliers[0]
        u.reg_verified = True
        u.reg_gap = False
        u.reg_midnight = False
        u.deleted_us = None
        u.disabled_us = None
        u.optout_us = None
        u.activity = 0.0 if rng.random() < DORMANT_USER_SHARE else 0.08 + rng.random() * 0.45
        if u.registrant:
            day = rng.randrange(self.days)
            if rng.random() < MIDNIGHT_FLOW_SHARE and day < self.days - 1:
                tod = 23 * HOUR_US + 45 * MIN_US + int(rng.random() * 11 * MIN_US)
                u.reg_midnight = True
            else:
                tod = max(time_of_day(rng), 10 * MIN_US + int(rng.random() * 20 * MIN_US))
            u.created_us = to_ms(self.start_us + day * DAY_US + tod)
            if rng.random() < THIRD_PARTY_REG_SHARE and not u.reg_midnight:
                u.reg_kind = rng.choice(("google", "google", "apple"))
                provider = 1 if u.reg_kind == "google" else 2
                if provider not in u.linked:
                    u.linked.append(provider)
            else:
                u.reg_verified = rng.random() < REG_CODE_VIEW_P * REG_VERIFY_P or u.reg_midnight
                u.reg_gap = u.reg_verified and rng.random() < TELEMETRY_GAP_SHARE
            if u.reg_verified and rng.random() < DELETED_REGISTRANT_SHARE:
                deleted = u.created_us + uniform_us(rng, 2 * 3600, 3 * 86400)
                if deleted < self.end_us - HOUR_US:
                    u.deleted_us = to_ms(deleted)
        else:
            age = uniform_us(rng, 30 * 86400, 6 * 365 * 86400)
            u.created_us = to_ms(self.start_us - age)
            r = rng.random()
            if r < 0.01:
                u.disabled_us = to_ms(self.start_us - int(age * rng.random()))
            elif r < 0.03:
                u.optout_us = to_ms(self.start_us - int(age * rng.random()))
        if u.disabled_us is not None or u.optout_us is not None or not u.reg_verified:
            u.active_from = None
            u.active_until = None
        else:
            u.active_from = u.created_us + (15 * MIN_US if u.registrant else 0)
            u.active_until = u.deleted_us if u.deleted_us is not None else self.end_us
        return u

    def train(self, day):
        """(display version, app version) of the release train of a day."""
        return TRAIN_VERSIONS[min(max(day, 0) // 7, len(TRAIN_VERSIONS) - 1)]


# --------------------------------------------------------------------------------------
# Flows.
# --------------------------------------------------------------------------------------
class Flow:
    """Attributes shared by every event of one flow (frontend, backend and legacy)."""

    __slots__ = ("flow_id", "relier", "user", "country", "platform", "ua_version", "locale",
                 "fe_const", "be_consts", "be_tail", "geo", "sha", "legacy_service",
                 "legacy_client", "flowlog_service", "entrypoint", "utm", "user_props",
                 "event_props", "device_hash", "fe_lost", "fe_seq", "app_version", "kind")


def make_flow(world, rng, day, relier, user, kind, country=None, platform=None):
    """A new flow of ``user`` (or of an anonymous visitor from ``country`` on ``platform``)."""
    f = Flow()
    f.kind = kind
    f.flow_id = hex_id(rng, 32)
    f.relier = relier
    f.user = user
    f.country = user.country if user else country
    if user is not None:
        plat = user.platform
        ua_version = user.ua_version
        fe_client, fe_sample = user.fe_client_id, user.fe_sample_id
        f.device_hash = user.device_hashes[0]
        f.locale = user.locale
        f.sha = user.sha
    else:
        plat = platform
        ua_version = rng.choice(plat.versions)
        fe_client = uuid4(rng)
        fe_sample = zlib.crc32(fe_client.encode()) % 100
        f.device_hash = sha256_hex(hex_id(rng, 16))
        f.locale = rng.choice(f.country.accept_languages).split(",")[0]
        f.sha = ""
    if relier.key == "firefox_android":
        plat = PLATFORMS["android"]
    elif relier.key == "firefox_ios" and plat.key not in ("ios", "ipad"):
        plat = PLATFORMS["ios"]
    elif relier.key == "sync" and plat.key not in ("win", "mac", "linux"):
        plat = PLATFORMS["win"]
    if ua_version not in plat.versions:
        ua_version = plat.versions[0]
    f.platform = plat
    f.ua_version = ua_version
    f.entrypoint = rng.choice(relier.entrypoints)
    f.utm = rng.choice(UTM_SETS) if rng.random() < 0.35 else ("", "", "", "", "")
    g_client, g_service = glean.relier_ids(rng, relier)
    legacy.relier_ids(rng, f, relier)
    place = rng.choice(f.country.places)
    city = place[1] if rng.random() < 0.9 else None
    f.geo = (f.country.iso, place[0], city, f.country.iso)
    version, f.app_version = world.train(day)
    is_bot = rng.random() < BOT_FLOW_SHARE
    glean.set_flow_consts(f, world, plat, ua_version, fe_client, fe_sample, g_client, g_service, version,
                          is_bot)
    legacy.set_flow_properties(f, plat, ua_version)
    f.fe_lost = rng.random() < FE_TOTAL_LOSS
    f.fe_seq = rng.randrange(1, 400)
    return f
