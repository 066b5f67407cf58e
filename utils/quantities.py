"""Chinese number formatting and the statistics-reading helpers.

Everything here is pure Python (no pandas/matplotlib) so it is cheap to import
and easy to test.  Values are in *base units* (people, yuan, percent), as in
``data/report_figures.csv``.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

WAN = 10_000
YI = 100_000_000

#: Scale words a learner may type, with their multiplier.
SCALE_WORDS = {
    "亿": YI,
    "千万": 10_000_000,
    "百万": 1_000_000,
    "万": WAN,
    "千": 1_000,
    "百": 100,
}

#: Qualifier codes used in the data, with the Chinese words and symbols shown to learners.
QUALIFIER_WORDS = {
    "exact": ("", ""),
    "at_least": ("超过", "≥"),
    "approx": ("约", "≈"),
    "at_most": ("以内", "≤"),
    "range": ("", ""),
}

#: Units that are never scaled to 万/亿.
_UNSCALED_UNITS = {"%", "百分点", "倍", "学时", "天", "月", "年", "期", "种", "项"}


def _plain(x: float, digits: int) -> str:
    """Format ``x`` with at most ``digits`` decimals and no trailing zeros."""
    if digits <= 0:
        text = f"{round(x):d}"
    else:
        text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def scale_of(value: float, unit: str = "") -> tuple[str, int]:
    """The scale word and divisor that ``format_cn`` would use for ``value``."""
    if unit in _UNSCALED_UNITS or not math.isfinite(value):
        return "", 1
    size = abs(value)
    if size >= YI:
        return "亿", YI
    if size >= WAN:
        return "万", WAN
    return "", 1


def format_cn(
    value: float,
    unit: str = "",
    *,
    qualifier: str = "exact",
    value_high: float | None = None,
    digits: int = 2,
    style: str = "words",
) -> str:
    """Format a number the way a Chinese report writes it.

    >>> format_cn(255000)
    '25.5万'
    >>> format_cn(8e10, "元", qualifier="at_least")
    '超过800亿元'
    >>> format_cn(56, "百分点")
    '56个百分点'
    >>> format_cn(3e6, "人", qualifier="at_least", style="symbols")
    '≥300万人'

    ``style="words"`` uses 超过/约/以内, ``style="symbols"`` uses ≥/≈/≤,
    ``style="plain"`` drops the qualifier.  Ranges (``value_high``) print as
    ``2–3户``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = float(value)
    word, div = scale_of(value if value_high is None else max(abs(value), abs(value_high)), unit)
    if unit == "%":
        body = f"{_plain(value, digits)}%"
    elif unit == "百分点":
        body = f"{_plain(value, digits)}个百分点"
    else:
        body = f"{_plain(value / div, digits)}{word}"
        if value_high is not None and not (isinstance(value_high, float) and math.isnan(value_high)):
            body = f"{_plain(value / div, digits)}–{_plain(float(value_high) / div, digits)}{word}"
        body += unit
    if unit == "%" and value_high is not None and not (isinstance(value_high, float) and math.isnan(value_high)):
        body = f"{_plain(value, digits)}–{_plain(float(value_high), digits)}%"
    if style == "plain" or qualifier in ("exact", "range", None, ""):
        return body
    words, symbol = QUALIFIER_WORDS.get(qualifier, ("", ""))
    if qualifier == "at_least" and value < 0:  # a fall of at least |value|: "降低30%以上"
        magnitude = format_cn(-value, unit, digits=digits, style="plain")
        return f"≤{body}" if style == "symbols" else f"下降超过{magnitude}"
    if style == "symbols":
        return f"{symbol}{body}"
    if qualifier == "at_most":
        return f"{body}{words}"
    return f"{words}{body}"


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
_NUMBER_RE = re.compile(
    r"^(?P<sign>[-+−]?)(?P<num>\d+(?:\.\d+)?|\.\d+)"
    r"(?:(?P<points>个?百分点)|(?P<scale>亿|千万|百万|万|千|百)?(?P<unit>[\u4e00-\u9fff%/]*))$"
)
_PERCENT_PREFIX_RE = re.compile(r"^(?P<sign>[-+−]?)百分之(?P<num>\d+(?:\.\d+)?|\.\d+)$")


def parse_quantity(text: str) -> tuple[float, str]:
    """Parse a number a learner typed and return ``(value in base units, unit word)``.

    >>> parse_quantity("12万元")
    (120000.0, '元')
    >>> parse_quantity("8.8个百分点"), parse_quantity("8.8百分点"), parse_quantity("百分之8.8")
    ((8.8, '百分点'), (8.8, '百分点'), (8.8, '%'))

    The unit word is what follows the number and its scale word (``"人次"``, ``"%"``,
    ``"百分点"``), or ``""``.  A leading ``"个"`` of a unit is dropped (``"个百分点"`` → ``"百分点"``).
    Raises ``ValueError`` with a Chinese message when the text is not a number.
    Never evaluates the text as code.
    """
    if not isinstance(text, str):
        raise ValueError("只能解析文字形式的数字")
    cleaned = unicodedata.normalize("NFKC", text).translate(_FULLWIDTH)
    cleaned = cleaned.replace(",", "").replace(" ", "").replace("\u3000", "")
    for word in ("多", "近", "约", "超过", "以上", "以内", "左右"):
        cleaned = cleaned.replace(word, "")
    percent = _PERCENT_PREFIX_RE.match(cleaned)
    if percent:
        number, scale, unit, sign = percent.group("num"), 1, "%", percent.group("sign")
    else:
        match = _NUMBER_RE.match(cleaned)
        if not match or len(match.group("unit") or "") > 6:
            raise ValueError(f"“{text}”不是一个能识别的数字（例：25.5万、800亿、68.3）")
        number, sign = match.group("num"), match.group("sign")
        if match.group("points"):
            scale, unit = 1, "百分点"
        else:
            scale = SCALE_WORDS.get(match.group("scale") or "", 1)
            unit = match.group("unit") or ""
            if match.group("scale") == "百" and unit.startswith("分"):  # "百分点…" with extra words
                raise ValueError(f"“{text}”不是一个能识别的数字（例：8.8个百分点、百分之8.8、2.5万）")
            if unit.startswith("个") and len(unit) > 1:
                unit = unit[1:]
    try:
        value = float(Decimal(number) * scale)
    except InvalidOperation as exc:  # pragma: no cover - regex already guards this
        raise ValueError(f"“{text}”不是一个能识别的数字") from exc
    return (-value if sign in ("-", "−") else value), unit


