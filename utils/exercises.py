"""The exercise engine: ``ex.q1.check(answer)``, ``ex.q1.hint()``, ``ex.q1.solution()``, ``ex.progress()``.

Kinds: :class:`Numeric`, :class:`Interval`, :class:`Choice`, :class:`MultiChoice`, :class:`Term`
and :class:`Code` (a DataFrame or Series the learner built).

Promises to learners:
- the placeholder ``____`` (or ``...``, an empty string) means *unanswered*: a gentle reminder,
  never an error, never counted as wrong;
- no input makes ``check`` raise: wrong types and any exception inside a check become a Chinese
  message saying what was expected and what arrived; no traceback reaches the learner;
- learner input is never evaluated as code (no ``eval``/``exec``);
- messages render as HTML in JupyterLab and as plain text in a console.

Exam mode: set the environment variable ``HIDE_SOLUTIONS=1`` before starting Jupyter (or call
``utils.exercises.hide_solutions(True)``) and ``solution()`` only says that solutions are hidden.
"""
from __future__ import annotations

import html
import math
import numbers
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .quantities import format_cn, parse_cn, scale_of


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
BLANK = ____

_BLANK_STRINGS = {"", "____", "___", "__", "_", "?", "？", "...", "…", "待填", "答案"}

_settings = {"hide_solutions": None}


def hide_solutions(hidden: bool = True) -> None:
    """Exam switch for this kernel (the ``HIDE_SOLUTIONS`` environment variable does the same)."""
    _settings["hide_solutions"] = bool(hidden)


def solutions_hidden() -> bool:
    if _settings["hide_solutions"] is not None:
        return _settings["hide_solutions"]
    return os.environ.get("HIDE_SOLUTIONS", "").strip().lower() in ("1", "true", "yes", "on")


# ---------------------------------------------------------------------------
# feedback
# ---------------------------------------------------------------------------

# Icons are plain symbols that every CJK font has (colour emoji are missing on many Linux machines).
_STYLE = {
    "correct": ("√", "#1b7f3b", "#eaf6ee"),
    "wrong": ("×", "#b42318", "#fdecea"),
    "unanswered": ("○", "#175cd3", "#eef4ff"),
    "invalid": ("！", "#b54708", "#fff6e5"),
    "hint": ("☆", "#6941c6", "#f4f0ff"),
    "solution": ("■", "#344054", "#f2f4f7"),
    "info": ("·", "#344054", "#f2f4f7"),
}


@dataclass
class Feedback:
    """The result of checking an answer (or a hint / solution message)."""

    status: str
    message: str
    title: str = ""
    detail: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def text(self) -> str:
        icon = _STYLE.get(self.status, _STYLE["info"])[0]
        head = f"{icon} {self.title + '：' if self.title else ''}{self.message}"
        return head + (f"\n{self.detail}" if self.detail else "")

    def html(self) -> str:
        icon, color, background = _STYLE.get(self.status, _STYLE["info"])
        title = f"<b>{html.escape(self.title)}：</b>" if self.title else ""
        detail = ""
        if self.detail:
            detail = ('<pre style="white-space:pre-wrap;margin:6px 0 0 0;font-size:0.95em;'
                      f'background:transparent">{html.escape(self.detail)}</pre>')
        return (f'<div class="exercise-feedback {self.status}" style="border-left:4px solid {color};'
                f'background:{background};padding:6px 10px;margin:4px 0;color:#1d2939">'
                f"{icon} {title}{html.escape(self.message)}{detail}</div>")

    def bundle(self) -> dict:
        return {"text/plain": self.text(), "text/html": self.html()}

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return self.html()


