"""scripts/check_bigquery_auth.py (`make debug-bigquery`): without credentials for the
bigquery target it says how to get them, instead of dbt's long connection error.

Each case runs the script in a child process with a clean environment: HOME and gcloud's
config directory in a temporary folder (no application-default credentials of the
machine's user), and NO_GCE_CHECK=true so google.auth never probes a metadata server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "check_bigquery_auth.py"


def check(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("FXA_BQ_", "GOOGLE_", "CLOUDSDK_"))}
    clean.update(HOME=str(tmp_path), CLOUDSDK_CONFIG=str(tmp_path / "gcloud"), NO_GCE_CHECK="true", **env)
    return subprocess.run([sys.executable, str(SCRIPT)], env=clean, capture_output=True, text=True, timeout=60)


def test_without_credentials_it_says_how_to_log_in(tmp_path):
    checked = check(tmp_path, FXA_BQ_PROJECT="my-project")
    assert checked.returncode == 1
    assert "gcloud auth application-default login" in checked.stderr
    assert "GOOGLE_APPLICATION_CREDENTIALS" in checked.stderr
    assert "Traceback" not in checked.stderr


def test_without_a_project_it_says_so(tmp_path):
    checked = check(tmp_path)
    assert checked.returncode == 1
    assert "FXA_BQ_PROJECT is not set" in checked.stderr


def test_a_missing_service_account_key_is_named(tmp_path):
    checked = check(tmp_path, FXA_BQ_PROJECT="p", FXA_BQ_METHOD="service-account",
                    FXA_BQ_KEYFILE=str(tmp_path / "missing.json"))
    assert checked.returncode == 1
    assert "missing.json is not a file" in checked.stderr


def test_application_default_credentials_pass(tmp_path):
    # The file `gcloud auth application-default login` writes (an authorized user); loading it
    # opens no connection.
    adc = tmp_path / "gcloud" / "application_default_credentials.json"
    adc.parent.mkdir()
    adc.write_text(json.dumps({"type": "authorized_user", "client_id": "id.apps.googleusercontent.com",
                               "client_secret": "secret", "refresh_token": "token"}))
    checked = check(tmp_path, FXA_BQ_PROJECT="my-project")
    assert checked.returncode == 0, checked.stderr
    assert "credentials found" in checked.stdout
