"""Where the code runs: the ONE place that decides whether a front end can show rich output.

``frontend()`` returns

- ``"kernel"``  — an IPython kernel (JupyterLab, Notebook, VS Code, nbclient): rich output
  (HTML, images) is displayed with ``IPython.display.display`` and stored in the notebook;
- ``"ipython"`` — a terminal IPython shell: ``display`` works but shows the plain-text form;
- ``"none"``    — plain Python (scripts, pytest): print the plain-text form.

Everything in ``utils`` that displays something asks here instead of probing IPython itself.
"""
from __future__ import annotations


def shell():
    """The running IPython shell, or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return None
    return get_ipython()


def frontend() -> str:
    """``"kernel"``, ``"ipython"`` or ``"none"`` (see the module docstring)."""
    current = shell()
    if current is None:
        return "none"
    return "kernel" if hasattr(current, "kernel") else "ipython"


def in_kernel() -> bool:
    """True inside an IPython kernel with a front end (rich output is shown and stored)."""
    return frontend() == "kernel"


def can_display() -> bool:
    """True when ``IPython.display.display`` reaches the learner (kernel or terminal IPython)."""
    return frontend() != "none"


#: the collector's thresholds before ``long_lived_imports_begin`` raised the first one
_saved_threshold: tuple | None = None
#: while ``import utils`` runs in a kernel: collect the youngest generation every 20,000 new
#: container objects instead of every 700 (fewer, not larger, collections of objects that all live on)
_IMPORT_THRESHOLD0 = 20_000


def _kernel_already_running() -> bool:
    # plain Python has not imported IPython: do not import it only to ask
    import sys

    return "IPython" in sys.modules and in_kernel()


def long_lived_imports_begin() -> bool:
    """In a kernel, before ``import utils`` makes its ≈ 140,000 long-lived objects (pandas,
    matplotlib, seaborn, ipywidgets): freeze the kernel's own objects and collect less often.

    Python's collector walks the objects it tracks again and again while a big import runs, and
    a full collection walks all of them; none of these objects is garbage.  Measured in a kernel
    with ``gc.callbacks``: collections cost ≈ 0.085 CPU-s during the imports and ≈ 0.08 CPU-s for
    one more full collection during chapter 1.  With the kernel's objects frozen first, fewer
    collections during the imports and everything frozen at their end (``long_lived_imports_end``):
    ≈ 0.025 CPU-s during the imports and none during chapter 1.  The price is ≈ 2.5 MB more RSS per
    kernel (garbage waits longer for its collection while the imports run, so the heap grows higher).
    :func:`gc.freeze` moves objects to the permanent generation, which collections skip.  Objects
    made later (figures, data frames, the learner's own) are collected as before; a frozen object
    is still freed when nothing refers to it, only a reference cycle made of frozen objects would
    stay (after ``import utils`` a full collection of everything frozen finds 7 such objects).
    Outside a kernel (scripts, tests) nothing is done.  Returns True if it acted."""
    global _saved_threshold
    import gc

    if not _kernel_already_running():
        return False
    gc.freeze()
    if _saved_threshold is None:
        _saved_threshold = gc.get_threshold()
        gc.set_threshold(max(_IMPORT_THRESHOLD0, _saved_threshold[0]), *_saved_threshold[1:])
    return True


def long_lived_imports_end() -> bool:
    """After ``import utils`` in a kernel: freeze what the imports made, restore the thresholds."""
    global _saved_threshold
    import gc

    if _saved_threshold is not None:
        gc.set_threshold(*_saved_threshold)
        _saved_threshold = None
    if not _kernel_already_running():
        return False
    gc.freeze()
    return True
