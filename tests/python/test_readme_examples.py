"""Every SQL example of the documentation gives the answer printed under it, on the sample build.

The documentation is README.md and every docs/*.md. A block ```sql ...``` followed by a
plain ``` block is an example and its printed answer, columns set apart by two spaces or
more. Rows are compared cell by cell (numbers numerically, to the printed precision); a
line `...` stands for rows left out, so the rows above it must start the answer and the
rows below it end it. Figures in prose are not checked.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

# A sql block (holding no fence of its own), then only blank space, then a plain block.
EXAMPLE = re.compile(r"```sql\n(?P<sql>(?:(?!```).)*)```[ \t]*\n\s*```\n(?P<answer>(?:(?!```).)*)```", re.S)


def documents() -> list[str]:
    """README.md and every docs/*.md, as paths relative to the project root."""
    return ["README.md"] + sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))


def examples() -> list[tuple[str, int, str, str]]:
    """(document, number of the example in it, sql, printed answer) of every example."""
    found = []
    for document in documents():
        text = (ROOT / document).read_text()
        found += [(document, i, m.group("sql"), m.group("answer")) for i, m in enumerate(EXAMPLE.finditer(text))]
    return found


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


def test_the_readme_and_the_docs_have_examples():
    found = [document for document, *_ in examples()]
    assert len(found) >= 5
    assert found.count("README.md") >= 3, "the README's own examples"
    assert len(found) > found.count("README.md"), "the examples of docs/*.md"


@pytest.mark.parametrize("document, index, sql, answer",
                         examples(), ids=[f"{d}#{i}" for d, i, *_ in examples()])
def test_example_prints_the_marts_answer(con, document, index, sql, answer):
    name = f"example {index} of {document}"
    result = con.execute(sql)
    header = [d[0] for d in result.description]
    rows = result.fetchall()
    # columns are set apart by two spaces or more (a value may hold one space)
    lines = [re.split(r"\s{2,}", line.strip()) for line in answer.strip().splitlines()]
    assert lines[0] == header, f"columns of {name}"
    body = lines[1:]
    if ["..."] in body:
        cut = body.index(["..."])
        head, tail = body[:cut], body[cut + 1:]
        assert len(rows) >= len(head) + len(tail)
        assert rows_equal(head, rows[:len(head)]), f"first rows of {name}: {rows[:len(head)]}"
        assert rows_equal(tail, rows[len(rows) - len(tail):]), f"last rows of {name}: {rows[-len(tail):]}"
    else:
        assert rows_equal(body, rows), f"{name} answers {rows}"
