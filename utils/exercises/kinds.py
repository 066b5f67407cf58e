"""The problem kinds with a textual or tabular answer: Numeric, Interval, Choice, MultiChoice, Term,
Code and Discussion.  (Chart lives in :mod:`.chart`.)"""
from __future__ import annotations

import math
import numbers
import re
import unicodedata
from typing import Any, Callable, Iterable

from ..quantities import SCALE_WORDS, format_cn, parse_quantity, scale_of
from .core import Invalid, Mistake, Problem, Verdict, describe, numbers_close, safe_repr

# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------

#: units that mean the same thing when a learner writes them
_UNIT_GROUPS = ({"人", "名", "位"}, {"%", "百分比"}, {"元", "块", "块钱"}, {"个", "家"})


def _same_unit(asked: str, written: str) -> bool:
    if not written or written == asked:
        return True
    return any(asked in group and written in group for group in _UNIT_GROUPS)


def _unit_verdict(asked: str, written: str) -> Verdict:
    if asked == "百分点" and written == "%":
        return Verdict("wrong", "单位不对：这一题问的是“百分点”（两个百分数之差），你写的是“%”（相对变化）。"
                                "两者不能混用。", mistake="points-as-percent")
    if asked == "%" and written == "百分点":
        return Verdict("wrong", "单位不对：这一题问的是百分数（%），你写的是“百分点”。百分点是两个百分数的差，"
                                "不是一个比例本身。", mistake="percent-as-points")
    if written.endswith("次") and written[:-1] == asked:
        return Verdict("wrong", f"单位不对：这一题问的是“{asked}”，你写的是“{written}”。"
                                f"“{written}”会把同一个{asked}重复计算，不能当成{asked}数。", mistake="person-times")
    return Verdict("wrong", f"单位不对：这一题问的是以“{asked}”为单位的数，你写的是“{written}”。"
                            "检查一下你算的是不是题目问的那个量。", mistake="unit-scale")


def _quantity(answer: Any) -> tuple[float, str, bool]:
    """A learner's answer → (value in base units, unit word written, scale word written?)."""
    if isinstance(answer, bool):
        raise Invalid(f"这里需要一个数，收到的是布尔值 {answer}。")
    if isinstance(answer, bytes):
        raise Invalid("这里需要一个数，收到的是字节串（bytes）。请直接写数字，例如 25.5 或 \"25.5万\"。")
    if isinstance(answer, str):
        try:
            value, unit = parse_quantity(answer)
        except ValueError as exc:
            raise Invalid(f"{exc}。") from None
        text = unicodedata.normalize("NFKC", answer).replace("百分", "")
        explicit = any(word in text for word in SCALE_WORDS)
    elif isinstance(answer, complex):
        raise Invalid("这里需要一个实数，收到的是复数。")
    elif isinstance(answer, numbers.Number) or hasattr(answer, "__float__"):
        shape = getattr(answer, "shape", ())
        if shape not in ((), None):
            raise Invalid(f"这里需要一个数，收到的是 {describe(answer)}。请取出其中的一个数。")
        try:
            value = float(answer)
        except OverflowError:
            raise Invalid("这个数太大了，超出了能比较的范围。检查一下是不是多写了几个 0。") from None
        except (TypeError, ValueError):
            raise Invalid(f"这里需要一个数，收到：{describe(answer)}。") from None
        if not isinstance(value, float):
            raise Invalid(f"这里需要一个数，收到：{describe(answer)}。")
        unit, explicit = "", False
    else:
        hint = ""
        if type(answer).__name__ in ("DataFrame", "Series", "list", "tuple", "set", "dict", "ndarray"):
            hint = "这一题只要一个数，不需要表格或列表。"
        raise Invalid(f"这里需要一个数，收到：{describe(answer)}。{hint}")
    if math.isnan(value) or math.isinf(value):
        raise Invalid(f"答案不能是 {value}（非数 / 无穷大）。请检查计算，例如是否除以了 0。")
    return value, unit, explicit


def to_number(answer: Any) -> float:
    """Turn a learner's answer into a float, or raise :class:`Invalid` with a Chinese message."""
    return _quantity(answer)[0]


def _magnitude(got: float, want: float) -> int:
    """k when got ≈ want × 10^k for a whole k ≠ 0 (a scale slip), else 0."""
    if got == 0 or want == 0 or (got > 0) != (want > 0):
        return 0
    ratio = math.log10(abs(got / want))
    k = round(ratio)
    return k if k != 0 and abs(ratio - k) < 0.02 else 0


#: units a number is never written with 万/亿 in (a ratio, a multiple, a count of points)
_UNSCALED_UNITS = {"%", "百分点", "倍", ""}


