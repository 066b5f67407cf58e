"""Printable, offline HTML handouts of the four lessons.

    python -m utils.handouts                      # learners' copies → handouts/*.html + index.html
    python -m utils.handouts --with-solutions     # teacher's copies → handouts/solutions/ (appendix 附录：参考答案)
    python -m utils.handouts --notebooks notebooks/02_cadres.ipynb --out /tmp/h

Each notebook is executed in memory (never saved) in a fresh kernel, in static mode
(``STATIC_CHARTS=all``: live charts become plain images, every view of a chart's dropdown;
``HIDE_SOLUTIONS`` unset), with the
notebook's folder as working directory, then converted with nbconvert's HTMLExporter and our own
template (``utils/handout_template/``: nbconvert's ``lab`` template without any external script,
plus an A4 print stylesheet).  A handout is one self-contained file: images embedded as data:
URIs, no http(s) address in any script, stylesheet or image.

What a handout leaves out or changes:
- the ``setup`` cell, the ``exercise-help`` cells (commented hint/solution calls), the
  ``ex.progress()`` cell, and stderr output (warnings) — nothing there is for paper;
- the input code of live-chart cells (cells whose output carries the static-mode note): on
  paper it is only widget plumbing; the chart images, their captions and the small note stay.
  Other code cells keep their code, in a compact style;
- each ``exercise`` cell becomes an answer box (练习 k, the kind of answer expected, lines to
  write on); the engine's "unanswered" reminder is not shown;
- links: ``XX.ipynb`` → ``XX.html``, ``../README.md#目录`` → ``index.html``;
- solutions only with ``--with-solutions``: an appendix at the end of each chapter, from
  ``utils.exercises_for(chapter)`` (prompt, reference answer, solution text and code).

A notebook that fails stops the build (exit code 1) with a message naming the notebook, the cell
and the error; no traceback.  The build runs offline.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from .lessons import LESSONS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "handouts"
SOLUTIONS_SUBDIR = "solutions"
TEMPLATE_DIR = Path(__file__).resolve().parent / "handout_template"
TEMPLATE_NAME = TEMPLATE_DIR.name
DEFAULT_TIMEOUT = 600
MAX_BYTES = 2 * 1024 * 1024
INDEX_NAME = "index.html"
SOLUTIONS_META = '<meta name="handout-solutions" content="yes">'

SETUP_TAG, EXERCISE_TAG, HELP_TAG, NAV_TAG = "setup", "exercise", "exercise-help", "nav"

_CHECK_RE = re.compile(r"\bex\.(q\d+)\.check\(")
_BLANK_ANSWER_RE = re.compile(r"^\s*answer_(q\d+)\s*=\s*____\s*$", re.M)
_SETUP_CALL_RE = re.compile(r"\butils\.setup\(")
_CHAPTER_RE = re.compile(r"exercises_for\(\s*(\d)\s*\)")
_BOOKKEEPING_RE = re.compile(
    r"^\s*(?:ex\s*=\s*(?:utils\.)?exercises_for\(\s*\d\s*\)|ex\.progress\(\s*\))\s*;?\s*$")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_FEEDBACK_DROP_RE = re.compile(r'class="exercise-feedback (?:unanswered|solution)\b')

# what a learner writes, shown in the answer box (never the expected value itself)
_FORMS = {
    "numeric": "填一个数（可写“万”“亿”，注意单位）",
    "interval": "填一个区间：下限和上限",
    "choice": "填一个选项字母",
    "multichoice": "填所有正确选项的字母",
    "term": "填一个词语",
    "code": "写出代码（把 ____ 换成你的答案）",
}


class BuildError(Exception):
    """A handout could not be built; the message is shown to the user as is."""


@dataclass
class Handout:
    notebook: Path
    path: Path
    title: str
    seconds: float
    size: int
    images: int


# ---------------------------------------------------------------------------
# executing
# ---------------------------------------------------------------------------

def kernel_env() -> dict:
    """The kernel's environment: ours, plus static charts, minus exam mode."""
    env = dict(os.environ)
    env["STATIC_CHARTS"] = "all"        # every view of a chart: there is no control on paper
    env.pop("HIDE_SOLUTIONS", None)
    return env


