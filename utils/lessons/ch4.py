"""第四章 巩固攻坚成果：监测与防止返贫 — exercises q1…q21, each declared on its own.

Every answer and every diagnosed wrong answer is computed from the data by id; no figure of the
report is typed here.  Order: 开篇 (q1–q2), （一） (q3–q6), （二） (q7–q9), （三） (q10–q11),
capstone (q12–q13), 结语·全书回顾 (q14–q15), 思考与讨论 (q16–q20), 对照原文 (q21).  Difficulty
rises from level 1 to level 3.  Each problem is one function registered on :data:`lesson`; the
figures they share come from :func:`_get` (looked up once per loaded data table).  Tracks: 基础 is
what every class does (the warm-ups, one instance of each reading skill, the chapter's main chart,
the policy discussion q19 and the check against the official text q21); the rest is 拓展.
"""
from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import pandas as pd

from ..data import figure, load_figures, national_series, report_list
from ..exercises import Chart, Choice, Code, Discussion, Interval, Mistake, MultiChoice, Numeric
from ..quantities import base_from_pct_change, format_cn
from .predicates import Lesson, column_has, has, lacks, near, safe, with_wrong

#: chapter number → the name a learner writes on the chart of q15
CHAPTER_LABELS = {1: "第一章", 2: "第二章", 3: "第三章", 4: "第四章"}

#: short name → figure id of the figures the problems share
FIGURE_IDS = {
    "relapse": "ch4.relapse_and_new_poor", "lifted": "intro.rural_poor", "rate_bound": "ch4.relapse_rate",
    "warning": "ch4.warning_line", "monitored": "ch4.monitored_identified",
    "accuracy": "ch4.identification_accuracy", "response": "ch4.response_time",
    "sc_identified": "ch4.sichuan_identified", "national": "ch4.stable_exit_rate",
    "henan": "ch4.henan_exit_rate", "gap": "ch4.henan_exit_rate_gap", "funds": "ch4.integrated_funds",
    "growth": "ch4.integrated_funds_growth", "followup": "ch4.relocation_followup_funds",
    "projects": "ch4.relocation_projects", "jobs": "ch4.relocation_jobs",
}
#: the three kinds of support of section (二), in the report's order
SUPPORT_IDS = ("ch4.industry_support", "ch4.employment_support", "ch4.social_support")

lesson = Lesson(4)


def _pct(x: float, digits: int = 2) -> str:
    return format_cn(x, "%", digits=digits)


@lru_cache(maxsize=4)
def _figures(_table: int) -> SimpleNamespace:
    found = {name: figure(i) for name, i in FIGURE_IDS.items()}
    return SimpleNamespace(supports=[figure(i) for i in SUPPORT_IDS], **found)


def _get(*names: str) -> tuple:
    """The shared figures named (see :data:`FIGURE_IDS`; ``supports`` is the list of three).  Looked up
    once per loaded figure table: the cache key is the identity of one Figure of the data's current
    (content-cached) index, and the cached namespace keeps that object alive, so a key is never reused."""
    shared = _figures(id(figure(FIGURE_IDS["relapse"])))
    return tuple(getattr(shared, n) for n in names)


def _rates() -> tuple[float, float]:
    """2021's returned + newly poor as a % of the people lifted out (q1) and of the monitored (q5)."""
    relapse, lifted, monitored = _get("relapse", "lifted", "monitored")
    return relapse.value / lifted.value * 100, relapse.value / monitored.value * 100


def _discussion(prompt, points, hints, topic, level=3, **kw):
    return Discussion(prompt, points, hints=hints, topic=topic, skills=("discussion",), level=level,
                      solution="参考要点见上；这些问题没有唯一答案，重要的是说清理由和需要什么数据。", **kw)


# ---------------------------------------------------------------------------
# reference frames for the code and chart problems (computed from the data, never typed)
# ---------------------------------------------------------------------------

def national_drops() -> pd.DataFrame:
    """q2: the national year-end rural poor population (outside the report) with each year's net drop
    and that drop as a % of the previous year-end count."""
    ns = national_series()[["year", "poor_population"]].copy()
    ns["上年末"] = ns["poor_population"].shift(1)
    ns["减少"] = ns["上年末"] - ns["poor_population"]
    ns["减少占比"] = ns["减少"] / ns["上年末"] * 100
    return ns.reset_index(drop=True)


def bounds_in_monitoring() -> pd.DataFrame:
    """q3: the figures of section (一) that are bounds (以上/以内), not exact values."""
    f = load_figures(4)
    part = f[(f["section"] == "(一)") & (f["qualifier"] != "exact")]
    return part[["id", "indicator", "qualifier", "quote"]].reset_index(drop=True)


def support_mix() -> pd.DataFrame:
    """q7: the three kinds of support of section (二), each as a share of their 人次 total."""
    f = load_figures(4)
    part = f[(f["section"] == "(二)") & (f["unit"] == "人次")][["id", "indicator", "value"]].copy()
    part["占比"] = part["value"] / part["value"].sum() * 100
    return part.reset_index(drop=True)


def denominator_chart() -> pd.DataFrame:
    """q5: 2021 returned + newly poor as a share of two candidate denominators (label, value in %)."""
    relapse = figure("ch4.relapse_and_new_poor").value
    rows = [(figure(i).indicator, relapse / figure(i).value * 100)
            for i in ("intro.rural_poor", "ch4.monitored_identified")]
    return pd.DataFrame(rows, columns=["label", "value"])


def capstone_frame() -> pd.DataFrame:
    """q12: monitored people not stably out of poverty (assumed denominator) beside 2021's returned + new poor."""
    m = figure("ch4.monitored_identified").value
    s = figure("ch4.stable_exit_rate").value
    r = figure("ch4.relapse_and_new_poor").value
    return pd.DataFrame({"指标": ["未稳定脱贫的监测对象（推算）", "返贫和新发生贫困"],
                         "人数": [m * (100 - s) / 100, r], "类型": ["存量", "当年发生"]})


def _capstone_example(first: float, second: float | None = None) -> pd.DataFrame:
    """A learner's capstone frame with the given 人数 (for the declared mistakes' examples)."""
    if second is None:
        second = figure("ch4.relapse_and_new_poor").value
    return pd.DataFrame({"指标": ["未稳定脱贫的监测对象", "返贫和新发生贫困"], "人数": [first, second],
                         "类型": ["存量", "当年发生"]})


def _section_rows(section: str) -> pd.DataFrame:
    f = load_figures(4)
    return f[f["section"] == section][["id", "indicator", "qualifier", "quote"]].reset_index(drop=True)


def _all_person_times() -> pd.DataFrame:
    f = load_figures(4)
    part = f[f["unit"] == "人次"][["id", "indicator", "value"]].copy()
    part["占比"] = part["value"] / part["value"].sum() * 100
    return part.reset_index(drop=True)


def _checkup_with_opening() -> pd.DataFrame:
    f = load_figures().copy()
    f["非确切"] = f["qualifier"] != "exact"
    table = f.groupby("chapter").agg(数字个数=("id", "size"), 非确切个数=("非确切", "sum")).reset_index()
    table["非确切占比"] = table["非确切个数"] / table["数字个数"] * 100
    return table


def checkup() -> pd.DataFrame:
    """q14 as checked: per chapter (1–4) the share of non-exact figures in %."""
    return checkup_counts()[["chapter", "非确切占比"]]


def checkup_counts() -> pd.DataFrame:
    """q14 in full: per chapter (1–4) the number of figures, of non-exact ones, and their share in %."""
    f = load_figures()
    f = f[f["chapter"] >= 1].copy()
    f["非确切"] = f["qualifier"] != "exact"
    table = f.groupby("chapter").agg(数字个数=("id", "size"), 非确切个数=("非确切", "sum")).reset_index()
    table["非确切占比"] = table["非确切个数"] / table["数字个数"] * 100
    table["chapter"] = table["chapter"].astype(int)
    return table


