"""The before/after diagnostic (issue 24 item 7): two parallel forms, recorded like every attempt, the class
report's per-skill before/after and Hake's g, a learner's own comparison."""
from __future__ import annotations

import json

import pytest

from utils.classroom import exam as exam_mod
from utils.classroom import report as report_mod
from utils.exercises import attempts, key_of
from utils.lessons import diagnostic

ROOT = exam_mod.ROOT


def _answers(form: int, right: bool) -> dict:
    out = {}
    for i in range(1, diagnostic.N + 1):
        p = diagnostic.item(i, form)
        key = key_of(p)
        out[i] = key.answer if right else key.mistake_examples()[0][2]
    return out


def test_two_parallel_forms_one_item_per_skill():
    book = diagnostic.build()
    assert len(book) == 2 * diagnostic.N and len(diagnostic.SKILLS) == diagnostic.N
    for i in range(1, diagnostic.N + 1):
        a, b = book[f"q{i}"], book[f"q{i + diagnostic.N}"]
        assert a.kind == b.kind and a.skills == b.skills == (diagnostic.SKILLS[i][1],)
        assert a.prompt != b.prompt and key_of(a).answer != key_of(b).answer  # parallel, not the same
        assert "练习用的数" in a.prompt and "练习用的数" in b.prompt
        for p in (a, b):
            assert p.evaluate(key_of(p).answer).status == "correct"
            for mid, _m, example in key_of(p).mistake_examples():
                assert (p.evaluate(example).status, p.evaluate(example).mistake) == ("wrong", mid)


def _write_class(homes, pre_right: dict, post_right: dict, n: int = 30):
    """Learner k answers item i right before when k < pre_right[i], right after when k < post_right[i]."""
    for k in range(n):
        who = f"s{k:02d}"
        (homes / who).mkdir(parents=True)
        lines = []
        for i in range(1, diagnostic.N + 1):
            for form, right_count in ((0, pre_right[i]), (1, post_right[i])):
                p = diagnostic.item(i, form)
                key = key_of(p)
                answer = key.answer if k < right_count else key.mistake_examples()[0][2]
                lines.append(attempts.Record(chapter=diagnostic.CHAPTER, exercise=f"q{i + diagnostic.N * form}",
                                             kind=p.kind, answer=p.stored_answer(answer), status="correct",
                                             learner=who).to_json())
        (homes / who / "attempts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_class_report_per_skill_before_after_and_hake_gain(tmp_path):
    homes = tmp_path / "homes"
    pre = {i: 3 * i - 3 for i in range(1, 11)}        # 0, 3, …, 27 of 30 right before
    post = {i: min(30, pre[i] + 12) for i in range(1, 11)}
    post[10] = pre[10]                                  # one skill with no gain
    _write_class(homes, pre, post)
    report = report_mod.build([homes])
    rows = {d.item: d for d in report.diagnostic}
    assert set(rows) == set(range(1, 11))
    for i, d in rows.items():
        assert (d.n, d.pre, d.post) == (30, pre[i], post[i])
        want = (post[i] / 30 * 100 - pre[i] / 30 * 100) / (100 - pre[i] / 30 * 100)
        assert d.gain == pytest.approx(want)
    assert rows[1].gain == pytest.approx(12 / 30) and rows[10].gain == 0
    page = report_mod.to_html(report)
    assert "课前课后小测：各技能的进步" in page and f"{rows[1].gain:.2f}" in page and "Hake" in page
    paths = report_mod.write_csv(report, tmp_path / "out")
    csv = (tmp_path / "out" / "diagnostic.csv").read_text(encoding="utf-8")
    assert tmp_path / "out" / "diagnostic.csv" in paths and "0.40" in csv


def test_gain_is_undefined_when_everyone_was_right_before():
    d = report_mod.SkillGain(1, "x", "unit-scale", n=30, pre=30, post=30)
    assert d.gain is None
    assert report_mod.SkillGain(1, "x", "unit-scale").gain is None


def test_a_learner_sees_their_own_before_and_after(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ATTEMPTS", str(tmp_path / "attempts.jsonl"))
    diagnostic.before().check_all(_answers(0, right=False))
    diagnostic.after().check_all(_answers(1, right=True))
    records, bad = attempts.read_file(tmp_path / "attempts.jsonl")
    assert not bad and len(records) == 2 * diagnostic.N and {r.chapter for r in records} == {0}
    assert diagnostic.own_results(records) == {i: (False, True) for i in range(1, 11)}


def test_the_notebooks_hold_both_forms_and_the_exam_copy_neither(tmp_path):
    first = json.loads((ROOT / "notebooks" / "01_organisation.ipynb").read_text(encoding="utf-8"))
    last = json.loads((ROOT / "notebooks" / "04_consolidation.ipynb").read_text(encoding="utf-8"))
    src = ["".join(c["source"]) for c in first["cells"]]
    setup = next(i for i, c in enumerate(first["cells"]) if "setup" in c["metadata"].get("tags", []))
    assert "diagnostic.before()" in src[setup + 2] and "pre.check_all" in src[setup + 3]
    tail = "".join("".join(c["source"]) for c in last["cells"][-6:])
    assert "diagnostic.after()" in tail and "diagnostic.before_after()" in tail
    out = exam_mod.build(tmp_path / "course")
    assert not (out / "utils" / "lessons" / "diagnostic.py").exists()
    for nb in (out / "notebooks").glob("*.ipynb"):
        assert "diagnostic" not in nb.read_text(encoding="utf-8")
