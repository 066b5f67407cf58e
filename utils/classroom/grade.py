"""Grade submissions with the teacher's key (the full lesson modules of this repository).

Grading re-judges, it never trusts: for each learner and exercise the *last* answered attempt
counts, and its stored answer (numbers and strings as given, the learner's table for code, what
the checker read from the Axes for a chart; see :mod:`utils.exercises.attempts`) is judged again
with the problem's own ``rejudge``.  The status stored in the record is never used.  A stored
answer is data: nothing in it is evaluated as code.  An exercise that is not in the key is
counted as rejected (never added to the score).  A kind graded by hand (``graded == "manual"``:
discussion) is listed for marking.  The learner is whoever the file belongs to (its home folder or
owner), never the record's ``learner`` field.

Variants: a record that carries a seed is judged against the variant that seed picks (rebuilt with
the teacher's key); a seed that is neither the learner's own name nor a self-study random seed is
noted in ``grades_problems.csv`` (the learner may have answered someone else's variant).

Exam or practice: by default a learner whose files hold exam records is graded on those only;
other learners keep all their records (``--all``: every record of everyone).

Output (``--out``): ``grades_learners.csv`` (one row per learner), ``grades_exercises.csv`` (one
row per exercise), ``grades_detail.csv`` (one row per learner × exercise, with the answer text),
``grades_problems.csv`` (files and lines that were skipped).  Score = exercises judged correct;
``close`` (right after rounding) is counted apart.  Every string cell is CSV-injection safe.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..exercises import attempts
from .csvout import write_rows
from .key import Judge

MAX_TEXT = 300
#: the self-study seed (utils.exercises.variants.learner_seed): "s" + 16 hex digits
_RANDOM_SEED = re.compile(r"s[0-9a-f]{16}")


@dataclass
class Graded:
    learner: str
    chapter: int
    exercise: str
    kind: str
    answer: str
    recorded: str
    status: str  # correct / close / wrong / invalid / manual / rejected
    mistake: str | None
    how: str
    time: str = ""


def answer_text(record) -> str:
    value = record.answer
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def grade(paths, *, exam_only: bool | None = None, hub_exports=()):
    """(graded rows, log).  ``exam_only=None``: per learner, exam records if that learner has any.
    ``hub_exports``: files downloaded from the hub's classroom service (names given by the hub)."""
    log = attempts.scan(paths, hub_exports)
    judge = Judge()
    rows: list[Graded] = []
    for learner, records in log.by_learner().items():
        mine = records
        if exam_only is None and any(r.exam for r in mine):
            mine = [r for r in mine if r.exam]
            log.problems.append(attempts.BadLine(learner, 0, "这名学员有考试记录：只批改考试记录"))
        elif exam_only:
            mine = [r for r in mine if r.exam]
        foreign = sorted({r.seed for r in mine if r.seed and r.seed != learner and not _RANDOM_SEED.fullmatch(r.seed)})
        if foreign:  # a hub learner's variants are picked by their own name; another name's are someone else's
            log.problems.append(attempts.BadLine(learner, 0, "变式种子不是这名学员的名字（可能用了别人的题目变式）："
                                                 + "、".join(foreign[:5])))
        last: dict[tuple, tuple] = {}
        for r in mine:
            result = judge(r)
            if result is not None and result[0] == "unanswered":
                continue  # a placeholder never replaces an answer
            last[r.key] = (r, result)
        for key in sorted(last, key=lambda k: (k[0] or 0, int(k[1][1:]))):
            r, result = last[key]
            base = dict(learner=learner, chapter=r.chapter, exercise=r.exercise, answer=answer_text(r),
                        recorded=r.status, time=r.time)
            problem = judge.problem(r)
            if problem is None:
                rows.append(Graded(**base, kind=r.kind, status="rejected", mistake=None,
                                   how="题目不在教师答案中，不计分"))
            elif problem.graded == "manual":
                rows.append(Graded(**base, kind=problem.kind, status="manual", mistake=None,
                                   how=f"{problem.label}，人工批阅"))
            else:
                status, mistake = result
                rows.append(Graded(**base, kind=problem.kind, status=status, mistake=mistake,
                                   how="用教师答案重新判定"))
    return rows, log


def write(rows: list[Graded], log, out: Path) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [write_rows(out / "grades_detail.csv",
                        ["learner", "chapter", "exercise", "kind", "answer", "recorded_status", "graded_status",
                         "mistake", "how", "time"],
                        ([g.learner, g.chapter, g.exercise, g.kind, g.answer, g.recorded, g.status, g.mistake or "",
                          g.how, g.time] for g in rows))]
    per_learner: dict[str, Counter] = {}
    for g in rows:
        per_learner.setdefault(g.learner, Counter())[g.status] += 1
    paths.append(write_rows(out / "grades_learners.csv",
                            ["learner", "answered", "correct", "close", "wrong", "invalid", "manual", "rejected",
                             "score"],
                            ([learner, sum(c.values()) - c["rejected"], c["correct"], c["close"], c["wrong"],
                              c["invalid"], c["manual"], c["rejected"], c["correct"]]
                             for learner, c in sorted(per_learner.items()))))
    per_ex: dict[tuple, Counter] = {}
    kinds = {}
    for g in rows:
        if g.status == "rejected":
            continue
        per_ex.setdefault((g.chapter, g.exercise), Counter())[g.status] += 1
        kinds[(g.chapter, g.exercise)] = g.kind
    ex_rows = []
    for (ch, ex), c in sorted(per_ex.items(), key=lambda kv: (kv[0][0] or 0, int(kv[0][1][1:]))):
        n = sum(c.values())
        ex_rows.append([ch, ex, kinds[(ch, ex)], n, c["correct"], c["close"], c["wrong"], c["invalid"], c["manual"],
                        f"{c['correct'] / n:.3f}" if n else ""])
    paths.append(write_rows(out / "grades_exercises.csv",
                            ["chapter", "exercise", "kind", "answered", "correct", "close", "wrong", "invalid",
                             "manual", "correct_rate"], ex_rows))
    paths.append(write_rows(out / "grades_problems.csv", ["file", "line", "problem"],
                            (tuple(p) for p in log.problems)))
    return paths


def main(args) -> int:
    rows, log = grade(args.paths, exam_only=False if args.all else None, hub_exports=args.hub_export)
    paths = write(rows, log, Path(args.out))
    learners = len({g.learner for g in rows})
    print(f"批改了 {learners} 名学员的 {sum(g.status != 'rejected' for g in rows)} 道题；结果在 {paths[1].parent}/")
    rejected = sum(g.status == "rejected" for g in rows)
    if rejected:
        print(f"另有 {rejected} 条作答的练习不在教师答案中，未计分（见 grades_detail.csv）。")
    if log.problems:
        print(f"跳过或注明了 {len(log.problems)} 处问题（见 grades_problems.csv）：")
        for p in log.problems[:20]:
            print(f"  {p}")
    return 0
