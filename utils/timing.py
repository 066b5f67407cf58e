"""How long a chapter takes, declared once: minutes per problem (by kind and level), reading time from the
notebook's markdown, and sessions of :data:`SESSION_MINUTES` for the 基础 problems only and for all.

    python -m utils.nbtools timing [--check]    # the 预计用时 line of each lesson notebook
    python -m utils.lessons.review [--check]    # the instructor guide's schedule (and mistake-id table)

Every number a notebook, README or the guide states about time comes from here.  The values are
estimates for adults who have never programmed: reading the prompt, trying, running ``check()``, reading
one hint, correcting once.  A teacher who taught the course estimated roughly twice the "two 45-minute
sessions" the chapters used to state; these values give about that.

This module reads problems through their public attributes (``kind``, ``level``, ``track``, ``name``)
and notebooks through their cell marks; it never imports the lessons (callers pass the exercise sets).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, marks
from .exercises.core import BASIC, EXTENSION

#: one lesson (节课)
SESSION_MINUTES = 45
#: 字/分钟: careful reading of explanations that come with tables and charts (a first reading of a
#: popular-science page is 400–500; a reader who stops at each number and figure, about 300)
READING_SPEED = 300
#: kind → minutes at level 1, 2, 3 (a level above 3 counts as 3)
MINUTES: dict[str, tuple[int, int, int]] = {
    "choice": (3, 4, 6),
    "multichoice": (4, 6, 8),
    "term": (3, 4, 6),
    "numeric": (4, 6, 9),
    "interval": (5, 7, 10),
    "code": (8, 12, 18),        # pandas for non-programmers: find the column, filter, fix a typo, run again
    "chart": (10, 14, 20),      # build the table, draw, label the axes, let check() read the chart
    "discussion": (8, 10, 12),  # think, write a sentence, compare with a neighbour
}
#: a kind the table does not know (a new kind added later): this, until it is declared above
DEFAULT_MINUTES = (6, 9, 12)
#: one form of the before/after diagnostic (ten short items; cells marked ``utils.diagnostic``)
DIAGNOSTIC_MINUTES = 10
#: the notebook's line that states the chapter's time (in its intro cell); generated, never edited
TIMING_PREFIX = "**预计用时**"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LIVE_TITLE = re.compile(r"utils\.live_chart\([^)]*?title\s*=\s*\"([^\"]+)\"", re.S)


def problem_minutes(problem) -> int:
    """Minutes one problem takes (its kind and level; :data:`DEFAULT_MINUTES` for an unknown kind)."""
    row = MINUTES.get(getattr(problem, "kind", ""), DEFAULT_MINUTES)
    level = min(max(int(getattr(problem, "level", 1) or 1), 1), len(row))
    return row[level - 1]


def han_count(text: str) -> int:
    """The Chinese characters in ``text`` (punctuation, digits and Latin letters not counted)."""
    return len(_HAN.findall(text or ""))


def _meta(cell) -> dict:
    mark = (cell.get("metadata") or {}).get(marks.KEY)
    return mark if isinstance(mark, dict) else {}


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _read_on_screen(cell) -> bool:
    """Markdown a learner reads in JupyterLab (not the navigation, an exercise prompt — counted in the
    problem's minutes — or the diagnostic, counted as a whole; the paper text in a cell's metadata is
    never on screen and never read here)."""
    tags = marks.tags_of(cell)
    return (cell.get("cell_type") == "markdown" and not tags & {marks.NAV, marks.EXERCISE_PROMPT}
            and not _meta(cell).get("diagnostic"))


def _without_timing_line(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(TIMING_PREFIX))


@dataclass
class Part:
    """One part of a notebook: from a ``## `` heading to the next (the cells before the first: 导入)."""

    title: str
    chars: int = 0
    exercises: list = field(default_factory=list)     # problem names in notebook order
    charts: list = field(default_factory=list)        # live-chart titles
    diagnostic: bool = False

    @property
    def reading(self) -> float:
        return self.chars / READING_SPEED


def parts_of(nb) -> list[Part]:
    """The notebook's parts, in order, each with its reading, exercises and live charts."""
    parts = [Part("导入")]
    for cell in nb.get("cells", ()) if isinstance(nb, dict) else nb.cells:
        text = _source(cell)
        if cell.get("cell_type") == "markdown" and marks.NAV not in marks.tags_of(cell):
            heading = next((line[3:].strip() for line in text.splitlines() if line.startswith("## ")), None)
            if heading is not None:
                parts.append(Part(heading, diagnostic=bool(_meta(cell).get("diagnostic"))))
        part = parts[-1]
        if _read_on_screen(cell):
            part.chars += han_count(_without_timing_line(text))
        if cell.get("cell_type") == "markdown" and marks.EXERCISE_PROMPT in marks.tags_of(cell):
            name = _meta(cell).get("exercise")
            if name and name not in part.exercises:
                part.exercises.append(name)
        if cell.get("cell_type") == "code":
            part.charts += _LIVE_TITLE.findall(text)
    return [p for p in parts if p.chars or p.exercises or p.charts or p.diagnostic]


