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
import threading
import unicodedata
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .data import NO_SOURCE
from .display import ReportFigure, alt_of
from .quantities import duo_bounds, format_cn, scale_of
from .style import PALETTE, chart_rc, contrast_ratio

CAPTION_COLOR = "#555555"
#: Lines and outlines that carry meaning but no series colour (connectors, the outline of a light
#: "rest" part): 4.5:1 on white, so they meet the 3:1 of WCAG 1.4.11 with room to spare.
OUTLINE_COLOR = "#767676"
#: Marker shapes of the two ends of a before/after chart: told apart by shape, not colour alone.
BEFORE_MARKER, AFTER_MARKER = "o", "D"
#: Fill of the highlighted bars of ranked_bars, besides their colour.
HIGHLIGHT_HATCH = ".."
#: Line styles and hatches of the groups of a ``hue`` timeline, besides their colour.
GROUP_HATCHES = ("", "//", "..", "xx", "\\\\", "++")
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
    """Caption built from a frame's ``where`` and ``source`` columns (as made by ``utils.figures``
    or :func:`chart_frame`).  Rows marked ``derived`` add the derived-value note and their
    ``formula`` after 【推算】."""
    derived = (pd.Series(data["derived"]).fillna(False).astype(bool).to_numpy() if "derived" in data
               else np.zeros(len(data), dtype=bool))
    # rows made by chart_frame from derived values cite nothing: their where/source are empty
    where = [w for w in data["where"] if isinstance(w, str) and w] if "where" in data else None
    source = [s for s in data["source"] if isinstance(s, str) and s] if "source" in data else None
    if source is not None and not source:
        source = "报告数字推算" if derived.any() else NO_SOURCE
    elif source is not None and all(s == NO_SOURCE for s in source):
        source = NO_SOURCE
    elif source is not None:
        cited = [s for s in source if s != NO_SOURCE]
        if len(cited) < len(source):
            cited.append("其余数字" + NO_SOURCE)
        source = cited
    notes = [note] if note else []
    if derived.any():
        notes.append(DERIVED_NOTE)
        if "formula" in data:
            labels = data["label"] if "label" in data else [""] * len(data)
            notes.extend(f"{DERIVED_MARK}{lab} = {f}" for lab, f, d in zip(labels, data["formula"], derived)
                         if d and isinstance(f, str) and f)
    return caption(where or None, source, "；".join(dict.fromkeys(notes)) or None)


