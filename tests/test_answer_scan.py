"""No answer in sight, and every lesson's exercises keep their own promises.

1. The scan (issue 14 item 6).  For every notebook and every exercise with a numeric, interval,
   single- or multiple-choice answer, the answer's formatted forms are searched in the span from the
   start of the notebook section (``## `` heading) that contains the exercise up to the next ``## ``
   heading after it: markdown text, code sources and stored outputs (text/plain, text/html with tags
   stripped, image alt texts, stream text).

   Forms of a number: ``format_cn`` with and without the unit at 0–2 decimals, plain rounded numbers
   at 0–2 decimals with and without thousands separators, and the 万/亿-scaled number (with and
   without the scale word).  A form with fewer than three significant digits and no unit or scale
   word ("15", "0.3") says too little to count as a leak and is not searched; with its unit it is
   ("15倍", "0.3%").  Forms of a choice: "选B" / "答案是B" / "答案：B" and, when at least 8 characters
   long, the text of a correct option outside the exercise's own prompt cell.

   Rule for data given in the prompt: a form that occurs in the exercise's own prompt text is data
   the learner is given (e.g. "which of these two stated figures is larger?"), not a leak; it is
   not searched.  The exercise's own prompt cell (tag ``exercise-prompt``) is not searched for its
   own option texts.  Sources of cells tagged ``after-attempt`` (worked cells the learner runs after
   trying) are not searched, but their stored outputs are: they must be stored without an answer.

2. Every lesson's reference answer passes its own check; every numeric/interval/choice problem
   declares at least one mistake; each declared mistake, given its example answer, triggers its own
   message and id.
"""
from __future__ import annotations

import html
import functools
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from utils.exercises import key_of  # noqa: E402
from utils import marks  # noqa: E402
from utils.exercises import Exercises  # noqa: E402
from utils.lessons import LESSONS, exercises_for  # noqa: E402


@functools.lru_cache(maxsize=None)
def built(chapter: int):
    """One exercise set per chapter, shared by the tests here: they only read problems and judge with
    ``evaluate`` (no recording, no hint state), and building a set costs ≈ 40 ms."""
    return exercises_for(chapter)
from utils.quantities import format_cn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCANNED_KINDS = ("numeric", "interval", "choice", "multichoice")


@pytest.fixture(autouse=True)
def attempts_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ATTEMPTS", str(tmp_path / "attempts.jsonl"))


def _notebook_of(chapter: int) -> Path:
    entry = LESSONS[chapter]
    name = entry[0] if isinstance(entry, (tuple, list)) else entry.notebook
    return ROOT / "notebooks" / name


def _catalogue():
    return [(ch, p.name) for ch in sorted(LESSONS) for p in exercises_for(ch)]


CATALOGUE = _catalogue()


# ---------------------------------------------------------------------------
# forms of an answer
# ---------------------------------------------------------------------------

def _plain(x: float, k: int) -> str:
    text = f"{x:.{k}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _significant(form: str) -> int:
    digits = re.sub(r"\D", "", form.split(".")[0] + "".join(form.split(".")[1:]))
    digits = digits.lstrip("0")
    return len(digits.rstrip("0")) if "." not in form else len(digits)


def number_forms(value: float, unit: str) -> set[str]:
    """How a number could be written: format_cn, plain rounded, thousands separators, 万/亿."""
    forms: set[str] = set()
    units = {unit, ""} | ({"倍"} if not unit else set()) | ({"百分点"} if unit == "百分点" else set())
    for k in (0, 1, 2):
        forms.add(format_cn(value, unit, digits=k))
        forms.add(format_cn(value, "", digits=k))
        for text in (f"{value:.{k}f}", _plain(value, k), f"{value:,.{k}f}"):
            for u in units:
                forms.add(text + u)
        for word, div in (("万", 1e4), ("亿", 1e8)):
            if abs(value) >= div / 10:
                scaled = _plain(value / div, k)
                forms.update({scaled, scaled + word, scaled + word + unit})
    if unit == "百分点":
        forms.update(f.replace("个百分点", "百分点") for f in list(forms))
    keep = set()
    for form in forms:
        has_word = bool(re.search(r"[^\d.,\-−]", form))
        if not form or form in ("0", "-0"):
            continue
        if has_word or _significant(form) >= 3:
            keep.add(form)
    return keep


def _number_pattern(form: str) -> re.Pattern:
    return re.compile(r"(?<![\d.,])" + re.escape(form) + r"(?!\d)(?![.,]\d)")


