"""Chapter 1 — 强化组织引领：三维责任体系.  Exercises q1…q17.

Every answer is computed from the data by id; no figure of the report is typed in here.
The set starts with a pandas warm-up (select, filter) and rises to a capstone (q14) that joins
a figure of the report with the national series and states the assumption behind the pairing.

Each problem is declared on its own (``@lesson.problem("qN")``, in notebook order) on the shared
predicates of :mod:`.predicates`; the figures a problem needs come from the small helpers below
(``_delisting()``, ``_workforce()`` …), so no problem depends on another's locals.
"""
from __future__ import annotations

from types import SimpleNamespace

from ..data import figure, load_figures, national_series
from ..exercises import Chart, Choice, Code, Discussion, Interval, Mistake, MultiChoice, Numeric
from ..exercises.chart import scale_in_label
from ..quantities import base_from_pct_change, base_from_points, format_cn, multiple_readings
from .predicates import Lesson, close, drawn_has, drawn_values, frame_has, has, pair_near, safe, with_wrong

lesson = Lesson(1)
build = lesson.build

# -- reference answers (each a small function of the data, also used by tests) -------------------


def delisted_by_year():
    """q1: the years with a delisting figure, columns year and counties_delisted."""
    ns = national_series()
    return ns[ns["year"] >= _first_delisting_year()][["year", "counties_delisted"]]


def _first_delisting_year() -> int:
    ns = national_series()
    return int(ns.dropna(subset=["counties_delisted"])["year"].min())


def delisted_cumulative():
    """q3: q1's frame plus a running total ``cumulative``."""
    frame = delisted_by_year()
    return frame.assign(cumulative=frame["counties_delisted"].cumsum())


def qualified_figures():
    """q4: chapter 1 figures whose wording carries a qualifier (多、近、超过、以上、区间)."""
    f = load_figures(1)
    return f[f["qualifier"] != "exact"][["id", "indicator", "qualifier"]]


def yearly_chart_frame():
    """q2: one bar per year (label = the year as text), value = counties delisted that year."""
    frame = delisted_by_year()
    return frame.assign(label=frame["year"].astype(str), value=frame["counties_delisted"].astype(float))[
        ["label", "value"]]


RECTIFIED_LABEL = "被整顿的贫困村党组织"
VILLAGES_LABEL = "贫困村总数"


def rectified_vs_villages():
    """q9: derived number of rectified poor-village organisations beside the number of poor villages."""
    import pandas as pd

    rect, share = figure("ch1.weak_orgs_rectified"), figure("ch1.weak_orgs_poor_village_share")
    villages = figure("intro.poor_villages")
    return pd.DataFrame({"label": [RECTIFIED_LABEL, VILLAGES_LABEL],
                         "value": [rect.value * share.value / 100, villages.value]})


def poor_population_by_year():
    """q7: one point per year (label = the year as text), value = the national rural poor at year end (人)."""
    ns = national_series()
    return ns.assign(label=ns["year"].astype(str), value=ns["poor_population"].astype(float))[["label", "value"]]


CAPSTONE_YEARS = (2015, 2016)


def bijie_vs_national():
    """q14: national year-end incidence for the two candidate start years, and Bijie's start ÷ it."""
    ns = national_series()
    start = figure("ch1.bijie_incidence_start")
    rows = ns[ns["year"].isin(CAPSTONE_YEARS)][["year", "incidence"]]
    return rows.assign(ratio=start.value / rows["incidence"])


def _inverted_capstone():
    frame = bijie_vs_national()
    return frame.assign(ratio=1 / frame["ratio"])


def _capstone_three_years():
    ns = national_series()
    start = figure("ch1.bijie_incidence_start")
    rows = ns[ns["year"].isin([min(CAPSTONE_YEARS) - 1, *CAPSTONE_YEARS])][["year", "incidence"]]
    return rows.assign(ratio=start.value / rows["incidence"])


def _draw(frame, x, y, xlabel, ylabel):
    def make():
        import matplotlib.pyplot as plt
        import seaborn as sns

        plt.figure()
        ax = sns.barplot(data=frame(), x=x, y=y)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title("示例")
        return ax
    return make


def _draw_line(column: str, divide: float, ylabel: str):
    """A mistake's example chart: one column of the national series as a line (divided by ``divide``)."""
    def make():
        import matplotlib.pyplot as plt
        import seaborn as sns

        ns = national_series()
        plt.figure()
        ax = sns.lineplot(x=ns["year"].astype(float), y=ns[column].astype(float) / divide, marker="o")
        ax.set_xlabel("年份")
        ax.set_ylabel(ylabel)
        ax.set_title("示例")
        return ax
    return make


# -- the figures each problem reads (small helpers: data by id, nothing typed in) -----------------
# Not memoised on purpose: ``figure()`` and ``national_series()`` are cached by file content already,
# and a module-level cache would keep serving old numbers after the data changed in a running kernel.

fc = format_cn


def _delisting() -> SimpleNamespace:
    """The delisting years of the national series and q3's running total."""
    cumulative = delisted_cumulative()
    return SimpleNamespace(first_year=_first_delisting_year(), last_year=int(national_series()["year"].max()),
                           cumulative=cumulative, counties=figure("intro.poor_counties"))


def _workforce() -> SimpleNamespace:
    """The overview's three head counts (q5) and the bounds their wording allows."""
    secretaries, township = figure("ch1.first_secretaries"), figure("ch1.township_cadres")
    sec_low, sec_high = secretaries.bounds
    return SimpleNamespace(teams=figure("ch1.village_teams"), secretaries=secretaries, township=township,
                           sec_low=sec_low, sec_high=sec_high, twn_high=township.bounds[1])


def _cadres() -> SimpleNamespace:
    """Promoted vs held accountable, 2016–2021 (q6)."""
    promoted, accountable = figure("ch1.promoted_cadres"), figure("ch1.accountable_cadres")
    return SimpleNamespace(promoted=promoted, accountable=accountable, ratio=promoted.value / accountable.value)


def _rectified() -> SimpleNamespace:
    """Rectified village organisations, the poor villages' share of them, and the number of poor villages."""
    rectified, poor_share = figure("ch1.weak_orgs_rectified"), figure("ch1.weak_orgs_poor_village_share")
    villages = figure("intro.poor_villages")
    in_poor = rectified.value * poor_share.value / 100
    return SimpleNamespace(rectified=rectified, poor_share=poor_share, villages=villages, in_poor=in_poor,
                           village_pct=in_poor / villages.value * 100)


def _henan() -> SimpleNamespace:
    """Henan's collective income and its "增长N倍", with both readings (q10)."""
    income, growth = figure("ch1.henan_collective_income"), figure("ch1.henan_collective_income_growth")
    return SimpleNamespace(income=income, growth=growth,
                           readings=multiple_readings(growth.value, latest=income.value),
                           pct_reading=base_from_pct_change(income.value, growth.value))


