"""The classroom: exam edition, grading, the class report, a tested JupyterHub, the instructor guide.

Command line (``python -m utils.classroom --help``)::

    python -m utils.classroom exam OUT              # a learner copy with no answer key in it
    python -m utils.classroom grade FILES… --out D  # score submissions with the teacher's key (CSV)
    python -m utils.classroom report PATHS… --out D # class report: offline HTML + CSV
    python -m utils.classroom guide                 # the teacher's answer file, on demand: .teacher/ (not served, not in git)

The hub configuration is classroom/hub/jupyterhub_config.py (logic in :mod:`utils.classroom.hub`).
"""
