"""Row builders of the legacy family: ``firefox_accounts.fxa_all_events`` (the Amplitude-era
event log) and the two flow logs ``firefox_accounts_derived.fxa_log_content_events_v1`` and
``fxa_log_auth_events_v1``.

As in the Glean family a row is its per-row values followed by one shared const tuple.
Legacy rows are written for the days before the Glean cutover (plus a short overlap); the
same simulated flows feed both families, so a flow's legacy rows mirror its Glean steps
through ``LEGACY_STEP_MAP``.
"""
from __future__ import annotations

from .common import MS_US, compact_json, to_ms, uniform_us
from .contract import DATA_TYPES
from .knobs import DUPLICATE_SHARE

FXA_ALL_EVENTS = ("firefox_accounts", "fxa_all_events")
CONTENT_FLOW = ("firefox_accounts_derived", "fxa_log_content_events_v1")
AUTH_FLOW = ("firefox_accounts_derived", "fxa_log_auth_events_v1")

_S, _T = DATA_TYPES[0], DATA_TYPES[3]

ROW_FIELDS = (
    ("timestamp", _T), ("receiveTimestamp", _T), ("event_time", _T), ("fxa_log", _S), ("logger", _S),
    ("event_type", _S), ("user_id", _S), ("event_properties", _S), ("country_code", _S),
)
CONST_FIELDS = (
    ("device_id", _S), ("country", _S), ("language", _S), ("os_name", _S), ("os_version", _S),
    ("app_version", _S), ("ua_browser", _S), ("ua_version", _S), ("flow_id", _S), ("entrypoint", _S),
    ("utm_source", _S), ("utm_medium", _S), ("utm_campaign", _S), ("service", _S),
    ("oauth_client_id", _S), ("user_properties", _S),
)
# The content server's flow log: `flow_time` is a JSON number of the log line, so FLOAT64 in
# BigQuery, and the table has no utm_term (bigquery-etl fxa_log_content_events_v1/query.sql).
CONTENT_FLOW_ROW_FIELDS = (("timestamp", _T), ("event", _S), ("flow_time", "float64"))
CONTENT_FLOW_CONST_FIELDS = (
    ("flow_id", _S), ("locale", _S), ("useragent", _S), ("country", _S), ("region", _S),
    ("entrypoint", _S), ("service", _S), ("utm_campaign", _S), ("utm_content", _S), ("utm_medium", _S),
    ("utm_source", _S),
)
AUTH_FLOW_ROW_FIELDS = (("timestamp", _T), ("event", _S))
AUTH_FLOW_CONST_FIELDS = (
    ("flow_id", _S), ("device_id", _S), ("entrypoint", _S), ("service", _S), ("useragent", _S),
    ("os_version", _S), ("utm_campaign", _S), ("utm_content", _S), ("utm_medium", _S),
    ("utm_source", _S), ("utm_term", _S),
)

# Client ids whose OAuth token rows the legacy extraction dropped (Sync and the browsers).
LEGACY_DROPPED_TOKEN_CLIENTS = ("3332a18d142636cb", "5882386c6d801776", "1b1a3e44c54fbb58")

# Legacy equivalents of flow steps: (fxa_log, event_type, flow-log event, extra event props).
# catalogue.py checks that each pair lands on the same funnel step of the event catalogue.
LEGACY_STEP_MAP = {
    "email.first_view": ("content", "fxa_email_first - view", "flow.enter-email.view", None),
    "reg.view": ("content", "fxa_reg - view", "flow.signup.view", None),
    "login.view": ("content", "fxa_login - view", "flow.signin.view", None),
    "reg.acc_created": ("auth", "fxa_reg - created", "account.created", None),
    "reg.email_sent": ("auth", "fxa_email - sent", None,
                       {"email_type": "registration", "email_template": "verifyShortCode"}),
    "reg.acc_verified": ("auth", "fxa_reg - email_confirmed", "account.verified", None),
    "reg.complete": ("auth", "fxa_reg - complete", "flow.complete", None),
    "login.success": ("auth", "fxa_login - success", "account.login", None),
    "login.email_confirmation_sent": ("auth", "fxa_email - sent", None,
                                      {"email_type": "login", "email_template": "verifyLoginCode"}),
    "login.email_confirmation_success": ("auth", "fxa_login - email_confirmed", None, None),
    "login.totp_code_success": ("content", "fxa_login - totp_code_success", None, None),
    "login.complete": ("auth", "fxa_login - complete", "flow.complete", None),
    "access_token.created": ("auth", "fxa_activity - access_token_created", None, None),
    "third_party_auth.google_reg_complete": ("auth", "fxa_third_party_auth - google_signin_complete",
                                             None, None),
    "third_party_auth.apple_reg_complete": ("auth", "fxa_third_party_auth - apple_signin_complete",
                                            None, None),
    "third_party_auth.google_login_complete": ("auth", "fxa_third_party_auth - google_signin_complete",
                                               None, None),
    "third_party_auth.apple_login_complete": ("auth", "fxa_third_party_auth - apple_signin_complete",
                                              None, None),
}
# Events written outside LEGACY_STEP_MAP (flow-log start, Sync and token activity).
FLOW_BEGIN = "flow.begin"
CERT_SIGNED = "fxa_activity - cert_signed"
TOKEN_CHECKED = "fxa_activity - access_token_checked"
TOKEN_CREATED = "fxa_activity - access_token_created"
LOGGERS = {"content": "fxa-content-server", "auth": "fxa-auth-server"}


