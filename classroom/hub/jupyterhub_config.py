"""JupyterHub configuration for a one-server workshop (see docs/instructor_guide.md).

Run from anywhere:   jupyterhub -f classroom/hub/jupyterhub_config.py
Settings come from environment variables (documented in utils/classroom/hub.py):
  CLASS_PASSWORD (>= 8 chars), TEACHER_PASSWORD (>= 32 chars), HUB_DIR (state, homes, course
  template; default classroom/hub/run), HUB_PORT (8000), HUB_EXAM=1 (learners get the exam edition).
"""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # the hub process imports the course's own helper package
    sys.path.insert(0, str(REPO))

from utils.classroom.hub import configure  # noqa: E402

configure(get_config(), repo=REPO)  # noqa: F821 - get_config is provided by JupyterHub
