"""A multiple-choice item explains what the learner chose: after a right answer every option's
explanation; after a wrong one why one wrongly chosen option is wrong — never a word about the options
still missing (that would hand over the answer)."""
from __future__ import annotations

from utils.exercises import MultiChoice

EXPLAIN = {"A": "甲：对。", "B": "乙：不对，单位不同。", "C": "丙：对。", "D": "丁：不对，没有基准。"}


def item():
    return MultiChoice("哪些对？", {k: k.lower() for k in EXPLAIN}, "AC", explanations=EXPLAIN)


def test_right_answer_shows_every_explanation():
    v = item()._judge("CA")
    assert v.status == "correct"
    assert all(text in v.details for text in EXPLAIN.values())


def test_wrong_answer_explains_one_wrong_choice_and_nothing_missing():
    v = item()._judge("ABD")
    assert v.status == "wrong" and "有 2 个选项不该选" in v.message and "还漏了 1 个" in v.message
    assert "乙：不对" in v.details
    assert "丙" not in v.details and "丁" not in v.details


def test_only_missing_options_give_no_explanation():
    v = item()._judge("A")
    assert v.status == "wrong" and v.details == ""


def test_explanations_reach_the_learner_view():
    v = item()._judge("AB")
    assert "乙：不对" in v.text() and "乙：不对" in v.html()
