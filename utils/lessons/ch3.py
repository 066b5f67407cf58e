"""第三章 创新帮扶模式：练习。

Each problem is declared on its own: a small function registered on the chapter's :class:`Lesson`
(in notebook order) that returns one fresh problem; ``build()`` makes them all.  Every answer is
computed from the data by id; prompts, hints and solutions word the figures through
``figure(...).text`` / ``format_cn`` so that no figure of the report is typed in here.  The figures
come from :func:`utils.data.figure` (cached by the data layer, keyed on the data it read), so no
problem depends on another's locals.  Problems rise from level 1 (one lookup, one operation) to
level 3 (the capstone q14, which combines a pandas computation, both readings of 增长N倍 and a change
of time unit).
"""
from __future__ import annotations

import pandas as pd

from ..data import figure, load_figures, load_table, national_series, report_list
from ..exercises import Chart, Choice, Code, Discussion, Mistake, MultiChoice, Numeric
from ..quantities import duo_bounds, format_cn, multiple_readings
from .predicates import Lesson, close, column_floats, has, lacks, with_wrong

CHAPTER = 3

#: the labels the two chart problems ask for (the learner's chart must use them)
ROUTE_LABELS = ("脱贫总人数", "产业扶贫（推算）", "就业扶贫", "易地搬迁")
#: the three headline figures of the chapter's opening, in the report's order
ROUTE_IDS = ("ch3.industry_route_share", "ch3.employment_labourers", "ch3.relocated_people")

lesson = Lesson(CHAPTER)
build = lesson.build


def _f(fid: str):
    return figure(fid)


def _n(x: float, digits: int = 2) -> str:
    """A plain number without scale word: 860, 3.5, 1.33."""
    return format_cn(x, "%", digits=digits).rstrip("%")


def _caoxian_labels() -> tuple[str, str, str]:
    sales, growth = _f("ch3.caoxian_sales"), _f("ch3.caoxian_sales_growth")
    base = growth.base_period
    return (f"{sales.period_end}年", f"{base}年·严格读法", f"{base}年·口语读法")


def _per_project() -> tuple[float, str, str]:
    """q11: Shanghai's funds per project, as shown, and "=" or "≈" (exact only when the quotient is
    the printed figure: 89亿 ÷ 2000 = 445万)."""
    funds, projects = _f("ch3.shanghai_funds").value, _f("ch3.shanghai_projects").value
    per_project = funds / projects
    shown = format_cn(per_project, "元")
    exact = per_project == round(per_project) and shown == format_cn(round(per_project), "元")
    return per_project, shown, "=" if exact else "≈"


# ---------------------------------------------------------------------------
# expected results of the code and chart problems (also used by the tests)
# ---------------------------------------------------------------------------

def opening_rows() -> pd.DataFrame:
    """q1: the figures of the chapter's opening (section 总述), three columns."""
    figs = load_figures(CHAPTER)
    return figs[figs["section"] == "总述"][["indicator", "value", "unit"]]


def routes_frame() -> pd.DataFrame:
    """q3: total lifted out of poverty and the three routes, all as numbers of people."""
    total = _f("intro.rural_poor").value
    share = _f("ch3.industry_route_share").value
    jobs = _f("ch3.employment_labourers").value
    moved = _f("ch3.relocated_people").value
    return pd.DataFrame({"label": list(ROUTE_LABELS),
                         "value": [total, total * share / 100, jobs, moved]})


def caoxian_frame() -> pd.DataFrame:
    """q6: Caoxian's sales in the latest year and the base year under both readings."""
    sales, growth = _f("ch3.caoxian_sales"), _f("ch3.caoxian_sales_growth")
    r = multiple_readings(growth.value, sales.value)
    return pd.DataFrame({"label": list(_caoxian_labels()),
                         "value": [sales.value, r.strict_base, r.loose_base]})


def annual_growth_frame() -> pd.DataFrame:
    """q8: the chapter's "增长N倍" figures that name a base year, the years between base and latest
    year (a difference of years, not a count of calendar years) and the average annual growth rate
    (%) under the strict reading, compounded: ((1 + N) ** (1 / years) − 1) × 100."""
    figs = load_figures(CHAPTER)
    dated = figs[(figs["kind"] == "multiple") & figs["base_period"].notna()]
    out = dated[["indicator", "base_period", "period_end", "value"]].copy()
    out["years"] = out["period_end"] - out["base_period"]
    out["annual"] = ((1 + out["value"]) ** (1 / out["years"]) - 1) * 100
    return out


def principles_frame() -> pd.DataFrame:
    """q12: the chapter's principles joined with the titles of the report's subsections."""
    principles = report_list("ch3.principles")
    sections = load_table("sections")
    both = principles.merge(sections, on=["chapter", "section"])
    return both[["section", "title", "item", "source_cited"]]


def zhaotong_frame() -> pd.DataFrame:
    """q14: the farm income implied by "月工资超过3000元，较务农收入增长4倍", per month and per year."""
    wage, mult = _f("ch3.zhaotong_monthly_wage"), _f("ch3.zhaotong_wage_multiple")
    r = multiple_readings(mult.value, wage.value)
    out = pd.DataFrame({"reading": ["严格读法", "口语读法"],
                        "factor": [r.strict_factor, r.loose_factor]})
    out["farm_month"] = wage.value / out["factor"]
    out["farm_year"] = out["farm_month"] * 12
    return out


# ---------------------------------------------------------------------------
# the chapter's own mistake tests (the generic ones come from .predicates)
# ---------------------------------------------------------------------------

def _farm_months() -> list[float]:
    return list(zhaotong_frame()["farm_month"])


def _swapped_readings(frame) -> bool:
    """q14: the two readings' monthly farm incomes are in each other's rows."""
    month = column_floats(frame, "farm_month")
    return month is not None and len(month) == 2 and all(
        close(a, b, 1e-6) for a, b in zip(month, reversed(_farm_months())))


def _year_not_scaled(frame) -> bool:
    """q14: ``farm_year`` holds the monthly figures (not × 12)."""
    year = column_floats(frame, "farm_year")
    return year is not None and len(year) == 2 and all(
        close(a, b, 1e-6) for a, b in zip(year, _farm_months()))


#: q8: the ``annual`` column (%) under the right rule and under each slip, from N and the years between
_ANNUAL_RULES = {
    "strict": lambda n, k: ((1 + n) ** (1 / k) - 1) * 100,
    "loose": lambda n, k: (n ** (1 / k) - 1) * 100,           # 增长N倍 read as ×N
    "linear": lambda n, k: n / k * 100,                        # the growth spread evenly over the years
    "inclusive": lambda n, k: ((1 + n) ** (1 / (k + 1)) - 1) * 100,  # both end years counted
    "fraction": lambda n, k: (1 + n) ** (1 / k) - 1,          # not turned into a percentage
}


def _annual_rates(rule: str) -> list[float]:
    frame = annual_growth_frame()
    return [_ANNUAL_RULES[rule](float(n), int(k)) for n, k in zip(frame["value"], frame["years"])]


def _annual_by(rule: str):
    """q8: the learner's ``annual`` column holds the rates of ``rule`` (rows in any order)."""
    def test(frame) -> bool:
        got, want = column_floats(frame, "annual"), _annual_rates(rule)
        return (got is not None and len(got) == len(want)
                and all(close(g, w, 0.005) for g, w in zip(sorted(got), sorted(want))))
    return test


def _keeps_undated(frame) -> bool:
    """q8: the table keeps a 增长N倍 row without a base year."""
    figs = load_figures(CHAPTER)
    undated = set(figs[(figs["kind"] == "multiple") & figs["base_period"].isna()]["indicator"])
    try:
        return bool(undated & {str(v) for v in frame["indicator"]})
    except Exception:  # noqa: BLE001 - predicates must never raise
        return False


