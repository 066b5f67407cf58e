"""The handouts: the preparation in-process on small synthetic notebooks that carry the marks of
``utils.marks`` (fast), then the real build as a teacher runs it (``slow``).

Slow part: ``python -m utils.handouts --pdf`` in a subprocess, twice per session into temporary
folders (learners' copies with PDFs, then ``--with-solutions``): every lesson + index.html; every
chart embedded; nothing loaded from the network; solutions only with the flag; each file ≤ 2 MB;
setup cells hidden; exercises as answer boxes; links to .html; PDFs on A4 with every page but the
last at least half full, fonts embedded, Chinese text extractable; a failing notebook stops the
build with a message that names it and leaves no output folder.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from utils.exercises import key_of  # noqa: E402
from utils import marks
from utils.handouts import builder as build_mod
from utils.handouts import cells as prep
from utils.handouts.execute import BuildError
from utils.lessons import LESSONS, exercises_for

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(LESSONS)
STEMS = {ch: Path(LESSONS[ch][0]).stem for ch in CHAPTERS}
MAX_BYTES = 2 * 1024 * 1024
BUILD_TIMEOUT = 1800
ARTIFACTS = ROOT / "artifacts" / "handouts"
MIN_FILL = 0.5
CH1_PAGES_BEFORE = 18   # chapter 1 on A4 from the build before the print edition (issue 17)
slow = pytest.mark.slow

# a 1×1 PNG: enough for an image output
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")).decode()


# ---------------------------------------------------------------------------
# synthetic notebooks with the marks of utils.marks
# ---------------------------------------------------------------------------

def md(source, *tags, **utils_meta):
    meta = {"tags": list(tags)} if tags else {}
    if utils_meta:
        meta[marks.KEY] = utils_meta
    return nbformat.v4.new_markdown_cell(source, metadata=meta)


def code(source, *tags, outputs=(), **utils_meta):
    meta = {"tags": list(tags)} if tags else {}
    if utils_meta:
        meta[marks.KEY] = utils_meta
    cell = nbformat.v4.new_code_cell(source, metadata=meta)
    cell.outputs = list(outputs)
    return cell


def out_html(text, role=None, **fields):
    return nbformat.v4.new_output("display_data", data={"text/html": text, "text/plain": text},
                                  metadata=marks.meta(role, **fields) if role else {})


def out_png(role=None, **fields):
    return nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"},
                                  metadata=marks.meta(role, **fields) if role else {})


def stderr(text):
    return nbformat.v4.new_output("stream", name="stderr", text=text)


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


class Problem:
    """A stand-in for an engine problem (only what the handouts may use)."""

    def __init__(self, prompt="题目", answer=12.5, unit="", paper=None, form="一个数"):
        self.prompt = prompt
        self._answer = answer
        self.unit = unit
        self.expected_form = form
        self.solution_text = f"【推算】参考答案是 {answer}"
        self.solution_code = "x = 1 + 1"
        if paper is not None:
            self.paper_html = lambda: paper

    @property
    def answer(self):
        return self._answer


def sources(prepared):
    return "\n".join(c.source for c in prepared.nb.cells)


def printed(prepared):
    """Everything that would be printed: shown sources, markdown, outputs' html/text."""
    parts = []
    for c in prepared.nb.cells:
        if not c.get("metadata", {}).get("transient", {}).get("remove_source"):
            parts.append(c.source)
        for o in c.get("outputs", []):
            data = o.get("data", {})
            parts.append(str(data.get("text/html", "")) + str(o.get("text", "")))
    return "\n".join(parts)


def test_hidden_cells_by_tag():
    nb = notebook(md("导航", marks.NAV), code("import utils", marks.SETUP),
                  md("拖动滑块看看", marks.SCREEN_ONLY, **{marks.PRINT: "比较下面三张图"}),
                  md("在 JupyterLab 里点一下", marks.SCREEN_ONLY),
                  code("# ex.q1.hint()", marks.EXERCISE_HELP), md("普通文字"))
    prepared = prep.prepare(nb)
    text = printed(prepared)
    assert "import utils" not in text and "拖动滑块" not in text and "ex.q1.hint" not in text
    assert "点一下" not in text                                   # screen-only without paper wording: nothing
    assert "比较下面三张图" in text and "普通文字" in text and "导航" in text
    assert [c.source for c in prepared.nb.cells] == ["导航", "比较下面三张图", "普通文字"]   # in the cell's place


def test_paper_wording_lives_in_metadata_not_in_a_visible_cell():
    """The vocabulary: no print-only tag any more; a screen-only cell carries its paper wording."""
    assert "print-only" not in marks.TAGS and "print-only" in marks.RETIRED_TAGS
    cell = md("拖动滑块", marks.SCREEN_ONLY, **{marks.PRINT: "讲义里两张图"})
    assert marks.paper_text(cell) == "讲义里两张图"
    assert marks.paper_text(md("拖动滑块", marks.SCREEN_ONLY)) is None
    assert marks.paper_text(md("x", **{marks.PRINT: "  "})) is None