def _checkup_top():
    """The row of :func:`checkup_counts` with the highest share of non-exact figures."""
    return checkup_counts().sort_values("非确切占比", ascending=False).iloc[0]


def checkup_chart() -> pd.DataFrame:
    """q15: the share of non-exact figures per chapter, labelled 第一章 … 第四章."""
    table = checkup()
    return pd.DataFrame({"label": table["chapter"].map(CHAPTER_LABELS), "value": table["非确切占比"]})


# ---------------------------------------------------------------------------
# the problems, in notebook order
# ---------------------------------------------------------------------------

@lesson.problem("q1")
def q1():
    relapse, lifted, rate_bound, warning, monitored = _get("relapse", "lifted", "rate_bound", "warning", "monitored")
    rate, rate_531 = _rates()
    return with_wrong(
        Numeric,
        f"报告给了返贫率的上限（{rate_bound.text}），却没说分母是谁。先试最自然的一个：把开篇宣告脱贫的{lifted.text}当作分母，"
        f"{relapse.period}返贫和新发生贫困的{relapse.text}占它百分之几？保留两位小数，写百分数的数字"
        "（例如写1.23表示1.23%）。",
        rate,
        unit="%",
        digits=2,
        rel_tol=0.02,
        topic="比率与分母",
        skills=("ratio", "read-qualifier"),
        level=1,
        hints=[
            f"要用的两个数：分子是 utils.figure(\"{relapse.id}\")，分母是 utils.figure(\"{lifted.id}\")；"
            "它们的 .value 都已经以“人”为单位。",
            "比率（%）= 部分 ÷ 整体 × 100。",
            f"代入：{format_cn(relapse.value)} ÷ {format_cn(lifted.value)} × 100 —— 算出来后保留两位小数。",
        ],
        solution=(
            f"【推算】{relapse.text} ÷ {lifted.text} × 100 ≈ {_pct(rate)}。它落在报告说的“{rate_bound.text}”之内，"
            f"也远低于报告所说的“{warning.text}的预警线”（这条线是报告的说法，报告没有注明出处）。但分母是我们假设的，报告没写；"
            f"而且{relapse.text}是“返贫”和“新发生贫困”两类人的合计，严格说不全是“返贫”。"
        ),
        code=(f'r = utils.figure("{relapse.id}").value\n'
              f'base = utils.figure("{lifted.id}").value\n'
              "round(r / base * 100, 2)"),
        mistakes=[
            Mistake("wrong-denominator",
                    f"你用的分母是{monitored.text}监测对象。那是第（一）节的数字；这一题要的是以开篇的"
                    f"{lifted.text}为分母——两种分母的差别，本章后面还会专门比较。",
                    value=rate_531),
            Mistake("lower-bound-exact",
                    f"你写的是报告给出的“{rate_bound.text}”。那是一个上限，不是用分母算出来的比例；"
                    "请用两个人数自己算。",
                    value=rate_bound.value, rel_tol=0.001),
            Mistake("unit-scale",
                    "你得到的是小数形式的比值（还没乘100）。题目要百分数的数字：再乘以100。",
                    value=rate / 100),
            Mistake("inverted-ratio",
                    "比值倒过来了：你算的是“分母 ÷ 分子”。比率是部分 ÷ 整体。",
                    value=lifted.value / relapse.value),
        ],
    )


@lesson.problem("q2")
def q2():
    (relapse,) = _get("relapse")
    d = national_drops()
    first, last = d.iloc[0], d.iloc[-1]
    later = d.iloc[1:]
    low = later.loc[later["减少"].idxmin()]
    early = later.iloc[0]

    def wan(x) -> str:
        return format_cn(float(x), "人")

    low_share = f"{_pct(low['减少占比'], 1)}" if low["减少占比"] < 100 else "100%"
    low_op = "=" if low["减少"] == low["上年末"] else "≈"
    early_calc = (f"{int(early['year'])}年：{wan(early['减少'])} ÷ {wan(early['上年末'])} × 100 "
                  f"≈ {_pct(early['减少占比'], 1)}")
    low_note = "这一年年末清零；" if low["poor_population"] == 0 else ""
    low_calc = f"{int(low['year'])}年：{wan(low['减少'])} ÷ {wan(low['上年末'])} × 100 {low_op} {low_share}"
    return with_wrong(
        MultiChoice,
        f"回看本节开头的折线图（报告之外的背景数据：国家统计局公布的各年年末农村贫困人口，现行标准）。"
        f"它从{int(first['year'])}年末的{wan(first['poor_population'])}一路降到{int(last['year'])}年末的"
        f"{wan(last['poor_population'])}。下面哪些读法是这张图支持的？（可多选）",
        {
            "A": "图上每个点是那一年年末仍在贫困线以下的人数（一个时点上的存量），不是那一年脱贫的人数。",
            "B": "相邻两年的落差是进出相抵后的净减少：这一年脱贫的人，减去这一年新陷入贫困（包括返贫）的人等。"
                 "只看这条线，说不出每年有多少人返贫。",
            "C": f"{int(low['year'])}年末只比上一年末少了{wan(low['减少'])}，是{int(early['year'])}年以来减得最少的一年，"
                 "说明这一年的脱贫工作力度最弱。",
            "D": f"可以把报告说的{relapse.period}“{relapse.text}”接在这条线后面，画成{relapse.period}的一个点："
                 f"贫困人口从0反弹到了{relapse.text}。",
        },
        "AB",
        topic="读图：存量与净变化",
        skills=("chart-reading", "stock-flow", "denominators"),
        level=1,
        explanations={
            "A": "国家统计局公报给的是“年末农村贫困人口”：年末那一刻还剩多少人，是存量。",
            "B": "年末人数的变化是离开和进入相抵的结果；进入的人（新致贫、返贫）被离开的人抵掉了，线上看不出来。",
            "C": "减少的人数要和上一年末还剩多少人比：剩下的人越少，能减少的就越少。",
            "D": f"{relapse.text}是{relapse.period}这一年里返贫和新发生贫困的人数（一年里发生的数），"
                 "不是年末还在贫困线以下的人数；报告也没有注明它的来源，没说它与这条线按同一口径统计。",
        },
        hints=[
            "先弄清图上一个点是什么：是“那一年里发生的事”，还是“年末那一刻还剩多少人”？",
            "年末人数的变化 = 这一年离开贫困的人 − 这一年进入贫困的人（新陷入的、返贫的）。"
            "比较各年减少得多不多，还要看上一年末还剩多少人。",
            "对每个选项问：它说的是存量、净变化，还是把一年里发生的数当成了年末的数？"
            "需要算的，先算一算减少的人数占上一年末人数的比例。",
        ],
        solution=(
            "选 A、B。A：图上的点是年末存量。B：相邻两年之差是进出相抵后的净变化，"
            "新陷入贫困和返贫的人被脱贫的人抵掉了，图上看不出来。"
            f"C 错：各年减少的人数要除以上一年末的人数才能比。【推算】{early_calc}；{low_calc}。"
            "减得少，是因为剩下的人少，不能说明力度弱。"
            f"D 错：{relapse.text}是{relapse.period}一年里返贫和新发生贫困的人数，是一年里发生的数，"
            "报告没有说这些人到年底是否仍在贫困线以下，也没有注明来源；它不是这条年末存量的延续，不能接成一条线。"
        ),
        mistakes=[
            Mistake("wrong-denominator",
                    f"你选了 C：各年减少的人数要和上一年末还剩多少人比。【推算】{low_calc}——"
                    f"{low_note}减得少，是因为剩下的人少。",
                    when=has("C"), example="ABC"),
            Mistake("cumulative-annual",
                    f"你选了 D：折线上的点是年末存量，{relapse.text}是{relapse.period}一年里返贫和新发生贫困的人数"
                    f"（一年里发生的数），两者不是同一种数；报告也没有注明{relapse.text}的来源，不能接成一条线。",
                    when=has("D"), example="ABD"),
        ],
    )


