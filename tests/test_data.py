"""The data package: lookups by id, report coverage, consistency, and precise errors on broken files."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

import utils
from utils.data import DATA_DIR, DataFileError, validate_table

REPORT_SECTIONS = [(0, "导语")] + [(ch, s) for ch in (1, 2, 3, 4) for s in ("总述", "(一)", "(二)", "(三)")]


def test_every_table_validates_without_stamp():
    for name in ("report_figures", "national_series", "glossary", "lists", "sections"):
        validate_table(name, use_stamp=False)


def test_ids_unique_and_prefixed_by_chapter():
    df = utils.load_figures()
    assert df["id"].is_unique
    prefix = {0: "intro.", 1: "ch1.", 2: "ch2.", 3: "ch3.", 4: "ch4."}
    for row in df.itertuples():
        assert row.id.startswith(prefix[row.chapter]), row.id


@pytest.mark.parametrize("chapter,section", REPORT_SECTIONS)
def test_a_figure_from_each_section_of_the_report(chapter, section):
    df = utils.load_figures(chapter)
    assert (df["section"] == section).any(), f"no figure from chapter {chapter} {section}"


@pytest.mark.parametrize("fid,value,unit,qualifier", [
    ("intro.rural_poor", 98_990_000, "人", "exact"),
    ("ch1.village_teams", 255_000, "个", "exact"),
    ("ch1.first_secretaries", 3_000_000, "人", "at_least"),
    ("ch1.township_cadres", 2_000_000, "人", "approx"),
    ("ch2.training_person_times", 12_000_000, "人次", "at_least"),
    ("ch2.guangdong_grassroots_share", 92, "%", "exact"),
    ("ch3.livestream_sales", 80_000_000_000, "元", "at_least"),
    ("ch3.caoxian_sales_growth", 2, "倍", "exact"),
    ("ch4.relapse_rate", 0.3, "%", "at_most"),
    ("ch4.henan_exit_rate_gap", 3.5, "百分点", "exact"),
])
def test_lookup_by_id(fid, value, unit, qualifier):
    f = utils.figure(fid)
    assert (f.value, f.unit, f.qualifier) == (value, unit, qualifier)
    assert f.where and f.quote and f.period


def test_figure_record_texts():
    f = utils.figure("ch1.first_secretaries")
    assert f.text == "300多万人" and f.short == "≥300万人"
    assert f.bounds == (3_000_000, 4_000_000)
    assert utils.figure("ch1.township_cadres").text == "近200万人"
    assert utils.figure("ch3.livestream_sales").text == "超过800亿元"
    assert utils.figure("ch1.cohesion_index_change").source == "中央组织部基层党建工作统计"
    assert utils.figure("ch1.village_teams").source == "报告未注明来源"
    assert "第一章" in utils.figure("ch1.weak_orgs_rectified").where
    assert "<b>" in utils.figure("ch1.village_teams")._repr_html_()


def test_unknown_id_suggests_close_match():
    with pytest.raises(KeyError, match="ch1.village_teams"):
        utils.figure("ch1.vilage_teams")


def test_quotes_contain_the_number():
    """Every quote names the number the row stores (in the report's own scale)."""
    for f in utils.load_figures().itertuples():
        digits = utils.format_cn(f.value if f.qualifier != "at_least" or f.value >= 0 else -f.value,
                                 "", style="plain").rstrip("万亿").lstrip("-")
        assert digits.replace(".", "") [:2] in f.quote.replace(".", ""), (f.id, digits, f.quote)


def test_consistency_checks_from_the_report():
    national = utils.figure("ch4.stable_exit_rate").value
    henan = utils.figure("ch4.henan_exit_rate").value
    gap = utils.figure("ch4.henan_exit_rate_gap").value
    assert national + gap == pytest.approx(henan)           # 88.5% + 3.5 points = 92%
    series = utils.national_series()
    assert series["counties_delisted"].sum() == utils.figure("intro.poor_counties").value  # 832
    assert series.loc[series.year == 2012, "poor_population"].item() == utils.figure("intro.rural_poor").value
    assert series["source_population"].str.len().min() > 0


def test_glossary_and_lists():
    g = utils.glossary()
    for term in ("五级书记抓扶贫", "第一书记", "驻村工作队", "两不愁三保障", "易地搬迁", "防止返贫监测"):
        assert term in set(g["term"]), term
    assert g["english"].str.len().min() > 0 and g["explanation"].str.len().min() > 0
    assert list(utils.report_list("ch4.monitor_channels")["item"]) == ["农户自主申报", "基层干部排查", "部门数据比对"]
    with pytest.raises(KeyError):
        utils.report_list("nope")


def test_paths_do_not_depend_on_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert utils.figure("ch1.village_teams").value == 255_000
    assert DATA_DIR.is_absolute() and (DATA_DIR / "datapackage.json").exists()


# --- broken files -------------------------------------------------------------

@pytest.fixture
def scratch(tmp_path):
    """A scratch copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns(".validated*", "*.tmp"))
    return target


def _rewrite(path: Path, edit):
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def _error(scratch, name="report_figures") -> DataFileError:
    with pytest.raises(DataFileError) as info:
        validate_table(name, scratch, use_stamp=False)
    return info.value


def _set_cell(lines, row, column, value):
    header = lines[0].split(",")
    df = pd.read_csv(pd.io.common.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    return df.to_csv(index=False).splitlines()


def test_missing_column(scratch):
    path = scratch / "report_figures.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["unit"])
    df.to_csv(path, index=False)
    err = _error(scratch)
    assert "report_figures.csv" in str(err) and "unit" in str(err) and "缺少列" in str(err)
    assert err.column == "unit"


def test_non_numeric_value(scratch):
    _rewrite(scratch / "report_figures.csv", lambda lines: _set_cell(lines, 5, "value", "二十五万"))
    err = _error(scratch)
    assert (err.row, err.column) == (5, "value")
    assert "第 5 行" in str(err) and "“value”" in str(err) and "二十五万" in str(err) and "类型不对" in str(err)


def test_duplicate_id(scratch):
    df = pd.read_csv(scratch / "report_figures.csv", dtype=str, keep_default_na=False)
    df.loc[3, "id"] = df.loc[2, "id"]
    df.to_csv(scratch / "report_figures.csv", index=False)
    err = _error(scratch)
    assert err.row == 5 and err.column == "id" and "重复" in str(err)


def test_percent_out_of_range(scratch):
    df = pd.read_csv(scratch / "report_figures.csv", dtype=str, keep_default_na=False)
    row = int(df.index[df["id"] == "ch1.participation_rate"][0])
    df.loc[row, "value"] = "189.7"
    df.to_csv(scratch / "report_figures.csv", index=False)
    err = _error(scratch)
    assert err.row == row + 2 and err.column == "value" and "0–100" in str(err)


def test_unknown_unit(scratch):
    _rewrite(scratch / "report_figures.csv", lambda lines: _set_cell(lines, 7, "unit", "公斤"))
    err = _error(scratch)
    assert (err.row, err.column) == (7, "unit") and "公斤" in str(err)


def test_empty_file(scratch):
    (scratch / "report_figures.csv").write_text("", encoding="utf-8")
    err = _error(scratch)
    assert "report_figures.csv" in str(err) and "空的" in str(err)


def test_file_not_found(scratch):
    (scratch / "glossary.csv").unlink()
    err = _error(scratch, "glossary")
    assert "找不到数据文件" in str(err) and "glossary.csv" in str(err)


def test_header_only_file_is_valid_but_empty(scratch):
    path = scratch / "report_figures.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    validate_table("report_figures", scratch, use_stamp=False)  # no rows is not an error


def test_stamp_is_invalidated_by_any_change(scratch):
    validate_table("report_figures", scratch)  # writes the stamp
    assert (scratch / ".validated.json").exists()
    _rewrite(scratch / "report_figures.csv", lambda lines: _set_cell(lines, 7, "unit", "公斤"))
    with pytest.raises(DataFileError):
        validate_table("report_figures", scratch)  # stamp present but content changed → revalidated
