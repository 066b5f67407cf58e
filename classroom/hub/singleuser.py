"""Start a learner's single-user server: ``jupyterhub-singleuser`` without its avoidable start-up costs.

The hub runs this file instead of the ``jupyterhub-singleuser`` script (``c.Spawner.cmd`` in
utils/classroom/hub.py); all arguments are passed on unchanged.

Why: jupyter_server imports jupyter_events → jsonschema, whose format checkers import
``rfc3987_syntax`` when it is installed, and that module compiles a Lark (Earley) grammar for
IRIs at import time: ≈ 0.7 CPU-s and ≈ 10 MB in every server start (py-spy: 1.22 s of 3.73 s
sampled in ``rfc3987_syntax/syntax_helpers.py:make_syntax_validator`` → ``Lark.__init__``).  None of
the server's event schemas is validated against an IRI format while it starts, so the grammar is
built on the first IRI check instead (same results; nothing is disabled).

And: importing ``jupyterlab.labapp`` runs ``node yarn.js config --json`` (≈ 0.25 CPU-s, ≈ 90 MB
peak RSS, measured with /usr/bin/time) only to learn which npm registry the extension manager
would install from.  With ``--LabApp.extension_manager=readonly`` (what the hub passes, see
``SERVER_ARGS`` in utils/classroom/hub.py) nothing is ever installed, so the launcher
answers with the empty yarn configuration — what JupyterLab itself uses when Node.js is absent.

And: ``jupyterhub.singleuser`` reaches the hub's database code: ``jupyterhub.orm`` (which maps every
model with SQLAlchemy's ORM and imports alembic, mako and every pygments lexer for migrations only
the hub runs) and SQLAlchemy itself, imported by ``jupyterhub.utils``, ``.scopes`` and ``.roles``
for functions that take the hub's database session.  It also reaches the hub's page handlers (for
one ``isinstance`` test in the request logger) and requests.  All are deferred (``_DEFERRED``,
``_NEVER_SERVED``, ``_NEVER_RAISED``); the first real use of one imports it and points every module
global that held a stand-in at the real object.  Importing the server: 0.75 → 0.55 CPU-s and
108 → 84 MB with alembic, the handlers and requests deferred; 0.62 → 0.43 CPU-s and 85 → 65 MB
more with the ORM and SQLAlchemy (median of 7 on this machine, a slower hour than the first
figures).  tests/test_hub_launcher.py checks each deferred piece still works when used.

And: the server asks Linux for a 20 ms CPU time slice instead of the default 1.4 ms (two cores),
and the learner's kernels inherit it: fewer cache refills when a whole class runs its notebooks at
once (timeslice.py).
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import importlib.util
import sys
import types

#: modules a single-user server imports but never uses while it serves a learner, with the names
#: other modules take from them at import time.  Each becomes a stand-in; the first real use of it
#: (a call, an attribute) imports the real module, so behaviour is unchanged.
_DEFERRED = {
    # jsonschema's IRI format checker (see the module docstring)
    "rfc3987_syntax": ("is_valid_syntax", "parse"),
    # jupyterhub.orm imports alembic (and through it mako and every pygments lexer) for its database
    # migrations, which only the hub runs: ≈ 0.1 CPU-s and 11 MB in every server start
    # (tests/test_hub_launcher.py runs the hub-side migration check through the stand-ins)
    "alembic": (),
    "alembic.command": (),
    "alembic.config": (),
    "alembic.script": ("ScriptDirectory",),
    # jupyterlab_server's extension-listings handler fetches allow/block lists with requests (and
    # through it urllib3, chardet, idna: 141 modules) when listing URLs are configured, which the
    # course never does: 6 MB and 0.04 CPU-s per server
    "requests": (),
    # the hub's database models: jupyterhub.metrics, .scopes and .roles import them for functions that
    # take the hub's database session, which a single-user server never has.  Importing them maps
    # every model with SQLAlchemy's ORM: ≈ 0.08 CPU-s and 13 MB in every server start
    "jupyterhub.orm": (),
    # and SQLAlchemy itself (82 modules), imported by jupyterhub.utils, .scopes and .roles for the
    # same database functions: ≈ 0.08 CPU-s and 6 MB
    "sqlalchemy": ("func", "inspect"),
    "sqlalchemy.exc": (),
}

#: names that a single-user server imports only to compare against: jupyterhub.log imports the hub's
#: health-check page handler (and with it the hub's whole handler package) for one ``isinstance``
#: test in its request logger.  That handler is never served by a single-user server, so a class
#: with no instances gives the same answer (≈ 7 MB, 0.03 CPU-s).
_NEVER_SERVED = {"jupyterhub.handlers.pages": ("HealthCheckHandler",)}

#: exception classes imported for ``except`` clauses of hub-only code (jupyterhub.utils.catch_db_error,
#: used by the hub's own app): until the real module is loaded nothing can raise them, so an
#: exception class that is never raised catches exactly the same.
_NEVER_RAISED = {"sqlalchemy.exc": ("SQLAlchemyError",)}

#: id → (stand-in, real module, attribute or None for the module itself): what ``_rebind`` replaces
_ORIGINS: dict[int, tuple[object, str, str | None]] = {}


def _remember(obj, module: str, attr: str | None = None):
    _ORIGINS[id(obj)] = (obj, module, attr)
    return obj


def _is_stand_in(module) -> bool:
    return getattr(module, "__deferred__", False) is True


def _real(name: str):
    """The real module ``name``, imported on first use.

    While it is imported, no stand-in is in ``sys.modules``, so that its own imports (the hub's
    database code imports SQLAlchemy and alembic) find the real modules.  Afterwards the stand-ins
    of modules that are still not imported go back (they stay deferred), and every module global
    bound to a stand-in whose real module is now loaded is pointed at the real object (so a
    ``from sqlalchemy.exc import SQLAlchemyError`` made earlier now catches the real exception)."""
    module = sys.modules.get(name)
    if module is not None and not _is_stand_in(module):
        return module
    stand_ins = {n: m for n, m in list(sys.modules.items()) if _is_stand_in(m)}
    for n in stand_ins:
        del sys.modules[n]
    try:
        return importlib.import_module(name)
    finally:
        for n, stub in stand_ins.items():
            sys.modules.setdefault(n, stub)
        _rebind()


def _rebind() -> int:
    """Point module globals that hold a stand-in at the real object, where that is now loaded."""
    done = 0
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict) or _is_stand_in(module):
            continue
        for key, value in list(namespace.items()):
            origin = _ORIGINS.get(id(value))
            if origin is None or origin[0] is not value:
                continue
            real = sys.modules.get(origin[1])
            if real is None or _is_stand_in(real):
                continue
            if origin[2] is None:
                namespace[key] = real
            elif hasattr(real, origin[2]):
                namespace[key] = getattr(real, origin[2])
            else:
                continue
            done += 1
    return done


class _DeferredName:
    """``from module import Name`` without importing ``module``: calls and attributes go to the
    real object, imported on first use."""

    def __init__(self, module: str, name: str):
        self._where = (module, name)

    def _target(self):
        module, name = self._where
        return getattr(_real(module), name)

    def __call__(self, *args, **kwargs):
        return self._target()(*args, **kwargs)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._target(), attr)

    def __repr__(self):
        return "<deferred %s.%s>" % self._where


def _stand_in(name: str, names=(), placeholders=(), exceptions=()) -> types.ModuleType:
    stub = types.ModuleType(name, f"deferred stand-in for {name} (see classroom/hub/singleuser.py)")
    stub.__deferred__ = True
    stub.__spec__ = importlib.machinery.ModuleSpec(name, None)
    _remember(stub, name)
    for attr in names:
        setattr(stub, attr, _remember(_DeferredName(name, attr), name, attr))
    for attr in placeholders:
        setattr(stub, attr, _remember(type(attr, (), {"__doc__": "never served by a single-user server",
                                                      "__module__": name}), name, attr))
    for attr in exceptions:
        setattr(stub, attr, _remember(type(attr, (Exception,), {
            "__doc__": "never raised before the real module is loaded", "__module__": name}), name, attr))

    def getattr_(attr):
        if attr.startswith("__"):  # the import system probes __path__ etc.: not a use of the module
            raise AttributeError(attr)
        real = _real(name)
        try:
            return getattr(real, attr)
        except AttributeError:
            if not hasattr(real, "__path__"):
                raise
            return importlib.import_module(f"{name}.{attr}")  # ``import pkg.sub`` then ``pkg.sub.f``

    stub.__getattr__ = getattr_
    return stub


def _installed(name: str) -> bool:
    # the top-level package only: finding a submodule's spec would import its package
    return importlib.util.find_spec(name.partition(".")[0]) is not None


def defer_imports() -> list[str]:
    """Put the stand-ins in place; returns the names deferred (those installed and not yet imported)."""
    kinds: dict[str, dict] = {}
    for table, kind in ((_DEFERRED, "names"), (_NEVER_SERVED, "placeholders"), (_NEVER_RAISED, "exceptions")):
        for name, attrs in table.items():
            kinds.setdefault(name, {})[kind] = attrs
    todo = [(name, attrs) for name, attrs in kinds.items() if name not in sys.modules and _installed(name)]
    for name, attrs in todo:  # only once every spec is found: a stand-in has no __path__
        sys.modules[name] = _stand_in(name, **attrs)
    return [name for name, _ in todo]


READONLY = "--LabApp.extension_manager=readonly"


def skip_yarn_config(argv) -> bool:
    """With a read-only extension manager, do not run node to read the npm registry setting."""
    if READONLY not in argv:
        return False
    import jupyterlab.commands

    jupyterlab.commands._yarn_config = lambda logger: {"yarn config": {}, "npm config": {}}
    return True


IPC = "--KernelManager.transport=ipc"
#: a Unix socket path holds at most 107 bytes on Linux (sockaddr_un.sun_path without its NUL)
SOCKET_PATH_MAX = 107
#: what jupyter_client appends to the runtime folder for a kernel's sockets: /kernel-<uuid>-ipc-<n>
IPC_SUFFIX = len("/kernel-") + 36 + len("-ipc-99999")


def shared_tmp_runtime_dir(home: str) -> str:
    """``/tmp/jupyter-<uid>/<hash of home>``: the short runtime folder for one home folder."""
    import hashlib
    import os
    import tempfile

    digest = hashlib.sha256(os.fsencode(home)).hexdigest()[:12]
    return os.path.join(tempfile.gettempdir(), f"jupyter-{os.getuid()}", digest)


def runtime_dir_for_ipc(argv, env=None) -> str | None:
    """With kernels on Unix sockets (``IPC`` in ``argv``), make sure their paths fit.

    jupyter_client puts a kernel's five sockets beside its connection file in the Jupyter runtime
    folder, ``~/.local/share/jupyter/runtime`` by default.  Under a long home path (a hub's
    state folder, ``/home/jupyter-<long name>``) those paths pass 107 bytes and the kernel cannot
    bind them.  Then the server gets a short private folder instead, set as ``JUPYTER_RUNTIME_DIR``:
    ``$XDG_RUNTIME_DIR/jupyter`` when the session has one, else ``/tmp/jupyter-<uid>/<hash of the
    home folder>`` (one per learner even when all servers run as one user), created with mode 0700
    and used only if it belongs to this user and nobody else can enter it, like tmux's socket
    folder.  Returns the folder chosen, or None when nothing needed changing."""
    import os
    import stat
    import tempfile

    env = os.environ if env is None else env
    if IPC not in argv:
        return None
    from jupyter_core.paths import jupyter_runtime_dir

    current = env.get("JUPYTER_RUNTIME_DIR") or jupyter_runtime_dir()
    if len(os.fsencode(current)) + IPC_SUFFIX <= SOCKET_PATH_MAX:
        return None

    def private(path: str) -> bool:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
            st = os.lstat(path)
        except OSError:
            return False
        return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077

    home = env.get("HOME") or os.path.expanduser("~")
    choices = []
    if env.get("XDG_RUNTIME_DIR"):
        choices.append(os.path.join(env["XDG_RUNTIME_DIR"], "jupyter"))
    base = os.path.dirname(shared_tmp_runtime_dir(home))
    choices.append(shared_tmp_runtime_dir(home))
    for path in choices:
        if len(os.fsencode(path)) + IPC_SUFFIX > SOCKET_PATH_MAX:
            continue
        if path.startswith(base + os.sep) and not private(base):  # someone else made /tmp/jupyter-<uid>
            continue
        if private(path):
            env["JUPYTER_RUNTIME_DIR"] = path
            return path
    path = tempfile.mkdtemp(prefix="jrt-")  # private by construction; new at every start
    env["JUPYTER_RUNTIME_DIR"] = path
    return path


#: while the server's modules are imported: collect the youngest generation every 20,000 new
#: container objects instead of every 700 (they all live as long as the server)
IMPORT_GC_THRESHOLD0 = 20_000


@contextlib.contextmanager
def long_lived_imports():
    """Import the server's modules with fewer garbage collections, then freeze what they made.

    Python's collector walks the objects it tracks again and again while ≈ 1,200 modules are
    imported, and none of those objects is garbage.  With the youngest generation collected every
    20,000 new objects and everything frozen afterwards (``gc.freeze``: later collections skip it),
    importing the server takes 0.47 → 0.42 CPU-s (median of 5), at the same peak memory.  The
    thresholds are restored when the block ends, before the server starts serving."""
    import gc

    thresholds = gc.get_threshold()
    gc.set_threshold(max(IMPORT_GC_THRESHOLD0, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.freeze()


def main() -> int:
    try:
        from timeslice import longer_time_slice  # this script's folder is sys.path[0]
    except ImportError:  # copied without it (an older image): start with the default slice
        pass
    else:
        longer_time_slice()  # inherited by the learner's kernels (see timeslice.py)
    with long_lived_imports():
        defer_imports()
        skip_yarn_config(sys.argv[1:])  # imports jupyterlab and with it jupyter_server
        runtime_dir_for_ipc(sys.argv[1:])
        from jupyterhub.singleuser import main as singleuser_main

    sys.argv[0] = "jupyterhub-singleuser"
    return singleuser_main()


if __name__ == "__main__":
    sys.exit(main())
