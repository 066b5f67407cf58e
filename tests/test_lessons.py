"""Every chapter's exercises: the reference solution passes its own check, plausible wrong
answers fail, every problem has hints and a solution, and the notebook uses each exercise."""
import json
from pathlib import Path

import pytest

from utils.exercises import Code, Verdict
from utils.lessons import LESSONS, exercises_for

ROOT = Path(__file__).resolve().parent.parent


def _available():
    out = []
    for ch in LESSONS:
        if (ROOT / "utils" / "lessons" / f"ch{ch}.py").exists():
            out.append(ch)
    return out


CHAPTERS = _available()
PROBLEMS = [(ch, p.name) for ch in CHAPTERS for p in exercises_for(ch)]


def test_all_four_chapters_have_exercises():
    assert CHAPTERS == [1, 2, 3, 4]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_six_exercises_of_three_kinds(chapter):
    ex = exercises_for(chapter)
    kinds = {p.kind for p in ex}
    assert len(ex) >= 6, f"chapter {chapter} has only {len(ex)} exercises"
    assert len(kinds) >= 3, f"chapter {chapter} uses only {kinds}"


@pytest.mark.parametrize("chapter,name", PROBLEMS)
def test_solution_passes_and_wrong_answers_fail(chapter, name):
    problem = getattr(exercises_for(chapter), name)
    ok = problem.evaluate(problem.answer)
    assert isinstance(ok, Verdict) and ok.correct, ok.text()
    assert problem.wrong_examples, f"ch{chapter}.{name} declares no plausible wrong answers"
    for wrong in problem.wrong_examples:
        fb = problem.evaluate(wrong)
        assert fb.status == "wrong", f"ch{chapter}.{name}: {wrong!r} gave {fb.status}: {fb.text()}"


@pytest.mark.parametrize("chapter,name", PROBLEMS)
def test_hints_and_solution_exist(chapter, name):
    problem = getattr(exercises_for(chapter), name)
    assert len(problem.hints) >= 2, "at least two hint levels"
    assert problem.solution_text.strip()
    assert problem.prompt.strip()
    if not isinstance(problem, Code):
        assert str(problem.answer) != ""


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_uses_every_exercise(chapter):
    path = ROOT / "notebooks" / LESSONS[chapter][0]
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert f"exercises_for({chapter})" in code
    for problem in exercises_for(chapter):
        assert f"ex.{problem.name}.check(" in code, f"{path.name} never checks {problem.name}"
