"""Hints lead, they do not hand over: the last step never shows the complete reference code, and never
names the options so that only the answer is left (or names exactly the answer)."""
from __future__ import annotations

import re

import pytest

from utils.exercises import key_of
from utils.lessons import exercises_for

CHAPTERS = (1, 2, 3, 4)
#: lines of reference code that only fetch data, import, or label a chart: showing them gives nothing away
SETUP = re.compile(r"^(import |from |\w+(, \w+)* = utils\.(figure|figures|load_figures|load_table|report_list)\(|"
                   r"(ax\.)?(plt\.)?(set_)?(xlabel|ylabel|title)\(|ax\.set_(x|y)label\(|ax\.set_title\(|"
                   r"plt\.figure\(|\w+ = \w+\.copy\(\)$)")
ATOM = re.compile(r'"[^"]*"|\'[^\']*\'|\.\w+(?=\()|\b\w+(?==)')   # strings, .method(, keyword=
TRIVIAL = re.compile(r"^(answer_q\d+ = )?\w+$")
LETTER = re.compile(r"(?<![A-Za-z_\"'`])([A-F])(?![A-Za-z_\"'`])")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("'", '"').replace("“", '"').replace("”", '"')


def atoms(lines: list[str]) -> set[str]:
    """The pieces a learner has to find: column names and other strings, methods, keyword arguments."""
    return {_norm(a) for ln in lines for a in ATOM.findall(ln)}


def hands_over_code(code: str, hints: list[str], prompt: str = "") -> list[str]:
    """Why the last hint hands over ``code`` (empty when it does not):

    * the last step contains a complete key line of the reference code; or
    * the last step names every piece of the key lines (strings such as column names, and methods) that
      the prompt does not already name; or
    * the last step only says what to put into a template of the step before ("把…换成…"), and the two
      together name every such piece; or
    * the code pieces quoted in the last step, put together, make up a key line.
    """
    lines = key_lines(code)
    last = _norm(hints[-1])
    whole = [ln for ln in lines if not TRIVIAL.match(ln) and _norm(ln) in last]
    if whole:
        return [f"the last step contains the line {ln!r}" for ln in whole]
    given = _norm(prompt)
    pieces = {a for a in atoms(lines) if not a.isidentifier() and a not in given and a.strip('"') not in given}

    def names_all(text: str) -> bool:
        return bool(pieces) and all(a in text or a.strip('"') in text for a in pieces)

    spans = [_norm(x) for x in re.findall(r"`([^`]+)`", hints[-1])]
    for ln in lines:
        rest = _norm(ln)
        for span in spans:
            rest = rest.replace(span, "", 1)
        if spans and rest != _norm(ln) and not re.search(r'"|\.\w+\(|[-+*/<>!]', rest):
            return [f"the last step's code pieces make up the line {ln!r}"]
    if names_all(last):
        return [f"the last step names every piece of the code: {sorted(pieces)}"]
    if "换成" in hints[-1] and len(hints) > 1 and names_all(_norm("".join(hints[-2:]))):
        return [f"the last step fills the template of the step before: {sorted(pieces)}"]
    return []


def key_lines(code: str) -> list[str]:
    """The reference code's lines that carry the answer (data fetching, imports and labels left out)."""
    lines = [ln.split("#", 1)[0].strip() for ln in code.splitlines()]
    return [ln for ln in lines if ln and not SETUP.match(ln)]


def problems():
    for chapter in CHAPTERS:
        for name, problem in exercises_for(chapter).items():
            yield pytest.param(problem, id=f"ch{chapter}-{name}")


@pytest.mark.parametrize("problem", list(problems()))
def test_last_hint_does_not_hand_over_the_answer(problem):
    key = key_of(problem)
    hints = key.hints
    if not hints:
        return
    last = hints[-1]
    code = key.solution_code
    code = code() if callable(code) else code
    if code and problem.kind in ("code", "chart", "numeric", "interval"):
        why = hands_over_code(code, hints, problem.prompt_markdown())
        assert not why, why
    options = getattr(problem, "options", None)
    if options and problem.kind in ("choice", "multichoice"):
        answer = set(str(key.answer).upper())
        named = set(LETTER.findall(last)) & set(options)
        wrong = set(options) - answer
        assert not named or (named != wrong and named != answer), (
            f"the last hint names {sorted(named)}: that leaves only the answer")


def test_the_checks_can_fail():
    """A hint that repeats the code, or names every wrong option, is caught."""
    assert key_lines('x = utils.figure("a").value\nimport pandas as pd\nanswer = x * 2') == ["answer = x * 2"]
    assert hands_over_code("x = utils.figure(\"a\").value\nanswer = x * 2", ["用乘法", "写成 answer = x * 2"])
    assert hands_over_code('t.groupby("unit").size()', ["用 t.groupby(\"某列\").size()", "把某列换成 unit"])
    assert not hands_over_code('t.groupby("unit").size()', ["按单位分组", "分组后数一数每组几行"])
    assert set(LETTER.findall("A 和 D 都站不住；剩下的 B、C 请核对")) == {"A", "B", "C", "D"}
