"""The four lessons: file names, titles, and per-chapter exercise sets.

``exercises_for(1)`` returns chapter 1's :class:`~utils.exercises.Exercises`.  Each module
``chN.py`` defines ``build()``; answers are computed from the data by id, never typed in.
"""
from __future__ import annotations

import importlib

#: chapter → (notebook file in notebooks/, Chinese title)
LESSONS = {
    1: ("01_organisation.ipynb", "第一章 强化组织引领：三维责任体系"),
    2: ("02_cadres.ipynb", "第二章 优化队伍建设：专业化的攻坚人才梯队"),
    3: ("03_support_models.ipynb", "第三章 创新帮扶模式：电商、产业与东西部协作"),
    4: ("04_consolidation.ipynb", "第四章 巩固攻坚成果：监测与防止返贫"),
}
CHAPTERS = tuple(LESSONS)


def exercises_for(chapter: int):
    """The exercises of one chapter (a fresh set: progress starts at zero)."""
    if chapter not in CHAPTERS:
        raise ValueError(f"章节应为 1–4，收到的是 {chapter!r}")
    module = importlib.import_module(f"{__name__}.ch{chapter}")
    return module.build()
