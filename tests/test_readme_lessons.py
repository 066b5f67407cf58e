"""README's table of lessons states each chapter's counts as the problem objects have them (the
table is written by hand; this keeps it from going stale when a problem is added or replaced)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from utils.lessons import exercises_for

ROW = re.compile(r"^\| (\d) \| \[notebooks/.*?\| (\d+) 题（基础 (\d+)）：(\d+) 代码、(\d+) 作图、(\d+) 综合、(\d+) 讨论")


def readme_rows() -> dict[int, tuple[int, ...]]:
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return {int(m.group(1)): tuple(int(g) for g in m.groups()[1:])
            for m in map(ROW.match, text.splitlines()) if m}


def counts(chapter: int) -> tuple[int, ...]:
    problems = [p for _, p in exercises_for(chapter).items()]
    kinds = [p.kind for p in problems]
    return (len(problems), sum(p.track == "基础" for p in problems), kinds.count("code"),
            kinds.count("chart"), sum(p.capstone for p in problems), kinds.count("discussion"))


def test_readme_has_a_row_per_chapter():
    assert sorted(readme_rows()) == [1, 2, 3, 4]


@pytest.mark.parametrize("chapter", [1, 2, 3, 4])
def test_readme_row_matches_the_problems(chapter):
    assert readme_rows()[chapter] == counts(chapter), "README's lesson table is stale"