#: Punctuation that must not start a line / must not end a line (Chinese line-breaking rules).
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…—·%‰,.;:?!)]}")
_NO_LINE_END = set("（《「『【〔“‘([{")
#: Caption font size (points) and the share of the figure width a caption line may use.
CAPTION_SIZE = 11.0  # = MIN_TEXT_PT (see below): ≥ 9 CSS px at a 60 % scaled image
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
    (checked by a unit test), at half the cost.  A figure whose decorations were laid out before
    reuses that layout (:func:`lift_layout`).
    """
    lines = _caption_lines(text, fig.get_figwidth())
    needed = _caption_height_for_lines(len(lines)) / fig.get_figheight()
    shown = fig.text(_CAPTION_X, 0.012, "\n".join(lines), ha="left", va="bottom", fontsize=CAPTION_SIZE,
                     color=CAPTION_COLOR, linespacing=1.35)
    fig._report_caption = text  # noqa: SLF001 - read by tests and handouts
    lift_layout(fig, needed, caption=shown)
    # the layout is fixed now: without this, a layout engine stays on the figure and every
    # savefig would lay it out (and draw it) again
    fig.set_layout_engine(None)
    if "inline" in mpl.get_backend():
        # In a notebook, pyplot's post-execute hook draws every *stale* figure on the Agg canvas
        # just before the inline backend prints it — a full draw whose pixels nobody sees.  The
        # figure is complete here; if the caller changes it later it turns stale again.
        fig.stale = False


#: Layouts computed before: layout key (:func:`_layout_key`) → subplot parameters.  A live chart
#: draws a new figure for every view, and most views differ in their data but not in what the
#: layout measures (tick labels, axis labels, titles, legend): those reuse the layout at once.
LAYOUT_CACHE_SIZE = 256
_LAYOUTS: dict = {}
_SUBPLOT_PARAMS = ("left", "right", "bottom", "top", "wspace", "hspace")


def clear_layout_cache() -> None:
    """Forget every layout computed so far (tests; a changed font)."""
    _LAYOUTS.clear()


def lift_layout(fig, bottom: float, caption=None) -> None:
    """``tight_layout`` the axes into the part of ``fig`` above ``bottom`` (a figure fraction).

    The result depends only on what ``tight_layout`` measures; when a figure with the same
    measured decorations (:func:`_layout_key`) was laid out before, its subplot parameters are
    applied without measuring again — the same numbers (a test compares every chart the lessons
    draw), without the layout's pass over every tick label.  Only the views of a live chart are
    keyed (inside :func:`kept_renderers` with ``layouts``): a figure drawn once would pay for its
    key on top of its layout.  ``caption``: the caption's text artist, which ``tight_layout``
    does not measure (so it is not part of the key either).
    """
    try:
        key = _layout_key(fig, bottom, caption) if LAYOUT_CACHE_SIZE and _reusing_layouts() else None
    except Exception:  # an artist this key cannot measure: measure the layout as tight_layout does
        key = None
    params = _LAYOUTS.get(key) if key is not None else None
    if params is not None:
        fig.subplots_adjust(**params)
        return
    _measure_layout(fig, bottom)
    if key is not None:
        if len(_LAYOUTS) >= LAYOUT_CACHE_SIZE:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))      # the oldest first
        sp = fig.subplotpars
        _LAYOUTS[key] = {name: getattr(sp, name) for name in _SUBPLOT_PARAMS}


def _measure_layout(fig, bottom: float) -> None:
    """One ``tight_layout`` pass, then the axes lifted by ``bottom`` (see :func:`add_caption`)."""
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


def _text_key(text) -> tuple:
    """What decides the extent of a text whose place the layout does not measure itself."""
    return (text.get_text(), text.get_visible(), text.get_in_layout(), hash(text.get_fontproperties()),
            text.get_rotation(), text.get_horizontalalignment(), text.get_verticalalignment(),
            text.get_linespacing(), tuple(text.get_position()))


def _box_key(ext, box) -> tuple:
    """A measured box relative to the axes box ``box`` (pixels, rounded to 1e-6)."""
    return tuple(round(float(v), 6) for v in (ext.x0 - box.x0, ext.y0 - box.y0, ext.x1 - box.x1, ext.y1 - box.y1))


def _tick_key(axis, which: str, renderer, box) -> tuple:
    """The ticks of one axis as the layout sees them: the measured box of each tick label (the text
    itself does not matter: "×2" and "×3" take the same room), and the tick marks."""
    ticks = axis.get_major_ticks() if which == "major" else axis.get_minor_ticks()
    count = len(axis.get_majorticklocs() if which == "major" else axis.get_minorticklocs())
    labels = axis.get_majorticklabels() if which == "major" else axis.get_minorticklabels()
    marks = tuple((t.get_pad(), t.get_tick_padding(), t.tick1line.get_visible(), t.tick2line.get_visible(),
                   t.label1.get_visible(), t.label2.get_visible()) for t in ticks[:count])
    boxes = tuple(_box_key(t.get_window_extent(renderer), box) if t.get_visible() and t.get_text() else None
                  for t in labels)
    return (count, boxes, marks)


def _layout_key(fig, bottom: float, caption=None):
    """Everything ``tight_layout`` measures in ``fig``, as a hashable key; None when the figure holds
    something this key does not describe (an inset, an axes outside a grid).

    Per axes: its grid cell and place, its aspect; per axis: the measured box of each tick label,
    the tick marks, the axis label and offset text (text, font, alignment, place); the top of each
    title (and its centre when beside the axes); and the measured box of every other artist the
    layout counts (texts, legends, unclipped artists), relative to the axes — or "inside" when it
    lies within the axes, where it changes nothing.
    The figure: size, dpi, subplot parameters, the font size that sets the padding, and its own
    texts (suptitle …).  Texts are measured with the renderer that will draw the figure (its
    canvas', or the kept one: :func:`kept_renderers`), so the draw reuses the measurement.
    """
    from matplotlib.spines import Spine
    from matplotlib.text import Text

    renderer = _renderer(fig)
    sp = fig.subplotpars
    key = [tuple(fig.get_size_inches()), fig.dpi, round(bottom, 12), mpl.rcParams["font.size"],
           tuple(getattr(sp, name) for name in _SUBPLOT_PARAMS),
           tuple(_text_key(t) for t in fig.texts if t is not caption)]
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None or ax.child_axes or ax.get_axes_locator() is not None:
            return None
        grid = spec.get_gridspec()
        entry = [ax.get_visible(), ax.get_in_layout(), ax.axison, ax.get_frame_on(), str(ax.get_aspect()),
                 spec.get_geometry(), grid.get_geometry(), tuple(grid.get_width_ratios() or ()),
                 tuple(grid.get_height_ratios() or ()), tuple(ax.get_position(original=True).bounds)]
        if not ax.get_visible():
            key.append(tuple(entry))
            continue
        box = ax.bbox
        for axis in (ax.xaxis, ax.yaxis):
            entry.append((axis.get_visible(), axis.get_ticks_position(), axis.get_label_position(), axis.labelpad,
                          _tick_key(axis, "major", renderer, box),
                          _tick_key(axis, "minor", renderer, box) if axis.get_minorticklocs().size else (),
                          _text_key(axis.label), _text_key(axis.get_offset_text())))
        for title in (c for c in ax.get_children() if isinstance(c, Text) and c not in ax.texts):
            # the layout counts a title as a box 1 px wide at its centre: its top, and its centre
            # when that lies beside the axes (its text and width do not matter)
            if not title.get_visible():
                continue
            ext = title.get_window_extent(renderer)
            centre = (ext.x0 + ext.x1) / 2
            entry.append(("title", round(ext.y0 - box.y1, 6), round(ext.y1 - box.y1, 6),
                          "inside" if box.x0 + 0.5 <= centre <= box.x1 - 0.5 else round(centre - box.x0, 6)))
        for spine in ax.spines.values():
            entry.append((spine.get_visible(), str(spine.get_position()), spine.get_bounds(), spine.get_linewidth()))
        for artist in ax.get_default_bbox_extra_artists():
            if isinstance(artist, Spine):
                continue
            ext = artist.get_tightbbox(renderer)
            if ext is None or not np.isfinite(ext.bounds).all() or (ext.width == 0 and ext.height == 0):
                entry.append("none")
            elif box.x0 <= ext.x0 and ext.x1 <= box.x1 and box.y0 <= ext.y0 and ext.y1 <= box.y1:
                entry.append("inside")
            else:
                entry.append(_box_key(ext, box))
        key.append(tuple(entry))
    try:
        hash(key := tuple(key))
    except TypeError:
        return None
    return key


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


def _resolve_unit(data: pd.DataFrame, unit: str | None) -> str:
    if unit is not None:
        return unit
    if "unit" in data and data["unit"].nunique() == 1:
        return str(data["unit"].iloc[0])
    return ""


# ---------------------------------------------------------------------------
# shared parameter docs (written once, inserted into every chart's docstring)
# ---------------------------------------------------------------------------

_PARAMS = {
    "data": """data : DataFrame
        One row per bar / point / part.  Frames from :func:`utils.figures` or :func:`chart_frame`
        already carry every column used here (``label``, ``value``, ``value_high``, ``unit``,
        ``qualifier``, ``quote``, ``where``, ``source``, ``derived``, ``formula``).""",
    "value": """value : str, default "value"
        Column with the numbers (in base units: 人, 元, % …; the axis scales to 万/亿 itself).""",
    "label": """label : str, default "label"
        Column with the category names.""",
    "title": """title : str
        Chinese title, left-aligned above the chart.""",
    "unit": """unit : str, optional
        Unit of the values (default: the ``unit`` column when it has a single value).""",
    "name": """name : str
        What the value axis measures ("人数"); the axis reads "人数（万人）".""",
    "note": """note : str, optional
        Extra remark appended to the caption ("注：…").""",
    "caption": """caption : str, optional
        The whole caption, replacing the one built from the ``where``/``source`` columns
        (build it with :func:`caption`).""",
    "ax": """ax : matplotlib Axes, optional
        Draw into this Axes (the caption is then the caller's job); default: a new figure.""",
    "figsize": """figsize : (width, height) in inches, optional
        Default width 8; height ``None`` = follows the number of rows (and the caption).""",
    "kwargs": """**kwargs
        Passed to the matplotlib call that draws the marks (``barh``, ``plot``, ``bar``,
        ``pcolormesh`` …), e.g. ``alpha=0.8``.""",
}

_RETURNS = """
    Returns
    -------
    The matplotlib Axes (``small_multiples``: an array of Axes).  The figure carries a short
    Chinese text alternative: :func:`describe`.
"""


def _shared_docs(*names):
    """Append the shared parameter docs (in this order) to a chart function's docstring."""
    def decorate(func):
        lines = "\n".join("    " + _PARAMS[n] for n in names)
        func.__doc__ = (func.__doc__ or "").rstrip() + "\n\n    Common parameters\n    -----------------\n" \
            + lines + "\n" + _RETURNS
        return func
    return decorate


_COMMON = ("title", "unit", "name", "note", "caption", "ax", "figsize", "kwargs")


# ---------------------------------------------------------------------------
# legibility: text sizes, figure heights, labels kept inside the frame
# ---------------------------------------------------------------------------

#: The smallest font size (points) of any chart text.  At the charts' 100 dpi one point is
#: 100/72 px, so 11 pt = 15.3 px in the PNG; shrunk to 60 % (a 1024×768 window with the file
#: browser open) that is 9.2 CSS px — above the 9 px floor (tests/test_style_and_charts.py).
MIN_TEXT_PT = 11.0
VALUE_LABEL_PT = MIN_TEXT_PT
#: the gid of value labels (tests find them by it)
VALUE_LABEL_GID = "utils-value-label"
#: the gid of purely decorative artists (a tinted background band): no meaning is carried by their
#: colour alone, so the 3:1 contrast rule for graphics does not apply to them (tests skip them)
DECORATION_GID = "utils-decoration"
_LABEL_BOX = {"boxstyle": "square,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.9}


def _caption_height_in(text: str, width_in: float) -> float:
    """Height (inches) the caption of ``text`` takes at the bottom of a figure ``width_in`` wide."""
    return _caption_height_for_lines(len(_caption_lines(text, width_in)))


def _caption_height_for_lines(lines: int) -> float:
    return lines * CAPTION_SIZE * 1.35 / 72 * 1.15 + 0.15


def _caption_lines(text: str, width_in: float) -> list[str]:
    max_em = width_in * 72 * (1 - 2 * _CAPTION_X) / CAPTION_SIZE
    lines = []
    for part in text.split(" ｜ ") if sum(map(_char_em, text)) > max_em else [text]:
        lines.extend(wrap_display(part, max_em) or [""])
    return lines


def _size(figsize, rows: int, per_row: float, base: float, cap: str | None) -> tuple[float, float]:
    """(width, height): the height follows the number of rows, plus the caption's own height."""
    width, height = (figsize if figsize is not None else (8, None))
    width = width or 8
    if height is None:
        height = per_row * max(rows, 1) + base + (_caption_height_in(cap, width) if cap else 0)
    return float(width), round(float(height), 2)  # whole pixels at 100 dpi


def _value_text(ax, x, y, text, **kwargs):
    """A value label: readable size, on a white ground (a gridline never runs through it)."""
    kwargs.setdefault("fontsize", VALUE_LABEL_PT)
    kwargs.setdefault("bbox", _LABEL_BOX)
    kwargs.setdefault("zorder", 5)
    artist = ax.text(x, y, text, **kwargs)
    artist.set_gid(VALUE_LABEL_GID)
    return artist


def _value_annotation(ax, text, xy, **kwargs):
    kwargs.setdefault("fontsize", VALUE_LABEL_PT)
    kwargs.setdefault("bbox", _LABEL_BOX)
    kwargs.setdefault("zorder", 5)
    artist = ax.annotate(text, xy, **kwargs)
    artist.set_gid(VALUE_LABEL_GID)
    return artist


def value_labels(fig) -> list:
    """The value labels drawn by this chart layer in ``fig``."""
    return [t for t in fig.findobj(mpl.text.Text) if t.get_gid() == VALUE_LABEL_GID and t.get_visible()]


#: Agg renderers kept between figures, by (width, height, dpi) (see :func:`kept_renderer`)
KEEP_RENDERERS = 4
_RENDERERS: dict = {}


def kept_renderer(fig):
    """An Agg renderer of ``fig``'s pixel size and dpi, kept between figures.

    matplotlib caches the measured size of every text per renderer, and every new figure gets a
    canvas and renderer of its own: a live chart draws a new figure for each view, and its views
    (same size, mostly the same texts) measured and drawn with one kept renderer measure each
    text once.  :func:`utils.widgets.figure_png` draws with it; the chart layer measures with it
    inside :func:`kept_renderers`.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    width, height = fig.canvas.get_width_height(physical=True)
    key = (width, height, fig.dpi)
    renderer = _RENDERERS.pop(key, None) or RendererAgg(width, height, fig.dpi)
    _RENDERERS[key] = renderer                      # most recently used last
    while len(_RENDERERS) > KEEP_RENDERERS:
        _RENDERERS.pop(next(iter(_RENDERERS)))
    return renderer


_local = threading.local()


@contextmanager
def kept_renderers(*, layouts: bool = True):
    """Within this context (in this thread) the chart layer measures text with :func:`kept_renderer`.

    For figures drawn with the kept renderer (:func:`utils.widgets.render_view`); a figure shown by
    the inline backend is drawn on its own canvas, so it is measured there (once, not twice).
    ``layouts``: the figures made here are views of one chart, so their layouts are keyed and
    reused (:func:`lift_layout`); False for a view drawn once (a static page's only view).
    """
    outer = (getattr(_local, "depth", 0), getattr(_local, "layouts", False))
    _local.depth, _local.layouts = outer[0] + 1, layouts
    try:
        yield
    finally:
        _local.depth, _local.layouts = outer


def _reusing_layouts() -> bool:
    """True inside :func:`kept_renderers` with ``layouts`` (in this thread)."""
    return bool(getattr(_local, "depth", 0) and getattr(_local, "layouts", False))


def _renderer(fig):
    if getattr(_local, "depth", 0):
        return kept_renderer(fig)
    canvas = fig.canvas
    # a canvas without a renderer of its own (not Agg): measure with an Agg renderer of the same size
    return canvas.get_renderer() if hasattr(canvas, "get_renderer") else kept_renderer(fig)


def keep_labels_inside(ax, *, pad_px: float = 4.0, passes: int = 3, axes: str = "xy", renderer=None) -> None:
    """Widen the axis limits until every value label of ``ax`` lies inside the frame.

    A label's offset from its anchor is fixed in pixels, so the new limit has a closed form:
    keep the anchor's data position and solve for the limit that leaves the label's width
    (or height) plus ``pad_px`` between it and the frame.  Only widens; a few passes settle
    the interplay between labels.
    """
    fig = ax.figure
    labels = [t for t in ax.texts if t.get_gid() == VALUE_LABEL_GID and t.get_visible()]
    if not labels:
        return
    renderer = renderer or _renderer(fig)
    for _ in range(passes):
        changed = False
        box = ax.get_window_extent(renderer)
        for axis in axes:
            lo_px, hi_px = (box.x0, box.x1) if axis == "x" else (box.y0, box.y1)
            span_px = hi_px - lo_px
            a, b = ax.get_xlim() if axis == "x" else ax.get_ylim()
            if span_px <= 0 or a == b:
                continue
            new_a, new_b = a, b
            for t in labels:
                ext = t.get_window_extent(renderer)
                p0, p1 = (ext.x0, ext.x1) if axis == "x" else (ext.y0, ext.y1)
                anchor = t.xy if isinstance(t, mpl.text.Annotation) else t.get_position()
                d = float(anchor[0] if axis == "x" else anchor[1])
                anchor_px = lo_px + (d - a) / (b - a) * span_px
                after = p1 - anchor_px            # label pixels beyond the anchor, towards hi
                before = anchor_px - p0           # … towards lo
                if p1 > hi_px - pad_px:
                    f = (span_px - pad_px - after) / span_px
                    if f > 0 and (d - a) / f != 0:
                        cand = a + (d - a) / f
                        new_b = max(new_b, cand) if b > a else min(new_b, cand)
                if p0 < lo_px + pad_px:
                    g = (span_px - pad_px - before) / span_px
                    if g > 0:
                        cand = b - (b - d) / g
                        new_a = min(new_a, cand) if b > a else max(new_a, cand)
            if (new_a, new_b) != (a, b):
                (ax.set_xlim if axis == "x" else ax.set_ylim)(new_a, new_b)
                changed = True
        if not changed:
            break


def _finish(fig, ax, title, cap, own_fig, alt: str = "", fit: str = "xy"):
    if title:
        _set_title(ax, title)
    if alt:
        _store_alt(fig, ax, alt)
    if own_fig:
        add_caption(fig, cap)
    _keep_inside_at_every_draw(fig, ax, fit)
    return ax


def _keep_inside_at_every_draw(fig, ax, fit: str = "xy") -> None:
    """Fit the labels now, and again before a draw if anything they depend on changed since (an
    author may change the limits, the size or a label later)."""
    keep_labels_inside(ax, axes=fit)
    hooks = getattr(fig, "before_draw", None)
    if hooks is not None:
        fitted = [_fit_state(ax)]

        def refit(renderer):
            if _fit_state(ax) != fitted[0]:
                keep_labels_inside(ax, axes=fit, renderer=renderer)
                fitted[0] = _fit_state(ax)

        hooks.append(refit)


def _fit_state(ax) -> tuple:
    """What the fit of :func:`keep_labels_inside` depends on: limits, the axes' place in pixels, and
    each value label (text, font, anchor, offset, alignment)."""
    labels = tuple((t.get_text(), t.get_visible(), hash(t.get_fontproperties()), tuple(t.get_position()),
                    tuple(t.xy) if isinstance(t, mpl.text.Annotation) else (), t.get_horizontalalignment(),
                    t.get_verticalalignment(), t.get_rotation())
                   for t in ax.texts if t.get_gid() == VALUE_LABEL_GID)
    return (ax.get_xlim(), ax.get_ylim(), tuple(ax.bbox.bounds), ax.figure.dpi, labels)


# ---------------------------------------------------------------------------
# text alternatives
# ---------------------------------------------------------------------------

_ALT_MAX_ITEMS = 12


def _store_alt(fig, ax, body: str) -> None:
    """Remember what the chart in ``ax`` shows; :func:`describe` adds the title."""
    bodies = getattr(fig, "_alt_parts", None)
    if bodies is None:
        bodies = []
        fig._alt_parts = bodies  # noqa: SLF001
    bodies.append((ax, body))
    fig.alt_text = describe(fig)


def _items(pairs) -> str:
    pairs = list(pairs)
    shown = [f"{a} {b}" for a, b in pairs[:_ALT_MAX_ITEMS]]
    more = f"等{len(pairs)}项" if len(pairs) > _ALT_MAX_ITEMS else ""
    return "；".join(shown) + more


def describe(fig) -> str:
    """A short Chinese text alternative of a chart: its title, what it shows, its numbers with units.

    Written by every chart function on the figure it draws (``fig.alt_text``); the display hook
    (:mod:`utils.display`) and the live charts' static views put it in the image's ``alt``
    metadata.  A figure this layer did not draw gets its titles only.
    """
    fig = getattr(fig, "figure", fig)
    titles = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        titles.append(suptitle.get_text())
    parts = []
    for ax, body in getattr(fig, "_alt_parts", []):
        title = ax.get_title(loc="left") or ax.get_title()
        if title and not suptitle:
            titles.append(title)
        parts.append(body)
    if not parts:
        titles.extend(t for ax in fig.axes for t in (ax.get_title(loc="left") or ax.get_title(),) if t)
    text = ""
    for piece in dict.fromkeys([*titles, *parts]):
        text += piece if not text or text.endswith(_SENTENCE_END) else "。" + piece
    text = text or "图表"
    return text if text.endswith(_SENTENCE_END) else text + "。"


_SENTENCE_END = ("。", "？", "！", "?", "!", "…")


# ---------------------------------------------------------------------------
# chart frames: figure ids plus derived rows, caption columns included
# ---------------------------------------------------------------------------

DERIVED_MARK = "【推算】"


def chart_frame(*ids: str, derived=(), **columns) -> pd.DataFrame:
    """The frame a chart needs, from report figure ids plus rows we computed.

    ``ids``: figure ids (as for :func:`utils.figures`); their rows keep the report's ``where``
    and ``source``.  ``derived``: rows we computed, each a ``dict(label=…, value=…, formula=…,
    unit=…)`` (any other key becomes a column, e.g. ``before=…``) or a :func:`utils.derive`
    result.  Derived rows are marked ``derived=True`` and their ``formula`` is shown in the
    caption after 【推算】; they cite no report section and no source of their own.
    ``columns``: constant columns for every row (``figures(...).assign`` for short).

    No notebook needs to write ``where`` / ``source`` / ``derived`` columns by hand.
    """
    from .data import figures

    if len(ids) == 1 and isinstance(ids[0], (list, tuple)):
        ids = tuple(ids[0])
    frames = []
    if ids:
        frames.append(figures(*ids).assign(derived=False, formula=""))
    rows = []
    default_unit = str(frames[0]["unit"].iloc[0]) if frames and "unit" in frames[0] and len(frames[0]) else ""
    for item in derived:
        row = dict(item) if isinstance(item, dict) else {
            "label": item.label, "value": float(item.value), "formula": item.formula, "unit": item.unit}
        if "label" not in row or "value" not in row:
            raise ValueError("推算行至少要有 label（名称）和 value（数值）")
        row.setdefault("formula", "")
        row.setdefault("unit", default_unit)
        row.setdefault("qualifier", "exact")
        row.setdefault("quote", "")
        row.update(derived=True, where="", source="", id="")
        rows.append(row)
    if rows:
        frames.append(pd.DataFrame.from_records(rows))
    if not frames:
        raise ValueError("chart_frame 需要至少一个数字编号或一行推算值")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for column in ("where", "source", "formula", "quote"):
        frame[column] = frame[column].fillna("") if column in frame else ""
    frame["derived"] = frame["derived"].fillna(False).astype(bool)
    return frame.assign(**columns) if columns else frame

# ---------------------------------------------------------------------------
# 1. ranked horizontal bars
# ---------------------------------------------------------------------------

@_shared_docs("data", "value", "label", *_COMMON)
def ranked_bars(data: pd.DataFrame, *, value: str = "value", label: str = "label", title: str = "",
                unit: str | None = None, name: str = "", sort: bool = True, highlight=None,
                note: str | None = None, caption: str | None = None, ax=None, figsize=None, **kwargs):
    """Horizontal bars, largest first, each labelled in 万/亿 with its qualifier.

    ``"多"`` figures get a hatched extension to the upper end the wording allows
    (300多万 → up to 400万); ranges get one to ``value_high``.  ``sort=False`` keeps the
    frame's order; ``highlight``: label(s) drawn in the second colour.
    """
    unit = _resolve_unit(data, unit)
    frame = data.copy()
    if sort:
        frame = frame.sort_values(value, ascending=False)
    frame = frame.reset_index(drop=True)
    word, div = _axis_scale(list(frame[value]) + list(_col(frame, "value_high").dropna()), unit)
    cap = caption or caption_from(frame, note)
    with chart_context():
        fig, ax, own = _new_axes(ax, _size(figsize, len(frame), 0.5, 1.45, cap))
        colors = sns.color_palette(PALETTE, n_colors=max(len(frame), 3))
        base = colors[0]
        bar_colors = [colors[1] if highlight is not None and lab in np.atleast_1d(highlight) else base
                      for lab in frame[label]]
        y = np.arange(len(frame))
        scaled = frame[value].astype(float) / div
        derived = _col(frame, "derived", False).fillna(False).astype(bool)
        bar_kw = {"height": 0.62, "linewidth": 1.5, **kwargs}
        highlighted = [c is not base for c in bar_colors]
        for i, (v, c, d) in enumerate(zip(scaled, bar_colors, derived)):
            # a highlighted bar differs by a dotted fill too, not by its colour alone
            ax.barh(i, v, **{"color": "white" if d else c, "edgecolor": c, "linestyle": "--" if d else "-",
                             "hatch": HIGHLIGHT_HATCH if highlighted[i] else None, **bar_kw})
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
                        edgecolor=bar_colors[i], hatch="///", linewidth=0.8, height=bar_kw["height"])
            elif q == "at_least":
                ax.plot(float(v) / div, i, marker=">", color=bar_colors[i], markersize=7)
            ends.append(end / div)
        span = max(ends + [0]) or 1
        units = _col(frame, "unit", unit)
        items = []
        for i, row in frame.iterrows():
            text = value_label(row[value], units[i] or unit, quals[i], str(quotes[i]), highs[i], bool(derived[i]))
            items.append((row[label], text))
            marker_room = span * 0.02 if quals[i] == "at_least" and ends[i] * div == float(row[value]) else 0
            _value_text(ax, ends[i] + span * 0.015 + marker_room, i, text, va="center")
        ax.set_yticks(y, list(frame[label]))
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlim(0, span * 1.25)
        ax.set_xlabel(axis_label(unit, word, name))
        ax.set_ylabel("")
        ax.grid(axis="y", visible=False)
        alt = f"横向条形图，{name or '数值'}{'（从大到小）' if sort else ''}：{_items(items)}"
        return _finish(fig, ax, title, cap, own, alt)


# ---------------------------------------------------------------------------
# 2. before / after
# ---------------------------------------------------------------------------

@_shared_docs("data", "label", *_COMMON)
def before_after(data: pd.DataFrame, *, label: str = "label", before: str = "before", after: str = "after",
                 before_name: str = "基期", after_name: str = "最新", before_derived: str = "before_derived",
                 zero: bool = True, title: str = "", unit: str | None = None, name: str = "",
                 note: str | None = None, caption: str | None = None, ax=None, figsize=None, **kwargs):
    """A dumbbell chart: each row's base-year value (column ``before``) joined to its latest
    value (``after``); ``before_name`` / ``after_name`` name the two ends in the legend.

    A ``before_derived`` column (bool) marks base values we computed: hollow marker, dashed line.
    ``zero=False`` zooms on the values (the caption then says the axis does not start at 0).
    """
    unit = _resolve_unit(data, unit)
    frame = data.reset_index(drop=True)
    word, div = _axis_scale(list(frame[before]) + list(frame[after]), unit)
    derived = _col(frame, before_derived, False).fillna(False).astype(bool)
    if not zero:
        note = f"{note}；横轴不从 0 开始" if note else "横轴不从 0 开始"
    cap = caption or caption_from(frame.assign(derived=derived | _col(frame, "derived", False).fillna(False)
                                               .astype(bool)), note)
    with chart_context():
        fig, ax, own = _new_axes(ax, _size(figsize, len(frame), 0.75, 1.6, cap))
        c_before, c_after = sns.color_palette(PALETTE)[7], sns.color_palette(PALETTE)[0]
        lo = min(frame[before].min(), frame[after].min()) / div
        hi = max(frame[before].max(), frame[after].max()) / div
        items = []
        for i, row in frame.iterrows():
            b, a = float(row[before]) / div, float(row[after]) / div
            ax.plot([b, a], [i, i], **{"color": OUTLINE_COLOR, "linestyle": "--" if derived[i] else "-", "zorder": 1,
                                       **kwargs})
            ax.scatter([b], [i], s=90, zorder=2, facecolor="white" if derived[i] else c_before,
                       edgecolor=c_before, linewidth=1.8, marker=BEFORE_MARKER)
            ax.scatter([a], [i], s=80, zorder=3, color=c_after, marker=AFTER_MARKER)
            left, right = (b, a) if b <= a else (a, b)
            b_text = format_cn(float(row[before]), unit) + ("（推算）" if derived[i] else "")
            a_text = format_cn(float(row[after]), unit)
            items.append((row[label], f"{before_name} {b_text} → {after_name} {a_text}"))
            # labels sit above their markers, pushed apart to the outside, so they never cover a marker
            _value_annotation(ax, b_text if b <= a else a_text, (left, i), xytext=(-3, 8),
                              textcoords="offset points", ha="right", va="bottom")
            _value_annotation(ax, a_text if b <= a else b_text, (right, i), xytext=(3, 8),
                              textcoords="offset points", ha="left", va="bottom")
        ax.set_yticks(range(len(frame)), list(frame[label]))
        if zero:
            span = max(hi, 0) - min(lo, 0) or 1
            ax.set_xlim(min(0, lo - span * 0.05 * (lo < 0)), hi + span * 0.22)
        else:  # zoom on the values; the axis does not start at zero (said in the caption)
            span = (hi - lo) or abs(hi) or 1
            ax.set_xlim(lo - span * 0.45, hi + span * 0.45)
        ax.set_ylim(len(frame) - 0.45, -0.75)
        if not derived.all():
            ax.scatter([], [], color=c_before, marker=BEFORE_MARKER, label=before_name)
        ax.scatter([], [], color=c_after, marker=AFTER_MARKER, label=after_name)
        if derived.any():
            ax.scatter([], [], facecolor="white", edgecolor=c_before, marker=BEFORE_MARKER,
                       label=f"{before_name}（推算）")
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, frameon=False, fontsize=MIN_TEXT_PT,
                  borderaxespad=0.2, handletextpad=0.3, columnspacing=1.0)
        ax.set_xlabel(axis_label(unit, word, name))
        ax.grid(axis="y", visible=False)
        return _finish(fig, ax, title, cap, own, f"哑铃图，{name or '数值'}的前后变化：{_items(items)}")


# ---------------------------------------------------------------------------
# 3. part of whole
# ---------------------------------------------------------------------------

@_shared_docs("data", "value", "label", *_COMMON)
def shares(data: pd.DataFrame, *, value: str = "value", label: str = "label", total: float | None = None,
           rest_label: str = "其余（报告未细分）", title: str = "", unit: str | None = None, name: str = "",
           note: str | None = None, caption: str | None = None, ax=None, figsize=None, **kwargs):
    """Part-of-whole as one 100 % stacked bar.

    With ``total`` the remainder is shown as a grey part named ``rest_label``; without it shares
    are of the sum of the parts.  Parts whose figure is a lower bound ("多") or approximate
    ("近") are hatched, and the caption says the shares are computed from the stated numbers.
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
    honest = [q for q in quals if q in ("at_least", "approx")]
    auto = "斜纹部分的数字是下限（多/超过）或约数（近/约），占比按报告写出的数字计算，只是近似" if honest else None
    note = "；".join(n for n in (note, auto) if n) or None
    cap = caption or caption_from(frame, note)
    small = sum(1 for v in values if v / whole * 100 < 9)
    with chart_context():
        fig, ax, own = _new_axes(ax, _size(figsize, 1, 1.6 + (0.9 if small else 0), 1.3, cap))
        colors = sns.color_palette(PALETTE, n_colors=max(len(values), 3))
        left = 0.0
        items = []
        for i, (v, lab, q, quote) in enumerate(zip(values, labels, quals, quotes)):
            pct = v / whole * 100
            is_rest = total is not None and i == len(values) - 1 and lab == rest_label
            color = "#d9d9d9" if is_rest else colors[i]
            hatch = "///" if q in ("at_least", "approx") else None
            # the light grey "rest" carries meaning too: a dark outline gives it 3:1 (WCAG 1.4.11)
            ax.barh(0, pct, **{"left": left, "color": color, "edgecolor": OUTLINE_COLOR if is_rest else "white",
                               "hatch": hatch, "height": 0.55, "linewidth": 1.0, **kwargs})
            shown = value_label(v, unit, q, quote) if not is_rest else format_cn(v, unit)
            share = f"约{pct:.0f}%" if pct >= 10 else f"约{pct:.1f}%"
            items.append((lab, f"{shown}（{share}）"))
            text = f"{lab}\n{shown}\n{share}"
            if pct >= 9:
                _value_text(ax, left + pct / 2, 0, text, ha="center", va="center", color="black",
                            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.85})
            else:
                mid = left + pct / 2
                # near an end of the bar the label opens inwards, so it never crosses the frame
                ha = "right" if mid > 85 else "left" if mid < 15 else "center"
                _value_annotation(ax, text, (mid, 0.28), xytext=(mid, 0.5), ha=ha, va="bottom",
                                  arrowprops={"arrowstyle": "-", "color": "#777777"})
            left += pct
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.45, 1.05 if small else 0.45)
        ax.set_yticks([])
        ax.set_xlabel("占比（%）")
        ax.grid(axis="y", visible=False)
        alt = f"百分比堆积条，{name or '各部分'}占{'总量' if total is not None else '合计'}的比例：{_items(items)}"
        # the shares axis always spans 0–100 %: labels are kept inside vertically only
        return _finish(fig, ax, title, cap, own, alt, fit="y")


# ---------------------------------------------------------------------------
# 4. time series
# ---------------------------------------------------------------------------

@_shared_docs("data", "value", *_COMMON)
def timeline(data: pd.DataFrame, *, x: str = "year", value: str = "value", y: str | None = None,
             hue: str | None = None, annotations: dict | None = None, highlight=None, bars: bool = False,
             ylim=None, title: str = "", unit: str = "", name: str = "", note: str | None = None,
             caption: str | None = None, ax=None, figsize=None, **kwargs):
    """A line (or ``bars=True``: bars) over time (column ``x``), with optional point
    annotations ``{x: text}`` and a highlighted x (``highlight``); ``hue`` draws one line per group.

    ``y`` is the older name of ``value`` (still accepted).
    """
    value = y or value
    frame = data.reset_index(drop=True)
    word, div = _axis_scale(frame[value], unit)
    plot = frame.assign(_y=frame[value].astype(float) / div)
    cap = caption or caption_from(frame, note)
    with chart_context():
        fig, ax, own = _new_axes(ax, _size(figsize, 1, 3.0, 1.2, cap))
        if bars:
            sns.barplot(data=plot, x=x, y="_y", hue=hue, ax=ax, color=None if hue else sns.color_palette(PALETTE)[0],
                        **kwargs)
            if hue is not None:  # each group a hatch of its own besides its colour (legend included)
                for n, container in enumerate(ax.containers):
                    for bar in container:
                        bar.set_hatch(GROUP_HATCHES[n % len(GROUP_HATCHES)])
                        bar.set_edgecolor("white")
                ax.legend()
            xs = list(plot[x])
            pos = {v: i for i, v in enumerate(xs)}
        elif hue is not None:
            # one line style and marker per group besides its colour (seaborn's ``style``)
            sns.lineplot(data=plot, x=x, y="_y", hue=hue, style=hue, markers=True, dashes=True, ax=ax,
                         linewidth=2.2, **kwargs)
            pos = {v: v for v in plot[x]}
        else:  # one series: a plain line is the same picture without seaborn's aggregation step
            ax.plot(plot[x], plot["_y"], **{"marker": "o", "linewidth": 2.2, "markersize": 6,
                                            "markeredgecolor": "white", "color": sns.color_palette(PALETTE)[0],
                                            **kwargs})
            pos = {v: v for v in plot[x]}
        for key, text in (annotations or {}).items():
            hit = plot[plot[x] == key]
            if hit.empty:
                continue
            yv = float(hit["_y"].iloc[0])
            _value_annotation(ax, text, (pos[key], yv), xytext=(0, 14), textcoords="offset points", ha="center",
                              arrowprops={"arrowstyle": "-", "color": "#777777"})
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
        points = [(f"{k}", format_cn(float(v), unit)) for k, v in zip(frame[x], frame[value]) if not pd.isna(v)]
        if hue is not None:
            points = [(f"{g} {k}", t) for g, (k, t) in zip(frame[hue], points)]
        alt = f"{'柱状图' if bars else '折线图'}，{name or '数值'}随{'年份' if x == 'year' else x}的变化：{_items(points)}"
        return _finish(fig, ax, title, cap, own, alt)


# ---------------------------------------------------------------------------
# 5. small multiples
# ---------------------------------------------------------------------------

@_shared_docs("data", "value", "title", "unit", "name", "note", "caption", "figsize", "kwargs")
def small_multiples(data: pd.DataFrame, *, facet: str, x: str, value: str = "value", y: str | None = None,
                    kind: str = "bar", col_wrap: int = 3, sharey: bool = False, panel_size=(3.2, 2.6),
                    label_values: bool = True, title: str = "", unit: str | None = None, name: str = "",
                    note: str | None = None, caption: str | None = None, figsize=None, **kwargs):
    """One small panel per value of ``facet`` (bars or lines against ``x``), same style.

    No ``ax`` (it draws a grid of panels); ``panel_size`` or ``figsize`` sets the size.
    ``y`` is the older name of ``value``.
    """
    value = y or value
    if kind not in ("bar", "line"):
        raise ValueError("kind 只能是 'bar' 或 'line'")
    unit = _resolve_unit(data, unit)
    groups = list(dict.fromkeys(data[facet]))
    ncols = max(1, min(col_wrap, len(groups)))
    nrows = math.ceil(len(groups) / ncols)
    cap = caption or caption_from(data, note)
    size = figsize or (panel_size[0] * ncols,
                       round(panel_size[1] * nrows + 0.9 + _caption_height_in(cap, panel_size[0] * ncols), 2))
    items = []
    with chart_context():
        fig, axes = plt.subplots(nrows, ncols, figsize=size, sharey=sharey, squeeze=False, FigureClass=ReportFigure)
        color = sns.color_palette(PALETTE)[0]
        for axis, group in zip(axes.flat, groups):
            part = data[data[facet] == group]
            g_unit = str(part["unit"].iloc[0]) if "unit" in part and unit == "" else unit
            word, div = _axis_scale(part[value], g_unit)
            vals = part[value].astype(float) / div
            if kind == "bar":
                axis.bar([str(v) for v in part[x]], vals, **{"color": color, **kwargs})
            else:
                axis.plot(list(part[x]), vals, **{"marker": "o", "color": color, **kwargs})
            for xi, (xv, v, raw) in enumerate(zip(part[x], vals, part[value])):
                items.append((f"{group} {xv}", format_cn(float(raw), g_unit)))
                if label_values:
                    xpos = xi if kind == "bar" else xv
                    _value_text(axis, xpos, v, format_cn(float(raw), g_unit), ha="center", va="bottom")
            _set_title(axis, str(group), fontsize=MIN_TEXT_PT + 1)
            axis.set_ylabel(axis_label(g_unit, word, name), fontsize=MIN_TEXT_PT)
            axis.set_xlabel("")
            axis.tick_params(labelsize=MIN_TEXT_PT)
            axis.margins(y=0.18)
            if all(float(v).is_integer() for v in vals):
                axis.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        for axis in list(axes.flat)[len(groups):]:
            axis.set_visible(False)
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=14)
        _store_alt(fig, axes.flat[0], f"分面图，每个{facet if facet != 'label' else '指标'}一个小图：{_items(items)}")
        add_caption(fig, cap)
        for axis in list(axes.flat)[:len(groups)]:
            _keep_inside_at_every_draw(fig, axis)
        return axes