def _number_form(unit: str, scales: tuple, digits: int | None) -> str:
    """How to write the number — from the unit and the declared scales only, never from the answer."""
    if scales:
        words = "或".join(f"“{w}{unit}”" for w in scales)
        form = f"一个数（题目要求以{words}为单位：直接写以它为单位的数，或写成带“{scales[0]}”字的文字）"
    elif unit in _UNSCALED_UNITS:
        form = "一个数"
    else:
        form = f"一个数（以“{unit}”为单位；也可以写成 \"3.5万\" 这样带“万”“亿”字的文字）"
    return form + (f"，保留 {digits} 位小数" if digits is not None else "")


class Numeric(Problem):
    """A number, with relative tolerance.

    ``unit``: the unit asked for; a unit written in a string answer must agree ("12万元" for 个 is a
    unit mistake).  A bare number is read in ``unit`` — never scaled: 12 for a question in 个 is 12.
    ``scales``: scale words a bare number is read in, for a question that asks for its answer in
    万 or 亿 (its prompt must say so: "单位：万人"); default none.  ``digits``: the
    precision the prompt asks for; an answer within ``close_tol`` (relative) or right after rounding
    is "close".
    """

    kind = "numeric"
    label = "计算题"
    public_fields = ("unit", "rel_tol", "abs_tol", "digits", "close_tol", "scales")

    def __init__(self, prompt: str, answer: float, *, unit: str = "", rel_tol: float = 0.01,
                 abs_tol: float = 0.0, digits: int | None = None, scales: Iterable[str] = (),
                 close_tol: float = 0.05, **common):
        super().__init__(prompt, **common)
        answer = float(answer)
        if not math.isfinite(answer):
            raise ValueError("the answer of a Numeric must be finite")
        self.unit = unit
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        self.digits = digits
        self.close_tol = close_tol
        self.scales = tuple(scales)
        if self._key is not None:
            self._key.answer = answer
        self.expected_form = _number_form(unit, self.scales, digits)

    def _reference(self) -> float:
        return self._key.answer

    def _answer_text(self) -> str:
        return format_cn(self._key.answer, self.unit) if self._key else ""

    def answer_form(self) -> str:
        unit = f"（单位：{self.unit}）" if self.unit else ""
        return f"写一个数{unit}" + (f"，保留 {self.digits} 位小数" if self.digits is not None else "")

    def paper_lines(self) -> int:
        return 1

    # readings of a number: the value itself, or with an implicit scale word
    def _readings(self, answer: Any) -> tuple[list[tuple[float, str]], str]:
        value, unit, explicit = _quantity(answer)
        readings = [(value, "")]
        if not explicit:
            readings += [(value * SCALE_WORDS[w], w) for w in self.scales]
        return readings, unit

    def _parse(self, answer: Any):
        return _quantity(answer)

    def _is_right(self, got: float) -> bool:
        want = self._key.answer
        return math.isclose(got, want, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def _match_mistake(self, parsed, mistake: Mistake) -> bool:
        readings = parsed
        if mistake.value is not None and isinstance(mistake.value, numbers.Real):
            return any(numbers_close(v, float(mistake.value), mistake.rel_tol) for v, _ in readings)
        if mistake.low is not None or mistake.high is not None:
            low = -math.inf if mistake.low is None else mistake.low
            high = math.inf if mistake.high is None else mistake.high
            return any(low <= v <= high for v, _ in readings)
        return super()._match_mistake(readings[0][0], mistake)

    def _right_at_digits(self, readings) -> bool:
        """The answer rounded to the precision the prompt asks for (``digits``) is right."""
        if self.digits is None:
            return False
        want = self._key.answer
        _, div = scale_of(want, self.unit)
        return any(round(got / d, self.digits) == round(want / d, self.digits)
                   for got, _ in readings for d in {1, div})

    def _declared_wrong(self, readings) -> bool:
        """A value the author listed as a plausible wrong answer (``wrong=``) is never "close"."""
        for example in self._key.wrong:
            try:
                value = _quantity(example)[0]
            except Invalid:
                continue
            if any(numbers_close(v, value, self.rel_tol) for v, _ in readings):
                return True
        return False

    def _is_close(self, readings) -> bool:
        want = self._key.answer
        for got, _ in readings:
            if want == 0:
                continue
            if abs(got - want) / abs(want) <= self.close_tol:
                return True
            word, div = scale_of(want, self.unit)
            shown_want, shown_got = want / div, got / div
            for k in range(0, 4):
                if round(shown_want, k) == round(shown_got, k + 3) and round(shown_want, k) != 0:
                    return True
        return False

    def _judge(self, answer: Any) -> Verdict:
        readings, unit = self._readings(answer)
        want = self._key.answer
        if self.unit and not _same_unit(self.unit, unit):
            return _unit_verdict(self.unit, unit)
        for got, word in readings:
            if self._is_right(got):
                if word:
                    return Verdict("correct", f"正确！（按“{word}”为单位理解：{format_cn(got, self.unit)}）")
                return Verdict("correct", "正确！" + (f"（{format_cn(want, self.unit)}）" if self.unit else ""))
        if self._right_at_digits(readings):
            return Verdict("correct", f"正确！（按题目要求保留 {self.digits} 位小数）")
        diagnosis = self._diagnose(readings)
        if diagnosis is not None:
            return diagnosis
        if self._is_close(readings) and not self._declared_wrong(readings):
            if self.digits is not None:
                ask = f"题目要求保留 {self.digits} 位小数，请按这个精度作答。"
            else:
                ask = "请算得再精确一些：中间步骤不要四舍五入，最后再按题目要求的精度写。"
            return Verdict("close", f"很接近了，但还不够准确。{ask}", mistake="rounding")
        got = readings[0][0]
        k = _magnitude(got, want)
        if k:
            size = f"10^{abs(k)}" if abs(k) > 3 else f"{10 ** abs(k):,}"
            where = f"是正确答案的 {size} 倍" if k > 0 else f"只有正确答案的 1/{size}"
            return Verdict("wrong", f"量级不对：数字本身对了，但你的答案{where}（差了 {abs(k)} 个数量级）。"
                                    "检查单位：1万 = 10^4，1亿 = 10^8；百分数是不是多乘或少乘了 100？",
                           mistake="unit-scale")
        direction = "偏大" if got > want else "偏小"
        return Verdict("wrong", f"还不对：你的答案 {format_cn(got, self.unit)} {direction}。"
                                "再读一遍题目，或运行 hint() 看提示。")


class Interval(Problem):
    """A pair (low, high) — e.g. the range a "2–3户" or "300多万" figure allows."""

    kind = "interval"
    label = "区间题"
    public_fields = ("unit", "rel_tol", "close_tol", "scales")
    expected_form = "两个数组成的区间，例如 (下限, 上限)"

    def __init__(self, prompt: str, low: float, high: float, *, unit: str = "", rel_tol: float = 0.01,
                 scales: Iterable[str] = (), close_tol: float = 0.05, **common):
        super().__init__(prompt, **common)
        self.unit = unit
        self.rel_tol = rel_tol
        self.close_tol = close_tol
        low, high = float(low), float(high)
        self.scales = tuple(scales)  # as Numeric: a bare number is never scaled unless declared
        if self._key is not None:
            self._key.low, self._key.high = low, high

    def _reference(self) -> tuple:
        return (self._key.low, self._key.high)

    def _answer_text(self) -> str:
        if not self._key:
            return ""
        return f"{format_cn(self._key.low, self.unit)} 到 {format_cn(self._key.high, self.unit)}"

    def answer_form(self) -> str:
        unit = f"，单位：{self.unit}" if self.unit else ""
        return f"写下限和上限两个数（下限, 上限）{unit}"

    def paper_lines(self) -> int:
        return 1

    def _parse(self, answer: Any):
        if isinstance(answer, (str, bytes, dict)) or not isinstance(answer, (list, tuple)):
            raise Invalid(f"这里需要{self.expected_form}，收到：{describe(answer)}。")
        if len(answer) != 2:
            raise Invalid(f"区间需要正好两个数（下限, 上限），收到了 {len(answer)} 个。")
        return [_quantity(answer[0]), _quantity(answer[1])]

    def _ends(self, ends) -> list[list[float]]:
        out = []
        for value, _, explicit in ends:
            readings = [value]
            if not explicit:
                readings += [value * SCALE_WORDS[w] for w in self.scales]
            out.append(readings)
        return out

    def _match_mistake(self, parsed, mistake: Mistake) -> bool:
        low_r, high_r = parsed
        value = mistake.value
        if isinstance(value, (tuple, list)) and len(value) == 2:
            a, b = sorted(float(v) for v in value)
            return (any(numbers_close(x, a, mistake.rel_tol) for x in low_r)
                    and any(numbers_close(x, b, mistake.rel_tol) for x in high_r))
        if isinstance(value, numbers.Real):
            return (any(numbers_close(x, float(value), mistake.rel_tol) for x in low_r)
                    and any(numbers_close(x, float(value), mistake.rel_tol) for x in high_r))
        if mistake.low is not None or mistake.high is not None:
            lo = -math.inf if mistake.low is None else mistake.low
            hi = math.inf if mistake.high is None else mistake.high
            return any(lo <= x <= hi for x in low_r) and any(lo <= x <= hi for x in high_r)
        return super()._match_mistake((low_r[0], high_r[0]), mistake)

    def _judge(self, answer: Any) -> Verdict:
        ends = self._parse(answer)
        for _, unit, _ in ends:
            if self.unit and not _same_unit(self.unit, unit):
                return _unit_verdict(self.unit, unit)
        swapped = ends[0][0] > ends[1][0]
        if swapped:
            ends = ends[::-1]
        low_r, high_r = self._ends(ends)
        want = (self._key.low, self._key.high)
        ok = [any(math.isclose(x, w, rel_tol=self.rel_tol, abs_tol=1e-12) for x in r)
              for r, w in zip((low_r, high_r), want)]
        if all(ok):
            extra = "（提示：习惯上下限写在前面）" if swapped else ""
            return Verdict("correct", f"正确！区间是 {format_cn(want[0], self.unit)} 到 "
                                      f"{format_cn(want[1], self.unit)}。{extra}")
        diagnosis = self._diagnose((low_r, high_r))
        if diagnosis is not None:
            return diagnosis
        near = [any(w != 0 and abs(x - w) / abs(w) <= self.close_tol for x in r) or good
                for r, w, good in zip((low_r, high_r), want, ok)]
        if all(near):
            return Verdict("close", "很接近了，但还不够准确：中间步骤不要四舍五入，按措辞算出准确的上下限。",
                           mistake="rounding")
        wrong = [name for name, good in zip(("下限", "上限"), ok) if not good]
        i = 0 if not ok[0] else 1
        got = (low_r, high_r)[i][0]
        direction = "偏大" if got > want[i] else "偏小"
        return Verdict("wrong", f"{'和'.join(wrong)}还不对：你的{('下限', '上限')[i]} {format_cn(got, self.unit)} "
                                f"{direction}。想一想措辞（“多”“近”“以上”）允许的范围。")


# ---------------------------------------------------------------------------
# choices
# ---------------------------------------------------------------------------

_LETTER_RE = re.compile(r"^[\(（]?([A-Z])[\)）]?$")
_LETTER_THEN_TEXT_RE = re.compile(r"^[\(（]?([A-Z])[\)）]?[\.．、:：\s]+(.+)$")
_SEPARATORS = " ,，、;；/|和与及+&"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _letters_only(text: str) -> list[str] | None:
    """["A", "C"] when text is letters and separators only, else None."""
    letters = []
    for ch in text:
        if ch.isascii() and ch.isalpha():
            letters.append(ch.upper())
        elif ch not in _SEPARATORS:
            return None
    return letters


class Choice(Problem):
    """Single choice among lettered options ``{"A": "…", "B": "…"}``; exactly one letter counts."""

    kind = "choice"
    label = "选择题"
    public_fields = ("options",)

    def __init__(self, prompt: str, options: dict[str, str], answer: str, *,
                 explanations: dict | None = None, **common):
        super().__init__(prompt, **common)
        self.options = {str(k).upper(): str(v) for k, v in options.items()}
        if str(answer).upper() not in self.options:
            raise ValueError(f"answer {answer!r} is not among the options")
        if self._key is not None:
            self._key.answer = str(answer).upper()
            self._key.explanations = {str(k).upper(): str(v) for k, v in (explanations or {}).items()}
        self.expected_form = f"一个选项字母（{'/'.join(self.options)}），例如 \"{next(iter(self.options))}\""

    def _reference(self) -> str:
        return self._key.answer

    def _answer_text(self) -> str:
        return f"{self._key.answer}. {self.options[self._key.answer]}" if self._key else ""

    def answer_form(self) -> str:
        return f"写一个选项字母（{'/'.join(self.options)}）"

    def paper_lines(self) -> int:
        return 1

    def _parse(self, answer: Any) -> str:
        keys = "/".join(self.options)
        if not isinstance(answer, str):
            raise Invalid(f"请用选项字母作答（{keys}，写在引号里），收到：{describe(answer)}。")
        text = _nfkc(answer)
        upper = text.upper()
        match = _LETTER_RE.match(upper)
        if match:
            if match.group(1) in self.options:
                return match.group(1)
            raise Invalid(f"没有选项 {match.group(1)}；请写 {keys} 中的一个字母。")
        for key, option in self.options.items():
            if _nfkc(option) == text:
                return key
        match = _LETTER_THEN_TEXT_RE.match(upper)
        if match and match.group(1) in self.options:
            rest = _nfkc(text[match.start(2):])
            if rest and _nfkc(self.options[match.group(1)]).startswith(rest):
                return match.group(1)
        letters = _letters_only(upper)
        if letters and len(letters) > 1 and all(c in self.options for c in letters):
            raise Invalid(f"这是单选题，只能选一个字母（{keys} 之一）；你写了 {len(letters)} 个。")
        raise Invalid(f"“{answer[:30]}”不是选项；请写 {keys} 中的一个字母。")

    def _match_mistake(self, parsed, mistake: Mistake) -> bool:
        if isinstance(mistake.value, str):
            return parsed == mistake.value.strip().upper()
        return super()._match_mistake(parsed, mistake)

    def _judge(self, answer: Any) -> Verdict:
        key = self._parse(answer)
        why = self._key.explanations.get(key, "")
        if key == self._key.answer:
            return Verdict("correct", "正确！" + why)
        diagnosis = self._diagnose(key)
        if diagnosis is not None:
            return Verdict("wrong", f"选项 {key} 不对。{diagnosis.message}", mistake=diagnosis.mistake)
        return Verdict("wrong", f"选项 {key} 不对。" + (why or "再想一想，或运行 hint()。"))


class MultiChoice(Problem):
    """Several correct options; the answer is e.g. ``"AC"``, ``"A, C"`` or ``["A", "C"]``."""

    kind = "multichoice"
    label = "多选题"
    public_fields = ("options",)

    def __init__(self, prompt: str, options: dict[str, str], answer: Iterable[str], *,
                 explanations: dict | None = None, **common):
        super().__init__(prompt, **common)
        self.options = {str(k).upper(): str(v) for k, v in options.items()}
        keys = frozenset(str(a).upper() for a in answer)
        if not keys <= set(self.options) or not keys:
            raise ValueError("answer keys must be among the options")
        if self._key is not None:
            self._key.answer = keys
            self._key.explanations = {str(k).upper(): str(v) for k, v in (explanations or {}).items()}
        self.expected_form = f"选项字母的组合，例如 \"{''.join(sorted(self.options)[:2])}\" 或 [\"A\", \"C\"]"

    def _reference(self) -> str:
        return "".join(sorted(self._key.answer))

    def _answer_text(self) -> str:
        return "".join(sorted(self._key.answer)) if self._key else ""

    def answer_form(self) -> str:
        return f"写所有正确选项的字母（{'/'.join(self.options)}，可多选）"

    def paper_lines(self) -> int:
        return 1

    def _parse(self, answer: Any) -> frozenset:
        if isinstance(answer, str):
            letters = _letters_only(_nfkc(answer).upper())
            if not letters:
                raise Invalid(f"请用选项字母作答，例如 \"AC\"，收到：{describe(answer)}。")
        elif isinstance(answer, (list, tuple, set, frozenset)):
            letters = []
            for item in answer:
                if not isinstance(item, str):
                    raise Invalid(f"列表里应是选项字母（文字），其中有：{describe(item)}。")
                found = _letters_only(_nfkc(item).upper())
                if found is None:
                    raise Invalid(f"列表里应是选项字母，其中有：{describe(item)}。")
                letters.extend(found)
            if not letters:
                raise Invalid("列表是空的：请写出你选的选项字母。")
        else:
            raise Invalid(f"请用选项字母作答，例如 \"AC\"，收到：{describe(answer)}。")
        unknown = sorted({c for c in letters if c not in self.options})
        if unknown:
            raise Invalid(f"没有选项 {'、'.join(unknown)}；可选：{'/'.join(self.options)}。")
        return frozenset(letters)

    def _match_mistake(self, parsed, mistake: Mistake) -> bool:
        if isinstance(mistake.value, str):
            return parsed == frozenset(c for c in mistake.value.upper() if c.isalpha())
        return super()._match_mistake(parsed, mistake)

    def _judge(self, answer: Any) -> Verdict:
        keys = self._parse(answer)
        want = self._key.answer
        why = self._key.explanations
        if keys == want:          # every option's explanation, now that nothing is left to give away
            return Verdict("correct", "正确！全部选对。",
                           details="\n".join(f"{k}：{why[k]}" for k in sorted(self.options) if why.get(k)))
        diagnosis = self._diagnose(keys)
        if diagnosis is not None:
            return diagnosis
        missing, extra = len(want - keys), len(keys - want)
        parts = []
        if extra:
            parts.append(f"有 {extra} 个选项不该选")
        if missing:
            parts.append(f"还漏了 {missing} 个该选的选项")
        # why one option the learner chose is wrong (never a word about the options still missing)
        chosen_wrong = [k for k in sorted(keys - want) if why.get(k)]
        details = f"你选的 {chosen_wrong[0]}：{why[chosen_wrong[0]]}" if chosen_wrong else ""
        return Verdict("wrong", "还不完全对：" + "，".join(parts) + "。", details=details)


# ---------------------------------------------------------------------------
# terms
# ---------------------------------------------------------------------------

_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉（）()【】\[\]·・.,，。、:：;；!！?？\-—_–]+")


