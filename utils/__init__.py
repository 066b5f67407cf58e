"""Helpers shared by the four lessons: data, numbers, fonts, charts, widgets, exercises.

One import for notebooks::

    import sys; sys.path.insert(0, "..")
    import utils
    from utils import ____
    utils.setup()
"""
from . import charts, exercises, quantities, widgets
from .data import (
    DataFileError,
    Derived,
    Figure,
    Table,
    derive,
    figure,
    figures,
    glossary,
    load_figures,
    load_table,
    national_series,
    report_list,
    section_title,
    table,
    validate_table,
    value,
    where,
)
from .exercises import ____, hide_solutions
from .lessons import exercises_for
from .quantities import (
    base_from_pct_change,
    base_from_points,
    bounds,
    format_cn,
    from_wan,
    from_yi,
    multiple_readings,
    parse_cn,
    pct_change,
    points_change,
    to_wan,
    to_yi,
)
from .style import setup
from .widgets import dropdown, is_static, live_chart, multi, slider, toggle

__all__ = [
    "DataFileError", "Derived", "Figure", "____", "base_from_pct_change", "base_from_points", "bounds",
    "Table", "charts", "derive", "dropdown", "exercises", "exercises_for", "figure", "figures",
    "format_cn", "from_wan", "from_yi", "glossary", "hide_solutions", "is_static", "live_chart",
    "load_figures", "load_table", "multi", "multiple_readings", "national_series", "quantities", "parse_cn",
    "pct_change", "points_change", "report_list", "section_title", "setup", "slider", "table", "to_wan", "to_yi",
    "toggle", "validate_table", "value", "where", "widgets",
]
