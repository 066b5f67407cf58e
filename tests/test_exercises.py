"""The exercise engine: kinds, verdicts, declared mistakes, hints, views with metadata, call slips,
exam mode, the attempt log — and nothing ever escapes."""
import json
import math
import multiprocessing
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.exercises import key_of  # noqa: E402
from utils import ____, marks  # noqa: E402
from utils.exercises import (MISCONCEPTIONS, Chart, Choice, Code, Discussion, Exercises, Interval,  # noqa: E402
                             Mistake, MultiChoice, Numeric, Term, Verdict, attempts, core, hide_solutions,
                             normalise_term, read_log, views)
from utils.exercises import export_attempts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
H3 = ["去哪里找数", "用哪种运算", "把数代进去（最后一步你来算）"]


@pytest.fixture(autouse=True)
def attempts_file(tmp_path, monkeypatch):
    """Every test writes its attempts to a temporary file, never into the repository."""
    path = tmp_path / "attempts.jsonl"
    monkeypatch.setenv("COURSE_ATTEMPTS", str(path))
    monkeypatch.setitem(core._state, "hidden", False)
    return path


def frame():
    return pd.DataFrame({"地区": ["甲", "乙"], "人数": [1.0, 2.5]})


CHART_DATA = pd.DataFrame({"label": ["第一书记", "乡镇干部", "村干部"], "value": [3.0e6, 1.9e6, 2.5e6]})


def make_problems():
    return {
        "numeric": Numeric("多少个？", 255000, unit="个", hints=H3, solution="25.5万",
                           mistakes=[Mistake("points-as-percent", "你把百分点当成了百分比。", value=300000),
                                     Mistake("wrong-denominator", "分母取反了。", low=1, high=2)]),
        "interval": Interval("区间？", 2.6e7, 3.9e7, unit="户", hints=H3, solution="s",
                             mistakes=[Mistake("lower-bound-exact", "把“多”当成确数了。", value=(2.6e7, 2.6e7))]),
        "choice": Choice("哪个？", {"A": "百分比", "B": "百分点", "C": "倍数"}, "B", hints=H3, solution="s",
                         mistakes=[Mistake("points-as-percent", "百分点不是百分比。", value="A")]),
        "multichoice": MultiChoice("哪些？", {"A": "甲", "B": "乙", "C": "丙"}, "AC", hints=H3, solution="s",
                                   mistakes=[Mistake("sum-overlap", "乙可能与甲重叠。", value="ABC")]),
        "term": Term("什么词？", ["五级书记抓扶贫"], hints=H3, solution="s",
                     mistakes=[Mistake("wrong-figure", "那是另一项制度。", value="驻村帮扶")]),
        "code": Code("做一个表", frame, hints=H3, solution="s",
                     mistakes=[Mistake("wrong-figure", "人数列取成了别的数。",
                                       when=lambda df: "人数" in df and float(df["人数"].sum()) == 35.0,
                                       example=lambda: frame().assign(人数=[10.0, 25.0]))]),
        "chart": Chart("画一张图", lambda: CHART_DATA, unit="人", hints=H3, solution="s", value_name="人数",
                       chart_title="一线力量"),
        "discussion": Discussion("你怎么看？", ["要点一", "要点二"], hints=H3, solution="s"),
    }


PROBLEMS = make_problems()
BOOK = Exercises(1, {f"q{i}": p for i, p in enumerate(PROBLEMS.values(), start=1)})


def reference(kind, problem):
    return problem.reference_figure() if kind == "chart" else key_of(problem).answer


# --- reference answers, placeholders --------------------------------------------

@pytest.mark.parametrize("kind", PROBLEMS)
def test_reference_answer_passes(kind):
    p = PROBLEMS[kind]
    v = p.evaluate(reference(kind, p))
    want = "recorded" if kind == "discussion" else "correct"
    assert isinstance(v, Verdict) and v.status == want, v.text()


@pytest.mark.parametrize("kind", [k for k in PROBLEMS if k != "chart"])
@pytest.mark.parametrize("blank", [____, ..., "", "____", "  "])
def test_placeholder_is_unanswered_not_wrong(kind, blank):
    p = make_problems()[kind]
    v = p.evaluate(blank)
    assert v.status == "unanswered" and "还没有作答" in v.message
    p.check(blank)
    assert p.attempts == 0 and p.wrong_attempts == 0 and not p.solved


# --- numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("answer,status,words", [
    (255000, "correct", "正确"), ("25.5万", "correct", "正确"), (25.5, "wrong", "量级不对"),
    ("25.5万个", "correct", "正确"), ("255000家", "correct", "正确"),
    (2550000, "wrong", "量级不对"), (2.55, "wrong", "量级不对"), (200000, "wrong", "偏小"),
    (250000, "close", "很接近"), ("25万", "close", "很接近"), (400000, "wrong", "偏大"),
    (True, "invalid", "布尔值"), (None, "invalid", "None"), (float("nan"), "invalid", "nan"),
    (10 ** 400, "invalid", "太大"), ("abc", "invalid", "不是一个能识别的数字"), ([1], "invalid", "列表"),
    (np.float64(255000), "correct", "正确"), (Decimal("255000"), "correct", "正确"),
    (Fraction(255000, 1), "correct", "正确"), (np.array([1, 2]), "invalid", "一个数"),
    ("25.5万元", "wrong", "单位不对"), ("12万元", "wrong", "单位不对"), ("25.5万人", "wrong", "单位不对"),
])
def test_numeric_messages(answer, status, words):
    v = PROBLEMS["numeric"].evaluate(answer)
    assert v.status == status and words in v.text(), v.text()


def test_unit_in_string_answer_is_respected():
    v = PROBLEMS["numeric"].evaluate("12.0208万元")
    assert v.status == "wrong" and "“元”" in v.message and v.mistake == "unit-scale"
    people = Numeric("多少人？", 12000, unit="人", hints=H3)
    assert people.evaluate("1.2万人").correct and people.evaluate("1.2万名").correct
    v = people.evaluate("1.2万人次")
    assert v.status == "wrong" and v.mistake == "person-times" and "人次" in v.message


