"""How the chart layer's figures are shown in IPython: at their own size, with a text alternative.

:class:`ReportFigure` is the figure class of every chart made by :mod:`utils.charts`.  It carries
``alt_text``, a short Chinese text alternative (title, what the chart shows, its numbers with
units), written by the chart function that drew it.

:func:`register` (called by ``utils.setup()``) tells IPython to display these figures
- without ``bbox_inches="tight"`` (they are laid out already, caption included), through the very
  printer the inline backend registered for ``Figure`` — same formats, same options;
- with the text alternative as the image's ``alt`` metadata and as the ``text/plain`` form;
- as ``text/html`` too: the same image as ``<img alt="…" src="data:…">`` (:func:`image_html`).
  JupyterLab renders the first mimetype of its ranking that a bundle has (``text/html`` rank 50
  before ``image/png`` rank 90) and ignores an image's ``alt`` metadata, so the HTML form is how
  the text alternative reaches the page (and screen readers); its sanitizer keeps ``data:`` in an
  ``<img src>`` also in an untrusted notebook.  The ``image/png`` stays in the bundle for everything
  that reads images (the handouts, nbconvert's PDF, tests).  Cost: the image is stored twice;
- marked with :mod:`utils.marks` metadata (``{"utils": {"role": "chart", "alt": …}}``), which the
  handouts and tests read instead of parsing rendered output.

:func:`image_bundle` is the same pair (``image/png`` + ``text/html``) for images the project
displays itself (a live chart's static views).

This module imports nothing from the rest of ``utils`` except :mod:`utils.marks` (no import cycles).
"""
from __future__ import annotations

import base64
import functools
import html
import io
import weakref

from matplotlib.figure import Figure

from . import marks

#: The figure formats IPython's inline backend can register for matplotlib figures.
FIGURE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")
#: the formats an ``<img>`` can show, in the order the ``text/html`` form picks one of them
HTML_IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")
#: per-format metadata key of the text alternative (nbconvert reads ``alt``; JupyterLab does not)
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
        self.drawn_on = None            # weak reference to the renderer of the last complete draw

    def draw(self, renderer):
        for hook in list(getattr(self, "before_draw", ())):
            hook(renderer)
        self.drawn_on = None
        result = super().draw(renderer)
        self.drawn_on = weakref.ref(renderer)
        return result


def alt_of(fig) -> str:
    """The text alternative stored on a figure ("" when it has none)."""
    return str(getattr(fig, "alt_text", "") or "")


def chart_metadata(alt: str, mimes=("image/png",), role: str = marks.CHART, **fields) -> dict:
    """``display(..., metadata=…)`` for one chart image: alt per image format, plus the utils mark."""
    meta = {mime: {ALT_KEY: alt} for mime in mimes}
    meta.update(marks.meta(role, alt=alt, **fields))
    return meta


