"""Per-learner variants of the lessons' exercises (issue 24 item 6).

Each maker below builds one drill of a skill of the course's vocabulary from its parameters: the prompt,
the answer, the hints and the mistakes are all derived from them; a mistake's wrong answer is the right
one transformed the way its misconception id says (:mod:`utils.exercises.misconceptions`).  The numbers are
generated drill numbers in a stated range, and every prompt says so (练习用的数): none is attributed to the
report.  :data:`VARIANTS` says which exercise of which chapter each maker varies (≥ 4 per chapter, the
same skill as the exercise it replaces in an exam).  Practice keeps the report's own figures; the exam
edition and ``Exercises.with_variants()`` use these.
"""
from __future__ import annotations

from ..exercises import Interval, Mistake, Numeric, Varied
from ..quantities import format_cn

DRILL = "（练习用的数，不是报告里的数字）"
WAN, YI = 1e4, 1e8


def _hints(look: str, how: str, plug: str) -> list[str]:
    return [f"第一步（看哪里）：{look}", f"第二步（用什么操作）：{how}", f"第三步（代入）：{plug}结果由你算出。"]


def points_base(*, now: float, pts: float, topic: str = "某项比例", skills=("points",), level: int = 2):
    """百分点: the base-year share from the latest share and a change in points."""
    right = now - pts
    return Numeric(
        f"{DRILL}2021年，{topic}是{format_cn(now, '%')}，比2016年高出{format_cn(pts)}个百分点。"
        "2016年这个比例是多少？（写成 \"50%\" 这样的百分数，或只写数字，保留一位小数）",
        right, unit="%", digits=1,
        hints=_hints("“高出N个百分点”说的是两个百分数之差，不是相对变化。",
                     "百分点直接加减：基期 = 现在 − 百分点。",
                     f"{format_cn(now, '%')} − {format_cn(pts)}个百分点。"),
        solution=f"【推算】{format_cn(now)}% − {format_cn(pts)} = {format_cn(right)}%。百分点直接相减，不按%折算。",
        mistakes=[Mistake("points-as-percent", "你把“百分点”当成了相对变化（%）来折算；百分点直接相减。",
                          value=now / (1 + pts / 100)),
                  Mistake("arithmetic", "方向反了：现在比基期高，基期应当更小。", value=now + pts)],
        topic="变式", skills=skills, level=level)


def times_base(*, latest: float, n: int, what: str = "某村的集体经济收入", unit: str = "元",
               skills=("times-reading",), level: int = 2):
    """增长N倍: the base from the latest value, read strictly (×(N+1))."""
    right = latest / (n + 1)
    return Numeric(
        f"{DRILL}{what}2021年是{format_cn(latest, unit)}，比2016年“增长了{n}倍”。"
        f"按统计上的严格读法，2016年是多少{unit}？（写{unit}，或写成 \"1.2万\" 这样的文字）",
        right, unit=unit,
        hints=_hints(f"“增长了{n}倍”是在基期之上又多了{n}个基期。",
                     "严格读法：现在 = 基期 × (N + 1)，所以基期 = 现在 ÷ (N + 1)。",
                     f"{format_cn(latest, unit)} ÷ ({n} + 1)。"),
        solution=f"【推算】{format_cn(latest, unit)} ÷ {n + 1} = {format_cn(right, unit)}。"
                 f"“增长{n}倍”是“是原来的{n + 1}倍”。",
        mistakes=[Mistake("times-reading", f"你按 ×{n} 读了“增长{n}倍”；严格读法是 ×{n + 1}。", value=latest / n),
                  Mistake("arithmetic", "方向反了：题目问的是基期，它比现在小。", value=latest * (n + 1))],
        topic="变式", skills=skills, level=level)


