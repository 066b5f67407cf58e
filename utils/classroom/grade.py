"""Grade submissions with the teacher's key (the full lesson modules of this repository).

For each learner and exercise the *last* answer counts.  Its recorded text is parsed back into a
value **without evaluating code**: only Python literals (numbers, strings, tuples/lists of them,
a leading minus) pass a whitelist of syntax nodes, then :func:`ast.literal_eval`.  Numeric,
interval, choice, multiple-choice and term answers are re-judged with the problem's own
``evaluate``; code and chart answers (a DataFrame's repr cannot be turned back into the frame)
keep the status recorded when they were checked.  A text that is not a literal (the engine
records a string answer as typed: ``B``, ``25.5万``) is judged as that string; a string is data,
never code.  Code and chart answers recorded by an exam edition carry ``recorded``: they are
listed for marking by hand, as are discussion answers.

Output (``--out``): ``grades_learners.csv`` (one row per learner), ``grades_exercises.csv`` (one
row per exercise), ``grades_detail.csv`` (one row per learner × exercise, with the answer text).
Score = number of exercises judged correct; ``close`` (right after rounding) is counted apart.
"""
from __future__ import annotations

import ast
import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import attempts as attempts_mod
from .key import all_problems

REJUDGED = ("numeric", "interval", "choice", "multichoice", "term")
MANUAL_KINDS = ("discussion",)
_LITERAL_NODES = (ast.Expression, ast.Constant, ast.Tuple, ast.List, ast.UnaryOp, ast.USub, ast.UAdd,
                  ast.Load)
MAX_TEXT = 400


class Unparseable(ValueError):
    pass


def parse_answer(text: str):
    """The value a recorded answer text stands for; :class:`Unparseable` when it is not a literal."""
    if not isinstance(text, str) or not text.strip():
        raise Unparseable("空答案")
    if len(text) > MAX_TEXT:
        raise Unparseable("答案文字过长")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise Unparseable("不是可还原的字面值") from None
    for node in ast.walk(tree):
        if not isinstance(node, _LITERAL_NODES):
            raise Unparseable(f"含有不允许的语法：{type(node).__name__}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)) or (
                isinstance(node, ast.Constant) and isinstance(node.value, bool)):
            raise Unparseable("只接受数字和文字")
    value = ast.literal_eval(tree)
    if isinstance(value, list):
        value = tuple(value)
    return value


@dataclass
class Graded:
    learner: str
    chapter: int
    exercise: str
    kind: str
    answer: str
    recorded: str
    status: str  # correct / close / wrong / invalid / unanswered / manual
    mistake: str | None
    how: str  # re-judged / recorded status / by hand
    time: str = ""


def _status_of(verdict) -> tuple[str, str | None]:
    status = getattr(verdict, "status", None) or "invalid"
    mistake = getattr(verdict, "mistake", None)
    if mistake is not None and not isinstance(mistake, str):
        mistake = getattr(mistake, "id", None) or str(mistake)
    return status, mistake


def grade_record(record: attempts_mod.Record, problem) -> Graded:
    kind = getattr(problem, "kind", None) or record.kind
    base = dict(learner=record.learner, chapter=record.chapter, exercise=record.exercise, kind=kind,
                answer=record.answer, recorded=record.status, time=record.time)
    if problem is None:
        return Graded(**base, status="manual", mistake=record.mistake, how="题目不在教师答案中，需人工批阅")
    if kind in MANUAL_KINDS:
        return Graded(**base, status="manual", mistake=None, how="讨论题，人工批阅")
    if kind in REJUDGED:
        try:
            value = parse_answer(record.answer)
        except Unparseable as exc:
            # the engine records a text answer as it was typed ("B", "25.5万"): judge the text itself
            if not record.answer.strip() or len(record.answer) > MAX_TEXT:
                if record.status in ("correct", "close", "wrong", "invalid"):
                    return Graded(**base, status=record.status, mistake=record.mistake, how=f"记录的判定（{exc}）")
                return Graded(**base, status="manual", mistake=None, how=f"人工批阅（{exc}）")
            value = record.answer
        try:
            status, mistake = _status_of(problem.evaluate(value))
        except Exception as exc:  # noqa: BLE001 - a bad answer never stops grading
            return Graded(**base, status="invalid", mistake=None, how=f"判定出错：{type(exc).__name__}")
        return Graded(**base, status=status, mistake=mistake, how="用教师答案重新判定")
    # code / chart: the recorded verdict (a learner edition judged it; an exam edition only recorded it)
    if record.status in ("correct", "close", "wrong", "invalid"):
        return Graded(**base, status=record.status, mistake=record.mistake, how="记录的判定")
    return Graded(**base, status="manual", mistake=None, how="代码/作图题，人工批阅")