@lesson.problem("q3")
def q3():
    bounds_frame = bounds_in_monitoring()
    return with_wrong(
        Code,
        "第（一）小节的数字里，哪些不是确切值，而是带“以上”“以内”的界限？"
        "用 utils.load_figures(4) 取出第四章的数字，筛出 section 为 \"(一)\"、且 qualifier 不是 \"exact\" 的行，"
        "只保留 id、indicator、qualifier、quote 四列，存为 answer_q3。",
        bounds_in_monitoring,
        columns=["id", "qualifier"],
        only_columns=["id", "indicator", "qualifier", "quote"],
        sort_by="id",
        topic="筛选：哪些数字是界限",
        skills=("pandas-select", "pandas-filter", "read-qualifier"),
        level=1,
        hints=[
            "先看表：ch4 = utils.load_figures(4)；section 列写的是小节（如 \"(一)\"），qualifier 列写的是限定词代码。",
            "两个条件同时成立用 &，每个条件要加括号：ch4[(条件1) & (条件2)]；“不是”用 !=。",
            "条件写成 (ch4[\"section\"] == \"(一)\") 和 (ch4[\"qualifier\"] != \"exact\")；筛完再用 [[…四个列名…]] 选列。",
        ],
        solution=(
            f"筛出{len(bounds_frame)}行：" + "、".join(f"{figure(i).indicator}（{figure(i).text}）"
                                                  for i in bounds_frame["id"])
            + "。“以上”是下限，“以内”是上限。注意效率类的数字几乎都是界限，而且都没有给比较的起点。"
        ),
        code=('ch4 = utils.load_figures(4)\n'
              'part = ch4[(ch4["section"] == "(一)") & (ch4["qualifier"] != "exact")]\n'
              'answer_q3 = part[["id", "indicator", "qualifier", "quote"]]'),
        mistakes=[
            Mistake("wrong-figure",
                    "你的表里还有确数（qualifier 为 \"exact\"）的行：只筛了小节，漏了“不是确数”这个条件。",
                    when=safe(lambda t: (t["qualifier"] == "exact").any()),
                    example=lambda: _section_rows("(一)")),
        ],
    )


@lesson.problem("q4")
def q4():
    monitored, accuracy = _get("monitored", "accuracy")
    acc_low = accuracy.bounds[0]
    wrong_high = monitored.value * (100 - acc_low) / 100
    return with_wrong(
        Interval,
        f"报告说识别准确率“{accuracy.text}”。先假设“准确率”指识别出的人里确实有风险的比例（报告没有定义），"
        f"并把它用到累计识别的{monitored.text}上：其中可能识别有误的人数，最少和最多各是多少？"
        "写成 (下限, 上限)，人数可以写成\"12.3万\"这样的文字。",
        0,
        wrong_high,
        unit="人",
        topic="界限换算成人数",
        skills=("read-qualifier", "bounds", "part-of-whole"),
        level=2,
        hints=[
            f"“以上”说明准确率的范围是{_pct(acc_low)}到100%。识别有误的比例 = 100% − 准确率。",
            "准确率越高，识别有误的人越少：准确率取100%时得到人数的下限，取最低值时得到上限。",
            f"上限 = {format_cn(monitored.value)} × (100 − {acc_low:g}) ÷ 100；下限对应准确率100%的情形。",
        ],
        solution=(
            f"【推算】上限 = {monitored.text} × (100% − {_pct(acc_low)}) = {format_cn(wrong_high, '人')}；"
            "下限是0（准确率若为100%）。所以报告的说法只允许我们说“最多约"
            f"{format_cn(wrong_high, '人')}可能识别有误”。两点提醒：“准确率”的定义是我们假设的；"
            "而且无论它多高，该识别却没有识别出来的人（漏识别）都不在这个名单里，准确率说明不了他们。"
        ),
        code=(f'm = utils.figure("{monitored.id}").value\n'
              f'acc = utils.figure("{accuracy.id}").value\n'
              "(0, m * (100 - acc) / 100)"),
        mistakes=[
            Mistake("lower-bound-exact",
                    f"你把下限也写成了约{format_cn(wrong_high, '人')}：这等于把“{accuracy.text}”当成了正好"
                    f"{_pct(acc_low)}。“以上”是下限，准确率可以更高，识别有误的人就可以更少。",
                    when=safe(lambda a: near(wrong_high, 0.02)(a[0]) and near(wrong_high, 0.02)(a[1])),
                    example=(wrong_high, wrong_high)),
            Mistake("wrong-figure",
                    "你算的是“识别准确”的人数，题目问的是可能识别有误的人数（100%减去准确率那一部分）。",
                    when=safe(lambda a: any(near(monitored.value * acc_low / 100, 0.02)(v) for v in a)),
                    example=(0, monitored.value * acc_low / 100)),
            Mistake("unit-scale",
                    f"量级不对：{_pct(100 - acc_low)}要换成{(100 - acc_low) / 100:g}再乘，或乘完再除以100。",
                    when=safe(lambda a: near(wrong_high * 100, 0.02)(a[1])), example=(0, wrong_high * 100)),
        ],
    )


@lesson.problem("q5")
def q5():
    relapse, lifted, warning, monitored = _get("relapse", "lifted", "warning", "monitored")
    rate, rate_531 = _rates()
    return Chart(
        f"同样的{relapse.text}，分母换了，比率差多少？用 utils.figures(\"{lifted.id}\", \"{monitored.id}\") "
        "取出两个候选分母（它的 indicator 列就是标签），加一列“比率”= 返贫和新发生贫困人数 ÷ 分母 × 100，"
        "再用 seaborn 画横向条形图（纵轴是 indicator，横轴是比率）。横轴标签要写明单位（%），并加标题。",
        denominator_chart,
        kind="bar",
        unit="%",
        topic="换一个分母",
        skills=("derive-column", "seaborn-bar", "ratio"),
        level=2,
        hints=[
            f"答题单元格已经取好了数：r 是分子（{relapse.text}），d 的 value 列是两个候选分母，indicator 列是它们的名字。",
            "比率 = 分子 ÷ 分母 × 100：对 d 的 value 列整列运算，一步就算出两行。横向条形图里，x 放数值列，y 放标签列。",
            "新列“比率”由分子 r 和 d 的 value 列整列算出（别忘了乘100）；画图时比率放在 x、名字放在 y。"
            "横轴标签（带“%”）和标题请自己写上，然后运行 ex.q5.check()。",
        ],
        solution=(
            f"【推算】以{lifted.text}为分母 ≈ {_pct(rate)}；以{monitored.text}为分母 ≈ {_pct(rate_531)}。"
            f"同样的{relapse.text}，以{lifted.text}为分母远低于报告所说的“{warning.text}的预警线”，以{monitored.text}为分母"
            f"却{'高于' if rate_531 > warning.value else '低于'}它（{_pct(rate_531)} {'>' if rate_531 > warning.value else '<'} {_pct(warning.value)}）。"
            "哪个分母对？报告没说；那条“预警线”出自哪里，报告也没说。"
            f"{monitored.text}是“有风险、被识别的人”，而新发生贫困的人未必事先就在名单里，所以它作分母并不合适——"
            "这里只是借它说明：不交代分母的比率，只说了一半。"
        ),
        code=('import seaborn as sns\nimport matplotlib.pyplot as plt\n'
              f'r = utils.figure("{relapse.id}").value\n'
              f'd = utils.figures("{lifted.id}", "{monitored.id}")\n'
              'd["比率"] = r / d["value"] * 100\n'
              'sns.barplot(data=d, x="比率", y="indicator")\n'
              'plt.xlabel("占分母的比例（%）")\n'
              'plt.title("同样的人数，分母不同，比率不同")'),
    )


