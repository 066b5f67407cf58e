import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen (notebook kernels keep their inline backend)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