def _participation() -> SimpleNamespace:
    """The participation rate and its change in points (q11)."""
    rate, rate_pts = figure("ch1.participation_rate"), figure("ch1.participation_rate_change")
    return SimpleNamespace(rate=rate, rate_pts=rate_pts, base_year=rate_pts.base_period,
                           base_rate=base_from_points(rate.value, rate_pts.value),
                           base_if_percent=base_from_pct_change(rate.value, rate_pts.value))


def _pairing() -> SimpleNamespace:
    """Party members in pairing and households per member, as bounds (q12)."""
    members, per_member = figure("ch1.party_members_pairing"), figure("ch1.households_per_member")
    mem_low, mem_high = members.bounds
    return SimpleNamespace(members=members, per_member=per_member, mem_low=mem_low, mem_high=mem_high,
                           hh_low=mem_low * per_member.value, hh_high=mem_high * per_member.value_high)


def _pace(fall: float, years: int) -> str:
    """【推算】text of an average yearly fall: "= 1115万人" when exact as shown, "≈ 1441万人" when rounded."""
    pace = fall / years
    shown = fc(pace, "人", digits=0)
    return f"{'=' if shown == fc(pace, '人', digits=6) else '≈'} {shown}"


def _trend() -> SimpleNamespace:
    """The national rural poor (q7): first and last year, and the year before the report's appraisal
    figures start, with the average yearly fall before and after it."""
    ns = national_series()
    people = dict(zip(ns["year"].astype(int), ns["poor_population"].astype(float)))
    first_year, last_year = min(people), max(people)
    split = int(figure("ch1.promoted_cadres").period_start) - 1
    return SimpleNamespace(first_year=first_year, last_year=last_year, split=split, first=people[first_year],
                           at_split=people[split], last=people[last_year],
                           early=_pace(people[first_year] - people[split], split - first_year),
                           late=_pace(people[split] - people[last_year], last_year - split))


def _bijie() -> SimpleNamespace:
    """Bijie's start incidence and its people lifted out, and the national incidence of the two candidate
    start years (q14)."""
    start = figure("ch1.bijie_incidence_start")
    capstone = bijie_vs_national()
    y0, y1 = CAPSTONE_YEARS
    return SimpleNamespace(
        lifted=figure("ch1.bijie_lifted"), start=start, y0=y0, y1=y1,
        nat0=float(capstone.loc[capstone["year"] == y0, "incidence"].iloc[0]),
        nat1=float(capstone.loc[capstone["year"] == y1, "incidence"].iloc[0]))


# -- predicates of this chapter's mistakes (the generic ones live in .predicates) -----------------


@safe
def _same_as_annual(frame) -> bool:
    return (frame["cumulative"].astype(float).values == frame["counties_delisted"].astype(float).values).all()


@safe
def _too_many_years(frame) -> bool:
    return len(frame) == len(national_series())


@safe
def _ratio_inverted(frame) -> bool:
    return (frame["ratio"].astype(float) < 1).all()


@safe
def _contains_exact(frame) -> bool:
    return (frame["qualifier"] == "exact").any()


def _drew_column(column: str):
    """Chart predicate: the drawn values are exactly one column of the national series (its rows with a
    value), as drawn."""
    @safe
    def test(drawn) -> bool:
        want = [float(v) for v in national_series()[column].dropna()]
        got = drawn_values(drawn)
        return len(got) == len(want) and all(close(g, w) for g, w in zip(got, want))
    return test


@safe
def _drawn_in_wan_labelled_plain(drawn) -> bool:
    """The national poor drawn in 万人 while the value axis names no scale word."""
    want = [float(v) for v in national_series()["poor_population"]]
    got = drawn_values(drawn)
    return (scale_in_label(drawn.value_label)[1] == 1 and len(got) == len(want)
            and all(close(g * 1e4, w) for g, w in zip(got, want)))


@safe
def _capstone_rows_wrong(frame) -> bool:
    return len(frame) != len(CAPSTONE_YEARS) and frame_has("ratio")(frame)


# -- the problems, in notebook order ----------------------------------------------------------------
# ---- 开篇：热身


@lesson.problem("q1")
def q1():
    d = _delisting()
    first_year, last_year, cumulative = d.first_year, d.last_year, d.cumulative
    return with_wrong(Code,
        f"从 `ns`（全国背景数据）中选出有逐年摘帽数字的那几年（{first_year}年及以后），"
        "只保留 `year` 和 `counties_delisted` 两列。结果是一个 DataFrame。",
        delisted_by_year,
        columns=["year", "counties_delisted"],
        only_columns=["year", "counties_delisted"],
        sort_by="year",
        hints=[
            "第一步（看哪里）：上面的热身单元格演示了“筛选行”和“选列”两种写法，这道题把它们连起来用。",
            "第二步（用什么操作）：先用条件 `ns[\"year\"] >= 某年` 筛出行，再用双层方括号 `[[\"列1\", \"列2\"]]` 选列。",
            f"第三步（代入）：年份的界限是{first_year}，两列是 year 和 counties_delisted。"
            "把两步连起来写成一行，赋给 answer_q1。",
        ],
        solution=(
            f"先筛行、再选列：{first_year}年以前的行没有逐年摘帽数字（显示为 <NA>），筛掉后剩下"
            f"{first_year}–{last_year}年共{len(cumulative)}行。"
            "也可以用 dropna(subset=[\"counties_delisted\"]) 去掉空值，结果相同。"
        ),
        code='answer_q1 = ns[ns["year"] >= %d][["year", "counties_delisted"]]' % first_year,
        mistakes=[Mistake("wrong-base-year",
                          f"你的表还保留了{first_year}年以前的年份。那几年没有逐年摘帽数字，"
                          "先按年份筛选行，再选列。", when=_too_many_years,
                          example=lambda: national_series()[["year", "counties_delisted"]])],
        topic="开篇", skills=("pandas-select", "pandas-filter"), level=1,
    )


@lesson.problem("q2")
def q2():
    d = _delisting()
    first_year, last_year, cumulative = d.first_year, d.last_year, d.cumulative
    return Chart(
        f"用 seaborn 画一张柱状图：每年一根柱子，柱高是当年摘帽的贫困县数（{first_year}–{last_year}年）。"
        "纵轴标签写明单位“个”，再加一个标题。",
        yearly_chart_frame,
        kind="bar",
        unit="个",
        hints=[
            "第一步（看哪里）：练习1的结果已经是画图所需的表：一列年份、一列县数。",
            "第二步（用什么操作）：`sns.barplot(data=表, x=横轴列名, y=纵轴列名)` 画柱子，"
            "返回的 ax 用 `ax.set_ylabel(...)`、`ax.set_title(...)` 加标签和标题。",
            "第三步（代入）：data 用练习1的结果，x 用年份那一列，y 用摘帽县数那一列；"
            "纵轴标签写成“摘帽县数（个）”这样带单位的形式。标题由你来起。",
        ],
        solution=(
            f"每年一根柱子。{first_year}年最少，随后逐年增多，"
            "倒数第二年最多，最后一年又少了很多——最后一年剩下的县本来就不多。"
            "柱子的高低只说明“哪年摘帽多”，不说明那一年工作做得好不好。"
        ),
        mistakes=[Mistake("cumulative-annual",
                          "你画的是累计摘帽数（逐年加总），题目要的是每年“当年”摘帽的县数。",
                          when=drawn_has(float(cumulative["cumulative"].iloc[-1])),
                          example=_draw(delisted_cumulative, "year", "cumulative", "年份", "累计摘帽县数（个）"))],
        code=('import seaborn as sns\n'
              'ax = sns.barplot(data=answer_q1, x="year", y="counties_delisted")\n'
              'ax.set_xlabel("年份")\n'
              'ax.set_ylabel("摘帽县数（个）")\n'
              'ax.set_title("每年摘帽的贫困县")'),
        topic="开篇", skills=("seaborn-bar", "axis-label"), level=1,
    )


