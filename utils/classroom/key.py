"""The teacher's key: the full lesson modules, reached through the lesson catalogue.

Everything here reads the problems through their public API (``evaluate``, ``kind``, ``mistakes``,
``hint_steps``); it works with the engine of the team contract and tolerates the older one.
"""
from __future__ import annotations

from functools import lru_cache

#: Chinese names of the misconception ids (used when the engine's table is not available)
MISTAKE_NAMES_FALLBACK = {
    "points-as-percent": "百分点当成百分比",
    "percent-as-points": "百分比当成百分点",
    "times-reading": "“增长N倍”的另一种读法",
    "unit-scale": "万/亿/元 单位或量级混淆",
    "person-times": "人次当人数",
    "lower-bound-exact": "把下限/上限当确数",
    "wrong-denominator": "分母取错（部分÷整体取反等）",
    "cumulative-annual": "累计与当年混用",
    "inverted-ratio": "比值倒过来",
    "wrong-base-year": "基期取错",
    "survey-vs-register": "调查估计与登记数混用",
    "causal-claim": "把相关/并列当因果",
    "no-baseline": "没有基准的比较",
    "sum-overlap": "把可能重叠的数相加",
    "wrong-figure": "取错了数字",
    "arithmetic": "算术步骤错",
}

KIND_NAMES = {"numeric": "计算题", "interval": "区间题", "choice": "单选题", "multichoice": "多选题",
              "term": "填词题", "code": "代码题", "chart": "作图题", "discussion": "讨论题"}


def mistake_name(mistake_id: str | None) -> str:
    if not mistake_id:
        return ""
    try:
        from .. import exercises

        table = getattr(exercises, "MISCONCEPTIONS", None) or {}
        name = table.get(mistake_id)
        if isinstance(name, str):
            return name
        if name is not None:  # an object with a name/label
            for attr in ("name", "label", "zh", "title"):
                if isinstance(getattr(name, attr, None), str):
                    return getattr(name, attr)
    except Exception:  # noqa: BLE001 - the report must not fail on a name
        pass
    return MISTAKE_NAMES_FALLBACK.get(mistake_id, mistake_id)


def chapters() -> tuple[int, ...]:
    """The chapter numbers, from the lesson catalogue."""
    try:
        from ..lessons import CHAPTERS

        return tuple(CHAPTERS)
    except ImportError:
        pass
    try:
        from .. import catalog  # the catalogue module, where the structure helper keeps it

        for name in ("CHAPTERS", "chapters"):
            value = getattr(catalog, name, None)
            if value is not None:
                value = value() if callable(value) else value
                return tuple(int(getattr(c, "number", c)) for c in value)
    except ImportError:
        pass
    from ..lessons import exercises_for

    found = []
    for ch in range(1, 21):
        try:
            exercises_for(ch)
        except Exception:  # noqa: BLE001
            break
        found.append(ch)
    return tuple(found)


@lru_cache(maxsize=None)
def problems(chapter: int) -> dict:
    """{name: problem} of a chapter, in order."""
    from ..lessons import exercises_for

    ex = exercises_for(chapter)
    out = {}
    for item in ex:
        if isinstance(item, tuple):
            name, problem = item
        else:
            problem = item
            name = getattr(problem, "name", "")
        out[name] = problem
    return out


def all_problems() -> dict:
    """{(chapter, name): problem} for every chapter; a chapter that fails to build is left out."""
    out = {}
    for ch in chapters():
        try:
            for name, p in problems(ch).items():
                out[(ch, name)] = p
        except Exception:  # noqa: BLE001
            continue
    return out


def declared_mistakes(problem) -> list[tuple[str, str]]:
    """[(id, message)] a problem declares (empty for the older engine)."""
    out = []
    for m in getattr(problem, "mistakes", None) or ():
        mid = getattr(m, "id", None) or (m.get("id") if isinstance(m, dict) else None)
        msg = getattr(m, "message", None) or (m.get("message") if isinstance(m, dict) else "")
        if mid:
            out.append((mid, msg or ""))
    return out
