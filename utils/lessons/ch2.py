"""第二章 优化队伍建设 — the exercises of notebooks/02_cadres.ipynb.

Every answer is computed from ``data/report_figures.csv`` by id; no figure of the report is typed here.
The chapter's theme is *what a number counts*: 人次 (person-times) against 人 (people), shares whose
denominator is a selected group, shares that overlap, qualifiers that give a range, two measures that
point in opposite directions (稳定性 / 流动率), and comparisons with "traditional practice" that have
no baseline.  Problems rise from level 1 (read, filter) to level 3 (mixed measures, the capstone).

Each problem is declared on its own (``@lesson.problem("qN")``, in notebook order) on the shared
predicates of :mod:`.predicates`; the numbers several problems share come from the small helpers below
(read from the data at each build: ``utils.data`` caches the parsed file by its content).
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ..data import figure, figures, load_figures
from ..exercises import Chart, Choice, Code, Discussion, Interval, Mistake, MultiChoice, Numeric
from ..quantities import format_cn
from .predicates import Lesson, close, drawn_values, has, lacks, safe, with_wrong

# -- ids used by the problems (the only place a figure is named) ---------------------------------
TRAINING = "ch2.training_person_times"
COVID = "ch2.covid_cadres_selected"
EXCELLENT = "ch2.covid_cadres_excellent_share"
GD_TOTAL = "ch2.guangdong_first_secretaries"
GD_GRASS = "ch2.guangdong_grassroots_share"
GD_INDUSTRY = "ch2.guangdong_industry_share"
CLASSES = "ch2.national_classes"
COUNTY = "ch2.county_cadres_trained"
HOURS = "ch2.annual_training_hours"
SHAANXI = "ch2.shaanxi_trained"
FUNDS = "ch2.allowance_funds"
PROBLEMS = "ch2.problems_solved"
EXEMPTIONS = "ch2.exemption_cases"
STABILITY = "ch2.team_stability"
GAP = "ch2.stability_gap"
CADRES = "ch1.first_secretaries"
TOWNSHIP = "ch1.township_cadres"
WORK_TEAMS = "ch1.village_teams"
CAPSTONE_IDS = (TRAINING, CADRES, TOWNSHIP)
#: where the value axis of q7's misleading chart starts (ch2_charts.plot_truncated): the author's
#: choice for the demonstration, not a figure of the report
TRUNCATED_FROM = 75

lesson = Lesson(2)


def years_of(fig) -> int:
    """Number of calendar years a figure covers, both ends included (2016–2021 → 6)."""
    return int(fig.period_end) - int(fig.period_start) + 1


def w(value: float, unit: str = "") -> str:
    """A number as Chinese prose writes it (2.85万人, 30亿元)."""
    return format_cn(value, unit)


def g(value: float) -> str:
    """A plain number without trailing zeros (92, 3.5)."""
    return f"{value:g}"


def approx(value: float, digits: int = 2) -> str:
    """"= 1.5" when ``value`` is exact at ``digits`` decimals, else "≈ 1.18" (rounded)."""
    shown = round(value, digits)
    return f"{'=' if abs(shown - value) < 1e-12 else '≈'} {g(shown)}"


# -- numbers several problems share ----------------------------------------------------------------

def training_span():
    """The training figure, the number of years it covers, and the range its "多" allows
    ("1200多万" → [1200万, 1300万))."""
    training = figure(TRAINING)
    low, high = training.bounds
    return training, years_of(training), low, high


def guangdong() -> SimpleNamespace:
    """Guangdong's first secretaries: the total, the two shares, each share as people, and the range
    the share with both features can take (as a share and as people)."""
    total, grass, industry = figure(GD_TOTAL), figure(GD_GRASS), figure(GD_INDUSTRY)
    both_min_pct = max(0.0, grass.value + industry.value - 100)
    both_max_pct = min(grass.value, industry.value)
    return SimpleNamespace(
        total=total, grass=grass, industry=industry,
        n_grass=total.value * grass.value / 100, n_industry=total.value * industry.value / 100,
        both_min_pct=both_min_pct, both_max_pct=both_max_pct,
        both_low=total.value * both_min_pct / 100, both_high=total.value * both_max_pct / 100,
        neither_max_pct=100 - max(grass.value, industry.value))


def stability_readings() -> SimpleNamespace:
    """q15: the implied turnover of grassroots cadres, and the numbers its slips give."""
    stability, gap = figure(STABILITY), figure(GAP)
    team_turnover = 100 - stability.value          # at most, since stability is "N%以上"
    return SimpleNamespace(
        stability=stability, gap=gap, gap_abs=g(abs(gap.value)), team_turnover=team_turnover,
        avg_turnover=team_turnover - gap.value,           # gap is signed (negative: "低")
        literal=stability.value - gap.value,              # stability + |gap|: reads stability as turnover
        avg_stability=stability.value + gap.value,        # the gap read as a gap in stability
        pct_slip=team_turnover * (1 - gap.value / 100))   # "15个百分点" read as "15%"


# -- answers of the code problems (also used by the chart problems) ------------------------------

def units_count() -> pd.Series:
    """q2: how many of chapter 2's figures are counted in each unit."""
    return load_figures(2).groupby("unit").size()


def person_times_rows() -> pd.DataFrame:
    """q3: chapter 2's figures counted in 人次 (id, indicator, value)."""
    t = load_figures(2)
    return t[t["unit"] == "人次"][["id", "indicator", "value"]].reset_index(drop=True)


def person_times_chart() -> pd.DataFrame:
    """q4: the bars the learner draws (label, value in 人次)."""
    return person_times_rows().rename(columns={"indicator": "label"})[["label", "value"]]


def guangdong_people() -> pd.DataFrame:
    """q8: the two Guangdong shares turned into people, with the word 占比 dropped from the label."""
    total = figure(GD_TOTAL).value
    gd = figures(GD_GRASS, GD_INDUSTRY)
    gd["people"] = total * gd["value"] / 100
    gd["group"] = gd["indicator"].str.replace("占比", "")
    return gd[["group", "people"]]


def guangdong_chart() -> pd.DataFrame:
    """q9: the bars the learner draws (label, value in 人)."""
    return guangdong_people().rename(columns={"group": "label", "people": "value"})


