"""The course's own text: official wording right, the report's claims kept as the report's, no copied
runs of the source outside the one marked quotation style, Markdown that renders.

Corpus ("the course's own text"): the notebooks' Markdown cells, every learner-facing string of the
problems (prompts with their options, hints, solutions, explanations, mistake messages), README.md,
docs/*.md and the glossary.  The source essay itself is not in the repository and the project never
reads it (see test_no_copied_runs_of_the_source for how copying is detected fairly without it).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

from utils import load_table, marks
from utils.lessons import exercises_for
from utils.exercises import key_of

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SIX_PHRASES = ("上下同心", "尽锐出战", "精准务实", "开拓创新", "攻坚克难", "不负人民")
QUOTE_LINE = re.compile(r"^\s*>\s*原文：")


def markdown_cells():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                yield f"{path.name}#{i}", cell.source
            paper = marks.paper_text(cell)      # the paper text of a screen-only cell (printed, never on screen)
            if paper:
                yield f"{path.name}#{i}:paper", paper


def problem_texts():
    for chapter in (1, 2, 3, 4):
        for name, p in exercises_for(chapter).items():
            key = key_of(p)
            parts = [p.prompt_markdown(), *key.hints, key.solution_text]
            parts += list(key.explanations.values())        # choice items: per-option explanations
            parts += [m.message for m in p.mistakes]
            parts += key.points                              # discussions: model-answer points
            yield f"ch{chapter}.{name}", "\n".join(parts)


def corpus():
    yield from markdown_cells()
    yield from problem_texts()
    for path in DOCS:
        yield path.name, path.read_text(encoding="utf-8")
    yield "glossary.csv", (ROOT / "data" / "glossary.csv").read_text(encoding="utf-8")


def without_quotes(text: str) -> str:
    """The text with the marked quotations (lines starting "> 原文：") removed."""
    return "\n".join(ln for ln in text.splitlines() if not QUOTE_LINE.match(ln))


@pytest.fixture(scope="module")
def texts():
    return list(corpus())


def test_no_five_phrase_claim(texts):
    bad = [where for where, text in texts if "五句话" in text]
    assert not bad, f"脱贫攻坚精神 has six phrases; '五句话' in {bad}"


def test_glossary_spirit_has_the_six_official_phrases():
    g = load_table("glossary")
    row = g[g["term"] == "脱贫攻坚精神"]
    assert len(row) == 1
    text = row["explanation"].iloc[0]
    assert all(p in text for p in SIX_PHRASES), text
    assert "六" in text


def test_the_course_says_where_the_report_departs_from_official_wording(texts):
    joined = "\n".join(without_quotes(t) for _, t in texts)
    assert "不负人民" in joined and "五湖四海" in joined
    assert re.search(r"漏[了掉].{0,3}“不负人民”", joined), "say that the report leaves out 不负人民"


SENTENCE = re.compile(r"[^。；！？\n]+")


def warning_line_claims(text: str) -> list[str]:
    """Sentences that state the 预警线 with a number in the course's own voice (not attributed to the
    report with 报告/原文/该文), or call a rate "close to" it."""
    bad = []
    for sentence in SENTENCE.findall(without_quotes(text)):
        if "预警线" not in sentence:
            continue
        if "接近预警线" in sentence or (re.search(r"\d\s*%", sentence) and not re.search(r"报告|原文|该文", sentence)):
            bad.append(sentence)
    return bad


def test_no_warning_line_in_the_course_voice(texts):
    """The 5% 预警线 is the report's figure with no source: every sentence that names it with a number
    says it is the report's (报告/原文), and nothing calls 5.08% "close to" it."""
    bad = [(where, s) for where, text in texts if where != "glossary.csv" for s in warning_line_claims(text)]
    assert not bad, bad


def test_the_text_checks_can_fail():
    from markdown_it import MarkdownIt

    assert "**" in MarkdownIt("commonmark").render("这是在**“累计”**里说的")      # cannot open: stays literal
    assert "**" not in MarkdownIt("commonmark").render("关键词是“**五级书记抓扶贫**”。")
    assert warning_line_claims("同样的27万，一个远低于5%的预警线，一个已接近预警线。")
    assert warning_line_claims("返贫率低于5%的预警线。")
    assert not warning_line_claims("报告说返贫率低于5%的预警线。\n> 原文：低于5%的预警线")


