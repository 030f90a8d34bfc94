"""The event catalogue, ``seeds/lookups/event_catalogue.csv``, and the events the generator emits.

The catalogue is the project's one definition of which events exist and what they mean
(side, business concept, funnel step, third-party provider, whether the geo is the
user's). The generator checks itself against it at start-up, before anything is written.

Why a check and not a look-up: the catalogue has no key that picks one event name for a
step of the simulation. A funnel step or concept stands for several names (``login_view``
is ``login.view`` and ``cached_login.view``; ``third_party_start`` is eight events; every
legacy step has an Amplitude ``event_type`` and a flow-log event), so looking names up
would need a tie-breaker that is the name itself. The builders therefore keep their
literal names, the output does not depend on the catalogue's bytes (and stays
byte-identical), and this module declares every event name the generator emits with the
meaning the simulation gives it:

- ``EMITTED``: events with a meaning. Each must be in the catalogue under its source system
  with the same ``side``, ``funnel_step``, ``concept``, ``third_party_provider``,
  ``has_user_geo``, ``signin_method``, ``second_factor`` and ``is_error``. (``step_flow_type``, ``is_activity`` and ``mozilla_definition`` are
  how the models classify events; the simulation assumes nothing about them.)
- ``UNCATALOGUED``: events the generator emits without a meaning (steps no funnel counts,
  email sends, Sync's ``cert_signed``, the flow logs' begin/complete, deletions). Each must
  be absent from the catalogue: once the catalogue gives one a meaning, this declaration
  has to say whether the simulation agrees.
- ``legacy.LEGACY_STEP_MAP``, the legacy rows written for each Glean step: every name in it
  is declared, and each catalogued legacy event of it is written to the log (content/auth)
  of its catalogue side (frontend/backend) and has the funnel step of its Glean step.

Any disagreement stops the run (exit 2) with every problem listed. The other half, that
the generated tables hold no event name missing from these declarations, is a test
(tests/python/test_generate_sample_data.py).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

from . import legacy
from .contract import ContractError

CATALOGUE_PATH = Path("seeds") / "lookups" / "event_catalogue.csv"
COLUMNS = ("source_system", "event_name", "side", "concept", "funnel_step", "step_flow_type",
           "third_party_provider", "is_activity", "has_user_geo", "signin_method", "second_factor",
           "is_error", "mozilla_definition")
FE, BE = "frontend", "backend"
LOG_SIDES = {"content": FE, "auth": BE}   # legacy fxa_log -> catalogue side


class CatalogueError(ContractError):
    """The event catalogue and the generator disagree."""


@dataclass(frozen=True)
class Meaning:
    """What an event stands for, in the terms of the catalogue's columns."""

    side: str                            # frontend | backend
    funnel_step: Optional[str] = None
    concept: Optional[str] = None
    third_party_provider: Optional[str] = None
    has_user_geo: bool = True            # False: the row's geo is never the user's (or absent)
    signin_method: Optional[str] = None  # the sign-in method the event shows (auth.py)
    second_factor: Optional[str] = None  # the second factor it shows
    is_error: bool = False               # a refused submit, with the error as `reason`


COMPARED = ("side", "funnel_step", "concept", "third_party_provider", "has_user_geo", "signin_method",
            "second_factor", "is_error")

