"""The screen edition's widget manager: ``utils/handout_template/widgets_js/`` copied beside the pages.

``embed.js`` is ``@jupyter-widgets/html-manager`` (vendored, see that folder's README.md): it
renders the widget state saved in each page, so a chart's controls switch its ready views in a
plain browser from ``file://`` with no kernel and no network.  A copy whose hash differs from the
vendored version is refused (a build never ships a script it did not check).
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from .execute import BuildError
from .render import TEMPLATE_DIR

WIDGETS_DIR = TEMPLATE_DIR / "widgets_js"
WIDGETS_JS = "embed.js"
#: @jupyter-widgets/html-manager 1.0.15, dist/embed.js
HTML_MANAGER_VERSION = "1.0.15"
WIDGETS_JS_SHA256 = "8f6d2d3f856d8595d1841dec3019d99bbe74d331f2a5178c2a33bfec729e3d6a"
#: shipped with it: the script, its licence and the bundled packages' notices
SHIPPED = (WIDGETS_JS, "embed.js.LICENSE.txt", "LICENSE", "README.md")


def check_widgets_js(folder: Path = WIDGETS_DIR) -> Path:
    """The vendored ``embed.js``, after checking that it is there and is the pinned version."""
    path = Path(folder) / WIDGETS_JS
    if not path.is_file():
        raise BuildError(f"屏幕版需要交互图的脚本 {path}，但找不到它。请从代码仓库恢复 "
                         "utils/handout_template/widgets_js/ 文件夹（git checkout -- utils/handout_template/widgets_js）。")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WIDGETS_JS_SHA256:
        raise BuildError(f"交互图的脚本 {path} 与固定的版本（@jupyter-widgets/html-manager {HTML_MANAGER_VERSION}）"
                         "不一致，可能被改动过。请从代码仓库恢复它；更新版本的步骤见该文件夹的 README.md。")
    return path


def copy_widgets_js(out_dir: Path) -> Path:
    """Copy the checked widget manager into ``out_dir/widgets_js/``; returns that folder."""
    check_widgets_js()
    target = Path(out_dir) / WIDGETS_DIR.name
    target.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        shutil.copy2(WIDGETS_DIR / name, target / name)
    return target