def _first_line(source: str, limit: int = 80) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return "（空单元格）"


def _plain(text) -> str:
    return _ANSI_RE.sub("", str(text or "")).strip()


def _tail(log, lines: int = 5) -> str:
    try:
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""
    useful = [ln for ln in text.splitlines() if ln.strip() and "without encryption" not in ln]
    return "\n".join("    " + ln for ln in useful[-lines:])


def execute_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT):
    """Run ``path`` top to bottom in static mode in a fresh kernel; return the executed notebook.

    The file is not written.  Failures raise :class:`BuildError` naming notebook, cell and error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from .nbtools import clean_metadata

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # unreadable JSON, wrong format …
        raise BuildError(f"{path.name}：无法读取笔记本（{type(exc).__name__}: {_plain(exc)[:200]}）") from None
    clean_metadata(nb)
    current: dict = {}

    def on_cell_start(cell, cell_index):
        current["index"], current["cell"] = cell_index, cell

    def where() -> str:
        if "index" not in current:
            return "（尚未开始执行单元格）"
        return f"第 {current['index']} 个单元格（从 0 数起）：{_first_line(current['cell'].source)}"

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            allow_errors=False, on_cell_start=on_cell_start,
                            resources={"metadata": {"path": str(path.parent)}})
    with tempfile.TemporaryFile() as log:  # the kernel's own stderr (start-up chatter), shown only if it dies
        try:
            client.execute(env=kernel_env(), stderr=log)
        except CellExecutionError as exc:
            raise BuildError(f"{path.name} 执行出错，{where()}\n  {_plain(exc.ename)}: "
                             f"{_plain(exc.evalue)[:500]}") from None
        except CellTimeoutError:
            raise BuildError(f"{path.name} 执行超时（每个单元格最多 {timeout} 秒，可用 --timeout 调整），"
                             f"{where()}") from None
        except DeadKernelError:
            tail = _tail(log)
            raise BuildError(f"{path.name}：内核意外退出，{where()}" + (f"\n{tail}" if tail else "")) from None
        except Exception as exc:  # kernel could not start, …
            tail = _tail(log)
            raise BuildError(f"{path.name}：无法执行（{type(exc).__name__}: {_plain(exc)[:300]}），{where()}"
                             + (f"\n{tail}" if tail else "")) from None
    clean_metadata(nb)
    return nb


# ---------------------------------------------------------------------------
# preparing the cells
# ---------------------------------------------------------------------------

def chapter_of(path: Path, nb=None) -> int | None:
    """The lesson chapter of a notebook: by file name, else by its ``exercises_for(N)`` call."""
    for ch, (name, _) in LESSONS.items():
        if path.name == name:
            return ch
    if nb is not None:
        for cell in nb.cells:
            if cell.cell_type == "code":
                match = _CHAPTER_RE.search(cell.source)
                if match and int(match.group(1)) in LESSONS:
                    return int(match.group(1))
    return None


def _tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


def _norm(text: str) -> str:
    from .exercises import normalise_term

    return normalise_term(re.sub(r"[*_#>`|]", "", text or ""))


def _mentioned(text: str, context: str) -> bool:
    """Whether ``text`` (a prompt or an option) is already in the markdown around the exercise."""
    want = _norm(text)
    if not want:
        return True
    return want[:40] in _norm(context)


def _lists_option(key: str, text: str, context: str) -> bool:
    """Whether the markdown above already lists option ``key`` (as "A." / "A、" / "(A)" …, or its text)."""
    marker = re.compile(rf"(?:^|[\s(（*\-|])[(（]?{re.escape(key)}(?:\*\*)?[.．、:：)）\s\u3000]", re.M)
    return bool(marker.search(context)) or _mentioned(text, context)


def _is_live_chart(cell) -> bool:
    from .widgets import STATIC_NOTE_PREFIX

    return any(STATIC_NOTE_PREFIX in str(out.get("data", {}).get("text/plain", "")) for out in cell.get("outputs", []))


def _keep_output(out) -> bool:
    if out.get("output_type") == "stream" and out.get("name") == "stderr":
        return False
    html_text = out.get("data", {}).get("text/html", "")
    if isinstance(html_text, list):
        html_text = "".join(html_text)
    return not _FEEDBACK_DROP_RE.search(html_text or "")


_VIEW_HEADING_RE = re.compile(r"^\s*<p>\s*<b>(.*?)</b>\s*</p>\s*$", re.S)


def _output_html(out) -> str:
    value = out.get("data", {}).get("text/html", "")
    return "".join(value) if isinstance(value, list) else (value or "")


def _group_views(outputs: list) -> list:
    """Static mode shows each view of a dropdown as a bold heading output, then an image output.
    Join each pair into one figure so that a page break never separates a heading from its chart."""
    grouped = []
    i = 0
    while i < len(outputs):
        out = outputs[i]
        nxt = outputs[i + 1] if i + 1 < len(outputs) else None
        match = _VIEW_HEADING_RE.match(_output_html(out)) if out.get("output_type") == "display_data" else None
        if match and nxt is not None and "image/png" in nxt.get("data", {}):
            png = nxt["data"]["image/png"]
            png = "".join(png) if isinstance(png, list) else png
            alt = str(nxt["data"].get("text/plain", "")).replace("[图] ", "")
            figure = (f'<figure class="handout-view"><figcaption><b>{match.group(1)}</b></figcaption>'
                      f'<img src="data:image/png;base64,{png.strip()}" alt="{html.escape(alt)}"></figure>')
            grouped.append(nbformat.v4.new_output("display_data", data={"text/html": figure}))
            i += 2
            continue
        grouped.append(out)
        i += 1
    return grouped


def _html_cell(source: str, css_class: str = ""):
    """A markdown cell whose source is finished HTML (rendered verbatim by our template)."""
    return nbformat.v4.new_markdown_cell(source, metadata={"handout_html": True, "handout_class": css_class})


def _answer_lines(kind: str) -> str:
    n = {"code": 4, "interval": 1}.get(kind, 2)
    if kind == "interval":
        return ('<div class="ex-line"><span class="ex-label">答：下限</span><span class="ex-rule"></span>'
                '<span class="ex-label">&nbsp;上限</span><span class="ex-rule"></span></div>')
    lines = ['<div class="ex-line"><span class="ex-label">答：</span><span class="ex-rule"></span></div>']
    lines += ['<div class="ex-line"><span class="ex-rule"></span></div>'] * (n - 1)
    return "\n".join(lines)


def answer_box(name: str, problem, context: str, source: str) -> str:
    """HTML of the box that replaces one exercise cell."""
    esc = html.escape
    kind = getattr(problem, "kind", "")
    parts = [f'<div class="handout-exercise" data-exercise="{esc(name)}">',
             f'<div class="ex-head">练习 {esc(name[1:])} · 作答</div>']
    # the question is normally the markdown just above; repeat the engine's prompt only without one
    if problem is not None and not context.strip():
        parts.append(f'<div class="ex-prompt">{esc(problem.prompt)}</div>')
    options = getattr(problem, "options", None)
    if options and not all(_lists_option(key, text, context) for key, text in options.items()):
        items = "".join(f"<li>{esc(key)}. {esc(text)}</li>" for key, text in options.items())
        parts.append(f'<ol class="ex-options">{items}</ol>')
    if kind in _FORMS:
        parts.append(f'<div class="ex-form">{_FORMS[kind]}</div>')
    if kind == "code":
        scaffold = "\n".join(line for line in source.splitlines() if not _CHECK_RE.search(line)).strip()
        if scaffold:
            parts.append(f'<pre class="ex-code">{esc(scaffold)}</pre>')
    parts.append(_answer_lines(kind))
    parts.append("</div>")
    return "\n".join(parts)


def _answer_text(problem) -> str:
    from .quantities import format_cn

    kind = getattr(problem, "kind", "")
    try:
        answer = problem.answer
        if kind == "numeric":
            return format_cn(answer, getattr(problem, "unit", ""))
        if kind == "interval":
            unit = getattr(problem, "unit", "")
            return f"{format_cn(answer[0], unit)} 到 {format_cn(answer[1], unit)}"
        if kind == "choice":
            return f"{answer}. {problem.options.get(answer, '')}".strip()
        if kind in ("multichoice", "term"):
            return str(answer)
    except Exception:  # noqa: BLE001 - a reference answer that cannot be shown is simply left out
        return ""
    return ""


def solutions_appendix(exercises) -> str:
    """HTML of 附录：参考答案 (one entry per exercise)."""
    esc = html.escape
    parts = ['<h2 id="附录参考答案">附录：参考答案</h2>']
    for name, problem in exercises:
        entry = [f'<div class="sol" data-exercise="{esc(name)}">',
                 f'<div class="sol-head">练习 {esc(name[1:])}</div>',
                 f'<div class="sol-prompt">{esc(problem.prompt)}</div>']
        answer = _answer_text(problem)
        if answer:
            entry.append(f'<div class="sol-answer"><b>答案：</b>{esc(answer)}</div>')
        if problem.solution_text:
            entry.append(f'<div class="sol-text">{esc(problem.solution_text)}</div>')
        if problem.solution_code:
            entry.append(f'<pre class="sol-code">{esc(problem.solution_code)}</pre>')
        entry.append("</div>")
        parts.append("\n".join(entry))
    return "\n".join(parts)


def prepare(nb, *, exercises=None, with_solutions: bool = False):
    """The handout version of an executed notebook (a new notebook; ``nb`` is changed in place)."""
    problems = dict(exercises) if exercises is not None else {}
    cells = []
    context = ""  # markdown since the previous code cell: the exercise's question
    for cell in nb.cells:
        tags = _tags(cell)
        if cell.cell_type != "code":
            if cell.cell_type == "markdown":
                context += "\n" + cell.source
            cells.append(cell)
            continue
        source = cell.source
        if SETUP_TAG in tags or _SETUP_CALL_RE.search(source) or HELP_TAG in tags:
            continue
        names = list(dict.fromkeys(_CHECK_RE.findall(source)))
        if EXERCISE_TAG in tags or _BLANK_ANSWER_RE.search(source):
            names = names or list(dict.fromkeys(_BLANK_ANSWER_RE.findall(source)))
            boxes = [answer_box(name, problems.get(name), context, source) for name in names]
            if boxes:
                box = _html_cell("\n".join(boxes), "handout-exercises")
                question = cells[-1] if cells else None
                if (question is not None and question.cell_type == "markdown" and NAV_TAG not in _tags(question)
                        and not question.metadata.get("handout_html")
                        and ("练习" in question.source or len(question.source) <= 600)):
                    # keep the question and its answer box on one page (template wraps them in one div)
                    question.metadata["handout_group_start"] = True
                    box.metadata["handout_group_end"] = True
                cells.append(box)
            context = ""
            continue
        context = ""
        lines = source.splitlines()
        if any(_BOOKKEEPING_RE.match(line) for line in lines) and all(
                _BOOKKEEPING_RE.match(line) or not line.strip() or line.lstrip().startswith("#") for line in lines):
            continue  # ex = exercises_for(N) / ex.progress(): nothing for paper
        cell.outputs = _group_views([out for out in cell.outputs if _keep_output(out)])
        if _is_live_chart(cell):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
            cell.metadata["tags"] = sorted(tags | {"handout-chart"})
        elif sum("image/png" in out.get("data", {}) for out in cell.outputs) == 1 and len(source.splitlines()) <= 25:
            cell.metadata["tags"] = sorted(tags | {"handout-figure"})  # print its code and chart on one page
        cells.append(cell)
    if with_solutions:
        banner = _html_cell('<div class="handout-teacher">教师版：本讲义末尾附“附录：参考答案”。请勿发给学员。</div>',
                            "handout-teacher-banner")
        cells.insert(1 if cells and NAV_TAG in _tags(cells[0]) else 0, banner)
        if exercises is not None and len(exercises):
            appendix = _html_cell(solutions_appendix(exercises), "handout-solutions")
            at = len(cells) - 1 if cells and NAV_TAG in _tags(cells[-1]) else len(cells)
            cells.insert(at, appendix)
    nb.cells = cells
    return nb


# ---------------------------------------------------------------------------
# converting and checking
# ---------------------------------------------------------------------------

def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR.parent)],
                        exclude_input_prompt=True, exclude_output_prompt=True, exclude_anchor_links=True,
                        embed_images=True, language_code="zh")


_HREF_RE = re.compile(r'(\shref=)(["\'])([^"\']*)\2')


def _rewrite_href(url: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith(("#", "//")):
        return url
    path, sep, anchor = url.partition("#")
    name = path.rsplit("/", 1)[-1]
    if path in ("../README.md", "README.md"):  # the collection's contents (README.md#目录)
        return INDEX_NAME
    if name.endswith(".ipynb"):
        return name[: -len(".ipynb")] + ".html" + (sep + anchor if anchor else "")
    return url


_IMG_RE = re.compile(r"<img\b([^>]*)>")
_ATTR_RE = re.compile(r'([^\s=/]+)(?:=("[^"]*"|\'[^\']*\'|[^\s>]+))?')


def _src_first(body: str) -> str:
    """``<img src=… alt=…>``: nbconvert's final BeautifulSoup pass sorts attributes (alt first)."""
    def fix(match):
        attrs = _ATTR_RE.findall(match.group(1).rstrip("/"))
        attrs.sort(key=lambda a: a[0] != "src")
        return "<img " + " ".join(f"{k}={v}" if v else k for k, v in attrs) + ">"
    return _IMG_RE.sub(fix, body)