@lesson.problem("q3")
def q3():
    d = _delisting()
    first_year, last_year, cumulative, counties = d.first_year, d.last_year, d.cumulative, d.counties
    return with_wrong(Code,
        "在练习1的表上加一列 `cumulative`：到当年年末为止“累计”摘帽的县数。"
        "结果是一个有三列（year、counties_delisted、cumulative）的 DataFrame。"
        "做完后看看最后一行，再和报告开篇的县数比一比。",
        delisted_cumulative,
        columns=["year", "counties_delisted", "cumulative"],
        sort_by="year",
        hints=[
            "第一步（看哪里）：累计数就是把当年及以前各年的数字加起来，所以只需要 counties_delisted 这一列。",
            "第二步（用什么操作）：Series 的 `.cumsum()` 给出逐项累加；`表.assign(新列名=…)` 返回加了一列的新表。",
            "第三步（代入）：在练习1的结果上 assign 一列 cumulative，它等于 counties_delisted 那一列的 cumsum()。"
            "写好后赋给 answer_q3。",
        ],
        solution=(
            f"【推算】逐年累加：{first_year}年末累计{int(cumulative['cumulative'].iloc[0])}个，"
            f"{last_year}年末累计{int(cumulative['cumulative'].iloc[-1])}个"
            f"（= {' + '.join(str(int(v)) for v in cumulative['counties_delisted'])}），"
            f"与报告开篇的{counties.text}一致。"
            "这串逐年数字来自国务院扶贫开发领导小组办公室公布的贫困县退出情况（表中 source_counties 一列），"
            "是报告之外的来源。两处总数对得上，说明它们至少没有互相矛盾；"
            "但算术上的一致并不能证明两处用的是同一个统计口径，更说明不了各县摘帽后发展得怎样。"
            "累计数只增不减，回答“到哪年为止完成了多少”；逐年数回答“哪一年最集中”。"
        ),
        code=('answer_q3 = answer_q1.assign(cumulative=answer_q1["counties_delisted"].cumsum())'),
        mistakes=[Mistake("cumulative-annual",
                          "你的 cumulative 列和当年摘帽数一模一样：这是“当年”数，不是“累计”数。"
                          "累计要把当年和以前各年加起来（.cumsum()）。", when=_same_as_annual,
                          example=lambda: delisted_by_year().assign(cumulative=delisted_by_year()["counties_delisted"]))],
        topic="开篇", skills=("pandas-assign", "cumsum"), level=2,
    )


# ---- 开篇：总述


@lesson.problem("q4")
def q4():
    return with_wrong(Code,
        "本章有哪些数字带着限定词（多、近、超过、以上，或者给的是区间）？用 `utils.load_figures(1)` "
        "取出第一章的全部数字，筛出 `qualifier` 不是 \"exact\" 的行，只保留 `id`、`indicator`、`qualifier` 三列。",
        qualified_figures,
        columns=["id", "indicator", "qualifier"],
        only_columns=["id", "indicator", "qualifier"],
        sort_by="id",
        hints=[
            "第一步（看哪里）：utils.load_figures(1) 的 qualifier 列记录了措辞的性质："
            "exact 是确数，at_least 是下限，approx 是约数，range 是区间。",
            "第二步（用什么操作）：筛选条件可以是“不等于”：`表[表[\"qualifier\"] != \"exact\"]`；选列仍用双层方括号。",
            "第三步（代入）：先 `f = utils.load_figures(1)`，再对 f 写出上面的条件，最后选 id、indicator、qualifier 三列，"
            "赋给 answer_q4。",
        ],
        solution=(
            "筛出的行都不是确数：“多”“超过”“以上”“至少”是下限（at_least），“近”是约数（approx），"
            "“2-3户”是区间（range）。读这些数字时，先把它们改写成下限、上限或区间，再谈计算。"
        ),
        code=('f = utils.load_figures(1)\n'
              'answer_q4 = f[f["qualifier"] != "exact"][["id", "indicator", "qualifier"]]'),
        mistakes=[Mistake("wrong-figure",
                          "你的表里还有 qualifier 为 exact 的行：这些是确数，不带限定词。"
                          "把条件写成“不等于 exact”。", when=_contains_exact,
                          example=lambda: load_figures(1)[["id", "indicator", "qualifier"]])],
        topic="总述", skills=("pandas-filter", "pandas-select", "qualifiers"), level=2, track="拓展",
    )