def grade(paths, *, exam_only: bool | None = None):
    """(graded rows, log).  ``exam_only=None``: exam records if the files hold any, else all."""
    log = attempts_mod.read(paths)
    records = [r for r in log.records if r.status != "unanswered"]
    if exam_only is None:
        exam_only = any(r.exam for r in records)
    if exam_only:
        records = [r for r in records if r.exam]
    last: dict[tuple, attempts_mod.Record] = {}
    for r in sorted(records, key=lambda r: (r.time, r.file, r.line)):
        last[(r.learner, r.chapter, r.exercise)] = r
    key = all_problems()
    rows = [grade_record(r, key.get((r.chapter, r.exercise))) for _, r in sorted(last.items())]
    return rows, log


def write(rows: list[Graded], log, out: Path) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    p = out / "grades_detail.csv"
    with open(p, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["learner", "chapter", "exercise", "kind", "answer", "recorded_status", "graded_status",
                    "mistake", "how", "time"])
        for g in rows:
            w.writerow([g.learner, g.chapter, g.exercise, g.kind, g.answer, g.recorded, g.status,
                        g.mistake or "", g.how, g.time])
    paths.append(p)
    p = out / "grades_learners.csv"
    per_learner: dict[str, Counter] = {}
    for g in rows:
        per_learner.setdefault(g.learner, Counter())[g.status] += 1
    with open(p, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["learner", "answered", "correct", "close", "wrong", "invalid", "manual", "score"])
        for learner, c in sorted(per_learner.items()):
            w.writerow([learner, sum(c.values()), c["correct"], c["close"], c["wrong"], c["invalid"],
                        c["manual"], c["correct"]])
    paths.append(p)
    p = out / "grades_exercises.csv"
    per_ex: dict[tuple, Counter] = {}
    kinds = {}
    for g in rows:
        per_ex.setdefault((g.chapter, g.exercise), Counter())[g.status] += 1
        kinds[(g.chapter, g.exercise)] = g.kind
    with open(p, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["chapter", "exercise", "kind", "answered", "correct", "close", "wrong", "invalid", "manual",
                    "correct_rate"])
        for (ch, ex), c in sorted(per_ex.items(), key=lambda kv: (kv[0][0], int(kv[0][1][1:]))):
            n = sum(c.values())
            w.writerow([ch, ex, kinds[(ch, ex)], n, c["correct"], c["close"], c["wrong"], c["invalid"], c["manual"],
                        f"{c['correct'] / n:.3f}" if n else ""])
    paths.append(p)
    p = out / "grades_problems.csv"
    with open(p, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["file", "line", "problem"])
        w.writerows(log.problems)
    paths.append(p)
    return paths


def main(args) -> int:
    rows, log = grade(args.paths, exam_only=False if args.all else None)
    paths = write(rows, log, Path(args.out))
    learners = len({g.learner for g in rows})
    print(f"批改了 {learners} 名学员的 {len(rows)} 道题；结果在 {paths[1].parent}/")
    if log.problems:
        print(f"跳过了 {len(log.problems)} 处问题（见 grades_problems.csv）：")
        for f, line, why in log.problems[:20]:
            print(f"  {f}{' 第 %d 行' % line if line else ''}：{why}")
    return 0
