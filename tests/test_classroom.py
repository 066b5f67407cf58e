"""Classroom tools: grade and report on attempt files written by real kernels and on damaged ones;
the exam edition holds no answer key (see also tests/test_hub.py)."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from utils.classroom import attempts, grade, report
from utils.classroom.__main__ import main as cli

ROOT = Path(__file__).resolve().parents[1]


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------
# attempt files written by real kernels
# ---------------------------------------------------------------------------

def _learner_notebook(log: Path, learner: str, answers: list[str]):
    """A tiny notebook a learner might run: the setup cell, then check() calls."""
    cells = [nbformat.v4.new_code_cell(
        "import os, sys\n"
        f"os.environ['COURSE_ATTEMPTS'] = {str(log)!r}\n"
        f"os.environ['JUPYTERHUB_USER'] = {learner!r}\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import utils\nfrom utils import ____\nutils.setup()\nex = utils.exercises_for(1)\n"
        'p, a = utils.figure("ch1.promoted_cadres"), utils.figure("ch1.accountable_cadres")')]
    cells += [nbformat.v4.new_code_cell(code) for code in answers]
    return nbformat.v4.new_notebook(cells=cells)


@pytest.fixture(scope="module")
def kernel_logs(tmp_path_factory):
    """Two learners' attempt files written by check() in real kernels (nbclient)."""
    base = tmp_path_factory.mktemp("homes")
    plan = {
        "amy": ["ex.q3.check(p.value / a.value)", 'ex.q8.check("B")'],
        "bo": ["ex.q3.check(____)", "ex.q3.check(a.value / p.value)", "ex.q3.check(a.value / p.value)",
               "ex.q3.check(a.value / p.value)", 'ex.q8.check("A")', "ex.q8.check([1, 2])"],
    }
    logs = {}
    for learner, answers in plan.items():
        home = base / learner / "course" / "notebooks"
        home.mkdir(parents=True)
        log = home / "attempts.jsonl"
        nb = _learner_notebook(log, learner, answers)
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(home)}}).execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, errors
        logs[learner] = log
    return base, logs


def test_kernels_write_contract_records(kernel_logs):
    base, logs = kernel_logs
    for learner, log in logs.items():
        assert log.is_file(), f"check() wrote no attempt file for {learner}"
        lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.strip()]
        assert lines and all(r["learner"] == learner and r["chapter"] == 1 for r in lines)
        assert {"v", "time", "exercise", "kind", "answer", "status", "mistake", "exam"} <= set(lines[0])


