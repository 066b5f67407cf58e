"""The engine's core: placeholder, exam switch, safe handling of learner objects, verdicts,
declared mistakes, and the :class:`Problem` base that judges (``evaluate``) and shows (``check``).

Judge, then show: ``Problem.evaluate(answer)`` is pure and returns a :class:`Verdict`;
``check`` = evaluate + record (history and attempt log) + display (see ``views``).
"""
from __future__ import annotations

import math
import numbers
import os
import sysconfig
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from . import views

# ---------------------------------------------------------------------------
# the placeholder
# ---------------------------------------------------------------------------


class _Blank:
    """The placeholder a learner replaces with an answer."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"


#: The placeholder: ``answer = ____`` in a notebook means "not answered yet".
____ = _Blank()

_BLANK_STRINGS = {"", "____", "___", "__", "_", "?", "？", "...", "…", "待填", "答案"}


def is_blank(x: Any) -> bool:
    if x is ____ or x is Ellipsis:
        return True
    if type(x) is str or isinstance(x, str):
        return str.strip(x) in _BLANK_STRINGS
    return False


# ---------------------------------------------------------------------------
# exam mode: read once at import, one way only
# ---------------------------------------------------------------------------

def _env_says_exam() -> bool:
    return os.environ.get("HIDE_SOLUTIONS", "").strip().lower() in ("1", "true", "yes", "on")


_state = {"hidden": _env_says_exam()}

#: every problem built in this kernel (weakly), so that turning exam mode on drops their keys
_LIVE: "weakref.WeakSet[Problem]" = weakref.WeakSet()


def hide_solutions(hidden: bool = True) -> None:
    """Turn exam mode on for this kernel.  It cannot be turned off again from the kernel.

    ``HIDE_SOLUTIONS=1`` in the environment (read once, when ``utils`` is imported) does the same.
    In exam mode ``check()`` records without a verdict, ``solution()`` and hints past the first
    are hidden, and no problem holds an answer: the keys of problems built before are dropped,
    problems built afterwards never get one.
    """
    if hidden:
        _state["hidden"] = True
        for problem in list(_LIVE):
            problem._key = None
    elif _state["hidden"]:
        views.show(views.Note("info", "考试模式已经开启，在这个内核里不能关闭。", title="考试模式"))


def solutions_hidden() -> bool:
    """True in exam mode."""
    return bool(_state["hidden"])


# ---------------------------------------------------------------------------
# learner objects: nothing they raise may escape, but a real Ctrl-C still interrupts
# ---------------------------------------------------------------------------

_OUR_DIR = str(Path(__file__).resolve().parent.parent)
_LIBRARY_DIRS = tuple({
    str(Path(p).resolve()) for p in (
        sysconfig.get_paths().get("stdlib"), sysconfig.get_paths().get("platstdlib"),
        sysconfig.get_paths().get("purelib"), sysconfig.get_paths().get("platlib"),
    ) if p
})


def _is_library_file(filename: str) -> bool:
    if not filename or filename.startswith("<frozen"):
        return True
    try:
        path = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return path.startswith(_OUR_DIR) or path.startswith(_LIBRARY_DIRS)


def raised_by_learner(exc: BaseException) -> bool:
    """True when ``exc`` was raised inside the learner's own code (e.g. their ``__float__``).

    The deciding frame is the innermost one: a ``SystemExit`` or ``KeyboardInterrupt`` raised by a
    method the learner wrote is caught and explained; a real Ctrl-C arriving while the engine or a
    library runs is raised in *their* frame and still interrupts.
    """
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return not _is_library_file(tb.tb_frame.f_code.co_filename)


_TYPE_NAMES = {
    "bool": "布尔值（True/False）", "int": "整数", "float": "小数", "str": "文字（字符串）",
    "bytes": "字节串（bytes）", "list": "列表", "tuple": "元组", "dict": "字典", "set": "集合",
    "frozenset": "集合", "NoneType": "空值 None", "DataFrame": "表格（DataFrame）",
    "Series": "序列（Series）", "function": "函数", "builtin_function_or_method": "函数",
    "ndarray": "数组（ndarray）", "complex": "复数", "Figure": "报告数字记录（Figure）",
    "Derived": "推算值（Derived）", "Axes": "坐标轴（Axes）",
}


def learner_safe(fn: Callable[[], Any], default: Any) -> Any:
    """``fn()``, or ``default`` when it fails — also when a learner's object raises ``SystemExit``
    and the like (a real Ctrl-C outside the learner's code still interrupts)."""
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return default
    except BaseException as exc:  # noqa: BLE001
        if not raised_by_learner(exc):
            raise
        return default


def type_name(x: Any) -> str:
    kind = type(x)
    name = kind.__name__
    if str(getattr(kind, "__module__", "")).startswith("matplotlib"):
        return {"Figure": "图（Figure）"}.get(name, f"matplotlib 的 {name} 对象")
    return _TYPE_NAMES.get(name, f"{name} 类型的对象")


def safe_repr(x: Any, limit: int = 300) -> str:
    """``repr(x)`` that never raises (learner objects may raise anything), at most ``limit`` chars."""
    try:
        if isinstance(x, numbers.Number) and hasattr(x, "item") and not isinstance(x, bool):
            x = x.item()  # numpy scalar → plain Python number for a readable message
        text = repr(x)
        if not isinstance(text, str):
            raise TypeError
    except Exception:  # noqa: BLE001
        text = f"<{type(x).__name__} 对象>"
    except BaseException as exc:  # noqa: BLE001 - learner dunders raising SystemExit & co.
        if not raised_by_learner(exc):
            raise
        text = f"<{type(x).__name__} 对象>"
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(x: Any, limit: int = 60) -> str:
    """A short, safe description of any value for messages (never raises)."""
    return f"{safe_repr(x, limit)}（{type_name(x)}）"


class Invalid(Exception):
    """Raised inside a check for an answer of the wrong form; its text is shown to the learner."""


# ---------------------------------------------------------------------------
# verdicts
# ---------------------------------------------------------------------------

STATUSES = ("unanswered", "invalid", "wrong", "close", "correct", "recorded")


@dataclass(frozen=True)
class Verdict:
    """The result of judging one answer.  Rendering lives in :mod:`.views`."""

    status: str
    message: str
    mistake: str | None = None
    details: str = ""
    exercise: str = ""      # "q3"
    title: str = ""         # "练习 3"

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    # views ------------------------------------------------------------
    def text(self) -> str:
        return views.verdict_text(self)

    def html(self) -> str:
        return views.verdict_html(self)

    def paper(self) -> str:
        return views.verdict_paper(self)

    def meta(self) -> dict:
        return views.marks.meta(views.marks.FEEDBACK, exercise=self.exercise, status=self.status,
                                mistake=self.mistake)

    def bundle(self) -> dict:
        return {"text/plain": self.text(), "text/html": self.html()}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.bundle(), self.meta()

    def __repr__(self) -> str:
        return self.text()

    def with_names(self, exercise: str, title: str) -> "Verdict":
        return Verdict(self.status, self.message, self.mistake, self.details, exercise, title)


#: Old name of the verdict class (kept for code written before the verdict split).
Feedback = Verdict


@dataclass(frozen=True)
class Attempt:
    """One recorded ``check()``."""

    time: str
    answer: Any
    status: str
    mistake: str | None


# ---------------------------------------------------------------------------
# declared mistakes
# ---------------------------------------------------------------------------

#: misconception id → short Chinese name (stable ids, counted by the class report)
MISCONCEPTIONS = {
    "points-as-percent": "百分点当成百分比",
    "percent-as-points": "百分比当成百分点",
    "times-reading": "“增长N倍”的另一种读法",
    "linear-growth": "多年增长按年平摊",
    "unit-scale": "万/亿/元 单位或量级混淆",
    "person-times": "人次当人数",
    "lower-bound-exact": "把下限/上限当确数",
    "wrong-denominator": "分母取错（部分÷整体取反等）",
    "cumulative-annual": "累计与当年混用",
    "inverted-ratio": "比值倒过来",
    "wrong-base-year": "基期取错",
    "survey-vs-register": "调查估计与登记数混用",
    "causal-claim": "把相关/并列当因果",
    "no-baseline": "没有基准的比较",
    "sum-overlap": "把可能重叠的数相加",
    "wrong-figure": "取错了数字",
    "arithmetic": "算术步骤错",
    "wrong-unit": "单位写错",
    "rounding": "过早四舍五入",
    "chart-type": "图的类型不对",
    "chart-missing-category": "图里少了类别",
    "chart-extra-category": "图里多了类别",
    "chart-label": "坐标轴标签或标题不对",
}


@dataclass(frozen=True)
class MistakeInfo:
    """What a learner (and the class report) may know about a declared mistake."""

    id: str
    message: str

    @property
    def name(self) -> str:
        return MISCONCEPTIONS.get(self.id, self.id)


class Mistake:
    """A mistake a lesson teaches about, with the message that names it.

    Matching: ``value`` (number → within ``rel_tol``; str → choice letters or a term;
    a pair → an interval), ``low``/``high`` (a numeric range, inclusive), or
    ``when=callable(parsed_answer) -> bool``.  ``example``: an answer that shows the mistake (or a
    zero-argument callable making one, e.g. drawing a chart) — required with ``when`` so a test can
    prove the message fires; defaults to ``value`` or the middle of ``low``/``high``.
    """

    def __init__(self, id: str, message: str, *, value: Any = None, low: float | None = None,
                 high: float | None = None, when: Callable[[Any], bool] | None = None,
                 rel_tol: float = 0.01, example: Any = None):
        if id not in MISCONCEPTIONS:
            raise ValueError(f"unknown misconception id {id!r}; declare it in utils.exercises.MISCONCEPTIONS")
        if not str(message).strip():
            raise ValueError("a Mistake needs a message")
        if value is None and low is None and high is None and when is None:
            raise ValueError("a Mistake needs value=, low=/high= or when=")
        self.id = id
        self.message = str(message)
        self.value = value
        self.low = low
        self.high = high
        self.when = when
        self.rel_tol = rel_tol
        self._example = example

    def info(self) -> MistakeInfo:
        return MistakeInfo(self.id, self.message)

    def example(self) -> Any:
        """An answer that shows this mistake (``None`` when none is known)."""
        if self._example is not None:
            return self._example() if callable(self._example) else self._example
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high

    def __repr__(self) -> str:
        return f"Mistake({self.id!r}, {self.message!r})"


def numbers_close(a: float, b: float, rel_tol: float) -> bool:
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=1e-12)


