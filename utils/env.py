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


def freeze_long_lived() -> bool:
    """In a kernel, exempt every object that exists now from later full garbage collections.

    A kernel's own objects and the ones ``import utils`` makes (pandas, matplotlib, seaborn,
    ipywidgets: ≈ 140,000 objects the collector tracks) live as long as the kernel.  Python's full
    collection walks all of them each time it runs: ≈ 0.05 CPU-s during the imports and 0.08
    CPU-s for one more full collection during chapter 1, measured with ``gc.callbacks`` in a
    kernel.  :func:`gc.freeze` moves them to the permanent generation, which collections skip.
    Objects made later (figures, data frames, the learner's own) are collected as before; a frozen
    object is still freed when nothing refers to it, only a reference cycle made of frozen objects
    would stay (at the imports' end the collector finds ≈ 500 such objects).  Outside a kernel
    (scripts, tests) nothing is done.  Returns True if objects were frozen.
    """
    import gc
    import sys

    if "IPython" not in sys.modules or not in_kernel():  # plain Python: do not import IPython to ask
        return False
    gc.freeze()
    return True
