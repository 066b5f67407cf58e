"""JupyterHub for a one-server workshop: the logic behind ``classroom/hub/jupyterhub_config.py``.

What a class gets
-----------------
- ``shared-password`` authentication (built into JupyterHub ≥ 5.3): every learner types any user
  name and the class password (≥ 8 characters, ``CLASS_PASSWORD``); the teacher logs in as
  ``TEACHER_USER`` (default ``teacher``) with ``TEACHER_PASSWORD`` (≥ 32 characters) and is a hub admin.
  Anyone with the class password can log in as any non-admin user: fine for a workshop room,
  not for graded work that must be protected between learners.
- ``SimpleLocalProcessSpawner``: each user gets ``$HUB_DIR/homes/<name>`` as home and working
  directory.  **Testing and a trusted room only**: all servers run as the hub's own OS user, so
  there is no isolation between learners.  A real class uses The Littlest JupyterHub
  (SystemdSpawner, one Unix user per learner) or Zero to JupyterHub (one pod per learner); see
  docs/instructor_guide.md.
- a course template built **once at hub start** (notebooks, utils, data; the data package is
  validated there, so learners' kernels find the validation stamp and skip the 3-second check);
  ``pre_spawn_hook`` copies it to ``~/course`` on a user's first start and never overwrites it.
  With ``HUB_EXAM=1`` learners get the exam edition (``python -m utils.classroom exam``) while
  the teacher keeps the full course (the key for ``grade``).
- a home skeleton built once at hub start (matplotlib's font list), copied into each new home.
- lean servers (``SERVER_ARGS``, ``LEARNER_ONLY_ARGS``) started by classroom/hub/singleuser.py;
  see there and tests/bench_hub.py for what each change saves.
- kernels import the learner's own copy (``PYTHONPATH=~/course``); every ``check()`` appends to
  ``~/course/notebooks/attempts.jsonl`` (``COURSE_ATTEMPTS``).
- the teacher's server gets ``COURSE_HOMES`` (all homes) so that, in a terminal or a notebook::

      python -m utils.classroom report "$COURSE_HOMES" --out ~/class-report

- an optional service token (``HUB_SERVICE_TOKEN``) with admin scopes, used by tests and the load
  benchmark to create users and start servers through the REST API.

Environment: ``HUB_DIR`` (default ``classroom/hub/run``), ``HUB_PORT`` (8000), ``HUB_API_PORT``
(8081), ``HUB_PROXY_API_PORT`` (8001), ``HUB_IP`` (127.0.0.1), ``HUB_SERVER_PORTS`` (20000-27999,
the learners' servers, below the ephemeral ports kernels use), ``HUB_EXAM``, ``CLASS_PASSWORD``,
``TEACHER_PASSWORD``, ``TEACHER_USER``, ``HUB_SERVICE_TOKEN``, ``HUB_PROXY_CMD`` (path of
``configurable-http-proxy``; default ``classroom/hub/node_modules/.bin/configurable-http-proxy``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: what a learner's course copy holds (relative to the repository root)
COURSE_PARTS = ("notebooks", "utils", "data", "README.md", "requirements.txt", "pyproject.toml")
_IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "attempts*.jsonl", "*.pyc", ".validated.json")

#: what every course server leaves out (measured on this machine with tests/bench_hub.py, N=1):
#: the language-server bridge and the classic-notebook shim (nobody in the course uses them),
#: the JupyterLab extension manager (read-only: nothing is installed from a server), news feed and
#: update check (they reach the internet from every learner's browser tab).
SERVER_ARGS = [
    # kernels talk to their server over Unix sockets, not TCP ports on 127.0.0.1.  With TCP, every
    # server picks five "free" ports per kernel and a kernel binds them a moment later; in a start
    # storm two learners' kernels pick the same port and one dies ("Address already in use": seen
    # in 3 of 10 runs of tests/bench_hub.py at N = 30-40).  jupyter_client then restarts it on the
    # same cached ports, so it never comes up.  Sockets are files in the learner's own runtime
    # folder: no race, and other local users cannot reach the kernel (classroom/hub/singleuser.py
    # keeps their paths short enough).
    "--KernelManager.transport=ipc",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
    "--ServerApp.jpserver_extensions=notebook_shim=False",
    "--LabApp.extension_manager=readonly",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
#: learners work in notebooks only; the teacher keeps terminals (``python -m utils.classroom report``)
LEARNER_ONLY_ARGS = [
    "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
    "--ServerApp.terminals_enabled=False",
]

#: learners' servers listen on ports below Linux's ephemeral range.  Kernels (5 ports each) and a
#: server started with port 0 all pick "free" ports from the ephemeral range at the same moment, so
#: in a start storm a kernel can take the port a server was just given: seen on main at N=30, the
#: hub polled a learner's server port and got a ZeroMQ greeting ("Bad status line … \xff\x00…\x7f")
#: and the spawn failed.  ``HUB_SERVER_PORTS`` ("first-last") overrides the range.
SERVER_PORTS = (20000, 27999)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class PortBook:
    """One server port per user from a range outside the ephemeral ports; a user keeps their port."""

    def __init__(self, first: int, last: int):
        import random

        self.ports = list(range(first, last + 1))
        random.shuffle(self.ports)  # two hubs on one machine rarely try the same port first
        self.by_user: dict[str, int] = {}

    def port_for(self, user: str) -> int:
        port = self.by_user.get(user)
        if port is not None and _port_free(port):
            return port
        taken = set(self.by_user.values())
        for port in self.ports:
            if port not in taken and _port_free(port):
                self.by_user[user] = port
                return port
        return 0  # range exhausted: let JupyterHub pick a random port as before


SERVICE_SCOPES = ["admin:users", "admin:servers", "access:servers", "tokens", "list:users", "read:users"]


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def proxy_command(repo: Path | None = None) -> Path:
    """Where ``npm ci`` in classroom/hub puts the proxy (or ``HUB_PROXY_CMD``)."""
    if os.environ.get("HUB_PROXY_CMD"):
        return Path(os.environ["HUB_PROXY_CMD"])
    return (repo or repo_root()) / "classroom" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"


def launcher(repo: Path | None = None):
    """classroom/hub/singleuser.py as a module (it is a script, not part of the utils package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "hub_singleuser", (repo or repo_root()) / "classroom" / "hub" / "singleuser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_template(src: Path, dest: Path, *, exam: bool = False) -> Path:
    """Snapshot the course into ``dest`` (replacing it) and validate its data package once."""
    tmp = dest.with_name(dest.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if exam:
        subprocess.run([sys.executable, "-m", "utils.classroom", "exam", str(tmp / "course"), "--force"],
                       cwd=src, check=True, env={**os.environ, "PYTHONPATH": str(src)})
        built = tmp / "course"
        for item in built.iterdir():
            item.rename(tmp / item.name)
        built.rmdir()
    else:
        for part in COURSE_PARTS:
            path = src / part
            if path.is_dir():
                shutil.copytree(path, tmp / part, ignore=_IGNORE)
            elif path.is_file():
                shutil.copy2(path, tmp / part)
    # validate every table once, here (writes data/.validated.json into the template)
    code = ("import json, utils\n"
            "for r in json.load(open('data/datapackage.json'))['resources']:\n"
            "    utils.validate_table(r['name'])\n")
    subprocess.run([sys.executable, "-c", code], cwd=tmp, check=True,
                   env={**os.environ, "PYTHONPATH": str(tmp)})
    # bytecode once, here: copies keep the sources' times, so learners' kernels do not compile again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tmp / "utils")], check=True)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def build_home_skeleton(dest: Path) -> Path:
    """What every new home starts with, built once at hub start (like /etc/skel): matplotlib's font
    list (``~/.cache/matplotlib/fontlist-*.json``).  Without it every learner's first kernel scans
    the system fonts and runs ``fc-list`` (measured: 0.38 → 0.25 CPU-s for ``import
    matplotlib.font_manager``, mean of 4)."""
    tmp = dest.with_name(dest.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME")}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], cwd=tmp, check=True,
                   env={**env, "HOME": str(tmp)})
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def copy_skeleton(skeleton: Path, home: Path) -> None:
    """Copy the skeleton's files into ``home``; a file the learner already has is kept."""
    for src in skeleton.rglob("*"):
        target = home / src.relative_to(skeleton)
        if src.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def copy_course(template: Path, home: Path) -> bool:
    """Copy the template to ``home/course`` unless it is already there; True if copied."""
    dest = home / "course"
    if dest.exists():
        return False
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / ".course-copying"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(template, tmp)
    tmp.rename(dest)  # atomic: a half-copied course is never seen as ~/course
    return True


def configure(c, repo: Path | None = None) -> None:
    """Fill a JupyterHub config object ``c``."""
    env = os.environ
    repo = Path(repo or repo_root())
    hub_dir = Path(env.get("HUB_DIR") or repo / "classroom" / "hub" / "run").resolve()
    homes = hub_dir / "homes"
    homes.mkdir(parents=True, exist_ok=True)
    venv_bin = Path(sys.executable).parent
    ip = env.get("HUB_IP", "127.0.0.1")
    teacher = env.get("TEACHER_USER", "teacher")
    exam = env.get("HUB_EXAM", "").lower() in ("1", "true", "yes")

    c.JupyterHub.ip = ip
    c.JupyterHub.port = int(env.get("HUB_PORT", "8000"))
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(env.get("HUB_API_PORT", "8081"))
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(env.get('HUB_PROXY_API_PORT', '8001'))}"
    c.ConfigurableHTTPProxy.command = [str(proxy_command(repo))]
    c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "jupyterhub-proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env.get("CLASS_PASSWORD")
    c.SharedPasswordAuthenticator.admin_password = env.get("TEACHER_PASSWORD")
    c.Authenticator.admin_users = {teacher}
    c.Authenticator.allow_all = True  # or a roster: c.Authenticator.allowed_users = {...}

    if env.get("HUB_SERVICE_TOKEN"):
        c.JupyterHub.services = [{"name": "classroom-driver", "api_token": env["HUB_SERVICE_TOKEN"]}]
        c.JupyterHub.load_roles = [{"name": "classroom-driver", "services": ["classroom-driver"],
                                    "scopes": SERVICE_SCOPES}]

    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
    c.Spawner.ip = "127.0.0.1"
    # classroom/hub/singleuser.py runs jupyterhub-singleuser with an import-time grammar build deferred
    c.Spawner.cmd = [sys.executable, str(repo / "classroom" / "hub" / "singleuser.py")]
    root = ["--allow-root"] if hasattr(os, "getuid") and os.getuid() == 0 else []
    c.Spawner.args = root + SERVER_ARGS + LEARNER_ONLY_ARGS
    c.Spawner.default_url = "/lab/tree/course/notebooks/01_organisation.ipynb"
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.Spawner.environment = {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": lambda sp: str(Path(sp.home_dir) / "course"),
        "COURSE_ATTEMPTS": lambda sp: str(Path(sp.home_dir) / "course" / "notebooks" / "attempts.jsonl"),
        # the server validates a notebook on every open and save.  nbformat's default validator
        # (fastjsonschema) first generates and compiles Python code for the whole schema: +10.7 MB
        # of RSS kept for the server's life, to save ≈ 35 ms per open/save of a chapter notebook.
        # In a class memory is the scarcer resource (measured: opening chapter 1 in JupyterLab
        # took the server from 87 to 107 MB; with jsonschema to 97 MB).
        "NBFORMAT_VALIDATOR": "jsonschema",
    }

    full = build_template(repo, hub_dir / "course-template")
    learners = build_template(repo, hub_dir / "course-template-exam", exam=True) if exam else full
    skeleton = build_home_skeleton(hub_dir / "home-skeleton")

    first, _, last = env.get("HUB_SERVER_PORTS", "%d-%d" % SERVER_PORTS).partition("-")
    ports = PortBook(int(first), int(last))

    def pre_spawn(spawner):
        spawner.port = ports.port_for(spawner.user.name)
        home = Path(spawner.home_dir)
        is_teacher = spawner.user.name == teacher
        copy_course(full if is_teacher else learners, home)
        copy_skeleton(skeleton, home)
        if is_teacher:
            # a new dict: the configured one may be shared between spawners
            spawner.environment = {**spawner.environment, "COURSE_HOMES": str(homes)}
            spawner.args = [a for a in spawner.args if a not in LEARNER_ONLY_ARGS]

    c.Spawner.pre_spawn_hook = pre_spawn
