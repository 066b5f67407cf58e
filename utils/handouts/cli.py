"""``python -m utils.handouts``: the command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .builder import DEFAULT_OUT, ROOT, SCREEN_SUBDIR, SOLUTIONS_SUBDIR, build, default_notebooks
from .execute import DEFAULT_TIMEOUT, BuildError
from .render import INDEX_NAME


def pdf_prerequisites_missing() -> str:
    """One Chinese line naming what ``--pdf`` still needs (empty when playwright and Chromium are there)."""
    import importlib.util

    from .pdf import INSTALL_HINT, chromium_path

    needs = []
    if importlib.util.find_spec("playwright") is None:
        needs.append("playwright（pip install -r requirements-dev.txt）")
    if chromium_path() is None:
        needs.append(f"Chromium 浏览器（{INSTALL_HINT}）")
    return ("生成 PDF 还缺：" + "；".join(needs) + "。装好后再运行；不加 --pdf 可以只生成 HTML 讲义。") if needs else ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m utils.handouts",
        description="以静态图模式执行各章笔记本，生成可离线打开、可打印的 HTML 讲义（印刷版）和 index.html；"
                    "加 --pdf 同时生成 A4 PDF。 Build the printable, offline handouts of the lessons.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="例 / examples:\n"
               "  python -m utils.handouts                     # 学员版 → handouts/\n"
               "  python -m utils.handouts --pdf               # 学员版 + A4 PDF（需要 Chromium）\n"
               "  python -m utils.handouts --with-solutions    # 教师版（含参考答案）→ handouts/solutions/\n"
               "  python -m utils.handouts --screen            # 屏幕版（图表可切换，离线）→ handouts/screen/\n"
               "  python -m utils.handouts --notebooks notebooks/01_organisation.ipynb --out /tmp/h\n\n"
               "Exit code 1 when a notebook fails (the message names notebook, cell and error); the output\n"
               "folder is then left as it was: the build writes to a staging folder and moves it into place\n"
               "only when everything succeeded.")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=f"output folder (default: {DEFAULT_OUT.relative_to(ROOT)}/ at the repo root; with "
                             f"--with-solutions: {DEFAULT_OUT.relative_to(ROOT)}/{SOLUTIONS_SUBDIR}/, so teacher "
                             "copies never overwrite the learners' copies)")
    parser.add_argument("--with-solutions", action="store_true",
                        help="teacher's copy: add an appendix 附录：参考答案 to each chapter "
                             "(without this flag no solution appears anywhere)")
    parser.add_argument("--pdf", action="store_true",
                        help="also print each handout to an A4 PDF beside it (playwright + /usr/bin/chromium)")
    parser.add_argument("--screen", action="store_true",
                        help=f"the screen edition: live charts that switch their views in a plain browser, offline, "
                             f"with widgets_js/ beside the pages (default folder: "
                             f"{DEFAULT_OUT.relative_to(ROOT)}/{SCREEN_SUBDIR}/)")
    parser.add_argument("--notebooks", nargs="+", type=Path, metavar="PATH",
                        help="notebooks to build, in this order (default: every lesson of the catalogue)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"longest time one cell may run before the build stops (default: {DEFAULT_TIMEOUT})")
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    if args.screen and args.pdf:
        parser.error("--pdf prints the print edition; build it without --screen")
    default = DEFAULT_OUT / SCREEN_SUBDIR if args.screen else DEFAULT_OUT
    out_dir = args.out if args.out is not None else (
        default / SOLUTIONS_SUBDIR if args.with_solutions else default)
    notebooks = args.notebooks or default_notebooks()

    def echo(*items, file=None, **kw):
        print(*items, file=file or sys.stdout, **kw)

    if args.pdf:  # check before building every HTML page: the learner install has no playwright
        missing = pdf_prerequisites_missing()
        if missing:
            print(missing, file=sys.stderr, flush=True)
            return 1
    try:
        built = build(notebooks, out_dir, with_solutions=args.with_solutions, timeout=args.timeout,
                      pdf=args.pdf, echo=echo, screen=args.screen)
    except BuildError as exc:
        print(f"讲义生成中止 / build stopped: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\n已中断 / interrupted", file=sys.stderr)
        return 130
    print("讲义 / handouts:")
    for handout in built:
        print(f"  {handout.path}")
        if handout.pdf is not None:
            print(f"  {handout.pdf}")
    print(f"  {Path(out_dir).resolve() / INDEX_NAME}")
    return 0