def _drawn_ratio(drawn, label: str, base_label: str):
    """value(label) ÷ value(base_label) as the learner drew them (scale-free), or None."""
    try:
        values = {str(k).replace(" ", ""): float(v) for k, v in drawn.values().items()}
        return values[label] / values[base_label]
    except Exception:  # noqa: BLE001 - predicates must never raise
        return None


def _readings_swapped(drawn) -> bool:
    """q6: the strict and the loose base are in each other's bars."""
    latest, strict, loose = _caoxian_labels()
    growth = _f("ch3.caoxian_sales_growth").value
    r_strict, r_loose = _drawn_ratio(drawn, strict, latest), _drawn_ratio(drawn, loose, latest)
    return (r_strict is not None and r_loose is not None
            and abs(r_strict - 1 / growth) < 1e-3 and abs(r_loose - 1 / (growth + 1)) < 1e-3)


def _share_drawn_as_count(drawn) -> bool:
    """q3: the industry bar is the percentage itself, not a number of people."""
    ratio = _drawn_ratio(drawn, ROUTE_LABELS[1], ROUTE_LABELS[0])
    return ratio is not None and ratio < 0.001


# ---------------------------------------------------------------------------
# the mistakes' example answers (charts are drawn only when a test asks)
# ---------------------------------------------------------------------------

def _draw(frame: pd.DataFrame, *, horizontal: bool, scale: float, value_label: str, title: str):
    """A chart as a learner might draw it (for the mistake examples); returns the Axes."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    values = frame["value"] / scale
    if horizontal:
        ax.barh(list(frame["label"]), values)
        ax.set_xlabel(value_label)
    else:
        ax.bar(list(frame["label"]), values)
        ax.set_ylabel(value_label)
    ax.set_title(title)
    plt.close(fig)
    return ax


def _routes_share_chart():
    """q3's mistake: the industry bar drawn as the percentage."""
    frame = routes_frame()
    frame.loc[1, "value"] = _f("ch3.industry_route_share").value
    return _draw(frame, horizontal=True, scale=1e4, value_label="人数（万人）", title="三条路径")


def _caoxian_swapped_chart():
    """q6's mistake: the two readings' bases swapped."""
    frame = caoxian_frame()
    frame.loc[[1, 2], "value"] = frame.loc[[2, 1], "value"].to_numpy()
    return _draw(frame, horizontal=False, scale=1e8, value_label="销售额（亿元）", title="曹县")


def _annual_example(rule: str):
    """q8's mistake example: the right table with ``annual`` (and, for the inclusive count, ``years``)
    made by ``rule``."""
    def make() -> pd.DataFrame:
        frame = annual_growth_frame()
        frame["annual"] = _annual_rates(rule)
        if rule == "inclusive":
            frame["years"] = frame["years"] + 1
        return frame
    return make


def _undated_example() -> pd.DataFrame:
    figs = load_figures(CHAPTER)
    frame = figs[figs["kind"] == "multiple"][["indicator", "base_period", "period_end", "value"]].copy()
    frame["years"] = frame["period_end"] - frame["base_period"]
    frame["annual"] = ((1 + frame["value"]) ** (1 / frame["years"]) - 1) * 100
    return frame


def _zhaotong_swapped() -> pd.DataFrame:
    frame = zhaotong_frame()
    frame["farm_month"] = frame["farm_month"].to_numpy()[::-1]
    frame["farm_year"] = frame["farm_month"] * 12
    return frame


def _zhaotong_monthly_year() -> pd.DataFrame:
    frame = zhaotong_frame()
    frame["farm_year"] = frame["farm_month"]
    return frame


# ---------------------------------------------------------------------------
# the problems, in notebook order
# ---------------------------------------------------------------------------


@lesson.problem("q1")
def q1():
    opening = opening_rows()
    return with_wrong(
        Code,
        "本章开篇（`section` 为“总述”）给出了几个全国数字？用 `utils.load_figures(3)` 取出第三章的全部数字，"
        "筛选出开篇那几行，只保留 `indicator`、`value`、`unit` 三列，赋给 `answer_q1`。",
        opening_rows,
        columns=["indicator", "value", "unit"],
        only_columns=["indicator", "value", "unit"],
        sort_by="indicator",
        hints=[
            "在哪里找：`figs = utils.load_figures(3)` 是一张表，每行一个数字；`section` 列写着它在报告的哪一节。",
            "用什么操作：布尔筛选 `figs[条件]` 选行，再用 `[[列名, 列名, …]]` 选列（注意是两层方括号）。",
            "代入：条件是“section 这一列等于总述”（比较用 ==）；要留下的三列是 indicator、value、unit。"
            "先筛选、再选列，两步接成一行由你来写。",
        ],
        solution=(
            f"筛选出{len(opening)}行：产业扶贫的带动占比、就业扶贫带动就业的劳动力、易地搬迁安置的人口。"
            "看 `unit` 列就能发现：第一个数的单位是 %，另外两个是“人”——它们不是同一种数。"
        ),
        code=('figs = utils.load_figures(3)\n'
              'answer_q1 = figs[figs["section"] == "总述"][["indicator", "value", "unit"]]'),
        topic="开篇", skills=("pandas-filter", "pandas-select"), level=1,
    )


@lesson.problem("q2")
def q2():
    total = _f("intro.rural_poor")
    share = _f("ch3.industry_route_share")
    industry_people = total.value * share.value / 100
    survey_year = int(national_series()["year"].min())
    return with_wrong(
        Numeric,
        f"全国脱贫的农村贫困人口是{total.text}（报告开篇），产业扶贫带动了其中{share.text}的人脱贫。"
        "只按这两个写出的数字，通过产业扶贫脱贫的人数至少约是多少人？"
        "（写基本单位的人数，或写成“1234万”这样的文字）",
        industry_people,
        unit="人",
        hints=[
            "在哪里找：整体是开篇的全国脱贫总人数，占比是本章开篇产业扶贫那一行。",
            "用什么操作：部分 = 整体 × 占比；占比写成百分数时，先除以100变成小数（例如50%就是0.5），只除一次。",
            f"代入：{format_cn(total.value, '人')} × {_n(share.value)} ÷ 100 = ？",
        ],
        solution=(
            f"【推算】{format_cn(total.value, '人')} × {format_cn(share.value, '%')} = "
            f"{format_cn(industry_people, '人')}。原文是“{share.text}”，所以这只是下限。\n\n"
            f"还要看两个数从哪里来：{total.text}是国家统计局用抽样调查推算的{survey_year}年末农村贫困人口"
            "（见 `utils.national_series()` 的来源列）；产业扶贫的占比报告没有注明来源，"
            "它很可能来自扶贫部门按登记名单（建档立卡）做的汇总（这是推断，报告没有说明）。调查估计和登记汇总是两种口径，"
            "乘出来的结果只能当作粗略的量级。“带动”也不等于唯一原因：没有产业扶贫，其中一些人也可能脱贫。"
        ),
        code=('total = utils.figure("intro.rural_poor").value\n'
              'share = utils.figure("ch3.industry_route_share").value\n'
              "answer_q2 = total * share / 100"),
        mistakes=[
            Mistake("unit-scale",
                    f"你把百分数除了两次100：{_n(share.value)}%已经等于{_n(share.value / 100)}，“× {_n(share.value)} ÷ 100”之后就不要再除以100了，"
                    "结果差了100倍。",
                    value=industry_people / 100),
            Mistake("wrong-figure",
                    "你写的是全国脱贫总人数本身。题目问的是其中由产业扶贫带动的那一部分：还要乘上占比。",
                    value=total.value),
            Mistake("arithmetic",
                    f"你算的是剩下的{_n(100 - share.value)}%（没有被产业扶贫带动的部分）。"
                    f"产业扶贫带动的是{share.text}那一部分。",
                    value=total.value * (100 - share.value) / 100),
        ],
        topic="开篇", skills=("share-to-count", "survey-vs-register"), level=1,
    )


