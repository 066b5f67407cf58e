"""The class report at a glance: one section per chapter that someone worked on.

Each section has
- per-exercise bars: how many *learners* tried it, finished it (reached a correct answer) and got
  it right the first time — counted in learners, written on every bar;
- a learner × exercise grid: every cell says in one Chinese character what that learner did with
  that exercise (对 right first time, 完 right later, 卡 stuck, 试 tried and not yet right,
  － not tried), on a colour that also differs — never colour alone.

Every image is drawn at ``DPI`` with no text smaller than ``MIN_TEXT_PT`` and at most ``MAX_WIDTH_PX``
wide, so the report page (``max-width`` 1100 CSS px) shows it at its own size: its smallest text is
``MIN_TEXT_PT × DPI / 72`` ≈ 15 CSS px (≥ 11 CSS px at 1280 px width, measured in Chromium by
tests/test_browser.py from each image's ``data-min-text-px``).  Colours reach 3:1 against white
(WCAG 1.4.11) and the cell letters 4.5:1 against their cell.

The states follow :func:`utils.classroom.report.build`'s rules (judged attempts only; done = a
correct or recorded answer; stuck = ≥ ``STUCK_WRONG`` wrong or close answers and none correct).
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

from ..exercises import attempts as attempts_mod

DPI = 100
MIN_TEXT_PT = 11.0
#: The widest image: the report page is at most 1100 CSS px wide (body max-width)
MAX_WIDTH_PX = 1050
#: Exercises per grid image (more are split over several images, so no image is scaled down)
GRID_COLUMNS = 22
#: Learners per grid image
GRID_ROWS = 40
MAX_NAME = 14

#: state → (letter, fill, ink, meaning); fills ≥ 3:1 on white, inks ≥ 4.5:1 on their fill
STATES = {
    "first": ("对", "#0173b2", "white", "第一次就答对"),
    "done": ("完", "#029e73", "black", "后来答对（完成）"),
    "stuck": ("卡", "#a8320f", "white", "卡住：答错 3 次以上且还没答对"),
    "tried": ("试", "#767676", "white", "做过，还没答对"),
    "none": ("－", "white", "#555555", "没做"),
}
#: the outline of every grid cell (4.5:1 on white): an empty cell is a visible box too
CELL_EDGE = "#767676"


@dataclass
class ChapterView:
    chapter: int
    exercises: list          # ExerciseRow of this chapter, in order
    learners: list           # learner names, in the report's order
    states: dict             # (learner, exercise name) -> state key of STATES
    attempts: int            # judged attempts in this chapter


def learner_states(report, stuck_wrong: int) -> dict:
    """(learner, chapter, exercise) → state, by the rules of ``report.build`` (``stuck_wrong``:
    its ``STUCK_WRONG``, passed in: this module does not import the report, which imports it)."""
    states = {}
    for learner, recs in report.log.by_learner().items():
        per_ex: dict = {}
        for r in recs:
            if r.status in attempts_mod.TRIED:
                per_ex.setdefault(r.key, []).append(r)
        for (chapter, exercise), judged in per_ex.items():
            done = any(r.status in ("correct", "recorded") for r in judged)
            misses = sum(r.status in ("wrong", "close") for r in judged)
            if judged[0].status in ("correct", "recorded"):
                state = "first"
            elif done:
                state = "done"
            elif misses >= stuck_wrong:
                state = "stuck"
            else:
                state = "tried"
            states[(learner, chapter, exercise)] = state
    return states


def chapters(report, stuck_wrong: int) -> list[ChapterView]:
    """One view per chapter with at least one judged attempt, in chapter order."""
    states = learner_states(report, stuck_wrong)
    worked = sorted({ch for _, ch, _ in states})
    learners = [lr.learner for lr in report.learners]
    views = []
    for ch in worked:
        rows = [e for e in report.exercises if e.chapter == ch]
        views.append(ChapterView(ch, rows, learners,
                                 {(who, ex): s for (who, c, ex), s in states.items() if c == ch},
                                 sum(e.attempts for e in rows)))
    return views


# ---------------------------------------------------------------------------
# drawing
# ---------------------------------------------------------------------------

def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    try:
        from ..style import setup

        setup()
    except Exception:  # noqa: BLE001 - a chart without the CJK font is still a chart
        pass
    return plt


def _png(fig) -> tuple[str, float, int]:
    """(base64 PNG, smallest text height in PNG pixels, width in pixels); closes ``fig``."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    width = int(round(fig.get_figwidth() * DPI))
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii"), min(sizes) * DPI / 72, width