def relier_ids(rng, f, relier):
    """Set the flow's service and client id as the legacy logs carry them."""
    if relier.kind == "sync":
        f.legacy_service, f.legacy_client = "sync", None
        f.flowlog_service = "sync" if rng.random() < 0.85 else ""
    elif relier.kind == "browser":
        f.legacy_service, f.legacy_client = relier.client_id, relier.client_id
        f.flowlog_service = relier.client_id
    else:
        f.legacy_service = relier.legacy_name if rng.random() < 0.85 else relier.client_id
        f.legacy_client = relier.client_id
        if relier.key == "monitor" and rng.random() < 0.2:
            f.legacy_service, f.legacy_client = "fx-monitor", None
        f.flowlog_service = relier.client_id


def set_flow_properties(f, plat, ua_version):
    """The flow's user_properties and event_properties objects (no random draws)."""
    up = {"flow_id": f.flow_id}
    if f.entrypoint:
        up["entrypoint"] = f.entrypoint
    for key, val in zip(("utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term"), f.utm):
        if val:
            up[key] = val
    up["ua_browser"] = plat.ua_browser
    up["ua_version"] = ua_version
    f.user_props = up
    ep = {"service": f.legacy_service}
    if f.legacy_client:
        ep["oauth_client_id"] = f.legacy_client
    f.event_props = ep


