"""Honest timing (issue 26 item 4): the 基础/拓展 mark shown wherever a problem is, minutes declared once
(:mod:`utils.timing`), each chapter's 预计用时 line and the guide's schedule generated from the problems,
with checks that fail when they are stale.  The tests build small exercise sets with both tracks, so they
hold whatever tracks the lessons declare."""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from utils import catalog, marks, nbtools, timing
from utils.exercises import KINDS, Choice, Code, Discussion, Exercises, Numeric, Problem, Varied
from utils.lessons import exercises_for, review

HINTS = ["第一步", "第二步", "第三步"]


def _numeric(prompt="算一算", *, track="基础", level=2, capstone=False):
    return Numeric(prompt, 12.0, unit="个", hints=HINTS, solution="12", track=track, level=level, capstone=capstone)


def _choice(*, track="基础", capstone=False, level=2):
    return Choice("选一个", {"A": "甲", "B": "乙"}, "B", hints=HINTS, solution="B", track=track, capstone=capstone,
                  level=level)


def _mixed_book(chapter: int = 1) -> Exercises:
    """Two 基础 and two 拓展 problems of different kinds."""
    return Exercises(chapter, {
        "q1": _numeric(),
        "q2": _choice(track="拓展", capstone=True),
        "q3": Code("写代码", lambda: None, hints=HINTS, solution="略", level=3),
        "q4": Discussion("谈一谈", points=["要点"], hints=HINTS, track="拓展", level=2),
    })


# ---------------------------------------------------------------------------
# the mark: prompt, paper box, exam edition, variants, diagnostic
# ---------------------------------------------------------------------------

def test_an_extension_problem_is_marked_on_screen_on_paper_and_in_the_exam_edition():
    book = _mixed_book()
    basic, ext = book.q1, book.q2
    assert "（计算题）" in basic.prompt_markdown() and "拓展" not in basic.prompt_markdown()
    assert ext.prompt_markdown().startswith("**练习 2**（选择题·综合·拓展）")
    assert "（选择题·综合·拓展）" in ext.paper_html() and 'data-track="拓展"' in ext.paper_html()
    assert 'data-track="基础"' in basic.paper_html() and "拓展" not in basic.paper_html().replace('data-track="基础"', "")
    assert "拓展" in repr(ext)
    # the exam edition rebuilds each problem from its public form: the mark survives
    rebuilt = Problem.from_public(ext.public())
    assert rebuilt.track == "拓展" and rebuilt.prompt_markdown() == ext.prompt_markdown()
    assert Problem.from_public(basic.public()).prompt_markdown() == basic.prompt_markdown()


def test_a_variant_keeps_the_declared_problems_track():
    book = Exercises(1, {"q1": _numeric(track="拓展"), "q2": _numeric()})
    made = Varied(lambda n: _numeric(f"算{n}"), pool=[{"n": 1}, {"n": 2}, {"n": 3}])   # the maker says 基础
    book.vary({"q1": made})
    assert book.variant("q1", "amy").track == "拓展"
    assert all(p.track == "拓展" for p in made.all(1, "q1"))
    assert book.with_variants("bo").q1.track == "拓展" and "·拓展" in book.with_variants("bo").q1.prompt_markdown()


@pytest.mark.parametrize("chapter", catalog.CHAPTERS)
def test_the_lessons_variants_keep_their_exercises_tracks(chapter):
    book = exercises_for(chapter)
    for name, varied in book.variants.items():
        declared = book[name].track
        assert {p.track for p in varied.all(chapter, name)} == {declared}, name
        assert book.variant(name, "some-learner").track == declared


def test_the_diagnostic_items_are_basic():
    from utils.lessons import diagnostic

    items = diagnostic.before().problems() + diagnostic.after().problems()
    assert len(items) == 2 * diagnostic.N and {p.track for p in items} == {"基础"}
    assert len(diagnostic.build()) == 2 * diagnostic.N and {p.track for p in diagnostic.build()} == {"基础"}