def normalise_term(text: str) -> str:
    """NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


class Term(Problem):
    """A term or short phrase; spaces, punctuation and full-width characters are ignored."""

    kind = "term"
    label = "填空题"
    expected_form = "一个词语（文字，写在引号里）"

    def __init__(self, prompt: str, answers: Iterable[str], **common):
        super().__init__(prompt, **common)
        answers = [str(a) for a in answers]
        if not answers:
            raise ValueError("a Term needs at least one accepted answer")
        if self._key is not None:
            self._key.answers = answers
            self._key.normalised = {normalise_term(a) for a in answers}

    def _reference(self) -> str:
        return self._key.answers[0]

    def _answer_text(self) -> str:
        return self._key.answers[0] if self._key else ""

    def answer_form(self) -> str:
        return "写一个词语"

    def paper_lines(self) -> int:
        return 1

    def _parse(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise Invalid(f"这里需要一个词语（文字，写在引号里），收到：{describe(answer)}。")
        if len(answer) > 200:
            raise Invalid("答案太长了：这里只需要一个词语或短语。")
        return normalise_term(answer)

    def _match_mistake(self, parsed, mistake: Mistake) -> bool:
        if isinstance(mistake.value, str):
            return parsed == normalise_term(mistake.value)
        return super()._match_mistake(parsed, mistake)

    def _judge(self, answer: Any) -> Verdict:
        got = self._parse(answer)
        if got in self._key.normalised:
            return Verdict("correct", f"正确！（{self._key.answers[0]}）")
        diagnosis = self._diagnose(got)
        if diagnosis is not None:
            return diagnosis
        if any(got and (got in a or a in got) for a in self._key.normalised):
            return Verdict("close", "接近了，但还不完整或多了字。再核对一下原词。")
        return Verdict("wrong", "不是这个词。运行 hint() 看提示。")


# ---------------------------------------------------------------------------
# code: a DataFrame or Series
# ---------------------------------------------------------------------------

def _shown_number(x: float) -> str:
    """A number as a message shows it: like the course's figures (万/亿, at most 2 decimals), no type name."""
    if not math.isfinite(x):
        return "空值" if math.isnan(x) else str(x)
    return format_cn(x)