#: closing parts (小结, 思考与讨论, 延伸 …) are short: after the first one, no page break in print
CLOSING_PARTS = ("小结", "思考", "讨论", "延伸", "拓展", "总结", "回顾")
_H2_RE = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S)


def _mark_closing_parts(body: str) -> str:
    previous_closing = False

    def mark(match):
        nonlocal previous_closing
        text = re.sub(r"<[^>]+>", "", match.group(2)).strip()
        closing = text.startswith(CLOSING_PARTS)
        keep = closing and previous_closing
        previous_closing = closing
        if not keep:
            return match.group(0)
        attrs = match.group(1)
        if 'class="' in attrs:
            attrs = attrs.replace('class="', 'class="handout-continue ', 1)
        else:
            attrs += ' class="handout-continue"'
        return f"<h2{attrs}>{match.group(2)}</h2>"
    return _H2_RE.sub(mark, body)


def rewrite_links(body: str) -> str:
    """Chapter links → the .html handouts; the contents link (../README.md#目录) → index.html."""
    return _HREF_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{_rewrite_href(html.unescape(m.group(3)))}{m.group(2)}",
                        body)


class _Scan(HTMLParser):
    """Collects resource URLs, images and visible text of a handout."""

    RESOURCE = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
                "iframe": ("src",), "embed": ("src",), "object": ("data",), "video": ("src", "poster"),
                "audio": ("src",), "input": ("src",)}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.external: list[str] = []
        self.png_images = 0
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in self.RESOURCE.get(tag, ()):
            value = (attrs.get(attr) or "").strip()
            if re.match(r"^(?:https?:)?//", value, re.I):
                self.external.append(f"<{tag} {attr}={value[:80]}>")
        if tag == "img" and (attrs.get("src") or "").startswith("data:image/png"):
            self.png_images += 1
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def scan(body: str) -> _Scan:
    parser = _Scan()
    parser.feed(body)
    parser.close()
    return parser