@lesson.problem("q5")
def q5():
    w = _workforce()
    teams, secretaries, township = w.teams, w.secretaries, w.township
    sec_low, sec_high, twn_high = w.sec_low, w.sec_high, w.twn_high
    return with_wrong(MultiChoice,
        f"报告写的是“{secretaries.quote}”和“{township.quote}”，还提到{teams.text}驻村工作队。"
        "只根据这些措辞，下面哪些说法站得住？（可多选，写成 \"AB\" 这样的字母串）",
        {
            "A": f"第一书记和驻村干部不少于{fc(sec_low, '人')}",
            "B": f"第一书记和驻村干部可能多达{fc(sec_low * 1.5, '人')}",
            "C": f"乡镇干部的人数不到{fc(twn_high, '人')}",
            "D": f"乡镇干部正好是{fc(township.value, '人')}",
            "E": "“累计选派”的第一书记和驻村干部，在任何一个时刻都同时驻在村里",
            "F": f"把{teams.text}驻村工作队和这两类干部的人数相加，就是一线扶贫力量的总人数",
        },
        "AC",
        explanations={
            "A": "“多”给出下限，对。",
            "B": f"“{secretaries.text}”还不到{fc(sec_high, '人')}，达不到这个数。",
            "C": "“近”表示接近但没有达到，对。",
            "D": "“近”不是“正好”。",
            "E": "“累计选派”把多年里轮换的人都算进去了，同一时刻在岗的人要少。",
            "F": "工作队按“个”计，不能和人数相加；“数百万村干部”也没有确数。",
        },
        hints=[
            "第一步（看哪里）：逐个看措辞里的限定词：“多”、“近”，以及“累计”和单位“个”。",
            "第二步（用什么操作）：把措辞写成范围。“多”给下限，上限是下一个整数位（“20多人”在20到30之间）；"
            "“近”给上限（“近50人”不到50）。"
            "累计数不等于某一时刻的数；个和人不能相加。",
            f"第三步（代入）：第一书记等在{fc(sec_low, '人')} ≤ x < {fc(sec_high, '人')}；乡镇干部 x < {fc(twn_high, '人')}。"
            "拿这两个范围逐一对照 A–D，再判断 E、F，写出你选的字母。",
        ],
        solution=(
            f"选 AC。A：“多”是下限，至少{fc(sec_low, '人')}。"
            f"B 错：“{secretaries.text}”不到{fc(sec_high, '人')}，到不了{fc(sec_low * 1.5, '人')}。"
            f"C 对、D 错：“近”表示接近但不到{fc(twn_high, '人')}；报告没有给出下限。"
            "E 错：累计数把多年里先后选派的人都算了，同一时刻在岗的人少得多，同一人还可能被数两次。"
            "F 错：工作队按“个”计，不能与人数相加；“数百万村干部”没有确数，总人数算不出来。"
        ),
        mistakes=[
            Mistake("lower-bound-exact", f"你选了 D：“{township.text}”是接近但不到{fc(twn_high, '人')}，不是正好这么多。",
                    when=has("D"), example="ACD"),
            Mistake("lower-bound-exact", f"你选了 B：“{secretaries.text}”是至少{fc(sec_low, '人')}、不到{fc(sec_high, '人')}，"
                    "不能读成“可能多出一半”。", when=has("B"), example="ABC"),
            Mistake("cumulative-annual", "你选了 E：“累计选派”是多年里先后派出的人数之和，不是同一时刻在岗的人数。",
                    when=has("E"), example="ACE"),
            Mistake("sum-overlap", "你选了 F：工作队按“个”计、干部按“人”计，不能相加；村干部也没有确数。",
                    when=has("F"), example="ACF"),
        ],
        topic="总述", skills=("qualifiers", "units"), level=2,
    )


# ---- （一）


@lesson.problem("q6")
def q6():
    c = _cadres()
    promoted, accountable, ratio = c.promoted, c.accountable, c.ratio
    return with_wrong(Numeric,
        f"{promoted.period}获提拔或进一步使用的党政领导干部有{promoted.text}，"
        f"同一时期因履职不力被问责的干部有{accountable.text}。前者是后者的几倍？（写一个数）",
        ratio,
        unit="倍",
        rel_tol=0.01,
        digits=0,
        hints=[
            "第一步（看哪里）：两个数的单位都是“人”、时期相同，可以相除。",
            "第二步（用什么操作）：“A 是 B 的几倍”= A ÷ B，被比较的数放在前面。",
            f"第三步（代入）：{fc(promoted.value)} ÷ {fc(accountable.value)}；两个数都以“万”为单位，"
            "可以先把“万”约掉再除。结果由你算出。",
        ],
        solution=(
            f"【推算】{fc(promoted.value, '人')} ÷ {fc(accountable.value, '人')} = {ratio:g}，"
            f"即同期每有1名干部被问责，就有{ratio:g}名获提拔或重用。"
            "这个比值只比较了两个人数，回答不了：全国领导干部一共多少（没有分母，算不出比例）；"
            "问责是否“促使”干部下沉（这是因果判断，需要对照）；两组人是否有重叠。"
        ),
        code=('p, a = utils.figure("ch1.promoted_cadres"), utils.figure("ch1.accountable_cadres")\n'
              'answer_q6 = p.value / a.value'),
        mistakes=[
            Mistake("inverted-ratio", "你把比值倒过来了：算的是“被问责人数是提拔人数的几倍”。"
                    "题目问的是提拔人数 ÷ 问责人数。", value=accountable.value / promoted.value),
            Mistake("unit-scale", "数量级差了十倍：检查“万”的换算，两个数都要先换成同一单位。",
                    value=ratio * 10),
            Mistake("unit-scale", "数量级差了十倍：检查“万”的换算，两个数都要先换成同一单位。",
                    value=ratio / 10),
        ],
        topic="（一）", skills=("ratio",), level=2,
    )


@lesson.problem("q7")
def q7():
    t = _trend()
    return Chart(
        "用 seaborn 画一张折线图：横轴是年份（`year` 列），纵轴是全国农村贫困人口（`poor_population` 列，"
        f"{t.first_year}–{t.last_year}年每年年末一个点，数据里的单位是“人”）。"
        "纵轴标签写明单位：按“人”画就写“人”；先换算成“万人”再画，标签里就写“万人”。再加一个标题。",
        poor_population_by_year,
        kind="line",
        unit="人",
        value_name="农村贫困人口",
        chart_title="全国农村贫困人口（现行标准，年末）",
        hints=[
            "第一步（看哪里）：数据都在 `ns` 里：一列年份，一列当年年末的农村贫困人口（人）。不用筛选，每年都要。",
            "第二步（用什么操作）：`sns.lineplot(data=表, x=横轴列名, y=纵轴列名)` 画折线，用法和练习2的 barplot 一样；"
            "想以“万人”为单位，先用 `表.assign(新列名=某列 / 10000)` 加一列。标签和标题的写法也和练习2相同。",
            "第三步（代入）：data 用 ns（或你加了一列的表），x 用年份，y 用贫困人口或换算后的那一列；"
            "纵轴标签写成“农村贫困人口（万人）”这样的形式，括号里的单位要和你画的数一致。标题由你来起。",
        ],
        solution=(
            f"折线从{t.first_year}年末的{fc(t.first, '人')}一路降到{t.last_year}年末的{fc(t.last, '人')}，"
            f"{t.split}年以前就已经在下降。"
            f"【推算】{t.first_year}–{t.split}年末平均每年减少 ({fc(t.first)} − {fc(t.at_split)}) ÷ "
            f"{t.split - t.first_year} {t.early}；"
            f"{t.split}–{t.last_year}年末平均每年减少 ({fc(t.at_split)} − {fc(t.last)}) ÷ {t.last_year - t.split}"
            f" {t.late}。"
            f"报告的考核数字从{t.split + 1}年算起，说的是“比过去好”；这条线至少让我们看到了过去：下降不是从那时才开始的。"
            "但单看这条线，检验不了考核机制的作用：后一段每年减得少，不能读成机制不如从前——剩下的人越来越少，"
            "往往也越难脱贫；前一段减得多，也不能记在这套机制名下。要检验，需要对照（练习15会设计）。"
            "还要记住这条线是国家统计局用农村住户抽样调查推算的，不是逐户登记的名单（练习13会用到这一点）。"
        ),
        mistakes=[
            Mistake("unit-scale", "你画的数是以“万人”为单位的，但纵轴标签写的是“人”（或没写“万”）："
                    "要么把标签改成“万人”，要么画原来的人数。", when=_drawn_in_wan_labelled_plain,
                    example=_draw_line("poor_population", 1e4, "农村贫困人口（人）")),
            Mistake("wrong-figure", "你画的是贫困发生率（%），题目要的是贫困人口（人）：y 用 poor_population 那一列。",
                    when=_drew_column("incidence"), example=_draw_line("incidence", 1, "贫困发生率（%）")),
            Mistake("wrong-figure", "你画的是每年摘帽的贫困县数（练习2的那一列），题目要的是农村贫困人口。",
                    when=_drew_column("counties_delisted"), example=_draw_line("counties_delisted", 1, "摘帽县数（个）")),
        ],
        code=('import seaborn as sns\n'
              'frame = ns.assign(wan=ns["poor_population"] / 10000)\n'
              'ax = sns.lineplot(data=frame, x="year", y="wan", marker="o")\n'
              'ax.set_xlabel("年份")\n'
              'ax.set_ylabel("农村贫困人口（万人）")\n'
              'ax.set_title("全国农村贫困人口（现行标准，年末）")'),
        topic="（一）", skills=("seaborn-line", "axis-label", "units", "no-baseline"), level=2, track="拓展",
    )


