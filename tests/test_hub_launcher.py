"""classroom/hub/singleuser.py: the learner-server launcher defers imports a single-user server does
not use, and everything deferred still works when it is used (each check in a fresh interpreter)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER_DIR = ROOT / "classroom" / "hub"

try:
    import jupyterhub  # noqa: F401
except ImportError:  # in CI a missing piece of the hub is a failure, not a skip
    if os.environ.get("CI"):
        raise
    pytest.skip("jupyterhub is not installed: pip install -r requirements-dev.txt", allow_module_level=True)

ON_PATH = f"""
import sys
sys.path.insert(0, {str(LAUNCHER_DIR)!r})
"""
PRELUDE = ON_PATH + """
import singleuser
deferred = singleuser.defer_imports()
def real(name):
    m = sys.modules.get(name)
    return m is not None and not getattr(m, "__deferred__", False)
"""


def run(code: str, tmp_path: Path, prelude: str = PRELUDE) -> str:
    proc = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.slow
def test_server_imports_leave_the_hub_only_modules_out(tmp_path):
    out = run("""
        import jupyterhub.singleuser, jupyterlab.labapp, jupyter_server.serverapp
        assert {"alembic", "alembic.command", "alembic.config", "alembic.script",
                "jupyterhub.handlers.pages", "rfc3987_syntax", "requests", "jupyterhub.orm", "sqlalchemy", "sqlalchemy.exc"} <= set(deferred), deferred
        for name in ("alembic", "alembic.script", "mako", "jupyterhub.handlers.base", "rfc3987_syntax",
                     "requests", "urllib3", "chardet", "jupyterhub.orm", "sqlalchemy", "sqlalchemy.orm"):
            assert not real(name), name
        print("ok")
    """, tmp_path)
    assert out.strip() == "ok"


@pytest.mark.slow
def test_deferred_database_migration_code_still_works(tmp_path):
    """jupyterhub.orm.check_db_revision uses alembic.config, ScriptDirectory and alembic.command."""
    out = run("""
        import jupyterhub.singleuser, jupyterhub.orm as orm
        from sqlalchemy import create_engine
        assert not real("alembic")
        orm.check_db_revision(create_engine("sqlite:///hub.sqlite"))
        assert real("alembic") and real("alembic.command") and real("alembic.script")
        import sqlalchemy
        with create_engine("sqlite:///hub.sqlite").connect() as c:
            print(c.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalar())
    """, tmp_path)
    assert len(out.strip()) >= 8  # the alembic revision the database was stamped with


@pytest.mark.slow
def test_hub_database_models_load_when_scopes_or_metrics_use_them(tmp_path):
    """jupyterhub.scopes, .roles and .metrics bind ``orm`` at import and use it only in functions."""
    out = run("""
        import jupyterhub.singleuser
        from jupyterhub import metrics, roles, scopes
        # what a single-user server does on a request: intersect scopes, no database
        both = scopes._intersect_expanded_scopes({"read:users"}, {"read:users!user=a"})
        assert both == {"read:users!user=a"}, both
        assert not real("jupyterhub.orm")
        user = metrics.orm.User(name="a")   # the first use of a model loads the real module
        assert real("jupyterhub.orm") and isinstance(user, roles.orm.Base) and scopes.orm.User is type(user)
        print(user.name, metrics.orm.User.__tablename__)
    """, tmp_path)
    assert out.split() == ["a", "users"]


@pytest.mark.slow
def test_hub_database_errors_are_caught_once_sqlalchemy_is_loaded(tmp_path):
    """jupyterhub.utils binds SQLAlchemyError at import for catch_db_error: a stand-in class that
    nothing can raise, until the real SQLAlchemy loads; then the module's name is the real class."""
    out = run("""
        import asyncio, jupyterhub.singleuser
        from jupyterhub import utils
        assert not real("sqlalchemy") and utils.SQLAlchemyError.__module__ == "sqlalchemy.exc"

        class Handler:
            rolled_back = 0
            log = __import__("logging").getLogger("t")
            db = type("Db", (), {"rollback": lambda self: setattr(Handler, "rolled_back", Handler.rolled_back + 1)})()

        @utils.catch_db_error
        def fails(self):
            import sqlalchemy.exc          # the stand-in: its first use loads SQLAlchemy
            raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("database is locked"))

        asyncio.run(fails(Handler()))
        import sqlalchemy.exc as real_exc
        assert real("sqlalchemy") and utils.SQLAlchemyError is real_exc.SQLAlchemyError
        assert not real("requests") and not real("jupyterhub.orm")   # the others stay deferred
        print(Handler.rolled_back)
    """, tmp_path)
    assert out.split() == ["1"]


