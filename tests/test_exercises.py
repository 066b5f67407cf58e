"""The exercise engine: kinds, placeholders, messages, exam switch — and nothing ever escapes."""
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import utils
from utils import ____
from utils.exercises import (Choice, Code, Exercises, Feedback, Interval, MultiChoice, Numeric, Term,
                             hide_solutions, normalise_term)


def make_problems():
    frame = lambda: pd.DataFrame({"地区": ["甲", "乙"], "人数": [1.0, 2.5]})  # noqa: E731
    return {
        "numeric": Numeric("多少个？", 255000, unit="个", hints=["h1", "h2"], solution="25.5万"),
        "interval": Interval("区间？", 2.6e7, 3.9e7, unit="户", hints=["h1", "h2"], solution="s"),
        "choice": Choice("哪个？", {"A": "百分比", "B": "百分点"}, "B", hints=["h1", "h2"], solution="s"),
        "multichoice": MultiChoice("哪些？", {"A": "甲", "B": "乙", "C": "丙"}, "AC", hints=["h"], solution="s"),
        "term": Term("什么词？", ["五级书记抓扶贫"], hints=["h"], solution="s"),
        "code": Code("做一个表", frame, hints=["h"], solution="s"),
    }


PROBLEMS = make_problems()


@pytest.mark.parametrize("kind", PROBLEMS)
def test_reference_answer_is_correct(kind):
    p = PROBLEMS[kind]
    assert p.evaluate(p.answer).correct


@pytest.mark.parametrize("kind", PROBLEMS)
@pytest.mark.parametrize("blank", [____, ..., "", "____", "  "])
def test_placeholder_is_unanswered_not_wrong(kind, blank):
    p = make_problems()[kind]
    fb = p.evaluate(blank)
    assert fb.status == "unanswered" and "还没有作答" in fb.message
    p.check(blank)
    assert p.attempts == 0 and p.wrong_attempts == 0 and not p.solved


@pytest.mark.parametrize("answer,status,words", [
    (255000, "correct", "正确"), ("25.5万", "correct", "正确"), (25.5, "correct", "万"),
    (2550000, "wrong", "量级不对"), (2.55, "wrong", "量级不对"), (250000, "wrong", "偏小"),
    (True, "invalid", "布尔值"), (None, "invalid", "None"), (float("nan"), "invalid", "nan"),
    (10 ** 400, "invalid", "太大"), ("abc", "invalid", "不是一个能识别的数字"), ([1], "invalid", "列表"),
    (np.float64(255000), "correct", "正确"), (Decimal("255000"), "correct", "正确"),
    (Fraction(255000, 1), "correct", "正确"), (np.array([1, 2]), "invalid", "一个数"),
])
def test_numeric_messages(answer, status, words):
    fb = PROBLEMS["numeric"].evaluate(answer)
    assert fb.status == status and words in fb.text()


def test_numeric_percent_slip_is_a_magnitude_error():
    p = Numeric("比例？", 68.3, unit="%")
    assert "量级不对" in p.evaluate(0.683).message
    assert p.evaluate("68.3%").correct


def test_choice_and_multichoice_forms():
    c = PROBLEMS["choice"]
    for ok in ("B", "b", "Ｂ", "B. 百分点", "(B)", "百分点"):
        assert c.evaluate(ok).correct, ok
    assert c.evaluate("A").status == "wrong"
    assert c.evaluate("Z").status == "invalid" and c.evaluate(2).status == "invalid"
    m = PROBLEMS["multichoice"]
    for ok in ("AC", "ca", "A, C", "A、C", ["A", "C"], {"c", "a"}):
        assert m.evaluate(ok).correct, ok
    assert "漏了 1 个" in m.evaluate("A").message
    assert "1 个选项不该选" in m.evaluate("ABC").message
    assert m.evaluate("AD").status == "invalid"


def test_term_normalisation():
    assert normalise_term("“五级书记 抓扶贫”") == normalise_term("五级书记抓扶贫")
    t = PROBLEMS["term"]
    assert t.evaluate("五级书记　抓扶贫").correct          # full-width space
    assert t.evaluate("五级书记").status == "wrong"
    assert t.evaluate(5).status == "invalid"


