"""The marks that keep screen and paper apart, checked (and the ``author`` tag proposed) per notebook.

    python -m utils.nbtools marks            # tag author code ``author`` (nothing else is changed)
    python -m utils.nbtools marks --check    # exit 1 on a problem below

Problems:

- a cell carries a retired tag (``print-only``: paper text in a visible cell, which JupyterLab showed
  to learners) or a tag that :mod:`utils.marks` does not declare;
- a paper wording (``metadata.utils.print``) on a cell that is not a ``screen-only`` markdown cell
  (only there does the handout builder print it);
- author code without the ``author`` tag (its code would print in the handouts).

Author code, for this check, is a code cell outside the learner's cells (setup, exercise, help,
after-attempt) that uses the lesson modules' author code — imports from :mod:`utils.lessons`, or uses
a name so imported (``ch.plot_people()``, ``ch.section_figures(...)``, ``diagnostic.before()``) — or
calls one of the display helpers in :data:`AUTHOR_HELPERS` (``utils.live_chart``, ``utils.figures``,
``utils.report_list``, ``utils.derive``, ``utils.glossary``): the reader needs their output, not
their code.  Code that teaches (pandas on ``utils.load_figures()``, ``utils.table(...)``) is not.
"""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from . import marks

#: the package whose modules hold the lessons' author code
AUTHOR_PACKAGE = "utils.lessons"
#: ``utils.<name>(...)`` calls that display prepared material (their output prints, their code not)
AUTHOR_HELPERS = ("live_chart", "figures", "report_list", "derive", "glossary")
#: cells the learner works in or that are never printed: never proposed as author code
LEARNER_TAGS = (marks.SETUP, marks.EXERCISE, marks.EXERCISE_HELP, marks.AFTER_ATTEMPT)


def _parse(source: str):
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None


def _author_imports(tree) -> set[str]:
    """Names bound by imports from the lesson modules."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(AUTHOR_PACKAGE) and not node.level:
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.asname for alias in node.names if alias.name.startswith(AUTHOR_PACKAGE + ".")
                      and alias.asname}
    return names


def _uses_author_code(tree, author_names: set[str]) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(AUTHOR_PACKAGE):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith(AUTHOR_PACKAGE) for a in node.names):
            return True
        if isinstance(node, ast.Name) and node.id in author_names:
            return True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "utils"
                and node.func.attr in AUTHOR_HELPERS):
            return True
    return False


def author_cells(nb) -> list[int]:
    """Indices of the code cells that are author code by the rule of this module (tagged or not)."""
    found, author_names = [], set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = _parse(cell.source)
        if tree is None:
            continue
        author_names |= _author_imports(tree)
        if marks.tags_of(cell) & set(LEARNER_TAGS):
            continue
        if _uses_author_code(tree, author_names):
            found.append(index)
    return found


def problems(nb) -> list[str]:
    """What is wrong with the screen/paper marks of one notebook (see the module docstring)."""
    found = []
    for index, cell in enumerate(nb.cells):
        tags = marks.tags_of(cell)
        for tag in sorted(tags):
            if tag in marks.RETIRED_TAGS:
                found.append(f"第 {index} 个单元格带有已停用的标签 {tag}：{marks.RETIRED_TAGS[tag]}")
            elif tag not in marks.TAGS:
                found.append(f"第 {index} 个单元格带有未声明的标签 {tag}（见 utils/marks.py）")
        if marks.paper_text(cell) is not None and (marks.SCREEN_ONLY not in tags or cell.cell_type != "markdown"):
            found.append(f"第 {index} 个单元格有纸面文字（metadata.{marks.KEY}.{marks.PRINT}），"
                         "但它不是 screen-only 的文字单元格：讲义不会印出它")
    for index in author_cells(nb):
        if marks.AUTHOR not in marks.tags_of(nb.cells[index]):
            first = next((ln.strip() for ln in nb.cells[index].source.splitlines() if ln.strip()), "")
            found.append(f"第 {index} 个单元格是作者代码，但没有 author 标签（讲义会印出它的代码）：{first[:60]}"
                         "（运行 python -m utils.nbtools marks 加上）")
    return found


def tag_author_cells(nb) -> list[int]:
    """Add the ``author`` tag to every author-code cell without it; the indices changed."""
    changed = []
    for index in author_cells(nb):
        cell = nb.cells[index]
        tags = list(cell.metadata.get("tags") or [])
        if marks.AUTHOR not in tags:
            cell.metadata["tags"] = tags + [marks.AUTHOR]
            changed.append(index)
    return changed


def run(paths: list[Path], *, check: bool, echo=print) -> int:
    """``python -m utils.nbtools marks [--check]`` over ``paths``; the exit status."""
    status = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if not check:
            changed = tag_author_cells(nb)
            if changed:
                nbformat.write(nb, path)
                echo(f"{path.name}：{len(changed)} 个作者代码单元格加上了 author 标签（第 {changed} 个）")
        for problem in problems(nb):
            echo(f"{path.name}：{problem}")
            status = 1
    return status
