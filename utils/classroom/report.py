"""The class report: many learners' attempt logs → offline HTML with charts + CSV files.

Per exercise: learners who tried it, completion (reached a correct answer), first-try success
(the first judged attempt was correct), the most frequent diagnosed mistakes with counts and their
Chinese names.  Per learner: tried / completed / first-try, the exercises where they are stuck
(≥ ``STUCK_WRONG`` wrong or close attempts and no correct one).  Every verdict is recomputed from
the stored answer with the teacher's key (a stored status is never used; an exercise not in the key
is not counted); the learner is whoever the file belongs to.  Bad or partial files are listed,
never fatal; CSV cells are injection-safe.  Charts are PNG images embedded as data URIs; the page loads nothing from outside.
"""
from __future__ import annotations

import base64
import html
import io
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..exercises import attempts as attempts_mod
from .csvout import write_rows
from .key import Judge, all_problems, all_variants, kind_label, mistake_name

STUCK_WRONG = 3
TOP_MISTAKES = 3


@dataclass
class ExerciseRow:
    chapter: int
    exercise: str
    kind: str = ""
    tried: int = 0
    completed: int = 0
    first_try: int = 0
    attempts: int = 0
    stuck: int = 0
    mistakes: Counter = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return f"{self.chapter}.{self.exercise}"


@dataclass
class LearnerRow:
    learner: str
    tried: int = 0
    completed: int = 0
    first_try: int = 0
    attempts: int = 0
    stuck: list = field(default_factory=list)
    last_time: str = ""


@dataclass
class SkillGain:
    """One skill of the before/after diagnostic: of the ``n`` learners who answered both forms' item,
    ``pre`` were right before and ``post`` after; Hake's normalized gain g = (post% − pre%) ÷ (100 − pre%)."""

    item: int
    skill: str
    mistake: str
    n: int = 0
    pre: int = 0
    post: int = 0

    @property
    def pre_pct(self) -> float | None:
        return 100 * self.pre / self.n if self.n else None

    @property
    def post_pct(self) -> float | None:
        return 100 * self.post / self.n if self.n else None

    @property
    def gain(self) -> float | None:
        """Hake's g; None without learners or when everyone was right before (no room to gain)."""
        if not self.n or self.pre == self.n:
            return None
        return (self.post_pct - self.pre_pct) / (100 - self.pre_pct)


@dataclass
class ClassReport:
    log: attempts_mod.Log
    exercises: list[ExerciseRow]
    learners: list[LearnerRow]
    diagnostic: list[SkillGain] = field(default_factory=list)

    @property
    def n_learners(self) -> int:
        return len(self.learners)


def _order(key):
    ch, name = key
    return (ch, int(name[1:]) if name[1:].isdigit() else 0)


def rejudged(log: attempts_mod.Log, judge: Judge) -> attempts_mod.Log:
    """The log with every record's status and mistake recomputed from its stored answer; records of
    exercises not in the key are dropped and counted per file in ``problems``."""
    kept, unknown = [], Counter()
    for r in log.records:
        result = judge(r)
        if result is None:
            unknown[r.file] += 1
            continue
        problem = judge.problem(r)
        kept.append(replace(r, status=result[0], mistake=result[1], kind=problem.kind))
    problems = list(log.problems) + [attempts_mod.BadLine(f, 0, f"{n} 条记录的练习不在教师答案中，未计入")
                                     for f, n in unknown.items()]
    return attempts_mod.Log(kept, problems, list(log.files))


def build(paths, *, catalogue: bool = True, hub_exports=()) -> ClassReport:
    """``paths``: learners' files or folders (learner = where the file is); ``hub_exports``: files
    downloaded from the hub's classroom service (learner = the name the hub gave)."""
    known = all_problems() if catalogue else {}
    log = rejudged(attempts_mod.scan(paths, hub_exports), Judge(known, all_variants() if catalogue else {}))
    rows: dict[tuple, ExerciseRow] = {}
    for key, p in known.items():
        rows[key] = ExerciseRow(key[0], key[1], kind=p.kind)
    learners = []
    for learner, recs in log.by_learner().items():
        lr = LearnerRow(learner)
        per_ex: dict[tuple, list] = {}
        for r in recs:
            per_ex.setdefault(r.key, []).append(r)
            lr.last_time = max(lr.last_time, r.time)
        for key, rs in per_ex.items():
            row = rows.setdefault(key, ExerciseRow(key[0], key[1], kind=rs[0].kind))
            row.kind = row.kind or rs[0].kind
            judged = [r for r in rs if r.status in attempts_mod.TRIED]
            if not judged:
                continue
            row.tried += 1
            lr.tried += 1
            row.attempts += len(judged)
            lr.attempts += len(judged)
            done = any(r.status in ("correct", "recorded") for r in judged)
            if done:
                row.completed += 1
                lr.completed += 1
            if judged[0].status in ("correct", "recorded"):
                row.first_try += 1
                lr.first_try += 1
            for r in judged:
                if r.mistake:
                    row.mistakes[r.mistake] += 1
            misses = sum(r.status in ("wrong", "close") for r in judged)
            if not done and misses >= STUCK_WRONG:
                row.stuck += 1
                lr.stuck.append(row.label)
        learners.append(lr)
    exercises = [rows[k] for k in sorted(rows, key=_order)]
    return ClassReport(log, exercises, learners, diagnostic_gains(log))


