"""The lesson catalogue and the repository's paths — declared once, read by everything else.

The chapters themselves are declared in ``utils/catalog.toml``; this module reads it and derives:

- :data:`LESSONS` (``Lesson`` records, in chapter order), :data:`CHAPTERS` (their numbers),
  :func:`lesson` (one chapter, with a Chinese error for a wrong number);
- :data:`CHAPTER_NAMES` (how the data tables name each part, 0 = the opening paragraph) and
  :data:`DATA_CHAPTERS` (the chapter numbers a data row may carry);
- :data:`ROOT`, :data:`NOTEBOOK_DIR`, :func:`notebook_paths`, :func:`chapter_of`;
- :data:`NAV_TAG` (the navigation cells' tag, from :mod:`utils.marks`).

Nothing else in the package spells a chapter count, a chapter list or a notebook name.
This module imports only the standard library and :mod:`utils.marks` (no cycles).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import marks

PACKAGE_DIR = Path(__file__).resolve().parent
#: the repository root (the package is installed in place: ``pip install -e .``)
ROOT = PACKAGE_DIR.parent
NOTEBOOK_DIR = ROOT / "notebooks"
CATALOG_FILE = PACKAGE_DIR / "catalog.toml"
NAV_TAG = marks.NAV

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for chapter numbers)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Lesson:
    number: int
    notebook: str
    title: str
    short: str
    data_name: str

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / self.notebook

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem

    @property
    def module(self) -> str:
        """The lesson module's import name (``utils.lessons.ch1``)."""
        return f"utils.lessons.ch{self.number}"


def _read(path: Path = CATALOG_FILE) -> tuple[str, tuple[Lesson, ...]]:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    entries = raw.get("lesson") or []
    lessons = []
    for entry in entries:
        number = int(entry["number"])
        title = str(entry["title"])
        lessons.append(Lesson(
            number=number,
            notebook=str(entry["notebook"]),
            title=title,
            short=str(entry.get("short") or title.split("：")[0]),
            data_name=str(entry.get("data_name") or f"第{chinese_number(number)}章"),
        ))
    lessons.sort(key=lambda x: x.number)
    numbers = [x.number for x in lessons]
    if not lessons or len(set(numbers)) != len(numbers) or min(numbers) < 1:
        raise ValueError(f"{path}: chapter numbers must be unique and ≥ 1, got {numbers}")
    if len({x.notebook for x in lessons}) != len(lessons):
        raise ValueError(f"{path}: two chapters share a notebook file")
    opening = str((raw.get("opening") or {}).get("data_name") or "开篇")
    return opening, tuple(lessons)


OPENING_NAME, LESSONS = _read()
#: chapter numbers of the lessons, in order
CHAPTERS: tuple[int, ...] = tuple(x.number for x in LESSONS)
_BY_NUMBER = {x.number: x for x in LESSONS}
#: how the data tables name each part of the report (0 = the opening paragraph)
CHAPTER_NAMES: dict[int, str] = {0: OPENING_NAME, **{x.number: x.data_name for x in LESSONS}}
#: the chapter numbers a data row may carry
DATA_CHAPTERS: tuple[int, ...] = tuple(sorted(CHAPTER_NAMES))


def chapter_range_text(numbers=CHAPTERS) -> str:
    """"1–4" (or "1、3" when the numbers have gaps) — for error messages."""
    numbers = sorted(numbers)
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
        return f"{numbers[0]}–{numbers[-1]}"
    return "、".join(map(str, numbers))


def lesson(chapter) -> Lesson:
    """The catalogue entry of one chapter; a Chinese ``ValueError`` for anything else."""
    if isinstance(chapter, bool) or not isinstance(chapter, int) or chapter not in _BY_NUMBER:
        raise ValueError(f"章节应为 {chapter_range_text()} 之间的整数，收到的是 {chapter!r}")
    return _BY_NUMBER[chapter]


def notebook_paths() -> list[Path]:
    """The lesson notebooks, in chapter order (whether or not the files exist)."""
    return [x.path for x in LESSONS]


def chapter_of(path) -> int:
    """The chapter number of a lesson notebook (by file name); ``ValueError`` for other files."""
    name = Path(path).name
    for x in LESSONS:
        if x.notebook == name:
            return x.number
    raise ValueError(f"{name} is not one of the lessons in {CATALOG_FILE.name}")


__all__ = ["CATALOG_FILE", "CHAPTERS", "CHAPTER_NAMES", "DATA_CHAPTERS", "LESSONS", "Lesson", "NAV_TAG",
           "NOTEBOOK_DIR", "OPENING_NAME", "ROOT", "chapter_of", "chapter_range_text", "chinese_number",
           "lesson", "notebook_paths"]
