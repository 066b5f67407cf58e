"""The classroom hub's configuration (utils/classroom/hub.py, hubusers.py) without starting a hub:
what it refuses, the Unix names, the roster, and a full ``configure`` that yields the stock
single-user server with options only."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

try:
    import firstuseauthenticator  # noqa: F401
    import jupyterhub  # noqa: F401
except ImportError:  # in CI a missing piece of the hub is a failure, not a skip
    if os.environ.get("CI"):
        raise
    pytest.skip("jupyterhub is not installed: pip install -r requirements-dev.txt", allow_module_level=True)

from traitlets.config import Config  # noqa: E402

from utils.classroom import hub as hubconf  # noqa: E402
from utils.classroom.hubusers import system_username  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_no_launcher_patches_are_shipped():
    """Learners' servers are the stock jupyterhub-singleuser: no stand-in modules, no raw syscalls."""
    hub_dir = ROOT / "classroom" / "hub"
    assert not (hub_dir / "singleuser.py").exists() and not (hub_dir / "timeslice.py").exists()
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "utils" / "classroom").glob("hub*.py"))
    for banned in ("sys.modules[", "sched_setattr", "--allow-root\"", "_yarn_config", "gc.freeze"):
        assert banned not in source, banned


def test_system_usernames_follow_tljh():
    assert system_username("amy") == "jupyter-amy"
    long = system_username("a" * 30)
    assert len(long) == 32 and long.startswith("jupyter-aaaa") and long != system_username("a" * 31)
    assert system_username("amy", "t1a2-") == "t1a2-amy"


def test_the_roster_keeps_valid_names_and_lists_the_rest(tmp_path):
    roster = tmp_path / "allowed_users"
    roster.write_text("amy\n# a comment\n  bo  # trailing\n\nRoot\n../etc\n" + "x" * 40 + "\nchen_2\n", encoding="utf-8")
    names, bad = hubconf.read_roster(roster)
    assert names == {"amy", "bo", "chen_2"}
    assert len(bad) == 3 and all("用户名" in line for line in bad)
    assert hubconf.read_roster(tmp_path / "missing") == (set(), [])


def test_readable_by_others_finds_the_private_folder():
    import tempfile

    base = Path(tempfile.mkdtemp(dir="/var/tmp"))  # pytest's own tmp folders are private (0700)
    try:
        os.chmod(base, 0o755)
        inner = base / "a" / "b"
        inner.mkdir(parents=True)
        (inner / "f").write_text("x")
        os.chmod(inner / "f", 0o644)
        os.chmod(base / "a", 0o700)
        assert hubconf.readable_by_others(inner / "f") == base / "a"
        os.chmod(base / "a", 0o755)
        assert hubconf.readable_by_others(inner / "f") is None
        os.chmod(inner / "f", 0o600)
        assert hubconf.readable_by_others(inner / "f") == inner / "f"
    finally:
        shutil.rmtree(base)


def _env(monkeypatch, tmp_path, **extra):
    for key in list(os.environ):
        if key.startswith("HUB_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HUB_DIR", str(tmp_path / "state"))
    for key, value in extra.items():
        monkeypatch.setenv(key, value)


needs_root = pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="the hub runs as root")


@needs_root
@pytest.mark.parametrize("settings, says", [
    ({"HUB_DEV_MODE": "1"}, "开发模式"),
    ({"HUB_IP": "0.0.0.0", "HUB_LEARNER_ENV": "/nonexistent"}, "明文"),
    ({"HUB_SSL_CERT": "/x/cert.pem"}, "同时设置"),
    ({"HUB_LEARNER_ENV": "/nonexistent/env"}, "install_learner_env.sh"),
])
def test_unsafe_settings_stop_the_hub_with_a_chinese_message(monkeypatch, tmp_path, settings, says):
    _env(monkeypatch, tmp_path, **settings)
    with pytest.raises(SystemExit) as err:
        hubconf.configure(Config(), repo=ROOT)
    assert str(err.value).startswith("集线器未启动：") and says in str(err.value)


@needs_root
def test_a_course_other_users_can_read_stops_the_hub(monkeypatch, tmp_path):
    import tempfile

    base = Path(tempfile.mkdtemp(dir="/var/tmp"))  # pytest's own tmp folders are private (0700)
    try:
        os.chmod(base, 0o755)
        env = base / "env" / "bin"
        env.mkdir(parents=True)
        for name in ("jupyterhub-singleuser", "python"):
            (env / name).write_text("#!/bin/sh\n")
            os.chmod(env / name, 0o755)
        (base / "course" / "utils" / "lessons").mkdir(parents=True)
        _env(monkeypatch, tmp_path, HUB_LEARNER_ENV=str(env.parent))
        with pytest.raises(SystemExit, match="含答案"):
            hubconf.configure(Config(), repo=base / "course")
    finally:
        shutil.rmtree(base)


@needs_root
def test_configure_gives_stock_servers_own_users_tls_limits_and_services(monkeypatch, tmp_path):
    from utils.classroom import hubdriver

    learner_env = hubdriver.learner_env()
    if not (learner_env / "bin" / "jupyterhub-singleuser").exists():
        msg = f"no learners' environment: run {hubconf.INSTALL_ENV}"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    course = hubdriver.private_course(ROOT, tmp_path / "course")
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    (state / "allowed_users").write_text("amy\nbo\n")
    _env(monkeypatch, tmp_path, HUB_SSL_CERT="/c.pem", HUB_SSL_KEY="/k.pem", HUB_IP="0.0.0.0",
         HUB_LEARNER_ENV=str(learner_env), HUB_CULL_TIMEOUT="600")
    old = os.umask(0o022)
    try:
        c = Config()
        hubconf.configure(c, repo=course)
        assert os.umask(0o022) == 0o077, "the hub's files are private"
    finally:
        os.umask(old)
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert c.JupyterHub.bind_url == "https://0.0.0.0:8000" and c.JupyterHub.ssl_key == "/k.pem"
    assert c.JupyterHub.spawner_class.__name__ == "UnixUserSpawner"
    assert c.JupyterHub.authenticator_class.__name__ == "RosterFirstUseAuthenticator"
    assert c.Authenticator.allowed_users == {"amy", "bo"} and c.Authenticator.admin_users == {"teacher"}
    assert c.FirstUseAuthenticator.dbm_path == str(state / "passwords.dbm")
    assert c.Spawner.cmd == [str(learner_env / "bin" / "jupyterhub-singleuser")]
    assert "--allow-root" not in c.Spawner.args and all(a.startswith("--") for a in c.Spawner.args)
    assert c.JupyterHub.concurrent_spawn_limit > 0 and c.JupyterHub.active_server_limit > 0
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert services["classroom"]["command"][-2:] == ["-m", "utils.classroom.service"]
    assert "--timeout=600" in services["idle-culler"]["command"]
    assert "classroom-driver" not in services  # no token file, no driver
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["classroom-viewer"]["scopes"] == ["access:services!service=classroom"]
    assert set(c.Spawner.env_keep) <= {"LANG", "LC_ALL", "TZ"}
    assert (state / "course-template" / "utils" / "lessons").is_dir()
