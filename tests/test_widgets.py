"""Live charts driven programmatically, static mode, error display, and no figure leaks."""
import base64

import matplotlib.pyplot as plt
import pytest

import utils
from utils import widgets


def plot_population(year, unit_scale="万"):
    ns = utils.national_series()
    ns = ns[ns["year"] <= year]
    return utils.charts.timeline(ns, x="year", value="poor_population", unit="人", title=f"截至{year}年")


@pytest.fixture
def chart():
    utils.setup()
    return utils.live_chart(plot_population, title="贫困人口",
                            year=utils.slider(2012, 2020, value=2016, label="年份"))


def test_live_widget_redraws_with_new_data(chart):
    box = chart.widget()
    assert box.children[-1] is chart._image
    first = chart._image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    chart._widgets["year"].value = 2019          # as a learner moving the slider
    assert chart.values["year"] == 2019
    assert chart.redraws == 2
    assert chart._image.value != first
    chart.set(year=2013)
    assert chart._image.value not in (first,) and chart.redraws == 3


def test_controls_never_take_invalid_values(chart):
    chart.set(year=1990)
    assert chart.values["year"] == 2012            # clamped to the slider's range
    chart.set(year=2016.4)
    assert chart.values["year"] == 2016            # snapped to the step
    with pytest.raises(ValueError, match="滑块只接受数字"):
        chart.set(year="二〇一六")
    with pytest.raises(ValueError, match="没有名为"):
        chart.set(month=3)
    d = utils.dropdown({"贫困人口": "pop", "发生率": "rate"})
    with pytest.raises(ValueError, match="不是可选项"):
        d.coerce("income")
    assert d.coerce("发生率") == "rate"
    m = utils.multi(["甲", "乙", "丙"], value=["甲"])
    with pytest.raises(ValueError, match="至少选择"):
        m.coerce([])
    assert m.coerce(["丙", "甲"]) == ("甲", "丙")
    with pytest.raises(ValueError):
        utils.toggle().coerce("yes")


def test_widget_rejects_empty_multiselect_with_message():
    utils.setup()

    def plot(regions):
        df = utils.figures("ch1.village_teams", "ch1.first_secretaries")
        return utils.charts.ranked_bars(df[df["id"].isin(regions)], title="t")

    chart = utils.live_chart(plot, regions=utils.multi(["ch1.village_teams", "ch1.first_secretaries"]))
    chart.widget()
    redraws = chart.redraws
    chart._widgets["regions"].value = ()
    assert "至少选择" in chart._message.value
    assert chart.redraws == redraws and chart.values["regions"]  # old view kept


def test_plot_errors_become_a_short_chinese_message():
    def broken(kind):
        raise KeyError("no such column")

    chart = utils.live_chart(broken, kind=utils.dropdown(["a"]))
    chart.widget()
    assert "这个视图画不出来" in chart._message.value
    assert "Traceback" not in chart._message.value
    assert "KeyError" in chart.last_error                # kept for the author
    assert chart._image.layout.display == "none"


def test_static_mode_renders_images(chart, monkeypatch):
    monkeypatch.setenv("STATIC_CHARTS", "1")
    assert widgets.is_static()
    bundles = chart.static_bundle()
    images = [b for b in bundles if "image/png" in b]
    assert len(images) == 1
    assert base64.b64decode(images[0]["image/png"])[:4] == b"\x89PNG"
    assert bundles[-1]["text/plain"] == widgets.STATIC_NOTE


def test_static_mode_shows_the_current_view_and_names_the_others(monkeypatch):
    """STATIC_CHARTS=1: one image (the current view) and a note naming the views left out;
    STATIC_CHARTS=all (handouts): every view of a dropdown with at most four options."""
    utils.setup()

    def plot(metric):
        ns = utils.national_series()
        return utils.charts.timeline(ns, x="year", value=metric, title=metric)

    options = {"贫困人口": "poor_population", "贫困发生率": "incidence", "摘帽县": "counties_delisted"}
    chart = utils.live_chart(plot, metric=utils.dropdown(options, value="incidence", label="指标"))
    monkeypatch.setenv("STATIC_CHARTS", "1")
    bundles = chart.static_bundle()
    assert [b["text/plain"] for b in bundles if "image/png" not in b][0] == "指标：贫困发生率"
    assert len([b for b in bundles if "image/png" in b]) == 1
    note = bundles[-1]["text/plain"]
    assert note.startswith(widgets.STATIC_NOTE_PREFIX)
    assert "控件“指标”" in note and "贫困人口；摘帽县" in note and "贫困发生率" not in note
    monkeypatch.setenv("STATIC_CHARTS", "all")
    assert widgets.is_static()
    bundles = chart.static_bundle()
    headings = [b["text/plain"] for b in bundles if "image/png" not in b][:-1]
    assert headings == ["指标：贫困人口", "指标：贫困发生率", "指标：摘帽县"]
    assert len([b for b in bundles if "image/png" in b]) == 3
    assert bundles[-1]["text/plain"] == widgets.STATIC_NOTE
    five = {f"选项{i}": "incidence" for i in range(5)}
    chart5 = utils.live_chart(plot, metric=utils.dropdown(five))
    assert len([b for b in chart5.static_bundle() if "image/png" in b]) == 1
    assert chart5.static_bundle()[-1]["text/plain"] == widgets.STATIC_NOTE   # nothing named: no views listed


def test_static_detection(monkeypatch):
    monkeypatch.delenv("STATIC_CHARTS", raising=False)
    assert widgets.is_static()          # plain Python: no kernel, no widgets
    monkeypatch.setenv("STATIC_CHARTS", "0")
    assert not widgets.is_static()


def test_hundred_redraws_do_not_leak_figures(chart):
    chart.widget()
    open_before = len(plt.get_fignums())
    for i in range(100):
        chart.set(year=2012 + i % 9)
    assert len(plt.get_fignums()) == open_before
    assert chart.redraws >= 90
