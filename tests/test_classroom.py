"""Classroom tools: grade and report on attempt files written by real kernels and on damaged ones;
the exam edition holds no answer key (see also tests/test_hub.py)."""
from __future__ import annotations

import csv
import json
import os
import re
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

def _ratio_problem() -> str:
    """Chapter 1's numeric problem whose answer is promoted ÷ accountable cadres (found, not hard-coded)."""
    import utils
    from utils.lessons import exercises_for

    want = utils.figure("ch1.promoted_cadres").value / utils.figure("ch1.accountable_cadres").value
    return next(p.name for p in exercises_for(1) if p.kind == "numeric" and abs(p.answer - want) < 1e-9)


def _first(chapter, kind):
    """The first problem of ``kind`` in a chapter (chosen from the teacher's key, not hard-coded)."""
    from utils.lessons import exercises_for

    return next(p for p in exercises_for(chapter) if p.kind == kind)


RATIO = _ratio_problem()
CHOICE = _first(1, "choice").name


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
    q, c = RATIO, CHOICE
    wrong_letter = next(k for k in "ABCD" if k != _first(1, "choice").answer)
    plan = {
        "amy": [f"ex.{q}.check(p.value / a.value)", f'ex.{c}.check("{_first(1, "choice").answer}")'],
        "bo": [f"ex.{q}.check(____)", f"ex.{q}.check(a.value / p.value)", f"ex.{q}.check(a.value / p.value)",
               f"ex.{q}.check(a.value / p.value)", f'ex.{c}.check("{wrong_letter}")', f"ex.{c}.check([1, 2])"],
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


@pytest.mark.slow
def test_kernels_write_contract_records(kernel_logs):
    base, logs = kernel_logs
    for learner, log in logs.items():
        assert log.is_file(), f"check() wrote no attempt file for {learner}"
        lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.strip()]
        assert lines and all(r["learner"] == learner and r["chapter"] == 1 for r in lines)
        assert {"v", "time", "exercise", "kind", "answer", "status", "mistake", "exam"} <= set(lines[0])


@pytest.mark.slow
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
    assert learners["bo"]["stuck_on"] == f"1.{RATIO}"
    q3 = next(r for r in _rows(out / "exercises.csv") if r["chapter"] == "1" and r["exercise"] == RATIO)
    assert (q3["tried"], q3["completed"], q3["first_try_correct"]) == ("3", "2", "2")
    diagnosed = {r["mistake"] for r in map(json.loads, logs["bo"].read_text(encoding="utf-8").splitlines())
                 if r["exercise"] == RATIO} - {None}
    assert diagnosed, "the inverted ratio should have been diagnosed"
    for mistake in diagnosed:  # the mistakes the engine diagnosed in bo's kernel are counted, by name
        assert mistake in q3["top_mistakes"] and "×3" in q3["top_mistakes"]
    problems = _rows(out / "problems.csv")
    files = {Path(r["file"]).name for r in problems}
    assert {"attempts-binary.jsonl", "attempts-empty.jsonl", "attempts-wrongshape.jsonl", "missing"} <= files
    assert any(r["file"].endswith("cy/course/notebooks/attempts.jsonl") for r in problems)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "<script" not in page and "http://" not in page and "https://" not in page and "<link" not in page


