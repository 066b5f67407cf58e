"""Every chapter's exercise set against the learning-by-doing bar (issue 14): enough problems of the
kinds that make the learner work, a capstone, mistakes declared where a wrong number can be
diagnosed, difficulty that rises, and a notebook that uses every problem.  (The reference answers,
hint steps and each declared mistake's own message are tested in tests/test_answer_scan.py.)"""
import functools
import json
import statistics

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from utils.exercises import key_of  # noqa: E402
from utils.catalog import CHAPTERS, lesson
from utils.exercises import Verdict
from utils.lessons import exercises_for


@functools.lru_cache(maxsize=None)
def built(chapter: int):
    """One exercise set per chapter for the tests that only read problems or judge with ``evaluate``
    (no recording, no hint state); building a set costs ≈ 40 ms."""
    return exercises_for(chapter)

PROBLEMS = [(ch, p.name) for ch in CHAPTERS for p in exercises_for(ch)]
DIAGNOSABLE = ("numeric", "interval", "choice", "multichoice")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_makes_the_learner_work(chapter):
    problems = list(exercises_for(chapter))
    kinds = [p.kind for p in problems]
    assert len(problems) >= 10, f"chapter {chapter}: {len(problems)} problems"
    assert kinds.count("code") >= 4, f"chapter {chapter}: {kinds.count('code')} code problems"
    assert kinds.count("chart") >= 2, f"chapter {chapter}: {kinds.count('chart')} chart problems"
    assert any(p.capstone for p in problems), f"chapter {chapter} has no capstone"


@pytest.mark.parametrize("chapter,name", PROBLEMS)
def test_diagnosable_problems_declare_mistakes(chapter, name):
    problem = getattr(built(chapter), name)
    if problem.kind in DIAGNOSABLE:
        assert problem.mistakes, f"ch{chapter}.{name} ({problem.kind}) declares no mistake"
    for mistake in problem.mistakes:
        assert mistake.id and mistake.message and any("\u4e00" <= c <= "\u9fff" for c in mistake.message)


@pytest.mark.parametrize("chapter,name", PROBLEMS)
def test_wrong_examples_are_judged_wrong(chapter, name):
    problem = getattr(built(chapter), name)
    for wrong in key_of(problem).wrong_examples:
        verdict = problem.evaluate(wrong() if callable(wrong) else wrong)
        plt.close("all")
        assert isinstance(verdict, Verdict)
        assert verdict.status in ("wrong", "close"), f"ch{chapter}.{name}: {wrong!r} gave {verdict.status}"


@pytest.mark.parametrize("chapter,name", PROBLEMS)
def test_every_problem_has_a_prompt_and_a_worked_solution(chapter, name):
    problem = getattr(built(chapter), name)
    assert problem.prompt.strip()
    assert key_of(problem).solution_text.strip() or (problem.graded == "manual" and key_of(problem).answer_text().strip())
    assert problem.prompt_markdown().startswith(f"**练习 {name[1:]}**")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_difficulty_rises_within_the_chapter(chapter):
    levels = [p.level for p in exercises_for(chapter) if p.kind != "discussion"]
    half = len(levels) // 2
    assert statistics.mean(levels[half:]) >= statistics.mean(levels[:half]), levels
    assert levels[0] == min(levels), f"chapter {chapter} does not start at its easiest level: {levels}"
    capstones = [p for p in exercises_for(chapter) if p.capstone]
    assert all(p.level == max(levels) for p in capstones)


def test_difficulty_rises_across_the_course():
    means = [statistics.mean(p.level for p in exercises_for(ch) if p.kind != "discussion") for ch in CHAPTERS]
    assert means[-1] >= means[0], means
    first, last = exercises_for(CHAPTERS[0]), exercises_for(CHAPTERS[-1])
    assert min(p.level for p in last) >= min(p.level for p in first)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_uses_every_exercise(chapter):
    path = lesson(chapter).path
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert f"exercises_for({chapter})" in code
    for problem in exercises_for(chapter):
        assert f"ex.{problem.name}.check(" in code, f"{path.name} never checks {problem.name}"
