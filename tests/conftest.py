import os
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # unit tests draw off-screen (notebook kernels keep their inline backend)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))



def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session")
def chromium_exe() -> str:
    """Debian's Chromium (a missing one fails in CI, is skipped elsewhere)."""
    from test_browser import INSTALL_HINT, chromium_path

    exe = chromium_path()
    if exe is None:
        if _ci():
            pytest.fail("Chromium is missing but CI=true: the browser tests must run in CI; "
                        f"{INSTALL_HINT} (.ci/run does this when it is missing)", pytrace=False)
        pytest.skip(f"Debian's chromium is not installed; {INSTALL_HINT}")
    return exe


@pytest.fixture(scope="session")
def browser(chromium_exe):
    """One headless Chromium for the whole session (playwright's sync API allows one instance per
    process: a second ``sync_playwright()`` while the first runs fails in its asyncio loop)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if _ci():
            pytest.fail("playwright is missing but CI=true: pip install -r requirements-dev.txt", pytrace=False)
        pytest.skip("playwright is not installed; pip install -r requirements-dev.txt")
    from test_browser import CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_exe, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
