"""Notebook maintenance: navigation cells and re-executing the lessons in static mode.

    python -m utils.nbtools nav            # (re)write the prev / contents / next cells
    python -m utils.nbtools nav --check    # exit 1 if any navigation cell is out of date
    python -m utils.nbtools execute        # run every lesson top to bottom (static charts) and save
    python -m utils.nbtools prompts        # rewrite the exercise prompt cells from the problems (--check)
    python -m utils.nbtools timing         # rewrite each chapter's 预计用时 line from utils.timing (--check)
    python -m utils.nbtools marks          # tag author code `author`; --check: screen/paper marks right

``execute`` is how the committed outputs are made: a fresh kernel per notebook, working directory
``notebooks/``, ``STATIC_CHARTS=1`` so live charts store real images, widget state removed, no
timing metadata — so nbval can compare the stored outputs deterministically.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat

from . import catalog
from .catalog import NAV_TAG, NOTEBOOK_DIR, ROOT, chapter_of, notebook_paths

KERNEL_TIMEOUT = 600
#: the ASCII anchor README.md puts above its 目录 heading (JupyterLab ignores non-ASCII #fragments)
CONTENTS_ANCHOR = "toc"

__all__ = ["NAV_TAG", "NOTEBOOK_DIR", "ROOT", "apply_nav", "chapter_of", "check_nav", "clean_metadata",
           "execute", "kernel_env", "nav_markdown", "notebook_paths"]


def nav_markdown(chapter: int, *, position: str = "top", ext: str = ".ipynb") -> str:
    """The navigation line of one chapter (``ext=".html"`` for handouts)."""
    def link(entry):
        return f"[{entry.short}]({entry.stem}{ext})"

    order = list(catalog.CHAPTERS)
    here = order.index(catalog.lesson(chapter).number)
    prev_part = f"← 上一章：{link(catalog.LESSONS[here - 1])}" if here > 0 else "← （这是第一章）"
    next_part = (f"下一章：{link(catalog.LESSONS[here + 1])} →" if here + 1 < len(order)
                 else "（这是最后一章） →")
    contents = "[目录](index.html)" if ext == ".html" else f"[目录](../README.md#{CONTENTS_ANCHOR})"
    line = f"{prev_part} ｜ {contents} ｜ {next_part}"
    if position == "bottom":
        line = "---\n\n" + line
    return line


def apply_nav(nb, chapter: int, ext: str = ".ipynb") -> bool:
    """Make the first and last cells the navigation cells; return True if anything changed."""
    cells = nb.cells
    changed = False
    wanted = {"top": nav_markdown(chapter, position="top", ext=ext),
              "bottom": nav_markdown(chapter, position="bottom", ext=ext)}
    for position, index in (("top", 0), ("bottom", -1)):
        has = cells and NAV_TAG in cells[index].get("metadata", {}).get("tags", [])
        if has:
            if cells[index].source != wanted[position]:
                cells[index].source = wanted[position]
                changed = True
        else:
            cell = nbformat.v4.new_markdown_cell(wanted[position], metadata={"tags": [NAV_TAG]})
            if position == "top":
                cells.insert(0, cell)
            else:
                cells.append(cell)
            changed = True
    return changed


def check_nav() -> list[str]:
    """Problems with navigation cells (empty when all are right)."""
    problems = []
    for path in notebook_paths():
        if not path.exists():
            problems.append(f"{path.name}: missing")
            continue
        nb = nbformat.read(path, as_version=4)
        if apply_nav(nb, chapter_of(path)):
            problems.append(f"{path.name}: navigation cells are missing or out of date")
    return problems


def clean_metadata(nb) -> None:
    """Remove widget state and per-run metadata that would make outputs differ between runs."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)


def kernel_env(base=None, **overrides) -> dict:
    """The environment of a kernel that re-executes a lesson (this process's is left unchanged).

    Static charts, solutions visible, this checkout's ``utils`` first on the import path, checks not
    logged; any
    ``overrides`` on top (a value of None removes the variable).
    """
    env = dict(os.environ if base is None else base)
    env["STATIC_CHARTS"] = "1"
    env.pop("HIDE_SOLUTIONS", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["COURSE_ATTEMPTS"] = os.devnull     # an author's re-run must not fill a learner's attempt log
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


def execute(path: Path, *, timeout: int = KERNEL_TIMEOUT, save: bool = True, env: dict | None = None):
    """Run one notebook top to bottom in static mode (fresh kernel, cwd notebooks/).

    The kernel gets ``env`` (default :func:`kernel_env`); ``os.environ`` is not touched.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    clean_metadata(nb)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=kernel_env() if env is None else env)
    clean_metadata(nb)
    if save:
        nbformat.write(nb, path)
    return nb


def stale_prompts(nb_path) -> list[str]:
    """The exercise prompts of a notebook file that differ from their problems (see utils.exercises.prompts)."""
    from .exercises.prompts import stale_prompts as stale
    from .lessons import exercises_for

    return stale(nb_path, exercises_for)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.nbtools", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prompt = sub.add_parser("prompts", help="rewrite (or --check) the exercise prompt cells from the problems")
    prompt.add_argument("--check", action="store_true", help="only check; exit 1 when a prompt is stale")
    prompt.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson notebook")
    timed = sub.add_parser("timing", help="rewrite (or --check) each notebook's 预计用时 line (utils.timing)")
    timed.add_argument("--check", action="store_true", help="only check; exit 1 when a line is stale")
    timed.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson notebook")
    nav = sub.add_parser("nav", help="write (or --check) the navigation cells")
    nav.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    mark = sub.add_parser("marks", help="tag author code (or --check the screen/paper marks: utils/marking.py)")
    mark.add_argument("--check", action="store_true", help="only check; exit 1 on a problem")
    mark.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson notebook")
    run = sub.add_parser("execute", help="execute notebooks in static mode and save the outputs")
    run.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson in the catalogue")
    args = parser.parse_args(argv)

    if args.command == "prompts":
        from .exercises.prompts import prompts
        from .lessons import exercises_for

        return prompts(args.notebooks or [p for p in notebook_paths() if p.exists()], exercises_for, check=args.check)

    if args.command == "timing":
        from .lessons import exercises_for
        from .timing import timing

        return timing(args.notebooks or [p for p in notebook_paths() if p.exists()], exercises_for, check=args.check)

    if args.command == "marks":
        from .marking import run as run_marks

        return run_marks(args.notebooks or [p for p in notebook_paths() if p.exists()], check=args.check)

    if args.command == "nav":
        if args.check:
            problems = check_nav()
            for p in problems:
                print(p)
            return 1 if problems else 0
        for path in notebook_paths():
            if path.exists():
                nb = nbformat.read(path, as_version=4)
                if apply_nav(nb, chapter_of(path)):
                    nbformat.write(nb, path)
                    print(f"updated {path.name}")
        return 0

    paths = args.notebooks or [p for p in notebook_paths() if p.exists()]
    for path in paths:
        path = path.resolve()
        nb = nbformat.read(path, as_version=4)
        if path.parent == NOTEBOOK_DIR and path.name in {x.notebook for x in catalog.LESSONS}:
            if apply_nav(nb, chapter_of(path)):
                nbformat.write(nb, path)
        print(f"executing {path.name} …", flush=True)
        execute(path)
        print(f"  saved {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