def show(feedback: Feedback) -> None:
    """Display feedback: HTML in a notebook, plain text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
    except ImportError:  # pragma: no cover
        shell = None
    if shell is not None:
        display(feedback.bundle(), raw=True)
    else:
        print(feedback.text())


# ---------------------------------------------------------------------------
# describing what arrived
# ---------------------------------------------------------------------------

_TYPE_NAMES = {
    "bool": "布尔值（True/False）",
    "int": "整数",
    "float": "小数",
    "str": "文字（字符串）",
    "bytes": "字节串（bytes）",
    "list": "列表",
    "tuple": "元组",
    "dict": "字典",
    "set": "集合",
    "frozenset": "集合",
    "NoneType": "空值 None",
    "DataFrame": "表格（DataFrame）",
    "Series": "序列（Series）",
    "function": "函数",
    "builtin_function_or_method": "函数",
    "ndarray": "数组（ndarray）",
    "complex": "复数",
    "Figure": "报告数字记录（Figure）",
    "Derived": "推算值（Derived）",
}


def type_name(x: Any) -> str:
    try:
        name = type(x).__name__
    except Exception:  # pragma: no cover - type() never fails, but be safe
        return "未知类型"
    return _TYPE_NAMES.get(name, f"{name} 类型的对象")


def describe(x: Any, limit: int = 60) -> str:
    """A short, safe description of any value for messages (never raises)."""
    try:
        if isinstance(x, numbers.Number) and hasattr(x, "item") and not isinstance(x, bool):
            x = x.item()  # numpy scalar → plain Python number for a readable message
        text = repr(x)
    except Exception:
        text = f"<{type(x).__name__} 对象>"
    if not isinstance(text, str):  # a broken __repr__ can return anything
        text = f"<{type(x).__name__} 对象>"
    text = text.replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{text}（{type_name(x)}）"


class Invalid(Exception):
    """Raised inside a check for an answer of the wrong form; its text is shown to the learner."""


def is_blank(x: Any) -> bool:
    if x is ____ or x is Ellipsis:
        return True
    if isinstance(x, str):
        return x.strip() in _BLANK_STRINGS
    return False


# ---------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------

class Problem:
    """One exercise.  Subclasses implement ``_evaluate`` and ``expected_form``."""

    kind = "problem"
    expected_form = "答案"

    def __init__(self, prompt: str, *, hints: Iterable[str] = (), solution: str = "",
                 code: str = "", wrong: Iterable = (), topic: str = ""):
        self.prompt = prompt
        self.hints = list(hints)
        self.solution_text = solution
        self.solution_code = code
        self.wrong_examples = list(wrong)  # plausible wrong answers, used by the tests
        self.topic = topic
        self.name = ""
        self.reset()

    def reset(self) -> None:
        self.solved = False
        self.attempts = 0
        self.wrong_attempts = 0
        self._next_hint = 0
        self.last: Feedback | None = None

    # the learner-facing API ---------------------------------------------
    def evaluate(self, answer: Any) -> Feedback:
        """Check ``answer`` and return the feedback without displaying or recording it."""
        try:
            if is_blank(answer):
                return Feedback("unanswered", "还没有作答。把 ____ 换成你的答案，再运行这个单元格。",
                                title=self._title())
            feedback = self._evaluate(answer)
        except Invalid as exc:
            feedback = Feedback("invalid", str(exc))
        except RecursionError:
            feedback = Feedback("invalid", f"这个答案太复杂了，无法检查。期望：{self.expected_form}。")
        except Exception as exc:  # noqa: BLE001 - nothing may escape to the learner
            feedback = Feedback(
                "invalid",
                f"无法检查这个答案（{type(exc).__name__}）。期望：{self.expected_form}；"
                f"收到：{describe(answer)}。",
            )
        if not feedback.title:
            feedback.title = self._title()
        return feedback

    def check(self, answer: Any) -> None:
        """Check ``answer``, show the feedback, and record the attempt."""
        try:
            feedback = self.evaluate(answer)
            if feedback.status in ("correct", "wrong"):
                self.attempts += 1
                if feedback.correct:
                    self.solved = True
                else:
                    self.wrong_attempts += 1
            self.last = feedback
        except Exception:  # pragma: no cover - evaluate already catches everything
            feedback = Feedback("invalid", "检查时出了意外问题，请重新运行本单元格。")
        show(feedback)

    def hint(self, n: Any = None) -> None:
        """Show hint ``n`` (1, 2, …), or the next one."""
        show(self.hint_feedback(n))

    def hint_feedback(self, n: Any = None) -> Feedback:
        if not self.hints:
            return Feedback("hint", "这道题没有提示，试试 solution()。", title=self._title())
        if n is None:
            n = min(self._next_hint + 1, len(self.hints))
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            return Feedback("invalid", f"提示的编号应是 1–{len(self.hints)} 的整数，收到：{describe(n)}。",
                            title=self._title())
        n = int(n)
        if not 1 <= n <= len(self.hints):
            return Feedback("invalid", f"这道题有 {len(self.hints)} 条提示，请用 1–{len(self.hints)}。",
                            title=self._title())
        self._next_hint = max(self._next_hint, n)
        more = "（再运行一次 hint() 看下一条）" if n < len(self.hints) else "（这是最后一条提示）"
        return Feedback("hint", f"提示 {n}/{len(self.hints)}：{self.hints[n - 1]}{more}", title=self._title())

    def solution(self) -> None:
        """Show the worked solution (unless solutions are hidden for an exam)."""
        show(self.solution_feedback())

    def solution_feedback(self) -> Feedback:
        if solutions_hidden():
            return Feedback("info", "考试模式：参考答案已隐藏。", title=self._title())
        detail = self.solution_code
        return Feedback("solution", self.solution_text or "（无文字解答）", title=self._title(), detail=detail)

    def _title(self) -> str:
        return f"练习 {self.name[1:]}" if self.name.startswith("q") else (self.name or "练习")

    def __repr__(self) -> str:
        return f"{self._title()}（{self.kind}）：{self.prompt}"

    # subclasses -----------------------------------------------------------
    def _evaluate(self, answer: Any) -> Feedback:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def answer(self) -> Any:
        """The reference answer, in the form ``check`` accepts (used by tests and handouts)."""
        raise NotImplementedError  # pragma: no cover


# -- numbers -----------------------------------------------------------------

def to_number(answer: Any) -> float:
    """Turn a learner's answer into a float, or raise :class:`Invalid` with a Chinese message."""
    if isinstance(answer, bool):
        raise Invalid(f"这里需要一个数，收到的是布尔值 {answer}。")
    if isinstance(answer, (str, bytes)):
        if isinstance(answer, bytes):
            raise Invalid("这里需要一个数，收到的是字节串（bytes）。请直接写数字，例如 25.5 或 \"25.5万\"。")
        try:
            value = parse_cn(answer)
        except ValueError as exc:
            raise Invalid(f"{exc}。") from None
    elif isinstance(answer, complex):
        raise Invalid("这里需要一个实数，收到的是复数。")
    elif isinstance(answer, numbers.Number) or hasattr(answer, "__float__"):
        if hasattr(answer, "shape") and getattr(answer, "shape", ()) not in ((), None):
            raise Invalid(f"这里需要一个数，收到的是 {describe(answer)}。请取出其中的一个数。")
        try:
            value = float(answer)
        except OverflowError:
            raise Invalid("这个数太大了，超出了能比较的范围。检查一下是不是多写了几个 0。") from None
        except (TypeError, ValueError):
            raise Invalid(f"这里需要一个数，收到：{describe(answer)}。") from None
    else:
        hint = ""
        if type(answer).__name__ in ("DataFrame", "Series", "list", "tuple", "set", "dict", "ndarray"):
            hint = "这一题只要一个数，不需要表格或列表。"
        raise Invalid(f"这里需要一个数，收到：{describe(answer)}。{hint}")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise Invalid(f"答案不能是 {value}（非数 / 无穷大）。请检查计算，例如是否除以了 0。")
    return value


