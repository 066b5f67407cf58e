"""Chapter 2 as declarations (issue 24 item 4): each problem is made by its own registered function,
in the book's order, and no function of the chapter's modules is longer than 80 lines."""
import ast
import inspect
from pathlib import Path

import pytest

from utils.exercises import key_of
from utils.lessons import ch2, exercises_for

ROOT = Path(__file__).resolve().parents[1]
MODULES = [ROOT / "utils" / "lessons" / "ch2.py", ROOT / "utils" / "lessons" / "ch2_charts.py"]
MAX_LINES = 80


def test_every_problem_has_its_own_registered_maker_in_book_order():
    book = exercises_for(2)
    assert ch2.lesson.names == list(book.keys())
    assert ch2.lesson.names == [f"q{i}" for i in range(1, len(ch2.lesson.names) + 1)]
    for name in ch2.lesson.names:
        maker = getattr(ch2, name)
        assert inspect.isfunction(maker) and maker.__name__ == name, name
        made = maker()
        assert made is not maker(), f"{name}: the maker returns a fresh problem each time"
        assert made.kind == book[name].kind and made.prompt == book[name].prompt, name
        assert key_of(made).answer_text() == key_of(book[name]).answer_text(), name


def test_build_is_the_lessons_build_and_gives_a_fresh_set():
    a, b = ch2.build(), ch2.build()
    assert a is not b and a.chapter == 2 and list(a.keys()) == ch2.lesson.names


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            lines = node.end_lineno - node.lineno + 1   # from the def line: decorators excluded
            if lines > MAX_LINES:
                out.append(f"{path.name}:{node.lineno} {getattr(node, 'name', 'lambda')} ({lines} lines)")
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_is_longer_than_80_lines(path):
    assert _long_functions(path) == []


def test_the_length_check_can_fail(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    long = tmp_path / "long.py"
    long.write_text(f"@decorator\ndef too_long():\n{body}\n", encoding="utf-8")
    assert _long_functions(long) == [f"long.py:2 too_long ({MAX_LINES + 1} lines)"]
