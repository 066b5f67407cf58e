"""Real-browser tests: the lessons in JupyterLab (live widgets, exercises) and the offline handouts.

Headless Debian Chromium (``/usr/bin/chromium``) driven by playwright; ``playwright install``
cannot download a browser here, so the system one is used.  Without Chromium these tests skip
with the install command, except in CI (``CI=true``), where a missing browser is a failure.

- JupyterLab runs on 127.0.0.1 (free port, random token) from a throwaway copy of the repository's
  ``notebooks/``, ``utils/``, ``data/``, ``docs/``, README and ``.jupyter/`` with the arguments of
  README's first command (repository root as the server root, the project's settings folder, so the
  UI is in Simplified Chinese), ``STATIC_CHARTS=0`` (live widgets), throwaway user settings,
  runtime, workspace and IPython folders; the committed notebooks are never touched.
- First run: README and the instructor guide open from JupyterLab, the notebook's 目录 and chapter
  links open their targets, and the menus are Chinese (文件 编辑 查看 运行 …).  Kernels are deleted
  through the REST API and the server is stopped by its PID afterwards.
- Per chapter: Run All, no error output, ≥ 3 live charts with images, one control changed →
  the chart image changes (the redraw time is printed), one exercise answered right and one
  wrong → the two feedback messages.  Screenshots go to ``artifacts/browser/``.
- Handouts are built once into a temporary folder and each is opened from ``file://`` with
  every other request blocked: no request may be attempted, and every image must load.
"""
from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from utils.exercises import key_of  # noqa: E402
from utils.lessons import LESSONS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"
CHAPTERS = sorted(LESSONS)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 # no name resolves except the local server's address: nothing can leave the machine
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
INSTALL_HINT = "install with: apt-get install chromium fonts-noto-cjk"
VIEWPORT = {"width": 1400, "height": 1000}
RUN_ALL_TIMEOUT_S = 180        # one notebook, Run All → every cell done
REDRAW_TIMEOUT_S = 10          # control change → new chart image
FEEDBACK_TIMEOUT_S = 30        # Shift+Enter on an exercise → feedback shown
SERVER_START_TIMEOUT_S = 60

# JupyterLab user settings for the throwaway settings folder: render every cell (so cells can be
# found by position), never fetch news or update checks (no traffic leaves the machine), no
# autosave into the working copy.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# ---------------------------------------------------------------------------
# browser
# ---------------------------------------------------------------------------

def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


# the `chromium_exe` and `browser` fixtures live in tests/conftest.py: one Chromium per test session,
# shared with tests/test_screen_edition.py (two sync_playwright instances cannot run in one process)


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def _screenshot(page, name: str) -> None:
    """Keep a picture of the page when a browser test fails; never hides the original failure."""
    try:
        page.screenshot(path=str(_artifact(name)))
    except Exception:  # noqa: BLE001 - keep the original failure
        pass


