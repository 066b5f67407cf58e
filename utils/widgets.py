"""Live charts: a plotting function plus its controls → an interactive chart, or static images.

Usage in a notebook::

    def plot(year, metric):
        ...draw with utils.charts and return the Axes (or Figure)...

    utils.live_chart(plot,
                     year=utils.slider(2012, 2020, value=2020, label="年份"),   # a dropdown of the 9 years
                     metric=utils.dropdown({"贫困人口": "pop", "贫困发生率": "rate"}, label="指标"))

Live mode (a Jupyter kernel with a widget front end): the controls sit above the chart image, an
``<img>`` whose ``alt`` is the text alternative of the view shown, with the same text collapsed
under it (an ``ipywidgets.HTML``: ipywidgets' ``Image`` has no alt); a change re-runs the function,
renders the figure to PNG, closes it and swaps the image.  Only the image changes, so nothing
flickers or piles up, and no figure stays open.  An exception in the plotting function shows a
short Chinese message in the chart area (the traceback goes to ``LiveChart.last_error`` for the author).

Static mode shows the default view as a plain PNG, with a note that names the other views of
the chart's dropdown and says that the live version runs in JupyterLab.  With
``STATIC_CHARTS=all`` (the handout build) it shows *every* view of a dropdown with at most four
options instead — on paper there is no control to turn.  Static mode is on when
- the environment variable ``STATIC_CHARTS`` is ``1``/``true``/``yes``/``all`` (``1`` is set by
  the test suite's ``conftest.py`` and for the committed outputs, ``all`` by the handouts); or
- there is no Jupyter kernel at all (plain ``python``, a terminal IPython), where a widget
  could never render.
``STATIC_CHARTS=0`` forces live mode.  Inside a kernel we cannot ask the front end whether it
renders widgets, so any kernel counts as live unless told otherwise.

Views ready before they are asked for: when a chart's controls have at most ``MAX_VIEWS`` (64)
combinations of values (dropdowns, sliders, toggles), every view gets its own widget (the PNG as
an ``<img>`` with its alt text, in an ``HTML`` widget) in nested ``ipywidgets.Stack`` widgets,
one level per control, and each control's ``index`` is linked to
its level's ``selected_index`` with ``jslink``: the browser switches views with no kernel round
trip, and the same widgets stay live in an exported page with no kernel at all (the screen
edition of the handouts).  Only the view shown is rendered when the cell runs; the others are
rendered one by one by a background thread while no cell is running (a cell that starts waits for
at most the one view being drawn, so Run All is not slowed), and a view asked for before it is
ready is rendered at once by the kernel.  The chart gets the DOM class ``live-chart-ready`` once
every view is in.  ``LIVE_CHART_VIEWS=all`` renders every view in the cell itself (the screen
edition's build, where no kernel stays behind); ``LIVE_CHART_VIEWS=0`` turns the ready views off
(every move asks the kernel, e.g. to save CPU on a crowded hub).  Charts with more combinations
(or a multi-select) keep the kernel path, with a cache of the last ``CACHE_VIEWS`` rendered views.
Renders never overlap: they take one lock (pyplot and rc settings are global state).

Why the committed notebooks keep one view per chart: a learner who opens a lesson sees the
stored outputs only until the cell runs, then gets the live control; rendering views nobody
sees cost every notebook test run ≈ 0.1 s per image.
"""
from __future__ import annotations

import base64
import html
import io
import os
import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import matplotlib.pyplot as plt

from . import marks

#: deprecated: consumers read the ``static-note`` mark (utils.marks), not this text
STATIC_NOTE_PREFIX = "（静态图"
STATIC_NOTE = "（静态图：在 JupyterLab 中运行本单元即可用控件交互探索。）"
MAX_STATIC_VIEWS = 4
#: charts whose controls have at most this many combinations get every view ready in the browser
MAX_VIEWS = 64
#: kernel path (more combinations): rendered views kept, most recently used first out last
CACHE_VIEWS = 32
#: the background renderer starts a view only after the kernel has run no cell for this long
PREFETCH_IDLE_S = 0.3
_PNG_META = {"Software": None}
#: every render holds this lock: pyplot's figure list and rc settings are global state
RENDER_LOCK = threading.RLock()


def is_static() -> bool:
    """True when charts should be plain images (see the module docstring)."""
    flag = os.environ.get("STATIC_CHARTS", "").strip().lower()
    if flag in ("1", "true", "yes", "on", "all"):
        return True
    if flag in ("0", "false", "no", "off"):
        return False
    from .env import in_kernel

    return not in_kernel()


# ---------------------------------------------------------------------------
# controls
# ---------------------------------------------------------------------------

