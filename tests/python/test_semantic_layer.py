"""The semantic layer (models/semantic/, docs/data_model.md#semantic-layer) on the sample build.

Every answer of `mf query` is compared with SQL written here by hand: over the marts
where a mart holds the number (per relier and day, or over all reliers), over the
account-grain intermediate models where none can (distinct accounts of a relier group).
The `mf query` examples of the README must print what MetricFlow answers, and that answer
must be the SQL's. Distinct-account metrics must not be sums of mart rows: `mau` by
relier group is counted once per account, and `mau` with no day is refused.

MetricFlow opens the DuckDB file for writing, so each test runs its `mf` commands before
it opens its own read-only connection, and closes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shlex
import subprocess

import duckdb
import pytest

from conftest import ROOT, sample_database

MF = ROOT / ".venv" / "bin" / "mf"
# An `mf query` example of the README: a sh block holding one `mf query` command (lines
# may continue with a backslash), then only blank space, then a plain block, its output.
EXAMPLE = re.compile(
    r"```sh\n(?P<command>mf query (?:(?!```).)*)```[ \t]*\n\s*```\n(?P<answer>(?:(?!```).)*)```", re.S)

MONITOR = "802d56ef2a9af9fa"

# The README's examples and, for each, the SQL that must give the same rows (in the order
# of the command's --order), written against the marts or, for a relier group's distinct
# accounts, the account-grain activity. Keyed by the command as printed (whitespace
# collapsed): an example without a check here fails.
README_CHECKS = {
    "mf query --metrics tokens_created,tokens_checked --group-by relier__relier_group "
    "--start-time 2024-06-01 --order -tokens_checked":
        """
        select relier_group, sum(tokens_created), sum(tokens_checked)
        from fxa_marts.fct_relier_oauth_usage_daily
        where submission_date >= date '2024-06-01'
        group by relier_group
        order by sum(tokens_checked) desc
        """,
    "mf query --metrics dau,wau,mau,new_users --group-by metric_time__day "
    "--where \"{{ Entity('relier') }} = '802d56ef2a9af9fa'\" "
    "--start-time 2024-06-03 --end-time 2024-06-09 --order metric_time__day":
        f"""
        select submission_date, dau, wau, mau, new_users
        from fxa_marts.fct_relier_active_users_daily
        where relier_id = '{MONITOR}' and submission_date between date '2024-06-03' and date '2024-06-09'
        order by submission_date
        """,
    "mf query --metrics mau --group-by metric_time__day,relier__relier_group "
    "--start-time 2024-06-09 --end-time 2024-06-09 --order relier__relier_group":
        """
        select date '2024-06-09', reliers.relier_group, count(distinct activity.user_id_sha256)
        from fxa_intermediate.int_user_activity_daily as activity
        inner join fxa_marts.dim_reliers as reliers on activity.relier_id = reliers.relier_id
        where activity.submission_date between date '2024-06-09' - 27 and date '2024-06-09'
        group by reliers.relier_group
        order by reliers.relier_group
        """,
}


def mf_environment() -> dict[str, str]:
    return {**os.environ, "DBT_PROFILES_DIR": str(ROOT / ".profiles"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def run_mf(args: list[str]) -> subprocess.CompletedProcess:
    sample_database()
    assert MF.exists(), f"{MF.relative_to(ROOT)} missing: run `make build` (requirements.txt installs mf)"
    return subprocess.run([str(MF), *args], cwd=ROOT, env=mf_environment(), capture_output=True, text=True,
                          timeout=300)


def value(cell: str):
    """A cell of mf's CSV: '' is NULL, a time is its date, a number a float, else text."""
    if cell == "":
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00:00", cell):
        return dt.date.fromisoformat(cell[:10])
    try:
        return float(cell)
    except ValueError:
        return cell