@lesson.problem("q3")
def q3():
    # Chart directly: with_wrong's first parameter is also called kind (Chart's kind="bar" clashes)
    return Chart(
        "把脱贫总人数和三条路径放到同一把尺子上：建一张表，`label` 列依次是"
        + "、".join(f"“{x}”" for x in ROUTE_LABELS)
        + "，`value` 列是对应的人数（产业扶贫用练习2的推算值，其余用报告写出的数字），"
        "再用 seaborn 画成横向条形图。横轴以“万人”为单位并在轴标签里写明，加一个标题。",
        routes_frame,
        kind="bar",
        unit="人",
        value_name="人数",
        chart_title="脱贫总人数与三条路径",
        mistakes=[
            Mistake("wrong-figure",
                    "“产业扶贫（推算）”那根柱子画的是占比本身（70这个百分数），不是人数："
                    "先把占比乘到全国脱贫总人数上。",
                    when=_share_drawn_as_count,
                    example=_routes_share_chart),
        ],
        hints=[
            "在哪里找：四个数分别是 `intro.rural_poor`、练习2的推算值、`ch3.employment_labourers`、"
            "`ch3.relocated_people`；用 `utils.value(编号)` 取数。",
            "用什么操作：`pd.DataFrame({\"label\": [...], \"value\": [...]})` 建表；再加一列以万人为单位的数"
            "（除以 10000），用 `sns.barplot(data=表, x=万人那一列, y=\"label\")` 画横条。",
            "代入：产业扶贫一格写 `total * share / 100`；轴标签写成“人数（万人）”，"
            "标题用 `plt.title(...)`，写一句你想让读者看出的话。",
        ],
        solution=(
            "四根横条里，三条路径的长度加起来超过了脱贫总人数。这不说明报告算错了：同一户人家可以既拿产业分红、"
            "又有人外出务工、还是搬迁户，三条路径是互相重叠的名单，不是一张饼的三块。"
            "另外，总人数来自统计调查，三条路径的数更可能来自登记汇总，两种口径放在一张图上，只能比量级。"
        ),
        code=('total = utils.value("intro.rural_poor")\n'
              'share = utils.value("ch3.industry_route_share")\n'
              'routes = pd.DataFrame({\n'
              f'    "label": {list(ROUTE_LABELS)!r},\n'
              '    "value": [total, total * share / 100,\n'
              '              utils.value("ch3.employment_labourers"), utils.value("ch3.relocated_people")]})\n'
              'routes["万人"] = routes["value"] / 10000\n'
              'sns.barplot(data=routes, x="万人", y="label")\n'
              'plt.xlabel("人数（万人）")\n'
              'plt.title("三条路径相加，超过了脱贫总人数")'),
        topic="开篇", skills=("pandas-build-frame", "seaborn-bar", "units"), level=2,
        wrong=[_routes_share_chart],  # drawn when a test asks, not when the chapter is built
    )


@lesson.problem("q4")
def q4():
    total = _f("intro.rural_poor")
    share = _f("ch3.industry_route_share")
    jobs = _f("ch3.employment_labourers")
    moved = _f("ch3.relocated_people")
    return with_wrong(
        MultiChoice,
        "把本章开篇的三个数字（产业、就业、搬迁）和本章三个小节的标题对照着读。下面哪些说法是对的？"
        "（多选，例如“AB”）",
        {
            "A": "开篇的三个数字正好是后面三个小节各自的“总成绩”。",
            "B": "本章三个小节讲的是电商扶贫、产业扶贫和对口帮扶；就业扶贫和易地搬迁在后文没有再出现。",
            "C": f"“{share.text}”是占比，“{jobs.text}”数的是劳动力，“{moved.text}”数的是被安置的人口，三者不是同一种数。",
            "D": "把产业扶贫换算成人数，再和另外两个数相加，结果超过了脱贫总人数，说明报告有一个数写错了。",
            "E": (f"{total.text}是统计调查的估计，三条路径的数字更可能来自扶贫工作的登记汇总；"
                  "把两类数字放在一起算，只能看出粗略的量级。"),
        },
        "BCE",
        explanations={
            "A": "开篇点名的“多元路径”是产业、电商、对口帮扶（正是三个小节），给出数字的却是产业、就业、搬迁："
                 "只有产业扶贫两边都有。",
            "B": "对照 `report_list(\"ch3.paths\")` 和三个数字所在的路径就能看出来。",
            "C": "占比、劳动力人数、人口数，单位和数的对象都不一样。",
            "D": "相加超过总数，说明路径之间有重叠（同一个人可以受益于几条路径），不能推出算错。",
            "E": "两种口径的数放在一起，算出来的只是量级，不是精确的分解。",
        },
        hints=[
            "在哪里找：开篇的“多元路径”清单（`ch3.paths`）、三个数字（`ch3.routes`），以及本章三个小节的标题。",
            "用什么操作：逐项问——这个数是什么种类（占比还是人数）？它在后文有没有对应的小节？"
            "它来自调查还是登记？",
            "代入：对每一项问一句——它说的是数字本身的性质，还是从数字推出了一个更大的结论？"
            "后一种要特别小心：开篇的清单不一定是后文的目录，几个数加起来超过总数也不一定是写错了。",
        ],
        solution=(
            "选 BCE。报告开篇说的“多元路径”是产业、电商、对口帮扶，三个小节也按这三条展开；"
            "可是开篇给出成绩的却是产业、就业、搬迁，就业和搬迁在后文再没有出现。"
            "读报告时要分清：标题下的结构，和用来概括的数字，未必是一一对应的。"
        ),
        mistakes=[
            Mistake("sum-overlap",
                    "你认为“相加超过总数就是算错了”。几条路径的受益名单会重叠，同一个人可以被算进不止一条路径，"
                    "相加超过总数正说明有重复计算。",
                    value="BCDE"),
            Mistake("sum-overlap",
                    "你选了 D：相加超过总数说明路径之间有重叠，而不是报告算错。",
                    value="CDE"),
            Mistake("survey-vs-register",
                    "你漏选了 E：总人数是统计调查的估计，几条路径的数更像登记汇总，口径不同，"
                    "放在一起只能比量级。",
                    value="BC"),
            Mistake("wrong-figure",
                    "你把开篇的三个数字当成了后面三个小节的成绩，可小节讲的是电商、产业、对口帮扶，"
                    "就业和搬迁没有对应的小节。",
                    value="ABCE"),
        ],
        topic="开篇", skills=("number-kinds", "structure-reading", "survey-vs-register"), level=2,
    )


