"""What each misconception id means, and how a wrong answer of that kind is made from the right one.

``DEFINITIONS``: one line per id of :data:`utils.exercises.core.MISCONCEPTIONS` (the class report counts
mistakes by these ids, so an id must say what the learner actually did).  ``TRANSFORMS``: for the ids
whose wrong answer is a mechanical transformation of the right one, a predicate
``(right, wrong, facts) -> bool`` — ``facts`` are the numbers the problem's chapter works with (its
figures' values and the lengths of their periods).  Tests apply them to every declared mistake's example
answer, so a mistake tagged ``unit-scale`` really is the right answer off by a power of ten, and so on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["DEFINITIONS", "Facts", "TRANSFORMS", "transform_holds"]

#: misconception id → what the learner did, one line in Chinese (the short names live in MISCONCEPTIONS)
DEFINITIONS = {
    "points-as-percent": "把两个百分数之差（百分点）当成相对变化（%）来用。",
    "percent-as-points": "把相对变化（%）当成两个百分数之差（百分点）来用。",
    "times-reading": "把“增长N倍”按 ×N 算（应为 ×(N+1)），或者反过来。",
    "linear-growth": "把几年里的总增长按年数平摊（如k年增长N倍算成每年 N÷k），没有考虑逐年累乘。",
    "unit-scale": "数字对、量级错：差了10的整数次方（漏了或多算了万、亿，或少乘100）。",
    "person-times": "把按次数计的人次当成不同的人数。",
    "lower-bound-exact": "把界限（多、近、超过、以上、以内）当成确数，把范围说窄了。",
    "wrong-denominator": "比率用错了整体作分母，或把假设的分母当成报告给定的。",
    "cumulative-annual": "把多年累计数当成一年的数，或者反过来（差了年数倍）。",
    "inverted-ratio": "应算 A ÷ B，算成了 B ÷ A。",
    "wrong-base-year": "变化的基期取错，或保留了基期以外的年份。",
    "survey-vs-register": "把抽样调查的估计和登记汇总的数当成同一种统计来比或相除。",
    "causal-claim": "把并列或先后出现的两件事当成因果。",
    "no-baseline": "接受或评判一个比较时，没有它所需要的基准。",
    "sum-overlap": "把可能重叠、或单位层级不同的个数直接相加。",
    "wrong-figure": "用了题目所问以外的数字（或多取、错取了行）。",
    "arithmetic": "数字取对了，运算或方向错了。",
    "wrong-unit": "把一个量当成了另一种单位（百分比当人数、倍当%、百分比当金额等）。",
    "rounding": "过早四舍五入，结果跑偏。",
    "chart-type": "画了题目要求以外的图形类型。",
    "chart-missing-category": "图里缺了应有的类别。",
    "chart-extra-category": "图里多了不该有的类别。",
    "chart-label": "坐标轴标签或标题缺失或不对（例如没写单位）。",
}


@dataclass(frozen=True)
class Facts:
    """The numbers a chapter's problems work with."""

    values: tuple[float, ...] = ()          # every figure value (and upper value) of the chapter
    bounds: tuple[float, ...] = ()          # values of figures whose wording is a bound or range
    years: tuple[int, ...] = field(default=(2, 3, 4, 5, 6))  # lengths of the figures' periods


def _close(a: float, b: float, rel: float = 0.005) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def _ratio(right: float, wrong: float) -> float | None:
    if right == 0 or wrong == 0:
        return None
    return wrong / right


def _power_of_ten(right: float, wrong: float, _facts: Facts) -> bool:
    r = _ratio(right, wrong)
    if r is None or r <= 0:
        return False
    k = round(math.log10(r))
    return k != 0 and _close(r, 10.0 ** k)


def _times(right: float, wrong: float, facts: Facts) -> bool:
    r = _ratio(right, wrong)
    if r is None:
        return False
    return any(n > 0 and (_close(r, (n + 1) / n) or _close(r, n / (n + 1))) for n in facts.values)