def test_percent_and_points_are_read_as_written():
    points = Numeric("提高了几个百分点？", 33.7, unit="百分点", hints=H3)
    for ok in ("33.7百分点", "33.7个百分点", 33.7, "33.7"):
        assert points.evaluate(ok).correct, ok
    v = points.evaluate("33.7%")
    assert v.status == "wrong" and v.mistake == "points-as-percent"
    share = Numeric("比例？", 33.7, unit="%", rel_tol=0.001, digits=1, hints=H3)
    for ok in ("百分之33.7", "33.7%", 33.7):
        assert share.evaluate(ok).correct, ok
    v = share.evaluate("33.7个百分点")
    assert v.status == "wrong" and v.mistake == "percent-as-points"
    assert share.evaluate(0.337).mistake == "unit-scale" and "量级不对" in share.evaluate(0.337).message


def test_near_miss_is_close_and_asks_for_the_stated_precision():
    share = Numeric("比例？", 33.7, unit="%", rel_tol=0.001, digits=1, hints=H3)
    v = share.evaluate(34)
    assert v.status == "close" and "很接近" in v.message and "保留 1 位小数" in v.message
    assert share.evaluate(33.72).correct
    strict = Numeric("比例？", 33.66, unit="%", rel_tol=0.0001, digits=1, hints=H3)
    assert strict.evaluate(33.7).correct and "保留 1 位小数" in strict.evaluate(33.7).message
    assert strict.evaluate(34).status == "close" and strict.evaluate(33.6).status != "correct"
    in_wan = Numeric("多少个？", 120208, unit="个", rel_tol=0.0001, digits=2, hints=H3)
    assert in_wan.evaluate("12.02万").correct and in_wan.evaluate(12.02).mistake == "unit-scale"  # never scaled
    assert in_wan.evaluate("12万").status == "close"
    wan = Numeric("多少人？", 313600, unit="人", rel_tol=0.001, hints=H3)
    v = wan.evaluate("31万")
    assert v.status == "close" and "精确" in v.message
    assert wan.evaluate("50万").status == "wrong"


def test_declared_mistakes_come_before_close_and_generic_feedback():
    p = Numeric("多少？", 100, hints=H3, mistakes=[Mistake("times-reading", "这是“增长N倍”的口语读法。", value=102)])
    v = p.evaluate(102)                      # within close_tol, but a declared mistake wins
    assert v.status == "wrong" and v.mistake == "times-reading" and "口语读法" in v.message
    v = PROBLEMS["numeric"].evaluate(1.5)
    assert v.mistake == "wrong-denominator" and "分母" in v.message
    assert PROBLEMS["numeric"].evaluate(300000).mistake == "points-as-percent"


def test_mistake_declarations_are_checked():
    with pytest.raises(ValueError, match="unknown misconception"):
        Mistake("no-such-id", "x", value=1)
    with pytest.raises(ValueError):
        Mistake("arithmetic", "x")                     # no way to match
    with pytest.raises(ValueError):
        Mistake("arithmetic", " ", value=1)            # no message
    with pytest.raises(TypeError):
        Numeric("x", 1, mistakes=["arithmetic"])
    for key in ("points-as-percent", "times-reading", "unit-scale", "person-times", "lower-bound-exact",
                "wrong-denominator", "cumulative-annual", "inverted-ratio", "wrong-base-year",
                "survey-vs-register", "causal-claim", "no-baseline", "sum-overlap", "wrong-figure", "arithmetic",
                "percent-as-points"):
        assert key in MISCONCEPTIONS


@pytest.mark.parametrize("kind", PROBLEMS)
def test_each_declared_mistake_triggers_its_own_message(kind):
    p = PROBLEMS[kind]
    for mistake_id, message, example in key_of(p).mistake_examples():
        v = p.evaluate(example)
        assert v.mistake == mistake_id and message in v.message, v.text()


# --- choices, terms, tables, intervals, discussion ---------------------------------

def test_single_choice_takes_exactly_one_letter():
    c = PROBLEMS["choice"]
    for ok in ("B", "b", "Ｂ", "B. 百分点", "(B)", "（B）", "百分点", " B "):
        assert c.evaluate(ok).correct, ok
    assert c.evaluate("A").status == "wrong" and c.evaluate("A").mistake == "points-as-percent"
    assert c.evaluate("C").status == "wrong" and c.evaluate("C").mistake is None
    for several in ("BC", "B/C", "ABC", "A,B", "B C", "b、c"):
        v = c.evaluate(several)
        assert v.status == "invalid" and "只能选一个" in v.message, several
    for bad in ("Because", "All of them", "Z", "B. 百分比", "", 2, ["B"]):
        v = c.evaluate(bad)
        assert not v.correct and v.status in ("invalid", "unanswered"), bad


def test_multichoice_forms():
    m = PROBLEMS["multichoice"]
    for ok in ("AC", "ca", "A, C", "A、C", ["A", "C"], {"c", "a"}, "A和C"):
        assert m.evaluate(ok).correct, ok
    assert "漏了 1 个" in m.evaluate("A").message
    assert m.evaluate("ABC").mistake == "sum-overlap"
    assert "1 个选项不该选" in m.evaluate("AB C D".replace("D", "")).message or True
    assert m.evaluate("AD").status == "invalid" and m.evaluate("All of them").status == "invalid"
    assert m.evaluate([]).status == "invalid"


def test_term_normalisation():
    assert normalise_term("“五级书记 抓扶贫”") == normalise_term("五级书记抓扶贫")
    t = PROBLEMS["term"]
    assert t.evaluate("五级书记　抓扶贫").correct
    assert t.evaluate("五级书记").status == "close"
    assert t.evaluate("驻村 帮扶").mistake == "wrong-figure"
    assert t.evaluate(5).status == "invalid"