_GLEAN = {
    "email.first_view": Meaning(FE, "entry_page_view"),
    "email.first_submit_success": Meaning(FE, "entry_page_submit"),
    "reg.view": Meaning(FE, "reg_view"),
    "reg.submit": Meaning(FE, "reg_submit"),
    "reg.acc_created": Meaning(BE, "reg_acc_created"),
    "reg.signup_code_view": Meaning(FE, "reg_signup_code_view"),
    "reg.acc_verified": Meaning(BE, "reg_acc_verified"),
    "reg.complete": Meaning(BE, "reg_complete", "registration_completed"),
    "login.view": Meaning(FE, "login_view"),
    "cached_login.view": Meaning(FE, "login_view"),
    "login.submit": Meaning(FE, "login_submit"),
    "login.success": Meaning(BE, "login_success", signin_method="password"),
    "login.submit_success": Meaning(FE, "login_submit_success"),
    "login.email_confirmation_view": Meaning(FE, "login_confirm_code_view"),
    "login.email_confirmation_submit": Meaning(FE, "login_confirm_code_submit"),
    "login.totp_form_view": Meaning(FE, "login_totp_form_view"),
    "login.totp_code_submit": Meaning(FE, "login_totp_code_submit"),
    "login.complete": Meaning(BE, "login_complete", "login_completed"),
    # Sign-in methods, second factors and failed submits (auth.py): no step, no concept.
    "cached_login.submit": Meaning(FE, signin_method="cached_login"),
    "cached_login.success_view": Meaning(FE, signin_method="cached_login"),
    "passkey.auth_success": Meaning(FE, signin_method="passkey"),
    "login.totp_code_success": Meaning(BE, second_factor="totp"),
    "login.backup_code_success": Meaning(BE, second_factor="backup_code"),
    "login.recovery_phone_success_view": Meaning(FE, second_factor="recovery_phone"),
    "login.submit_frontend_error": Meaning(FE, is_error=True),
    "login.submit_backend_error": Meaning(BE, is_error=True),
    "reg.submit_error": Meaning(BE, is_error=True),
    # Password resets (auth.py), either path: with or without the account recovery key.
    "password_reset.view": Meaning(FE, "password_reset_view"),
    "password_reset.create_new_view": Meaning(FE, "password_reset_create_new_view"),
    "password_reset.recovery_key_create_new_view": Meaning(FE, "password_reset_create_new_view"),
    "password_reset.create_new_success_view": Meaning(FE, "password_reset_complete"),
    "password_reset.recovery_key_create_success_view": Meaning(FE, "password_reset_complete"),
    "account.password_reset": Meaning(BE, "password_reset_complete"),
    # Third-party sign-in: started from the email-first page, the registration or login
    # page or a deep link; a third-party registration is a registration.
    "email.first_google_oauth_start": Meaning(FE, "third_party_start", None, "google"),
    "email.first_apple_oauth_start": Meaning(FE, "third_party_start", None, "apple"),
    "third_party_auth.google_reg_start": Meaning(FE, "third_party_start", None, "google"),
    "third_party_auth.apple_reg_start": Meaning(FE, "third_party_start", None, "apple"),
    "third_party_auth.google_login_start": Meaning(FE, "third_party_start", None, "google"),
    "third_party_auth.apple_login_start": Meaning(FE, "third_party_start", None, "apple"),
    "third_party_auth.google_deeplink": Meaning(FE, "third_party_start", None, "google"),
    "third_party_auth.apple_deeplink": Meaning(FE, "third_party_start", None, "apple"),
    "third_party_auth.google_reg_complete": Meaning(BE, "third_party_complete", "registration_completed",
                                                    "google"),
    "third_party_auth.apple_reg_complete": Meaning(BE, "third_party_complete", "registration_completed",
                                                   "apple"),
    "third_party_auth.google_login_complete": Meaning(BE, "third_party_complete", None, "google",
                                                      signin_method="google"),
    "third_party_auth.apple_login_complete": Meaning(BE, "third_party_complete", None, "apple",
                                                     signin_method="apple"),
    # Token use: checks come from the relier's servers (knobs.RELIER_SERVER_GEO).
    "access_token.created": Meaning(BE, None, "oauth_token_created"),
    "access_token.checked": Meaning(BE, None, "oauth_token_checked", has_user_geo=False),
}
_LEGACY = {
    "fxa_email_first - view": Meaning(FE, "entry_page_view"),
    "flow.enter-email.view": Meaning(FE, "entry_page_view"),
    "fxa_reg - view": Meaning(FE, "reg_view"),
    "flow.signup.view": Meaning(FE, "reg_view"),
    "fxa_reg - created": Meaning(BE, "reg_acc_created"),
    "account.created": Meaning(BE, "reg_acc_created"),
    "fxa_reg - email_confirmed": Meaning(BE, "reg_acc_verified"),
    "account.verified": Meaning(BE, "reg_acc_verified"),
    "fxa_reg - complete": Meaning(BE, "reg_complete", "registration_completed"),
    "fxa_login - view": Meaning(FE, "login_view"),
    "flow.signin.view": Meaning(FE, "login_view"),
    "fxa_login - success": Meaning(BE, "login_success"),
    "account.login": Meaning(BE, "login_success"),
    "fxa_login - complete": Meaning(BE, "login_complete", "login_completed"),
    # The legacy log cannot tell a third-party registration from a login (the registration
    # is its fxa_reg - complete), so these carry no concept.
    "fxa_third_party_auth - google_signin_complete": Meaning(BE, "third_party_complete", None, "google"),
    "fxa_third_party_auth - apple_signin_complete": Meaning(BE, "third_party_complete", None, "apple"),
    # Legacy token rows carry no geo at all.
    legacy.TOKEN_CREATED: Meaning(BE, None, "oauth_token_created"),
    legacy.TOKEN_CHECKED: Meaning(BE, None, "oauth_token_checked", has_user_geo=False),
}
EMITTED: Dict[Tuple[str, str], Meaning] = {
    **{("glean", name): meaning for name, meaning in _GLEAN.items()},
    **{("legacy", name): meaning for name, meaning in _LEGACY.items()},
}
UNCATALOGUED = frozenset(
    [("glean", name) for name in (
        "reg.engage", "reg.email_sent", "reg.submit_success", "reg.success_view",
        "login.email_confirmation_sent", "login.email_confirmation_success",
        "account.delete_complete", "login.backup_code_submit", "login.forgot_pwd_submit",
        "password_reset.email_confirmation_sent", "password_reset.email_confirmation_submit",
        "password_reset.email_confirmation_success")]
    + [("legacy", name) for name in (
        "fxa_email - sent", "fxa_login - email_confirmed", "fxa_login - totp_code_success",
        legacy.CERT_SIGNED, legacy.FLOW_BEGIN, "flow.complete")])