# ---- （二）


@lesson.problem("q8")
def q8():
    r = _rectified()
    rectified, poor_share, in_poor = r.rectified, r.poor_share, r.in_poor
    return with_wrong(Numeric,
        f"{rectified.period}，全国一共整顿了{rectified.text}软弱涣散的村党组织；"
        f"在这些被整顿的组织里，贫困村的党组织占{poor_share.text}。"
        "被整顿的组织中，贫困村党组织大约有多少个？（可以写成 \"3.5万\" 这样的形式）",
        in_poor,
        unit="个",
        rel_tol=0.01,
        hints=[
            "第一步（看哪里）：“在被整顿的组织里占多少”，整体是被整顿的组织总数，部分是其中的贫困村党组织。",
            "第二步（用什么操作）：已知整体和占比，部分 = 整体 × 占比；百分数要先除以100。",
            f"第三步（代入）：{fc(rectified.value)} × {poor_share.value:g} ÷ 100，结果由你算出，单位是“个”。",
        ],
        solution=(
            f"【推算】{fc(rectified.value, '个')} × {poor_share.text} ≈ {fc(in_poor, '个')}；"
            f"其余{fc(rectified.value, '个')} − {fc(in_poor, '个')} ≈ {fc(rectified.value - in_poor, '个')}在非贫困村。"
            "这只说明被整顿的组织里贫困村占多数，不能说明贫困村的组织“更容易”软弱涣散——"
            "那要先知道全国村党组织中贫困村本来占多少。"
        ),
        code=('r, s = utils.figure("ch1.weak_orgs_rectified"), utils.figure("ch1.weak_orgs_poor_village_share")\n'
              'answer_q8 = r.value * s.value / 100'),
        mistakes=[
            Mistake("unit-scale", f"结果大了一百倍：百分数{poor_share.text}要先除以100再乘。",
                    value=rectified.value * poor_share.value),
            Mistake("wrong-denominator", "你用总数除以了占比：那是把“部分 ÷ 整体”倒过来用了。"
                    "已知整体求部分，应当用乘法。", value=rectified.value / (poor_share.value / 100)),
            Mistake("wrong-figure", "你算的是非贫困村的那一部分（总数 × 其余的比例）。题目问的是贫困村党组织。",
                    value=rectified.value - in_poor),
        ],
        topic="（二）", skills=("part-of-whole",), level=2,
    )


@lesson.problem("q9")
def q9():
    r = _rectified()
    rectified, villages, in_poor, village_pct = r.rectified, r.villages, r.in_poor, r.village_pct
    return Chart(
        f"把练习8推算出的“{RECTIFIED_LABEL}”和报告开篇的“{VILLAGES_LABEL}”（`intro.poor_villages`）"
        "画成一张柱状图：两根柱子，类别标签分别写“" + RECTIFIED_LABEL + "”和“" + VILLAGES_LABEL + "”，"
        "数值轴标签写明单位“个”，再加一个标题。先用数据算出数值、建一个两行的 DataFrame，再用 seaborn 画。",
        rectified_vs_villages,
        kind="bar",
        unit="个",
        hints=[
            "第一步（看哪里）：一根柱子是练习8的推算值，另一根是 utils.figure(\"intro.poor_villages\").value。",
            "第二步（用什么操作）：`pd.DataFrame({\"label\": [...], \"value\": [...]})` 建表，"
            "再用 `sns.barplot(data=表, x=\"value\", y=\"label\")` 画横向柱子；用 set_xlabel 写单位、set_title 写标题。",
            "第三步（代入）：label 列写上题目给的两个标签；value 列一个用两个 figure 的 value 相乘再除以100，"
            "另一个直接取贫困村总数。数值轴标签写成“个数（个）”一类，标题由你来起。",
        ],
        solution=(
            f"两根柱子几乎一样高：【推算】{fc(in_poor, '个')} ÷ {villages.text} × 100% ≈ {village_pct:.0f}%。"
            "这是否说明九成以上的贫困村党组织都软弱涣散？不能这样读："
            f"（1）{rectified.period}的整顿是多年累计，一个组织可能被整顿不止一次，被数两次；"
            f"（2）{villages.text}应理解为攻坚期间认定过的贫困村总数（报告没写认定年份），其中一些很可能在{rectified.period_start}年以前已经出列；"
            "（3）“一个村一个党组织”是通常情况，报告没有说明。两个数概念不同，放在一起只能提出问题，不能给出比例。"
        ),
        mistakes=[Mistake("wrong-figure",
                          f"“{RECTIFIED_LABEL}”那根柱子画成了被整顿组织的总数：还要乘上贫困村所占的比例。",
                          when=drawn_has(rectified.value),
                          example=_draw(lambda: rectified_vs_villages().assign(
                              value=[rectified.value, villages.value]), "value", "label", "个数（个）", ""))],
        code=('import pandas as pd\nimport seaborn as sns\n'
              'r, s = utils.figure("ch1.weak_orgs_rectified"), utils.figure("ch1.weak_orgs_poor_village_share")\n'
              'v = utils.figure("intro.poor_villages")\n'
              f'frame = pd.DataFrame({{"label": ["{RECTIFIED_LABEL}", "{VILLAGES_LABEL}"],\n'
              '                      "value": [r.value * s.value / 100, v.value]})\n'
              'ax = sns.barplot(data=frame, x="value", y="label")\n'
              'ax.set_xlabel("个数（个）")\n'
              'ax.set_ylabel("")\n'
              'ax.set_title("被整顿的贫困村党组织与贫困村总数")'),
        topic="（二）", skills=("part-of-whole", "pandas-build-frame", "seaborn-bar"), level=3, track="拓展",
    )