@lesson.problem("q6")
def q6():
    relapse, accuracy, response, sc_identified = _get("relapse", "accuracy", "response", "sc_identified")
    sc_share, sc_time = figure("ch4.sichuan_helped_share"), figure("ch4.sichuan_help_time")
    return with_wrong(
        Choice,
        f"报告说，与传统人工排查相比，识别准确率提高到了“{accuracy.text}”，响应时间缩短到了“{response.text}”。"
        "要判断新模式到底进步了多少，下面哪一项信息最不可少？",
        {
            "A": "传统人工排查模式下，按同一个定义测得的识别准确率和响应时间（比较的起点）",
            "B": f"四川省{sc_identified.period}识别的易返贫人口中，{sc_time.text}得到帮扶的比例"
                 f"（报告给的是{sc_share.text}）",
            "C": f"什么都不缺：准确率已经在{accuracy.text}，接近100%，这本身就说明进步很大",
            "D": f"新模式推行以后，{relapse.period}返贫和新发生贫困的人数（{relapse.text}）",
        },
        "A",
        topic="先找比较的基准",
        skills=("no-baseline", "reading"),
        level=2,
        explanations={
            "A": "“提升至”“缩短至”只给了终点。有了同一定义下的起点，才算得出提升了多少。",
            "B": f"这是另一个指标（{sc_time.text}得到帮扶），又只是一个省；数字恰好也是{sc_share.text}，容易当成起点。",
            "C": "水平高不等于进步大：如果传统模式原来就有九成多，提升就不大。没有起点，说不出变化。",
            "D": "这是新模式推行之后的另一项结果；它既不是准确率的起点，也说明不了结果是新模式带来的。",
        },
        hints=[
            "读原话里的动词：“提升至”“缩短至”说的是终点，还是变化量？",
            "“进步了多少” = 新模式的水平 与 旧模式的水平 之差（或之比）；两个水平都要有，而且要按同一个定义量。",
            "对每个选项问：它给的是旧模式的水平，还是另一个地方、另一个指标、或者之后发生的另一件事？",
        ],
        solution=(
            f"选 A。报告只给了新模式的水平（{accuracy.text}、{response.text}），比较对象“传统人工排查模式”的水平"
            "一个也没给：没有起点，就说不出进步有多大，也排除不了“原来就已经很高”的可能（C 正是把水平当成了进步）。"
            f"B 是四川{sc_time.text}得到帮扶的比例，指标和地区都不同，只是数字碰巧相近；"
            "D 是新模式推行之后的结果，不是比较的起点，拿它来证明新模式有效，是把先后当成了因果。"
            "还要注意两点：起点必须按同一个定义量（“准确率”是识别对的占识别出的比例，还是该识别的被识别出来的比例？"
            "报告没说）；即使有了起点，要说进步是新模式带来的，还需要同期没有换模式的地方作对照。"
        ),
        mistakes=[
            Mistake("wrong-figure",
                    f"那是四川{sc_time.text}得到帮扶的比例，指标和地区都不是题目问的；"
                    "数字碰巧相近，不等于它就是准确率的起点。",
                    when=has("B"), example="B"),
            Mistake("no-baseline",
                    "水平高不等于进步大。“提升至”只给了终点，没有传统模式的水平作起点，说不出进步了多少。",
                    when=has("C"), example="C"),
            Mistake("causal-claim",
                    "新模式推行之后的返贫人数是另一项结果，不是比较的起点；"
                    "拿它证明新模式有效，是把先后当成了因果。",
                    when=has("D"), example="D"),
        ],
    )


@lesson.problem("q7")
def q7():
    mix = support_mix()
    return with_wrong(
        Code,
        "三类帮扶里，哪一类的人次最多？用 utils.load_figures(4) 筛出 section 为 \"(二)\"、unit 为 \"人次\" 的三行，"
        "保留 id、indicator、value 三列，再加一列“占比”：每类人次 ÷ 三类人次之和 × 100。结果存为 answer_q7。",
        support_mix,
        columns=["id", "占比"],
        sort_by="id",
        topic="派生一列：人次的构成",
        skills=("pandas-filter", "derive-column", "share"),
        level=2,
        hints=[
            "和练习3一样先筛选，只是条件换成 section 和 unit 两列。筛完记得用 .copy()，再加新列。",
            "三类之和是整列的和：part[\"value\"].sum()。新列 = 每行的 value ÷ 这个和 × 100。",
            "新列“占比”= 每行的 value 除以上一步那个和，再乘100；写好后把 part 赋给 answer_q7，看看三行加起来是不是100。",
        ],
        solution=(
            "【推算】" + "；".join(f"{r.indicator}：{format_cn(r.value, '人次')} ÷ "
                                 f"{format_cn(mix['value'].sum(), '人次')} × 100 ≈ {_pct(r.占比, 1)}"
                                 for r in mix.itertuples())
            + "。这是“人次”的构成，不是“人”的构成：同一个人可能同时出现在两类里，"
              "所以不能说“约四成监测对象得到了综合保障帮扶”。"
        ),
        code=('ch4 = utils.load_figures(4)\n'
              'part = ch4[(ch4["section"] == "(二)") & (ch4["unit"] == "人次")][["id", "indicator", "value"]].copy()\n'
              'part["占比"] = part["value"] / part["value"].sum() * 100\n'
              'answer_q7 = part'),
        mistakes=[
            Mistake("unit-scale",
                    "“占比”这一列加起来是1，不是100：你得到的是小数形式的比值，还要乘以100换成百分数。",
                    when=safe(lambda t: abs(float(t["占比"].sum()) - 1) < 0.01),
                    example=lambda: support_mix().assign(占比=lambda t: t["占比"] / 100)),
            Mistake("wrong-figure",
                    "你的表里混进了第（三）节的“带动就业”人次：题目只要第（二）节的三类帮扶。",
                    when=safe(lambda t: len(t) == 4 and "ch4.relocation_jobs" in set(t["id"])),
                    example=lambda: _all_person_times()),
        ],
    )


@lesson.problem("q8")
def q8():
    monitored, supports = _get("monitored", "supports")
    support_sum = sum(f.value for f in supports)
    return with_wrong(
        MultiChoice,
        f"有人把三类帮扶的人次加起来（{format_cn(support_sum, '人次')}），拿去和累计识别的{monitored.text}"
        "监测对象比，说“帮扶比监测对象还多”。这样比，有哪些问题？（可多选）",
        {
            "A": "人次会把同一个人重复计数，人次之和不是人数。",
            "B": f"帮扶人次是{supports[0].period}当年的数，监测对象是截至{monitored.period_end}年的累计数，"
                 "时期不同，不能拿来相减或相除。",
            "C": f"两者之差说明约有{format_cn(support_sum - monitored.value, '人')}不是监测对象，却也得到了帮扶。",
            "D": "报告数字有误：帮扶的次数不可能超过人数。",
            "E": "把人次之和除以3，就得到了得到帮扶的人数。",
        },
        "AB",
        topic="人次与人、当年与累计",
        skills=("person-times", "cumulative-annual"),
        level=2,
        explanations={
            "A": "一个人既参加产业项目、又被介绍去打工，就记2人次。",
            "B": "本章的规则：当年数和累计数可以并排列出（标明时期），但不放进同一个差或比值里。",
            "C": "仅“同一人得到多类帮扶”就足以解释差额；要回答 C，需要按人去重的名单。",
            "D": "人次大于人数很正常，谈不上有误。",
            "E": "每人得到的帮扶次数各不相同，除以3没有根据。",
        },
        hints=[
            "看两边的单位和时期：帮扶是什么单位、哪一年？监测对象是什么单位、截至哪一年？",
            "单位不同（人次 vs 人）是一个问题；时期不同（当年 vs 累计）是另一个问题。",
            "逐条问自己：这个选项是指出了比较本身的毛病，还是从这个有毛病的比较里又推出了新结论？",
        ],
        solution=(
            f"选 A、B。【推算】三类相加 = {' + '.join(f.text for f in supports)} = {format_cn(support_sum, '人次')}。"
            f"它和{monitored.text}之间隔着两道坎：单位（人次 ≠ 人）和时期（当年 ≠ 累计）。"
            "所以这组数字既不能说明“每个监测对象都得到了帮扶”，也不能说明有多少人一次帮扶都没得到。"
        ),
        mistakes=[
            Mistake("person-times",
                    "你把“人次”当成了人数（或以为人次不能超过人数）。人次按次数计，同一个人可以记好几次。",
                    when=lambda a: any(has(x)(a) for x in "CDE"), example="ABC"),
            Mistake("cumulative-annual",
                    f"你漏了 B：帮扶人次是当年数，{monitored.text}是累计数。当年与累计不能放进同一个差或比值里。",
                    when=lacks("B"), example="A"),
        ],
    )