@pytest.mark.slow
def test_grade_rejudges_with_the_teachers_key(kernel_logs, tmp_path):
    base, logs = kernel_logs
    out = tmp_path / "grades"
    assert cli(["grade", str(base), "--all", "--out", str(out)]) == 0
    detail = {(r["learner"], r["exercise"]): r for r in _rows(out / "grades_detail.csv")}
    assert detail[("amy", RATIO)]["graded_status"] == "correct"
    assert detail[("amy", CHOICE)]["graded_status"] == "correct"
    assert detail[("bo", RATIO)]["graded_status"] == "wrong"
    assert detail[("bo", CHOICE)]["graded_status"] in ("invalid", "wrong")  # the last answer counts
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
    choice, code, numeric, multi = (_first(1, k) for k in ("choice", "code", "numeric", "multichoice"))
    wrong_multi = "".join(sorted(set("ABCDEF") - set(multi.answer)))[:2]
    lines = [
        {"v": 1, "time": "2026-11-29T03:00:00+00:00", "learner": "dan", "chapter": 1, "exercise": choice.name,
         "kind": "choice", "answer": repr(choice.answer), "status": "recorded", "mistake": None, "exam": True},
        {"v": 1, "time": "2026-11-29T03:01:00+00:00", "learner": "dan", "chapter": 1, "exercise": code.name,
         "kind": "code", "answer": "year\n2016 28", "status": "recorded", "mistake": None, "exam": True},
        {"v": 1, "time": "2026-11-29T03:02:00+00:00", "learner": "dan", "chapter": 1, "exercise": numeric.name,
         "kind": "numeric", "answer": "os.system('x')", "status": "recorded", "mistake": None, "exam": True},
        {"v": 1, "time": "2026-11-29T02:00:00+00:00", "learner": "dan", "chapter": 1, "exercise": multi.name,
         "kind": "multichoice", "answer": repr(wrong_multi), "status": "wrong", "mistake": None, "exam": False},
    ]
    f = tmp_path / "attempts.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    rows, log = grade.grade([f])
    got = {g.exercise: g for g in rows}
    assert set(got) == {choice.name, code.name, numeric.name}  # exam records only, when there are any
    assert got[choice.name].status == "correct"
    assert got[code.name].status == "manual"
    assert got[numeric.name].status == "invalid"  # judged as the text it is, never run


def test_reader_survives_any_bytes(tmp_path):
    f = tmp_path / "attempts.jsonl"
    f.write_bytes(bytes(range(256)) * 4 + b"\n{}\n" + b"{" * 5000 + b"\n")
    log = attempts.read([f])
    assert not log.records and log.problems
    rep = report.build([f])
    assert rep.n_learners == 0
    report.write(rep, tmp_path / "out")


# ---------------------------------------------------------------------------
# the exam edition holds no answer key
# ---------------------------------------------------------------------------
#
# Exclusion rule: an answer is *not* searched for when it is a figure the learner is given — its
# value equals a number of the data tables (data/*.csv, base units; e.g. a lower bound that is the
# report's own "1200多万", or 练习 1's last cumulative count, the report's 832 counties) or the
# form occurs in that problem's own prompt or options.  Other problems' prompts are searched:
# an option of 练习 3 that states 练习 2's answer is a leak.
# A chapter's own files (notebooks/0N_*, utils/lessons/chN*) and kernel objects are searched for
# that chapter's answers, shared files (utils/*.py, data, README) for every chapter's.
# Forms shorter than three characters ("15", "B") are searched only where they would state an
# answer: "answer_qN = …", "选 B", "答案是 …".

from utils.classroom import exam as exam_mod  # noqa: E402
from utils.classroom.key import all_problems  # noqa: E402
from utils.quantities import format_cn  # noqa: E402


def _number_forms(v: float, unit: str = "") -> set[str]:
    forms = {repr(float(v)), f"{v:g}"}
    for d in range(0, 4):
        forms.add(f"{v:.{d}f}")
    for u in ("", unit):
        try:
            forms.add(format_cn(v, u) if u else format_cn(v))
        except Exception:  # noqa: BLE001
            pass
    if abs(v) >= 1e4:
        for d in range(0, 3):
            forms.add(f"{v / 1e4:.{d}f}万")
    if abs(v) >= 1e8:
        forms.add(f"{v / 1e8:g}亿")
    return {f for f in forms if f and f not in ("0", "-0", "0.0", "0.00", "0.000")}


def _data_numbers() -> list[float]:
    """Every number in the data tables (base units): the figures a learner is given."""
    import csv as _csv

    out = []
    for path in (ROOT / "data").glob("*.csv"):
        with open(path, encoding="utf-8") as f:
            for row in _csv.reader(f):
                for cell in row:
                    try:
                        out.append(float(cell))
                    except ValueError:
                        pass
    return out