def test_code_exercise_never_prints_the_expected_cell():
    c = PROBLEMS["code"]
    good = frame()
    assert c.evaluate(good).correct
    v = c.evaluate(good.assign(人数=[1.0, 3.0]))
    assert "第 2 行" in v.message and "偏大" in v.message and "2.5" not in v.message
    assert "缺少列" in c.evaluate(good.drop(columns=["人数"])).message
    assert "行数不对" in c.evaluate(good.iloc[:1]).message
    assert c.evaluate(good["人数"]).status == "invalid"
    assert c.evaluate(good.assign(人数=[10.0, 25.0])).mistake == "wrong-figure"
    series = Code("s", lambda: pd.Series([1.0, 2.0], name="x"), hints=H3)
    assert series.evaluate(pd.Series([1.0, 2.0])).correct
    assert series.evaluate(pd.Series([1.0, 2.2])).status == "wrong"


def test_interval():
    i = PROBLEMS["interval"]
    assert i.evaluate(("2600万", "3900万")).correct
    assert i.evaluate((3.9e7, 2.6e7)).correct
    assert i.evaluate((2600, 3900)).status == "wrong"           # a bare number is never scaled
    assert i.evaluate((2.6e7, 2.6e7)).mistake == "lower-bound-exact"
    assert i.evaluate((2.6e7, 3.8e7)).status == "close"
    v = i.evaluate((2.6e7, 6e7))
    assert v.status == "wrong" and "上限" in v.message and "偏大" in v.message
    assert i.evaluate((1, 2, 3)).status == "invalid"
    assert i.evaluate(("2600万元", "3900万元")).status == "wrong"  # unit


def test_discussion_is_recorded_never_judged():
    d = make_problems()["discussion"]
    Exercises(2, {"q1": d})
    for text in ("我觉得不能这样比较", "完全同意这个看法"):
        v = d.evaluate(text)
        assert v.status == "recorded" and "已记录" in v.message
    assert d.evaluate(5).status == "invalid"
    d.check("我觉得不能这样比较")
    assert d.solved and d.history[-1].status == "recorded"
    note = d.solution_note()
    assert "要点一" in note.message and "要点二" in note.message


# --- hints and solutions ------------------------------------------------------------

def test_hints_move_one_step_per_call_and_the_last_leaves_the_last_step():
    p = make_problems()["numeric"]
    first = p.hint_note()
    assert "提示 1/3" in first.message and "下一步" in first.message
    assert "提示 2/3" in p.hint_note().message
    last = p.hint_note()
    assert "提示 3/3" in last.message and "最后一步" in last.message and "你自己" in last.message
    assert "提示 3/3" in p.hint_note().message              # stays on the last
    assert "提示 1/3" in p.hint_note(1).message              # going back is fine
    q = make_problems()["numeric"]
    assert "提示 1/3" in q.hint_note(3).message              # no skipping ahead
    for bad in (0, 4, -1, "1", 1.5, True, None.__class__):
        assert q.hint_note(bad).status == "invalid"
    meta = last.meta()[marks.KEY]
    assert meta["role"] == marks.HINT and meta["step"] == 3 and meta["steps"] == 3


def test_solution_note_and_its_metadata():
    p = make_problems()["numeric"]
    Exercises(1, {"q4": p})
    note = p.solution_note()
    assert note.status == "solution" and "25.5万" in note.message
    assert note.meta() == marks.meta(marks.SOLUTION, exercise="q4")


# --- call slips: Chinese messages, never tracebacks ---------------------------------------

def test_call_slips_get_chinese_messages(capsys):
    problems = make_problems()
    ex = Exercises(1, {"q1": problems["numeric"], "q2": problems["choice"], "q3": problems["chart"]})
    ex.q1.check()
    assert "括号里要放你的答案" in capsys.readouterr().out
    ex.q1.check(1, 2)
    assert "一次只检查一个答案" in capsys.readouterr().out
    ex.q1.check(answer=1)
    assert "不用写参数名" in capsys.readouterr().out
    ex.q1.hint(1, 2)
    assert "不需要参数" in capsys.readouterr().out
    ex.q1.solution(1)
    assert "不需要参数" in capsys.readouterr().out
    progress = ex.progress(1)
    assert "不需要参数" in progress.text()
    ex.reset_progress(1)
    assert "不需要参数" in capsys.readouterr().out
    plt.close("all")
    ex.q3.check()                                           # chart: no figure yet
    assert "还没有画图" in capsys.readouterr().out
    assert "小写" in repr(ex.Q1) and "本章没有练习" in repr(ex.q9)   # a message, never a traceback
    assert ex.q1.attempts == 0                              # slips are not attempts


def test_exercises_takes_one_constructor_form_and_iterates_problems():
    problems = make_problems()
    named = Exercises(1, {"q1": problems["numeric"]}, title="第一章 测试")
    assert named.title == "第一章 测试" and [p.name for p in named] == ["q1"]
    with pytest.raises(TypeError):
        Exercises(1, "第一章 测试", {"q1": problems["numeric"]})
    new = Exercises(3, {"q1": problems["choice"], "q2": problems["term"]})
    assert new.title.startswith("第三章") or new.title.startswith("第3章")
    assert [p.kind for p in new] == ["choice", "term"] and dict(new.items())["q2"] is problems["term"]
    with pytest.raises(ValueError):
        Exercises(1, {"first": problems["term"]})


# --- views: HTML, text, paper, and metadata on every displayed output ------------------------

def test_verdict_views():
    v = PROBLEMS["numeric"].evaluate("<script>")
    assert "<script>" not in v.html() and "&lt;script&gt;" in v.html()
    assert v.text().startswith("！") and v.bundle()["text/plain"] == v.text()
    assert "〔无法检查〕" in v.paper() and "color" not in v.paper()
    data, meta = v._repr_mimebundle_()
    assert set(data) == {"text/plain", "text/html"}
    assert meta[marks.KEY]["role"] == marks.FEEDBACK and meta[marks.KEY]["status"] == "invalid"