# ---------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------

class _Key:
    """Everything that states or leads to the answer.  Never built in exam mode."""

    def __init__(self, *, hints, solution, code, mistakes, wrong):
        self.hints = list(hints)
        self.solution = solution
        self.code = code
        self.mistakes = list(mistakes)
        self.wrong = list(wrong)

    def __repr__(self) -> str:
        return "<answer key>"


#: kind name → class: every subclass of :class:`Problem` that names a ``kind`` registers itself
KIND_CLASSES: dict[str, type] = {}

#: the fields every problem's public form has (besides the kind's own ``public_fields``)
PUBLIC_COMMON = ("exercise", "chapter", "kind", "prompt", "expected_form", "first_hint", "hint_steps", "topic",
                 "skills", "capstone", "level", "track")

#: how much of the course a problem belongs to: 基础 (every class does it) or 拓展 (when time allows)
TRACKS = ("基础", "拓展")
BASIC, EXTENSION = TRACKS


class KeyView:
    """The teacher's view of one problem's key: reference answer, its text, worked solution, code,
    every hint, declared wrong answers and mistake examples.  Reached only through :func:`key_of`
    (a function of the engine, not an attribute of the problem: Tab on ``ex.q1.`` never shows it)."""

    def __init__(self, problem: "Problem"):
        self._problem = problem
        self._key = problem._key

    @property
    def answer(self) -> Any:
        """The reference answer, in the form ``check`` accepts."""
        return self._problem._reference()

    def answer_text(self) -> str:
        """The reference answer as a learner would read it ('' when there is none)."""
        return self._problem._answer_text()

    @property
    def solution_text(self) -> str:
        return self._key.solution

    @property
    def solution_code(self) -> str:
        return self._key.code

    @property
    def hints(self) -> list[str]:
        return list(self._key.hints)

    @property
    def explanations(self) -> dict[str, str]:
        """Per-option explanations of a choice problem ({} for other kinds)."""
        return dict(getattr(self._key, "explanations", None) or {})

    @property
    def points(self) -> list[str]:
        """The model-answer points of a discussion ([] for other kinds)."""
        return list(getattr(self._key, "points", None) or [])

    @property
    def wrong_examples(self) -> list:
        return list(self._key.wrong)

    def mistake_examples(self) -> list[tuple[str, str, Any]]:
        """(id, message, example answer) per declared mistake."""
        return [(m.id, m.message, m.example()) for m in self._key.mistakes]

    def __repr__(self) -> str:
        return "<answer key>"


