"""Showing what the engine decided: a verdict, a hint, a solution, progress — as HTML in JupyterLab,
as plain text in a console, and on paper.  Every displayed output carries its ``utils.marks``
metadata, so handouts and the exam edition recognise it without reading rendered text.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .. import marks
from ..env import can_display

# Icons are plain symbols that every CJK font has (colour emoji are missing on many Linux machines).
_STYLE = {
    "correct": ("√", "#1b7f3b", "#eaf6ee"),
    "close": ("≈", "#b54708", "#fffaeb"),
    "wrong": ("×", "#b42318", "#fdecea"),
    "unanswered": ("○", "#175cd3", "#eef4ff"),
    "invalid": ("！", "#b54708", "#fff6e5"),
    "recorded": ("◎", "#344054", "#f2f4f7"),
    "hint": ("☆", "#6941c6", "#f4f0ff"),
    "solution": ("■", "#344054", "#f2f4f7"),
    "info": ("·", "#344054", "#f2f4f7"),
}

_PAPER_WORD = {"correct": "正确", "close": "接近", "wrong": "不对", "unanswered": "未作答",
               "invalid": "无法检查", "recorded": "已记录"}


def _text(status: str, title: str, message: str, detail: str = "") -> str:
    icon = _STYLE.get(status, _STYLE["info"])[0]
    head = f"{icon} {title + '：' if title else ''}{message}"
    return head + (f"\n{detail}" if detail else "")


def _html(status: str, title: str, message: str, detail: str = "", css: str = "exercise-feedback") -> str:
    icon, color, background = _STYLE.get(status, _STYLE["info"])
    head = f"<b>{html.escape(title)}：</b>" if title else ""
    body = html.escape(message).replace("\n", "<br>")
    extra = ""
    if detail:
        extra = ('<pre style="white-space:pre-wrap;margin:6px 0 0 0;font-size:0.95em;'
                 f'background:transparent">{html.escape(detail)}</pre>')
    return (f'<div class="{css} {status}" style="border-left:4px solid {color};'
            f'background:{background};padding:6px 10px;margin:4px 0;color:#1d2939">'
            f"{icon} {head}{body}{extra}</div>")


# -- verdicts -----------------------------------------------------------------

def verdict_text(v) -> str:
    return _text(v.status, v.title, v.message, v.details)


def verdict_html(v) -> str:
    return _html(v.status, v.title, v.message, v.details)


def verdict_paper(v) -> str:
    """Black-and-white form for print: no colour, the status as a word."""
    word = _PAPER_WORD.get(v.status, "")
    head = f"<b>{html.escape(v.title)}</b>　" if v.title else ""
    return (f'<div class="exercise-feedback-paper" style="border:1px solid #000;padding:4px 8px;margin:4px 0">'
            f"{head}〔{word}〕{html.escape(v.message)}</div>")


# -- notes: hints, solutions, other messages ----------------------------------

_ROLE_OF = {"hint": marks.HINT, "solution": marks.SOLUTION}


@dataclass
class Note:
    """A message that is not a verdict: a hint step, a solution, a call slip, an exam notice."""

    status: str                 # hint / solution / info / invalid
    message: str
    title: str = ""
    detail: str = ""
    exercise: str = ""
    step: int | None = None
    steps: int | None = None

    def text(self) -> str:
        return _text(self.status, self.title, self.message, self.detail)

    def html(self) -> str:
        return _html(self.status, self.title, self.message, self.detail)

    def meta(self) -> dict:
        role = _ROLE_OF.get(self.status)
        if role == marks.HINT:
            return marks.meta(role, exercise=self.exercise, step=self.step, steps=self.steps)
        if role == marks.SOLUTION:
            return marks.meta(role, exercise=self.exercise)
        # slips and notices are feedback about this exercise, with no verdict
        return marks.meta(marks.FEEDBACK, exercise=self.exercise, status=self.status, mistake=None)

    def bundle(self) -> dict:
        return {"text/plain": self.text(), "text/html": self.html()}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.bundle(), self.meta()

    def __repr__(self) -> str:
        return self.text()

    # compatibility with the old Feedback object
    @property
    def correct(self) -> bool:
        return False


# -- progress -------------------------------------------------------------------

@dataclass
class Progress:
    """Done / total for one chapter, displayable (``ex.progress()`` returns one)."""

    chapter: int
    title: str
    rows: list = field(default_factory=list)    # [(name, title, state)] state: done/tried/open
    exam: bool = False
    note: str = ""

    @property
    def done(self) -> int:
        return sum(state == "done" for _, _, state in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def message(self) -> str:
        return f"进度 {self.done}/{self.total} " + "■" * self.done + "□" * (self.total - self.done)

    @property
    def detail(self) -> str:
        pending = [title for _, title, state in self.rows if state != "done"]
        if not self.rows:
            return self.note or "这一章没有练习。"
        text = ("还没完成：" + "、".join(pending)) if pending else "全部完成，太棒了！"
        if self.exam:
            text = text.replace("完成", "作答")
        return text + (f"\n{self.note}" if self.note else "")

    def text(self) -> str:
        return _text("info", f"{self.title}练习", self.message, self.detail)

    def html(self) -> str:
        pct = 100 * self.done / max(self.total, 1)
        cells = "".join(
            f'<span title="{html.escape(t)}" style="display:inline-block;width:22px;text-align:center;'
            f'margin-right:2px;border-radius:3px;background:'
            f'{"#1b7f3b;color:#fff" if s == "done" else "#fdb022" if s == "tried" else "#e4e7ec"}">'
            f"{html.escape(n[1:])}</span>" for n, t, s in self.rows)
        return (f'<div class="exercise-progress" style="margin:4px 0"><b>{html.escape(self.title)}练习：'
                f"进度 {self.done}/{self.total}</b>"
                '<div style="background:#e4e7ec;border-radius:4px;width:260px;height:10px;margin:4px 0">'
                f'<div style="background:#1b7f3b;width:{pct:.0f}%;height:10px;border-radius:4px"></div></div>'
                f'<div style="font-size:0.85em">{cells}</div>'
                f"<small>{html.escape(self.detail).replace(chr(10), '<br>')}</small></div>")

    def meta(self) -> dict:
        return marks.meta(marks.PROGRESS, chapter=self.chapter, done=self.done, total=self.total)

    def bundle(self) -> dict:
        return {"text/plain": self.text(), "text/html": self.html()}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.bundle(), self.meta()

    def __repr__(self) -> str:
        return self.text()


# -- paper: the answer box of a printed handout ---------------------------------

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def inline_html(text: str) -> str:
    """Prompt text (markdown with `code` spans) as escaped HTML: backticks become <code>, as on screen."""
    return _CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(str(text)))


def paper_box(problem) -> str:
    """A problem's answer box: title line, prompt, options, how to answer, lines to write on."""
    esc = html.escape
    parts = [f'<div class="ex-box" data-exercise="{esc(problem.name)}" data-kind="{esc(problem.kind)}" '
             f'data-track="{esc(problem.track)}">',
             f'<p class="ex-title"><b>{esc(problem._title())}</b>（{esc(problem.badge())}）　'
             f'{inline_html(problem.prompt)}</p>']
    options = getattr(problem, "options", None)
    if options:
        items = "".join(f"<li>{esc(k)}. {inline_html(v)}</li>" for k, v in options.items())
        parts.append(f'<ol class="ex-options" style="list-style:none">{items}</ol>')
    parts.append(f'<div class="ex-form">作答方式：{esc(problem.answer_form())}</div>')
    lines = "".join('<div class="ex-line" style="border-bottom:1px solid #000;height:1.8em"></div>'
                    for _ in range(problem.paper_lines()))
    parts.append(f'<div class="ex-answer">答：{lines}</div></div>')
    return "".join(parts)


# -- display ------------------------------------------------------------------------

def show(obj) -> None:
    """Display a verdict / note / progress: rich output with metadata under IPython, text elsewhere."""
    if can_display():
        from IPython.display import display

        display(obj.bundle(), raw=True, metadata=obj.meta())
    else:
        print(obj.text())


def show_figure(fig, meta: dict) -> None:
    """Display a matplotlib figure with our metadata (kernel); nothing in a console."""
    if can_display():
        from IPython.display import display

        display(fig, metadata=meta)
