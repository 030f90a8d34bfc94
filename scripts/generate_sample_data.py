#!/usr/bin/env python3
"""Generate synthetic, internally consistent Mozilla accounts (FxA) raw data.

One random world (users, accounts, reliers, flows, token usage) is simulated and written
either as the bundled dbt seeds (``--format csv``) or as a BigQuery ``EXPORT DATA``-style
Parquet tree (``--format parquet``). Both formats are fed by the same generator, so for the
same ``--seed/--days/--users/--start-date`` they hold the same rows.

The columns of every table come from the dbt source definitions
(``models/staging/*/_*__sources.yml``): each declared column is written, in declared order;
a declared column the generator has no value for is NULL; a value the generator produces for
a column that is not declared (or declared with another type) is a contract error and stops
the run.

Only the standard library, PyYAML and (for Parquet) pyarrow are used.

Deliberate oddities (the data is meant to exercise the staging and intermediate layers):
- exact duplicate rows (~2%): redelivered Glean pings (same document_id/event_id) and
  repeated legacy log lines;
- exactly one frontend row whose event_extra is the malformed text '{"reason": "registration"';
- unset Glean strings are '' (user id before the account exists, Sync client id, utm, ...);
- ~3% of Glean events are submitted on the next UTC day;
- ~15% of flows lose all frontend events, ~4% of frontend events are lost one by one;
- flows that start at 23:4x and complete after midnight;
- legacy and Glean overlap for a few days around the cutover;
- accounts created without a logged reg.complete, registrants deleted afterwards, an OAuth
  client id that is in no lookup, Chinese users only on OAuth reliers (China runs its own
  Sync), Monitor legacy rows without oauth_client_id, legacy Sync cert_signed rows with a
  NULL service, a few is_bot_generated flows;
- ~4% of Glean flows and ~1% of token checks replayed by the stage and development
  deployments (client_info.app_channel), with their own flow ids and accounts;
- token checks carry the relier server's geo (never the user's);
- the legacy auth log's country_code beside the country name (content rows have none);
- third-party starts from the email-first page and from deep links, the login email
  confirmation and two-step (TOTP) pages.
"""
from __future__ import annotations

import argparse
import base64
import bisect
import csv
import datetime as dt
import gc
import glob
import hashlib
import json
import os
import random
import sys
import zlib
from array import array
from decimal import Decimal
from pathlib import Path

import yaml

# --------------------------------------------------------------------------------------
# Time units (all timestamps are handled as integer microseconds since the Unix epoch).
# --------------------------------------------------------------------------------------
SEC_US = 1_000_000
MIN_US = 60 * SEC_US
HOUR_US = 60 * MIN_US
DAY_US = 24 * HOUR_US
MS_US = 1_000

DATA_TYPES = ("string", "int64", "bool", "timestamp", "json", "numeric")
# Also accepted in the sources yml (the raw-source loader knows them); nothing is generated
# for them yet, so such columns are written as NULL.
EXTRA_DATA_TYPES = ("float64", "date")

# --------------------------------------------------------------------------------------
# Knobs of the simulation. Rates are per user and day unless said otherwise.
# --------------------------------------------------------------------------------------
REGISTRANT_SHARE = 0.45        # users who register inside the window
LOGIN_RATE = 0.15              # login flows started per existing user and day
THIRD_PARTY_REG_SHARE = 0.06   # registrations through Google/Apple
TELEMETRY_GAP_SHARE = 0.04     # verified registrations whose reg.complete was never logged
DELETED_REGISTRANT_SHARE = 0.03
MIDNIGHT_FLOW_SHARE = 0.04     # flows that start at 23:4x and complete after midnight
FE_TOTAL_LOSS = 0.15           # flows whose frontend events are all lost
FE_EVENT_LOSS = 0.04           # further loss of single frontend events
DUPLICATE_SHARE = 0.02         # pings / log lines delivered twice
LATE_SUBMISSION_SHARE = 0.03   # events submitted on the next UTC day
GEO_NULL_SHARE = 0.03          # flow events without a geo lookup
BOT_FLOW_SHARE = 0.007         # flows from an automation ISP (is_bot_generated)
# Flows and token checks replayed by the stage and development deployments into the same
# Glean tables (client_info.app_channel), with their own accounts and flow ids. Drawn
# from a random stream of their own, so the production rows do not depend on them.
STAGE_FLOW_SHARE = 0.03
DEVELOPMENT_FLOW_SHARE = 0.01
NONPRODUCTION_TOKEN_SHARE = 0.01
# Where a relier's back-end sits: the geo of its access_token.checked requests (the
# relier calls the accounts server, so the geo is never the user's).
RELIER_SERVER_GEO = ("US", "VA", "Ashburn", "US")
REFRESH_TOKEN_SHARE = 0.12     # active (user, relier) days with a token refresh
DORMANT_USER_SHARE = 0.25      # existing users with no token activity at all

# Frontend step probabilities (each step given the previous one).
REG_STEPS = (
    ("email", "first_submit_success", 0.76),
    ("reg", "view", 0.95),
    ("reg", "engage", 0.82),
    ("reg", "submit", 0.76),
)
REG_CREATE_P = 0.93            # reg.submit -> account created
REG_CODE_VIEW_P = 0.95         # created -> reg.signup_code_view
REG_VERIFY_P = 0.92            # code view -> email verified
LOGIN_STEPS = (
    ("email", "first_submit_success", 0.90),
    ("login", "view", 0.97),
    ("login", "submit", 0.85),
)
LOGIN_PASSWORD_OK_P = 0.92
LOGIN_CONFIRM_P = 0.25         # logins (without TOTP) that need an email confirmation
LOGIN_CONFIRM_OK_P = 0.85

HOUR_WEIGHTS = (2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6.5, 6.5, 6, 6, 6, 6, 6, 6, 6.5, 7, 7, 6, 4.5, 3)

# --------------------------------------------------------------------------------------
# Reference data.
# --------------------------------------------------------------------------------------
BROWSER_SCOPES = "profile,https://identity.mozilla.com/apps/oldsync"


class Relier:
    __slots__ = ("key", "client_id", "legacy_name", "kind", "user_weight", "scopes",
                 "db_name", "redirect", "entrypoints", "rp_ua")

    def __init__(self, key, client_id, legacy_name, kind, user_weight, scopes, db_name,
                 redirect, entrypoints, rp_ua):
        self.key = key
        self.client_id = client_id
        self.legacy_name = legacy_name
        self.kind = kind              # sync | browser | oauth
        self.user_weight = user_weight
        self.scopes = scopes
        self.db_name = db_name        # None: not in the OAuth clients replica
        self.redirect = redirect
        self.entrypoints = entrypoints
        self.rp_ua = rp_ua            # user agent of the relier's token checks

    @property
    def cn_ok(self):
        return self.kind == "oauth"


_SYNC_EP = ("preferences", "menupanel", "fxa-discoverability-native", "synced-tabs",
            "activity-stream-firstrun", "new-install-page", "mozilla.org-whatsnew126", "")
_MOBILE_EP = ("menupanel", "synced-tabs", "sendtab", "fxa-discoverability-native", "")
_WEB_EP = ("", "", "", "", "fxa-discoverability-native", "preferences", "app-menu")
_SERVER_UA = ("Other", "Other", "")
_FX_UA = ("Firefox", "Windows", "126.0")

RELIERS = (
    Relier("sync", "5882386c6d801776", "sync", "sync", 0.42, BROWSER_SCOPES, "Firefox",
           "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel", _SYNC_EP, _FX_UA),
    Relier("firefox_ios", "1b1a3e44c54fbb58", "1b1a3e44c54fbb58", "browser", 0.12,
           BROWSER_SCOPES, "Firefox for iOS", "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel",
           _MOBILE_EP, ("Firefox iOS", "iOS", "126.2")),
    Relier("firefox_android", "a2270f727f45f648", "a2270f727f45f648", "browser", 0.14,
           BROWSER_SCOPES, "Firefox for Android", "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel",
           _MOBILE_EP, ("Firefox Mobile", "Android", "126.0")),
    Relier("monitor", "802d56ef2a9af9fa", "fx-monitor", "oauth", 0.25, "profile",
           "Mozilla Monitor", "https://monitor.mozilla.org/oauth/init", _WEB_EP, _SERVER_UA),
    Relier("relay", "9ebfe2c2f9ea3c58", "fx-private-relay", "oauth", 0.16, "profile",
           "Firefox Relay", "https://relay.firefox.com/accounts/fxa/login/callback/", _WEB_EP,
           _SERVER_UA),
    Relier("vpn", "e6eb0d1e856335fc", "guardian-vpn", "oauth", 0.11,
           "profile,https://identity.mozilla.com/apps/vpn", "Mozilla VPN",
           "https://vpn.mozilla.org/oauth/success", _WEB_EP, _SERVER_UA),
    Relier("pocket", "749818d3f2e7857f", "pocket-web", "oauth", 0.12, "profile", "Pocket",
           "https://getpocket.com/auth/mozilla", _WEB_EP, _SERVER_UA),
    Relier("amo", "a4907de5fa9d78fc", "amo-web", "oauth", 0.10, "profile", "Firefox Add-ons",
           "https://addons.mozilla.org/api/v5/accounts/authenticate/", _WEB_EP, _SERVER_UA),
    Relier("mdn", "720bc80adfa6988d", "mdn-plus", "oauth", 0.07, "profile", "MDN Plus",
           "https://developer.mozilla.org/users/fxa/login/callback/", _WEB_EP, _SERVER_UA),
    Relier("settings", "ea3ca969f8c6bb0d", "fxa-content", "oauth", 0.08, "profile",
           "Mozilla accounts", "https://accounts.firefox.com/oauth/success/ea3ca969f8c6bb0d",
           _WEB_EP, ("Firefox", "Windows", "126.0")),
    Relier("unknown", "0f5e6d7c8b9a0123", "undefined_oauth", "oauth", 0.06, "profile", None,
           "https://unknown-relier.example/callback", _WEB_EP, _SERVER_UA),
)
CN_RELIERS = tuple(r for r in RELIERS if r.cn_ok)
LEGACY_DROPPED_TOKEN_CLIENTS = ("3332a18d142636cb", "5882386c6d801776", "1b1a3e44c54fbb58")
EXTRA_OAUTH_CLIENT = ("6c6c2958595c38de", "Thunderbird Appointment",
                      "https://appointment.day/fxa", "profile")