def parse_cn(text: str) -> float:
    """Parse a number a learner typed: ``"25.5万"``, ``"800亿元"``, ``"１，２００"``, ``"68.3%"``.

    Returns the value in base units (``"25.5万"`` → 255000.0; ``"68.3%"`` → 68.3;
    ``"8.8百分点"`` and ``"百分之8.8"`` → 8.8).
    Raises ``ValueError`` with a Chinese message when the text is not a number.
    Never evaluates the text as code.
    """
    return parse_quantity(text)[0]


def to_wan(value: float) -> float:
    """Base units → 万 (``255000`` → ``25.5``)."""
    return value / WAN


def to_yi(value: float) -> float:
    """Base units → 亿 (``8e10`` → ``800``)."""
    return value / YI


def from_wan(value: float) -> float:
    """万 → base units."""
    return value * WAN


def from_yi(value: float) -> float:
    """亿 → base units."""
    return value * YI


# ---------------------------------------------------------------------------
# The statistics traps
# ---------------------------------------------------------------------------

def pct_change(old: float, new: float) -> float:
    """Relative change in percent: (new − old) ÷ old × 100."""
    if old == 0:
        raise ZeroDivisionError("基期数值为 0，无法计算增长率")
    return (new - old) / old * 100


def points_change(old_pct: float, new_pct: float) -> float:
    """Change between two percentages in percentage points: new − old."""
    return new_pct - old_pct


def base_from_pct_change(new: float, change_pct: float) -> float:
    """The base-year level implied by "较基年增长 change_pct%": new ÷ (1 + change_pct/100)."""
    return new / (1 + change_pct / 100)


def base_from_points(new_pct: float, change_points: float) -> float:
    """The base-year percentage implied by "提升 change_points 个百分点": new − points."""
    return new_pct - change_points


@dataclass(frozen=True)
class MultipleReadings:
    """Both readings of "增长N倍" for a latest value.

    ``strict``: the statistical convention — 增长N倍 means new = (N + 1) × base.
    ``loose``: the everyday reading — the new value is N times the base ("增长到N倍").
    """

    n: float
    strict_factor: float
    loose_factor: float
    strict_base: float | None
    loose_base: float | None

    def describe(self, unit: str = "") -> str:
        lines = [
            f"严格读法（统计口径）：增长{_plain(self.n, 2)}倍 = 现值是基期的 {_plain(self.strict_factor, 2)} 倍",
            f"口语读法：“增长到{_plain(self.n, 2)}倍” = 现值是基期的 {_plain(self.loose_factor, 2)} 倍",
        ]
        if self.strict_base is not None:
            lines[0] += f"，隐含基期 ≈ {format_cn(self.strict_base, unit)}（推算）"
            lines[1] += f"，隐含基期 ≈ {format_cn(self.loose_base, unit)}（推算）"
        return "\n".join(lines)


def multiple_readings(n: float, latest: float | None = None) -> MultipleReadings:
    """Read "增长N倍" both ways and, given the latest value, the implied base each way.

    >>> r = multiple_readings(2, latest=60e8)
    >>> r.strict_base, r.loose_base
    (2000000000.0, 3000000000.0)
    """
    strict, loose = n + 1, n
    return MultipleReadings(
        n=n,
        strict_factor=strict,
        loose_factor=loose,
        strict_base=None if latest is None else latest / strict,
        loose_base=None if latest is None or loose == 0 else latest / loose,
    )


def duo_bounds(value: float, unit: str = "") -> tuple[float, float]:
    """The interval a figure written "N多" allows: "300多万" → [300万, 400万).

    The step is the place of the last non-zero digit of the number as the report
    writes it in 万/亿 (300万 → step 100万; 120亿 → step 10亿; 960万 → step 10万).
    """
    word, div = scale_of(value, unit)
    mantissa = Decimal(str(value / div)).normalize()
    exponent = mantissa.as_tuple().exponent
    step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return float(mantissa * div), float((mantissa + step) * div)


def bounds(value: float, qualifier: str, *, quote: str = "", value_high: float | None = None,
           unit: str = "") -> tuple[float, float]:
    """Lower and upper bound that a qualified figure allows.

    exact → (v, v); range → (v, high); at_most → (0 or −∞, v);
    at_least → (v, +∞), or (v, next step) when the report wrote "多" (see ``duo_bounds``);
    approx → "近v" (close to v, not above it): (0, v] for a positive figure, as the report
    states no lower bound; "约v" (about v): (v, v), the caller explains the fuzziness.
    """
    if qualifier == "range" and value_high is not None:
        return float(value), float(value_high)
    if qualifier == "at_least":
        if value < 0:  # a signed fall "降低30%以上": the size of the fall is at least |v|
            return -math.inf, float(value)
        if "多" in quote:
            return duo_bounds(value, unit)
        return float(value), math.inf
    if qualifier == "at_most" or (qualifier == "approx" and "近" in quote):
        return (0.0 if value >= 0 else -math.inf), float(value)
    return float(value), float(value)