def mf_rows(args: list[str], tmp_path) -> tuple[list[str], list[tuple]]:
    """Columns and rows of `mf query <args>` (through its --csv output)."""
    out = tmp_path / f"mf_{len(list(tmp_path.iterdir()))}.csv"
    result = run_mf(["query", *args, "--quiet", "--csv", str(out)])
    assert result.returncode == 0, f"mf query {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    with out.open(newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, [tuple(value(c) for c in row) for row in reader]


def sql_rows(sql: str) -> list[tuple]:
    with duckdb.connect(str(sample_database()), read_only=True) as con:
        return [tuple(float(c) if isinstance(c, (int, float)) and not isinstance(c, bool) else c for c in row)
                for row in con.execute(sql).fetchall()]


def as_map(rows: list[tuple], keys: int, zero_nulls: bool = True) -> dict[tuple, tuple]:
    """Rows keyed by their first `keys` cells; NULL measures as 0 (a day without activity in
    a MetricFlow row is NULL, in a mart row 0)."""
    mapped = {}
    for row in rows:
        key, measures = row[:keys], row[keys:]
        assert key not in mapped, f"two rows for {key}"
        mapped[key] = tuple(0.0 if m is None and zero_nulls else m for m in measures)
    return mapped


def assert_same(mf: dict, expected: dict, what: str) -> None:
    missing = sorted(set(expected) - set(mf), key=str)[:5]
    extra = sorted(set(mf) - set(expected), key=str)[:5]
    assert not missing and not extra, f"{what}: rows only in the marts {missing}, only in mf {extra}"
    differing = {k: (mf[k], expected[k]) for k in expected
                 if any(abs(a - b) > 1e-9 if isinstance(a, float) and isinstance(b, float) else a != b
                        for a, b in zip(mf[k], expected[k]))}
    assert not differing, f"{what}: (mf, marts) differ: {dict(list(differing.items())[:5])}"


# --- the README's examples ---------------------------------------------------------------

def readme_examples() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    return [(" ".join(m.group("command").replace("\\\n", " ").split()), m.group("answer"))
            for m in EXAMPLE.finditer(text)]


def test_the_readme_has_three_mf_query_examples_each_with_a_check():
    commands = [command for command, _ in readme_examples()]
    assert len(commands) >= 3, "the README shows three `mf query` examples"
    assert not set(commands) - set(README_CHECKS), f"no hand-written SQL for {set(commands) - set(README_CHECKS)}"


def printed_cell_equal(printed: str, cell) -> bool:
    if cell is None:
        return printed == ""
    if isinstance(cell, float):
        return float(printed) == cell
    if isinstance(cell, dt.date):
        return value(printed) == cell
    return printed == cell


@pytest.mark.parametrize("command, answer", readme_examples(), ids=[c[:60] for c, _ in readme_examples()])
def test_readme_mf_query_prints_the_marts_answer(command, answer, tmp_path):
    args = shlex.split(command)[2:]
    header, rows = mf_rows(args, tmp_path)
    # the printed output: mf's table (columns set apart by two spaces or more, a rule of dashes)
    lines = [re.split(r"\s{2,}", line.strip()) for line in answer.strip().splitlines()]
    assert lines[0] == header, f"columns printed for {command}"
    body = [line for line in lines[2:]]
    assert len(body) == len(rows), f"rows printed for {command}"
    for printed, row in zip(body, rows):
        assert len(printed) == len(row) and all(printed_cell_equal(p, c) for p, c in zip(printed, row)), (
            f"printed {printed}, mf answers {row}")
    # and MetricFlow's answer is the one of the SQL written by hand
    assert rows == sql_rows(README_CHECKS[command]), f"mf and the hand-written SQL differ for {command}"


# --- each metric at the marts' grain equals the mart ------------------------------------

