"""`make help` lists every target of the Makefile: each name declared .PHONY (the targets
one runs) starts a line `make <target> ...` of its output. Needs no build.
"""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT


def phony_targets() -> set[str]:
    names = set()
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith(".PHONY:"):
            names.update(line.split(":", 1)[1].split())
    return names


def listed_targets() -> set[str]:
    shown = subprocess.run(["make", "--no-print-directory", "-s", "help"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"^make ([\w-]+)", shown, re.M))


def test_the_makefile_declares_its_targets():
    assert {"build", "test", "help"} <= phony_targets()


def test_make_help_lists_every_target():
    missing = sorted(phony_targets() - listed_targets())
    assert not missing, f"targets `make help` does not list: {missing} (add a line to the help target)"


def test_make_help_lists_no_target_that_does_not_exist():
    unknown = sorted(listed_targets() - phony_targets())
    assert not unknown, f"`make help` lists {unknown}, which are not .PHONY targets of the Makefile"
