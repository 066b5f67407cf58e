"""Helpers shared by the lessons: data, numbers, fonts, charts, widgets, exercises.

The setup cell of every chapter (the package is installed with ``pip install -r requirements.txt``,
so no ``sys.path`` edit is needed)::

    import utils
    utils.setup()
    ex = utils.exercises_for(1)
"""
from . import catalog, charts, exercises, quantities, widgets
from .charts import chart_frame, describe
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
from .exercises import ____, export_attempts, hide_solutions
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
from . import style


def setup(*, quiet: bool = True) -> None:
    """Prepare a notebook: Chinese fonts, the chart theme, display options (:func:`utils.style.setup`),
    and the exercise placeholder ``____`` in the learner's namespace (so the setup cell has no blank
    in it, while exercise cells can still say ``answer_q1 = ____``)."""
    style.setup(quiet=quiet)
    _inject_placeholder()


def _inject_placeholder() -> bool:
    from .env import shell as current_shell

    shell = current_shell()
    if shell is None or not hasattr(shell, "user_ns"):
        return False
    shell.user_ns["____"] = ____
    return True


from .widgets import dropdown, is_static, live_chart, multi, slider, toggle

__all__ = [
    "DataFileError", "Derived", "Figure", "____", "base_from_pct_change", "base_from_points", "bounds",
    "Table", "catalog", "chart_frame", "charts", "describe", "derive", "dropdown", "exercises", "exercises_for", "export_attempts", "figure", "figures",
    "format_cn", "from_wan", "from_yi", "glossary", "hide_solutions", "is_static", "live_chart",
    "load_figures", "load_table", "multi", "multiple_readings", "national_series", "quantities", "parse_cn",
    "pct_change", "points_change", "report_list", "section_title", "setup", "slider", "table", "to_wan", "to_yi",
    "toggle", "validate_table", "value", "where", "widgets",
]
