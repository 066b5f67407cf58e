"""CSV files a teacher opens in a spreadsheet: learner-written text never runs as a formula.

OWASP's advice for CSV injection: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with a single quote, so Excel and LibreOffice show it as text.
Numbers stay numbers (only strings are escaped).
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` for a CSV cell: a string that a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_rows(path: Path, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Path:
    """Write a UTF-8 (with BOM, for Excel) CSV file, every string cell escaped."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow([safe_cell(h) for h in header])
        for row in rows:
            w.writerow([safe_cell(c) for c in row])
    return path