@lesson.problem("q5")
def q5():
    sales = _f("ch3.livestream_sales")
    helped = _f("ch3.livestream_beneficiaries")
    cadres = _f("ch3.livestream_cadres")
    per_head = sales.value / helped.value
    helped_low, helped_high = duo_bounds(helped.value, helped.unit)
    return with_wrong(
        Numeric,
        f"直播带货两年累计卖出{sales.text}的农产品，带动{helped.text}贫困群众增收。"
        f"按写出的数字（{format_cn(sales.value, '元')}、{format_cn(helped.value, '人')}）算，"
        "平均每位增收群众对应多少元销售额？（写元，或写成“1.2万”这样的文字）",
        per_head,
        unit="元",
        hints=[
            "在哪里找：销售额是 `ch3.livestream_sales`，增收人数是 `ch3.livestream_beneficiaries`；"
            "别拿参加直播的干部人数当分母。",
            "用什么操作：平均每人 = 总额 ÷ 人数。两个数一个以“亿”计、一个以“万”计，先都换成基本单位，"
            "或者记住：1亿除以1万等于1万。",
            f"代入：{format_cn(sales.value, '元')} ÷ {format_cn(helped.value, '人')} = "
            f"{_n(sales.value / 1e8)}亿 ÷ {_n(helped.value / 1e4)}万 = ？万元",
        ],
        solution=(
            f"【推算】{format_cn(sales.value, '元')} ÷ {format_cn(helped.value, '人')} = {format_cn(per_head, '元')}。"
            f"两个数都不是确数：人数是“{helped.text}”，最多不到{format_cn(helped_high, '人')}，"
            f"若取这个上端，【推算】{format_cn(sales.value, '元')} ÷ {format_cn(helped_high, '人')} ≈ "
            f"{format_cn(sales.value / helped_high, '元')}；销售额是“超过”，若更高，结果又会变大。"
            "所以这个平均数方向不定，只能看量级。\n\n"
            "更重要的是：销售额不是收入。扣除成本、运费和平台费用后，到农户手里的只是一部分；"
            "卖出的货也未必都来自这些增收的群众。"
        ),
        code=('sales = utils.value("ch3.livestream_sales")\n'
              'people = utils.value("ch3.livestream_beneficiaries")\n'
              "answer_q5 = sales / people"),
        mistakes=[
            Mistake("unit-scale",
                    "量级差了10倍：亿和万换算时少算了一位。1亿 = 10000万，"
                    "所以“亿 ÷ 万”的结果以“万”为单位。",
                    value=per_head / 10),
            Mistake("unit-scale",
                    "量级差了10倍：亿和万换算时多算了一位。1亿 = 10000万。",
                    value=per_head * 10),
            Mistake("wrong-denominator",
                    f"你除的是参加直播带货的干部人数（{cadres.text}）。题目问的是平均每位增收群众，"
                    "分母应是增收的人数。",
                    value=sales.value / cadres.value),
            Mistake("inverted-ratio",
                    "比值倒过来了：你算的是“人数 ÷ 销售额”。平均每人对应多少元，是销售额 ÷ 人数。",
                    value=helped.value / sales.value),
        ],
        topic="（一）电商扶贫", skills=("ratio", "units"), level=2,
    )


@lesson.problem("q6")
def q6():
    cx_sales = _f("ch3.caoxian_sales")
    cx_growth = _f("ch3.caoxian_sales_growth")
    cx = multiple_readings(cx_growth.value, cx_sales.value)
    labels = _caoxian_labels()
    # Chart directly: with_wrong's first parameter is also called kind (Chart's kind="bar" clashes)
    return Chart(
        f"曹县汉服产业{cx_sales.period}的销售额是{cx_sales.text}，比{cx_growth.base_period}年“增长"
        f"{_n(cx_growth.value)}倍”。按两种读法推算{cx_growth.base_period}年的销售额，"
        "建一张三行的表（`label` 依次是" + "、".join(f"“{x}”" for x in labels)
        + "，`value` 是销售额，单位元），用 seaborn 画成条形图：轴标签写明“亿元”，加标题。",
        caoxian_frame,
        kind="bar",
        unit="元",
        value_name="销售额",
        chart_title="曹县汉服销售额：两种读法推出的基期",
        mistakes=[
            Mistake("times-reading",
                    "两种读法画反了：严格读法下“增长N倍”是现值为基期的（N + 1）倍，除数更大，推出的基期更小；"
                    "口语读法除以N，基期更大。",
                    when=_readings_swapped,
                    example=_caoxian_swapped_chart),
        ],
        hints=[
            "在哪里找：现值是 `ch3.caoxian_sales`，N 是 `ch3.caoxian_sales_growth` 的 `value`。",
            "用什么操作：严格读法“增长N倍”= 现值是基期的 (N + 1) 倍；口语读法 = 现值是基期的 N 倍。"
            "基期 = 现值 ÷ 倍数。画图前加一列“亿元”（除以1e8）。",
            f"代入：严格读法是{format_cn(cx_sales.value, '元')} ÷ ({_n(cx_growth.value)} + 1)，"
            f"口语读法是{format_cn(cx_sales.value, '元')} ÷ {_n(cx_growth.value)}；两个结果填进表里再画。",
        ],
        solution=(
            f"【推算】严格读法：{format_cn(cx_sales.value, '元')} ÷ {_n(cx.strict_factor)} = "
            f"{format_cn(cx.strict_base, '元')}；口语读法：{format_cn(cx_sales.value, '元')} ÷ "
            f"{_n(cx.loose_factor)} = {format_cn(cx.loose_base, '元')}。"
            "统计上规范的是严格读法，但报告没写明用的是哪一种，两个数都要想到。"
            f"现值是“{cx_sales.text}”（下限），所以推算出的基期也都是下限。"
        ),
        code=('sales = utils.value("ch3.caoxian_sales")\n'
              'n = utils.value("ch3.caoxian_sales_growth")\n'
              f'caoxian = pd.DataFrame({{"label": {list(labels)!r},\n'
              '                        "value": [sales, sales / (n + 1), sales / n]})\n'
              'caoxian["亿元"] = caoxian["value"] / 1e8\n'
              'sns.barplot(data=caoxian, x="label", y="亿元")\n'
              'plt.ylabel("销售额（亿元）")\n'
              'plt.title("曹县汉服销售额：两种读法推出的基期")'),
        topic="（一）电商扶贫", skills=("times-reading", "pandas-build-frame", "seaborn-bar", "units"),
        level=2,
        wrong=[_caoxian_swapped_chart],  # drawn when a test asks, not when the chapter is built
    )


@lesson.problem("q7")
def q7():
    yn = _f("ch3.yunnan_industry_share")
    yn_pts = _f("ch3.yunnan_industry_share_change")
    yn_base = yn.value - yn_pts.value
    yn_pct_reading = yn.value / (1 + yn_pts.value / 100)
    return with_wrong(
        Numeric,
        f"云南{yn.period}产业带动脱贫人数的占比是{yn.text}，比{yn_pts.base_period}年提升了"
        f"{yn_pts.text}。{yn_pts.base_period}年这个占比是多少？（写成“12.5%”这样的百分数，或只写数字）",
        yn_base,
        unit="%",
        scales=(),
        hints=[
            "在哪里找：现值是 `ch3.yunnan_industry_share`，变化是 `ch3.yunnan_industry_share_change`，"
            "注意它的单位是“百分点”。",
            "用什么操作：百分点是两个百分数之差，所以基期 = 现值 − 百分点（减法），不是除以 (1 + 40%)。",
            f"代入：{_n(yn.value)} − {_n(yn_pts.value)} = ？%",
        ],
        solution=(
            f"【推算】{format_cn(yn.value, '%')} − {format_cn(yn_pts.value, '百分点')} = {format_cn(yn_base, '%')}。"
            f"若把“百分点”误读成“增长{_n(yn_pts.value)}%”，会算成【推算】{_n(yn.value)}% ÷ "
            f"{_n(1 + yn_pts.value / 100)} ≈ {format_cn(yn_pct_reading, '%')}，差得很远。\n\n"
            "占比上升可能因为产业带动的人多了，也可能因为分母（当年脱贫的总人数）变了或统计口径变了；"
            "报告没有给出分子和分母，无法分辨。"
        ),
        code=('now = utils.value("ch3.yunnan_industry_share")\n'
              'pts = utils.value("ch3.yunnan_industry_share_change")\n'
              "answer_q7 = now - pts"),
        mistakes=[
            Mistake("points-as-percent",
                    f"你把“提升{yn_pts.text}”当成了“增长{_n(yn_pts.value)}%”，用了除法。"
                    "百分点是两个百分数直接相减的差，基期 = 现值 − 百分点。",
                    value=yn_pct_reading),
            Mistake("arithmetic",
                    "方向反了：你把百分点加到了现值上。题目问的是更早的那一年，占比提升之前更低，要减。",
                    value=yn.value + yn_pts.value),
            Mistake("wrong-figure",
                    f"你写的是提升的幅度（{yn_pts.text}）本身，不是{yn_pts.base_period}年的占比。",
                    value=yn_pts.value),
        ],
        topic="（二）产业扶贫", skills=("points",), level=2,
    )