UTM_SETS = (
    ("fx-sync-get-started", "", "referral", "fx-website", ""),
    ("vpn-product-page", "download-button", "referral", "www.mozilla.org-vpn-product-page", ""),
    ("", "", "email", "activity-stream", "aboutwelcome-default-screen"),
    ("page+referral+-+not+part+of+a+campaign", "", "referral", "www.mozilla.org", ""),
    ("monitor-signup", "hero", "cpc", "google", "data-breach"),
    ("relay-onboarding", "", "email", "fx-website", ""),
)


class Country:
    __slots__ = ("iso", "name", "weight", "places", "accept_languages")

    def __init__(self, iso, name, weight, places, accept_languages):
        self.iso = iso
        self.name = name
        self.weight = weight
        self.places = places
        self.accept_languages = accept_languages


COUNTRIES = (
    Country("US", "United States", 0.27, (("California", "San Francisco"), ("New York", "New York"),
            ("Texas", "Austin"), ("Washington", "Seattle")),
            ("en-US,en;q=0.5", "en-US", "en-US,en;q=0.9,es;q=0.8")),
    Country("DE", "Germany", 0.12, (("Berlin", "Berlin"), ("Bavaria", "Munich"), ("Hamburg", "Hamburg")),
            ("de", "de-DE,de;q=0.8,en-US;q=0.5,en;q=0.3")),
    Country("FR", "France", 0.09, (("Île-de-France", "Paris"), ("Auvergne-Rhône-Alpes", "Lyon")),
            ("fr-FR", "fr,fr-FR;q=0.8,en-US;q=0.5,en;q=0.3")),
    Country("GB", "United Kingdom", 0.07, (("England", "London"), ("Scotland", "Edinburgh")),
            ("en-GB,en;q=0.5",)),
    Country("CA", "Canada", 0.05, (("Ontario", "Toronto"), ("Quebec", "Montreal"),
            ("British Columbia", "Vancouver")), ("en-CA,en-US;q=0.7,en;q=0.3", "fr-CA,fr;q=0.8")),
    Country("BR", "Brazil", 0.07, (("São Paulo", "São Paulo"), ("Rio de Janeiro", "Rio de Janeiro")),
            ("pt-BR,pt;q=0.8,en-US;q=0.5,en;q=0.3",)),
    Country("IN", "India", 0.08, (("Karnataka", "Bengaluru"), ("Maharashtra", "Mumbai")),
            ("en-US,en;q=0.5", "hi-IN,hi;q=0.9,en;q=0.8")),
    Country("JP", "Japan", 0.05, (("Tokyo", "Tokyo"), ("Osaka", "Osaka")),
            ("ja,en-US;q=0.7,en;q=0.3",)),
    Country("CN", "China", 0.05,
            (("Beijing", "Beijing"), ("Shanghai", "Shanghai"), ("Guangdong", "Shenzhen")),
            ("zh-CN,zh;q=0.8,zh-TW;q=0.7,en-US;q=0.5",)),
    Country("PL", "Poland", 0.06, (("Mazovia", "Warsaw"), ("Lesser Poland", "Krakow")),
            ("pl,en-US;q=0.7,en;q=0.3",)),
    Country("ES", "Spain", 0.045, (("Madrid", "Madrid"), ("Catalonia", "Barcelona")),
            ("es-ES,es;q=0.8,en-US;q=0.5,en;q=0.3",)),
    Country("IT", "Italy", 0.045, (("Lazio", "Rome"), ("Lombardy", "Milan")),
            ("it-IT,it;q=0.8,en-US;q=0.5,en;q=0.3",)),
)


class Platform:
    __slots__ = ("key", "glean_os", "ua_browser", "ua_os", "os_version", "versions", "fe_device",
                 "legacy_os", "device_type", "os_label", "ua_template")

    def __init__(self, key, glean_os, ua_browser, ua_os, os_version, versions, fe_device,
                 legacy_os, device_type, os_label, ua_template):
        self.key = key
        self.glean_os = glean_os
        self.ua_browser = ua_browser
        self.ua_os = ua_os
        self.os_version = os_version
        self.versions = versions
        self.fe_device = fe_device
        self.legacy_os = legacy_os
        self.device_type = device_type
        self.os_label = os_label
        self.ua_template = ua_template


