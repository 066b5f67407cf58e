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


# -- 基础 / 拓展 and the two replaced problems (issue 26 items 3 and 4) -------------------------------

def test_tracks_are_declared_with_a_core_of_55_to_65_percent():
    book = exercises_for(2)
    tracks = [p.track for p in book]
    assert set(tracks) == {"基础", "拓展"}
    assert 0.55 <= tracks.count("基础") / len(tracks) <= 0.65, tracks
    assert book["q16"].track == "拓展" and book["q16"].capstone       # the capstone is extra
    assert book["q1"].track == "基础" and book["q7"].track == "基础"
    assert [p.public()["track"] for p in book] == tracks


def test_q7_chart_exaggerates_the_gap_by_its_truncated_value_axis():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from utils.data import figure
    from utils.lessons import ch2_charts

    a, b = figure(ch2.GD_GRASS).value, figure(ch2.GD_INDUSTRY).value
    ax = ch2_charts.plot_truncated()
    try:
        low, high = ax.get_xlim()
        assert low == ch2.TRUNCATED_FROM > 0 and high > max(a, b)
        widths = sorted(p.get_width() for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0)
        assert widths[-2:] == sorted([a, b])                  # the report's two shares, drawn from 0 …
        shown = sorted(w - low for w in widths[-2:])          # … but only the part above the axis start shows
        assert shown[1] / shown[0] > 3 * (max(a, b) / min(a, b))
        assert f"{ch2.TRUNCATED_FROM}%" in ax.figure.alt_text
    finally:
        plt.close("all")


def test_q7_names_the_truncated_axis_and_its_mistakes_fire():
    q7 = exercises_for(2)["q7"]
    assert q7.kind == "multichoice"
    assert q7.evaluate("AC").status == "correct"
    assert q7.evaluate("ABC").mistake == "sum-overlap"
    assert q7.evaluate("ACE").mistake == "no-baseline"
    assert q7.evaluate("C").mistake == "no-baseline"          # missed the axis
    solution = key_of(q7).solution_text
    assert "【推算】" in solution and f"{ch2.TRUNCATED_FROM}%" in solution


def test_the_truncated_chart_is_shown_by_an_author_cell_right_above_q7():
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "02_cadres.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells)
              if "exercise-prompt" in c.metadata.get("tags", []) and "**练习 7**" in c.source)
    assert nb.cells[at - 1].cell_type == "code" and "ch.plot_truncated()" in nb.cells[at - 1].source
    assert "answer_q7" not in nb.cells[at - 1].source


def test_q18_is_a_policy_discussion_with_sourced_points():
    q18 = exercises_for(2)["q18"]
    assert q18.kind == "discussion" and q18.track == "基础"
    text = key_of(q18).answer_text() + key_of(q18).solution_text   # the model points, then the solution
    for source in ("中共中央办公厅《关于向重点乡村持续选派驻村第一书记和工作队的意见》（2021年5月",
                   "中共中央、国务院《关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见》（2020年12月",
                   "《关于做好选派机关优秀干部到村任第一书记工作的通知》（2015年4月"):
        assert source in text
    assert "第一书记" in q18.prompt and "过渡期" in q18.prompt


def test_no_copied_run_of_the_source_in_the_model_points():
    """The shared copy check (tests/test_course_text.py) reads prompts, hints, solutions and messages; a
    discussion's model points are its key's answer text, checked here."""
    from test_course_text import copied_runs, source_fragments

    frags = source_fragments()
    bad = [(name, run) for name, problem in exercises_for(2).items() if problem.kind == "discussion"
           for run in copied_runs(key_of(problem).answer_text(), frags)]
    assert bad == []
