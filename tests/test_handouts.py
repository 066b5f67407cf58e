"""The handout build, run as a teacher runs it: ``python -m utils.handouts`` in a subprocess.

Two builds per session into temporary folders (learners' copies, then ``--with-solutions``), then:
four handouts + index.html; every chart embedded; nothing loaded from the network; solutions only
with the flag; each file ≤ 2 MB; setup cells hidden; exercises as answer boxes; links to .html;
and a failing notebook stops the build with a message that names it.
"""
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from utils.lessons import LESSONS, exercises_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(LESSONS)
STEMS = {ch: Path(LESSONS[ch][0]).stem for ch in CHAPTERS}
MAX_BYTES = 2 * 1024 * 1024
BUILD_TIMEOUT = 1800


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
    out = tmp_path_factory.mktemp(name)
    result = run_build("--out", out, *flags)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return {"out": out, "stdout": result.stdout,
            "pages": {ch: Page((out / f"{STEMS[ch]}.html").read_text(encoding="utf-8")) for ch in CHAPTERS}}


@pytest.fixture(scope="session")
def learners(tmp_path_factory):
    return _build(tmp_path_factory, "handouts")


@pytest.fixture(scope="session")
def teachers(tmp_path_factory):
    return _build(tmp_path_factory, "handouts_solutions", "--with-solutions")


@pytest.fixture(scope="session", params=["learners", "teachers"])
def any_build(request):
    return request.getfixturevalue(request.param)


def test_four_handouts_and_an_index(learners):
    out = learners["out"]
    for ch in CHAPTERS:
        assert (out / f"{STEMS[ch]}.html").is_file()
    index = Page((out / "index.html").read_text(encoding="utf-8"))
    assert [link for link in index.links if link.endswith(".html")] == [f"{STEMS[ch]}.html" for ch in CHAPTERS]
    for ch in CHAPTERS:  # one progress line per notebook, output paths at the end
        assert f"[{ch}/4] {LESSONS[ch][0]}" in learners["stdout"]
        assert str(out / f"{STEMS[ch]}.html") in learners["stdout"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_is_embedded(learners, chapter):
    nb = json.loads((ROOT / "notebooks" / LESSONS[chapter][0]).read_text(encoding="utf-8"))
    stored = sum("image/png" in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))
    assert stored > 0, "the notebook's stored outputs have no chart"
    assert learners["pages"][chapter].png_images >= stored


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_handouts_show_the_views_the_notebooks_only_name(learners, chapter):
    """Stored notebooks keep one view per live chart and name the others in the note;
    the handout (STATIC_CHARTS=all) must carry every one of them as a captioned figure."""
    import re

    nb = json.loads((ROOT / "notebooks" / LESSONS[chapter][0]).read_text(encoding="utf-8"))
    note_re = re.compile(r"控件“(.+?)”的其余选项——(.+?)——")
    named = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain", "")
            match = note_re.search("".join(text) if isinstance(text, list) else text)
            if match:
                named += [f"{match.group(1)}：{option}" for option in match.group(2).split("；")]
    assert named, "no live chart with a dropdown in the stored notebook"
    page = learners["pages"][chapter].text
    missing = [view for view in named if view not in page]
    assert not missing, f"views missing from the handout: {missing}"


def test_nothing_is_loaded_from_the_network(any_build):
    for path in sorted(any_build["out"].glob("*.html")):
        page = Page(path.read_text(encoding="utf-8"))
        external = [(tag, url[:80]) for tag, url in page.resources
                    if url.strip().lower().startswith(("http://", "https://", "//"))]
        assert not external, f"{path.name} loads {external}"
        assert not [url for tag, url in page.resources if tag == "script" and url], f"{path.name} loads a script"


def test_each_file_is_at_most_2_mb(any_build):
    for path in sorted(any_build["out"].glob("*.html")):
        assert path.stat().st_size <= MAX_BYTES, f"{path.name}: {path.stat().st_size / 1e6:.2f} MB"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_solution_without_the_flag(learners, chapter):
    text = learners["pages"][chapter].text
    assert "附录：参考答案" not in text
    for name, problem in exercises_for(chapter):
        assert problem.solution_text.strip() not in text, f"solution of {name} leaked into the learners' handout"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_all_solutions_with_the_flag(teachers, chapter):
    text = teachers["pages"][chapter].text
    assert "附录：参考答案" in text
    appendix = text[text.rindex("附录：参考答案"):]  # (the teacher banner names it too)
    for name, problem in exercises_for(chapter):
        assert f"练习 {name[1:]}" in appendix
        assert problem.solution_text.strip() in appendix, f"solution of {name} missing"
        for line in problem.solution_code.strip().splitlines():
            assert line.strip() in appendix, f"solution code of {name} missing: {line!r}"


def _tagged_sources(chapter, tag):
    nb = json.loads((ROOT / "notebooks" / LESSONS[chapter][0]).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if tag in c.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_setup_cell_is_hidden(learners, chapter):
    text = learners["pages"][chapter].text
    assert "utils.setup()" not in text
    assert _tagged_sources(chapter, "setup"), "no cell tagged setup"
    for source in _tagged_sources(chapter, "setup"):
        for line in source.splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_become_answer_boxes(learners, chapter):
    page = learners["pages"][chapter]
    assert page.exercise_boxes == len(exercises_for(chapter))
    assert page.text.count("答：") >= len(exercises_for(chapter))
    assert "还没有作答" not in page.text              # the engine's "unanswered" reminder is not shown
    for source in _tagged_sources(chapter, "exercise-help"):   # hint/solution cells are hidden
        assert source.strip().splitlines()[0].strip() not in page.text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_links_point_to_the_html_handouts(learners, chapter):
    links = learners["pages"][chapter].links
    assert not [link for link in links if ".ipynb" in link]
    assert "index.html" in links
    neighbours = [ch for ch in (chapter - 1, chapter + 1) if ch in LESSONS]
    for ch in neighbours:
        assert f"{STEMS[ch]}.html" in links


def test_a_failing_notebook_stops_the_build(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('handout test: this cell fails')"),
        nbformat.v4.new_code_cell("print('never reached')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken_lesson.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "out"
    result = run_build("--notebooks", path, "--out", out, timeout=300)
    assert result.returncode != 0
    message = result.stderr
    assert "broken_lesson.ipynb" in message
    assert "ValueError" in message and "this cell fails" in message
    assert "第 1 个单元格" in message and "raise ValueError" in message   # which cell, and its first line
    assert "Traceback" not in message
    assert not (out / "broken_lesson.html").exists()
