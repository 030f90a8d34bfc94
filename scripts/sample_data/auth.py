"""How people sign in, fail and reset their passwords: the Glean events of sign-in methods,
second factors, failed submits and password resets.

``AuthEvents(day).run()`` runs after the rest of a Glean day (the stage and development
replays included) on a random stream of its own (``<seed>|auth|<n>``), and only edits or
adds Glean rows, so every other row of the sample is the same with or without it:

* sign-in methods: a share of the password logins that needed no second step become
  cached sign-ins (the signed-in account's one-click form: ``cached_login.*``, no
  password checked) or passkey sign-ins (``passkey.auth_success`` instead of the password
  submit); the two-step logins of TOTP users use a backup code (``login.backup_code_*``)
  or the recovery phone (``login.recovery_phone_success_view``) instead of the app's code.
  Rows are renamed or dropped, never drawn anew, and only in flows whose first frontend
  event survived (the flow's start and frontend presence do not move); the choice is
  drawn per flow id (``<seed>|signin|<flow id>``).
* failed submits: a login whose password was refused, and a few logins before their
  successful retry, send ``login.submit_frontend_error`` and ``login.submit_backend_error``
  with the error's message as ``reason`` (a network error reaches no server: frontend
  only); a registration submitted without an account created sends ``reg.submit_error``.
* password resets: people who forgot their password start a reset from the login page
  (``login.forgot_pwd_submit``, ``password_reset.*``, ``account.password_reset``), some
  with their account recovery key, and drop off along the way.

The shares are knobs below; the event names are those of mozilla/fxa
packages/fxa-shared/metrics/glean/fxa-{ui,backend}-metrics.yaml and the generated
web/login.ts and web/passkey.ts beside them.
"""
from __future__ import annotations

import random

from .common import DAY_US, HOUR_US, MIN_US, MS_US, SEC_US, to_ms, uniform_us, uuid4
from .glean import BACKEND, CONST_APP_CHANNEL, CONST_FLOW_ID, FRONTEND, DayRows, submission
from .knobs import DUPLICATE_SHARE, FE_EVENT_LOSS, MIDNIGHT_FLOW_SHARE
from .world import make_flow, time_of_day

CACHED_LOGIN_SHARE = 0.15      # password logins without a second step done with the cached form
PASSKEY_LOGIN_SHARE = 0.05     # ... and with a passkey
BACKUP_CODE_SHARE = 0.10       # two-step logins with a backup code instead of the app's code
RECOVERY_PHONE_SHARE = 0.07    # ... and with the recovery phone
LOGIN_ERROR_SHARE = 0.9        # refused logins whose error events are sent
RETRY_AFTER_ERROR_SHARE = 0.05  # successful password logins that failed once before
REG_ERROR_SHARE = 0.8          # refused registrations whose error event is sent
RESET_RATE = 0.008             # password resets started per user and day
RESET_STEPS = (0.75, 0.9, 0.85)  # view -> code confirmed -> new password form -> reset
RECOVERY_KEY_SHARE = 0.2       # resets done with the account recovery key

# The error's message, as fxa-settings sends it as `reason` (error.message), with weights;
# NETWORK_ERROR never reaches the auth server.
NETWORK_ERROR = "NetworkError when attempting to fetch resource."
LOGIN_REASONS = (("Incorrect password", 70), ("Client has sent too many requests", 8),
                 ("Unknown account", 4), ("Sign in with this email type is not currently supported", 3),
                 ("This request requires two step authentication enabled on your account.", 3),
                 (NETWORK_ERROR, 10), ("", 2))
REG_REASONS = (("Account already exists", 55), ("Client has sent too many requests", 15),
               ("Invalid parameter in request body", 15),
               ("Sign in with this email type is not currently supported", 10), ("", 5))

# Renames of a converted login's rows: (category, name) -> new (category, name), or None
# to drop the row.
CACHED = {("email", "first_view"): ("cached_login", "view"), ("email", "first_submit_success"): None,
          ("login", "view"): None, ("login", "submit"): ("cached_login", "submit"),
          ("login", "success"): None, ("login", "submit_success"): ("cached_login", "success_view")}
PASSKEY = {("login", "submit"): None, ("login", "success"): None,
           ("login", "submit_success"): ("passkey", "auth_success")}
BACKUP_CODE = {("login", "totp_code_submit"): ("login", "backup_code_submit"),
               ("login", "totp_code_success"): ("login", "backup_code_success")}
RECOVERY_PHONE = {("login", "totp_code_submit"): ("login", "recovery_phone_success_view"),
                  ("login", "totp_code_success"): None}


