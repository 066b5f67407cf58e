"""``python -m utils.classroom guide``: the teacher's answer sheet, generated from the lessons.

Writes ``docs/instructor_answers.md`` (teacher-only; the exam edition never contains it): per
chapter and exercise the kind, the prompt, the reference answer, the hint steps count, and the
**common wrong answers** the lesson declares (misconception id, its Chinese name, the message the
learner sees, an example wrong answer when the lesson gives one); for discussion questions the
model-answer points and facilitation notes.  Chapter helpers change exercises: regenerate, never
edit by hand (``--check`` fails when the file is stale).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .. import catalog
from ..exercises import key_of
from .key import chapters, declared_mistakes, mistake_name, problems

ROOT = catalog.ROOT
DEFAULT_OUT = ROOT / "docs" / "instructor_answers.md"

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


def _number(v, unit: str = "") -> str:
    from ..quantities import format_cn

    try:
        return format_cn(v, unit) if unit else format_cn(v)
    except Exception:  # noqa: BLE001
        return f"{v:.4g}{unit}"


def _examples(p) -> dict:
    try:
        return {mid: ex for mid, _msg, ex in key_of(p).mistake_examples()}
    except Exception:  # noqa: BLE001
        return {}


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


def render() -> str:
    lines = [
        "# 教师答案与常见错误（自动生成）",
        "",
        "> 本文件由 `python -m utils.classroom guide` 根据各章练习（`utils/lessons/chN.py`）生成，请勿手工修改；"
        "练习改动后重新生成。**仅供教师**：含参考答案，不要发给学员（考试版里没有它）。",
        "",
        "每道题列出：题型、参考答案、课程为这道题预设的**常见错误**（错误类型、学员会看到的提示）。"
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
            lines.append(f"### 练习 {name[1:]}（{p.label}）")
            lines.append("")
            lines.append(f"- 题目：{_one_line(p.prompt)}")
            answer = _answer_text(p)
            if answer:
                lines.append(f"- 参考答案：{_one_line(answer, 200)}")
            mistakes = declared_mistakes(p)
            examples = _examples(p)
            if mistakes:
                lines.append("- 常见错误：")
                for mid, msg in mistakes:
                    ex = _fmt_example(examples.get(mid))
                    lines.append(f"  - **{mistake_name(mid)}**（`{mid}`）" + (f"，例如答 {ex}" if ex else "")
                                 + f"：{_one_line(msg, 200)}")
            else:
                wrong = [w for w in (key_of(p).wrong_examples if key_of(p) else [])][:4]
                shown = "、".join(_fmt_example(w) for w in wrong if not hasattr(w, "to_string"))
                lines.append("- 常见错误：这道题还没有声明错误类型" + (f"；预设的错误答案：{shown}" if shown else "") + "。")
            lines.append("")
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
                lines.append(f"**练习 {name[1:]}**　{_one_line(p.prompt, 300)}")
                lines.append("")
                points = list(getattr(p, "points", None) or [])
                if not points:
                    text = key_of(p).solution_text if key_of(p) else ""
                    points = [text] if text else []
                for pt in points:
                    lines.append(f"- {_one_line(pt, 300)}")
                lines.append(f"- 组织建议：{FACILITATION}")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(args) -> int:
    out = Path(args.out) if args.out else DEFAULT_OUT
    text = render()
    if args.check:
        if not out.is_file() or out.read_text(encoding="utf-8") != text:
            print(f"{out} 不是最新的：请运行 python -m utils.classroom guide", file=sys.stderr)
            return 1
        print(f"{out} 是最新的。")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"已写出 {out}")
    return 0