def image_html(mime: str, data, alt: str, metadata: dict | None = None) -> str:
    """One image of a display bundle as ``<img src="data:…" alt="…">`` (the form JupyterLab shows
    with its text alternative).  ``data``: base64 text or bytes for PNG/JPEG, SVG text;
    ``metadata``'s ``width``/``height`` (a retina PNG's display size) become attributes."""
    if mime == "image/svg+xml":
        text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    elif isinstance(data, bytes):
        payload = base64.b64encode(data).decode("ascii")
    else:
        payload = "".join(str(data).split())          # base64 text, without its line breaks
    size = ""
    for key in ("width", "height"):
        value = (metadata or {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            size += f' {key}="{int(value)}"'
    return f'<img src="data:{mime};base64,{payload}" alt="{html.escape(alt, quote=True)}"{size}>'


def image_bundle(png_base64: str, alt: str) -> dict:
    """The mime bundle of one PNG the project displays itself: ``image/png``, the same image as
    ``text/html`` with its ``alt`` (what JupyterLab shows), and ``[图] alt`` as ``text/plain``."""
    return {"image/png": png_base64, "text/html": image_html("image/png", png_base64, alt),
            "text/plain": f"[图] {alt}"}


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
            # the images come from the bundle below; without an entry for ReportFigure the
            # inline backend's printer for Figure would print them again, cropped
            formatter.for_type(ReportFigure, _in_bundle)
    shell.display_formatter.mimebundle_formatter.for_type(ReportFigure, _bundle_printer(formatters))
    return True


def _in_bundle(fig):
    """Per-format printer of :class:`ReportFigure`: nothing (its bundle printer made the image)."""
    return None


def _bundle_printer(formatters: dict):
    """The bundle of a :class:`ReportFigure`: each figure format enabled now (printed by the inline
    backend's own printer for ``Figure``, without crop, with ``alt`` metadata), the first image as
    ``text/html`` ``<img alt>``, the text form ``[图] alt``, and the utils mark."""

    def print_bundle(fig):
        alt = alt_of(fig) or "图表"
        data, metadata = {"text/plain": f"[图] {alt}"}, {}
        for mime in FIGURE_MIMES:
            formatter = formatters.get(mime)
            if formatter is None or not formatter.enabled:
                continue
            printed = _print_laid_out(formatter, fig)
            if printed is None:
                continue
            image, md = printed
            data[mime] = image
            metadata[mime] = {**md, ALT_KEY: alt}
        for mime in HTML_IMAGE_MIMES:
            if mime in data:
                data["text/html"] = image_html(mime, data[mime], alt, metadata[mime])
                break
        metadata.update(marks.meta(marks.CHART, alt=alt))
        return data, metadata

    return print_bundle


def rgba_image(rgba):
    """A Pillow image holding a copy of an RGBA pixel buffer (height × width × 4, uint8): RGB when
    the image is opaque (a quarter fewer bytes to compress, same pixels)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(rgba)
    return Image.fromarray(pixels[..., :3].copy() if pixels[..., 3].min() == 255 else pixels.copy())


def png_bytes(image, dpi: float, *, fast: bool = False) -> bytes:
    """A Pillow image (:func:`rgba_image`) as PNG bytes with ``dpi``.  ``fast``: light compression."""
    buf = io.BytesIO()
    image.save(buf, format="png", dpi=(dpi, dpi), **({"compress_level": 1} if fast else {}))
    return buf.getvalue()


def _drawn_png(base, fig):
    """The PNG the inline backend's printer ``base`` would make of ``fig``, from the pixels its
    canvas already holds, as base64 text; None when that cannot be known to be the same image.

    After each cell pyplot draws every changed figure on its canvas (its ``post_execute`` hook),
    and the inline backend then prints it with ``savefig``, which draws it all over again.  When
    the figure is a :class:`ReportFigure` drawn completely on its canvas's current renderer and
    unchanged since, and the printer is IPython's own plain PNG printer (the figure's dpi and
    colours, no crop), the canvas holds exactly the pixels ``savefig`` would draw (a test
    compares them): those are encoded instead of drawing the figure a second time."""
    from IPython.core.pylabtools import print_figure
    from matplotlib import rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not (isinstance(base, functools.partial) and base.func is print_figure and not base.args
            and base.keywords.get("fmt") == "png" and base.keywords.get("base64")
            and set(base.keywords) <= {"fmt", "base64", "bbox_inches"}):
        return None
    drawn = getattr(fig, "drawn_on", None)
    canvas = fig.canvas
    if (drawn is None or fig.stale or not isinstance(canvas, FigureCanvasAgg) or rcParams["savefig.transparent"]
            or getattr(canvas, "device_pixel_ratio", 1) != 1 or not (fig.axes or fig.lines)):
        return None
    renderer = canvas.get_renderer()
    if drawn() is not renderer:
        return None
    return base64.b64encode(png_bytes(rgba_image(canvas.buffer_rgba()), fig.dpi)).decode("ascii")


def _print_laid_out(formatter, fig):
    """(data, metadata) of ``fig`` from the printer this format has for ``Figure``, without
    ``bbox_inches="tight"``; None when the format is not enabled for figures.  A PNG of a figure
    drawn on its canvas and unchanged since is encoded from the canvas (:func:`_drawn_png`)."""
    base = formatter.type_printers.get(Figure)
    if base is None:  # this format is not enabled for figures
        return None
    drawn = _drawn_png(base, fig)
    if drawn is not None:
        return drawn, {}
    try:
        data = base(fig, bbox_inches=None)
    except TypeError:  # a printer someone registered that takes no options
        data = base(fig)
    if data is None:
        return None
    if isinstance(data, tuple) and len(data) == 2:  # (data, metadata) from the base printer
        return data[0], dict(data[1] or {})
    return data, {}
