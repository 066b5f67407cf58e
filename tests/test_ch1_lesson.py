"""Chapter 1 as declarations (issue 24 item 4) and its content round (issue 26 items 3, 4): every problem
is made by its own registered function, in notebook order; no function of the chapter's modules is
longer than 80 lines; each problem declares its track; the new problems keep their promises."""
from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from utils import catalog, national_series  # noqa: E402
from utils.exercises import key_of  # noqa: E402
from utils.exercises.core import TRACKS  # noqa: E402
from utils.lessons import ch1, ch1_charts, exercises_for  # noqa: E402

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


# -- 基础 / 拓展 (issue 26 item 4) -------------------------------------------------------------------

def test_every_problem_declares_a_track_and_the_core_is_about_three_fifths():
    book = ch1.build()
    tracks = {p.name: p.track for p in book}
    assert set(tracks.values()) <= set(TRACKS)
    core = sum(t == "基础" for t in tracks.values())
    assert 0.55 <= core / len(tracks) <= 0.65, f"{core} of {len(tracks)} problems are 基础"
    assert tracks["q1"] == tracks["q2"] == "基础"                       # the warm-up and the chapter's main chart
    assert all(p.track == "拓展" for p in book if p.capstone)
    discussions = [p for p in book if p.kind == "discussion"]
    assert sum(p.track == "基础" for p in discussions) == 1              # most discussions beyond one are 拓展
    assert all(p.public()["track"] == p.track for p in book)


# -- the new problems (issue 26 item 3) ----------------------------------------------------------------

@pytest.fixture
def book():
    yield exercises_for(1)
    plt.close("all")


def _national_line(column: str, divide: float, ylabel: str, title: str = "全国农村贫困人口"):
    import seaborn as sns

    ns = national_series()
    plt.figure()
    ax = sns.lineplot(x=ns["year"].astype(float), y=ns[column].astype(float) / divide, marker="o")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def test_q7_is_a_line_chart_of_the_national_series_checked_like_the_bar_charts(book):
    q7 = book.q7
    assert q7.kind == "chart" and q7.chart_kind == "line" and q7.unit == "人"
    ns = national_series()
    reference = key_of(q7).answer
    assert reference["value"].tolist() == [float(v) for v in ns["poor_population"]]
    assert reference["label"].tolist() == [str(int(y)) for y in ns["year"]]
    scope = {"ns": ns}
    exec(key_of(q7).solution_code, scope)                                 # the worked code draws it right
    assert q7.evaluate(scope["ax"]).status == "correct"
    assert q7.evaluate(_national_line("poor_population", 1e4, "农村贫困人口（万人）")).status == "correct"
    assert q7.evaluate(_national_line("poor_population", 1, "农村贫困人口（人）")).status == "correct"
    slip = q7.evaluate(_national_line("poor_population", 1e4, "农村贫困人口（人）"))
    assert slip.mistake == "unit-scale" and "万人" in slip.message
    assert q7.evaluate(_national_line("incidence", 1, "贫困发生率（%）")).mistake == "wrong-figure"
    untitled = q7.evaluate(_national_line("poor_population", 1e4, "农村贫困人口（万人）", title=""))
    assert untitled.mistake == "chart-label"
    import seaborn as sns

    plt.figure()
    bars = sns.barplot(x=ns["year"].astype(str), y=ns["poor_population"].astype(float))
    assert q7.evaluate(bars).mistake == "chart-type"


def test_q13_applies_the_survey_vs_register_caveat_to_q14s_pairing(book):
    q13, q14 = book.q13, book.q14
    assert q13.kind == "choice" and "survey-vs-register" in q13.skills
    assert book.q14.capstone and q13.topic == q14.topic
    assert q13.evaluate("B").status == "correct"
    for answer, mistake in (("A", "survey-vs-register"), ("C", "survey-vs-register"), ("D", "causal-claim")):
        assert q13.evaluate(answer).mistake == mistake, answer
    solution = key_of(q13).solution_text
    assert "抽样调查" in solution and "登记" in solution and "练习14" in solution
    assert "调查" in key_of(q14).solution_text and "登记" in key_of(q14).solution_text   # q14 says the same


def test_the_policy_discussion_names_document_issuer_and_date_for_every_source(book):
    q17 = book.q17
    assert q17.kind == "discussion" and "policy" in q17.skills and q17.track == "基础"
    points = [line.removeprefix("· ") for line in key_of(q17).answer_text().split("\n")]
    sourced = [p for p in points if "《" in p or "意见（" in p]
    assert len(sourced) >= 3
    for point in sourced:
        assert re.search(r"\d{4}年\d{1,2}月", point), point                          # a date
        assert re.search(r"中共中央|国务院|组织部|办公厅|领导小组", point), point    # an issuing body
    assert "推断" in " ".join(points) + key_of(q17).solution_text      # our inference is marked as ours


def test_the_replaced_problems_are_gone_from_the_notebook():
    nb = json.loads(catalog.lesson(1).path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "下面哪种描述是准确的" not in text                                # old q13 (百分点 on Bijie)
    assert "最缺的是什么" not in text                                          # old q7 (no-baseline choice)
    assert "ex.q7.check()" in text and "sns.lineplot" in text
