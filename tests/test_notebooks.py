"""Notebook hygiene, template and content rules — checked from the files, before nbval runs them."""
import ast
import json
import re
from pathlib import Path

import pytest

import utils
from utils import marks, nbtools
from utils import catalog

ROOT = Path(__file__).resolve().parent.parent
LESSONS = catalog.CHAPTERS


def setup_source(chapter: int) -> str:
    """The setup cell, exactly (no sys.path edit, no ``____`` import: ``utils.setup()`` provides it)."""
    return f"import utils\nutils.setup()\nex = utils.exercises_for({chapter})"


def load(chapter):
    return json.loads(catalog.lesson(chapter).path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def src(cell):
    return "".join(cell["source"])


def test_navigation_cells_are_up_to_date():
    assert nbtools.check_nav() == []


@pytest.mark.parametrize("chapter", list(LESSONS))
def test_executed_in_order_without_errors_or_warnings(chapter):
    nb = load(chapter)
    counts = [c["execution_count"] for c in code_cells(nb) if src(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), "re-run top to bottom: python -m utils.nbtools execute"
    for cell in code_cells(nb):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", src(cell)[:80]
            text = json.dumps(out, ensure_ascii=False)
            assert "Traceback" not in text and "Glyph" not in text
            if out["output_type"] == "stream":
                assert out["name"] != "stderr", f"stderr output in: {src(cell)[:80]}"
    assert "widgets" not in nb["metadata"], "widget state must be cleared"


@pytest.mark.parametrize("chapter", list(LESSONS))
def test_template(chapter):
    nb = load(chapter)
    setup = code_cells(nb)[0]
    assert src(setup).strip() == setup_source(chapter)
    assert "setup" in setup["metadata"].get("tags", [])
    markdown = "\n".join(src(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    for heading in ("学习目标", "预计用时", "前置知识", "小结", "思考与讨论", "延伸"):
        assert heading in markdown, heading
    assert re.search(r"预计用时[^\n]*\d+\s*分钟", markdown), "预计用时 should state minutes"
    sittings = [int(m) for m in re.findall(r"(\d+)\s*分钟", re.search(r"预计用时[^\n]*", markdown).group(0))]
    assert min(sittings) <= 60, "a sitting longer than an hour: split the chapter into sittings"
    assert "$" not in markdown, "no LaTeX in markdown (handouts are offline)"
    assert not re.search(r"https?://", json.dumps(nb["cells"], ensure_ascii=False)), "no external URLs"
    code = "\n".join(src(c) for c in code_cells(nb))
    assert code.count("utils.live_chart(") >= 3, "at least 3 live charts"
    tagged = [c for c in code_cells(nb) if "exercise" in c["metadata"].get("tags", [])]
    assert len(tagged) >= 6 and all("____" in src(c) for c in tagged), "committed exercises are unanswered"
    parts = [c for c in nb["cells"] if c["cell_type"] == "markdown" and src(c).startswith("## ")]
    assert len(parts) >= 6


def _report_numbers(chapter=None):
    """Numbers of the report (of one chapter + the opening) as they could be typed: base units, 万, 亿.

    Round numbers an author may use for axes and sliders (multiples of 10 up to 100) do not count.
    """
    numbers = set()
    frame = utils.load_figures()
    if chapter is not None:
        frame = frame[frame["chapter"].isin([0, chapter])]
    for f in frame.itertuples():
        for v in (f.value, f.value_high):
            if v is None or v != v:
                continue
            for scaled in (v, v / 1e4, v / 1e8):
                round_small = abs(scaled) <= 100 and float(scaled) % 10 == 0
                if abs(scaled) > 10 and not round_small and not 2000 <= abs(scaled) <= 2030:
                    numbers.add(round(abs(float(scaled)), 6))
    return numbers


REPORT_NUMBERS = {ch: _report_numbers(ch) for ch in LESSONS}


def _literals(code: str):
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    tree = ast.parse(code.replace("____", "_blank_"))  # a cell that does not parse fails the test
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)]


def _typed_figures(code: str, chapter: int):
    return sorted({v for v in _literals(code) if round(abs(float(v)), 6) in REPORT_NUMBERS[chapter]})


@pytest.mark.parametrize("chapter", list(LESSONS))
def test_no_report_figure_typed_by_hand(chapter):
    nb = load(chapter)
    for cell in code_cells(nb):
        assert _typed_figures(src(cell), chapter) == [], f"typed report figure in: {src(cell)[:80]}"
    lesson = (ROOT / "utils" / "lessons" / f"ch{chapter}.py").read_text(encoding="utf-8")
    assert _typed_figures(lesson, chapter) == [], f"ch{chapter}.py types report figures by hand"


def test_the_typed_figure_detector_works():
    code = "x = 255000\ny = 25.5\nz = 2020\nw = 50\nanswer = ____\n%matplotlib inline"
    assert _typed_figures(code, 1) == [25.5, 255000]
    assert _typed_figures("x = 68.3", 1) == [68.3] and _typed_figures("x = 68.3", 2) == []


# -- reading comfort (issue 15): what a learner sees ------------------------------------------

def _rendered_text(markdown: str) -> str:
    """A markdown cell as JupyterLab shows it (CommonMark emphasis rules), code spans left out."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(markdown)
    html = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def test_the_emphasis_check_sees_what_jupyterlab_shows():
    assert "**" in _rendered_text("这一节的关键词是**“五级书记抓扶贫”**：")      # emphasis next to CJK punctuation
    assert "**" not in _rendered_text("这一节的关键词是“**五级书记抓扶贫**”：")
    assert "**" not in _rendered_text("代码 `a ** 2` 不算")


@pytest.mark.parametrize("chapter", LESSONS)
def test_no_literal_asterisks_in_rendered_markdown(chapter):
    nb = load(chapter)
    bad = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown" and "**" in _rendered_text(src(c))]
    bad += [f"{i}:paper" for i, c in enumerate(nb["cells"])           # paper text is markdown too (printed)
            if marks.paper_text(c) and "**" in _rendered_text(marks.paper_text(c))]
    assert not bad, f"cells {bad} show literal ** (emphasis touching CJK punctuation on its outer side)"


@pytest.mark.parametrize("chapter", LESSONS)
def test_tables_learners_see_have_chinese_headers(chapter):
    """Every table stored in the notebook shows Chinese column headers, never data column names."""
    english = []
    for i, cell in enumerate(load(chapter)["cells"]):
        for out in cell.get("outputs", []):
            html = "".join((out.get("data") or {}).get("text/html", ""))
            for header in re.findall(r"<th[^>]*>([^<]*)</th>", html):
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", header.strip()):
                    english.append((i, header.strip()))
    assert not english, f"tables with English headers (cell, header): {english[:10]}"
