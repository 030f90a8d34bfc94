"""`make test-changed` (slim CI of a pull request): its selection, taken from the Makefile's
own `dbt build` line, holds exactly the modified nodes and their descendants.

The project is copied to a temporary folder and parsed there: that manifest is the saved
state (what `make save-state` keeps of main's build). Then, with `dbt ls` and the selector
of `make -n test-changed`, against that state: the unchanged copy selects no model; a change
to one mart selects that mart alone (it has no model downstream); a change to an
intermediate model selects it and every model downstream of it, and nothing else. Needs
.venv, no build.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess

import pytest

from conftest import ROOT

DBT = ROOT / ".venv" / "bin" / "dbt"
PROJECT_FILES = ["dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "docs"]
MART = "fct_relier_signups_daily"
INTERMEDIATE = "int_account_events"


def selection_of_make_test_changed(state) -> list[str]:
    """The --select/--exclude arguments of the dbt build that `make test-changed` runs."""
    dry_run = subprocess.run(["make", "-n", "--no-print-directory", "test-changed", f"STATE={state}", "DBT_ARGS="],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    build = [line for line in dry_run.splitlines() if " build " in f" {line} " and "dbt" in line]
    assert len(build) == 1, f"expected one dbt build line in `make -n test-changed`:\n{dry_run}"
    words = shlex.split(build[0])
    words = words[words.index("build") + 1:]
    assert "--defer" in words and words[words.index("--state") + 1] == str(state), build[0]
    kept = []
    for position, word in enumerate(words):
        if word in ("--select", "-s", "--exclude", "--selector"):
            kept += [word, words[position + 1]]
    return kept


@contextlib.contextmanager
def environment(**values: str):
    saved = dict(os.environ)
    for key in ("FXA_START_DATE", "FXA_END_DATE", "FXA_SNAPSHOT_DATE", "FXA_REBUILD_FOLLOWING_DAYS"):
        os.environ.pop(key, None)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project, parsed once (its manifest kept in state/, the saved state), and
    a function running a dbt command on it in this process (dbtRunner: dbt's start-up once)."""
    from dbt.cli.main import dbtRunner

    base = tmp_path_factory.mktemp("slim_ci")
    copy = base / "project"
    copy.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / name)

    def dbt(*args: str):
        with environment(FXA_DUCKDB_PATH=str(base / "unused.duckdb"), DBT_SEND_ANONYMOUS_USAGE_STATS="false"):
            result = dbtRunner().invoke([*args, "--project-dir", str(copy), "--profiles-dir", str(ROOT / ".profiles"),
                                         "--target-path", str(copy / "target"), "--log-path", str(base / "logs")])
        assert result.success, f"dbt {' '.join(args)}: {result.exception}"
        return result.result

    # Parsed where `dbt ls` runs, so that each ls re-parses only the files changed since.
    dbt("parse", "--quiet")
    (base / "state").mkdir()
    shutil.copy(copy / "target" / "manifest.json", base / "state" / "manifest.json")
    return copy, base / "state", dbt


def models_selected(project, *selection: str) -> set[str]:
    copy, state, dbt = project
    return set(dbt("ls", "--quiet", "--resource-type", "model", "--output", "name", "--state", str(state), *selection))


def edited(copy, model: str):
    """Append a comment to a model's SQL (a change of its body); returns the undo."""
    path = next((copy / "models").rglob(f"{model}.sql"))
    original = path.read_text()
    path.write_text(original + "\n-- changed on the branch\n")
    return lambda: path.write_text(original)


def test_no_change_selects_nothing(project):
    assert models_selected(project, *selection_of_make_test_changed(project[1])) == set()


def test_a_changed_mart_selects_only_that_mart(project):
    undo = edited(project[0], MART)
    try:
        assert models_selected(project, *selection_of_make_test_changed(project[1])) == {MART}
    finally:
        undo()


def test_a_changed_intermediate_model_selects_it_and_its_descendants(project):
    everything = models_selected(project)
    downstream = models_selected(project, "--select", f"{INTERMEDIATE}+")
    assert INTERMEDIATE in downstream and MART in downstream and len(downstream) < len(everything)
    undo = edited(project[0], INTERMEDIATE)
    try:
        assert models_selected(project, *selection_of_make_test_changed(project[1])) == downstream
    finally:
        undo()
