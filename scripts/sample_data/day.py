"""One simulated UTC day: the flows people start (registrations, abandoned registrations,
logins, deletions), their token use, and the rows all of it leaves in the event tables.

Every day has its own random stream (``<seed>|day|<n>``); the family row builders
(``glean.DayRows``, ``legacy.DayRows``) draw from the same stream, so the order of the
calls below is part of the output. A step of a flow is
``(time, app "fe"/"be", event category, event name, extras JSON inside or '', whether the
frontend knows the user id)``; ``emit_flow`` hands the steps to both families.
"""
from __future__ import annotations

import random
import zlib

from . import auth, glean, legacy
from .common import DAY_US, HOUR_US, MIN_US, MS_US, to_ms, uniform_us, weighted_index
from .glean import X_AUTH_CODE, X_LINKING, X_LOGIN, X_REG, X_THIRD_PARTY_LINKS
from .knobs import (FE_EVENT_LOSS, LOGIN_CONFIRM_OK_P, LOGIN_CONFIRM_P, LOGIN_PASSWORD_OK_P,
                    LOGIN_RATE, LOGIN_STEPS, MIDNIGHT_FLOW_SHARE, REFRESH_TOKEN_SHARE, REG_CREATE_P,
                    REG_STEPS)
from .reference import CN_RELIER_CUM, CN_RELIERS, PLATFORMS, RELIER_CUM, RELIERS
from .sources import EVENT_SOURCES
from .world import make_flow, pick_country, time_of_day


class Day:
    """Simulates one UTC day; ``run()`` returns the rows of every event table it produced."""

    def __init__(self, world, day, logins):
        self.w = world
        self.d = day
        self.rng = random.Random(f"{world.seed}|day|{day}")
        self.day_start = world.start_us + day * DAY_US
        self.gen_glean = day >= world.glean_first_day - 1
        self.gen_legacy = day <= world.legacy_last_day
        self.rows = {source.key: [] for source in EVENT_SOURCES}
        self.logins = logins   # LoginLog: logins, for the security events of the DB
        self.version, self.app_version = world.train(day)
        self.glean = glean.DayRows(self)
        self.legacy = legacy.DayRows(self)
        # What auth.AuthEvents needs of the day's logins and registrations (no draws)
        self.auth_notes = []

    # ---- flows ----------------------------------------------------------------------
    def emit_flow(self, f, steps):
        """Write the rows of a flow's steps: Glean (minus lost frontend events) and legacy."""
        steps.sort(key=lambda s: s[0])
        rr = self.rng.random
        fe = []
        if not f.fe_lost:
            fe = [s for s in steps if s[1] == "fe" and rr() >= FE_EVENT_LOSS]
        be = [s for s in steps if s[1] == "be"]
        if self.gen_glean:
            self.glean.frontend(f, fe)
            self.glean.backend(f, be)
        if self.gen_legacy:
            self.legacy.flow(f, fe, be)

    # ---- flow builders ----------------------------------------------------------------
    def registration(self, u):
        """The planned registration of ``u``: third-party, or email and password with a code."""
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
        """A visitor who starts registering and stops before an account exists."""
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
        if reached == len(REG_STEPS):
            # submitted, and no account was created: the auth server refused it
            self.auth_notes.append(("reg_failed", f, to_ms(t)))
        self.emit_flow(f, steps)

    def login(self, u, t0, midnight):
        """A login of ``u`` from ``t0``: third-party, or password with TOTP or an email code."""
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
            if reached == len(LOGIN_STEPS):
                self.auth_notes.append(("login_failed", f, t))
            self.emit_flow(f, steps)
            return
        t_submit = t
        t = to_ms(t + uniform_us(rng, 0.2, 1))
        t_success = t
        steps.append((t, "be", "login", "success", "", True))
        steps.append((to_ms(t + uniform_us(rng, 0.2, 0.8)), "fe", "login", "submit_success", "", True))
        verified = True
        second_step = None
        if u.totp and not midnight:
            second_step = "totp"
            steps.append((to_ms(t + uniform_us(rng, 1, 2)), "fe", "login", "totp_form_view", "", True))
            t = to_ms(t + uniform_us(rng, 8, 40))
            steps.append((to_ms(t - uniform_us(rng, 0.2, 0.6)), "fe", "login", "totp_code_submit", "", True))
            steps.append((t, "be", "login", "totp_code_success", "", True))
        elif midnight or rr() < LOGIN_CONFIRM_P:
            second_step = "email_confirmation"
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
        self.auth_notes.append(("login_ok", f, t_submit, second_step))
        self.emit_flow(f, steps)

    def deletion(self, u):
        """The planned deletion of ``u``'s account (a Glean backend event only)."""
        if not self.gen_glean:
            return
        f = make_flow(self.w, self.rng, self.d, u.reliers[0], u, "delete")
        # A deletion from the settings page carries no relier and no flow.
        f.be_tail = f.be_tail[:10] + ("",) * 10
        self.glean.backend(f, [(u.deleted_us, "be", "account", "delete_complete", "", True)])


    # ---- token usage (the bulk of the events) --------------------------------------------
    def token_activity(self):
        """Each active user's token use at each of their reliers: a few token checks,
        sometimes a refresh, written by both families when their period covers the day."""
        w = self.w
        rng = self.rng
        rr = rng.random
        ds = self.day_start
        de = ds + DAY_US
        glean_rows = self.glean if self.gen_glean else None
        legacy_rows = self.legacy if self.gen_legacy else None
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
                if glean_rows is not None:
                    glean_rows.tokens(u, relier, service, client, times, refresh)
                if legacy_rows is not None:
                    legacy_rows.activity(u, relier, times, refresh)

    # ---- the day ----------------------------------------------------------------------
    def run(self):
        """Play the day: registrations, logins, deletions, token use, then stage/dev replays."""
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
        if self.gen_glean:
            self.glean.nonproduction()
            auth.AuthEvents(self).run()
        return self.rows