@dataclass
class Control:
    """Base of the control specs; ``coerce`` maps any value to an allowed one or raises ValueError."""

    label: str = ""

    def widget(self, name: str):  # pragma: no cover - abstract
        raise NotImplementedError

    def view(self, widget):
        """What is shown for the control (the widget itself, or the widget plus a readout)."""
        return widget

    def format(self, value) -> str:
        """A value as the learner reads it."""
        return str(value)

    def coerce(self, value):  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def default(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def choices(self) -> list | None:
        """Every value the control can take, as (label, value), or None when there are too many
        to list (a multi-select); the browser switches between views of these by position."""
        return None

    def index_widget(self, name: str, choices: list):
        """The widget of a chart with ready views: its ``index`` trait is the position in
        ``choices`` (linked in the browser to the views), and it shows its own value (no kernel)."""
        return self.widget(name)


@dataclass
class Dropdown(Control):
    options: list = field(default_factory=list)  # list of (label, value)
    value: Any = None

    def __post_init__(self):
        if not self.options:
            raise ValueError("下拉菜单至少需要一个选项")
        if self.value is None:
            self.value = self.options[0][1]
        self.value = self.coerce(self.value)

    @property
    def default(self):
        return self.value

    def coerce(self, value):
        for lab, val in self.options:
            if value == val or value == lab:
                return val
        allowed = "、".join(str(lab) for lab, _ in self.options)
        raise ValueError(f"“{value}”不是可选项；可选：{allowed}")

    def label_of(self, value) -> str:
        for lab, val in self.options:
            if val == value:
                return str(lab)
        return str(value)

    format = label_of

    def widget(self, name):
        import ipywidgets as w

        return w.Dropdown(options=self.options, value=self.value, description=self.label or name,
                          style={"description_width": "initial"})

    def choices(self):
        return list(self.options)


@dataclass
class Slider(Control):
    min: float = 0
    max: float = 1
    step: float = 1
    value: float | None = None
    unit: str = ""

    def __post_init__(self):
        if self.min >= self.max:
            raise ValueError("utils.slider 的最小值必须小于最大值")
        if self.value is None:
            self.value = self.max
        self.value = self.coerce(self.value)

    @property
    def integer(self) -> bool:
        return all(float(v).is_integer() for v in (self.min, self.max, self.step))

    @property
    def digits(self) -> int:
        """Decimals the readout shows: those of the step (0.5 → 1, 1 → 0, 0.25 → 2)."""
        if self.integer:
            return 0
        text = f"{float(self.step):.6f}".rstrip("0")
        return max(len(text.split(".")[1]), 1) if "." in text else 0

    def format(self, value) -> str:
        """The readout, formatted like the data: 98%, 2018, 97.5%, 0.25 — never "98.00"."""
        number = f"{value:.{self.digits}f}" if self.digits else f"{int(round(value))}"
        return f"{number}{self.unit}"

    @property
    def default(self):
        return self.value

    def coerce(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"数值控件只接受数字，收到的是 {type(value).__name__}")
        if value != value:  # NaN
            raise ValueError("数值控件不接受 NaN")
        clamped = min(max(value, self.min), self.max)
        steps = round((clamped - self.min) / self.step)
        out = self.min + steps * self.step
        out = min(out, self.max)
        return int(round(out)) if self.integer else round(float(out), self.digits + 6)

    #: more steps than this: not listed (a chart with such a slider keeps the kernel path)
    MAX_CHOICES = 1000
    #: at most this many values: a dropdown of them; more: a number field (see :meth:`widget`)
    MAX_LISTED = 64

    def choices(self):
        count = round((self.max - self.min) / self.step) + 1
        if count > self.MAX_CHOICES:
            return None
        values = []
        for i in range(count):
            value = self.coerce(self.min + i * self.step)
            if not values or value != values[-1]:
                values.append(value)
        return [(self.format(v), v) for v in values]

    def description(self, name: str) -> str:
        """The control's label, with its unit when the label does not say it ("x（%）")."""
        text = self.label or name
        if self.unit and self.unit not in text:
            text = f"{text}（{self.unit}）"
        return text

    def widget(self, name):
        """The control of the kernel path.  Not a slider: ipywidgets' slider handle (noUiSlider) has
        no accessible name and no API to give it one (ipywidgets#2650).  Up to ``MAX_LISTED`` values:
        a dropdown of the values as the data shows them ("97.5%"): a ``<select>`` named by its
        ``<label for>``, one Tab stop, arrow keys step through the values without opening it.  More
        values: a number field (``<input type=number>``, named the same way; arrow keys step, or type
        the number and press Enter), clamped to the range and snapped to the step."""
        import ipywidgets as w

        choices = self.choices()
        if choices is not None and len(choices) <= self.MAX_LISTED:
            return self.index_widget(name, choices)
        cls = w.BoundedIntText if self.integer else w.BoundedFloatText
        return cls(min=self.min, max=self.max, step=self.step, value=self.value,
                   description=self.description(name), continuous_update=False,
                   style={"description_width": "initial"}, layout={"width": "auto"})

    def index_widget(self, name, choices):
        import ipywidgets as w

        # a dropdown: its ``index`` is linked to the ready views; each option reads like the data
        return w.Dropdown(options=choices, value=self.value, description=self.label or name,
                          style={"description_width": "initial"}, layout={"width": "auto"})

    def view(self, widget):
        import ipywidgets as w

        if isinstance(widget, (w.BoundedIntText, w.BoundedFloatText)):
            # a typed value between two steps (97.3 with step 0.5) is drawn as the step; show that
            def snap(change):
                try:
                    value = self.coerce(change["new"])
                except ValueError:
                    return
                if value != change["new"]:
                    widget.value = value
            widget.observe(snap, names="value")
        return widget


@dataclass
class Toggle(Control):
    value: bool = False
    off_label: str = ""
    on_label: str = ""

    @property
    def default(self):
        return self.value

    def coerce(self, value):
        if not isinstance(value, bool):
            raise ValueError(f"开关只接受 True/False，收到的是 {type(value).__name__}")
        return value

    def state_text(self, value: bool, name: str = "") -> str:
        """What the button says: its state in words (✔ only when on)."""
        if value:
            return self.on_label or f"✔ {self.label or name}：开"
        return self.off_label or f"{self.label or name}：关"

    def widget(self, name):
        import ipywidgets as w

        button = w.ToggleButton(value=self.value, description=self.state_text(self.value, name),
                                tooltip=self.label or name, layout={"width": "auto"})
        button.observe(lambda change: setattr(button, "description", self.state_text(change["new"], name)),
                       names="value")
        return button

    def format(self, value) -> str:
        """The state as a word ("开" / "关", or the custom labels)."""
        return (self.on_label or "开") if value else (self.off_label or "关")

    def choices(self):
        return [(self.format(False), False), (self.format(True), True)]

    def index_widget(self, name, choices):
        import ipywidgets as w

        # a dropdown of the two states ("关" / "开"), like the number controls: a ``<select>`` named by
        # its label whose value a screen reader reads out.  Not ToggleButtons: ipywidgets 8.1 marks the
        # pressed one by colour only (no aria-pressed), and a ToggleButton's text would need the kernel.
        return w.Dropdown(options=choices, value=self.value, description=self.label or name,
                          style={"description_width": "initial"}, layout={"width": "auto"})


@dataclass
class MultiSelect(Control):
    options: list = field(default_factory=list)  # list of (label, value)
    value: tuple = ()
    min_selected: int = 1

    def __post_init__(self):
        if not self.options:
            raise ValueError("多选框至少需要一个选项")
        if not self.value:
            self.value = tuple(v for _, v in self.options)
        self.value = self.coerce(self.value)

    @property
    def default(self):
        return self.value

    def coerce(self, value):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            value = (value,)
        allowed = {val for _, val in self.options}
        labels = {lab: val for lab, val in self.options}
        chosen = []
        for item in value:
            item = labels.get(item, item)
            if item not in allowed:
                raise ValueError(f"“{item}”不是可选项")
            if item not in chosen:
                chosen.append(item)
        if len(chosen) < self.min_selected:
            raise ValueError(f"请至少选择 {self.min_selected} 项")
        order = [val for _, val in self.options]
        return tuple(sorted(chosen, key=order.index))

    def widget(self, name):
        import ipywidgets as w

        return w.SelectMultiple(options=self.options, value=self.value, description=self.label or name,
                                rows=min(6, len(self.options)), style={"description_width": "initial"})


def _options(options) -> list:
    if isinstance(options, dict):
        return [(str(k), v) for k, v in options.items()]
    out = []
    for item in options:
        if isinstance(item, tuple) and len(item) == 2:
            out.append((str(item[0]), item[1]))
        else:
            out.append((str(item), item))
    return out


def dropdown(options, value=None, label: str = "") -> Dropdown:
    """A dropdown; ``options`` is a list, or a dict {shown label: value}."""
    return Dropdown(label=label, options=_options(options), value=value)


def slider(min, max, step=1, value=None, label: str = "", unit: str = "") -> Slider:  # noqa: A002
    """A number from ``min`` to ``max`` in steps of ``step``; integer when all three are whole.

    Despite the name it renders no slider (ipywidgets' slider handle cannot be given an accessible
    name, ipywidgets#2650): up to 64 values, a dropdown listing every value like the data (as many
    decimals as the step has, then ``unit``: "98%", "97.5%", "2018"); more values, a number field
    (arrow keys step, or type and press Enter).  Both are named by their label (in the browser's
    accessibility tree: a combobox "年份" showing 2018) and both take the arrow keys.  With ``unit`` omitted, a label ending in "（%）"
    implies "%".
    """
    if not unit and label.rstrip().endswith(("（%）", "(%)")):
        unit = "%"
    return Slider(label=label, min=min, max=max, step=step, value=value, unit=unit)


def toggle(value: bool = False, label: str = "", *, on_label: str = "", off_label: str = "") -> Toggle:
    """An on/off switch.  With ready views (the usual case): a dropdown "关" / "开" named by ``label``;
    on the kernel path: a toggle button whose text says its state ("✔ 同时显示常见错读：开" / "…：关")."""
    return Toggle(label=label, value=bool(value), on_label=on_label, off_label=off_label)


def multi(options, value=(), label: str = "", min_selected: int = 1) -> MultiSelect:
    """A multi-select list (Ctrl/Cmd-click to pick several)."""
    return MultiSelect(label=label, options=_options(options), value=tuple(value), min_selected=min_selected)


def views_mode() -> str:
    """``"lazy"`` (default), ``"all"`` (``LIVE_CHART_VIEWS=all``: every view rendered in the cell)
    or ``"off"`` (``LIVE_CHART_VIEWS=0``: the kernel path for every chart)."""
    flag = os.environ.get("LIVE_CHART_VIEWS", "").strip().lower()
    if flag in ("all", "eager"):
        return "all"
    if flag in ("0", "off", "false", "no"):
        return "off"
    return "lazy"


def static_all_views() -> bool:
    """True when static mode should show every view of a small dropdown (``STATIC_CHARTS=all``)."""
    return os.environ.get("STATIC_CHARTS", "").strip().lower() == "all"


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------

def _to_figure(result):
    if result is None:
        return plt.gcf()
    if hasattr(result, "savefig"):
        return result
    if hasattr(result, "figure"):
        return result.figure
    if hasattr(result, "flat"):  # array of Axes from small_multiples
        return next(iter(result.flat)).figure
    if hasattr(result, "fig"):  # seaborn FacetGrid
        return result.fig
    raise TypeError("绘图函数应返回 matplotlib 的 Axes 或 Figure")


def render_view(plot: Callable, values: dict, *, fast: bool = False,
                reuse_layout: bool = True) -> tuple[bytes, str]:
    """Call ``plot(**values)``; return its figure as PNG bytes and its text alternative.

    Every figure the call made is closed, and matplotlib is non-interactive during the call
    (``matplotlib.interactive(False)``, restored after), so the inline backend never queues these
    figures to show at the end of the cell — otherwise 500 redraws driven from one cell would keep
    500 figures alive until it ends.  ``fast`` (live redraws): light PNG compression.
    ``reuse_layout``: the figure is one of several views of a chart, which share layouts
    (:func:`utils.charts.lift_layout`); False for a chart's only view.
    """
    import matplotlib

    from .charts import describe, kept_renderers

    before = set(plt.get_fignums())
    interactive = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)  # not plt.ioff(): that also unhooks pyplot from IPython's events
        try:
            with kept_renderers(layouts=reuse_layout):   # measured with the renderer figure_png draws with
                fig = _to_figure(plot(**values))
        finally:
            matplotlib.interactive(interactive)
        alt = describe(fig)
        return figure_png(fig, fast=fast), alt
    finally:
        for num in set(plt.get_fignums()) - before:
            plt.close(num)