def _record_timing(key: str, values: dict) -> None:
    """Keep the measured times in artifacts/browser/timings.json (one entry per notebook)."""
    path = _artifact("timings.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[key] = values
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


# ---------------------------------------------------------------------------
# a throwaway working tree and a JupyterLab server on it
# ---------------------------------------------------------------------------

def make_worktree(dest: Path, *, docs: bool = False) -> Path:
    """Copy notebooks/, utils/ and data/ (the cwd layout the lessons expect) into ``dest``;
    with ``docs``, also README.md, docs/ and .jupyter/ (what README's first command serves)."""
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    for name in ("notebooks", "utils", "data") + ((".jupyter", "docs") if docs else ()):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    if docs:
        shutil.copy2(ROOT / "README.md", dest / "README.md")
    return dest


def readme_lab_args() -> list[str]:
    """The arguments of ``jupyter lab`` in README's first command (the way learners start it)."""
    import shlex

    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if "jupyter lab " in line and "pip install -r requirements.txt" in line:
            args = shlex.split(line.split("jupyter lab ", 1)[1])
            return [a for a in args if a.startswith("--")]
    pytest.fail("README.md has no first command with `jupyter lab`")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """``jupyter lab`` on 127.0.0.1 with a token, started and stopped by PID."""

    def __init__(self, root: Path, home: Path):
        self.root = root
        self.home = home
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict:
        env = dict(os.environ)
        settings = self.home / "lab-settings"
        for rel, content in LAB_SETTINGS.items():
            path = settings / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(content), encoding="utf-8")
        for key, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython"),
                         ("MPLCONFIGDIR", "mpl")):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
            env[key] = str(self.home / sub)
        # JUPYTER_DATA_DIR stays: the ipywidgets lab extension and the kernel spec live under
        # sys.prefix/share/jupyter, which is on the data path whatever the user data dir is.
        env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
        env["STATIC_CHARTS"] = "0"          # live widgets, as a learner gets them
        env.pop("HIDE_SOLUTIONS", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["COURSE_ATTEMPTS"] = str(self.home / "attempts.jsonl")   # this server's learner, not the session's log
        return env

    def start(self) -> None:
        # README's own arguments (root_dir=., the project's settings folder), run from the copy's root
        cmd = [sys.executable, "-m", "jupyter", "lab", *readme_lab_args(), "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--ServerApp.token={self.token}", "--allow-root"]
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        # ready = the server prints the address it serves (a condition, not a pause): a thread copies
        # its output to the log and signals that line; the API must then answer
        ready = threading.Event()
        address = f"http://127.0.0.1:{self.port}/"

        def copy_output(stream, log_path):
            with open(log_path, "wb") as log:
                for raw in iter(stream.readline, b""):
                    log.write(raw)
                    log.flush()
                    if address.encode() in raw:
                        ready.set()
            ready.set()                      # the server exited: stop waiting, poll() below says so

        threading.Thread(target=copy_output, args=(self.proc.stdout, self.log_path), daemon=True).start()
        if not ready.wait(SERVER_START_TIMEOUT_S) or self.proc.poll() is not None:
            code = self.proc.poll()
            self.stop()
            raise RuntimeError(f"jupyter lab {'exited with ' + str(code) if code is not None else 'did not start'} "
                               f"within {SERVER_START_TIMEOUT_S} s:\n{self.log_tail()}")
        # the address is printed just before the event loop binds it: ask the API until it answers
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"jupyter lab did not answer:\n{self.log_tail()}") from None
                threading.Event().wait(0.05)  # a poll of the API's state, not a pause that assumes a duration

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str, timeout: float = 10):
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def url(self, rel: str) -> str:
        return f"{self.base}/{rel}?token={self.token}"

    def delete_kernels(self) -> None:
        try:
            for session in self.api("GET", "/api/sessions") or []:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels") or []:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, OSError) as exc:  # the server is going away anyway
            print(f"[browser] could not delete kernels: {exc}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.delete_kernels()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)   # its own session: the server and its kernels
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def lab(chromium_exe, tmp_path_factory):
    home = tmp_path_factory.mktemp("jupyterlab")
    root = make_worktree(home / "work", docs=True)
    server = LabServer(root, home)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_the_teacher_answer_file_is_not_served(lab):
    """``python -m utils.classroom guide`` writes into a hidden folder: JupyterLab started as README says
    neither lists it nor opens it (contents API and the raw /files/ route both answer 404)."""
    from utils.classroom import guide

    rel = guide.DEFAULT_OUT.relative_to(ROOT).as_posix()
    folder = rel.split("/")[0]
    (lab.root / rel).parent.mkdir(parents=True, exist_ok=True)
    (lab.root / rel).write_text("# 教师答案\n", encoding="utf-8")
    listing = {item["name"] for item in lab.api("GET", "/api/contents/?content=1")["content"]}
    assert "README.md" in listing and "docs" in listing and folder not in listing
    for path in (f"/api/contents/{rel}", f"/api/contents/{folder}", f"/files/{rel}"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            lab.api("GET", path)
        assert refused.value.code == 404, path


# ---------------------------------------------------------------------------
# helpers in the page
# ---------------------------------------------------------------------------

def _literal(value):
    """``repr(value)`` when it is a Python literal that evaluates back to ``value``, else None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes, tuple, list)):
        try:
            value = value.item()  # numpy scalar → Python number
        except (TypeError, ValueError):
            return None
    text = repr(value)
    try:
        back = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return text if back == value else None


_CHECK_RE = re.compile(r"\bex\.(q\d+)\.check\(")


def pick_exercise(nb, chapter: int):
    """The first exercise cell whose reference answer and a wrong answer (a plausible wrong example or a
    declared mistake's example) are plain literals.

    (Code exercises — the learner builds a DataFrame — have no literal answer to type.)
    Returns (cell index, name, correct source, wrong source).
    """
    from utils import exercises_for

    exercises = dict(exercises_for(chapter))
    skipped = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        match = _CHECK_RE.search(cell.source)
        if not match or ("exercise" not in tags and "answer_" not in cell.source):
            continue
        name = match.group(1)
        problem = exercises.get(name)
        if problem is None or problem.kind in ("code", "chart", "discussion"):
            skipped.append(name)
            continue
        wrongs = [_literal(w) for w in key_of(problem).wrong_examples]
        wrongs += [_literal(example) for _, _, example in key_of(problem).mistake_examples()]
        right, wrong = _literal(key_of(problem).answer), next((w for w in wrongs if w is not None), None)
        if right is None or wrong is None:
            skipped.append(name)
            continue
        make = lambda answer: f"answer_{name} = {answer}\nex.{name}.check(answer_{name})"  # noqa: E731
        return index, name, make(right), make(wrong)
    pytest.fail(f"chapter {chapter}: no exercise cell with a literal answer (skipped: {skipped})")


def dismiss_toasts(page) -> None:
    buttons = page.locator(".jp-toast-button", has_text=re.compile(r"^\s*(No|否)\s*$"))
    for i in range(buttons.count()):
        try:
            buttons.nth(i).click(timeout=1000)
        except Exception:  # noqa: BLE001 - a toast may vanish by itself
            pass


def wait_kernel_idle(page, timeout_s: float) -> None:
    """Wait until the notebook's kernel is connected and idle (status bar: "… | Idle")."""
    page.wait_for_function(
        """() => {
            const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
            const bar = document.querySelector('#jp-main-statusbar');
            return el && el.getAttribute('data-status') === 'idle' && bar && /\\|\\s*(Idle|空闲)/.test(bar.innerText);
        }""", timeout=timeout_s * 1000)


def open_notebook(lab, browser, workspace: str, rel: str, viewport: dict):
    """A new browser context showing ``rel`` in JupyterLab, its first cell rendered, toasts dismissed."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(60_000)   # every wait is on a condition; under load they take longer
    page = context.new_page()
    page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{rel}"), wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    dismiss_toasts(page)
    return context, page


CLASSROOM_VIEWPORT = {"width": 1024, "height": 768}
MIN_CSS_PX = 9.0


def test_chart_text_is_legible_at_classroom_size(lab, browser, capsys):
    """At 1024×768 with the file browser open, JupyterLab scales the chart PNGs down to the notebook's
    width.  The smallest chart text (captions, ticks, value labels: ``charts.MIN_TEXT_PT`` at the
    charts' 100 dpi) must still be ≥ 9 CSS px: measured from each rendered image's displayed and
    natural width in the real browser."""
    from utils import charts

    first = LESSONS[CHAPTERS[0]][0]
    context, page = open_notebook(lab, browser, "classroom", f"notebooks/{first}", CLASSROOM_VIEWPORT)
    try:
        left = page.locator("#jp-left-stack")
        if not left.is_visible():
            page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.click()
        page.wait_for_function("() => { const el = document.querySelector('#jp-left-stack');"
                               " return el && el.getBoundingClientRect().width > 150; }", timeout=30_000)
        sidebar = page.evaluate("() => document.querySelector('#jp-left-stack').getBoundingClientRect().width")
        images = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img")
        images.first.wait_for(timeout=60_000)
        page.wait_for_function("() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
                               ".jp-OutputArea-output img')].every(i => i.complete && i.naturalWidth > 0)",
                               timeout=60_000)
        sizes = page.evaluate("""() => [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')]
                .map(i => [i.getBoundingClientRect().width, i.naturalWidth])""")
        assert sizes, "no chart image rendered"
        scales = [shown / natural for shown, natural in sizes if natural]
        smallest = min(scales) * charts.MIN_TEXT_PT * 100 / 72
        page.screenshot(path=str(_artifact("classroom_1024x768.png")))
        with capsys.disabled():
            print(f"\n[browser] 1024×768, sidebar {sidebar:.0f} px: {len(scales)} charts shown at "
                  f"{min(scales):.0%}–{max(scales):.0%} of their size; smallest chart text {smallest:.1f} CSS px")
        assert smallest >= MIN_CSS_PX, f"chart text {smallest:.1f} CSS px < {MIN_CSS_PX} at 1024×768"
    finally:
        context.close()
        lab.delete_kernels()


def wait_session(page, lab, rel_path: str, timeout_s: float) -> None:
    """Wait until the server has a session with a started, idle kernel for this notebook (the server's
    API state, asked from the page; no fixed pauses)."""
    try:
        page.wait_for_function(
            """async ([token, path]) => {
                const r = await fetch('/api/sessions', {headers: {Authorization: 'token ' + token}});
                if (!r.ok) return false;
                return (await r.json()).some(s => s.path === path && s.kernel && s.kernel.execution_state === 'idle');
            }""", arg=[lab.token, rel_path], timeout=timeout_s * 1000, polling=250)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: say what the server has instead
        pytest.fail(f"no idle kernel for {rel_path} after {timeout_s} s: {lab.api('GET', '/api/sessions')}")


# Done when every code cell has a number in its prompt (none shows [*] or [ ]), or as soon as an
# error output appears (Run All stops there and leaves the rest unexecuted).
_ALL_EXECUTED_JS = """(n) => {
    for (const el of document.querySelectorAll(
            ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")) {
        if (/Traceback|Error/.test(el.innerText)) return 'error';
    }
    if (document.querySelector('.jp-Dialog')) return 'dialog';
    const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
        .map(p => p.textContent.trim());
    if (prompts.length < n) return false;
    return prompts.every(t => /^\\[\\d+\\]:?$/.test(t)) ? 'done' : false;
}"""


def run_all(page, n_code_cells: int) -> float:
    t0 = time.perf_counter()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^运行")).click()   # the Chinese UI
    page.locator("li[data-command='runmenu:run-all']").click()
    state = page.wait_for_function(_ALL_EXECUTED_JS, arg=n_code_cells, timeout=RUN_ALL_TIMEOUT_S * 1000).json_value()
    if state == "dialog":
        text = page.locator(".jp-Dialog").first.inner_text()
        pytest.fail(f"a dialog interrupted Run All: {text[:300]!r}")
    if state == "done":
        wait_kernel_idle(page, 60)
    return time.perf_counter() - t0


def error_outputs(page) -> list[str]:
    return page.evaluate(
        """() => {
            const bad = [];
            for (const el of document.querySelectorAll(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")) {
                const t = el.innerText;
                if (/Traceback|Error|Warning/.test(t)) bad.push('stderr: ' + t.slice(0, 400));
            }
            for (const el of document.querySelectorAll('.jp-OutputArea-output .jp-RenderedText')) {
                const t = el.innerText;
                if (/Traceback|Error/.test(t)) bad.push('text: ' + t.slice(0, 400));
            }
            return bad;
        }""")


_CHART_IMAGES_JS = """(n) => {
    const charts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart')];
    const ok = charts.filter(c => {
        const img = c.querySelector('img');
        return img && /^(blob|data):/.test(img.getAttribute('src') || '') && img.complete && img.naturalWidth > 0;
    });
    return ok.length >= n;
}"""


def first_chart_src(page) -> str:
    return page.evaluate("() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart img').getAttribute('src')")


def change_first_control(page) -> str:
    """Change one control of the first live chart as a learner would; return what was done."""
    chart = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart").first
    chart.scroll_into_view_if_needed()
    number = chart.locator("input[type=number]")
    select = chart.locator("select:not([multiple])")
    if number.count():
        field = number.first
        now, high = field.input_value(), field.get_attribute("max")
        key = "ArrowDown" if high is not None and float(now) >= float(high) else "ArrowUp"
        field.focus()
        field.press(key)
        return f"number field {key} (was {now})"
    if select.count():
        s = select.first
        options = s.locator("option").all_text_contents()
        current = s.evaluate("el => el.options[el.selectedIndex].text")
        other = next(o for o in options if o != current)
        s.select_option(label=other)
        return f"dropdown {current} → {other}"
    toggle = chart.locator("button.widget-toggle-button, .widget-toggle-button")
    if toggle.count():
        toggle.first.click()
        return "toggle"
    multi = chart.locator("select[multiple]")
    if multi.count():
        values = multi.first.locator("option").all_text_contents()
        multi.first.select_option(label=values[:1])
        return f"multi-select → {values[:1]}"
    pytest.fail("the first live chart has no number field, dropdown, toggle or multi-select")


def replace_cell_and_run(page, cell, source: str) -> None:
    editor = cell.locator(".cm-content").first
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)   # no key events: no auto-closed brackets or auto-indent
    page.keyboard.press("Shift+Enter")


def cell_feedback(cell, status: str):
    return cell.locator(f".jp-OutputArea-output .exercise-feedback.{status}")


# ---------------------------------------------------------------------------
# the lessons in JupyterLab
# ---------------------------------------------------------------------------

MENU_LABELS_ZH = ("文件", "编辑", "查看", "运行")


def _open_tabs(page) -> list[str]:
    return page.locator("#jp-main-dock-panel .lm-TabBar-tab .lm-TabBar-tabLabel").all_text_contents()


def _wait_tab(page, title: str, timeout_s: float = 60) -> None:
    page.wait_for_function(
        """(title) => [...document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab .lm-TabBar-tabLabel')]
                        .some(el => el.textContent.trim() === title)""", arg=title, timeout=timeout_s * 1000)


#: true when a rendered README (Markdown preview, not the editor) shows its 目录 heading near the top
TOC_IN_VIEW = """() => {
  const v = [...document.querySelectorAll('.jp-MarkdownViewer')].find(el => !el.closest('.lm-mod-hidden'));
  if (!v) return false;
  const h = [...v.querySelectorAll('h2')].find(el => el.textContent.trim().startsWith('目录'));
  if (!h) return false;
  const r = h.getBoundingClientRect(), box = v.getBoundingClientRect();
  return r.top >= box.top - 2 && r.top < box.top + box.height / 3;
}"""


def _click_rendered_link(page, text: str = "", href_end: str = "") -> None:
    links = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown "
                         + (f"a[href*='{href_end}']" if href_end else "a"))
    link = (links.filter(has_text=text) if text else links).first
    link.scroll_into_view_if_needed()
    link.click()


def test_first_run_in_jupyterlab(lab, browser, capsys):
    """README's command: repository root served, Chinese UI, README and guide open, links work."""
    for rel in ("README.md", "docs/instructor_guide.md", "data/README.md"):
        assert lab.api("GET", f"/api/contents/{rel}?content=0")["path"] == rel
    first = LESSONS[CHAPTERS[0]][0]
    second = LESSONS[CHAPTERS[1]][0] if len(CHAPTERS) > 1 else None
    context, page = open_notebook(lab, browser, "firstrun", f"notebooks/{first}", VIEWPORT)
    try:
        menus = [m.strip() for m in page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_text_contents()]
        assert all(label in menus for label in MENU_LABELS_ZH), f"menus are not Chinese: {menus}"

        # the contents link (目录) opens README rendered (Markdown preview) and scrolled to 目录
        _click_rendered_link(page, "目录")
        _wait_tab(page, "README.md")
        page.wait_for_function(TOC_IN_VIEW, timeout=30_000)
        if second:
            page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text=first).first.click()
            _click_rendered_link(page, href_end=second)   # the navigation line's next chapter
            _wait_tab(page, second)

        # README and the instructor guide open from the file browser's paths
        page.goto(lab.url("lab/workspaces/firstrun-docs/tree/docs/instructor_guide.md"), wait_until="domcontentloaded")
        _wait_tab(page, "instructor_guide.md", 60)
        page.goto(lab.url("lab/workspaces/firstrun-readme/tree/README.md"), wait_until="domcontentloaded")
        _wait_tab(page, "README.md", 60)
        page.locator(".jp-MarkdownViewer .jp-RenderedMarkdown h1").first.wait_for(timeout=30_000)  # rendered
        # the tab appears before its markdown is rendered: wait for the text itself (a condition)
        page.wait_for_function("(text) => (document.querySelector('#jp-main-dock-panel') || {}).innerText"
                               "?.includes(text)", arg="从脱贫攻坚到乡村振兴", timeout=60_000)
        page.screenshot(path=str(_artifact("first_run.png")))
        with capsys.disabled():
            print(f"\n[browser] first run: menus {menus[:6]}, tabs {_open_tabs(page)}")
    except BaseException:
        _screenshot(page, "first_run_failure.png")
        raise
    finally:
        context.close()
        lab.delete_kernels()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[Path(LESSONS[c][0]).stem for c in CHAPTERS])
def test_lesson_in_jupyterlab(chapter, lab, browser, capsys):
    name = LESSONS[chapter][0]
    stem = Path(name).stem
    path = lab.root / "notebooks" / name
    if not path.exists():
        pytest.fail(f"notebooks/{name} is missing")
    nb = nbformat.read(path, as_version=4)
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    ex_index, ex_name, right_src, wrong_src = pick_exercise(nb, chapter)

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    console_errors, outside = [], []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    # JupyterLab must work without leaving the machine (name resolution is off in the browser anyway)
    page.on("request", lambda req: None if req.url.startswith((lab.base + "/", "data:", "blob:"))
            else outside.append(req.url))
    try:
        t_open = time.perf_counter()
        # a workspace of its own: only this notebook is open (no restored tabs or extra kernels)
        page.goto(lab.url(f"lab/workspaces/{stem}/tree/notebooks/{name}"), wait_until="domcontentloaded")
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        dismiss_toasts(page)
        wait_session(page, lab, f"notebooks/{name}", 60)
        wait_kernel_idle(page, 60)
        opened = time.perf_counter() - t_open

        # Run All; every cell executes without an error output
        ran = run_all(page, n_code)
        dismiss_toasts(page)
        errors = error_outputs(page)
        assert not errors, f"{name}: error output after Run All:\n" + "\n".join(errors)

        # at least three live charts, each showing a rendered image
        page.wait_for_function(_CHART_IMAGES_JS, arg=3, timeout=30_000)
        n_charts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart").count()
        assert n_charts >= 3, f"{name}: {n_charts} live charts (want ≥ 3)"

        # change one control of the first chart → a new image within 10 s
        before = first_chart_src(page)
        t0 = time.perf_counter()
        action = change_first_control(page)
        page.wait_for_function(
            """(before) => {
                const img = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart img');
                const src = img && img.getAttribute('src');
                return src && src !== before && img.complete && img.naturalWidth > 0;
            }""", arg=before, timeout=REDRAW_TIMEOUT_S * 1000, polling="raf")
        redraw = time.perf_counter() - t0
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart").first.scroll_into_view_if_needed()
        page.screenshot(path=str(_artifact(f"{stem}.png")), full_page=True)

        # one exercise right, then wrong
        cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(ex_index)
        text = cell.locator(".cm-content").first.inner_text()
        assert f"ex.{ex_name}.check(" in text, f"cell {ex_index} is not exercise {ex_name}: {text[:120]!r}"
        cell.scroll_into_view_if_needed()
        replace_cell_and_run(page, cell, right_src)
        cell_feedback(cell, "correct").wait_for(timeout=FEEDBACK_TIMEOUT_S * 1000)
        replace_cell_and_run(page, cell, wrong_src)
        cell_feedback(cell, "wrong").wait_for(timeout=FEEDBACK_TIMEOUT_S * 1000)
        assert cell_feedback(cell, "correct").count() == 0, "the wrong answer still shows 'correct'"
        cell.scroll_into_view_if_needed()
        page.screenshot(path=str(_artifact(f"{stem}_exercise.png")))
        errors = error_outputs(page)
        assert not errors, f"{name}: error output after answering {ex_name}:\n" + "\n".join(errors)

        line = (f"[browser] {stem}: opened {opened:.1f} s, Run All {ran:.1f} s, {n_charts} live charts, "
                f"{action}: redraw {redraw * 1000:.0f} ms, {ex_name} right+wrong ok")
        if outside:
            line += f"; note: {len(outside)} request(s) for addresses off the machine: {outside[:3]}"
        with capsys.disabled():  # shown without -s too
            print("\n" + line)
        _record_timing(stem, {"open_s": round(opened, 2), "run_all_s": round(ran, 2),
                              "redraw_ms": round(redraw * 1000), "control": action, "live_charts": n_charts})
        assert not console_errors, f"{name}: JavaScript errors in the page: {console_errors[:3]}"
    except BaseException:
        _screenshot(page, f"{stem}_failure.png")
        raise
    finally:
        context.close()
        lab.delete_kernels()


# ---------------------------------------------------------------------------
# screen and paper apart: JupyterLab never shows the paper wording
# ---------------------------------------------------------------------------

#: a notebook is opened when every cell is in the DOM and every markdown cell is rendered
_ALL_RENDERED_JS = """([cells, markdown]) => {
    const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
    if (!nb) return false;
    return nb.querySelectorAll('.jp-Cell').length === cells
        && nb.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown').length >= markdown;
}"""


def _rendered_chunks(markdown: str, min_len: int = 8) -> list[str]:
    """Phrases of a markdown text as a page shows them (markup and spaces out), split at sentence
    punctuation: each long enough that finding it on the page means the text is shown."""
    text = re.sub(r"[*_`#>\s]", "", markdown)
    return [chunk for chunk in re.split(r"[。；：，！？（）“”、]", text) if len(chunk) >= min_len]


def paper_wordings(nb) -> list[str]:
    """What is meant for paper only: the paper wording of screen-only cells (``metadata.utils.print``)
    and the source of any cell still carrying the retired ``print-only`` tag."""
    from utils import marks

    found = [marks.paper_text(c) for c in nb.cells if marks.paper_text(c)]
    found += [c.source for c in nb.cells if set(marks.tags_of(c)) & set(marks.RETIRED_TAGS)]
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[Path(LESSONS[c][0]).stem for c in CHAPTERS])
def test_no_print_only_text_in_jupyterlab(chapter, lab, browser, capsys):
    """Each lesson opened in JupyterLab (every cell rendered): no phrase of any paper wording is
    visible anywhere in the page, while the screen-only wording is (so the page text is read)."""
    from utils import marks

    name = LESSONS[chapter][0]
    stem = Path(name).stem
    nb = nbformat.read(lab.root / "notebooks" / name, as_version=4)
    paper = [chunk for text in paper_wordings(nb) for chunk in _rendered_chunks(text)]
    screen = [chunk for c in nb.cells if marks.SCREEN_ONLY in marks.tags_of(c) for chunk in _rendered_chunks(c.source)]
    assert paper and screen, f"{name}: no paper wording or no screen-only cell to check"
    paper = [chunk for chunk in paper if not any(chunk in s for s in screen)]   # phrases both share are fine
    n_markdown = sum(c.cell_type == "markdown" for c in nb.cells)
    context, page = open_notebook(lab, browser, f"paper-{stem}", f"notebooks/{name}", VIEWPORT)
    try:
        page.wait_for_function(_ALL_RENDERED_JS, arg=[len(nb.cells), n_markdown], timeout=60_000)
        # all text in the page's DOM (textContent: also what is scrolled away or collapsed), as _rendered_chunks
        shown = re.sub(r"[*_`#>\s]", "", page.evaluate("() => document.body.textContent"))
        visible = [chunk for chunk in paper if chunk in shown]
        missing = [chunk for chunk in screen if chunk not in shown]
        with capsys.disabled():
            print(f"\n[browser] {stem}: {len(paper)} paper phrases, {len(visible)} visible; "
                  f"{len(screen)} screen-only phrases, {len(screen) - len(missing)} visible")
        assert not missing, f"{name}: screen-only text not found on the page (is it rendered?): {missing[:3]}"
        assert not visible, f"{name}: paper-only text visible in JupyterLab: {visible[:5]}"
    except BaseException:
        _screenshot(page, f"{stem}_paper_failure.png")
        raise
    finally:
        context.close()
        lab.delete_kernels()


# ---------------------------------------------------------------------------
# the handouts, offline
# ---------------------------------------------------------------------------

def axe_script() -> Path:
    """axe-core's axe.min.js as shipped by the axe-playwright-python wheel (requirements-dev.txt):
    injected into the page from disk, so the check runs offline."""
    try:
        import axe_playwright_python
    except ImportError:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("axe-playwright-python is missing but CI=true: pip install -r requirements-dev.txt",
                        pytrace=False)
        pytest.skip("axe-core is not installed; pip install -r requirements-dev.txt")
    path = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"
    assert path.is_file(), f"{path} is missing from the axe-playwright-python wheel"
    return path


AXE_BLOCKING = ("serious", "critical")


def run_axe(page) -> dict:
    page.add_script_tag(path=str(axe_script()))
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")


def heading_outline(page) -> list[tuple[int, str]]:
    return [(int(tag[1]), text) for tag, text in page.evaluate(
        "() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]"
        ".filter(h => h.offsetParent !== null).map(h => [h.tagName, h.textContent.trim().slice(0, 40)])")]


def outline_problems(outline: list[tuple[int, str]]) -> list[str]:
    """One outline: exactly one h1, first; going down never skips a level."""
    problems = []
    levels = [level for level, _ in outline]
    if levels.count(1) != 1 or (levels and levels[0] != 1):
        problems.append(f"want exactly one h1, first; got levels {levels[:12]}")
    for (before, _), (level, text) in zip(outline, outline[1:]):
        if level > before + 1:
            problems.append(f"h{before} → h{level} at {text!r}")
    return problems


@pytest.fixture(scope="session")
def handout_dir(chromium_exe, tmp_path_factory, pytestconfig):
    """Learners' copies in out/, the teacher's copies in out/solutions/ (the default layout)."""
    home = tmp_path_factory.mktemp("handouts")
    root = make_worktree(home / "work")
    out = home / "out"
    env = dict(os.environ, STATIC_CHARTS="1", PYTHONDONTWRITEBYTECODE="1", MPLCONFIGDIR=str(home / "mpl"),
               IPYTHONDIR=str(home / "ipython"))
    env.pop("HIDE_SOLUTIONS", None)
    t0 = time.perf_counter()
    for flags in (["--out", str(out)], ["--with-solutions", "--out", str(out / "solutions")]):
        proc = subprocess.run([sys.executable, "-m", "utils.handouts", *flags], cwd=root, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, (f"handout build {flags} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                                      f"{proc.stderr[-3000:]}")
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print(f"\n[browser] handouts (learners + teacher) built in {time.perf_counter() - t0:.1f} s")
    return out


HANDOUT_PAGES = ([f"{Path(LESSONS[c][0]).stem}.html" for c in CHAPTERS] + ["index.html"]
                 + [f"solutions/{Path(LESSONS[c][0]).stem}.html" for c in CHAPTERS] + ["solutions/index.html"])


@pytest.mark.parametrize("rel", HANDOUT_PAGES)
def test_handout_offline(rel, handout_dir, browser, capsys):
    """Offline, every image loads, axe-core: 0 serious / 0 critical, one heading outline."""
    path = handout_dir / rel
    stem = rel.replace("/", "_")[: -len(".html")]
    assert path.exists(), f"the build wrote no {rel}"
    url = path.resolve().as_uri()

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", offline=True)
    page = context.new_page()
    attempted, blocked = [], []
    page.on("request", lambda req: attempted.append(req.url))

    def gate(route):
        if route.request.url == url or route.request.url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", gate)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        others = [u for u in attempted if u != url and not u.startswith("data:")]
        assert not others, f"{rel} tried to load: {others[:10]}"
        assert not blocked, f"{rel}: blocked requests: {blocked[:10]}"
        images = page.evaluate(
            "() => [...document.images].map(i => ({src: (i.getAttribute('src') || '').slice(0, 60),"
            " ok: i.complete && i.naturalWidth > 0, alt: (i.getAttribute('alt') || '').trim()}))")
        if not rel.endswith("index.html"):
            assert images, f"{rel} has no image"
        broken = [i["src"] for i in images if not i["ok"]]
        assert not broken, f"{rel}: {len(broken)} of {len(images)} images did not load: {broken[:5]}"
        assert all(i["alt"] for i in images), f"{rel}: an image without alt text"
        page.screenshot(path=str(_artifact(f"handout_{stem}.png")))

        result = run_axe(page)
        blocking = [(v["impact"], v["id"], len(v["nodes"]), v["help"]) for v in result["violations"]
                    if v.get("impact") in AXE_BLOCKING]
        others_found = sorted({f"{v['impact']}:{v['id']}" for v in result["violations"]} - {f"{b[0]}:{b[1]}" for b in blocking})
        outline = heading_outline(page)
        _record_timing(f"axe_{stem}", {"serious_critical": len(blocking), "other": others_found,
                                       "headings": len(outline)})
        assert not blocking, f"{rel}: axe-core serious/critical violations: {blocking}"
        assert not outline_problems(outline), f"{rel}: headings: {outline_problems(outline)}"
        with capsys.disabled():
            print(f"\n[browser] handout {rel}: {len(images)} images loaded, {path.stat().st_size / 1e6:.2f} MB, "
                  f"no request besides the file; axe: 0 serious/critical"
                  + (f" (other: {', '.join(others_found)})" if others_found else "") + f"; {len(outline)} headings")
    finally:
        context.close()


# ---------------------------------------------------------------------------
# issue 28: reflow at 200 % zoom, the class report at a glance
# ---------------------------------------------------------------------------

REFLOW_VIEWPORT = {"width": 640, "height": 900}   # a 1280 px window at 200 % zoom (WCAG 1.4.10)

# Elements that stick out of the viewport (or of the scroll box they sit in) and are not a table or
# an image, nor inside one: text that would need horizontal scrolling to read.
_REFLOW_JS = """() => {
    const vw = document.documentElement.clientWidth;
    const page = document.scrollingElement.scrollWidth;
    const exempt = el => el.closest('table, img, svg, picture');
    const limitOf = el => {   // the viewport, or the nearest box that clips or scrolls sideways
        for (let box = el; box && box !== document.body; box = box.parentElement) {
            const ox = getComputedStyle(box).overflowX;
            if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') {
                const b = box.getBoundingClientRect();
                return {left: Math.max(b.left, 0), right: Math.min(b.right, vw)};
            }
        }
        return {left: 0, right: vw};
    };
    const bad = [];
    const out = (r, limit) => r.width > 0 && (r.right > limit.right + 1 || r.left < limit.left - 1);
    // every line of text, measured by a Range (a paragraph's box may fit while its text runs out)
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || exempt(el) || !el.getClientRects().length) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const limit = limitOf(el);
        for (const r of range.getClientRects()) {
            if (out(r, limit)) {
                bad.push(`text in ${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ` +
                         `${Math.round(r.left)}–${Math.round(r.right)} px: ${node.textContent.trim().slice(0, 40)}`);
                break;
            }
        }
    }
    for (const el of document.querySelectorAll('body *')) {
        if (exempt(el) || !el.getClientRects().length) continue;
        if (out(el.getBoundingClientRect(), limitOf(el.parentElement || el))) {
            bad.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} sticks out`);
        }
    }
    return {vw, page, bad: bad.slice(0, 10), count: bad.length};
}"""


@pytest.mark.parametrize("rel", HANDOUT_PAGES)
def test_handout_reflows_at_200_percent_zoom(rel, handout_dir, browser, capsys):
    """At 640 CSS px (1280 px at 200 %), no horizontal scrolling of the page, and no text sticks out of
    the viewport or its scroll box; only tables and images may scroll sideways (WCAG 1.4.10)."""
    context = browser.new_context(viewport=REFLOW_VIEWPORT, locale="zh-CN", offline=True)
    page = context.new_page()
    try:
        page.goto((handout_dir / rel).resolve().as_uri(), wait_until="load")
        result = page.evaluate(_REFLOW_JS)
        page.screenshot(path=str(_artifact(f"reflow_{rel.replace('/', '_')[:-5]}.png")))
        _record_timing(f"reflow_{rel}", result)
        assert result["page"] <= result["vw"] + 1, f"{rel}: the page scrolls sideways ({result['page']} px > {result['vw']})"
        assert result["count"] == 0, f"{rel}: {result['count']} elements stick out at 640 px: {result['bad']}"
        with capsys.disabled():
            print(f"\n[browser] {rel} at 640 px: page {result['page']} px wide, nothing sticks out")
    finally:
        context.close()


REPORT_VIEWPORT = {"width": 1280, "height": 900}
REPORT_MIN_CSS_PX = 11.0


@pytest.fixture(scope="session")
def class_report_page(tmp_path_factory):
    """A report of 14 learners over chapters 1 and 3 (every state of the grid present)."""
    import random

    from utils.classroom import report
    from utils.classroom.key import all_problems
    from utils.exercises import key_of

    home = tmp_path_factory.mktemp("report")
    rnd = random.Random(28)
    problems = all_problems()
    # numeric exercises: their stored answers re-judge predictably (grading never reads a stored status)
    keys = sorted(k for k, p in problems.items() if k[0] in (1, 3) and p.kind == "numeric")
    for n in range(14):
        learner_home = home / "homes" / f"学员{n:02d}"
        learner_home.mkdir(parents=True)
        lines = []
        for chapter, exercise in keys:
            r = rnd.random()
            if r < 0.3:
                continue
            seq = (["correct"] if r < 0.6 else ["wrong", "correct"] if r < 0.8
                   else ["wrong", "wrong", "wrong"] if r < 0.92 else ["wrong"])
            answer = key_of(problems[(chapter, exercise)]).answer
            lines += [{"v": 2, "time": f"2026-11-29T03:{k:02d}:00+00:00", "chapter": chapter, "exercise": exercise,
                       "kind": "numeric", "answer": answer if s == "correct" else answer * 1000 + 7,
                       "status": "recorded", "mistake": None, "exam": False} for k, s in enumerate(seq)]
        (learner_home / "attempts.jsonl").write_text(
            "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    report.write(report.build([home / "homes"]), home / "out")
    return home / "out" / "report.html"


def test_class_report_text_is_legible_and_axe_clean(class_report_page, browser, capsys):
    """At 1280 × 900 every chart of the class report shows its smallest text at ≥ 11 CSS px (the
    image's ``data-min-text-px`` times its displayed / natural width, measured in Chromium); only
    chapters with attempts have a section; axe-core: 0 serious / 0 critical."""
    context = browser.new_context(viewport=REPORT_VIEWPORT, locale="zh-CN", offline=True)
    page = context.new_page()
    try:
        page.goto(class_report_page.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        images = page.evaluate("""() => [...document.images].map(i => ({
            alt: (i.getAttribute('alt') || '').slice(0, 30), shown: i.getBoundingClientRect().width,
            natural: i.naturalWidth, px: parseFloat(i.dataset.minTextPx || 'NaN')}))""")
        charts_ = [i for i in images if i["px"] == i["px"]]   # the per-chapter charts (NaN: others)
        assert len(charts_) >= 4, images            # 2 chapters × (bars + grid)
        sizes = [(i["alt"], round(i["px"] * i["shown"] / i["natural"], 1)) for i in charts_]
        small = [s for s in sizes if s[1] < REPORT_MIN_CSS_PX]
        headings = page.locator("h3").all_text_contents()
        assert headings == ["第1章", "第3章"], headings
        page.screenshot(path=str(_artifact("class_report_1280.png")), full_page=True)
        result = run_axe(page)
        blocking = [(v["impact"], v["id"], len(v["nodes"])) for v in result["violations"]
                    if v.get("impact") in AXE_BLOCKING]
        _record_timing("class_report", {"smallest_text_css_px": min(s for _, s in sizes),
                                        "serious_critical": len(blocking)})
        with capsys.disabled():
            print(f"\n[browser] class report at 1280 px: {len(charts_)} charts, smallest text "
                  f"{min(s for _, s in sizes):.1f} CSS px; axe: {len(blocking)} serious/critical")
        assert not small, f"chart text below {REPORT_MIN_CSS_PX} CSS px: {small}"
        assert not blocking, f"axe-core serious/critical violations on the class report: {blocking}"
    finally:
        context.close()


# ---------------------------------------------------------------------------
# issue 28: live charts by keyboard, axe-core on the notebook's outputs in JupyterLab
# ---------------------------------------------------------------------------

KEYBOARD_TAB_LIMIT = 12   # Tab presses allowed to reach the next control

# What has focus now: its kind, the index of its live chart, and whether its focus is visible
# (an outline or a box shadow that the element does not have without focus).
_FOCUS_JS = """() => {
    const el = document.activeElement;
    const charts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart')];
    const chart = el && el.closest('.live-chart');
    if (!chart) return {chart: -1, tag: el ? el.tagName.toLowerCase() : ''};
    const cs = getComputedStyle(el);
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none'
                 || cs.borderTopColor !== '';   // compared with the unfocused look by _focus_shows
    const kind = el.matches('input[type=number]') ? 'number' : el.matches('select[multiple]') ? 'multi'
               : el.matches('select') ? 'dropdown' : el.matches('button') ? 'toggle'
               : el.matches('summary') ? 'summary' : el.tagName.toLowerCase();
    return {chart: charts.indexOf(chart), kind, ring, focusVisible: el.matches(':focus-visible'),
            active: el.matches('.mod-active'), inGroup: !!el.closest('.widget-toggle-buttons'),
            label: (el.value || el.innerText || '').slice(0, 30)};
}"""

# The chart's current image, its accessible name (title) and the collapsed text alternative.
_VIEW_JS = """(i) => {
    const chart = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart')[i];
    const imgs = [...chart.querySelectorAll('img')].filter(im => im.offsetParent !== null);
    const img = imgs[0];
    const details = chart.querySelector('details.chart-alt p');
    return {src: img ? (img.getAttribute('src') || '') : '', ok: !!img && img.complete && img.naturalWidth > 0,
            name: img ? (img.getAttribute('alt') || img.getAttribute('title') || '') : '',
            text: details ? details.textContent : ''};
}"""


def _focus_shows(page) -> bool:
    """Whether the focused control looks different from itself without focus (outline, shadow,
    border or background): a visible focus indicator (WCAG 2.4.7)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const look = () => { const c = getComputedStyle(el);
            return [c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow, c.borderTopColor,
                    c.borderBottomColor, c.backgroundColor].join('|'); };
        const focused = look();
        el.blur();
        const unfocused = look();
        el.focus();
        return focused !== unfocused;
    }""")


def operate_live_charts_by_keyboard(page) -> tuple[list[str], list[str]]:
    """Tab into each live chart from the cell's output area and change every control with the keyboard.

    Returns (one line per control operated, accessibility gaps found on the way).  Fails when a
    control cannot be reached with Tab, when the key does not produce a new image, or when the
    collapsed text alternative does not change to describe the new view.  Gaps (reported, for the
    caller to judge): a control without a visible focus ring, an image without an accessible name
    that follows the view."""
    n = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart").count()
    done, gaps = [], []
    for i in range(n):
        chart = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart").nth(i)
        chart.scroll_into_view_if_needed()
        n_controls = chart.locator("input[type=number], select, button").count()
        assert n_controls, f"live chart {i} has no control"
        # start on the output area that holds the chart: the next Tab goes into the chart
        page.evaluate("""(i) => {
            const chart = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart')[i];
            const start = chart.closest('.jp-OutputArea-output') || chart;
            start.setAttribute('tabindex', '-1');
            start.focus();
        }""", i)
        seen = 0
        for press in range(KEYBOARD_TAB_LIMIT * n_controls):
            page.keyboard.press("Tab")
            focus = page.evaluate(_FOCUS_JS)
            if focus["chart"] != i:
                if seen:
                    break
                continue
            if focus["kind"] not in ("number", "dropdown", "toggle", "multi"):
                continue
            seen += 1
            if not (focus["focusVisible"] and _focus_shows(page)):
                gaps.append(f"focus-ring:{focus['kind']}")
            if focus["kind"] == "toggle" and focus["inGroup"] and focus["active"]:
                # the button of the view shown: Enter on it keeps that view (nothing to redraw)
                done.append(f"chart {i} toggle “{focus['label']}”: pressed already (the view shown)")
                continue
            before = page.evaluate(_VIEW_JS, i)
            key = {"number": "ArrowUp", "dropdown": "ArrowDown", "multi": "ArrowDown", "toggle": "Enter"}[focus["kind"]]
            if focus["kind"] == "number":
                at_max = page.evaluate("() => Number(document.activeElement.value) >= Number(document.activeElement.max)")
                key = "ArrowDown" if at_max else "ArrowUp"
            if focus["kind"] == "dropdown":
                at_end = page.evaluate("() => document.activeElement.selectedIndex === document.activeElement.options.length - 1")
                key = "ArrowUp" if at_end else "ArrowDown"
            page.keyboard.press(key)
            page.wait_for_function(
                """([i, before]) => {
                    const chart = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart')[i];
                    const img = [...chart.querySelectorAll('img')].filter(im => im.offsetParent !== null)[0];
                    return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0;
                }""", arg=[i, before["src"]], timeout=REDRAW_TIMEOUT_S * 1000, polling="raf")
            page.wait_for_function(
                """([i, text]) => {
                    const chart = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .live-chart')[i];
                    const p = chart.querySelector('details.chart-alt p');
                    return p && p.textContent.length > 12 && p.textContent !== text;
                }""", arg=[i, before["text"]], timeout=REDRAW_TIMEOUT_S * 1000, polling="raf")
            after = page.evaluate(_VIEW_JS, i)
            if after["name"] != after["text"]:
                gaps.append("image-name:live chart image not named by its current view")
            assert page.evaluate(_FOCUS_JS)["chart"] == i, f"chart {i}: focus left the chart after {key}"
            done.append(f"chart {i} {focus['kind']} {key}: “{before['text'][:28]}…” → “{after['text'][:28]}…”")
        assert seen == n_controls, f"live chart {i}: Tab reached {seen} of its {n_controls} controls"
    return done, gaps


def axe_on_outputs(page, rules: list[str] | None = None) -> list:
    """axe-core on the visible notebook's output areas only (feedback boxes, tables, captions,
    widget labels, the live charts): the serious and critical violations, as (impact, rule, node
    count, help, first targets); ``rules``: only these rules."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("""(rules) => axe.run(
        {include: [['.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-OutputArea']]},
        rules ? {resultTypes: ['violations'], runOnly: {type: 'rule', values: rules}} : {resultTypes: ['violations']}
    ).then(r => r.violations.map(v => ({impact: v.impact, id: v.id, help: v.help,
        targets: v.nodes.map(n => n.target)})))""", rules)
    return [(v["impact"], v["id"], len(v["targets"]), v["help"], v["targets"][:3])
            for v in result if v.get("impact") in AXE_BLOCKING]


def scroll_wide_tables_by_keyboard(page) -> list[str]:
    """Every table wider than its output box (JupyterLab scrolls the box sideways; axe
    ``scrollable-region-focusable`` wants it reachable by keyboard): Tab from the output box reaches
    the table's named region (``utils.table``'s ``div.utils-table-scroll``) with a visible focus, and
    ArrowRight scrolls the box (the project's shortcut settings leave the arrow keys to it)."""
    wide = page.evaluate("""() => [...document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-OutputArea-output')]
        .filter(box => box.scrollWidth > box.clientWidth + 1).map(box => {
            const region = box.querySelector('.utils-table-scroll');
            return region ? region.getAttribute('aria-label') + ' ' + box.scrollWidth + '/' + box.clientWidth : 'none';
        })""")
    assert "none" not in wide, f"a wide output without a focusable table region: {wide}"
    done = []
    for i in range(len(wide)):
        page.evaluate("""(i) => {
            const box = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-OutputArea-output')]
                .filter(b => b.scrollWidth > b.clientWidth + 1)[i];
            box.dataset.wideTable = String(i);
            box.scrollIntoView({block: 'center'});
            box.scrollLeft = 0;
            box.setAttribute('tabindex', '-1');
            box.focus();
        }""", i)
        page.keyboard.press("Tab")
        focus = page.evaluate("""(i) => { const el = document.activeElement;
            return {region: el.matches('.utils-table-scroll') && el.closest('[data-wide-table]')?.dataset.wideTable === String(i),
                    visible: el.matches(':focus-visible')}; }""", i)
        assert focus["region"], f"wide table {i} ({wide[i]}): Tab from its output did not reach its region"
        assert focus["visible"] and _focus_shows(page), f"wide table {i}: no visible focus on its region"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(i) => document.querySelector(`[data-wide-table='${i}']`).scrollLeft > 0", arg=i,
                               timeout=REDRAW_TIMEOUT_S * 1000, polling="raf")
        done.append(f"wide table {i} ({wide[i]}): Tab, ArrowRight → scrolled")
    return done


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[Path(LESSONS[c][0]).stem for c in CHAPTERS])
def test_lesson_by_keyboard_and_axe_in_jupyterlab(chapter, lab, browser, capsys):
    """Run All, then: every live chart's controls are reached with Tab and changed with arrow keys or
    Enter; each change shows a new image and a collapsed text alternative that describes the new view.
    Then focus rings, the images' accessible names (each follows the view shown) and axe-core on the
    output areas: 0 serious/critical — charts (static ones are ``text/html`` ``<img alt>``), tables,
    feedback, the controls (named number fields and dropdowns: ``utils.slider`` renders no nameless
    slider handle) — with no exception; a table wider than its output is scrolled by keyboard (:func:`scroll_wide_tables_by_keyboard`)."""
    name = LESSONS[chapter][0]
    stem = Path(name).stem
    nb = nbformat.read(lab.root / "notebooks" / name, as_version=4)
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    context, page = open_notebook(lab, browser, f"kb-{stem}", f"notebooks/{name}", VIEWPORT)
    try:
        wait_session(page, lab, f"notebooks/{name}", 60)
        wait_kernel_idle(page, 60)
        run_all(page, n_code)
        dismiss_toasts(page)
        page.wait_for_function(_CHART_IMAGES_JS, arg=3, timeout=30_000)
        blocking = axe_on_outputs(page)
        done, gaps = operate_live_charts_by_keyboard(page)
        done += scroll_wide_tables_by_keyboard(page)
        page.screenshot(path=str(_artifact(f"{stem}_keyboard.png")))
        found = {f"{impact}:{rule}": count for impact, rule, count, _, _ in blocking}
        _record_timing(f"keyboard_{stem}", {"controls": len(done), "axe_serious_critical": found,
                                            "gaps": sorted(set(gaps))})
        with capsys.disabled():
            print(f"\n[browser] {stem}: {len(done)} controls operated by keyboard; gaps {sorted(set(gaps))}; "
                  f"axe on outputs: {found or 0}" + "".join(f"\n    {d}" for d in done)
                  + "".join(f"\n    axe {rule}: {targets}" for _, rule, _, _, targets in blocking))
        assert done
        assert not blocking, f"{name}: axe-core serious/critical on the output areas: {blocking}"
        assert not gaps, f"{name}: live charts by keyboard: {sorted(set(gaps))}"
    except BaseException:
        _screenshot(page, f"{stem}_keyboard_failure.png")
        raise
    finally:
        context.close()
        lab.delete_kernels()


def test_number_controls_are_named_and_keyboard_operable_in_jupyterlab(lab, browser):
    """``utils.slider`` in JupyterLab, both forms: 9 years (a dropdown, ready views) and 0–100 (a
    number field, the kernel path).  Chromium's accessibility tree names each by its label (a
    combobox "年份" showing 2016, a spinbutton "两项兼具者占比（%）" at 35); no noUiSlider handle is
    left; axe-core on the output: 0 serious/critical with no exception; each is reached with Tab and
    changed with an arrow key, and its chart shows a new image and text alternative."""
    rel = "notebooks/_number_controls.ipynb"
    lesson = nbformat.read(lab.root / "notebooks" / LESSONS[CHAPTERS[0]][0], as_version=4)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": lesson.metadata["kernelspec"]})  # no kernel dialog
    nb.cells = [nbformat.v4.new_code_cell("import utils\nutils.setup(quiet=True)"),
                nbformat.v4.new_code_cell(
                    "def plot(year):\n"
                    "    return utils.charts.timeline(utils.national_series().query('year <= @year'),\n"
                    "                                 value='poor_population', unit='人', title='贫困人口')\n"
                    "utils.live_chart(plot, year=utils.slider(2012, 2020, value=2016, label='年份'))"),
                nbformat.v4.new_code_cell(
                    "def share(both):\n"
                    "    return utils.charts.timeline(utils.national_series().query('year <= 2012 + @both % 9'),\n"
                    "                                 value='poor_population', unit='人', title=f'{both}%')\n"
                    "utils.live_chart(share, both=utils.slider(0, 100, 1, value=35, label='两项兼具者占比（%）'))")]
    nbformat.write(nb, lab.root / rel)
    context, page = open_notebook(lab, browser, "number-controls", rel, VIEWPORT)
    try:
        wait_session(page, lab, rel, 60)
        wait_kernel_idle(page, 60)
        run_all(page, 3)
        page.wait_for_function(_CHART_IMAGES_JS, arg=2, timeout=30_000)
        charts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .live-chart")
        assert charts.locator(".noUi-handle, [role=slider]").count() == 0
        year = charts.get_by_role("combobox", name="年份", exact=True)
        share = charts.get_by_role("spinbutton", name="两项兼具者占比（%）", exact=True)
        assert year.count() == 1 and year.evaluate("el => el.options[el.selectedIndex].text") == "2016"
        assert share.count() == 1 and share.input_value() == "35"
        blocking = axe_on_outputs(page)
        assert not blocking, f"axe-core serious/critical on the live charts' output: {blocking}"
        done, gaps = operate_live_charts_by_keyboard(page)
        assert [d.split(" ")[2] for d in done] == ["dropdown", "number"], done
        assert share.input_value() == "36" and not gaps, (done, gaps)
        # or type the number and press Enter (JupyterLab's shortcuts leave the keys to the field)
        share.focus()
        page.keyboard.press("Control+a")
        page.keyboard.type("50")
        page.keyboard.press("Enter")
        page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .live-chart details.chart-alt p')]
                .some(p => p.textContent.startsWith('两项兼具者占比（%）：50%'))""", timeout=REDRAW_TIMEOUT_S * 1000)
        assert share.input_value() == "50" and page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").count() == 3
        page.screenshot(path=str(_artifact("number_controls.png")))
    except BaseException:
        _screenshot(page, "number_controls_failure.png")
        raise
    finally:
        context.close()
        lab.delete_kernels()