@lesson.problem("q9")
def q9():
    national, henan, gap = _get("national", "henan", "gap")
    implied = henan.value - gap.value
    misread = henan.value / (1 + gap.value / 100)
    relative_gap = gap.value / national.value * 100
    return with_wrong(
        MultiChoice,
        f"河南省监测对象脱贫率为{henan.text}，比全国平均水平高{gap.text}；报告另一处说全国有"
        f"{_pct(national.value)}的监测对象实现稳定脱贫。两处能对上："
        f"{henan.value:g} − {gap.value:g} = {implied:g}。下面哪些说法成立？（可多选）",
        {
            "A": "两处对上了，这证明“监测对象脱贫率”和“稳定脱贫比例”是同一个口径。",
            "B": "两处数字没有互相矛盾；但它们是否按同一个定义统计，要看指标的定义，而报告没有给。",
            "C": "河南比全国高出的部分，是河南按致贫原因分类施策带来的。",
            "D": f"若把“高{gap.text}”误读成“高{_pct(gap.value)}”，倒推出的全国数约为{_pct(misread, 1)}，就对不上了。",
            "E": f"换成相对差距，河南比全国高约{_pct(relative_gap, 0)}。",
        },
        "BDE",
        topic="一致性检验能说明什么",
        skills=("points", "consistency", "causal-claim"),
        level=2,
        explanations={
            "A": "算术上对得上，只说明两个数不互相矛盾；是否同一定义，算术证明不了。",
            "B": "这正是一致性检验能说明的全部。",
            "C": "两省监测对象的构成、经济条件可能不同；并列的两个数不能说明因果。",
            "D": f"【推算】{henan.value:g} ÷ (1 + {gap.value:g}%) ≈ {misread:.1f}，与报告的全国数对不上。",
            "E": f"【推算】{gap.value:g} ÷ {national.value:g} × 100 ≈ {_pct(relative_gap)}，约{_pct(relative_gap, 0)}。",
        },
        hints=[
            "分两类看选项：哪些在说“数字对得上意味着什么”，哪些要动手算一算。",
            "“高N个百分点”是两个百分数直接相减的差；相对差距 = 差 ÷ 被比较的那个数 × 100。",
            f"D要算{henan.value:g} ÷ (1 + {gap.value:g}/100)，E要算{gap.value:g} ÷ {national.value:g} × 100；算完再判断。",
        ],
        solution=(
            "选 B、D、E。B：一致性检验只能说明数字没有自相矛盾。"
            f"D：【推算】{henan.value:g} ÷ (1 + {gap.value:g}%) ≈ {_pct(misread, 1)}，和报告的全国数对不上——把百分点当百分比会出错。"
            f"E：【推算】{gap.value:g} ÷ {national.value:g} × 100 ≈ {_pct(relative_gap)}。"
            "A 错：算术对得上不等于定义相同（“脱贫率”和“稳定脱贫”用词就不一样）。"
            "C 错：这是把并列当因果，两省的监测对象可能本来就不一样。"
        ),
        mistakes=[
            Mistake("causal-claim",
                    "你选了 C：两个并列的百分数说明不了因果。河南高出的部分也可能来自监测对象构成或经济条件的不同。",
                    when=has("C"), example="BCDE"),
            Mistake("points-as-percent",
                    f"D 和 E 都成立：“高{gap.text}”与“高{_pct(gap.value)}”不是一回事。按后者倒推，全国数就对不上（D）；"
                    "把百分点换成相对差距，又是另一个数（E）。两种读法各算一算。",
                    when=lambda a: lacks("D")(a) or lacks("E")(a), example="B"),
            Mistake("wrong-figure",
                    "你选了 A：数字对得上只说明它们不互相矛盾，证明不了两者按同一个定义统计。",
                    when=has("A"), example="ABDE"),
        ],
    )


@lesson.problem("q10")
def q10():
    funds, growth = _get("funds", "growth")
    funds_2020 = base_from_pct_change(funds.value, growth.value)
    funds_wrong_base = funds.value * (1 - growth.value / 100)
    return with_wrong(
        Numeric,
        f"{funds.period}脱贫县整合使用的涉农资金为{funds.text}，比{growth.base_period}年多{_pct(growth.value)}。"
        f"{growth.base_period}年的规模是多少元？（可以写\"800亿\"这样的文字，也可以写以“亿”为单位的数字）",
        funds_2020,
        unit="元",
        rel_tol=0.005,
        topic="由增长率反推基期",
        skills=("pct-change", "base-year"),
        level=2,
        hints=[
            f"“比{growth.base_period}年多{_pct(growth.value)}”的基数是哪一年？增长率 = (今年 − 基年) ÷ 基年。",
            "把公式倒过来：今年 = 基年 × (1 + 增长率)，所以 基年 = 今年 ÷ (1 + 增长率)。",
            f"代入：{format_cn(funds.value)} ÷ (1 + {growth.value:g}/100) —— 剩下的除法请自己算。",
        ],
        solution=(
            f"【推算】{funds.text} ÷ (1 + {_pct(growth.value)}) = {format_cn(funds_2020, '元')}。"
            f"用{funds.text} × (1 − {_pct(growth.value)}) = {format_cn(funds_wrong_base, '元')} 是错的："
            f"“增长{_pct(growth.value)}”的基数是{growth.base_period}年，而不是{funds.period_end}年。"
            "另外这是名义金额，没有扣除物价变化；“规模”变大也不等于钱用得更好。"
        ),
        code=(f'f = utils.figure("{funds.id}").value\n'
              f'g = utils.figure("{growth.id}").value\n'
              "utils.to_yi(f / (1 + g / 100))"),
        mistakes=[
            Mistake("wrong-base-year",
                    f"你算的是{funds.text} × (1 − {_pct(growth.value)})：把“较{growth.base_period}年增长”的基数当成了"
                    f"{funds.period_end}年。增长率是以{growth.base_period}年为基数算的，应当用除法倒推。",
                    value=funds_wrong_base, rel_tol=0.002),
            Mistake("arithmetic",
                    f"你往前推了一年：{funds.text} × (1 + {_pct(growth.value)}) 是“再增长一次”之后的数。"
                    f"题目问的是{growth.base_period}年，要往回推。",
                    value=funds.value * (1 + growth.value / 100), rel_tol=0.002),
            Mistake("wrong-unit",
                    f"你把“增长{_pct(growth.value)}”当成了“增加{growth.value:g}亿元”。百分比要乘以基数才是金额。",
                    value=funds.value - growth.value * 1e8, rel_tol=0.0005),
        ],
    )