def _swapped_rows(got, want, close, rel_tol: float) -> tuple[int, int] | None:
    """(i, j) when the only difference is that rows i and j hold each other's values."""
    wrong = [k for k, ok in enumerate(close) if not ok]
    if len(wrong) != 2:
        return None
    i, j = wrong
    if (math.isclose(got[i], want[j], rel_tol=rel_tol, abs_tol=1e-12)
            and math.isclose(got[j], want[i], rel_tol=rel_tol, abs_tol=1e-12)):
        return i, j
    return None


class Code(Problem):
    """The learner builds a DataFrame/Series; it is compared with ``expected()``.

    ``columns``: the columns to compare (default: all expected ones); ``only_columns``: when the prompt
    says to keep only some columns, those (a table with any other column is wrong); ``sort_by``: sort
    both before comparing (row order then does not matter); ``rel_tol`` for numbers.  Messages name
    the row and column that differ, whether the value is too large or too small, and values that were
    swapped between rows — never the expected cell.
    """

    kind = "code"
    label = "代码题"
    public_fields = ("columns", "only_columns", "sort_by", "rel_tol")

    def _public_form(self, expected_form: str) -> None:
        self._form = expected_form or None

    def __init__(self, prompt: str, expected: Callable[[], Any], *, columns: list[str] | None = None,
                 only_columns: list[str] | None = None, sort_by: list[str] | str | None = None,
                 rel_tol: float = 1e-3, **common):
        super().__init__(prompt, **common)
        if not callable(expected):
            raise TypeError("Code(expected=…) must be a function returning a DataFrame or Series")
        self.columns = list(columns) if columns else None
        self.only_columns = list(only_columns) if only_columns else None
        self.sort_by = [sort_by] if isinstance(sort_by, str) else (list(sort_by) if sort_by else None)
        self.rel_tol = rel_tol
        self._form = None
        if self._key is not None:
            self._key.expected = expected

    def _reference(self):
        return self._key.expected()

    def _answer_text(self) -> str:
        return ""

    @property
    def expected_form(self) -> str:  # type: ignore[override]
        if self._form is None:
            if self._key is None:
                self._form = "一个 DataFrame 或 Series"
            else:
                import pandas as pd

                exp = self._key.expected()
                if isinstance(exp, pd.Series):
                    self._form = "一个 Series"
                elif self.only_columns:
                    self._form = f"一个 DataFrame，只含列 {'、'.join(map(str, self.only_columns))}"
                else:
                    cols = self.columns or list(exp.columns)
                    self._form = f"一个 DataFrame，包含列 {'、'.join(map(str, cols))}"
        return self._form

    def answer_form(self) -> str:
        return "写出代码（pandas），结果是" + self.expected_form

    def paper_lines(self) -> int:
        return 4

    #: the largest table a record stores (rows, columns); larger answers are stored as their shape
    MAX_ROWS, MAX_COLUMNS = 300, 30

    def stored_answer(self, answer: Any) -> Any:
        """The learner's table itself (capped): ``{"table": {"columns", "index", "data"}, "series": bool}``."""
        import pandas as pd

        from .attempts import plain

        if not isinstance(answer, (pd.DataFrame, pd.Series)):
            return super().stored_answer(answer)
        series = isinstance(answer, pd.Series)
        frame = answer.to_frame() if series else answer
        rows, cols = frame.shape
        if rows > self.MAX_ROWS or cols > self.MAX_COLUMNS:
            return {"too_large": [int(rows), int(cols)], "series": series}
        split = frame.to_dict(orient="split")
        return {"table": {"columns": plain(list(split["columns"])), "index": plain(list(split["index"])),
                          "data": plain([list(r) for r in split["data"]])},
                "name": plain(answer.name) if series else None, "series": series}

    def restore(self, stored: Any) -> Any:
        import pandas as pd

        if not isinstance(stored, dict):
            return super().restore(stored)
        if "too_large" in stored:
            rows, cols = (list(stored["too_large"]) + [0, 0])[:2]
            raise Invalid(f"记录里的表格太大（{rows} 行 × {cols} 列），没有保存，无法重新判定。")
        table = stored.get("table")
        if not isinstance(table, dict):
            raise Invalid("记录的答案不是能重新判定的形式。")
        columns, index, data = table.get("columns"), table.get("index"), table.get("data")
        if not (isinstance(columns, list) and isinstance(index, list) and isinstance(data, list)
                and len(columns) <= self.MAX_COLUMNS and len(data) == len(index) <= self.MAX_ROWS
                and all(isinstance(r, list) and len(r) == len(columns) for r in data)):
            raise Invalid("记录里的表格形状不对，无法重新判定。")
        frame = pd.DataFrame(data, columns=columns, index=index)
        if stored.get("series") and frame.shape[1] == 1:
            out = frame.iloc[:, 0]
            out.name = stored.get("name")
            return out
        return frame

    def _parse(self, answer: Any):
        import pandas as pd

        if not isinstance(answer, (pd.DataFrame, pd.Series)):
            raise Invalid(f"需要{self.expected_form}，收到：{describe(answer)}。")
        return answer

    def _judge(self, answer: Any) -> Verdict:
        import numpy as np
        import pandas as pd

        expected = self._key.expected()
        if isinstance(expected, pd.Series):
            if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
                answer = answer.iloc[:, 0]
            if not isinstance(answer, pd.Series):
                raise Invalid(f"需要{self.expected_form}，收到：{describe(answer)}。")
            got_frame, exp_frame = answer.to_frame("值").reset_index(), expected.to_frame("值").reset_index()
            columns = ["值"]
            row_names = [str(i) for i in expected.index]
        else:
            if not isinstance(answer, pd.DataFrame):
                raise Invalid(f"需要{self.expected_form}，收到：{describe(answer)}。")
            columns = self.columns or list(expected.columns)
            missing = [c for c in columns if c not in answer.columns]
            if missing:
                diagnosis = self._diagnose(answer)
                if diagnosis is not None:
                    return diagnosis
                return Verdict("wrong", f"表格缺少列：{'、'.join(map(str, missing))}。"
                                        f"现有列：{'、'.join(map(str, list(answer.columns)[:12]))}。")
            if self.only_columns:
                extra = [c for c in answer.columns if c not in self.only_columns]
                if extra:
                    diagnosis = self._diagnose(answer)
                    if diagnosis is not None:
                        return diagnosis
                    return Verdict("wrong", f"表格多了列：{'、'.join(map(str, extra[:6]))}。题目要求只保留 "
                                            f"{'、'.join(map(str, self.only_columns))} 这几列。")
            got_frame, exp_frame = answer, expected
            row_names = None
        verdict = self._compare(got_frame, exp_frame, columns, row_names, np, pd)
        if verdict.correct:
            return verdict
        diagnosis = self._diagnose(answer)
        return verdict if diagnosis is None else diagnosis

    def _compare(self, got_frame, exp_frame, columns, row_names, np, pd) -> Verdict:
        if len(got_frame) != len(exp_frame):
            more = "多" if len(got_frame) > len(exp_frame) else "少"
            return Verdict("wrong", f"行数不对：你的表格有 {len(got_frame)} 行，比应有的{more}。"
                                    "检查筛选条件（或是否去掉了空值）。")
        if self.sort_by:
            try:
                got_frame = got_frame.sort_values(self.sort_by)
                exp_frame = exp_frame.sort_values(self.sort_by)
            except Exception:  # noqa: BLE001
                raise Invalid(f"无法按 {'、'.join(self.sort_by)} 排序你的表格，请检查这些列的内容。") from None
        got_frame = got_frame.reset_index(drop=True)
        exp_frame = exp_frame.reset_index(drop=True)
        for column in columns:
            g, e = got_frame[column], exp_frame[column]
            if isinstance(g, pd.DataFrame):
                return Verdict("wrong", f"列名“{column}”出现了不止一次，请只保留一列。")
            if pd.api.types.is_numeric_dtype(e) and not pd.api.types.is_bool_dtype(e):
                g_num = pd.to_numeric(g, errors="coerce")
                if (g_num.isna() & ~e.isna()).any():
                    return Verdict("wrong", f"列“{column}”里有不是数字（或是空）的值。")
                got_values, want_values = g_num.astype(float).to_numpy(), e.astype(float).to_numpy()
                close = np.isclose(got_values, want_values, rtol=self.rel_tol, equal_nan=True)
                if not close.all():
                    i = int(np.argmin(close))
                    swapped = _swapped_rows(got_values, want_values, close, self.rel_tol)
                    if swapped is not None:
                        a, b = swapped
                        names = (f"（{row_names[a]}、{row_names[b]}）" if row_names and max(a, b) < len(row_names)
                                 else "")
                        return Verdict("wrong", f"列“{column}”第 {a + 1} 行和第 {b + 1} 行{names}的值对调了："
                                                "数都对，但放反了行。检查每个数对应的是哪一行。")
                    where = f"（{row_names[i]}）" if row_names and i < len(row_names) else ""
                    direction = "偏大" if got_values[i] > want_values[i] else "偏小"
                    return Verdict("wrong", f"列“{column}”第 {i + 1} 行{where}不对：你的是 "
                                            f"{_shown_number(got_values[i])}，{direction}。")
            else:
                same = [str(a) == str(b) for a, b in zip(g, e)]
                if not all(same):
                    i = same.index(False)
                    return Verdict("wrong", f"列“{column}”第 {i + 1} 行不对：你的是“{safe_repr(g.iloc[i], 30)}”。"
                                            "检查顺序或筛选条件。")
        return Verdict("correct", "正确！表格的内容与期望一致。")


