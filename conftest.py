"""Test-session settings that must exist before any kernel starts.

STATIC_CHARTS=1: nbval kernels render live charts as stored images (see utils/widgets.py), so the
committed outputs compare deterministically.  Solutions stay visible (exam mode off).
COURSE_ATTEMPTS: every ``check()`` in a test or an nbval kernel appends to a temporary attempt log,
never to ``notebooks/attempts.jsonl`` of the repository (removed when the session ends).
"""
import atexit
import os
import shutil
import tempfile

os.environ["STATIC_CHARTS"] = "1"
os.environ.pop("HIDE_SOLUTIONS", None)

_ATTEMPTS_DIR = tempfile.mkdtemp(prefix="course-attempts-")
os.environ["COURSE_ATTEMPTS"] = os.path.join(_ATTEMPTS_DIR, "attempts.jsonl")
atexit.register(shutil.rmtree, _ATTEMPTS_DIR, ignore_errors=True)
