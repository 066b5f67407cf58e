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


# -- the replaced problems (issue 26 item 3) ---------------------------------------------------------


def test_q8_annualises_growth_over_the_years_between_base_and_latest():
    import pandas as pd

    from utils import load_figures
    from utils.exercises import key_of

    q8 = exercises_for(3).q8
    figs = load_figures(3)
    dated = figs[(figs["kind"] == "multiple") & figs["base_period"].notna()]
    expected = ch3.annual_growth_frame()
    assert len(expected) == len(dated) >= 2 and len(dated) < (figs["kind"] == "multiple").sum()
    for row in expected.itertuples():
        k = row.period_end - row.base_period
        assert row.years == k >= 2                                    # a difference, not a count of years
        assert abs((1 + row.annual / 100) ** k - (1 + row.value)) < 1e-9  # compounds back to ×(N + 1)
    assert q8.evaluate(expected).correct
    # the way a learner writes it, rounded to one decimal, with the rows in another order
    learner = dated[["indicator", "base_period", "period_end", "value"]].copy().iloc[::-1]
    learner["years"] = learner["period_end"] - learner["base_period"]
    learner["annual"] = (((1 + learner["value"]) ** (1 / learner["years"]) - 1) * 100).round(1)
    assert q8.evaluate(pd.DataFrame(learner)).correct
    ids = [mid for mid, _, _ in key_of(q8).mistake_examples()]
    assert {"times-reading", "linear-growth", "arithmetic", "unit-scale", "wrong-figure"} <= set(ids)
    for mid, message, example in key_of(q8).mistake_examples():
        verdict = q8.evaluate(example)
        assert verdict.status == "wrong" and verdict.mistake == mid, (mid, verdict)
    # N ÷ years, the linear average, is named as such
    linear = expected.copy()
    linear["annual"] = linear["value"] / linear["years"] * 100
    assert q8.evaluate(linear).mistake == "linear-growth"


@pytest.mark.parametrize("right, wrong, ok", [
    (((1 + 2) ** (1 / 2) - 1) * 100, 2 / 2 * 100, True),     # 增长2倍 over 2 years, in %
    ((1 + 3) ** (1 / 5) - 1, 3 / 5, True),                     # 增长3倍 over 5 years, as a fraction
    (((1 + 2) ** (1 / 2) - 1) * 100, (2 ** (1 / 2) - 1) * 100, False),  # the ×N reading is another slip
    (((1 + 2) ** (1 / 2) - 1) * 100, ((1 + 2) ** (1 / 3) - 1) * 100, False),  # years counted inclusively
])
def test_linear_growth_transform(right, wrong, ok):
    from utils.exercises.misconceptions import Facts, transform_holds

    assert transform_holds("linear-growth", right, wrong, Facts(values=(2.0, 3.0))) is ok


def test_q13_chart_mixes_periods_and_does_not_show_them():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from utils import figure
    from utils.exercises import key_of
    from utils.lessons import ch3_charts

    figs = [figure(i) for i in ch3_charts.MIXED_PERIOD_IDS]
    spans = {(f.period_start, f.period_end) for f in figs}
    assert len(spans) >= 3, "the counter-example must mix periods"
    assert any(f.period_start == f.period_end for f in figs)            # a single year …
    assert any(f.period_start < f.period_end for f in figs)             # … next to multi-year totals
    assert any("起始年未说明" in f.note for f in figs)                    # … and a total with no start year
    ax = ch3_charts.plot_mixed_periods()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    plt.close(ax.figure)
    assert sorted(labels) == sorted(ch3_charts.MIXED_PERIOD_LABELS.values())
    assert not any("年" in label for label in labels), "the chart's labels leave the periods off"
    records = ch3_charts.mixed_period_records().frame
    assert list(records["时期"]) == [f.period for f in figs]
    q13 = exercises_for(3).q13
    assert q13.kind == "multichoice" and q13.evaluate(key_of(q13).answer).correct
    assert {m.id for m in q13.mistakes} == {"cumulative-annual"}


def test_q16_discusses_the_policy_with_sources():
    from utils.exercises import key_of

    q16 = exercises_for(3).q16
    text = key_of(q16).answer_text() + key_of(q16).solution_text
    for source in ("《关于进一步加强东西部扶贫协作工作的指导意见》", "2016年12月", "国务院新闻办公室",
                   "2021年4月", "银川", "《关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见》"):
        assert source in text, source
    assert q16.kind == "discussion" and "政策" in q16.prompt


def test_tracks_keep_the_core_between_55_and_65_percent():
    book = exercises_for(3)
    core = [p.name for p in book if p.track == "基础"]
    assert 0.55 <= len(core) / len(book) <= 0.65, core
    assert not book.q14.track == "基础", "the capstone is 拓展"
    assert {"q1", "q2", "q3", "q6", "q7"} <= set(core), "warm-ups, the main charts and the key readings are 基础"