@lesson.problem("q11")
def q11():
    followup, projects, jobs = _get("followup", "projects", "jobs")
    per_project = followup.value / projects.value
    jobs_per_project = jobs.value / projects.value
    return with_wrong(
        Numeric,
        f"易地搬迁后续扶持资金投入{followup.text}，建了{projects.text}配套产业项目。"
        "不管这笔钱有多少用在了这些项目上，平均每个项目分到的钱都有一个上限。这个上限是多少元？"
        "（可以写\"80万\"这样的文字）",
        per_project,
        unit="元",
        rel_tol=0.005,
        topic="除以一个下限，得到什么",
        skills=("read-qualifier", "bounds", "ratio"),
        level=3,
        track="拓展",
        hints=[
            f"两个数：资金 utils.figure(\"{followup.id}\")，项目数 utils.figure(\"{projects.id}\")。项目数前面有“超过”：它是下限。",
            "平均每个项目 = 用在项目上的钱 ÷ 项目个数。钱最多就是全部资金；个数至少是报告给的那个数。",
            f"分子取最大、分母取最小，得到的就是上限：{format_cn(followup.value)} ÷ {format_cn(projects.value)}。",
        ],
        solution=(
            f"【推算】{followup.text} ÷ {format_cn(projects.value, projects.unit)} = {format_cn(per_project, '元')}。"
            f"因为项目“{projects.text}”（分母至少这么多），用在项目上的钱又不会超过{followup.text}（分子至多这么多），"
            f"平均每个项目一定不到{format_cn(per_project, '元')}——这是上限，不能说“每个项目投入{format_cn(per_project, '元')}”。"
            f"同一句里还有“带动就业{jobs.text}”：【推算】{jobs.text} ÷ {format_cn(projects.value, projects.unit)} ≈ "
            f"{format_cn(jobs_per_project, '人次', digits=0)}/个，但它既不是人数（人次会重复计数），"
            f"就业也未必都来自这些项目，所以不能说“每个项目带动{format_cn(jobs_per_project, '人', digits=0)}就业”。"
        ),
        code=(f'money = utils.figure("{followup.id}").value\n'
              f'n = utils.figure("{projects.id}").value\n'
              "money / n"),
        mistakes=[
            Mistake("inverted-ratio",
                    "比值倒过来了：你算的是“每元钱对应多少个项目”。平均每个项目的钱 = 钱 ÷ 项目数。",
                    value=projects.value / followup.value),
            Mistake("wrong-figure",
                    f"你用的分母是“{jobs.text}”。那是带动就业的人次，不是项目个数。",
                    value=followup.value / jobs.value),
            Mistake("unit-scale",
                    f"数量级不对：{format_cn(projects.value)} = {projects.value:,.0f}，{format_cn(followup.value)} = {followup.value:,.0f}。重新数一数零的个数。",
                    when=lambda v: any(near(per_project * k, 0.01)(v) for k in (10, 100, 0.1, 0.01, 1e4, 1e-4)),
                    example=per_project * 10),
        ],
    )


@lesson.problem("q12")
def q12():
    relapse, lifted, monitored, national = _get("relapse", "lifted", "monitored", "national")
    not_stable_share = 100 - national.value
    not_stable = monitored.value * not_stable_share / 100
    stable = monitored.value * national.value / 100
    return with_wrong(
        Code,
        f"假设报告说的“{_pct(national.value)}的监测对象实现稳定脱贫”，分母就是累计识别的{monitored.text}"
        "监测对象（报告没有写明）。建一张两行的表 answer_q12，把两个“还没走出困境”的数放在一起："
        f"第一行是按这个假设推算的、截至{monitored.period_end}年底还没有实现稳定脱贫的监测对象人数，"
        f"第二行是{relapse.period}返贫和新发生贫困的人数。列名为：指标（文字，自己写）、人数（以“人”为单位，不要换成万）、"
        "类型（第一行写 \"存量\"，第二行写 \"当年发生\"）。所有数字都用 utils.figure(...) 按编号取，不要手抄。",
        capstone_frame,
        columns=["人数", "类型"],
        sort_by="人数",
        capstone=True,
        topic="综合题：两个数，两件事",
        skills=("figure-by-id", "complement", "part-of-whole", "tidy-frame", "concepts"),
        level=3,
        track="拓展",
        hints=[
            f"要三个数：监测对象 utils.figure(\"{monitored.id}\")、稳定脱贫比例 utils.figure(\"{national.id}\")、"
            f"返贫和新发生贫困 utils.figure(\"{relapse.id}\")，都取 .value。",
            "“没有稳定脱贫”的比例 = 100 − 稳定脱贫的比例（都以%计）；人数 = 监测对象 × 这个比例 ÷ 100。"
            "表用 pd.DataFrame({列名: [第一行, 第二行], …}) 来建（先 import pandas as pd）。",
            f"第一行的人数写成 m * (100 - s) / 100（m、s 是前两个数），第二行就是第三个数；类型列是 [\"存量\", \"当年发生\"]。",
        ],
        solution=(
            f"【推算】{monitored.text} × (100% − {_pct(national.value)}) = {monitored.text} × {_pct(not_stable_share)}"
            f" ≈ {format_cn(not_stable, '人', digits=1)}（在“分母是{monitored.text}”的假设下）。"
            f"它比{relapse.text}大得多，但两者并不矛盾，因为说的不是一回事："
            "前者是监测名单里到年底还没“稳定脱贫”的人——一个存量，他们有风险，却未必在贫困线以下；"
            f"后者是{relapse.period}这一年里真正返贫或新陷入贫困的人——一个当年发生的数，其中新致贫的人未必事先在名单里。"
            "报告没有定义“稳定脱贫”，所以也说不出这些人里有多少已在贫困线以下。练习13接着讨论。"
        ),
        code=('import pandas as pd\n'
              f'm = utils.figure("{monitored.id}").value\n'
              f's = utils.figure("{national.id}").value\n'
              f'r = utils.figure("{relapse.id}").value\n'
              'answer_q12 = pd.DataFrame({\n'
              '    "指标": ["未稳定脱贫的监测对象（推算）", "返贫和新发生贫困"],\n'
              '    "人数": [m * (100 - s) / 100, r],\n'
              '    "类型": ["存量", "当年发生"],\n'
              '})'),
        mistakes=[
            Mistake("wrong-figure",
                    f"你的第一行是实现了稳定脱贫的人数（{monitored.text} × {_pct(national.value)}）。"
                    "题目要的是没有稳定脱贫的：先用100%减去这个比例。",
                    when=column_has("人数", stable), example=lambda: _capstone_example(stable)),
            Mistake("sum-overlap",
                    f"你用{monitored.text}减去了{relapse.text}。这两个数说的不是同一群人、也不是同一种时期，不能相减；"
                    f"请用“{_pct(national.value)}”这个比例来算。",
                    when=column_has("人数", monitored.value - relapse.value),
                    example=lambda: _capstone_example(monitored.value - relapse.value)),
            Mistake("wrong-denominator",
                    f"你把比例乘到了{lifted.text}上。题目假设的分母是监测对象{monitored.text}。",
                    when=column_has("人数", lifted.value * not_stable_share / 100),
                    example=lambda: _capstone_example(lifted.value * not_stable_share / 100)),
            Mistake("unit-scale",
                    "人数列的数量级不对：请用“人”为单位（不要换成万），百分数要除以100再乘。",
                    when=lambda frame: any(column_has("人数", v * k)(frame)
                                           for v in (not_stable, relapse.value) for k in (1e-4, 100)),
                    example=lambda: _capstone_example(not_stable / 1e4, relapse.value / 1e4)),
        ],
    )


