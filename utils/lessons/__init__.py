"""The lessons' exercise sets, one module per chapter (``ch1.py`` … ).

``exercises_for(1)`` returns chapter 1's :class:`~utils.exercises.Exercises`.  Each module
``chN.py`` defines ``build()``; answers are computed from the data by id, never typed in.
Which chapters exist, their notebooks and titles come from the catalogue (:mod:`utils.catalog`).
"""
from __future__ import annotations

import importlib

from .. import catalog

#: chapter → (notebook file in notebooks/, Chinese title) — derived from the catalogue
LESSONS = {x.number: (x.notebook, x.title) for x in catalog.LESSONS}
CHAPTERS = catalog.CHAPTERS


def title_of(chapter: int) -> str:
    """The Chinese title of a chapter (for exercise sets)."""
    return catalog.lesson(chapter).title


def exercises_for(chapter: int):
    """The exercises of one chapter (a fresh set: progress starts at zero), with the per-learner
    variants :mod:`.variants` declares (the exam edition has no such module: its problems are
    already its learners' variants)."""
    entry = catalog.lesson(chapter)  # a Chinese ValueError for a chapter that does not exist
    module = importlib.import_module(f"{__name__}.ch{entry.number}")
    book = module.build()
    try:
        from . import variants
    except ImportError:
        return book
    return variants.attach(book)
