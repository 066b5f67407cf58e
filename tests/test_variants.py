"""Per-learner variants (issue 24 item 6): the seed picks the variant, grading rebuilds it from the stored seed."""
from __future__ import annotations

import json

import pytest

from utils.classroom import grade as grade_mod
from utils.classroom.key import book
from utils.exercises import attempts, key_of, variants
from utils.exercises.misconceptions import Facts, transform_holds
from utils.lessons.variants import DRILL

CHAPTERS = (1, 2, 3, 4)
SEEDS = [f"learner{i}" for i in range(12)]
SKILLS = {"points": "百分点", "times-reading": "增长N倍", "units": "单位", "qualifiers": "界限",
          "bounds": "界限", "denominators": "分母", "ratio": "分母", "cumulative": "当年/累计"}


def _answer(problem):
    return key_of(problem).answer


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_same_seed_same_variant_and_seeds_differ(chapter):
    exercises = book(chapter)
    assert len(exercises.variants) >= 4
    for name in exercises.variants:
        first = exercises.variant(name, "amy")
        again = exercises.variant(name, "amy")
        assert first.prompt == again.prompt and _answer(first) == _answer(again)
        assert first.seed == "amy" and first.kind == exercises[name].kind
        answers = {json.dumps(_answer(exercises.variant(name, s))) for s in SEEDS}
        assert len(answers) >= 3, (chapter, name, answers)  # different seeds, different answers
        assert DRILL in first.prompt  # generated numbers are labelled, never the report's


def test_variants_cover_the_skill_vocabulary():
    covered = set()
    for chapter in CHAPTERS:
        for name in book(chapter).variants:
            covered |= {SKILLS[s] for s in book(chapter).variant(name, "x").skills if s in SKILLS}
    assert covered >= {"百分点", "增长N倍", "单位", "界限", "分母", "当年/累计"}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_variant_judges_its_answer_and_its_mistakes(chapter):
    exercises = book(chapter)
    for name, varied in exercises.variants.items():
        for problem, params in zip(varied.all(chapter, name), varied.pool(chapter, name)):
            key = key_of(problem)
            assert problem.evaluate(key.answer).status == "correct"
            facts = Facts(values=tuple(float(v) for v in params.values()))
            for mid, _msg, example in key.mistake_examples():
                verdict = problem.evaluate(example)
                assert (verdict.status, verdict.mistake) == ("wrong", mid), (chapter, name, mid, params)
                assert transform_holds(mid, key.answer, example, facts) is not False, (chapter, name, mid)


def test_practice_keeps_the_reports_figures_and_with_variants_uses_the_seed():
    exercises = book(1)
    assert exercises.q11.seed is None and DRILL not in exercises.q11.prompt
    varied = exercises.with_variants("amy")
    assert varied.q11.seed == "amy" and varied.q11.prompt == exercises.variant("q11", "amy").prompt
    assert varied.q1 is exercises.q1  # an exercise without variants is the declared one


