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


@pytest.fixture(scope="session")
def chromium_exe() -> str:
    exe = chromium_path()
    if exe is None:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("Chromium is missing but CI=true: the browser tests must run in CI; "
                        f"{INSTALL_HINT} (.ci/run does this when it is missing)", pytrace=False)
        pytest.skip(f"Debian's chromium is not installed; {INSTALL_HINT}")
    return exe


@pytest.fixture(scope="session")
def browser(chromium_exe):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("playwright is missing but CI=true: pip install -r requirements-dev.txt", pytrace=False)
        pytest.skip("playwright is not installed; pip install -r requirements-dev.txt")

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_exe, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


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
        wrongs = [_literal(w) for w in problem.wrong_examples]
        wrongs += [_literal(example) for _, _, example in problem.mistake_examples()]
        right, wrong = _literal(problem.answer), next((w for w in wrongs if w is not None), None)
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
    handle = chart.locator(".noUi-handle")
    select = chart.locator("select:not([multiple])")
    if handle.count():
        h = handle.first
        now, low = h.get_attribute("aria-valuenow"), h.get_attribute("aria-valuemin")
        key = "ArrowRight" if now is not None and low is not None and float(now) <= float(low) else "ArrowLeft"
        h.focus()
        h.press(key)
        return f"slider {key} (was {now})"
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
    pytest.fail("the first live chart has no slider, dropdown, toggle or multi-select")


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

        # the contents link (目录) opens README; the next-chapter link opens chapter 2
        _click_rendered_link(page, "目录")
        _wait_tab(page, "README.md")
        if second:
            page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text=first).first.click()
            _click_rendered_link(page, href_end=second)   # the navigation line's next chapter
            _wait_tab(page, second)

        # README and the instructor guide open from the file browser's paths
        page.goto(lab.url("lab/workspaces/firstrun-docs/tree/docs/instructor_guide.md"), wait_until="domcontentloaded")
        _wait_tab(page, "instructor_guide.md", 60)
        page.goto(lab.url("lab/workspaces/firstrun-readme/tree/README.md"), wait_until="domcontentloaded")
        _wait_tab(page, "README.md", 60)
        # the tab appears before its markdown is rendered: wait for the text itself (a condition)
        page.wait_for_function("(text) => (document.querySelector('#jp-main-dock-panel') || {}).innerText"
                               "?.includes(text)", arg="从脱贫攻坚到乡村振兴", timeout=60_000)
        page.screenshot(path=str(_artifact("first_run.png")))
        with capsys.disabled():
            print(f"\n[browser] first run: menus {menus[:6]}, tabs {_open_tabs(page)}")
    except BaseException:
        try:
            page.screenshot(path=str(_artifact("first_run_failure.png")))
        except Exception:  # noqa: BLE001 - keep the original failure
            pass
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
        try:
            page.screenshot(path=str(_artifact(f"{stem}_failure.png")))
        except Exception:  # noqa: BLE001 - keep the original failure
            pass
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
