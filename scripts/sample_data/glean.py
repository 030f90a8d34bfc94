"""Row builders of the Glean family: ``accounts_frontend.events_stream`` and
``accounts_backend.events_stream``.

A Glean row is a tuple of the per-event values (``ROW_FIELDS``) followed by ONE element,
the const tuple (``CONST_FIELDS``): the sender and flow attributes, shared by every row of
one flow and sender, so it is built once and turned into Arrow once per distinct tuple.

``DayRows`` holds one simulated day's Glean state and appends to that day's row lists; it
draws from the day's random stream, so the order of its calls is part of the output.
"""
from __future__ import annotations

import random

from .common import (DAY_US, HOUR_US, MIN_US, MS_US, SEC_US, compact_json, hex_id, sha256_hex,
                     uuid4)
from .knobs import (DEVELOPMENT_FLOW_SHARE, DUPLICATE_SHARE, GEO_NULL_SHARE, LATE_SUBMISSION_SHARE,
                    NONPRODUCTION_TOKEN_SHARE, RELIER_SERVER_GEO, STAGE_FLOW_SHARE)
from .reference import RELIERS

BACKEND = ("accounts_backend", "events_stream")
FRONTEND = ("accounts_frontend", "events_stream")

GLEAN_JS_BUILD = "5.0.3"
GLEAN_SERVER_BUILD = "glean_parser v15.0.1"

# The columns this family has values for, in the order of the row tuples it builds. Each
# must be declared (same type) in the sources yml.
ROW_FIELDS = (
    # per event
    ("event_id", "string"), ("document_id", "string"), ("document_event_number", "int64"),
    ("submission_timestamp", "timestamp"), ("event_timestamp", "timestamp"),
    ("event_category", "string"), ("event_name", "string"), ("event", "string"),
    ("event_extra", "json"), ("ping_info.seq", "int64"), ("ping_info.parsed_start_time", "timestamp"),
    ("metrics.string.account_user_id_sha256", "string"), ("metrics.string.account_user_id", "string"),
    ("metadata.geo.country", "string"), ("metadata.geo.subdivision1", "string"),
    ("metadata.geo.city", "string"), ("normalized_country_code", "string"),
)
CONST_FIELDS = (
    # shared by all events of one sender and flow (one tuple object, referenced by each row)
    ("client_id", "string"), ("sample_id", "int64"), ("normalized_app_name", "string"),
    ("normalized_channel", "string"), ("is_bot_generated", "bool"),
    ("client_info.app_channel", "string"), ("client_info.app_display_version", "string"),
    ("client_info.locale", "string"), ("client_info.os", "string"),
    ("client_info.telemetry_sdk_build", "string"), ("ping_info.ping_type", "string"),
    ("metadata.user_agent.browser", "string"), ("metadata.user_agent.os", "string"),
    ("metadata.user_agent.version", "string"),
    ("metrics.string.relying_party_oauth_client_id", "string"),
    ("metrics.string.relying_party_service", "string"), ("metrics.string.session_flow_id", "string"),
    ("metrics.string.session_entrypoint", "string"), ("metrics.string.session_device_type", "string"),
    ("metrics.string.utm_campaign", "string"), ("metrics.string.utm_content", "string"),
    ("metrics.string.utm_medium", "string"), ("metrics.string.utm_source", "string"),
    ("metrics.string.utm_term", "string"),
)
CONST_APP_CHANNEL = [name for name, _ in CONST_FIELDS].index("client_info.app_channel")
CONST_FLOW_ID = [name for name, _ in CONST_FIELDS].index("metrics.string.session_flow_id")

NULL_GEO = (None, None, None, None)

# Event extras, pre-serialized as the inside of a compact JSON object.
X_REG = '"reason":"registration"'
X_LOGIN = '"reason":"login"'
X_AUTH_CODE = '"reason":"authorization_code"'
X_REFRESH = '"reason":"refresh_token"'
X_THIRD_PARTY_LINKS = ('"third_party_links":false', '"third_party_links":true')
X_LINKING = ('"linking":false', '"linking":true')
MALFORMED_EXTRA = '{"reason": "registration"'


def relier_ids(rng, relier):
    """(relying_party_oauth_client_id, relying_party_service) of a flow, as Glean carries them."""
    if relier.kind == "sync":
        g_service = "sync"
        g_client = relier.client_id if rng.random() < 0.2 else ""
    else:
        g_client = relier.client_id
        g_service = relier.client_id if rng.random() < (0.9 if relier.kind == "browser" else 0.85) else ""
    return g_client, g_service


