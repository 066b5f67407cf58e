"""The chart layer: small seaborn-based functions, DataFrame in, matplotlib Axes out.

Every chart
- has a Chinese title and the unit on its value axis (scaled to 万/亿 when the numbers are large);
- carries a caption *inside the figure* (so it survives in PNGs, handouts and print) naming the
  report section and the source the report cites, or "报告未注明来源";
- shows qualifiers honestly: "300多万" is drawn as a solid bar to 300万 with a hatched
  extension to 400万 and labelled "≥300万"; "近200万" is labelled "近200万"; ranges show both ends;
  derived values (a ``derived`` column set to True) are drawn hollow/dashed and marked "推算";
- leaves global matplotlib/seaborn state unchanged (each chart runs in ``rc_context``).

DataFrames built with :func:`utils.figures` already carry the columns these functions use
(``label``, ``value``, ``value_high``, ``unit``, ``qualifier``, ``quote``, ``where``, ``source``).
"""
from __future__ import annotations

import math
import unicodedata
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from seaborn.utils import relative_luminance

from .data import NO_SOURCE
from .display import ReportFigure, alt_of
from .quantities import duo_bounds, format_cn, scale_of
from .style import PALETTE, chart_rc

CAPTION_COLOR = "#555555"
DERIVED_NOTE = "虚线/空心为根据报告数字推算的值"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

@contextmanager
def chart_context():
    """rc settings for one chart; restores the global state afterwards."""
    with mpl.rc_context(chart_rc()):
        yield


def caption(where: str | list[str] | None = None, source: str | list[str] | None = None,
            note: str | None = None) -> str:
    """Build a caption: "出处：… ｜ 来源：…（｜ 注：…）"."""
    def join(v):
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        seen = []
        for item in v:
            if item and item not in seen:
                seen.append(item)
        return "；".join(seen)

    parts = []
    if join(where):
        parts.append(f"出处：报告{join(where)}" if not join(where).startswith("报告") else f"出处：{join(where)}")
    parts.append(f"来源：{join(source) or NO_SOURCE}")
    if note:
        parts.append(f"注：{note}")
    return " ｜ ".join(parts)


_make_caption = caption  # for functions whose ``caption`` argument hides the builder


def caption_from(data: pd.DataFrame, note: str | None = None) -> str:
    """Caption built from a frame's ``where`` and ``source`` columns (as made by ``utils.figures``)."""
    where = list(data["where"]) if "where" in data else None
    source = list(data["source"]) if "source" in data else None
    if source is not None and all(s == NO_SOURCE for s in source):
        source = NO_SOURCE
    elif source is not None:
        cited = [s for s in source if s != NO_SOURCE]
        if len(cited) < len(source):
            cited.append("其余数字" + NO_SOURCE)
        source = cited
    if "derived" in data and bool(pd.Series(data["derived"]).fillna(False).astype(bool).any()):
        note = f"{note}；{DERIVED_NOTE}" if note else DERIVED_NOTE
    return caption(where, source, note)


#: Punctuation that must not start a line / must not end a line (Chinese line-breaking rules).
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…—·%‰,.;:?!)]}")
_NO_LINE_END = set("（《「『【〔“‘([{")
#: Caption font size (points) and the share of the figure width a caption line may use.
CAPTION_SIZE = 8.5
_CAPTION_X = 0.01


def _char_em(ch: str) -> float:
    """Width of ``ch`` in ems: CJK and other wide characters 1, the rest (Latin, digits) at most 0.6."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.6


def wrap_display(text: str, max_em: float) -> list[str]:
    """Wrap ``text`` so that no line is wider than ``max_em`` ems.

    Breaks between CJK characters or at spaces, never inside a Latin word or number, never
    before closing or after opening punctuation.  ``textwrap`` counts characters and breaks
    only at spaces, so Chinese lines came out twice as wide as intended.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, width = "", 0.0
        for ch in paragraph:
            w = _char_em(ch)
            if line and width + w > max_em:
                cut = _break_point(line)
                head, tail = (line[:cut], line[cut:]) if cut else (line, "")
                lines.append(head.rstrip())
                line = tail.lstrip()
                width = sum(_char_em(c) for c in line)
                if ch == " " and not line:
                    continue
            line += ch
            width += w
        lines.append(line.rstrip())
    return lines