def key_of(problem: "Problem") -> KeyView | None:
    """The key of ``problem`` for teacher-side code (grading, the guide, handouts, tests); ``None``
    when the problem holds none (exam mode, an exam edition)."""
    return KeyView(problem) if getattr(problem, "_key", None) is not None else None


class Problem:
    """One exercise.  A kind (a subclass) owns all its behaviour: ``label``; ``_judge`` (answer →
    Verdict, with the key); ``_parse`` (the form check, used in exam mode); ``public_fields`` (its
    keyless public form: :meth:`public` / :meth:`from_public`); ``paper_lines``/``answer_form`` (its
    paper form); ``graded``, ``stored_answer`` and ``restore`` (how grading judges it again)."""

    kind = "problem"
    label = "练习"              # 计算题 / 选择题 … (shown in the prompt line)
    expected_form = "答案"
    takes_no_answer = False     # Chart: check() with no argument reads the current figure
    #: instance attributes that hold no answer and that an exam edition needs to rebuild the problem
    public_fields: tuple[str, ...] = ()
    #: the statuses that finish this problem in practice (exam mode: "recorded" too)
    done_statuses: tuple[str, ...] = ("correct",)
    #: the learner's seed when this problem is a seeded variant (``variants.Varied``); None: as declared
    seed: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            KIND_CLASSES[cls.kind] = cls

    def __init__(self, prompt: str, *, hints: Iterable[str] = (), solution: str = "", code: str = "",
                 mistakes: Iterable[Mistake] = (), topic: str = "", skills: Iterable[str] = (),
                 capstone: bool = False, level: int = 1, track: str = "基础", wrong: Iterable = ()):
        hints = [str(h) for h in hints]
        mistakes = list(mistakes)
        for m in mistakes:
            if not isinstance(m, Mistake):
                raise TypeError(f"mistakes must be Mistake objects, got {m!r}")
        self._common(prompt, first_hint=hints[0] if hints else "", hint_steps=len(hints), topic=topic,
                     skills=skills, capstone=capstone, level=level, track=track)
        self.mistakes = tuple(m.info() for m in mistakes)
        self._key = None if solutions_hidden() else _Key(hints=hints, solution=str(solution), code=str(code),
                                                         mistakes=mistakes, wrong=wrong)

    def _common(self, prompt: str, *, first_hint: str, hint_steps: int, topic: str, skills, capstone: bool,
                level: int, track: str = "基础") -> None:
        """The state every problem has, with a key or without (:meth:`from_public`)."""
        self.prompt = str(prompt)
        self.hint_steps = hint_steps
        self.first_hint = first_hint
        self.mistakes = ()
        self.topic = topic
        self.skills = tuple(skills)
        self.capstone = bool(capstone)
        self.level = int(level)
        if track not in TRACKS:
            raise ValueError(f"track must be one of {TRACKS}, got {track!r}")
        self.track = track
        self.name = ""
        self.chapter: int | None = None
        self.history: list[Attempt] = []
        self._next_hint = 0
        self._book = None
        self._key = None
        _LIVE.add(self)

    # -- what may be read -------------------------------------------------
    @property
    def exam(self) -> bool:
        """True when this problem holds no answer key (built in exam mode)."""
        return self._key is None

    def _reference(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _answer_text(self) -> str:
        """The reference answer as a learner would read it ('' when there is none)."""
        return ""

    @property
    def number(self) -> str:
        return self.name[1:] if self.name.startswith("q") else self.name

    #: a title that replaces "练习 N" (e.g. the diagnostic's "课前小测 第3题"); None: by the name
    title: str | None = None

    def _title(self) -> str:
        if self.title:
            return self.title
        return f"练习 {self.number}" if self.name else "练习"

    def public(self) -> dict:
        """What a learner may see, as plain JSON data: enough for :meth:`from_public` to rebuild this
        problem without its key (the exam edition).  No answer, no hint past the first, no mistakes."""
        data = {
            "exercise": self.name, "chapter": self.chapter, "kind": self.kind, "prompt": self.prompt,
            "expected_form": self.expected_form, "first_hint": self.first_hint, "hint_steps": self.hint_steps,
            "topic": self.topic, "skills": list(self.skills), "capstone": self.capstone, "level": self.level,
            "track": self.track,
        }
        for name in self.public_fields:
            value = getattr(self, name)
            data[name] = list(value) if isinstance(value, tuple) else value
        return data

    @staticmethod
    def from_public(data: dict) -> "Problem":
        """A problem of ``data["kind"]`` rebuilt from its :meth:`public` form: it holds no key, so it
        checks only the form of an answer, records it, and shows the first hint only."""
        cls = KIND_CLASSES.get(data.get("kind")) if isinstance(data, dict) else None
        if cls is None:
            raise ValueError(f"unknown kind in public data: {data.get('kind') if isinstance(data, dict) else data!r}")
        problem = cls.__new__(cls)
        Problem._common(problem, data["prompt"], first_hint=str(data.get("first_hint") or ""),
                        hint_steps=int(data.get("hint_steps") or 0), topic=str(data.get("topic") or ""),
                        skills=data.get("skills") or (), capstone=bool(data.get("capstone")),
                        level=int(data.get("level") or 1),
                        track=data.get("track") if data.get("track") in TRACKS else "基础")
        problem._key = None
        problem.name = str(data.get("exercise") or "")
        problem.chapter = data.get("chapter")
        for name in cls.public_fields:
            value = data.get(name)
            setattr(problem, name, value)
        problem._public_form(str(data.get("expected_form") or ""))
        return problem

    def _public_form(self, expected_form: str) -> None:
        """Set the expected form a public form states (kinds that compute it from the key override)."""
        if expected_form:
            self.expected_form = expected_form

    # -- prompts and paper ------------------------------------------------
    def badge(self) -> str:
        """What the brackets after the title say: the kind, ·综合 for a capstone, ·拓展 for an extension
        problem (基础, the default every class does, stays unmarked): "计算题·拓展"."""
        return self.label + ("·综合" if self.capstone else "") + ("·拓展" if self.track == EXTENSION else "")

    def prompt_markdown(self) -> str:
        """The exercise prompt as a notebook shows it (title line, prompt, options)."""
        lines = [f"**{self._title()}**（{self.badge()}）　{self.prompt}"]
        options = getattr(self, "options", None)
        if options:
            lines.append("")
            lines.extend(f"- {key}. {text}" for key, text in options.items())
        return "\n".join(lines)

    def answer_form(self) -> str:
        """How to write the answer (for the answer box of a printed handout)."""
        return self.expected_form

    def paper_lines(self) -> int:
        return 2

    def paper_html(self) -> str:
        """This problem's answer box for a printed handout (prompt, options, answer form, lines)."""
        return views.paper_box(self)

    # -- judging (pure) ---------------------------------------------------
    def evaluate(self, answer: Any) -> Verdict:
        """Judge ``answer`` and return a :class:`Verdict` (no display, no recording, never raises
        for anything the learner passes)."""
        try:
            if is_blank(answer):
                verdict = Verdict("unanswered", "还没有作答。把 ____ 换成你的答案，再运行这个单元格。")
            elif self._key is None or solutions_hidden():
                self._parse(answer)
                verdict = Verdict("recorded", "已记录。考试模式下不显示对错。")
            else:
                verdict = self._judge(answer)
        except Invalid as exc:
            verdict = Verdict("invalid", str(exc))
        except RecursionError:
            verdict = Verdict("invalid", f"这个答案太复杂了，无法检查。期望：{self.expected_form}。")
        except Exception as exc:  # noqa: BLE001 - nothing may escape to the learner
            verdict = Verdict("invalid", f"无法检查这个答案（{type(exc).__name__}）。期望：{self.expected_form}；"
                                         f"收到：{describe(answer)}。")
        except BaseException as exc:  # noqa: BLE001 - SystemExit & co. from the learner's own object
            if not raised_by_learner(exc):
                raise
            verdict = Verdict("invalid", f"你的答案对象在被读取时发出了 {type(exc).__name__}，无法检查。"
                                         f"期望：{self.expected_form}。")
        return verdict.with_names(self.name, self._title())

    def _parse(self, answer: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _judge(self, answer: Any) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _match_mistake(self, parsed: Any, mistake: Mistake) -> bool:
        """Does ``parsed`` show ``mistake``?  ``when`` works for every kind; kinds add value/range."""
        if mistake.when is not None:
            try:
                return bool(mistake.when(parsed))
            except Exception:  # noqa: BLE001 - an author predicate that fails means "no match"
                return False
        return False

    def _diagnose(self, parsed: Any) -> Verdict | None:
        for mistake in (self._key.mistakes if self._key else ()):
            if self._match_mistake(parsed, mistake):
                return Verdict("wrong", mistake.message, mistake=mistake.id)
        return None

    # -- the learner-facing API ------------------------------------------
    def _slip(self, message: str) -> Verdict:
        return Verdict("invalid", message).with_names(self.name, self._title())

    def _call(self, args: tuple, kwargs: dict) -> Verdict | tuple:
        """Interpret check(...)'s arguments: a slip Verdict, or a 1-tuple with the answer."""
        call = f"ex.{self.name or 'qN'}.check"
        if kwargs:
            return self._slip(f"{call}() 只需要把答案放进括号里，不用写参数名"
                              f"（收到了 {'、'.join(map(str, kwargs))}=…）。")
        if len(args) > 1:
            return self._slip(f"{call}() 一次只检查一个答案，你给了 {len(args)} 个。"
                              "如果答案是一对数（区间），请写成一个元组：check((下限, 上限))。")
        if not args:
            if self.takes_no_answer:
                return (None,)
            return self._slip(f"{call}() 的括号里要放你的答案，例如 {call}(answer_{self.name or 'qN'})。")
        return (args[0],)

    def check(self, *args, **kwargs) -> None:
        """Check the answer, record the attempt and show the verdict."""
        try:
            called = self._call(args, kwargs)
            if isinstance(called, Verdict):
                verdict = called
            else:
                verdict = self.evaluate(called[0])
                self._record(called[0], verdict)
        except Exception:  # noqa: BLE001 - evaluate already catches everything; belt and braces
            verdict = self._slip("检查时出了意外问题，请重新运行本单元格。")
        views.show(verdict)

    # -- the stored answer and how it is graded ---------------------------------
    #: "rejudge": ``grade`` judges the stored answer again with the teacher's key; "manual": a person reads it
    graded = "rejudge"

    def stored_answer(self, answer: Any) -> Any:
        """The answer as the attempt record stores it: plain JSON data that :meth:`restore` turns back
        into something :meth:`evaluate` judges exactly as it judged ``answer``."""
        from .attempts import plain

        if answer is None or isinstance(answer, (bool, str, int, float)):
            return plain(answer)
        if is_blank(answer):
            return "____"
        if isinstance(answer, (list, tuple, set, frozenset)) and len(answer) <= 50:
            items = sorted(answer, key=str) if isinstance(answer, (set, frozenset)) else list(answer)
            return [self.stored_answer(x) for x in items]
        if not isinstance(answer, (bytes, complex)):
            value = learner_safe(lambda: float(answer) if hasattr(answer, "__float__")
                                 and getattr(answer, "shape", ()) in ((), None) else None, None)
            if isinstance(value, float):
                return plain(value)
        return {"repr": safe_repr(answer, 200)}

    def restore(self, stored: Any) -> Any:
        """The stored answer back in the form ``evaluate`` takes; :class:`Invalid` when it cannot be."""
        if isinstance(stored, dict):
            raise Invalid("记录的答案不是能重新判定的形式。")
        if isinstance(stored, list):
            return tuple(stored)
        return stored

    def rejudge(self, stored: Any) -> Verdict:
        """Judge a stored answer again (grading); never raises."""
        try:
            answer = self.restore(stored)
        except Invalid as exc:
            return Verdict("invalid", str(exc)).with_names(self.name, self._title())
        except Exception:  # noqa: BLE001 - a crafted stored answer
            return Verdict("invalid", "记录的答案无法还原。").with_names(self.name, self._title())
        return self.evaluate(answer)

    def _record(self, answer: Any, verdict: Verdict) -> None:
        """Append the attempt to the history and the attempt log (every status, as the log promises)."""
        from . import attempts

        if not self.name:  # a problem outside a chapter's set: history only
            self.history.append(Attempt(attempts.now(), None, verdict.status, verdict.mistake))
            return
        stored = learner_safe(lambda: self.stored_answer(answer), {"repr": f"<{type(answer).__name__} 对象>"})
        record = attempts.Record(chapter=self.chapter, exercise=self.name or "q0", kind=self.kind, answer=stored,
                                 status=verdict.status, mistake=verdict.mistake,
                                 exam=self.exam or solutions_hidden(), time=attempts.now(),
                                 learner=attempts.learner(), seed=self.seed)
        self.history.append(Attempt(record.time, stored, verdict.status, verdict.mistake))
        attempts.append(record)

    # progress on this problem (in memory) --------------------------------
    @property
    def solved(self) -> bool:
        return any(a.status in ("correct", "recorded") for a in self.history)

    @property
    def attempts(self) -> int:
        """Judged attempts (placeholders and answers of the wrong form do not count)."""
        return sum(a.status in ("wrong", "close", "correct", "recorded") for a in self.history)

    @property
    def wrong_attempts(self) -> int:
        return sum(a.status in ("wrong", "close") for a in self.history)

    @property
    def last(self) -> Attempt | None:
        return self.history[-1] if self.history else None

    def reset(self) -> None:
        self.history.clear()
        self._next_hint = 0

    # hints --------------------------------------------------------------
    def hint(self, *args, **kwargs) -> None:
        """Show the next hint step (each call moves one step)."""
        views.show(self.hint_note(*args, **kwargs))

    def hint_note(self, *args, **kwargs) -> "views.Note":
        title = self._title()
        call = f"ex.{self.name or 'qN'}.hint"
        if kwargs or len(args) > 1:
            return views.Note("invalid", f"{call}() 不需要参数：每运行一次，就多给一步提示。", title=title,
                              exercise=self.name)
        steps = self.hint_steps
        if not steps:
            return views.Note("hint", "这道题没有提示。", title=title, exercise=self.name)
        try:
            if args:
                n = args[0]
                if isinstance(n, bool) or not isinstance(n, numbers.Integral):
                    return views.Note("invalid", f"{call}() 不需要参数：每运行一次，就多给一步提示"
                                                 f"（若要回看第几步，写 1–{steps} 的整数）。收到：{describe(n)}。",
                                      title=title, exercise=self.name)
                n = int(n)
                if not 1 <= n <= steps:
                    return views.Note("invalid", f"这道题有 {steps} 步提示，请用 1–{steps}。", title=title,
                                      exercise=self.name)
                if n > self._next_hint + 1:
                    n = self._next_hint + 1  # no skipping ahead: one step at a time
            else:
                n = min(self._next_hint + 1, steps)
        except BaseException as exc:  # noqa: BLE001 - an odd object's __index__ etc.
            if isinstance(exc, Exception) or raised_by_learner(exc):
                return views.Note("invalid", f"{call}() 不需要参数。", title=title, exercise=self.name)
            raise
        if n > 1 and (self._key is None or solutions_hidden()):
            return views.Note("info", "考试模式：只提供第一步提示。", title=title, exercise=self.name,
                              step=1, steps=steps)
        self._next_hint = max(self._next_hint, n)
        text = self._key.hints[n - 1] if self._key else self.first_hint
        if n < steps:
            more = "（再运行一次 hint() 看下一步）"
        else:
            more = "（这是最后一步提示：剩下的最后一步请你自己完成，再用 check() 核对。）"
        return views.Note("hint", f"提示 {n}/{steps}：{text}{more}", title=title, exercise=self.name,
                          step=n, steps=steps)

    hint_feedback = hint_note

    # solution -----------------------------------------------------------
    def solution(self, *args, **kwargs) -> None:
        """Show the worked solution (hidden in exam mode)."""
        note = self.solution_note(*args, **kwargs)
        views.show(note)
        if note.status == "solution":
            self._show_solution_extra()

    def solution_note(self, *args, **kwargs) -> "views.Note":
        title = self._title()
        if args or kwargs:
            return views.Note("invalid", f"ex.{self.name or 'qN'}.solution() 不需要参数，括号里空着就行。",
                              title=title, exercise=self.name)
        if self._key is None or solutions_hidden():
            return views.Note("info", "考试模式：参考答案已隐藏。", title=title, exercise=self.name)
        return views.Note("solution", self._solution_body(), title=title, detail=self._key.code,
                          exercise=self.name)

    solution_feedback = solution_note

    def _solution_body(self) -> str:
        return self._key.solution or "（无文字解答）"

    def _show_solution_extra(self) -> None:
        """Kinds that draw something with the solution (Chart) override this."""

    def __repr__(self) -> str:
        return f"{self._title()}（{self.badge()}）：{self.prompt}"


__all__ = [
    "____", "Attempt", "Feedback", "Invalid", "KIND_CLASSES", "KeyView", "key_of", "MISCONCEPTIONS", "Mistake", "MistakeInfo", "Problem",
    "Verdict", "describe", "hide_solutions", "is_blank", "raised_by_learner", "safe_repr",
    "solutions_hidden", "type_name",
]