def test_the_stored_seed(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("COURSE_ATTEMPTS", str(tmp_path / "attempts.jsonl"))
    seed = variants.learner_seed()
    assert variants.valid_seed(seed) and (tmp_path / variants.SEED_FILE).read_text().strip() == seed
    assert variants.learner_seed() == seed
    monkeypatch.setenv("JUPYTERHUB_USER", "amy")
    assert variants.learner_seed() == "amy"


def test_a_variant_attempt_stores_its_seed(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ATTEMPTS", str(tmp_path / "attempts.jsonl"))
    varied = book(3).with_variants("amy")
    varied.q7.check(_answer(varied.q7))
    records, bad = attempts.read_file(tmp_path / "attempts.jsonl")
    assert not bad and records[-1].seed == "amy" and records[-1].status == "correct"
    assert attempts.Record.from_json(records[-1].to_json()).seed == "amy"
    with pytest.raises(attempts.BadRecord):
        attempts.Record.from_json(records[-1].to_json().replace('"seed":"amy"', '"seed":"../x y"'))


def test_grade_rebuilds_each_learners_variant(tmp_path):
    """A synthetic class: each learner answers their own variant right; one answers a classmate's."""
    homes = tmp_path / "homes"
    expected = {}
    for i, who in enumerate(["amy", "bob", "cai", "dan"]):
        folder = homes / who
        folder.mkdir(parents=True)
        lines = []
        for chapter in CHAPTERS:
            for name in book(chapter).variants:
                mine = book(chapter).variant(name, who)
                answer = _answer(mine)
                if who == "dan":  # dan copies amy's answers: right only where the variants agree
                    answer = _answer(book(chapter).variant(name, "amy"))
                    right = json.dumps(answer) == json.dumps(_answer(mine))
                else:
                    right = True
                stored = mine.stored_answer(answer)
                expected[(who, chapter, name)] = "correct" if right else "wrong"
                lines.append(attempts.Record(chapter=chapter, exercise=name, kind=mine.kind, answer=stored,
                                             status="correct", seed=who, learner=who).to_json())
        (folder / "attempts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, _ = grade_mod.grade([homes])
    got = {(g.learner, g.chapter, g.exercise): g.status for g in rows}
    assert got == expected
    assert sum(v == "wrong" for k, v in got.items() if k[0] == "dan") >= 8


def test_grade_without_a_seed_judges_the_declared_problem(tmp_path):
    folder = tmp_path / "homes" / "eve"
    folder.mkdir(parents=True)
    varied = book(1).variant("q11", "eve")
    rec = attempts.Record(chapter=1, exercise="q11", kind="numeric", answer=_answer(varied), status="correct")
    (folder / "attempts.jsonl").write_text(rec.to_json() + "\n", encoding="utf-8")
    rows, _ = grade_mod.grade([tmp_path / "homes"])
    declared = _answer(book(1).q11)
    assert rows[0].status == ("correct" if abs(declared - _answer(varied)) < 0.01 * declared else "wrong")


@pytest.mark.slow
def test_the_exam_edition_gives_each_learner_their_variant(tmp_path):
    """The exam copy holds every variant's public form (no answers, no maker module); a kernel with a hub
    name builds that learner's variant; the record carries the seed; grade judges it with the key."""
    import nbformat
    from nbclient import NotebookClient

    from utils.classroom import exam as exam_mod

    out = exam_mod.build(tmp_path / "course")
    assert not (out / "utils" / "lessons" / "variants.py").exists()
    nb = json.loads((out / "notebooks" / "01_organisation.ipynb").read_text(encoding="utf-8"))
    assert any("ex.q11.prompt_markdown()" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    log = tmp_path / "attempts.jsonl"
    teacher = book(1).variant("q11", "zoe")
    code = ("import os, sys\n"
            f"os.environ['COURSE_ATTEMPTS'] = {str(log)!r}\nos.environ['JUPYTERHUB_USER'] = 'zoe'\n"
            "sys.path.insert(0, '..')\nimport utils\nex = utils.exercises_for(1)\n"
            "print('@@' + ex.q11.prompt)\n"
            f"ex.q11.check({_answer(teacher)!r})\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(out / "notebooks")}}).execute()
    outs = nb.cells[0].outputs
    assert not [o for o in outs if o.get("output_type") == "error"], outs
    printed = "".join(o.get("text", "") for o in outs)
    assert "@@" + teacher.prompt in printed
    (rec,) = [attempts.Record.from_json(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert rec.seed == "zoe" and rec.status == "recorded" and rec.exam
    rows, _ = grade_mod.grade([log])
    assert [(g.exercise, g.status) for g in rows] == [("q11", "correct")]


def test_grade_notes_a_seed_that_is_another_learners_name(tmp_path):
    folder = tmp_path / "homes" / "amy"
    folder.mkdir(parents=True)
    bobs = book(1).variant("q11", "bob")
    rec = attempts.Record(chapter=1, exercise="q11", kind="numeric", answer=_answer(bobs), status="correct",
                          seed="bob", exam=True)
    (folder / "attempts.jsonl").write_text(rec.to_json() + "\n", encoding="utf-8")
    rows, log = grade_mod.grade([tmp_path / "homes"])
    assert [g.status for g in rows] == ["correct"]  # judged against the variant it answered …
    assert any("bob" in p.reason and "变式种子" in p.reason for p in log.problems)  # … and the teacher is told


def test_the_class_report_judges_each_learners_variant(tmp_path):
    from utils.classroom import report as report_mod

    for who in ("amy", "bob"):
        folder = tmp_path / "homes" / who
        folder.mkdir(parents=True)
        mine = book(2).variant("q13", who)
        rec = attempts.Record(chapter=2, exercise="q13", kind=mine.kind, answer=mine.stored_answer(_answer(mine)),
                              status="wrong", seed=who, exam=True)
        (folder / "attempts.jsonl").write_text(rec.to_json() + "\n", encoding="utf-8")
    report = report_mod.build([tmp_path / "homes"])
    row = next(e for e in report.exercises if (e.chapter, e.exercise) == (2, "q13"))
    assert (row.tried, row.completed, row.first_try) == (2, 2, 2)
