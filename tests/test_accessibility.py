"""Accessibility and legibility, round 2 (issue 28): the class report's per-chapter view.

The browser halves (text size measured in Chromium, axe-core, keyboard, reflow) are in
tests/test_browser.py; the colour contrast of the lessons' charts in tests/test_style_and_charts.py.
"""
import json
import re

import matplotlib.pyplot as plt
import pytest

from test_style_and_charts import contrast_problems, wcag_contrast
from utils.classroom import report, report_view
from utils.classroom.key import all_problems
from utils.exercises import attempts, key_of


def _numeric(chapter):
    """The chapter's numeric exercises, in order (their answers can be made right, close or wrong)."""
    return sorted((k for k, p in all_problems().items() if k[0] == chapter and p.kind == "numeric"),
                  key=lambda k: int(k[1][1:]))


def _line(learner, chapter, exercise, status, minute=0):
    """A record whose stored answer the key judges ``status`` (grading re-judges; it never reads the status)."""
    right = key_of(all_problems()[(chapter, exercise)]).answer
    answer = {"correct": right, "close": right * 1.03, "wrong": right * 7.3 + 1}[status]
    return {"v": attempts.VERSION, "time": f"2026-11-29T03:{minute:02d}:00+00:00", "learner": learner,
            "chapter": chapter, "exercise": exercise, "kind": "numeric", "answer": answer, "status": "correct",
            "mistake": None, "exam": False}


def _write(tmp_path, lines):
    """One attempt file per learner, in a home folder of their own (the learner is where the file is)."""
    homes = tmp_path / "homes"
    for x in lines:
        folder = homes / x["learner"]
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "attempts.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(x) + "\n")
    return homes


@pytest.fixture
def class_log(tmp_path):
    """Five learners in chapter 3 only: one cell of every state."""
    ex = _numeric(3)
    a, b = ex[0][1], ex[1][1]
    lines = [_line("amy", 3, a, "correct"),                                        # right first time
             _line("bo", 3, a, "wrong"), _line("bo", 3, a, "correct", 1),          # right later
             *[_line("cy", 3, a, s, m) for m, s in enumerate(("wrong", "close", "wrong"))],   # stuck
             _line("dan", 3, a, "wrong"),                                          # tried, not yet right
             _line("eve", 3, b, "correct")]                                        # eve never tried a
    return _write(tmp_path, lines), a, b


def test_only_chapters_with_attempts_and_each_cell_state(class_log):
    path, a, b = class_log
    rep = report.build([path])
    views = report_view.chapters(rep, report.STUCK_WRONG)
    assert [v.chapter for v in views] == [3]
    view = views[0]
    assert {e.chapter for e in view.exercises} == {3}
    assert len(view.exercises) == sum(1 for k in all_problems() if k[0] == 3)
    got = {who: view.states.get((who, a), "none") for who in ("amy", "bo", "cy", "dan", "eve")}
    assert got == {"amy": "first", "bo": "done", "cy": "stuck", "dan": "tried", "eve": "none"}
    # the same verdicts as the report's own counts
    row = next(e for e in rep.exercises if (e.chapter, e.exercise) == (3, a))
    assert (row.tried, row.completed, row.first_try, row.stuck) == (4, 2, 1, 1)
    assert view.attempts == sum(e.attempts for e in view.exercises) == 8


def test_report_page_counts_say_what_they_count_and_images_are_legible(class_log):
    path, a, b = class_log
    rep = report.build([path])
    page = report.to_html(rep)
    assert "第3章" in page and "第1章" not in page.split("<h2>各章一览</h2>")[1].split("<h2>")[0]
    assert "全班 5 名学员中 5 人做过本章练习" in page and "本章共判分作答 8 次" in page
    images = re.findall(r'<img alt="([^"]+)" width="(\d+)" data-min-text-px="([\d.]+)"', page)
    assert len(images) >= 2  # bars + grid
    for alt, width, px in images:
        assert int(width) <= report_view.MAX_WIDTH_PX and float(px) >= 11, (alt[:30], width, px)
    assert any(alt.startswith("网格，第3章 5 名学员") and "卡住 1 格" in alt for alt, _, _ in images)
    assert any(alt.startswith("条形图，第3章") and f"3.{a} 作答 4 人、完成 2 人、第一次就答对 1 人" in alt
               for alt, _, _ in images)


def test_report_view_figures_meet_the_contrast_minimums(class_log):
    path, _, _ = class_log
    rep = report.build([path])
    view = report_view.chapters(rep, report.STUCK_WRONG)[0]
    problems = contrast_problems(report_view.bars_figure(view, rep.n_learners), "bars")
    for fig in report_view.grid_figures(view):
        problems += contrast_problems(fig, "grid")
    plt.close("all")
    assert problems == []
    for letter, fill, ink, _ in report_view.STATES.values():
        assert wcag_contrast(ink, fill) >= 4.5, letter
        assert fill == "white" or wcag_contrast(fill, "white") >= 3, letter
    assert wcag_contrast(report_view.CELL_EDGE, "white") >= 3


def test_a_large_class_is_split_into_images_shown_at_their_own_size(tmp_path):
    ex = _numeric(1)
    lines = [_line(f"learner{n:02d}", 1, e, "correct") for n in range(45) for _, e in ex[:3]]
    rep = report.build([_write(tmp_path, lines)])
    figs = report_view.grid_figures(report_view.chapters(rep, report.STUCK_WRONG)[0])
    assert len(figs) == 2   # 45 learners: 40 + 5 rows
    assert all(f.get_figwidth() * report_view.DPI <= report_view.MAX_WIDTH_PX for f in figs)
    plt.close("all")


def test_no_attempts_no_chapter_sections(tmp_path):
    path = tmp_path / "attempts.jsonl"
    path.write_text("", encoding="utf-8")
    rep = report.build([path])
    assert report_view.sections_html(rep, report.STUCK_WRONG) == ""
    assert "各章一览" not in report.to_html(rep)
