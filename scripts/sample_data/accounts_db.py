"""Row builders of the accounts DB family: the ``accounts_db_external.fxa_*_v1`` replicas.

These tables hold the state at the end of the window, not events. Each builder takes the
simulated world and the log of simulated logins and returns the table's rows, drawn from a
random stream of its own (``<seed>|db|<name>``): tables do not depend on one another or
on the order they are built in, so they are built, written and freed one at a time.
Each ``*_FIELDS`` tuple gives the column order of its builder's row tuples.
"""
from __future__ import annotations

import base64
import random
from array import array

from .common import DAY_US, MIN_US, MS_US, compact_json, hex_id, sha256_hex, to_ms, uniform_us, uuid4
from .contract import DATA_TYPES
from .reference import RELIERS

DATASET = "accounts_db_external"

_S, _I, _B, _T, _J, _N = DATA_TYPES[:6]

FIRST_NAMES = ("Alice", "Bob", "Chen", "Dana", "Emeka", "Fatima", "Greta", "Hiro", "Ines", "Jonas",
               "Kasia", "Luis", "Maya", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Yuki")
RECOVERY_HINTS = ("in my password manager", "blue notebook, page 3", "printed, in the desk drawer",
                  "USB stick", "ask Sam", "")
PASSKEY_NAMES = ("MacBook Pro (Touch ID)", "Windows Hello", "iCloud Keychain", "YubiKey 5 NFC",
                 "Google Password Manager")
PASSKEY_TRANSPORTS = (["internal", "hybrid"], ["internal"], ["usb", "nfc"], ["hybrid"])
# An OAuth client of the replica that no simulated relier uses.
EXTRA_OAUTH_CLIENT = ("6c6c2958595c38de", "Thunderbird Appointment",
                      "https://appointment.day/fxa", "profile")

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


def _stream(world, name):
    """(rng, rng.random, between(a, b)) of the table's own random stream."""
    rng = random.Random(f"{world.seed}|db|{name}")

    def between(a, b):
        return to_ms(a + int(rng.random() * max(b - a, 0)))
    return rng, rng.random, between


def _existing(world):
    """The users whose account still exists at the end of the window."""
    return [u for u in world.users if u.exists_at_end]


ACCOUNTS_FIELDS = (
    ("uid", _S), ("normalizedEmail", _S), ("email", _S), ("emailVerified", _B),
    ("verifierVersion", _I), ("verifierSetAt", _T), ("createdAt", _T), ("locale", _S),
    ("lockedAt", _T), ("profileChangedAt", _T), ("keysChangedAt", _T), ("ecosystemAnonId", _S),
    ("disabledAt", _T), ("metricsOptOutAt", _T), ("atLeast18AtReg", _B))


def accounts(world, _logins):
    start, end = world.start_us, world.end_us
    rng, rr, between = _stream(world, "accounts")
    rows = []
    for u in _existing(world):
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
    return rows


EMAILS_FIELDS = (
    ("id", _I), ("normalizedEmail", _S), ("email", _S), ("uid", _S), ("isVerified", _B),
    ("isPrimary", _B), ("verifiedAt", _T), ("createdAt", _T))


def emails(world, _logins):
    end = world.end_us
    rng, rr, between = _stream(world, "emails")
    rows = []
    for u in _existing(world):
        created = u.created_us
        verified_at = to_ms(created + uniform_us(rng, 20, 600)) if u.reg_verified else None
        rows.append((created, *email_of(u), u.uid, u.reg_verified, True, verified_at))
        if rr() < 0.10:
            added = between(created, end)
            ok = rr() < 0.85
            rows.append((added, *email_of(u, alt=True), u.uid, ok, False,
                         to_ms(added + uniform_us(rng, 30, 900)) if ok else None))
    rows.sort(key=lambda r: (r[0], r[3], r[5]))
    return [(i, normalized, typed, uid, verified, primary, verified_at, created)
            for i, (created, normalized, typed, uid, verified, primary, verified_at) in enumerate(rows, 1)]


SESSION_TOKENS_FIELDS = (
    ("uid", _S), ("createdAt", _T), ("uaBrowser", _S), ("uaBrowserVersion", _S), ("uaOS", _S),
    ("uaOSVersion", _S), ("uaDeviceType", _S), ("uaFormFactor", _S), ("lastAccessTime", _N),
    ("authAt", _T), ("verificationMethod", _I), ("verifiedAt", _T), ("mustVerify", _B),
    ("providerId", _I))


def session_tokens(world, _logins):
    end = world.end_us
    rng, rr, between = _stream(world, "sessions")
    rows = []
    for u in _existing(world):
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
    return rows


DEVICES_FIELDS = (
    ("uid", _S), ("id", _S), ("nameUtf8", _S), ("type", _S), ("createdAt", _T),
    ("callbackIsExpired", _B))


def devices(world, _logins):
    end = world.end_us
    rng, rr, between = _stream(world, "devices")
    rows = []
    for u in _existing(world):
        if any(r.kind in ("sync", "browser") for r in u.reliers):
            name = FIRST_NAMES[u.idx % len(FIRST_NAMES)]
            kind = "mobile" if u.platform.device_type != "desktop" else "desktop"
            for dev in u.device_ids[: rng.choice((0, 1, 1, 2, 3))]:
                rows.append((u.uid, dev, f"{name}'s Firefox on {u.platform.os_label}", kind,
                             between(u.created_us, end), rr() < 0.07))
    return rows


LINKED_ACCOUNTS_FIELDS = (
    ("uid", _S), ("id", _S), ("providerId", _I), ("authAt", _T), ("enabled", _B))


def linked_accounts(world, _logins):
    end = world.end_us
    rng, rr, between = _stream(world, "linked")
    rows = []
    for u in _existing(world):
        for provider in u.linked:
            subject = ("1" + "".join(str(rng.randrange(10)) for _ in range(20)) if provider == 1 else
                       f"00{rng.randrange(1000, 9999)}.{hex_id(rng, 16)}.{rng.randrange(1000, 9999)}")
            rows.append((u.uid, subject, provider, between(u.created_us, end), rr() < 0.97))
    return rows


TOTP_FIELDS = (("id", _N), ("uid", _S), ("createdAt", _T), ("verified", _B), ("enabled", _B))


def totp(world, _logins):
    start, end = world.start_us, world.end_us
    rng, rr, between = _stream(world, "totp")
    rows = sorted((between(u.created_us, start if u.created_us < start else end), u.uid)
                  for u in _existing(world) if u.totp)
    return [(i, uid, t, rr() < 0.97, rr() < 0.96) for i, (t, uid) in enumerate(rows, 1)]


RECOVERY_KEYS_FIELDS = (
    ("uid", _S), ("createdAt", _T), ("verifiedAt", _T), ("enabled", _B), ("hint", _S))


def recovery_keys(world, _logins):
    end = world.end_us
    rng, rr, between = _stream(world, "recovery_keys")
    rows = []
    for u in _existing(world):
        if rr() < 0.15:
            created = between(u.created_us, end)
            rows.append((u.uid, created, to_ms(created + uniform_us(rng, 5, 120)), rr() < 0.93,
                         rng.choice(RECOVERY_HINTS) or None))
    return rows


PASSKEYS_FIELDS = (
    ("uid", _S), ("credentialId", _S), ("signCount", _I), ("transports", _J), ("aaguid", _S),
    ("name", _S), ("createdAt", _T), ("lastUsedAt", _T), ("backupEligible", _B),
    ("backupState", _B), ("prfEnabled", _B))


def passkeys(world, _logins):
    end = world.end_us
    rng, rr, between = _stream(world, "passkeys")
    rows = []
    for u in _existing(world):
        if rr() < 0.04:
            created = between(u.created_us, end)
            cred = base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode().rstrip("=")
            eligible = rr() < 0.7
            rows.append((u.uid, cred, rng.randrange(0, 400),
                         compact_json(PASSKEY_TRANSPORTS[int(rr() * len(PASSKEY_TRANSPORTS))]),
                         uuid4(rng), rng.choice(PASSKEY_NAMES), created, between(created, end),
                         eligible, eligible and rr() < 0.8, rr() < 0.5))
    return rows


SECURITY_EVENTS_FIELDS = (
    ("id", _N), ("uid", _S), ("nameId", _I), ("verified", _B), ("ipAddrHmac", _S),
    ("createdAt", _T), ("tokenVerificationId", _S), ("ipAddr", _S), ("additionalInfo", _J))


def security_events(world, logins):
    """account.create of every account, older logins of existing users, the window's logins."""
    start = world.start_us
    rng, rr, between = _stream(world, "security_events")
    rows = []
    logins_by_user = logins.by_user()
    for u in _existing(world):
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
    return rows


SECURITY_EVENT_NAMES_FIELDS = (("id", _I), ("name", _S))


def security_event_names(_world, _logins):
    return list(SECURITY_EVENT_NAMES)


DELETED_ACCOUNTS_FIELDS = (("uid", _S), ("deletedAt", _T))


def deleted_accounts(world, _logins):
    """Accounts deleted in the window, plus some deleted before it."""
    start = world.start_us
    rng, rr, between = _stream(world, "deleted")
    rows = [(u.uid, u.deleted_us) for u in world.users if u.deleted_us is not None]
    for _ in range(max(1, world.n_users // 50)):
        rows.append((hex_id(rng, 16), to_ms(start - uniform_us(rng, 86400, 3 * 365 * 86400))))
    return rows


OAUTH_CLIENTS_FIELDS = (
    ("id", _S), ("name", _S), ("imageUri", _S), ("redirectUri", _S), ("canGrant", _B),
    ("publicClient", _B), ("trusted", _B), ("allowedScopes", _S), ("createdAt", _T))


def oauth_clients(world, _logins):
    """The reliers known to the replica (not the unknown one) and one client nobody uses."""
    start = world.start_us
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
    return rows


OAUTH_REFRESH_TOKENS_FIELDS = (
    ("clientId", _S), ("userId", _S), ("scope", _S), ("createdAt", _T), ("lastUsedAt", _T))


def oauth_refresh_tokens(world, _logins):
    """One refresh token per (user, OAuth relier); the unknown relier's tokens are kept
    although its client is not in fxa_oauth_clients_v1 (an orphan, as in production)."""
    end = world.end_us
    rng, rr, between = _stream(world, "refresh_tokens")
    rows = []
    for u in _existing(world):
        if not u.reg_verified:
            continue
        for relier in u.reliers:
            scope = ("profile https://identity.mozilla.com/apps/oldsync" if relier.kind != "oauth"
                     else relier.scopes.replace(",", " "))
            created = between(u.created_us + 10 * MIN_US, end)
            rows.append((relier.client_id, u.uid, scope, created, between(created, end)))
    return rows