def test_no_literal_double_asterisks_after_rendering(texts):
    """CommonMark leaves ** literal when the delimiter run cannot open or close (e.g. **“…”** glued to
    a CJK character): render every Markdown text the way JupyterLab does and look for leftovers."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    bad = []
    for where, text in texts:
        if where == "glossary.csv" or where.startswith("ch"):
            continue
        html = md.render(text)
        visible = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", html, flags=re.S)
        visible = re.sub(r"<[^>]+>", "", visible)
        if "**" in visible:
            line = next(ln for ln in visible.splitlines() if "**" in ln)
            bad.append((where, line[:80]))
    assert not bad, bad


# -- copied runs ------------------------------------------------------------------------------------
#: Official wordings that coincide with a run of the source: the course quotes them as the official text.
OFFICIAL = ("上下同心、尽锐出战、精准务实、开拓创新、攻坚克难",)
RUN = 20   # characters
PIECE = 5  # a copied piece: a run of at least this many characters of one verbatim source fragment
_DROP = re.compile(r"[\s\W_]+", re.U)


def _squash(text: str) -> str:
    """Letters and digits only: copying survives changed punctuation (，/, “”) and spacing."""
    return _DROP.sub("", text)


def source_fragments() -> list[str]:
    """Verbatim fragments of the source kept in the data: every figure's quote, list items, section
    titles (data/README.md: the quote column is copied word for word from the report)."""
    frags = [q for q in load_table("report_figures")["quote"].dropna()]
    frags += [i for i in load_table("lists")["item"].dropna()]
    return [_squash(f) for f in frags if len(_squash(f)) >= PIECE]


def copied_runs(text: str, fragments: list[str]) -> list[str]:
    """Stretches of ``text`` (outside 《titles》, marked quotes and official wordings) at least RUN
    characters long in which every character lies in a PIECE-character window of some source fragment."""
    text = without_quotes(text)
    text = re.sub(r"《[^》]*》", "", text)
    for phrase in OFFICIAL:
        text = text.replace(phrase, "")
    s = _squash(text)
    grams = {f[i:i + PIECE] for f in fragments for i in range(len(f) - PIECE + 1)}
    covered = [False] * len(s)
    for i in range(len(s) - PIECE + 1):
        if s[i:i + PIECE] in grams:
            for j in range(i, i + PIECE):
                covered[j] = True
    runs, start = [], None
    for i, c in enumerate([*covered, False]):
        if c and start is None:
            start = i
        elif not c and start is not None:
            if i - start >= RUN:
                runs.append(s[start:i])
            start = None
    return runs


def test_copy_detector_catches_a_mosaic_of_quotes():
    frags = [_squash(x) for x in ("易地搬迁后续扶持资金投入达600亿元", "建设配套产业项目超过1.2万个", "带动搬迁群众就业280万人次")]
    copied = "报告写到：易地搬迁后续扶持资金600亿元，建设配套产业项目“超过1.2万个”，带动搬迁群众就业280万人次。"
    assert copied_runs(copied, frags)
    assert not copied_runs("> 原文：易地搬迁后续扶持资金投入达600亿元,建设配套产业项目超过1.2万个", frags)
    assert not copied_runs("后续扶持的投入是600亿元；配套的产业项目在1.2万个以上；就业按人次算是280万。", frags)


def test_no_copied_runs_of_the_source(texts):
    """No run of >= 20 characters copied from the source outside "> 原文：" quotes.

    Fair without the source: the data holds the report's wording verbatim in small fragments (each
    figure's ``quote``, the lists' items); a run counts as copied when every character of it lies in a
    5-character window of such a fragment — which catches a sentence stitched from several quotes with
    the punctuation changed, and lets our own sentences that only reuse a figure's short wording pass.
    Limitation (stated): source text that no fragment covers cannot be detected."""
    frags = source_fragments()
    bad = [(where, run) for where, text in texts for run in copied_runs(text, frags)]
    assert not bad, bad
