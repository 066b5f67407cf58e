"""The teacher's key: the full lesson modules, reached through the lesson catalogue.

Everything here reads the problems through their public API (``evaluate``, ``kind``, ``mistakes``,
``hint_steps``) and names misconceptions with the engine's vocabulary.
"""
from __future__ import annotations

from functools import lru_cache



def kind_label(kind: str) -> str:
    """The Chinese label of a kind name (the kind class owns it), the name itself if unknown."""
    from ..exercises.core import KIND_CLASSES

    cls = KIND_CLASSES.get(kind)
    return cls.label if cls is not None else kind


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
def book(chapter: int):
    """The teacher's exercise set of a chapter (problems and their declared variants)."""
    from ..lessons import exercises_for

    return exercises_for(chapter)


def problems(chapter: int) -> dict:
    """{name: problem} of a chapter, in order."""
    return dict(book(chapter).items())


def variants(chapter: int) -> dict:
    """{name: Varied} of a chapter's exercises that have per-learner variants."""
    return book(chapter).variants


def all_variants() -> dict:
    """{(chapter, name): Varied} for every chapter."""
    out = {}
    for ch in chapters():
        try:
            for name, v in variants(ch).items():
                out[(ch, name)] = v
        except Exception:  # noqa: BLE001
            continue
    return out


@lru_cache(maxsize=None)
def diagnostic_book():
    """The before/after diagnostic's set (chapter 0), or None where the lessons hold none (exam copy)."""
    try:
        from ..lessons import diagnostic
    except ImportError:
        return None
    return diagnostic.build()


def all_problems() -> dict:
    """{(chapter, name): problem} for every chapter and the diagnostic (chapter 0); a chapter that
    fails to build is left out."""
    out = {}
    diag = diagnostic_book()
    for name, p in (diag.items() if diag is not None else ()):
        out[(diag.chapter, name)] = p
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


class Judge:
    """Re-judges stored answers with the teacher's key: ``judge(record)`` → (status, mistake), or
    ``None`` when the record's exercise is not in the key.  The record's own status is never read."""

    MAX_CACHE = 20000
    MAX_VARIANTS = 5000

    def __init__(self, key: dict | None = None, varied: dict | None = None):
        self.key = all_problems() if key is None else key
        self.varied = (all_variants() if key is None else {}) if varied is None else varied
        self._cache: dict = {}
        self._built: dict = {}

    def problem(self, record):
        """The problem the record answered: the seed's variant when the record carries a seed and the
        exercise has variants (rebuilt from the seed, never from the record's other fields)."""
        key = (record.chapter, record.exercise)
        seed = getattr(record, "seed", None)
        varied = self.varied.get(key)
        if seed is None or varied is None or key not in self.key:
            return self.key.get(key)
        token = (key, seed)
        if token not in self._built:
            if len(self._built) >= self.MAX_VARIANTS:
                self._built.clear()
            try:
                self._built[token] = varied.build(seed, record.chapter, record.exercise)
            except Exception:  # noqa: BLE001 - a variant that fails to build is not in the key
                self._built[token] = None
        return self._built[token]

    def __call__(self, record) -> tuple[str, str | None] | None:
        import json

        problem = self.problem(record)
        if problem is None:
            return None
        try:
            token = (record.chapter, record.exercise, getattr(record, "seed", None), json.dumps(record.answer, sort_keys=True, ensure_ascii=False))
        except (TypeError, ValueError):
            token = None
        if token is not None and token in self._cache:
            return self._cache[token]
        verdict = problem.rejudge(record.answer)
        result = (verdict.status, verdict.mistake)
        if token is not None and len(self._cache) < self.MAX_CACHE:
            self._cache[token] = result
        return result