def _percent_readings(a: float, p: float) -> list[float]:
    return [a * (1 + s * p / 100) for s in (1, -1)] + [a / (1 + s * p / 100) for s in (1, -1) if s * p != -100]


def _points_as_percent(right: float, wrong: float, facts: Facts) -> bool:
    """Right: a ± p points (forward or back); wrong: the same p applied as a percent."""
    for p in facts.values:
        if p <= 0 or p >= 100:
            continue
        for a in (right - p, right + p):
            if any(_close(wrong, w) for w in _percent_readings(a, p)):
                return True
    return False


def _percent_as_points(right: float, wrong: float, facts: Facts) -> bool:
    """Right: a changed by p percent (forward or back); wrong: the same p added or taken as points."""
    for p in facts.values:
        if p <= 0 or p >= 100:
            continue
        for a in (right * (1 + p / 100), right / (1 + p / 100), right * (1 - p / 100), right / (1 - p / 100)):
            if _close(wrong, a + p) or _close(wrong, a - p):
                return True
    return False


def _bound_as_exact(right, wrong, facts: Facts) -> bool:
    """A number: the wrong answer is a bound itself.  A range: the wrong range lies inside the right one
    and is narrower (one end read as exact)."""
    if isinstance(right, tuple):
        (lo, hi), (wlo, whi) = sorted(right), sorted(wrong)
        inside = lo - 1e-9 * abs(lo) <= wlo <= whi <= hi + 1e-9 * abs(hi)
        return inside and (whi - wlo) < (hi - lo) * (1 - 1e-9)
    return any(_close(wrong, b, 1e-6) for b in facts.bounds)


def _linear_growth(right: float, wrong: float, facts: Facts) -> bool:
    """Right: the compound yearly rate (1 + N)^(1/k) − 1 for a "增长N倍" over k ≥ 2 years (as a fraction or
    in %); wrong: N ÷ k, the growth spread evenly over the years."""
    for n in facts.values:
        if n <= 0:
            continue
        for k in range(2, 51):
            for scale in (1, 100):
                if _close(right, ((1 + n) ** (1 / k) - 1) * scale) and _close(wrong, n / k * scale):
                    return True
    return False


def _cumulative(right: float, wrong: float, facts: Facts) -> bool:
    r = _ratio(right, wrong)
    if r is None:
        return False
    return any(_close(r, k) or _close(r, 1 / k) for k in facts.years if k >= 2)


#: ids with a mechanical transformation: predicate(right, wrong, facts) for numbers (and ranges where noted)
TRANSFORMS: dict[str, Callable] = {
    "unit-scale": _power_of_ten,
    "times-reading": _times,
    "points-as-percent": _points_as_percent,
    "percent-as-points": _percent_as_points,
    "lower-bound-exact": _bound_as_exact,
    "cumulative-annual": _cumulative,
    "linear-growth": _linear_growth,
}


def transform_holds(mistake_id: str, right, wrong, facts: Facts) -> bool | None:
    """Whether ``wrong`` is ``right`` transformed the way ``mistake_id`` says; ``None`` when the id has no
    transformation or the answers are not numbers or ranges of numbers."""
    test = TRANSFORMS.get(mistake_id)
    if test is None:
        return None

    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

    if number(right) and number(wrong):
        return bool(test(float(right), float(wrong), facts))
    pair = (isinstance(right, tuple) and isinstance(wrong, tuple) and len(right) == len(wrong) == 2
            and all(number(v) for v in (*right, *wrong)))
    if not pair:
        return None
    right, wrong = tuple(map(float, right)), tuple(map(float, wrong))
    if mistake_id == "lower-bound-exact":
        return test(right, wrong, facts)
    # a range: the transformation holds end by end (an end of 0 stays 0)
    ends = [(r, w) for r, w in zip(sorted(right), sorted(wrong)) if not (r == 0 and w == 0)]
    return bool(ends) and all(test(r, w, facts) for r, w in ends)