@dataclass
class ChapterTime:
    """A chapter's time: reading, the 基础 and 拓展 problems, the diagnostic, sessions."""

    chapter: int
    reading_chars: int
    basic: dict          # name → minutes (基础 problems)
    extension: dict      # name → minutes (拓展 problems)
    diagnostic: int      # minutes of diagnostic forms in the notebook

    @property
    def reading(self) -> int:
        return math.ceil(self.reading_chars / READING_SPEED)

    @property
    def basic_minutes(self) -> int:
        return sum(self.basic.values())

    @property
    def extension_minutes(self) -> int:
        return sum(self.extension.values())

    @property
    def total_basic(self) -> int:
        return self.reading + self.diagnostic + self.basic_minutes

    @property
    def total_all(self) -> int:
        return self.total_basic + self.extension_minutes

    @property
    def sessions_basic(self) -> int:
        return max(1, math.ceil(self.total_basic / SESSION_MINUTES))

    @property
    def sessions_all(self) -> int:
        return max(1, math.ceil(self.total_all / SESSION_MINUTES))


def chapter_time(chapter: int, exercises, nb) -> ChapterTime:
    """The time of ``chapter`` from its exercise set and its notebook (an nbformat node or dict)."""
    parts = parts_of(nb)
    basic, extension = {}, {}
    for name, problem in exercises.items():
        (extension if getattr(problem, "track", BASIC) == EXTENSION else basic)[name] = problem_minutes(problem)
    return ChapterTime(chapter=chapter, reading_chars=sum(p.chars for p in parts), basic=basic,
                       extension=extension, diagnostic=DIAGNOSTIC_MINUTES * sum(p.diagnostic for p in parts))


def timing_line(t: ChapterTime) -> str:
    """The notebook's 预计用时 line (Markdown, one line)."""
    ext = (f"拓展练习{len(t.extension)}道另需约{t.extension_minutes}分钟，题目标着“拓展”，时间不够可以留到课后"
           if t.extension else "本章没有拓展练习")
    diag = f"小测约{t.diagnostic}分钟，" if t.diagnostic else ""
    return (f"{TIMING_PREFIX}：基础 {t.sessions_basic} 节课 / 全部 {t.sessions_all} 节课，每节{SESSION_MINUTES}分钟"
            f"（阅读约{t.reading}分钟，{diag}基础练习{len(t.basic)}道约{t.basic_minutes}分钟，{ext}；"
            "按题型和难度为没有编程基础的学员估计，每节课学哪些内容见教师指南的“时间安排”）")


# ---------------------------------------------------------------------------
# the notebooks' 预计用时 line: generated, with --check
# ---------------------------------------------------------------------------

def apply_timing(nb, t: ChapterTime) -> list[str]:
    """Rewrite the notebook's one 预计用时 line; returns what was stale ("timing" when rewritten, a text
    with ":" when it cannot be: no such line, or more than one)."""
    wanted = timing_line(t)
    found = [(cell, i) for cell in nb.cells if cell.cell_type == "markdown" and marks.NAV not in marks.tags_of(cell)
             for i, line in enumerate(cell.source.splitlines()) if line.startswith(TIMING_PREFIX)]
    if not found:
        return [f"timing: no line starting with {TIMING_PREFIX} in the intro cell"]
    if len(found) > 1:
        return [f"timing: {len(found)} lines start with {TIMING_PREFIX}, keep one"]
    cell, index = found[0]
    lines = cell.source.splitlines()
    if lines[index] == wanted:
        return []
    lines[index] = wanted
    cell.source = "\n".join(lines) + ("\n" if cell.source.endswith("\n") else "")
    return ["timing"]


