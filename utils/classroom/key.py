"""The teacher's key: the full lesson modules, reached through the lesson catalogue.

Everything here reads the problems through their public API (``evaluate``, ``kind``, ``mistakes``,
``hint_steps``) and names misconceptions with the engine's vocabulary.
"""
from __future__ import annotations

from functools import lru_cache

KIND_NAMES = {"numeric": "计算题", "interval": "区间题", "choice": "单选题", "multichoice": "多选题",
              "term": "填词题", "code": "代码题", "chart": "作图题", "discussion": "讨论题"}


def mistake_name(mistake_id: str | None) -> str:
    """The Chinese name of a misconception id (the engine's vocabulary); the id itself if unknown."""
    if not mistake_id:
        return ""
    from ..exercises import MISCONCEPTIONS

    return MISCONCEPTIONS.get(mistake_id, mistake_id)


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
