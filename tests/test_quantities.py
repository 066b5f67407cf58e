import math

import pytest

from utils import quantities as n


@pytest.mark.parametrize("value,unit,kw,expected", [
    (255000, "", {}, "25.5万"),
    (255000, "个", {}, "25.5万个"),
    (98990000, "人", {}, "9899万人"),
    (8e10, "元", {"qualifier": "at_least"}, "超过800亿元"),
    (1.65e11, "元", {}, "1650亿元"),
    (8.9e9, "元", {}, "89亿元"),
    (3e6, "人", {"qualifier": "at_least", "style": "symbols"}, "≥300万人"),
    (2e6, "人", {"qualifier": "approx"}, "约200万人"),
    (0.3, "%", {"qualifier": "at_most"}, "0.3%以内"),
    (68.3, "%", {}, "68.3%"),
    (56, "百分点", {}, "56个百分点"),
    (3, "倍", {}, "3倍"),
    (5000, "人", {}, "5000人"),
    (2, "户", {"value_high": 3, "qualifier": "range"}, "2–3户"),
    (-30, "%", {"qualifier": "at_least"}, "下降超过30%"),
    (0, "%", {}, "0%"),
    (float("nan"), "", {}, "—"),
])
def test_format_cn(value, unit, kw, expected):
    assert n.format_cn(value, unit, **kw) == expected


@pytest.mark.parametrize("text,expected", [
    ("25.5万", 255000), ("800亿元", 8e10), ("１，２００", 1200), ("68.3%", 68.3), ("300多万", 3e6),
    ("-5", -5), ("近200万人", 2e6), ("1.2万人次", 12000), (" 45.2 万 ", 452000),
])
def test_parse_cn(text, expected):
    assert n.parse_cn(text) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["abc", "", "1+1", "__import__('os')", "1e", "万", "12..3"])
def test_parse_cn_rejects(bad):
    with pytest.raises(ValueError):
        n.parse_cn(bad)


def test_conversions():
    assert n.to_wan(255000) == 25.5
    assert n.to_yi(8e10) == 800
    assert n.from_wan(25.5) == 255000
    assert n.from_yi(1650) == 1.65e11


def test_percent_change_vs_points():
    # 89.7% now, 56 points more than 2016 → 33.7% in 2016; the relative change is far larger than 56%
    base = n.base_from_points(89.7, 56)
    assert base == pytest.approx(33.7)
    assert n.points_change(base, 89.7) == pytest.approx(56)
    assert n.pct_change(base, 89.7) == pytest.approx(166.17, rel=1e-3)
    with pytest.raises(ZeroDivisionError):
        n.pct_change(0, 5)


def test_base_from_pct_change():
    # 1650亿 in 2021 after +10% → 1500亿 in 2020
    assert n.base_from_pct_change(1.65e11, 10) == pytest.approx(1.5e11)


def test_multiple_readings_both_ways():
    r = n.multiple_readings(2, latest=6e9)  # 曹县 60亿, "较2019年增长2倍"
    assert (r.strict_factor, r.loose_factor) == (3, 2)
    assert r.strict_base == pytest.approx(2e9)
    assert r.loose_base == pytest.approx(3e9)
    text = r.describe("元")
    assert "20亿元" in text and "30亿元" in text and "推算" in text
    assert n.multiple_readings(3).strict_base is None


@pytest.mark.parametrize("value,unit,expected", [
    (3e6, "人", (3e6, 4e6)), (1.2e7, "人次", (1.2e7, 1.3e7)), (1.2e10, "元", (1.2e10, 1.3e10)),
    (9.6e6, "人", (9.6e6, 9.7e6)), (5e6, "人", (5e6, 6e6)), (2.8e7, "人", (2.8e7, 2.9e7)),
])
def test_duo_bounds(value, unit, expected):
    assert n.duo_bounds(value, unit) == pytest.approx(expected)


def test_bounds_by_qualifier():
    assert n.bounds(3e6, "at_least", quote="300多万名") == pytest.approx((3e6, 4e6))
    assert n.bounds(8e10, "at_least", quote="超过800亿元") == (8e10, math.inf)
    assert n.bounds(2e6, "approx", quote="近200万名") == (0.0, 2e6)
    assert n.bounds(0.3, "at_most") == (0.0, 0.3)
    assert n.bounds(2, "range", value_high=3) == (2, 3)
    assert n.bounds(-30, "at_least", quote="降低30%以上") == (-math.inf, -30)
    assert n.bounds(5, "exact") == (5, 5)


@pytest.mark.parametrize("text,value,unit", [
    ("12万元", 120000, "元"), ("33.7百分点", 33.7, "百分点"), ("33.7个百分点", 33.7, "百分点"),
    ("百分之33.7", 33.7, "%"), ("-百分之5", -5, "%"), ("68.3%", 68.3, "%"), ("1.2万人次", 12000, "人次"),
    ("25.5万", 255000, ""), ("5百", 500, ""), ("3个", 3, "个"), ("２．５万户", 25000, "户"),
])
def test_parse_quantity_keeps_the_unit(text, value, unit):
    got, got_unit = n.parse_quantity(text)
    assert got == pytest.approx(value) and got_unit == unit
    assert n.parse_cn(text) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["百分之", "百分点", "33.7百分点多余字", "百分之abc", "1百分之2"])
def test_parse_quantity_rejects(bad):
    with pytest.raises(ValueError):
        n.parse_quantity(bad)