# ---------------------------------------------------------------------------
# discussion: recorded, never judged
# ---------------------------------------------------------------------------

_HANZI = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")


class Discussion(Problem):
    """An open question.  The learner's text is recorded as done, never judged; ``solution()`` shows
    model-answer points for the learner and the teacher."""

    kind = "discussion"
    label = "讨论题"
    graded = "manual"
    done_statuses = ("recorded",)
    expected_form = "你的想法（一段文字，写在引号里）"

    def __init__(self, prompt: str, points: Iterable[str], **common):
        super().__init__(prompt, **common)
        points = [str(p) for p in points]
        if not points:
            raise ValueError("a Discussion needs model-answer points")
        if self._key is not None:
            self._key.points = points

    def _reference(self) -> str:
        return "；".join(self._key.points)

    def _answer_text(self) -> str:
        return "\n".join(f"· {p}" for p in self._key.points) if self._key else ""

    def answer_form(self) -> str:
        return "用几句话写下你的想法"

    def paper_lines(self) -> int:
        return 5

    #: a real attempt: this many Chinese characters, or this many words of two or more letters
    MIN_HANZI, MIN_WORDS = 4, 3

    def _parse(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise Invalid(f"请把你的想法写成文字（写在引号里），收到：{describe(answer)}。")
        hanzi = len(_HANZI.findall(answer))
        words = len(_WORD.findall(answer))
        if hanzi < self.MIN_HANZI and words < self.MIN_WORDS:
            raise Invalid("这还不算一个回答：请用几句话写下你的想法和理由"
                          f"（至少 {self.MIN_HANZI} 个汉字，或 {self.MIN_WORDS} 个词）。")
        return answer

    def _judge(self, answer: Any) -> Verdict:
        self._parse(answer)
        return Verdict("recorded", f"已记录你的想法。讨论题没有唯一答案；运行 ex.{self.name or 'qN'}.solution() "
                                   "可以看参考要点，和你的想法对照。")

    def _solution_body(self) -> str:
        text = "参考要点：\n" + "\n".join(f"· {p}" for p in self._key.points)
        return text + (f"\n{self._key.solution}" if self._key.solution else "")
