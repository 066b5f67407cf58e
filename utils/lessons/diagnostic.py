"""The before/after diagnostic (issue 24 item 7): ten short items, one per skill of the mistake
vocabulary, in two parallel forms.  Form A (``q1``–``q10``) opens chapter 1, form B (``q11``–``q20``)
closes chapter 4; item ``q{i}`` and ``q{i + 10}`` test the same skill with different numbers (generated
drill numbers, 练习用的数, never the report's).  Both are recorded like every other attempt, as chapter
:data:`CHAPTER` (0: not a lesson), so ``grade`` and ``report`` judge them with this key.

``before()`` / ``after()``: the form as an :class:`~utils.exercises.Exercises` set; ``check_all``
checks a dict of answers; ``before_after()`` shows a self-study learner their own result per skill.
"""
from __future__ import annotations

from ..exercises import Choice, Exercises, Mistake
from . import variants as v

CHAPTER = 0
TITLE = "课前课后小测"
N = 10

#: item → (skill label, misconception id it probes)
SKILLS = {
    1: ("单位（万、亿）", "unit-scale"),
    2: ("百分点", "points-as-percent"),
    3: ("增长N倍", "times-reading"),
    4: ("界限（多、近、以上）", "lower-bound-exact"),
    5: ("分母（每人多少）", "inverted-ratio"),
    6: ("当年与累计", "cumulative-annual"),
    7: ("基期", "wrong-base-year"),
    8: ("人次与人数", "person-times"),
    9: ("比较要有基准", "no-baseline"),
    10: ("并列不等于因果", "causal-claim"),
}

_CHOICES = {
    8: [
        ("（练习用的数）某县三年里培训干部“{n}人次”。只凭这个数，哪种说法最稳妥？",
         {"A": "这个县有{n}名不同的干部参加过培训", "B": "培训至少进行了{n}人次；不同的人有多少，这个数回答不了",
          "C": "每名干部平均培训了一次"}, "B", "A"),
        ("（练习用的数）某市一年举办讲座，累计听众“{n}人次”。哪种说法最稳妥？",
         {"A": "听众累计{n}人次；同一人可能听了多次，不同的人数不知道", "B": "有{n}个不同的人听过讲座",
          "C": "平均每场{n}人"}, "A", "B"),
    ],
    9: [
        ("（练习用的数）某项新办法实行后，办结率是{n}%。要说“新办法让办结率提高了”，最缺什么？",
         {"A": "更多的小数位", "B": "实行新办法以前同一口径的办结率", "C": "办结率的图表"}, "B", "A"),
        ("（练习用的数）某地说“改革后满意度达到{n}%，比过去好得多”。要检验这个说法，最缺什么？",
         {"A": "改革前按同样方法调查的满意度", "B": "满意度的四舍五入规则", "C": "调查的日期"}, "A", "C"),
    ],
    10: [
        ("（练习用的数）某县派驻工作队后，第二年收入增长了{n}%。哪种说法站得住？",
         {"A": "收入增长是工作队带来的", "B": "两件事先后发生；要说因果，还需要对照（如没派工作队的县）",
          "C": "工作队让收入增长了{n}%"}, "B", "A"),
        ("（练习用的数）某村建了合作社，同年人均收入增长{n}%。哪种说法站得住？",
         {"A": "合作社使收入增长了{n}%", "B": "没有合作社，收入就不会增长",
          "C": "两件事同年发生；要判断合作社起了多大作用，还需要对照"}, "C", "A"),
    ],
}
_MISTAKE_TEXT = {8: "把人次当成了不同的人数。", 9: "没有基准的比较说明不了“比过去好”。", 10: "先后发生不等于因果。"}


def _choice(item: int, form: int):
    prompt, options, right, wrong = _CHOICES[item][form]
    n = (1200, 900)[form] if item == 8 else (85, 12)[form] if item == 10 else (92, 88)[form]
    fill = {k: t.format(n=n) for k, t in options.items()}
    _, mid = SKILLS[item]
    return Choice(prompt.format(n=n), fill, right,
                  hints=["先找出这句话里能确定的是什么。", "再想：要得出这个结论，还缺什么信息？",
                         "逐个排除说多了的选项。"],
                  solution=f"选 {right}。{_MISTAKE_TEXT[item]}",
                  mistakes=[Mistake(mid, _MISTAKE_TEXT[item], value=wrong)], topic=TITLE, skills=(mid,), level=1)


