"""Exam-edition problems: built from public data only, they hold no answer key and cannot judge.

``python -m utils.classroom exam`` copies this file into the exam copy as
``utils/lessons/_exam.py``; the generated lesson modules there build their exercises from it.
``check()`` checks only the form of the answer (a number, a letter …), appends one record to the
attempt log (the team's JSON-lines format, ``"exam": true``, ``"status": "recorded"``) and says
已记录.  ``hint()`` shows the first hint only; ``solution()`` says there is none in this copy.
Nothing here imports the full lessons.
"""
from __future__ import annotations

import html
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

try:  # the placeholder of the course's engine (the same object learners type)
    from ..exercises import ____ as _BLANK
except Exception:  # noqa: BLE001
    _BLANK = object()

_BLANK_TEXT = {"", "____", "___", "__", "_", "?", "？", "...", "…", "待填", "答案"}
_NUMBER = re.compile(r"^\s*[-+]?\d[\d,，]*(\.\d+)?\s*(万|亿|%|％)?\s*\S{0,4}\s*$")


def _blank(x) -> bool:
    return x is _BLANK or x is Ellipsis or (isinstance(x, str) and x.strip() in _BLANK_TEXT)


def _text(x, limit: int = 300) -> str:
    try:
        if isinstance(x, str):
            return x[:limit]
        if hasattr(x, "item") and not hasattr(x, "shape") or getattr(x, "shape", None) == ():
            x = x.item()
        return repr(x)[:limit]
    except Exception:  # noqa: BLE001
        return f"<{type(x).__name__} 对象>"


def attempts_path() -> Path:
    return Path(os.environ.get("COURSE_ATTEMPTS") or "attempts.jsonl")


def append_record(record: dict) -> bool:
    """Append one JSON line under an exclusive lock; never raises into the learner's cell."""
    try:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        path = attempts_path()
        with open(path, "a", encoding="utf-8") as f:
            try:
                import fcntl

                fcntl.flock(f, fcntl.LOCK_EX)
            except (ImportError, OSError):
                pass
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        return True
    except Exception:  # noqa: BLE001
        return False


def _show(status: str, message: str, title: str) -> None:
    colour = {"recorded": "#175cd3", "unanswered": "#175cd3", "invalid": "#b54708"}.get(status, "#344054")
    text = f"{title}：{message}"
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({"text/plain": text,
                     "text/html": f'<div style="border-left:4px solid {colour};padding:6px 10px;margin:4px 0">'
                                  f"<b>{html.escape(title)}：</b>{html.escape(message)}</div>"},
                    raw=True, metadata={"utils": {"role": "feedback", "status": status}})
            return
    except ImportError:
        pass
    print(text)


