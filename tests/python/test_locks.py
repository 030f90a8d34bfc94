"""The locks (requirements*.lock): every package of each virtualenv pinned, so that a fresh
machine installs the same set.

The Makefile installs each virtualenv with `pip install -r requirements<x>.txt -c
requirements<x>.lock`; `make lock` writes each lock with `pip freeze --all --exclude pip`
from a virtualenv resolved afresh. Here: each lock agrees with its requirements file, and
each virtualenv holds exactly the packages and versions of its lock, no more, no fewer (a
package installed by hand, or an install that did not take the lock, fails). A virtualenv
that is not there yet (the emulator's before `make test-emulator`, the governance one before
`make govern`) is skipped; `.venv` must be there.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT

VENVS = [
    (".venv", "requirements.txt", "requirements.lock"),
    (".venv-emulator", "requirements-emulator.txt", "requirements-emulator.lock"),
    (".venv-governance", "requirements-governance.txt", "requirements-governance.lock"),
]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    """name -> version of every `name==version` line (comments and blank lines skipped)."""
    found = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        found[normalized(match.group(1))] = match.group(3)
    return found


def lock(name: str) -> dict[str, str]:
    return pins((ROOT / name).read_text().splitlines())


@pytest.mark.parametrize("venv, requirements, lock_file", VENVS)
def test_the_lock_pins_each_requirement_as_its_file_does(venv, requirements, lock_file):
    required = pins((ROOT / requirements).read_text().splitlines())
    locked = lock(lock_file)
    differ = {name: (version, locked.get(name)) for name, version in required.items() if locked.get(name) != version}
    assert not differ, (f"{requirements} and {lock_file} disagree (requirement, lock): {differ}; "
                        "run `make lock` after changing a requirements file")


@pytest.mark.parametrize("venv, requirements, lock_file", VENVS)
def test_the_virtualenv_holds_exactly_its_lock(venv, requirements, lock_file):
    python = ROOT / venv / "bin" / "python"
    if not python.exists():
        if venv == ".venv":
            pytest.fail(".venv is missing: run `make setup`")
        pytest.skip(f"{venv} is not installed yet")
    frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--all", "--exclude", "pip"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    installed, locked = pins(frozen), lock(lock_file)
    extra = sorted(set(installed) - set(locked))
    missing = sorted(set(locked) - set(installed))
    other = {name: (installed[name], locked[name]) for name in set(installed) & set(locked)
             if installed[name] != locked[name]}
    assert not (extra or missing or other), (
        f"{venv} differs from {lock_file}: not in the lock {extra}, not installed {missing}, "
        f"other versions (installed, locked) {other}. Reinstall it: rm -rf {venv} && make setup "
        f"(or the target that installs it); after changing {requirements}, `make lock` first."
    )
