"""Knobs of the simulation: shares, rates and step probabilities.

Rates are per user and day unless said otherwise. Changing any of them changes the
generated data (and so the committed sample, whose test would then ask for a rerun).
"""
from __future__ import annotations

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

# Relative traffic per UTC hour (0..23).
HOUR_WEIGHTS = (2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6.5, 6.5, 6, 6, 6, 6, 6, 6, 6.5, 7, 7, 6, 4.5, 3)