def _draw_shares():
    """q9 with a slip: the bars show the shares (value column) instead of the people."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    plt.figure()
    ax = sns.barplot(data=guangdong_people().assign(value=figures(GD_GRASS, GD_INDUSTRY)["value"].to_numpy()),
                     x="value", y="group")
    ax.set_xlabel("人数（人）")
    ax.set_title("广东驻村第一书记")
    return ax


def per_year_rows() -> pd.DataFrame:
    """q11: the 人次 rows with the number of years (both ends counted) and the yearly average."""
    t = load_figures(2)
    pt = t[t["unit"] == "人次"].copy()
    pt["years"] = pt["period_end"] - pt["period_start"] + 1
    pt["per_year"] = pt["value"] / pt["years"]
    return pt[["id", "years", "per_year"]].reset_index(drop=True)


def _scaled_people(factor: float) -> pd.DataFrame:
    """q8 with a slip: people × ``factor`` (100 = forgot ÷ 100; 100 / total = the share itself)."""
    gd = guangdong_people()
    return gd.assign(people=gd["people"] * factor)


def _per_year_slip(drop: int | None) -> pd.DataFrame:
    """q11 with a slip: years without the + 1 (``drop=0``) or no division at all (``drop=None``)."""
    t = load_figures(2)
    pt = t[t["unit"] == "人次"].copy()
    if drop is None:
        pt["years"] = pt["period_end"] - pt["period_start"] + 1
        pt["per_year"] = pt["value"]
    else:
        pt["years"] = pt["period_end"] - pt["period_start"]
        pt["per_year"] = pt["value"] / pt["years"]
    return pt[["id", "years", "per_year"]].reset_index(drop=True)


def capstone_totals() -> pd.Series:
    """q16: the three capstone figures summed by unit (人次 and 人)."""
    t = load_figures()
    return t[t["id"].isin(CAPSTONE_IDS)].groupby("unit")["value"].sum()


# -- predicates this chapter needs beyond the shared ones -------------------------------------------

def _column_matches(column: str, expected: pd.Series, key: str):
    """Predicate for a Code answer: ``column`` exists and matches ``expected`` row by row (rows matched
    on column ``key``, which is ``expected``'s index)."""
    def test(frame) -> bool:
        got = frame.set_index(key)[column].astype(float).reindex(expected.index)
        want = expected.astype(float)
        return bool(((got - want).abs() <= 1e-6 * want.abs().clip(lower=1)).all())
    return safe(test)


def _drew(values, rel: float = 0.001):
    """Predicate on a drawn chart: exactly these values were drawn (in any order)."""
    want = sorted(float(v) for v in values)

    def test(drawn) -> bool:
        got = sorted(drawn_values(drawn))
        return len(got) == len(want) and all(close(a, b, rel) for a, b in zip(got, want))
    return test


# -- the problems, in notebook order ------------------------------------------------------------------


@lesson.problem("q1")
def q1():
    training, t_years, t_low, t_high = training_span()
    return with_wrong(Choice,
        f"报告在本章开头给出：{training.period}全国扶贫干部培训累计“{training.text}”。"
        "只凭这一个数字，下面哪种说法最稳妥？",
        {
            "A": f"接受过培训的不同的扶贫干部至少有{w(training.value)}名。",
            "B": f"培训累计至少有{w(training.value, '人次')}；到底有多少不同的人参加过，这个数字回答不了。",
            "C": f"这几年里每年都有{w(training.value)}名干部参加培训。",
            "D": "这说明每一名扶贫干部都至少参加过一次培训。",
        },
        "B",
        explanations={
            "A": "“人次”按参加次数计：同一名干部参加3次就记3人次，所以人次不能读成人数。",
            "B": "人次是参加次数的累计。要知道有多少不同的人，还得知道平均每人参加几次，报告没有给。",
            "C": f"这是{t_years}个年份的累计，不是每年的数；单位也是人次而不是人。",
            "D": "人次总数再大，也可能是一部分人反复参加；它推不出“人人都参加过”。",
        },
        mistakes=[
            Mistake("person-times", "你把“人次”读成了“人数”：同一名干部每参加一次培训就多记一次，"
                                    "所以人次总数不等于参训的人数。", value="A"),
            Mistake("cumulative-annual", f"你把{t_years}个年份的累计数当成了每年的数；而且单位是人次，不是人。",
                    value="C"),
            Mistake("person-times", "你从人次总数推出了“人人都参加过”。人次可能来自同一批人反复参加，"
                                    "覆盖了多少人，这个数字说不出来。", value="D"),
        ],
        hints=[
            "先看单位：数字后面写的是“人次”，不是“人”。",
            f"人次怎么数？一名干部在这{t_years}年里参加了4次培训，会被记作几人次？报告有没有告诉我们平均每人参加几次？",
            "人次 = 参训的不同人数 × 平均每人参训次数。报告只给了等号左边——再看看哪个选项没有越过这个数字能说的范围。",
        ],
        solution=(
            f"答案 B。“{training.text}”是{training.period}的累计人次，每参加一次记一次。"
            f"【推算】若平均每人参加2次，不同的人 = ({w(t_low)}～{w(t_high)}) ÷ 2 = {w(t_low / 2)}～{w(t_high / 2)}；"
            f"若平均4次，则 = ({w(t_low)}～{w(t_high)}) ÷ 4 = {w(t_low / 4)}～{w(t_high / 4)}。"
            "报告没有给出平均参训次数，所以人数和覆盖率都推不出来。"
            f"A 把人次当成人数，C 把{t_years}年累计当成每年，D 是报告没有说过的覆盖率。"
        ),
        topic="人次与人数", skills=("person-times", "reading-units"), level=1,
    )


@lesson.problem("q2")
def q2():
    n_units = len(units_count())
    return with_wrong(Code,
        "用 pandas 数一数：第二章的数字各用什么单位计数？对 t = utils.load_figures(2) 按 unit 列分组，"
        "数出每种单位各有几行（结果是一个以单位为索引的 Series）。把结果赋给 answer_q2。",
        units_count,
        sort_by="unit",
        mistakes=[
            Mistake("wrong-figure", "你数的是全书所有章节的数字：题目只要第二章，用 utils.load_figures(2)。",
                    when=lambda a: isinstance(a, pd.Series) and a.sum() > len(load_figures(2)),
                    example=lambda: load_figures().groupby("unit").size()),
        ],
        hints=[
            "要用的列是 unit；“按某列分组再数个数”是 groupby 的典型用法。",
            "写法是 t.groupby(\"某列\").size()，size() 数的是每组的行数。",
            "想一想：哪一列记录了每个数字的单位？按它分组。结果有几行，就说明本章用了几种单位。",
        ],
        solution=(
            f"t.groupby(\"unit\").size() 得到{n_units}种单位。同一章里，人、人次、%、百分点、元、种、期、学时都有："
            "单位不同的数字不能直接相加，也不能随手相除——读每个数字之前，先看它数的是什么。"
        ),
        code='t = utils.load_figures(2)\nt.groupby("unit").size()',
        topic="本章数字的单位", skills=("pandas-group", "reading-units"), level=1,
    )


@lesson.problem("q3")
def q3():
    n_pt = len(person_times_rows())
    return with_wrong(Code,
        "从 t = utils.load_figures(2) 中筛出单位（unit 列）是“人次”的行，只保留 id、indicator、value 三列。"
        "把结果赋给 answer_q3。",
        person_times_rows,
        columns=["id", "value"],
        only_columns=["id", "indicator", "value"],
        sort_by="id",
        mistakes=[
            Mistake("person-times", "你筛出的是单位为“人”的行。本题要的是“人次”——两者数的东西不一样。",
                    when=lambda a: isinstance(a, pd.DataFrame) and "id" in a
                    and set(a["id"]) == set(load_figures(2).query("unit == '人'")["id"]),
                    example=lambda: load_figures(2).query("unit == '人'")[["id", "indicator", "value"]]),
        ],
        hints=[
            "单位在 unit 列；要的是 unit 等于“人次”的那些行。",
            "布尔筛选：t[t[\"列名\"] == \"值\"]；再用双层方括号选列：[[\"列1\", \"列2\", \"列3\"]]。",
            "把两步连起来写：t[t[\"unit\"] == \"…\"][[…]]，填上单位和三个列名。",
        ],
        solution=(
            f"t[t[\"unit\"] == \"人次\"][[\"id\", \"indicator\", \"value\"]] 得到{n_pt}行：全国累计、全国性培训班、"
            "陕西专项培训。这几个数不能相加：全国性培训班和陕西的培训很可能已经算在全国累计里（重复计算），"
            "而人次本身又可能把同一个人算了多次。"
        ),
        code='t = utils.load_figures(2)\nt[t["unit"] == "人次"][["id", "indicator", "value"]]',
        topic="人次与人数", skills=("pandas-filter", "pandas-select", "person-times"), level=1,
    )


@lesson.problem("q4")
def q4():
    return Chart(
        "用练习 3 的结果 answer_q3 画一张横向条形图：每个“人次”数字一根柱子（纵轴是 indicator，横轴是 value）。"
        "给横轴写上带单位的标签（例如“培训规模（人次）”），再加一个标题。",
        person_times_chart,
        kind="bar",
        unit="人次",
        hints=[
            "数据就是练习 3 的 answer_q3；seaborn 的条形图是 sns.barplot。",
            "横向条形图：把数值放在 x、把类别放在 y，即 sns.barplot(data=…, x=\"数值列\", y=\"类别列\")。",
            "画好后用 ax.set_xlabel(\"…（人次）\") 和 ax.set_title(\"…\") 补上单位和标题，最后运行 ex.q4.check()。",
        ],
        solution=(
            "三根柱子差了几个数量级：全国累计的人次远远大于全国性培训班和陕西专项培训。"
            "图只说明“次数的规模”，不说明有多少不同的人参加，也不说明小的数字是否包含在大的数字里。"
        ),
        code=('import seaborn as sns\n'
              'ax = sns.barplot(data=answer_q3, x="value", y="indicator")\n'
              'ax.set_xlabel("培训规模（人次）")\n'
              'ax.set_title("第二章三个以人次计的培训数字")'),
        topic="人次与人数", skills=("seaborn-bar", "axis-unit"), level=2,
    )


@lesson.problem("q5")
def q5():
    covid, excellent = figure(COVID), figure(EXCELLENT)
    n_excellent = covid.value * excellent.value / 100
    n_not = covid.value - n_excellent
    return with_wrong(Numeric,
        f"{covid.period}，因抗疫表现突出而被优先派往扶贫一线的干部共{w(covid.value, '人')}；"
        f"报告说这批人中有{excellent.text}后来考核为“优秀”。按这两个数推算，考核优秀的约有多少人？（单位：人）",
        n_excellent,
        unit="人",
        rel_tol=0.02,
        mistakes=[
            Mistake("arithmetic", f"你算的是没有评上优秀的人数（{w(covid.value)} × (100% − {g(excellent.value)}%)），"
                                  "题目问的是评上优秀的。", value=n_not, rel_tol=0.02),
            Mistake("unit-scale", f"量级差了10倍：{w(covid.value)}是{g(covid.value)}人，"
                                  "乘以占比时注意“万”和百分号的换算。", value=n_excellent / 10, rel_tol=0.02),
            Mistake("unit-scale", "量级差了10倍：检查“万”的换算和“÷100”有没有漏掉或多做。",
                    value=n_excellent * 10, rel_tol=0.02),
        ],
        hints=[
            f"“其中{g(excellent.value)}%”的整体是谁？是被选派的这{w(covid.value)}人。",
            "部分 = 整体 × 占比；占比写成百分数时要除以100。",
            f"把数代进去：{g(covid.value)} × {g(excellent.value)} ÷ 100 = ?",
        ],
        solution=(
            f"【推算】{g(covid.value)} × {g(excellent.value)}% = {g(n_excellent)}人（≈ {w(n_excellent, '人')}）；"
            f"没有评上优秀的 = {g(covid.value)} − {g(n_excellent)} = {g(n_not)}人。"
            "这说明这批人后来的考核结果很好，但还说明不了“按实际表现挑人”这种方法本身有多大作用——见下一题。"
        ),
        code=(f'covid = utils.figure("{COVID}").value\n'
              f'share = utils.figure("{EXCELLENT}").value\n'
              "covid * share / 100"),
        topic="占比与分母", skills=("share-of-whole",), level=1,
    )


@lesson.problem("q6")
def q6():
    covid, excellent = figure(COVID), figure(EXCELLENT)
    return with_wrong(MultiChoice,
        f"关于“{w(covid.value)}名被优先选派的干部中，{excellent.text}后来考核优秀”，下面哪些说法站得住？（可多选）",
        {
            "A": f"这个{g(excellent.value)}%的分母是被优先选派的这批干部，不是全国所有一线干部。",
            "B": f"这说明按实际表现挑人的办法，让干部的优秀率提高了{g(excellent.value)}%。",
            "C": "报告没有给出其他一线干部的优秀率，所以说不清这批人比一般干部好多少。",
            "D": "这批人本来就因表现突出才被挑中，后来考核优秀，可能部分只是延续了原来的表现。",
            "E": f"{covid.period}全国扶贫一线干部中有{g(excellent.value)}%考核优秀。",
        },
        "ACD",
        explanations={
            "A": "对：先问分母。“其中”指的是被选派的这批人。",
            "B": f"错：{g(excellent.value)}%是一个水平（占比），不是“提高了多少”；要谈提高，需要基准。",
            "C": "对：没有对照组，就无法判断高低。",
            "D": "对：这是选择效应——被挑中的人本来就突出。",
            "E": "错：分母换成了全国所有一线干部，报告没有这样说。",
        },
        mistakes=[
            Mistake("no-baseline", f"你选了 B：{g(excellent.value)}%是这批人的优秀率，是一个水平，不是“提高了多少”。"
                                   "要说提高，至少需要同类干部的优秀率作基准，报告没有给。", when=has("B"), example="ABCD"),
            Mistake("wrong-denominator", f"你选了 E：{g(excellent.value)}%的分母是被优先选派的{w(covid.value)}人，"
                                         "不是全国所有一线干部。", when=has("E"), example="ACDE"),
            Mistake("causal-claim", "你漏了 D：这批人是因为表现突出才被挑中的，后来考核优秀不能全部记在选拔方法上"
                                    "（选择效应）。", when=lacks("D"), example="AC"),
        ],
        hints=[
            "逐条问：这个说法里的“整体”（分母）和报告里“其中……%”的整体是同一群人吗？",
            "再问：要说一种选拔方法“提高了”什么，需要和谁比？报告给了那个比较对象吗？",
            "最后想一想：被挑出来的人，挑之前是什么样的人？把站得住的选项字母连起来写。",
        ],
        solution=(
            f"答案 ACD。A：分母是被选派的{w(covid.value)}人。"
            f"B 错：{g(excellent.value)}%是水平，不是增幅；要谈提高，需要同类干部的优秀率或这批人过去的优秀率作基准。"
            f"C：没有对照组，{g(excellent.value)}%是高是低无从比较。"
            "D：选择效应——被挑中的人本来就突出，好结果不能全记在选拔方法上。"
            "E 错：把分母换成了全国所有一线干部。"
        ),
        topic="占比与分母", skills=("denominator", "selection-effect", "no-baseline"), level=2,
    )


@lesson.problem("q7")
def q7():
    gd_total, gd_grass, gd_industry = figure(GD_TOTAL), figure(GD_GRASS), figure(GD_INDUSTRY)
    a, b, start = gd_grass.value, gd_industry.value, TRUNCATED_FROM
    return with_wrong(MultiChoice,
        f"上面这张条形图是作者特意画的示例：数字取自报告——广东{gd_total.period}选派的第一书记中，"
        f"有基层工作经验的占{g(a)}%，熟悉产业发展的占{g(b)}%；标题说前者“远远多于”后者。"
        "这张图哪里会误导读者？下面哪些说法站得住？（可多选）",
        {
            "A": "数值轴不是从0开始的：每根柱子只画出了超过起点的那一截，所以两根柱子长短悬殊，"
                 "远远超过两个占比本身的差距。",
            "B": "两个占比加起来超过了100%，说明图里至少有一个数字画错了。",
            "C": "标题“远远多于”的印象主要来自柱子的长短；直接拿两个百分数比，差距要小得多。",
            "D": "问题出在用了百分比：把两个占比换算成人数再用同样的方式画，图就不会误导了。",
            "E": "每根柱子旁边都写着数值，读者自己会看数字，所以这张图不会误导人。",
        },
        "AC",
        explanations={
            "A": f"对：数值轴从{start}%起，柱子只画出了{start}%以上的部分，长度之比不再等于数值之比。",
            "B": "错：两项特征可以同时具备，同一个人会被两个占比各算一次，相加超过100%并不矛盾。",
            "C": "对：读者先看到的是长短，标题借着被截短的柱子把一个不算大的差距说成了“远远多于”。",
            "D": "错：换成人数只是把两个数同乘一个总人数，数值轴若照样不从0开始，柱子照样长短悬殊。",
            "E": "错：柱子的长短是读者最先看到、也记得最牢的比较，旁边的数字纠正不了这个印象。",
        },
        mistakes=[
            Mistake("sum-overlap", "你选了 B：两项特征可以同时具备，同一名第一书记可以既有基层经验又懂产业，"
                                   "所以两个占比相加超过100%并不矛盾，图里的数字没有画错（练习 10 会推算重叠的范围）。",
                    when=has("B"), example="ABC"),
            Mistake("no-baseline", "你选了 E：条形图靠柱子的长短作比较，长短要从同一个基准0量起才有意义；"
                                   "旁边写着数字，也改变不了柱子给人的第一印象。", when=has("E"), example="ACE"),
            Mistake("no-baseline", "你漏了 A：看条形图先看数值轴从哪里开始。这张图的柱子不是从0量起的，"
                                   "长短之比不等于数值之比。", when=lacks("A"), example="C"),
        ],
        hints=[
            "先不看标题，只看数值轴：刻度从多少开始？一根柱子的长度量的是哪一段？",
            "量一量两根柱子在图上的长度大约差几倍，再拿两个百分数本身比一比，两个倍数一样吗？",
            "最后逐条问：这个说法指出的地方，改掉以后读者还会不会看错？能让误导消失的说法才站得住。"
            "把站得住的选项字母连起来写。",
        ],
        solution=(
            f"答案 AC。这张图的数值轴从{start}%开始。"
            f"【推算】两个占比相差 {g(a)}% − {g(b)}% = {g(a - b)}个百分点；"
            f"两个百分数之比 = {g(a)} ÷ {g(b)} {approx(a / b)}；"
            f"图上两根柱子露出的长度之比 = ({g(a)} − {start}) ÷ ({g(b)} − {start}) {approx((a - start) / (b - start))}。"
            "长度之比比数值之比大得多，这就是截断数值轴制造出来的“远远多于”。"
            "诚实的画法：条形图的数值轴从0开始，轴上写明单位（%），标题只陈述数字，不替读者下结论；"
            "如果确实需要放大细小的差别，就改用点图之类不靠长度比较的图，并在图上注明“数值轴不从0开始”。"
            "B 错：两项可以兼具，占比相加可以超过100%。D 错：换成人数不改变比例，问题在轴的起点。"
            "E 错：数字写在旁边，柱子长短的印象仍然误导人。"
        ),
        topic="会误导人的图", skills=("misleading-chart", "axis-baseline"), level=2,
    )


@lesson.problem("q8")
def q8():
    gd = guangdong()
    gd_total, gd_grass, gd_industry, n_grass, n_industry = gd.total, gd.grass, gd.industry, gd.n_grass, gd.n_industry
    gd_frame = guangdong_people().set_index("group")["people"]
    return with_wrong(Code,
        f"广东{gd_total.period}选派的第一书记共{w(gd_total.value, '人')}。"
        f"对 gd = utils.figures(\"{GD_GRASS}\", \"{GD_INDUSTRY}\")（两行占比）做两件事："
        "新增一列 people，把占比（value 列，单位 %）换算成人数；"
        "再新增一列 group，内容是 indicator 去掉“占比”两个字。把 gd 赋给 answer_q8。",
        guangdong_people,
        columns=["group", "people"],
        sort_by="group",
        mistakes=[
            Mistake("unit-scale", "人数大了100倍：value 列是百分数（如92表示92%），换算成人数时要除以100。",
                    when=_column_matches("people", gd_frame * 100, "group"),
                    example=lambda: _scaled_people(100)),
            Mistake("wrong-denominator", f"people 列等于占比本身或用错了整体：人数 = 第一书记总数（{g(gd_total.value)}）× 占比 ÷ 100。",
                    when=_column_matches("people", gd_frame / gd_total.value * 100, "group"),
                    example=lambda: _scaled_people(100 / figure(GD_TOTAL).value)),
        ],
        hints=[
            "总人数用 utils.figure(\"" + GD_TOTAL + "\").value 取；占比在 gd 的 value 列。",
            "新增一列：gd[\"新列\"] = 某个用已有列算出来的式子；字符串列可以用 .str.replace(\"旧\", \"新\")。",
            "people 一列：总人数乘以每行的占比（占比是百分数，别忘了换算）；group 一列：从 indicator 的文字里去掉表示比例的那两个字。写好两列后把 gd 交上去。",
        ],
        solution=(
            f"【推算】有基层工作经验 = {g(gd_total.value)} × {g(gd_grass.value)}% = {g(n_grass)}人；"
            f"熟悉产业发展 = {g(gd_total.value)} × {g(gd_industry.value)}% = {g(n_industry)}人。"
            "两列人数不能相加：同一个人可能两项都具备，会被数两次（练习 10 会算重叠的范围）。"
        ),
        code=(f'total = utils.figure("{GD_TOTAL}").value\n'
              f'gd = utils.figures("{GD_GRASS}", "{GD_INDUSTRY}")\n'
              'gd["people"] = total * gd["value"] / 100\n'
              'gd["group"] = gd["indicator"].str.replace("占比", "")\n'
              "gd"),
        topic="可以重叠的占比", skills=("pandas-derive", "share-of-whole", "str-methods"), level=2,
    )


@lesson.problem("q9")
def q9():
    gd_grass, gd_industry = figure(GD_GRASS), figure(GD_INDUSTRY)
    return Chart(
        "用练习 8 的结果 answer_q8 画一张条形图：每个 group 一根柱子，长度是 people。"
        "数值轴写上带单位的标签（例如“人数（人）”），再加一个标题。",
        guangdong_chart,
        kind="bar",
        unit="人",
        mistakes=[
            Mistake("wrong-figure", f"柱子的长度是占比（{g(gd_grass.value)}、{g(gd_industry.value)}，value 列），"
                                    "不是人数：要画 people 列。",
                    when=_drew((gd_grass.value, gd_industry.value)),
                    example=_draw_shares),
        ],
        hints=[
            "数据是 answer_q8，要画的两列是 group（类别）和 people（数值）。",
            "sns.barplot(data=…, x=…, y=…)：横着画就把数值放在 x；竖着画就把数值放在 y。",
            "数值轴的标签要写明单位“人”（ax.set_xlabel 或 ax.set_ylabel），再 ax.set_title(…)，最后 ex.q9.check()。",
        ],
        solution=(
            "两根柱子都是推算值（总人数 × 占比），相加会超过总人数，因为有人两项兼具。"
            "图上最好注明“推算”，并提醒读者两根柱子有重叠、不能相加。"
        ),
        code=('import seaborn as sns\n'
              'ax = sns.barplot(data=answer_q8, x="people", y="group")\n'
              'ax.set_xlabel("人数（人，推算）")\n'
              'ax.set_title("广东驻村第一书记：两种经历各约多少人")'),
        topic="可以重叠的占比", skills=("seaborn-bar", "axis-unit"), level=2, track="拓展",
    )


@lesson.problem("q10")
def q10():
    gd = guangdong()
    gd_total, gd_grass, gd_industry, n_grass, n_industry = gd.total, gd.grass, gd.industry, gd.n_grass, gd.n_industry
    both_min_pct, both_max_pct, both_low, both_high = gd.both_min_pct, gd.both_max_pct, gd.both_low, gd.both_high
    neither_max_pct = gd.neither_max_pct
    return with_wrong(Interval,
        f"还是广东这{w(gd_total.value, '人')}：在基层干过的占{g(gd_grass.value)}%，"
        f"懂产业的占{g(gd_industry.value)}%。两项都具备的人，最少可能有多少、最多可能有多少？"
        "请写成 (下限, 上限)，单位：人。",
        both_low,
        both_high,
        unit="人",
        rel_tol=0.01,
        mistakes=[
            Mistake("sum-overlap", "下限不是0：两个占比加起来超过了100%，多出来的部分只能是两项兼具的人，"
                                   "所以重叠至少是“两者之和 − 100%”。", value=(0, both_high)),
            Mistake("wrong-figure", "你给的是两项各自的人数。题目问的是两项兼具的人，它的范围要从两个占比的重叠来推。",
                    value=(min(n_grass, n_industry), max(n_grass, n_industry))),
            Mistake("sum-overlap", "上限不能是总人数：懂产业的人只有这么多，两项兼具的人不可能比其中较小的一组还多。",
                    value=(both_low, gd_total.value)),
            Mistake("wrong-unit", "你写的是百分比。题目要的是人数：再乘以第一书记总人数、除以100。",
                    value=(both_min_pct, both_max_pct)),
        ],
        hints=[
            f"两个占比加起来是{g(gd_grass.value + gd_industry.value)}%，超过了100%。多出来的部分说明了什么？",
            "重叠最少时：缺一项的人恰好都具备另一项，重叠 = 两占比之和 − 100%。"
            "重叠最多时：较小的那一组全都在较大的那一组里，重叠 = 较小的占比。",
            f"下限 = ({g(gd_grass.value)} + {g(gd_industry.value)} − 100)% × {g(gd_total.value)}，"
            f"上限 = min({g(gd_grass.value)}, {g(gd_industry.value)})% × {g(gd_total.value)}；算出来写成 (下限, 上限)。",
        ],
        solution=(
            f"【推算】重叠比例至少 = {g(gd_grass.value)}% + {g(gd_industry.value)}% − 100% = {g(both_min_pct)}%，"
            f"至多 = min({g(gd_grass.value)}%, {g(gd_industry.value)}%) = {g(both_max_pct)}%；"
            f"换成人数：{g(gd_total.value)} × {g(both_min_pct)}% = {g(both_low)}人，"
            f"{g(gd_total.value)} × {g(both_max_pct)}% = {g(both_high)}人。"
            f"两项都不具备的人则在0到{g(neither_max_pct)}%之间。真实的重叠落在哪里，要看每个人的履历才知道。"
        ),
        code=(f'n = utils.figure("{GD_TOTAL}").value\n'
              f'a = utils.figure("{GD_GRASS}").value\n'
              f'b = utils.figure("{GD_INDUSTRY}").value\n'
              "(n * (a + b - 100) / 100, n * min(a, b) / 100)"),
        topic="可以重叠的占比", skills=("overlap-bounds", "share-of-whole"), level=2,
    )


@lesson.problem("q11")
def q11():
    training, t_years, _, _ = training_span()
    county, shaanxi = figure(COUNTY), figure(SHAANXI)
    pt = person_times_rows()
    wrong_years = per_year_rows().set_index("id")["years"] - 1
    per_year_no_plus_one = (pt.set_index("id")["value"] / wrong_years.replace(0, float("nan")))
    return with_wrong(Code,
        "本章有几个以人次计的数字，时期长短不一。在 pt（第二章单位为“人次”的行）上新增两列："
        "years（这个数字覆盖几个年份，首尾都算）和 per_year（平均每年多少人次 = value ÷ years）。"
        "把 pt 赋给 answer_q11。",
        per_year_rows,
        columns=["id", "years", "per_year"],
        sort_by="id",
        mistakes=[
            Mistake("arithmetic", "年数少算了一年：2016–2021年是6个年份，要“末年 − 首年 + 1”，首尾都算。",
                    when=_column_matches("per_year", per_year_no_plus_one, "id"),
                    example=lambda: _per_year_slip(0)),
            Mistake("cumulative-annual", "per_year 和 value 一样：你没有把累计数分摊到每年。",
                    when=_column_matches("per_year", pt.set_index("id")["value"], "id"),
                    example=lambda: _per_year_slip(None)),
        ],
        hints=[
            "时期在 period_start 和 period_end 两列；累计人次在 value 列。",
            "新增一列就是 pt[\"新列\"] = 用已有列算出的式子；年数首尾都算要 +1。",
            "pt[\"years\"] = pt[\"period_end\"] − pt[\"period_start\"] + 1，再写 per_year 那一行（用哪两列相除？）。",
        ],
        solution=(
            "【推算】全国累计：" + w(training.value) + f" ÷ {t_years} = {w(training.value / t_years)}人次/年（至少）；"
            f"全国性培训班：{w(county.value)} ÷ {years_of(county)} ≈ {w(county.value / years_of(county))}人次/年；"
            f"陕西专项：{w(shaanxi.value)} ÷ {years_of(shaanxi)} = {w(shaanxi.value / years_of(shaanxi))}人次/年。"
            "年均只是把累计平摊，各年实际多少报告没有给。"
        ),
        code=('t = utils.load_figures(2)\n'
              'pt = t[t["unit"] == "人次"].copy()\n'
              'pt["years"] = pt["period_end"] - pt["period_start"] + 1\n'
              'pt["per_year"] = pt["value"] / pt["years"]\n'
              'pt[["id", "years", "per_year"]]'),
        topic="累计与年均", skills=("pandas-derive", "inclusive-years", "person-times"), level=2,
        track="拓展",
    )


@lesson.problem("q12")
def q12():
    training, _, t_low, t_high = training_span()
    classes, county, hours = figure(CLASSES), figure(COUNTY), figure(HOURS)
    per_class = county.value / classes.value
    return with_wrong(MultiChoice,
        f"本节的几个培训数字：全国性培训班共办了{w(classes.value)}期，县级以上扶贫干部参训{county.text}；"
        f"平均每人每年受训不少于{g(hours.value)}学时；全国累计{training.text}。下面哪些读法站得住？（可多选）",
        {
            "A": f"如果同一名县级干部参加了两期全国性培训班，他在{w(county.value)}人次里被记了两次。",
            "B": f"{w(classes.value)}期培训班，平均每期培训了约{g(round(per_class))}名不同的干部。",
            "C": f"全国培训总学时约为“{w(training.value)} × {g(hours.value)}”学时。",
            "D": "报告说这种培训解决了过去培训针对性不强的问题，但没有给出过去培训的任何数字，这个比较无从核对。",
            "E": "把全国累计、全国性培训班和陕西专项培训的人次加起来，就是这几年培训的总人次。",
        },
        "AD",
        explanations={
            "A": "对：人次按参加次数计，同一个人参加几次就记几次。",
            "B": f"错：{w(county.value)} ÷ {g(classes.value)} 得到的是平均每期的人次，不是不同的人数。",
            "C": f"错：{g(hours.value)}学时是“每人每年”的平均，{w(training.value)}是人次，两者相乘没有意义。",
            "D": "对：没有基准的比较，只能算报告的判断。",
            "E": "错：全国性培训班和陕西的专项培训很可能已经算在全国累计里，相加会重复计算。",
        },
        mistakes=[
            Mistake("person-times", f"你选了 B：{w(county.value)}是人次，除以期数得到的是“每期多少人次”，"
                                    "不是“每期多少名不同的干部”；同一个人可能参加了好几期。", when=has("B"), example="ABD"),
            Mistake("person-times", f"你选了 C：{g(hours.value)}学时是“每人每年”的平均，而{w(training.value)}是人次"
                                    "（每参加一次记一次），人次 × 每人每年学时算不出总学时。", when=has("C"), example="ACD"),
            Mistake("sum-overlap", "你选了 E：全国性培训班和陕西专项培训的人次很可能已经包含在全国累计里，"
                                   "三个数相加会把同一批培训算两次。", when=has("E"), example="ADE"),
            Mistake("no-baseline", "你漏了 D：“比过去的培训更有针对性”是一个比较，报告没有给出过去的任何数字作基准。",
                    when=lacks("D"), example="A"),
        ],
        hints=[
            "逐条看单位：每个说法里的数是“人”还是“人次”？是“每人每年”还是“累计”？",
            "乘除要单位对得上：人次 ÷ 期数得到什么？“每人每年的学时”乘以什么才得到总学时？报告给了那个量吗？",
            "再看 D 和 E：D 是一个比较，比较的另一方在哪里？E 的三个数之间会不会互相包含？把站得住的选项字母连起来写。",
        ],
        solution=(
            f"答案 AD。A：人次按次数计。B 错：【推算】{g(county.value)} ÷ {g(classes.value)} ≈ {g(round(per_class, 1))}人次/期，"
            "是人次不是人数。"
            "C 错在单位：总学时 = 参训的不同人数 × 人均每年学时 × 年数，人数报告没有给，用人次代替会重复计算。"
            "D：没有过去的数字，“解决了过去的问题”无法核对。"
            f"E 错：几个人次数字之间很可能互相包含。若全国性培训班包含在全国累计里，它只占很小一块："
            f"【推算】{w(county.value)} ÷ {w(t_low)} × 100 ≈ {g(round(county.value / t_low * 100, 2))}%（至多），"
            f"{w(county.value)} ÷ {w(t_high)} × 100 ≈ {g(round(county.value / t_high * 100, 2))}%（至少）。"
        ),
        topic="人次、平均与没有基准的比较", skills=("person-times", "no-baseline", "sum-overlap"),
        level=2, track="拓展",
    )


@lesson.problem("q13")
def q13():
    training, chapter_years, _, _ = training_span()   # the chapter's other period, 2016–2021
    funds = figure(FUNDS)
    f_years = years_of(funds)
    f_low, f_high = funds.bounds
    f_slip = f_years - 1                      # the "2021 − 2018" slip
    return with_wrong(Interval,
        f"{funds.period}，发给扶贫干部的各类保障资金累计“{funds.text}”。"
        "平均每年发放的金额落在什么范围？请写成 (下限, 上限)，单位：元（也可以写成带“亿”的文字，如 (\"10亿\", \"12亿\")）。",
        f_low / f_years,
        f_high / f_years,
        unit="元",
        rel_tol=0.01,
        mistakes=[
            Mistake("arithmetic", f"年数少算了一年：{funds.period}首尾都算是{f_years}个年份，"
                                  f"不是“{funds.period_end} − {funds.period_start} = {f_slip}”。",
                    value=(f_low / f_slip, f_high / f_slip)),
            Mistake("cumulative-annual", "你给的是累计总额的范围，题目问的是平均每年。",
                    value=(f_low, f_high)),
            Mistake("lower-bound-exact", f"“{funds.text}”里的“多”说明总额不止{w(f_low)}元：上限应按下一个整十亿算，"
                                         "不能把写出来的下限当成确数。",
                    value=(f_low / f_years, f_low / f_years)),
            Mistake("wrong-base-year", f"年数取错了：保障资金的时期是{funds.period}，不是本章其他数字的"
                                       f"{training.period}。",
                    value=(f_low / chapter_years, f_high / chapter_years)),
        ],
        hints=[
            f"“{funds.text}”是从多少到多少？“多”说明写出的数后面还有零头，但不到下一个整十亿。",
            f"{funds.period}包含几个年份？首尾都算：末年 − 首年 + 1。",
            f"下限 = {w(f_low)} ÷ 年数，上限 = {w(f_high)} ÷ 年数；写成 (下限, 上限)。",
        ],
        solution=(
            f"“{funds.text}”意味着总额在{w(f_low)}元到{w(f_high)}元之间（不含上限）。"
            f"【推算】年数 = {funds.period_end} − {funds.period_start} + 1 = {f_years}；"
            f"年均下限 = {w(f_low)} ÷ {f_years} = {w(f_low / f_years, '元')}，"
            f"上限 = {w(f_high)} ÷ {f_years} = {w(f_high / f_years, '元')}（不含）。报告没有逐年数字，也没有说有多少名干部领到，所以算不出“每人多少”。"
        ),
        code=(f'f = utils.figure("{FUNDS}")\n'
              "years = f.period_end - f.period_start + 1\n"
              "low, high = f.bounds\n"
              "(low / years, high / years)"),
        topic="累计与年均", skills=("qualifier-range", "inclusive-years"), level=2,
    )


@lesson.problem("q14")
def q14():
    funds, problems_solved, exemptions = figure(FUNDS), figure(PROBLEMS), figure(EXEMPTIONS)
    per_problem = funds.value / problems_solved.value
    return with_wrong(MultiChoice,
        f"本节还有两个数字：{funds.period}帮干部解决住房、看病等实际问题{w(problems_solved.value, '个')}，"
        f"容错纠错机制写明了{w(exemptions.value)}种可以免责的情形。结合保障资金“{funds.text}”，"
        "下面哪些说法站得住？（可多选）",
        {
            "A": f"平均每解决一个实际问题，花了约{w(round(per_problem, -4), '元')}保障资金。",
            "B": f"这几年共有{w(exemptions.value)}名干部因为容错机制被免于追责。",
            "C": f"{w(problems_solved.value)}是解决了的问题的件数，它说明不了问题解决得好不好，也说明不了还有多少没解决。",
            "D": "报告没有说有多少名干部领到了保障资金，所以算不出每名干部领了多少。",
            "E": f"{funds.text}是每年发放的保障资金。",
        },
        "CD",
        explanations={
            "A": "错：报告没有说保障资金是用来解决这些问题的，两个并列的数相除，得出的不是“每个问题的花费”。",
            "B": "错：“种”是情形的类别数，不是人数，也不是次数；有多少人用上了免责，报告没有说。",
            "C": "对：件数只说明做了多少，看不出效果，也没有分母（一共提出了多少问题）。",
            "D": "对：没有领取人数，就没有“每人”的分母。",
            "E": f"错：这是{funds.period}的累计。",
        },
        mistakes=[
            Mistake("causal-claim", "你选了 A：报告把资金和解决问题并列着写，并没有说钱是花在这些问题上的；"
                                    "两个并列的数相除，得出的不是“每个问题的花费”。", when=has("A"), example="ACD"),
            Mistake("wrong-unit", f"你选了 B：{g(exemptions.value)}的单位是“种”（免责情形的类别），不是“人”也不是“次”。",
                    when=has("B"), example="BCD"),
            Mistake("cumulative-annual", f"你选了 E：保障资金是{funds.period}的累计，不是每年的数。", when=has("E"), example="CDE"),
        ],
        hints=[
            "先看每个数的单位：元、个、种。",
            "两个数能相除，要先有“一个是另一个的一部分或投入”的关系。报告有没有说钱是用来解决这些问题的？",
            "再问：“种”和“人”是一回事吗？“累计”和“每年”呢？把站得住的选项字母连起来写。",
        ],
        solution=(
            f"答案 CD。A 错：【推算】{w(funds.value)} ÷ {w(problems_solved.value)} ≈ {w(per_problem, '元')}，"
            "但报告没有说资金用于这些问题，这个除法没有含义。"
            f"B 错：{g(exemptions.value)}是免责情形的种类数，不是人数；用上免责的有多少人，报告没有给。"
            f"C、D 对。E 错：这是{funds.period}的累计。"
        ),
        topic="件数、种类与金额", skills=("reading-units", "causal-claim", "cumulative-annual"), level=2,
        track="拓展",
    )


@lesson.problem("q15")
def q15():
    r = stability_readings()
    stability, gap, gap_abs = r.stability, r.gap, r.gap_abs
    team_turnover, avg_turnover, literal = r.team_turnover, r.avg_turnover, r.literal
    avg_stability, pct_slip = r.avg_stability, r.pct_slip
    return with_wrong(Numeric,
        f"报告说，扶贫干部队伍的稳定性一直在{g(stability.value)}%以上，而且比同一时期基层干部的平均流动率"
        f"“低{gap_abs}个百分点”。假设“稳定性 = 100% − 流动率”，并把这{gap_abs}个百分点理解为两支队伍"
        f"流动率之差。稳定性是“{g(stability.value)}%以上”，是下限，所以推出的流动率也只是界限："
        "基层干部的平均流动率最多是多少？（单位：%，填数字即可）",
        avg_turnover,
        unit="%",
        rel_tol=0.01,
        scales=(),
        mistakes=[
            Mistake("wrong-figure", f"你按字面把稳定性和流动率直接相比：{g(stability.value)}% + {gap_abs}个百分点"
                                    f" = {g(literal)}%。稳定性是留下的比例、流动率是离开的比例，方向相反，不能直接比；"
                                    "而且比例不可能超过100%。先把稳定性换成流动率。", value=literal),
            Mistake("wrong-figure", f"你算的是基层干部的“稳定性”（{g(stability.value)}% − {gap_abs}个百分点），"
                                    "题目问的是流动率：再用100%减一下。", value=avg_stability),
            Mistake("arithmetic", f"{g(team_turnover)}%是扶贫干部队伍自己的流动率；基层干部的流动率还要高出{gap_abs}个百分点。",
                    value=team_turnover),
            Mistake("arithmetic", f"方向反了：扶贫干部队伍的流动率比基层干部“低”，所以基层干部的流动率更高，要加上{gap_abs}个百分点。",
                    value=team_turnover + gap.value),
            Mistake("points-as-percent", f"你把“{gap_abs}个百分点”当成了“{gap_abs}%”，用了乘法。"
                                         "百分点是两个百分数之差，直接加减。", value=pct_slip),
        ],
        hints=[
            f"先把扶贫干部队伍的稳定性换成流动率：100% − {g(stability.value)}%。",
            f"“低{gap_abs}个百分点”说明基层干部的平均流动率更高；百分点直接加减。",
            f"把数代进去：(100 − {g(stability.value)}) + {gap_abs} = ?（注意：不要直接拿{g(stability.value)}去加。）",
        ],
        solution=(
            f"【推算】扶贫干部队伍流动率 = 100% − {g(stability.value)}% = {g(team_turnover)}%"
            f"（至多，因为稳定性在{g(stability.value)}%以上）；"
            f"基层干部平均流动率 = {g(team_turnover)}% + {gap_abs}个百分点 = {g(avg_turnover)}%（在这个假设下，也是至多）。"
            f"按字面直接相加会得到“{g(stability.value)}% + {gap_abs} = {g(literal)}%”的流动率，超过100%，"
            "说明原句把两种口径混在了一起。报告也没有说明两个指标怎么计算，所以这个数只是假设下的推算。"
        ),
        code=(f'stability = utils.figure("{STABILITY}").value\n'
              f'gap = utils.figure("{GAP}").value   # 带符号：负数表示“低”\n'
              "(100 - stability) - gap"),
        topic="口径不同的两个比例", skills=("points", "mixed-measures"), level=3,
    )


@lesson.problem("q16")
def q16():
    training, t_years, _, _ = training_span()
    cadres, township, work_teams = figure(CADRES), figure(TOWNSHIP), figure(WORK_TEAMS)
    totals = capstone_totals()
    people = totals["人"]
    per_cadre = totals["人次"] / people
    per_cadre_only_first = training.value / cadres.value
    per_team = training.value / work_teams.value
    return with_wrong(Numeric,
        f"把本章的培训人次和第一章的两支队伍放在一起。用 pandas 从 utils.load_figures() 中筛出"
        f"{len(CAPSTONE_IDS)}行（{'、'.join(CAPSTONE_IDS)}），按 unit 分组对 value 求和，"
        "再用“人次”的合计除以“人”的合计：按报告写出的数字（先不管“多”“近”），"
        f"{training.period}平均每名干部大约对应多少人次培训？（保留一位小数）",
        per_cadre,
        unit="人次",
        rel_tol=0.01,
        digits=1,
        scales=(),
        capstone=True,
        mistakes=[
            Mistake("wrong-denominator", f"分母只用了第一书记和驻村干部（{w(cadres.value)}）；"
                                         f"题目要的是两支队伍合计（再加上乡镇干部{w(township.value)}）。",
                    value=per_cadre_only_first),
            Mistake("inverted-ratio", "比值倒过来了：要的是“每人多少人次”，用人次合计 ÷ 人数合计。",
                    value=1 / per_cadre),
            Mistake("cumulative-annual", f"你又除以了{t_years}年：题目问的是整个时期平均每人多少人次，不是每年。",
                    value=per_cadre / t_years),
            Mistake("wrong-figure", f"你用了驻村工作队的个数（{w(work_teams.value, '个')}）作分母：那是工作队，单位是“个”，不是人数。",
                    value=per_team),
        ],
        hints=[
            "先筛行：t[t[\"id\"].isin([...三个编号...])]；isin 可以一次匹配多个值。",
            "按单位分组求和：picked.groupby(\"unit\")[\"value\"].sum()，会得到“人”和“人次”两个合计。",
            "用 totals[\"人次\"] ÷ totals[\"人\"]，保留一位小数——然后想一想：这个平均数能说明“每个人都参加过培训”吗？",
        ],
        solution=(
            f"【推算】“人”的合计 = {w(cadres.value)} + {w(township.value)} = {w(people)}；"
            f"{w(totals['人次'])}人次 ÷ {w(people)}人 = {g(round(per_cadre, 2))}人次/人。"
            "这个数很粗：分子“多”、分母一个“多”一个“近”，真实值可能偏离；受训的“扶贫干部”还包括村干部和县以上干部，"
            "分母可能更大；第一章的人数是“截至2021年累计选派”，未必和培训的时期对齐。"
            f"更重要的是，平均每人{g(round(per_cadre, 1))}人次并不说明每个人都参加过：可能一部分人参加了很多次，"
            "另一部分人一次也没有——人次只告诉我们次数，不告诉我们分布。"
        ),
        code=('t = utils.load_figures()\n'
              f'picked = t[t["id"].isin({list(CAPSTONE_IDS)!r})]\n'
              'totals = picked.groupby("unit")["value"].sum()\n'
              'round(totals["人次"] / totals["人"], 1)'),
        topic="人次与人数（综合）",
        skills=("pandas-filter", "pandas-group", "per-capita", "person-times", "lower-bound-exact"),
        level=3, track="拓展",
    )


@lesson.problem("q17")
def q17():
    return Discussion(
        "如果请你设计一张“扶贫干部培训统计表”，要同时回答“培训了多少人”和“培训了多少次”，你会设哪些栏目？"
        "每条记录代表什么？",
        [
            "每条记录代表“一个人参加一期培训”，并带上人员编号：这样既能数次数（行数），也能数人数（不重复的编号）。",
            "栏目至少包括：人员编号、所在层级（村、乡镇、县及以上）、培训期次编号、举办单位层级（全国、省、市、县）、"
            "培训领域、学时、起止日期。",
            "有了举办单位层级，才能判断全国性培训班的人次是否已包含在全国累计里，避免相加时重复计算。",
            "汇总时同时报告：人次、不同人数、人均参训次数、覆盖率（参训人数 ÷ 在岗人数）。",
        ],
        hints=[
            "先想清楚：一行记录代表什么？“一个人”还是“一个人参加的一期培训”？",
            "如果每行带上人员编号，怎样同时数出次数和人数？（行数与不重复的编号数）",
            "再补上能说明“谁办的、办给谁、学了什么、学了多久”的栏目，以及汇总时要报告的几个量。",
        ],
        solution="关键是让一行代表“一人参加一期”，并带上人员编号：行数给出人次，不重复的编号给出人数。",
        topic="人次与人数", skills=("person-times", "data-design"), level=2, track="拓展",
    )


#: the documents q18's model points rest on (issuing body, title, date)
_SENDING_OPINION = ("中共中央办公厅《关于向重点乡村持续选派驻村第一书记和工作队的意见》"
                   "（2021年5月印发，新华社5月11日发布）")
_TRANSITION_OPINION = ("中共中央、国务院《关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见》"
                      "（2020年12月印发，2021年3月公开发布）")
_NOTICE_2015 = ("中共中央组织部、中央农村工作领导小组办公室、国务院扶贫开发领导小组办公室"
               "《关于做好选派机关优秀干部到村任第一书记工作的通知》（2015年4月）")


@lesson.problem("q18")
def q18():
    stability = figure(STABILITY)
    return Discussion(
        "脱贫攻坚结束以后，第一书记和驻村工作队并没有撤走。结合第一章和本章的“政策背景”，谈一谈："
        "在2021年开始的过渡期里，第一书记和工作队往哪些村派、到村里主要做什么？一批人任期满了要轮换，"
        "轮换和报告强调的“队伍稳定性”是什么关系？如果要评价这项安排做得好不好，你希望看到哪些数字？",
        [
            f"职责：按{_SENDING_OPINION}，第一书记和工作队的职责归为四项——建强村党组织、推进强村富民、"
            "提升治理水平、为民办事服务；既抓村里的党组织建设，也要给群众办实事，不只是管几个帮扶项目。",
            "派到哪里：按同一份意见，脱贫村和易地扶贫搬迁安置村（社区）继续派驻，重点是乡村振兴重点帮扶县的脱贫村，"
            "巩固任务较轻的村可以适当少派；各地再挑一批乡村振兴任务重的村派驻；党组织软弱涣散的村仍然每村都派第一书记。",
            f"为什么还要派：{_TRANSITION_OPINION}从脱贫之日起设立5年过渡期，过渡期内主要帮扶政策总体保持稳定，"
            "并要求做到“四个不摘”，其中之一是摘帽不摘帮扶；继续向重点村派驻干部，可以看作这一要求在人员上的落实。",
            f"派谁、怎样轮换：第一书记从机关、国有企业、事业单位等单位选派，一批任满由下一批接替；{_NOTICE_2015}"
            "规定第一书记任期一般为1至3年；2021年的意见对任期的具体规定，本课程没有核对到原文，这里不写。",
            f"轮换与稳定性：报告说{stability.period}扶贫干部队伍的稳定性在{g(stability.value)}%以上（这支队伍不只有第一书记），"
            "却没有说明怎么算。按计划任满轮换的人算不算“流动”？"
            "如果算，轮换制度本身就会压低稳定性；如果不算，这个比例说的只是任期中途离开的人。先问清口径，再谈高低。",
            "评价这项安排需要的数字：每年实际在岗的第一书记和工作队员人数（不是累计选派人数）、任期长短和按期轮换的比例、"
            "交接前后项目是否延续、村民对驻村干部的评议，并和条件相近、没有派驻的村按同样口径比较。",
        ],
        hints=[
            "先回忆第一章和本章的“政策背景”：第一书记是从哪里派去的？到村里要做哪几件事？",
            "再想过渡期：2021年以后，哪些村继续派人？为什么脱贫以后还要派？",
            "最后把“轮换”和报告的稳定性数字放在一起想：任满轮换算不算流动？写下你会用哪些数字评价这项安排。",
        ],
        solution=(
            f"参考要点依据三份文件：{_SENDING_OPINION}（派到哪里、职责四项）；{_TRANSITION_OPINION}"
            f"（5年过渡期、四个不摘）；{_NOTICE_2015}（任期）。"
            "讨论的重点是：驻村是一项按任期轮换、在过渡期里继续的安排，所以读报告的“累计选派”和“稳定性”数字时，"
            "都要先问它们怎样对待轮换。"
        ),
        topic="政策：驻村第一书记与工作队", skills=("policy-context", "mixed-measures"), level=2,
    )


@lesson.problem("q19")
def q19():
    return Discussion(
        "干部队伍“稳定”一定是好事吗？什么情况下干部流动反而有积极作用？只看一个稳定性百分比，会漏掉什么？",
        [
            "稳定有助于熟悉村情、延续项目；但稳定也可能意味着不称职的人没有被调整。",
            "流动的积极作用：把有经验的人调去更需要的地方、提拔表现好的人、让不适合的人离开。",
            "一个百分比漏掉了：谁走了（骨干还是不称职的人）、为什么走（提拔、轮换还是辞职）、"
            "指标怎么计算（按人数还是岗位，按年还是整个时期）。",
            "和“基层干部平均流动率”比较时，两个指标方向相反、口径未说明，先换到同一口径再比。",
        ],
        hints=[
            "先分别想：干部留下来有什么好处？离开又可能有什么好处？",
            "再想：谁离开、为什么离开，会不会比“离开的比例”更重要？",
            "最后看指标本身：稳定性按什么计算，报告说了吗？写下一个百分比漏掉的几件事。",
        ],
        solution="稳定本身不是目的：要看谁走了、为什么走、指标怎么算，再决定稳定性高是好是坏。",
        topic="口径不同的两个比例", skills=("mixed-measures", "interpretation"), level=3, track="拓展",
    )


build = lesson.build
