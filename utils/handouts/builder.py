"""Building handouts: execute → prepare → render → check, into a staging folder moved into place
only when every notebook (and every PDF) succeeded."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import catalog
from .execute import DEFAULT_TIMEOUT, BuildError, execute_notebook, plain
from .index import write_index
from .cells import prepare
from .render import SOLUTIONS_META, convert, scan

ROOT = catalog.ROOT
NOTEBOOK_DIR = catalog.NOTEBOOK_DIR
DEFAULT_OUT = ROOT / "handouts"
SOLUTIONS_SUBDIR = "solutions"
#: the screen edition's folder under the default output folder
SCREEN_SUBDIR = "screen"
MAX_BYTES = 2 * 1024 * 1024
#: a screen-edition page carries every view of its live charts
MAX_SCREEN_BYTES = 8 * 1024 * 1024


@dataclass
class Handout:
    notebook: Path
    path: Path
    title: str
    seconds: float
    size: int
    images: int
    alt_fallbacks: list = field(default_factory=list)
    paper_fallbacks: list = field(default_factory=list)
    pdf: Path | None = None


def default_notebooks() -> list[Path]:
    """The lesson notebooks of the catalogue, in chapter order."""
    return catalog.notebook_paths()


def chapter_of(path: Path) -> int | None:
    """The catalogue chapter of a notebook file, or None for a notebook outside the catalogue."""
    try:
        return catalog.chapter_of(path)
    except ValueError:
        return None


def title_of(path: Path, nb, chapter: int | None) -> str:
    if chapter is not None:
        return catalog.lesson(chapter).title
    title = (nb.metadata.get("title") or "").strip() if hasattr(nb, "metadata") else ""
    return title or path.stem


def build_one(path: Path, out_dir: Path, *, with_solutions: bool = False,
              timeout: int = DEFAULT_TIMEOUT, screen: bool = False) -> Handout:
    """Execute, prepare, convert, check and write one handout into ``out_dir`` (``screen``: the
    screen edition, live charts; its page needs ``widgets_js/`` beside it, see :func:`build`)."""
    from ..lessons import exercises_for

    start = time.perf_counter()
    nb = execute_notebook(path, timeout=timeout, screen=screen)
    chapter = chapter_of(path)
    problems = None
    if chapter is not None:
        try:
            problems = dict(exercises_for(chapter))
        except Exception as exc:  # noqa: BLE001
            if with_solutions:
                raise BuildError(f"{path.name}：无法读取第 {chapter} 章的练习（{type(exc).__name__}: "
                                 f"{plain(exc)[:200]}），无法生成参考答案附录") from None
    title = title_of(path, nb, chapter)
    if with_solutions:
        title = f"{title}（教师版·含参考答案）"
    prepared = prepare(nb, problems=problems, with_solutions=with_solutions, screen=screen)
    body = convert(prepared.nb, title=title, notebook_path=path, with_solutions=with_solutions, screen=screen)

    found = scan(body)
    if found.external:
        raise BuildError(f"{path.name}：讲义里有外部地址（离线无法打开）：{'；'.join(found.external[:3])}")
    if found.missing_alt:
        raise BuildError(f"{path.name}：讲义里有 {found.missing_alt} 张图没有替代文字（alt）")
    if not with_solutions and problems:
        text = "".join(found.text)
        from ..exercises import key_of

        leaked = [name for name, p in problems.items()
                  if str(getattr(key_of(p) or p, "solution_text", "") or "").strip()
                  and str((key_of(p) or p).solution_text).strip() in text]
        if leaked:
            raise BuildError(f"{path.name}：学员版讲义里出现了参考答案（{'、'.join(leaked)}）。"
                             "请检查笔记本中是否有未注释的 solution() 调用，或未加 after-attempt 标签的解答单元格。")

    target = out_dir / f"{path.stem}.html"
    data = body.encode("utf-8")
    target.write_bytes(data)
    return Handout(path, target, title, time.perf_counter() - start, len(data), found.png_images,
                   prepared.alt_fallbacks, prepared.paper_fallbacks)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MB"


def publish(staging: Path, out_dir: Path) -> None:
    """Move a finished staging folder into place: a new folder is renamed as a whole; into an
    existing one each file is replaced atomically (other files there, e.g. solutions/, stay)."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    for item in sorted(staging.iterdir()):
        target = out_dir / item.name
        if item.is_dir() and target.is_dir():      # a folder (widgets_js/) replaces the old one
            old = Path(tempfile.mkdtemp(prefix=f".{item.name}.old-", dir=out_dir))
            os.replace(target, old / item.name)
            os.replace(item, target)
            shutil.rmtree(old, ignore_errors=True)
            continue
        os.replace(item, target)
    staging.rmdir()


def build(notebooks: list[Path], out_dir: Path, *, with_solutions: bool = False, timeout: int = DEFAULT_TIMEOUT,
          pdf: bool = False, echo=print, screen: bool = False) -> list[Handout]:
    """Build one handout per notebook (+ PDFs with ``pdf``) and ``index.html``; ``screen``: the
    screen edition (live charts, with ``widgets_js/`` copied beside the pages).

    Everything is written to a staging folder beside ``out_dir`` first; the first failure
    (BuildError, Ctrl-C) removes it and leaves ``out_dir`` as it was (or absent)."""
    paths = [Path(p).resolve() for p in notebooks]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise BuildError("找不到笔记本：" + "、".join(str(p) for p in missing))
    stems = [p.stem for p in paths]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise BuildError("同名的笔记本会写到同一个讲义文件：" + "、".join(duplicates))
    out_dir = Path(out_dir).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"输出位置已存在，但不是文件夹：{out_dir}")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)   # mkdtemp makes it private; the published folder is not
    try:
        built = []
        for i, path in enumerate(paths, 1):
            echo(f"[{i}/{len(paths)}] {path.name} … ", end="", flush=True)
            try:
                handout = build_one(path, staging, with_solutions=with_solutions, timeout=timeout, screen=screen)
            except BuildError:
                echo("失败", flush=True)
                raise
            note = f"，{len(handout.alt_fallbacks)} 张图没有 alt 标记" if handout.alt_fallbacks else ""
            echo(f"{handout.seconds:.1f} s（{_size(handout.size)}，{handout.images} 张图{note}）", flush=True)
            limit = MAX_SCREEN_BYTES if screen else MAX_BYTES
            if handout.size > limit:
                echo(f"  警告：{handout.path.name} 大于 {_size(limit)}（{_size(handout.size)}），请减少或缩小图片。",
                     file=sys.stderr, flush=True)
            built.append(handout)
        if pdf:
            from .pdf import print_pdfs

            pdfs = print_pdfs([h.path for h in built], staging, echo=echo)
            for handout, written in zip(built, pdfs):
                handout.pdf = written
        if screen:
            from .screen import copy_widgets_js

            copy_widgets_js(staging)
        write_index(staging, {h.path.name: h.title for h in built}, with_solutions=with_solutions,
                    also_in=(out_dir,) if out_dir.is_dir() else (), screen=screen)
        publish(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for handout in built:
        handout.path = out_dir / handout.path.name
        if handout.pdf is not None:
            handout.pdf = out_dir / handout.pdf.name
    return built


__all__ = ["DEFAULT_OUT", "Handout", "MAX_BYTES", "MAX_SCREEN_BYTES", "NOTEBOOK_DIR", "ROOT", "SCREEN_SUBDIR",
           "SOLUTIONS_META", "SOLUTIONS_SUBDIR",
           "build", "build_one", "chapter_of", "default_notebooks", "publish", "title_of"]
