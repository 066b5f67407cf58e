"""A chapter's exercises: ``ex.q1`` … ``ex.qN``, ``ex.progress()``, ``ex.reset_progress()``."""
from __future__ import annotations

import re
from typing import Iterator

from . import attempts, views
from .core import Problem, solutions_hidden


def catalogue_title(chapter: int) -> str:
    """The chapter title from the lesson catalogue (``第N章`` when there is none)."""
    try:
        from .. import catalog

        return str(catalog.lesson(chapter).title)
    except Exception:  # noqa: BLE001 - no catalogue, or a chapter it does not list
        return f"第{chapter}章"


class NoSuchExercise:
    """What ``ex.q99`` gives: every call on it shows one Chinese message naming the valid exercises."""

    def __init__(self, message: str):
        self.message = message

    def _note(self) -> "views.Note":
        return views.Note("invalid", self.message, title="练习名")

    def _show(self, *args, **kwargs) -> None:
        views.show(self._note())

    check = hint = solution = _show

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self._note()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return False


class Exercises:
    """The exercises of one chapter.

    ``Exercises(chapter, {"q1": …, "q2": …})`` — the title comes from the catalogue (or ``title=``).
    Iterating yields the problems (each knows its ``name``); ``items()`` yields ``(name, problem)``.
    """

    def __init__(self, chapter: int, problems: dict, *, title: str | None = None):
        if not isinstance(problems, dict):
            raise TypeError("Exercises(chapter, problems) takes a dict of problems")
        self.chapter = int(chapter)
        self._title = title
        self._problems: dict[str, Problem] = {}
        for name, problem in dict(problems).items():
            if not re.fullmatch(r"q\d+", name):
                raise ValueError(f"exercise names must look like q1, q2 … (got {name!r})")
            if not isinstance(problem, Problem):
                raise TypeError(f"{name} is not a Problem: {problem!r}")
            problem.name = name
            problem.chapter = self.chapter
            problem._book = self
            self._problems[name] = problem
        self._variants: dict = {}

    # variants -------------------------------------------------------------
    def vary(self, variants: dict) -> "Exercises":
        """Declare the variants of some exercises: ``{name: Varied(...)}`` (returns ``self``)."""
        for name, varied in dict(variants).items():
            if name not in self._problems:
                raise ValueError(f"no exercise {name!r} to vary")
            varied.track = self._problems[name].track   # a variant keeps the declared problem's track
            self._variants[name] = varied
        return self

    @property
    def variants(self) -> dict:
        """{name: Varied} of the exercises that have variants."""
        return dict(self.__dict__.get("_variants", {}))

    def variant(self, name: str, seed: str) -> Problem:
        """The problem of ``seed``'s variant of exercise ``name`` (the declared problem if it has none)."""
        varied = self._variants.get(name)
        if varied is None:
            return self._problems[name]
        problem = varied.build(seed, self.chapter, name)
        problem._book = self
        return problem

    def with_variants(self, seed: str | None = None) -> "Exercises":
        """This chapter with each varied exercise replaced by the variant ``seed`` picks (default: the
        learner's seed, :func:`~utils.exercises.variants.learner_seed`); the others as declared."""
        from .variants import learner_seed

        seed = seed or learner_seed()
        out = Exercises(self.chapter, {name: (self.variant(name, seed) if name in self._variants else p)
                                       for name, p in self._problems.items()}, title=self._title)
        out._variants = dict(self._variants)
        return out

    @property
    def title(self) -> str:
        return self._title or catalogue_title(self.chapter)

    # access -------------------------------------------------------------
    def __getattr__(self, name: str) -> Problem:
        problems = self.__dict__.get("_problems", {})
        if name in problems:
            return problems[name]
        if re.fullmatch(r"[qQ]\d{1,4}", name):
            # ex.Q1 / ex.q99: a learner's slip gets a Chinese message, never a traceback
            return NoSuchExercise(self._missing_message(name))
        raise AttributeError(name)

    def _missing_message(self, name: str) -> str:
        problems = self.__dict__.get("_problems", {})
        names = "、".join(problems) or "（无）"
        lower = name.lower()
        if lower in problems:
            return f"练习名要小写：写 ex.{lower}，不是 ex.{name}。"
        return f"本章没有练习“{name}”；本章的练习是：{names}。"

    def __getitem__(self, name: str) -> Problem:
        return self._problems[name]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._problems.values())

    def items(self):
        return self._problems.items()

    def keys(self):
        return self._problems.keys()

    def __contains__(self, name) -> bool:
        return name in self._problems

    def __len__(self) -> int:
        return len(self._problems)

    def __dir__(self):
        return list(super().__dir__()) + list(self._problems)

    # progress -------------------------------------------------------------
    def _states(self) -> dict[str, str]:
        """done / tried / open per exercise, from the attempt log and this kernel's history."""
        exam = solutions_hidden()
        seen: dict[str, set] = {name: set() for name in self._problems}
        try:
            records, _ = attempts.read_file(attempts.log_path())
        except Exception:  # noqa: BLE001
            records = []
        for rec in records:
            if rec.chapter == self.chapter and rec.exercise in seen:
                seen[rec.exercise].add(rec.status)
        for name, problem in self._problems.items():
            seen[name].update(a.status for a in problem.history)
        states = {}
        for name, statuses in seen.items():
            done_statuses = set(self._problems[name].done_statuses)
            if exam:
                done_statuses.add("recorded")
            if statuses & done_statuses:
                states[name] = "done"
            elif statuses & {"wrong", "close", "recorded", "correct"}:
                states[name] = "tried"
            else:
                states[name] = "open"
        return states

    def progress(self, *args, **kwargs) -> views.Progress:
        """Done / total for this chapter, read from the attempt log (survives a kernel restart).

        Returns a displayable object: put ``ex.progress()`` on the last line of a cell."""
        if args or kwargs:
            return views.Progress(self.chapter, self.title, [], note="ex.progress() 不需要参数，括号里空着就行。")
        states = self._states()
        rows = [(name, p._title(), states[name]) for name, p in self._problems.items()]
        return views.Progress(self.chapter, self.title, rows, exam=solutions_hidden())

    def progress_feedback(self) -> views.Progress:
        return self.progress()

    def reset_progress(self, *args, **kwargs) -> None:
        """Start this chapter's exercises afresh (the log keeps a ``.bak`` copy)."""
        title = f"{self.title}练习"
        if args or kwargs:
            views.show(views.Note("invalid", "ex.reset_progress() 不需要参数，括号里空着就行。", title=title))
            return
        if solutions_hidden():
            views.show(views.Note("info", "考试模式：作答记录不能清空。", title=title))
            return
        try:
            removed = attempts.reset(self.chapter)
        except Exception:  # noqa: BLE001
            views.show(views.Note("invalid", f"没能清空记录文件 {attempts.log_path()}；请检查它是否可写。", title=title))
            return
        for problem in self._problems.values():
            problem.reset()
        views.show(views.Note("info", f"已清空本章的练习记录（记录文件中删除了 {removed} 条）。"
                                      f"旧记录备份在 {attempts.log_path().name}.bak。", title=title))

    def __repr__(self) -> str:
        return f"{self.title}练习（{len(self)} 题）：" + "、".join(self._problems)