class Numeric(Problem):
    """A number, with relative tolerance.

    ``scales``: scale words the learner may leave implicit, e.g. ``("万",)`` accepts 25.5 for
    255000.  By default the scale the answer would be written in (万/亿) is accepted.
    """

    kind = "numeric"

    def __init__(self, prompt: str, answer: float, *, unit: str = "", rel_tol: float = 0.01,
                 abs_tol: float = 0.0, scales: Iterable[str] | None = None, **kw):
        super().__init__(prompt, **kw)
        self._answer = float(answer)
        self.unit = unit
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        if scales is None:
            word, _ = scale_of(self._answer, unit)
            scales = (word,) if word else ()
        self.scales = tuple(scales)
        shown = "、".join(f"以{w}为单位" for w in self.scales)
        example = {"万": "25.5万", "亿": "800亿"}
        examples = "、".join(f'"{example[w]}"' for w in self.scales if w in example)
        self.expected_form = "一个数" + (f"（可以写基本单位，也可以{shown}，或写成 {examples} 这样的文字）"
                                          if self.scales else "")

    @property
    def answer(self) -> float:
        return self._answer

    def _close(self, got: float) -> bool:
        return math.isclose(got, self._answer, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def _evaluate(self, answer):
        from .quantities import SCALE_WORDS

        got = to_number(answer)
        if self._close(got):
            return Feedback("correct", "正确！" + (f"（{format_cn(self._answer, self.unit)}）" if self.unit else ""))
        for word in self.scales:
            if self._close(got * SCALE_WORDS[word]):
                return Feedback("correct", f"正确！（按“{word}”为单位理解：{format_cn(got * SCALE_WORDS[word], self.unit)}）")
        if got != 0 and self._answer != 0 and (got > 0) == (self._answer > 0):
            ratio = math.log10(abs(got / self._answer))
            k = round(ratio)
            if k != 0 and abs(ratio - k) < 0.02:
                size = f"10^{abs(k)}" if abs(k) > 3 else f"{10 ** abs(k):,}"
                where = f"是正确答案的 {size} 倍" if k > 0 else f"只有正确答案的 1/{size}"
                return Feedback(
                    "wrong",
                    f"量级不对：数字本身对了，但你的答案{where}（差了 {abs(k)} 个数量级）。"
                    "检查单位：1万 = 10^4，1亿 = 10^8；百分数是不是多乘或少乘了 100？",
                )
        direction = "偏大" if got > self._answer else "偏小"
        return Feedback("wrong", f"还不对：你的答案 {format_cn(got, self.unit)} {direction}。"
                                 "再读一遍题目，或运行 hint() 看提示。")


class Interval(Problem):
    """A pair (low, high) — e.g. the range a "2–3户" or "300多万" figure allows."""

    kind = "interval"
    expected_form = "两个数组成的区间，例如 (下限, 上限)"

    def __init__(self, prompt: str, low: float, high: float, *, unit: str = "", rel_tol: float = 0.01,
                 scales: Iterable[str] | None = None, **kw):
        super().__init__(prompt, **kw)
        self._low, self._high = float(low), float(high)
        self.unit = unit
        self._parts = (Numeric("下限", low, unit=unit, rel_tol=rel_tol, scales=scales),
                       Numeric("上限", high, unit=unit, rel_tol=rel_tol, scales=scales))

    @property
    def answer(self) -> tuple:
        return (self._low, self._high)

    def _evaluate(self, answer):
        if isinstance(answer, (str, bytes, dict)) or not isinstance(answer, (list, tuple)):
            raise Invalid(f"这里需要 {self.expected_form}，收到：{describe(answer)}。")
        if len(answer) != 2:
            raise Invalid(f"区间需要正好两个数（下限, 上限），收到了 {len(answer)} 个。")
        low, high = to_number(answer[0]), to_number(answer[1])
        swapped = low > high
        if swapped:
            low, high = high, low
        results = [part._evaluate(v) for part, v in zip(self._parts, (low, high))]
        if all(r.correct for r in results):
            extra = "（提示：习惯上下限写在前面）" if swapped else ""
            return Feedback("correct", f"正确！区间是 {format_cn(self._low, self.unit)} 到 "
                                       f"{format_cn(self._high, self.unit)}。{extra}")
        wrong = [name for name, r in zip(("下限", "上限"), results) if not r.correct]
        first = results[0 if not results[0].correct else 1].message
        first = first.removeprefix("还不对：")
        return Feedback("wrong", f"{'和'.join(wrong)}还不对：{first}")


# -- choices -----------------------------------------------------------------

_KEY_RE = re.compile(r"^[\(（]?([A-Za-z])[\)）]?[\.．、:：\s]*")


def _normalise_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


class Choice(Problem):
    """Single choice among lettered options ``{"A": "…", "B": "…"}``."""

    kind = "choice"

    def __init__(self, prompt: str, options: dict[str, str], answer: str, *, explanations: dict | None = None,
                 **kw):
        super().__init__(prompt, **kw)
        self.options = {k.upper(): v for k, v in options.items()}
        if answer.upper() not in self.options:
            raise ValueError(f"answer {answer!r} is not among the options")
        self._answer = answer.upper()
        self.explanations = {k.upper(): v for k, v in (explanations or {}).items()}
        self.expected_form = f"一个选项字母（{'/'.join(self.options)}），例如 \"{next(iter(self.options))}\""

    @property
    def answer(self) -> str:
        return self._answer

    def _key(self, answer) -> str:
        if not isinstance(answer, str):
            raise Invalid(f"请用选项字母作答（{'/'.join(self.options)}，写在引号里），收到：{describe(answer)}。")
        text = _normalise_key(answer)
        if text in self.options:
            return text
        for key, option in self.options.items():
            if unicodedata.normalize("NFKC", option).strip() == unicodedata.normalize("NFKC", answer).strip():
                return key
        match = _KEY_RE.match(text)
        if match and match.group(1) in self.options and len(text) <= 40:
            return match.group(1)
        raise Invalid(f"“{answer[:30]}”不是选项；请写 {'/'.join(self.options)} 中的一个字母。")

    def _evaluate(self, answer):
        key = self._key(answer)
        why = self.explanations.get(key, "")
        if key == self._answer:
            return Feedback("correct", "正确！" + why)
        return Feedback("wrong", f"选项 {key} 不对。" + (why or "再想一想，或运行 hint()。"))


class MultiChoice(Problem):
    """Several correct options; the answer is e.g. ``"AC"``, ``"A, C"`` or ``["A", "C"]``."""

    kind = "multichoice"

    def __init__(self, prompt: str, options: dict[str, str], answer: Iterable[str], **kw):
        super().__init__(prompt, **kw)
        self.options = {k.upper(): v for k, v in options.items()}
        self._answer = frozenset(a.upper() for a in answer)
        if not self._answer <= set(self.options):
            raise ValueError("answer keys must be among the options")
        self.expected_form = f"选项字母的组合，例如 \"{''.join(sorted(self.options)[:2])}\" 或 [\"A\", \"C\"]"

    @property
    def answer(self) -> str:
        return "".join(sorted(self._answer))

    def _keys(self, answer) -> frozenset:
        if isinstance(answer, str):
            text = _normalise_key(answer)
            letters = [c for c in text if c.isalpha()]
            junk = [c for c in text if not (c.isalpha() or c in " ,，、;；/和与及")]
            if junk or not letters:
                raise Invalid(f"请用选项字母作答，例如 \"AC\"，收到：{describe(answer)}。")
        elif isinstance(answer, (list, tuple, set, frozenset)):
            letters = []
            for item in answer:
                if not isinstance(item, str):
                    raise Invalid(f"列表里应是选项字母（文字），其中有：{describe(item)}。")
                letters.extend(c for c in _normalise_key(item) if c.isalpha())
        else:
            raise Invalid(f"请用选项字母作答，例如 \"AC\"，收到：{describe(answer)}。")
        unknown = sorted({c for c in letters if c not in self.options})
        if unknown:
            raise Invalid(f"没有选项 {'、'.join(unknown)}；可选：{'/'.join(self.options)}。")
        return frozenset(letters)

    def _evaluate(self, answer):
        keys = self._keys(answer)
        if keys == self._answer:
            return Feedback("correct", "正确！全部选对。")
        missing, extra = len(self._answer - keys), len(keys - self._answer)
        parts = []
        if extra:
            parts.append(f"有 {extra} 个选项不该选")
        if missing:
            parts.append(f"还漏了 {missing} 个该选的选项")
        return Feedback("wrong", "还不完全对：" + "，".join(parts) + "。")


# -- terms -------------------------------------------------------------------

_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉（）()【】\[\]·・.,，。、:：;；!！?？\-—_–]+")