@pytest.mark.parametrize("source, paper", [
    # commented-out code is printed uncommented; the instruction to remove the # is left out
    ("import seaborn as sns\n# 先做完练习 1。去掉下面三行行首的 #，把 ____ 换成你的内容，再运行：\n"
     "# ax = sns.barplot(data=answer_q1, x=____, y=____)\n# ax.set_title(____)\nex.q2.check()",
     "import seaborn as sns\nax = sns.barplot(data=answer_q1, x=____, y=____)\nax.set_title(____)"),
    # a multi-line call stays whole; an instruction that parses as a name is still prose
    ("# 去掉下面几行行首的 #，再运行：\n# frame = pd.DataFrame({\"a\": [____,\n#                       ____]})\n"
     "ex.q9.check()",
     "frame = pd.DataFrame({\"a\": [____,\n                      ____]})"),
    # prose comments without a # to remove stay comments
    ("gd = utils.figures(\"a\")\n# 在这里给 gd 新增两列（写法示例：gd[\"新列\"] = gd[\"某列\"] * 2）\n\n"
     "answer_q8 = ____   # 加好两列后，把 ____ 换成 gd\nex.q8.check(answer_q8)",
     "gd = utils.figures(\"a\")\n# 在这里给 gd 新增两列（写法示例：gd[\"新列\"] = gd[\"某列\"] * 2）\n\n"
     "answer_q8 = ____   # 加好两列后，把 ____ 换成 gd"),
    ("m = ____   # 先筛选\n# m[\"strict\"] = ...\nanswer_q8 = m\nex.q8.check(answer_q8)",
     "m = ____   # 先筛选\nm[\"strict\"] = ...\nanswer_q8 = m"),
], ids=["uncommented", "multi-line", "prose-kept", "ellipsis"])
def test_answer_box_code_is_paper_code(source, paper):
    assert prep.scaffold(source) == paper


def test_the_marks_check_finds_what_it_checks():
    from utils import marking

    nb = notebook(code("from utils.lessons import ch1_charts as ch"), code("ax = ch.plot_people()"),
                  code("utils.figures(\"a\", table=True)"), code("few = ns[ns[\"x\"] > 1]\nutils.table(few)"),
                  code("ax = ch.plot_x()", marks.EXERCISE), md("x", "print-only"), md("y", "made-up"),
                  md("z", **{marks.PRINT: "纸面文字"}))
    assert marking.author_cells(nb) == [0, 1, 2]          # teaching code and the learner's cell are not author code
    found = marking.problems(nb)
    assert len(found) == 6 and sum("author" in p for p in found) == 3
    assert any("print-only" in p for p in found) and any("made-up" in p for p in found)
    assert any(f"metadata.{marks.KEY}.{marks.PRINT}" in p for p in found)
    assert marking.tag_author_cells(nb) == [0, 1, 2] and marking.tag_author_cells(nb) == []
    assert len(marking.problems(nb)) == 3


def test_every_chapter_says_the_same_about_hints_on_paper():
    """The paper wording of each chapter's "how to use" cell (its first screen-only cell) says in one
    and the same sentence where hints and solutions are (chapters used to disagree: notebook vs teacher)."""
    said = {}
    for chapter in CHAPTERS:
        nb = nbformat.read(ROOT / "notebooks" / LESSONS[chapter][0], as_version=4)
        first = next(c for c in nb.cells if marks.SCREEN_ONLY in marks.tags_of(c))
        match = re.search(r"提示和参考解答[^。]*。", marks.paper_text(first) or "")
        said[chapter] = match.group(0) if match else None
    assert None not in said.values(), f"a chapter's paper wording does not say where hints are: {said}"
    assert len(set(said.values())) == 1, f"chapters disagree: {said}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_lesson_notebooks_keep_screen_and_paper_apart(chapter):
    """``python -m utils.nbtools marks --check``: no print-only cell, paper wording only on
    screen-only cells, every author-code cell tagged."""
    from utils import marking

    nb = nbformat.read(ROOT / "notebooks" / LESSONS[chapter][0], as_version=4)
    assert marking.problems(nb) == []
    screen_only = [c for c in nb.cells if marks.SCREEN_ONLY in marks.tags_of(c)]
    assert screen_only and all(c.cell_type == "markdown" for c in screen_only)


@pytest.mark.parametrize("teacher", [False, True])
def test_after_attempt_cells_only_in_the_teachers_edition(teacher):
    nb = notebook(code("worked = 3 * 4", marks.AFTER_ATTEMPT, outputs=[out_html("【推算】= 12", marks.DERIVED)]),
                  md("解读：12 说明……", marks.AFTER_ATTEMPT), md("下一节"))
    text = printed(prep.prepare(nb, with_solutions=teacher))
    assert ("worked = 3 * 4" in text) is teacher
    assert ("【推算】= 12" in text) is teacher
    assert ("解读：12" in text) is teacher
    assert "下一节" in text


def test_author_code_is_not_printed_but_its_outputs_are():
    nb = notebook(code("def plot():\n    return ax", marks.AUTHOR, outputs=[out_png(marks.CHART, alt="柱状图：甲 3，乙 4")]),
                  code("HELPER = 1", marks.AUTHOR),
                  code("x = utils.figure('a')", outputs=[out_html("<table><tr><th>指标</th></tr></table>", marks.TABLE)]))
    prepared = prep.prepare(nb)
    cells = prepared.nb.cells
    assert len(cells) == 2, "an author cell with no output is left out entirely"
    assert cells[0].metadata["transient"]["remove_source"] is True
    assert 'alt="柱状图：甲 3，乙 4"' in printed(prepared)
    assert "x = utils.figure('a')" in printed(prepared) and "<th>指标</th>" in printed(prepared)
    assert prepared.alt_fallbacks == []


def test_answers_and_bookkeeping_outputs_never_print():
    outputs = [out_html("√ 正确！", marks.FEEDBACK, status="correct", exercise="q1", mistake=None),
               out_html("提示 1/3", marks.HINT, exercise="q1", step=1, steps=3),
               out_html("■ 参考答案 42", marks.SOLUTION, exercise="q1"),
               out_html("进度 0/8", marks.PROGRESS), stderr("UserWarning: something"),
               out_html("【推算】a ÷ b ≈ 2倍", marks.DERIVED)]
    for teacher in (False, True):
        text = printed(prep.prepare(notebook(code("y = 2", outputs=list(outputs))), with_solutions=teacher))
        for hidden in ("正确！", "提示 1/3", "参考答案 42", "进度 0/8", "UserWarning"):
            assert hidden not in text
        assert "【推算】a ÷ b ≈ 2倍" in text
    # a cell that only showed progress (or a solution) is left out with its code
    nb = notebook(code("ex.progress()", outputs=[out_html("进度 0/8", marks.PROGRESS)]),
                  code("ex.q1.solution()", outputs=[out_html("■ 42", marks.SOLUTION, exercise="q1"), stderr("warn")]),
                  code("z = 3"))
    assert sources(prep.prepare(nb)) == "z = 3"