def _break_point(line: str) -> int:
    """The last index at which ``line`` may be broken (0 when there is none)."""
    for i in range(len(line) - 1, 0, -1):
        before, after = line[i - 1], line[i]
        if after in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if before == " " or after == " " or _char_em(before) == 1.0 or _char_em(after) == 1.0:
            return i
    return 0


def add_caption(fig, text: str) -> None:
    """Write ``text`` under the axes of ``fig``, lay the axes out around it, fix the layout.

    The caption is wrapped to the figure's width (measured in ems, CJK-aware), so it never runs
    off the image.  Layout: one ``tight_layout`` pass for the axes' decorations, then the axes
    are lifted by the caption's height — the same subplot parameters that
    ``tight_layout(rect=(0, caption_height, 1, 1))`` computes with a second full measuring pass
    (checked by a unit test), at half the cost.
    """
    max_em = fig.get_figwidth() * 72 * (1 - 2 * _CAPTION_X) / CAPTION_SIZE
    lines = []
    for part in text.split(" ｜ ") if sum(map(_char_em, text)) > max_em else [text]:
        lines.extend(wrap_display(part, max_em) or [""])
    height_in = fig.get_figheight()
    needed = (0.22 * len(lines) + 0.15) / height_in
    fig.text(_CAPTION_X, 0.012, "\n".join(lines), ha="left", va="bottom", fontsize=CAPTION_SIZE,
             color=CAPTION_COLOR, linespacing=1.35)
    fig._report_caption = text  # noqa: SLF001 - read by tests and handouts
    lift_layout(fig, needed)
    # the layout is fixed now: without this, a layout engine stays on the figure and every
    # savefig would lay it out (and draw it) again
    fig.set_layout_engine(None)
    if "inline" in mpl.get_backend():
        # In a notebook, pyplot's post-execute hook draws every *stale* figure on the Agg canvas
        # just before the inline backend prints it — a full draw whose pixels nobody sees.  The
        # figure is complete here; if the caller changes it later it turns stale again.
        fig.stale = False


def lift_layout(fig, bottom: float) -> None:
    """``tight_layout`` the axes into the part of ``fig`` above ``bottom`` (a figure fraction)."""
    try:
        fig.tight_layout()
    except Exception:  # tight_layout can fail on exotic layouts; the caption is still there
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, bottom + 0.08))
        return
    sp = fig.subplotpars
    new = {"bottom": sp.bottom + bottom}
    if new["bottom"] >= sp.top:  # no room for the caption: keep tight_layout's result
        return
    rows = max((ax.get_subplotspec().get_gridspec().nrows for ax in fig.axes if ax.get_subplotspec()), default=1)
    if rows > 1:
        # keep the absolute gap between rows: tight_layout expresses it relative to the axes height
        height = (sp.top - sp.bottom) / (rows + sp.hspace * (rows - 1))
        gap = sp.hspace * height
        new_height = (sp.top - new["bottom"] - gap * (rows - 1)) / rows
        if new_height <= 0:
            fig.subplots_adjust(bottom=max(sp.bottom, bottom + 0.08))
            return
        new["hspace"] = gap / new_height
    fig.subplots_adjust(**new)


def _axis_scale(values, unit: str) -> tuple[str, int]:
    finite = [abs(float(v)) for v in values if v is not None and not pd.isna(v) and math.isfinite(float(v))]
    return scale_of(max(finite) if finite else 0.0, unit)


def axis_label(unit: str, word: str = "", name: str = "") -> str:
    """"人数（万人）", "比例（%）" …"""
    unit_text = f"{word}{unit}" if unit else (word or "")
    if unit == "百分点":
        unit_text = "个百分点"
    if not unit_text:
        return name
    return f"{name}（{unit_text}）" if name else f"单位：{unit_text}"


