"""Drive a local JupyterHub like a class does: start it, log learners in over HTTPS, run code in
their kernels over the kernel websocket, stop everything by PID.  Used by tests/test_hub.py and
tests/bench_hub.py.  Talks to 127.0.0.1 only; every wait is bounded.

The hub is the real thing (:mod:`utils.classroom.hub`): it runs as root, each user's server runs
as that user's own Unix account (created by the hub with a test prefix, removed by :meth:`Hub.stop`),
TLS with a self-signed certificate made here (with a subjectAltName: clients ignore the CN).

Needs ``requests`` and ``websocket-client`` (both come with JupyterLab), ``psutil`` and ``openssl``.
"""
from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from .hub import DEFAULT_LEARNER_ENV, INSTALL_ENV, SERVICE_SCOPES, proxy_command, repo_root

HUB_CONFIG = "classroom/hub/jupyterhub_config.py"
#: how a single-user server's command line looks
SERVER_MARKS = ("jupyterhub-singleuser",)
PROXY_INSTALL = "cd classroom/hub && npm ci   # installs configurable-http-proxy@5.3.0 from package-lock.json"
#: what the course copy needs to start a hub (copied to a private folder by :func:`private_course`)
COURSE_FILES = ("utils", "notebooks", "data", "classroom/hub/jupyterhub_config.py", "README.md",
                "requirements.txt", "requirements-dev.txt", "pyproject.toml", "jupyter-config")


def free_ports(n: int) -> list[int]:
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def proxy_available(repo: Path | None = None) -> bool:
    return proxy_command(repo).exists()


def learner_env() -> Path:
    return Path(os.environ.get("HUB_LEARNER_ENV") or DEFAULT_LEARNER_ENV)


def install_learner_env(repo: Path | None = None, target: Path | None = None) -> Path:
    """Run the repository's install step for the learners' environment (quick when up to date)."""
    repo = Path(repo or repo_root())
    target = Path(target or learner_env())
    subprocess.run(["bash", str(repo / INSTALL_ENV), str(target)], check=True, timeout=1800)
    return target


def private_course(repo: Path, dest: Path) -> Path:
    """A copy of the course that only root can read, to start the hub from: the teacher's
    materials (the full lessons are the answer key) must be out of the learners' reach."""
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o700)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "node_modules", "attempts*.jsonl")
    for part in COURSE_FILES:
        src, target = repo / part, dest / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, ignore=ignore, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, target)
    return dest


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (with a SAN), valid one day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    os.chmod(key, 0o600)
    return cert, key


class Session(requests.Session):
    """A browser-like session that trusts the hub's own certificate on every request
    (``REQUESTS_CA_BUNDLE`` in the environment would override a session-wide ``verify``)."""

    def __init__(self, ca: str | bool):
        super().__init__()
        self.ca = ca

    def request(self, method, url, **kw):
        kw.setdefault("verify", self.ca)
        kw.setdefault("timeout", 60)
        return super().request(method, url, **kw)


