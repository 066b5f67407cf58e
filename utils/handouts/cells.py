"""Preparing an executed notebook for paper: which cells and outputs print, and how.

Everything here is decided from the marks of :mod:`utils.marks` — cell tags and the ``utils``
output metadata that the producers write — never from the rendered text of an output.

Cells (learners' edition; the teacher's edition differs where noted):

==================  =======================================================================
tag                 on paper
==================  =======================================================================
``setup``           left out
``exercise-help``   left out (the commented ``hint()`` / ``solution()`` lines)
``screen-only``     left out; its paper wording (``metadata.utils.print``, :func:`utils.marks.paper_text`)
                    prints in its place (screen edition: the cell itself, never the paper wording)
``after-attempt``   left out with its outputs (teacher's edition: printed)
``author``          the code is not printed; its outputs (charts, tables) are
``exercise``        an answer box: 练习 N, the problem's own paper form
                    (``problem.paper_html()``, else one fallback line), the placeholder
                    line(s) of the cell (:func:`scaffold`: commented-out code to complete is
                    printed uncommented, and a comment about removing ``#`` is left out —
                    there is nothing to uncomment on paper), lines to write on
``exercise-prompt`` printed; names its problem in ``metadata.utils.exercise``
``nav``             printed on screen, hidden in print by the stylesheet
==================  =======================================================================

Outputs: stderr streams and the roles ``feedback``, ``hint``, ``solution`` and ``progress`` are
never printed (a cell that showed nothing else is left out with its code); ``static-view`` images become captioned figures (caption = the mark's ``label``)
and their cell's code is not printed (it is widget plumbing); a ``static-note`` is replaced by a
paper wording; every image gets its text alternative from the mark's ``alt``, falling back to its
``title`` / ``label`` and, failing those, a generic one — each fallback is counted in
:attr:`Prepared.alt_fallbacks`.  Unmarked outputs print as they are.
"""
from __future__ import annotations

import ast
import html
from dataclasses import dataclass, field

import nbformat

from .. import marks

#: roles of outputs that are never printed in any edition (answers, reminders, bookkeeping)
DROPPED_ROLES = (marks.FEEDBACK, marks.HINT, marks.SOLUTION, marks.PROGRESS)
#: roles whose presence means the cell's code is chart plumbing, not something to read
PLUMBING_ROLES = (marks.STATIC_VIEW, marks.STATIC_NOTE)

STATIC_NOTE_PAPER = "（印刷版：交互图的各个视图分别印在上面；在 JupyterLab 中运行笔记本即可用控件切换。）"
#: screen edition: a chart with too many views to keep in the page is shown as static views
STATIC_NOTE_SCREEN = "（屏幕版：这张图的视图太多，没有全部存进页面，这里是当前视图；在 JupyterLab 中运行笔记本即可用控件探索。）"
#: screen edition: the banner above the first cell
SCREEN_BANNER = ("屏幕版讲义：图表上的下拉菜单和按钮可以直接切换（也可以只用键盘：Tab 移到控件，方向键换值），不需要 Jupyter，也不联网。"
                 "练习的反馈、提示和参考解答在笔记本里：请在 JupyterLab 中打开对应的笔记本完成练习。")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PAPER_FALLBACK = "在下面写出你的答案"
GENERIC_ALT = "图表"
ANSWER_LINES = 2


@dataclass
class Prepared:
    """The prepared notebook and what the preparation had to guess."""

    nb: object
    boxes: list = field(default_factory=list)           # exercise names, in order
    paper_fallbacks: list = field(default_factory=list)  # exercises without problem.paper_html()
    alt_fallbacks: list = field(default_factory=list)    # images without an "alt" mark (description)
    images: int = 0


def html_cell(source: str, css_class: str = ""):
    """A markdown cell whose source is finished HTML (rendered verbatim by our template)."""
    return nbformat.v4.new_markdown_cell(source, metadata={"handout_html": True, "handout_class": css_class})


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


# ---------------------------------------------------------------------------
# images
# ---------------------------------------------------------------------------

def image_alt(mark: dict) -> tuple[str, bool]:
    """(text alternative, whether it is a fallback) from an output's mark."""
    alt = str(mark.get("alt") or "").strip()
    if alt:
        return alt, False
    title = str(mark.get("title") or "").strip()
    label = str(mark.get("label") or "").strip()
    guess = "｜".join(part for part in (title, label) if part)
    return (f"{GENERIC_ALT}：{guess}" if guess else GENERIC_ALT), True


