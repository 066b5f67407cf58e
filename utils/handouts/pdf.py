"""PDFs of finished handouts, printed by a real browser (playwright + the system Chromium).

nbconvert's ``webpdf`` exporter cannot be pointed at a system browser and prints Letter; we print
the same HTML the learners open, with the print stylesheet, on A4.  Chromium embeds the CJK fonts
(as Type 3 fonts), so a PDF prints the same everywhere.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from .execute import BuildError

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdfs(pages: list[Path], out_dir: Path, *, echo=print, browser=None) -> list[Path]:
    """Print each HTML page in ``pages`` to ``out_dir/<stem>.pdf`` (A4, backgrounds, print media).
    ``browser``: an already running Playwright Chromium to print with (a caller that holds one, e.g. a
    test session, cannot start a second sync Playwright in the same thread); by default one is started."""
    exe = chromium_path()
    if exe is None and browser is None:
        raise BuildError(f"生成 PDF 需要 Chromium 浏览器，但没有找到。请先安装：{INSTALL_HINT}")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError("生成 PDF 需要 playwright：pip install -r requirements-dev.txt") from None
    try:
        if browser is not None:
            return _print_with(browser, pages, out_dir, echo)
        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            try:
                return _print_with(own, pages, out_dir, echo)
            finally:
                own.close()
    except PlaywrightError as exc:
        raise BuildError(f"用 Chromium 打印 PDF 失败：{str(exc).splitlines()[0][:300]}") from None


def _print_with(browser, pages: list[Path], out_dir: Path, echo) -> list[Path]:
    written = []
    page = browser.new_page()
    try:
        for source in pages:
            start = time.perf_counter()
            page.goto(Path(source).resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            target = out_dir / f"{Path(source).stem}.pdf"
            page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
            written.append(target)
            echo(f"  PDF {target.name}：{time.perf_counter() - start:.1f} s", flush=True)
    finally:
        page.close()
    return written
