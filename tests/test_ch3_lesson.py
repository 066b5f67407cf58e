"""Chapter 3's lesson module as declarations: one registered function per problem, in notebook order,
and no long function (issue 24 item 4)."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from utils.exercises import Problem
from utils.lessons import ch3, exercises_for

ROOT = Path(__file__).resolve().parents[1]
MODULES = (ROOT / "utils" / "lessons" / "ch3.py", ROOT / "utils" / "lessons" / "ch3_charts.py")
MAX_LINES = 80


def notebook_order() -> list[str]:
    """The exercises of chapter 3's notebook, in the order their prompts appear."""
    nb = json.loads((ROOT / "notebooks" / "03_support_models.ipynb").read_text(encoding="utf-8"))
    names = []
    for cell in nb["cells"]:
        name = ((cell.get("metadata") or {}).get("utils") or {}).get("exercise")
        if name and name not in names:
            names.append(name)
    return names


def test_every_problem_is_declared_by_its_own_function_in_book_order():
    book = exercises_for(3)
    assert ch3.lesson.names == [p.name for p in book] == notebook_order()
    makers = [getattr(ch3, name) for name in ch3.lesson.names]
    assert len({id(m) for m in makers}) == len(makers), "two problems share one maker"
    for name, make in zip(ch3.lesson.names, makers):
        assert make.__name__ == name
        first, second = make(), make()
        assert isinstance(first, Problem) and first is not second, f"{name}() must make a fresh problem"
        assert type(first) is type(getattr(book, name))
        assert first.prompt == getattr(book, name).prompt


def test_build_is_the_lessons_build():
    assert ch3.build == ch3.lesson.build
    assert [p.name for p in ch3.build()] == ch3.lesson.names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_longer_than_80_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert not long, f"{path.name}: functions longer than {MAX_LINES} lines (decorators excluded): {long}"