def test_signups_logins_and_tokens_per_day_relier_and_country_equal_the_marts(tmp_path):
    _, signups = mf_rows(["--metrics", "signups", "--group-by", "metric_time__day,relier,country"], tmp_path)
    _, logins = mf_rows(["--metrics", "logins,login_users", "--group-by", "metric_time__day,relier,country"],
                        tmp_path)
    _, tokens = mf_rows(["--metrics", "tokens_created,tokens_checked,token_users",
                         "--group-by", "metric_time__day,relier,source_system"], tmp_path)
    assert_same(as_map(signups, 3), as_map(sql_rows(
        "select submission_date, relier_id, country_code, signups from fxa_marts.fct_relier_signups_daily"), 3),
        "signups")
    assert_same(as_map(logins, 3), as_map(sql_rows(
        "select submission_date, relier_id, country_code, logins, login_users "
        "from fxa_marts.fct_relier_logins_daily"), 3), "logins, login_users")
    assert_same(as_map(tokens, 3), as_map(sql_rows(
        "select submission_date, relier_id, source_system, tokens_created, tokens_checked, token_users "
        "from fxa_marts.fct_relier_oauth_usage_daily"), 3), "tokens")


def test_active_users_per_relier_and_over_all_reliers_equal_the_marts(tmp_path):
    _, per_relier = mf_rows(["--metrics", "dau,wau,mau,new_users", "--group-by", "metric_time__day,relier"],
                            tmp_path)
    _, overall = mf_rows(["--metrics", "dau,wau,mau,new_accounts", "--group-by", "metric_time__day"], tmp_path)
    assert_same(as_map(per_relier, 2), as_map(sql_rows(
        "select submission_date, relier_id, dau, wau, mau, new_users "
        "from fxa_marts.fct_relier_active_users_daily"), 2), "dau, wau, mau, new_users per relier")
    assert_same(as_map(overall, 1), as_map(sql_rows(
        "select submission_date, dau, wau, mau, new_users from fxa_marts.fct_active_users_daily"), 1),
        "dau, wau, mau, new accounts over all reliers")


def test_funnel_and_frontend_loss_ratios_are_ratios_of_the_marts_sums(tmp_path):
    _, funnels = mf_rows(["--metrics", "registration_conversion_rate,login_conversion_rate",
                          "--group-by", "metric_time__day,relier__relier_group"], tmp_path)
    _, loss = mf_rows(["--metrics", "frontend_loss_share", "--group-by", "source_system"], tmp_path)
    expected = sql_rows("""
        with registration as (
            select flow_start_date, relier_group,
                   sum(reached_reg_complete) / nullif(sum(flows_started), 0) as rate
            from fxa_marts.fct_registration_funnel_daily group by 1, 2
        ),
        login as (
            select flow_start_date, relier_group,
                   sum(reached_login_complete) / nullif(sum(flows_started), 0) as rate
            from fxa_marts.fct_login_funnel_daily group by 1, 2
        )
        select coalesce(registration.flow_start_date, login.flow_start_date),
               coalesce(registration.relier_group, login.relier_group), registration.rate, login.rate
        from registration
        full outer join login
            on registration.flow_start_date = login.flow_start_date
            and registration.relier_group = login.relier_group
        """)
    assert_same(as_map(funnels, 2, zero_nulls=False), as_map(expected, 2, zero_nulls=False), "funnel conversion")
    # docs/data_model.md, frontend loss by source system: 33 of 266 (12.4 %), 16 of 137 (11.7 %)
    assert_same(as_map(loss, 1), as_map(sql_rows(
        "select source_system, sum(completed_flows_without_frontend) / sum(completed_flows) "
        "from fxa_marts.fct_flow_delivery_daily group by 1"), 1), "frontend loss share")
    assert round(100 * dict(as_map(loss, 1))[("glean",)][0], 1) == 12.4


# --- distinct accounts are not sums -------------------------------------------------------