def timing(paths, exercises_for, *, check: bool = False) -> int:
    """``python -m utils.nbtools timing [--check] [NB…]``: rewrite (or check) each notebook's 预计用时 line."""
    import nbformat

    status = 0
    for path in map(Path, paths):
        try:
            chapter = catalog.chapter_of(path)
        except ValueError:
            print(f"{path.name}: not a lesson of {catalog.CATALOG_FILE.name}")
            status = 1
            continue
        nb = nbformat.read(path, as_version=4)
        stale = apply_timing(nb, chapter_time(chapter, exercises_for(chapter), nb))
        broken = [s for s in stale if ":" in s]
        for item in broken:
            print(f"{path.name}: {item}")
        if check:
            if stale and not broken:
                print(f"{path.name}: the {TIMING_PREFIX} line is out of date (python -m utils.nbtools timing)")
            status = status or (1 if stale else 0)
            continue
        if stale and not broken:
            nbformat.write(nb, path)
            print(f"updated the {TIMING_PREFIX} line of {path.name}")
        status = status or (1 if broken else 0)
    return status


# ---------------------------------------------------------------------------
# the guide's schedule
# ---------------------------------------------------------------------------

@dataclass
class Session:
    number: int
    last: int = 0        # a row that runs on into later sessions (nothing new starts in them): its last
    parts: list = field(default_factory=list)
    basic: list = field(default_factory=list)
    extension: list = field(default_factory=list)
    charts: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"第{self.number}–{self.last}节" if self.last > self.number else f"第{self.number}节"

    def empty(self) -> bool:
        return not (self.parts or self.basic or self.extension or self.charts)