def set_flow_consts(f, world, plat, ua_version, fe_client, fe_sample, g_client, g_service, version,
                    is_bot):
    """The frontend const tuple of a flow and the tail of its backend ones (no random draws)."""
    be_device = "" if plat.fe_device == "desktop" else plat.fe_device
    tail = (g_client, g_service, f.flow_id, f.entrypoint) + (be_device,) + f.utm
    f.fe_const = (fe_client, fe_sample, "accounts_frontend", "release", is_bot, "production", version,
                  f.locale, plat.glean_os, GLEAN_JS_BUILD, "events", plat.ua_browser, plat.ua_os,
                  ua_version, g_client, g_service, f.flow_id, f.entrypoint, plat.fe_device) + f.utm
    f.be_tail = (is_bot, "production", version, f.locale, "Unknown", GLEAN_SERVER_BUILD, "events",
                 plat.ua_browser, plat.ua_os, ua_version) + tail
    f.be_consts = [None] * len(world.backend_processes)


def submission(rng, t, lo_us, hi_us):
    """Submission time of an event at ``t``: a few seconds later, or (rarely) the next UTC day."""
    r = rng.random()
    if r < LATE_SUBMISSION_SHARE:
        return t - t % DAY_US + DAY_US + int(HOUR_US * (0.2 + rng.random() * 7.5))
    return t + lo_us + int((r - LATE_SUBMISSION_SHARE) / (1 - LATE_SUBMISSION_SHARE) * (hi_us - lo_us))