class DayRows:
    """The legacy rows of one simulated day (``day`` is the ``day.Day`` being run)."""

    def __init__(self, day):
        self.day = day
        self.rng = day.rng
        self.events = day.rows[FXA_ALL_EVENTS]
        self.content = day.rows[CONTENT_FLOW]
        self.auth = day.rows[AUTH_FLOW]
        self.const_cache = {}

    def flow(self, f, fe, be):
        """The legacy rows of a flow's surviving frontend (``fe``) and backend (``be``) steps."""
        rng = self.rng
        rr = rng.random
        out = self.events
        content = self.content
        auth = self.auth
        plat = f.platform
        up = f.user_props
        os_version = plat.os_version or None
        country = f.country.name if rr() >= 0.02 else None
        # the auth server logs the code (event_properties.country_code); content rows have none
        code = f.country.iso
        lconst = (f.device_hash, country, f.locale, plat.legacy_os, os_version, f.app_version,
                  up["ua_browser"], up["ua_version"], f.flow_id, up.get("entrypoint"), up.get("utm_source"),
                  up.get("utm_medium"), up.get("utm_campaign"), f.legacy_service, f.legacy_client,
                  compact_json(up))
        useragent = plat.ua_template.format(v=f.ua_version)
        entrypoint = f.entrypoint or None
        utm = tuple(v or None for v in f.utm)
        cconst = (f.flow_id, f.locale, useragent, f.country.name, f.geo[1], entrypoint,
                  f.flowlog_service) + utm[:4]
        aconst = (f.flow_id, f.device_hash, entrypoint, f.flowlog_service, useragent, os_version) + utm
        ep_json = compact_json(f.event_props)
        if fe and fe[0][2] == "email" and fe[0][3] == "first_view":
            t0 = fe[0][0] - uniform_us(rng, 0.2, 2)
            content.append((fe[0][0] + uniform_us(rng, 0.3, 5), FLOW_BEGIN, 0.0, cconst))
        else:
            t0 = (fe[0][0] if fe else (be[0][0] if be else 0)) - uniform_us(rng, 5, 60)
        gap = f.user is not None and f.user.reg_gap
        for t, app, cat, name, _inner, known in sorted(fe + be, key=lambda s: s[0]):
            key = f"{cat}.{name}"
            spec = LEGACY_STEP_MAP.get(key)
            if spec is None:
                continue
            log, event_type, flow_event, email_props = spec
            if key == "access_token.created" and f.legacy_client in LEGACY_DROPPED_TOKEN_CLIENTS:
                continue
            if key == "reg.complete" and gap:
                continue
            event_time = t - t % MS_US
            ts = event_time + uniform_us(rng, 0.001, 1.5)
            recv = ts + uniform_us(rng, 0.05, 4)
            user_id = f.sha if (app == "be" or known) and f.sha else None
            if email_props:
                props = dict(f.event_props)
                props.update(email_props)
                row = (ts, recv, event_time, log, LOGGERS[log], event_type, user_id, compact_json(props),
                       code if log == "auth" else None, lconst)
            else:
                row = (ts, recv, event_time, log, LOGGERS[log], event_type, user_id, ep_json,
                       code if log == "auth" else None, lconst)
            out.append(row)
            if rr() < DUPLICATE_SHARE:
                out.append(row)
            if flow_event is not None:
                if log == "content":
                    content.append((recv, flow_event, float(max(0, (t - t0) // MS_US)), cconst))
                else:
                    auth.append((t + uniform_us(rng, 0.001, 0.5), flow_event, aconst))

    def activity(self, u, relier, times, refresh):
        """Token use of one user at one relier: Sync's ``cert_signed``, or OAuth token rows."""
        rng = self.rng
        rr = rng.random
        out = self.events
        sha = u.sha
        app_version = self.day.app_version
        if relier.kind == "sync":
            # Sync activity is `cert_signed`; its OAuth token rows are dropped at extraction.
            plat = u.platform
            up = compact_json({"ua_browser": plat.ua_browser, "ua_version": u.ua_version,
                               "$append": {"fxa_services_used": "sync"}})
            for t in times[: 1 + int(rr() * 2)]:
                service = "sync" if rr() >= 0.1 else None
                ep = '{"service":"sync"}' if service else "{}"
                const = (u.device_hashes[0], u.country.name, u.locale, plat.legacy_os,
                         plat.os_version or None, app_version, plat.ua_browser, u.ua_version, None,
                         None, None, None, None, service, None, up)
                et = to_ms(t + uniform_us(rng, 0.5, 30))
                ts = et + uniform_us(rng, 0.001, 1.5)
                row = (ts, ts + uniform_us(rng, 0.05, 4), et, "auth", "fxa-auth-server",
                       CERT_SIGNED, sha, ep, u.country.iso, const)
                out.append(row)
                if rr() < DUPLICATE_SHARE:
                    out.append(row)
            return
        if relier.client_id in LEGACY_DROPPED_TOKEN_CLIENTS:
            return
        if relier.kind == "browser":
            service, client = relier.client_id, relier.client_id
        else:
            service = relier.legacy_name if rr() < 0.85 else relier.client_id
            client = relier.client_id
            if relier.key == "monitor" and rr() < 0.2:
                service, client = "fx-monitor", None
        key = (service, client)
        cached = self.const_cache.get(key)
        if cached is None:
            ep = {"service": service}
            if client:
                ep["oauth_client_id"] = client
            up = compact_json({"$append": {"fxa_services_used": service}})
            const = (None, None, None, None, None, app_version, None, None, None, None, None, None, None,
                     service, client, up)
            cached = (compact_json(ep), const)
            self.const_cache[key] = cached
        ep, const = cached
        kinds = [(TOKEN_CHECKED, t) for t in times]
        if refresh is not None:
            kinds.insert(0, (TOKEN_CREATED, refresh))
        for event_type, t in kinds:
            ts = t + uniform_us(rng, 0.001, 1.5)
            recv = ts + uniform_us(rng, 0.05, 4)
            row = (ts, recv, t, "auth", "fxa-auth-server", event_type, sha, ep, None, const)
            out.append(row)
            if rr() < DUPLICATE_SHARE:
                out.append(row)