@pytest.mark.slow
def test_request_log_and_hub_handlers_still_work(tmp_path):
    out = run("""
        import jupyterhub.singleuser
        from jupyterhub.log import log_request
        from tornado.httputil import HTTPServerRequest
        from tornado.web import Application, RequestHandler

        class Page(RequestHandler):
            pass
        req = HTTPServerRequest(method="GET", uri="/user/a/api/status", connection=None)
        req._start_time = __import__("time").time()
        req.connection = type("C", (), {"set_close_callback": lambda *a: None})()
        handler = Page(Application(), req)
        handler._status_code = 200
        log_request(handler)   # the isinstance test against the placeholder class answers False
        from jupyterhub.handlers import default_handlers   # any other use loads the real package
        import jupyterhub.handlers.base
        assert real("jupyterhub.handlers.pages") and len(default_handlers) > 5
        print("ok")
    """, tmp_path)
    assert out.strip().endswith("ok")


@pytest.mark.slow
def test_iri_format_check_loads_the_grammar_on_first_use(tmp_path):
    out = run("""
        import jupyter_server.serverapp
        assert not real("rfc3987_syntax")
        import rfc3987_syntax
        print(rfc3987_syntax.is_valid_syntax("iri", "http://例子.中国/路径"), real("rfc3987_syntax"))
    """, tmp_path)
    assert out.split() == ["True", "True"]


@pytest.mark.slow
def test_extension_listings_get_requests_when_they_use_it(tmp_path):
    out = run("""
        import jupyterlab.labapp
        from jupyterlab_server import listings_handler
        assert not real("requests")
        print(listings_handler.requests.codes.ok, real("requests"), real("urllib3"))
    """, tmp_path)
    assert out.split() == ["200", "True", "True"]


@pytest.mark.slow
def test_server_imports_run_with_fewer_collections_and_end_frozen(tmp_path):
    out = run("""
        import gc
        before = gc.get_threshold()
        with singleuser.long_lived_imports():
            inside = gc.get_threshold()
            import jupyterhub.singleuser
        print(inside[0] == singleuser.IMPORT_GC_THRESHOLD0, gc.get_threshold() == before,
              gc.get_freeze_count() > 50000)
    """, tmp_path)
    assert out.split() == ["True"] * 3


def _launcher():
    from utils.classroom.hub import launcher

    return launcher(ROOT)


@pytest.fixture
def short_tmp(monkeypatch):
    """A short temporary folder standing in for /tmp (pytest's own are too long for sockets)."""
    import shutil
    import tempfile

    path = tempfile.mkdtemp(prefix="su-", dir="/tmp")
    monkeypatch.setattr("tempfile.tempdir", path)
    yield Path(path)
    shutil.rmtree(path, ignore_errors=True)


def _home(monkeypatch, home):
    import os

    for var in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
                "JUPYTER_PLATFORM_DIRS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    return os.environ


