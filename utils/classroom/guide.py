"""``python -m utils.classroom guide``: the teacher's answer sheet, generated from the lessons on demand.

Writes ``.teacher/instructor_answers.md`` (or ``--out``): per chapter and exercise the kind, its track
(基础/拓展) and minutes (:mod:`utils.timing`), the prompt, the reference answer, and the **common wrong
answers** the lesson declares (misconception id, its Chinese name, the message the learner sees, and that
mistake's own example wrong answer); for discussion questions the model-answer points and facilitation
notes.  The file holds every answer, so it is written only when a teacher asks for it, into a folder
that is not served: ``.teacher/`` is ignored by git, and JupyterLab, as README launches it, neither lists
nor opens hidden paths (``ContentsManager.allow_hidden`` is off by default); the hub's course copy and
the exam edition never contain it.  Regenerate after exercises change, never edit by hand
(``--check`` exits 1 when a generated file is stale).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .. import catalog
from ..exercises import key_of
from ..timing import problem_minutes
from .key import chapters, declared_mistakes, mistake_name, problems

ROOT = catalog.ROOT
#: the teacher's folder: hidden (JupyterLab does not serve it) and ignored by git
TEACHER_DIR = ROOT / ".teacher"
DEFAULT_OUT = TEACHER_DIR / "instructor_answers.md"

FACILITATION = (
    "先让每人写一句自己的看法（1 分钟），再两人交换（2 分钟），最后请两三组说出分歧。"
    "追问三件事：这个数字的分母或基准是什么？能说明什么、不能说明什么？还需要哪一个数字才能下结论？"
)


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _answer_text(p) -> str:
    key = key_of(p)
    if key is None:
        return ""
    try:
        text = key.answer_text()
        if text:
            return str(text)
    except Exception:  # noqa: BLE001
        pass
    try:
        ans = key.answer
    except Exception:  # noqa: BLE001
        return ""
    if hasattr(ans, "to_string"):
        return "（一张表，见 solution() 的参考代码）"
    unit = getattr(p, "unit", "") or ""
    if isinstance(ans, (int, float)) and not isinstance(ans, bool):
        return _number(ans, unit)
    if isinstance(ans, tuple):
        return "（" + "，".join(_number(v, unit) if isinstance(v, (int, float)) else str(v) for v in ans) + "）"
    return str(ans)


def _digits(v, unit: str = "") -> int:
    """Decimals that keep three significant digits of a small value (never fewer than the course's 2):
    a tiny example such as 0.00035 must not print as "0"."""
    import math

    from ..quantities import scale_of

    try:
        _word, div = scale_of(float(v), unit)
        size = abs(float(v)) / div
    except (TypeError, ValueError, OverflowError):
        return 2
    if not size or not math.isfinite(size) or size >= 1:
        return 2
    return min(max(2, 2 - math.floor(math.log10(size))), 12)


def _number(v, unit: str = "") -> str:
    from ..quantities import format_cn

    try:
        return format_cn(v, unit, digits=_digits(v, unit)) if unit else format_cn(v, digits=_digits(v))
    except Exception:  # noqa: BLE001
        return f"{v:.4g}{unit}"


def _examples(p) -> list:
    """Each declared mistake's own example answer, in declaration order (two mistakes of one type keep
    their own examples)."""
    try:
        return [ex for _mid, _msg, ex in key_of(p).mistake_examples()]
    except Exception:  # noqa: BLE001
        return []


def _fmt_example(x) -> str:
    if x is None:
        return ""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return _number(x)
    if isinstance(x, tuple):
        return "（" + "，".join(_fmt_example(v) for v in x) + "）"
    if hasattr(x, "to_string"):
        return "（一张表）"
    if type(x).__module__.startswith("matplotlib"):
        import matplotlib.pyplot as plt

        plt.close("all")   # the example chart was drawn only to be described here
        return "（一张图）"
    return _one_line(repr(x) if not isinstance(x, str) else f"“{x}”", 60)


def notebook_discussions(chapter: int) -> list[str]:
    """The text of the notebook cells tagged ``discussion`` (思考与讨论) of a chapter."""
    import json

    from .. import marks

    paths = sorted((ROOT / "notebooks").glob(f"{chapter:02d}_*.ipynb"))
    try:
        nb = json.loads(paths[0].read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001
        return []
    return ["".join(c["source"]).strip() for c in nb["cells"]
            if c.get("cell_type") == "markdown" and marks.DISCUSSION in marks.tags_of(c)]


def problem_lines(name: str, p) -> list[str]:
    """The answer file's section of one judged problem: heading with its kind and track, minutes, prompt,
    reference answer, and each declared mistake with its own example answer."""
    lines = [f"### 练习 {name[1:]}（{p.badge()}）", "",
             f"- 档次：{p.track}；估计用时约{problem_minutes(p)}分钟",
             f"- 题目：{_one_line(p.prompt)}"]
    answer = _answer_text(p)
    if answer:
        lines.append(f"- 参考答案：{_one_line(answer, 200)}")
    mistakes = declared_mistakes(p)
    examples = _examples(p)
    if mistakes:
        lines.append("- 常见错误：")
        for i, (mid, msg) in enumerate(mistakes):
            ex = _fmt_example(examples[i] if i < len(examples) else None)
            lines.append(f"  - **{mistake_name(mid)}**（`{mid}`）" + (f"，例如答 {ex}" if ex else "")
                         + f"：{_one_line(msg, 200)}")
    else:
        wrong = [w for w in (key_of(p).wrong_examples if key_of(p) else [])][:4]
        shown = "、".join(_fmt_example(w) for w in wrong if not hasattr(w, "to_string"))
        lines.append("- 常见错误：这道题还没有声明错误类型" + (f"；预设的错误答案：{shown}" if shown else "") + "。")
    lines.append("")
    return lines


def render() -> str:
    lines = [
        "# 教师答案与常见错误（自动生成）",
        "",
        "> 本文件由 `python -m utils.classroom guide` 根据各章练习（`utils/lessons/chN.py`）按需生成，请勿手工修改；"
        "练习改动后重新生成。**仅供教师**：含参考答案，不要发给学员。默认写在仓库的隐藏文件夹 `.teacher/` 里："
        "它不进 git，按 README 启动的 JupyterLab 不显示也不打开它，考试版和班级 JupyterHub 的课程副本里没有它。",
        "",
        "每道题列出：题型（标“拓展”的是拓展题，其余是基础题）、估计用时、参考答案、课程为这道题预设的**常见错误**"
        "（错误类型、这种错误的一个示例答案、学员会看到的提示）。"
        "班级报告（`python -m utils.classroom report`）统计的正是这些错误类型出现的次数。",
        "",
    ]
    for ch in chapters():
        try:
            items = problems(ch)
        except Exception as exc:  # noqa: BLE001
            lines += [f"## 第{ch}章", "", f"（这一章的练习无法加载：{type(exc).__name__}）", ""]
            continue
        lines += [f"## 第{ch}章", ""]
        discussions = []
        for name, p in items.items():
            if p.graded == "manual":
                discussions.append((name, p))
                continue
            lines += problem_lines(name, p)
        in_notebook = notebook_discussions(ch)
        if in_notebook:
            lines += ["### 笔记本里的“思考与讨论”", "",
                      "这些问题写在笔记本的讨论单元格里（标签 `discussion`），没有唯一答案；参考要点见下方讨论题"
                      "（若该章有）和教师指南。", ""]
            for text in in_notebook:
                lines += ["> " + line if line else ">" for line in text.splitlines()]
                lines.append("")
            lines += [f"组织建议：{FACILITATION}", ""]
        if discussions:
            lines += ["### 讨论题：参考要点与组织建议", ""]
            for name, p in discussions:
                lines.append(f"**练习 {name[1:]}**（{p.badge()}；{p.track}，约{problem_minutes(p)}分钟）　"
                             f"{_one_line(p.prompt, 300)}")
                lines.append("")
                points = [line.strip().lstrip("·").strip() for line in _answer_text(p).splitlines() if line.strip()]
                solution = key_of(p).solution_text if key_of(p) else ""
                for pt in points:
                    lines.append(f"- {_one_line(pt, 300)}")
                if solution and _one_line(solution, 300) not in {_one_line(pt, 300) for pt in points}:
                    lines.append(f"- 参考解答：{_one_line(solution, 300)}")
                lines.append(f"- 组织建议：{FACILITATION}")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(args) -> int:
    out = Path(args.out) if args.out else DEFAULT_OUT
    text = render()
    if args.check:
        if not out.is_file():
            print(f"{out} 还没有生成（它按需生成：python -m utils.classroom guide），没有需要检查的文件。")
            return 0
        if out.read_text(encoding="utf-8") != text:
            print(f"{out} 不是最新的：请运行 python -m utils.classroom guide", file=sys.stderr)
            return 1
        print(f"{out} 是最新的。")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"已写出 {out}")
    return 0
