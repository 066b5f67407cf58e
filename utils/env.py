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