def test_kernel_socket_paths_fit_under_a_long_home(tmp_path, short_tmp, monkeypatch):
    import os
    import stat

    su = _launcher()
    long_home = tmp_path / ("h" * 60) / "homes" / "learner-with-a-long-name"
    env = _home(monkeypatch, long_home)
    assert su.runtime_dir_for_ipc(["--other"], env) is None  # TCP kernels: nothing to do
    chosen = su.runtime_dir_for_ipc([su.IPC], env)
    assert chosen and env["JUPYTER_RUNTIME_DIR"] == chosen
    assert len(os.fsencode(chosen)) + su.IPC_SUFFIX <= su.SOCKET_PATH_MAX
    assert stat.S_IMODE(os.stat(chosen).st_mode) == 0o700
    # one folder per home, the same at every start: two learners under one OS user never share it
    env = _home(monkeypatch, long_home)
    assert su.runtime_dir_for_ipc([su.IPC], env) == chosen
    env = _home(monkeypatch, str(long_home) + "2")
    assert su.runtime_dir_for_ipc([su.IPC], env) not in (None, chosen)
    # a short runtime folder is left alone
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/run/j")
    assert su.runtime_dir_for_ipc([su.IPC], env) is None


def test_a_runtime_folder_someone_else_can_enter_is_not_used(short_tmp, monkeypatch):
    import os

    su = _launcher()
    base = short_tmp / f"jupyter-{os.getuid()}"
    base.mkdir()
    os.chmod(base, 0o777)  # as if another user had made it first
    env = _home(monkeypatch, "/" + "x" * 90)
    chosen = su.runtime_dir_for_ipc([su.IPC], env)
    assert chosen and not chosen.startswith(str(base)) and os.path.basename(chosen).startswith("jrt-")


# --- classroom/hub/timeslice.py: learners' servers and kernels with a longer CPU time slice -----

SLICE_PROBE = "[l.split(':')[1].strip() for l in open('/proc/self/sched') if l.startswith('se.slice')][0]"


def test_longer_slice_keeps_the_nice_value_and_reaches_child_processes(tmp_path, custom_time_slices):
    if not custom_time_slices:
        pytest.skip("needs Linux ≥ 6.12 (custom SCHED_OTHER slices)")
    out = run(f"""
        import os, subprocess, timeslice
        os.nice(3)
        before = {SLICE_PROBE}
        ok = timeslice.longer_time_slice()
        child = subprocess.run([sys.executable, "-c", "print({SLICE_PROBE})"], capture_output=True, text=True).stdout
        print(ok, os.nice(0), os.sched_getscheduler(0) == os.SCHED_OTHER, before, {SLICE_PROBE}, child)
    """, tmp_path, prelude=ON_PATH)
    ok, nice, other, before, after, child = out.split()
    assert (ok, nice, other) == ("True", "3", "True")
    assert int(before) < 20_000_000 and after == child == "20000000"


def test_longer_slice_leaves_other_policies_and_platforms_alone(tmp_path, monkeypatch):
    out = run("""
        import os, timeslice
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))  # as an administrator may choose
        print(timeslice.longer_time_slice(), os.sched_getscheduler(0) == os.SCHED_BATCH)
    """, tmp_path, prelude=ON_PATH)
    assert out.split() == ["False", "True"]
    import importlib.util

    spec = importlib.util.spec_from_file_location("hub_timeslice", LAUNCHER_DIR / "timeslice.py")
    timeslice = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(timeslice)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert timeslice.longer_time_slice() is False
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "uname", lambda: os.uname_result(("Linux", "h", "6.18", "#1", "sparc64")))
    assert timeslice.longer_time_slice() is False  # no known system call number


@pytest.mark.slow
def test_server_launcher_starts_without_timeslice_beside_it(tmp_path):
    """An image that copied only singleuser.py (as the docs once said) still starts servers."""
    import shutil

    shutil.copy(LAUNCHER_DIR / "singleuser.py", tmp_path / "singleuser.py")
    proc = subprocess.run([sys.executable, str(tmp_path / "singleuser.py"), "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Options" in proc.stdout, proc.stderr[-2000:]