def _given_number(v: float, given: list[float]) -> bool:
    return any(abs(v - g) <= 1e-9 * max(1.0, abs(g)) for g in given)


def answer_forms() -> dict:
    """{(chapter, exercise): set of strings that would state the answer}."""
    import pandas as pd

    given = _data_numbers()
    out = {}
    for key, p in all_problems().items():
        forms: set[str] = set()
        kind = p.kind
        try:
            ans = p.answer
        except Exception:  # noqa: BLE001 - a kind without a single reference value
            ans = None
        values = []
        if kind == "numeric":
            values = [float(ans)]
        elif kind == "interval":
            values = [float(v) for v in ans]
        for v in values:
            if not _given_number(v, given):  # the exclusion rule: a figure of the data is given
                forms |= _number_forms(v, getattr(p, "unit", ""))
        if kind in ("numeric", "interval"):
            pass
        elif kind in ("choice", "multichoice"):
            forms.add("".join(sorted(str(ans).upper())))
        elif kind == "term":
            for t in (getattr(p, "answers", None) or getattr(p, "_answers", None) or [ans]):
                forms.add(str(t))
        elif isinstance(ans, (pd.DataFrame, pd.Series)):
            frame = ans.to_frame() if isinstance(ans, pd.Series) else ans
            for col in frame.columns:
                if pd.api.types.is_numeric_dtype(frame[col]):
                    for v in frame[col].dropna():
                        if not _given_number(float(v), given):
                            forms |= _number_forms(float(v))
        out[key] = forms
    return out


def _given_text(p) -> str:
    opts = getattr(p, "options", {}) or {}
    return p.prompt + " " + " ".join(str(v) for v in opts.values())


@pytest.fixture(scope="module")
def exam_tree(tmp_path_factory):
    return exam_mod.build(tmp_path_factory.mktemp("exam") / "course")


def _chapter_of(where: str) -> int | None:
    """The chapter a file or kernel object belongs to (None: shared by all chapters)."""
    m = re.search(r"notebooks/0(\d)_|lessons/ch(\d)|chapter (\d)", where)
    return int(next(g for g in m.groups() if g)) if m else None


#: memory addresses and uuid-like ids in kernel objects' reprs (random, never an answer)
RANDOM_HEX = re.compile(r"(?<![0-9A-Za-z])(?:0x[0-9a-fA-F]+|(?=[0-9a-fA-F-]*[a-fA-F])(?=[0-9a-fA-F-]*\d)[0-9a-fA-F-]{12,})(?![0-9A-Za-z])")


def _search(texts: dict, forms: dict) -> list[str]:
    """Places where an answer form occurs in ``texts`` ({where: text}).  A chapter's own files and
    objects are searched for that chapter's answers; shared files for every chapter's."""
    problems = all_problems()
    data_text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "data").glob("*.csv"))
    found = []
    for key, fs in forms.items():
        given = _given_text(problems[key]) + "\n" + data_text
        ch, name = key
        scoped = {w: t for w, t in texts.items() if _chapter_of(w) in (None, ch)}
        for form in fs:
            if len(form) < 3:
                pats = [rf"answer_{name}\s*=\s*['\"]?{re.escape(form)}\b", rf"选\s*{re.escape(form)}(?![A-Za-z])",
                        rf"答案[是为：:\s]*{re.escape(form)}(?![\dA-Za-z.])"]
            else:
                if re.search(rf"(?<![\d.]){re.escape(form)}(?!\.?\d)", given):
                    continue  # a figure the learner is given (the exclusion rule)
                # not a version pin or a comparison in code ("numpy>=2.4", "python_requires==3.11")
                pats = [rf"(?<![\d.=<>~]){re.escape(form)}(?!\.?\d)"]
            for where, text in scoped.items():
                for pat in pats:
                    m = re.search(pat, text)
                    if m:
                        found.append(f"{ch}.{name} answer {form!r} in {where}: …{text[max(0, m.start() - 60):m.end() + 30]}…")
    return found




def _string_literals(source: str) -> str:
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source  # not parseable: search all of it
    return "\n".join(t.string for t in tokens if t.type == tokenize.STRING
                     or getattr(tokenize, "FSTRING_MIDDLE", None) == t.type)