# ---------------------------------------------------------------------------
# 6. heatmap of a table (counts by category and group)
# ---------------------------------------------------------------------------

@_shared_docs("title", "unit", "note", "caption", "ax", "figsize", "kwargs")
def heatmap(data: pd.DataFrame, *, xlabel: str = "", ylabel: str = "", cmap: str = "Blues", title: str = "",
            unit: str = "", name: str = "", note: str | None = None, caption: str | None = None, ax=None,
            figsize=None, **kwargs):
    """A table of numbers as coloured cells, each cell labelled with its value (``format_cn``).

    ``data``: rows and columns are the two categories (e.g. ``pd.crosstab``), values numeric;
    the column labels are written above the cells.  The index and column *names* are not used
    as labels (they are often English column names): pass ``xlabel`` / ``ylabel``.  One Axes,
    however many cells — cheaper and easier to compare across than small multiples.
    """
    table = data
    if table.empty:
        raise ValueError("表格是空的，画不出热力图")
    values = table.apply(pd.to_numeric, errors="coerce").astype(float)
    if values.isna().all().all():
        raise ValueError("表格里没有数字，画不出热力图")
    labels = values.map(lambda v: "—" if pd.isna(v) else format_cn(float(v), unit))
    cap = caption or _make_caption(note=note)
    with chart_context():
        fig, ax, own = _new_axes(ax, _size(figsize, len(values), 0.45, 1.7, cap))
        # Drawn like seaborn.heatmap (a pcolormesh with white cell borders, dark or white labels by
        # the cell's luminance), but without its full draw of the figure, which it makes only to
        # decide whether tick labels should turn vertical — a second render per chart.
        grid = values.to_numpy()
        vmax = np.nanmax(grid) if np.nanmax(grid) > 0 else 1.0
        mesh = ax.pcolormesh(np.ma.masked_invalid(grid), **{"cmap": cmap, "vmin": 0, "vmax": vmax,
                                                            "edgecolors": "white", "linewidth": 1.5, **kwargs})
        ax.set(xlim=(0, grid.shape[1]), ylim=(grid.shape[0], 0))
        ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [str(c) for c in values.columns])
        ax.set_yticks(np.arange(grid.shape[0]) + 0.5, [str(r) for r in values.index])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        mesh.update_scalarmappable()
        colours = mesh.get_facecolors()
        for k, ((i, j), text) in enumerate(np.ndenumerate(labels.to_numpy())):
            # black or white, whichever contrasts more with the cell (≥ 4.58:1 for any cell colour)
            ink = "black" if contrast_ratio(colours[k], "black") >= contrast_ratio(colours[k], "white") else "white"
            # a cell label sits inside its own cell: no ground box, no limit widening
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=VALUE_LABEL_PT, color=ink)
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
        rows = [(f"{r}", "，".join(f"{c} {labels.loc[r, c]}" for c in values.columns)) for r in values.index]
        alt = f"热力表，{len(values)}行×{len(values.columns)}列{('（' + name + '）') if name else ''}：{_items(rows)}"
        return _finish(fig, ax, "", cap, own, alt)