def value_label(value, unit: str = "", qualifier: str = "exact", quote: str = "", value_high=None,
                derived: bool = False) -> str:
    """The honest label of one value: "≥300万", "近200万", "2–3", "≈45.2%（推算）"."""
    if value is None or pd.isna(value):
        return "—"
    high = None if value_high is None or pd.isna(value_high) else float(value_high)
    if qualifier == "approx" and "近" in (quote or ""):
        text = "近" + format_cn(float(value), unit, value_high=high)
    else:
        text = format_cn(float(value), unit, qualifier=qualifier or "exact", value_high=high, style="symbols")
    return text + ("（推算）" if derived else "")


def _col(data: pd.DataFrame, name: str, default=None):
    return data[name] if name in data else pd.Series([default] * len(data), index=data.index)


def _new_axes(ax, figsize):
    if ax is not None:
        return ax.figure, ax, False
    fig, ax = plt.subplots(figsize=figsize, FigureClass=ReportFigure)
    return fig, ax, True


def _set_title(ax, text: str, **kwargs) -> None:
    """A left-aligned title just above the axes.

    ``y=1`` fixes the position: matplotlib otherwise re-measures every tick label of the
    y axis, on every layout and every draw, to see whether the title must move up — it never
    has to here (no ticks or offset text above the axes; values are scaled to 万/亿).
    """
    ax.set_title(text, loc="left", y=1.0, **kwargs)


def _finish(fig, ax, title, cap, own_fig):
    if title:
        _set_title(ax, title)
    if own_fig:
        add_caption(fig, cap)
    return ax


def _resolve_unit(data: pd.DataFrame, unit: str | None) -> str:
    if unit is not None:
        return unit
    if "unit" in data and data["unit"].nunique() == 1:
        return str(data["unit"].iloc[0])
    return ""


# ---------------------------------------------------------------------------
# 1. ranked horizontal bars
# ---------------------------------------------------------------------------

def ranked_bars(data: pd.DataFrame, value: str = "value", label: str = "label", *, title: str = "",
                unit: str | None = None, name: str = "", sort: bool = True, highlight=None,
                ax=None, figsize=(8, None), caption: str | None = None, note: str | None = None):
    """Horizontal bars, largest first, each labelled in 万/亿 with its qualifier.

    ``"多"`` figures get a hatched extension to the upper end the wording allows
    (300多万 → up to 400万); ranges get one to ``value_high``.
    """
    unit = _resolve_unit(data, unit)
    frame = data.copy()
    if sort:
        frame = frame.sort_values(value, ascending=False)
    frame = frame.reset_index(drop=True)
    word, div = _axis_scale(list(frame[value]) + list(_col(frame, "value_high").dropna()), unit)
    height = figsize[1] or max(2.6, 0.55 * len(frame) + 1.6)
    with chart_context():
        fig, ax, own = _new_axes(ax, (figsize[0], height))
        colors = sns.color_palette(PALETTE, n_colors=max(len(frame), 3))
        base = colors[0]
        bar_colors = [colors[1] if highlight is not None and lab in np.atleast_1d(highlight) else base
                      for lab in frame[label]]
        y = np.arange(len(frame))
        scaled = frame[value].astype(float) / div
        derived = _col(frame, "derived", False).fillna(False).astype(bool)
        for i, (v, c, d) in enumerate(zip(scaled, bar_colors, derived)):
            ax.barh(i, v, color="white" if d else c, edgecolor=c, linewidth=1.5,
                    linestyle="--" if d else "-", height=0.62)
        quotes, quals, highs = _col(frame, "quote", ""), _col(frame, "qualifier", "exact"), _col(frame, "value_high")
        ends = []
        for i, (v, q, quote, hi) in enumerate(zip(frame[value], quals, quotes, highs)):
            end = float(v)
            if q == "at_least" and "多" in str(quote):
                end = duo_bounds(float(v), unit)[1]
            elif q == "range" and hi is not None and not pd.isna(hi):
                end = float(hi)
            if end > float(v):
                ax.barh(i, (end - float(v)) / div, left=float(v) / div, color="none",
                        edgecolor=bar_colors[i], hatch="///", linewidth=0.8, height=0.62)
            elif q == "at_least":
                ax.plot(float(v) / div, i, marker=">", color=bar_colors[i], markersize=7)
            ends.append(end / div)
        span = max(ends + [0]) or 1
        units = _col(frame, "unit", unit)
        for i, row in frame.iterrows():
            text = value_label(row[value], units[i] or unit, quals[i], str(quotes[i]), highs[i], bool(derived[i]))
            marker_room = span * 0.02 if quals[i] == "at_least" and ends[i] * div == float(row[value]) else 0
            ax.text(ends[i] + span * 0.015 + marker_room, i, text, va="center", fontsize=10)
        ax.set_yticks(y, list(frame[label]))
        ax.invert_yaxis()
        ax.set_xlim(0, span * 1.25)
        ax.set_xlabel(axis_label(unit, word, name))
        ax.set_ylabel("")
        ax.grid(axis="y", visible=False)
        cap = caption or caption_from(frame, note)
        return _finish(fig, ax, title, cap, own)


