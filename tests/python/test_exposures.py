"""The dashboards that read the marts (models/marts/_marts__exposures.yml), checked over
dbt's manifest (target/manifest.json: `make parse` or any build writes it).

Every public mart is read by at least one exposure, so the docs site's lineage shows, for
each contracted table, the dashboards a change to it would reach (and `make test-changed`
selects those exposures with the mart). Each exposure is a dashboard with an owner and a
url; a placeholder url is marked as one.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, read_json

PROJECT = "mozilla_accounts"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return read_json(ROOT / "target" / "manifest.json")


def public_marts(manifest: dict) -> set[str]:
    return {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
        and node["fqn"][1] == "marts" and node["access"] == "public"
    }


def test_there_are_public_marts(manifest):
    """Guards the next test against passing on an empty set (a renamed folder or key)."""
    assert len(public_marts(manifest)) >= 5


def test_every_public_mart_is_read_by_an_exposure(manifest):
    read = {
        node
        for exposure in manifest["exposures"].values()
        for node in exposure["depends_on"]["nodes"]
    }
    unread = sorted(public_marts(manifest) - read)
    assert not unread, (
        f"public marts no exposure depends on: {unread}. Add each to the dashboard that reads it "
        "in models/marts/_marts__exposures.yml"
    )


def test_every_exposure_is_a_dashboard_with_an_owner_and_a_url(manifest):
    problems = []
    for unique_id, exposure in sorted(manifest["exposures"].items()):
        if exposure["type"] != "dashboard":
            problems.append(f"{unique_id}: type {exposure['type']}, not dashboard")
        if not (exposure["owner"].get("name") and exposure["owner"].get("email")):
            problems.append(f"{unique_id}: owner needs a name and an email")
        url = exposure.get("url") or ""
        if not url.startswith("https://"):
            problems.append(f"{unique_id}: no https url")
        placeholder = url.split("/")[2].endswith(".invalid") if url.startswith("https://") else False
        meta = {**(exposure.get("meta") or {}), **((exposure.get("config") or {}).get("meta") or {})}
        if placeholder != bool(meta.get("url_is_placeholder")):
            problems.append(f"{unique_id}: a url on the reserved .invalid domain is a placeholder and must be "
                            "marked meta.url_is_placeholder: true (and only such a url)")
    assert not problems, "\n".join(problems)
