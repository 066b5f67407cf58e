"""utils freezes the long-lived objects of a kernel (env.freeze_long_lived) and nothing else."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_in_a_kernel_the_imports_are_frozen_and_new_cycles_still_collected(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in (
        "import gc\nbefore = gc.get_freeze_count()\nimport utils\nutils.setup()\nafter = gc.get_freeze_count()",
        # a reference cycle made after the imports: still found by a collection
        "import weakref\nclass Node: pass\na, b = Node(), Node()\na.other, b.other = b, a\n"
        "gone = weakref.ref(a)\ndel a, b\nfound = gc.collect()\n"
        "print(before == 0, after > 100000, gone() is None, found >= 2)",
    )]
    env = {**os.environ, "COURSE_ATTEMPTS": str(tmp_path / "a.jsonl"), "PYTHONPATH": str(ROOT)}
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    assert nb.cells[1].outputs[0]["text"].split() == ["True"] * 4


def test_outside_a_kernel_nothing_is_frozen():
    out = subprocess.run([sys.executable, "-c", "import gc, utils; print(gc.get_freeze_count())"],
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.split() == ["0"]
