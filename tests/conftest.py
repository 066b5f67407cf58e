import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # unit tests draw off-screen (notebook kernels keep their inline backend)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def custom_time_slices() -> bool:
    """Whether this system honours a custom CPU time slice (classroom/hub/timeslice.py): Linux ≥ 6.12
    reads sched_attr.sched_runtime as a SCHED_OTHER task's slice."""
    import os

    if not sys.platform.startswith("linux"):
        return False
    release = os.uname().release.split("-")[0].split(".")
    return tuple(int(p) for p in release[:2] if p.isdigit()) >= (6, 12)
