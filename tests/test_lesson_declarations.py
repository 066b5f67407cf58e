"""Lessons are declarations (#24 item 4): each chapter module registers one small function per problem
on a :class:`utils.lessons.predicates.Lesson`, builds its mistakes from the shared predicates, and no
function in ``utils/lessons/`` is longer than 80 lines."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from utils.lessons import exercises_for
from utils.lessons.predicates import Lesson

LESSONS = Path(__file__).resolve().parent.parent / "utils" / "lessons"
#: generic helpers every chapter once copied (and let drift apart); they live in predicates.py now
GENERIC = {"_letters", "_has", "_lacks", "_near", "_pair", "_pair_near", "_frame_has", "_frame_test", "_p", "_make",
           "_drawn_has", "_drawn_values"}


def functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.end_lineno - node.lineno + 1


def test_no_function_in_the_lessons_is_longer_than_80_lines():
    long = [f"{p.name}:{name} ({n} lines)" for p in sorted(LESSONS.glob("*.py")) for name, n in functions(p) if n > 80]
    assert not long, long


def test_the_length_check_can_fail(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(90))
    (tmp_path / "m.py").write_text(f"def build():\n{body}\n", encoding="utf-8")
    assert [n for _, n in functions(tmp_path / "m.py")] == [91]


@pytest.mark.parametrize("chapter", [1, 2, 3, 4])
def test_each_problem_is_declared_on_its_own(chapter):
    module = importlib.import_module(f"utils.lessons.ch{chapter}")
    assert isinstance(module.lesson, Lesson) and module.build == module.lesson.build
    assert module.lesson.names == [name for name, _ in exercises_for(chapter).items()]
    copies = GENERIC & {name for name, _ in functions(Path(module.__file__))}
    assert not copies, f"ch{chapter} keeps its own copy of shared predicates: {sorted(copies)}"