def answer_patterns(problem) -> list[tuple[re.Pattern, str, bool]]:
    """[(pattern, what it is, search the exercise's own prompt cell too?)]"""
    given = problem.prompt
    out = []
    if problem.kind in ("numeric", "interval"):
        values = [key_of(problem).answer] if problem.kind == "numeric" else list(key_of(problem).answer)
        for value in values:
            for form in sorted(number_forms(float(value), getattr(problem, "unit", ""))):
                if _number_pattern(form).search(given):
                    continue  # data given in the prompt (see the module docstring)
                out.append((_number_pattern(form), form, True))
    else:
        letters = "".join(sorted(key_of(problem).answer))
        spaced = r"\s*[、,，]?\s*".join(letters)
        out.append((re.compile(r"(?:选|答案是|答案为|答案[:：]|正确答案是?)\s*[“\"(（]?" + spaced + r"(?![A-Za-z])"),
                    f"选{letters}", True))
        for letter in letters:
            text = problem.options[letter].strip()
            if len(text) >= 8 and not any(text == t.strip() for k, t in problem.options.items() if k != letter):
                out.append((re.compile(re.escape(text)), f"选项 {letter} 的原文", False))
    return out


# ---------------------------------------------------------------------------
# what a learner sees around an exercise
# ---------------------------------------------------------------------------

def _source(cell) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _tags(cell) -> set:
    return set((cell.get("metadata") or {}).get("tags") or ())


def _output_texts(cell) -> list[tuple[str, str]]:
    texts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            texts.append(("stream", "".join(out.get("text", ""))))
            continue
        data = out.get("data", {})
        for mime in ("text/plain", "text/markdown"):
            if mime in data:
                value = data[mime]
                texts.append((mime, value if isinstance(value, str) else "".join(value)))
        if "text/html" in data:
            raw = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
            texts.extend(("img alt", html.unescape(a)) for a in re.findall(r'alt="([^"]*)"', raw))
            texts.append(("text/html", html.unescape(re.sub(r"<[^>]+>", " ", raw))))
        mark = marks.mark_of(out)
        if mark.get("alt"):
            texts.append(("alt", str(mark["alt"])))
    return texts


def _is_heading(cell) -> bool:
    return cell["cell_type"] == "markdown" and any(line.startswith("## ") for line in _source(cell).splitlines())


def _prompt_of(cell) -> str | None:
    mark = (cell.get("metadata") or {}).get(marks.KEY)
    if marks.EXERCISE_PROMPT in _tags(cell) and isinstance(mark, dict):
        return mark.get("exercise")
    return None


def exercise_span(cells, name: str) -> tuple[int, int, int]:
    """(start, exercise cell, end) — from the section heading before the exercise to the next one."""
    check = re.compile(rf"\bex\.{name}\.check\(")
    where = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and check.search(_source(c))]
    where += [i for i, c in enumerate(cells) if _prompt_of(c) == name]
    assert where, f"exercise {name} is not in the notebook"
    at = max(where)
    start = max([i for i in range(at + 1) if _is_heading(cells[i])] or [0])
    end = next((i for i in range(at + 1, len(cells)) if _is_heading(cells[i])), len(cells))
    return start, at, end


def scan(nb: dict, problem) -> list[str]:
    """Every place in the exercise's span where one of its answer's forms is shown."""
    cells = nb["cells"]
    start, _, end = exercise_span(cells, problem.name)
    hits = []
    patterns = answer_patterns(problem)
    for index in range(start, end):
        cell = cells[index]
        own_prompt = _prompt_of(cell) == problem.name
        places = []
        if marks.AFTER_ATTEMPT not in _tags(cell):
            places.append(("source", _source(cell)))
        places.extend(_output_texts(cell))
        for where, text in places:
            for pattern, what, in_own_prompt in patterns:
                if own_prompt and not in_own_prompt:
                    continue
                if own_prompt and where == "source" and pattern.search(problem.prompt):
                    continue
                match = pattern.search(text)
                if match:
                    context = text[max(0, match.start() - 30): match.end() + 30].replace("\n", " ")
                    hits.append(f"cell {index} ({cell['cell_type']}, {where}): {what} … {context} …")
    return hits


# code, chart and discussion problems have no literal answer to scan for (a learner builds a frame or
# draws a chart): they are not parametrised at all, so nothing is skipped.
@pytest.mark.parametrize("chapter,name", [(ch, n) for ch, n in CATALOGUE
                                          if built(ch)[n].kind in SCANNED_KINDS])
def test_no_answer_in_sight(chapter, name):
    problem = built(chapter)[name]
    nb = json.loads(_notebook_of(chapter).read_text(encoding="utf-8"))
    hits = scan(nb, problem)
    assert not hits, f"ch{chapter} {name}: the answer is in sight before the next section:\n" + "\n".join(hits)


# -- the scan itself is tested on a small notebook ------------------------------------

def _cell(kind, source, tags=(), outputs=(), meta=None):
    cell = {"cell_type": kind, "source": source, "metadata": {"tags": list(tags), **(meta or {})}}
    if kind == "code":
        cell["outputs"] = list(outputs)
    return cell


