"""JupyterHub for a class on one server: the logic behind ``classroom/hub/jupyterhub_config.py``.

What a class gets (the pattern of The Littlest JupyterHub; tested end to end in tests/test_hub.py)
------------------------------------------------------------------------------------------------
- **One Unix user per learner.** JupyterHub's ``LocalProcessSpawner`` starts hub user ``amy`` as
  the system user ``jupyter-amy`` (:mod:`utils.classroom.hubusers`), which the hub creates with a
  0700 home.  No learner process runs as root or as the hub's user; the allow-root flag is never
  passed.  The hub runs as root from a root-only state folder (``HUB_DIR``, forced to 0700; the
  database, cookie secret, password hashes, course templates and the classroom database live
  there) with ``os.umask(0o077)``.  No secret reaches the hub through its environment.
- **Own passwords.** ``FirstUseAuthenticator``: each learner on the roster (``HUB_ROSTER``, one
  name a line, default ``$HUB_DIR/allowed_users``) sets a password at first login; the teacher
  (``TEACHER_USER``, default ``teacher``) is the hub's admin.
- **TLS.** ``HUB_SSL_CERT``/``HUB_SSL_KEY`` (the proxy terminates TLS; cookies are ``Secure``).
  Without them the hub only listens on 127.0.0.1.  ``concurrent_spawn_limit`` and
  ``active_server_limit`` (``HUB_CONCURRENT_SPAWN_LIMIT``, ``HUB_ACTIVE_SERVER_LIMIT``);
  ``jupyterhub-idle-culler`` as a hub-managed service (``HUB_CULL_TIMEOUT``, ``HUB_CULL_EVERY``).
- **Stock servers.** The unmodified ``jupyterhub-singleuser`` of the learners' environment
  (``HUB_LEARNER_ENV``, built by ``classroom/hub/install_learner_env.sh`` from ``/usr/bin/python3``
  outside any private folder), configured only by command-line options (``SERVER_ARGS``).
- **The record on the hub.** The ``classroom`` service (:mod:`utils.classroom.service`) receives
  every ``check()`` with the learner's own API token, keeps it in its own SQLite database and
  shows the teacher the class live at ``/services/classroom/``; kernels find it through
  ``CLASSROOM_SERVICE_URL`` (:mod:`utils.exercises.hubclient`).
- a course template built **once at hub start** (notebooks, utils, data; validated there);
  the first start of a user copies it to ``~/course`` (owned by the user) and never overwrites it.
  With ``HUB_EXAM=1`` learners get the exam edition while the teacher keeps the full course.
- ``HUB_DEV_MODE=1``: ``SimpleLocalProcessSpawner`` (every server runs as the hub's own,
  non-root user; no isolation) for development only; the hub prints a warning at start.

Environment: ``HUB_DIR`` (default ``classroom/hub/run``), ``HUB_IP`` (127.0.0.1), ``HUB_PORT``
(8000), ``HUB_API_PORT`` (8081), ``HUB_PROXY_API_PORT`` (8001), ``HUB_CLASSROOM_PORT`` (10101),
``HUB_SERVER_PORTS`` (20000-27999), ``HUB_HOME_BASE`` (useradd's default, /home),
``HUB_USER_PREFIX`` (``jupyter-``), ``HUB_RUNTIME_BASE`` (``/run/classroom-hub``: short private
folders for the kernels' Unix sockets), ``HUB_LEARNER_ENV`` (``/opt/classroom/learner-env``),
``HUB_PROXY_CMD`` (default ``classroom/hub/node_modules/.bin/configurable-http-proxy``), and the
ones above.  A file ``$HUB_DIR/driver_token`` (0600) adds the ``classroom-driver`` service with
admin scopes, used by tests and the load benchmark.
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
    # folder: no race, and other local users cannot reach the kernel (the spawner points
    # JUPYTER_RUNTIME_DIR at a short private folder, so the socket paths fit in 107 bytes).
    "--KernelManager.transport=ipc",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
    "--ServerApp.jpserver_extensions=notebook_shim=False",
    "--LabApp.extension_manager=readonly",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
#: environment settings of every single-user server (and so of its kernels), documented knobs of
#: the libraries as shipped; the Kubernetes example sets the same (tests/test_classroom.py)
SERVER_ENV = {
    # the server validates a notebook on every open and save.  nbformat's default validator
    # (fastjsonschema) first generates and compiles Python code for the whole schema: +10.7 MB
    # of RSS kept for the server's life, to save ≈ 35 ms per open/save of a chapter notebook.
    "NBFORMAT_VALIDATOR": "jsonschema",
    # glibc's malloc raises its mmap threshold each time a large block is freed, so the next large
    # buffers (a chart's 2-3 MB pixel buffer, its PNG) come from the heap and stay there, fragmented,
    # after they are freed.  A fixed threshold (mallopt(3), M_MMAP_THRESHOLD: 128 KiB, glibc's own
    # starting value) keeps them in their own mappings, returned at once: a kernel that has drawn
    # every view of chapter 1 keeps ≈ 14 MB less RSS and PSS (docs/capacity.md).
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072",
}
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


#: defaults of the settings read from the environment (see the module docstring)
DEFAULT_LEARNER_ENV = "/opt/classroom/learner-env"
DEFAULT_RUNTIME_BASE = "/run/classroom-hub"
INSTALL_ENV = "classroom/hub/install_learner_env.sh"
#: a hub user name: also part of a Unix user name (lower case, digits, ``_`` and ``-``)
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,30}$"
DEV_WARNING = ("警告：HUB_DEV_MODE=1 是开发模式：所有学员的服务器都以集线器自己的系统用户运行，"
               "学员之间没有隔离。不要用于真实课堂。")


class HubConfigError(SystemExit):
    """A setting the hub must not start with; the message says what to do (in Chinese)."""

    def __init__(self, message: str):
        super().__init__("集线器未启动：" + message)


def read_roster(path: Path) -> tuple[set[str], list[str]]:
    """Names from the roster file (one a line, ``#`` comments); and the lines refused, with why."""
    import re

    names, bad = set(), []
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read(1_000_000)
    except FileNotFoundError:
        return names, bad
    except (OSError, UnicodeDecodeError) as exc:
        raise HubConfigError(f"名单文件 {path} 读不了（{type(exc).__name__}）。") from None
    for n, line in enumerate(text.splitlines(), start=1):
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        if re.fullmatch(USERNAME_PATTERN, name):
            names.add(name)
        else:
            bad.append(f"第 {n} 行 {name[:40]!r}：用户名只能用小写字母开头，由小写字母、数字、_ 和 - 组成，最多 31 个字符")
    return names, bad


def readable_by_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` (its real target included) that other users
    cannot enter, or None when everybody can reach and run it."""
    import stat

    real = Path(os.path.realpath(path))
    for p in [*reversed(real.parents), real]:
        try:
            mode = os.stat(p).st_mode
        except OSError:
            return p
        if p != real or stat.S_ISDIR(mode):
            need = stat.S_IXOTH  # folders on the way: others may enter
        else:  # the file itself: others may read it, and run it when it is a program
            need = stat.S_IROTH | (stat.S_IXOTH if mode & stat.S_IXUSR else 0)
        if mode & need != need:
            return p
    return None


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700, owned by us; refuse one owned by someone else."""
    path.mkdir(parents=True, exist_ok=True)
    st = os.lstat(path)
    if st.st_uid != os.getuid() or not os.path.isdir(path) or os.path.islink(path):
        raise HubConfigError(f"状态文件夹 {path} 不属于运行集线器的用户。")
    os.chmod(path, 0o700)
    return path


def user_runtime_dir(base: Path, entry) -> Path:
    """``base/<unix name>``: 0700, owned by the user, in a folder only root can write in (the
    kernels' Unix sockets need a path shorter than 107 bytes; a home under a long base is too long)."""
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o711)
    path = base / entry.pw_name
    try:
        st = os.lstat(path)
        if not os.path.isdir(path) or os.path.islink(path) or st.st_uid != entry.pw_uid:
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else path.unlink()
            raise FileNotFoundError
    except FileNotFoundError:
        path.mkdir(mode=0o700)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chmod(path, 0o700)
    return path


def configure(c, repo: Path | None = None) -> None:
    """Fill a JupyterHub config object ``c`` (see the module docstring)."""
    env = os.environ
    repo = Path(repo or repo_root())
    hub_dir = private_dir(Path(env.get("HUB_DIR") or repo / "classroom" / "hub" / "run").resolve())
    teacher = env.get("TEACHER_USER", "teacher")
    exam = env.get("HUB_EXAM", "").lower() in ("1", "true", "yes")
    dev = env.get("HUB_DEV_MODE", "").lower() in ("1", "true", "yes")
    is_root = hasattr(os, "getuid") and os.getuid() == 0
    ip = env.get("HUB_IP", "127.0.0.1")
    cert, key = env.get("HUB_SSL_CERT"), env.get("HUB_SSL_KEY")
    learner_env = Path(env.get("HUB_LEARNER_ENV") or DEFAULT_LEARNER_ENV)
    prefix = env.get("HUB_USER_PREFIX", "jupyter-")
    home_base = env.get("HUB_HOME_BASE", "")
    runtime_base = Path(env.get("HUB_RUNTIME_BASE") or DEFAULT_RUNTIME_BASE)
    service_port = int(env.get("HUB_CLASSROOM_PORT", "10101"))

    # -- refuse what is not safe --------------------------------------------------------------
    if dev:
        if is_root:
            raise HubConfigError("开发模式（HUB_DEV_MODE=1）不能以 root 运行：学员的服务器会以 root 运行。")
        print(DEV_WARNING, file=sys.stderr, flush=True)
    elif not is_root:
        raise HubConfigError("每名学员一个系统用户，集线器需要以 root 运行（只在本机开发时可设 HUB_DEV_MODE=1）。")
    loopback = ip in ("127.0.0.1", "localhost", "::1")
    if bool(cert) != bool(key):
        raise HubConfigError("HUB_SSL_CERT 和 HUB_SSL_KEY 要同时设置。")
    if not cert and not loopback:
        raise HubConfigError(f"HUB_IP={ip} 会让密码在网络上明文传输：请用 HUB_SSL_CERT / HUB_SSL_KEY 提供证书。")
    singleuser = learner_env / "bin" / "jupyterhub-singleuser"
    if not os.access(singleuser, os.X_OK):
        raise HubConfigError(f"找不到学员的 Python 环境 {learner_env}：先运行 {INSTALL_ENV} {learner_env}")
    if not dev:
        blocked = readable_by_others(learner_env / "bin" / "python")
        if blocked:
            raise HubConfigError(f"学员的 Python 环境要经过 {blocked}，学员的系统用户进不去：用 {INSTALL_ENV} "
                                 "在所有人可读的位置（如 /opt）重建。")
    if not dev and readable_by_others(repo / "utils" / "lessons") is None:
        raise HubConfigError(f"其他系统用户能进入课程仓库 {repo}（完整课程含答案）：把它放进只有 root 能进的文件夹"
                             "（如 chmod 700 /opt/classroom/course）。")
    roster_path = Path(env.get("HUB_ROSTER") or hub_dir / "allowed_users")
    learners, bad = read_roster(roster_path)
    for line in bad:
        print(f"名单 {roster_path} 跳过 {line}", file=sys.stderr, flush=True)

    # -- hub, proxy, state ----------------------------------------------------------------------
    os.umask(0o077)  # database, pid file, password hashes: 0600; learners' servers inherit it
    port = int(env.get("HUB_PORT", "8000"))
    c.JupyterHub.bind_url = f"{'https' if cert else 'http'}://{ip}:{port}"
    if cert:
        c.JupyterHub.ssl_cert = cert
        c.JupyterHub.ssl_key = key
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(env.get("HUB_API_PORT", "8081"))
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(env.get('HUB_PROXY_API_PORT', '8001'))}"
    c.ConfigurableHTTPProxy.command = [str(proxy_command(repo))]
    c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "jupyterhub-proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server
    c.JupyterHub.concurrent_spawn_limit = int(env.get("HUB_CONCURRENT_SPAWN_LIMIT", "40"))
    c.JupyterHub.active_server_limit = int(env.get("HUB_ACTIVE_SERVER_LIMIT", "80"))

    # -- users and passwords ---------------------------------------------------------------------
    from .hubusers import RosterFirstUseAuthenticator, UnixUserSpawner

    c.JupyterHub.authenticator_class = RosterFirstUseAuthenticator
    c.FirstUseAuthenticator.dbm_path = str(hub_dir / "passwords.dbm")
    c.FirstUseAuthenticator.min_password_length = 8
    c.Authenticator.allowed_users = learners
    c.Authenticator.admin_users = {teacher}
    c.Authenticator.username_pattern = USERNAME_PATTERN
    c.RosterFirstUseAuthenticator.system_user_prefix = prefix
    c.RosterFirstUseAuthenticator.home_base = home_base if not dev else ""
    if dev:
        homes = hub_dir / "homes"
        homes.mkdir(exist_ok=True)
        c.RosterFirstUseAuthenticator.create_system_users = False
        c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
        c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
    else:
        c.JupyterHub.spawner_class = UnixUserSpawner
        c.UnixUserSpawner.system_user_prefix = prefix
        c.UnixUserSpawner.home_base = home_base

    # -- services: the classroom record + live view, the idle culler, the test driver -----------
    service_url = f"http://127.0.0.1:{service_port}"
    services = [
        {"name": "classroom", "url": service_url, "oauth_no_confirm": True, "cwd": str(hub_dir),
         "command": [sys.executable, "-m", "utils.classroom.service"],
         "environment": {"PYTHONPATH": str(repo), "CLASSROOM_DB": str(hub_dir / "classroom.sqlite")}},
        {"name": "idle-culler", "cwd": str(hub_dir),  # it reads ./idle_culler_config.py from its cwd
         "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                     f"--timeout={int(env.get('HUB_CULL_TIMEOUT', '3600'))}",
                     f"--cull-every={int(env.get('HUB_CULL_EVERY', '300'))}"]},
    ]
    roles = [
        # who may open the live view: the teacher (as admin, already) and any TA added here
        {"name": "classroom-viewer", "users": [teacher], "scopes": ["access:services!service=classroom"]},
        {"name": "idle-culler", "services": ["idle-culler"],
         "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    ]
    token_file = hub_dir / "driver_token"
    if token_file.is_file():
        services.append({"name": "classroom-driver", "api_token": token_file.read_text().strip()})
        roles.append({"name": "classroom-driver", "services": ["classroom-driver"], "scopes": SERVICE_SCOPES})
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles

    # -- single-user servers: stock jupyterhub-singleuser, configured by options ----------------
    c.Spawner.ip = "127.0.0.1"
    c.Spawner.cmd = [str(singleuser)]
    c.Spawner.args = SERVER_ARGS + LEARNER_ONLY_ARGS  # never the allow-root flag
    c.Spawner.default_url = "/lab/tree/course/notebooks/01_organisation.ipynb"
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"]  # nothing else of the hub's environment
    learner_bin = learner_env / "bin"

    def home_of(spawner) -> Path:
        return Path(spawner.home_dir) if dev else Path(spawner.passwd().pw_dir)

    environment = {
        "PATH": f"{learner_bin}:/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": lambda sp: str(home_of(sp) / "course"),
        "COURSE_ATTEMPTS": lambda sp: str(home_of(sp) / "course" / "notebooks" / "attempts.jsonl"),
        "CLASSROOM_SERVICE_URL": f"{service_url}/services/classroom/",
        **SERVER_ENV,
    }
    if env.get("HUB_ACTIVITY_INTERVAL"):  # how often a server reports activity (tests: seconds)
        environment["JUPYTERHUB_ACTIVITY_INTERVAL"] = str(int(env["HUB_ACTIVITY_INTERVAL"]))
    if not dev:
        environment["JUPYTER_RUNTIME_DIR"] = lambda sp: str(runtime_base / sp.system_user)
    c.Spawner.environment = environment

    full = build_template(repo, hub_dir / "course-template")
    learners_template = build_template(repo, hub_dir / "course-template-exam", exam=True) if exam else full
    skeleton = build_home_skeleton(hub_dir / "home-skeleton")

    first, _, last = env.get("HUB_SERVER_PORTS", "%d-%d" % SERVER_PORTS).partition("-")
    ports = PortBook(int(first), int(last))

    def pre_spawn(spawner):
        spawner.port = ports.port_for(spawner.user.name)
        is_teacher = spawner.user.name == teacher
        home = home_of(spawner)
        copied = copy_course(full if is_teacher else learners_template, home)
        copy_skeleton(skeleton, home)
        if not dev:
            from .hubusers import chown_tree

            entry = spawner.passwd()
            if copied:
                chown_tree(home / "course", entry.pw_uid, entry.pw_gid)
            for top in {p.relative_to(skeleton).parts[0] for p in skeleton.iterdir()}:
                chown_tree(home / top, entry.pw_uid, entry.pw_gid)
            user_runtime_dir(runtime_base, entry)
        if is_teacher:
            # the teacher keeps terminals (a new list: the configured one may be shared)
            spawner.args = [a for a in spawner.args if a not in LEARNER_ONLY_ARGS]

    c.Spawner.pre_spawn_hook = pre_spawn
