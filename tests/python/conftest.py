"""Shared paths and helpers of the Python tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def read_json(path: Path) -> dict:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make test` (it builds both engines first)")
    return json.loads(path.read_text())