@lesson.problem("q8")
def q8():
    annual = annual_growth_frame()
    first = annual.iloc[0]
    n, k = float(first["value"]), int(first["years"])
    worked = "；".join(
        f"{row.indicator}：(1 + {_n(row.value)})^(1/{int(row.years)}) − 1 ≈ {row.annual:.1f}%"
        f"（{int(row.base_period)}→{int(row.period_end)}年，经过{int(row.years)}年）"
        for row in annual.itertuples())
    return with_wrong(
        Code,
        "“增长N倍”跨了好几年，平均每年增长多快？用 `utils.load_figures(3)` 找出 `kind` 为 \"multiple\"、"
        "并且写明了基期年份（`base_period` 不为空）的行，保留 `indicator`、`base_period`、`period_end`、`value` "
        "四列，再加两列：`years` 是从基期到最新一年经过的年数（两个年份相减，不是数有几个年份）；"
        "`annual` 是按严格读法、假设每年按同一个增长率增长时的年均增长率，单位 %（写 12.5 表示12.5%）。"
        "结果赋给 `answer_q8`。",
        annual_growth_frame,
        columns=["indicator", "base_period", "period_end", "value", "years", "annual"],
        sort_by="indicator",
        rel_tol=0.005,
        hints=[
            "在哪里找：`figs = utils.load_figures(3)`；N 在 `value` 列，基期年份在 `base_period` 列，"
            "最新一年在 `period_end` 列。有一处“增长N倍”比的不是某一年（看 `comparison` 列），它的基期年份是空的。",
            "用什么操作：两个条件同时成立，用 `&` 连起来，每个条件各加一对括号；“不为空”可以用 `.notna()`。"
            "严格读法下现值是基期的 (N + 1) 倍；每年增长 r、经过 k 年，等于连乘 k 次 (1 + r)，"
            "所以 (1 + r) 的 k 次方 = N + 1。",
            "代入：years 一列由两列相减得到（想清楚谁减谁）；再从 (1 + r) 的 years 次方 = N + 1 解出 r："
            "Python 里开 k 次方写成 `** (1 / k)`，最后乘100化成百分数。别用 N ÷ 年数：那是把增长平摊到每年，"
            "没有考虑逐年累乘。",
        ],
        solution=(
            f"【推算】{worked}。\n\n"
            f"年数是两个年份之差：从{int(first['base_period'])}年到{int(first['period_end'])}年只“过了”{k}年，"
            f"虽然首尾算上一共是{k + 1}个年份；按{k + 1}年算，年均增长率会被低估。\n\n"
            f"也不能把增长平摊到每年：以{first['indicator']}那一行为例，平摊得到【推算】{_n(n)} ÷ {k} × 100% = "
            f"{_n(n / k * 100)}%/年；可是每年都增长{_n(n / k * 100)}%，{k}年后是基期的【推算】"
            f"(1 + {_n(n / k)})^{k} = {_n((1 + n / k) ** k)}倍，不是严格读法的{_n(n + 1)}倍。"
            "增长是逐年累乘的，所以要开方，不能相除。\n\n"
            "还要记住三点：年均增长率只是把几年的变化折成“每年一样”，实际各年可能快慢不一；"
            "报告没说这两处用的是哪种读法，若按口语读法（现值是基期的N倍），年均增长率会更低；"
            "昭通那一处比的是另一种收入来源，没有基期年份，谈不上“每年增长多快”。"
        ),
        code=('figs = utils.load_figures(3)\n'
              'dated = figs[(figs["kind"] == "multiple") & figs["base_period"].notna()]\n'
              'm = dated[["indicator", "base_period", "period_end", "value"]].copy()\n'
              'm["years"] = m["period_end"] - m["base_period"]\n'
              'm["annual"] = ((1 + m["value"]) ** (1 / m["years"]) - 1) * 100\n'
              "answer_q8 = m"),
        mistakes=[
            Mistake("times-reading",
                    "`annual` 是按口语读法算的（把现值当成基期的N倍）。严格读法下“增长N倍”是现值为基期的"
                    "（N + 1）倍，开方前要先加1。",
                    when=_annual_by("loose"), example=_annual_example("loose")),
            Mistake("linear-growth",
                    "你把N除以年数，把增长平摊到了每年。增长是逐年累乘的：(1 + 年均增长率) 的年数次方 = N + 1，"
                    "要开方，不能相除。",
                    when=_annual_by("linear"), example=_annual_example("linear")),
            Mistake("arithmetic",
                    "年数多算了1：从基期到最新一年经过的年数是两个年份之差，不是把首尾两年都数进去。",
                    when=_annual_by("inclusive"), example=_annual_example("inclusive")),
            Mistake("unit-scale",
                    "`annual` 还是小数（例如0.1），没有乘100化成百分数；题目要的单位是 %。",
                    when=_annual_by("fraction"), example=_annual_example("fraction")),
            Mistake("wrong-figure",
                    "表里多了没有基期年份的那一行：它比的是另一种收入来源，不是某一年，算不出每年增长多快。"
                    "筛选时还要加上 `base_period` 不为空这个条件。",
                    when=_keeps_undated, example=_undated_example),
        ],
        topic="（二）产业扶贫", skills=("pandas-filter", "pandas-derive-column", "times-reading", "annual-growth"),
        level=3, track="拓展",
    )


@lesson.problem("q9")
def q9():
    div = _f("ch3.dividend_per_capita")
    div_growth = _f("ch3.dividend_growth")
    dv = multiple_readings(div_growth.value, div.value)
    return with_wrong(
        Numeric,
        f"全国贫困群众的人均产业分红{div.period}为每人{_n(div.value)}元，比{div_growth.base_period}年“增长"
        f"{_n(div_growth.value)}倍”。按统计上的严格读法，{div_growth.base_period}年人均分红约为多少元？",
        dv.strict_base,
        unit="元",
        rel_tol=0.02,
        hints=[
            "在哪里找：现值是 `ch3.dividend_per_capita`，N 是 `ch3.dividend_growth`。",
            "用什么操作：严格读法“增长N倍”= 现值是基期的 (N + 1) 倍，所以基期 = 现值 ÷ (N + 1)。",
            f"代入：{_n(div.value)} ÷ ({_n(div_growth.value)} + 1) = ？元",
        ],
        solution=(
            f"【推算】{_n(div.value)}元 ÷ {_n(dv.strict_factor)} = {format_cn(dv.strict_base, '元')}（严格读法）；"
            f"按口语读法则是【推算】{_n(div.value)} ÷ {_n(dv.loose_factor)} ≈ {format_cn(dv.loose_base, '元')}。"
            "还要想到：两个年份的“人均”可能是对不同人群算的（参加分红的人数会变），"
            "人均数的增长不一定等于同一批人收入的增长。"
        ),
        code=('now = utils.value("ch3.dividend_per_capita")\n'
              'n = utils.value("ch3.dividend_growth")\n'
              "answer_q9 = now / (n + 1)"),
        mistakes=[
            Mistake("times-reading",
                    f"你用的是口语读法（现值是基期的{_n(dv.loose_factor)}倍）。严格读法下“增长"
                    f"{_n(div_growth.value)}倍”是现值为基期的{_n(dv.strict_factor)}倍。",
                    value=dv.loose_base),
            Mistake("arithmetic",
                    "方向反了：你用乘法推到了更高的数。基期在前、数值更小，要用现值除以倍数。",
                    value=div.value * dv.strict_factor),
            Mistake("arithmetic",
                    "方向反了：基期更小，要用现值除以倍数，而不是乘。",
                    value=div.value * div_growth.value),
        ],
        topic="（二）产业扶贫", skills=("times-reading",), level=2, track="拓展",
    )