def share_count(*, total_wan: float, pct: float, who: str = "一批干部", unit: str = "人",
                skills=("share-of-whole", "units"), level: int = 2):
    """Units: a share of a total given in 万, answered in the base unit (a bare number is never scaled)."""
    right = total_wan * WAN * pct / 100
    return Numeric(
        f"{DRILL}{who}共{format_cn(total_wan)}万{unit}，其中{format_cn(pct, '%')}符合条件。"
        f"符合条件的有多少{unit}？（单位：{unit}；也可以写成 \"1.2万\" 这样带“万”字的文字）",
        right, unit=unit,
        hints=_hints("总数以“万”为单位，答案要写基本单位的数。", "部分 = 整体 × 比例。",
                     f"{format_cn(total_wan)}万 × {format_cn(pct)}%。"),
        solution=f"【推算】{format_cn(total_wan)}万 × {format_cn(pct)}% = {format_cn(right, unit)}。",
        mistakes=[Mistake("unit-scale", f"你写的是以“万”为单位的数；题目要的是{unit}数（或写上“万”字）。",
                          value=right / WAN),
                  Mistake("unit-scale", "百分数没有除以100。", value=right * 100)],
        topic="变式", skills=skills, level=level)


def per_unit(*, total_yi: float, count_wan: float, what: str = "一笔销售额", per: str = "人",
             skills=("ratio", "units"), level: int = 2):
    """Denominators: an amount per person, both in scale words (亿, 万); the right way round."""
    right = total_yi * YI / (count_wan * WAN)
    return Numeric(
        f"{DRILL}{what}共{format_cn(total_yi)}亿元，对应{format_cn(count_wan)}万{per}。"
        f"平均每{per}对应多少元？（写元，或写成 \"1.2万\" 这样的文字）",
        right, unit="元",
        hints=_hints(f"“每{per}多少元”：元在分子，{per}在分母。", "平均数 = 总额 ÷ 人数；先把亿、万化成同一单位。",
                     f"{format_cn(total_yi)}亿 ÷ {format_cn(count_wan)}万。"),
        solution=f"【推算】{format_cn(total_yi)}亿元 ÷ {format_cn(count_wan)}万{per} = {format_cn(right, '元')}。",
        mistakes=[Mistake("unit-scale", "亿和万只约掉了一部分：1亿 ÷ 1万 = 1万。", value=right / WAN),
                  Mistake("inverted-ratio", f"你算成了 {per}数 ÷ 金额；题目问每{per}多少元。",
                          value=count_wan * WAN / (total_yi * YI))],
        topic="变式", skills=skills, level=level)


def rate_of(*, count_wan: float, denom_wan: float, skills=("ratio", "denominators"), level: int = 2):
    """Denominators: a rate in percent with a stated denominator (two decimals)."""
    right = count_wan / denom_wan * 100
    return Numeric(
        f"{DRILL}某年新出现风险的有{format_cn(count_wan)}万人；把{format_cn(denom_wan)}万人当作分母，"
        "这占百分之几？保留两位小数，写百分数的数字（例如写1.23表示1.23%）",
        right, unit="%", digits=2,
        hints=_hints("分子是新出现风险的人数，分母是题目指定的整体。", "比例 = 部分 ÷ 整体 × 100%。",
                     f"{format_cn(count_wan)}万 ÷ {format_cn(denom_wan)}万 × 100%。"),
        solution=f"【推算】{format_cn(count_wan)} ÷ {format_cn(denom_wan)} × 100% ≈ {right:.2f}%（四舍五入到两位小数）。",
        mistakes=[Mistake("inverted-ratio", "分子分母颠倒了。", value=denom_wan / count_wan * 100),
                  Mistake("unit-scale", "算出的是小数，还没有乘100变成百分数。", value=right / 100)],
        topic="变式", skills=skills, level=level)


