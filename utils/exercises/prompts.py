"""Exercise prompts: one source for each exercise's text.

A notebook shows each exercise's prompt in a markdown cell tagged ``exercise-prompt`` whose
metadata names the problem (``{"utils": {"exercise": "q3"}}``).  Its text is generated from
``problem.prompt_markdown()``: ``python -m utils.nbtools prompts [--check] [NB…]`` rewrites (or
checks) those cells, and tests call :func:`stale_prompts`.  The engine never imports the lessons:
the caller passes ``exercises_for`` (chapter → its exercises).
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

_EXERCISES_FOR_RE = re.compile(r"exercises_for\(\s*(\d+)\s*\)")


def _prompt_chapter(nb, path: Path) -> int | None:
    """The chapter whose exercises a notebook uses: from the lesson catalogue by file name, else from
    the notebook's own ``exercises_for(N)`` call."""
    try:
        from .. import catalog

        return catalog.chapter_of(path)
    except (ImportError, AttributeError, ValueError):
        pass
    for cell in nb.cells:
        if cell.cell_type == "code":
            match = _EXERCISES_FOR_RE.search(cell.source)
            if match:
                return int(match.group(1))
    return None


def apply_prompts(nb, path: Path, exercises_for) -> list[str]:
    """Rewrite every markdown cell tagged ``exercise-prompt`` from its problem's ``prompt_markdown()``.

    Returns what was stale (``"q3"`` for a rewritten cell, ``"q3: …"`` for a cell that cannot be
    generated: no exercise named in its metadata, or no such exercise in the chapter)."""
    from .. import marks

    stale: list[str] = []
    tagged = [c for c in nb.cells if c.cell_type == "markdown" and marks.has_tag(c, marks.EXERCISE_PROMPT)]
    if not tagged:
        return stale
    chapter = _prompt_chapter(nb, path)
    if chapter is None:
        return [f"{path.name}: exercise prompts but no exercises_for(N) call"]
    exercises = exercises_for(chapter)
    for cell in tagged:
        mark = cell.metadata.get(marks.KEY)
        name = mark.get("exercise") if isinstance(mark, dict) else None
        if not name:
            stale.append("?: prompt cell without metadata utils.exercise")
            continue
        if name not in exercises:
            stale.append(f"{name}: no such exercise in chapter {chapter}")
            continue
        wanted = exercises[name].prompt_markdown()
        if cell.source != wanted:
            cell.source = wanted
            stale.append(name)
    return stale


def stale_prompts(nb_path, exercises_for) -> list[str]:
    """The exercise prompts of a notebook file that differ from their problems (empty when all match)."""
    path = Path(nb_path)
    return apply_prompts(nbformat.read(path, as_version=4), path, exercises_for)


def prompts(paths, exercises_for, *, check: bool = False) -> int:
    """``python -m utils.nbtools prompts [--check] [NB…]``: rewrite (or check) the exercise prompts."""
    status = 0
    for path in paths:
        path = Path(path)
        nb = nbformat.read(path, as_version=4)
        stale = apply_prompts(nb, path, exercises_for)
        broken = [s for s in stale if ":" in s]
        if check:
            for item in stale:
                print(f"{path.name}: prompt {item} is out of date" if ":" not in item else f"{path.name}: {item}")
            status = status or (1 if stale else 0)
            continue
        for item in broken:
            print(f"{path.name}: {item}")
        if len(stale) > len(broken):
            nbformat.write(nb, path)
            print(f"updated {len(stale) - len(broken)} prompt(s) in {path.name}")
        status = status or (1 if broken else 0)
    return status