PLATFORMS = {
    "win": Platform("win", "Windows", "Firefox", "Windows", "10", ("126.0", "126.0.1", "125.0.3"),
                    "desktop", "Windows", "desktop", "Windows",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}) Gecko/20100101 Firefox/{v}"),
    "mac": Platform("mac", "MacOS", "Firefox", "Mac OS X", "10.15", ("126.0", "125.0.3"), "desktop",
                    "Mac OS X", "desktop", "macOS",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{v}) Gecko/20100101 Firefox/{v}"),
    "linux": Platform("linux", "Linux", "Firefox", "Linux", "", ("126.0", "115.11.0"), "desktop",
                      "Linux", "desktop", "Linux",
                      "Mozilla/5.0 (X11; Linux x86_64; rv:{v}) Gecko/20100101 Firefox/{v}"),
    "android": Platform("android", "Android", "Firefox Mobile", "Android", "14", ("126.0", "125.2.0"),
                        "mobile", "Android", "mobile", "Android",
                        "Mozilla/5.0 (Android 14; Mobile; rv:{v}) Gecko/{v} Firefox/{v}"),
    "ios": Platform("ios", "iOS", "Firefox iOS", "iOS", "17.5", ("126.2", "126.0"), "mobile", "iOS",
                    "mobile", "iOS",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                    "(KHTML, like Gecko) FxiOS/{v} Mobile/15E148 Safari/605.1.15"),
    "ipad": Platform("ipad", "iOS", "Firefox iOS", "iOS", "17.5", ("126.2",), "tablet", "iOS", "tablet",
                     "iPadOS",
                     "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                     "(KHTML, like Gecko) FxiOS/{v} Mobile/15E148 Safari/605.1.15"),
    "chrome": Platform("chrome", "Windows", "Chrome", "Windows", "10", ("125.0.0", "124.0.0"), "desktop",
                       "Windows", "desktop", "Windows",
                       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/{v} Safari/537.36"),
    "safari": Platform("safari", "MacOS", "Safari", "Mac OS X", "10.15", ("17.5", "17.4.1"), "desktop",
                       "Mac OS X", "desktop", "macOS",
                       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/{v} Safari/605.1.15"),
}

FIRST_NAMES = ("Alice", "Bob", "Chen", "Dana", "Emeka", "Fatima", "Greta", "Hiro", "Ines", "Jonas",
               "Kasia", "Luis", "Maya", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Yuki")
RECOVERY_HINTS = ("in my password manager", "blue notebook, page 3", "printed, in the desk drawer",
                  "USB stick", "ask Sam", "")
PASSKEY_NAMES = ("MacBook Pro (Touch ID)", "Windows Hello", "iCloud Keychain", "YubiKey 5 NFC",
                 "Google Password Manager")
PASSKEY_TRANSPORTS = (["internal", "hybrid"], ["internal"], ["usb", "nfc"], ["hybrid"])
TRAIN_VERSIONS = (("1.283.2", "1.283"), ("1.284.0", "1.284"), ("1.284.1", "1.284"),
                  ("1.285.0", "1.285"), ("1.285.3", "1.285"), ("1.286.1", "1.286"))
GLEAN_JS_BUILD = "5.0.3"
GLEAN_SERVER_BUILD = "glean_parser v15.0.1"

# securityEventNames (reference section 5.3); id 43 is retired and left out.
SECURITY_EVENT_NAMES = (
    (1, "account.create"), (2, "account.login"), (3, "account.reset"), (4, "emails.clearBounces"),
    (5, "account.enable"), (6, "account.disable"), (7, "account.login.failure"),
    (8, "account.two_factor_added"), (9, "account.two_factor_requested"),
    (10, "account.two_factor_challenge_failure"), (11, "account.two_factor_challenge_success"),
    (12, "account.two_factor_removed"), (13, "account.password_reset_requested"),
    (14, "account.password_reset_success"), (15, "account.recovery_key_added"),
    (16, "account.recovery_key_challenge_failure"), (17, "account.recovery_key_challenge_success"),
    (18, "account.recovery_key_removed"), (19, "account.password_added"),
    (20, "account.password_changed"), (21, "account.secondary_email_added"),
    (22, "account.secondary_email_removed"), (23, "account.primary_secondary_swapped"),
    (24, "account.password_reset_otp_sent"), (25, "account.password_reset_otp_verified"),
    (26, "session.destroy"), (27, "account.recovery_phone_send_code"),
    (28, "account.recovery_phone_setup_complete"), (29, "account.recovery_phone_signin_complete"),
    (30, "account.recovery_phone_signin_failed"), (31, "account.recovery_phone_removed"),
    (32, "account.recovery_codes_replaced"), (33, "account.recovery_codes_created"),
    (34, "account.recovery_codes_signin_complete"), (35, "account.must_reset"),
    (36, "account.recovery_phone_reset_password_complete"),
    (37, "account.recovery_phone_reset_password_failed"),
    (38, "account.recovery_phone_replace_complete"), (39, "account.recovery_phone_replace_failure"),
    (40, "account.two_factor_replace_success"), (41, "account.two_factor_replace_failure"),
    (42, "account.password_upgrade_success"), (44, "account.recovery_phone_setup_failed"),
    (45, "account.mfa_send_otp_code"), (46, "account.mfa_verify_otp_code_success"),
    (47, "account.mfa_verify_otp_code_failed"), (48, "account.signin_confirm_bypass_known_ip"),
    (49, "account.signin_confirm_bypass_new_account"),
    (50, "account.signin_confirm_bypass_known_device"),
)

# --------------------------------------------------------------------------------------
# Generator-side table definitions: the columns this script has values for, in the order
# of the row tuples it builds. Each must be declared (same type) in the sources yml.
# --------------------------------------------------------------------------------------
GLEAN_ROW_FIELDS = (
    # per event
    ("event_id", "string"), ("document_id", "string"), ("document_event_number", "int64"),
    ("submission_timestamp", "timestamp"), ("event_timestamp", "timestamp"),
    ("event_category", "string"), ("event_name", "string"), ("event", "string"),
    ("event_extra", "json"), ("ping_info.seq", "int64"), ("ping_info.parsed_start_time", "timestamp"),
    ("metrics.string.account_user_id_sha256", "string"), ("metrics.string.account_user_id", "string"),
    ("metadata.geo.country", "string"), ("metadata.geo.subdivision1", "string"),
    ("metadata.geo.city", "string"), ("normalized_country_code", "string"),
)
GLEAN_CONST_FIELDS = (
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
GLEAN_CONST_APP_CHANNEL = [name for name, _ in GLEAN_CONST_FIELDS].index("client_info.app_channel")
GLEAN_CONST_FLOW_ID = [name for name, _ in GLEAN_CONST_FIELDS].index("metrics.string.session_flow_id")
_S, _I, _B, _T, _J, _N = DATA_TYPES[:6]

LEGACY_ROW_FIELDS = (
    ("timestamp", _T), ("receiveTimestamp", _T), ("event_time", _T), ("fxa_log", _S), ("logger", _S),
    ("event_type", _S), ("user_id", _S), ("event_properties", _S), ("country_code", _S),
)
LEGACY_CONST_FIELDS = (
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

T_BACKEND = ("accounts_backend", "events_stream")
T_FRONTEND = ("accounts_frontend", "events_stream")
T_LEGACY = ("firefox_accounts", "fxa_all_events")
T_CONTENT_FLOW = ("firefox_accounts_derived", "fxa_log_content_events_v1")
T_AUTH_FLOW = ("firefox_accounts_derived", "fxa_log_auth_events_v1")
DB = "accounts_db_external"

# Event tables: (per-row fields, shared "const" fields, index of the partitioning timestamp).
# A row is a tuple of the per-row values followed by ONE element, the const tuple, which is
# shared by every row of the same flow/sender (cheap to build, and turned into Arrow once).
EVENT_TABLES = {
    T_BACKEND: (GLEAN_ROW_FIELDS, GLEAN_CONST_FIELDS, 3),
    T_FRONTEND: (GLEAN_ROW_FIELDS, GLEAN_CONST_FIELDS, 3),
    T_LEGACY: (LEGACY_ROW_FIELDS, LEGACY_CONST_FIELDS, 0),
    T_CONTENT_FLOW: (CONTENT_FLOW_ROW_FIELDS, CONTENT_FLOW_CONST_FIELDS, 0),
    T_AUTH_FLOW: (AUTH_FLOW_ROW_FIELDS, AUTH_FLOW_CONST_FIELDS, 0),
}
DB_TABLES = {
    (DB, "fxa_accounts_v1"): (
        ("uid", _S), ("normalizedEmail", _S), ("email", _S), ("emailVerified", _B),
        ("verifierVersion", _I), ("verifierSetAt", _T), ("createdAt", _T), ("locale", _S),
        ("lockedAt", _T), ("profileChangedAt", _T), ("keysChangedAt", _T), ("ecosystemAnonId", _S),
        ("disabledAt", _T), ("metricsOptOutAt", _T), ("atLeast18AtReg", _B)),
    (DB, "fxa_emails_v1"): (
        ("id", _I), ("normalizedEmail", _S), ("email", _S), ("uid", _S), ("isVerified", _B),
        ("isPrimary", _B), ("verifiedAt", _T), ("createdAt", _T)),
    (DB, "fxa_session_tokens_v1"): (
        ("uid", _S), ("createdAt", _T), ("uaBrowser", _S), ("uaBrowserVersion", _S), ("uaOS", _S),
        ("uaOSVersion", _S), ("uaDeviceType", _S), ("uaFormFactor", _S), ("lastAccessTime", _N),
        ("authAt", _T), ("verificationMethod", _I), ("verifiedAt", _T), ("mustVerify", _B),
        ("providerId", _I)),
    (DB, "fxa_devices_v1"): (
        ("uid", _S), ("id", _S), ("nameUtf8", _S), ("type", _S), ("createdAt", _T),
        ("callbackIsExpired", _B)),
    (DB, "fxa_linked_accounts_v1"): (
        ("uid", _S), ("id", _S), ("providerId", _I), ("authAt", _T), ("enabled", _B)),
    (DB, "fxa_totp_v1"): (("id", _N), ("uid", _S), ("createdAt", _T), ("verified", _B), ("enabled", _B)),
    (DB, "fxa_recovery_keys_v1"): (
        ("uid", _S), ("createdAt", _T), ("verifiedAt", _T), ("enabled", _B), ("hint", _S)),
    (DB, "fxa_passkeys_v1"): (
        ("uid", _S), ("credentialId", _S), ("signCount", _I), ("transports", _J), ("aaguid", _S),
        ("name", _S), ("createdAt", _T), ("lastUsedAt", _T), ("backupEligible", _B),
        ("backupState", _B), ("prfEnabled", _B)),
    (DB, "fxa_security_events_v1"): (
        ("id", _N), ("uid", _S), ("nameId", _I), ("verified", _B), ("ipAddrHmac", _S),
        ("createdAt", _T), ("tokenVerificationId", _S), ("ipAddr", _S), ("additionalInfo", _J)),
    (DB, "fxa_security_event_names_v1"): (("id", _I), ("name", _S)),
    (DB, "fxa_deleted_accounts_v1"): (("uid", _S), ("deletedAt", _T)),
    (DB, "fxa_oauth_clients_v1"): (
        ("id", _S), ("name", _S), ("imageUri", _S), ("redirectUri", _S), ("canGrant", _B),
        ("publicClient", _B), ("trusted", _B), ("allowedScopes", _S), ("createdAt", _T)),
    (DB, "fxa_oauth_refresh_tokens_v1"): (
        ("clientId", _S), ("userId", _S), ("scope", _S), ("createdAt", _T), ("lastUsedAt", _T)),
}
ALL_TABLES = {**{key: spec[:2] for key, spec in EVENT_TABLES.items()},
              **{key: (fields, ()) for key, fields in DB_TABLES.items()}}

# Deterministic row order of the CSV seeds (then the whole encoded row breaks ties).
CSV_SORT_KEYS = {
    T_BACKEND: ("submission_timestamp", "event_timestamp", "event_id"),
    T_FRONTEND: ("submission_timestamp", "event_timestamp", "event_id"),
    T_LEGACY: ("timestamp", "event_time", "event_type"),
    T_CONTENT_FLOW: ("timestamp", "flow_id", "event"),
    T_AUTH_FLOW: ("timestamp", "flow_id", "event"),
    (DB, "fxa_accounts_v1"): ("uid",),
    (DB, "fxa_emails_v1"): ("id",),
    (DB, "fxa_session_tokens_v1"): ("uid", "createdAt"),
    (DB, "fxa_devices_v1"): ("uid", "id"),
    (DB, "fxa_linked_accounts_v1"): ("uid", "providerId"),
    (DB, "fxa_totp_v1"): ("id",),
    (DB, "fxa_recovery_keys_v1"): ("uid",),
    (DB, "fxa_passkeys_v1"): ("credentialId",),
    (DB, "fxa_security_events_v1"): ("id",),
    (DB, "fxa_security_event_names_v1"): ("id",),
    (DB, "fxa_deleted_accounts_v1"): ("uid",),
    (DB, "fxa_oauth_clients_v1"): ("id",),
    (DB, "fxa_oauth_refresh_tokens_v1"): ("userId", "clientId"),
}


# --------------------------------------------------------------------------------------
# Schema contract.
# --------------------------------------------------------------------------------------
class ContractError(Exception):
    """The sources yml and the generator disagree."""


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

    def __init__(self, key, declared_columns, row_fields, const_fields):
        self.key = key
        self.dataset, self.table = key
        self.columns = list(declared_columns)
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
        return f"{self.dataset}__{self.table}.csv"

    @property
    def header(self):
        return [n.replace(".", "__") for n, _ in self.columns]


def build_layouts(project_dir):
    declared = load_declared_tables(project_dir)
    missing = [f"{d}.{t}" for (d, t) in ALL_TABLES if (d, t) not in declared]
    unknown = [f"{d}.{t}" for (d, t) in declared if (d, t) not in ALL_TABLES]
    if missing:
        raise ContractError("tables the generator writes are not declared in the sources: "
                            + ", ".join(missing))
    if unknown:
        raise ContractError("declared source tables the generator cannot produce: "
                            + ", ".join(unknown))
    layouts = {key: Layout(key, declared[key], *spec) for key, spec in ALL_TABLES.items()}
    for layout in layouts.values():
        if layout.null_columns:
            print(f"note: {layout.dataset}.{layout.table}: no generator for "
                  f"{', '.join(layout.null_columns)} (written as NULL)", file=sys.stderr)
    return layouts


# --------------------------------------------------------------------------------------
# Small helpers.
# --------------------------------------------------------------------------------------
def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_json(obj):
    return _JSON.encode(obj)


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def hex_id(rng, nbytes):
    return "%0*x" % (nbytes * 2, rng.getrandbits(nbytes * 8))


def time_of_day(rng):
    """Microseconds into a day, with a diurnal shape."""
    return weighted_index(rng, HOUR_CUM) * HOUR_US + int(rng.random() * HOUR_US)


def uniform_us(rng, lo_s, hi_s):
    return int((lo_s + rng.random() * (hi_s - lo_s)) * SEC_US)


def to_ms(t):
    return t - t % MS_US


def date_str(t):
    return (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=t)).strftime("%Y-%m-%d")


_EPOCH = dt.datetime(1970, 1, 1)


def format_timestamp(t):
    secs, frac = divmod(t, SEC_US)
    return (_EPOCH + dt.timedelta(seconds=secs)).strftime("%Y-%m-%d %H:%M:%S") + f".{frac:06d}+00:00"


def pick_country(rng):
    return COUNTRIES[weighted_index(rng, COUNTRY_CUM)]


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


HOUR_CUM = cumulative(HOUR_WEIGHTS)
COUNTRY_CUM = cumulative(c.weight for c in COUNTRIES)
CN_RELIER_CUM = cumulative(r.user_weight for r in CN_RELIERS)
RELIER_CUM = cumulative(r.user_weight for r in RELIERS)

# --------------------------------------------------------------------------------------
# The world: users, accounts and their plans (everything decided before the day loop).
# --------------------------------------------------------------------------------------
class User:
    __slots__ = ("idx", "uid", "sha", "country", "reliers", "platform", "ua_version", "accept_language",
                 "locale", "fe_client_id", "fe_sample_id", "device_ids", "device_hashes", "ip",
                 "registrant", "created_us", "reg_kind", "reg_relier", "reg_verified", "reg_gap",
                 "reg_midnight", "deleted_us", "disabled_us", "optout_us", "activity", "totp",
                 "linked", "active_from", "active_until", "email_n")

    @property
    def exists_at_end(self):
        return self.deleted_us is None


class World:
    def __init__(self, args):
        self.seed = args.seed
        self.days = args.days
        self.n_users = args.users
        start = dt.datetime.strptime(args.start_date, "%Y-%m-%d")
        self.start_us = int((start - _EPOCH).total_seconds()) * SEC_US
        self.end_us = self.start_us + self.days * DAY_US
        # Relative period rule (see --help).
        self.cutover_day = max(1, int(self.days * 0.4))
        self.legacy_last_day = min(self.days - 1, self.cutover_day + 2)
        self.glean_first_day = 3
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
        return TRAIN_VERSIONS[min(max(day, 0) // 7, len(TRAIN_VERSIONS) - 1)]


# --------------------------------------------------------------------------------------
# Flows.
# --------------------------------------------------------------------------------------
NULL_GEO = (None, None, None, None)


class Flow:
    """Attributes shared by every event of one flow (frontend, backend and legacy)."""

    __slots__ = ("flow_id", "relier", "user", "country", "platform", "ua_version", "locale",
                 "fe_const", "be_consts", "be_tail", "geo", "sha", "legacy_service",
                 "legacy_client", "flowlog_service", "entrypoint", "utm", "user_props",
                 "event_props", "device_hash", "fe_lost", "fe_seq", "app_version", "kind")


def make_flow(world, rng, day, relier, user, kind, country=None, platform=None):
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
    # Relier as Glean carries it.
    if relier.kind == "sync":
        g_service = "sync"
        g_client = relier.client_id if rng.random() < 0.2 else ""
    else:
        g_client = relier.client_id
        g_service = relier.client_id if rng.random() < (0.9 if relier.kind == "browser" else 0.85) else ""
    # Relier as the legacy logs carry it.
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
    place = rng.choice(f.country.places)
    city = place[1] if rng.random() < 0.9 else None
    f.geo = (f.country.iso, place[0], city, f.country.iso)
    version, f.app_version = world.train(day)
    is_bot = rng.random() < BOT_FLOW_SHARE
    be_device = "" if plat.fe_device == "desktop" else plat.fe_device
    tail = (g_client, g_service, f.flow_id, f.entrypoint) + (be_device,) + f.utm
    f.fe_const = (fe_client, fe_sample, "accounts_frontend", "release", is_bot, "production", version,
                  f.locale, plat.glean_os, GLEAN_JS_BUILD, "events", plat.ua_browser, plat.ua_os,
                  ua_version, g_client, g_service, f.flow_id, f.entrypoint, plat.fe_device) + f.utm
    f.be_tail = (is_bot, "production", version, f.locale, "Unknown", GLEAN_SERVER_BUILD, "events",
                 plat.ua_browser, plat.ua_os, ua_version) + tail
    f.be_consts = [None] * len(world.backend_processes)
    # Legacy properties.
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
    f.fe_lost = rng.random() < FE_TOTAL_LOSS
    f.fe_seq = rng.randrange(1, 400)
    return f


# Legacy equivalents of flow steps: (fxa_log, event_type, flow-log event, extra event props).
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
LOGGERS = {"content": "fxa-content-server", "auth": "fxa-auth-server"}


# --------------------------------------------------------------------------------------
# One simulated day.
# --------------------------------------------------------------------------------------
# Event extras, pre-serialized as the inside of a compact JSON object.
X_REG = '"reason":"registration"'
X_LOGIN = '"reason":"login"'
X_AUTH_CODE = '"reason":"authorization_code"'
X_REFRESH = '"reason":"refresh_token"'
X_THIRD_PARTY_LINKS = ('"third_party_links":false', '"third_party_links":true')
X_LINKING = ('"linking":false', '"linking":true')
MALFORMED_EXTRA = '{"reason": "registration"'


class Day:
    """Simulates one UTC day; ``run()`` returns the rows of every event table it produced."""

    def __init__(self, world, day, logins):
        self.w = world
        self.d = day
        self.rng = random.Random(f"{world.seed}|day|{day}")
        self.day_start = world.start_us + day * DAY_US
        self.gen_glean = day >= world.glean_first_day - 1
        self.gen_legacy = day <= world.legacy_last_day
        self.rows = {key: [] for key in EVENT_TABLES}
        self.logins = logins   # LoginLog: logins, for the security events of the DB
        self.version, self.app_version = world.train(day)
        self.legacy_const_cache = {}

    # ---- shared pieces --------------------------------------------------------------
    def submission(self, t, lo_us, hi_us):
        r = self.rng.random()
        if r < LATE_SUBMISSION_SHARE:
            return t - t % DAY_US + DAY_US + int(HOUR_US * (0.2 + self.rng.random() * 7.5))
        return t + lo_us + int((r - LATE_SUBMISSION_SHARE) / (1 - LATE_SUBMISSION_SHARE) * (hi_us - lo_us))

    def be_const(self, f, proc):
        c = f.be_consts[proc]
        if c is None:
            cid, sample = self.w.backend_processes[proc]
            c = (cid, sample, "accounts_backend", "release") + f.be_tail
            f.be_consts[proc] = c
        return c

    # ---- flows ----------------------------------------------------------------------
    def emit_flow(self, f, steps):
        """steps: (time, app, category, name, extras JSON inside or '', user id known on the frontend)."""
        steps.sort(key=lambda s: s[0])
        rr = self.rng.random
        fe = []
        if not f.fe_lost:
            fe = [s for s in steps if s[1] == "fe" and rr() >= FE_EVENT_LOSS]
        be = [s for s in steps if s[1] == "be"]
        if self.gen_glean:
            self._glean_frontend(f, fe)
            self._glean_backend(f, be)
        if self.gen_legacy:
            self._legacy_flow(f, fe, be)

    def _glean_frontend(self, f, fe):
        if not fe:
            return
        rng = self.rng
        rr = rng.random
        out = self.rows[T_FRONTEND]
        w = self.w
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
            sub = self.submission(last_t, SEC_US, 30 * SEC_US)
            dup = rr() < DUPLICATE_SHARE
            pst = first_t - first_t % MIN_US
            ping = []
            for k, (t, _app, cat, name, inner, known) in enumerate(group, 1):
                stamp = '"glean_timestamp":' + str(t // MS_US) + "}"
                extra_json = "{" + inner + "," + stamp if inner else "{" + stamp
                if (w.malformed_pending and inner == X_REG and not dup and self.d >= w.glean_first_day
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

    def _glean_backend(self, f, be):
        rng = self.rng
        rr = rng.random
        out = self.rows[T_BACKEND]
        nproc = len(self.w.backend_processes)
        uid = f.user.uid if f.user else ""
        for t, _app, cat, name, inner, _known in be:
            doc = uuid4(rng)
            sub = self.submission(t, 300 * MS_US, 8 * SEC_US)
            raw = uid if (name in ("acc_created", "success") or rr() < 0.15) else ""
            row_geo = f.geo if rr() >= GEO_NULL_SHARE else NULL_GEO
            extra_json = "{" + inner + "}" if inner else None
            row = (doc + "-1", doc, 1, sub, t, cat, name, f"{cat}.{name}", extra_json, 0, t - t % MIN_US,
                   f.sha, raw) + row_geo + (self.be_const(f, int(rr() * nproc)),)
            out.append(row)
            if rr() < DUPLICATE_SHARE:
                out.append(row)

    def _legacy_flow(self, f, fe, be):
        rng = self.rng
        rr = rng.random
        out = self.rows[T_LEGACY]
        content = self.rows[T_CONTENT_FLOW]
        auth = self.rows[T_AUTH_FLOW]
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
            content.append((fe[0][0] + uniform_us(rng, 0.3, 5), "flow.begin", 0.0, cconst))
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

    # ---- flow builders ----------------------------------------------------------------
    def registration(self, u):
        rng = self.rng
        rr = rng.random
        f = make_flow(self.w, rng, self.d, u.reg_relier, u, "registration")
        oauth = u.reg_relier.kind != "sync"
        created = u.created_us
        steps = []
        if u.reg_kind in ("google", "apple"):
            start = created - uniform_us(rng, 10, 70)
            steps.append((start, "fe", "email", "first_view", "", False))
            # the Google/Apple button of the email-first page, or of the registration page
            # (decided by the flow id, so no random draw moves the rest of the day)
            if zlib.crc32(f.flow_id.encode()) % 2:
                start_step = ("email", f"first_{u.reg_kind}_oauth_start")
            else:
                start_step = ("third_party_auth", f"{u.reg_kind}_reg_start")
            steps.append((to_ms(start + uniform_us(rng, 3, 9)), "fe") + start_step + ("", False))
            steps.append((created, "be", "third_party_auth", f"{u.reg_kind}_reg_complete", "", True))
            # the auth server also logs reg.complete for the new account (mozilla/fxa
            # packages/fxa-auth-server/test/local/routes/linked-accounts: both events once),
            # unless this registrant's reg.complete is one telemetry lost
            if not u.reg_gap:
                steps.append((created, "be", "reg", "complete", "", True))
            if oauth:
                steps.append((to_ms(created + uniform_us(rng, 1, 4)), "be", "access_token", "created",
                              X_AUTH_CODE, True))
            self.emit_flow(f, steps)
            return
        gaps = [uniform_us(rng, 4, 40), uniform_us(rng, 1, 3), uniform_us(rng, 3, 25), uniform_us(rng, 8, 60)]
        submit = created - uniform_us(rng, 0.2, 1.2)
        t = submit - sum(gaps)
        fe_names = (("email", "first_view", ""), ("email", "first_submit_success", X_REG),
                    ("reg", "view", ""), ("reg", "engage", ""), ("reg", "submit", ""))
        times = [to_ms(t)]
        for g in gaps:
            t += g
            times.append(to_ms(t))
        for (cat, name, inner), tt in zip(fe_names, times):
            steps.append((tt, "fe", cat, name, inner, False))
        steps.append((created, "be", "reg", "acc_created", "", True))
        steps.append((to_ms(created + uniform_us(rng, 0.3, 2)), "be", "reg", "email_sent", "", True))
        t_ok = to_ms(created + uniform_us(rng, 0.2, 0.8))
        steps.append((t_ok, "fe", "reg", "submit_success", "", True))
        code_view = to_ms(t_ok + uniform_us(rng, 0.5, 2))
        if u.reg_verified:
            steps.append((code_view, "fe", "reg", "signup_code_view", "", True))
            if u.reg_midnight:
                verify = code_view + uniform_us(rng, 16 * 60, 28 * 60)
            else:
                verify = code_view + uniform_us(rng, 20, 240)
            verify = to_ms(verify)
            steps.append((verify, "be", "reg", "acc_verified", "", True))
            done = to_ms(verify + uniform_us(rng, 0.1, 1))
            if not u.reg_gap:
                steps.append((done, "be", "reg", "complete", "", True))
            steps.append((to_ms(verify + uniform_us(rng, 1, 3)), "fe", "reg", "success_view", "", True))
            if oauth:
                steps.append((to_ms(done + uniform_us(rng, 1, 5)), "be", "access_token", "created",
                              X_AUTH_CODE, True))
        elif rr() < 0.7:
            steps.append((code_view, "fe", "reg", "signup_code_view", "", True))
        self.emit_flow(f, steps)

    def abandoned_registration(self):
        rng = self.rng
        rr = rng.random
        country = pick_country(rng)
        pool, cum = (CN_RELIERS, CN_RELIER_CUM) if country.iso == "CN" else (RELIERS, RELIER_CUM)
        relier = pool[weighted_index(rng, cum)]
        if relier.key == "firefox_android":
            plat = PLATFORMS["android"]
        elif relier.key == "firefox_ios":
            plat = PLATFORMS["ios"]
        else:
            plat = PLATFORMS[rng.choices(("win", "mac", "linux", "chrome", "android"),
                                         weights=(55, 20, 5, 12, 8))[0]]
        # Reject runs that would have created an account: those are the planned registrants.
        for _ in range(20):
            reached = 0
            for _cat, _name, p in REG_STEPS:
                if rr() < p:
                    reached += 1
                else:
                    break
            created = reached == len(REG_STEPS) and rr() < REG_CREATE_P
            if not created:
                break
        else:
            reached = len(REG_STEPS) - 1
        f = make_flow(self.w, rng, self.d, relier, None, "registration", country=country, platform=plat)
        t = self.day_start + time_of_day(rng)
        t = min(t, self.day_start + DAY_US - 5 * MIN_US)
        steps = [(to_ms(t), "fe", "email", "first_view", "", False)]
        gaps = ((4, 40), (1, 3), (3, 25), (8, 60))
        for (cat, name, _p), (lo, hi) in zip(REG_STEPS[:reached], gaps):
            t += uniform_us(rng, lo, hi)
            steps.append((to_ms(t), "fe", cat, name, X_REG if name == "first_submit_success" else "", False))
        self.emit_flow(f, steps)

    def login(self, u, t0, midnight):
        rng = self.rng
        rr = rng.random
        relier = u.reliers[int(rr() * len(u.reliers))]
        f = make_flow(self.w, rng, self.d, relier, u, "login")
        oauth = relier.kind != "sync"
        steps = [(to_ms(t0), "fe", "email", "first_view", "", False)]
        t = t0
        if u.linked and not midnight and rr() < 0.4:
            provider = "google" if u.linked[0] == 1 else "apple"
            t += uniform_us(rng, 2, 15)
            if zlib.crc32(f.flow_id.encode()) % 4 == 0:
                # a deep link from the relier straight to the provider (Pocket's buttons)
                steps = [(to_ms(t), "fe", "third_party_auth", f"{provider}_deeplink", "", False)]
            else:
                steps.append((to_ms(t), "fe", "third_party_auth", f"{provider}_login_start", "", False))
            t = to_ms(t + uniform_us(rng, 8, 40))
            steps.append((t, "be", "third_party_auth", f"{provider}_login_complete",
                          X_LINKING[rr() < 0.2], True))
            if oauth:
                steps.append((to_ms(t + uniform_us(rng, 1, 4)), "be", "access_token", "created",
                              X_AUTH_CODE, True))
            self.logins.append(u.idx, t, True)
            self.emit_flow(f, steps)
            return
        gaps = ((2, 20), (1, 3), (3, 30))
        reached = 0
        for (cat, name, p), (lo, hi) in zip(LOGIN_STEPS, gaps):
            if not midnight and rr() >= p:
                break
            t += uniform_us(rng, lo, hi)
            inner = ""
            if name == "first_submit_success":
                inner = X_LOGIN
            elif name == "view":
                inner = X_THIRD_PARTY_LINKS[rr() < 0.6]
            steps.append((to_ms(t), "fe", cat, name, inner, cat == "login"))
            reached += 1
        if reached < len(LOGIN_STEPS) or (not midnight and rr() >= LOGIN_PASSWORD_OK_P):
            self.emit_flow(f, steps)
            return
        t = to_ms(t + uniform_us(rng, 0.2, 1))
        t_success = t
        steps.append((t, "be", "login", "success", "", True))
        steps.append((to_ms(t + uniform_us(rng, 0.2, 0.8)), "fe", "login", "submit_success", "", True))
        verified = True
        if u.totp and not midnight:
            steps.append((to_ms(t + uniform_us(rng, 1, 2)), "fe", "login", "totp_form_view", "", True))
            t = to_ms(t + uniform_us(rng, 8, 40))
            steps.append((to_ms(t - uniform_us(rng, 0.2, 0.6)), "fe", "login", "totp_code_submit", "", True))
            steps.append((t, "be", "login", "totp_code_success", "", True))
        elif midnight or rr() < LOGIN_CONFIRM_P:
            t = to_ms(t + uniform_us(rng, 0.3, 1.5))
            steps.append((t, "be", "login", "email_confirmation_sent", "", True))
            steps.append((to_ms(t + uniform_us(rng, 0.5, 2)), "fe", "login", "email_confirmation_view", "", True))
            if midnight or rr() < LOGIN_CONFIRM_OK_P:
                wait = (10 * 60, 25 * 60) if midnight else (20, 300)
                t = to_ms(t + uniform_us(rng, *wait))
                steps.append((to_ms(t - uniform_us(rng, 0.2, 0.6)), "fe", "login", "email_confirmation_submit", "",
                              True))
                steps.append((t, "be", "login", "email_confirmation_success", "", True))
            else:
                verified = False
        self.logins.append(u.idx, t_success, verified)
        if verified:
            t = to_ms(t + uniform_us(rng, 0.1, 1))
            steps.append((t, "be", "login", "complete", "", True))
            if oauth:
                steps.append((to_ms(t + uniform_us(rng, 1, 4)), "be", "access_token", "created",
                              X_AUTH_CODE, True))
        self.emit_flow(f, steps)

    def deletion(self, u):
        if not self.gen_glean:
            return
        f = make_flow(self.w, self.rng, self.d, u.reliers[0], u, "delete")
        # A deletion from the settings page carries no relier and no flow.
        f.be_tail = f.be_tail[:10] + ("",) * 10
        self._glean_backend(f, [(u.deleted_us, "be", "account", "delete_complete", "", True)])

    # ---- token usage (the bulk of the events) --------------------------------------------
    def token_activity(self):
        w = self.w
        rng = self.rng
        rr = rng.random
        getrandbits = rng.getrandbits
        ds = self.day_start
        de = ds + DAY_US
        glean = self.gen_glean
        legacy = self.gen_legacy
        be_out = self.rows[T_BACKEND]
        procs = w.backend_processes
        nproc = len(procs)
        version = self.version
        late_p = LATE_SUBMISSION_SHARE
        dup_p = DUPLICATE_SHARE
        # Per (relier, service, client id, process): the const tuple of a backend row.
        const_cache = {}

        def be_const(relier, service, client, proc):
            key = (relier.key, service, client, proc)
            c = const_cache.get(key)
            if c is None:
                cid, sample = procs[proc]
                ua = relier.rp_ua
                c = (cid, sample, "accounts_backend", "release", False, "production", version, "en-US",
                     "Unknown", GLEAN_SERVER_BUILD, "events", ua[0], ua[1], ua[2], client, service,
                     "", "", "", "", "", "", "", "")
                const_cache[key] = c
            return c

        checked_extra = {r.key: compact_json({"scopes": r.scopes}) for r in RELIERS}
        refresh_extra = "{" + X_REFRESH + "}"
        for u in w.active_users:
            lo = u.active_from
            hi = u.active_until
            if lo >= de or hi <= ds or u.activity == 0.0:
                continue
            lo = max(lo, ds)
            span = min(hi, de) - lo
            if span <= MIN_US:
                continue
            for relier in u.reliers:
                if rr() >= u.activity:
                    continue
                n_checks = 1 + int(rr() * rr() * 5)
                client = relier.client_id
                if relier.kind == "sync":
                    # Mostly service 'sync' without a client id, as Sync has always been seen.
                    r = rr()
                    if r < 0.55:
                        service, client = "sync", ""
                    else:
                        service = "sync" if r < 0.85 else ""
                else:
                    service = client if rr() < 0.8 else ""
                times = []
                for _ in range(n_checks):
                    t = lo + int(rr() * span)
                    times.append(t - t % MS_US)
                times.sort()
                refresh = None
                if rr() < REFRESH_TOKEN_SHARE:
                    refresh = to_ms(times[0] - uniform_us(rng, 0.5, 3))
                    if refresh <= lo:
                        refresh = None
                if glean:
                    sha = u.sha
                    cx = checked_extra[relier.key]
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
                        sub = self.submission(t, 300 * MS_US, 8 * SEC_US)
                        iso = u.country.iso
                        const = be_const(relier, service, client, int(rr() * nproc))
                        be_out.append((doc + "-1", doc, 1, sub, t, "access_token", "created",
                                       "access_token.created", refresh_extra, 0, t - t % MIN_US, sha, "",
                                       iso, None, None, iso, const))
                if legacy:
                    self._legacy_activity(u, relier, times, refresh)

    def _legacy_activity(self, u, relier, times, refresh):
        rng = self.rng
        rr = rng.random
        out = self.rows[T_LEGACY]
        sha = u.sha
        if relier.kind == "sync":
            # Sync activity is `cert_signed`; its OAuth token rows are dropped at extraction.
            plat = u.platform
            up = compact_json({"ua_browser": plat.ua_browser, "ua_version": u.ua_version,
                               "$append": {"fxa_services_used": "sync"}})
            for t in times[: 1 + int(rr() * 2)]:
                service = "sync" if rr() >= 0.1 else None
                ep = '{"service":"sync"}' if service else "{}"
                const = (u.device_hashes[0], u.country.name, u.locale, plat.legacy_os,
                         plat.os_version or None, self.app_version, plat.ua_browser, u.ua_version, None,
                         None, None, None, None, service, None, up)
                et = to_ms(t + uniform_us(rng, 0.5, 30))
                ts = et + uniform_us(rng, 0.001, 1.5)
                row = (ts, ts + uniform_us(rng, 0.05, 4), et, "auth", "fxa-auth-server",
                       "fxa_activity - cert_signed", sha, ep, u.country.iso, const)
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
        cached = self.legacy_const_cache.get(key)
        if cached is None:
            ep = {"service": service}
            if client:
                ep["oauth_client_id"] = client
            up = compact_json({"$append": {"fxa_services_used": service}})
            const = (None, None, None, None, None, self.app_version, None, None, None, None, None, None, None,
                     service, client, up)
            cached = (compact_json(ep), const)
            self.legacy_const_cache[key] = cached
        ep, const = cached
        kinds = [("fxa_activity - access_token_checked", t) for t in times]
        if refresh is not None:
            kinds.insert(0, ("fxa_activity - access_token_created", refresh))
        for event_type, t in kinds:
            ts = t + uniform_us(rng, 0.001, 1.5)
            recv = ts + uniform_us(rng, 0.05, 4)
            row = (ts, recv, t, "auth", "fxa-auth-server", event_type, sha, ep, None, const)
            out.append(row)
            if rr() < DUPLICATE_SHARE:
                out.append(row)

    # ---- the day ----------------------------------------------------------------------
    def run(self):
        w = self.w
        rng = self.rng
        rr = rng.random
        for u in w.regs_by_day[self.d]:
            self.registration(u)
        expected = w.abandoned_per_day
        n_abandoned = int(expected) + (1 if rr() < expected - int(expected) else 0)
        for _ in range(n_abandoned):
            self.abandoned_registration()
        expected = w.n_users * LOGIN_RATE
        n_logins = int(expected) + (1 if rr() < expected - int(expected) else 0)
        last_day = self.d == w.days - 1
        for _ in range(n_logins):
            u = w.users[int(rr() * w.n_users)]
            midnight = not last_day and rr() < MIDNIGHT_FLOW_SHARE
            if midnight:
                t0 = self.day_start + 23 * HOUR_US + 44 * MIN_US + int(rr() * 11 * MIN_US)
            else:
                t0 = self.day_start + time_of_day(rng)
                t0 = min(t0, self.day_start + DAY_US - 3 * MIN_US)
            if u.active_from is None or t0 < u.active_from + HOUR_US or t0 >= u.active_until - HOUR_US:
                continue
            self.login(u, t0, midnight)
        for u in w.deletions_by_day[self.d]:
            self.deletion(u)
        self.token_activity()
        self.nonproduction_traffic()
        return self.rows

    # ---- the stage and development deployments -------------------------------------------
    def nonproduction_traffic(self):
        """Replays a share of the day's Glean flows and token checks as the stage and
        development deployments send them to the same tables: `client_info.app_channel`
        set, their own accounts (stage has its own database) and flow ids. A random stream
        of its own: the production rows are the same with or without this traffic."""
        if not self.gen_glean:
            return
        rng = random.Random(f"{self.w.seed}|nonprod|{self.d}")
        flow_ids = {}
        for key in (T_FRONTEND, T_BACKEND):
            for row in self.rows[key]:
                flow_id = row[-1][GLEAN_CONST_FLOW_ID]
                if flow_id:
                    flow_ids.setdefault(flow_id, None)
        replayed = {}
        for flow_id in flow_ids:
            r = rng.random()
            if r < STAGE_FLOW_SHARE:
                replayed[flow_id] = ("stage", hex_id(rng, 32))
            elif r < STAGE_FLOW_SHARE + DEVELOPMENT_FLOW_SHARE:
                replayed[flow_id] = ("development", hex_id(rng, 32))
        for key in (T_FRONTEND, T_BACKEND):
            rows = self.rows[key]
            docs, consts, copies = {}, {}, []
            for row in rows:
                const = row[-1]
                flow_id = const[GLEAN_CONST_FLOW_ID]
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
                    parts[GLEAN_CONST_APP_CHANNEL] = channel
                    parts[GLEAN_CONST_FLOW_ID] = new_flow_id
                    new_const = consts[ckey] = tuple(parts)
                sha = sha256_hex(channel + row[11]) if row[11] else ""
                copies.append((doc + row[0][len(row[1]):], doc) + row[2:11] + (sha, "") + row[13:-1]
                              + (new_const,))
            rows.extend(copies)


# --------------------------------------------------------------------------------------
# Accounts DB (current state at the end of the window).
# --------------------------------------------------------------------------------------
class LoginLog:
    """Compact record of the logins simulated by the day loop (for the security events)."""

    def __init__(self):
        self.user = array("l")
        self.time = array("q")
        self.verified = array("b")

    def append(self, user_idx, t, verified):
        self.user.append(user_idx)
        self.time.append(t)
        self.verified.append(1 if verified else 0)

    def by_user(self):
        out = {}
        for idx, t, verified in zip(self.user, self.time, self.verified):
            out.setdefault(idx, []).append((t, bool(verified)))
        return out


def email_of(u, alt=False):
    """(normalizedEmail, email as typed); about 10% are typed with capitals."""
    domain = ("example.com", "example.org", "example.net")[u.email_n % 3]
    local = f"user{u.email_n}" + (".alt" if alt else "")
    if (u.email_n * 7 + alt) % 10 == 3:
        return f"{local}@{domain}", local.capitalize() + "@" + domain.capitalize()
    return f"{local}@{domain}", f"{local}@{domain}"


def iter_db_tables(world, logins):
    """Yield (table key, rows) of the accounts DB replicas, one table at a time.

    Each table has its own random stream so that tables can be built, written and freed one
    after the other (memory stays bounded by the largest table).
    """
    start, end = world.start_us, world.end_us
    existing = [u for u in world.users if u.exists_at_end]

    def stream(name):
        rng = random.Random(f"{world.seed}|db|{name}")

        def between(a, b):
            return to_ms(a + int(rng.random() * max(b - a, 0)))
        return rng, rng.random, between

    rng, rr, between = stream("accounts")
    rows = []
    for u in existing:
        created = u.created_us
        if u.registrant:
            verifier_set = created if u.reg_kind == "password" else None
            profile_changed = None
            at_least_18 = True
        else:
            verifier_set = created if rr() < 0.8 else between(created, start)
            profile_changed = between(created, start) if rr() < 0.5 else None
            at_least_18 = True if created >= start - 2 * 365 * DAY_US else None
        keys_changed = verifier_set if verifier_set is not None else created
        anon = None
        if rr() < 0.4:
            anon = "eyJhbGciOiJFQ0RILUVTIiwia2lkIjoiMCJ9.." + base64.urlsafe_b64encode(
                rng.getrandbits(192).to_bytes(24, "big")).decode().rstrip("=")
        locked = between(created, end) if rr() < 0.003 else None
        normalized, typed = email_of(u)
        rows.append((u.uid, normalized, typed, u.reg_verified, 1, verifier_set, created, u.accept_language,
                     locked, profile_changed, keys_changed, anon, u.disabled_us, u.optout_us, at_least_18))
    yield (DB, "fxa_accounts_v1"), rows

    rng, rr, between = stream("emails")
    rows = []
    for u in existing:
        created = u.created_us
        verified_at = to_ms(created + uniform_us(rng, 20, 600)) if u.reg_verified else None
        rows.append((created, *email_of(u), u.uid, u.reg_verified, True, verified_at))
        if rr() < 0.10:
            added = between(created, end)
            ok = rr() < 0.85
            rows.append((added, *email_of(u, alt=True), u.uid, ok, False,
                         to_ms(added + uniform_us(rng, 30, 900)) if ok else None))
    rows.sort(key=lambda r: (r[0], r[3], r[5]))
    yield (DB, "fxa_emails_v1"), [(i, normalized, typed, uid, verified, primary, verified_at, created)
                                  for i, (created, normalized, typed, uid, verified, primary, verified_at)
                                  in enumerate(rows, 1)]

    rng, rr, between = stream("sessions")
    rows = []
    for u in existing:
        if not u.reg_verified:
            continue
        plat = u.platform
        mobile = plat.device_type != "desktop"
        for _ in range(rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]):
            s_created = between(max(u.created_us, end - 60 * DAY_US), end)
            last_access = between(s_created, end)
            method = 2 if u.totp else rng.choices((0, 1, 3), weights=(85, 12, 3))[0]
            must_verify = rr() < 0.1
            verified_at = None if must_verify else to_ms(s_created + uniform_us(rng, 1, 300))
            provider = u.linked[0] if u.linked and rr() < 0.5 else None
            rows.append((u.uid, s_created, plat.ua_browser, u.ua_version, plat.ua_os, plat.os_version or None,
                         plat.device_type if mobile else None,
                         plat.device_type if plat.device_type == "tablet" else None,
                         last_access // MS_US, s_created, method, verified_at, must_verify, provider))
    yield (DB, "fxa_session_tokens_v1"), rows

    rng, rr, between = stream("devices")
    rows = []
    for u in existing:
        if any(r.kind in ("sync", "browser") for r in u.reliers):
            name = FIRST_NAMES[u.idx % len(FIRST_NAMES)]
            kind = "mobile" if u.platform.device_type != "desktop" else "desktop"
            for dev in u.device_ids[: rng.choice((0, 1, 1, 2, 3))]:
                rows.append((u.uid, dev, f"{name}'s Firefox on {u.platform.os_label}", kind,
                             between(u.created_us, end), rr() < 0.07))
    yield (DB, "fxa_devices_v1"), rows

    rng, rr, between = stream("linked")
    rows = []
    for u in existing:
        for provider in u.linked:
            subject = ("1" + "".join(str(rng.randrange(10)) for _ in range(20)) if provider == 1 else
                       f"00{rng.randrange(1000, 9999)}.{hex_id(rng, 16)}.{rng.randrange(1000, 9999)}")
            rows.append((u.uid, subject, provider, between(u.created_us, end), rr() < 0.97))
    yield (DB, "fxa_linked_accounts_v1"), rows

    rng, rr, between = stream("totp")
    rows = sorted((between(u.created_us, start if u.created_us < start else end), u.uid)
                  for u in existing if u.totp)
    yield (DB, "fxa_totp_v1"), [(i, uid, t, rr() < 0.97, rr() < 0.96) for i, (t, uid) in enumerate(rows, 1)]

    rng, rr, between = stream("recovery_keys")
    rows = []
    for u in existing:
        if rr() < 0.15:
            created = between(u.created_us, end)
            rows.append((u.uid, created, to_ms(created + uniform_us(rng, 5, 120)), rr() < 0.93,
                         rng.choice(RECOVERY_HINTS) or None))
    yield (DB, "fxa_recovery_keys_v1"), rows

    rng, rr, between = stream("passkeys")
    rows = []
    for u in existing:
        if rr() < 0.04:
            created = between(u.created_us, end)
            cred = base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode().rstrip("=")
            eligible = rr() < 0.7
            rows.append((u.uid, cred, rng.randrange(0, 400),
                         compact_json(PASSKEY_TRANSPORTS[int(rr() * len(PASSKEY_TRANSPORTS))]),
                         uuid4(rng), rng.choice(PASSKEY_NAMES), created, between(created, end),
                         eligible, eligible and rr() < 0.8, rr() < 0.5))
    yield (DB, "fxa_passkeys_v1"), rows

    rng, rr, between = stream("security_events")
    rows = []
    logins_by_user = logins.by_user()
    for u in existing:
        hmac = sha256_hex(u.uid + "|" + u.ip)
        info = compact_json({"userAgent": u.platform.ua_template.format(v=u.ua_version),
                             "location": {"country": u.country.name, "countryCode": u.country.iso}})
        rows.append((u.created_us, u.uid, 1, u.reg_verified, hmac, None, u.ip, info))
        if not u.registrant:
            for _ in range(rng.choice((0, 1, 1, 2))):
                rows.append((between(u.created_us, start), u.uid, 2, True, hmac, hex_id(rng, 16), u.ip, info))
        for t, verified in logins_by_user.get(u.idx, ()):
            rows.append((t, u.uid, 2, verified, hmac, hex_id(rng, 16), u.ip, info))
            if u.totp and verified:
                rows.append((t + 1000, u.uid, 11, True, hmac, None, u.ip, info))
    del logins_by_user
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    for i, (t, uid, name_id, verified, hmac, token, ip, info) in enumerate(rows):
        rows[i] = (1_000_001 + i, uid, name_id, verified, hmac, t, token, ip, info)
    yield (DB, "fxa_security_events_v1"), rows
    del rows

    yield (DB, "fxa_security_event_names_v1"), list(SECURITY_EVENT_NAMES)

    rng, rr, between = stream("deleted")
    rows = [(u.uid, u.deleted_us) for u in world.users if u.deleted_us is not None]
    for _ in range(max(1, world.n_users // 50)):
        rows.append((hex_id(rng, 16), to_ms(start - uniform_us(rng, 86400, 3 * 365 * 86400))))
    yield (DB, "fxa_deleted_accounts_v1"), rows

    rows = []
    for i, r in enumerate(RELIERS):
        if r.db_name is None:
            continue
        browser = r.kind != "oauth"
        rows.append((r.client_id, r.db_name, f"https://accounts-static.cdn.mozilla.net/{r.key}.png",
                     r.redirect, browser or r.key == "settings", browser, True, r.scopes.replace(",", " "),
                     to_ms(start - (9 - i % 5) * 365 * DAY_US - i * 17 * DAY_US)))
    cid, name, redirect, scopes = EXTRA_OAUTH_CLIENT
    rows.append((cid, name, None, redirect, False, False, False, scopes, to_ms(start - 400 * DAY_US)))
    yield (DB, "fxa_oauth_clients_v1"), rows

    # One refresh token per (user, OAuth relier); the unknown relier's tokens are kept
    # although its client is not in fxa_oauth_clients_v1 (an orphan, as in production).
    rng, rr, between = stream("refresh_tokens")
    rows = []
    for u in existing:
        if not u.reg_verified:
            continue
        for relier in u.reliers:
            scope = ("profile https://identity.mozilla.com/apps/oldsync" if relier.kind != "oauth"
                     else relier.scopes.replace(",", " "))
            created = between(u.created_us + 10 * MIN_US, end)
            rows.append((relier.client_id, u.uid, scope, created, between(created, end)))
    yield (DB, "fxa_oauth_refresh_tokens_v1"), rows


# --------------------------------------------------------------------------------------
# Writers.
# --------------------------------------------------------------------------------------
def _csv_cell(value, typ):
    if value is None:
        return ""
    if typ in ("string", "json"):
        return value if value != "" else "''"
    if typ == "bool":
        return "true" if value else "false"
    if typ == "timestamp":
        return format_timestamp(value)
    if typ == "numeric":
        return format(Decimal(value), "f")
    if typ == "float64":
        return repr(float(value))
    return str(value)


class CsvOutput:
    """Collects every row and writes sorted dbt seed CSVs plus their yml at the end."""

    def __init__(self, out_dir, layouts):
        self.out = Path(out_dir)
        self.layouts = layouts
        self.rows = {key: [] for key in layouts}

    def write_partition(self, key, _part, rows):
        self.rows[key].extend(rows)

    def finish(self):
        self.out.mkdir(parents=True, exist_ok=True)
        datasets = sorted({d for d, _ in self.layouts})
        keep = {layout.csv_name for layout in self.layouts.values()}
        for path in sorted(self.out.glob("*.csv")):
            if path.name not in keep and any(path.name.startswith(d + "__") for d in datasets):
                path.unlink()
        counts = {}
        for key, layout in self.layouts.items():
            idx = [layout.index.get(name) for name, _ in layout.columns]
            types = [typ for _, typ in layout.columns]
            sort_idx = [layout.index[c] for c in CSV_SORT_KEYS.get(key, ()) if c in layout.index]
            encoded = []
            for row in self.rows[key]:
                row = layout.flat(row)
                cells = [_csv_cell(None if i is None else row[i], typ) for i, typ in zip(idx, types)]
                sort_key = tuple((1, 0) if row[i] is None else (0, row[i]) for i in sort_idx)
                encoded.append((sort_key, cells))
            encoded.sort()
            with open(self.out / layout.csv_name, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(layout.header)
                writer.writerows(cells for _, cells in encoded)
            counts[key] = len(encoded)
        self._write_yml()
        return counts

    def _write_yml(self):
        lines = [
            "# GENERATED FILE, do not edit: written by scripts/generate_sample_data.py",
            "# (python scripts/generate_sample_data.py --format csv --out seeds/sample).",
            "# Every column is loaded as string so dbt never infers types; the raw-source loader",
            "# casts to the declared types. In the CSVs an empty cell is NULL and '' is an empty string.",
            "version: 2",
            "",
            "seeds:",
        ]
        for key in sorted(self.layouts):
            layout = self.layouts[key]
            lines.append(f"  - name: {layout.csv_name[:-4]}")
            lines.append(f"    description: \"Sample rows for source {layout.dataset}.{layout.table}; "
                         "generated by scripts/generate_sample_data.py, do not edit\"")
            lines.append("    config:")
            lines.append("      column_types:")
            for col in layout.header:
                lines.append(f"        {col}: string")
        (self.out / "_sample__seeds.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


PARQUET_CHUNK_ROWS = 100_000   # rows converted to Arrow at a time (one row group each)


class ParquetOutput:
    """Writes ``DIR/<dataset>/<table>/<part>.parquet`` files as soon as a partition is final."""

    def __init__(self, out_dir, layouts):
        import pyarrow as pa
        import pyarrow.parquet as pq
        self.pa, self.pq = pa, pq
        self.out = Path(out_dir)
        self.layouts = layouts
        self.types = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_(),
                      "timestamp": pa.timestamp("us", tz="UTC"), "json": pa.string(),
                      "numeric": pa.decimal128(38, 9), "float64": pa.float64(), "date": pa.date32()}
        self.counts = {key: 0 for key in layouts}
        # Compression and file IO release the GIL: they run on one background thread while
        # the next day is generated. At most two tables wait, so memory stays bounded.
        from concurrent.futures import ThreadPoolExecutor
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending = []
        for layout in layouts.values():
            directory = self.out / layout.dataset / layout.table
            directory.mkdir(parents=True, exist_ok=True)
            for stale in directory.glob("*.parquet"):
                stale.unlink()

    def _submit(self, fn, *args):
        while len(self.pending) >= 2:
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(fn, *args))

    def write_partition(self, key, part, rows):
        """Write one file; rows are converted and written in chunks (bounded memory)."""
        layout = self.layouts[key]
        path = self.out / layout.dataset / layout.table / f"{part}.parquet"
        writer = None
        for lo in range(0, max(len(rows), 1), PARQUET_CHUNK_ROWS):
            table = self._arrow_table(layout, rows[lo:lo + PARQUET_CHUNK_ROWS])
            if writer is None:
                writer = self.pq.ParquetWriter(path, table.schema, compression="zstd")
            self._submit(writer.write_table, table)
            del table
        self._submit(writer.close)
        self.counts[key] += len(rows)

    def _arrow_table(self, layout, rows):
        pa = self.pa
        n = len(rows)
        n_row = layout.n_row
        columns = list(zip(*rows)) if rows else [()] * (n_row + (1 if layout.n_const else 0))
        take = None
        if layout.n_const:
            # Rows of one flow share one const tuple: convert each distinct tuple once.
            consts = columns.pop()
            ids = list(map(id, consts))
            distinct = dict(zip(ids, consts))
            position = {k: i for i, k in enumerate(distinct)}
            take = pa.array(list(map(position.__getitem__, ids)), pa.int32())
            const_columns = list(zip(*distinct.values())) if distinct else [()] * layout.n_const
        tree = {}
        for name, typ in layout.columns:
            i = layout.index.get(name)
            arrow_type = self.types[typ]
            if i is None:
                array = pa.nulls(n, arrow_type)
            else:
                values = columns[i] if i < n_row else const_columns[i - n_row]
                if typ == "timestamp":
                    # Much faster than converting Python ints to timestamps element by element.
                    array = pa.array(values, type=pa.int64()).cast(arrow_type)
                else:
                    array = pa.array(values, type=arrow_type)
                if i >= n_row:
                    array = array.take(take)
            node = tree
            parts = name.split(".")
            for p in parts[:-1]:
                node = node.setdefault(p, {})
                if not isinstance(node, dict):
                    raise ContractError(f"{layout.dataset}.{layout.table}: {name} nests under a leaf")
            if parts[-1] in node:
                raise ContractError(f"{layout.dataset}.{layout.table}: {name} clashes with a struct")
            node[parts[-1]] = array

        def build(node):
            arrays = [build(v) if isinstance(v, dict) else v for v in node.values()]
            return pa.StructArray.from_arrays(arrays, names=list(node))

        arrays = [build(v) if isinstance(v, dict) else v for v in tree.values()]
        return pa.Table.from_arrays(arrays, names=list(tree))

    def finish(self):
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pending = []
            self.pool.shutdown(wait=True)
        return dict(self.counts)


# --------------------------------------------------------------------------------------
# Driver.
# --------------------------------------------------------------------------------------
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
    # Millions of short-lived acyclic tuples: the cyclic GC only costs time here.
    gc.disable()
    try:
        return _generate(args, layouts)
    finally:
        gc.enable()


def _generate(args, layouts):
    world = World(args)
    output = CsvOutput(args.out, layouts) if args.format == "csv" else ParquetOutput(args.out, layouts)
    periods = {
        T_BACKEND: (world.glean_first_day, world.days - 1),
        T_FRONTEND: (world.glean_first_day, world.days - 1),
        T_LEGACY: (0, world.legacy_last_day),
        T_CONTENT_FLOW: (0, world.legacy_last_day),
        T_AUTH_FLOW: (0, world.legacy_last_day),
    }
    routers = {key: Router(key, world, output, *periods[key], EVENT_TABLES[key][2])
               for key in EVENT_TABLES}
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
    for key, rows in iter_db_tables(world, logins):
        output.write_partition(key, "000000", rows)
        del rows
    counts = output.finish()
    return world, counts


PERIOD_HELP = """\
Periods (relative to --start-date, so other dates/lengths work):
  cutover day  = start + floor(0.4 * days) (min. 1); 2024-06-01 for the defaults, which is
                 the project's default var glean_cutover_date. Pass the matching var to dbt
                 when you change --start-date or --days.
  legacy       = firefox_accounts.fxa_all_events and firefox_accounts_derived.fxa_log_*:
                 days 0 .. cutover+2 (inclusive; partitioned on `timestamp`).
  Glean        = accounts_{frontend,backend}.events_stream: days 3 .. days-1
                 (partitioned on `submission_timestamp`).
  The periods overlap on days 3 .. cutover+2; rows that would fall outside the window
  (e.g. next-day submissions of the last day) are dropped, as a daily extract would.
  Accounts DB tables (accounts_db_external.*) hold the state at the end of the window.

Outputs:
  csv      OUT/<dataset>__<table>.csv plus OUT/_sample__seeds.yml (dbt seeds; empty cell
           = NULL, '' = empty string, all columns typed string).
  parquet  OUT/<dataset>/<table>/<YYYY-MM-DD>.parquet per partition day for event tables,
           OUT/accounts_db_external/<table>/000000.parquet for the DB tables (BigQuery
           EXPORT DATA layout, nested STRUCTs, TIMESTAMP UTC, NUMERIC as decimal(38,9)).
"""


def parse_args(argv=None):
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(
        description="Generate consistent synthetic Mozilla accounts raw data (Glean, legacy logs, "
                    "accounts DB) with the columns declared in models/staging/*/_*__sources.yml.",
        epilog=PERIOD_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("csv", "parquet"), required=True)
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--start-date", default="2024-05-27", help="first UTC day (default %(default)s)")
    parser.add_argument("--days", type=int, default=14, help="number of days (default %(default)s, min 4)")
    parser.add_argument("--users", type=int, default=300, help="number of people (default %(default)s)")
    parser.add_argument("--seed", type=int, default=20240527, help="random seed (default %(default)s)")
    parser.add_argument("--project-dir", default=str(here.parent),
                        help="dbt project root holding models/staging (default: the repo of this script)")
    args = parser.parse_args(argv)
    if args.days < 4:
        parser.error("--days must be at least 4 (Glean data starts on day 3)")
    if args.users < 10:
        parser.error("--users must be at least 10")
    try:
        dt.datetime.strptime(args.start_date, "%Y-%m-%d")
    except ValueError:
        parser.error("--start-date must be YYYY-MM-DD")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        layouts = build_layouts(args.project_dir)
        world, counts = generate(args, layouts)
    except ContractError as exc:
        print(f"error: schema contract: {exc}", file=sys.stderr)
        return 2
    for key in sorted(counts):
        print(f"{key[0]}.{key[1]}: {counts[key]} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