@lesson.problem("q10")
def q10():
    h = _henan()
    income, growth, readings, pct_reading = h.income, h.growth, h.readings, h.pct_reading
    return with_wrong(Numeric,
        f"报告给了河南贫困村集体经济收入的两个数：{income.period}{income.text}，比{growth.base_period}年"
        f"{growth.text}——两个都是下限。"
        f"为了练习反推，设想一个村正好落在这两个下限上：{income.period}收入按{fc(income.value, '元')}算，"
        f"比{growth.base_period}年“增长了{growth.value:g}倍”。"
        f"按统计上的严格读法，它{growth.base_period}年的集体经济收入是多少元？",
        readings.strict_base,
        unit="元",
        rel_tol=0.01,
        hints=[
            "第一步（看哪里）：上面“增长N倍”的两种读法，以及动手探索里设想的那个村。",
            "第二步（用什么操作）：严格读法是“增加了基期的 N 倍”，现值 = 基期 × (N + 1)，所以基期 = 现值 ÷ (N + 1)。",
            f"第三步（代入）：基期 = {fc(income.value, '元')} ÷ ({growth.value:g} + 1)。结果由你算出，单位是元。",
        ],
        solution=(
            f"【推算】严格读法：{fc(income.value, '元')} ÷ {readings.strict_factor:g} = {fc(readings.strict_base, '元')}；"
            f"口语读法（当成“增长到{growth.value:g}倍”）：{fc(income.value, '元')} ÷ {readings.loose_factor:g} ≈ "
            f"{fc(readings.loose_base, '元')}。"
            "报告的两个数字都是下限（“超过”“以上”），一个说每个村，一个很可能说总体，"
            f"所以这只是对一个设想的村的演算，不是河南{growth.base_period}年的真实数字。"
        ),
        code=('r = utils.multiple_readings(utils.figure("ch1.henan_collective_income_growth").value,\n'
              '                           latest=utils.figure("ch1.henan_collective_income").value)\n'
              'answer_q10 = r.strict_base'),
        mistakes=[
            Mistake("times-reading", f"你用的是口语读法（把“增长{growth.value:g}倍”当成“增长到{growth.value:g}倍”，"
                    f"除以{readings.loose_factor:g}）。统计上的严格读法是增加了基期的{growth.value:g}倍，"
                    f"应当除以{readings.strict_factor:g}。", value=readings.loose_base),
            Mistake("wrong-unit", f"你把“增长{growth.value:g}倍”读成了“增长{growth.value:g}%”。"
                    "“倍”和“%”差了一百倍。", value=pct_reading),
            Mistake("arithmetic", "你乘而不是除了：题目给的是现值，要反推基期，应当除以倍数。",
                    value=income.value * readings.strict_factor),
        ],
        topic="（二）", skills=("times-reading", "base-from-change"), level=2,
    )


@lesson.problem("q11")
def q11():
    p = _participation()
    rate, rate_pts, base_year = p.rate, p.rate_pts, p.base_year
    base_rate, base_if_percent = p.base_rate, p.base_if_percent
    return with_wrong(Numeric,
        f"{rate.period}，贫困群众自主参与扶贫项目的比例是{rate.text}，"
        f"比{base_year}年高出{rate_pts.text}。{base_year}年这个比例是多少？"
        "（写成 \"50%\" 这样的百分数，保留一位小数）",
        base_rate,
        unit="%",
        rel_tol=0.005,
        digits=1,
        hints=[
            "第一步（看哪里）：注意单位是“个百分点”，不是“%”。",
            "第二步（用什么操作）：百分点是两个百分数直接相减的差，所以基期 = 现值 − 百分点数。",
            f"第三步（代入）：{rate.value:g} − {rate_pts.value:g}，结果写成百分数。",
        ],
        solution=(
            f"【推算】{rate.text} − {rate_pts.text} = {fc(base_rate, '%')}。"
            f"如果误读成“提高了{rate_pts.value:g}%”，会算出{rate.value:g}% ÷ (1 + {rate_pts.value:g}%) ≈ "
            f"{fc(base_if_percent, '%')}，把起点抬高了一大截。"
            "报告没有说明“自主参与”怎样认定、由谁统计，两年的口径是否一致也无从核对。"
        ),
        code=('r, d = utils.figure("ch1.participation_rate"), utils.figure("ch1.participation_rate_change")\n'
              'answer_q11 = utils.base_from_points(r.value, d.value)'),
        mistakes=[
            Mistake("points-as-percent", f"你把“{rate_pts.text}”当成了“{rate_pts.value:g}%”，按相对增长反推了基期。"
                    "百分点是两个百分数之差，直接相减即可。", value=base_if_percent),
            Mistake("arithmetic", "方向反了：是现在比过去高，过去的比例应当更低，用减法。",
                    value=rate.value + rate_pts.value),
            Mistake("wrong-figure", "你写的是提升的幅度，不是基期的水平。", value=rate_pts.value),
        ],
        topic="（二）", skills=("points", "base-from-change"), level=2,
    )


# ---- （三）


@lesson.problem("q12")
def q12():
    p = _pairing()
    members, per_member, mem_low, mem_high = p.members, p.per_member, p.mem_low, p.mem_high
    hh_low, hh_high = p.hh_low, p.hh_high
    return with_wrong(Interval,
        f"参与结对帮扶的党员有{members.text}，每人平均对接{per_member.text}贫困家庭。"
        "这些结对关系一共覆盖多少户次？给出措辞允许的区间，写成 (下限, 上限)，单位：户次。",
        hh_low,
        hh_high,
        unit="户次",
        rel_tol=0.01,
        hints=[
            "第一步（看哪里）：两个数都带不确定性：“多”给出一个范围，“2-3户”本身是区间。",
            f"第二步（用什么操作）：先写成区间：党员{fc(mem_low, '人')} ≤ x < {fc(mem_high, '人')}，"
            f"每人{per_member.value:g}–{per_member.value_high:g}户。乘积的下限 = 下限 × 下限，上限 = 上限 × 上限。",
            f"第三步（代入）：下限 = {fc(mem_low)} × {per_member.value:g}，上限 = {fc(mem_high)} × {per_member.value_high:g}。"
            "两个乘法由你来做，写成 (下限, 上限)。",
        ],
        solution=(
            f"【推算】下限{fc(mem_low, '人')} × {per_member.value:g} = {fc(hh_low, '户次')}；"
            f"上限{fc(mem_high, '人')} × {per_member.value_high:g} = {fc(hh_high, '户次')}（不含）。"
            f"【推算】上限 ÷ 下限 = {fc(hh_high)} ÷ {fc(hh_low)} ≈ {hh_high / hh_low:.2f}倍：两处不确定相乘后被放大了。"
            "这是“户次”而不是“户”：一户可能同时有几名党员结对，所以它说不出有多少个不同的家庭得到了帮扶；"
            "“平均2-3户”也没说分布。"
        ),
        code=('m, h = utils.figure("ch1.party_members_pairing"), utils.figure("ch1.households_per_member")\n'
              'answer_q12 = (m.bounds[0] * h.value, m.bounds[1] * h.value_high)'),
        mistakes=[
            Mistake("lower-bound-exact", f"你把“{members.text}”当成了正好{fc(mem_low, '人')}：“多”只是下限，"
                    f"上限要用{fc(mem_high, '人')}。", when=pair_near((hh_low, mem_low * per_member.value_high)),
                    example=(hh_low, mem_low * per_member.value_high)),
            Mistake("wrong-figure", "你给出的是党员人数的区间，还没有乘上每人帮扶的户数。",
                    when=pair_near((mem_low, mem_high)), example=(mem_low, mem_high)),
            Mistake("wrong-figure", "你给出的是每人帮扶户数的区间；题目问的是全部结对关系的户次。",
                    when=pair_near((per_member.value, per_member.value_high)),
                    example=(per_member.value, per_member.value_high)),
        ],
        topic="（三）", skills=("qualifiers", "interval-product"), level=3,
    )