def convert(nb, *, title: str, notebook_path: Path, with_solutions: bool) -> str:
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title, "path": str(notebook_path.parent)}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    body = _mark_closing_parts(_src_first(rewrite_links(body)))
    if with_solutions:
        body = body.replace("<head>", "<head>\n" + SOLUTIONS_META, 1)
    return body


def _title_of(path: Path, nb, chapter: int | None) -> str:
    if chapter is not None and path.name == LESSONS[chapter][0]:
        return LESSONS[chapter][1]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return match.group(1).strip()
    return path.stem


def build_one(path: Path, out_dir: Path, *, with_solutions: bool = False,
              timeout: int = DEFAULT_TIMEOUT) -> Handout:
    """Execute, prepare, convert, check and write one handout."""
    from .lessons import exercises_for

    start = time.perf_counter()
    nb = execute_notebook(path, timeout=timeout)
    chapter = chapter_of(path, nb)
    exercises = None
    if chapter is not None:
        try:
            exercises = exercises_for(chapter)
        except Exception as exc:  # noqa: BLE001
            if with_solutions:
                raise BuildError(f"{path.name}：无法读取第 {chapter} 章的练习（{type(exc).__name__}: "
                                 f"{_plain(exc)[:200]}），无法生成参考答案附录") from None
    title = _title_of(path, nb, chapter)
    if with_solutions:
        title = f"{title}（教师版·含参考答案）"
    nb = prepare(nb, exercises=exercises, with_solutions=with_solutions)
    body = convert(nb, title=title, notebook_path=path, with_solutions=with_solutions)

    found = scan(body)
    if found.external:
        raise BuildError(f"{path.name}：讲义里有外部地址（离线无法打开）：{'；'.join(found.external[:3])}")
    if not with_solutions and exercises is not None:
        text = "".join(found.text)
        leaked = [name for name, p in exercises if p.solution_text.strip() and p.solution_text.strip() in text]
        if leaked:
            raise BuildError(f"{path.name}：学员版讲义里出现了参考答案（{'、'.join(leaked)}）。"
                             "请检查笔记本中是否有未注释的 solution() 调用。")

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.html"
    data = body.encode("utf-8")
    target.write_bytes(data)
    return Handout(path, target, title, time.perf_counter() - start, len(data), found.png_images)