def test_static_views_become_captioned_figures_without_plumbing_code():
    nb = notebook(code("utils.live_chart(plot, metric=utils.dropdown(...))", outputs=[
        out_html("<p><b>指标：贫困人口</b></p>", marks.STATIC_VIEW, control="metric", value="pop", label="指标：贫困人口",
                 part="heading"),
        out_png(marks.STATIC_VIEW, control="metric", value="pop", label="指标：贫困人口", alt="折线图：贫困人口 2012 9899万 …"),
        out_png(marks.STATIC_VIEW, control="metric", value="rate", label="指标：贫困发生率"),
        out_html("（静态图：在 JupyterLab 中运行本单元……）", marks.STATIC_NOTE)]))
    prepared = prep.prepare(nb)
    cell = prepared.nb.cells[0]
    assert cell.metadata["transient"]["remove_source"] is True
    html_parts = [o["data"]["text/html"] for o in cell.outputs]
    assert len(html_parts) == 3, "the view's heading output is dropped: its figure carries the caption"
    assert "<figcaption>指标：贫困人口</figcaption>" in html_parts[0]
    assert 'alt="折线图：贫困人口 2012 9899万 …"' in html_parts[0]
    assert "<figcaption>指标：贫困发生率</figcaption>" in html_parts[1]
    assert "JupyterLab 中运行本单元……" not in html_parts[2] and prep.STATIC_NOTE_PAPER in html_parts[2]
    # the view without an alt mark falls back to its title/label, and is counted
    assert prepared.alt_fallbacks == ["图表：指标：贫困发生率"]
    assert prepared.images == 2


def test_alt_fallbacks_are_counted():
    nb = notebook(code("a", outputs=[out_png()]), code("b", outputs=[out_png(marks.CHART, title="全国贫困人口")]),
                  code("c", outputs=[out_png(marks.CHART, alt="图：x")]))
    prepared = prep.prepare(nb)
    assert prepared.alt_fallbacks == [prep.GENERIC_ALT, "图表：全国贫困人口"]
    assert all('alt="' in o["data"]["text/html"] for c in prepared.nb.cells for o in c.outputs)


def _box(prepared, name):
    for cell in prepared.nb.cells:
        if cell.metadata.get("handout_html") and f'data-exercise="{name}"' in cell.source:
            return cell.source
    raise AssertionError(f"no box for {name}")


def test_exercises_become_answer_boxes_with_the_placeholder_line():
    problems = {"q1": Problem(paper='<div class="paper-numeric">答：______ 万人</div>'),
                "q2": Problem(form="一个 DataFrame")}
    nb = notebook(
        md("**练习 1** 题目一", marks.EXERCISE_PROMPT, exercise="q1"),
        code("answer_q1 = ____   # 换成你的答案\nex.q1.check(answer_q1)", marks.EXERCISE,
             outputs=[out_html("○ 还没有作答", marks.FEEDBACK, status="unanswered", exercise="q1", mistake=None)]),
        code("# ex.q1.hint()", marks.EXERCISE_HELP),
        md("**练习 2** 题目二", marks.EXERCISE_PROMPT, exercise="q2"),
        code("table = data[____]\nanswer_q2 = table\nex.q2.check(answer_q2)", marks.EXERCISE))
    prepared = prep.prepare(nb, problems=problems)
    one, two = _box(prepared, "q1"), _box(prepared, "q2")
    assert '<div class="paper-numeric">答：______ 万人</div>' in one   # the kind's own paper form …
    assert "练习 1 · 作答" not in one and "题目一" not in printed(prepared)  # … states the question: no repeat
    assert "answer_q1 = ____" in one and ".check(" not in one and "还没有作答" not in printed(prepared)
    assert "练习 2 · 作答" in two and "题目二" in printed(prepared)       # fallback: the prompt cell stays
    assert "table = data[____]" in two and "answer_q2 = table" in two and ".check(" not in two
    assert prep.PAPER_FALLBACK in two and "一个 DataFrame" in two          # the clear fallback line
    assert prepared.boxes == ["q1", "q2"] and prepared.paper_fallbacks == ["q2"]
    prompts = [c for c in prepared.nb.cells if c.metadata.get("handout_prompt")]
    assert len(prompts) == 1


def test_exercise_names_without_prompt_marks_follow_the_problem_order():
    problems = {"q1": Problem(), "q2": Problem()}
    nb = notebook(md("练习 1"), code("answer_q1 = ____", marks.EXERCISE), md("练习 2"),
                  code("answer_q2 = ____", marks.EXERCISE, exercise="q2"))
    prepared = prep.prepare(nb, problems=problems)
    assert prepared.boxes == ["q1", "q2"]


def test_a_broken_paper_form_falls_back():
    problem = Problem()
    problem.paper_html = lambda: 1 / 0
    prepared = prep.prepare(notebook(code("answer_q1 = ____", marks.EXERCISE, exercise="q1")), problems={"q1": problem})
    assert prep.PAPER_FALLBACK in _box(prepared, "q1") and prepared.paper_fallbacks == ["q1"]


@pytest.mark.parametrize("teacher", [False, True])
def test_solutions_only_in_the_teachers_appendix(teacher):
    problems = {"q1": Problem(answer=2.5), "q2": Problem(answer=(3.0, 4.0), unit="万人")}
    nb = notebook(md("导航", marks.NAV), md("正文"), md("导航", marks.NAV))
    prepared = prep.prepare(nb, problems=problems, with_solutions=teacher)
    text = printed(prepared)
    assert ("附录：参考答案" in text) is teacher
    assert ("【推算】参考答案是 2.5" in text) is teacher
    if teacher:
        assert "教师版" in prepared.nb.cells[1].source        # banner after the top navigation
        assert "附录" in prepared.nb.cells[-2].source         # appendix before the bottom navigation
        assert "x = 1 + 1" in text


