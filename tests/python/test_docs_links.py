"""Every relative link of README.md and docs/*.md leads somewhere, and every docs page is linked.

A link `[text](path#anchor)` outside code must name a file or folder of the checkout,
relative to the page, and its anchor a heading of the Markdown page it points to (GitHub's
anchors: lower case, punctuation dropped, spaces as hyphens). Needs no build.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def pages() -> list[str]:
    return ["README.md"] + sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))


def prose(text: str) -> str:
    return CODE.sub("", FENCE.sub("", text))


def anchors(text: str) -> set[str]:
    found = set()
    for heading in HEADING.findall(prose(text)):
        found.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return found


def links() -> list[tuple[str, str]]:
    """(page, target) of every relative link, each once."""
    return list(dict.fromkeys((page, target) for page in pages()
                              for target in LINK.findall(prose((ROOT / page).read_text()))
                              if not re.match(r"[a-z]+:", target)))


def test_every_docs_page_is_linked_from_another_page():
    linked = {((ROOT / page).parent / target.partition("#")[0]).resolve()
              for page, target in links() if target.partition("#")[0]}
    orphans = [page for page in pages()[1:] if (ROOT / page).resolve() not in linked]
    assert not orphans, f"no page links to {orphans}: add them to the README's Read more"


@pytest.mark.parametrize("page, target", links(), ids=[f"{p}->{t}" for p, t in links()])
def test_relative_link_resolves(page, target):
    path, _, anchor = target.partition("#")
    file = ((ROOT / page).parent / path).resolve() if path else (ROOT / page).resolve()
    assert file.exists(), f"{page} links to {target}: no such file"
    assert file.is_relative_to(ROOT), f"{page} links outside the checkout: {target}"
    if anchor:
        assert file.suffix == ".md", f"{page} links to an anchor of a non-Markdown file: {target}"
        assert anchor in anchors(file.read_text()), f"{page} links to {target}: no such heading"
