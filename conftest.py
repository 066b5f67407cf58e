"""Test-session settings that must exist before any kernel starts.

STATIC_CHARTS=1: nbval kernels render live charts as stored images (see utils/widgets.py), so the
committed outputs compare deterministically.  Solutions stay visible (exam mode off).
"""
import os

os.environ["STATIC_CHARTS"] = "1"
os.environ.pop("HIDE_SOLUTIONS", None)