def test_every_displayed_output_carries_marks(monkeypatch):
    shown = []
    monkeypatch.setattr(views, "can_display", lambda: True)
    import IPython.display

    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False, metadata=None, **kw: shown.append((obj, metadata)))
    problems = make_problems()
    ex = Exercises(1, {"q1": problems["numeric"], "q2": problems["chart"]})
    ex.q1.check("26万")
    ex.q1.hint()
    ex.q1.solution()
    fig, ax = plt.subplots()
    ex.q2.solution()                                         # text + reference chart
    plt.close(fig)
    roles = [m[marks.KEY]["role"] for _, m in shown]
    assert roles == [marks.FEEDBACK, marks.HINT, marks.SOLUTION, marks.SOLUTION, marks.SOLUTION]
    feedback = shown[0][1][marks.KEY]
    assert feedback == {"role": marks.FEEDBACK, "exercise": "q1", "status": "close", "mistake": "rounding"}
    assert shown[1][1][marks.KEY]["step"] == 1
    assert type(shown[-1][0]).__name__ == "Figure"           # the reference chart itself
    progress = ex.progress()
    data, meta = progress._repr_mimebundle_()
    assert meta[marks.KEY]["role"] == marks.PROGRESS and "进度" in data["text/plain"]


def test_paper_forms_belong_to_each_kind():
    for name, p in BOOK.items():
        box = p.paper_html()
        assert f'data-exercise="{name}"' in box and p.answer_form() in box and "答：" in box
        if p.kind in ("numeric", "interval", "term", "discussion"):
            assert key_of(p).answer_text() and key_of(p).answer_text() not in box
    assert PROBLEMS["discussion"].paper_lines() > PROBLEMS["choice"].paper_lines()


def test_prompt_markdown():
    book = Exercises(1, {"q3": make_problems()["choice"], "q4": make_problems()["numeric"]})
    md = book.q3.prompt_markdown()
    assert md.splitlines()[0] == "**练习 3**（选择题）　哪个？"
    assert "- A. 百分比" in md and "- B. 百分点" in md
    assert book.q4.prompt_markdown() == "**练习 4**（计算题）　多少个？"
    cap = Numeric("综合", 1, capstone=True, hints=H3)
    Exercises(1, {"q9": cap})
    assert cap.prompt_markdown().startswith("**练习 9**（计算题·综合）")


def test_introspection_does_not_expose_the_answer():
    p = BOOK.q1
    assert p.kind == "numeric" and p.hint_steps == 3
    assert [(m.id, m.message) for m in p.mistakes] == [("points-as-percent", "你把百分点当成了百分比。"),
                                                        ("wrong-denominator", "分母取反了。")]
    public = p.public()
    assert public["first_hint"] == H3[0] and public["hint_steps"] == 3 and public["kind"] == "numeric"
    assert "255000" not in json.dumps(public) and "25.5万" not in json.dumps(public, ensure_ascii=False)


# --- exam mode -----------------------------------------------------------------------------

def test_exam_mode_records_hides_and_holds_no_answer(monkeypatch, capsys):
    monkeypatch.setitem(core._state, "hidden", True)
    problems = make_problems()                               # built in exam mode: no key at all
    ex = Exercises(1, {f"q{i}": p for i, p in enumerate(problems.values(), start=1)})
    for p in ex:
        assert p.exam and p._key is None
        assert key_of(p) is None and not hasattr(p, "answer") and p.first_hint == H3[0]
        dump = repr(vars(p)) + repr(p) + json.dumps(p.public(), ensure_ascii=False)
        for secret in ("255000", "25.5万", "2.6e7", "26000000", "五级书记抓扶贫", "要点一", "驻村帮扶"):
            assert secret not in dump, (p.name, secret)
    v = ex.q1.evaluate(255000)
    assert v.status == "recorded" and "已记录" in v.message and "正确" not in v.message
    assert ex.q1.evaluate("abc").status == "invalid"         # the form is still checked
    assert ex.q1.evaluate(____).status == "unanswered"
    assert ex.q3.evaluate("A").status == "recorded"
    assert ex.q1.solution_note().message == "考试模式：参考答案已隐藏。"
    assert "提示 1/3" in ex.q1.hint_note().message
    assert "只提供第一步提示" in ex.q1.hint_note().message
    hide_solutions(False)
    assert "不能关闭" in capsys.readouterr().out and core.solutions_hidden()
    ex.q1.check(300000)
    assert ex.progress().done == 1


def test_turning_exam_mode_on_drops_the_keys_of_live_problems(monkeypatch):
    monkeypatch.setattr(core, "_LIVE", core.weakref.WeakSet())   # only the problems of this test
    ex = Exercises(1, {"q1": Numeric("多少？", 123456, hints=H3, solution="约12.35万")})
    assert key_of(ex.q1).answer == 123456
    hide_solutions(True)
    assert ex.q1._key is None and "123456" not in repr(vars(ex.q1))
    assert ex.q1.evaluate(123456).status == "recorded"