@lesson.problem("q10")
def q10():
    east_p, east_c, west_p = _f("ch3.east_provinces"), _f("ch3.east_cities"), _f("ch3.west_provinces")
    return with_wrong(
        MultiChoice,
        f"（三）小节开头数了三类结对单位：东部的省市{_n(east_p.value)}个、东部的城市{_n(east_c.value)}个、"
        f"西部的省区市{_n(west_p.value)}个。下面哪些说法站得住？（多选）",
        {
            "A": f"东部一共有{_n(east_p.value + east_c.value)}个省市参加了帮扶。",
            "B": "“省市”“城市”“省区市”是不同的单位：前一个和后一个是省一级，中间那个是市一级。",
            "C": f"平均每个西部省区市有{_n((east_p.value + east_c.value) / west_p.value)}个东部帮扶方。",
            "D": "“省区市”是省、自治区、直辖市的合称；“省市”里的“市”指直辖市。",
            "E": "只凭这三个数，说不清谁和谁结对、每个西部地区有几个帮扶方。",
        },
        "BDE",
        explanations={
            "A": "城市是市一级，可能就位于那几个东部省市之内，和省一级的数相加会重复，也把两级单位混在了一起。",
            "B": "数数之前先看数的是什么：同样是“个”，一个省和一个市不是同一种单位。",
            "C": "分子把两级单位加在一起，而且结对不一定平均分配，这个“平均”没有意义。",
            "D": "这是常用的简称。",
            "E": "报告只给了三方的个数，没有给结对名单。",
        },
        hints=[
            "在哪里找：（三）小节开头的三个数 `ch3.east_provinces`、`ch3.east_cities`、`ch3.west_provinces`，"
            "以及它们各自的单位词。",
            "用什么操作：先问“一个单位是什么”（省一级还是市一级），再决定能不能相加、能不能相除。",
            "代入：东部的城市可能就在东部的省市之内；数字相加之前，先想想会不会重复、是不是同一级。"
            "现在逐项判断。",
        ],
        solution=(
            "选 BDE。同样写作“个”，东部的省市和西部的省区市是省一级，城市是市一级；"
            "城市还可能就在那几个东部省市之内。把它们相加（A）或平均（C），"
            "既混了两级单位，也可能重复计算。报告没给结对名单，所以谁帮谁、每家几个对子都说不清（E）。"
        ),
        mistakes=[
            Mistake("sum-overlap",
                    "你把省一级和市一级的个数直接相加了：城市可能就在那几个东部省市之内，相加会重复计算，"
                    "两级单位也不能这样合在一起数。",
                    value="ABDE"),
            Mistake("sum-overlap",
                    "你选了 C：这个“平均”把省一级和市一级的单位加在一起再除，单位不一致，算出来没有意义。",
                    value="BCDE"),
            Mistake("sum-overlap",
                    "A 和 C 都把省一级和市一级的数加在了一起：先看单位，再决定能不能相加。",
                    value="ABCDE"),
        ],
        topic="（三）对口帮扶", skills=("units", "sum-overlap"), level=2, track="拓展",
    )


@lesson.problem("q11")
def q11():
    sh_funds, sh_proj = _f("ch3.shanghai_funds"), _f("ch3.shanghai_projects")
    per_project, shown, eq = _per_project()
    exact = eq == "="
    return with_wrong(
        Choice,
        f"上海对口云南{sh_funds.period}投入的帮扶资金是{sh_funds.text}，产业项目{sh_proj.text}。"
        f"【推算】{format_cn(sh_funds.value, '元')} ÷ {format_cn(sh_proj.value, '')}个 "
        f"{eq} {shown}。"
        "假设资金全部用于这些项目，平均每个项目的资金应当怎样表述？",
        {
            "A": f"至少{shown}",
            "B": f"至多{shown}" if exact else f"至多约{shown}",
            "C": f"正好{shown}",
            "D": "无法判断比它大还是小",
        },
        "B",
        explanations={
            "A": "方向反了：分母（项目数）是下限，分母越大，平均数越小。",
            "B": "分子是确数、分母是下限（超过），平均数只会更小，所以是上限。",
            "C": f"“{sh_proj.text}”不是正好{format_cn(sh_proj.value, '')}个。",
            "D": "这里可以判断：分子确定，只有分母可能更大。（若分子、分母都是下限，才无法判断。）",
        },
        hints=[
            "在哪里找：分子 `ch3.shanghai_funds` 和分母 `ch3.shanghai_projects` 的措辞：哪一个带着“超过”？",
            "用什么操作：分子不变时，分母变大，商变小。所以“分母是下限”会让商成为什么？",
            "代入：分子是确数，项目数可能比写出的更多，那么真实的平均数会比算出的数更大还是更小？",
        ],
        solution=(
            f"选 B。{format_cn(sh_funds.value, '元')} 是确数，项目数“超过”{format_cn(sh_proj.value, '')}，"
            f"所以【推算】平均每个项目 ≤ {format_cn(sh_funds.value, '元')} ÷ {format_cn(sh_proj.value, '')} "
            f"{eq} {shown}。"
            "题目的假设本身也未必成立：帮扶资金不只用于产业项目（还有教育、医疗、人才等），真实的项目平均金额可能更小。"
        ),
        mistakes=[
            Mistake("lower-bound-exact",
                    "方向反了：项目数“超过”这个数，是下限。分母可能更大，平均数只会更小，所以算出的数是上限，不是下限。",
                    value="A"),
            Mistake("lower-bound-exact",
                    "你把“超过”的项目数当成了确数。分母只是下限，平均数就不能说“正好”。",
                    value="C"),
        ],
        topic="（三）对口帮扶", skills=("bounds", "ratio"), level=2,
    )


@lesson.problem("q12")
def q12():
    return with_wrong(
        Code,
        "三个小节各写了一条“严格遵循”的原则，并注明了出处。把 `utils.report_list(\"ch3.principles\")` "
        "和小节标题表 `utils.load_table(\"sections\")` 按 `chapter` 和 `section` 两列合并，"
        "保留 `section`、`title`、`item`、`source_cited` 四列，赋给 `answer_q12`。",
        principles_frame,
        columns=["section", "title", "item", "source_cited"],
        sort_by="section",
        hints=[
            "在哪里找：原则在清单 `ch3.principles` 里（`item` 是原则，`source_cited` 是报告写的出处）；"
            "小节标题在 `sections` 表的 `title` 列。",
            "用什么操作：两张表按共同的列合并用 `左表.merge(右表, on=[列, 列])`，合并后再选列。",
            "代入：两张表都有、能把一条原则和它的小节对上的是哪两列？把它们写进 on；合并后只留题目要的四列。",
        ],
        solution=(
            "三条原则各对应一个小节，出处写的是一项工作要求、一份规划或一项战略。"
            "注意：这些出处说的是原则从哪里来，不是数字从哪里来——本章的数字报告都没有注明来源。"
            "原则也不能用报告里的数字去核对：“群众自愿”“互利共赢”做到了多少，报告没有给出可以度量的指标。"
        ),
        code=('principles = utils.report_list("ch3.principles")\n'
              'sections = utils.load_table("sections")\n'
              'both = principles.merge(sections, on=["chapter", "section"])\n'
              'answer_q12 = both[["section", "title", "item", "source_cited"]]'),
        topic="（三）对口帮扶", skills=("pandas-merge", "pandas-select", "source-reading"), level=2, track="拓展",
    )


