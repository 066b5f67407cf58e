"""The exercise engine: ``ex.q1.check(answer)``, ``ex.q1.hint()``, ``ex.q1.solution()``, ``ex.progress()``.

Kinds: :class:`Numeric`, :class:`Interval`, :class:`Choice`, :class:`MultiChoice`, :class:`Term`,
:class:`Code` (a DataFrame or Series the learner built), :class:`Chart` (a chart the learner drew)
and :class:`Discussion` (recorded, never judged).  Every kind takes ``hints`` (≥ 3 steps),
``mistakes`` (:class:`Mistake`, ids from :data:`MISCONCEPTIONS`), ``solution``, ``code``, ``topic``,
``skills``, ``capstone`` and ``level``.

Judge, then show: ``problem.evaluate(answer)`` returns a :class:`Verdict` (status unanswered /
invalid / wrong / close / correct / recorded, message, mistake id, details) and does nothing else;
``check`` evaluates, records (history + the attempt record, :mod:`.attempts`) and shows (:mod:`.views`).

Promises to learners:
- the placeholder ``____`` (or ``...``, an empty string) means *unanswered*: a gentle reminder;
- no input and no call slip makes ``check``/``hint``/``solution``/``progress`` raise: a Chinese
  message says what was expected; objects that raise even ``SystemExit`` are caught;
- learner input is never evaluated as code (no ``eval``/``exec``).

Variants (:mod:`.variants`): an exercise may declare ``Varied(make, …)`` — a pool of parameter sets
from which the learner's seed (hub name, or a random seed stored beside the attempt log) picks one;
``Exercises.with_variants()`` and the exam edition use them, practice keeps the declared problem;
each attempt of a variant stores its seed and ``grade`` rebuilds that variant.

Exam mode: ``HIDE_SOLUTIONS=1`` in the environment when ``utils`` is imported (or
``hide_solutions(True)``; it cannot be switched back from the kernel).  ``check()`` records and says
so, without a verdict; solutions and hints past the first step are hidden; problems built in exam
mode hold no answer (``problem.public()`` is what a learner may see).
"""
from .book import Exercises, catalogue_title
from .chart import Chart, Drawn, read_axes
from .core import (
    MISCONCEPTIONS,
    STATUSES,
    Attempt,
    Feedback,
    Invalid,
    KeyView,
    Mistake,
    MistakeInfo,
    Problem,
    Verdict,
    ____,
    describe,
    hide_solutions,
    is_blank,
    key_of,
    raised_by_learner,
    safe_repr,
    solutions_hidden,
    type_name,
)
from .kinds import Choice, Code, Discussion, Interval, MultiChoice, Numeric, Term, normalise_term, to_number
from .attempts import Record, export_attempts, log_path, read_log
from .views import Note, Progress, show
from .variants import Varied, learner_seed

KINDS = (Numeric, Interval, Choice, MultiChoice, Term, Code, Chart, Discussion)

__all__ = [
    "Attempt", "Chart", "Choice", "Code", "Discussion", "Drawn", "Exercises", "Feedback", "Interval",
    "Invalid", "KINDS", "KeyView", "MISCONCEPTIONS", "Mistake", "MistakeInfo", "MultiChoice", "Note", "Numeric",
    "Problem", "Progress", "Record", "Varied", "learner_seed", "STATUSES", "Term", "Verdict", "____", "catalogue_title", "describe",
    "export_attempts", "hide_solutions", "is_blank", "key_of", "log_path", "normalise_term", "raised_by_learner",
    "read_axes", "read_log", "safe_repr", "show", "solutions_hidden", "to_number", "type_name",
]
