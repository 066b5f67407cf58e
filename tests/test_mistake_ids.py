"""Mistake ids tell the truth: each id is defined, and a declared mistake's example answer is the right
answer transformed the way its id says (where the id names a mechanical transformation)."""
from __future__ import annotations

import math

import pytest

from utils import load_figures
from utils.exercises.core import MISCONCEPTIONS, key_of
from utils.exercises.misconceptions import DEFINITIONS, TRANSFORMS, Facts, transform_holds
from utils.lessons import exercises_for

CHAPTERS = (1, 2, 3, 4)


def facts(chapter: int) -> Facts:
    f = load_figures(chapter)
    values = [float(v) for col in ("value", "value_high") for v in f[col].dropna()]
    loose = f[f["qualifier"] != "exact"]
    bounds = [float(v) for col in ("value", "value_high") for v in loose[col].dropna()]
    years = {int(e) - int(s) + 1 for s, e in zip(f["period_start"], f["period_end"])
             if not (math.isnan(float(s)) or math.isnan(float(e)))}
    return Facts(values=tuple(values), bounds=tuple(bounds), years=tuple(sorted(years)))


def test_every_id_has_one_line_definition():
    assert set(DEFINITIONS) == set(MISCONCEPTIONS)
    for mid, text in DEFINITIONS.items():
        assert text.strip() and "\n" not in text, mid
    assert set(TRANSFORMS) <= set(DEFINITIONS)


@pytest.mark.parametrize("mid, right, wrong, ok", [
    ("unit-scale", 15.0, 150.0, True), ("unit-scale", 15.0, 45.0, False),
    ("times-reading", 12500.0, 12500.0 * 4 / 3, True), ("times-reading", 12500.0, 12500.0 * 1.7, False),
    ("points-as-percent", 33.7, 89.7 / 1.56, True), ("points-as-percent", 33.7, 40.0, False),
    ("percent-as-points", 150.0, 165.0 - 10.0, True), ("percent-as-points", 150.0, 164.0, False),
    ("cumulative-annual", 3.0, 12.0, True), ("cumulative-annual", 3.0, 10.0, False),
    ("lower-bound-exact", (3.0, 3.25), (3.0, 3.0), True), ("lower-bound-exact", (3.0, 3.25), (2.0, 3.0), False),
])
def test_transforms_accept_their_kind_and_reject_others(mid, right, wrong, ok):
    f = Facts(values=(3.0, 56.0, 10.0, 89.7), bounds=(0.3,), years=(4, 6))
    assert transform_holds(mid, right, wrong, f) is ok


def test_declared_mistakes_match_their_ids():
    checked, lies = 0, []
    for chapter in CHAPTERS:
        known = facts(chapter)
        for name, problem in exercises_for(chapter).items():
            key = key_of(problem)
            try:
                right = key.answer
            except AttributeError:
                continue
            for mid, message, example in key.mistake_examples():
                verdict = transform_holds(mid, right, example, known)
                if verdict is None:
                    continue
                checked += 1
                if not verdict:
                    lies.append(f"ch{chapter} {name} {mid}: example {example!r} vs answer {right!r} — {message[:40]}")
    assert not lies, "mistake ids that do not match their example answers:\n" + "\n".join(lies)
    assert checked >= 20, f"only {checked} mistakes had a checkable transformation"


def test_reviewer_table_in_the_guide_is_current():
    from utils.lessons import review

    text = review.GUIDE.read_text(encoding="utf-8")
    assert review.render(text) == text, "run: python -m utils.lessons.review"
    for chapter in CHAPTERS:
        for name, problem in exercises_for(chapter).items():
            if problem.mistakes:
                row = f"| {chapter} | {name} | {problem.label} | "
                assert row in text and f"`{problem.mistakes[0].id}`" in text.split(row, 1)[1].split("\n", 1)[0]
