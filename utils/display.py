"""How the chart layer's figures are shown in IPython: at their own size, with a text alternative.

:class:`ReportFigure` is the figure class of every chart made by :mod:`utils.charts`.  It carries
``alt_text``, a short Chinese text alternative (title, what the chart shows, its numbers with
units), written by the chart function that drew it.

:func:`register` (called by ``utils.setup()``) tells IPython to display these figures
- without ``bbox_inches="tight"`` (they are laid out already, caption included), through the very
  printer the inline backend registered for ``Figure`` — same formats, same options;
- with the text alternative as the image's ``alt`` metadata and as the ``text/plain`` form;
- marked with :mod:`utils.marks` metadata (``{"utils": {"role": "chart", "alt": …}}``), which the
  handouts and tests read instead of parsing rendered output.

This module imports nothing from the rest of ``utils`` except :mod:`utils.marks` (no import cycles).
"""
from __future__ import annotations

from matplotlib.figure import Figure

from . import marks

#: The figure formats IPython's inline backend can register for matplotlib figures.
FIGURE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")
#: per-format metadata key of the text alternative (JupyterLab / nbconvert read ``alt``)
ALT_KEY = "alt"


class ReportFigure(Figure):
    """A figure made and laid out by the chart layer (caption inside, layout fixed).

    ``alt_text`` is its text alternative (see :func:`utils.charts.describe`).  Callables in
    ``before_draw`` run with the renderer before every draw — the chart layer uses this to keep
    value labels inside the frame even when the author changes the axis limits afterwards.
    """

    alt_text: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_draw: list = []

    def draw(self, renderer):
        for hook in list(getattr(self, "before_draw", ())):
            hook(renderer)
        return super().draw(renderer)


def alt_of(fig) -> str:
    """The text alternative stored on a figure ("" when it has none)."""
    return str(getattr(fig, "alt_text", "") or "")


def chart_metadata(alt: str, mimes=("image/png",), role: str = marks.CHART, **fields) -> dict:
    """``display(..., metadata=…)`` for one chart image: alt per image format, plus the utils mark."""
    meta = {mime: {ALT_KEY: alt} for mime in mimes}
    meta.update(marks.meta(role, alt=alt, **fields))
    return meta


def register(shell=None) -> bool:
    """Register the display of :class:`ReportFigure` in IPython; False outside IPython."""
    if shell is None:
        from .env import shell as current_shell

        shell = current_shell()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatters = shell.display_formatter.formatters
    for mime, formatter in formatters.items():
        if mime in FIGURE_MIMES:
            formatter.for_type(ReportFigure, _printer_without_crop(formatter))
    shell.display_formatter.mimebundle_formatter.for_type(ReportFigure, _text_and_mark)
    return True


def _text_and_mark(fig, include=None, exclude=None):
    """The figure's text form and its utils mark (the images come from the per-format printers)."""
    alt = alt_of(fig) or "图表"
    return {"text/plain": f"[图] {alt}"}, marks.meta(marks.CHART, alt=alt)


def _printer_without_crop(formatter):
    def print_laid_out(fig):
        base = formatter.type_printers.get(Figure)
        if base is None:  # this format is not enabled for figures
            return None
        try:
            data = base(fig, bbox_inches=None)
        except TypeError:  # a printer someone registered that takes no options
            data = base(fig)
        if data is None:
            return None
        alt = alt_of(fig)
        if isinstance(data, tuple) and len(data) == 2:  # (data, metadata) from the base printer
            data, md = data
            return data, {**(md or {}), ALT_KEY: alt} if alt else md
        return (data, {ALT_KEY: alt}) if alt else data

    return print_laid_out