def declared_names(source_system):
    """Every event name the generator may emit for ``source_system`` (glean | legacy)."""
    return {name for system, name in set(EMITTED) | UNCATALOGUED if system == source_system}


def load_catalogue(path):
    """{(source_system, event_name): Meaning} of the catalogue CSV."""
    path = Path(path)
    if not path.is_file():
        raise CatalogueError(f"no event catalogue at {path} (see --event-catalogue)")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise CatalogueError(f"{path}: columns {missing} are missing")
        entries = {}
        for line, row in enumerate(reader, 2):
            value = {c: (row[c] or "").strip() or None for c in COLUMNS}
            key = (value["source_system"], value["event_name"])
            if key in entries:
                raise CatalogueError(f"{path}:{line}: {key[0]} event {key[1]!r} is listed twice")
            for flag in ("has_user_geo", "is_error"):
                if value[flag] not in ("true", "false"):
                    raise CatalogueError(f"{path}:{line}: {flag} is {value[flag]!r}, not true or false")
            entries[key] = Meaning(value["side"], value["funnel_step"], value["concept"],
                                   value["third_party_provider"], value["has_user_geo"] == "true",
                                   value["signin_method"], value["second_factor"], value["is_error"] == "true")
    return entries


def problems(catalogue):
    """Every disagreement between ``catalogue`` and the generator's declarations, as text."""
    out = []
    for key, assumed in EMITTED.items():
        found = catalogue.get(key)
        if found is None:
            out.append(f"{key[0]} event {key[1]!r} is emitted with a meaning but not in the catalogue")
            continue
        for column in COMPARED:
            have, want = getattr(found, column), getattr(assumed, column)
            if have != want:
                out.append(f"{key[0]} event {key[1]!r}: {column} is {have!r} in the catalogue, "
                           f"the generator simulates {want!r}")
    for key in sorted(UNCATALOGUED & set(catalogue)):
        out.append(f"{key[0]} event {key[1]!r} is in the catalogue now, but the generator emits it "
                   "as an event without a meaning")
    for glean_name, (log, event_type, flow_event, _props) in legacy.LEGACY_STEP_MAP.items():
        step = EMITTED.get(("glean", glean_name))
        if step is None and ("glean", glean_name) not in UNCATALOGUED:
            out.append(f"LEGACY_STEP_MAP: glean event {glean_name!r} is not declared")
        for name in (event_type, flow_event):
            if name is None:
                continue
            mirror = EMITTED.get(("legacy", name))
            if mirror is None and ("legacy", name) not in UNCATALOGUED:
                out.append(f"LEGACY_STEP_MAP: legacy event {name!r} is not declared")
                continue
            if mirror is None:
                continue   # e.g. flow.complete, the auth flow log's end of any flow
            if mirror.side != LOG_SIDES[log]:
                out.append(f"LEGACY_STEP_MAP: {name!r} is written to the {log} log, a {mirror.side} event")
            glean_step = step.funnel_step if step else None
            if glean_step != mirror.funnel_step:
                out.append(f"LEGACY_STEP_MAP: glean {glean_name!r} is step {glean_step!r} but its legacy "
                           f"{name!r} is step {mirror.funnel_step!r}")
    return out


def check_catalogue(path):
    """Load the catalogue at ``path`` and raise ``CatalogueError`` unless the generator agrees."""
    found = problems(load_catalogue(path))
    if found:
        raise CatalogueError(f"{path} and the generator disagree (its declarations are in "
                             "scripts/sample_data/catalogue.py):\n  " + "\n  ".join(found))
