"""Chapter 4 as declarations (issue 24 item 4): every problem is made by its own registered function,
in the notebook's order, and no function of the chapter's modules is longer than 80 lines."""
import ast
import json
import re
from pathlib import Path

import pytest

from utils.catalog import lesson as catalog_lesson
from utils.exercises import key_of
from utils.lessons import ch4, exercises_for

ROOT = Path(__file__).resolve().parents[1]
MODULES = [ROOT / "utils" / "lessons" / "ch4.py", ROOT / "utils" / "lessons" / "ch4_charts.py"]
MAX_LINES = 80


def _notebook_order() -> list[str]:
    """The exercise names in the order the notebook first checks them (``ex.qN.check(``)."""
    nb = json.loads(catalog_lesson(4).path.read_text(encoding="utf-8"))
    seen: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for name in re.findall(r"\bex\.(q\d+)\.check\(", "".join(cell["source"])):
            if name not in seen:
                seen.append(name)
    return seen


def test_every_problem_is_made_by_its_own_registered_function():
    book = ch4.build()
    names = [p.name for p in book]
    assert ch4.lesson.names == names
    assert names == _notebook_order()
    makers = [ch4.lesson._makers[n] for n in names]  # noqa: SLF001 - the registry under test
    assert len({id(m) for m in makers}) == len(makers), "two problems share one maker"
    for name, make in zip(names, makers):
        assert make.__name__ == name, f"{name} is made by {make.__name__}"
        first, second = make(), make()
        assert first is not second, f"{name}: the maker returns a shared object"
        assert type(first) is type(getattr(book, name))


def test_the_set_learners_get_is_the_declared_one():
    assert [p.name for p in exercises_for(4)] == ch4.lesson.names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_longer_than_80_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert not long, f"{path.name}: functions over {MAX_LINES} lines: {long}"


def test_each_track_is_declared_and_the_core_is_most_of_the_chapter():
    book = ch4.build()
    tracks = [p.track for p in book]
    assert set(tracks) <= {"基础", "拓展"}
    share = tracks.count("基础") / len(tracks)
    assert 0.55 <= share <= 0.65, f"基础 is {share:.0%} of chapter 4"
    discussions = [p for p in book if p.kind == "discussion"]
    assert 1 <= sum(p.track == "基础" for p in discussions) <= 2
    assert all(p.track == "拓展" for p in book if p.capstone)


def test_mistake_examples_are_the_plain_wrong_answers():
    for problem in ch4.build():
        key = key_of(problem)
        examples = [ex for _, _, ex in key.mistake_examples()]
        assert len(key.wrong_examples) == len(examples), problem.name
