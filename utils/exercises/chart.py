"""Chart exercises: check what the learner's chart *says* — type, categories, values, units, title.

The learner draws with seaborn (or pandas ``.plot`` / matplotlib) and runs ``ex.q5.check()`` in the
same cell (the current figure is read) or ``ex.q5.check(ax)``.  We read the data behind the
artists — bar geometry from the bar containers, ``Line2D`` data, scatter offsets — and the tick
labels, never how many artists there are.  Values may be drawn in base units or in 万/亿 when the
value axis label says so; categories in any order; bars vertical or horizontal.
"""
from __future__ import annotations

import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from ..quantities import format_cn, scale_of
from .core import Invalid, Problem, Verdict, describe

KIND_NAMES = {"bar": "柱状图（条形图）", "line": "折线图", "points": "散点图"}
#: kinds we recognise only to say what was drawn instead
_OTHER_KINDS = {"pie": "饼图"}
_ITEM = {"bar": "一根柱子", "line": "一个点", "points": "一个点"}
_SCALES = (("亿", 1e8), ("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("千", 1e3))


_SPACE = re.compile(r"\s+")
_WHOLE_FLOAT = re.compile(r"^(-?\d+)\.0+$")


def _norm(label: Any) -> str:
    if isinstance(label, float) and math.isfinite(label) and label == int(label):
        label = int(label)
    text = unicodedata.normalize("NFKC", str(label)).replace("\u2212", "-")
    text = _SPACE.sub("", text).lower()
    return _WHOLE_FLOAT.sub(r"\1", text)  # "2016.0" (a float index) names 2016


def _num_label(x: float) -> str:
    if math.isfinite(x) and abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:g}"


def scale_in_label(label: str) -> tuple[str, float]:
    """The scale word a value-axis label states ("人数（万人）" → ("万", 1e4)), or ("", 1)."""
    text = unicodedata.normalize("NFKC", label or "")
    inside = re.findall(r"[(（\[【]([^)）\]】]*)[)）\]】]", text)
    for part in (inside or [text]):
        for word, factor in _SCALES:
            if word in part:
                return word, factor
    return "", 1.0


def names_unit(label: str, unit: str) -> bool:
    """Does an axis label state the unit ("人数（万人）", "万人", "比例（%）")?"""
    text = unicodedata.normalize("NFKC", label or "").strip()
    if not text or not unit:
        return bool(text) or not unit
    if unit == "%":
        return "%" in text or "百分比" in text
    inside = re.findall(r"[(（\[【]([^)）\]】]*)[)）\]】]", text)
    if any(unit in part for part in inside):
        return True
    if text.endswith(unit) or re.search(r"[/／]\s*\S*" + re.escape(unit) + r"\s*$", text):
        return True
    return "单位" in text and unit in text.split("单位", 1)[1]


@dataclass
class Drawn:
    """What one Axes shows, read from its data."""

    kind: str                                     # bar / line / points
    orientation: str = "v"                        # v: values on the y axis; h: on the x axis
    points: list = field(default_factory=list)    # [(label candidates tuple, value)]
    value_label: str = ""
    category_label: str = ""
    title: str = ""
    series: int = 1                               # lines / point groups found

    @property
    def value_axis(self) -> str:
        return "纵轴" if self.orientation == "v" else "横轴"

    def values(self) -> dict:
        """{label: value as drawn} (first label candidate) — for ``Mistake(when=…)`` predicates."""
        return {cands[0] if cands else "": v for cands, v in self.points}

    MAX_POINTS = 5000

    def to_dict(self) -> dict:
        """Plain JSON data (the attempt record stores it; :meth:`from_dict` reads it back)."""
        return {"kind": self.kind, "orientation": self.orientation,
                "points": [[[str(c)[:100] for c in cands[:5]], float(v)] for cands, v in self.points[:self.MAX_POINTS]
                           if math.isfinite(float(v))],
                "value_label": str(self.value_label)[:200], "category_label": str(self.category_label)[:200],
                "title": str(self.title)[:200], "series": int(self.series)}

    @classmethod
    def from_dict(cls, data: dict) -> "Drawn":
        """A reading from stored data; :class:`Invalid` when it is not one."""
        try:
            kind, orientation = str(data["kind"]), str(data.get("orientation", "v"))
            if kind not in (*KIND_NAMES, *_OTHER_KINDS) or orientation not in ("v", "h"):
                raise ValueError
            raw = data.get("points") or []
            if not isinstance(raw, list) or len(raw) > cls.MAX_POINTS:
                raise ValueError
            points = []
            for cands, value in raw:
                if not isinstance(cands, list) or len(cands) > 5 or isinstance(value, bool):
                    raise ValueError
                points.append((tuple(str(c)[:100] for c in cands), float(value)))
            series = data.get("series", 1)
            if isinstance(series, bool) or not isinstance(series, int):
                raise ValueError
            return cls(kind, orientation, points, value_label=str(data.get("value_label") or "")[:200],
                       category_label=str(data.get("category_label") or "")[:200],
                       title=str(data.get("title") or "")[:200], series=series)
        except (KeyError, TypeError, ValueError):
            raise Invalid("记录里的图读数不完整，无法重新判定。") from None

    def summary(self, limit: int = 300) -> str:
        pairs = "；".join(f"{c[0] if c else '?'}={v:g}" for c, v in self.points[:12])
        text = f"{self.kind}: {pairs} | 值轴={self.value_label} | 标题={self.title}"
        return text[:limit]


# ---------------------------------------------------------------------------
# reading axes
# ---------------------------------------------------------------------------

def _axes_of(answer: Any, name: str) -> list:
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase

    call = f"ex.{name or 'qN'}.check"
    if answer is None:
        import matplotlib.pyplot as plt

        if not plt.get_fignums():
            raise Invalid(f"还没有画图：先用 seaborn 画出图（例如 sns.barplot(...)），在同一个单元格里再运行 {call}()。")
        return list(plt.gcf().axes)
    if isinstance(answer, Axes):
        return [answer]
    if isinstance(answer, FigureBase):
        return list(answer.axes)
    if isinstance(answer, (list, tuple)) or type(answer).__name__ == "ndarray":
        try:
            items = list(answer.flat) if hasattr(answer, "flat") else list(answer)
        except Exception:  # noqa: BLE001
            items = []
        axes = [a for a in items if isinstance(a, Axes)]
        if axes and len(axes) == len(items):
            return axes
    figure = getattr(answer, "figure", None) if not isinstance(answer, (str, bytes, int, float)) else None
    if isinstance(figure, FigureBase):  # seaborn FacetGrid / JointGrid, pandas objects holding a figure
        return list(figure.axes)
    raise Invalid(f"这里检查的是你画的图：画完后在同一个单元格里运行 {call}()，或把坐标轴传进来："
                  f"{call}(ax)。收到：{describe(answer)}。")


def _tick_names(axis) -> "_Ticks":
    """The ticks of an axis (position → label texts), read without drawing the figure."""
    try:
        locs = list(axis.get_majorticklocs())
    except Exception:  # noqa: BLE001
        return _Ticks([])
    names: list[list[str]] = [[] for _ in locs]
    try:
        for i, text in enumerate(axis.get_major_formatter().format_ticks(locs)):
            if text:
                names[i].append(str(text))
    except Exception:  # noqa: BLE001
        pass
    if any(names) and len(locs) > 100:
        return _Ticks(zip(locs, names))  # the formatter named them; making 1,000s of Tick objects costs seconds
    try:
        labels = [t.get_text() for t in axis.get_ticklabels()]
        if len(labels) == len(locs):
            for i, text in enumerate(labels):
                if text and text not in names[i]:
                    names[i].append(text)
    except Exception:  # noqa: BLE001
        pass
    return _Ticks(zip(locs, names))


class _Ticks:
    """Tick positions sorted once, so finding the tick nearest a bar is a binary search (charts with
    thousands of bars are checked in linear-logarithmic time)."""

    def __init__(self, ticks):
        pairs = sorted(((float(loc), names) for loc, names in ticks if math.isfinite(float(loc))),
                       key=lambda p: p[0])
        self.locs = [loc for loc, _ in pairs]
        self.names = [names for _, names in pairs]

    def near(self, x: float, tol: float):
        import bisect

        i = bisect.bisect_left(self.locs, x)
        best, best_d = None, None
        for k in (i - 1, i):
            if 0 <= k < len(self.locs):
                d = abs(self.locs[k] - x)
                if d <= tol and (best_d is None or d < best_d):
                    best, best_d = self.names[k], d
        return best


def _names_at(ticks, x: float, tol: float) -> tuple:
    if not isinstance(ticks, _Ticks):
        ticks = _Ticks(ticks)
    out = list(ticks.near(x, tol) or [])
    out.append(_num_label(x))
    return tuple(out)


def _bars(ax) -> Drawn | None:
    from matplotlib.container import BarContainer
    from matplotlib.patches import Rectangle

    rects = []
    for container in ax.containers:
        if isinstance(container, BarContainer):
            orientation = "h" if getattr(container, "orientation", None) == "horizontal" else "v"
            rects.extend((p, orientation) for p in container.patches)
    if not rects:  # bars drawn as bare patches
        for p in ax.patches:
            if isinstance(p, Rectangle):
                rects.append((p, None))
    if not rects:
        return None
    guessed = None
    if any(o is None for _, o in rects):
        widths = {round(p.get_width(), 9) for p, _ in rects}
        heights = {round(p.get_height(), 9) for p, _ in rects}
        guessed = "h" if len(heights) == 1 and len(widths) > 1 else "v"
    orientation = rects[0][1] or guessed
    points = []
    ticks = _tick_names(ax.yaxis if orientation == "h" else ax.xaxis)
    for p, _ in rects:
        x, y, w, h = p.get_x(), p.get_y(), p.get_width(), p.get_height()
        if not all(map(math.isfinite, (x, y, w, h))):
            continue
        if orientation == "h":
            if h == 0:
                continue
            value, centre, size = w + (x if x != 0 else 0), y + h / 2, abs(h)
        else:
            if w == 0:
                continue
            value, centre, size = h + (y if y != 0 else 0), x + w / 2, abs(w)
        points.append((_names_at(ticks, centre, max(size / 2, 1e-9)), float(value)))
    if not points:
        return None
    return Drawn("bar", orientation, points)


def _lines(ax) -> Drawn | None:
    import numpy as np

    found = []
    for line in ax.lines:
        if line.get_transform() is not ax.transData and line.get_transform() != ax.transData:
            continue
        try:
            x = np.asarray(line.get_xdata(orig=False), dtype=float)
            y = np.asarray(line.get_ydata(orig=False), dtype=float)
        except (TypeError, ValueError):
            continue
        keep = np.isfinite(x) & np.isfinite(y)
        if keep.sum() >= 1:
            found.append((x[keep], y[keep]))
    if not found:
        return None
    ticks = _tick_names(ax.xaxis)
    x, y = found[0] if len(found) == 1 else (np.concatenate([f[0] for f in found]),
                                             np.concatenate([f[1] for f in found]))
    points = [(_names_at(ticks, float(a), 1e-6 * max(1.0, abs(float(a)))), float(b)) for a, b in zip(x, y)]
    return Drawn("line", "v", points, series=len(found))


def _scatter(ax) -> Drawn | None:
    import numpy as np
    from matplotlib.collections import PathCollection

    groups = []
    for coll in ax.collections:
        if not isinstance(coll, PathCollection):
            continue
        if coll.get_offset_transform() is not ax.transData and coll.get_offset_transform() != ax.transData:
            continue
        try:
            offsets = np.asarray(coll.get_offsets(), dtype=float)
        except (TypeError, ValueError):
            continue
        if offsets.ndim != 2 or offsets.shape[1] != 2:
            continue
        offsets = offsets[np.isfinite(offsets).all(axis=1)]
        if len(offsets):
            groups.append(offsets)
    if not groups:
        return None
    ticks = _tick_names(ax.xaxis)
    offsets = np.concatenate(groups)
    points = [(_names_at(ticks, float(a), 1e-6 * max(1.0, abs(float(a)))), float(b)) for a, b in offsets]
    return Drawn("points", "v", points, series=len(groups))


def _pie(ax) -> Drawn | None:
    from matplotlib.patches import Wedge

    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    return Drawn("pie", "v", [(("",), float(w.theta2 - w.theta1)) for w in wedges]) if wedges else None


def _title_of(ax) -> str:
    for loc in ("center", "left", "right"):
        try:
            text = ax.get_title(loc=loc)
        except Exception:  # noqa: BLE001
            text = ""
        if text.strip():
            return text.strip()
    fig = ax.figure
    suptitle = getattr(fig, "_suptitle", None)
    return suptitle.get_text().strip() if suptitle is not None else ""


def read_axes(ax) -> dict[str, Drawn]:
    """{kind: Drawn} for every kind of data an Axes shows."""
    out = {}
    for reader in (_pie, _bars, _lines, _scatter):
        drawn = reader(ax)
        if drawn is not None:
            drawn.title = _title_of(ax)
            value_axis, category_axis = (ax.xaxis, ax.yaxis) if drawn.orientation == "h" else (ax.yaxis, ax.xaxis)
            drawn.value_label = value_axis.get_label_text() or ""
            drawn.category_label = category_axis.get_label_text() or ""
            out[drawn.kind] = drawn
    return out


# ---------------------------------------------------------------------------
# the problem kind
# ---------------------------------------------------------------------------

class Chart(Problem):
    """A chart the learner draws; checked by what it shows.

    ``expected``: a function returning a DataFrame with columns ``label`` and ``value`` (or its first
    two columns; or a Series label → value), values in base units.  ``kind``: ``"bar"``, ``"line"``
    or ``"points"``.  ``unit``: the base unit ("人"); the value-axis label must name it, with a scale
    word when the values are drawn in 万/亿.  ``value_name``/``chart_title``: used for the reference
    chart ``solution()`` draws.
    """

    kind = "chart"
    label = "作图题"
    public_fields = ("chart_kind", "unit", "require_title", "require_unit_label", "rel_tol", "value_name",
                     "chart_title")
    takes_no_answer = True

    def __init__(self, prompt: str, expected: Callable[[], Any], *, kind: str = "bar", unit: str = "人",
                 require_title: bool = True, require_unit_label: bool = True, rel_tol: float = 0.01,
                 value_name: str = "", chart_title: str = "", **common):
        if kind not in KIND_NAMES:
            raise ValueError(f"Chart kind must be one of {sorted(KIND_NAMES)}")
        if not callable(expected):
            raise TypeError("Chart(expected=…) must be a function returning a DataFrame[label, value]")
        super().__init__(prompt, **common)
        self.chart_kind = kind
        self.unit = unit
        self.require_title = require_title
        self.require_unit_label = require_unit_label
        self.rel_tol = rel_tol
        self.value_name = value_name
        self.chart_title = chart_title
        self.expected_form = f"一张{KIND_NAMES[kind]}（画完后运行 check()，或 check(ax)）"
        if self._key is not None:
            self._key.expected = expected
            self._key.frame = None

    # the reference --------------------------------------------------------
    def _rows(self) -> list[tuple[str, str, float]]:
        """[(label as shown, normalised label, value in base units)]"""
        if self._key.frame is None:
            import pandas as pd

            data = self._key.expected()
            if isinstance(data, pd.Series):
                pairs = list(data.items())
            else:
                if {"label", "value"} <= set(data.columns):
                    data = data[["label", "value"]]
                pairs = list(data.iloc[:, :2].itertuples(index=False, name=None))
            rows = []
            for label, value in pairs:
                shown = _num_label(label) if isinstance(label, (int, float)) and not isinstance(label, bool) else str(label)
                rows.append((shown, _norm(shown), float(value)))
            self._key.frame = rows
        return self._key.frame

    def _reference(self):
        return self._key.expected()

    def _answer_text(self) -> str:
        if not self._key:
            return ""
        return "；".join(f"{shown} {format_cn(v, self.unit)}" for shown, _, v in self._rows())

    def answer_form(self) -> str:
        return f"画一张{KIND_NAMES[self.chart_kind]}：标题、坐标轴标签（写明单位）、每个类别的数值"

    def paper_lines(self) -> int:
        return 8

    def _scale(self) -> tuple[str, float]:
        values = [abs(v) for _, _, v in self._rows()] or [0.0]
        return scale_of(max(values), self.unit)

    def reference_figure(self):
        """The reference chart (a matplotlib Figure not registered with pyplot)."""
        from matplotlib.figure import Figure

        rows = self._rows()
        word, div = self._scale()
        labels = [shown for shown, _, _ in rows]
        values = [v / div for _, _, v in rows]
        fig = Figure(figsize=(6.4, max(2.6, 0.45 * len(rows) + 1.4)), layout="constrained")
        ax = fig.subplots()
        name = self.value_name or "数值"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.chart_kind == "bar":
                import seaborn as sns

                sns.barplot(x=values, y=labels, orient="h", color="#4c72b0", ax=ax)
                ax.set_xlabel(f"{name}（{word}{self.unit}）")
                ax.set_ylabel("")
            else:
                numeric = all(re.fullmatch(r"-?\d+(\.\d+)?", s) for s in labels)
                xs = [float(s) for s in labels] if numeric else labels
                if self.chart_kind == "line":
                    ax.plot(xs, values, marker="o", color="#4c72b0")
                else:
                    ax.scatter(xs, values, color="#4c72b0")
                ax.set_ylabel(f"{name}（{word}{self.unit}）")
            ax.set_title(self.chart_title or self.topic or "参考图")
        return fig

    # reading the learner's chart -------------------------------------------
    def _read(self, answer: Any) -> Drawn:
        if isinstance(answer, Drawn):
            return answer
        axes = _axes_of(answer, self.name)
        call = f"ex.{self.name or 'qN'}.check"
        if not axes:
            raise Invalid("图上还没有坐标轴：先用 seaborn 画出图（例如 sns.barplot(...)），再运行 check()。")
        readings = [(ax, read_axes(ax)) for ax in axes if not hasattr(ax, "_colorbar")]
        with_data = [(ax, r) for ax, r in readings if r]
        if not with_data:
            raise Invalid(f"图上还没有数据：先画出图（例如 sns.barplot(...)），在同一个单元格里再运行 {call}()。")
        if len(with_data) > 1:
            fitting = [(ax, r) for ax, r in with_data if self.chart_kind in r]
            if len(fitting) != 1:
                raise Invalid(f"图里有 {len(with_data)} 个子图都画了数据；请把要检查的那个传进来，例如 {call}(ax)。")
            with_data = fitting
        found = with_data[0][1]
        return found.get(self.chart_kind) or next(iter(found.values()))

    def _parse(self, answer: Any):
        return self._read(answer)

    def stored_answer(self, answer: Any) -> Any:
        """What the checker read from the Axes: ``{"drawn": {...}}`` (or the form problem as text)."""
        from .core import is_blank, learner_safe

        if is_blank(answer):
            return "____"
        try:
            drawn = self._read(answer)
        except Invalid as exc:
            return {"unreadable": str(exc)[:300]}
        return learner_safe(lambda: {"drawn": drawn.to_dict()}, {"unreadable": "图无法读取"})

    def restore(self, stored: Any) -> Any:
        if stored == "____":
            return stored
        if isinstance(stored, dict) and isinstance(stored.get("drawn"), dict):
            return Drawn.from_dict(stored["drawn"])
        if isinstance(stored, dict) and "unreadable" in stored:
            raise Invalid(str(stored["unreadable"])[:300])
        raise Invalid("记录的答案不是一张图的读数，无法重新判定。")

    # judging -----------------------------------------------------------------
    def _judge(self, answer: Any) -> Verdict:
        drawn = self._read(answer)
        if drawn.kind != self.chart_kind:
            drawn_name = KIND_NAMES.get(drawn.kind) or _OTHER_KINDS.get(drawn.kind, drawn.kind)
            return Verdict("wrong", f"图的类型不对：这一题要画{KIND_NAMES[self.chart_kind]}，你画的是"
                                    f"{drawn_name}。", mistake="chart-type")
        diagnosis = self._diagnose(drawn)
        if diagnosis is not None:
            return diagnosis
        rows = self._rows()
        item = _ITEM[self.chart_kind]
        if self.chart_kind == "line" and drawn.series > 1:
            return Verdict("wrong", f"图里有 {drawn.series} 条线；这一题只要一条线。")
        wanted = {norm: (shown, value) for shown, norm, value in rows}
        matched: dict[str, list[float]] = {}
        extra = []
        for candidates, value in drawn.points:
            key = next((_norm(c) for c in candidates if _norm(c) in wanted), None)
            if key is None:
                extra.append(candidates[0] if candidates else "?")
            else:
                matched.setdefault(key, []).append(value)
        if not matched:
            want = "”“".join(shown for shown, _, _ in rows[:6])
            got = "”“".join(dict.fromkeys(extra[:6]))
            return Verdict("wrong", f"图上的类别和题目对不上：题目要的是“{want}”等，图上是“{got}”。"
                                    "检查 x= 和 y= 用的列对不对。", mistake="chart-missing-category")
        for shown, norm, _ in rows:
            if norm not in matched:
                return Verdict("wrong", f"少了{item}：缺“{shown}”。", mistake="chart-missing-category")
        if extra:
            return Verdict("wrong", f"多了{item}：“{extra[0]}”不是题目要求的类别。",
                           mistake="chart-extra-category")
        for shown, norm, _ in rows:
            if len(matched[norm]) > 1:
                return Verdict("wrong", f"“{shown}”画了不止一次（{len(matched[norm])} 处），每个类别只画一次。")
        verdict = self._check_values(drawn, rows, matched)
        if verdict is not None:
            return verdict
        if self.require_title and not drawn.title:
            return Verdict("wrong", "图还没有标题：用 ax.set_title(\"…\")（或 plt.title）加一个标题，说明这张图画的是什么。",
                           mistake="chart-label")
        if self.require_unit_label and not names_unit(drawn.value_label, self.unit):
            word, _ = scale_in_label(drawn.value_label)
            example = f"{self.value_name or '人数'}（{word}{self.unit}）"
            now = f"现在写的是“{drawn.value_label}”" if drawn.value_label else "现在没有标签"
            return Verdict("wrong", f"{drawn.value_axis}的标签要写明单位，例如“{example}”；{now}。",
                           mistake="chart-label")
        return Verdict("correct", "正确！图的类型、类别、数值、单位和标题都对。")

    def _check_values(self, drawn: Drawn, rows, matched) -> Verdict | None:
        word, stated = scale_in_label(drawn.value_label)
        got = {norm: matched[norm][0] for _, norm, _ in rows}

        def fits(factor: float) -> bool:
            return all(math.isclose(got[norm] * factor, value, rel_tol=self.rel_tol, abs_tol=1e-9)
                       for _, norm, value in rows)

        if fits(stated):
            return None
        options = [("", 1.0)] + list(_SCALES)
        for real_word, factor in options:
            if factor != stated and fits(factor):
                axis = drawn.value_axis
                if factor == 1.0:
                    message = (f"{axis}标签写的是“{word}{self.unit}”，但画的数是以“{self.unit}”为单位。"
                               f"把数除以{'一万' if word == '万' else '一亿' if word == '亿' else word}再画，"
                               "或者改标签。")
                elif stated == 1.0:
                    message = (f"画的数是以“{real_word}{self.unit}”为单位的，但{axis}标签没有写“{real_word}”："
                               f"在标签里注明，例如“{self.value_name or '人数'}（{real_word}{self.unit}）”。")
                else:
                    message = f"{axis}标签写的是“{word}{self.unit}”，但画的数是以“{real_word}{self.unit}”为单位。"
                return Verdict("wrong", message, mistake="unit-scale")
        off = [(shown, norm, value) for shown, norm, value in rows
               if not math.isclose(got[norm] * stated, value, rel_tol=self.rel_tol, abs_tol=1e-9)]
        if len(off) == 2:
            (a, na, va), (b, nb, vb) = off
            if (math.isclose(got[na] * stated, vb, rel_tol=self.rel_tol, abs_tol=1e-9)
                    and math.isclose(got[nb] * stated, va, rel_tol=self.rel_tol, abs_tol=1e-9)):
                return Verdict("wrong", f"“{a}”和“{b}”的数值对调了：两个数都对，但画反了位置。"
                                        "检查每个类别对应的是哪个数。")
        for shown, norm, value in rows:
            drawn_value = got[norm] * stated
            if not math.isclose(drawn_value, value, rel_tol=self.rel_tol, abs_tol=1e-9):
                direction = "偏大" if drawn_value > value else "偏小"
                reading = f"（按标签的单位读作 {format_cn(drawn_value, self.unit)}）" if stated != 1.0 else ""
                return Verdict("wrong", f"“{shown}”的数值不对：图上是 {got[norm]:g}{reading}，{direction}。"
                                        "检查画图用的是哪一列、数据有没有筛对。")
        return None  # pragma: no cover - fits(stated) failed, so some row differs

    # solution ------------------------------------------------------------------
    def _show_solution_extra(self) -> None:
        from . import views

        try:
            fig = self.reference_figure()
        except Exception:  # noqa: BLE001 - the text solution was shown already
            return
        views.show_figure(fig, views.marks.meta(views.marks.SOLUTION, exercise=self.name))
