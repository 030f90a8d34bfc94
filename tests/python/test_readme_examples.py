"""Every SQL example of the README gives the answer printed under it, on the sample build.

A README block ```sql ...``` followed by a plain ``` block is an example and its printed
answer, columns set apart by two spaces or more. Rows are compared cell by cell (numbers numerically, to the printed precision); a
line `...` stands for rows left out, so the rows above it must start the answer and the
rows below it end it. Figures in prose are not checked.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

EXAMPLE = re.compile(r"```sql\n(?P<sql>.*?)```\s*\n```\n(?P<answer>.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    return [(m.group("sql"), m.group("answer")) for m in EXAMPLE.finditer(text)]


def cells_equal(printed: str, value) -> bool:
    if value is None:
        return printed == "NULL"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(printed)
        except ValueError:
            return False
        decimals = len(printed.split(".")[1]) if "." in printed else 0
        return abs(number - float(value)) <= 0.5 * 10 ** -decimals + 1e-9
    return printed == str(value)


def rows_equal(printed: list[list[str]], rows: list[tuple]) -> bool:
    return len(printed) == len(rows) and all(
        len(p) == len(r) and all(cells_equal(a, b) for a, b in zip(p, r)) for p, r in zip(printed, rows))


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


def test_the_readme_has_examples():
    assert len(examples()) >= 5


@pytest.mark.parametrize("index", range(len(examples())))
def test_readme_example_prints_the_marts_answer(con, index):
    sql, answer = examples()[index]
    result = con.execute(sql)
    header = [d[0] for d in result.description]
    rows = result.fetchall()
    # columns are set apart by two spaces or more (a value may hold one space)
    lines = [re.split(r"\s{2,}", line.strip()) for line in answer.strip().splitlines()]
    assert lines[0] == header, f"columns of example {index}"
    body = lines[1:]
    if ["..."] in body:
        cut = body.index(["..."])
        head, tail = body[:cut], body[cut + 1:]
        assert len(rows) >= len(head) + len(tail)
        assert rows_equal(head, rows[:len(head)]), f"first rows of example {index}: {rows[:len(head)]}"
        assert rows_equal(tail, rows[len(rows) - len(tail):]), f"last rows of example {index}: {rows[-len(tail):]}"
    else:
        assert rows_equal(body, rows), f"example {index} answers {rows}"