@lesson.problem("q13")
def q13():
    sales, cx_sales = _f("ch3.livestream_sales"), _f("ch3.caoxian_sales")
    funds, sh_funds = _f("ch3.pairing_funds"), _f("ch3.shanghai_funds")
    return with_wrong(
        MultiChoice,
        "上面那张图把本章的四笔钱按长短排成一列。对照图下面那张表（每个数的时期、数值和数据说明），"
        "下面哪些说法指出了这张图会误导人的地方？（多选）",
        {
            "A": f"四根柱子管的时间长短不一：有{cx_sales.period}一年的数，有{sales.period}、{sh_funds.period}"
                 "这样几年的累计，还有起始年份没写的累计；图上看不出来，柱子的长短不能直接比。",
            "B": "曹县那根柱子除以直播带货那根柱子，就是曹县在全国直播带货里的份额：两个都是销售额，可以直接相除。",
            "C": f"上海的投入是{sh_funds.period}的累计，全国的帮扶资金是截至{funds.period_end}年、起始年份没写的累计："
                 "光凭这两根柱子，说不出上海占了全国的几成。",
            "D": "只要把每根柱子都除以各自的年数、换成年均数，这张图就可以放心地比长短了。",
            "E": "柱子里既有卖货得到的销售额，也有投入的帮扶资金：两种钱的性质不同，排在一起比大小也会误导。",
        },
        "ACE",
        explanations={
            "A": "先查每个数的时期：时间跨度不同的总额，长短之差有一部分只是年数不同。",
            "B": f"曹县是{cx_sales.period}一年的数，直播带货是{sales.period}的累计；曹县的数是整个汉服产业的销售额，报告没说其中多少是直播卖出的。"
                 "相除得到的不是份额。",
            "C": "不知道全国那笔钱从哪年算起，就不知道它覆盖了几年，两笔钱的时间范围对不上。",
            "D": "全国那笔钱的年数不知道，没法折成年均；就算都折成了年均，销售额和帮扶资金也不是同一种钱，"
                 "年均数还抹掉了各年之间的起伏。",
            "E": "销售额是卖货的总额（还不是收入），帮扶资金是投入；比大小之前，先问是不是同一种数。",
        },
        hints=[
            "在哪里找：图下面的表列出了四根柱子的数字；看“时期”一列和全国帮扶资金的说明，"
            "再看每个数是卖货的销售额还是投入的资金。",
            "用什么操作：两根柱子要能比长短，至少要满足两条——管的时间一样长（或者知道各管几年、能换算），"
            "而且数的是同一种东西。",
            "代入：对每个说法问两句：它用到的柱子各管几年、年数知道不知道？要换成年均数，先得知道什么？"
            "然后逐项判断。",
        ],
        solution=(
            f"选 ACE。图里的四个数，曹县汉服是{cx_sales.period}一年的销售额，直播带货是{sales.period}的累计，"
            f"上海的投入是{sh_funds.period}的累计，全国的帮扶资金只写了“截至{funds.period_end}年累计”、没写从哪年算起。"
            "把它们排成一列，读者会不自觉地比长短、算比例，可长短之差有一部分只是年数不同（A）；"
            "起点不明的累计连年数都不知道，和别的累计也对不上（C）。另外，销售额和帮扶资金是两种钱，"
            "本来就不该放在一把尺子上排大小（E）。\n\n"
            "B 错在把一年的数除以几年的累计（曹县的数是整个汉服产业的销售额，报告没说其中多少来自直播）；D 错在以为折成年均就万事大吉："
            "全国那笔钱的年数不知道，折不了；两种钱的性质不同，折了也不能比。\n\n"
            "画这类图时，至少要在每根柱子的标签里写明时期，或者只把同一时期、同一种数的数字放在一起。"
        ),
        mistakes=[
            Mistake("cumulative-annual",
                    f"你选了 B：曹县是{cx_sales.period}一年的销售额，直播带货是{sales.period}的累计，"
                    "一年的数除以几年的累计，得不到份额（何况曹县的数是整个汉服产业的销售额，报告没说其中多少来自直播）。",
                    when=has("B"), example="ABCE"),
            Mistake("cumulative-annual",
                    "你选了 D：全国帮扶资金没写起始年份，不知道该除以几年，折不成年均；"
                    "而且销售额和帮扶资金是两种钱，折成年均也不能比。",
                    when=has("D"), example="ACDE"),
            Mistake("cumulative-annual",
                    "你漏了 A：四根柱子管的时间长短不一（一年、几年累计、起点不明的累计），这正是这张图最误导人的地方。",
                    when=lacks("A"), example="CE"),
            Mistake("cumulative-annual",
                    "你漏了 C：同是帮扶资金，一笔写明了起止年份，一笔连从哪年算起都没写，算不出谁占谁的几成。",
                    when=lacks("C"), example="AE"),
        ],
        topic="（三）对口帮扶", skills=("cumulative", "misleading-chart", "chart-reading"), level=3,
    )


@lesson.problem("q14")
def q14():
    wage, mult = _f("ch3.zhaotong_monthly_wage"), _f("ch3.zhaotong_wage_multiple")
    gain = _f("ch3.income_gain_per_capita")
    zt = zhaotong_frame()
    return with_wrong(
        Code,
        f"综合练习。昭通产业园的人均月工资超过{_n(wage.value)}元，报告说这比当地传统农业收入“增长{_n(mult.value)}倍”。"
        "建一张两行的表赋给 `answer_q14`：`reading` 列是“严格读法”“口语读法”；"
        "`factor` 是该读法下工资为务农收入的几倍；`farm_month` 是推出的务农收入（元/人/月）；"
        "`farm_year` 是把它折成一年的数（元/人/年）。",
        zhaotong_frame,
        columns=["reading", "factor", "farm_month", "farm_year"],
        sort_by="reading",
        hints=[
            "在哪里找：月工资是 `ch3.zhaotong_monthly_wage`，N 是 `ch3.zhaotong_wage_multiple`；"
            "注意工资是按月算的。",
            "用什么操作：先建只有 `reading` 和 `factor` 两列的表（严格读法倍数 N + 1，口语读法倍数 N），"
            "再用整列运算加出另外两列：月收入 = 工资 ÷ 倍数，年收入 = 月收入 × 12。",
            "代入：`factor` 一列写成 `[n + 1, n]`；`farm_month` 是 `wage / 表[\"factor\"]`；"
            "`farm_year` 由 `farm_month` 乘上一年的月数。",
        ],
        solution=(
            f"【推算】严格读法：{_n(wage.value)} ÷ {_n(zt.loc[0, 'factor'])} = {_n(zt.loc[0, 'farm_month'])}元/人/月，"
            f"× 12 = {format_cn(zt.loc[0, 'farm_year'], '元')}/人/年；"
            f"口语读法：{_n(wage.value)} ÷ {_n(zt.loc[1, 'factor'])} = {_n(zt.loc[1, 'farm_month'])}元/人/月，"
            f"× 12 = {format_cn(zt.loc[1, 'farm_year'], '元')}/人/年。工资是下限（超过），推出的务农收入也是下限。\n\n"
            f"单位要对齐：本章（二）的人均年增收（每人每年超过{_n(gain.value)}元）是增加额，和这里的月工资、"
            "按月推出的务农收入不是同一个时间单位，也不是同一种数（一个是增加额，一个是收入水平）。"
            "报告也没说“传统农业收入”按月还是按年、是否包括自产自用的粮菜：如果它本来是年收入，"
            "按月读就会把务农收入高估到12倍。"
        ),
        code=('wage = utils.value("ch3.zhaotong_monthly_wage")\n'
              'n = utils.value("ch3.zhaotong_wage_multiple")\n'
              'farm = pd.DataFrame({"reading": ["严格读法", "口语读法"], "factor": [n + 1, n]})\n'
              'farm["farm_month"] = wage / farm["factor"]\n'
              'farm["farm_year"] = farm["farm_month"] * 12\n'
              "answer_q14 = farm"),
        mistakes=[
            Mistake("times-reading",
                    "两种读法的务农月收入对调了：严格读法下工资是务农收入的（N + 1）倍，除数更大，推出的务农收入更小。",
                    when=_swapped_readings, example=_zhaotong_swapped),
            Mistake("unit-scale",
                    "`farm_year` 与 `farm_month` 相同：月收入折成一年，要乘以12。",
                    when=_year_not_scaled, example=_zhaotong_monthly_year),
        ],
        topic="（三）对口帮扶", skills=("times-reading", "units", "pandas-build-frame", "pandas-derive-column"),
        capstone=True, level=3, track="拓展",
    )