@lesson.problem("q13")
def q13():
    (relapse,) = _get("relapse")
    return with_wrong(
        MultiChoice,
        f"练习12算出的人数，比{relapse.period}返贫和新发生贫困的{relapse.text}多出一大截。下面哪些说法有依据？（可多选）",
        {
            "A": "两个数互相矛盾，报告至少有一处写错了。",
            "B": "练习12的人数是监测名单里到年底还没稳定脱贫的人（存量）；另一个数是这一年里返贫或新致贫的人（当年发生）。",
            "C": "两者相减，就得到了“有风险但还没返贫”的人数。",
            "D": "返贫和新发生贫困的人，一定都在监测名单里。",
            "E": "练习12的结果依赖一个假设：稳定脱贫比例的分母是累计识别的监测对象；换一个分母，结果也会变。",
        },
        "BE",
        topic="综合题：两个数各说什么",
        skills=("concepts", "cumulative-annual", "assumption"),
        level=3,
        track="拓展",
        capstone=True,
        explanations={
            "A": "说的不是同一件事，谈不上矛盾。",
            "B": "一个是名单内的存量，一个是一年里发生的流量。",
            "C": "两群人未必重叠（新致贫的人可能不在名单里），时期也不同，相减没有意义。",
            "D": "报告没有这样说；新发生贫困的人可能事先没被识别。",
            "E": "分母是我们假设的，这一点要和结果一起说出来。",
        },
        hints=[
            "先为两个数各写一句话：它数的是哪些人？是截至某时的存量，还是一年里发生的事？",
            "两群人是否一定重叠？报告有没有说新发生贫困的人事先在不在监测名单里？",
            "对照练习8的规则（当年与累计不进同一个差或比值），再看 C；最后回想练习12用了什么假设。",
        ],
        solution=(
            "选 B、E。两个数说的是两件事：一个是监测名单里还没稳定脱贫的人，一个是一年里真正返贫或新致贫的人。"
            "它们不矛盾，也不能相减（C），因为两群人未必重叠、时期也不同；报告也没说新致贫的人都在名单里（D）。"
            "练习12的结果建立在“分母是累计识别的监测对象”这个假设上，引用它时要把假设一起说出来。"
        ),
        mistakes=[
            Mistake("cumulative-annual",
                    "你选了 C：一个是名单里的存量，一个是一年里发生的数，两群人也未必重叠，相减没有意义。",
                    when=has("C"), example="BCE"),
            Mistake("wrong-figure",
                    "你选了 A 或 D：两个数数的不是同一群人，谈不上矛盾；报告也没说新致贫的人都在名单里。",
                    when=lambda a: has("A")(a) or has("D")(a), example="ABE"),
            Mistake("wrong-denominator",
                    "你漏了 E：练习12的结果依赖我们对分母的假设，不是报告给出的确数。",
                    when=lacks("E"), example="B"),
        ],
    )


@lesson.problem("q14")
def q14():
    table = checkup_counts()
    top = _checkup_top()
    return with_wrong(
        Code,
        "给全书的数字做一次“体检”。用 utils.load_figures() 取出全部数字，只留第一至第四章（chapter ≥ 1），"
        "按 chapter 分组，每章算出：数字个数、非确切个数（qualifier 不是 \"exact\" 的个数）、"
        "非确切占比（= 非确切个数 ÷ 数字个数 × 100）。结果是一张四行的表，列名依次为 chapter、数字个数、非确切个数、非确切占比，"
        "chapter 是普通的一列（不是索引）。存为 answer_q14。",
        checkup,
        columns=["chapter", "非确切占比"],
        sort_by="chapter",
        topic="分组汇总：四章数字的体检",
        skills=("pandas-filter", "derive-column", "pandas-groupby"),
        level=3,
        track="拓展",
        hints=[
            "先加一列布尔值：allf[\"非确切\"] = allf[\"qualifier\"] != \"exact\"。True 在求和时算作1。",
            "分组汇总用 groupby(\"chapter\").agg(数字个数=(\"id\", \"size\"), 非确切个数=(\"非确切\", \"sum\"))，"
            "再 .reset_index() 把 chapter 变回普通的列。",
            "最后加一列“非确切占比”：由前两列算出来（哪一列作分母？），记得乘100。",
        ],
        solution=(
            "【推算】各章的非确切占比：" + "；".join(
                f"{CHAPTER_LABELS[int(r.chapter)]}：{int(r.非确切个数)} ÷ {int(r.数字个数)} × 100 ≈ {_pct(r.非确切占比, 1)}"
                for r in table.itertuples())
            + f"。{CHAPTER_LABELS[int(top.chapter)]}最高：带“超过”“多”“近”“以内”的数字越多，加总或相减的结果就越只能写成范围。"
        ),
        code=('allf = utils.load_figures()\n'
              'allf = allf[allf["chapter"] >= 1].copy()\n'
              'allf["非确切"] = allf["qualifier"] != "exact"\n'
              't = allf.groupby("chapter").agg(数字个数=("id", "size"), 非确切个数=("非确切", "sum")).reset_index()\n'
              't["非确切占比"] = t["非确切个数"] / t["数字个数"] * 100\n'
              'answer_q14 = t'),
        mistakes=[
            Mistake("wrong-figure",
                    "你的表里有 chapter 为0的一行：那是报告开篇的数字，不属于四章。先筛出 chapter ≥ 1 的行。",
                    when=safe(lambda t: 0 in set(int(c) for c in t["chapter"])),
                    example=lambda: _checkup_with_opening()),
            Mistake("unit-scale",
                    "“非确切占比”是小数形式（还没乘100）：题目要百分数。",
                    when=safe(lambda t: float(t["非确切占比"].max()) <= 1),
                    example=lambda: checkup().assign(非确切占比=lambda t: t["非确切占比"] / 100)),
        ],
    )


@lesson.problem("q15")
def q15():
    top = _checkup_top()
    return Chart(
        "把练习14的“非确切占比”画成条形图：每章一根条。先加一列章名（1 → \"第一章\" … 4 → \"第四章\"，"
        "可以用 .map({1: \"第一章\", …})），再用 seaborn 画横向条形图（纵轴章名，横轴占比），"
        "横轴标签写明单位（%），加标题。",
        checkup_chart,
        kind="bar",
        unit="%",
        topic="画出体检结果",
        skills=("pandas-map", "seaborn-bar"),
        level=3,
        track="拓展",
        hints=[
            "从练习14的结果 answer_q14 开始（没做完的话，先完成练习14）。",
            "章名列：t[\"章\"] = t[\"chapter\"].map({1: \"第一章\", 2: \"第二章\", 3: \"第三章\", 4: \"第四章\"})。",
            "画横向条形图：占比那一列放在 x、章名那一列放在 y；再写横轴标签（带“%”）和标题，最后 ex.q15.check()。",
        ],
        solution=(
            f"{CHAPTER_LABELS[int(top.chapter)]}的非确切数字占比最高（【推算】≈ {_pct(top.非确切占比, 1)}）。"
            "图只数了“有没有限定词”，没有区分下限、上限和约数；要看这几类各有多少，可以回到上面的体检热力图。"
        ),
        code=('import seaborn as sns\nimport matplotlib.pyplot as plt\n'
              't = answer_q14.copy()\n'
              't["章"] = t["chapter"].map({1: "第一章", 2: "第二章", 3: "第三章", 4: "第四章"})\n'
              'sns.barplot(data=t, x="非确切占比", y="章")\n'
              'plt.xlabel("非确切数字的占比（%）")\n'
              'plt.title("四章数字中带限定词的比例")'),
    )


