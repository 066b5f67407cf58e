"""The package's structure: one lesson catalogue, no import cycles, a fifth chapter needs no other edit."""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from utils import catalog

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "utils"


# ---------------------------------------------------------------------------
# the catalogue
# ---------------------------------------------------------------------------

def test_the_catalogue_is_the_one_source_of_the_chapter_list():
    from utils import data, lessons, nbtools

    assert catalog.CHAPTERS == tuple(sorted(catalog.CHAPTERS)) and catalog.CHAPTERS[0] == 1
    assert list(lessons.LESSONS) == list(catalog.CHAPTERS)
    assert data.CHAPTER_NAMES == catalog.CHAPTER_NAMES
    assert nbtools.notebook_paths() == catalog.notebook_paths() == [x.path for x in catalog.LESSONS]
    for x in catalog.LESSONS:
        assert catalog.chapter_of(x.path) == x.number == catalog.chapter_of(x.notebook)
        assert x.title.startswith(x.data_name) and x.title.startswith(x.short)
        assert (ROOT / "notebooks" / x.notebook).is_file()
    with pytest.raises(ValueError, match="章节应为"):
        lessons.exercises_for(max(catalog.CHAPTERS) + 1)
    with pytest.raises(ValueError):
        catalog.chapter_of("README.md")