def _weighted(rng, choices):
    total = sum(w for _, w in choices)
    r = rng.random() * total
    for value, w in choices:
        r -= w
        if r < 0:
            return value
    return choices[-1][0]


def _reason_extra(reason):
    return '"reason":"' + reason + '"' if reason else ""


class AuthEvents:
    """The sign-in, error and reset events of one simulated Glean day."""

    def __init__(self, day):
        self.day = day
        self.w = day.w
        self.rng = random.Random(f"{self.w.seed}|auth|{day.d}")
        self.fe_rows = day.rows[FRONTEND]
        self.be_rows = day.rows[BACKEND]
        # a writer of whole new flows on this stream
        self.writer = DayRows(day)
        self.writer.rng = self.rng

    def run(self):
        notes = self.day.auth_notes
        rows_of = self._rows_by_flow({note[1].flow_id for note in notes})
        dropped = set()
        for note in notes:
            kind, f = note[0], note[1]
            rows = rows_of.get(f.flow_id, [])
            if kind == "login_failed":
                if self.rng.random() < LOGIN_ERROR_SHARE:
                    self._errors(f, rows, "login", note[2], LOGIN_REASONS)
            elif kind == "reg_failed":
                if self.rng.random() < REG_ERROR_SHARE:
                    self._errors(f, rows, "reg", note[2], REG_REASONS)
            else:
                self._signin(f, rows, note[2], note[3], dropped)
        if dropped:
            for table, out in ((FRONTEND, self.fe_rows), (BACKEND, self.be_rows)):
                out[:] = [row for i, row in enumerate(out) if (table, i) not in dropped]
        self._resets()

    # ---- existing flows -------------------------------------------------------------
    def _rows_by_flow(self, flow_ids):
        """{flow id: [(table, index, row)]} of the production rows of ``flow_ids``."""
        found = {}
        for table, out in ((FRONTEND, self.fe_rows), (BACKEND, self.be_rows)):
            for i, row in enumerate(out):
                flow_id = row[-1][CONST_FLOW_ID]
                if flow_id in flow_ids and row[-1][CONST_APP_CHANNEL] == "production":
                    found.setdefault(flow_id, []).append((table, i, row))
        return found

    def _signin(self, f, rows, t_submit, second_step, dropped):
        rr = self.rng.random
        names = {(row[5], row[6]) for _table, _i, row in rows}
        if ("login", "complete") not in names:
            return
        if rr() < RETRY_AFTER_ERROR_SHARE:
            t = to_ms(t_submit - uniform_us(self.rng, 8, 40))
            self._errors(f, rows, "login", t, (("Incorrect password", 1),))
        # the method and second factor of a flow: drawn per flow id, so they do not depend
        # on the day's other flows
        r = random.Random(f"{self.w.seed}|signin|{f.flow_id}").random()
        renames = None
        if second_step is None and ("email", "first_view") in names:
            if r < CACHED_LOGIN_SHARE:
                renames = CACHED
            elif r < CACHED_LOGIN_SHARE + PASSKEY_LOGIN_SHARE:
                renames = PASSKEY
        elif second_step == "totp":
            if r < BACKUP_CODE_SHARE:
                renames = BACKUP_CODE
            elif r < BACKUP_CODE_SHARE + RECOVERY_PHONE_SHARE:
                renames = RECOVERY_PHONE
        if renames is None:
            return
        for table, i, row in rows:
            key = (row[5], row[6])
            if key not in renames:
                continue
            new = renames[key]
            out = self.fe_rows if table == FRONTEND else self.be_rows
            if new is None:
                dropped.add((table, i))
            else:
                cat, name = new
                out[i] = row[:5] + (cat, name, f"{cat}.{name}") + row[8:]

    def _errors(self, f, rows, category, t, reasons):
        """The error events of a refused submit at ``t``: frontend (if the flow's frontend
        is seen at all) and backend for a login, backend for a registration."""
        rng = self.rng
        reason = _weighted(rng, reasons)
        inner = _reason_extra(reason)
        if category == "login":
            has_frontend = any(table == FRONTEND for table, _i, _row in rows)
            if has_frontend and rng.random() >= FE_EVENT_LOSS:
                self._frontend_row(f, to_ms(t + uniform_us(rng, 0.3, 1.5)), "login", "submit_frontend_error",
                                   inner, True)
            if reason != NETWORK_ERROR:
                self._backend_row(f, to_ms(t + uniform_us(rng, 0.1, 0.6)), "login", "submit_backend_error",
                                  inner)
        else:
            self._backend_row(f, to_ms(t + uniform_us(rng, 0.2, 0.9)), "reg", "submit_error", inner)

    def _frontend_row(self, f, t, cat, name, inner, known):
        rng = self.rng
        doc = uuid4(rng)
        sub = submission(rng, t, SEC_US, 30 * SEC_US)
        stamp = '"glean_timestamp":' + str(t // MS_US) + "}"
        extra = "{" + inner + "," + stamp if inner else "{" + stamp
        row = (f"{doc}-1", doc, 1, sub, t, cat, name, f"{cat}.{name}", extra, f.fe_seq, t - t % MIN_US,
               f.sha if known else "", "") + f.geo + (f.fe_const,)
        f.fe_seq += 1
        self.fe_rows.append(row)
        if rng.random() < DUPLICATE_SHARE:
            self.fe_rows.append(row)

    def _backend_row(self, f, t, cat, name, inner):
        rng = self.rng
        doc = uuid4(rng)
        sub = submission(rng, t, 300 * MS_US, 8 * SEC_US)
        extra = "{" + inner + "}" if inner else None
        const = self.writer.backend_const(f, int(rng.random() * len(self.w.backend_processes)))
        row = (doc + "-1", doc, 1, sub, t, cat, name, f"{cat}.{name}", extra, 0, t - t % MIN_US, f.sha, "") \
            + f.geo + (const,)
        self.be_rows.append(row)
        if rng.random() < DUPLICATE_SHARE:
            self.be_rows.append(row)

    # ---- new flows: password resets ---------------------------------------------------
    def _resets(self):
        rng = self.rng
        rr = rng.random
        w = self.w
        day_start = self.day.day_start
        expected = w.n_users * RESET_RATE
        n = int(expected) + (1 if rr() < expected - int(expected) else 0)
        last_day = self.day.d == w.days - 1
        for _ in range(n):
            u = w.users[int(rr() * w.n_users)]
            if not last_day and rr() < MIDNIGHT_FLOW_SHARE:
                t0 = day_start + 23 * HOUR_US + 44 * MIN_US + int(rr() * 11 * MIN_US)
            else:
                t0 = min(day_start + time_of_day(rng), day_start + DAY_US - 3 * MIN_US)
            if u.active_from is None or t0 < u.active_from + HOUR_US or t0 >= u.active_until - HOUR_US:
                continue
            self._reset(u, t0)

    def _reset(self, u, t0):
        rng = self.rng
        rr = rng.random
        f = make_flow(self.w, rng, self.day.d, u.reliers[int(rr() * len(u.reliers))], u, "password_reset")
        t = to_ms(t0)
        steps = [(t, "fe", "login", "forgot_pwd_submit", "", False)]
        t = to_ms(t + uniform_us(rng, 1, 3))
        steps.append((t, "fe", "password_reset", "view", "", False))
        t = to_ms(t + uniform_us(rng, 4, 20))
        steps.append((t, "be", "password_reset", "email_confirmation_sent", "", True))
        if rr() < RESET_STEPS[0]:
            # the code from the email; after midnight for a flow started at 23:4x
            wait = (16 * 60, 28 * 60) if t0 % DAY_US >= 23 * HOUR_US + 40 * MIN_US else (30, 400)
            t = to_ms(t + uniform_us(rng, *wait))
            steps.append((t, "fe", "password_reset", "email_confirmation_submit", "", False))
            t = to_ms(t + uniform_us(rng, 0.2, 0.8))
            steps.append((t, "be", "password_reset", "email_confirmation_success", "", True))
            if rr() < RESET_STEPS[1]:
                with_key = rr() < RECOVERY_KEY_SHARE
                t = to_ms(t + uniform_us(rng, 1, 3))
                if with_key:
                    steps.append((t, "fe", "password_reset", "recovery_key_create_new_view", "", True))
                else:
                    steps.append((t, "fe", "password_reset", "create_new_view", "", True))
                if rr() < RESET_STEPS[2]:
                    t = to_ms(t + uniform_us(rng, 10, 90))
                    steps.append((t, "be", "account", "password_reset", "", True))
                    t = to_ms(t + uniform_us(rng, 0.5, 2))
                    name = "recovery_key_create_success_view" if with_key else "create_new_success_view"
                    steps.append((t, "fe", "password_reset", name, "", True))
        fe = []
        if not f.fe_lost:
            fe = [s for s in steps if s[1] == "fe" and rr() >= FE_EVENT_LOSS]
        self.writer.frontend(f, fe)
        self.writer.backend(f, [s for s in steps if s[1] == "be"])