@lesson.problem("q16")
def q16():
    lifted, monitored = _get("lifted", "monitored")
    return _discussion(
        "如果由你来定义“返贫率”，你会选什么作分母？为什么？不同的定义会怎样影响“是否低于报告所说的预警线”的判断？",
        [f"候选分母：全部脱贫人口（{lifted.text}）、监测对象（{monitored.text}）、某年初仍在名单里的人等。",
         "分母越大，同样的人数算出的比率越低；定义要先于数字公布，否则“低于预警线”可以靠换分母得到；报告说的那条预警线本身也没有注明出处，先要问它出自哪份文件。",
         "返贫和新发生贫困最好分开统计，各有各的分母。"],
        ["先列出本章出现过的几个“人群总数”。", "想一想每个总数里包括了谁、漏掉了谁。",
         "再想：一条预警线应该和哪一个分母配套？报告说的那条线出自哪里？"],
        "返贫率的分母", level=2, track="拓展")


@lesson.problem("q17")
def q17():
    return _discussion(
        "识别准确率和“漏识别”哪个更重要？对防止返贫的监测来说，错把不需要帮扶的人纳入，和漏掉真正需要帮扶的人，代价各是什么？",
        ["错纳入的代价：资源被摊薄、可能引起不公平感；漏识别的代价：该帮的人掉回贫困，且不在任何统计里。",
         "报告的“准确率”只涉及已识别的人，说明不了漏识别。",
         "需要对名单外的农户做抽样核查，才能估计漏识别率。"],
        ["回顾练习4：准确率的分母是谁？", "名单外的人会出现在哪个数字里？",
         "想一想用什么数据能估计“漏掉了多少”。"],
        "准确率与漏识别", track="拓展")


@lesson.problem("q18")
def q18():
    (gap,) = _get("gap")
    return _discussion(
        f"河南的脱贫率比全国高{gap.text}。除了“河南的做法更好”，还有哪些可能的解释？怎样的数据能帮助区分这些解释？",
        ["监测对象构成不同（致贫原因、年龄、劳动力）、经济条件不同、统计口径或时间点不同。",
         "区分需要：同一定义下各省监测对象的特征、帮扶前后的跟踪数据，最好有可比的对照组。",
         "一致性检验（练习9）只说明数字不矛盾，不说明原因。"],
        ["列出至少两类与“做法”无关的差别。", "想一想哪些差别能用数据看出来。",
         "什么样的比较能把“做法”的作用单独分出来？"],
        f"高出的{gap.text}从何而来", track="拓展")


@lesson.problem("q19")
def q19():
    return _discussion(
        "报告写到，攻坚期的“特惠性”政策要逐步过渡为“普惠性”政策，但既没有说明理由，也没有说这一安排出自哪份文件。"
        "结合本章“政策背景”里的过渡期安排，你认为这样逐步过渡可能有哪些好处和风险？你会用哪些指标观察过渡是否平稳？",
        ["背景（出处：中共中央、国务院《关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见》，2020年12月印发，"
         "2021年3月公开发布）：从脱贫之日起设5年过渡期（通常说的2021—2025年），过渡期内主要帮扶政策总体保持稳定，"
         "再分类优化调整；脱贫县要做到“四个不摘”——摘帽不摘责任、摘帽不摘政策、摘帽不摘帮扶、摘帽不摘监管。"
         "“逐步过渡、不一次撤掉”与这个安排相合；报告没有说“特惠转普惠”的说法出自哪里，具体怎样调整，要回到意见原文核对。",
         "可能的好处（我们的推测，不是报告或意见的说法）：避免脱贫户与相邻的非贫困户待遇悬殊，减少对“贫困户身份”的依赖。",
         "可能的风险：刚脱贫的人失去专门支撑；普惠政策摊薄后力度不够——“四个不摘”里的“不摘帮扶”“不摘监管”正是针对这类风险。",
         "可观察的指标：监测对象的返贫和新致贫人数、脱贫县农村居民收入增速、监测名单的进出人数；"
         "都要写明分母和时期，并覆盖整个过渡期、与过渡期之前比较。"],
        ["先读本章的“政策背景”（过渡期有多长？期间的帮扶政策怎样安排？），再回看第二章的“四个不摘”。",
         "分别站在刚脱贫的家庭和邻近的非贫困家庭的角度想一想：逐步过渡对谁有利、可能让谁吃亏？",
         "选指标时，想一想本章学过的陷阱：分母、时期、人次；还要想清楚拿什么时候作比较。"],
        "从特惠到普惠：过渡期的政策怎样调整")


@lesson.problem("q20")
def q20():
    return _discussion(
        "回顾四章：哪一个数字最让你印象深刻？学完之后，你对它的理解有什么变化？它还缺什么信息才能读得更准？",
        ["说清这个数字的单位、时期、限定词和出处。", "说出学完后发现的一个读法陷阱（百分点、人次、增长N倍、累计与当年、分母……）。",
         "说出要读得更准还需要什么：基准、分母、定义、来源或对照组。"],
        ["翻一翻四章的小结。", "挑一个数字，用“单位、时期、限定词、出处”四问检查它。",
         "写下你之前的理解和现在的理解各一句。"],
        "全书回顾", level=2, track="拓展")


@lesson.problem("q21")
def q21():
    spirit = report_list("closing.spirit")["item"].tolist()
    return with_wrong(
        MultiChoice,
        f"对照原文。报告结语列出的脱贫攻坚精神是{len(spirit)}个短语（本章结语的表）；第一章里，报告说选拔标准"
        "“德才兼备、以德为先、任人唯贤”源自《党政领导干部选拔任用工作条例》。官方原文是："
        "2021年2月25日全国脱贫攻坚总结表彰大会上的讲话，把脱贫攻坚精神概括为“上下同心、尽锐出战、精准务实、"
        "开拓创新、攻坚克难、不负人民”；中共中央2019年3月印发的修订后《条例》，第二条的第二项原则是"
        "“德才兼备、以德为先，五湖四海、任人唯贤”。下面哪些说法有依据？（可多选）",
        {
            "A": "报告列的脱贫攻坚精神少了“不负人民”，而且没有说明有所省略。",
            "B": "报告引《条例》时略去了“五湖四海”。",
            "C": "报告少写的短语，说明官方后来把它删掉了。",
            "D": "报告注明了出处，引文就一定与原文一致，不必再核对。",
            "E": "引用官方文件，应写明文件名、发布机关和日期，照原文抄录；有省略要标明。",
        },
        "ABE",
        topic="对照官方原文",
        skills=("source-criticism",),
        level=2,
        explanations={
            "A": "官方表述是六个短语，报告只列了前五个，也没有用省略号或文字说明。",
            "B": "《条例》把“五湖四海”和“任人唯贤”写在同一项原则里，报告只引了后半。",
            "C": "报告漏写是报告的问题；官方表述并没有因此改变。漏写不能反过来证明原文变了。",
            "D": "注明出处只让读者能去核对，不保证引得准确——本题就是反例。",
            "E": "这样读者才能找到原文，也能看出引文删了什么。",
        },
        hints=[
            "把报告的写法和题目给出的官方原文逐个短语对照，看哪些短语只在一边出现。",
            "“注明了出处”和“引得准确”是两回事：出处让人能核对，核对之后才知道准不准。",
            "对每个选项问：它说的是报告与原文的差别本身，还是从差别里推出了一个原文没有支持的结论？",
        ],
        solution=(
            "选 ABE。A、B：对照原文，报告少了“不负人民”和“五湖四海”，都没有标明省略。"
            "C 错：报告漏写不能说明官方改了表述。D 错：注明出处不等于引文准确，本题正是反例。"
            "E 对：引文写明文件名、发布机关、日期，并标出省略，读者才能核对。"
        ),
        mistakes=[
            Mistake("causal-claim",
                    "你选了 C：报告少写了一个短语，只说明报告漏写，推不出官方把它删掉了。",
                    when=has("C"), example="ABCE"),
            Mistake("wrong-figure",
                    "你选了 D：注明出处不等于引得准确——对照原文，报告的两处引文都有省略。",
                    when=has("D"), example="ABDE"),
        ],
    )


build = lesson.build