def test_no_module_spells_the_chapter_list():
    """The notebook list lives in catalog.toml only (usage examples may name a notebook or two)."""
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "lessons" and path.name != "__init__.py":
            continue
        text = path.read_text(encoding="utf-8")
        named = [x.stem for x in catalog.LESSONS if x.stem in text]
        assert len(named) < len(catalog.LESSONS), f"{path.relative_to(ROOT)} lists notebooks {named}"
    descriptor = (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    assert '"maximum": 4' not in descriptor


def test_data_rows_outside_the_catalogue_are_rejected(tmp_path):
    from utils.data import DataFileError, validate_table

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".validated.json"))
    rows = (data / "sections.csv").read_text(encoding="utf-8")
    bad = max(catalog.DATA_CHAPTERS) + 1
    (data / "sections.csv").write_text(rows.rstrip("\n") + f"\n{bad},总述,不存在的一章\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="章节编号"):
        validate_table("sections", data)


# ---------------------------------------------------------------------------
# import cycles
# ---------------------------------------------------------------------------

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """utils module → the utils modules it imports (anywhere in the file, function bodies included)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                # importing the package itself (``utils``) only runs __init__, which every submodule
                # import runs anyway: not an edge of its own
                if target and target != name and target != "utils":
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles_in_utils():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    graph = import_graph()
    assert "utils.style" in graph["utils.charts"] and "utils.charts" not in graph["utils.style"]


# ---------------------------------------------------------------------------
# a fifth chapter
# ---------------------------------------------------------------------------

CH5_ENTRY = """
[[lesson]]
number = 5
notebook = "05_review.ipynb"
title = "第五章 回顾与展望：把数字串起来"
short = "第五章 回顾与展望"
data_name = "第五章"
"""

CH5_MODULE = '''
"""Chapter 5 (made by tests/test_structure.py in a temporary copy)."""
from ..exercises import Exercises, Numeric
from ..data import figure


def build():
    total = figure("ch5.review_total")
    problems = {"q1": Numeric("第五章一共回顾了多少个数字？", total.value, unit="个",
                               hints=["看 ch5.review_total", "读出数值", "填进去"], solution="见数据表")}
    return Exercises(5, problems)
'''

CH5_CHECK = r'''
import json, sys
import nbformat
from utils import catalog, nbtools, lessons
import utils

out = {}
assert nbtools.main(["nav"]) == 0
nb = nbformat.read(catalog.lesson(5).path, as_version=4)
out["nav_top"] = nb.cells[0].source
nb4 = nbformat.read(catalog.lesson(4).path, as_version=4)
out["nav_4_bottom"] = nb4.cells[-1].source
out["paths"] = [p.name for p in nbtools.notebook_paths()]
out["chapter_of"] = catalog.chapter_of(catalog.lesson(5).path)
ex = utils.exercises_for(5)
out["exercises"] = list(ex.keys())
out["title"] = getattr(ex, "title", "")
frame = utils.load_figures(5)
out["figures"] = list(frame["id"])
out["where"] = utils.figure("ch5.review_total").where
out["chapter_names"] = {str(k): v for k, v in utils.data.CHAPTER_NAMES.items()}
print(json.dumps(out, ensure_ascii=False))
'''


def _copy_repo(dest: Path) -> None:
    ignore = shutil.ignore_patterns(".git", "handouts", "artifacts", "__pycache__", ".validated.json",
                                    "*.egg-info", ".ipynb_checkpoints", "attempts.jsonl", ".venv", "venv")
    for item in ROOT.iterdir():
        if item.name in (".git", "handouts", "artifacts", ".venv", "venv", "build", "dist"):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=ignore)
        else:
            shutil.copy2(item, dest / item.name)


def _add_fifth_chapter(repo: Path) -> None:
    """Only new files and appended lines: the catalogue entry, a notebook, a lesson module, data rows."""
    with open(repo / "utils" / "catalog.toml", "a", encoding="utf-8") as fh:
        fh.write(CH5_ENTRY)
    (repo / "utils" / "lessons" / "ch5.py").write_text(CH5_MODULE, encoding="utf-8")
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# 第五章 回顾与展望"},
            {"cell_type": "code", "metadata": {"tags": ["setup"]}, "execution_count": None, "outputs": [],
             "source": "import utils\nutils.setup()\nex = utils.exercises_for(5)"},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (repo / "notebooks" / "05_review.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    data = repo / "data"

    def append(name, line):
        text = (data / name).read_text(encoding="utf-8")
        (data / name).write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")

    append("sections.csv", "5,总述,回顾与展望：把数字串起来")
    header = (data / "report_figures.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(id="ch5.review_total", chapter="5", section="总述", indicator="回顾的数字", region="全国",
               period_start="2020", period_end="2020", value="12", unit="个", qualifier="exact",
               kind="level", quote="回顾了12个数字")
    append("report_figures.csv", ",".join(row[c] for c in header))
    # new data rows are accepted the documented way: the data's recorded hashes are rewritten
    subprocess.run([sys.executable, "-m", "utils.rehash", "--write"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(repo)}, timeout=120)


@pytest.mark.slow
def test_a_fifth_chapter_needs_no_other_edit(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _copy_repo(repo)
    before = {p.relative_to(repo): p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    _add_fifth_chapter(repo)
    env = {**os.environ, "PYTHONPATH": str(repo), "COURSE_ATTEMPTS": str(tmp_path / "attempts.jsonl")}
    run = subprocess.run([sys.executable, "-c", CH5_CHECK], cwd=repo, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["paths"][-1] == "05_review.ipynb" and len(out["paths"]) == len(catalog.LESSONS) + 1
    assert out["chapter_of"] == 5
    assert "第四章" in out["nav_top"] and "← 上一章" in out["nav_top"] and "这是最后一章" in out["nav_top"]
    assert "[第五章 回顾与展望](05_review.ipynb)" in out["nav_4_bottom"]
    assert out["exercises"] == ["q1"] and out["figures"] == ["ch5.review_total"]
    assert out["where"].startswith("第五章") and out["chapter_names"]["5"] == "第五章"
    # the copy's own structure and navigation tests accept the new chapter
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
         "tests/test_structure.py", "-k", "catalogue or chapter_list or rejected",
         "tests/test_notebooks.py::test_navigation_cells_are_up_to_date"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    # nothing but appended lines and new files
    after = {p.relative_to(repo): p for p in repo.rglob("*") if p.is_file()}
    edited = [str(rel) for rel, data in before.items() if rel in after and after[rel].read_bytes() != data
              and not after[rel].read_bytes().startswith(data.rstrip(b"\n"))
              and rel.suffix != ".ipynb" and "__pycache__" not in str(rel) and rel.name != ".validated.json"]
    assert sorted(edited) == ["data/datapackage.json", "data/datapackage.sha256"]

    def unhashed(raw):      # the descriptor changed in its recorded hashes only
        return [line for line in raw.decode().splitlines() if '"hash": "sha256:' not in line]

    assert unhashed(before[Path("data/datapackage.json")]) == unhashed(after[Path("data/datapackage.json")].read_bytes())


def test_fifth_chapter_fixture_matches_the_catalogue_format():
    entry = textwrap.dedent(CH5_ENTRY)
    assert "[[lesson]]" in entry and all(f"{key} =" in entry for key in ("number", "notebook", "title"))


# ---------------------------------------------------------------------------
# the installable package, the setup cell, the first-run hint
# ---------------------------------------------------------------------------

def test_pyproject_and_requirements_agree():
    import re
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert "-e ." in lines, "requirements.txt installs the course itself"
    pins = {}
    for ln in lines:
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s#]+)", ln)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    for spec in project["dependencies"]:
        req = Requirement(spec)
        assert req.name.lower() in pins, f"{req.name} is not pinned in requirements.txt"
        assert req.specifier.contains(pins[req.name.lower()]), f"{req.name}=={pins[req.name.lower()]} vs {spec}"
    assert set(pins) == {Requirement(s).name.lower() for s in project["dependencies"]}


def test_setup_puts_the_placeholder_into_the_learner_namespace():
    from IPython.core.interactiveshell import InteractiveShell

    import utils

    shell = InteractiveShell.instance()
    try:
        shell.user_ns.pop("____", None)
        utils.setup()
        assert shell.user_ns["____"] is utils.____
    finally:
        InteractiveShell.clear_instance()


HINT_CELLS = ["ex.q1.check(1)", "answer_q1 = ____", "import utils", "x = not_a_course_name"]


@pytest.mark.slow
def test_a_cell_before_the_setup_cell_gets_a_chinese_hint(tmp_path):
    """The kernel config installed with the package (etc/ipython) explains what to run first."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in HINT_CELLS])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}   # a kernel without utils
    config = ROOT / "jupyter-config" / "ipython_kernel_config.py"
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            extra_arguments=[f"--IPKernelApp.extra_config_file={config}"],
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    texts = ["".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream") for cell in nb.cells]
    errors = [[o.ename for o in cell.outputs if o.output_type == "error"] for cell in nb.cells]
    assert "先运行准备单元" in texts[0] and "ex" in texts[0] and errors[0] == ["NameError"]
    assert "先运行准备单元" in texts[1] and "____" in texts[1]
    try:
        import utils  # noqa: F401 - is the package importable without PYTHONPATH (installed)?
        installed = subprocess.run([sys.executable, "-c", "import utils"], env=env, cwd=tmp_path).returncode == 0
    except ImportError:
        installed = False
    if not installed:
        assert "pip install -r requirements.txt" in texts[2] and errors[2] == ["ModuleNotFoundError"]
    assert texts[3] == "" and errors[3] == ["NameError"]      # other names: the usual traceback only


def test_the_kernel_config_is_installed_with_the_package():
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "catalog.toml" in tool["package-data"]["utils"]
    # editable installs skip data files, so the hint is a second, regular distribution
    hint = tomllib.loads((ROOT / "jupyter-config" / "pyproject.toml").read_text(encoding="utf-8"))
    assert hint["tool"]["setuptools"]["data-files"]["etc/ipython"] == ["ipython_kernel_config.py"]
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "./jupyter-config" in lines and "-e ." in lines


def test_execute_gives_the_kernel_an_environment_and_leaves_ours_alone(monkeypatch):
    from utils import nbtools

    monkeypatch.setenv("HIDE_SOLUTIONS", "1")
    monkeypatch.delenv("STATIC_CHARTS", raising=False)
    before = dict(os.environ)
    env = nbtools.kernel_env(COURSE_ATTEMPTS="/tmp/x.jsonl", DROPPED=None)
    assert env["STATIC_CHARTS"] == "1" and "HIDE_SOLUTIONS" not in env
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT) and env["COURSE_ATTEMPTS"] == "/tmp/x.jsonl"
    assert dict(os.environ) == before

    seen = {}

    class FakeClient:
        def __init__(self, nb, **kwargs):
            seen["kwargs"] = kwargs

        def execute(self, **kwargs):
            seen["env"] = kwargs.get("env")

    import nbclient

    monkeypatch.setattr(nbclient, "NotebookClient", FakeClient)
    nbtools.execute(catalog.LESSONS[0].path, save=False)
    assert seen["env"]["STATIC_CHARTS"] == "1" and "HIDE_SOLUTIONS" not in seen["env"]
    assert dict(os.environ) == before