@pytest.mark.slow
def test_exam_tree_holds_no_answer(exam_tree):
    files = [p for p in exam_tree.rglob("*") if p.is_file()]
    assert any(p.suffix == ".ipynb" for p in files)
    texts = {str(p.relative_to(exam_tree)): p.read_bytes().decode("utf-8", errors="ignore") for p in files}
    # In Python files a learner meets text through the string literals (messages, prompts, options);
    # bare numbers in code are layout factors and thresholds (``span * 1.25``), not stated answers.
    texts = {w: (_string_literals(t) if w.endswith(".py") else t) for w, t in texts.items()}
    assert not any("solution(" in t and "ex.q" in t and p.endswith(".ipynb") and
                   re.search(r"^\s*#?\s*ex\.q\d+\.solution\(\)", t, re.M) for p, t in texts.items())
    for nb in (exam_tree / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        from utils import marks

        assert not any(marks.AFTER_ATTEMPT in marks.tags_of(c) for c in cells)
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code")
    assert not (exam_tree / "docs").exists() and not (exam_tree / "tests").exists()
    assert not (exam_tree / "utils" / "classroom").exists()
    found = _search(texts, answer_forms())
    assert not found, "\n".join(found[:30])


@pytest.mark.slow
def test_exam_kernel_objects_hold_no_answer(exam_tree, tmp_path):
    """Every problem object of an exam kernel, its dir() and vars(), and what hint()/solution() show."""
    log = tmp_path / "attempts.jsonl"
    probe = (
        "import os, sys, json\n"
        f"os.environ['COURSE_ATTEMPTS'] = {str(log)!r}\nos.environ['JUPYTERHUB_USER'] = 'exam-taker'\n"
        "sys.path.insert(0, '..')\n"
        "import utils\nfrom utils import ____\nimport utils.lessons as L\n"
        "seen, texts = set(), []\n"
        "def walk(obj, depth):\n"
        "    if id(obj) in seen or depth > 3: return\n"
        "    seen.add(id(obj))\n"
        "    try: texts.append(repr(obj)[:5000])\n"
        "    except Exception: pass\n"
        "    if isinstance(obj, dict):\n"
        "        for k, v in obj.items(): walk(k, depth + 1); walk(v, depth + 1)\n"
        "    elif isinstance(obj, (list, tuple, set, frozenset)):\n"
        "        for v in obj: walk(v, depth + 1)\n"
        "    elif hasattr(obj, '__dict__') and not isinstance(obj, type(sys)):\n"
        "        walk(vars(obj), depth + 1)\n"
        "        for a in dir(obj):\n"
        "            if a.startswith('__'): continue\n"
        "            try: v = getattr(obj, a)\n"
        "            except Exception as e: texts.append(type(e).__name__); continue\n"
        "            if not callable(v): walk(v, depth + 1)\n"
        "import importlib\n"
        "for ch in (1, 2, 3, 4):\n"
        "    ex = utils.exercises_for(ch)\n"
        "    texts.append(f'@chapter {ch}')\n"
        "    walk(ex, 0)\n"
        "    for p in ex:\n"
        "        p = p[1] if isinstance(p, tuple) else p\n"
        "        walk(p, 0)\n"
        "        p.hint(); p.hint(); p.hint(3); p.solution()\n"
        "        try: p.answer; texts.append('ANSWER-ATTRIBUTE')\n"
        "        except Exception: pass\n"
        "    walk(vars(importlib.import_module(f'utils.lessons.ch{ch}')), 0)\n"
        "print('@@' + json.dumps(texts, ensure_ascii=False))\n"
    )
    choice, numeric, multi = (_first(1, k) for k in ("choice", "numeric", "multichoice"))
    wrong_multi = "".join(sorted(set("ABCDEF") - set(multi.answer)))[:2]
    # the learner's cell computes the numeric answer from the data (the exam copy holds no key)
    answer = (f"ex = utils.exercises_for(1)\nex.{numeric.name}.check({numeric.answer!r} * 1.0)\n"
              f"ex.{choice.name}.check({choice.answer!r})\nex.{multi.name}.check({wrong_multi!r})")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(probe), nbformat.v4.new_code_cell(answer)])
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(exam_tree / "notebooks")}}).execute()
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outs if o.get("output_type") == "error"], outs
    shown = []
    texts = []
    for o in outs:
        text = o.get("text") or (o.get("data") or {}).get("text/plain", "")
        if text.startswith("@@"):
            texts = json.loads(text[2:])
        else:
            shown.append(text)
    assert texts and "ANSWER-ATTRIBUTE" not in texts
    by_place, chapter = {}, None
    for i, t in enumerate(texts):
        if t.startswith("@chapter "):
            chapter = int(t.split()[1])
        # reprs hold memory addresses ("… object at 0x7fb436e00c90>") and ids (session and message
        # uuids): random hex digits with no answer in them, where an answer such as 436 can occur by
        # chance (seen once in CI)
        by_place[f"kernel object {i} of chapter {chapter}"] = RANDOM_HEX.sub("<hex>", t)
    found = _search(by_place, answer_forms())
    found += _search({f"shown {i}": t for i, t in enumerate(shown)}, answer_forms())
    assert not found, "\n".join(found[:30])
    # the answers were recorded without a verdict …
    assert sum("已记录" in t for t in shown) == 3
    records = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["recorded"] * 3 and all(r["exam"] for r in records)
    # … and the teacher grades them with the key
    rows, _ = grade.grade([log])
    got = {g.exercise: g.status for g in rows}
    assert got == {numeric.name: "correct", choice.name: "correct", multi.name: "wrong"}