# ---------------------------------------------------------------------------
# 2. before / after
# ---------------------------------------------------------------------------

def before_after(data: pd.DataFrame, label: str = "label", before: str = "before", after: str = "after", *,
                 before_name: str = "基期", after_name: str = "最新", title: str = "", unit: str | None = None,
                 name: str = "", ax=None, figsize=(8, None), caption: str | None = None,
                 note: str | None = None, before_derived: str = "before_derived", zero: bool = True):
    """A dumbbell chart: each row's base-year value joined to its latest value.

    A ``before_derived`` column (bool) marks base values we computed: hollow marker, dashed line.
    """
    unit = _resolve_unit(data, unit)
    frame = data.reset_index(drop=True)
    word, div = _axis_scale(list(frame[before]) + list(frame[after]), unit)
    height = figsize[1] or max(2.4, 0.7 * len(frame) + 1.7)
    with chart_context():
        fig, ax, own = _new_axes(ax, (figsize[0], height))
        c_before, c_after = sns.color_palette(PALETTE)[7], sns.color_palette(PALETTE)[0]
        derived = _col(frame, before_derived, False).fillna(False).astype(bool)
        lo = min(frame[before].min(), frame[after].min()) / div
        hi = max(frame[before].max(), frame[after].max()) / div
        pad = (hi - lo) * 0.12 or 1
        for i, row in frame.iterrows():
            b, a = float(row[before]) / div, float(row[after]) / div
            ax.plot([b, a], [i, i], color="#999999", linestyle="--" if derived[i] else "-", zorder=1)
            ax.scatter([b], [i], s=90, zorder=2, facecolor="white" if derived[i] else c_before,
                       edgecolor=c_before, linewidth=1.8)
            ax.scatter([a], [i], s=90, zorder=3, color=c_after)
            left, right = (b, a) if b <= a else (a, b)
            b_text = format_cn(float(row[before]), unit) + ("（推算）" if derived[i] else "")
            a_text = format_cn(float(row[after]), unit)
            # labels sit above their markers, pushed apart to the outside, so they never cover a marker
            ax.annotate(b_text if b <= a else a_text, (left, i), xytext=(-3, 8), textcoords="offset points",
                        ha="right", va="bottom", fontsize=9.5)
            ax.annotate(a_text if b <= a else b_text, (right, i), xytext=(3, 8), textcoords="offset points",
                        ha="left", va="bottom", fontsize=9.5)
        ax.set_yticks(range(len(frame)), list(frame[label]))
        ax.invert_yaxis()
        if zero:
            span = max(hi, 0) - min(lo, 0) or 1
            ax.set_xlim(min(0, lo - span * 0.05 * (lo < 0)), hi + span * 0.22)
        else:  # zoom on the values; the axis does not start at zero (said in the caption)
            span = (hi - lo) or abs(hi) or 1
            ax.set_xlim(lo - span * 0.45, hi + span * 0.45)
        ax.set_ylim(len(frame) - 0.45, -0.75)
        if not derived.all():
            ax.scatter([], [], color=c_before, label=before_name)
        ax.scatter([], [], color=c_after, label=after_name)
        if derived.any():
            ax.scatter([], [], facecolor="white", edgecolor=c_before, label=f"{before_name}（推算）")
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, frameon=False, fontsize=9,
                  borderaxespad=0.2, handletextpad=0.3, columnspacing=1.0)
        ax.set_xlabel(axis_label(unit, word, name))
        ax.grid(axis="y", visible=False)
        if not zero:
            note = f"{note}；横轴不从 0 开始" if note else "横轴不从 0 开始"
        cap = caption or caption_from(frame.assign(derived=derived), note)
        return _finish(fig, ax, title, cap, own)


