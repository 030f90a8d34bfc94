"""Checks that the bigquery target can authenticate, before dbt tries to.

    python scripts/check_bigquery_auth.py [-- DBT_ARGS...]

`make debug-bigquery` runs it, then `dbt debug --target bigquery`. Without credentials
dbt's own error is long and does not say what to do; this says it in one line each:

- FXA_BQ_PROJECT unset: the profile needs the project that runs the jobs;
- FXA_BQ_METHOD=service-account: FXA_BQ_KEYFILE must name a readable JSON key;
- FXA_BQ_METHOD=oauth (the default): Application Default Credentials must exist
  (google.auth.default(), which reads GOOGLE_APPLICATION_CREDENTIALS, then gcloud's ADC
  file). When it raises DefaultCredentialsError the fix is
  `gcloud auth application-default login`, or GOOGLE_APPLICATION_CREDENTIALS set to a key.

Off Google Cloud (no Google product name in the machine's DMI data) the check does not
probe the GCE metadata server (NO_GCE_CHECK=true), which would only time out. It opens no
connection to BigQuery: dbt debug does that. Exit code 0 when the credentials are there,
1 when not (with the reason on stderr).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LOGIN = "gcloud auth application-default login"


def on_google_cloud() -> bool:
    try:
        return Path("/sys/class/dmi/id/product_name").read_text().startswith("Google")
    except OSError:
        return False


def problems(env: dict) -> list[str]:
    """What stops the bigquery target from authenticating, as instructions."""
    found = []
    if not env.get("FXA_BQ_PROJECT"):
        found.append("FXA_BQ_PROJECT is not set: export FXA_BQ_PROJECT=<the GCP project that runs the "
                     "jobs and holds the output datasets>.")
    method = env.get("FXA_BQ_METHOD") or "oauth"
    if method == "service-account":
        keyfile = env.get("FXA_BQ_KEYFILE", "")
        if not keyfile:
            found.append("FXA_BQ_METHOD=service-account needs FXA_BQ_KEYFILE=<path of the service account's "
                         f"JSON key>; or unset FXA_BQ_METHOD and run `{LOGIN}`.")
        elif not os.path.isfile(keyfile):
            found.append(f"FXA_BQ_KEYFILE={keyfile} is not a file: give the path of the service account's JSON key.")
    elif method == "oauth":
        if not on_google_cloud():
            os.environ.setdefault("NO_GCE_CHECK", "true")  # read by google.auth when it is imported
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError

        try:
            google.auth.default(scopes=["https://www.googleapis.com/auth/bigquery"])
        except DefaultCredentialsError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            found.append(f"no Google credentials found for FXA_BQ_METHOD=oauth ({first_line}). Run `{LOGIN}` "
                         "(once per machine; it opens a browser), or set GOOGLE_APPLICATION_CREDENTIALS to the "
                         "path of a service account's JSON key.")
    else:
        found.append(f"FXA_BQ_METHOD={method} is neither oauth nor service-account.")
    return found


def main() -> int:
    found = problems(dict(os.environ))
    if found:
        print("The bigquery target cannot authenticate yet:", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        print("See docs/operations.md#deploying-on-mozillas-bigquery.", file=sys.stderr)
        return 1
    print("bigquery target: credentials found (FXA_BQ_METHOD="
          f"{os.environ.get('FXA_BQ_METHOD') or 'oauth'}, project {os.environ['FXA_BQ_PROJECT']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