@pytest.mark.slow
def test_generated_teacher_answers_are_current():
    """docs/instructor_answers.md is generated from the lessons' declared mistakes: it must not drift."""
    assert cli(["guide", "--check"]) == 0, "run: python -m utils.classroom guide"
    text = (ROOT / "docs" / "instructor_answers.md").read_text(encoding="utf-8")
    assert "<Axes" not in text and "<Figure" not in text   # example charts are described, not repr'd


def test_hub_driver_speaks_jupyterlabs_kernel_websocket_protocol():
    """The driver's v1 frames are what jupyter_server parses, and it reads what the server sends."""
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1,
        serialize_msg_to_ws_v1,
    )

    from utils.classroom.hubdriver import decode_v1, encode_v1

    msg = {"channel": "shell", "header": {"msg_id": "a1", "msg_type": "execute_request"},
           "parent_header": {}, "metadata": {}, "content": {"code": "print('中文')"}}
    channel, parts = deserialize_msg_from_ws_v1(encode_v1(msg))
    assert channel == "shell" and [json.loads(p) for p in parts] == [msg["header"], {}, {}, msg["content"]]

    reply = [json.dumps(x).encode() for x in ({"msg_type": "stream", "msg_id": "b2"}, {"msg_id": "a1"}, {},
                                                {"name": "stdout", "text": "中文\n"})]
    got = decode_v1(serialize_msg_to_ws_v1(reply, "iopub"))
    assert got["channel"] == "iopub" and got["msg_type"] == "stream"
    assert got["parent_header"] == {"msg_id": "a1"} and got["content"]["text"] == "中文\n"


def test_the_kubernetes_example_uses_the_tested_server_arguments_and_environment():
    """classroom/hub/z2jh-values.example.yaml is not run here: it must not drift from the tested hub."""
    import re

    from utils.classroom.hub import LEARNER_ONLY_ARGS, SERVER_ARGS

    text = (ROOT / "classroom" / "hub" / "z2jh-values.example.yaml").read_text(encoding="utf-8")
    args = re.findall(r"^\s+- (--\S+)", text, flags=re.M)
    assert sorted(args) == sorted(SERVER_ARGS + LEARNER_ONLY_ARGS)
    assert re.search(r"^\s+NBFORMAT_VALIDATOR: jsonschema\b", text, flags=re.M)
    assert re.search(r'^\s+cmd: \["python", "[^"]*singleuser\.py"\]', text, flags=re.M)