# ---------------------------------------------------------------------------
# minutes, reading, sessions
# ---------------------------------------------------------------------------

def test_every_kind_has_declared_minutes_that_rise_with_level():
    assert {k.kind for k in KINDS} <= set(timing.MINUTES), "declare minutes for every kind in utils/timing.py"
    for kind, row in timing.MINUTES.items():
        assert len(row) == 3 and list(row) == sorted(row) and row[0] > 0, kind
    # a code or chart item takes a non-programmer at least twice a quick choice of the same level
    for level in range(3):
        assert timing.MINUTES["code"][level] >= 2 * timing.MINUTES["choice"][level]
        assert timing.MINUTES["chart"][level] >= 2 * timing.MINUTES["choice"][level]
    assert timing.problem_minutes(_numeric(level=9)) == timing.MINUTES["numeric"][2]
    assert timing.SESSION_MINUTES == 45 and timing.READING_SPEED == 300


def _notebook(chars: int, names=("q1", "q2", "q3", "q4"), *, line: str = "**预计用时**：旧的说法，两节课") -> nbformat.NotebookNode:
    body = "读" * chars
    cells = [nbformat.v4.new_markdown_cell("导航", metadata={"tags": [marks.NAV]}),
             nbformat.v4.new_markdown_cell(f"# 第一章 标题\n\n**学习目标**\n\n{line}\n\n**前置知识**：无"),
             nbformat.v4.new_markdown_cell("拖动滑块", metadata={"tags": [marks.SCREEN_ONLY],
                                                                marks.KEY: {marks.PRINT: "纸面上才有的说明" * 10}}),
             nbformat.v4.new_markdown_cell(f"## 第一部分\n\n{body}")]
    for i, name in enumerate(names):
        if i == 2:
            cells.append(nbformat.v4.new_markdown_cell("## 第二部分"))
            cells.append(nbformat.v4.new_code_cell('utils.live_chart(ch.f, title="一张交互图", n=utils.slider(1, 3))'))
        cells.append(nbformat.v4.new_markdown_cell(f"题面{name}很长很长", metadata={
            "tags": [marks.EXERCISE_PROMPT], marks.KEY: {"exercise": name}}))
    return nbformat.v4.new_notebook(cells=cells)


def test_reading_counts_the_chinese_characters_a_learner_reads_on_screen():
    nb = _notebook(600)
    parts = timing.parts_of(nb)
    heading_chars = timing.han_count("第一章 标题学习目标前置知识无") + timing.han_count("第一部分") + timing.han_count("第二部分")
    screen = timing.han_count("拖动滑块")     # the screen-only text counts; its paper text (metadata) never does
    assert sum(p.chars for p in parts) == 600 + heading_chars + screen   # not the nav, prompts or the 预计用时 line
    assert [p.title for p in parts] == ["导入", "第一部分", "第二部分"]
    assert parts[1].exercises == ["q1", "q2"] and parts[2].exercises == ["q3", "q4"]
    assert parts[2].charts == ["一张交互图"]
    assert timing.han_count("2021年，abc 的 5%。") == 2     # 年 and 的: no digits, letters or punctuation


