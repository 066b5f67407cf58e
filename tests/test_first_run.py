"""The first run: README's 目录 renders, the navigation link lands on it, Markdown opens rendered,
the setup-cell reminder names a real menu item, the root case is explained, --pdf checks first."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from utils.lessons import exercises_for
from utils.nbtools import CONTENTS_ANCHOR

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CN_NUMBERS = {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def test_contents_table_has_one_header_and_an_ascii_anchor():
    section = README.split("## 目录", 1)[1].split("\n## ", 1)[0]
    headers = [ln for ln in section.splitlines() if ln.startswith("| 章 |")]
    assert len(headers) == 1, headers
    assert headers[0].count("|") - 1 == 4 and "练习" in headers[0]
    before = README.split("## 目录", 1)[0].rstrip().splitlines()[-1]
    assert before == f'<a id="{CONTENTS_ANCHOR}"></a>' and CONTENTS_ANCHOR.isascii()


def test_navigation_links_point_at_the_ascii_anchor():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        links = re.findall(r"\(\.\./README\.md(#[^)]*)?\)", "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
        assert links and set(links) == {f"#{CONTENTS_ANCHOR}"}, (path.name, links)


def test_exercise_kinds_counted_right():
    said = re.search(r"练习有(.)种：", README)
    assert said, "README names how many kinds of exercise there are"
    kinds = {p.kind for ch in (1, 2, 3, 4) for _, p in exercises_for(ch).items()}
    assert CN_NUMBERS[said.group(1)] == len(kinds), (said.group(0), sorted(kinds))


def test_markdown_opens_as_a_rendered_preview():
    settings = json.loads((ROOT / ".jupyter" / "lab" / "settings" / "overrides.json").read_text(encoding="utf-8"))
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Markdown Preview"


def test_setup_reminder_names_a_real_zh_cn_menu_item():
    """The kernel hint names the menu item exactly as the installed Chinese language pack shows it."""
    import jupyterlab_language_pack_zh_CN as pack

    catalog = Path(pack.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "jupyterlab.json"
    labels = json.loads(catalog.read_text(encoding="utf-8"))
    config = (ROOT / "jupyter-config" / "ipython_kernel_config.py").read_text(encoding="utf-8")
    named = re.search(r"“运行 → ([^”]+)”", config).group(1)
    assert named == labels["Run All Above Selected Cell"][0]


def test_readme_explains_the_root_case():
    assert "--allow-root" in README and "root" in README.split("## 目录", 1)[0]


def test_pdf_checks_its_prerequisites_before_building(monkeypatch, capsys):
    from utils.handouts import builder, cli, pdf

    monkeypatch.setattr(pdf, "chromium_path", lambda: None)

    def no_build(*a, **k):  # pragma: no cover - reaching it is the failure
        raise AssertionError("built the handouts before checking what --pdf needs")

    monkeypatch.setattr(cli, "build", no_build)
    monkeypatch.setattr(builder, "build", no_build)
    assert cli.main(["--pdf"]) == 1
    err = capsys.readouterr().err
    assert "生成 PDF 还缺" in err and "chromium" in err.lower() and len(err.strip().splitlines()) == 1
