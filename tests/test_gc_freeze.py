"""In a kernel, ``import utils`` collects less often while it imports and freezes the long-lived
objects (env.long_lived_imports_begin/_end); it restores the thresholds and does nothing elsewhere."""
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
        "import gc\nbefore, thresholds = gc.get_freeze_count(), gc.get_threshold()\nimport utils\nutils.setup()\n"
        "after = gc.get_freeze_count()",
        # a reference cycle made after the imports: still found by a collection
        "import weakref\nclass Node: pass\na, b = Node(), Node()\na.other, b.other = b, a\n"
        "gone = weakref.ref(a)\ndel a, b\nfound = gc.collect()\n"
        "print(before == 0, after > 100000, gone() is None, found >= 2, gc.get_threshold() == thresholds)",
    )]
    env = {**os.environ, "COURSE_ATTEMPTS": str(tmp_path / "a.jsonl"), "PYTHONPATH": str(ROOT)}
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    assert nb.cells[1].outputs[0]["text"].split() == ["True"] * 5


def test_outside_a_kernel_nothing_is_frozen():
    out = subprocess.run([sys.executable, "-c", "import gc; t = gc.get_threshold(); import utils; "
                          "print(gc.get_freeze_count(), gc.get_threshold() == t)"],
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.split() == ["0", "True"]