@lesson.problem("q15")
def q15():
    return with_wrong(
        Discussion,
        "如果要比较产业、就业、搬迁三条路径“谁的作用更大”，你需要什么样的数据？"
        "同一个人被几条路径带动时，该怎么计算？",
        [
            "需要个人或农户层面的数据（例如建档立卡名单），记录每户参加了哪些项目，才能去重。",
            "一户受益于几条路径时，可以分别报告“只受益于一条”和“受益于多条”的户数，而不是把各条路径的人数相加。",
            "“作用大小”要和没有该路径时的情形比，需要可比的对照（条件相近、帮扶较晚或较少的地方或农户）。",
            "还要统一口径：同一年份、同一种数（人口而不是劳动力或占比）、同一个来源（调查或登记）。",
        ],
        hints=[
            "从哪里想起：回到练习3的图，三条路径相加为什么会超过总人数？",
            "往哪个方向想：要去重，数据要记到哪一级（每个人、每户，还是每条路径一个总数）？",
            "再进一步：“作用更大”是和什么比？没有这条路径时会怎样，需要什么样的对照？写下你的想法。",
        ],
        solution="没有唯一答案：上面的要点可以作为课堂讨论的起点，你的想法不必和它们一致。",
        topic="思考与讨论", skills=("sum-overlap", "survey-vs-register", "causal-claim"), level=3, track="拓展",
    )


@lesson.problem("q16")
def q16():
    east_p, east_c, west_p = _f("ch3.east_provinces"), _f("ch3.east_cities"), _f("ch3.west_provinces")
    return with_wrong(
        Discussion,
        "这一题讨论政策本身。（三）小节的“政策背景”说，东西部的结对在2021年前后调整过一次："
        "原来是东部的省市和城市分别对口西部的省区或市州，进入过渡期后改以省对省为主，名称也去掉了“扶贫”二字。"
        "你认为这样调整想解决什么问题，可能有什么代价？读报告里“截至2021年”的那组结对数字时，这次调整提醒你注意什么？",
        [
            f"调整前的格局：按2016年12月中共中央办公厅、国务院办公厅《关于进一步加强东西部扶贫协作工作的指导意见》"
            f"调整后的安排（国务院新闻办公室2016年12月8日新闻发布会上的介绍），东部{_n(east_p.value)}个省市和"
            f"{_n(east_c.value)}个城市帮扶西部{_n(west_p.value)}个省区市；有的城市就在参与帮扶的省份之内，"
            "受援的一方有的是整个省区、有的是一个市或州，一个西部省份可能对着几个帮扶方；"
            "此外，吉林、湖北、湖南的3个自治州和河北的3个市也有东部省市结对帮扶。",
            "调整的内容：进入过渡期后，“东西部扶贫协作”改称“东西部协作”；2021年4月在银川召开的"
            "全国东西部协作和中央单位定点帮扶工作推进会要求抓紧调整结对关系，调整后以省对省为主"
            "（例如广东改为帮扶广西、贵州）。"
            "过渡期里帮扶不撤：中共中央、国务院《关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见》"
            "（2020年12月印发，2021年3月公开发布）要求“摘帽不摘帮扶”。",
            "可能想解决的问题（这是我们的推想，不是文件原话）：一对一为主，谁对谁负责更清楚，便于长期规划产业、"
            "劳务和消费方面的协作；名称去掉“扶贫”，也和工作重心从脱贫转向巩固成果、乡村振兴相合。",
            "可能的代价：原先城市和市州之间建立起来的项目和人情联系要重新衔接；一个东部省份内部各市怎样分担、"
            "西部各地分到的资源是否均衡，要看调整后的数据才知道。",
            "读数字时：报告的结对个数和累计资金停在2021年，累计的年份可能跨过调整前后两套结对安排，"
            "不能当成一套稳定安排的成绩；要比较，需要按年份、按结对双方拆开的资金和项目数据，报告没有给。",
        ],
        hints=[
            "从哪里想起：回到（三）小节的“政策背景”：调整前谁和谁结对？调整后变成了什么样？",
            "往哪个方向想：结对从“多个帮扶方对一个受援方”变成以省对省为主，对责任、对长期合作、"
            "对已经建立起来的项目各意味着什么？",
            "再进一步：报告的结对数字和累计资金是截至哪一年的？它们覆盖的年份里，结对安排变过没有？写下你的想法。",
        ],
        solution="没有唯一答案：上面的要点可以作为课堂讨论的起点，你的想法不必和它们一致。"
                 "要点里的事实出自所列文件和会议；“想解决的问题”“可能的代价”是推想，欢迎用更多材料核对或反驳。",
        topic="思考与讨论", skills=("policy-context", "source-reading", "cumulative"), level=3,
    )


@lesson.problem("q17")
def q17():
    return with_wrong(
        Discussion,
        "进入昭通产业园工作的人，和留在村里务农的人，可能在年龄、健康、技能上不同。"
        "这会怎样影响“较当地传统农业收入增长4倍”这一比较的含义？如果你是报告的编辑，会怎样改写本章的“增长N倍”，"
        "让读者不会误解？",
        [
            "进园区的人可能本来就是劳动能力较强的人（这是一种可能，报告没有给出他们的构成）；"
            "拿他们的工资和“当地平均”的务农收入比，会把个人差别算成园区的作用。",
            "工资高于务农收入，不等于全家收入增加了同样多：进厂后可能不再种地，要看家庭总收入的变化。",
            "改写“增长N倍”：直接写出基期值，或写成“是…的N+1倍”“增加了N倍”，并写明比较的时间单位（月或年）。",
            "比较对象是另一种收入来源时，要写明它的口径（按月还是按年、是否含自产自用）。",
        ],
        hints=[
            "从哪里想起：进园区工作的人是随机挑出来的吗？他们和留在村里的人可能有什么不同？",
            "往哪个方向想：工资和务农收入比的是个人还是全家？是每月还是每年？",
            "再进一步：怎样改写“增长4倍”，让读者一眼看出基期和读法？写下你的改写。",
        ],
        solution="没有唯一答案：上面的要点可以作为课堂讨论的起点，你的想法不必和它们一致。",
        topic="思考与讨论", skills=("causal-claim", "times-reading", "units"), level=3, track="拓展",
    )