def test_sessions_count_basic_only_and_all():
    book = _mixed_book()
    nb = _notebook(4500)
    t = timing.chapter_time(1, book, nb)
    assert set(t.basic) == {"q1", "q3"} and set(t.extension) == {"q2", "q4"}
    assert t.basic_minutes == timing.problem_minutes(book.q1) + timing.problem_minutes(book.q3)
    assert t.total_all == t.total_basic + timing.problem_minutes(book.q2) + timing.problem_minutes(book.q4)
    assert t.reading >= 15                          # 4500 characters at 300 a minute
    assert t.sessions_basic == -(-t.total_basic // 45) and t.sessions_all == -(-t.total_all // 45)
    line = timing.timing_line(t)
    assert line.startswith(f"**预计用时**：基础 {t.sessions_basic} 节课 / 全部 {t.sessions_all} 节课，每节45分钟")
    assert "拓展练习2道" in line
    # a chapter of extension problems only needs more sessions for all than for 基础
    heavy = Exercises(2, {f"q{i}": _numeric(track="拓展", level=3) for i in range(1, 13)})
    th = timing.chapter_time(2, heavy, _notebook(300, names=[f"q{i}" for i in range(1, 13)]))
    assert th.sessions_basic == 1 and th.sessions_all > 2


def test_the_session_plan_places_every_problem_once_in_notebook_order():
    book = Exercises(1, {f"q{i}": (_numeric(level=3) if i % 3 else _choice(track="拓展")) for i in range(1, 13)})
    nb = _notebook(3000, names=[f"q{i}" for i in range(1, 13)])
    t = timing.chapter_time(1, book, nb)
    plan = timing.session_plan(t, book, nb)
    basic = [n for s in plan for n in s.basic]
    ext = [n for s in plan for n in s.extension]
    assert basic == [n for n in book.keys() if n in t.basic] and sorted(ext) == sorted(t.extension)
    assert plan[0].label == "第1节" and (plan[-1].last or plan[-1].number) == t.sessions_basic
    assert any(s.charts == ["一张交互图"] for s in plan)


# ---------------------------------------------------------------------------
# the notebooks' 预计用时 line: generated, checked
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", catalog.LESSONS, ids=lambda x: x.stem)
def test_each_chapter_states_its_sessions_from_the_code(lesson):
    nb = nbformat.read(lesson.path, as_version=4)
    intro = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("# "))
    lines = [ln for ln in intro.source.splitlines() if ln.startswith(timing.TIMING_PREFIX)]
    assert len(lines) == 1, "the intro cell states the chapter's time in one 预计用时 line"
    assert re.match(r"\*\*预计用时\*\*：基础 \d+ 节课 / 全部 \d+ 节课，每节45分钟", lines[0])
    t = timing.chapter_time(lesson.number, exercises_for(lesson.number), nb)
    assert timing.apply_timing(nb, t) == [], "run: python -m utils.nbtools timing"
    assert t.sessions_basic <= t.sessions_all