def session_plan(t: ChapterTime, exercises, nb) -> list[Session]:
    """The 基础 sessions of a chapter in notebook order: a clock runs through reading, the diagnostic
    and the 基础 problems; each part, problem and live chart goes to the session its clock time falls
    in.  A 拓展 problem goes where it stands in the notebook but takes no time from the plan."""
    sessions = [Session(i + 1) for i in range(t.sessions_basic)]

    def at(clock: float) -> Session:
        return sessions[min(int(clock // SESSION_MINUTES), len(sessions) - 1)]

    def add(items: list, item) -> None:
        if item not in items:
            items.append(item)

    clock = 0.0
    placed = set()
    parts = parts_of(nb)
    for part in parts:
        add(at(clock).parts, part.title)
        # reading first, the part's problems after it (a part's charts go with its reading)
        for title in part.charts:
            add(at(clock).charts, title)
        clock += part.reading + (DIAGNOSTIC_MINUTES if part.diagnostic else 0)
        for name in part.exercises:
            if name not in exercises or name in placed:
                continue
            placed.add(name)
            session = at(clock)
            add(session.parts, part.title)
            if name in t.extension:
                session.extension.append(name)
            else:
                session.basic.append(name)
                clock += t.basic[name]
    for name in exercises.keys():   # a problem with no prompt cell in the notebook: at the end
        if name not in placed:
            (sessions[-1].extension if name in t.extension else sessions[-1].basic).append(name)
    rows: list[Session] = []
    for s in sessions:   # a session where nothing new starts continues the one before it
        if s.empty() and rows:
            rows[-1].last = s.number
        else:
            rows.append(s)
    return rows


def _exercise_ref(exercises, name: str) -> str:
    problem = exercises[name]
    return f"练习{problem.number}（{problem.badge()}）"


def _refs(exercises, names) -> str:
    return "、".join(_exercise_ref(exercises, n) for n in names) or "—"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


#: the workshop the guide describes: minutes in all, and what is not a chapter
WORKSHOP_MINUTES = 180
WORKSHOP_OPENING, WORKSHOP_BREAK, WORKSHOP_CLOSING = 10, 10, 5
#: kinds a class can do together in a few minutes on a projector
TOGETHER_KINDS = ("numeric", "interval", "choice", "multichoice", "term")


def together(exercises, n: int = 3) -> list[str]:
    """Suggested 一起做 problems: in order, the first 基础 problem of a quick kind in each topic (up to ``n``)."""
    out, topics = [], set()
    for name, p in exercises.items():
        if p.track == BASIC and p.kind in TOGETHER_KINDS and p.topic not in topics:
            topics.add(p.topic)
            out.append(name)
        if len(out) == n:
            break
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def schedule_markdown(chapters: list) -> str:
    """The guide's generated schedule.  ``chapters``: ``[(lesson, exercises, nb)]`` in chapter order
    (``lesson`` a :class:`~utils.catalog.Lesson`)."""
    times = [(lesson, ex, nb, chapter_time(lesson.number, ex, nb)) for lesson, ex, nb in chapters]
    from .exercises.core import KIND_CLASSES

    per_kind = "、".join(f"{KIND_CLASSES[kind].label if kind in KIND_CLASSES else kind}{row[0]}–{row[-1]}分钟"
                         for kind, row in MINUTES.items())
    lines = [
        f"每节课{SESSION_MINUTES}分钟。用时由代码按题型和难度（1–3级）估计（`utils/timing.py`：{per_kind}），"
        f"阅读按每分钟{READING_SPEED}字（边读边看表和图）计，课前、课后小测各约{DIAGNOSTIC_MINUTES}分钟。"
        "各章笔记本开头的“预计用时”一行由同一段代码生成。",
        "",
        "| 章 | 阅读 | 基础练习 | 拓展练习 | 基础 | 全部 |",
        "|---|---|---|---|---|---|",
    ]
    for lesson, ex, nb, t in times:
        diag = f"；小测约{t.diagnostic}分钟" if t.diagnostic else ""
        lines.append(f"| {_cell(lesson.short)} | 约{t.reading}分钟（{t.reading_chars}字）{diag} | "
                     f"{len(t.basic)}道，约{t.basic_minutes}分钟 | "
                     + (f"{len(t.extension)}道，约{t.extension_minutes}分钟" if t.extension else "—")
                     + f" | {t.sessions_basic}节 | {t.sessions_all}节 |")
    total_basic = sum(t.sessions_basic for *_, t in times)
    total_all = sum(t.sessions_all for *_, t in times)
    lines += [f"| 合计 | | | | {total_basic}节 | {total_all}节 |", ""]
    # the workshop: its time split evenly over the chapters, the break in the middle
    n = len(times)
    chapter_minutes = WORKSHOP_MINUTES - WORKSHOP_OPENING - WORKSHOP_BREAK - WORKSHOP_CLOSING
    slots = [chapter_minutes // n // 5 * 5] * n
    for i in range((chapter_minutes - sum(slots)) // 5):
        slots[i % n] += 5
    lines += [
        f"**{WORKSHOP_MINUTES // 60} 小时工作坊**（全课基础部分需要 {total_basic} 节课，工作坊只能每章带做几道，其余留作课后）："
        "“一起做”是每个主题里第一道基础的计算题或选择题（最多三道），可以按班级换成同一章的其他基础题。",
        "",
        "| 时间 | 内容 | 一起做（建议） | 交互图 |",
        "|---|---|---|---|",
        f"| {_clock(0)}–{_clock(WORKSHOP_OPENING)} | 开场：报告背景；全员运行第一章的设置单元格，确认图中中文正常显示 | | |",
    ]
    start = WORKSHOP_OPENING
    for i, ((lesson, ex, nb, t), minutes) in enumerate(zip(times, slots)):
        if i == (n + 1) // 2 and n > 1:
            lines.append(f"| {_clock(start)}–{_clock(start + WORKSHOP_BREAK)} | 休息 | | |")
            start += WORKSHOP_BREAK
        charts = "、".join(f"「{title}」" for part in parts_of(nb) for title in part.charts) or "—"
        lines.append(f"| {_clock(start)}–{_clock(start + minutes)} | **{_cell(lesson.short)}** | "
                     f"{_refs(ex, together(ex))} | {_cell(charts)} |")
        start += minutes
    lines += [f"| {_clock(start)}–{_clock(WORKSHOP_MINUTES)} | 收尾：布置课后任务（各章其余基础练习；"
              "每人写一段“这份报告的数字不能告诉我们什么”） | | |", ""]
    # each chapter's sessions
    for lesson, ex, nb, t in times:
        lines += [f"**{_cell(lesson.title)}**：基础 {t.sessions_basic} 节课，全部 {t.sessions_all} 节课"
                  f"（阅读约{t.reading}分钟" + (f"，小测约{t.diagnostic}分钟" if t.diagnostic else "")
                  + f"，基础练习约{t.basic_minutes}分钟"
                  + (f"，拓展练习约{t.extension_minutes}分钟）" if t.extension else "，没有拓展练习）"), "",
                  "| 节 | 报告部分 | 基础练习 | 拓展练习（时间允许时，或课后） | 交互图 |", "|---|---|---|---|---|"]
        for s in session_plan(t, ex, nb):
            lines.append(f"| {s.label} | {_cell('、'.join(s.parts) or '—')} | {_cell(_refs(ex, s.basic))} | "
                         f"{_cell(_refs(ex, s.extension))} | {_cell('、'.join(f'「{c}」' for c in s.charts) or '—')} |")
        lines.append("")
    return "\n".join(lines).rstrip()


__all__ = ["ChapterTime", "DEFAULT_MINUTES", "DIAGNOSTIC_MINUTES", "MINUTES", "Part", "READING_SPEED",
           "SESSION_MINUTES", "Session", "TIMING_PREFIX", "apply_timing", "chapter_time", "han_count",
           "parts_of", "problem_minutes", "schedule_markdown", "session_plan", "timing", "timing_line", "together"]
