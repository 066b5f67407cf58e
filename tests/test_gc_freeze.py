"""``import utils`` leaves the interpreter alone: no garbage-collector tuning (``gc.freeze``, thresholds),
in a kernel or elsewhere, and no private attribute of another library in the package's code.  A
deployment that wants such tuning configures its kernels (README, "Optional kernel tuning")."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = ("import gc\nbefore = (gc.get_freeze_count(), gc.get_threshold(), gc.isenabled())\n"
         "import utils\nutils.setup()\n"
         "after = (gc.get_freeze_count(), gc.get_threshold(), gc.isenabled())\nprint(before == after, after[0])")


@pytest.mark.slow
def test_in_a_kernel_import_utils_leaves_the_collector_alone(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CHECK)]
    env = {**os.environ, "COURSE_ATTEMPTS": str(tmp_path / "a.jsonl"), "PYTHONPATH": str(ROOT)}
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    assert nb.cells[0].outputs[0]["text"].split() == ["True", "0"]


@pytest.mark.slow
def test_outside_a_kernel_import_utils_leaves_the_collector_alone():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.split() == ["True", "0"]


def test_the_package_code_does_not_tune_the_interpreter_or_read_private_attributes():
    pattern = re.compile(r"gc\.(freeze|set_threshold|disable)\b|sys\.(setswitchinterval|setrecursionlimit)\b"
                         r"|\._to_draw\b|\._draw_called\b")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "utils").rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if pattern.search(line)]
    assert not found, found