def pct_base(*, now_yi: float, pct: int, skills=("pct-change", "base-year"), level: int = 2):
    """Base year: the earlier amount from the later one and a percent increase."""
    right = now_yi * YI / (1 + pct / 100)
    return Numeric(
        f"{DRILL}某项资金2021年为{format_cn(now_yi)}亿元，比2020年多{pct}%。2020年是多少元？"
        "（可以写 \"800亿\" 这样的文字）",
        right, unit="元",
        hints=_hints("“比2020年多p%”的基期是2020年。", "现在 = 基期 × (1 + p%)，所以基期 = 现在 ÷ (1 + p%)。",
                     f"{format_cn(now_yi)}亿 ÷ (1 + {pct}%)。"),
        solution=f"【推算】{format_cn(now_yi)}亿元 ÷ {1 + pct / 100:g} = {format_cn(right, '元')}。",
        mistakes=[Mistake("wrong-base-year", "你从2021年的数里减去了它的p%；p%是按2020年算的。",
                          value=now_yi * YI * (1 - pct / 100)),
                  Mistake("arithmetic", "方向反了：2020年比2021年少。", value=now_yi * YI * (1 + pct / 100))],
        topic="变式", skills=skills, level=level)


def duo_interval(*, people_wan: int, low: int, high: int, skills=("qualifiers", "interval-product"), level: int = 2):
    """Bounds: "N多万人, each a–b" → the interval the wording allows."""
    right = (people_wan * low * WAN, (people_wan + 100) * high * WAN)
    return Interval(
        f"{DRILL}参加结对的有{people_wan}多万人，每人平均对接{low}–{high}户。一共覆盖多少户次？"
        "给出措辞允许的区间，写成 (下限, 上限)，单位：户次。",
        *right, unit="户次",
        hints=_hints(f"“{people_wan}多万”是下限{people_wan}万、不到{people_wan + 100}万；“{low}–{high}户”是区间。",
                     "下限 × 下限，上限 × 上限。",
                     f"下限 {people_wan}万 × {low}，上限 {people_wan + 100}万 × {high}。"),
        solution=f"【推算】{people_wan}万 × {low} = {format_cn(right[0], '户次')}；"
                 f"{people_wan + 100}万 × {high} = {format_cn(right[1], '户次')}（上限取不到）。",
        mistakes=[Mistake("lower-bound-exact", f"你把“{people_wan}多万”当成了正好{people_wan}万，区间说窄了。",
                          value=(people_wan * low * WAN, people_wan * high * WAN))],
        topic="变式", skills=skills, level=level)


def cumulative_avg(*, total_yi: int, years: int, skills=("cumulative", "qualifier-range"), level: int = 2):
    """当年/累计: a yearly average from a multi-year "N多亿元" total → an interval."""
    first = 2021 - years + 1
    right = (total_yi * YI / years, (total_yi + 10) * YI / years)
    return Interval(
        f"{DRILL}{first}–2021年累计发放某项资金“{total_yi}多亿元”。平均每年发放的金额落在什么范围？"
        "请写成 (下限, 上限)，单位：元（也可以写成带“亿”的文字，如 (\"10亿\", \"12亿\")）。",
        *right, unit="元",
        hints=_hints(f"累计是{first}–2021年共{years}年的总和（首尾两年都算）；“{total_yi}多亿”是一个范围。",
                     "年均 = 累计 ÷ 年数，范围的两端分别除。",
                     f"{total_yi}亿 ÷ {years} 和 {total_yi + 10}亿 ÷ {years}。"),
        solution=f"【推算】{total_yi}亿 ÷ {years} = {format_cn(right[0], '元')}；"
                 f"{total_yi + 10}亿 ÷ {years} = {format_cn(right[1], '元')}。",
        mistakes=[Mistake("cumulative-annual", "你把累计数当成了一年的数：要除以年数。",
                          value=(total_yi * YI, (total_yi + 10) * YI)),
                  Mistake("lower-bound-exact", f"你把“{total_yi}多亿”当成了正好{total_yi}亿。",
                          value=(total_yi * YI / years, total_yi * YI / years + 1))],
        topic="变式", skills=skills, level=level)