#: item → (maker, form A params, form B params) for the numeric and interval items
_DRILLS = {
    1: (v.share_count, dict(total_wan=3.2, pct=75), dict(total_wan=4.8, pct=65)),
    2: (v.points_base, dict(now=82.5, pts=30), dict(now=71.5, pts=24)),
    3: (v.times_base, dict(latest=60000, n=3), dict(latest=48000, n=2)),
    4: (v.duo_interval, dict(people_wan=600, low=2, high=3), dict(people_wan=900, low=1, high=3)),
    5: (v.per_unit, dict(total_yi=300, count_wan=250), dict(total_yi=480, count_wan=300)),
    6: (v.cumulative_avg, dict(total_yi=80, years=4), dict(total_yi=150, years=5)),
    7: (v.pct_base, dict(now_yi=1380, pct=15), dict(now_yi=1500, pct=20)),
}


def item(i: int, form: int):
    """Item ``i`` (1–10) of form 0 (A, before) or 1 (B, after)."""
    if i in _DRILLS:
        make, a, b = _DRILLS[i]
        problem = make(**(a, b)[form])
        problem.skills = (SKILLS[i][1],)
        problem.topic = TITLE
        return problem
    return _choice(i, form)


def build() -> Exercises:
    """Both forms as one set: q1–q10 (before, form A) and q11–q20 (after, form B)."""
    book = Exercises(CHAPTER, {f"q{i + N * form}": item(i, form) for form in (0, 1) for i in range(1, N + 1)},
                     title=TITLE)
    for form, word in ((0, "课前小测"), (1, "课后小测")):
        for i in range(1, N + 1):
            book[f"q{i + N * form}"].title = f"{word} 第{i}题"
    return book


class Form:
    """One form of the diagnostic in a notebook: ``show()`` lists the items, ``check_all({1: …})`` checks them."""

    def __init__(self, form: int):
        self.form = form
        self.book = build()

    def problems(self):
        return [self.book[f"q{i + N * self.form}"] for i in range(1, N + 1)]

    def _repr_markdown_(self) -> str:
        head = ("**课前小测**（做完第1章前）" if self.form == 0 else "**课后小测**（学完第4章后）")
        lines = [head + "：10道小题，每题考一项本课程的读数技能。不计分，只看学前学后有没有进步。", ""]
        for i, p in enumerate(self.problems(), start=1):
            lines.append(f"{i}. （{SKILLS[i][0]}）{p.prompt}")
            for k, t in (getattr(p, "options", None) or {}).items():
                lines.append(f"    - {k}. {t}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self._repr_markdown_().replace("**", "")

    def check_all(self, answers: dict) -> None:
        """Check each answer ``{1: …, 2: …}`` (recorded like every attempt; ____ means not yet answered)."""
        from ..exercises import views

        if not isinstance(answers, dict):
            views.show(views.Note("invalid", "请把答案写成字典：{1: 答案1, 2: 答案2, …}。", title=TITLE))
            return
        for i, p in enumerate(self.problems(), start=1):
            p.check(answers.get(i, answers.get(str(i))))


def before() -> Form:
    return Form(0)


def after() -> Form:
    return Form(1)


def own_results(records) -> dict[int, tuple[bool | None, bool | None]]:
    """{item: (before right, after right)} from one learner's records (the last answer counts; None:
    not answered), each answer judged again with this key."""
    book = build()
    last: dict[str, object] = {}
    for r in records:
        if r.chapter == CHAPTER and r.exercise in book and r.status not in ("unanswered",):
            last[r.exercise] = r.answer
    out = {}
    for i in range(1, N + 1):
        pair = []
        for form in (0, 1):
            name = f"q{i + N * form}"
            pair.append(None if name not in last else book[name].rejudge(last[name]).status == "correct")
        out[i] = tuple(pair)
    return out


def before_after() -> None:
    """Show this learner's own before/after per skill (self-study), from their attempt log."""
    import html

    from ..exercises import attempts, solutions_hidden, views

    if solutions_hidden():
        views.show(views.Note("info", "考试模式下不显示小测结果。", title=TITLE))
        return
    records, _ = attempts.read_file(attempts.log_path())
    results = own_results(records)
    mark = {True: "✓ 对", False: "✗ 错", None: "— 未答"}
    rows = "".join(f"<tr><td>{html.escape(SKILLS[i][0])}</td><td>{mark[a]}</td><td>{mark[b]}</td></tr>"
                   for i, (a, b) in results.items())
    pre = sum(a is True for a, _ in results.values())
    post = sum(b is True for _, b in results.values())
    table = "<table><tr><th>技能</th><th>课前</th><th>课后</th></tr>" + rows + "</table>"
    views.show(views.Note("info", f"课前答对 {pre}/{N} 题，课后答对 {post}/{N} 题。各技能见下表。", title=TITLE))
    try:
        from IPython.display import HTML, display

        display(HTML(table))
    except ImportError:  # pragma: no cover - outside Jupyter the note above says it
        pass