def test_preparation_reads_marks_not_rendered_text():
    """The handout package matches no rendered output: no producer's wording, markup or kind names."""
    package = ROOT / "utils" / "handouts"
    text = "\n".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    for needle in ("STATIC_NOTE_PREFIX", "（静态图", "exercise-feedback", "<p><b>", "[图]", ".kind", "text/plain"):
        assert needle not in text, f"utils/handouts matches rendered output: {needle!r}"
    for tag in marks.TAGS + marks.ROLES:   # (a mark's field, e.g. .get("exercise"), is not a tag)
        assert not re.search(rf"""(?<!get\()["']{re.escape(tag)}["']""", text), f"tag/role {tag!r} spelled as a literal"


def test_rendered_page_is_offline_and_every_image_has_alt():
    from utils.handouts.render import convert, scan

    problems = {"q1": Problem()}
    nb = notebook(md("# 第九章 测试", ), md("[目录](../README.md#目录) [下一章](02_cadres.ipynb)", marks.NAV),
                  md("## 一、数字"), code("plot()", marks.AUTHOR, outputs=[out_png(marks.CHART, alt="柱状图：甲 3")]),
                  md("**练习 1**", marks.EXERCISE_PROMPT, exercise="q1"),
                  code("answer_q1 = ____\nex.q1.check(answer_q1)", marks.EXERCISE))
    prepared = prep.prepare(nb, problems=problems)
    body = convert(prepared.nb, title="第九章 测试", notebook_path=ROOT / "notebooks" / "x.ipynb", with_solutions=False)
    found = scan(body)
    assert not found.external and found.png_images == 1 and found.missing_alt == 0
    assert 'href="index.html"' in body and 'href="02_cadres.html"' in body
    assert "<script src" not in body and "plot()" not in "".join(found.text)
    assert 'class="handout-prompt"' in body and 'class="handout-exercise"' in body


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_handout_colours_meet_aa_contrast():
    """Text colours of the handout stylesheet on the backgrounds they are used on (≥ 4.5:1)."""
    from utils.handouts.render import TEMPLATE_DIR

    css = (TEMPLATE_DIR / "handout.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = {"text": (var["text"], "#ffffff"), "muted": (var["muted"], "#ffffff"),
             "accent": (var["accent"], "#ffffff"), "muted on soft": (var["muted"], var["soft"]),
             "table head": (var["text"], "#eef1f5"), "teacher banner": ("#b42318", "#ffffff"),
             "solution head": ("#1b5e34", "#f4faf6")}
    for colour in re.findall(r"\.highlight \.c1[^{]*\{ color: (#[0-9a-fA-F]{6})", css) + \
            re.findall(r"\.highlight \.ow[^{]*\{ color: (#[0-9a-fA-F]{6})", css):
        pairs[f"code {colour}"] = (colour, var["soft"])
    assert len(pairs) >= 9
    low = {name: round(contrast(fg, bg), 2) for name, (fg, bg) in pairs.items() if contrast(fg, bg) < 4.5}
    assert not low, f"under 4.5:1: {low}"


# ---------------------------------------------------------------------------
# the build is atomic: a failure leaves no partial output folder
# ---------------------------------------------------------------------------

def _fake_build_one(fail_on):
    def fake(path, out_dir, *, with_solutions=False, timeout=0, screen=False):
        if path.name == fail_on:
            raise BuildError(f"{path.name} 执行出错")
        target = out_dir / f"{path.stem}.html"
        target.write_text("<html><head></head><body>ok</body></html>", encoding="utf-8")
        return build_mod.Handout(path, target, path.stem, 0.0, 10, 0)
    return fake


@pytest.fixture
def two_notebooks(tmp_path):
    paths = []
    for name in ("a_lesson.ipynb", "b_lesson.ipynb"):
        nbformat.write(notebook(md("x")), tmp_path / name)
        paths.append(tmp_path / name)
    return paths


def test_a_failed_build_leaves_no_output_folder(tmp_path, two_notebooks, monkeypatch):
    monkeypatch.setattr(build_mod, "build_one", _fake_build_one("b_lesson.ipynb"))
    out = tmp_path / "site" / "handouts"
    with pytest.raises(BuildError):
        build_mod.build(two_notebooks, out, echo=lambda *a, **k: None)
    assert not out.exists()
    assert list((tmp_path / "site").iterdir()) == [], "the staging folder was left behind"


def test_a_failed_build_leaves_an_existing_folder_as_it_was(tmp_path, two_notebooks, monkeypatch):
    out = tmp_path / "handouts"
    (out / "solutions").mkdir(parents=True)
    (out / "a_lesson.html").write_text("old", encoding="utf-8")
    monkeypatch.setattr(build_mod, "build_one", _fake_build_one("b_lesson.ipynb"))
    with pytest.raises(BuildError):
        build_mod.build(two_notebooks, out, echo=lambda *a, **k: None)
    assert (out / "a_lesson.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_lesson.ipynb", "b_lesson.ipynb", "handouts"]
    # a good build replaces the files and keeps what else is there (the teacher's solutions/)
    monkeypatch.setattr(build_mod, "build_one", _fake_build_one(""))
    build_mod.build(two_notebooks, out, echo=lambda *a, **k: None)
    assert (out / "a_lesson.html").read_text(encoding="utf-8").endswith("ok</body></html>")
    assert (out / "b_lesson.html").is_file() and (out / "index.html").is_file() and (out / "solutions").is_dir()


def test_a_new_output_folder_is_not_private(tmp_path, two_notebooks, monkeypatch):
    monkeypatch.setattr(build_mod, "build_one", _fake_build_one(""))
    umask = os.umask(0o022)
    try:
        build_mod.build(two_notebooks, tmp_path / "new", echo=lambda *a, **k: None)
    finally:
        os.umask(umask)
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o755


# ---------------------------------------------------------------------------
# the real build (slow)
# ---------------------------------------------------------------------------