@lesson.problem("q13")
def q13():
    start = figure("ch1.bijie_incidence_start")
    return with_wrong(Choice,
        f"练习14要把毕节起点的贫困发生率（{start.text}）除以同一时点的全国贫困发生率。动手之前，先想清两个数各从哪里来："
        f"全国的数是国家统计局公布的年末数（出处见 `ns` 的来源列）；毕节的{start.text}，报告没有注明出处。"
        "关于这个比值，下面哪种说法最站得住？",
        {
            "A": "两个数都叫“贫困发生率”、都是百分数，说明是同一种统计，比值可以精确到小数点后两位来解读",
            "B": "两个数可能出自两种统计（抽样调查的估计、登记名单的汇总），比值只宜当量级读：能说毕节的起点高得多，"
                 "说不准正好是几倍",
            "C": "只要换成与毕节起点同一年末的全国数字，两个数的口径就完全一致了，比值也就可以精确解读",
            "D": "比值越大，越能说明毕节的“党支部+合作社+贫困户”模式比全国的平均做法更有效",
        },
        "B",
        explanations={
            "A": "名称和单位相同，不等于统计方法相同。",
            "B": "全国的数是抽样调查的估计；毕节的数来历不明，若来自建档立卡名单就是登记汇总。口径不同，只能看量级。",
            "C": "对齐年份只解决了“哪一年配哪一年”，调查与登记在方法上的差别还在。",
            "D": "比值说的是起点高低，不是做法的效果；判断效果需要对照。",
        },
        hints=[
            "第一步（看哪里）：`ns` 的来源列写着全国数字的出处；毕节的数可以用 "
            "`utils.figure(\"ch1.bijie_incidence_start\")` 查看，注意它的“来源”一栏。",
            "第二步（用什么操作）：对每个说法问两件事：它是否把两种来历不同的统计当成了一种？"
            "它是否从一个比值推出了“谁的做法更有效”这样的因果结论？",
            "第三步（代入）：先写下两个数各自的来历：是调查推算、登记汇总，还是报告没有交代？"
            "再对每个说法问：它要成立，需要两个数满足什么条件？这个条件眼下满足吗？逐个判断后，写出你选的字母。",
        ],
        solution=(
            "选 B。全国的贫困发生率是国家统计局根据农村住户抽样调查推算的年末估计，有抽样误差；"
            f"毕节的{start.text}报告没有注明出处，如果它来自扶贫部门的建档立卡名单，那就是登记汇总，"
            "数字随识别、退出、新增而变动。两种统计相除，只能当量级看：毕节的起点比全国高得多，"
            "这在练习14的两种配对下都成立；但“几倍”既取决于配对哪一年，也受口径影响，不宜写出多位小数。"
            "A 把名称相同当成了口径相同；C 以为年份对齐就够了，可年份只是练习14的配对假设，方法上的差别还在；"
            "D 把一个比值读成了模式有效的证据，这是因果判断，需要与条件相近、做法不同的地方比较。"
            "第三章会细讲调查估计和登记数的区别。"
        ),
        mistakes=[
            Mistake("survey-vs-register", "你选了 A：名称和单位相同，不等于是同一种统计。调查推算和登记汇总相除，"
                    "只能看量级。", value="A"),
            Mistake("survey-vs-register", "你选了 C：对齐年份只解决了配对的时点，调查与登记在统计方法上的差别还在。",
                    value="C"),
            Mistake("causal-claim", "你选了 D：比值说的是起点的高低，不能证明哪种做法更有效；那需要对照。",
                    value="D"),
        ],
        topic="（三）", skills=("survey-vs-register", "ratio", "causal-claim"), level=2, track="拓展",
    )


@lesson.problem("q14")
def q14():
    b = _bijie()
    lifted, start, y0, y1, nat0, nat1 = b.lifted, b.start, b.y0, b.y1, b.nat0, b.nat1
    return with_wrong(Code,
        f"报告说毕节的贫困发生率在{lifted.period}间从{start.text}降到0，却没说{start.text}是哪一天的数字："
        f"可能是{y0}年末（即{y1}年初），也可能是{y1}年末。全国的发生率是年末数。"
        f"请从 `ns` 中取出{y0}年和{y1}年两行的 `year` 和 `incidence`，"
        "再加一列 `ratio`：毕节起点发生率（用 `utils.figure(\"ch1.bijie_incidence_start\")` 取数）÷ 当年全国发生率。",
        bijie_vs_national,
        columns=["year", "incidence", "ratio"],
        sort_by="year",
        rel_tol=1e-3,
        hints=[
            "第一步（看哪里）：全国数字在 ns 的 incidence 列；毕节起点用 utils.figure(\"ch1.bijie_incidence_start\").value 取，不要手写数字。",
            "第二步（用什么操作）：选几个特定年份用 `ns[\"year\"].isin([年1, 年2])` 筛行；再选两列；"
            "最后用 assign 加一列，等于毕节起点 ÷ incidence 那一列。",
            f"第三步（代入）：年份是{y0}和{y1}；ratio = b.value / 表[\"incidence\"]，其中 b 是毕节起点的那个 figure。"
            "把三步连起来，赋给 answer_q14。",
        ],
        solution=(
            f"【推算】若起点是{y0}年末：{start.text} ÷ {fc(nat0, '%')} ≈ {start.value / nat0:.1f}倍；"
            f"若起点是{y1}年末：{start.text} ÷ {fc(nat1, '%')} ≈ {start.value / nat1:.2f}倍。"
            "报告没有说明起点的时点，所以“毕节起点是全国的几倍”取决于我们的假设——两种配对都要写明假设，"
            "不能只报一个数。无论哪种配对，毕节的起点都明显高于全国，“降到零”要走的路更长；"
            "但报告把这归功于“党支部+合作社+贫困户”模式，这是归因：同期全国也降到了零，"
            "要判断模式本身的贡献，需要与条件相近、没有采用这一模式的地方比较。"
            "还有口径：全国的发生率是国家统计局用住户抽样调查推算的（调查估计）；"
            f"毕节的{start.text}报告没说出处，如果它按扶贫部门的登记名单（建档立卡）计算，"
            "两者就是两种统计，比值只能当量级看（第三章会细讲调查估计和登记数的区别）。"
        ),
        code=('b = utils.figure("ch1.bijie_incidence_start")\n'
              f'rows = ns[ns["year"].isin([{y0}, {y1}])][["year", "incidence"]]\n'
              'answer_q14 = rows.assign(ratio=b.value / rows["incidence"])'),
        mistakes=[
            Mistake("inverted-ratio", "ratio 列都小于1：你算成了全国 ÷ 毕节。题目要的是毕节起点 ÷ 全国。",
                    when=_ratio_inverted, example=_inverted_capstone),
            Mistake("wrong-base-year", f"你的表行数不对：只要{y0}和{y1}两年，两种配对各一行。",
                    when=_capstone_rows_wrong, example=_capstone_three_years),
        ],
        topic="（三）", skills=("pandas-filter", "pandas-select", "pandas-assign", "join-national", "ratio",
                              "assumption"),
        capstone=True, level=3, track="拓展",
    )