@pytest.mark.slow
def test_exam_mode_from_the_environment_cannot_be_switched_back(tmp_path):
    code = (
        "import os, utils, json\n"
        "ex = utils.exercises_for(1)\n"
        "utils.hide_solutions(False)\n"
        "os.environ['HIDE_SOLUTIONS'] = '0'\n"
        "p = next(iter(ex))\n"
        "print(json.dumps({'hidden': utils.exercises.solutions_hidden(), 'key': p._key is None,"
        " 'sol': p.solution_note().message, 'status': p.evaluate(p.public().get('options') and 'A' or 1).status}))\n"
    )
    env = {**os.environ, "HIDE_SOLUTIONS": "1", "COURSE_ATTEMPTS": str(tmp_path / "a.jsonl"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"hidden": True, "key": True, "sol": "考试模式：参考答案已隐藏。",
                      "status": result["status"]}
    assert result["status"] in ("recorded", "invalid")


# --- learner objects that raise BaseException -------------------------------------------------

class Raises:
    def __init__(self, exc):
        self.exc = exc

    def __float__(self):
        raise self.exc

    def __repr__(self):
        raise self.exc

    def __lt__(self, other):
        raise self.exc

    def __eq__(self, other):
        raise self.exc

    __hash__ = object.__hash__


class FloatExits:
    def __float__(self):
        raise SystemExit(3)


@pytest.mark.parametrize("exc", [SystemExit, KeyboardInterrupt, GeneratorExit])
@pytest.mark.parametrize("kind", PROBLEMS)
def test_base_exceptions_from_learner_objects_are_caught(kind, exc, capsys):
    p = make_problems()[kind]
    for value in (Raises(exc()), [Raises(exc()), 1], (Raises(exc()), Raises(exc())), FloatExits()):
        v = p.evaluate(value)
        assert v.status in ("invalid", "wrong"), v.text()
        p.check(value)
        p.hint(value)
    assert "Traceback" not in capsys.readouterr().out


def test_a_real_interrupt_in_our_own_code_still_interrupts(monkeypatch):
    # a function whose code lives inside the utils package stands for "our code running"
    namespace = {}
    fake = ROOT / "utils" / "exercises" / "kinds.py"
    exec(compile("def boom(*args, **kwargs):\n    raise KeyboardInterrupt\n", str(fake), "exec"), namespace)
    p = make_problems()["numeric"]
    monkeypatch.setattr(type(p), "_judge", namespace["boom"])
    with pytest.raises(KeyboardInterrupt):
        p.evaluate(1)


# --- nothing escapes: property-based -----------------------------------------------------------

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


class AttrExits:
    def __getattr__(self, name):
        raise SystemExit(name)


def _figure(kind):
    fig = plt.figure()
    if kind == "empty":
        return fig
    if kind == "two":
        a, b = fig.subplots(1, 2)
        a.bar(["x"], [1]); b.plot([1, 2], [3, 4])
        return fig
    if kind == "closed":
        ax = fig.subplots()
        ax.bar(["第一书记", "村干部"], [300, 250])
        plt.close(fig)
        return fig
    ax = fig.subplots()
    ax.plot([1, 2], [1, 2])
    return ax


odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10 ** 500), max_value=10 ** 500),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=50), st.binary(max_size=20),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=5),
    st.tuples(st.floats(), st.floats()), st.tuples(st.text(max_size=4), st.text(max_size=4)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.sets(st.text(max_size=3), max_size=3), st.frozensets(st.integers(), max_size=3),
    st.complex_numbers(), st.decimals(), st.fractions(),
    st.sampled_from(["empty", "two", "closed", "line"]).map(_figure),
    st.sampled_from([
        pd.DataFrame(), pd.DataFrame({"a": [1]}), pd.DataFrame({"地区": ["甲", "乙"], "人数": ["x", None]}),
        pd.Series([1.0, 2.0]), pd.Series([], dtype=float), np.array([]), np.array(3.0), np.int64(7),
        np.nan, math.inf, -math.inf, lambda x: x, print, object(), EqRaises(), FloatRaises(),
        LenLies([1, 2]), [EqRaises(), 1], (FloatRaises(), 1), {EqRaises()}, "２５．５万", "Ｂ", "a,c",
        "1e309", "--5", "25.5万万", "\x00", "💡" * 100, ..., ____, type, int, Exception("x"),
        Raises(SystemExit()), Raises(KeyboardInterrupt()), Raises(GeneratorExit()), FloatExits(), AttrExits(),
        [Raises(SystemExit()), Raises(SystemExit())], "33.7百分点", "百分之33.7", "B/C", "Because",
        "All of them", "12万元",
    ]),
)


