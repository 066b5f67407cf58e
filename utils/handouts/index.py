"""The handout folder's ``index.html``: the lessons in catalogue order, with their PDFs if built."""
from __future__ import annotations

import html
from pathlib import Path

from .. import catalog
from .render import INDEX_NAME, SOLUTIONS_META, TEMPLATE_DIR


def _find(name: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    return None


SCREEN_INTRO = ("屏幕版：各章讲义可离线打开，图表上的下拉菜单和按钮可以直接切换（不需要 Jupyter，也不联网；"
                "请把 widgets_js 文件夹和这些页面放在一起）。练习请在 JupyterLab 中打开对应的笔记本完成。")
PRINT_INTRO = "各章讲义可离线打开、直接打印（A4）。交互图在讲义中是静态图；要动手操作，请在 JupyterLab 中打开对应的笔记本。"


def index_page(entries: list[tuple[str, str, bool, bool]], *, with_solutions: bool, screen: bool = False) -> str:
    """``entries``: (html file name, title, teacher's copy?, has a PDF?)."""
    esc = html.escape
    items = []
    for file, title, teacher, pdf in entries:
        mark = ' <span class="meta">（教师版·含参考答案）</span>' if teacher else ""
        stem = file[: -len(".html")]
        pdf_link = f' · <a href="{esc(stem)}.pdf">PDF</a>' if pdf else ""
        items.append(f'<li><a href="{esc(file)}">{esc(title)}</a>{pdf_link}{mark}</li>')
    css = (TEMPLATE_DIR / "handout.css").read_text(encoding="utf-8")
    heading = "讲义目录（教师版）" if with_solutions else "讲义目录"
    if screen:
        heading += "（屏幕版）"
    intro = SCREEN_INTRO if screen else PRINT_INTRO
    command = "python -m utils.handouts --screen" if screen else "python -m utils.handouts"
    return f"""<!DOCTYPE html>
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
<p>{intro}</p>
<ol>
{chr(10).join(items)}
</ol>
<p class="handout-footer">由 <code>{command}</code> 生成。</p>
</main>
</body>
</html>
"""


def write_index(target_dir: Path, built_titles: dict[str, str], *, with_solutions: bool,
                also_in: tuple[Path, ...] = (), screen: bool = False) -> Path:
    """Write ``index.html`` into ``target_dir``: the catalogue's lessons whose handout is in
    ``target_dir`` or one of ``also_in`` (an existing output folder), then any other handout built
    (``built_titles``: file name → title)."""
    folders = [target_dir, *also_in]
    entries = []
    seen = set()
    names = [f"{x.stem}.html" for x in catalog.LESSONS]
    titles = {f"{x.stem}.html": x.title for x in catalog.LESSONS}
    for name in names + [n for n in built_titles if n not in names]:
        found = _find(name, folders)
        if found is None or name in seen:
            continue
        seen.add(name)
        head = found.read_text(encoding="utf-8", errors="replace")[:4000]
        pdf = _find(name[: -len(".html")] + ".pdf", folders) is not None
        entries.append((name, titles.get(name) or built_titles.get(name, name), SOLUTIONS_META in head, pdf))
    target = target_dir / INDEX_NAME
    target.write_text(index_page(entries, with_solutions=with_solutions, screen=screen), encoding="utf-8")
    return target