def test_code_exercise_compares_frames():
    c = PROBLEMS["code"]
    good = pd.DataFrame({"地区": ["甲", "乙"], "人数": [1.0, 2.5]})
    assert c.evaluate(good).correct
    assert "第 2 行" in c.evaluate(good.assign(人数=[1.0, 3.0])).message
    assert "缺少列" in c.evaluate(good.drop(columns=["人数"])).message
    assert "行数不对" in c.evaluate(good.iloc[:1]).message
    assert c.evaluate(good["人数"]).status == "invalid"
    series = Code("s", lambda: pd.Series([1.0, 2.0], name="x"))
    assert series.evaluate(pd.Series([1.0, 2.0])).correct
    assert series.evaluate(pd.Series([1.0, 2.2])).status == "wrong"


def test_interval():
    i = PROBLEMS["interval"]
    assert i.evaluate(("2600万", "3900万")).correct
    assert i.evaluate((3.9e7, 2.6e7)).correct
    assert i.evaluate((2.6e7, 4e7)).status == "wrong"
    assert i.evaluate((1, 2, 3)).status == "invalid"


def test_hints_levels_and_solution_switch(monkeypatch):
    p = make_problems()["numeric"]
    assert "提示 1/2" in p.hint_feedback().message
    assert "提示 2/2" in p.hint_feedback().message
    assert "提示 2/2" in p.hint_feedback().message      # stays on the last
    assert "提示 1/2" in p.hint_feedback(1).message
    for bad in (0, 3, -1, "1", 1.5, True, None.__class__):
        assert p.hint_feedback(bad).status == "invalid"
    assert p.solution_feedback().status == "solution"
    monkeypatch.setenv("HIDE_SOLUTIONS", "1")
    assert "考试模式" in p.solution_feedback().message and "25.5万" not in p.solution_feedback().text()
    monkeypatch.delenv("HIDE_SOLUTIONS")
    hide_solutions(True)
    try:
        assert "考试模式" in p.solution_feedback().message
    finally:
        hide_solutions(False)
    assert p.solution_feedback().status == "solution"


def test_feedback_renders_html_and_text(capsys):
    fb = PROBLEMS["numeric"].evaluate("<script>")
    assert "<script>" not in fb.html() and "&lt;script&gt;" in fb.html()
    assert fb.bundle()["text/plain"].startswith("！")
    p = make_problems()["numeric"]
    p.check(255000)                                     # console: printed as text
    assert "正确" in capsys.readouterr().out
    assert p.solved and p.attempts == 1


def test_progress():
    problems = make_problems()
    ex = Exercises(1, "测试", {"q1": problems["numeric"], "q2": problems["choice"]})
    ex.q1.check(255000)
    ex.q2.check("A")
    fb = ex.progress_feedback()
    assert "1/2" in fb.message and "练习 2" in fb.detail
    with pytest.raises(AttributeError, match="本章没有练习"):
        ex.q9
    with pytest.raises(ValueError):
        Exercises(1, "x", {"first": problems["term"]})


# --- nothing escapes: property-based ----------------------------------------

class EqRaises:
    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = object.__hash__

    def __repr__(self):
        raise RuntimeError("repr boom")


class FloatRaises:
    def __float__(self):
        raise ValueError("no float")


class LenLies(list):
    def __len__(self):
        raise TypeError("len boom")


odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10 ** 500), max_value=10 ** 500),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=50), st.binary(max_size=20),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=5),
    st.tuples(st.floats(), st.floats()), st.tuples(st.text(max_size=4), st.text(max_size=4)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.sets(st.text(max_size=3), max_size=3), st.frozensets(st.integers(), max_size=3),
    st.complex_numbers(), st.decimals(), st.fractions(),
    st.sampled_from([
        pd.DataFrame(), pd.DataFrame({"a": [1]}), pd.DataFrame({"地区": ["甲", "乙"], "人数": ["x", None]}),
        pd.Series([1.0, 2.0]), pd.Series([], dtype=float), np.array([]), np.array(3.0), np.int64(7),
        np.nan, math.inf, -math.inf, lambda x: x, print, object(), EqRaises(), FloatRaises(),
        LenLies([1, 2]), [EqRaises(), 1], (FloatRaises(), 1), {EqRaises()}, "２５．５万", "Ｂ", "a,c",
        "1e309", "--5", "25.5万万", "\x00", "💡" * 100, ..., ____, type, int, Exception("x"),
    ]),
)


@pytest.mark.parametrize("kind", list(PROBLEMS))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=odd_values)
def test_nothing_escapes(kind, value):
    p = PROBLEMS[kind]
    fb = p.evaluate(value)
    assert isinstance(fb, Feedback)
    assert fb.status in {"correct", "wrong", "unanswered", "invalid"}
    assert "Traceback" not in fb.text()
    assert isinstance(fb.html(), str)
    p.check(value)  # displays/prints, never raises
    p.hint(value)