def figure_html(png: str, alt: str, caption: str = "", css_class: str = "handout-figure") -> str:
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="{css_class}">{cap}<img src="data:image/png;base64,{png.strip()}" '
            f'alt="{html.escape(alt, quote=True)}"></figure>')


def _html_output(markup: str) -> dict:
    return nbformat.v4.new_output("display_data", data={"text/html": markup})


def paper_outputs(outputs: list, prepared: Prepared, screen: bool = False) -> tuple[list, bool, bool]:
    """The outputs of one code cell as printed, whether the cell is chart plumbing, and whether it
    only showed answers or bookkeeping (feedback, hints, solutions, progress).

    ``screen`` (screen edition): a widget view (a live chart) is kept as it is and makes its cell
    chart plumbing; a static note gets the screen wording."""
    kept = []
    plumbing = False
    answers_only = any(marks.role_of(out) in DROPPED_ROLES for out in outputs)
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            continue
        role = marks.role_of(out)
        if role in DROPPED_ROLES:
            continue
        answers_only = False
        if role in PLUMBING_ROLES:
            plumbing = True
        if role == marks.STATIC_NOTE:
            note = STATIC_NOTE_SCREEN if screen else STATIC_NOTE_PAPER
            kept.append(_html_output(f'<p class="handout-note">{html.escape(note)}</p>'))
            continue
        data = out.get("data") or {}
        if screen and WIDGET_VIEW in data:
            plumbing = True                       # a live chart: its code is widget plumbing
            kept.append(out)
            continue
        if role == marks.STATIC_VIEW and "image/png" not in data and marks.mark_of(out).get("part") == "heading":
            continue   # a view's heading: its image's figure carries the label as caption
        if "image/png" in data:
            mark = marks.mark_of(out)
            alt, guessed = image_alt(mark)
            if guessed:
                prepared.alt_fallbacks.append(alt)
            prepared.images += 1
            caption = str(mark.get("label") or "") if role == marks.STATIC_VIEW else ""
            css = "handout-figure handout-view" if role == marks.STATIC_VIEW else "handout-figure"
            kept.append(_html_output(figure_html(_text(data["image/png"]), alt, caption, css)))
            continue
        kept.append(out)
    return kept, plumbing, answers_only


# ---------------------------------------------------------------------------
# answer boxes
# ---------------------------------------------------------------------------

def _comment_body(line: str) -> str | None:
    """The text of a full-line comment (``# x = 1`` → ``x = 1``, indentation kept), or None."""
    stripped = line.lstrip()
    if not stripped.startswith("#"):
        return None
    body = stripped[1:]
    return line[: len(line) - len(stripped)] + (body[1:] if body.startswith(" ") else body)


def _is_code(lines: list[str]) -> bool:
    """Whether ``lines`` (comment bodies) are Python statements — none of them prose that happens
    to parse (a lone word or a constant: ``去掉下面几行行首的 #…`` is the name 去掉下面几行行首的)."""
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent("\n".join(lines)))
    except (SyntaxError, ValueError):
        return False
    return bool(tree.body) and not any(
        isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Constant)) for node in tree.body)


def _paper_comments(bodies: list[str], originals: list[str]) -> list[str]:
    """One run of full-line comments on paper: the longest tail that is commented-out code is
    printed uncommented; the prose before it stays a comment, except a line that tells the learner
    to remove a ``#`` (an on-screen step: on paper nothing is commented out)."""
    start = next((k for k in range(len(bodies)) if _is_code(bodies[k:])), len(bodies))
    prose = [line for line, body in zip(originals[:start], bodies[:start]) if "#" not in body]
    return prose + bodies[start:]


def scaffold(source: str) -> str:
    """The learner's lines of an exercise cell as printed (the placeholder line(s)), without the
    check call; commented-out code to complete is printed uncommented (see :func:`_paper_comments`)."""
    lines = [line for line in source.splitlines() if ".check(" not in line]
    out, run = [], []   # run: (original line, comment body) of consecutive full-line comments

    def flush():
        if run:
            out.extend(_paper_comments([body for _, body in run], [line for line, _ in run]))
            run.clear()

    for line in lines:
        body = _comment_body(line)
        if body is None:
            flush()
            out.append(line)
        else:
            run.append((line, body))
    flush()
    return "\n".join(out).strip()


