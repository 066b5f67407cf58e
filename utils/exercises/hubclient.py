"""The kernel's side of the classroom service (:mod:`utils.classroom.service`).

On a classroom hub the spawner sets ``CLASSROOM_SERVICE_URL`` (the service's prefix, e.g.
``http://127.0.0.1:10101/services/classroom/``) and JupyterHub sets ``JUPYTERHUB_API_TOKEN`` (the
learner's own token).  :func:`send` posts one attempt record as JSON with that token; the hub tells
the service whose token it is.  When the service cannot be reached the record waits in a local
outbox (``CLASSROOM_OUTBOX``, default ``~/.classroom-outbox.jsonl``, private to the learner) and is
sent, in order, before the next record.  Nothing here ever raises into a learner's cell: the
learner sees at most one Chinese line per kernel.

Outside a hub (no ``CLASSROOM_SERVICE_URL``) :func:`enabled` is False and nothing is sent.
Standard library only.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import uuid
from pathlib import Path
from urllib import error, request

#: seconds to wait for the service (a learner's cell waits this long at most when it is down)
TIMEOUT_S = 3.0
#: the outbox never grows beyond this (bytes); further records are dropped with a note
MAX_OUTBOX = 8 * 1024 * 1024
#: the largest record sent (bytes of JSON; the service refuses larger ones)
MAX_RECORD = 60 * 1024
ENDPOINT = "api/attempts"
OFFLINE_NOTE = "（课堂服务暂时连不上：这次作答先存在你自己的文件夹里，连上后会自动补交，不会丢失。）"
FULL_NOTE = "（课堂服务连不上，本地暂存也已满：这次作答没有记到课堂，请告诉老师。）"

#: what went wrong last (for tests and diagnostics; never shown to learners)
last_error: list[str] = []
_noted: set[str] = set()


def enabled(env=None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("CLASSROOM_SERVICE_URL") and env.get("JUPYTERHUB_API_TOKEN"))


def outbox_path(env=None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("CLASSROOM_OUTBOX") or Path.home() / ".classroom-outbox.jsonl")


def _post(line: bytes, env) -> int:
    """POST one JSON record; the HTTP status, or 0 when the service could not be reached."""
    url = env["CLASSROOM_SERVICE_URL"].rstrip("/") + "/" + ENDPOINT
    req = request.Request(url, data=line, method="POST", headers={
        "Authorization": f"token {env['JUPYTERHUB_API_TOKEN']}", "Content-Type": "application/json"})
    try:
        with request.urlopen(req, timeout=TIMEOUT_S) as r:
            return r.status
    except error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError) as exc:  # refused, timed out, bad URL
        last_error[:] = [f"{type(exc).__name__}: {exc}"]
        return 0


def _note(text: str) -> None:
    if text not in _noted:
        _noted.add(text)
        print(text, file=sys.stderr)


def _encode(record: dict) -> bytes:
    record = dict(record)
    record.setdefault("id", uuid.uuid4().hex)  # a resent record counts once at the service
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _read_outbox(path: Path) -> list[bytes]:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_OUTBOX + 1)
    except FileNotFoundError:
        return []
    return [line for line in data.splitlines() if line.strip()]


def _write_outbox(path: Path, lines: list[bytes]) -> None:
    if not lines:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(b"".join(line + b"\n" for line in lines))
    os.replace(tmp, path)


@contextlib.contextmanager
def _locked(path: Path):
    """Two kernels of one learner never rewrite the outbox at once (a lock file beside it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def flush(env=None) -> int:
    """Send what waits in the outbox, oldest first; returns how many are still waiting."""
    env = os.environ if env is None else env
    path = outbox_path(env)
    if not path.exists():
        return 0
    with _locked(path):
        return _flush(path, env)


def _flush(path: Path, env) -> int:
    waiting = _read_outbox(path)
    if not waiting:
        return 0
    sent = 0
    for line in waiting:
        status = _post(line, env)
        if status == 0 or status >= 500 or status == 429:
            break  # still unreachable: keep this one and the rest, in order
        sent += 1  # 2xx, or 4xx: the service refused this record for good (it would never pass)
    if sent:
        _write_outbox(path, waiting[sent:])
    return len(waiting) - sent


def send(record: dict, env=None) -> bool:
    """Send ``record`` to the classroom service (after what waits in the outbox).

    True when the service stored it now; False when it waits in the outbox (or could not be kept).
    Never raises."""
    env = os.environ if env is None else env
    try:
        if not enabled(env):
            return False
        line = _encode(record)
        if len(line) > MAX_RECORD:
            last_error[:] = ["record too large"]
            return False
        path = outbox_path(env)
        with _locked(path):
            return _send_or_keep(line, path, env)
    except Exception as exc:  # noqa: BLE001 - never break a learner's cell
        last_error[:] = [f"{type(exc).__name__}: {exc}"]
        return False


def _send_or_keep(line: bytes, path: Path, env) -> bool:
    if _flush(path, env) == 0:
        status = _post(line, env)
        if 200 <= status < 300:
            return True
        if 400 <= status < 500 and status != 429:
            last_error[:] = [f"HTTP {status}"]
            return False  # refused for good (e.g. a token the hub no longer knows)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = 0
    if size + len(line) + 1 > MAX_OUTBOX:
        _note(FULL_NOTE)
        return False
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line + b"\n")
    finally:
        os.close(fd)
    _note(OFFLINE_NOTE)
    return False