# ---------------------------------------------------------------------------
# 3. part of whole
# ---------------------------------------------------------------------------

def shares(data: pd.DataFrame, label: str = "label", value: str = "value", *, title: str = "",
           unit: str | None = None, total: float | None = None, rest_label: str = "其余（报告未细分）",
           ax=None, figsize=(8, 3.2), caption: str | None = None, note: str | None = None):
    """Part-of-whole as one 100 % stacked bar.

    With ``total`` the remainder is shown as a grey part; without it shares are of the sum of the
    parts.  Parts whose figure is a lower bound ("多") or approximate ("近") are hatched, and the
    caption says the shares are computed from the stated numbers.
    """
    unit = _resolve_unit(data, unit)
    frame = data.reset_index(drop=True)
    values = frame[value].astype(float).tolist()
    labels = list(frame[label])
    quals = list(_col(frame, "qualifier", "exact"))
    quotes = list(_col(frame, "quote", ""))
    whole = float(total) if total is not None else sum(values)
    if whole <= 0:
        raise ValueError("总量必须大于 0 才能画占比图")
    if total is not None and sum(values) < whole:
        values.append(whole - sum(values))
        labels.append(rest_label)
        quals.append("exact")
        quotes.append("")
    with chart_context():
        fig, ax, own = _new_axes(ax, figsize)
        colors = sns.color_palette(PALETTE, n_colors=max(len(values), 3))
        left = 0.0
        for i, (v, lab, q, quote) in enumerate(zip(values, labels, quals, quotes)):
            pct = v / whole * 100
            is_rest = total is not None and i == len(values) - 1 and lab == rest_label
            color = "#d9d9d9" if is_rest else colors[i]
            hatch = "///" if q in ("at_least", "approx") else None
            ax.barh(0, pct, left=left, color=color, edgecolor="white", hatch=hatch, height=0.55)
            shown = value_label(v, unit, q, quote) if not is_rest else format_cn(v, unit)
            text = f"{lab}\n{shown}\n约{pct:.0f}%" if pct >= 1 else f"{lab}\n{shown}\n约{pct:.1f}%"
            if pct >= 9:
                ax.text(left + pct / 2, 0, text, ha="center", va="center", fontsize=9, color="black",
                        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.85})
            else:
                ax.annotate(text, (left + pct / 2, 0.28), xytext=(left + pct / 2, 0.62),
                            ha="center", va="bottom", fontsize=8.5,
                            arrowprops={"arrowstyle": "-", "color": "#777777"})
            left += pct
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.45, 1.05)
        ax.set_yticks([])
        ax.set_xlabel("占比（%）")
        ax.grid(axis="y", visible=False)
        honest = [q for q in quals if q in ("at_least", "approx")]
        auto = "斜纹部分的数字是下限（多/超过）或约数（近/约），占比按报告写出的数字计算，只是近似" if honest else None
        note = "；".join(n for n in (note, auto) if n) or None
        cap = caption or caption_from(frame, note)
        return _finish(fig, ax, title, cap, own)