def diagnostic_gains(log: attempts_mod.Log) -> list[SkillGain]:
    """Per skill of the diagnostic, from the (re-judged) log: the learners who answered item i of form A
    (before) and of form B (after); the last judged answer of each counts."""
    try:
        from ..lessons import diagnostic
    except ImportError:  # no diagnostic in these lessons
        return []
    last: dict[tuple, bool] = {}
    for learner, recs in log.by_learner().items():
        for r in recs:
            if r.chapter == diagnostic.CHAPTER and r.status in attempts_mod.TRIED:
                last[(learner, r.exercise)] = r.status == "correct"
    if not last:
        return []
    learners = {who for who, _ in last}
    out = []
    for i, (skill, mistake) in diagnostic.SKILLS.items():
        row = SkillGain(i, skill, mistake)
        before, after = f"q{i}", f"q{i + diagnostic.N}"
        for who in learners:
            if (who, before) in last and (who, after) in last:
                row.n += 1
                row.pre += last[(who, before)]
                row.post += last[(who, after)]
        out.append(row)
    return out


# ---------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------

def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "—"


def write_csv(report: ClassReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    n = report.n_learners
    paths = [write_rows(out / "exercises.csv",
                        ["chapter", "exercise", "kind", "learners", "tried", "completed", "completion",
                         "first_try_correct", "first_try_rate", "judged_attempts", "stuck", "top_mistakes"],
                        ([e.chapter, e.exercise, e.kind, n, e.tried, e.completed, f"{e.completed / n:.3f}" if n else "",
                          e.first_try, f"{e.first_try / e.tried:.3f}" if e.tried else "", e.attempts, e.stuck,
                          "; ".join(f"{m} {mistake_name(m)} ×{c}" for m, c in e.mistakes.most_common(TOP_MISTAKES))]
                         for e in report.exercises))]
    paths.append(write_rows(out / "mistakes.csv", ["chapter", "exercise", "mistake", "mistake_zh", "count"],
                            ([e.chapter, e.exercise, m, mistake_name(m), c]
                             for e in report.exercises for m, c in e.mistakes.most_common())))
    paths.append(write_rows(out / "learners.csv",
                            ["learner", "tried", "completed", "first_try_correct", "judged_attempts", "stuck_on",
                             "last_activity"],
                            ([lr.learner, lr.tried, lr.completed, lr.first_try, lr.attempts, " ".join(lr.stuck),
                              lr.last_time] for lr in report.learners)))
    if report.diagnostic:
        paths.append(write_rows(out / "diagnostic.csv",
                                ["item", "skill", "mistake", "learners_both", "right_before", "right_after",
                                 "before_pct", "after_pct", "hake_g"],
                                ([d.item, d.skill, d.mistake, d.n, d.pre, d.post,
                                  "" if d.pre_pct is None else f"{d.pre_pct:.1f}",
                                  "" if d.post_pct is None else f"{d.post_pct:.1f}",
                                  "" if d.gain is None else f"{d.gain:.2f}"] for d in report.diagnostic)))
    paths.append(write_rows(out / "problems.csv", ["file", "line", "problem"],
                            (tuple(p) for p in report.log.problems)))
    return paths


def _mistakes_png(report: ClassReport, top: int = 10) -> str | None:
    """The most frequent diagnosed mistakes of the class (exercise + mistake), ranked bars."""
    pairs = [(f"{e.label} {mistake_name(m)}", c) for e in report.exercises for m, c in e.mistakes.items()]
    pairs = sorted(pairs, key=lambda p: -p[1])[:top]
    if not pairs:
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import pandas as pd

    from .. import charts

    data = pd.DataFrame({"label": [p[0] for p in pairs], "value": [p[1] for p in pairs], "unit": "次",
                         "qualifier": "exact"})
    result = charts.ranked_bars(data, title="全班最常见的错误（练习 + 错误类型）", unit="次", name="出现次数",
                                caption="来源：学员的答题记录（attempts.jsonl），按课程预设的错误类型统计")
    fig = result.figure if hasattr(result, "figure") else result
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _active(report: ClassReport) -> list[ExerciseRow]:
    """Exercises of the chapters someone worked on (all of them when nobody did)."""
    chapters = {r.chapter for r in report.log.records}
    rows = [e for e in report.exercises if e.chapter in chapters]
    return rows or report.exercises


def to_html(report: ClassReport) -> str:
    esc = html.escape
    n = report.n_learners
    parts = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
             "<title>班级练习报告</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
             "color:#1d2939}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d5dd;"
             "padding:4px 8px;font-size:14px}th{background:#f2f4f7}.warn{color:#b42318}img{max-width:100%}"
             "</style></head><body>",
             f"<h1>班级练习报告</h1><p>学员 {n} 名；读取记录 {len(report.log.records)} 条，"
             f"来自 {len(report.log.files)} 个文件。</p>"]
    from .report_view import diagnostic_html, sections_html  # per chapter worked on: bars in learners + learner × exercise grid

    parts.append(diagnostic_html(report.diagnostic))
    parts.append(sections_html(report, STUCK_WRONG))
    try:
        png = _mistakes_png(report)
    except Exception:  # noqa: BLE001 - the table below still lists every mistake
        png = None
    if png:
        parts.append(f'<img alt="全班最常见的错误（条形图），数字见下表" src="data:image/png;base64,{png}">')
    parts.append("<h2>各练习</h2><table><tr><th>练习</th><th>题型</th><th>作答人数</th><th>完成</th>"
                 "<th>第一次就答对</th><th>卡住</th><th>最常见的错误（次数）</th></tr>")
    for e in _active(report):
        top = "<br>".join(f"{esc(mistake_name(m))}（{esc(m)}）×{c}" for m, c in e.mistakes.most_common(TOP_MISTAKES))
        parts.append(f"<tr><td>第{e.chapter}章 {esc(e.exercise)}</td><td>{esc(kind_label(e.kind))}</td>"
                     f"<td>{e.tried}</td><td>{e.completed}（{_pct(e.completed, n)}）</td>"
                     f"<td>{e.first_try}（{_pct(e.first_try, e.tried)}）</td><td>{e.stuck}</td><td>{top}</td></tr>")
    parts.append("</table>")
    stuck = [lr for lr in report.learners if lr.stuck]
    parts.append(f"<h2>卡住的学员（同一题答错 {STUCK_WRONG} 次以上且还没答对）</h2>")
    if stuck:
        parts.append("<ul>" + "".join(f"<li>{esc(lr.learner)}：{esc('、'.join(lr.stuck))}</li>" for lr in stuck)
                     + "</ul>")
    else:
        parts.append("<p>没有。</p>")
    parts.append("<h2>各学员</h2><table><tr><th>学员</th><th>作答题数</th><th>完成</th><th>第一次就答对</th>"
                 "<th>最近一次作答</th></tr>")
    for lr in report.learners:
        parts.append(f"<tr><td>{esc(lr.learner)}</td><td>{lr.tried}</td><td>{lr.completed}</td>"
                     f"<td>{lr.first_try}</td><td>{esc(lr.last_time)}</td></tr>")
    parts.append("</table>")
    if report.log.problems:
        parts.append(f'<h2 class="warn">无法读取的文件或行（{len(report.log.problems)} 处，已跳过）</h2><ul>')
        for f, line, why in map(tuple, report.log.problems[:200]):
            where = f"{f}" + (f" 第 {line} 行" if line else "")
            parts.append(f"<li>{esc(where)}：{esc(why)}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(report: ClassReport, out: Path) -> list[Path]:
    out = Path(out)
    paths = write_csv(report, out)
    p = out / "report.html"
    p.write_text(to_html(report), encoding="utf-8")
    return [p] + paths


def summary(report: ClassReport) -> str:
    lines = [f"学员 {report.n_learners} 名，记录 {len(report.log.records)} 条，文件 {len(report.log.files)} 个。"]
    if report.log.problems:
        lines.append(f"跳过了 {len(report.log.problems)} 处问题：")
        lines += [f"  {p}" for p in report.log.problems[:20]]
    return "\n".join(lines)