# ---------------------------------------------------------------------------
# index page
# ---------------------------------------------------------------------------

def write_index(out_dir: Path, built: list[Handout], *, with_solutions: bool) -> Path:
    """``index.html``: the four lessons in order (those present in ``out_dir``), then any others built."""
    esc = html.escape
    entries: list[tuple[str, str]] = []
    seen = set()
    for ch in sorted(LESSONS):
        name, title = LESSONS[ch]
        file = out_dir / f"{Path(name).stem}.html"
        if file.exists():
            entries.append((file.name, title))
            seen.add(file.name)
    for h in built:
        if h.path.name not in seen:
            entries.append((h.path.name, h.title))
            seen.add(h.path.name)
    items = []
    for file, title in entries:
        head = (out_dir / file).read_text(encoding="utf-8", errors="replace")[:4000]
        mark = '<span class="meta">（教师版·含参考答案）</span>' if SOLUTIONS_META in head else ""
        items.append(f'<li><a href="{esc(file)}">{esc(title)}</a> {mark}</li>')
    css = (TEMPLATE_DIR / "handout.css").read_text(encoding="utf-8")
    heading = "讲义目录（教师版）" if with_solutions else "讲义目录"
    page = f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{heading}</title>
<style type="text/css">
{css}
</style>
</head>
<body class="handout">
<main class="handout-index">
<h1>{heading}</h1>
<p>四章讲义，可离线打开、直接打印（A4）。每章的交互图在讲义中是静态图；要动手操作，请在 JupyterLab 中打开对应的笔记本。</p>
<ol>
{chr(10).join(items)}
</ol>
<p class="handout-footer">由 <code>python -m utils.handouts</code> 生成。</p>
</main>
</body>
</html>
"""
    target = out_dir / INDEX_NAME
    target.write_text(page, encoding="utf-8")
    return target


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def default_notebooks() -> list[Path]:
    return [NOTEBOOK_DIR / LESSONS[ch][0] for ch in sorted(LESSONS)]


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MB"


def build(notebooks: list[Path], out_dir: Path, *, with_solutions: bool = False, timeout: int = DEFAULT_TIMEOUT,
          echo=print) -> list[Handout]:
    """Build one handout per notebook plus ``index.html``; stop at the first failure (BuildError)."""
    paths = [Path(p).resolve() for p in notebooks]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise BuildError("找不到笔记本：" + "、".join(str(p) for p in missing))
    stems = [p.stem for p in paths]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise BuildError("同名的笔记本会写到同一个讲义文件：" + "、".join(duplicates))
    built = []
    for i, path in enumerate(paths, 1):
        echo(f"[{i}/{len(paths)}] {path.name} … ", end="", flush=True)
        try:
            handout = build_one(path, out_dir, with_solutions=with_solutions, timeout=timeout)
        except BuildError:
            echo("失败", flush=True)
            raise
        echo(f"{handout.seconds:.1f} s（{_size(handout.size)}，{handout.images} 张图）", flush=True)
        if handout.size > MAX_BYTES:
            echo(f"  警告：{handout.path.name} 大于 2 MB（{_size(handout.size)}），请减少或缩小图片。",
                 file=sys.stderr, flush=True)
        built.append(handout)
    write_index(out_dir, built, with_solutions=with_solutions)
    return built


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m utils.handouts",
        description="执行四章笔记本（静态图模式），生成可离线打开、可打印的 HTML 讲义和 index.html。"
                    " Build printable, offline HTML handouts of the lessons.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="例 / examples:\n"
               "  python -m utils.handouts                     # 学员版 → handouts/\n"
               "  python -m utils.handouts --with-solutions    # 教师版（含参考答案）→ handouts/solutions/\n"
               "  python -m utils.handouts --notebooks notebooks/01_organisation.ipynb --out /tmp/h\n\n"
               "Exit code 1 when a notebook fails (the message names notebook, cell and error).")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=f"output folder (default: {DEFAULT_OUT.relative_to(ROOT)}/ at the repo root; with "
                             f"--with-solutions: {DEFAULT_OUT.relative_to(ROOT)}/{SOLUTIONS_SUBDIR}/, so teacher "
                             "copies never overwrite the learners' copies)")
    parser.add_argument("--with-solutions", action="store_true",
                        help="teacher's copy: add an appendix 附录：参考答案 to each chapter "
                             "(without this flag no solution appears anywhere)")
    parser.add_argument("--notebooks", nargs="+", type=Path, metavar="PATH",
                        help="notebooks to build, in this order (default: the four lessons in notebooks/)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"longest time one cell may run before the build stops (default: {DEFAULT_TIMEOUT})")
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    out_dir = args.out if args.out is not None else (
        DEFAULT_OUT / SOLUTIONS_SUBDIR if args.with_solutions else DEFAULT_OUT)
    notebooks = args.notebooks or default_notebooks()

    def echo(*items, file=None, **kw):
        print(*items, file=file or sys.stdout, **kw)

    try:
        built = build(notebooks, out_dir, with_solutions=args.with_solutions, timeout=args.timeout, echo=echo)
    except BuildError as exc:
        print(f"讲义生成中止 / build stopped: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\n已中断 / interrupted", file=sys.stderr)
        return 130
    print("讲义 / handouts:")
    for handout in built:
        print(f"  {handout.path}")
    print(f"  {out_dir.resolve() / INDEX_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
