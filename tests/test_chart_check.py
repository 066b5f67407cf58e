"""Chart exercises: one correct chart drawn several ways is accepted; each thing that is off is named
first, in Chinese.  Off-screen (Agg)."""
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402

from utils.exercises import key_of  # noqa: E402
from utils.exercises import Chart, Exercises, Mistake, core, read_axes  # noqa: E402
from utils.exercises.chart import names_unit, scale_in_label  # noqa: E402

H3 = ["看哪张表", "选哪两列", "画出来（标题和单位你来写）"]
DATA = pd.DataFrame({"label": ["第一书记", "乡镇干部", "村干部"], "value": [3.0e6, 1.9e6, 2.5e6]})
WAN = DATA.assign(value=DATA["value"] / 1e4)


@pytest.fixture(autouse=True)
def clean(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ATTEMPTS", str(tmp_path / "attempts.jsonl"))
    monkeypatch.setitem(core._state, "hidden", False)
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def cjk():
    """The course's CJK font for charts whose labels are Chinese (no "Glyph missing" warnings)."""
    from utils import style

    with plt.rc_context(style.font_rc(style.find_cjk_font())):
        yield


def problem(**kw):
    p = Chart("画出三类一线力量的人数", lambda: DATA, unit="人", hints=H3, value_name="人数",
              chart_title="一线扶贫力量", **kw)
    Exercises(1, {"q5": p})
    return p


def seaborn_horizontal(data=WAN, label="人数（万人）", title="一线扶贫力量"):
    fig, ax = plt.subplots()
    sns.barplot(data=data, x="value", y="label", ax=ax)
    ax.set_xlabel(label)
    ax.set_title(title)
    return ax


def seaborn_vertical(data=WAN, label="人数（万人）", title="一线扶贫力量"):
    fig, ax = plt.subplots()
    sns.barplot(data=data, x="label", y="value", ax=ax)
    ax.set_ylabel(label)
    ax.set_title(title)
    return ax


def pandas_bar(data=WAN, label="人数（万人）", title="一线扶贫力量"):
    ax = data.set_index("label")["value"].plot.bar(title=title)
    ax.set_ylabel(label)
    return ax


WAYS = {"seaborn-horizontal": seaborn_horizontal, "seaborn-vertical": seaborn_vertical, "pandas-bar": pandas_bar}


@pytest.mark.parametrize("way", WAYS)
def test_one_correct_chart_drawn_three_ways_is_accepted(way):
    ax = WAYS[way]()
    p = problem()
    assert p.evaluate(ax).correct, p.evaluate(ax).text()
    assert p.evaluate(None).correct                      # check() reads the current figure
    assert p.evaluate(ax.figure).correct


@pytest.mark.parametrize("way", WAYS)
def test_base_units_any_order_and_matplotlib(way):
    shuffled = DATA.iloc[[2, 0, 1]]
    ax = WAYS[way](data=shuffled, label="人数（人）")
    assert problem().evaluate(ax).correct
    fig, ax = plt.subplots()
    ax.bar(WAN["label"], WAN["value"])
    ax.set_ylabel("万人")
    ax.set_title("t")
    assert problem().evaluate(ax).correct
    fig, ax = plt.subplots()
    ax.barh(list(DATA["label"]), list(DATA["value"] / 1e8))
    ax.set_xlabel("人数（亿人）")
    ax.set_title("t")
    assert problem().evaluate(ax).correct


@pytest.mark.parametrize("way", WAYS)
def test_a_missing_bar_is_named(way):
    v = problem().evaluate(WAYS[way](data=WAN[WAN["label"] != "乡镇干部"]))
    assert v.status == "wrong" and v.message == "少了一根柱子：缺“乡镇干部”。"
    assert v.mistake == "chart-missing-category"


@pytest.mark.parametrize("way", WAYS)
def test_an_extra_bar_is_named(way):
    more = pd.concat([WAN, pd.DataFrame({"label": ["驻村工作队"], "value": [25.5]})])
    v = problem().evaluate(WAYS[way](data=more))
    assert v.status == "wrong" and "多了一根柱子" in v.message and "驻村工作队" in v.message


@pytest.mark.parametrize("way", WAYS)
def test_a_wrong_value_is_named(way):
    wrong = WAN.assign(value=[300.0, 190.0, 26.0])
    v = problem().evaluate(WAYS[way](data=wrong))
    assert v.status == "wrong" and "“村干部”的数值不对" in v.message and "偏小" in v.message
    assert "250" not in v.message                          # the expected value is not given away


@pytest.mark.parametrize("way", WAYS)
def test_a_mislabelled_unit_is_named(way):
    v = problem().evaluate(WAYS[way](data=DATA, label="人数（万人）"))
    axis = "横轴" if way == "seaborn-horizontal" else "纵轴"
    assert v.status == "wrong" and v.mistake == "unit-scale"
    assert v.message.startswith(f"{axis}标签写的是“万人”，但画的数是以“人”为单位")


def test_values_in_wan_without_saying_so():
    v = problem().evaluate(seaborn_vertical(label="人数（人）"))
    assert v.status == "wrong" and "以“万人”为单位" in v.message and "没有写“万”" in v.message


def test_missing_title_and_missing_unit():
    v = problem().evaluate(seaborn_vertical(title=""))
    assert v.status == "wrong" and "标题" in v.message and v.mistake == "chart-label"
    v = problem().evaluate(seaborn_vertical(data=DATA, label="人数"))
    assert v.status == "wrong" and "纵轴的标签要写明单位" in v.message and "“人数”" in v.message
    v = problem().evaluate(seaborn_vertical(data=DATA, label=""))
    assert "现在没有标签" in v.message
    assert problem(require_title=False, require_unit_label=False).evaluate(
        seaborn_vertical(data=DATA, label="", title="")).correct


def test_wrong_chart_type_comes_first():
    fig, ax = plt.subplots()
    sns.lineplot(data=WAN.iloc[:2], x="label", y="value", ax=ax)      # also a category missing
    v = problem().evaluate(ax)
    assert v.status == "wrong" and v.mistake == "chart-type"
    assert "要画柱状图" in v.message and "折线图" in v.message


def test_a_pie_is_named_as_a_pie():
    fig, ax = plt.subplots()
    ax.pie(WAN["value"], labels=WAN["label"])
    ax.set_title("t")
    v = problem().evaluate(ax)
    assert v.mistake == "chart-type" and "你画的是饼图" in v.message


def test_line_and_points_charts():
    years = pd.DataFrame({"label": [2016, 2017, 2018, 2019], "value": [28, 29, 26, 30]})
    line = Chart("每年摘帽的县", lambda: years, kind="line", unit="个", hints=H3)
    points = Chart("每年摘帽的县", lambda: years, kind="points", unit="个", hints=H3)
    fig, ax = plt.subplots()
    sns.lineplot(data=years, x="label", y="value", marker="o", ax=ax)
    ax.set_ylabel("县数（个）")
    ax.set_title("t")
    assert line.evaluate(ax).correct, line.evaluate(ax).text()
    assert points.evaluate(ax).mistake == "chart-type"
    fig, ax = plt.subplots()
    sns.scatterplot(data=years.iloc[1:], x="label", y="value", ax=ax)
    ax.set_ylabel("县数（个）")
    ax.set_title("t")
    v = points.evaluate(ax)
    assert v.message == "少了一个点：缺“2016”。"
    fig, ax = plt.subplots()
    ax.plot(years["label"], years["value"])
    ax.plot(years["label"], years["value"] * 2)
    ax.set_ylabel("县数（个）")
    ax.set_title("t")
    assert "2 条线" in line.evaluate(ax).message


def test_labels_from_a_float_index_and_negative_numbers():
    years = pd.DataFrame({"label": [2016, 2017], "value": [-3.0, 2.0]})
    p = Chart("x", lambda: years, unit="个", hints=H3)
    ax = years.assign(label=years["label"].astype(float)).set_index("label")["value"].plot.bar(title="t")
    ax.set_ylabel("变化（个）")
    assert p.evaluate(ax).correct, p.evaluate(ax).text()


def test_several_axes_figures_and_grids(cjk):
    fig, (left, right) = plt.subplots(1, 2)
    sns.barplot(data=WAN, x="label", y="value", ax=right)
    right.set_ylabel("人数（万人）")
    right.set_title("t")
    p = problem()
    assert p.evaluate(fig).correct                       # the empty axes is ignored
    sns.barplot(data=WAN, x="label", y="value", ax=left)
    v = p.evaluate(fig)
    assert v.status == "invalid" and "2 个子图" in v.message and "check(ax)" in v.message
    assert p.evaluate(right).correct
    grid = sns.catplot(data=WAN, x="label", y="value", kind="bar")
    grid.set_axis_labels("", "人数（万人）")
    grid.ax.set_title("t")
    assert p.evaluate(grid).correct
    fig, axes = plt.subplots(2, 1)
    sns.barplot(data=WAN, x="label", y="value", ax=axes[0])
    axes[0].set_ylabel("人数（万人）")
    axes[0].set_title("t")
    assert p.evaluate(axes).correct


def test_no_figure_empty_figure_closed_figure():
    p = problem()
    v = p.evaluate(None)
    assert v.status == "invalid" and "还没有画图" in v.message
    fig = plt.figure()
    assert "还没有坐标轴" in p.evaluate(fig).message
    fig.subplots()
    assert "还没有数据" in p.evaluate(None).message
    ax = seaborn_vertical()
    plt.close(ax.figure)
    assert p.evaluate(ax).correct                         # a closed figure can still be read
    assert p.evaluate(None).status == "invalid"
    assert "画的图" in p.evaluate(3).message


def test_declared_chart_mistake_with_an_example():
    annual = Mistake("cumulative-annual", "你画的是累计数，这一题要每类自己的人数。",
                     when=lambda drawn: max(drawn.values().values()) > 700,
                     example=lambda: seaborn_vertical(data=WAN.assign(value=WAN["value"].cumsum())))
    p = problem(mistakes=[annual])
    for mistake_id, message, example in key_of(p).mistake_examples():
        v = p.evaluate(example)
        assert v.mistake == mistake_id and v.message == message


def test_solution_draws_a_reference_chart_that_passes_its_own_check(capsys):
    p = problem()
    before = plt.get_fignums()
    fig = p.reference_figure()
    assert plt.get_fignums() == before                    # not registered with pyplot
    assert p.evaluate(fig).correct
    p.solution()
    assert "■" in capsys.readouterr().out
    years = pd.DataFrame({"label": [2016, 2017, 2018], "value": [28, 29, 26]})
    for kind in ("line", "points"):
        q = Chart("x", lambda: years, kind=kind, unit="个", hints=H3, value_name="县数")
        assert q.evaluate(q.reference_figure()).correct, kind


def test_read_axes_reports_data_not_artists():
    ax = seaborn_vertical()
    drawn = read_axes(ax)["bar"]
    assert drawn.values() == {"第一书记": 300.0, "乡镇干部": 190.0, "村干部": 250.0}
    assert drawn.value_label == "人数（万人）" and drawn.title == "一线扶贫力量" and drawn.orientation == "v"
    assert read_axes(seaborn_horizontal())["bar"].orientation == "h"


@pytest.mark.parametrize("label,word", [("人数（万人）", "万"), ("万人", "万"), ("金额(亿元)", "亿"), ("人数", ""),
                                        ("人数（人）", "")])
def test_scale_in_label(label, word):
    assert scale_in_label(label)[0] == word


@pytest.mark.parametrize("label,ok", [("人数（万人）", True), ("万人", True), ("人数/人", True), ("人数", False),
                                      ("", False), ("单位：万人", True)])
def test_names_unit(label, ok):
    assert names_unit(label, "人") is ok


def test_check_records_what_it_read_from_the_axes(tmp_path, monkeypatch):
    """The record stores the reading (categories, values, labels), and grading judges it again alike."""
    import json

    path = tmp_path / "log.jsonl"
    monkeypatch.setenv("COURSE_ATTEMPTS", str(path))
    p = problem()
    seaborn_vertical()
    p.check()
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    drawn = record["answer"]["drawn"]
    assert record["kind"] == "chart" and record["status"] == "correct"
    assert [["乡镇干部", "1"], 190.0] in drawn["points"] and drawn["value_label"] == "人数（万人）"
    assert p.rejudge(record["answer"]).status == "correct"
    drawn["value_label"] = "人数"           # a reading edited by hand is judged on what it says
    assert p.rejudge(record["answer"]).mistake == "unit-scale"


def _bars_check_seconds(n: int) -> float:
    """Seconds to check a correct bar chart of ``n`` bars (best of three)."""
    import time

    data = pd.DataFrame({"label": [f"类别{i}" for i in range(n)], "value": [float(i + 1) for i in range(n)]})
    p = Chart("画", lambda: data, unit="人", hints=H3, solution="s", value_name="人数")
    fig, ax = plt.subplots()
    from matplotlib.ticker import FixedFormatter, FixedLocator

    ax.bar(range(n), data["value"])          # numeric positions named by a fixed formatter: cheap to build
    ax.xaxis.set_major_locator(FixedLocator(range(n)))
    ax.xaxis.set_major_formatter(FixedFormatter(list(data["label"])))
    ax.set_title("t")
    ax.set_ylabel("人数（人）")
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        assert p.evaluate(ax).status == "correct"
        best = min(best, time.perf_counter() - start)
    plt.close(fig)
    return best


def test_chart_checks_scale_linearly_in_the_number_of_bars():
    """10× the bars costs about 10× the time (a quadratic check, as before, cost about 100×: 2,000 bars
    4.2 s, 10,000 bars 97 s).  A ratio, not a wall-clock limit: the machine may be busy."""
    small, large = _bars_check_seconds(300), _bars_check_seconds(3000)
    assert large / small < 30, (small, large)