def test_report_on_kernel_files_and_damaged_ones(kernel_logs, tmp_path):
    base, logs = kernel_logs
    damaged = tmp_path / "damaged"
    (damaged / "cy" / "course" / "notebooks").mkdir(parents=True)
    good = logs["amy"].read_text(encoding="utf-8").splitlines()
    (damaged / "cy" / "course" / "notebooks" / "attempts.jsonl").write_text(
        good[0].replace('"amy"', '"cy"') + "\n" + good[1][: len(good[1]) // 2], encoding="utf-8")  # cut mid-line
    (damaged / "attempts-binary.jsonl").write_bytes(b"\x00\xff\xfe\x80 not json\n")
    (damaged / "attempts-empty.jsonl").write_bytes(b"")
    (damaged / "attempts-wrongshape.jsonl").write_text('[1, 2]\n{"exercise": "x", "chapter": "one"}\n')
    out = tmp_path / "report"
    assert cli(["report", str(base), str(damaged), str(tmp_path / "missing"), "--out", str(out)]) == 0
    learners = {r["learner"]: r for r in _rows(out / "learners.csv")}
    assert set(learners) == {"amy", "bo", "cy"}
    assert learners["bo"]["stuck_on"] == "1.q3"
    q3 = next(r for r in _rows(out / "exercises.csv") if r["chapter"] == "1" and r["exercise"] == "q3")
    assert (q3["tried"], q3["completed"], q3["first_try_correct"]) == ("3", "2", "2")
    assert "inverted-ratio" in q3["top_mistakes"] or "×" in q3["top_mistakes"]
    problems = _rows(out / "problems.csv")
    files = {Path(r["file"]).name for r in problems}
    assert {"attempts-binary.jsonl", "attempts-empty.jsonl", "attempts-wrongshape.jsonl", "missing"} <= files
    assert any(r["file"].endswith("cy/course/notebooks/attempts.jsonl") for r in problems)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "<script" not in page and "http://" not in page and "https://" not in page and "<link" not in page


def test_grade_rejudges_with_the_teachers_key(kernel_logs, tmp_path):
    base, logs = kernel_logs
    out = tmp_path / "grades"
    assert cli(["grade", str(base), "--all", "--out", str(out)]) == 0
    detail = {(r["learner"], r["exercise"]): r for r in _rows(out / "grades_detail.csv")}
    assert detail[("amy", "q3")]["graded_status"] == "correct"
    assert detail[("amy", "q8")]["graded_status"] == "correct"
    assert detail[("bo", "q3")]["graded_status"] == "wrong"
    assert detail[("bo", "q8")]["graded_status"] in ("invalid", "wrong")  # the last answer counts
    learners = {r["learner"]: r for r in _rows(out / "grades_learners.csv")}
    assert learners["amy"]["score"] == "2" and learners["bo"]["score"] == "0"


def test_grade_parses_literals_only():
    assert grade.parse_answer("15.0") == 15.0
    assert grade.parse_answer("-3") == -3
    assert grade.parse_answer("'25.5万'") == "25.5万"
    assert grade.parse_answer("(1, 2.5)") == (1, 2.5)
    for bad in ("__import__('os').system('true')", "1 + 1", "p.value / a.value", "[x for x in ()]",
                "True", "None", "{1: 2}", "f'{1}'", "a" * 1000, ""):
        with pytest.raises(grade.Unparseable):
            grade.parse_answer(bad)


def test_exam_records_are_rejudged_and_code_is_left_for_marking(tmp_path):
    lines = [
        {"v": 1, "time": "2026-11-29T03:00:00+00:00", "learner": "dan", "chapter": 1, "exercise": "q8",
         "kind": "choice", "answer": "'B'", "status": "recorded", "mistake": None, "exam": True},
        {"v": 1, "time": "2026-11-29T03:01:00+00:00", "learner": "dan", "chapter": 1, "exercise": "q1",
         "kind": "code", "answer": "year\n2016 28", "status": "recorded", "mistake": None, "exam": True},
        {"v": 1, "time": "2026-11-29T03:02:00+00:00", "learner": "dan", "chapter": 1, "exercise": "q3",
         "kind": "numeric", "answer": "os.system('x')", "status": "recorded", "mistake": None, "exam": True},
        {"v": 1, "time": "2026-11-29T02:00:00+00:00", "learner": "dan", "chapter": 1, "exercise": "q2",
         "kind": "multichoice", "answer": "'AB'", "status": "wrong", "mistake": None, "exam": False},
    ]
    f = tmp_path / "attempts.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    rows, log = grade.grade([f])
    got = {g.exercise: g for g in rows}
    assert set(got) == {"q8", "q1", "q3"}  # exam records only, when there are any
    assert got["q8"].status == "correct"
    assert got["q1"].status == "manual"
    assert got["q3"].status == "invalid"  # judged as the text it is, never run


def test_reader_survives_any_bytes(tmp_path):
    f = tmp_path / "attempts.jsonl"
    f.write_bytes(bytes(range(256)) * 4 + b"\n{}\n" + b"{" * 5000 + b"\n")
    log = attempts.read([f])
    assert not log.records and log.problems
    rep = report.build([f])
    assert rep.n_learners == 0
    report.write(rep, tmp_path / "out")
