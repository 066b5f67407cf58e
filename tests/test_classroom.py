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

from utils.exercises import key_of  # noqa: E402
from utils.classroom import grade, report
from utils.exercises import attempts
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
    return next(p.name for p in exercises_for(1) if p.kind == "numeric" and abs(key_of(p).answer - want) < 1e-9)


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
    wrong_letter = next(k for k in "ABCD" if k != key_of(_first(1, "choice")).answer)
    plan = {
        "amy": [f"ex.{q}.check(p.value / a.value)", f'ex.{c}.check("{key_of(_first(1, "choice")).answer}")'],
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


def _line(chapter, exercise, kind, answer, status, *, learner="x", exam=False, time="2026-11-29T03:00:00+00:00",
          mistake=None) -> str:
    return attempts.Record(chapter=chapter, exercise=exercise, kind=kind, answer=answer, status=status,
                           mistake=mistake, exam=exam, time=time, learner=learner).to_json()


def test_exam_records_are_rejudged_and_discussion_is_left_for_marking(tmp_path):
    choice, code, numeric, multi, discussion = (_first(1, k) for k in
                                                ("choice", "code", "numeric", "multichoice", "discussion"))
    wrong_multi = "".join(sorted(set("ABCDEF") - set(key_of(multi).answer)))[:2]
    from utils.exercises import attempts as engine_attempts  # noqa: F401 - one record type
    lines = [
        _line(1, choice.name, "choice", key_of(choice).answer, "recorded", exam=True),
        _line(1, code.name, "code", code.stored_answer(key_of(code).answer), "recorded", exam=True),
        _line(1, numeric.name, "numeric", "os.system('x')", "recorded", exam=True),
        _line(1, discussion.name, "discussion", "我认为要看分母。", "recorded", exam=True),
        _line(1, multi.name, "multichoice", wrong_multi, "wrong", time="2026-11-29T02:00:00+00:00"),
    ]
    f = tmp_path / "attempts.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, log = grade.grade([f])
    got = {g.exercise: g for g in rows}
    assert set(got) == {choice.name, code.name, numeric.name, discussion.name}  # this learner's exam records
    assert got[choice.name].status == "correct"
    assert got[code.name].status == "correct"       # the stored table, judged again with the key
    assert got[numeric.name].status == "invalid"    # judged as the text it is, never run
    assert got[discussion.name].status == "manual"


def test_reader_survives_any_bytes(tmp_path):
    f = tmp_path / "attempts.jsonl"
    f.write_bytes(bytes(range(256)) * 4 + b"\n{}\n" + b"{" * 5000 + b"\n")
    log = attempts.scan([f])
    assert not log.records and log.problems
    rep = report.build([f])
    assert rep.n_learners == 0
    report.write(rep, tmp_path / "out")


# ---------------------------------------------------------------------------
# attack files (issue 25): each finishes in seconds with the honest result, the bad input listed
# ---------------------------------------------------------------------------

def _honest_class(base: Path) -> dict:
    """amy answers RATIO and CHOICE right; bo answers RATIO wrong (written as real records)."""
    ratio = exercises_for_key(1)[RATIO]
    choice = exercises_for_key(1)[CHOICE]
    homes = {}
    for learner, lines in {
        "amy": [_line(1, RATIO, "numeric", key_of(ratio).answer, "correct", learner="amy"),
                _line(1, CHOICE, "choice", key_of(choice).answer, "correct", learner="amy")],
        "bo": [_line(1, RATIO, "numeric", 1 / key_of(ratio).answer, "wrong", learner="bo")],
    }.items():
        home = base / learner / "course" / "notebooks"
        home.mkdir(parents=True)
        (home / "attempts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        homes[learner] = home
    mallory = base / "mallory" / "course" / "notebooks"
    mallory.mkdir(parents=True)
    homes["mallory"] = mallory
    return homes


def exercises_for_key(chapter):
    from utils.classroom.key import problems

    return problems(chapter)


def _attack(name: str, homes: dict) -> str:
    """Plant one attack file; return the file name that must be listed as a problem ('' if none)."""
    m = homes["mallory"]
    ratio = exercises_for_key(1)[RATIO]
    if name == "nested-json":
        (m / "attempts.jsonl").write_text('{"v":2,"answer":' + "[" * 60000 + "\n", encoding="utf-8")
    elif name == "5000-digit-id":
        (m / "attempts.jsonl").write_text('{"v":2,"chapter":1,"exercise":"q' + "7" * 5000 + '"}\n'
                                          '{"v":2,"chapter":' + "7" * 5000 + ',"exercise":"q1"}\n', encoding="utf-8")
    elif name == "20000-ids":
        with open(m / "attempts.jsonl", "w", encoding="utf-8") as f:
            for i in range(20000):
                f.write(_line(i % 99 + 1, f"q{i // 99 + 1}", "numeric", 1, "correct", learner="mallory") + "\n")
    elif name == "fifo":
        os.mkfifo(m / "attempts.jsonl")
    elif name == "symlink-dev-zero":
        os.symlink("/dev/zero", m / "attempts.jsonl")
        os.symlink("/dev", m / "devices")          # a symlinked folder is listed, never walked
    elif name == "forged-status":   # bo's own file: a wrong answer that says "correct"
        with open(homes["bo"] / "attempts.jsonl", "a", encoding="utf-8") as f:
            f.write(_line(1, RATIO, "numeric", 1 / key_of(ratio).answer, "correct", learner="bo",
                          time="2026-11-29T04:00:00+00:00") + "\n")
        return ""
    elif name == "foreign-learner":  # mallory writes a later wrong answer in amy's name
        (m / "attempts.jsonl").write_text(_line(1, RATIO, "numeric", 1.0, "wrong", learner="amy",
                                                time="2026-11-29T05:00:00+00:00") + "\n", encoding="utf-8")
    elif name == "stray-exam":
        (m / "attempts.jsonl").write_text(_line(1, CHOICE, "choice", "A", "recorded", learner="mallory", exam=True)
                                          + "\n", encoding="utf-8")
        return ""
    return "mallory/course/notebooks/attempts.jsonl"


ATTACKS = ("nested-json", "5000-digit-id", "20000-ids", "fifo", "symlink-dev-zero", "forged-status",
           "foreign-learner", "stray-exam")


@pytest.mark.parametrize("attack", ATTACKS)
def test_grade_and_report_on_an_attack_file(attack, tmp_path):
    import time

    base = tmp_path / "homes"
    homes = _honest_class(base)
    listed = _attack(attack, homes)
    # CPU seconds of this process (the machine may be shared: its load must not fail the test) under
    # 10 s, and a wall-clock bound that still catches a reader blocked on a FIFO or a device
    start, cpu = time.monotonic(), time.process_time()
    rows, log = grade.grade([base])
    rep = report.build([base])
    report.write(rep, tmp_path / "report")
    grade.write(rows, log, tmp_path / "grades")
    took, cpu = time.monotonic() - start, time.process_time() - cpu
    print(f"{attack}: grade + report took {took:.2f} s ({cpu:.2f} CPU-s)")
    assert cpu < 10 and took < 60
    got = {(g.learner, g.exercise): g.status for g in rows}
    # the honest result: amy 2 right, bo wrong — whatever the attack file says
    assert got[("amy", RATIO)] == "correct" and got[("amy", CHOICE)] == "correct"
    assert got[("bo", RATIO)] == "wrong"
    assert not any(g.learner == "amy" and g.status != "correct" for g in rows)
    assert sum(g.status == "correct" for g in rows if g.learner != "amy") == 0  # no fake id scores
    learners = {r.learner: r for r in rep.learners}
    assert learners["amy"].completed == 2 and learners["bo"].completed == 0
    if listed:
        assert any(str(p.file).endswith(listed) for p in log.problems + rep.log.problems), log.problems
    if attack == "symlink-dev-zero":
        assert any(str(p.file).endswith("mallory/course/notebooks/devices") for p in log.problems)
    if attack == "20000-ids":
        mallory = [g for g in rows if g.learner == "mallory"]   # fake ids rejected, real ones judged (wrong)
        assert sum(g.status == "rejected" for g in mallory) > 300 and len(mallory) <= attempts.MAX_IDS
        assert len(rows) < 1000 and len(rep.exercises) == len(all_problems())


def test_a_hub_export_keeps_the_hubs_names_only_when_the_teacher_names_it(tmp_path):
    """The classroom service's export (attempts-class.jsonl) carries the name the hub gave each record.
    Read as a hub export (``--hub-export``), those names count; the same file found among learners'
    files belongs to whoever holds it, whatever names it contains."""
    ratio = exercises_for_key(1)[RATIO]
    right, wrong = key_of(ratio).answer, 1 / key_of(ratio).answer
    export = tmp_path / "attempts-class.jsonl"
    export.write_text("\n".join([
        _line(1, RATIO, "numeric", right, "wrong", learner="amy"),
        _line(1, RATIO, "numeric", wrong, "correct", learner="bo"),
        _line(1, RATIO, "numeric", right, "correct", learner="Not A Hub Name!"),
    ]) + "\n", encoding="utf-8")
    rows, log = grade.grade([], hub_exports=[export])
    got = {(g.learner, g.exercise): g.status for g in rows}
    assert got == {("amy", RATIO): "correct", ("bo", RATIO): "wrong"}   # re-judged, names from the hub
    assert any("没有集线器给出的学员名" in p.reason for p in log.problems)
    rep = report.build([], hub_exports=[export])
    assert sorted(r.learner for r in rep.learners) == ["amy", "bo"]
    # the same file given as a learner's file: one learner (its place), never amy or bo
    home = tmp_path / "homes" / "mallory" / "course" / "notebooks"
    home.mkdir(parents=True)
    (home / "attempts.jsonl").write_text(export.read_text(encoding="utf-8"), encoding="utf-8")
    rows, _ = grade.grade([tmp_path / "homes"])
    assert {g.learner for g in rows} == {"mallory"}
    # the command line: a hub export is named with --hub-export
    out = tmp_path / "rep"
    assert cli(["report", "--hub-export", str(export), "--out", str(out)]) == 0
    assert "学员 2 名" in (out / "report.html").read_text(encoding="utf-8")


def test_csv_cells_that_could_run_as_formulas_are_escaped(tmp_path):
    base = tmp_path / "homes"
    home = base / "=cmd|' /C calc'!A0" / "course" / "notebooks"
    home.mkdir(parents=True)
    term = _first(1, "discussion")
    payloads = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    (home / "attempts.jsonl").write_text("\n".join(
        _line(term.chapter, term.name, "discussion", text, "recorded", time=f"2026-11-29T03:0{i}:00+00:00")
        for i, text in enumerate(payloads)) + "\n", encoding="utf-8")
    rows, log = grade.grade([base])
    paths = grade.write(rows, log, tmp_path / "grades")
    rep = report.build([base])
    paths += report.write(rep, tmp_path / "report")
    import csv as _csv

    for path in paths:
        if path.suffix != ".csv":
            continue
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in _csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)
    detail = _rows(tmp_path / "grades" / "grades_detail.csv")
    assert detail[0]["answer"].startswith("'") and detail[0]["learner"].startswith("'=cmd")


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
            ans = key_of(p).answer
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
            if len(form) < 3 or re.fullmatch(r"[A-F]+", form):  # letters of options: only in an answer's context
                pats = [rf"answer_{name}\s*=\s*['\"]?{re.escape(form)}\b", rf"选\s*{re.escape(form)}(?![A-Za-z])",
                        rf"答案[是为：:\s]*{re.escape(form)}(?![\dA-Za-z.])"]
            else:
                if re.search(rf"(?<![\d.]){re.escape(form)}(?!\.?\d)", given):
                    continue  # a figure the learner is given (the exclusion rule)
                # not a version pin or a comparison in code ("numpy>=2.4", "python_requires==3.11")
                pats = [rf"(?<![\d.=<>~]){re.escape(form)}(?!\.?\d)"]
                if form.isascii() and form.isalpha():  # choice letters ("ABE"), not a part of a word ("LABELS")
                    pats = [rf"(?<![A-Za-z_]){re.escape(form)}(?![A-Za-z_])"]
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
        "        walk(p, 0)\n"
        "        p.hint(); p.hint(); p.hint(3); p.solution()\n"
        "        try: p.answer; texts.append('ANSWER-ATTRIBUTE')\n"
        "        except Exception: pass\n"
        "    walk(vars(importlib.import_module(f'utils.lessons.ch{ch}')), 0)\n"
        "print('@@' + json.dumps(texts, ensure_ascii=False))\n"
    )
    choice, numeric, multi = (_first(1, k) for k in ("choice", "numeric", "multichoice"))
    wrong_multi = "".join(sorted(set("ABCDEF") - set(key_of(multi).answer)))[:2]
    # the learner's cell computes the numeric answer from the data (the exam copy holds no key)
    answer = (f"ex = utils.exercises_for(1)\nex.{numeric.name}.check({key_of(numeric).answer!r} * 1.0)\n"
              f"ex.{choice.name}.check({key_of(choice).answer!r})\nex.{multi.name}.check({wrong_multi!r})")
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
    assert all(r["v"] == attempts.VERSION for r in records)  # the one record type
    # … and the teacher grades them with the key
    rows, _ = grade.grade([log])
    got = {g.exercise: g.status for g in rows}
    assert got == {numeric.name: "correct", choice.name: "correct", multi.name: "wrong"}