class DayRows:
    """The Glean rows of one simulated day (``day`` is the ``day.Day`` being run)."""

    def __init__(self, day):
        self.day = day
        self.w = day.w
        self.rng = day.rng
        self.frontend_rows = day.rows[FRONTEND]
        self.backend_rows = day.rows[BACKEND]
        # Per (relier, service, client id, process): the const tuple of a token-check row.
        self.token_consts = {}
        self.checked_extra = None

    def backend_const(self, f, proc):
        c = f.be_consts[proc]
        if c is None:
            cid, sample = self.w.backend_processes[proc]
            c = (cid, sample, "accounts_backend", "release") + f.be_tail
            f.be_consts[proc] = c
        return c

    # ---- flows ----------------------------------------------------------------------
    def frontend(self, f, fe):
        """Frontend events of a flow, batched into pings of one to three events."""
        if not fe:
            return
        rng = self.rng
        rr = rng.random
        out = self.frontend_rows
        w = self.w
        d = self.day.d
        const = f.fe_const
        i = 0
        seq = f.fe_seq
        geo = f.geo
        while i < len(fe):
            size = (1, 1, 2, 2, 3)[int(rr() * 5)]
            group = fe[i:i + size]
            i += size
            doc = uuid4(rng)
            first_t, last_t = group[0][0], group[-1][0]
            sub = submission(rng, last_t, SEC_US, 30 * SEC_US)
            dup = rr() < DUPLICATE_SHARE
            pst = first_t - first_t % MIN_US
            ping = []
            for k, (t, _app, cat, name, inner, known) in enumerate(group, 1):
                stamp = '"glean_timestamp":' + str(t // MS_US) + "}"
                extra_json = "{" + inner + "," + stamp if inner else "{" + stamp
                if (w.malformed_pending and inner == X_REG and not dup and d >= w.glean_first_day
                        and sub // DAY_US == t // DAY_US and sub < w.end_us):
                    extra_json = MALFORMED_EXTRA
                    w.malformed_pending = False
                row_geo = geo if rr() >= GEO_NULL_SHARE else NULL_GEO
                ping.append((f"{doc}-{k}", doc, k, sub, t, cat, name, f"{cat}.{name}", extra_json, seq,
                             pst, f.sha if known else "", "") + row_geo + (const,))
            seq += 1
            out.extend(ping)
            if dup:
                out.extend(ping)
        f.fe_seq = seq

    def backend(self, f, be):
        """Backend events of a flow, one ping each, from a random server process."""
        rng = self.rng
        rr = rng.random
        out = self.backend_rows
        nproc = len(self.w.backend_processes)
        uid = f.user.uid if f.user else ""
        for t, _app, cat, name, inner, _known in be:
            doc = uuid4(rng)
            sub = submission(rng, t, 300 * MS_US, 8 * SEC_US)
            raw = uid if (name in ("acc_created", "success") or rr() < 0.15) else ""
            row_geo = f.geo if rr() >= GEO_NULL_SHARE else NULL_GEO
            extra_json = "{" + inner + "}" if inner else None
            row = (doc + "-1", doc, 1, sub, t, cat, name, f"{cat}.{name}", extra_json, 0, t - t % MIN_US,
                   f.sha, raw) + row_geo + (self.backend_const(f, int(rr() * nproc)),)
            out.append(row)
            if rr() < DUPLICATE_SHARE:
                out.append(row)

    # ---- token usage (the bulk of the events) --------------------------------------------
    def _token_const(self, relier, service, client, proc):
        key = (relier.key, service, client, proc)
        c = self.token_consts.get(key)
        if c is None:
            cid, sample = self.w.backend_processes[proc]
            ua = relier.rp_ua
            c = (cid, sample, "accounts_backend", "release", False, "production", self.day.version, "en-US",
                 "Unknown", GLEAN_SERVER_BUILD, "events", ua[0], ua[1], ua[2], client, service,
                 "", "", "", "", "", "", "", "")
            self.token_consts[key] = c
        return c

    def tokens(self, u, relier, service, client, times, refresh):
        """``access_token.checked`` at each of ``times`` (the relier server's geo, no flow) and
        an ``access_token.created`` (refresh) at ``refresh`` unless it is None."""
        if self.checked_extra is None:
            self.checked_extra = {r.key: compact_json({"scopes": r.scopes}) for r in RELIERS}
        rng = self.rng
        rr = rng.random
        getrandbits = rng.getrandbits
        be_out = self.backend_rows
        be_const = self._token_const
        nproc = len(self.w.backend_processes)
        late_p = LATE_SUBMISSION_SHARE
        dup_p = DUPLICATE_SHARE
        sha = u.sha
        cx = self.checked_extra[relier.key]
        for t in times:
            h = "%032x" % getrandbits(128)
            doc = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"
            r = rr()
            if r < late_p:
                sub = t - t % DAY_US + DAY_US + int(HOUR_US * (0.2 + rr() * 7.5))
            else:
                sub = t + 300 * MS_US + int(r * 8 * SEC_US)
            row = (doc + "-1", doc, 1, sub, t, "access_token", "checked", "access_token.checked",
                   cx, 0, t - t % MIN_US, sha, "") + RELIER_SERVER_GEO + (
                       be_const(relier, service, client, int(rr() * nproc)),)
            be_out.append(row)
            if rr() < dup_p:
                be_out.append(row)
        if refresh is not None:
            t = refresh
            doc = uuid4(rng)
            sub = submission(rng, t, 300 * MS_US, 8 * SEC_US)
            iso = u.country.iso
            const = be_const(relier, service, client, int(rr() * nproc))
            be_out.append((doc + "-1", doc, 1, sub, t, "access_token", "created",
                           "access_token.created", "{" + X_REFRESH + "}", 0, t - t % MIN_US, sha, "",
                           iso, None, None, iso, const))

    # ---- the stage and development deployments -------------------------------------------
    def nonproduction(self):
        """Replays a share of the day's Glean flows and token checks as the stage and
        development deployments send them to the same tables: `client_info.app_channel`
        set, their own accounts (stage has its own database) and flow ids. A random stream
        of its own: the production rows are the same with or without this traffic."""
        rng = random.Random(f"{self.w.seed}|nonprod|{self.day.d}")
        tables = (self.frontend_rows, self.backend_rows)
        flow_ids = {}
        for rows in tables:
            for row in rows:
                flow_id = row[-1][CONST_FLOW_ID]
                if flow_id:
                    flow_ids.setdefault(flow_id, None)
        replayed = {}
        for flow_id in flow_ids:
            r = rng.random()
            if r < STAGE_FLOW_SHARE:
                replayed[flow_id] = ("stage", hex_id(rng, 32))
            elif r < STAGE_FLOW_SHARE + DEVELOPMENT_FLOW_SHARE:
                replayed[flow_id] = ("development", hex_id(rng, 32))
        for rows in tables:
            docs, consts, copies = {}, {}, []
            for row in rows:
                const = row[-1]
                flow_id = const[CONST_FLOW_ID]
                if flow_id:
                    target = replayed.get(flow_id)
                elif row[7] == "access_token.checked" and rng.random() < NONPRODUCTION_TOKEN_SHARE:
                    target = ("stage", "")
                else:
                    target = None
                if target is None:
                    continue
                channel, new_flow_id = target
                doc = docs.get(row[1])
                if doc is None:
                    doc = docs[row[1]] = uuid4(rng)
                ckey = (id(const), channel, new_flow_id)
                new_const = consts.get(ckey)
                if new_const is None:
                    parts = list(const)
                    parts[CONST_APP_CHANNEL] = channel
                    parts[CONST_FLOW_ID] = new_flow_id
                    new_const = consts[ckey] = tuple(parts)
                sha = sha256_hex(channel + row[11]) if row[11] else ""
                copies.append((doc + row[0][len(row[1]):], doc) + row[2:11] + (sha, "") + row[13:-1]
                              + (new_const,))
            rows.extend(copies)