def _savefig_is_plain_draw(fig) -> bool:
    """True when ``fig.savefig(format="png")`` would draw the figure as it is: at its own dpi, with
    its own colours, uncropped (the rc settings of the chart layer); otherwise savefig is used."""
    import matplotlib as mpl

    rc = mpl.rcParams
    return (rc["savefig.dpi"] in ("figure", fig.dpi) and rc["savefig.bbox"] in (None, "standard")
            and rc["savefig.facecolor"] == "auto" and rc["savefig.edgecolor"] == "auto"
            and not rc["savefig.transparent"])


def figure_png(fig, *, fast: bool = False) -> bytes:
    """``fig`` as PNG bytes: the pixels ``fig.savefig(format="png")`` gives (a test compares them).

    Drawn with the kept Agg renderer of the figure's size (:func:`utils.charts.kept_renderer`: the
    texts the chart layer measured are measured already) and encoded by
    Pillow; an opaque image is stored as RGB (a quarter fewer bytes to compress, same pixels).
    ``fast`` (live redraws): light compression.  Holds ``RENDER_LOCK`` while it draws.
    """
    from .charts import kept_renderer
    from .display import png_bytes, rgba_image

    if not _savefig_is_plain_draw(fig):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata=_PNG_META, pil_kwargs={"compress_level": 1} if fast else None)
        return buf.getvalue()
    with RENDER_LOCK:
        renderer = kept_renderer(fig)
        renderer.clear()
        fig.draw(renderer)
        image = rgba_image(renderer.buffer_rgba())    # a copy: the kept renderer draws the next view
    return png_bytes(image, fig.dpi, fast=fast)