class ExamProblem:
    """One exercise of the exam edition (public data only)."""

    def __init__(self, chapter: int, exercise: str, kind: str, prompt: str, *, label: str = "",
                 options: dict | None = None, unit: str = "", expected_form: str = "", first_hint: str = "",
                 hint_steps: int = 0, prompt_markdown: str = ""):
        self.chapter = chapter
        self.name = exercise
        self.kind = kind
        self.label = label
        self.prompt = prompt
        self.options = dict(options or {})
        self.unit = unit
        self.expected_form = expected_form
        self.first_hint = first_hint
        self.hint_steps = hint_steps
        self._prompt_markdown = prompt_markdown
        self.history: list[dict] = []
        self.exam = True

    def _title(self) -> str:
        return f"练习 {self.name[1:]}"

    def prompt_markdown(self) -> str:
        return self._prompt_markdown or f"**{self._title()}**　{self.prompt}"

    def public(self) -> dict:
        return {"exercise": self.name, "chapter": self.chapter, "kind": self.kind, "prompt": self.prompt,
                "options": dict(self.options), "unit": self.unit, "first_hint": self.first_hint}

    def _form_problem(self, answer) -> str:
        """A message when the answer has the wrong form (nothing about right or wrong)."""
        if self.kind == "numeric":
            if isinstance(answer, bool) or not (isinstance(answer, (int, float)) or hasattr(answer, "__float__")
                                                or (isinstance(answer, str) and _NUMBER.match(answer))):
                return "这里需要一个数。"
        elif self.kind == "interval":
            if not isinstance(answer, (tuple, list)) or len(answer) != 2:
                return "这里需要两个数组成的区间，例如 (下限, 上限)。"
        elif self.kind in ("choice", "multichoice"):
            letters = answer if isinstance(answer, str) else "".join(a for a in answer if isinstance(a, str)) \
                if isinstance(answer, (list, tuple, set)) else None
            if not letters or not any(c.upper() in self.options for c in letters):
                return f"请用选项字母作答（{'/'.join(self.options)}）。"
        elif self.kind in ("term", "discussion"):
            if not isinstance(answer, str):
                return "这里需要一段文字（写在引号里）。"
        return ""

    def check(self, *args, **kwargs) -> None:
        """Record the answer (no verdict in the exam edition)."""
        try:
            if self.kind == "chart" and not args:
                answer = "<图>"
                try:
                    import matplotlib.pyplot as plt

                    fig = plt.gcf()
                    answer = "<图：" + "；".join(ax.get_title() for ax in fig.axes if ax.get_title())[:200] + ">"
                except Exception:  # noqa: BLE001
                    pass
            elif len(args) != 1 or kwargs:
                _show("invalid", "请把答案放在括号里，例如 check(answer)。", self._title())
                return
            else:
                answer = args[0]
            if _blank(answer):
                _show("unanswered", "还没有作答。把 ____ 换成你的答案，再运行这个单元格。", self._title())
                return
            problem = self._form_problem(answer)
            if problem:
                _show("invalid", problem, self._title())
                return
            record = {"v": 1, "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "learner": os.environ.get("JUPYTERHUB_USER") or os.environ.get("USER") or "",
                      "chapter": self.chapter, "exercise": self.name, "kind": self.kind,
                      "answer": _text(answer), "status": "recorded", "mistake": None, "exam": True}
            self.history.append(record)
            saved = append_record(record)
            _show("recorded", "已记录。考试中不显示对错；可以改答案后再运行，以最后一次为准。" if saved else
                  "已记下，但写入答题记录文件失败，请告诉老师。", self._title())
        except Exception:  # noqa: BLE001 - nothing reaches the learner as a traceback
            _show("invalid", "记录时出了意外问题，请重新运行本单元格。", self._title())

    def hint(self, *args, **kwargs) -> None:
        if self.first_hint:
            _show("hint", f"提示（考试中只有第一条）：{self.first_hint}", self._title())
        else:
            _show("hint", "考试中没有提示。", self._title())

    def solution(self, *args, **kwargs) -> None:
        _show("info", "考试版没有参考答案。", self._title())

    @property
    def solved(self) -> bool:
        return bool(self.history)

    def __repr__(self) -> str:
        return f"{self._title()}（{self.kind}）：{self.prompt}"


class ExamExercises:
    """``ex.q1`` … and ``ex.progress()`` for one chapter of the exam edition."""

    def __init__(self, chapter: int, problems: list[dict]):
        self.chapter = chapter
        self._problems = {}
        for data in problems:
            p = ExamProblem(chapter, **data)
            self._problems[p.name] = p

    def __getattr__(self, name):
        problems = self.__dict__.get("_problems", {})
        if name in problems:
            return problems[name]
        raise AttributeError(f"本章没有练习“{name}”；可用：{'、'.join(problems)}")

    def __iter__(self):
        return iter(self._problems.values())

    def __len__(self) -> int:
        return len(self._problems)

    def __dir__(self):
        return list(super().__dir__()) + list(self._problems)

    def progress(self) -> None:
        done = sum(p.solved for p in self)
        _show("info", f"已作答 {done}/{len(self)} 题（考试中不显示对错）。", f"第{self.chapter}章")

    def __repr__(self) -> str:
        return f"第{self.chapter}章练习（考试版，{len(self)} 题）"