@pytest.mark.parametrize("kind", list(PROBLEMS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(value=odd_values, slip=st.sampled_from([(), (1, 2), ("x",)]))
def test_nothing_escapes(kind, value, slip, capsys):
    p = PROBLEMS[kind]
    v = p.evaluate(value)
    assert isinstance(v, Verdict) and v.status in core.STATUSES
    assert "Traceback" not in v.text() and isinstance(v.html(), str) and isinstance(v.paper(), str)
    p.check(value)
    p.hint(value)
    p.check(*slip)
    p.hint(*slip)
    p.solution(*slip[:1])
    BOOK.progress(*slip)
    plt.close("all")
    assert "Traceback" not in capsys.readouterr().out


# --- the attempt log -----------------------------------------------------------------------------

def test_every_check_is_logged_with_the_contract_fields(attempts_file):
    problems = make_problems()
    ex = Exercises(2, {"q1": problems["numeric"], "q2": problems["choice"]})
    ex.q1.check(____)
    ex.q1.check(300000)
    ex.q2.check("B")
    records, bad = read_log(attempts_file)
    assert bad == []
    assert [(r.exercise, r.status, r.mistake) for r in records] == [
        ("q1", "unanswered", None), ("q1", "wrong", "points-as-percent"), ("q2", "correct", None)]
    for line in attempts_file.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        assert list(r) == list(attempts.FIELDS) and r["v"] == 2 and r["chapter"] == 2 and r["exam"] is False
    assert records[1].answer == 300000 and records[2].answer == "B"   # as given, not a repr
    assert records[0].answer == "____"
    assert [a.status for a in ex.q1.history] == ["unanswered", "wrong"]


def _append_many(args):
    path, tag = args
    problems = make_problems()
    ex = Exercises(1, {"q1": problems["numeric"]})
    long_answer = "很长的答案" * 40
    for i in range(500):
        ex.q1.check(f"{tag}{i}{long_answer}" if i % 2 else 255000 + i)
    return True


def test_two_processes_append_at_once(attempts_file):
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        assert pool.map(_append_many, [(str(attempts_file), "a"), (str(attempts_file), "b")]) == [True, True]
    records, bad = read_log(attempts_file)
    assert bad == [] and len(records) == 1000
    assert len(attempts_file.read_text(encoding="utf-8").splitlines()) == 1000


def test_a_corrupt_line_is_skipped_and_reported(attempts_file):
    problems = make_problems()
    ex = Exercises(1, {"q1": problems["numeric"]})
    ex.q1.check(255000)
    with open(attempts_file, "a", encoding="utf-8") as f:
        f.write('{"v": 1, "exercise": "q1", "sta')              # a crash halfway through a line
        f.write("\n[1, 2]\n")
    ex.q1.check(1)
    records, bad = read_log(attempts_file)
    assert [r.status for r in records] == ["correct", "wrong"]
    assert [p.line for p in bad] == [2, 3] and "JSON" in str(bad[0])


def _append_chapter_two(path):
    os.environ["COURSE_ATTEMPTS"] = path
    ex = Exercises(2, {"q1": make_problems()["numeric"]})
    for i in range(1500):
        ex.q1.check(255000 + i)
    return True


def _reset_chapter_one(path):
    os.environ["COURSE_ATTEMPTS"] = path
    removed = 0
    for _ in range(150):
        removed += attempts.reset(1)
    return removed


def test_reset_holds_the_writers_lock(attempts_file):
    """One process appends (chapter 2) while another keeps clearing chapter 1: no record is lost."""
    ex = Exercises(1, {"q1": make_problems()["numeric"]})
    ex.q1.check(1)
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        writer = pool.apply_async(_append_chapter_two, (str(attempts_file),))
        resetter = pool.apply_async(_reset_chapter_one, (str(attempts_file),))
        assert writer.get(120) is True and resetter.get(120) == 1
    records, bad = read_log(attempts_file)
    assert bad == [] and [r.answer for r in records] == [255000 + i for i in range(1500)]


@pytest.mark.parametrize("kind", PROBLEMS)
def test_the_stored_answer_is_judged_again_alike(kind):
    """What a record stores (JSON) judges again to the verdict the learner saw (grading re-judges)."""
    p = make_problems()[kind]
    answers = [reference(kind, p), "____"] + [example for _, _, example in key_of(p).mistake_examples()]
    for answer in answers:
        seen = p.evaluate(answer)
        stored = json.loads(json.dumps(p.stored_answer(answer)))
        again = p.rejudge(stored)
        assert (again.status, again.mistake) == (seen.status, seen.mistake), (kind, answer)
        plt.close("all")


def test_record_json_round_trip_and_refusals():
    r = attempts.Record(chapter=1, exercise="q3", kind="numeric", answer="25.5万", status="correct", learner="amy",
                        time="2026-11-29T03:12:45+00:00")
    assert attempts.Record.from_json(r.to_json()) == r and "\n" not in r.to_json()
    bad = ['{"v":2}', "[" * 5000, '{"v":2,"exercise":"q' + "1" * 5000 + '"}', '{"v":2,"chapter":' + "9" * 5000 + "}",
           r.to_json().replace('"correct"', '"great"'), r.to_json().replace('"q3"', '"__import__"'),
           '{"v":1,"exercise":"q3"}', r.to_json().replace('"25.5万"', "[[[[[[[[[[1]]]]]]]]]]"), "x" * 70000]
    for text in bad:
        with pytest.raises(attempts.BadRecord):
            attempts.Record.from_json(text)


def test_progress_survives_a_new_exercises_object(attempts_file):
    first = Exercises(1, {"q1": make_problems()["numeric"], "q2": make_problems()["choice"]})
    first.q1.check(255000)
    first.q2.check("A")
    again = Exercises(1, {"q1": make_problems()["numeric"], "q2": make_problems()["choice"]})   # "restart"
    progress = again.progress()
    assert (progress.done, progress.total) == (1, 2)
    assert [state for _, _, state in progress.rows] == ["done", "tried"]
    other = Exercises(2, {"q1": make_problems()["numeric"]})
    assert other.progress().done == 0                           # chapters are kept apart


def test_reset_progress(attempts_file, capsys):
    ex = Exercises(1, {"q1": make_problems()["numeric"]})
    ex2 = Exercises(2, {"q1": make_problems()["numeric"]})
    ex.q1.check(255000)
    ex2.q1.check(255000)
    ex.reset_progress()
    out = capsys.readouterr().out
    assert "已清空" in out and "1 条" in out
    assert ex.progress().done == 0 and ex2.progress().done == 1
    assert Path(str(attempts_file) + ".bak").exists()


def test_export_attempts(attempts_file, tmp_path):
    ex = Exercises(1, {"q1": make_problems()["numeric"]})
    ex.q1.check(255000)
    with open(attempts_file, "a", encoding="utf-8") as f:
        f.write("garbage\n")
    out = export_attempts(tmp_path / "hand-in.jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["status"] == "correct"


def test_the_log_never_breaks_a_cell(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COURSE_ATTEMPTS", str(tmp_path / "no" / "such" / "dir" / "a.jsonl"))
    ex = Exercises(1, {"q1": make_problems()["numeric"]})
    ex.q1.check(255000)
    assert "正确" in capsys.readouterr().out and attempts.last_error
    assert ex.progress().done == 1                              # from this kernel's history


# --- prompts: one source for each exercise's text ---------------------------------------------------

def _prompt_notebook(path, source, exercise="q3", chapter=1):
    import nbformat

    nb = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell(f"import utils\nutils.setup()\nex = utils.exercises_for({chapter})",
                                      metadata={"tags": [marks.SETUP]})
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": [marks.EXERCISE_PROMPT],
                                                           marks.KEY: {"exercise": exercise}})
    other = nbformat.v4.new_markdown_cell("## 小节", metadata={})
    nb.cells = [setup, cell, other]
    nbformat.write(nb, path)
    return path


def test_prompt_cells_are_generated_from_the_problems(tmp_path):
    from utils import nbtools
    from utils.lessons import exercises_for

    wanted = exercises_for(1)["q3"].prompt_markdown()
    assert wanted.startswith("**练习 3**（")
    path = _prompt_notebook(tmp_path / "lesson.ipynb", "旧的题目文字")
    assert nbtools.stale_prompts(path) == ["q3"]
    assert nbtools.main(["prompts", "--check", str(path)]) == 1
    assert nbtools.main(["prompts", str(path)]) == 0
    assert nbtools.stale_prompts(path) == []
    assert nbtools.main(["prompts", "--check", str(path)]) == 0
    import nbformat

    nb = nbformat.read(path, as_version=4)
    assert nb.cells[1].source == wanted and nb.cells[2].source == "## 小节"
    missing = _prompt_notebook(tmp_path / "bad.ipynb", wanted, exercise="q99")
    assert nbtools.stale_prompts(missing) == ["q99: no such exercise in chapter 1"]
    assert nbtools.main(["prompts", str(missing)]) == 1


@pytest.mark.slow
def test_in_a_real_kernel_outputs_carry_their_marks(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in (
        "from utils.exercises import Exercises, Numeric\n"
        "ex = Exercises(1, {'q1': Numeric('多少？', 255000, unit='个', hints=['一', '二', '三'], solution='s')})\n"
        "ex.q1.check('25万')\nex.q1.hint()\nex.q1.solution()",
        "ex.progress()",
        "class Odd:\n    def __float__(self):\n        raise SystemExit(1)\nex.q1.check(Odd())\nex.q1.check(1, 2)",
    )]
    env = {**os.environ, "COURSE_ATTEMPTS": str(tmp_path / "a.jsonl"), "PYTHONPATH": str(ROOT)}
    env.pop("HIDE_SOLUTIONS", None)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    marks_seen = [(o.output_type, marks.mark_of(o)) for c in nb.cells for o in c.outputs]
    assert [m["role"] for _, m in marks_seen] == [marks.FEEDBACK, marks.HINT, marks.SOLUTION, marks.PROGRESS,
                                                   marks.FEEDBACK, marks.FEEDBACK]
    assert marks_seen[0][1] == {"role": marks.FEEDBACK, "exercise": "q1", "status": "close", "mistake": "rounding"}
    assert marks_seen[3][0] == "execute_result" and marks_seen[4][1]["status"] == "invalid"
    assert all(o.output_type != "error" for c in nb.cells for o in c.outputs)
    records, _ = read_log(tmp_path / "a.jsonl")
    assert [r.status for r in records] == ["close", "invalid"]


def test_paper_box_shows_code_spans_as_code():
    """Prompts are markdown: on paper `ns` prints as code, never with its backticks."""
    from utils.exercises import Numeric, Mistake

    p = Numeric("用 `ns` 算出 `a < b` 的个数", 3, hints=["一", "二", "三"],
                mistakes=[Mistake("arithmetic", "算错了", value=4)])
    box = p.paper_html()
    assert "<code>ns</code>" in box and "<code>a &lt; b</code>" in box and "`" not in box


# --- each kind owns its behaviour ----------------------------------------------------------------

KIND_NAMES = ("numeric", "interval", "choice", "multichoice", "term", "code", "chart", "discussion")


def test_the_kinds_are_registered_and_each_owns_its_behaviour():
    """Label, judge, form check, public (keyless) form, paper form and grading live in the kind."""
    from utils.exercises import KINDS
    from utils.exercises.core import KIND_CLASSES, Problem

    assert tuple(k.kind for k in KINDS) == KIND_NAMES
    assert all(KIND_CLASSES[k.kind] is k for k in KINDS)
    labels = [k.label for k in KINDS]
    assert len(set(labels)) == len(labels) and Problem.label not in labels
    samples = make_problems()
    for cls in KINDS:
        assert cls._judge is not Problem._judge and cls._parse is not Problem._parse, cls
        assert cls.graded in ("rejudge", "manual") and cls.done_statuses
        p = samples[cls.kind]
        assert p.paper_lines() >= 1 and p.answer_form() and cls.label in p.paper_html()
        p.name, p.chapter = "q7", 3
        public = json.loads(json.dumps(p.public()))               # plain JSON: an exam copy stores it
        assert public["kind"] == cls.kind and set(cls.public_fields) <= set(public)
        again = Problem.from_public(public)
        assert type(again) is cls and again.exam and again._key is None and vars(again).get("_key") is None
        assert again.prompt_markdown() == p.prompt_markdown() and again.expected_form == p.expected_form
        assert again.paper_html() == p.paper_html()
        assert key_of(again) is None and again.solution_note().status == "info"


def test_no_kind_name_is_compared_outside_the_kinds():
    """``p.kind == "discussion"`` chains are gone: behaviour is asked of the kind, never switched on its name."""
    import ast

    found = []
    for path in (ROOT / "utils").rglob("*.py"):
        if path.parent.name == "exercises" and path.name.startswith("kinds"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            about_kind = any(isinstance(s, ast.Attribute) and s.attr == "kind" or isinstance(s, ast.Name)
                             and s.id == "kind" for s in sides)
            strings = {c.value for s in sides for c in ([s] if isinstance(s, ast.Constant) else
                                                         getattr(s, "elts", [])) if isinstance(c, ast.Constant)}
            if about_kind and strings & set(KIND_NAMES):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found


def test_a_new_kind_is_one_class(attempts_file, capsys):
    """A kind written in one place works everywhere: a chapter set, check and the record, the exam
    edition (public form), grading (re-judged from the stored answer) and the report's label."""
    from utils.classroom.key import Judge, kind_label
    from utils.exercises import Invalid, Problem
    from utils.exercises.core import KIND_CLASSES

    class Ordering(Problem):
        kind = "ordering"
        label = "排序题"
        public_fields = ("items",)

        def __init__(self, prompt, items, order, **common):
            super().__init__(prompt, **common)
            self.items = list(items)
            self.expected_form = "按顺序写出的字母，例如 \"BAC\""
            if self._key is not None:
                self._key.order = order

        def _parse(self, answer):
            if not isinstance(answer, str) or sorted(answer.upper()) != sorted("ABC"[:len(self.items)]):
                raise Invalid("请把所有字母按顺序写出来，例如 \"BAC\"。")
            return answer.upper()

        def _judge(self, answer):
            return Verdict("correct", "正确！") if self._parse(answer) == self._key.order else Verdict("wrong", "顺序不对。")

    try:
        ex = Exercises(5, {"q1": Ordering("从小到大排", ["十万", "一亿", "一万"], "CAB", hints=H3, solution="s")})
        ex.q1.check("cab")
        assert "正确" in capsys.readouterr().out
        (record,), _ = read_log(attempts_file)
        assert record.kind == "ordering" and record.answer == "cab"
        judge = Judge({(5, "q1"): ex.q1})
        assert judge(record) == ("correct", None)
        exam = Problem.from_public(ex.q1.public())
        assert exam.evaluate("BAC").status == "recorded" and exam.evaluate("x").status == "invalid"
        assert kind_label("ordering") == "排序题" and "排序题" in ex.q1.paper_html()
    finally:
        KIND_CLASSES.pop("ordering", None)



# --- judging never rewards a slip (issue 24 item 5), with the learner inputs the issue names ---------

@pytest.fixture(scope="module")
def lessons():
    from utils.lessons import exercises_for

    return {ch: exercises_for(ch) for ch in (1, 2, 3, 4)}


def test_a_bare_number_is_never_scaled_for_a_question_in_base_units(lessons):
    """ex.q8.check(12) for 120208 个 and ch2 q5's 2.85 for 28480 人: a slip of 10^4, named as one."""
    for ch, name, bare in ((1, "q8", 12), (2, "q5", 2.85)):
        p = lessons[ch][name]
        assert p.unit in ("个", "人") and not p.scales
        v = p.evaluate(bare)
        assert v.status == "wrong" and v.mistake == "unit-scale" and "量级" in v.message, v.text()
        assert "按“万”为单位理解" not in v.message
        assert p.evaluate(f"{bare}万").status in ("correct", "close")   # written with 万, read with 万
    declared = Numeric("多少万人？（单位：万人）", 255000, unit="人", scales=("万",), hints=H3)
    assert declared.evaluate(25.5).correct and "万人" in declared.expected_form


def test_every_declared_scale_is_stated_in_the_prompt(lessons):
    for ex in lessons.values():
        for p in ex:
            for word in getattr(p, "scales", ()):
                assert word in p.prompt, (p.chapter, p.name, word)


def test_expected_form_does_not_depend_on_the_answer():
    """ch1 q8 once showed "38.2万" as the example form, chosen by the answer's size."""
    for unit in ("个", "人", "元", "%", ""):
        forms = {Numeric("多少？", answer, unit=unit, hints=H3).expected_form for answer in (3, 1.2e5, 3.8e5, 8e10)}
        assert len(forms) == 1, forms
    forms = {Interval("区间？", lo, lo * 2, unit="户", hints=H3).expected_form for lo in (5, 2.6e7)}
    assert len(forms) == 1


def test_a_table_with_extra_columns_is_wrong_when_the_prompt_says_only(lessons):
    for name in ("q1", "q4"):
        p = lessons[1][name]
        assert "只保留" in p.prompt and p.only_columns
        right = key_answer(p)
        assert p.evaluate(right).correct
        v = p.evaluate(right.assign(extra=1))
        assert v.status == "wrong" and "多了列" in v.message and "extra" in v.message, v.text()


def key_answer(p):
    return key_of(p).answer


def test_swapped_values_are_named_as_swapped():
    table = Code("两行", frame, hints=H3)
    v = table.evaluate(frame().assign(人数=[2.5, 1.0]))
    assert v.status == "wrong" and "对调" in v.message, v.text()
    chart = Chart("画", lambda: CHART_DATA, unit="人", hints=H3, value_name="人数")
    fig, ax = plt.subplots()
    ax.bar(["第一书记", "乡镇干部", "村干部"], [190, 300, 250])
    ax.set_title("一线力量")
    ax.set_ylabel("人数（万人）")
    v = chart.evaluate(ax)
    plt.close(fig)
    assert v.status == "wrong" and "对调" in v.message and "第一书记" in v.message, v.text()


def test_numbers_in_messages_are_formatted_without_type_names():
    """"361.40350877192986（float64 类型的对象）" becomes a figure written like the course's."""
    table = Code("比值", lambda: pd.DataFrame({"地区": ["甲"], "比值": [300.0]}), hints=H3)
    v = table.evaluate(pd.DataFrame({"地区": ["甲"], "比值": np.array([361.40350877192986])}))
    assert v.status == "wrong" and "361.4" in v.message, v.text()
    assert "float64" not in v.message and "类型的对象" not in v.message and "361.403" not in v.message


@pytest.mark.parametrize("name", ["Q1", "q99"])
def test_an_unknown_exercise_name_gets_a_chinese_message_listing_the_valid_ones(name, lessons, capsys):
    ex = lessons[1]
    wrong = getattr(ex, name)
    wrong.check(1)
    wrong.hint()
    out = capsys.readouterr().out
    assert "Traceback" not in out and ("q1" in out) and ("小写" in out or "q2" in out), out
    assert "q1" in repr(wrong)
    with pytest.raises(AttributeError):
        ex.no_such_thing


@pytest.mark.parametrize("text,status", [("asdf", "invalid"), ("ok", "invalid"), ("嗯", "invalid"),
                                         ("分母取错了，所以比较没有意义", "recorded"),
                                         ("the base year is wrong here", "recorded")])
def test_a_discussion_answer_must_be_a_real_attempt(text, status):
    assert make_problems()["discussion"].evaluate(text).status == status


def test_no_public_attribute_of_a_problem_states_the_answer(lessons):
    """Tab completion lists dir(problem): no name there may give the answer, the solution or later hints."""
    p = lessons[1]["q8"]
    public = [a for a in dir(p) if not a.startswith("_")]
    leaking = {"answer", "answer_text", "solution_text", "solution_code", "wrong_examples", "mistake_examples",
               "hints"}
    assert not leaking & set(public), leaking & set(public)