def render_png(plot: Callable, values: dict, *, fast: bool = False) -> bytes:
    """Call ``plot(**values)`` and render its figure to PNG bytes (see :func:`render_view`)."""
    return render_view(plot, values, fast=fast)[0]


def _hashable(value):
    if isinstance(value, list):
        return tuple(value)
    hash(value)
    return value


def _error_message(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"这个视图画不出来：{detail[:160]}。请换一个选项再试。"


class LiveChart:
    """An interactive chart.  Display it (last expression of a cell) to show it.

    ``set(**values)`` changes controls programmatically (as a learner would);
    ``values`` are the current control values; ``redraws`` counts renders;
    ``last_error`` holds the traceback text of the last failing render (for authors).
    """

    def __init__(self, plot: Callable, controls: dict[str, Control], *, title: str = ""):
        if not callable(plot):
            raise TypeError("live_chart 的第一个参数应是绘图函数")
        for name, ctl in controls.items():
            if not isinstance(ctl, Control):
                raise TypeError(f"控件“{name}”应由 utils.dropdown/slider/toggle/multi 创建")
        self.plot = plot
        self.controls = dict(controls)
        self.title = title
        self.values = {name: ctl.default for name, ctl in self.controls.items()}
        self.redraws = 0
        self.last_error: str | None = None
        self.error_message = ""
        self.last_alt = ""
        self._widgets = None
        self._image = None                   # kernel path: the HTML widget of the image shown
        self._png = b""                      # kernel path: the PNG shown (b"" when none)
        self._message = None
        self._box = None
        #: at most this many combinations of control values: every view ready in the browser
        self.max_views = MAX_VIEWS
        #: kernel path: rendered views kept (0: none)
        self.cache_views = CACHE_VIEWS
        self.cache_hits = 0
        self._cache: OrderedDict = OrderedDict()
        self._space: list | None = None      # [(name, [(label, value), …]), …] with ready views
        self._views: dict = {}               # index tuple → its HTML widget (image + alt)
        self._ready: set = set()             # index tuples whose view is rendered
        self._stacks: list = []              # per control: the Stacks of its level
        self._links: list = []               # the jslinks control.index → Stack.selected_index
        self._described: dict = {}           # index tuple → describe() of its figure
        self._pngs: dict = {}                # index tuple → PNG bytes of its view

    # -- rendering ---------------------------------------------------------
    def render(self, *, fast: bool = False, reuse_layout: bool = True, **values) -> bytes | None:
        """Render one view to PNG; on failure return None and keep the message.
        ``reuse_layout=False``: the only view this chart will draw (see :func:`render_view`)."""
        merged = {**self.values, **values}
        try:
            with RENDER_LOCK:   # renders never overlap, whichever thread asks (see the module docstring)
                png, self.last_alt = render_view(self.plot, merged, fast=fast, reuse_layout=reuse_layout)
        except Exception as exc:  # shown to the learner as a short Chinese message
            self.last_error = traceback.format_exc()
            self.error_message = _error_message(exc)
            self.last_alt = ""
            return None
        self.last_error = None
        self.error_message = ""
        self.redraws += 1
        return png

    def _view_dropdown(self):
        """(name, control) of the first dropdown with 2–4 options, whose views static mode lists."""
        for name, ctl in self.controls.items():
            if isinstance(ctl, Dropdown) and 1 < len(ctl.options) <= MAX_STATIC_VIEWS:
                return name, ctl
        return None, None

    def static_views(self, all_views: bool | None = None) -> list[tuple[str, dict]]:
        """The views static mode shows, as (heading, values): every option of a small dropdown
        when ``all_views`` (default: ``STATIC_CHARTS=all``), else the current view only."""
        if all_views is None:
            all_views = static_all_views()
        name, ctl = self._view_dropdown()
        if ctl is None:
            return [("", dict(self.values))]
        options = ctl.options if all_views else [(lab, val) for lab, val in ctl.options if val == self.values[name]]
        return [(f"{ctl.label or name}：{lab}", {**self.values, name: val}) for lab, val in options]

    def _view_mark(self, values: dict) -> dict:
        """control / value / label of a static view (the view dropdown, else the first control)."""
        name, ctl = self._view_dropdown()
        if ctl is None and self.controls:
            name, ctl = next(iter(self.controls.items()))
        if ctl is None:
            return {"control": None, "value": None, "label": ""}
        value = values[name]
        json_value = list(value) if isinstance(value, tuple) else value
        if hasattr(json_value, "item"):  # numpy scalar
            json_value = json_value.item()
        return {"control": name, "value": json_value, "label": f"{ctl.label or name}：{ctl.format(value)}"}

    def static_note(self, all_views: bool | None = None) -> str:
        """The note under static images; in the one-view mode it names the views left out."""
        if all_views is None:
            all_views = static_all_views()
        name, ctl = self._view_dropdown()
        if all_views or ctl is None:
            return STATIC_NOTE
        others = "；".join(lab for lab, val in ctl.options if val != self.values[name])
        return (f"{STATIC_NOTE_PREFIX}：这里只存了当前视图。控件“{ctl.label or name}”的其余选项——{others}——"
                "在 JupyterLab 中运行本单元即可切换，讲义（handouts）里每个选项各有一张图。）")

    # -- text alternative of a live view ---------------------------------------
    def state_text(self, values: dict | None = None) -> str:
        """The controls' settings as the learner reads them: "年份：2018；指标：贫困人口"."""
        values = self.values if values is None else values
        return "；".join(f"{ctl.label or name}：{ctl.format(values[name])}" for name, ctl in self.controls.items())

    def view_alt(self, values: dict | None = None, described: str = "") -> str:
        """THE text alternative of the live view for ``values`` (default: the current ones):
        the control settings, then ``described`` (:func:`utils.charts.describe` of its figure)."""
        state = self.state_text(values)
        body = described or self.title or "图表"
        return f"{state}。{body}" if state else body

    @staticmethod
    def alt_markup(alt: str) -> str:
        """The collapsed text alternative under a live chart's image (for screen readers)."""
        return ('<details class="chart-alt"><summary>图表的文字说明</summary>'
                f"<p>{html.escape(alt)}</p></details>")

    # -- ready views -----------------------------------------------------------
    def view_space(self) -> list | None:
        """[(control name, [(label, value), …]), …] when every view can be ready in the browser
        (every control lists its values, at most ``max_views`` combinations), else None."""
        space = []
        count = 1
        for name, ctl in self.controls.items():
            choices = ctl.choices()
            if not choices:
                return None
            count *= len(choices)
            if count > self.max_views:
                return None
            space.append((name, choices))
        return space

    def _index_of(self, name: str, value) -> int:
        for i, (_, val) in enumerate(dict(self._space)[name]):
            if val == value:
                return i
        return 0

    def _key(self, values: dict | None = None) -> tuple:
        values = self.values if values is None else values
        return tuple(self._index_of(name, values[name]) for name, _ in self._space)

    def _values_of(self, key: tuple) -> dict:
        return {**self.values, **{name: choices[i][1] for (name, choices), i in zip(self._space, key)}}

    @property
    def views_ready(self) -> bool:
        """True when every view of a chart with ready views is rendered."""
        return self._space is not None and len(self._ready) == len(self._views)

    def pending_views(self) -> list[tuple]:
        """Views not rendered yet, nearest to the one shown first (one slider step before two)."""
        if self._space is None:
            return []
        here = self._key()
        todo = [k for k in self._views if k not in self._ready]
        return sorted(todo, key=lambda k: (sum(abs(a - b) for a, b in zip(k, here)), k))

    def render_view_at(self, key: tuple) -> bool:
        """Render the view at ``key`` into its widget (once); False when it cannot be drawn."""
        with RENDER_LOCK:   # the same lock as every render: one lock, one order, no deadlock
            if key in self._ready:
                return True
            view = self._views[key]
            values = self._values_of(key)
            try:
                png, described = render_view(self.plot, values)
            except Exception as exc:  # noqa: BLE001 - shown in the view's place, in Chinese
                self.last_error = traceback.format_exc()
                self.error_message = _error_message(exc)
                view.value = ('<div class="chart-error" style="color:#a0522d;padding:6px 0">！'
                              f"{html.escape(self.error_message)}</div>")
                self._ready.add(key)
                if self.views_ready and self._box is not None:
                    self._box.add_class("live-chart-ready")
                return False
            self.redraws += 1
            self._described[key] = described
            self._pngs[key] = png
            view.value = self.view_markup(png, self.view_alt(values, described))
            self._ready.add(key)
            if key == self._key():
                self.last_alt = described
            if self.views_ready and self._box is not None:
                self._box.add_class("live-chart-ready")
            return True

    def view_markup(self, png: bytes, alt: str) -> str:
        """One view (ready view, or the kernel path's image): the image with its text alternative
        as ``alt``, and the same text collapsed under it.  (An ``HTML`` widget, not an ``Image``:
        ipywidgets' Image has no alt, and its ``tooltip`` breaks the Image view in ipywidgets 8.1.)"""
        data = base64.b64encode(png).decode("ascii")
        # the PNG's own size (IHDR) as width/height: the page keeps the image's place while a new view
        # decodes, so a switch does not lay the whole notebook out twice
        size = ""
        if png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR":
            size = f' width="{int.from_bytes(png[16:20], "big")}" height="{int.from_bytes(png[20:24], "big")}"'
        return (f'<img class="chart-view" src="data:image/png;base64,{data}"{size} '
                f'alt="{html.escape(alt, quote=True)}" style="max-width:100%;height:auto">' + self.alt_markup(alt))

    def render_all_views(self) -> int:
        """Render every view not rendered yet (nearest first); returns how many were drawn."""
        drawn = 0
        for key in self.pending_views():
            if key not in self._ready:
                self.render_view_at(key)
                drawn += 1
        return drawn

    def _views_widget(self, space: list):
        """Controls above nested Stacks of ready views (one level per control), linked in the browser."""
        import ipywidgets as w

        self._space = space
        self._widgets = {name: self.controls[name].index_widget(name, choices) for name, choices in space}
        view_layout = w.Layout(max_width="100%")        # shared: less widget state per view
        self._stacks = [[] for _ in space]
        here = self._key()

        def level(depth: int, prefix: tuple):
            if depth == len(space):
                view = w.HTML(value='<p class="chart-alt-pending">正在绘制这个视图……</p>', layout=view_layout)
                self._views[prefix] = view
                return view
            children = [level(depth + 1, prefix + (i,)) for i in range(len(space[depth][1]))]
            stack = w.Stack(children, selected_index=here[depth])
            self._stacks[depth].append(stack)
            return stack

        views = level(0, ())
        for depth, (name, _) in enumerate(space):
            for stack in self._stacks[depth]:
                self._links.append(w.jslink((self._widgets[name], "index"), (stack, "selected_index")))
            self._widgets[name].observe(lambda change, n=name: self._on_view_change(n, change["new"]), names="value")
        self._message = w.HTML(value="", layout={"min_height": "0px"})
        self.render_view_at(here)                       # the view shown: drawn before the cell ends
        controls = w.HBox([self.controls[name].view(wid) for name, wid in self._widgets.items()],
                          layout={"flex_flow": "row wrap"})
        self._box = w.VBox([controls, self._message, views])
        self._box.add_class("live-chart")
        self._box.add_class("live-chart-views")
        mode = views_mode()
        if mode == "all":
            self.render_all_views()
        elif not self.views_ready:
            _PREFETCH.add(self)
        if self.views_ready:
            self._box.add_class("live-chart-ready")
        return self._box

    def _on_view_change(self, name: str, new) -> None:
        """A control of a chart with ready views moved (in the browser or by :meth:`set`): the
        browser has switched already; keep the kernel's state in step and draw the view if missing."""
        try:
            value = self.controls[name].coerce(new)
        except ValueError:
            return
        self.values[name] = value
        key = self._key()
        # the Stacks are NOT set from here: the browser's jslinks have switched them already, and an
        # echo from the kernel could arrive after a newer move and show an older view
        if key not in self._ready:
            self.render_view_at(key)                    # asked for before the background got to it
        else:
            self.last_alt = self._described.get(key, "")

    @property
    def _image_shown(self):
        """The widget of the view shown: its HTML widget (ready views), else the Image (kernel path)."""
        if self._space is not None:
            return self._views[self._key()]
        return self._image

    def png_shown(self) -> bytes:
        """The PNG of the view shown (b"" when it could not be drawn)."""
        if self._space is not None:
            return self._pngs.get(self._key(), b"")
        return self._png

    # -- live widget ---------------------------------------------------------
    def widget(self):
        """Build (once) and return the ipywidgets box: controls above the chart image."""
        if self._box is not None:
            return self._box
        import ipywidgets as w

        space = self.view_space() if views_mode() != "off" else None
        if space is not None:
            return self._views_widget(space)
        self._widgets = {name: ctl.widget(name) for name, ctl in self.controls.items()}
        # the image as <img alt> plus its collapsed text (view_markup), as in the ready views
        self._image = w.HTML(value="", layout={"max_width": "100%"})
        self._message = w.HTML(value="", layout={"min_height": "0px"})
        for name, wid in self._widgets.items():
            wid.observe(lambda change, n=name: self._on_change(n, change["new"]), names="value")
        png = self.render()
        self._show(png)
        views = [self.controls[name].view(wid) for name, wid in self._widgets.items()]
        controls = w.HBox(views, layout={"flex_flow": "row wrap"})
        self._box = w.VBox([controls, self._message, self._image])
        self._box.add_class("live-chart")
        return self._box

    def _show(self, png: bytes | None) -> None:
        if png is not None:
            self._png = png
            # the image named by the text alternative of the current view (its alt), and the same
            # text collapsed under it
            self._image.value = self.view_markup(png, self.view_alt(described=self.last_alt))
            self._image.layout.display = None
            self._message.value = ""
        else:
            self._png = b""
            self._message.value = ('<div style="color:#a0522d;padding:6px 0">！'
                                   f"{html.escape(self.error_message)}</div>")
            self._image.layout.display = "none"

    def _on_change(self, name: str, new) -> None:
        ctl = self.controls[name]
        try:
            value = ctl.coerce(new)
        except ValueError as exc:
            self.error_message = str(exc)
            if self._message is not None:
                self._message.value = f'<div style="color:#a0522d;padding:6px 0">！{html.escape(str(exc))}</div>'
            return
        self.values[name] = value
        if self._image is not None:
            self._show(self._cached_render())

    def _cached_render(self) -> bytes | None:
        """Kernel path: the current view from the cache of rendered views, else rendered (and kept)."""
        try:
            key = tuple((name, _hashable(self.values[name])) for name in self.controls)
        except TypeError:
            key = None
        if key is not None and key in self._cache:
            self._cache.move_to_end(key)
            png, self.last_alt = self._cache[key]
            self.error_message = ""
            self.cache_hits += 1
            return png
        png = self.render(fast=True)
        if png is not None and key is not None and self.cache_views > 0:
            self._cache[key] = (png, self.last_alt)
            while len(self._cache) > self.cache_views:
                self._cache.popitem(last=False)
        return png

    def set(self, **values) -> None:
        """Change controls as a learner would; invalid values raise ValueError (Chinese)."""
        for name, new in values.items():
            if name not in self.controls:
                raise ValueError(f"没有名为“{name}”的控件；可用：{'、'.join(self.controls)}")
            value = self.controls[name].coerce(new)
            if self._widgets is not None:
                self._widgets[name].value = value  # triggers _on_change → redraw
            else:
                self.values[name] = value
        self._sync_stacks()

    def _sync_stacks(self) -> None:
        """After a change made from the kernel (:meth:`set`): the Stacks show the current view, also
        where no browser runs the jslinks (tests, a notebook executed without a front end)."""
        if self._space is None:
            return
        key = self._key()
        for depth, stacks in enumerate(self._stacks):
            for stack in stacks:
                if stack.selected_index != key[depth]:
                    stack.selected_index = key[depth]

    # -- display -----------------------------------------------------------
    def static_outputs(self, all_views: bool | None = None) -> list[tuple[dict, dict]]:
        """What static mode displays, as (mime bundle, metadata) pairs: per view an optional
        heading and the image, then the note.  Every output carries its :mod:`utils.marks` mark
        (``static-view`` with control / value / label / alt / part, or ``static-note``); the
        image's ``alt`` metadata is its text alternative, and its ``text/html`` form shows it as
        ``<img alt>`` (:func:`utils.display.image_bundle`: what JupyterLab renders)."""
        from .display import chart_metadata, image_bundle

        outputs = []
        views = self.static_views(all_views)
        for heading, values in views:
            png = self.render(reuse_layout=len(views) > 1, **values)
            view = self._view_mark(values)
            if png is None:
                outputs.append(({"text/plain": f"！{self.error_message}",
                                 "text/html": f'<p style="color:#a0522d">！{html.escape(self.error_message)}</p>'},
                                marks.meta(marks.STATIC_VIEW, **view, alt="", part="error")))
                continue
            alt = self.last_alt or self.title or "图表"
            if heading and heading not in alt:
                alt = f"{heading}。{alt}"
            if heading:
                outputs.append(({"text/plain": heading, "text/html": f"<p><b>{html.escape(heading)}</b></p>"},
                                marks.meta(marks.STATIC_VIEW, **view, alt=alt, part="heading")))
            outputs.append((image_bundle(base64.b64encode(png).decode("ascii"), alt),
                            chart_metadata(alt, role=marks.STATIC_VIEW, **view, part="image")))
        note = self.static_note(all_views)
        outputs.append(({"text/plain": note,
                         "text/html": f'<p class="static-note"><small>{html.escape(note)}</small></p>'},
                        marks.meta(marks.STATIC_NOTE)))
        return outputs

    def static_bundle(self, all_views: bool | None = None) -> list[dict]:
        """The mime bundles of :meth:`static_outputs` (without their metadata)."""
        return [bundle for bundle, _ in self.static_outputs(all_views)]

    def _ipython_display_(self):
        from IPython.display import display

        if is_static() or (views_mode() == "all" and self.view_space() is None):
            # static mode; or a page without a kernel behind it (screen edition) and a chart
            # with too many views to keep: its static views
            all_views = None if is_static() else True
            for bundle, metadata in self.static_outputs(all_views):
                display(bundle, raw=True, metadata=metadata)
        else:
            display(self.widget())


class _Prefetcher:
    """Renders the views of live charts in a background thread, only while the kernel runs no cell.

    A cell that starts waits (IPython's ``pre_run_cell`` event) for the one view being drawn, so
    views never compete with the learner's cells; they are drawn between and after cells.
    Outside a kernel nothing runs in the background (views are drawn when asked for)."""

    def __init__(self):
        self._charts: list = []
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._running_cell = False
        self._idle_since = time.monotonic()
        self._hooked = False

    def _pre_run_cell(self, *args):
        with self._lock:
            self._running_cell = True
        with RENDER_LOCK:       # wait for the view being drawn (at most one)
            pass

    def _post_run_cell(self, *args):
        with self._lock:
            self._running_cell = False
            self._idle_since = time.monotonic()
            self._lock.notify_all()

    def _hook(self) -> bool:
        from .env import in_kernel, shell

        if self._hooked:
            return True
        if not in_kernel():
            return False
        events = shell().events
        events.register("pre_run_cell", self._pre_run_cell)
        events.register("post_run_cell", self._post_run_cell)
        self._hooked = True
        self._running_cell = True          # called from a running cell: wait for its end
        return True

    def add(self, chart: LiveChart) -> None:
        if not self._hook():
            return
        with self._lock:
            if chart not in self._charts:
                self._charts.append(chart)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="live-chart-views", daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def _next(self):
        """(chart, key) of the next view to draw once the kernel is idle; None when all are done."""
        while True:
            with self._lock:
                self._charts = [c for c in self._charts if not c.views_ready]
                if not self._charts:
                    return None
                idle = time.monotonic() - self._idle_since
                if self._running_cell or idle < PREFETCH_IDLE_S:
                    self._lock.wait(timeout=None if self._running_cell else PREFETCH_IDLE_S - idle)
                    continue
                chart = self._charts[-1]           # the chart made last: where the learner is
                pending = chart.pending_views()
                if pending:
                    return chart, pending[0]

    def _run(self) -> None:
        while True:
            job = self._next()
            if job is None:
                return
            chart, key = job
            with RENDER_LOCK:
                with self._lock:
                    if self._running_cell:     # a cell started meanwhile: it goes first
                        continue
                chart.render_view_at(key)


_PREFETCH = _Prefetcher()


def live_chart(plot: Callable, *, title: str = "", **controls: Control) -> LiveChart:
    """Make an interactive chart from ``plot`` and its controls (see the module docstring).

    ``title`` is used as the images' text alternative in static mode.
    """
    return LiveChart(plot, controls, title=title)