def _rule(label: str = "") -> str:
    head = f'<span class="ex-label">{html.escape(label)}</span>' if label else ""
    return f'<div class="ex-line">{head}<span class="ex-rule"></span></div>'


def fallback_paper(problem) -> str:
    """The answer area when the problem kind has no paper form of its own: one line, then rules."""
    form = ""
    try:
        form = str(getattr(problem, "expected_form", "") or "") if problem is not None else ""
    except Exception:  # noqa: BLE001 - a form that cannot be described is left out
        form = ""
    line = PAPER_FALLBACK + (f"（{form}）" if form else "") + "。"
    rules = [_rule("答：")] + [_rule()] * (ANSWER_LINES - 1)
    return f'<div class="ex-form">{html.escape(line)}</div>\n' + "\n".join(rules)


def paper_form(problem) -> tuple[str, bool]:
    """(HTML of the answer area, whether the fallback was used)."""
    make = getattr(problem, "paper_html", None)
    if callable(make):
        try:
            made = make()
        except Exception:  # noqa: BLE001 - a broken paper form must not stop the build
            made = None
        if isinstance(made, str) and made.strip():
            return made, False
    return fallback_paper(problem), True


def answer_box(name: str, problem, source: str, prepared: Prepared) -> tuple[str, bool]:
    """(HTML of the box that replaces one exercise cell, whether the problem's own paper form —
    which states the question itself — was used)."""
    esc = html.escape
    number = name[1:] if name[:1] == "q" and name[1:].isdigit() else name
    form, fallback = paper_form(problem)
    lines = scaffold(source)
    label = '<div class="ex-code-label">在这段代码的 ____ 处填写：</div>\n' if "\n" in lines else ""
    code = f'{label}<pre class="ex-code">{esc(lines)}</pre>'
    parts = [f'<div class="handout-exercise" data-exercise="{esc(name)}">']
    if fallback:
        prepared.paper_fallbacks.append(name)
        parts.append(f'<div class="ex-head">练习 {esc(number)} · 作答</div>')
        if lines:
            parts.append(code)
        parts.append(form)
    else:   # the kind's own box (question, options, how to answer, lines), then the placeholder line(s)
        parts.append(form)
        if lines:
            parts.append(code)
    parts.append("</div>")
    return "\n".join(parts), not fallback


# ---------------------------------------------------------------------------
# teacher's appendix
# ---------------------------------------------------------------------------

def _key(problem):
    """The problem's key (the engine's ``key_of``: never an attribute of the problem); the object
    itself when it is not an engine problem (a stand-in that carries answer/solution_text)."""
    from ..exercises import key_of

    return key_of(problem) or problem


def answer_text(problem) -> str:
    """A reference answer as text, by the type of the value (never by the problem's kind)."""
    from ..quantities import format_cn

    try:
        answer = _key(problem).answer
    except Exception:  # noqa: BLE001 - an answer that cannot be computed is left out
        return ""
    unit = str(getattr(problem, "unit", "") or "")
    options = getattr(problem, "options", None) or {}
    if isinstance(answer, bool):
        return str(answer)
    if isinstance(answer, (int, float)):
        return format_cn(answer, unit)
    if isinstance(answer, tuple) and len(answer) == 2 and all(isinstance(v, (int, float)) for v in answer):
        return f"{format_cn(answer[0], unit)} 到 {format_cn(answer[1], unit)}"
    if isinstance(answer, str):
        if answer in options:
            return f"{answer}. {options[answer]}"
        return answer
    return ""


def solution_entry(name: str, problem) -> str:
    make = getattr(problem, "paper_solution_html", None)
    if callable(make):
        try:
            made = make()
        except Exception:  # noqa: BLE001
            made = None
        if isinstance(made, str) and made.strip():
            return f'<div class="sol" data-exercise="{html.escape(name)}">{made}</div>'
    esc = html.escape
    number = name[1:] if name[:1] == "q" else name
    entry = [f'<div class="sol" data-exercise="{esc(name)}">',
             f'<div class="sol-head">练习 {esc(number)}</div>',
             f'<div class="sol-prompt">{esc(str(getattr(problem, "prompt", "")))}</div>']
    answer = answer_text(problem)
    if answer:
        entry.append(f'<div class="sol-answer"><b>答案：</b>{esc(answer)}</div>')
    text = str(getattr(_key(problem), "solution_text", "") or "")
    code = str(getattr(_key(problem), "solution_code", "") or "")
    if text:
        entry.append(f'<div class="sol-text">{esc(text)}</div>')
    if code:
        entry.append(f'<pre class="sol-code">{esc(code)}</pre>')
    entry.append("</div>")
    return "\n".join(entry)