def run_build(*args, timeout=BUILD_TIMEOUT):
    return subprocess.run([sys.executable, "-m", "utils.handouts", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


class Page(HTMLParser):
    """What the tests look at in a handout: resource URLs, images, links and the visible text."""

    RESOURCES = {"script": "src", "link": "href", "img": "src"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.resources = []      # (tag, url) of script/link/img
        self.png_images = 0
        self.links = []          # href of <a>
        self.exercise_boxes = 0
        self.missing_alt = 0     # <img> without a non-empty alt
        self._chunks = []
        self._skip = 0
        self.feed(text)
        self.close()
        self.text = "".join(self._chunks)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.RESOURCES:
            self.resources.append((tag, attrs.get(self.RESOURCES[tag]) or ""))
        if tag == "img" and (attrs.get("src") or "").startswith("data:image/png"):
            self.png_images += 1
        if tag == "img" and not (attrs.get("alt") or "").strip():
            self.missing_alt += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if "handout-exercise" in (attrs.get("class") or "").split():
            self.exercise_boxes += 1
        if tag in ("script", "style"):
            self._skip += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._chunks.append(data)


def _build(tmp_path_factory, name, *flags):
    out = tmp_path_factory.mktemp(name) / "out"      # a new folder: the staging folder is renamed into place
    result = run_build("--out", out, *flags)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return {"out": out, "stdout": result.stdout,
            "pages": {ch: Page((out / f"{STEMS[ch]}.html").read_text(encoding="utf-8")) for ch in CHAPTERS}}


@pytest.fixture(scope="session")
def learners(tmp_path_factory):
    return _build(tmp_path_factory, "handouts", "--pdf")


@pytest.fixture(scope="session")
def teachers(tmp_path_factory):
    return _build(tmp_path_factory, "handouts_solutions", "--with-solutions")


@pytest.fixture(scope="session", params=["learners", "teachers"])
def any_build(request):
    return request.getfixturevalue(request.param)


def _notebook(chapter):
    return json.loads((ROOT / "notebooks" / LESSONS[chapter][0]).read_text(encoding="utf-8"))


def _tagged_sources(chapter, tag):
    return ["".join(c["source"]) for c in _notebook(chapter)["cells"] if tag in c.get("metadata", {}).get("tags", [])]


def _paper_texts(chapter):
    """The paper wordings the screen-only cells carry in their metadata."""
    return [marks.paper_text(c) for c in _notebook(chapter)["cells"] if marks.paper_text(c)]


def _first_lines(source, min_len=12):
    return [line.strip() for line in source.splitlines() if len(line.strip()) > min_len]


@slow
def test_every_lesson_has_a_handout_and_an_index(learners):
    out = learners["out"]
    for ch in CHAPTERS:
        assert (out / f"{STEMS[ch]}.html").is_file()
        assert (out / f"{STEMS[ch]}.pdf").is_file()
    index = Page((out / "index.html").read_text(encoding="utf-8"))
    assert [link for link in index.links if link.endswith(".html")] == [f"{STEMS[ch]}.html" for ch in CHAPTERS]
    assert [link for link in index.links if link.endswith(".pdf")] == [f"{STEMS[ch]}.pdf" for ch in CHAPTERS]
    for i, ch in enumerate(CHAPTERS, 1):  # one progress line per notebook, output paths at the end
        assert f"[{i}/{len(CHAPTERS)}] {LESSONS[ch][0]}" in learners["stdout"]
        assert str(out / f"{STEMS[ch]}.html") in learners["stdout"]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "a staging folder was left behind"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_is_embedded(learners, chapter):
    nb = _notebook(chapter)
    stored = sum("image/png" in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))
    assert stored > 0, "the notebook's stored outputs have no chart"
    assert learners["pages"][chapter].png_images >= stored
    assert learners["pages"][chapter].missing_alt == 0


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_alt_text_fallbacks_are_counted(learners, chapter):
    """Every image has alt text; those whose output had no "alt" mark are reported by the build
    (and must disappear once the chart producers mark every image)."""
    line = next(l for l in learners["stdout"].splitlines() if LESSONS[chapter][0] in l)
    match = re.search(r"(\d+) 张图没有 alt 标记", line)
    fallbacks = int(match.group(1)) if match else 0
    marked = sum(1 for cell in _notebook(chapter)["cells"] for out in cell.get("outputs", [])
                 if "image/png" in out.get("data", {}) and marks.mark_of(out).get("alt"))
    _record("alt_fallbacks", STEMS[chapter], fallbacks)
    if marked:   # the producers mark images with alt: the handout must use it everywhere
        assert fallbacks == 0, f"{fallbacks} images without an alt mark although the notebook marks {marked}"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_handouts_show_the_views_the_notebooks_only_name(learners, chapter):
    """Stored notebooks keep one view per live chart; the handout (STATIC_CHARTS=all) must carry
    every view as a captioned figure: views named by the marks of the stored outputs."""
    named = []
    for cell in _notebook(chapter)["cells"]:
        for out in cell.get("outputs", []):
            mark = marks.mark_of(out)
            if mark.get("role") == marks.STATIC_VIEW and mark.get("label"):
                named.append(str(mark["label"]))
    if not named:
        pytest.skip("the stored notebook has no marked static views yet")
    page = learners["pages"][chapter].text
    missing = [view for view in named if view not in page]
    assert not missing, f"views missing from the handout: {missing}"


@slow
def test_nothing_is_loaded_from_the_network(any_build):
    for path in sorted(any_build["out"].glob("*.html")):
        page = Page(path.read_text(encoding="utf-8"))
        external = [(tag, url[:80]) for tag, url in page.resources
                    if url.strip().lower().startswith(("http://", "https://", "//"))]
        assert not external, f"{path.name} loads {external}"
        assert not [url for tag, url in page.resources if tag == "script" and url], f"{path.name} loads a script"


@slow
def test_each_file_is_at_most_2_mb(any_build):
    for path in sorted(any_build["out"].glob("*.html")):
        assert path.stat().st_size <= MAX_BYTES, f"{path.name}: {path.stat().st_size / 1e6:.2f} MB"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_answer_without_the_flag(learners, chapter):
    text = learners["pages"][chapter].text
    assert "附录：参考答案" not in text
    for name, problem in exercises_for(chapter).items():
        assert key_of(problem).solution_text.strip() not in text, f"solution of {name} leaked into the learners' handout"
    for source in _tagged_sources(chapter, marks.AFTER_ATTEMPT):     # worked cells stay out
        for line in _first_lines(source):
            assert line not in text, f"after-attempt cell printed: {line!r}"
    for cell in _notebook(chapter)["cells"]:                          # and so do answers shown by outputs
        for out in cell.get("outputs", []):
            if marks.role_of(out) in (marks.FEEDBACK, marks.SOLUTION, marks.HINT):
                shown = "".join(out.get("data", {}).get("text/plain", ""))
                for line in _first_lines(shown, 20):
                    assert line not in text, f"{marks.role_of(out)} output printed: {line!r}"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_print_edition_by_tags(learners, chapter):
    text = learners["pages"][chapter].text
    for tag in (marks.SCREEN_ONLY, marks.AUTHOR, marks.SETUP):       # screen wording, author code, setup: not printed
        for source in _tagged_sources(chapter, tag):
            for line in _first_lines(source, 16):
                assert line not in text, f"{tag} cell printed: {line!r}"
    papers = _paper_texts(chapter)
    assert papers, "no screen-only cell carries a paper wording"
    page_key = _key(text, _PROSE_KEY)
    for source in papers:   # every phrase of it (code spans and markup out), in the page's text
        phrases = [_key(p, _PROSE_KEY) for p in re.split(r"[。；：，！？（）\n]", re.sub(r"`[^`]*`", "", source))]
        missing = [p for p in phrases if len(p) >= 4 and p not in page_key]
        assert not missing, f"paper wording missing: {missing[:3]} of {source[:40]!r}"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_all_solutions_with_the_flag(teachers, chapter):
    text = teachers["pages"][chapter].text
    assert "附录：参考答案" in text
    appendix = text[text.rindex("附录：参考答案"):]  # (the teacher banner names it too)
    for name, problem in exercises_for(chapter).items():
        assert f"练习 {name[1:]}" in appendix
        assert key_of(problem).solution_text.strip() in appendix, f"solution of {name} missing"
        for line in key_of(problem).solution_code.strip().splitlines():
            assert line.strip() in appendix, f"solution code of {name} missing: {line!r}"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_become_answer_boxes(learners, chapter):
    page = learners["pages"][chapter]
    assert page.exercise_boxes == len(exercises_for(chapter))
    assert page.text.count("____") >= len(exercises_for(chapter))    # each box shows its placeholder line
    assert "还没有作答" not in page.text              # the engine's "unanswered" reminder is not shown
    for source in _tagged_sources(chapter, marks.EXERCISE_HELP):   # hint/solution cells are hidden
        assert source.strip().splitlines()[0].strip() not in page.text
    for source in _tagged_sources(chapter, marks.EXERCISE):        # no check call on paper
        for line in source.splitlines():
            if ".check(" in line:
                assert line.strip() not in page.text


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_links_point_to_the_html_handouts(learners, chapter):
    links = learners["pages"][chapter].links
    assert not [link for link in links if ".ipynb" in link]
    assert "index.html" in links
    neighbours = [ch for ch in (chapter - 1, chapter + 1) if ch in LESSONS]
    for ch in neighbours:
        assert f"{STEMS[ch]}.html" in links


# ---------------------------------------------------------------------------
# PDFs: pages, fill, fonts, text
# ---------------------------------------------------------------------------

def _tool(name):
    exe = shutil.which(name)
    if exe is None:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{name} is missing but CI=true: apt-get install poppler-utils", pytrace=False)
        pytest.skip(f"{name} is missing: apt-get install poppler-utils")
    return exe


def _record(key, name, value):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "print.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data.setdefault(key, {})[name] = value
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def page_fills(pdf: Path, tmp: Path, top_mm=13, bottom_mm=14) -> list[float]:
    """How full each page is: the lowest inked row of the page rendered in grey (text, rules,
    charts alike), as a share of the printable height (the @page margins of handout.css)."""
    from PIL import Image

    _tool("pdftoppm")
    prefix = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "24", "-gray", str(pdf), str(prefix)], check=True, timeout=120)
    fills = []
    for image in sorted(tmp.glob(f"{pdf.stem}-*.pgm")):
        with Image.open(image) as im:
            width, height = im.size
            px = im.load()
            inked = [y for y in range(height) if any(px[x, y] < 200 for x in range(width))]
        top, bottom = height * top_mm / 297, height * (1 - bottom_mm / 297)
        fills.append(0.0 if not inked else max(0.0, min(1.0, (inked[-1] + 1 - top) / (bottom - top))))
    return fills


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_pdf_pages_are_filled(learners, chapter, tmp_path, capsys):
    pdf = learners["out"] / f"{STEMS[chapter]}.pdf"
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
    fills = page_fills(pdf, tmp_path)
    assert len(fills) == pages
    _record("pdf_pages", STEMS[chapter], pages)
    _record("pdf_fill_percent", STEMS[chapter], [round(f * 100) for f in fills])
    with capsys.disabled():
        print(f"\n[print] {pdf.name}: {pages} pages, fill % {[round(f * 100) for f in fills]}")
    sparse = [(i + 1, round(f * 100)) for i, f in enumerate(fills[:-1]) if f < MIN_FILL]
    assert not sparse, f"{pdf.name}: pages under {MIN_FILL:.0%} full (page, %): {sparse}"
    if chapter == CHAPTERS[0]:
        assert pages <= CH1_PAGES_BEFORE, f"chapter 1 grew from {CH1_PAGES_BEFORE} to {pages} pages"


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_pdf_fonts_are_embedded_and_the_text_is_chinese(learners, chapter):
    pdf = learners["out"] / f"{STEMS[chapter]}.pdf"
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, "no font in the PDF"
    # columns: name type encoding emb sub uni object ID — "emb" is the 4th from the right
    unembedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not unembedded, "fonts not embedded:\n" + "\n".join(unembedded)
    text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    title = LESSONS[chapter][1].split("：")[0].replace(" ", "")
    assert title in text.replace(" ", ""), f"the chapter title {title!r} is not extractable from {pdf.name}"
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 1000, "too little Chinese text in the PDF"