def _name(chapter: int) -> str:
    """第N章, or the before/after diagnostic (chapter 0)."""
    return f"第{chapter}章" if chapter else "课前课后小测"


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def bars_figure(view: ChapterView, n_learners: int):
    """Per exercise of the chapter: learners who tried, finished, got it right first time."""
    plt = _pyplot()
    from .. import charts

    rows = view.exercises
    series = (("作答", "tried", "#767676", ""), ("完成（最终答对）", "completed", "#029e73", "//"),
              ("第一次就答对", "first_try", "#0173b2", ".."))
    height = 0.8 * len(rows) + 1.6
    with charts.chart_context():
        fig, ax = plt.subplots(figsize=(MAX_WIDTH_PX / DPI, height))
        bar_h = 0.26
        for k, (label, attr, colour, hatch) in enumerate(series):
            ys = [i + (k - 1) * bar_h for i in range(len(rows))]
            vals = [getattr(e, attr) for e in rows]
            ax.barh(ys, vals, height=bar_h * 0.92, color=colour, hatch=hatch, edgecolor="white", linewidth=0,
                    label=label)
            for y, v in zip(ys, vals):
                ax.text(v + n_learners * 0.01, y, f"{v} 人", va="center", ha="left", fontsize=MIN_TEXT_PT)
        ax.set_yticks(range(len(rows)), [f"{e.chapter}.{e.exercise}" for e in rows], fontsize=MIN_TEXT_PT)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, max(n_learners, 1) * 1.15)
        ax.set_xlabel(f"学员人数（人，全班 {n_learners} 人）", fontsize=MIN_TEXT_PT)
        ax.tick_params(axis="x", labelsize=MIN_TEXT_PT)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", visible=False)
        ax.set_title(f"{_name(view.chapter)}：每道练习有多少名学员作答、完成、第一次就答对", loc="left",
                     fontsize=MIN_TEXT_PT + 2)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, frameon=False, fontsize=MIN_TEXT_PT,
                  borderaxespad=0.3)
        fig.tight_layout()
    return fig


def bars_alt(view: ChapterView, n_learners: int) -> str:
    items = "；".join(f"{e.chapter}.{e.exercise} 作答 {e.tried} 人、完成 {e.completed} 人、第一次就答对 {e.first_try} 人"
                     for e in view.exercises if e.tried)
    return (f"条形图，{_name(view.chapter)}各练习的人数（全班 {n_learners} 人）：{items or '还没有人作答'}。"
            "完整数字见下方表格。")


def grid_figures(view: ChapterView) -> list:
    """The learner × exercise grid, split into images of at most GRID_COLUMNS × GRID_ROWS cells."""
    plt = _pyplot()
    from matplotlib.patches import Rectangle

    from .. import charts

    figs = []
    names = [e.exercise for e in view.exercises]
    for c0 in range(0, max(len(names), 1), GRID_COLUMNS):
        cols = names[c0:c0 + GRID_COLUMNS]
        for r0 in range(0, max(len(view.learners), 1), GRID_ROWS):
            people = view.learners[r0:r0 + GRID_ROWS]
            cell = 0.4
            left_in, bottom_in = 1.75, 0.6
            top_in = 0.75 + 0.12 * max((len(c) for c in cols), default=1)  # title + upright column labels
            width = min(MAX_WIDTH_PX / DPI, left_in + cell * len(cols) + 0.3)
            height = top_in + cell * max(len(people), 1) + bottom_in
            with charts.chart_context():
                fig = plt.figure(figsize=(width, height))
                ax = fig.add_axes((left_in / width, bottom_in / height, cell * len(cols) / width,
                                   cell * max(len(people), 1) / height))
                for i, who in enumerate(people):
                    for j, ex in enumerate(cols):
                        letter, fill, ink, _ = STATES[view.states.get((who, ex), "none")]
                        ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill, edgecolor=CELL_EDGE, linewidth=0.8))
                        ax.text(j + 0.5, i + 0.5, letter, ha="center", va="center", color=ink, fontsize=MIN_TEXT_PT)
                ax.set_xlim(0, len(cols))
                ax.set_ylim(max(len(people), 1), 0)
                ax.set_xticks([j + 0.5 for j in range(len(cols))], cols, fontsize=MIN_TEXT_PT, rotation=90)
                ax.set_yticks([i + 0.5 for i in range(len(people))], [_short(p) for p in people],
                              fontsize=MIN_TEXT_PT)
                ax.xaxis.set_ticks_position("top")
                ax.tick_params(length=0)
                ax.grid(False)
                for spine in ax.spines.values():
                    spine.set_visible(False)
                part = ""
                if len(names) > GRID_COLUMNS or len(view.learners) > GRID_ROWS:
                    part = f"（练习 {c0 + 1}–{c0 + len(cols)}，学员 {r0 + 1}–{r0 + len(people)}）"
                fig.text(0.01, 1 - 0.12 / height, f"{_name(view.chapter)}：每名学员每道练习的情况{part}",
                         ha="left", va="top", fontsize=MIN_TEXT_PT + 2)
                legend = "；".join(f"{letter}＝{meaning.split('：')[0]}" for letter, _, _, meaning in STATES.values())
                fig.text(0.01, 0.1 / height, legend, ha="left", va="bottom", fontsize=MIN_TEXT_PT,
                         color="#333333")
            figs.append(fig)
    return figs