# ---------------------------------------------------------------------------
# 4. time series
# ---------------------------------------------------------------------------

def timeline(data: pd.DataFrame, x: str = "year", y: str = "value", *, hue: str | None = None,
             title: str = "", unit: str = "", name: str = "", annotations: dict | None = None,
             highlight=None, bars: bool = False, ax=None, figsize=(8, 4.2), caption: str | None = None,
             note: str | None = None, ylim=None):
    """A line (or bar) over time with optional point annotations ``{x: text}`` and a highlighted x."""
    frame = data.reset_index(drop=True)
    word, div = _axis_scale(frame[y], unit)
    plot = frame.assign(_y=frame[y].astype(float) / div)
    with chart_context():
        fig, ax, own = _new_axes(ax, figsize)
        if bars:
            sns.barplot(data=plot, x=x, y="_y", hue=hue, ax=ax, color=None if hue else sns.color_palette(PALETTE)[0])
            xs = list(plot[x])
            pos = {v: i for i, v in enumerate(xs)}
        elif hue is not None:
            sns.lineplot(data=plot, x=x, y="_y", hue=hue, marker="o", ax=ax, linewidth=2.2)
            pos = {v: v for v in plot[x]}
        else:  # one series: a plain line is the same picture without seaborn's aggregation step
            ax.plot(plot[x], plot["_y"], marker="o", linewidth=2.2, markersize=6,
                    markeredgecolor="white", color=sns.color_palette(PALETTE)[0])
            pos = {v: v for v in plot[x]}
        for key, text in (annotations or {}).items():
            hit = plot[plot[x] == key]
            if hit.empty:
                continue
            yv = float(hit["_y"].iloc[0])
            ax.annotate(text, (pos[key], yv), xytext=(0, 14), textcoords="offset points", ha="center",
                        fontsize=9, arrowprops={"arrowstyle": "-", "color": "#777777"})
        if highlight is not None and highlight in pos:
            ax.axvline(pos[highlight], color=sns.color_palette(PALETTE)[3], linestyle=":", linewidth=1.5)
        if not bars and pd.api.types.is_integer_dtype(plot[x]):
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel("年份" if x == "year" else x)
        ax.set_ylabel(axis_label(unit, word, name))
        if ylim is not None:
            ax.set_ylim(*ylim)
        else:
            top = float(plot["_y"].max()) if len(plot) else 1.0
            ax.set_ylim(0, top * (1.22 if annotations else 1.08) or 1)
        cap = caption or caption_from(frame, note)
        return _finish(fig, ax, title, cap, own)


# ---------------------------------------------------------------------------
# 5. small multiples
# ---------------------------------------------------------------------------

def small_multiples(data: pd.DataFrame, facet: str, x: str, y: str, *, kind: str = "bar",
                    col_wrap: int = 3, title: str = "", unit: str | None = None, name: str = "",
                    sharey: bool = False, panel_size=(3.2, 2.6), caption: str | None = None,
                    note: str | None = None, label_values: bool = True):
    """One small panel per value of ``facet`` (bars or lines), same style; returns an array of Axes."""
    if kind not in ("bar", "line"):
        raise ValueError("kind 只能是 'bar' 或 'line'")
    unit = _resolve_unit(data, unit)
    groups = list(dict.fromkeys(data[facet]))
    ncols = max(1, min(col_wrap, len(groups)))
    nrows = math.ceil(len(groups) / ncols)
    with chart_context():
        fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.9),
                                 sharey=sharey, squeeze=False, FigureClass=ReportFigure)
        color = sns.color_palette(PALETTE)[0]
        for axis, group in zip(axes.flat, groups):
            part = data[data[facet] == group]
            g_unit = str(part["unit"].iloc[0]) if "unit" in part and unit == "" else unit
            word, div = _axis_scale(part[y], g_unit)
            vals = part[y].astype(float) / div
            if kind == "bar":
                axis.bar([str(v) for v in part[x]], vals, color=color)
            else:
                axis.plot(list(part[x]), vals, marker="o", color=color)
            if label_values:
                for xi, (xv, v, raw) in enumerate(zip(part[x], vals, part[y])):
                    xpos = xi if kind == "bar" else xv
                    axis.text(xpos, v, format_cn(float(raw), g_unit), ha="center", va="bottom", fontsize=8)
            _set_title(axis, str(group), fontsize=10.5)
            axis.set_ylabel(axis_label(g_unit, word, name), fontsize=9)
            axis.set_xlabel("")
            axis.tick_params(labelsize=8.5)
            axis.margins(y=0.18)
            if all(float(v).is_integer() for v in vals):
                axis.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        for axis in list(axes.flat)[len(groups):]:
            axis.set_visible(False)
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=14)
        add_caption(fig, caption or caption_from(data, note))
        return axes


