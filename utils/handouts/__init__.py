"""Printable, offline handouts of the lessons — a print edition built from the notebooks' marks.

    python -m utils.handouts                      # learners' copies → handouts/*.html + index.html
    python -m utils.handouts --pdf                # … and an A4 PDF of each (real Chromium)
    python -m utils.handouts --with-solutions     # teacher's copies → handouts/solutions/ (附录：参考答案)
    python -m utils.handouts --screen             # screen edition → handouts/screen/ (live charts, offline)
    python -m utils.handouts --notebooks notebooks/02_cadres.ipynb --out /tmp/h

One module per job:

- :mod:`.execute` — run a notebook in memory (never saved) in a fresh kernel in static mode
  (``STATIC_CHARTS=all``: every view of a chart's dropdown), with the notebook's folder as working
  directory; a failure is a :class:`BuildError` naming notebook, cell and error (no traceback).
- :mod:`.cells` — prepare the cells: decide what prints, from cell tags and output marks only (:mod:`utils.marks`;
  the table is in that module's docstring): setup/help/screen-only cells out (a screen-only cell's paper wording in its place), after-attempt cells
  out of the learners' edition, author code not printed, exercises as answer boxes (the problem's
  own ``paper_html()``), feedback/hint/solution/progress outputs never printed, every image with
  alt text from its mark.
- :mod:`.render` — nbconvert with our template (``utils/handout_template/``: nbconvert's ``lab``
  template without any external script, plus a compact A4 print stylesheet); links to chapters
  become ``.html`` links, the contents link becomes ``index.html``.
- :mod:`.index` — ``index.html``.
- :mod:`.pdf` — ``--pdf``: print each page with playwright and the system Chromium (A4).
- :mod:`.builder` / :mod:`.cli` — the whole build into a staging folder, moved into place only on
  success (a failed build never leaves a partial output folder), and the command line.

A handout is one self-contained file: images embedded as data: URIs, no http(s) address in any
script, stylesheet or image.

The screen edition (``--screen``, :mod:`.screen`) runs the notebooks with live charts whose every view
is rendered in the cell (``LIVE_CHART_VIEWS=all``) and the widget state saved; the same preparation
keeps ``screen-only`` cells (not their paper wording, ``metadata.utils.print``) and the charts' widget views; the ``screen``
template (``utils/handout_template/screen/``) loads ``widgets_js/embed.js`` — the vendored
``@jupyter-widgets/html-manager`` — from beside the page, so every chart with at most 64 views
switches them in a plain browser from ``file://`` with no kernel and no network.
"""
from .builder import (DEFAULT_OUT, MAX_BYTES, NOTEBOOK_DIR, ROOT, SOLUTIONS_SUBDIR, Handout, build, build_one,
                    chapter_of, default_notebooks, publish)
from .cli import main
from .execute import DEFAULT_TIMEOUT, BuildError, execute_notebook, kernel_env
from .index import write_index
from .cells import Prepared, answer_box, prepare, solutions_appendix
from .render import INDEX_NAME, SOLUTIONS_META, TEMPLATE_DIR, convert, rewrite_links, scan

__all__ = ["DEFAULT_OUT", "DEFAULT_TIMEOUT", "INDEX_NAME", "MAX_BYTES", "NOTEBOOK_DIR", "ROOT", "SOLUTIONS_META",
           "SOLUTIONS_SUBDIR", "TEMPLATE_DIR", "BuildError", "Handout", "Prepared", "answer_box", "build",
           "build_one", "chapter_of", "convert", "default_notebooks", "execute_notebook", "kernel_env", "main",
           "prepare", "publish", "rewrite_links", "scan", "solutions_appendix", "write_index"]