def solutions_appendix(problems: dict) -> str:
    """HTML of 附录：参考答案 (one entry per exercise)."""
    parts = ['<h2 id="solutions">附录：参考答案</h2>']
    parts += [solution_entry(name, problem) for name, problem in problems.items()]
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# the whole notebook
# ---------------------------------------------------------------------------

def _exercise_name(cell) -> str | None:
    mark = (cell.get("metadata") or {}).get(marks.KEY) or {}
    name = mark.get("exercise") if isinstance(mark, dict) else None
    return str(name) if name else None


def prepare(nb, *, problems=None, with_solutions: bool = False, screen: bool = False) -> Prepared:
    """The paper version of an executed notebook (``nb`` is changed in place and returned in
    :attr:`Prepared.nb`).  ``problems``: {name: problem} of the chapter, or None.

    ``screen`` (the screen edition): ``screen-only`` cells are kept (without their paper wording),
    live charts stay widgets, and a banner says what works in the page."""
    problems = dict(problems) if problems is not None else {}
    ordinal = list(problems)
    prepared = Prepared(nb)
    cells = []
    prompt_name = None  # the problem named by the last exercise-prompt cell, until its box is made
    prompt_cell = None  # that cell (left out when the problem's own paper form states the question)
    for cell in nb.cells:
        tags = marks.tags_of(cell)
        if tags & {marks.SETUP, marks.EXERCISE_HELP}:
            continue
        if marks.SCREEN_ONLY in tags and not screen:
            paper = marks.paper_text(cell)   # the paper wording JupyterLab never shows
            if paper is not None:
                cells.append(nbformat.v4.new_markdown_cell(paper))
            continue
        if marks.AFTER_ATTEMPT in tags and not with_solutions:
            continue
        if cell.cell_type != "code":
            if marks.EXERCISE_PROMPT in tags:
                prompt_name = _exercise_name(cell) or prompt_name
                prompt_cell = cell
                cell.metadata["handout_prompt"] = True
            cells.append(cell)
            continue
        if marks.EXERCISE in tags:
            name = _exercise_name(cell) or prompt_name
            if name is None:  # unmarked: the k-th exercise cell is the k-th problem
                k = len(prepared.boxes)
                name = ordinal[k] if k < len(ordinal) else f"q{k + 1}"
            box, states_question = answer_box(name, problems.get(name), cell.source, prepared)
            if states_question and prompt_cell is not None and _exercise_name(prompt_cell) in (name, None) \
                    and cells and cells[-1] is prompt_cell:
                cells.pop()   # the same generated prompt would print twice
            prompt_name, prompt_cell = None, None
            prepared.boxes.append(name)
            cells.append(html_cell(box, "handout-exercises"))
            continue
        outputs, plumbing, answers_only = paper_outputs(cell.get("outputs", []), prepared, screen)
        if answers_only:
            continue   # e.g. ex.progress() or an uncommented ex.q1.solution(): nothing for paper
        cell.outputs = outputs
        hide_code = plumbing or marks.AUTHOR in tags
        if hide_code:
            if not outputs:
                continue
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        elif not cell.source.strip() and not outputs:
            continue
        cells.append(cell)
    if screen:
        banner = html_cell(f'<div class="handout-screen-banner">{html.escape(SCREEN_BANNER)}</div>',
                           "handout-screen-note")
        first_nav = bool(cells) and marks.NAV in marks.tags_of(cells[0])
        cells.insert(1 if first_nav else 0, banner)
    if with_solutions:
        banner = html_cell('<div class="handout-teacher">教师版：本讲义末尾附“附录：参考答案”。请勿发给学员。</div>',
                           "handout-teacher-banner")
        first_nav = bool(cells) and marks.NAV in marks.tags_of(cells[0])
        cells.insert(1 if first_nav else 0, banner)
        if problems:
            appendix = html_cell(solutions_appendix(problems), "handout-solutions")
            last_nav = bool(cells) and marks.NAV in marks.tags_of(cells[-1])
            cells.insert(len(cells) - 1 if last_nav else len(cells), appendix)
    nb.cells = cells
    return prepared