def _kernel_env(tmp_path) -> dict:
    """The learner's environment as the guide installs it: the course is installed editable in the
    venv (``-e .``), no PYTHONPATH, exam mode not switched on from outside."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HIDE_SOLUTIONS", "COURSE_ATTEMPTS")}
    env["COURSE_ATTEMPTS"] = str(tmp_path / "attempts.jsonl")
    return env


EXAM_PROBE = (
    "import gc, json\nfrom utils.exercises import core\n"
    "for _p in ex:\n    _p.hint(); _p.hint(); _p.hint(2); _p.solution()\n"
    "print('@@' + json.dumps({'file': utils.__file__, 'edition': getattr(utils, 'EDITION', ''),\n"
    "    'hidden': core.solutions_hidden(), 'keys': sum(type(o).__name__ == '_Key' for o in gc.get_objects()),\n"
    "    'with_key': [p.name for p in ex if getattr(p, '_key', None) is not None],\n"
    "    'answers': [p.name for p in ex if hasattr(p, 'answer')]}))\n"
)


def test_the_editable_install_is_what_the_guide_installs():
    """The precondition of the exam tests below: this venv has the course installed editable."""
    import importlib.metadata

    # the installed distribution (pip's record has direct_url.json), not the build's own egg-info
    # folder in the repository root, which is on sys.path too when the tests run from the repository
    found = [json.loads(d.read_text("direct_url.json")) for d in
             importlib.metadata.distributions(name="poverty-to-revitalisation-course")
             if d.read_text("direct_url.json")]
    assert found and all(f["dir_info"].get("editable") is True for f in found), found


@pytest.mark.slow
@pytest.mark.parametrize("notebook", sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_exam_notebooks_run_the_exam_package_where_the_course_is_installed(exam_tree, notebook, tmp_path):
    """Each exam notebook, opened in the venv where the full course is installed editable, runs the
    exam copy's own package: exam mode on, no key object anywhere (gc), hints stop at step 1, no
    solution, no answer in any output, and zero error outputs."""
    path = exam_tree / "notebooks" / notebook
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(EXAM_PROBE))
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=_kernel_env(tmp_path))
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    errors = [(o.get("ename"), o.get("evalue", "")[:200]) for o in outs if o.get("output_type") == "error"]
    assert not errors, errors
    texts = [o.get("text") or (o.get("data") or {}).get("text/plain", "") for o in outs]
    assert not [t for t in texts if "Traceback" in t or "画不出来" in t]
    probe = json.loads(next(t for t in texts if t.startswith("@@"))[2:])
    assert Path(probe["file"]).resolve().is_relative_to(exam_tree.resolve()), probe["file"]
    assert probe["edition"] == "exam" and probe["hidden"] is True
    assert probe["keys"] == 0 and probe["with_key"] == [] and probe["answers"] == []
    assert not [t for t in texts if re.search(r"提示 [2-9]/", t)]
    assert not [t for t in texts if "参考要点" in t or "参考答案：" in t]
    chapter = int(notebook[1])
    # a code answer's cells are searched when they are at least 4 characters long: a 3-character
    # cell ("6.0", a per-year count of 练习 11) also occurs by chance in a chart's labels ("约6.0%")
    key = all_problems()
    forms = {k: {f for f in v if len(f) >= 4 or key[k].kind != "code"}
             for k, v in answer_forms().items() if k[0] == chapter}
    found = _search({f"notebooks/0{chapter}_ output {i}": RANDOM_HEX.sub("<hex>", t) for i, t in enumerate(texts)},
                    forms)
    assert not found, "\n".join(found[:10])


@pytest.mark.slow
def test_an_exam_kernel_holding_the_full_course_refuses_with_one_sentence(exam_tree, tmp_path):
    """If the kernel already imported the teacher's package, the exam's setup cell stops, in Chinese."""
    setup = next(c for c in nbformat.read(next((exam_tree / "notebooks").glob("01_*.ipynb")), as_version=4).cells
                 if c.cell_type == "code")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import utils"),
                                         nbformat.v4.new_code_cell(setup.source)])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(exam_tree / "notebooks")}}).execute(env=_kernel_env(tmp_path))
    first = [o for o in nb.cells[0].outputs if o.get("output_type") == "error"]
    assert not first
    error = [o for o in nb.cells[1].outputs if o.get("output_type") == "error"]
    assert error and error[0]["ename"] == "SystemExit" and "考试版" in error[0]["evalue"]
    assert "\n" not in error[0]["evalue"].strip()


# -- the teacher's answer file: on demand, outside what JupyterLab serves, never in git ------------------

def test_the_answer_file_is_not_in_git_and_its_folder_is_ignored():
    import subprocess

    from utils.classroom import guide

    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "docs"], capture_output=True, text=True, check=True)
    assert tracked.stdout.strip(), "git ls-files docs should list the guide"
    assert not [f for f in tracked.stdout.splitlines() if "answers" in f], tracked.stdout
    assert not subprocess.run(["git", "-C", str(ROOT), "ls-files", str(guide.TEACHER_DIR)],
                              capture_output=True, text=True, check=True).stdout.strip()
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(guide.DEFAULT_OUT)])
    assert ignored.returncode == 0, ".teacher/ must be in .gitignore"


def test_the_answer_files_folder_is_not_served_by_the_readme_launch(tmp_path):
    """README serves the repository root with JupyterLab; Jupyter Server neither lists nor opens hidden
    paths unless ContentsManager.allow_hidden is set, which nothing in the repository sets."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from tornado.web import HTTPError

    from utils.classroom import guide, hub

    rel = guide.DEFAULT_OUT.relative_to(ROOT)
    assert rel.parts[0].startswith(".") and rel.parts[0] == guide.TEACHER_DIR.name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "jupyter lab --ServerApp.root_dir=." in readme and "allow_hidden" not in readme
    for folder in (".jupyter", "jupyter-config", "classroom/hub"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".json", ".yaml", ".toml") and "node_modules" not in path.parts:
                assert "allow_hidden" not in path.read_text(encoding="utf-8", errors="replace"), path
    assert rel.parts[0] not in hub.COURSE_PARTS   # the hub's course copy leaves it out (and the exam edition)
    # what the served root would answer, with the real contents manager over a copy of the layout
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_text("答案", encoding="utf-8")
    (tmp_path / "README.md").write_text("# 课程", encoding="utf-8")
    cm = FileContentsManager(root_dir=str(tmp_path))
    assert cm.get("README.md")["content"] == "# 课程"
    listing = {item["name"] for item in cm.get("", content=True)["content"]}
    assert "README.md" in listing and rel.parts[0] not in listing
    for path in (rel.as_posix(), rel.parts[0]):
        with pytest.raises(HTTPError) as refused:
            cm.get(path)
        assert refused.value.status_code == 404


