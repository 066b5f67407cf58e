"""JupyterHub configuration for a one-server workshop (see docs/instructor_guide.md).

Run as root (one Unix user per learner), after classroom/hub/install_learner_env.sh:
    sudo HUB_DIR=/srv/classroom-hub HUB_SSL_CERT=… HUB_SSL_KEY=… jupyterhub -f classroom/hub/jupyterhub_config.py
Settings come from environment variables and files in the root-only HUB_DIR (the roster
``allowed_users``); no password or secret is passed in the environment.  All of them are
documented in utils/classroom/hub.py.
"""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # the hub process imports the course's own helper package
    sys.path.insert(0, str(REPO))

from utils.classroom.hub import configure  # noqa: E402

configure(get_config(), repo=REPO)  # noqa: F821 - get_config is provided by JupyterHub