def upper_per_item(*, total_yi: int, items_wan: float, skills=("bounds", "ratio"), level: int = 2):
    """Bounds: "超过N个" items share a total → the average has an upper bound."""
    right = total_yi * YI / (items_wan * WAN)
    return Numeric(
        f"{DRILL}某项资金投入{total_yi}亿元，建了超过{format_cn(items_wan)}万个项目。"
        "平均每个项目分到的钱有一个上限。这个上限是多少元？（可以写 \"80万\" 这样的文字）",
        right, unit="元",
        hints=_hints("“超过N个”是个数的下限；个数越多，平均越少。", "上限 = 总额 ÷ 个数的下限。",
                     f"{total_yi}亿 ÷ {format_cn(items_wan)}万。"),
        solution=f"【推算】{total_yi}亿元 ÷ {format_cn(items_wan)}万个 = {format_cn(right, '元')}（至多）。",
        mistakes=[Mistake("inverted-ratio", "你算成了 个数 ÷ 金额。", value=items_wan * WAN / (total_yi * YI)),
                  Mistake("unit-scale", "亿和万只约掉了一部分：1亿 ÷ 1万 = 1万。", value=right / WAN)],
        topic="变式", skills=skills, level=level)


#: chapter → {exercise: Varied}; the generated numbers' ranges are stated here
VARIANTS = {
    1: {
        "q8": Varied(share_count, total_wan=(10.5, 30, 0.5), pct=range(55, 96), size=12),
        "q10": Varied(times_base, latest=range(30000, 90001, 5000), n=range(2, 6), size=12),
        "q11": Varied(points_base, now=(60, 95, 0.5), pts=range(20, 51), size=12),
        "q12": Varied(duo_interval, people_wan=range(800, 2001, 100), low=range(1, 4), high=range(3, 6),
                      check=lambda people_wan, low, high: high > low, size=12),
    },
    2: {
        "q5": Varied(share_count, total_wan=(1.5, 6, 0.1), pct=range(60, 96), size=12),
        "q13": Varied(cumulative_avg, total_yi=range(60, 301, 10), years=range(3, 7), size=12),
        "q15": Varied(points_base, now=(20, 60, 0.5), pts=range(5, 19), size=12),
        "q16": Varied(per_unit, total_yi=range(50, 1001, 50), count_wan=range(100, 901, 50), size=12),
    },
    3: {
        "q2": Varied(share_count, total_wan=range(2000, 9001, 500), pct=range(50, 91), size=12),
        "q5": Varied(per_unit, total_yi=range(200, 1201, 100), count_wan=range(200, 801, 100), size=12),
        "q7": Varied(points_base, now=range(55, 91), pts=range(15, 46), size=12),
        "q9": Varied(times_base, latest=range(500, 2001, 60), n=range(2, 6), size=12),
    },
    4: {
        "q1": Varied(rate_of, count_wan=range(10, 61, 5), denom_wan=range(5000, 12001, 500), size=12),
        "q4": Varied(duo_interval, people_wan=range(300, 1001, 100), low=range(1, 3), high=range(3, 5), size=12),
        "q10": Varied(pct_base, now_yi=range(800, 2001, 50), pct=range(15, 31), size=12),
        "q11": Varied(upper_per_item, total_yi=range(200, 1001, 100), items_wan=(0.5, 2, 0.1), size=12),
    },
}


def _answers(book) -> tuple[float, ...]:
    from ..exercises import key_of

    out = []
    for problem in book:
        key = key_of(problem)
        try:
            value = key.answer if key is not None else None
        except Exception:  # noqa: BLE001 - a kind without one reference value
            continue
        for v in (value if isinstance(value, tuple) else (value,)):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(float(v))
    return tuple(out)


def attach(book):
    """Declare this chapter's variants on its exercise set (returns it).  A drill number never comes
    near one of the chapter's answers (an exam prompt must not show another exercise's answer)."""
    varied = VARIANTS.get(book.chapter, {})
    if varied and not all(v.avoid for v in varied.values()):
        answers = _answers(book)
        for v in varied.values():
            v.avoid = answers
    return book.vary(varied)