def test_tiny_example_values_keep_their_digits():
    from utils.classroom.guide import _number

    assert _number(0.00035) == "0.00035" and _number(3.2e-7) == "0.00000032"
    assert _number(1 / 15) == "0.0667" and _number(0.5) == "0.5" and _number(12.345) == "12.35"
    assert _number(0.0) == "0" and _number(255000) == "25.5万"


def test_two_mistakes_of_one_type_show_their_own_examples():
    from utils.classroom.guide import problem_lines
    from utils.exercises import Mistake, Numeric

    p = Numeric("某地共12万个，算一算。", 120000, unit="个", hints=["一", "二", "三"], solution="12万", mistakes=[
        Mistake("unit-scale", "少乘了一万。", value=12), Mistake("unit-scale", "多乘了一百。", value=12000000),
        Mistake("inverted-ratio", "倒过来了。", value=0.00035)])
    lines = [ln for ln in problem_lines("q7", p) if ln.lstrip().startswith("- **")]
    assert len(lines) == 3
    assert "例如答 12：少乘了一万" in lines[0] and "例如答 1200万：多乘了一百" in lines[1]
    assert "例如答 0.00035：" in lines[2]
    assert problem_lines("q7", p)[0] == "### 练习 7（计算题）"


@pytest.mark.slow
def test_the_generated_answer_file_matches_the_catalogue(tmp_path, capsys):
    """Every problem of every chapter appears with its track, its answer and each mistake's own example."""
    from utils.classroom import guide
    from utils.classroom.key import chapters, problems

    out = tmp_path / "answers.md"
    assert cli(["guide", "--check", "--out", str(out)]) == 0 and "还没有生成" in capsys.readouterr().out
    assert cli(["guide", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<Axes" not in text and "<Figure" not in text   # example charts are described, not repr'd
    assert not re.search(r"例如答 -?0[，：]", text), "a tiny value printed as 0"
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    assert [s.split("\n", 1)[0] for s in sections] == [f"第{ch}章" for ch in chapters()]
    for ch, section in zip(chapters(), sections):
        for name, p in problems(ch).items():
            if p.graded == "manual":
                assert f"**练习 {p.number}**（{p.badge()}；{p.track}，" in section, (ch, name)
                points = [ln.lstrip("·").strip() for ln in guide._answer_text(p).splitlines() if ln.strip()]
                assert points and all(f"- {guide._one_line(pt, 300)}" in section for pt in points), (ch, name)
                continue
            block = section.split(f"### 练习 {p.number}（{p.badge()}）\n", 1)[1].split("\n### ", 1)[0]
            assert f"- 档次：{p.track}；" in block
            answer = guide._answer_text(p)
            if answer:
                assert f"- 参考答案：{guide._one_line(answer, 200)}" in block, (ch, name)
            for i, (mid, _msg, example) in enumerate(key_of(p).mistake_examples()):
                shown = guide._fmt_example(example)
                line = block.split("- 常见错误：\n", 1)[1].splitlines()[i]
                assert f"（`{mid}`）" in line and (not shown or f"例如答 {shown}：" in line), (ch, name, i)
    assert cli(["guide", "--check", "--out", str(out)]) == 0
    out.write_text(text.replace("参考答案", "答案", 1), encoding="utf-8")
    assert cli(["guide", "--check", "--out", str(out)]) == 1


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

    from utils.classroom.hub import LEARNER_ONLY_ARGS, SERVER_ARGS, SERVER_ENV

    text = (ROOT / "classroom" / "hub" / "z2jh-values.example.yaml").read_text(encoding="utf-8")
    args = re.findall(r"^\s+- (--\S+)", text, flags=re.M)
    assert sorted(args) == sorted(SERVER_ARGS + LEARNER_ONLY_ARGS)
    for key, value in SERVER_ENV.items():   # the same environment as the tested servers
        assert re.search(rf"^\s+{key}: {re.escape(value)}(\s|$)", text, flags=re.M), key
    assert re.search(r"^\s+cmd: jupyterhub-singleuser\b", text, flags=re.M)  # the stock server
    # the same service, roles and culler as the tested hub
    for needle in ("authenticator_class: firstuseauthenticator.FirstUseAuthenticator",
                   '"utils.classroom.service"', "access:services!service=classroom", "cull:",
                   "concurrent_spawn_limit:", "active_server_limit:", "CLASSROOM_SERVICE_URL:"):
        assert needle in text, needle