def test_mau_by_relier_group_counts_each_account_once_not_the_sum_of_its_reliers(tmp_path):
    """An account active with two reliers of one group is one account of the group: MAU by
    relier group is the distinct accounts active with any of its reliers in the 28 days,
    which is at most, and on the sample for Sync/Firefox strictly less than, the sum of its
    reliers' MAU in the mart."""
    _, rows = mf_rows(["--metrics", "mau", "--group-by", "metric_time__day,relier__relier_group"], tmp_path)
    by_group = as_map(rows, 2)
    distinct = as_map(sql_rows("""
        select days.date_day, reliers.relier_group, count(distinct activity.user_id_sha256)
        from fxa_semantic.time_spine_daily as days
        inner join fxa_intermediate.int_user_activity_daily as activity
            on activity.submission_date between days.date_day - 27 and days.date_day
        inner join fxa_marts.dim_reliers as reliers on activity.relier_id = reliers.relier_id
        group by 1, 2
        """), 2)
    summed = as_map(sql_rows(
        "select submission_date, relier_group, sum(mau) from fxa_marts.fct_relier_active_users_daily group by 1, 2"), 2)
    assert_same(by_group, distinct, "mau by relier group against distinct accounts")
    assert set(by_group) == set(summed)
    assert all(by_group[k][0] <= summed[k][0] for k in summed)
    overcounted = {k: (by_group[k][0], summed[k][0]) for k in summed if by_group[k][0] < summed[k][0]}
    assert overcounted, "the sample has accounts on two reliers of one group: some group's MAU must be below the sum"
    last_day = dt.date(2024, 6, 9)
    assert overcounted[(last_day, "Sync/Firefox")] == (127.0, 140.0)


def test_mau_without_a_day_is_refused():
    """MAU is a number of a day (the 28 days ending it): with no day in the group-by,
    MetricFlow refuses rather than summing or counting over the whole history."""
    result = run_mf(["query", "--metrics", "mau", "--group-by", "relier__relier_group", "--quiet"])
    assert result.returncode != 0
    assert "cumulative metric 'mau'" in result.stdout + result.stderr


def test_dau_over_a_week_is_the_weeks_distinct_accounts_not_a_sum_of_days(tmp_path):
    _, weekly = mf_rows(["--metrics", "dau", "--group-by", "metric_time__week",
                         "--where", f"{{{{ Entity('relier') }}}} = '{MONITOR}'"], tmp_path)
    expected = as_map(sql_rows(f"""
        select cast(date_trunc('week', submission_date) as date), count(distinct user_id_sha256)
        from fxa_intermediate.int_user_activity_daily where relier_id = '{MONITOR}' group by 1
        """), 1)
    assert_same(as_map(weekly, 1), expected, "weekly distinct accounts")
    summed = sql_rows(f"select sum(dau) from fxa_marts.fct_relier_active_users_daily where relier_id = '{MONITOR}'")
    assert sum(v[0] for v in expected.values()) < summed[0][0]


# --- the saved queries ---------------------------------------------------------------------

def saved_queries() -> list[str]:
    manifest = ROOT / "target" / "semantic_manifest.json"
    if not manifest.exists():
        return []
    import json
    return sorted(q["name"] for q in json.loads(manifest.read_text())["saved_queries"])


def test_the_saved_queries_cover_the_readme_questions():
    assert {"signups_by_relier_group_and_country", "oauth_tokens_by_relier_group", "desktop_sync_logins_daily",
            "active_users_by_relier"} <= set(saved_queries()), "run `make build` (or dbt parse) first"


@pytest.mark.parametrize("name", saved_queries())
def test_saved_query_answers_on_the_last_day(name, tmp_path):
    header, rows = mf_rows(["--saved-query", name, "--start-time", "2024-06-09", "--end-time", "2024-06-09"], tmp_path)
    assert header[0] == "metric_time__day" and rows, f"saved query {name} gave no row for 2024-06-09"
    assert {row[0] for row in rows} == {dt.date(2024, 6, 9)}