class Hub:
    """A JupyterHub (as root) with its own state folder, on free 127.0.0.1 ports, over HTTPS."""

    def __init__(self, hub_dir: Path, *, repo: Path | None = None, learners=(), exam: bool = False,
                 extra_env: dict | None = None, prefix: str | None = None, home_base: Path | None = None):
        self.dir = Path(hub_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        self.repo = Path(repo or repo_root())
        self.port, self.api_port, self.proxy_api_port, self.service_port = free_ports(4)
        self.base = f"https://127.0.0.1:{self.port}"
        self.ws_base = f"wss://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.teacher = "teacher"
        self.learners = list(learners)
        self.passwords = {name: "pw-" + secrets.token_hex(8) for name in [*self.learners, self.teacher]}
        self.exam = exam
        self.extra_env = extra_env or {}
        # a prefix of our own: the hub's Unix accounts never meet real ones, and are removed at stop
        self.prefix = prefix or f"t{secrets.token_hex(2)}-"
        self.home_base = Path(home_base or tempfile.mkdtemp(prefix="classroom-homes-", dir="/var/tmp"))
        os.chmod(self.home_base, 0o755)
        self.runtime_base = Path(tempfile.mkdtemp(prefix="chr-", dir="/tmp"))
        self.proc: subprocess.Popen | None = None
        self.log_path = self.dir / "hub.log"
        self.start_s = None
        self._procs_seen: dict = {}  # pid -> (Process, ppid, user or None), see user_processes
        self.cert, self.key = make_certificate(self.dir)
        (self.dir / "driver_token").write_text(self.token)
        os.chmod(self.dir / "driver_token", 0o600)
        (self.dir / "allowed_users").write_text("".join(f"{n}\n" for n in self.learners))

    # -- process ---------------------------------------------------------------
    def env(self) -> dict:
        keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "HOME", "TZ") if k in os.environ}
        return {**keep, "HUB_DIR": str(self.dir), "HUB_PORT": str(self.port),
                "HUB_API_PORT": str(self.api_port), "HUB_PROXY_API_PORT": str(self.proxy_api_port),
                "HUB_CLASSROOM_PORT": str(self.service_port), "HUB_SSL_CERT": str(self.cert),
                "HUB_SSL_KEY": str(self.key), "TEACHER_USER": self.teacher, "HUB_USER_PREFIX": self.prefix,
                "HUB_HOME_BASE": str(self.home_base), "HUB_RUNTIME_BASE": str(self.runtime_base),
                "HUB_LEARNER_ENV": str(learner_env()), "HUB_PROXY_CMD": str(proxy_command()),
                "HUB_EXAM": "1" if self.exam else "", "PYTHONPATH": str(self.repo), **self.extra_env}

    def start(self, timeout: float = 120) -> float:
        t0 = time.monotonic()
        self._log = open(self.log_path, "w")
        exe = Path(sys.executable).parent / "jupyterhub"
        self.proc = subprocess.Popen([str(exe), "-f", str(self.repo / HUB_CONFIG)], cwd=self.dir, env=self.env(),
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if self.api("GET", "/").status_code == 200:
                    self.start_s = time.monotonic() - t0
                    return self.start_s
            except requests.ConnectionError:
                pass
            time.sleep(0.25)
        raise TimeoutError(f"hub did not answer within {timeout} s: {self.log_tail()}")

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM to the hub (it stops every server, its services and its proxy), then SIGKILL
        what is left by PID; remove the Unix accounts, homes and runtime folders it made."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._kill_leftovers()
        self.remove_accounts()
        shutil.rmtree(self.runtime_base, ignore_errors=True)
        if hasattr(self, "_log"):
            self._log.close()

    def accounts(self) -> list[pwd.struct_passwd]:
        """The Unix accounts this hub created (its prefix)."""
        return [p for p in pwd.getpwall() if p.pw_name.startswith(self.prefix)]

    def system_name(self, name: str) -> str:
        from .hubusers import system_username

        return system_username(name, self.prefix)

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(self.system_name(name)).pw_dir)

    def remove_accounts(self) -> None:
        for entry in self.accounts():
            subprocess.run(["userdel", "--remove", entry.pw_name], capture_output=True, timeout=60,
                           env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        shutil.rmtree(self.home_base, ignore_errors=True)

    def _kill_leftovers(self) -> None:
        """Single-user servers, kernels, services and the proxy this hub started, by their PIDs."""
        for pid in self.user_pids() + self._proxy_pid():
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _proxy_pid(self) -> list[int]:
        try:
            return [int((self.dir / "jupyterhub-proxy.pid").read_text().strip())]
        except (OSError, ValueError):
            return []

    def user_pids(self) -> list[int]:
        pids = []
        for user, procs in self.user_processes().items():
            pids += [p.pid for p in procs]
        return pids

    def user_processes(self) -> dict:
        """{hub user: [psutil.Process …]}: each single-user server of this hub, then its kernels.

        A server is the hub's child running ``jupyterhub-singleuser``; its user is its Unix
        account without this hub's prefix.  One listing of /proc per call; a process's parent,
        command line and owner are read once it is a second old (a sampler calls this twice a
        second for the whole class; a younger process may still be between fork and exec).
        """
        import psutil

        known = self._procs_seen
        pids = set(psutil.pids())
        for pid in known.keys() - pids:
            del known[pid]
        seen = dict(known)
        by_uid = {p.pw_uid: p.pw_name for p in self.accounts()}
        for pid in pids - known.keys():
            try:
                p = psutil.Process(pid)
                with p.oneshot():
                    ppid, cmd, born = p.ppid(), " ".join(p.cmdline()), p.create_time()
                    server = any(m in cmd for m in SERVER_MARKS) and (self.proc is None or ppid == self.proc.pid)
                    uid = p.uids().real if server else None
            except psutil.Error:
                continue
            account = by_uid.get(uid)
            user = account[len(self.prefix):] if account else None
            seen[pid] = (p, ppid, user)
            if time.time() - born > 1.0:
                known[pid] = seen[pid]
        kids = {}
        for p, ppid, _ in seen.values():
            kids.setdefault(ppid, []).append(p)
        out = {}
        for p, _, user in seen.values():
            if user is None:
                continue
            procs, todo = [p], [p.pid]
            while todo:
                for child in kids.get(todo.pop(), []):
                    procs.append(child)
                    todo.append(child.pid)
            out[user] = procs
        return out

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- REST API (service token) -----------------------------------------------
    def api(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("verify", str(self.cert))
        return requests.request(method, f"{self.base}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kw)

    def create_users(self, names) -> None:
        r = self.api("POST", "/users", json={"usernames": list(names)})
        if r.status_code not in (201, 409):
            raise RuntimeError(f"create users: {r.status_code} {r.text[:200]}")

    def spawn(self, name: str) -> None:
        r = self.api("POST", f"/users/{name}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"spawn {name}: {r.status_code} {r.text[:200]}")

    def wait_ready(self, name: str, timeout: float = 180) -> float:
        """Wait for a user's server the way the hub's spawn page does: follow the spawn's progress
        event stream (one long request; polling the user model four times a second cost the hub
        ≈ 0.1 CPU-s per learner in a start storm).  Falls back to polling when there is no stream."""
        t0 = time.monotonic()
        try:
            with requests.get(f"{self.base}/hub/api/users/{name}/server/progress", stream=True, verify=str(self.cert),
                              headers={"Authorization": f"token {self.token}"}, timeout=(30, 60)) as r:
                if r.status_code == 200:
                    for line in r.iter_lines():
                        if line.startswith(b"data:"):
                            event = json.loads(line[5:])
                            if event.get("ready"):
                                return time.monotonic() - t0
                            if event.get("failed"):
                                raise RuntimeError(f"server of {name} failed: {event.get('message')} "
                                                   f"{self.log_tail(10)}")
                        if time.monotonic() - t0 > timeout:
                            raise TimeoutError(f"server of {name} not ready after {timeout} s")
        except requests.RequestException:
            pass  # the stream broke: ask the hub directly
        return self._poll_ready(name, t0, timeout)

    def _poll_ready(self, name: str, t0: float, timeout: float) -> float:
        while time.monotonic() - t0 < timeout:
            user = self.api("GET", f"/users/{name}").json()
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - t0
            if time.monotonic() - t0 > 10 and (not server or not (server.get("pending") or server.get("ready"))):
                raise RuntimeError(f"server of {name} is gone: {user} {self.log_tail(10)}")
            time.sleep(0.25)
        raise TimeoutError(f"server of {name} not ready after {timeout} s")

    def use_generated_token(self) -> None:
        """Send every later request with a token the hub generated (the teacher's, an admin) instead
        of the configured service token, as browsers do with the OAuth tokens the hub generates.

        JupyterHub hashes a token given in its configuration with 16,384 rounds of SHA-512, and
        checks it again on every request that carries it, at the hub and (once per server) for a
        learner's server: ≈ 0.9 CPU-s of the hub's in a 30-learner run (py-spy), which a class
        with browsers never spends.  A generated token is checked with one round."""
        self.create_users([self.teacher])
        r = self.api("POST", f"/users/{self.teacher}/tokens",
                     json={"note": "classroom driver", "expires_in": 7200, "scopes": SERVICE_SCOPES})
        r.raise_for_status()
        self.token = r.json()["token"]

    def user_token(self, name: str) -> str:
        r = self.api("POST", f"/users/{name}/tokens", json={"note": "classroom driver", "expires_in": 3600})
        r.raise_for_status()
        return r.json()["token"]

    # -- a learner in a browser ---------------------------------------------------
    def session(self) -> Session:
        return Session(str(self.cert))

    def login(self, name: str, password: str | None = None) -> Session:
        """Log in through the HTML form over HTTPS, like a learner; the first login sets the
        password (FirstUseAuthenticator).  Returns the session holding the hub cookie."""
        s = self.session()
        r = s.get(f"{self.base}/hub/login", timeout=30)
        r.raise_for_status()
        xsrf = s.cookies.get("_xsrf") or re.search(r'name="_xsrf" value="([^"]+)"', r.text).group(1)
        r = s.post(f"{self.base}/hub/login?next=", allow_redirects=False, timeout=30,
                   data={"username": name, "password": password or self.passwords[name], "_xsrf": xsrf})
        if r.status_code != 302:
            raise RuntimeError(f"login {name}: HTTP {r.status_code}")
        return s

    def open_lab(self, name: str, path: str = "course/notebooks/01_organisation.ipynb",
                 token: str | None = None, language: str = "zh_CN") -> int:
        """What a browser asks a learner's server for when JupyterLab opens a notebook: the page and
        its main bundle, the settings of every plugin, the UI translation, the kernel specs and
        the notebook itself (the other bundle chunks are static files the browser caches).
        Returns the bytes received."""
        import re

        headers = {"Authorization": f"token {token or self.token}"}
        base = f"{self.base}/user/{name}"
        got = 0
        page = requests.get(f"{base}/lab/tree/{path}", headers=headers, timeout=120, verify=str(self.cert))
        page.raise_for_status()
        got += len(page.content)
        urls = [u if u.startswith("http") else self.base + u
                for u in re.findall(r'<script[^>]+src="([^"]+)"', page.text)]
        urls += [f"{base}/lab/api/settings", f"{base}/lab/api/translations/{language}",
                 f"{base}/api/kernelspecs", f"{base}/api/contents/{path}?type=notebook&content=1"]
        for url in urls:
            r = requests.get(url, headers=headers, timeout=120, verify=str(self.cert))
            r.raise_for_status()
            got += len(r.content)
        return got

    def kernel(self, name: str, path: str = "course/notebooks/01_organisation.ipynb", token: str | None = None):
        return Kernel(self, name, path, token or self.token)


class Kernel:
    """A kernel in a user's server, over the REST API and the kernel websocket."""

    def __init__(self, hub: Hub, user: str, path: str, token: str):
        import websocket

        self.user = user
        self.verify = str(hub.cert)
        self.headers = {"Authorization": f"token {token}"}
        self.url = f"{hub.base}/user/{user}/api"
        t0 = time.monotonic()
        r = requests.post(f"{self.url}/sessions", headers=self.headers, timeout=120, verify=self.verify,
                          json={"path": path, "type": "notebook", "name": Path(path).name,
                                "kernel": {"name": "python3"}})
        if r.status_code != 201:
            raise RuntimeError(f"session for {user}: {r.status_code} {r.text[:300]}")
        self.session = r.json()
        self.kid = self.session["kernel"]["id"]
        # the kernel message protocol JupyterLab speaks: the server passes message parts through
        # without parsing them (the legacy JSON protocol makes it decode and re-encode every output)
        self.ws = websocket.create_connection(f"{hub.ws_base}/user/{user}/api/kernels/{self.kid}/channels",
                                              header=[f"Authorization: token {token}"], timeout=300,
                                              subprotocols=[WS_PROTOCOL],
                                              sslopt={"ca_certs": self.verify},
                                              # a browser checks UTF-8 natively; websocket-client does
                                              # it in Python (≈ 0.15 CPU-s per learner of the driver's
                                              # time, on the machine under test)
                                              skip_utf8_validation=True)
        self.v1 = self.ws.getsubprotocol() == WS_PROTOCOL
        self.sid = uuid.uuid4().hex
        self.request("kernel_info_request", {})
        self.ready_s = time.monotonic() - t0

    def _msg(self, msg_type: str, content: dict, channel: str) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": self.sid,
                           "username": self.user, "version": "5.3",
                           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}

    def send(self, msg: dict) -> None:
        if self.v1:
            self.ws.send_binary(encode_v1(msg))
        else:
            self.ws.send(json.dumps(msg))

    def recv(self) -> dict:
        frame = self.ws.recv()
        return decode_v1(frame) if self.v1 else decode_ws(frame)

    def request(self, msg_type: str, content: dict, channel: str = "shell", timeout: float = 300):
        msg = self._msg(msg_type, content, channel)
        self.send(msg)
        mid = msg["header"]["msg_id"]
        reply, outputs, idle = None, [], msg_type != "execute_request"
        t0 = time.monotonic()
        while (reply is None or not idle) and time.monotonic() - t0 < timeout:
            m = self.recv()
            if (m.get("parent_header") or {}).get("msg_id") != mid:
                continue
            if m.get("channel") == "shell":
                reply = m
            elif m.get("channel") == "iopub":
                kind = m["msg_type"]
                if kind == "status" and m["content"].get("execution_state") == "idle":
                    idle = True
                elif kind in ("stream", "execute_result", "display_data", "error"):
                    outputs.append(m)
        if reply is None or not idle:
            raise TimeoutError(f"{msg_type} for {self.user}: no reply within {timeout} s")
        return reply, outputs

    def run(self, code: str, timeout: float = 300):
        """Execute ``code``; returns (reply content, output messages)."""
        reply, outputs = self.request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, timeout=timeout)
        return reply["content"], outputs

    def restart(self, timeout: float = 120) -> None:
        """Restart the kernel as the Kernel menu does (REST call; the websocket stays open)."""
        r = requests.post(f"{self.url}/kernels/{self.kid}/restart", headers=self.headers, timeout=timeout,
                          verify=self.verify)
        if r.status_code != 200:
            raise RuntimeError(f"restart for {self.user}: {r.status_code} {r.text[:300]}")

    @staticmethod
    def text(outputs) -> str:
        parts = []
        for m in outputs:
            c = m["content"]
            if m["msg_type"] == "stream":
                parts.append(c["text"])
            elif m["msg_type"] == "error":
                parts.append(f"{c['ename']}: {c['evalue']}")
            elif "data" in c:
                parts.append(c["data"].get("text/plain", ""))
        return "".join(parts)

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            try:
                requests.delete(f"{self.url}/sessions/{self.session['id']}", headers=self.headers, timeout=60,
                                verify=self.verify)
            except requests.RequestException:
                pass


WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
_V1_PARTS = ("header", "parent_header", "metadata", "content")


def encode_v1(msg: dict) -> bytes:
    """A message in the v1 kernel websocket protocol (jupyter_server's ``serialize_msg_to_ws_v1``):
    uint64 LE count of offsets, the offsets, then the channel name and the JSON parts."""
    parts = [msg["channel"].encode()] + [json.dumps(msg[k]).encode() for k in _V1_PARTS]
    offsets = [8 * (1 + 1 + len(parts))]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + b"".join(parts)


def decode_v1(frame: bytes) -> dict:
    """The inverse of :func:`encode_v1`; binary buffers after the four JSON parts are left out."""
    n = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    msg = {"channel": frame[offsets[0]:offsets[1]].decode()}
    for i, key in enumerate(_V1_PARTS, start=1):
        msg[key] = json.loads(frame[offsets[i]:offsets[i + 1]]) if i + 1 < len(offsets) else {}
    msg["msg_type"] = msg["header"].get("msg_type")
    return msg


def decode_ws(frame) -> dict:
    """Jupyter's kernel websocket: text frames are JSON; messages with binary buffers (widget comms)
    arrive as binary frames: uint32 n, n uint32 offsets, the JSON message, then the buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    n = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1):4 * (i + 2)], "big") for i in range(n)] + [len(frame)]
    return json.loads(frame[offsets[0]:offsets[1]].decode("utf8"))


def notebook_code_cells(path: Path) -> list[dict]:
    """The code cells of a notebook (source and tags)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return [{"source": "".join(c["source"]), "tags": (c.get("metadata") or {}).get("tags") or []}
            for c in nb["cells"] if c["cell_type"] == "code"]