def test_the_timing_check_fails_on_a_stale_or_missing_line(tmp_path, capsys):
    lesson = catalog.LESSONS[0]
    copy = tmp_path / lesson.notebook
    shutil.copy(lesson.path, copy)
    nb = nbformat.read(copy, as_version=4)
    intro = next(c for c in nb.cells if timing.TIMING_PREFIX in c.source and marks.NAV not in marks.tags_of(c))
    intro.source = re.sub(r"\*\*预计用时\*\*[^\n]*", "**预计用时**：两节课，每节45分钟", intro.source)
    nbformat.write(nb, copy)
    assert nbtools.main(["timing", "--check", str(copy)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert nbtools.main(["timing", str(copy)]) == 0
    assert nbtools.main(["timing", "--check", str(copy)]) == 0
    fixed = nbformat.read(copy, as_version=4)
    assert [c.source for c in fixed.cells] == [c.source for c in nbformat.read(lesson.path, as_version=4).cells]
    # no line at all: both modes say so and exit 1
    for cell in fixed.cells:
        cell.source = "\n".join(ln for ln in cell.source.splitlines() if not ln.startswith(timing.TIMING_PREFIX))
    nbformat.write(fixed, copy)
    assert nbtools.main(["timing", "--check", str(copy)]) == 1
    assert nbtools.main(["timing", str(copy)]) == 1
    assert "no line starting with" in capsys.readouterr().out
    stray = tmp_path / "99_not_a_lesson.ipynb"
    shutil.copy(lesson.path, stray)
    assert nbtools.main(["timing", "--check", str(stray)]) == 1 and "not a lesson" in capsys.readouterr().out


def test_no_stale_timing_statement_in_readme_notebooks_or_guide():
    texts = {"README.md": (catalog.ROOT / "README.md").read_text(encoding="utf-8"),
             "guide": review.GUIDE.read_text(encoding="utf-8")}
    for lesson in catalog.LESSONS:
        nb = nbformat.read(lesson.path, as_version=4)
        texts[lesson.notebook] = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    stale = re.compile(r"两节课|两次、每次\s*45|每次\s*45\s*分钟左右|2\s*×\s*45|约90分钟，建议分两次")
    assert not [name for name, text in texts.items() if stale.search(text)]


# ---------------------------------------------------------------------------
# the guide's schedule: generated from the catalogue and the problems
# ---------------------------------------------------------------------------

def _guide() -> str:
    return review.GUIDE.read_text(encoding="utf-8")


def _schedule_block() -> str:
    text = _guide()
    return text.split(review.SCHEDULE_START, 1)[1].split(review.SCHEDULE_END, 1)[0]


def test_the_guides_schedule_is_what_the_code_generates():
    assert _schedule_block().strip() == review.schedule().strip(), "run: python -m utils.lessons.review"
    assert review.main(["--check"]) == 0


def test_the_schedule_lists_every_exercise_of_every_chapter_once_with_its_mark():
    block = _schedule_block()
    titles = [lesson.title for lesson in catalog.LESSONS]
    for i, lesson in enumerate(catalog.LESSONS):
        head = f"**{lesson.title}**"
        assert head in block, lesson.title
        section = block.split(head, 1)[1]
        if i + 1 < len(titles):
            section = section.split(f"**{titles[i + 1]}**", 1)[0]
        book = exercises_for(lesson.number)
        nb = nbformat.read(lesson.path, as_version=4)
        t = timing.chapter_time(lesson.number, book, nb)
        assert f"基础 {t.sessions_basic} 节课，全部 {t.sessions_all} 节课" in section
        for name, problem in book.items():
            ref = f"练习{problem.number}（{problem.badge()}）"
            assert section.count(ref) == 1, (lesson.number, ref)
        numbers = {int(n) for n in re.findall(r"练习(\d+)（", section)}
        assert numbers == {int(p.number) for p in book}, "the schedule names an exercise the chapter does not have"


def test_the_schedule_marks_extension_problems_apart():
    book = _mixed_book()
    nb = _notebook(300)
    lesson = catalog.LESSONS[0]
    text = timing.schedule_markdown([(lesson, book, nb)])
    assert "练习2（选择题·综合·拓展）" in text and "练习1（计算题）" in text
    row = next(ln for ln in text.splitlines() if ln.startswith("| 第1"))
    basic_cell, ext_cell = row.split(" | ")[2:4]
    assert "练习1" in basic_cell and "练习2" in ext_cell and "练习2" not in basic_cell


def _outside_generated(text: str) -> str:
    for start, end in ((review.SCHEDULE_START, review.SCHEDULE_END), (review.START, review.END)):
        head, rest = text.split(start, 1)
        text = head + rest.split(end, 1)[1]
    return text


def test_the_guide_names_no_exercise_number_or_widget_that_does_not_exist():
    prose = _outside_generated(_guide())
    # exercise numbers live only in the generated parts (they cannot go stale there)
    assert not re.search(r"练习\s*\d+", prose), re.search(r".{20}练习\s*\d+.{20}", prose).group(0)
    # every interactive chart the guide names (「title」) is one a notebook draws
    titles = {title for lesson in catalog.LESSONS
              for part in timing.parts_of(nbformat.read(lesson.path, as_version=4)) for title in part.charts}
    named = set(re.findall(r"「([^」]+)」", _guide()))
    assert named and named <= titles, named - titles
    assert "切换分母" not in _guide()