def grid_alt(view: ChapterView) -> str:
    counts = {k: 0 for k in STATES}
    for who in view.learners:
        for e in view.exercises:
            counts[view.states.get((who, e.exercise), "none")] += 1
    stuck = sorted({f"{who}（{ex}）" for (who, ex), s in view.states.items() if s == "stuck"})
    text = (f"网格，{_name(view.chapter)} {len(view.learners)} 名学员 × {len(view.exercises)} 道练习，每格一个字："
            + "，".join(f"{STATES[k][3].split('：')[0]} {n} 格" for k, n in counts.items()) + "。")
    if stuck:
        text += "卡住的：" + "、".join(stuck[:12]) + (f"等 {len(stuck)} 处" if len(stuck) > 12 else "") + "。"
    return text


def _img(png: str, px: float, width: int, alt: str) -> str:
    return (f'<img alt="{html.escape(alt)}" width="{width}" data-min-text-px="{px:.1f}" '
            f'src="data:image/png;base64,{png}">')


def sections_html(report, stuck_wrong: int) -> str:
    """The per-chapter sections (HTML) for the report page; "" when nobody has attempted anything."""
    views = chapters(report, stuck_wrong)
    n = report.n_learners
    if not views or not n:
        return ""
    legend = "；".join(f"<b>{letter}</b> {html.escape(meaning)}" for letter, _, _, meaning in STATES.values())
    parts = ["<h2>各章一览</h2>",
             f"<p>只列出有人作答过的章（{len(views)} 章）。人数按学员计，作答次数按判分的作答计。"
             f"网格里每格一个字：{legend}。</p>"]
    for view in views:
        active = sum(1 for who in view.learners if any(k[0] == who for k in view.states))
        heading = _name(view.chapter)
        parts.append(f"<h3>{heading}</h3><p>全班 {n} 名学员中 {active} 人做过本章练习；"
                     f"本章共判分作答 {view.attempts} 次。</p>")
        png, px, width = _png(bars_figure(view, n))
        parts.append(_img(png, px, width, bars_alt(view, n)))
        alt = grid_alt(view)
        for fig in grid_figures(view):
            png, px, width = _png(fig)
            parts.append(_img(png, px, width, alt))
    return "\n".join(parts)


def diagnostic_html(rows) -> str:
    """The before/after diagnostic as a text table (legible at any zoom, read by screen readers): per
    skill the share right before and after among the learners who took both, and Hake's normalized
    gain g = (后 − 前) ÷ (100 − 前); "" when nobody took it."""
    rows = [r for r in rows if r.n]
    if not rows:
        return ""
    esc = html.escape

    def pct(x):
        return "—" if x is None else f"{x:.0f}%"

    body = "".join(
        f"<tr><td>{esc(r.skill)}</td><td>{r.n}</td><td>{pct(r.pre_pct)}（{r.pre}人）</td>"
        f"<td>{pct(r.post_pct)}（{r.post}人）</td><td>{'—' if r.gain is None else f'{r.gain:.2f}'}</td></tr>"
        for r in rows)
    return ("<h2>课前课后小测：各技能的进步</h2>"
            "<p>每项技能一道小题，课前（第1章开头）和课后（第4章结尾）各做一道平行题。只统计两次都做了的学员。"
            "g 是 Hake 归一化增益：g = (课后答对率 − 课前答对率) ÷ (100% − 课前答对率)，"
            "即课前没掌握的那部分里，课后补上了多少；课前全对时记为“—”。</p>"
            '<table style="font-size:16px"><tr><th>技能</th><th>两次都做的人数</th><th>课前答对</th>'
            "<th>课后答对</th><th>g</th></tr>" + body + "</table>")
