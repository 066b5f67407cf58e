"""Start a learner's single-user server: ``jupyterhub-singleuser`` without two start-up costs.

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
``LEARNER_SERVER_ARGS`` in utils/classroom/hub.py) nothing is ever installed, so the launcher
answers with the empty yarn configuration — what JupyterLab itself uses when Node.js is absent.
"""
from __future__ import annotations

import importlib
import sys
import types

_DEFERRED = {"rfc3987_syntax": ("is_valid_syntax", "parse")}


def _real(name: str):
    stub = sys.modules.get(name)
    if getattr(stub, "__deferred__", False):
        del sys.modules[name]
    return importlib.import_module(name)


def _deferred_module(name: str, functions) -> types.ModuleType:
    """A stand-in for ``name`` whose functions import the real module on first call."""
    stub = types.ModuleType(name, f"deferred stand-in for {name} (see classroom/hub/singleuser.py)")
    stub.__deferred__ = True

    def make(fn_name):
        def call(*args, **kwargs):
            return getattr(_real(name), fn_name)(*args, **kwargs)

        call.__name__ = call.__qualname__ = fn_name
        return call

    for fn_name in functions:
        setattr(stub, fn_name, make(fn_name))
    def getattr_(attr):
        if attr.startswith("__"):  # the import system probes __path__ etc.: not a use of the module
            raise AttributeError(attr)
        return getattr(_real(name), attr)

    stub.__getattr__ = getattr_
    return stub


def defer_imports() -> None:
    import importlib.util

    for name, functions in _DEFERRED.items():
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            sys.modules[name] = _deferred_module(name, functions)


READONLY = "--LabApp.extension_manager=readonly"


def skip_yarn_config(argv) -> bool:
    """With a read-only extension manager, do not run node to read the npm registry setting."""
    if READONLY not in argv:
        return False
    import jupyterlab.commands

    jupyterlab.commands._yarn_config = lambda logger: {"yarn config": {}, "npm config": {}}
    return True


def main() -> int:
    defer_imports()
    skip_yarn_config(sys.argv[1:])
    from jupyterhub.singleuser import main as singleuser_main

    sys.argv[0] = "jupyterhub-singleuser"
    return singleuser_main()


if __name__ == "__main__":
    sys.exit(main())