def normalise_term(text: str) -> str:
    """NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


class Term(Problem):
    """A term or short phrase; spaces, punctuation and full-width characters are ignored."""

    kind = "term"
    expected_form = "一个词语（文字，写在引号里）"

    def __init__(self, prompt: str, answers: Iterable[str], **kw):
        super().__init__(prompt, **kw)
        self._answers = [a for a in answers]
        if not self._answers:
            raise ValueError("a Term needs at least one accepted answer")
        self._normalised = {normalise_term(a) for a in self._answers}

    @property
    def answer(self) -> str:
        return self._answers[0]

    def _evaluate(self, answer):
        if not isinstance(answer, str):
            raise Invalid(f"这里需要一个词语（文字，写在引号里），收到：{describe(answer)}。")
        if len(answer) > 200:
            raise Invalid("答案太长了：这里只需要一个词语或短语。")
        got = normalise_term(answer)
        if got in self._normalised:
            return Feedback("correct", f"正确！（{self._answers[0]}）")
        if any(got and (got in a or a in got) for a in self._normalised):
            return Feedback("wrong", "接近了，但还不完整或多了字。再核对一下原词。")
        return Feedback("wrong", "不是这个词。运行 hint() 看提示。")


# -- code: a DataFrame or Series ---------------------------------------------

class Code(Problem):
    """The learner builds a DataFrame/Series; it is compared with ``expected()``.

    ``columns``: the columns to compare (default: all expected ones); ``sort_by``: sort both before
    comparing (row order then does not matter); ``rel_tol`` for numbers.
    """

    kind = "code"

    def __init__(self, prompt: str, expected: Callable[[], Any], *, columns: list[str] | None = None,
                 sort_by: list[str] | str | None = None, rel_tol: float = 1e-3, **kw):
        super().__init__(prompt, **kw)
        self._expected_fn = expected
        self.columns = columns
        self.sort_by = [sort_by] if isinstance(sort_by, str) else sort_by
        self.rel_tol = rel_tol

    @property
    def answer(self):
        return self._expected_fn()

    @property
    def expected_form(self) -> str:  # type: ignore[override]
        exp = self._expected_fn()
        if type(exp).__name__ == "Series":
            return f"一个 Series（{len(exp)} 个值）"
        cols = self.columns or list(exp.columns)
        return f"一个 DataFrame，包含列 {cols}，共 {len(exp)} 行"

    def _evaluate(self, answer):
        import numpy as np
        import pandas as pd

        expected = self._expected_fn()
        want_series = isinstance(expected, pd.Series)
        if want_series:
            if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
                answer = answer.iloc[:, 0]
            if not isinstance(answer, pd.Series):
                raise Invalid(f"需要{self.expected_form}，收到：{describe(answer)}。")
            got_frame, exp_frame = answer.to_frame("值"), expected.to_frame("值")
            columns = ["值"]
            if self.sort_by is None:
                got_frame = got_frame.reset_index()
                exp_frame = exp_frame.reset_index()
                columns = ["值"]
        else:
            if not isinstance(answer, pd.DataFrame):
                raise Invalid(f"需要{self.expected_form}，收到：{describe(answer)}。")
            columns = self.columns or list(expected.columns)
            missing = [c for c in columns if c not in answer.columns]
            if missing:
                return Feedback("wrong", f"表格缺少列：{'、'.join(map(str, missing))}。"
                                         f"现有列：{'、'.join(map(str, list(answer.columns)[:12]))}。")
            got_frame, exp_frame = answer, expected
        if len(got_frame) != len(exp_frame):
            return Feedback("wrong", f"行数不对：应有 {len(exp_frame)} 行，你的有 {len(got_frame)} 行。")
        if self.sort_by:
            try:
                got_frame = got_frame.sort_values(self.sort_by)
                exp_frame = exp_frame.sort_values(self.sort_by)
            except Exception:
                raise Invalid(f"无法按 {self.sort_by} 排序你的表格，请检查这些列的内容。") from None
        got_frame = got_frame.reset_index(drop=True)
        exp_frame = exp_frame.reset_index(drop=True)
        for column in columns:
            g, e = got_frame[column], exp_frame[column]
            if pd.api.types.is_numeric_dtype(e) and not pd.api.types.is_bool_dtype(e):
                g_num = pd.to_numeric(g, errors="coerce")
                if g_num.isna().any() and not e.isna().any():
                    return Feedback("wrong", f"列“{column}”里有不是数字的值。")
                close = np.isclose(g_num.astype(float), e.astype(float), rtol=self.rel_tol, equal_nan=True)
                if not close.all():
                    i = int(np.argmin(close))
                    return Feedback("wrong", f"列“{column}”第 {i + 1} 行不对：期望约 {format_cn(float(e.iloc[i]))}，"
                                             f"你的是 {describe(g.iloc[i], 30)}。")
            else:
                same = [str(a) == str(b) for a, b in zip(g, e)]
                if not all(same):
                    i = same.index(False)
                    return Feedback("wrong", f"列“{column}”第 {i + 1} 行不对：期望 {describe(e.iloc[i], 30)}，"
                                             f"你的是 {describe(g.iloc[i], 30)}。")
        return Feedback("correct", "正确！表格的内容与期望一致。")


# ---------------------------------------------------------------------------
# a chapter's exercises
# ---------------------------------------------------------------------------

class Exercises:
    """The exercises of one chapter: ``ex.q1`` … ``ex.qN`` and ``ex.progress()``."""

    def __init__(self, chapter: int, title: str, problems: dict[str, Problem]):
        self.chapter = chapter
        self.title = title
        self._problems = {}
        for name, problem in problems.items():
            if not re.fullmatch(r"q\d+", name):
                raise ValueError(f"exercise names must look like q1, q2 … (got {name!r})")
            problem.name = name
            self._problems[name] = problem

    def __getattr__(self, name: str) -> Problem:
        problems = self.__dict__.get("_problems", {})
        if name in problems:
            return problems[name]
        raise AttributeError(f"本章没有练习“{name}”；可用：{'、'.join(problems)}")

    def __iter__(self):
        return iter(self._problems.items())

    def __len__(self) -> int:
        return len(self._problems)

    def __dir__(self):
        return list(super().__dir__()) + list(self._problems)

    def progress_feedback(self) -> Feedback:
        done = sum(p.solved for _, p in self)
        total = len(self)
        bar = "■" * done + "□" * (total - done)
        pending = [p._title() for _, p in self if not p.solved]
        detail = ("还没完成：" + "、".join(pending)) if pending else "全部完成，太棒了！"
        return Feedback("info", f"进度 {done}/{total} {bar}", title=f"第{self.chapter}章练习", detail=detail)

    def progress(self) -> None:
        """Show done / total as a small bar."""
        feedback = self.progress_feedback()
        try:
            from IPython import get_ipython
            from IPython.display import display

            if get_ipython() is not None:
                done = sum(p.solved for _, p in self)
                pct = 100 * done / max(len(self), 1)
                html_bar = (f'<div style="margin:4px 0"><b>{html.escape(feedback.title)}：进度 {done}/{len(self)}</b>'
                            '<div style="background:#e4e7ec;border-radius:4px;width:260px;height:10px;margin:4px 0">'
                            f'<div style="background:#1b7f3b;width:{pct:.0f}%;height:10px;border-radius:4px"></div>'
                            f"</div><small>{html.escape(feedback.detail)}</small></div>")
                display({"text/plain": feedback.text(), "text/html": html_bar}, raw=True)
                return
        except ImportError:  # pragma: no cover
            pass
        print(feedback.text())

    def __repr__(self) -> str:
        return f"第{self.chapter}章练习（{len(self)} 题）：" + "、".join(self._problems)