# ---------------------------------------------------------------------------
# 6. heatmap of a table (counts by category and group)
# ---------------------------------------------------------------------------

def heatmap(table: pd.DataFrame, *, title: str = "", unit: str = "", xlabel: str = "", ylabel: str = "",
            cmap: str = "Blues", ax=None, figsize=(8, None), caption: str | None = None, note: str | None = None):
    """A table of numbers as coloured cells, each cell labelled with its value (``format_cn``).

    ``table``: rows and columns are the two categories (e.g. ``pd.crosstab``), values numeric;
    the column labels are written above the cells.  The index and column *names* are not used
    as labels (they are often English column names): pass ``xlabel`` / ``ylabel``.  One Axes,
    however many cells — cheaper and easier to compare across than small multiples.
    """
    if table.empty:
        raise ValueError("表格是空的，画不出热力图")
    values = table.apply(pd.to_numeric, errors="coerce").astype(float)
    if values.isna().all().all():
        raise ValueError("表格里没有数字，画不出热力图")
    labels = values.map(lambda v: "—" if pd.isna(v) else format_cn(float(v), unit))
    height = figsize[1] or max(2.4, 0.42 * len(values) + 1.6)
    with chart_context():
        fig, ax, own = _new_axes(ax, (figsize[0], height))
        # Drawn like seaborn.heatmap (a pcolormesh with white cell borders, dark or white labels by
        # the cell's luminance), but without its full draw of the figure, which it makes only to
        # decide whether tick labels should turn vertical — a second render per chart.
        data = values.to_numpy()
        vmax = np.nanmax(data) if np.nanmax(data) > 0 else 1.0
        mesh = ax.pcolormesh(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=vmax,
                             edgecolors="white", linewidth=1.5)
        ax.set(xlim=(0, data.shape[1]), ylim=(data.shape[0], 0))
        ax.set_xticks(np.arange(data.shape[1]) + 0.5, [str(c) for c in values.columns])
        ax.set_yticks(np.arange(data.shape[0]) + 0.5, [str(r) for r in values.index])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        mesh.update_scalarmappable()
        colours = mesh.get_facecolors()
        for k, ((i, j), text) in enumerate(np.ndenumerate(labels.to_numpy())):
            dark = relative_luminance(colours[k]) > 0.408
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=10.5,
                    color=".15" if dark else "white")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.tick_params(axis="both", length=0)
        ax.xaxis.set_ticks_position("top")
        ax.xaxis.set_label_position("top")
        if title:
            # above the column labels: their height in points plus the usual gaps (a fixed
            # position spares matplotlib's re-measuring of all tick labels on every draw)
            label_pt = ax.xaxis.get_ticklabels()[0].get_fontsize() if len(values.columns) else 0
            _set_title(ax, title, pad=1.35 * label_pt + mpl.rcParams["xtick.major.pad"] + 8)
        return _finish(fig, ax, "", caption or _make_caption(note=note), own)
