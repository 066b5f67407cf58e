"""CJK fonts, the seaborn theme and display options: ``setup()``.

Font choice, in order:
1. a Simplified-Chinese font installed on the system (Noto Sans CJK SC, Source Han Sans SC,
   WenQuanYi, Microsoft YaHei, PingFang SC, SimHei …) — what matplotlib's font list already knows;
2. otherwise the Noto Sans CJK SC file shipped in the ``mplfonts`` wheel, registered for this
   process with ``fontManager.addfont`` (≈ 10 ms; nothing is written to matplotlib's folders).

``setup()`` is idempotent: the font search runs once per process and later calls only
re-apply the theme.  The theme is applied first and the fonts after it, because
``sns.set_theme`` resets ``font.sans-serif``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: System fonts that cover Simplified Chinese, best first.
CJK_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Heiti SC",
    "SimHei",
    "Sarasa Gothic SC",
)

#: Latin fallback for glyphs a CJK font lacks (matplotlib ≥ 3.6 falls back per glyph).
LATIN_FALLBACK = "DejaVu Sans"

#: Colour-blind-safe palette with 3:1 contrast on white (WCAG 2.2, 1.4.11 Non-text Contrast).
#: It keeps the roles of seaborn's "colorblind" palette (after Okabe & Ito: 0 blue, 1 orange,
#: 2 bluish green, 3 red, 4 reddish purple, 5 brown, 7 grey …), with every colour darkened or
#: replaced until it reaches 3:1 against white (seaborn's orange was 2.6:1, its yellow 1.4:1).
#: Measured contrast against white, in order: 5.1, 3.1, 3.4, 6.7, 4.7, 5.7, 6.5, 4.5, 5.3, 3.1.
#: The first five stay apart under simulated protanopia, deuteranopia and tritanopia
#: (CIEDE2000 ≥ 6; tests/test_style_and_charts.py measures both).
PALETTE = ["#0173b2", "#cc8300", "#029e73", "#a8320f", "#b24f93",
           "#806040", "#5e5e5e", "#767676", "#6b7000", "#3b9bd0"]
#: The least contrast a colour that carries meaning must have against the chart's background.
MIN_GRAPHIC_CONTRAST = 3.0


def contrast_ratio(a, b="white") -> float:
    """WCAG 2.x contrast ratio of two colours (anything matplotlib reads: "#rrggbb", names, RGB(A)).

    Alpha is ignored: a caller composites a translucent colour on its background first.
    """
    from matplotlib.colors import to_rgb

    def luminance(colour) -> float:
        channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)

#: rcParams that every chart uses; applied by setup() and by the chart layer's own context.
BASE_RC = {
    "axes.unicode_minus": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (8.0, 4.5),
    "axes.titlesize": 14,
    "axes.titleweight": "normal",  # the bundled CJK font has no bold face
    "axes.labelsize": 11,
    "svg.fonttype": "none",
}


@dataclass(frozen=True)
class FontChoice:
    name: str
    path: str
    origin: str  # "system" or "mplfonts"

    def __str__(self) -> str:
        where = "系统字体" if self.origin == "system" else "mplfonts 自带字体（系统未装中文字体时的后备）"
        return f"{self.name}（{where}）"


_state: dict = {}


def _bundled_font_path() -> Path:
    # find_spec locates the package without importing it: ``import mplfonts`` pulls in fontTools
    # (≈ 25 ms per kernel, measured with cProfile) only to tell us where its font file lies.
    from importlib.util import find_spec

    spec = find_spec("mplfonts")
    if spec is None or not spec.origin:
        return Path("mplfonts-not-installed") / "fonts" / "NotoSansCJKsc-Regular.otf"
    return Path(spec.origin).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"


def find_cjk_font(*, system: bool = True) -> FontChoice:
    """Find a CJK font: a system one if ``system`` and one is installed, else the bundled one.

    Raises ``RuntimeError`` with a Chinese message when neither exists.
    """
    from matplotlib import font_manager

    if system:
        known = {}
        for entry in font_manager.fontManager.ttflist:
            known.setdefault(entry.name, entry.fname)
        for name in CJK_CANDIDATES:
            if name in known and not known[name].startswith(str(_bundled_font_path().parent)):
                return FontChoice(name, known[name], "system")
    path = _bundled_font_path()
    if not path.is_file():
        raise RuntimeError(
            "找不到可用的中文字体：系统里没有装中文字体，mplfonts 自带的 Noto Sans CJK SC 也不在。"
            "请运行 pip install -r requirements.txt，或安装系统字体（如 Debian/Ubuntu：apt install fonts-noto-cjk）。"
        )
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return FontChoice(name, str(path), "mplfonts")


def font_rc(font: FontChoice) -> dict:
    """rcParams that make ``font`` the text font, with a Latin fallback."""
    return {
        "font.family": [font.name, LATIN_FALLBACK],
        "font.sans-serif": [font.name, LATIN_FALLBACK],
        **BASE_RC,
    }


def chart_rc() -> dict:
    """The complete rc used for charts (theme + fonts); setup() must have run."""
    if "rc" not in _state:
        setup()
    return dict(_state["rc"])


def setup(*, quiet: bool = True) -> None:
    """Prepare a notebook: Chinese fonts, seaborn theme, pandas display options.

    Safe to call many times; only the first call searches for fonts.  Returns nothing (so a
    notebook cell shows no output); ``current_font()`` tells which font is in use, and
    ``quiet=False`` prints it.
    """
    import matplotlib as mpl
    import pandas as pd
    import seaborn as sns

    if "font" not in _state:
        force_bundled = os.environ.get("UTILS_FONT", "").lower() == "bundled"
        _state["font"] = find_cjk_font(system=not force_bundled)
        sns.set_theme(style="whitegrid", palette=PALETTE)
        theme_rc = {k: mpl.rcParams[k] for k in mpl.rcParams if k.startswith(("axes.", "grid.", "xtick.", "ytick.", "legend.", "patch.", "lines."))}
        _state["rc"] = {**theme_rc, **font_rc(_state["font"])}
    else:
        sns.set_theme(style="whitegrid", palette=PALETTE)
    mpl.rcParams.update(_state["rc"])
    # Resolve and activate the backend now, outside any rc_context: activating the inline backend
    # turns interactive mode on, and a chart's rc_context would otherwise switch it off again on
    # exit, so later charts would silently not show.
    import matplotlib.pyplot as plt

    plt.switch_backend(mpl.get_backend())
    show_laid_out_figures_as_they_are()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_colwidth", 60)
    pd.set_option("display.unicode.east_asian_width", True)
    if not quiet:
        print(f"中文字体：{_state['font']}")


def show_laid_out_figures_as_they_are() -> bool:
    """In IPython, display the chart layer's figures at their own size with their text alternative.

    See :func:`utils.display.register`.  Returns whether IPython was there.
    """
    from .display import register

    return register()


def current_font() -> FontChoice | None:
    return _state.get("font")
