"""Shared building blocks of the lesson declarations.

A chapter module declares each problem on its own, as a small function registered on the chapter's
:class:`Lesson`::

    lesson = Lesson(1)

    @lesson.problem("q1")
    def q1():
        return with_wrong(Code, "……", delisted_by_year, mistakes=[Mistake(..., when=frame_has("x"))])

    build = lesson.build

and builds its mistakes' ``when=`` tests from the predicates here.  Every predicate takes the learner's
answer as the checker received it and never raises: an answer it cannot read is "not this mistake"
(the checker's own form check and verdict handle it).  The engine (:mod:`utils.exercises`) never
imports this module.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..exercises import Exercises

Predicate = Callable[[Any], bool]


# -- declaring a chapter's problems ---------------------------------------------------------------


class Lesson:
    """The problems of one chapter, each declared by a function that returns one fresh problem."""

    def __init__(self, chapter: int):
        self.chapter = int(chapter)
        self._makers: dict[str, Callable[[], Any]] = {}

    def problem(self, name: str):
        """Register the decorated function as the maker of exercise ``name`` (in declaration order)."""
        def register(make: Callable[[], Any]) -> Callable[[], Any]:
            if name in self._makers:
                raise ValueError(f"chapter {self.chapter} declares {name} twice")
            self._makers[name] = make
            return make
        return register

    @property
    def names(self) -> list[str]:
        return list(self._makers)

    def build(self) -> Exercises:
        """A fresh exercise set (progress starts at zero): every declared problem, made now."""
        return Exercises(self.chapter, {name: make() for name, make in self._makers.items()})


def with_wrong(kind, /, *args, **kw):
    """Build a problem of ``kind`` whose plain wrong answers (``wrong=``, used by the lesson tests) are
    the examples of its declared mistakes, unless ``wrong=`` is given."""
    if kw.get("mistakes") and "wrong" not in kw:
        kw["wrong"] = [m.example() for m in kw["mistakes"]]
    return kind(*args, **kw)


def safe(test: Predicate) -> Predicate:
    """``test`` made total: anything it cannot handle (a wrong type, a missing column) is False."""
    def run(answer) -> bool:
        try:
            return bool(test(answer))
        except Exception:  # noqa: BLE001 - a predicate never raises into the learner's cell
            return False
    run.__doc__ = test.__doc__
    return run


# -- numbers --------------------------------------------------------------------------------------


def close(a: float, b: float, rel: float = 0.01) -> bool:
    """``a`` is within ``rel`` (relative) of ``b``; False for anything that is not a number."""
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if isinstance(a, bool) or math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= rel * max(abs(b), 1e-9)


def near(target: float, rel: float = 0.01) -> Predicate:
    """Predicate: the answer is a number (not a bool, not text) within ``rel`` of ``target``."""
    def test(answer) -> bool:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            try:
                import numpy as np
            except ImportError:  # pragma: no cover - numpy comes with pandas
                return False
            if not isinstance(answer, np.number):
                return False
        return close(answer, target, rel)
    return test


def pair(answer) -> tuple[float, float] | None:
    """An answer of two numbers (low, high) as floats, or None."""
    try:
        low, high = answer
        return float(low), float(high)
    except (TypeError, ValueError):
        return None


def pair_near(target: tuple[float, float], rel: float = 0.01) -> Predicate:
    """Predicate: a pair of numbers matching ``target`` (in either order) within ``rel``."""
    def test(answer) -> bool:
        got = pair(answer)
        return got is not None and all(close(g, t, rel) for g, t in zip(sorted(got), sorted(target)))
    return test


# -- choice answers -------------------------------------------------------------------------------


def letters(answer) -> set[str]:
    """The option letters in a choice answer: a string ("AC", "a, c") or any iterable of letters."""
    if answer is None:
        return set()
    if isinstance(answer, str):
        return {c for c in answer.upper() if c.isalpha()}
    try:
        return {str(c).strip().upper() for c in answer if str(c).strip()}
    except TypeError:
        return set()


def has(letter: str) -> Predicate:
    """Predicate: the answer chose ``letter``."""
    return lambda answer: letter in letters(answer)


def lacks(letter: str) -> Predicate:
    """Predicate: the answer chose something, but not ``letter`` (an empty answer is not this mistake)."""
    def test(answer) -> bool:
        chosen = letters(answer)
        return bool(chosen) and letter not in chosen
    return test


# -- tables (code answers) ------------------------------------------------------------------------


def frame_has(column: str) -> Predicate:
    """Predicate: the answer is a table with a column named ``column``."""
    return lambda frame: hasattr(frame, "columns") and column in frame.columns


def column_floats(frame, column: str) -> list[float] | None:
    """One column of a learner's table as floats, or None (never raises)."""
    try:
        return [float(v) for v in frame[column]]
    except Exception:  # noqa: BLE001 - predicates must never raise
        return None


def column_has(column: str, target: float, rel: float = 0.005) -> Predicate:
    """Predicate: column ``column`` of the learner's table holds a value within ``rel`` of ``target``."""
    def test(frame) -> bool:
        values = column_floats(frame, column)
        return values is not None and any(close(v, target, rel) for v in values)
    return test


# -- charts (what the checker read from the Axes) ---------------------------------------------------


def drawn_values(drawn) -> list[float]:
    """The values the learner drew, as floats ([] when they cannot be read)."""
    try:
        return [float(v) for v in drawn.values().values()]
    except Exception:  # noqa: BLE001
        return []


def drawn_has(target: float, scales: tuple[float, ...] = (1, 1e4), rel: float = 0.01) -> Predicate:
    """Predicate on a drawn chart: some drawn value equals ``target`` (as drawn, or drawn in 万 —
    each of ``scales`` multiplies the drawn value)."""
    def test(drawn) -> bool:
        return any(close(v * scale, target, rel) for v in drawn_values(drawn) for scale in scales)
    return test
