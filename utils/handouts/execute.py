"""Executing a lesson notebook for a handout: fresh kernel, static charts, nothing written."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import nbformat

DEFAULT_TIMEOUT = 600
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class BuildError(Exception):
    """A handout could not be built; the message is shown to the user as is."""


def kernel_env(screen: bool = False) -> dict:
    """The kernel's environment: the authors' (:func:`utils.nbtools.kernel_env`) with every view of a
    chart, since there is no control on paper; for the screen edition, live charts with every view
    rendered in the cell (``LIVE_CHART_VIEWS=all``: no kernel stays behind the page)."""
    from ..nbtools import kernel_env as author_env

    if screen:
        return author_env(STATIC_CHARTS="0", LIVE_CHART_VIEWS="all")
    return author_env(STATIC_CHARTS="all")


def first_line(source: str, limit: int = 80) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return "（空单元格）"


def plain(text) -> str:
    """Error text without terminal colour codes."""
    return _ANSI_RE.sub("", str(text or "")).strip()


def _tail(log, lines: int = 5) -> str:
    try:
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""
    useful = [ln for ln in text.splitlines() if ln.strip() and "without encryption" not in ln]
    return "\n".join("    " + ln for ln in useful[-lines:])


def clean_metadata(nb) -> None:
    """Widget state and per-run metadata out (``utils.nbtools.clean_metadata`` when available)."""
    try:
        from ..nbtools import clean_metadata as clean
    except ImportError:  # pragma: no cover - nbtools is part of the package
        nb.metadata.pop("widgets", None)
        return
    clean(nb)


def execute_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT, screen: bool = False):
    """Run ``path`` top to bottom in static mode in a fresh kernel; return the executed notebook.

    ``screen``: live charts instead, with the widget state saved in ``nb.metadata.widgets`` (the
    screen edition renders it without a kernel).  The file is not written.  Failures raise
    :class:`BuildError` naming notebook, cell and error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # unreadable JSON, wrong format …
        raise BuildError(f"{path.name}：无法读取笔记本（{type(exc).__name__}: {plain(exc)[:200]}）") from None
    clean_metadata(nb)
    current: dict = {}

    def on_cell_start(cell, cell_index):
        current["index"], current["cell"] = cell_index, cell

    def where() -> str:
        if "index" not in current:
            return "（尚未开始执行单元格）"
        return f"第 {current['index']} 个单元格（从 0 数起）：{first_line(current['cell'].source)}"

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            allow_errors=False, on_cell_start=on_cell_start, store_widget_state=screen,
                            resources={"metadata": {"path": str(path.parent)}})
    with tempfile.TemporaryFile() as log:  # the kernel's own stderr (start-up chatter), shown only if it dies
        try:
            client.execute(env=kernel_env(screen), stderr=log)
        except CellExecutionError as exc:
            raise BuildError(f"{path.name} 执行出错，{where()}\n  {plain(exc.ename)}: "
                             f"{plain(exc.evalue)[:500]}") from None
        except CellTimeoutError:
            raise BuildError(f"{path.name} 执行超时（每个单元格最多 {timeout} 秒，可用 --timeout 调整），"
                             f"{where()}") from None
        except DeadKernelError:
            tail = _tail(log)
            raise BuildError(f"{path.name}：内核意外退出，{where()}" + (f"\n{tail}" if tail else "")) from None
        except Exception as exc:  # kernel could not start, …
            tail = _tail(log)
            raise BuildError(f"{path.name}：无法执行（{type(exc).__name__}: {plain(exc)[:300]}），{where()}"
                             + (f"\n{tail}" if tail else "")) from None
    widgets = nb.metadata.get("widgets") if screen else None
    clean_metadata(nb)
    if widgets:
        nb.metadata["widgets"] = widgets
    return nb