# ---- 思考与讨论


@lesson.problem("q15")
def q15():
    return Discussion(
        "报告认为严格的考核奖惩“倒逼”领导干部下沉一线。如果要用数据检验这个说法，你会比较哪些人群、哪些时段？"
        "写下你的设计（几句话即可）。",
        [
            "这是一个因果说法：需要对照，而不只是2016–2021年的提拔、问责人数。",
            "时间上的对照：考核制度实施前后，同一批地区的干部下沉情况（驻村天数、到岗率等）。",
            "地区间的对照：考核严格程度不同、其他条件相近的地方，比较干部下沉的差别。",
            "需要分母：参与攻坚的领导干部总数，才能算提拔率、问责率。",
            "注意同期的其他变化（投入增加、全国统一部署），它们也会让干部下沉，要设法区分。",
        ],
        hints=[
            "第一步：找出这句话里的“原因”和“结果”各是什么。",
            "第二步：检验因果需要对照——想想“有这个原因”和“没有这个原因”的两组可以从哪里找。",
            "第三步：为每一组写出你想要的数字（时段、人群、指标），再想一想还有什么别的因素同时在变。",
        ],
        solution="没有唯一答案。好的设计要有对照组、前后两个时段和分母，并说明怎样排除同期其他变化的影响。",
        topic="思考与讨论", skills=("causal-claim",), level=2, track="拓展",
    )


@lesson.problem("q16")
def q16():
    return Discussion(
        "这篇材料的数字几乎都没有注明来源，最新的数字停在2021年。读完本章，哪些数字你愿意直接引用，"
        "哪些只能写成“该文称……”？说说你的理由。",
        [
            "能与官方公开数据对上的（如开篇的贫困人口、贫困县总数，可与统计公报、退出名单核对），可以在注明官方出处后引用。",
            "只在本文出现、又没有注明来源的（如凝聚力指数、自主参与比例），只能写成“该文称”，最好再去找原始出处。",
            "注明了来源的一句（中央组织部基层党建工作统计）可以去核对，但来源本身没有交代计算方法。",
            "我们推算出的数字要标明是推算，并写出算式和所依据的假设。",
            "没有2021年以后的数字，不能据此判断现在的情况。",
        ],
        hints=[
            "第一步：回到开篇“这份材料是什么”，回忆它是什么类型的文本、注明了哪些来源。",
            "第二步：把本章的数字分成三类：能在官方数据里核对的、注明了来源的、既没来源也无从核对的。",
            "第三步：为每一类写一句“引用时我会怎样写”。",
        ],
        solution="没有唯一答案。关键是按“能否核对”给数字分类，并在引用时写明出处或写明“该文称”。",
        topic="思考与讨论", skills=("source-criticism",), level=2, track="拓展",
    )


@lesson.problem("q17")
def q17():
    secretaries = figure("ch1.first_secretaries")
    return Discussion(
        "本章的政策背景介绍了第一书记和驻村工作队。脱贫攻坚完成后，这项安排没有停下，而是带进了2021–2025年的过渡期。"
        "与攻坚期间相比，2021年的安排保留了什么、调整了什么？你认为为什么这样调整？"
        f"这对读报告里“{secretaries.quote}”这样的累计数有什么提醒？写下你的看法（几句话即可）。",
        [
            "保留的：继续向村里选派第一书记和工作队；党组织软弱涣散的村仍然全覆盖选派"
            "（中共中央办公厅《关于向重点乡村持续选派驻村第一书记和工作队的意见》，2021年5月印发，新华社5月11日发布）。",
            "调整的是选派的重点：攻坚期间面向党组织软弱涣散村和建档立卡贫困村，要求全覆盖"
            "（中共中央组织部、中央农村工作领导小组办公室、国务院扶贫开发领导小组办公室"
            "《关于做好选派机关优秀干部到村任第一书记工作的通知》，2015年4月）；"
            "2021年的意见则向脱贫村、易地扶贫搬迁安置村（社区）继续选派，并以乡村振兴重点帮扶县的脱贫村为重点。",
            "任务方面：2015年的通知给第一书记定的职责是建强基层组织、推动精准扶贫、为民办事服务、提升治理水平四项；"
            "2021年的意见把第一书记和工作队的职责归为建强村党组织、推进强村富民、提升治理水平、为民办事服务四项，"
            "“推动精准扶贫”换成了“推进强村富民”。重心从脱贫移向巩固成果、接续乡村振兴（这一句是我们的概括）。",
            "调整的理由可以结合过渡期来想：中共中央、国务院关于有效衔接的意见（2020年12月印发，2021年3月公开发布）"
            "设立5年过渡期，主要帮扶政策总体保持稳定、再分类优化，脱贫地区需要防止返贫，帮扶不宜一下子撤走。"
            "“为什么”这一部分是我们的推断，要和文件原文分开写。",
            "对读数的提醒：选派是持续、轮换的安排，累计人数会一年年加上去；报告“截至2021年”的累计数跨过了攻坚期和"
            "过渡期的开头，要写清起止年份；想比较两个时期的驻村力量，需要同一口径的时点在岗人数。",
        ],
        hints=[
            "第一步：回到本章“政策背景：第一书记做什么”那一段，找出攻坚期间和2021年以后各向哪些村选派、出处是哪份文件。",
            "第二步：把两个时期并排列出来：选派的范围、重点、职责，哪些没变、哪些变了；再想想过渡期要解决什么问题。",
            "第三步：最后回到数字：一项持续多年、人员轮换的安排，它的“累计”人数该怎样读、怎样写？把你的看法写成几句话。",
        ],
        solution=("没有唯一答案。好的回答分清三层：文件写了什么（注明文件名、发文机关和时间），"
                  "我们据此推断的理由（写明是推断），以及这对读“累计选派”一类数字意味着什么。"),
        topic="思考与讨论", skills=("policy", "source-criticism", "cumulative-annual"), level=2,
    )