def test_the_scan_finds_forms_and_respects_the_rules():
    from utils.exercises import Choice, Mistake, Numeric

    steps = ["一", "二", "三"]
    numeric = Numeric("2016 年比例是多少？已知 2020 年为 89.7%。", 33.7, unit="%", hints=steps,
                      mistakes=[Mistake("points-as-percent", "m", value=56.2)])
    choice = Choice("哪种描述准确？", {"A": "下降了56个百分点而且相对降幅更大", "B": "没有变化"}, "A", hints=steps,
                    mistakes=[Mistake("wrong-figure", "m", value="B")])
    Exercises(1, {"q1": numeric, "q2": choice})
    prompt = _cell("markdown", numeric.prompt_markdown(), [marks.EXERCISE_PROMPT], meta={marks.KEY: {"exercise": "q1"}})
    cells = [
        _cell("markdown", "## 第一节\n2020 年是 89.7%。"),
        prompt,
        _cell("code", "answer_q1 = ____\nex.q1.check(answer_q1)", [marks.EXERCISE]),
        _cell("markdown", "## 第二节"),
    ]
    assert scan({"cells": cells}, numeric) == []                            # 89.7 is given in the prompt
    leaky = [dict(c) for c in cells]
    leaky.insert(1, _cell("code", "x = 1", outputs=[{"output_type": "display_data", "metadata": {},
                                                     "data": {"text/html": "<b>隐含</b>约 <i>33.7</i>%"}}]))
    assert any("33.7" in h for h in scan({"cells": leaky}, numeric))
    after = [dict(c) for c in cells]
    after.insert(3, _cell("code", "base = 89.7 - 56  # 33.7", [marks.AFTER_ATTEMPT]))
    assert scan({"cells": after}, numeric) == []                            # the source of a worked cell …
    after[3]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "33.70\n"}]
    assert scan({"cells": after}, numeric)                                   # … but not its stored output
    later = cells + [_cell("markdown", "上一题答案是 33.7%")]
    assert scan({"cells": later}, numeric) == []                            # after the next heading: fine
    assert not _number_pattern("33.7").search("133.7 和 33.75")
    assert "34%" in number_forms(33.7, "%") and "34" not in number_forms(33.7, "%")
    assert {"25.5万", "255000", "255,000", "25.5万个"} <= number_forms(255000, "个")
    q2 = [_cell("markdown", "## 节"), _cell("markdown", choice.prompt_markdown(), [marks.EXERCISE_PROMPT],
                                             meta={marks.KEY: {"exercise": "q2"}}),
          _cell("code", "ex.q2.check(____)", [marks.EXERCISE])]
    assert scan({"cells": q2}, choice) == []                                # options in its own prompt
    q2.insert(1, _cell("markdown", "要记住：下降了56个百分点而且相对降幅更大。"))
    assert scan({"cells": q2}, choice)
    q2[1] = _cell("markdown", "所以答案是 A。")
    assert scan({"cells": q2}, choice)


# ---------------------------------------------------------------------------
# every lesson keeps its own promises
# ---------------------------------------------------------------------------

def _reference(problem):
    if problem.kind == "chart":
        return problem.reference_figure()
    if problem.kind == "discussion":
        return "我的想法：这个比较缺少基准。"
    return key_of(problem).answer


@pytest.mark.parametrize("chapter,name", CATALOGUE)
def test_reference_answer_passes_its_own_check(chapter, name):
    problem = built(chapter)[name]
    verdict = problem.evaluate(_reference(problem))
    want = "recorded" if problem.kind == "discussion" else "correct"
    assert verdict.status == want, f"ch{chapter} {name}: {verdict.text()}"


@pytest.mark.parametrize("chapter,name", CATALOGUE)
def test_at_least_three_hint_steps(chapter, name):
    problem = built(chapter)[name]
    assert problem.hint_steps >= 3, f"ch{chapter} {name}: {problem.hint_steps} hint steps (need ≥ 3)"


@pytest.mark.parametrize("chapter,name", CATALOGUE)
def test_each_declared_mistake_triggers_its_own_message(chapter, name):
    problem = built(chapter)[name]
    if problem.kind in SCANNED_KINDS:
        assert problem.mistakes, f"ch{chapter} {name}: a {problem.kind} problem declares no mistake"
    for mistake_id, message, example in key_of(problem).mistake_examples():
        assert example is not None, f"ch{chapter} {name}: mistake {mistake_id} needs example="
        verdict = problem.evaluate(example)
        assert verdict.mistake == mistake_id and message in verdict.message, (
            f"ch{chapter} {name}: the example of {mistake_id} gave {verdict.status}/{verdict.mistake}: "
            f"{verdict.message}")