@slow
def test_a_failing_notebook_stops_the_build(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('handout test: this cell fails')"),
        nbformat.v4.new_code_cell("print('never reached')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken_lesson.ipynb"
    nbformat.write(nb, path)
    good = ROOT / "notebooks" / LESSONS[CHAPTERS[0]][0]
    out = tmp_path / "out"
    result = run_build("--notebooks", good, path, "--out", out, timeout=300)
    assert result.returncode != 0
    message = result.stderr
    assert "broken_lesson.ipynb" in message
    assert "ValueError" in message and "this cell fails" in message
    assert "第 1 个单元格" in message and "raise ValueError" in message   # which cell, and its first line
    assert "Traceback" not in message
    assert not out.exists(), "a failed build left a partial output folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken_lesson.ipynb"]


# ---------------------------------------------------------------------------
# screen and paper apart, in the real print edition (HTML and PDF)
# ---------------------------------------------------------------------------

#: an on-screen step inside printed text: "去掉/删掉 … 行首的 #" (the PDF loses the "#" glyph of the code
#: font, so there the step is recognised by 行首 alone)
SCREEN_STEP = re.compile(r"(去掉|删掉|删除)[^。\n]{0,30}(#|行首)")
_TEXT_KEY = re.compile(r"[A-Za-z0-9\u4e00-\u9fff]")
_PROSE_KEY = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def _key(text, pattern=_TEXT_KEY):
    return "".join(pattern.findall(text))


def _pdf_text(pdf, *flags):
    return subprocess.run([_tool("pdftotext"), *flags, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_code_key(line: str) -> str:
    """How a code line reads in the PDF's text: without its comment and spaces — or "" when the rest is
    not plain ASCII (the code font's CJK glyphs, and # and digits next to them, do not extract)."""
    quote, code = None, []
    for char in line:
        if quote is None and char == "#":
            break
        if char in "\"'":
            quote = None if quote == char else (char if quote is None else quote)
        code.append(char)
    key = re.sub(r"\s", "", "".join(code))
    return key if key.isascii() and len(key) >= 10 else ""


def author_lines(nb) -> list[str]:
    """The code lines that must never be printed: every line of the author-code cells (tagged ``author``
    or found by the rule of ``utils.marking``) and of the setup cell, except comments and lines
    that a printed cell (teaching code, an answer box) also has."""
    from utils import marking

    found = set(marking.author_cells(nb))
    hidden, shown = [], set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
        if index in found or marks.tags_of(cell) & {marks.AUTHOR, marks.SETUP}:
            hidden += [line for line in lines if not line.startswith("#") and len(line) >= 10]
        elif not marks.tags_of(cell) & {marks.EXERCISE_HELP, marks.AFTER_ATTEMPT}:
            shown |= set(lines) | {prep.scaffold(cell.source)}
    return [line for line in hidden if line not in shown]


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_author_code_and_no_screen_step_on_paper(learners, chapter, capsys):
    """No line of author code and no "去掉……#" instruction in the learners' HTML or PDF.  In the PDF a
    line is recognised by its code without the comment, when that is ASCII (the code font's CJK glyphs
    and the # and digits beside them do not extract)."""
    nb = nbformat.read(ROOT / "notebooks" / LESSONS[chapter][0], as_version=4)
    lines = author_lines(nb)
    assert lines, "no author code to look for"
    html_text = re.sub(r"\s", "", learners["pages"][chapter].text)
    pdf_text = _pdf_text(learners["out"] / f"{STEMS[chapter]}.pdf")
    pdf_flat = re.sub(r"\s", "", pdf_text)
    in_html = [line for line in lines if re.sub(r"\s", "", line) in html_text]
    in_pdf = [line for line in lines if _pdf_code_key(line) and _pdf_code_key(line) in pdf_flat]
    steps = SCREEN_STEP.findall(learners["pages"][chapter].text) + SCREEN_STEP.findall(pdf_text)
    _record("author_lines_printed", STEMS[chapter], {"checked": len(lines), "html": len(in_html), "pdf": len(in_pdf)})
    with capsys.disabled():
        print(f"\n[print] {STEMS[chapter]}: {len(lines)} author-code lines checked, printed: "
              f"{len(in_html)} in HTML, {len(in_pdf)} in PDF; {len(steps)} screen steps")
    assert not in_html, f"author code in the HTML handout: {in_html[:5]}"
    assert not in_pdf, f"author code in the PDF: {in_pdf[:5]}"
    assert not steps, f"an on-screen step printed: {steps[:3]}"


def _screen_phrases(nb) -> list[str]:
    """Phrases of the screen-only cells (as keys) that their paper wording does not also say."""
    found = []
    for cell in nb.cells:
        if marks.SCREEN_ONLY not in marks.tags_of(cell):
            continue
        paper = _key(marks.paper_text(cell) or "", _PROSE_KEY)
        for chunk in re.split(r"[。；：，！？（）“”、\n]", cell.source):
            key = _key(re.sub(r"`[^`]*`", "", chunk), _PROSE_KEY)
            if len(key) >= 8 and key not in paper:
                found.append(key)
    return found


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_screen_only_never_prints(learners, chapter):
    """No phrase of a screen-only cell in the learners' HTML or PDF text; its paper wording is there."""
    nb = nbformat.read(ROOT / "notebooks" / LESSONS[chapter][0], as_version=4)
    phrases = _screen_phrases(nb)
    assert phrases, "no screen-only phrase to look for"
    html_key = _key(learners["pages"][chapter].text, _PROSE_KEY)
    pdf_key = _key(_pdf_text(learners["out"] / f"{STEMS[chapter]}.pdf"), _PROSE_KEY)
    assert not [p for p in phrases if p in html_key], "screen-only text in the HTML handout"
    assert not [p for p in phrases if p in pdf_key], "screen-only text in the PDF"
    papers = [_key(re.sub(r"`[^`]*`", "", text), _PROSE_KEY)[:12] for text in _paper_texts(chapter)]
    assert all(p in pdf_key for p in papers), "a paper wording is missing from the PDF"


# -- tables and figures against the PDF's page boundaries ------------------------------------------

class Blocks(HTMLParser):
    """The tables (rows of cell text) and figures (caption, index of its image) of a handout, in order."""

    def __init__(self, body):
        super().__init__(convert_charrefs=True)
        self.tables, self.figures, self.images = [], [], 0
        self._table = self._row = self._cell = self._figure = self._caption = None
        self._skip = 0
        self.feed(body)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self._table = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "figure":
            self._figure = {"caption": "", "image": None}
        elif tag == "figcaption" and self._figure is not None:
            self._caption = []
        elif tag == "img":
            if self._figure is not None:
                self._figure["image"] = self.images
            self.images += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "figcaption" and self._caption is not None:
            self._figure["caption"] = "".join(self._caption)
            self._caption = None
        elif tag == "figure" and self._figure is not None:
            self.figures.append(self._figure)
            self._figure = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def split_blocks(html_path: Path, pdf: Path) -> tuple[dict, list[str]]:
    """Which tables and figures of a handout cross a page boundary of its PDF.

    Tables: the first and the last row of each table (text of its cells, in document order) are
    found in the PDF's text in content order (``pdftotext -raw``, pages split at form feeds); a table
    whose rows are on two pages is split — unless it starts a page and still does not fit (longer
    than a page: it may break, with its header repeated).  Figures: the page of each image
    (``pdfimages -list``, in order) must also hold the figure's caption.
    Returns ({"tables": n, "figures": n}, problems); a table that cannot be found is a problem too."""
    blocks = Blocks(html_path.read_text(encoding="utf-8"))
    pages = [_key(text) for text in _pdf_text(pdf, "-raw").split("\f")]
    starts, flat = [], ""
    for text in pages:
        starts.append(len(flat))
        flat += text

    def page_of(pos):
        return max(i for i, start in enumerate(starts) if start <= pos) + 1

    problems, cursor = [], 0
    for number, table in enumerate(blocks.tables, 1):
        rows = [key for key in (_key("".join(row)) for row in table) if len(key) >= 2]
        if not rows:
            continue
        first, last = rows[0], rows[-1]
        begin = flat.find(first, cursor)
        if begin < 0:
            problems.append(f"table {number} ({first[:20]}…) not found in the PDF text")
            continue
        end = flat.find(last, begin + (len(first) if len(rows) > 1 else 0))
        if end < 0:
            problems.append(f"table {number}: last row ({last[:20]}…) not found in the PDF text")
            continue
        top, bottom = page_of(begin), page_of(end + len(last) - 1)
        longer_than_a_page = pages[top - 1].startswith(first) and bottom > top
        if top != bottom and not longer_than_a_page:
            problems.append(f"table {number} ({first[:20]}…) split across pages {top}–{bottom}")
        cursor = begin + 1
    listing = subprocess.run([_tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    image_pages = [int(row.split()[0]) for row in listing if row.split()[2:3] == ["image"]]
    if len(image_pages) != blocks.images:
        problems.append(f"{blocks.images} images in the HTML, {len(image_pages)} in the PDF")
    for number, figure in enumerate(blocks.figures, 1):
        caption = _key(figure["caption"])
        if caption and figure["image"] is not None and figure["image"] < len(image_pages):
            page = image_pages[figure["image"]]
            if caption not in pages[page - 1]:
                problems.append(f"figure {number}: caption {figure['caption'][:20]!r} not on its image's page {page}")
    return {"tables": len(blocks.tables), "figures": len(blocks.figures)}, problems


@slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_table_or_figure_split_across_pages(learners, chapter, capsys):
    counts, problems = split_blocks(learners["out"] / f"{STEMS[chapter]}.html",
                                    learners["out"] / f"{STEMS[chapter]}.pdf")
    _record("pdf_blocks_checked", STEMS[chapter], counts)
    with capsys.disabled():
        print(f"\n[print] {STEMS[chapter]}: {counts['tables']} tables, {counts['figures']} figures checked; "
              f"{len(problems)} problems")
    assert counts["tables"] > 0
    assert not problems, "\n".join(problems)


@slow
def test_the_split_check_sees_a_split_table(tmp_path, browser):
    """The check above fails on a PDF whose table does cross a page (printed by the same code, with the
    test session's Chromium: a second sync Playwright cannot start in the same thread)."""
    from utils.handouts.pdf import print_pdfs

    rows = "".join(f"<tr><td>第{i}行</td><td>数值{i}</td></tr>" for i in range(1, 41))
    page = (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><style>@page {{ size: A4; }}'
            f'table {{ break-inside: auto; }}</style></head><body><div style="height: 230mm">正文</div>'
            f'<table><thead><tr><th>项目</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table>'
            f'<table><tr><td>第二张表</td></tr></table></body></html>')
    html_path = tmp_path / "split.html"
    html_path.write_text(page, encoding="utf-8")
    pdf = print_pdfs([html_path], tmp_path, echo=lambda *a, **k: None, browser=browser)[0]
    counts, problems = split_blocks(html_path, pdf)
    assert counts == {"tables": 2, "figures": 0}
    assert len(problems) == 1 and "table 1" in problems[0] and "split across pages 1–2" in problems[0], problems
